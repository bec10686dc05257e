//! Work too heavy for the UI thread. The app queues a job; the event loop runs it on a worker
//! thread and hands the result back to `App::job_done`, which drops it if the model has moved
//! on meanwhile.

use super::review::{self, TreeAnalysis};
use crate::analysis::fault_tree::{Effort, Progress};
use crate::model::Model;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A value the app shares with a worker. Equal only to its own clones: a job is the same job
/// only if it shares the same values.
#[derive(Debug, Default)]
pub struct Shared<T>(pub Arc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Arc::clone(&self.0))
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// Raised by the app when it no longer wants a job's result, so that the worker stops early
/// instead of holding a core and its memory for nothing.
pub type Stop = Shared<AtomicBool>;

impl Stop {
    pub fn raise(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    pub fn raised(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Job {
    /// The fault-tree side panel of tree `tree` for model version `generation`.
    Analyse {
        model: Box<Model>,
        tree: usize,
        generation: u64,
        stop: Stop,
        /// Where the worker says which phase it is in.
        progress: Shared<Progress>,
    },
    /// How a what-if moved the top events, between two versions of the model.
    TopEvents {
        before: Box<Model>,
        after: Box<Model>,
        generation: u64,
        stop: Stop,
    },
}

#[derive(Debug, Clone)]
pub enum Done {
    Analysis(Box<TreeAnalysis>),
    TopEvents { generation: u64, lines: Vec<String> },
}

/// Does the job (on whatever thread calls it).
pub fn work(job: Job) -> Done {
    match job {
        Job::Analyse {
            model,
            tree,
            generation,
            stop,
            progress,
        } => Done::Analysis(Box::new(review::analyse(
            &model,
            tree,
            generation,
            review::worker_effort(stop.0, Some(progress.0)),
        ))),
        Job::TopEvents {
            before,
            after,
            generation,
            stop,
        } => Done::TopEvents {
            generation,
            lines: top_event_changes(&before, &after, &review::worker_effort(stop.0, None)),
        },
    }
}

/// One line per fault tree whose top-event probability differs between the two models, as
/// far as `effort` goes (a raised stop flag gives up on what is left).
pub fn top_event_changes(before: &Model, after: &Model, effort: &Effort) -> Vec<String> {
    let mut out = Vec::new();
    for t in &after.fault_trees {
        let p = |model: &Model| {
            crate::analysis::fault_tree::Compiled::node(model, t.top.as_str(), effort)
                .map(|c| c.probability())
        };
        if let (Ok(pa), Ok(pb)) = (p(before), p(after))
            && pa != pb
        {
            out.push(format!("  {} top event: {pa:.3e} → {pb:.3e}", t.name));
        }
    }
    out
}
