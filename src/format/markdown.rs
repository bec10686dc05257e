//! The Markdown review report: summary, elements, boundary-crossing flows, the risk assessment
//! table sorted by risk, the risk matrix with counts, assets, actors, mitigations, decisions,
//! and what the review still has to do.

use super::text::{basis, count, visible};
use crate::analysis::to_do::{ToDo, to_do, waiting_for};
use crate::model::{
    Checklist, Component, ComponentKind, Impact, Likelihood, Model, Rating, Stride, Threat,
};
use std::fmt::Write;

/// Escapes text for Markdown (tables included): markup characters are backslash-escaped,
/// HTML characters become entities, line breaks become `<br>`, controls become visible.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~' | '!' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' => out.push_str("<br>"),
            '\r' => {}
            c => out.push(visible(c)),
        }
    }
    out
}

fn row(out: &mut String, cells: &[String]) {
    let _ = writeln!(out, "| {} |", cells.join(" | "));
}

fn header(out: &mut String, cells: &[&str]) {
    let _ = writeln!(out, "| {} |", cells.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(cells.len()));
}

fn names(model: &Model, ids: &[crate::model::Id]) -> String {
    let v: Vec<String> = ids
        .iter()
        .map(|id| escape(&model.name_or_id(id.as_str())))
        .collect();
    v.join(", ")
}

fn rating(model: &Model, r: Rating) -> String {
    format!(
        "{} × {} = **{}**",
        r.likelihood,
        r.impact,
        model.risk_matrix().level(r)
    )
}

/// The review report; fault trees are analysed within `effort`.
/// The review report as of `today` (which mitigations are overdue).
pub fn report(
    model: &Model,
    effort: &crate::analysis::fault_tree::Effort,
    today: crate::model::Date,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {} — threat model\n", escape(&model.name));
    if !model.description.is_empty() {
        let _ = writeln!(out, "{}\n", escape(&model.description));
    }
    summary(&mut out, model, today);
    // Sections with nothing to show are left out (a model of fault trees alone, say).
    if !model.components.is_empty() {
        elements(&mut out, model);
        crossing_flows(&mut out, model);
    }
    if !model.threats.is_empty() {
        assessment(&mut out, model);
        matrix(&mut out, model);
    }
    if !model.assets.is_empty() {
        assets(&mut out, model);
    }
    if !model.actors.is_empty() {
        actors(&mut out, model);
    }
    if !model.mitigations.is_empty() {
        mitigations(&mut out, model, today);
        gains(&mut out, model, effort);
    }
    if !model.threats.is_empty() {
        decisions(&mut out, model, today);
    }
    if !model.threats.is_empty()
        || !model.components.is_empty()
        || model.overdue_mitigations(today).next().is_some()
    {
        still_to_review(&mut out, model, today);
    }
    fault_trees(&mut out, model, effort);
    out
}

/// What the review has left: threats without a decision, threats marked mitigated whose
/// residual rating is not in force, suggested threats neither accepted nor dismissed (the
/// concrete ones, as the canvas counts them), boundary-crossing flows nobody has walked,
/// unanswered checklist questions.
fn still_to_review(out: &mut String, model: &Model, today: crate::model::Date) {
    out.push_str("## Still to review\n\n");
    let todo = to_do(model, today);
    if todo.is_empty() {
        out.push_str(
            "Nothing: every threat has a decision, no mitigation or decision is overdue, \
             every threat marked mitigated is at its residual rating, every suggested threat \
             was accepted or dismissed, every flow crossing a trust boundary is reviewed, \
             every checklist question is answered, every asset has a threat considered.\n\n",
        );
        return;
    }
    let ToDo {
        undecided,
        overdue,
        past_review: to_review,
        on_paper,
        suggested,
        unreviewed: unwalked,
        checklists: unanswered,
        unthreatened,
    } = todo;
    if !undecided.is_empty() {
        let n = undecided.len();
        let _ = writeln!(out, "Threats without a decision ({n}), most risky first:\n");
        for t in undecided {
            let _ = writeln!(
                out,
                "- {} (`{}`): {}, current risk {}",
                escape(&t.title),
                escape(t.id.as_str()),
                t.status.label(),
                model.current_level(t)
            );
        }
        out.push('\n');
    }
    if !overdue.is_empty() {
        let n = overdue.len();
        let _ = writeln!(out, "Mitigations overdue on {today} ({n}):\n");
        for m in overdue {
            let _ = writeln!(
                out,
                "- {} (`{}`): {}",
                escape(&m.title),
                escape(m.id.as_str()),
                escape(&m.due_note())
            );
        }
        out.push('\n');
    }
    if !to_review.is_empty() {
        let n = to_review.len();
        let _ = writeln!(out, "Decisions past their review date on {today} ({n}):\n");
        for t in to_review {
            let Some(a) = &t.assessment else { continue };
            let _ = writeln!(
                out,
                "- {} (`{}`): {}, review by {}",
                escape(&t.title),
                escape(t.id.as_str()),
                a.decision.label(),
                escape(&a.review_by)
            );
        }
        out.push('\n');
    }
    if !on_paper.is_empty() {
        let n = on_paper.len();
        let _ = writeln!(
            out,
            "Marked mitigated, but not yet at the residual rating ({n}), most risky first:\n"
        );
        for (t, waiting) in on_paper {
            let _ = writeln!(
                out,
                "- {} (`{}`): {}; current risk {}",
                escape(&t.title),
                escape(t.id.as_str()),
                escape(&waiting_for(&waiting)),
                model.current_level(t)
            );
        }
        out.push('\n');
    }
    if !suggested.is_empty() {
        let n = suggested.len();
        let _ = writeln!(
            out,
            "Suggested threats neither accepted nor dismissed ({n}), most risky first:\n"
        );
        for s in suggested {
            let _ = writeln!(out, "- {} ({})", escape(&s.title), s.level(model));
        }
        out.push('\n');
    }
    if !unwalked.is_empty() {
        let n = unwalked.len();
        let _ = writeln!(
            out,
            "Flows crossing a trust boundary not yet reviewed ({n}):\n"
        );
        for f in unwalked {
            let _ = writeln!(
                out,
                "- {}: {} → {}",
                escape(&f.label),
                names(model, std::slice::from_ref(&f.source)),
                names(model, std::slice::from_ref(&f.target))
            );
        }
        out.push('\n');
    }
    if !unthreatened.is_empty() {
        let n = unthreatened.len();
        let _ = writeln!(
            out,
            "Assets no threat is recorded against, nor against where they are stored ({n}):\n"
        );
        for a in unthreatened {
            let _ = writeln!(out, "- {} ({})", escape(&a.name), a.classification.label());
        }
        out.push('\n');
    }
    let total = Checklist::QUESTIONS;
    let (untouched, partly): (Vec<_>, Vec<_>) =
        unanswered.into_iter().partition(|(_, n)| *n == total);
    if !untouched.is_empty() {
        let names: Vec<String> = untouched.iter().map(|(c, _)| escape(&c.name)).collect();
        let _ = writeln!(
            out,
            "Checklist not started ({}): {}.\n",
            untouched.len(),
            names.join(", ")
        );
    }
    if !partly.is_empty() {
        out.push_str("Checklist questions unanswered:\n\n");
        for (c, n) in partly {
            let _ = writeln!(out, "- {}: {n} of {total}", escape(&c.name));
        }
        out.push('\n');
    }
}

/// Each fault tree's exact top-event probability and its most probable minimal cut sets.
fn fault_trees(out: &mut String, model: &Model, effort: &crate::analysis::fault_tree::Effort) {
    use crate::analysis::fault_tree::{Options, Solution, analyze};
    if model.fault_trees.is_empty() {
        return;
    }
    out.push_str("## Fault trees\n\nTop-event probabilities, exact unless said otherwise; cut sets are minimal, the most probable listed, and so are the events that weigh most on the top event (Fussell-Vesely first).\n\n");
    let label = |id: &crate::model::Id| match model.fault_tree_label(id) {
        Some(l) => format!("{} ({})", escape(l), escape(id.as_str())),
        None => escape(id.as_str()),
    };
    let opts = Options {
        max_sets: 10,
        effort: effort.clone(),
        ..Options::default()
    };
    for t in &model.fault_trees {
        let _ = writeln!(out, "### {}\n", escape(&t.name));
        let r = match analyze(model, t.id.as_str(), &opts) {
            Ok(r) => r,
            Err(e) => {
                let _ = writeln!(out, "Not analysed: {}\n", escape(&e.to_string()));
                continue;
            }
        };
        let c = &r.cut_sets;
        let probability = match &r.solution {
            Solution::Exact(p) => format!("probability {p:.6e}"),
            Solution::Truncated(t) => format!(
                "not solved exactly ({}); the figures below come from {}",
                escape(&t.reason),
                basis(t)
            ),
        };
        let _ = writeln!(
            out,
            "- Top event: {}, {probability}\n- {}, of at most {} events; rare-event approximation {:.3e}, min-cut upper bound {:.3e}\n",
            label(&t.top),
            count(c.count, "minimal cut set", "minimal cut sets"),
            c.max_order(),
            r.rare_event,
            r.mcub
        );
        header(out, &["Cut set", "Probability"]);
        for set in &c.sets {
            let events: Vec<String> = set.events.iter().map(&label).collect();
            row(
                out,
                &[events.join(", "), format!("{:.3e}", set.probability)],
            );
        }
        out.push('\n');
        if r.importance.is_empty() {
            continue;
        }
        let by = match r.solution {
            Solution::Exact(_) => "",
            Solution::Truncated(_) => ", by the min-cut upper bound",
        };
        let _ = writeln!(out, "Most important events{by}:\n");
        header(out, &["Event", "p", "Birnbaum", "F-V", "RAW", "RRW"]);
        for i in r.importance.iter().take(MOST_IMPORTANT) {
            let m = &i.measures;
            let figures = [m.probability, m.birnbaum, m.fussell_vesely, m.raw, m.rrw];
            let mut cells = vec![label(&i.event)];
            cells.extend(figures.iter().map(|x| format!("{x:.3e}")));
            row(out, &cells);
        }
        out.push('\n');
    }
}

/// Events listed by importance in each fault tree's section.
const MOST_IMPORTANT: usize = 5;

fn summary(out: &mut String, model: &Model, today: crate::model::Date) {
    out.push_str("## Summary\n\n");
    let of_kind = |k| model.components.iter().filter(|c| c.kind == k).count();
    let (crossing, reviewed) = model
        .flows
        .iter()
        .filter(|f| model.crosses_boundary(f))
        .fold((0, 0), |(n, r), f| (n + 1, r + usize::from(f.reviewed())));
    let _ = writeln!(
        out,
        "- {} ({}, {}, {}) in {}",
        count(model.components.len(), "component", "components"),
        count(of_kind(ComponentKind::Process), "process", "processes"),
        count(
            of_kind(ComponentKind::DataStore),
            "data store",
            "data stores"
        ),
        count(
            of_kind(ComponentKind::ExternalEntity),
            "external entity",
            "external entities"
        ),
        count(model.boundaries.len(), "trust boundary", "trust boundaries")
    );
    let walked = if crossing == 0 {
        String::new()
    } else {
        format!(" ({reviewed} reviewed)")
    };
    let _ = writeln!(
        out,
        "- {}, {crossing} of them crossing a trust boundary{walked}",
        count(model.flows.len(), "data flow", "data flows")
    );
    let open: Vec<&Threat> = model
        .threats
        .iter()
        .filter(|t| !t.status.is_closed())
        .collect();
    let by_level: Vec<String> = crate::model::RiskLevel::ALL
        .iter()
        .rev()
        .map(|l| {
            let n = open.iter().filter(|t| model.current_level(t) == *l).count();
            format!("{n} {}", l.label().to_lowercase())
        })
        .collect();
    let _ = writeln!(
        out,
        "- {}, {} still carrying risk: {}; {} without a decision",
        count(model.threats.len(), "threat", "threats"),
        open.len(),
        by_level.join(", "),
        model
            .threats
            .iter()
            .filter(|t| t.assessment.is_none())
            .count()
    );
    let implemented = model
        .mitigations
        .iter()
        .filter(|m| m.status == crate::model::MitigationStatus::Implemented)
        .count();
    let overdue = match model.overdue_mitigations(today).count() {
        0 => String::new(),
        n => format!(", **{n} overdue** (as of {today})"),
    };
    let _ = writeln!(
        out,
        "- {}, {implemented} implemented{overdue}; {}; {}\n",
        count(model.mitigations.len(), "mitigation", "mitigations"),
        count(model.actors.len(), "threat actor", "threat actors"),
        count(model.fault_trees.len(), "fault tree", "fault trees")
    );
}

fn properties(c: &Component) -> String {
    let flags = [
        (c.internet_facing, "internet-facing"),
        (c.handles_credentials, "handles credentials"),
        (c.stores_credentials, "stores credentials"),
        (c.stores_pii, "stores PII"),
        (c.encrypted_at_rest, "encrypted at rest"),
        (c.is_log, "log"),
        (c.validates_input, "validates input"),
        (c.audit_logging, "audit logging"),
        (c.known_vulnerabilities, "known vulnerabilities"),
        (
            c.privilege == crate::model::Privilege::High,
            "high privilege",
        ),
    ];
    let mut v: Vec<String> = flags
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, s)| (*s).to_owned())
        .collect();
    if let Some(reason) = &c.out_of_scope {
        v.push(format!("out of scope: {}", escape(reason)));
    }
    v.join(", ")
}

fn elements(out: &mut String, model: &Model) {
    out.push_str("## Elements\n\n");
    header(
        out,
        &["Element", "Kind", "Boundary", "Technology", "Properties"],
    );
    for c in &model.components {
        let boundary = model
            .boundary_of(c.id.as_str())
            .map_or(String::new(), |b| escape(&b.name));
        let mut tech = c.technology.clone();
        if !c.runtime_version.is_empty() {
            let _ = write!(tech, " ({})", c.runtime_version);
        }
        row(
            out,
            &[
                escape(&c.name),
                c.kind.label().to_owned(),
                boundary,
                escape(&tech),
                properties(c),
            ],
        );
    }
    out.push('\n');
}

fn crossing_flows(out: &mut String, model: &Model) {
    out.push_str("## Flows crossing a trust boundary\n\n");
    header(
        out,
        &[
            "Flow",
            "From",
            "To",
            "Crosses",
            "Protocol",
            "Encrypted",
            "Authentication",
            "Data",
            "Reviewed",
        ],
    );
    for f in model.flows.iter().filter(|f| model.crosses_boundary(f)) {
        let crossed: Vec<String> = model
            .boundaries_crossed(f)
            .iter()
            .map(|b| escape(&b.name))
            .collect();
        row(
            out,
            &[
                escape(&f.label),
                names(model, std::slice::from_ref(&f.source)),
                names(model, std::slice::from_ref(&f.target)),
                crossed.join(", "),
                escape(&f.protocol),
                if f.encrypted { "yes" } else { "**no**" }.to_owned(),
                f.authentication.label().to_owned(),
                f.classification.label().to_owned(),
                if f.reviewed() {
                    escape(&f.review_stamp())
                } else {
                    "—".to_owned()
                },
            ],
        );
    }
    out.push('\n');
}

fn assessment(out: &mut String, model: &Model) {
    out.push_str("## Risk assessment\n\nSorted by current risk, highest first. The residual rating counts once every mitigation of the threat is implemented.\n\n");
    header(
        out,
        &[
            "Threat",
            "Targets",
            "STRIDE",
            "Actors",
            "Inherent",
            "Mitigations",
            "Residual",
            "Status",
            "Decision",
        ],
    );
    for t in model.by_risk() {
        let mitigations: Vec<String> = t
            .mitigations
            .iter()
            .map(|m| match model.mitigation(m.as_str()) {
                Some(m) => format!("{} ({})", escape(&m.title), m.status.label()),
                None => escape(m.as_str()),
            })
            .collect();
        let residual = match t.residual {
            Some(r) if model.residual_applies(t) => rating(model, r),
            Some(r) => format!("{} (pending)", rating(model, r)),
            None => String::new(),
        };
        row(
            out,
            &[
                escape(&t.title),
                names(model, &t.targets),
                Stride::letters(&t.stride),
                names_of_actors(model, t),
                rating(model, t.inherent()),
                mitigations.join("<br>"),
                residual,
                t.status.label().to_owned(),
                t.assessment
                    .as_ref()
                    .map_or(String::new(), |a| a.decision.label().to_owned()),
            ],
        );
    }
    out.push('\n');
}

fn names_of_actors(model: &Model, t: &Threat) -> String {
    let v: Vec<String> = t
        .actors
        .iter()
        .map(|a| {
            escape(
                model
                    .actor(a.as_str())
                    .map_or(a.as_str(), |a| a.name.as_str()),
            )
        })
        .collect();
    v.join(", ")
}

fn matrix(out: &mut String, model: &Model) {
    out.push_str("## Risk matrix\n\nThreats by the rating in force now: a mitigated one at its residual rating once its mitigations are implemented; those avoided, transferred or not applicable are left out. Each cell shows the level and the count.\n\n");
    let mut cols = vec!["Impact \\\\ Likelihood"];
    cols.extend(Likelihood::ALL.iter().map(|l| l.label()));
    header(out, &cols);
    for impact in Impact::ALL.iter().rev() {
        let mut cells = vec![format!("**{impact}**")];
        for likelihood in Likelihood::ALL {
            let r = Rating::new(likelihood, *impact);
            let n = model
                .threats
                .iter()
                .filter(|t| model.matrix_rating(t, true) == Some(r))
                .count();
            let level = model.risk_matrix().level(r);
            cells.push(if n == 0 {
                format!("{} ·", level.letter())
            } else {
                format!("{} **{n}**", level.letter())
            });
        }
        row(out, &cells);
    }
    out.push_str("\nL low, M medium, H high, C critical.\n\n");
}

/// Each asset with where it is stored, and the threats against it, riskiest first: those
/// against it, then those against where it is stored.
fn assets(out: &mut String, model: &Model) {
    out.push_str(
        "## Assets

",
    );
    header(
        out,
        &[
            "Asset",
            "Classification",
            "Stored in",
            "Threats against it",
            "Through where it is stored",
        ],
    );
    let titles = |mut v: Vec<&Threat>| {
        v.sort_by_key(|t| std::cmp::Reverse(model.current_level(t)));
        let v: Vec<String> = (v.iter())
            .map(|t| format!("{} {}", model.current_level(t).letter(), escape(&t.title)))
            .collect();
        if v.is_empty() {
            "—".to_owned()
        } else {
            v.join("<br>")
        }
    };
    for a in &model.assets {
        row(
            out,
            &[
                escape(&a.name),
                a.classification.label().to_owned(),
                names(model, &a.stored_in),
                titles(model.threats_against(&a.id)),
                titles(model.threats_through_stores(&a.id)),
            ],
        );
    }
    out.push('\n');
}

fn actors(out: &mut String, model: &Model) {
    out.push_str("## Threat actors\n\n");
    header(
        out,
        &["Actor", "Kind", "Skill", "Resources", "Motive", "Threats"],
    );
    for a in &model.actors {
        let n = model.threats_of_actor(&a.id).len();
        row(
            out,
            &[
                escape(&a.name),
                escape(a.kind.label()),
                a.skill.label().to_owned(),
                a.resources.label().to_owned(),
                escape(&a.motive),
                n.to_string(),
            ],
        );
    }
    out.push('\n');
}

fn mitigations(out: &mut String, model: &Model, today: crate::model::Date) {
    out.push_str("## Mitigations\n\n");
    header(out, &["Mitigation", "Status", "Owner", "Due", "Threats"]);
    for m in &model.mitigations {
        let threats: Vec<String> = model
            .threats
            .iter()
            .filter(|t| t.mitigations.contains(&m.id))
            .map(|t| escape(&t.title))
            .collect();
        row(
            out,
            &[
                escape(&m.title),
                m.status.label().to_owned(),
                escape(&m.owner),
                if m.overdue(today) {
                    format!("**overdue** since {}", escape(&m.due))
                } else {
                    escape(&m.due)
                },
                threats.join("<br>"),
            ],
        );
    }
    out.push('\n');
}

/// What each mitigation not implemented yet would lower on its own, most first: where to
/// start.
fn gains(out: &mut String, model: &Model, effort: &crate::analysis::fault_tree::Effort) {
    let gains = crate::analysis::gains::gains(model, effort);
    if gains.is_empty() {
        return;
    }
    out.push_str("### What each would lower on its own\n\nMitigations not implemented yet, those that lower the most first. A threat's residual rating counts once every mitigation it lists is implemented, so one may lower nothing until others are done.\n\n");
    header(
        out,
        &[
            "Mitigation",
            "Status",
            "Risk lowered",
            "Top events",
            "Still waiting",
        ],
    );
    // Phrases one under the other in a cell, "—" for none.
    let told = |phrases: Vec<String>| {
        if phrases.is_empty() {
            "—".to_owned()
        } else {
            let escaped: Vec<String> = phrases.iter().map(|p| escape(p)).collect();
            escaped.join("<br>")
        }
    };
    for g in &gains {
        let Some(m) = model.mitigation(g.mitigation.as_str()) else {
            continue;
        };
        row(
            out,
            &[
                escape(&m.title),
                m.status.label().to_owned(),
                told(g.lowered(model)),
                told(g.falls(model)),
                told(g.waits(model)),
            ],
        );
    }
    out.push('\n');
}

fn decisions(out: &mut String, model: &Model, today: crate::model::Date) {
    out.push_str("## Decisions\n\n");
    let decided: Vec<&Threat> = model
        .by_risk()
        .into_iter()
        .filter(|t| t.assessment.is_some())
        .collect();
    if decided.is_empty() {
        out.push_str("No threat has a finalized assessment yet.\n");
    }
    for t in decided {
        let Some(a) = &t.assessment else { continue };
        let _ = writeln!(out, "### {}\n", escape(&t.title));
        let _ = writeln!(
            out,
            "- **Decision:** {} (current risk {})",
            a.decision.label(),
            model.current_level(t)
        );
        for (label, text) in [
            ("Rationale", &a.rationale),
            ("Business impact", &a.business_impact),
            ("Decided by", &a.decided_by),
            ("Decided on", &a.decided_on),
        ] {
            if !text.is_empty() {
                let _ = writeln!(out, "- **{label}:** {}", escape(text));
            }
        }
        if a.review_overdue(today) {
            let _ = writeln!(
                out,
                "- **Review by:** {} (**overdue**)",
                escape(&a.review_by)
            );
        } else if !a.review_by.is_empty() {
            let _ = writeln!(out, "- **Review by:** {}", escape(&a.review_by));
        }
        match (a.cost_to_fix, a.expected_loss) {
            (Some(c), Some(l)) => {
                let verdict = if c <= l {
                    "fixing costs less than the expected loss"
                } else {
                    "fixing costs more than the expected loss"
                };
                let _ = writeln!(
                    out,
                    "- **Cost to fix:** {c} vs **expected loss:** {l} ({verdict})"
                );
            }
            (Some(c), None) => {
                let _ = writeln!(out, "- **Cost to fix:** {c}");
            }
            (None, Some(l)) => {
                let _ = writeln!(out, "- **Expected loss:** {l}");
            }
            (None, None) => {}
        }
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::fault_tree::Effort;
    use crate::model::{Assessment, Decision, Dismissal, MitigationStatus, ThreatStatus};

    fn still_to_review_of(model: &Model) -> String {
        let r = report(
            model,
            &Effort::default(),
            crate::model::Date::from_unix_days(0),
        );
        let from = r.find("## Still to review").expect("the section");
        r[from..].to_owned()
    }

    #[test]
    fn still_to_review_lists_what_the_review_has_left_until_nothing_is() {
        let mut m = Model::new("t");
        m.components
            .push(Component::new("api", "API", ComponentKind::Process));
        m.threats.push(Threat::new(
            "t1",
            "Replay",
            Likelihood::Possible,
            Impact::Major,
        ));
        let suggested: Vec<_> = crate::analysis::suggestions::suggest(&m)
            .into_iter()
            .filter(|s| !s.is_generic())
            .collect();
        assert!(
            !suggested.is_empty(),
            "a bare process draws concrete suggestions"
        );
        let text = still_to_review_of(&m);
        assert!(text.contains(
            "Threats without a decision (1), most risky first:\n\n- Replay (`t1`): open"
        ));
        assert!(text.contains(&format!(
            "Suggested threats neither accepted nor dismissed ({}), most risky first:",
            suggested.len()
        )));
        for s in &suggested {
            assert!(
                text.contains(&format!("- {} ({})\n", escape(&s.title), s.level(&m))),
                "{text}"
            );
        }
        // The riskiest first.
        let levels: Vec<usize> = text
            .lines()
            .filter(|l| {
                suggested
                    .iter()
                    .any(|s| l.starts_with(&format!("- {} (", escape(&s.title))))
            })
            .map(|l| {
                ["(Critical)", "(High)", "(Medium)", "(Low)"]
                    .iter()
                    .position(|x| l.ends_with(x))
                    .expect("a level")
            })
            .collect();
        assert!(levels.windows(2).all(|w| w[0] <= w[1]), "{text}");
        assert!(text.contains("Checklist not started (1): API."), "{text}");
        // One question answered: the component is partly done.
        m.components[0].checklist.least_privilege = Some(true);
        let text = still_to_review_of(&m);
        assert!(
            text.contains("Checklist questions unanswered:\n\n- API: 6 of 7"),
            "{text}"
        );
        // Marked mitigated, but its mitigation is only planned, then without a residual.
        m.mitigations.push(crate::model::Mitigation {
            id: "nonce".into(),
            title: "Nonces".into(),
            description: String::new(),
            status: MitigationStatus::Planned,
            owner: String::new(),
            due: String::new(),
        });
        m.threats[0].mitigations.push("nonce".into());
        m.threats[0].residual = Some(Rating::new(Likelihood::Rare, Impact::Major));
        m.threats[0].status = ThreatStatus::Mitigated;
        let text = still_to_review_of(&m);
        assert!(
            text.contains(
                "Marked mitigated, but not yet at the residual rating (1), most risky first:\n\n\
                 - Replay (`t1`): waits for Nonces (planned); current risk High"
            ),
            "{text}"
        );
        m.mitigations[0].status = MitigationStatus::Implemented;
        m.threats[0].residual = None;
        let text = still_to_review_of(&m);
        assert!(
            text.contains("- Replay (`t1`): no residual rating recorded; current risk High"),
            "{text}"
        );
        m.threats[0].residual = Some(Rating::new(Likelihood::Rare, Impact::Major));
        assert!(!still_to_review_of(&m).contains("Marked mitigated"));
        // Everything settled: decided, dismissed, answered.
        m.threats[0].assessment = Some(Assessment::new(Decision::Accept));
        for s in crate::analysis::suggestions::suggest(&m) {
            m.dismissed.push(Dismissal {
                rule: s.rule.to_owned(),
                target: s.target,
                reason: String::new(),
            });
        }
        for answer in m.components[0].checklist.answers_mut() {
            *answer = Some(true);
        }
        let text = still_to_review_of(&m);
        assert!(
            text.starts_with("## Still to review\n\nNothing: every threat has a decision"),
            "{text}"
        );
    }

    #[test]
    fn crossing_flows_not_yet_reviewed_are_counted_listed_and_dated() {
        let mut m = Model::new("t");
        m.components
            .push(Component::new("app", "App", ComponentKind::Process));
        m.components
            .push(Component::new("db", "DB", ComponentKind::DataStore));
        m.boundaries.push(crate::model::Boundary {
            id: "vpc".into(),
            name: "VPC".into(),
            kind: crate::model::BoundaryKind::Vpc,
            description: String::new(),
            parent: None,
            members: vec!["db".into()],
            area: Default::default(),
        });
        m.flows
            .push(crate::model::Flow::new("q", "app", "db", "Query"));
        m.flows
            .push(crate::model::Flow::new("c", "app", "app", "Cache"));
        let day = crate::model::Date::from_unix_days(0);
        let r = report(&m, &Effort::default(), day);
        assert!(
            r.contains("- 2 data flows, 1 of them crossing a trust boundary (0 reviewed)"),
            "{r}"
        );
        assert!(
            r.contains(
                "Flows crossing a trust boundary not yet reviewed (1):\n\n- Query: App → DB\n"
            ),
            "{r}"
        );
        assert!(r.contains("| Query | App | DB | VPC |  | **no** | none | internal | — |"));
        m.flows[0].reviewed_on = "2026-11-24".into();
        let r = report(&m, &Effort::default(), day);
        assert!(r.contains("crossing a trust boundary (1 reviewed)"), "{r}");
        assert!(r.contains("| internal | 2026-11-24 |"), "{r}");
        assert!(!r.contains("not yet reviewed"), "{r}");
    }

    #[test]
    fn overdue_mitigations_and_reviews_show_in_the_report() {
        let mut m = Model::new("t");
        let day = |s| crate::model::Date::parse(s).expect("a date");
        for (id, status, due) in [
            ("late", MitigationStatus::InProgress, "2026-11-01"),
            ("done", MitigationStatus::Implemented, "2026-10-01"),
            ("soon", MitigationStatus::Planned, "2027-01-31"),
            ("open", MitigationStatus::Planned, ""),
        ] {
            m.mitigations.push(crate::model::Mitigation {
                id: id.into(),
                title: format!("Control {id}"),
                description: String::new(),
                status,
                owner: "Ops".into(),
                due: due.into(),
            });
        }
        let r = report(&m, &Effort::default(), day("2026-11-24"));
        assert!(
            r.contains("- 4 mitigations, 1 implemented, **1 overdue** (as of 2026-11-24);"),
            "{r}"
        );
        for row in [
            "| Control late | in progress | Ops | **overdue** since 2026-11-01 |",
            "| Control done | implemented | Ops | 2026-10-01 |",
            "| Control soon | planned | Ops | 2027-01-31 |",
            "| Control open | planned | Ops |  |",
        ] {
            assert!(r.contains(row), "{row}: {r}");
        }
        assert!(
            r.contains(
                "Mitigations overdue on 2026-11-24 (1):\n\n\
                 - Control late (`late`): in progress, due 2026-11-01, owner Ops\n"
            ),
            "{r}"
        );
        // An accepted risk past its review date.
        let mut t = Threat::new("t1", "Replay", Likelihood::Possible, Impact::Major);
        let mut a = Assessment::new(Decision::Accept);
        a.review_by = "2026-11-01".into();
        t.assessment = Some(a);
        m.threats.push(t);
        let r = report(&m, &Effort::default(), day("2026-11-24"));
        assert!(
            r.contains("- **Review by:** 2026-11-01 (**overdue**)\n"),
            "{r}"
        );
        assert!(
            r.contains(
                "Decisions past their review date on 2026-11-24 (1):\n\n\
                 - Replay (`t1`): accept, review by 2026-11-01\n"
            ),
            "{r}"
        );
        // Before the dates, nothing is overdue.
        let r = report(&m, &Effort::default(), day("2026-11-01"));
        assert!(
            !r.contains("**overdue**") && !r.contains(" overdue on "),
            "{r}"
        );
        assert!(!r.contains("Decisions past"), "{r}");
        assert!(r.contains("- **Review by:** 2026-11-01\n"), "{r}");
    }

    #[test]
    fn escape_neutralises_markup_html_and_controls() {
        assert_eq!(escape("a|b"), "a\\|b");
        assert_eq!(escape("<script>&"), "&lt;script&gt;&amp;");
        assert_eq!(escape("x\ny"), "x<br>y");
        assert_eq!(escape("\u{1b}[2J"), "\u{241b}\\[2J");
        assert_eq!(escape("C:\\path"), "C:\\\\path");
    }
}
