//! The property form: every editable field of the selected component, flow or boundary, and
//! how a change to one becomes an `Edit`.

use crate::model::{
    Authentication, BoundaryKind, Classification, ComponentKind, Edit, Id, Model, Privilege,
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
    let i = all.iter().position(|y| *y == x).unwrap_or(0);
    all[(i + 1) % all.len()]
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
        let name = |x: &Id| model.name_of(x.as_str()).unwrap_or(x.as_str()).to_owned();
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
        ];
    }
    if let Some(b) = model.boundary(id.as_str()) {
        return vec![
            ("name", Text(b.name.clone())),
            ("kind", Choice(b.kind.label().into())),
            ("description", Text(b.description.clone())),
        ];
    }
    Vec::new()
}

fn text(change: &Change) -> Option<String> {
    match change {
        Change::Text(t) => Some(t.clone()),
        Change::Cycle => None,
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
    None
}
