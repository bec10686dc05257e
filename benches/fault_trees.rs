//! Full analysis (exact probability, cut sets, importance) of each Aralia benchmark tree.
//! `cargo bench --bench fault_trees -- baobab1` runs one; `threatloom analyze FILE --timings`
//! gives a per-phase breakdown.

use criterion::{Criterion, criterion_group, criterion_main};
use threatloom::analysis::fault_tree::{Options, analyze};
use threatloom::format::mef;

fn bench(c: &mut Criterion) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fta-bench/aralia");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("{} not found: no fault-tree benchmarks", dir.display());
        return;
    };
    let mut files: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.sort();
    let mut group = c.benchmark_group("aralia");
    group.sample_size(10);
    for path in files {
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        // Not solved by this engine yet (see the README).
        if name == "nus9601" {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("benchmark file");
        let model =
            mef::import(vec![(path.clone(), text)], mef::DEFAULT_MISSION_TIME).expect("imports");
        let tree = model.fault_trees[0].id.to_string();
        group.bench_function(&name, |b| {
            b.iter(|| analyze(&model, &tree, &Options::default()).expect("analyses"))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);

/// A tree of 100 gates over 200 basic events, each event feeding two or three gates.
fn generated() -> threatloom::model::Model {
    use threatloom::model::{BasicEvent, FaultTree, Gate, GateKind, Id, Model, Probability};
    let mut events = Vec::new();
    for i in 0..200 {
        events.push(BasicEvent {
            id: Id::new(format!("e{i}")),
            label: String::new(),
            probability: Probability::Fixed(0.001 + (i % 17) as f64 * 0.003),
            uncertainty: None,
        });
    }
    let mut gates = Vec::new();
    for g in 0..100 {
        let kind = match g % 4 {
            0 => GateKind::And,
            1 => GateKind::Vote(2),
            _ => GateKind::Or,
        };
        let mut inputs: Vec<Id> = (0..5)
            .map(|k| Id::new(format!("e{}", (g * 7 + k * 13) % 200)))
            .collect();
        // Gates feed gates further up, so the tree is a DAG with shared sub-trees.
        if g >= 2 {
            inputs.push(Id::new(format!("g{}", g / 2 - 1)));
        }
        inputs.dedup();
        gates.push(Gate {
            id: Id::new(format!("g{g}")),
            label: String::new(),
            kind,
            inputs,
        });
    }
    // The top gathers the last gates.
    gates.push(Gate {
        id: Id::new("top"),
        label: String::new(),
        kind: GateKind::Or,
        inputs: (90..100).map(|g| Id::new(format!("g{g}"))).collect(),
    });
    let mut m = Model::new("generated");
    m.fault_trees.push(FaultTree {
        id: Id::new("ft"),
        name: "generated".into(),
        description: String::new(),
        top: Id::new("top"),
        gates,
        events,
        house_events: Vec::new(),
    });
    m
}

/// The fault-tree screen's side panel after an edit: every node's probability and the
/// analysis with the five most probable cut sets.
fn side_panel(c: &mut Criterion) {
    let mut group = c.benchmark_group("side panel");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("models");
    for name in ["serverless-webapp", "iot-fleet", "pressure-tank"] {
        let model = threatloom::format::ron::load(&dir.join(format!("{name}.ron")))
            .expect("model")
            .model;
        group.bench_function(name, |b| {
            b.iter(|| {
                threatloom::tui::review::analyse(&model, 0, 0, threatloom::tui::review::effort())
            })
        });
    }
    let model = generated();
    assert!(model.validate().is_empty(), "{:?}", model.validate());
    group.bench_function("generated 200 events, 100 gates", |b| {
        b.iter(|| threatloom::tui::review::analyse(&model, 0, 0, threatloom::tui::review::effort()))
    });
    group.finish();
}

/// What each mitigation would lower on its own (the what-if list, the report), on the
/// bundled models that have mitigations: one solve per tree for every mitigation whose
/// threats' ratings it moves.
fn gains(c: &mut Criterion) {
    let mut group = c.benchmark_group("gains");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("models");
    for name in ["serverless-webapp", "iot-fleet"] {
        let model = threatloom::format::ron::load(&dir.join(format!("{name}.ron")))
            .expect("model")
            .model;
        group.bench_function(name, |b| {
            b.iter(|| {
                threatloom::analysis::gains::gains(&model, &threatloom::tui::review::effort())
            })
        });
    }
    group.finish();
}

criterion_group!(panel, side_panel, gains);
criterion_main!(benches, panel);
