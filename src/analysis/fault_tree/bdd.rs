//! Reduced ordered BDDs with complement edges, hash-consed in one arena.
//!
//! Design note — own arena or a crate? Measured on this 2-core machine, release builds:
//! - `biodivine-lib-bdd` 0.6 (same normalised circuit, same depth-first order, Aralia trees):
//!   its apply is about as fast as this one, up to 1.7× faster on some trees (edf9203 0.38 s
//!   vs 0.65 s, jbd9601 0.32 s vs 0.47 s), and equal on others (cea9601 1.50 s vs 1.54 s).
//! - `oxidd` 0.11 (complement edges, apply on several threads), given the order this engine
//!   picks for das9701: the same 2.8 M-node BDD in 4.3–4.9 s on one thread, 5.2–5.4 s on two;
//!   this arena takes 3.8–4.0 s, the search for that order included.
//!
//! What decides the hard trees is not the apply loop but the variable order and module
//! decomposition (edf9202: 1.4 s as one BDD, 0.012 s split into modules with the order
//! portfolio). Those need what neither crate offers together: one arena shared by every
//! module's BDD, attempts that stop at a node budget and roll back, complement edges so that
//! NOT (everywhere in non-coherent trees) costs nothing, and direct node access for the
//! linear passes (probability, derivatives, minimal solutions). Hence this arena.

/// An edge: `node << 1 | complemented`. Node 0 is the terminal, so edge 0 is TRUE, 1 is FALSE.
pub type Edge = u32;
pub const TRUE: Edge = 0;
pub const FALSE: Edge = 1;

#[inline]
pub fn not(e: Edge) -> Edge {
    e ^ 1
}

#[inline]
pub fn node_of(e: Edge) -> usize {
    (e >> 1) as usize
}

#[inline]
pub fn is_complement(e: Edge) -> bool {
    e & 1 != 0
}

pub use super::table::Node;
use super::table::{Cache, Unique};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

const AND: u32 = 0;
const XOR: u32 = 1;

pub struct Bdd {
    pub nodes: Vec<Node>,
    unique: Unique,
    cache: Cache,
    /// Node count at which building gives up (see `exhausted`).
    limit: usize,
    /// Set when the limit was hit: operations then return garbage quickly and cache nothing,
    /// and the caller rolls back.
    exhausted: bool,
    /// Raised from another thread to end every attempt as if the limit were hit: callers that
    /// no longer want the result.
    cancel: Vec<Arc<AtomicBool>>,
    /// The race this arena's attempt is in: the smallest arena size at which a rival attempt
    /// fitted. Reaching it ends this attempt, which could then only fit with more nodes.
    race: Option<Arc<AtomicUsize>>,
}

impl Default for Bdd {
    fn default() -> Self {
        Self::new()
    }
}

impl Bdd {
    pub fn new() -> Self {
        Bdd {
            nodes: vec![Node {
                var: u32::MAX,
                hi: TRUE,
                lo: TRUE,
            }],
            unique: Unique::new(),
            cache: Cache::new(),
            limit: usize::MAX,
            exhausted: false,
            cancel: Vec::new(),
            race: None,
        }
    }

    /// Makes `flag`, once raised, end every attempt (and those of forks) as if the limit
    /// were hit.
    pub fn stop_on(&mut self, flag: Arc<AtomicBool>) {
        self.cancel.push(flag);
    }

    /// Whether a caller asked to stop (see `stop_on`).
    pub fn stop_requested(&self) -> bool {
        self.cancel.iter().any(|c| c.load(Ordering::Relaxed))
    }

    /// A copy of every node, with empty caches, for an attempt on another thread in `race`
    /// (see `join_race`), and that whatever stops this one stops too.
    pub fn fork(&self, race: Arc<AtomicUsize>) -> Self {
        Bdd {
            nodes: self.nodes.clone(),
            unique: self.unique.clone(),
            cache: Cache::new(),
            limit: self.limit,
            exhausted: self.exhausted,
            cancel: self.cancel.clone(),
            race: Some(race),
        }
    }

    /// Makes this arena's attempts race rivals that start from the same nodes: each that
    /// fits reports its size with `finish_race`, and an attempt that reaches the smallest
    /// reported size gives up.
    pub fn join_race(&mut self, race: Arc<AtomicUsize>) {
        self.race = Some(race);
    }

    /// Reports that this arena's attempt fitted, which ends rivals that reach its size.
    pub fn finish_race(&self) {
        if let Some(r) = &self.race {
            r.fetch_min(self.nodes.len(), Ordering::Relaxed);
        }
    }

    /// Leaves the race: it is over, and this arena carries on alone.
    pub fn leave_race(&mut self) {
        self.race = None;
    }

    /// Starts an attempt that may create at most `budget` nodes; returns a mark for `rollback`.
    pub fn begin(&mut self, budget: usize) -> usize {
        let mark = self.nodes.len();
        self.resume(mark, budget);
        mark
    }

    /// Lets the attempt begun at `mark` go on after it was exhausted, up to `budget` nodes
    /// from `mark`. Every node it made is sound, and nothing computed from the garbage an
    /// exhausted operation returns was cached, so it picks up where it stopped.
    pub fn resume(&mut self, mark: usize, budget: usize) {
        self.limit = mark.saturating_add(budget);
        self.exhausted = false;
    }

    pub fn exhausted(&self) -> bool {
        self.exhausted
    }

    /// Forgets every node created since `mark` (and every cached result, which may name them).
    pub fn rollback(&mut self, mark: usize) {
        self.nodes.truncate(mark);
        self.unique.truncate(self.nodes.len());
        self.cache.reset(self.nodes.len());
        self.exhausted = false;
        self.limit = usize::MAX;
    }

    /// The variable tested at the top of an edge; terminals test `u32::MAX` (below all).
    #[inline]
    pub fn var(&self, e: Edge) -> u32 {
        self.nodes[node_of(e)].var
    }

    /// The two cofactors of `e` with respect to its top variable.
    #[inline]
    pub fn cofactors(&self, e: Edge) -> (Edge, Edge) {
        let n = self.nodes[node_of(e)];
        let c = e & 1;
        (n.hi ^ c, n.lo ^ c)
    }

    fn cofactors_at(&self, e: Edge, var: u32) -> (Edge, Edge) {
        if self.var(e) == var {
            self.cofactors(e)
        } else {
            (e, e)
        }
    }

    /// The node `if var then hi else lo`, reduced and canonical.
    pub fn mk(&mut self, var: u32, hi: Edge, lo: Edge) -> Edge {
        if hi == lo {
            return hi;
        }
        if is_complement(hi) {
            return not(self.mk(var, not(hi), not(lo)));
        }
        let node = Node { var, hi, lo };
        let slot = match self.unique.find(&self.nodes, &node) {
            Ok(id) => return id << 1,
            Err(slot) => slot,
        };
        if self.nodes.len() >= self.limit || self.cancelled() {
            self.exhausted = true;
            return FALSE;
        }
        let id = self.nodes.len() as u32;
        self.nodes.push(node);
        self.unique.insert(&self.nodes, slot, id);
        self.cache.fit(self.nodes.len());
        id << 1
    }

    /// Whether another thread asked this attempt to stop, or a rival fitted with fewer nodes
    /// than this one already has (looked at every 4096 new nodes).
    fn cancelled(&self) -> bool {
        self.nodes.len().is_multiple_of(4096)
            && (self.stop_requested()
                || self
                    .race
                    .as_ref()
                    .is_some_and(|r| self.nodes.len() >= r.load(Ordering::Relaxed)))
    }

    pub fn literal(&mut self, var: u32) -> Edge {
        self.mk(var, TRUE, FALSE)
    }

    pub fn and(&mut self, f: Edge, g: Edge) -> Edge {
        if f == FALSE || g == FALSE || f == not(g) {
            return FALSE;
        }
        if f == TRUE || f == g {
            return g;
        }
        if g == TRUE {
            return f;
        }
        if self.exhausted {
            return FALSE;
        }
        let (a, b) = (f.min(g), f.max(g));
        if let Some(r) = self.cache.get(AND, a, b, 0) {
            return r;
        }
        let var = self.var(f).min(self.var(g));
        let (f1, f0) = self.cofactors_at(f, var);
        let (g1, g0) = self.cofactors_at(g, var);
        let hi = self.and(f1, g1);
        let lo = self.and(f0, g0);
        let r = self.mk(var, hi, lo);
        if !self.exhausted {
            self.cache.put(AND, a, b, 0, r);
        }
        r
    }

    pub fn or(&mut self, f: Edge, g: Edge) -> Edge {
        not(self.and(not(f), not(g)))
    }

    pub fn xor(&mut self, f: Edge, g: Edge) -> Edge {
        if f == g {
            return FALSE;
        }
        if f == not(g) {
            return TRUE;
        }
        if f == FALSE {
            return g;
        }
        if g == FALSE {
            return f;
        }
        if f == TRUE {
            return not(g);
        }
        if g == TRUE {
            return not(f);
        }
        if self.exhausted {
            return FALSE;
        }
        // Complements factor out: ¬f ⊕ g = ¬(f ⊕ g).
        let c = (f ^ g) & 1;
        let (f, g) = (f & !1, g & !1);
        let (a, b) = (f.min(g), f.max(g));
        if let Some(r) = self.cache.get(XOR, a, b, 0) {
            return r ^ c;
        }
        let var = self.var(f).min(self.var(g));
        let (f1, f0) = self.cofactors_at(f, var);
        let (g1, g0) = self.cofactors_at(g, var);
        let hi = self.xor(f1, g1);
        let lo = self.xor(f0, g0);
        let r = self.mk(var, hi, lo);
        if !self.exhausted {
            self.cache.put(XOR, a, b, 0, r);
        }
        r ^ c
    }

    /// `if f then g else h`.
    pub fn ite(&mut self, f: Edge, g: Edge, h: Edge) -> Edge {
        let a = self.and(f, g);
        let b = self.and(not(f), h);
        self.or(a, b)
    }

    /// At least `k` of `args` are true, by the recurrence V(k, x:xs) = x ? V(k−1, xs) : V(k, xs).
    pub fn vote(&mut self, k: usize, args: &[Edge]) -> Edge {
        // row[j] = V(j, suffix) for j = 0..=k, built from the last argument backwards.
        let n = args.len();
        if k > n {
            return FALSE;
        }
        let mut row: Vec<Edge> = (0..=k).map(|j| if j == 0 { TRUE } else { FALSE }).collect();
        for (i, &x) in args.iter().enumerate().rev() {
            let remaining = n - i;
            for j in (1..=k.min(remaining)).rev() {
                row[j] = self.ite(x, row[j - 1], row[j]);
            }
        }
        row[k]
    }

    /// Nodes reachable from `root` (terminal excluded), children before parents.
    pub fn reachable(&self, roots: &[Edge]) -> Vec<u32> {
        let mut seen = vec![false; self.nodes.len()];
        seen[0] = true;
        let mut stack: Vec<usize> = roots.iter().map(|&r| node_of(r)).collect();
        let (mut first, mut last) = (usize::MAX, 0);
        while let Some(n) = stack.pop() {
            if seen[n] {
                continue;
            }
            seen[n] = true;
            first = first.min(n);
            last = last.max(n);
            let node = self.nodes[n];
            stack.push(node_of(node.hi));
            stack.push(node_of(node.lo));
        }
        // Nodes are created after their children: ascending index is a bottom-up order. A
        // module's nodes lie in the block its build made, so scanning that block beats sorting.
        (first..=last)
            .filter(|&n| seen[n])
            .map(|n| n as u32)
            .collect()
    }

    /// Probability of every node in `order` (bottom-up) being true and being false, given
    /// the same for each variable. The false side is computed alongside, not as 1 − P: with
    /// complement edges that subtraction would lose every digit of a tiny probability.
    pub fn probabilities(&self, order: &[u32], vars: &[[f64; 2]], table: &mut [[f64; 2]]) {
        table[0] = [1.0, 0.0];
        for &n in order {
            let node = self.nodes[n as usize];
            let [q, not_q] = vars[node.var as usize];
            let hi = table[node_of(node.hi)];
            let lo = table[node_of(node.lo)];
            let c = usize::from(is_complement(node.lo));
            table[n as usize] = [q * hi[0] + not_q * lo[c], q * hi[1] + not_q * lo[1 - c]];
        }
    }

    /// The value of `e` under an assignment of its variables.
    pub fn eval(&self, mut e: Edge, value: impl Fn(u32) -> bool) -> bool {
        while node_of(e) != 0 {
            let (hi, lo) = self.cofactors(e);
            e = if value(self.var(e)) { hi } else { lo };
        }
        e == TRUE
    }

    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }
}

#[inline]
pub fn edge_value(table: &[[f64; 2]], e: Edge) -> f64 {
    table[node_of(e)][usize::from(is_complement(e))]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boolean_identities_hold() {
        let mut b = Bdd::new();
        let (x, y, z) = (b.literal(0), b.literal(1), b.literal(2));
        let xy = b.and(x, y);
        let yx = b.and(y, x);
        assert_eq!(xy, yx);
        let n = b.and(x, not(x));
        assert_eq!(n, FALSE);
        let a = b.or(x, y);
        let c = b.and(not(x), not(y));
        assert_eq!(a, not(c));
        let x1 = b.xor(x, y);
        let x2 = b.xor(not(x), y);
        assert_eq!(x1, not(x2));
        let v = b.vote(2, &[x, y, z]);
        let yz = b.and(y, z);
        let xz = b.and(x, z);
        let o1 = b.or(xy, yz);
        let o2 = b.or(o1, xz);
        assert_eq!(v, o2);
    }
}
