//! The changes between two versions of a model (`analysis::changes`) as terminal text, or as
//! Markdown for a pull request's description or comment.

use super::markdown::escape;
use super::text::printable;
use crate::analysis::changes::{Changes, Entry, Field, Kind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Text,
    Markdown,
}

/// Longest value shown whole in text: a description rewritten is summed up, not reprinted.
const TEXT_VALUE: usize = 72;

/// One line of the changes, and the element it is about (its section's key and its id), for
/// a reader that goes from the line to the element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub text: String,
    pub about: Option<(String, String)>,
}

impl Row {
    fn plain(text: String) -> Row {
        Row { text, about: None }
    }
}

impl Style {
    fn heading(self, out: &mut Vec<Row>, title: &str) {
        out.push(Row::plain(String::new()));
        match self {
            Style::Text => out.push(Row::plain(printable(title).into_owned())),
            Style::Markdown => {
                out.push(Row::plain(format!("### {}", escape(title))));
                out.push(Row::plain(String::new()));
            }
        }
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
    let mut text: String = rows(changes, title, style)
        .into_iter()
        .map(|r| r.text)
        .collect::<Vec<_>>()
        .join("\n");
    text.push('\n');
    text
}

/// `render`'s lines, each with the element it is about.
pub fn rows(changes: &Changes, title: &str, style: Style) -> Vec<Row> {
    let mut out = vec![Row::plain(match style {
        Style::Text => printable(title).into_owned(),
        Style::Markdown => format!("## {}", escape(title)),
    })];
    if changes.is_empty() {
        if style == Style::Markdown {
            out.push(Row::plain(String::new()));
        }
        out.push(Row::plain("No changes.".to_owned()));
        return out;
    }
    for section in &changes.sections {
        style.heading(
            &mut out,
            &format!("{} ({})", section.title, tally(&section.entries)),
        );
        for e in &section.entries {
            entry(&mut out, section.key, e, style);
        }
    }
    if !changes.increases.is_empty() {
        style.heading(&mut out, "Risk increased");
        for why in &changes.increases {
            out.push(Row::plain(match style {
                Style::Text => format!("  ! {}", printable(why)),
                Style::Markdown => format!("- {}", escape(why)),
            }));
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

fn entry(out: &mut Vec<Row>, key: &str, e: &Entry, style: Style) {
    let about = Some((key.to_owned(), e.id.clone()));
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
    out.push(Row {
        text: line,
        about: about.clone(),
    });
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
        out.push(Row {
            text: format!("{}{text}", style.indent()),
            about: about.clone(),
        });
    }
}
