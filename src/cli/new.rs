//! `threatloom new`: a starter model, empty or from a bundled example.

use super::Outcome;
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

pub fn run(args: &Args) -> Result<Outcome, String> {
    let model = if args.template == "empty" {
        let name = args.out.file_stem().map_or("Untitled model".into(), |s| {
            s.to_string_lossy().into_owned()
        });
        Model::new(&name)
    } else if let Some((_, text)) = TEMPLATES.iter().find(|(n, _)| *n == args.template) {
        ron::parse(text, std::path::Path::new(&args.template)).map_err(|e| e.to_string())?
    } else {
        let names: Vec<&str> = TEMPLATES.iter().map(|(n, _)| *n).collect();
        return Err(format!(
            "unknown template \"{}\"; choose empty, {}",
            args.template,
            names.join(", ")
        ));
    };
    ron::save(&args.out, &model, ron::Overwrite::IfUnchanged(None)).map_err(|e| e.to_string())?;
    say!("wrote {}", args.out.display());
    Ok(Outcome::Ok)
}
