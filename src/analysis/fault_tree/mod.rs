//! The fault-tree engine: a petgraph DAG, normalised, split into modules, compiled to BDDs;
//! exact probability, approximations, minimal cut sets, importance and uncertainty.

pub mod bdd;
pub mod bound;
pub mod circuit;
pub mod direct;
pub mod graph;
pub mod importance;
pub mod modules;
pub mod order;
pub mod partial;
pub mod progress;
pub mod solve;
pub mod table;
pub mod uncertainty;
pub mod zbdd;

pub use graph::{FaultTreeGraph, GraphError, Node};
pub use importance::Measures;
pub use progress::{Phase, Progress};
pub use uncertainty::Uncertainty;

use crate::model::{Distribution, Id, Model};
use bound::Bound;
use circuit::Circuit;
use petgraph::graph::NodeIndex;
use rustc_hash::FxHashMap;
pub use solve::{Effort, MAX_NODES, max_nodes_within};
use solve::{Solved, Source};
use std::collections::HashMap;
use std::time::{Duration, Instant};
use zbdd::{Reading, Sets, Zbdd};

#[derive(Debug, Clone)]
pub struct Options {
    /// Largest cut-set order kept (`None`: no limit).
    pub max_order: Option<u32>,
    /// Cut sets less probable than this are not listed (they are still counted).
    pub cutoff: f64,
    /// How many of the most probable cut sets to list.
    pub max_sets: usize,
    /// Monte Carlo samples and seed, when uncertainty is wanted.
    pub monte_carlo: Option<(usize, u64)>,
    /// How far the BDDs may go, and the flag that stops the analysis (also the cut sets of a
    /// tree too large to solve).
    pub effort: Effort,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_order: None,
            cutoff: 0.0,
            max_sets: 20,
            monte_carlo: None,
            effort: Effort::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CutSet {
    pub events: Vec<Id>,
    pub probability: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CutSets {
    /// The number of minimal cut sets (within the order limit), counted, not enumerated.
    pub count: u128,
    /// `by_order[k]`: how many have k events.
    pub by_order: Vec<u128>,
    /// The most probable ones, most probable first.
    pub sets: Vec<CutSet>,
}

impl CutSets {
    pub fn max_order(&self) -> usize {
        self.by_order.iter().rposition(|&c| c > 0).unwrap_or(0)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct EventImportance {
    pub event: Id,
    pub measures: Measures,
}

#[derive(Debug, Clone)]
pub struct Report {
    pub tree: Id,
    pub top: Id,
    pub solution: Solution,
    /// Rare-event approximation: the sum of the cut sets' probabilities.
    pub rare_event: f64,
    /// Min-cut upper bound: 1 − Π(1 − P(cut set)).
    pub mcub: f64,
    pub cut_sets: CutSets,
    /// Most important first (by Fussell-Vesely); from the cut sets when the solution is
    /// truncated (see `Solution`).
    pub importance: Vec<EventImportance>,
    pub uncertainty: Option<Uncertainty>,
    pub elapsed: Duration,
    pub timings: Timings,
}

impl Report {
    /// The exact top-event probability, if the tree was solved.
    pub fn probability(&self) -> Option<f64> {
        match self.solution {
            Solution::Exact(p) => Some(p),
            Solution::Truncated(_) => None,
        }
    }
}

/// What a report's figures rest on.
#[derive(Debug, Clone, PartialEq)]
pub enum Solution {
    /// The tree was solved: its exact top-event probability.
    Exact(f64),
    /// The tree is too large to solve exactly: cut sets and approximations come from its
    /// minimal cut sets of low order, and so do importance and uncertainty (those of the
    /// min-cut upper bound, as cut-set tools compute them).
    Truncated(Truncation),
}

/// Why a report holds approximations only, and what they rest on.
#[derive(Debug, Clone, PartialEq)]
pub struct Truncation {
    /// Why there is no exact solution.
    pub reason: String,
    /// No cut set counted or listed has more events.
    pub max_order: u32,
    /// Whether the order limit dropped nothing: the cut sets are then all of them, and the
    /// approximations those of the whole tree.
    pub complete: bool,
}

/// Time spent in each phase of an analysis.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    pub compile: Duration,
    pub cut_sets: Duration,
    pub importance: Duration,
    pub uncertainty: Duration,
}

impl From<solve::Unsolved> for GraphError {
    fn from(u: solve::Unsolved) -> Self {
        match u {
            solve::Unsolved::TooLarge(nodes) => GraphError::TooLarge(nodes),
            solve::Unsolved::Stopped => GraphError::Stopped,
        }
    }
}

/// A tree compiled once, ready for every analysis.
pub struct Compiled {
    pub circuit: Circuit,
    pub solved: Solved,
}

impl Compiled {
    pub fn new(model: &Model, tree: &str) -> Result<Self, GraphError> {
        Self::from_graph(&FaultTreeGraph::build(model, tree)?, &Effort::default())
    }

    /// Compiles the sub-tree under one gate or event, within `effort`.
    pub fn node(model: &Model, node: &str, effort: &Effort) -> Result<Self, GraphError> {
        Self::from_graph(&FaultTreeGraph::build_from(model, node)?, effort)
    }

    fn from_graph(graph: &FaultTreeGraph, effort: &Effort) -> Result<Self, GraphError> {
        Self::from_circuit(Circuit::from_graph(graph), effort).map_err(|(_, e)| e)
    }

    /// Compiles `circuit`; on failure gives it back, with why.
    fn from_circuit(circuit: Circuit, effort: &Effort) -> Result<Self, (Circuit, GraphError)> {
        match solve::solve_with_gates(&circuit, &[], effort) {
            Ok((solved, _)) => Ok(Compiled { circuit, solved }),
            Err(e) => Err((circuit, e.into())),
        }
    }

    /// Compiles tree `tree`, and gives the exact probability of every gate and event under
    /// its top, the gates' read from the same BDDs, within `effort`.
    pub fn with_nodes(
        model: &Model,
        tree: &str,
        effort: &Effort,
    ) -> Result<(Self, HashMap<Id, f64>), GraphError> {
        let graph = FaultTreeGraph::build(model, tree)?;
        let (circuit, vals) = Circuit::with_nodes(&graph);
        let gates = gate_literals(&vals);
        let (solved, of_gates) = solve::solve_with_gates(&circuit, &gates, effort)?;
        let of_gate: FxHashMap<circuit::Lit, Option<f64>> =
            gates.into_iter().zip(of_gates).collect();
        let out = node_values(&graph, &circuit, &vals, |node, l| match of_gate[&l] {
            Some(p) => Ok(Some(p)),
            // One the tree's BDDs cannot give (see `solve_with_gates`): solved on its own.
            None => Ok(Some(
                Compiled::node(model, node.id().as_str(), effort)?.probability(),
            )),
        })?;
        Ok((Compiled { circuit, solved }, out))
    }

    pub fn probability(&self) -> f64 {
        self.solved.probability()
    }

    /// Minimal cut sets within `max_order`, as a ZBDD.
    fn cut_set_family(&self, max_order: Option<u32>) -> Family {
        let s = &self.solved;
        let limit = max_order.unwrap_or(zbdd::UNLIMITED);
        let (level, var_at) = s.levels();
        let mut z = Zbdd::new();
        // A module true when all its events are false enters its parent's cut sets negated:
        // its variable then stands for the module's complement, which is false there.
        let mut flip = vec![false; s.sources.len()];
        let mut expanded: Vec<zbdd::Z> = Vec::with_capacity(s.modules.len());
        let monotone = self.circuit.monotone();
        let mut expander = Expander {
            s,
            var_at: &var_at,
            memo: FxHashMap::default(),
        };
        for m in &s.modules {
            let at_zero = s.bdd.eval(m.root, |v| flip[v as usize]);
            let root = if at_zero { bdd::not(m.root) } else { m.root };
            let raw = z.minsol(
                &Reading::new(&s.bdd, &flip, &level),
                root,
                limit,
                monotone[m.gate],
            );
            expanded.push(expander.expand(&mut z, &expanded, raw, limit));
            if let Some(v) = m.var {
                flip[v as usize] = at_zero;
            }
        }
        let top_monotone = match self.circuit.top {
            circuit::Val::Lit(l) => !l.negated() && (!l.is_gate() || monotone[l.index()]),
            circuit::Val::Const(_) => true,
        };
        let raw = z.minsol(
            &Reading::new(&s.bdd, &flip, &level),
            s.top,
            limit,
            top_monotone,
        );
        let root = expander.expand(&mut z, &expanded, raw, limit);
        Family { z, root, var_at }
    }

    pub fn cut_sets(&self, opts: &Options) -> (CutSets, f64, f64) {
        let Family { z, root, var_at } = self.cut_set_family(opts.max_order);
        let p: Vec<f64> = var_at
            .iter()
            .map(|&v| self.solved.vars[v as usize][0])
            .collect();
        summarise(&Sets::new(&z, root, &p), opts, |v| {
            self.event_id(var_at[v as usize]).clone()
        })
    }

    fn event_id(&self, var: u32) -> &Id {
        match self.solved.sources[var as usize] {
            Source::Event(i) => &self.circuit.var_ids[i],
            // Expanded families hold events only.
            Source::Module(_) => unreachable!("module variables are expanded away"),
        }
    }

    /// Importance of every basic event, most important (Fussell-Vesely) first.
    pub fn importance(&self) -> Vec<EventImportance> {
        let s = &self.solved;
        let top = s.probability();
        let d = importance::birnbaum(s);
        most_important_first(
            s.sources
                .iter()
                .enumerate()
                .filter_map(|(v, src)| match src {
                    Source::Event(i) => Some(EventImportance {
                        event: self.circuit.var_ids[*i].clone(),
                        measures: importance::measures(top, s.vars[v][0], d[v]),
                    }),
                    Source::Module(_) => None,
                })
                .collect(),
        )
    }

    /// Monte Carlo over the events' distributions; `None` once `stop` is raised.
    pub fn uncertainty(
        &self,
        model: &Model,
        samples: usize,
        seed: u64,
        stop: Option<&std::sync::atomic::AtomicBool>,
    ) -> Option<Uncertainty> {
        let evaluator = || {
            let mut e = self.solved.evaluator();
            move |p: &[f64]| e.top_for_events(p)
        };
        uncertainty::monte_carlo(
            evaluator,
            &self.circuit.probabilities,
            &distributions(model, &self.circuit),
            samples,
            seed,
            stop,
        )
    }
}

/// The uncertainty distribution of each of the circuit's events, if the model gives one.
fn distributions(model: &Model, circuit: &Circuit) -> Vec<Option<Distribution>> {
    circuit
        .var_ids
        .iter()
        .map(|id| {
            model
                .fault_trees
                .iter()
                .flat_map(|t| &t.events)
                .find(|e| e.id == *id)
                .and_then(|e| e.uncertainty)
        })
        .collect()
}

/// Sorts by Fussell-Vesely, most important first; ties by event.
fn most_important_first(mut events: Vec<EventImportance>) -> Vec<EventImportance> {
    events.sort_by(|a, b| {
        b.measures
            .fussell_vesely
            .total_cmp(&a.measures.fussell_vesely)
            .then_with(|| a.event.cmp(&b.event))
    });
    events
}

/// A family of cut sets over ZBDD variables; `var_at[v]` is ZBDD variable v's BDD variable.
struct Family {
    z: Zbdd,
    root: zbdd::Z,
    var_at: Vec<u32>,
}

/// Replaces module variables in raw minimal solutions by their modules' (already expanded)
/// families. A module's events come right after its variable in the ZBDD's order (see
/// `Solved::levels`), so an event keeps its node and a module costs a join, a walk over its
/// family, rather than a product.
struct Expander<'a> {
    s: &'a Solved,
    var_at: &'a [u32],
    memo: FxHashMap<(zbdd::Z, u32), zbdd::Z>,
}

impl Expander<'_> {
    fn expand(&mut self, z: &mut Zbdd, expanded: &[zbdd::Z], node: zbdd::Z, limit: u32) -> zbdd::Z {
        if node <= zbdd::BASE {
            return node;
        }
        if let Some(&r) = self.memo.get(&(node, limit)) {
            return r;
        }
        let (var, hi, lo) = z.children(node);
        let lo = self.expand(z, expanded, lo, limit);
        let r = if limit == 0 {
            lo
        } else {
            let hi = self.expand(z, expanded, hi, zbdd::less(limit));
            match self.s.sources[self.var_at[var as usize] as usize] {
                Source::Event(_) => z.mk(var, hi, lo),
                Source::Module(m) => {
                    // The module's events come right after its variable (see `levels`),
                    // before every variable of `hi`.
                    let with = z.join(expanded[m], hi, limit);
                    // Both sides are minimal and no set of one contains a set of the other:
                    // modules are never true on no events (see `flip`), so their sets are
                    // never empty.
                    z.union(with, lo)
                }
            }
        };
        self.memo.insert((node, limit), r);
        r
    }
}

/// The cut sets of a family (`id_of` names its variables' events) and its rare-event and
/// min-cut approximations.
fn summarise(family: &Sets, opts: &Options, id_of: impl Fn(u32) -> Id) -> (CutSets, f64, f64) {
    let by_order = family.count_by_order();
    let count = by_order.iter().fold(0u128, |a, c| a.saturating_add(*c));
    let mut picked = family.most_probable(opts.max_sets, opts.cutoff);
    // Which of equally probable sets make the list depends on the variable order, hence on
    // the engine's choices: take every set tied with the last one listed (a bounded number),
    // and choose among them by name, so that the list is the same whatever the order.
    if let Some(&(_, last)) = picked.last().filter(|_| picked.len() == opts.max_sets) {
        let bound = opts.max_sets.saturating_add(MAX_TIES);
        let tied = family.most_probable(bound, (last * (1.0 - TIE)).max(opts.cutoff));
        if tied.len() < bound {
            picked = tied;
        }
    }
    let mut sets: Vec<CutSet> = picked
        .into_iter()
        .map(|(vars, probability)| {
            let mut events: Vec<Id> = vars.iter().map(|&v| id_of(v)).collect();
            events.sort();
            CutSet {
                events,
                probability,
            }
        })
        .collect();
    // Equally probable sets by name. A set's probability is a product taken in variable
    // order, so ties are compared to 12 significant digits.
    // (Probabilities are not negative: their bits order as they do.)
    let rounded = |p: f64| format!("{p:.11e}").parse::<f64>().unwrap_or(p).to_bits();
    sets.sort_by_cached_key(|s| (std::cmp::Reverse(rounded(s.probability)), s.events.clone()));
    sets.truncate(opts.max_sets);
    let rare_event = family.sum_of(family.probabilities());
    let mcub = bound::value(family, count);
    (
        CutSets {
            count,
            by_order,
            sets,
        },
        rare_event,
        mcub,
    )
}

/// Relative difference under which two cut sets' probabilities are a tie.
const TIE: f64 = 1e-11;

/// At most this many sets tied at the end of a list are read to choose among them by name;
/// past it, the list keeps the search's choice.
const MAX_TIES: usize = 10_000;

/// The exact probability of every gate and event under the top of `tree`, within `effort`.
pub fn node_probabilities(
    model: &Model,
    tree: &str,
    effort: &Effort,
) -> Result<HashMap<Id, f64>, GraphError> {
    Compiled::with_nodes(model, tree, effort).map(|(_, p)| p)
}

/// The exact probability of every node under the top of `tree` that is known without
/// solving the whole tree, for a tree too large for that: every event's, and each gate's
/// whose BDD fits on its own (see `partial`), within `effort`'s node budget in all.
pub fn known_probabilities(
    model: &Model,
    tree: &str,
    effort: &Effort,
) -> Result<HashMap<Id, f64>, GraphError> {
    effort.enter(Phase::Gates);
    let graph = FaultTreeGraph::build(model, tree)?;
    let (circuit, vals) = Circuit::with_nodes(&graph);
    let gates = gate_literals(&vals);
    let max_nodes = effort.max_nodes.unwrap_or(MAX_NODES);
    let of_gates = partial::gate_probabilities(&circuit, &gates, max_nodes, effort.stop.clone())?;
    let of_gate: FxHashMap<circuit::Lit, Option<f64>> = gates.into_iter().zip(of_gates).collect();
    node_values(&graph, &circuit, &vals, |_, l| Ok(of_gate[&l]))
}

/// The gate literals the nodes of a graph became in its circuit (see `Circuit::with_nodes`).
fn gate_literals(vals: &HashMap<NodeIndex, circuit::Val>) -> Vec<circuit::Lit> {
    vals.values()
        .filter_map(|v| match v {
            circuit::Val::Lit(l) if l.is_gate() => Some(*l),
            _ => None,
        })
        .collect()
}

/// The probability of every node of `graph`, from the values its nodes became in `circuit`
/// (`vals`); `of_gate` gives that of a gate literal, if it can (`None`: the node is left out).
fn node_values(
    graph: &FaultTreeGraph,
    circuit: &Circuit,
    vals: &HashMap<NodeIndex, circuit::Val>,
    mut of_gate: impl FnMut(&Node, circuit::Lit) -> Result<Option<f64>, GraphError>,
) -> Result<HashMap<Id, f64>, GraphError> {
    let mut out = HashMap::new();
    for (n, val) in vals {
        let node = &graph.graph[*n];
        let p = match (node, *val) {
            (Node::Basic { probability, .. }, _) => Some(*probability),
            (_, circuit::Val::Const(b)) => Some(f64::from(u8::from(b))),
            (_, circuit::Val::Lit(l)) if !l.is_gate() => {
                let p = circuit.probabilities[l.index()];
                Some(if l.negated() { 1.0 - p } else { p })
            }
            (_, circuit::Val::Lit(l)) => of_gate(node, l)?,
        };
        if let Some(p) = p {
            out.insert(node.id().clone(), p);
        }
    }
    Ok(out)
}

/// Runs `f`, timing it.
fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

/// A tree compiled for its exact solution, or, coherent and too large for that, the
/// approximations from its minimal cut sets of low order (see `approximate`).
pub enum Compilation {
    Exact(Compiled),
    Approximated(Report),
}

/// Compiles tree `tree` of `model` within `opts.effort`, falling back to its approximations
/// (timed from `start`) when it is too large to solve exactly.
pub fn compile(
    model: &Model,
    tree: &str,
    opts: &Options,
    start: Instant,
) -> Result<Compilation, GraphError> {
    let circuit = Circuit::from_graph(&FaultTreeGraph::build(model, tree)?);
    match Compiled::from_circuit(circuit, &opts.effort) {
        Ok(compiled) => Ok(Compilation::Exact(compiled)),
        Err((circuit, why @ GraphError::TooLarge(_))) => {
            approximate_circuit(model, tree, &circuit, opts, start, why)
                .map(Compilation::Approximated)
        }
        Err((_, e)) => Err(e),
    }
}

/// Analyses tree `tree` of `model`: exactly, or, for a coherent tree too large for that,
/// from its minimal cut sets of low order (see `compile`).
pub fn analyze(model: &Model, tree: &str, opts: &Options) -> Result<Report, GraphError> {
    let start = Instant::now();
    match compile(model, tree, opts, start)? {
        Compilation::Exact(compiled) => report(model, tree, &compiled, start, opts),
        Compilation::Approximated(report) => Ok(report),
    }
}

/// The cut sets and approximations of tree `tree`, too large to solve exactly (`why`),
/// from its minimal cut sets built without a BDD, up to `opts.max_order` events or as many
/// as fit (see `direct::cut_sets`). A tree that is not coherent gives `why` back.
pub fn approximate(
    model: &Model,
    tree: &str,
    opts: &Options,
    start: Instant,
    why: GraphError,
) -> Result<Report, GraphError> {
    let circuit = Circuit::from_graph(&FaultTreeGraph::build(model, tree)?);
    approximate_circuit(model, tree, &circuit, opts, start, why)
}

/// `approximate` on the tree's circuit.
fn approximate_circuit(
    model: &Model,
    tree: &str,
    circuit: &Circuit,
    opts: &Options,
    start: Instant,
    why: GraphError,
) -> Result<Report, GraphError> {
    let compile = start.elapsed();
    opts.effort.enter(Phase::Approximating);
    let stop = opts.effort.stop.clone();
    let d = match direct::cut_sets(circuit, opts.max_order, direct::MAX_NODES, stop) {
        Ok(d) => d,
        Err(direct::Unbuilt::NotCoherent) => return Err(why),
        Err(direct::Unbuilt::Stopped) => return Err(GraphError::Stopped),
        Err(direct::Unbuilt::TooLarge { order, nodes }) => {
            return Err(GraphError::CutSetsTooLarge {
                why: why.to_string(),
                order,
                nodes,
            });
        }
    };
    let p: Vec<f64> = d
        .event_at
        .iter()
        .map(|&e| circuit.probabilities[e])
        .collect();
    let family = Sets::new(&d.z, d.root, &p);
    let id_of = |v: u32| circuit.var_ids[d.event_at[v as usize]].clone();
    let (cut_sets, rare_event, mcub) = summarise(&family, opts, id_of);
    let cut_sets_done = start.elapsed();
    // Importance and uncertainty of the min-cut upper bound, which stays a probability
    // where the rare-event sum of many likely sets passes 1.
    let importance = most_important_first(
        bound::importance(&family, cut_sets.count)
            .into_iter()
            .enumerate()
            .map(|(v, measures)| EventImportance {
                event: id_of(v as u32),
                measures,
            })
            .collect(),
    );
    let importance_done = start.elapsed();
    let uncertainty = opts.monte_carlo.and_then(|(samples, seed)| {
        opts.effort.enter(Phase::Uncertainty);
        let (bound, event_at) = (Bound::new(&family, cut_sets.count), &d.event_at);
        let evaluator = || {
            let mut b = bound.clone();
            move |events: &[f64]| b.value(|v| events[event_at[v as usize]])
        };
        let distributions = distributions(model, circuit);
        uncertainty::monte_carlo(
            evaluator,
            &circuit.probabilities,
            &distributions,
            samples,
            seed,
            opts.effort.stop.as_deref(),
        )
    });
    let (tree, top) = named(model, tree)?;
    Ok(Report {
        tree,
        top,
        solution: Solution::Truncated(Truncation {
            reason: why.to_string(),
            max_order: d.max_order,
            complete: d.complete,
        }),
        rare_event,
        mcub,
        cut_sets,
        importance,
        uncertainty,
        elapsed: start.elapsed(),
        timings: Timings {
            compile,
            cut_sets: cut_sets_done - compile,
            importance: importance_done - cut_sets_done,
            uncertainty: start.elapsed() - importance_done,
        },
    })
}

/// The id and top event of tree `tree`.
fn named(model: &Model, tree: &str) -> Result<(Id, Id), GraphError> {
    let t = model
        .fault_tree(tree)
        .ok_or_else(|| GraphError::NoTree(tree.to_owned()))?;
    Ok((t.id.clone(), t.top.clone()))
}

/// The analysis of tree `tree` of `model`, compiled as `compiled` from `start` on.
pub fn report(
    model: &Model,
    tree: &str,
    compiled: &Compiled,
    start: Instant,
    opts: &Options,
) -> Result<Report, GraphError> {
    let probability = compiled.probability();
    opts.effort.enter(Phase::CutSets);
    let mut timings = Timings {
        compile: start.elapsed(),
        ..Timings::default()
    };
    // Cut sets and importance read the BDDs independently: one core each.
    let ((cut_sets, rare_event, mcub), importance) = std::thread::scope(|scope| {
        let cut_sets = scope.spawn(|| timed(|| compiled.cut_sets(opts)));
        let (importance, took) = timed(|| compiled.importance());
        timings.importance = took;
        let (sets, took) = cut_sets
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        timings.cut_sets = took;
        (sets, importance)
    });
    let (uncertainty, took) = timed(|| {
        opts.monte_carlo.and_then(|(n, seed)| {
            opts.effort.enter(Phase::Uncertainty);
            compiled.uncertainty(model, n, seed, opts.effort.stop.as_deref())
        })
    });
    timings.uncertainty = took;
    let (tree, top) = named(model, tree)?;
    Ok(Report {
        tree,
        top,
        solution: Solution::Exact(probability),
        rare_event,
        mcub,
        cut_sets,
        importance,
        uncertainty,
        elapsed: start.elapsed(),
        timings,
    })
}
