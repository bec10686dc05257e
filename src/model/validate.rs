//! Model validation: every problem at once, each naming the element it is in.

use super::{Distribution, GateKind, Id, Model, Probability};
use std::collections::HashMap;
use std::fmt;

/// Where a problem is, so a file loader can point at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Site {
    /// The `nth` definition (from 0) of the element with this id.
    Element { id: Id, nth: usize },
    /// A top-level field of the model.
    Field(&'static str),
}

/// One thing wrong with a model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub site: Site,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Component,
    Boundary,
    Flow,
    Asset,
    Actor,
    Threat,
    Mitigation,
    FaultTree,
    Gate,
    BasicEvent,
    HouseEvent,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::Component => "component",
            Kind::Boundary => "boundary",
            Kind::Flow => "flow",
            Kind::Asset => "asset",
            Kind::Actor => "actor",
            Kind::Threat => "threat",
            Kind::Mitigation => "mitigation",
            Kind::FaultTree => "fault tree",
            Kind::Gate => "gate",
            Kind::BasicEvent => "basic event",
            Kind::HouseEvent => "house event",
        }
    }
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

struct Checker<'m> {
    ids: HashMap<&'m str, Kind>,
    /// How many times each id was defined so far, to point at the right duplicate.
    seen: HashMap<&'m str, usize>,
    problems: Vec<Problem>,
}

impl<'m> Checker<'m> {
    fn report(&mut self, at: &Id, message: String) {
        let nth = self
            .seen
            .get(at.as_str())
            .map_or(0, |n| n.saturating_sub(1));
        self.problems.push(Problem {
            site: Site::Element {
                id: at.clone(),
                nth,
            },
            message,
        });
    }

    fn declare(&mut self, id: &'m Id, kind: Kind) {
        *self.seen.entry(id.as_str()).or_default() += 1;
        if id.as_str().is_empty() {
            self.report(id, format!("{} with an empty id", kind.label()));
        }
        if let Some(first) = self.ids.get(id.as_str()) {
            let message = if *first == kind {
                format!("duplicate id \"{id}\": two {}s share it", kind.label())
            } else {
                format!(
                    "duplicate id \"{id}\": a {} and a {} share it",
                    first.label(),
                    kind.label()
                )
            };
            self.report(id, message);
        } else {
            self.ids.insert(id.as_str(), kind);
        }
    }

    /// Reports `reference` unless it names an element of one of the `expected` kinds.
    fn expect(&mut self, owner: (Kind, &Id), field: &str, reference: &Id, expected: &[Kind]) {
        if self
            .ids
            .get(reference.as_str())
            .is_some_and(|k| expected.contains(k))
        {
            return;
        }
        let wanted: Vec<&str> = expected.iter().map(|k| k.label()).collect();
        let wanted = match wanted.as_slice() {
            [one] => format!("{} {one}", article(one)),
            [first, .., last] => format!(
                "{} {} or {last}",
                article(first),
                wanted[..wanted.len() - 1].join(", ")
            ),
            [] => String::new(),
        };
        let message = format!(
            "{} \"{}\": {field} \"{reference}\" is not {wanted}",
            owner.0.label(),
            owner.1
        );
        self.report(owner.1, message);
    }

    fn probability(&mut self, owner: (Kind, &Id), what: &str, p: f64) {
        if !(0.0..=1.0).contains(&p) {
            let message = format!(
                "{} \"{}\": {what} {p} is outside [0, 1]",
                owner.0.label(),
                owner.1
            );
            self.report(owner.1, message);
        }
    }
}

pub(super) fn validate(m: &Model) -> Vec<Problem> {
    let mut c = Checker {
        ids: HashMap::new(),
        seen: HashMap::new(),
        problems: Vec::new(),
    };
    declare_all(&mut c, m);
    check_elements(&mut c, m);
    check_threats(&mut c, m);
    check_dates(&mut c, m);
    check_positions(&mut c, m);
    check_fault_trees(&mut c, m);
    c.problems
}

fn declare_all<'m>(c: &mut Checker<'m>, m: &'m Model) {
    m.components
        .iter()
        .for_each(|x| c.declare(&x.id, Kind::Component));
    m.boundaries
        .iter()
        .for_each(|x| c.declare(&x.id, Kind::Boundary));
    m.flows.iter().for_each(|x| c.declare(&x.id, Kind::Flow));
    m.assets.iter().for_each(|x| c.declare(&x.id, Kind::Asset));
    m.actors.iter().for_each(|x| c.declare(&x.id, Kind::Actor));
    m.threats
        .iter()
        .for_each(|x| c.declare(&x.id, Kind::Threat));
    m.mitigations
        .iter()
        .for_each(|x| c.declare(&x.id, Kind::Mitigation));
    for t in &m.fault_trees {
        c.declare(&t.id, Kind::FaultTree);
        t.gates.iter().for_each(|x| c.declare(&x.id, Kind::Gate));
        t.events
            .iter()
            .for_each(|x| c.declare(&x.id, Kind::BasicEvent));
        t.house_events
            .iter()
            .for_each(|x| c.declare(&x.id, Kind::HouseEvent));
    }
}

fn check_elements(c: &mut Checker<'_>, m: &Model) {
    for f in &m.flows {
        c.expect((Kind::Flow, &f.id), "source", &f.source, &[Kind::Component]);
        c.expect((Kind::Flow, &f.id), "target", &f.target, &[Kind::Component]);
    }
    let mut member_of: HashMap<&str, &Id> = HashMap::new();
    for b in &m.boundaries {
        if let Some(p) = &b.parent {
            c.expect((Kind::Boundary, &b.id), "parent", p, &[Kind::Boundary]);
        }
        for member in &b.members {
            c.expect(
                (Kind::Boundary, &b.id),
                "member",
                member,
                &[Kind::Component],
            );
            if let Some(first) = member_of.insert(member.as_str(), &b.id) {
                let message = format!(
                    "component \"{member}\" is in two boundaries: \"{first}\" and \"{}\"",
                    b.id
                );
                c.report(&b.id, message);
            }
        }
    }
    check_boundary_nesting(c, m);
    for a in &m.assets {
        for s in &a.stored_in {
            c.expect((Kind::Asset, &a.id), "stored_in", s, &[Kind::Component]);
        }
    }
}

fn check_boundary_nesting(c: &mut Checker<'_>, m: &Model) {
    let mut reported: Vec<&Id> = Vec::new();
    for start in &m.boundaries {
        let mut path = vec![&start.id];
        let mut next = start.parent.as_ref();
        while let Some(p) = next {
            if reported.contains(&p) {
                break;
            }
            if let Some(pos) = path.iter().position(|x| *x == p) {
                let cycle: Vec<&str> = path[pos..]
                    .iter()
                    .chain(std::iter::once(&p))
                    .map(|x| x.as_str())
                    .collect();
                reported.extend(path[pos..].iter().copied());
                let message = format!("boundaries nest in a cycle: {}", cycle.join(" -> "));
                c.report(p, message);
                break;
            }
            path.push(p);
            next = m.boundary(p.as_str()).and_then(|b| b.parent.as_ref());
        }
    }
}

fn check_threats(c: &mut Checker<'_>, m: &Model) {
    for t in &m.threats {
        let owner = (Kind::Threat, &t.id);
        for x in &t.targets {
            c.expect(
                owner,
                "target",
                x,
                &[Kind::Component, Kind::Flow, Kind::Asset],
            );
        }
        for x in &t.actors {
            c.expect(owner, "actor", x, &[Kind::Actor]);
        }
        for x in &t.mitigations {
            c.expect(owner, "mitigation", x, &[Kind::Mitigation]);
        }
        if let Some(a) = &t.assessment {
            for (what, v) in [
                ("cost_to_fix", a.cost_to_fix),
                ("expected_loss", a.expected_loss),
            ] {
                if v.is_some_and(|v| !(v >= 0.0 && v.is_finite())) {
                    c.report(
                        &t.id,
                        format!("threat \"{}\": {what} must be a finite amount ≥ 0", t.id),
                    );
                }
            }
        }
    }
    for (l, p) in m.calibration.entries() {
        if !(0.0..=1.0).contains(&p) {
            c.problems.push(Problem {
                site: Site::Field("calibration"),
                message: format!("calibration: probability {p} for {l} is outside [0, 1]"),
            });
        }
    }
}

/// Every date a model holds is a day: a mitigation's `due`, a decision's `review_by`, a
/// flow's `reviewed_on`.
fn check_dates(c: &mut Checker<'_>, m: &Model) {
    let dates = m
        .mitigations
        .iter()
        .map(|x| (&x.id, "mitigation", "due", &x.due))
        .chain(m.threats.iter().filter_map(|t| {
            let a = t.assessment.as_ref()?;
            Some((&t.id, "threat", "review_by", &a.review_by))
        }))
        .chain(
            m.flows
                .iter()
                .map(|f| (&f.id, "flow", "reviewed_on", &f.reviewed_on)),
        );
    for (id, kind, field, date) in dates.filter(|d| !d.3.is_empty()) {
        if let Err(e) = date.parse::<super::Date>() {
            c.report(id, format!("{kind} \"{id}\": {field} {e}"));
        }
    }
}

/// How far from the origin a box or an empty boundary may stand, each way: room for any
/// diagram, while the lines and frames between far-apart boxes stay cheap to draw.
const CANVAS: u32 = 100_000;

/// Every box and every boundary's stored area is on the canvas (`CANVAS`).
fn check_positions(c: &mut Checker<'_>, m: &Model) {
    let places = (m.components.iter())
        .map(|x| (&x.id, "component", x.position.x, x.position.y))
        .chain((m.boundaries.iter()).map(|b| (&b.id, "boundary", b.area.x, b.area.y)));
    for (id, kind, x, y) in places {
        if x.unsigned_abs() > CANVAS || y.unsigned_abs() > CANVAS {
            let message = format!(
                "{kind} \"{id}\": position ({x}, {y}) is off the canvas (each coordinate \
                 runs from -{CANVAS} to {CANVAS})"
            );
            c.report(id, message);
        }
    }
}

fn check_fault_trees(c: &mut Checker<'_>, m: &Model) {
    let nodes = [Kind::Gate, Kind::BasicEvent, Kind::HouseEvent];
    for t in &m.fault_trees {
        c.expect((Kind::FaultTree, &t.id), "top", &t.top, &nodes);
        for g in &t.gates {
            let owner = (Kind::Gate, &g.id);
            for i in &g.inputs {
                c.expect(owner, "input", i, &nodes);
            }
            check_arity(c, g.kind, &g.id, g.inputs.len());
        }
        for e in &t.events {
            let owner = (Kind::BasicEvent, &e.id);
            match &e.probability {
                Probability::Fixed(p) => c.probability(owner, "probability", *p),
                Probability::Rate {
                    lambda,
                    mission_time,
                } => {
                    if !(*lambda >= 0.0
                        && lambda.is_finite()
                        && *mission_time >= 0.0
                        && mission_time.is_finite())
                    {
                        let message = format!(
                            "basic event \"{}\": failure rate and mission time must be finite and ≥ 0",
                            e.id
                        );
                        c.report(&e.id, message);
                    }
                }
                Probability::Threat(x) => c.expect(owner, "threat", x, &[Kind::Threat]),
            }
            if let Some(d) = &e.uncertainty {
                check_distribution(c, &e.id, d);
            }
        }
    }
    check_cycles(c, m);
}

fn check_arity(c: &mut Checker<'_>, kind: GateKind, id: &Id, n: usize) {
    if let GateKind::Vote(k) = kind {
        if k == 0 {
            c.report(id, format!("gate \"{id}\": a vote needs k ≥ 1"));
        } else if k as usize > n {
            c.report(
                id,
                format!("gate \"{id}\": vote needs {k} of {n} inputs (k > n)"),
            );
        }
        return;
    }
    let (min, max) = kind.arity();
    let fits = n >= min && max.is_none_or(|max| n <= max);
    if !fits {
        let wanted = match max {
            Some(max) if max == min => format!("exactly {min}"),
            _ => format!("at least {min}"),
        };
        let message = format!(
            "gate \"{id}\": {} takes {wanted} input{}, has {n}",
            kind.label(),
            if min == 1 { "" } else { "s" }
        );
        c.report(id, message);
    }
}

fn check_distribution(c: &mut Checker<'_>, id: &Id, d: &Distribution) {
    if !d.valid() {
        c.report(
            id,
            format!("basic event \"{id}\": uncertainty parameters are out of range ({d:?})"),
        );
    }
}

/// Finds one cycle among gates (across trees) and reports it as a path of ids.
fn check_cycles(c: &mut Checker<'_>, m: &Model) {
    let gates: HashMap<&str, &[Id]> = m
        .fault_trees
        .iter()
        .flat_map(|t| &t.gates)
        .map(|g| (g.id.as_str(), g.inputs.as_slice()))
        .collect();
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    let mut marks: HashMap<&str, Mark> = HashMap::new();
    for root in m.fault_trees.iter().flat_map(|t| &t.gates) {
        if marks.contains_key(root.id.as_str()) {
            continue;
        }
        // Iterative DFS: (gate, next input index); the stack is the current path.
        let mut stack: Vec<(&str, usize)> = vec![(root.id.as_str(), 0)];
        marks.insert(root.id.as_str(), Mark::Open);
        while let Some(&mut (gate, ref mut next)) = stack.last_mut() {
            let inputs = gates.get(gate).copied().unwrap_or_default();
            if let Some(input) = inputs.get(*next) {
                *next += 1;
                let input = input.as_str();
                if !gates.contains_key(input) {
                    continue;
                }
                match marks.get(input) {
                    Some(Mark::Open) => {
                        let start = stack.iter().position(|(g, _)| *g == input).unwrap_or(0);
                        let mut path: Vec<&str> = stack[start..].iter().map(|(g, _)| *g).collect();
                        path.push(input);
                        let message = format!("fault trees contain a cycle: {}", path.join(" -> "));
                        c.report(&Id::new(input), message);
                        return;
                    }
                    Some(Mark::Done) => {}
                    None => {
                        marks.insert(input, Mark::Open);
                        stack.push((input, 0));
                    }
                }
            } else {
                marks.insert(gate, Mark::Done);
                stack.pop();
            }
        }
    }
}
