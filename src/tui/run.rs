//! The event loop: terminal setup and restore, input, effects (saving, exporting, reloading),
//! recovery files a few seconds after each change, and noticing a file changed on disk.

use super::app::{App, Effect};
use super::keymap::{Keymap, parse_overrides};
use super::theme::Theme;
use super::{files, jobs, views};
use crate::format::ron::{self, Fingerprint, Overwrite};
use crate::model::Model;
use crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event, KeyEventKind};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

/// How long after the last edit the recovery file is written.
const RECOVERY_DELAY: Duration = Duration::from_secs(3);
/// How often the model file is checked for changes by others.
const DISK_CHECK: Duration = Duration::from_secs(2);

/// Builds the app for `path` (loading the model, theme, keymap and any recovery file); errors
/// are returned before the terminal is touched.
pub fn prepare(path: Option<PathBuf>, theme_name: Option<&str>) -> Result<App, String> {
    let overrides = match files::read_config("keymap.ron")? {
        Some((p, text)) => parse_overrides(&text).map_err(|e| format!("{}:{e}", p.display()))?,
        None => Default::default(),
    };
    let theme = load_theme(theme_name.unwrap_or("dark"))?;
    let (model, fingerprint) = match &path {
        Some(p) if p.exists() => {
            let loaded = ron::load(p).map_err(|e| e.to_string())?;
            (loaded.model, Some(loaded.fingerprint))
        }
        Some(p) => {
            let name = p.file_stem().map_or("Untitled model".into(), |s| {
                s.to_string_lossy().into_owned()
            });
            (Model::new(&name), None)
        }
        None => (Model::default(), None),
    };
    let mut app = App::new(model, path.clone(), theme, Keymap::new(&overrides));
    app.fingerprint = fingerprint;
    app.me = crate::system::user_name();
    if let Some(when) = recovery_newer_than_model(path.as_deref()) {
        app.offer_recovery(&when);
    } else if path.is_some() && !path.as_deref().is_some_and(Path::exists) {
        app.message = "new model: it is created on the first save (Ctrl-s)".into();
    }
    Ok(app)
}

/// A theme by name: a built-in one with the user's file from the config folder over it (or a
/// user theme of its own), without colour under `NO_COLOR`. Used at start and by `:theme`.
pub fn load_theme(name: &str) -> Result<Theme, String> {
    let user_theme = files::read_config(&format!("themes/{name}.ron"))?;
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    theme_with(name, user_theme, no_color)
}

/// `load_theme` once the user's file (path and text, if any) has been read.
pub fn theme_with(
    name: &str,
    user_theme: Option<(PathBuf, String)>,
    no_color: bool,
) -> Result<Theme, String> {
    let builtin = super::theme::BUILT_IN.iter().any(|(n, _)| *n == name);
    let theme = match (&user_theme, builtin) {
        (Some((p, text)), _) => {
            Theme::load(name, Some(text)).map_err(|e| format!("{}: {e}", p.display()))?
        }
        (None, true) => Theme::load(name, None)?,
        (None, false) => {
            return Err(format!(
                "no theme \"{name}\" (built in: dark, light, high-contrast, colour-blind)"
            ));
        }
    };
    Ok(if no_color { theme.monochrome() } else { theme })
}

fn modified(p: &Path) -> Option<SystemTime> {
    std::fs::metadata(p).and_then(|m| m.modified()).ok()
}

/// When the recovery file was written, if it is newer than the model file.
fn recovery_newer_than_model(path: Option<&Path>) -> Option<String> {
    let rec = files::recovery_path(path)?;
    let rec_time = modified(&rec)?;
    if path.and_then(modified).is_some_and(|m| m >= rec_time) {
        return None;
    }
    let ago = SystemTime::now()
        .duration_since(rec_time)
        .unwrap_or_default()
        .as_secs();
    Some(match ago {
        0..=59 => format!("{ago} s ago"),
        60..=3599 => format!("{} min ago", ago / 60),
        _ => format!("{} h ago", ago / 3600),
    })
}

fn write_recovery(app: &App) -> Result<(), String> {
    let Some(p) = files::recovery_path(app.path.as_deref()) else {
        return Ok(());
    };
    if let Some(dir) = p.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let text = ron::to_string(&app.model);
    ron::write_atomic(&p, false, |f| f.write_all(text.as_bytes()))
        .map_err(|e| format!("{}: {e}", p.display()))
}

fn discard_recovery(app: &App) {
    if let Some(p) = files::recovery_path(app.path.as_deref()) {
        let _ = std::fs::remove_file(p);
    }
}

fn on_disk(path: &Path) -> Option<Fingerprint> {
    std::fs::read(path).ok().map(|b| Fingerprint::of(&b))
}

/// Runs one effect; false when the app should stop.
fn perform(app: &mut App, effect: Effect) -> bool {
    match effect {
        Effect::Save { path, force } => {
            let overwrite = if force {
                Overwrite::Force
            } else {
                Overwrite::IfUnchanged(app.fingerprint)
            };
            let result = ron::save(&path, &app.model, overwrite);
            let ok = result.is_ok();
            app.saved(result);
            if ok {
                discard_recovery(app);
            }
        }
        Effect::Export { path, text } => {
            app.message = match ron::write_atomic(&path, false, |f| f.write_all(text.as_bytes())) {
                Ok(()) => format!("exported {}", path.display()),
                Err(e) => format!("not exported: {}: {e}", path.display()),
            };
        }
        Effect::MergeFromDisk => match app.path.clone().map(|p| ron::load(&p)) {
            Some(Ok(loaded)) => app.merge_from_disk(loaded.model, loaded.fingerprint),
            Some(Err(e)) => app.message = format!("cannot merge: {e}"),
            None => {}
        },
        Effect::Reload => match app.path.clone().map(|p| ron::load(&p)) {
            Some(Ok(loaded)) => {
                app.replace_model(loaded.model, Some(loaded.fingerprint), false);
                app.message = "reloaded from disk".into();
            }
            Some(Err(e)) => app.message = format!("cannot reload: {e}"),
            None => {}
        },
        Effect::Restore => {
            let restored = files::recovery_path(app.path.as_deref())
                .and_then(|p| std::fs::read_to_string(&p).ok().map(|t| (p, t)))
                .map(|(p, t)| ron::parse_unvalidated(&t, &p));
            match restored {
                Some(Ok(model)) => {
                    let fp = app.fingerprint;
                    app.replace_model(model, fp, true);
                    app.message = "restored the recovered changes (not saved yet)".into();
                }
                Some(Err(e)) => app.message = format!("recovery file unreadable: {e}"),
                None => app.message = "recovery file gone".into(),
            }
        }
        Effect::DiscardRecovery => discard_recovery(app),
        Effect::Theme(name) => match load_theme(&name) {
            Ok(t) => {
                app.theme = t;
                app.message = format!("theme {name}");
            }
            Err(e) => app.message = e,
        },
        Effect::Quit => return false,
    }
    true
}

/// Opens the TUI on `path` and runs until the user quits. The terminal is restored on every
/// way out, panics included (ratatui's hook, plus mouse capture released).
pub fn run(path: Option<PathBuf>, theme: Option<&str>) -> Result<(), String> {
    let mut app = prepare(path, theme)?;
    let mut terminal = ratatui::init();
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = crossterm::execute!(std::io::stdout(), DisableMouseCapture);
        hook(info);
    }));
    let _ = crossterm::execute!(std::io::stdout(), EnableMouseCapture);
    let result = event_loop(&mut terminal, &mut app);
    let _ = crossterm::execute!(std::io::stdout(), DisableMouseCapture);
    ratatui::restore();
    result
}

fn event_loop(terminal: &mut ratatui::DefaultTerminal, app: &mut App) -> Result<(), String> {
    let mut redraw = true;
    let mut last_draw = Instant::now();
    let mut last_edit = (app.generation, Instant::now());
    let mut recovered_generation = app.generation;
    // Whether this session wrote the recovery file that is there now.
    let mut recovery_written = false;
    let mut last_disk_check = Instant::now();
    // Heavy work runs on workers; their results come back on this channel.
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    loop {
        for job in app.jobs.drain(..) {
            let tx = done_tx.clone();
            std::thread::spawn(move || {
                let _ = tx.send(jobs::work(job));
            });
        }
        while let Ok(done) = done_rx.try_recv() {
            for effect in app.job_done(done) {
                perform(app, effect);
            }
            redraw = true;
        }
        // A worker's progress is shown in seconds: a frame a second while one runs.
        if app.tree.pending.is_some() && last_draw.elapsed() >= Duration::from_secs(1) {
            redraw = true;
        }
        if redraw {
            last_draw = Instant::now();
            let size = terminal.size().map_err(|e| e.to_string())?;
            let area = views::diagram_area(
                ratatui::layout::Rect::new(0, 0, size.width, size.height),
                app,
            );
            app.view_size = (area.width, area.height);
            terminal
                .draw(|f| views::render(f, app))
                .map_err(|e| e.to_string())?;
            redraw = false;
        }
        if event::poll(Duration::from_millis(250)).map_err(|e| e.to_string())? {
            let effects = match event::read().map_err(|e| e.to_string())? {
                Event::Key(k) if k.kind != KeyEventKind::Release => app.handle_key(k),
                Event::Mouse(m) => {
                    let size = terminal.size().map_err(|e| e.to_string())?;
                    let area = views::diagram_area(
                        ratatui::layout::Rect::new(0, 0, size.width, size.height),
                        app,
                    );
                    app.handle_mouse(m, (area.x, area.y));
                    Vec::new()
                }
                Event::Resize(..) => {
                    app.keep_in_view();
                    Vec::new()
                }
                _ => Vec::new(),
            };
            redraw = true;
            for e in effects {
                let saving = matches!(e, Effect::Save { .. });
                if !perform(app, e) {
                    return Ok(());
                }
                // A save that did not happen stops what was queued after it (a quit).
                if saving && app.dirty {
                    break;
                }
            }
        }
        // A recovery file a few seconds after the last change.
        if app.generation != last_edit.0 {
            last_edit = (app.generation, Instant::now());
        }
        if app.dirty
            && app.generation != recovered_generation
            && last_edit.1.elapsed() >= RECOVERY_DELAY
        {
            match write_recovery(app) {
                Ok(()) => recovery_written = true,
                Err(e) => {
                    app.message = format!("recovery file not written: {e}");
                    redraw = true;
                }
            }
            recovered_generation = app.generation;
        }
        // Undone back to the file: its recovery copy would only offer edits no longer wanted.
        if recovery_written && !app.dirty {
            discard_recovery(app);
            recovery_written = false;
        }
        if last_disk_check.elapsed() >= DISK_CHECK {
            last_disk_check = Instant::now();
            // An editor left open past midnight judges deadlines by the new day.
            let today = crate::system::today();
            if today != app.today {
                app.today = today;
                redraw = true;
            }
            if let Some(p) = app.path.clone()
                && app.fingerprint.is_some()
                && let Some(now) = on_disk(&p)
                && Some(now) != app.fingerprint
            {
                if app.dirty {
                    app.disk_changed();
                } else {
                    perform(app, Effect::Reload);
                    app.message = "the file changed on disk: reloaded".into();
                }
                redraw = true;
            }
        }
    }
}
