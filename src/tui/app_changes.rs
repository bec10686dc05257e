//! Versions of the model in the editor: what changed in this session, against the version
//! opened (or reloaded from disk), told as `threatloom diff` tells it, to read before saving
//! or to keep as the minutes of a workshop (`export_changes` writes it in Markdown); and the
//! file's own changes, made by someone else while the editor had it open, merged into ours as
//! `threatloom merge` does.

use super::{App, Effect, Listing, Mode, Screen, moved};
use crate::analysis::changes::{Changes, changes};
use crate::analysis::fault_tree::{Compiled, Effort};
use crate::format::changes::{Row, Style, render, rows};
use crate::format::ron::Fingerprint;
use crate::model::merge::{Conflict, merge};
use crate::model::{Edit, Id, Model};
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

    fn changes_title(&self) -> String {
        format!("{} as opened → now", self.file_name())
    }

    pub(super) fn show_changes(&mut self) {
        self.mode = Mode::Changes {
            list: Listing::Changes,
            title: "Changes since the model was opened (↑↓ PgUp PgDn, Enter goes there, Esc; \
                    :export_changes PATH)"
                .into(),
            rows: rows(&self.session_changes(), &self.changes_title(), Style::Text),
            cursor: 0,
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
            self.ask_disk_changed(
                format!(
                    "{} changed on disk, and merging it into yours would break the model: {}",
                    self.file_name(),
                    why.join("; ")
                ),
                false,
            );
            return;
        }
        self.edit(Edit::SetModel(Box::new(merged)), None);
        // Not after a key: badges, suggestions and the tree panel follow the merge now.
        self.refresh_derived();
        self.on_disk = theirs;
        self.fingerprint = Some(fingerprint);
        self.overwrite_on_save = false;
        if conflicts.is_empty() {
            self.message = "merged the file's changes into yours (u undoes; not saved yet)".into();
            return;
        }
        let mut lines: Vec<Row> = [
            format!(
                "{} changed on disk. Its changes are merged into yours, except where both",
                self.file_name()
            ),
            "changed the same field: there yours are kept (u undoes the whole merge).".to_owned(),
            String::new(),
        ]
        .into_iter()
        .map(|text| Row { text, about: None })
        .collect();
        lines.extend(conflicts.iter().map(|c| Row {
            text: format!("  ! {c}"),
            about: conflict_about(c),
        }));
        self.mode = Mode::Changes {
            list: Listing::Conflicts,
            title: "Merged with the file on disk: conflicts (Enter goes there, Esc)".into(),
            rows: lines,
            cursor: 0,
        };
    }

    pub(super) fn export_changes(&self, path: String) -> Vec<Effect> {
        vec![Effect::Export {
            path: PathBuf::from(path),
            text: render(
                &self.session_changes(),
                &self.changes_title(),
                Style::Markdown,
            ),
        }]
    }

    /// Moves in the lines (the keys that move in a list); Enter goes to the element of the
    /// line; Esc, `q` or the key that opened them (`D`, `R`) closes them.
    pub(super) fn changes_key(
        &mut self,
        list: Listing,
        title: String,
        rows: Vec<Row>,
        cursor: usize,
        key: KeyEvent,
    ) {
        if matches!(key.code, KeyCode::Esc | KeyCode::Char('q')) {
            self.mode = Mode::Normal;
            return;
        }
        if key.code == KeyCode::Enter {
            match rows.get(cursor).and_then(|r| r.about.clone()) {
                Some((key, id)) => self.go_to_change(list, &key, &Id::new(id)),
                None => self.message = "this line is about no element".into(),
            }
            return;
        }
        // A list's keys, whatever the screen below.
        let action = self.keymap.lookup(Scope::Threats, &key).cloned();
        let page = self.page();
        if let Some(to) = action
            .as_ref()
            .and_then(|a| moved(a, cursor, rows.len(), page))
        {
            // A to-do's headings lead nowhere: the cursor goes on, the way it moved, to the
            // nearest line that does.
            let leads = |i: &usize| rows[*i].about.is_some();
            let cursor = if list == Listing::ToDo && !leads(&to) {
                let ahead: Vec<usize> = if to >= cursor {
                    (to..rows.len()).collect()
                } else {
                    (0..=to).rev().collect()
                };
                ahead.into_iter().find(leads).unwrap_or(cursor)
            } else {
                to
            };
            self.mode = Mode::Changes {
                list,
                title,
                rows,
                cursor,
            };
        } else if matches!(action, Some(Action::Changes | Action::ToDo)) {
            self.mode = Mode::Normal;
        }
    }

    /// Shows element `id` of the model's collection `key` (`threats`) where the editor shows
    /// such elements, or opens what the review of it needs (see `review_step`); one that is
    /// gone, or shown nowhere, is said to be.
    fn go_to_change(&mut self, list: Listing, key: &str, id: &Id) {
        if list == Listing::ToDo
            && let Some(mode) = self.review_step(key, id)
        {
            self.mode = mode;
            self.message = format!("{id} ({} again)", list.again());
            return;
        }
        let shown = match key {
            "components" | "boundaries" | "flows" if self.kind_of(id).is_some() => {
                self.screen = Screen::Diagram;
                self.select(Some(id.clone()));
                true
            }
            "threats" if self.model.threat(id).is_some() => {
                self.show_threat(id);
                true
            }
            "fault_trees" => match self.model.fault_trees.iter().position(|t| t.id == *id) {
                Some(i) => {
                    self.screen = Screen::FaultTrees;
                    self.tree.tree = i;
                    self.tree.cursor = 0;
                    true
                }
                None => false,
            },
            "actors" => match self.model.actors.iter().position(|a| a.id == *id) {
                Some(i) => {
                    self.screen = Screen::Actors;
                    self.actor_cursor = i;
                    true
                }
                None => false,
            },
            "assets" => match self.model.assets.iter().position(|a| a.id == *id) {
                Some(i) => {
                    self.screen = Screen::Assets;
                    self.asset_cursor = i;
                    true
                }
                None => false,
            },
            _ => false,
        };
        if shown {
            self.mode = Mode::Normal;
            self.message = format!("{id} ({} again)", list.again());
        } else {
            self.message = format!("{id}: not on any screen (removed, or not an element)");
        }
    }
}

/// The collection and id of the element a merge conflict is about, from its path:
/// `threats[t-3].likelihood`.
fn conflict_about(c: &Conflict) -> Option<(String, String)> {
    let (key, rest) = c.path.split_once('[')?;
    let id = rest.split_once(']')?.0;
    Some((key.to_owned(), id.to_owned()))
}
