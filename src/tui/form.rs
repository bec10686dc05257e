//! The property form: every editable field of the selected component, flow or boundary, and
//! how a change to one becomes an `Edit`.

use super::app::Pick;
use crate::model::{
    ActorKind, Assessment, Authentication, BoundaryKind, Classification, ComponentKind, Date,
    Decision, Distribution, Edit, GateKind, Id, Impact, Level, Likelihood, MitigationStatus, Model,
    Privilege, Probability, Rating, Stride, Threat, ThreatStatus, readable,
};

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Flag(bool),
    /// One of a fixed set of values; changed by cycling.
    Choice(String),
}

/// What the user did to a field.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Flip a flag or step a choice to its next value.
    Cycle,
    Text(String),
}

fn next<T: Copy + PartialEq>(all: &[T], x: T) -> T {
    shifted(all, x, 1)
}

/// The value before `x` in `all`, wrapping round: a residual rating steps down from the
/// inherent one, since mitigations lower a risk far more often than they leave it.
fn prev<T: Copy + PartialEq>(all: &[T], x: T) -> T {
    shifted(all, x, all.len() - 1)
}

/// The value `by` places after `x` in `all`, wrapping round.
fn shifted<T: Copy + PartialEq>(all: &[T], x: T, by: usize) -> T {
    let i = all.iter().position(|y| *y == x).unwrap_or(0);
    all[(i + by) % all.len()]
}

const LIKELIHOODS: [Likelihood; 5] = Likelihood::ALL;
const IMPACTS: [Impact; 5] = Impact::ALL;
const DECISIONS: [Option<Decision>; 5] = [
    None,
    Some(Decision::Mitigate),
    Some(Decision::Accept),
    Some(Decision::Transfer),
    Some(Decision::Avoid),
];
const LEVELS: [Level; 4] = [Level::Low, Level::Medium, Level::High, Level::VeryHigh];
const MITIGATION_STATUSES: [MitigationStatus; 3] = [
    MitigationStatus::Planned,
    MitigationStatus::InProgress,
    MitigationStatus::Implemented,
];
const GATE_KINDS: [GateKind; 9] = [
    GateKind::And,
    GateKind::Or,
    GateKind::Vote(2),
    GateKind::Xor,
    GateKind::Not,
    GateKind::Nand,
    GateKind::Nor,
    GateKind::Inhibit,
    GateKind::Null,
];

/// The next value of a cyclic choice among `all`, comparing with `same`.
fn next_by<T: Clone>(all: &[T], x: &T, same: impl Fn(&T, &T) -> bool) -> T {
    let i = all.iter().position(|y| same(y, x)).unwrap_or(all.len() - 1);
    all[(i + 1) % all.len()].clone()
}

fn actor_kinds() -> [ActorKind; 6] {
    [
        ActorKind::ScriptKiddie,
        ActorKind::Cybercriminal,
        ActorKind::Hacktivist,
        ActorKind::StateSponsored,
        ActorKind::Insider,
        ActorKind::Custom("custom".into()),
    ]
}

fn number(s: &str) -> Option<f64> {
    s.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v >= 0.0)
}

/// An optional amount: nothing clears it, anything else must be a number ≥ 0 (`None`).
fn amount(s: &str) -> Option<Option<f64>> {
    if s.trim().is_empty() {
        Some(None)
    } else {
        number(s).map(Some)
    }
}

/// Names of the text fields that can refuse a value (see `expected`).
const PROBABILITY: &str = "probability";
const UNCERTAINTY: &str = "uncertainty";
const VOTE_K: &str = "k (vote)";
const COST_TO_FIX: &str = "cost to fix";
const EXPECTED_LOSS: &str = "expected loss";
const DUE: &str = "due";
const REVIEW_BY: &str = "review by";
const REVIEWED_ON: &str = "reviewed on";
const STORED_IN: &str = "stored in";

/// What a text field that can refuse a value takes, by the field's name (see `fields`).
pub fn expected(field: &str) -> Option<&'static str> {
    match field {
        // A rate is per hour, over a mission time in hours, unless units say otherwise.
        PROBABILITY => Some("0.01 | rate 1e-5 8760 (or 1e-5/h 1y) | threat ID"),
        UNCERTAINTY => Some("lognormal MEDIAN EF | beta A B | uniform LOW HIGH | nothing"),
        VOTE_K => Some("a whole number from 1 to the number of inputs"),
        COST_TO_FIX | EXPECTED_LOSS => Some("an amount ≥ 0, or nothing to clear it"),
        DUE | REVIEW_BY | REVIEWED_ON => Some("a date as YYYY-MM-DD, or nothing to clear it"),
        STORED_IN => Some("components by name or id, comma-separated"),
        _ => None,
    }
}

/// A probability as the form shows and reads it: `0.01`, `rate 1e-5 8760`, `threat ID`.
pub fn probability_text(p: &Probability) -> String {
    match p {
        Probability::Fixed(p) => readable(*p),
        Probability::Rate {
            lambda,
            mission_time,
        } => format!("rate {} {}", readable(*lambda), readable(*mission_time)),
        Probability::Threat(t) => format!("threat {t}"),
    }
}

pub fn parse_probability(s: &str) -> Option<Probability> {
    let w: Vec<&str> = s.split_whitespace().collect();
    match w.as_slice() {
        [p] => number(p).filter(|p| *p <= 1.0).map(Probability::Fixed),
        ["rate", l, t] => Some(Probability::Rate {
            lambda: per_hour(l)?,
            mission_time: hours(t)?,
        }),
        ["threat", id] => Some(Probability::Threat(Id::new(*id))),
        _ => None,
    }
}

/// Hours in each unit a duration may be given in: a year is 8 760 hours, as reliability
/// data counts it.
const UNITS: [(&str, f64); 8] = [
    ("h", 1.0),
    ("hr", 1.0),
    ("hours", 1.0),
    ("d", 24.0),
    ("days", 24.0),
    ("y", 8760.0),
    ("yr", 8760.0),
    ("years", 8760.0),
];

fn hours_in(unit: &str) -> Option<f64> {
    UNITS.iter().find(|(u, _)| *u == unit).map(|(_, h)| *h)
}

/// A mission time: hours, or a number with a unit (`100h`, `30d`, `1y`).
fn hours(text: &str) -> Option<f64> {
    // The unit starts at the first letter that is not an exponent's.
    let split = text
        .find(|c: char| c.is_ascii_alphabetic() && c != 'e' && c != 'E')
        .unwrap_or(text.len());
    let (n, unit) = text.split_at(split);
    let factor = if unit.is_empty() {
        1.0
    } else {
        hours_in(unit)?
    };
    Some(number(n)? * factor)
}

/// A failure rate: per hour, or per the unit after a slash (`2e-4/h`, `0.1/y`).
fn per_hour(text: &str) -> Option<f64> {
    match text.split_once('/') {
        None => number(text),
        Some((n, unit)) => Some(number(n)? / hours_in(unit)?),
    }
}

const PRIVILEGES: [Privilege; 3] = [Privilege::Low, Privilege::Standard, Privilege::High];
const AUTH: [Authentication; 9] = [
    Authentication::None,
    Authentication::Password,
    Authentication::ApiKey,
    Authentication::Jwt,
    Authentication::OAuth2,
    Authentication::Oidc,
    Authentication::Saml,
    Authentication::Mtls,
    Authentication::IamRole,
];
const CLASSES: [Classification; 4] = [
    Classification::Public,
    Classification::Internal,
    Classification::Confidential,
    Classification::Secret,
];

fn privilege_label(p: Privilege) -> &'static str {
    match p {
        Privilege::Low => "low",
        Privilege::Standard => "standard",
        Privilege::High => "high (admin / wildcard)",
    }
}

/// The fields of the element `id`, with their current values.
pub fn fields(model: &Model, id: &Id) -> Vec<(&'static str, Value)> {
    use Value::{Choice, Flag, Text};
    if let Some(c) = model.component(id.as_str()) {
        return vec![
            ("name", Text(c.name.clone())),
            ("kind", Choice(c.kind.label().into())),
            ("description", Text(c.description.clone())),
            ("technology", Text(c.technology.clone())),
            ("runtime version", Text(c.runtime_version.clone())),
            ("known vulnerabilities", Flag(c.known_vulnerabilities)),
            ("privilege", Choice(privilege_label(c.privilege).into())),
            ("handles credentials", Flag(c.handles_credentials)),
            ("stores credentials", Flag(c.stores_credentials)),
            ("stores PII", Flag(c.stores_pii)),
            ("encrypted at rest", Flag(c.encrypted_at_rest)),
            ("is a log", Flag(c.is_log)),
            ("internet-facing", Flag(c.internet_facing)),
            ("validates input", Flag(c.validates_input)),
            ("audit logging", Flag(c.audit_logging)),
            (
                "out of scope (reason)",
                Text(c.out_of_scope.clone().unwrap_or_default()),
            ),
            ("tags (comma-separated)", Text(c.tags.join(", "))),
        ];
    }
    if let Some(f) = model.flow(id.as_str()) {
        let name = |x: &Id| model.name_or_id(x.as_str());
        return vec![
            ("label", Text(f.label.clone())),
            ("from", Choice(name(&f.source))),
            ("to", Choice(name(&f.target))),
            ("protocol", Text(f.protocol.clone())),
            ("encrypted in transit", Flag(f.encrypted)),
            ("authentication", Choice(f.authentication.label().into())),
            (
                "data classification",
                Choice(f.classification.label().into()),
            ),
            ("bidirectional", Flag(f.bidirectional)),
            ("description", Text(f.description.clone())),
            (REVIEWED_ON, Text(f.reviewed_on.clone())),
            ("reviewed by", Text(f.reviewed_by.clone())),
        ];
    }
    if let Some(b) = model.boundary(id.as_str()) {
        return vec![
            ("name", Text(b.name.clone())),
            ("kind", Choice(b.kind.label().into())),
            ("description", Text(b.description.clone())),
        ];
    }
    if let Some(t) = model.threat(id.as_str()) {
        let a = t.assessment.as_ref();
        let names = |ids: &[Id]| {
            let v: Vec<String> = ids.iter().map(|x| model.name_or_id(x.as_str())).collect();
            v.join(", ")
        };
        let amount_text = |x: Option<f64>| x.map_or(String::new(), |v| format!("{v}"));
        return vec![
            ("title", Text(t.title.clone())),
            ("description", Text(t.description.clone())),
            ("STRIDE (letters)", Text(Stride::letters(&t.stride))),
            ("likelihood", Choice(t.likelihood.label().into())),
            ("impact", Choice(t.impact.label().into())),
            (
                "residual likelihood",
                Choice(
                    t.residual
                        .map_or("—".into(), |r| r.likelihood.label().into()),
                ),
            ),
            (
                "residual impact",
                Choice(t.residual.map_or("—".into(), |r| r.impact.label().into())),
            ),
            ("status", Choice(t.status.label().into())),
            (
                "decision",
                Choice(a.map_or("—".into(), |a| a.decision.label().into())),
            ),
            (
                "rationale",
                Text(a.map_or(String::new(), |a| a.rationale.clone())),
            ),
            (
                "business impact",
                Text(a.map_or(String::new(), |a| a.business_impact.clone())),
            ),
            (
                "decided by",
                Text(a.map_or(String::new(), |a| a.decided_by.clone())),
            ),
            (
                "decided on",
                Text(a.map_or(String::new(), |a| a.decided_on.clone())),
            ),
            (
                REVIEW_BY,
                Text(a.map_or(String::new(), |a| a.review_by.clone())),
            ),
            (
                COST_TO_FIX,
                Text(amount_text(a.and_then(|a| a.cost_to_fix))),
            ),
            (
                EXPECTED_LOSS,
                Text(amount_text(a.and_then(|a| a.expected_loss))),
            ),
            ("targets", Choice(names(&t.targets))),
            ("actors", Choice(names(&t.actors))),
            (
                "mitigations",
                Choice(
                    t.mitigations
                        .iter()
                        .map(|m| {
                            model
                                .mitigation(m.as_str())
                                .map_or(m.to_string(), |m| m.title.clone())
                        })
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            ),
        ];
    }
    if let Some(a) = model.actor(id.as_str()) {
        return vec![
            ("name", Text(a.name.clone())),
            ("kind", Choice(a.kind.label().into())),
            ("skill", Choice(a.skill.label().into())),
            ("resources", Choice(a.resources.label().into())),
            ("motive", Text(a.motive.clone())),
            ("description", Text(a.description.clone())),
        ];
    }
    if let Some(a) = model.asset(id.as_str()) {
        let stores: Vec<String> = (a.stored_in.iter())
            .map(|c| model.name_or_id(c.as_str()))
            .collect();
        return vec![
            ("name", Text(a.name.clone())),
            ("description", Text(a.description.clone())),
            ("classification", Choice(a.classification.label().into())),
            (STORED_IN, Text(stores.join(", "))),
        ];
    }
    if let Some(m) = model.mitigation(id.as_str()) {
        return vec![
            ("title", Text(m.title.clone())),
            ("status", Choice(m.status.label().into())),
            ("owner", Text(m.owner.clone())),
            (DUE, Text(m.due.clone())),
            ("description", Text(m.description.clone())),
        ];
    }
    for t in &model.fault_trees {
        if let Some(g) = t.gates.iter().find(|g| g.id == *id) {
            // Only a vote has a k to edit; the others show why not.
            let k = match g.kind {
                GateKind::Vote(k) => Text(k.to_string()),
                _ => Choice("— (the gate is not a vote)".into()),
            };
            let mut fields = vec![
                ("label", Text(g.label.clone())),
                ("gate", Choice(g.kind.label())),
                (VOTE_K, k),
            ];
            // The top gate's form is also the tree's: its name heads the outline.
            if t.top == g.id {
                fields.push(("tree name", Text(t.name.clone())));
                fields.push(("tree description", Text(t.description.clone())));
            }
            return fields;
        }
        if let Some(e) = t.events.iter().find(|e| e.id == *id) {
            return vec![
                ("label", Text(e.label.clone())),
                (PROBABILITY, Text(probability_text(&e.probability))),
                // For Monte Carlo (`threatloom analyze --monte-carlo N`).
                (
                    UNCERTAINTY,
                    Text(e.uncertainty.map_or(String::new(), |d| d.to_string())),
                ),
            ];
        }
        if let Some(h) = t.house_events.iter().find(|h| h.id == *id) {
            return vec![("label", Text(h.label.clone())), ("state", Flag(h.state))];
        }
    }
    Vec::new()
}

/// Where an asset is stored, as typed: components by name or id, comma-separated. A name
/// no component has is kept as typed, for validation to name.
fn components_named(model: &Model, text: &str) -> Vec<Id> {
    let parts = text.split(',').map(str::trim).filter(|p| !p.is_empty());
    parts
        .map(|p| {
            let named =
                |c: &&crate::model::Component| c.id.as_str() == p || c.name.eq_ignore_ascii_case(p);
            model
                .components
                .iter()
                .find(named)
                .map_or_else(|| p.into(), |c| c.id.clone())
        })
        .collect()
}

/// A date field's new value: a day as `YYYY-MM-DD`, or nothing; `None` for anything else.
fn date(text: &str) -> Option<String> {
    match text.trim() {
        "" => Some(String::new()),
        day => Date::parse(day).map(|d| d.to_string()),
    }
}

fn text(change: &Change) -> Option<String> {
    match change {
        Change::Text(t) => Some(t.clone()),
        Change::Cycle => None,
    }
}

/// The picker that edits field `name` of element `id`: a threat's lists of ids are chosen
/// from lists, not typed.
pub fn picker(model: &Model, id: &Id, name: &str) -> Option<Pick> {
    model.threat(id.as_str())?;
    match name {
        "targets" => Some(Pick::Targets),
        "actors" => Some(Pick::Actors),
        "mitigations" => Some(Pick::Mitigations),
        _ => None,
    }
}

/// Gives threat `to` the value `from` has in field `index` (the inline fields of `apply`:
/// ratings, residual ratings, status, decision), leaving the rest of it as it is: a residual
/// likelihood keeps `to`'s residual impact, a decision keeps `to`'s rationale.
pub fn copy_threat_field(from: &Threat, to: &mut Threat, index: usize) {
    let residual = to.residual.unwrap_or(Rating::new(to.likelihood, to.impact));
    let given = from
        .residual
        .unwrap_or(Rating::new(from.likelihood, from.impact));
    match index {
        3 => to.likelihood = from.likelihood,
        4 => to.impact = from.impact,
        5 => to.residual = Some(Rating::new(given.likelihood, residual.impact)),
        6 => to.residual = Some(Rating::new(residual.likelihood, given.impact)),
        7 => to.status = from.status,
        8 => match &from.assessment {
            Some(a) => {
                to.assessment
                    .get_or_insert_with(|| Assessment::new(a.decision))
                    .decision = a.decision;
            }
            None => to.assessment = None,
        },
        _ => {}
    }
}

/// The edit that applies `change` to field `index` of element `id`.
pub fn apply(model: &Model, id: &Id, index: usize, change: &Change) -> Option<Edit> {
    if let Some(i) = model.components.iter().position(|c| c.id == *id) {
        let mut c = model.components[i].clone();
        let t = text(change);
        match index {
            0 => c.name = t?,
            1 => c.kind = next(&ComponentKind::ALL, c.kind),
            2 => c.description = t?,
            3 => c.technology = t?,
            4 => c.runtime_version = t?,
            5 => c.known_vulnerabilities ^= true,
            6 => c.privilege = next(&PRIVILEGES, c.privilege),
            7 => c.handles_credentials ^= true,
            8 => c.stores_credentials ^= true,
            9 => c.stores_pii ^= true,
            10 => c.encrypted_at_rest ^= true,
            11 => c.is_log ^= true,
            12 => c.internet_facing ^= true,
            13 => c.validates_input ^= true,
            14 => c.audit_logging ^= true,
            15 => c.out_of_scope = t.filter(|s| !s.trim().is_empty()),
            16 => {
                c.tags = t?
                    .split(',')
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty())
                    .collect();
            }
            _ => return None,
        }
        return Some(Edit::SetComponent(i, c));
    }
    if let Some(i) = model.flows.iter().position(|f| f.id == *id) {
        let mut f = model.flows[i].clone();
        let t = text(change);
        match index {
            0 => f.label = t?,
            3 => f.protocol = t?,
            4 => f.encrypted ^= true,
            5 => f.authentication = next(&AUTH, f.authentication),
            6 => f.classification = next(&CLASSES, f.classification),
            7 => f.bidirectional ^= true,
            8 => f.description = t?,
            9 => f.reviewed_on = date(&t?)?,
            10 => f.reviewed_by = t?,
            _ => return None,
        }
        return Some(Edit::SetFlow(i, f));
    }
    if let Some(i) = model.boundaries.iter().position(|b| b.id == *id) {
        let mut b = model.boundaries[i].clone();
        match index {
            0 => b.name = text(change)?,
            1 => {
                let kinds = [
                    BoundaryKind::Network,
                    BoundaryKind::CloudAccount,
                    BoundaryKind::Vpc,
                    BoundaryKind::Physical,
                    BoundaryKind::Organisation,
                ];
                let at = kinds.iter().position(|k| *k == b.kind);
                b.kind = kinds[at.map_or(0, |i| (i + 1) % kinds.len())].clone();
            }
            2 => b.description = text(change)?,
            _ => return None,
        }
        return Some(Edit::SetBoundary(i, b));
    }
    if let Some(i) = model.threats.iter().position(|t| t.id == *id) {
        let mut t = model.threats[i].clone();
        let text = text(change);
        fn assessment(t: &mut crate::model::Threat) -> &mut Assessment {
            t.assessment
                .get_or_insert_with(|| Assessment::new(Decision::Mitigate))
        }
        let residual = t.residual.unwrap_or(Rating::new(t.likelihood, t.impact));
        match index {
            0 => t.title = text?,
            1 => t.description = text?,
            2 => {
                let letters = text?.to_uppercase();
                t.stride = Stride::ALL
                    .into_iter()
                    .filter(|s| letters.contains(s.letter()))
                    .collect();
            }
            3 => t.likelihood = next(&LIKELIHOODS, t.likelihood),
            4 => t.impact = next(&IMPACTS, t.impact),
            5 => {
                t.residual = Some(Rating::new(
                    prev(&LIKELIHOODS, residual.likelihood),
                    residual.impact,
                ))
            }
            6 => {
                t.residual = Some(Rating::new(
                    residual.likelihood,
                    prev(&IMPACTS, residual.impact),
                ))
            }
            7 => t.status = next(&ThreatStatus::ALL, t.status),
            8 => {
                let now = t.assessment.as_ref().map(|a| a.decision);
                match next_by(&DECISIONS, &now, |a, b| a == b) {
                    Some(d) => assessment(&mut t).decision = d,
                    None => t.assessment = None,
                }
            }
            9 => assessment(&mut t).rationale = text?,
            10 => assessment(&mut t).business_impact = text?,
            11 => assessment(&mut t).decided_by = text?,
            12 => assessment(&mut t).decided_on = text?,
            13 => assessment(&mut t).review_by = date(&text?)?,
            14 => assessment(&mut t).cost_to_fix = amount(&text?)?,
            15 => assessment(&mut t).expected_loss = amount(&text?)?,
            _ => return None,
        }
        return Some(Edit::SetThreat(i, t));
    }
    if let Some(i) = model.actors.iter().position(|a| a.id == *id) {
        let mut a = model.actors[i].clone();
        match index {
            0 => a.name = text(change)?,
            1 => {
                a.kind = next_by(&actor_kinds(), &a.kind, |x, y| {
                    std::mem::discriminant(x) == std::mem::discriminant(y)
                })
            }
            2 => a.skill = next(&LEVELS, a.skill),
            3 => a.resources = next(&LEVELS, a.resources),
            4 => a.motive = text(change)?,
            5 => a.description = text(change)?,
            _ => return None,
        }
        return Some(Edit::SetActor(i, a));
    }
    if let Some(i) = model.assets.iter().position(|a| a.id == *id) {
        let mut a = model.assets[i].clone();
        match index {
            0 => a.name = text(change)?,
            1 => a.description = text(change)?,
            2 => a.classification = next(&CLASSES, a.classification),
            3 => a.stored_in = components_named(model, &text(change)?),
            _ => return None,
        }
        return Some(Edit::SetAsset(i, a));
    }
    if let Some(i) = model.mitigations.iter().position(|m| m.id == *id) {
        let mut m = model.mitigations[i].clone();
        match index {
            0 => m.title = text(change)?,
            1 => m.status = next(&MITIGATION_STATUSES, m.status),
            2 => m.owner = text(change)?,
            3 => m.due = date(&text(change)?)?,
            4 => m.description = text(change)?,
            _ => return None,
        }
        return Some(Edit::SetMitigation(i, m));
    }
    for (ti, tree) in model.fault_trees.iter().enumerate() {
        let mut tree = tree.clone();
        if tree.top == *id && index >= 3 {
            match index {
                3 => tree.name = Some(text(change)?).filter(|n| !n.trim().is_empty())?,
                4 => tree.description = text(change)?,
                _ => return None,
            }
            return Some(Edit::SetFaultTree(ti, tree));
        }
        if let Some(g) = tree.gates.iter_mut().find(|g| g.id == *id) {
            match index {
                0 => g.label = text(change)?,
                1 => {
                    let k = match g.kind {
                        GateKind::Vote(k) => k,
                        _ => 2,
                    };
                    // Only the types its inputs fit (a NOT of three inputs is no gate): the
                    // model stays valid whatever the cycle stops on, so it saves and reopens.
                    let n = g.inputs.len();
                    let fits = |kind: &GateKind| match kind {
                        GateKind::Vote(_) => n >= 1,
                        other => {
                            let (min, max) = other.arity();
                            n >= min && max.is_none_or(|max| n <= max)
                        }
                    };
                    let mut kind = g.kind;
                    for _ in 0..GATE_KINDS.len() {
                        kind = next_by(&GATE_KINDS, &kind, |a, b| {
                            std::mem::discriminant(a) == std::mem::discriminant(b)
                        });
                        if fits(&kind) {
                            break;
                        }
                    }
                    g.kind = match kind {
                        GateKind::Vote(_) => GateKind::Vote(k.min(n.max(1) as u32)),
                        other => other,
                    };
                }
                2 => {
                    let k: u32 = text(change)?.trim().parse().ok()?;
                    if !matches!(g.kind, GateKind::Vote(_)) || k == 0 || k as usize > g.inputs.len()
                    {
                        return None;
                    }
                    g.kind = GateKind::Vote(k);
                }
                _ => return None,
            }
            return Some(Edit::SetFaultTree(ti, tree));
        }
        if let Some(e) = tree.events.iter_mut().find(|e| e.id == *id) {
            match index {
                0 => e.label = text(change)?,
                1 => e.probability = parse_probability(&text(change)?)?,
                2 => {
                    let t = text(change)?;
                    e.uncertainty = if t.trim().is_empty() {
                        None
                    } else {
                        Some(Distribution::parse(&t).filter(Distribution::valid)?)
                    };
                }
                _ => return None,
            }
            return Some(Edit::SetFaultTree(ti, tree));
        }
        if let Some(h) = tree.house_events.iter_mut().find(|h| h.id == *id) {
            match index {
                0 => h.label = text(change)?,
                1 => h.state ^= true,
                _ => return None,
            }
            return Some(Edit::SetFaultTree(ti, tree));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probabilities_read_back_as_written() {
        for (p, text) in [
            (5e-6, "5e-6"),
            (1.2e-9, "1.2e-9"),
            (0.01, "0.01"),
            (0.0, "0"),
        ] {
            let fixed = Probability::Fixed(p);
            assert_eq!(probability_text(&fixed), text);
            assert_eq!(parse_probability(text), Some(fixed));
        }
    }

    #[test]
    fn rates_and_mission_times_take_units_and_are_kept_in_hours() {
        let rate = |text: &str| match parse_probability(text) {
            Some(Probability::Rate {
                lambda,
                mission_time,
            }) => (lambda, mission_time),
            other => panic!("{text}: {other:?}"),
        };
        let close = |(l, t): (f64, f64), (l2, t2): (f64, f64)| {
            (l - l2).abs() <= 1e-12 * l2 && (t - t2).abs() <= 1e-12 * t2
        };
        for (text, want) in [
            ("rate 1e-5 8760", (1e-5, 8760.0)),
            ("rate 1e-5/h 1y", (1e-5, 8760.0)),
            ("rate 2.4e-3/d 100h", (1e-4, 100.0)),
            ("rate 0.876/yr 30d", (1e-4, 720.0)),
            ("rate 1E-6/hours 2years", (1e-6, 17520.0)),
        ] {
            assert!(close(rate(text), want), "{text}: {:?}", rate(text));
        }
        for bad in [
            "rate 1e-5/w 1y",
            "rate 1e-5 1week",
            "rate 1e-5/ 1y",
            "rate 1e-5/h1 1y",
            "rate -1/h 1y",
        ] {
            assert_eq!(parse_probability(bad), None, "{bad}");
        }
        // Shown back in hours, as the model keeps it.
        let p = parse_probability("rate 1e-5/h 1y").expect("reads");
        assert_eq!(parse_probability(&probability_text(&p)), Some(p));
    }
}
