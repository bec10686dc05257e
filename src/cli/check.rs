//! `threatloom check`: validation and a risk gate for CI.

use super::{Outcome, error};
use std::path::PathBuf;
use std::time::Instant;
use threatloom::analysis::fault_tree::{self, Compilation, Options, Report, Solution};
use threatloom::format::mef::DEFAULT_MISSION_TIME;
use threatloom::format::text::{basis, count, printable};
use threatloom::model::{Date, Model, RiskLevel};
use threatloom::system;

#[derive(clap::Args)]
pub struct Args {
    /// Model files: RON models, or Open-PSA MEF models of one .xml file each
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Exit 1 when a threat still carrying risk is at or above this level
    #[arg(long, value_enum)]
    fail_on: Option<Level>,
    /// Exit 1 when a threat still carrying risk at or above this level has no decision
    /// (mitigate, accept, transfer or avoid) recorded
    #[arg(long, value_enum)]
    require_decision: Option<Level>,
    /// Exit 1 when a mitigation not yet implemented is past its due date, or a decision
    /// past its review date
    #[arg(long)]
    fail_on_overdue: bool,
    /// Exit 1 when a flow crossing a trust boundary has not been reviewed (walked in the
    /// editor's walkthrough, or given a `reviewed_on` date)
    #[arg(long)]
    require_review: bool,
    /// The date deadlines are judged on, YYYY-MM-DD (default: today, UTC)
    #[arg(long, value_parser = clap::value_parser!(Date))]
    today: Option<Date>,
    /// Exit 1 when a fault tree's top event is more probable than this
    #[arg(long, value_parser = super::probability)]
    max_probability: Option<f64>,
    /// Largest BDD to build for one part of a tree, in nodes (as for `analyze`). A coherent
    /// tree that needs more is judged from its minimal cut sets
    #[arg(long)]
    max_nodes: Option<usize>,
}

/// What `--max-probability` found for one tree, with what to say beyond "ok".
enum Verdict {
    Under(Option<String>),
    Over(String),
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
        // One model a file: a RON model, or a whole Open-PSA MEF model in one .xml file.
        let model = match super::load_model(std::slice::from_ref(path), DEFAULT_MISSION_TIME) {
            Ok(m) => m,
            Err(e) => {
                error(&e);
                invalid = true;
                continue;
            }
        };
        let shown = printable(&path.display().to_string()).into_owned();
        say!("{shown}: ok, {}", summary(&model));
        if let Some(level) = args.fail_on {
            failed |= gate(&shown, &model, level.into(), None);
        }
        if let Some(level) = args.require_decision {
            failed |= gate(&shown, &model, level.into(), Some("without a decision"));
        }
        if args.fail_on_overdue {
            failed |= overdue(&shown, &model, args.today.unwrap_or_else(system::today));
        }
        if args.require_review {
            failed |= unreviewed(&shown, &model);
        }
        if let Some(limit) = args.max_probability {
            let budget = super::NodeBudget::new(args.max_nodes);
            // One cut set is all a verdict from approximations needs.
            let opts = Options {
                max_sets: 1,
                effort: budget.effort(),
                ..Options::default()
            };
            for t in &model.fault_trees {
                let (verdict, too_large) =
                    super::ticker::watch(&printable(t.id.as_str()), &opts.effort, || {
                        over_limit(&model, t.id.as_str(), limit, &opts)
                    });
                // Said once the progress line is gone.
                if too_large {
                    budget.explain();
                }
                match verdict {
                    Ok(Verdict::Under(None)) => {}
                    Ok(Verdict::Under(Some(why))) => say!("{shown}: {why}"),
                    Ok(Verdict::Over(why)) => {
                        say!("{shown}: {why}");
                        failed = true;
                    }
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

/// Whether the top event of `tree` is more probable than `limit`. A coherent tree too large
/// to solve exactly is judged from its minimal cut sets: one of them alone more probable
/// than `limit` is enough to fail, and all of them under the min-cut upper bound (a bound
/// for coherent trees) to pass; anything else cannot be told. Also tells whether the node
/// budget kept the tree from being solved exactly.
fn over_limit(
    model: &Model,
    tree: &str,
    limit: f64,
    opts: &Options,
) -> (Result<Verdict, String>, bool) {
    match fault_tree::compile(model, tree, opts, Instant::now()) {
        Ok(Compilation::Exact(c)) => (Ok(exact_verdict(tree, c.probability(), limit)), false),
        Ok(Compilation::Approximated(report)) => (approximate_verdict(tree, &report, limit), true),
        Err(e) => (Err(e.to_string()), e.is_too_large()),
    }
}

fn exact_verdict(tree: &str, p: f64, limit: f64) -> Verdict {
    if p > limit {
        Verdict::Over(format!(
            "fault tree {} has top-event probability {p:.6e} > {limit:e}",
            printable(tree)
        ))
    } else {
        Verdict::Under(None)
    }
}

/// The verdict on a tree too large to solve exactly, from its minimal cut sets (`report`).
fn approximate_verdict(tree: &str, report: &Report, limit: f64) -> Result<Verdict, String> {
    let name = printable(tree);
    let Solution::Truncated(t) = &report.solution else {
        unreachable!("an approximation is never exact")
    };
    if let Some(set) = report
        .cut_sets
        .sets
        .first()
        .filter(|s| s.probability > limit)
    {
        let events: Vec<_> = set.events.iter().map(|e| printable(e.as_str())).collect();
        return Ok(Verdict::Over(format!(
            "fault tree {name}: its minimal cut set {{{}}} alone has probability {:.6e} > \
             {limit:e} (the tree is too large to solve exactly)",
            events.join(", "),
            set.probability
        )));
    }
    if t.complete && report.mcub <= limit {
        return Ok(Verdict::Under(Some(format!(
            "fault tree {name} is too large to solve exactly; its top-event probability is at \
             most {:.6e} (min-cut upper bound over all its minimal cut sets) <= {limit:e}",
            report.mcub
        ))));
    }
    let known = if t.complete {
        format!("the min-cut upper bound {:.6e} is above it", report.mcub)
    } else {
        format!("what is known rests on {}", basis(t))
    };
    Err(format!(
        "fault tree {name}: cannot tell whether its top-event probability exceeds {limit:e}: \
         {}; no minimal cut set alone exceeds it, and {known}",
        t.reason
    ))
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

/// Says which mitigations are overdue on `today`, and which decisions are past their review
/// date; whether any is.
fn overdue(path: &str, model: &Model, today: Date) -> bool {
    let late: Vec<String> = model
        .overdue_mitigations(today)
        .map(|m| {
            let owner = match m.owner.as_str() {
                "" => String::new(),
                o => format!(", owner {}", printable(o)),
            };
            let (due, id, title) = (
                printable(&m.due),
                printable(m.id.as_str()),
                printable(&m.title),
            );
            format!("due {due}  {id}  {title} ({}{owner})", m.status.label())
        })
        .collect();
    let to_review: Vec<String> = model
        .decisions_past_review(today)
        .into_iter()
        .filter_map(|t| Some((t, t.assessment.as_ref()?)))
        .map(|(t, a)| {
            let (by, id, title) = (
                printable(&a.review_by),
                printable(t.id.as_str()),
                printable(&t.title),
            );
            format!("review by {by}  {id}  {title} ({})", a.decision.label())
        })
        .collect();
    let lists = [
        (late, "mitigation", "mitigations", "overdue"),
        (to_review, "decision", "decisions", "past the review date"),
    ];
    let mut any = false;
    for (rows, one, many, what) in lists.iter().filter(|l| !l.0.is_empty()) {
        say!(
            "{path}: {} {what} on {today}:",
            count(rows.len(), one, many)
        );
        for row in rows {
            say!("  {row}");
        }
        any = true;
    }
    any
}

/// Lists the flows crossing a trust boundary that nobody has reviewed; whether there are any.
fn unreviewed(path: &str, model: &Model) -> bool {
    let flows: Vec<_> = model.unreviewed_crossings().collect();
    if flows.is_empty() {
        return false;
    }
    say!(
        "{path}: {} crossing a trust boundary not reviewed:",
        count(flows.len(), "flow", "flows")
    );
    let name =
        |id: &threatloom::model::Id| printable(model.name_or_id(id.as_str()).as_str()).into_owned();
    for f in flows {
        say!(
            "  {}  {}: {} → {}",
            printable(f.id.as_str()),
            printable(&f.label),
            name(&f.source),
            name(&f.target)
        );
    }
    true
}

/// Lists the threats at or above `level` that still carry risk (`undecided`: and have no
/// decision, which it says); true if there are any.
fn gate(path: &str, model: &Model, level: RiskLevel, undecided: Option<&str>) -> bool {
    let over: Vec<_> = model
        .by_risk()
        .into_iter()
        .filter(|t| !t.status.is_closed() && model.current_level(t) >= level)
        .filter(|t| undecided.is_none() || t.assessment.is_none())
        .collect();
    if over.is_empty() {
        return false;
    }
    let without = undecided.map(|w| format!(" {w}")).unwrap_or_default();
    say!(
        "{path}: {} at or above {level}{without}:",
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
