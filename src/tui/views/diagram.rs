//! The diagram screen: the canvas, and the property form when one is open.

use super::super::app::{App, Mode};
use super::super::canvas::{self, Highlight, View};
use super::super::form::{self, Value};
use super::super::overview;
use super::FORM_WIDTH;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

pub fn render(f: &mut Frame, area: Rect, app: &App) {
    let canvas_area = super::diagram_area(f.area(), app);
    // While connecting, the flow's source stays marked as the arrows move to its target.
    let mut marked = app.marks.clone();
    if let Mode::Connect { source } = &app.mode {
        marked.push(source.clone());
    }
    let hl = Highlight {
        selected: app.selected.as_ref(),
        marked: &marked,
        badges: Some(&app.badges),
    };
    if app.overview {
        overview::draw(
            f.buffer_mut(),
            canvas_area,
            &app.model,
            &app.theme,
            app.is_compact(),
            &hl,
            &app.routes,
        );
    } else {
        let mut view = View {
            buf: f.buffer_mut(),
            area: canvas_area,
            origin: app.viewport,
        };
        canvas::draw(
            &mut view,
            &app.model,
            &app.theme,
            app.is_compact(),
            &hl,
            &app.routes,
        );
    }
    if app.model.components.is_empty() {
        let hint = "Empty model: press p (process), s (data store) or e (external entity) to add one, ? for help";
        f.render_widget(
            Paragraph::new(hint).style(app.theme.fg(app.theme.muted)),
            Rect { height: 1, ..area },
        );
    }
    render_form_panel(f, area, app, FORM_WIDTH);
}

/// The property form, when one is open, `width` wide at the right of `area`.
pub fn render_form_panel(f: &mut Frame, area: Rect, app: &App, width: u16) {
    if let Mode::Form { target, field } = &app.mode {
        let panel = Rect {
            x: area.x + area.width.saturating_sub(width),
            width: width.min(area.width),
            ..area
        };
        render_form(f, panel, app, target, *field);
    }
}

fn render_form(f: &mut Frame, area: Rect, app: &App, id: &crate::model::Id, field: usize) {
    let t = &app.theme;
    let mut lines = Vec::new();
    let fields = form::fields(&app.model, id);
    // Names right-aligned as wide as the longest, so values get the rest of the panel.
    let name_width = fields
        .iter()
        .map(|(name, _)| name.chars().count())
        .max()
        .unwrap_or(0);
    let room = usize::from(area.width.saturating_sub(3)).saturating_sub(name_width);
    let mut selected_line = 0;
    for (i, (name, value)) in fields.into_iter().enumerate() {
        let shown = match value {
            Value::Text(s) if s.is_empty() => "—".to_owned(),
            Value::Text(s) => s,
            Value::Flag(true) => "[x] yes".into(),
            Value::Flag(false) => "[ ] no".into(),
            Value::Choice(c) => format!("‹{c}›"),
        };
        let style = if i == field {
            t.selected()
        } else {
            t.fg(t.foreground)
        };
        if i == field {
            selected_line = lines.len();
        }
        for (j, piece) in super::text::wrap(&shown, room, VALUE_LINES)
            .into_iter()
            .enumerate()
        {
            let name = if j == 0 { name } else { "" };
            lines.push(Line::from(vec![
                Span::styled(format!("{name:>name_width$} "), t.fg(t.muted)),
                Span::styled(piece, style),
            ]));
        }
    }
    let title = format!(" {} ", id);
    // The keys in the bottom border, where a long form cannot push them out of sight.
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(
            title,
            t.fg(t.accent).add_modifier(Modifier::BOLD),
        ))
        .title_bottom(Span::styled(
            " ↑↓ field  Enter edit/toggle  Esc close ",
            t.fg(t.muted),
        ))
        .style(t.base());
    // Scrolled so that the selected field's first line is in view.
    let height = usize::from(area.height.saturating_sub(2)).max(1);
    let scroll = (selected_line + 1).saturating_sub(height) as u16;
    f.render_widget(ratatui::widgets::Clear, area);
    f.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), area);
}

/// Lines a long value may take in the form before it is cut.
const VALUE_LINES: usize = 3;
