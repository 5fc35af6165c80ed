//! Part 5, the whole-system approach: a partnership's map of local services, the coverage
//! matrices built from it and the gaps it shows.
//!
//! Everything here is a plain function over plain values, so that the web pages, the
//! importer and the tests share one set of rules. A service is checked once, by
//! [`ServiceFields::validate`], whether it was typed into a form or read from a file row.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use time::{Date, Month};

use crate::partnership::AreaCode;
use crate::places::PlaceError;
use crate::vocabulary::{Dimension, Domain, EcoLevel, Sector, Stage, Tier, UnknownTerm};

mod coverage;
mod fields;
mod gaps;

pub use coverage::{
    Matrix, Pathways, ReferralRoute, Referrer, coverage_level_by_element, coverage_tier_by_age,
    referral_pathways,
};
pub use fields::{ServiceFields, long_date, parse_date, split_values};
pub use gaps::{
    Gap, GapKind, GapRule, funding_ending, gaps, gaps_by_rule, specialist_relationship_gap,
    stage_phrase, uncovered_age_bands, uncovered_elements,
};

/// An element of the being and becoming framework: a dimension in a domain, such as
/// becoming / social.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Element {
    pub dimension: Dimension,
    pub domain: Domain,
}

impl Element {
    /// The six elements, being before becoming, each in the toolkit's domain order.
    pub const ALL: [Self; 6] = [
        Self::new(Dimension::Being, Domain::Emotional),
        Self::new(Dimension::Being, Domain::Social),
        Self::new(Dimension::Being, Domain::Behavioural),
        Self::new(Dimension::Becoming, Domain::Emotional),
        Self::new(Dimension::Becoming, Domain::Social),
        Self::new(Dimension::Becoming, Domain::Behavioural),
    ];

    /// The ids, in the order of [`Self::ALL`], as files and forms write them.
    pub const IDS: [&'static str; 6] = [
        "being-emotional",
        "being-social",
        "being-behavioural",
        "becoming-emotional",
        "becoming-social",
        "becoming-behavioural",
    ];

    pub const fn new(dimension: Dimension, domain: Domain) -> Self {
        Self { dimension, domain }
    }

    fn index(self) -> usize {
        let dimension = match self.dimension {
            Dimension::Being => 0,
            Dimension::Becoming => 3,
        };
        let domain = match self.domain {
            Domain::Emotional => 0,
            Domain::Social => 1,
            Domain::Behavioural => 2,
        };
        dimension + domain
    }

    /// The stable id, such as `becoming-social`.
    pub fn id(self) -> &'static str {
        Self::IDS[self.index()]
    }

    /// How people read it: "Becoming / social".
    pub fn label(self) -> String {
        format!(
            "{} / {}",
            self.dimension.label(),
            self.domain.label().to_lowercase()
        )
    }
}

impl FromStr for Element {
    type Err = UnknownTerm;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::IDS
            .iter()
            .position(|id| *id == text)
            .map(|index| Self::ALL[index])
            .ok_or_else(|| UnknownTerm {
                vocabulary: "framework element",
                value: text.to_owned(),
                allowed: &Self::IDS,
            })
    }
}

impl fmt::Display for Element {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A service on a partnership's map, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    /// Chosen by the partnership and unique within it, so that importing the same file
    /// again updates each service rather than adding it twice.
    pub key: String,
    pub name: String,
    pub provider: String,
    pub sector: Sector,
    pub tier: Tier,
    /// The age bands served, in the toolkit's order, without repeats.
    pub stages: Vec<Stage>,
    pub levels: Vec<EcoLevel>,
    pub elements: Vec<Element>,
    /// Whether the service works with the relationship between a baby and their parents or
    /// carers, rather than with the child or the adult alone.
    pub works_with_relationship: bool,
    pub areas: Vec<AreaCode>,
    /// Who the service is for, in general terms (never about a particular family).
    pub eligibility: String,
    /// Keys or names of the services that refer families to this one.
    pub referral_from: Vec<String>,
    pub capacity_families_per_year: Option<u32>,
    pub funding_end: Option<Date>,
}

/// A field of a service, as forms name it and as a file's header row names its column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ServiceField {
    Key,
    Name,
    Provider,
    Sector,
    Tier,
    AgeBands,
    Levels,
    Elements,
    WorksWithRelationship,
    Areas,
    Eligibility,
    ReferralFrom,
    Capacity,
    FundingEnd,
}

impl ServiceField {
    /// Every field, in the order of the template file's columns.
    pub const ALL: [Self; 14] = [
        Self::Key,
        Self::Name,
        Self::Provider,
        Self::Sector,
        Self::Tier,
        Self::AgeBands,
        Self::Levels,
        Self::Elements,
        Self::WorksWithRelationship,
        Self::Areas,
        Self::Eligibility,
        Self::ReferralFrom,
        Self::Capacity,
        Self::FundingEnd,
    ];

    /// The column heading in files, and the form field's name.
    pub const fn column(self) -> &'static str {
        match self {
            Self::Key => "key",
            Self::Name => "name",
            Self::Provider => "provider",
            Self::Sector => "sector",
            Self::Tier => "tier",
            Self::AgeBands => "age_bands",
            Self::Levels => "levels",
            Self::Elements => "elements",
            Self::WorksWithRelationship => "works_with_relationship",
            Self::Areas => "areas",
            Self::Eligibility => "eligibility",
            Self::ReferralFrom => "referral_from",
            Self::Capacity => "capacity_families_per_year",
            Self::FundingEnd => "funding_end",
        }
    }

    /// How the field is named in sentences.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Key => "Key",
            Self::Name => "Name",
            Self::Provider => "Provider",
            Self::Sector => "Sector",
            Self::Tier => "Tier of need",
            Self::AgeBands => "Age bands",
            Self::Levels => "Ecological levels",
            Self::Elements => "Framework elements",
            Self::WorksWithRelationship => "Works with the parent–infant relationship",
            Self::Areas => "Areas",
            Self::Eligibility => "Eligibility",
            Self::ReferralFrom => "Referred from",
            Self::Capacity => "Capacity (families a year)",
            Self::FundingEnd => "Funding ends",
        }
    }

    /// What the column holds, for the downloadable template's notes.
    pub fn guidance(self) -> String {
        let list = |ids: &[&str]| ids.join("; ");
        match self {
            Self::Key => format!(
                "Required. Your own short code for the service, unique in the partnership: letters, digits, - and _ (up to {} characters). Importing again updates the service with this key.",
                ServiceFields::KEY_MAX
            ),
            Self::Name => "Required. The service's name.".to_owned(),
            Self::Provider => "Required. Who runs it.".to_owned(),
            Self::Sector => format!("Required. One of: {}.", list(Sector::IDS)),
            Self::Tier => format!("Required. The tier of need: one of {}.", list(Tier::IDS)),
            Self::AgeBands => format!(
                "Required. One or more of: {}, separated by ;",
                list(Stage::IDS)
            ),
            Self::Levels => format!(
                "Optional. The levels of the socio-ecological model it works at: {}, separated by ;",
                list(EcoLevel::IDS)
            ),
            Self::Elements => format!(
                "Optional. The framework elements supported: {}, separated by ;",
                list(&Element::IDS)
            ),
            Self::WorksWithRelationship => {
                "yes or no (blank means no): does it work with the relationship between baby and parent or carer?".to_owned()
            }
            Self::Areas => {
                "Optional. The areas served, by name or official code, such as Hartlepool or E06000001, separated by ;".to_owned()
            }
            Self::Eligibility => {
                "Optional. Who the service is for, in general terms. Never enter anything that could identify a child or family.".to_owned()
            }
            Self::ReferralFrom => {
                "Optional. Keys or names of the services that refer to this one, separated by ;".to_owned()
            }
            Self::Capacity => {
                "Optional. A whole number: how many families it can support in a year.".to_owned()
            }
            Self::FundingEnd => {
                "Optional. When its current funding ends, as YYYY-MM-DD or DD/MM/YYYY.".to_owned()
            }
        }
    }
}

impl FromStr for ServiceField {
    type Err = ();

    /// Reads a header cell: case and surrounding spaces do not matter, and spaces may stand
    /// for underscores, as people retype headings.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let heading = text.trim().to_lowercase().replace([' ', '-'], "_");
        Self::ALL
            .into_iter()
            .find(|field| field.column() == heading)
            .ok_or(())
    }
}

/// What is wrong with one field's value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldProblem {
    #[error("enter a value")]
    Missing,
    #[error("must be {max} characters or fewer")]
    TooLong { max: usize },
    #[error("“{0}” is not a valid key: use letters, digits, - and _ only")]
    BadKey(String),
    #[error("“{}” is not {}; expected one of: {}", .0.value, vocabulary_phrase(.0.vocabulary), .0.allowed.join(", "))]
    Unknown(UnknownTerm),
    #[error("{0}")]
    Area(PlaceError),
    #[error("“{0}” is not yes or no")]
    NotYesNo(String),
    #[error("“{0}” is not a whole number of families (0 to {max})", max = ServiceFields::CAPACITY_MAX)]
    NotACount(String),
    #[error("“{0}” is not a date: write it as YYYY-MM-DD (for example 2027-03-31) or DD/MM/YYYY")]
    NotADate(String),
}

/// "a tier of need", "an age band": how each vocabulary is named in a message.
fn vocabulary_phrase(vocabulary: &str) -> String {
    match vocabulary {
        "tier" => "a tier of need".to_owned(),
        "stage" => "an age band".to_owned(),
        "level" => "an ecological level".to_owned(),
        "sector" => "a sector".to_owned(),
        "framework element" => "a framework element".to_owned(),
        other => format!("a {other}"),
    }
}

/// One problem with a service's details, naming the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {problem}", field.label())]
pub struct ServiceError {
    pub field: ServiceField,
    pub problem: FieldProblem,
}

impl ServiceError {
    /// The problem as a form's error message says it, in the GOV.UK pattern: what to do,
    /// naming the field ("Enter the service's name", "Choose at least one age band").
    pub fn form_message(&self) -> String {
        match (&self.problem, self.field) {
            (FieldProblem::Missing, field) => match field {
                ServiceField::Key => "Enter a key for the service",
                ServiceField::Name => "Enter the service's name",
                ServiceField::Provider => "Enter the organisation that runs the service",
                ServiceField::Sector => "Select the service's sector",
                ServiceField::Tier => "Select the tier of need the service meets",
                ServiceField::AgeBands => "Choose at least one age band",
                ServiceField::Levels => "Choose at least one level",
                _ => "Enter a value",
            }
            .to_owned(),
            (FieldProblem::TooLong { max }, field) => {
                format!("{} must be {max} characters or fewer", field.label())
            }
            (problem, field) => format!("{}: {problem}", field.label()),
        }
    }
}

/// A key made from a service's name, for a service added without one: `Little Steps (Tees)`
/// becomes `little-steps-tees`. Letters and digits are kept; everything else joins words
/// with `-`. `None` when the name has no letters or digits to make one from.
pub fn key_from_name(name: &str) -> Option<String> {
    let mut key = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            key.push(c.to_ascii_lowercase());
        } else if !key.is_empty() && !key.ends_with('-') {
            key.push('-');
        }
    }
    let key: String = key
        .trim_end_matches('-')
        .chars()
        .take(ServiceFields::KEY_MAX - 3)
        .collect();
    let key = key.trim_end_matches('-');
    (!key.is_empty()).then(|| key.to_owned())
}

#[cfg(test)]
mod tests;
