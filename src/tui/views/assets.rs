//! The assets screen: what the system must protect, where it is stored, and the threats
//! against it, directly or through where it is stored.

use super::super::app::App;
use super::screens::{LEVEL_WIDTH, block, fitted, linked_threat, standing, table_and_detail};
use super::text::clip;
use crate::model::Threat;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, TableState};

pub fn assets(f: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let m = &app.model;
    let stores = |ids: &[crate::model::Id]| -> String {
        let names: Vec<String> = ids.iter().map(|c| m.name_or_id(c.as_str())).collect();
        names.join(", ")
    };
    let (direct, through) = detail(app);
    let description =
        (m.assets.get(app.asset_cursor)).map_or(String::new(), |a| a.description.clone());
    let needs = direct.len() + through.len() + usize::from(!through.is_empty()) + 3;
    let [list, pane] = table_and_detail(area, m.assets.len(), needs);
    let name_width = fitted("Asset", m.assets.iter().map(|a| a.name.as_str()), 32);
    let rows: Vec<Row> = m
        .assets
        .iter()
        .map(|a| {
            Row::new([
                clip(&a.name, usize::from(name_width)),
                a.classification.label().to_owned(),
                m.threats_against(&a.id).len().to_string(),
                m.threats_through_stores(&a.id).len().to_string(),
                stores(&a.stored_in),
            ])
        })
        .collect();
    let table = Table::new(
        rows,
        [
            Constraint::Length(name_width),
            Constraint::Length(14),
            Constraint::Length(7),
            Constraint::Length(10),
            Constraint::Min(10),
        ],
    )
    .header(
        Row::new([
            "Asset",
            "Classification",
            "Threats",
            "Via stores",
            "Stored in",
        ])
        .style(t.fg(t.accent).add_modifier(Modifier::BOLD)),
    )
    .row_highlight_style(t.selected())
    .highlight_symbol("▶")
    .block(block(
        app,
        " Assets (n new, Enter edit, x delete, t the threats against it) ",
    ));
    let mut state =
        TableState::default().with_selected((!m.assets.is_empty()).then_some(app.asset_cursor));
    f.render_stateful_widget(table, list, &mut state);

    let width = usize::from(pane.width.saturating_sub(2));
    let all = direct.iter().chain(&through);
    let titles = all.clone().map(|x| Span::raw(&x.title).width()).max();
    let standings = all.map(|x| standing(x).chars().count()).max();
    let title_width = titles
        .unwrap_or(0)
        .min(width.saturating_sub(LEVEL_WIDTH + standings.unwrap_or(0)));
    let mut lines: Vec<Line> = Vec::new();
    if m.assets.is_empty() {
        lines.push(Line::styled(
            "No asset yet: n adds what the system must protect (data, accounts, keys), and \
             Enter says where it is stored.",
            t.fg(t.muted),
        ));
    } else if direct.is_empty() && through.is_empty() {
        lines.push(Line::styled(
            "No threat against it yet, nor against where it is stored.",
            t.fg(t.muted),
        ));
    }
    lines.extend(direct.iter().map(|x| linked_threat(app, x, title_width)));
    if !through.is_empty() {
        lines.push(Line::styled(
            "Through where it is stored:",
            t.fg(t.muted).add_modifier(Modifier::BOLD),
        ));
        lines.extend(through.iter().map(|x| linked_threat(app, x, title_width)));
    }
    if !description.is_empty() {
        lines.push(Line::styled(clip(&description, width), t.fg(t.muted)));
    }
    let frame = block(app, " Threats against it ");
    f.render_widget(Paragraph::new(lines).block(frame), pane);
    super::diagram::render_form_panel(f, area, app, super::FORM_WIDTH);
}

/// The selected asset's threats, highest current risk first: those against it, and those
/// against where it is stored.
fn detail(app: &App) -> (Vec<&Threat>, Vec<&Threat>) {
    let Some(a) = app.model.assets.get(app.asset_cursor) else {
        return (Vec::new(), Vec::new());
    };
    let (mut direct, mut through) = (
        app.model.threats_against(&a.id),
        app.model.threats_through_stores(&a.id),
    );
    // Stable: equal levels keep the model's order.
    for v in [&mut direct, &mut through] {
        v.sort_by_key(|x| std::cmp::Reverse(app.model.current_level(x)));
    }
    (direct, through)
}
