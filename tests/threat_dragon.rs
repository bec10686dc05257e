//! Importing OWASP Threat Dragon models through the CLI.

mod common;
use common::{code, stderr, stdout, threatloom};
use threatloom::format::ron;
use threatloom::model::{
    ComponentKind, Likelihood, MitigationStatus, RiskLevel, Stride, ThreatStatus,
};

const SHOP: &str = "tests/fixtures/threat-dragon/shop.json";

#[test]
fn a_threat_dragon_model_imports_with_its_elements_boundaries_flows_and_threats() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out_path = dir.path().join("shop.ron");
    let out = out_path.to_str().expect("utf-8");
    let run = threatloom(&["import", SHOP, "-o", out]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    assert_eq!(
        stdout(&run).trim(),
        format!("wrote {out}: 4 components, 2 boundaries, 2 flows, 4 threats")
    );
    // What has no counterpart is said, each on its own line.
    assert_eq!(
        stderr(&run).lines().collect::<Vec<_>>(),
        [
            format!(
                "{SHOP}: not imported: trust-boundary curve \"Internet edge\": a line encloses \
                 no components; draw the boundary again around them (b on the diagram)"
            ),
            format!(
                "{SHOP}: not imported: flow \"Loose end\": one of its ends is not on an actor, \
                 process or store (nor 1 threat recorded on it)"
            ),
        ]
    );
    let m = ron::load(&out_path).expect("the import loads").model;
    assert_eq!(m.name, "Small shop");
    let c = |id: &str| m.component(id).expect(id);
    assert_eq!(c("customer").kind, ComponentKind::ExternalEntity);
    assert_eq!(c("customer").description, "Buys things");
    // A name drawn on two lines reads as one.
    assert_eq!(c("web-app").name, "Web App");
    assert_eq!(c("web-app").kind, ComponentKind::Process);
    let db = c("orders-db");
    assert_eq!(db.kind, ComponentKind::DataStore);
    assert!(db.stores_credentials && db.encrypted_at_rest && !db.is_log);
    assert_eq!(
        c("backups").out_of_scope.as_deref(),
        Some("Run by the hosting provider")
    );
    // Boxes become boundaries around what they enclose, nested as drawn (Backups sticks out
    // of its box's bottom edge, its centre inside); an unnamed one is numbered.
    let b = |id: &str| m.boundary(id).expect(id);
    let members = |id: &str| -> Vec<&str> { b(id).members.iter().map(|m| m.as_str()).collect() };
    assert_eq!(members("data-centre"), ["web-app"]);
    assert_eq!(b("data-centre").parent, None);
    assert_eq!(b("trust-boundary-2").name, "Trust boundary 2");
    assert_eq!(members("trust-boundary-2"), ["orders-db", "backups"]);
    assert_eq!(
        b("trust-boundary-2").parent.as_ref().map(|p| p.as_str()),
        Some("data-centre")
    );
    let orders = m.flow("customer-to-web-app").expect("flow");
    assert_eq!(orders.label, "Orders");
    assert_eq!(orders.protocol, "HTTPS");
    assert!(orders.encrypted && orders.bidirectional);
    let queries = m.flow("web-app-to-orders-db").expect("flow");
    assert!(!queries.encrypted);
    assert_eq!(
        queries.description,
        "Out of scope in Threat Dragon: Same host"
    );
    // Threats keep their target, STRIDE type, status and severity (as a rating at that
    // level), and their mitigation text becomes a mitigation, implemented once mitigated.
    let t = |id: &str| m.threat(id).expect(id);
    let hijack = t("session-hijacking");
    assert_eq!(hijack.targets[0].as_str(), "web-app");
    assert_eq!(hijack.stride, [Stride::Spoofing]);
    assert_eq!(hijack.status, ThreatStatus::Open);
    assert_eq!(hijack.likelihood, Likelihood::Possible);
    assert_eq!(m.current_level(hijack), RiskLevel::High);
    let mitigation = |id: &threatloom::model::Id| {
        m.mitigations
            .iter()
            .find(|x| x.id == *id)
            .expect("mitigation")
    };
    let secure = mitigation(&hijack.mitigations[0]);
    assert_eq!(secure.title, "Secure, HttpOnly cookies.");
    assert_eq!(
        secure.description,
        "Secure, HttpOnly cookies.\nShort sessions."
    );
    assert_eq!(secure.status, MitigationStatus::Planned);
    let sql = t("sql-injection");
    assert_eq!(sql.status, ThreatStatus::Mitigated);
    assert_eq!(
        mitigation(&sql.mitigations[0]).status,
        MitigationStatus::Implemented
    );
    // Another method's threat type has no STRIDE letter; NA is not applicable.
    let logs = t("personal-data-in-logs");
    assert!(logs.stride.is_empty());
    assert_eq!(logs.status, ThreatStatus::NotApplicable);
    assert_eq!(m.current_level(logs), RiskLevel::Low);
    let tampering = t("order-tampering-in-transit");
    assert_eq!(tampering.targets[0].as_str(), "customer-to-web-app");
    assert_eq!(m.current_level(tampering), RiskLevel::Medium);
    assert!(tampering.mitigations.is_empty());
    // Laid out: no two boxes in the same place.
    let mut at: Vec<_> = m.components.iter().map(|c| c.position).collect();
    at.sort_by_key(|p| (p.x, p.y));
    at.dedup();
    assert_eq!(at.len(), m.components.len());
    assert_eq!(code(&threatloom(&["check", out])), 0);
}

#[test]
fn a_model_of_several_diagrams_becomes_one_with_each_element_once() {
    // "Front" draws Customer → Web; "Back" draws them again, with a VPC box where Front has
    // the customer, around its own Database and Web, and two stores named Cache.
    const TWO: &str = "tests/fixtures/threat-dragon/two-diagrams.json";
    let dir = tempfile::tempdir().expect("tempdir");
    let out_path = dir.path().join("two.ron");
    let out = out_path.to_str().expect("utf-8");
    let run = threatloom(&["import", TWO, "-o", out]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    assert_eq!(
        stdout(&run).trim(),
        format!("wrote {out}: 5 components, 1 boundary, 2 flows, 1 threat")
    );
    assert_eq!(
        stderr(&run).lines().collect::<Vec<_>>(),
        [
            format!(
                "{TWO}: note: external entity \"Customer\" is drawn on \"Front\", \"Back\": \
                 imported once"
            ),
            format!("{TWO}: note: process \"Web\" is drawn on \"Front\", \"Back\": imported once"),
            format!(
                "{TWO}: note: flow \"Orders\" (Customer → Web) is drawn on \"Front\", \"Back\": \
                 imported once"
            ),
        ]
    );
    let m = ron::load(&out_path).expect("the import loads").model;
    // A box encloses what its own diagram draws inside it: Database, and Web, which Front
    // draws without boxes.
    let members: Vec<&str> = m
        .boundary("vpc")
        .expect("vpc")
        .members
        .iter()
        .map(|m| m.as_str())
        .collect();
    assert_eq!(members, ["web", "database"]);
    // Two alike on one diagram are two.
    assert!(m.component("cache").is_some() && m.component("cache-2").is_some());
    // Flows and threats drawn on the second diagram reach the one component.
    assert_eq!(
        m.flow("web-to-database").expect("queries").source.as_str(),
        "web"
    );
    assert_eq!(m.threats[0].targets[0].as_str(), "web");
    assert_eq!(code(&threatloom(&["check", out])), 0);
}

#[test]
fn a_file_that_is_not_a_threat_dragon_version_2_model_is_refused_with_where_and_why() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("x.ron");
    let out = out.to_str().expect("utf-8");
    let input = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).expect("write");
        p.to_str().expect("utf-8").to_owned()
    };
    for (file, text, says) in [
        ("broken.json", "{\n  \"summary\": {,\n}", ":2:15: "),
        (
            "other.json",
            "{\"name\": \"x\"}",
            ":1:1: not a Threat Dragon model",
        ),
        (
            "v1.json",
            "{\"detail\": {\"diagrams\": [\n  {\"diagramJson\": {\"cells\": []}}]}}",
            ":2:4: a Threat Dragon version 1 model",
        ),
    ] {
        let p = input(file, text);
        let run = threatloom(&["import", &p, "-o", out]);
        assert_eq!(code(&run), 2, "{file}");
        assert!(
            stderr(&run).starts_with(&format!("{p}{says}")),
            "{file}: {}",
            stderr(&run)
        );
        assert!(!std::path::Path::new(out).exists(), "nothing written");
    }
}

#[test]
fn a_threat_dragon_model_given_as_a_model_says_how_to_import_it() {
    for args in [vec!["check", SHOP], vec!["analyze", SHOP]] {
        let run = threatloom(&args);
        assert_eq!(code(&run), 2);
        assert!(
            stderr(&run).trim_end().ends_with(
                "this file is JSON, not a RON model (an OWASP Threat Dragon model or an Open \
                 Threat Model is read with `threatloom import FILE -o MODEL.ron`)"
            ),
            "{}",
            stderr(&run)
        );
        assert!(stderr(&run).starts_with(&format!("{SHOP}:1:1: ")));
    }
}
