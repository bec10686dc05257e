//! Variable orders for one module. No static order suits every tree, so the solver tries
//! several under a node budget: depth-first, depth-first with smaller or larger gates first,
//! and depth-first refined by FORCE (Aloul, Markov & Sakallah: every node moves to the mean
//! centre of the gates it touches, pulling together variables that meet in the same gates).

use super::circuit::{Circuit, Lit};
use rustc_hash::FxHashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heuristic {
    DepthFirst,
    SmallGatesFirst,
    LargeGatesFirst,
    Force,
}

impl Heuristic {
    pub const ALL: [Heuristic; 4] = [
        Heuristic::DepthFirst,
        Heuristic::SmallGatesFirst,
        Heuristic::Force,
        Heuristic::LargeGatesFirst,
    ];
}

/// True for a literal that is a leaf of module `root`: an event or a nested module.
fn is_leaf(l: Lit, root: usize, is_module: &[bool]) -> bool {
    !l.is_gate() || (is_module[l.index()] && l.index() != root)
}

/// The leaves of module `root` (basic events and nested module gates, as positive literals),
/// in the order their BDD variables should take.
pub fn module_order(c: &Circuit, root: usize, is_module: &[bool], h: Heuristic) -> Vec<Lit> {
    let size = |a: &Lit| {
        if a.is_gate() && !is_module[a.index()] {
            c.gates[a.index()].args.len()
        } else {
            0
        }
    };
    // Depth-first over the module's own gates; `nodes` holds gates and leaves in visit order.
    let mut seen: FxHashMap<Lit, usize> = FxHashMap::default();
    let mut nodes: Vec<Lit> = Vec::new();
    let mut stack = vec![Lit::gate(root)];
    while let Some(l) = stack.pop() {
        let l = l.positive();
        if seen.contains_key(&l) {
            continue;
        }
        seen.insert(l, nodes.len());
        nodes.push(l);
        if is_leaf(l, root, is_module) {
            continue;
        }
        let mut args = c.gates[l.index()].args.clone();
        match h {
            Heuristic::SmallGatesFirst => args.sort_by_key(size),
            Heuristic::LargeGatesFirst => args.sort_by_key(|a| std::cmp::Reverse(size(a))),
            Heuristic::DepthFirst | Heuristic::Force => {}
        }
        stack.extend(args.iter().rev());
    }
    if h == Heuristic::Force {
        force(c, &mut nodes, &seen, root, is_module, 20);
    }
    nodes.retain(|l| is_leaf(*l, root, is_module));
    nodes
}

fn force(
    c: &Circuit,
    nodes: &mut Vec<Lit>,
    slot: &FxHashMap<Lit, usize>,
    root: usize,
    is_module: &[bool],
    rounds: usize,
) {
    // One hyperedge per gate of the module: the gate and its arguments, as slots in `nodes`.
    let edges: Vec<Vec<usize>> = nodes
        .iter()
        .filter(|l| !is_leaf(**l, root, is_module))
        .map(|l| {
            let mut e = vec![slot[l]];
            e.extend(c.gates[l.index()].args.iter().map(|a| slot[&a.positive()]));
            e
        })
        .collect();
    let n = nodes.len();
    let mut pos: Vec<f64> = (0..n).map(|i| i as f64).collect();
    let mut order: Vec<usize> = (0..n).collect();
    for _ in 0..rounds {
        let mut sum = vec![0.0; n];
        let mut count = vec![0u32; n];
        for e in &edges {
            let centre = e.iter().map(|&i| pos[i]).sum::<f64>() / e.len() as f64;
            for &i in e {
                sum[i] += centre;
                count[i] += 1;
            }
        }
        let target: Vec<f64> = (0..n)
            .map(|i| {
                if count[i] == 0 {
                    pos[i]
                } else {
                    sum[i] / f64::from(count[i])
                }
            })
            .collect();
        order.sort_by(|&a, &b| target[a].total_cmp(&target[b]));
        for (rank, &i) in order.iter().enumerate() {
            pos[i] = rank as f64;
        }
    }
    let old = std::mem::take(nodes);
    *nodes = order.into_iter().map(|i| old[i]).collect();
}
