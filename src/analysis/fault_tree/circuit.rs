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
        c
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
                    args.extend_from_slice(&self.gates[a.index()].args);
                } else {
                    args.push(*a);
                }
            }
            args.sort_unstable();
            args.dedup();
            self.gates[i].args = args;
        }
    }
}
