//! `threatloom fmt`: canonical form, like `cargo fmt`. Formatting changes no meaning, so the
//! rewrite is atomic but keeps no `.bak`.

use super::{Outcome, error};
use std::io::Write;
use std::path::PathBuf;
use threatloom::format::ron;

#[derive(clap::Args)]
pub struct Args {
    /// Model files
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Change nothing; exit 1 if a file is not in canonical form
    #[arg(long)]
    check: bool,
}

pub fn run(args: &Args) -> Outcome {
    let mut invalid = false;
    let mut differs = false;
    for path in &args.files {
        let canonical = match super::read_text(path).and_then(|text| {
            let model = ron::parse_unvalidated(&text, path).map_err(|e| e.to_string())?;
            let canonical = ron::to_string(&model);
            Ok((text == canonical, canonical))
        }) {
            Ok(c) => c,
            Err(e) => {
                error(&e);
                invalid = true;
                continue;
            }
        };
        match canonical {
            (true, _) => {}
            (false, _) if args.check => {
                say!("{}: not in canonical form", path.display());
                differs = true;
            }
            (false, text) => {
                if let Err(e) = ron::write_atomic(path, false, |f| f.write_all(text.as_bytes())) {
                    error(&format!("{}: {e}", path.display()));
                    invalid = true;
                } else {
                    say!("formatted {}", path.display());
                }
            }
        }
    }
    if invalid {
        Outcome::Invalid
    } else if differs {
        Outcome::CheckFailed
    } else {
        Outcome::Ok
    }
}
