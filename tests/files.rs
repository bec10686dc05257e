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
