//! Document changes as invertible edits: `Model::apply` returns the edit that undoes it, and
//! `History` keeps them for undo and redo, merging repeated moves into one step.

use super::{
    Actor, Asset, Boundary, Component, Dismissal, FaultTree, Flow, Mitigation, Model, Threat,
};

/// One change to the model. Element-level replace, insert and remove cover every editing
/// operation; `Batch` groups several into one undoable step.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    SetComponent(usize, Component),
    InsertComponent(usize, Component),
    RemoveComponent(usize),
    SetFlow(usize, Flow),
    InsertFlow(usize, Flow),
    RemoveFlow(usize),
    SetBoundary(usize, Boundary),
    InsertBoundary(usize, Boundary),
    RemoveBoundary(usize),
    SetThreat(usize, Threat),
    InsertThreat(usize, Threat),
    RemoveThreat(usize),
    SetActor(usize, Actor),
    InsertActor(usize, Actor),
    RemoveActor(usize),
    SetMitigation(usize, Mitigation),
    InsertMitigation(usize, Mitigation),
    RemoveMitigation(usize),
    SetFaultTree(usize, FaultTree),
    InsertFaultTree(usize, FaultTree),
    RemoveFaultTree(usize),
    SetDismissed(Vec<Dismissal>),
    SetAsset(usize, Asset),
    InsertAsset(usize, Asset),
    RemoveAsset(usize),
    SetName(String),
    /// The whole model at once: what merging another version in does.
    SetModel(Box<Model>),
    Batch(Vec<Edit>),
}

/// Why an edit could not be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// An index out of range: a stale edit.
    #[error("edit does not fit the model: {0}")]
    Stale(String),
    /// It would leave the model invalid (the first problem); the model is as it was.
    #[error("not done: {0}")]
    Invalid(String),
}

fn set<T: Clone>(v: &mut [T], i: usize, x: &T, what: &str) -> Result<T, EditError> {
    let slot = v
        .get_mut(i)
        .ok_or_else(|| EditError::Stale(format!("no {what} at {i}")))?;
    Ok(std::mem::replace(slot, x.clone()))
}

fn insert<T: Clone>(v: &mut Vec<T>, i: usize, x: &T, what: &str) -> Result<(), EditError> {
    if i > v.len() {
        return Err(EditError::Stale(format!("cannot insert {what} at {i}")));
    }
    v.insert(i, x.clone());
    Ok(())
}

fn remove<T>(v: &mut Vec<T>, i: usize, what: &str) -> Result<T, EditError> {
    if i >= v.len() {
        return Err(EditError::Stale(format!("no {what} at {i}")));
    }
    Ok(v.remove(i))
}

impl Model {
    /// Applies `edit` and returns its inverse. A failed batch is rolled back.
    pub fn apply(&mut self, edit: &Edit) -> Result<Edit, EditError> {
        Ok(match edit {
            Edit::SetComponent(i, c) => {
                Edit::SetComponent(*i, set(&mut self.components, *i, c, "component")?)
            }
            Edit::InsertComponent(i, c) => {
                insert(&mut self.components, *i, c, "component")?;
                Edit::RemoveComponent(*i)
            }
            Edit::RemoveComponent(i) => {
                Edit::InsertComponent(*i, remove(&mut self.components, *i, "component")?)
            }
            Edit::SetFlow(i, f) => {
                let f = match self.flows.get(*i) {
                    Some(old) => old.keep_review(f.clone()),
                    None => f.clone(),
                };
                Edit::SetFlow(*i, set(&mut self.flows, *i, &f, "flow")?)
            }
            Edit::InsertFlow(i, f) => {
                insert(&mut self.flows, *i, f, "flow")?;
                Edit::RemoveFlow(*i)
            }
            Edit::RemoveFlow(i) => Edit::InsertFlow(*i, remove(&mut self.flows, *i, "flow")?),
            Edit::SetBoundary(i, b) => {
                Edit::SetBoundary(*i, set(&mut self.boundaries, *i, b, "boundary")?)
            }
            Edit::InsertBoundary(i, b) => {
                insert(&mut self.boundaries, *i, b, "boundary")?;
                Edit::RemoveBoundary(*i)
            }
            Edit::RemoveBoundary(i) => {
                Edit::InsertBoundary(*i, remove(&mut self.boundaries, *i, "boundary")?)
            }
            Edit::SetThreat(i, t) => Edit::SetThreat(*i, set(&mut self.threats, *i, t, "threat")?),
            Edit::InsertThreat(i, t) => {
                insert(&mut self.threats, *i, t, "threat")?;
                Edit::RemoveThreat(*i)
            }
            Edit::RemoveThreat(i) => {
                Edit::InsertThreat(*i, remove(&mut self.threats, *i, "threat")?)
            }
            Edit::SetActor(i, a) => Edit::SetActor(*i, set(&mut self.actors, *i, a, "actor")?),
            Edit::InsertActor(i, a) => {
                insert(&mut self.actors, *i, a, "actor")?;
                Edit::RemoveActor(*i)
            }
            Edit::RemoveActor(i) => Edit::InsertActor(*i, remove(&mut self.actors, *i, "actor")?),
            Edit::SetMitigation(i, m) => {
                Edit::SetMitigation(*i, set(&mut self.mitigations, *i, m, "mitigation")?)
            }
            Edit::InsertMitigation(i, m) => {
                insert(&mut self.mitigations, *i, m, "mitigation")?;
                Edit::RemoveMitigation(*i)
            }
            Edit::RemoveMitigation(i) => {
                Edit::InsertMitigation(*i, remove(&mut self.mitigations, *i, "mitigation")?)
            }
            Edit::SetFaultTree(i, t) => {
                Edit::SetFaultTree(*i, set(&mut self.fault_trees, *i, t, "fault tree")?)
            }
            Edit::InsertFaultTree(i, t) => {
                insert(&mut self.fault_trees, *i, t, "fault tree")?;
                Edit::RemoveFaultTree(*i)
            }
            Edit::RemoveFaultTree(i) => {
                Edit::InsertFaultTree(*i, remove(&mut self.fault_trees, *i, "fault tree")?)
            }
            Edit::SetDismissed(d) => {
                Edit::SetDismissed(std::mem::replace(&mut self.dismissed, d.clone()))
            }
            Edit::SetAsset(i, a) => Edit::SetAsset(*i, set(&mut self.assets, *i, a, "asset")?),
            Edit::InsertAsset(i, a) => {
                insert(&mut self.assets, *i, a, "asset")?;
                Edit::RemoveAsset(*i)
            }
            Edit::RemoveAsset(i) => Edit::InsertAsset(*i, remove(&mut self.assets, *i, "asset")?),
            Edit::SetName(n) => Edit::SetName(std::mem::replace(&mut self.name, n.clone())),
            Edit::SetModel(m) => Edit::SetModel(Box::new(std::mem::replace(self, (**m).clone()))),
            Edit::Batch(edits) => {
                let mut undo = Vec::with_capacity(edits.len());
                for e in edits {
                    match self.apply(e) {
                        Ok(inv) => undo.push(inv),
                        Err(err) => {
                            for inv in undo.iter().rev() {
                                let _ = self.apply(inv);
                            }
                            return Err(err);
                        }
                    }
                }
                undo.reverse();
                Edit::Batch(undo)
            }
        })
    }
}

#[derive(Debug, Clone)]
struct Step {
    undo: Edit,
    redo: Edit,
    /// Steps with the same group key that follow each other merge (a drag, repeated moves).
    group: Option<String>,
}

/// Undo and redo stacks.
#[derive(Debug, Clone, Default)]
pub struct History {
    done: Vec<Step>,
    undone: Vec<Step>,
}

impl History {
    /// Applies `edit` to `model` and records it. With a `group`, an edit following one of the
    /// same group merges into it, so that undo takes back the whole gesture. An edit after
    /// which the model is invalid is taken back and refused: a valid model edited this way
    /// always saves as a file that opens again.
    pub fn apply(
        &mut self,
        model: &mut Model,
        edit: Edit,
        group: Option<&str>,
    ) -> Result<(), EditError> {
        let undo = model.apply(&edit)?;
        if let Some(problem) = model.validate().into_iter().next() {
            model.apply(&undo)?;
            return Err(EditError::Invalid(problem.to_string()));
        }
        self.undone.clear();
        if let (Some(g), Some(last)) = (group, self.done.last_mut())
            && last.group.as_deref() == Some(g)
        {
            last.undo = Edit::Batch(vec![undo, last.undo.clone()]);
            last.redo = Edit::Batch(vec![last.redo.clone(), edit]);
            return Ok(());
        }
        self.done.push(Step {
            undo,
            redo: edit,
            group: group.map(str::to_owned),
        });
        Ok(())
    }

    /// Ends the current group: the next edit starts a new step even with the same group key.
    pub fn seal(&mut self) {
        if let Some(last) = self.done.last_mut() {
            last.group = None;
        }
    }

    pub fn undo(&mut self, model: &mut Model) -> bool {
        let Some(step) = self.done.pop() else {
            return false;
        };
        if model.apply(&step.undo).is_err() {
            return false;
        }
        self.undone.push(Step {
            group: None,
            ..step
        });
        true
    }

    pub fn redo(&mut self, model: &mut Model) -> bool {
        let Some(step) = self.undone.pop() else {
            return false;
        };
        if model.apply(&step.redo).is_err() {
            return false;
        }
        self.done.push(Step {
            group: None,
            ..step
        });
        true
    }

    pub fn can_undo(&self) -> bool {
        !self.done.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.undone.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Component, ComponentKind};

    fn reviewed_flow() -> Model {
        let mut m = Model::new("t");
        for (id, kind) in [
            ("app", ComponentKind::Process),
            ("db", ComponentKind::DataStore),
        ] {
            m.components.push(Component::new(id, id, kind));
        }
        let mut f = Flow::new("q", "app", "db", "Query");
        f.encrypted = true;
        f.reviewed_on = "2026-11-24".into();
        f.reviewed_by = "Ada".into();
        m.flows.push(f);
        m
    }

    #[test]
    fn changing_what_was_reviewed_withdraws_the_review_and_undo_brings_it_back() {
        let mut m = reviewed_flow();
        let mut h = History::default();
        let mut f = m.flows[0].clone();
        f.label = "SQL query".into();
        f.description = "Reads orders".into();
        h.apply(&mut m, Edit::SetFlow(0, f), None)
            .expect("a valid edit");
        assert_eq!(
            m.flows[0].reviewed_on, "2026-11-24",
            "a new name is no new flow"
        );

        let mut f = m.flows[0].clone();
        f.encrypted = false;
        h.apply(&mut m, Edit::SetFlow(0, f), None)
            .expect("a valid edit");
        assert_eq!(
            m.flows[0].review_stamp(),
            "",
            "unencrypted now: not what was reviewed"
        );
        assert!(h.undo(&mut m));
        let back = &m.flows[0];
        assert_eq!((back.label.as_str(), back.encrypted), ("SQL query", true));
        assert_eq!(back.review_stamp(), "2026-11-24 by Ada");
        assert!(h.redo(&mut m));
        assert_eq!(m.flows[0].reviewed_on, "");
        assert!(!m.flows[0].encrypted);

        // A review recorded along with the change stands.
        let mut f = m.flows[0].clone();
        f.target = "app".into();
        f.reviewed_on = "2026-11-25".into();
        h.apply(&mut m, Edit::SetFlow(0, f), None)
            .expect("a valid edit");
        assert_eq!(m.flows[0].reviewed_on, "2026-11-25");
    }
}
