//! Orthogonal flow routing around boxes: a shortest path on the canvas grid (A*), where a
//! bend costs several steps, boxes are walls, and the cells that would hide something (a
//! box's edge, a boundary's frame or title) cost extra, so lines keep clear of them.

use super::canvas::WorldRect;

/// What routes avoid.
#[derive(Debug, Clone, Default, Hash)]
pub struct Obstacles {
    /// Components' boxes: never crossed.
    pub boxes: Vec<WorldRect>,
    /// Trust boundaries' frames: crossed where a flow must, not followed.
    pub frames: Vec<WorldRect>,
    /// Boundaries' title texts (one row each): crossing one hides a word.
    pub titles: Vec<WorldRect>,
}

/// A straight step costs 1; a bend costs this much more, so a route takes a detour of a few
/// cells rather than a staircase.
const BEND: u32 = 6;
/// Next to a box, a line would read as part of its border.
const NEAR_BOX: u32 = 1;
/// On a boundary's frame: crossing it costs this once, running along it on every cell.
const ON_FRAME: u32 = 3;
/// On a boundary's title: a detour costs less than a hidden word.
const ON_TITLE: u32 = 40;
/// How far around its two boxes a route may wander, first, and then when that is too tight.
const MARGINS: [i32; 2] = [6, REACH];
/// The farthest a route goes from its two boxes.
pub const REACH: i32 = 40;
/// The most cells searched for one route (about three 120×36 screens): the search costs
/// time and memory in proportion, for every flow in view each time a box moves. A longer
/// flow gets the direct line.
const MAX_CELLS: i32 = 12_000;

const RIGHT: usize = 0;
const DOWN: usize = 1;
const LEFT: usize = 2;
const UP: usize = 3;
const STEP: [(i32, i32); 4] = [(1, 0), (0, 1), (-1, 0), (0, -1)];

/// The cell beside each side of `r`, with the direction that leaves the box: the side's
/// middle in lane 0; in later lanes (flows that share the side), a step or more away from it
/// (up or left first), so their lines run side by side instead of on top of each other.
fn ports(r: WorldRect, lane: u32) -> [((i32, i32), usize); 4] {
    let away = (lane as i32 + 1) / 2;
    let step = if lane % 2 == 1 { -away } else { away };
    let cx = (r.x + r.w / 2 + 2 * step).clamp(r.x + 1, (r.x + r.w - 2).max(r.x + 1));
    let cy = (r.y + r.h / 2 + step).clamp(r.y + 1, (r.y + r.h - 2).max(r.y + 1));
    [
        ((r.x + r.w, cy), RIGHT),
        ((cx, r.y + r.h), DOWN),
        ((r.x - 1, cy), LEFT),
        ((cx, r.y - 1), UP),
    ]
}

/// The route of a flow from box `s` to box `t`, in `lanes` at each (see `ports`): the polyline's
/// points, from the cell beside `s` to the cell beside `t` (where the arrow goes), corners
/// in between. `None` when no path stays near the two boxes.
pub fn route(
    s: WorldRect,
    t: WorldRect,
    lanes: (u32, u32),
    obstacles: &Obstacles,
) -> Option<Vec<(i32, i32)>> {
    MARGINS
        .iter()
        .find_map(|&m| Grid::new(s, t, m, obstacles)?.search(s, t, lanes))
}

/// A priority queue for small whole priorities, one list each: the search's priorities never
/// fall below the last one taken (the estimate is consistent), and a list costs nothing to
/// push to or pop from. Within a priority, the newest first: the search goes deep.
#[derive(Default)]
struct Buckets {
    lists: Vec<Vec<usize>>,
    at: usize,
}

impl Buckets {
    fn push(&mut self, priority: u32, item: usize) {
        let p = (priority as usize).max(self.at);
        if p >= self.lists.len() {
            self.lists.resize_with(p + 1, Vec::new);
        }
        self.lists[p].push(item);
    }

    fn pop(&mut self) -> Option<usize> {
        while let Some(list) = self.lists.get_mut(self.at) {
            if let Some(item) = list.pop() {
                return Some(item);
            }
            self.at += 1;
        }
        None
    }
}

/// Extra costs over a region: `u8::MAX` is a wall.
struct Grid {
    x0: i32,
    y0: i32,
    w: i32,
    h: i32,
    cost: Vec<u8>,
}

const WALL: u8 = u8::MAX;

impl Grid {
    /// The region around `s` and `t`; `None` if it has more than `MAX_CELLS`.
    fn new(s: WorldRect, t: WorldRect, margin: i32, o: &Obstacles) -> Option<Grid> {
        let (x0, y0) = (s.x.min(t.x) - margin, s.y.min(t.y) - margin);
        let w = (s.x + s.w).max(t.x + t.w) + margin - x0;
        let h = (s.y + s.h).max(t.y + t.h) + margin - y0;
        if w.saturating_mul(h) > MAX_CELLS {
            return None;
        }
        let near = |r: &&WorldRect| {
            r.x - 1 < x0 + w && x0 < r.x + r.w + 1 && r.y - 1 < y0 + h && y0 < r.y + r.h + 1
        };
        let mut g = Grid {
            x0,
            y0,
            w,
            h,
            cost: vec![0; (w * h) as usize],
        };
        // Frames clipped to the region: a boundary may be far larger.
        for f in o.frames.iter().filter(near) {
            for x in f.x.max(x0)..(f.x + f.w).min(x0 + w) {
                g.add(x, f.y, ON_FRAME);
                g.add(x, f.y + f.h - 1, ON_FRAME);
            }
            for y in (f.y + 1).max(y0)..(f.y + f.h - 1).min(y0 + h) {
                g.add(f.x, y, ON_FRAME);
                g.add(f.x + f.w - 1, y, ON_FRAME);
            }
        }
        for r in o.titles.iter().filter(near) {
            for x in r.x..r.x + r.w {
                g.add(x, r.y, ON_TITLE);
            }
        }
        for b in o.boxes.iter().filter(near) {
            for y in b.y - 1..=b.y + b.h {
                for x in b.x - 1..=b.x + b.w {
                    if b.contains(x, y) {
                        g.set(x, y, WALL);
                    } else {
                        g.add(x, y, NEAR_BOX);
                    }
                }
            }
        }
        Some(g)
    }

    fn index(&self, x: i32, y: i32) -> Option<usize> {
        let (dx, dy) = (x - self.x0, y - self.y0);
        (dx >= 0 && dy >= 0 && dx < self.w && dy < self.h).then(|| (dy * self.w + dx) as usize)
    }

    fn add(&mut self, x: i32, y: i32, c: u32) {
        if let Some(i) = self.index(x, y)
            && self.cost[i] != WALL
        {
            self.cost[i] = u32::from(self.cost[i])
                .saturating_add(c)
                .min(u32::from(WALL) - 1) as u8;
        }
    }

    fn set(&mut self, x: i32, y: i32, c: u8) {
        if let Some(i) = self.index(x, y) {
            self.cost[i] = c;
        }
    }

    /// A* over (cell, heading) states: leaves `s` by one of its ports, heading out, and
    /// reaches `t` by one of its ports, heading in.
    fn search(&self, s: WorldRect, t: WorldRect, lanes: (u32, u32)) -> Option<Vec<(i32, i32)>> {
        // Each port of `t`, with the heading that enters the box.
        let arrivals: Vec<((i32, i32), usize)> = ports(t, lanes.1)
            .iter()
            .map(|&(p, d)| (p, (d + 2) % 4))
            .collect();
        // Steps left, plus a bend if the heading must change: to move another way, or to
        // arrive heading in. Never more than the true cost, and close enough that the search
        // stays near the straightest route.
        let estimate = |x: i32, y: i32, d: usize| {
            arrivals
                .iter()
                .map(|&((gx, gy), gd)| {
                    let (dx, dy) = (gx - x, gy - y);
                    let other_way = (dx != 0 && dx.signum() != STEP[d].0)
                        || (dy != 0 && dy.signum() != STEP[d].1);
                    let turn = if other_way || d != gd { BEND } else { 0 };
                    dx.unsigned_abs() + dy.unsigned_abs() + turn
                })
                .min()
                .unwrap_or(0)
        };
        let states = self.cost.len() * 4;
        let mut dist = vec![u32::MAX; states];
        let mut from = vec![u32::MAX; states];
        let mut done = vec![false; states];
        let mut queue = Buckets::default();
        for ((x, y), d) in ports(s, lanes.0) {
            if let Some(i) = self.index(x, y) {
                let st = i * 4 + d;
                dist[st] = 0;
                queue.push(estimate(x, y, d), st);
            }
        }
        while let Some(st) = queue.pop() {
            if std::mem::replace(&mut done[st], true) {
                continue;
            }
            let (i, d) = (st / 4, st % 4);
            let (x, y) = (self.x0 + i as i32 % self.w, self.y0 + i as i32 / self.w);
            let g = dist[st];
            if arrivals.contains(&((x, y), d)) {
                return Some(self.path(st, &from));
            }
            for (nd, step) in STEP.iter().enumerate() {
                if nd == (d + 2) % 4 {
                    continue;
                }
                let (nx, ny) = (x + step.0, y + step.1);
                let Some(ni) = self.index(nx, ny) else {
                    continue;
                };
                if self.cost[ni] == WALL {
                    continue;
                }
                let turn = if nd == d { 0 } else { BEND };
                let ng = g + 1 + turn + u32::from(self.cost[ni]);
                let nst = ni * 4 + nd;
                if ng < dist[nst] {
                    dist[nst] = ng;
                    from[nst] = st as u32;
                    queue.push(ng + estimate(nx, ny, nd), nst);
                }
            }
        }
        None
    }

    /// The corners of the path ending in state `end`, first point to last.
    fn path(&self, end: usize, from: &[u32]) -> Vec<(i32, i32)> {
        let cell = |st: usize| {
            let i = (st / 4) as i32;
            (self.x0 + i % self.w, self.y0 + i / self.w)
        };
        let mut points = vec![cell(end)];
        let mut st = end;
        while from[st] != u32::MAX {
            let prev = from[st] as usize;
            if prev % 4 != st % 4 {
                points.push(cell(prev));
            }
            st = prev;
        }
        if points.last() != Some(&cell(st)) {
            points.push(cell(st));
        }
        if points.len() == 1 {
            // Boxes one cell apart: the line is that cell, entered from the source's side.
            let (dx, dy) = STEP[end % 4];
            let (x, y) = points[0];
            points.push((x - dx, y - dy));
        }
        points.reverse();
        points
    }
}

/// Every cell a route passes through, first to last.
pub fn cells(points: &[(i32, i32)]) -> Vec<(i32, i32)> {
    let mut out: Vec<(i32, i32)> = points.first().copied().into_iter().collect();
    for w in points.windows(2) {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        let (dx, dy) = ((x1 - x0).signum(), (y1 - y0).signum());
        let mut p = (x0, y0);
        while p != (x1, y1) {
            p = (p.0 + dx, p.1 + dy);
            out.push(p);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(x: i32, y: i32) -> WorldRect {
        WorldRect { x, y, w: 24, h: 4 }
    }

    #[test]
    fn side_by_side_boxes_are_joined_by_a_straight_line() {
        let (s, t) = (rect(0, 0), rect(30, 0));
        let r = route(s, t, (0, 0), &Obstacles::default()).expect("route");
        assert_eq!(r, vec![(24, 2), (29, 2)]);
    }

    #[test]
    fn a_box_in_the_way_is_walked_around() {
        let (s, t, wall) = (rect(0, 0), rect(60, 0), rect(30, 0));
        let o = Obstacles {
            boxes: vec![s, t, wall],
            ..Default::default()
        };
        let r = route(s, t, (0, 0), &o).expect("route");
        assert!(
            cells(&r).iter().all(|&(x, y)| !wall.contains(x, y)),
            "{r:?}"
        );
        assert_eq!(r.first(), Some(&(24, 2)));
        assert_eq!(r.last(), Some(&(59, 2)));
    }

    #[test]
    fn a_boundary_frame_is_crossed_not_followed() {
        // The target sits inside a boundary whose left edge is between the boxes.
        let (s, t) = (rect(0, 0), rect(40, 0));
        let frame = WorldRect {
            x: 34,
            y: -6,
            w: 40,
            h: 16,
        };
        let o = Obstacles {
            boxes: vec![s, t],
            frames: vec![frame],
            titles: Vec::new(),
        };
        let r = route(s, t, (0, 0), &o).expect("route");
        let on_frame = cells(&r).iter().filter(|&&(x, _)| x == frame.x).count();
        assert_eq!(on_frame, 1, "{r:?}");
    }

    #[test]
    fn a_flow_to_the_same_box_loops_outside_it() {
        let s = rect(0, 0);
        let o = Obstacles {
            boxes: vec![s],
            ..Default::default()
        };
        let r = route(s, s, (0, 0), &o).expect("route");
        assert!(r.len() >= 3, "{r:?}");
        assert!(cells(&r).iter().all(|&(x, y)| !s.contains(x, y)), "{r:?}");
    }

    #[test]
    fn flows_between_the_same_boxes_run_side_by_side() {
        let (s, t) = (rect(0, 0), rect(40, 0));
        let o = Obstacles {
            boxes: vec![s, t],
            ..Default::default()
        };
        let there = route(s, t, (0, 0), &o).expect("route");
        let back = route(t, s, (1, 1), &o).expect("route");
        assert_eq!(there, vec![(24, 2), (39, 2)]);
        assert_eq!(back, vec![(39, 1), (24, 1)]);
    }

    #[test]
    fn an_enclosed_target_has_no_route() {
        let (s, t) = (rect(0, 0), rect(40, 0));
        // Boxes all around the target, touching it.
        let ring = vec![
            WorldRect {
                x: 36,
                y: -4,
                w: 32,
                h: 4,
            },
            WorldRect {
                x: 36,
                y: 4,
                w: 32,
                h: 4,
            },
            WorldRect {
                x: 36,
                y: 0,
                w: 4,
                h: 4,
            },
            WorldRect {
                x: 64,
                y: 0,
                w: 4,
                h: 4,
            },
        ];
        let mut boxes = vec![s, t];
        boxes.extend(ring);
        let o = Obstacles {
            boxes,
            ..Default::default()
        };
        assert_eq!(route(s, t, (0, 0), &o), None);
    }
}
