//! `threatloom check`: validation and a risk gate for CI.

use super::{Outcome, error};
use std::path::PathBuf;
use threatloom::analysis::fault_tree::Compiled;
use threatloom::format::ron;
use threatloom::format::text::{count, printable};
use threatloom::model::{Model, RiskLevel};

#[derive(clap::Args)]
pub struct Args {
    /// Model files
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Exit 1 when a threat still carrying risk is at or above this level
    #[arg(long, value_enum)]
    fail_on: Option<Level>,
    /// Exit 1 when a fault tree's top event is more probable than this
    #[arg(long)]
    max_probability: Option<f64>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Level {
    Low,
    Medium,
    High,
    Critical,
}

impl From<Level> for RiskLevel {
    fn from(l: Level) -> Self {
        match l {
            Level::Low => RiskLevel::Low,
            Level::Medium => RiskLevel::Medium,
            Level::High => RiskLevel::High,
            Level::Critical => RiskLevel::Critical,
        }
    }
}

pub fn run(args: &Args) -> Outcome {
    let mut invalid = false;
    let mut failed = false;
    for path in &args.files {
        let model = match ron::load(path) {
            Ok(l) => l.model,
            Err(e) => {
                error(&e.to_string());
                invalid = true;
                continue;
            }
        };
        let shown = printable(&path.display().to_string()).into_owned();
        say!("{shown}: ok, {}", summary(&model));
        if let Some(level) = args.fail_on {
            failed |= gate(&shown, &model, level.into());
        }
        if let Some(limit) = args.max_probability {
            for t in &model.fault_trees {
                match Compiled::new(&model, t.id.as_str()) {
                    Ok(c) if c.probability() > limit => {
                        say!(
                            "{shown}: fault tree {} has top-event probability {:.6e} > {limit:e}",
                            printable(t.id.as_str()),
                            c.probability()
                        );
                        failed = true;
                    }
                    Ok(_) => {}
                    Err(e) => {
                        error(&format!("{shown}: {e}"));
                        invalid = true;
                    }
                }
            }
        }
    }
    if invalid {
        Outcome::Invalid
    } else if failed {
        Outcome::CheckFailed
    } else {
        Outcome::Ok
    }
}

fn summary(m: &Model) -> String {
    [
        count(m.components.len(), "component", "components"),
        count(m.boundaries.len(), "boundary", "boundaries"),
        count(m.flows.len(), "flow", "flows"),
        count(m.threats.len(), "threat", "threats"),
        count(m.fault_trees.len(), "fault tree", "fault trees"),
    ]
    .join(", ")
}

/// Lists the threats at or above `level` that still carry risk; true if there are any.
fn gate(path: &str, model: &Model, level: RiskLevel) -> bool {
    let over: Vec<_> = threatloom::format::markdown::by_risk(model)
        .into_iter()
        .filter(|t| !t.status.is_closed() && model.current_level(t) >= level)
        .collect();
    if over.is_empty() {
        return false;
    }
    say!(
        "{path}: {} at or above {level}:",
        count(over.len(), "threat", "threats")
    );
    for t in over {
        let which = if model.residual_applies(t) {
            "residual"
        } else if t.residual.is_some() {
            "inherent; residual pending mitigations"
        } else {
            "inherent"
        };
        say!(
            "  {:<8}  {}  {} ({}, {which}; {})",
            model.current_level(t).label(),
            printable(t.id.as_str()),
            printable(&t.title),
            model.current_rating(t),
            t.status.label()
        );
    }
    true
}
