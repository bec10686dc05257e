//! Graphviz DOT of a fault tree drawn the conventional way: every event is a description box
//! (its text, id and probability) above its symbol. Gates take the IEC 61025 rectangular
//! symbols (& for AND, ≥1 for OR, k/n for a vote, =1 for XOR; Graphviz has no shapes for the
//! distinctive ANSI ones) and INHIBIT its hexagon, with the conditioning event on a dashed
//! edge; basic events are circles, house events houses, and gates of other trees transfer
//! triangles.

use super::dot::quote;
use crate::model::{GateKind, Id, Model, TreeNode, own_label};
use std::collections::{HashMap, HashSet};
use std::fmt::Write;

/// A gate's fill colour, shared by its description and its symbol.
fn gate_fill(kind: GateKind) -> &'static str {
    match kind {
        GateKind::And | GateKind::Nand => "#d6eaf8",
        GateKind::Or | GateKind::Nor => "#fdebd0",
        GateKind::Vote(_) => "#e8daef",
        GateKind::Xor => "#fadbd8",
        GateKind::Not | GateKind::Null => "#eaeded",
        GateKind::Inhibit => "#d5f5e3",
    }
}

/// A gate's symbol: its shape and the IEC mark above the type's name.
fn gate_symbol(kind: GateKind, inputs: usize) -> (&'static str, String) {
    let mark = match kind {
        GateKind::And => "&".to_string(),
        GateKind::Or => "≥1".to_string(),
        GateKind::Vote(k) => format!("{k}/{inputs}"),
        GateKind::Xor => "=1".to_string(),
        GateKind::Nand => "¬&".to_string(),
        GateKind::Nor => "¬≥1".to_string(),
        GateKind::Not => "¬".to_string(),
        GateKind::Null => "1".to_string(),
        GateKind::Inhibit => return ("hexagon", kind.label()),
    };
    let name = match kind {
        GateKind::Vote(_) => "VOTE".to_string(),
        _ => kind.label(),
    };
    ("box", format!("{mark}\n{name}"))
}

/// The fill of basic events: description and symbol alike.
const EVENT_FILL: &str = "#fef9e7";

/// A description box's text: the element's own label, if any, over its id, then `extra`
/// lines (each starting with a line break).
fn description(label: &str, id: &Id, extra: &str) -> String {
    match own_label(label, id) {
        Some(label) => format!("{label}\n{id}{extra}"),
        None => format!("{id}{extra}"),
    }
}

fn probability(p: Option<&f64>) -> String {
    p.map_or(String::new(), |p| format!("\np = {p:.3e}"))
}

/// The name of the node holding `id`'s symbol, below its description (named `id`).
fn symbol(id: &str) -> String {
    quote(&format!("{id}/symbol"))
}

/// The tree `tree` of `model` as a top-down DOT graph from its top event, or only the branch
/// under its node `from`; `probabilities` labels the nodes.
pub fn fault_tree(
    model: &Model,
    tree: &str,
    from: Option<&Id>,
    probabilities: &HashMap<Id, f64>,
) -> Result<String, String> {
    let t = model
        .fault_tree(tree)
        .ok_or_else(|| format!("no fault tree \"{tree}\""))?;
    let nodes = model.fault_tree_nodes();
    let gate = |id: &Id| match nodes.get(id) {
        Some(TreeNode::Gate(g)) => Some(*g),
        _ => None,
    };
    // The tree each gate belongs to, to draw another tree's gates as transfers.
    let home: HashMap<&Id, &Id> = model
        .fault_trees
        .iter()
        .flat_map(|ft| ft.gates.iter().map(move |g| (&g.id, &ft.id)))
        .collect();

    let root = from.unwrap_or(&t.top);
    let title = if *root == t.top {
        t.name.clone()
    } else {
        // The branch must hang from this tree's top.
        let mut reached = HashSet::new();
        let mut stack = vec![&t.top];
        while let Some(id) = stack.pop() {
            if reached.insert(id) && id != root {
                stack.extend(gate(id).into_iter().flat_map(|g| &g.inputs));
            }
        }
        if !reached.contains(root) {
            return Err(format!("no node \"{root}\" in fault tree \"{tree}\""));
        }
        let label = nodes
            .get(root)
            .and_then(|n| own_label(n.label(), root))
            .unwrap_or(root.as_str());
        format!("{}: {label}", t.name)
    };
    let mut out = String::new();
    let _ = writeln!(out, "digraph {} {{", quote(&title));
    let _ = writeln!(
        out,
        "  graph [rankdir=TB, fontname=\"Helvetica\", labelloc=t, label={}, ranksep=0.3, \
         nodesep=0.25];",
        quote(&title)
    );
    out.push_str(
        "  node [fontname=\"Helvetica\", fontsize=10, style=filled, fillcolor=white, \
         shape=box, margin=\"0.08,0.04\"];\n",
    );
    out.push_str("  edge [arrowhead=none, fontname=\"Helvetica\"];\n");
    // A description box, then its symbol right under it.
    let element = |out: &mut String, id: &str, text: &str, fill: &str, symbol_attrs: &str| {
        let _ = writeln!(
            out,
            "  {} [fillcolor=\"{fill}\", label={}];",
            quote(id),
            quote(text)
        );
        let _ = writeln!(out, "  {} [{symbol_attrs}];", symbol(id));
        let _ = writeln!(out, "  {} -> {} [weight=10];", quote(id), symbol(id));
    };
    let mut drawn = HashSet::new();
    let mut stack = vec![root];
    while let Some(id) = stack.pop() {
        if !drawn.insert(id) {
            continue;
        }
        let p = probability(probabilities.get(id));
        match nodes.get(id) {
            Some(TreeNode::Gate(g)) if home.get(id) != Some(&&t.id) => {
                let extra = format!("\n(transfer from {}){p}", home[id]);
                let text = description(&g.label, &g.id, &extra);
                let attrs = "shape=triangle, width=0.35, height=0.3, fixedsize=true, label=\"\"";
                element(&mut out, id, &text, "white", attrs);
            }
            Some(TreeNode::Gate(g)) => {
                let fill = gate_fill(g.kind);
                let (shape, mark) = gate_symbol(g.kind, g.inputs.len());
                let attrs = format!(
                    "shape={shape}, fillcolor=\"{fill}\", fontsize=8, margin=\"0.04,0.02\", \
                     label={}",
                    quote(&mark)
                );
                element(
                    &mut out,
                    id,
                    &description(&g.label, &g.id, &p),
                    fill,
                    &attrs,
                );
                for (n, i) in g.inputs.iter().enumerate() {
                    let style = if g.kind == GateKind::Inhibit && n == 1 {
                        " [style=dashed, label=\"condition\", fontsize=8]"
                    } else {
                        ""
                    };
                    let _ = writeln!(out, "  {} -> {}{style};", symbol(id), quote(i.as_str()));
                }
                // Inputs are declared in their order, which is the order Graphviz keeps them in.
                stack.extend(g.inputs.iter().rev());
            }
            Some(TreeNode::Event(e)) => {
                let attrs = format!(
                    "shape=circle, width=0.3, fixedsize=true, label=\"\", \
                     fillcolor=\"{EVENT_FILL}\""
                );
                element(
                    &mut out,
                    id,
                    &description(&e.label, &e.id, &p),
                    EVENT_FILL,
                    &attrs,
                );
            }
            Some(TreeNode::House(h)) => {
                let state = if h.state { "true" } else { "false" };
                let attrs = format!(
                    "shape=house, width=0.55, height=0.4, fixedsize=true, fontsize=8, \
                     label=\"{state}\""
                );
                element(
                    &mut out,
                    id,
                    &description(&h.label, &h.id, ""),
                    "white",
                    &attrs,
                );
            }
            None => {}
        }
    }
    out.push_str("}\n");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{BasicEvent, FaultTree, Gate, HouseEvent, Probability};

    fn gate(id: &str, kind: GateKind, inputs: &[&str]) -> Gate {
        Gate {
            id: Id::new(id),
            label: String::new(),
            kind,
            inputs: inputs.iter().map(|&i| Id::new(i)).collect(),
        }
    }

    /// One gate of every kind, a house event, a shared event and a gate of another tree.
    fn model() -> Model {
        let mut m = Model::new("t");
        let kinds = [
            ("g-and", GateKind::And, vec!["a", "b"]),
            ("g-or", GateKind::Or, vec!["a", "c"]),
            ("g-vote", GateKind::Vote(2), vec!["a", "b", "c"]),
            ("g-xor", GateKind::Xor, vec!["b", "c"]),
            ("g-nand", GateKind::Nand, vec!["a", "b"]),
            ("g-nor", GateKind::Nor, vec!["a", "h"]),
            ("g-not", GateKind::Not, vec!["c"]),
            ("g-null", GateKind::Null, vec!["other-top"]),
            ("g-inhibit", GateKind::Inhibit, vec!["a", "b"]),
        ];
        let mut gates: Vec<Gate> = kinds.iter().map(|(id, k, i)| gate(id, *k, i)).collect();
        let all: Vec<&str> = kinds.iter().map(|(id, _, _)| *id).collect();
        gates.insert(0, gate("top", GateKind::Or, &all));
        let event = |id: &str| BasicEvent {
            id: Id::new(id),
            label: format!("Event {id}"),
            probability: Probability::Fixed(0.1),
            uncertainty: None,
        };
        let tree = |id: &str, top: &str, gates| FaultTree {
            id: Id::new(id),
            name: id.to_uppercase(),
            description: String::new(),
            top: Id::new(top),
            gates,
            events: Vec::new(),
            house_events: Vec::new(),
        };
        let mut main = tree("main", "top", gates);
        main.events = vec![event("a"), event("b"), event("c")];
        main.house_events = vec![HouseEvent {
            id: Id::new("h"),
            label: String::new(),
            state: true,
        }];
        let other = tree(
            "other",
            "other-top",
            vec![gate("other-top", GateKind::And, &["a", "b"])],
        );
        m.fault_trees.extend([main, other]);
        m
    }

    /// The attributes of node `name` (quoted as in the output).
    fn node<'a>(dot: &'a str, name: &str) -> &'a str {
        let start = format!("  \"{name}\" [");
        let line = dot
            .lines()
            .find(|l| l.starts_with(&start))
            .unwrap_or_else(|| panic!("no node {name} in\n{dot}"));
        &line[start.len()..]
    }

    #[test]
    fn every_element_is_a_description_above_its_conventional_symbol() {
        let p = HashMap::from([(Id::new("top"), 0.25)]);
        let dot = fault_tree(&model(), "main", None, &p).expect("the tree exists");
        let symbols = [
            ("g-and", "shape=box", "&\\nAND"),
            ("g-or", "shape=box", "≥1\\nOR"),
            ("g-vote", "shape=box", "2/3\\nVOTE"),
            ("g-xor", "shape=box", "=1\\nXOR"),
            ("g-nand", "shape=box", "¬&\\nNAND"),
            ("g-nor", "shape=box", "¬≥1\\nNOR"),
            ("g-not", "shape=box", "¬\\nNOT"),
            ("g-null", "shape=box", "1\\nNULL"),
            ("g-inhibit", "shape=hexagon", "INHIBIT"),
            ("a", "shape=circle", "\"\""),
            ("h", "shape=house", "true"),
            ("other-top", "shape=triangle", "\"\""),
        ];
        for (id, shape, mark) in symbols {
            let attrs = node(&dot, &format!("{id}/symbol"));
            assert!(
                attrs.contains(shape) && attrs.contains(mark),
                "{id}: {attrs}"
            );
            let link = format!("  \"{id}\" -> \"{id}/symbol\" [weight=10];");
            assert!(dot.contains(&link), "{id} sits above its symbol");
        }
        assert!(node(&dot, "top").contains("label=\"top\\np = 2.500e-1\""));
        assert!(node(&dot, "a").contains("label=\"Event a\\na\""));
        assert!(node(&dot, "other-top").contains("(transfer from other)"));
        // Inputs hang from the gate's symbol; the shared event is drawn once.
        assert!(dot.contains("  \"g-and/symbol\" -> \"a\";"));
        assert!(dot.contains("  \"g-or/symbol\" -> \"a\";"));
        assert_eq!(dot.matches("  \"a\" [").count(), 1);
        assert!(dot.contains("  \"g-inhibit/symbol\" -> \"b\" [style=dashed"));
        assert!(
            !dot.contains("other-top/symbol\" ->"),
            "a transfer is not expanded"
        );
    }

    #[test]
    fn a_branch_is_drawn_from_its_node_down_under_a_title_naming_it() {
        let m = model();
        let p = HashMap::new();
        let dot = fault_tree(&m, "main", Some(&Id::new("g-nor")), &p).expect("in the tree");
        assert!(dot.starts_with("digraph \"MAIN: g-nor\" {"), "{dot}");
        for drawn in ["g-nor", "a", "h"] {
            node(&dot, drawn);
        }
        for left in ["top", "g-and", "b", "c"] {
            assert!(
                !dot.contains(&format!("  \"{left}\" [")),
                "{left} drawn:\n{dot}"
            );
        }
        // An event alone is a branch too; a node the tree does not reach is not.
        let one = fault_tree(&m, "main", Some(&Id::new("a")), &p).expect("in the tree");
        assert!(one.contains("MAIN: Event a"), "{one}");
        let err = fault_tree(&m, "other", Some(&Id::new("g-nor")), &p);
        assert_eq!(err, Err("no node \"g-nor\" in fault tree \"other\"".into()));
        assert!(fault_tree(&m, "none", None, &p).is_err());
    }
}
