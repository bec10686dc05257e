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
