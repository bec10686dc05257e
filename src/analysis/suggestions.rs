//! Suggested threats: the STRIDE-per-element table and the context rules of THREATS.md, plus a
//! suggestion for every "no" in a component's review checklist. Suggestions are offered, never
//! added: the reviewer accepts one (it becomes a threat remembering its rule) or dismisses it
//! (the dismissal is stored in the model), and either way it is not offered again.

use crate::model::{
    Actor, Authentication, Classification, ComponentKind, Flow, Id, Impact, Level, Likelihood,
    Model, Privilege, Rating, RiskLevel, Stride, Threat,
};

#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// Stable rule name, e.g. `flow-crossing-unencrypted`.
    pub rule: &'static str,
    pub target: Id,
    pub title: String,
    pub description: String,
    pub stride: Vec<Stride>,
    pub likelihood: Likelihood,
    pub impact: Impact,
}

impl Suggestion {
    /// A row of the generic STRIDE-per-element table, rather than a rule about this model's
    /// context.
    pub fn is_generic(&self) -> bool {
        self.rule.starts_with("stride-")
    }

    /// Where `model`'s risk matrix puts its rating.
    pub fn level(&self, model: &Model) -> RiskLevel {
        model.risk_matrix().level(Rating {
            likelihood: self.likelihood,
            impact: self.impact,
        })
    }

    /// The threat accepting this suggestion creates (the caller picks a free id).
    pub fn to_threat(&self, id: Id) -> Threat {
        let mut t = Threat::new(id, &self.title, self.likelihood, self.impact);
        t.description = self.description.clone();
        t.stride = self.stride.clone();
        t.targets = vec![self.target.clone()];
        t.rule = Some(self.rule.to_owned());
        t
    }
}

/// The STRIDE categories the classic per-element table lists.
pub fn stride_per_element(kind: Option<ComponentKind>) -> &'static [Stride] {
    use Stride::*;
    match kind {
        Some(ComponentKind::ExternalEntity) => &[Spoofing, Repudiation],
        Some(ComponentKind::Process) => &Stride::ALL,
        Some(ComponentKind::DataStore) => &[
            Tampering,
            Repudiation,
            InformationDisclosure,
            DenialOfService,
        ],
        // A data flow.
        None => &[Tampering, InformationDisclosure, DenialOfService],
    }
}

fn stride_rule(s: Stride) -> &'static str {
    match s {
        Stride::Spoofing => "stride-spoofing",
        Stride::Tampering => "stride-tampering",
        Stride::Repudiation => "stride-repudiation",
        Stride::InformationDisclosure => "stride-information-disclosure",
        Stride::DenialOfService => "stride-denial-of-service",
        Stride::ElevationOfPrivilege => "stride-elevation-of-privilege",
    }
}

struct Out<'m> {
    model: &'m Model,
    list: Vec<Suggestion>,
}

impl Out<'_> {
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        rule: &'static str,
        target: &Id,
        title: String,
        description: &str,
        stride: &[Stride],
        l: Likelihood,
        i: Impact,
    ) {
        if taken_up(self.model, rule, target).is_none() {
            self.list.push(Suggestion {
                rule,
                target: target.clone(),
                title,
                description: description.to_owned(),
                stride: stride.to_vec(),
                likelihood: l,
                impact: i,
            });
        }
    }
}

/// How the reviewers took up suggestion `rule` on `target`, which is then not offered again.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TakenUp<'m> {
    /// Accepted: this threat remembers the rule.
    Recorded(&'m Threat),
    Dismissed,
}

pub fn taken_up<'m>(model: &'m Model, rule: &str, target: &Id) -> Option<TakenUp<'m>> {
    let threat = model
        .threats
        .iter()
        .find(|t| t.rule.as_deref() == Some(rule) && t.targets.contains(target));
    match threat {
        Some(t) => Some(TakenUp::Recorded(t)),
        None => model
            .dismissed
            .iter()
            .any(|d| d.rule == rule && d.target == *target)
            .then_some(TakenUp::Dismissed),
    }
}

/// Suggestions for every element and flow of the model (out-of-scope elements excluded).
pub fn suggest(model: &Model) -> Vec<Suggestion> {
    let mut out = Out {
        model,
        list: Vec::new(),
    };
    for c in model.components.iter().filter(|c| c.out_of_scope.is_none()) {
        component(&mut out, c);
    }
    for f in &model.flows {
        flow(&mut out, f);
    }
    out.list
}

/// Suggestions for one element or flow.
pub fn suggest_for(model: &Model, target: &Id) -> Vec<Suggestion> {
    suggest(model)
        .into_iter()
        .filter(|s| s.target == *target)
        .collect()
}

fn holds_confidential(model: &Model, c: &crate::model::Component) -> bool {
    c.stores_pii
        || c.stores_credentials
        || model.assets.iter().any(|a| {
            a.stored_in.contains(&c.id) && a.classification >= Classification::Confidential
        })
}

fn component(out: &mut Out<'_>, c: &crate::model::Component) {
    use Impact as I;
    use Likelihood as L;
    use Stride::*;
    let name = &c.name;
    let m = out.model;
    for s in stride_per_element(Some(c.kind)) {
        out.add(
            stride_rule(*s),
            &c.id,
            format!("{} of {name}", s.label()),
            "From the STRIDE-per-element table: consider how this could happen here.",
            &[*s],
            L::Possible,
            I::Moderate,
        );
    }
    match c.kind {
        ComponentKind::DataStore => {
            if c.stores_credentials {
                out.add("store-credentials", &c.id, format!("Credential theft from {name}"), "It stores credentials or secrets: they must live in a secret manager, never in code.", &[InformationDisclosure], L::Possible, I::Major);
            }
            if !c.encrypted_at_rest && holds_confidential(m, c) {
                out.add(
                    "store-unencrypted",
                    &c.id,
                    format!("Data at rest disclosed from {name}"),
                    "Confidential data is stored unencrypted.",
                    &[InformationDisclosure],
                    L::Possible,
                    I::Major,
                );
            }
            if c.is_log {
                out.add(
                    "store-log",
                    &c.id,
                    format!("Tampering with {name}, or sensitive data in it"),
                    "Logs can be altered to hide an attack, and often hold data they should not.",
                    &[Tampering, Repudiation, InformationDisclosure],
                    L::Possible,
                    I::Moderate,
                );
            }
        }
        ComponentKind::Process => {
            if c.privilege == Privilege::High {
                out.add("process-privilege", &c.id, format!("Excessive privilege of {name}"), "High privilege or wildcard permissions: one bug becomes broad access (least privilege violated).", &[ElevationOfPrivilege], L::Possible, I::Major);
            }
            if c.internet_facing {
                out.add(
                    "process-internet-facing",
                    &c.id,
                    format!("Denial of service and cost explosion on {name}"),
                    "Internet-facing: floods exhaust resources and, when it scales, the budget.",
                    &[DenialOfService],
                    L::Probable,
                    I::Moderate,
                );
            }
            if c.known_vulnerabilities {
                out.add(
                    "process-vulnerable",
                    &c.id,
                    format!("Exploit of a vulnerable runtime or dependency in {name}"),
                    "Its runtime version or a dependency has known vulnerabilities.",
                    &[Tampering, ElevationOfPrivilege],
                    L::Probable,
                    I::Major,
                );
            }
        }
        ComponentKind::ExternalEntity => {
            let password = m
                .flows
                .iter()
                .any(|f| f.source == c.id && f.authentication == Authentication::Password);
            if password {
                out.add(
                    "entity-password",
                    &c.id,
                    format!("Account hijacking of {name}"),
                    "It authenticates with a password only: MFA is missing.",
                    &[Spoofing],
                    L::Probable,
                    I::Major,
                );
            }
        }
    }
    if c.kind != ComponentKind::ExternalEntity && !c.audit_logging {
        out.add(
            "no-audit-logging",
            &c.id,
            format!("Undetected attack on {name}"),
            "No audit logging or alerting: actions cannot be traced or noticed.",
            &[Repudiation],
            L::Possible,
            I::Moderate,
        );
    }
    let gaps: [(&'static str, Option<bool>, &str, &[Stride]); 7] = [
        (
            "checklist-least-privilege",
            c.checklist.least_privilege,
            "Over-privileged role",
            &[ElevationOfPrivilege],
        ),
        (
            "checklist-secrets",
            c.checklist.secrets_in_manager,
            "Secrets in code or plain environment",
            &[InformationDisclosure],
        ),
        (
            "checklist-input",
            c.checklist.input_validated,
            "Injection through unvalidated input",
            &[Tampering],
        ),
        (
            "checklist-encryption",
            c.checklist.encrypted,
            "Data exposed unencrypted",
            &[InformationDisclosure],
        ),
        (
            "checklist-audit",
            c.checklist.audit_logging_and_alerting,
            "Attack goes unnoticed (no audit log or alert)",
            &[Repudiation],
        ),
        (
            "checklist-mfa",
            c.checklist.mfa_for_humans,
            "Account takeover without MFA",
            &[Spoofing],
        ),
        (
            "checklist-dependencies",
            c.checklist.dependencies_patched,
            "Vulnerable runtime or dependency",
            &[Tampering, ElevationOfPrivilege],
        ),
    ];
    for (rule, answer, what, stride) in gaps {
        if answer == Some(false) {
            out.add(
                rule,
                &c.id,
                format!("{what}: {name}"),
                "The review checklist answered no.",
                stride,
                L::Possible,
                I::Major,
            );
        }
    }
}

fn flow(out: &mut Out<'_>, f: &Flow) {
    use Impact as I;
    use Likelihood as L;
    use Stride::*;
    let m = out.model;
    let in_scope = |id: &Id| {
        m.component(id.as_str())
            .is_some_and(|c| c.out_of_scope.is_none())
    };
    if !in_scope(&f.source) && !in_scope(&f.target) {
        return;
    }
    let label = m.name_or_id(f.id.as_str());
    for s in stride_per_element(None) {
        out.add(
            stride_rule(*s),
            &f.id,
            format!("{} of the flow \"{label}\"", s.label()),
            "From the STRIDE-per-element table: consider how this could happen here.",
            &[*s],
            L::Possible,
            I::Moderate,
        );
    }
    let crossing = m.crosses_boundary(f);
    if crossing && !f.encrypted {
        out.add(
            "flow-crossing-unencrypted",
            &f.id,
            format!("Interception of \"{label}\" in transit"),
            "It crosses a trust boundary unencrypted: it can be sniffed.",
            &[InformationDisclosure],
            L::Probable,
            I::Major,
        );
    }
    if crossing && f.authentication == Authentication::None {
        out.add(
            "flow-crossing-unauthenticated",
            &f.id,
            format!("Spoofed caller on \"{label}\""),
            "It crosses a trust boundary unauthenticated: anyone can pretend to be the source.",
            &[Spoofing],
            L::Probable,
            I::Major,
        );
    }
    if f.classification >= Classification::Confidential && !f.encrypted {
        out.add(
            "flow-sensitive-unencrypted",
            &f.id,
            format!("Sensitive data exposed on \"{label}\""),
            "It carries confidential or secret data unencrypted.",
            &[InformationDisclosure],
            L::Possible,
            I::Major,
        );
    }
    let target = m.component(f.target.as_str());
    if crossing && target.is_some_and(|t| t.kind == ComponentKind::Process && !t.validates_input) {
        out.add("flow-injection", &f.id, format!("Injection through \"{label}\""), "It crosses a trust boundary into a process that does not validate input (SQL, command, XSS).", &[Tampering], L::Possible, I::Major);
    }
}

/// The likelihood a new threat starts with, from the actors linked to it: the most capable
/// actor counts. Skill and resources each score low 0, medium 1, high 2, very high 3; their sum
/// maps 0–1 → Unlikely, 2–3 → Possible, 4–5 → Probable, 6 → Certain. With no actor: Possible.
pub fn likelihood_from_actors(actors: &[&Actor]) -> Likelihood {
    let score = |l: Level| match l {
        Level::Low => 0,
        Level::Medium => 1,
        Level::High => 2,
        Level::VeryHigh => 3,
    };
    match actors
        .iter()
        .map(|a| score(a.skill) + score(a.resources))
        .max()
    {
        None => Likelihood::Possible,
        Some(0..=1) => Likelihood::Unlikely,
        Some(2..=3) => Likelihood::Possible,
        Some(4..=5) => Likelihood::Probable,
        Some(_) => Likelihood::Certain,
    }
}
