//! Graphviz DOT of a fault tree with the conventional symbols: gates labelled and shaped by
//! type (INHIBIT as a hexagon), basic events as circles, house events as houses, and gates of
//! other trees as transfer triangles; every node with its probability.

use super::dot::quote;
use crate::model::{GateKind, Id, Model};
use std::collections::{HashMap, HashSet};
use std::fmt::Write;

fn gate_style(kind: GateKind) -> (&'static str, &'static str) {
    match kind {
        GateKind::And | GateKind::Nand => ("box", "#d6eaf8"),
        GateKind::Or | GateKind::Nor => ("box", "#fdebd0"),
        GateKind::Vote(_) => ("box", "#e8daef"),
        GateKind::Xor => ("box", "#fadbd8"),
        GateKind::Not | GateKind::Null => ("box", "#eaeded"),
        GateKind::Inhibit => ("hexagon", "#d5f5e3"),
    }
}

fn probability(p: Option<&f64>) -> String {
    p.map_or(String::new(), |p| format!("\np = {p:.3e}"))
}

/// The tree `tree` of `model` as a top-down DOT graph; `probabilities` labels the nodes.
pub fn fault_tree(model: &Model, tree: &str, probabilities: &HashMap<Id, f64>) -> Option<String> {
    let t = model.fault_tree(tree)?;
    let mut gates = HashMap::new();
    let mut home: HashMap<&str, &str> = HashMap::new();
    for ft in &model.fault_trees {
        for g in &ft.gates {
            gates.insert(g.id.as_str(), g);
            home.insert(g.id.as_str(), ft.id.as_str());
        }
    }
    let events: HashMap<&str, _> = model
        .fault_trees
        .iter()
        .flat_map(|ft| &ft.events)
        .map(|e| (e.id.as_str(), e))
        .collect();
    let houses: HashMap<&str, _> = model
        .fault_trees
        .iter()
        .flat_map(|ft| &ft.house_events)
        .map(|h| (h.id.as_str(), h))
        .collect();

    let mut out = String::new();
    let _ = writeln!(out, "digraph {} {{", quote(&t.name));
    let _ = writeln!(
        out,
        "  graph [rankdir=TB, fontname=\"Helvetica\", labelloc=t, label={}];",
        quote(&t.name)
    );
    out.push_str("  node [fontname=\"Helvetica\", fontsize=10, style=filled, fillcolor=white];\n");
    out.push_str("  edge [arrowhead=none];\n");
    let mut drawn = HashSet::new();
    let mut stack = vec![t.top.as_str()];
    while let Some(id) = stack.pop() {
        if !drawn.insert(id) {
            continue;
        }
        let p = probability(probabilities.get(&Id::new(id)));
        if let Some(g) = gates.get(id) {
            if home.get(id) != Some(&t.id.as_str()) {
                let label = format!("{id}\n(transfer from {}){p}", home[id]);
                let _ = writeln!(
                    out,
                    "  {} [shape=triangle, label={}];",
                    quote(id),
                    quote(&label)
                );
                continue;
            }
            let (shape, fill) = gate_style(g.kind);
            let title = if g.label.is_empty() {
                id
            } else {
                g.label.as_str()
            };
            let label = format!("{title}\n[{}]{p}", g.kind.label());
            let _ = writeln!(
                out,
                "  {} [shape={shape}, fillcolor=\"{fill}\", label={}];",
                quote(id),
                quote(&label)
            );
            for i in &g.inputs {
                let _ = writeln!(out, "  {} -> {};", quote(id), quote(i.as_str()));
                stack.push(i.as_str());
            }
        } else if let Some(e) = events.get(id) {
            let title = if e.label.is_empty() {
                id
            } else {
                e.label.as_str()
            };
            let _ = writeln!(
                out,
                "  {} [shape=circle, fixedsize=false, fillcolor=\"#fef9e7\", label={}];",
                quote(id),
                quote(&format!("{title}{p}"))
            );
        } else if let Some(h) = houses.get(id) {
            let title = if h.label.is_empty() {
                id
            } else {
                h.label.as_str()
            };
            let label = format!("{title}\n({})", if h.state { "true" } else { "false" });
            let _ = writeln!(
                out,
                "  {} [shape=house, label={}];",
                quote(id),
                quote(&label)
            );
        }
    }
    out.push_str("}\n");
    Some(out)
}
