//! Restructuring a fault tree as an outline is restructured: a node moves among its gate's
//! inputs, into the gate just above it, or out of its gate beside it. Each is one edit of
//! the trees it touches, refused (saying why) when it would break the model.

use super::{Edit, Id, Model};
use std::collections::{HashMap, HashSet};

/// Where a node is moved, from its place under `parent` (an outline row knows its parent;
/// a shared node has several).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// One place earlier among the parent's inputs.
    Up,
    /// One place later.
    Down,
    /// Into the gate just before it among the parent's inputs, as that gate's last input.
    In,
    /// Out of the parent, into the parent's own parent right after the parent.
    Out,
}

/// The inputs of gate `id`, in whichever tree defines it.
fn inputs_mut<'m>(model: &'m mut Model, id: &Id) -> Option<&'m mut Vec<Id>> {
    model
        .fault_trees
        .iter_mut()
        .flat_map(|t| t.gates.iter_mut())
        .find(|g| g.id == *id)
        .map(|g| &mut g.inputs)
}

/// The edit from `model` to `edited`, which differs from it in its trees only.
fn changed_trees(model: &Model, edited: Model) -> Edit {
    let edits = edited
        .fault_trees
        .into_iter()
        .enumerate()
        .filter(|(i, t)| model.fault_trees[*i] != *t)
        .map(|(i, t)| Edit::SetFaultTree(i, t))
        .collect();
    Edit::Batch(edits)
}

fn is_gate(model: &Model, id: &Id) -> bool {
    model
        .fault_trees
        .iter()
        .any(|t| t.gates.iter().any(|g| g.id == *id))
}

/// Moves `node` from under gate `parent` (whose own parent is `grand`, if any) as `how`
/// says. Returns the edit and the gate the node is then under, or why it cannot move.
pub fn move_node(
    model: &Model,
    node: &Id,
    parent: &Id,
    grand: Option<&Id>,
    how: Move,
) -> Result<(Edit, Id), String> {
    let mut m = model.clone();
    let siblings = inputs_mut(&mut m, parent).ok_or("the node is not under a gate")?;
    let at = siblings
        .iter()
        .position(|i| i == node)
        .ok_or("the node is not an input of that gate")?;
    let under = match how {
        Move::Up | Move::Down => {
            let to = if how == Move::Up {
                at.checked_sub(1)
            } else {
                Some(at + 1).filter(|&to| to < siblings.len())
            };
            let to = to.ok_or(if how == Move::Up {
                "already the first input of its gate"
            } else {
                "already the last input of its gate"
            })?;
            siblings.swap(at, to);
            parent.clone()
        }
        Move::In => {
            let target = at
                .checked_sub(1)
                .map(|i| siblings[i].clone())
                .filter(|g| is_gate(model, g))
                .ok_or("moving in needs a gate just above it, under the same gate")?;
            siblings.remove(at);
            let into = inputs_mut(&mut m, &target).ok_or("no such gate")?;
            if into.contains(node) {
                return Err(format!("it is already an input of {target}"));
            }
            into.push(node.clone());
            target
        }
        Move::Out => {
            let grand = grand.ok_or("already under the top event")?;
            siblings.remove(at);
            let outer = inputs_mut(&mut m, grand).ok_or("no such gate")?;
            if outer.contains(node) {
                return Err(format!("it is already an input of {grand}"));
            }
            let after = outer
                .iter()
                .position(|i| i == parent)
                .map_or(outer.len(), |i| i + 1);
            outer.insert(after, node.clone());
            grand.clone()
        }
    };
    // A move may leave a gate too few inputs (a NOT with none, a vote with k > n) or close a
    // cycle: the model's own validation says which.
    if let Some(p) = new_problem(model, &m) {
        return Err(p);
    }
    Ok((changed_trees(model, m), under))
}

/// Every node of every tree that can become an input of gate `under`: not `under`, not one
/// of its inputs already, and not one it is under (which would close a cycle). Sharing a
/// node is how a tree reuses an event or a sub-tree, in itself or from another tree.
pub fn shareable(model: &Model, under: &Id) -> Vec<Id> {
    let gates: Vec<_> = model.fault_trees.iter().flat_map(|t| &t.gates).collect();
    // The gates `under` is reached from, walking up the inputs.
    let mut above = vec![under.clone()];
    let mut i = 0;
    while i < above.len() {
        let here = above[i].clone();
        for g in gates.iter().filter(|g| g.inputs.contains(&here)) {
            if !above.contains(&g.id) {
                above.push(g.id.clone());
            }
        }
        i += 1;
    }
    let inputs: &[Id] = gates
        .iter()
        .find(|g| g.id == *under)
        .map_or(&[], |g| &g.inputs);
    model
        .fault_trees
        .iter()
        .flat_map(|t| {
            let gates = t.gates.iter().map(|g| &g.id);
            let events = t.events.iter().map(|e| &e.id);
            gates
                .chain(events)
                .chain(t.house_events.iter().map(|h| &h.id))
        })
        .filter(|id| !above.contains(id) && !inputs.contains(id))
        .cloned()
        .collect()
}

/// Makes `node` an input of gate `under` as well as wherever it already is.
pub fn share(model: &Model, node: &Id, under: &Id) -> Result<Edit, String> {
    let mut m = model.clone();
    let inputs = inputs_mut(&mut m, under).ok_or("nodes are shared under a gate")?;
    if inputs.contains(node) {
        return Err(format!("{node} is already an input of {under}"));
    }
    inputs.push(node.clone());
    if let Some(p) = new_problem(model, &m) {
        return Err(p);
    }
    Ok(changed_trees(model, m))
}

/// How many times gates use `node` as an input, in every tree.
pub fn uses(model: &Model, node: &Id) -> usize {
    let gates = model.fault_trees.iter().flat_map(|t| &t.gates);
    gates.flat_map(|g| &g.inputs).filter(|i| *i == node).count()
}

/// Takes `node` from under gate `parent` only, where it is also used elsewhere: the other
/// places keep it.
pub fn unshare(model: &Model, node: &Id, parent: &Id) -> Result<Edit, String> {
    if uses(model, node) < 2 {
        return Err(format!("{node} is not shared"));
    }
    let mut m = model.clone();
    let inputs = inputs_mut(&mut m, parent).ok_or("the node is not under a gate")?;
    let at = inputs.iter().position(|i| i == node);
    inputs.remove(at.ok_or("the node is not an input of that gate")?);
    if let Some(p) = new_problem(model, &m) {
        return Err(p);
    }
    Ok(changed_trees(model, m))
}

/// Copies `node` beside itself under gate `parent`, with the part of its sub-tree that only
/// it reaches: a second pump train drawn from the first. Nodes the sub-tree shares with the
/// rest of the model stay shared, the copy using them too (a power supply common to both
/// trains stays one event). Each copy goes into its original's tree, with the original's id
/// suffixed (`E5-2`) and its label followed by " (copy)". Returns the edit and the ids of
/// the copies, `node`'s first.
pub fn duplicate(model: &Model, node: &Id, parent: &Id) -> Result<(Edit, Vec<Id>), String> {
    let nodes = model.fault_tree_nodes();
    let inputs_of = |id: &Id| match nodes.get(id) {
        Some(super::TreeNode::Gate(g)) => &g.inputs[..],
        _ => &[][..],
    };
    // The sub-tree, parents before children: a depth-first post-order, reversed.
    let mut post = Vec::new();
    let mut seen = HashSet::new();
    let mut stack = vec![(node.clone(), false)];
    while let Some((id, expanded)) = stack.pop() {
        if expanded {
            post.push(id);
        } else if seen.insert(id.clone()) {
            stack.push((id.clone(), true));
            stack.extend(inputs_of(&id).iter().map(|i| (i.clone(), false)));
        }
    }
    let mut users: HashMap<&Id, Vec<&Id>> = HashMap::new();
    for g in model.fault_trees.iter().flat_map(|t| &t.gates) {
        for i in &g.inputs {
            users.entry(i).or_default().push(&g.id);
        }
    }
    // A node is the copy's own when every gate using it is: reached through `node` alone.
    let mut own = vec![node.clone()];
    let mut is_own: HashSet<&Id> = HashSet::from([node]);
    for id in post.iter().rev().skip(1) {
        if users
            .get(id)
            .is_some_and(|us| us.iter().all(|u| is_own.contains(u)))
        {
            own.push(id.clone());
            is_own.insert(id);
        }
    }
    let mut copy_of: HashMap<&Id, Id> = HashMap::new();
    let mut taken: HashSet<String> = HashSet::new();
    for id in &own {
        let fresh = super::ops::unused_id(model, id.clone(), |c| taken.contains(c));
        taken.insert(fresh.to_string());
        copy_of.insert(id, fresh);
    }
    let label = |l: &str, id: &Id| {
        super::fault_tree::own_label(l, id).map_or(String::new(), |l| format!("{l} (copy)"))
    };
    let mut m = model.clone();
    for id in &own {
        let new = &copy_of[id];
        let ti = m
            .tree_defining(id)
            .ok_or_else(|| format!("{id} is not a node of a fault tree"))?;
        let tree = &mut m.fault_trees[ti];
        if let Some(g) = tree.gates.iter().find(|g| g.id == *id) {
            let mut g = g.clone();
            g.inputs = g
                .inputs
                .iter()
                .map(|i| copy_of.get(i).unwrap_or(i).clone())
                .collect();
            g.label = label(&g.label, id);
            g.id = new.clone();
            tree.gates.push(g);
        } else if let Some(e) = tree.events.iter().find(|e| e.id == *id) {
            let mut e = e.clone();
            e.label = label(&e.label, id);
            e.id = new.clone();
            tree.events.push(e);
        } else if let Some(h) = tree.house_events.iter().find(|h| h.id == *id) {
            let mut h = h.clone();
            h.label = label(&h.label, id);
            h.id = new.clone();
            tree.house_events.push(h);
        }
    }
    let siblings = inputs_mut(&mut m, parent).ok_or("the node is not under a gate")?;
    let at = siblings
        .iter()
        .position(|i| i == node)
        .ok_or("the node is not an input of that gate")?;
    siblings.insert(at + 1, copy_of[node].clone());
    if let Some(p) = new_problem(model, &m) {
        return Err(p);
    }
    let copies = own.iter().map(|id| copy_of[id].clone()).collect();
    Ok((changed_trees(model, m), copies))
}

/// Gives fault-tree node `old` the id `new`, wherever it is defined and used (gate inputs in
/// every tree, a tree's top): ids are what cut sets, importance tables and exports show.
pub fn rename(model: &Model, old: &Id, new: &str) -> Result<Edit, String> {
    let new = new.trim();
    if new.is_empty() {
        return Err("an id cannot be empty".into());
    }
    if new.contains(char::is_whitespace) {
        return Err(format!(
            "an id is one word without spaces, such as \"{}\"",
            Id::slug(new)
        ));
    }
    let new = Id::new(new);
    if super::ops::unused_id(model, new.clone(), |_| false) != new {
        return Err(format!("\"{new}\" is already the id of something else"));
    }
    let ti = model
        .tree_defining(old)
        .ok_or_else(|| format!("{old} is not a node of a fault tree"))?;
    let mut m = model.clone();
    let t = &mut m.fault_trees[ti];
    let ids = t.gates.iter_mut().map(|g| &mut g.id);
    let ids = ids.chain(t.events.iter_mut().map(|e| &mut e.id));
    for id in ids.chain(t.house_events.iter_mut().map(|h| &mut h.id)) {
        if id == old {
            *id = new.clone();
        }
    }
    for t in &mut m.fault_trees {
        let uses = t.gates.iter_mut().flat_map(|g| g.inputs.iter_mut());
        for id in uses.chain(std::iter::once(&mut t.top)) {
            if id == old {
                *id = new.clone();
            }
        }
    }
    if let Some(p) = new_problem(model, &m) {
        return Err(p);
    }
    Ok(changed_trees(model, m))
}

/// The first problem `after` has that `before` did not: what an edit from one to the other
/// would break, to refuse it saying so.
pub fn new_problem(before: &Model, after: &Model) -> Option<String> {
    let known: Vec<String> = before.validate().iter().map(|p| p.to_string()).collect();
    after
        .validate()
        .into_iter()
        .map(|p| p.to_string())
        .find(|p| !known.contains(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tank() -> Model {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("models/pressure-tank.ron");
        ron::from_str(&std::fs::read_to_string(path).expect("model")).expect("parses")
    }

    fn inputs(m: &Model, gate: &str) -> Vec<String> {
        m.fault_trees[0]
            .gates
            .iter()
            .find(|g| g.id.as_str() == gate)
            .expect("gate")
            .inputs
            .iter()
            .map(|i| i.to_string())
            .collect()
    }

    fn moved(m: &Model, node: &str, parent: &str, grand: Option<&str>, how: Move) -> Model {
        let grand = grand.map(|g| Id(g.into()));
        let (e, _) =
            move_node(m, &Id(node.into()), &Id(parent.into()), grand.as_ref(), how).expect("moves");
        let mut m = m.clone();
        m.apply(&e).expect("applies");
        m
    }

    #[test]
    fn up_and_down_reorder_the_gate_inputs() {
        // E1 = OR(T, E2).
        let m = tank();
        let up = moved(&m, "E2", "E1", None, Move::Up);
        assert_eq!(inputs(&up, "E1"), ["E2", "T"]);
        let down = moved(&up, "E2", "E1", None, Move::Down);
        assert_eq!(inputs(&down, "E1"), ["T", "E2"]);
        let err = move_node(&m, &Id("T".into()), &Id("E1".into()), None, Move::Up);
        assert_eq!(
            err.err().as_deref(),
            Some("already the first input of its gate")
        );
    }

    #[test]
    fn in_and_out_move_between_levels_and_back() {
        // E2 = OR(K2, E3) under E1 = OR(T, E2): K2 out goes right after E2 in E1.
        let m = tank();
        let out = moved(&m, "K2", "E2", Some("E1"), Move::Out);
        assert_eq!(inputs(&out, "E1"), ["T", "E2", "K2"]);
        assert_eq!(inputs(&out, "E2"), ["E3"]);
        // And back in: the gate just above K2 is E2.
        let back = moved(&out, "K2", "E1", None, Move::In);
        assert_eq!(inputs(&back, "E1"), ["T", "E2"]);
        assert_eq!(inputs(&back, "E2"), ["E3", "K2"]);
        // Moving the top's first input in: nothing above it.
        let err = move_node(&m, &Id("T".into()), &Id("E1".into()), None, Move::In);
        assert!(err.is_err());
        let err = move_node(&m, &Id("T".into()), &Id("E1".into()), None, Move::Out);
        assert_eq!(err.err().as_deref(), Some("already under the top event"));
    }

    #[test]
    fn a_move_that_breaks_the_model_is_refused_with_its_problem() {
        // E3 = AND(S, E4): taking both out leaves an AND to develop, which is allowed.
        let m = moved(&tank(), "S", "E3", Some("E2"), Move::Out);
        let m = moved(&m, "E4", "E3", Some("E2"), Move::Out);
        assert!(m.validate().is_empty(), "{:?}", m.validate());
        // As an INHIBIT (exactly two inputs), E3 cannot lose one.
        let mut m = tank();
        let e3 = m.fault_trees[0]
            .gates
            .iter_mut()
            .find(|g| g.id.as_str() == "E3");
        e3.expect("E3").kind = crate::model::GateKind::Inhibit;
        let (s, e3, e2) = (Id("S".into()), Id("E3".into()), Id("E2".into()));
        let err = move_node(&m, &s, &e3, Some(&e2), Move::Out).expect_err("refused");
        assert!(err.contains("E3") && err.contains("INHIBIT"), "{err}");
    }

    #[test]
    fn a_shared_node_is_offered_unless_it_would_close_a_cycle() {
        let m = tank();
        let ids = |v: Vec<Id>| v.iter().map(|i| i.to_string()).collect::<Vec<_>>();
        // Under E5 = OR(K1, R), inside E4 inside E3 inside E2 inside E1: none of those, nor
        // its own inputs.
        let offered = ids(shareable(&m, &Id("E5".into())));
        assert_eq!(offered, ["T", "K2", "S", "S1"]);
        // S is under E3 already; shared under E5 as well, both places keep it.
        let e = share(&m, &Id("S".into()), &Id("E5".into())).expect("shares");
        let mut shared = m.clone();
        shared.apply(&e).expect("applies");
        assert_eq!(inputs(&shared, "E5"), ["K1", "R", "S"]);
        assert_eq!(inputs(&shared, "E3"), ["S", "E4"]);
        // A gate above cannot go under: the model's validation names the cycle.
        assert!(share(&m, &Id("E3".into()), &Id("E5".into())).is_err());
        // Unshared from E5, S is under E3 alone again, and no longer shared.
        let (s, e5) = (Id("S".into()), Id("E5".into()));
        let mut back = shared.clone();
        back.apply(&unshare(&shared, &s, &e5).expect("unshares"))
            .expect("applies");
        assert_eq!(back, m);
        assert!(unshare(&m, &s, &Id("E3".into())).is_err());
    }

    fn ids(ids: &[Id]) -> Vec<String> {
        ids.iter().map(|i| i.to_string()).collect()
    }

    /// The tank with S, an input of E3, shared under E5 too.
    fn tank_sharing_s() -> Model {
        let mut m = tank();
        let e = share(&m, &Id("S".into()), &Id("E5".into())).expect("shares");
        m.apply(&e).expect("applies");
        m
    }

    #[test]
    fn a_duplicate_copies_what_only_its_node_reaches_and_shares_the_rest() {
        // E4's sub-tree reaches S, but so does E3.
        let m = tank_sharing_s();
        let (e, copies) = duplicate(&m, &Id("E4".into()), &Id("E3".into())).expect("copies");
        assert_eq!(ids(&copies), ["E4-2", "S1-2", "E5-2", "K1-2", "R-2"]);
        let mut d = m.clone();
        d.apply(&e).expect("applies");
        assert_eq!(inputs(&d, "E3"), ["S", "E4", "E4-2"]);
        assert_eq!(inputs(&d, "E4-2"), ["S1-2", "E5-2"]);
        assert_eq!(inputs(&d, "E5-2"), ["K1-2", "R-2", "S"]);
        // The originals are untouched; copies keep probability and distribution.
        assert_eq!(inputs(&d, "E5"), ["K1", "R", "S"]);
        let event = |id: &str| d.fault_trees[0].events.iter().find(|e| e.id.as_str() == id);
        let (r, r2) = (event("R").expect("R"), event("R-2").expect("R-2"));
        assert_eq!(
            (&r2.probability, &r2.uncertainty),
            (&r.probability, &r.uncertainty)
        );
        assert_eq!(r2.label, "Timer relay R contacts fail to open (copy)");
        assert!(d.validate().is_empty(), "{:?}", d.validate());
        // A second copy takes the next free ids.
        let (_, again) = duplicate(&d, &Id("E5".into()), &Id("E4".into())).expect("copies");
        assert_eq!(ids(&again), ["E5-3", "K1-3", "R-3"]);
        // An event alone.
        let (_, one) = duplicate(&d, &Id("T".into()), &Id("E1".into())).expect("copies");
        assert_eq!(ids(&one), ["T-2"]);
        // Not under that gate: refused.
        assert!(duplicate(&d, &Id("T".into()), &Id("E4".into())).is_err());
    }

    #[test]
    fn a_renamed_node_keeps_every_place_it_is_used() {
        let m = tank_sharing_s();
        let e = rename(&m, &Id("S".into()), "pressure-switch").expect("renames");
        let mut r = m.clone();
        r.apply(&e).expect("applies");
        assert_eq!(inputs(&r, "E3"), ["pressure-switch", "E4"]);
        assert_eq!(inputs(&r, "E5"), ["K1", "R", "pressure-switch"]);
        assert!(r.validate().is_empty(), "{:?}", r.validate());
        // The top event too.
        let e = rename(&r, &Id("E1".into()), "rupture").expect("renames");
        r.apply(&e).expect("applies");
        assert_eq!(r.fault_trees[0].top.as_str(), "rupture");
        // Taken, empty or spaced ids are refused, saying why.
        let err = |new: &str| rename(&r, &Id("T".into()), new).expect_err(new);
        assert!(err("K2").contains("already"));
        assert!(
            err("pressure-tank").contains("already"),
            "the tree's own id"
        );
        assert!(err(" ").contains("empty"));
        assert!(err("tank rupture").contains("\"tank-rupture\""));
    }
}
