//! Model files: stable round trips, atomic saves with a backup, no silent clobbering.

mod common;
use std::fs;
use std::io::Write;
use threatloom::format::ron::{self, Overwrite, SaveError};

#[test]
fn load_save_load_is_equal_and_byte_identical() {
    for path in common::bundled_models() {
        let original = fs::read_to_string(&path).expect("read");
        let loaded = ron::load(&path).expect("bundled model loads");
        let dir = tempfile::tempdir().expect("tempdir");
        let copy = dir.path().join("copy.ron");
        ron::save(&copy, &loaded.model, Overwrite::IfUnchanged(None)).expect("save");
        let saved = fs::read_to_string(&copy).expect("read copy");
        assert_eq!(saved, original, "{} is canonical", path.display());
        let reloaded = ron::load(&copy).expect("reload");
        assert_eq!(reloaded.model, loaded.model);
    }
}

#[test]
fn save_keeps_the_previous_version_as_bak() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("m.ron");
    let mut model = threatloom::model::Model::new("first");
    let fp = ron::save(&path, &model, Overwrite::IfUnchanged(None)).expect("first save");
    let first = fs::read(&path).expect("read");
    model.name = "second".into();
    ron::save(&path, &model, Overwrite::IfUnchanged(Some(fp))).expect("second save");
    assert_eq!(
        fs::read(ron::backup_path(&path)).expect("bak exists"),
        first
    );
    assert_eq!(ron::load(&path).expect("load").model.name, "second");
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temp files left: {leftovers:?}");
}

#[cfg(unix)]
#[test]
fn a_link_stays_a_link_and_a_pipe_a_pipe() {
    use std::io::Read;
    use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
    let dir = tempfile::tempdir().expect("tempdir");
    // A model kept elsewhere and linked to: the save replaces the file it points at.
    let real = dir.path().join("real.ron");
    let link = dir.path().join("link.ron");
    fs::write(&real, "old").expect("write");
    std::os::unix::fs::symlink(&real, &link).expect("symlink");
    ron::write_atomic(&link, true, |f| f.write_all(b"new")).expect("saved");
    assert!(fs::symlink_metadata(&link).expect("link").is_symlink());
    assert_eq!(fs::read_to_string(&real).expect("read"), "new");
    assert_eq!(
        fs::read_to_string(dir.path().join("real.ron.bak")).expect("bak"),
        "old"
    );
    // An export to a named pipe (as to /dev/stdout or /dev/null) goes through it. The reader
    // opens without waiting for a writer, so that a broken save fails instead of hanging.
    let pipe = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo").arg(&pipe).status();
    assert!(made.expect("mkfifo runs").success());
    let mut reader = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(&pipe)
        .expect("open the pipe's end");
    ron::write_atomic(&pipe, false, |f| f.write_all(b"digraph {}")).expect("written");
    assert!(fs::metadata(&pipe).expect("pipe").file_type().is_fifo());
    let mut got = String::new();
    reader.read_to_string(&mut got).expect("read");
    assert_eq!(got, "digraph {}");
}

#[test]
fn a_failed_write_leaves_the_old_file_intact() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("m.ron");
    fs::write(&path, "old contents").expect("write");
    let result = ron::write_atomic(&path, true, |f| {
        f.write_all(b"half of the new")?;
        Err(std::io::Error::other("disk full"))
    });
    assert_eq!(
        result.expect_err("the write failed").to_string(),
        "disk full"
    );
    assert_eq!(fs::read_to_string(&path).expect("read"), "old contents");
    let names: Vec<String> = fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["m.ron"], "no temp file or backup left behind");
}

#[test]
fn a_file_changed_on_disk_is_not_overwritten_unless_forced() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("m.ron");
    let model = threatloom::model::Model::new("mine");
    let fp = ron::save(&path, &model, Overwrite::IfUnchanged(None)).expect("save");
    let loaded = ron::load(&path).expect("load");
    assert_eq!(loaded.fingerprint, fp);

    // Someone else edits the file.
    let theirs = ron::to_string(&threatloom::model::Model::new("theirs"));
    fs::write(&path, &theirs).expect("their write");

    let err = ron::save(&path, &model, Overwrite::IfUnchanged(Some(fp))).expect_err("refused");
    assert!(matches!(err, SaveError::ChangedOnDisk { .. }), "{err}");
    assert!(
        err.to_string()
            .ends_with("changed on disk since it was loaded; not overwritten")
    );
    assert_eq!(fs::read_to_string(&path).expect("read"), theirs);

    // A file that appeared since we started a new model is not clobbered either.
    let err = ron::save(&path, &model, Overwrite::IfUnchanged(None)).expect_err("refused");
    assert!(matches!(err, SaveError::Exists { .. }), "{err}");
    assert!(err.to_string().ends_with("already exists; not overwritten"));

    ron::save(&path, &model, Overwrite::Force).expect("forced save");
    assert_eq!(ron::load(&path).expect("load").model.name, "mine");
    assert_eq!(
        fs::read_to_string(ron::backup_path(&path)).expect("bak"),
        theirs
    );
}

#[test]
fn hostile_strings_survive_a_round_trip() {
    let mut model = threatloom::model::Model::new("q\"uote \\ back\nnew <>& \u{1b}[31m");
    model.description = "tab\t, unicode ✓, nul-free".into();
    let text = ron::to_string(&model);
    let back = ron::parse(&text, std::path::Path::new("mem.ron")).expect("parses");
    assert_eq!(back, model);
    assert!(
        !text.contains('\u{1b}'),
        "control bytes are escaped in the file"
    );
}
