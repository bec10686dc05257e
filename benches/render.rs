//! Frame time of the Diagram screen and its overview on a large generated model (routes kept
//! from the frame before, and all found again), the time from opening the bundled model to
//! its first frame, and what checking an edit costs the editor (the model validated after it).

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::{Terminal, backend::TestBackend};
use std::hint::black_box;
use threatloom::format::ron;
use threatloom::model::{
    Boundary, BoundaryKind, Component, ComponentKind, Flow, Impact, Likelihood, Model, Point,
    Threat,
};
use threatloom::tui::app::App;
use threatloom::tui::keymap::Keymap;
use threatloom::tui::theme::Theme;
use threatloom::tui::views;

/// 500 components in a 25×20 grid, 800 flows between neighbours and across, 10 boundaries.
fn generated() -> Model {
    let mut m = Model::new("generated");
    for i in 0..500 {
        let kind = ComponentKind::ALL[i % 3];
        let mut c = Component::new(format!("c{i}").as_str(), format!("Component {i}"), kind);
        c.technology = "generated".into();
        c.position = Point {
            x: (i % 25) as i32 * 30,
            y: (i / 25) as i32 * 6,
        };
        m.components.push(c);
    }
    for b in 0..10 {
        m.boundaries.push(Boundary {
            id: format!("b{b}").as_str().into(),
            name: format!("Zone {b}"),
            kind: BoundaryKind::Network,
            description: String::new(),
            parent: None,
            members: (b * 50..b * 50 + 50)
                .map(|i| format!("c{i}").as_str().into())
                .collect(),
            area: Default::default(),
        });
    }
    for i in 0..800 {
        let (s, t) = (i % 500, (i * 7 + 1) % 500);
        m.flows.push(Flow::new(
            format!("f{i}").as_str(),
            format!("c{s}").as_str(),
            format!("c{t}").as_str(),
            "data",
        ));
    }
    m
}

fn app(model: Model) -> App {
    App::new(
        model,
        None,
        Theme::load("dark", None).expect("theme"),
        Keymap::new(&Default::default()),
    )
}

fn bench(c: &mut Criterion) {
    let mut terminal = Terminal::new(TestBackend::new(120, 36)).expect("terminal");
    let big = app(generated());
    c.bench_function("diagram frame, 500 components / 800 flows, 120x36", |b| {
        b.iter(|| {
            terminal
                .draw(|f| views::render(f, black_box(&big)))
                .expect("draw");
        })
    });
    // Every route found again, as after a box moved.
    c.bench_function(
        "diagram frame after a move, 500 components / 800 flows, 120x36",
        |b| {
            b.iter(|| {
                big.routes.clear();
                terminal
                    .draw(|f| views::render(f, black_box(&big)))
                    .expect("draw");
            })
        },
    );
    // The whole diagram scaled down: every route, not only those in view.
    let mut whole = app(generated());
    whole.overview = true;
    c.bench_function("overview frame, 500 components / 800 flows, 120x36", |b| {
        b.iter(|| {
            terminal
                .draw(|f| views::render(f, black_box(&whole)))
                .expect("draw");
        })
    });
    c.bench_function(
        "overview frame after a move, 500 components / 800 flows, 120x36",
        |b| {
            b.iter(|| {
                whole.routes.clear();
                terminal
                    .draw(|f| views::render(f, black_box(&whole)))
                    .expect("draw");
            })
        },
    );
    // The model is validated after every edit (`History::apply`).
    c.bench_function(
        "an edit checked (validate), 500 components / 800 flows",
        |b| b.iter(|| black_box(&big.model).validate()),
    );
    // Every edit puts the threats table's cursor back on its threat: the table's rows, sorted
    // and filtered, before and after.
    let mut reviewed = generated();
    for i in 0..2000 {
        let mut t = Threat::new(
            format!("t{i}").as_str(),
            &format!("Threat {i}"),
            Likelihood::ALL[i % 5],
            Impact::ALL[i / 5 % 5],
        );
        t.targets.push(format!("c{}", i % 500).as_str().into());
        reviewed.threats.push(t);
    }
    let reviewed = app(reviewed);
    c.bench_function("threats table rows, 2000 threats", |b| {
        b.iter(|| black_box(&reviewed).threat_rows())
    });
    let das = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/fta-bench/aralia/das9701.xml");
    if let Ok(text) = std::fs::read_to_string(&das) {
        let model = threatloom::format::mef::import(
            vec![(das.clone(), text)],
            threatloom::format::mef::DEFAULT_MISSION_TIME,
        )
        .expect("imports");
        c.bench_function("an edit checked (validate), das9701 as a model", |b| {
            b.iter(|| black_box(&model).validate())
        });
    }
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("models/serverless-webapp.ron");
    c.bench_function("open serverless-webapp.ron to the first frame", |b| {
        b.iter(|| {
            let model = ron::load(&path).expect("model").model;
            let mut t = Terminal::new(TestBackend::new(120, 36)).expect("terminal");
            let a = app(model);
            t.draw(|f| views::render(f, &a)).expect("draw");
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
