//! Command-line interface. Exit codes: 0 ok, 1 a check failed, 2 invalid input.

mod check;
mod export;
mod fmt;
mod new;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use threatloom::format::text::printable;

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
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Validate models; optionally fail when risk is at or above a level
    Check(check::Args),
    /// Export a model as DOT, Markdown, CSV or JSON
    Export(export::Args),
    /// Write a new model, empty or from a bundled example
    New(new::Args),
    /// Rewrite models in canonical form
    Fmt(fmt::Args),
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

/// Prints an error to stderr, one line at a time, with control characters made visible.
pub fn error(message: &str) {
    for line in message.lines() {
        eprintln!("{}", printable(line));
    }
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Some(Command::Check(a)) => check::run(&a),
        Some(Command::Export(a)) => export::run(&a),
        Some(Command::New(a)) => new::run(&a),
        Some(Command::Fmt(a)) => fmt::run(&a),
        None => {
            error("the interactive editor is not part of this build yet; see `threatloom --help`");
            Outcome::Invalid
        }
    };
    outcome.into()
}
