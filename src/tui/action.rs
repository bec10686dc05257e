//! Everything a key, a palette command or a mouse gesture can ask for, by name. The names are
//! what keymap files and the command palette use (`save`, `theme dark`, `add_process`…).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Quit,
    Save,
    SaveAs(String),
    ExportDot(String),
    Theme(String),
    Undo,
    Redo,
    Help,
    Palette,
    Cancel,
    ShowDiagram,
    ShowThreats,
    ShowMatrix,
    ShowActors,
    ShowFaultTrees,
    ShowAssets,
    NextTab,
    SelectLeft,
    SelectRight,
    SelectUp,
    SelectDown,
    PageUp,
    PageDown,
    First,
    Last,
    SelectNext,
    SelectPrevious,
    NextFlow,
    PreviousFlow,
    SelectBoundary,
    MoveLeft,
    MoveRight,
    MoveUp,
    MoveDown,
    PanLeft,
    PanRight,
    PanUp,
    PanDown,
    AddProcess,
    AddDataStore,
    AddExternalEntity,
    Rename,
    EditProperties,
    Delete,
    Connect,
    ToggleMark,
    CreateBoundary,
    PutInBoundary,
    RemoveFromBoundary,
    Layout,
    ToggleCompact,
    Overview,
    NewThreat,
    SortNext,
    SortReverse,
    Filter,
    CycleLikelihood,
    CycleImpact,
    CycleResidualLikelihood,
    CycleResidualImpact,
    CycleStatus,
    CycleDecision,
    LinkTargets,
    LinkActors,
    LinkMitigations,
    Suggestions,
    AllSuggestions,
    Checklist,
    Walkthrough,
    ToggleResidual,
    NewActor,
    AddGate,
    AddEvent,
    AddHouseEvent,
    LinkThreat,
    ShareNode,
    FindNode,
    Duplicate,
    FoldAll,
    UnfoldAll,
    CutSets,
    Importance,
    GoToThreat,
    ActorThreats,
    SelectionThreats,
    NewAsset,
    AssetThreats,
    GoToFaultTree,
    WhatIf,
    NextTree,
    NewTree,
    ExportTreeDot(String),
    ExportBranchDot(String),
    Changes,
    ExportChanges(String),
    ToDo,
}

impl Action {
    /// The name of the action as the palette and keymap files spell it.
    pub fn name(&self) -> String {
        match ron::to_string(self) {
            Ok(s) => {
                let s = s.split('(').next().unwrap_or_default();
                // RON writes variants in CamelCase; the names are snake_case.
                let mut out = String::new();
                for (i, c) in s.chars().enumerate() {
                    if c.is_uppercase() {
                        if i > 0 {
                            out.push('_');
                        }
                        out.extend(c.to_lowercase());
                    } else {
                        out.push(c);
                    }
                }
                out
            }
            Err(_) => String::new(),
        }
    }

    /// Parses palette input: a name, and for some actions one argument (`theme light`).
    pub fn parse(input: &str) -> Option<Action> {
        let input = input.trim();
        let (name, arg) = input
            .split_once(' ')
            .map_or((input, ""), |(n, a)| (n, a.trim()));
        let text = if arg.is_empty() {
            format!("\"{name}\"")
        } else {
            format!("{{\"{name}\": {:?}}}", arg)
        };
        serde_json::from_str(&text).ok()
    }

    /// Actions that take an argument in the palette.
    pub fn argument(name: &str) -> Option<&'static str> {
        match name {
            "save_as" => Some("path"),
            "export_dot" | "export_tree_dot" | "export_branch_dot" | "export_changes" => {
                Some("path")
            }
            "theme" => Some("dark, light, high-contrast or colour-blind"),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Action;

    #[test]
    fn names_round_trip_through_the_palette() {
        assert_eq!(Action::AddProcess.name(), "add_process");
        assert_eq!(Action::parse("add_process"), Some(Action::AddProcess));
        assert_eq!(
            Action::parse("theme light"),
            Some(Action::Theme("light".into()))
        );
        assert_eq!(Action::SaveAs("x".into()).name(), "save_as");
        assert_eq!(Action::parse("nonsense"), None);
    }
}
