//! The whole model as JSON, for other tools.

use crate::model::Model;

pub fn model(model: &Model) -> String {
    let mut s = serde_json::to_string_pretty(model)
        .unwrap_or_else(|e| unreachable!("a model always serializes to JSON: {e}"));
    s.push('\n');
    s
}
