//! Versions of the model in the editor: what changed in this session, against the version
//! opened (or reloaded from disk), told as `threatloom diff` tells it, to read before saving
//! or to keep as the minutes of a workshop (`export_changes` writes it in Markdown); and the
//! file's own changes, made by someone else while the editor had it open, merged into ours as
//! `threatloom merge` does.

use super::{App, Effect, Mode, Question, moved};
use crate::analysis::changes::{Changes, changes};
use crate::analysis::fault_tree::{Compiled, Effort};
use crate::format::changes::{Style, render};
use crate::format::ron::Fingerprint;
use crate::model::merge::merge;
use crate::model::{Edit, Model};
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
        self.mode = Mode::Changes {
            title: "Changes since the model was opened (↑↓ PgUp PgDn, Esc; :export_changes PATH)"
                .into(),
            lines,
            scroll: 0,
        };
    }

    /// Merges the file's version (`theirs`, read with `fingerprint`) into ours, from the
    /// version both started from (`on_disk`), as one edit that undo takes back. Conflicts keep
    /// ours, and are listed; a merge that would break the model (a flow to a component the
    /// file deleted) is not made, and the question comes back with why.
    pub fn merge_from_disk(&mut self, theirs: Model, fingerprint: Fingerprint) {
        let (merged, conflicts) = match merge(Some(&self.on_disk), &self.model, &theirs) {
            Ok(m) => m,
            Err(e) => {
                self.message = format!("cannot merge: {e}");
                return;
            }
        };
        let problems = merged.validate();
        if !problems.is_empty() {
            let why: Vec<String> = problems.iter().map(ToString::to_string).collect();
            self.ask(
                Question::DiskChanged,
                format!(
                    "{} changed on disk, and merging it into yours would break the model: {}",
                    self.file_name(),
                    why.join("; ")
                ),
                vec![
                    ('r', "reload it (drop my unsaved edits)"),
                    ('k', "keep mine (overwrite on save)"),
                ],
            );
            return;
        }
        self.edit(Edit::SetModel(Box::new(merged)), None);
        self.on_disk = theirs;
        self.fingerprint = Some(fingerprint);
        self.overwrite_on_save = false;
        if conflicts.is_empty() {
            self.message = "merged the file's changes into yours (u undoes; not saved yet)".into();
            return;
        }
        let mut lines = vec![
            format!(
                "{} changed on disk. Its changes are merged into yours, except where both",
                self.file_name()
            ),
            "changed the same field: there yours are kept (u undoes the whole merge).".to_owned(),
            String::new(),
        ];
        lines.extend(conflicts.iter().map(|c| format!("  ! {c}")));
        self.mode = Mode::Changes {
            title: "Merged with the file on disk: conflicts (Esc)".into(),
            lines,
            scroll: 0,
        };
    }

    pub(super) fn export_changes(&self, path: String) -> Vec<Effect> {
        vec![Effect::Export {
            path: PathBuf::from(path),
            text: self.changes_text(Style::Markdown),
        }]
    }

    /// Scrolls the changes (the keys that move in a list); Esc or `q` closes them.
    pub(super) fn changes_key(
        &mut self,
        title: String,
        lines: Vec<String>,
        scroll: usize,
        key: KeyEvent,
    ) {
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
            self.mode = Mode::Changes {
                title,
                lines,
                scroll,
            };
        } else if action == Some(Action::Changes) {
            self.mode = Mode::Normal;
        }
    }
}
