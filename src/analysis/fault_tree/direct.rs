//! Minimal cut sets straight from a coherent circuit, gate by gate as ZBDDs (the classic
//! bottom-up algorithm), without a BDD: for trees whose BDD is out of reach. An order limit
//! keeps the families small; the low orders hold the most probable sets.

use super::circuit::{Circuit, Lit, Op, Val};
use super::order::{self, Heuristic};
use super::zbdd::{BASE, EMPTY, Z, Zbdd};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

/// Minimal cut sets over ZBDD variables; `event_at[v]` is the circuit variable of ZBDD
/// variable `v`.
pub struct Direct {
    pub z: Zbdd,
    pub root: Z,
    pub event_at: Vec<usize>,
    /// The order limit: no set has more events.
    pub max_order: u32,
    /// Whether the limit dropped nothing: the sets are then all the minimal cut sets.
    pub complete: bool,
}

/// Past this many ZBDD nodes, an automatic order limit is not raised further: each step
/// costs several times the one before.
const AUTO_NODES: usize = 500_000;

/// The most ZBDD nodes to make, unless told otherwise: with the operations' memo tables,
/// about 1.2 GB (25.6 M nodes took 3.9 GB on edf9204).
pub const MAX_NODES: usize = 8_000_000;

/// Why a tree's cut sets were not built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unbuilt {
    /// A negation or XOR under its top: cut sets need the BDD.
    NotCoherent,
    /// Those of at most `order` events need more than `nodes` ZBDD nodes.
    TooLarge { order: u32, nodes: usize },
    /// The caller's stop flag was raised.
    Stopped,
}

/// The minimal cut sets of at most `limit` events, or, for `None`, of as many as fit: the
/// limit rises from 1 until it drops nothing (at the latest at the number of events) or the
/// diagram passes `AUTO_NODES`; a step past `max_nodes` leaves the one before. Raising `stop`
/// from another thread gives up soon.
pub fn cut_sets(
    c: &Circuit,
    limit: Option<u32>,
    max_nodes: usize,
    stop: Option<Arc<AtomicBool>>,
) -> Result<Direct, Unbuilt> {
    let top = match c.top {
        Val::Const(b) => {
            return Ok(Direct {
                z: Zbdd::new(),
                root: if b { BASE } else { EMPTY },
                event_at: Vec::new(),
                max_order: limit.unwrap_or(0),
                complete: true,
            });
        }
        Val::Lit(l) if l.negated() => return Err(Unbuilt::NotCoherent),
        Val::Lit(l) => l,
    };
    if top.is_gate() && !c.monotone()[top.index()] {
        return Err(Unbuilt::NotCoherent);
    }
    let event_at: Vec<usize> = if top.is_gate() {
        // Events in depth-first order from the top: those that meet in a gate sit close.
        let no_modules = vec![false; c.gates.len()];
        order::module_order(c, top.index(), &no_modules, Heuristic::DepthFirst)
            .into_iter()
            .map(Lit::index)
            .collect()
    } else {
        vec![top.index()]
    };
    let mut var_of = vec![u32::MAX; c.probabilities.len()];
    for (v, &e) in event_at.iter().enumerate() {
        var_of[e] = v as u32;
    }
    let mut b = Builder {
        c,
        z: Zbdd::with_limit(max_nodes, stop),
        var_of,
        memo: Vec::new(),
        limit: 0,
    };
    let mut next = limit.unwrap_or(1).max(1);
    // The last automatic step that fitted: its root, and its limit.
    let mut fitted = None;
    let (root, max_order, complete) = loop {
        // Results of earlier limits stay in the diagram's tables, and are reused.
        b.limit = next;
        b.memo = vec![None; c.gates.len()];
        let root = b.lit(top);
        if b.z.stopped() {
            return Err(Unbuilt::Stopped);
        }
        if b.z.exhausted() {
            let (root, max_order) = fitted.ok_or(Unbuilt::TooLarge {
                order: next,
                nodes: max_nodes,
            })?;
            break (root, max_order, false);
        }
        let complete = !b.z.take_truncated();
        if limit.is_some() || complete || b.z.node_count() > AUTO_NODES {
            break (root, next, complete);
        }
        fitted = Some((root, next));
        next += 1;
    };
    Ok(Direct {
        z: b.z,
        root,
        event_at,
        max_order,
        complete,
    })
}

struct Builder<'c> {
    c: &'c Circuit,
    z: Zbdd,
    var_of: Vec<u32>,
    memo: Vec<Option<Z>>,
    limit: u32,
}

impl Builder<'_> {
    fn lit(&mut self, l: Lit) -> Z {
        if l.is_gate() {
            self.gate(l.index())
        } else {
            self.z.mk(self.var_of[l.index()], BASE, EMPTY)
        }
    }

    fn gate(&mut self, g: usize) -> Z {
        if let Some(r) = self.memo[g] {
            return r;
        }
        let gate = &self.c.gates[g];
        let (op, args) = (gate.op, gate.args.clone());
        let families: Vec<Z> = args.into_iter().map(|a| self.lit(a)).collect();
        let r = match op {
            Op::And => families.into_iter().fold(BASE, |acc, f| self.and(acc, f)),
            Op::Or => families.into_iter().fold(EMPTY, |acc, f| self.or(acc, f)),
            Op::Vote(k) => self.vote(k as usize, &families),
            Op::Xor => unreachable!("a coherent circuit has no XOR"),
        };
        self.memo[g] = Some(r);
        r
    }

    fn and(&mut self, f: Z, g: Z) -> Z {
        let p = self.z.product(f, g, self.limit);
        self.z.minimal(p)
    }

    fn or(&mut self, f: Z, g: Z) -> Z {
        let u = self.z.union(f, g);
        self.z.minimal(u)
    }

    /// At least `k` of `args`, by the recurrence V(k, x:xs) = x·V(k−1, xs) ∪ V(k, xs).
    fn vote(&mut self, k: usize, args: &[Z]) -> Z {
        let mut row: Vec<Z> = (0..=k).map(|j| if j == 0 { BASE } else { EMPTY }).collect();
        for &x in args.iter().rev() {
            for j in (1..=k).rev() {
                let with = self.and(x, row[j - 1]);
                row[j] = self.or(with, row[j]);
            }
        }
        row[k]
    }
}
