//! Every kind of invalid model file gets a precise message naming file, line and column,
//! exit code 2, and never a panic.

mod common;
use common::{code, stderr, stdout, threatloom};

fn expect_invalid(fixture: &str, expected: &[&str]) {
    let path = format!("tests/fixtures/{fixture}");
    let out = threatloom(&["check", &path]);
    assert_eq!(code(&out), 2, "{fixture}: stderr was {}", stderr(&out));
    assert_eq!(stdout(&out), "", "{fixture}: nothing on stdout");
    let lines: Vec<String> = stderr(&out).lines().map(str::to_owned).collect();
    let expected: Vec<String> = expected.iter().map(|e| format!("{path}:{e}")).collect();
    assert_eq!(lines, expected, "{fixture}");
}

#[test]
fn dangling_reference() {
    expect_invalid(
        "invalid/dangling-reference.ron",
        &["8:18: flow \"f1\": target \"ghost\" is not a component"],
    );
}

#[test]
fn duplicate_id_points_at_the_second_definition() {
    expect_invalid(
        "invalid/duplicate-id.ron",
        &["8:24: duplicate id \"api\": a component and a mitigation share it"],
    );
}

#[test]
fn a_due_review_or_reviewed_date_that_is_no_day() {
    expect_invalid(
        "invalid/due-not-a-date.ron",
        &[
            "22:24: mitigation \"waf\": due \"end of Q1\" is not a date (expected YYYY-MM-DD)",
            "13:17: threat \"leak\": review_by \"2027-02-30\" is not a date (expected YYYY-MM-DD)",
            "9:18: flow \"query\": reviewed_on \"last week\" is not a date (expected YYYY-MM-DD)",
        ],
    );
}

#[test]
fn a_box_or_boundary_off_the_canvas() {
    expect_invalid(
        "invalid/off-the-canvas.ron",
        &[
            "6:23: component \"far\": position (2147483640, 3) is off the canvas (each \
             coordinate runs from -100000 to 100000)",
            "9:22: boundary \"empty\": position (0, -100001) is off the canvas (each \
             coordinate runs from -100000 to 100000)",
        ],
    );
}

#[test]
fn component_in_two_boundaries() {
    expect_invalid(
        "invalid/two-boundaries.ron",
        &["9:22: component \"db\" is in two boundaries: \"vpc-a\" and \"vpc-b\""],
    );
}

#[test]
fn boundaries_nesting_in_a_cycle() {
    expect_invalid(
        "invalid/boundary-cycle.ron",
        &["5:22: boundaries nest in a cycle: outer -> inner -> outer"],
    );
}

#[test]
fn vote_with_k_greater_than_n() {
    expect_invalid(
        "invalid/vote-k-greater-than-n.ron",
        &["6:22: gate \"g\": vote needs 3 of 2 inputs (k > n)"],
    );
}

#[test]
fn probabilities_outside_unit_interval() {
    expect_invalid(
        "invalid/probability-out-of-range.ron",
        &[
            "8:28: basic event \"a\": probability 1.5 is outside [0, 1]",
            "9:28: basic event \"b\": probability -0.1 is outside [0, 1]",
        ],
    );
}

#[test]
fn fault_tree_cycle_is_named_as_a_path() {
    expect_invalid(
        "invalid/fault-tree-cycle.ron",
        &["6:22: fault trees contain a cycle: g1 -> g2 -> g3 -> g1"],
    );
}

#[test]
fn gate_with_the_wrong_number_of_inputs() {
    expect_invalid(
        "invalid/gate-arity.ron",
        &["6:22: gate \"g\": NOT takes exactly 1 input, has 2"],
    );
}

#[test]
fn threat_references_to_nothing() {
    expect_invalid(
        "invalid/threat-references.ron",
        &[
            "5:20: threat \"t1\": target \"nowhere\" is not a component, flow or asset",
            "5:20: threat \"t1\": actor \"nobody\" is not an actor",
            "5:20: threat \"t1\": mitigation \"nothing\" is not a mitigation",
        ],
    );
}

#[test]
fn calibration_outside_unit_interval() {
    expect_invalid(
        "invalid/calibration-out-of-range.ron",
        &["4:5: calibration: probability 1.2 for Certain is outside [0, 1]"],
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    expect_invalid(
        "invalid/several-problems.ron",
        &[
            "6:23: duplicate id \"api\": two components share it",
            "9:18: flow \"f1\": source \"nobody\" is not a component",
            "12:23: fault tree \"ft\": top \"missing\" is not a gate, basic event or house event",
            "13:22: gate \"g\": vote needs 4 of 2 inputs (k > n)",
            "15:28: basic event \"a\": probability 2 is outside [0, 1]",
        ],
    );
}

#[test]
fn unknown_field_is_an_error_not_dropped() {
    let out = threatloom(&["check", "tests/fixtures/invalid/unknown-field.ron"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.starts_with(
            "tests/fixtures/invalid/unknown-field.ron:5:58: Unexpected field named `colour` in `Component`, expected one of `id`, `name`, `kind`"
        ),
        "{err}"
    );
}

#[test]
fn newer_format_is_refused_with_the_version() {
    expect_invalid(
        "invalid/newer-format.ron",
        &["2:5: format 7 is not supported; this build reads format 1"],
    );
}

#[test]
fn truncated_file() {
    expect_invalid(
        "invalid/truncated.ron",
        &["5:58: Expected opening `(` for struct `Component`"],
    );
}

#[test]
fn garbage_and_non_utf8_files() {
    expect_invalid(
        "garbage.ron",
        &["1:1: expected UTF-8 text, found an invalid byte (is this a model file?)"],
    );
    expect_invalid(
        "not-utf8.ron",
        &["3:16: expected UTF-8 text, found an invalid byte (is this a model file?)"],
    );
}

#[test]
fn every_truncation_of_a_real_model_fails_cleanly() {
    let text = std::fs::read_to_string(common::root().join("models/iot-fleet.ron")).expect("model");
    let dir = tempfile::tempdir().expect("tempdir");
    // Cut at a spread of points, including inside strings and multi-byte characters.
    let cuts: Vec<usize> = (1..text.len()).step_by(997).collect();
    for cut in cuts {
        let path = dir.path().join("cut.ron");
        std::fs::write(&path, &text.as_bytes()[..cut]).expect("write");
        let out = threatloom(&["check", path.to_str().expect("utf-8 path")]);
        let err = stderr(&out);
        assert_eq!(code(&out), 2, "cut at {cut}: {err}");
        assert!(
            err.starts_with(&format!("{}:", path.display())),
            "cut at {cut}: {err}"
        );
        assert!(!err.contains("panicked"), "cut at {cut}: {err}");
    }
}

#[test]
fn missing_file_is_invalid_input() {
    let out = threatloom(&["check", "tests/fixtures/does-not-exist.ron"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).starts_with("tests/fixtures/does-not-exist.ron: No such file"));
}
