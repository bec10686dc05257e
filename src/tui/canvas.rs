//! The diagram canvas: boxes per component kind, dashed trust-boundary regions, orthogonally
//! routed flows with labels that avoid boxes, drawn into a buffer through a viewport.
//! Boundary-crossing flows use heavy lines, so they stand out without colour too.

use super::routing::{self, Obstacles};
use super::theme::Theme;
use super::views::text::{clip, wrap};
use crate::analysis::suggestions::{Suggestion, suggest};
use crate::model::layout::{BOX_HEIGHT, BOX_WIDTH};
use crate::model::{Boundary, Component, ComponentKind, Flow, Id, Model, RiskLevel};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use rustc_hash::{FxHashMap, FxHashSet, FxHasher};
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

/// A rectangle in canvas (world) cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WorldRect {
    pub x: i32,
    pub y: i32,
    pub w: i32,
    pub h: i32,
}

impl WorldRect {
    pub fn contains(&self, x: i32, y: i32) -> bool {
        x >= self.x && x < self.x + self.w && y >= self.y && y < self.y + self.h
    }

    fn overlaps(&self, o: WorldRect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }

    fn union(self, o: WorldRect) -> WorldRect {
        let x = self.x.min(o.x);
        let y = self.y.min(o.y);
        WorldRect {
            x,
            y,
            w: (self.x + self.w).max(o.x + o.w) - x,
            h: (self.y + self.h).max(o.y + o.h) - y,
        }
    }
}

pub fn box_height(compact: bool) -> i32 {
    if compact { BOX_HEIGHT - 1 } else { BOX_HEIGHT }
}

pub fn component_rect(c: &Component, compact: bool) -> WorldRect {
    WorldRect {
        x: c.position.x,
        y: c.position.y,
        w: BOX_WIDTH,
        h: box_height(compact),
    }
}

/// The region of every boundary: around its members and nested boundaries, with room for the
/// title; a boundary with nothing inside keeps its stored area.
pub fn boundary_rects(model: &Model, compact: bool) -> HashMap<Id, WorldRect> {
    let mut out: HashMap<Id, WorldRect> = HashMap::new();
    let boxes: FxHashMap<&Id, WorldRect> = model
        .components
        .iter()
        .map(|c| (&c.id, component_rect(c, compact)))
        .collect();
    // Children before parents: repeat until stable (nesting depth is small).
    for _ in 0..=model.boundaries.len() {
        let mut changed = false;
        for b in &model.boundaries {
            let mut r: Option<WorldRect> = None;
            for cr in b.members.iter().filter_map(|m| boxes.get(m)) {
                r = Some(r.map_or(*cr, |r| r.union(*cr)));
            }
            for child in model
                .boundaries
                .iter()
                .filter(|c| c.parent.as_ref() == Some(&b.id))
            {
                if let Some(cr) = out.get(&child.id) {
                    r = Some(r.map_or(*cr, |r| r.union(*cr)));
                }
            }
            let rect = match r {
                Some(r) => WorldRect {
                    x: r.x - 2,
                    y: r.y - 2,
                    w: r.w + 4,
                    h: r.h + 3,
                },
                None => WorldRect {
                    x: b.area.x,
                    y: b.area.y,
                    w: i32::from(b.area.width.max(12)),
                    h: i32::from(b.area.height.max(4)),
                },
            };
            if out.get(&b.id) != Some(&rect) {
                out.insert(b.id.clone(), rect);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    out
}

/// Everything on a drawing of the whole diagram, in canvas cells.
pub struct Whole<'m> {
    /// Every boundary's region (see `boundary_rects`).
    pub regions: HashMap<Id, WorldRect>,
    /// Each component's box, in model order.
    pub boxes: Vec<WorldRect>,
    /// Each flow whose boxes exist, with its route.
    pub routes: Vec<(&'m Flow, Vec<(i32, i32)>)>,
    /// Around all of it but the flows' labels.
    pub extent: WorldRect,
}

/// The whole diagram's boxes, regions and routes (found through `cache`); `None` for a
/// diagram with nothing on it.
pub fn whole<'m>(model: &'m Model, compact: bool, cache: &RouteCache) -> Option<Whole<'m>> {
    let scene = Scene::new(model, compact);
    let routes: Vec<(&Flow, Vec<(i32, i32)>)> = model
        .flows
        .iter()
        .zip(&scene.ends)
        .filter_map(|(f, ends)| Some((f, scene.route(f, (*ends)?, cache))))
        .collect();
    let mut rects: Vec<WorldRect> = scene.obstacles.boxes.clone();
    rects.extend(scene.regions.values().copied());
    let points = routes.iter().flat_map(|(_, points)| points);
    rects.extend(points.map(|&(x, y)| WorldRect { x, y, w: 1, h: 1 }));
    let first = rects.first().copied()?;
    let extent = rects.iter().fold(first, |a, r| a.union(*r));
    Some(Whole {
        regions: scene.regions,
        boxes: scene.obstacles.boxes,
        routes,
        extent,
    })
}

/// The whole diagram drawn into a buffer of its own size (at most `max` cells each way),
/// for images of the complete model rather than a screen's worth.
pub fn full_diagram(model: &Model, theme: &Theme, max: (u16, u16)) -> Buffer {
    let compact = false;
    // Found once: drawing below takes them from the cache.
    let cache = RouteCache::default();
    let Some(whole) = whole(model, compact, &cache) else {
        return Buffer::empty(Rect::new(0, 0, 1, 1));
    };
    // A label (with its ⚠) may run either way from a corner of its route.
    let all = (whole.routes.iter()).fold(whole.extent, |all, (f, points)| {
        let len = f.label.chars().count() as i32 + 2;
        points.iter().fold(all, |all, p| {
            all.union(WorldRect {
                x: p.0 - len,
                y: p.1 - 1,
                w: 2 * len + 1,
                h: 3,
            })
        })
    });
    let width = u16::try_from(all.w + 2).unwrap_or(u16::MAX).min(max.0);
    let height = u16::try_from(all.h + 2).unwrap_or(u16::MAX).min(max.1);
    let area = Rect::new(0, 0, width, height);
    let mut buf = Buffer::empty(area);
    buf.set_style(area, theme.base());
    let mut view = View {
        buf: &mut buf,
        area,
        origin: (all.x - 1, all.y - 1),
    };
    let badges = badges(model, &suggest(model));
    let hl = Highlight {
        selected: None,
        marked: &[],
        badges: Some(&badges),
    };
    draw(&mut view, model, theme, compact, &hl, &cache);
    buf
}

/// What flows are routed around: every box, boundary frame (`frames`, from
/// `boundary_rects`) and boundary title.
fn obstacles(model: &Model, compact: bool, frames: &HashMap<Id, WorldRect>) -> Obstacles {
    let titles = model
        .boundaries
        .iter()
        .filter_map(|b| {
            let r = frames.get(&b.id)?;
            Some(WorldRect {
                x: r.x + 2,
                y: r.y,
                w: boundary_title(b, r.w - 4).chars().count() as i32,
                h: 1,
            })
        })
        .collect();
    Obstacles {
        boxes: model
            .components
            .iter()
            .map(|c| component_rect(c, compact))
            .collect(),
        // In model order, so the same model gives the same obstacles (and cache key).
        frames: model
            .boundaries
            .iter()
            .filter_map(|b| frames.get(&b.id).copied())
            .collect(),
        titles,
    }
}

/// A boundary's title on its top side, `width` columns at most: its name and kind, else its
/// name alone, cut with "…" if need be (the kind is in its form).
fn boundary_title(b: &Boundary, width: i32) -> String {
    let width = width.max(0) as usize;
    let full = format!(" {} [{}] ", b.name, b.kind.label());
    if full.chars().count() <= width {
        return full;
    }
    format!(" {} ", clip(&b.name, width.saturating_sub(2)))
}

/// A flow of the model's route: a polyline of canvas points from source to target.
pub fn route(model: &Model, f: &Flow, compact: bool) -> Option<Vec<(i32, i32)>> {
    let scene = Scene::new(model, compact);
    let at = model.flows.iter().position(|g| g.id == f.id)?;
    Some(route_between(scene.ends[at]?, &scene.obstacles))
}

/// What a diagram's flows are routed through, worked out once per drawing.
struct Scene {
    /// Every boundary's region (see `boundary_rects`).
    regions: HashMap<Id, WorldRect>,
    obstacles: Obstacles,
    /// A digest of `obstacles`: the route cache's key.
    digest: u64,
    /// Each flow's ends, in model order; `None` for a flow whose box is missing.
    ends: Vec<Option<Ends>>,
}

impl Scene {
    fn new(model: &Model, compact: bool) -> Scene {
        let regions = boundary_rects(model, compact);
        let obstacles = obstacles(model, compact, &regions);
        let digest = {
            let mut h = FxHasher::default();
            obstacles.hash(&mut h);
            h.finish()
        };
        let boxes: FxHashMap<&Id, WorldRect> = model
            .components
            .iter()
            .zip(&obstacles.boxes)
            .map(|(c, r)| (&c.id, *r))
            .collect();
        let ends = model
            .flows
            .iter()
            .zip(lanes(model, &boxes))
            .map(|(f, lanes)| Some((*boxes.get(&f.source)?, *boxes.get(&f.target)?, lanes)))
            .collect();
        Scene {
            regions,
            obstacles,
            digest,
            ends,
        }
    }

    /// The route of flow `f`, with ends `ends`, through `cache`.
    fn route(&self, f: &Flow, ends: Ends, cache: &RouteCache) -> Vec<(i32, i32)> {
        cache.route(&f.id, ends, &self.obstacles, self.digest)
    }
}

/// Each flow's lanes (in model order) at its source and at its target: how many flows before
/// it leave that box on the same side, the side that faces the other box. Flows sharing a
/// side then leave and arrive a step or more apart, and run side by side instead of on one
/// trunk where lines cannot be told apart; a flow alone on its side keeps the middle.
fn lanes<'m>(model: &'m Model, boxes: &FxHashMap<&'m Id, WorldRect>) -> Vec<(u32, u32)> {
    let mut seen: FxHashMap<(&'m Id, usize), u32> = FxHashMap::default();
    let mut lane = |at: &'m Id, from: WorldRect, to: WorldRect| {
        let n = seen.entry((at, facing(from, to))).or_default();
        *n += 1;
        *n - 1
    };
    model
        .flows
        .iter()
        .map(|f| match (boxes.get(&f.source), boxes.get(&f.target)) {
            (Some(&s), Some(&t)) => (lane(&f.source, s, t), lane(&f.target, t, s)),
            _ => (0, 0),
        })
        .collect()
}

/// The side of `from` that faces `to` (0 right, 1 down, 2 left, 3 up; right for the box
/// itself). A cell is about twice as tall as it is wide, so columns count half.
fn facing(from: WorldRect, to: WorldRect) -> usize {
    let dx = (to.x + to.w / 2) - (from.x + from.w / 2);
    let dy = (to.y + to.h / 2) - (from.y + from.h / 2);
    if dx.abs() >= 2 * dy.abs() {
        if dx >= 0 { 0 } else { 2 }
    } else if dy > 0 {
        1
    } else {
        3
    }
}

/// The route between a flow's ends around `obstacles`; where boxes wall the target in, the
/// direct three-segment line.
fn route_between((s, t, lanes): Ends, obstacles: &Obstacles) -> Vec<(i32, i32)> {
    routing::route(s, t, lanes, obstacles).unwrap_or_else(|| direct_route(s, t))
}

/// Routes found for earlier frames, kept while nothing they avoid moves: finding one is the
/// costly part of drawing a diagram.
#[derive(Debug, Default)]
pub struct RouteCache(RefCell<CachedRoutes>);

/// A flow's source and target boxes, and its lanes at each (see `lanes`).
type Ends = (WorldRect, WorldRect, (u32, u32));

#[derive(Debug, Default)]
struct CachedRoutes {
    /// A digest of the obstacles the routes avoid.
    obstacles: u64,
    /// Per flow: its two boxes and its route.
    routes: HashMap<Id, (Ends, Vec<(i32, i32)>)>,
}

impl RouteCache {
    /// Whether `flow`'s line, as last drawn, passes through canvas cell (x, y).
    pub fn passes(&self, flow: &Id, x: i32, y: i32) -> bool {
        self.0.borrow().routes.get(flow).is_some_and(|(_, r)| {
            r.windows(2).any(|w| {
                let ((x0, y0), (x1, y1)) = (w[0], w[1]);
                (x0.min(x1)..=x0.max(x1)).contains(&x) && (y0.min(y1)..=y0.max(y1)).contains(&y)
            })
        })
    }

    /// Forgets every route.
    pub fn clear(&self) {
        self.0.borrow_mut().routes.clear();
    }

    fn route(&self, flow: &Id, ends: Ends, obstacles: &Obstacles, digest: u64) -> Vec<(i32, i32)> {
        let mut c = self.0.borrow_mut();
        if c.obstacles != digest {
            c.obstacles = digest;
            c.routes.clear();
        }
        if let Some((kept, r)) = c.routes.get(flow)
            && *kept == ends
        {
            return r.clone();
        }
        let r = route_between(ends, obstacles);
        c.routes.insert(flow.clone(), (ends, r.clone()));
        r
    }
}

fn direct_route(s: WorldRect, t: WorldRect) -> Vec<(i32, i32)> {
    let (sy, ty) = (s.y + s.h / 2, t.y + t.h / 2);
    if t.x >= s.x + s.w + 2 {
        let (x0, x1) = (s.x + s.w, t.x - 1);
        let mid = (x0 + x1) / 2;
        vec![(x0, sy), (mid, sy), (mid, ty), (x1, ty)]
    } else if s.x >= t.x + t.w + 2 {
        let (x0, x1) = (s.x - 1, t.x + t.w);
        let mid = (x0 + x1) / 2;
        vec![(x0, sy), (mid, sy), (mid, ty), (x1, ty)]
    } else {
        let (sx, tx) = (s.x + s.w / 2, t.x + t.w / 2);
        let (y0, y1) = if t.y > s.y {
            (s.y + s.h, t.y - 1)
        } else {
            (s.y - 1, t.y + t.h)
        };
        let mid = (y0 + y1) / 2;
        vec![(sx, y0), (sx, mid), (tx, mid), (tx, y1)]
    }
}

/// Maps canvas cells to screen cells through the viewport, clipping to `area`.
pub struct View<'b> {
    pub buf: &'b mut Buffer,
    pub area: Rect,
    pub origin: (i32, i32),
}

impl View<'_> {
    fn put(&mut self, x: i32, y: i32, symbol: &str, style: Style) {
        let sx = x - self.origin.0 + i32::from(self.area.x);
        let sy = y - self.origin.1 + i32::from(self.area.y);
        let inside = sx >= i32::from(self.area.x)
            && sy >= i32::from(self.area.y)
            && sx < i32::from(self.area.right())
            && sy < i32::from(self.area.bottom());
        if inside && let Some(cell) = self.buf.cell_mut((sx as u16, sy as u16)) {
            cell.set_symbol(symbol).set_style(style);
        }
    }

    /// The symbol on the canvas at `(x, y)`, if that is on screen.
    fn symbol(&self, x: i32, y: i32) -> Option<String> {
        let sx = u16::try_from(x - self.origin.0 + i32::from(self.area.x)).ok()?;
        let sy = u16::try_from(y - self.origin.1 + i32::from(self.area.y)).ok()?;
        self.area
            .contains((sx, sy).into())
            .then(|| self.buf.cell((sx, sy)))
            .flatten()
            .map(|c| c.symbol().to_owned())
    }

    fn text(&mut self, x: i32, y: i32, s: &str, max: usize, style: Style) {
        for (i, c) in s.chars().take(max).enumerate() {
            let c = if c.is_control() { '\u{fffd}' } else { c };
            self.put(x + i as i32, y, c.encode_utf8(&mut [0; 4]), style);
        }
    }

    fn visible(&self, r: WorldRect) -> bool {
        let (w, h) = (i32::from(self.area.width), i32::from(self.area.height));
        r.x + r.w >= self.origin.0
            && r.x <= self.origin.0 + w
            && r.y + r.h >= self.origin.1
            && r.y <= self.origin.1 + h
    }
}

/// What is highlighted on the canvas.
#[derive(Debug, Clone, Default)]
pub struct Highlight<'a> {
    pub selected: Option<&'a Id>,
    pub marked: &'a [Id],
    /// Per element: what its box's top border counts.
    pub badges: Option<&'a HashMap<Id, Badge>>,
}

/// What an element's box counts on its top border.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Badge {
    /// Threats against it still open, and the highest current risk among them.
    pub threats: usize,
    pub worst: Option<RiskLevel>,
    /// Concrete suggestions waiting.
    pub suggestions: usize,
}

/// Each element's badge: its open threats and its waiting concrete suggestions (among
/// `suggestions`, the model's).
pub fn badges(model: &Model, suggestions: &[Suggestion]) -> HashMap<Id, Badge> {
    let mut out: HashMap<Id, Badge> = HashMap::new();
    for t in model.threats.iter().filter(|t| !t.status.is_closed()) {
        let level = model.current_level(t);
        for x in &t.targets {
            let b = out.entry(x.clone()).or_default();
            b.threats += 1;
            b.worst = b.worst.max(Some(level));
        }
    }
    for s in suggestions.iter().filter(|s| !s.is_generic()) {
        out.entry(s.target.clone()).or_default().suggestions += 1;
    }
    out
}

fn frame(v: &mut View<'_>, r: WorldRect, chars: [&str; 6], style: Style) {
    let [tl, tr, bl, br, h, vert] = chars;
    for x in r.x + 1..r.x + r.w - 1 {
        v.put(x, r.y, h, style);
        v.put(x, r.y + r.h - 1, h, style);
    }
    for y in r.y + 1..r.y + r.h - 1 {
        v.put(r.x, y, vert, style);
        v.put(r.x + r.w - 1, y, vert, style);
    }
    v.put(r.x, r.y, tl, style);
    v.put(r.x + r.w - 1, r.y, tr, style);
    v.put(r.x, r.y + r.h - 1, bl, style);
    v.put(r.x + r.w - 1, r.y + r.h - 1, br, style);
}

pub fn draw(
    v: &mut View<'_>,
    model: &Model,
    theme: &Theme,
    compact: bool,
    hl: &Highlight<'_>,
    cache: &RouteCache,
) {
    let scene = Scene::new(model, compact);
    for b in &model.boundaries {
        let Some(r) = scene.regions.get(&b.id) else {
            continue;
        };
        if !v.visible(*r) {
            continue;
        }
        let selected = hl.selected == Some(&b.id);
        let style = if selected {
            theme.selected()
        } else {
            theme.fg(theme.boundary)
        };
        frame(v, *r, ["┌", "┐", "└", "┘", "┄", "┆"], style);
        let title = boundary_title(b, r.w - 4);
        v.text(
            r.x + 2,
            r.y,
            &title,
            (r.w - 4).max(0) as usize,
            style.add_modifier(Modifier::BOLD),
        );
    }
    let routes: Vec<(&Flow, Vec<(i32, i32)>)> = model
        .flows
        .iter()
        .zip(&scene.ends)
        .filter_map(|(f, ends)| {
            let points = visible_route(v, (*ends)?, |ends| scene.route(f, ends, cache))?;
            Some((f, points))
        })
        .collect();
    let obstacles = &scene.obstacles;
    let mut taken = Taken {
        rects: obstacles.boxes.clone(),
        lines: FxHashSet::default(),
        frames: &obstacles.frames,
    };
    taken.rects.extend(obstacles.titles.iter().copied());
    // A line's two ends, beside its boxes (where the arrows are), are never under a label:
    // without them no one can tell which box a line reaches.
    taken.rects.extend(
        routes
            .iter()
            .flat_map(|(_, points)| [points.first(), points.last()])
            .flatten()
            .map(|&(x, y)| WorldRect { x, y, w: 1, h: 1 }),
    );

    let mut labels = Vec::new();
    for (f, points) in &routes {
        labels.push(draw_flow(v, model, f, points, theme, hl, &taken.lines));
        taken.lines.extend(routing::cells(points));
    }
    // Labels last, so no line crosses one.
    let mut selected_cut = None;
    for ((f, points), (mark, style)) in routes.iter().zip(labels) {
        let placed = place_label(points, mark, &f.label, &mut taken);
        if let Some((x, y, text)) = &placed {
            v.text(*x, *y, text, text.chars().count(), style);
            // A reviewed crossing's tick in the colour of low risk, unless it is selected.
            if text.starts_with('✓') && hl.selected != Some(&f.id) {
                let tick = theme.fg(theme.risk_low).add_modifier(Modifier::BOLD);
                v.put(*x, *y, "✓", tick);
            }
        }
        let whole = format!("{mark}{}", f.label);
        if hl.selected == Some(&f.id) && placed.as_ref().is_none_or(|p| p.2 != whole) {
            // Unplaced, it goes above the longest run, where a label would.
            let run = straights(points, true).first().map(|r| (r.0, r.1 - 1));
            let (x, y) = placed.map_or(run.unwrap_or(points[0]), |p| (p.0, p.1));
            selected_cut = Some((x, y, whole, style));
        }
    }
    for (c, r) in model.components.iter().zip(&obstacles.boxes) {
        if v.visible(*r) {
            draw_component(v, c, *r, theme, compact, hl);
        }
    }
    // The selected flow's label whole, over whatever cut it short: it reads without a layout.
    if let Some((x, y, text, style)) = selected_cut {
        v.text(x, y, &text, text.chars().count(), style);
    }
}

fn draw_component(
    v: &mut View<'_>,
    c: &Component,
    r: WorldRect,
    theme: &Theme,
    compact: bool,
    hl: &Highlight<'_>,
) {
    let (chars, color) = match c.kind {
        ComponentKind::Process => (["╭", "╮", "╰", "╯", "─", "│"], theme.process),
        ComponentKind::DataStore => (["╔", "╗", "╚", "╝", "═", "║"], theme.data_store),
        ComponentKind::ExternalEntity => (["┌", "┐", "└", "┘", "─", "│"], theme.external),
    };
    let marked = hl.marked.contains(&c.id);
    let mut style = theme.fg(color);
    if c.out_of_scope.is_some() {
        style = style.add_modifier(Modifier::DIM);
    }
    if marked {
        style = theme.fg(theme.marked).add_modifier(Modifier::BOLD);
    }
    if hl.selected == Some(&c.id) {
        style = theme.selected();
    }
    for y in r.y + 1..r.y + r.h - 1 {
        for x in r.x + 1..r.x + r.w - 1 {
            v.put(x, y, " ", theme.base());
        }
    }
    frame(v, r, chars, style);
    // Badges on the top border: ⚑ open threats, in the colour of the worst of them, and
    // ? waiting suggestions.
    if let Some(b) = hl.badges.and_then(|b| b.get(&c.id)) {
        let mut badge = String::new();
        if b.threats > 0 {
            badge.push_str(&format!("⚑{}", b.threats));
        }
        if b.suggestions > 0 {
            badge.push_str(&format!(" ?{}", b.suggestions));
        }
        if !badge.is_empty() {
            let badge = format!(" {} ", badge.trim());
            let len = badge.chars().count() as i32;
            let x = r.x + r.w - 1 - len;
            let bold = Modifier::BOLD;
            v.text(
                x,
                r.y,
                &badge,
                len as usize,
                theme.fg(theme.selection).add_modifier(bold),
            );
            if let Some(worst) = b.worst {
                let flag = format!("⚑{}", b.threats);
                let style = theme.fg(theme.level(worst)).add_modifier(bold);
                v.text(x + 1, r.y, &flag, flag.chars().count(), style);
            }
        }
    }
    let inner = (r.w - 2) as usize;
    let name = if marked {
        format!("*{}", c.name)
    } else {
        c.name.clone()
    };
    // Each line centred inside the box's borders.
    let mut centred = |row: i32, text: &str, style: Style| {
        let pad = inner.saturating_sub(text.chars().count()) / 2;
        v.text(r.x + 1 + pad as i32, r.y + row, text, inner, style);
    };
    let bold = theme.fg(theme.foreground).add_modifier(Modifier::BOLD);
    // A name too long for its line takes the next one too, the technology's: the name is
    // what tells boxes apart.
    let lines = if compact {
        vec![clip(&name, inner)]
    } else {
        wrap(&name, inner, 2)
    };
    centred(1, &lines[0], bold);
    if let Some(second) = lines.get(1) {
        centred(2, second, bold);
    } else if !compact {
        let tech = if c.technology.is_empty() {
            c.kind.label()
        } else {
            &c.technology
        };
        centred(2, &clip(tech, inner), theme.fg(theme.muted));
    }
}

/// The route between two boxes (given by `route`), unless it is out of view.
fn visible_route(
    v: &View<'_>,
    ends @ (s, t, _): Ends,
    route: impl FnOnce(Ends) -> Vec<(i32, i32)>,
) -> Option<Vec<(i32, i32)>> {
    // Routes stay within reach of their boxes: the others need not be found.
    let reach = s.union(t);
    let reach = WorldRect {
        x: reach.x - routing::REACH,
        y: reach.y - routing::REACH,
        w: reach.w + 2 * routing::REACH,
        h: reach.h + 2 * routing::REACH,
    };
    if !v.visible(reach) {
        return None;
    }
    let points = route(ends);
    let (xs, ys) = (points.iter().map(|p| p.0), points.iter().map(|p| p.1));
    let (x0, y0) = (xs.clone().min()?, ys.clone().min()?);
    let bounds = WorldRect {
        x: x0,
        y: y0,
        w: xs.max()? - x0 + 1,
        h: ys.max()? - y0 + 1,
    };
    v.visible(bounds).then_some(points)
}

/// Draws a flow's line and arrows; gives its label's mark (✓ once it is reviewed, else ⚠ for
/// a crossing) and style.
fn draw_flow(
    v: &mut View<'_>,
    model: &Model,
    f: &Flow,
    points: &[(i32, i32)],
    theme: &Theme,
    hl: &Highlight<'_>,
    earlier: &FxHashSet<(i32, i32)>,
) -> (&'static str, Style) {
    let crossing = model.crosses_boundary(f);
    let (h, vert, corners) = if crossing {
        ("━", "┃", ["┏", "┓", "┗", "┛"])
    } else {
        ("─", "│", ["┌", "┐", "└", "┘"])
    };
    let mut style = theme.fg(if crossing {
        theme.flow_crossing
    } else {
        theme.flow
    });
    if crossing {
        style = style.add_modifier(Modifier::BOLD);
    }
    if hl.selected == Some(&f.id) {
        style = theme.selected();
    }
    // This flow's own line first (its corners over its straight runs), then joined to the
    // lines already drawn.
    let mut own: FxHashMap<(i32, i32), &'static str> = FxHashMap::default();
    for w in points.windows(2) {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        if y0 == y1 {
            for x in x0.min(x1)..=x0.max(x1) {
                own.insert((x, y0), h);
            }
        } else {
            for y in y0.min(y1)..=y0.max(y1) {
                own.insert((x0, y), vert);
            }
        }
    }
    // A corner joins the two directions it connects: ┌ right+down, ┐ left+down, └ right+up,
    // ┘ left+up (heavy variants for crossing flows).
    for w in points.windows(3) {
        let (a, b, c) = (w[0], w[1], w[2]);
        if a == b || b == c || (a.0 == c.0 || a.1 == c.1) && (a.0 == b.0) == (b.0 == c.0) {
            continue;
        }
        let towards = |p: (i32, i32)| (p.0.cmp(&b.0), p.1.cmp(&b.1));
        use std::cmp::Ordering::{Greater, Less};
        let dirs = [towards(a), towards(c)];
        let right = dirs.iter().any(|d| d.0 == Greater);
        let down = dirs.iter().any(|d| d.1 == Greater);
        let up = dirs.iter().any(|d| d.1 == Less);
        let corner = match (right, down, up) {
            (true, true, _) => corners[0],
            (false, true, _) => corners[1],
            (true, false, true) => corners[2],
            _ => corners[3],
        };
        own.insert(b, corner);
    }
    for ((x, y), glyph) in own {
        let joined = earlier
            .contains(&(x, y))
            .then(|| v.symbol(x, y).and_then(|old| join(&old, glyph)))
            .flatten();
        v.put(x, y, joined.unwrap_or(glyph), style);
    }
    let n = points.len();
    v.put(
        points[n - 1].0,
        points[n - 1].1,
        arrow(points[n - 2], points[n - 1]),
        style,
    );
    if f.bidirectional {
        v.put(points[0].0, points[0].1, arrow(points[1], points[0]), style);
    }
    // A flow a reviewer has walked is ticked off, a crossing left is flagged: the diagram
    // shows what is left.
    let mark = match (crossing, f.reviewed()) {
        (_, true) => "✓ ",
        (true, false) => "⚠ ",
        (false, false) => "",
    };
    (mark, style.remove_modifier(Modifier::REVERSED))
}

/// The arrowhead of a line arriving at `to` from `from`.
pub fn arrow(from: (i32, i32), to: (i32, i32)) -> &'static str {
    if to.0 > from.0 {
        "▶"
    } else if to.0 < from.0 {
        "◀"
    } else if to.1 > from.1 {
        "▼"
    } else {
        "▲"
    }
}

/// Box-drawing line glyphs by the weight of the line each reaches up, down, left and right
/// (0 none, 1 light, 2 heavy), the four weights a number in base 3 (up the highest digit):
/// every mix of light and heavy arms has its glyph.
const LINES: [&str; 81] = [
    " ", "╶", "╺", "╴", "─", "╼", "╸", "╾", "━", "╷", "┌", "┍", "┐", "┬", "┮", "┑", "┭", "┯", "╻",
    "┎", "┏", "┒", "┰", "┲", "┓", "┱", "┳", "╵", "└", "┕", "┘", "┴", "┶", "┙", "┵", "┷", "│", "├",
    "┝", "┤", "┼", "┾", "┥", "┽", "┿", "╽", "┟", "┢", "┧", "╁", "╆", "┪", "╅", "╈", "╹", "┖", "┗",
    "┚", "┸", "┺", "┛", "┹", "┻", "╿", "┞", "┡", "┦", "╀", "╄", "┩", "╃", "╇", "┃", "┠", "┣", "┨",
    "╂", "╊", "┫", "╉", "╋",
];

/// The weight of a line glyph's arms: up, down, left, right (see `LINES`).
fn reach(glyph: &str) -> Option<[usize; 4]> {
    let i = LINES.iter().skip(1).position(|g| *g == glyph)? + 1;
    Some([i / 27, i / 9 % 3, i / 3 % 3, i % 3])
}

/// The junction of line glyph `new` drawn over `old`, an earlier flow's, when either bends:
/// a corner on a straight run, or a run through a corner, becomes the junction of both (`┃`
/// and `┗` make `┣`), so routes that share a channel show where they part; each arm keeps the
/// heavier of the lines along it (`┃` and `└` make `┠`). Straight runs that cross give `None`,
/// to draw `new` on top: a junction there would join flows that only cross.
fn join(old: &str, new: &str) -> Option<&'static str> {
    let (a, b) = (reach(old)?, reach(new)?);
    let straight = |w: [usize; 4]| {
        let arms = w.map(|w| w > 0);
        arms == [true, true, false, false] || arms == [false, false, true, true]
    };
    if straight(a) && straight(b) {
        return None;
    }
    let [u, d, l, r] = [0, 1, 2, 3].map(|i| a[i].max(b[i]));
    Some(LINES[u * 27 + d * 9 + l * 3 + r])
}

/// What a label should not cover: boxes, boundary titles and labels placed before (`rects`),
/// and, if it can help it, flows' lines and boundaries' frames.
struct Taken<'a> {
    rects: Vec<WorldRect>,
    lines: FxHashSet<(i32, i32)>,
    frames: &'a [WorldRect],
}

impl Taken<'_> {
    /// How many cells of row `r` are on a line or a frame.
    fn covered(&self, r: WorldRect) -> usize {
        let (x0, x1) = (r.x, r.x + r.w);
        let on_lines = (x0..x1).filter(|x| self.lines.contains(&(*x, r.y))).count();
        let on_frames: i32 = self
            .frames
            .iter()
            .map(|f| {
                if r.y == f.y || r.y == f.y + f.h - 1 {
                    (x1.min(f.x + f.w) - x0.max(f.x)).max(0)
                } else if r.y > f.y && r.y < f.y + f.h - 1 {
                    [f.x, f.x + f.w - 1]
                        .iter()
                        .filter(|x| (x0..x1).contains(*x))
                        .count() as i32
                } else {
                    0
                }
            })
            .sum();
        on_lines + on_frames as usize
    }
}

/// Where a label goes along a route: just above or below a horizontal run, longest run
/// first, over nothing in `taken` (boxes, boundary titles, labels placed before), which it
/// joins. Whole if it fits somewhere, else cut with an ellipsis and without its `mark` (the
/// line's weight says as much).
fn place_label(
    points: &[(i32, i32)],
    mark: &str,
    label: &str,
    taken: &mut Taken<'_>,
) -> Option<(i32, i32, String)> {
    let text = format!("{mark}{label}");
    let len = text.chars().count() as i32;
    let runs = straights(points, true);
    // Rows only: a label is one row high.
    let free = |r: WorldRect| !taken.rects.iter().any(|b| r.overlaps(*b));
    let row = |x: i32, y: i32, w: i32| WorldRect { x, y, w, h: 1 };
    let spots: Vec<WorldRect> = runs
        .iter()
        .flat_map(|&(x0, y0, span)| {
            [y0 - 1, y0 + 1].into_iter().flat_map(move |y| {
                [x0 + (span - len) / 2, x0, x0 + span - len].map(|x| row(x, y, len))
            })
        })
        // Beside a vertical run, at its middle, right then left of it.
        .chain(
            straights(points, false)
                .into_iter()
                .flat_map(|(y0, x, span)| [x + 1, x - len].map(|x| row(x, y0 + span / 2, len))),
        )
        .collect();
    // Whole, over as few lines as it can: above or below a horizontal run (centred on it,
    // else starting or ending with it), else beside a vertical one.
    let whole = spots
        .iter()
        .copied()
        .filter(|r| free(*r))
        .min_by_key(|r| taken.covered(*r));
    let (r, text) = match whole {
        Some(r) => (r, text),
        None => {
            // Cut: the widest free stretch from the start of a run.
            let (r, w) = runs
                .iter()
                .flat_map(|&(x0, y0, _)| [(x0, y0 - 1), (x0, y0 + 1)])
                .map(|(x, y)| {
                    let w = (1..len).take_while(|&w| free(row(x, y, w))).last();
                    (row(x, y, 0), w.unwrap_or(0))
                })
                .max_by_key(|(_, w)| *w)?;
            // Three letters at least, or the label says nothing.
            if w < 4 {
                return None;
            }
            let cut: String = label.chars().take(w as usize - 1).collect();
            let text = format!("{}…", cut.trim_end());
            let w = text.chars().count() as i32;
            (WorldRect { w, ..r }, text)
        }
    };
    taken.rects.push(r);
    Some((r.x, r.y, text))
}

/// A route's horizontal (or vertical) runs of 3 cells or more, as (start, row or column,
/// length), longest first; the sort is stable, so the run nearer the source wins a tie.
fn straights(points: &[(i32, i32)], horizontal: bool) -> Vec<(i32, i32, i32)> {
    let along = |p: (i32, i32)| if horizontal { (p.0, p.1) } else { (p.1, p.0) };
    let mut runs: Vec<(i32, i32, i32)> = points
        .windows(2)
        .map(|w| (along(w[0]), along(w[1])))
        .filter(|((_, a), (_, b))| a == b)
        .map(|((s, a), (e, _))| (s.min(e), a, (s - e).abs() + 1))
        .filter(|r| r.2 >= 3)
        .collect();
    runs.sort_by_key(|r| std::cmp::Reverse(r.2));
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundled() -> Vec<Model> {
        ["serverless-webapp", "iot-fleet"]
            .iter()
            .map(|name| {
                let path = format!("{}/models/{name}.ron", env!("CARGO_MANIFEST_DIR"));
                let text = std::fs::read_to_string(&path).expect("bundled model");
                crate::format::ron::parse(&text, std::path::Path::new(&path)).expect("valid model")
            })
            .collect()
    }

    #[test]
    fn lines_that_share_a_cell_join_where_one_bends_and_cross_where_both_run_straight() {
        // A channel and a flow leaving it: the channel goes on, with a branch.
        assert_eq!(join("┃", "┗"), Some("┣"));
        assert_eq!(join("┗", "┃"), Some("┣"));
        assert_eq!(join("━", "┓"), Some("┳"));
        // Two flows turning opposite ways off one channel reach all four sides.
        assert_eq!(join("┓", "┗"), Some("╋"));
        // Each arm keeps the heavier line along it: a light flow leaving a heavy channel
        // leaves it heavy, and a heavy one leaving a light channel goes on heavy.
        assert_eq!(join("┃", "└"), Some("┠"));
        assert_eq!(join("│", "┏"), Some("┢"));
        assert_eq!(join("━", "┐"), Some("┯"));
        assert_eq!(join("┐", "━"), Some("┯"));
        assert_eq!(join("┘", "┏"), Some("╆"));
        assert_eq!(reach("┣"), Some([2, 2, 0, 2]));
        assert_eq!(reach("─"), Some([0, 0, 1, 1]));
        assert_eq!(reach("┍"), Some([0, 1, 0, 2]));
        assert_eq!(reach(" "), None);
        // Straight runs only cross: no junction joins flows that do not meet.
        assert_eq!(join("━", "┃"), None);
        assert_eq!(join("│", "─"), None);
        assert_eq!(join("━", "━"), None);
        // A boundary's dashed frame or an arrow is no line to join.
        assert_eq!(join("┆", "┗"), None);
        assert_eq!(join("▶", "┏"), None);
    }

    #[test]
    fn boxes_on_top_of_each_other_still_get_a_line() {
        let mut m = Model::new("stacked");
        for id in ["a", "b"] {
            m.components
                .push(Component::new(id, id, ComponentKind::Process));
        }
        m.flows.push(Flow::new("f", "a", "b", "x"));
        let points = route(&m, &m.flows[0], false).expect("both ends exist");
        assert!(points.len() >= 2, "{points:?}");
    }

    /// A model of boxes at `at` (ids a, b, c…) and flows between them by index.
    fn placed(at: &[(i32, i32)], flows: &[(usize, usize)]) -> Model {
        let mut m = Model::new("placed");
        let ids: Vec<String> = (0..at.len())
            .map(|i| ((b'a' + i as u8) as char).to_string())
            .collect();
        for (id, &(x, y)) in ids.iter().zip(at) {
            let mut c = Component::new(id.as_str(), id, ComponentKind::Process);
            c.position = crate::model::Point { x, y };
            m.components.push(c);
        }
        for (i, &(s, t)) in flows.iter().enumerate() {
            let id = format!("f{i}");
            m.flows.push(Flow::new(
                id.as_str(),
                ids[s].as_str(),
                ids[t].as_str(),
                &id,
            ));
        }
        m
    }

    #[test]
    fn flows_sharing_a_side_of_a_box_leave_and_arrive_apart() {
        // a on the left; b and c to its right, one above the other, both fed by a and both
        // feeding d further right.
        let m = placed(
            &[(0, 4), (40, 0), (40, 8), (80, 4)],
            &[(0, 1), (0, 2), (1, 3), (2, 3)],
        );
        let routes: Vec<Vec<(i32, i32)>> = m
            .flows
            .iter()
            .map(|f| route(&m, f, false).expect("both ends exist"))
            .collect();
        // a's two flows start on different cells, d's two arrive on different cells.
        assert_ne!(routes[0][0], routes[1][0], "{routes:?}");
        assert_ne!(routes[2].last(), routes[3].last(), "{routes:?}");
        // b and c have one flow in and one out on each side: the middle of the side.
        let (b, c) = (
            component_rect(&m.components[1], false),
            component_rect(&m.components[2], false),
        );
        assert_eq!(
            routes[0].last().map(|p| p.1),
            Some(b.y + b.h / 2),
            "{routes:?}"
        );
        assert_eq!(routes[3][0].1, c.y + c.h / 2, "{routes:?}");
    }

    #[test]
    fn no_label_hides_where_a_line_meets_its_box() {
        let theme = crate::tui::theme::Theme::load("dark", None).expect("theme");
        for model in bundled() {
            let origin = (-routing::REACH, -routing::REACH);
            let area = Rect::new(0, 0, 400, 200);
            let mut buf = Buffer::empty(area);
            let mut view = View {
                buf: &mut buf,
                area,
                origin,
            };
            let hl = Highlight {
                selected: None,
                marked: &[],
                badges: None,
            };
            let cache = RouteCache::default();
            draw(&mut view, &model, &theme, false, &hl, &cache);
            let labels: Vec<char> = model.flows.iter().flat_map(|f| f.label.chars()).collect();
            for f in &model.flows {
                let points = route(&model, f, false).expect("both ends exist");
                for (x, y) in [points[0], points[points.len() - 1]] {
                    let (sx, sy) = ((x - origin.0) as u16, (y - origin.1) as u16);
                    let symbol = buf[(sx, sy)].symbol();
                    // Line glyphs are not letters of any label of these models.
                    let c = symbol.chars().next().expect("a symbol");
                    assert!(
                        !c.is_alphanumeric() && !labels.contains(&c),
                        "{}: {symbol:?} at ({x}, {y})",
                        f.id.as_str()
                    );
                }
            }
        }
    }

    #[test]
    fn a_boundary_title_drops_its_kind_then_cuts_its_name_to_fit() {
        let b = Boundary {
            id: "ot".into(),
            name: "Site OT network".into(),
            kind: crate::model::BoundaryKind::Network,
            description: String::new(),
            parent: None,
            members: Vec::new(),
            area: Default::default(),
        };
        assert_eq!(boundary_title(&b, 40), " Site OT network [network] ");
        assert_eq!(boundary_title(&b, 20), " Site OT network ");
        assert_eq!(boundary_title(&b, 10), " Site OT… ");
    }

    #[test]
    fn bundled_flows_pass_through_no_box_and_no_boundary_title() {
        for model in bundled() {
            let o = Scene::new(&model, false).obstacles;
            assert!(!model.flows.is_empty());
            for f in &model.flows {
                let points = route(&model, f, false).expect("both ends exist");
                // Boxes a cell apart: the line is that cell, drawn from the source's border
                // (which the box then covers).
                let skip = usize::from(
                    points.len() == 2
                        && points[0].0.abs_diff(points[1].0) + points[0].1.abs_diff(points[1].1)
                            == 1,
                );
                for (x, y) in routing::cells(&points).into_iter().skip(skip) {
                    let hit = o.boxes.iter().chain(&o.titles).find(|r| r.contains(x, y));
                    assert_eq!(hit, None, "{} at ({x}, {y}): {points:?}", f.id.as_str());
                }
            }
        }
    }
}
