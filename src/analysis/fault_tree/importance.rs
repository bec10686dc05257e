//! Exact importance measures from the BDDs. The top-event probability is multilinear in each
//! event's probability, so one backward pass per module BDD gives every ∂P/∂p (Birnbaum), and
//! the chain rule carries it through the modules; the other measures follow from it.

use super::bdd::{self, Edge, is_complement, node_of};
use super::solve::Solved;

#[derive(Debug, Clone, PartialEq)]
pub struct Measures {
    pub probability: f64,
    pub birnbaum: f64,
    pub fussell_vesely: f64,
    /// Risk achievement worth: P(top | event certain) / P(top).
    pub raw: f64,
    /// Risk reduction worth: P(top) / P(top | event impossible).
    pub rrw: f64,
}

/// From the Birnbaum measure B = ∂P/∂p: P(top | e) = P + (1 − p)B, P(top | ¬e) = P − pB.
pub fn measures(top: f64, p: f64, birnbaum: f64) -> Measures {
    given(
        top,
        p,
        birnbaum,
        top + (1.0 - p) * birnbaum,
        top - p * birnbaum,
    )
}

/// From the top event's probability `top`, and its value given the event (`with`) and given
/// its absence (`without`), whose difference is `birnbaum` (passed apart, computed without
/// the cancellation the difference would suffer).
pub fn given(top: f64, p: f64, birnbaum: f64, with: f64, without: f64) -> Measures {
    let ratio = |a: f64, b: f64| {
        if b == 0.0 {
            if a == 0.0 { 1.0 } else { f64::INFINITY }
        } else {
            a / b
        }
    };
    Measures {
        probability: p,
        birnbaum,
        fussell_vesely: ratio(top - without, top),
        raw: ratio(with, top),
        rrw: ratio(top, without),
    }
}

/// Adds ∂P(root)/∂p(v) for every variable v of one BDD to `out`; `order` holds the BDD's
/// nodes bottom-up, `value` every node's probabilities (see `Bdd::probabilities`), `coef` is
/// scratch space, all zero, left all zero.
fn gradient(
    s: &Solved,
    root: Edge,
    order: &[u32],
    value: &[[f64; 2]],
    coef: &mut [f64],
    out: &mut [f64],
) {
    // Coefficient of each node's probability in P(root), pushed from parents to children.
    coef[node_of(root)] = if is_complement(root) { -1.0 } else { 1.0 };
    for &n in order.iter().rev() {
        let c = std::mem::take(&mut coef[n as usize]);
        if c == 0.0 {
            continue;
        }
        let node = s.bdd.nodes[n as usize];
        let [q, not_q] = s.vars[node.var as usize];
        let hi = bdd::edge_value(value, node.hi);
        let lo = bdd::edge_value(value, node.lo);
        out[node.var as usize] += c * (hi - lo);
        coef[node_of(node.hi)] += c * q;
        let sign = if is_complement(node.lo) { -1.0 } else { 1.0 };
        coef[node_of(node.lo)] += c * not_q * sign;
    }
    coef[0] = 0.0;
}

/// Birnbaum importance of every BDD variable with respect to the top event.
pub fn birnbaum(s: &Solved) -> Vec<f64> {
    let mut d = vec![0.0; s.sources.len()];
    if s.sources.is_empty() {
        return d;
    }
    let mut value = vec![[0.0; 2]; s.bdd.node_count()];
    for order in s.module_orders.iter().chain([&s.top_order]) {
        s.bdd.probabilities(order, &s.vars, &mut value);
    }
    let mut coef = vec![0.0; s.bdd.node_count()];
    gradient(s, s.top, &s.top_order, &value, &mut coef, &mut d);
    // Parents before children: a module's derivative is known before its inside is visited.
    let mut inner = vec![0.0; s.sources.len()];
    for (m, order) in s.modules.iter().zip(&s.module_orders).rev() {
        let Some(v) = m.var else { continue };
        let outer = d[v as usize];
        if outer == 0.0 {
            continue;
        }
        inner.iter_mut().for_each(|x| *x = 0.0);
        gradient(s, m.root, order, &value, &mut coef, &mut inner);
        for (i, g) in inner.iter().enumerate() {
            d[i] += outer * g;
        }
    }
    d
}
