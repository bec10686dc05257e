//! The changes between two versions of a model (`analysis::changes`) as terminal text, or as
//! Markdown for a pull request's description or comment.

use super::markdown::escape;
use super::text::printable;
use crate::analysis::changes::{Changes, Entry, Field, Kind};
use std::fmt::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Text,
    Markdown,
}

/// Longest value shown whole in text: a description rewritten is summed up, not reprinted.
const TEXT_VALUE: usize = 72;

impl Style {
    fn heading(self, out: &mut String, title: &str) {
        match self {
            Style::Text => writeln!(out, "\n{}", printable(title)),
            Style::Markdown => writeln!(out, "\n### {}\n", escape(title)),
        }
        .unwrap_or_else(|_| unreachable!("writing to a String"));
    }

    fn marker(self, change: Kind) -> &'static str {
        match (self, change) {
            (Style::Text, Kind::Added) => "  +",
            (Style::Text, Kind::Removed) => "  -",
            (Style::Text, Kind::Changed) => "  ~",
            (Style::Markdown, Kind::Added) => "- **added**",
            (Style::Markdown, Kind::Removed) => "- **removed**",
            (Style::Markdown, Kind::Changed) => "- **changed**",
        }
    }

    /// Where a field line starts, under its entry.
    fn indent(self) -> &'static str {
        match self {
            Style::Text => "      ",
            Style::Markdown => "  - ",
        }
    }

    fn id(self, id: &str) -> String {
        match self {
            Style::Text => printable(id).into_owned(),
            Style::Markdown => format!("`{}`", id.replace('`', "'")),
        }
    }

    fn text(self, s: &str) -> String {
        match self {
            Style::Text => printable(s).into_owned(),
            Style::Markdown => escape(s),
        }
    }

    fn value(self, s: &str) -> String {
        match self {
            Style::Text if s.chars().count() > TEXT_VALUE => {
                let cut: String = s.chars().take(TEXT_VALUE - 1).collect();
                format!("{}…", printable(&cut))
            }
            _ => self.text(s),
        }
    }
}

/// The changes under `title`, section by section, then what got worse; "No changes." if
/// nothing did.
pub fn render(changes: &Changes, title: &str, style: Style) -> String {
    let mut out = match style {
        Style::Text => format!("{}\n", printable(title)),
        Style::Markdown => format!("## {}\n", escape(title)),
    };
    if changes.is_empty() {
        out.push_str(match style {
            Style::Text => "No changes.\n",
            Style::Markdown => "\nNo changes.\n",
        });
        return out;
    }
    for section in &changes.sections {
        style.heading(
            &mut out,
            &format!("{} ({})", section.title, tally(&section.entries)),
        );
        for e in &section.entries {
            entry(&mut out, e, style);
        }
    }
    if !changes.increases.is_empty() {
        style.heading(&mut out, "Risk increased");
        for why in &changes.increases {
            let line = match style {
                Style::Text => format!("  ! {}", printable(why)),
                Style::Markdown => format!("- {}", escape(why)),
            };
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// "1 added, 2 changed".
fn tally(entries: &[Entry]) -> String {
    [
        (Kind::Added, "added"),
        (Kind::Changed, "changed"),
        (Kind::Removed, "removed"),
    ]
    .iter()
    .filter_map(|&(kind, word)| {
        let n = entries.iter().filter(|e| e.change == kind).count();
        (n > 0).then(|| format!("{n} {word}"))
    })
    .collect::<Vec<_>>()
    .join(", ")
}

fn entry(out: &mut String, e: &Entry, style: Style) {
    let mut line = style.marker(e.change).to_owned();
    if !e.id.is_empty() {
        line = format!("{line} {}", style.id(&e.id));
    }
    if !e.name.is_empty() && e.name != e.id {
        line = format!("{line} {}", style.text(&e.name));
    }
    if !e.summary.is_empty() {
        line = format!("{line} — {}", style.text(&e.summary));
    }
    out.push_str(&line);
    out.push('\n');
    for f in &e.fields {
        let text = match f {
            Field::Value { field, old, new } => format!(
                "{}: {} → {}",
                style.text(field),
                style.value(old),
                style.value(new)
            ),
            Field::Items {
                field,
                added,
                removed,
            } => {
                let items: Vec<String> = added
                    .iter()
                    .map(|a| format!("+ {}", style.value(a)))
                    .chain(removed.iter().map(|r| format!("− {}", style.value(r))))
                    .collect();
                format!("{}: {}", style.text(field), items.join(", "))
            }
        };
        out.push_str(style.indent());
        out.push_str(&text);
        out.push('\n');
    }
}
