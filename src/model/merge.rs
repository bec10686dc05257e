//! Three-way merge of model versions, element by element and field by field: what one side
//! changed and the other did not is taken, elements are matched by id wherever they sit in
//! their lists, and lists of ids (members, targets, inputs) merge as sets. Only the same field
//! changed both ways, or an element deleted on one side and edited on the other, is a
//! conflict: the result keeps ours there (an element edited by theirs and deleted by us is
//! kept, so that nothing is lost), and the conflict says what each side had.

use super::Model;
use super::values::{
    POSITIONAL, child, field, id_of, is_scalar, is_variant, keyed, keys, serialized, show,
};
use serde_json::{Map, Value};

/// A field both sides changed, differently, with the three values as the file writes them.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// `threats[t-3].likelihood`
    pub path: String,
    pub base: String,
    pub ours: String,
    pub theirs: String,
    /// What the merged model holds.
    pub kept: &'static str,
}

impl std::fmt::Display for Conflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: base {}, ours {}, theirs {} (kept {})",
            self.path, self.base, self.ours, self.theirs, self.kept
        )
    }
}

/// The merged model, and the conflicts it settled by keeping ours. `base` is `None` when the
/// two sides have no common version (both added the file).
pub fn merge(
    base: Option<&Model>,
    ours: &Model,
    theirs: &Model,
) -> Result<(Model, Vec<Conflict>), String> {
    let base = base.map_or(Value::Null, serialized);
    let mut conflicts = Vec::new();
    let merged = value(
        "",
        &base,
        &serialized(ours),
        &serialized(theirs),
        &mut conflicts,
    );
    let mut model: Model = serde_json::from_value(merged)
        .map_err(|e| format!("the merged model does not read back: {e}"))?;
    // A review is of the flow its side had: one that neither side had with what the merge
    // made of the flow (the other side changed its encryption, say) is withdrawn, as the
    // same change made in the editor would withdraw it.
    for f in model.flows.iter_mut().filter(|f| f.reviewed()) {
        let had = |side: &Model| side.flow(f.id.as_str()).is_some_and(|s| s.reviewed_as(f));
        if !had(ours) && !had(theirs) {
            f.withdraw_review();
        }
    }
    Ok((model, conflicts))
}

/// Values one side leaves out (serde skips defaults) merge as that default.
fn or_empty<'v>(v: &'v Value, like: &Value, empty: &'v Value) -> &'v Value {
    match (v, like) {
        (Value::Null, Value::Object(m)) if !is_variant(m) => empty,
        (Value::Null, Value::Array(_)) => empty,
        _ => v,
    }
}

fn value(path: &str, base: &Value, ours: &Value, theirs: &Value, out: &mut Vec<Conflict>) -> Value {
    if ours == theirs || theirs == base {
        return ours.clone();
    }
    if ours == base {
        return theirs.clone();
    }
    let like = if ours.is_null() { theirs } else { ours };
    let (empty_map, empty_list) = (Value::Object(Map::new()), Value::Array(Vec::new()));
    let empty = if like.is_array() {
        &empty_list
    } else {
        &empty_map
    };
    let (b, o, t) = (
        or_empty(base, like, empty),
        or_empty(ours, like, empty),
        or_empty(theirs, like, empty),
    );
    match (b, o, t) {
        (Value::Object(_), Value::Object(m), Value::Object(n))
            if !is_variant(m) && !is_variant(n) =>
        {
            let mut merged = Map::new();
            for key in keys(t, o) {
                let v = value(
                    &child(path, key),
                    field(b, key),
                    field(o, key),
                    field(t, key),
                    out,
                );
                // A field left out by a side stays out when it merges to nothing.
                if !v.is_null() || (o.get(key).is_some() && t.get(key).is_some()) {
                    merged.insert(key.clone(), v);
                }
            }
            Value::Object(merged)
        }
        (Value::Array(x), Value::Array(y), Value::Array(z)) if keyed(x) && keyed(y) && keyed(z) => {
            Value::Array(elements(path, x, y, z, out))
        }
        (Value::Array(x), Value::Array(y), Value::Array(z))
            if x.iter().chain(y).chain(z).all(is_scalar)
                && !POSITIONAL.iter().any(|p| path.starts_with(p)) =>
        {
            // Ours, with what theirs added and without what theirs removed.
            let mut merged: Vec<Value> = y
                .iter()
                .filter(|v| !x.contains(v) || z.contains(v))
                .cloned()
                .collect();
            merged.extend(
                z.iter()
                    .filter(|v| !x.contains(v) && !y.contains(v))
                    .cloned(),
            );
            Value::Array(merged)
        }
        _ => {
            out.push(Conflict {
                path: path.to_owned(),
                base: show(base),
                ours: show(ours),
                theirs: show(theirs),
                kept: "ours",
            });
            ours.clone()
        }
    }
}

/// Elements with ids: ours in our order, theirs' new ones after the element they follow in
/// theirs; each kept element merged field by field.
fn elements(
    path: &str,
    base: &[Value],
    ours: &[Value],
    theirs: &[Value],
    out: &mut Vec<Conflict>,
) -> Vec<Value> {
    let find = |list: &[Value], id: &str| list.iter().find(|e| id_of(e) == id).cloned();
    let mut order: Vec<String> = ours.iter().map(id_of).collect();
    let mut after = 0;
    for e in theirs {
        let id = id_of(e);
        if let Some(i) = order.iter().position(|x| *x == id) {
            after = i + 1;
        } else if find(base, &id).as_ref() != Some(e) {
            // Added by theirs, or edited by theirs where ours deleted it.
            order.insert(after, id);
            after += 1;
        }
    }
    let mut merged = Vec::new();
    for id in order {
        let here = format!("{path}[{id}]");
        let (b, o, t) = (find(base, &id), find(ours, &id), find(theirs, &id));
        match (b, o, t) {
            (b, Some(o), Some(t)) => {
                merged.push(value(&here, &b.unwrap_or(Value::Null), &o, &t, out));
            }
            // Deleted by theirs: gone, unless ours edited it.
            (Some(b), Some(o), None) => {
                if b != o {
                    out.push(deleted(&here, false));
                    merged.push(o);
                }
            }
            (None, Some(o), None) => merged.push(o),
            // Edited by theirs, deleted by ours (placed above only then), or added by theirs.
            (b, None, Some(t)) => {
                if b.is_some() {
                    out.push(deleted(&here, true));
                }
                merged.push(t);
            }
            (_, None, None) => {}
        }
    }
    merged
}

/// An element one side deleted and the other edited; the edited one is kept.
fn deleted(path: &str, by_ours: bool) -> Conflict {
    let (ours, theirs, kept) = if by_ours {
        ("deleted", "edited", "theirs' edited element")
    } else {
        ("edited", "deleted", "ours")
    };
    Conflict {
        path: path.to_owned(),
        base: "present".to_owned(),
        ours: ours.to_owned(),
        theirs: theirs.to_owned(),
        kept,
    }
}
