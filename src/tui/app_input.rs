//! Input: keys in every mode (typing, forms, the palette, questions, pickers) and the mouse.

use super::super::action::Action;
use super::super::canvas;
use super::super::form::{self, Change, Value};
use super::super::help;
use super::super::keymap::Scope;
use super::super::overview;
use super::{App, Effect, Mode, NodeList, Pick, Purpose, Question, Screen, step};
use crate::model::{BoundaryKind, Edit, Id, ops};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

impl App {
    /// Handles a key according to the mode.
    pub fn handle_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let effects = self.key_in_mode(key);
        self.refresh_derived();
        effects
    }

    fn key_in_mode(&mut self, key: KeyEvent) -> Vec<Effect> {
        match self.mode.clone() {
            Mode::Normal => {
                // A message answers the key before; the next one starts afresh.
                self.message.clear();
                let scope = self.screen.scope();
                match self.keymap.lookup(scope, &key).cloned() {
                    Some(a) => self.update(a),
                    None => Vec::new(),
                }
            }
            // Space turns the page, and closes the last; any other key closes. The help is
            // laid out in the view's area, which is the diagram's in this mode.
            Mode::Help { page } => {
                let (width, height) = self.view_size;
                let pages = help::Layout::new(self, width, height).pages.len();
                self.mode = if key.code == KeyCode::Char(' ') && page + 1 < pages {
                    Mode::Help { page: page + 1 }
                } else {
                    Mode::Normal
                };
                Vec::new()
            }
            Mode::Input {
                purpose,
                prompt,
                mut text,
            } => {
                match key.code {
                    KeyCode::Esc => self.mode = Self::cancelled(purpose),
                    KeyCode::Enter => {
                        self.mode = Mode::Normal;
                        return self.submit(purpose, text);
                    }
                    _ => {
                        if edit_line(&mut text, &key) {
                            self.mode = Mode::Input {
                                purpose,
                                prompt,
                                text,
                            };
                        }
                    }
                }
                Vec::new()
            }
            Mode::Form { target, field } => {
                self.form_key(target, field, key);
                Vec::new()
            }
            Mode::Palette { text, choice } => self.palette_key(text, choice, key),
            Mode::Confirm {
                question, choices, ..
            } => {
                let c = match key.code {
                    KeyCode::Char(c) => c.to_ascii_lowercase(),
                    // Recovered edits would be overwritten by the next edit's recovery file:
                    // restore or discard them, never leave them undecided.
                    KeyCode::Esc if question == Question::Recovery => {
                        self.message = "restore (y) or discard (n) the recovered changes".into();
                        return Vec::new();
                    }
                    KeyCode::Esc => 'c',
                    _ => return Vec::new(),
                };
                if !choices.iter().any(|(k, _)| *k == c) && c != 'c' {
                    return Vec::new();
                }
                self.mode = Mode::Normal;
                self.answer(question, c)
            }
            Mode::Connect { source } => {
                match key.code {
                    KeyCode::Esc => {
                        self.mode = Mode::Normal;
                        self.selected = Some(source);
                        self.message.clear();
                    }
                    KeyCode::Char('/') => {
                        self.mode = Mode::Nodes {
                            purpose: NodeList::Target { source },
                            filter: String::new(),
                            choice: 0,
                        };
                    }
                    KeyCode::Enter => match self.selected_component() {
                        Some(target) if target != source => self.ask_flow_label(source, target),
                        _ => self.message = "choose a different component as the target".into(),
                    },
                    _ => {
                        if let Some(a) = self.keymap.lookup(Scope::Diagram, &key).cloned()
                            && matches!(
                                a,
                                Action::SelectLeft
                                    | Action::SelectRight
                                    | Action::SelectUp
                                    | Action::SelectDown
                                    | Action::SelectNext
                                    | Action::SelectPrevious
                            )
                        {
                            self.update(a);
                            self.mode = Mode::Connect { source };
                            self.message = self.connect_message();
                        }
                    }
                }
                Vec::new()
            }
            Mode::Pick {
                what,
                threat,
                choice,
                back,
            } => {
                self.pick_key(what, threat, (choice, back), key);
                Vec::new()
            }
            Mode::Suggestions { target, choice } => {
                self.suggestions_key(target, choice, key);
                Vec::new()
            }
            Mode::Checklist { component, item } => {
                self.checklist_key(component, item, key);
                Vec::new()
            }
            Mode::Walkthrough { index } => {
                self.walkthrough_key(index, key);
                Vec::new()
            }
            Mode::Cell { choice } => {
                self.cell_key(choice, key);
                Vec::new()
            }
            Mode::LinkThreat { event, choice } => {
                self.link_threat_key(event, choice, key);
                Vec::new()
            }
            Mode::Results { what, choice } => {
                self.results_key(what, choice, key);
                Vec::new()
            }
            Mode::Nodes {
                purpose,
                filter,
                choice,
            } => {
                self.nodes_key(purpose, filter, choice, key);
                Vec::new()
            }
            Mode::WhatIf { choice } => {
                self.what_if_key(choice, key);
                Vec::new()
            }
            Mode::Changes {
                list,
                title,
                rows,
                cursor,
            } => {
                self.changes_key(list, title, rows, cursor, key);
                Vec::new()
            }
            Mode::ChooseBoundary { choice } => {
                if let Some(choice) = step(choice, self.model.boundaries.len(), key.code) {
                    self.mode = Mode::ChooseBoundary { choice };
                    return Vec::new();
                }
                match key.code {
                    KeyCode::Esc => self.mode = Mode::Normal,
                    KeyCode::Enter => {
                        self.mode = Mode::Normal;
                        if let Some(b) = self.model.boundaries.get(choice).map(|b| b.id.clone()) {
                            let moved = self.moving();
                            let edits = (moved.iter())
                                .map(|c| ops::set_boundary(&self.model, c, Some(&b)))
                                .collect();
                            self.message = format!("moved into {b}");
                            self.edit_boundaries(Edit::Batch(edits), &moved);
                        }
                    }
                    _ => {}
                }
                Vec::new()
            }
        }
    }

    /// Where a prompt cancelled goes back to: the form or list it was opened from.
    fn cancelled(purpose: Purpose) -> Mode {
        match purpose {
            Purpose::Field(target, field) => Mode::Form { target, field },
            Purpose::NewMitigation(threat, back) => Mode::Pick {
                what: Pick::Mitigations,
                threat,
                choice: 0,
                back,
            },
            Purpose::FindInPick {
                what,
                threat,
                choice,
                back,
            } => Mode::Pick {
                what,
                threat,
                choice,
                back,
            },
            _ => Mode::Normal,
        }
    }

    fn submit(&mut self, purpose: Purpose, text: String) -> Vec<Effect> {
        let text = text.trim().to_owned();
        if purpose == Purpose::Filter {
            if let Some(problem) = crate::tui::review::filter_problem(&text) {
                self.message = problem;
            }
            self.threats_view.set_filter(text);
            return Vec::new();
        }
        if text.is_empty() && !matches!(purpose, Purpose::Field(..)) {
            self.message = "cancelled: nothing typed".into();
            self.mode = Self::cancelled(purpose);
            return Vec::new();
        }
        match purpose {
            Purpose::NewComponent(kind) => {
                // A component added beside another joins its trust boundary.
                let boundary = self
                    .selected_component()
                    .and_then(|s| self.model.boundary_of(s.as_str()).map(|b| b.id.clone()));
                let (add, id) = ops::add_component(&self.model, kind, &text, self.free_spot());
                let mut after = self.model.clone();
                let join = after
                    .apply(&add)
                    .ok()
                    .map(|_| ops::set_boundary(&after, &id, boundary.as_ref()));
                let e = match join {
                    Some(join) => Edit::Batch(vec![add, join]),
                    None => add,
                };
                self.edit(e, None);
                self.select(Some(id));
            }
            Purpose::Rename => {
                if let Some(s) = self.selected.clone()
                    && let Some(e) = form::apply(&self.model, &s, 0, &Change::Text(text))
                {
                    self.edit_fitting_label(e, &s);
                }
            }
            Purpose::FlowLabel { source, target } => {
                let (e, id) = ops::connect(&self.model, &source, &target, &text);
                self.edit_fitting_label(e, &id);
                self.select(Some(id.clone()));
                self.mode = Mode::Form {
                    target: id,
                    field: 0,
                };
            }
            Purpose::BoundaryName => {
                let moved = self.moving();
                let (e, id) =
                    ops::create_boundary(&self.model, &moved, &text, BoundaryKind::Network);
                self.edit_boundaries(e, &moved);
                self.marks.clear();
                self.select(Some(id));
            }
            Purpose::SaveAs => return self.update(Action::SaveAs(text)),
            Purpose::NewThreat(target) => {
                self.new_threat(target, &text);
                self.resume_walk();
            }
            Purpose::Filter => {}
            Purpose::NewMitigation(threat, back) => self.new_mitigation(threat, back, &text),
            Purpose::FindInPick {
                what,
                threat,
                choice,
                back,
            } => self.find_in_pick(what, threat, (choice, back), &text),
            Purpose::NewActor => self.new_actor(&text),
            Purpose::NewAsset => self.new_asset(&text),
            Purpose::NewNode(under, kind) => self.add_node(under, &text, kind),
            Purpose::NewTree => self.new_tree(&text),
            Purpose::RenameNode(old) => self.rename_node(&old, &text),
            Purpose::Field(target, i) => {
                match form::apply(&self.model, &target, i, &Change::Text(text)) {
                    Some(e) => {
                        // A refusal of an earlier try no longer holds.
                        self.message.clear();
                        self.edit_fitting_label(e, &target);
                    }
                    None => {
                        let fields = form::fields(&self.model, &target);
                        let name = fields.get(i).map_or("value", |f| f.0);
                        self.message = match form::expected(name) {
                            Some(what) => format!("not a valid {name}: expected {what}"),
                            None => format!("not a valid {name}"),
                        };
                    }
                }
                self.mode = Mode::Form { target, field: i };
            }
        }
        Vec::new()
    }

    fn answer(&mut self, question: Question, c: char) -> Vec<Effect> {
        match (question, c) {
            (Question::DeleteWithFlows(id), 'y') => self.delete_now(&id),
            (Question::DeleteTree(i), 'y') => self.delete_tree(i),
            (Question::DeleteThreats(ids), 'y') => self.delete_threats(&ids),
            (Question::QuitUnsaved, 's') => {
                let mut effects = self.save(false);
                if !effects.is_empty() {
                    effects.push(Effect::Quit);
                }
                return effects;
            }
            (Question::QuitUnsaved, 'd') => return vec![Effect::DiscardRecovery, Effect::Quit],
            (Question::Recovery, 'y') => return vec![Effect::Restore],
            (Question::Recovery, 'n') => return vec![Effect::DiscardRecovery],
            (Question::DiskChanged | Question::SaveConflict, 'r') => return vec![Effect::Reload],
            (Question::DiskChanged | Question::SaveConflict, 'm') => {
                return vec![Effect::MergeFromDisk];
            }
            (Question::DiskChanged, 'k') => {
                // Keep ours: stop watching their version; the next save overwrites it.
                self.fingerprint = None;
                self.overwrite_on_save = true;
                self.dirty = true;
                self.message = "keeping your version; saving will overwrite the file".into();
            }
            (Question::SaveConflict, 'o') => return self.save(true),
            _ => {}
        }
        Vec::new()
    }

    fn form_key(&mut self, target: Id, field: usize, key: KeyEvent) {
        let fields = form::fields(&self.model, &target);
        if fields.is_empty() {
            self.mode = self.form_back.take().unwrap_or(Mode::Normal);
            return;
        }
        let n = fields.len();
        let mode = |field| Mode::Form {
            target: target.clone(),
            field,
        };
        if let Some(field) = step(field, n, key.code) {
            self.mode = mode(field);
            return;
        }
        match key.code {
            KeyCode::Esc | KeyCode::Char('q') => {
                self.mode = self.form_back.take().unwrap_or(Mode::Normal);
            }
            KeyCode::Tab => self.mode = mode((field + 1) % n),
            KeyCode::Enter | KeyCode::Char(' ') => match fields.get(field).map(|(_, v)| v) {
                Some(Value::Text(t)) => {
                    let name = fields[field].0;
                    let prompt = match form::expected(name) {
                        Some(what) => format!("{name}: {what}"),
                        None => name.to_owned(),
                    };
                    self.input(Purpose::Field(target.clone(), field), &prompt, t);
                }
                Some(_) => match form::apply(&self.model, &target, field, &Change::Cycle) {
                    Some(e) => self.edit(self.dated(e), None),
                    None => match form::picker(&self.model, &target, fields[field].0) {
                        Some(what) => self.open_pick(what, target, Some(field)),
                        None => self.message = "this field is shown, not edited here".into(),
                    },
                },
                None => {}
            },
            _ => {}
        }
    }

    /// Palette entries matching the typed text: (name, description). An action bound on
    /// several screens is listed once, as the current screen describes it: that is what
    /// running it here does.
    pub fn palette_matches(&self, text: &str) -> Vec<(String, String)> {
        let typed = text.split(' ').next().unwrap_or_default();
        let here = self.screen.scope();
        let mut all: Vec<(String, String)> = Vec::new();
        for b in super::super::keymap::defaults() {
            let name = b.action.name();
            match all.iter().position(|(n, _)| *n == name) {
                Some(i) if b.scope == here => all[i].1 = b.description.to_owned(),
                Some(_) => {}
                None => all.push((name, b.description.to_owned())),
            }
        }
        for (name, what) in [
            ("save_as", "save to another file: save_as PATH"),
            (
                "export_dot",
                "write the diagram as Graphviz DOT: export_dot PATH",
            ),
            (
                "theme",
                "switch theme: theme dark|light|high-contrast|colour-blind",
            ),
            (
                "export_tree_dot",
                "write the current fault tree as Graphviz DOT: export_tree_dot PATH",
            ),
            (
                "export_branch_dot",
                "write the branch under the selected fault-tree node as DOT: export_branch_dot PATH",
            ),
            (
                "export_changes",
                "write what changed since the model was opened, in Markdown: export_changes PATH",
            ),
        ] {
            all.push((name.to_owned(), what.to_owned()));
        }
        all.into_iter().filter(|(n, _)| n.contains(typed)).collect()
    }

    fn palette_key(&mut self, mut text: String, choice: usize, key: KeyEvent) -> Vec<Effect> {
        let matches = self.palette_matches(&text);
        match key.code {
            KeyCode::Esc => self.mode = Mode::Normal,
            KeyCode::Up => {
                self.mode = Mode::Palette {
                    text,
                    choice: choice.saturating_sub(1),
                }
            }
            KeyCode::Down => {
                self.mode = Mode::Palette {
                    text,
                    choice: (choice + 1).min(matches.len().saturating_sub(1)),
                }
            }
            KeyCode::Tab => {
                if let Some((name, _)) = matches.get(choice) {
                    text = name.clone();
                    if Action::argument(name).is_some() {
                        text.push(' ');
                    }
                }
                self.mode = Mode::Palette { text, choice: 0 };
            }
            KeyCode::Enter => {
                self.mode = Mode::Normal;
                let typed = if text.contains(' ') || matches.is_empty() {
                    text.clone()
                } else {
                    matches.get(choice).map_or(text.clone(), |(n, _)| n.clone())
                };
                match Action::parse(&typed) {
                    Some(a) => return self.update(a),
                    None => {
                        let name = typed.split(' ').next().unwrap_or_default();
                        self.message = match Action::argument(name) {
                            Some(arg) => format!("{name} needs {arg}"),
                            None => format!("no command \"{typed}\""),
                        };
                    }
                }
            }
            _ => {
                if edit_line(&mut text, &key) {
                    self.mode = Mode::Palette { text, choice: 0 };
                }
            }
        }
        Vec::new()
    }

    /// Mouse: click selects (a box or a flow's line), drag moves a box (one undo step), wheel
    /// pans.
    pub fn handle_mouse(&mut self, m: MouseEvent, canvas_origin: (u16, u16)) {
        self.mouse(m, canvas_origin);
        self.refresh_derived();
    }

    fn mouse(&mut self, m: MouseEvent, canvas_origin: (u16, u16)) {
        if self.screen != Screen::Diagram || self.mode != Mode::Normal {
            return;
        }
        let (column, row) = (
            m.column.saturating_sub(canvas_origin.0),
            m.row.saturating_sub(canvas_origin.1),
        );
        if self.overview {
            // Scaled down, a click selects the box under it; nothing moves or pans.
            let fit = overview::fit(&self.model, self.is_compact(), &self.routes, self.view_size);
            if let (MouseEventKind::Down(MouseButton::Left), Some(fit)) = (m.kind, fit) {
                let (x, y) = fit.canvas_cell(column, row);
                if let Some(hit) = self.component_at(x, y) {
                    self.selected = Some(hit);
                }
            }
            return;
        }
        let x = i32::from(column) + self.viewport.0;
        let y = i32::from(row) + self.viewport.1;
        match m.kind {
            MouseEventKind::Down(MouseButton::Left) => {
                let hit = self.component_at(x, y);
                self.history.seal();
                self.drag = hit.as_ref().map(|_| (x, y));
                // Not on a box: on a flow's line, which selects the flow (it does not move).
                // Where lines overlap, clicking again selects the next of them.
                let hit = hit.or_else(|| {
                    let on: Vec<&Id> = (self.model.flows.iter())
                        .filter(|f| self.routes.passes(&f.id, x, y))
                        .map(|f| &f.id)
                        .collect();
                    let now = on.iter().position(|id| self.selected.as_ref() == Some(*id));
                    let next = now.map_or(0, |i| (i + 1) % on.len());
                    on.get(next).map(|id| (*id).clone())
                });
                if hit.is_some() {
                    self.selected = hit;
                }
            }
            MouseEventKind::Drag(MouseButton::Left) => {
                if let (Some((px, py)), Some(s)) = (self.drag, self.selected_component()) {
                    let e = ops::move_components(&self.model, &[s], x - px, y - py);
                    self.edit(e, Some("drag"));
                    self.drag = Some((x, y));
                }
            }
            MouseEventKind::Up(_) => {
                self.drag = None;
                self.history.seal();
            }
            MouseEventKind::ScrollDown => self.viewport.1 += 3,
            MouseEventKind::ScrollUp => self.viewport.1 -= 3,
            MouseEventKind::ScrollRight => self.viewport.0 += 6,
            MouseEventKind::ScrollLeft => self.viewport.0 -= 6,
            _ => {}
        }
    }

    /// The component whose box covers canvas cell (x, y), the one drawn on top.
    fn component_at(&self, x: i32, y: i32) -> Option<Id> {
        let compact = self.is_compact();
        (self.model.components.iter().rev())
            .find(|c| canvas::component_rect(c, compact).contains(x, y))
            .map(|c| c.id.clone())
    }
}

/// Line editing shared by every prompt: typing, backspace, ctrl-u (clear the line) and ctrl-w
/// (delete the last word), as in a shell. False for a key it does not handle.
fn edit_line(text: &mut String, key: &KeyEvent) -> bool {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Backspace => {
            text.pop();
        }
        KeyCode::Char('u') if ctrl => text.clear(),
        KeyCode::Char('w') if ctrl => {
            let kept = text
                .trim_end()
                .char_indices()
                .rev()
                .find(|(_, c)| c.is_whitespace())
                .map_or(0, |(i, c)| i + c.len_utf8());
            text.truncate(kept);
        }
        KeyCode::Char(c) if !ctrl => text.push(c),
        _ => return false,
    }
    true
}
