//! Application state and its update function. Keys become actions through the keymap;
//! actions change view state or become model edits through `History`; input and output are
//! returned as effects for the event loop to run. Nothing here touches the terminal or files.

use super::action::Action;
use super::canvas::{self, WorldRect};
use super::form::{self, Value};
use super::keymap::{Keymap, Scope};
use super::overview::Fit;
use super::theme::Theme;
use crate::analysis::suggestions::{self, Suggestion};
use crate::format::ron::{Fingerprint, SaveError};
use crate::model::layout::{BOX_HEIGHT, BOX_WIDTH, auto_layout, room_for_label};
use crate::model::{ComponentKind, Edit, History, Id, Model, Point, Threat, ops};
use std::path::PathBuf;

#[path = "app_input.rs"]
mod input;

/// The position in a list of `n` after an up or down key, wrapping around; `None` for any
/// other key.
fn step(choice: usize, n: usize, code: crossterm::event::KeyCode) -> Option<usize> {
    use crossterm::event::KeyCode::{Char, Down, End, Home, PageDown, PageUp, Up};
    // Lists such as a threat's possible targets run to dozens of rows.
    const PAGE: usize = 10;
    let n = n.max(1);
    match code {
        Up | Char('k') => Some((choice + n - 1) % n),
        Down | Char('j') => Some((choice + 1) % n),
        PageDown => Some((choice + PAGE).min(n - 1)),
        PageUp => Some(choice.saturating_sub(PAGE)),
        Home => Some(0),
        End => Some(n - 1),
        _ => None,
    }
}

/// The cursor in a list of `n` rows after a move (`page` rows to a page); `None` for any
/// other action.
fn moved(a: &Action, cursor: usize, n: usize, page: usize) -> Option<usize> {
    let last = n.saturating_sub(1);
    Some(match a {
        Action::SelectDown => (cursor + 1).min(last),
        Action::SelectUp => cursor.saturating_sub(1),
        Action::PageDown => (cursor + page).min(last),
        Action::PageUp => cursor.saturating_sub(page),
        Action::First => 0,
        Action::Last => last,
        _ => return None,
    })
}

#[path = "app_changes.rs"]
mod changes;
#[path = "app_nodes.rs"]
mod nodes;
#[path = "app_review.rs"]
mod review_screens;
#[path = "app_to_do.rs"]
mod to_do;
#[path = "app_trees.rs"]
mod tree_screens;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Diagram,
    Threats,
    Matrix,
    Actors,
    FaultTrees,
    Assets,
}

impl Screen {
    pub const ALL: [Screen; 6] = [
        Screen::Diagram,
        Screen::Threats,
        Screen::Matrix,
        Screen::Actors,
        Screen::FaultTrees,
        Screen::Assets,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Screen::Diagram => "Diagram",
            Screen::Threats => "Threats",
            Screen::Matrix => "Matrix",
            Screen::Actors => "Actors",
            Screen::FaultTrees => "Fault trees",
            Screen::Assets => "Assets",
        }
    }

    /// The title where room is short.
    pub fn short_title(self) -> &'static str {
        match self {
            Screen::FaultTrees => "Trees",
            s => s.title(),
        }
    }

    /// The key bindings in force on this screen (besides the global ones).
    pub fn scope(self) -> Scope {
        match self {
            Screen::Diagram => Scope::Diagram,
            Screen::Threats => Scope::Threats,
            Screen::Matrix => Scope::Matrix,
            Screen::Actors => Scope::Actors,
            Screen::FaultTrees => Scope::Trees,
            Screen::Assets => Scope::Assets,
        }
    }
}

/// What a line of text being typed is for.
#[derive(Debug, Clone, PartialEq)]
pub enum Purpose {
    NewComponent(ComponentKind),
    Rename,
    FlowLabel {
        source: Id,
        target: Id,
    },
    BoundaryName,
    SaveAs,
    Field(Id, usize),
    /// Against these elements.
    NewThreat(Vec<Id>),
    Filter,
    /// For the threat, from its picker (opened from the threat's form field, if any).
    NewMitigation(Id, Option<usize>),
    /// Text to find in a picker's list, from the row after `choice` on.
    FindInPick {
        what: Pick,
        threat: Id,
        choice: usize,
        back: Option<usize>,
    },
    NewActor,
    NewAsset,
    /// A node of this kind under the gate.
    NewNode(Id, NewNode),
    /// A new id for this fault-tree node.
    RenameNode(Id),
    NewTree,
}

/// The kinds of fault-tree node added from the outline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewNode {
    Gate,
    Event,
    House,
}

/// What a yes/no (or other one-letter) question decides.
#[derive(Debug, Clone, PartialEq)]
pub enum Question {
    DeleteWithFlows(Id),
    /// The marked threats.
    DeleteThreats(Vec<Id>),
    /// The fault tree at this index, whole.
    DeleteTree(usize),
    QuitUnsaved,
    Recovery,
    DiskChanged,
    SaveConflict,
}

/// What a list picker links to the threat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    /// The components, flows and assets it is against.
    Targets,
    Actors,
    Mitigations,
}

impl Pick {
    /// The threat's list of ids this picker edits.
    pub fn list(self, t: &mut Threat) -> &mut Vec<Id> {
        match self {
            Pick::Targets => &mut t.targets,
            Pick::Actors => &mut t.actors,
            Pick::Mitigations => &mut t.mitigations,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    Normal,
    Input {
        purpose: Purpose,
        prompt: String,
        text: String,
    },
    Form {
        target: Id,
        field: usize,
    },
    Palette {
        text: String,
        choice: usize,
    },
    /// The help, showing its page `page` (see `help::Layout`).
    Help {
        page: usize,
    },
    Confirm {
        question: Question,
        text: String,
        /// (key, what it does)
        choices: Vec<(char, &'static str)>,
    },
    Connect {
        source: Id,
    },
    ChooseBoundary {
        choice: usize,
    },
    /// Toggles links from a threat to actors or mitigations.
    Pick {
        what: Pick,
        threat: Id,
        choice: usize,
        /// The field of the threat's form it was opened from, to go back to.
        back: Option<usize>,
    },
    /// Suggested threats for one element (or all, with `None`).
    Suggestions {
        target: Option<Id>,
        choice: usize,
    },
    Checklist {
        component: Id,
        item: usize,
    },
    /// Stepping through the boundary-crossing flows.
    Walkthrough {
        index: usize,
    },
    /// The threats of one matrix cell.
    Cell {
        choice: usize,
    },
    /// Link a basic event to a threat.
    LinkThreat {
        event: Id,
        choice: usize,
    },
    /// Toggle a mitigation's status and see what it changes.
    WhatIf {
        choice: usize,
    },
    /// Lines to read and go from to their elements, the cursor on line `cursor`: what changed
    /// since the model was opened, what a merge could not settle, or what the review has left.
    Changes {
        list: Listing,
        title: String,
        rows: Vec<crate::format::changes::Row>,
        cursor: usize,
    },
    /// The current tree's analysis in full: its most probable cut sets or every event's
    /// importance, to go from one to its event.
    Results {
        what: Results,
        choice: usize,
    },
    /// Choose a fault-tree node or a diagram element from a list narrowed by the typed
    /// `filter`.
    Nodes {
        purpose: NodeList,
        filter: String,
        choice: usize,
    },
}

/// What a list of lines that lead to elements (`Mode::Changes`) tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    /// What changed since the model was opened (`D`).
    Changes,
    /// What a merge with the file on disk could not settle.
    Conflicts,
    /// What the review has left (`R`).
    ToDo,
}

impl Listing {
    /// The mode's name in the status line.
    pub fn name(self) -> &'static str {
        match self {
            Listing::Changes => "CHANGES",
            Listing::Conflicts => "CONFLICTS",
            Listing::ToDo => "TO DO",
        }
    }

    /// How to come back to the list after going from it to an element.
    fn again(self) -> &'static str {
        match self {
            Listing::Changes | Listing::Conflicts => "D shows the changes",
            Listing::ToDo => "R shows what is left",
        }
    }
}

/// Which of a fault tree's results a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Results {
    CutSets,
    Importance,
}

/// What a list of fault-tree nodes is for.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeList {
    /// An existing node to share under this gate.
    Share { under: Id },
    /// A node of the current tree to go to in the outline.
    Find,
    /// One of the events that stand for this threat, to go to in its tree.
    Events { threat: Id },
    /// A component, boundary or flow to select on the diagram.
    Element,
    /// The component a flow drawn from `source` goes to.
    Target { source: Id },
}

impl NodeList {
    /// What an empty list says.
    pub fn nothing_matches(&self) -> &'static str {
        match self {
            NodeList::Share { .. } | NodeList::Find => "no node matches",
            NodeList::Events { .. } => "no event matches",
            NodeList::Element => "no element matches",
            NodeList::Target { .. } => "no other component matches",
        }
    }
}

/// Input and output for the event loop to perform.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Save {
        path: PathBuf,
        force: bool,
    },
    Export {
        path: PathBuf,
        text: String,
    },
    Reload,
    /// Read the file and merge its changes into the model (see `App::merge_from_disk`).
    MergeFromDisk,
    Restore,
    DiscardRecovery,
    /// Switch to a theme, with the user's overrides for it.
    Theme(String),
    Quit,
}

pub struct App {
    pub model: Model,
    /// The model as opened or reloaded: what the session's changes are told against.
    pub baseline: Model,
    /// What the file held when loaded or last saved: the common ancestor of ours and the
    /// file's when it changes under the editor.
    pub on_disk: Model,
    pub history: History,
    pub path: Option<PathBuf>,
    /// What the file held when loaded or last saved.
    pub fingerprint: Option<Fingerprint>,
    pub dirty: bool,
    /// The date deadlines are told against (a mitigation overdue).
    pub today: crate::model::Date,
    /// Who is at the keyboard (`system::user_name`): a decision made or a flow reviewed here
    /// is theirs.
    pub me: Option<String>,
    /// Counts edits, so the loop knows when a recovery file is out of date.
    pub generation: u64,
    pub screen: Screen,
    pub selected: Option<Id>,
    pub marks: Vec<Id>,
    /// Canvas cell at the top-left of the diagram view.
    pub viewport: (i32, i32),
    /// Size of the diagram view, as last drawn.
    pub view_size: (u16, u16),
    /// `None`: compact when the model is large.
    pub compact: Option<bool>,
    /// Whether the diagram is shown whole, scaled down to the view (`overview`), and what was
    /// selected when it was opened.
    pub overview: bool,
    overview_from: Option<Id>,
    pub mode: Mode,
    pub message: String,
    pub theme: Theme,
    pub keymap: Keymap,
    /// Mouse drag in progress: the last canvas cell.
    drag: Option<(i32, i32)>,
    /// The user chose to keep their version over a file changed on disk: the next save
    /// overwrites it.
    overwrite_on_save: bool,
    pub threats_view: super::review::ThreatsView,
    /// Matrix cursor: (likelihood, impact) indices; and whether ratings are residual.
    pub matrix_cursor: (usize, usize),
    pub matrix_residual: bool,
    pub actor_cursor: usize,
    pub asset_cursor: usize,
    pub tree: super::review::TreeView,
    /// The last what-if: what toggling a mitigation changed, for the side panel.
    what_if: Vec<String>,
    /// The model version of a what-if whose top events a worker is computing, and the flag
    /// that stops it once another what-if is asked for.
    what_if_pending: Option<(u64, super::jobs::Stop)>,
    /// What each mitigation not implemented would lower alone, for the what-if list; empty
    /// for a model whose trees take too long to solve once per mitigation.
    pub gains: Vec<crate::analysis::gains::Gain>,
    /// Work queued for the event loop's workers.
    pub jobs: Vec<super::jobs::Job>,
    /// The walkthrough step to return to after looking at a flow's suggestions or recording
    /// a threat on it.
    walk_back: Option<usize>,
    /// Whether the walkthrough steps through every flow, not only those crossing a boundary.
    pub walk_all: bool,
    /// The list a form was opened from (a mitigation's, from the mitigations list), where
    /// Esc on the form goes back to.
    form_back: Option<Mode>,
    /// Every waiting suggestion, and per element (open threats, waiting suggestions) for the
    /// canvas badges; derived from the model and refreshed when it changes, not at every frame.
    pub suggestions: Vec<Suggestion>,
    pub badges: std::collections::HashMap<Id, canvas::Badge>,
    derived_for: Option<u64>,
    /// Flows' routes, found as they come into view and kept while no box moves.
    pub routes: canvas::RouteCache,
}

/// Above this many components, boxes are compact unless the user says otherwise.
const COMPACT_ABOVE: usize = 40;

impl App {
    pub fn new(model: Model, path: Option<PathBuf>, theme: Theme, keymap: Keymap) -> Self {
        // A model of fault trees alone opens where its content is.
        let screen = if model.components.is_empty() && !model.fault_trees.is_empty() {
            Screen::FaultTrees
        } else {
            Screen::Diagram
        };
        let mut app = App {
            selected: model.components.first().map(|c| c.id.clone()),
            baseline: model.clone(),
            on_disk: model.clone(),
            model,
            history: History::default(),
            path,
            fingerprint: None,
            dirty: false,
            today: crate::system::today(),
            me: None,
            generation: 0,
            screen,
            marks: Vec::new(),
            viewport: (0, 0),
            view_size: (118, 31),
            compact: None,
            overview: false,
            overview_from: None,
            mode: Mode::Normal,
            message: String::new(),
            theme,
            keymap,
            drag: None,
            overwrite_on_save: false,
            threats_view: Default::default(),
            matrix_cursor: (2, 2),
            matrix_residual: true,
            actor_cursor: 0,
            asset_cursor: 0,
            tree: Default::default(),
            what_if: Vec::new(),
            what_if_pending: None,
            gains: Vec::new(),
            jobs: Vec::new(),
            walk_back: None,
            walk_all: false,
            form_back: None,
            suggestions: Vec::new(),
            badges: Default::default(),
            routes: Default::default(),
            derived_for: None,
        };
        app.refresh_derived();
        app.keep_in_view();
        app
    }

    /// Rows a page key moves in a list: about what the screen shows of it.
    fn page(&self) -> usize {
        usize::from(self.view_size.1).saturating_sub(3).max(1)
    }

    pub fn is_compact(&self) -> bool {
        self.compact
            .unwrap_or(self.model.components.len() > COMPACT_ABOVE)
    }

    pub fn file_name(&self) -> String {
        self.path
            .as_ref()
            .map_or("untitled".into(), |p| p.display().to_string())
    }

    fn ask(&mut self, question: Question, text: String, choices: Vec<(char, &'static str)>) {
        self.mode = Mode::Confirm {
            question,
            text,
            choices,
        };
    }

    /// Offers to restore a recovery file found at start.
    pub fn offer_recovery(&mut self, when: &str) {
        self.ask(
            Question::Recovery,
            format!("Unsaved changes from {when} were recovered. Restore them?"),
            vec![('y', "restore"), ('n', "discard them")],
        );
    }

    /// Called by the loop when the file changed on disk since it was loaded or saved.
    pub fn disk_changed(&mut self) {
        if matches!(self.mode, Mode::Confirm { .. }) {
            return;
        }
        self.ask_disk_changed(format!("{} changed on disk.", self.file_name()), true);
    }

    /// Asks what to do about the file changed on disk: reload it, keep ours, and, unless a
    /// merge was just found to break the model, merge it into ours.
    pub(super) fn ask_disk_changed(&mut self, text: String, merge: bool) {
        let mut choices = vec![
            ('r', "reload it (drop my unsaved edits)"),
            ('k', "keep mine (overwrite on save)"),
        ];
        if merge {
            choices.insert(0, ('m', "merge its changes into mine"));
        }
        self.ask(Question::DiskChanged, text, choices);
    }

    /// Called by the loop with the result of a save.
    pub fn saved(&mut self, result: Result<Fingerprint, SaveError>) {
        match result {
            Ok(fp) => {
                self.fingerprint = Some(fp);
                self.on_disk = self.model.clone();
                self.overwrite_on_save = false;
                self.dirty = false;
                self.history.seal();
                self.message = format!("saved {}", self.file_name());
            }
            Err(e @ (SaveError::ChangedOnDisk { .. } | SaveError::Exists { .. })) => self.ask(
                Question::SaveConflict,
                format!(
                    "{} {}.",
                    self.file_name(),
                    match e {
                        SaveError::Exists { .. } => "appeared on disk since this model was started",
                        _ => "changed on disk since it was loaded",
                    }
                ),
                vec![
                    ('m', "merge its changes into mine"),
                    ('o', "overwrite it"),
                    ('r', "reload it (drop my edits)"),
                    ('c', "cancel"),
                ],
            ),
            Err(e) => self.message = format!("not saved: {e}"),
        }
    }

    /// Whether the model differs from the file as loaded or last saved: an edit, undo or
    /// redo that comes back to it leaves nothing to save. Kept edits over a version changed
    /// on disk always differ (the next save overwrites that version).
    fn differs_from_disk(&self) -> bool {
        self.overwrite_on_save || self.model != self.on_disk
    }

    /// Replaces the document (reload from disk, restored recovery).
    pub fn replace_model(&mut self, model: Model, fingerprint: Option<Fingerprint>, dirty: bool) {
        // Restored edits are changes to the file's version; a reload starts afresh.
        if !dirty {
            self.baseline = model.clone();
            self.on_disk = model.clone();
        }
        self.model = model;
        self.history = History::default();
        self.fingerprint = fingerprint;
        self.dirty = dirty;
        self.generation += 1;
        self.marks.clear();
        if self
            .selected
            .as_ref()
            .is_none_or(|s| self.kind_of(s).is_none())
        {
            self.selected = self.model.components.first().map(|c| c.id.clone());
        }
        self.refresh_derived();
    }

    /// Brings what is derived from the model up to date: suggestions, badges, the fault-tree
    /// analysis.
    pub fn refresh_derived(&mut self) {
        if self.derived_for != Some(self.generation) {
            self.suggestions = suggestions::suggest(&self.model);
            self.badges = canvas::badges(&self.model, &self.suggestions);
            self.derived_for = Some(self.generation);
        }
        self.refresh_analysis();
    }

    fn edit(&mut self, e: Edit, group: Option<&str>) {
        // Finding the threat again sorts the threats table (0.28 ms for 2 000 threats, twice
        // an edit): not for the diagram's edits, a drag's many moves among them, which leave
        // the threats where they were.
        let threat = (self.screen != Screen::Diagram)
            .then(|| self.current_threat())
            .flatten();
        // A flow edited with its review kept, which the edit then withdraws (see
        // `Flow::keep_review`): said, since nothing else shows why the ✓ went.
        let reviewed = match &e {
            Edit::SetFlow(i, f) if f.reviewed() => Some(*i),
            _ => None,
        };
        if let Err(err) = self.history.apply(&mut self.model, e, group) {
            self.message = err.to_string();
            return;
        }
        if reviewed.is_some_and(|i| self.model.flows.get(i).is_some_and(|f| !f.reviewed())) {
            self.message =
                "review withdrawn: what was reviewed changed (r reviews it again)".into();
        }
        self.dirty = self.differs_from_disk();
        self.generation += 1;
        // The threats table is sorted and filtered by what an edit may change (a mitigation
        // implemented lowers a risk, a status moves on): its cursor stays on the threat it
        // was on, which an edit made there keeps in view.
        let Some(t) = threat else { return };
        if !self.follow_threat(&t) && self.screen == Screen::Threats {
            self.threats_view.kept = Some(t.clone());
            self.follow_threat(&t);
        }
        if self.threats_view.kept.as_ref() == Some(&t)
            && let Some(x) = self.model.threat(t.as_str())
            && !super::review::matches(&self.model, x, &self.threats_view.filter, self.today)
        {
            self.message = "no longer matches the filter: shown until the cursor leaves it".into();
        }
    }

    fn kind_of(&self, id: &Id) -> Option<&'static str> {
        if self.model.component(id.as_str()).is_some() {
            Some("component")
        } else if self.model.flow(id.as_str()).is_some() {
            Some("flow")
        } else if self.model.boundary(id.as_str()).is_some() {
            Some("boundary")
        } else {
            None
        }
    }

    /// What connecting does from here: the flow Enter would draw, once the arrows have left
    /// the source for a target.
    pub(super) fn connect_message(&self) -> String {
        let Mode::Connect { source } = &self.mode else {
            return String::new();
        };
        let name = |id: &Id| {
            self.model
                .component(id.as_str())
                .map_or_else(|| id.to_string(), |c| c.name.clone())
        };
        match self.selected_component().filter(|t| t != source) {
            Some(target) => format!(
                "connect {} → {}: Enter draws the flow, arrows choose another target",
                name(source),
                name(&target)
            ),
            None => format!(
                "connect from {}: choose the target with the arrows (/ by name), then Enter",
                name(source)
            ),
        }
    }

    fn selected_component(&self) -> Option<Id> {
        self.selected
            .as_ref()
            .filter(|s| self.model.component(s.as_str()).is_some())
            .cloned()
    }

    /// Into the overview, or, when the whole diagram fits the view at full size, pans so it
    /// is all in view; out of the overview, back to full size with the selection in view.
    fn toggle_overview(&mut self) {
        if self.overview {
            self.overview = false;
            self.message = "full size".into();
            // A selection picked in the overview is shown amid what surrounds it.
            if self.selected != self.overview_from {
                self.centre_on_selection();
            }
            self.keep_in_view();
            return;
        }
        self.overview_from = self.selected.clone();
        let Some(all) =
            canvas::whole(&self.model, self.is_compact(), &self.routes).map(|w| w.extent)
        else {
            self.message = "nothing to show: the diagram is empty".into();
            return;
        };
        if Fit::whole_at_full_size(all, self.view_size) {
            let (w, h) = (i32::from(self.view_size.0), i32::from(self.view_size.1));
            self.viewport = (all.x - (w - all.w) / 2, all.y - (h - all.h) / 2);
            self.message = "the whole diagram is in view".into();
        } else {
            self.overview = true;
            self.message =
                "overview: enter goes to the selection, Z or esc back to full size".into();
        }
    }

    /// Scrolls the diagram so that the selection is in the middle of the view.
    fn centre_on_selection(&mut self) {
        if let Some(r) = self.selected.as_ref().and_then(|s| self.rect_of(s)) {
            let (w, h) = (i32::from(self.view_size.0), i32::from(self.view_size.1));
            self.viewport = (r.x + r.w / 2 - w / 2, r.y + r.h / 2 - h / 2);
        }
    }

    /// Scrolls the diagram so that the selection is fully in view.
    pub fn keep_in_view(&mut self) {
        let Some(r) = self.selected.as_ref().and_then(|s| self.rect_of(s)) else {
            return;
        };
        let (w, h) = (i32::from(self.view_size.0), i32::from(self.view_size.1));
        let (mut x, mut y) = self.viewport;
        if r.x < x + 1 {
            x = r.x - 2;
        } else if r.x + r.w > x + w - 1 {
            x = (r.x + r.w - w + 2).min(r.x - 2);
        }
        if r.y < y + 1 {
            y = r.y - 1;
        } else if r.y + r.h > y + h - 1 {
            y = (r.y + r.h - h + 1).min(r.y - 1);
        }
        self.viewport = (x, y);
    }

    fn rect_of(&self, id: &Id) -> Option<WorldRect> {
        let compact = self.is_compact();
        if let Some(c) = self.model.component(id.as_str()) {
            return Some(canvas::component_rect(c, compact));
        }
        if let Some(f) = self.model.flow(id.as_str()) {
            let pts = canvas::route(&self.model, f, compact)?;
            let (x0, x1) = (
                pts.iter().map(|p| p.0).min()?,
                pts.iter().map(|p| p.0).max()?,
            );
            let (y0, y1) = (
                pts.iter().map(|p| p.1).min()?,
                pts.iter().map(|p| p.1).max()?,
            );
            return Some(WorldRect {
                x: x0,
                y: y0,
                w: x1 - x0 + 1,
                h: y1 - y0 + 1,
            });
        }
        canvas::boundary_rects(&self.model, compact)
            .get(id)
            .copied()
    }

    /// Applies `e`, an edit of element `flow`; when it set a flow's label that would then be
    /// cut between its two ends side by side, moves the boxes apart as `room_for_label`
    /// says, in an undo step of its own (`u` keeps the label and puts the boxes back).
    pub(super) fn edit_fitting_label(&mut self, e: Edit, flow: &Id) {
        let before = self.model.flow(flow.as_str()).map(|f| f.label.clone());
        self.edit(e, None);
        let after = self.model.flow(flow.as_str()).map(|f| f.label.clone());
        if after.is_some() && after != before {
            self.make_room_for_labels(std::slice::from_ref(flow));
        }
    }

    /// Applies `e`, which moves the components `moved` into or out of boundaries (or draws
    /// one around them); then makes room for the labels of their flows, which a frame and a
    /// ⚠ may now cut between boxes side by side.
    fn edit_boundaries(&mut self, e: Edit, moved: &[Id]) {
        let generation = self.generation;
        self.edit(e, None);
        if self.generation == generation {
            return;
        }
        let flows: Vec<Id> = (self.model.flows.iter())
            .filter(|f| moved.contains(&f.source) || moved.contains(&f.target))
            .map(|f| f.id.clone())
            .collect();
        self.make_room_for_labels(&flows);
    }

    /// Moves boxes apart, as `room_for_label` says, so that the labels of `flows` read whole
    /// between their ends side by side: one undo step of its own (`u` keeps what came before
    /// and puts the boxes back).
    fn make_room_for_labels(&mut self, flows: &[Id]) {
        let mut model = self.model.clone();
        let mut moves = Vec::new();
        for f in flows {
            if let Some(room) = room_for_label(&model, f)
                && model.apply(&room).is_ok()
            {
                moves.push(room);
            }
        }
        let labels = if moves.len() == 1 {
            "the label reads"
        } else {
            "labels read"
        };
        if !moves.is_empty() {
            self.edit(Edit::Batch(moves), None);
            self.message = format!("boxes moved right so {labels} whole (u puts them back)");
        }
    }

    /// A free spot for a new box: right of the selection, or in the middle of the view.
    fn free_spot(&self) -> Point {
        let origin = Point { x: 0, y: 0 };
        let start = match self
            .selected_component()
            .and_then(|s| self.model.component(s.as_str()).cloned())
        {
            Some(c) => {
                let right = c.position.x + BOX_WIDTH + 6;
                let view = (
                    self.viewport.0,
                    self.viewport.0 + i32::from(self.view_size.0),
                );
                if right + BOX_WIDTH <= view.1 || c.position.x < view.0 {
                    Point {
                        x: right,
                        y: c.position.y,
                    }
                } else {
                    // The screen's right edge: a new row under the row's first box in view,
                    // as text wraps, so that boxes added in a row all stay in sight.
                    let first = self
                        .model
                        .components
                        .iter()
                        .filter(|o| o.position.y == c.position.y && o.position.x >= view.0)
                        .map(|o| o.position.x)
                        .min()
                        .unwrap_or(c.position.x);
                    Point {
                        x: first,
                        y: c.position.y + BOX_HEIGHT + 3,
                    }
                }
            }
            // The first box of a drawing: top left, where the rows it starts fill the screen.
            None if self.model.components.is_empty() => Point {
                x: self.viewport.0 + 4,
                y: self.viewport.1 + 2,
            },
            None => Point {
                x: self.viewport.0 + i32::from(self.view_size.0) / 2 - BOX_WIDTH / 2,
                y: self.viewport.1 + i32::from(self.view_size.1) / 2 - BOX_HEIGHT / 2,
            },
        };
        // The new box joins the selection's boundary (and so its ancestors).
        let own: Vec<Id> = self.selected_component().into_iter().collect();
        self.free_place(&[origin], start, &own)
    }

    /// Where a group of boxes (at `shape`, relative to its anchor) can go, from `start` down:
    /// on no box, and on no boundary's region but those enclosing `joining` (the boundaries
    /// the boxes will join).
    fn free_place(&self, shape: &[Point], start: Point, joining: &[Id]) -> Point {
        let compact = self.is_compact();
        let own: Vec<Id> = joining
            .iter()
            .flat_map(|c| self.model.boundary_chain(c.as_str()))
            .map(|b| b.id.clone())
            .collect();
        let foreign: Vec<WorldRect> = canvas::boundary_rects(&self.model, compact)
            .into_iter()
            .filter(|(id, _)| !own.contains(id))
            .map(|(_, r)| r)
            .collect();
        let boxes = self
            .model
            .components
            .iter()
            .map(|c| canvas::component_rect(c, compact));
        let obstacles: Vec<(WorldRect, i32, i32)> = boxes
            .map(|r| (r, 2, 1))
            .chain(foreign.into_iter().map(|r| (r, 1, 1)))
            .collect();
        let taken = |p: Point| {
            obstacles.iter().any(|(r, mx, my)| {
                p.x < r.x + r.w + mx
                    && r.x < p.x + BOX_WIDTH + mx
                    && p.y < r.y + r.h + my
                    && r.y < p.y + BOX_HEIGHT + my
            })
        };
        (0..200)
            .map(|i| Point {
                x: start.x,
                y: start.y + i * (BOX_HEIGHT + 2),
            })
            .find(|p| {
                !shape.iter().any(|d| {
                    taken(Point {
                        x: p.x + d.x,
                        y: p.y + d.y,
                    })
                })
            })
            .unwrap_or(start)
    }

    /// Duplicates the selected component, or the marked ones, with their flows (see
    /// `ops::duplicate_components`), right of the originals where there is room.
    fn duplicate(&mut self) {
        let ids: Vec<Id> = self
            .moving()
            .into_iter()
            .filter(|id| self.model.component(id.as_str()).is_some())
            .collect();
        let boxes: Vec<Point> = self
            .model
            .components
            .iter()
            .filter(|c| ids.contains(&c.id))
            .map(|c| c.position)
            .collect();
        let (Some(left), Some(top), Some(right)) = (
            boxes.iter().map(|p| p.x).min(),
            boxes.iter().map(|p| p.y).min(),
            boxes.iter().map(|p| p.x).max(),
        ) else {
            self.message = "select a component, or mark several, to duplicate".into();
            return;
        };
        let shape: Vec<Point> = boxes
            .iter()
            .map(|p| Point {
                x: p.x - left,
                y: p.y - top,
            })
            .collect();
        let start = Point {
            x: right + BOX_WIDTH + 6,
            y: top,
        };
        let to = self.free_place(&shape, start, &ids);
        let offset = Point {
            x: to.x - left,
            y: to.y - top,
        };
        let (e, copies) = ops::duplicate_components(&self.model, &ids, offset);
        self.edit(e, None);
        if copies
            .iter()
            .any(|c| self.model.component(c.as_str()).is_none())
        {
            // Refused: `edit` said why.
            return;
        }
        // The first copy selected (in view), all of them marked to move on together.
        self.select(copies.first().cloned());
        if copies.len() > 1 {
            self.marks = copies.clone();
        }
        self.message = match copies.as_slice() {
            [one] => format!("duplicated as {one}"),
            many => format!(
                "duplicated {} components; the copies are marked",
                many.len()
            ),
        };
    }

    /// Where the selection sits on the canvas: a component's centre, the middle of a flow's
    /// ends, a boundary's centre.
    fn selection_centre(&self) -> Option<(i32, i32)> {
        let centre = |p: Point| (p.x + BOX_WIDTH / 2, p.y + BOX_HEIGHT / 2);
        let id = self.selected.as_ref()?;
        if let Some(c) = self.model.component(id.as_str()) {
            return Some(centre(c.position));
        }
        if let Some(f) = self.model.flow(id.as_str()) {
            let (a, b) = (
                self.model.component(f.source.as_str())?,
                self.model.component(f.target.as_str())?,
            );
            let ((ax, ay), (bx, by)) = (centre(a.position), centre(b.position));
            return Some(((ax + bx) / 2, (ay + by) / 2));
        }
        canvas::boundary_rects(&self.model, self.is_compact())
            .get(id)
            .map(|r| (r.x + r.w / 2, r.y + r.h / 2))
    }

    /// The component nearest to the selection in a direction (dx, dy). From a flow, the
    /// arrows lead to its ends and beyond; from a boundary, to what is around its centre.
    fn nearest(&self, dx: i32, dy: i32) -> Option<Id> {
        let (fx, fy) = self.selection_centre()?;
        let centre = |p: Point| (p.x + BOX_WIDTH / 2, p.y + BOX_HEIGHT / 2);
        self.model
            .components
            .iter()
            .filter(|c| Some(&c.id) != self.selected.as_ref())
            .filter_map(|c| {
                let (x, y) = centre(c.position);
                let (along, across) = if dx != 0 {
                    ((x - fx) * dx, (y - fy).abs())
                } else {
                    ((y - fy) * dy, (x - fx).abs())
                };
                // Rows are closer together than columns: weigh vertical distance up.
                let (along, across) = if dx != 0 {
                    (along, across * 3)
                } else {
                    (along * 3, across)
                };
                (along > 0).then_some((along + 2 * across, c.id.clone()))
            })
            .min_by_key(|(score, _)| *score)
            .map(|(_, id)| id)
    }

    pub(super) fn select(&mut self, id: Option<Id>) {
        if let Some(id) = id {
            self.selected = Some(id);
            self.keep_in_view();
        }
    }

    fn cycle_component(&mut self, step: isize) {
        let n = self.model.components.len() as isize;
        if n == 0 {
            return;
        }
        // From a selected flow, start at its source.
        let from = match self.selected.as_ref() {
            Some(s) => self.model.flow(s.as_str()).map_or(s, |f| &f.source),
            None => return self.select(Some(self.model.components[0].id.clone())),
        };
        let at = self
            .model
            .components
            .iter()
            .position(|c| c.id == *from)
            .map_or(0, |i| (i as isize + step).rem_euclid(n));
        self.select(Some(self.model.components[at as usize].id.clone()));
    }

    /// Selects the next (or previous) flow touching the selected component or flow's source.
    fn cycle_flow(&mut self, step: isize) {
        let anchor = match self.selected.as_ref() {
            Some(s) if self.model.flow(s.as_str()).is_some() => {
                self.model.flow(s.as_str()).map(|f| f.source.clone())
            }
            other => other.cloned(),
        };
        let Some(anchor) = anchor else { return };
        let flows: Vec<&Id> = ops::attached_flows(&self.model, &anchor)
            .iter()
            .map(|f| &f.id)
            .collect();
        if flows.is_empty() {
            self.message = "no flow here".into();
            return;
        }
        let n = flows.len() as isize;
        let at = self
            .selected
            .as_ref()
            .and_then(|s| flows.iter().position(|f| *f == s))
            .map_or(if step > 0 { 0 } else { n - 1 }, |i| {
                (i as isize + step).rem_euclid(n)
            });
        let id = flows[at as usize].clone();
        self.select(Some(id));
    }

    fn moving(&self) -> Vec<Id> {
        let mut ids = self.marks.clone();
        if let Some(s) = self.selected_component()
            && !ids.contains(&s)
        {
            ids.push(s);
        }
        ids
    }

    fn input(&mut self, purpose: Purpose, prompt: &str, text: &str) {
        self.mode = Mode::Input {
            purpose,
            prompt: prompt.to_owned(),
            text: text.to_owned(),
        };
    }

    /// Asks for the label of a flow about to be drawn from `source` to `target`, whichever
    /// way the target was chosen.
    pub(super) fn ask_flow_label(&mut self, source: Id, target: Id) {
        self.message.clear();
        self.input(Purpose::FlowLabel { source, target }, "Flow label", "");
    }

    /// Runs one action.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        let effects = self.run_action(action);
        self.refresh_derived();
        effects
    }

    fn run_action(&mut self, action: Action) -> Vec<Effect> {
        if let Some(effects) = self.review_action(&action) {
            return effects;
        }
        if !matches!(
            action,
            Action::MoveLeft | Action::MoveRight | Action::MoveUp | Action::MoveDown
        ) {
            self.history.seal();
        }
        let step = |d: i32| if d == 0 { 0 } else { d };
        match action {
            Action::Quit => {
                if self.dirty {
                    self.ask(
                        Question::QuitUnsaved,
                        "There are unsaved changes.".into(),
                        vec![
                            ('s', "save and quit"),
                            ('d', "discard them and quit"),
                            ('c', "cancel"),
                        ],
                    );
                } else {
                    return vec![Effect::Quit];
                }
            }
            Action::Save => return self.save(false),
            Action::SaveAs(p) => {
                self.path = Some(PathBuf::from(p));
                self.fingerprint = None;
                return self.save(false);
            }
            Action::Changes => self.show_changes(),
            Action::ToDo => self.show_to_do(),
            Action::ExportChanges(p) => return self.export_changes(p),
            Action::ExportDot(p) => {
                return vec![Effect::Export {
                    path: PathBuf::from(p),
                    text: crate::format::dot::diagram(&self.model),
                }];
            }
            // Loading reads the user's theme file: the loop does it.
            Action::Theme(name) => return vec![Effect::Theme(name)],
            Action::Undo => {
                if self.history.undo(&mut self.model) {
                    self.dirty = self.differs_from_disk();
                    self.generation += 1;
                    self.message = "undone".into();
                } else {
                    self.message = "nothing to undo".into();
                }
            }
            Action::Redo => {
                if self.history.redo(&mut self.model) {
                    self.dirty = self.differs_from_disk();
                    self.generation += 1;
                    self.message = "redone".into();
                } else {
                    self.message = "nothing to redo".into();
                }
            }
            Action::Help => self.mode = Mode::Help { page: 0 },
            Action::Palette => {
                self.mode = Mode::Palette {
                    text: String::new(),
                    choice: 0,
                }
            }
            Action::Cancel => {
                if self.overview && self.mode == Mode::Normal && self.screen == Screen::Diagram {
                    self.toggle_overview();
                }
                self.marks.clear();
                self.threats_view.marked.clear();
                self.mode = Mode::Normal;
                self.message.clear();
            }
            Action::ShowDiagram => self.screen = Screen::Diagram,
            Action::ShowThreats => self.screen = Screen::Threats,
            Action::ShowMatrix => self.screen = Screen::Matrix,
            Action::ShowActors => self.screen = Screen::Actors,
            Action::ShowFaultTrees => self.screen = Screen::FaultTrees,
            Action::ShowAssets => self.screen = Screen::Assets,
            Action::NextTab => {
                let i = Screen::ALL
                    .iter()
                    .position(|s| *s == self.screen)
                    .unwrap_or(0);
                self.screen = Screen::ALL[(i + 1) % Screen::ALL.len()];
            }
            Action::SelectLeft => self.select(self.nearest(-1, 0)),
            Action::SelectRight => self.select(self.nearest(1, 0)),
            Action::SelectUp => self.select(self.nearest(0, -1)),
            Action::SelectDown => self.select(self.nearest(0, 1)),
            Action::FindNode => {
                self.mode = Mode::Nodes {
                    purpose: NodeList::Element,
                    filter: String::new(),
                    choice: 0,
                }
            }
            Action::SelectNext => self.cycle_component(1),
            Action::SelectPrevious => self.cycle_component(-1),
            Action::NextFlow => self.cycle_flow(1),
            Action::PreviousFlow => self.cycle_flow(-1),
            Action::SelectBoundary => {
                let next = match self.selected.as_ref() {
                    Some(s) if self.model.boundary(s.as_str()).is_some() => self
                        .model
                        .boundary(s.as_str())
                        .and_then(|b| b.parent.clone()),
                    Some(s) => self.model.boundary_of(s.as_str()).map(|b| b.id.clone()),
                    None => None,
                };
                match next {
                    Some(b) => self.select(Some(b)),
                    None => self.message = "not inside a boundary".into(),
                }
            }
            Action::MoveLeft | Action::MoveRight | Action::MoveUp | Action::MoveDown => {
                let (dx, dy) = match action {
                    Action::MoveLeft => (-2, 0),
                    Action::MoveRight => (2, 0),
                    Action::MoveUp => (0, -1),
                    _ => (0, 1),
                };
                let ids = self.moving();
                if ids.is_empty() {
                    self.message = "select a component to move".into();
                } else {
                    let e = ops::move_components(&self.model, &ids, step(dx), step(dy));
                    self.edit(e, Some("move"));
                    self.keep_in_view();
                }
            }
            Action::PanLeft => self.viewport.0 -= 8,
            Action::PanRight => self.viewport.0 += 8,
            Action::PanUp => self.viewport.1 -= 4,
            Action::PanDown => self.viewport.1 += 4,
            Action::Duplicate => self.duplicate(),
            Action::AddProcess => self.input(
                Purpose::NewComponent(ComponentKind::Process),
                "New process",
                "",
            ),
            Action::AddDataStore => self.input(
                Purpose::NewComponent(ComponentKind::DataStore),
                "New data store",
                "",
            ),
            Action::AddExternalEntity => self.input(
                Purpose::NewComponent(ComponentKind::ExternalEntity),
                "New external entity",
                "",
            ),
            Action::Rename => {
                let current = self.selected.as_ref().and_then(|s| {
                    form::fields(&self.model, s)
                        .first()
                        .and_then(|(_, v)| match v {
                            Value::Text(t) => Some(t.clone()),
                            _ => None,
                        })
                });
                match current {
                    Some(t) => self.input(Purpose::Rename, "Rename", &t),
                    None => self.message = "select something to rename".into(),
                }
            }
            // In the overview, Enter goes to the selection, as on a map.
            Action::EditProperties if self.overview => self.toggle_overview(),
            Action::EditProperties => {
                if let Some(s) = self.selected.clone().filter(|s| self.kind_of(s).is_some()) {
                    self.mode = Mode::Form {
                        target: s,
                        field: 0,
                    };
                } else {
                    self.message = "select something first".into();
                }
            }
            Action::Delete => self.delete(),
            // From a flow just drawn, the next one goes on from where it ends.
            Action::Connect => match self.selected_component().or_else(|| {
                let f = self.model.flow(self.selected.as_ref()?.as_str())?;
                Some(f.target.clone())
            }) {
                Some(source) => {
                    self.selected = Some(source.clone());
                    self.mode = Mode::Connect { source };
                    self.message = self.connect_message();
                }
                None => self.message = "select the component the flow starts from".into(),
            },
            Action::ToggleMark => {
                if let Some(s) = self.selected_component() {
                    if let Some(i) = self.marks.iter().position(|m| *m == s) {
                        self.marks.remove(i);
                    } else {
                        self.marks.push(s);
                    }
                }
            }
            Action::CreateBoundary => {
                if self.moving().is_empty() {
                    self.message = "select or mark the components to enclose".into();
                } else {
                    self.input(Purpose::BoundaryName, "New trust boundary", "");
                }
            }
            Action::PutInBoundary => {
                if self.selected_component().is_none() || self.model.boundaries.is_empty() {
                    self.message = "select a component; the model needs a boundary".into();
                } else {
                    self.mode = Mode::ChooseBoundary { choice: 0 };
                }
            }
            Action::RemoveFromBoundary => {
                let ids = self.moving();
                let edits = ids
                    .iter()
                    .map(|c| ops::set_boundary(&self.model, c, None))
                    .collect();
                self.edit_boundaries(Edit::Batch(edits), &ids);
            }
            Action::Layout => {
                let e = auto_layout(&self.model);
                self.edit(e, None);
                self.message = "laid out".into();
                // A fresh layout reads from its top-left corner, where it starts; the
                // selection stays in view.
                self.viewport = (0, 0);
                self.keep_in_view();
            }
            Action::ToggleCompact => self.compact = Some(!self.is_compact()),
            Action::Overview => self.toggle_overview(),
            // Meaningful on the review screens only (see `review_action`).
            Action::SortNext
            | Action::SortReverse
            | Action::Filter
            | Action::CycleLikelihood
            | Action::CycleImpact
            | Action::CycleResidualLikelihood
            | Action::CycleResidualImpact
            | Action::CycleStatus
            | Action::CycleDecision
            | Action::LinkTargets
            | Action::LinkActors
            | Action::LinkMitigations
            | Action::Suggestions
            | Action::AllSuggestions
            | Action::Checklist
            | Action::Walkthrough
            | Action::ToggleResidual
            | Action::NewActor
            | Action::AddGate
            | Action::AddEvent
            | Action::AddHouseEvent
            | Action::LinkThreat
            | Action::ShareNode
            | Action::FoldAll
            | Action::UnfoldAll
            | Action::CutSets
            | Action::Importance
            | Action::GoToThreat
            | Action::ActorThreats
            | Action::SelectionThreats
            | Action::NewAsset
            | Action::AssetThreats
            | Action::GoToFaultTree
            | Action::PageUp
            | Action::PageDown
            | Action::First
            | Action::Last
            | Action::WhatIf
            | Action::NextTree
            | Action::NewTree
            | Action::NewThreat
            | Action::ExportTreeDot(_)
            | Action::ExportBranchDot(_) => {}
        }
        Vec::new()
    }

    fn save(&mut self, force: bool) -> Vec<Effect> {
        match &self.path {
            Some(p) => vec![Effect::Save {
                path: p.clone(),
                force: force || self.overwrite_on_save,
            }],
            None => {
                self.input(Purpose::SaveAs, "Save as", "model.ron");
                Vec::new()
            }
        }
    }

    fn delete(&mut self) {
        let Some(s) = self.selected.clone() else {
            self.message = "select something to delete".into();
            return;
        };
        if self.model.component(s.as_str()).is_some() {
            let n = ops::attached_flows(&self.model, &s).len();
            if n > 0 {
                self.ask(
                    Question::DeleteWithFlows(s.clone()),
                    format!(
                        "Delete {} and its {n} flow(s)?",
                        self.model.name_of(s.as_str()).unwrap_or(s.as_str())
                    ),
                    vec![('y', "delete"), ('n', "keep")],
                );
                return;
            }
            self.delete_now(&s);
        } else if let Some(e) = ops::delete_flow(&self.model, &s) {
            let source = self.model.flow(s.as_str()).map(|f| f.source.clone());
            self.edit(e, None);
            self.selected = source;
        } else if let Some(i) = self.model.boundaries.iter().position(|b| b.id == s) {
            // Members of a deleted boundary move to its parent.
            let b = self.model.boundaries[i].clone();
            let mut edits = Vec::new();
            if let Some(p) = b
                .parent
                .as_ref()
                .and_then(|p| self.model.boundaries.iter().position(|x| x.id == *p))
            {
                let mut parent = self.model.boundaries[p].clone();
                parent.members.extend(b.members.iter().cloned());
                edits.push(Edit::SetBoundary(p, parent));
            }
            for (j, c) in self.model.boundaries.iter().enumerate() {
                if c.parent.as_ref() == Some(&b.id) {
                    let mut c = c.clone();
                    c.parent = b.parent.clone();
                    edits.push(Edit::SetBoundary(j, c));
                }
            }
            edits.push(Edit::RemoveBoundary(i));
            self.edit(Edit::Batch(edits), None);
            self.selected = b.members.first().cloned();
        }
    }

    fn delete_now(&mut self, id: &Id) {
        if let Some(e) = ops::delete_component(&self.model, id) {
            self.edit(e, None);
            self.marks.retain(|m| m != id);
            self.selected = self.model.components.first().map(|c| c.id.clone());
            self.message = format!("deleted {id}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{BoundaryKind, Impact, Likelihood, ops};

    #[test]
    fn an_edit_that_would_leave_an_invalid_model_is_refused_and_said() {
        let mut model = Model::new("t");
        let (add, c) = ops::add_component(&model, ComponentKind::Process, "Api", Point::default());
        model.apply(&add).expect("adds");
        let (b, boundary) = ops::create_boundary(&model, &[c], "Vpc", BoundaryKind::Network);
        model.apply(&b).expect("draws");
        let theme = Theme::load("dark", None).expect("theme");
        let mut app = App::new(model, None, theme, Keymap::new(&Default::default()));
        let before = app.model.clone();
        let mut t = Threat::new(
            Id::new("t1"),
            "At the boundary",
            Likelihood::Possible,
            Impact::Minor,
        );
        t.targets.push(boundary);
        app.edit(Edit::InsertThreat(0, t), None);
        assert_eq!(app.model, before);
        assert!(!app.dirty && !app.history.can_undo());
        assert!(app.message.starts_with("not done: "), "{}", app.message);
    }
}
