//! File formats: the RON model files, Open-PSA MEF, and the exports.

pub mod changes;
pub mod csv;
pub mod dot;
pub mod dot_tree;
pub mod json;
pub mod markdown;
pub mod mef;
pub mod otm;
pub mod ron;
pub mod svg;
pub mod text;
pub mod threat_dragon;

use std::fmt;
use std::path::{Path, PathBuf};

/// A problem with a position in a file, shown as `file:line:col: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub path: PathBuf,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl Located {
    pub fn new(path: &Path, line: usize, col: usize, message: impl Into<String>) -> Self {
        Located {
            path: path.to_owned(),
            line,
            col,
            message: message.into(),
        }
    }
}

/// JSON text parsed, or where in `path` it stops being JSON.
pub fn json(path: &Path, text: &str) -> Result<serde_json::Value, Located> {
    serde_json::from_str(text).map_err(|e| Located::new(path, e.line(), e.column(), e.to_string()))
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path.display(),
            self.line,
            self.col,
            self.message
        )
    }
}

/// Line and column (both from 1, columns in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}
