//! How far an analysis has got, for another thread to show while it runs: a large tree can
//! take minutes, and a caller that only waits looks hung.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Compiling BDDs, this many nodes at most per module in the round under way (≥ 1).
    Compiling(usize),
    /// Minimal cut sets and importance, from the BDDs.
    CutSets,
    /// Monte Carlo sampling of the top event.
    Uncertainty,
    /// Too large to solve exactly: minimal cut sets of low order, without a BDD.
    Approximating,
    /// Too large to solve whole: each gate that fits on its own (see `partial`).
    Gates,
}

impl Phase {
    fn encode(self) -> u64 {
        match self {
            Phase::CutSets => 1,
            Phase::Uncertainty => 2,
            Phase::Approximating => 3,
            Phase::Gates => 4,
            // From 8 up: the budget is at least 1.
            Phase::Compiling(nodes) => (nodes as u64) << 3,
        }
    }

    fn decode(v: u64) -> Option<Self> {
        match v {
            0 => None,
            1 => Some(Phase::CutSets),
            2 => Some(Phase::Uncertainty),
            3 => Some(Phase::Approximating),
            4 => Some(Phase::Gates),
            v => Some(Phase::Compiling((v >> 3) as usize)),
        }
    }
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Phase::Compiling(n) if n >= 1_000_000 && n % 100_000 == 0 => {
                write!(f, "solving: BDDs of up to {} M nodes", n as f64 / 1e6)
            }
            Phase::Compiling(n) if n >= 1_000 && n % 1_000 == 0 => {
                write!(f, "solving: BDDs of up to {} k nodes", n / 1_000)
            }
            Phase::Compiling(n) => write!(f, "solving: BDDs of up to {n} nodes"),
            Phase::CutSets => f.write_str("minimal cut sets and importance"),
            Phase::Uncertainty => f.write_str("Monte Carlo sampling"),
            Phase::Approximating => {
                f.write_str("too large to solve: minimal cut sets of low order")
            }
            Phase::Gates => f.write_str("too large to solve whole: each gate on its own"),
        }
    }
}

/// The phase an analysis is in, shared between the thread doing it and one showing it.
#[derive(Debug, Default)]
pub struct Progress(AtomicU64);

impl Progress {
    pub fn set(&self, phase: Phase) {
        self.0.store(phase.encode(), Ordering::Relaxed);
    }

    /// Back to before any analysis began, for the next one.
    pub fn clear(&self) {
        self.0.store(0, Ordering::Relaxed);
    }

    /// `None` before the analysis began.
    pub fn get(&self) -> Option<Phase> {
        Phase::decode(self.0.load(Ordering::Relaxed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_phase_reads_back_as_set() {
        let p = Progress::default();
        assert_eq!(p.get(), None);
        for phase in [
            Phase::Compiling(1),
            Phase::Compiling(50_000),
            Phase::Compiling(super::super::MAX_NODES),
            Phase::Compiling(usize::MAX >> 3),
            Phase::CutSets,
            Phase::Uncertainty,
            Phase::Approximating,
            Phase::Gates,
        ] {
            p.set(phase);
            assert_eq!(p.get(), Some(phase));
        }
        p.clear();
        assert_eq!(p.get(), None);
    }

    #[test]
    fn budgets_read_as_the_help_writes_them() {
        let said = |n| Phase::Compiling(n).to_string();
        assert_eq!(said(50_000), "solving: BDDs of up to 50 k nodes");
        assert_eq!(said(3_200_000), "solving: BDDs of up to 3.2 M nodes");
        assert_eq!(said(102_400_000), "solving: BDDs of up to 102.4 M nodes");
        assert_eq!(said(25_000_000), "solving: BDDs of up to 25 M nodes");
        assert_eq!(said(1_234), "solving: BDDs of up to 1234 nodes");
    }
}
