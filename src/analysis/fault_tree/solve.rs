//! Compiles a normalised fault tree into BDDs, one per module, in a fault-tree-aware variable
//! order (depth-first, each module's variables kept together), and computes probabilities.

use super::bdd::{self, Bdd, Edge};
use super::circuit::{Circuit, Lit, Op, Val};
use super::modules;
use rustc_hash::FxHashMap;

/// What a BDD variable stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A basic event: its index in the circuit's variables.
    Event(usize),
    /// A module: its index in `Solved::modules`.
    Module(usize),
}

#[derive(Debug, Clone)]
pub struct Module {
    /// The circuit gate it is.
    pub gate: usize,
    /// Its function over its own variables.
    pub root: Edge,
    /// The variable standing for it in its parent; `None` for the top module.
    pub var: Option<u32>,
}

/// The solved tree: BDDs of every module, children before parents; the last is the top.
pub struct Solved {
    pub bdd: Bdd,
    pub sources: Vec<Source>,
    pub modules: Vec<Module>,
    /// The top event: a module root, or a constant when the tree reduces to one.
    pub top: Edge,
    /// Probability of every BDD variable (events given, modules computed).
    pub p: Vec<f64>,
}

struct Compiler<'c> {
    c: &'c Circuit,
    bdd: Bdd,
    is_module: Vec<bool>,
    /// BDD variable of each circuit variable and of each module gate.
    var_of_event: Vec<u32>,
    var_of_gate: Vec<u32>,
    sources: Vec<Source>,
    memo: FxHashMap<usize, Edge>,
    modules: Vec<Module>,
}

pub fn solve(c: &Circuit) -> Solved {
    let top_gate = match c.top {
        Val::Lit(l) if l.is_gate() => l.index(),
        Val::Lit(l) => return single(c, l),
        Val::Const(b) => {
            return Solved {
                bdd: Bdd::new(),
                sources: Vec::new(),
                modules: Vec::new(),
                top: if b { bdd::TRUE } else { bdd::FALSE },
                p: Vec::new(),
            };
        }
    };
    let mut k = Compiler {
        c,
        bdd: Bdd::new(),
        is_module: modules::detect(c, top_gate),
        var_of_event: vec![u32::MAX; c.probabilities.len()],
        var_of_gate: vec![u32::MAX; c.gates.len()],
        sources: Vec::new(),
        memo: FxHashMap::default(),
        modules: Vec::new(),
    };
    k.order(top_gate);
    let root = k.module(top_gate, None);
    let negated = matches!(c.top, Val::Lit(l) if l.negated());
    let mut solved = Solved {
        bdd: k.bdd,
        sources: k.sources,
        modules: k.modules,
        top: if negated { bdd::not(root) } else { root },
        p: Vec::new(),
    };
    solved.p = solved.variable_probabilities(&c.probabilities);
    solved
}

/// A tree that is one basic event (possibly negated).
fn single(c: &Circuit, l: Lit) -> Solved {
    let mut bdd = Bdd::new();
    let e = bdd.literal(0);
    let mut s = Solved {
        bdd,
        sources: vec![Source::Event(l.index())],
        modules: Vec::new(),
        top: if l.negated() { bdd::not(e) } else { e },
        p: Vec::new(),
    };
    s.p = s.variable_probabilities(&c.probabilities);
    s
}

impl Compiler<'_> {
    /// Numbers BDD variables in depth-first order from the top; a module gets its own
    /// variable where it is first met, and its inside is numbered right after it.
    fn order(&mut self, top: usize) {
        let mut seen = vec![false; self.c.gates.len()];
        let mut stack = vec![Lit::gate(top)];
        seen[top] = true;
        while let Some(l) = stack.pop() {
            let i = l.index();
            if !l.is_gate() {
                if self.var_of_event[i] == u32::MAX {
                    self.var_of_event[i] = self.sources.len() as u32;
                    self.sources.push(Source::Event(i));
                }
                continue;
            }
            if self.is_module[i] && i != top && self.var_of_gate[i] == u32::MAX {
                self.var_of_gate[i] = self.sources.len() as u32;
                // Filled in with the module's index once it is compiled.
                self.sources.push(Source::Module(usize::MAX));
            }
            for a in self.c.gates[i].args.iter().rev() {
                if !a.is_gate() || !std::mem::replace(&mut seen[a.index()], true) {
                    stack.push(*a);
                }
            }
        }
    }

    /// Compiles module gate `g` on its own; returns its root.
    fn module(&mut self, g: usize, var: Option<u32>) -> Edge {
        let root = self.gate(g);
        self.modules.push(Module { gate: g, root, var });
        if let Some(v) = var {
            self.sources[v as usize] = Source::Module(self.modules.len() - 1);
        }
        root
    }

    fn lit(&mut self, l: Lit) -> Edge {
        let i = l.index();
        let e = if !l.is_gate() {
            self.bdd.literal(self.var_of_event[i])
        } else if self.is_module[i] {
            let v = self.var_of_gate[i];
            if !matches!(self.sources[v as usize], Source::Module(m) if m != usize::MAX) {
                self.module(i, Some(v));
            }
            self.bdd.literal(v)
        } else {
            self.gate(i)
        };
        if l.negated() { bdd::not(e) } else { e }
    }

    fn gate(&mut self, g: usize) -> Edge {
        if let Some(&e) = self.memo.get(&g) {
            return e;
        }
        let gate = &self.c.gates[g];
        let op = gate.op;
        let args: Vec<Lit> = gate.args.clone();
        let mut edges: Vec<Edge> = args.iter().map(|&a| self.lit(a)).collect();
        let e = match op {
            Op::Vote(k) => self.bdd.vote(k as usize, &edges),
            Op::And | Op::Or | Op::Xor => {
                // Combine from the bottom of the order up: small intermediate results.
                edges.sort_unstable_by_key(|&e| std::cmp::Reverse(self.bdd.var(e)));
                let mut acc = match op {
                    Op::And => bdd::TRUE,
                    _ => bdd::FALSE,
                };
                for e in edges {
                    acc = match op {
                        Op::And => self.bdd.and(acc, e),
                        Op::Or => self.bdd.or(acc, e),
                        _ => self.bdd.xor(acc, e),
                    };
                }
                acc
            }
        };
        self.memo.insert(g, e);
        e
    }
}

impl Solved {
    /// Probability of every variable: events as given, modules from their BDDs, bottom-up.
    pub fn variable_probabilities(&self, events: &[f64]) -> Vec<f64> {
        let mut p: Vec<f64> = self
            .sources
            .iter()
            .map(|s| match s {
                Source::Event(i) => events[*i],
                Source::Module(_) => f64::NAN,
            })
            .collect();
        let mut table = vec![0.0; self.bdd.node_count()];
        for m in &self.modules {
            let order = self.bdd.reachable(&[m.root]);
            self.bdd.probabilities(&order, &p, &mut table);
            if let Some(v) = m.var {
                p[v as usize] = bdd::edge_value(&table, m.root);
            }
        }
        p
    }

    /// The exact top-event probability.
    pub fn probability(&self) -> f64 {
        self.probability_with(&self.p)
    }

    /// The top-event probability for the given variable probabilities (modules included).
    pub fn probability_with(&self, p: &[f64]) -> f64 {
        let order = self.bdd.reachable(&[self.top]);
        let mut table = vec![0.0; self.bdd.node_count()];
        self.bdd.probabilities(&order, p, &mut table);
        bdd::edge_value(&table, self.top)
    }
}
