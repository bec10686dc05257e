//! What a review has left to do: the report's "Still to review" and the editor's list of it
//! (`R`) read the same findings.

use super::suggestions::{Suggestion, suggest};
use crate::model::{Asset, Component, Date, Flow, Mitigation, MitigationStatus, Model, Threat};

/// The mitigations a threat marked mitigated still waits for: title and status (`None`: a
/// mitigation the model does not define).
pub type Waiting<'m> = Vec<(&'m str, Option<MitigationStatus>)>;

/// The review's open items, each list in the order to take them: the riskiest first.
pub struct ToDo<'m> {
    /// Threats without a decision.
    pub undecided: Vec<&'m Threat>,
    /// Mitigations not yet implemented, past their due date.
    pub overdue: Vec<&'m Mitigation>,
    /// Decisions past their review date.
    pub past_review: Vec<&'m Threat>,
    /// Threats marked mitigated that are not yet at their residual rating, with the
    /// mitigations they wait for (none: no residual rating is recorded).
    pub on_paper: Vec<(&'m Threat, Waiting<'m>)>,
    /// Concrete suggested threats neither accepted nor dismissed (as the canvas counts them).
    pub suggested: Vec<Suggestion>,
    /// Flows crossing a trust boundary that nobody has reviewed.
    pub unreviewed: Vec<&'m Flow>,
    /// Components in scope with checklist questions unanswered, and how many.
    pub checklists: Vec<(&'m Component, usize)>,
    /// Assets no threat is recorded against, nor against where they are stored: what the
    /// system must protect that nobody has yet asked how it could be harmed. The most
    /// sensitive first.
    pub unthreatened: Vec<&'m Asset>,
}

impl ToDo<'_> {
    pub fn is_empty(&self) -> bool {
        self.undecided.is_empty()
            && self.overdue.is_empty()
            && self.past_review.is_empty()
            && self.on_paper.is_empty()
            && self.suggested.is_empty()
            && self.unreviewed.is_empty()
            && self.checklists.is_empty()
            && self.unthreatened.is_empty()
    }
}

/// Why a threat marked mitigated is not yet at its residual rating, in words: "waits for MFA
/// (planned)", or that it has no residual rating.
pub fn waiting_for(waiting: &[(&str, Option<MitigationStatus>)]) -> String {
    if waiting.is_empty() {
        return "no residual rating recorded".to_owned();
    }
    let named: Vec<String> = waiting
        .iter()
        .map(|(title, status)| match status {
            Some(s) => format!("{title} ({})", s.label()),
            None => (*title).to_owned(),
        })
        .collect();
    format!("waits for {}", named.join(", "))
}

/// What the review of `model` has left as of `today`.
pub fn to_do(model: &Model, today: Date) -> ToDo<'_> {
    let by_risk = model.by_risk();
    let mut suggested: Vec<Suggestion> = suggest(model)
        .into_iter()
        .filter(|s| !s.is_generic())
        .collect();
    // Stable: equal levels keep the rules' order.
    suggested.sort_by_key(|s| std::cmp::Reverse(s.level(model)));
    ToDo {
        undecided: by_risk
            .iter()
            .filter(|t| t.assessment.is_none())
            .copied()
            .collect(),
        overdue: model.overdue_mitigations(today).collect(),
        past_review: model.decisions_past_review(today),
        on_paper: by_risk
            .iter()
            .filter_map(|t| model.mitigated_on_paper(t).map(|why| (*t, why)))
            .collect(),
        suggested,
        unreviewed: model.unreviewed_crossings().collect(),
        checklists: model.open_checklists().collect(),
        unthreatened: {
            let mut v: Vec<&Asset> = (model.assets.iter())
                .filter(|a| !model.threats.iter().any(|t| a.exposed_to(t)))
                .collect();
            // Stable: equal classifications keep the model's order.
            v.sort_by_key(|a| std::cmp::Reverse(a.classification));
            v
        },
    }
}
