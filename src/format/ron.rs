//! Model files in RON: canonical pretty output, precise parse errors, validation with
//! locations, and atomic saves that keep the previous version and refuse to clobber.

use super::{Located, line_col};
use crate::model::{FORMAT_VERSION, Model, Problem, Site};
use serde::Deserialize;
use std::fs::{self, File};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("{0}")]
    Parse(Located),
    #[error("{}", display_all(.0))]
    Invalid(Vec<Located>),
}

fn display_all(problems: &[Located]) -> String {
    let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
    lines.join("\n")
}

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("{}: changed on disk since it was loaded; not overwritten", path.display())]
    ChangedOnDisk { path: PathBuf },
    /// A file to be created exists already.
    #[error("{}: already exists; not overwritten", path.display())]
    Exists { path: PathBuf },
}

/// What a file held when it was loaded, to tell whether someone changed it since.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint {
    len: usize,
    hash: u64,
}

impl Fingerprint {
    pub fn of(bytes: &[u8]) -> Self {
        let mut h = DefaultHasher::new();
        bytes.hash(&mut h);
        Fingerprint {
            len: bytes.len(),
            hash: h.finish(),
        }
    }
}

/// How a save treats a file that may have changed on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overwrite {
    /// Only if the file still holds what was loaded (`None`: the file did not exist).
    IfUnchanged(Option<Fingerprint>),
    /// Whatever the file holds now.
    Force,
}

/// A model read from disk, with what the file held.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub model: Model,
    pub fingerprint: Fingerprint,
}

/// The canonical text of a model: same model, same bytes.
pub fn to_string(model: &Model) -> String {
    let config = ::ron::ser::PrettyConfig::new()
        .struct_names(true)
        .depth_limit(4)
        .indentor("    ")
        .new_line("\n");
    let mut text = ::ron::ser::to_string_pretty(model, config)
        .unwrap_or_else(|e| unreachable!("a model always serializes to RON: {e}"));
    text.push('\n');
    text
}

/// Parses a model without validating it (for `fmt`, which only needs the syntax right).
pub fn parse_unvalidated(text: &str, path: &Path) -> Result<Model, LoadError> {
    #[derive(Deserialize)]
    #[serde(rename = "Model")]
    struct VersionProbe {
        format: u32,
    }
    if let Ok(probe) = ::ron::from_str::<VersionProbe>(text)
        && probe.format != FORMAT_VERSION
    {
        let at = locate(text, "format").unwrap_or((1, 1));
        return Err(LoadError::Parse(Located {
            path: path.to_owned(),
            line: at.0,
            col: at.1,
            message: format!(
                "format {} is not supported; this build reads format {FORMAT_VERSION}",
                probe.format
            ),
        }));
    }
    ::ron::from_str::<Model>(text).map_err(|e| {
        let mut message = e.code.to_string();
        // A JSON file handed over as a model is most likely another tool's model.
        if text.trim_start().starts_with('{') {
            message.push_str(
                "; this file is JSON, not a RON model (an OWASP Threat Dragon model or an Open \
                 Threat Model is read with `threatloom import FILE -o MODEL.ron`)",
            );
        }
        LoadError::Parse(Located {
            path: path.to_owned(),
            line: e.span.start.line,
            col: e.span.start.col,
            message,
        })
    })
}

/// Parses and validates a model; every validation problem is reported at once.
pub fn parse(text: &str, path: &Path) -> Result<Model, LoadError> {
    let model = parse_unvalidated(text, path)?;
    let problems = model.validate();
    if problems.is_empty() {
        Ok(model)
    } else {
        Err(LoadError::Invalid(
            problems
                .iter()
                .map(|p| locate_problem(text, path, p))
                .collect(),
        ))
    }
}

/// Reads, parses and validates a model file.
pub fn load(path: &Path) -> Result<Loaded, LoadError> {
    let bytes = fs::read(path).map_err(|source| LoadError::Io {
        path: path.to_owned(),
        source,
    })?;
    let text = decode(&bytes, path)?;
    Ok(Loaded {
        model: parse(text, path)?,
        fingerprint: Fingerprint::of(&bytes),
    })
}

/// The bytes as UTF-8, or an error that points at the first bad byte.
pub fn decode<'a>(bytes: &'a [u8], path: &Path) -> Result<&'a str, LoadError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let col = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
        LoadError::Parse(Located {
            path: path.to_owned(),
            line,
            col,
            message: "expected UTF-8 text, found an invalid byte (is this a model file?)".into(),
        })
    })
}

/// Saves atomically and keeps the previous file as `NAME.bak`; returns the new fingerprint.
pub fn save(path: &Path, model: &Model, overwrite: Overwrite) -> Result<Fingerprint, SaveError> {
    let text = to_string(model);
    if let Overwrite::IfUnchanged(expected) = overwrite {
        let now = match fs::read(path) {
            Ok(bytes) => Some(Fingerprint::of(&bytes)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(source) => {
                return Err(SaveError::Io {
                    path: path.to_owned(),
                    source,
                });
            }
        };
        let path = path.to_owned();
        match (now, expected) {
            (Some(_), None) => return Err(SaveError::Exists { path }),
            (Some(now), Some(expected)) if now != expected => {
                return Err(SaveError::ChangedOnDisk { path });
            }
            _ => {}
        }
    }
    write_atomic(path, true, |f| f.write_all(text.as_bytes())).map_err(|source| SaveError::Io {
        path: path.to_owned(),
        source,
    })?;
    Ok(Fingerprint::of(text.as_bytes()))
}

/// The path of the previous version kept by a save.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".bak");
    path.with_file_name(name)
}

/// Writes through a temp file in the same folder, fsyncs and renames over `path`, so a reader
/// sees the old file or the new one, never a half-written one. On any error the old file is
/// untouched and the temp file removed. A symbolic link stays one: its target is replaced.
/// A path that exists and is not a file (`/dev/null`, a named pipe) is written to in place:
/// renaming over it would replace the device or pipe with a file.
pub fn write_atomic(
    path: &Path,
    keep_backup: bool,
    write: impl FnOnce(&mut File) -> io::Result<()>,
) -> io::Result<()> {
    let path = &match fs::metadata(path) {
        Ok(m) if !m.is_file() && !m.is_dir() => {
            return write(&mut fs::OpenOptions::new().write(true).open(path)?);
        }
        Ok(_) => fs::canonicalize(path)?,
        Err(_) => path.to_owned(),
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = dir.join(format!(".{name}.tmp{}", std::process::id()));
    let result = (|| {
        let mut file = File::create(&tmp)?;
        write(&mut file)?;
        file.sync_all()?;
        if keep_backup && path.exists() {
            let bak = backup_path(path);
            let bak_tmp = dir.join(format!(".{name}.bak.tmp{}", std::process::id()));
            fs::copy(path, &bak_tmp)?;
            File::open(&bak_tmp)?.sync_all()?;
            fs::rename(&bak_tmp, bak)?;
        }
        fs::rename(&tmp, path)?;
        // The rename is durable only once the folder itself is synced.
        File::open(&dir)?.sync_all()
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Where a problem is: the `id: "…"` that defines its element, or its top-level field.
fn locate_problem(text: &str, path: &Path, p: &Problem) -> Located {
    let at = match &p.site {
        Site::Element { id, nth } => locate_id(text, id.as_str(), *nth),
        Site::Field(key) => locate(text, key),
    };
    let (line, col) = at.unwrap_or((1, 1));
    Located {
        path: path.to_owned(),
        line,
        col,
        message: p.message.clone(),
    }
}

/// The `nth` definition `id: "…"` of an id (not `parent: "…"` or other references).
fn locate_id(text: &str, id: &str, nth: usize) -> Option<(usize, usize)> {
    let quoted = format!("\"{id}\"");
    text.match_indices(&quoted)
        .filter(|(i, _)| {
            let before = text[..*i].trim_end();
            before
                .strip_suffix("id:")
                .is_some_and(|rest| !rest.ends_with(|c: char| c.is_alphanumeric() || c == '_'))
        })
        .nth(nth)
        .map(|(i, _)| line_col(text, i))
}

/// The first `key:` field in the text.
fn locate(text: &str, key: &str) -> Option<(usize, usize)> {
    text.find(&format!("{key}:")).map(|i| line_col(text, i))
}
