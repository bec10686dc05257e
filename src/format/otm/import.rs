//! OTM → model: any tool's OTM, with what it leaves open said; ours, whole.

use super::{DIAGRAM, OURS, level, threat_state};
use crate::format::Located;
use crate::model::{
    Asset, Boundary, BoundaryKind, Classification, Component, ComponentKind, Flow, Id, Impact,
    Likelihood, Mitigation, MitigationStatus, Model, Point, Stride, Threat, ThreatStatus,
    ops::unused_id,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

/// An imported model, and what the file holds that has no counterpart or was read by guess.
pub struct Imported {
    pub model: Model,
    pub notes: Vec<String>,
}

/// Whether JSON text is an OTM document rather than another tool's.
pub fn is_otm(root: &Value) -> bool {
    root.get("otmVersion").is_some()
}

fn text<'v>(v: &'v Value, key: &str) -> &'v str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn list<'v>(v: &'v Value, key: &str) -> &'v [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// Reads an OTM document (JSON) from `text`, the contents of `path`.
pub fn import(path: &Path, text: &str) -> Result<Imported, Located> {
    // OTM may also be written in YAML, which this reader does not parse: say how to convert.
    let yaml = !text.trim_start().starts_with('{')
        && text
            .lines()
            .any(|l| l.trim_start().starts_with("otmVersion:"));
    if yaml {
        return Err(Located::new(
            path,
            1,
            1,
            "an OTM document in YAML: threatloom reads OTM as JSON (convert it first, e.g. \
             `yq -o=json FILE > FILE.json`)",
        ));
    }
    let mut root = crate::format::json(path, text)?;
    if !is_otm(&root) {
        return Err(Located::new(
            path,
            1,
            1,
            "not an OTM document: no otmVersion",
        ));
    }
    let mut dropped = Vec::new();
    // An entry of a list of elements that is not an object describes nothing.
    for key in [
        "trustZones",
        "components",
        "dataflows",
        "threats",
        "mitigations",
        "assets",
    ] {
        if let Some(Value::Array(list)) = root.get_mut(key) {
            let before = list.len();
            list.retain(Value::is_object);
            if list.len() < before {
                dropped.push(format!(
                    "{} of {key} ignored: not objects",
                    before - list.len()
                ));
            }
        }
    }
    let project = root.get("project").unwrap_or(&Value::Null);
    let name = match self::text(project, "name") {
        "" => "Imported".to_owned(),
        n => n.to_owned(),
    };
    let mut r = Reader {
        model: Model::new(&name),
        notes: dropped,
        ids: HashMap::new(),
        taken: HashSet::new(),
        guessed: BTreeMap::new(),
    };
    r.model.description = self::text(project, "description").to_owned();
    // Ours: the model's other parts (actors, fault trees, matrix) come back whole.
    let own = project.pointer(&format!("/attributes/{OURS}"));
    let model = std::mem::take(&mut r.model);
    r.model = r.with_own(model, project);
    let zones = list(&root, "trustZones");
    let outside: HashSet<&str> = zones
        .iter()
        .filter(|z| z.pointer(&format!("/attributes/{OURS}/outside")) == Some(&Value::Bool(true)))
        .map(|z| self::text(z, "id"))
        .collect();
    // Ours carry placeholders; another tool's ratings mean something, and are lost.
    if zones
        .iter()
        .any(|z| z.pointer(&format!("/attributes/{OURS}")).is_none())
    {
        r.notes
            .push("trust ratings are not kept: threatloom's boundaries have none".to_owned());
    }
    for z in zones
        .iter()
        .filter(|z| !outside.contains(self::text(z, "id")))
    {
        r.zone(z);
    }
    for z in zones {
        let parent = z.pointer("/parent/trustZone").and_then(Value::as_str);
        if let (Some(me), Some(p)) = (
            r.ids.get(self::text(z, "id")),
            parent.and_then(|p| r.ids.get(p)),
        ) {
            let (me, p) = (me.clone(), p.clone());
            if let Some(b) = r.model.boundaries.iter_mut().find(|b| b.id == me) {
                b.parent = Some(p);
            }
        }
    }
    let components = list(&root, "components");
    for c in components {
        r.component(c);
    }
    // A component inside another component sits in its parent's zone.
    for c in components {
        r.place(c, components);
    }
    for f in list(&root, "dataflows") {
        r.flow(f);
    }
    for m in list(&root, "mitigations") {
        r.mitigation(m, &root);
    }
    for a in list(&root, "assets") {
        r.asset(a, components);
    }
    for t in list(&root, "threats") {
        r.threat(t, &root);
    }
    for (kind, types) in std::mem::take(&mut r.guessed) {
        r.notes.push(format!(
            "OTM component type{} {} read as {} {kind}",
            if types.len() == 1 { "" } else { "s" },
            types
                .iter()
                .map(|t| format!("\"{t}\""))
                .collect::<Vec<_>>()
                .join(", "),
            if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
                "an"
            } else {
                "a"
            },
        ));
    }
    let ours = root
        .pointer("/representations/0/id")
        .and_then(Value::as_str)
        == Some(DIAGRAM)
        && own.is_some();
    if !ours {
        // Another tool's coordinates are pixels, or absent: lay the diagram out anew.
        let layout = crate::model::layout::auto_layout(&r.model);
        let _ = r.model.apply(&layout);
    }
    Ok(Imported {
        model: r.model,
        notes: r.notes,
    })
}

struct Reader {
    model: Model,
    notes: Vec<String>,
    /// Our id of each OTM element id.
    ids: HashMap<String, Id>,
    taken: HashSet<Id>,
    /// OTM component types read by the words in them, by the kind they were read as.
    guessed: BTreeMap<&'static str, Vec<String>>,
}

impl Reader {
    /// Our id for an OTM element: its own when free, else one from its name.
    fn id(&mut self, otm: &Value, name: &str) -> Id {
        let own = text(otm, "id");
        let taken = &self.taken;
        let base = if own.is_empty() {
            Id::slug(name)
        } else {
            Id::new(own)
        };
        let id = unused_id(&self.model, base, |i| taken.contains(i));
        self.taken.insert(id.clone());
        self.ids.insert(own.to_owned(), id.clone());
        id
    }

    /// `typed`, with the fields kept in the element's `attributes.threatloom` over it.
    fn with_own<T: Serialize + DeserializeOwned>(&mut self, typed: T, otm: &Value) -> T {
        let Some(Value::Object(extra)) = otm.pointer(&format!("/attributes/{OURS}")) else {
            return typed;
        };
        let mut v = serde_json::to_value(&typed).unwrap_or(Value::Null);
        if let Value::Object(m) = &mut v {
            for (k, x) in extra {
                m.insert(k.clone(), x.clone());
            }
        }
        serde_json::from_value(v).unwrap_or_else(|e| {
            self.notes.push(format!(
                "{} \"{}\": attributes.{OURS} ignored: {e}",
                text(otm, "id"),
                text(otm, "name")
            ));
            typed
        })
    }

    fn position(otm: &Value) -> Option<(Point, i64, i64)> {
        let r = list(otm, "representations")
            .iter()
            .find(|r| text(r, "representation") == DIAGRAM)?;
        let n = |p: &str| r.pointer(p).and_then(Value::as_i64);
        Some((
            Point {
                x: n("/position/x")? as i32,
                y: n("/position/y")? as i32,
            },
            n("/size/width").unwrap_or(0),
            n("/size/height").unwrap_or(0),
        ))
    }

    fn zone(&mut self, z: &Value) {
        let name = text(z, "name").to_owned();
        let id = self.id(z, &name);
        let mut b = Boundary {
            id,
            name,
            kind: match text(z, "type") {
                "" => BoundaryKind::Custom("trust zone".into()),
                t => BoundaryKind::Custom(t.to_owned()),
            },
            description: text(z, "description").to_owned(),
            parent: None,
            members: Vec::new(),
            area: Default::default(),
        };
        if let Some((p, w, h)) = Self::position(z) {
            b.area.x = p.x;
            b.area.y = p.y;
            b.area.width = u16::try_from(w).unwrap_or(0);
            b.area.height = u16::try_from(h).unwrap_or(0);
        }
        let b = self.with_own(b, z);
        self.model.boundaries.push(b);
    }

    fn component(&mut self, c: &Value) {
        let name = text(c, "name").to_owned();
        let id = self.id(c, &name);
        let ty = text(c, "type");
        let kind = match ty {
            "process" => ComponentKind::Process,
            "data-store" => ComponentKind::DataStore,
            "external-entity" => ComponentKind::ExternalEntity,
            other => {
                let kind = kind_of_type(other);
                let seen = self.guessed.entry(kind.label()).or_default();
                if !seen.iter().any(|t| t == other) {
                    seen.push(other.to_owned());
                }
                kind
            }
        };
        let mut comp = Component::new(id, name, kind);
        comp.description = text(c, "description").to_owned();
        if let Some((p, _, _)) = Self::position(c) {
            comp.position = p;
        }
        let foreign = c.pointer(&format!("/attributes/{OURS}")).is_none();
        if foreign {
            // Another tool's tags say what it is built with.
            comp.tags = list(c, "tags")
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect();
        }
        let comp = self.with_own(comp, c);
        self.model.components.push(comp);
    }

    /// Puts a component in its trust zone (a nested component: its parent's).
    fn place(&mut self, c: &Value, all: &[Value]) {
        let Some(me) = self.ids.get(text(c, "id")).cloned() else {
            return;
        };
        let mut parent = c.get("parent");
        if let Some(pc) = parent
            .and_then(|p| p.get("component"))
            .and_then(Value::as_str)
        {
            self.notes.push(format!(
                "component \"{}\" is inside component {pc}: placed in its trust zone beside it",
                text(c, "name")
            ));
        }
        // Up the chain of parent components, a bounded walk (a cycle ends it).
        for _ in 0..all.len() {
            match parent
                .and_then(|p| p.get("component"))
                .and_then(Value::as_str)
            {
                Some(pc) => {
                    parent = all
                        .iter()
                        .find(|x| text(x, "id") == pc)
                        .and_then(|x| x.get("parent"))
                }
                None => break,
            }
        }
        let zone = parent
            .and_then(|p| p.get("trustZone"))
            .and_then(Value::as_str)
            .and_then(|z| self.ids.get(z))
            .cloned();
        if let Some(b) = zone.and_then(|z| self.model.boundaries.iter_mut().find(|b| b.id == z)) {
            b.members.push(me);
        }
    }

    fn flow(&mut self, f: &Value) {
        let label = text(f, "name").to_owned();
        let end = |k: &str| {
            self.ids
                .get(text(f, k))
                .filter(|id| self.model.component(id).is_some())
                .cloned()
        };
        let (Some(source), Some(target)) = (end("source"), end("destination")) else {
            self.notes.push(format!(
                "data flow \"{label}\": an end is not a component ({} → {})",
                text(f, "source"),
                text(f, "destination")
            ));
            return;
        };
        let id = self.id(f, &label);
        let mut flow = Flow::new(id, source, target, &label);
        flow.description = text(f, "description").to_owned();
        flow.bidirectional = f
            .get("bidirectional")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if f.pointer(&format!("/attributes/{OURS}")).is_none() {
            flow.protocol = list(f, "tags")
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(", ");
        }
        let flow = self.with_own(flow, f);
        self.model.flows.push(flow);
    }

    fn mitigation(&mut self, m: &Value, root: &Value) {
        let title = text(m, "name").to_owned();
        let id = self.id(m, &title);
        let own = text(m, "id");
        // The state another tool records on the elements: implemented anywhere is implemented.
        let states: Vec<&str> = instances(root)
            .flat_map(|i| list(i, "mitigations"))
            .filter(|x| text(x, "mitigation") == own)
            .map(|x| text(x, "state"))
            .collect();
        let status = if states.contains(&"implemented") {
            MitigationStatus::Implemented
        } else if states.contains(&"in-progress") {
            MitigationStatus::InProgress
        } else {
            MitigationStatus::Planned
        };
        let typed = Mitigation {
            id,
            title,
            description: text(m, "description").to_owned(),
            status,
            owner: String::new(),
            due: String::new(),
        };
        let mitigation = self.with_own(typed, m);
        self.model.mitigations.push(mitigation);
    }

    fn asset(&mut self, a: &Value, components: &[Value]) {
        let name = text(a, "name").to_owned();
        let id = self.id(a, &name);
        let own = text(a, "id");
        let c = a
            .pointer("/risk/confidentiality")
            .and_then(Value::as_f64)
            .unwrap_or(50.0);
        let classification = match c {
            x if x < 17.0 => Classification::Public,
            x if x < 50.0 => Classification::Internal,
            x if x < 84.0 => Classification::Confidential,
            _ => Classification::Secret,
        };
        let stored_in = components
            .iter()
            .filter(|c| {
                list(c.get("assets").unwrap_or(&Value::Null), "stored")
                    .iter()
                    .any(|s| s.as_str() == Some(own))
            })
            .filter_map(|c| self.ids.get(text(c, "id")).cloned())
            .collect();
        let typed = Asset {
            id,
            name,
            description: text(a, "description").to_owned(),
            classification,
            stored_in,
        };
        let asset = self.with_own(typed, a);
        self.model.assets.push(asset);
    }

    fn threat(&mut self, t: &Value, root: &Value) {
        let title = text(t, "name").to_owned();
        let id = self.id(t, &title);
        let own = text(t, "id");
        let risk = |k: &str| t.pointer(&format!("/risk/{k}")).and_then(Value::as_f64);
        let likelihood = match risk("likelihood") {
            Some(p) => Likelihood::ALL[level(p)],
            None => {
                self.notes.push(format!(
                    "threat \"{title}\" has no likelihood: rated Possible"
                ));
                Likelihood::Possible
            }
        };
        let impact = Impact::ALL[level(risk("impact").unwrap_or(50.0))];
        let mut threat = Threat::new(id, &title, likelihood, impact);
        threat.description = text(t, "description").to_owned();
        threat.stride = list(t, "categories")
            .iter()
            .filter_map(Value::as_str)
            .filter_map(stride)
            .collect();
        // Where it applies, with the state and mitigations recorded there.
        for element in elements(root) {
            for inst in list(element, "threats")
                .iter()
                .filter(|x| text(x, "threat") == own)
            {
                if let Some(target) = self.ids.get(text(element, "id"))
                    && !threat.targets.contains(target)
                {
                    threat.targets.push(target.clone());
                }
                threat.status = status(text(inst, "state")).unwrap_or(threat.status);
                for m in list(inst, "mitigations") {
                    if let Some(m) = self.ids.get(text(m, "mitigation"))
                        && !threat.mitigations.contains(m)
                    {
                        threat.mitigations.push(m.clone());
                    }
                }
            }
        }
        let threat = self.with_own(threat, t);
        self.model.threats.push(threat);
    }
}

/// Components and data flows: where threats are recorded.
fn elements(root: &Value) -> impl Iterator<Item = &Value> {
    list(root, "components")
        .iter()
        .chain(list(root, "dataflows"))
}

/// Every threat instance of every component and data flow.
fn instances(root: &Value) -> impl Iterator<Item = &Value> {
    elements(root).flat_map(|e| list(e, "threats"))
}

fn status(state: &str) -> Option<ThreatStatus> {
    ThreatStatus::ALL
        .into_iter()
        .find(|s| threat_state(*s) == state)
        .or(match state {
            "expose" | "open" => Some(ThreatStatus::Open),
            "mitigate" => Some(ThreatStatus::Mitigated),
            "accept" => Some(ThreatStatus::Accepted),
            "partly-mitigate" | "partly-mitigated" => Some(ThreatStatus::InProgress),
            "na" | "not-applicable" => Some(ThreatStatus::NotApplicable),
            _ => None,
        })
}

fn stride(category: &str) -> Option<Stride> {
    let c = category.to_lowercase();
    Stride::ALL.into_iter().find(|s| {
        s.label().to_lowercase() == c
            || c.len() == 1 && c.starts_with(s.letter().to_ascii_lowercase())
    })
}

/// The kind of component an OTM type (free text, e.g. `web-service`, `rds`,
/// `generic-client`) most likely names: stores and clients by the words in it, else a process.
pub(super) fn kind_of_type(ty: &str) -> ComponentKind {
    const STORES: [&str; 14] = [
        "database", "db", "store", "storage", "bucket", "s3", "rds", "dynamodb", "table", "queue",
        "cache", "log", "vault", "secret",
    ];
    const ENTITIES: [&str; 8] = [
        "client",
        "user",
        "browser",
        "actor",
        "external",
        "third-party",
        "mobile",
        "person",
    ];
    let words: Vec<String> = ty
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .flat_map(|w| {
            let mut parts: Vec<String> = w.split('-').map(str::to_owned).collect();
            parts.push(w.to_owned());
            parts
        })
        .collect();
    let has = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    if has(&STORES) {
        ComponentKind::DataStore
    } else if has(&ENTITIES) {
        ComponentKind::ExternalEntity
    } else {
        ComponentKind::Process
    }
}
