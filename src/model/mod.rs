//! The threat model: elements, boundaries, flows, assets, actors, threats, mitigations and fault
//! trees. Pure data and queries: no IO, no terminal.

mod date;
mod edit;
mod element;
mod fault_tree;
mod id;
pub mod layout;
pub mod merge;
pub mod ops;
mod risk;
mod serde_util;
mod threat;
pub mod tree_ops;
mod validate;
pub(crate) mod values;

pub use date::Date;
pub use edit::{Edit, EditError, History};
pub use element::{
    Area, Authentication, Boundary, BoundaryKind, Checklist, Classification, Component,
    ComponentKind, Flow, Point, Privilege,
};
pub use fault_tree::{
    BasicEvent, Distribution, FaultTree, Gate, GateKind, HouseEvent, Probability, TreeNode,
    own_label, readable,
};
pub use id::Id;
pub use risk::{Calibration, Impact, Likelihood, Rating, RiskLevel, RiskMatrix};
pub use threat::{
    Actor, ActorKind, Assessment, Asset, Decision, Dismissal, Level, Mitigation, MitigationStatus,
    Stride, Threat, ThreatStatus,
};
pub use validate::{Problem, Site};

use serde::{Deserialize, Serialize};
use serde_util::is_default;
use std::sync::LazyLock;

/// The file format version this build writes.
pub const FORMAT_VERSION: u32 = 1;

static DEFAULT_MATRIX: LazyLock<RiskMatrix> = LazyLock::new(RiskMatrix::default);

/// A whole threat model, as stored in one file. Element order is the user's and is preserved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    pub format: u32,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<Component>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub boundaries: Vec<Boundary>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flows: Vec<Flow>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assets: Vec<Asset>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actors: Vec<Actor>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub threats: Vec<Threat>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mitigations: Vec<Mitigation>,
    /// Replaces the default matrix for this model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk_matrix: Option<RiskMatrix>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub calibration: Calibration,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fault_trees: Vec<FaultTree>,
    /// Suggested threats the reviewers dismissed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dismissed: Vec<Dismissal>,
}

impl Default for Model {
    fn default() -> Self {
        Model::new("Untitled model")
    }
}

impl Model {
    pub fn new(name: &str) -> Self {
        Model {
            format: FORMAT_VERSION,
            name: name.to_owned(),
            description: String::new(),
            components: Vec::new(),
            boundaries: Vec::new(),
            flows: Vec::new(),
            assets: Vec::new(),
            actors: Vec::new(),
            threats: Vec::new(),
            mitigations: Vec::new(),
            risk_matrix: None,
            calibration: Calibration::default(),
            fault_trees: Vec::new(),
            dismissed: Vec::new(),
        }
    }

    pub fn component(&self, id: &str) -> Option<&Component> {
        self.components.iter().find(|c| c.id.as_str() == id)
    }

    pub fn boundary(&self, id: &str) -> Option<&Boundary> {
        self.boundaries.iter().find(|b| b.id.as_str() == id)
    }

    pub fn flow(&self, id: &str) -> Option<&Flow> {
        self.flows.iter().find(|f| f.id.as_str() == id)
    }

    pub fn actor(&self, id: &str) -> Option<&Actor> {
        self.actors.iter().find(|a| a.id.as_str() == id)
    }

    /// The threats that name actor `id`, in the model's order.
    pub fn asset(&self, id: &str) -> Option<&Asset> {
        self.assets.iter().find(|a| a.id.as_str() == id)
    }

    /// The threats that target element `id` (a component, flow or asset) itself.
    pub fn threats_against(&self, id: &Id) -> Vec<&Threat> {
        self.threats
            .iter()
            .filter(|t| t.targets.contains(id))
            .collect()
    }

    /// The threats against where asset `id` is stored, and not against it itself: how it is
    /// exposed through its components.
    pub fn threats_through_stores(&self, id: &Id) -> Vec<&Threat> {
        let Some(a) = self.asset(id.as_str()) else {
            return Vec::new();
        };
        self.threats
            .iter()
            .filter(|t| a.exposed_to(t) && !t.targets.contains(id))
            .collect()
    }

    pub fn threats_of_actor(&self, id: &Id) -> Vec<&Threat> {
        self.threats
            .iter()
            .filter(|t| t.actors.contains(id))
            .collect()
    }

    pub fn mitigation(&self, id: &str) -> Option<&Mitigation> {
        self.mitigations.iter().find(|m| m.id.as_str() == id)
    }

    pub fn threat(&self, id: &str) -> Option<&Threat> {
        self.threats.iter().find(|t| t.id.as_str() == id)
    }

    /// The index of the fault tree that defines node `id`.
    pub fn tree_defining(&self, id: &Id) -> Option<usize> {
        self.fault_trees.iter().position(|t| t.defines(id))
    }

    /// The basic events that stand for threat `id`, each with the index of its fault tree.
    pub fn events_for_threat<'m>(
        &'m self,
        id: &'m Id,
    ) -> impl Iterator<Item = (usize, &'m BasicEvent)> + 'm {
        self.fault_trees.iter().enumerate().flat_map(move |(i, t)| {
            t.events
                .iter()
                .filter(move |e| matches!(&e.probability, Probability::Threat(x) if x == id))
                .map(move |e| (i, e))
        })
    }

    /// The display name of whatever element, flow or asset an id names.
    pub fn name_of(&self, id: &str) -> Option<&str> {
        self.component(id)
            .map(|c| c.name.as_str())
            .or_else(|| self.flow(id).map(|f| f.label.as_str()))
            .or_else(|| {
                self.assets
                    .iter()
                    .find(|a| a.id.as_str() == id)
                    .map(|a| a.name.as_str())
            })
            .or_else(|| self.boundary(id).map(|b| b.name.as_str()))
    }

    /// What a list calls element `id`: its name, title or label, else the id. A flow whose
    /// label another flow shares is told by its ends too: "Sign in (Customer (browser) →
    /// Identity service)", not "Sign in" twice.
    pub fn name_or_id(&self, id: &str) -> String {
        if let Some(f) = self.flow(id)
            && self
                .flows
                .iter()
                .any(|g| g.id != f.id && g.label == f.label)
        {
            let (from, to) = (
                self.name_of(f.source.as_str()),
                self.name_of(f.target.as_str()),
            );
            return format!(
                "{} ({} → {})",
                f.label,
                from.unwrap_or(f.source.as_str()),
                to.unwrap_or(f.target.as_str())
            );
        }
        self.name_of(id).unwrap_or(id).to_owned()
    }

    pub fn risk_matrix(&self) -> &RiskMatrix {
        self.risk_matrix.as_ref().unwrap_or(&DEFAULT_MATRIX)
    }

    /// True when the threat's residual rating is in force: it has one and every mitigation
    /// it lists is implemented. A residual rating cannot be claimed for controls not yet built.
    pub fn residual_applies(&self, threat: &Threat) -> bool {
        threat.residual.is_some()
            && threat.mitigations.iter().all(|m| {
                self.mitigation(m.as_str())
                    .is_some_and(|m| m.status == MitigationStatus::Implemented)
            })
    }

    /// Why a threat marked mitigated is not at its residual rating: `Some(empty)` when no
    /// residual rating is recorded, else the mitigations it waits for, each with its status
    /// (`None`: a mitigation the model lacks). `None` when it is at its residual rating, or
    /// not marked mitigated: the status then says nothing the ratings deny.
    pub fn mitigated_on_paper<'m>(
        &'m self,
        threat: &'m Threat,
    ) -> Option<Vec<(&'m str, Option<MitigationStatus>)>> {
        if threat.status != ThreatStatus::Mitigated || self.residual_applies(threat) {
            return None;
        }
        if threat.residual.is_none() {
            return Some(Vec::new());
        }
        Some(
            threat
                .mitigations
                .iter()
                .filter_map(|id| match self.mitigation(id.as_str()) {
                    Some(m) if m.status == MitigationStatus::Implemented => None,
                    Some(m) => Some((m.title.as_str(), Some(m.status))),
                    None => Some((id.as_str(), None)),
                })
                .collect(),
        )
    }

    /// The rating in force now: residual once its mitigations are implemented, else inherent.
    pub fn current_rating(&self, threat: &Threat) -> Rating {
        match threat.residual {
            Some(r) if self.residual_applies(threat) => r,
            _ => threat.inherent(),
        }
    }

    /// Where the risk matrix puts a threat: at its inherent rating, or (`current`) at the
    /// rating in force now. `None` when that view leaves it out: a threat that does not apply
    /// is on neither; one avoided or transferred is off the current view, its risk no longer
    /// ours, while a mitigated one stays there at its residual rating, the risk that remains.
    pub fn matrix_rating(&self, threat: &Threat, current: bool) -> Option<Rating> {
        match threat.status {
            ThreatStatus::NotApplicable => None,
            ThreatStatus::Avoided | ThreatStatus::Transferred if current => None,
            _ if current => Some(self.current_rating(threat)),
            _ => Some(threat.inherent()),
        }
    }

    pub fn inherent_level(&self, threat: &Threat) -> RiskLevel {
        self.risk_matrix().level(threat.inherent())
    }

    pub fn current_level(&self, threat: &Threat) -> RiskLevel {
        self.risk_matrix().level(self.current_rating(threat))
    }

    /// The innermost boundary that lists the component as a member.
    pub fn boundary_of(&self, component: &str) -> Option<&Boundary> {
        self.boundaries
            .iter()
            .find(|b| b.members.iter().any(|m| m.as_str() == component))
    }

    /// The boundaries enclosing a component, innermost first. Stops at a parent cycle, which
    /// validation reports separately.
    pub fn boundary_chain(&self, component: &str) -> Vec<&Boundary> {
        let mut chain: Vec<&Boundary> = Vec::new();
        let mut next = self.boundary_of(component);
        while let Some(b) = next {
            if chain.iter().any(|c| c.id == b.id) {
                break;
            }
            chain.push(b);
            next = b.parent.as_deref().and_then(|p| self.boundary(p));
        }
        chain
    }

    /// The boundaries a flow crosses: those enclosing exactly one of its two ends.
    pub fn boundaries_crossed(&self, flow: &Flow) -> Vec<&Boundary> {
        let from = self.boundary_chain(flow.source.as_str());
        let to = self.boundary_chain(flow.target.as_str());
        fn only_in<'a>(a: &[&'a Boundary], b: &[&'a Boundary]) -> Vec<&'a Boundary> {
            a.iter()
                .filter(|x| !b.iter().any(|y| y.id == x.id))
                .copied()
                .collect()
        }
        let mut crossed = only_in(&from, &to);
        crossed.extend(only_in(&to, &from));
        crossed
    }

    pub fn crosses_boundary(&self, flow: &Flow) -> bool {
        self.boundary_of(flow.source.as_str()).map(|b| &b.id)
            != self.boundary_of(flow.target.as_str()).map(|b| &b.id)
    }

    /// Threats ordered by current risk, then inherent risk, highest first; file order breaks
    /// ties.
    pub fn by_risk(&self) -> Vec<&Threat> {
        let mut threats: Vec<&Threat> = self.threats.iter().collect();
        threats.sort_by_key(|t| {
            let cur = self.current_rating(t);
            std::cmp::Reverse((
                self.current_level(t),
                cur.impact,
                cur.likelihood,
                self.inherent_level(t),
            ))
        });
        threats
    }

    /// The mitigations not yet implemented that are past their due date on `today`, in model
    /// order.
    pub fn overdue_mitigations(&self, today: Date) -> impl Iterator<Item = &Mitigation> {
        self.mitigations.iter().filter(move |m| m.overdue(today))
    }

    /// The threats whose decision is past its review date on `today`, the riskiest first.
    pub fn decisions_past_review(&self, today: Date) -> Vec<&Threat> {
        self.by_risk()
            .into_iter()
            .filter(|t| {
                t.assessment
                    .as_ref()
                    .is_some_and(|a| a.review_overdue(today))
            })
            .collect()
    }

    /// The components in scope whose checklists have questions unanswered, with how many, in
    /// model order.
    pub fn open_checklists(&self) -> impl Iterator<Item = (&Component, usize)> {
        self.components
            .iter()
            .filter(|c| c.out_of_scope.is_none())
            .map(|c| (c, c.checklist.unanswered()))
            .filter(|(_, n)| *n > 0)
    }

    /// The flows crossing a trust boundary that no reviewer has walked yet, in model order.
    pub fn unreviewed_crossings(&self) -> impl Iterator<Item = &Flow> {
        self.flows
            .iter()
            .filter(|f| !f.reviewed() && self.crosses_boundary(f))
    }

    /// Validates references and values; returns every problem found, in file order.
    pub fn validate(&self) -> Vec<Problem> {
        validate::validate(self)
    }

    pub fn fault_tree(&self, id: &str) -> Option<&FaultTree> {
        self.fault_trees.iter().find(|t| t.id.as_str() == id)
    }

    /// Every node of every fault tree by id: one pass, for whoever looks up many nodes (a
    /// view drawing an outline, a list of thousands of nodes).
    pub fn fault_tree_nodes(&self) -> std::collections::HashMap<&Id, TreeNode<'_>> {
        let mut nodes = std::collections::HashMap::new();
        for t in &self.fault_trees {
            nodes.extend(t.gates.iter().map(|g| (&g.id, TreeNode::Gate(g))));
            nodes.extend(t.events.iter().map(|e| (&e.id, TreeNode::Event(e))));
            nodes.extend(t.house_events.iter().map(|h| (&h.id, TreeNode::House(h))));
        }
        nodes
    }

    /// The label of fault-tree node `id` (a gate, basic or house event of any tree), where it
    /// says more than the id.
    pub fn fault_tree_label(&self, id: &Id) -> Option<&str> {
        self.fault_tree_node(id)
            .and_then(|n| fault_tree::own_label(n.label(), id))
    }

    /// Fault-tree node `id`, in whichever tree defines it (for one lookup; many take
    /// `fault_tree_nodes`).
    pub fn fault_tree_node(&self, id: &Id) -> Option<TreeNode<'_>> {
        self.fault_trees.iter().find_map(|t| t.node(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested() -> Model {
        let mut m = Model::new("t");
        for id in ["user", "api", "db", "fn"] {
            m.components
                .push(Component::new(id, id, ComponentKind::Process));
        }
        m.boundaries.push(Boundary {
            id: "cloud".into(),
            name: "Cloud".into(),
            kind: BoundaryKind::CloudAccount,
            description: String::new(),
            parent: None,
            members: vec!["api".into()],
            area: Area::default(),
        });
        m.boundaries.push(Boundary {
            id: "vpc".into(),
            name: "VPC".into(),
            kind: BoundaryKind::Vpc,
            description: String::new(),
            parent: Some("cloud".into()),
            members: vec!["db".into(), "fn".into()],
            area: Area::default(),
        });
        m
    }

    #[test]
    fn a_flow_sharing_its_label_is_named_with_its_ends() {
        let mut m = nested();
        m.flows.push(Flow::new("a", "user", "api", "Sign in"));
        m.flows.push(Flow::new("b", "fn", "api", "Sign in"));
        m.flows.push(Flow::new("c", "api", "db", "Query"));
        let names: Vec<String> = ["a", "b", "c", "api", "nothing"]
            .iter()
            .map(|id| m.name_or_id(id))
            .collect();
        assert_eq!(
            names,
            [
                "Sign in (user → api)",
                "Sign in (fn → api)",
                "Query",
                "api",
                "nothing"
            ]
        );
    }

    fn ids(bs: Vec<&Boundary>) -> Vec<&str> {
        bs.into_iter().map(|b| b.id.as_str()).collect()
    }

    #[test]
    fn flow_from_outside_into_nested_boundary_crosses_both() {
        let m = nested();
        let f = Flow::new("f", "user", "db", "x");
        assert_eq!(ids(m.boundaries_crossed(&f)), ["vpc", "cloud"]);
        assert!(m.crosses_boundary(&f));
    }

    #[test]
    fn flow_inside_one_boundary_crosses_nothing() {
        let m = nested();
        let f = Flow::new("f", "fn", "db", "x");
        assert!(m.boundaries_crossed(&f).is_empty());
        assert!(!m.crosses_boundary(&f));
    }

    #[test]
    fn flow_from_parent_into_child_crosses_only_the_child() {
        let m = nested();
        let f = Flow::new("f", "api", "db", "x");
        assert_eq!(ids(m.boundaries_crossed(&f)), ["vpc"]);
    }

    fn mfa(status: MitigationStatus) -> Mitigation {
        Mitigation {
            id: "mfa".into(),
            title: "MFA".into(),
            description: String::new(),
            status,
            owner: String::new(),
            due: String::new(),
        }
    }

    #[test]
    fn residual_applies_only_once_mitigations_are_implemented() {
        let mut m = Model::new("t");
        m.mitigations.push(mfa(MitigationStatus::Planned));
        let mut t = Threat::new("t", "hijack", Likelihood::Probable, Impact::Catastrophic);
        t.residual = Some(Rating::new(Likelihood::Probable, Impact::Minor));
        t.mitigations.push("mfa".into());
        assert_eq!(m.current_level(&t), RiskLevel::Critical);
        m.mitigations[0].status = MitigationStatus::Implemented;
        assert_eq!(m.current_level(&t), RiskLevel::Medium);
        assert_eq!(m.inherent_level(&t), RiskLevel::Critical);
    }

    #[test]
    fn the_matrix_shows_mitigated_threats_at_their_residual_rating() {
        let mut m = Model::new("t");
        m.mitigations.push(mfa(MitigationStatus::Implemented));
        let inherent = Rating::new(Likelihood::Probable, Impact::Catastrophic);
        let residual = Rating::new(Likelihood::Unlikely, Impact::Minor);
        let mut t = Threat::new("t", "hijack", inherent.likelihood, inherent.impact);
        t.residual = Some(residual);
        t.mitigations.push("mfa".into());
        let on_matrix = |t: &Threat| (m.matrix_rating(t, false), m.matrix_rating(t, true));
        for status in [
            ThreatStatus::Open,
            ThreatStatus::InProgress,
            ThreatStatus::Mitigated,
            ThreatStatus::Accepted,
        ] {
            t.status = status;
            assert_eq!(
                on_matrix(&t),
                (Some(inherent), Some(residual)),
                "{status:?}"
            );
        }
        for status in [ThreatStatus::Avoided, ThreatStatus::Transferred] {
            t.status = status;
            assert_eq!(on_matrix(&t), (Some(inherent), None), "{status:?}");
        }
        t.status = ThreatStatus::NotApplicable;
        assert_eq!(on_matrix(&t), (None, None));
    }
}
