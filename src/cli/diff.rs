//! `threatloom diff`: what changed between two versions of a model, for a review or a pull
//! request, and a gate that fails when the change makes risk worse.

use super::Outcome;
use std::io::Read;
use std::path::{Path, PathBuf};
use threatloom::analysis::changes::{Changes, changes};
use threatloom::analysis::fault_tree::Compiled;
use threatloom::format::changes::{Style, render};
use threatloom::format::mef::DEFAULT_MISSION_TIME;
use threatloom::format::ron;
use threatloom::format::text::printable;
use threatloom::model::{FaultTree, Model};

#[derive(clap::Args)]
pub struct Args {
    /// The earlier version (`-`: read it from stdin, e.g. from `git show main:FILE`)
    old: PathBuf,
    /// The later version
    new: PathBuf,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Exit 1 when the change makes risk worse: a threat's risk level rises, a threat still
    /// open is removed, a fault tree's top event becomes more probable, or the design raises
    /// a new concrete suggestion
    #[arg(long)]
    fail_on_increase: bool,
    /// Largest BDD to build for one part of a fault tree, in nodes (as for `analyze`)
    #[arg(long)]
    max_nodes: Option<usize>,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// For a terminal
    Text,
    /// Markdown, for a pull request
    Md,
    /// One JSON object: sections of entries, and the increases
    Json,
}

pub fn run(args: &Args) -> Result<Outcome, String> {
    if args.old == Path::new("-") && args.new == Path::new("-") {
        return Err("only one of the two versions can come from stdin".into());
    }
    let (old, new) = (load(&args.old)?, load(&args.new)?);
    let budget = super::NodeBudget::new(args.max_nodes);
    let effort = budget.effort();
    let mut top = |m: &Model, t: &FaultTree| {
        let label = printable(t.id.as_str()).into_owned();
        super::ticker::watch(&label, &effort, || {
            Compiled::node(m, t.top.as_str(), &effort)
                .map(|c| c.probability())
                .map_err(|e| e.to_string())
        })
    };
    let found: Changes = changes(&old, &new, &mut top);
    let title = format!("{} → {}", shown(&args.old), shown(&args.new));
    let text = match args.format {
        Format::Text => render(&found, &title, Style::Text),
        Format::Md => render(&found, &title, Style::Markdown),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&found)
                .unwrap_or_else(|e| unreachable!("changes always serialize: {e}"));
            s.push('\n');
            s
        }
    };
    say!("{}", text.trim_end_matches('\n'));
    Ok(if args.fail_on_increase && !found.increases.is_empty() {
        Outcome::CheckFailed
    } else {
        Outcome::Ok
    })
}

fn shown(path: &Path) -> String {
    if path == Path::new("-") {
        "stdin".to_owned()
    } else {
        path.display().to_string()
    }
}

/// A RON model from a file, or from stdin for `-`.
fn load(path: &Path) -> Result<Model, String> {
    if path != Path::new("-") {
        return super::load_model(
            std::slice::from_ref(&path.to_path_buf()),
            DEFAULT_MISSION_TIME,
        );
    }
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|e| format!("stdin: {e}"))?;
    let name = Path::new("<stdin>");
    let text = ron::decode(&bytes, name).map_err(|e| e.to_string())?;
    ron::parse(text, name).map_err(|e| e.to_string())
}
