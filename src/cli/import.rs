//! `threatloom import`: Open-PSA MEF files into a RON model.

use super::{Outcome, load_model};
use std::path::PathBuf;
use threatloom::format::ron;
use threatloom::format::text::count;

#[derive(clap::Args)]
pub struct Args {
    /// Open-PSA MEF files (.xml) forming one model
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
    let model = load_model(&args.files, args.mission_time)?;
    ron::save(&args.output, &model, ron::Overwrite::IfUnchanged(None))
        .map_err(|e| e.to_string())?;
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
