//! Minimal cut sets as a zero-suppressed BDD: Rauzy's minimal-solutions algorithm on each
//! module's BDD, modules expanded by joins (products over disjoint, consecutive variables).
//! Families are counted, summed and searched without enumerating them, so astronomically many
//! cut sets cost nothing extra.

use super::bdd::{self, Bdd, Edge};
use super::table::{Node, Unique};
use rustc_hash::FxHashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A ZBDD node index. 0 is the empty family, 1 the family holding only the empty set.
pub type Z = u32;
pub const EMPTY: Z = 0;
pub const BASE: Z = 1;

/// No order limit.
pub const UNLIMITED: u32 = u32::MAX;

const WITHOUT: usize = 0;
const UNION: usize = 1;
const MINSOL: usize = 2;
const WITHOUT_BDD: usize = 3;
const MINIMAL: usize = 4;

fn pair(a: u32, b: u32) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

/// A BDD as the minimal-solutions algorithm reads it: `level[v]` places BDD variable `v` in
/// the ZBDD's order (an empty slice: its own index), and `flip[v]` swaps its cofactors (a
/// variable standing for the negation of its BDD variable). Within what one call reads,
/// levels must keep the BDD's order.
pub struct Reading<'a> {
    bdd: &'a Bdd,
    flip: &'a [bool],
    level: &'a [u32],
}

impl<'a> Reading<'a> {
    pub fn new(bdd: &'a Bdd, flip: &'a [bool], level: &'a [u32]) -> Self {
        Reading { bdd, flip, level }
    }

    fn var(&self, f: Edge) -> u32 {
        let v = self.bdd.var(f);
        self.level.get(v as usize).copied().unwrap_or(v)
    }

    fn cofactors(&self, f: Edge) -> (Edge, Edge) {
        let b = self.bdd;
        let (f1, f0) = b.cofactors(f);
        if self.flip.get(b.var(f) as usize) == Some(&true) {
            (f0, f1)
        } else {
            (f1, f0)
        }
    }
}

pub struct Zbdd {
    nodes: Vec<Node>,
    unique: Unique,
    /// Results of every operation, kept exactly (a lossy cache would recompute families that
    /// many products share, exponentially often); one table per operation, keyed by packed
    /// operands.
    memo: [FxHashMap<u64, Z>; 5],
    /// Products, and whether the order limit dropped a set from them.
    products: FxHashMap<(u64, u32), (Z, bool)>,
    /// Joins, likewise.
    joins: FxHashMap<(u64, u32), (Z, bool)>,
    /// Whether a product has dropped a set for its order limit (see `take_truncated`).
    truncated: bool,
    /// Node count past which nodes are no longer made (see `exhausted`).
    limit: usize,
    /// Raised from another thread to end the work as if the limit were hit.
    stop: Option<Arc<AtomicBool>>,
    stopped: bool,
}

impl Default for Zbdd {
    fn default() -> Self {
        Self::new()
    }
}

/// The limit for what remains of a set once one element is taken.
pub fn less(limit: u32) -> u32 {
    if limit == UNLIMITED { limit } else { limit - 1 }
}

impl Zbdd {
    pub fn new() -> Self {
        let terminal = Node {
            var: u32::MAX,
            hi: EMPTY,
            lo: EMPTY,
        };
        Zbdd {
            nodes: vec![terminal, terminal],
            unique: Unique::new(),
            memo: Default::default(),
            products: FxHashMap::default(),
            joins: FxHashMap::default(),
            truncated: false,
            limit: usize::MAX,
            stop: None,
            stopped: false,
        }
    }

    /// An empty diagram that stops making nodes past `max_nodes`, or once `stop` is raised
    /// (looked at every 4096 new nodes): every operation then returns garbage quickly, and
    /// the caller gives up on the diagram.
    pub fn with_limit(max_nodes: usize, stop: Option<Arc<AtomicBool>>) -> Self {
        Zbdd {
            limit: max_nodes,
            stop,
            ..Zbdd::new()
        }
    }

    /// Whether the node limit was reached or the work stopped: results are garbage since.
    pub fn exhausted(&self) -> bool {
        self.stopped || self.nodes.len() >= self.limit
    }

    /// Whether the stop flag ended the work.
    pub fn stopped(&self) -> bool {
        self.stopped
    }

    fn var(&self, z: Z) -> u32 {
        self.nodes[z as usize].var
    }

    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// Whether an order limit has dropped a set from a product (which then may, or may not,
    /// have been minimal) since the last call.
    pub fn take_truncated(&mut self) -> bool {
        std::mem::take(&mut self.truncated)
    }

    pub fn children(&self, z: Z) -> (u32, Z, Z) {
        let n = self.nodes[z as usize];
        (n.var, n.hi, n.lo)
    }

    /// The family of `lo`'s sets and of `{var}` joined to each of `hi`'s; `var` must come
    /// before every variable of `hi` and `lo`.
    pub fn mk(&mut self, var: u32, hi: Z, lo: Z) -> Z {
        if hi == EMPTY {
            return lo;
        }
        let node = Node { var, hi, lo };
        match self.unique.find(&self.nodes, &node) {
            Ok(id) => id,
            Err(_) if self.exhausted() => EMPTY,
            Err(_)
                if self.nodes.len().is_multiple_of(4096)
                    && self
                        .stop
                        .as_ref()
                        .is_some_and(|s| s.load(Ordering::Relaxed)) =>
            {
                self.stopped = true;
                EMPTY
            }
            Err(slot) => {
                let id = self.nodes.len() as Z;
                self.nodes.push(node);
                self.unique.insert(&self.nodes, slot, id);
                id
            }
        }
    }

    fn has_empty_set(&self, mut z: Z) -> bool {
        while z > BASE {
            z = self.nodes[z as usize].lo;
        }
        z == BASE
    }

    /// The unions of a set of `f` with a set of `g` under an order limit of 0, when one of
    /// them has a non-empty set: the empty set if both have it, and a dropped set.
    fn empty_unions(&mut self, f: Z, g: Z) -> Z {
        self.truncated = true;
        if self.has_empty_set(f) && self.has_empty_set(g) {
            BASE
        } else {
            EMPTY
        }
    }

    /// The sets of `f` that contain no set of `g`.
    pub fn without(&mut self, f: Z, mut g: Z) -> Z {
        if f == EMPTY {
            return EMPTY;
        }
        // Sets of g holding a variable above f's top cannot be inside sets of f, which lack
        // it: g's sets without it are read, without remembering each step (for f = BASE,
        // down to g's empty set or none).
        let fv = self.var(f);
        while g > BASE && self.var(g) < fv {
            g = self.nodes[g as usize].lo;
        }
        if g == BASE || f == g {
            return EMPTY;
        }
        if g == EMPTY {
            return f;
        }
        if let Some(r) = self.memo[WITHOUT].get(&pair(f, g)).copied() {
            return r;
        }
        let (gv, gh, gl) = self.children(g);
        let (_, fh, fl) = self.children(f);
        let (hi, lo) = if fv < gv {
            (self.without(fh, g), self.without(fl, g))
        } else {
            let h = self.without(fh, gh);
            (self.without(h, gl), self.without(fl, gl))
        };
        // Nothing removed (often): f itself, without a unique-table lookup.
        let r = if (hi, lo) == (fh, fl) {
            f
        } else {
            self.mk(fv, hi, lo)
        };
        self.memo[WITHOUT].insert(pair(f, g), r);
        r
    }

    pub fn union(&mut self, f: Z, g: Z) -> Z {
        if f == EMPTY || f == g {
            return g;
        }
        if g == EMPTY {
            return f;
        }
        let (a, b) = (f.min(g), f.max(g));
        if let Some(r) = self.memo[UNION].get(&pair(a, b)).copied() {
            return r;
        }
        let (fv, fh, fl) = self.children(f);
        let (gv, gh, gl) = self.children(g);
        let r = if fv < gv {
            let lo = self.union(fl, g);
            self.mk(fv, fh, lo)
        } else if fv > gv {
            let lo = self.union(f, gl);
            self.mk(gv, gh, lo)
        } else {
            let hi = self.union(fh, gh);
            let lo = self.union(fl, gl);
            self.mk(fv, hi, lo)
        };
        self.memo[UNION].insert(pair(a, b), r);
        r
    }

    /// Every union of a set of `f` with a set of `g`, keeping those of at most `limit`
    /// elements.
    pub fn product(&mut self, f: Z, g: Z, limit: u32) -> Z {
        if f == EMPTY || g == EMPTY {
            return EMPTY;
        }
        if f == BASE && g == BASE {
            return BASE;
        }
        if limit == 0 {
            // Not both BASE: a non-empty set is dropped.
            return self.empty_unions(f, g);
        }
        let key = (pair(f.min(g), f.max(g)), limit);
        if let Some((r, dropped)) = self.products.get(&key).copied() {
            self.truncated |= dropped;
            return r;
        }
        let outer = std::mem::take(&mut self.truncated);
        // f = v·fh ∪ fl and g = v·gh ∪ gl: f·g = v·(fh·gh ∪ fh·gl ∪ fl·gh) ∪ fl·gl. Over
        // disjoint variables one of fh and gh is empty, and this is one product.
        let v = self.var(f).min(self.var(g));
        let split = |z: &Self, x: Z| {
            if z.var(x) == v {
                let (_, h, l) = z.children(x);
                (h, l)
            } else {
                (EMPTY, x)
            }
        };
        let ((fh, fl), (gh, gl)) = (split(self, f), split(self, g));
        let fewer = less(limit);
        let both = self.product(fh, gh, fewer);
        let only_f = self.product(fh, gl, fewer);
        let only_g = self.product(fl, gh, fewer);
        let hi = self.union(both, only_f);
        let hi = self.union(hi, only_g);
        let lo = self.product(fl, gl, limit);
        let r = self.mk(v, hi, lo);
        self.products.insert(key, (r, self.truncated));
        self.truncated |= outer;
        r
    }

    /// Every union of a set of `f` with a set of `g`, keeping those of at most `limit`
    /// elements, when every variable of `f` comes before every variable of `g`: `g` hangs
    /// under `f`'s paths to the empty set, a walk over `f` rather than a product.
    pub fn join(&mut self, f: Z, g: Z, limit: u32) -> Z {
        if f == EMPTY || g == EMPTY {
            return EMPTY;
        }
        if f == BASE {
            // g's sets within the limit.
            return self.product(BASE, g, limit);
        }
        if limit == 0 {
            // f has a non-empty set, which is dropped.
            return self.empty_unions(f, g);
        }
        let key = (pair(f, g), limit);
        if let Some((r, dropped)) = self.joins.get(&key).copied() {
            self.truncated |= dropped;
            return r;
        }
        let outer = std::mem::take(&mut self.truncated);
        let (v, fh, fl) = self.children(f);
        let hi = self.join(fh, g, less(limit));
        let lo = self.join(fl, g, limit);
        let r = self.mk(v, hi, lo);
        self.joins.insert(key, (r, self.truncated));
        self.truncated |= outer;
        r
    }

    /// The sets of `f` that contain no other set of `f`.
    pub fn minimal(&mut self, f: Z) -> Z {
        if f <= BASE {
            return f;
        }
        if let Some(r) = self.memo[MINIMAL].get(&u64::from(f)).copied() {
            return r;
        }
        let (v, h, l) = self.children(f);
        let lo = self.minimal(l);
        let hi = self.minimal(h);
        let hi = self.without(hi, lo);
        let r = self.mk(v, hi, lo);
        self.memo[MINIMAL].insert(u64::from(f), r);
        r
    }

    /// The sets of `z` on which BDD `f` is false (a set read as: its variables true, all
    /// others false). For a monotone `f` these are the sets containing no minimal solution of
    /// `f`: the subsumption test done on the BDD, without building `f`'s solutions.
    fn without_bdd(&mut self, r: &Reading, z: Z, mut f: Edge) -> Z {
        if z == EMPTY {
            return EMPTY;
        }
        // No set of z holds a variable above z's top (for the empty set, z = BASE: any):
        // f is read with those false, down its low edges, without remembering each step.
        let zv = self.var(z);
        while f > bdd::FALSE && r.var(f) < zv {
            f = r.cofactors(f).1;
        }
        if f == bdd::TRUE {
            return EMPTY;
        }
        if f == bdd::FALSE {
            return z;
        }
        if let Some(res) = self.memo[WITHOUT_BDD].get(&pair(z, f)).copied() {
            return res;
        }
        let (zv, zh, zl) = self.children(z);
        let (f1, f0) = if zv < r.var(f) {
            (f, f)
        } else {
            r.cofactors(f)
        };
        let hi = self.without_bdd(r, zh, f1);
        let lo = self.without_bdd(r, zl, f0);
        // Nothing removed (often): z itself, without a unique-table lookup.
        let res = if (hi, lo) == (zh, zl) {
            z
        } else {
            self.mk(zv, hi, lo)
        };
        self.memo[WITHOUT_BDD].insert(pair(z, f), res);
        res
    }

    /// The minimal solutions of BDD `f` as `r` reads it: the smallest sets of variables whose
    /// truth (all others false) makes `f` true, of at most `limit` elements. Negated variables
    /// never enter a set. The same `r` must be used for every call on one `Zbdd`. `monotone`
    /// says that `f` is (no variable flipped, no negation): subsumption is then tested on the
    /// BDD.
    pub fn minsol(&mut self, r: &Reading, f: Edge, limit: u32, monotone: bool) -> Z {
        if f == bdd::TRUE {
            return BASE;
        }
        if f == bdd::FALSE {
            return EMPTY;
        }
        if let Some(res) = self.memo[MINSOL].get(&pair(f, limit)).copied() {
            return res;
        }
        let var = r.var(f);
        let (f1, f0) = r.cofactors(f);
        let lo = self.minsol(r, f0, limit, monotone);
        let res = if limit == 0 {
            lo
        } else {
            let hi = self.minsol(r, f1, less(limit), monotone);
            // Both tests agree on a monotone f; the BDD is canonical and smaller.
            let hi = if monotone {
                self.without_bdd(r, hi, f0)
            } else {
                self.without(hi, lo)
            };
            self.mk(var, hi, lo)
        };
        self.memo[MINSOL].insert(pair(f, limit), res);
        res
    }
}

/// A family ready to be read, its variables true with probabilities `p`: every pass visits
/// each of its nodes once, bottom-up, and a family can have millions of nodes, so tables are
/// indexed by node rather than hashed.
pub struct Sets<'z> {
    z: &'z Zbdd,
    root: Z,
    p: &'z [f64],
    /// The nodes under the root, terminals excluded, children before parents.
    order: Vec<Z>,
    /// The probability of the most probable set under each node, once asked for.
    best: std::cell::OnceCell<Vec<f64>>,
}

impl<'z> Sets<'z> {
    pub fn new(z: &'z Zbdd, root: Z, p: &'z [f64]) -> Self {
        let mut seen = vec![false; z.nodes.len()];
        let mut stack = vec![root];
        while let Some(n) = stack.pop() {
            if n > BASE && !seen[n as usize] {
                seen[n as usize] = true;
                let (_, hi, lo) = z.children(n);
                stack.extend([hi, lo]);
            }
        }
        // Nodes are made after their children: ascending index is bottom-up.
        let order = (0..z.nodes.len() as Z)
            .filter(|&n| seen[n as usize])
            .collect();
        Sets {
            z,
            root,
            p,
            order,
            best: std::cell::OnceCell::new(),
        }
    }

    /// A value per node, indexed by node: the empty family 0, the empty set 1, and a node
    /// `combine(variable, value of hi, value of lo)`.
    fn fold(&self, combine: impl Fn(u32, f64, f64) -> f64) -> Vec<f64> {
        let mut table = vec![0.0; self.z.nodes.len()];
        table[BASE as usize] = 1.0;
        for &n in &self.order {
            let (v, hi, lo) = self.z.children(n);
            table[n as usize] = combine(v, table[hi as usize], table[lo as usize]);
        }
        table
    }

    /// Number of sets of each size (index = size), saturating.
    pub fn count_by_order(&self) -> Vec<u128> {
        // Each node's counts are a row of `rows`, at `at[node]` (start, length).
        let mut at = vec![(0, 0); self.z.nodes.len()];
        let mut rows: Vec<u128> = vec![1];
        at[BASE as usize] = (0, 1);
        let mut row = Vec::new();
        for &n in &self.order {
            let (_, hi, lo) = self.z.children(n);
            let (h, h_len) = at[hi as usize];
            let (l, l_len) = at[lo as usize];
            row.clear();
            row.extend_from_slice(&rows[l..l + l_len]);
            row.resize(row.len().max(h_len + 1), 0);
            for (k, c) in rows[h..h + h_len].iter().enumerate() {
                row[k + 1] = row[k + 1].saturating_add(*c);
            }
            at[n as usize] = (rows.len(), row.len());
            rows.extend_from_slice(&row);
        }
        let (start, len) = at[self.root as usize];
        rows[start..start + len].to_vec()
    }

    /// The probability of each variable.
    pub fn probabilities(&self) -> &[f64] {
        self.p
    }

    /// Σ over sets of Π q of their elements (with the probabilities: the rare-event
    /// approximation).
    pub fn sum_of(&self, q: &[f64]) -> f64 {
        let table = self.fold(|v, hi, lo| q[v as usize] * hi + lo);
        table[self.root as usize]
    }

    /// For every variable v, over the sets holding v, the products of `q` over their other
    /// elements, combined by `add`: with `+`, ∂/∂q(v) of Σ over sets of Π q; with `max`, the
    /// largest. Two passes: the combination below each node, then over the paths above it.
    pub fn partials(&self, q: &[f64], add: impl Fn(f64, f64) -> f64) -> Vec<f64> {
        let below = self.fold(|v, hi, lo| add(q[v as usize] * hi, lo));
        // Over the paths from the root to each node, the products of the variables they take.
        let mut above = vec![0.0; self.z.nodes.len()];
        above[self.root as usize] = 1.0;
        let mut out = vec![0.0; self.p.len()];
        for &n in self.order.iter().rev() {
            let (v, hi, lo) = self.z.children(n);
            let a = above[n as usize];
            out[v as usize] = add(out[v as usize], a * below[hi as usize]);
            above[hi as usize] = add(above[hi as usize], a * q[v as usize]);
            above[lo as usize] = add(above[lo as usize], a);
        }
        out
    }

    /// The family apart from its diagram, to evaluate for new probabilities (see `Flat`).
    pub fn flat(&self) -> Flat {
        // The terminals keep their numbers, 0 and 1.
        let mut at = vec![EMPTY; self.z.nodes.len()];
        at[BASE as usize] = BASE;
        let mut nodes = Vec::with_capacity(self.order.len());
        for &n in &self.order {
            let (v, hi, lo) = self.z.children(n);
            nodes.push(Node {
                var: v,
                hi: at[hi as usize],
                lo: at[lo as usize],
            });
            at[n as usize] = nodes.len() as u32 + 1;
        }
        Flat {
            nodes,
            root: at[self.root as usize],
            table: Vec::new(),
        }
    }

    /// Up to `n` of the sets, in no particular order (the improbable too, unlike
    /// `most_probable`).
    pub fn list(&self, n: usize) -> Vec<Vec<u32>> {
        let mut out = Vec::new();
        let mut stack = vec![(self.root, Vec::new())];
        while let Some((node, set)) = stack.pop() {
            if out.len() >= n {
                break;
            }
            match node {
                EMPTY => {}
                BASE => out.push(set),
                _ => {
                    let (v, hi, lo) = self.z.children(node);
                    let mut with = set.clone();
                    with.push(v);
                    stack.extend([(lo, set), (hi, with)]);
                }
            }
        }
        out
    }

    /// The probability of the most probable set.
    pub fn best(&self) -> f64 {
        self.best_table()[self.root as usize]
    }

    /// The probability of the most probable set under each node.
    fn best_table(&self) -> &[f64] {
        self.best
            .get_or_init(|| self.fold(|v, hi, lo| (self.p[v as usize] * hi).max(lo)))
    }

    /// The most probable sets, most probable first, at most `n` of them and none below
    /// `cutoff`: a best-first search whose bound (the best completion) is exact.
    pub fn most_probable(&self, n: usize, cutoff: f64) -> Vec<(Vec<u32>, f64)> {
        use std::collections::BinaryHeap;
        #[derive(PartialEq)]
        struct Entry {
            bound: f64,
            prefix: f64,
            node: Z,
            set: Vec<u32>,
        }
        impl Eq for Entry {}
        impl PartialOrd for Entry {
            fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }
        impl Ord for Entry {
            fn cmp(&self, other: &Self) -> std::cmp::Ordering {
                self.bound.total_cmp(&other.bound)
            }
        }
        let (p, best) = (self.p, self.best_table());
        let mut heap = BinaryHeap::new();
        let mut out = Vec::new();
        if self.root != EMPTY {
            heap.push(Entry {
                bound: best[self.root as usize],
                prefix: 1.0,
                node: self.root,
                set: Vec::new(),
            });
        }
        while let Some(e) = heap.pop() {
            if out.len() >= n || e.bound < cutoff || e.bound <= 0.0 {
                break;
            }
            if e.node == BASE {
                out.push((e.set, e.prefix));
                continue;
            }
            let (v, hi, lo) = self.z.children(e.node);
            let with = e.prefix * p[v as usize];
            let mut set = e.set.clone();
            set.push(v);
            heap.push(Entry {
                bound: with * best[hi as usize],
                prefix: with,
                node: hi,
                set,
            });
            if lo != EMPTY {
                heap.push(Entry {
                    bound: e.prefix * best[lo as usize],
                    prefix: e.prefix,
                    node: lo,
                    set: e.set,
                });
            }
        }
        out
    }
}

/// A family's nodes renumbered from 2 on, children first, without the diagram around them:
/// a fold over it for new probabilities costs one pass over a small table (Monte Carlo).
#[derive(Clone)]
pub struct Flat {
    nodes: Vec<Node>,
    root: u32,
    table: Vec<f64>,
}

impl Flat {
    /// The root's value when the empty family is 0, the empty set 1, and a node
    /// `combine(variable, value of hi, value of lo)`.
    pub fn fold(&mut self, combine: impl Fn(u32, f64, f64) -> f64) -> f64 {
        self.table.clear();
        self.table.extend([0.0, 1.0]);
        for n in &self.nodes {
            let t = &self.table;
            let v = combine(n.var, t[n.hi as usize], t[n.lo as usize]);
            self.table.push(v);
        }
        self.table[self.root as usize]
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn read(bdd: &Bdd) -> Reading<'_> {
        Reading::new(bdd, &[], &[])
    }

    #[test]
    fn minimal_solutions_of_a_two_out_of_three() {
        let mut b = Bdd::new();
        let x: Vec<Edge> = (0..3).map(|v| b.literal(v)).collect();
        let f = b.vote(2, &x);
        let mut z = Zbdd::new();
        let m = z.minsol(&read(&b), f, UNLIMITED, true);
        assert_eq!(Sets::new(&z, m, &[]).count_by_order(), vec![0, 0, 3]);
        let limited = z.minsol(&read(&b), f, 1, true);
        assert_eq!(
            Sets::new(&z, limited, &[]).count_by_order(),
            Vec::<u128>::new()
        );
    }

    #[test]
    fn subsumption_on_the_bdd_agrees_with_subsumption_on_families() {
        // (x0 ∧ x1) ∨ (x1 ∧ x2) ∨ x3 ∨ 2-of-{x0, x2, x4}: monotone, with subsumed products.
        let mut b = Bdd::new();
        let x: Vec<Edge> = (0..5).map(|v| b.literal(v)).collect();
        let a = b.and(x[0], x[1]);
        let c = b.and(x[1], x[2]);
        let v = b.vote(2, &[x[0], x[2], x[4]]);
        let f = [c, x[3], v].into_iter().fold(a, |acc, g| b.or(acc, g));
        let p = [0.1, 0.2, 0.3, 0.4, 0.5];
        let sets = |monotone: bool| {
            let mut z = Zbdd::new();
            let m = z.minsol(&read(&b), f, UNLIMITED, monotone);
            let family = Sets::new(&z, m, &p);
            (family.count_by_order(), family.most_probable(100, 0.0))
        };
        let on_bdd = sets(true);
        assert_eq!(on_bdd.0, vec![0, 1, 5]);
        assert_eq!(on_bdd, sets(false));
    }

    #[test]
    fn negated_literals_do_not_enter_cut_sets() {
        let mut b = Bdd::new();
        let (x, y) = (b.literal(0), b.literal(1));
        let f = b.and(x, bdd::not(y));
        let mut z = Zbdd::new();
        let m = z.minsol(&read(&b), f, UNLIMITED, false);
        let sets = Sets::new(&z, m, &[0.5, 0.5]).most_probable(10, 0.0);
        assert_eq!(sets, vec![(vec![0], 0.5)]);
    }

    /// The family of sets given as bit masks (bit v for variable v).
    pub(crate) fn family(z: &mut Zbdd, sets: &[u32]) -> Z {
        sets.iter().fold(EMPTY, |acc, &m| {
            let one = (0..u32::BITS)
                .rev()
                .filter(|v| m & (1 << v) != 0)
                .fold(BASE, |hi, v| z.mk(v, hi, EMPTY));
            z.union(acc, one)
        })
    }

    fn masks(z: &Zbdd, f: Z) -> Vec<u32> {
        let mut out: Vec<u32> = Sets::new(z, f, &[0.5; 6])
            .most_probable(1 << 6, 0.0)
            .into_iter()
            .map(|(vars, _)| vars.iter().fold(0, |m, v| m | 1 << v))
            .collect();
        out.sort_unstable();
        out
    }

    /// Builds families `a` and `b` and checks `op` on them against every union of a set of
    /// `a` with a set of `b` of at most `limit` elements, the flag for a dropped set included.
    fn check_unions(
        a: &[u32],
        b: &[u32],
        limit: u32,
        op: fn(&mut Zbdd, Z, Z, u32) -> Z,
    ) -> (Zbdd, Z, Vec<u32>) {
        let mut z = Zbdd::new();
        let (fa, fb) = (family(&mut z, a), family(&mut z, b));
        let r = op(&mut z, fa, fb, limit);
        let mut unions: Vec<u32> = a
            .iter()
            .flat_map(|x| b.iter().map(move |y| x | y))
            .collect();
        let dropped = unions.iter().any(|m| m.count_ones() > limit);
        unions.retain(|m| m.count_ones() <= limit);
        unions.sort_unstable();
        unions.dedup();
        assert_eq!(masks(&z, r), unions, "{a:?} with {b:?} ≤ {limit}");
        assert_eq!(z.take_truncated(), dropped, "{a:?} with {b:?} ≤ {limit}");
        (z, r, unions)
    }

    /// 200 pairs of random families of sets of 6 variables, with order limits from 0 to 6.
    pub(crate) fn random_pairs() -> Vec<(Vec<u32>, Vec<u32>, u32)> {
        let mut seed = 7u64;
        let mut next = || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
            (seed >> 40) as u32 % 64
        };
        (0..200)
            .map(|round| {
                let mut pick = |n: u32| -> Vec<u32> { (0..n).map(|_| next()).collect() };
                let a = pick(1 + round % 5);
                (a, pick(1 + round % 4), round % 7)
            })
            .collect()
    }

    #[test]
    fn products_and_minimal_families_agree_with_sets_of_sets() {
        for (a, b, limit) in random_pairs() {
            let (mut z, product, unions) = check_unions(&a, &b, limit, Zbdd::product);
            let minimal = z.minimal(product);
            let expected: Vec<u32> = unions
                .iter()
                .copied()
                .filter(|&m| !unions.iter().any(|&o| o != m && o & m == o))
                .collect();
            assert_eq!(masks(&z, minimal), expected, "minimal of {unions:?}");
        }
    }

    #[test]
    fn sums_and_partials_agree_with_their_definitions() {
        let p = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6];
        // The product of `q` over the elements of set `m`.
        let product = |m: u32, q: &dyn Fn(u32) -> f64| {
            (0..6).filter(|v| m & (1 << v) != 0).map(q).product::<f64>()
        };
        for (a, _, _) in random_pairs() {
            let mut z = Zbdd::new();
            let f = family(&mut z, &a);
            let sets = masks(&z, f);
            let family = Sets::new(&z, f, &p);
            let squared = |v: u32| p[v as usize] * p[v as usize];
            let sum: f64 = sets.iter().map(|&m| product(m, &squared)).sum();
            let value = family.sum_of(&p.map(|q| q * q));
            assert!((value - sum).abs() < 1e-12, "{sets:?}: {value} ≠ {sum}");
            // The sum for other probabilities, from the flat copy.
            let other = |v: u32| 0.9 - 0.1 * f64::from(v);
            let sum: f64 = sets.iter().map(|&m| product(m, &other)).sum();
            let value = family.flat().fold(|v, hi, lo| other(v) * hi + lo);
            assert!((value - sum).abs() < 1e-12, "{sets:?}: {value} ≠ {sum}");
            let sums = family.partials(&p, |a, b| a + b);
            let maxima = family.partials(&p, f64::max);
            for v in 0..6 {
                // The products of the other elements of the sets holding v.
                let others = sets
                    .iter()
                    .filter(|&&m| m & (1 << v) != 0)
                    .map(|&m| product(m & !(1 << v), &|u| p[u as usize]));
                let (sum, max) = others.fold((0.0, 0.0), |(s, x), q| (s + q, q.max(x)));
                let (got_sum, got_max) = (sums[v as usize], maxima[v as usize]);
                assert!(
                    (got_sum - sum).abs() < 1e-12,
                    "{sets:?} at {v}: {got_sum} ≠ {sum}"
                );
                assert!(
                    (got_max - max).abs() < 1e-12,
                    "{sets:?} at {v}: {got_max} ≠ {max}"
                );
            }
        }
    }

    #[test]
    fn joins_agree_with_sets_of_sets() {
        for (a, b, limit) in random_pairs() {
            // Sets of the first three variables, then of the last three; empty sets too.
            let a: Vec<u32> = a.iter().map(|m| m & 0b000_111).collect();
            let b: Vec<u32> = b.iter().map(|m| m & 0b111_000).collect();
            check_unions(&a, &b, limit, Zbdd::join);
        }
    }
}
