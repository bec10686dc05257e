//! The diagram canvas: boxes per component kind, dashed trust-boundary regions, orthogonally
//! routed flows with labels that avoid boxes, drawn into a buffer through a viewport.
//! Boundary-crossing flows use heavy lines, so they stand out without colour too.

use super::theme::Theme;
use crate::analysis::suggestions::{Suggestion, suggest};
use crate::model::layout::{BOX_HEIGHT, BOX_WIDTH};
use crate::model::{Component, ComponentKind, Flow, Id, Model};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use std::collections::HashMap;

/// A rectangle in canvas (world) cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    // Children before parents: repeat until stable (nesting depth is small).
    for _ in 0..=model.boundaries.len() {
        let mut changed = false;
        for b in &model.boundaries {
            let mut r: Option<WorldRect> = None;
            for m in &b.members {
                if let Some(c) = model.component(m.as_str()) {
                    let cr = component_rect(c, compact);
                    r = Some(r.map_or(cr, |r| r.union(cr)));
                }
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

/// The whole diagram drawn into a buffer of its own size (at most `max` cells each way),
/// for images of the complete model rather than a screen's worth.
pub fn full_diagram(model: &Model, theme: &Theme, max: (u16, u16)) -> Buffer {
    let compact = false;
    let mut rects: Vec<WorldRect> = model
        .components
        .iter()
        .map(|c| component_rect(c, compact))
        .collect();
    rects.extend(boundary_rects(model, compact).into_values());
    for f in &model.flows {
        if let Some(points) = route(model, f, compact) {
            rects.extend(points.iter().map(|p| WorldRect {
                x: p.0,
                y: p.1 - 1,
                w: f.label.chars().count() as i32 + 4,
                h: 3,
            }));
        }
    }
    let Some(first) = rects.first().copied() else {
        return Buffer::empty(Rect::new(0, 0, 1, 1));
    };
    let all = rects.iter().fold(first, |a, r| a.union(*r));
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
    draw(&mut view, model, theme, compact, &hl);
    buf
}

/// A flow's route: a polyline of canvas points from source to target.
pub fn route(model: &Model, f: &Flow, compact: bool) -> Option<Vec<(i32, i32)>> {
    let s = component_rect(model.component(f.source.as_str())?, compact);
    let t = component_rect(model.component(f.target.as_str())?, compact);
    let (sy, ty) = (s.y + s.h / 2, t.y + t.h / 2);
    let points = if t.x >= s.x + s.w + 2 {
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
    };
    Some(points)
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
    /// Per element: (threats still open, suggestions waiting).
    pub badges: Option<&'a HashMap<Id, (usize, usize)>>,
}

/// Open threats and waiting concrete suggestions (among `suggestions`, the model's) per
/// element, for the badges.
pub fn badges(model: &Model, suggestions: &[Suggestion]) -> HashMap<Id, (usize, usize)> {
    let mut out: HashMap<Id, (usize, usize)> = HashMap::new();
    for t in model.threats.iter().filter(|t| !t.status.is_closed()) {
        for x in &t.targets {
            out.entry(x.clone()).or_default().0 += 1;
        }
    }
    for s in suggestions.iter().filter(|s| !s.is_generic()) {
        out.entry(s.target.clone()).or_default().1 += 1;
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

pub fn draw(v: &mut View<'_>, model: &Model, theme: &Theme, compact: bool, hl: &Highlight<'_>) {
    let rects = boundary_rects(model, compact);
    for b in &model.boundaries {
        let Some(r) = rects.get(&b.id) else { continue };
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
        let title = format!(" {} [{}] ", b.name, b.kind.label());
        v.text(
            r.x + 2,
            r.y,
            &title,
            (r.w - 4).max(0) as usize,
            style.add_modifier(Modifier::BOLD),
        );
    }
    let boxes: Vec<WorldRect> = model
        .components
        .iter()
        .map(|c| component_rect(c, compact))
        .collect();
    for f in &model.flows {
        draw_flow(v, model, f, theme, compact, hl, &boxes);
    }
    for (c, r) in model.components.iter().zip(&boxes) {
        if v.visible(*r) {
            draw_component(v, c, *r, theme, compact, hl);
        }
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
    // Badges on the top border: ⚑ open threats, ? waiting suggestions.
    if let Some((threats, suggestions)) = hl.badges.and_then(|b| b.get(&c.id)) {
        let mut badge = String::new();
        if *threats > 0 {
            badge.push_str(&format!("⚑{threats}"));
        }
        if *suggestions > 0 {
            badge.push_str(&format!(" ?{suggestions}"));
        }
        if !badge.is_empty() {
            let badge = format!(" {} ", badge.trim());
            let len = badge.chars().count() as i32;
            v.text(
                r.x + r.w - 1 - len,
                r.y,
                &badge,
                len as usize,
                theme.fg(theme.selection).add_modifier(Modifier::BOLD),
            );
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
    centred(
        1,
        &name,
        theme.fg(theme.foreground).add_modifier(Modifier::BOLD),
    );
    if !compact {
        let tech = if c.technology.is_empty() {
            c.kind.label()
        } else {
            &c.technology
        };
        centred(2, tech, theme.fg(theme.muted));
    }
}

fn draw_flow(
    v: &mut View<'_>,
    model: &Model,
    f: &Flow,
    theme: &Theme,
    compact: bool,
    hl: &Highlight<'_>,
    boxes: &[WorldRect],
) {
    let Some(points) = route(model, f, compact) else {
        return;
    };
    let bounds = points.iter().fold(
        WorldRect {
            x: points[0].0,
            y: points[0].1,
            w: 1,
            h: 1,
        },
        |r, p| {
            r.union(WorldRect {
                x: p.0,
                y: p.1,
                w: 1,
                h: 1,
            })
        },
    );
    if !v.visible(bounds) {
        return;
    }
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
    for w in points.windows(2) {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        if y0 == y1 {
            for x in x0.min(x1)..=x0.max(x1) {
                v.put(x, y0, h, style);
            }
        } else {
            for y in y0.min(y1)..=y0.max(y1) {
                v.put(x0, y, vert, style);
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
        v.put(b.0, b.1, corner, style);
    }
    let arrow = |from: (i32, i32), to: (i32, i32)| {
        if to.0 > from.0 {
            "▶"
        } else if to.0 < from.0 {
            "◀"
        } else if to.1 > from.1 {
            "▼"
        } else {
            "▲"
        }
    };
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
    // The label on the longest horizontal run, where it overlaps no box.
    let label = if crossing {
        format!("⚠ {}", f.label)
    } else {
        f.label.clone()
    };
    let len = label.chars().count() as i32;
    let mut best: Option<(i32, i32)> = None;
    for w in points.windows(2) {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        let span = (x0.max(x1) - x0.min(x1)) + 1;
        for y in [y0 - 1, y0 + 1] {
            if y0 != y1 || span < 3 {
                continue;
            }
            let x = x0.min(x1) + ((span - len) / 2).max(0);
            let rect = WorldRect {
                x,
                y,
                w: len.min(span),
                h: 1,
            };
            let clear = !boxes.iter().any(|b| {
                rect.x < b.x + b.w && b.x < rect.x + rect.w && rect.y >= b.y && rect.y < b.y + b.h
            });
            if clear && best.is_none() {
                best = Some((x, y));
            }
        }
    }
    if let Some((x, y)) = best {
        let span = points
            .windows(2)
            .map(|w| (w[0].0 - w[1].0).abs() + 1)
            .max()
            .unwrap_or(1);
        v.text(
            x,
            y,
            &label,
            span.max(8) as usize,
            style.remove_modifier(Modifier::REVERSED),
        );
    }
}
