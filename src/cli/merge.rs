//! `threatloom merge`: a three-way merge of model versions by element and field, for git as a
//! merge driver (`threatloom merge %O %A %B` writes the result over `%A`).

use super::{Outcome, error, read_text};
use std::path::{Path, PathBuf};
use threatloom::format::ron;
use threatloom::format::text::{count, printable};
use threatloom::model::merge::merge;

#[derive(clap::Args)]
pub struct Args {
    /// The common ancestor (an empty file: none, both sides added the model)
    base: PathBuf,
    /// Our version; the result is written over it unless -o says otherwise
    ours: PathBuf,
    /// Their version
    theirs: PathBuf,
    /// Where to write the merged model (default: over OURS)
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// The model's name in messages (git's `%P`: OURS is then a temporary file)
    #[arg(long)]
    name: Option<String>,
}

pub fn run(args: &Args) -> Result<Outcome, String> {
    let base_text = read_text(&args.base)?;
    let base = if base_text.trim().is_empty() {
        None
    } else {
        Some(ron::parse_unvalidated(&base_text, &args.base).map_err(|e| e.to_string())?)
    };
    let load = |p: &Path| ron::load(p).map(|l| l.model).map_err(|e| e.to_string());
    let (ours, theirs) = (load(&args.ours)?, load(&args.theirs)?);
    let (merged, conflicts) = merge(base.as_ref(), &ours, &theirs)?;
    let out = args.output.as_ref().unwrap_or(&args.ours);
    let shown = printable(
        &args
            .name
            .clone()
            .unwrap_or_else(|| out.display().to_string()),
    )
    .into_owned();
    // Conflicts settled by keeping ours, and what the merge broke (a flow to a component the
    // other side deleted): each for the user to look at before committing.
    let mut problems: Vec<String> = conflicts
        .iter()
        .map(|c| format!("{shown}: conflict: {}", printable(&c.to_string())))
        .collect();
    problems.extend(
        merged
            .validate()
            .iter()
            .map(|p| format!("{shown}: after the merge: {}", printable(&p.to_string()))),
    );
    let text = ron::to_string(&merged);
    ron::write_atomic(out, false, |f| {
        use std::io::Write;
        f.write_all(text.as_bytes())
    })
    .map_err(|e| format!("{shown}: {e}"))?;
    if problems.is_empty() {
        eprintln!("{shown}: merged cleanly");
        return Ok(Outcome::Ok);
    }
    for p in &problems {
        error(p);
    }
    eprintln!(
        "{shown}: merged with {} to resolve",
        count(problems.len(), "problem", "problems")
    );
    Ok(Outcome::CheckFailed)
}
