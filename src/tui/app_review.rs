//! The review screens' behaviour: threats, suggestions, the checklist, the walkthrough, the
//! matrix, actors, and fault trees with what-if.

use super::super::action::Action;
use super::super::review::{self, COLUMNS};
use super::{App, Effect, Mode, NodeList, Pick, Purpose, Question, Screen, moved, step};
use crate::analysis::suggestions::{self, Suggestion};
use crate::format::text::count;
use crate::model::{
    Actor, Checklist, Dismissal, Edit, Id, Impact, Mitigation, MitigationStatus, ops,
};
use crossterm::event::{KeyCode, KeyEvent};

impl App {
    /// Handles actions whose meaning depends on the review screen; `None` when it does not.
    pub(super) fn review_action(&mut self, action: &Action) -> Option<Vec<Effect>> {
        match (self.screen, action) {
            (_, Action::AllSuggestions) => {
                self.mode = Mode::Suggestions {
                    target: None,
                    choice: 0,
                };
                Some(Vec::new())
            }
            (_, Action::ExportTreeDot(path)) => Some(self.export_tree(path, None)),
            (_, Action::ExportBranchDot(path)) => Some(match self.current_node() {
                Some(node) if self.screen == Screen::FaultTrees => {
                    self.export_tree(path, Some(node))
                }
                _ => {
                    self.message =
                        "select the node to export from, on the fault trees screen".into();
                    Vec::new()
                }
            }),
            (Screen::Threats, a) => self.threats_action(a),
            (Screen::Matrix, a) => self.matrix_action(a),
            (Screen::Actors, a) => self.actors_action(a),
            (Screen::Assets, a) => self.assets_action(a),
            (Screen::FaultTrees, a) => self.trees_action(a),
            (Screen::Diagram, Action::NewThreat) => {
                let (targets, prompt) = self.threat_targets_here();
                self.input(Purpose::NewThreat(targets), &prompt, "");
                Some(Vec::new())
            }
            (Screen::Diagram, Action::Suggestions) => {
                match self.selected.clone() {
                    Some(t) => {
                        self.mode = Mode::Suggestions {
                            target: Some(t),
                            choice: 0,
                        }
                    }
                    None => self.message = "select an element or flow".into(),
                }
                Some(Vec::new())
            }
            (Screen::Diagram, Action::SelectionThreats) => {
                let Some(x) = self.selected.clone() else {
                    self.message = "select an element, a flow or a boundary".into();
                    return Some(Vec::new());
                };
                // A boundary's threats are those of what is in it or crosses it.
                let (filter, against) = if self.model.boundary(x.as_str()).is_some() {
                    (format!("boundary:{x}"), "in or across")
                } else {
                    (format!("target:{x}"), "against")
                };
                let name = self.model.name_or_id(x.as_str());
                let m = &self.model;
                let n = (m.threats.iter())
                    .filter(|t| review::matches(m, t, &filter, self.today))
                    .count();
                if n == 0 {
                    // Nothing to list: the diagram stays, with the key that records one.
                    self.message =
                        format!("no threat recorded {against} {name} yet: t records one");
                    return Some(Vec::new());
                }
                self.threats_view.set_filter(filter);
                self.screen = Screen::Threats;
                self.message = format!(
                    "{} {against} {name} (/ changes the filter, 1 goes back)",
                    count(n, "threat", "threats"),
                );
                Some(Vec::new())
            }
            (Screen::Diagram, Action::Checklist) => {
                match self
                    .selected
                    .clone()
                    .filter(|s| self.model.component(s.as_str()).is_some())
                {
                    Some(c) => {
                        self.mode = Mode::Checklist {
                            component: c,
                            item: 0,
                        }
                    }
                    None => self.message = "select a component".into(),
                }
                Some(Vec::new())
            }
            (Screen::Diagram, Action::Walkthrough) => {
                let mut flows = self.walked_flows();
                if flows.is_empty() && !self.walk_all && !self.model.flows.is_empty() {
                    // Nothing crosses a boundary (none drawn yet): every flow, then.
                    self.walk_all = true;
                    self.message = "no flow crosses a trust boundary: walking every flow".into();
                    flows = self.walked_flows();
                }
                if flows.is_empty() {
                    self.message = "no flow to walk".into();
                } else {
                    // Where the review stands: the first flow nobody has walked yet.
                    let index = self.first_unreviewed(&flows).unwrap_or(0);
                    self.mode = Mode::Walkthrough { index };
                    self.walk_to(index);
                }
                Some(Vec::new())
            }
            _ => None,
        }
    }

    /// Exports the current tree's DOT (from node `from` down, if given), with the
    /// probabilities of its analysis: at once when that is at hand, else when the worker
    /// delivers it.
    pub(super) fn export_tree(&mut self, path: &str, from: Option<Id>) -> Vec<Effect> {
        let Some(probabilities) = self.analyse_tree().map(|a| a.probabilities.clone()) else {
            if self.model.fault_trees.is_empty() {
                self.message = "the model has no fault tree".into();
            } else {
                self.tree.export_after = Some((path.into(), from));
                self.message = "exporting after analysis…".into();
            }
            return Vec::new();
        };
        let t = &self.model.fault_trees[self.tree.tree];
        let dot = crate::format::dot_tree::fault_tree(
            &self.model,
            t.id.as_str(),
            from.as_ref(),
            &probabilities,
        );
        match dot {
            Ok(text) => vec![Effect::Export {
                path: path.into(),
                text,
            }],
            Err(why) => {
                self.message = why;
                Vec::new()
            }
        }
    }

    // ---- threats ----

    pub fn threat_rows(&self) -> Vec<usize> {
        review::rows(&self.model, &self.threats_view, self.today)
    }

    /// The threat under the cursor.
    pub fn current_threat(&self) -> Option<Id> {
        let rows = self.threat_rows();
        rows.get(self.threats_view.cursor.min(rows.len().saturating_sub(1)))
            .map(|&i| self.model.threats[i].id.clone())
    }

    /// The marked threats that still exist (see `ThreatsView::marked`).
    pub fn marked_threats(&self) -> Vec<Id> {
        self.threats_view
            .marked
            .iter()
            .filter(|m| self.model.threat(m.as_str()).is_some())
            .cloned()
            .collect()
    }

    /// The threat the table's keys act on: the one under the cursor, unless threats are
    /// marked and it is not one of them; then the first marked in the table.
    fn lead_threat(&self) -> Option<Id> {
        let cursor = self.current_threat()?;
        let marked = self.marked_threats();
        if marked.is_empty() || marked.contains(&cursor) {
            return Some(cursor);
        }
        let rows = self.threat_rows();
        let first = rows
            .iter()
            .map(|&i| &self.model.threats[i].id)
            .find(|id| marked.contains(id));
        Some(first.unwrap_or(&marked[0]).clone())
    }

    /// The other threats a change to `lead` goes to: the marked ones, when `lead` is one of
    /// them and the change comes from the table (`from_table`), not from one threat's form.
    pub fn along_with(&self, lead: &Id, from_table: bool) -> Vec<usize> {
        let marked = self.marked_threats();
        if !from_table || !marked.contains(lead) {
            return Vec::new();
        }
        marked
            .iter()
            .filter(|m| *m != lead)
            .filter_map(|m| self.model.threats.iter().position(|x| x.id == *m))
            .collect()
    }

    /// Steps `field` of the lead threat (see `lead_threat`, `form::apply`); every other marked
    /// threat takes its new value, in one undo step. Unmarked threats are left alone.
    fn cycle_threat_field(&mut self, field: usize) {
        let Some(lead) = self.lead_threat() else {
            return;
        };
        let Some(e) = super::form::apply(&self.model, &lead, field, &super::form::Change::Cycle)
        else {
            return;
        };
        let Edit::SetThreat(_, changed) = &e else {
            return self.edit(e, None);
        };
        let others = self.along_with(&lead, true);
        let mut edits = vec![e.clone()];
        for &i in &others {
            let mut x = self.model.threats[i].clone();
            super::form::copy_threat_field(changed, &mut x, field);
            edits.push(Edit::SetThreat(i, x));
        }
        self.edit(self.dated(Edit::Batch(edits)), None);
        self.say_marked(others.len());
    }

    /// `e` with today as the `decided_on` of each threat whose decision it changes, and the
    /// user (when known) as its `decided_by`: a decision is dated and signed when it is made.
    pub(super) fn dated(&self, e: Edit) -> Edit {
        match e {
            Edit::SetThreat(i, mut t) => {
                let before = self
                    .model
                    .threats
                    .get(i)
                    .and_then(|x| x.assessment.as_ref());
                if let Some(a) = t.assessment.as_mut()
                    && before.map(|b| b.decision) != Some(a.decision)
                {
                    a.decided_on = self.today.to_string();
                    if let Some(me) = &self.me {
                        a.decided_by = me.clone();
                    }
                }
                Edit::SetThreat(i, t)
            }
            Edit::Batch(edits) => Edit::Batch(edits.into_iter().map(|e| self.dated(e)).collect()),
            e => e,
        }
    }

    /// Says that a change went to `others` marked threats besides the lead, and how many of
    /// them the filter hides, unless the change said something itself.
    fn say_marked(&mut self, others: usize) {
        if others == 0 || !self.message.is_empty() {
            return;
        }
        let hidden = self.hidden_marked();
        self.message = format!("set on the {} marked threats{hidden}", others + 1);
    }

    /// " (N hidden by the filter)" for the marked threats the table does not show, or "".
    fn hidden_marked(&self) -> String {
        let shown: Vec<&Id> = self
            .threat_rows()
            .into_iter()
            .map(|i| &self.model.threats[i].id)
            .collect();
        match self
            .marked_threats()
            .iter()
            .filter(|m| !shown.contains(m))
            .count()
        {
            0 => String::new(),
            n => format!(" ({n} hidden by the filter)"),
        }
    }

    /// Deletes threats `ids` in one undo step (see `ops::delete_threats`), and their marks.
    pub(super) fn delete_threats(&mut self, ids: &[Id]) {
        self.edit(ops::delete_threats(&self.model, ids), None);
        self.threats_view.marked.retain(|m| !ids.contains(m));
        self.message = match ids {
            [one] => format!("deleted {one} (u brings it back)"),
            _ => format!("deleted {} threats (u brings them back)", ids.len()),
        };
    }

    /// Puts the threats table's cursor on threat `id`, wherever the sort and filter put it
    /// now, and says whether they show it; where they hide it, the cursor stays.
    pub(super) fn follow_threat(&mut self, id: &Id) -> bool {
        let row = self
            .threat_rows()
            .iter()
            .position(|&i| self.model.threats[i].id == *id);
        if let Some(pos) = row {
            self.threats_view.cursor = pos;
        }
        row.is_some()
    }

    fn threats_action(&mut self, a: &Action) -> Option<Vec<Effect>> {
        let n = self.threat_rows().len();
        let page = self.page();
        let v = &mut self.threats_view;
        if let Some(cursor) = moved(a, v.cursor, n, page) {
            v.cursor = cursor;
            if v.kept.is_some() {
                let to = self.current_threat();
                self.threats_view.kept = None;
                if let Some(t) = to {
                    self.follow_threat(&t);
                }
            }
            return Some(Vec::new());
        }
        match a {
            Action::SortNext => {
                v.sort = (v.sort + 1) % COLUMNS.len();
                self.message = format!("sorted by {}", COLUMNS[self.threats_view.sort]);
            }
            Action::SortReverse => v.ascending = !v.ascending,
            Action::GoToFaultTree => {
                let Some(threat) = self.current_threat() else {
                    return Some(Vec::new());
                };
                let found: Vec<Id> = self
                    .model
                    .events_for_threat(&threat)
                    .map(|(_, e)| e.id.clone())
                    .collect();
                match found.as_slice() {
                    [] => {
                        self.message = format!(
                            "no fault-tree event stands for {threat} (t on an event links one)"
                        )
                    }
                    [event] => self.go_to_event(event, &threat),
                    _ => {
                        self.mode = Mode::Nodes {
                            purpose: NodeList::Events { threat },
                            filter: String::new(),
                            choice: 0,
                        }
                    }
                }
            }
            Action::Filter => {
                let f = v.filter.clone();
                self.input(
                    Purpose::Filter,
                    "Filter (words, status:, decision:, stride:, actor:, boundary:, risk:)",
                    &f,
                );
            }
            Action::ToggleMark => {
                if let Some(t) = self.current_threat() {
                    let marked = &mut self.threats_view.marked;
                    match marked.iter().position(|m| *m == t) {
                        Some(i) => {
                            marked.remove(i);
                        }
                        None => marked.push(t),
                    }
                    self.message = match marked.len() {
                        0 => "none marked".to_owned(),
                        n => format!(
                            "{n} marked: l i L I t d and the lists of e a m change them all; \
                             Esc unmarks"
                        ),
                    };
                    // On to the next row, as marking runs down a list.
                    return self.threats_action(&Action::SelectDown);
                }
            }
            Action::CycleLikelihood => self.cycle_threat_field(3),
            Action::CycleImpact => self.cycle_threat_field(4),
            Action::CycleResidualLikelihood => self.cycle_threat_field(5),
            Action::CycleResidualImpact => self.cycle_threat_field(6),
            Action::CycleStatus => self.cycle_threat_field(7),
            Action::CycleDecision => self.cycle_threat_field(8),
            Action::LinkTargets | Action::LinkActors | Action::LinkMitigations => {
                let what = match a {
                    Action::LinkTargets => Pick::Targets,
                    Action::LinkActors => Pick::Actors,
                    _ => Pick::Mitigations,
                };
                if let Some(t) = self.lead_threat() {
                    self.open_pick(what, t, None);
                }
            }
            Action::EditProperties => {
                if let Some(t) = self.current_threat() {
                    self.mode = Mode::Form {
                        target: t,
                        field: 0,
                    };
                }
            }
            Action::NewThreat => self.input(Purpose::NewThreat(Vec::new()), "New threat", ""),
            Action::Delete => {
                let marked = self.marked_threats();
                if marked.len() > 1 {
                    let text = format!(
                        "Delete the {} marked threats{}?",
                        marked.len(),
                        self.hidden_marked()
                    );
                    self.ask(
                        Question::DeleteThreats(marked),
                        text,
                        vec![('y', "delete"), ('n', "keep")],
                    );
                } else if let Some(t) = marked.into_iter().next().or_else(|| self.current_threat())
                {
                    self.delete_threats(&[t]);
                }
            }
            _ => return None,
        }
        Some(Vec::new())
    }

    /// What a new threat on the diagram is against, and the prompt saying so: the
    /// selection; for a trust boundary, which cannot be a target, the flows crossing it.
    fn threat_targets_here(&self) -> (Vec<Id>, String) {
        let m = &self.model;
        let Some(sel) = self.selected.clone() else {
            return (Vec::new(), "New threat".into());
        };
        let name = m.name_or_id(sel.as_str());
        if m.boundary(sel.as_str()).is_none() {
            return (vec![sel], format!("New threat against {name}"));
        }
        let crossing: Vec<Id> = m
            .flows
            .iter()
            .filter(|f| m.boundaries_crossed(f).iter().any(|b| b.id == sel))
            .map(|f| f.id.clone())
            .collect();
        let prompt = match crossing.len() {
            0 => format!(
                "New threat (no flow crosses {name}; link its targets with e on the Threats screen)"
            ),
            n => format!(
                "New threat against the {} crossing {name}",
                crate::format::text::count(n, "flow", "flows")
            ),
        };
        (crossing, prompt)
    }

    pub(super) fn new_threat(&mut self, targets: Vec<Id>, title: &str) {
        let actors: Vec<&Actor> = Vec::new();
        let likelihood = suggestions::likelihood_from_actors(&actors);
        let id = ops::fresh_id(&self.model, title);
        let mut t = crate::model::Threat::new(id.clone(), title, likelihood, Impact::Moderate);
        t.targets = targets;
        self.edit(Edit::InsertThreat(self.model.threats.len(), t), None);
        if self.screen == Screen::Threats {
            // The cursor on it, listed whatever the filter, for the keys that rate and link it.
            self.threats_view.kept = Some(id.clone());
            self.follow_threat(&id);
            self.message = format!("threat {id} added: l i rate it, e links what it targets");
        } else {
            self.message = format!("threat {id} added: rate it on the Threats screen (2)");
        }
    }

    /// What picker `what` lists: each id with how the list shows it.
    pub fn pick_items(&self, what: Pick) -> Vec<(Id, String)> {
        let m = &self.model;
        let name = |id: &Id| m.name_or_id(id.as_str());
        match what {
            Pick::Targets => m
                .components
                .iter()
                .map(|c| (c.id.clone(), format!("{} ({})", c.name, c.kind.label())))
                .chain(m.flows.iter().map(|f| {
                    let ends = format!("{} → {}", name(&f.source), name(&f.target));
                    let label = if f.label.is_empty() {
                        format!("{ends} (flow)")
                    } else {
                        format!("{} (flow, {ends})", f.label)
                    };
                    (f.id.clone(), label)
                }))
                .chain(
                    m.assets
                        .iter()
                        .map(|a| (a.id.clone(), format!("{} (asset)", a.name))),
                )
                .collect(),
            Pick::Actors => m
                .actors
                .iter()
                .map(|a| (a.id.clone(), format!("{} ({})", a.name, a.kind.label())))
                .collect(),
            Pick::Mitigations => {
                // Status first, in a column: long titles are cut on narrow screens, and `t`
                // changes it here. Then the deadline, where the model has any, in a column too.
                let dated = m.mitigations.iter().any(|x| !x.due.is_empty());
                m.mitigations
                    .iter()
                    .map(|x| {
                        let due = if x.overdue(self.today) {
                            "OVERDUE"
                        } else if x.status == MitigationStatus::Implemented {
                            ""
                        } else {
                            x.due.as_str()
                        };
                        let row = if dated {
                            format!("{:<11}  {due:<10}  {}", x.status.label(), x.title)
                        } else {
                            format!("{:<11}  {}", x.status.label(), x.title)
                        };
                        (x.id.clone(), row)
                    })
                    .collect()
            }
        }
    }

    /// Opens picker `what` on `threat`'s list, on the first row it already links: a long
    /// list opens where the threat's own choices are, and `t` in the mitigations list moves
    /// on one of the threat's mitigations rather than the first of the model's.
    pub(super) fn open_pick(&mut self, what: Pick, threat: Id, back: Option<usize>) {
        let linked = self
            .model
            .threat(threat.as_str())
            .map(|t| what.list(&mut t.clone()).clone())
            .unwrap_or_default();
        let choice = self
            .pick_items(what)
            .iter()
            .position(|(id, _)| linked.contains(id))
            .unwrap_or(0);
        self.mode = Mode::Pick {
            what,
            threat,
            choice,
            back,
        };
    }

    pub(super) fn pick_key(
        &mut self,
        what: Pick,
        threat: Id,
        (choice, back): (usize, Option<usize>),
        key: KeyEvent,
    ) {
        let items = self.pick_items(what);
        if let Some(choice) = step(choice, items.len(), key.code) {
            self.mode = Mode::Pick {
                what,
                threat,
                choice,
                back,
            };
            return;
        }
        match key.code {
            KeyCode::Esc | KeyCode::Char('q') => {
                self.mode = match back {
                    Some(field) => Mode::Form {
                        target: threat,
                        field,
                    },
                    None => Mode::Normal,
                }
            }
            KeyCode::Char('n') if what == Pick::Mitigations => {
                self.input(Purpose::NewMitigation(threat, back), "New mitigation", "");
            }
            KeyCode::Char('o') if what == Pick::Mitigations => {
                if let Some((item, _)) = items.get(choice) {
                    self.form_back = Some(Mode::Pick {
                        what,
                        threat,
                        choice,
                        back,
                    });
                    self.mode = Mode::Form {
                        target: item.clone(),
                        field: 0,
                    };
                }
            }
            // Where a reviewer links a mitigation is where they learn it was built.
            KeyCode::Char('t') if what == Pick::Mitigations => {
                if let Some((item, _)) = items.get(choice)
                    && let Some(e) =
                        super::form::apply(&self.model, item, 1, &super::form::Change::Cycle)
                {
                    self.edit(e, None);
                }
            }
            KeyCode::Char('/') => {
                let purpose = Purpose::FindInPick {
                    what,
                    threat,
                    choice,
                    back,
                };
                self.input(purpose, "Find in the list (words of a name)", "");
            }
            KeyCode::Enter | KeyCode::Char(' ') => {
                let Some((item, _)) = items.get(choice) else {
                    return;
                };
                let Some(i) = self.model.threats.iter().position(|t| t.id == threat) else {
                    return;
                };
                // Toggled on this threat; linked or unlinked alike on every marked one.
                let linked = !what.list(&mut self.model.threats[i].clone()).contains(item);
                let others = self.along_with(&threat, back.is_none());
                let mut edits = Vec::new();
                for &j in others.iter().chain([&i]) {
                    let mut x = self.model.threats[j].clone();
                    let list = what.list(&mut x);
                    list.retain(|x| x != item);
                    if linked {
                        list.push(item.clone());
                    }
                    edits.push(Edit::SetThreat(j, x));
                }
                self.edit(Edit::Batch(edits), None);
                self.say_marked(others.len());
            }
            _ => {}
        }
    }

    /// Back in picker `what`, on the first row after `choice` (round to the top) whose text
    /// holds `text`, whatever its case; where none does, on `choice`, saying so.
    pub(super) fn find_in_pick(
        &mut self,
        what: Pick,
        threat: Id,
        (choice, back): (usize, Option<usize>),
        text: &str,
    ) {
        let items = self.pick_items(what);
        let text = text.to_lowercase();
        let n = items.len();
        let found = (1..=n)
            .map(|k| (choice + k) % n)
            .find(|&i| items[i].1.to_lowercase().contains(&text));
        if found.is_none() {
            self.message = format!("nothing in the list holds \"{text}\"");
        }
        self.mode = Mode::Pick {
            what,
            threat,
            choice: found.unwrap_or(choice),
            back,
        };
    }

    pub(super) fn new_mitigation(&mut self, threat: Id, back: Option<usize>, title: &str) {
        let id = ops::fresh_id(&self.model, &format!("m {title}"));
        let m = Mitigation {
            id: id.clone(),
            title: title.to_owned(),
            description: String::new(),
            status: MitigationStatus::Planned,
            owner: String::new(),
            due: String::new(),
        };
        let mut edits = vec![Edit::InsertMitigation(self.model.mitigations.len(), m)];
        let mut linking = self.along_with(&threat, back.is_none());
        linking.extend(self.model.threats.iter().position(|t| t.id == threat));
        for &i in &linking {
            let mut t = self.model.threats[i].clone();
            t.mitigations.push(id.clone());
            edits.push(Edit::SetThreat(i, t));
        }
        self.edit(Edit::Batch(edits), None);
        self.say_marked(linking.len().saturating_sub(1));
        let choice = self.model.mitigations.len() - 1;
        self.mode = Mode::Pick {
            what: Pick::Mitigations,
            threat,
            choice,
            back,
        };
    }

    // ---- suggestions, checklist, walkthrough ----

    /// The suggestions waiting for `target` (none: the whole model), the riskiest first:
    /// what a reviewer should look at before the rest.
    pub fn suggestion_list(&self, target: Option<&Id>) -> Vec<Suggestion> {
        let mut list: Vec<Suggestion> = self
            .suggestions
            .iter()
            .filter(|s| match target {
                Some(t) => s.target == *t,
                // The whole model: concrete rules only; the generic table is per element.
                None => !s.is_generic(),
            })
            .cloned()
            .collect();
        // Stable: equal levels keep the rules' order.
        list.sort_by_key(|s| std::cmp::Reverse(s.level(&self.model)));
        list
    }

    pub(super) fn suggestions_key(&mut self, target: Option<Id>, choice: usize, key: KeyEvent) {
        let list = self.suggestion_list(target.as_ref());
        let n = list.len().max(1);
        let stay = |choice: usize| Mode::Suggestions {
            target: target.clone(),
            choice,
        };
        if let Some(choice) = step(choice, n, key.code) {
            self.mode = stay(choice);
            return;
        }
        match key.code {
            KeyCode::Esc | KeyCode::Char('q') => self.resume_walk(),
            KeyCode::Enter | KeyCode::Char('y') => {
                if let Some(s) = list.get(choice) {
                    let id = ops::fresh_id(&self.model, &s.title);
                    let t = s.to_threat(id.clone());
                    self.edit(Edit::InsertThreat(self.model.threats.len(), t), None);
                    self.message = format!("accepted as threat {id}");
                }
                self.mode = stay(choice.min(n.saturating_sub(2)));
            }
            KeyCode::Char('x') | KeyCode::Char('d') => {
                if let Some(s) = list.get(choice) {
                    let mut d = self.model.dismissed.clone();
                    d.push(Dismissal {
                        rule: s.rule.to_owned(),
                        target: s.target.clone(),
                        reason: String::new(),
                    });
                    self.edit(Edit::SetDismissed(d), None);
                    self.message = "dismissed".into();
                }
                self.mode = stay(choice.min(n.saturating_sub(2)));
            }
            _ => {}
        }
    }

    pub(super) fn checklist_key(&mut self, component: Id, item: usize, key: KeyEvent) {
        const N: usize = Checklist::QUESTIONS;
        let stay = |item| Mode::Checklist {
            component: component.clone(),
            item,
        };
        match key.code {
            KeyCode::Esc | KeyCode::Char('q') => self.mode = Mode::Normal,
            KeyCode::Up | KeyCode::Char('k') => self.mode = stay((item + N - 1) % N),
            KeyCode::Down | KeyCode::Char('j') => self.mode = stay((item + 1) % N),
            KeyCode::Tab => self.next_checklist(&component),
            KeyCode::Enter | KeyCode::Char(' ') | KeyCode::Char('y') | KeyCode::Char('n') => {
                let Some(i) = self.model.components.iter().position(|c| c.id == component) else {
                    return;
                };
                let mut c = self.model.components[i].clone();
                let slot = c.checklist.answers_mut().into_iter().nth(item);
                if let Some(a) = slot {
                    *a = match key.code {
                        KeyCode::Char('y') => Some(true),
                        KeyCode::Char('n') => Some(false),
                        // Unanswered → yes → no → unanswered.
                        _ => match *a {
                            None => Some(true),
                            Some(true) => Some(false),
                            Some(false) => None,
                        },
                    };
                }
                self.edit(Edit::SetComponent(i, c), None);
                // A yes or no is an answer: on to the next question, as on a form on paper.
                // Enter and space cycle, and stay for the next press.
                if matches!(key.code, KeyCode::Char('y' | 'n')) && item + 1 < N {
                    self.mode = stay(item + 1);
                }
            }
            _ => {}
        }
    }

    /// In-scope components whose checklists still have unanswered questions, in model order.
    pub fn checklists_left(&self) -> Vec<Id> {
        self.model
            .open_checklists()
            .map(|(c, _)| c.id.clone())
            .collect()
    }

    /// Opens the checklist of the next component after `from` (in model order, wrapping round)
    /// with questions left, at its first unanswered one, and selects it.
    fn next_checklist(&mut self, from: &Id) {
        let order: Vec<&Id> = self.model.components.iter().map(|c| &c.id).collect();
        let at = order.iter().position(|id| *id == from).unwrap_or(0);
        let left = self.checklists_left();
        let next = (1..=order.len())
            .map(|k| order[(at + k) % order.len()])
            .find(|id| *id != from && left.contains(id))
            .cloned();
        let Some(next) = next else {
            self.message = "no other component has questions left".into();
            return;
        };
        let item = self
            .model
            .component(next.as_str())
            .and_then(|c| c.checklist.first_unanswered())
            .unwrap_or(0);
        self.selected = Some(next.clone());
        self.keep_in_view();
        self.mode = Mode::Checklist {
            component: next,
            item,
        };
    }

    /// The flows the walkthrough steps through, in walking order: those crossing a boundary
    /// (every flow after `a`, the crossings first), by the outermost boundary they cross,
    /// then from left to right on the canvas.
    pub fn walked_flows(&self) -> Vec<Id> {
        let mut flows: Vec<(bool, String, i32, Id)> = self
            .model
            .flows
            .iter()
            .filter(|f| self.walk_all || self.model.crosses_boundary(f))
            .map(|f| {
                let crossed = self.model.boundaries_crossed(f);
                let key = crossed.last().map_or(String::new(), |b| b.name.clone());
                let x = self
                    .model
                    .component(f.source.as_str())
                    .map_or(0, |c| c.position.x);
                (crossed.is_empty(), key, x, f.id.clone())
            })
            .collect();
        flows.sort();
        flows.into_iter().map(|(_, _, _, id)| id).collect()
    }

    /// Switches the walk between the boundary-crossing flows and every flow, staying on the
    /// flow at `index` (in the smaller walk, one not in it gives way to the first left).
    fn toggle_walk_all(&mut self, index: usize) {
        let here = self.walked_flows().get(index).cloned();
        self.walk_all = !self.walk_all;
        let flows = self.walked_flows();
        if flows.is_empty() {
            // No flow crosses a boundary: the walk stays on every flow.
            self.walk_all = true;
            self.message = "no flow crosses a trust boundary: walking every flow".into();
            return;
        }
        let index = here
            .and_then(|f| flows.iter().position(|x| *x == f))
            .or_else(|| self.first_unreviewed(&flows))
            .unwrap_or(0);
        self.message = if self.walk_all {
            "walking every flow (a: the crossings only)".into()
        } else {
            "walking the boundary-crossing flows (a: every flow)".into()
        };
        self.mode = Mode::Walkthrough { index };
        self.walk_to(index);
    }

    /// Back to the walkthrough step the user left, if they came from one; else normal.
    pub(super) fn resume_walk(&mut self) {
        self.mode = match self.walk_back.take() {
            Some(index) => Mode::Walkthrough { index },
            None => Mode::Normal,
        };
    }

    /// The first flow of `flows` not yet reviewed.
    fn first_unreviewed(&self, flows: &[Id]) -> Option<usize> {
        self.next_unreviewed(flows, flows.len().saturating_sub(1))
    }

    /// The first flow of `flows` after `index` (wrapping round) not yet reviewed.
    fn next_unreviewed(&self, flows: &[Id], index: usize) -> Option<usize> {
        (1..=flows.len())
            .map(|k| (index + k) % flows.len())
            .find(|&i| {
                self.model
                    .flow(flows[i].as_str())
                    .is_some_and(|f| !f.reviewed())
            })
    }

    /// Records the walked flow as reviewed today and moves on to the next one still to
    /// review; on a reviewed flow, takes the review back.
    fn toggle_reviewed(&mut self, index: usize) {
        let flows = self.walked_flows();
        let Some(i) = flows
            .get(index)
            .and_then(|id| self.model.flows.iter().position(|f| f.id == *id))
        else {
            return;
        };
        let mut f = self.model.flows[i].clone();
        let reviewed = !f.reviewed();
        if reviewed {
            f.review(self.today, self.me.as_deref());
        } else {
            f.withdraw_review();
        }
        self.edit(Edit::SetFlow(i, f), None);
        if !reviewed {
            self.message = "review taken back".into();
            return;
        }
        match self.next_unreviewed(&flows, index) {
            Some(next) => {
                self.message = format!("reviewed {}", self.today);
                self.mode = Mode::Walkthrough { index: next };
                self.walk_to(next);
            }
            None if self.walk_all => self.message = "every flow is reviewed".into(),
            None => self.message = "every boundary-crossing flow is reviewed".into(),
        }
    }

    fn walk_to(&mut self, index: usize) {
        if let Some(f) = self.walked_flows().get(index).cloned() {
            self.selected = Some(f);
            self.keep_in_view();
        }
    }

    pub(super) fn walkthrough_key(&mut self, index: usize, key: KeyEvent) {
        let n = self.walked_flows().len().max(1);
        match key.code {
            KeyCode::Esc | KeyCode::Char('q') => self.mode = Mode::Normal,
            KeyCode::Right | KeyCode::Char('n') | KeyCode::Char(' ') | KeyCode::Down => {
                self.mode = Mode::Walkthrough {
                    index: (index + 1) % n,
                };
                self.walk_to((index + 1) % n);
            }
            KeyCode::Left | KeyCode::Char('p') | KeyCode::Up => {
                self.mode = Mode::Walkthrough {
                    index: (index + n - 1) % n,
                };
                self.walk_to((index + n - 1) % n);
            }
            KeyCode::Char('r') => self.toggle_reviewed(index),
            KeyCode::Char('a') => self.toggle_walk_all(index),
            // The flow's form, to fix what the walk found (an unencrypted crossing), and back.
            KeyCode::Char('e') => {
                if let Some(f) = self.walked_flows().get(index).cloned() {
                    self.form_back = Some(Mode::Walkthrough { index });
                    self.mode = Mode::Form {
                        target: f,
                        field: 0,
                    };
                }
            }
            KeyCode::Char('v') | KeyCode::Enter => {
                if let Some(f) = self.walked_flows().get(index).cloned() {
                    self.walk_back = Some(index);
                    self.mode = Mode::Suggestions {
                        target: Some(f),
                        choice: 0,
                    };
                }
            }
            KeyCode::Char('t') => {
                if let Some(f) = self.walked_flows().get(index).cloned() {
                    self.walk_back = Some(index);
                    self.input(
                        Purpose::NewThreat(vec![f]),
                        "New threat against this flow",
                        "",
                    );
                }
            }
            _ => {}
        }
    }
}
