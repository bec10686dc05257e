//! Automatic layout for models that arrive without positions: components in layers along
//! their data flows (longest path, left to right), each boundary a block holding its members
//! and, to their right, its nested boundaries, so boundaries never overlap.

use super::{Edit, Id, Model, Point};
use std::collections::HashMap;

/// Size of a component box on the canvas, in cells.
pub const BOX_WIDTH: i32 = 24;
pub const BOX_HEIGHT: i32 = 4;
const COLUMN: i32 = BOX_WIDTH + 6;
const ROW: i32 = BOX_HEIGHT + 2;
/// Room a boundary takes around its content: sides, title row above, one row below.
const PAD_X: i32 = 2;
const PAD_TOP: i32 = 2;
const PAD_BOTTOM: i32 = 1;

/// Layer of each component: the longest flow path reaching it (cycles broken where found).
fn layers(model: &Model) -> HashMap<&Id, i32> {
    let mut out: HashMap<&Id, i32> = HashMap::new();
    let mut state: HashMap<&Id, u8> = HashMap::new();
    fn visit<'m>(
        m: &'m Model,
        id: &'m Id,
        out: &mut HashMap<&'m Id, i32>,
        state: &mut HashMap<&'m Id, u8>,
    ) -> i32 {
        match state.get(id) {
            Some(2) => return out[id],
            Some(1) => return -1, // a back edge: ignore it
            _ => {}
        }
        state.insert(id, 1);
        let layer = m
            .flows
            .iter()
            .filter(|f| f.target == *id && f.source != *id)
            .map(|f| visit(m, &f.source, out, state) + 1)
            .max()
            .unwrap_or(0)
            .max(0);
        state.insert(id, 2);
        out.insert(id, layer);
        layer
    }
    for c in &model.components {
        visit(model, &c.id, &mut out, &mut state);
    }
    out
}

struct Block {
    width: i32,
    height: i32,
    /// Positions relative to the block's top-left corner.
    places: Vec<(Id, Point)>,
}

fn block(model: &Model, boundary: Option<&Id>, layer: &HashMap<&Id, i32>) -> Block {
    let members: Vec<&Id> = match boundary {
        Some(b) => model
            .boundary(b.as_str())
            .map_or(Vec::new(), |b| b.members.iter().collect()),
        None => model
            .components
            .iter()
            .filter(|c| model.boundary_of(c.id.as_str()).is_none())
            .map(|c| &c.id)
            .collect(),
    };
    let (pad_x, pad_top, pad_bottom) = if boundary.is_some() {
        (PAD_X, PAD_TOP, PAD_BOTTOM)
    } else {
        (0, 0, 0)
    };
    // Members in a grid: one column per layer present, stacked in model order.
    let mut columns: Vec<i32> = members
        .iter()
        .map(|m| layer.get(m).copied().unwrap_or(0))
        .collect();
    columns.sort_unstable();
    columns.dedup();
    let mut rows = vec![0; columns.len()];
    let mut places = Vec::new();
    for m in &members {
        let l = layer.get(m).copied().unwrap_or(0);
        let col = columns.iter().position(|c| *c == l).unwrap_or(0);
        places.push((
            (*m).clone(),
            Point {
                x: pad_x + col as i32 * COLUMN,
                y: pad_top + rows[col] * ROW,
            },
        ));
        rows[col] += 1;
    }
    let grid_w = if columns.is_empty() {
        0
    } else {
        columns.len() as i32 * COLUMN - (COLUMN - BOX_WIDTH)
    };
    let grid_h = rows.iter().max().copied().unwrap_or(0) * ROW
        - if members.is_empty() {
            0
        } else {
            ROW - BOX_HEIGHT
        };
    // Nested boundaries, ordered by where their members sit in the flow, laid out as blocks.
    let mut children: Vec<&Id> = model
        .boundaries
        .iter()
        .filter(|b| b.parent.as_ref() == boundary && boundary.is_none_or(|p| b.id != *p))
        .filter(|b| {
            boundary.is_some()
                || b.parent
                    .as_ref()
                    .is_none_or(|p| model.boundary(p.as_str()).is_none())
        })
        .map(|b| &b.id)
        .collect();
    let mean = |b: &Id| {
        let m = model
            .boundary(b.as_str())
            .map_or(Vec::new(), |b| b.members.clone());
        m.iter()
            .map(|x| layer.get(x).copied().unwrap_or(0))
            .sum::<i32>() as f64
            / m.len().max(1) as f64
    };
    children.sort_by(|a, b| mean(a).total_cmp(&mean(b)));
    let mut width = pad_x + grid_w;
    let mut height = pad_top + grid_h;
    let mut x = pad_x + if grid_w > 0 { grid_w + 6 } else { 0 };
    let mut y = pad_top;
    for child in children {
        let b = block(model, Some(child), layer);
        // Top level: blocks side by side; inside a boundary: stacked to the right of members.
        for (id, p) in b.places {
            places.push((
                id,
                Point {
                    x: x + p.x,
                    y: y + p.y,
                },
            ));
        }
        if boundary.is_none() {
            width = x + b.width;
            height = height.max(y + b.height);
            x += b.width + 6;
        } else {
            width = width.max(x + b.width);
            height = height.max(y + b.height);
            y += b.height + 2;
        }
    }
    Block {
        width: width + pad_x,
        height: height + pad_bottom,
        places,
    }
}

/// New positions for every component, as one edit.
pub fn auto_layout(model: &Model) -> Edit {
    let layer = layers(model);
    let root = block(model, None, &layer);
    let at: HashMap<&Id, Point> = root.places.iter().map(|(id, p)| (id, *p)).collect();
    Edit::Batch(
        model
            .components
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                let p = at.get(&c.id)?;
                let mut c = c.clone();
                c.position = Point {
                    x: p.x + 2,
                    y: p.y + 1,
                };
                Some(Edit::SetComponent(i, c))
            })
            .collect(),
    )
}
