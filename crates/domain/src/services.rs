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

use crate::partnership::{AreaCode, AreaCodeError};
use crate::vocabulary::{Dimension, Domain, EcoLevel, Sector, Stage, Tier, UnknownTerm};

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
                "Required. One or more ecological levels: {}, separated by ;",
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
                "Optional. GSS area codes served, such as E06000001, separated by ;".to_owned()
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
    Area(AreaCodeError),
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

/// A service's details as text, the way a form or a file row holds them; multi-value
/// fields separate their values with `;`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceFields {
    pub key: String,
    pub name: String,
    pub provider: String,
    pub sector: String,
    pub tier: String,
    pub age_bands: String,
    pub levels: String,
    pub elements: String,
    pub works_with_relationship: String,
    pub areas: String,
    pub eligibility: String,
    pub referral_from: String,
    pub capacity: String,
    pub funding_end: String,
}

/// The values of a multi-value cell: split on `;` (or new lines, from a form's text area),
/// trimmed, blanks dropped.
pub fn split_values(text: &str) -> impl Iterator<Item = &str> {
    text.split([';', '\n'])
        .map(str::trim)
        .filter(|value| !value.is_empty())
}

impl ServiceFields {
    pub const KEY_MAX: usize = 60;
    pub const NAME_MAX: usize = 120;
    pub const ELIGIBILITY_MAX: usize = 1000;
    pub const CAPACITY_MAX: u32 = 1_000_000;

    /// The text of one field.
    pub fn get(&self, field: ServiceField) -> &str {
        match field {
            ServiceField::Key => &self.key,
            ServiceField::Name => &self.name,
            ServiceField::Provider => &self.provider,
            ServiceField::Sector => &self.sector,
            ServiceField::Tier => &self.tier,
            ServiceField::AgeBands => &self.age_bands,
            ServiceField::Levels => &self.levels,
            ServiceField::Elements => &self.elements,
            ServiceField::WorksWithRelationship => &self.works_with_relationship,
            ServiceField::Areas => &self.areas,
            ServiceField::Eligibility => &self.eligibility,
            ServiceField::ReferralFrom => &self.referral_from,
            ServiceField::Capacity => &self.capacity,
            ServiceField::FundingEnd => &self.funding_end,
        }
    }

    /// Sets one field's text.
    pub fn set(&mut self, field: ServiceField, value: String) {
        let slot = match field {
            ServiceField::Key => &mut self.key,
            ServiceField::Name => &mut self.name,
            ServiceField::Provider => &mut self.provider,
            ServiceField::Sector => &mut self.sector,
            ServiceField::Tier => &mut self.tier,
            ServiceField::AgeBands => &mut self.age_bands,
            ServiceField::Levels => &mut self.levels,
            ServiceField::Elements => &mut self.elements,
            ServiceField::WorksWithRelationship => &mut self.works_with_relationship,
            ServiceField::Areas => &mut self.areas,
            ServiceField::Eligibility => &mut self.eligibility,
            ServiceField::ReferralFrom => &mut self.referral_from,
            ServiceField::Capacity => &mut self.capacity,
            ServiceField::FundingEnd => &mut self.funding_end,
        };
        *slot = value;
    }

    /// The fields of a stored service, as a form shows them for editing.
    pub fn from_service(service: &Service) -> Self {
        fn join<T: fmt::Display>(values: &[T]) -> String {
            values
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        }
        Self {
            key: service.key.clone(),
            name: service.name.clone(),
            provider: service.provider.clone(),
            sector: service.sector.id().to_owned(),
            tier: service.tier.id().to_owned(),
            age_bands: join(&service.stages),
            levels: join(&service.levels),
            elements: join(&service.elements),
            works_with_relationship: if service.works_with_relationship {
                "yes"
            } else {
                "no"
            }
            .to_owned(),
            areas: join(&service.areas),
            eligibility: service.eligibility.clone(),
            referral_from: service.referral_from.join("; "),
            capacity: service
                .capacity_families_per_year
                .map(|n| n.to_string())
                .unwrap_or_default(),
            funding_end: service
                .funding_end
                .map(|date| {
                    format!(
                        "{:04}-{:02}-{:02}",
                        date.year(),
                        u8::from(date.month()),
                        date.day()
                    )
                })
                .unwrap_or_default(),
        }
    }

    /// Checks every field and returns the service, or every problem found (in field
    /// order), so that a person can correct them all at once.
    pub fn validate(&self) -> Result<Service, Vec<ServiceError>> {
        let mut errors = Vec::new();
        let mut fail = |field, problem| errors.push(ServiceError { field, problem });

        let key = self.key.trim();
        if key.is_empty() {
            fail(ServiceField::Key, FieldProblem::Missing);
        } else if key.chars().count() > Self::KEY_MAX {
            fail(
                ServiceField::Key,
                FieldProblem::TooLong { max: Self::KEY_MAX },
            );
        } else if !key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            fail(ServiceField::Key, FieldProblem::BadKey(key.to_owned()));
        }
        let mut required_text = |field: ServiceField, max: usize, required: bool| {
            let value = self.get(field).trim();
            if required && value.is_empty() {
                fail(field, FieldProblem::Missing);
            } else if value.chars().count() > max {
                fail(field, FieldProblem::TooLong { max });
            }
            value.to_owned()
        };
        let name = required_text(ServiceField::Name, Self::NAME_MAX, true);
        let provider = required_text(ServiceField::Provider, Self::NAME_MAX, true);
        let eligibility = required_text(ServiceField::Eligibility, Self::ELIGIBILITY_MAX, false);

        let sector = one_term::<Sector>(ServiceField::Sector, &self.sector, &mut errors);
        let tier = one_term::<Tier>(ServiceField::Tier, &self.tier, &mut errors);
        let stages =
            many_terms::<Stage>(ServiceField::AgeBands, &self.age_bands, true, &mut errors);
        let levels = many_terms::<EcoLevel>(ServiceField::Levels, &self.levels, true, &mut errors);
        let elements =
            many_terms::<Element>(ServiceField::Elements, &self.elements, false, &mut errors);
        let mut fail = |field, problem| errors.push(ServiceError { field, problem });

        let works_with_relationship =
            match self.works_with_relationship.trim().to_lowercase().as_str() {
                "" | "no" | "n" | "false" | "0" => false,
                "yes" | "y" | "true" | "1" => true,
                _ => {
                    fail(
                        ServiceField::WorksWithRelationship,
                        FieldProblem::NotYesNo(self.works_with_relationship.trim().to_owned()),
                    );
                    false
                }
            };

        let mut areas = BTreeSet::new();
        for code in split_values(&self.areas) {
            match code.parse::<AreaCode>() {
                Ok(area) => {
                    areas.insert(area);
                }
                Err(error) => fail(ServiceField::Areas, FieldProblem::Area(error)),
            }
        }

        let mut referral_from: Vec<String> = Vec::new();
        for source in split_values(&self.referral_from) {
            if source.chars().count() > Self::NAME_MAX {
                fail(
                    ServiceField::ReferralFrom,
                    FieldProblem::TooLong {
                        max: Self::NAME_MAX,
                    },
                );
            } else if !referral_from.iter().any(|known| known == source) {
                referral_from.push(source.to_owned());
            }
        }

        let capacity = self.capacity.trim();
        let capacity_families_per_year = if capacity.is_empty() {
            None
        } else {
            match capacity.parse::<u32>() {
                Ok(n) if n <= Self::CAPACITY_MAX => Some(n),
                _ => {
                    fail(
                        ServiceField::Capacity,
                        FieldProblem::NotACount(capacity.to_owned()),
                    );
                    None
                }
            }
        };

        let funding = self.funding_end.trim();
        let funding_end = if funding.is_empty() {
            None
        } else {
            match parse_date(funding) {
                Some(date) => Some(date),
                None => {
                    fail(
                        ServiceField::FundingEnd,
                        FieldProblem::NotADate(funding.to_owned()),
                    );
                    None
                }
            }
        };

        let (Some(sector), Some(tier), true) = (sector, tier, errors.is_empty()) else {
            errors.sort_by_key(|error| error.field);
            return Err(errors);
        };
        Ok(Service {
            key: key.to_owned(),
            name,
            provider,
            sector,
            tier,
            stages,
            levels,
            elements,
            works_with_relationship,
            areas: areas.into_iter().collect(),
            eligibility,
            referral_from,
            capacity_families_per_year,
            funding_end,
        })
    }
}

/// One required term of a vocabulary (case and spaces forgiven).
fn one_term<T: FromStr<Err = UnknownTerm>>(
    field: ServiceField,
    text: &str,
    errors: &mut Vec<ServiceError>,
) -> Option<T> {
    let text = text.trim();
    if text.is_empty() {
        errors.push(ServiceError {
            field,
            problem: FieldProblem::Missing,
        });
        return None;
    }
    match text.to_lowercase().parse::<T>() {
        Ok(term) => Some(term),
        Err(mut unknown) => {
            // Show what the person wrote, not the lower-cased form.
            text.clone_into(&mut unknown.value);
            errors.push(ServiceError {
                field,
                problem: FieldProblem::Unknown(unknown),
            });
            None
        }
    }
}

/// The terms of a multi-value field, sorted in the vocabulary's order without repeats.
fn many_terms<T: FromStr<Err = UnknownTerm> + Ord>(
    field: ServiceField,
    text: &str,
    required: bool,
    errors: &mut Vec<ServiceError>,
) -> Vec<T> {
    let mut terms = BTreeSet::new();
    for value in split_values(text) {
        match value.to_lowercase().parse::<T>() {
            Ok(term) => {
                terms.insert(term);
            }
            Err(mut unknown) => {
                value.clone_into(&mut unknown.value);
                errors.push(ServiceError {
                    field,
                    problem: FieldProblem::Unknown(unknown),
                });
            }
        }
    }
    if required && terms.is_empty() && split_values(text).next().is_none() {
        errors.push(ServiceError {
            field,
            problem: FieldProblem::Missing,
        });
    }
    terms.into_iter().collect()
}

/// A calendar date written as `YYYY-MM-DD` or, as people in the UK write it, `DD/MM/YYYY`.
pub fn parse_date(text: &str) -> Option<Date> {
    let parts: Vec<&str> = text.trim().split(['-', '/']).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let (year, month, day) = if text.contains('/') {
        (c, b, a)
    } else {
        (a, b, c)
    };
    if year.len() != 4 {
        return None;
    }
    let month = Month::try_from(month.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(year.parse().ok()?, month, day.parse().ok()?).ok()
}

/// A date as people in the UK read it: "31 March 2027".
pub fn long_date(date: Date) -> String {
    format!("{} {} {}", date.day(), date.month(), date.year())
}

// ----- Coverage -----

/// Counts of services in a grid of two vocabularies: `counts[row][column]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matrix<R, C> {
    pub rows: Vec<R>,
    pub columns: Vec<C>,
    pub counts: Vec<Vec<usize>>,
}

impl<R: PartialEq, C: PartialEq> Matrix<R, C> {
    fn empty(rows: &[R], columns: &[C]) -> Self
    where
        R: Clone,
        C: Clone,
    {
        Self {
            rows: rows.to_vec(),
            columns: columns.to_vec(),
            counts: vec![vec![0; columns.len()]; rows.len()],
        }
    }

    fn add(&mut self, row: &R, column: &C) {
        let r = self.rows.iter().position(|candidate| candidate == row);
        let c = self
            .columns
            .iter()
            .position(|candidate| candidate == column);
        if let (Some(r), Some(c)) = (r, c) {
            self.counts[r][c] += 1;
        }
    }

    /// The count in one cell (0 for a row or column not in the matrix).
    pub fn count(&self, row: &R, column: &C) -> usize {
        let r = self.rows.iter().position(|candidate| candidate == row);
        let c = self
            .columns
            .iter()
            .position(|candidate| candidate == column);
        match (r, c) {
            (Some(r), Some(c)) => self.counts[r][c],
            _ => 0,
        }
    }

    /// The largest count in any cell.
    pub fn max(&self) -> usize {
        self.counts.iter().flatten().copied().max().unwrap_or(0)
    }

    /// How dark to shade a cell in a heat map: 0 for no services, then 1 to 4 in
    /// proportion to the busiest cell. The number is always shown too, so shading is
    /// never the only way to read it.
    pub fn shade(&self, count: usize) -> usize {
        let max = self.max();
        if count == 0 || max == 0 {
            0
        } else {
            (count * 4).div_ceil(max).clamp(1, 4)
        }
    }
}

/// How many services there are at each tier of need for each age band.
pub fn coverage_tier_by_age(services: &[Service]) -> Matrix<Tier, Stage> {
    let mut matrix = Matrix::empty(Tier::ALL, Stage::ALL);
    for service in services {
        for stage in &service.stages {
            matrix.add(&service.tier, stage);
        }
    }
    matrix
}

/// How many services work at each ecological level on each framework element.
pub fn coverage_level_by_element(services: &[Service]) -> Matrix<EcoLevel, Element> {
    let mut matrix = Matrix::empty(EcoLevel::ALL, &Element::ALL);
    for service in services {
        for level in &service.levels {
            for element in &service.elements {
                matrix.add(level, element);
            }
        }
    }
    matrix
}

// ----- Referral pathways -----

/// Where a referral comes from: a service on the map (its index) or somewhere the map
/// does not hold (as written, such as "GP practices").
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Referrer {
    Service(usize),
    Outside(String),
}

/// One referral route: families referred from `from` to the service at index `to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralRoute {
    pub from: Referrer,
    pub to: usize,
}

/// A map's referral routes, drawn from each service's "referred from" list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Pathways {
    /// In the services' order, each service's sources in the order written.
    pub routes: Vec<ReferralRoute>,
    /// Sources not on the map, each once, in first-seen order.
    pub outside: Vec<String>,
    /// Services with no route in or out.
    pub unconnected: Vec<usize>,
    /// Groups of services that refer round in a loop (each group sorted; a service that
    /// lists itself is a loop of one). A loop is not wrong in itself (stepping up and
    /// down), but it is worth checking that families do not go round it without help.
    pub loops: Vec<Vec<usize>>,
}

impl Pathways {
    /// Whether the route runs between two services in the same loop.
    pub fn in_loop(&self, route: &ReferralRoute) -> bool {
        match route.from {
            Referrer::Service(from) => self
                .loops
                .iter()
                .any(|group| group.contains(&from) && group.contains(&route.to)),
            Referrer::Outside(_) => false,
        }
    }
}

/// Resolves each service's "referred from" entries to services on the map (by key, then by
/// name, ignoring case) or to outside sources, and finds the loops.
pub fn referral_pathways(services: &[Service]) -> Pathways {
    let find = |source: &str| {
        let wanted = source.to_lowercase();
        services
            .iter()
            .position(|s| s.key.to_lowercase() == wanted)
            .or_else(|| {
                services
                    .iter()
                    .position(|s| s.name.to_lowercase() == wanted)
            })
    };
    let mut pathways = Pathways::default();
    for (to, service) in services.iter().enumerate() {
        for source in &service.referral_from {
            let from = match find(source) {
                Some(index) => Referrer::Service(index),
                None => {
                    if !pathways
                        .outside
                        .iter()
                        .any(|o| o.eq_ignore_ascii_case(source))
                    {
                        pathways.outside.push(source.clone());
                    }
                    Referrer::Outside(source.clone())
                }
            };
            pathways.routes.push(ReferralRoute { from, to });
        }
    }
    let mut next: Vec<Vec<usize>> = vec![Vec::new(); services.len()];
    let mut connected = vec![false; services.len()];
    for route in &pathways.routes {
        connected[route.to] = true;
        if let Referrer::Service(from) = route.from {
            connected[from] = true;
            if !next[from].contains(&route.to) {
                next[from].push(route.to);
            }
        }
    }
    pathways.unconnected = (0..services.len()).filter(|i| !connected[*i]).collect();
    // Which services each service can reach (iteratively, so long chains cannot overflow
    // the stack); two services are in one loop when each reaches the other.
    let reach: Vec<Vec<bool>> = (0..services.len())
        .map(|start| {
            let mut seen = vec![false; services.len()];
            let mut stack = next[start].clone();
            while let Some(at) = stack.pop() {
                if !seen[at] {
                    seen[at] = true;
                    stack.extend(next[at].iter().copied());
                }
            }
            seen
        })
        .collect();
    let mut placed = vec![false; services.len()];
    for i in 0..services.len() {
        if placed[i] || !reach[i][i] {
            continue;
        }
        let group: Vec<usize> = (i..services.len())
            .filter(|j| reach[i][*j] && reach[*j][i])
            .collect();
        for j in &group {
            placed[*j] = true;
        }
        pathways.loops.push(group);
    }
    pathways
}

// ----- Gaps -----

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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    fn fields(key: &str) -> ServiceFields {
        ServiceFields {
            key: key.into(),
            name: format!("Service {key}"),
            provider: "NHS Trust".into(),
            sector: "health".into(),
            tier: "specialist".into(),
            age_bands: "0-6m; 6-12m; 1-2y".into(),
            levels: "caregiving".into(),
            elements: "being-emotional;becoming-social".into(),
            works_with_relationship: "yes".into(),
            ..ServiceFields::default()
        }
    }

    #[test]
    fn a_complete_row_becomes_a_service_with_terms_in_order() {
        let mut row = fields("PIP-1");
        row.age_bands = "1-2y; 0-6M ;0-6m".into();
        row.areas = "e06000001; E06000002".into();
        row.capacity = " 120 ".into();
        row.funding_end = "31/03/2027".into();
        let service = row.validate().unwrap();
        assert_eq!(
            service.stages,
            [Stage::ZeroToSixMonths, Stage::OneToTwoYears]
        );
        assert_eq!(service.areas.len(), 2);
        assert_eq!(service.capacity_families_per_year, Some(120));
        assert_eq!(service.funding_end, Some(date!(2027 - 03 - 31)));
        assert!(service.works_with_relationship);
        assert_eq!(
            ServiceFields::from_service(&service).validate(),
            Ok(service)
        );
    }

    #[test]
    fn every_problem_is_named_by_field_with_the_allowed_values() {
        let mut row = fields("bad key!");
        row.tier = "tier 9".into();
        row.age_bands = String::new();
        row.capacity = "lots".into();
        row.funding_end = "next year".into();
        let errors = row.validate().unwrap_err();
        let fields: Vec<ServiceField> = errors.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                ServiceField::Key,
                ServiceField::Tier,
                ServiceField::AgeBands,
                ServiceField::Capacity,
                ServiceField::FundingEnd
            ]
        );
        assert_eq!(
            errors[1].problem.to_string(),
            "“tier 9” is not a tier of need; expected one of: universal, universal-plus, targeted, specialist, acute"
        );
        assert_eq!(errors[2].to_string(), "Age bands: enter a value");
    }

    #[test]
    fn headings_are_read_forgivingly() {
        assert_eq!(
            "Age bands".parse::<ServiceField>(),
            Ok(ServiceField::AgeBands)
        );
        assert_eq!(" TIER ".parse::<ServiceField>(), Ok(ServiceField::Tier));
        assert!("colour".parse::<ServiceField>().is_err());
    }

    #[test]
    fn dates_are_read_in_both_forms_and_impossible_ones_refused() {
        assert_eq!(parse_date("2027-03-31"), Some(date!(2027 - 03 - 31)));
        assert_eq!(parse_date("1/4/2027"), Some(date!(2027 - 04 - 01)));
        assert_eq!(parse_date("2027-02-30"), None);
        assert_eq!(parse_date("31/03/27"), None);
        assert_eq!(long_date(date!(2027 - 03 - 31)), "31 March 2027");
    }

    #[test]
    fn the_specialist_relationship_gap_reads_as_a_sentence() {
        let mut universal = fields("hv").validate().unwrap();
        universal.tier = Tier::Universal;
        let gaps = specialist_relationship_gap(&[universal]);
        assert_eq!(
            gaps[0].message,
            "No specialist service works with the parent–infant relationship for 0 to 2 year olds"
        );
        assert!(specialist_relationship_gap(&[fields("pip").validate().unwrap()]).is_empty());
    }

    #[test]
    fn an_uncovered_element_names_it_and_the_age_band() {
        let gaps = uncovered_elements(&[fields("pip").validate().unwrap()]);
        assert!(gaps.iter().any(|gap| gap.message
            == "No service supports becoming / social for children aged 2 to 3 years"));
        assert!(!gaps.iter().any(|gap| gap.message
            == "No service supports becoming / social for babies aged 0 to 6 months"));
    }

    #[test]
    fn funding_ending_within_a_year_is_one_gap_listing_each_service() {
        let today = date!(2026 - 11 - 23);
        let mut a = fields("a").validate().unwrap();
        a.funding_end = Some(date!(2027 - 03 - 31));
        let mut b = fields("b").validate().unwrap();
        b.funding_end = Some(date!(2026 - 12 - 31));
        let mut later = fields("c").validate().unwrap();
        later.funding_end = Some(date!(2027 - 11 - 24));
        let gaps = funding_ending(&[a, b, later], today);
        assert_eq!(gaps.len(), 1);
        assert_eq!(
            gaps[0].message,
            "Two services' funding has ended or ends within 12 months: Service b (ends 31 December 2026); Service a (ends 31 March 2027)"
        );
        assert!(funding_ending(&[], today).is_empty());
    }

    fn subset<T: Copy + std::fmt::Debug + 'static>(
        all: &'static [T],
    ) -> impl Strategy<Value = Vec<T>> {
        proptest::sample::subsequence(all, 0..=all.len())
    }

    prop_compose! {
        fn any_service()(
            n in 0u32..1000,
            tier in proptest::sample::select(Tier::ALL),
            stages in subset(Stage::ALL),
            levels in subset(EcoLevel::ALL),
            elements in subset(&Element::ALL),
            relationship in any::<bool>(),
            funding_days in proptest::option::of(-400i64..800),
        ) -> Service {
            Service {
                key: format!("s{n}"),
                name: format!("Service {n}"),
                provider: "Provider".into(),
                sector: Sector::Health,
                tier,
                stages,
                levels,
                elements,
                works_with_relationship: relationship,
                areas: Vec::new(),
                eligibility: String::new(),
                referral_from: Vec::new(),
                capacity_families_per_year: None,
                funding_end: funding_days.map(|days| date!(2026 - 11 - 23) + time::Duration::days(days)),
            }
        }
    }

    proptest! {
        #[test]
        fn adding_a_service_never_opens_a_coverage_gap(
            services in proptest::collection::vec(any_service(), 0..8),
            extra in any_service(),
        ) {
            let today = date!(2026 - 11 - 23);
            let coverage = |services: &[Service]| -> BTreeSet<GapKind> {
                gaps(services, today).into_iter().map(|gap| gap.kind).filter(GapKind::is_coverage).collect()
            };
            let before = coverage(&services);
            let mut more = services.clone();
            more.push(extra);
            let after = coverage(&more);
            // The specialist gap may shrink to fewer age bands; compare by what it covers.
            let missing_bands = |kinds: &BTreeSet<GapKind>| -> Vec<Stage> {
                kinds.iter().flat_map(|kind| match kind {
                    GapKind::NoSpecialistRelationshipService(stages) => stages.clone(),
                    _ => Vec::new(),
                }).collect()
            };
            for kind in &after {
                if !matches!(kind, GapKind::NoSpecialistRelationshipService(_)) {
                    prop_assert!(before.contains(kind), "{kind:?} appeared");
                }
            }
            for stage in missing_bands(&after) {
                prop_assert!(missing_bands(&before).contains(&stage));
            }
        }

        #[test]
        fn each_cell_counts_the_services_that_cover_it(
            services in proptest::collection::vec(any_service(), 0..10),
        ) {
            let by_age = coverage_tier_by_age(&services);
            for tier in Tier::ALL {
                for stage in Stage::ALL {
                    let expected = services.iter().filter(|s| s.tier == *tier && s.stages.contains(stage)).count();
                    prop_assert_eq!(by_age.count(tier, stage), expected);
                }
            }
            let by_element = coverage_level_by_element(&services);
            for level in EcoLevel::ALL {
                for element in Element::ALL {
                    let expected = services.iter().filter(|s| s.levels.contains(level) && s.elements.contains(&element)).count();
                    prop_assert_eq!(by_element.count(level, &element), expected);
                    let shade = by_element.shade(expected);
                    prop_assert!(shade <= 4 && (shade == 0) == (expected == 0));
                }
            }
        }

        #[test]
        fn funding_gaps_name_exactly_the_services_ending_within_a_year(
            services in proptest::collection::vec(any_service(), 0..10),
        ) {
            let today = date!(2026 - 11 - 23);
            let named: Vec<String> = funding_ending(&services, today).into_iter().flat_map(|gap| gap.services).collect();
            let expected = services.iter().filter(|s| s.funding_end.is_some_and(|end| end <= date!(2027 - 11 - 23))).count();
            prop_assert_eq!(named.len(), expected);
        }
    }

    #[test]
    fn an_empty_map_s_gaps_fall_into_sections_by_rule() {
        let sections = gaps_by_rule(gaps(&[], date!(2027 - 01 - 01)));
        let rules: Vec<GapRule> = sections.iter().map(|(rule, _)| *rule).collect();
        assert_eq!(
            rules,
            [
                GapRule::AgeBands,
                GapRule::SpecialistRelationship,
                GapRule::Elements
            ]
        );
        assert_eq!(sections[0].1.len(), Stage::ALL.len());
        assert_eq!(sections[2].1.len(), Stage::ALL.len() * Element::ALL.len());
    }

    fn referred(key: &str, from: &str) -> Service {
        let mut service = fields(key).validate().unwrap();
        service.referral_from = split_values(from).map(str::to_owned).collect();
        service
    }

    #[test]
    fn referral_routes_resolve_keys_names_and_outside_sources() {
        let services = [
            referred("HV", "GP practices; Midwifery"),
            referred("PIT", "hv; Service HV"),
            referred("LONE", ""),
            referred("MW", ""),
        ];
        let mut named = services[3].clone();
        named.name = "Midwifery".into();
        let services = [
            services[0].clone(),
            services[1].clone(),
            services[2].clone(),
            named,
        ];
        let pathways = referral_pathways(&services);
        assert_eq!(pathways.outside, ["GP practices"]);
        assert_eq!(
            pathways.routes[1],
            ReferralRoute {
                from: Referrer::Service(3),
                to: 0
            }
        );
        assert_eq!(pathways.routes[2].from, Referrer::Service(0));
        assert_eq!(pathways.unconnected, [2]);
        assert!(pathways.loops.is_empty());
    }

    #[test]
    fn loops_are_found_however_long() {
        let services = [
            referred("A", "C"),
            referred("B", "A"),
            referred("C", "B"),
            referred("D", "D"),
            referred("E", "A"),
        ];
        let pathways = referral_pathways(&services);
        assert_eq!(pathways.loops, [vec![0, 1, 2], vec![3]]);
        let into_e = pathways.routes.iter().find(|r| r.to == 4).unwrap();
        assert!(!pathways.in_loop(into_e));
    }

    proptest! {
        #[test]
        fn every_listed_source_becomes_one_route(
            links in prop::collection::vec(prop::collection::vec(0usize..8, 0..4), 1..8)
        ) {
            let services: Vec<Service> = links
                .iter()
                .enumerate()
                .map(|(i, from)| {
                    let sources: Vec<String> = from.iter().map(|f| format!("K{f}")).collect();
                    referred(&format!("K{i}"), &sources.join(";"))
                })
                .collect();
            let pathways = referral_pathways(&services);
            let listed: usize = services.iter().map(|s| s.referral_from.len()).sum();
            prop_assert_eq!(pathways.routes.len(), listed);
            for route in &pathways.routes {
                prop_assert!(route.to < services.len());
                if let Referrer::Service(from) = route.from {
                    prop_assert!(from < services.len());
                }
            }
            // No service is in two loops.
            let mut seen = std::collections::BTreeSet::new();
            for group in &pathways.loops {
                for member in group {
                    prop_assert!(seen.insert(*member));
                }
            }
        }
    }
}
