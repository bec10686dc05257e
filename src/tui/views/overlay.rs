//! Overlays: help generated from the keymap table, the command palette, text input,
//! questions and the boundary chooser.

use super::super::app::{App, Mode};
use super::super::keymap::{self, Scope};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

fn boxed<'a>(app: &App, title: &'a str) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_type(ratatui::widgets::BorderType::Double)
        .title(Span::styled(
            format!(" {title} "),
            app.theme.fg(app.theme.accent).add_modifier(Modifier::BOLD),
        ))
        .style(app.theme.base())
}

pub fn render(f: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    match &app.mode {
        Mode::Help => {
            let mut lines = Vec::new();
            for (scope, title) in [(Scope::Global, "Everywhere"), (Scope::Diagram, "Diagram")] {
                lines.push(Line::styled(
                    title,
                    t.fg(t.accent).add_modifier(Modifier::BOLD),
                ));
                for b in keymap::defaults().into_iter().filter(|b| b.scope == scope) {
                    let keys = app.keymap.keys_for(&b.action).join(", ");
                    lines.push(Line::from(vec![
                        Span::styled(format!("{keys:>16}  "), t.fg(t.selection)),
                        Span::styled(b.description, t.fg(t.foreground)),
                    ]));
                }
            }
            lines.push(Line::styled(
                "Mouse: click selects, drag moves, wheel pans.",
                t.fg(t.muted),
            ));
            lines.push(Line::styled("Any key closes this help.", t.fg(t.muted)));
            // As many columns as it takes to fit the height.
            let rows = usize::from(area.height.saturating_sub(2)).max(1);
            let columns = lines.len().div_ceil(rows);
            let width = (66 * columns as u16 + 2).min(area.width);
            let r = centered(area, width, (lines.len().min(rows) + 2) as u16);
            f.render_widget(Clear, r);
            let block = boxed(app, "Keys");
            let inner = block.inner(r);
            f.render_widget(block, r);
            let w = inner.width / columns as u16;
            for (i, chunk) in lines.chunks(rows).enumerate() {
                let col = Rect {
                    x: inner.x + w * i as u16,
                    width: w,
                    ..inner
                };
                f.render_widget(Paragraph::new(chunk.to_vec()), col);
            }
        }
        Mode::Palette { text, choice } => {
            let matches = app.palette_matches(text);
            let r = Rect {
                height: (matches.len() as u16 + 3).min(area.height),
                ..centered(area, 72, 1)
            };
            let r = Rect { y: area.y + 1, ..r };
            let mut lines = vec![Line::from(vec![
                Span::styled(": ", t.fg(t.accent)),
                Span::styled(text.clone(), t.fg(t.foreground)),
                Span::styled("█", t.fg(t.selection)),
            ])];
            for (i, (name, what)) in matches.iter().enumerate() {
                let style = if i == *choice {
                    t.selected()
                } else {
                    t.fg(t.foreground)
                };
                lines.push(Line::from(vec![
                    Span::styled(format!("{name:<22}"), style),
                    Span::styled(format!(" {what}"), t.fg(t.muted)),
                ]));
            }
            f.render_widget(Clear, r);
            f.render_widget(
                Paragraph::new(lines).block(boxed(app, "Command (Tab completes, Enter runs)")),
                r,
            );
        }
        Mode::Input { prompt, text, .. } => {
            let r = centered(area, 64, 3);
            let line = Line::from(vec![
                Span::styled(text.clone(), t.fg(t.foreground)),
                Span::styled("█", t.fg(t.selection)),
            ]);
            f.render_widget(Clear, r);
            f.render_widget(Paragraph::new(line).block(boxed(app, prompt)), r);
        }
        Mode::Confirm { text, choices, .. } => {
            let mut lines = vec![
                Line::styled(text.clone(), t.fg(t.foreground)),
                Line::default(),
            ];
            for (k, what) in choices {
                lines.push(Line::from(vec![
                    Span::styled(
                        format!("  {k}  "),
                        t.fg(t.selection).add_modifier(Modifier::BOLD),
                    ),
                    Span::styled(*what, t.fg(t.foreground)),
                ]));
            }
            let r = centered(area, 64, lines.len() as u16 + 2);
            f.render_widget(Clear, r);
            f.render_widget(
                Paragraph::new(lines)
                    .wrap(Wrap { trim: false })
                    .block(boxed(app, "Question")),
                r,
            );
        }
        Mode::ChooseBoundary { choice } => {
            let lines: Vec<Line> = app
                .model
                .boundaries
                .iter()
                .enumerate()
                .map(|(i, b)| {
                    let style = if i == *choice {
                        t.selected()
                    } else {
                        t.fg(t.foreground)
                    };
                    Line::styled(format!("{} [{}]", b.name, b.kind.label()), style)
                })
                .collect();
            let r = centered(area, 50, lines.len() as u16 + 2);
            f.render_widget(Clear, r);
            f.render_widget(
                Paragraph::new(lines).block(boxed(app, "Put into boundary (Enter)")),
                r,
            );
        }
        Mode::Normal | Mode::Form { .. } | Mode::Connect { .. } => {}
    }
}
