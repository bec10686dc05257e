//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn bundled_models() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("models"))
        .expect("models/ exists")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    v.sort();
    v
}

/// Runs the binary from the crate root.
pub fn threatloom(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_threatloom"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("stderr is UTF-8")
}

pub fn code(o: &Output) -> i32 {
    o.status.code().expect("exited normally")
}

/// Pipes text through Graphviz `dot -Tsvg`; panics with the error if Graphviz rejects it.
pub fn graphviz_accepts(dot: &str, what: &Path) {
    use std::io::Write;
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("Graphviz `dot` is installed (.ci/run installs it: apt-get install graphviz)");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(dot.as_bytes())
        .expect("write to dot");
    let out = child.wait_with_output().expect("dot finishes");
    assert!(
        out.status.success(),
        "dot rejected the export of {}: {}",
        what.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("<svg"));
}

/// Driving the TUI without a terminal.
pub mod tui {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ratatui::{Terminal, backend::TestBackend};
    use threatloom::model::Model;
    use threatloom::tui::app::{App, Effect};
    use threatloom::tui::keymap::Keymap;
    use threatloom::tui::theme::Theme;
    use threatloom::tui::views;

    pub fn bundled(name: &str) -> Model {
        threatloom::format::ron::load(&super::root().join("models").join(name))
            .expect("bundled model")
            .model
    }

    /// The day the tests are run on, whatever the clock says: what is overdue stays put.
    pub fn today() -> threatloom::model::Date {
        threatloom::model::Date::parse("2026-11-24").expect("a date")
    }

    pub fn app_with(model: Model) -> App {
        let mut app = App::new(
            model,
            Some("shop.ron".into()),
            Theme::load("dark", None).expect("theme"),
            Keymap::new(&Default::default()),
        );
        app.today = today();
        app
    }

    /// The serverless web shop, opened as `shop.ron`.
    pub fn shop() -> App {
        app_with(bundled("serverless-webapp.ron"))
    }

    /// The screen as text, drawn at `w`×`h`.
    pub fn screen(app: &mut App, w: u16, h: u16) -> String {
        let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        let area = views::diagram_area(ratatui::layout::Rect::new(0, 0, w, h), app);
        app.view_size = (area.width, area.height);
        t.draw(|f| views::render(f, app)).expect("draw");
        t.backend().to_string()
    }

    pub fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
        app.handle_key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    pub fn keys(app: &mut App, s: &str) {
        for c in s.chars() {
            key(app, KeyCode::Char(c));
        }
    }

    pub fn typed(app: &mut App, s: &str) {
        keys(app, s);
        key(app, KeyCode::Enter);
    }

    /// Empties the text being typed.
    pub fn clear_input(app: &mut App) {
        while matches!(app.mode, threatloom::tui::app::Mode::Input { ref text, .. } if !text.is_empty())
        {
            key(app, KeyCode::Backspace);
        }
    }
}
