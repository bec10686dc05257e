//! Graphviz DOT of the data-flow diagram: nested trust boundaries as dashed clusters, a node
//! shape per element kind, and flows that cross a boundary drawn in red.

use super::text::visible;
use crate::model::{Boundary, ComponentKind, Model};
use std::collections::HashSet;
use std::fmt::Write;

/// A DOT double-quoted string; backslashes, quotes and line breaks escaped, controls made visible.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(visible(c)),
        }
    }
    out.push('"');
    out
}

/// The data-flow diagram of a model as a DOT digraph.
pub fn diagram(model: &Model) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "digraph {} {{", quote(&model.name));
    let _ = writeln!(
        out,
        "  graph [rankdir=LR, fontname=\"Helvetica\", labelloc=t, label={}];",
        quote(&model.name)
    );
    out.push_str("  node [fontname=\"Helvetica\", fontsize=11];\n");
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=9];\n");

    let mut drawn = HashSet::new();
    for (i, root) in model.boundaries.iter().enumerate() {
        let is_root = root
            .parent
            .as_deref()
            .is_none_or(|p| model.boundary(p).is_none());
        if is_root {
            cluster(&mut out, model, i, 1, &mut drawn);
        }
    }
    for c in &model.components {
        if model.boundary_of(c.id.as_str()).is_none() {
            node(&mut out, model, c.id.as_str(), 1);
        }
    }
    for f in &model.flows {
        let crossed = model.boundaries_crossed(f);
        let mut label = f.label.clone();
        if !f.protocol.is_empty() {
            let _ = write!(label, "\n{}", f.protocol);
        }
        let mut attrs = vec![format!("label={}", quote(&label))];
        if !crossed.is_empty() {
            let names: Vec<&str> = crossed.iter().map(|b| b.name.as_str()).collect();
            attrs.push("color=\"#c0392b\"".into());
            attrs.push("fontcolor=\"#c0392b\"".into());
            attrs.push("penwidth=2".into());
            attrs.push(format!(
                "tooltip={}",
                quote(&format!("crosses {}", names.join(", ")))
            ));
        }
        if !f.encrypted {
            attrs.push("style=dashed".into());
        }
        if f.bidirectional {
            attrs.push("dir=both".into());
        }
        let _ = writeln!(
            out,
            "  {} -> {} [{}];",
            quote(f.source.as_str()),
            quote(f.target.as_str()),
            attrs.join(", ")
        );
    }
    out.push_str("}\n");
    out
}

fn cluster(
    out: &mut String,
    model: &Model,
    index: usize,
    depth: usize,
    drawn: &mut HashSet<usize>,
) {
    // A parent cycle is a validation error; never recurse forever on one.
    if !drawn.insert(index) {
        return;
    }
    let b: &Boundary = &model.boundaries[index];
    let pad = "  ".repeat(depth);
    let _ = writeln!(out, "{pad}subgraph cluster_{index} {{");
    let _ = writeln!(
        out,
        "{pad}  label={}; style=dashed; color=\"#7f8c8d\"; fontcolor=\"#34495e\";",
        quote(&format!("{}\n[{}]", b.name, b.kind.label()))
    );
    for m in &b.members {
        node(out, model, m.as_str(), depth + 1);
    }
    for (child, c) in model.boundaries.iter().enumerate() {
        if c.parent.as_ref() == Some(&b.id) {
            cluster(out, model, child, depth + 1, drawn);
        }
    }
    let _ = writeln!(out, "{pad}}}");
}

fn node(out: &mut String, model: &Model, id: &str, depth: usize) {
    let Some(c) = model.component(id) else {
        return;
    };
    let shape = match c.kind {
        ComponentKind::Process => "ellipse",
        ComponentKind::DataStore => "cylinder",
        ComponentKind::ExternalEntity => "box",
    };
    let mut label = c.name.clone();
    if !c.technology.is_empty() {
        let _ = write!(label, "\n{}", c.technology);
    }
    let mut attrs = format!("label={}, shape={shape}", quote(&label));
    if c.out_of_scope.is_some() {
        attrs.push_str(", style=dotted, fontcolor=\"#7f8c8d\"");
    }
    let _ = writeln!(out, "{}{} [{attrs}];", "  ".repeat(depth), quote(id));
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn quote_escapes_everything_dot_would_misread() {
        assert_eq!(quote(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(quote("two\nlines"), r#""two\nlines""#);
        assert_eq!(quote("esc\u{1b}[0m"), "\"esc\u{241b}[0m\"");
        assert_eq!(quote("<b>&</b>"), "\"<b>&</b>\"");
    }
}
