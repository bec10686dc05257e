//! `threatloom import`: Open-PSA MEF files, an OWASP Threat Dragon model or an Open Threat
//! Model (OTM) document, into a RON model.

use super::{Outcome, load_model};
use std::path::{Path, PathBuf};
use threatloom::format::text::count;
use threatloom::format::{otm, ron, threat_dragon};
use threatloom::model::Model;

#[derive(clap::Args)]
pub struct Args {
    /// Open-PSA MEF files (.xml) forming one model, or one OWASP Threat Dragon model (.json)
    /// or Open Threat Model document (.otm or .json)
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
            .is_some_and(|e| e.eq_ignore_ascii_case("json") || e.eq_ignore_ascii_case("otm"))
    {
        return json(one, &args.output);
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

/// A Threat Dragon model or an OTM document (told by its `otmVersion`): what it holds, then
/// what could not be carried over or was read by guess, on stderr.
fn json(path: &Path, output: &Path) -> Result<Outcome, String> {
    let text = super::read_text(path)?;
    let is_otm = serde_json::from_str::<serde_json::Value>(&text).is_ok_and(|v| otm::is_otm(&v))
        || path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("otm"));
    let (model, notes) = if is_otm {
        let i = otm::import(path, &text).map_err(|e| e.to_string())?;
        (i.model, i.notes.into_iter().map(|n| ("note", n)).collect())
    } else {
        let i = threat_dragon::import(path, &text).map_err(|e| e.to_string())?;
        let skipped = i.skipped.into_iter().map(|n| ("not imported", n));
        let merged = i.merged.into_iter().map(|n| ("note", n));
        (i.model, skipped.chain(merged).collect::<Vec<_>>())
    };
    let model = &model;
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
    for (verb, s) in &notes {
        super::error(&format!("{}: {verb}: {s}", path.display()));
    }
    Ok(Outcome::Ok)
}
