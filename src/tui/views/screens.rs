//! Read-only review screens: threats by risk, the risk matrix, actors and fault trees.

use super::super::app::App;
use crate::format::markdown::by_risk;
use crate::model::{Impact, Likelihood, Rating, RiskLevel, Stride};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Modifier};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table};

fn level_color(app: &App, l: RiskLevel) -> Color {
    match l {
        RiskLevel::Low => app.theme.risk_low,
        RiskLevel::Medium => app.theme.risk_medium,
        RiskLevel::High => app.theme.risk_high,
        RiskLevel::Critical => app.theme.risk_critical,
    }
}

fn block<'a>(app: &App, title: &'a str) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .title(title)
        .style(app.theme.base())
}

pub fn threats(f: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let rows: Vec<Row> = by_risk(&app.model)
        .into_iter()
        .map(|th| {
            let level = app.model.current_level(th);
            Row::new(vec![
                Cell::from(format!("{} {}", level.letter(), level.label()))
                    .style(t.fg(level_color(app, level)).add_modifier(Modifier::BOLD)),
                Cell::from(th.title.clone()),
                Cell::from(Stride::letters(&th.stride)),
                Cell::from(app.model.current_rating(th).to_string()),
                Cell::from(th.status.label()),
            ])
        })
        .collect();
    let table = Table::new(
        rows,
        [
            Constraint::Length(11),
            Constraint::Min(30),
            Constraint::Length(7),
            Constraint::Length(26),
            Constraint::Length(15),
        ],
    )
    .header(
        Row::new(["Risk", "Threat", "STRIDE", "Rating", "Status"])
            .style(t.fg(t.accent).add_modifier(Modifier::BOLD)),
    )
    .block(block(
        app,
        " Threats by current risk (editing arrives with the review screens) ",
    ));
    f.render_widget(table, area);
}

pub fn matrix(f: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let mut rows = Vec::new();
    for impact in Impact::ALL.iter().rev() {
        let mut cells = vec![Cell::from(impact.label()).style(t.fg(t.accent))];
        for likelihood in Likelihood::ALL {
            let r = Rating::new(likelihood, *impact);
            let n = app
                .model
                .threats
                .iter()
                .filter(|x| !x.status.is_closed() && app.model.current_rating(x) == r)
                .count();
            let level = app.model.risk_matrix().level(r);
            let text = if n == 0 {
                format!("{}  ·", level.letter())
            } else {
                format!("{}  {n}", level.letter())
            };
            cells.push(
                Cell::from(text).style(t.fg(level_color(app, level)).add_modifier(if n > 0 {
                    Modifier::BOLD
                } else {
                    Modifier::empty()
                })),
            );
        }
        rows.push(Row::new(cells).height(2));
    }
    let mut header = vec!["impact \\ likelihood".to_owned()];
    header.extend(Likelihood::ALL.iter().map(|l| l.label().to_owned()));
    let table = Table::new(
        rows,
        [
            Constraint::Length(20),
            Constraint::Length(12),
            Constraint::Length(12),
            Constraint::Length(12),
            Constraint::Length(12),
            Constraint::Length(12),
        ],
    )
    .header(Row::new(header).style(t.fg(t.accent).add_modifier(Modifier::BOLD)))
    .block(block(
        app,
        " Risk matrix: threats still carrying risk, by current rating (L M H C = level) ",
    ));
    f.render_widget(table, area);
}

pub fn actors(f: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let rows: Vec<Row> = app
        .model
        .actors
        .iter()
        .map(|a| {
            let n = app
                .model
                .threats
                .iter()
                .filter(|x| x.actors.contains(&a.id))
                .count();
            Row::new(vec![
                a.name.clone(),
                a.kind.label().to_owned(),
                a.skill.label().to_owned(),
                a.resources.label().to_owned(),
                n.to_string(),
                a.motive.clone(),
            ])
        })
        .collect();
    let table = Table::new(
        rows,
        [
            Constraint::Length(24),
            Constraint::Length(16),
            Constraint::Length(10),
            Constraint::Length(10),
            Constraint::Length(8),
            Constraint::Min(20),
        ],
    )
    .header(
        Row::new(["Actor", "Kind", "Skill", "Resources", "Threats", "Motive"])
            .style(t.fg(t.accent).add_modifier(Modifier::BOLD)),
    )
    .block(block(app, " Threat actors "));
    f.render_widget(table, area);
}

pub fn fault_trees(f: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let mut lines = Vec::new();
    for tree in &app.model.fault_trees {
        lines.push(Line::styled(
            format!(
                "{} ({}): {} gates, {} basic events, top event {}",
                tree.name,
                tree.id,
                tree.gates.len(),
                tree.events.len(),
                tree.top
            ),
            t.fg(t.foreground),
        ));
    }
    if lines.is_empty() {
        lines.push(Line::styled("No fault tree in this model.", t.fg(t.muted)));
    }
    lines.push(Line::default());
    lines.push(Line::styled(
        "Analyse them with `threatloom analyze FILE`; the interactive tree view arrives with the review screens.",
        t.fg(t.muted),
    ));
    f.render_widget(
        Paragraph::new(lines).block(block(app, " Fault trees ")),
        area,
    );
}
