//! `threatloom analyze`: exact probability, approximations, cut sets, importance and
//! uncertainty of fault trees in a RON model or Open-PSA MEF files.

use super::{Input, Outcome};
use serde::Serialize;
use threatloom::analysis::fault_tree::{self, Options, Report, Solution, Truncation};
use threatloom::format::text::{basis, count, importance_heading, importance_row, printable};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    input: Input,
    /// Analyse only this fault tree
    #[arg(long)]
    tree: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Do not list cut sets less probable than this
    #[arg(long, default_value_t = 0.0, value_parser = super::probability)]
    cutoff: f64,
    /// Largest cut-set order to compute
    #[arg(long)]
    max_order: Option<u32>,
    /// How many of the most probable cut sets to list
    #[arg(long, default_value_t = 20)]
    max_sets: usize,
    /// Monte Carlo samples for the uncertainty of the top event
    #[arg(long, value_parser = samples)]
    monte_carlo: Option<usize>,
    /// Seed of the Monte Carlo sampling
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Largest BDD to build for one part of a tree, in nodes (rounded down to 50 k, 400 k,
    /// 3.2 M, 25.6 M or 102.4 M; by default as many as three quarters of the memory available
    /// allow, at most 102.4 M). A coherent tree that needs more is approximated from its
    /// minimal cut sets of low order, computed without a BDD
    #[arg(long)]
    max_nodes: Option<usize>,
    /// Print how long each phase took, per tree, to stderr
    #[arg(long)]
    timings: bool,
}

/// A number of Monte Carlo samples: at least one.
fn samples(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(0) => Err("at least one sample is needed".into()),
        Ok(n) => Ok(n),
        Err(_) => Err("expected a whole number of samples".into()),
    }
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

pub fn run(args: &Args) -> Result<Outcome, String> {
    let model = args.input.load()?;
    let trees: Vec<String> = match &args.tree {
        Some(t) => vec![t.clone()],
        None => model.fault_trees.iter().map(|t| t.id.to_string()).collect(),
    };
    if trees.is_empty() {
        return Err(format!(
            "{}: the model has no fault tree (draw one on the editor's Fault trees screen, 5, \
             or import an Open-PSA MEF file)",
            args.input.name()
        ));
    }
    let budget = super::NodeBudget::new(args.max_nodes);
    let opts = Options {
        max_order: args.max_order,
        cutoff: args.cutoff,
        max_sets: args.max_sets,
        monte_carlo: args.monte_carlo.map(|n| (n, args.seed)),
        effort: budget.effort(),
    };
    let mut reports = Vec::new();
    for tree in &trees {
        let analysed = super::ticker::watch(&printable(tree), &opts.effort, || {
            fault_tree::analyze(&model, tree, &opts)
        });
        match analysed {
            Ok(r) => {
                if args.timings {
                    timings(&r);
                }
                if let Solution::Truncated(t) = &r.solution {
                    eprintln!(
                        "warning: {}: {}: not solved exactly; approximations from {}",
                        args.input.name(),
                        printable(tree),
                        basis(t)
                    );
                    budget.explain();
                }
                reports.push(r);
            }
            Err(e) => {
                if e.is_too_large() {
                    budget.explain();
                }
                return Err(format!("{}: {e}", args.input.name()));
            }
        }
    }
    match args.format {
        Format::Json => say!("{}", json(&reports)),
        Format::Text => {
            for r in &reports {
                super::print(format_args!("{}", text(&model, r, args.max_order)));
            }
        }
    }
    Ok(Outcome::Ok)
}

fn timings(r: &Report) {
    let t = &r.timings;
    eprintln!(
        "{}: compile {:.1} ms, cut sets {:.1} ms, importance {:.1} ms, uncertainty {:.1} ms, total {:.1} ms",
        printable(r.tree.as_str()),
        t.compile.as_secs_f64() * 1e3,
        t.cut_sets.as_secs_f64() * 1e3,
        t.importance.as_secs_f64() * 1e3,
        t.uncertainty.as_secs_f64() * 1e3,
        r.elapsed.as_secs_f64() * 1e3
    );
}

/// The report in words. `limit`, the order limit asked for, is said beside the figures it
/// bounds when the tree was solved exactly (a truncated solution says what it rests on).
fn text(model: &threatloom::model::Model, r: &Report, limit: Option<u32>) -> String {
    use std::fmt::Write;
    let mut o = String::new();
    let name = model
        .fault_tree(r.tree.as_str())
        .map_or(String::new(), |t| t.name.clone());
    let _ = writeln!(
        o,
        "{} ({}), top event {}",
        printable(&name),
        printable(r.tree.as_str()),
        printable(r.top.as_str())
    );
    match &r.solution {
        Solution::Exact(p) => {
            let _ = writeln!(o, "  probability        {p:.6e}  (exact)");
        }
        Solution::Truncated(t) => {
            let _ = writeln!(o, "  probability        not computed: {}", t.reason);
            let _ = writeln!(o, "  what follows comes from {}", basis(t));
        }
    }
    let bounded = match (&r.solution, limit) {
        (Solution::Exact(_), Some(k)) => Some(count(k, "event", "events")),
        _ => None,
    };
    let from = bounded.as_ref().map_or(String::new(), |b| {
        format!("  (cut sets of at most {b} only)")
    });
    let _ = writeln!(o, "  rare-event approx  {:.6e}{from}", r.rare_event);
    let _ = writeln!(o, "  min-cut upper bnd  {:.6e}{from}", r.mcub);
    let orders: Vec<String> = r
        .cut_sets
        .by_order
        .iter()
        .enumerate()
        .filter(|(_, c)| **c > 0)
        .map(|(k, c)| format!("{c} of order {k}"))
        .collect();
    let _ = write!(o, "  minimal cut sets   {}", r.cut_sets.count);
    if let Some(b) = &bounded {
        let _ = write!(o, " of at most {b}");
    }
    if orders.is_empty() {
        let _ = writeln!(o);
    } else {
        let _ = writeln!(o, " ({})", orders.join(", "));
    }
    if !r.cut_sets.sets.is_empty() {
        let _ = writeln!(o, "  most probable cut sets:");
        for (i, s) in r.cut_sets.sets.iter().enumerate() {
            let events: Vec<String> = s
                .events
                .iter()
                .map(|e| printable(e.as_str()).into_owned())
                .collect();
            let _ = writeln!(
                o,
                "    {:>3}. {:.3e}  {}",
                i + 1,
                s.probability,
                events.join(", ")
            );
        }
    }
    if r.probability().is_some() {
        let _ = writeln!(o, "  importance (most important first):");
    } else {
        let _ = writeln!(
            o,
            "  importance from these cut sets, by the min-cut upper bound (most important first):"
        );
    }
    let _ = writeln!(o, "    {}", importance_heading(28));
    for i in r.importance.iter().take(20) {
        let _ = writeln!(o, "    {}", importance_row(i, 28));
    }
    if let Some(u) = &r.uncertainty {
        let of = if r.probability().is_some() {
            ""
        } else {
            " of the min-cut upper bound"
        };
        let _ = writeln!(
            o,
            "  uncertainty{of} ({} samples, seed {}): mean {:.4e}, sd {:.4e}, 5% {:.4e}, median {:.4e}, 95% {:.4e}",
            u.samples, u.seed, u.mean, u.std_dev, u.p5, u.p50, u.p95
        );
    }
    let _ = writeln!(o, "  computed in {:.1} ms\n", r.elapsed.as_secs_f64() * 1e3);
    o
}

#[derive(Serialize)]
struct JsonOut<'a> {
    trees: Vec<JsonTree<'a>>,
}

#[derive(Serialize)]
struct JsonTree<'a> {
    id: &'a str,
    top: &'a str,
    /// `null` for a tree too large to solve exactly (see `truncation`).
    probability: Option<f64>,
    approximations: JsonApprox,
    cut_sets: JsonCutSets<'a>,
    importance: Vec<JsonImportance<'a>>,
    uncertainty: Option<JsonUncertainty>,
    elapsed_ms: f64,
    /// Only for a tree too large to solve exactly.
    #[serde(skip_serializing_if = "Option::is_none")]
    truncation: Option<JsonTruncation<'a>>,
}

#[derive(Serialize)]
struct JsonTruncation<'a> {
    reason: &'a str,
    max_order: u32,
    complete: bool,
}

#[derive(Serialize)]
struct JsonApprox {
    rare_event: f64,
    mcub: f64,
}

#[derive(Serialize)]
struct JsonCutSets<'a> {
    count: u128,
    max_order: usize,
    sets: Vec<JsonSet<'a>>,
}

#[derive(Serialize)]
struct JsonSet<'a> {
    events: Vec<&'a str>,
    probability: f64,
}

#[derive(Serialize)]
struct JsonImportance<'a> {
    event: &'a str,
    probability: f64,
    birnbaum: f64,
    fussell_vesely: f64,
    raw: f64,
    rrw: f64,
}

#[derive(Serialize)]
struct JsonUncertainty {
    samples: usize,
    seed: u64,
    mean: f64,
    std_dev: f64,
    p5: f64,
    p50: f64,
    p95: f64,
}

fn json(reports: &[Report]) -> String {
    let out = JsonOut {
        trees: reports
            .iter()
            .map(|r| JsonTree {
                id: r.tree.as_str(),
                top: r.top.as_str(),
                probability: r.probability(),
                approximations: JsonApprox {
                    rare_event: r.rare_event,
                    mcub: r.mcub,
                },
                cut_sets: JsonCutSets {
                    count: r.cut_sets.count,
                    max_order: r.cut_sets.max_order(),
                    sets: r
                        .cut_sets
                        .sets
                        .iter()
                        .map(|s| JsonSet {
                            events: s.events.iter().map(|e| e.as_str()).collect(),
                            probability: s.probability,
                        })
                        .collect(),
                },
                importance: r
                    .importance
                    .iter()
                    .map(|i| JsonImportance {
                        event: i.event.as_str(),
                        probability: i.measures.probability,
                        birnbaum: i.measures.birnbaum,
                        fussell_vesely: i.measures.fussell_vesely,
                        raw: i.measures.raw,
                        rrw: i.measures.rrw,
                    })
                    .collect(),
                uncertainty: r.uncertainty.as_ref().map(|u| JsonUncertainty {
                    samples: u.samples,
                    seed: u.seed,
                    mean: u.mean,
                    std_dev: u.std_dev,
                    p5: u.p5,
                    p50: u.p50,
                    p95: u.p95,
                }),
                elapsed_ms: r.elapsed.as_secs_f64() * 1e3,
                truncation: match &r.solution {
                    Solution::Exact(_) => None,
                    Solution::Truncated(Truncation {
                        reason,
                        max_order,
                        complete,
                    }) => Some(JsonTruncation {
                        reason,
                        max_order: *max_order,
                        complete: *complete,
                    }),
                },
            })
            .collect(),
    };
    serde_json::to_string_pretty(&out).unwrap_or_else(|e| unreachable!("reports serialize: {e}"))
}
