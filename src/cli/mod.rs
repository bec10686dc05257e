//! Command-line interface. Exit codes: 0 ok, 1 a check failed, 2 invalid input.

/// `println!` to stdout without its panic when stdout fails (see `print`).
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::cli::print(format_args!("{}\n", format_args!($($arg)*)))
    };
}

mod analyze;
mod check;
mod diff;
mod export;
mod fmt;
mod import;
mod merge;
mod new;
mod ticker;

use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use threatloom::analysis::fault_tree::Effort;
use threatloom::format::text::printable;
use threatloom::format::{mef, ron};
use threatloom::model::Model;

#[derive(Parser)]
#[command(
    name = "threatloom",
    version,
    about = "Threat modeling and fault-tree analysis"
)]
#[command(args_conflicts_with_subcommands = true)]
struct Cli {
    /// Model to open (created on first save if missing)
    file: Option<PathBuf>,
    /// Colour theme: dark, light, high-contrast, colour-blind (or a user theme)
    #[arg(long, global = true)]
    theme: Option<String>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Open the interactive editor (the default without a subcommand)
    Edit {
        /// Model to open (created on first save if missing)
        file: Option<PathBuf>,
    },
    /// Validate models; optionally fail on risk at or above a level, or on undecided threats
    Check(check::Args),
    /// Exact probability, cut sets, importance and uncertainty of fault trees
    Analyze(analyze::Args),
    /// Export a model as DOT, Markdown, CSV, JSON, SVG, Open-PSA MEF or Open Threat Model
    Export(export::Args),
    /// Convert Open-PSA MEF files, an OWASP Threat Dragon model or an Open Threat Model
    /// (OTM) document into a RON model
    Import(import::Args),
    /// Write a new model, empty or from a bundled example
    New(new::Args),
    /// Rewrite models in canonical form
    Fmt(fmt::Args),
    /// What changed between two versions of a model: elements, threats and their risk,
    /// suggestions, fault-tree probabilities
    Diff(diff::Args),
    /// Three-way merge of model versions by element and field (a git merge driver)
    Merge(merge::Args),
}

/// How a command ended, mapped to the documented exit codes.
pub enum Outcome {
    Ok,
    CheckFailed,
    Invalid,
}

impl From<Outcome> for ExitCode {
    fn from(o: Outcome) -> Self {
        match o {
            Outcome::Ok => ExitCode::SUCCESS,
            Outcome::CheckFailed => ExitCode::from(1),
            Outcome::Invalid => ExitCode::from(2),
        }
    }
}

/// Writes to stdout. A reader that went away (`| head`) has read all it wanted: the command
/// goes on quietly. Any other failure (a full disk) ends it as invalid, with the reason.
pub fn print(text: std::fmt::Arguments) {
    use std::io::Write;
    if let Err(e) = std::io::stdout().lock().write_fmt(text)
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        error(&format!("stdout: {e}"));
        std::process::exit(2); // as `Outcome::Invalid`
    }
}

/// The node budget of a headless analysis (`Effort::max_nodes`): the one asked for with
/// `--max-nodes`, else as many nodes as three quarters of the memory available allow, so that
/// a tree too large for the machine is approximated rather than the machine run out of memory.
pub struct NodeBudget {
    pub max_nodes: Option<usize>,
    /// Memory, not the user or the engine's own limit, set the budget.
    by_memory: bool,
}

impl NodeBudget {
    pub fn new(asked: Option<usize>) -> Self {
        let by_memory = asked
            .is_none()
            .then(|| threatloom::system::node_budget(0.75))
            .flatten()
            .filter(|&n| n < threatloom::analysis::fault_tree::MAX_NODES);
        NodeBudget {
            max_nodes: asked.or(by_memory),
            by_memory: by_memory.is_some(),
        }
    }

    /// How far a headless analysis goes: this budget, its progress shown by `ticker::watch`.
    pub fn effort(&self) -> Effort {
        Effort {
            max_nodes: self.max_nodes,
            progress: Some(Default::default()),
            ..Effort::default()
        }
    }

    /// Says, after a tree was not solved exactly, when memory set the budget.
    pub fn explain(&self) {
        if let (true, Some(n)) = (self.by_memory, self.max_nodes) {
            eprintln!(
                "note: {n} BDD nodes is as many as the memory available allows; \
                 --max-nodes N sets another limit"
            );
        }
    }
}

/// Prints an error to stderr, one line at a time, with control characters made visible.
pub fn error(message: &str) {
    for line in message.lines() {
        eprintln!("{}", printable(line));
    }
}

/// A probability given on the command line: a number from 0 to 1.
pub fn probability(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(p) if (0.0..=1.0).contains(&p) => Ok(p),
        Ok(_) => Err("a probability is from 0 to 1".into()),
        Err(_) => Err("expected a number from 0 to 1".into()),
    }
}

/// The model a command reads: one RON file, or Open-PSA MEF files forming one model.
#[derive(clap::Args)]
pub struct Input {
    /// A RON model, or one or more Open-PSA MEF files (.xml) forming one model
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Mission time in hours for MEF input (SCRAM's default)
    #[arg(long, default_value_t = mef::DEFAULT_MISSION_TIME)]
    mission_time: f64,
}

impl Input {
    /// The file errors about the whole model name.
    pub fn name(&self) -> std::path::Display<'_> {
        self.files[0].display()
    }

    pub fn load(&self) -> Result<Model, String> {
        load_model(&self.files, self.mission_time)
    }
}

/// A file's text, or why it cannot be read (the first byte that is not UTF-8, with its
/// position).
pub fn read_text(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    ron::decode(&bytes, path)
        .map(str::to_owned)
        .map_err(|e| e.to_string())
}

/// Loads a RON model, or a model spread over Open-PSA MEF files (`.xml`).
pub fn load_model(files: &[PathBuf], mission_time: f64) -> Result<Model, String> {
    let is_xml = |p: &PathBuf| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("xml"));
    match files {
        [one] if !is_xml(one) => ron::load(one).map(|l| l.model).map_err(|e| e.to_string()),
        _ if files.iter().all(is_xml) => {
            let mut texts = Vec::new();
            for f in files {
                texts.push((f.clone(), read_text(f)?));
            }
            let model = mef::import(texts.clone(), mission_time).map_err(|e| e.to_string())?;
            let problems: Vec<String> = model
                .validate()
                .iter()
                .map(|p| mef::locate(&texts, p).to_string())
                .collect();
            if problems.is_empty() {
                Ok(model)
            } else {
                Err(problems.join("\n"))
            }
        }
        _ => Err("give one RON model, or Open-PSA MEF files (.xml) only".into()),
    }
}

fn edit(file: Option<PathBuf>, theme: Option<&str>) -> Outcome {
    match threatloom::tui::run::run(file, theme) {
        Ok(()) => Outcome::Ok,
        Err(e) => {
            error(&e);
            Outcome::Invalid
        }
    }
}

/// A command's outcome, its error (if any) reported on stderr as invalid input.
fn reported(result: Result<Outcome, String>) -> Outcome {
    result.unwrap_or_else(|e| {
        error(&e);
        Outcome::Invalid
    })
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Some(Command::Check(a)) => check::run(&a),
        Some(Command::Analyze(a)) => reported(analyze::run(&a)),
        Some(Command::Export(a)) => reported(export::run(&a)),
        Some(Command::Import(a)) => reported(import::run(&a)),
        Some(Command::New(a)) => reported(new::run(&a)),
        Some(Command::Fmt(a)) => fmt::run(&a),
        Some(Command::Diff(a)) => reported(diff::run(&a)),
        Some(Command::Merge(a)) => reported(merge::run(&a)),
        Some(Command::Edit { file }) => edit(file, cli.theme.as_deref()),
        None => edit(cli.file, cli.theme.as_deref()),
    };
    outcome.into()
}
