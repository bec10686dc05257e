//! What can be solved of a tree too large to solve whole: the probability of each gate whose
//! own BDD fits a node budget. Every gate is built once, from its inputs' BDDs, in one arena
//! under one variable order; a gate that does not fit is rolled back, and a gate over it is
//! not tried (it would hardly fit, and each try costs a whole budget).

use super::bdd::{self, Bdd, Edge};
use super::circuit::{Circuit, Lit};
use super::solve::{Unsolved, apply, signed};
use rustc_hash::FxHashMap;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

/// New BDD nodes one gate may take. A gate that does not fit costs about as long as it took
/// to fill them (under a second), and most gates of a tree need far fewer.
const GATE_NODES: usize = 400_000;

struct Partial<'c> {
    c: &'c Circuit,
    bdd: Bdd,
    /// The BDD of each circuit variable.
    literals: Vec<Edge>,
    /// Arena size past which no more gates are tried.
    max_nodes: usize,
    /// Each gate tried: its BDD, or `None` when it, or a gate under it, did not fit.
    done: FxHashMap<usize, Option<Edge>>,
}

/// The probability of each of `gates` (literals of circuit gates) whose BDD fits
/// `GATE_NODES` new nodes, and every gate under it did too, while the arena holds at most
/// `max_nodes`; `None` for the others. Raising `stop` ends the work soon.
pub fn gate_probabilities(
    c: &Circuit,
    gates: &[Lit],
    max_nodes: usize,
    stop: Option<Arc<AtomicBool>>,
) -> Result<Vec<Option<f64>>, Unsolved> {
    let mut bdd = Bdd::new();
    if let Some(flag) = stop {
        bdd.stop_on(flag);
    }
    // Built by index (each after the gates under it, by recursion), not in the order of
    // `gates`: which gates fit depends on what the arena already holds, and so would vary
    // with the caller's order.
    let mut in_order: Vec<usize> = gates.iter().map(|l| l.index()).collect();
    in_order.sort_unstable();
    in_order.dedup();
    let events = events_depth_first(c, &in_order);
    let mut var_of_event = vec![0; c.probabilities.len()];
    for (v, &e) in events.iter().enumerate() {
        var_of_event[e] = v as u32;
    }
    let literals = var_of_event.iter().map(|&v| bdd.literal(v)).collect();
    let mut p = Partial {
        c,
        bdd,
        literals,
        max_nodes,
        done: FxHashMap::default(),
    };
    for &g in &in_order {
        p.gate(g);
    }
    let edges: Vec<Option<Edge>> = gates
        .iter()
        .map(|&l| p.done[&l.index()].map(|e| signed(e, l)))
        .collect();
    if p.bdd.stop_requested() {
        return Err(Unsolved::Stopped);
    }
    let vars: Vec<[f64; 2]> = events
        .iter()
        .map(|&e| [c.probabilities[e], 1.0 - c.probabilities[e]])
        .collect();
    let roots: Vec<Edge> = edges.iter().flatten().copied().collect();
    let mut table = vec![[0.0; 2]; p.bdd.node_count()];
    p.bdd
        .probabilities(&p.bdd.reachable(&roots), &vars, &mut table);
    Ok(edges
        .into_iter()
        .map(|e| e.map(|e| bdd::edge_value(&table, e)))
        .collect())
}

/// The circuit's variables in the order a depth-first walk from the top, then from each of
/// `gates` (some may have been merged away from under the top), first meets them; then the
/// others.
fn events_depth_first(c: &Circuit, gates: &[usize]) -> Vec<usize> {
    let mut seen_gate = vec![false; c.gates.len()];
    let mut seen_event = vec![false; c.probabilities.len()];
    let mut order = Vec::with_capacity(c.probabilities.len());
    let top = match c.top {
        super::circuit::Val::Lit(l) if l.is_gate() => Some(l.index()),
        _ => None,
    };
    for &g in top.iter().chain(gates) {
        let mut stack = vec![g];
        while let Some(g) = stack.pop() {
            if std::mem::replace(&mut seen_gate[g], true) {
                continue;
            }
            for a in c.gates[g].args.iter().rev() {
                if a.is_gate() {
                    stack.push(a.index());
                } else if !std::mem::replace(&mut seen_event[a.index()], true) {
                    order.push(a.index());
                }
            }
        }
    }
    order.extend((0..c.probabilities.len()).filter(|&e| !seen_event[e]));
    order
}

impl Partial<'_> {
    fn gate(&mut self, g: usize) -> Option<Edge> {
        if let Some(&e) = self.done.get(&g) {
            return e;
        }
        let gate = &self.c.gates[g];
        let op = gate.op;
        let args = gate.args.clone();
        let mut edges = Vec::with_capacity(args.len());
        for a in args {
            let e = if a.is_gate() {
                self.gate(a.index())
            } else {
                Some(self.literals[a.index()])
            };
            let Some(e) = e else {
                self.done.insert(g, None);
                return None;
            };
            edges.push(signed(e, a));
        }
        let room = self.max_nodes.saturating_sub(self.bdd.node_count());
        let e = if room == 0 || self.bdd.stop_requested() {
            None
        } else {
            let mark = self.bdd.begin(room.min(GATE_NODES));
            let e = apply(&mut self.bdd, op, edges);
            if self.bdd.exhausted() {
                self.bdd.rollback(mark);
                None
            } else {
                Some(e)
            }
        };
        self.done.insert(g, e);
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::fault_tree::circuit::{CGate, Op, Val};

    #[test]
    fn a_gate_that_does_not_fit_is_unknown_and_so_is_every_gate_over_it() {
        // g0 = x0 ∨ x1 takes one node beside the literals; g1 = x2 ∧ … ∧ x7 takes five;
        // g2 = g0 ∧ g1.
        let gate = |op, args: Vec<Lit>| CGate { op, args };
        let p = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8];
        let c = Circuit {
            probabilities: p.to_vec(),
            var_ids: Vec::new(),
            gates: vec![
                gate(Op::Or, vec![Lit::var(0), Lit::var(1)]),
                gate(Op::And, (2..8).map(Lit::var).collect()),
                gate(Op::And, vec![Lit::gate(0), Lit::gate(1)]),
            ],
            top: Val::Lit(Lit::gate(2)),
        };
        let gates = [
            Lit::gate(0),
            Lit::gate(1),
            Lit::gate(2),
            Lit::gate(2).negate(),
        ];
        let or = 1.0 - (1.0 - p[0]) * (1.0 - p[1]);
        let and: f64 = p[2..].iter().product();
        let close = |a: Option<f64>, b: f64| a.is_some_and(|a| (a - b).abs() < 1e-15);
        // The terminal and eight literals, then room for g0 and not for g1.
        let tight = gate_probabilities(&c, &gates, 9 + 3, None).expect("not stopped");
        assert!(close(tight[0], or), "{tight:?}");
        assert_eq!(tight[1..], [None; 3]);
        // Room for either g0 or g1: which one does not depend on the order asked in.
        let either = gate_probabilities(&c, &[Lit::gate(1), Lit::gate(0)], 9 + 5, None);
        let either = either.expect("not stopped");
        assert!(either[0].is_none() && close(either[1], or), "{either:?}");
        let roomy = gate_probabilities(&c, &gates, 100, None).expect("not stopped");
        assert!(close(roomy[0], or), "{roomy:?}");
        assert!(close(roomy[1], and), "{roomy:?}");
        assert!(close(roomy[2], or * and), "{roomy:?}");
        assert!(close(roomy[3], 1.0 - or * and), "{roomy:?}");
        // A raised flag ends the work.
        let stop = Arc::new(AtomicBool::new(true));
        assert_eq!(
            gate_probabilities(&c, &gates, 100, Some(stop)),
            Err(Unsolved::Stopped)
        );
    }
}
