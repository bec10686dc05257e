//! A model's serde form (`serde_json::Value`) walked generically, so that comparing and
//! merging versions covers every field, present or added later, and names fields and values
//! as the RON file writes them.

use super::Model;
use serde_json::{Map, Value};

/// Fields whose lists are read by position (a matrix row): compared and merged whole, not as
/// sets of items.
pub(crate) const POSITIONAL: [&str; 1] = ["risk_matrix"];

pub(crate) fn serialized(m: &Model) -> Value {
    serde_json::to_value(m).unwrap_or_else(|e| unreachable!("a model always serializes: {e}"))
}

/// The path of field `key` under `path`: `threats[t-3].likelihood`.
pub(crate) fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// The keys of two objects: `b`'s in order, then those only `a` has.
pub(crate) fn keys<'v>(a: &'v Value, b: &'v Value) -> Vec<&'v String> {
    let (a, b) = (object(a), object(b));
    let mut keys: Vec<&String> = b.keys().collect();
    keys.extend(a.keys().filter(|k| !b.contains_key(*k)));
    keys
}

fn object(v: &Value) -> &Map<String, Value> {
    static EMPTY: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);
    v.as_object().unwrap_or(&EMPTY)
}

pub(crate) fn field<'v>(v: &'v Value, key: &str) -> &'v Value {
    object(v).get(key).unwrap_or(&Value::Null)
}

/// An enum variant with data, as serde writes it: `{"Fixed": 0.1}`. Compared as one value.
pub(crate) fn is_variant(m: &Map<String, Value>) -> bool {
    m.len() == 1
        && m.keys()
            .all(|k| k.starts_with(|c: char| c.is_ascii_uppercase()))
}

/// A list of elements with ids, compared element by element.
pub(crate) fn keyed(v: &[Value]) -> bool {
    v.iter().all(|e| e.get("id").is_some_and(Value::is_string))
}

pub(crate) fn id_of(v: &Value) -> String {
    field(v, "id").as_str().unwrap_or_default().to_owned()
}

pub(crate) fn is_scalar(v: &Value) -> bool {
    !matches!(v, Value::Array(_) | Value::Object(_))
}

/// A value as the RON file writes it: `Fixed(0.1)`, `"api-gateway"`, `Jwt`, `true`.
pub(crate) fn show(v: &Value) -> String {
    match v {
        Value::Null => "—".to_owned(),
        Value::Bool(b) => if *b { "yes" } else { "no" }.to_owned(),
        // As RON writes a float: 1e-5, 0.0001, 3.0.
        Value::Number(n) if n.is_f64() => format!("{:?}", n.as_f64().unwrap_or_default()),
        Value::Number(n) => n.to_string(),
        Value::String(s) if s.is_empty() => "—".to_owned(),
        // A unit variant (`Jwt`, `Or`) reads as a word; any other text is quoted.
        Value::String(s) if is_variant_name(s) => s.clone(),
        Value::String(s) => format!("{s:?}"),
        Value::Array(a) => format!("[{}]", a.iter().map(show).collect::<Vec<_>>().join(", ")),
        Value::Object(m) if is_variant(m) => {
            let (k, v) = m.iter().next().unwrap_or_else(|| unreachable!("one key"));
            match v {
                Value::Object(fields) if !is_variant(fields) => format!("{k}{}", show(v)),
                _ => format!("{k}({})", show(v)),
            }
        }
        Value::Object(m) => {
            let fields: Vec<String> = m.iter().map(|(k, v)| format!("{k}: {}", show(v))).collect();
            format!("({})", fields.join(", "))
        }
    }
}

fn is_variant_name(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_uppercase()) && s.chars().all(|c| c.is_ascii_alphanumeric())
}
