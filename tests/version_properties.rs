//! Versions of the bundled model under random edits. `diff` finds a change exactly when
//! there is one, and names every threat whose rating moved. Three-way merge: a side that
//! changed nothing leaves the other's version exactly, and two sides that changed different
//! elements merge, without conflict, into a valid model holding both (the same, up to order,
//! as making one side's edits after the other's).

mod common;
use proptest::prelude::*;
use threatloom::analysis::changes::{Field, changes};
use threatloom::model::merge::merge;
use threatloom::model::{Component, ComponentKind, Flow, Id, Likelihood, Model, ThreatStatus, ops};

fn bundled() -> Model {
    common::tui::bundled("serverless-webapp.ron")
}

#[derive(Debug, Clone)]
enum Change {
    Likelihood(u16, u8),
    Status(u16, u8),
    InternetFacing(u16),
    Add(u8),
    Delete(u16),
    Connect(u16, u16),
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        (any::<u16>(), any::<u8>()).prop_map(|(i, v)| Change::Likelihood(i, v)),
        (any::<u16>(), any::<u8>()).prop_map(|(i, v)| Change::Status(i, v)),
        any::<u16>().prop_map(Change::InternetFacing),
        any::<u8>().prop_map(Change::Add),
        any::<u16>().prop_map(Change::Delete),
        (any::<u16>(), any::<u16>()).prop_map(|(a, b)| Change::Connect(a, b)),
    ]
}

/// Makes `changes` on `m`, touching only the base's elements whose index has parity `side`
/// (0 or 1) and naming what it adds after the side: two sides never touch the same element.
fn make(m: &mut Model, base: &Model, side: usize, changes: &[Change]) {
    let pick = |ids: Vec<Id>, i: u16| {
        let mine: Vec<Id> = ids.into_iter().skip(side).step_by(2).collect();
        (!mine.is_empty()).then(|| mine[usize::from(i) % mine.len()].clone())
    };
    let comp = |i| pick(base.components.iter().map(|c| c.id.clone()).collect(), i);
    let threat = |i| pick(base.threats.iter().map(|t| t.id.clone()).collect(), i);
    for (n, c) in changes.iter().enumerate() {
        match c {
            Change::Likelihood(i, v) => {
                if let Some(t) = threat(*i).and_then(|id| m.threats.iter_mut().find(|t| t.id == id))
                {
                    t.likelihood = Likelihood::ALL[usize::from(*v) % 5];
                }
            }
            Change::Status(i, v) => {
                if let Some(t) = threat(*i).and_then(|id| m.threats.iter_mut().find(|t| t.id == id))
                {
                    t.status = ThreatStatus::ALL[usize::from(*v) % 7];
                }
            }
            Change::InternetFacing(i) => {
                if let Some(c) =
                    comp(*i).and_then(|id| m.components.iter_mut().find(|c| c.id == id))
                {
                    c.internet_facing = !c.internet_facing;
                }
            }
            Change::Add(k) => m.components.push(Component::new(
                Id::new(format!("side{side}-new-{n}")),
                "New",
                ComponentKind::ALL[usize::from(*k) % 3],
            )),
            Change::Delete(i) => {
                if let Some(e) = comp(*i).and_then(|id| ops::delete_component(m, &id)) {
                    m.apply(&e)
                        .expect("a delete fits the model it was made for");
                }
            }
            Change::Connect(a, b) => {
                if let (Some(a), Some(b)) = (comp(*a), comp(*b))
                    && m.component(&a).is_some()
                    && m.component(&b).is_some()
                {
                    m.flows.push(Flow::new(
                        Id::new(format!("side{side}-flow-{n}")),
                        a,
                        b,
                        "data",
                    ));
                }
            }
        }
    }
}

/// The model with every collection and list of ids sorted: order aside.
fn normalised(mut m: Model) -> Model {
    m.components.sort_by(|a, b| a.id.cmp(&b.id));
    m.flows.sort_by(|a, b| a.id.cmp(&b.id));
    m.threats.sort_by(|a, b| a.id.cmp(&b.id));
    for t in &mut m.threats {
        t.targets.sort();
        t.mitigations.sort();
        t.actors.sort();
    }
    for b in &mut m.boundaries {
        b.members.sort();
    }
    for a in &mut m.assets {
        a.stored_in.sort();
    }
    m
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_side_that_changed_nothing_leaves_the_other_exactly(
        changes in prop::collection::vec(change(), 0..12),
        side in 0usize..2,
    ) {
        let base = bundled();
        let mut x = base.clone();
        make(&mut x, &base, side, &changes);
        for (ours, theirs) in [(&x, &base), (&base, &x), (&x, &x)] {
            let (merged, conflicts) = merge(Some(&base), ours, theirs).expect("merges");
            prop_assert!(conflicts.is_empty(), "{:?}", conflicts);
            prop_assert_eq!(&merged, &x);
        }
    }

    #[test]
    fn diff_sees_a_change_exactly_when_there_is_one(
        edits in prop::collection::vec(change(), 0..12),
        side in 0usize..2,
    ) {
        let base = bundled();
        let mut x = base.clone();
        make(&mut x, &base, side, &edits);
        let found = changes(&base, &x, &mut |_: &Model, _: &_| Ok(0.5));
        prop_assert_eq!(found.is_empty(), x == base);
        // Every surviving threat whose likelihood moved is listed with that field.
        let threats = found.sections.iter().find(|s| s.title == "Threats");
        for t in &x.threats {
            let before = base.threats.iter().find(|b| b.id == t.id).expect("no threat added");
            if before.likelihood != t.likelihood {
                let listed = threats.and_then(|s| s.entries.iter().find(|e| e.id == t.id.as_str()));
                let has = listed.is_some_and(|e| e.fields.iter().any(|f| matches!(
                    f, Field::Value { field, .. } if field == "likelihood"
                )));
                prop_assert!(has, "{} not listed: {:?}", t.id, listed);
            }
        }
    }

    #[test]
    fn sides_that_changed_different_elements_merge_into_both(
        a in prop::collection::vec(change(), 0..10),
        b in prop::collection::vec(change(), 0..10),
    ) {
        let base = bundled();
        let (mut ours, mut theirs) = (base.clone(), base.clone());
        make(&mut ours, &base, 0, &a);
        make(&mut theirs, &base, 1, &b);
        let (merged, conflicts) = merge(Some(&base), &ours, &theirs).expect("merges");
        prop_assert!(conflicts.is_empty(), "{:?}", conflicts);
        prop_assert!(merged.validate().is_empty(), "{:?}", merged.validate());
        let mut both = ours.clone();
        make(&mut both, &base, 1, &b);
        prop_assert_eq!(normalised(merged), normalised(both));
    }
}
