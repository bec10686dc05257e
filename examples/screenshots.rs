//! Renders every screen of the bundled models to SVG files in `screenshots/`:
//! `cargo run --example screenshots`.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::{Terminal, backend::TestBackend};
use std::path::Path;
use threatloom::format::{ron, svg};
use threatloom::tui::app::App;
use threatloom::tui::keymap::Keymap;
use threatloom::tui::theme::Theme;
use threatloom::tui::views;

fn app(model: &str, theme: &str) -> App {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("models")
        .join(model);
    let model = ron::load(&path).expect("bundled model").model;
    let shown = Path::new("models").join(path.file_name().unwrap_or_default());
    let mut app = App::new(
        model,
        Some(shown),
        Theme::load(theme, None).expect("theme"),
        Keymap::new(&Default::default()),
    );
    // A fixed day, so that the screenshots show the same deadlines whenever they are taken.
    app.today = threatloom::model::Date::parse("2026-11-24").expect("a date");
    app
}

fn press(app: &mut App, keys: &[KeyCode]) {
    for k in keys {
        app.handle_key(KeyEvent::new(*k, KeyModifiers::NONE));
    }
}

fn shoot(app: &mut App, name: &str, w: u16, h: u16) {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    let area = views::diagram_area(ratatui::layout::Rect::new(0, 0, w, h), app);
    app.view_size = (area.width, area.height);
    t.draw(|f| views::render(f, app)).expect("draw");
    let (fg, bg) = match app.theme.name.as_str() {
        "light" => ("#2e3440", "#fafafa"),
        _ => ("#d8dee9", "#1e222a"),
    };
    let out = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("screenshots")
        .join(format!("{name}.svg"));
    std::fs::write(&out, svg::render(t.backend().buffer(), fg, bg)).expect("write screenshot");
    println!("wrote {}", out.display());
}

fn main() {
    use KeyCode::{Char, Down, Enter};
    let mut a = app("serverless-webapp.ron", "dark");
    shoot(&mut a, "diagram", 120, 36);
    // Select the twelfth component and open its form.
    press(&mut a, &[Char('n'); 12]);
    press(&mut a, &[Enter]);
    shoot(&mut a, "form", 120, 36);
    press(&mut a, &[KeyCode::Esc, Char(']'), Enter, Down]);
    shoot(&mut a, "flow-form", 120, 36);
    press(&mut a, &[KeyCode::Esc, Char('?')]);
    shoot(&mut a, "help", 140, 36);
    press(&mut a, &[KeyCode::Esc, Char(':'), Char('t')]);
    shoot(&mut a, "palette", 120, 36);
    press(&mut a, &[KeyCode::Esc]);
    for (k, name) in [
        ('2', "threats"),
        ('3', "matrix"),
        ('4', "actors"),
        ('5', "fault-trees"),
        ('6', "assets"),
    ] {
        press(&mut a, &[Char(k)]);
        shoot(&mut a, name, 140, 40);
    }
    press(&mut a, &[Char('m'), Down, Down, Enter]);
    shoot(&mut a, "what-if", 140, 40);
    press(&mut a, &[KeyCode::Esc, Char('2'), Enter]);
    shoot(&mut a, "threat-form", 140, 40);
    press(&mut a, &[KeyCode::Esc, Char('1'), Char('w')]);
    shoot(&mut a, "walkthrough", 120, 36);
    press(&mut a, &[KeyCode::Esc, Char('V')]);
    shoot(&mut a, "suggestions", 120, 36);
    // The walkthrough left a flow selected: the checklist is a component's.
    press(&mut a, &[KeyCode::Esc, Char('n'), Char('C'), Char('y')]);
    shoot(&mut a, "checklist", 120, 36);
    press(&mut a, &[KeyCode::Esc, Char('R')]);
    shoot(&mut a, "to-do", 120, 36);
    // What the session changed: the mitigation the what-if toggled, and what it moved.
    press(&mut a, &[KeyCode::Esc, Char('D')]);
    shoot(&mut a, "changes", 120, 36);
    press(&mut a, &[KeyCode::Esc]);
    press(&mut a, &[Char('Z')]);
    shoot(&mut a, "overview", 120, 36);
    press(&mut a, &[Char('Z')]);
    let mut iot = app("iot-fleet.ron", "light");
    shoot(&mut iot, "iot-light", 120, 36);
    let mut hc = app("serverless-webapp.ron", "high-contrast");
    press(&mut hc, &[Char('z')]);
    shoot(&mut hc, "compact-high-contrast", 120, 36);
    shoot(
        &mut app("serverless-webapp.ron", "dark"),
        "small-terminal",
        50,
        12,
    );
}
