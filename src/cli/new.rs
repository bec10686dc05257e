//! `threatloom new`: a starter model, empty or from a bundled example.

use super::{Outcome, error};
use std::path::PathBuf;
use threatloom::format::ron;
use threatloom::model::Model;

/// Bundled examples usable as templates: (name, canonical RON text).
const TEMPLATES: [(&str, &str); 3] = [
    (
        "serverless-webapp",
        include_str!("../../models/serverless-webapp.ron"),
    ),
    ("iot-fleet", include_str!("../../models/iot-fleet.ron")),
    (
        "pressure-tank",
        include_str!("../../models/pressure-tank.ron"),
    ),
];

#[derive(clap::Args)]
pub struct Args {
    /// Template: empty, serverless-webapp, iot-fleet or pressure-tank
    #[arg(long, default_value = "empty")]
    template: String,
    /// Where to write the model (must not exist)
    out: PathBuf,
}

pub fn run(args: &Args) -> Outcome {
    let model = if args.template == "empty" {
        let name = args.out.file_stem().map_or("Untitled model".into(), |s| {
            s.to_string_lossy().into_owned()
        });
        Model::new(&name)
    } else if let Some((_, text)) = TEMPLATES.iter().find(|(n, _)| *n == args.template) {
        match ron::parse(text, std::path::Path::new(&args.template)) {
            Ok(m) => m,
            Err(e) => {
                error(&e.to_string());
                return Outcome::Invalid;
            }
        }
    } else {
        let names: Vec<&str> = TEMPLATES.iter().map(|(n, _)| *n).collect();
        error(&format!(
            "unknown template \"{}\"; choose empty, {}",
            args.template,
            names.join(", ")
        ));
        return Outcome::Invalid;
    };
    if args.out.exists() {
        error(&format!(
            "{}: already exists; not overwritten",
            args.out.display()
        ));
        return Outcome::Invalid;
    }
    match ron::save(&args.out, &model, ron::Overwrite::IfUnchanged(None)) {
        Ok(_) => {
            println!("wrote {}", args.out.display());
            Outcome::Ok
        }
        Err(e) => {
            error(&e.to_string());
            Outcome::Invalid
        }
    }
}
