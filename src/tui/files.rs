//! Where the TUI keeps its files: the config folder (keymap, user themes) and the data folder
//! (recovery files).

use std::path::{Path, PathBuf};

/// `$THREATLOOM_CONFIG_DIR`, else `$XDG_CONFIG_HOME/threatloom`, else `~/.config/threatloom`,
/// else the platform's config folder.
pub fn config_dir() -> Option<PathBuf> {
    folder("THREATLOOM_CONFIG_DIR", "XDG_CONFIG_HOME", ".config", |d| {
        d.config_dir().to_owned()
    })
}

/// `$THREATLOOM_DATA_DIR`, else `$XDG_DATA_HOME/threatloom`, else `~/.local/share/threatloom`,
/// else the platform's data folder.
pub fn data_dir() -> Option<PathBuf> {
    folder(
        "THREATLOOM_DATA_DIR",
        "XDG_DATA_HOME",
        ".local/share",
        |d| d.data_dir().to_owned(),
    )
}

fn folder(
    own: &str,
    xdg: &str,
    home_rel: &str,
    platform: impl Fn(&directories::ProjectDirs) -> PathBuf,
) -> Option<PathBuf> {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    env(own)
        .or_else(|| env(xdg).map(|d| d.join("threatloom")))
        .or_else(|| env("HOME").map(|h| h.join(home_rel).join("threatloom")))
        .or_else(|| directories::ProjectDirs::from("", "", "threatloom").map(|d| platform(&d)))
}

/// A file of the config folder, if it exists.
pub fn read_config(name: &str) -> Result<Option<(PathBuf, String)>, String> {
    let Some(dir) = config_dir() else {
        return Ok(None);
    };
    let path = dir.join(name);
    match std::fs::read_to_string(&path) {
        Ok(t) => Ok(Some((path, t))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// The recovery file of a model: one per model path (absolute), in the data folder.
pub fn recovery_path(model: Option<&Path>) -> Option<PathBuf> {
    let dir = data_dir()?.join("recovery");
    let key = match model {
        Some(p) => {
            let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_owned());
            let stem = p
                .file_stem()
                .map_or("model".into(), |s| s.to_string_lossy().into_owned());
            use std::hash::{DefaultHasher, Hash, Hasher};
            let mut h = DefaultHasher::new();
            abs.hash(&mut h);
            format!("{stem}-{:016x}.ron", h.finish())
        }
        None => "untitled.ron".into(),
    };
    Some(dir.join(key))
}
