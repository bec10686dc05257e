//! The review screens driven by keys: threats, suggestions, checklist, walkthrough, matrix,
//! actors and fault trees with what-if; snapshots of each.

mod common;
use common::tui::{app_with, bundled, clear_input, key, keys, screen, shop, typed};
use crossterm::event::KeyCode;
use threatloom::analysis::fault_tree::Phase;
use threatloom::format::ron;
use threatloom::model::{
    Distribution, GateKind, Impact, Likelihood, MitigationStatus, Model, Probability, Rating,
    RiskLevel, ThreatStatus,
};
use threatloom::tui::action::Action;
use threatloom::tui::app::{App, Effect, Mode, NodeList, Pick, Screen};
use threatloom::tui::jobs::{self, Done, Job};
use threatloom::tui::keymap::Keymap;
use threatloom::tui::theme::Theme;

/// The exact top-event probability the fault-tree side panel shows.
fn top_probability(app: &App) -> f64 {
    app.tree
        .analysis
        .as_ref()
        .and_then(|a| a.report.as_ref().ok())
        .expect("the tree is analysed")
        .probability()
        .expect("solved exactly")
}

/// The colour of the first cell of `text` where a 140×40 screen first shows it.
fn colour_of(app: &mut App, text: &str) -> ratatui::style::Color {
    let s = screen(app, 140, 40);
    let (y, x) = s
        .lines()
        .enumerate()
        .find_map(|(y, l)| {
            let l = l.trim_matches('"');
            l.find(text).map(|b| (y, l[..b].chars().count()))
        })
        .unwrap_or_else(|| panic!("{text} not shown: {s}"));
    let mut term =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(140, 40)).expect("terminal");
    term.draw(|f| threatloom::tui::views::render(f, app))
        .expect("draw");
    term.backend().buffer()[(x as u16, y as u16)].fg
}

fn current(app: &App) -> &threatloom::model::Threat {
    let id = app.current_threat().expect("a threat under the cursor");
    app.model.threat(id.as_str()).expect("exists")
}

/// The ids of the threats the table lists once `filter` is typed, sorted.
fn filtered(app: &mut App, filter: &str) -> Vec<String> {
    keys(app, "/");
    clear_input(app);
    typed(app, filter);
    let mut ids: Vec<String> = app
        .threat_rows()
        .iter()
        .map(|&i| app.model.threats[i].id.to_string())
        .collect();
    ids.sort_unstable();
    ids
}

#[test]
fn threats_sort_by_any_column_and_filter_by_every_dimension() {
    let mut app = shop();
    keys(&mut app, "2");
    assert_eq!(app.screen, Screen::Threats);
    // Default: highest current risk first.
    let levels: Vec<RiskLevel> = app
        .threat_rows()
        .iter()
        .map(|&i| app.model.current_level(&app.model.threats[i]))
        .collect();
    assert!(levels.windows(2).all(|w| w[0] >= w[1]), "{levels:?}");
    keys(&mut app, "s"); // by title
    let titles: Vec<String> = app
        .threat_rows()
        .iter()
        .map(|&i| app.model.threats[i].title.to_lowercase())
        .collect();
    assert!(titles.windows(2).all(|w| w[0] >= w[1]), "descending");
    keys(&mut app, "S");
    let titles: Vec<String> = app
        .threat_rows()
        .iter()
        .map(|&i| app.model.threats[i].title.to_lowercase())
        .collect();
    assert!(titles.windows(2).all(|w| w[0] <= w[1]), "ascending");
    for (filter, expect) in [
        ("status:accepted", vec!["insider-data-theft"]),
        ("stride:D", vec!["denial-of-wallet"]),
        ("actor:hacktivist", vec!["denial-of-wallet"]),
        (
            "boundary:vpc",
            vec!["card-data-scope", "secrets-in-code", "static-keys"],
        ),
        ("risk:critical", vec![]),
        // An element's id names it alone; another word, part of a target's name.
        (
            "target:uploads-fn",
            vec![
                "event-injection",
                "over-privileged-roles",
                "vulnerable-runtime",
            ],
        ),
        (
            "target:UPLOADS-FN",
            vec![
                "event-injection",
                "over-privileged-roles",
                "vulnerable-runtime",
            ],
        ),
        ("target:profiles", vec!["insider-data-theft"]),
        // An asset: the threats against it and against where it is stored.
        (
            "asset:cloud-accounts",
            vec!["missing-audit", "root-account-hijack"],
        ),
        ("webhook", vec!["webhook-forgery"]),
        ("status:open risk:high injection", vec!["event-injection"]),
        ("decision:transfer", vec!["card-data-scope"]),
        (
            "decision:none status:mitigated",
            vec!["jwt-not-verified", "missing-audit"],
        ),
        // A mitigation by part of its title; `overdue`: one past its due date.
        (
            "mitigation:waf",
            vec!["credential-stuffing", "denial-of-wallet"],
        ),
        (
            "mitigation:overdue",
            vec!["malicious-dependency", "secrets-in-code", "static-keys"],
        ),
    ] {
        app.message.clear();
        assert_eq!(filtered(&mut app, filter), expect, "filter {filter}");
        assert_eq!(app.message, "", "filter {filter}");
    }
    // The title counts, over every threat whatever the filter, those still open (7 open,
    // 4 in progress) and those not decided yet (6 of 18 are).
    let shown = screen(&mut app, 120, 36);
    assert!(
        shown.contains(
            "Risk assessment: 3 of 18 threats, filter: mitigation:overdue \
             (11 open, 12 undecided)"
        ),
        "{shown}"
    );
    // A filter that hides threats for a reason the user may not see says what it is.
    for (filter, problem) in [
        (
            "status:bogus",
            "no status \"bogus\": open, in progress, mitigated, accepted, transferred, \
             avoided, not applicable",
        ),
        (
            "risk:extreme",
            "no risk \"extreme\": low, medium, high, critical",
        ),
        ("stride:X", "stride: takes letters of STRIDE"),
        (
            "severity:high",
            "no key \"severity:\" (status, decision, stride, actor, target, asset, boundary, \
             risk, mitigation)",
        ),
        (
            "decision:defer",
            "no decision \"defer\": mitigate, accept, transfer, avoid, none, overdue",
        ),
    ] {
        keys(&mut app, "/");
        clear_input(&mut app);
        typed(&mut app, filter);
        assert!(app.threat_rows().is_empty(), "filter {filter}");
        assert_eq!(app.message, problem, "filter {filter}");
        // The status bar gives a long message the room of its key hints.
        let status = screen(&mut app, 120, 36).lines().last().map(str::to_owned);
        let status = status.expect("status bar");
        assert!(status.contains(problem), "{status}");
    }
}

#[test]
fn inline_editing_cycles_ratings_status_and_decision_and_follows_the_threat() {
    let mut app = shop();
    keys(&mut app, "2");
    let id = current(&app).id.clone();
    let before = current(&app).likelihood;
    keys(&mut app, "l");
    assert_eq!(
        app.current_threat().as_ref(),
        Some(&id),
        "cursor follows the threat after re-sorting"
    );
    assert_ne!(current(&app).likelihood, before);
    keys(&mut app, "i");
    keys(&mut app, "t");
    keys(&mut app, "d");
    let t = current(&app);
    assert!(t.assessment.is_some(), "a decision was set");
    keys(&mut app, "LI");
    assert!(current(&app).residual.is_some());
    app.update(Action::Undo);
    app.update(Action::Undo);
    app.update(Action::Undo);
    app.update(Action::Undo);
    app.update(Action::Undo);
    app.update(Action::Undo);
    assert_eq!(app.model, bundled("serverless-webapp.ron"));
}

#[test]
fn x_deletes_the_marked_threats_after_asking_in_one_undo_step() {
    let mut app = app_with(bundled("serverless-webapp.ron"));
    keys(&mut app, "5");
    let before = top_probability(&app);
    keys(&mut app, "2");
    // Two threats fault-tree events stand for, marked where the table lists them.
    let linked: Vec<threatloom::model::Id> = app
        .model
        .threats
        .iter()
        .filter(|t| app.model.events_for_threat(&t.id).next().is_some())
        .map(|t| t.id.clone())
        .take(2)
        .collect();
    assert_eq!(linked.len(), 2);
    for id in &linked {
        app.threats_view.cursor = app
            .threat_rows()
            .iter()
            .position(|&i| app.model.threats[i].id == *id)
            .expect("listed");
        keys(&mut app, " ");
    }
    // The cursor has moved on to an unmarked threat: x takes the marked ones, not it.
    let unmarked = current(&app).id.clone();
    keys(&mut app, "x");
    assert!(
        matches!(&app.mode, Mode::Confirm { text, .. } if text == "Delete the 2 marked threats?"),
        "{:?}",
        app.mode
    );
    assert!(screen(&mut app, 120, 36).contains("Delete the 2 marked threats?"));
    keys(&mut app, "n");
    assert_eq!(app.model, bundled("serverless-webapp.ron"), "kept");
    keys(&mut app, "xy");
    for id in &linked {
        assert!(app.model.threat(id.as_str()).is_none(), "{id}");
    }
    assert!(app.model.threat(unmarked.as_str()).is_some());
    assert_eq!(app.model.threats.len(), 16);
    assert!(app.threats_view.marked.is_empty());
    assert!(app.message.contains("deleted 2 threats"), "{}", app.message);
    // Their events keep the probability they had: the top event does not move.
    keys(&mut app, "5");
    assert_eq!(top_probability(&app), before);
    app.update(Action::Undo);
    assert_eq!(app.model, bundled("serverless-webapp.ron"), "one undo step");
}

#[test]
fn a_decision_made_or_changed_is_dated_today_and_signed_by_the_user() {
    let mut app = shop();
    app.me = Some("Ada".into());
    keys(&mut app, "2");
    let decided_on = |app: &App| {
        current(app)
            .assessment
            .as_ref()
            .map(|a| a.decided_on.clone())
    };
    assert_eq!(decided_on(&app), None, "the first threat has no decision");
    keys(&mut app, "d");
    assert_eq!(decided_on(&app).as_deref(), Some("2026-11-24"));
    let by = |app: &App| current(app).assessment.clone().map(|a| a.decided_by);
    assert_eq!(by(&app).as_deref(), Some("Ada"));
    // One decided before: its date moves with a new decision, and stays with anything else.
    let row = app
        .threat_rows()
        .iter()
        .position(|&i| app.model.threats[i].id.as_str() == "insider-data-theft")
        .expect("listed");
    app.threats_view.cursor = row;
    let before = decided_on(&app).expect("decided");
    assert_ne!(before, "2026-11-24");
    let signed = by(&app);
    keys(&mut app, "t");
    assert_eq!(decided_on(&app), Some(before));
    assert_eq!(by(&app), signed, "a new status is no new decision");
    keys(&mut app, "d");
    assert_eq!(decided_on(&app).as_deref(), Some("2026-11-24"));
    assert_eq!(by(&app).as_deref(), Some("Ada"));
}

#[test]
fn a_decision_past_its_review_date_is_overdue_in_the_pane_and_the_filter() {
    let mut app = app_with(bundled("iot-fleet.ron"));
    keys(&mut app, "2");
    // The accepted risk was to be reviewed by 2026-10-01.
    assert_eq!(filtered(&mut app, "decision:overdue"), ["presence-leak"]);
    assert!(app.message.is_empty(), "{}", app.message);
    let s = screen(&mut app, 120, 36);
    assert!(s.contains("REVIEW OVERDUE since 2026-10-01"), "{s}");
    // Before that day: a date to keep, not overdue.
    app.today = threatloom::model::Date::parse("2026-09-30").expect("a date");
    assert!(filtered(&mut app, "decision:overdue").is_empty());
    keys(&mut app, "/");
    clear_input(&mut app);
    typed(&mut app, "presence");
    assert!(screen(&mut app, 120, 36).contains("review by 2026-10-01"));
    // The form takes a day, or nothing; nothing else.
    key(&mut app, KeyCode::Enter);
    let id = current(&app).id.clone();
    let fields = threatloom::tui::form::fields(&app.model, &id);
    let at = fields
        .iter()
        .position(|(n, _)| *n == "review by")
        .expect("review by");
    for _ in 0..at {
        key(&mut app, KeyCode::Down);
    }
    let review_by = |app: &App| {
        current(app)
            .assessment
            .as_ref()
            .expect("decided")
            .review_by
            .clone()
    };
    for (typed_in, kept) in [
        ("soon", "2026-10-01"),
        ("2027-04-01", "2027-04-01"),
        ("", ""),
    ] {
        key(&mut app, KeyCode::Enter);
        clear_input(&mut app);
        typed(&mut app, typed_in);
        assert_eq!(review_by(&app), kept, "{typed_in}");
    }
}

#[test]
fn marked_threats_take_the_new_value_of_the_one_under_the_cursor() {
    let mut app = shop();
    keys(&mut app, "2");
    let first = current(&app).id.clone();
    // Space marks and moves on: three threats marked.
    keys(&mut app, "   ");
    assert_eq!(app.threats_view.marked.len(), 3);
    assert!(screen(&mut app, 120, 36).contains("3 marked"));
    let marked = app.threats_view.marked.clone();
    let threat = |app: &App, id: &threatloom::model::Id| {
        app.model.threat(id.as_str()).expect("a threat").clone()
    };
    let impacts: Vec<Option<Impact>> = marked
        .iter()
        .map(|id| threat(&app, id).residual.map(|r| r.impact))
        .collect();
    // The cursor has moved on to a fourth, unmarked: it is left alone, and the first marked
    // one's new status and decision go to all three, whatever each had.
    let unmarked = current(&app).clone();
    keys(&mut app, "td");
    assert_eq!(threat(&app, &unmarked.id), unmarked);
    let lead = threat(&app, &first);
    for id in &marked {
        let t = threat(&app, id);
        assert_eq!(t.status, lead.status, "{id}");
        assert_eq!(
            t.assessment.as_ref().map(|a| a.decision),
            lead.assessment.as_ref().map(|a| a.decision),
            "{id}"
        );
    }
    // A residual likelihood goes to all; each keeps its own residual impact.
    keys(&mut app, "L");
    for (id, impact) in marked.iter().zip(&impacts) {
        let t = threat(&app, id);
        let r = t.residual.expect("a residual rating");
        assert_eq!(
            r.likelihood,
            threat(&app, &first).residual.expect("r").likelihood,
            "{id}"
        );
        if let Some(i) = impact {
            assert_eq!(r.impact, *i, "{id}");
        }
    }
    // Marked threats the filter hides change too, and the status line says so.
    keys(&mut app, "/");
    typed(&mut app, "hard-coded");
    assert_eq!(app.threat_rows().len(), 1);
    keys(&mut app, "i");
    assert!(
        app.message.contains("(2 hidden by the filter)"),
        "{}",
        app.message
    );
    keys(&mut app, "/");
    clear_input(&mut app);
    key(&mut app, KeyCode::Enter);
    // Each key was one undo step.
    for _ in 0..4 {
        app.update(Action::Undo);
    }
    assert_eq!(app.model, bundled("serverless-webapp.ron"));
    // Esc unmarks; then a key changes the one threat under the cursor only.
    key(&mut app, KeyCode::Esc);
    assert!(app.threats_view.marked.is_empty());
    keys(&mut app, "d");
    let changed: Vec<_> = app
        .model
        .threats
        .iter()
        .zip(&bundled("serverless-webapp.ron").threats)
        .filter(|(a, b)| a != b)
        .map(|(a, _)| a.id.clone())
        .collect();
    assert_eq!(changed, [app.current_threat().expect("a threat")]);
}

#[test]
fn a_mitigation_is_linked_to_every_marked_threat_at_once() {
    let mut app = shop();
    keys(&mut app, "2  ");
    let marked = app.threats_view.marked.clone();
    assert_eq!(marked.len(), 2);
    // The list says where its toggles go, and a new mitigation links to both.
    keys(&mut app, "m");
    assert!(screen(&mut app, 120, 36).contains("Link mitigations to the 2 marked threats"));
    keys(&mut app, "n");
    typed(&mut app, "Web application firewall");
    let waf = app.model.mitigations.last().expect("new").id.clone();
    let links = |app: &App| -> Vec<bool> {
        marked
            .iter()
            .map(|id| {
                app.model
                    .threat(id.as_str())
                    .expect("t")
                    .mitigations
                    .contains(&waf)
            })
            .collect()
    };
    assert_eq!(links(&app), [true, true]);
    // Enter on it unlinks it from both, and again links both.
    key(&mut app, KeyCode::Enter);
    assert_eq!(links(&app), [false, false]);
    key(&mut app, KeyCode::Enter);
    assert_eq!(links(&app), [true, true]);
    // No other threat changed.
    let others = app
        .model
        .threats
        .iter()
        .zip(&bundled("serverless-webapp.ron").threats)
        .filter(|(a, b)| a != b && !marked.contains(&a.id))
        .count();
    assert_eq!(others, 0);
}

#[test]
fn residual_ratings_step_down_a_level_and_wrap_round() {
    fn below<T: Copy + PartialEq>(all: &[T], x: T) -> T {
        let i = all.iter().position(|y| *y == x).expect("listed");
        all[(i + all.len() - 1) % all.len()]
    }
    let mut app = shop();
    keys(&mut app, "2");
    let t = current(&app).clone();
    // A threat without a residual rating starts from its inherent one.
    let start = t.residual.unwrap_or(Rating::new(t.likelihood, t.impact));
    keys(&mut app, "L");
    let r = current(&app).residual.expect("a residual rating");
    assert_eq!(
        r,
        Rating::new(below(&Likelihood::ALL, start.likelihood), start.impact)
    );
    keys(&mut app, "I");
    let r = current(&app).residual.expect("a residual rating");
    let lowered = Rating::new(
        below(&Likelihood::ALL, start.likelihood),
        below(&Impact::ALL, start.impact),
    );
    assert_eq!(r, lowered);
    // Five steps come back round to where they started.
    keys(&mut app, "LLLLL");
    assert_eq!(current(&app).residual, Some(lowered));
}

#[test]
fn amounts_in_the_threat_form_take_a_number_or_nothing_and_refuse_the_rest() {
    let mut app = shop();
    keys(&mut app, "2");
    key(&mut app, KeyCode::Enter);
    let Mode::Form { target, .. } = app.mode.clone() else {
        panic!("{:?}", app.mode)
    };
    let fields = threatloom::tui::form::fields(&app.model, &target);
    let at = fields
        .iter()
        .position(|f| f.0 == "cost to fix")
        .expect("field");
    for _ in 0..at {
        key(&mut app, KeyCode::Down);
    }
    let cost = |app: &App| current(app).assessment.as_ref().and_then(|a| a.cost_to_fix);
    let set = |app: &mut App, text: &str| {
        key(app, KeyCode::Enter);
        clear_input(app);
        typed(app, text);
    };
    set(&mut app, "1200");
    assert_eq!(cost(&app), Some(1200.0));
    set(&mut app, "12 k€");
    assert_eq!(cost(&app), Some(1200.0), "a typo does not clear the amount");
    assert_eq!(
        app.message,
        "not a valid cost to fix: expected an amount ≥ 0, or nothing to clear it"
    );
    set(&mut app, "");
    assert_eq!(cost(&app), None);
}

#[test]
fn link_actors_and_create_a_mitigation_on_the_spot() {
    let mut app = shop();
    keys(&mut app, "2");
    let id = current(&app).id.clone();
    let actors = current(&app).actors.len();
    keys(&mut app, "a");
    // Toggle the first actor: linked if it was not, unlinked if it was.
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Esc);
    let now = app.model.threat(id.as_str()).expect("t").actors.len();
    assert_eq!(now.abs_diff(actors), 1);
    keys(&mut app, "m");
    keys(&mut app, "n");
    typed(&mut app, "Pre-commit secret scanning");
    key(&mut app, KeyCode::Esc);
    let t = app.model.threat(id.as_str()).expect("t");
    let m = app.model.mitigations.last().expect("new mitigation");
    assert_eq!(m.title, "Pre-commit secret scanning");
    assert_eq!(m.status, MitigationStatus::Planned);
    assert!(t.mitigations.contains(&m.id));
    assert!(app.model.validate().is_empty());
}

#[test]
fn a_mitigation_moves_on_in_the_list_that_links_it() {
    let mut app = shop();
    keys(&mut app, "2m");
    keys(&mut app, "n");
    typed(&mut app, "Hardware keys for admins");
    let status = |app: &App| app.model.mitigations.last().expect("new").status;
    assert_eq!(status(&app), MitigationStatus::Planned);
    keys(&mut app, "t");
    assert_eq!(status(&app), MitigationStatus::InProgress);
    keys(&mut app, "t");
    assert_eq!(status(&app), MitigationStatus::Implemented);
    assert!(matches!(app.mode, Mode::Pick { .. }), "still in the list");
    // Implemented, its deadline column is blank.
    assert!(
        screen(&mut app, 120, 36).contains("[x] implemented              Hardware keys for admins")
    );
    app.update(Action::Undo);
    assert_eq!(status(&app), MitigationStatus::InProgress);
}

#[test]
fn an_actor_id_in_the_filter_names_that_actor_alone() {
    let mut model = bundled("serverless-webapp.ron");
    // A second actor whose name holds the first one's id.
    let mut contractor = model.actor("insider").expect("insider").clone();
    contractor.id = "contractor".into();
    contractor.name = "Insider contractor".into();
    model.actors.push(contractor);
    model.threats[0].actors.push("contractor".into());
    let ids = |m: &Model, actor: &str| -> Vec<String> {
        let mut v: Vec<String> = m
            .threats_of_actor(&actor.into())
            .iter()
            .map(|t| t.id.to_string())
            .collect();
        v.sort();
        v
    };
    let (insider, contractor) = (ids(&model, "insider"), ids(&model, "contractor"));
    let mut either: Vec<String> = insider.iter().chain(&contractor).cloned().collect();
    either.sort();
    either.dedup();
    assert!(either.len() > insider.len(), "the contractor adds a threat");
    let mut app = app_with(model);
    keys(&mut app, "2");
    for (filter, expect) in [
        ("actor:insider", insider),
        ("actor:contractor", contractor),
        // Not an id: part of a name, both of them.
        ("actor:insid", either),
    ] {
        assert_eq!(filtered(&mut app, filter), expect, "filter {filter}");
    }
}

#[test]
fn the_detail_pane_names_targets_actors_and_stride_whole() {
    let mut app = shop();
    keys(&mut app, "2");
    let th = current(&app).clone();
    let name = |id: &str| {
        app.model
            .name_of(id)
            .or_else(|| app.model.actor(id).map(|a| a.name.as_str()))
            .expect("a name")
            .to_owned()
    };
    let join = |ids: &[threatloom::model::Id]| {
        ids.iter()
            .map(|i| name(i.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let stride: Vec<&str> = th.stride.iter().map(|s| s.label()).collect();
    let line = format!(
        "Against: {}  by: {}  STRIDE: {}",
        join(&th.targets),
        join(&th.actors),
        stride.join(", ")
    );
    // Wide enough for the line on one row; the table's columns cut the targets even so.
    let text = screen(&mut app, 220, 40);
    assert!(th.targets.len() > 1 && th.actors.len() > 1, "{th:?}");
    assert!(text.contains(&line), "{line}\n{text}");
}

#[test]
fn a_long_detail_shows_whole_beside_a_full_table() {
    let mut model = bundled("serverless-webapp.ron");
    // Twice the threats a 36-row screen lists, the first with a long description and a
    // decision whose reasons come last in the pane.
    let copies: Vec<_> = model
        .threats
        .iter()
        .map(|t| {
            let mut t = t.clone();
            t.id = format!("{}-again", t.id).as_str().into();
            t
        })
        .collect();
    model.threats.extend(copies);
    let first = &mut model.threats[0];
    first.description = "An attacker who reads the repository's history finds keys. ".repeat(8);
    first.assessment = Some(threatloom::model::Assessment {
        decision: threatloom::model::Decision::Mitigate,
        rationale: "Rotation closes the window for good.".into(),
        business_impact: "Every customer record exposed.".into(),
        decided_by: "CISO".into(),
        decided_on: "2026-11-24".into(),
        review_by: String::new(),
        cost_to_fix: Some(2000.0),
        expected_loss: Some(50000.0),
    });
    let title = first.title.clone();
    let mut app = app_with(model);
    keys(&mut app, "2");
    app.threats_view.sort = 1; // by title: the first threat comes first with its copy after
    app.threats_view.ascending = true;
    while current(&app).title != title || current(&app).assessment.is_none() {
        keys(&mut app, "j");
    }
    let text = screen(&mut app, 120, 36);
    for shown in [
        "Rotation closes the window for good.",
        "Every customer record exposed.",
        "fixing costs less than the expected loss",
    ] {
        assert!(text.contains(shown), "{shown}: {text}");
    }
    // The table keeps half the screen: its frame from the first corner to the first bottom.
    let lines: Vec<&str> = text.lines().collect();
    let top = lines.iter().position(|l| l.contains('┌')).expect("a table");
    let bottom = lines.iter().position(|l| l.contains('└')).expect("its end");
    let listed = app.threat_rows().len();
    assert!(listed > 30 && bottom - top + 1 >= 17, "{text}");
}

#[test]
fn a_threat_marked_mitigated_says_what_its_residual_rating_waits_for() {
    let mut app = shop();
    keys(&mut app, "2");
    let id = current(&app).id.clone();
    let says = "Marked mitigated, but its residual rating waits for";
    assert!(!screen(&mut app, 120, 36).contains("Marked mitigated"));
    for _ in 0..ThreatStatus::ALL.len() {
        if current(&app).status == ThreatStatus::Mitigated {
            break;
        }
        keys(&mut app, "t");
    }
    assert_eq!(current(&app).status, ThreatStatus::Mitigated);
    assert_eq!(current(&app).id, id);
    let text = screen(&mut app, 120, 36);
    assert!(text.contains(says), "{text}");
    assert!(text.contains("(in progress)"), "{text}");
    // The pane grows into the table's spare rows: the decision still shows.
    assert!(text.contains("No decision yet"), "{text}");
    // Implemented from the list, the residual rating is in force and the warning goes.
    keys(&mut app, "mt");
    key(&mut app, KeyCode::Esc);
    assert!(app.model.residual_applies(current(&app)));
    assert!(!screen(&mut app, 120, 36).contains("Marked mitigated"));
}

#[test]
fn a_mitigations_form_opens_from_the_list_and_comes_back_to_it() {
    let mut app = shop();
    keys(&mut app, "2m");
    let list = app.mode.clone();
    let Mode::Pick { choice, .. } = list else {
        panic!("{list:?}")
    };
    let id = app.pick_items(Pick::Mitigations)[choice].0.clone();
    keys(&mut app, "o");
    assert_eq!(
        app.mode,
        Mode::Form {
            target: id.clone(),
            field: 0
        }
    );
    let fields = threatloom::tui::form::fields(&app.model, &id);
    let owner = fields
        .iter()
        .position(|(n, _)| *n == "owner")
        .expect("owner");
    for _ in 0..owner {
        key(&mut app, KeyCode::Down);
    }
    key(&mut app, KeyCode::Enter);
    clear_input(&mut app);
    typed(&mut app, "Security team");
    let m = app.model.mitigation(id.as_str()).expect("m");
    assert_eq!(m.owner, "Security team");
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.mode, list, "back in the list, on the same row");
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.mode, Mode::Normal);
    // A form opened elsewhere afterwards closes to the screen, not to that list.
    keys(&mut app, "1");
    app.update(Action::SelectNext);
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.mode, Mode::Form { .. }), "{:?}", app.mode);
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.mode, Mode::Normal);
}

#[test]
fn a_mitigation_due_in_the_past_and_not_implemented_is_overdue_wherever_it_shows() {
    let mut app = shop();
    // The first threat's mitigation, opened from its list.
    keys(&mut app, "2m");
    let Mode::Pick { choice, .. } = app.mode.clone() else {
        panic!("{:?}", app.mode)
    };
    let id = app.pick_items(Pick::Mitigations)[choice].0.clone();
    keys(&mut app, "o");
    let fields = threatloom::tui::form::fields(&app.model, &id);
    let due = fields.iter().position(|(n, _)| *n == "due").expect("due");
    for _ in 0..due {
        key(&mut app, KeyCode::Down);
    }
    let set = |app: &mut App, text: &str| {
        key(app, KeyCode::Enter);
        clear_input(app);
        typed(app, text);
        app.model.mitigation(id.as_str()).expect("m").due.clone()
    };
    // Not a day: refused, saying what is expected.
    assert_eq!(set(&mut app, "2026-02-30"), "2026-10-31");
    assert!(
        app.message
            .contains("not a valid due: expected a date as YYYY-MM-DD"),
        "{}",
        app.message
    );
    assert_eq!(set(&mut app, "2026-11-23"), "2026-11-23");
    assert!(!app.message.contains("not a valid"), "{}", app.message);
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.mode, Mode::Normal);
    // The day before the tests' today: overdue in the detail pane and in the list.
    let s = screen(&mut app, 140, 40);
    assert!(s.contains("OVERDUE since 2026-11-23"), "{s}");
    // In the critical colour.
    assert_eq!(colour_of(&mut app, "OVERDUE"), app.theme.risk_critical);
    let row = |app: &App| {
        app.pick_items(Pick::Mitigations)
            .into_iter()
            .find(|(m, _)| *m == id)
            .expect("listed")
            .1
    };
    assert!(
        row(&app).starts_with("in progress  OVERDUE  "),
        "{}",
        row(&app)
    );
    // In the list too, the critical colour marks an overdue one (the cursor's row has its
    // own): the key rotation, due 2026-11-15.
    keys(&mut app, "m");
    assert_eq!(
        colour_of(&mut app, "OIDC federation"),
        app.theme.risk_critical
    );
    assert_eq!(colour_of(&mut app, "Hardware MFA"), app.theme.foreground);
    key(&mut app, KeyCode::Esc);
    // Due today is not yet overdue; implemented is never.
    app.today = threatloom::model::Date::parse("2026-11-23").expect("a date");
    assert!(
        row(&app).starts_with("in progress  2026-11-23  "),
        "{}",
        row(&app)
    );
    let mut m = app.model.mitigation(id.as_str()).expect("m").clone();
    m.status = MitigationStatus::Implemented;
    app.today = common::tui::today();
    assert!(!m.overdue(app.today));
    assert_eq!(m.standing(app.today), "implemented");
    // Nothing clears it.
    keys(&mut app, "2m");
    keys(&mut app, "o");
    for _ in 0..due {
        key(&mut app, KeyCode::Down);
    }
    assert_eq!(set(&mut app, ""), "");
}

#[test]
fn the_threats_cursor_stays_on_a_threat_an_edit_moves_in_the_sort() {
    let mut app = shop();
    keys(&mut app, "2/");
    typed(&mut app, "status:open");
    let before = current(&app).clone();
    let [m] = before.mitigations.as_slice() else {
        panic!("{before:?}: one mitigation")
    };
    let m = app.model.mitigation(m.as_str()).expect("m").clone();
    assert_eq!(m.status, MitigationStatus::Planned);
    let residual = before.residual.expect("a residual rating");
    assert!(app.model.risk_matrix().level(residual) < app.model.current_level(&before));
    // Implemented, the mitigation lowers the threat to its residual rating: the table,
    // sorted by risk, moves it down.
    keys(&mut app, "mtt");
    key(&mut app, KeyCode::Esc);
    assert_eq!(current(&app).id, before.id);
    assert_eq!(app.model.current_rating(current(&app)), residual);
    assert_ne!(
        app.threats_view.cursor, 0,
        "the threat moved down the table"
    );
}

#[test]
fn a_threat_an_edit_takes_out_of_the_filter_stays_until_the_cursor_leaves_it() {
    let mut app = shop();
    keys(&mut app, "2/");
    typed(&mut app, "status:open");
    let shown = app.threat_rows().len();
    keys(&mut app, "j");
    let id = current(&app).id.clone();
    // In progress, then mitigated: both keys reach the same threat.
    keys(&mut app, "tt");
    let t = app.model.threat(id.as_str()).expect("t");
    assert_eq!(t.status, threatloom::model::ThreatStatus::Mitigated);
    assert_eq!(current(&app).id, id);
    assert_eq!(app.threat_rows().len(), shown);
    assert!(screen(&mut app, 120, 36).contains("shown until the cursor leaves it"));
    keys(&mut app, "k");
    assert_eq!(app.threat_rows().len(), shown - 1, "gone once left");
    assert_ne!(current(&app).id, id);
    assert!(
        !app.threat_rows()
            .iter()
            .any(|&i| app.model.threats[i].id == id)
    );
}

/// Checks that picker `what` opened on the first row that `threat` links, and gives that row.
fn opened_on_first_linked(app: &App, threat: &threatloom::model::Id, what: Pick) -> usize {
    let Mode::Pick { choice, .. } = app.mode else {
        panic!("{:?}", app.mode)
    };
    let mut t = app.model.threat(threat.as_str()).expect("t").clone();
    let linked = what.list(&mut t);
    assert!(!linked.is_empty(), "{what:?}: the threat links some");
    let items = app.pick_items(what);
    assert!(linked.contains(&items[choice].0), "{what:?} row {choice}");
    assert!(
        items[..choice].iter().all(|(i, _)| !linked.contains(i)),
        "{what:?}: a linked row above {choice}"
    );
    choice
}

#[test]
fn a_threats_targets_are_chosen_from_the_components_flows_and_assets() {
    let mut app = shop();
    keys(&mut app, "2");
    let id = current(&app).id.clone();
    let before = current(&app).targets.clone();
    let targets = |app: &App| app.model.threat(id.as_str()).expect("t").targets.clone();
    keys(&mut app, "e");
    let Mode::Pick { what, .. } = &app.mode else {
        panic!("{:?}", app.mode)
    };
    assert_eq!(*what, Pick::Targets);
    opened_on_first_linked(&app, &id, Pick::Targets);
    key(&mut app, KeyCode::Home);
    let items = app.pick_items(Pick::Targets);
    let m = app.model.clone();
    assert_eq!(
        items.len(),
        m.components.len() + m.flows.len() + m.assets.len()
    );
    // The list marks what the threat targets, by name.
    let text = screen(&mut app, 120, 36);
    let first = &m.components[0];
    let mark = if before.contains(&first.id) {
        "[x]"
    } else {
        "[ ]"
    };
    assert!(text.contains(&format!("{mark} {} (", first.name)), "{text}");
    // Toggle the first component; a flow further down the list.
    key(&mut app, KeyCode::Enter);
    let flow = m.components.len();
    for _ in 0..flow {
        key(&mut app, KeyCode::Down);
    }
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.mode, Mode::Normal);
    let now = targets(&app);
    let flow_id = app.model.flows[0].id.clone();
    assert_eq!(
        now.contains(&first.id),
        !before.contains(&first.id),
        "{now:?}"
    );
    assert_eq!(
        now.contains(&flow_id),
        !before.contains(&flow_id),
        "{now:?}"
    );
    assert!(app.model.validate().is_empty());
    // One undo step each.
    keys(&mut app, "uu");
    assert_eq!(targets(&app), before);
    // `/` finds a row by words of its name, from the row after the cursor on; Esc on the
    // prompt comes back to the list where it was.
    let flow_label = app.model.flows[0].label.clone();
    keys(&mut app, "e");
    keys(&mut app, "/");
    typed(&mut app, &flow_label.to_uppercase());
    let Mode::Pick { choice, .. } = app.mode.clone() else {
        panic!("{:?}", app.mode)
    };
    assert!(
        items[choice].1.starts_with(&flow_label),
        "{:?}",
        items[choice]
    );
    keys(&mut app, "/");
    typed(&mut app, "no such element anywhere");
    assert!(matches!(app.mode, Mode::Pick { choice: c, .. } if c == choice));
    assert!(
        app.message.starts_with("nothing in the list holds"),
        "{}",
        app.message
    );
    keys(&mut app, "/");
    key(&mut app, KeyCode::Esc);
    assert!(matches!(app.mode, Mode::Pick { choice: c, .. } if c == choice));
    key(&mut app, KeyCode::Esc);
    // A long list pages: End is its last row, PageUp ten rows up, Home the first.
    keys(&mut app, "e");
    let choice = |app: &App| match &app.mode {
        Mode::Pick { choice, .. } => *choice,
        other => panic!("{other:?}"),
    };
    let last = items.len() - 1;
    for (code, want) in [
        (KeyCode::End, last),
        (KeyCode::PageUp, last - 10),
        (KeyCode::PageDown, last),
        (KeyCode::Home, 0),
    ] {
        key(&mut app, code);
        assert_eq!(choice(&app), want, "{code:?}");
    }
}

#[test]
fn the_threat_forms_lists_open_their_pickers_and_come_back_to_the_form() {
    let mut app = shop();
    keys(&mut app, "2");
    let id = current(&app).id.clone();
    let fields = threatloom::tui::form::fields(&app.model, &id);
    let open_form_at = |app: &mut App, at: usize| {
        key(app, KeyCode::Enter);
        for _ in 0..at {
            key(app, KeyCode::Down);
        }
    };
    for (name, pick) in [
        ("targets", Pick::Targets),
        ("actors", Pick::Actors),
        ("mitigations", Pick::Mitigations),
    ] {
        let at = fields.iter().position(|(n, _)| *n == name).expect(name);
        open_form_at(&mut app, at);
        assert_eq!(
            app.mode,
            Mode::Form {
                target: id.clone(),
                field: at
            }
        );
        key(&mut app, KeyCode::Enter);
        let choice = opened_on_first_linked(&app, &id, pick);
        assert_eq!(
            app.mode,
            Mode::Pick {
                what: pick,
                threat: id.clone(),
                choice,
                back: Some(at)
            },
            "{name}"
        );
        key(&mut app, KeyCode::Esc);
        assert_eq!(
            app.mode,
            Mode::Form {
                target: id.clone(),
                field: at
            },
            "{name}"
        );
        key(&mut app, KeyCode::Esc);
    }
    // Esc on a field's prompt comes back to the form, at that field.
    open_form_at(&mut app, 0);
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.mode, Mode::Input { .. }), "{:?}", app.mode);
    key(&mut app, KeyCode::Esc);
    assert_eq!(
        app.mode,
        Mode::Form {
            target: id.clone(),
            field: 0
        }
    );
    key(&mut app, KeyCode::Esc);
    // A mitigation created from the form's picker comes back to the form too.
    let at = fields
        .iter()
        .position(|(n, _)| *n == "mitigations")
        .expect("field");
    key(&mut app, KeyCode::Enter);
    for _ in 0..at {
        key(&mut app, KeyCode::Down);
    }
    key(&mut app, KeyCode::Enter);
    keys(&mut app, "n");
    typed(&mut app, "Rotate keys monthly");
    key(&mut app, KeyCode::Esc);
    assert_eq!(
        app.mode,
        Mode::Form {
            target: id.clone(),
            field: at
        }
    );
    let m = app.model.mitigations.last().expect("new").id.clone();
    assert!(
        app.model
            .threat(id.as_str())
            .expect("t")
            .mitigations
            .contains(&m)
    );
}

#[test]
fn a_threat_at_a_trust_boundary_is_against_the_flows_crossing_it() {
    let mut app = shop();
    // The first component's enclosing boundary.
    keys(&mut app, "g");
    let b = app.selected.clone().expect("a boundary");
    assert!(app.model.boundary(b.as_str()).is_some());
    let crossing: Vec<_> = app
        .model
        .flows
        .iter()
        .filter(|f| app.model.boundaries_crossed(f).iter().any(|x| x.id == b))
        .map(|f| f.id.clone())
        .collect();
    assert!(!crossing.is_empty());
    keys(&mut app, "t");
    let Mode::Input { prompt, .. } = &app.mode else {
        panic!("{:?}", app.mode)
    };
    assert!(
        prompt.contains(&format!("{} flows crossing", crossing.len())),
        "{prompt}"
    );
    typed(&mut app, "Traffic at the perimeter bypasses the WAF");
    let t = app.model.threats.last().expect("threat");
    assert_eq!(t.title, "Traffic at the perimeter bypasses the WAF");
    assert_eq!(t.targets, crossing);
    // What the editor saves, it opens again.
    assert!(app.model.validate().is_empty());
}

#[test]
fn a_threat_added_from_the_diagram_attaches_to_the_selection() {
    let mut app = shop();
    while app.selected.as_ref().map(|s| s.as_str()) != Some("ledger-db") {
        keys(&mut app, "n");
    }
    keys(&mut app, "t");
    typed(&mut app, "Ledger rows altered by the payments role");
    let t = app.model.threats.last().expect("threat");
    assert_eq!(
        t.targets.iter().map(|x| x.as_str()).collect::<Vec<_>>(),
        ["ledger-db"]
    );
    assert_eq!(
        t.likelihood,
        Likelihood::Possible,
        "no actor yet: the rule's default"
    );
    keys(&mut app, "2");
    keys(&mut app, "/");
    typed(&mut app, "ledger rows");
    keys(&mut app, "x");
    assert!(
        app.model
            .threats
            .iter()
            .all(|t| !t.title.starts_with("Ledger rows"))
    );
}

#[test]
fn suggestions_are_accepted_or_dismissed_and_stay_decided_after_save_and_reload() {
    let mut app = shop();
    while app.selected.as_ref().map(|s| s.as_str()) != Some("uploads-fn") {
        keys(&mut app, "n");
    }
    keys(&mut app, "v");
    let before = app.suggestion_list(app.selected.clone().as_ref()).len();
    let Mode::Suggestions { .. } = app.mode else {
        panic!("suggestions open")
    };
    keys(&mut app, "y"); // accept the first
    keys(&mut app, "x"); // dismiss the next
    key(&mut app, KeyCode::Esc);
    let target = app.selected.clone();
    assert_eq!(app.suggestion_list(target.as_ref()).len(), before - 2);
    assert!(app.model.threats.last().expect("accepted").rule.is_some());
    assert_eq!(app.model.dismissed.len(), 1);
    // The canvas badge follows: one more open threat, fewer waiting suggestions.
    let id = target.clone().expect("target");
    assert_eq!(
        app.badges[&id].threats,
        bundled("serverless-webapp.ron")
            .threats
            .iter()
            .filter(|t| !t.status.is_closed() && t.targets.contains(&id))
            .count()
            + 1
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("m.ron");
    ron::save(&path, &app.model, ron::Overwrite::IfUnchanged(None)).expect("save");
    let reloaded = App::new(
        ron::load(&path).expect("load").model,
        None,
        Theme::load("dark", None).expect("t"),
        Keymap::new(&Default::default()),
    );
    assert_eq!(reloaded.suggestion_list(target.as_ref()).len(), before - 2);
}

#[test]
fn suggestions_come_riskiest_first_and_y_takes_the_one_shown_first() {
    let mut app = app_with(bundled("iot-fleet.ron"));
    keys(&mut app, "V");
    let list = app.suggestion_list(None);
    let levels: Vec<RiskLevel> = list.iter().map(|s| s.level(&app.model)).collect();
    assert!(levels.windows(2).all(|w| w[0] >= w[1]), "{levels:?}");
    assert!(
        levels.first() > levels.last(),
        "more than one level: {levels:?}"
    );
    // Each row starts with its level.
    let text = screen(&mut app, 120, 36);
    let first = text
        .lines()
        .find(|l| l.contains(&list[0].title))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        first.contains(&format!("║{:<9}", levels[0].label())),
        "{first}"
    );
    let before = app.model.threats.len();
    keys(&mut app, "y");
    assert_eq!(app.model.threats.len(), before + 1);
    assert_eq!(app.model.threats[before].title, list[0].title);
}

#[test]
fn checklist_answers_feed_the_suggestions() {
    let mut app = shop();
    while app.selected.as_ref().map(|s| s.as_str()) != Some("orders-fn") {
        keys(&mut app, "n");
    }
    keys(&mut app, "C");
    keys(&mut app, "n"); // least privilege: no, and on to the next question
    keys(&mut app, "y"); // secrets in a manager: yes
    key(&mut app, KeyCode::Esc);
    let c = app.model.component("orders-fn").expect("c");
    assert_eq!(c.checklist.least_privilege, Some(false));
    assert_eq!(c.checklist.secrets_in_manager, Some(true));
    assert_eq!(c.checklist.unanswered(), 5);
    let rules: Vec<&str> = app
        .suggestion_list(Some(&c.id.clone()))
        .iter()
        .map(|s| s.rule)
        .collect();
    assert!(rules.contains(&"checklist-least-privilege"));
    assert!(!rules.contains(&"checklist-secrets"));
}

#[test]
fn checklists_are_answered_with_y_and_n_and_tab_goes_on_to_the_next_component_left() {
    let mut app = shop();
    keys(&mut app, "C");
    let Mode::Checklist {
        component: first, ..
    } = app.mode.clone()
    else {
        panic!("{:?}", app.mode)
    };
    let left = app.checklists_left();
    let others = left.iter().filter(|id| **id != first).count();
    assert!(others > 1);
    let s = screen(&mut app, 120, 36);
    assert!(
        s.contains(&format!(
            "Tab: the next component with questions left ({others} components)"
        )),
        "{s}"
    );
    key(&mut app, KeyCode::Tab);
    let Mode::Checklist { component, item } = app.mode.clone() else {
        panic!("{:?}", app.mode)
    };
    let after = app
        .model
        .components
        .iter()
        .position(|c| c.id == first)
        .expect("first");
    let expected = app.model.components[after + 1..]
        .iter()
        .find(|c| left.contains(&c.id))
        .expect("one after it")
        .id
        .clone();
    assert_eq!(component, expected);
    assert_eq!(app.selected.as_ref(), Some(&component));
    let c = app.model.component(component.as_str()).expect("c").clone();
    assert_eq!(
        c.checklist.items()[item].2,
        None,
        "at its first open question"
    );
    // Seven answers in a row, each moving on: the whole checklist.
    keys(&mut app, "yyyyyyn");
    let answers: Vec<Option<bool>> = app
        .model
        .component(component.as_str())
        .expect("c")
        .checklist
        .items()
        .iter()
        .map(|(_, _, a)| *a)
        .collect();
    assert!(answers.iter().all(Option::is_some), "{answers:?}");
    assert_eq!(
        answers[6],
        Some(false),
        "the last key answers the last question"
    );
    // Nothing left elsewhere: Tab says so, and so does the panel.
    for c in &mut app.model.components {
        if c.id != component {
            for a in c.checklist.answers_mut() {
                *a = Some(true);
            }
        }
    }
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.message, "no other component has questions left");
    assert!(screen(&mut app, 120, 36).contains("every other component's checklist is answered"));
}

#[test]
fn the_to_do_list_leads_to_where_each_item_is_done() {
    let mut app = shop();
    keys(&mut app, "R");
    let Mode::Changes { rows, cursor, .. } = app.mode.clone() else {
        panic!("{:?}", app.mode)
    };
    let undecided = app
        .model
        .threats
        .iter()
        .filter(|t| t.assessment.is_none())
        .count();
    let unreviewed = app.model.unreviewed_crossings().count();
    assert!(
        rows[0]
            .text
            .starts_with(&format!("Left: {undecided} undecided, 2 overdue, ")),
        "{}",
        rows[0].text
    );
    assert!(
        rows[0].text.contains(&format!("{unreviewed} crossings, ")),
        "{}",
        rows[0].text
    );
    assert!(rows[cursor].about.is_some(), "the cursor starts on an item");
    // Moving skips the headings and blank lines between the lists, both ways.
    let mut visited = Vec::new();
    for code in [KeyCode::Down; 30].into_iter().chain([KeyCode::Up; 30]) {
        key(&mut app, code);
        let Mode::Changes { rows, cursor, .. } = &app.mode else {
            panic!("{:?}", app.mode)
        };
        assert!(rows[*cursor].about.is_some(), "{}", rows[*cursor].text);
        visited.push(*cursor);
    }
    assert!(
        visited.contains(&(cursor + 14)),
        "past a heading: {visited:?}"
    );
    assert_eq!(visited.last(), Some(&cursor));
    keys(&mut app, "R");
    keys(&mut app, "R");
    let s = screen(&mut app, 120, 36);
    assert!(s.contains(" TO DO shop.ron"), "{s}");
    assert!(s.contains(&format!(
        "{undecided} threats without a decision, most risky first:"
    )));
    // Each kind of line opens its own place.
    let line = |app: &App, key: &str| {
        let Mode::Changes { rows, .. } = &app.mode else {
            panic!("{:?}", app.mode)
        };
        rows.iter()
            .position(|r| r.about.as_ref().is_some_and(|(k, _)| k == key))
            .map(|i| (i, rows[i].about.clone().expect("about").1))
            .expect(key)
    };
    let go = |app: &mut App, kind: &str| -> String {
        keys(app, "R");
        let (i, id) = line(app, kind);
        let Mode::Changes {
            list, title, rows, ..
        } = app.mode.clone()
        else {
            panic!()
        };
        app.mode = Mode::Changes {
            list,
            title,
            rows,
            cursor: i,
        };
        key(app, KeyCode::Enter);
        id
    };
    keys(&mut app, "R");
    assert_eq!(app.mode, Mode::Normal, "R closes it");
    let id = go(&mut app, "threats");
    assert_eq!(app.screen, Screen::Threats);
    assert_eq!(
        app.current_threat().as_ref().map(|t| t.as_str()),
        Some(id.as_str())
    );
    assert!(
        app.message.contains("R shows what is left"),
        "{}",
        app.message
    );
    let id = go(&mut app, "walk");
    let index = app.walked_flows().iter().position(|f| f.as_str() == id);
    assert_eq!(
        app.mode,
        Mode::Walkthrough {
            index: index.expect("a crossing")
        }
    );
    assert_eq!(app.screen, Screen::Diagram);
    key(&mut app, KeyCode::Esc);
    let id = go(&mut app, "checklist");
    assert!(
        matches!(&app.mode, Mode::Checklist { component, item: 0 } if component.as_str() == id)
    );
    key(&mut app, KeyCode::Esc);
    // A suggestion's line is keyed by its rule: the element's list opens at that one.
    keys(&mut app, "R");
    let Mode::Changes { rows, .. } = app.mode.clone() else {
        panic!("{:?}", app.mode)
    };
    keys(&mut app, "R");
    let (line, target) = rows
        .iter()
        .filter_map(|r| r.about.clone())
        .find(|(line, target)| {
            let Some(rule) = line.strip_prefix("suggestion:") else {
                return false;
            };
            // One that is not the first of its element's list.
            app.suggestion_list(Some(&target.as_str().into()))
                .iter()
                .position(|s| s.rule == rule)
                .is_some_and(|i| i > 0)
        })
        .expect("a suggestion second in its element's list");
    keys(&mut app, "R");
    let Mode::Changes {
        list, title, rows, ..
    } = app.mode.clone()
    else {
        panic!("{:?}", app.mode)
    };
    let at = rows
        .iter()
        .position(|r| r.about == Some((line.clone(), target.clone())))
        .expect("its line");
    app.mode = Mode::Changes {
        list,
        title,
        rows,
        cursor: at,
    };
    key(&mut app, KeyCode::Enter);
    let Mode::Suggestions {
        target: Some(t),
        choice,
    } = app.mode.clone()
    else {
        panic!("{:?}", app.mode)
    };
    assert_eq!(t.as_str(), target);
    assert_eq!(
        format!("suggestion:{}", app.suggestion_list(Some(&t))[choice].rule),
        line
    );
    key(&mut app, KeyCode::Esc);
    let id = go(&mut app, "mitigations");
    assert_eq!(app.screen, Screen::Threats);
    assert_eq!(app.threats_view.filter, format!("mitigation:{id}"));
    let rows = app.threat_rows();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|&i| {
        app.model.threats[i]
            .mitigations
            .iter()
            .any(|m| m.as_str() == id)
    }));
}

#[test]
fn with_nothing_left_the_to_do_list_says_so() {
    let mut app = app_with(threatloom::model::Model::new("Empty"));
    keys(&mut app, "R");
    let Mode::Changes { rows, .. } = &app.mode else {
        panic!("{:?}", app.mode)
    };
    assert_eq!(rows.len(), 1);
    assert!(rows[0].text.starts_with("Nothing left"), "{}", rows[0].text);
}

#[test]
fn walkthrough_steps_through_every_crossing_flow() {
    let mut app = shop();
    keys(&mut app, "w");
    let flows = app.walked_flows();
    assert_eq!(
        flows.len(),
        app.model
            .flows
            .iter()
            .filter(|f| app.model.crosses_boundary(f))
            .count()
    );
    let mut seen = Vec::new();
    for _ in 0..flows.len() {
        seen.push(app.selected.clone().expect("a flow is selected"));
        keys(&mut app, "n");
    }
    let first = seen[0].clone();
    seen.sort();
    let mut expected = flows.clone();
    expected.sort();
    assert_eq!(seen, expected, "each crossing flow once");
    assert_eq!(app.selected, Some(first), "wraps around");
    // Looking at a flow's suggestions, or recording a threat on it, returns to the same step.
    let Mode::Walkthrough { index } = app.mode else {
        panic!("{:?}", app.mode)
    };
    keys(&mut app, "v");
    assert!(matches!(app.mode, Mode::Suggestions { .. }));
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.mode, Mode::Walkthrough { index });
    keys(&mut app, "t");
    typed(&mut app, "Replayed request");
    assert_eq!(app.mode, Mode::Walkthrough { index });
    assert_eq!(
        app.model.threats.last().expect("t").targets,
        [flows[index].clone()]
    );
}

#[test]
fn a_walks_every_flow_and_back_staying_on_the_flow_at_hand() {
    let mut app = shop();
    keys(&mut app, "w");
    let crossings = app.walked_flows();
    let Mode::Walkthrough { index } = app.mode else {
        panic!("{:?}", app.mode)
    };
    let here = crossings[index].clone();
    keys(&mut app, "a");
    let every = app.walked_flows();
    assert_eq!(every.len(), app.model.flows.len());
    assert_eq!(
        &every[..crossings.len()],
        &crossings[..],
        "the crossings first"
    );
    let Mode::Walkthrough { index } = app.mode else {
        panic!("{:?}", app.mode)
    };
    assert_eq!(every[index], here, "still on the same flow");
    let s = screen(&mut app, 120, 36);
    assert!(s.contains(&format!(
        "Walkthrough of every flow {}/{}",
        index + 1,
        every.len()
    )));
    assert!(s.contains("a crossings only"), "{s}");
    // An inner flow is walked and reviewed like a crossing.
    let inner = crossings.len();
    app.mode = Mode::Walkthrough { index: inner };
    assert!(screen(&mut app, 120, 36).contains("crosses no trust boundary"));
    keys(&mut app, "r");
    assert!(app.model.flow(every[inner].as_str()).expect("f").reviewed());
    // Back to the crossings: an inner flow gives way to the first crossing left.
    app.mode = Mode::Walkthrough { index: inner };
    keys(&mut app, "a");
    let Mode::Walkthrough { index } = app.mode else {
        panic!("{:?}", app.mode)
    };
    assert_eq!(app.walked_flows(), crossings);
    assert!(
        !app.model
            .flow(crossings[index].as_str())
            .expect("f")
            .reviewed()
    );
    // A model with no boundary: `w` walks every flow at once.
    let mut plain = shop();
    plain.model.boundaries.clear();
    keys(&mut plain, "w");
    assert!(matches!(plain.mode, Mode::Walkthrough { .. }));
    assert_eq!(plain.walked_flows().len(), plain.model.flows.len());
    assert!(
        plain.message.contains("walking every flow"),
        "{}",
        plain.message
    );
    // There `a` has no crossings to go back to: the walk stays on every flow, at the step.
    let at = plain.mode.clone();
    keys(&mut plain, "a");
    assert_eq!(plain.mode, at);
    assert_eq!(plain.walked_flows().len(), plain.model.flows.len());
    assert_eq!(
        plain.message,
        "no flow crosses a trust boundary: walking every flow"
    );
}

#[test]
fn walkthrough_ticks_off_reviewed_flows_and_opens_where_the_review_stands() {
    let mut app = shop();
    let flows = app.walked_flows();
    let reviewed = |app: &App, i: usize| {
        app.model
            .flow(flows[i].as_str())
            .expect("a flow")
            .reviewed_on
            .clone()
    };
    let left: Vec<usize> = (0..flows.len())
        .filter(|&i| reviewed(&app, i).is_empty())
        .collect();
    assert!(
        left.len() >= 2 && left.len() < flows.len(),
        "the bundled review is under way"
    );
    keys(&mut app, "w");
    assert_eq!(app.mode, Mode::Walkthrough { index: left[0] });
    let s = screen(&mut app, 120, 36);
    let done = flows.len() - left.len();
    assert!(s.contains(&format!("· {done} reviewed")), "{s}");
    assert!(s.contains("not reviewed yet (r when done)"), "{s}");
    // A reviewed crossing is ticked off on the diagram, in the colour of low risk; one left
    // keeps its warning, in the crossing's.
    assert!(s.contains("✓ ") && s.contains("⚠ "), "{s}");
    let mut diagram = shop();
    assert_eq!(colour_of(&mut diagram, "✓ "), diagram.theme.risk_low);
    assert_eq!(colour_of(&mut diagram, "⚠ "), diagram.theme.flow_crossing);

    app.me = Some("Ada".into());
    keys(&mut app, "r");
    assert_eq!(reviewed(&app, left[0]), "2026-11-24", "dated today");
    let by = app.model.flow(flows[left[0]].as_str()).expect("a flow");
    assert_eq!(by.reviewed_by, "Ada", "and signed");
    assert_eq!(
        app.mode,
        Mode::Walkthrough { index: left[1] },
        "on to the next left"
    );
    assert_eq!(app.selected.as_ref(), Some(&flows[left[1]]));
    let s = screen(&mut app, 120, 36);
    assert!(s.contains(&format!("· {} reviewed", done + 1)), "{s}");
    for _ in 1..left.len() {
        keys(&mut app, "r");
    }
    assert!((0..flows.len()).all(|i| !reviewed(&app, i).is_empty()));
    assert_eq!(app.message, "every boundary-crossing flow is reviewed");
    let last = *left.last().expect("one");
    assert_eq!(app.mode, Mode::Walkthrough { index: last });
    assert!(screen(&mut app, 120, 36).contains("✓ reviewed 2026-11-24 by Ada"));
    // `r` on a reviewed flow takes the review back; each is an undo step.
    keys(&mut app, "r");
    assert_eq!(reviewed(&app, last), "");
    assert_eq!(app.mode, Mode::Walkthrough { index: last });
    key(&mut app, KeyCode::Esc);
    keys(&mut app, "u");
    assert_eq!(reviewed(&app, last), "2026-11-24");
    // Every flow reviewed: the walk starts from the first.
    keys(&mut app, "w");
    assert_eq!(app.mode, Mode::Walkthrough { index: 0 });
    key(&mut app, KeyCode::Esc);

    // Switching a reviewed flow's encryption off in its form, opened from the walk with `e`,
    // withdraws the review: what was reviewed is not what is there now.
    let id = flows[left[0]].clone();
    app.mode = Mode::Walkthrough { index: left[0] };
    keys(&mut app, "e");
    assert_eq!(
        app.mode,
        Mode::Form {
            target: id.clone(),
            field: 0
        }
    );
    for _ in 0..4 {
        key(&mut app, KeyCode::Down); // "encrypted in transit"
    }
    let flow = |app: &App| app.model.flow(id.as_str()).expect("a flow").clone();
    let was = flow(&app).encrypted;
    key(&mut app, KeyCode::Enter);
    assert_eq!(flow(&app).encrypted, !was);
    assert_eq!(flow(&app).reviewed_on, "");
    assert!(
        app.message.starts_with("review withdrawn"),
        "{}",
        app.message
    );
    // The form sets the date by hand, and refuses a day that is none.
    let fields = threatloom::tui::form::fields(&app.model, &id);
    let at = fields.iter().position(|(n, _)| *n == "reviewed on");
    for _ in 4..at.expect("a reviewed-on field") {
        key(&mut app, KeyCode::Down);
    }
    let set = |app: &mut App, text: &str| {
        key(app, KeyCode::Enter);
        clear_input(app);
        typed(app, text);
        flow(app).reviewed_on
    };
    assert_eq!(set(&mut app, "2026-13-01"), "");
    assert!(app.message.contains("expected a date"), "{}", app.message);
    assert_eq!(set(&mut app, "2026-11-20"), "2026-11-20");
    // Esc goes back to the walk, at the same flow.
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.mode, Mode::Walkthrough { index: left[0] });
}

#[test]
fn on_a_small_terminal_the_matrix_lists_every_title_its_spare_lines_hold() {
    let mut app = app_with(bundled("iot-fleet.ron"));
    keys(&mut app, "3");
    // Possible × Moderate holds two threats; each row has room for one title on 80×24.
    let s = screen(&mut app, 80, 24);
    for title in ["Presence da", "MQTT broker"] {
        assert!(s.contains(title), "{title}: {s}");
    }
}

#[test]
fn matrix_cell_lists_its_threats_and_jumps_to_one() {
    let mut app = shop();
    keys(&mut app, "3");
    // Probable × Major, current ratings.
    app.matrix_cursor = (3, 3);
    let inside = app.cell_threats();
    assert!(!inside.is_empty());
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.mode, Mode::Cell { .. }));
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.screen, Screen::Threats);
    assert_eq!(app.current_threat().as_ref(), inside.first());
    keys(&mut app, "3r");
    assert!(!app.matrix_residual);
    app.matrix_cursor = (2, 4); // Possible × Catastrophic, inherent
    assert!(
        app.cell_threats()
            .iter()
            .any(|t| t.as_str() == "static-keys")
    );
    // Once its control is implemented, its residual rating moves it in the current view.
    let m = app
        .model
        .mitigations
        .iter()
        .position(|m| m.id.as_str() == "m-key-rotation")
        .expect("m");
    app.model.mitigations[m].status = MitigationStatus::Implemented;
    assert!(
        app.cell_threats()
            .iter()
            .any(|t| t.as_str() == "static-keys"),
        "inherent view"
    );
    keys(&mut app, "r");
    assert!(
        !app.cell_threats()
            .iter()
            .any(|t| t.as_str() == "static-keys"),
        "current view"
    );
}

#[test]
fn actors_are_created_edited_and_deleted_with_their_links() {
    let mut app = shop();
    keys(&mut app, "4n");
    typed(&mut app, "Disgruntled contractor");
    let id = app.model.actors.last().expect("actor").id.clone();
    key(&mut app, KeyCode::Enter); // form
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter); // kind cycles
    key(&mut app, KeyCode::Esc);
    assert_ne!(
        app.model.actor(id.as_str()).expect("a").kind.label(),
        "custom"
    );
    // Deleting an actor unlinks it from its threats.
    app.actor_cursor = 0;
    let insider_free = |m: &Model| {
        m.threats
            .iter()
            .all(|t| !t.actors.iter().any(|a| a.as_str() == "script-kiddie"))
    };
    assert!(!insider_free(&app.model));
    keys(&mut app, "x");
    assert!(insider_free(&app.model));
    assert!(app.model.validate().is_empty());
}

#[test]
fn an_actors_threats_show_by_risk_and_t_lists_them_on_the_threats_screen() {
    let mut app = shop();
    keys(&mut app, "4");
    // The actor with the most threats: more than the pane's nine rows hold.
    let (cursor, actor) = app
        .model
        .actors
        .iter()
        .enumerate()
        .max_by_key(|(_, a)| app.model.threats_of_actor(&a.id).len())
        .map(|(i, a)| (i, a.id.clone()))
        .expect("actors");
    let theirs: Vec<_> = app
        .model
        .threats_of_actor(&actor)
        .into_iter()
        .cloned()
        .collect();
    assert!(theirs.len() > 9, "{}", theirs.len());
    let ids: Vec<String> = theirs.iter().map(|t| t.id.to_string()).collect();
    app.actor_cursor = cursor;
    // At 120×36 the pane grows into the table's spare rows: every one of them, highest risk
    // first, with its status and decision.
    let wide = screen(&mut app, 120, 36);
    let rows: Vec<&str> = wide
        .lines()
        .filter(|l| theirs.iter().any(|t| l.contains(&t.title)))
        .collect();
    assert_eq!(rows.len(), theirs.len(), "{wide}");
    let level = |row: &str| {
        ["Critical", "High", "Medium", "Low"]
            .iter()
            .position(|l| row.contains(&format!("│{l} ")))
            .unwrap_or_else(|| panic!("a level first: {row}"))
    };
    assert!(
        rows.windows(2).all(|w| level(w[0]) <= level(w[1])),
        "{wide}"
    );
    assert!(
        rows.iter().any(|r| r.contains("open, no decision")),
        "{wide}"
    );
    assert!(wide.contains("starts at likelihood"), "{wide}");
    // Short of room, the last row counts the others.
    let small = screen(&mut app, 100, 24);
    // Titles may be cut short there.
    let starts: Vec<String> = theirs
        .iter()
        .map(|t| t.title.chars().take(20).collect())
        .collect();
    let shown = small
        .lines()
        .filter(|l| starts.iter().any(|s| l.contains(s.as_str())))
        .count();
    assert!(shown < theirs.len(), "{small}");
    assert!(
        small.contains(&format!("+{} more: t lists them all", theirs.len() - shown)),
        "{small}"
    );
    assert!(small.contains("starts at likelihood"), "{small}");
    // `t` lists exactly them on the Threats screen.
    keys(&mut app, "t");
    assert_eq!(app.screen, Screen::Threats);
    let listed: Vec<String> = app
        .threat_rows()
        .into_iter()
        .map(|i| app.model.threats[i].id.to_string())
        .collect();
    let (mut listed, mut ids) = (listed, ids);
    listed.sort();
    ids.sort();
    assert_eq!(listed, ids);
}

/// The inputs of `gate` in the first fault tree, as ids.
fn inputs(app: &App, gate: &str) -> Vec<String> {
    let t = &app.model.fault_trees[0];
    let g = t.gates.iter().find(|g| g.id.as_str() == gate);
    let g = g.expect("gate");
    g.inputs.iter().map(|i| i.to_string()).collect()
}

#[test]
fn adding_on_an_event_adds_beside_it_under_its_gate() {
    let mut app = app_with(bundled("pressure-tank.ron"));
    keys(&mut app, "5");
    // The second row is T, an event under the top gate E1.
    let before = inputs(&app, "E1").len();
    keys(&mut app, "je");
    typed(&mut app, "Operator misses the alarm");
    let after = inputs(&app, "E1");
    assert_eq!(after.len(), before + 1, "{after:?}");
    assert!(
        after.iter().any(|i| i.contains("operator-misses")),
        "{after:?}"
    );
    // A gate the same way, beside S1 (row 7) under E4.
    let mut app = app_with(bundled("pressure-tank.ron"));
    keys(&mut app, "5");
    let before = inputs(&app, "E4").len();
    keys(&mut app, "jjjjjjjg");
    typed(&mut app, "Backup timer fails");
    assert_eq!(
        inputs(&app, "E4").len(),
        before + 1,
        "{:?}",
        inputs(&app, "E4")
    );
}

#[test]
fn a_fault_tree_is_started_grown_and_deleted_from_the_editor() {
    // A model with none: the screen says how to start one.
    let mut app = app_with(Model::default());
    keys(&mut app, "5");
    assert!(screen(&mut app, 120, 36).contains("n starts one"));
    keys(&mut app, "n");
    typed(&mut app, "Customer orders lost");
    let tree = &app.model.fault_trees[0];
    assert_eq!(tree.name, "Customer orders lost");
    let top = tree
        .gates
        .iter()
        .find(|g| g.id == tree.top)
        .expect("top gate");
    assert_eq!(
        (top.kind, top.label.as_str()),
        (GateKind::Or, "Customer orders lost")
    );
    assert_ne!(top.id, tree.id, "the tree and its top are distinct nodes");
    // Grown from its top, which the cursor is on, and analysed.
    keys(&mut app, "e");
    typed(&mut app, "Orders table deleted");
    keys(&mut app, "e");
    typed(&mut app, "Region outage");
    assert!(
        app.model.validate().is_empty(),
        "{:?}",
        app.model.validate()
    );
    let p = top_probability(&app);
    assert!((p - (1.0 - 0.99f64 * 0.99)).abs() < 1e-15, "{p}");
    // A second tree is shown at once.
    keys(&mut app, "n");
    typed(&mut app, "Orders leaked");
    assert_eq!(app.model.fault_trees.len(), 2);
    assert_eq!(app.tree.tree, 1);
    assert!(screen(&mut app, 120, 36).contains("Orders leaked (2/2"));
    // x on a top event deletes the whole tree after asking; undo brings it back.
    keys(&mut app, "]x");
    assert!(matches!(app.mode, Mode::Confirm { .. }), "{:?}", app.mode);
    keys(&mut app, "n");
    assert_eq!(app.model.fault_trees.len(), 2);
    keys(&mut app, "xy");
    assert_eq!(app.model.fault_trees.len(), 1);
    assert_eq!(app.model.fault_trees[0].name, "Orders leaked");
    keys(&mut app, "u");
    assert_eq!(app.model.fault_trees[0].name, "Customer orders lost");
}

#[test]
fn nodes_move_in_the_outline_with_shift_and_the_arrows() {
    // Drawn in the order people said it: two causes and a gate, all under the top.
    let mut app = app_with(Model::default());
    keys(&mut app, "5n");
    typed(&mut app, "Customer orders lost");
    for e in ["Orders table deleted", "Region outage"] {
        keys(&mut app, "e");
        typed(&mut app, e);
    }
    keys(&mut app, "g");
    typed(&mut app, "Restore fails");
    let top = "customer-orders-lost-top";
    // The deletion is a cause of the failed restore: down past it, then into it.
    keys(&mut app, "kkJJ");
    assert_eq!(
        inputs(&app, top),
        ["region-outage", "restore-fails", "orders-table-deleted"]
    );
    keys(&mut app, "L");
    assert_eq!(inputs(&app, top), ["region-outage", "restore-fails"]);
    assert_eq!(inputs(&app, "restore-fails"), ["orders-table-deleted"]);
    // The cursor follows the node, so it moves on from where it went.
    let row = &app.outline()[app.tree.cursor];
    assert_eq!((row.id.as_str(), row.depth), ("orders-table-deleted", 2));
    keys(&mut app, "H");
    assert_eq!(
        inputs(&app, "restore-fails"),
        Vec::<String>::new(),
        "{}",
        app.message
    );
    assert_eq!(
        inputs(&app, top),
        ["region-outage", "restore-fails", "orders-table-deleted"]
    );
    // Nothing above the first input to move into, nothing outside the top's inputs.
    keys(&mut app, "kkkkj");
    let first = app.outline()[app.tree.cursor].id.clone();
    assert_eq!(first.as_str(), "region-outage");
    keys(&mut app, "K");
    assert!(app.message.contains("already the first"), "{}", app.message);
    keys(&mut app, "H");
    assert!(
        app.message.contains("already under the top event"),
        "{}",
        app.message
    );
    // Each move is one undo step.
    keys(&mut app, "u");
    assert_eq!(inputs(&app, "restore-fails"), ["orders-table-deleted"]);
}

#[test]
fn every_tree_the_editor_draws_saves_and_reopens() {
    // A new tree's top has no input yet; a gate cycled through every type with 0 to 3
    // inputs stops only on types those inputs fit. Each state is a valid model, so the file
    // written from it loads again.
    let mut app = app_with(Model::default());
    keys(&mut app, "5n");
    typed(&mut app, "Top");
    let top_kind = |app: &App| {
        let t = &app.model.fault_trees[0];
        t.gates.iter().find(|g| g.id == t.top).expect("top").kind
    };
    // The form's second field is the type; Enter cycles it.
    let cycle = |app: &mut App| {
        key(app, KeyCode::Enter);
        key(app, KeyCode::Down);
        key(app, KeyCode::Enter);
        key(app, KeyCode::Esc);
    };
    let reopens = |app: &App| {
        let text = ron::to_string(&app.model);
        let back = ron::parse(&text, std::path::Path::new("t.ron"));
        assert!(back.is_ok(), "{:?}\n{text}", back.err());
    };
    for n in 0..=3 {
        if n > 0 {
            // Back to OR, which takes any number of inputs, to add one more.
            while top_kind(&app) != GateKind::Or {
                cycle(&mut app);
            }
            keys(&mut app, "e");
            typed(&mut app, &format!("Cause {n}"));
            keys(&mut app, "kkkk");
        }
        let mut seen = Vec::new();
        for _ in 0..12 {
            cycle(&mut app);
            let kind = top_kind(&app);
            assert!(app.model.validate().is_empty(), "{n} inputs, {kind:?}");
            seen.push(std::mem::discriminant(&kind));
            reopens(&app);
        }
        seen.sort_by_key(|d| format!("{d:?}"));
        seen.dedup();
        // With no input: AND, OR, NAND, NOR; one: also VOTE, NOT, NULL; two: INHIBIT and
        // XOR instead of NOT and NULL; three: not INHIBIT.
        assert_eq!(seen.len(), [4, 7, 7, 6][n], "{n} inputs");
    }
    // A gate full for its type takes no more: a NOT of one input refuses a second.
    while top_kind(&app) != GateKind::Or {
        cycle(&mut app);
    }
    keys(&mut app, "jxjx");
    assert_eq!(app.model.fault_trees[0].events.len(), 1);
    keys(&mut app, "kkkk");
    while top_kind(&app) != GateKind::Not {
        cycle(&mut app);
    }
    keys(&mut app, "e");
    typed(&mut app, "Second cause");
    assert!(app.message.contains("NOT"), "{}", app.message);
    assert_eq!(app.model.fault_trees[0].events.len(), 1);
    assert!(app.model.validate().is_empty());
}

/// The id of the outline row under the cursor.
fn node_at_cursor(app: &App) -> String {
    app.outline()[app.tree.cursor].id.to_string()
}

/// The pressure tank on the fault-tree screen, with the cursor on node `id`.
fn tank_at(id: &str) -> App {
    let mut app = app_with(bundled("pressure-tank.ron"));
    keys(&mut app, "5");
    for _ in 0..app.outline().len() {
        if node_at_cursor(&app) == id {
            return app;
        }
        keys(&mut app, "j");
    }
    panic!("no row {id}")
}

#[test]
fn a_node_is_found_by_typing_and_shown_however_folded_the_outline() {
    let mut app = app_with(bundled("pressure-tank.ron"));
    // Fold E3, then the top: one row is left.
    keys(&mut app, "5jjjj ");
    keys(&mut app, "kkkk ");
    assert_eq!(app.outline().len(), 1);
    keys(&mut app, "/s");
    // The id typed whole comes first, then ids that begin with it, then labels holding it.
    let Mode::Nodes {
        purpose, filter, ..
    } = &app.mode
    else {
        panic!("{:?}", app.mode)
    };
    let found: Vec<String> = app
        .node_choices(purpose, filter)
        .iter()
        .map(|(id, _)| id.to_string())
        .collect();
    assert_eq!(found[..2], ["S", "S1"]);
    assert!(found.contains(&"E1".to_owned()), "{found:?}");
    assert!(!found.contains(&"E4".to_owned()), "{found:?}");
    // By its label: the timer relay.
    key(&mut app, KeyCode::Backspace);
    keys(&mut app, "timer");
    let shown = screen(&mut app, 120, 36);
    assert!(
        shown.contains("Find a node: type part of its id or label"),
        "{shown}"
    );
    assert!(
        shown.contains("● R  Timer relay R contacts fail to open"),
        "{shown}"
    );
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.mode, Mode::Normal);
    // Every gate on the way is unfolded; the cursor is on R.
    assert_eq!(node_at_cursor(&app), "R");
    assert_eq!(app.outline().len(), 11);
    assert_eq!(app.message, "found R");
    // Nothing matching: Enter says so, and Esc leaves with the cursor where it was.
    keys(&mut app, "/zzz");
    assert!(screen(&mut app, 120, 36).contains("no node matches"));
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(node_at_cursor(&app), "R");
}

#[test]
fn a_branch_is_duplicated_as_a_redundant_train() {
    // E5 = K1 ∨ R, under E4 = S1 ∨ E5.
    let mut app = tank_at("E5");
    keys(&mut app, "d");
    assert_eq!(inputs(&app, "E4"), ["S1", "E5", "E5-2"]);
    assert_eq!(inputs(&app, "E5-2"), ["K1-2", "R-2"]);
    assert_eq!(node_at_cursor(&app), "E5-2");
    assert!(
        app.message.contains("E5 duplicated as E5-2"),
        "{}",
        app.message
    );
    // E4 = S1 ∨ (K1 ∨ R) ∨ (K1' ∨ R'), E3 = S ∧ E4, top = T ∨ K2 ∨ E3.
    let e4 = 1.0 - (1.0 - 3e-5) * ((1.0_f64 - 3e-5) * (1.0 - 1e-4)).powi(2);
    let expected = 1.0 - (1.0 - 5e-6) * (1.0 - 3e-5) * (1.0 - 1e-4 * e4);
    let p = top_probability(&app);
    assert!((p - expected).abs() < 1e-15, "{p} vs {expected}");
    // One undo takes the whole copy away.
    keys(&mut app, "u");
    assert_eq!(inputs(&app, "E4"), ["S1", "E5"]);
    assert_eq!(app.model, bundled("pressure-tank.ron"));
    // The top event has no gate to go under.
    key(&mut app, KeyCode::Home);
    keys(&mut app, "d");
    assert!(app.message.contains("top event"), "{}", app.message);
}

#[test]
fn a_threat_and_the_fault_tree_events_standing_for_it_lead_to_each_other() {
    let mut app = app_with(bundled("serverless-webapp.ron"));
    keys(&mut app, "2");
    let at = |app: &App, id: &str| {
        app.threat_rows()
            .iter()
            .position(|&i| app.model.threats[i].id.as_str() == id)
            .expect("listed")
    };
    app.threats_view.cursor = at(&app, "unencrypted-bucket");
    let p = app.model.calibration.probability(Likelihood::Rare);
    let shown = screen(&mut app, 120, 36);
    assert!(
        shown.contains(&format!(
            "Fault trees: e-bucket in Customer data breach  (p = {p:.2e} from the current likelihood, Rare; f goes there)"
        )),
        "{shown}"
    );
    // f goes to the event in its tree, T back to the threat, even through a filter hiding it.
    keys(&mut app, "f");
    assert_eq!(app.screen, Screen::FaultTrees);
    assert_eq!(node_at_cursor(&app), "e-bucket");
    assert_eq!(
        app.message,
        "e-bucket stands for unencrypted-bucket (T comes back)"
    );
    app.threats_view.filter = "root".into();
    keys(&mut app, "T");
    assert_eq!(app.screen, Screen::Threats);
    assert_eq!(
        app.current_threat().map(|t| t.to_string()),
        Some("unencrypted-bucket".into())
    );
    assert!(app.threats_view.filter.is_empty());
    // On a gate, T says what it needs.
    keys(&mut app, "5");
    key(&mut app, KeyCode::Home);
    stays_saying(&mut app, "T", Screen::FaultTrees, "stands for a threat");
    keys(&mut app, "2");
    // A threat no event stands for says nothing of fault trees.
    app.threats_view.cursor = at(&app, "over-retention");
    assert!(!screen(&mut app, 120, 36).contains("Fault trees:"));
    stays_saying(&mut app, "f", Screen::Threats, "no fault-tree event");
}

#[test]
fn f_on_a_threat_several_events_stand_for_lists_them_to_choose_one() {
    let mut model = bundled("serverless-webapp.ron");
    let bucket = threatloom::model::Id::from("unencrypted-bucket");
    for e in &mut model.fault_trees[0].events {
        if e.id.as_str() == "e-static-keys" {
            e.probability = Probability::Threat(bucket.clone());
        }
    }
    let mut app = app_with(model);
    keys(&mut app, "2");
    let row = app
        .threat_rows()
        .iter()
        .position(|&i| app.model.threats[i].id == bucket)
        .expect("listed");
    app.threats_view.cursor = row;
    keys(&mut app, "f");
    assert_eq!(app.screen, Screen::Threats);
    let purpose = NodeList::Events {
        threat: bucket.clone(),
    };
    assert!(matches!(&app.mode, Mode::Nodes { purpose: p, .. } if *p == purpose));
    let listed: Vec<String> = app
        .node_choices(&purpose, "")
        .into_iter()
        .map(|(id, label)| format!("{id} {label}"))
        .collect();
    assert_eq!(
        listed,
        [
            "e-static-keys Static deploy key stolen, in Customer data breach",
            "e-bucket Bucket misconfigured, in Customer data breach",
        ]
    );
    let shown = screen(&mut app, 120, 36);
    assert!(
        shown.contains("Events standing for unencrypted-bucket"),
        "{shown}"
    );
    // Typing narrows the list; Enter goes to the event chosen.
    typed(&mut app, "misconf");
    assert_eq!(app.screen, Screen::FaultTrees);
    assert_eq!(node_at_cursor(&app), "e-bucket");
    assert!(matches!(app.mode, Mode::Normal));
}

/// Typing `typed` leaves the app on `screen`, saying something containing `says`.
fn stays_saying(app: &mut App, typed: &str, screen: Screen, says: &str) {
    keys(app, typed);
    assert_eq!(app.screen, screen);
    assert!(app.message.contains(says), "{}", app.message);
}

#[test]
fn z_folds_the_tree_to_an_overview_and_shift_z_unfolds_it() {
    // On R, under E5 under E4 under E3 under E2.
    let mut app = tank_at("R");
    keys(&mut app, "z");
    let shown: Vec<String> = app.outline().iter().map(|r| r.id.to_string()).collect();
    assert_eq!(shown, ["E1", "T", "E2"]);
    // The cursor is on the nearest gate above R still shown.
    assert_eq!(node_at_cursor(&app), "E2");
    keys(&mut app, "Z");
    assert_eq!(app.outline().len(), 11);
    assert_eq!(node_at_cursor(&app), "E2");
}

#[test]
fn a_deleted_threat_leaves_its_events_the_probability_they_had() {
    let mut app = app_with(bundled("serverless-webapp.ron"));
    keys(&mut app, "5");
    let before = top_probability(&app);
    keys(&mut app, "2");
    let row = app
        .threat_rows()
        .iter()
        .position(|&i| app.model.threats[i].id.as_str() == "unencrypted-bucket")
        .expect("listed");
    app.threats_view.cursor = row;
    keys(&mut app, "x");
    assert!(app.model.threat("unencrypted-bucket").is_none());
    let event = app.model.fault_trees[0]
        .events
        .iter()
        .find(|e| e.id.as_str() == "e-bucket")
        .expect("kept");
    let rare = app.model.calibration.probability(Likelihood::Rare);
    assert_eq!(event.probability, Probability::Fixed(rare));
    keys(&mut app, "5");
    assert_eq!(top_probability(&app), before);
}

#[test]
fn page_keys_and_home_and_end_move_through_long_lists() {
    let mut app = app_with(bundled("pressure-tank.ron"));
    keys(&mut app, "5");
    // A page is what the screen shows of the list: four rows here.
    app.view_size = (80, 7);
    let at = |app: &mut App, code| {
        key(app, code);
        app.tree.cursor
    };
    assert_eq!(at(&mut app, KeyCode::PageDown), 4);
    assert_eq!(at(&mut app, KeyCode::PageDown), 8);
    assert_eq!(at(&mut app, KeyCode::PageDown), 10);
    assert_eq!(at(&mut app, KeyCode::PageUp), 6);
    assert_eq!(at(&mut app, KeyCode::Home), 0);
    assert_eq!(at(&mut app, KeyCode::End), 10);
    // The threats and actors lists page the same way.
    let mut app = app_with(bundled("serverless-webapp.ron"));
    app.view_size = (80, 7);
    keys(&mut app, "2");
    let threats = app.model.threats.len();
    assert!(threats > 5, "{threats}");
    key(&mut app, KeyCode::End);
    assert_eq!(app.threats_view.cursor, threats - 1);
    key(&mut app, KeyCode::PageUp);
    assert_eq!(app.threats_view.cursor, threats - 5);
    keys(&mut app, "4");
    key(&mut app, KeyCode::End);
    assert_eq!(app.actor_cursor, app.model.actors.len() - 1);
    key(&mut app, KeyCode::Home);
    assert_eq!(app.actor_cursor, 0);
}

#[test]
fn an_existing_node_is_shared_under_another_gate() {
    let mut app = app_with(bundled("pressure-tank.ron"));
    // E5, under E4 under E3: the pressure switch S, an input of E3, fails there too.
    keys(&mut app, "5jjjjjjjj");
    keys(&mut app, "a");
    let Mode::Nodes { purpose, .. } = &app.mode else {
        panic!("{:?}", app.mode)
    };
    assert_eq!(*purpose, NodeList::Share { under: "E5".into() });
    // Gates E5 is under are not offered (a cycle), nor its own inputs.
    let offered: Vec<String> = app
        .node_choices(purpose, "")
        .iter()
        .map(|(id, _)| id.to_string())
        .collect();
    assert_eq!(offered, ["T", "K2", "S", "S1"]);
    // Typing finds it by its label.
    keys(&mut app, "pressure");
    let shown = screen(&mut app, 120, 36);
    assert!(
        shown.contains("● S  Pressure switch contacts fail to open"),
        "{shown}"
    );
    assert!(!shown.contains("K2  K2 relay"), "{shown}");
    key(&mut app, KeyCode::Enter);
    assert_eq!(inputs(&app, "E5"), ["K1", "R", "S"]);
    assert_eq!(inputs(&app, "E3"), ["S", "E4"]);
    // E3 = S ∧ (S1 ∨ K1 ∨ R ∨ S) = S: the top is T ∨ K2 ∨ S.
    let p = top_probability(&app);
    let expected = 1.0 - (1.0 - 5e-6) * (1.0 - 3e-5) * (1.0 - 1e-4);
    assert!((p - expected).abs() < 1e-15, "{p} vs {expected}");
    // The cursor is on S under E5; x there takes it from E5 only.
    let before = top_probability(&app_with(bundled("pressure-tank.ron")));
    keys(&mut app, "x");
    assert_eq!(inputs(&app, "E5"), ["K1", "R"]);
    assert_eq!(inputs(&app, "E3"), ["S", "E4"]);
    assert!(
        app.model.fault_trees[0]
            .events
            .iter()
            .any(|e| e.id.as_str() == "S")
    );
    assert_eq!(top_probability(&app), before);
    // Nothing matching: nothing added, and Esc leaves.
    keys(&mut app, "kkkkkkkkkkkkae");
    keys(&mut app, "zzz");
    assert!(screen(&mut app, 120, 36).contains("no node matches"));
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.mode, Mode::Normal);
    assert!(app.model.validate().is_empty());
}

#[test]
fn a_house_event_is_added_and_switched_from_the_outline() {
    let mut app = app_with(bundled("pressure-tank.ron"));
    let before = top_probability(&app);
    // Under E5: the timer is bypassed for maintenance, a condition rather than a failure.
    keys(&mut app, "5jjjjjjjjh");
    typed(&mut app, "Timer bypassed for maintenance");
    let house = &app.model.fault_trees[0].house_events;
    assert_eq!(house.len(), 1);
    assert!(!house[0].state);
    assert_eq!(
        inputs(&app, "E5"),
        ["K1", "R", "timer-bypassed-for-maintenance"]
    );
    assert_eq!(
        top_probability(&app),
        before,
        "a false house event changes nothing"
    );
    // Switched on in its form, E5 is certain: the top is T ∨ K2 ∨ S.
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Esc);
    assert!(app.model.fault_trees[0].house_events[0].state);
    let expected = 1.0 - (1.0 - 5e-6) * (1.0 - 3e-5) * (1.0 - 1e-4);
    let p = top_probability(&app);
    assert!((p - expected).abs() < 1e-15, "{p} vs {expected}");
    assert!(app.model.validate().is_empty());
}

#[test]
fn an_event_uncertainty_is_set_in_its_form() {
    let mut app = app_with(bundled("pressure-tank.ron"));
    let uncertainty = |app: &App, id: &str| {
        let events = &app.model.fault_trees[0].events;
        events
            .iter()
            .find(|e| e.id.as_str() == id)
            .expect("event")
            .uncertainty
    };
    // T, the second row: its form's third field.
    keys(&mut app, "5j");
    key(&mut app, KeyCode::Enter);
    keys(&mut app, "jj");
    key(&mut app, KeyCode::Enter);
    let Mode::Input { prompt, .. } = &app.mode else {
        panic!("{:?}", app.mode)
    };
    assert!(prompt.contains("lognormal MEDIAN EF"), "{prompt}");
    typed(&mut app, "lognormal 5e-6 3");
    assert_eq!(
        uncertainty(&app, "T"),
        Some(Distribution::Lognormal {
            median: 5e-6,
            error_factor: 3.0
        })
    );
    // A median above 1 is no probability's: refused, nothing changed.
    key(&mut app, KeyCode::Enter);
    clear_input(&mut app);
    typed(&mut app, "lognormal 2 3");
    assert!(uncertainty(&app, "T").is_some_and(|d| d.to_string() == "lognormal 5e-6 3"));
    assert!(!app.message.is_empty());
    // Nothing clears it.
    key(&mut app, KeyCode::Enter);
    clear_input(&mut app);
    key(&mut app, KeyCode::Enter);
    assert_eq!(uncertainty(&app, "T"), None);
    assert!(app.model.validate().is_empty());
}

#[test]
fn the_top_gate_form_renames_the_tree() {
    let mut app = app_with(bundled("pressure-tank.ron"));
    keys(&mut app, "5");
    key(&mut app, KeyCode::Enter);
    keys(&mut app, "jjj");
    key(&mut app, KeyCode::Enter);
    clear_input(&mut app);
    typed(&mut app, "Tank rupture (NUREG-0492)");
    assert_eq!(app.model.fault_trees[0].name, "Tank rupture (NUREG-0492)");
    key(&mut app, KeyCode::Esc);
    assert!(screen(&mut app, 120, 36).contains("┌ Tank rupture (NUREG-0492) (1/1"));
    // A tree keeps a name: an empty one is refused.
    key(&mut app, KeyCode::Enter);
    keys(&mut app, "jjj");
    key(&mut app, KeyCode::Enter);
    clear_input(&mut app);
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.model.fault_trees[0].name, "Tank rupture (NUREG-0492)");
    // Other gates' forms have no tree fields.
    key(&mut app, KeyCode::Esc);
    keys(&mut app, "jj");
    key(&mut app, KeyCode::Enter);
    assert!(!screen(&mut app, 120, 36).contains("tree name"));
}

#[test]
fn the_side_panel_shows_the_spread_when_events_have_distributions() {
    // The pressure tank's timer relay R has a lognormal: the panel gives the top event's
    // spread, as `analyze --monte-carlo 10000 --seed 1` does.
    let mut app = app_with(bundled("pressure-tank.ron"));
    let opts = threatloom::analysis::fault_tree::Options {
        monte_carlo: Some((10_000, 1)),
        ..Default::default()
    };
    let r = threatloom::analysis::fault_tree::analyze(&app.model, "pressure-tank", &opts)
        .expect("analyses");
    let u = r.uncertainty.expect("sampled");
    let line = format!(
        "MC mean {:.3e} (5% {:.3e}, 95% {:.3e})",
        u.mean, u.p5, u.p95
    );
    let shown = screen(&mut app, 140, 36);
    assert!(shown.contains(&line), "{line}\n{shown}");
    // Without distributions, no line: nothing was sampled.
    let mut model = bundled("pressure-tank.ron");
    for e in &mut model.fault_trees[0].events {
        e.uncertainty = None;
    }
    let mut app = app_with(model);
    assert!(!screen(&mut app, 140, 36).contains("MC mean"));
    // A larger BDD (jbd9601, about 34 000 nodes) gets fewer samples, so that each edit's
    // sampling stays within 2·10⁸ node visits.
    let mut model = aralia("jbd9601");
    for e in &mut model.fault_trees[0].events {
        e.uncertainty = Some(Distribution::Lognormal {
            median: 0.01,
            error_factor: 3.0,
        });
    }
    let id = model.fault_trees[0].id.to_string();
    let (compiled, _) = threatloom::analysis::fault_tree::Compiled::with_nodes(
        &model,
        &id,
        &threatloom::tui::review::effort(),
    )
    .expect("solves");
    let nodes = compiled.solved.top_order.len();
    let a = threatloom::tui::review::analyse(&model, 0, 0, threatloom::tui::review::effort());
    let u = a.report.expect("report").uncertainty.expect("sampled");
    assert!(u.samples >= 1_000 && u.samples < 10_000, "{}", u.samples);
    assert!(u.samples * nodes <= 200_000_000, "{} × {nodes}", u.samples);
}

#[test]
fn a_fault_tree_another_uses_is_not_deleted() {
    // The pressure tank, and a second tree that reuses its gate E3.
    let mut model = bundled("pressure-tank.ron");
    let mut other = model.fault_trees[0].clone();
    other.id = threatloom::model::Id("tank-again".into());
    other.name = "Reuses E3".into();
    other.top = threatloom::model::Id("again-top".into());
    other.gates = vec![threatloom::model::Gate {
        id: other.top.clone(),
        label: String::new(),
        kind: GateKind::Or,
        inputs: vec![threatloom::model::Id("E3".into())],
    }];
    other.events.clear();
    other.house_events.clear();
    model.fault_trees.push(other);
    assert!(model.validate().is_empty(), "{:?}", model.validate());
    let mut app = app_with(model);
    keys(&mut app, "5xy");
    assert_eq!(app.model.fault_trees.len(), 2);
    assert!(
        app.message.contains("\"Reuses E3\" uses a node"),
        "{}",
        app.message
    );
}

#[test]
fn fault_tree_editing_recomputes_the_analysis() {
    let mut app = shop();
    keys(&mut app, "5");
    let p0 = top_probability(&app);
    // Add an event under the top gate: the top event can only become more likely.
    keys(&mut app, "e");
    typed(&mut app, "Support tool leaks exports");
    let event = app.model.fault_trees[0]
        .events
        .last()
        .expect("event")
        .id
        .clone();
    let p1 = top_probability(&app);
    assert!(p1 > p0, "{p1} > {p0}");
    // Set its probability through the form.
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    clear_input(&mut app);
    typed(&mut app, "0.2");
    let probability = |app: &App| {
        let events = &app.model.fault_trees[0].events;
        let ev = events.iter().find(|e| e.id == event).expect("event");
        ev.probability.clone()
    };
    assert_eq!(probability(&app), Probability::Fixed(0.2));
    // The prompt says what the field takes; a value it cannot take is refused, saying so,
    // and changes nothing.
    key(&mut app, KeyCode::Enter);
    let Mode::Input { prompt, .. } = &app.mode else {
        panic!("{:?}", app.mode)
    };
    assert!(
        prompt.contains("rate 1e-5 8760 (or 1e-5/h 1y) | threat ID"),
        "{prompt}"
    );
    clear_input(&mut app);
    typed(&mut app, "rate 2e-5 per hour");
    assert!(
        app.message
            .starts_with("not a valid probability: expected 0.01 | rate 1e-5 8760"),
        "{}",
        app.message
    );
    assert_eq!(probability(&app), Probability::Fixed(0.2));
    key(&mut app, KeyCode::Enter);
    clear_input(&mut app);
    typed(&mut app, "rate 2e-5 8760");
    let rate = Probability::Rate {
        lambda: 2e-5,
        mission_time: 8760.0,
    };
    assert_eq!(probability(&app), rate);
    key(&mut app, KeyCode::Esc);
    // Link it to a threat.
    keys(&mut app, "t");
    key(&mut app, KeyCode::Enter);
    let ev = app.model.fault_trees[0]
        .events
        .iter()
        .find(|e| e.id == event)
        .expect("event");
    assert!(matches!(ev.probability, Probability::Threat(_)));
    // Change the top gate's type and back. Only a vote has a k to edit.
    use threatloom::tui::form::{Value, fields};
    let top = app.model.fault_trees[0].gates[0].id.clone();
    let k = |app: &App| fields(&app.model, &top)[2].clone();
    assert_eq!(
        k(&app),
        (
            "k (vote)",
            Value::Choice("— (the gate is not a vote)".into())
        )
    );
    app.tree.cursor = 0;
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.model.fault_trees[0].gates[0].kind, GateKind::Vote(2));
    assert_eq!(k(&app), ("k (vote)", Value::Text("2".into())));
    // Delete the new event again.
    let pos = app
        .outline()
        .iter()
        .position(|r| r.id == event)
        .expect("in the outline");
    app.tree.cursor = pos;
    keys(&mut app, "x");
    assert!(
        app.model.fault_trees[0]
            .events
            .iter()
            .all(|e| e.id != event)
    );
    assert!(
        app.model.validate().is_empty(),
        "{:?}",
        app.model.validate()
    );
}

/// Opens the what-if on the fault-tree screen with the secrets-manager mitigation chosen;
/// returns its index.
fn what_if_on_secrets_manager(app: &mut App) -> usize {
    keys(app, "5m");
    let i = app
        .model
        .mitigations
        .iter()
        .position(|m| m.id.as_str() == "m-secrets-manager")
        .expect("m");
    for _ in 0..i {
        key(app, KeyCode::Down);
    }
    i
}

#[test]
fn what_if_shows_residual_risk_and_top_event_before_and_after() {
    let mut app = shop();
    let i = what_if_on_secrets_manager(&mut app);
    let p0 = top_probability(&app);
    key(&mut app, KeyCode::Enter);
    let p1 = top_probability(&app);
    assert!(p1 < p0, "implementing a control lowers the top event");
    let text = app.what_if_lines().join("\n");
    assert!(text.contains("in progress → implemented"), "{text}");
    assert!(
        text.contains(
            "Secrets hard-coded in function code or leaked to the repository: High → Medium"
        ),
        "{text}"
    );
    assert!(text.contains(&format!("{p0:.3e} → {p1:.3e}")), "{text}");
    key(&mut app, KeyCode::Enter); // and back, to where it was
    assert_eq!(
        app.model.mitigations[i].status,
        MitigationStatus::InProgress
    );
    // One implemented when the model was opened goes back to planned.
    let done = app
        .model
        .mitigations
        .iter()
        .position(|m| m.status == MitigationStatus::Implemented)
        .expect("an implemented mitigation");
    for _ in done..i {
        key(&mut app, KeyCode::Up);
    }
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        app.model.mitigations[done].status,
        MitigationStatus::Planned
    );
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        app.model.mitigations[done].status,
        MitigationStatus::Implemented
    );
}

#[test]
fn export_the_current_tree_from_the_palette() {
    let mut app = shop();
    keys(&mut app, "5:export_tree_dot /tmp/tree.dot");
    let effects = key(&mut app, KeyCode::Enter);
    assert!(
        matches!(&effects[..], [Effect::Export { text, .. }] if text.contains("shape=hexagon") && text.contains("p = "))
    );
}

#[test]
fn a_node_is_renamed_wherever_it_is_used() {
    let mut app = tank_at("S");
    keys(&mut app, "r");
    clear_input(&mut app);
    typed(&mut app, "pressure-switch");
    assert_eq!(inputs(&app, "E3"), ["pressure-switch", "E4"]);
    assert_eq!(node_at_cursor(&app), "pressure-switch");
    assert_eq!(app.message, "S is now pressure-switch");
    // A folded gate stays folded under its new id.
    let mut app = tank_at("E4");
    keys(&mut app, " r");
    clear_input(&mut app);
    typed(&mut app, "backup");
    assert_eq!(inputs(&app, "E3"), ["S", "backup"]);
    assert!(app.outline()[app.tree.cursor].folded);
    // An id already taken is refused, and nothing changes.
    keys(&mut app, "r");
    clear_input(&mut app);
    typed(&mut app, "K2");
    assert!(app.message.contains("already"), "{}", app.message);
    assert_eq!(inputs(&app, "E3"), ["S", "backup"]);
}

#[test]
fn cut_sets_and_importance_are_listed_in_full_and_lead_to_their_events() {
    let mut app = tank_at("E1");
    keys(&mut app, "c");
    let shown = screen(&mut app, 120, 36);
    assert!(
        shown.contains("5 minimal cut sets, most probable first"),
        "{shown}"
    );
    // {K2}, {T}, then {S, R} and {S, K1}, {S, S1}: each a share of the rare-event sum.
    let sum = 3e-5 + 5e-6 + 1e-4 * 1e-4 + 1e-4 * 3e-5 + 1e-4 * 3e-5;
    let first = format!("  1. 3.000e-5 {:>5.1}%  K2", 100.0 * 3e-5 / sum);
    assert!(shown.contains(&first), "{first}\n{shown}");
    assert!(shown.contains("  3. 1.000e-8"), "{shown}");
    // The second, {T}: Enter goes to T.
    keys(&mut app, "j");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(node_at_cursor(&app), "T");
    // Importance: every event, most important first; K2 leads.
    keys(&mut app, "i");
    let shown = screen(&mut app, 120, 36);
    assert!(
        shown.contains("Birnbaum        F-V        RAW        RRW"),
        "{shown}"
    );
    for e in ["K2", "T", "S", "R", "K1", "S1"] {
        assert!(shown.contains(&format!("║{e:<5}")), "{e}: {shown}");
    }
    key(&mut app, KeyCode::Enter);
    assert_eq!(node_at_cursor(&app), "K2");
}

#[test]
fn export_the_branch_under_the_selected_node_from_the_palette() {
    // E4 = S1 ∨ E5.
    let mut app = tank_at("E4");
    keys(&mut app, ":export_branch_dot /tmp/branch.dot");
    let effects = key(&mut app, KeyCode::Enter);
    let [Effect::Export { path, text }] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(path.to_str(), Some("/tmp/branch.dot"));
    for drawn in ["\"E4\" [", "\"S1\" [", "\"E5\" [", "\"R\" ["] {
        assert!(text.contains(drawn), "{drawn}:\n{text}");
    }
    for left in ["\"E3\" [", "\"S\" [", "\"T\" ["] {
        assert!(!text.contains(left), "{left}:\n{text}");
    }
    // Elsewhere than on a fault tree, it says what it needs.
    keys(&mut app, "2:export_branch_dot /tmp/branch.dot");
    assert!(key(&mut app, KeyCode::Enter).is_empty());
    assert!(app.message.contains("select the node"), "{}", app.message);
}

#[test]
fn a_narrow_threats_table_drops_whole_columns_and_keeps_status_and_decision() {
    let mut app = shop();
    keys(&mut app, "2");
    let header = |text: &str| text.lines().nth(2).unwrap_or_default().to_owned();
    let wide = screen(&mut app, 170, 36);
    for c in [
        "STRIDE", "Actors", "Inherent", "Mitig.", "Residual", "Status", "Decision",
    ] {
        assert!(header(&wide).contains(c), "{c}: {wide}");
    }
    let medium = screen(&mut app, 120, 36);
    assert!(!header(&medium).contains("Actors"), "{medium}");
    // The title keeps a quarter of the width: columns go before it is cut short.
    assert!(
        medium.contains("Over-privileged function roles "),
        "{medium}"
    );
    // Likelihood and impact come together or not at all; the detail pane has the rating.
    assert_eq!(
        header(&medium).contains(" L "),
        header(&medium).contains(" I "),
        "{medium}"
    );
    assert!(
        medium.contains("Rating: Probable × Major = H High  residual: "),
        "{medium}"
    );
    // The columns kept are shown whole.
    assert!(
        medium.contains("M Medium (pending) in progress"),
        "{medium}"
    );
    let narrow = screen(&mut app, 80, 24);
    for c in ["Risk", "Threat", "Status", "Decision"] {
        assert!(header(&narrow).contains(c), "{c}: {narrow}");
    }
    assert!(!header(&narrow).contains("Residual"), "{narrow}");
}

#[test]
fn snapshots_of_the_review_screens() {
    let mut app = shop();
    keys(&mut app, "2");
    insta::assert_snapshot!("threats_screen", screen(&mut app, 140, 40));
    key(&mut app, KeyCode::Enter);
    insta::assert_snapshot!("threat_form", screen(&mut app, 140, 40));
    // On a short terminal the form scrolls to the selected field and keeps its keys in view.
    // Up from the first field wraps to the last one, the mitigations.
    key(&mut app, KeyCode::Up);
    let text = screen(&mut app, 100, 20);
    assert!(text.contains("mitigations ‹"), "{text}");
    assert!(text.contains("Esc close"), "{text}");
    key(&mut app, KeyCode::Esc);
    keys(&mut app, "m");
    insta::assert_snapshot!("link_mitigations", screen(&mut app, 120, 36));
    key(&mut app, KeyCode::Esc);
    keys(&mut app, "3");
    insta::assert_snapshot!("matrix_cursor", screen(&mut app, 120, 36));
    keys(&mut app, "4");
    insta::assert_snapshot!("actors_screen", screen(&mut app, 120, 36));
    keys(&mut app, "6");
    insta::assert_snapshot!("assets_screen", screen(&mut app, 120, 36));
    keys(&mut app, "5");
    insta::assert_snapshot!("fault_tree_screen", screen(&mut app, 140, 36));
    keys(&mut app, "1w");
    insta::assert_snapshot!("walkthrough", screen(&mut app, 120, 36));
    key(&mut app, KeyCode::Esc);
    keys(&mut app, "V");
    insta::assert_snapshot!("all_suggestions", screen(&mut app, 120, 36));
    key(&mut app, KeyCode::Esc);
    // The walkthrough left a flow selected: the checklist is a component's.
    keys(&mut app, "nCy");
    insta::assert_snapshot!("checklist", screen(&mut app, 120, 36));
    key(&mut app, KeyCode::Esc);
    keys(&mut app, "R");
    insta::assert_snapshot!("to_do", screen(&mut app, 120, 36));
}

#[test]
fn a_long_suggestion_list_scrolls_to_the_selection_and_shows_it_whole() {
    let mut app = shop();
    keys(&mut app, "V");
    let list = app.suggestion_list(None);
    assert!(list.len() > 25, "{}", list.len());
    keys(&mut app, &"j".repeat(25));
    let text = screen(&mut app, 80, 24);
    // Its row, past the first screenful, is in view, and under the list its title and
    // rating whole, with why it is suggested.
    let s = &list[25];
    let whole = format!("{} ({} × {})", s.title, s.likelihood, s.impact);
    let letters = threatloom::model::Stride::letters(&s.stride);
    let row = format!(
        "{letters:<6} {}",
        s.title.chars().take(40).collect::<String>()
    );
    assert!(text.contains(&row), "the selection's row {row:?}: {text}");
    let flat: String = text
        .lines()
        .map(|l| l.trim_matches(|c| c == '"' || c == '║' || c == ' '))
        .collect::<Vec<_>>()
        .join(" ");
    assert!(flat.contains(&whole), "{whole}: {text}");
    assert!(flat.contains(&format!("rule {}", s.rule)), "{text}");
}

/// An Aralia tree, too large to analyse between two keys.
fn heavy_model() -> Model {
    aralia("edf9202")
}

/// Aralia tree `name`, imported.
fn aralia(name: &str) -> Model {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(format!("../shared/fta-bench/aralia/{name}.xml"));
    let text = std::fs::read_to_string(&path).expect("benchmark tree");
    threatloom::format::mef::import(
        vec![(path, text)],
        threatloom::format::mef::DEFAULT_MISSION_TIME,
    )
    .expect("imports")
}

/// Runs every queued job as the event loop's workers would, in order.
fn run_jobs(app: &mut App) -> Vec<Effect> {
    let jobs: Vec<Job> = app.jobs.drain(..).collect();
    jobs.into_iter()
        .flat_map(|j| app.job_done(jobs::work(j)))
        .collect()
}

#[test]
fn heavy_trees_are_analysed_off_the_ui_thread_and_show_computing() {
    let mut app = app_with(heavy_model());
    keys(&mut app, "5");
    assert!(
        app.tree.pending.is_some(),
        "too big to analyse while drawing"
    );
    assert!(screen(&mut app, 140, 30).contains("computing…"));
    // A long analysis shows how long it has taken.
    if let Some(p) = app.tree.pending.as_mut() {
        p.since = p
            .since
            .checked_sub(std::time::Duration::from_secs(12))
            .expect("an instant 12 s back");
    }
    assert!(screen(&mut app, 140, 30).contains("computing… 12 s"));
    // And the phase the worker says it is in, through the job's progress.
    let progress = match &app.jobs[0] {
        Job::Analyse { progress, .. } => progress.clone(),
        other => panic!("{other:?}"),
    };
    progress.0.set(Phase::Compiling(3_200_000));
    assert!(screen(&mut app, 140, 30).contains("solving: BDDs of up to 3.2 M nodes"));
    // Queued once, however often the screen is drawn or keys come.
    keys(&mut app, "jk");
    assert_eq!(app.jobs.len(), 1);
    // What the worker computes arrives and is shown; a stale result is dropped.
    let stale = threatloom::tui::review::analyse(
        &app.model,
        0,
        app.generation + 1,
        threatloom::tui::review::effort(),
    );
    app.job_done(Done::Analysis(Box::new(stale)));
    assert!(app.tree.pending.is_some());
    run_jobs(&mut app);
    assert!(app.tree.pending.is_none());
    assert!(screen(&mut app, 140, 30).contains("P(top) = 7.813025e-1"));
    assert_eq!(
        progress.0.get(),
        Some(Phase::CutSets),
        "the worker told its phases"
    );
}

#[test]
fn a_tree_too_large_to_solve_still_shows_what_is_known_of_its_nodes() {
    use threatloom::analysis::fault_tree::{Effort, node_probabilities};
    let mut app = app_with(aralia("jbd9601"));
    keys(&mut app, "5");
    // The outline's rows: (probability column, id).
    let rows = |shown: &str| -> Vec<(String, String)> {
        shown
            .lines()
            .filter_map(|l| l.split('│').nth(1))
            .filter_map(|cell| {
                let p: String = cell.chars().take(9).collect();
                let rest: String = cell.chars().skip(9).collect();
                let id = rest.split_whitespace().nth(1)?;
                Some((p, id.to_owned()))
            })
            .collect()
    };
    // While the worker computes, nothing is known yet.
    let shown = screen(&mut app, 140, 30);
    let before = rows(&shown);
    assert!(
        !before.is_empty() && before.iter().all(|(p, _)| p == "      …  "),
        "{shown}"
    );
    // Within a budget too small for it, the tree is approximated from its cut sets...
    let effort = Effort {
        max_nodes: Some(50_000),
        ..Effort::default()
    };
    let small = threatloom::tui::review::analyse(&app.model, 0, app.generation, effort);
    app.job_done(Done::Analysis(Box::new(small)));
    assert!(app.tree.pending.is_none());
    let shown = screen(&mut app, 140, 30);
    assert!(shown.contains("too large to solve exactly"), "{shown}");
    // ...and the outline gives every event's probability, and each gate's that fits on its
    // own, as the whole tree solved gives it; the others are marked unknown, not to come.
    let exact = node_probabilities(&app.model, "jbd9601", &Effort::default()).expect("solves");
    let is_event = |id: &str| {
        app.model.fault_trees[0]
            .events
            .iter()
            .any(|e| e.id.as_str() == id)
    };
    let rows = rows(&shown);
    assert!(rows.len() > 20, "{shown}");
    let (mut events, mut gates, mut unknown) = (0, 0, 0);
    for (p, id) in &rows {
        if p == "      —  " {
            assert!(!is_event(id), "{id}: {shown}");
            unknown += 1;
        } else {
            assert_eq!(
                *p,
                format!("{:9.3e}", exact[&threatloom::model::Id::new(id)]),
                "{id}: {shown}"
            );
            if is_event(id) {
                events += 1
            } else {
                gates += 1
            }
        }
    }
    assert!(events > 0 && gates > 0 && unknown > 0, "{shown}");
    assert_eq!(
        rows[0],
        ("      —  ".to_owned(), "r1".to_owned()),
        "{shown}"
    );
    let legend = "— in the outline: too large to solve alone";
    assert!(shown.contains(legend), "{shown}");
    // Solved whole, every node has its probability, and the panel has nothing to explain.
    let whole = threatloom::tui::review::analyse(
        &app.model,
        0,
        app.generation,
        threatloom::tui::review::effort(),
    );
    app.job_done(Done::Analysis(Box::new(whole)));
    let shown = screen(&mut app, 140, 30);
    assert!(shown.contains("P(top) = 7.550906e-1"), "{shown}");
    assert!(!shown.contains(legend) && !shown.contains(" — "), "{shown}");
}

#[test]
fn an_edit_stops_the_worker_still_analysing_the_older_version() {
    let mut app = app_with(heavy_model());
    keys(&mut app, "5");
    let stop_of = |job: &Job| match job {
        Job::Analyse { stop, .. } => stop.clone(),
        other => panic!("{other:?}"),
    };
    let first = stop_of(&app.jobs[0]);
    assert!(!first.raised());
    // Under the gate below the top, a pass-through (NULL) that takes no second input.
    keys(&mut app, "je");
    typed(&mut app, "Late event");
    assert!(
        first.raised(),
        "the older version's worker gives up: {}",
        app.message
    );
    assert_eq!(app.jobs.len(), 2);
    assert!(!stop_of(&app.jobs[1]).raised());
    // The stopped worker's answer is dropped; the new version's is shown.
    run_jobs(&mut app);
    assert!(app.tree.pending.is_none());
    let shown = screen(&mut app, 140, 30);
    assert!(shown.contains("P(top) = "), "{shown}");
    assert!(!shown.contains("stopped"), "{shown}");
}

#[test]
fn exporting_a_heavy_tree_waits_for_its_analysis() {
    let mut app = app_with(heavy_model());
    keys(&mut app, "5:export_tree_dot /tmp/heavy.dot");
    let effects = key(&mut app, KeyCode::Enter);
    assert!(effects.is_empty(), "nothing computed on the UI thread");
    assert!(
        app.message.contains("exporting after analysis"),
        "{}",
        app.message
    );
    let effects = run_jobs(&mut app);
    assert!(
        matches!(&effects[..], [Effect::Export { path, text }]
            if path.ends_with("heavy.dot") && text.contains("p = 7.813e-1")),
        "{effects:?}"
    );
}

#[test]
fn what_if_on_heavy_trees_computes_top_events_off_the_ui_thread() {
    // The shop's tree, linked to its threats, beside a benchmark tree: too heavy to redo
    // between two keys.
    let mut model = bundled("serverless-webapp.ron");
    model.fault_trees.extend(heavy_model().fault_trees);
    let mut app = app_with(model);
    what_if_on_secrets_manager(&mut app);
    key(&mut app, KeyCode::Enter);
    let text = app.what_if_lines().join("\n");
    assert!(
        text.contains("High → Medium"),
        "threat levels at once: {text}"
    );
    assert!(text.ends_with("top events: computing…"), "{text}");
    // Toggled back before the worker is done: the first worker is told to stop, and its
    // result is stale and dropped.
    let first: Vec<Job> = app.jobs.drain(..).collect();
    key(&mut app, KeyCode::Enter);
    let what_if_stop = |jobs: &[Job]| {
        jobs.iter()
            .find_map(|j| match j {
                Job::TopEvents { stop, .. } => Some(stop.clone()),
                _ => None,
            })
            .expect("a what-if job")
    };
    assert!(what_if_stop(&first).raised());
    assert!(!what_if_stop(&app.jobs).raised());
    for j in first {
        app.job_done(jobs::work(j));
    }
    assert!(app.what_if_lines().join("\n").ends_with("computing…"));
    run_jobs(&mut app);
    let text = app.what_if_lines().join("\n");
    assert!(text.contains("implemented → in progress"), "{text}");
    assert!(
        text.contains("top event:") && !text.contains("computing"),
        "{text}"
    );
}

/// A ladder whose every gate feeds both gates of the next rung: unfolded as a tree it has
/// about 2^rungs lines.
fn ladder(rungs: usize) -> Model {
    use threatloom::model::{BasicEvent, FaultTree, Gate, Id};
    let gate = |id: String, kind, inputs: [String; 2]| Gate {
        id: Id::new(id),
        label: String::new(),
        kind,
        inputs: inputs.map(Id::new).to_vec(),
    };
    let mut gates = Vec::new();
    let mut below = ["a".to_string(), "b".to_string()];
    for i in 0..rungs {
        gates.push(gate(format!("and{i}"), GateKind::And, below.clone()));
        gates.push(gate(format!("or{i}"), GateKind::Or, below.clone()));
        below = [format!("and{i}"), format!("or{i}")];
    }
    let event = |id: &str| BasicEvent {
        id: Id::new(id),
        label: String::new(),
        probability: Probability::Fixed(0.1),
        uncertainty: None,
    };
    let mut m = Model::new("ladder");
    m.fault_trees.push(FaultTree {
        id: Id::new("ft"),
        name: "ladder".into(),
        description: String::new(),
        top: Id::new(format!("and{}", rungs - 1)),
        gates,
        events: vec![event("a"), event("b")],
        house_events: Vec::new(),
    });
    m
}

#[test]
fn shared_gates_show_their_inputs_once_so_the_outline_stays_small() {
    let rungs = 20;
    let mut app = app_with(ladder(rungs));
    keys(&mut app, "5");
    let rows = app.outline();
    // The top, then every input of each gate reached (all but the other top-rung gate),
    // each once: not the 2^20 lines of the unfolded tree.
    let gates_shown = 2 * rungs - 1;
    assert_eq!(rows.len(), 1 + 2 * gates_shown);
    for (i, r) in rows.iter().enumerate() {
        let deeper_next = rows.get(i + 1).is_some_and(|n| n.depth > r.depth);
        assert_eq!(
            deeper_next,
            !r.repeat && r.id.as_str() != "a" && r.id.as_str() != "b"
        );
    }
    let expanded: std::collections::HashSet<&str> = rows
        .iter()
        .filter(|r| !r.repeat && r.id.as_str().len() > 1)
        .map(|r| r.id.as_str())
        .collect();
    assert_eq!(
        expanded.len(),
        gates_shown,
        "each gate expanded exactly once"
    );
    // A repeated gate says where its inputs are.
    let first_repeat = rows.iter().position(|r| r.repeat).expect("a repeat");
    app.tree.cursor = first_repeat;
    let shown = screen(&mut app, 120, 30);
    let line = format!(
        "{}› ↑ and0 [AND] ◆shared, see above",
        rows[first_repeat].depth
    );
    assert!(shown.contains(&line), "{shown}");
}

#[test]
fn importance_columns_stay_aligned_under_long_event_ids() {
    use threatloom::model::Id;
    let long = Id::new("e-support-tool-leaks-customer-exports");
    let mut m = ladder(1);
    let t = &mut m.fault_trees[0];
    t.events[0].id = long.clone();
    for g in &mut t.gates {
        for i in &mut g.inputs {
            if i.as_str() == "a" {
                *i = long.clone();
            }
        }
    }
    let mut app = app_with(m);
    keys(&mut app, "5");
    let shown = screen(&mut app, 120, 30);
    let rows: Vec<&str> = shown
        .lines()
        .skip_while(|l| !l.contains("importance (F-V, RAW)"))
        .skip(1)
        .take(2)
        .collect();
    assert!(
        rows.iter()
            .any(|r| r.contains("e-support-tool-leaks-cu… 1.00e0")),
        "{shown}"
    );
    let column = |row: &str| {
        row[..row.find(" 1.00e0").expect("a F-V value")]
            .chars()
            .count()
    };
    assert_eq!(column(rows[0]), column(rows[1]), "{shown}");
}

#[test]
fn a_tree_too_large_to_solve_shows_approximations_from_its_cut_sets() {
    use threatloom::analysis::fault_tree::{GraphError, Options, approximate};
    let mut app = app_with(bundled("pressure-tank.ron"));
    keys(&mut app, "5");
    let id = app.model.fault_trees[0].id.to_string();
    let opts = Options {
        max_sets: 5,
        ..Options::default()
    };
    let start = std::time::Instant::now();
    let approx =
        approximate(&app.model, &id, &opts, start, GraphError::TooLarge(1)).expect("coherent");
    let analysis = app.tree.analysis.as_mut().expect("analysed");
    let exact = analysis.report.as_ref().expect("solved").clone();
    // The same cut sets, found without the BDD.
    assert_eq!(approx.cut_sets, exact.cut_sets);
    assert!((approx.rare_event - exact.rare_event).abs() <= 1e-15 * exact.rare_event);
    analysis.report = Ok(approx);
    let shown = screen(&mut app, 120, 36);
    for expected in [
        "too large to solve exactly",
        "approximations from all its minimal cut sets:",
        &format!("rare event {:.3e}", exact.rare_event),
        "importance from cut sets (F-V, RAW):",
    ] {
        assert!(shown.contains(expected), "{expected}: {shown}");
    }
    assert!(!shown.contains("P(top)"), "{shown}");
}

#[test]
fn an_inner_flow_reviewed_in_the_walk_is_ticked_off_on_the_diagram_too() {
    let mut app = shop();
    let shown = screen(&mut app, 120, 36);
    // An inner flow whose whole label is in view, unmarked (and not a box's name too).
    let named = |label: &str| app.model.components.iter().any(|c| c.name == label);
    let inner = (app.model.flows.iter())
        .find(|f| {
            !app.model.crosses_boundary(f)
                && !named(&f.label)
                && shown.contains(&format!(" {} ", f.label))
        })
        .expect("an inner flow in view")
        .clone();
    assert!(!inner.reviewed());
    assert!(!shown.contains(&format!("✓ {}", inner.label)), "{shown}");
    keys(&mut app, "wa");
    while app.selected.as_ref() != Some(&inner.id) {
        key(&mut app, KeyCode::Down);
    }
    keys(&mut app, "r");
    assert!(app.model.flow(inner.id.as_str()).expect("flow").reviewed());
    key(&mut app, KeyCode::Esc);
    let ticked = screen(&mut app, 120, 36);
    assert!(ticked.contains(&format!("✓ {}", inner.label)), "{ticked}");
}

#[test]
fn a_box_s_threat_flag_takes_the_colour_of_its_worst_open_threat() {
    use threatloom::model::RiskLevel;
    let mut app = shop();
    for (id, badge) in &app.badges {
        let open = app.model.threats.iter().filter(|t| !t.status.is_closed());
        let worst = open
            .filter(|t| t.targets.contains(id))
            .map(|t| app.model.current_level(t))
            .max();
        assert_eq!(badge.worst, worst, "{id}");
    }
    // A component with a high open threat: its flag is drawn in the colour of high risk.
    let (id, badge) = (app.badges.iter())
        .filter(|(id, b)| b.worst == Some(RiskLevel::High) && app.model.component(id).is_some())
        .map(|(id, b)| (id.clone(), *b))
        .min_by_key(|(id, _)| id.to_string())
        .expect("a component with a high open threat");
    while app.selected.as_ref() != Some(&id) {
        keys(&mut app, "n");
    }
    let flag = format!("⚑{} ", badge.threats);
    let shown = screen(&mut app, 140, 40);
    let name = &app.model.component(id.as_str()).expect("c").name;
    // The flag on the top border of the box whose name is on the line under it.
    let lines: Vec<&str> = shown.lines().collect();
    let (y, x) = (1..lines.len())
        .find_map(|y| {
            let under = lines[y].trim_matches('"');
            let column = under.find(name.as_str())?;
            let border = lines[y - 1].trim_matches('"');
            let at = border.find(&flag)?;
            let (cn, cf) = (
                under[..column].chars().count(),
                border[..at].chars().count(),
            );
            (cf > cn && cf < cn + 24).then_some((y - 1, cf))
        })
        .expect("the flag above the name");
    let mut term =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(140, 40)).expect("terminal");
    term.draw(|f| threatloom::tui::views::render(f, &app))
        .expect("draw");
    let cell = &term.backend().buffer()[(x as u16, y as u16)];
    assert_eq!(cell.symbol(), "⚑");
    assert_eq!(cell.fg, app.theme.risk_high);
}

#[test]
fn t_on_the_diagram_lists_the_threats_against_the_selection() {
    let mut app = shop();
    let against = |app: &App, id: &str| -> Vec<String> {
        let mut v: Vec<String> = (app.model.threats.iter())
            .filter(|t| t.targets.iter().any(|x| x.as_str() == id))
            .map(|t| t.id.to_string())
            .collect();
        v.sort();
        v
    };
    let shown = |app: &App| -> Vec<String> {
        let mut v: Vec<String> = (app.threat_rows().iter())
            .map(|&i| app.model.threats[i].id.to_string())
            .collect();
        v.sort();
        v
    };
    // A component, and a flow with threats of its own.
    let flow = (app.model.flows.iter())
        .find(|f| !against(&app, f.id.as_str()).is_empty())
        .expect("a flow with threats")
        .id
        .clone();
    for id in ["uploads-fn", flow.as_str()] {
        keys(&mut app, "1");
        app.selected = Some(id.into());
        keys(&mut app, "T");
        assert_eq!(app.screen, Screen::Threats);
        assert_eq!(app.threats_view.filter, format!("target:{id}"));
        let expected = against(&app, id);
        assert!(!expected.is_empty());
        assert_eq!(shown(&app), expected, "{id}");
        let name = app.model.name_or_id(id);
        assert!(
            app.message
                .starts_with(&format!("{} threat", expected.len()))
        );
        assert!(app.message.contains(&name), "{}", app.message);
    }
    // A boundary: what is in it or crosses it.
    keys(&mut app, "1");
    app.selected = Some("vpc".into());
    assert!(app.model.boundary("vpc").is_some());
    keys(&mut app, "T");
    assert_eq!(app.threats_view.filter, "boundary:vpc");
    assert_eq!(
        shown(&app),
        ["card-data-scope", "secrets-in-code", "static-keys"]
    );
    assert!(
        app.message.contains("in or across Payments VPC"),
        "{}",
        app.message
    );
    // An element nothing is recorded against: the diagram stays, saying how to record one.
    keys(&mut app, "1");
    let bare = (app.model.components.iter())
        .find(|c| against(&app, c.id.as_str()).is_empty())
        .expect("a component without threats")
        .clone();
    app.selected = Some(bare.id.clone());
    keys(&mut app, "T");
    assert_eq!(app.screen, Screen::Diagram);
    assert_eq!(
        app.message,
        format!(
            "no threat recorded against {} yet: t records one",
            bare.name
        )
    );
    // Nothing selected: nothing to list.
    app.selected = None;
    keys(&mut app, "T");
    assert_eq!(app.screen, Screen::Diagram);
}

#[test]
fn assets_are_added_placed_listed_with_their_threats_and_deleted_on_their_screen() {
    let mut app = shop();
    keys(&mut app, "6");
    assert_eq!(app.screen, Screen::Assets);
    // The first asset's threats: against it, and against where it is stored.
    let first = app.model.assets[0].clone();
    let direct = app.model.threats_against(&first.id).len();
    let through: Vec<String> = (app.model.threats.iter())
        .filter(|t| !t.targets.contains(&first.id))
        .filter(|t| t.targets.iter().any(|x| first.stored_in.contains(x)))
        .map(|t| t.title.clone())
        .collect();
    assert!(direct > 0 && !through.is_empty());
    let shown = screen(&mut app, 140, 40);
    assert!(shown.contains("Through where it is stored:"), "{shown}");
    for title in &through {
        assert!(shown.contains(title.as_str()), "{title}:\n{shown}");
    }
    // A new one, placed by naming components, classified.
    let n = app.model.assets.len();
    keys(&mut app, "n");
    typed(&mut app, "Audit logs");
    assert_eq!(app.model.assets.len(), n + 1);
    assert_eq!(app.asset_cursor, n);
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.mode, Mode::Form { .. }));
    for _ in 0..2 {
        key(&mut app, KeyCode::Down);
    }
    key(&mut app, KeyCode::Enter); // classification: confidential → secret
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    clear_input(&mut app);
    typed(&mut app, "function logs, audit-log");
    let audit = app.model.assets[n].clone();
    assert_eq!(
        audit.classification,
        threatloom::model::Classification::Secret
    );
    let stored: Vec<&str> = audit.stored_in.iter().map(|x| x.as_str()).collect();
    assert_eq!(stored, ["app-logs", "audit-log"]);
    // A component no one has is refused, and nothing changes.
    key(&mut app, KeyCode::Enter);
    clear_input(&mut app);
    typed(&mut app, "the moon");
    assert_eq!(app.model.assets[n].stored_in, audit.stored_in);
    assert!(app.message.contains("moon"), "{}", app.message);
    key(&mut app, KeyCode::Esc);
    // A threat against it; t lists it on the Threats screen.
    let t = app
        .model
        .threats
        .iter()
        .position(|t| t.targets.contains(&"app-logs".into()));
    let mut threat = app.model.threats[t.expect("a threat on the logs")].clone();
    threat.targets.push(audit.id.clone());
    let at = app
        .model
        .threats
        .iter()
        .position(|x| x.id == threat.id)
        .expect("i");
    app.model.threats[at] = threat.clone();
    keys(&mut app, "t");
    assert_eq!(app.screen, Screen::Threats);
    assert_eq!(app.threats_view.filter, format!("asset:{}", audit.id));
    // Against it, and against where it is stored.
    let mut rows: Vec<_> = (app.threat_rows().iter())
        .map(|&i| app.model.threats[i].id.clone())
        .collect();
    rows.sort();
    let mut expected: Vec<_> = (app.model.threats.iter())
        .filter(|t| {
            t.targets.contains(&audit.id) || t.targets.iter().any(|x| audit.stored_in.contains(x))
        })
        .map(|t| t.id.clone())
        .collect();
    expected.sort();
    assert!(expected.contains(&threat.id) && expected.len() > 1);
    assert_eq!(rows, expected);
    // Deleting it takes it out of its threats' targets; undo puts both back.
    keys(&mut app, "6");
    keys(&mut app, "x");
    assert_eq!(app.model.assets.len(), n);
    assert!(!app.model.threats[at].targets.contains(&audit.id));
    keys(&mut app, "u");
    assert_eq!(app.model.assets[n], audit);
    assert!(app.model.threats[at].targets.contains(&audit.id));
}

#[test]
fn a_threat_added_on_the_threats_screen_is_the_one_under_the_cursor() {
    let mut app = shop();
    keys(&mut app, "2");
    // Sorted by risk, and filtered to threats a new one is not among.
    keys(&mut app, "/");
    typed(&mut app, "status:mitigated");
    let first = app.current_threat();
    keys(&mut app, "n");
    typed(&mut app, "Webhook secret reused across environments");
    let new = app.model.threats.last().expect("added").id.clone();
    assert_ne!(first.as_ref(), Some(&new));
    assert_eq!(app.current_threat(), Some(new.clone()));
    assert!(
        app.message.contains("e links what it targets"),
        "{}",
        app.message
    );
    // What the next keys act on is the new threat: `l` rates it, `e` links its targets.
    let before = app.model.threat(new.as_str()).expect("t").likelihood;
    keys(&mut app, "l");
    assert_ne!(
        app.model.threat(new.as_str()).expect("t").likelihood,
        before
    );
    keys(&mut app, "e");
    assert!(
        matches!(&app.mode, Mode::Pick { threat, .. } if *threat == new),
        "{:?}",
        app.mode
    );
}

#[test]
fn assets_nobody_has_threatened_are_left_to_review_and_r_goes_to_them() {
    let mut app = shop();
    let every_asset_considered = app.model.assets.iter().all(|a| {
        !app.model.threats_against(&a.id).is_empty()
            || !app.model.threats_through_stores(&a.id).is_empty()
    });
    assert!(every_asset_considered, "the bundled review has none left");
    keys(&mut app, "6");
    keys(&mut app, "n");
    typed(&mut app, "Gift card balances");
    let new = app.model.assets.last().expect("added").id.clone();
    keys(&mut app, "1R");
    let Mode::Changes { rows, .. } = app.mode.clone() else {
        panic!("{:?}", app.mode)
    };
    assert!(
        rows[0].text.contains(", 1 asset without threats."),
        "{}",
        rows[0].text
    );
    let at = (rows.iter())
        .position(|r| r.about == Some(("assets".into(), new.to_string())))
        .expect("its line");
    assert!(rows[at].text.contains("Gift card balances (confidential)"));
    assert!(
        rows[at - 1]
            .text
            .starts_with("1 asset no threat is recorded against")
    );
    if let Mode::Changes { cursor, .. } = &mut app.mode {
        *cursor = at;
    }
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.screen, Screen::Assets);
    assert_eq!(app.model.assets[app.asset_cursor].id, new);
    // The report's Still to review names it too.
    let report =
        threatloom::format::markdown::report(&app.model, &Default::default(), common::tui::today());
    assert!(report.contains(
        "Assets no threat is recorded against, nor against where they are stored (1):\n\n\
         - Gift card balances (confidential)\n"
    ));
}
