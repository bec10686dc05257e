//! State and queries of the review screens: the threat table's sorting and filtering, the
//! matrix cursor, the actor list, the fault-tree outline. Pure functions of the model.

use super::jobs::{Shared, Stop};
use crate::analysis::fault_tree::Effort;
use crate::model::{Date, Decision, Id, Model, RiskLevel, Stride, Threat, ThreatStatus};

/// Columns of the threat table, in order; sorting works on any of them.
pub const COLUMNS: [&str; 12] = [
    "Risk", "Threat", "Targets", "STRIDE", "Actors", "L", "I", "Inherent", "Mitig.", "Residual",
    "Status", "Decision",
];

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ThreatsView {
    pub cursor: usize,
    /// Index into `COLUMNS`.
    pub sort: usize,
    pub ascending: bool,
    pub filter: String,
    /// A threat an edit made leave the filter, listed still until the cursor leaves it: the
    /// next key must not land on its neighbour.
    pub kept: Option<Id>,
    /// Threats marked to change together: an inline edit of the one under the cursor gives
    /// each of them the same new value.
    pub marked: Vec<Id>,
}

impl ThreatsView {
    /// Filters the table by `filter`, from its first row.
    pub fn set_filter(&mut self, filter: String) {
        self.filter = filter;
        self.cursor = 0;
        self.kept = None;
    }
}

fn names(model: &Model, ids: &[Id]) -> String {
    let v: Vec<String> = ids
        .iter()
        .map(|x| match model.actor(x.as_str()) {
            Some(a) => a.name.clone(),
            None => model.name_or_id(x.as_str()),
        })
        .collect();
    v.join(", ")
}

/// The text of a cell, as shown and as sorted (risk columns sort by level, not by text).
pub fn cell(model: &Model, t: &Threat, column: usize) -> String {
    let level = |l: RiskLevel| format!("{} {}", l.letter(), l.label());
    match column {
        0 => level(model.current_level(t)),
        1 => t.title.clone(),
        2 => names(model, &t.targets),
        3 => Stride::letters(&t.stride),
        4 => names(model, &t.actors),
        5 => t.likelihood.label().to_owned(),
        6 => t.impact.label().to_owned(),
        7 => level(model.inherent_level(t)),
        8 => t.mitigations.len().to_string(),
        9 => t.residual.map_or("—".into(), |r| {
            let l = model.risk_matrix().level(r);
            let pending = if model.residual_applies(t) {
                ""
            } else {
                " (pending)"
            };
            format!("{}{pending}", level(l))
        }),
        10 => t.status.label().to_owned(),
        _ => t
            .assessment
            .as_ref()
            .map_or("—".into(), |a| a.decision.label().to_owned()),
    }
}

/// A sort key that orders levels, scales and counts by meaning, text alphabetically.
fn key(model: &Model, t: &Threat, column: usize) -> (i64, String) {
    match column {
        0 => (model.current_level(t) as i64, String::new()),
        5 => (t.likelihood.index() as i64, String::new()),
        6 => (t.impact.index() as i64, String::new()),
        7 => (model.inherent_level(t) as i64, String::new()),
        8 => (t.mitigations.len() as i64, String::new()),
        9 => (
            t.residual
                .map_or(-1, |r| model.risk_matrix().level(r) as i64),
            String::new(),
        ),
        _ => (0, cell(model, t, column).to_lowercase()),
    }
}

/// Does the threat pass every token of the filter? Tokens: `status:`, `decision:` (`none`
/// for a threat not decided yet, `overdue` for one past its review date on `today`),
/// `stride:`, `actor:`, `target:`, `asset:`, `boundary:`, `risk:`, `mitigation:`
/// (`overdue`: one past its due date on `today`) (`FILTER_KEYS`) with a value, or plain
/// words matched against title, description, targets and actors.
pub fn matches(model: &Model, t: &Threat, filter: &str, today: Date) -> bool {
    filter.split_whitespace().all(|token| {
        let token = token.to_lowercase();
        let contains = |hay: &str| {
            hay.to_lowercase()
                .contains(token.split(':').nth(1).unwrap_or(&token))
        };
        match token.split_once(':') {
            Some(("status", _)) => contains(t.status.label()),
            Some(("decision", "overdue")) => t
                .assessment
                .as_ref()
                .is_some_and(|a| a.review_overdue(today)),
            Some(("decision", _)) => contains(decision(t)),
            Some(("stride", v)) => v
                .chars()
                .all(|c| Stride::letters(&t.stride).to_lowercase().contains(c)),
            // An actor's id names that actor alone (the Actors screen's `t` filters so);
            // other words match part of a name.
            Some(("actor", v))
                if model
                    .actors
                    .iter()
                    .any(|a| a.id.as_str().eq_ignore_ascii_case(v)) =>
            {
                t.actors.iter().any(|a| a.as_str().eq_ignore_ascii_case(v))
            }
            Some(("actor", _)) => contains(&names(model, &t.actors)),
            // So does an element's id (the diagram's `T` filters so).
            Some(("target", v)) if is_element(model, v) => {
                t.targets.iter().any(|x| x.as_str().eq_ignore_ascii_case(v))
            }
            Some(("target", _)) => contains(&names(model, &t.targets)),
            // An asset (by id, or part of its name) and where it is stored (the Assets
            // screen's `t` filters so).
            Some(("asset", v)) => model.assets.iter().any(|a| {
                let named = a.id.as_str().eq_ignore_ascii_case(v) || contains(&a.name);
                named && a.exposed_to(t)
            }),
            Some(("risk", _)) => contains(model.current_level(t).label()),
            Some(("mitigation", v)) => t
                .mitigations
                .iter()
                .filter_map(|m| model.mitigation(m.as_str()))
                .any(|m| {
                    if v == "overdue" {
                        m.overdue(today)
                    } else {
                        contains(&m.title) || contains(m.id.as_str()) || contains(&m.owner)
                    }
                }),
            Some(("boundary", _)) => t.targets.iter().any(|x| {
                let element = model.boundary_chain(x.as_str());
                let crossed = model
                    .flow(x.as_str())
                    .map(|f| model.boundaries_crossed(f))
                    .unwrap_or_default();
                element
                    .iter()
                    .chain(&crossed)
                    .any(|b| contains(&b.name) || contains(b.id.as_str()))
            }),
            _ => [
                t.title.as_str(),
                &t.description,
                &names(model, &t.targets),
                &names(model, &t.actors),
            ]
            .iter()
            .any(|h| h.to_lowercase().contains(&token)),
        }
    })
}

/// Whether `id` (in any case) is a component's, a flow's or an asset's: what a threat is
/// against.
fn is_element(model: &Model, id: &str) -> bool {
    let components = model.components.iter().map(|c| &c.id);
    let flows = model.flows.iter().map(|f| &f.id);
    let mut ids = components
        .chain(flows)
        .chain(model.assets.iter().map(|a| &a.id));
    ids.any(|x| x.as_str().eq_ignore_ascii_case(id))
}

/// A threat's decision as the filter names it: `none` before one is taken.
fn decision(t: &Threat) -> &'static str {
    t.assessment.as_ref().map_or("none", |a| a.decision.label())
}

/// The filter keys `matches` knows.
const FILTER_KEYS: [&str; 9] = [
    "status",
    "decision",
    "stride",
    "actor",
    "target",
    "asset",
    "boundary",
    "risk",
    "mitigation",
];

/// What the user should know about a filter that would hide threats without saying why: a
/// status, decision, risk level or STRIDE letter no threat can have, or a key `matches` does
/// not know (the token is then matched as a word).
pub fn filter_problem(filter: &str) -> Option<String> {
    filter.split_whitespace().find_map(|token| {
        let token = token.to_lowercase();
        let (key, value) = token.split_once(':')?;
        let known: Vec<String> = match key {
            "status" => ThreatStatus::ALL.map(|s| s.label().to_owned()).into(),
            "decision" => Decision::ALL
                .map(Decision::label)
                .into_iter()
                .chain(["none", "overdue"])
                .map(str::to_owned)
                .collect(),
            "risk" => RiskLevel::ALL.map(|r| r.label().to_lowercase()).into(),
            "stride" => {
                let letters = Stride::letters(&Stride::ALL).to_lowercase();
                return (!value.chars().all(|c| letters.contains(c)))
                    .then(|| format!("stride: takes letters of {}", letters.to_uppercase()));
            }
            _ if FILTER_KEYS.contains(&key) || !key.chars().all(char::is_alphabetic) => {
                return None;
            }
            _ => {
                return Some(format!("no key \"{key}:\" ({})", FILTER_KEYS.join(", ")));
            }
        };
        (!known.iter().any(|k| k.contains(value)))
            .then(|| format!("no {key} \"{value}\": {}", known.join(", ")))
    })
}

/// Indices of the threats shown, filtered (as of `today`) and sorted.
pub fn rows(model: &Model, v: &ThreatsView, today: Date) -> Vec<usize> {
    let mut rows: Vec<usize> = (0..model.threats.len())
        .filter(|&i| {
            v.kept.as_ref() == Some(&model.threats[i].id)
                || matches(model, &model.threats[i], &v.filter, today)
        })
        .collect();
    rows.sort_by(|&a, &b| {
        let (ka, kb) = (
            key(model, &model.threats[a], v.sort),
            key(model, &model.threats[b], v.sort),
        );
        let o = ka.cmp(&kb);
        // Levels read best highest first; the default (column 0, not ascending) does that.
        if v.ascending { o } else { o.reverse() }
    });
    rows
}

/// The fault-tree screen: which tree, the cursor in its outline, folded gates, and the
/// analysis of the current version of the model.
#[derive(Debug, Clone, Default)]
pub struct TreeView {
    pub tree: usize,
    pub cursor: usize,
    pub folded: std::collections::HashSet<Id>,
    pub analysis: Option<TreeAnalysis>,
    /// The analysis a worker is doing, for a heavy tree.
    pub pending: Option<Pending>,
    /// Where to export the tree's DOT once its analysis arrives, and the node to draw it
    /// from (`None`: its top).
    pub export_after: Option<(String, Option<Id>)>,
}

/// An analysis handed to a worker.
#[derive(Debug, Clone)]
pub struct Pending {
    /// The model version and tree analysed.
    pub generation: u64,
    pub tree: usize,
    /// Raised once another version is wanted.
    pub stop: Stop,
    /// Which phase the worker is in.
    pub progress: Shared<crate::analysis::fault_tree::Progress>,
    /// When it was queued, to show how long it has taken.
    pub since: std::time::Instant,
}

/// What the side panel shows, computed for one model version (`generation`) and tree.
#[derive(Debug, Clone)]
pub struct TreeAnalysis {
    pub generation: u64,
    pub tree: usize,
    pub probabilities: std::collections::HashMap<Id, f64>,
    pub report: Result<crate::analysis::fault_tree::Report, String>,
}

/// The most probable cut sets the editor lists (`c`); the side panel shows the first few.
pub const EDITOR_CUT_SETS: usize = 100;

/// Monte Carlo samples for the side panel's uncertainty (`analyze --monte-carlo` for more).
pub const EDITOR_SAMPLES: usize = 10_000;

/// BDD node visits the side panel's sampling may take, all samples together (a fraction of
/// a second): a tree whose BDD has more than 20 000 nodes gets fewer samples.
const EDITOR_SAMPLE_VISITS: usize = 200_000_000;

/// Above this many nodes a tree is analysed off the UI thread.
pub const SYNC_NODES: usize = 400;

/// Whether the model's fault trees are too large to analyse while the user waits for a key.
/// Trees may share gates, so all of them count.
pub fn heavy(model: &Model) -> bool {
    let size: usize = model
        .fault_trees
        .iter()
        .map(|t| t.gates.len() + t.events.len())
        .sum();
    size > SYNC_NODES
}

/// The largest BDD node budget the editor tries for one part of a tree: about 1.5 GB of
/// memory at most, where `threatloom analyze` goes on to about 6 GB. The editor shares the machine
/// with the rest of a workshop.
pub const EDITOR_MAX_NODES: usize = 25_600_000;

/// How far the editor's analyses go on the UI thread: at most `EDITOR_MAX_NODES`, which
/// trees light enough for it never come near.
pub fn effort() -> Effort {
    Effort {
        max_nodes: Some(EDITOR_MAX_NODES),
        ..Effort::default()
    }
}

/// How far a worker's analyses go: as `effort`, and no more than half the memory available
/// allows (asking the machine is left to the worker, off the UI thread); raising `stop` from
/// another thread gives up soon, and `progress`, if given, tells which phase it is in.
pub fn worker_effort(
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    progress: Option<std::sync::Arc<crate::analysis::fault_tree::Progress>>,
) -> Effort {
    let by_memory = crate::system::node_budget(0.5).unwrap_or(EDITOR_MAX_NODES);
    Effort {
        stop: Some(stop),
        max_nodes: Some(by_memory.min(EDITOR_MAX_NODES)),
        progress,
    }
}

/// The side panel's analysis of tree `tree`, as far as `effort` goes (a raised stop flag
/// gives up on it soon, and its report then says so).
pub fn analyse(model: &Model, tree: usize, generation: u64, effort: Effort) -> TreeAnalysis {
    use crate::analysis::fault_tree::{
        Compiled, GraphError, Options, Solution, approximate, known_probabilities, report,
    };
    let id = model
        .fault_trees
        .get(tree)
        .map(|t| t.id.to_string())
        .unwrap_or_default();
    let uncertain = model
        .fault_trees
        .get(tree)
        .is_some_and(|t| t.events.iter().any(|e| e.uncertainty.is_some()));
    let mut opts = Options {
        max_sets: EDITOR_CUT_SETS,
        effort,
        ..Options::default()
    };
    // One compilation gives both the outline's probabilities and the report.
    let start = std::time::Instant::now();
    let (probabilities, report) = match Compiled::with_nodes(model, &id, &opts.effort) {
        Ok((compiled, probabilities)) => {
            // Events given distributions get the top event's spread too, from a seeded
            // sample (the same on every edit that changes nothing) that each sample's pass
            // over the BDD keeps quick: none for a BDD too large for a thousand.
            let nodes = compiled.solved.top_order.len().max(1);
            let samples = EDITOR_SAMPLES.min(EDITOR_SAMPLE_VISITS / nodes);
            opts.monte_carlo = (uncertain && samples >= 1_000).then_some((samples, 1));
            let r = report(model, &id, &compiled, start, &opts).map_err(|e| e.to_string());
            (probabilities, r)
        }
        Err(why @ GraphError::TooLarge(_)) => {
            let hint = "; `threatloom analyze` tries larger ones";
            // A coherent tree still gets its cut sets of low order, without a BDD.
            let report = match approximate(model, &id, &opts, start, why) {
                Ok(mut r) => {
                    if let Solution::Truncated(t) = &mut r.solution {
                        t.reason.push_str(hint);
                    }
                    Ok(r)
                }
                Err(e) => Err(format!("{e}{hint}")),
            };
            // The outline still shows what is known without solving the whole tree.
            let known = known_probabilities(model, &id, &opts.effort).unwrap_or_default();
            (known, report)
        }
        Err(e) => (Default::default(), Err(e.to_string())),
    };
    TreeAnalysis {
        generation,
        tree,
        probabilities,
        report,
    }
}

/// One line of the fault-tree outline.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineRow {
    pub depth: usize,
    pub id: Id,
    /// Used by more than one gate.
    pub shared: bool,
    pub folded: bool,
    /// A gate already shown above with its inputs, which are not shown again.
    pub repeat: bool,
}

/// The rows of the gates above row `i` of an outline, nearest first.
pub fn ancestors(rows: &[OutlineRow], i: usize) -> impl Iterator<Item = &OutlineRow> {
    let mut depth = rows.get(i).map_or(0, |r| r.depth);
    rows[..i.min(rows.len())].iter().rev().filter(move |r| {
        let above = r.depth < depth;
        if above {
            depth = r.depth;
        }
        above
    })
}

/// The tree from its top, depth first, folded gates closed. A shared gate's inputs are shown
/// under its first occurrence only, as a transfer does on paper: a tree that reuses
/// sub-trees at every level would otherwise unfold into exponentially many lines.
pub fn outline(
    model: &Model,
    tree: usize,
    folded: &std::collections::HashSet<Id>,
) -> Vec<OutlineRow> {
    let Some(t) = model.fault_trees.get(tree) else {
        return Vec::new();
    };
    let gates: std::collections::HashMap<&Id, &crate::model::Gate> = model
        .fault_trees
        .iter()
        .flat_map(|t| &t.gates)
        .map(|g| (&g.id, g))
        .collect();
    let mut parents: std::collections::HashMap<&Id, usize> = std::collections::HashMap::new();
    for g in gates.values() {
        for i in &g.inputs {
            *parents.entry(i).or_default() += 1;
        }
    }
    let mut rows = Vec::new();
    let mut stack = vec![(0usize, &t.top)];
    // Gates shown so far; this also stops a cycle, which validation names.
    let mut shown = std::collections::HashSet::new();
    while let Some((depth, id)) = stack.pop() {
        let gate = gates.get(id);
        let repeat = gate.is_some() && !shown.insert(id);
        let is_folded = folded.contains(id);
        rows.push(OutlineRow {
            depth,
            id: id.clone(),
            shared: parents.get(id).copied().unwrap_or(0) > 1,
            folded: is_folded,
            repeat,
        });
        if let Some(g) = gate
            && !is_folded
            && !repeat
        {
            for i in g.inputs.iter().rev() {
                stack.push((depth + 1, i));
            }
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ancestors_are_the_gates_above_a_row_nearest_first() {
        let row = |depth, id: &str| OutlineRow {
            depth,
            id: Id::new(id),
            shared: false,
            folded: false,
            repeat: false,
        };
        // top ─ a ─ b, then c under top, d under c.
        let rows = [
            row(0, "top"),
            row(1, "a"),
            row(2, "b"),
            row(1, "c"),
            row(2, "d"),
        ];
        let ids = |i| -> Vec<&str> { ancestors(&rows, i).map(|r| r.id.as_str()).collect() };
        assert_eq!(ids(4), ["c", "top"]);
        assert_eq!(ids(2), ["a", "top"]);
        assert_eq!(ids(3), ["top"]);
        assert!(ids(0).is_empty());
    }
}
