//! A fault tree as a petgraph DAG: the nodes reachable from a top event, across trees
//! (transfers), with every basic event's probability resolved.

use crate::model::{GateKind, Id, Model, Probability};
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Gate {
        id: Id,
        kind: GateKind,
        label: String,
    },
    Basic {
        id: Id,
        probability: f64,
        label: String,
    },
    House {
        id: Id,
        state: bool,
    },
}

impl Node {
    pub fn id(&self) -> &Id {
        match self {
            Node::Gate { id, .. } | Node::Basic { id, .. } | Node::House { id, .. } => id,
        }
    }
}

/// Edges go from a gate to its inputs, in input order.
#[derive(Debug, Clone)]
pub struct FaultTreeGraph {
    pub graph: DiGraph<Node, ()>,
    pub top: NodeIndex,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GraphError {
    #[error("no fault tree \"{0}\"")]
    NoTree(String),
    #[error("\"{0}\" is not a gate, basic event or house event")]
    Undefined(String),
    #[error("the fault tree contains a cycle: {0}")]
    Cycle(String),
    #[error(
        "the fault tree is too large to solve exactly: a part of it needs more than {0} BDD nodes under every variable order tried"
    )]
    TooLarge(usize),
    #[error(
        "{why}; and its minimal cut sets of at most {order} events need more than {nodes} ZBDD nodes (a smaller order limit may fit)"
    )]
    CutSetsTooLarge {
        why: String,
        order: u32,
        nodes: usize,
    },
    #[error("the analysis was stopped")]
    Stopped,
}

impl GraphError {
    /// The tree is well formed but needs more nodes than it was allowed.
    pub fn is_too_large(&self) -> bool {
        matches!(
            self,
            GraphError::TooLarge(_) | GraphError::CutSetsTooLarge { .. }
        )
    }
}

impl FaultTreeGraph {
    /// Builds the DAG under the top event of tree `tree`.
    pub fn build(model: &Model, tree: &str) -> Result<Self, GraphError> {
        let t = model
            .fault_tree(tree)
            .ok_or_else(|| GraphError::NoTree(tree.to_owned()))?;
        Self::build_from(model, t.top.as_str())
    }

    /// Builds the DAG under any gate or event of the model's fault trees.
    pub fn build_from(model: &Model, top: &str) -> Result<Self, GraphError> {
        let mut gates = HashMap::new();
        let mut events = HashMap::new();
        let mut houses = HashMap::new();
        for ft in &model.fault_trees {
            gates.extend(ft.gates.iter().map(|g| (g.id.as_str(), g)));
            events.extend(ft.events.iter().map(|e| (e.id.as_str(), e)));
            houses.extend(ft.house_events.iter().map(|h| (h.id.as_str(), h)));
        }
        let mut graph = DiGraph::new();
        let mut index: HashMap<&str, NodeIndex> = HashMap::new();
        // Iterative DFS; `open` is the current path of gates, to name a cycle if one is met.
        let mut stack: Vec<(&str, bool)> = vec![(top, false)];
        let mut open: Vec<&str> = Vec::new();
        let cycle = |open: &[&str], back: &str| {
            let pos = open.iter().position(|o| *o == back).unwrap_or(0);
            let mut path: Vec<&str> = open[pos..].to_vec();
            path.push(back);
            GraphError::Cycle(path.join(" -> "))
        };
        while let Some((id, done)) = stack.pop() {
            if done {
                let from = index[id];
                for input in &gates[id].inputs {
                    graph.add_edge(from, index[input.as_str()], ());
                }
                open.pop();
                continue;
            }
            if index.contains_key(id) {
                continue;
            }
            let node = if let Some(g) = gates.get(id) {
                open.push(id);
                stack.push((id, true));
                for input in g.inputs.iter().rev() {
                    let input = input.as_str();
                    if open.contains(&input) {
                        return Err(cycle(&open, input));
                    }
                    if !index.contains_key(input) {
                        stack.push((input, false));
                    }
                }
                Node::Gate {
                    id: g.id.clone(),
                    kind: g.kind,
                    label: g.label.clone(),
                }
            } else if let Some(e) = events.get(id) {
                Node::Basic {
                    id: e.id.clone(),
                    probability: resolve(model, &e.probability),
                    label: e.label.clone(),
                }
            } else if let Some(h) = houses.get(id) {
                Node::House {
                    id: h.id.clone(),
                    state: h.state,
                }
            } else {
                return Err(GraphError::Undefined(id.to_owned()));
            };
            index.insert(id, graph.add_node(node));
        }
        let top = *index
            .get(top)
            .ok_or_else(|| GraphError::Undefined(top.to_owned()))?;
        Ok(FaultTreeGraph { graph, top })
    }
}

/// A basic event's probability now: fixed, from a rate, or from its threat's current rating.
pub fn resolve(model: &Model, p: &Probability) -> f64 {
    match p {
        Probability::Fixed(p) => *p,
        Probability::Rate {
            lambda,
            mission_time,
        } => -(-lambda * mission_time).exp_m1(),
        Probability::Threat(id) => model.threat(id.as_str()).map_or(0.0, |t| {
            model
                .calibration
                .probability(model.current_rating(t).likelihood)
        }),
    }
}
