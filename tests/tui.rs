//! The TUI driven without a terminal: keys and actions in, state and rendered screens out.

mod common;
use common::tui::{app_with, bundled, key, keys, screen, shop, typed};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use threatloom::model::{ComponentKind, Model};
use threatloom::tui::action::Action;
use threatloom::tui::app::{App, Effect, Mode, NodeList, Screen};
use threatloom::tui::keymap::Keymap;
use threatloom::tui::theme::Theme;

/// The id of what is selected.
fn selected_id(app: &App) -> Option<&str> {
    app.selected.as_ref().map(|s| s.as_str())
}

fn select(app: &mut App, id: &str) {
    while selected_id(app) != Some(id) {
        keys(app, "n");
    }
}

// ---- snapshots of every screen and state ----

#[test]
fn snapshot_diagram() {
    insta::assert_snapshot!(screen(&mut shop(), 120, 36));
}

#[test]
fn snapshot_diagram_compact_and_panned() {
    let mut app = shop();
    app.update(Action::ToggleCompact);
    app.update(Action::PanRight);
    app.update(Action::PanDown);
    insta::assert_snapshot!(screen(&mut app, 120, 36));
}

#[test]
fn snapshot_iot_diagram() {
    insta::assert_snapshot!(screen(&mut app_with(bundled("iot-fleet.ron")), 120, 36));
}

#[test]
fn a_model_of_fault_trees_alone_opens_on_them_analysed() {
    let mut app = app_with(bundled("pressure-tank.ron"));
    assert_eq!(app.screen, Screen::FaultTrees);
    let tree = app.model.fault_trees[0].id.to_string();
    let p = threatloom::analysis::fault_tree::Compiled::new(&app.model, &tree)
        .expect("compiles")
        .probability();
    let text = screen(&mut app, 120, 36);
    assert!(text.contains(&format!("P(top) = {p:.6e}")), "{text}");
    assert_eq!(shop().screen, Screen::Diagram);
    assert_eq!(app_with(Model::new("Empty")).screen, Screen::Diagram);
}

#[test]
fn the_outline_does_not_repeat_a_label_that_is_the_id() {
    let mut app = app_with(bundled("pressure-tank.ron"));
    keys(&mut app, "e");
    typed(&mut app, "pump-x");
    let text = screen(&mut app, 120, 36);
    // The outline's row, without the side panel beside it.
    let line = text
        .lines()
        .find(|l| l.contains("● pump-x"))
        .and_then(|l| l.split("││").next())
        .unwrap_or_else(|| panic!("{text}"));
    assert_eq!(line.matches("pump-x").count(), 1, "{line}");
}

#[test]
fn snapshot_empty_model() {
    insta::assert_snapshot!(screen(&mut app_with(Model::new("Empty")), 100, 20));
}

#[test]
fn snapshot_help() {
    let mut app = shop();
    keys(&mut app, "?");
    assert_eq!(app.mode, Mode::Help { page: 0 });
    insta::assert_snapshot!(screen(&mut app, 140, 36));
    // At 120 columns the longest descriptions still fit.
    let text = screen(&mut app, 120, 36);
    assert!(
        text.contains("new trust boundary around marked elements"),
        "{text}"
    );
    // On another screen, the help lists that screen's keys.
    key(&mut app, KeyCode::Esc);
    keys(&mut app, "2?");
    let text = screen(&mut app, 140, 36);
    assert!(text.contains("sort by the next column"), "{text}");
    assert!(!text.contains("add a process"));
    let text = screen(&mut app, 120, 36);
    assert!(
        text.contains("decision:, stride:, actor:, risk:…"),
        "{text}"
    );
}

#[test]
fn a_small_terminal_pages_the_help_instead_of_cutting_it() {
    let mut app = shop();
    keys(&mut app, "?");
    // Every binding's description, whole, on one page or another.
    let mut pages = Vec::new();
    for _ in 0..3 {
        pages.push(screen(&mut app, 80, 24));
        keys(&mut app, " ");
    }
    assert!(pages[0].contains("Keys, page 1 of 3"), "{}", pages[0]);
    assert!(pages[2].contains("Keys, page 3 of 3"), "{}", pages[2]);
    let all = pages.concat();
    for description in [
        "quit (asks when there are unsaved changes)",
        "connect a flow from here (a flow: its end)",
        "walk through the boundary-crossing flows",
    ] {
        assert!(all.contains(description), "{description}: {all}");
    }
    // Space on the last page closes, as any other key does on any page.
    assert_eq!(app.mode, Mode::Normal);
    keys(&mut app, "?");
    screen(&mut app, 80, 24);
    keys(&mut app, " x");
    assert_eq!(app.mode, Mode::Normal);
    // Where the help fits one page, space closes it at once.
    keys(&mut app, "?");
    assert!(!screen(&mut app, 140, 36).contains("page 1 of"));
    keys(&mut app, " ");
    assert_eq!(app.mode, Mode::Normal);
}

#[test]
fn snapshot_palette_with_completion() {
    let mut app = shop();
    keys(&mut app, ":th");
    insta::assert_snapshot!(screen(&mut app, 120, 36));
}

#[test]
fn snapshot_component_form() {
    let mut app = shop();
    select(&mut app, "uploads-fn");
    key(&mut app, KeyCode::Enter);
    insta::assert_snapshot!(screen(&mut app, 120, 36));
}

#[test]
fn snapshot_flow_form() {
    let mut app = shop();
    select(&mut app, "api-gateway");
    keys(&mut app, "]");
    key(&mut app, KeyCode::Enter);
    insta::assert_snapshot!(screen(&mut app, 120, 36));
}

#[test]
fn snapshot_text_input() {
    let mut app = shop();
    keys(&mut app, "pFraud scor");
    insta::assert_snapshot!(screen(&mut app, 120, 36));
}

#[test]
fn on_the_narrowest_terminal_every_tab_shows_whole_and_the_name_gives_way() {
    let mut app = shop();
    let top = |app: &mut App, w, h| {
        screen(app, w, h)
            .lines()
            .next()
            .unwrap_or("")
            .trim_matches('"')
            .to_owned()
    };
    let wide = top(&mut app, 120, 36);
    assert!(
        wide.starts_with(" threatloom ") && wide.contains("5 Fault trees"),
        "{wide}"
    );
    // Without the name, then closed up, "Fault trees" as "Trees".
    let middle = top(&mut app, 70, 16);
    assert!(!middle.contains("threatloom"), "{middle}");
    assert!(middle.contains(" 5 Fault trees  6 Assets "), "{middle}");
    let narrow = top(&mut app, 60, 16);
    assert!(
        narrow.starts_with(" 1 Diagram 2 Threats 3 Matrix 4 Actors 5 Trees 6 Assets"),
        "{narrow}"
    );
}

#[test]
fn a_prompt_shows_its_whole_title_and_the_end_of_a_long_text() {
    let mut app = app_with(bundled("pressure-tank.ron"));
    // The uncertainty field of the first basic event: its prompt spells out four forms.
    keys(&mut app, "j");
    key(&mut app, KeyCode::Enter);
    keys(&mut app, "jj");
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.mode, Mode::Input { .. }));
    let text = screen(&mut app, 120, 36);
    assert!(text.contains("uniform LOW HIGH | nothing"), "{text}");
    let long = format!("lognormal 1e-3 3 {}end", "x".repeat(80));
    keys(&mut app, &long);
    let text = screen(&mut app, 120, 36);
    assert!(text.contains("xxend█"), "{text}");
}

#[test]
fn snapshot_delete_question() {
    let mut app = shop();
    select(&mut app, "orders-fn");
    keys(&mut app, "x");
    insta::assert_snapshot!(screen(&mut app, 120, 36));
}

#[test]
fn snapshot_boundary_chooser_and_connect_mode() {
    let mut app = shop();
    keys(&mut app, "i");
    insta::assert_snapshot!("boundary_chooser", screen(&mut app, 120, 36));
    key(&mut app, KeyCode::Esc);
    keys(&mut app, "c");
    insta::assert_snapshot!("connect_mode", screen(&mut app, 120, 36));
}

#[test]
fn snapshot_review_screens() {
    let mut app = shop();
    for (k, name) in [
        ('2', "threats"),
        ('3', "matrix"),
        ('4', "actors"),
        ('5', "fault_trees"),
    ] {
        keys(&mut app, &k.to_string());
        insta::assert_snapshot!(name, screen(&mut app, 120, 36));
    }
}

#[test]
fn actor_columns_fit_their_names_and_kinds() {
    // The bundled IoT model's burglar has a custom kind of 22 characters.
    let mut app = app_with(bundled("iot-fleet.ron"));
    keys(&mut app, "4");
    let wide = screen(&mut app, 120, 36);
    // The longest name has room too.
    assert!(wide.contains("Maintenance contractor insider"), "{wide}");
    assert!(wide.contains("opportunistic intruder medium"), "{wide}");
    // Narrow, the least needed columns go whole, and who and what kind stay readable.
    let narrow = screen(&mut app, 60, 20);
    assert!(
        narrow.contains("Burglar with a laptop  opportunistic intruder"),
        "{narrow}"
    );
    assert!(!narrow.contains("Resources"), "{narrow}");
}

#[test]
fn importance_rows_fit_a_narrow_side_panel() {
    let mut app = shop();
    keys(&mut app, "5");
    // Tall enough for the importance of the longest id.
    let narrow = screen(&mut app, 80, 30);
    // Each event's row keeps its two figures: a row that wrapped put RAW on the next line.
    for event in ["e-root-hijack", "e-malicious-dependency"] {
        let row = narrow
            .lines()
            .find(|l| l.contains(&format!("│ {event} ")))
            .unwrap_or_else(|| panic!("{event} in the panel: {narrow}"));
        assert!(row.contains("1.74"), "{row}");
    }
    // A rare top event's RAWs run to tens of thousands: they are written short, not wrapped.
    let mut app = app_with(bundled("pressure-tank.ron"));
    let narrow = screen(&mut app, 80, 24);
    let row = narrow
        .lines()
        .find(|l| l.contains("│ K2 "))
        .unwrap_or_else(|| panic!("K2 in the panel: {narrow}"));
    assert!(row.contains("8.57e-1  2.9e4│"), "{row}");
}

#[test]
fn the_side_panel_gives_its_rows_to_cut_sets_and_importance() {
    let mut app = shop();
    keys(&mut app, "5");
    let panel = |text: &str| -> Vec<String> {
        text.lines()
            .filter_map(|l| l.split("││").nth(1))
            .map(|l| l.trim_end_matches(['│', '"', ' ']).to_owned())
            .collect()
    };
    let report = app.tree.analysis.as_ref().expect("analysed").report.clone();
    let report = report.expect("solved");
    let sets = report.cut_sets.sets.len();
    assert_eq!(sets as u128, report.cut_sets.count);
    // Tall: every cut set and every event, and the heading says they are all there.
    let tall = panel(&screen(&mut app, 120, 36));
    let rows_after = |lines: &[String], heading: &str| -> usize {
        let at = lines.iter().position(|l| l.starts_with(heading));
        let at = at.unwrap_or_else(|| panic!("{heading}: {lines:#?}"));
        lines[at + 1..]
            .iter()
            .take_while(|l| l.starts_with(' '))
            .count()
    };
    assert_eq!(
        rows_after(&tall, &format!("{sets} minimal cut sets:")),
        sets
    );
    let events = report.importance.len();
    assert_eq!(rows_after(&tall, "importance"), events, "{tall:#?}");
    // Short: fewer of each, said so, and the keys at the bottom still whole.
    let short = panel(&screen(&mut app, 120, 20));
    let shown = rows_after(&short, &format!("{sets} minimal cut sets; most probable:"));
    assert!((1..sets).contains(&shown), "{short:#?}");
    assert!(
        (1..events).contains(&rows_after(&short, "importance")),
        "{short:#?}"
    );
    assert!(
        short.iter().any(|l| l.ends_with("n new tree")),
        "{short:#?}"
    );
}

#[test]
fn snapshot_small_terminal() {
    insta::assert_snapshot!(screen(&mut shop(), 50, 12));
}

#[test]
fn snapshot_questions() {
    let mut app = shop();
    app.offer_recovery("12 s ago");
    insta::assert_snapshot!("recovery", screen(&mut app, 100, 24));
    keys(&mut app, "n");
    app.disk_changed();
    insta::assert_snapshot!("disk_changed", screen(&mut app, 100, 24));
}

#[test]
fn recovered_edits_are_restored_or_discarded_never_left_undecided() {
    let mut app = shop();
    app.offer_recovery("12 s ago");
    // Esc would leave them to be overwritten by the next edit's recovery file.
    assert!(app.handle_key(KeyEvent::from(KeyCode::Esc)).is_empty());
    assert!(matches!(app.mode, Mode::Confirm { .. }), "{:?}", app.mode);
    assert!(
        app.message.contains("restore (y) or discard (n)"),
        "{}",
        app.message
    );
    assert!(screen(&mut app, 100, 24).contains("y restore  n discard"));
    assert_eq!(
        app.handle_key(KeyEvent::from(KeyCode::Char('y'))),
        [Effect::Restore]
    );
    assert_eq!(app.mode, Mode::Normal);
    app.offer_recovery("12 s ago");
    assert_eq!(
        app.handle_key(KeyEvent::from(KeyCode::Char('n'))),
        [Effect::DiscardRecovery]
    );
}

#[test]
fn undoing_back_to_the_saved_file_leaves_nothing_to_save() {
    let mut app = shop();
    select(&mut app, "orders-fn");
    keys(&mut app, "LL");
    assert!(app.dirty);
    keys(&mut app, "u");
    assert!(!app.dirty, "back to the file as opened");
    assert!(!screen(&mut app, 120, 36).contains("unsaved"));
    assert_eq!(
        app.update(Action::Quit),
        [Effect::Quit],
        "quits without asking"
    );
    app.update(Action::Redo);
    assert!(app.dirty);
    // Saved with the move, the file is that version: undoing the move is a change again.
    app.saved(Ok(threatloom::format::ron::Fingerprint::of(b"saved")));
    assert!(!app.dirty);
    keys(&mut app, "u");
    assert!(app.dirty);
    app.update(Action::Redo);
    assert!(!app.dirty);
    // So does an edit that comes back to it.
    keys(&mut app, "LH");
    assert!(!app.dirty, "moved there and back");
}

// ---- editing operations ----

#[test]
fn add_component_of_each_kind_names_and_selects_it() {
    let mut app = app_with(Model::new("t"));
    for (k, kind, name) in [
        ('p', ComponentKind::Process, "Api"),
        ('s', ComponentKind::DataStore, "Db"),
        ('e', ComponentKind::ExternalEntity, "User"),
    ] {
        keys(&mut app, &k.to_string());
        typed(&mut app, name);
        let c = app.model.components.last().expect("added");
        assert_eq!((c.name.as_str(), c.kind), (name, kind));
        assert_eq!(app.selected.as_ref(), Some(&c.id));
    }
    // New boxes do not overlap.
    let p: Vec<_> = app.model.components.iter().map(|c| c.position).collect();
    assert!(p[0] != p[1] && p[1] != p[2]);
    assert!(app.dirty);
}

#[test]
fn boxes_added_one_after_another_fill_the_screen_in_rows() {
    let mut app = app_with(Model::new("t"));
    let names = [
        "Shopper",
        "Storefront",
        "Checkout",
        "Orders DB",
        "Payments",
        "Fraud check",
    ];
    for name in names {
        screen(&mut app, 120, 36);
        keys(&mut app, "p");
        typed(&mut app, name);
    }
    let at: Vec<(i32, i32)> = app
        .model
        .components
        .iter()
        .map(|c| (c.position.x - app.viewport.0, c.position.y - app.viewport.1))
        .collect();
    // From the top left, four to a row of 120 columns, then on under the row's first box.
    assert_eq!(
        at,
        [(4, 2), (34, 2), (64, 2), (94, 2), (4, 9), (34, 9)],
        "{at:?}"
    );
    let s = screen(&mut app, 120, 36);
    for name in names {
        assert!(s.contains(name), "{name} in sight: {s}");
    }
}

#[test]
fn a_component_added_beside_another_joins_its_boundary() {
    let mut app = shop();
    select(&mut app, "payments-fn");
    keys(&mut app, "p");
    typed(&mut app, "Refunds function");
    let id = app.selected.clone().expect("selected");
    assert_eq!(
        app.model
            .boundary_of(id.as_str())
            .expect("in a boundary")
            .id
            .as_str(),
        "vpc"
    );
    // Its box overlaps no region of a boundary it is not in.
    let r = threatloom::tui::canvas::component_rect(
        app.model.component(id.as_str()).expect("c"),
        false,
    );
    let rects = threatloom::tui::canvas::boundary_rects(&app.model, false);
    for (b, br) in rects
        .iter()
        .filter(|(b, _)| !["vpc", "prod-account"].contains(&b.as_str()))
    {
        let overlap =
            r.x < br.x + br.w && br.x < r.x + r.w && r.y < br.y + br.h && br.y < r.y + r.h;
        assert!(!overlap, "{r:?} overlaps boundary {b} {br:?}");
    }
    app.update(Action::Undo);
    assert_eq!(app.model, bundled("serverless-webapp.ron"), "one undo step");
}

#[test]
fn d_duplicates_a_component_or_the_marked_ones_beside_them() {
    let mut app = shop();
    select(&mut app, "orders-fn");
    let flows = app.model.flows.len();
    keys(&mut app, "d");
    let copy = app.selected.clone().expect("the copy is selected");
    let c = app.model.component(copy.as_str()).expect("a component");
    assert_eq!(c.name, "Orders function 2");
    assert_eq!(
        app.model.boundary_of(copy.as_str()).map(|b| b.id.as_str()),
        app.model.boundary_of("orders-fn").map(|b| b.id.as_str())
    );
    // As many flows again as the original has, all on the copy.
    let attached = |id: &str| {
        app.model
            .flows
            .iter()
            .filter(|f| f.source.as_str() == id || f.target.as_str() == id)
            .count()
    };
    assert_eq!(app.model.flows.len() - flows, attached("orders-fn"));
    assert_eq!(attached(copy.as_str()), attached("orders-fn"));
    // On no other box.
    let r = threatloom::tui::canvas::component_rect(c, false);
    for other in app.model.components.iter().filter(|o| o.id != copy) {
        let o = threatloom::tui::canvas::component_rect(other, false);
        let overlap = r.x < o.x + o.w && o.x < r.x + r.w && r.y < o.y + o.h && o.y < r.y + r.h;
        assert!(!overlap, "{r:?} overlaps {}", other.id);
    }
    app.update(Action::Undo);
    assert_eq!(app.model, bundled("serverless-webapp.ron"), "one undo step");
    // Marked components go together, and their copies come out marked.
    select(&mut app, "kms");
    keys(&mut app, " ");
    select(&mut app, "audit-log");
    keys(&mut app, "d");
    assert_eq!(app.marks.len(), 2);
    assert_eq!(
        app.model.components.len(),
        bundled("serverless-webapp.ron").components.len() + 2
    );
}

#[test]
fn prompts_clear_the_line_and_delete_words_as_a_shell_does() {
    let ctrl = |c| crossterm::event::KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
    let mut app = shop();
    select(&mut app, "uploads-fn");
    keys(&mut app, "r");
    app.handle_key(ctrl('u'));
    keys(&mut app, "Invoice  parser v2");
    app.handle_key(ctrl('w'));
    typed(&mut app, "service");
    assert_eq!(
        app.model.component("uploads-fn").expect("c").name,
        "Invoice  parser service"
    );
    // The palette too; a control key is never typed in as a letter.
    keys(&mut app, ":");
    keys(&mut app, "no such");
    app.handle_key(ctrl('w'));
    app.handle_key(ctrl('x'));
    assert!(matches!(&app.mode, Mode::Palette { text, .. } if text == "no "));
    app.handle_key(ctrl('u'));
    assert!(matches!(&app.mode, Mode::Palette { text, .. } if text.is_empty()));
}

#[test]
fn rename_and_edit_properties_in_the_form() {
    let mut app = shop();
    select(&mut app, "uploads-fn");
    keys(&mut app, "r");
    for _ in 0.."Upload processor".len() {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "Invoice parser");
    assert_eq!(
        app.model.component("uploads-fn").expect("c").name,
        "Invoice parser"
    );
    key(&mut app, KeyCode::Enter); // open the form
    for _ in 0..13 {
        key(&mut app, KeyCode::Down); // "validates input"
    }
    assert!(
        !app.model
            .component("uploads-fn")
            .expect("c")
            .validates_input
    );
    key(&mut app, KeyCode::Enter);
    assert!(
        app.model
            .component("uploads-fn")
            .expect("c")
            .validates_input
    );
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter); // out of scope: a text field
    typed(&mut app, "legacy, retired in Q1");
    assert_eq!(
        app.model
            .component("uploads-fn")
            .expect("c")
            .out_of_scope
            .as_deref(),
        Some("legacy, retired in Q1")
    );
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.mode, Mode::Normal);
}

#[test]
fn delete_asks_when_flows_would_go_and_removes_them_all() {
    let mut app = shop();
    select(&mut app, "orders-fn");
    let flows_before = app.model.flows.len();
    keys(&mut app, "x");
    assert!(matches!(app.mode, Mode::Confirm { .. }));
    keys(&mut app, "n");
    assert!(app.model.component("orders-fn").is_some());
    keys(&mut app, "xy");
    assert!(app.model.component("orders-fn").is_none());
    assert_eq!(app.model.flows.len(), flows_before - 4);
    assert!(
        app.model.validate().is_empty(),
        "{:?}",
        app.model.validate()
    );
    app.update(Action::Undo);
    assert_eq!(app.model, bundled("serverless-webapp.ron"));
}

#[test]
fn delete_a_flow() {
    let mut app = shop();
    select(&mut app, "payments-fn");
    keys(&mut app, "]");
    let flow = app.selected.clone().expect("a flow");
    assert!(app.model.flow(flow.as_str()).is_some());
    keys(&mut app, "x");
    assert!(app.model.flow(flow.as_str()).is_none());
    assert!(app.model.validate().is_empty());
}

#[test]
fn arrows_select_the_nearest_element_in_each_direction() {
    let mut app = shop();
    select(&mut app, "identity");
    keys(&mut app, "l");
    assert_eq!(selected_id(&app), Some("orders-fn"));
    keys(&mut app, "j");
    assert_eq!(selected_id(&app), Some("uploads-fn"));
    keys(&mut app, "h");
    assert_eq!(selected_id(&app), Some("api-gateway"));
    keys(&mut app, "k");
    assert_eq!(selected_id(&app), Some("identity"));
}

#[test]
fn repeated_moves_are_one_undo_step() {
    let mut app = shop();
    select(&mut app, "kms");
    let before = app.model.component("kms").expect("c").position;
    keys(&mut app, "LLLJ");
    let after = app.model.component("kms").expect("c").position;
    assert_eq!((after.x - before.x, after.y - before.y), (6, 1));
    app.update(Action::Undo);
    assert_eq!(app.model.component("kms").expect("c").position, before);
    app.update(Action::Redo);
    assert_eq!(app.model.component("kms").expect("c").position, after);
}

#[test]
fn moves_apply_to_every_marked_component() {
    let mut app = shop();
    select(&mut app, "kms");
    keys(&mut app, " ");
    select(&mut app, "audit-log");
    let (a, b) = (
        app.model.component("kms").expect("c").position,
        app.model.component("audit-log").expect("c").position,
    );
    keys(&mut app, "J");
    assert_eq!(app.model.component("kms").expect("c").position.y, a.y + 1);
    assert_eq!(
        app.model.component("audit-log").expect("c").position.y,
        b.y + 1
    );
}

#[test]
fn connect_a_flow_then_edit_it() {
    let mut app = shop();
    select(&mut app, "orders-fn");
    keys(&mut app, "c");
    assert!(matches!(app.mode, Mode::Connect { .. }));
    assert!(
        app.message
            .contains("connect from Orders function: choose the target")
    );
    keys(&mut app, "l"); // the target: to the right
    let target = app.selected.clone().expect("target");
    let name = app
        .model
        .component(target.as_str())
        .expect("c")
        .name
        .clone();
    // The source stays marked while the selection is the target, and the status says where
    // the flow would go.
    assert!(
        app.message
            .contains(&format!("connect Orders function → {name}: Enter draws")),
        "{}",
        app.message
    );
    let s = screen(&mut app, 140, 40);
    assert!(s.contains("*Orders function"), "{s}");
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "Order events");
    let f = app.model.flows.last().expect("flow");
    assert_eq!(
        (f.source.as_str(), &f.target, f.label.as_str()),
        ("orders-fn", &target, "Order events")
    );
    assert_eq!(
        app.mode,
        Mode::Form {
            target: f.id.clone(),
            field: 0
        },
        "the new flow's form opens"
    );
    assert!(app.model.validate().is_empty());
}

#[test]
fn connect_finds_its_target_by_name() {
    let mut app = shop();
    select(&mut app, "orders-fn");
    keys(&mut app, "c/");
    assert!(matches!(app.mode, Mode::Nodes { .. }), "{:?}", app.mode);
    // The source itself is not offered.
    keys(&mut app, "orders f");
    assert!(screen(&mut app, 140, 40).contains("no other component matches"));
    key(&mut app, KeyCode::Esc);
    assert_eq!(
        app.mode,
        Mode::Connect {
            source: "orders-fn".into()
        },
        "Esc goes back to connecting"
    );
    keys(&mut app, "/");
    keys(&mut app, "ledger");
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "Payments");
    let f = app.model.flows.last().expect("flow");
    let target = app.model.component(f.target.as_str()).expect("c");
    assert_eq!(
        (f.source.as_str(), target.name.as_str(), f.label.as_str()),
        ("orders-fn", "Payments ledger", "Payments")
    );
    assert!(matches!(app.mode, Mode::Form { .. }), "{:?}", app.mode);
    assert!(!app.message.contains("connect"), "done: {}", app.message);
    assert!(app.model.validate().is_empty());
}

/// Drawn as in a workshop: Customer, Web shop and Orders DB added one after the other, in a
/// row the usual gap apart.
fn three_in_a_row() -> App {
    let mut app = app_with(Model::default());
    for (kind, name) in [("e", "Customer"), ("p", "Web shop"), ("s", "Orders DB")] {
        keys(&mut app, kind);
        typed(&mut app, name);
    }
    app
}

#[test]
fn from_a_selected_flow_arrows_and_c_go_on_to_its_ends() {
    // Drawn as in a workshop: three boxes in a row, a flow between the first two, its form
    // closed, which leaves the flow selected.
    let mut app = three_in_a_row();
    keys(&mut app, "hhcl");
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "Orders");
    key(&mut app, KeyCode::Esc);
    let flow = app.selected.clone().expect("the new flow");
    assert!(app.model.flow(flow.as_str()).is_some());
    keys(&mut app, "l");
    assert_eq!(selected_id(&app), Some("web-shop"));
    select(&mut app, "web-shop");
    keys(&mut app, "]");
    assert_eq!(app.selected.as_ref(), Some(&flow));
    keys(&mut app, "h");
    assert_eq!(selected_id(&app), Some("customer"));
    // And on from there, as from any component.
    keys(&mut app, "ll");
    assert_eq!(selected_id(&app), Some("orders-db"));
    // c on a flow goes on from where it ends: Web shop to Orders DB after Customer to Web shop.
    select(&mut app, "web-shop");
    keys(&mut app, "[");
    assert_eq!(app.selected.as_ref(), Some(&flow));
    keys(&mut app, "cl");
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "SQL");
    let f = app.model.flows.last().expect("flow");
    assert_eq!(
        (f.source.as_str(), f.target.as_str()),
        ("web-shop", "orders-db")
    );
}

#[test]
fn a_label_too_long_for_the_gap_moves_the_boxes_apart_in_an_undo_step_of_its_own() {
    // Drawn as in a workshop: three boxes in a row, the usual gap apart.
    let mut app = three_in_a_row();
    let xs =
        |app: &App| -> Vec<i32> { app.model.components.iter().map(|c| c.position.x).collect() };
    let before = xs(&app);
    keys(&mut app, "hcl");
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "Write order");
    key(&mut app, KeyCode::Esc);
    // "Write order" and a column either side: 13 columns between the boxes, 7 more.
    let after = xs(&app);
    assert_eq!(
        after,
        [before[0], before[1], before[2] + 7],
        "{before:?} → {after:?}"
    );
    assert!(
        app.message.contains("so the label reads whole"),
        "{}",
        app.message
    );
    assert!(screen(&mut app, 120, 36).contains("Write order"));
    // A short label fits the gap Customer and Web shop stand apart: nothing moves.
    keys(&mut app, "hhcl");
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "Buy");
    key(&mut app, KeyCode::Esc);
    assert_eq!(xs(&app), after);
    // Undo takes the boxes back and keeps the flow; one more takes the flow.
    app.update(Action::Undo);
    app.update(Action::Undo);
    assert_eq!(xs(&app), before);
    assert_eq!(app.model.flows.len(), 1);
    assert_eq!(app.model.flows[0].label, "Write order");
    // Renaming the flow to a longer label makes room again.
    select(&mut app, "web-shop");
    keys(&mut app, "]r");
    app.handle_key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    typed(&mut app, "Write order lines");
    assert_eq!(app.model.flows[0].label, "Write order lines");
    assert_eq!(xs(&app), [before[0], before[1], before[2] + 13]);
}

#[test]
fn a_boundary_drawn_between_boxes_side_by_side_moves_them_apart_for_the_crossing_labels() {
    let mut app = three_in_a_row();
    for (from, label) in [("web-shop", "SQL queries"), ("customer", "Orders")] {
        select(&mut app, from);
        keys(&mut app, "cl");
        key(&mut app, KeyCode::Enter);
        typed(&mut app, label);
        key(&mut app, KeyCode::Esc);
    }
    let xs =
        |app: &App| -> Vec<i32> { app.model.components.iter().map(|c| c.position.x).collect() };
    let before = xs(&app);
    // The row of a label, with the frames' sides on it.
    let row = |app: &mut App, label: &str| -> String {
        let shown = screen(app, 120, 36);
        let line = shown.lines().find(|l| l.contains(label));
        line.unwrap_or_else(|| panic!("{label} cut:\n{shown}"))
            .to_owned()
    };
    assert!(!row(&mut app, "Orders ").contains('┆'));
    // A boundary around the web shop and its database: Orders now crosses it, with a ⚠ and
    // the frame between the boxes.
    select(&mut app, "web-shop");
    keys(&mut app, " l ");
    keys(&mut app, "b");
    typed(&mut app, "Cloud");
    assert_eq!(app.model.boundaries.len(), 1);
    let moved = xs(&app);
    assert_eq!(moved[0], before[0]);
    assert!(moved[1] > before[1] && moved[2] - moved[1] == before[2] - before[1]);
    assert!(
        app.message.contains("so the label reads whole"),
        "{}",
        app.message
    );
    assert_eq!(row(&mut app, "⚠ Orders").matches('┆').count(), 2);
    // Undo puts the boxes back and keeps the boundary, whose frame then cuts into the label.
    app.update(Action::Undo);
    assert_eq!(xs(&app), before);
    assert_eq!(app.model.boundaries.len(), 1);
    assert_eq!(row(&mut app, "⚠ Orders").matches('┆').count(), 1);
    // Taking the web shop out of it makes room for its flows again (SQL queries now crosses).
    app.update(Action::Redo);
    select(&mut app, "web-shop");
    let gap = |app: &App| xs(app)[2] - xs(app)[1];
    let inside = gap(&app);
    keys(&mut app, "o");
    assert!(app.model.crosses_boundary(&app.model.flows[0]));
    assert!(gap(&app) > inside, "{inside} → {}", gap(&app));
    assert!(row(&mut app, "⚠ SQL queries").contains('┆'));
}

#[test]
fn a_selected_flow_shows_its_label_whole_where_the_gap_cuts_it() {
    let mut app = shop();
    for (id, label) in [
        ("f-orders-rw", "Read/write orders"),
        ("f-load-site", "⚠ Load web app"),
    ] {
        app.selected = None;
        let s = screen(&mut app, 120, 36);
        assert!(!s.contains(label), "cut short unselected: {s}");
        app.selected = Some(id.into());
        let s = screen(&mut app, 120, 36);
        assert!(s.contains(label), "{s}");
    }
}

#[test]
fn boundary_around_marked_components_nests_in_their_boundary() {
    let mut app = shop();
    select(&mut app, "orders-fn");
    keys(&mut app, " ");
    select(&mut app, "orders-table");
    keys(&mut app, " b");
    typed(&mut app, "Orders service");
    let b = app.model.boundaries.last().expect("boundary");
    assert_eq!(b.name, "Orders service");
    assert_eq!(b.parent.as_ref().map(|p| p.as_str()), Some("prod-account"));
    assert_eq!(app.model.boundary_of("orders-fn").expect("in").id, b.id);
    assert!(app.model.validate().is_empty());
    assert!(app.marks.is_empty());
}

#[test]
fn put_into_and_take_out_of_a_boundary() {
    let mut app = shop();
    select(&mut app, "developer");
    keys(&mut app, "i");
    let cicd = app
        .model
        .boundaries
        .iter()
        .position(|b| b.id.as_str() == "cicd")
        .expect("cicd");
    for _ in 0..cicd {
        key(&mut app, KeyCode::Down);
    }
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        app.model.boundary_of("developer").expect("in").id.as_str(),
        "cicd"
    );
    keys(&mut app, "o");
    assert!(app.model.boundary_of("developer").is_none());
    assert!(app.model.validate().is_empty());
}

#[test]
fn a_fresh_layout_is_shown_from_its_top_left_corner() {
    let mut app = app_with(Model::default());
    for name in ["Browser", "Web app", "Orders DB", "Queue", "Worker"] {
        keys(&mut app, "p");
        typed(&mut app, name);
    }
    // Drawn in a row that ran off to the right; the view followed it.
    assert!(app.viewport.0 > 0, "{:?}", app.viewport);
    keys(&mut app, "a");
    let s = screen(&mut app, 120, 36);
    for name in ["Browser", "Web app", "Orders DB", "Queue", "Worker"] {
        assert!(s.contains(name), "{name} in view:\n{s}");
    }
}

#[test]
fn automatic_layout_leaves_no_overlapping_boxes() {
    let mut m = bundled("serverless-webapp.ron");
    for c in &mut m.components {
        c.position = Default::default();
    }
    let mut app = app_with(m);
    keys(&mut app, "a");
    let boxes: Vec<_> = app
        .model
        .components
        .iter()
        .map(|c| threatloom::tui::canvas::component_rect(c, false))
        .collect();
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            let overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
            assert!(!overlap, "{a:?} overlaps {b:?}");
        }
    }
    // Boundaries that are not nested in each other do not overlap either.
    let rects = threatloom::tui::canvas::boundary_rects(&app.model, false);
    let top: Vec<_> = app
        .model
        .boundaries
        .iter()
        .filter(|b| b.parent.is_none())
        .map(|b| rects[&b.id])
        .collect();
    for (i, a) in top.iter().enumerate() {
        for b in &top[i + 1..] {
            let overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
            assert!(!overlap, "{a:?} overlaps {b:?}");
        }
    }
    app.update(Action::Undo);
    assert!(
        app.model
            .components
            .iter()
            .all(|c| c.position == Default::default())
    );
}

#[test]
fn palette_runs_actions_by_name_with_completion() {
    let mut app = shop();
    keys(&mut app, ":theme");
    key(&mut app, KeyCode::Tab);
    keys(&mut app, "light");
    // The loop loads it, with the user's overrides for that theme from the config folder.
    assert_eq!(
        key(&mut app, KeyCode::Enter),
        vec![Effect::Theme("light".into())]
    );
    let user = Some((
        "light.ron".into(),
        "(selection: Some(\"#ff00ff\"))".to_owned(),
    ));
    let theme = threatloom::tui::run::theme_with("light", user, false).expect("theme");
    assert_eq!(theme.name, "light");
    assert_eq!(theme.selection, ratatui::style::Color::Rgb(255, 0, 255));
    assert_eq!(
        theme.process,
        Theme::load("light", None).expect("light").process
    );
    let plain = threatloom::tui::run::theme_with("light", None, true).expect("theme");
    assert_eq!(plain.process, ratatui::style::Color::Reset, "NO_COLOR");
    assert!(threatloom::tui::run::theme_with("nope", None, false).is_err());
    keys(&mut app, ":add_pro");
    key(&mut app, KeyCode::Enter);
    assert!(
        matches!(app.mode, Mode::Input { .. }),
        "add_process asks for a name"
    );
    key(&mut app, KeyCode::Esc);
    keys(&mut app, ":export_dot /tmp/x.dot");
    let effects = key(&mut app, KeyCode::Enter);
    assert!(
        matches!(&effects[..], [Effect::Export { path, text }] if path.ends_with("x.dot") && text.starts_with("digraph"))
    );
    // An action bound on every screen is offered once, as the current screen describes it.
    let offered = |app: &App| app.palette_matches("delete");
    assert_eq!(
        offered(&app),
        [("delete".to_owned(), "delete the selection".to_owned())]
    );
    keys(&mut app, "2");
    assert_eq!(
        offered(&app),
        [(
            "delete".to_owned(),
            "delete the threat (the marked ones, after asking)".to_owned()
        )]
    );
}

#[test]
fn tabs_switch_screens_by_number_and_tab() {
    let mut app = shop();
    keys(&mut app, "3");
    assert_eq!(app.screen, Screen::Matrix);
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.screen, Screen::Actors);
    keys(&mut app, "1");
    assert_eq!(app.screen, Screen::Diagram);
}

#[test]
fn saving_untitled_asks_for_a_name_and_quitting_unsaved_asks() {
    let mut app = App::new(
        Model::new("t"),
        None,
        Theme::load("dark", None).expect("t"),
        Keymap::new(&Default::default()),
    );
    keys(&mut app, "p");
    typed(&mut app, "A");
    assert!(app.update(Action::Save).is_empty());
    assert!(matches!(app.mode, Mode::Input { .. }));
    let effects = {
        for _ in 0.."model.ron".len() {
            key(&mut app, KeyCode::Backspace);
        }
        keys(&mut app, "new.ron");
        key(&mut app, KeyCode::Enter)
    };
    assert_eq!(
        effects,
        vec![Effect::Save {
            path: "new.ron".into(),
            force: false
        }]
    );
    keys(&mut app, "q");
    assert!(
        matches!(app.mode, Mode::Confirm { .. }),
        "unsaved: quitting asks"
    );
    assert_eq!(
        keys_effects(&mut app, 'd'),
        vec![Effect::DiscardRecovery, Effect::Quit]
    );
}

fn keys_effects(app: &mut App, c: char) -> Vec<Effect> {
    key(app, KeyCode::Char(c))
}

/// The shop model, edited, after a save refused with `err`: the app asks what to do.
fn refused_save(err: threatloom::format::ron::SaveError) -> App {
    let mut app = shop();
    keys(&mut app, "p");
    typed(&mut app, "X");
    app.saved(Err(err));
    assert!(matches!(app.mode, Mode::Confirm { .. }));
    app
}

#[test]
fn a_save_refused_because_the_file_changed_offers_overwrite_or_reload() {
    let mut app = refused_save(threatloom::format::ron::SaveError::ChangedOnDisk {
        path: "shop.ron".into(),
    });
    assert_eq!(
        keys_effects(&mut app, 'o'),
        vec![Effect::Save {
            path: "shop.ron".into(),
            force: true
        }]
    );
    app.disk_changed();
    assert_eq!(keys_effects(&mut app, 'r'), vec![Effect::Reload]);
    // Keeping ours: the next save overwrites theirs instead of asking again.
    app.disk_changed();
    assert!(keys_effects(&mut app, 'k').is_empty());
    assert_eq!(
        app.update(Action::Save),
        vec![Effect::Save {
            path: "shop.ron".into(),
            force: true
        }]
    );
}

#[test]
fn a_new_model_whose_file_appeared_meanwhile_asks_before_overwriting_it() {
    let mut app = refused_save(threatloom::format::ron::SaveError::Exists {
        path: "shop.ron".into(),
    });
    let shown = screen(&mut app, 120, 36);
    assert!(
        shown.contains("shop.ron appeared on disk since this model was started"),
        "{shown}"
    );
    assert_eq!(
        keys_effects(&mut app, 'o'),
        vec![Effect::Save {
            path: "shop.ron".into(),
            force: true
        }]
    );
}

#[test]
fn user_keymap_overrides_a_key() {
    let overrides = threatloom::tui::keymap::parse_overrides(r#"{ diagram: { "d": delete } }"#)
        .expect("keymap");
    let mut app = App::new(
        bundled("serverless-webapp.ron"),
        None,
        Theme::load("dark", None).expect("t"),
        Keymap::new(&overrides),
    );
    select(&mut app, "kms");
    keys(&mut app, "d");
    assert!(
        matches!(app.mode, Mode::Confirm { .. }),
        "kms has a flow: delete asks"
    );
    keys(&mut app, "y");
    assert!(app.model.component("kms").is_none());
}

#[test]
fn mouse_click_selects_and_a_drag_is_one_undo_step() {
    let mut app = shop();
    screen(&mut app, 120, 36);
    let c = app.model.component("identity").expect("c").position;
    let at = |x: i32, y: i32| ((x - app.viewport.0) as u16, (y - app.viewport.1 + 1) as u16);
    let (cx, cy) = at(c.x + 3, c.y + 1);
    let ev = |kind, column, row| MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    };
    app.handle_mouse(ev(MouseEventKind::Down(MouseButton::Left), cx, cy), (0, 1));
    assert_eq!(selected_id(&app), Some("identity"));
    app.handle_mouse(
        ev(MouseEventKind::Drag(MouseButton::Left), cx + 2, cy),
        (0, 1),
    );
    app.handle_mouse(
        ev(MouseEventKind::Drag(MouseButton::Left), cx + 4, cy + 1),
        (0, 1),
    );
    app.handle_mouse(
        ev(MouseEventKind::Up(MouseButton::Left), cx + 4, cy + 1),
        (0, 1),
    );
    let moved = app.model.component("identity").expect("c").position;
    assert_eq!((moved.x - c.x, moved.y - c.y), (4, 1));
    app.update(Action::Undo);
    assert_eq!(app.model.component("identity").expect("c").position, c);
}

#[test]
fn mouse_click_on_a_flow_line_selects_the_flow() {
    use threatloom::tui::{canvas, routing};
    let mut app = shop();
    screen(&mut app, 120, 36);
    let click_at = |app: &App, (x, y): (i32, i32)| MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: (x - app.viewport.0) as u16,
        row: (y - app.viewport.1 + 1) as u16,
        modifiers: KeyModifiers::NONE,
    };
    // Which flows' lines pass through each cell in view.
    let (w, h) = (i32::from(app.view_size.0), i32::from(app.view_size.1));
    let mut on: std::collections::BTreeMap<(i32, i32), Vec<String>> = Default::default();
    for f in &app.model.flows {
        let route = canvas::route(&app.model, f, false).expect("route");
        let mut cells = routing::cells(&route);
        cells.dedup();
        for c in cells.into_iter().filter(|c| {
            (app.viewport.0..app.viewport.0 + w).contains(&c.0)
                && (app.viewport.1..app.viewport.1 + h).contains(&c.1)
        }) {
            on.entry(c).or_default().push(f.id.to_string());
        }
    }
    let (cell, alone) = on.iter().find(|(_, f)| f.len() == 1).expect("a line alone");
    let click = click_at(&app, *cell);
    app.handle_mouse(click, (0, 1));
    assert_eq!(
        app.selected.as_ref().map(|s| s.to_string()),
        Some(alone[0].clone())
    );
    // Nothing to drag: the model stays as it was.
    let before = app.model.clone();
    let drag = MouseEvent {
        kind: MouseEventKind::Drag(MouseButton::Left),
        column: click.column + 3,
        ..click
    };
    app.handle_mouse(drag, (0, 1));
    assert_eq!(app.model, before);
    // Where lines overlap, clicks take turns between them, in model order.
    let (cell, shared) = on
        .iter()
        .find(|(_, f)| f.len() > 1)
        .expect("lines overlapping");
    app.selected = None;
    let mut picked = Vec::new();
    for _ in 0..=shared.len() {
        app.handle_mouse(click_at(&app, *cell), (0, 1));
        picked.push(
            app.selected
                .as_ref()
                .map(|s| s.to_string())
                .unwrap_or_default(),
        );
    }
    let mut expected = shared.clone();
    expected.push(shared[0].clone());
    assert_eq!(picked, expected);
}

#[test]
fn selection_is_kept_in_view() {
    let mut app = shop();
    screen(&mut app, 120, 36);
    select(&mut app, "payment-provider");
    let r = threatloom::tui::canvas::component_rect(
        app.model.component("payment-provider").expect("c"),
        false,
    );
    let (w, h) = (i32::from(app.view_size.0), i32::from(app.view_size.1));
    assert!(
        r.x >= app.viewport.0 && r.x + r.w <= app.viewport.0 + w,
        "{r:?} {:?}",
        app.viewport
    );
    assert!(r.y >= app.viewport.1 && r.y + r.h <= app.viewport.1 + h);
}

#[test]
fn slash_on_the_diagram_finds_an_element_by_name_and_selects_it_in_view() {
    let mut app = app_with(bundled("serverless-webapp.ron"));
    screen(&mut app, 120, 36);
    keys(&mut app, "/");
    let purpose = NodeList::Element;
    assert!(matches!(&app.mode, Mode::Nodes { purpose: p, .. } if *p == purpose));
    // Components, boundaries and flows, each named with its kind.
    let listed: Vec<String> = app
        .node_choices(&purpose, "payment")
        .into_iter()
        .map(|(_, label)| label)
        .collect();
    for expected in [
        "Payments ledger — data store",
        "Payments VPC — trust boundary",
        "Charge card (token) — flow, Payments function → Payment provider API",
    ] {
        assert!(listed.iter().any(|l| l == expected), "{listed:?}");
    }
    // Enter selects the one chosen and scrolls the diagram to it, wherever the view was.
    app.viewport = (500, 500);
    typed(&mut app, "ledger");
    assert_eq!(selected_id(&app), Some("ledger-db"));
    assert!(matches!(app.mode, Mode::Normal));
    assert_eq!(app.message, "selected Payments ledger");
    assert!(screen(&mut app, 120, 36).contains("Payments ledger"));
    // A flow is found by its label; nothing matching selects nothing.
    keys(&mut app, "/");
    typed(&mut app, "charge card");
    let flow = app.model.flow(selected_id(&app).expect("selected"));
    assert_eq!(flow.map(|f| f.label.as_str()), Some("Charge card (token)"));
    // A flow without a label goes by its ends, and by its id in the status line.
    let id = app.model.flows[0].id.clone();
    app.model.flows[0].label.clear();
    keys(&mut app, "/");
    let listed = app.node_choices(&purpose, id.as_str());
    assert_eq!(
        listed.first().map(|(_, l)| l.as_str()),
        Some("flow, Customer (browser) → Static web front end")
    );
    typed(&mut app, id.as_str());
    assert_eq!(app.message, format!("selected {id}"));
    keys(&mut app, "/");
    typed(&mut app, "no such thing");
    assert_eq!(app.message, "no element matches");
    key(&mut app, KeyCode::Esc);
    assert!(matches!(app.mode, Mode::Normal));
}

// ---- the overview ----

/// The canvas cells of the selection's box are all in the full-size view.
fn selection_in_view(app: &App) -> bool {
    let id = selected_id(app).expect("a selection");
    let r = threatloom::tui::canvas::component_rect(
        app.model.component(id).expect("a component"),
        app.is_compact(),
    );
    let (w, h) = (i32::from(app.view_size.0), i32::from(app.view_size.1));
    r.x >= app.viewport.0
        && r.x + r.w <= app.viewport.0 + w
        && r.y >= app.viewport.1
        && r.y + r.h <= app.viewport.1 + h
}

#[test]
fn snapshot_iot_overview() {
    let mut app = app_with(bundled("iot-fleet.ron"));
    screen(&mut app, 120, 36);
    keys(&mut app, "Z");
    insta::assert_snapshot!(screen(&mut app, 120, 36));
}

#[test]
fn the_overview_shows_every_box_of_a_diagram_wider_than_the_screen() {
    let mut app = app_with(bundled("iot-fleet.ron"));
    let full = screen(&mut app, 120, 36);
    assert!(!full.contains("Facility manager"), "{full}");
    keys(&mut app, "Z");
    assert!(app.overview);
    let whole = screen(&mut app, 120, 36);
    assert!(whole.contains(" OVERVIEW "), "{whole}");
    for c in &app.model.components {
        let start: String = c.name.chars().take(10).collect();
        assert!(whole.contains(&start), "{} missing:\n{whole}", c.name);
    }
    for b in &app.model.boundaries {
        assert!(whole.contains(&format!(" {} ", b.name)), "{whole}");
    }
    // As at full size, each box with open threats flags them.
    let flagged = (app.model.components.iter())
        .filter(|c| app.badges.get(&c.id).is_some_and(|b| b.threats > 0))
        .count();
    assert_eq!(whole.matches('⚑').count(), flagged, "{whole}");
}

#[test]
fn in_the_overview_arrows_select_and_z_or_esc_return_to_full_size_at_the_selection() {
    let mut app = app_with(bundled("iot-fleet.ron"));
    screen(&mut app, 120, 36);
    keys(&mut app, "Z");
    for _ in 0..6 {
        keys(&mut app, "l");
    }
    assert_eq!(selected_id(&app), Some("facility-manager"));
    assert!(app.overview);
    // Wherever the full-size view was left, it comes back at the selection.
    for _ in 0..30 {
        app.update(Action::PanLeft);
    }
    assert!(!selection_in_view(&app));
    keys(&mut app, "Z");
    assert!(!app.overview);
    assert!(selection_in_view(&app));
    // Esc leaves it too.
    keys(&mut app, "Z");
    keys(&mut app, "h");
    for _ in 0..30 {
        app.update(Action::PanDown);
    }
    key(&mut app, KeyCode::Esc);
    assert!(!app.overview);
    assert!(selection_in_view(&app));
    // Enter goes to what was picked in the overview, in the middle of the view; the
    // selection the overview opened on stays where it was.
    select(&mut app, "door-lock");
    let (view, was) = (app.viewport, app.selected.clone());
    keys(&mut app, "Z");
    key(&mut app, KeyCode::Enter);
    assert!(!app.overview);
    assert_eq!((app.viewport, &app.selected), (view, &was));
    keys(&mut app, "Z");
    select(&mut app, "access-log");
    key(&mut app, KeyCode::Enter);
    assert!(!app.overview);
    assert_eq!(app.mode, Mode::Normal, "no form opened");
    let c = app.model.component("access-log").expect("c");
    let r = threatloom::tui::canvas::component_rect(c, app.is_compact());
    let middle = (
        app.viewport.0 + i32::from(app.view_size.0) / 2,
        app.viewport.1 + i32::from(app.view_size.1) / 2,
    );
    assert!(r.contains(middle.0, middle.1), "{r:?} {middle:?}");
}

#[test]
fn a_click_in_the_overview_selects_the_box_under_it() {
    let mut app = app_with(bundled("iot-fleet.ron"));
    screen(&mut app, 120, 36);
    keys(&mut app, "Z");
    let shown = screen(&mut app, 120, 36);
    for (id, name) in [
        ("thermostat", "Thermostat"),
        ("access-log", "Door access log"),
    ] {
        let (row, line) = (shown.lines().enumerate())
            .find(|(_, l)| l.contains(name))
            .expect("the name on screen");
        // The backend's lines are quoted: the first character is the quote.
        let at = line.split(name).next().expect("before").chars().count() - 1;
        let click = MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: at as u16 + 2,
            row: row as u16,
            modifiers: KeyModifiers::NONE,
        };
        app.handle_mouse(click, (0, 1));
        assert_eq!(selected_id(&app), Some(id));
    }
    // A drag moves nothing while scaled down.
    let before = app.model.clone();
    let drag = |column| MouseEvent {
        kind: MouseEventKind::Drag(MouseButton::Left),
        column,
        row: 20,
        modifiers: KeyModifiers::NONE,
    };
    app.handle_mouse(drag(50), (0, 1));
    app.handle_mouse(drag(60), (0, 1));
    assert_eq!(app.model, before);
}

#[test]
fn a_diagram_that_fits_the_screen_is_brought_into_view_at_full_size() {
    let mut app = app_with(bundled("iot-fleet.ron"));
    screen(&mut app, 240, 60);
    for _ in 0..20 {
        app.update(Action::PanRight);
    }
    let panned = screen(&mut app, 240, 60);
    assert!(!panned.contains("Door lock"), "{panned}");
    keys(&mut app, "Z");
    assert!(!app.overview);
    let whole = screen(&mut app, 240, 60);
    for c in &app.model.components {
        let start: String = c.name.chars().take(10).collect();
        assert!(whole.contains(&start), "{} missing:\n{whole}", c.name);
    }
}
