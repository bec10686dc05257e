//! What implementing one mitigation would lower on its own: the current risk level of the
//! threats it completes (a threat's residual rating counts once every mitigation it lists is
//! implemented), and the top events of the fault trees whose events stand for those threats.
//! The reviewer's question "which planned control buys the most?".

use super::fault_tree::graph::{FaultTreeGraph, Node};
use super::fault_tree::{Compiled, Effort};
use crate::model::{FaultTree, Id, MitigationStatus, Model, RiskLevel};
use std::collections::HashMap;

/// What one mitigation, not implemented yet, would lower once implemented alone.
#[derive(Debug, Clone, PartialEq)]
pub struct Gain {
    pub mitigation: Id,
    /// Threats whose current risk level would fall: the threat, its level now and then.
    pub levels: Vec<(Id, RiskLevel, RiskLevel)>,
    /// Threats it is listed on whose rating would not move, each with the titles of the
    /// other mitigations it still waits for (none: it has no residual rating).
    pub waiting: Vec<(Id, Vec<String>)>,
    /// Top events that would become less probable: the tree, its probability now and then.
    pub tops: Vec<(Id, f64, f64)>,
}

impl Gain {
    /// Risk levels it would lower, counted in steps (High to Low is two).
    pub fn steps(&self) -> usize {
        self.levels
            .iter()
            .map(|(_, now, then)| (*now as usize).saturating_sub(*then as usize))
            .sum()
    }

    /// The largest fall of a top event, as a share of its probability now.
    pub fn top_fall(&self) -> f64 {
        self.tops
            .iter()
            .map(|(_, now, then)| if *now > 0.0 { 1.0 - then / now } else { 0.0 })
            .fold(0.0, f64::max)
    }

    /// Whether implementing it alone lowers anything.
    pub fn lowers(&self) -> bool {
        !self.levels.is_empty() || !self.tops.is_empty()
    }

    /// The threats whose level falls, in words: "Title: High → Low".
    pub fn lowered(&self, model: &Model) -> Vec<String> {
        self.levels
            .iter()
            .map(|(t, now, then)| format!("{}: {now} → {then}", title(model, t)))
            .collect()
    }

    /// The top events that fall, in words: "Tree: 1.900e-1 → 1.009e-1 (−46.9 %)".
    pub fn falls(&self, model: &Model) -> Vec<String> {
        self.tops
            .iter()
            .map(|(tree, now, then)| {
                let name = model
                    .fault_tree(tree.as_str())
                    .map_or(tree.as_str(), |t| &t.name);
                format!(
                    "{name}: {now:.3e} → {then:.3e} (−{:.1} %)",
                    100.0 * (1.0 - then / now)
                )
            })
            .collect()
    }

    /// The threats still waiting, in words: "Title (also needs Other)".
    pub fn waits(&self, model: &Model) -> Vec<String> {
        self.waiting
            .iter()
            .map(|(t, others)| {
                if others.is_empty() {
                    format!("{} (no residual rating)", title(model, t))
                } else {
                    format!("{} (also needs {})", title(model, t), others.join(", "))
                }
            })
            .collect()
    }
}

/// A threat's title, or its id if the model lacks it.
fn title<'m>(model: &'m Model, id: &'m Id) -> &'m str {
    model.threat(id.as_str()).map_or(id.as_str(), |t| &t.title)
}

/// Every mitigation not implemented yet, those that lower most first (risk-level steps, then
/// the largest relative fall of a top event; ties in the model's order). Top events are
/// solved within `effort`, and only for trees with an event standing for a threat whose
/// rating would change; a tree that cannot be solved is left out of `tops`.
pub fn gains(model: &Model, effort: &Effort) -> Vec<Gain> {
    let mut now_tops: HashMap<Id, Option<f64>> = HashMap::new();
    let before: Vec<Option<Vec<Node>>> =
        model.fault_trees.iter().map(|t| events(model, t)).collect();
    let mut out: Vec<Gain> = model
        .mitigations
        .iter()
        .filter(|m| m.status != MitigationStatus::Implemented)
        .map(|m| {
            let mut then = model.clone();
            if let Some(x) = then.mitigations.iter_mut().find(|x| x.id == m.id) {
                x.status = MitigationStatus::Implemented;
            }
            let mut gain = Gain {
                mitigation: m.id.clone(),
                levels: Vec::new(),
                waiting: Vec::new(),
                tops: Vec::new(),
            };
            let mut moved = Vec::new();
            for (t, after) in model.threats.iter().zip(&then.threats) {
                if !t.mitigations.contains(&m.id) {
                    continue;
                }
                let (a, b) = (model.current_level(t), then.current_level(after));
                if b < a {
                    gain.levels.push((t.id.clone(), a, b));
                }
                if model.current_rating(t) != then.current_rating(after) {
                    moved.push(&t.id);
                    continue;
                }
                let others: Vec<String> = after
                    .mitigations
                    .iter()
                    .filter_map(|id| then.mitigation(id.as_str()))
                    .filter(|x| x.status != MitigationStatus::Implemented)
                    .map(|x| x.title.clone())
                    .collect();
                // Without a residual rating it has nothing to move to; with one, and nothing
                // left to wait for, its residual rating is its inherent one.
                if t.residual.is_none() || !others.is_empty() {
                    gain.waiting.push((t.id.clone(), others));
                }
            }
            if moved.is_empty() {
                return gain;
            }
            for (tree, was) in model.fault_trees.iter().zip(&before) {
                // A tree whose events all keep their probability keeps its top event: only
                // the others are solved.
                if was.is_none() || *was == events(&then, tree) {
                    continue;
                }
                let now = *now_tops
                    .entry(tree.id.clone())
                    .or_insert_with(|| top(model, tree, effort));
                if let (Some(now), Some(then)) = (now, top(&then, tree, effort))
                    && then < now
                {
                    gain.tops.push((tree.id.clone(), now, then));
                }
            }
            gain
        })
        .collect();
    // Stable: ties keep the model's order.
    out.sort_by(|a, b| {
        b.steps()
            .cmp(&a.steps())
            .then(b.top_fall().total_cmp(&a.top_fall()))
    });
    out
}

/// The nodes under a tree's top event with their probabilities; `None` for a tree that
/// cannot be drawn as a graph (a cycle, an undefined input).
fn events(model: &Model, tree: &FaultTree) -> Option<Vec<Node>> {
    let g = FaultTreeGraph::build_from(model, tree.top.as_str()).ok()?;
    Some(g.graph.node_weights().cloned().collect())
}

fn top(model: &Model, tree: &FaultTree, effort: &Effort) -> Option<f64> {
    Compiled::node(model, tree.top.as_str(), effort)
        .ok()
        .map(|c| c.probability())
}
