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
        if name == "das9701" || name == "nus9601" {
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
criterion_main!(benches);
