//! The gaps a partnership's service map shows: age bands, elements and relationships no
//! service covers, and funding about to end.

use super::*;

/// What kind of gap a rule found.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GapKind {
    /// No service of any kind for an age band.
    AgeBandUncovered(Stage),
    /// No specialist (or acute) service works with the parent–infant relationship for some
    /// of the under-twos' age bands.
    NoSpecialistRelationshipService(Vec<Stage>),
    /// No service supports a framework element for an age band.
    ElementUncovered(Stage, Element),
    /// Services whose funding has ended or ends within twelve months.
    FundingEnding,
}

impl GapKind {
    /// Whether the gap is about what the map covers (as against funding): adding a service
    /// can only close such a gap, never open one.
    pub fn is_coverage(&self) -> bool {
        !matches!(self, Self::FundingEnding)
    }
}

/// The rule that found a gap, for showing a long gap list in sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GapRule {
    AgeBands,
    SpecialistRelationship,
    Funding,
    Elements,
}

impl GapRule {
    /// Every rule, in the order [`gaps`] applies them.
    pub const ALL: [Self; 4] = [
        Self::AgeBands,
        Self::SpecialistRelationship,
        Self::Funding,
        Self::Elements,
    ];

    /// A stable id, for anchors.
    pub const fn id(self) -> &'static str {
        match self {
            Self::AgeBands => "age-bands",
            Self::SpecialistRelationship => "specialist-relationship",
            Self::Funding => "funding",
            Self::Elements => "elements",
        }
    }

    /// The section heading.
    pub const fn title(self) -> &'static str {
        match self {
            Self::AgeBands => "Age bands with no service",
            Self::SpecialistRelationship => {
                "Specialist help with the parent–infant relationship for under-twos"
            }
            Self::Funding => "Funding ending",
            Self::Elements => "Framework elements not supported, by age band",
        }
    }
}

impl GapKind {
    /// The rule that finds this kind of gap.
    pub fn rule(&self) -> GapRule {
        match self {
            Self::AgeBandUncovered(_) => GapRule::AgeBands,
            Self::NoSpecialistRelationshipService(_) => GapRule::SpecialistRelationship,
            Self::FundingEnding => GapRule::Funding,
            Self::ElementUncovered(..) => GapRule::Elements,
        }
    }
}

/// Gaps in sections by the rule that found them, in rule order, leaving out rules that
/// found nothing; within a section the gaps keep their order.
pub fn gaps_by_rule(gaps: Vec<Gap>) -> Vec<(GapRule, Vec<Gap>)> {
    let mut sections: Vec<(GapRule, Vec<Gap>)> = GapRule::ALL
        .iter()
        .map(|rule| (*rule, Vec::new()))
        .collect();
    for gap in gaps {
        let rule = gap.kind.rule();
        if let Some((_, list)) = sections.iter_mut().find(|(r, _)| *r == rule) {
            list.push(gap);
        }
    }
    sections.retain(|(_, list)| !list.is_empty());
    sections
}

/// A gap in the local system, worded for a partnership's meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub kind: GapKind,
    pub message: String,
    /// The services involved, by name (empty when the gap is an absence).
    pub services: Vec<String>,
}

/// "for babies aged 0 to 6 months", "in pregnancy": an age band in a sentence.
pub fn stage_phrase(stage: Stage) -> String {
    match stage {
        Stage::Pregnancy => "in pregnancy".to_owned(),
        Stage::ZeroToSixMonths | Stage::SixToTwelveMonths => {
            format!("for babies aged {}", stage.label())
        }
        _ => format!("for children aged {}", stage.label()),
    }
}

fn serves(service: &Service, stage: Stage) -> bool {
    service.stages.contains(&stage)
}

/// Age bands with no service at all.
pub fn uncovered_age_bands(services: &[Service]) -> Vec<Gap> {
    Stage::ALL
        .iter()
        .filter(|stage| !services.iter().any(|service| serves(service, **stage)))
        .map(|stage| Gap {
            kind: GapKind::AgeBandUncovered(*stage),
            message: format!("No service on the map works {}", stage_phrase(*stage)),
            services: Vec::new(),
        })
        .collect()
}

/// The under-twos' age bands that no specialist or acute service working with the
/// parent–infant relationship reaches, as one gap.
pub fn specialist_relationship_gap(services: &[Service]) -> Vec<Gap> {
    const UNDER_TWOS: [Stage; 3] = [
        Stage::ZeroToSixMonths,
        Stage::SixToTwelveMonths,
        Stage::OneToTwoYears,
    ];
    let missing: Vec<Stage> = UNDER_TWOS
        .into_iter()
        .filter(|stage| {
            !services.iter().any(|service| {
                service.tier >= Tier::Specialist
                    && service.works_with_relationship
                    && serves(service, *stage)
            })
        })
        .collect();
    if missing.is_empty() {
        return Vec::new();
    }
    let message = if missing.len() == UNDER_TWOS.len() {
        "No specialist service works with the parent–infant relationship for 0 to 2 year olds"
            .to_owned()
    } else {
        let bands: Vec<&str> = missing.iter().map(|stage| stage.label()).collect();
        format!(
            "No specialist service works with the parent–infant relationship for these age bands: {}",
            bands.join(", ")
        )
    };
    vec![Gap {
        kind: GapKind::NoSpecialistRelationshipService(missing),
        message,
        services: Vec::new(),
    }]
}

/// Each age band and framework element that no service supports.
pub fn uncovered_elements(services: &[Service]) -> Vec<Gap> {
    let mut gaps = Vec::new();
    for stage in Stage::ALL {
        for element in Element::ALL {
            let covered = services
                .iter()
                .any(|service| serves(service, *stage) && service.elements.contains(&element));
            if !covered {
                gaps.push(Gap {
                    kind: GapKind::ElementUncovered(*stage, element),
                    message: format!(
                        "No service supports {} {}",
                        element.label().to_lowercase(),
                        stage_phrase(*stage)
                    ),
                    services: Vec::new(),
                });
            }
        }
    }
    gaps
}

/// The services whose funding has ended, or ends within twelve months of `today`, as one
/// gap naming them with their dates (soonest first).
pub fn funding_ending(services: &[Service], today: Date) -> Vec<Gap> {
    let horizon = today
        .replace_year(today.year() + 1)
        // 29 February has no twin next year; the day before is close enough.
        .or_else(|_| (today - time::Duration::DAY).replace_year(today.year() + 1))
        .unwrap_or(Date::MAX);
    let mut ending: Vec<(&Service, Date)> = services
        .iter()
        .filter_map(|service| service.funding_end.map(|end| (service, end)))
        .filter(|(_, end)| *end <= horizon)
        .collect();
    if ending.is_empty() {
        return Vec::new();
    }
    ending.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.name.cmp(&b.0.name)));
    let count = match ending.len() {
        1 => "One service's".to_owned(),
        2 => "Two services'".to_owned(),
        n => format!("{n} services'"),
    };
    let list: Vec<String> = ending
        .iter()
        .map(|(service, end)| {
            let verb = if *end < today { "ended" } else { "ends" };
            format!("{} ({verb} {})", service.name, long_date(*end))
        })
        .collect();
    vec![Gap {
        kind: GapKind::FundingEnding,
        message: format!(
            "{count} funding has ended or ends within 12 months: {}",
            list.join("; ")
        ),
        services: ending
            .iter()
            .map(|(service, _)| service.name.clone())
            .collect(),
    }]
}

/// Every gap the rules find, most pressing first: whole age bands missing, the specialist
/// relationship gap, funding ending, then each uncovered framework element.
pub fn gaps(services: &[Service], today: Date) -> Vec<Gap> {
    let mut all = uncovered_age_bands(services);
    all.extend(specialist_relationship_gap(services));
    all.extend(funding_ending(services, today));
    all.extend(uncovered_elements(services));
    all
}
