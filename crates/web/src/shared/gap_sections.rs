//! The coverage gaps of a service map in sections by rule, for the gap register and the
//! coverage page.

use cradle_domain::services::{self as map, Gap, GapRule};

/// The gaps one coverage rule finds.
pub(crate) struct RuleSection {
    pub(crate) id: &'static str,
    pub(crate) title: &'static str,
    pub(crate) gaps: Vec<Gap>,
}

/// The coverage gaps in sections by rule, for the register and the coverage page.
pub(crate) fn rule_sections(gaps: Vec<Gap>) -> Vec<RuleSection> {
    map::gaps_by_rule(gaps)
        .into_iter()
        .map(|(rule, gaps): (GapRule, Vec<Gap>)| RuleSection {
            id: rule.id(),
            title: rule.title(),
            gaps,
        })
        .collect()
}
