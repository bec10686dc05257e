//! `threatloom import`: Open-PSA MEF files, or an OWASP Threat Dragon model, into a RON model.

use super::{Outcome, load_model};
use std::path::{Path, PathBuf};
use threatloom::format::ron;
use threatloom::format::text::count;
use threatloom::model::Model;

#[derive(clap::Args)]
pub struct Args {
    /// Open-PSA MEF files (.xml) forming one model, or one OWASP Threat Dragon model (.json)
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// The RON model to write (must not exist)
    #[arg(short, long)]
    output: PathBuf,
    /// Mission time in hours for exponential and other time-dependent expressions
    #[arg(long, default_value_t = threatloom::format::mef::DEFAULT_MISSION_TIME)]
    mission_time: f64,
}

pub fn run(args: &Args) -> Result<Outcome, String> {
    if let [one] = &args.files[..]
        && one
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
    {
        return threat_dragon(one, &args.output);
    }
    let model = load_model(&args.files, args.mission_time)?;
    save(&args.output, &model)?;
    let gates: usize = model.fault_trees.iter().map(|t| t.gates.len()).sum();
    let events: usize = model.fault_trees.iter().map(|t| t.events.len()).sum();
    say!(
        "wrote {}: {}, {}, {}",
        args.output.display(),
        count(model.fault_trees.len(), "fault tree", "fault trees"),
        count(gates, "gate", "gates"),
        count(events, "basic event", "basic events")
    );
    Ok(Outcome::Ok)
}

fn save(path: &Path, model: &Model) -> Result<(), String> {
    ron::save(path, model, ron::Overwrite::IfUnchanged(None))
        .map(drop)
        .map_err(|e| e.to_string())
}

/// A Threat Dragon model: what it holds, then what could not be carried over, on stderr.
fn threat_dragon(path: &Path, output: &Path) -> Result<Outcome, String> {
    let text = super::read_text(path)?;
    let imported =
        threatloom::format::threat_dragon::import(path, &text).map_err(|e| e.to_string())?;
    let model = &imported.model;
    let problems: Vec<String> = model.validate().iter().map(ToString::to_string).collect();
    if !problems.is_empty() {
        return Err(format!("{}: {}", path.display(), problems.join("; ")));
    }
    save(output, model)?;
    say!(
        "wrote {}: {}, {}, {}, {}",
        output.display(),
        count(model.components.len(), "component", "components"),
        count(model.boundaries.len(), "boundary", "boundaries"),
        count(model.flows.len(), "flow", "flows"),
        count(model.threats.len(), "threat", "threats")
    );
    for s in &imported.skipped {
        super::error(&format!("{}: not imported: {s}", path.display()));
    }
    Ok(Outcome::Ok)
}
