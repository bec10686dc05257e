//! What the help lists, generated from the keymap table, and how it is laid out: columns as
//! tall as the screen, in pages of as many whole columns as fit its width. The key handler
//! needs the page count (space closes the help on its last page) as much as the view does.

use super::action::Action;
use super::app::App;
use super::keymap::{self, Scope};
use std::ops::Range;

/// A line of the help: a section title, a binding, or a closing note.
pub enum Entry {
    Title(&'static str),
    /// Keys, description, and the section it is in.
    Key(String, &'static str, usize),
    Note(&'static str),
}

/// Every binding of the global scope and of the current screen.
pub fn entries(app: &App) -> Vec<Entry> {
    let here = app.screen.scope();
    let mut entries = Vec::new();
    let sections = [(Scope::Global, "Everywhere"), (here, app.screen.title())];
    for (section, (scope, title)) in sections.into_iter().enumerate() {
        entries.push(Entry::Title(title));
        let bindings: Vec<_> = (keymap::defaults().into_iter())
            .filter(|b| b.scope == scope)
            .collect();
        let keys_of = |b: &keymap::Binding| app.keymap.keys_for(scope, &b.action).join(", ");
        let is_screen = |b: &&keymap::Binding| SCREEN_ACTIONS.contains(&b.action);
        let screens: Vec<String> = (bindings.iter().filter(is_screen))
            .map(keys_of)
            .filter(|k| !k.is_empty())
            .collect();
        // The keys of the screens share a line, where the first of them is.
        let mut merged = false;
        for b in &bindings {
            if !is_screen(&b) {
                entries.push(Entry::Key(keys_of(b), b.description, section));
            } else if !std::mem::replace(&mut merged, true) {
                entries.push(Entry::Key(key_range(&screens), SCREENS, section));
            }
        }
    }
    if here == Scope::Diagram {
        // What the canvas's marks mean: they carry what colour does, for those without it.
        entries.push(Entry::Note(
            "Marks: ⚑ threats, ? suggestions, ⚠ crossing, ✓ reviewed.",
        ));
    }
    entries.push(Entry::Note("Mouse: click selects, drag moves, wheel pans."));
    entries.push(Entry::Note("Space: next page; other keys close."));
    entries
}

/// The actions that show a screen, listed on one line of the help.
const SCREEN_ACTIONS: [Action; 6] = [
    Action::ShowDiagram,
    Action::ShowThreats,
    Action::ShowMatrix,
    Action::ShowActors,
    Action::ShowFaultTrees,
    Action::ShowAssets,
];

const SCREENS: &str = "the screens, as the tab bar numbers them";

/// Keys in a row of digits as a range (`1–6`); others listed.
fn key_range(keys: &[String]) -> String {
    let digits: Vec<u32> = keys.iter().filter_map(|k| k.parse().ok()).collect();
    let consecutive = digits.windows(2).all(|w| w[1] == w[0] + 1);
    match (digits.first(), digits.last()) {
        (Some(a), Some(b)) if digits.len() == keys.len() && consecutive && a < b => {
            format!("{a}–{b}")
        }
        _ => keys.join(", "),
    }
}

/// The help laid out in a box of `width`×`height` (its border included).
pub struct Layout {
    pub entries: Vec<Entry>,
    /// The entries of each column, as many as the height holds.
    pub columns: Vec<Range<usize>>,
    /// Each column's width: its longest line and two columns of space after it.
    pub widths: Vec<u16>,
    /// The columns of each page: consecutive runs that fit the width side by side, at least
    /// one each (a column wider than the screen is cut).
    pub pages: Vec<Range<usize>>,
}

impl Layout {
    pub fn new(app: &App, width: u16, height: u16) -> Self {
        let entries = entries(app);
        let rows = usize::from(height.saturating_sub(2)).max(1);
        let columns: Vec<Range<usize>> = (0..entries.len())
            .step_by(rows)
            .map(|start| start..(start + rows).min(entries.len()))
            .collect();
        let widths = columns
            .iter()
            .map(|c| {
                let chunk = &entries[c.clone()];
                let longest = chunk
                    .iter()
                    .map(|e| match e {
                        Entry::Title(s) | Entry::Note(s) => s.chars().count(),
                        Entry::Key(_, d, s) => key_width(chunk, *s) + 2 + d.chars().count(),
                    })
                    .max()
                    .unwrap_or(0);
                u16::try_from(longest + 2).unwrap_or(u16::MAX)
            })
            .collect::<Vec<u16>>();
        let pages = pages(&widths, width.saturating_sub(2));
        Layout {
            entries,
            columns,
            widths,
            pages,
        }
    }
}

/// The width of the keys of `section` in a column of `chunk`: its longest, so that keys are
/// right-aligned and descriptions get the rest.
pub fn key_width(chunk: &[Entry], section: usize) -> usize {
    chunk
        .iter()
        .filter_map(|e| match e {
            Entry::Key(k, _, s) if *s == section => Some(k.chars().count()),
            _ => None,
        })
        .max()
        .unwrap_or(0)
}

fn pages(widths: &[u16], width: u16) -> Vec<Range<usize>> {
    let mut pages = Vec::new();
    let mut start = 0;
    let mut used = 0;
    for (i, &w) in widths.iter().enumerate() {
        if i > start && used + w > width {
            pages.push(start..i);
            start = i;
            used = 0;
        }
        used += w;
    }
    if start < widths.len() {
        pages.push(start..widths.len());
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::pages;
    use std::ops::Range;

    #[test]
    fn pages_hold_whole_columns_that_fit_side_by_side() {
        assert_eq!(pages(&[30, 30, 30], 100), vec![Range { start: 0, end: 3 }]);
        assert_eq!(pages(&[30, 30, 30], 60), [0..2, 2..3]);
        assert_eq!(pages(&[30, 30, 30], 59), [0..1, 1..2, 2..3]);
        // Too wide for the screen: alone on its page.
        assert_eq!(pages(&[30, 90, 30], 60), [0..1, 1..2, 2..3]);
        assert_eq!(pages(&[], 60), Vec::<Range<usize>>::new());
    }
}
