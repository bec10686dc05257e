//! The engine against brute force on random small trees: every gate type, shared events and
//! gates, house events. Probability, importance and minimal cut sets all by enumeration.

use proptest::prelude::*;
use threatloom::analysis::fault_tree::{
    Compiled, Effort, GraphError, Options, analyze, approximate, importance, known_probabilities,
    node_probabilities,
};
use threatloom::model::{
    BasicEvent, Distribution, FaultTree, Gate, GateKind, HouseEvent, Id, Model, Probability,
};

#[derive(Debug, Clone)]
struct Spec {
    p: Vec<f64>,
    houses: Vec<bool>,
    /// (kind, inputs as node indices: events, then houses, then earlier gates)
    gates: Vec<(GateKind, Vec<usize>)>,
}

fn kind_strategy() -> impl Strategy<Value = u8> {
    0u8..9
}

fn spec() -> impl Strategy<Value = Spec> {
    (2usize..=6, 0usize..=2, 1usize..=6).prop_flat_map(|(n, h, g)| {
        let p = proptest::collection::vec(0.0f64..=1.0, n);
        let houses = proptest::collection::vec(any::<bool>(), h);
        let gates = proptest::collection::vec(
            (
                kind_strategy(),
                proptest::collection::vec(any::<prop::sample::Index>(), 0..=4),
                1u32..=4,
            ),
            g,
        );
        (p, houses, gates).prop_map(move |(p, houses, raw)| {
            let mut gates = Vec::new();
            for (i, (k, picks, vote)) in raw.into_iter().enumerate() {
                let available = n + houses.len() + i;
                let mut inputs: Vec<usize> = picks.iter().map(|x| x.index(available)).collect();
                // The previous gate always feeds this one, so every gate is reachable from the
                // top; the first may have no input (an undeveloped AND, OR, NAND or NOR).
                if i > 0 {
                    inputs.truncate(3);
                    inputs.insert(0, n + houses.len() + i - 1);
                }
                let kind = match k {
                    0 => GateKind::And,
                    1 => GateKind::Or,
                    2 => GateKind::Xor,
                    3 => GateKind::Nand,
                    4 => GateKind::Nor,
                    5 => GateKind::Not,
                    6 => GateKind::Inhibit,
                    7 => GateKind::Null,
                    _ => GateKind::Vote(vote),
                };
                match kind {
                    GateKind::Not | GateKind::Null | GateKind::Vote(_) if inputs.is_empty() => {
                        inputs.push(0)
                    }
                    GateKind::Not | GateKind::Null => inputs.truncate(1),
                    GateKind::Inhibit | GateKind::Xor => {
                        while inputs.len() < 2 {
                            inputs.push(0);
                        }
                        if kind == GateKind::Inhibit {
                            inputs.truncate(2);
                        }
                    }
                    _ => {}
                }
                let kind = match kind {
                    GateKind::Vote(k) => GateKind::Vote(k.min(inputs.len() as u32)),
                    k => k,
                };
                gates.push((kind, inputs));
            }
            Spec {
                p,
                houses: houses.clone(),
                gates,
            }
        })
    })
}

/// Trees without negation or XOR: the ones whose cut sets are built without a BDD.
fn coherent_spec() -> impl Strategy<Value = Spec> {
    spec().prop_map(|mut spec| {
        for (kind, _) in &mut spec.gates {
            *kind = match *kind {
                GateKind::Xor | GateKind::Nor => GateKind::Or,
                GateKind::Nand => GateKind::And,
                GateKind::Not => GateKind::Null,
                k => k,
            };
        }
        spec
    })
}

fn name(spec: &Spec, i: usize) -> String {
    let (n, h) = (spec.p.len(), spec.houses.len());
    if i < n {
        format!("e{i}")
    } else if i < n + h {
        format!("h{}", i - n)
    } else {
        format!("g{}", i - n - h)
    }
}

fn model(spec: &Spec) -> Model {
    let mut m = Model::new("random");
    let n = spec.p.len() + spec.houses.len();
    m.fault_trees.push(FaultTree {
        id: Id::new("ft"),
        name: "random".into(),
        description: String::new(),
        top: Id::new(name(spec, n + spec.gates.len() - 1)),
        gates: spec
            .gates
            .iter()
            .enumerate()
            .map(|(i, (kind, inputs))| Gate {
                id: Id::new(name(spec, n + i)),
                label: String::new(),
                kind: *kind,
                inputs: inputs.iter().map(|&x| Id::new(name(spec, x))).collect(),
            })
            .collect(),
        events: spec
            .p
            .iter()
            .enumerate()
            .map(|(i, p)| BasicEvent {
                id: Id::new(format!("e{i}")),
                label: String::new(),
                probability: Probability::Fixed(*p),
                uncertainty: None,
            })
            .collect(),
        house_events: spec
            .houses
            .iter()
            .enumerate()
            .map(|(i, s)| HouseEvent {
                id: Id::new(format!("h{i}")),
                label: String::new(),
                state: *s,
            })
            .collect(),
    });
    m
}

/// The top event's value when the events take the bits of `x`.
fn eval(spec: &Spec, x: u32) -> bool {
    values(spec, x).last().copied().unwrap_or(false)
}

/// Every node's value (events, houses, gates) when the events take the bits of `x`.
fn values(spec: &Spec, x: u32) -> Vec<bool> {
    let n = spec.p.len();
    let mut v: Vec<bool> = (0..n).map(|i| x >> i & 1 == 1).collect();
    v.extend(&spec.houses);
    for (kind, inputs) in &spec.gates {
        let a: Vec<bool> = inputs.iter().map(|&i| v[i]).collect();
        let ones = a.iter().filter(|b| **b).count();
        v.push(match kind {
            GateKind::And | GateKind::Inhibit => ones == a.len(),
            GateKind::Or => ones > 0,
            GateKind::Xor => ones % 2 == 1,
            GateKind::Nand => ones != a.len(),
            GateKind::Nor => ones == 0,
            GateKind::Not => !a[0],
            GateKind::Null => a[0],
            GateKind::Vote(k) => ones >= *k as usize,
        });
    }
    v
}

/// P(top) with event `fixed` (if any) forced to the given value.
fn brute_probability(spec: &Spec, fixed: Option<(usize, bool)>) -> f64 {
    let top = spec.p.len() + spec.houses.len() + spec.gates.len() - 1;
    brute_node_probability(spec, top, fixed)
}

/// P(node `node` is true) with event `fixed` (if any) forced to the given value.
fn brute_node_probability(spec: &Spec, node: usize, fixed: Option<(usize, bool)>) -> f64 {
    let n = spec.p.len();
    (0u32..1 << n)
        .filter(|&x| fixed.is_none_or(|(i, b)| (x >> i & 1 == 1) == b))
        .filter(|&x| values(spec, x)[node])
        .map(|x| {
            (0..n)
                .filter(|&i| fixed.is_none_or(|(f, _)| f != i))
                .map(|i| {
                    if x >> i & 1 == 1 {
                        spec.p[i]
                    } else {
                        1.0 - spec.p[i]
                    }
                })
                .product::<f64>()
        })
        .sum()
}

/// Minimal sets of events (as bit masks) whose truth, all others false, makes the top true.
fn brute_minimal_cut_sets(spec: &Spec) -> Vec<u32> {
    let n = spec.p.len();
    let solutions: Vec<u32> = (0u32..1 << n).filter(|&x| eval(spec, x)).collect();
    solutions
        .iter()
        .copied()
        .filter(|&s| !solutions.iter().any(|&t| t != s && t & s == t))
        .collect()
}

/// ¬e2 ∧ e0 ∧ e1 with P(e2) near 1: the top event is about 2e-8, and reading it as
/// 1 − P(complement) through a complement edge once lost its ninth digit.
#[test]
fn a_tiny_probability_under_a_negation_is_exact() {
    let spec = Spec {
        p: vec![
            2.0449799822850217e-5,
            0.6438681519433396,
            0.9982259882564661,
        ],
        houses: Vec::new(),
        gates: vec![
            (GateKind::Nand, vec![2]),
            (GateKind::Inhibit, vec![3, 0]),
            (GateKind::And, vec![4, 1, 0]),
            (GateKind::And, vec![5]),
        ],
    };
    let c = Compiled::new(&model(&spec), "ft").expect("compiles");
    let expected = brute_probability(&spec, None);
    assert!(
        (c.probability() - expected).abs() <= 1e-12 * expected,
        "{} vs {expected}",
        c.probability()
    );
}

/// Monte Carlo on the cut sets of a tree too large to solve samples the min-cut upper bound
/// with the same event probabilities as the exact solution would: equal to it where the two
/// agree (one cut set), above it where sets overlap, and never past 1 (where the rare-event
/// sum would).
#[test]
fn uncertainty_from_cut_sets_follows_the_min_cut_upper_bound() {
    let uncertain = |gates| {
        let spec = Spec {
            p: vec![0.1, 0.2, 0.3],
            houses: Vec::new(),
            gates,
        };
        let mut m = model(&spec);
        let d = [
            Distribution::Uniform {
                low: 0.05,
                high: 0.15,
            },
            Distribution::Lognormal {
                median: 0.2,
                error_factor: 3.0,
            },
            Distribution::Beta {
                alpha: 3.0,
                beta: 7.0,
            },
        ];
        for (e, d) in m.fault_trees[0].events.iter_mut().zip(d) {
            e.uncertainty = Some(d);
        }
        let opts = Options {
            monte_carlo: Some((3000, 11)),
            ..Options::default()
        };
        let exact = analyze(&m, "ft", &opts).expect("solves");
        let why = GraphError::TooLarge(1);
        let approx =
            approximate(&m, "ft", &opts, std::time::Instant::now(), why).expect("coherent");
        (
            exact.uncertainty.expect("sampled"),
            approx.uncertainty.expect("sampled"),
        )
    };
    let figures = |u: &threatloom::analysis::fault_tree::Uncertainty| [u.mean, u.p5, u.p50, u.p95];
    // e0 ∧ e1 ∧ e2: one cut set, whose product is the exact probability.
    let (exact, approx) = uncertain(vec![(GateKind::And, vec![0, 1, 2])]);
    assert_eq!(approx.samples, exact.samples);
    for (a, e) in figures(&approx).into_iter().zip(figures(&exact)) {
        assert!((a - e).abs() <= 1e-12 * e, "{approx:?} against {exact:?}");
    }
    assert!((approx.std_dev - exact.std_dev).abs() <= 1e-9 * exact.std_dev);
    // (e0 ∧ e1) ∨ (e1 ∧ e2): the bound takes the sets as independent, which they are not.
    let (exact, approx) = uncertain(vec![
        (GateKind::And, vec![0, 1]),
        (GateKind::And, vec![1, 2]),
        (GateKind::Or, vec![3, 4]),
    ]);
    for (a, e) in figures(&approx).into_iter().zip(figures(&exact)) {
        assert!(a > e, "{approx:?} against {exact:?}");
    }
    // e0 ∨ e1 ∨ e2: the bound is exact for disjoint sets, and the sum of the three would
    // often pass 1 (its mean is 0.6).
    let (exact, approx) = uncertain(vec![(GateKind::Or, vec![0, 1, 2])]);
    for (a, e) in figures(&approx).into_iter().zip(figures(&exact)) {
        assert!((a - e).abs() <= 1e-12 * e, "{approx:?} against {exact:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn probability_matches_enumeration(spec in spec()) {
        let m = model(&spec);
        prop_assert!(m.validate().is_empty(), "{:?}", m.validate());
        let c = Compiled::new(&m, "ft").expect("compiles");
        let expected = brute_probability(&spec, None);
        prop_assert!((c.probability() - expected).abs() < 1e-12, "{} vs {}", c.probability(), expected);
        // Exact also relative to a tiny probability.
        prop_assert!((c.probability() - expected).abs() <= 1e-12 * expected, "{} vs {}", c.probability(), expected);
    }

    #[test]
    fn every_gate_probability_matches_enumeration(spec in spec()) {
        let m = model(&spec);
        let all = node_probabilities(&m, "ft", &Default::default()).expect("compiles");
        let first_gate = spec.p.len() + spec.houses.len();
        for i in first_gate..first_gate + spec.gates.len() {
            let expected = brute_node_probability(&spec, i, None);
            let got = all[&Id::new(name(&spec, i))];
            prop_assert!((got - expected).abs() < 1e-12, "{}: {} vs {}", name(&spec, i), got, expected);
        }
    }

    #[test]
    fn what_is_known_of_a_tree_within_a_node_budget_is_exact(spec in spec(), max_nodes in 1usize..40) {
        let m = model(&spec);
        let within = |max_nodes| {
            let effort = Effort { max_nodes: Some(max_nodes), ..Effort::default() };
            known_probabilities(&m, "ft", &effort).expect("well formed")
        };
        let exact = node_probabilities(&m, "ft", &Default::default()).expect("compiles");
        // With room enough, every node under the top.
        let all = within(usize::MAX);
        prop_assert_eq!(all.len(), exact.len());
        let known = within(max_nodes);
        let first_gate = spec.p.len() + spec.houses.len();
        for i in 0..spec.gates.len() {
            let id = Id::new(name(&spec, first_gate + i));
            for (map, budget) in [(&all, "unlimited"), (&known, "small")] {
                if let Some(&got) = map.get(&id) {
                    let expected = brute_node_probability(&spec, first_gate + i, None);
                    prop_assert!((got - expected).abs() <= 1e-12, "{id} ({budget}): {got} vs {expected}");
                }
            }
        }
        // Events are known whatever the budget.
        for i in 0..spec.p.len() {
            let id = Id::new(name(&spec, i));
            prop_assert_eq!(known.get(&id), exact.get(&id));
        }
    }

    #[test]
    fn importance_matches_its_definitions(spec in spec()) {
        let m = model(&spec);
        let c = Compiled::new(&m, "ft").expect("compiles");
        let top = brute_probability(&spec, None);
        for imp in c.importance() {
            let i: usize = imp.event.as_str()[1..].parse().expect("event index");
            let with = brute_probability(&spec, Some((i, true)));
            let without = brute_probability(&spec, Some((i, false)));
            let expected = importance::measures(top, spec.p[i], with - without);
            prop_assert!((imp.measures.birnbaum - (with - without)).abs() < 1e-12);
            // P(top | e) and P(top | ¬e) recovered from Birnbaum agree with enumeration.
            prop_assert!((top + (1.0 - spec.p[i]) * imp.measures.birnbaum - with).abs() < 1e-12);
            prop_assert!((top - spec.p[i] * imp.measures.birnbaum - without).abs() < 1e-12);
            let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * (1.0 + b.abs());
            if top > 1e-9 {
                prop_assert!(close(imp.measures.raw, with / top));
                prop_assert!(close(imp.measures.fussell_vesely, (top - without) / top));
                prop_assert!(close(imp.measures.fussell_vesely, expected.fussell_vesely));
                if without > 1e-9 {
                    prop_assert!(close(imp.measures.rrw, top / without));
                }
            }
        }
    }

    #[test]
    fn importance_from_cut_sets_matches_the_min_cut_upper_bound(spec in coherent_spec(), limit in 1u32..=6) {
        let m = model(&spec);
        let opts = Options { max_order: Some(limit), ..Options::default() };
        let why = GraphError::TooLarge(1);
        let r = approximate(&m, "ft", &opts, std::time::Instant::now(), why).expect("coherent");
        let sets: Vec<u32> = brute_minimal_cut_sets(&spec)
            .into_iter()
            .filter(|s| s.count_ones() <= limit)
            .collect();
        // Each set's probability with event i's set to q.
        let (sets, p) = (&sets, &spec.p);
        let products = |i: usize, q: f64| sets.iter().map(move |&s| (0..p.len())
            .filter(|j| s >> j & 1 == 1)
            .map(|j| if j == i { q } else { p[j] })
            .product::<f64>());
        let bound = |i: usize, q: f64| 1.0 - products(i, q).map(|p| 1.0 - p).product::<f64>();
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * (1.0 + b.abs());
        let top = bound(usize::MAX, 0.0);
        prop_assert!(close(r.mcub, top));
        prop_assert!(close(r.rare_event, products(usize::MAX, 0.0).sum()));
        // Every event of a cut set is measured.
        let measured: Vec<&str> = r.importance.iter().map(|i| i.event.as_str()).collect();
        for i in (0..spec.p.len()).filter(|i| sets.iter().any(|s| s >> i & 1 == 1)) {
            prop_assert!(measured.contains(&name(&spec, i).as_str()), "{}", name(&spec, i));
        }
        for imp in &r.importance {
            let i: usize = imp.event.as_str()[1..].parse().expect("event index");
            let (with, without) = (bound(i, 1.0), bound(i, 0.0));
            prop_assert!(close(imp.measures.birnbaum, with - without), "{}", imp.event);
            if top > 1e-9 {
                prop_assert!(close(imp.measures.fussell_vesely, (top - without) / top));
                prop_assert!(close(imp.measures.raw, with / top));
                if without > 1e-9 {
                    prop_assert!(close(imp.measures.rrw, top / without));
                }
            }
        }
    }

    #[test]
    fn minimal_cut_sets_match_enumeration(spec in spec(), limit in 0u32..=6) {
        let m = model(&spec);
        let c = Compiled::new(&m, "ft").expect("compiles");
        let max_order = (limit < 6).then_some(limit);
        let (sets, _, _) = c.cut_sets(&Options { max_sets: 1000, max_order, ..Options::default() });
        let expected: std::collections::BTreeSet<Vec<String>> = brute_minimal_cut_sets(&spec)
            .into_iter()
            .filter(|s| s.count_ones() <= limit)
            .map(|s| (0..spec.p.len()).filter(|i| s >> i & 1 == 1).map(|i| name(&spec, i)).collect())
            .collect();
        prop_assert_eq!(sets.count, expected.len() as u128);
        let listed: std::collections::BTreeSet<Vec<String>> = sets
            .sets
            .iter()
            .map(|s| {
                let mut names: Vec<String> = s.events.iter().map(|e| e.as_str().to_owned()).collect();
                names.sort();
                names
            })
            .collect();
        prop_assert_eq!(listed, expected);
        // Listed most probable first.
        prop_assert!(sets.sets.windows(2).all(|w| w[0].probability >= w[1].probability));
    }
}
