//! Keys to actions. One table holds every default binding with its description: the
//! dispatcher, the `?` help and the palette all read it, so help never goes stale. A user
//! keymap file overrides only the keys it names.

use super::action::Action;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;
use std::collections::HashMap;

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Every screen.
    Global,
    /// The diagram screen.
    Diagram,
    /// The threats screen.
    Threats,
    /// The risk matrix screen.
    Matrix,
    /// The threat actors screen.
    Actors,
    /// The fault trees screen.
    Trees,
    /// The assets screen.
    Assets,
}

pub struct Binding {
    pub scope: Scope,
    pub keys: &'static [&'static str],
    pub action: Action,
    pub description: &'static str,
}

/// The default keymap.
pub fn defaults() -> Vec<Binding> {
    use Action as A;
    use Scope::{
        Actors as AC, Assets as AS, Diagram as D, Global as G, Matrix as M, Threats as T,
        Trees as F,
    };
    let b = |scope, keys, action, description| Binding {
        scope,
        keys,
        action,
        description,
    };
    vec![
        b(G, &["?"], A::Help, "show this help"),
        b(
            G,
            &[":"],
            A::Palette,
            "command palette: run any action by name",
        ),
        b(G, &["ctrl-s"], A::Save, "save (atomic; keeps NAME.ron.bak)"),
        b(G, &["u", "ctrl-z"], A::Undo, "undo"),
        b(G, &["ctrl-r", "ctrl-y"], A::Redo, "redo"),
        b(
            G,
            &["q"],
            A::Quit,
            "quit (asks when there are unsaved changes)",
        ),
        b(G, &["esc"], A::Cancel, "cancel, clear marks"),
        b(G, &["1"], A::ShowDiagram, "diagram screen"),
        b(G, &["2"], A::ShowThreats, "threats screen"),
        b(G, &["3"], A::ShowMatrix, "risk matrix screen"),
        b(G, &["4"], A::ShowActors, "threat actors screen"),
        b(G, &["5"], A::ShowFaultTrees, "fault trees screen"),
        b(G, &["6"], A::ShowAssets, "assets screen"),
        b(G, &["tab"], A::NextTab, "next screen"),
        b(
            G,
            &["D"],
            A::Changes,
            "what changed since the model was opened",
        ),
        b(
            G,
            &["R"],
            A::ToDo,
            "what the review has left, to go through",
        ),
        b(
            D,
            &["left", "h"],
            A::SelectLeft,
            "select the nearest element to the left",
        ),
        b(
            D,
            &["right", "l"],
            A::SelectRight,
            "select the nearest element to the right",
        ),
        b(
            D,
            &["up", "k"],
            A::SelectUp,
            "select the nearest element above",
        ),
        b(
            D,
            &["down", "j"],
            A::SelectDown,
            "select the nearest element below",
        ),
        b(D, &["n"], A::SelectNext, "select the next component"),
        b(
            D,
            &["N"],
            A::SelectPrevious,
            "select the previous component",
        ),
        b(D, &["/"], A::FindNode, "find an element by name"),
        b(
            D,
            &["]"],
            A::NextFlow,
            "select the next flow of the component",
        ),
        b(
            D,
            &["["],
            A::PreviousFlow,
            "select the previous flow of the component",
        ),
        b(
            D,
            &["g"],
            A::SelectBoundary,
            "select the enclosing trust boundary",
        ),
        b(
            D,
            &["shift-left", "H"],
            A::MoveLeft,
            "move the selection left",
        ),
        b(
            D,
            &["shift-right", "L"],
            A::MoveRight,
            "move the selection right",
        ),
        b(D, &["shift-up", "K"], A::MoveUp, "move the selection up"),
        b(
            D,
            &["shift-down", "J"],
            A::MoveDown,
            "move the selection down",
        ),
        b(D, &["ctrl-left"], A::PanLeft, "pan left"),
        b(D, &["ctrl-right"], A::PanRight, "pan right"),
        b(D, &["ctrl-up"], A::PanUp, "pan up"),
        b(D, &["ctrl-down"], A::PanDown, "pan down"),
        b(D, &["p"], A::AddProcess, "add a process"),
        b(D, &["s"], A::AddDataStore, "add a data store"),
        b(D, &["e"], A::AddExternalEntity, "add an external entity"),
        b(D, &["r", "f2"], A::Rename, "rename the selection"),
        b(
            D,
            &["enter"],
            A::EditProperties,
            "edit the selection's properties",
        ),
        b(D, &["x", "delete"], A::Delete, "delete the selection"),
        b(
            D,
            &["d"],
            A::Duplicate,
            "duplicate the selection, with its flows",
        ),
        b(
            D,
            &["c"],
            A::Connect,
            "connect a flow from here (a flow: its end)",
        ),
        b(
            D,
            &["space"],
            A::ToggleMark,
            "mark / unmark for a multiple selection",
        ),
        b(
            D,
            &["b"],
            A::CreateBoundary,
            "new trust boundary around marked elements",
        ),
        b(
            D,
            &["i"],
            A::PutInBoundary,
            "put the selection in a boundary",
        ),
        b(
            D,
            &["o"],
            A::RemoveFromBoundary,
            "take the selection out of its boundary",
        ),
        b(D, &["a"], A::Layout, "automatic layout"),
        b(D, &["z"], A::ToggleCompact, "compact / detailed boxes"),
        b(
            D,
            &["Z"],
            A::Overview,
            "overview: the whole diagram scaled down",
        ),
        b(
            D,
            &["T"],
            A::SelectionThreats,
            "the threats recorded against the selection",
        ),
        b(D, &["t"], A::NewThreat, "new threat against the selection"),
        b(
            D,
            &["v"],
            A::Suggestions,
            "suggested threats for the selection",
        ),
        b(
            D,
            &["V"],
            A::AllSuggestions,
            "suggested threats for the whole model",
        ),
        b(
            D,
            &["C"],
            A::Checklist,
            "review checklist of the selected component",
        ),
        b(
            D,
            &["w"],
            A::Walkthrough,
            "walk through the boundary-crossing flows",
        ),
        b(T, &["down", "j"], A::SelectDown, "next threat"),
        b(T, &["up", "k"], A::SelectUp, "previous threat"),
        b(T, &["pagedown"], A::PageDown, "a page down"),
        b(T, &["pageup"], A::PageUp, "a page up"),
        b(T, &["home"], A::First, "first threat"),
        b(T, &["end"], A::Last, "last threat"),
        b(T, &["s"], A::SortNext, "sort by the next column"),
        b(T, &["S"], A::SortReverse, "reverse the sort order"),
        b(
            T,
            &["/"],
            A::Filter,
            "filter: words, status:, decision:, stride:, actor:, risk:…",
        ),
        b(T, &["l"], A::CycleLikelihood, "cycle the likelihood"),
        b(T, &["i"], A::CycleImpact, "cycle the impact"),
        b(
            T,
            &["L"],
            A::CycleResidualLikelihood,
            "lower the residual likelihood (from the inherent one)",
        ),
        b(
            T,
            &["I"],
            A::CycleResidualImpact,
            "lower the residual impact (from the inherent one)",
        ),
        b(
            T,
            &["space"],
            A::ToggleMark,
            "mark / unmark: l i L I t d then set every marked one",
        ),
        b(T, &["t"], A::CycleStatus, "cycle the status"),
        b(T, &["d"], A::CycleDecision, "cycle the decision"),
        b(
            T,
            &["e"],
            A::LinkTargets,
            "link the elements it targets (components, flows, assets)",
        ),
        b(T, &["a"], A::LinkActors, "link threat actors"),
        b(T, &["f"], A::GoToFaultTree, "go to its fault-tree event"),
        b(
            T,
            &["m"],
            A::LinkMitigations,
            "link mitigations (n: a new one)",
        ),
        b(
            T,
            &["enter"],
            A::EditProperties,
            "edit every field of the threat",
        ),
        b(T, &["n"], A::NewThreat, "new threat"),
        b(
            T,
            &["x", "delete"],
            A::Delete,
            "delete the threat (the marked ones, after asking)",
        ),
        b(
            T,
            &["V"],
            A::AllSuggestions,
            "suggested threats, whole model",
        ),
        b(M, &["left", "h"], A::SelectLeft, "less likely"),
        b(M, &["right", "l"], A::SelectRight, "more likely"),
        b(M, &["up", "k"], A::SelectUp, "more impact"),
        b(M, &["down", "j"], A::SelectDown, "less impact"),
        b(
            M,
            &["r"],
            A::ToggleResidual,
            "inherent / current (residual) ratings",
        ),
        b(
            M,
            &["enter"],
            A::EditProperties,
            "list the threats of the cell",
        ),
        b(
            M,
            &["m"],
            A::WhatIf,
            "what-if: toggle mitigations implemented",
        ),
        b(AC, &["down", "j"], A::SelectDown, "next actor"),
        b(AC, &["up", "k"], A::SelectUp, "previous actor"),
        b(AC, &["pagedown"], A::PageDown, "a page down"),
        b(AC, &["pageup"], A::PageUp, "a page up"),
        b(AC, &["home"], A::First, "first actor"),
        b(AC, &["end"], A::Last, "last actor"),
        b(AC, &["n"], A::NewActor, "new actor"),
        b(AC, &["enter"], A::EditProperties, "edit the actor"),
        b(
            AC,
            &["t"],
            A::ActorThreats,
            "the actor's threats on the Threats screen",
        ),
        b(
            AC,
            &["x", "delete"],
            A::Delete,
            "delete the actor (unlinks its threats)",
        ),
        b(AS, &["down", "j"], A::SelectDown, "next asset"),
        b(AS, &["up", "k"], A::SelectUp, "previous asset"),
        b(AS, &["pagedown"], A::PageDown, "a page down"),
        b(AS, &["pageup"], A::PageUp, "a page up"),
        b(AS, &["home"], A::First, "first asset"),
        b(AS, &["end"], A::Last, "last asset"),
        b(AS, &["n"], A::NewAsset, "new asset"),
        b(AS, &["enter"], A::EditProperties, "edit the asset"),
        b(
            AS,
            &["t"],
            A::AssetThreats,
            "the threats against the asset on the Threats screen",
        ),
        b(
            AS,
            &["x", "delete"],
            A::Delete,
            "delete the asset (threats no longer target it)",
        ),
        b(F, &["down", "j"], A::SelectDown, "next node"),
        b(F, &["up", "k"], A::SelectUp, "previous node"),
        b(F, &["pagedown"], A::PageDown, "a page down"),
        b(F, &["pageup"], A::PageUp, "a page up"),
        b(F, &["home"], A::First, "first node"),
        b(F, &["end"], A::Last, "last node"),
        b(F, &["/"], A::FindNode, "find a node by id or label"),
        b(F, &["space"], A::ToggleMark, "fold / unfold the gate"),
        b(F, &["z"], A::FoldAll, "fold every gate: an overview"),
        b(F, &["Z"], A::UnfoldAll, "unfold every gate"),
        b(F, &["]"], A::NextTree, "next fault tree"),
        b(
            F,
            &["shift-up", "K"],
            A::MoveUp,
            "move up among its gate's inputs",
        ),
        b(
            F,
            &["shift-down", "J"],
            A::MoveDown,
            "move down among its gate's inputs",
        ),
        b(
            F,
            &["shift-right", "L"],
            A::MoveRight,
            "move into the gate just above",
        ),
        b(
            F,
            &["shift-left", "H"],
            A::MoveLeft,
            "move out of its gate, beside it",
        ),
        b(F, &["n"], A::NewTree, "new fault tree: name its top event"),
        b(
            F,
            &["g"],
            A::AddGate,
            "add a gate under the gate (or beside)",
        ),
        b(
            F,
            &["e"],
            A::AddEvent,
            "add an event under the gate (or beside)",
        ),
        b(
            F,
            &["h"],
            A::AddHouseEvent,
            "add a house event (a condition)",
        ),
        b(F, &["d"], A::Duplicate, "duplicate with its own sub-tree"),
        b(
            F,
            &["a"],
            A::ShareNode,
            "share an existing node under the gate",
        ),
        b(
            F,
            &["enter"],
            A::EditProperties,
            "edit the node: type, k, probability…",
        ),
        b(F, &["t"], A::LinkThreat, "link the event to a threat"),
        b(F, &["T"], A::GoToThreat, "go to the event's threat"),
        b(F, &["c"], A::CutSets, "the most probable cut sets"),
        b(F, &["i"], A::Importance, "every event's importance"),
        b(F, &["r"], A::Rename, "rename the node's id everywhere"),
        b(
            F,
            &["x", "delete"],
            A::Delete,
            "delete (shared: here only; top: the tree)",
        ),
        b(
            F,
            &["m"],
            A::WhatIf,
            "what-if: toggle mitigations implemented",
        ),
    ]
}

/// A key as keymap files spell it: `ctrl-s`, `shift-up`, `f2`, `enter`, `?`, `space`.
pub fn key_name(k: &KeyEvent) -> String {
    let base = match k.code {
        KeyCode::Char(' ') => "space".to_owned(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Enter => "enter".into(),
        KeyCode::Esc => "esc".into(),
        KeyCode::Tab => "tab".into(),
        KeyCode::BackTab => "backtab".into(),
        KeyCode::Backspace => "backspace".into(),
        KeyCode::Delete => "delete".into(),
        KeyCode::Left => "left".into(),
        KeyCode::Right => "right".into(),
        KeyCode::Up => "up".into(),
        KeyCode::Down => "down".into(),
        KeyCode::Home => "home".into(),
        KeyCode::End => "end".into(),
        KeyCode::PageUp => "pageup".into(),
        KeyCode::PageDown => "pagedown".into(),
        KeyCode::F(n) => format!("f{n}"),
        _ => return String::new(),
    };
    let mut name = String::new();
    if k.modifiers.contains(KeyModifiers::CONTROL) {
        name.push_str("ctrl-");
    }
    if k.modifiers.contains(KeyModifiers::ALT) {
        name.push_str("alt-");
    }
    // Shift is already in the character of letters and symbols.
    if k.modifiers.contains(KeyModifiers::SHIFT) && !matches!(k.code, KeyCode::Char(_)) {
        name.push_str("shift-");
    }
    name.push_str(&base);
    name
}

/// A user keymap file: per scope, key names to actions, e.g.
/// `{ diagram: { "d": delete, "ctrl-d": add_data_store } }` in RON.
pub type Overrides = HashMap<Scope, HashMap<String, Action>>;

pub struct Keymap {
    map: HashMap<(Scope, String), Action>,
}

impl Keymap {
    pub fn new(overrides: &Overrides) -> Self {
        let mut map = HashMap::new();
        for b in defaults() {
            for k in b.keys {
                map.insert((b.scope, (*k).to_owned()), b.action.clone());
            }
        }
        for (scope, keys) in overrides {
            for (k, a) in keys {
                map.insert((*scope, k.clone()), a.clone());
            }
        }
        Keymap { map }
    }

    /// The action bound to the key in the scope, falling back to the global bindings.
    pub fn lookup(&self, scope: Scope, key: &KeyEvent) -> Option<&Action> {
        let name = key_name(key);
        self.map
            .get(&(scope, name.clone()))
            .or_else(|| self.map.get(&(Scope::Global, name)))
    }

    /// The keys that run an action in a scope (defaults and overrides, and global keys the
    /// scope does not rebind), for help and hints.
    pub fn keys_for(&self, scope: Scope, action: &Action) -> Vec<String> {
        let mut keys: Vec<String> = self
            .map
            .iter()
            .filter(|((s, k), a)| {
                *a == action
                    && (*s == scope
                        || (*s == Scope::Global && !self.map.contains_key(&(scope, k.clone()))))
            })
            .map(|((_, k), _)| k.clone())
            .collect();
        keys.sort_by_key(|k| (k.len(), k.clone()));
        keys
    }
}

pub fn parse_overrides(text: &str) -> Result<Overrides, String> {
    ron::from_str(text)
        .map_err(|e| format!("{}:{}: {}", e.span.start.line, e.span.start.col, e.code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_keymap_overrides_only_the_keys_it_names() {
        let o = parse_overrides(r#"{ diagram: { "d": delete_x } }"#);
        assert!(o.is_err(), "unknown actions are errors");
        let o = parse_overrides(r#"{ diagram: { "d": delete } }"#).expect("parses");
        let k = Keymap::new(&o);
        let key = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        assert_eq!(k.lookup(Scope::Diagram, &key('d')), Some(&Action::Delete));
        assert_eq!(k.lookup(Scope::Diagram, &key('x')), Some(&Action::Delete));
        assert_eq!(k.lookup(Scope::Diagram, &key('?')), Some(&Action::Help));
    }

    #[test]
    fn help_lists_a_scopes_own_keys_once() {
        let o = parse_overrides(r#"{ diagram: { "d": delete, "?": undo } }"#).expect("parses");
        let k = Keymap::new(&o);
        // Delete is bound in four scopes; the diagram lists its own keys only, once each.
        assert_eq!(
            k.keys_for(Scope::Diagram, &Action::Delete),
            ["d", "x", "delete"]
        );
        assert_eq!(k.keys_for(Scope::Threats, &Action::Delete), ["x", "delete"]);
        assert_eq!(
            k.keys_for(Scope::Diagram, &Action::EditProperties),
            ["enter"]
        );
        // A global key the scope rebinds no longer helps there.
        assert!(k.keys_for(Scope::Diagram, &Action::Help).is_empty());
        assert_eq!(k.keys_for(Scope::Threats, &Action::Help), ["?"]);
        assert_eq!(
            k.keys_for(Scope::Diagram, &Action::Undo),
            ["?", "u", "ctrl-z"]
        );
    }
}
