//! Compiles a normalised fault tree into BDDs, one per module, and computes probabilities.
//! Each module is compiled on its own, children first, trying several variable orders under
//! a node budget that grows until one succeeds; a failed attempt is rolled back.

use super::bdd::{self, Bdd, Edge};
use super::circuit::{Circuit, Lit, Op, Val};
use super::modules;
use super::order::{self, Heuristic};
use super::progress::{self, Phase};
use rustc_hash::FxHashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize};

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
    /// Its own variables are `first_var..` up to the next module's.
    pub first_var: u32,
}

/// The solved tree: BDDs of every module, children before parents; the last is the top.
pub struct Solved {
    pub bdd: Bdd,
    pub sources: Vec<Source>,
    pub modules: Vec<Module>,
    /// The top event: the top module's root (possibly negated), or a constant.
    pub top: Edge,
    /// Probability of every BDD variable being true and being false (events given, modules
    /// computed; see `bdd::probabilities`).
    pub vars: Vec<[f64; 2]>,
    /// The nodes of each module's BDD, bottom-up (the top module's: under `top_order`).
    pub module_orders: Vec<Vec<u32>>,
    pub top_order: Vec<u32>,
}

/// Node budgets of successive rounds. Past the last (about 6 GB of arenas and tables),
/// the tree is reported too large rather than left to exhaust the machine's memory.
const BUDGETS: [usize; 5] = [50_000, 400_000, 3_200_000, 25_600_000, 102_400_000];

/// Budgets from which orders are tried in parallel, each in its own copy of the arena. A
/// copy whose order fails is kept, and the next round resumes it where it stopped instead of
/// redoing the gates it had compiled (on das9701, 2 of the winner's 9 s).
const PARALLEL_BUDGET: usize = 400_000;

/// Memory an attempt takes per BDD node at most, at the budgets where memory decides (25.6 M
/// nodes on): 12 bytes of node, up to 32 of unique table while it grows, about 10 of cache
/// (nus9601 peaks at 4.6 GB with 102.4 M nodes alive).
const BYTES_PER_NODE: u64 = 56;

/// How many orders round `round` of `budgets` tries: the last, the largest, is for the most
/// promising order alone; parallel rounds before the one ahead of it are for the leading
/// pair (see `Compiler::module`), at once on two cores, one after the other on one (the
/// leader after the smallest budget is not always the order that fits: on one core,
/// cea9601 took 17 s when only the leader was tried, until the round that tries them all);
/// the others try every order.
fn orders_tried(round: usize, budgets: &[usize]) -> usize {
    if round + 1 == budgets.len() {
        1
    } else if budgets[round] >= PARALLEL_BUDGET && round + 2 < budgets.len() {
        2
    } else {
        Heuristic::ALL.len()
    }
}

/// The largest node budget (`Effort::max_nodes`) whose rounds fit in `bytes` of memory,
/// counting the attempts each round keeps alive: one at a time below the parallel budget,
/// every order tried from it on (each failed attempt is held for the next round).
pub fn max_nodes_within(bytes: u64) -> usize {
    let peak = |budgets: &[usize]| -> u64 {
        (0..budgets.len())
            .map(|r| {
                let alive = if budgets[r] < PARALLEL_BUDGET {
                    1
                } else {
                    orders_tried(r, budgets)
                };
                budgets[r] as u64 * alive as u64 * BYTES_PER_NODE
            })
            .max()
            .unwrap_or(0)
    };
    (1..=BUDGETS.len())
        .rev()
        .map(|k| &BUDGETS[..k])
        .find(|b| peak(b) <= bytes)
        .map_or(BUDGETS[0], |b| b[b.len() - 1])
}

/// The largest node budget the engine tries unless told less (`Effort::max_nodes`).
pub const MAX_NODES: usize = BUDGETS[BUDGETS.len() - 1];

/// Orders tried at once, one thread each. Each attempt holds its own arena, so more than two
/// would multiply the memory a large tree needs for little gain.
fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(2))
}

/// How far a compilation may go, and whom it tells how far it has got.
#[derive(Debug, Clone, Default)]
pub struct Effort {
    /// Raised from another thread to give up soon (`Unsolved::Stopped`).
    pub stop: Option<Arc<AtomicBool>>,
    /// The largest node budget to try for one module, for callers that must keep memory
    /// well below the engine's own limit (an editor beside other work); `None`: that limit.
    pub max_nodes: Option<usize>,
    /// Where the analysis says which phase it is in, for another thread to show.
    pub progress: Option<Arc<progress::Progress>>,
}

impl Effort {
    /// Tells whoever watches `progress` that the analysis has entered `phase`.
    pub fn enter(&self, phase: Phase) {
        if let Some(p) = &self.progress {
            p.set(phase);
        }
    }
}

/// Why a tree has no BDDs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsolved {
    /// No variable order tried fits a module within this many BDD nodes.
    TooLarge(usize),
    /// The caller's stop flag was raised.
    Stopped,
}

/// How far a failed attempt got: more gates compiled is better, then fewer nodes to get there
/// (an order that reached the same gates with fewer nodes had more budget to spare).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Progress {
    gates: usize,
    nodes: usize,
}

impl Progress {
    /// Sorts the most promising first.
    fn rank(self) -> (std::cmp::Reverse<usize>, usize) {
        (std::cmp::Reverse(self.gates), self.nodes)
    }
}

/// Where an attempt at a module began, to resume it or roll it back.
struct Begun {
    /// Arena size and variable count before building.
    mark: usize,
    first_var: usize,
    /// Nested modules among its leaves.
    modules: Vec<Lit>,
}

/// A module's BDD built in the arena but not yet recorded.
struct Built {
    root: Edge,
    begun: Begun,
}

struct Compiler<'c> {
    c: &'c Circuit,
    bdd: Bdd,
    is_module: Vec<bool>,
    /// BDD variable of each circuit variable and of each module gate, in the current attempt.
    var_of_event: Vec<u32>,
    var_of_gate: Vec<u32>,
    /// Index in `modules` of each compiled module gate.
    module_of_gate: FxHashMap<usize, usize>,
    sources: Vec<Source>,
    memo: FxHashMap<usize, Edge>,
    modules: Vec<Module>,
    /// Every non-module gate's BDD from its module's final build, when asked to keep them.
    kept: Option<FxHashMap<usize, Edge>>,
    /// The budgets tried for each module, smallest first.
    budgets: &'static [usize],
    /// Arena size when the current attempt last completed a gate.
    gate_done_at: usize,
    /// The attempt a failed `build` left, to resume or discard.
    begun: Option<Begun>,
    /// The caller's effort, told of each round's budget.
    effort: Effort,
}

/// Solves the tree, and gives the probability of each of `gates` (literals of circuit gates,
/// whether the top reaches them or they were merged into a parent) from the same BDDs.
/// `None` for a gate these BDDs cannot give (one outside the compiled top, under a constant)
/// or whose BDD would pass a node budget: the caller solves it on its own.
pub fn solve_with_gates(
    c: &Circuit,
    gates: &[Lit],
    effort: &Effort,
) -> Result<(Solved, Vec<Option<f64>>), Unsolved> {
    let none = vec![None; gates.len()];
    let (top_gate, negated) = match c.top {
        Val::Lit(l) if l.is_gate() => (l.index(), l.negated()),
        Val::Lit(l) => return Ok((single(c, l), none)),
        Val::Const(b) => {
            let top = if b { bdd::TRUE } else { bdd::FALSE };
            let s = Solved::new(Bdd::new(), Vec::new(), Vec::new(), top, &[]);
            return Ok((s, none));
        }
    };
    let mut k = Compiler::new(c, top_gate, effort);
    if !gates.is_empty() {
        k.kept = Some(FxHashMap::default());
    }
    let root = k.module(top_gate)?;
    let edges = if gates.is_empty() {
        Vec::new()
    } else {
        k.gate_edges(gates)
    };
    // Gates given up on because of the flag are not the caller's to solve.
    if k.bdd.stop_requested() {
        return Err(Unsolved::Stopped);
    }
    let top = if negated { bdd::not(root) } else { root };
    let s = Solved::new(k.bdd, k.sources, k.modules, top, &c.probabilities);
    if edges.is_empty() {
        return Ok((s, Vec::new()));
    }
    let roots: Vec<Edge> = edges.iter().flatten().copied().collect();
    let mut table = vec![[0.0; 2]; s.bdd.node_count()];
    s.bdd
        .probabilities(&s.bdd.reachable(&roots), &s.vars, &mut table);
    let probabilities = edges
        .iter()
        .map(|e| e.map(|e| bdd::edge_value(&table, e)))
        .collect();
    Ok((s, probabilities))
}

/// A tree that is one basic event (possibly negated).
fn single(c: &Circuit, l: Lit) -> Solved {
    let mut bdd = Bdd::new();
    let e = bdd.literal(0);
    let top = signed(e, l);
    let sources = vec![Source::Event(l.index())];
    Solved::new(bdd, sources, Vec::new(), top, &c.probabilities)
}

impl<'c> Compiler<'c> {
    /// A compiler for the module tree under `top_gate`, as far as `effort` goes.
    fn new(c: &'c Circuit, top_gate: usize, effort: &Effort) -> Self {
        let mut bdd = Bdd::new();
        if let Some(flag) = &effort.stop {
            bdd.stop_on(Arc::clone(flag));
        }
        let rounds = effort.max_nodes.map_or(BUDGETS.len(), |max| {
            BUDGETS.iter().take_while(|&&b| b <= max).count().max(1)
        });
        Compiler {
            c,
            bdd,
            is_module: modules::detect(c, top_gate),
            var_of_event: vec![u32::MAX; c.probabilities.len()],
            var_of_gate: vec![u32::MAX; c.gates.len()],
            module_of_gate: FxHashMap::default(),
            sources: Vec::new(),
            memo: FxHashMap::default(),
            modules: Vec::new(),
            kept: None,
            budgets: &BUDGETS[..rounds],
            gate_done_at: 0,
            begun: None,
            effort: effort.clone(),
        }
    }

    /// Compiles module gate `g` (its nested modules first); returns its root.
    fn module(&mut self, g: usize) -> Result<Edge, Unsolved> {
        let nested: Vec<usize> =
            order::module_order(self.c, g, &self.is_module, Heuristic::DepthFirst)
                .into_iter()
                .filter(|l| l.is_gate())
                .map(Lit::index)
                .collect();
        for m in nested {
            if !self.module_of_gate.contains_key(&m) {
                self.module(m)?;
            }
        }
        // How far each heuristic got in its last round: an order that got further goes first
        // in the next round (it is usually the one that fits).
        let mut progress = [Progress::default(); Heuristic::ALL.len()];
        // Each order's failed attempt from the parallel rounds, to resume.
        let mut held = Compiler::nothing_held();
        for (round, &budget) in self.budgets.iter().enumerate() {
            self.effort.enter(Phase::Compiling(budget));
            let mut ranked: Vec<Heuristic> = Heuristic::ALL.to_vec();
            // Stable: ties keep the order of `ALL`.
            ranked.sort_by_key(|h| progress[*h as usize].rank());
            // Small budgets are over before a copy of the arena and a thread would pay off.
            let threads = if budget < PARALLEL_BUDGET {
                1
            } else {
                threads()
            };
            // The last round, the largest, is for the most promising order alone. Parallel
            // rounds before the one ahead of it are for the leading pair: the others wait
            // for the next round, eight times larger, which usually fits the leaders, and
            // every order has its chance in the round before the last. Another pair under
            // the same budget would cost as much as the leaders' own, and it did not pay on
            // any Aralia tree (where the leaders got stuck, so did the others; cea9601
            // compiles about a third faster without them).
            ranked.truncate(orders_tried(round, self.budgets));
            for group in ranked.chunks(threads) {
                let attempt = if budget < PARALLEL_BUDGET {
                    self.build(g, group[0], budget).map_err(|p| {
                        self.discard();
                        vec![p]
                    })
                } else {
                    self.attempt(g, group, budget, &mut held)
                };
                match attempt {
                    Ok(b) => return Ok(self.commit(g, b)),
                    Err(_) if self.bdd.stop_requested() => return Err(Unsolved::Stopped),
                    Err(done) => {
                        for (h, d) in group.iter().zip(done) {
                            progress[*h as usize] = d;
                        }
                        // The last round resumes only the most promising attempt: the others
                        // would hold gigabytes of arena beside it (nus9601: 1.6 times the
                        // memory).
                        if round + 2 == self.budgets.len() {
                            let best = Heuristic::ALL
                                .into_iter()
                                .filter(|&h| held[h as usize].is_some())
                                .min_by_key(|&h| progress[h as usize].rank());
                            for h in Heuristic::ALL.into_iter().filter(|&h| Some(h) != best) {
                                held[h as usize] = None;
                            }
                        }
                    }
                }
            }
        }
        Err(Unsolved::TooLarge(self.budgets[self.budgets.len() - 1]))
    }

    /// Builds module `g` with each order of `hs` at once, one thread and one copy of the
    /// arena each (resuming that order's attempt from `held`, if any). Of the orders that
    /// fit, the one with the fewest nodes wins (the first in `hs` on a tie): its BDD is
    /// usually the smallest, and so are the later passes over it. An attempt gives up once it
    /// has as many nodes as one that fitted, so a slow loser costs little, and the winner
    /// never depends on timing. On failure, every attempt goes to `held`, and the error
    /// tells how far each got (see `build`).
    fn attempt(
        &mut self,
        g: usize,
        hs: &[Heuristic],
        budget: usize,
        held: &mut [Option<Compiler<'c>>],
    ) -> Result<Built, Vec<Progress>> {
        let race = Arc::new(AtomicUsize::new(usize::MAX));
        let mut forks: Vec<Compiler<'c>> = hs
            .iter()
            .map(|&h| match held[h as usize].take() {
                Some(mut k) => {
                    k.bdd.join_race(Arc::clone(&race));
                    k
                }
                None => self.fork(&race),
            })
            .collect();
        let mut results = std::thread::scope(|scope| {
            let (mine, others) = forks.split_first_mut().expect("an order to try");
            let others: Vec<_> = others
                .iter_mut()
                .zip(&hs[1..])
                .map(|(k, &h)| scope.spawn(move || k.build(g, h, budget)))
                .collect();
            let mut results = vec![mine.build(g, hs[0], budget)];
            results.extend(
                others
                    .into_iter()
                    .map(|t| t.join().unwrap_or_else(|e| std::panic::resume_unwind(e))),
            );
            results
        });
        let winner = (0..forks.len())
            .filter(|&i| results[i].is_ok())
            .min_by_key(|&i| forks[i].bdd.node_count());
        if let Some(i) = winner {
            self.take(forks.swap_remove(i));
            return results.swap_remove(i).map_err(|p| vec![p]);
        }
        for (k, &h) in forks.into_iter().zip(hs) {
            held[h as usize] = Some(k);
        }
        Err(results.into_iter().filter_map(Result::err).collect())
    }

    /// No failed attempt for any order yet (see `attempt`).
    fn nothing_held() -> Vec<Option<Compiler<'c>>> {
        Heuristic::ALL.iter().map(|_| None).collect()
    }

    /// Carries on from fork `k`, whose attempt won.
    fn take(&mut self, k: Compiler<'c>) {
        // The kept gate BDDs stay with this compiler; forks have none.
        let kept = self.kept.take();
        *self = k;
        self.kept = kept;
        self.bdd.leave_race();
    }

    /// A copy for an attempt on another thread in `race` (see `Bdd::join_race`).
    fn fork(&self, race: &Arc<AtomicUsize>) -> Self {
        Compiler {
            c: self.c,
            bdd: self.bdd.fork(Arc::clone(race)),
            is_module: self.is_module.clone(),
            var_of_event: self.var_of_event.clone(),
            var_of_gate: self.var_of_gate.clone(),
            module_of_gate: self.module_of_gate.clone(),
            sources: self.sources.clone(),
            memo: FxHashMap::default(),
            modules: self.modules.clone(),
            kept: None,
            budgets: self.budgets,
            gate_done_at: 0,
            begun: None,
            effort: self.effort.clone(),
        }
    }

    /// Compiles module `g` with the variable order of `h` within `budget` new nodes, or
    /// resumes this compiler's failed attempt with that budget from where it began. On failure
    /// tells how far it got, and leaves the attempt to resume or `discard`.
    fn build(&mut self, g: usize, h: Heuristic, budget: usize) -> Result<Built, Progress> {
        let begun = match self.begun.take() {
            Some(b) => {
                self.bdd.resume(b.mark, budget);
                b
            }
            None => self.begin(g, h, budget),
        };
        let root = self.gate(g);
        if self.bdd.exhausted() {
            let progress = Progress {
                gates: self.memo.len(),
                nodes: self.gate_done_at - begun.mark,
            };
            self.begun = Some(begun);
            return Err(progress);
        }
        self.bdd.finish_race();
        Ok(Built { root, begun })
    }

    /// Starts an attempt at module `g`: its leaves get variables in the order of `h`.
    fn begin(&mut self, g: usize, h: Heuristic, budget: usize) -> Begun {
        let leaves = order::module_order(self.c, g, &self.is_module, h);
        let mark = self.bdd.begin(budget);
        let first_var = self.sources.len();
        for leaf in &leaves {
            let v = self.sources.len() as u32;
            if leaf.is_gate() {
                self.var_of_gate[leaf.index()] = v;
                self.sources
                    .push(Source::Module(self.module_of_gate[&leaf.index()]));
            } else {
                self.var_of_event[leaf.index()] = v;
                self.sources.push(Source::Event(leaf.index()));
            }
        }
        self.memo.clear();
        self.gate_done_at = mark;
        Begun {
            mark,
            first_var,
            modules: leaves.into_iter().filter(|l| l.is_gate()).collect(),
        }
    }

    /// Rolls back the attempt a failed `build` left.
    fn discard(&mut self) {
        if let Some(b) = self.begun.take() {
            self.bdd.rollback(b.mark);
            self.sources.truncate(b.first_var);
        }
    }

    fn commit(&mut self, g: usize, b: Built) -> Edge {
        for leaf in &b.begun.modules {
            let m = self.module_of_gate[&leaf.index()];
            self.modules[m].var = Some(self.var_of_gate[leaf.index()]);
        }
        self.modules.push(Module {
            gate: g,
            root: b.root,
            var: None,
            first_var: b.begun.first_var as u32,
        });
        self.module_of_gate.insert(g, self.modules.len() - 1);
        if let Some(kept) = &mut self.kept {
            kept.extend(self.memo.iter());
        }
        b.root
    }

    /// Whether gate `g` has a BDD over the solved variables: every event and module under it
    /// has a variable (false outside the compiled top: under a constant, or above the top),
    /// and no module appears beside what is inside it (a gate merged away may join a module
    /// with one of its own events), which would break the variables' independence.
    fn mapped(&self, g: usize) -> bool {
        let mut seen = rustc_hash::FxHashSet::default();
        let mut leaves = rustc_hash::FxHashSet::default();
        let mut stack = vec![g];
        while let Some(g) = stack.pop() {
            if !seen.insert(g) {
                continue;
            }
            for a in &self.c.gates[g].args {
                let i = a.index();
                let v = if !a.is_gate() {
                    self.var_of_event[i]
                } else if self.is_module[i] {
                    self.var_of_gate[i]
                } else {
                    stack.push(i);
                    continue;
                };
                if v == u32::MAX {
                    return false;
                }
                leaves.insert(v);
            }
        }
        // Walk up from each leaf through the modules enclosing it.
        leaves.iter().all(|&v| {
            let mut v = v;
            loop {
                // Modules are committed in increasing `first_var`.
                let m = self.modules.partition_point(|m| m.first_var <= v) - 1;
                match self.modules[m].var {
                    Some(up) if leaves.contains(&up) => return false,
                    Some(up) => v = up,
                    None => return true,
                }
            }
        })
    }

    /// The BDD of each of `gates` over the solved variables, built from the kept gate BDDs;
    /// `None` for a gate that is not `mapped`, or once a node budget is spent.
    fn gate_edges(&mut self, gates: &[Lit]) -> Vec<Option<Edge>> {
        self.memo = self.kept.take().unwrap_or_default();
        // Gates merged into a parent are built from their own arguments, one operation each;
        // as many new nodes as the solved tree has (at least 8 M, at most a module's largest
        // budget) bounds the worst case.
        let largest = self.budgets[self.budgets.len() - 1];
        self.bdd
            .begin(self.bdd.node_count().max(1 << 23).min(largest));
        let mut edges = Vec::with_capacity(gates.len());
        for &l in gates {
            let g = l.index();
            let e = if let Some(&m) = self.module_of_gate.get(&g) {
                Some(self.modules[m].root)
            } else if let Some(&e) = self.memo.get(&g) {
                Some(e)
            } else if !self.bdd.exhausted() && self.mapped(g) {
                let e = self.gate(g);
                (!self.bdd.exhausted()).then_some(e)
            } else {
                None
            };
            edges.push(e.map(|e| signed(e, l)));
        }
        edges
    }

    fn lit(&mut self, l: Lit) -> Edge {
        let i = l.index();
        let e = if !l.is_gate() {
            self.bdd.literal(self.var_of_event[i])
        } else if self.is_module[i] {
            self.bdd.literal(self.var_of_gate[i])
        } else {
            self.gate(i)
        };
        signed(e, l)
    }

    fn gate(&mut self, g: usize) -> Edge {
        if let Some(&e) = self.memo.get(&g) {
            return e;
        }
        let gate = &self.c.gates[g];
        let op = gate.op;
        let args: Vec<Lit> = gate.args.clone();
        let mut edges = Vec::with_capacity(args.len());
        for a in args {
            edges.push(self.lit(a));
            if self.bdd.exhausted() {
                return bdd::FALSE;
            }
        }
        let e = apply(&mut self.bdd, op, edges);
        // An exhausted operation returns garbage (the ones after it return at once), which a
        // resumed attempt must not reuse.
        if self.bdd.exhausted() {
            return bdd::FALSE;
        }
        self.memo.insert(g, e);
        self.gate_done_at = self.bdd.node_count();
        e
    }
}

/// The BDD of literal `l` from the BDD `e` of its variable or gate.
pub(super) fn signed(e: Edge, l: Lit) -> Edge {
    if l.negated() { bdd::not(e) } else { e }
}

/// Gate `op` over the BDDs of its arguments.
pub(super) fn apply(bdd: &mut Bdd, op: Op, mut edges: Vec<Edge>) -> Edge {
    match op {
        Op::Vote(k) => bdd.vote(k as usize, &edges),
        Op::And | Op::Or | Op::Xor => {
            // Combine from the bottom of the order up: small intermediate results.
            edges.sort_unstable_by_key(|&e| std::cmp::Reverse(bdd.var(e)));
            let mut acc = if op == Op::And { bdd::TRUE } else { bdd::FALSE };
            for e in edges {
                acc = match op {
                    Op::And => bdd.and(acc, e),
                    Op::Or => bdd.or(acc, e),
                    _ => bdd.xor(acc, e),
                };
            }
            acc
        }
    }
}

impl Solved {
    fn new(
        bdd: Bdd,
        sources: Vec<Source>,
        modules: Vec<Module>,
        top: Edge,
        events: &[f64],
    ) -> Self {
        // Only modules with a parent variable are evaluated on their own.
        let module_orders = modules
            .iter()
            .map(|m| match m.var {
                Some(_) => bdd.reachable(&[m.root]),
                None => Vec::new(),
            })
            .collect();
        let top_order = bdd.reachable(&[top]);
        let mut s = Solved {
            bdd,
            sources,
            modules,
            top,
            vars: Vec::new(),
            module_orders,
            top_order,
        };
        s.vars = s.evaluator().variables(events).to_vec();
        s
    }

    /// Places for the variables in an order where every module's events come right after the
    /// variable that stands for it in its parent, each module's own in BDD order: `(level of
    /// each variable, variable at each level)`. A module's cut sets then go between its
    /// variable and the rest of its parent's: expanding the variable joins families instead
    /// of multiplying them (see `Zbdd::join`).
    pub fn levels(&self) -> (Vec<u32>, Vec<u32>) {
        let n = self.sources.len() as u32;
        let own = |m: usize| {
            let end = self.modules.get(m + 1).map_or(n, |next| next.first_var);
            self.modules[m].first_var..end
        };
        let mut var_at = Vec::with_capacity(self.sources.len());
        // Depth first from the top module: each module's variables, the variables of a
        // module's own modules right after its variable.
        let mut stack: Vec<std::ops::Range<u32>> = self
            .modules
            .len()
            .checked_sub(1)
            .map(own)
            .into_iter()
            .collect();
        while let Some(range) = stack.last_mut() {
            let Some(v) = range.next() else {
                stack.pop();
                continue;
            };
            var_at.push(v);
            if let Source::Module(m) = self.sources[v as usize] {
                stack.push(own(m));
            }
        }
        // Variables of no module: a tree that is a single event.
        var_at.extend(0..self.modules.first().map_or(n, |m| m.first_var));
        debug_assert_eq!(
            var_at.len(),
            self.sources.len(),
            "every variable placed once"
        );
        let mut level = vec![0; var_at.len()];
        for (l, &v) in var_at.iter().enumerate() {
            level[v as usize] = l as u32;
        }
        (level, var_at)
    }

    /// The exact top-event probability.
    pub fn probability(&self) -> f64 {
        self.evaluator().top(&self.vars)
    }

    /// Prepares repeated evaluation for other event probabilities (Monte Carlo, what-if).
    pub fn evaluator(&self) -> Evaluator<'_> {
        Evaluator {
            s: self,
            table: vec![[0.0; 2]; self.bdd.node_count()],
            vars: vec![[0.0; 2]; self.sources.len()],
        }
    }
}

/// Evaluates a solved tree again and again without recomputing node orders.
pub struct Evaluator<'s> {
    s: &'s Solved,
    table: Vec<[f64; 2]>,
    vars: Vec<[f64; 2]>,
}

impl Evaluator<'_> {
    /// Every variable's probability for these event probabilities (modules computed).
    pub fn variables(&mut self, events: &[f64]) -> &[[f64; 2]] {
        for (v, src) in self.s.sources.iter().enumerate() {
            if let Source::Event(i) = src {
                self.vars[v] = [events[*i], 1.0 - events[*i]];
            }
        }
        for (m, order) in self.s.modules.iter().zip(&self.s.module_orders) {
            if let Some(v) = m.var {
                self.s.bdd.probabilities(order, &self.vars, &mut self.table);
                self.vars[v as usize] = [
                    bdd::edge_value(&self.table, m.root),
                    bdd::edge_value(&self.table, bdd::not(m.root)),
                ];
            }
        }
        &self.vars
    }

    /// The top-event probability for these variable probabilities.
    pub fn top(&mut self, vars: &[[f64; 2]]) -> f64 {
        self.s
            .bdd
            .probabilities(&self.s.top_order, vars, &mut self.table);
        bdd::edge_value(&self.table, self.s.top)
    }

    /// The top-event probability for these event probabilities.
    pub fn top_for_events(&mut self, events: &[f64]) -> f64 {
        self.variables(events);
        let vars = std::mem::take(&mut self.vars);
        let p = self.top(&vars);
        self.vars = vars;
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::fault_tree::circuit::CGate;

    /// A random-looking module: gates over events and earlier gates, all under one OR.
    fn tangle(events: usize, gates: usize) -> Circuit {
        let mut seed = 12345u64;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        let mut c = Circuit {
            probabilities: vec![0.5; events],
            var_ids: Vec::new(),
            gates: Vec::new(),
            top: Val::Const(false),
        };
        for g in 0..gates {
            let args = (0..3)
                .map(|_| match next(3) {
                    0 if g > 0 => Lit::gate(next(g)),
                    _ => Lit::var(next(events)),
                })
                .collect();
            let op = [Op::And, Op::Or][g % 2];
            c.gates.push(CGate { op, args });
        }
        c.gates.push(CGate {
            op: Op::Or,
            args: (gates / 2..gates).map(Lit::gate).collect(),
        });
        c.top = Val::Lit(Lit::gate(gates));
        c
    }

    #[test]
    fn the_node_budget_shrinks_with_the_memory_available() {
        let gb = 1u64 << 30;
        // Plenty: the engine's own limit.
        assert_eq!(max_nodes_within(64 * gb), MAX_NODES);
        // Never below the first budget, whatever the memory.
        assert_eq!(max_nodes_within(0), BUDGETS[0]);
        // A budget is allowed only if its every round fits: 102.4 M nodes alone take 5.7 GB,
        // as do four attempts held at 25.6 M; 25.6 M as the last round, alone, 1.4 GB.
        assert_eq!(max_nodes_within(6 * gb), MAX_NODES);
        assert_eq!(max_nodes_within(5 * gb), 25_600_000);
        assert_eq!(max_nodes_within(gb), 3_200_000);
        let mut last = 0;
        for g in 0..40 {
            let n = max_nodes_within(g * gb / 2);
            assert!(n >= last, "less memory, more nodes: {n} < {last}");
            last = n;
        }
    }

    #[test]
    fn the_order_with_fewest_nodes_wins_whichever_finishes_first() {
        let c = tangle(150, 900);
        let top = c.gates.len() - 1;
        let alone: Vec<usize> = Heuristic::ALL
            .iter()
            .map(|&h| {
                let mut k = Compiler::new(&c, top, &Effort::default());
                assert!(k.build(top, h, usize::MAX).is_ok());
                k.bdd.node_count()
            })
            .collect();
        let mut sizes = alone.clone();
        sizes.sort_unstable();
        sizes.dedup();
        assert!(sizes.len() > 2, "orders of different sizes: {alone:?}");
        for (i, &a) in Heuristic::ALL.iter().enumerate() {
            for (j, &b) in Heuristic::ALL.iter().enumerate().filter(|(j, _)| *j != i) {
                let mut k = Compiler::new(&c, top, &Effort::default());
                let mut held = Compiler::nothing_held();
                assert!(k.attempt(top, &[a, b], usize::MAX, &mut held).is_ok());
                let winner = if alone[j] < alone[i] { b } else { a };
                let expected: Vec<Source> = order::module_order(&c, top, &k.is_module, winner)
                    .iter()
                    .map(|l| Source::Event(l.index()))
                    .collect();
                assert_eq!(k.sources, expected, "{a:?} against {b:?}: {alone:?}");
                assert_eq!(k.bdd.node_count(), alone[i].min(alone[j]));
            }
        }
    }

    #[test]
    fn a_resumed_attempt_ends_as_a_fresh_one_with_the_larger_budget() {
        let c = tangle(150, 900);
        let top = c.gates.len() - 1;
        let fresh = |h| {
            let mut k = Compiler::new(&c, top, &Effort::default());
            let b = k.build(top, h, usize::MAX).expect("fits");
            let p = k.bdd.reachable(&[b.root]).len();
            (k.bdd.node_count(), p)
        };
        let (a, b) = (Heuristic::DepthFirst, Heuristic::Force);
        let ((size_a, reach_a), (size_b, reach_b)) = (fresh(a), fresh(b));
        // On its own: stopped a third of the way, then resumed.
        let mut k = Compiler::new(&c, top, &Effort::default());
        assert!(k.build(top, a, size_a / 3).is_err());
        let built = k.build(top, a, usize::MAX).expect("fits when resumed");
        assert_eq!(
            k.bdd.node_count(),
            size_a,
            "the nodes a fresh attempt makes, no more"
        );
        assert_eq!(k.bdd.reachable(&[built.root]).len(), reach_a);
        // In a race: both attempts held, then resumed; the smaller still wins.
        let mut k = Compiler::new(&c, top, &Effort::default());
        let mut held = Compiler::nothing_held();
        let small = size_a.min(size_b) / 3;
        assert!(k.attempt(top, &[a, b], small, &mut held).is_err());
        assert!(held[a as usize].is_some() && held[b as usize].is_some());
        let built = k.attempt(top, &[a, b], usize::MAX, &mut held);
        let built = built.expect("fits when resumed");
        assert_eq!(k.bdd.node_count(), size_a.min(size_b));
        let reach = if size_a <= size_b { reach_a } else { reach_b };
        assert_eq!(k.bdd.reachable(&[built.root]).len(), reach);
    }

    #[test]
    fn a_fork_taken_over_after_winning_is_not_left_cancelled() {
        // The parity of 5000 events: one module of some 10 000 nodes, past the points where
        // an attempt looks at its cancellation flags.
        let c = Circuit {
            probabilities: vec![0.5; 5000],
            var_ids: Vec::new(),
            gates: vec![CGate {
                op: Op::Xor,
                args: (0..5000).map(Lit::var).collect(),
            }],
            top: Val::Lit(Lit::gate(0)),
        };
        let mut k = Compiler::new(&c, 0, &Effort::default());
        let race = Arc::new(AtomicUsize::new(usize::MAX));
        let fork = k.fork(&race);
        // An attempt that fits reports its size, which stops the rivals at that size.
        race.store(1, std::sync::atomic::Ordering::Relaxed);
        k.take(fork);
        assert!(k.module(0).is_ok(), "later modules build as before");
    }
}
