//! Automatic layout for models that arrive without positions: components in layers along
//! their data flows (longest path, left to right), components without flows in rows below
//! them, each boundary a block holding its members and, to their right, its nested
//! boundaries, so boundaries never overlap.

use super::{Edit, Id, Model, Point};
use std::collections::{HashMap, HashSet};

/// Size of a component box on the canvas, in cells.
pub const BOX_WIDTH: i32 = 24;
pub const BOX_HEIGHT: i32 = 4;
/// Columns between two boxes side by side, at least and at most: a flow's label between
/// them widens the gap to its length, up to the most (then it is cut with an ellipsis).
const GAP: i32 = 6;
const WIDEST_GAP: i32 = 28;
const COLUMN: i32 = BOX_WIDTH + GAP;
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

/// The gap a flow's label needs between its two boxes side by side: its text, with the ⚠ a
/// crossing flow's label starts with (or the ✓ of a reviewed flow), and a column either side.
fn label_gap(model: &Model, f: &super::Flow) -> i32 {
    let mark = if model.crosses_boundary(f) || f.reviewed() {
        2
    } else {
        0
    };
    (f.label.chars().count() as i32 + mark + 2).clamp(GAP, WIDEST_GAP)
}

/// The widest gap the labels of flows between a component in `left` and one in `right` need.
fn gap_between(model: &Model, left: impl Fn(&Id) -> bool, right: impl Fn(&Id) -> bool) -> i32 {
    model
        .flows
        .iter()
        .filter(|f| left(&f.source) && right(&f.target) || left(&f.target) && right(&f.source))
        .map(|f| label_gap(model, f))
        .max()
        .unwrap_or(GAP)
}

/// Moves boxes apart so that flow `flow`'s label reads whole between its two ends standing
/// side by side: everything from the right-hand end's column on (and an empty boundary's
/// area there) shifts right by the columns the gap lacks, the gap `auto_layout` would give.
/// `None` when the label fits, or the ends are not side by side.
pub fn room_for_label(model: &Model, flow: &Id) -> Option<Edit> {
    let f = model.flows.iter().find(|f| f.id == *flow)?;
    let a = model.component(f.source.as_str())?;
    let b = model.component(f.target.as_str())?;
    if a.id == b.id || (a.position.y - b.position.y).abs() >= BOX_HEIGHT {
        return None;
    }
    let (left, right) = if a.position.x <= b.position.x {
        (a, b)
    } else {
        (b, a)
    };
    let gap = right.position.x - left.position.x - BOX_WIDTH;
    // Each frame between the two boxes takes its side's columns, as in `block`.
    let frames = model.boundaries_crossed(f).len() as i32;
    let lacking = label_gap(model, f) + frames * PAD_X - gap;
    if gap < 0 || lacking <= 0 {
        return None;
    }
    let from = right.position.x;
    let moved: Vec<Id> = model
        .components
        .iter()
        .filter(|c| c.position.x >= from)
        .map(|c| c.id.clone())
        .collect();
    let mut edits = vec![super::ops::move_components(model, &moved, lacking, 0)];
    edits.extend(
        model
            .boundaries
            .iter()
            .enumerate()
            .filter(|(_, x)| x.members.is_empty() && x.area.x >= from)
            .map(|(i, x)| {
                let mut x = x.clone();
                x.area.x += lacking;
                Edit::SetBoundary(i, x)
            }),
    );
    Some(Edit::Batch(edits))
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
    let column_of = |m: &Id| {
        let l = layer.get(m).copied().unwrap_or(0);
        columns.iter().position(|c| *c == l).unwrap_or(0)
    };
    // Each column's members, and the gap after it that its flows' labels to the next need.
    let mut in_column: Vec<HashSet<&Id>> = vec![HashSet::new(); columns.len()];
    for m in &linked {
        in_column[column_of(m)].insert(*m);
    }
    let mut x = pad_x;
    let mut xs = Vec::new();
    for (i, here) in in_column.iter().enumerate() {
        xs.push(x);
        let gap = in_column.get(i + 1).map_or(GAP, |next| {
            gap_between(model, |m| here.contains(m), |m| next.contains(m))
        });
        x += BOX_WIDTH + gap;
    }
    // Columns past the layers' (members without flows) are spaced evenly.
    let column_x = |i: usize| {
        xs.get(i)
            .copied()
            .unwrap_or_else(|| x + (i - xs.len()) as i32 * COLUMN)
    };
    let mut rows = vec![0; columns.len()];
    let mut places = Vec::new();
    for m in &linked {
        let col = column_of(m);
        places.push((
            (*m).clone(),
            Point {
                x: column_x(col),
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
                x: column_x(i % across),
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
        column_x(used_columns - 1) + BOX_WIDTH - pad_x
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
    let blocks: Vec<Block> = children
        .into_iter()
        .map(|child| block(model, Some(child), layer))
        .collect();
    let ids = |places: &[(Id, Point)]| -> HashSet<Id> {
        places.iter().map(|(id, _)| id.clone()).collect()
    };
    // A gap as wide as the labels of flows across it need: inside a boundary, between the
    // members and the nested blocks stacked beside them; at the top, between each block and
    // the one (or the members) just left of it.
    let mut x = pad_x + grid_w;
    if grid_w > 0 && boundary.is_some() {
        let members = ids(&places);
        let beside: HashSet<Id> = blocks.iter().flat_map(|b| ids(&b.places)).collect();
        x += gap_between(model, |m| members.contains(m), |m| beside.contains(m));
    }
    let mut y = pad_top;
    let mut left = ids(&places);
    for (i, b) in blocks.into_iter().enumerate() {
        if boundary.is_none() {
            let here = ids(&b.places);
            if grid_w > 0 || i > 0 {
                x += gap_between(model, |m| left.contains(m), |m| here.contains(m));
            }
            left = here;
        }
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
            x += b.width;
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
    fn the_gap_between_layers_fits_the_longest_label_across_it() {
        let mut m = model(4);
        let label = |n: usize| "x".repeat(n);
        m.flows.push(Flow::new("a", "c0", "c1", &label(3)));
        m.flows.push(Flow::new("b", "c1", "c2", &label(20)));
        m.flows.push(Flow::new("c", "c2", "c3", &label(60)));
        let p = positions(&mut m);
        let gaps: Vec<i32> = p.windows(2).map(|w| w[1].x - w[0].x - BOX_WIDTH).collect();
        // A short label keeps the usual gap; a longer one gets its length and a column either
        // side; a very long one stops at the widest gap, to be cut.
        assert_eq!(gaps, [GAP, 22, WIDEST_GAP], "{p:?}");
    }

    #[test]
    fn a_reviewed_flow_s_label_gets_room_for_its_tick() {
        let mut m = model(2);
        let mut f = Flow::new("a", "c0", "c1", &"x".repeat(20));
        f.reviewed_on = "2026-11-24".into();
        m.flows.push(f);
        let p = positions(&mut m);
        assert_eq!(p[1].x - p[0].x - BOX_WIDTH, 20 + 2 + 2, "{p:?}");
    }

    #[test]
    fn a_label_across_boundaries_widens_the_gap_between_their_blocks() {
        let mut m = model(2);
        boxed(&mut m);
        m.flows.push(Flow::new("a", "c0", "c1", &"y".repeat(16)));
        let p = positions(&mut m);
        // Each box has its boundary's side (2 columns) between it and the gap; the label
        // takes its ⚠ too.
        assert_eq!(p[1].x - p[0].x - BOX_WIDTH - 2 * PAD_X, 16 + 2 + 2, "{p:?}");
    }

    #[test]
    fn a_label_between_blocks_further_apart_leaves_the_gaps_between_them_alone() {
        let mut m = model(3);
        boxed(&mut m);
        m.flows.push(Flow::new("a", "c0", "c1", "x"));
        m.flows.push(Flow::new("b", "c1", "c2", "x"));
        m.flows.push(Flow::new("c", "c0", "c2", &"y".repeat(16)));
        let p = positions(&mut m);
        let gap = |a: usize, b: usize| p[b].x - p[a].x - BOX_WIDTH - 2 * PAD_X;
        assert_eq!((gap(0, 1), gap(1, 2)), (GAP, GAP), "{p:?}");
    }

    fn at(m: &mut Model, xy: &[(i32, i32)]) {
        for (c, &(x, y)) in m.components.iter_mut().zip(xy) {
            c.position = Point { x, y };
        }
    }

    fn make_room(m: &mut Model, flow: &str) -> bool {
        let Some(e) = room_for_label(m, &flow.into()) else {
            return false;
        };
        m.apply(&e).expect("room applies");
        true
    }

    #[test]
    fn a_cut_label_moves_the_boxes_from_its_right_end_on_apart() {
        // c0 and c1 side by side (c1 a row lower, still beside it), c2 right of them, c3 under
        // c0 but reaching right of c1's left side.
        let mut m = model(4);
        at(&mut m, &[(0, 0), (30, 1), (60, 0), (10, 8)]);
        // From right to left: the boxes' order counts, not the flow's.
        m.flows.push(Flow::new("f", "c1", "c0", &"x".repeat(20)));
        assert!(make_room(&mut m, "f"));
        let p: Vec<Point> = m.components.iter().map(|c| c.position).collect();
        let xs: Vec<i32> = p.iter().map(|p| p.x).collect();
        // The gap the automatic layout gives that label: 22, so 16 more.
        assert_eq!(xs, [0, 46, 76, 10], "{p:?}");
        assert_eq!(p.iter().map(|p| p.y).collect::<Vec<_>>(), [0, 1, 0, 8]);
        assert!(!make_room(&mut m, "f"), "it fits now");
    }

    #[test]
    fn a_label_that_fits_or_ends_one_above_the_other_move_nothing() {
        let mut m = model(3);
        at(&mut m, &[(0, 0), (30, 0), (0, BOX_HEIGHT)]);
        m.flows.push(Flow::new("short", "c0", "c1", "abcd"));
        m.flows.push(Flow::new("down", "c0", "c2", &"x".repeat(20)));
        m.flows.push(Flow::new("self", "c0", "c0", &"x".repeat(20)));
        for f in ["short", "down", "self"] {
            assert!(!make_room(&mut m, f), "{f}");
        }
    }

    #[test]
    fn room_for_a_label_across_boundaries_is_the_gap_the_layout_gives() {
        let mut m = model(2);
        boxed(&mut m);
        m.flows.push(Flow::new("a", "c0", "c1", &"y".repeat(16)));
        let mut laid = m.clone();
        let p = positions(&mut laid);
        at(&mut m, &[(0, 0), (BOX_WIDTH + GAP, 0)]);
        assert!(make_room(&mut m, "a"));
        let q: Vec<Point> = m.components.iter().map(|c| c.position).collect();
        assert_eq!(q[1].x - q[0].x, p[1].x - p[0].x, "{q:?} {p:?}");
    }

    #[test]
    fn an_empty_boundary_right_of_the_gap_moves_with_the_boxes() {
        let mut m = model(2);
        at(&mut m, &[(0, 0), (30, 0)]);
        m.flows.push(Flow::new("a", "c0", "c1", &"x".repeat(20)));
        let area = |x| crate::model::Area {
            x,
            y: 10,
            width: 20,
            height: 6,
        };
        for (id, x) in [("left", 0), ("right", 40)] {
            m.boundaries.push(crate::model::Boundary {
                id: id.into(),
                name: id.into(),
                kind: crate::model::BoundaryKind::Network,
                description: String::new(),
                parent: None,
                members: Vec::new(),
                area: area(x),
            });
        }
        assert!(make_room(&mut m, "a"));
        let xs: Vec<i32> = m.boundaries.iter().map(|b| b.area.x).collect();
        assert_eq!(xs, [0, 56]);
    }

    /// Each component in a boundary of its own, side by side.
    fn boxed(m: &mut Model) {
        let ids: Vec<Id> = m.components.iter().map(|c| c.id.clone()).collect();
        for (i, c) in ids.into_iter().enumerate() {
            m.boundaries.push(crate::model::Boundary {
                id: format!("b{i}").as_str().into(),
                name: format!("B{i}"),
                kind: crate::model::BoundaryKind::Network,
                description: String::new(),
                parent: None,
                members: vec![c],
                area: Default::default(),
            });
        }
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
