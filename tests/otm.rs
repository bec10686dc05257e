//! Open Threat Model (OTM) export and import: our models survive the round trip whole, the
//! export holds what OTM requires, and another tool's OTM is read with what it leaves open
//! said.

mod common;
use common::{bundled_models, code, root, stderr, stdout, threatloom};
use serde_json::Value;
use std::collections::HashSet;
use threatloom::format::{otm, ron};
use threatloom::model::{
    Classification, ComponentKind, Likelihood, MitigationStatus, Model, Stride, ThreatStatus,
};

fn fixture() -> std::path::PathBuf {
    root().join("tests/fixtures/otm/clinic.otm")
}

fn clinic() -> otm::Imported {
    let path = fixture();
    let text = std::fs::read_to_string(&path).expect("fixture");
    otm::import(&path, &text).expect("imports")
}

#[test]
fn every_bundled_model_comes_back_byte_for_byte() {
    for path in bundled_models() {
        let model = ron::load(&path).expect("bundled").model;
        let text = otm::export(&model);
        let back = otm::import(&path, &text).expect("imports");
        assert_eq!(
            ron::to_string(&back.model),
            ron::to_string(&model),
            "{}",
            path.display()
        );
        assert!(back.notes.is_empty(), "{:?}", back.notes);
    }
}

fn strings<'v>(v: &'v Value, key: &str) -> HashSet<&'v str> {
    v[key]
        .as_array()
        .expect("a list")
        .iter()
        .map(|e| e["id"].as_str().expect("an id"))
        .collect()
}

#[test]
fn the_export_holds_what_otm_requires() {
    let model = common::tui::bundled("serverless-webapp.ron");
    let doc: Value = serde_json::from_str(&otm::export(&model)).expect("JSON");
    assert_eq!(doc["otmVersion"], otm::VERSION);
    assert!(doc["project"]["name"].is_string() && doc["project"]["id"].is_string());
    let zones = strings(&doc, "trustZones");
    let components = strings(&doc, "components");
    let threats = strings(&doc, "threats");
    let mitigations = strings(&doc, "mitigations");
    for z in doc["trustZones"].as_array().expect("zones") {
        assert!(
            z["name"].is_string() && z["risk"]["trustRating"].is_number(),
            "{z}"
        );
    }
    for c in doc["components"].as_array().expect("components") {
        assert!(c["name"].is_string() && c["type"].is_string(), "{c}");
        // Every component has a parent zone, which exists; so does every threat it lists.
        let zone = c["parent"]["trustZone"].as_str().expect("a parent zone");
        assert!(zones.contains(zone), "{zone}");
        for t in c["threats"].as_array().expect("threats") {
            assert!(threats.contains(t["threat"].as_str().expect("threat")));
            assert!(t["state"].is_string());
            for m in t["mitigations"].as_array().expect("mitigations") {
                assert!(mitigations.contains(m["mitigation"].as_str().expect("id")));
            }
        }
    }
    for f in doc["dataflows"].as_array().expect("flows") {
        for end in ["source", "destination"] {
            assert!(components.contains(f[end].as_str().expect("an end")), "{f}");
        }
    }
    for t in doc["threats"].as_array().expect("threats") {
        let risk = &t["risk"];
        assert!(
            risk["likelihood"].is_number() && risk["impact"].is_number(),
            "{t}"
        );
    }
    for m in doc["mitigations"].as_array().expect("mitigations") {
        let r = m["riskReduction"].as_f64().expect("a number");
        assert!((0.0..=100.0).contains(&r));
    }
    // Outside every boundary is a zone of its own: OTM requires a parent.
    let outside = model
        .components
        .iter()
        .filter(|c| model.boundary_of(&c.id).is_none())
        .count();
    assert_eq!(
        zones.len(),
        model.boundaries.len() + usize::from(outside > 0)
    );
}

#[test]
fn another_tools_otm_is_read_with_what_it_leaves_open_said() {
    let imported = clinic();
    let m = &imported.model;
    assert!(m.validate().is_empty(), "{:?}", m.validate());
    assert_eq!(m.name, "Clinic appointments");
    let kind = |id: &str| m.component(id).expect(id).kind;
    assert_eq!(kind("patient"), ComponentKind::ExternalEntity);
    assert_eq!(kind("booking-api"), ComponentKind::Process);
    assert_eq!(kind("records-db"), ComponentKind::DataStore);
    // Zones nest, and hold their components; a component inside another sits beside it.
    let subnet = m
        .boundaries
        .iter()
        .find(|b| b.name == "Private subnet")
        .expect("subnet");
    let cloud = m
        .boundaries
        .iter()
        .find(|b| b.name == "Clinic cloud")
        .expect("cloud");
    assert_eq!(subnet.parent.as_ref(), Some(&cloud.id));
    assert_eq!(m.boundary_of("records-db").map(|b| &b.id), Some(&subnet.id));
    assert_eq!(
        m.boundary_of("rate-limiter").map(|b| &b.id),
        Some(&cloud.id)
    );
    // Flows between components; the one to a zone is not one.
    let flows: Vec<&str> = m.flows.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(flows, ["book", "store"]);
    assert_eq!(m.flow("book").expect("book").protocol, "HTTPS");
    assert!(m.flow("book").expect("book").bidirectional);
    // Threats: where they apply, their state, their mitigations and rating.
    let flooding = m
        .threats
        .iter()
        .find(|t| t.title == "Appointment flooding")
        .expect("threat");
    let targets: Vec<&str> = flooding.targets.iter().map(|t| t.as_str()).collect();
    assert_eq!(targets, ["booking-api", "book"]);
    assert_eq!(flooding.likelihood, Likelihood::Probable);
    assert_eq!(flooding.stride, [Stride::DenialOfService, Stride::Spoofing]);
    assert_eq!(flooding.status, ThreatStatus::Open);
    let stolen = m
        .threats
        .iter()
        .find(|t| t.title.starts_with("Records read"))
        .expect("threat");
    assert_eq!(stolen.status, ThreatStatus::Mitigated);
    assert_eq!(stolen.likelihood, Likelihood::Possible);
    let vault = m.mitigation(stolen.mitigations[0].as_str()).expect("vault");
    assert_eq!(vault.status, MitigationStatus::Implemented);
    let captcha = m
        .mitigation(flooding.mitigations[0].as_str())
        .expect("captcha");
    assert_eq!(captcha.status, MitigationStatus::Planned);
    assert_eq!(m.assets[0].classification, Classification::Secret);
    assert_eq!(m.assets[0].stored_in, ["records-db".into()]);
    // Laid out anew: no two boxes on the same spot.
    let spots: HashSet<_> = m
        .components
        .iter()
        .map(|c| (c.position.x, c.position.y))
        .collect();
    assert_eq!(spots.len(), m.components.len());
    // What was left open, each said once.
    let notes = imported.notes.join("\n");
    for said in [
        "trust ratings are not kept",
        "data flow \"Metrics\": an end is not a component",
        "\"Records read by a stolen key\" has no likelihood: rated Possible",
        "\"Rate limiter\" is inside component booking-api",
        "\"rds\" read as a data store",
        "\"generic-client\" read as an external entity",
        "\"web-service\", \"api-gateway-plugin\" read as a process",
    ] {
        assert!(notes.contains(said), "{said} missing from:\n{notes}");
    }
    assert_eq!(imported.notes.len(), 7, "{notes}");
}

#[test]
fn an_imported_model_exports_to_otm_with_the_ids_it_came_with() {
    let m: Model = clinic().model;
    let doc: Value = serde_json::from_str(&otm::export(&m)).expect("JSON");
    let zones = strings(&doc, "trustZones");
    assert!(zones.contains("b1c2d3e4-0000-4000-8000-000000000003"));
    assert!(strings(&doc, "threats").contains("c0ffee00-0000-4000-8000-00000000000a"));
}

#[test]
fn the_command_line_imports_and_exports_otm() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("clinic.ron");
    let o = out.to_str().expect("utf-8");
    let f = fixture();
    let run = threatloom(&["import", f.to_str().expect("utf-8"), "-o", o]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    assert!(stdout(&run).contains("4 components, 3 boundaries, 2 flows, 2 threats"));
    assert_eq!(stderr(&run).lines().count(), 7, "{}", stderr(&run));
    assert!(
        stderr(&run)
            .lines()
            .all(|l| l.contains("clinic.otm: note: "))
    );
    let export = threatloom(&["export", o, "--to", "otm"]);
    assert_eq!(code(&export), 0, "{}", stderr(&export));
    let doc: Value = serde_json::from_slice(&export.stdout).expect("JSON");
    assert_eq!(doc["project"]["name"], "Clinic appointments");

    // Broken JSON is refused with its position; JSON that is neither format says so.
    let bad = dir.path().join("bad.otm");
    std::fs::write(&bad, "{\n  \"otmVersion\": \"0.2.0\",\n  oops\n}").expect("write");
    let run = threatloom(&["import", bad.to_str().expect("utf-8"), "-o", o]);
    assert_eq!(code(&run), 2);
    assert!(stderr(&run).contains("bad.otm:3:"), "{}", stderr(&run));
    std::fs::write(&bad, "# exported\nproject:\n  name: x\notmVersion: 0.2.0\n").expect("write");
    let run = threatloom(&["import", bad.to_str().expect("utf-8"), "-o", o]);
    assert_eq!(code(&run), 2);
    assert!(
        stderr(&run).contains("bad.otm:1:1: an OTM document in YAML"),
        "{}",
        stderr(&run)
    );
    // Entries that are not objects describe nothing, and are said to be ignored.
    std::fs::write(&bad, "{\"otmVersion\": \"0.2.0\", \"trustZones\": [1, {\"id\": \"z\", \"name\": \"Z\"}], \"threats\": [null]}").expect("write");
    std::fs::remove_file(&out).expect("the earlier import's output");
    let run = threatloom(&["import", bad.to_str().expect("utf-8"), "-o", o]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    assert!(
        stdout(&run).contains("0 components, 1 boundary, 0 flows, 0 threats"),
        "{}",
        stdout(&run)
    );
    assert!(
        stderr(&run).contains("1 of trustZones ignored: not objects"),
        "{}",
        stderr(&run)
    );
    assert!(
        stderr(&run).contains("1 of threats ignored: not objects"),
        "{}",
        stderr(&run)
    );
    std::fs::write(&bad, "{\"project\": {}}").expect("write");
    let run = threatloom(&["import", bad.to_str().expect("utf-8"), "-o", o]);
    assert_eq!(code(&run), 2);
    assert!(
        stderr(&run).contains("not an OTM document"),
        "{}",
        stderr(&run)
    );
}
