//! `threatloom export`: the model in other formats, to stdout or a file.

use super::{Outcome, error};
use std::io::Write;
use std::path::PathBuf;
use threatloom::format::{csv, dot, json, markdown, ron};

#[derive(clap::Args)]
pub struct Args {
    /// Model file
    file: PathBuf,
    /// Output format
    #[arg(long, value_enum)]
    to: To,
    /// Output file (default: stdout)
    #[arg(short, long)]
    output: Option<PathBuf>,
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
}

pub fn run(args: &Args) -> Outcome {
    let model = match ron::load(&args.file) {
        Ok(l) => l.model,
        Err(e) => {
            error(&e.to_string());
            return Outcome::Invalid;
        }
    };
    let text = match args.to {
        To::Dot => dot::diagram(&model),
        To::Md => markdown::report(&model),
        To::Csv => csv::threats(&model),
        To::Json => json::model(&model),
    };
    write_output(args.output.as_deref(), &text)
}

/// Writes to the file (atomically) or to stdout.
pub fn write_output(path: Option<&std::path::Path>, text: &str) -> Outcome {
    let result = match path {
        Some(p) => ron::write_atomic(p, false, |f| f.write_all(text.as_bytes()))
            .map_err(|e| format!("{}: {e}", p.display())),
        None => std::io::stdout()
            .lock()
            .write_all(text.as_bytes())
            .map_err(|e| format!("stdout: {e}")),
    };
    match result {
        Ok(()) => Outcome::Ok,
        Err(e) => {
            error(&e);
            Outcome::Invalid
        }
    }
}
