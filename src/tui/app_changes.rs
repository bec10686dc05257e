//! What changed in this session: the model against the version opened (or reloaded from
//! disk), told as `threatloom diff` tells it, to read before saving or to keep as the minutes
//! of a workshop (`export_changes` writes it in Markdown).

use super::{App, Effect, Mode, moved};
use crate::analysis::changes::{Changes, changes};
use crate::analysis::fault_tree::{Compiled, Effort};
use crate::format::changes::{Style, render};
use crate::tui::action::Action;
use crate::tui::keymap::Scope;
use crossterm::event::{KeyCode, KeyEvent};
use std::path::PathBuf;

/// The node budget for a fault tree's top event in the changes: a tree that needs more is left
/// out rather than keep the editor waiting (`threatloom diff` solves it).
const MAX_NODES: usize = 400_000;

impl App {
    /// The changes since the model was opened or reloaded.
    pub fn session_changes(&self) -> Changes {
        let effort = Effort {
            max_nodes: Some(MAX_NODES),
            ..Effort::default()
        };
        changes(&self.baseline, &self.model, &mut |m, t| {
            Compiled::node(m, t.top.as_str(), &effort)
                .map(|c| c.probability())
                .map_err(|e| e.to_string())
        })
    }

    fn changes_text(&self, style: Style) -> String {
        let title = format!("{} as opened → now", self.file_name());
        render(&self.session_changes(), &title, style)
    }

    pub(super) fn show_changes(&mut self) {
        let lines = self
            .changes_text(Style::Text)
            .lines()
            .map(str::to_owned)
            .collect();
        self.mode = Mode::Changes { lines, scroll: 0 };
    }

    pub(super) fn export_changes(&self, path: String) -> Vec<Effect> {
        vec![Effect::Export {
            path: PathBuf::from(path),
            text: self.changes_text(Style::Markdown),
        }]
    }

    /// Scrolls the changes (the keys that move in a list); Esc or `q` closes them.
    pub(super) fn changes_key(&mut self, lines: Vec<String>, scroll: usize, key: KeyEvent) {
        if matches!(key.code, KeyCode::Esc | KeyCode::Char('q')) {
            self.mode = Mode::Normal;
            return;
        }
        // A list's keys, whatever the screen below.
        let action = self.keymap.lookup(Scope::Threats, &key).cloned();
        let page = self.page();
        if let Some(scroll) = action
            .as_ref()
            .and_then(|a| moved(a, scroll, lines.len(), page))
        {
            self.mode = Mode::Changes { lines, scroll };
        } else if action == Some(Action::Changes) {
            self.mode = Mode::Normal;
        }
    }
}
