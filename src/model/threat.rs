//! What is protected, who attacks it, what could go wrong and what is done about it.

use super::Id;
use super::element::Classification;
use super::risk::{Impact, Likelihood, Rating};
use serde::{Deserialize, Serialize};

/// Something worth protecting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Asset {
    pub id: Id,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub classification: Classification,
    /// Where the asset lives: component ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stored_in: Vec<Id>,
}

impl Asset {
    /// Whether threat `t` is against this asset, or against a component it is stored in.
    pub fn exposed_to(&self, t: &Threat) -> bool {
        (t.targets.iter()).any(|x| *x == self.id || self.stored_in.contains(x))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ActorKind {
    ScriptKiddie,
    Cybercriminal,
    Hacktivist,
    StateSponsored,
    Insider,
    Custom(String),
}

impl ActorKind {
    pub fn label(&self) -> &str {
        match self {
            ActorKind::ScriptKiddie => "script kiddie",
            ActorKind::Cybercriminal => "cybercriminal",
            ActorKind::Hacktivist => "hacktivist",
            ActorKind::StateSponsored => "state-sponsored",
            ActorKind::Insider => "insider",
            ActorKind::Custom(s) => s,
        }
    }
}

/// A coarse level for an actor's skill or resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Level {
    Low,
    Medium,
    High,
    VeryHigh,
}

impl Level {
    pub fn label(self) -> &'static str {
        match self {
            Level::Low => "low",
            Level::Medium => "medium",
            Level::High => "high",
            Level::VeryHigh => "very high",
        }
    }
}

/// Someone who might realise a threat.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Actor {
    pub id: Id,
    pub name: String,
    pub kind: ActorKind,
    pub skill: Level,
    pub resources: Level,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub motive: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Stride {
    Spoofing,
    Tampering,
    Repudiation,
    InformationDisclosure,
    DenialOfService,
    ElevationOfPrivilege,
}

impl Stride {
    pub const ALL: [Stride; 6] = [
        Stride::Spoofing,
        Stride::Tampering,
        Stride::Repudiation,
        Stride::InformationDisclosure,
        Stride::DenialOfService,
        Stride::ElevationOfPrivilege,
    ];

    pub fn letter(self) -> char {
        match self {
            Stride::Spoofing => 'S',
            Stride::Tampering => 'T',
            Stride::Repudiation => 'R',
            Stride::InformationDisclosure => 'I',
            Stride::DenialOfService => 'D',
            Stride::ElevationOfPrivilege => 'E',
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Stride::Spoofing => "Spoofing",
            Stride::Tampering => "Tampering",
            Stride::Repudiation => "Repudiation",
            Stride::InformationDisclosure => "Information disclosure",
            Stride::DenialOfService => "Denial of service",
            Stride::ElevationOfPrivilege => "Elevation of privilege",
        }
    }

    /// "STRIDE" letters of the given categories, in canonical order, e.g. "TRI".
    pub fn letters(categories: &[Stride]) -> String {
        Stride::ALL
            .iter()
            .filter(|c| categories.contains(c))
            .map(|c| c.letter())
            .collect()
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ThreatStatus {
    #[default]
    Open,
    InProgress,
    Mitigated,
    Accepted,
    Transferred,
    Avoided,
    NotApplicable,
}

impl ThreatStatus {
    pub const ALL: [ThreatStatus; 7] = [
        ThreatStatus::Open,
        ThreatStatus::InProgress,
        ThreatStatus::Mitigated,
        ThreatStatus::Accepted,
        ThreatStatus::Transferred,
        ThreatStatus::Avoided,
        ThreatStatus::NotApplicable,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ThreatStatus::Open => "open",
            ThreatStatus::InProgress => "in progress",
            ThreatStatus::Mitigated => "mitigated",
            ThreatStatus::Accepted => "accepted",
            ThreatStatus::Transferred => "transferred",
            ThreatStatus::Avoided => "avoided",
            ThreatStatus::NotApplicable => "not applicable",
        }
    }

    /// The risk no longer weighs on the system: it was dealt with or does not apply.
    /// An accepted risk still counts, because it is still there.
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            ThreatStatus::Mitigated
                | ThreatStatus::Transferred
                | ThreatStatus::Avoided
                | ThreatStatus::NotApplicable
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Decision {
    Mitigate,
    Accept,
    Transfer,
    Avoid,
}

impl Decision {
    pub const ALL: [Decision; 4] = [
        Decision::Mitigate,
        Decision::Accept,
        Decision::Transfer,
        Decision::Avoid,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Decision::Mitigate => "mitigate",
            Decision::Accept => "accept",
            Decision::Transfer => "transfer",
            Decision::Avoid => "avoid",
        }
    }
}

/// The finalized assessment of a threat: what was decided, by whom, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assessment {
    pub decision: Decision,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub rationale: String,
    /// The business impact in words.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub business_impact: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub decided_by: String,
    /// ISO 8601 date.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub decided_on: String,
    /// When the decision is to be looked at again, `YYYY-MM-DD` (an accepted risk's
    /// acceptance runs out then); empty for never.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub review_by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_to_fix: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_loss: Option<f64>,
}

impl Assessment {
    /// Whether it was due to be looked at again before `today`.
    pub fn review_overdue(&self, today: super::Date) -> bool {
        super::Date::parse(&self.review_by).is_some_and(|d| d < today)
    }

    /// A decision with nothing else said yet.
    pub fn new(decision: Decision) -> Self {
        Assessment {
            decision,
            rationale: String::new(),
            business_impact: String::new(),
            decided_by: String::new(),
            decided_on: String::new(),
            review_by: String::new(),
            cost_to_fix: None,
            expected_loss: None,
        }
    }
}

/// Something that could go wrong, against elements, flows or assets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Threat {
    pub id: Id,
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stride: Vec<Stride>,
    /// Component, flow or asset ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<Id>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actors: Vec<Id>,
    pub likelihood: Likelihood,
    pub impact: Impact,
    /// The rating once the mitigations are in place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residual: Option<Rating>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mitigations: Vec<Id>,
    #[serde(default)]
    pub status: ThreatStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assessment: Option<Assessment>,
    /// The suggestion rule this threat was accepted from, so it is not suggested again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
}

/// A suggestion the reviewer dismissed: it is not offered again for that element.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dismissal {
    pub rule: String,
    pub target: Id,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

impl Threat {
    pub fn new(id: impl Into<Id>, title: &str, likelihood: Likelihood, impact: Impact) -> Self {
        Threat {
            id: id.into(),
            title: title.to_owned(),
            description: String::new(),
            stride: Vec::new(),
            targets: Vec::new(),
            actors: Vec::new(),
            likelihood,
            impact,
            residual: None,
            mitigations: Vec::new(),
            status: ThreatStatus::Open,
            assessment: None,
            rule: None,
        }
    }

    pub fn inherent(&self) -> Rating {
        Rating::new(self.likelihood, self.impact)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MitigationStatus {
    #[default]
    Planned,
    InProgress,
    Implemented,
}

impl MitigationStatus {
    pub fn label(self) -> &'static str {
        match self {
            MitigationStatus::Planned => "planned",
            MitigationStatus::InProgress => "in progress",
            MitigationStatus::Implemented => "implemented",
        }
    }
}

impl Mitigation {
    /// Whether it is still not implemented on `today`, past its due date.
    pub fn overdue(&self, today: super::Date) -> bool {
        self.status != MitigationStatus::Implemented
            && super::Date::parse(&self.due).is_some_and(|due| due < today)
    }

    /// Its status, due date and owner, as a list of what is late tells it: "in progress, due
    /// 2026-10-31, owner Platform team".
    pub fn due_note(&self) -> String {
        let owner = match self.owner.as_str() {
            "" => String::new(),
            o => format!(", owner {o}"),
        };
        format!("{}, due {}{owner}", self.status.label(), self.due)
    }

    /// Its status with its deadline as of `today`: "planned, due 2026-12-01", "in progress,
    /// OVERDUE since 2026-10-01", "implemented".
    pub fn standing(&self, today: super::Date) -> String {
        let status = self.status.label();
        if self.status == MitigationStatus::Implemented || self.due.is_empty() {
            status.to_owned()
        } else if self.overdue(today) {
            format!("{status}, OVERDUE since {}", self.due)
        } else {
            format!("{status}, due {}", self.due)
        }
    }
}

/// A control that reduces one or more threats.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mitigation {
    pub id: Id,
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default)]
    pub status: MitigationStatus,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub owner: String,
    /// When it is to be implemented by, `YYYY-MM-DD`; empty for no date.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub due: String,
}
