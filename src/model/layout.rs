//! Automatic layout for models that arrive without positions: components in layers along
//! their data flows (longest path, left to right), components without flows in rows below
//! them, each boundary a block holding its members and, to their right, its nested
//! boundaries, so boundaries never overlap.

use super::{Edit, Id, Model, Point};
use std::collections::{HashMap, HashSet};

/// Size of a component box on the canvas, in cells.
pub const BOX_WIDTH: i32 = 24;
pub const BOX_HEIGHT: i32 = 4;
const COLUMN: i32 = BOX_WIDTH + 6;
const ROW: i32 = BOX_HEIGHT + 2;
/// Room a boundary takes around its content: sides, title row above, one row below.
const PAD_X: i32 = 2;
const PAD_TOP: i32 = 2;
const PAD_BOTTOM: i32 = 1;

/// Layer of each component a flow touches (the others have none): the longest flow path
/// reaching it. Cycles are broken at the edges
/// that lead back, found by following flows forward from where data originates (components
/// nothing flows into), so a reply or a webhook never pulls its sender ahead of the caller.
fn layers(model: &Model) -> HashMap<&Id, i32> {
    let ids: Vec<&Id> = model.components.iter().map(|c| &c.id).collect();
    let index: HashMap<&Id, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let edges: Vec<(usize, usize)> = model
        .flows
        .iter()
        .filter(|f| f.source != f.target)
        .filter_map(|f| Some((*index.get(&f.source)?, *index.get(&f.target)?)))
        .collect();
    let n = ids.len();
    let mut out_edges = vec![Vec::new(); n];
    let mut indegree = vec![0; n];
    for (k, &(s, t)) in edges.iter().enumerate() {
        out_edges[s].push((t, k));
        indegree[t] += 1;
    }
    // Iterative DFS; an edge to a component still on the path is a back edge.
    let mut back = vec![false; edges.len()];
    let mut state = vec![0u8; n];
    let starts: Vec<usize> = (0..n).filter(|&i| indegree[i] == 0).chain(0..n).collect();
    for start in starts {
        if state[start] != 0 {
            continue;
        }
        state[start] = 1;
        let mut stack = vec![(start, 0usize)];
        while let Some(&mut (v, ref mut next)) = stack.last_mut() {
            if let Some(&(t, k)) = out_edges[v].get(*next) {
                *next += 1;
                match state[t] {
                    0 => {
                        state[t] = 1;
                        stack.push((t, 0));
                    }
                    1 => back[k] = true,
                    _ => {}
                }
            } else {
                state[v] = 2;
                stack.pop();
            }
        }
    }
    // Longest path over the remaining (acyclic) edges, relaxing until nothing changes.
    let mut layer = vec![0i32; n];
    for _ in 0..n {
        let mut changed = false;
        for (k, &(s, t)) in edges.iter().enumerate() {
            if !back[k] && layer[t] < layer[s] + 1 {
                layer[t] = layer[s] + 1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let touched: HashSet<&Id> = model
        .flows
        .iter()
        .flat_map(|f| [&f.source, &f.target])
        .collect();
    ids.into_iter()
        .zip(layer)
        .filter(|(id, _)| touched.contains(id))
        .collect()
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
    // Members with flows in a grid: one column per layer present, stacked in model order.
    // Members without any flow have no layer to speak of: they fill rows below, as many to
    // a row as the grid has columns or as make a square, rather than one tall column.
    let (linked, alone): (Vec<&Id>, Vec<&Id>) =
        members.into_iter().partition(|m| layer.contains_key(m));
    let mut columns: Vec<i32> = linked
        .iter()
        .map(|m| layer.get(m).copied().unwrap_or(0))
        .collect();
    columns.sort_unstable();
    columns.dedup();
    let mut rows = vec![0; columns.len()];
    let mut places = Vec::new();
    for m in &linked {
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
    let below = rows.iter().max().copied().unwrap_or(0);
    let across = columns.len().max(ceil_sqrt(alone.len()));
    for (i, m) in alone.iter().enumerate() {
        places.push((
            (*m).clone(),
            Point {
                x: pad_x + (i % across) as i32 * COLUMN,
                y: pad_top + (below + (i / across) as i32) * ROW,
            },
        ));
    }
    let used_columns = if alone.is_empty() {
        columns.len()
    } else {
        across
    };
    let used_rows = below + alone.len().div_ceil(across.max(1)) as i32;
    let grid_w = if used_columns == 0 {
        0
    } else {
        used_columns as i32 * COLUMN - (COLUMN - BOX_WIDTH)
    };
    let grid_h = used_rows * ROW - if used_rows == 0 { 0 } else { ROW - BOX_HEIGHT };
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
    // Left to right in the order data reaches them: by their earliest layer, then on average.
    let place = |b: &Id| {
        let layers: Vec<i32> = model.boundary(b.as_str()).map_or(Vec::new(), |b| {
            b.members
                .iter()
                .map(|x| layer.get(x).copied().unwrap_or(0))
                .collect()
        });
        let first = layers.iter().min().copied().unwrap_or(0);
        let mean = layers.iter().sum::<i32>() as f64 / layers.len().max(1) as f64;
        (first, mean)
    };
    children.sort_by(|a, b| {
        let (pa, pb) = (place(a), place(b));
        pa.0.cmp(&pb.0).then(pa.1.total_cmp(&pb.1))
    });
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

fn ceil_sqrt(n: usize) -> usize {
    let r = n.isqrt();
    if r * r == n { r } else { r + 1 }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Component, ComponentKind, Flow};

    fn positions(m: &mut Model) -> Vec<Point> {
        let e = auto_layout(m);
        m.apply(&e).expect("a layout applies");
        m.components.iter().map(|c| c.position).collect()
    }

    fn distinct(v: &[i32]) -> usize {
        let mut v = v.to_vec();
        v.sort_unstable();
        v.dedup();
        v.len()
    }

    fn model(n: usize) -> Model {
        let mut m = Model::new("t");
        for i in 0..n {
            let c = Component::new(
                format!("c{i}").as_str(),
                format!("C {i}"),
                ComponentKind::Process,
            );
            m.components.push(c);
        }
        m
    }

    #[test]
    fn components_without_flows_fill_a_square_not_a_column() {
        let mut m = model(7);
        let p = positions(&mut m);
        let xs: Vec<i32> = p.iter().map(|p| p.x).collect();
        let ys: Vec<i32> = p.iter().map(|p| p.y).collect();
        assert_eq!((distinct(&xs), distinct(&ys)), (3, 3), "{p:?}");
    }

    #[test]
    fn components_without_flows_go_below_the_layers() {
        let mut m = model(5);
        m.flows.push(Flow::new("f", "c0", "c1", "x"));
        let p = positions(&mut m);
        // The flow's two ends side by side; the other three under them, two to a row.
        assert_eq!(p[0].y, p[1].y);
        assert!(p[0].x < p[1].x);
        for q in &p[2..] {
            assert!(q.y > p[0].y, "{p:?}");
            assert!(q.x == p[0].x || q.x == p[1].x, "{p:?}");
        }
        assert_eq!(distinct(&p[2..].iter().map(|q| q.y).collect::<Vec<_>>()), 2);
    }
}
