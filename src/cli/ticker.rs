//! A line on the terminal saying what a long analysis is doing, so that a tree that takes a
//! minute is not taken for a hung command. Written to stderr only when stderr is a terminal
//! (pipes and files get the output alone), from the first second on, rewritten in place, and
//! erased when the analysis ends, or when Ctrl-C ends the command.

use std::io::{IsTerminal, Write};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};
use threatloom::analysis::fault_tree::{Effort, Phase};

/// How long an analysis runs unseen: most take less.
const QUIET: Duration = Duration::from_secs(1);

const TICK: Duration = Duration::from_millis(250);

/// Whether a ticker line is on the terminal now, for the Ctrl-C handler to erase.
static SHOWN: AtomicBool = AtomicBool::new(false);

/// Back to the line's start, and the line cleared.
const ERASE: &str = "\r\x1b[K";

/// The exit status of a command ended by SIGINT, as a shell reports one killed by it.
const INTERRUPTED: i32 = 130;

/// Makes Ctrl-C erase the ticker's line before the command ends, instead of leaving it before
/// the shell's prompt. The stderr lock keeps the erasing from landing inside a tick's write.
fn erase_on_interrupt() {
    static HANDLER: Once = Once::new();
    HANDLER.call_once(|| {
        // Without a handler (one set elsewhere), Ctrl-C only leaves the line behind.
        let _ = ctrlc::set_handler(|| {
            let mut stderr = std::io::stderr().lock();
            if SHOWN.load(Ordering::SeqCst) {
                let _ = write!(stderr, "{ERASE}");
            }
            std::process::exit(INTERRUPTED);
        });
    });
}

/// Runs `work`, an analysis within `effort`, showing under `label` the phase it tells
/// `effort`'s progress while it runs.
pub fn watch<T>(label: &str, effort: &Effort, work: impl FnOnce() -> T) -> T {
    let stderr = std::io::stderr();
    let Some(progress) = effort.progress.as_deref().filter(|_| stderr.is_terminal()) else {
        return work();
    };
    // Not the phase an analysis before this one ended in.
    progress.clear();
    erase_on_interrupt();
    let (done, ended) = mpsc::channel::<()>();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let start = Instant::now();
            while let Err(RecvTimeoutError::Timeout) = ended.recv_timeout(TICK) {
                let Some(phase) = progress.get().filter(|_| start.elapsed() >= QUIET) else {
                    continue;
                };
                let width = crossterm::terminal::size().map_or(80, |(w, _)| usize::from(w));
                let text = line(label, phase, start.elapsed(), width);
                // Erasing the line first: the phase before may have been longer.
                let mut err = stderr.lock();
                let _ = write!(err, "{ERASE}{text}");
                SHOWN.store(true, Ordering::SeqCst);
            }
            let mut err = stderr.lock();
            if SHOWN.swap(false, Ordering::SeqCst) {
                let _ = write!(err, "{ERASE}");
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
