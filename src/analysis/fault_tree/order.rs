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
    root_only_first(c, root, is_module, &mut nodes, &seen);
    nodes
}

/// Moves to the top of the order the leaves that only the root gate uses. No other gate's
/// BDD depends on where they are, and the root's last operations then add one node each for
/// them instead of copying the BDD of the rest (on das9701, 2.8 M nodes, a fifth of the
/// compilation).
fn root_only_first(
    c: &Circuit,
    root: usize,
    is_module: &[bool],
    leaves: &mut [Lit],
    visited: &FxHashMap<Lit, usize>,
) {
    let mut uses: FxHashMap<Lit, u32> = FxHashMap::default();
    for l in visited.keys().filter(|l| !is_leaf(**l, root, is_module)) {
        for a in &c.gates[l.index()].args {
            *uses.entry(a.positive()).or_default() += 1;
        }
    }
    let only_root = |l: &Lit| uses[l] == 1 && c.gates[root].args.iter().any(|a| a.positive() == *l);
    // Stable: both parts keep the heuristic's order.
    leaves.sort_by_key(|l| !only_root(l));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::fault_tree::circuit::{CGate, Op, Val};

    #[test]
    fn leaves_only_the_root_uses_go_first_in_every_order() {
        // top = OR(g1, x4, x3), g1 = AND(x0, g2, x4), g2 = OR(x1, x2): x3 is the root's
        // alone; x4 is the root's too, but g1 uses it as well.
        let gate = |op, args: Vec<Lit>| CGate { op, args };
        let c = Circuit {
            probabilities: vec![0.5; 5],
            var_ids: Vec::new(),
            gates: vec![
                gate(Op::Or, vec![Lit::gate(1), Lit::var(4), Lit::var(3)]),
                gate(Op::And, vec![Lit::var(0), Lit::gate(2), Lit::var(4)]),
                gate(Op::Or, vec![Lit::var(1), Lit::var(2)]),
            ],
            top: Val::Lit(Lit::gate(0)),
        };
        for h in Heuristic::ALL {
            let order = module_order(&c, 0, &[false; 3], h);
            assert_eq!(order.len(), 5, "{h:?}");
            assert_eq!(order[0], Lit::var(3), "{h:?}: {order:?}");
        }
        // The others keep the depth-first order.
        let depth_first = module_order(&c, 0, &[false; 3], Heuristic::DepthFirst);
        assert_eq!(depth_first, [3, 0, 1, 2, 4].map(Lit::var));
    }
}
