//! Views: pure functions from the application state to a frame.

mod assets;
mod diagram;
mod overlay;
mod screens;
mod status;
pub(super) mod text;

use super::app::{App, Mode, Screen};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

/// Smallest terminal the screens are laid out for.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// Width of the property panel beside the diagram.
const FORM_WIDTH: u16 = 44;

/// Where the diagram canvas sits in a terminal of `area` (the loop needs it for the mouse and
/// to keep the selection in view).
pub fn diagram_area(area: Rect, app: &App) -> Rect {
    let body = body_area(area);
    if matches!(app.mode, Mode::Form { .. }) {
        Rect {
            width: body.width.saturating_sub(FORM_WIDTH),
            ..body
        }
    } else {
        body
    }
}

fn body_area(area: Rect) -> Rect {
    Rect {
        y: area.y + 1,
        height: area.height.saturating_sub(2),
        ..area
    }
}

pub fn render(f: &mut Frame, app: &App) {
    let area = f.area();
    f.render_widget(Block::default().style(app.theme.base()), area);
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = format!(
            "The terminal is {}×{}; threatloom needs at least {MIN_WIDTH}×{MIN_HEIGHT}. Enlarge the window (nothing is lost).",
            area.width, area.height
        );
        f.render_widget(
            Paragraph::new(text)
                .wrap(Wrap { trim: true })
                .style(app.theme.base()),
            area,
        );
        return;
    }
    let [tabs, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    render_tabs(f, tabs, app);
    match app.screen {
        Screen::Diagram => diagram::render(f, body, app),
        Screen::Threats => screens::threats(f, body, app),
        Screen::Matrix => screens::matrix(f, body, app),
        Screen::Actors => screens::actors(f, body, app),
        Screen::Assets => assets::assets(f, body, app),
        Screen::FaultTrees => screens::fault_trees(f, body, app),
    }
    status::render(f, status, app);
    overlay::render(f, body, app);
}

fn render_tabs(f: &mut Frame, area: Rect, app: &App) {
    let spans_of = |short: bool| -> Vec<Span> {
        (Screen::ALL.iter().enumerate())
            .map(|(i, s)| {
                let style = if *s == app.screen {
                    app.theme.selected()
                } else {
                    app.theme.fg(app.theme.muted)
                };
                let text = if short {
                    format!(" {} {}", i + 1, s.short_title())
                } else {
                    format!(" {} {} ", i + 1, s.title())
                };
                Span::styled(text, style)
            })
            .collect()
    };
    let width = |spans: &[Span]| spans.iter().map(Span::width).sum::<usize>();
    const BRAND: &str = " threatloom ";
    // On a narrow terminal the name gives way, then the tabs close up, so that every
    // screen's tab shows whole.
    let mut tabs = spans_of(false);
    let needed = BRAND.len() + width(&tabs);
    if width(&tabs) > usize::from(area.width) {
        tabs = spans_of(true);
    }
    let mut spans = if needed <= usize::from(area.width) {
        vec![Span::styled(
            BRAND,
            app.theme.fg(app.theme.accent).add_modifier(Modifier::BOLD),
        )]
    } else {
        Vec::new()
    };
    spans.extend(tabs);
    spans.push(Span::styled(
        format!("  {}", app.model.name),
        app.theme.fg(app.theme.foreground),
    ));
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}
