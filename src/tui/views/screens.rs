//! The review screens: the risk assessment table, the risk matrix, actors, fault trees.

use super::super::app::App;
use super::super::review::{self, COLUMNS};
use super::text::clip;
use crate::analysis::fault_tree::{Report, Solution};
use crate::format::text::{basis, count};
use crate::model::{
    GateKind, Impact, Likelihood, Rating, RiskLevel, ThreatStatus, TreeNode, own_label,
};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState, Wrap};

pub(super) fn block<'a>(app: &App, title: impl Into<Line<'a>>) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .title(title)
        .style(app.theme.base())
}

/// Width of each of `COLUMNS` (the threat's title at least this).
const COLUMN_WIDTHS: [u16; 12] = [11, 23, 16, 6, 14, 9, 12, 10, 6, 18, 11, 9];

/// `COLUMNS` by what a reviewer needs most: risk, threat, status, decision, targets first.
/// Likelihood and impact go together: one without the other reads as a rating it is not.
const COLUMN_PRIORITY: [&[usize]; 11] = [
    &[0],
    &[1],
    &[10],
    &[11],
    &[2],
    &[9],
    &[5, 6],
    &[3],
    &[8],
    &[7],
    &[4],
];

/// The columns of `widths` that fit in `width` (each with a column of spacing), taken in
/// `priority` order, a group of columns whole or not at all, in table order: a narrow screen
/// drops columns whole rather than cutting every one of them short. The first `kept` groups
/// of `priority` are shown whatever the width.
fn shown_columns(widths: &[u16], priority: &[&[usize]], kept: usize, width: u16) -> Vec<usize> {
    let mut used = 0;
    let mut shown = Vec::new();
    for (i, group) in priority.iter().enumerate() {
        let w: u16 = group.iter().map(|&c| widths[c] + 1).sum();
        if used + w <= width || i < kept {
            used += w;
            shown.extend_from_slice(group);
        }
    }
    shown.sort_unstable();
    shown
}

/// The width of column `flexible` of a table `width` wide showing columns `shown` of
/// `widths`: what the others, their spacing, the border and the highlight symbol leave, and
/// at least its own width.
fn flexible_width(widths: &[u16], shown: &[usize], flexible: usize, width: u16) -> u16 {
    let others: u16 = shown
        .iter()
        .filter(|&&c| c != flexible)
        .map(|&c| widths[c] + 1)
        .sum();
    width.saturating_sub(3 + others).max(widths[flexible])
}

/// A detail pane's height at least: room for a threat's rating, links and decision.
const DETAIL_HEIGHT: u16 = 9;

/// Splits `area` between a table of `rows` rows above and its detail pane below, whose text
/// takes `needs` rows with its borders: the pane has `DETAIL_HEIGHT` rows at least and grows
/// into the rows the table does not use, and up to half the area, as far as its text needs.
pub(super) fn table_and_detail(area: Rect, rows: usize, needs: usize) -> [Rect; 2] {
    // A header and two borders beside the rows.
    let table_needs = u16::try_from(rows + 3)
        .unwrap_or(u16::MAX)
        .min(area.height.saturating_sub(DETAIL_HEIGHT))
        .min(area.height.div_ceil(2));
    let height = u16::try_from(needs).unwrap_or(u16::MAX).clamp(
        DETAIL_HEIGHT,
        area.height.saturating_sub(table_needs).max(DETAIL_HEIGHT),
    );
    Layout::vertical([Constraint::Min(6), Constraint::Length(height)]).areas(area)
}

pub fn threats(f: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let v = &app.threats_view;
    let rows_idx = app.threat_rows();
    // The row under the cursor.
    let current = rows_idx
        .get(v.cursor.min(rows_idx.len().saturating_sub(1)))
        .map(|&i| &app.model.threats[i]);
    let detail = threat_detail(app, current);
    // A long description or decision shows whole while the table has room to spare.
    let detail_needs = detail.line_count(area.width.saturating_sub(2));
    let [table_area, detail_area] = table_and_detail(area, rows_idx.len(), detail_needs);
    // The border and the highlight symbol take three columns.
    let usable = table_area.width.saturating_sub(3);
    // The title is what the table is read by: columns are added only while it keeps a
    // quarter of the width (at 120 columns, "Account hijacking of Customer" whole instead of
    // cut after 23 letters for a column of "—").
    let mut nominal = COLUMN_WIDTHS;
    nominal[1] = (usable / 4).clamp(nominal[1], 32);
    // Risk and threat whatever the width.
    let shown = shown_columns(&nominal, &COLUMN_PRIORITY, 2, usable);
    let title_width = flexible_width(&COLUMN_WIDTHS, &shown, 1, table_area.width);
    let rows: Vec<Row> = rows_idx
        .iter()
        .map(|&i| {
            let th = &app.model.threats[i];
            let marked = v.marked.contains(&th.id);
            let cells: Vec<Cell> = shown
                .iter()
                .map(|&c| {
                    // Cut with an ellipsis, so that a cut title or target list shows it is one.
                    let width = if c == 1 {
                        title_width
                    } else {
                        COLUMN_WIDTHS[c]
                    };
                    let mut text = review::cell(&app.model, th, c);
                    if c == 1 && marked {
                        text.insert(0, '*');
                    }
                    let text = clip(&text, usize::from(width));
                    let style = match c {
                        1 if marked => t.fg(t.marked).add_modifier(Modifier::BOLD),
                        0 => t
                            .fg(app.theme.level(app.model.current_level(th)))
                            .add_modifier(Modifier::BOLD),
                        7 => t.fg(app.theme.level(app.model.inherent_level(th))),
                        _ => t.fg(t.foreground),
                    };
                    Cell::from(text).style(style)
                })
                .collect();
            Row::new(cells)
        })
        .collect();
    let header: Vec<Cell> = shown
        .iter()
        .map(|&i| {
            let c = COLUMNS[i];
            let arrow = if i == v.sort {
                if v.ascending { " ▲" } else { " ▼" }
            } else {
                ""
            };
            Cell::from(format!("{c}{arrow}"))
        })
        .collect();
    let widths: Vec<Constraint> = shown
        .iter()
        .map(|&c| match c {
            // The threat's title takes whatever the other columns leave.
            1 => Constraint::Min(COLUMN_WIDTHS[c]),
            _ => Constraint::Length(COLUMN_WIDTHS[c]),
        })
        .collect();
    let filter = if v.filter.is_empty() {
        String::new()
    } else {
        format!(", filter: {}", v.filter)
    };
    // How far the review has got, over every threat whatever the filter shows; after the
    // filter, which a narrow screen must not cut.
    let threats = &app.model.threats;
    let open = threats
        .iter()
        .filter(|t| matches!(t.status, ThreatStatus::Open | ThreatStatus::InProgress))
        .count();
    let undecided = threats.iter().filter(|t| t.assessment.is_none()).count();
    let marked = match app.marked_threats().len() {
        0 => String::new(),
        n => format!(", {n} marked"),
    };
    let title = format!(
        " Risk assessment: {} of {} threats{filter} ({open} open, {undecided} undecided{marked}) ",
        rows_idx.len(),
        threats.len()
    );
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(t.fg(t.accent).add_modifier(Modifier::BOLD)))
        .row_highlight_style(t.selected())
        .highlight_symbol("▶")
        .block(block(app, title));
    let mut state = TableState::default().with_selected(
        (!rows_idx.is_empty()).then_some(v.cursor.min(rows_idx.len().saturating_sub(1))),
    );
    f.render_stateful_widget(table, table_area, &mut state);
    f.render_widget(detail, detail_area);
    super::diagram::render_form_panel(f, area, app, super::FORM_WIDTH);
}

/// The detail pane of threat `current`: description, links, ratings, decision.
fn threat_detail<'a>(app: &'a App, current: Option<&crate::model::Threat>) -> Paragraph<'a> {
    let t = &app.theme;
    let Some(th) = current else {
        return Paragraph::new("No threat matches.").block(block(app, " Detail "));
    };
    let label = |s: &str| Span::styled(format!("{s}: "), t.fg(t.muted));
    let or_none = |s: String| if s.is_empty() { "—".to_owned() } else { s };
    let stride: Vec<&str> = th.stride.iter().map(|s| s.label()).collect();
    let mut lines = vec![
        Line::from(vec![
            label("Description"),
            Span::raw(or_none(th.description.clone())),
        ]),
        // Whole, as the table's columns are not.
        Line::from(vec![
            label("Against"),
            Span::raw(or_none(review::cell(&app.model, th, 2))),
            label("  by"),
            Span::raw(or_none(review::cell(&app.model, th, 4))),
            label("  STRIDE"),
            Span::raw(or_none(stride.join(", "))),
        ]),
    ];
    // Each with its status and deadline; one overdue stands out in the critical colour.
    let mut mitigations = vec![label("Mitigations")];
    for (i, id) in th.mitigations.iter().enumerate() {
        let sep = if i == 0 { "" } else { "; " };
        let (text, late) = app.model.mitigation(id.as_str()).map_or_else(
            || (id.to_string(), false),
            |m| {
                let text = format!("{} [{}]", m.title, m.standing(app.today));
                (text, m.overdue(app.today))
            },
        );
        let style = if late {
            t.fg(t.risk_critical).add_modifier(Modifier::BOLD)
        } else {
            Style::default()
        };
        mitigations.push(Span::raw(sep));
        mitigations.push(Span::styled(text, style));
    }
    lines.push(Line::from(mitigations));
    // The rating whole, whichever of its columns the table has room for.
    let rating = |r: Rating| format!("{} × {}", r.likelihood.label(), r.impact.label());
    let mut assessed = vec![
        label("Rating"),
        Span::raw(format!(
            "{} = {}",
            rating(Rating {
                likelihood: th.likelihood,
                impact: th.impact
            }),
            review::cell(&app.model, th, 7)
        )),
    ];
    if let Some(r) = th.residual {
        assessed.push(label("  residual"));
        assessed.push(Span::raw(format!(
            "{} = {}",
            rating(r),
            review::cell(&app.model, th, 9)
        )));
    }
    lines.push(Line::from(assessed));
    // A status the ratings deny: the risk that remains is still the inherent one.
    if let Some(waiting) = app.model.mitigated_on_paper(th) {
        let why = if waiting.is_empty() {
            "no residual rating is recorded (L and I set one)".to_owned()
        } else {
            let named: Vec<String> = waiting
                .iter()
                .map(|(title, status)| match status {
                    Some(s) => format!("{title} ({})", s.label()),
                    None => format!("{title} (missing)"),
                })
                .collect();
            format!("its residual rating waits for {}", named.join(", "))
        };
        lines.push(Line::styled(
            format!("Marked mitigated, but {why}."),
            t.fg(t.error),
        ));
    }
    let events: Vec<String> = app
        .model
        .events_for_threat(&th.id)
        .map(|(tree, e)| format!("{} in {}", e.id, app.model.fault_trees[tree].name))
        .collect();
    if !events.is_empty() {
        let likelihood = app.model.current_rating(th).likelihood;
        lines.push(Line::from(vec![
            label("Fault trees"),
            Span::raw(format!(
                "{}  (p = {:.2e} from the current likelihood, {}; f goes there)",
                events.join(", "),
                app.model.calibration.probability(likelihood),
                likelihood.label()
            )),
        ]));
    }
    match &th.assessment {
        Some(a) => {
            lines.push(Line::from(vec![
                label("Decision"),
                Span::styled(
                    a.decision.label(),
                    t.fg(t.accent).add_modifier(Modifier::BOLD),
                ),
                Span::raw(format!("  {} {}", a.decided_by, a.decided_on)),
                review_by(app, a),
            ]));
            lines.push(Line::from(vec![
                label("Rationale"),
                Span::raw(a.rationale.clone()),
            ]));
            // What was not recorded leaves room for what was: `Enter` lists every field.
            if !a.business_impact.is_empty() {
                lines.push(Line::from(vec![
                    label("Business impact"),
                    Span::raw(a.business_impact.clone()),
                ]));
            }
            let money = |x: Option<f64>| x.map_or("—".into(), |v| format!("{v}"));
            let verdict = match (a.cost_to_fix, a.expected_loss) {
                (Some(c), Some(l)) if c <= l => "  (fixing costs less than the expected loss)",
                (Some(_), Some(_)) => "  (fixing costs more than the expected loss)",
                _ => "",
            };
            if a.cost_to_fix.is_some() || a.expected_loss.is_some() {
                lines.push(Line::from(vec![
                    label("Cost to fix"),
                    Span::raw(money(a.cost_to_fix)),
                    label("  expected loss"),
                    Span::raw(format!("{}{verdict}", money(a.expected_loss))),
                ]));
            }
        }
        None => lines.push(Line::styled(
            "No decision yet (d cycles one; Enter edits rationale, business impact, costs).",
            t.fg(t.muted),
        )),
    }
    let title = format!(" {} ", th.title);
    Paragraph::new(lines)
        .wrap(Wrap { trim: true })
        .block(block(app, title))
}

/// When a decision is to be looked at again; once that day has passed, in the critical
/// colour.
fn review_by<'a>(app: &App, a: &crate::model::Assessment) -> Span<'a> {
    let t = &app.theme;
    if a.review_by.is_empty() {
        Span::raw("")
    } else if a.review_overdue(app.today) {
        Span::styled(
            format!("  REVIEW OVERDUE since {}", a.review_by),
            t.fg(t.risk_critical).add_modifier(Modifier::BOLD),
        )
    } else {
        Span::raw(format!("  review by {}", a.review_by))
    }
}

/// Width of the risk matrix's impact labels.
const IMPACT_LABELS: u16 = 20;

/// The lines of a risk-matrix cell: its level and threat count, then the titles of its
/// threats, as many as `room` lines hold (the last saying how many more there are, given two
/// lines or more), each cut to `width`.
fn matrix_cell(
    level: RiskLevel,
    titles: &[&str],
    room: usize,
    width: usize,
) -> (String, Vec<String>) {
    let head = if titles.is_empty() {
        format!("{}  ·", level.letter())
    } else {
        format!("{}  {}", level.letter(), titles.len())
    };
    // With room for one line only, a title says more than "+n more" (the head has the count).
    let more = titles.len() > room && room > 1;
    let shown = if more {
        room - 1
    } else {
        titles.len().min(room)
    };
    let mut lines: Vec<String> = titles[..shown]
        .iter()
        .map(|title| clip(title, width))
        .collect();
    if more {
        lines.push(format!("+{} more", titles.len() - shown));
    }
    (head, lines)
}

/// The height of each impact row of the risk matrix in `rows` lines: an equal share (two at
/// least: the head and a blank line), and the lines left over, one at a time, to the row whose
/// fullest cell still lists the fewest of its threats.
fn row_heights(rows: u16, needs: &[usize]) -> Vec<u16> {
    let n = needs.len().max(1) as u16;
    let mut heights = vec![(rows / n).max(2); needs.len()];
    let mut spare = rows.saturating_sub(heights.iter().sum());
    while spare > 0 {
        let short = |i: usize| needs[i].saturating_sub(usize::from(heights[i] - 2));
        let Some(i) = (0..needs.len())
            .filter(|&i| short(i) > 0)
            .max_by_key(|&i| short(i))
        else {
            break;
        };
        heights[i] += 1;
        spare -= 1;
    }
    heights
}

pub fn matrix(f: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    // The likelihood columns share the width and the impact rows the height, so that each
    // cell lists its threats when there is room (one line each, and a blank line between
    // rows); the border takes two lines and the header one.
    let width = (area.width.saturating_sub(2 + IMPACT_LABELS) / 5)
        .saturating_sub(1)
        .max(12);
    let titles: Vec<Vec<Vec<&str>>> = Impact::ALL
        .iter()
        .map(|impact| {
            Likelihood::ALL
                .iter()
                .map(|likelihood| {
                    let r = Rating::new(*likelihood, *impact);
                    app.threats_rated(r).map(|x| x.title.as_str()).collect()
                })
                .collect()
        })
        .collect();
    let needs: Vec<usize> = titles
        .iter()
        .map(|row| row.iter().map(Vec::len).max().unwrap_or(0))
        .collect();
    let heights = row_heights(area.height.saturating_sub(3), &needs);
    let mut rows = Vec::new();
    for (ii, impact) in Impact::ALL.iter().enumerate().rev() {
        let mut cells = vec![Cell::from(impact.label()).style(t.fg(t.accent))];
        let height = heights[ii];
        let room = usize::from(height - 2);
        for (li, likelihood) in Likelihood::ALL.iter().enumerate() {
            let r = Rating::new(*likelihood, *impact);
            let titles = &titles[ii][li];
            let level = app.model.risk_matrix().level(r);
            let (head, lines) = matrix_cell(level, titles, room, usize::from(width));
            // The cell under the cursor is drawn whole in the selection's style.
            let selected = app.matrix_cursor == (li, ii);
            let (mut head_style, title_style) = if selected {
                (t.selected(), t.selected())
            } else {
                (t.fg(app.theme.level(level)), t.fg(t.foreground))
            };
            if !titles.is_empty() {
                head_style = head_style.add_modifier(Modifier::BOLD);
            }
            let mut text = vec![Line::styled(head, head_style)];
            text.extend(lines.into_iter().map(|l| Line::styled(l, title_style)));
            let cell = Cell::from(Text::from(text));
            cells.push(if selected {
                cell.style(t.selected())
            } else {
                cell
            });
        }
        rows.push(Row::new(cells).height(height));
    }
    let mut header = vec!["impact \\ likelihood".to_owned()];
    header.extend(Likelihood::ALL.iter().map(|l| l.label().to_owned()));
    let view = if app.matrix_residual {
        "current (residual once mitigated)"
    } else {
        "inherent"
    };
    let mut widths = vec![Constraint::Length(IMPACT_LABELS)];
    widths.extend([Constraint::Length(width); 5]);
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(t.fg(t.accent).add_modifier(Modifier::BOLD)))
        .block(block(
            app,
            format!(
                " Risk matrix, {view} ratings: r switches, Enter lists a cell, m what-if (L M H C = level) "
            ),
        ));
    f.render_widget(table, area);
}

/// The width of a column of `cells` under `header`: its widest cell, at most `max`, so that
/// a custom kind or a long name is not cut at a fixed width while the motive has room.
pub(super) fn fitted<'a>(header: &str, cells: impl Iterator<Item = &'a str>, max: u16) -> u16 {
    let widest = cells
        .map(|c| Span::raw(c).width())
        .max()
        .unwrap_or(0)
        .max(Span::raw(header).width());
    u16::try_from(widest).unwrap_or(max).min(max)
}

/// The threat-actor table's columns, and what a reviewer needs most: who, what kind, why.
const ACTOR_COLUMNS: [&str; 6] = ["Actor", "Kind", "Skill", "Resources", "Threats", "Motive"];
const ACTOR_PRIORITY: [&[usize]; 6] = [&[0], &[1], &[5], &[2], &[3], &[4]];

pub fn actors(f: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let actors = &app.model.actors;
    let (linked, tail) = actor_detail(app);
    // Threats take a row each, cut to the width; the lines after them wrap.
    let tail = Paragraph::new(tail).wrap(Wrap { trim: true });
    let tail_rows = tail.line_count(area.width.saturating_sub(2));
    let [list, detail] = table_and_detail(area, actors.len(), linked.len() + tail_rows + 2);
    let widths = [
        fitted("Actor", actors.iter().map(|a| a.name.as_str()), 32),
        fitted("Kind", actors.iter().map(|a| a.kind.label()), 28),
        10,
        10,
        8,
        20,
    ];
    // The border and the highlight symbol take three columns.
    let shown = shown_columns(&widths, &ACTOR_PRIORITY, 1, list.width.saturating_sub(3));
    let motive_width = flexible_width(&widths, &shown, 5, list.width);
    let rows: Vec<Row> = actors
        .iter()
        .map(|a| {
            let n = app.model.threats_of_actor(&a.id).len();
            let cells = [
                a.name.clone(),
                a.kind.label().to_owned(),
                a.skill.label().to_owned(),
                a.resources.label().to_owned(),
                n.to_string(),
                a.motive.clone(),
            ];
            // Cut with an ellipsis, as in the threats table.
            Row::new(shown.iter().map(|&c| {
                let width = if c == 5 { motive_width } else { widths[c] };
                clip(&cells[c], usize::from(width))
            }))
        })
        .collect();
    let table = Table::new(
        rows,
        shown.iter().map(|&c| match c {
            // The motive takes whatever the other columns leave.
            5 => Constraint::Min(widths[c]),
            _ => Constraint::Length(widths[c]),
        }),
    )
    .header(
        Row::new(shown.iter().map(|&c| ACTOR_COLUMNS[c]))
            .style(t.fg(t.accent).add_modifier(Modifier::BOLD)),
    )
    .row_highlight_style(t.selected())
    .highlight_symbol("▶")
    .block(block(
        app,
        " Threat actors (n new, Enter edit, x delete, t their threats) ",
    ));
    let mut state = TableState::default()
        .with_selected((!app.model.actors.is_empty()).then_some(app.actor_cursor));
    f.render_stateful_widget(table, list, &mut state);
    // The threats that fit above the wrapped lines; short of room, the last row counts the
    // others, which `t` lists.
    let room = usize::from(detail.height.saturating_sub(2)).saturating_sub(tail_rows);
    let shown = if linked.len() > room {
        room.saturating_sub(1)
    } else {
        linked.len()
    };
    // Titles in a column as wide as the longest, as far as the pane leaves room beside the
    // level and the widest status and decision.
    let width = usize::from(detail.width.saturating_sub(2));
    let rows = &linked[..shown];
    let titles = rows.iter().map(|x| Span::raw(&x.title).width()).max();
    let standings = rows.iter().map(|x| standing(x).chars().count()).max();
    let title_width = titles
        .unwrap_or(0)
        .min(width.saturating_sub(LEVEL_WIDTH + standings.unwrap_or(0)));
    let mut lines: Vec<Line> = rows
        .iter()
        .map(|x| linked_threat(app, x, title_width))
        .collect();
    if shown < linked.len() {
        lines.push(Line::styled(
            format!(
                "+{} more: t lists them all on the Threats screen",
                linked.len() - shown
            ),
            t.fg(t.muted),
        ));
    }
    let frame = block(app, " Linked threats ");
    let [threats_area, tail_area] =
        Layout::vertical([Constraint::Length(lines.len() as u16), Constraint::Min(0)])
            .areas(frame.inner(detail));
    f.render_widget(frame, detail);
    f.render_widget(Paragraph::new(lines), threats_area);
    f.render_widget(tail, tail_area);
    super::diagram::render_form_panel(f, area, app, super::FORM_WIDTH);
}

/// The selected actor's threats, highest current risk first, and the lines after them: the
/// likelihood a new threat of theirs starts at, and the rule behind it.
fn actor_detail(app: &App) -> (Vec<&crate::model::Threat>, Vec<Line<'static>>) {
    let t = &app.theme;
    let mut linked = Vec::new();
    let mut tail = Vec::new();
    if let Some(a) = app.model.actors.get(app.actor_cursor) {
        linked = app.model.threats_of_actor(&a.id);
        // Stable: equal levels keep the model's order.
        linked.sort_by_key(|x| std::cmp::Reverse(app.model.current_level(x)));
        let suggested = crate::analysis::suggestions::likelihood_from_actors(&[a]);
        tail.push(Line::styled(
            format!(
                "A new threat linked to {} starts at likelihood {suggested}.",
                a.name
            ),
            t.fg(t.accent),
        ));
    }
    tail.push(Line::styled(
        "Rule: skill and resources score low 0, medium 1, high 2, very high 3; the most capable actor's sum gives 0–1 Unlikely, 2–3 Possible, 4–5 Probable, 6 Certain.",
        t.fg(t.muted),
    ));
    (linked, tail)
}

/// Columns of an actor's threat's risk level, before its title.
pub(super) const LEVEL_WIDTH: usize = 10;

/// A threat's status and decision, after its title among an actor's threats.
pub(super) fn standing(x: &crate::model::Threat) -> String {
    let decision = x
        .assessment
        .as_ref()
        .map_or("no decision", |a| a.decision.label());
    format!("  {}, {decision}", x.status.label())
}

/// One row of an actor's threats: its current risk level, its title in `title_width`
/// columns, its status and its decision.
pub(super) fn linked_threat(
    app: &App,
    x: &crate::model::Threat,
    title_width: usize,
) -> Line<'static> {
    let t = &app.theme;
    let level = app.model.current_level(x);
    let title = clip(&x.title, title_width);
    let pad = title_width.saturating_sub(Span::raw(&title).width());
    Line::from(vec![
        Span::styled(
            format!("{:<LEVEL_WIDTH$}", level.label()),
            t.fg(app.theme.level(level)).add_modifier(Modifier::BOLD),
        ),
        Span::styled(title + &" ".repeat(pad), t.fg(t.foreground)),
        Span::styled(standing(x), t.fg(t.muted)),
    ])
}

/// Two columns per level; past `deepest` levels, the level's number at that column instead,
/// so that a deep tree's ids stay on screen.
fn indent(depth: usize, deepest: usize) -> String {
    if depth <= deepest.max(2) {
        "  ".repeat(depth)
    } else {
        format!("{:>w$} ", format!("{depth}›"), w = 2 * deepest.max(2) - 1)
    }
}

pub fn fault_trees(f: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let Some(tree) = app.model.fault_trees.get(app.tree.tree) else {
        f.render_widget(
            Paragraph::new("No fault tree in this model: n starts one (name its top event).")
                .block(block(app, " Fault trees ")),
            area,
        );
        return;
    };
    let [left, right] =
        Layout::horizontal([Constraint::Min(40), Constraint::Length(52)]).areas(area);
    let probabilities = app.tree.analysis.as_ref().map(|a| &a.probabilities);
    let finished = app.tree.pending.is_none() && probabilities.is_some();
    // A probability still to come, or one the finished analysis could not give (a gate of a
    // tree too large to solve).
    let unknown = if finished {
        "      —  "
    } else {
        "      …  "
    };
    let nodes = app.model.fault_tree_nodes();
    let rows = app.outline();
    let unsolved =
        finished && probabilities.is_some_and(|m| rows.iter().any(|r| !m.contains_key(&r.id)));
    // Room for the probability, the symbol, an id and a gate's type beside the indentation.
    let deepest = usize::from(left.width.saturating_sub(2 + 10 + 36)) / 2;
    let visible = usize::from(left.height.saturating_sub(2)).max(1);
    let first = app.tree.cursor.saturating_sub(visible - 1);
    let lines: Vec<Line> = rows
        .iter()
        .enumerate()
        .skip(first)
        .take(visible)
        .map(|(i, r)| {
            let node = nodes.get(&r.id);
            let label = node
                .and_then(|n| own_label(n.label(), &r.id))
                .unwrap_or_default();
            let (symbol, kind, label) = match node {
                Some(TreeNode::Gate(g)) => {
                    let fold = if r.repeat {
                        "↑"
                    } else if r.folded {
                        "▸"
                    } else {
                        "▾"
                    };
                    let kind = match g.kind {
                        GateKind::Vote(k) => format!("{k}/{}", g.inputs.len()),
                        k => k.label(),
                    };
                    (fold, format!("[{kind}]"), label.to_owned())
                }
                Some(TreeNode::Event(e)) => {
                    let link = match &e.probability {
                        crate::model::Probability::Threat(x) => format!(" ⇢ {x}"),
                        _ => String::new(),
                    };
                    ("●", String::new(), format!("{label}{link}"))
                }
                Some(TreeNode::House(h)) => (
                    "⌂",
                    format!("[{}]", if h.state { "true" } else { "false" }),
                    label.to_owned(),
                ),
                None => ("⌂", String::new(), String::new()),
            };
            let p = probabilities
                .and_then(|m| m.get(&r.id))
                .map_or(unknown.into(), |p| format!("{p:9.3e}"));
            let shared = match (r.shared, r.repeat) {
                (_, true) => "◆shared, see above",
                (true, false) => "◆shared",
                (false, false) => "",
            };
            let style = if i == app.tree.cursor {
                t.selected()
            } else {
                t.fg(t.foreground)
            };
            let node = format!("{}{symbol} {}", indent(r.depth, deepest), r.id);
            // Set apart from the id, which may also be words; the marks before the label,
            // which may be long, and is cut with an ellipsis where the panel ends.
            let room = usize::from(left.width.saturating_sub(2))
                .saturating_sub(p.chars().count() + 1 + node.chars().count());
            let marks = [kind, shared.to_owned(), label]
                .into_iter()
                .filter(|s| !s.is_empty())
                .fold(String::new(), |line, s| line + " " + &s);
            Line::from(vec![
                Span::styled(format!("{p} "), t.fg(t.accent)),
                Span::styled(node, style),
                Span::styled(
                    clip(&marks, room),
                    if i == app.tree.cursor {
                        style
                    } else {
                        t.fg(t.muted)
                    },
                ),
            ])
        })
        .collect();
    let title = format!(
        " {} ({}/{}; ] next tree) ",
        tree.name,
        app.tree.tree + 1,
        app.model.fault_trees.len()
    );
    f.render_widget(Paragraph::new(lines).block(block(app, title)), left);
    side_panel(f, right, app, unsolved);
    // Over the side panel, as wide as it: labels of events are long.
    super::diagram::render_form_panel(f, area, app, right.width);
}

/// A finished report: the top event, exact or approximated (with `legend` after why), the
/// approximations, the `rows.0` most probable cut sets and the `rows.1` most important
/// events.
fn report_lines(
    app: &App,
    r: &Report,
    legend: Option<Line<'static>>,
    width: u16,
    rows: (usize, usize),
) -> Vec<Line<'static>> {
    let t = &app.theme;
    let mut lines = Vec::new();
    match &r.solution {
        Solution::Exact(p) => lines.push(Line::styled(
            format!("P(top) = {p:.6e}  exact"),
            t.fg(t.foreground).add_modifier(Modifier::BOLD),
        )),
        Solution::Truncated(tr) => {
            lines.push(Line::styled(tr.reason.clone(), t.fg(t.error)));
            lines.extend(legend);
            lines.push(Line::styled(
                format!("approximations from {}:", basis(tr)),
                t.fg(t.foreground).add_modifier(Modifier::BOLD),
            ));
        }
    }
    lines.push(Line::styled(
        format!(
            "rare event {:.3e}  min-cut bound {:.3e}",
            r.rare_event, r.mcub
        ),
        t.fg(t.muted),
    ));
    if let Some(u) = &r.uncertainty {
        lines.push(Line::styled(
            format!(
                "MC mean {:.3e} (5% {:.3e}, 95% {:.3e})",
                u.mean, u.p5, u.p95
            ),
            t.fg(t.muted),
        ));
    }
    let sets = count(r.cut_sets.count, "minimal cut set", "minimal cut sets");
    let all = rows.0.min(r.cut_sets.sets.len()) as u128 == r.cut_sets.count;
    lines.push(Line::styled(
        if all {
            format!("{sets}:")
        } else {
            format!("{sets}; most probable:")
        },
        t.fg(t.accent),
    ));
    for s in r.cut_sets.sets.iter().take(rows.0) {
        let ev: Vec<&str> = s.events.iter().map(|e| e.as_str()).collect();
        lines.push(Line::raw(format!(
            " {:.2e} {}",
            s.probability,
            ev.join(", ")
        )));
    }
    let heading = if r.probability().is_some() {
        "importance (F-V, RAW):"
    } else {
        "importance from cut sets (F-V, RAW):"
    };
    lines.push(Line::styled(heading, t.fg(t.accent)));
    // The id takes what the two figures (16 columns with their spaces) leave of the panel, up
    // to 24; a longer one is cut, so that the columns stay aligned and no line wraps.
    let id_width = usize::from(width.saturating_sub(16)).clamp(8, 24);
    for i in r.importance.iter().take(rows.1) {
        let event = clip(i.event.as_str(), id_width);
        // A rare top event has RAWs in the tens of thousands: six columns whatever the size.
        let raw = i.measures.raw;
        let raw = if raw < 999.995 {
            format!("{raw:6.2}")
        } else {
            format!("{:>6}", format!("{raw:.1e}"))
        };
        lines.push(Line::raw(format!(
            " {event:<id_width$} {:.2e} {raw}",
            i.measures.fussell_vesely
        )));
    }
    lines
}

/// The side panel's key to the outline's "—".
const UNSOLVED_LEGEND: &str = "— in the outline: too large to solve alone";

/// The analysis beside the outline; `unsolved`: some node of the outline has no probability
/// (its "—" needs the legend).
fn side_panel(f: &mut Frame, area: Rect, app: &App, unsolved: bool) {
    let t = &app.theme;
    let footer = footer(app);
    let mut lines = Vec::new();
    match (&app.tree.analysis, &app.tree.pending) {
        // Seconds from the first, and the phase, so that a long analysis is seen to be
        // alive and getting on.
        (_, Some(p)) => {
            lines.push(Line::styled(
                match p.since.elapsed().as_secs() {
                    0 => "computing…".to_owned(),
                    s => format!("computing… {s} s"),
                },
                t.fg(t.muted),
            ));
            if let Some(phase) = p.progress.0.get() {
                lines.push(Line::styled(phase.to_string(), t.fg(t.muted)));
            }
        }
        (None, None) => lines.push(Line::styled("not analysed yet", t.fg(t.muted))),
        (Some(a), None) => {
            let legend = unsolved.then(|| Line::styled(UNSOLVED_LEGEND, t.fg(t.muted)));
            match &a.report {
                Err(e) => {
                    lines.push(Line::styled(e.clone(), t.fg(t.error)));
                    lines.extend(legend);
                }
                Ok(r) => lines.extend(fitted_report(app, r, legend, &footer, area)),
            }
        }
    }
    lines.extend(footer);
    f.render_widget(panel(app, lines), area);
}

/// The lines of report `r` for a panel of `area` that ends with `footer`: its cut sets and
/// important events share the rows the rest leaves.
fn fitted_report(
    app: &App,
    r: &Report,
    legend: Option<Line<'static>>,
    footer: &[Line<'static>],
    area: Rect,
) -> Vec<Line<'static>> {
    let width = area.width.saturating_sub(2);
    let height = |lines: &[Line<'static>]| panel(app, [lines, footer].concat()).line_count(width);
    let rest = height(&report_lines(app, r, legend.clone(), width, (0, 0)));
    let room = usize::from(area.height).saturating_sub(rest);
    let mut rows = share(room, r.cut_sets.sets.len(), r.importance.len());
    loop {
        let lines = report_lines(app, r, legend.clone(), width, rows);
        // A long cut set wraps onto more than one row: one fewer, until the whole fits.
        if height(&lines) <= usize::from(area.height) || rows.0 <= 1 {
            return lines;
        }
        rows.0 -= 1;
    }
}

/// The side panel around `lines`.
fn panel<'a>(app: &App, lines: Vec<Line<'a>>) -> Paragraph<'a> {
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .block(block(app, " Analysis "))
}

/// The side panel's last lines: the what-if changes, and the keys.
fn footer(app: &App) -> Vec<Line<'static>> {
    let t = &app.theme;
    let mut lines = Vec::new();
    let what_if = app.what_if_lines();
    if !what_if.is_empty() {
        lines.push(Line::styled("what-if:", t.fg(t.accent)));
        lines.extend(what_if.into_iter().map(|l| Line::raw(l.to_owned())));
    }
    lines.push(Line::styled(
        "g gate  e event  h house  a share  d duplicate  HJKL move  Enter edit  t threat  x delete  / find  c cut sets  i importance  m what-if  n new tree",
        t.fg(t.muted),
    ));
    lines
}

/// Rows for two lists of `a` and `b` lines in `room` rows: half each, and what one does not
/// need to the other; one row each at least, where they have one.
fn share(room: usize, a: usize, b: usize) -> (usize, usize) {
    let first = a.min(room.div_ceil(2)).max(a.min(1));
    let second = b.min(room.saturating_sub(first)).max(b.min(1));
    (a.min(room.saturating_sub(second)).max(first), second)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_matrix_cell_lists_what_fits_and_counts_the_rest() {
        let titles = [
            "Replayed unlock",
            "Firmware exploit",
            "Presence leak",
            "Botnet",
        ];
        let cell = |n: usize, room| matrix_cell(RiskLevel::High, &titles[..n], room, 12);
        assert_eq!(cell(0, 3), ("H  ·".to_owned(), vec![]));
        // Room for all: every title, cut to the width with an ellipsis.
        let (head, lines) = cell(3, 3);
        assert_eq!(head, "H  3");
        assert_eq!(lines, ["Replayed un…", "Firmware ex…", "Presence le…"]);
        // Short of room: the last line counts the others.
        assert_eq!(cell(4, 3).1, ["Replayed un…", "Firmware ex…", "+2 more"]);
        // One line: a title, the head giving the count; none: the head alone.
        assert_eq!(cell(4, 1).1, ["Replayed un…"]);
        assert_eq!(cell(4, 0).1, Vec::<String>::new());
    }

    #[test]
    fn the_matrix_gives_its_spare_lines_to_the_rows_short_of_them() {
        // 19 lines: 3 each (one title), and 4 over.
        assert_eq!(row_heights(19, &[0, 1, 2, 1, 0]), [3, 3, 4, 3, 3]);
        // The row missing most titles first, then whichever still misses one.
        assert_eq!(row_heights(19, &[0, 5, 2, 0, 0]), [3, 6, 4, 3, 3]);
        // Nothing short: the spare lines stay below the matrix.
        assert_eq!(row_heights(19, &[1, 1, 0, 0, 1]), [3; 5]);
        // Too short a screen still gets a head and a blank line a row.
        assert_eq!(row_heights(4, &[3, 3, 3, 3, 3]), [2; 5]);
    }
}
