//! The fault tree normalised for solving: gates are AND, OR, XOR or VOTE over literals
//! (variables or gates, possibly negated); NOT, NAND, NOR, NULL and INHIBIT are rewritten,
//! house events propagated as constants, and nested gates of the same kind merged.

use super::graph::{FaultTreeGraph, Node};
use crate::model::{GateKind, Id};
use petgraph::graph::NodeIndex;
use petgraph::visit::DfsPostOrder;
use std::collections::HashMap;

/// A variable or gate reference, possibly negated: `index << 2 | is_gate << 1 | negated`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Lit(u32);

impl Lit {
    pub fn var(i: usize) -> Self {
        Lit((i as u32) << 2)
    }
    pub fn gate(i: usize) -> Self {
        Lit(((i as u32) << 2) | 2)
    }
    pub fn index(self) -> usize {
        (self.0 >> 2) as usize
    }
    pub fn is_gate(self) -> bool {
        self.0 & 2 != 0
    }
    pub fn negated(self) -> bool {
        self.0 & 1 != 0
    }
    pub fn negate(self) -> Self {
        Lit(self.0 ^ 1)
    }
    pub fn positive(self) -> Self {
        Lit(self.0 & !1)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    And,
    Or,
    /// Odd parity of the arguments.
    Xor,
    /// At least k of the arguments (2 ≤ k < n after normalisation).
    Vote(u32),
}

#[derive(Debug, Clone)]
pub struct CGate {
    pub op: Op,
    pub args: Vec<Lit>,
}

/// A value during normalisation: a constant or a literal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Val {
    Const(bool),
    Lit(Lit),
}

impl Val {
    fn negate(self) -> Self {
        match self {
            Val::Const(b) => Val::Const(!b),
            Val::Lit(l) => Val::Lit(l.negate()),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Circuit {
    /// Probability of each variable (basic event).
    pub probabilities: Vec<f64>,
    /// The basic event each variable stands for.
    pub var_ids: Vec<Id>,
    pub gates: Vec<CGate>,
    pub top: Val,
}

impl Circuit {
    pub fn from_graph(ft: &FaultTreeGraph) -> Self {
        Self::with_nodes(ft).0
    }

    /// The circuit, and the value each node of the graph became. Later rewrites (coalescing,
    /// grouping) change a gate's arguments but never its function, so a gate literal here
    /// still computes its node.
    pub fn with_nodes(ft: &FaultTreeGraph) -> (Self, HashMap<NodeIndex, Val>) {
        let mut c = Circuit {
            probabilities: Vec::new(),
            var_ids: Vec::new(),
            gates: Vec::new(),
            top: Val::Const(false),
        };
        let g = &ft.graph;
        let mut val: HashMap<NodeIndex, Val> = HashMap::new();
        let mut dfs = DfsPostOrder::new(g, ft.top);
        while let Some(n) = dfs.next(g) {
            let v = match &g[n] {
                Node::Basic {
                    id, probability, ..
                } => {
                    c.probabilities.push(*probability);
                    c.var_ids.push(id.clone());
                    Val::Lit(Lit::var(c.probabilities.len() - 1))
                }
                Node::House { state, .. } => Val::Const(*state),
                Node::Gate { kind, .. } => {
                    // petgraph lists outgoing edges newest first: reverse to input order.
                    let mut inputs: Vec<Val> = g.neighbors(n).map(|m| val[&m]).collect();
                    inputs.reverse();
                    c.gate(*kind, inputs)
                }
            };
            val.insert(n, v);
        }
        c.top = val[&ft.top];
        c.coalesce();
        c.group_independent();
        (c, val)
    }

    /// Adds a gate of the model's kind over `inputs`, simplified; returns its value.
    pub fn gate(&mut self, kind: GateKind, inputs: Vec<Val>) -> Val {
        match kind {
            GateKind::And | GateKind::Inhibit => self.and_or(Op::And, inputs),
            GateKind::Or => self.and_or(Op::Or, inputs),
            GateKind::Nand => self.and_or(Op::And, inputs).negate(),
            GateKind::Nor => self.and_or(Op::Or, inputs).negate(),
            GateKind::Not | GateKind::Null => {
                let v = inputs.first().copied().unwrap_or(Val::Const(false));
                if kind == GateKind::Not { v.negate() } else { v }
            }
            GateKind::Xor => self.xor(inputs),
            GateKind::Vote(k) => self.vote(k, inputs),
        }
    }

    fn push(&mut self, op: Op, args: Vec<Lit>) -> Val {
        self.gates.push(CGate { op, args });
        Val::Lit(Lit::gate(self.gates.len() - 1))
    }

    fn and_or(&mut self, op: Op, inputs: Vec<Val>) -> Val {
        // For AND, false absorbs and true is neutral; OR is the dual.
        let absorbing = op == Op::Or;
        let mut args = Vec::with_capacity(inputs.len());
        for v in inputs {
            match v {
                Val::Const(b) if b == absorbing => return Val::Const(absorbing),
                Val::Const(_) => {}
                Val::Lit(l) => args.push(l),
            }
        }
        args.sort_unstable();
        args.dedup();
        // x and ¬x side by side after sorting: AND gives false, OR gives true.
        if args.windows(2).any(|w| w[0] == w[1].negate()) {
            return Val::Const(absorbing);
        }
        match args.len() {
            0 => Val::Const(!absorbing),
            1 => Val::Lit(args[0]),
            _ => self.push(op, args),
        }
    }

    fn xor(&mut self, inputs: Vec<Val>) -> Val {
        let mut parity = false;
        let mut args = Vec::new();
        for v in inputs {
            match v {
                Val::Const(b) => parity ^= b,
                // ¬x ⊕ y = ¬(x ⊕ y): keep literals positive, move negations into the parity.
                Val::Lit(l) => {
                    parity ^= l.negated();
                    args.push(l.positive());
                }
            }
        }
        args.sort_unstable();
        // x ⊕ x = 0: drop pairs.
        let mut kept: Vec<Lit> = Vec::new();
        for l in args {
            if kept.last() == Some(&l) {
                kept.pop();
            } else {
                kept.push(l);
            }
        }
        let v = match kept.len() {
            0 => Val::Const(false),
            1 => Val::Lit(kept[0]),
            _ => self.push(Op::Xor, kept),
        };
        if parity { v.negate() } else { v }
    }

    fn vote(&mut self, k: u32, inputs: Vec<Val>) -> Val {
        let mut k = i64::from(k);
        let mut args = Vec::new();
        for v in inputs {
            match v {
                Val::Const(true) => k -= 1,
                Val::Const(false) => {}
                Val::Lit(l) => args.push(l),
            }
        }
        let n = args.len() as i64;
        if k <= 0 {
            Val::Const(true)
        } else if k > n {
            Val::Const(false)
        } else if k == 1 {
            self.and_or(Op::Or, args.into_iter().map(Val::Lit).collect())
        } else if k == n {
            self.and_or(Op::And, args.into_iter().map(Val::Lit).collect())
        } else {
            self.push(Op::Vote(k as u32), args)
        }
    }

    /// Merges a positive AND (OR) argument into its AND (OR) parent when the parent is its
    /// only user: fewer, wider gates give modules and the variable order more to work with.
    fn coalesce(&mut self) {
        let mut users = vec![0u32; self.gates.len()];
        for g in &self.gates {
            for a in g.args.iter().filter(|a| a.is_gate()) {
                users[a.index()] += 1;
            }
        }
        if let Val::Lit(l) = self.top
            && l.is_gate()
        {
            users[l.index()] += 1;
        }
        // Gates are created after their arguments, so merged arguments are already final.
        // A merged gate keeps its own arguments: nothing above uses it any more, and built
        // from them it costs one operation per argument when its probability is wanted.
        let mut merged = vec![false; self.gates.len()];
        let mut flat: Vec<Option<Vec<Lit>>> = vec![None; self.gates.len()];
        for i in 0..self.gates.len() {
            let op = self.gates[i].op;
            if !matches!(op, Op::And | Op::Or) {
                continue;
            }
            let mergeable = |a: &Lit| {
                a.is_gate()
                    && !a.negated()
                    && users[a.index()] == 1
                    && self.gates[a.index()].op == op
            };
            if !self.gates[i].args.iter().any(mergeable) {
                continue;
            }
            let mut args = Vec::new();
            for a in &self.gates[i].args {
                if mergeable(a) {
                    let j = a.index();
                    merged[j] = true;
                    args.extend_from_slice(flat[j].as_ref().unwrap_or(&self.gates[j].args));
                } else {
                    args.push(*a);
                }
            }
            args.sort_unstable();
            args.dedup();
            flat[i] = Some(args);
        }
        for (i, args) in flat.into_iter().enumerate() {
            if let Some(args) = args.filter(|_| !merged[i]) {
                self.gates[i].args = args;
            }
        }
    }

    /// For every gate, whether its function is monotone: no negation and no XOR below it.
    pub fn monotone(&self) -> Vec<bool> {
        // 0: not computed, 1: in progress or monotone so far, 2: not monotone.
        let mut state = vec![0u8; self.gates.len()];
        for root in 0..self.gates.len() {
            let mut stack = vec![(root, 0usize)];
            while let Some((g, next)) = stack.pop() {
                if next == 0 {
                    if state[g] != 0 {
                        continue;
                    }
                    state[g] = 1;
                }
                let gate = &self.gates[g];
                if let Some(a) = gate.args.get(next) {
                    stack.push((g, next + 1));
                    if a.is_gate() && state[a.index()] == 0 {
                        stack.push((a.index(), 0));
                    }
                    continue;
                }
                let bad = gate.op == Op::Xor
                    || gate
                        .args
                        .iter()
                        .any(|a| a.negated() || (a.is_gate() && state[a.index()] == 2));
                state[g] = if bad { 2 } else { 1 };
            }
        }
        state.into_iter().map(|s| s == 1).collect()
    }

    /// Gates reachable from the top.
    fn live(&self) -> Vec<bool> {
        let mut live = vec![false; self.gates.len()];
        let mut stack: Vec<usize> = match self.top {
            Val::Lit(l) if l.is_gate() => vec![l.index()],
            _ => Vec::new(),
        };
        while let Some(g) = stack.pop() {
            if std::mem::replace(&mut live[g], true) {
                continue;
            }
            stack.extend(
                self.gates[g]
                    .args
                    .iter()
                    .filter(|a| a.is_gate())
                    .map(|a| a.index()),
            );
        }
        live
    }

    /// Moves the arguments of an AND (OR) gate that depend on nothing else (events and
    /// modules used only there) into a gate of their own: a module, so the enclosing module's
    /// BDD sees one variable instead of many.
    fn group_independent(&mut self) {
        let Val::Lit(top) = self.top else { return };
        if !top.is_gate() {
            return;
        }
        let live = self.live();
        let is_module = super::modules::detect(self, top.index());
        let mut var_uses = vec![0u32; self.probabilities.len()];
        let mut gate_uses = vec![0u32; self.gates.len()];
        for (g, _) in self.gates.iter().zip(&live).filter(|(_, l)| **l) {
            for a in &g.args {
                if a.is_gate() {
                    gate_uses[a.index()] += 1;
                } else {
                    var_uses[a.index()] += 1;
                }
            }
        }
        // Only the gates there were before: the new ones hold nothing to group.
        for i in (0..live.len()).filter(|&i| live[i]) {
            if !matches!(self.gates[i].op, Op::And | Op::Or) {
                continue;
            }
            let (alone, shared): (Vec<Lit>, Vec<Lit>) = self.gates[i].args.iter().partition(|a| {
                if a.is_gate() {
                    is_module[a.index()] && gate_uses[a.index()] == 1
                } else {
                    var_uses[a.index()] == 1
                }
            });
            if alone.len() < 2 || shared.is_empty() {
                continue;
            }
            let op = self.gates[i].op;
            self.gates.push(CGate { op, args: alone });
            let mut args = shared;
            args.push(Lit::gate(self.gates.len() - 1));
            self.gates[i].args = args;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// top = AND(OR(a, b, s1, s2), OR(a, ¬c)): b, s1 and s2 occur once and are grouped.
    fn circuit() -> Circuit {
        let (a, b, c, s1, s2) = (0, 1, 2, 3, 4);
        Circuit {
            probabilities: vec![0.1; 5],
            var_ids: Vec::new(),
            gates: vec![
                CGate {
                    op: Op::Or,
                    args: [a, b, s1, s2].map(Lit::var).to_vec(),
                },
                CGate {
                    op: Op::Or,
                    args: vec![Lit::var(a), Lit::var(c).negate()],
                },
                CGate {
                    op: Op::And,
                    args: vec![Lit::gate(0), Lit::gate(1)],
                },
            ],
            top: Val::Lit(Lit::gate(2)),
        }
    }

    #[test]
    fn events_used_once_are_grouped_into_a_module() {
        let mut c = circuit();
        c.group_independent();
        assert_eq!(c.gates.len(), 4);
        assert_eq!(c.gates[3].op, Op::Or);
        assert_eq!(c.gates[3].args, [1, 3, 4].map(Lit::var).to_vec());
        assert_eq!(c.gates[0].args, vec![Lit::var(0), Lit::gate(3)]);
        assert!(super::super::modules::detect(&c, 2)[3]);
    }

    #[test]
    fn monotone_means_no_negation_below() {
        let c = circuit();
        assert_eq!(c.monotone(), vec![true, false, false]);
    }
}
