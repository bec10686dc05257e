//! Overlays: help generated from the keymap table, the command palette, text input,
//! questions and the boundary chooser.

use super::super::app::{App, Mode, NodeList, Pick, Results};
use super::super::help;
use crate::format::changes::Row;
use crate::format::text::{count, importance_heading, importance_row};
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

/// A list box in the middle of the screen: one row per line, scrolled so that line
/// `selected` is in view however long the list (the whole model's suggestions run to
/// dozens), and under it `footer`, wrapped in three rows at most: what the selection is about.
/// Lines must be styled whole (`Line::styled`): a line too long is cut to one style, and the
/// box gives the selected line the selection's.
struct ListBox<'a> {
    title: &'a str,
    lines: Vec<Line<'a>>,
    width: u16,
    selected: usize,
    footer: Option<String>,
}

/// What implementing a mitigation alone lowers, in a few words: how many threats' risk
/// levels fall and the largest fall of a top event; blank for one implemented, or when not
/// weighed (a model with large trees).
fn gain_cell(g: Option<&crate::analysis::gains::Gain>) -> String {
    let Some(g) = g else {
        return String::new();
    };
    if !g.lowers() {
        return "nothing alone".to_owned();
    }
    let mut parts = Vec::new();
    match g.levels.len() {
        0 => {}
        1 => parts.push("1 threat".to_owned()),
        n => parts.push(format!("{n} threats")),
    }
    if !g.tops.is_empty() {
        parts.push(format!("top −{:.1}%", 100.0 * g.top_fall()));
    }
    format!("▼ {}", parts.join(", "))
}

/// Under the what-if list, what the selected mitigation would lower on its own in full, and
/// what its threats still wait for; `None` for one implemented or not weighed.
fn gain_told(app: &App, choice: usize) -> Option<String> {
    let m = app.model.mitigations.get(choice)?;
    let g = app.gains.iter().find(|g| g.mitigation == m.id)?;
    let lowers: Vec<String> = g
        .lowered(&app.model)
        .into_iter()
        .chain(g.falls(&app.model))
        .collect();
    let mut told = if lowers.is_empty() {
        format!("{}: alone, it lowers nothing.", m.title)
    } else {
        format!("{}: alone, it lowers {}.", m.title, lowers.join("; "))
    };
    let waits = g.waits(&app.model);
    if !waits.is_empty() {
        told.push_str(&format!(" Still waiting: {}.", waits.join("; ")));
    }
    Some(told)
}

fn list_box(
    f: &mut Frame,
    area: Rect,
    app: &App,
    ListBox {
        title,
        lines,
        width,
        selected,
        footer,
    }: ListBox<'_>,
) {
    let inner_width = usize::from(width.min(area.width).saturating_sub(2));
    let text = |l: &Line| {
        l.spans
            .iter()
            .map(|s| s.content.as_ref())
            .collect::<String>()
    };
    // A row too long for the box ends in "…", and the selection, if so cut, is shown whole
    // under the list unless the caller says something else there.
    let footer = footer.or_else(|| {
        lines
            .get(selected)
            .filter(|l| l.width() > inner_width)
            .map(&text)
    });
    let lines: Vec<Line> = lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            let l = if l.width() > inner_width {
                Line::styled(super::text::clip(&text(&l), inner_width), l.style)
            } else {
                l
            };
            // The box marks the selection, so that every list marks it alike.
            if i == selected {
                l.style(app.theme.selected())
            } else {
                l
            }
        })
        .collect();
    let footer: Vec<String> = footer.map_or_else(Vec::new, |text| {
        // Set apart from the list, if there is one.
        let mut rows = vec![String::new(); usize::from(!lines.is_empty())];
        rows.extend(super::text::wrap(&text, inner_width, 3));
        rows
    });
    let r = centered(area, width, (lines.len() + footer.len()) as u16 + 2);
    f.render_widget(Clear, r);
    let block = boxed(app, title);
    let inner = block.inner(r);
    f.render_widget(block, r);
    let list_rows = u16::from(!lines.is_empty());
    let footer_rows = (footer.len() as u16).min(inner.height.saturating_sub(list_rows));
    let list = Rect {
        height: inner.height - footer_rows,
        ..inner
    };
    let scroll = (selected + 1).saturating_sub(usize::from(list.height));
    f.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), list);
    let muted = app.theme.fg(app.theme.muted);
    f.render_widget(
        Paragraph::new(
            footer
                .into_iter()
                .map(|l| Line::styled(l, muted))
                .collect::<Vec<_>>(),
        ),
        Rect {
            y: list.bottom(),
            height: footer_rows,
            ..inner
        },
    );
}

/// The walkthrough panel: the current boundary-crossing flow, its suggestions and threats.
fn walkthrough(f: &mut Frame, area: Rect, app: &App, index: usize) {
    let t = &app.theme;
    let flows = app.walked_flows();
    let Some(fl) = flows.get(index).and_then(|id| app.model.flow(id.as_str())) else {
        return;
    };
    let name = |id: &crate::model::Id| app.model.name_or_id(id.as_str());
    let crossed: Vec<String> = app
        .model
        .boundaries_crossed(fl)
        .iter()
        .map(|b| b.name.clone())
        .collect();
    let crosses = if crossed.is_empty() {
        "crosses no trust boundary".to_owned()
    } else {
        format!("crosses {}", crossed.join(", "))
    };
    let mut lines = vec![
        Line::styled(
            format!(
                "{} → {}: \"{}\"  {crosses}",
                name(&fl.source),
                name(&fl.target),
                fl.label,
            ),
            t.fg(t.foreground).add_modifier(Modifier::BOLD),
        ),
        Line::styled(
            format!(
                "protocol {}  encrypted {}  authentication {}  data {}{}",
                if fl.protocol.is_empty() {
                    "—"
                } else {
                    &fl.protocol
                },
                if fl.encrypted { "yes" } else { "NO" },
                fl.authentication.label(),
                fl.classification.label(),
                if fl.bidirectional {
                    "  bidirectional"
                } else {
                    ""
                }
            ),
            t.fg(t.foreground),
        ),
    ];
    let threats: Vec<&crate::model::Threat> = app
        .model
        .threats
        .iter()
        .filter(|x| x.targets.contains(&fl.id))
        .collect();
    for x in &threats {
        lines.push(Line::styled(
            format!(
                "  threat: {} [{}, {}]",
                x.title,
                app.model.current_level(x),
                x.status.label()
            ),
            t.fg(t.accent),
        ));
    }
    let suggestions = app.suggestion_list(Some(&fl.id));
    let concrete: Vec<_> = suggestions.iter().filter(|s| !s.is_generic()).collect();
    for s in &concrete {
        lines.push(Line::styled(
            format!("  suggested: {}", s.title),
            t.fg(t.selection),
        ));
    }
    // Where the review of this flow stands first: the one line a narrow screen must not cut.
    lines.push(Line::from(vec![
        if fl.reviewed() {
            Span::styled(
                format!("✓ reviewed {}", fl.review_stamp()),
                t.fg(t.risk_low),
            )
        } else {
            Span::styled("not reviewed yet (r when done)", t.fg(t.foreground))
        },
        Span::styled(
            format!(
                "  ·  {}, {}",
                count(threats.len(), "recorded threat", "recorded threats"),
                count(suggestions.len(), "suggestion", "suggestions")
            ),
            t.fg(t.muted),
        ),
    ]));
    lines.push(Line::styled(
        format!(
            "n/p move  r reviewed  e edit  v suggestions  t new threat  a {}",
            if app.walk_all {
                "crossings only"
            } else {
                "every flow"
            }
        ),
        t.fg(t.muted),
    ));
    // Wrapped, so that a narrow screen still shows every property and boundary crossed.
    let text = Paragraph::new(lines).wrap(Wrap { trim: false });
    let h = (text.line_count(area.width.saturating_sub(2)) as u16 + 2).min(area.height);
    let r = Rect {
        y: area.y + area.height.saturating_sub(h),
        height: h,
        ..area
    };
    let reviewed = flows
        .iter()
        .filter(|id| app.model.flow(id.as_str()).is_some_and(|f| f.reviewed()))
        .count();
    let title = format!(
        "Walkthrough{} {}/{} · {reviewed} reviewed",
        if app.walk_all { " of every flow" } else { "" },
        index + 1,
        flows.len()
    );
    f.render_widget(Clear, r);
    f.render_widget(text.block(boxed(app, &title)), r);
}

/// The help's page `page` (see `help::Layout`): every binding of the global scope and of the
/// current screen, in columns that fit the height, and on a small terminal in pages, so that
/// no description is cut short.
fn help(f: &mut Frame, area: Rect, app: &App, page: usize) {
    let t = &app.theme;
    let layout = help::Layout::new(app, area.width, area.height);
    // The screen may have grown since the page was turned.
    let page = page.min(layout.pages.len() - 1);
    let shown = layout.pages[page].clone();
    let title = if layout.pages.len() > 1 {
        format!(
            "Keys, page {} of {} (space: next page)",
            page + 1,
            layout.pages.len()
        )
    } else {
        "Keys".to_owned()
    };
    let rows = layout.columns.first().map_or(0, ExactSizeIterator::len);
    let r = centered(
        area,
        layout.widths[shown.clone()].iter().sum::<u16>() + 2,
        rows as u16 + 2,
    );
    f.render_widget(Clear, r);
    let block = boxed(app, &title);
    let inner = block.inner(r);
    f.render_widget(block, r);
    let mut x = inner.x;
    for c in shown {
        let chunk = &layout.entries[layout.columns[c].clone()];
        let lines: Vec<Line> = chunk
            .iter()
            .map(|e| match e {
                help::Entry::Title(s) => {
                    Line::styled(*s, t.fg(t.accent).add_modifier(Modifier::BOLD))
                }
                help::Entry::Key(k, d, s) => Line::from(vec![
                    Span::styled(
                        format!("{k:>w$}  ", w = help::key_width(chunk, *s)),
                        t.fg(t.selection),
                    ),
                    Span::styled(*d, t.fg(t.foreground)),
                ]),
                help::Entry::Note(s) => Line::styled(*s, t.fg(t.muted)),
            })
            .collect();
        let w = layout.widths[c];
        let col = Rect {
            x,
            width: w.min(inner.right().saturating_sub(x)),
            ..inner
        };
        f.render_widget(Paragraph::new(lines), col);
        x += w;
    }
}

/// Text in the changes' form (`App::session_changes`, a merge's conflicts), from line
/// `scroll` on, each line coloured by what it says: a section, an element added or removed,
/// an increase or a conflict.
fn changes(f: &mut Frame, area: Rect, app: &App, title: &str, rows: &[Row], cursor: usize) {
    let t = &app.theme;
    let r = centered(area, 110, rows.len() as u16 + 2);
    let block = boxed(app, title);
    let inner = block.inner(r);
    // Scrolled so that the cursor's line is in view.
    let scroll = (cursor + 1).saturating_sub(usize::from(inner.height));
    let shown: Vec<Line> = rows
        .iter()
        .enumerate()
        .skip(scroll)
        .take(usize::from(inner.height))
        .map(|(i, row)| {
            let l = &row.text;
            let style = if i == cursor {
                t.selected()
            } else if l.starts_with("  !") {
                t.fg(t.error)
            } else if l.starts_with("  -") {
                t.fg(t.muted)
            } else if l.starts_with("  ") {
                t.fg(t.foreground)
            } else {
                t.fg(t.accent).add_modifier(Modifier::BOLD)
            };
            Line::styled(super::text::clip(l, usize::from(inner.width)), style)
        })
        .collect();
    f.render_widget(Clear, r);
    f.render_widget(block, r);
    f.render_widget(Paragraph::new(shown), inner);
}

pub fn render(f: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    match &app.mode {
        Mode::Help { page } => help(f, area, app, *page),
        Mode::Changes {
            title,
            rows,
            cursor,
            ..
        } => changes(f, area, app, title, rows, *cursor),
        Mode::Palette { text, choice } => {
            let matches = app.palette_matches(text);
            // As wide as the longest description needs, where the screen allows.
            let r = Rect {
                height: (matches.len() as u16 + 3).min(area.height),
                ..centered(area, 108, 1)
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
            // Wide enough for the prompt, which often spells out the syntax expected; a
            // text longer than the box shows its end, where the cursor is.
            let width = 64.max(prompt.chars().count() as u16 + 6);
            let r = centered(area, width, 3);
            let room = usize::from(r.width.saturating_sub(3));
            let shown: String = {
                let chars: Vec<char> = text.chars().collect();
                chars[chars.len().saturating_sub(room)..].iter().collect()
            };
            let line = Line::from(vec![
                Span::styled(shown, t.fg(t.foreground)),
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
        Mode::Pick {
            what,
            threat,
            choice,
            back,
        } => {
            let linked: Vec<crate::model::Id> = app
                .model
                .threat(threat.as_str())
                .map_or(Vec::new(), |t| what.list(&mut t.clone()).clone());
            let items = app.pick_items(*what);
            let lines: Vec<Line> = items
                .iter()
                .map(|(id, label)| {
                    let mark = if linked.contains(id) { "[x] " } else { "[ ] " };
                    // An overdue mitigation stands out, as in the threat's detail.
                    let late = *what == Pick::Mitigations
                        && app
                            .model
                            .mitigation(id.as_str())
                            .is_some_and(|m| m.overdue(app.today));
                    let style = t.fg(if late { t.risk_critical } else { t.foreground });
                    Line::styled(format!("{mark}{label}"), style)
                })
                .collect();
            let (what, keys) = match what {
                Pick::Targets => ("targets", "Enter toggles, / find, Esc done"),
                Pick::Actors => ("actors", "Enter toggles, / find, Esc done"),
                Pick::Mitigations => (
                    "mitigations",
                    "Enter toggles, n new, t status, o open, / find, Esc done",
                ),
            };
            // Where the toggles go, first: the end of a long title may be cut.
            let title = match app.along_with(threat, back.is_none()).len() {
                0 => format!("Link {what} ({keys})"),
                n => format!("Link {what} to the {} marked threats ({keys})", n + 1),
            };
            list_box(
                f,
                area,
                app,
                ListBox {
                    title: &title,
                    lines,
                    width: 80,
                    selected: *choice,
                    footer: None,
                },
            );
        }
        Mode::Suggestions { target, choice } => {
            let list = app.suggestion_list(target.as_ref());
            let mut lines: Vec<Line> = list
                .iter()
                .map(|s| {
                    let level = s.level(&app.model);
                    let stride = crate::model::Stride::letters(&s.stride);
                    Line::from(vec![
                        Span::styled(
                            format!("{:<9}", level.label()),
                            t.fg(app.theme.level(level)),
                        ),
                        Span::styled(
                            format!(
                                "{:<6} {} ({} × {})",
                                stride, s.title, s.likelihood, s.impact
                            ),
                            t.fg(t.foreground),
                        ),
                    ])
                })
                .collect();
            if lines.is_empty() {
                lines.push(Line::styled("No suggestion waits here.", t.fg(t.muted)));
            }
            // The selection whole (a narrow box cuts its row), and why it is suggested.
            let footer = list.get(*choice).map(|s| {
                format!(
                    "{} ({} × {}): {} — rule {}",
                    s.title, s.likelihood, s.impact, s.description, s.rule
                )
            });
            let title = match target {
                Some(x) => format!(
                    "Suggestions for {} (y accept, x dismiss, Esc)",
                    app.model.name_or_id(x.as_str())
                ),
                None => "Suggestions for the whole model (y accept, x dismiss, Esc)".into(),
            };
            list_box(
                f,
                area,
                app,
                ListBox {
                    title: &title,
                    lines,
                    width: 110,
                    selected: *choice,
                    footer,
                },
            );
        }
        Mode::Checklist { component, item } => {
            let Some(c) = app.model.component(component.as_str()) else {
                return;
            };
            let lines: Vec<Line> = c
                .checklist
                .items()
                .iter()
                .map(|(_, q, a)| {
                    let answer = match a {
                        Some(true) => "yes",
                        Some(false) => "NO ",
                        None => " ? ",
                    };
                    let style = t.fg(t.foreground);
                    Line::styled(format!("[{answer}] {q}"), style)
                })
                .collect();
            let title = format!(
                "Review checklist: {} ({} unanswered; y/n answer, Enter cycles, Esc)",
                c.name,
                c.checklist.unanswered()
            );
            let others = app
                .checklists_left()
                .iter()
                .filter(|id| *id != component)
                .count();
            let footer = match others {
                0 => "every other component's checklist is answered".to_owned(),
                n => format!(
                    "Tab: the next component with questions left ({})",
                    count(n, "component", "components")
                ),
            };
            list_box(
                f,
                area,
                app,
                ListBox {
                    title: &title,
                    lines,
                    width: 96,
                    selected: *item,
                    footer: Some(footer),
                },
            );
        }
        Mode::Walkthrough { index } => walkthrough(f, area, app, *index),
        Mode::Cell { choice } => {
            let lines: Vec<Line> = app
                .cell_threats()
                .iter()
                .map(|id| {
                    let style = t.fg(t.foreground);
                    Line::styled(
                        app.model
                            .threat(id.as_str())
                            .map_or(id.to_string(), |x| x.title.clone()),
                        style,
                    )
                })
                .collect();
            list_box(
                f,
                area,
                app,
                ListBox {
                    title: "Threats in this cell (Enter opens it)",
                    lines,
                    width: 90,
                    selected: *choice,
                    footer: None,
                },
            );
        }
        Mode::LinkThreat { event, choice } => {
            let lines: Vec<Line> = app
                .model
                .threats
                .iter()
                .map(|x| format!("{} ({})", x.title, app.model.current_rating(x).likelihood))
                .chain(std::iter::once(
                    "— no threat: keep the current probability".to_owned(),
                ))
                .map(|s| Line::styled(s, t.fg(t.foreground)))
                .collect();
            list_box(
                f,
                area,
                app,
                ListBox {
                    title: &format!("Link {event} to a threat"),
                    lines,
                    width: 100,
                    selected: *choice,
                    footer: None,
                },
            );
        }
        Mode::Results { what, choice } => {
            let Some(r) = app.report() else {
                return;
            };
            // The first line heads the columns; the choice is the row below it.
            let (title, heading, rows): (String, String, Vec<String>) = match what {
                Results::CutSets => (
                    format!(
                        "{}{}; share of the rare-event sum",
                        count(r.cut_sets.count, "minimal cut set", "minimal cut sets"),
                        if r.cut_sets.sets.len() as u128 == r.cut_sets.count {
                            ", most probable first".to_owned()
                        } else {
                            format!(": the {} most probable", r.cut_sets.sets.len())
                        }
                    ),
                    format!("{:>4} {:>9} {:>6}  events", "", "p", "share"),
                    r.cut_sets
                        .sets
                        .iter()
                        .enumerate()
                        .map(|(i, s)| {
                            let events: Vec<&str> = s.events.iter().map(|e| e.as_str()).collect();
                            format!(
                                "{:>3}. {:.3e} {:>5.1}%  {}",
                                i + 1,
                                s.probability,
                                100.0 * s.probability / r.rare_event,
                                events.join(", ")
                            )
                        })
                        .collect(),
                ),
                Results::Importance => {
                    let id_width = r
                        .importance
                        .iter()
                        .map(|i| i.event.as_str().chars().count())
                        .max()
                        .unwrap_or(0)
                        .clamp(5, 40);
                    (
                        "Importance, most important first (Enter goes to the event)".to_owned(),
                        importance_heading(id_width),
                        r.importance
                            .iter()
                            .map(|i| importance_row(i, id_width))
                            .collect(),
                    )
                }
            };
            let lines = std::iter::once(Line::styled(heading, t.fg(t.muted)))
                .chain(
                    rows.into_iter()
                        .map(|l| Line::styled(l, t.fg(t.foreground))),
                )
                .collect();
            list_box(
                f,
                area,
                app,
                ListBox {
                    title: &title,
                    lines,
                    width: 110,
                    selected: *choice + 1,
                    footer: None,
                },
            );
        }
        Mode::Nodes {
            purpose,
            filter,
            choice,
        } => {
            let choices = app.node_choices(purpose, filter);
            // The outline's symbols: a gate brings its whole sub-tree along. Diagram elements
            // are named by their labels, which say their kinds.
            let nodes = app.model.fault_tree_nodes();
            let symbol = |id: &crate::model::Id| nodes.get(id).map_or("●", |n| n.symbol());
            let lines: Vec<Line> = choices
                .iter()
                .map(|(id, label)| {
                    let text = if matches!(purpose, NodeList::Element | NodeList::Target { .. }) {
                        label.clone()
                    } else if label.is_empty() {
                        format!("{} {id}", symbol(id))
                    } else {
                        format!("{} {id}  {label}", symbol(id))
                    };
                    Line::styled(text, t.fg(t.foreground))
                })
                .collect();
            // Said under the empty list, where no selection marks it.
            let footer = lines
                .is_empty()
                .then(|| purpose.nothing_matches().to_owned());
            let narrowed = if filter.is_empty() {
                "all".to_owned()
            } else {
                format!("\"{filter}\"")
            };
            let title = match purpose {
                NodeList::Share { under } => format!(
                    "Share a node under {under}: type to find it ({narrowed}), Enter adds, Esc"
                ),
                NodeList::Find => format!(
                    "Find a node: type part of its id or label ({narrowed}), Enter goes there"
                ),
                NodeList::Events { threat } => {
                    format!("Events standing for {threat} ({narrowed}): Enter goes there, Esc")
                }
                NodeList::Element => {
                    format!("Find an element: type part of its name ({narrowed}), Enter selects it")
                }
                NodeList::Target { .. } => format!(
                    "Connect to: type part of a component's name ({narrowed}), Enter draws the flow"
                ),
            };
            list_box(
                f,
                area,
                app,
                ListBox {
                    title: &title,
                    lines,
                    width: 100,
                    selected: *choice,
                    footer,
                },
            );
        }
        Mode::WhatIf { choice } => {
            let mut lines: Vec<Line> = app
                .model
                .mitigations
                .iter()
                .map(|m| {
                    let gain = app.gains.iter().find(|g| g.mitigation == m.id);
                    Line::from(vec![
                        Span::styled(
                            format!("{:<14}", format!("[{}]", m.status.label())),
                            t.fg(t.foreground),
                        ),
                        Span::styled(format!("{:<24}", gain_cell(gain)), t.fg(t.accent)),
                        Span::styled(m.title.clone(), t.fg(t.foreground)),
                    ])
                })
                .collect();
            let what_if = app.what_if_lines();
            let mut selected = *choice;
            if !what_if.is_empty() {
                // What the last toggle changed goes first: the list can be long.
                let mut head: Vec<Line> = what_if
                    .into_iter()
                    .map(|l| Line::styled(l.to_owned(), t.fg(t.accent)))
                    .collect();
                head.push(Line::default());
                selected += head.len();
                head.append(&mut lines);
                lines = head;
            }
            list_box(
                f,
                area,
                app,
                ListBox {
                    title: "What if? (Enter toggles implemented and back, Esc; ▼ what one implemented alone lowers)",
                    lines,
                    width: 110,
                    selected,
                    footer: gain_told(app, *choice),
                },
            );
        }
        Mode::Normal | Mode::Form { .. } | Mode::Connect { .. } => {}
    }
}
