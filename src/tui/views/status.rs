//! The status bar: file, unsaved marker, mode, message and the most useful keys.

use super::super::action::Action;
use super::super::app::{App, Mode, NodeList, Question, Screen};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

fn mode_name(app: &App) -> &'static str {
    match &app.mode {
        Mode::Normal if app.overview && app.screen == Screen::Diagram => "OVERVIEW",
        Mode::Normal => "NORMAL",
        Mode::Input { .. } => "INPUT",
        Mode::Form { .. } => "FORM",
        Mode::Palette { .. } => "COMMAND",
        Mode::Help { .. } => "HELP",
        Mode::Confirm { .. } => "QUESTION",
        Mode::Connect { .. } => "CONNECT",
        Mode::ChooseBoundary { .. } => "BOUNDARY",
        Mode::Pick { .. } => "LINK",
        Mode::Suggestions { .. } => "SUGGESTIONS",
        Mode::Checklist { .. } => "CHECKLIST",
        Mode::Walkthrough { .. } => "WALKTHROUGH",
        Mode::Cell { .. } => "CELL",
        Mode::LinkThreat { .. } => "LINK",
        Mode::Results { .. } => "RESULTS",
        Mode::Nodes {
            purpose: NodeList::Share { .. },
            ..
        } => "SHARE",
        Mode::Nodes {
            purpose: NodeList::Find | NodeList::Element | NodeList::Target { .. },
            ..
        } => "FIND",
        Mode::Nodes {
            purpose: NodeList::Events { .. },
            ..
        } => "GO TO",
        Mode::WhatIf { .. } => "WHAT-IF",
        Mode::Changes { list, .. } => list.name(),
    }
}

pub fn render(f: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let scope = app.screen.scope();
    let hints: String = match app.mode {
        // Typing: the keys of the line being edited, not the screen's.
        Mode::Input { .. } | Mode::Palette { .. } => {
            "enter ok  esc cancel  ctrl-u clear  ctrl-w delete word".into()
        }
        Mode::Help { .. } => "space next page  any other key closes".into(),
        // Recovered edits must be restored or discarded (see `App::handle_key`): its keys.
        Mode::Confirm {
            question: Question::Recovery,
            ref choices,
            ..
        } => choices
            .iter()
            .map(|(k, what)| format!("{k} {what}"))
            .collect::<Vec<_>>()
            .join("  "),
        // The first key of each action this screen can run (adding and connecting are the
        // diagram's); in the overview, first the key back to full size.
        Mode::Normal => {
            let back = app.overview.then_some((Action::Overview, "full size"));
            back.into_iter()
                .chain([
                    (Action::Help, "help"),
                    (Action::Palette, "command"),
                    (Action::Save, "save"),
                    (Action::AddProcess, "add"),
                    (Action::Connect, "connect"),
                    (Action::Undo, "undo"),
                    (Action::Quit, "quit"),
                ])
                .filter_map(|(a, label)| {
                    let keys = app.keymap.keys_for(scope, &a);
                    keys.first().map(|k| format!("{k} {label}  "))
                })
                .collect()
        }
        // A panel or a question: its keys are in its title, and esc leaves it.
        _ => "esc back".into(),
    };
    let dirty = if app.dirty { " ● unsaved" } else { "" };
    let left = format!(" {} {}{} ", mode_name(app), app.file_name(), dirty);
    let room = |hints: &str| {
        (area.width as usize).saturating_sub(left.chars().count() + hints.chars().count() + 1)
    };
    // A message is read once and the keys are always in the help: a message that would be
    // cut takes the keys' room.
    let mut hints = format!("{} ", hints.trim_end());
    if app.message.chars().count() > room(&hints) {
        hints.clear();
    }
    let room = room(&hints);
    let message: String = app.message.chars().take(room).collect();
    let pad = room.saturating_sub(message.chars().count());
    let line = Line::from(vec![
        Span::styled(
            left,
            t.status().add_modifier(ratatui::style::Modifier::BOLD),
        ),
        Span::styled(format!(" {message}{}", " ".repeat(pad)), t.status()),
        Span::styled(hints, t.status()),
    ]);
    f.render_widget(Paragraph::new(line).style(t.status()), area);
}
