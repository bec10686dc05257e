//! The matrix, actors, assets and fault-tree screens' behaviour, with the what-if.

use super::super::action::Action;
use super::super::jobs::{self, Done, Job, Shared, Stop};
use super::super::review;
use super::{
    App, Effect, Mode, NewNode, NodeList, Purpose, Question, Results, Screen, moved, step,
};
use crate::model::{
    Actor, ActorKind, Asset, BasicEvent, Classification, Edit, FaultTree, Gate, GateKind,
    HouseEvent, Id, Impact, Level, Likelihood, Mitigation, MitigationStatus, Probability, Rating,
    Threat, TreeNode, ops, tree_ops,
};
use crossterm::event::{KeyCode, KeyEvent};

impl App {
    // ---- matrix ----

    /// The threats the matrix, in its current view (inherent or current), puts at `r` (see
    /// `Model::matrix_rating`).
    pub fn threats_rated(&self, r: Rating) -> impl Iterator<Item = &Threat> {
        self.model
            .threats
            .iter()
            .filter(move |t| self.model.matrix_rating(t, self.matrix_residual) == Some(r))
    }

    /// The threats in the matrix cell under the cursor.
    pub fn cell_threats(&self) -> Vec<Id> {
        let (l, i) = self.matrix_cursor;
        self.threats_rated(Rating::new(Likelihood::ALL[l], Impact::ALL[i]))
            .map(|t| t.id.clone())
            .collect()
    }

    pub(super) fn matrix_action(&mut self, a: &Action) -> Option<Vec<Effect>> {
        let (l, i) = &mut self.matrix_cursor;
        match a {
            Action::SelectLeft => *l = l.saturating_sub(1),
            Action::SelectRight => *l = (*l + 1).min(4),
            Action::SelectUp => *i = (*i + 1).min(4),
            Action::SelectDown => *i = i.saturating_sub(1),
            Action::ToggleResidual => self.matrix_residual = !self.matrix_residual,
            Action::WhatIf => self.open_what_if(),
            Action::EditProperties => {
                if self.cell_threats().is_empty() {
                    self.message = "no threat in this cell".into();
                } else {
                    self.mode = Mode::Cell { choice: 0 };
                }
            }
            _ => return None,
        }
        Some(Vec::new())
    }

    pub(super) fn cell_key(&mut self, choice: usize, key: KeyEvent) {
        let list = self.cell_threats();
        if let Some(choice) = step(choice, list.len(), key.code) {
            self.mode = Mode::Cell { choice };
            return;
        }
        match key.code {
            KeyCode::Esc | KeyCode::Char('q') => self.mode = Mode::Normal,
            KeyCode::Enter => {
                if let Some(id) = list.get(choice) {
                    self.show_threat(id);
                }
            }
            _ => {}
        }
    }

    /// Shows threat `id` on the Threats screen, clearing a filter that hides it.
    pub(super) fn show_threat(&mut self, id: &Id) {
        self.screen = Screen::Threats;
        self.mode = Mode::Normal;
        if !self.follow_threat(id) {
            self.threats_view.filter.clear();
            self.follow_threat(id);
        }
    }

    // ---- actors ----

    pub(super) fn actors_action(&mut self, a: &Action) -> Option<Vec<Effect>> {
        let n = self.model.actors.len();
        if let Some(cursor) = moved(a, self.actor_cursor, n, self.page()) {
            self.actor_cursor = cursor;
            return Some(Vec::new());
        }
        match a {
            Action::NewActor => self.input(Purpose::NewActor, "New threat actor", ""),
            Action::ActorThreats => {
                if let Some(a) = self.model.actors.get(self.actor_cursor) {
                    self.threats_view.set_filter(format!("actor:{}", a.id));
                    self.screen = Screen::Threats;
                }
            }
            Action::EditProperties => {
                if let Some(a) = self.model.actors.get(self.actor_cursor) {
                    self.mode = Mode::Form {
                        target: a.id.clone(),
                        field: 0,
                    };
                }
            }
            Action::Delete => {
                if let Some(actor) = self
                    .model
                    .actors
                    .get(self.actor_cursor)
                    .map(|a| a.id.clone())
                {
                    let mut edits = self.unlinked(&actor, |t| &mut t.actors);
                    edits.push(Edit::RemoveActor(self.actor_cursor));
                    self.edit(Edit::Batch(edits), None);
                    self.actor_cursor = self
                        .actor_cursor
                        .min(self.model.actors.len().saturating_sub(1));
                }
            }
            _ => return None,
        }
        Some(Vec::new())
    }

    pub(super) fn new_actor(&mut self, name: &str) {
        let id = ops::fresh_id(&self.model, name);
        let a = Actor {
            id,
            name: name.to_owned(),
            kind: ActorKind::Custom("custom".into()),
            skill: Level::Medium,
            resources: Level::Medium,
            motive: String::new(),
            description: String::new(),
        };
        self.edit(Edit::InsertActor(self.model.actors.len(), a), None);
        self.actor_cursor = self.model.actors.len() - 1;
    }

    // ---- assets ----

    pub(super) fn assets_action(&mut self, a: &Action) -> Option<Vec<Effect>> {
        let n = self.model.assets.len();
        if let Some(cursor) = moved(a, self.asset_cursor, n, self.page()) {
            self.asset_cursor = cursor;
            return Some(Vec::new());
        }
        let asset = self
            .model
            .assets
            .get(self.asset_cursor)
            .map(|x| x.id.clone());
        match (a, asset) {
            (Action::NewAsset, _) => self.input(Purpose::NewAsset, "New asset", ""),
            (Action::AssetThreats, Some(id)) => {
                self.threats_view.set_filter(format!("asset:{id}"));
                self.screen = Screen::Threats;
            }
            (Action::EditProperties, Some(id)) => {
                self.mode = Mode::Form {
                    target: id,
                    field: 0,
                }
            }
            // Its threats stay, against the rest of what they targeted.
            (Action::Delete, Some(id)) => {
                let mut edits = self.unlinked(&id, |t| &mut t.targets);
                edits.push(Edit::RemoveAsset(self.asset_cursor));
                self.edit(Edit::Batch(edits), None);
                self.asset_cursor =
                    (self.asset_cursor).min(self.model.assets.len().saturating_sub(1));
            }
            (Action::AssetThreats | Action::EditProperties | Action::Delete, None) => {
                self.message = "no asset yet: n adds one".into();
            }
            _ => return None,
        }
        Some(Vec::new())
    }

    /// The edits that take `id` out of every threat's list `field` (its actors, its
    /// targets), before what it names is deleted.
    fn unlinked(&self, id: &Id, field: fn(&mut Threat) -> &mut Vec<Id>) -> Vec<Edit> {
        (self.model.threats.iter().enumerate())
            .filter_map(|(i, t)| {
                let mut t = t.clone();
                let list = field(&mut t);
                let before = list.len();
                list.retain(|x| x != id);
                (list.len() < before).then_some(Edit::SetThreat(i, t))
            })
            .collect()
    }

    pub(super) fn new_asset(&mut self, name: &str) {
        let a = Asset {
            id: ops::fresh_id(&self.model, name),
            name: name.to_owned(),
            description: String::new(),
            classification: Classification::Confidential,
            stored_in: Vec::new(),
        };
        self.edit(Edit::InsertAsset(self.model.assets.len(), a), None);
        self.asset_cursor = self.model.assets.len() - 1;
        self.message = "Enter edits it: classification, where it is stored".into();
    }

    // ---- fault trees ----

    pub fn outline(&self) -> Vec<review::OutlineRow> {
        review::outline(&self.model, self.tree.tree, &self.tree.folded)
    }

    pub(super) fn current_node(&self) -> Option<Id> {
        self.outline().get(self.tree.cursor).map(|r| r.id.clone())
    }

    /// The gate a new gate or event goes under: the selected gate, or the gate the selected
    /// event (or house event) sits under in the outline, so that adding beside an event
    /// needs no move up to its gate first.
    fn gate_to_add_under(&self) -> Option<Id> {
        let rows = self.outline();
        let here = rows.get(self.tree.cursor)?;
        let is_gate = |id: &Id| {
            self.model
                .fault_trees
                .iter()
                .any(|t| t.gates.iter().any(|g| g.id == *id))
        };
        if is_gate(&here.id) {
            return Some(here.id.clone());
        }
        review::ancestors(&rows, self.tree.cursor)
            .next()
            .map(|r| r.id.clone())
            .filter(is_gate)
    }

    /// The selected row's node, the gate it sits under in the outline, and that gate's own
    /// gate (`None` under the top event).
    fn placement(&self) -> Option<(Id, Id, Option<Id>)> {
        let rows = self.outline();
        let here = rows.get(self.tree.cursor)?;
        let mut above = review::ancestors(&rows, self.tree.cursor).map(|r| r.id.clone());
        let parent = above.next()?;
        Some((here.id.clone(), parent, above.next()))
    }

    /// Restructures the tree around the selected node (see `tree_ops::Move`); the cursor
    /// follows the node.
    fn move_node(&mut self, how: tree_ops::Move) {
        let Some((node, parent, grand)) = self.placement() else {
            self.message = "select a node under a gate to move it".into();
            return;
        };
        match tree_ops::move_node(&self.model, &node, &parent, grand.as_ref(), how) {
            Ok((edit, under)) => {
                self.edit(edit, None);
                self.tree.folded.remove(&under);
                self.follow(&node, &under);
            }
            Err(why) => self.message = why,
        }
    }

    /// Puts the cursor on `node` where it sits under gate `under` in the outline.
    pub(super) fn follow(&mut self, node: &Id, under: &Id) {
        let rows = self.outline();
        let placed = (0..rows.len()).find(|&i| {
            rows[i].id == *node
                && review::ancestors(&rows, i)
                    .next()
                    .is_some_and(|p| p.id == *under)
        });
        if let Some(i) = placed {
            self.tree.cursor = i;
        }
    }

    /// Recomputes the side panel when the model or the tree changed.
    pub fn refresh_analysis(&mut self) {
        if self.screen == Screen::FaultTrees || self.tree.export_after.is_some() {
            self.analyse_tree();
        }
    }

    /// The current tree's analysis for this model version: computed at once for light trees,
    /// else queued for a worker (`pending`) and `None` until it arrives.
    pub(super) fn analyse_tree(&mut self) -> Option<&review::TreeAnalysis> {
        if self.model.fault_trees.is_empty() {
            return None;
        }
        self.tree.tree = self.tree.tree.min(self.model.fault_trees.len() - 1);
        let now = (self.generation, self.tree.tree);
        let fresh = |a: &review::TreeAnalysis| (a.generation, a.tree) == now;
        let queued = |p: &review::Pending| (p.generation, p.tree) == now;
        if !self.tree.analysis.as_ref().is_some_and(fresh)
            && !self.tree.pending.as_ref().is_some_and(queued)
        {
            // A worker still on an older version gives up: only one runs at a time.
            if let Some(p) = self.tree.pending.take() {
                p.stop.raise();
            }
            if !review::heavy(&self.model) {
                self.tree.analysis =
                    Some(review::analyse(&self.model, now.1, now.0, review::effort()));
            } else {
                let (stop, progress) = (Stop::default(), Shared::default());
                self.jobs.push(Job::Analyse {
                    model: Box::new(self.model.clone()),
                    tree: now.1,
                    generation: now.0,
                    stop: stop.clone(),
                    progress: progress.clone(),
                });
                self.tree.pending = Some(review::Pending {
                    generation: now.0,
                    tree: now.1,
                    stop,
                    progress,
                    since: std::time::Instant::now(),
                });
            }
        }
        self.tree.analysis.as_ref().filter(|a| fresh(a))
    }

    /// A result computed off the UI thread; dropped if the model moved on meanwhile.
    pub fn job_done(&mut self, done: Done) -> Vec<Effect> {
        match done {
            Done::Analysis(a) => {
                if (a.generation, a.tree) != (self.generation, self.tree.tree) {
                    return Vec::new();
                }
                self.tree.analysis = Some(*a);
                self.tree.pending = None;
                match self.tree.export_after.take() {
                    Some((path, from)) => self.export_tree(&path, from),
                    None => Vec::new(),
                }
            }
            Done::TopEvents { generation, lines } => {
                // The latest what-if's, even if the model was edited since.
                if self
                    .what_if_pending
                    .as_ref()
                    .is_some_and(|(g, _)| *g == generation)
                {
                    self.what_if_pending = None;
                    self.finish_what_if(lines);
                }
                Vec::new()
            }
        }
    }

    pub(super) fn trees_action(&mut self, a: &Action) -> Option<Vec<Effect>> {
        if *a == Action::NewTree {
            self.input(
                Purpose::NewTree,
                "New fault tree: its top event (an OR gate; change it in its form)",
                "",
            );
            return Some(Vec::new());
        }
        if self.model.fault_trees.is_empty() {
            return moved(a, 0, 0, 1).map(|_| Vec::new());
        }
        let n = self.outline().len();
        if let Some(cursor) = moved(a, self.tree.cursor, n, self.page()) {
            self.tree.cursor = cursor;
            return Some(Vec::new());
        }
        match a {
            Action::FindNode => {
                self.mode = Mode::Nodes {
                    purpose: NodeList::Find,
                    filter: String::new(),
                    choice: 0,
                }
            }
            Action::NextTree => {
                self.tree.tree = (self.tree.tree + 1) % self.model.fault_trees.len();
                self.tree.cursor = 0;
            }
            Action::ToggleMark => {
                if let Some(id) = self.current_node()
                    && !self.tree.folded.remove(&id)
                {
                    self.tree.folded.insert(id);
                }
            }
            Action::FoldAll => self.fold_all(true),
            Action::UnfoldAll => self.fold_all(false),
            Action::EditProperties => {
                if let Some(id) = self.current_node() {
                    self.mode = Mode::Form {
                        target: id,
                        field: 0,
                    };
                }
            }
            Action::AddGate | Action::AddEvent | Action::AddHouseEvent => {
                match self.gate_to_add_under() {
                    Some(gate) => {
                        let (kind, prompt) = match a {
                            Action::AddGate => {
                                (NewNode::Gate, "New gate (OR; change its type in its form)")
                            }
                            Action::AddEvent => (
                                NewNode::Event,
                                "New basic event (p = 0.01; change it in its form)",
                            ),
                            _ => (
                                NewNode::House,
                                "New house event (false; Enter on it toggles it in its form)",
                            ),
                        };
                        self.input(Purpose::NewNode(gate, kind), prompt, "");
                    }
                    None => self.message = "select a gate, or an event under one, to add to".into(),
                }
            }
            Action::MoveUp | Action::MoveDown | Action::MoveLeft | Action::MoveRight => {
                let how = match a {
                    Action::MoveUp => tree_ops::Move::Up,
                    Action::MoveDown => tree_ops::Move::Down,
                    Action::MoveRight => tree_ops::Move::In,
                    _ => tree_ops::Move::Out,
                };
                self.move_node(how);
            }
            Action::ShareNode => match self.gate_to_add_under() {
                Some(under) => {
                    self.mode = Mode::Nodes {
                        purpose: NodeList::Share { under },
                        filter: String::new(),
                        choice: 0,
                    }
                }
                None => self.message = "select a gate, or a node under one, to share into".into(),
            },
            Action::Duplicate => match self.placement() {
                Some((node, parent, _)) => match tree_ops::duplicate(&self.model, &node, &parent) {
                    Ok((edit, copies)) => {
                        self.edit(edit, None);
                        let copy = &copies[0];
                        self.message = match copies.len() - 1 {
                            0 => format!("{node} duplicated as {copy}"),
                            n => format!(
                                "{node} duplicated as {copy}, with {n} node(s) of its own below"
                            ),
                        };
                        self.follow(copy, &parent);
                    }
                    Err(why) => self.message = why,
                },
                None => {
                    self.message =
                        "the top event has no gate to be duplicated under (n starts a new tree)"
                            .into()
                }
            },
            Action::Rename => {
                if let Some(id) = self.current_node() {
                    let prompt = format!("New id for {id} (wherever it is used)");
                    self.input(Purpose::RenameNode(id.clone()), &prompt, id.as_str());
                }
            }
            Action::CutSets | Action::Importance => {
                let what = if *a == Action::CutSets {
                    Results::CutSets
                } else {
                    Results::Importance
                };
                if self.report().is_some() {
                    self.mode = Mode::Results { what, choice: 0 };
                } else {
                    self.message = "no results yet: the analysis is under way or failed".into();
                }
            }
            Action::GoToThreat => {
                let linked =
                    self.current_node()
                        .and_then(|id| match self.model.fault_tree_node(&id) {
                            Some(TreeNode::Event(e)) => match &e.probability {
                                Probability::Threat(x) => Some(x.clone()),
                                _ => None,
                            },
                            _ => None,
                        });
                match linked {
                    Some(threat) => self.show_threat(&threat),
                    None => {
                        self.message =
                            "select an event that stands for a threat (t links one)".into()
                    }
                }
            }
            Action::LinkThreat => match self.current_node().filter(|id| {
                self.model
                    .fault_trees
                    .iter()
                    .any(|t| t.events.iter().any(|e| e.id == *id))
            }) {
                Some(event) => self.mode = Mode::LinkThreat { event, choice: 0 },
                None => self.message = "select a basic event".into(),
            },
            Action::Delete => match self.placement() {
                // A shared node leaves this gate only; the others keep it.
                Some((node, parent, _)) if tree_ops::uses(&self.model, &node) > 1 => {
                    match tree_ops::unshare(&self.model, &node, &parent) {
                        Ok(edit) => {
                            self.edit(edit, None);
                            self.message =
                                format!("{node} taken from under {parent}; it stays elsewhere");
                            let last = self.outline().len().saturating_sub(1);
                            self.tree.cursor = self.tree.cursor.min(last);
                        }
                        Err(why) => self.message = why,
                    }
                }
                _ => {
                    if let Some(id) = self.current_node() {
                        self.delete_node(&id);
                    }
                }
            },
            Action::WhatIf => self.open_what_if(),
            _ => return None,
        }
        Some(Vec::new())
    }

    pub(super) fn add_node(&mut self, under: Id, name: &str, kind: NewNode) {
        let Some(ti) = self.model.tree_defining(&under) else {
            return;
        };
        let id = ops::fresh_id(&self.model, name);
        let mut tree = self.model.fault_trees[ti].clone();
        if let Some(g) = tree.gates.iter_mut().find(|g| g.id == under) {
            g.inputs.push(id.clone());
        }
        let label = name.to_owned();
        match kind {
            NewNode::Gate => tree.gates.push(Gate {
                id: id.clone(),
                label,
                kind: GateKind::Or,
                inputs: Vec::new(),
            }),
            NewNode::Event => tree.events.push(BasicEvent {
                id: id.clone(),
                label,
                probability: Probability::Fixed(0.01),
                uncertainty: None,
            }),
            NewNode::House => tree.house_events.push(HouseEvent {
                id: id.clone(),
                label,
                state: false,
            }),
        }
        let edit = Edit::SetFaultTree(ti, tree);
        let mut candidate = self.model.clone();
        if candidate.apply(&edit).is_ok()
            && let Some(why) = tree_ops::new_problem(&self.model, &candidate)
        {
            self.message = format!("{why}: change the gate's type first");
            return;
        }
        self.edit(edit, None);
        self.tree.folded.remove(&under);
        if let Some(pos) = self.outline().iter().position(|r| r.id == id) {
            self.tree.cursor = pos;
        }
    }

    /// A new fault tree whose top event is an OR gate labelled `name`, shown at once, its
    /// top selected for `g` and `e` to grow it.
    pub(super) fn new_tree(&mut self, name: &str) {
        let name = name.trim();
        if name.is_empty() {
            self.message = "a fault tree needs a top event".into();
            return;
        }
        let id = ops::fresh_id(&self.model, name);
        // The tree and its top gate share a namespace: the gate's id is checked with the tree in.
        let mut tree = FaultTree {
            id: id.clone(),
            name: name.to_owned(),
            description: String::new(),
            top: id.clone(),
            gates: Vec::new(),
            events: Vec::new(),
            house_events: Vec::new(),
        };
        let mut with_tree = self.model.clone();
        with_tree.fault_trees.push(tree.clone());
        let top = ops::fresh_id(&with_tree, &format!("{id} top"));
        tree.top = top.clone();
        tree.gates.push(Gate {
            id: top,
            label: name.to_owned(),
            kind: GateKind::Or,
            inputs: Vec::new(),
        });
        let at = self.model.fault_trees.len();
        self.edit(Edit::InsertFaultTree(at, tree), None);
        self.tree.tree = at;
        self.tree.cursor = 0;
        self.message = "new fault tree: g adds a gate under its top event, e a basic event".into();
    }

    pub(super) fn rename_node(&mut self, old: &Id, new: &str) {
        match tree_ops::rename(&self.model, old, new) {
            Ok(edit) => {
                self.edit(edit, None);
                let new = Id::new(new.trim());
                if self.tree.folded.remove(old) {
                    self.tree.folded.insert(new.clone());
                }
                self.message = format!("{old} is now {new}");
            }
            Err(why) => self.message = why,
        }
    }

    /// Deletes fault tree `i` whole, unless another tree uses one of its nodes.
    pub(super) fn delete_tree(&mut self, i: usize) {
        let Some(t) = self.model.fault_trees.get(i) else {
            return;
        };
        let own = |id: &Id| t.defines(id);
        let user = self
            .model
            .fault_trees
            .iter()
            .enumerate()
            .find(|(j, other)| {
                *j != i && (own(&other.top) || other.gates.iter().flat_map(|g| &g.inputs).any(own))
            });
        if let Some((_, other)) = user {
            self.message = format!(
                "the fault tree \"{}\" uses a node of this one; remove that use first",
                other.name
            );
            return;
        }
        self.edit(Edit::RemoveFaultTree(i), None);
        self.tree.tree = i.min(self.model.fault_trees.len().saturating_sub(1));
        self.tree.cursor = 0;
    }

    fn delete_node(&mut self, id: &Id) {
        if let Some(i) = self.model.fault_trees.iter().position(|t| t.top == *id) {
            let t = &self.model.fault_trees[i];
            let nodes = t.gates.len() + t.events.len() + t.house_events.len();
            self.ask(
                Question::DeleteTree(i),
                format!(
                    "Delete the fault tree \"{}\" and its {nodes} node(s)?",
                    t.name
                ),
                vec![('y', "delete"), ('n', "keep")],
            );
            return;
        }
        // Unhook it everywhere; drop its definition; nodes left unused stay (they may be
        // shared or reused later) and validation keeps the model sound.
        let edits: Vec<Edit> = self
            .model
            .fault_trees
            .iter()
            .enumerate()
            .map(|(ti, t)| {
                let mut t = t.clone();
                for g in &mut t.gates {
                    g.inputs.retain(|i| i != id);
                }
                t.gates.retain(|g| g.id != *id);
                t.events.retain(|e| e.id != *id);
                t.house_events.retain(|h| h.id != *id);
                Edit::SetFaultTree(ti, t)
            })
            .collect();
        let mut candidate = self.model.clone();
        if candidate.apply(&Edit::Batch(edits.clone())).is_ok()
            && let Some(why) = tree_ops::new_problem(&self.model, &candidate)
        {
            self.message =
                format!("deleting it would break the tree ({why}); change the gate first");
            return;
        }
        self.edit(Edit::Batch(edits), None);
        self.tree.cursor = self.tree.cursor.saturating_sub(1);
    }

    pub(super) fn link_threat_key(&mut self, event: Id, choice: usize, key: KeyEvent) {
        // The last entry unlinks.
        if let Some(choice) = step(choice, self.model.threats.len() + 1, key.code) {
            self.mode = Mode::LinkThreat { event, choice };
            return;
        }
        match key.code {
            KeyCode::Esc | KeyCode::Char('q') => self.mode = Mode::Normal,
            KeyCode::Enter => {
                let Some(ti) = self.model.tree_defining(&event) else {
                    return;
                };
                let mut tree = self.model.fault_trees[ti].clone();
                if let Some(e) = tree.events.iter_mut().find(|e| e.id == event) {
                    e.probability = match self.model.threats.get(choice) {
                        Some(t) => Probability::Threat(t.id.clone()),
                        // The last entry unlinks: keep the probability it had.
                        None => Probability::Fixed(crate::analysis::fault_tree::graph::resolve(
                            &self.model,
                            &e.probability,
                        )),
                    };
                }
                self.edit(Edit::SetFaultTree(ti, tree), None);
                self.mode = Mode::Normal;
            }
            _ => {}
        }
    }

    /// Toggles a mitigation between implemented and planned, and reports what changed: the
    /// residual risks of its threats and the top events of the fault trees.
    /// Folds every gate of the tree but its top (an overview: the top's inputs), or unfolds
    /// every gate. The cursor stays on its node, or on the nearest gate above it still shown.
    fn fold_all(&mut self, fold: bool) {
        let rows = self.outline();
        let Some(here) = rows.get(self.tree.cursor) else {
            return;
        };
        // The node, then the gates above it, nearest first.
        let path: Vec<Id> = std::iter::once(here)
            .chain(review::ancestors(&rows, self.tree.cursor))
            .map(|r| r.id.clone())
            .collect();
        if fold {
            let gates: std::collections::HashSet<&Id> = self
                .model
                .fault_trees
                .iter()
                .flat_map(|t| t.gates.iter().map(|g| &g.id))
                .collect();
            let top = &self.model.fault_trees[self.tree.tree].top;
            let every = review::outline(&self.model, self.tree.tree, &Default::default());
            self.tree.folded = every
                .into_iter()
                .map(|r| r.id)
                .filter(|id| id != top && gates.contains(id))
                .collect();
        } else {
            self.tree.folded.clear();
        }
        let rows = self.outline();
        self.tree.cursor = path
            .iter()
            .find_map(|id| rows.iter().position(|r| r.id == *id))
            .unwrap_or(0);
    }

    /// The current tree's report, if it is for this version of the model.
    pub fn report(&self) -> Option<&crate::analysis::fault_tree::Report> {
        let a = self.tree.analysis.as_ref()?;
        let fresh = (a.generation, a.tree) == (self.generation, self.tree.tree);
        a.report.as_ref().ok().filter(|_| fresh)
    }

    /// The arrows choose a cut set or an event, Enter goes to its (first) event in the
    /// outline, Esc closes.
    pub(super) fn results_key(&mut self, what: Results, choice: usize, key: KeyEvent) {
        let Some(r) = self.report() else {
            self.mode = Mode::Normal;
            return;
        };
        let events: Vec<Id> = match what {
            Results::CutSets => r
                .cut_sets
                .sets
                .iter()
                .filter_map(|s| s.events.first().cloned())
                .collect(),
            Results::Importance => r.importance.iter().map(|i| i.event.clone()).collect(),
        };
        if let Some(choice) = step(choice, events.len(), key.code) {
            self.mode = Mode::Results { what, choice };
            return;
        }
        match key.code {
            KeyCode::Esc | KeyCode::Char('q') => self.mode = Mode::Normal,
            KeyCode::Enter => {
                self.mode = Mode::Normal;
                if let Some(event) = events.get(choice) {
                    self.reveal(event);
                }
            }
            _ => {}
        }
    }

    pub(super) fn what_if_key(&mut self, choice: usize, key: KeyEvent) {
        if let Some(choice) = step(choice, self.model.mitigations.len(), key.code) {
            self.mode = Mode::WhatIf { choice };
            return;
        }
        match key.code {
            KeyCode::Esc | KeyCode::Char('q') => self.mode = Mode::Normal,
            KeyCode::Enter | KeyCode::Char(' ') => {
                let Some(m) = self.model.mitigations.get(choice).cloned() else {
                    return;
                };
                let before = self.model.clone();
                let mut toggled = m.clone();
                // Back from implemented: to where the session found it (in progress stays in
                // progress), or planned if it was already implemented then.
                toggled.status = if m.status == MitigationStatus::Implemented {
                    self.baseline
                        .mitigation(m.id.as_str())
                        .map(|b| b.status)
                        .filter(|s| *s != MitigationStatus::Implemented)
                        .unwrap_or(MitigationStatus::Planned)
                } else {
                    MitigationStatus::Implemented
                };
                self.edit(Edit::SetMitigation(choice, toggled.clone()), None);
                self.weigh_gains();
                self.what_if = risk_changes(&before, &self.model, &m, toggled.status);
                // Only the latest what-if's worker goes on.
                if let Some((_, stop)) = self.what_if_pending.take() {
                    stop.raise();
                }
                if review::heavy(&self.model) {
                    let stop = Stop::default();
                    self.what_if_pending = Some((self.generation, stop.clone()));
                    self.jobs.push(Job::TopEvents {
                        before: Box::new(before),
                        after: Box::new(self.model.clone()),
                        generation: self.generation,
                        stop,
                    });
                } else {
                    self.finish_what_if(jobs::top_event_changes(
                        &before,
                        &self.model,
                        &review::effort(),
                    ));
                }
                self.mode = Mode::WhatIf { choice };
            }
            _ => {}
        }
    }

    /// The what-if list: mitigations to toggle implemented and back, each with what it would
    /// lower on its own.
    fn open_what_if(&mut self) {
        if self.model.mitigations.is_empty() {
            self.message = "the model has no mitigation".into();
        } else {
            self.weigh_gains();
            self.mode = Mode::WhatIf { choice: 0 };
        }
    }

    /// What each mitigation not implemented would lower alone (see `gains`).
    fn weigh_gains(&mut self) {
        self.gains = if review::heavy(&self.model) {
            Vec::new()
        } else {
            crate::analysis::gains::gains(&self.model, &review::effort())
        };
    }

    /// The last what-if's lines, ending with a placeholder while a worker computes its top
    /// events.
    pub fn what_if_lines(&self) -> Vec<&str> {
        let mut lines: Vec<&str> = self.what_if.iter().map(String::as_str).collect();
        if self.what_if_pending.is_some() {
            lines.push("  top events: computing…");
        }
        lines
    }

    /// Ends the what-if with the top events' lines.
    fn finish_what_if(&mut self, top_events: Vec<String>) {
        self.what_if.extend(top_events);
        if self.what_if.len() == 1 {
            self.what_if
                .push("  no risk level or top event changed".into());
        }
    }
}

/// The what-if's first lines: the mitigation's change, then each threat whose residual risk
/// level moved between `before` and `after`.
pub fn risk_changes(
    before: &crate::model::Model,
    after: &crate::model::Model,
    m: &Mitigation,
    now: MitigationStatus,
) -> Vec<String> {
    let mut out = vec![format!(
        "{}: {} → {}",
        m.title,
        m.status.label(),
        now.label()
    )];
    for (a, b) in before.threats.iter().zip(&after.threats) {
        let (la, lb) = (before.current_level(a), after.current_level(b));
        if la != lb {
            out.push(format!("  {}: {} → {}", b.title, la.label(), lb.label()));
        }
    }
    out
}
