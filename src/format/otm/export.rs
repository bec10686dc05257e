//! Model → OTM: what OTM says natively, and the rest of each element in its
//! `attributes.threatloom`.

use super::{
    BOUNDARY_TRUST, DIAGRAM, OURS, OUTSIDE, OUTSIDE_TRUST, VERSION, kind_type, mitigation_state,
    percent, threat_state,
};
use crate::model::layout::{BOX_HEIGHT, BOX_WIDTH};
use crate::model::{Classification, Id, Impact, Likelihood, Model, Point};
use serde::Serialize;
use serde_json::{Value, json};

/// An element's fields other than `native`, which OTM carries itself, as its attributes.
fn attributes<T: Serialize>(element: &T, native: &[&str]) -> Value {
    let Ok(Value::Object(mut all)) = serde_json::to_value(element) else {
        unreachable!("model elements serialize to objects")
    };
    all.retain(|k, _| !native.contains(&k.as_str()));
    if all.is_empty() {
        Value::Null
    } else {
        json!({ OURS: all })
    }
}

/// The model as OTM JSON.
pub fn export(model: &Model) -> String {
    let at = |id: &Id, p: Point, w: i32, h: i32| {
        json!([{ "representation": DIAGRAM, "id": format!("{id}-box"),
                 "position": { "x": p.x, "y": p.y }, "size": { "width": w, "height": h } }])
    };
    let mut zones: Vec<Value> = model
        .boundaries
        .iter()
        .map(|b| {
            let mut z = json!({
                "id": b.id, "name": b.name, "type": b.kind.label(),
                "description": b.description,
                "risk": { "trustRating": BOUNDARY_TRUST },
                "representations": at(&b.id, Point { x: b.area.x, y: b.area.y },
                    i32::from(b.area.width), i32::from(b.area.height)),
                "attributes": attributes(b, &["id", "name", "description", "parent", "members", "area"]),
            });
            if let Some(p) = &b.parent {
                z["parent"] = json!({ "trustZone": p });
            }
            z
        })
        .collect();
    if model
        .components
        .iter()
        .any(|c| model.boundary_of(&c.id).is_none())
    {
        zones.push(json!({
            "id": OUTSIDE, "name": "Outside every trust boundary",
            "risk": { "trustRating": OUTSIDE_TRUST },
            "attributes": { OURS: { "outside": true } },
        }));
    }
    let instances = |target: &Id| -> Vec<Value> {
        model
            .threats
            .iter()
            .filter(|t| t.targets.contains(target))
            .map(|t| {
                let mitigations: Vec<Value> = t
                    .mitigations
                    .iter()
                    .filter_map(|m| model.mitigation(m))
                    .map(|m| json!({ "mitigation": m.id, "state": mitigation_state(m.status) }))
                    .collect();
                json!({ "threat": t.id, "state": threat_state(t.status), "mitigations": mitigations })
            })
            .collect()
    };
    let components: Vec<Value> = model
        .components
        .iter()
        .map(|c| {
            let zone = model.boundary_of(&c.id).map_or(OUTSIDE, |b| b.id.as_str());
            let stored: Vec<&Id> = model
                .assets
                .iter()
                .filter(|a| a.stored_in.contains(&c.id))
                .map(|a| &a.id)
                .collect();
            json!({
                "id": c.id, "name": c.name, "type": kind_type(c.kind),
                "description": c.description,
                "parent": { "trustZone": zone },
                "tags": tags(&c.technology, &c.tags),
                "representations": at(&c.id, c.position, BOX_WIDTH, BOX_HEIGHT),
                "assets": if stored.is_empty() { Value::Null } else { json!({ "stored": stored }) },
                "threats": instances(&c.id),
                "attributes": attributes(c, &["id", "name", "kind", "description", "position"]),
            })
        })
        .collect();
    let dataflows: Vec<Value> = model
        .flows
        .iter()
        .map(|f| {
            json!({
                "id": f.id, "name": f.label, "description": f.description,
                "bidirectional": f.bidirectional,
                "source": f.source, "destination": f.target,
                "tags": tags(&f.protocol, &[]),
                "threats": instances(&f.id),
                "attributes": attributes(f, &["id", "label", "description", "bidirectional", "source", "target"]),
            })
        })
        .collect();
    let threats: Vec<Value> = model
        .threats
        .iter()
        .map(|t| {
            json!({
                "id": t.id, "name": t.title, "description": t.description,
                "categories": t.stride.iter().map(|s| s.label()).collect::<Vec<_>>(),
                "risk": { "likelihood": percent(t.likelihood.index()), "impact": percent(t.impact.index()) },
                "attributes": attributes(t, &["id", "title", "description", "stride", "likelihood", "impact"]),
            })
        })
        .collect();
    let mitigations: Vec<Value> = model
        .mitigations
        .iter()
        .map(|m| {
            json!({
                "id": m.id, "name": m.title, "description": m.description,
                "riskReduction": risk_reduction(model, &m.id),
                "attributes": attributes(m, &["id", "title", "description"]),
            })
        })
        .collect();
    let assets: Vec<Value> = model
        .assets
        .iter()
        .map(|a| {
            let c = confidentiality(a.classification);
            json!({
                "id": a.id, "name": a.name, "description": a.description,
                // Only confidentiality follows from a classification.
                "risk": { "confidentiality": c, "integrity": 50, "availability": 50,
                          "comment": format!("classification {}; integrity and availability not rated",
                                             a.classification.label()) },
                "attributes": attributes(a, &["id", "name", "description"]),
            })
        })
        .collect();
    let (width, height) = extent(model);
    let doc = json!({
        "otmVersion": VERSION,
        "project": {
            "name": model.name, "id": Id::slug(&model.name), "description": model.description,
            "attributes": attributes(model, &["format", "name", "description", "components",
                "boundaries", "flows", "assets", "threats", "mitigations"]),
        },
        "representations": [{ "name": "Data-flow diagram", "id": DIAGRAM, "type": "diagram",
                              "size": { "width": width, "height": height } }],
        "assets": assets,
        "trustZones": zones,
        "components": components,
        "dataflows": dataflows,
        "threats": threats,
        "mitigations": mitigations,
    });
    let mut s = serde_json::to_string_pretty(&doc)
        .unwrap_or_else(|e| unreachable!("JSON values always serialize: {e}"));
    s.push('\n');
    s
}

/// Tags for other tools: what it is built with or speaks, then its own tags.
fn tags(first: &str, rest: &[String]) -> Vec<String> {
    std::iter::once(first)
        .chain(rest.iter().map(String::as_str))
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The diagram's width and height in canvas cells.
fn extent(model: &Model) -> (i32, i32) {
    let right = model
        .components
        .iter()
        .map(|c| (c.position.x + BOX_WIDTH, c.position.y + BOX_HEIGHT))
        .chain(model.boundaries.iter().map(|b| {
            (
                b.area.x + i32::from(b.area.width),
                b.area.y + i32::from(b.area.height),
            )
        }));
    right.fold((0, 0), |(w, h), (x, y)| (w.max(x), h.max(y)))
}

fn confidentiality(c: Classification) -> u32 {
    match c {
        Classification::Public => 0,
        Classification::Internal => 33,
        Classification::Confidential => 67,
        Classification::Secret => 100,
    }
}

/// How much a mitigation lowers the risk of the threats it is for, in OTM's 0–100: the mean
/// drop of their rating (likelihood plus impact on the 5-level scales) from inherent to
/// residual, over the threats that have a residual rating.
fn risk_reduction(model: &Model, m: &Id) -> u32 {
    let score = |l: Likelihood, i: Impact| (l.index() + i.index()) as f64;
    let drops: Vec<f64> = model
        .threats
        .iter()
        .filter(|t| t.mitigations.contains(m))
        .filter_map(|t| {
            let r = t.residual?;
            let before = score(t.likelihood, t.impact);
            Some(if before > 0.0 {
                ((before - score(r.likelihood, r.impact)) / before).max(0.0)
            } else {
                0.0
            })
        })
        .collect();
    if drops.is_empty() {
        0
    } else {
        (100.0 * drops.iter().sum::<f64>() / drops.len() as f64).round() as u32
    }
}
