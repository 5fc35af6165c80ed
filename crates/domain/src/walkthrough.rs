//! Part 4, scenario walk-throughs: for a national scenario or one a partnership writes,
//! what would happen in the area: who would notice, which services would respond at each
//! ecological level and when, what the family would experience, and the gaps and risks
//! found. Gaps and risks feed the partnership's gap register.

use std::collections::BTreeMap;

use crate::self_assessment::FieldIssue;
use crate::vocabulary::{EcoLevel, Stage, Tier};

pub const TITLE_MAX: usize = 120;
pub const FAMILY_MAX: usize = 200;
pub const TEXT_MAX: usize = 4000;
pub const TIMING_MAX: usize = 200;
/// The longest one gap or risk may be, and how many one walk-through may list.
pub const GAP_MAX: usize = 500;
pub const GAPS_MAX: usize = 50;

fn issue(field: &'static str, message: impl Into<String>) -> FieldIssue {
    FieldIssue {
        field,
        message: message.into(),
    }
}

/// Checks a free-text field: trimmed, within `max`, present if `required`.
fn text(
    issues: &mut Vec<FieldIssue>,
    field: &'static str,
    label: &str,
    value: &str,
    max: usize,
    required: bool,
) -> String {
    let value = value.trim();
    if required && value.is_empty() {
        issues.push(issue(field, format!("Enter {}", label.to_lowercase())));
    } else if value.chars().count() > max {
        issues.push(issue(
            field,
            format!("{label} must be {max} characters or fewer"),
        ));
    }
    value.to_owned()
}

/// A scenario a partnership wrote for itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalScenario {
    pub title: String,
    pub age: Stage,
    pub need: Tier,
    /// The family form, in general terms (never a real family).
    pub family: String,
    pub situation: String,
}

/// A local scenario as a form sends it.
#[derive(Debug, Clone, Default)]
pub struct LocalScenarioFields {
    pub title: String,
    pub age: String,
    pub need: String,
    pub family: String,
    pub situation: String,
}

impl LocalScenarioFields {
    pub fn validate(&self) -> Result<LocalScenario, Vec<FieldIssue>> {
        let mut issues = Vec::new();
        let title = text(&mut issues, "title", "Title", &self.title, TITLE_MAX, true);
        let age = self.age.trim().parse::<Stage>().ok();
        if age.is_none() {
            issues.push(issue("age", "Select the child's age band"));
        }
        let need = self.need.trim().parse::<Tier>().ok();
        if need.is_none() {
            issues.push(issue("need", "Select the level of need"));
        }
        let family = text(
            &mut issues,
            "family",
            "Family",
            &self.family,
            FAMILY_MAX,
            false,
        );
        let situation = text(
            &mut issues,
            "situation",
            "The situation",
            &self.situation,
            TEXT_MAX,
            true,
        );
        match (age, need, issues.is_empty()) {
            (Some(age), Some(need), true) => Ok(LocalScenario {
                title,
                age,
                need,
                family,
                situation,
            }),
            _ => Err(issues),
        }
    }
}

/// Gap or risk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FindingKind {
    Gap,
    Risk,
}

impl FindingKind {
    pub const fn id(self) -> &'static str {
        match self {
            Self::Gap => "gap",
            Self::Risk => "risk",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            Self::Gap => "Gap",
            Self::Risk => "Risk",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "gap" => Some(Self::Gap),
            "risk" => Some(Self::Risk),
            _ => None,
        }
    }
}

/// Who would respond at one ecological level, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelResponse {
    pub level: EcoLevel,
    /// Ids of services on the partnership's map.
    pub services: Vec<String>,
    pub timing: String,
}

/// A walk-through, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Walkthrough {
    pub who_would_notice: String,
    pub family_experience: String,
    /// Only the levels where a service was picked or a time given, in level order.
    pub responses: Vec<LevelResponse>,
    pub gaps: Vec<String>,
    pub risks: Vec<String>,
}

/// A walk-through as a form sends it.
#[derive(Debug, Clone, Default)]
pub struct WalkthroughFields {
    pub who_would_notice: String,
    pub family_experience: String,
    /// For each level: the service ids ticked and the timing typed.
    pub levels: BTreeMap<EcoLevel, (Vec<String>, String)>,
    /// One gap per line.
    pub gaps: String,
    /// One risk per line.
    pub risks: String,
}

/// The form field of a level's services, and of its timing.
pub fn services_field(level: EcoLevel) -> String {
    format!("services-{}", level.id())
}
pub fn timing_field(level: EcoLevel) -> String {
    format!("timing-{}", level.id())
}

/// The lines of a list typed one item per line: trimmed, bullets and blanks dropped.
pub fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| line.trim().trim_start_matches(['-', '*', '•']).trim())
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A problem whose field is built from a level (owned).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkthroughIssue {
    pub field: String,
    pub message: String,
}

impl WalkthroughFields {
    /// Checks the walk-through against the ids of the services on the map.
    pub fn validate(&self, services: &[&str]) -> Result<Walkthrough, Vec<WalkthroughIssue>> {
        let mut fixed = Vec::new();
        let who_would_notice = text(
            &mut fixed,
            "who_would_notice",
            "Who would notice",
            &self.who_would_notice,
            TEXT_MAX,
            true,
        );
        let family_experience = text(
            &mut fixed,
            "family_experience",
            "What the family would experience",
            &self.family_experience,
            TEXT_MAX,
            false,
        );
        let mut issues: Vec<WalkthroughIssue> = fixed
            .into_iter()
            .map(|i| WalkthroughIssue {
                field: i.field.to_owned(),
                message: i.message,
            })
            .collect();
        let mut responses = Vec::new();
        for (level, (picked, timing)) in &self.levels {
            let timing = timing.trim();
            if timing.chars().count() > TIMING_MAX {
                issues.push(WalkthroughIssue {
                    field: timing_field(*level),
                    message: format!(
                        "When services would respond at the {} level must be {TIMING_MAX} characters or fewer",
                        level.label().to_lowercase()
                    ),
                });
            }
            let mut chosen: Vec<String> = Vec::new();
            for id in picked {
                if !services.contains(&id.as_str()) {
                    issues.push(WalkthroughIssue {
                        field: services_field(*level),
                        message: format!(
                            "A service picked at the {} level is no longer on the map: choose again",
                            level.label().to_lowercase()
                        ),
                    });
                } else if !chosen.contains(id) {
                    chosen.push(id.clone());
                }
            }
            if !chosen.is_empty() || !timing.is_empty() {
                responses.push(LevelResponse {
                    level: *level,
                    services: chosen,
                    timing: timing.to_owned(),
                });
            }
        }
        let mut findings = |field: &str, label: &str, text: &str| {
            let found = lines(text);
            if found.len() > GAPS_MAX {
                issues.push(WalkthroughIssue {
                    field: field.to_owned(),
                    message: format!("List at most {GAPS_MAX} {label}"),
                });
            }
            if let Some(n) = found.iter().position(|line| line.chars().count() > GAP_MAX) {
                issues.push(WalkthroughIssue {
                    field: field.to_owned(),
                    message: format!(
                        "Line {} of the {label} is longer than {GAP_MAX} characters: split it",
                        n + 1
                    ),
                });
            }
            found
        };
        let gaps = findings("gaps", "gaps", &self.gaps);
        let risks = findings("risks", "risks", &self.risks);
        if issues.is_empty() {
            Ok(Walkthrough {
                who_would_notice,
                family_experience,
                responses,
                gaps,
                risks,
            })
        } else {
            Err(issues)
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_local_scenario_needs_a_title_age_need_and_situation() {
        let fields: Vec<_> = LocalScenarioFields::default()
            .validate()
            .unwrap_err()
            .into_iter()
            .map(|i| i.field)
            .collect();
        assert_eq!(fields, ["title", "age", "need", "situation"]);
        let scenario = LocalScenarioFields {
            title: " Twins in a rural village ".into(),
            age: "6-12m".into(),
            need: "targeted".into(),
            family: "two parents, twins".into(),
            situation: "Invented.".into(),
        }
        .validate()
        .unwrap();
        assert_eq!(scenario.title, "Twins in a rural village");
        assert_eq!(scenario.age, Stage::SixToTwelveMonths);
    }

    #[test]
    fn gaps_are_read_one_per_line_without_bullets() {
        assert_eq!(
            lines("- No interpreter on the ward\n\n  • Nobody asks the father  \n*"),
            ["No interpreter on the ward", "Nobody asks the father"]
        );
    }

    #[test]
    fn a_walk_through_keeps_only_services_on_the_map_and_levels_with_answers() {
        let mut fields = WalkthroughFields {
            who_would_notice: "The health visitor at the new birth visit".into(),
            gaps: "No evening support\nNo interpreter".into(),
            risks: "Family moved at short notice".into(),
            ..WalkthroughFields::default()
        };
        fields.levels.insert(
            EcoLevel::Caregiving,
            (vec!["hv".into(), "hv".into()], "Within 10 days".into()),
        );
        fields
            .levels
            .insert(EcoLevel::Society, (vec![], String::new()));
        let walkthrough = fields.validate(&["hv", "pit"]).unwrap();
        assert_eq!(walkthrough.responses.len(), 1);
        assert_eq!(walkthrough.responses[0].services, ["hv"]);
        assert_eq!(walkthrough.gaps.len(), 2);
        assert_eq!(walkthrough.risks, ["Family moved at short notice"]);

        fields
            .levels
            .insert(EcoLevel::Family, (vec!["gone".into()], String::new()));
        fields.who_would_notice.clear();
        let issues = fields.validate(&["hv"]).unwrap_err();
        let names: Vec<&str> = issues.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(names, ["who_would_notice", "services-family"]);
    }
}
