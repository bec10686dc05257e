//! Text hygiene shared by the exports: user strings never smuggle control bytes into output.

use crate::analysis::fault_tree::{EventImportance, Truncation};
use std::borrow::Cow;

/// Replaces control characters (terminal escapes included) with their visible Unicode pictures,
/// e.g. ESC becomes `␛`, so no raw control byte reaches a terminal, a report or a graph.
pub fn printable(s: &str) -> Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.chars().map(visible).collect())
}

/// The character itself, or its visible picture if it is a control character.
pub fn visible(c: char) -> char {
    match c as u32 {
        n @ 0..=0x1f => char::from_u32(0x2400 + n).unwrap_or('\u{fffd}'),
        0x7f => '\u{2421}',
        _ if c.is_control() => '\u{fffd}',
        _ => c,
    }
}

/// `n` and the noun in the singular or the plural: "1 fault tree", "2 fault trees".
pub fn count<N: std::fmt::Display + PartialEq + From<u8>>(n: N, one: &str, many: &str) -> String {
    let noun = if n == N::from(1) { one } else { many };
    format!("{n} {noun}")
}

/// The heading of an importance table whose event ids take `width` columns.
pub fn importance_heading(width: usize) -> String {
    format!(
        "{:<width$} {:>10} {:>10} {:>10} {:>10} {:>10}",
        "event", "p", "Birnbaum", "F-V", "RAW", "RRW"
    )
}

/// A row of an importance table (see `importance_heading`).
pub fn importance_row(i: &EventImportance, width: usize) -> String {
    let m = &i.measures;
    format!(
        "{:<width$} {:>10.3e} {:>10.3e} {:>10.3e} {:>10.3e} {:>10.3e}",
        printable(i.event.as_str()),
        m.probability,
        m.birnbaum,
        m.fussell_vesely,
        m.raw,
        m.rrw
    )
}

/// What the approximations of a tree too large to solve exactly rest on, in words.
pub fn basis(t: &Truncation) -> String {
    if t.complete {
        "all its minimal cut sets".to_owned()
    } else {
        format!(
            "its minimal cut sets of at most {} only",
            count(t.max_order, "event", "events")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_take_the_singular_for_one_only() {
        assert_eq!(count(0, "tree", "trees"), "0 trees");
        assert_eq!(count(1, "tree", "trees"), "1 tree");
        assert_eq!(count(2, "entity", "entities"), "2 entities");
    }

    #[test]
    fn escape_sequences_become_visible() {
        assert_eq!(printable("a\u{1b}[31mred"), "a\u{241b}[31mred");
        assert_eq!(printable("tab\there"), "tab\u{2409}here");
        assert_eq!(printable("c1\u{9b}x"), "c1\u{fffd}x");
        assert!(matches!(printable("plain"), Cow::Borrowed(_)));
    }
}
