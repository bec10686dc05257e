//! Text cut to fit the screen: wrapped between words, or clipped, ending in "…" when cut.

/// `text` in at most `max` lines of at most `width` characters, broken between words where
/// it can; what does not fit ends in "…".
pub fn wrap(text: &str, width: usize, max: usize) -> Vec<String> {
    let width = width.max(2);
    let mut lines: Vec<Vec<char>> = Vec::new();
    let mut line: Vec<char> = Vec::new();
    for word in text.split(' ') {
        let mut word: Vec<char> = word.chars().collect();
        if !line.is_empty() && line.len() + 1 + word.len() <= width {
            line.push(' ');
            line.extend(word);
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        // A word longer than a line is cut into pieces.
        while word.len() > width {
            let rest = word.split_off(width);
            lines.push(word);
            word = rest;
        }
        line = word;
    }
    lines.push(line);
    if lines.len() > max {
        lines.truncate(max);
        if let Some(last) = lines.last_mut() {
            last.truncate(width - 1);
            last.push('…');
        }
    }
    lines.into_iter().map(|l| l.into_iter().collect()).collect()
}

/// `text` cut to `width` characters, the last of them "…" when it was cut: a title in a
/// narrow cell keeps as much as fits rather than its first words only.
pub fn clip(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::{clip, wrap};

    #[test]
    fn long_values_wrap_between_words_and_end_cut_with_an_ellipsis() {
        assert_eq!(wrap("short", 10, 3), ["short"]);
        assert_eq!(wrap("", 10, 3), [""]);
        assert_eq!(
            wrap("Tank ruptures under load (primary failure)", 20, 3),
            ["Tank ruptures under", "load (primary", "failure)"]
        );
        assert_eq!(wrap("abcdefghij", 4, 3), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("one two three four five", 9, 2), ["one two", "three…"]);
    }

    #[test]
    fn clipped_text_keeps_what_fits_and_ends_cut_with_an_ellipsis() {
        assert_eq!(clip("Botnet", 6), "Botnet");
        assert_eq!(clip("Replayed unlock", 12), "Replayed un…");
    }
}
