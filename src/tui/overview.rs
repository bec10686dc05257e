//! The overview: the whole diagram scaled down to the view, for finding one's way around a
//! model larger than the terminal. Frames and lines are Braille dots, as routed on the
//! full-size canvas; names and boundary titles are text, clipped to their frames.

use super::canvas::{Highlight, RouteCache, Whole, WorldRect, arrow, whole};
use super::theme::Theme;
use super::views::text::clip;
use crate::model::{ComponentKind, Model};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::widgets::Widget;
use ratatui::widgets::canvas::{Canvas, Context, Line, Rectangle};

/// How canvas cells map to the view's cells: one scale both ways, so shapes keep their
/// proportions, and the diagram centred in the room left over.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fit {
    /// The canvas point at the view's top-left corner.
    left: f64,
    top: f64,
    /// View cells per canvas cell, at most 1.
    scale: f64,
}

impl Fit {
    /// The fit of `extent` into a view `size` cells large.
    pub fn new(extent: WorldRect, size: (u16, u16)) -> Fit {
        let (w, h) = (f64::from(size.0.max(1)), f64::from(size.1.max(1)));
        let (ew, eh) = (f64::from(extent.w.max(1)), f64::from(extent.h.max(1)));
        let scale = (w / ew).min(h / eh).min(1.0);
        Fit {
            left: f64::from(extent.x) - (w / scale - ew) / 2.0,
            top: f64::from(extent.y) - (h / scale - eh) / 2.0,
            scale,
        }
    }

    /// Whether `extent` fits a view `size` cells large at full size.
    pub fn whole_at_full_size(extent: WorldRect, size: (u16, u16)) -> bool {
        extent.w <= i32::from(size.0) && extent.h <= i32::from(size.1)
    }

    /// The canvas cell under the view's cell (`column`, `row`).
    pub fn canvas_cell(&self, column: u16, row: u16) -> (i32, i32) {
        let at = |origin: f64, offset: u16| origin + (f64::from(offset) + 0.5) / self.scale;
        (
            at(self.left, column).floor() as i32,
            at(self.top, row).floor() as i32,
        )
    }

    /// The view cell (column, row) of canvas point (x, y).
    fn view_cell(&self, x: f64, y: f64) -> (i32, i32) {
        (
            ((x - self.left) * self.scale).floor() as i32,
            ((y - self.top) * self.scale).floor() as i32,
        )
    }

    /// How many view cells `n` canvas cells take.
    fn cells(&self, n: i32) -> usize {
        (f64::from(n) * self.scale).floor().max(0.0) as usize
    }
}

/// The fit of the whole diagram into a view `size` cells large; `None` for an empty diagram.
pub fn fit(model: &Model, compact: bool, cache: &RouteCache, size: (u16, u16)) -> Option<Fit> {
    whole(model, compact, cache).map(|w| Fit::new(w.extent, size))
}

/// Draws the whole diagram scaled into `area`.
pub fn draw(
    buf: &mut Buffer,
    area: Rect,
    model: &Model,
    theme: &Theme,
    compact: bool,
    hl: &Highlight<'_>,
    cache: &RouteCache,
) {
    let Some(whole) = whole(model, compact, cache) else {
        return;
    };
    let fit = Fit::new(whole.extent, (area.width, area.height));
    let selected = |id: &crate::model::Id| hl.selected == Some(id);
    let width = f64::from(area.width) / fit.scale;
    let height = f64::from(area.height) / fit.scale;
    Canvas::default()
        .marker(Marker::Braille)
        .background_color(theme.background)
        .x_bounds([fit.left, fit.left + width])
        // The canvas counts up; the diagram counts rows down.
        .y_bounds([-(fit.top + height), -fit.top])
        .paint(|ctx| shapes(ctx, model, theme, hl, &whole))
        .render(area, buf);
    // Text at a view cell, cut to `room` and to the view.
    let mut text = |(column, row): (i32, i32), s: &str, room: usize, style: Style| {
        let (Ok(column), Ok(row)) = (u16::try_from(column), u16::try_from(row)) else {
            return;
        };
        if column < area.width && row < area.height && room > 0 {
            let room = room.min(usize::from(area.width - column));
            buf.set_stringn(area.x + column, area.y + row, clip(s, room), room, style);
        }
    };
    for b in &model.boundaries {
        if let Some(r) = whole.regions.get(&b.id) {
            let mut style = theme.fg(theme.boundary).add_modifier(Modifier::BOLD);
            if selected(&b.id) {
                style = theme.selected();
            }
            let room = fit.cells(r.w).saturating_sub(3);
            let title = format!(" {} ", b.name);
            let at = fit.view_cell(f64::from(r.x) + 2.0, f64::from(r.y) + 0.5);
            text(at, &title, room, style);
        }
    }
    // Arrowheads where flows arrive: the lines alone do not say which way data goes.
    for (f, points) in &whole.routes {
        let [.., from, (x1, y1)] = points[..] else {
            continue;
        };
        let head = arrow(from, (x1, y1));
        let style = if selected(&f.id) {
            theme.selected()
        } else if model.crosses_boundary(f) {
            theme.fg(theme.flow_crossing)
        } else {
            theme.fg(theme.flow)
        };
        let at = fit.view_cell(f64::from(x1) + 0.5, f64::from(y1) + 0.5);
        text(at, head, 1, style);
    }
    for (c, r) in model.components.iter().zip(&whole.boxes) {
        let marked = hl.marked.contains(&c.id);
        let name = if marked {
            format!("*{}", c.name)
        } else {
            c.name.clone()
        };
        let style = if selected(&c.id) {
            theme.selected()
        } else if marked {
            theme.fg(theme.marked).add_modifier(Modifier::BOLD)
        } else {
            theme.fg(theme.foreground).add_modifier(Modifier::BOLD)
        };
        // Centred on the box's middle row, between its sides.
        let (left, top) = fit.view_cell(f64::from(r.x) + 0.5, f64::from(r.y) + 0.5);
        let (right, middle) = fit.view_cell(
            f64::from(r.x + r.w) - 0.5,
            f64::from(r.y) + f64::from(r.h) / 2.0,
        );
        let room = usize::try_from(right - left - 1).unwrap_or(0).max(1);
        let shown = clip(&name, room);
        let pad = (room - shown.chars().count()) / 2;
        text((left + 1 + pad as i32, middle), &shown, room, style);
        // Its open threats on its top border, in the colour of the worst, as at full size.
        if let Some(b) = hl.badges.and_then(|b| b.get(&c.id))
            && let Some(worst) = b.worst
        {
            let flag = format!("⚑{}", b.threats);
            let len = flag.chars().count() as i32;
            if top < middle && right - left > len + 1 {
                let style = theme.fg(theme.level(worst)).add_modifier(Modifier::BOLD);
                text((right - len, top), &flag, len as usize, style);
            }
        }
    }
}

/// The frames and lines, the selection's last so that nothing hides it.
fn shapes(ctx: &mut Context<'_>, model: &Model, theme: &Theme, hl: &Highlight<'_>, w: &Whole<'_>) {
    let selected = |id: &crate::model::Id| hl.selected == Some(id);
    for b in &model.boundaries {
        if let Some(r) = w.regions.get(&b.id).filter(|_| !selected(&b.id)) {
            frame(ctx, *r, theme.boundary);
        }
    }
    ctx.layer();
    for (f, points) in w.routes.iter().filter(|(f, _)| !selected(&f.id)) {
        let colour = if model.crosses_boundary(f) {
            theme.flow_crossing
        } else {
            theme.flow
        };
        polyline(ctx, points, colour);
    }
    ctx.layer();
    for (c, r) in model.components.iter().zip(&w.boxes) {
        let colour = if hl.marked.contains(&c.id) {
            theme.marked
        } else {
            match c.kind {
                ComponentKind::Process => theme.process,
                ComponentKind::DataStore => theme.data_store,
                ComponentKind::ExternalEntity => theme.external,
            }
        };
        if !selected(&c.id) {
            frame(ctx, *r, colour);
        }
    }
    ctx.layer();
    let Some(id) = hl.selected else {
        return;
    };
    if let Some(r) = w.regions.get(id) {
        frame(ctx, *r, theme.selection);
    }
    if let Some((_, points)) = w.routes.iter().find(|(f, _)| &f.id == id) {
        polyline(ctx, points, theme.selection);
    }
    if let Some(r) =
        (model.components.iter().zip(&w.boxes)).find_map(|(c, r)| (&c.id == id).then_some(r))
    {
        frame(ctx, *r, theme.selection);
    }
}

/// A rectangle through the middles of its outer cells, as the full-size frame is drawn.
fn frame(ctx: &mut Context<'_>, r: WorldRect, color: Color) {
    ctx.draw(&Rectangle {
        x: f64::from(r.x) + 0.5,
        y: -(f64::from(r.y + r.h) - 0.5),
        width: f64::from(r.w - 1),
        height: f64::from(r.h - 1),
        color,
    });
}

fn polyline(ctx: &mut Context<'_>, points: &[(i32, i32)], color: Color) {
    let at = |(x, y): (i32, i32)| (f64::from(x) + 0.5, -(f64::from(y) + 0.5));
    for w in points.windows(2) {
        let ((x1, y1), (x2, y2)) = (at(w[0]), at(w[1]));
        ctx.draw(&Line {
            x1,
            y1,
            x2,
            y2,
            color,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::Fit;
    use crate::tui::canvas::WorldRect;

    fn rect(x: i32, y: i32, w: i32, h: i32) -> WorldRect {
        WorldRect { x, y, w, h }
    }

    #[test]
    fn a_wide_diagram_is_scaled_by_its_width_and_centred_in_height() {
        let fit = Fit::new(rect(-10, 5, 200, 20), (100, 30));
        assert_eq!(fit.scale, 0.5);
        // 30 rows show 60 canvas rows: 20 of diagram, 20 spare above and below.
        assert_eq!(fit.top, -15.0);
        assert_eq!(fit.left, -10.0);
        assert_eq!(fit.canvas_cell(0, 0), (-9, -14));
        assert_eq!(fit.canvas_cell(99, 29), (189, 44));
        assert_eq!(fit.view_cell(90.0, 15.0), (50, 15));
    }

    #[test]
    fn a_tall_diagram_is_scaled_by_its_height_and_a_small_one_not_at_all() {
        let tall = Fit::new(rect(0, 0, 50, 120), (100, 30));
        assert_eq!(tall.scale, 0.25);
        assert_eq!(tall.left, -175.0);
        let small = Fit::new(rect(0, 0, 50, 20), (100, 30));
        assert_eq!(small.scale, 1.0);
        assert!(Fit::whole_at_full_size(rect(0, 0, 50, 20), (100, 30)));
        assert!(!Fit::whole_at_full_size(rect(0, 0, 50, 31), (100, 30)));
    }
}
