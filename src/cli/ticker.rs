//! A line on the terminal saying what a long analysis is doing, so that a tree that takes a
//! minute is not taken for a hung command. Written to stderr only when stderr is a terminal
//! (pipes and files get the output alone), from the first second on, rewritten in place, and
//! erased when the analysis ends.

use std::io::{IsTerminal, Write};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};
use threatloom::analysis::fault_tree::{Effort, Phase};

/// How long an analysis runs unseen: most take less.
const QUIET: Duration = Duration::from_secs(1);

const TICK: Duration = Duration::from_millis(250);

/// Runs `work`, an analysis within `effort`, showing under `label` the phase it tells
/// `effort`'s progress while it runs.
pub fn watch<T>(label: &str, effort: &Effort, work: impl FnOnce() -> T) -> T {
    let stderr = std::io::stderr();
    let Some(progress) = effort.progress.as_deref().filter(|_| stderr.is_terminal()) else {
        return work();
    };
    // Not the phase an analysis before this one ended in.
    progress.clear();
    let (done, ended) = mpsc::channel::<()>();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let start = Instant::now();
            let mut shown = false;
            while let Err(RecvTimeoutError::Timeout) = ended.recv_timeout(TICK) {
                let Some(phase) = progress.get().filter(|_| start.elapsed() >= QUIET) else {
                    continue;
                };
                let width = crossterm::terminal::size().map_or(80, |(w, _)| usize::from(w));
                let text = line(label, phase, start.elapsed(), width);
                // Erasing the line first: the phase before may have been longer.
                let _ = write!(stderr.lock(), "\r\x1b[K{text}");
                shown = true;
            }
            if shown {
                let _ = write!(stderr.lock(), "\r\x1b[K");
            }
        });
        let out = work();
        // Ends the ticker, which the scope then waits for: its line is gone before anything
        // else is written.
        drop(done);
        out
    })
}

/// The ticker's text, cut to fit in one row of `width` columns (a wrapped line could not be
/// erased in place).
fn line(label: &str, phase: Phase, elapsed: Duration, width: usize) -> String {
    let text = format!("{label}: {phase}… {} s", elapsed.as_secs());
    text.chars().take(width.saturating_sub(1)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_names_the_tree_its_phase_and_the_seconds_and_fits_the_row() {
        let phase = Phase::Compiling(25_600_000);
        assert_eq!(
            line("nus9601", phase, Duration::from_millis(42_900), 120),
            "nus9601: solving: BDDs of up to 25.6 M nodes… 42 s"
        );
        let cut = line("nus9601", phase, Duration::from_secs(42), 20);
        assert_eq!(cut, "nus9601: solving: B");
        assert_eq!(line("t", Phase::CutSets, Duration::ZERO, 0), "");
    }
}
