//! Model fault trees → Open-PSA MEF XML. Threat-linked events are written with their current
//! probability; INHIBIT gates and uncertainty distributions travel as attributes, which other
//! tools ignore and the importer reads back.

use crate::analysis::fault_tree::graph::resolve;
use crate::model::{GateKind, Model, Probability};
use quick_xml::escape::escape;
use std::collections::HashMap;
use std::fmt::Write;

#[derive(Clone, Copy)]
enum Kind {
    Gate,
    Basic,
    House,
}

pub fn export(model: &Model) -> String {
    let mut kinds: HashMap<&str, Kind> = HashMap::new();
    for t in &model.fault_trees {
        kinds.extend(t.gates.iter().map(|g| (g.id.as_str(), Kind::Gate)));
        kinds.extend(t.events.iter().map(|e| (e.id.as_str(), Kind::Basic)));
        kinds.extend(t.house_events.iter().map(|h| (h.id.as_str(), Kind::House)));
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opsa-mef>\n");
    for t in &model.fault_trees {
        let _ = writeln!(
            out,
            "  <define-fault-tree name=\"{}\">",
            escape(t.id.as_str())
        );
        label(&mut out, 4, &t.name);
        if !t.description.is_empty() {
            let _ = writeln!(
                out,
                "    <attributes><attribute name=\"description\" value=\"{}\"/></attributes>",
                escape(&t.description)
            );
        }
        // The top gate first: readers that take the first gate as the top agree with us.
        let top_first = t
            .gates
            .iter()
            .filter(|g| g.id == t.top)
            .chain(t.gates.iter().filter(|g| g.id != t.top));
        for g in top_first {
            let _ = writeln!(out, "    <define-gate name=\"{}\">", escape(g.id.as_str()));
            label(&mut out, 6, &g.label);
            if g.kind == GateKind::Inhibit {
                out.push_str("      <attributes><attribute name=\"flavor\" value=\"inhibit\"/></attributes>\n");
            }
            let (open, close) = match g.kind {
                GateKind::And | GateKind::Inhibit => ("<and>".to_owned(), "</and>"),
                GateKind::Or => ("<or>".into(), "</or>"),
                GateKind::Vote(k) => (format!("<atleast min=\"{k}\">"), "</atleast>"),
                GateKind::Not => ("<not>".into(), "</not>"),
                GateKind::Xor => ("<xor>".into(), "</xor>"),
                GateKind::Nand => ("<nand>".into(), "</nand>"),
                GateKind::Nor => ("<nor>".into(), "</nor>"),
                GateKind::Null => ("<null>".into(), "</null>"),
            };
            let _ = writeln!(out, "      {open}");
            for i in &g.inputs {
                let tag = match kinds.get(i.as_str()) {
                    Some(Kind::Basic) => "basic-event",
                    Some(Kind::House) => "house-event",
                    Some(Kind::Gate) | None => "gate",
                };
                let _ = writeln!(out, "        <{tag} name=\"{}\"/>", escape(i.as_str()));
            }
            let _ = writeln!(out, "      {close}");
            out.push_str("    </define-gate>\n");
        }
        for e in &t.events {
            let _ = writeln!(
                out,
                "    <define-basic-event name=\"{}\">",
                escape(e.id.as_str())
            );
            label(&mut out, 6, &e.label);
            if let Some(d) = &e.uncertainty {
                let _ = writeln!(
                    out,
                    "      <attributes><attribute name=\"uncertainty\" value=\"{}\"/></attributes>",
                    escape(d.to_string())
                );
            }
            match &e.probability {
                Probability::Rate {
                    lambda,
                    mission_time,
                } => {
                    let _ = writeln!(
                        out,
                        "      <exponential><float value=\"{lambda:e}\"/><float value=\"{mission_time:e}\"/></exponential>"
                    );
                }
                p => {
                    let _ = writeln!(out, "      <float value=\"{:e}\"/>", resolve(model, p));
                }
            }
            out.push_str("    </define-basic-event>\n");
        }
        for h in &t.house_events {
            let _ = writeln!(
                out,
                "    <define-house-event name=\"{}\">",
                escape(h.id.as_str())
            );
            label(&mut out, 6, &h.label);
            let _ = writeln!(out, "      <constant value=\"{}\"/>", h.state);
            out.push_str("    </define-house-event>\n");
        }
        out.push_str("  </define-fault-tree>\n");
    }
    out.push_str("</opsa-mef>\n");
    out
}

fn label(out: &mut String, indent: usize, text: &str) {
    if !text.is_empty() {
        let _ = writeln!(out, "{}<label>{}</label>", " ".repeat(indent), escape(text));
    }
}
