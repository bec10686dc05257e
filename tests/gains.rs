//! What implementing one mitigation alone would lower, on a model small enough to work out by
//! hand: threat A (Possible × Major, High; residual Rare × Major, Low) needs m1; threat B
//! (Possible × Major, High; residual Unlikely × Major, Medium) needs m1 and m2; C has no
//! residual rating; D's residual rating is its inherent one; a fault tree
//! OR(A, B) whose events stand for them (default calibration: Possible 0.1, Unlikely 0.01,
//! Rare 0.001).

mod common;
use common::tui::{app_with, key, keys, screen};
use crossterm::event::KeyCode;
use std::path::Path;
use threatloom::analysis::fault_tree::Effort;
use threatloom::analysis::gains::gains;
use threatloom::format::ron;
use threatloom::model::{MitigationStatus, Model, RiskLevel};

const MODEL: &str = r#"Model(
    format: 1,
    name: "Two threats",
    threats: [
        Threat(id: "a", title: "A", likelihood: Possible, impact: Major,
            residual: Some(Rating(likelihood: Rare, impact: Major)), mitigations: ["m1"]),
        Threat(id: "b", title: "B", likelihood: Possible, impact: Major,
            residual: Some(Rating(likelihood: Unlikely, impact: Major)), mitigations: ["m1", "m2"]),
        Threat(id: "c", title: "C", likelihood: Possible, impact: Major, mitigations: ["m2"]),
        Threat(id: "d", title: "D", likelihood: Possible, impact: Major,
            residual: Some(Rating(likelihood: Possible, impact: Major)), mitigations: ["m1"]),
    ],
    mitigations: [
        Mitigation(id: "m2", title: "Second"),
        Mitigation(id: "m1", title: "First"),
    ],
    fault_trees: [
        FaultTree(id: "t", name: "Either", top: "top",
            gates: [Gate(id: "top", kind: Or, inputs: ["ea", "eb"])],
            events: [
                BasicEvent(id: "ea", probability: Threat("a")),
                BasicEvent(id: "eb", probability: Threat("b")),
            ],
        ),
    ],
)"#;

fn model() -> Model {
    ron::parse(MODEL, Path::new("two.ron")).expect("valid")
}

/// P(A or B) for independent events.
fn either(a: f64, b: f64) -> f64 {
    1.0 - (1.0 - a) * (1.0 - b)
}

fn close(a: f64, b: f64) -> bool {
    ((a - b) / b).abs() < 1e-12
}

#[test]
fn a_mitigation_that_completes_a_threat_lowers_it_and_its_top_event() {
    let g = gains(&model(), &Effort::default());
    let ids: Vec<&str> = g.iter().map(|g| g.mitigation.as_str()).collect();
    // m1 lowers A two steps; m2 alone lowers nothing: listed after it, though first in the model.
    assert_eq!(ids, ["m1", "m2"]);
    let m1 = &g[0];
    assert_eq!(
        m1.levels,
        [("a".into(), RiskLevel::High, RiskLevel::Low)],
        "{m1:?}"
    );
    assert_eq!(m1.steps(), 2);
    // D's residual rating is its inherent one: it waits for nothing.
    assert_eq!(m1.waiting, [("b".into(), vec!["Second".to_owned()])]);
    let [(tree, now, then)] = m1.tops.as_slice() else {
        panic!("{m1:?}")
    };
    assert_eq!(tree.as_str(), "t");
    assert!(close(*now, either(0.1, 0.1)), "{now}");
    assert!(close(*then, either(0.001, 0.1)), "{then}");
    assert!(close(
        m1.top_fall(),
        1.0 - either(0.001, 0.1) / either(0.1, 0.1)
    ));
    // m2: B still waits for m1, and C has no residual rating to move to.
    let m2 = &g[1];
    assert!(!m2.lowers(), "{m2:?}");
    assert_eq!(
        m2.waiting,
        [
            ("b".into(), vec!["First".to_owned()]),
            ("c".into(), Vec::new())
        ]
    );
}

#[test]
fn once_the_first_is_implemented_the_second_completes_b() {
    let mut m = model();
    m.mitigations[1].status = MitigationStatus::Implemented;
    let g = gains(&m, &Effort::default());
    // Implemented mitigations are not listed.
    assert_eq!(g.len(), 1);
    let m2 = &g[0];
    assert_eq!(m2.mitigation.as_str(), "m2");
    assert_eq!(
        m2.levels,
        [("b".into(), RiskLevel::High, RiskLevel::Medium)]
    );
    let (_, now, then) = m2.tops[0].clone();
    assert!(close(now, either(0.001, 0.1)), "{now}");
    assert!(close(then, either(0.001, 0.01)), "{then}");
}

#[test]
fn the_report_ranks_them_and_says_what_each_still_needs() {
    let text = threatloom::format::markdown::report(
        &model(),
        &Effort::default(),
        threatloom::model::Date::from_unix_days(0),
    );
    let section = text
        .split("### What each would lower on its own")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .unwrap_or_else(|| panic!("{text}"));
    let rows: Vec<&str> = section.lines().filter(|l| l.starts_with("| ")).collect();
    let fall = 100.0 * (1.0 - either(0.001, 0.1) / either(0.1, 0.1));
    assert_eq!(
        rows[1..],
        [
            format!(
                "| First | planned | A: High → Low | Either: {:.3e} → {:.3e} (−{fall:.1} %) | B (also needs Second) |",
                either(0.1, 0.1),
                either(0.001, 0.1)
            ),
            "| Second | planned | — | — | B (also needs First)<br>C (no residual rating) |"
                .to_owned(),
        ],
        "{section}"
    );
}

#[test]
fn the_what_if_list_says_what_each_lowers_alone() {
    let mut app = app_with(model());
    keys(&mut app, "5m");
    let text = screen(&mut app, 120, 36);
    let fall = 100.0 * (1.0 - either(0.001, 0.1) / either(0.1, 0.1));
    let first = text.lines().find(|l| l.contains("First")).expect("listed");
    assert!(
        first.contains(&format!("▼ 1 threat, top −{fall:.1}%")),
        "{first}"
    );
    let second = text.lines().find(|l| l.contains("Second")).expect("listed");
    assert!(second.contains("nothing alone"), "{second}");
    // Under the list, the selected one in full: Second, the first row.
    assert!(
        boxed(&text).contains("Second: alone, it lowers nothing. Still waiting: B (also needs First); C (no residual rating)."),
        "{text}"
    );
    keys(&mut app, "j");
    let text = screen(&mut app, 120, 36);
    let told = format!(
        "First: alone, it lowers A: High → Low; Either: {:.3e} → {:.3e} (−{fall:.1} %). Still waiting: B (also needs Second).",
        either(0.1, 0.1),
        either(0.001, 0.1)
    );
    assert!(boxed(&text).contains(&told), "{told}\n{text}");
    // Toggled, First is implemented: Second now completes B, and First says nothing.
    key(&mut app, KeyCode::Enter);
    let text = screen(&mut app, 120, 36);
    let row = |name: &str| {
        text.lines()
            .find(|l| l.contains(name) && l.contains("║["))
            .unwrap_or_else(|| panic!("{name}: {text}"))
    };
    assert!(row("Second").contains("▼ 1 threat, top −"), "{text}");
    let first = row("[implemented]");
    assert!(first.contains("First") && !first.contains('▼') && !first.contains("nothing"));
}

#[test]
fn the_risk_matrix_opens_the_what_if_too() {
    let mut app = app_with(model());
    keys(&mut app, "3m");
    assert!(matches!(
        app.mode,
        threatloom::tui::app::Mode::WhatIf { .. }
    ));
    // First is the second row; implementing it moves A to its residual rating.
    keys(&mut app, "j");
    key(&mut app, KeyCode::Enter);
    let a = app.model.threat("a").expect("a");
    assert_eq!(app.model.current_level(a), RiskLevel::Low);
    let text = screen(&mut app, 120, 36);
    assert!(text.contains("First: planned → implemented"), "{text}");
    assert!(text.contains("A: High → Low"), "{text}");
}

/// The text inside the screen's double-framed box, its rows joined by spaces: what a
/// paragraph there says, however it wrapped.
fn boxed(screen: &str) -> String {
    let rows: Vec<&str> = screen
        .lines()
        .filter_map(|l| {
            let (first, last) = (l.find('║')?, l.rfind('║')?);
            (first < last).then(|| l[first + '║'.len_utf8()..last].trim())
        })
        .filter(|r| !r.is_empty())
        .collect();
    rows.join(" ")
}
