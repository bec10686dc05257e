//! What the review has left (`R`): the report's "Still to review" as lines to go through,
//! each leading to where it is done: a threat's row, a flow's step of the walkthrough, a
//! component's checklist, an element's suggestions, the threats a mitigation covers, an asset's
//! row.

use super::{App, Listing, Mode, Screen};
use crate::analysis::to_do::{to_do, waiting_for};
use crate::format::changes::Row;
use crate::format::text::count;
use crate::model::{Checklist, Id};

/// The key of a suggestion's line, before its rule: apart from every collection's key.
const SUGGESTION: &str = "suggestion:";

impl App {
    pub(super) fn show_to_do(&mut self) {
        let todo = to_do(&self.model, self.today);
        let m = &self.model;
        let mut rows: Vec<Row> = Vec::new();
        let mut section = |heading: String, items: Vec<(String, String, &Id)>| {
            if items.is_empty() {
                return;
            }
            if !rows.is_empty() {
                rows.push(Row {
                    text: String::new(),
                    about: None,
                });
            }
            rows.push(Row {
                text: heading,
                about: None,
            });
            rows.extend(items.into_iter().map(|(text, key, id)| Row {
                text: format!("  {text}"),
                about: Some((key, id.to_string())),
            }));
        };
        section(
            format!(
                "{} without a decision, most risky first:",
                count(todo.undecided.len(), "threat", "threats")
            ),
            todo.undecided
                .iter()
                .map(|t| {
                    let text = format!(
                        "{} {}  [{}]",
                        m.current_level(t).letter(),
                        t.title,
                        t.status.label()
                    );
                    (text, "threats".into(), &t.id)
                })
                .collect(),
        );
        section(
            format!(
                "{} overdue on {}:",
                count(todo.overdue.len(), "mitigation", "mitigations"),
                self.today
            ),
            todo.overdue
                .iter()
                .map(|x| {
                    (
                        format!("{}  [{}]", x.title, x.due_note()),
                        "mitigations".into(),
                        &x.id,
                    )
                })
                .collect(),
        );
        section(
            format!(
                "{} past the review date:",
                count(todo.past_review.len(), "decision", "decisions")
            ),
            todo.past_review
                .iter()
                .filter_map(|t| {
                    let a = t.assessment.as_ref()?;
                    Some((
                        format!(
                            "{}  [{}, review by {}]",
                            t.title,
                            a.decision.label(),
                            a.review_by
                        ),
                        "threats".into(),
                        &t.id,
                    ))
                })
                .collect(),
        );
        section(
            format!(
                "{} marked mitigated, not yet at the residual rating:",
                count(todo.on_paper.len(), "threat", "threats")
            ),
            todo.on_paper
                .iter()
                .map(|(t, waiting)| {
                    (
                        format!("{}: {}", t.title, waiting_for(waiting)),
                        "threats".into(),
                        &t.id,
                    )
                })
                .collect(),
        );
        section(
            format!(
                "{} neither accepted nor dismissed, riskiest first:",
                count(
                    todo.suggested.len(),
                    "suggested threat",
                    "suggested threats"
                )
            ),
            todo.suggested
                .iter()
                .map(|s| {
                    // Keyed by its rule, to open the element's suggestions at this one.
                    (
                        format!("{} {}", s.level(m).letter(), s.title),
                        format!("{SUGGESTION}{}", s.rule),
                        &s.target,
                    )
                })
                .collect(),
        );
        section(
            format!(
                "{} crossing a trust boundary not reviewed:",
                count(todo.unreviewed.len(), "flow", "flows")
            ),
            todo.unreviewed
                .iter()
                .map(|f| {
                    let text = format!(
                        "{}: {} → {}",
                        f.label,
                        m.name_or_id(f.source.as_str()),
                        m.name_or_id(f.target.as_str())
                    );
                    (text, "walk".into(), &f.id)
                })
                .collect(),
        );
        section(
            format!(
                "{} with checklist questions left:",
                count(todo.checklists.len(), "component", "components")
            ),
            todo.checklists
                .iter()
                .map(|(c, n)| {
                    (
                        format!("{}: {n} of {} unanswered", c.name, Checklist::QUESTIONS),
                        "checklist".into(),
                        &c.id,
                    )
                })
                .collect(),
        );
        section(
            format!(
                "{} no threat is recorded against, nor against where stored:",
                count(todo.unthreatened.len(), "asset", "assets")
            ),
            todo.unthreatened
                .iter()
                .map(|a| {
                    let text = format!("{} ({})", a.name, a.classification.label());
                    (text, "assets".into(), &a.id)
                })
                .collect(),
        );
        // The whole at a glance, above the lists that may run off the screen.
        let tally: Vec<String> = [
            (todo.undecided.len(), "undecided", "undecided"),
            (todo.overdue.len(), "overdue", "overdue"),
            (todo.past_review.len(), "past review", "past review"),
            (
                todo.on_paper.len(),
                "mitigated on paper",
                "mitigated on paper",
            ),
            (todo.suggested.len(), "suggested", "suggested"),
            (todo.unreviewed.len(), "crossing", "crossings"),
            (todo.checklists.len(), "checklist", "checklists"),
            (
                todo.unthreatened.len(),
                "asset without threats",
                "assets without threats",
            ),
        ]
        .iter()
        .filter(|(n, ..)| *n > 0)
        .map(|(n, one, many)| count(*n, one, many))
        .collect();
        if !tally.is_empty() {
            rows.splice(
                0..0,
                [
                    Row {
                        text: format!("Left: {}.", tally.join(", ")),
                        about: None,
                    },
                    Row {
                        text: String::new(),
                        about: None,
                    },
                ],
            );
        }
        if rows.is_empty() {
            rows.push(Row {
                text: "Nothing left: every threat has a decision, nothing is overdue, every \
                       suggestion is settled, every crossing reviewed, every checklist answered, \
                       every asset has a threat considered."
                    .into(),
                about: None,
            });
        }
        self.mode = Mode::Changes {
            list: Listing::ToDo,
            title: format!(
                "What the review has left on {} (↑↓ PgUp PgDn, Enter goes there, Esc)",
                self.today
            ),
            // On the first line that leads somewhere.
            cursor: rows.iter().position(|r| r.about.is_some()).unwrap_or(0),
            rows,
        };
    }

    /// The mode that opens what reviewing `id` needs, for the to-do's own kinds of line
    /// (see `go_to_change`); `None` for any other kind, or an element that is gone.
    /// `key` is `walk`, `checklist`, `mitigations`, or `suggestion:` and a suggestion's rule.
    pub(super) fn review_step(&mut self, key: &str, id: &Id) -> Option<Mode> {
        if let Some(rule) = key.strip_prefix(SUGGESTION) {
            // The element's suggestions, at this one.
            let choice = self
                .suggestion_list(Some(id))
                .iter()
                .position(|s| s.rule == rule)?;
            self.screen = Screen::Diagram;
            self.select(Some(id.clone()));
            return Some(Mode::Suggestions {
                target: Some(id.clone()),
                choice,
            });
        }
        match key {
            "walk" => {
                let index = self.walked_flows().iter().position(|f| f == id)?;
                self.screen = Screen::Diagram;
                self.select(Some(id.clone()));
                Some(Mode::Walkthrough { index })
            }
            "checklist" => {
                let c = self.model.component(id.as_str())?;
                let item = c.checklist.first_unanswered().unwrap_or(0);
                self.screen = Screen::Diagram;
                self.select(Some(id.clone()));
                Some(Mode::Checklist {
                    component: id.clone(),
                    item,
                })
            }
            "mitigations" => {
                self.model.mitigation(id.as_str())?;
                self.screen = Screen::Threats;
                self.threats_view.set_filter(format!("mitigation:{id}"));
                Some(Mode::Normal)
            }
            // Threats: shown as the changes list shows them.
            _ => None,
        }
    }
}
