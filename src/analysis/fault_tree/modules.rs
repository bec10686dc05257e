//! Module detection (Dutuit & Rauzy's linear-time algorithm): a gate is a module when no node
//! below it is reached from outside it. Modules are solved separately and independently.

use super::circuit::Circuit;

struct Visits {
    first: Vec<u32>,
    second: Vec<u32>,
    last: Vec<u32>,
    var_first: Vec<u32>,
    var_last: Vec<u32>,
    time: u32,
}

/// `is_module[g]` for every gate reachable from `top` (the top gate itself included).
pub fn detect(c: &Circuit, top: usize) -> Vec<bool> {
    let n = c.gates.len();
    let mut v = Visits {
        first: vec![0; n],
        second: vec![0; n],
        last: vec![0; n],
        var_first: vec![0; c.probabilities.len()],
        var_last: vec![0; c.probabilities.len()],
        time: 0,
    };
    // Iterative DFS: (gate, next argument).
    let mut stack: Vec<(usize, usize)> = Vec::new();
    v.time += 1;
    v.first[top] = v.time;
    stack.push((top, 0));
    let mut post_order = Vec::new();
    while let Some(&mut (g, ref mut next)) = stack.last_mut() {
        if let Some(&a) = c.gates[g].args.get(*next) {
            *next += 1;
            v.time += 1;
            let i = a.index();
            if !a.is_gate() {
                if v.var_first[i] == 0 {
                    v.var_first[i] = v.time;
                }
                v.var_last[i] = v.time;
            } else if v.first[i] == 0 {
                v.first[i] = v.time;
                stack.push((i, 0));
            } else {
                v.last[i] = v.time;
            }
        } else {
            v.time += 1;
            v.second[g] = v.time;
            v.last[g] = v.last[g].max(v.time);
            post_order.push(g);
            stack.pop();
        }
    }
    let mut min = vec![u32::MAX; n];
    let mut max = vec![0u32; n];
    let mut is_module = vec![false; n];
    for &g in &post_order {
        let (mut lo, mut hi) = (u32::MAX, 0);
        for a in &c.gates[g].args {
            let i = a.index();
            let (f, l) = if a.is_gate() {
                (v.first[i].min(min[i]), v.last[i].max(max[i]))
            } else {
                (v.var_first[i], v.var_last[i])
            };
            lo = lo.min(f);
            hi = hi.max(l);
        }
        min[g] = lo;
        max[g] = hi;
        is_module[g] = v.first[g] < lo && hi < v.second[g];
    }
    is_module
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::fault_tree::circuit::{CGate, Lit, Op, Val};

    #[test]
    fn shared_event_prevents_a_module() {
        // top = AND(g1, g2); g1 = OR(a, b); g2 = OR(b, c); g3 = OR(d, e) under g2? No: g2 = OR(b, g3).
        let c = Circuit {
            probabilities: vec![0.1; 5],
            var_ids: Vec::new(),
            gates: vec![
                CGate {
                    op: Op::Or,
                    args: vec![Lit::var(0), Lit::var(1)],
                },
                CGate {
                    op: Op::Or,
                    args: vec![Lit::var(3), Lit::var(4)],
                },
                CGate {
                    op: Op::Or,
                    args: vec![Lit::var(1), Lit::gate(1)],
                },
                CGate {
                    op: Op::And,
                    args: vec![Lit::gate(0), Lit::gate(2)],
                },
            ],
            top: Val::Lit(Lit::gate(3)),
        };
        let m = detect(&c, 3);
        assert_eq!(m, vec![false, true, false, true]);
    }
}
