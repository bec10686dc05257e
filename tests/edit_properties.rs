//! Any sequence of editing operations, undone in full, gives back the original model; redone
//! in full, gives back the edited one. Every intermediate model stays valid.

mod common;
use proptest::prelude::*;
use threatloom::model::layout::auto_layout;
use threatloom::model::{
    BasicEvent, BoundaryKind, ComponentKind, Edit, FaultTree, Gate, GateKind, History, Id, Model,
    Point, Probability, ops,
};

fn bundled() -> Model {
    common::tui::bundled("serverless-webapp.ron")
}

#[derive(Debug, Clone)]
enum Op {
    Add(u8, u16),
    Move(u16, i8, i8),
    Delete(u16),
    Connect(u16, u16),
    DeleteFlow(u16),
    Boundary(u16, u16),
    PutIn(u16, u16),
    TakeOut(u16),
    Rename(u16),
    Duplicate(u16, u16),
    Layout,
    NewTree(u16),
    DeleteTree(u16),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (any::<u8>(), any::<u16>()).prop_map(|(k, n)| Op::Add(k, n)),
        (any::<u16>(), any::<i8>(), any::<i8>()).prop_map(|(i, x, y)| Op::Move(i, x, y)),
        any::<u16>().prop_map(Op::Delete),
        (any::<u16>(), any::<u16>()).prop_map(|(a, b)| Op::Connect(a, b)),
        any::<u16>().prop_map(Op::DeleteFlow),
        (any::<u16>(), any::<u16>()).prop_map(|(a, b)| Op::Boundary(a, b)),
        (any::<u16>(), any::<u16>()).prop_map(|(a, b)| Op::PutIn(a, b)),
        any::<u16>().prop_map(Op::TakeOut),
        any::<u16>().prop_map(Op::Rename),
        (any::<u16>(), any::<u16>()).prop_map(|(a, b)| Op::Duplicate(a, b)),
        Just(Op::Layout),
        any::<u16>().prop_map(Op::NewTree),
        any::<u16>().prop_map(Op::DeleteTree),
    ]
}

/// The edit an operation makes on the current model (None when it does not apply).
fn edit(m: &Model, op: &Op) -> Option<Edit> {
    let comp = |i: u16| {
        m.components
            .get(usize::from(i) % m.components.len().max(1))
            .map(|c| c.id.clone())
    };
    Some(match op {
        Op::Add(k, n) => {
            let kind = ComponentKind::ALL[usize::from(*k) % 3];
            ops::add_component(
                m,
                kind,
                &format!("new {n}"),
                Point {
                    x: i32::from(*n % 200),
                    y: 0,
                },
            )
            .0
        }
        Op::Move(i, dx, dy) => {
            ops::move_components(m, &[comp(*i)?], i32::from(*dx), i32::from(*dy))
        }
        Op::Delete(i) => ops::delete_component(m, &comp(*i)?)?,
        Op::Connect(a, b) => ops::connect(m, &comp(*a)?, &comp(*b)?, "data").0,
        Op::DeleteFlow(i) => {
            let f = m.flows.get(usize::from(*i) % m.flows.len().max(1))?;
            ops::delete_flow(m, &f.id)?
        }
        Op::Boundary(a, b) => {
            ops::create_boundary(m, &[comp(*a)?, comp(*b)?], "zone", BoundaryKind::Network).0
        }
        Op::PutIn(c, b) => {
            let b = m
                .boundaries
                .get(usize::from(*b) % m.boundaries.len().max(1))?;
            ops::set_boundary(m, &comp(*c)?, Some(&b.id))
        }
        Op::TakeOut(c) => ops::set_boundary(m, &comp(*c)?, None),
        Op::Rename(i) => {
            let idx = usize::from(*i) % m.components.len().max(1);
            let mut c = m.components.get(idx)?.clone();
            c.name.push('!');
            Edit::SetComponent(idx, c)
        }
        Op::Duplicate(a, b) => {
            let ids = [comp(*a)?, comp(*b)?];
            ops::duplicate_components(m, &ids, Point { x: 0, y: 30 }).0
        }
        Op::Layout => auto_layout(m),
        Op::NewTree(n) => {
            // A tree of one event under an OR, ids fresh in the whole model.
            let id = ops::fresh_id(m, &format!("tree {n}"));
            let top = Id(format!("{id}-top"));
            let event = Id(format!("{id}-cause"));
            let tree = FaultTree {
                id: id.clone(),
                name: format!("Tree {n}"),
                description: String::new(),
                top: top.clone(),
                gates: vec![Gate {
                    id: top,
                    label: String::new(),
                    kind: GateKind::Or,
                    inputs: vec![event.clone()],
                }],
                events: vec![BasicEvent {
                    id: event,
                    label: String::new(),
                    probability: Probability::Fixed(0.5),
                    uncertainty: None,
                }],
                house_events: Vec::new(),
            };
            let at = usize::from(*n) % (m.fault_trees.len() + 1);
            Edit::InsertFaultTree(at, tree)
        }
        Op::DeleteTree(i) => {
            if m.fault_trees.is_empty() {
                return None;
            }
            Edit::RemoveFaultTree(usize::from(*i) % m.fault_trees.len())
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn undoing_everything_restores_the_original(ops in proptest::collection::vec(op(), 1..40)) {
        let original = bundled();
        let mut m = original.clone();
        let mut h = History::default();
        for (n, op) in ops.iter().enumerate() {
            if let Some(e) = edit(&m, op) {
                // Moves share a group, as repeated key presses do.
                let group = matches!(op, Op::Move(..)).then_some("move");
                h.apply(&mut m, e, group).expect("edit applies");
                prop_assert!(m.validate().is_empty(), "after op {n} {op:?}: {:?}", m.validate());
            }
        }
        let edited = m.clone();
        while h.can_undo() {
            prop_assert!(h.undo(&mut m));
        }
        prop_assert_eq!(&m, &original);
        while h.can_redo() {
            prop_assert!(h.redo(&mut m));
        }
        prop_assert_eq!(&m, &edited);
    }
}
