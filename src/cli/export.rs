//! `threatloom export`: the model in other formats, to stdout or a file.

use super::{Input, Outcome};
use std::io::Write;
use std::path::PathBuf;
use threatloom::analysis::fault_tree;
use threatloom::format::{csv, dot, dot_tree, json, markdown, mef, otm, ron};
use threatloom::model::{Id, Model};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    input: Input,
    /// Output format
    #[arg(long, value_enum)]
    to: To,
    /// What DOT draws: the data-flow diagram or a fault tree
    #[arg(long, value_enum, default_value = "dfd")]
    view: View,
    /// The fault tree to draw (default: the first, or the one holding --from)
    #[arg(long)]
    tree: Option<String>,
    /// Draw only the branch under this node (a gate or event of the tree), not from the top
    #[arg(long)]
    from: Option<String>,
    /// Output file (default: stdout)
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Largest BDD to build for one part of a fault tree drawn or reported, in nodes (as for
    /// `analyze`). A tree drawing that needs more shows its events' probabilities only
    #[arg(long)]
    max_nodes: Option<usize>,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum View {
    /// Data-flow diagram
    Dfd,
    /// Fault tree
    Tree,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum To {
    /// Graphviz DOT of the data-flow diagram
    Dot,
    /// Markdown review report
    Md,
    /// CSV of threats
    Csv,
    /// JSON of the whole model
    Json,
    /// Open-PSA MEF XML of the fault trees
    Mef,
    /// Open Threat Model (OTM 0.2.0) JSON, for IriusRisk and other OTM tools
    Otm,
    /// SVG image of the whole data-flow diagram
    Svg,
}

pub fn run(args: &Args) -> Result<Outcome, String> {
    // Options that would be ignored are refused: the output would not be what was asked for.
    let tree_view = matches!(args.to, To::Dot) && args.view == View::Tree;
    if args.view == View::Tree && !tree_view {
        return Err("--view tree draws a fault tree in DOT only: use it with --to dot".into());
    }
    if (args.tree.is_some() || args.from.is_some()) && !tree_view {
        return Err(
            "--tree and --from choose the fault tree to draw: use them with --to dot --view tree"
                .into(),
        );
    }
    let model = args.input.load()?;
    // Fault trees are analysed for the tree drawing and the report: within the memory, as
    // `analyze` does, and shown under way on a terminal.
    let budget = super::NodeBudget::new(args.max_nodes);
    let effort = budget.effort();
    let label = args.input.name().to_string();
    let (text, unsolved) = super::ticker::watch(&label, &effort, || render(args, &model, &effort))?;
    // Said once the progress line is gone.
    if let Some(why) = unsolved {
        eprintln!("note: {label}: only the gates solved on their own have a probability: {why}");
        budget.explain();
    }
    write_output(args.output.as_deref(), &text)?;
    Ok(Outcome::Ok)
}

/// The output, and why a fault tree drawn has no gate probabilities, if so.
fn render(
    args: &Args,
    model: &Model,
    effort: &fault_tree::Effort,
) -> Result<(String, Option<String>), String> {
    let text = match (args.to, args.view) {
        (To::Dot, View::Tree) => {
            return tree_dot(model, args.tree.as_deref(), args.from.as_deref(), effort)
                .map_err(|e| format!("{}: {e}", args.input.name()));
        }
        (To::Dot, View::Dfd) => dot::diagram(model),
        (To::Md, _) => markdown::report(model, effort, threatloom::system::today()),
        (To::Csv, _) => csv::threats(model),
        (To::Json, _) => json::model(model),
        (To::Mef, _) => mef::export(model),
        (To::Otm, _) => otm::export(model),
        (To::Svg, _) => {
            let theme = threatloom::tui::theme::Theme::load("dark", None)
                .unwrap_or_else(|e| unreachable!("built-in theme: {e}"));
            let buf = threatloom::tui::canvas::full_diagram(model, &theme, (1000, 500));
            threatloom::format::svg::render(&buf, "#d8dee9", "#1e222a")
        }
    };
    Ok((text, None))
}

/// The DOT of fault tree `tree` (default: the first, or the one defining `from`), from node
/// `from` down if given, and why its gates have no probabilities, if so.
fn tree_dot(
    model: &Model,
    tree: Option<&str>,
    from: Option<&str>,
    effort: &fault_tree::Effort,
) -> Result<(String, Option<String>), String> {
    let from = from.map(Id::new);
    let id = match (tree, &from) {
        (Some(t), _) => t.to_owned(),
        (None, Some(node)) => model
            .tree_defining(node)
            .map(|t| model.fault_trees[t].id.to_string())
            .ok_or_else(|| format!("no fault-tree node \"{node}\""))?,
        (None, None) => model
            .fault_trees
            .first()
            .map(|t| t.id.to_string())
            .ok_or("the model has no fault tree")?,
    };
    let (probabilities, unsolved) = match fault_tree::node_probabilities(model, &id, effort) {
        Ok(p) => (p, None),
        // Still worth drawing: with the events' probabilities only.
        Err(why @ fault_tree::GraphError::TooLarge(_)) => (
            fault_tree::known_probabilities(model, &id, effort).map_err(|e| e.to_string())?,
            Some(why.to_string()),
        ),
        Err(e) => return Err(e.to_string()),
    };
    let dot = dot_tree::fault_tree(model, &id, from.as_ref(), &probabilities)?;
    Ok((dot, unsolved))
}

/// Writes to the file (atomically) or to stdout.
fn write_output(path: Option<&std::path::Path>, text: &str) -> Result<(), String> {
    match path {
        Some(p) => ron::write_atomic(p, false, |f| f.write_all(text.as_bytes()))
            .map_err(|e| format!("{}: {e}", p.display())),
        None => {
            super::print(format_args!("{text}"));
            Ok(())
        }
    }
}
