//! The headless command line as a user runs it: exit codes, outputs, hostile input.

mod common;
use common::{code, graphviz_accepts, stderr, stdout, threatloom};
use std::path::Path;
use threatloom::format::ron::{self, Overwrite};
use threatloom::model::{
    Area, Boundary, BoundaryKind, Component, ComponentKind, Flow, Impact, Likelihood, Model, Threat,
};

#[test]
fn check_accepts_every_bundled_model() {
    let models: Vec<String> = common::bundled_models()
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    assert!(models.len() >= 2);
    let mut args = vec!["check"];
    args.extend(models.iter().map(String::as_str));
    let out = threatloom(&args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        stdout(&out)
            .lines()
            .filter(|l| l.contains(": ok, "))
            .count(),
        models.len()
    );
}

#[test]
fn every_export_of_every_bundled_model_succeeds_and_dot_renders() {
    for model in common::bundled_models() {
        let m = model.to_str().expect("utf-8 path");
        for to in ["dot", "md", "csv", "json", "mef", "svg"] {
            let out = threatloom(&["export", m, "--to", to]);
            assert_eq!(code(&out), 0, "{m} --to {to}: {}", stderr(&out));
            assert!(!out.stdout.is_empty(), "{m} --to {to} printed nothing");
        }
        graphviz_accepts(&stdout(&threatloom(&["export", m, "--to", "dot"])), &model);
        let json: serde_json::Value =
            serde_json::from_slice(&threatloom(&["export", m, "--to", "json"]).stdout)
                .expect("valid JSON");
        assert_eq!(json["format"], 1);
        // The SVG is well-formed XML and draws every component.
        let svg = stdout(&threatloom(&["export", m, "--to", "svg"]));
        let mut reader = quick_xml::Reader::from_str(&svg);
        while reader.read_event().expect("well-formed SVG") != quick_xml::events::Event::Eof {}
        let loaded = threatloom::format::ron::load(&model).expect("load").model;
        let drawn = |text: &str| {
            svg.contains(&quick_xml::escape::escape(text).to_string()) || svg.contains(text)
        };
        for c in &loaded.components {
            // A long name goes on two lines, broken between words.
            let words: Vec<&str> = c.name.split(' ').collect();
            let first = (1..=words.len())
                .rev()
                .find(|&n| words[..n].join(" ").chars().count() <= 22)
                .unwrap_or(1);
            for line in [words[..first].join(" "), words[first..].join(" ")] {
                let shown: String = line.chars().take(20).collect();
                assert!(drawn(&shown), "{} missing from the SVG", c.name);
            }
        }
    }
}

#[test]
fn export_writes_to_a_file_with_o() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out_path = dir.path().join("report.md");
    let out = threatloom(&[
        "export",
        "models/serverless-webapp.ron",
        "--to",
        "md",
        "-o",
        out_path.to_str().expect("utf-8"),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    let report = std::fs::read_to_string(&out_path).expect("report written");
    assert!(report.starts_with("# Serverless web shop — threat model"));
    for section in [
        "## Summary",
        "## Elements",
        "## Flows crossing a trust boundary",
        "## Risk assessment",
        "## Risk matrix",
        "## Threat actors",
        "## Mitigations",
        "## Decisions",
    ] {
        assert!(report.contains(section), "missing {section}");
    }
}

fn gate(level: &str) -> (i32, String) {
    let out = threatloom(&["check", "tests/fixtures/gate.ron", "--fail-on", level]);
    (code(&out), stdout(&out))
}

fn listed(out: &str) -> Vec<&str> {
    out.lines()
        .filter(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().nth(1))
        .collect()
}

#[test]
fn fail_on_passes_below_the_threshold() {
    let (code, out) = gate("critical");
    assert_eq!(code, 0, "{out}");
    assert!(listed(&out).is_empty());
}

#[test]
fn fail_on_fails_at_and_above_the_threshold() {
    let (code, out) = gate("high");
    assert_eq!(code, 1);
    assert_eq!(listed(&out), ["t-high"]);
    assert!(out.contains("1 threat at or above High"), "{out}");

    // A residual rating counts only once its mitigations are implemented.
    let (code, out) = gate("medium");
    assert_eq!(code, 1);
    assert_eq!(listed(&out), ["t-high", "t-pending"]);
    assert!(out.contains("2 threats at or above Medium"), "{out}");
    assert!(out.contains("residual pending mitigations"), "{out}");

    let (code, out) = gate("low");
    assert_eq!(code, 1);
    assert_eq!(listed(&out), ["t-high", "t-pending", "t-residual"]);
}

#[test]
fn fail_on_overdue_gates_on_mitigations_and_decisions_past_their_dates() {
    const MODEL: &str = "models/serverless-webapp.ron";
    let check = |today: &str| threatloom(&["check", MODEL, "--fail-on-overdue", "--today", today]);
    // Before any due date: nothing overdue.
    let out = check("2026-10-31");
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    // The day after the first: that one, not implemented, fails the gate.
    let out = check("2026-11-01");
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert!(
        text.contains("1 mitigation overdue on 2026-11-01:\n  due 2026-10-31  m-secrets-manager"),
        "{text}"
    );
    let out = check("2026-12-02");
    assert_eq!(code(&out), 1);
    assert!(stdout(&out).contains("3 mitigations overdue on 2026-12-02:"));
    // A decision past its review date fails it too: the IoT model's accepted risk.
    let iot = |today: &str| {
        threatloom(&[
            "check",
            "models/iot-fleet.ron",
            "--fail-on-overdue",
            "--today",
            today,
        ])
    };
    assert_eq!(code(&iot("2026-10-01")), 0);
    let out = iot("2026-10-02");
    assert_eq!(code(&out), 1);
    assert!(
        stdout(&out).contains(
            "1 decision past the review date on 2026-10-02:\n  review by 2026-10-01  presence-leak"
        ),
        "{}",
        stdout(&out)
    );
    // Not a day: a usage error.
    let out = check("2026-02-30");
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("\"2026-02-30\" is not a date (expected YYYY-MM-DD)"));
}

#[test]
fn require_review_gates_on_crossing_flows_nobody_has_walked() {
    const MODEL: &str = "models/serverless-webapp.ron";
    let out = threatloom(&["check", MODEL, "--require-review"]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert!(
        text.contains(
            "9 flows crossing a trust boundary not reviewed:\n  \
             f-load-site  Load web app: Customer (browser) → Static web front end\n"
        ),
        "{text}"
    );
    // Reviewed ones are not listed: the CI/CD pipeline's dependency download.
    assert!(!text.contains("f-dependencies"), "{text}");
    // Every crossing walked: the gate passes.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("walked.ron");
    let mut model = ron::load(Path::new(MODEL)).expect("bundled").model;
    for f in &mut model.flows {
        f.reviewed_on = "2026-11-24".into();
    }
    ron::save(&path, &model, Overwrite::IfUnchanged(None)).expect("saved");
    let out = threatloom(&["check", path.to_str().expect("utf-8"), "--require-review"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
}

#[test]
fn bundled_serverless_model_has_high_risks_left_but_nothing_critical() {
    const MODEL: &str = "models/serverless-webapp.ron";
    let check = |flag: &str, level: &str| threatloom(&["check", MODEL, flag, level]);
    let out = check("--fail-on", "critical");
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let out = check("--fail-on", "high");
    assert_eq!(code(&out), 1);
    assert!(stdout(&out).contains("webhook-forgery"));
    // Requiring a decision on every High threat still carrying risk: the 9 of them without
    // one fail the gate; static-keys, High too, has its decision and passes.
    let out = check("--require-decision", "high");
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert!(
        text.contains("9 threats at or above High without a decision:"),
        "{text}"
    );
    assert!(text.contains("webhook-forgery") && !text.contains("static-keys"));
    let out = check("--require-decision", "critical");
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    // The report's summary says as much, and how many threats still wait for a decision
    // (6 of the 18 have one).
    let md = stdout(&threatloom(&["export", MODEL, "--to", "md"]));
    assert!(
        md.contains(
            "- 18 threats, 12 still carrying risk: 0 critical, 10 high, 2 medium, 0 low; \
             12 without a decision"
        ),
        "{md}"
    );
}

/// A model whose every string is hostile: quotes, backslashes, newlines, HTML, escapes.
fn hostile_model() -> Model {
    let evil = |s: &str| {
        format!("{s} \"q\" \\b\\ new\nline <b>&amp;</b> \u{1b}[2J\u{1b}]0;pwn\u{7} | *x* `y`")
    };
    let mut m = Model::new(&evil("model"));
    m.description = evil("description");
    let mut a = Component::new("a\"1", evil("client"), ComponentKind::ExternalEntity);
    a.technology = evil("tech");
    let mut b = Component::new("b\\2", evil("server"), ComponentKind::Process);
    b.out_of_scope = Some(evil("reason"));
    m.components = vec![a, b];
    m.boundaries.push(Boundary {
        id: "zone\n3".into(),
        name: evil("zone"),
        kind: BoundaryKind::Custom(evil("kind")),
        description: String::new(),
        parent: None,
        members: vec!["b\\2".into()],
        area: Area::default(),
    });
    let mut f = Flow::new("f<4>", "a\"1", "b\\2", &evil("flow"));
    f.protocol = evil("proto");
    m.flows.push(f);
    let mut t = Threat::new(
        "t&5",
        &evil("threat"),
        Likelihood::Certain,
        Impact::Catastrophic,
    );
    t.description = evil("threat description");
    t.targets = vec!["b\\2".into(), "f<4>".into()];
    m.threats.push(t);
    m
}

#[test]
fn hostile_strings_keep_every_export_valid_and_escape_free() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("hostile.ron");
    ron::save(&path, &hostile_model(), Overwrite::IfUnchanged(None)).expect("save");
    let p = path.to_str().expect("utf-8");
    assert_eq!(code(&threatloom(&["check", p])), 0);
    for to in ["dot", "md", "csv", "json"] {
        let out = threatloom(&["export", p, "--to", to]);
        assert_eq!(code(&out), 0, "{to}: {}", stderr(&out));
        let text = stdout(&out);
        let bad: Vec<char> = text
            .chars()
            .filter(|c| c.is_control() && !matches!(c, '\n' | '\r'))
            .collect();
        assert!(
            bad.is_empty(),
            "{to}: control characters reached stdout: {bad:?}"
        );
    }
    graphviz_accepts(
        &stdout(&threatloom(&["export", p, "--to", "dot"])),
        Path::new(p),
    );

    // Markdown tables keep their shape: every row of a table has as many cells as its header.
    let md = stdout(&threatloom(&["export", p, "--to", "md"]));
    let cells = |line: &str| {
        let mut n = 0;
        let mut escaped = false;
        for c in line.chars() {
            match c {
                '\\' if !escaped => escaped = true,
                '|' if !escaped => n += 1,
                _ => escaped = false,
            }
            if c != '\\' {
                escaped = false;
            }
        }
        n
    };
    let mut header_cells = None;
    for line in md.lines() {
        if line.starts_with('|') {
            let n = cells(line);
            let h = *header_cells.get_or_insert(n);
            assert_eq!(n, h, "table row broken: {line}");
        } else {
            header_cells = None;
        }
    }
    assert!(
        md.contains("&lt;b&gt;&amp;amp;&lt;/b&gt;"),
        "HTML is escaped"
    );
    assert!(!md.contains("<b>"));

    // CSV: one header and one row per threat, the newline kept inside a quoted field.
    let csv = stdout(&threatloom(&["export", p, "--to", "csv"]));
    assert_eq!(csv.matches("\r\n").count(), 2);
    let json: serde_json::Value =
        serde_json::from_slice(&threatloom(&["export", p, "--to", "json"]).stdout).expect("JSON");
    assert_eq!(json["components"][0]["id"], "a\"1");
}

#[test]
fn hostile_file_names_do_not_reach_the_terminal_raw() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bad\u{1b}[2Jname.ron");
    std::fs::write(&path, "garbage").expect("write");
    let out = threatloom(&["check", path.to_str().expect("utf-8")]);
    assert_eq!(code(&out), 2);
    assert!(!out.stderr.contains(&0x1b));
    assert!(stderr(&out).contains("bad\u{241b}[2Jname.ron"));
}

#[test]
fn fmt_check_flags_non_canonical_files_and_fmt_fixes_them_idempotently() {
    let out = threatloom(&[
        "fmt",
        "--check",
        "models/serverless-webapp.ron",
        "models/iot-fleet.ron",
    ]);
    assert_eq!(
        code(&out),
        0,
        "bundled models are canonical: {}",
        stdout(&out)
    );

    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("messy.ron");
    std::fs::copy("tests/fixtures/gate.ron", &path).expect("copy");
    let p = path.to_str().expect("utf-8");
    let before = std::fs::read(&path).expect("read");
    let out = threatloom(&["fmt", "--check", p]);
    assert_eq!(code(&out), 1);
    assert_eq!(
        std::fs::read(&path).expect("read"),
        before,
        "--check changes nothing"
    );

    assert_eq!(code(&threatloom(&["fmt", p])), 0);
    let once = std::fs::read(&path).expect("read");
    assert_ne!(once, before);
    assert_eq!(code(&threatloom(&["fmt", p])), 0);
    assert_eq!(std::fs::read(&path).expect("read"), once, "idempotent");
    assert_eq!(code(&threatloom(&["fmt", "--check", p])), 0);
    let a = ron::load(Path::new("tests/fixtures/gate.ron"))
        .expect("load")
        .model;
    let b = ron::load(&path).expect("load").model;
    assert_eq!(a, b, "formatting changes no meaning");
}

#[test]
fn new_writes_empty_and_template_models_and_never_overwrites() {
    let dir = tempfile::tempdir().expect("tempdir");
    let empty = dir.path().join("payments.ron");
    let e = empty.to_str().expect("utf-8");
    assert_eq!(code(&threatloom(&["new", e])), 0);
    let m = ron::load(&empty).expect("valid").model;
    assert_eq!(m.name, "payments");
    assert!(m.components.is_empty());

    let out = threatloom(&["new", e]);
    assert_eq!(code(&out), 2, "refuses to overwrite");
    assert!(stderr(&out).contains("already exists"));

    for template in ["serverless-webapp", "iot-fleet"] {
        let path = dir.path().join(format!("{template}.ron"));
        let out = threatloom(&["new", "--template", template, path.to_str().expect("utf-8")]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let bundled =
            std::fs::read(common::root().join(format!("models/{template}.ron"))).expect("read");
        assert_eq!(std::fs::read(&path).expect("read"), bundled);
    }
    let out = threatloom(&[
        "new",
        "--template",
        "nope",
        dir.path().join("x.ron").to_str().expect("utf-8"),
    ]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("unknown template \"nope\""));
}

#[test]
fn the_report_gives_each_fault_tree_its_probability_and_cut_sets() {
    let p = common::root().join("models/pressure-tank.ron");
    let p = p.to_str().expect("path");
    let md = stdout(&threatloom(&["export", p, "--to", "md"]));
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&threatloom(&["analyze", p, "--format", "json"])))
            .expect("json");
    let probability = json["trees"][0]["probability"]
        .as_f64()
        .expect("probability");
    assert!(
        md.contains(&format!("probability {probability:.6e}")),
        "{md}"
    );
    // The handbook's five minimal cut sets: {T}, {K2}, {S, S1}, {S, K1}, {S, R}.
    assert!(
        md.contains("- 5 minimal cut sets, of at most 2 events"),
        "{md}"
    );
    for set in [
        "(T) |",
        "(K2) |",
        "(S), Switch S1 contacts fail to open (S1) |",
    ] {
        assert!(md.contains(set), "{set}: {md}");
    }
    // The five events that weigh most, in the order and with the figures `analyze` gives.
    let importance = json["trees"][0]["importance"]
        .as_array()
        .expect("importance");
    let rows: Vec<String> = importance[..5]
        .iter()
        .map(|i| {
            let figures: Vec<String> = ["probability", "birnbaum", "fussell_vesely", "raw", "rrw"]
                .iter()
                .map(|k| format!("{:.3e}", i[k].as_f64().expect("number")))
                .collect();
            format!(
                "({}) | {} |",
                i["event"].as_str().expect("id"),
                figures.join(" | ")
            )
        })
        .collect();
    let at: Vec<usize> = rows
        .iter()
        .map(|r| md.find(r.as_str()).unwrap_or_else(|| panic!("{r}: {md}")))
        .collect();
    assert!(
        at.windows(2).all(|w| w[0] < w[1]),
        "{rows:?} in order: {md}"
    );
    let table = &md[md.find("Most important events:").expect("table")..];
    assert_eq!(
        table.lines().filter(|l| l.starts_with("| ")).count(),
        6,
        "{table}"
    );
    assert!(md.contains("; 1 fault tree\n"), "{md}");
    // Nothing to show, nothing shown: this model has no diagram and no threats.
    assert!(
        !md.contains("## Elements") && !md.contains("## Risk assessment"),
        "{md}"
    );
}

#[test]
fn the_report_lists_each_asset_with_the_threats_against_it_and_where_it_is_stored() {
    let out = threatloom(&["export", "models/serverless-webapp.ron", "--to", "md"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let report = stdout(&out);
    let from = report.find("## Assets\n").expect("the section");
    let section = &report[from..];
    let section = &section[..section[3..].find("\n## ").expect("a next section") + 3];
    let model = common::tui::bundled("serverless-webapp.ron");
    assert!(!model.assets.is_empty());
    for a in &model.assets {
        let line = (section.lines())
            .find(|l| l.starts_with(&format!("| {} |", a.name)))
            .unwrap_or_else(|| panic!("{} missing:\n{section}", a.name));
        let cells: Vec<&str> = line.split(" | ").collect();
        let against = model.threats.iter().filter(|t| t.targets.contains(&a.id));
        let stores = model.threats.iter().filter(|t| {
            !t.targets.contains(&a.id) && t.targets.iter().any(|x| a.stored_in.contains(x))
        });
        for (cell, threats) in [
            (cells[3], against.collect::<Vec<_>>()),
            (cells[4], stores.collect()),
        ] {
            for t in &threats {
                assert!(cell.contains(t.title.as_str()), "{}: {}", a.name, t.title);
            }
            assert_eq!(
                cell.matches("<br>").count() + 1,
                threats.len().max(1),
                "{line}"
            );
        }
    }
}
