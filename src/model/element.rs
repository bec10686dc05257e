//! Diagram elements: components, trust boundaries and data flows.

use super::Id;
use super::serde_util::{is_default, is_false};
use serde::{Deserialize, Serialize};

/// A position on the diagram canvas, in terminal cells.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Point {
    pub x: i32,
    pub y: i32,
}

/// A rectangle on the diagram canvas, in terminal cells.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Area {
    pub x: i32,
    pub y: i32,
    pub width: u16,
    pub height: u16,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ComponentKind {
    Process,
    DataStore,
    ExternalEntity,
}

impl ComponentKind {
    pub const ALL: [ComponentKind; 3] = [
        ComponentKind::Process,
        ComponentKind::DataStore,
        ComponentKind::ExternalEntity,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ComponentKind::Process => "process",
            ComponentKind::DataStore => "data store",
            ComponentKind::ExternalEntity => "external entity",
        }
    }
}

/// The privilege a process runs with; `High` covers admin roles and wildcard permissions.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum Privilege {
    Low,
    #[default]
    Standard,
    High,
}

/// A process, data store or external entity, with the properties the threat rules read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Component {
    pub id: Id,
    pub name: String,
    pub kind: ComponentKind,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Technology and runtime, e.g. "AWS Lambda, Node.js 18".
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub technology: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub runtime_version: String,
    /// The runtime or a dependency has known vulnerabilities.
    #[serde(default, skip_serializing_if = "is_false")]
    pub known_vulnerabilities: bool,
    #[serde(default, skip_serializing_if = "is_default")]
    pub privilege: Privilege,
    #[serde(default, skip_serializing_if = "is_false")]
    pub handles_credentials: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub stores_credentials: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub stores_pii: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub encrypted_at_rest: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub is_log: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub internet_facing: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub validates_input: bool,
    /// Its actions are logged and alerted on.
    #[serde(default, skip_serializing_if = "is_false")]
    pub audit_logging: bool,
    /// Why the element is out of scope of this review, when it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out_of_scope: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Answers to the review checklist; unanswered items stay `None`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub checklist: Checklist,
    #[serde(default)]
    pub position: Point,
}

/// The review checklist of a component, from serverless security practice. `Some(false)` is
/// a known gap and produces a suggested threat.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    /// Its role has only the permissions it needs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub least_privilege: Option<bool>,
    /// Secrets live in a secret manager, never in code or plain environment variables.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secrets_in_manager: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_validated: Option<bool>,
    /// Encrypted at rest and in transit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encrypted: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_logging_and_alerting: Option<bool>,
    /// Human accounts that reach it use MFA.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_for_humans: Option<bool>,
    /// Runtime and dependencies are free of known vulnerabilities.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dependencies_patched: Option<bool>,
}

impl Checklist {
    /// How many questions it asks.
    pub const QUESTIONS: usize = 7;

    /// Every answer, to set, in the order of `items`.
    pub fn answers_mut(&mut self) -> [&mut Option<bool>; Self::QUESTIONS] {
        [
            &mut self.least_privilege,
            &mut self.secrets_in_manager,
            &mut self.input_validated,
            &mut self.encrypted,
            &mut self.audit_logging_and_alerting,
            &mut self.mfa_for_humans,
            &mut self.dependencies_patched,
        ]
    }

    /// Every item: (key, question, answer).
    pub fn items(&self) -> [(&'static str, &'static str, Option<bool>); Self::QUESTIONS] {
        [
            (
                "least_privilege",
                "Does its role have only the permissions it needs?",
                self.least_privilege,
            ),
            (
                "secrets_in_manager",
                "Are its secrets in a secret manager, never in code or plain environment?",
                self.secrets_in_manager,
            ),
            (
                "input_validated",
                "Is every input validated?",
                self.input_validated,
            ),
            (
                "encrypted",
                "Is its data encrypted at rest and in transit?",
                self.encrypted,
            ),
            (
                "audit_logging_and_alerting",
                "Are its actions audit-logged, with alerts?",
                self.audit_logging_and_alerting,
            ),
            (
                "mfa_for_humans",
                "Do human accounts reaching it use MFA?",
                self.mfa_for_humans,
            ),
            (
                "dependencies_patched",
                "Are its runtime and dependencies free of known vulnerabilities?",
                self.dependencies_patched,
            ),
        ]
    }

    pub fn unanswered(&self) -> usize {
        self.items().iter().filter(|(_, _, a)| a.is_none()).count()
    }

    /// The first question not yet answered, where a reviewer takes it up.
    pub fn first_unanswered(&self) -> Option<usize> {
        self.items().iter().position(|(_, _, a)| a.is_none())
    }
}

impl Component {
    /// A component with every optional property at its default.
    pub fn new(id: impl Into<Id>, name: impl Into<String>, kind: ComponentKind) -> Self {
        Component {
            id: id.into(),
            name: name.into(),
            kind,
            description: String::new(),
            technology: String::new(),
            runtime_version: String::new(),
            known_vulnerabilities: false,
            privilege: Privilege::default(),
            handles_credentials: false,
            stores_credentials: false,
            stores_pii: false,
            encrypted_at_rest: false,
            is_log: false,
            internet_facing: false,
            validates_input: false,
            audit_logging: false,
            out_of_scope: None,
            tags: Vec::new(),
            checklist: Checklist::default(),
            position: Point::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BoundaryKind {
    Network,
    CloudAccount,
    /// A runtime environment or virtual private network.
    Vpc,
    Physical,
    Organisation,
    Custom(String),
}

impl BoundaryKind {
    pub fn label(&self) -> &str {
        match self {
            BoundaryKind::Network => "network",
            BoundaryKind::CloudAccount => "cloud account",
            BoundaryKind::Vpc => "runtime / VPC",
            BoundaryKind::Physical => "physical",
            BoundaryKind::Organisation => "organisation",
            BoundaryKind::Custom(s) => s,
        }
    }
}

/// A trust boundary: a named region whose members share a level of trust.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Boundary {
    pub id: Id,
    pub name: String,
    pub kind: BoundaryKind,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The boundary this one is nested in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Id>,
    /// Components directly inside (not inside a nested boundary).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<Id>,
    #[serde(default)]
    pub area: Area,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Authentication {
    #[default]
    None,
    Password,
    ApiKey,
    Jwt,
    OAuth2,
    Oidc,
    Saml,
    Mtls,
    IamRole,
}

impl Authentication {
    pub fn label(self) -> &'static str {
        match self {
            Authentication::None => "none",
            Authentication::Password => "password",
            Authentication::ApiKey => "API key",
            Authentication::Jwt => "JWT",
            Authentication::OAuth2 => "OAuth 2",
            Authentication::Oidc => "OIDC",
            Authentication::Saml => "SAML",
            Authentication::Mtls => "mTLS",
            Authentication::IamRole => "IAM role",
        }
    }
}

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum Classification {
    Public,
    #[default]
    Internal,
    Confidential,
    Secret,
}

impl Classification {
    pub fn label(self) -> &'static str {
        match self {
            Classification::Public => "public",
            Classification::Internal => "internal",
            Classification::Confidential => "confidential",
            Classification::Secret => "secret",
        }
    }
}

/// Data moving from one component to another.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Flow {
    pub id: Id,
    pub source: Id,
    pub target: Id,
    pub label: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub protocol: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub encrypted: bool,
    #[serde(default, skip_serializing_if = "is_default")]
    pub authentication: Authentication,
    #[serde(default, skip_serializing_if = "is_default")]
    pub classification: Classification,
    #[serde(default, skip_serializing_if = "is_false")]
    pub bidirectional: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The day (YYYY-MM-DD) a reviewer last walked this flow; emptied when what was reviewed
    /// changes (see `keep_review`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reviewed_on: String,
    /// Who reviewed it, when known.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reviewed_by: String,
}

impl Flow {
    pub fn new(
        id: impl Into<Id>,
        source: impl Into<Id>,
        target: impl Into<Id>,
        label: &str,
    ) -> Self {
        Flow {
            id: id.into(),
            source: source.into(),
            target: target.into(),
            label: label.to_owned(),
            protocol: String::new(),
            encrypted: false,
            authentication: Authentication::None,
            classification: Classification::default(),
            bidirectional: false,
            description: String::new(),
            reviewed_on: String::new(),
            reviewed_by: String::new(),
        }
    }

    pub fn reviewed(&self) -> bool {
        !self.reviewed_on.is_empty()
    }

    /// What a reviewer judges of a flow: its ends, protocol, encryption, authentication,
    /// data and direction (not its label or description).
    fn judged(&self) -> (&Id, &Id, &str, bool, Authentication, Classification, bool) {
        (
            &self.source,
            &self.target,
            &self.protocol,
            self.encrypted,
            self.authentication,
            self.classification,
            self.bidirectional,
        )
    }

    /// `new`, the edited version of this flow, with its review withdrawn when the edit
    /// changes what a reviewer judged without touching the review itself: a review of the
    /// old flow says nothing of the new one. A new label or description keeps it.
    pub fn keep_review(&self, mut new: Flow) -> Flow {
        if new.reviewed_on == self.reviewed_on && new.judged() != self.judged() {
            new.withdraw_review();
        }
        new
    }

    /// Whether this flow carries the same review of the same thing as `other`.
    pub fn reviewed_as(&self, other: &Flow) -> bool {
        (&self.reviewed_on, &self.reviewed_by) == (&other.reviewed_on, &other.reviewed_by)
            && self.judged() == other.judged()
    }

    /// Records a review on `day`, by `who` if known.
    pub fn review(&mut self, day: super::Date, who: Option<&str>) {
        self.reviewed_on = day.to_string();
        self.reviewed_by = who.unwrap_or_default().to_owned();
    }

    /// When and by whom it was reviewed: "2026-11-18 by Ada", or the day alone.
    pub fn review_stamp(&self) -> String {
        match self.reviewed_by.as_str() {
            "" => self.reviewed_on.clone(),
            who => format!("{} by {who}", self.reviewed_on),
        }
    }

    pub fn withdraw_review(&mut self) {
        self.reviewed_on = String::new();
        self.reviewed_by = String::new();
    }
}
