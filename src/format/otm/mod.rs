//! The Open Threat Model format (OTM 0.2.0, JSON), the exchange format of IriusRisk and of
//! StartLeft (which derives OTM from Terraform, CloudFormation and diagrams).
//!
//! Export writes what OTM says natively (trust zones, components, data flows, threats with
//! their state on each element, mitigations, assets, diagram positions) and keeps the rest of
//! each element (flags, authentication, residual ratings, decisions, actors, fault trees) in
//! its `attributes.threatloom`, which other tools ignore and import reads back: a model
//! survives the round trip whole.
//!
//! Import reads any OTM. What OTM leaves open is said, not hidden: a component type that is
//! not one of ours is read as a process, data store or external entity by the words in it,
//! and each such reading is reported; trust ratings have no counterpart.

mod export;
mod import;

pub use export::export;
pub use import::{Imported, import, is_otm};

use crate::model::{ComponentKind, MitigationStatus, ThreatStatus};

pub const VERSION: &str = "0.2.0";

/// Where our own fields live in an element's `attributes`.
const OURS: &str = "threatloom";

/// The diagram every position refers to.
const DIAGRAM: &str = "diagram";

/// The trust zone of components outside every boundary: OTM requires a parent.
const OUTSIDE: &str = "outside-every-boundary";

/// Trust ratings, which threatloom does not keep: the outside is untrusted, every boundary
/// half trusted.
const OUTSIDE_TRUST: u32 = 0;
const BOUNDARY_TRUST: u32 = 50;

/// A 5-level scale as OTM's 0–100: the middle of each fifth, which reads back the same.
fn percent(index: usize) -> u32 {
    index as u32 * 20 + 10
}

fn level(percent: f64) -> usize {
    ((percent / 20.0).floor().max(0.0) as usize).min(4)
}

fn threat_state(s: ThreatStatus) -> &'static str {
    match s {
        ThreatStatus::Open => "exposed",
        ThreatStatus::InProgress => "partly-mitigated",
        ThreatStatus::Mitigated => "mitigated",
        ThreatStatus::Accepted => "accepted",
        ThreatStatus::Transferred => "transferred",
        ThreatStatus::Avoided => "avoided",
        ThreatStatus::NotApplicable => "not-applicable",
    }
}

fn mitigation_state(s: MitigationStatus) -> &'static str {
    match s {
        MitigationStatus::Planned => "required",
        MitigationStatus::InProgress => "in-progress",
        MitigationStatus::Implemented => "implemented",
    }
}

fn kind_type(k: ComponentKind) -> &'static str {
    match k {
        ComponentKind::Process => "process",
        ComponentKind::DataStore => "data-store",
        ComponentKind::ExternalEntity => "external-entity",
    }
}

#[cfg(test)]
mod tests {
    use super::import::kind_of_type;
    use super::*;

    #[test]
    fn scales_read_back_as_written() {
        for i in 0..5 {
            assert_eq!(level(f64::from(percent(i))), i);
        }
        assert_eq!((level(0.0), level(100.0), level(-3.0)), (0, 4, 0));
    }

    #[test]
    fn component_types_are_read_by_their_words() {
        assert_eq!(kind_of_type("rds"), ComponentKind::DataStore);
        assert_eq!(kind_of_type("CD-DynamoDB"), ComponentKind::DataStore);
        assert_eq!(kind_of_type("login-service"), ComponentKind::Process);
        assert_eq!(kind_of_type("aws-s3-bucket"), ComponentKind::DataStore);
        assert_eq!(
            kind_of_type("generic-client"),
            ComponentKind::ExternalEntity
        );
        assert_eq!(kind_of_type("web-service"), ComponentKind::Process);
    }
}
