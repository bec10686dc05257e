//! Comparing and merging versions of a model (`threatloom diff`, `threatloom merge`): the
//! bundled serverless model, and das9701 (2 226 gates) as a model, each against a version
//! with one change per element kind. Fault trees are not solved here (`fault_trees` measures
//! that): the diff's tree probabilities come from a stub.

use criterion::{Criterion, criterion_group, criterion_main};
use threatloom::analysis::changes::changes;
use threatloom::format::{mef, ron};
use threatloom::model::merge::merge;
use threatloom::model::{FaultTree, Likelihood, Model, Probability};

/// The model with a threat, a flow and every basic event changed.
fn edited(m: &Model) -> Model {
    let mut e = m.clone();
    if let Some(t) = e.threats.first_mut() {
        t.likelihood = Likelihood::Certain;
    }
    if let Some(f) = e.flows.first_mut() {
        f.encrypted = !f.encrypted;
    }
    for t in &mut e.fault_trees {
        for ev in &mut t.events {
            if let Probability::Fixed(p) = &mut ev.probability {
                *p = (*p * 2.0).min(1.0);
            }
        }
    }
    e
}

fn models() -> Vec<(&'static str, Model)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = vec![(
        "serverless-webapp",
        ron::load(&root.join("models/serverless-webapp.ron"))
            .expect("bundled model")
            .model,
    )];
    let das = root.join("../shared/fta-bench/aralia/das9701.xml");
    match std::fs::read_to_string(&das) {
        Ok(text) => out.push((
            "das9701",
            mef::import(vec![(das, text)], mef::DEFAULT_MISSION_TIME).expect("imports"),
        )),
        Err(_) => eprintln!("{} not found: the large model is left out", das.display()),
    }
    out
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("versions");
    for (name, base) in models() {
        let ours = edited(&base);
        let mut theirs = base.clone();
        theirs.name.push_str(" (theirs)");
        group.bench_function(format!("diff/{name}"), |b| {
            b.iter(|| changes(&base, &ours, &mut |_: &Model, _: &FaultTree| Ok(0.5)))
        });
        group.bench_function(format!("merge/{name}"), |b| {
            b.iter(|| merge(Some(&base), &ours, &theirs).expect("merges"))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
