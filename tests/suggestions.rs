//! The suggestion rules of THREATS.md, rule by rule, each on both sides of its condition.

use threatloom::analysis::suggestions::{likelihood_from_actors, suggest, suggest_for};
use threatloom::format::ron::{self, Overwrite};
use threatloom::model::{
    Actor, ActorKind, Asset, Authentication, Boundary, BoundaryKind, Classification, Component,
    ComponentKind, Dismissal, Flow, Id, Level, Likelihood, Model, Privilege,
};

fn rules(m: &Model, target: &str) -> Vec<&'static str> {
    let mut r: Vec<&str> = suggest_for(m, &Id::new(target))
        .iter()
        .map(|s| s.rule)
        .filter(|r| !r.starts_with("stride-"))
        .collect();
    r.sort_unstable();
    r
}

fn has(m: &Model, target: &str, rule: &str) -> bool {
    rules(m, target).contains(&rule)
}

/// A browser outside, an API in a cloud boundary, a database next to it.
fn base() -> Model {
    let mut m = Model::new("t");
    let mut api = Component::new("api", "API", ComponentKind::Process);
    api.audit_logging = true;
    api.validates_input = true;
    let mut db = Component::new("db", "DB", ComponentKind::DataStore);
    db.audit_logging = true;
    m.components = vec![
        Component::new("user", "User", ComponentKind::ExternalEntity),
        api,
        db,
    ];
    m.boundaries.push(Boundary {
        id: "cloud".into(),
        name: "Cloud".into(),
        kind: BoundaryKind::CloudAccount,
        description: String::new(),
        parent: None,
        members: vec!["api".into(), "db".into()],
        area: Default::default(),
    });
    let mut f = Flow::new("f-in", "user", "api", "requests");
    f.encrypted = true;
    f.authentication = Authentication::Jwt;
    let mut g = Flow::new("f-db", "api", "db", "queries");
    g.encrypted = true;
    g.authentication = Authentication::IamRole;
    m.flows = vec![f, g];
    m
}

fn flow<'a>(m: &'a mut Model, id: &str) -> &'a mut Flow {
    m.flows
        .iter_mut()
        .find(|f| f.id.as_str() == id)
        .expect("flow")
}

fn comp<'a>(m: &'a mut Model, id: &str) -> &'a mut Component {
    m.components
        .iter_mut()
        .find(|c| c.id.as_str() == id)
        .expect("component")
}

#[test]
fn a_clean_model_has_only_stride_per_element_suggestions() {
    let m = base();
    for id in ["user", "api", "db", "f-in", "f-db"] {
        assert!(rules(&m, id).is_empty(), "{id}: {:?}", rules(&m, id));
    }
    // The classic table: process all six, store four, entity two, flow three.
    let count = |id: &str| suggest_for(&m, &Id::new(id)).len();
    assert_eq!(
        (count("api"), count("db"), count("user"), count("f-in")),
        (6, 4, 2, 3)
    );
}

#[test]
fn crossing_flow_unencrypted() {
    let mut m = base();
    flow(&mut m, "f-in").encrypted = false;
    assert!(has(&m, "f-in", "flow-crossing-unencrypted"));
    flow(&mut m, "f-db").encrypted = false; // inside one boundary: not crossing
    assert!(!has(&m, "f-db", "flow-crossing-unencrypted"));
}

#[test]
fn crossing_flow_unauthenticated() {
    let mut m = base();
    assert!(!has(&m, "f-in", "flow-crossing-unauthenticated"));
    flow(&mut m, "f-in").authentication = Authentication::None;
    assert!(has(&m, "f-in", "flow-crossing-unauthenticated"));
}

#[test]
fn sensitive_flow_unencrypted() {
    let mut m = base();
    flow(&mut m, "f-db").classification = Classification::Secret;
    assert!(!has(&m, "f-db", "flow-sensitive-unencrypted"));
    flow(&mut m, "f-db").encrypted = false;
    assert!(has(&m, "f-db", "flow-sensitive-unencrypted"));
    flow(&mut m, "f-db").classification = Classification::Internal;
    assert!(!has(&m, "f-db", "flow-sensitive-unencrypted"));
}

#[test]
fn injection_into_a_process_that_does_not_validate() {
    let mut m = base();
    assert!(!has(&m, "f-in", "flow-injection"));
    comp(&mut m, "api").validates_input = false;
    assert!(has(&m, "f-in", "flow-injection"));
}

#[test]
fn store_with_credentials() {
    let mut m = base();
    assert!(!has(&m, "db", "store-credentials"));
    comp(&mut m, "db").stores_credentials = true;
    comp(&mut m, "db").encrypted_at_rest = true;
    assert!(has(&m, "db", "store-credentials"));
}

#[test]
fn unencrypted_store_with_confidential_data() {
    let mut m = base();
    assert!(
        !has(&m, "db", "store-unencrypted"),
        "nothing confidential in it yet"
    );
    m.assets.push(Asset {
        id: "pii".into(),
        name: "PII".into(),
        description: String::new(),
        classification: Classification::Confidential,
        stored_in: vec!["db".into()],
    });
    assert!(has(&m, "db", "store-unencrypted"));
    comp(&mut m, "db").encrypted_at_rest = true;
    assert!(!has(&m, "db", "store-unencrypted"));
}

#[test]
fn log_store() {
    let mut m = base();
    comp(&mut m, "db").is_log = true;
    let s = suggest_for(&m, &Id::new("db"));
    let log = s.iter().find(|s| s.rule == "store-log").expect("log rule");
    assert_eq!(log.stride.len(), 3, "T, R and I");
}

#[test]
fn privileged_internet_facing_vulnerable_process() {
    let mut m = base();
    comp(&mut m, "api").privilege = Privilege::High;
    comp(&mut m, "api").internet_facing = true;
    comp(&mut m, "api").known_vulnerabilities = true;
    assert_eq!(
        rules(&m, "api"),
        [
            "process-internet-facing",
            "process-privilege",
            "process-vulnerable"
        ]
    );
}

#[test]
fn external_entity_with_password_only() {
    let mut m = base();
    assert!(!has(&m, "user", "entity-password"));
    flow(&mut m, "f-in").authentication = Authentication::Password;
    assert!(has(&m, "user", "entity-password"));
}

#[test]
fn missing_audit_logging() {
    let mut m = base();
    comp(&mut m, "db").audit_logging = false;
    assert!(has(&m, "db", "no-audit-logging"));
    assert!(
        !has(&m, "user", "no-audit-logging"),
        "not asked of external entities"
    );
}

#[test]
fn every_checklist_no_produces_a_suggestion_and_unanswered_none() {
    let mut m = base();
    assert_eq!(m.components[1].checklist.unanswered(), 7);
    let c = &mut comp(&mut m, "api").checklist;
    c.least_privilege = Some(false);
    c.secrets_in_manager = Some(false);
    c.input_validated = Some(false);
    c.encrypted = Some(false);
    c.audit_logging_and_alerting = Some(false);
    c.mfa_for_humans = Some(false);
    c.dependencies_patched = Some(true);
    let r = rules(&m, "api");
    assert_eq!(
        r.iter().filter(|r| r.starts_with("checklist-")).count(),
        6,
        "{r:?}"
    );
    assert!(!r.contains(&"checklist-dependencies"));
}

#[test]
fn out_of_scope_elements_get_nothing() {
    let mut m = base();
    comp(&mut m, "db").out_of_scope = Some("managed by another team".into());
    comp(&mut m, "db").audit_logging = false;
    assert!(suggest_for(&m, &Id::new("db")).is_empty());
}

#[test]
fn accepted_and_dismissed_suggestions_are_not_offered_again_even_after_reload() {
    let mut m = base();
    flow(&mut m, "f-in").encrypted = false;
    flow(&mut m, "f-in").authentication = Authentication::None;
    let s = suggest_for(&m, &Id::new("f-in"));
    let sniff = s
        .iter()
        .find(|s| s.rule == "flow-crossing-unencrypted")
        .expect("sniffing");
    m.threats.push(sniff.to_threat("t-sniff".into()));
    m.dismissed.push(Dismissal {
        rule: "flow-crossing-unauthenticated".into(),
        target: "f-in".into(),
        reason: "mTLS at the load balancer".into(),
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("m.ron");
    ron::save(&path, &m, Overwrite::IfUnchanged(None)).expect("save");
    let back = ron::load(&path).expect("load").model;
    assert_eq!(back, m);
    assert!(!has(&back, "f-in", "flow-crossing-unencrypted"), "accepted");
    assert!(
        !has(&back, "f-in", "flow-crossing-unauthenticated"),
        "dismissed"
    );
    assert_eq!(back.threats[0].targets, [Id::new("f-in")]);
    assert_eq!(
        back.threats[0].rule.as_deref(),
        Some("flow-crossing-unencrypted")
    );
}

#[test]
fn bundled_model_suggestions_are_concrete_where_it_is_weak() {
    let path =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("models/serverless-webapp.ron");
    let m = ron::load(&path).expect("load").model;
    let all = suggest(&m);
    let find = |rule: &str, target: &str| {
        all.iter()
            .any(|s| s.rule == rule && s.target.as_str() == target)
    };
    assert!(
        find("flow-crossing-unauthenticated", "f-webhook"),
        "the unsigned webhook"
    );
    assert!(
        find("process-vulnerable", "uploads-fn"),
        "the end-of-life runtime"
    );
    assert!(find("entity-password", "root-account"), "the root login");
    assert!(
        !all.iter().any(|s| s.target.as_str() == "package-registry"),
        "out of scope"
    );
}

#[test]
fn likelihood_follows_the_most_capable_actor() {
    let actor = |skill, resources| Actor {
        id: "a".into(),
        name: "a".into(),
        kind: ActorKind::Custom("x".into()),
        skill,
        resources,
        motive: String::new(),
        description: String::new(),
    };
    let kiddie = actor(Level::Low, Level::Low);
    let crook = actor(Level::High, Level::Medium);
    let apt = actor(Level::VeryHigh, Level::VeryHigh);
    assert_eq!(likelihood_from_actors(&[]), Likelihood::Possible);
    assert_eq!(likelihood_from_actors(&[&kiddie]), Likelihood::Unlikely);
    assert_eq!(
        likelihood_from_actors(&[&kiddie, &crook]),
        Likelihood::Possible
    );
    assert_eq!(
        likelihood_from_actors(&[&actor(Level::High, Level::High)]),
        Likelihood::Probable
    );
    assert_eq!(likelihood_from_actors(&[&apt]), Likelihood::Certain);
}
