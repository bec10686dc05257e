//! Editing operations as the diagram needs them, each producing one undoable `Edit` that keeps
//! the model consistent (no dangling flow, membership or threat target).

use super::{Boundary, BoundaryKind, Component, ComponentKind, Edit, Flow, Id, Model, Point};

/// An id not used by anything in the model, derived from a display name.
pub fn fresh_id(model: &Model, name: &str) -> Id {
    unused_id(model, Id::slug(name), |_| false)
}

/// `base` if no element of `model` has it and `taken` says it is free, else the first free
/// `base-2`, `base-3`…
pub fn unused_id(model: &Model, base: Id, taken: impl Fn(&str) -> bool) -> Id {
    let used = |id: &str| {
        taken(id)
            || model.components.iter().any(|c| c.id.as_str() == id)
            || model.flows.iter().any(|f| f.id.as_str() == id)
            || model.boundaries.iter().any(|b| b.id.as_str() == id)
            || model.assets.iter().any(|a| a.id.as_str() == id)
            || model.actors.iter().any(|a| a.id.as_str() == id)
            || model.threats.iter().any(|t| t.id.as_str() == id)
            || model.mitigations.iter().any(|m| m.id.as_str() == id)
            || model.fault_trees.iter().any(|t| {
                t.id.as_str() == id
                    || t.gates.iter().any(|g| g.id.as_str() == id)
                    || t.events.iter().any(|e| e.id.as_str() == id)
                    || t.house_events.iter().any(|h| h.id.as_str() == id)
            })
    };
    if !used(base.as_str()) {
        return base;
    }
    (2..)
        .map(|n| Id(format!("{base}-{n}")))
        .find(|id| !used(id.as_str()))
        .unwrap_or(base)
}

pub fn add_component(model: &Model, kind: ComponentKind, name: &str, at: Point) -> (Edit, Id) {
    let id = fresh_id(model, name);
    let mut c = Component::new(id.clone(), name, kind);
    c.position = at;
    (Edit::InsertComponent(model.components.len(), c), id)
}

/// Copies of components `ids`, moved by `offset`, each named after its original with the
/// next free number ("Worker" → "Worker 2"), in the same boundary, with every property and
/// checklist answer: a replica drawn in one step. Flows of the originals come along: between
/// two of them, between their copies; to anything else, from the copy to the same element.
/// Threats stay with the originals (they record decisions about them). Gives the copies' ids.
pub fn duplicate_components(model: &Model, ids: &[Id], offset: Point) -> (Edit, Vec<Id>) {
    let mut taken: Vec<Id> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut copy_of: Vec<(Id, Id)> = Vec::new();
    let mut edits = Vec::new();
    for c in model.components.iter().filter(|c| ids.contains(&c.id)) {
        let name = numbered(&c.name, |n| {
            names.iter().any(|x| x == n) || model.components.iter().any(|c| c.name == n)
        });
        let id = unused_id(model, Id::slug(&name), |i| {
            taken.iter().any(|t| t.as_str() == i)
        });
        let mut copy = c.clone();
        copy.id = id.clone();
        copy.name = name.clone();
        copy.position.x += offset.x;
        copy.position.y += offset.y;
        edits.push(Edit::InsertComponent(
            model.components.len() + taken.len(),
            copy,
        ));
        taken.push(id.clone());
        names.push(name);
        copy_of.push((c.id.clone(), id));
    }
    let copied = |id: &Id| {
        copy_of
            .iter()
            .find(|(o, _)| o == id)
            .map(|(_, c)| c.clone())
    };
    let mut flows = 0;
    for f in &model.flows {
        let (s, t) = (copied(&f.source), copied(&f.target));
        if s.is_none() && t.is_none() {
            continue;
        }
        let mut copy = f.clone();
        copy.source = s.unwrap_or_else(|| f.source.clone());
        copy.target = t.unwrap_or_else(|| f.target.clone());
        copy.id = unused_id(
            model,
            Id::slug(&format!("{} to {}", copy.source, copy.target)),
            |i| taken.iter().any(|t| t.as_str() == i),
        );
        taken.push(copy.id.clone());
        edits.push(Edit::InsertFlow(model.flows.len() + flows, copy));
        flows += 1;
    }
    for (i, b) in model.boundaries.iter().enumerate() {
        let joining: Vec<Id> = b.members.iter().filter_map(copied).collect();
        if !joining.is_empty() {
            let mut b = b.clone();
            b.members.extend(joining);
            edits.push(Edit::SetBoundary(i, b));
        }
    }
    let copies = copy_of.into_iter().map(|(_, c)| c).collect();
    (Edit::Batch(edits), copies)
}

/// `name` with the first number from 2 up that makes it free, after its own number if it
/// ends with a small one ("Worker 1" → "Worker 2"; "Windows Server 2019" is a name, not the
/// 2019th copy).
fn numbered(name: &str, used: impl Fn(&str) -> bool) -> String {
    let numbered = name
        .rsplit_once(' ')
        .and_then(|(base, n)| Some((base, n.parse::<u32>().ok()?)));
    let (base, from) = match numbered {
        Some((base, n)) if !base.is_empty() && (1..100).contains(&n) => (base, n + 1),
        _ => (name, 2),
    };
    (from..)
        .map(|n| format!("{base} {n}"))
        .find(|n| !used(n))
        .unwrap_or_else(|| format!("{base} {from}"))
}

/// Moves the components by (dx, dy) cells.
pub fn move_components(model: &Model, ids: &[Id], dx: i32, dy: i32) -> Edit {
    Edit::Batch(
        model
            .components
            .iter()
            .enumerate()
            .filter(|(_, c)| ids.contains(&c.id))
            .map(|(i, c)| {
                let mut c = c.clone();
                c.position.x += dx;
                c.position.y += dy;
                Edit::SetComponent(i, c)
            })
            .collect(),
    )
}

/// Drops `ids` from every threat's targets.
fn untarget(model: &Model, ids: &[&Id]) -> Vec<Edit> {
    model
        .threats
        .iter()
        .enumerate()
        .filter(|(_, t)| t.targets.iter().any(|x| ids.contains(&x)))
        .map(|(i, t)| {
            let mut t = t.clone();
            t.targets.retain(|x| !ids.contains(&x));
            Edit::SetThreat(i, t)
        })
        .collect()
}

/// The flows a deletion of the component would remove with it.
pub fn attached_flows<'m>(model: &'m Model, component: &Id) -> Vec<&'m Flow> {
    model
        .flows
        .iter()
        .filter(|f| f.source == *component || f.target == *component)
        .collect()
}

/// Deletes a component with its flows, its boundary membership, the assets' note that they
/// live there, and its threat targets.
pub fn delete_component(model: &Model, id: &Id) -> Option<Edit> {
    let index = model.components.iter().position(|c| c.id == *id)?;
    let mut edits = Vec::new();
    let flows: Vec<&Id> = attached_flows(model, id).iter().map(|f| &f.id).collect();
    let mut gone = flows.clone();
    gone.push(id);
    edits.extend(untarget(model, &gone));
    for (i, b) in model.boundaries.iter().enumerate() {
        if b.members.contains(id) {
            let mut b = b.clone();
            b.members.retain(|m| m != id);
            edits.push(Edit::SetBoundary(i, b));
        }
    }
    for (i, a) in model.assets.iter().enumerate() {
        if a.stored_in.contains(id) {
            let mut a = a.clone();
            a.stored_in.retain(|m| m != id);
            edits.push(Edit::SetAsset(i, a));
        }
    }
    // Remove from the end so earlier indices stay valid.
    for (i, f) in model.flows.iter().enumerate().rev() {
        if flows.contains(&&f.id) {
            edits.push(Edit::RemoveFlow(i));
        }
    }
    edits.push(Edit::RemoveComponent(index));
    Some(Edit::Batch(edits))
}

pub fn delete_flow(model: &Model, id: &Id) -> Option<Edit> {
    let index = model.flows.iter().position(|f| f.id == *id)?;
    let mut edits = untarget(model, &[id]);
    edits.push(Edit::RemoveFlow(index));
    Some(Edit::Batch(edits))
}

pub fn connect(model: &Model, source: &Id, target: &Id, label: &str) -> (Edit, Id) {
    let id = fresh_id(model, &format!("{source} to {target}"));
    let flow = Flow::new(id.clone(), source.clone(), target.clone(), label);
    (Edit::InsertFlow(model.flows.len(), flow), id)
}

/// Deletes threats `ids` (those that exist). A fault-tree event that stood for one keeps the
/// probability its current likelihood gave it, so no top event moves.
pub fn delete_threats(model: &Model, ids: &[Id]) -> Edit {
    let mut trees: std::collections::BTreeMap<usize, super::FaultTree> = Default::default();
    let mut gone = Vec::new();
    for (i, t) in model.threats.iter().enumerate() {
        if !ids.contains(&t.id) {
            continue;
        }
        gone.push(i);
        let p = model
            .calibration
            .probability(model.current_rating(t).likelihood);
        let standing = super::Probability::Threat(t.id.clone());
        for (ti, _) in model.events_for_threat(&t.id) {
            let tree = trees
                .entry(ti)
                .or_insert_with(|| model.fault_trees[ti].clone());
            for e in tree.events.iter_mut().filter(|e| e.probability == standing) {
                e.probability = super::Probability::Fixed(p);
            }
        }
    }
    let mut edits: Vec<Edit> = trees
        .into_iter()
        .map(|(i, t)| Edit::SetFaultTree(i, t))
        .collect();
    // From the end, so earlier indices stay valid.
    edits.extend(gone.into_iter().rev().map(Edit::RemoveThreat));
    Edit::Batch(edits)
}

/// Moves a component into `boundary` (or out of every boundary with `None`).
pub fn set_boundary(model: &Model, component: &Id, boundary: Option<&Id>) -> Edit {
    let mut edits = Vec::new();
    for (i, b) in model.boundaries.iter().enumerate() {
        let holds = b.members.contains(component);
        let wanted = Some(&b.id) == boundary;
        if holds != wanted {
            let mut b = b.clone();
            if wanted {
                b.members.push(component.clone());
            } else {
                b.members.retain(|m| m != component);
            }
            edits.push(Edit::SetBoundary(i, b));
        }
    }
    Edit::Batch(edits)
}

/// A new boundary around `members`, nested in the boundary that held all of them, if any.
pub fn create_boundary(
    model: &Model,
    members: &[Id],
    name: &str,
    kind: BoundaryKind,
) -> (Edit, Id) {
    let id = fresh_id(model, name);
    let mut unique: Vec<Id> = Vec::with_capacity(members.len());
    for m in members {
        if !unique.contains(m) {
            unique.push(m.clone());
        }
    }
    let members = unique.as_slice();
    let parents: Vec<Option<&Id>> = members
        .iter()
        .map(|m| model.boundary_of(m.as_str()).map(|b| &b.id))
        .collect();
    let parent = match parents.first() {
        Some(first) if parents.iter().all(|p| p == first) => first.cloned(),
        _ => None,
    };
    let mut edits = Vec::new();
    for (i, b) in model.boundaries.iter().enumerate() {
        if b.members.iter().any(|m| members.contains(m)) {
            let mut b = b.clone();
            b.members.retain(|m| !members.contains(m));
            edits.push(Edit::SetBoundary(i, b));
        }
    }
    edits.push(Edit::InsertBoundary(
        model.boundaries.len(),
        Boundary {
            id: id.clone(),
            name: name.to_owned(),
            kind,
            description: String::new(),
            parent,
            members: members.to_vec(),
            area: Default::default(),
        },
    ));
    (Edit::Batch(edits), id)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Boxes a, b, c; a and b in boundary "zone"; flows a→b, b→c, c→a.
    fn three() -> Model {
        let mut m = Model::new("three");
        for (i, id) in ["a", "b", "c"].into_iter().enumerate() {
            let mut c = Component::new(id, format!("Box {id}"), ComponentKind::Process);
            c.position = Point {
                x: 30 * i as i32,
                y: 0,
            };
            c.technology = format!("tech {id}");
            m.components.push(c);
        }
        for (s, t) in [("a", "b"), ("b", "c"), ("c", "a")] {
            m.flows.push(Flow::new(
                format!("{s}-{t}").as_str(),
                s,
                t,
                &format!("{s} to {t}"),
            ));
        }
        m.boundaries.push(Boundary {
            id: "zone".into(),
            name: "Zone".into(),
            kind: BoundaryKind::Network,
            description: String::new(),
            parent: None,
            members: vec!["a".into(), "b".into()],
            area: Default::default(),
        });
        m
    }

    fn ends(m: &Model) -> Vec<(String, String, String)> {
        m.flows
            .iter()
            .map(|f| (f.source.to_string(), f.target.to_string(), f.label.clone()))
            .collect()
    }

    #[test]
    fn a_duplicate_has_the_originals_properties_flows_and_boundary() {
        let mut m = three();
        let (e, copies) = duplicate_components(&m, &["a".into()], Point { x: 0, y: 10 });
        m.apply(&e).expect("applies");
        assert!(m.validate().is_empty(), "{:?}", m.validate());
        assert_eq!(copies.len(), 1);
        let copy = m.component(copies[0].as_str()).expect("the copy");
        assert_eq!(copy.name, "Box a 2");
        assert_eq!(copy.technology, "tech a");
        assert_eq!(copy.position, Point { x: 0, y: 10 });
        assert_eq!(
            m.boundary_of(copy.id.as_str()).map(|b| b.id.as_str()),
            Some("zone")
        );
        // Its flows to the others, as the original's.
        let id = copy.id.to_string();
        assert_eq!(
            ends(&m)[3..],
            [
                (id.clone(), "b".into(), "a to b".into()),
                ("c".into(), id, "c to a".into())
            ]
        );
    }

    #[test]
    fn a_group_is_copied_with_the_flows_between_its_members() {
        let mut m = three();
        let (e, copies) =
            duplicate_components(&m, &["a".into(), "b".into()], Point { x: 0, y: 10 });
        m.apply(&e).expect("applies");
        assert!(m.validate().is_empty(), "{:?}", m.validate());
        let (a2, b2) = (copies[0].to_string(), copies[1].to_string());
        assert_eq!(
            ends(&m)[3..],
            [
                (a2.clone(), b2.clone(), "a to b".into()),
                (b2, "c".into(), "b to c".into()),
                ("c".into(), a2, "c to a".into())
            ]
        );
        // Copies of copies count on.
        let (e, again) = duplicate_components(&m, &[copies[0].clone()], Point { x: 0, y: 20 });
        m.apply(&e).expect("applies");
        assert_eq!(m.component(again[0].as_str()).expect("c").name, "Box a 3");
    }

    #[test]
    fn copies_are_numbered_from_the_first_free_number() {
        let used = |taken: &'static [&'static str]| move |n: &str| taken.contains(&n);
        assert_eq!(numbered("Worker", used(&[])), "Worker 2");
        assert_eq!(numbered("Worker", used(&["Worker 2"])), "Worker 3");
        assert_eq!(numbered("Worker 2", used(&[])), "Worker 3");
        assert_eq!(numbered("Worker 1", used(&[])), "Worker 2");
        // A number that is no count of copies stays part of the name.
        assert_eq!(
            numbered("Windows Server 2019", used(&[])),
            "Windows Server 2019 2"
        );
        assert_eq!(numbered("Port 0", used(&[])), "Port 0 2");
    }
}
