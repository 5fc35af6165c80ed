//! Checking a service's details as typed into a form or read from a file row.

use super::*;
use crate::places::places;

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
        let levels = many_terms::<EcoLevel>(ServiceField::Levels, &self.levels, false, &mut errors);
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
            match places().resolve(code) {
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
