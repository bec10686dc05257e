//! What changed between two versions of a model (`threatloom diff`): the domain's account of
//! a change, its Markdown for a pull request, and the command as a user runs it.

mod common;
use common::{code, root, stderr, stdout, tui::bundled};
use std::io::Write;
use std::process::{Command, Stdio};
use threatloom::analysis::changes::{Changes, Entry, Field, Kind, changes};
use threatloom::analysis::fault_tree::Compiled;
use threatloom::format::changes::{Style, render};
use threatloom::model::{
    Assessment, Calibration, Component, ComponentKind, Decision, FaultTree, Likelihood,
    MitigationStatus, Model, Probability, RiskLevel,
};

/// The changes, with each tree's exact top-event probability.
fn diff(old: &Model, new: &Model) -> Changes {
    changes(old, new, &mut |m: &Model, t: &FaultTree| {
        Compiled::new(m, t.id.as_str())
            .map(|c| c.probability())
            .map_err(|e| e.to_string())
    })
}

fn section<'c>(c: &'c Changes, title: &str) -> &'c [Entry] {
    c.sections
        .iter()
        .find(|s| s.title == title)
        .map_or(&[], |s| &s.entries)
}

fn entry<'c>(c: &'c Changes, title: &str, id: &str) -> &'c Entry {
    section(c, title)
        .iter()
        .find(|e| e.id == id)
        .unwrap_or_else(|| panic!("no entry {id} under {title}: {c:#?}"))
}

fn value(e: &Entry, name: &str) -> (String, String) {
    e.fields
        .iter()
        .find_map(|f| match f {
            Field::Value { field, old, new } if field == name => Some((old.clone(), new.clone())),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no field {name} in {e:#?}"))
}

fn webapp() -> Model {
    bundled("serverless-webapp.ron")
}

/// A threat whose residual rating waits for mitigations not all implemented, and is lower
/// than its inherent one.
fn pending_threat(m: &Model) -> usize {
    m.threats
        .iter()
        .position(|t| {
            t.residual.is_some()
                && !m.residual_applies(t)
                && m.risk_matrix().level(t.residual.expect("residual")) < m.current_level(t)
        })
        .expect("the bundled model has a threat waiting for its mitigations")
}

fn implement_mitigations_of(m: &mut Model, threat: usize) {
    for id in m.threats[threat].mitigations.clone() {
        let x = m
            .mitigations
            .iter_mut()
            .find(|x| x.id == id)
            .expect("mitigation");
        x.status = MitigationStatus::Implemented;
    }
}

#[test]
fn a_model_compared_with_itself_has_no_changes() {
    let m = webapp();
    let c = diff(&m, &m);
    assert!(c.is_empty() && c.increases.is_empty(), "{c:#?}");
    assert_eq!(render(&c, "a → b", Style::Text), "a → b\nNo changes.\n");
}

#[test]
fn moving_boxes_and_reordering_members_is_not_a_change() {
    let old = webapp();
    let mut new = old.clone();
    for c in &mut new.components {
        c.position.x += 7;
        c.position.y -= 3;
    }
    for b in &mut new.boundaries {
        b.area.width += 4;
        b.members.reverse();
    }
    let c = diff(&old, &new);
    assert!(c.is_empty(), "{c:#?}");
}

#[test]
fn a_flow_that_loses_encryption_across_a_boundary_raises_a_suggestion() {
    let old = webapp();
    let mut new = old.clone();
    let f = new
        .flows
        .iter_mut()
        .find(|f| f.encrypted && f.id.as_str() == "f-load-site")
        .expect("an encrypted flow from the browser");
    f.encrypted = false;
    let c = diff(&old, &new);
    let flow = entry(&c, "Flows", "f-load-site");
    assert_eq!(flow.change, Kind::Changed);
    assert_eq!(value(flow, "encrypted"), ("yes".into(), "no".into()));
    assert_eq!(flow.fields.len(), 1, "{flow:#?}");
    let s = entry(&c, "Suggestions", "flow-crossing-unencrypted");
    assert_eq!(s.change, Kind::Added);
    assert!(s.summary.contains("f-load-site"), "{s:#?}");
    assert_eq!(c.increases.len(), 1, "{:#?}", c.increases);
    assert!(c.increases[0].contains("f-load-site"));
    // Back again: the suggestion is gone because the design no longer raises it, and
    // nothing got worse.
    let back = diff(&new, &old);
    let s = entry(&back, "Suggestions", "flow-crossing-unencrypted");
    assert_eq!(s.change, Kind::Removed);
    assert!(s.summary.ends_with("no longer applies"), "{s:#?}");
    assert!(back.increases.is_empty(), "{:#?}", back.increases);
}

#[test]
fn implementing_mitigations_lowers_a_threats_risk_without_editing_the_threat() {
    let old = webapp();
    let t = pending_threat(&old);
    let mut new = old.clone();
    implement_mitigations_of(&mut new, t);
    let c = diff(&old, &new);
    let threat = &new.threats[t];
    let e = entry(&c, "Threats", threat.id.as_str());
    // The risk is the only thing that moved: the threat's own fields did not.
    assert_eq!(e.fields.len(), 1, "{e:#?}");
    let (was, now) = value(e, "risk");
    assert_eq!(was, old.current_level(&old.threats[t]).to_string());
    assert_eq!(now, new.current_level(threat).to_string());
    assert_ne!(was, now);
    for m in &threat.mitigations {
        let mitigation = entry(&c, "Mitigations", m.as_str());
        assert_eq!(value(mitigation, "status").1, "Implemented");
    }
    assert!(
        !c.increases.iter().any(|i| i.contains("threat")),
        "{:#?}",
        c.increases
    );
    // Undoing it is an increase, named by the threat.
    let back = diff(&new, &old);
    assert!(
        back.increases
            .iter()
            .any(|i| i.contains(threat.id.as_str()) && i.contains(&format!("{now} → {was}"))),
        "{:#?}",
        back.increases
    );
}

#[test]
fn a_decision_and_new_actors_show_field_by_field() {
    let old = webapp();
    let mut new = old.clone();
    let t = new
        .threats
        .iter()
        .position(|t| t.assessment.is_none() && !t.actors.is_empty())
        .expect("an undecided threat with actors");
    let mut a = Assessment::new(Decision::Accept);
    a.rationale = "Cheaper to insure".into();
    new.threats[t].assessment = Some(a);
    let removed_actor = new.threats[t].actors.remove(0);
    let c = diff(&old, &new);
    let e = entry(&c, "Threats", new.threats[t].id.as_str());
    assert_eq!(
        value(e, "assessment.decision"),
        ("—".into(), "Accept".into())
    );
    assert_eq!(
        value(e, "assessment.rationale"),
        ("—".into(), "\"Cheaper to insure\"".into())
    );
    assert!(
        e.fields.contains(&Field::Items {
            field: "actors".into(),
            added: vec![],
            removed: vec![removed_actor.to_string()],
        }),
        "{e:#?}"
    );
    // Deciding a threat does not move its risk.
    assert!(
        !e.fields
            .iter()
            .any(|f| matches!(f, Field::Value { field, .. } if field == "risk"))
    );
}

#[test]
fn added_and_removed_elements_say_what_they_are() {
    let old = webapp();
    let mut new = old.clone();
    new.components.push(Component::new(
        "fraud-check",
        "Fraud check",
        ComponentKind::Process,
    ));
    let gone = new.flows.remove(0);
    let removed_threat = new.threats.remove(0);
    let c = diff(&old, &new);
    let added = entry(&c, "Components", "fraud-check");
    assert_eq!(
        (added.change, added.summary.as_str()),
        (Kind::Added, "process")
    );
    let flow = entry(&c, "Flows", gone.id.as_str());
    let ends = format!(
        "{} → {}",
        old.name_of(gone.source.as_str()).expect("source"),
        old.name_of(gone.target.as_str()).expect("target")
    );
    assert_eq!(
        (flow.change, flow.summary.as_str()),
        (Kind::Removed, ends.as_str())
    );
    let threat = entry(&c, "Threats", removed_threat.id.as_str());
    assert_eq!(threat.change, Kind::Removed);
    assert!(
        threat
            .summary
            .starts_with(&format!("was {}", old.current_level(&removed_threat))),
        "{threat:#?}"
    );
    // Removing a threat still open hides a risk: that counts as worse; a closed one does not.
    let flagged = |c: &Changes| {
        c.increases
            .iter()
            .any(|i| i.starts_with(&format!("threat {} ", removed_threat.id)))
    };
    assert_eq!(flagged(&c), !removed_threat.status.is_closed());
    let mut closed = old.clone();
    let (open_i, closed_i) = (
        closed
            .threats
            .iter()
            .position(|t| !t.status.is_closed())
            .expect("an open threat"),
        closed
            .threats
            .iter()
            .position(|t| t.status.is_closed())
            .expect("a closed threat"),
    );
    let (open_id, closed_id) = (
        closed.threats[open_i].id.clone(),
        closed.threats[closed_i].id.clone(),
    );
    closed
        .threats
        .retain(|t| t.id != open_id && t.id != closed_id);
    let c = diff(&old, &closed);
    let removed: Vec<&String> = c
        .increases
        .iter()
        .filter(|i| i.contains(" removed while "))
        .collect();
    assert_eq!(removed.len(), 1, "{:#?}", c.increases);
    assert!(removed[0].starts_with(&format!("threat {open_id} ")));
}

#[test]
fn a_fault_tree_event_made_more_likely_raises_the_top_event_by_what_its_or_gate_gives() {
    let old = bundled("pressure-tank.ron");
    let mut new = old.clone();
    let event = new.fault_trees[0]
        .events
        .iter_mut()
        .find(|e| e.id.as_str() == "T")
        .expect("the tank rupture event");
    assert_eq!(event.probability, Probability::Fixed(5e-6));
    event.probability = Probability::Fixed(1e-5);
    let c = diff(&old, &new);
    let tree = entry(&c, "Fault trees", "pressure-tank");
    assert_eq!(
        value(tree, "events[T].probability"),
        ("Fixed(5e-6)".into(), "Fixed(1e-5)".into())
    );
    // E1 = T or E2, independent: 1 - P(E1) = (1 - p_T)(1 - P(E2)). The new top follows from
    // the old one and the two values of p_T alone.
    let (was, now) = value(tree, "P(top)");
    let (was, now): (f64, f64) = (was.parse().expect("number"), now.parse().expect("number"));
    let rest = 1.0 - (1.0 - was) / (1.0 - 5e-6);
    let expected = 1.0 - (1.0 - 1e-5) * (1.0 - rest);
    assert!(
        (now - expected).abs() < 1e-6 * expected,
        "{now} vs {expected}"
    );
    assert!(
        c.increases.iter().any(|i| i.contains("pressure-tank")),
        "{:#?}",
        c.increases
    );
}

#[test]
fn fault_trees_are_solved_only_when_what_they_depend_on_changed() {
    let old = webapp();
    let solved = |new: &Model| {
        let mut n = 0;
        changes(&old, new, &mut |_: &Model, _: &FaultTree| {
            n += 1;
            Ok(0.5)
        });
        n
    };
    let mut renamed = old.clone();
    renamed.components[0].name = "Renamed".into();
    renamed.threats[0].description = "Reworded".into();
    assert_eq!(solved(&renamed), 0);
    // A linked threat's likelihood, the calibration or a tree itself: both versions solved.
    let mut rated = old.clone();
    let linked = rated
        .threats
        .iter()
        .position(|t| rated.events_for_threat(&t.id).next().is_some() && !rated.residual_applies(t))
        .expect("a threat an event stands for, rated by its likelihood");
    rated.threats[linked].likelihood = match rated.threats[linked].likelihood {
        Likelihood::Rare => Likelihood::Certain,
        _ => Likelihood::Rare,
    };
    assert_eq!(solved(&rated), 2 * old.fault_trees.len());
    // Its residual rating in force instead: what the likelihood says does not matter.
    let mut behind = old.clone();
    let mitigated = behind
        .threats
        .iter()
        .position(|t| {
            behind.events_for_threat(&t.id).next().is_some() && behind.residual_applies(t)
        })
        .expect("a threat an event stands for, rated by its residual rating");
    behind.threats[mitigated].likelihood = match behind.threats[mitigated].likelihood {
        Likelihood::Rare => Likelihood::Certain,
        _ => Likelihood::Rare,
    };
    assert_eq!(solved(&behind), 0);
    let mut calibrated = old.clone();
    calibrated.calibration = Calibration {
        rare: 0.002,
        ..old.calibration
    };
    assert_eq!(solved(&calibrated), 2 * old.fault_trees.len());
}

#[test]
fn a_stricter_risk_matrix_is_a_model_change_that_raises_threats() {
    let old = webapp();
    let mut new = old.clone();
    let mut matrix = old.risk_matrix().clone();
    for row in [
        &mut matrix.catastrophic,
        &mut matrix.major,
        &mut matrix.moderate,
        &mut matrix.minor,
        &mut matrix.negligible,
    ] {
        *row = [RiskLevel::Critical; 5];
    }
    new.risk_matrix = Some(matrix);
    let c = diff(&old, &new);
    let model = &section(&c, "Model")[0];
    // A row of the matrix is read by position: compared whole, not as a set of levels.
    let (_, major) = value(model, "risk_matrix.major");
    assert_eq!(major, "[Critical, Critical, Critical, Critical, Critical]");
    let raised = section(&c, "Threats")
        .iter()
        .filter(|e| value(e, "risk").1 == "Critical")
        .count();
    let below = old
        .threats
        .iter()
        .filter(|t| old.current_level(t) < RiskLevel::Critical)
        .count();
    assert_eq!(raised, below);
    assert_eq!(
        c.increases
            .iter()
            .filter(|i| i.starts_with("threat"))
            .count(),
        below
    );
}

#[test]
fn the_pull_request_markdown_of_a_review_session() {
    let old = webapp();
    let mut new = old.clone();
    let t = pending_threat(&old);
    implement_mitigations_of(&mut new, t);
    new.flows
        .iter_mut()
        .find(|f| f.id.as_str() == "f-load-site")
        .expect("flow")
        .encrypted = false;
    new.components.push(Component::new(
        "fraud-check",
        "Fraud check",
        ComponentKind::Process,
    ));
    let c = diff(&old, &new);
    insta::assert_snapshot!(render(&c, "main → review", Style::Markdown));
}

fn run_with_stdin(args: &[&str], input: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_threatloom"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("finishes")
}

#[test]
fn diff_reads_the_old_version_from_stdin_and_gates_on_increases() {
    let dir = tempfile::tempdir().expect("temp dir");
    let old = webapp();
    let mut new = old.clone();
    new.flows[0].encrypted = false;
    let path = dir.path().join("model.ron");
    std::fs::write(&path, threatloom::format::ron::to_string(&new)).expect("write");
    let old_text = threatloom::format::ron::to_string(&old);
    let p = path.to_str().expect("utf-8 path");

    let out = run_with_stdin(&["diff", "-", p], &old_text);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with(&format!("stdin → {p}\n")), "{text}");
    assert!(text.contains("encrypted: yes → no"), "{text}");
    assert!(text.contains("Risk increased"), "{text}");

    let gated = run_with_stdin(&["diff", "-", p, "--fail-on-increase"], &old_text);
    assert_eq!(code(&gated), 1, "{}", stderr(&gated));
    // The reverse change makes nothing worse.
    let reverse = run_with_stdin(&["diff", p, "-", "--fail-on-increase"], &old_text);
    assert_eq!(code(&reverse), 0, "{}", stdout(&reverse));

    let json = run_with_stdin(&["diff", "-", p, "--format", "json"], &old_text);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    let flows = v["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .find(|s| s["title"] == "Flows")
        .expect("a Flows section");
    assert_eq!(flows["entries"][0]["change"], "changed");
    assert_eq!(flows["entries"][0]["fields"][0]["field"], "encrypted");
    assert_eq!(v["increases"].as_array().expect("increases").len(), 1);
}

#[test]
fn diff_of_a_bundled_model_with_itself_says_so() {
    let m = "models/serverless-webapp.ron";
    let out = common::threatloom(&["diff", m, m, "--fail-on-increase"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).ends_with("No changes.\n"));
}

#[test]
fn diff_refuses_bad_input_with_its_position() {
    let out = run_with_stdin(
        &["diff", "-", "models/serverless-webapp.ron"],
        "Model(format: 1, name: \"x\", components: [oops])",
    );
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("<stdin>:1:"), "{}", stderr(&out));
    let both = run_with_stdin(&["diff", "-", "-"], "");
    assert_eq!(code(&both), 2);
    assert!(stderr(&both).contains("stdin"), "{}", stderr(&both));
}

// ---- in the editor ----

mod editor {
    use super::common::tui::{key, keys, screen, shop, typed};
    use crossterm::event::KeyCode;
    use threatloom::tui::action::Action;
    use threatloom::tui::app::{Effect, Mode};

    fn shown(app: &threatloom::tui::app::App) -> Vec<String> {
        match &app.mode {
            Mode::Changes { rows, .. } => rows.iter().map(|r| r.text.clone()).collect(),
            other => panic!("not showing the changes: {other:?}"),
        }
    }

    #[test]
    fn d_shows_what_the_session_changed_and_scrolls_it() {
        let mut app = shop();
        keys(&mut app, "D");
        assert_eq!(shown(&app), ["shop.ron as opened → now", "No changes."]);
        key(&mut app, KeyCode::Esc);
        assert_eq!(app.mode, Mode::Normal);

        keys(&mut app, "p");
        typed(&mut app, "Fraud check");
        app.update(Action::ShowThreats);
        keys(&mut app, "jl");
        keys(&mut app, "D");
        let lines = shown(&app);
        assert!(
            lines
                .iter()
                .any(|l| l == "  + fraud-check Fraud check — process"),
            "{lines:#?}"
        );
        assert!(
            lines.iter().any(|l| l.starts_with("      likelihood: ")),
            "{lines:#?}"
        );
        insta::assert_snapshot!(screen(&mut app, 120, 36));
        // A page down moves, and on a short terminal the end is still reachable.
        key(&mut app, KeyCode::PageDown);
        assert!(matches!(app.mode, Mode::Changes { cursor, .. } if cursor > 0));
        let small = screen(&mut app, 80, 16);
        assert!(
            small.contains("Risk increased") || small.contains("Suggestions"),
            "{small}"
        );
        // D again closes, as Esc does.
        keys(&mut app, "D");
        assert_eq!(app.mode, Mode::Normal);
    }

    #[test]
    fn enter_on_a_change_goes_to_its_element() {
        let mut app = shop();
        keys(&mut app, "p");
        typed(&mut app, "Fraud check");
        app.update(Action::ShowThreats);
        keys(&mut app, "jl");
        let threat = app.model.threats[app.threat_rows()[1]].id.clone();
        app.update(Action::ShowFaultTrees);
        keys(&mut app, "D");
        let go = |app: &mut threatloom::tui::app::App, line: &str| {
            let at = shown(app)
                .iter()
                .position(|l| l.starts_with(line))
                .unwrap_or_else(|| panic!("no line {line}: {:#?}", shown(app)));
            key(app, KeyCode::Home);
            for _ in 0..at {
                keys(app, "j");
            }
            key(app, KeyCode::Enter);
        };
        // A field line goes where its element's line goes.
        go(&mut app, "      likelihood: ");
        assert_eq!(app.mode, Mode::Normal);
        assert_eq!(app.screen, threatloom::tui::app::Screen::Threats);
        assert_eq!(
            app.model.threats[app.threat_rows()[app.threats_view.cursor]].id,
            threat
        );
        keys(&mut app, "D");
        go(&mut app, "  + fraud-check");
        assert_eq!(app.screen, threatloom::tui::app::Screen::Diagram);
        assert_eq!(
            app.selected.as_ref().map(|s| s.as_str()),
            Some("fraud-check")
        );
        // An asset's line goes to its row on the Assets screen.
        keys(&mut app, "6n");
        typed(&mut app, "Gift card balances");
        keys(&mut app, "kD");
        go(&mut app, "  + gift-card-balances");
        assert_eq!(app.screen, threatloom::tui::app::Screen::Assets);
        assert_eq!(
            app.model.assets[app.asset_cursor].id.as_str(),
            "gift-card-balances"
        );
        // A heading is about no element: the changes stay.
        keys(&mut app, "D");
        go(&mut app, "Components");
        assert!(matches!(app.mode, Mode::Changes { .. }));
        assert_eq!(app.message, "this line is about no element");
    }

    #[test]
    fn export_changes_writes_the_minutes_in_markdown() {
        let mut app = shop();
        // The palette offers it, with its argument.
        let offered = app.palette_matches("export_ch");
        assert_eq!(offered.len(), 1, "{offered:?}");
        assert!(offered[0].1.ends_with("export_changes PATH"), "{offered:?}");
        keys(&mut app, "p");
        typed(&mut app, "Fraud check");
        let effects = app.update(Action::parse("export_changes minutes.md").expect("action"));
        let [Effect::Export { path, text }] = effects.as_slice() else {
            panic!("not an export: {effects:?}");
        };
        assert_eq!(path.to_str(), Some("minutes.md"));
        assert!(text.starts_with("## shop.ron as opened → now\n"), "{text}");
        assert!(
            text.contains("- **added** `fraud-check` Fraud check — process"),
            "{text}"
        );
    }

    #[test]
    fn a_reload_starts_afresh_and_restored_edits_stay_changes() {
        let mut app = shop();
        let mut edited = app.model.clone();
        edited.name = "Recovered".into();
        // Restored from a recovery file: edits to the file's version.
        app.replace_model(edited.clone(), None, true);
        assert!(!app.session_changes().is_empty());
        // Reloaded from disk: the file's version is what it is compared with.
        app.replace_model(edited, None, false);
        assert!(app.session_changes().is_empty());
    }
}

// ---- merging the file's changes in the editor ----

mod merging {
    use super::common::tui::{keys, shop, typed};
    use threatloom::format::ron::Fingerprint;
    use threatloom::model::{ComponentKind, Likelihood, Model};
    use threatloom::tui::app::{App, Effect, Mode};

    /// Someone else's version of the file: `change` applied to what the editor opened.
    fn theirs(app: &App, change: impl FnOnce(&mut Model)) -> Model {
        let mut m = app.on_disk.clone();
        change(&mut m);
        m
    }

    fn fingerprint() -> Fingerprint {
        Fingerprint::of(b"their bytes")
    }

    #[test]
    fn the_files_changes_join_ours_as_one_undoable_edit() {
        let mut app = shop();
        keys(&mut app, "p");
        typed(&mut app, "Fraud check");
        let ours = app.model.clone();
        let t = theirs(&app, |m| {
            m.threats[0].likelihood = Likelihood::Rare;
            m.components.push(threatloom::model::Component::new(
                "their-store",
                "Their store",
                ComponentKind::DataStore,
            ));
        });
        // The editor notices the file changed and asks; merging is offered first.
        app.disk_changed();
        let Mode::Confirm { choices, .. } = &app.mode else {
            panic!("no question: {:?}", app.mode);
        };
        assert_eq!(choices[0].0, 'm');
        assert_eq!(keys_to(&mut app, 'm'), vec![Effect::MergeFromDisk]);
        app.merge_from_disk(t.clone(), fingerprint());
        assert!(app.model.component("fraud-check").is_some());
        assert_eq!(app.model.threats[0].likelihood, Likelihood::Rare);
        assert!(app.dirty);
        assert_eq!(app.fingerprint, Some(fingerprint()));
        assert_eq!(app.on_disk, t);
        assert!(
            app.message.starts_with("merged the file's changes"),
            "{}",
            app.message
        );
        // What is derived from the model follows at once, before any key.
        assert!(
            app.suggestions
                .iter()
                .any(|s| s.target.as_str() == "their-store"),
            "no suggestion for their component yet"
        );
        // One undo takes the merge back, and leaves ours.
        keys(&mut app, "u");
        assert_eq!(app.model, ours);
    }

    fn keys_to(app: &mut App, c: char) -> Vec<Effect> {
        super::common::tui::key(app, crossterm::event::KeyCode::Char(c))
    }

    #[test]
    fn a_field_changed_both_ways_keeps_ours_and_lists_the_conflict() {
        let mut app = shop();
        app.update(threatloom::tui::action::Action::ShowThreats);
        let first = app.model.threats[0].clone();
        let mut ours = app.model.clone();
        ours.threats[0].likelihood = Likelihood::Certain;
        app.replace_model(ours, app.fingerprint, true);
        let t = theirs(&app, |m| m.threats[0].likelihood = Likelihood::Rare);
        app.merge_from_disk(t, fingerprint());
        assert_eq!(app.model.threats[0].likelihood, Likelihood::Certain);
        let Mode::Changes { title, rows, .. } = &app.mode else {
            panic!("conflicts not shown: {:?}", app.mode);
        };
        let lines: Vec<&str> = rows.iter().map(|r| r.text.as_str()).collect();
        assert!(title.contains("conflicts"), "{title}");
        let expected = format!(
            "  ! threats[{}].likelihood: base {:?}, ours Certain, theirs Rare (kept ours)",
            first.id, first.likelihood
        );
        assert!(lines.contains(&expected.as_str()), "{lines:#?}");
        // Enter on the conflict goes to the threat.
        let at = lines
            .iter()
            .position(|l| *l == expected)
            .expect("the conflict");
        for _ in 0..at {
            keys(&mut app, "j");
        }
        super::common::tui::key(&mut app, crossterm::event::KeyCode::Enter);
        assert_eq!(app.mode, Mode::Normal);
        let row = app.threat_rows()[app.threats_view.cursor];
        assert_eq!(app.model.threats[row].id, first.id);
    }

    #[test]
    fn a_merge_that_would_break_the_model_is_not_made() {
        let mut app = shop();
        // The file as opened has a component nothing refers to yet.
        let mut base = app.model.clone();
        base.components.push(threatloom::model::Component::new(
            "spare",
            "Spare",
            ComponentKind::Process,
        ));
        app.replace_model(base, app.fingerprint, false);
        // Ours draws a flow to it; theirs deletes it.
        let mut ours = app.model.clone();
        let source = ours.components[0].id.clone();
        ours.flows.push(threatloom::model::Flow::new(
            "f-new", source, "spare", "new",
        ));
        app.replace_model(ours.clone(), app.fingerprint, true);
        let t = theirs(&app, |m| m.components.retain(|c| c.id.as_str() != "spare"));
        assert!(t.validate().is_empty(), "{:?}", t.validate());
        app.merge_from_disk(t, fingerprint());
        assert_eq!(app.model, ours, "nothing merged");
        let Mode::Confirm { text, choices, .. } = &app.mode else {
            panic!("not asked again: {:?}", app.mode);
        };
        assert!(text.contains("would break the model"), "{text}");
        assert!(text.contains("f-new"), "{text}");
        assert!(!choices.iter().any(|(k, _)| *k == 'm'));
    }

    #[test]
    fn a_save_makes_the_saved_version_the_base_of_the_next_merge() {
        let mut app = shop();
        keys(&mut app, "p");
        typed(&mut app, "Fraud check");
        app.saved(Ok(fingerprint()));
        assert_eq!(app.on_disk, app.model);
        assert!(
            app.on_disk
                .components
                .iter()
                .any(|c| c.kind == ComponentKind::Process && c.id.as_str() == "fraud-check")
        );
    }
}
