//! The fault-tree commands as a user runs them.

mod common;
use common::{code, graphviz_accepts, stderr, stdout, threatloom};
use std::path::Path;

/// `threatloom analyze ARGS --format json`, which must succeed, parsed.
fn analyze_json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["analyze"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let out = threatloom(&all);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("JSON")
}

#[test]
fn pressure_tank_has_the_handbook_cut_sets_and_exact_probability() {
    let v = analyze_json(&["models/pressure-tank.ron"]);
    let tree = &v["trees"][0];
    let mut sets: Vec<Vec<String>> = tree["cut_sets"]["sets"]
        .as_array()
        .expect("sets")
        .iter()
        .map(|s| {
            let mut e: Vec<String> = s["events"]
                .as_array()
                .expect("events")
                .iter()
                .map(|x| x.as_str().expect("id").to_owned())
                .collect();
            e.sort();
            e
        })
        .collect();
    sets.sort();
    assert_eq!(
        sets,
        [
            vec!["K1", "S"],
            vec!["K2"],
            vec!["R", "S"],
            vec!["S", "S1"],
            vec!["T"]
        ]
    );
    // Independent: P = 1 − (1 − T)(1 − K2)(1 − S·(1 − (1 − S1)(1 − K1)(1 − R))).
    let (t, k2, s, s1, k1, r) = (5e-6, 3e-5, 1e-4, 3e-5, 3e-5, 1e-4);
    let p = 1.0 - (1.0 - t) * (1.0 - k2) * (1.0 - s * (1.0 - (1.0 - s1) * (1.0 - k1) * (1.0 - r)));
    let got = tree["probability"].as_f64().expect("probability");
    assert!(((got - p) / p).abs() < 1e-9, "{got} vs {p}");
}

#[test]
fn json_output_matches_the_contract_field_by_field() {
    let v = analyze_json(&[
        "models/iot-fleet.ron",
        "--monte-carlo",
        "500",
        "--seed",
        "7",
    ]);
    let keys = |x: &serde_json::Value| -> Vec<String> {
        let mut k: Vec<String> = x.as_object().expect("object").keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(keys(&v), ["trees"]);
    let t = &v["trees"][0];
    assert_eq!(
        keys(t),
        [
            "approximations",
            "cut_sets",
            "elapsed_ms",
            "id",
            "importance",
            "probability",
            "top",
            "uncertainty"
        ]
    );
    assert_eq!(t["id"], "ft-door-opened");
    assert_eq!(t["top"], "g-door-opened");
    assert_eq!(keys(&t["approximations"]), ["mcub", "rare_event"]);
    assert_eq!(keys(&t["cut_sets"]), ["count", "max_order", "sets"]);
    assert_eq!(t["cut_sets"]["count"], 3);
    assert_eq!(t["cut_sets"]["max_order"], 2);
    assert_eq!(keys(&t["cut_sets"]["sets"][0]), ["events", "probability"]);
    assert_eq!(
        keys(&t["importance"][0]),
        [
            "birnbaum",
            "event",
            "fussell_vesely",
            "probability",
            "raw",
            "rrw"
        ]
    );
    assert_eq!(
        keys(&t["uncertainty"]),
        ["mean", "p5", "p50", "p95", "samples", "seed", "std_dev"]
    );
    assert!(t["elapsed_ms"].as_f64().expect("number") >= 0.0);

    let v = analyze_json(&["models/iot-fleet.ron"]);
    assert!(v["trees"][0]["uncertainty"].is_null());
}

#[test]
fn monte_carlo_is_reproducible_and_centred() {
    let run = |seed: &str| {
        let v = analyze_json(&[
            "models/iot-fleet.ron",
            "--monte-carlo",
            "4000",
            "--seed",
            seed,
        ]);
        v["trees"][0]["uncertainty"].clone()
    };
    let a = run("42");
    assert_eq!(a, run("42"), "same seed, same result");
    assert_ne!(a["mean"], run("43")["mean"]);
    assert_eq!(a["samples"], 4000);
    let (p5, p50, p95) = (
        a["p5"].as_f64().expect("p5"),
        a["p50"].as_f64().expect("p50"),
        a["p95"].as_f64().expect("p95"),
    );
    assert!(p5 < p50 && p50 < p95, "{a}");
}

#[test]
fn monte_carlo_recovers_a_known_distribution() {
    // top = OR(x, never) with x ~ uniform(0.2, 0.4): the top event is x itself.
    let v = analyze_json(&["tests/fixtures/uncertain.ron", "--monte-carlo", "20000"]);
    let u = &v["trees"][0]["uncertainty"];
    let get = |k: &str| u[k].as_f64().expect("number");
    assert!((get("mean") - 0.3).abs() < 0.002, "{u}");
    assert!((get("std_dev") - 0.2 / 12f64.sqrt()).abs() < 0.002, "{u}");
    assert!((get("p5") - 0.21).abs() < 0.003, "{u}");
    assert!((get("p50") - 0.30).abs() < 0.003, "{u}");
    assert!((get("p95") - 0.39).abs() < 0.003, "{u}");
}

#[test]
fn analyze_reads_mef_directly_and_text_output_names_the_tree() {
    let bench = common::root().join("../shared/fta-bench/examples/Chinese");
    let out = threatloom(&[
        "analyze",
        bench.join("chinese.xml").to_str().expect("utf-8"),
        bench
            .join("chinese-basic-events.xml")
            .to_str()
            .expect("utf-8"),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("probability        4.569322e-3  (exact)"),
        "{text}"
    );
    assert!(text.contains("minimal cut sets   392"), "{text}");
}

#[test]
fn an_order_limit_is_said_beside_the_figures_it_bounds() {
    // The pressure tank's minimal cut sets: K2 and T alone, then three pairs.
    let limited = |k: &str| {
        let out = threatloom(&["analyze", "models/pressure-tank.ron", "--max-order", k]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        stdout(&out)
    };
    let one = limited("1");
    assert!(one.contains("(exact)"), "{one}");
    assert!(
        one.contains("rare-event approx  3.500000e-5  (cut sets of at most 1 event only)"),
        "{one}"
    );
    assert!(
        one.contains("minimal cut sets   2 of at most 1 event (2 of order 1)\n"),
        "{one}"
    );
    let none = limited("0");
    assert!(
        none.contains("minimal cut sets   0 of at most 0 events\n"),
        "{none}"
    );
    let all = stdout(&threatloom(&["analyze", "models/pressure-tank.ron"]));
    assert!(
        all.contains("minimal cut sets   5 (2 of order 1, 3 of order 2)\n"),
        "{all}"
    );
    assert!(!all.contains("at most"), "{all}");
}

#[test]
fn a_tree_too_large_for_the_node_budget_is_approximated_from_its_cut_sets() {
    // jbd9601 needs about 240 000 BDD nodes; under a budget of 50 000 it is not solved, and
    // its cut sets are built without a BDD instead.
    let tree = "../shared/fta-bench/aralia/jbd9601.xml";
    let exact = analyze_json(&[tree]);
    let capped = analyze_json(&[tree, "--max-nodes", "50000"]);
    let (e, c) = (&exact["trees"][0], &capped["trees"][0]);
    assert!(
        e["probability"].is_f64() && e.get("truncation").is_none(),
        "{e}"
    );
    assert!(c["probability"].is_null(), "{c}");
    let t = &c["truncation"];
    assert!(
        t["reason"]
            .as_str()
            .expect("reason")
            .contains("more than 50000 BDD nodes"),
        "{t}"
    );
    assert_eq!(t["complete"], true, "{t}");
    // The same cut sets, all of them, and the same listed: of the 111 single events at 0.01,
    // the first 20 by name, whichever variable order each algorithm used.
    assert_eq!(c["cut_sets"], e["cut_sets"]);
    for k in ["rare_event", "mcub"] {
        let (a, b) = (
            c["approximations"][k].as_f64().expect("number"),
            e["approximations"][k].as_f64().expect("number"),
        );
        assert!((a - b).abs() <= 1e-12 * b, "{k}: {a} against {b}");
    }
    // Importance from the cut sets: the same events measured as in the exact solution, and
    // by the min-cut upper bound M, each listed cut set S's event weighs at least
    // P(S)(1 − M)/M: removing the sets holding it leaves at most 1 − (1 − M)/(1 − P(S)).
    let names = |r: &serde_json::Value| {
        let mut n: Vec<String> = r["importance"]
            .as_array()
            .expect("importance")
            .iter()
            .map(|i| i["event"].as_str().expect("event").to_owned())
            .collect();
        n.sort();
        n
    };
    assert_eq!(names(c), names(e));
    let mcub = c["approximations"]["mcub"].as_f64().expect("number");
    for set in c["cut_sets"]["sets"].as_array().expect("sets") {
        let share = set["probability"].as_f64().expect("number") * (1.0 - mcub) / mcub;
        for event in set["events"].as_array().expect("events") {
            let i = c["importance"]
                .as_array()
                .expect("importance")
                .iter()
                .find(|i| i["event"] == *event)
                .expect("measured");
            let fv = i["fussell_vesely"].as_f64().expect("number");
            assert!(fv >= share * (1.0 - 1e-12), "{i} against {share}");
        }
    }

    // With an order limit, the text says what the figures rest on; stderr warns.
    let out = threatloom(&["analyze", tree, "--max-nodes", "50000", "--max-order", "2"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("probability        not computed: "), "{text}");
    assert!(
        text.contains("importance from these cut sets, by the min-cut upper bound"),
        "{text}"
    );
    assert!(
        text.contains("minimal cut sets of at most 2 events only"),
        "{text}"
    );
    assert!(
        text.contains("4040 (111 of order 1, 3929 of order 2)"),
        "{text}"
    );
    assert!(
        stderr(&out).contains("not solved exactly"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn analyzing_a_model_without_fault_trees_names_the_file_and_says_how_to_add_one() {
    let out = threatloom(&["analyze", "tests/fixtures/gate.ron"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.starts_with("tests/fixtures/gate.ron: the model has no fault tree")
            && err.contains("Fault trees screen"),
        "{err}"
    );
}

#[test]
fn mef_errors_name_file_line_and_column() {
    let out = threatloom(&["analyze", "tests/fixtures/mef/undefined-event.xml"]);
    assert_eq!(code(&out), 2);
    assert_eq!(
        stderr(&out).trim(),
        "tests/fixtures/mef/undefined-event.xml:7:9: undefined basic event \"missing\""
    );
    let out = threatloom(&["analyze", "tests/fixtures/mef/truncated.xml"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).starts_with("tests/fixtures/mef/truncated.xml:6:1: unexpected end of file"),
        "{}",
        stderr(&out)
    );
    // A file that parses but breaks the model's rules: every problem at once, each at the
    // definition of what it is about.
    let out = threatloom(&["analyze", "tests/fixtures/mef/invalid.xml"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    let mut lines: Vec<&str> = err.lines().collect();
    lines.sort_unstable();
    let f = "tests/fixtures/mef/invalid.xml";
    assert_eq!(
        lines,
        [
            format!("{f}:11:5: gate \"vote\": vote needs 3 of 2 inputs (k > n)"),
            format!("{f}:17:5: fault trees contain a cycle: loop-a -> loop-b -> loop-a"),
            format!("{f}:29:5: basic event \"a\": probability 1.5 is outside [0, 1]"),
        ]
    );
    let out = threatloom(&["import", f, "-o", "/dev/null"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains(&format!("{f}:11:5: ")),
        "{}",
        stderr(&out)
    );
}

#[test]
fn import_export_round_trip_through_the_cli() {
    let dir = tempfile::tempdir().expect("tempdir");
    let xml = dir.path().join("tank.xml");
    let out = threatloom(&[
        "export",
        "models/pressure-tank.ron",
        "--to",
        "mef",
        "-o",
        xml.to_str().expect("utf-8"),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let ron = dir.path().join("tank.ron");
    let out = threatloom(&[
        "import",
        xml.to_str().expect("utf-8"),
        "-o",
        ron.to_str().expect("utf-8"),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("1 fault tree, 5 gates, 6 basic events"));
    let original = threatloom::format::ron::load(Path::new("models/pressure-tank.ron"))
        .expect("load")
        .model;
    let imported = threatloom::format::ron::load(&ron).expect("load").model;
    assert_eq!(imported.fault_trees, original.fault_trees);
    let out = threatloom(&[
        "import",
        xml.to_str().expect("utf-8"),
        "-o",
        ron.to_str().expect("utf-8"),
    ]);
    assert_eq!(code(&out), 2, "import never overwrites");
    assert!(
        stderr(&out).contains("tank.ron: already exists; not overwritten"),
        "{}",
        stderr(&out)
    );
}

/// `export MODEL --to dot --view tree` with `extra` arguments.
fn tree_dot(model: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["export", model, "--to", "dot", "--view", "tree"];
    args.extend_from_slice(extra);
    threatloom(&args)
}

#[test]
fn a_branch_is_exported_from_the_node_given_with_its_probabilities() {
    let tank = common::root().join("models/pressure-tank.ron");
    let tank = tank.to_str().expect("utf-8");
    let out = tree_dot(tank, &["--from", "E5"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let dot = stdout(&out);
    // E5 = K1 ∨ R, with p(K1) = 3e-5 and p(R) = 1e-4.
    let p = 1.0 - (1.0 - 3e-5) * (1.0 - 1e-4);
    assert!(dot.contains(&format!("E5\\np = {p:.3e}")), "{dot}");
    for left in ["\"E4\" [", "\"S\" [", "\"T\" ["] {
        assert!(!dot.contains(left), "{left} drawn:\n{dot}");
    }
    graphviz_accepts(&dot, std::path::Path::new(tank));
}

#[test]
fn fault_tree_dot_renders_with_graphviz_for_every_bundled_tree() {
    for model in common::bundled_models() {
        let m = model.to_str().expect("utf-8");
        let loaded = threatloom::format::ron::load(&model).expect("load").model;
        for t in &loaded.fault_trees {
            let out = tree_dot(m, &["--tree", t.id.as_str()]);
            assert_eq!(code(&out), 0, "{}", stderr(&out));
            let dot = stdout(&out);
            assert!(dot.contains("shape=circle"), "basic events are circles");
            assert!(dot.contains("p = "), "probabilities in labels");
            graphviz_accepts(&dot, &model);
        }
    }
    let dot = stdout(&tree_dot("models/iot-fleet.ron", &[]));
    assert!(dot.contains("shape=hexagon"), "INHIBIT gates are hexagons");
    let out = tree_dot("models/iot-fleet.ron", &["--tree", "nope"]);
    assert_eq!(code(&out), 2);
}

#[test]
fn a_tree_drawing_past_the_node_budget_keeps_what_fits_and_says_so() {
    // das9601 needs more than 50 000 BDD nodes and less than 400 000.
    let das = common::root().join("../shared/fta-bench/aralia/das9601.xml");
    let das = das.to_str().expect("utf-8");
    let solved = tree_dot(das, &[]);
    assert_eq!(code(&solved), 0, "{}", stderr(&solved));
    assert_eq!(stderr(&solved), "");
    let capped = tree_dot(das, &["--max-nodes", "50000"]);
    assert_eq!(code(&capped), 0, "{}", stderr(&capped));
    assert!(
        stderr(&capped).starts_with("note: ")
            && stderr(&capped).contains("only the gates solved on their own have a probability: ")
            && stderr(&capped).contains("50000 BDD nodes"),
        "{}",
        stderr(&capped)
    );
    let (solved, capped) = (stdout(&solved), stdout(&capped));
    // Each node's printed probability, by id.
    let labelled = |dot: &str| -> std::collections::HashMap<String, f64> {
        dot.lines()
            .filter_map(|l| {
                let id = l.trim().strip_prefix('"')?.split('"').next()?;
                let p = l.split("\\np = ").nth(1)?.split('"').next()?;
                Some((id.to_owned(), p.parse().ok()?))
            })
            .collect()
    };
    let (all, known) = (labelled(&solved), labelled(&capped));
    let events = capped.matches("shape=circle").count();
    assert!(events > 0);
    // Every event keeps its probability; so do some gates, not all; each as solved whole.
    assert!(known.len() > events && known.len() < all.len(), "{known:?}");
    for (id, p) in &known {
        assert!(
            (p - all[id]).abs() <= 1e-3 * all[id],
            "{id}: {p} vs {}",
            all[id]
        );
    }
    graphviz_accepts(&capped, Path::new("das9601.xml"));
}

#[test]
fn export_reads_mef_directly_like_analyze() {
    let bench = common::root().join("../shared/fta-bench/examples/Chinese");
    let files = [
        bench.join("chinese.xml"),
        bench.join("chinese-basic-events.xml"),
    ];
    let files: Vec<&str> = files.iter().map(|f| f.to_str().expect("utf-8")).collect();
    let top = analyze_json(&files)["trees"][0]["probability"]
        .as_f64()
        .expect("probability");
    let mut args = vec!["export"];
    args.extend_from_slice(&files);
    args.extend_from_slice(&["--to", "dot", "--view", "tree"]);
    let out = threatloom(&args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let dot = stdout(&out);
    assert!(dot.contains(&format!("p = {top:.3e}")), "{dot}");
    graphviz_accepts(&dot, Path::new("chinese.xml"));
    // And to Open-PSA MEF again, which analyze reads back to the same probability.
    let dir = tempfile::tempdir().expect("tempdir");
    let xml = dir.path().join("again.xml");
    args.truncate(3);
    args.extend_from_slice(&["--to", "mef", "-o", xml.to_str().expect("utf-8")]);
    let out = threatloom(&args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let again = analyze_json(&[xml.to_str().expect("utf-8")])["trees"][0]["probability"]
        .as_f64()
        .expect("probability");
    assert!((again - top).abs() <= 1e-12 * top, "{again} vs {top}");
}

/// Runs the binary with stdout on a pipe whose reader stops after the first line.
fn first_line_only(args: &[&str]) -> std::process::Output {
    use std::io::BufRead;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_threatloom"))
        .args(args)
        .current_dir(common::root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("a first line");
    assert!(!line.is_empty());
    child.wait_with_output().expect("ends")
}

#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    let aralia = |t: &str| format!("../shared/fta-bench/aralia/{t}.xml");
    let (baobab, edf) = (aralia("baobab1"), aralia("edf9202"));
    // Both print more than a pipe holds (64 KiB): 2.8 MB and 98 kB.
    for args in [
        &["analyze", &baobab, "--max-sets", "100000"][..],
        &["export", &edf, "--to", "dot", "--view", "tree"][..],
    ] {
        let out = first_line_only(args);
        assert_eq!(code(&out), 0, "{args:?}: {}", stderr(&out));
        assert_eq!(stderr(&out), "", "{args:?}");
    }
}

#[test]
fn a_stdout_that_fails_is_reported_not_a_panic() {
    let full = std::fs::File::create("/dev/full").expect("/dev/full");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_threatloom"))
        .args(["analyze", "models/pressure-tank.ron"])
        .current_dir(common::root())
        .stdout(full)
        .output()
        .expect("binary runs");
    assert_eq!(code(&out), 2);
    assert_eq!(
        stderr(&out),
        "stdout: No space left on device (os error 28)\n"
    );
}

#[test]
fn check_max_probability_gates_top_events() {
    let out = threatloom(&[
        "check",
        "models/pressure-tank.ron",
        "--max-probability",
        "1e-4",
    ]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let out = threatloom(&[
        "check",
        "models/pressure-tank.ron",
        "--max-probability",
        "1e-5",
    ]);
    assert_eq!(code(&out), 1);
    assert!(
        stdout(&out)
            .contains("fault tree pressure-tank has top-event probability 3.501585e-5 > 1e-5"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn check_reads_a_mef_model_beside_a_ron_one() {
    let baobab1 = common::root().join("../shared/fta-bench/aralia/baobab1.xml");
    let baobab1 = baobab1.to_str().expect("utf-8");
    // Its top event: 1.0170807783837207e-4.
    let out = threatloom(&[
        "check",
        baobab1,
        "models/pressure-tank.ron",
        "--max-probability",
        "2e-4",
    ]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("baobab1.xml: ok"), "{}", stdout(&out));
    let out = threatloom(&["check", baobab1, "--max-probability", "1e-4"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        stdout(&out).contains("fault tree baobab1 has top-event probability 1.017081e-4 > 1e-4"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn check_max_probability_judges_a_tree_too_large_from_its_cut_sets() {
    // Under a 50 000-node budget jbd9601 (P = 0.7551) is not solved; all 14 007 of its
    // minimal cut sets are known, the most probable at 0.01, and their min-cut upper bound
    // is 0.7790.
    let dir = tempfile::tempdir().expect("tempdir");
    let model = dir.path().join("jbd.ron");
    let model = model.to_str().expect("utf-8");
    let out = threatloom(&[
        "import",
        "../shared/fta-bench/aralia/jbd9601.xml",
        "-o",
        model,
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let check = |limit: &str| {
        threatloom(&[
            "check",
            model,
            "--max-nodes",
            "50000",
            "--max-probability",
            limit,
        ])
    };
    // Above the bound: passes, and says on what.
    let out = check("0.78");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).contains("at most 7.789927e-1 (min-cut upper bound"),
        "{}",
        stdout(&out)
    );
    // Below one cut set alone: fails, naming it.
    let out = check("0.005");
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        stdout(&out).contains("its minimal cut set {e1} alone has probability 1.000000e-2"),
        "{}",
        stdout(&out)
    );
    // In between, the exact value could lie either side: no verdict, an error.
    let out = check("0.76");
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("cannot tell whether its top-event probability exceeds 7.6e-1"),
        "{}",
        stderr(&out)
    );
    // Solved exactly, the same tree passes at 0.76.
    let out = threatloom(&["check", model, "--max-probability", "0.76"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
}

#[test]
fn options_out_of_range_or_that_would_be_ignored_are_refused_with_the_reason() {
    let tank = "models/pressure-tank.ron";
    for (args, why) in [
        (
            vec!["analyze", tank, "--cutoff", "2"],
            "a probability is from 0 to 1",
        ),
        (
            vec!["check", tank, "--max-probability", "NaN"],
            "a probability is from 0 to 1",
        ),
        (
            vec!["check", tank, "--max-probability", "1%"],
            "expected a number from 0 to 1",
        ),
        (
            vec!["analyze", tank, "--monte-carlo", "0"],
            "at least one sample is needed",
        ),
        (
            vec!["export", tank, "--to", "mef", "--tree", "pressure-tank"],
            "--tree and --from choose the fault tree to draw: use them with --to dot --view tree",
        ),
        (
            vec!["export", tank, "--to", "svg", "--view", "tree"],
            "--view tree draws a fault tree in DOT only",
        ),
        (
            vec![
                "export", tank, "--to", "dot", "--view", "tree", "--from", "E9",
            ],
            "no fault-tree node \"E9\"",
        ),
    ] {
        let out = threatloom(&args);
        assert_eq!(code(&out), 2, "{args:?}");
        assert!(stderr(&out).contains(why), "{args:?}: {}", stderr(&out));
        assert!(stdout(&out).is_empty(), "{args:?}");
    }
}

/// Ctrl-C on a long analysis in a terminal erases its progress line, so the shell's prompt
/// does not land after it, and ends the command as SIGINT would (status 130). The terminal is
/// a pseudo-terminal `script` (util-linux) opens; the Ctrl-C goes through it.
#[test]
fn ctrl_c_erases_the_progress_line() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().expect("temp dir");
    let log = dir.path().join("terminal");
    // nus9601 takes minutes: the line shows after a second, and the Ctrl-C comes long before
    // the end.
    let nus = common::root().join("../shared/fta-bench/aralia/nus9601.xml");
    let command = format!(
        "stty cols 100 rows 30; exec '{}' analyze '{}'",
        env!("CARGO_BIN_EXE_threatloom"),
        nus.display()
    );
    let mut script = Command::new("script")
        .args(["-q", "-f", "-e", "-c", &command])
        .arg(&log)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("script (util-linux) runs");
    let shown = || std::fs::read_to_string(&log).unwrap_or_default();
    let start = Instant::now();
    while !shown().contains("nus9601: solving") {
        assert!(start.elapsed() < Duration::from_secs(60), "{}", shown());
        std::thread::sleep(Duration::from_millis(100));
    }
    let mut keys = script.stdin.take().expect("stdin");
    keys.write_all(b"\x03").expect("Ctrl-C sent");
    let status = script.wait().expect("script ends");
    assert_eq!(status.code(), Some(130));
    let text = shown();
    let last = text.rfind("nus9601: solving").expect("the line");
    assert!(
        text[last..].contains("\r\x1b[K"),
        "the line was left: {:?}",
        &text[last..]
    );
}
