//! OWASP Threat Dragon models (version 2 JSON) → model: actors, processes and stores become
//! components, flows flows, trust-boundary boxes boundaries around the components they
//! enclose, and each element's threats threats against it, with their mitigations.
//!
//! A model drawn on several diagrams becomes one: an element drawn on more than one of them
//! (the same name and kind), or a flow drawn again between the same two, is imported once,
//! and the import says so.
//!
//! What has no counterpart is said, not guessed: a trust-boundary curve is a line, not a
//! region, so it cannot say which components it encloses. Threat Dragon rates a threat by
//! severity alone; the import gives it the first rating, by likelihood Possible and then
//! by impact, that the model's risk matrix puts at that level.

use super::text::count;
use super::{Located, line_col};
use crate::model::{
    Boundary, BoundaryKind, Component, ComponentKind, Flow, Id, Impact, Likelihood, Mitigation,
    MitigationStatus, Model, Rating, RiskLevel, Stride, Threat, ThreatStatus, ops::unused_id,
};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// An imported model, what in the file it could not carry over, and what it read as one
/// element though drawn several times.
pub struct Imported {
    pub model: Model,
    pub skipped: Vec<String>,
    pub merged: Vec<String>,
}

/// A cell's box on Threat Dragon's canvas.
#[derive(Clone, Copy)]
struct Rect {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

impl Rect {
    fn of(cell: &Value) -> Option<Rect> {
        let n = |v: &Value, k: &str| v.get(k).and_then(Value::as_f64);
        let (p, s) = (cell.get("position")?, cell.get("size")?);
        Some(Rect {
            x: n(p, "x")?,
            y: n(p, "y")?,
            w: n(s, "width")?,
            h: n(s, "height")?,
        })
    }

    fn contains(&self, o: &Rect) -> bool {
        o.x >= self.x
            && o.y >= self.y
            && o.x + o.w <= self.x + self.w
            && o.y + o.h <= self.y + self.h
    }

    fn area(&self) -> f64 {
        self.w * self.h
    }

    /// Its centre, as an empty box: a component drawn across a boundary's edge belongs
    /// where most of it is.
    fn centre(&self) -> Rect {
        Rect {
            x: self.x + self.w / 2.0,
            y: self.y + self.h / 2.0,
            w: 0.0,
            h: 0.0,
        }
    }
}

fn text<'v>(v: &'v Value, path: &[&str]) -> &'v str {
    path.iter()
        .try_fold(v, |v, k| v.get(k))
        .and_then(Value::as_str)
        .unwrap_or("")
}

fn flag(data: &Value, key: &str) -> bool {
    data.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// A cell's name: its data's, else the text drawn on it; line breaks become spaces.
fn name_of(cell: &Value) -> String {
    let name = match text(cell, &["data", "name"]) {
        "" => text(cell, &["attrs", "text", "text"]),
        n => n,
    };
    name.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Reads a Threat Dragon version 2 model from `text` (the contents of `path`).
pub fn import(path: &Path, text: &str) -> Result<Imported, Located> {
    let at = |line: usize, col: usize, message: &str| Located::new(path, line, col, message);
    let root = super::json(path, text)?;
    let diagrams = root
        .pointer("/detail/diagrams")
        .and_then(Value::as_array)
        .ok_or_else(|| at(1, 1, "not a Threat Dragon model: no detail.diagrams"))?;
    if diagrams.iter().any(|d| d.get("diagramJson").is_some()) {
        let (line, col) = line_col(text, text.find("\"diagramJson\"").unwrap_or(0));
        return Err(at(
            line,
            col,
            "a Threat Dragon version 1 model: open it in Threat Dragon 2 and save it again",
        ));
    }
    let title = match self::text(&root, &["summary", "title"]) {
        "" => path
            .file_stem()
            .map_or("Imported".into(), |s| s.to_string_lossy().into()),
        t => t.to_owned(),
    };
    let mut b = Builder {
        model: Model::new(&title),
        skipped: Vec::new(),
        ids: HashMap::new(),
        taken: HashSet::new(),
        drawn: HashMap::new(),
        diagram: 0,
    };
    b.model.description = self::text(&root, &["summary", "description"]).to_owned();
    // Each cell with its diagram: coordinates compare only within one diagram.
    let in_diagrams: Vec<(usize, &Value)> = diagrams
        .iter()
        .enumerate()
        .filter_map(|(d, diagram)| Some((d, diagram.get("cells")?.as_array()?)))
        .flat_map(|(d, cells)| cells.iter().map(move |c| (d, c)))
        .collect();
    let cells: Vec<&Value> = in_diagrams.iter().map(|&(_, c)| c).collect();
    let mut boxes: Vec<Placed> = Vec::new();
    let mut placed: Vec<Placed> = Vec::new();
    for &(diagram, cell) in &in_diagrams {
        b.diagram = diagram;
        let shape = self::text(cell, &["shape"]);
        let kind = match shape {
            "actor" => Some(ComponentKind::ExternalEntity),
            "process" => Some(ComponentKind::Process),
            "store" => Some(ComponentKind::DataStore),
            _ => None,
        };
        if let Some(kind) = kind {
            let id = b.component(cell, kind);
            if let Some(r) = Rect::of(cell) {
                placed.push((id, diagram, r.centre()));
            }
        } else if shape == "trust-boundary-box" {
            let id = b.boundary_box(cell, boxes.len() + 1);
            if let Some(r) = Rect::of(cell) {
                boxes.push((id, diagram, r));
            }
        } else if shape == "trust-boundary-curve" {
            let name = match name_of(cell) {
                n if n.is_empty() => self::text(cell, &["id"]).to_owned(),
                n => format!("\"{n}\""),
            };
            b.skipped.push(format!(
                "trust-boundary curve {name}: a line encloses no components; draw the \
                 boundary again around them (b on the diagram)"
            ));
        }
    }
    for &(diagram, cell) in &in_diagrams {
        if self::text(cell, &["shape"]) == "flow" {
            b.diagram = diagram;
            b.flow(cell);
        }
    }
    for cell in &cells {
        b.threats(cell);
    }
    nest(&mut b.model, &boxes, &placed);
    let layout = crate::model::layout::auto_layout(&b.model);
    // Positions only: a layout edit of components that exist cannot fail.
    let _ = b.model.apply(&layout);
    let merged = b.merged(diagrams);
    Ok(Imported {
        model: b.model,
        skipped: b.skipped,
        merged,
    })
}

/// An element imported with a box: its id, the index of its diagram, its box there.
type Placed = (Id, usize, Rect);

/// Puts each component in the smallest boundary box of its diagram that encloses it, and each
/// box in the smallest larger box that encloses it. Each diagram has its own coordinates: a
/// box on one says nothing of what is drawn at the same place on another. A component drawn
/// on several diagrams goes in the box of the first drawing that has one: a diagram without
/// boxes says nothing of boundaries.
fn nest(model: &mut Model, boxes: &[Placed], placed: &[Placed]) {
    // A box's parent must be larger than it: two boxes drawn alike stay side by side
    // rather than each inside the other.
    let smallest = |d: usize, r: &Rect, larger: bool| {
        boxes
            .iter()
            .filter(|(_, bd, b)| *bd == d && b.contains(r) && (!larger || b.area() > r.area()))
            .min_by(|a, b| a.2.area().total_cmp(&b.2.area()))
            .map(|(id, _, _)| id.clone())
    };
    let mut inside: Vec<(Id, Id)> = Vec::new();
    for (id, d, r) in placed {
        if !inside.iter().any(|(c, _)| c == id)
            && let Some(b) = smallest(*d, r, false)
        {
            inside.push((id.clone(), b));
        }
    }
    // Members in the model's order of components.
    inside.sort_by_key(|(c, _)| model.components.iter().position(|x| x.id == *c));
    for b in &mut model.boundaries {
        b.members = inside
            .iter()
            .filter(|(_, box_id)| *box_id == b.id)
            .map(|(c, _)| c.clone())
            .collect();
        if let Some((_, d, r)) = boxes.iter().find(|(id, _, _)| *id == b.id) {
            b.parent = smallest(*d, r, true);
        }
    }
}

struct Builder {
    model: Model,
    skipped: Vec<String>,
    /// Our id of each Threat Dragon cell imported as a component or flow.
    ids: HashMap<String, Id>,
    /// Ids given so far (the model's own are checked too).
    taken: HashSet<Id>,
    /// Each element imported, by what identifies it across diagrams (kind and name of a
    /// component; source, target and label of a flow): its id, and the diagrams drawing it.
    drawn: HashMap<String, (Id, Vec<usize>)>,
    /// The diagram of the cells being read.
    diagram: usize,
}

impl Builder {
    /// An id from `name` that nothing in the model has yet.
    fn fresh(&mut self, name: &str) -> Id {
        let taken = &self.taken;
        let id = unused_id(&self.model, Id::slug(name), |i| taken.contains(i));
        self.taken.insert(id.clone());
        id
    }

    /// A trust-boundary box as a boundary, its members found later (`nest`); `nth` numbers
    /// one without a name.
    fn boundary_box(&mut self, cell: &Value, nth: usize) -> Id {
        let name = match name_of(cell) {
            n if n.is_empty() => format!("Trust boundary {nth}"),
            n => n,
        };
        let id = self.fresh(&name);
        self.model.boundaries.push(Boundary {
            id: id.clone(),
            name,
            // Threat Dragon does not say what kind of boundary it is.
            kind: BoundaryKind::Custom("trust boundary".into()),
            description: text(cell, &["data", "description"]).to_owned(),
            parent: None,
            members: Vec::new(),
            area: Default::default(),
        });
        id
    }

    /// The element drawn as `cell` under `key`, if another diagram drew it already: its id,
    /// now also the cell's. Otherwise `None`, and the caller imports it anew.
    fn drawn_before(&mut self, cell: &Value, key: String) -> Option<Id> {
        let (id, diagrams) = self.drawn.get_mut(&key)?;
        if diagrams.contains(&self.diagram) {
            // Two alike on one diagram are two elements; the later is not merged.
            return None;
        }
        diagrams.push(self.diagram);
        self.ids.insert(text(cell, &["id"]).to_owned(), id.clone());
        Some(id.clone())
    }

    /// Records that `key` names element `id`, drawn on the current diagram, unless it names
    /// one already (drawn twice on one diagram: other diagrams merge with the first).
    fn first_drawn(&mut self, key: String, id: &Id) {
        self.drawn
            .entry(key)
            .or_insert_with(|| (id.clone(), vec![self.diagram]));
    }

    /// The elements drawn on more than one diagram, in words, named after the diagrams'
    /// titles (or numbers).
    fn merged(&self, diagrams: &[Value]) -> Vec<String> {
        let title = |d: usize| match text(&diagrams[d], &["title"]) {
            "" => format!("diagram {}", d + 1),
            t => format!("\"{t}\""),
        };
        // In model order: components, then flows.
        let rank = |id: &Id| {
            let m = &self.model;
            m.components
                .iter()
                .position(|c| c.id == *id)
                .map(|i| (0, i))
                .or_else(|| m.flows.iter().position(|f| f.id == *id).map(|i| (1, i)))
        };
        let mut out: Vec<_> = self
            .drawn
            .values()
            .filter(|(_, on)| on.len() > 1)
            .map(|(id, on)| {
                let titles: Vec<String> = on.iter().map(|&d| title(d)).collect();
                let m = &self.model;
                let name = |c: &Id| m.name_or_id(c.as_str());
                let what = match (m.component(id.as_str()), m.flow(id.as_str())) {
                    (Some(c), _) => format!("{} \"{}\"", c.kind.label(), c.name),
                    (_, Some(f)) => format!(
                        "flow \"{}\" ({} → {})",
                        f.label,
                        name(&f.source),
                        name(&f.target)
                    ),
                    _ => id.to_string(),
                };
                let note = format!("{what} is drawn on {}: imported once", titles.join(", "));
                (rank(id), note)
            })
            .collect();
        out.sort();
        out.into_iter().map(|(_, s)| s).collect()
    }

    /// The component drawn as `cell`: a new one, or the one another diagram drew already
    /// (see `drawn_before`).
    fn component(&mut self, cell: &Value, kind: ComponentKind) -> Id {
        let name = match name_of(cell) {
            n if n.is_empty() => kind.label().to_owned(),
            n => n,
        };
        let key = format!("{}\u{0}{name}", kind.label());
        if let Some(id) = self.drawn_before(cell, key.clone()) {
            return id;
        }
        let id = self.fresh(&name);
        self.first_drawn(key, &id);
        let data = cell.get("data").unwrap_or(&Value::Null);
        let mut c = Component::new(id.clone(), name, kind);
        c.description = text(data, &["description"]).to_owned();
        c.stores_credentials = flag(data, "storesCredentials");
        c.is_log = flag(data, "isALog");
        c.encrypted_at_rest = kind == ComponentKind::DataStore && flag(data, "isEncrypted");
        if flag(data, "outOfScope") {
            c.out_of_scope = Some(match text(data, &["reasonOutOfScope"]) {
                "" => "out of scope in Threat Dragon".to_owned(),
                r => r.to_owned(),
            });
        }
        self.ids.insert(text(cell, &["id"]).to_owned(), id.clone());
        self.model.components.push(c);
        id
    }

    fn flow(&mut self, cell: &Value) {
        let name = name_of(cell);
        let end = |k: &str| self.ids.get(text(cell, &[k, "cell"])).cloned();
        let (Some(source), Some(target)) = (end("source"), end("target")) else {
            let lost = match cell.pointer("/data/threats").and_then(Value::as_array) {
                Some(t) if !t.is_empty() => format!(
                    " (nor {} recorded on it)",
                    count(t.len(), "threat", "threats")
                ),
                _ => String::new(),
            };
            self.skipped.push(format!(
                "flow \"{name}\": one of its ends is not on an actor, process or store{lost}"
            ));
            return;
        };
        let key = format!("{source}\u{0}{target}\u{0}{name}");
        if self.drawn_before(cell, key.clone()).is_some() {
            return;
        }
        let id = self.fresh(&format!("{} to {}", source, target));
        self.first_drawn(key, &id);
        let data = cell.get("data").unwrap_or(&Value::Null);
        let mut f = Flow::new(id.clone(), source, target, &name);
        f.protocol = text(data, &["protocol"]).to_owned();
        f.encrypted = flag(data, "isEncrypted");
        f.bidirectional = flag(data, "isBidirectional");
        f.description = text(data, &["description"]).to_owned();
        // A flow has no scope of its own here: the reason stays in its description.
        if flag(data, "outOfScope") {
            let why = match text(data, &["reasonOutOfScope"]) {
                "" => "Out of scope in Threat Dragon.".to_owned(),
                r => format!("Out of scope in Threat Dragon: {r}"),
            };
            f.description = [f.description.as_str(), &why]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join("\n");
        }
        self.ids.insert(text(cell, &["id"]).to_owned(), id);
        self.model.flows.push(f);
    }

    /// The threats recorded on a component or flow, each with its mitigation.
    fn threats(&mut self, cell: &Value) {
        let Some(target) = self.ids.get(text(cell, &["id"])).cloned() else {
            return;
        };
        let listed = cell.pointer("/data/threats").and_then(Value::as_array);
        for t in listed.into_iter().flatten() {
            let title = match text(t, &["title"]) {
                "" => "Untitled threat",
                s => s,
            };
            let id = self.fresh(title);
            let level = match text(t, &["severity"]).to_lowercase().as_str() {
                "critical" => RiskLevel::Critical,
                "high" => RiskLevel::High,
                "low" => RiskLevel::Low,
                _ => RiskLevel::Medium,
            };
            let r = rating_at(&self.model, level);
            let mut threat = Threat::new(id.clone(), title, r.likelihood, r.impact);
            threat.description = text(t, &["description"]).to_owned();
            threat.targets = vec![target.clone()];
            threat.stride = stride(text(t, &["type"])).into_iter().collect();
            threat.status = match text(t, &["status"]).to_lowercase().as_str() {
                "mitigated" => ThreatStatus::Mitigated,
                "na" | "n/a" | "not applicable" => ThreatStatus::NotApplicable,
                _ => ThreatStatus::Open,
            };
            let mitigation = text(t, &["mitigation"]).trim();
            if !mitigation.is_empty() {
                let m = self.fresh(&format!("{title} mitigation"));
                let first = mitigation.lines().next().unwrap_or(mitigation);
                self.model.mitigations.push(Mitigation {
                    id: m.clone(),
                    title: first.to_owned(),
                    description: mitigation.to_owned(),
                    status: if threat.status == ThreatStatus::Mitigated {
                        MitigationStatus::Implemented
                    } else {
                        MitigationStatus::Planned
                    },
                    owner: String::new(),
                    due: String::new(),
                });
                threat.mitigations.push(m);
            }
            self.model.threats.push(threat);
        }
    }
}

/// Threat Dragon's STRIDE threat types (other methods' types have no STRIDE letter).
fn stride(kind: &str) -> Option<Stride> {
    match kind.to_lowercase().as_str() {
        "spoofing" => Some(Stride::Spoofing),
        "tampering" => Some(Stride::Tampering),
        "repudiation" => Some(Stride::Repudiation),
        "information disclosure" => Some(Stride::InformationDisclosure),
        "denial of service" => Some(Stride::DenialOfService),
        "elevation of privilege" => Some(Stride::ElevationOfPrivilege),
        _ => None,
    }
}

/// The first rating, by likelihood Possible first and then by impact, that the model's risk
/// matrix puts at `level`; Possible × Moderate if none does.
fn rating_at(model: &Model, level: RiskLevel) -> Rating {
    let mut likelihoods = vec![Likelihood::Possible];
    likelihoods.extend(
        Likelihood::ALL
            .into_iter()
            .filter(|l| *l != Likelihood::Possible),
    );
    likelihoods
        .into_iter()
        .flat_map(|l| Impact::ALL.into_iter().map(move |i| Rating::new(l, i)))
        .find(|r| model.risk_matrix().level(*r) == level)
        .unwrap_or(Rating::new(Likelihood::Possible, Impact::Moderate))
}
