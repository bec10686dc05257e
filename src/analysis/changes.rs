//! What changed between two versions of a model, as a reviewer reads a change: element by
//! element, field by field, with the consequences no single field shows: a threat's risk
//! level (its mitigations, or the matrix, may have moved it), the concrete suggestions the
//! design now raises or no longer does, and each fault tree's top-event probability.
//!
//! Fields are compared generically, through the model's own serde form: a field added to
//! the model is compared without being listed here, and names and values read as the RON
//! file writes them. Layout (positions, boundary areas) is not a change a review cares about.

use super::suggestions::{Suggestion, TakenUp, suggest, taken_up};
use crate::model::values::{
    POSITIONAL, child, field, id_of, is_scalar, is_variant, keyed, keys, serialized, show,
};
use crate::model::{FaultTree, Model, Threat};
use serde::Serialize;
use serde_json::{Map, Value};

/// Fields that only place an element on the canvas.
const LAYOUT: [&str; 2] = ["position", "area"];

/// The collections of the model compared element by element, keyed by id, with the title of
/// their section.
const COLLECTIONS: [(&str, &str); 8] = [
    ("components", "Components"),
    ("boundaries", "Boundaries"),
    ("flows", "Flows"),
    ("assets", "Assets"),
    ("actors", "Actors"),
    ("threats", "Threats"),
    ("mitigations", "Mitigations"),
    ("fault_trees", "Fault trees"),
];

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Changes {
    /// Sections with at least one entry, in the order of the model file.
    pub sections: Vec<Section>,
    /// Where the change makes things worse: a threat's risk level rose, a threat still open
    /// was removed, a top event became more probable, the design raises a concrete suggestion
    /// it did not before.
    pub increases: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    /// The model's field its entries come from (`threats`, as in the file and in a merge's
    /// paths), `model` for the model's own fields, `suggestions`, `dismissed`.
    pub key: &'static str,
    pub title: &'static str,
    pub entries: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub id: String,
    /// Its name, title or label, if it has one.
    pub name: String,
    pub change: Kind,
    /// What an added or removed element is (or was), in a few words.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub summary: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Added,
    Removed,
    Changed,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Field {
    /// A value that changed, both as the model file writes them ("—" for none).
    Value {
        field: String,
        old: String,
        new: String,
    },
    /// A list whose items changed (order aside): ids, tags, inputs.
    Items {
        field: String,
        added: Vec<String>,
        removed: Vec<String>,
    },
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.sections.is_empty()
    }
}

/// The changes from `old` to `new`. `top` gives a fault tree's top-event probability, or why
/// it cannot (the caller decides how hard to try).
pub fn changes(
    old: &Model,
    new: &Model,
    top: &mut dyn FnMut(&Model, &FaultTree) -> Result<f64, String>,
) -> Changes {
    let (a, b) = (serialized(old), serialized(new));
    let mut increases = Vec::new();
    let mut sections = Vec::new();
    let mut model = Vec::new();
    for key in keys(&a, &b) {
        let collection = COLLECTIONS.iter().any(|(k, _)| k == key);
        if !collection && !matches!(key.as_str(), "dismissed" | "format") {
            compare(key, field(&a, key), field(&b, key), &mut model);
        }
    }
    if !model.is_empty() {
        let entry = Entry {
            id: String::new(),
            name: new.name.clone(),
            change: Kind::Changed,
            summary: String::new(),
            fields: model,
        };
        sections.push(Section {
            key: "model",
            title: "Model",
            entries: vec![entry],
        });
    }
    for (key, title) in COLLECTIONS {
        let mut entries = elements(field(&a, key), field(&b, key));
        for e in &mut entries {
            e.summary = match e.change {
                Kind::Added => described(new, key, &e.id),
                Kind::Removed => described(old, key, &e.id),
                Kind::Changed => continue,
            };
        }
        match key {
            "threats" => threats(old, new, &mut entries, &mut increases),
            "fault_trees" => trees(old, new, &mut entries, top, &mut increases),
            _ => {}
        }
        if !entries.is_empty() {
            sections.push(Section {
                key,
                title,
                entries,
            });
        }
    }
    for (key, title, entries) in [
        (
            "suggestions",
            "Suggestions",
            suggestions(old, new, &mut increases),
        ),
        ("dismissed", "Dismissed suggestions", dismissals(old, new)),
    ] {
        if !entries.is_empty() {
            sections.push(Section {
                key,
                title,
                entries,
            });
        }
    }
    Changes {
        sections,
        increases,
    }
}

/// What element `id` of collection `key` is, in a few words: its kind, a flow's ends.
fn described(m: &Model, key: &str, id: &str) -> String {
    let name = |id: &crate::model::Id| m.name_or_id(id.as_str());
    match key {
        "components" => m.component(id).map(|c| c.kind.label().to_owned()),
        "boundaries" => m.boundary(id).map(|b| b.kind.label().to_owned()),
        "flows" => m
            .flow(id)
            .map(|f| format!("{} → {}", name(&f.source), name(&f.target))),
        "actors" => m.actor(id).map(|a| a.kind.label().to_owned()),
        "mitigations" => m.mitigation(id).map(|x| x.status.label().to_owned()),
        "assets" => m
            .assets
            .iter()
            .find(|a| a.id.as_str() == id)
            .map(|a| a.classification.label().to_owned()),
        _ => None,
    }
    .unwrap_or_default()
}

/// What an element is called: its name, title or label, else its ends (a flow).
fn name_of(v: &Value) -> String {
    ["name", "title", "label"]
        .iter()
        .find_map(|k| field(v, k).as_str().filter(|s| !s.is_empty()))
        .map(str::to_owned)
        .unwrap_or_else(|| match (field(v, "source"), field(v, "target")) {
            (Value::String(s), Value::String(t)) => format!("{s} → {t}"),
            _ => String::new(),
        })
}

/// One entry per element added, removed or changed: `b`'s order, then the removed ones.
fn elements(a: &Value, b: &Value) -> Vec<Entry> {
    let (a, b) = (
        a.as_array().map_or(&[][..], Vec::as_slice),
        b.as_array().map_or(&[][..], Vec::as_slice),
    );
    fn find<'v>(list: &'v [Value], id: &str) -> Option<&'v Value> {
        list.iter().find(|e| id_of(e) == id)
    }
    let mut entries = Vec::new();
    for e in b {
        let id = id_of(e);
        let (change, fields) = match find(a, &id) {
            None => (Kind::Added, Vec::new()),
            Some(before) => {
                let mut fields = Vec::new();
                compare("", before, e, &mut fields);
                if fields.is_empty() {
                    continue;
                }
                (Kind::Changed, fields)
            }
        };
        entries.push(Entry {
            id,
            name: name_of(e),
            change,
            summary: String::new(),
            fields,
        });
    }
    for e in a.iter().filter(|e| find(b, &id_of(e)).is_none()) {
        entries.push(Entry {
            id: id_of(e),
            name: name_of(e),
            change: Kind::Removed,
            summary: String::new(),
            fields: Vec::new(),
        });
    }
    entries
}

/// Appends what differs between `old` and `new` under `path`. A value one side leaves out
/// (serde skips defaults) compares as that default: no flag, no items, no text.
fn compare(path: &str, old: &Value, new: &Value, out: &mut Vec<Field>) {
    match (old, new) {
        _ if old == new => {}
        (Value::Object(a), Value::Object(b)) if !is_variant(a) && !is_variant(b) => {
            for key in keys(old, new) {
                if !LAYOUT.contains(&key.as_str()) {
                    compare(&child(path, key), field(old, key), field(new, key), out);
                }
            }
        }
        (Value::Object(m), Value::Null) if !is_variant(m) => {
            compare(path, old, &Value::Object(Map::new()), out)
        }
        (Value::Null, Value::Object(m)) if !is_variant(m) => {
            compare(path, &Value::Object(Map::new()), new, out)
        }
        (Value::Array(_), Value::Null) => compare(path, old, &Value::Array(Vec::new()), out),
        (Value::Null, Value::Array(_)) => compare(path, &Value::Array(Vec::new()), new, out),
        (Value::Array(a), Value::Array(b)) if keyed(a) && keyed(b) => {
            let (ids_a, ids_b): (Vec<String>, Vec<String>) =
                (a.iter().map(id_of).collect(), b.iter().map(id_of).collect());
            items(path, &ids_a, &ids_b, out);
            for e in b {
                let id = id_of(e);
                if let Some(before) = a.iter().find(|x| id_of(x) == id) {
                    compare(&format!("{path}[{id}]"), before, e, out);
                }
            }
        }
        (Value::Array(a), Value::Array(b))
            if a.iter().chain(b).all(is_scalar)
                && !POSITIONAL.iter().any(|p| path.starts_with(p)) =>
        {
            let plain = |v: &Value| v.as_str().map_or_else(|| show(v), str::to_owned);
            let show_all = |v: &[Value]| v.iter().map(plain).collect::<Vec<_>>();
            items(path, &show_all(a), &show_all(b), out);
        }
        _ => {
            let default = |v: &Value, other: &Value| match (v, other) {
                (Value::Null, Value::Bool(_)) => "no".to_owned(),
                _ => show(v),
            };
            out.push(Field::Value {
                field: path.to_owned(),
                old: default(old, new),
                new: default(new, old),
            });
        }
    }
}

/// Appends the items of `b` not in `a` and those of `a` not in `b`, if any: a list merely
/// reordered has not changed.
fn items(path: &str, a: &[String], b: &[String], out: &mut Vec<Field>) {
    let added: Vec<String> = b.iter().filter(|x| !a.contains(x)).cloned().collect();
    let removed: Vec<String> = a.iter().filter(|x| !b.contains(x)).cloned().collect();
    if !added.is_empty() || !removed.is_empty() {
        out.push(Field::Items {
            field: path.to_owned(),
            added,
            removed,
        });
    }
}

/// Adds each threat's risk level where it moved, and says what an added or removed threat is.
fn threats(old: &Model, new: &Model, entries: &mut Vec<Entry>, increases: &mut Vec<String>) {
    let described = |m: &Model, t: &Threat| {
        let decision = t
            .assessment
            .as_ref()
            .map_or("no decision", |a| a.decision.label());
        format!("{}, {}, {decision}", m.current_level(t), t.status.label())
    };
    for t in &new.threats {
        let Some(before) = old.threat(t.id.as_str()) else {
            if let Some(e) = entry(entries, t.id.as_str()) {
                e.summary = described(new, t);
            }
            continue;
        };
        let (was, now) = (old.current_level(before), new.current_level(t));
        if was == now {
            continue;
        }
        if now > was {
            increases.push(format!("threat {} ({}): risk {was} → {now}", t.id, t.title));
        }
        let field = Field::Value {
            field: "risk".to_owned(),
            old: was.to_string(),
            new: now.to_string(),
        };
        // Moved by a mitigation's status or the matrix, perhaps not by its own fields.
        add_field(entries, t.id.as_str(), &t.title, field);
    }
    for e in entries.iter_mut().filter(|e| e.change == Kind::Removed) {
        if let Some(t) = old.threat(&e.id) {
            e.summary = format!("was {}", described(old, t));
            // A risk no longer recorded is not a risk gone.
            if !t.status.is_closed() {
                increases.push(format!(
                    "threat {} ({}) removed while {} ({})",
                    t.id,
                    t.title,
                    t.status.label(),
                    old.current_level(t)
                ));
            }
        }
    }
}

/// Adds `field` to the entry of element `id`, which changes if it did not already.
fn add_field(entries: &mut Vec<Entry>, id: &str, name: &str, field: Field) {
    match entry(entries, id) {
        Some(e) => e.fields.push(field),
        None => entries.push(Entry {
            id: id.to_owned(),
            name: name.to_owned(),
            change: Kind::Changed,
            summary: String::new(),
            fields: vec![field],
        }),
    }
}

fn entry<'e>(entries: &'e mut [Entry], id: &str) -> Option<&'e mut Entry> {
    entries
        .iter_mut()
        .find(|e| e.id == id && e.change != Kind::Removed)
}

/// Adds each fault tree's top-event probability where it moved (a tree unchanged itself moves
/// with the threats its events stand for), and gives an added tree's.
fn trees(
    old: &Model,
    new: &Model,
    entries: &mut Vec<Entry>,
    top: &mut dyn FnMut(&Model, &FaultTree) -> Result<f64, String>,
    increases: &mut Vec<String>,
) {
    // A tree's probability follows from the trees, the calibration and the ratings of the
    // threats its events stand for: where none of them changed, nothing is solved (a large
    // tree takes seconds).
    let ratings = |m: &Model| -> Vec<_> {
        m.threats
            .iter()
            .map(|t| (t.id.clone(), m.current_rating(t)))
            .collect()
    };
    if old.fault_trees == new.fault_trees
        && old.calibration == new.calibration
        && ratings(old) == ratings(new)
    {
        return;
    }
    let shown = |p: &Result<f64, String>| match p {
        Ok(p) => format!("{p:.6e}"),
        Err(why) => format!("unknown ({why})"),
    };
    for t in &new.fault_trees {
        let now = top(new, t);
        let Some(before) = old.fault_trees.iter().find(|x| x.id == t.id) else {
            if let Some(e) = entry(entries, t.id.as_str()) {
                e.summary = format!("P(top) = {}", shown(&now));
            }
            continue;
        };
        let was = top(old, before);
        match (&was, &now) {
            (Ok(a), Ok(b)) if a == b => continue,
            // Nothing to compare: the tree's own changes, if any, say what there is.
            (Err(_), Err(_)) => continue,
            _ => {}
        }
        if let (Ok(a), Ok(b)) = (&was, &now)
            && b > a
        {
            increases.push(format!(
                "fault tree {} ({}): P(top) {a:.6e} → {b:.6e}",
                t.id, t.name
            ));
        }
        let field = Field::Value {
            field: "P(top)".to_owned(),
            old: shown(&was),
            new: shown(&now),
        };
        add_field(entries, t.id.as_str(), &t.name, field);
    }
}

/// The concrete suggestions (context rules and checklist answers, not the generic STRIDE
/// table) that the new version raises and the old did not, and the reverse: a design change
/// that resolves one, or a reviewer who took it up.
fn suggestions(old: &Model, new: &Model, increases: &mut Vec<String>) -> Vec<Entry> {
    let concrete = |m: &Model| -> Vec<Suggestion> {
        suggest(m).into_iter().filter(|s| !s.is_generic()).collect()
    };
    let (a, b) = (concrete(old), concrete(new));
    let same = |x: &Suggestion, y: &Suggestion| x.rule == y.rule && x.target == y.target;
    let mut entries = Vec::new();
    for s in b.iter().filter(|s| !a.iter().any(|x| same(x, s))) {
        increases.push(format!("suggested: {} ({})", s.title, s.target));
        entries.push(suggestion_entry(s, Kind::Added, format!("on {}", s.target)));
    }
    for s in a.iter().filter(|s| !b.iter().any(|x| same(x, s))) {
        entries.push(suggestion_entry(s, Kind::Removed, gone_because(new, s)));
    }
    entries
}

/// Why a suggestion is no longer offered in `m`.
fn gone_because(m: &Model, s: &Suggestion) -> String {
    match taken_up(m, s.rule, &s.target) {
        Some(TakenUp::Recorded(t)) => format!("on {}: recorded as threat {}", s.target, t.id),
        Some(TakenUp::Dismissed) => format!("on {}: dismissed", s.target),
        None => format!("on {}: no longer applies", s.target),
    }
}

fn suggestion_entry(s: &Suggestion, change: Kind, summary: String) -> Entry {
    Entry {
        id: s.rule.to_owned(),
        name: s.title.clone(),
        change,
        summary,
        fields: Vec::new(),
    }
}

/// Dismissals recorded or withdrawn, each known by its rule and target.
fn dismissals(old: &Model, new: &Model) -> Vec<Entry> {
    let key = |d: &crate::model::Dismissal| format!("{} {}", d.rule, d.target);
    let has = |m: &Model, k: &str| m.dismissed.iter().any(|d| key(d) == k);
    let entry = |d: &crate::model::Dismissal, change| Entry {
        id: key(d),
        name: d.reason.clone(),
        change,
        summary: String::new(),
        fields: Vec::new(),
    };
    let added = new.dismissed.iter().filter(|d| !has(old, &key(d)));
    let removed = old.dismissed.iter().filter(|d| !has(new, &key(d)));
    added
        .map(|d| entry(d, Kind::Added))
        .chain(removed.map(|d| entry(d, Kind::Removed)))
        .collect()
}
