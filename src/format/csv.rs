//! Threats as CSV, one row per threat, for issue trackers and spreadsheets.

use super::text::visible;
use crate::model::{Id, Model, Stride};

const COLUMNS: [&str; 17] = [
    "id",
    "title",
    "description",
    "targets",
    "stride",
    "actors",
    "likelihood",
    "impact",
    "inherent_risk",
    "residual_likelihood",
    "residual_impact",
    "current_risk",
    "mitigations",
    "status",
    "decision",
    "rationale",
    "business_impact",
];

/// One field, RFC 4180 quoted when needed. A leading `= + - @` is prefixed with `'` so that a
/// spreadsheet never evaluates a threat title as a formula.
pub fn field(s: &str) -> String {
    // Line breaks are kept (inside quotes); other controls become visible.
    let mut s: String = s
        .chars()
        .filter(|&c| c != '\r')
        .map(|c| if c == '\n' { c } else { visible(c) })
        .collect();
    if s.starts_with(['=', '+', '-', '@']) {
        s.insert(0, '\'');
    }
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn ids(v: &[Id]) -> String {
    let v: Vec<&str> = v.iter().map(Id::as_str).collect();
    v.join(";")
}

/// Threats sorted by current risk, highest first.
pub fn threats(model: &Model) -> String {
    let mut out = COLUMNS.join(",");
    out.push_str("\r\n");
    for t in model.by_risk() {
        let a = t.assessment.as_ref();
        let cells = [
            t.id.as_str().to_owned(),
            t.title.clone(),
            t.description.clone(),
            ids(&t.targets),
            Stride::letters(&t.stride),
            ids(&t.actors),
            t.likelihood.label().to_owned(),
            t.impact.label().to_owned(),
            model.inherent_level(t).label().to_owned(),
            t.residual
                .map_or(String::new(), |r| r.likelihood.label().to_owned()),
            t.residual
                .map_or(String::new(), |r| r.impact.label().to_owned()),
            model.current_level(t).label().to_owned(),
            ids(&t.mitigations),
            t.status.label().to_owned(),
            a.map_or(String::new(), |a| a.decision.label().to_owned()),
            a.map_or(String::new(), |a| a.rationale.clone()),
            a.map_or(String::new(), |a| a.business_impact.clone()),
        ];
        let row: Vec<String> = cells.iter().map(|c| field(c)).collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn fields_are_quoted_and_defused() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
    }
}
