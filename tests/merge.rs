//! Three-way merge of model versions (`threatloom merge`): the domain's rules, and git using
//! it as a merge driver where its line merge fails.

mod common;
use common::{bundled_models, code, stderr, tui::bundled};
use std::path::Path;
use std::process::Command;
use threatloom::format::ron;
use threatloom::model::merge::{Conflict, merge};
use threatloom::model::{Component, ComponentKind, Flow, Likelihood, Model};

fn webapp() -> Model {
    bundled("serverless-webapp.ron")
}

fn clean(base: &Model, ours: &Model, theirs: &Model) -> Model {
    let (merged, conflicts) = merge(Some(base), ours, theirs).expect("merges");
    assert!(conflicts.is_empty(), "{conflicts:#?}");
    merged
}

fn component(id: &str, kind: ComponentKind) -> Component {
    Component::new(id, id, kind)
}

#[test]
fn a_version_merged_with_itself_is_itself() {
    for path in bundled_models() {
        let m = ron::load(&path).expect("bundled").model;
        assert_eq!(clean(&m, &m, &m), m, "{}", path.display());
        // Without a common ancestor too.
        assert_eq!(merge(None, &m, &m).expect("merges").0, m);
    }
}

#[test]
fn edits_to_different_elements_and_fields_all_land() {
    let base = webapp();
    let mut ours = base.clone();
    ours.components
        .push(component("fraud-check", ComponentKind::Process));
    ours.threats[0].likelihood = Likelihood::Rare;
    let mut theirs = base.clone();
    theirs
        .components
        .push(component("audit-export", ComponentKind::DataStore));
    theirs.flows[0].encrypted = !base.flows[0].encrypted;
    theirs.threats[0].title = "Renamed by theirs".into();

    let merged = clean(&base, &ours, &theirs);
    assert!(merged.component("fraud-check").is_some());
    assert!(merged.component("audit-export").is_some());
    assert_eq!(merged.components.len(), base.components.len() + 2);
    assert_eq!(merged.threats[0].likelihood, Likelihood::Rare);
    assert_eq!(merged.threats[0].title, "Renamed by theirs");
    assert_eq!(merged.flows[0].encrypted, !base.flows[0].encrypted);
    assert!(merged.validate().is_empty());
    // The same from the other side, up to where each side's new elements sit.
    let other = clean(&base, &theirs, &ours);
    let ids = |m: &Model| {
        let mut v: Vec<String> = m.components.iter().map(|c| c.id.to_string()).collect();
        v.sort();
        v
    };
    assert_eq!(ids(&other), ids(&merged));
}

#[test]
fn a_review_of_a_flow_the_other_side_changed_is_withdrawn() {
    let mut base = webapp();
    let i = base
        .flows
        .iter()
        .position(|f| base.crosses_boundary(f) && !f.reviewed())
        .expect("a crossing flow not yet reviewed");
    base.flows[i].encrypted = true;
    // Ours walks the flow while theirs switches its encryption off: what ours reviewed is
    // not what the merge holds.
    let mut ours = base.clone();
    ours.flows[i].reviewed_on = "2026-11-24".into();
    let mut theirs = base.clone();
    theirs.flows[i].encrypted = false;
    let merged = clean(&base, &ours, &theirs);
    assert!(!merged.flows[i].encrypted);
    assert_eq!(merged.flows[i].reviewed_on, "");
    // A new label on theirs changes nothing reviewed: the review stands.
    let mut theirs = base.clone();
    theirs.flows[i].label = "Renamed".into();
    let merged = clean(&base, &ours, &theirs);
    assert_eq!(merged.flows[i].reviewed_on, "2026-11-24");
    assert_eq!(merged.flows[i].label, "Renamed");
    // A side that has the review with the change keeps it, as a merge with nothing to merge
    // keeps either side whole.
    let mut both = ours.clone();
    both.flows[i].encrypted = false;
    assert_eq!(clean(&base, &base, &both), both);
    assert_eq!(clean(&base, &both, &base), both);
}

#[test]
fn the_same_field_changed_both_ways_keeps_ours_and_says_so() {
    let base = webapp();
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    ours.threats[1].likelihood = Likelihood::Rare;
    theirs.threats[1].likelihood = Likelihood::Certain;
    let (merged, conflicts) = merge(Some(&base), &ours, &theirs).expect("merges");
    assert_eq!(
        conflicts,
        [Conflict {
            path: format!("threats[{}].likelihood", base.threats[1].id),
            base: format!("{:?}", base.threats[1].likelihood),
            ours: "Rare".into(),
            theirs: "Certain".into(),
            kept: "ours",
        }]
    );
    assert_eq!(merged.threats[1].likelihood, Likelihood::Rare);
    // The same change on both sides is no conflict.
    theirs.threats[1].likelihood = Likelihood::Rare;
    assert_eq!(clean(&base, &ours, &theirs), ours);
}

#[test]
fn lists_of_ids_merge_as_sets() {
    let base = webapp();
    let b = base
        .boundaries
        .iter()
        .position(|b| b.members.len() >= 2)
        .expect("a boundary with members");
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    ours.components
        .push(component("fraud-check", ComponentKind::Process));
    ours.boundaries[b].members.push("fraud-check".into());
    let gone = theirs.boundaries[b].members.remove(0);
    theirs
        .components
        .push(component("audit-export", ComponentKind::DataStore));
    theirs.boundaries[b].members.push("audit-export".into());
    let merged = clean(&base, &ours, &theirs);
    let members = &merged.boundaries[b].members;
    assert!(members.iter().any(|m| m.as_str() == "fraud-check"));
    assert!(members.iter().any(|m| m.as_str() == "audit-export"));
    assert!(!members.contains(&gone));
    assert_eq!(members.len(), base.boundaries[b].members.len() + 1);
    assert!(merged.validate().is_empty());
}

#[test]
fn an_element_deleted_on_one_side_and_edited_on_the_other_is_kept() {
    let base = webapp();
    let id = base.threats[2].id.clone();
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    ours.threats.retain(|t| t.id != id);
    theirs.threats[2].title = "Still relevant".into();
    let (merged, conflicts) = merge(Some(&base), &ours, &theirs).expect("merges");
    assert_eq!(conflicts.len(), 1, "{conflicts:#?}");
    assert_eq!(conflicts[0].path, format!("threats[{id}]"));
    assert_eq!(
        (conflicts[0].ours.as_str(), conflicts[0].theirs.as_str()),
        ("deleted", "edited")
    );
    assert_eq!(
        merged.threat(id.as_str()).expect("kept").title,
        "Still relevant"
    );
    // Deleted on one side and untouched on the other: deleted, whichever side.
    assert!(clean(&base, &ours, &base).threat(id.as_str()).is_none());
    assert!(clean(&base, &base, &ours).threat(id.as_str()).is_none());
    // Edited by ours, deleted by theirs: ours is kept.
    let (merged, conflicts) = merge(Some(&base), &theirs, &ours).expect("merges");
    assert_eq!(conflicts.len(), 1);
    assert_eq!(
        merged.threat(id.as_str()).expect("kept").title,
        "Still relevant"
    );
}

#[test]
fn a_merge_can_break_a_reference_which_validation_then_names() {
    let base = webapp();
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    // Ours deletes a component nothing refers to; theirs draws a flow to it.
    ours.components
        .push(component("spare", ComponentKind::Process));
    theirs
        .components
        .push(component("spare", ComponentKind::Process));
    let base2 = ours.clone();
    ours.components.retain(|c| c.id.as_str() != "spare");
    theirs.flows.push(Flow::new(
        "f-spare",
        "spare",
        base.components[0].id.clone(),
        "x",
    ));
    let merged = clean(&base2, &ours, &theirs);
    let problems: Vec<String> = merged.validate().iter().map(ToString::to_string).collect();
    assert!(
        problems.iter().any(|p| p.contains("spare")),
        "{problems:#?}"
    );
}

fn git(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new("git")
        .args(["-c", "user.email=t@example.com", "-c", "user.name=t"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs")
}

/// Adds a component at the end of the list, where both branches add theirs: git's line merge
/// conflicts there.
fn add_component(dir: &Path, id: &str) {
    let path = dir.join("model.ron");
    let mut m = ron::load(&path).expect("model").model;
    m.components.push(component(id, ComponentKind::Process));
    std::fs::write(&path, ron::to_string(&m)).expect("write");
    assert_eq!(code(&git(dir, &["commit", "-qam", id])), 0);
}

#[test]
fn git_merges_two_branches_through_the_driver_where_its_line_merge_conflicts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    assert_eq!(code(&git(d, &["init", "-q", "-b", "main"])), 0);
    std::fs::write(d.join("model.ron"), ron::to_string(&webapp())).expect("write");
    assert_eq!(code(&git(d, &["add", "."])), 0);
    assert_eq!(code(&git(d, &["commit", "-qm", "base"])), 0);
    git(d, &["checkout", "-qb", "alice"]);
    add_component(d, "fraud-check");
    git(d, &["checkout", "-q", "main"]);
    git(d, &["checkout", "-qb", "bob"]);
    add_component(d, "audit-export");
    git(d, &["checkout", "-q", "alice"]);

    // Line by line, the two additions collide.
    assert_ne!(code(&git(d, &["merge", "-q", "bob"])), 0);
    git(d, &["merge", "--abort"]);

    std::fs::write(d.join(".gitattributes"), "*.ron merge=threatloom\n").expect("write");
    let driver = format!(
        "{} merge %O %A %B --name %P",
        env!("CARGO_BIN_EXE_threatloom")
    );
    git(d, &["config", "merge.threatloom.driver", &driver]);
    let out = git(d, &["merge", "-q", "bob"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("model.ron: merged cleanly"),
        "{}",
        stderr(&out)
    );
    let merged = ron::load(&d.join("model.ron"))
        .expect("a valid model")
        .model;
    assert!(merged.component("fraud-check").is_some());
    assert!(merged.component("audit-export").is_some());
    // No backup or temp file left in the work tree.
    let status = String::from_utf8(git(d, &["status", "--porcelain"]).stdout).expect("utf-8");
    assert_eq!(status.trim(), "?? .gitattributes");
}

#[test]
fn a_conflict_exits_1_names_the_field_and_writes_a_valid_model() {
    let dir = tempfile::tempdir().expect("temp dir");
    let base = webapp();
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    ours.threats[1].likelihood = Likelihood::Rare;
    theirs.threats[1].likelihood = Likelihood::Certain;
    let write = |name: &str, m: &Model| {
        let p = dir.path().join(name);
        std::fs::write(&p, ron::to_string(m)).expect("write");
        p.to_string_lossy().into_owned()
    };
    let (b, o, t) = (
        write("b.ron", &base),
        write("o.ron", &ours),
        write("t.ron", &theirs),
    );
    let out = common::threatloom(&["merge", &b, &o, &t]);
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "conflict: threats[{}].likelihood: base",
            base.threats[1].id
        )),
        "{err}"
    );
    assert_eq!(ron::load(Path::new(&o)).expect("valid").model, ours);
    // A file that is not a model is refused, and nothing is written.
    std::fs::write(&t, "Model(oops").expect("write");
    let out = common::threatloom(&["merge", &b, &o, &t]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("t.ron:1:"), "{}", stderr(&out));
}

#[test]
fn an_empty_base_means_both_sides_added_the_model() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut ours, mut theirs) = (webapp(), webapp());
    ours.components
        .push(component("fraud-check", ComponentKind::Process));
    theirs.name = "Renamed by theirs".into();
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).expect("write");
        p.to_string_lossy().into_owned()
    };
    let (b, o, t) = (
        write("b.ron", ""),
        write("o.ron", &ron::to_string(&ours)),
        write("t.ron", &ron::to_string(&theirs)),
    );
    let out = common::threatloom(&["merge", &b, &o, &t]);
    // With nothing in common, a field the two wrote differently is a conflict; an element
    // only one of them has is simply added.
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("conflict: name: base —"), "{err}");
    assert_eq!(err.matches("conflict:").count(), 1, "{err}");
    let merged = ron::load(Path::new(&o)).expect("valid").model;
    assert_eq!(merged.name, ours.name);
    assert!(merged.component("fraud-check").is_some());
}
