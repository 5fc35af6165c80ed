//! Filtering and comparing the measures catalogue (toolkit part 7).
//!
//! The catalogue's filters arrive as query-string pairs, because the filter form is a plain
//! GET form whose address is the shareable link. [`MeasureFilter::from_query`] turns those
//! pairs into a typed filter, or into every [`FilterError`] found so that a person can fix
//! them all at once; [`matching`] then picks the measures that pass. Filters combine with
//! AND across fields and OR within a field that allows several choices, so ticking
//! "Screening" and "Outcome measurement" widens the results while adding an age narrows
//! them.
//!
//! Training is filtered on by each measure's `training_level` (its `training` text says
//! more); `uk_use` is free text, so it is searched for words rather than matched against a
//! vocabulary.

use cradle_domain::{Completer, Licence, MeasureFocus, MeasurePurpose, TrainingLevel, UnknownTerm};

use crate::collection::Collection;
use crate::model::{Element, Measure};

/// The oldest age, in months, the catalogue can be filtered by: the toolkit covers children
/// up to school age.
pub const AGE_MAX_MONTHS: u32 = 72;
/// The largest "longest time to complete" accepted, in minutes. No measure in the catalogue
/// publishes anything near it; the bound only keeps the field's message meaningful.
pub const MINUTES_MAX: u32 = 240;
/// The longest text searched for in how a measure is used in the UK, in characters.
pub const UK_USE_MAX_CHARS: usize = 100;
/// The most measures shown side by side: more columns stop a table being readable.
pub const COMPARE_MAX: usize = 4;
/// The query-string key holding the ids of the measures to compare.
pub const COMPARE_KEY: &str = "ids";
/// What a person types as the age to find measures used before birth.
pub const PREGNANCY: &str = "pregnancy";

/// The child's age a measure must cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgeFilter {
    /// Used in pregnancy: matches measures marked `prenatal`.
    Pregnancy,
    /// A child this many months old: matches measures whose range includes it, ends included.
    Months(u32),
}

/// One field of the catalogue's filter form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FilterField {
    Age,
    Purpose,
    Completer,
    Focus,
    Element,
    Licence,
    Training,
    Minutes,
    UkUse,
}

impl FilterField {
    /// Every field, in the order the form shows them (so errors are reported in that order).
    pub const ALL: &'static [Self] = &[
        Self::Age,
        Self::Purpose,
        Self::Completer,
        Self::Focus,
        Self::Element,
        Self::Licence,
        Self::Training,
        Self::Minutes,
        Self::UkUse,
    ];

    /// The query-string key, which is also the form control's `name` and `id`.
    pub const fn key(self) -> &'static str {
        match self {
            Self::Age => "age",
            Self::Purpose => "purpose",
            Self::Completer => "completer",
            Self::Focus => "focus",
            Self::Element => "element",
            Self::Licence => "licence",
            Self::Training => "training",
            Self::Minutes => "minutes",
            Self::UkUse => "uk-use",
        }
    }

    /// How messages name the field, matching its label on the form.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Age => "Age",
            Self::Purpose => "Purpose",
            Self::Completer => "Who completes it",
            Self::Focus => "Whose mental health it looks at",
            Self::Element => "Framework element",
            Self::Licence => "Licence",
            Self::Training => "Training needed",
            Self::Minutes => "Longest time to complete",
            Self::UkUse => "Use in the UK",
        }
    }

    fn from_key(key: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|field| field.key() == key)
    }

    /// Fields a person fills in once (text inputs), as opposed to checkbox groups.
    const fn single_valued(self) -> bool {
        matches!(self, Self::Age | Self::Minutes | Self::UkUse)
    }
}

/// Why a filter value was refused. The message is written for the person who filled in
/// the form (or edited the address), and names the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    #[error("Age must be a whole number of months from 0 to {AGE_MAX_MONTHS}, or ‘{PREGNANCY}’")]
    Age { value: String },
    #[error("Longest time to complete must be a whole number of minutes from 1 to {MINUTES_MAX}")]
    Minutes { value: String },
    #[error("Use in the UK must be {UK_USE_MAX_CHARS} characters or fewer")]
    UkUseTooLong,
    /// A checkbox value that is not one of the options, e.g. from an edited address.
    #[error("{} must be chosen from the list; ‘{value}’ is not one of the options", .field.label())]
    NotAnOption { field: FilterField, value: String },
    /// A text field given more than once, e.g. `age=9&age=12`.
    #[error("{} can only be given once", .field.label())]
    Repeated { field: FilterField },
}

impl FilterError {
    /// The field the problem is with, so a page can mark it and link to it.
    pub const fn field(&self) -> FilterField {
        match self {
            Self::Age { .. } => FilterField::Age,
            Self::Minutes { .. } => FilterField::Minutes,
            Self::UkUseTooLong => FilterField::UkUse,
            Self::NotAnOption { field, .. } | Self::Repeated { field } => *field,
        }
    }
}

/// What a person is looking for in the catalogue. The default filter matches everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeasureFilter {
    pub age: Option<AgeFilter>,
    /// Any of these purposes (empty: any purpose).
    pub purposes: Vec<MeasurePurpose>,
    /// Completed by any of these people (empty: anyone).
    pub completers: Vec<Completer>,
    /// Looks at any of these (empty: anything).
    pub focus: Vec<MeasureFocus>,
    /// Speaks to any of these framework element ids (empty: any element).
    pub elements: Vec<String>,
    /// Offered on any of these terms (empty: any licence).
    pub licences: Vec<Licence>,
    /// Needs any of these levels of training (empty: any).
    pub training: Vec<TrainingLevel>,
    /// Publishes a typical time to complete of at most this many minutes.
    pub max_minutes: Option<u32>,
    /// Lower-case words that must all appear in how the measure is used in the UK.
    pub uk_use_words: Vec<String>,
}

impl MeasureFilter {
    /// Reads a filter from query-string pairs (already percent-decoded).
    ///
    /// Empty values are ignored, because a GET form sends its empty text inputs. Keys that
    /// are not filter fields are ignored too, so that links carrying extra parameters (from
    /// campaigns or older versions of the page) still work. `elements` is the framework
    /// whose element ids are valid choices.
    pub fn from_query<K, V>(
        pairs: impl IntoIterator<Item = (K, V)>,
        elements: &Collection<Element>,
    ) -> Result<Self, Vec<FilterError>>
    where
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut filter = Self::default();
        let mut errors = Vec::new();
        let mut seen_single: Vec<FilterField> = Vec::new();
        for (key, value) in pairs {
            let Some(field) = FilterField::from_key(key.as_ref()) else {
                continue;
            };
            let value = value.as_ref().trim();
            if value.is_empty() {
                continue;
            }
            if field.single_valued() {
                if seen_single.contains(&field) {
                    errors.push(FilterError::Repeated { field });
                    continue;
                }
                seen_single.push(field);
            }
            if let Err(error) = filter.set(field, value, elements) {
                errors.push(error);
            }
        }
        if errors.is_empty() {
            Ok(filter)
        } else {
            // Report in the order the form shows its fields, which is the order a person
            // reads the error summary in; `sort_by_key` is stable within one field.
            errors.sort_by_key(|error| {
                FilterField::ALL
                    .iter()
                    .position(|field| *field == error.field())
            });
            errors.dedup();
            Err(errors)
        }
    }

    /// Applies one non-empty value for `field`.
    fn set(
        &mut self,
        field: FilterField,
        value: &str,
        elements: &Collection<Element>,
    ) -> Result<(), FilterError> {
        let not_an_option = |_: UnknownTerm| FilterError::NotAnOption {
            field,
            value: shown(value),
        };
        match field {
            FilterField::Age => self.age = Some(parse_age(value)?),
            FilterField::Purpose => add(&mut self.purposes, value.parse().map_err(not_an_option)?),
            FilterField::Completer => {
                add(&mut self.completers, value.parse().map_err(not_an_option)?);
            }
            FilterField::Focus => add(&mut self.focus, value.parse().map_err(not_an_option)?),
            FilterField::Licence => add(&mut self.licences, value.parse().map_err(not_an_option)?),
            FilterField::Training => add(&mut self.training, value.parse().map_err(not_an_option)?),
            FilterField::Element => {
                if !elements.contains(value) {
                    return Err(FilterError::NotAnOption {
                        field,
                        value: shown(value),
                    });
                }
                add(&mut self.elements, value.to_owned());
            }
            FilterField::Minutes => {
                let minutes = value
                    .parse::<u32>()
                    .ok()
                    .filter(|minutes| (1..=MINUTES_MAX).contains(minutes))
                    .ok_or_else(|| FilterError::Minutes {
                        value: shown(value),
                    })?;
                self.max_minutes = Some(minutes);
            }
            FilterField::UkUse => {
                if value.chars().count() > UK_USE_MAX_CHARS {
                    return Err(FilterError::UkUseTooLong);
                }
                self.uk_use_words = value.split_whitespace().map(str::to_lowercase).collect();
            }
        }
        Ok(())
    }

    /// True when nothing is being filtered on, so every measure matches.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Whether `measure` passes every filter that is set.
    pub fn matches(&self, measure: &Measure) -> bool {
        let age_ok = match self.age {
            None => true,
            Some(AgeFilter::Pregnancy) => measure.prenatal,
            Some(AgeFilter::Months(months)) => {
                (measure.age_min_months..=measure.age_max_months).contains(&months)
            }
        };
        // A measure whose time is not published cannot be shown to fit a limit.
        let minutes_ok = self
            .max_minutes
            .is_none_or(|max| measure.minutes.is_some_and(|minutes| minutes <= max));
        let uk_use = measure.uk_use.to_lowercase();
        age_ok
            && minutes_ok
            && any_of_terms(&self.purposes, &measure.purposes)
            && any_of_terms(&self.completers, &measure.completed_by)
            && any_of_terms(&self.focus, &measure.focus)
            && any_of_terms(&self.elements, &measure.elements)
            && (self.licences.is_empty() || self.licences.contains(&measure.licence))
            && (self.training.is_empty() || self.training.contains(&measure.training_level))
            && self
                .uk_use_words
                .iter()
                .all(|word| uk_use.contains(word.as_str()))
    }
}

/// The measures that pass `filter`, in the order given (content order, for the catalogue).
pub fn matching<'a>(
    measures: impl IntoIterator<Item = &'a Measure>,
    filter: &MeasureFilter,
) -> Vec<&'a Measure> {
    measures
        .into_iter()
        .filter(|measure| filter.matches(measure))
        .collect()
}

/// Why a set of measures cannot be compared.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompareError {
    #[error("Select at least one tool to compare")]
    NoneChosen,
    #[error("Select up to {COMPARE_MAX} tools to compare; {chosen} were selected")]
    TooMany { chosen: usize },
    #[error("There is no tool with the id ‘{id}’ in the catalogue")]
    Unknown { id: String },
}

/// The measures to compare, from the `ids` values of query-string pairs (other keys are
/// ignored), in the order chosen and without repeats. Returns every problem found.
pub fn compare_selection<K, V>(
    pairs: impl IntoIterator<Item = (K, V)>,
    measures: &Collection<Measure>,
) -> Result<Vec<&Measure>, Vec<CompareError>>
where
    K: AsRef<str>,
    V: AsRef<str>,
{
    let mut ids: Vec<String> = Vec::new();
    for (key, value) in pairs {
        let id = value.as_ref().trim();
        if key.as_ref() == COMPARE_KEY && !id.is_empty() && !ids.iter().any(|seen| seen == id) {
            ids.push(id.to_owned());
        }
    }
    let mut errors = Vec::new();
    if ids.is_empty() {
        errors.push(CompareError::NoneChosen);
    }
    if ids.len() > COMPARE_MAX {
        errors.push(CompareError::TooMany { chosen: ids.len() });
    }
    let mut chosen = Vec::with_capacity(ids.len());
    for id in &ids {
        match measures.by_id(id) {
            Some(measure) => chosen.push(measure),
            None => errors.push(CompareError::Unknown { id: shown(id) }),
        }
    }
    if errors.is_empty() {
        Ok(chosen)
    } else {
        Err(errors)
    }
}

fn parse_age(value: &str) -> Result<AgeFilter, FilterError> {
    if value.eq_ignore_ascii_case(PREGNANCY) {
        return Ok(AgeFilter::Pregnancy);
    }
    value
        .parse::<u32>()
        .ok()
        .filter(|months| *months <= AGE_MAX_MONTHS)
        .map(AgeFilter::Months)
        .ok_or_else(|| FilterError::Age {
            value: shown(value),
        })
}

/// Whether `has` shares a term with `wanted`, or `wanted` is empty (no filter).
fn any_of_terms<T: PartialEq>(wanted: &[T], has: &[T]) -> bool {
    wanted.is_empty() || has.iter().any(|term| wanted.contains(term))
}

/// Adds `term` unless it is already there, so `purpose=a&purpose=a` counts once.
fn add<T: PartialEq>(terms: &mut Vec<T>, term: T) {
    if !terms.contains(&term) {
        terms.push(term);
    }
}

/// A refused value as it is quoted back in a message: cut short, because it came from an
/// address anyone can edit and a message should stay readable.
fn shown(value: &str) -> String {
    const SHOWN_CHARS: usize = 40;
    if value.chars().count() > SHOWN_CHARS {
        let cut: String = value.chars().take(SHOWN_CHARS).collect();
        format!("{cut}…")
    } else {
        value.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use cradle_domain::{Dimension, Domain, MeasureFormat};

    use super::*;

    fn measure(id: &str, ages: std::ops::RangeInclusive<u32>) -> Measure {
        Measure {
            id: id.to_owned(),
            acronym: id.to_uppercase(),
            name: format!("The {id} measure"),
            description: String::new(),
            purposes: vec![MeasurePurpose::Screening],
            focus: vec![MeasureFocus::Child],
            elements: vec!["being-social".to_owned()],
            age_min_months: *ages.start(),
            age_max_months: *ages.end(),
            prenatal: false,
            completed_by: vec![Completer::Parent],
            format: MeasureFormat::Questionnaire,
            items: None,
            minutes: None,
            training: String::new(),
            training_level: TrainingLevel::NoneSpecific,
            licence: Licence::Free,
            cost: String::new(),
            uk_use: "Used by health visitors in Scotland.".to_owned(),
            sources: Vec::new(),
        }
    }

    fn elements() -> Collection<Element> {
        let element = |id: &str| Element {
            id: id.to_owned(),
            dimension: Dimension::Being,
            domain: Domain::Social,
            title: id.to_owned(),
            summary: String::new(),
            relationships: String::new(),
            language_cognition: String::new(),
            adults_support: Vec::new(),
            stages: Default::default(),
            sources: Vec::new(),
        };
        Collection::new(vec![element("being-social"), element("becoming-emotional")])
    }

    fn filter(query: &[(&str, &str)]) -> MeasureFilter {
        MeasureFilter::from_query(query.iter().copied(), &elements()).expect("a valid filter")
    }

    fn errors(query: &[(&str, &str)]) -> Vec<FilterError> {
        MeasureFilter::from_query(query.iter().copied(), &elements()).expect_err("refused")
    }

    fn ids<'a>(measures: &'a [Measure], filter: &MeasureFilter) -> Vec<&'a str> {
        matching(measures, filter)
            .into_iter()
            .map(|m| m.id.as_str())
            .collect()
    }

    #[test]
    fn an_empty_filter_returns_every_measure_in_order() {
        let measures = [measure("a", 0..=12), measure("b", 24..=60)];
        let empty = filter(&[("age", ""), ("minutes", "  "), ("utm_source", "x")]);
        assert!(empty.is_empty());
        assert_eq!(ids(&measures, &empty), ["a", "b"]);
    }

    #[test]
    fn age_boundaries_are_inclusive() {
        let measures = [measure("a", 2..=24)];
        for (age, matched) in [("1", false), ("2", true), ("24", true), ("25", false)] {
            let found = ids(&measures, &filter(&[("age", age)]));
            assert_eq!(!found.is_empty(), matched, "age {age}");
        }
    }

    #[test]
    fn pregnancy_matches_only_prenatal_measures() {
        let mut prenatal = measure("epds", 0..=24);
        prenatal.prenatal = true;
        let measures = [measure("asq", 1..=72), prenatal];
        assert_eq!(ids(&measures, &filter(&[("age", "pregnancy")])), ["epds"]);
        assert_eq!(ids(&measures, &filter(&[("age", "Pregnancy")])), ["epds"]);
    }

    #[test]
    fn choices_within_a_field_widen_and_fields_together_narrow() {
        let mut outcome = measure("outcome", 0..=12);
        outcome.purposes = vec![MeasurePurpose::Outcome];
        let mut clinician = measure("clinician", 0..=12);
        clinician.completed_by = vec![Completer::Clinician];
        let older = measure("older", 24..=48);
        let measures = [measure("screen", 0..=12), outcome, clinician, older];

        let either = filter(&[("purpose", "screening"), ("purpose", "outcome")]);
        assert_eq!(
            ids(&measures, &either),
            ["screen", "outcome", "clinician", "older"]
        );

        let combined = filter(&[
            ("purpose", "screening"),
            ("completer", "parent"),
            ("age", "9"),
        ]);
        assert_eq!(ids(&measures, &combined), ["screen"]);
    }

    #[test]
    fn focus_elements_and_licence_filter_on_their_terms() {
        let mut relationship = measure("rel", 0..=12);
        relationship.focus = vec![MeasureFocus::Relationship];
        relationship.elements = vec!["becoming-emotional".to_owned()];
        relationship.licence = Licence::Licensed;
        let measures = [measure("child", 0..=12), relationship];
        assert_eq!(
            ids(&measures, &filter(&[("focus", "relationship")])),
            ["rel"]
        );
        assert_eq!(
            ids(&measures, &filter(&[("element", "being-social")])),
            ["child"]
        );
        assert_eq!(ids(&measures, &filter(&[("licence", "licensed")])), ["rel"]);
    }

    #[test]
    fn training_filters_on_the_levels_ticked() {
        let mut course = measure("course", 0..=12);
        course.training_level = TrainingLevel::Course;
        let mut certified = measure("certified", 0..=12);
        certified.training_level = TrainingLevel::Certification;
        let measures = [measure("none", 0..=12), course, certified];
        assert_eq!(ids(&measures, &filter(&[("training", "none")])), ["none"]);
        assert_eq!(
            ids(
                &measures,
                &filter(&[("training", "none"), ("training", "course")])
            ),
            ["none", "course"]
        );
        let errors = MeasureFilter::from_query([("training", "degree")], &elements()).unwrap_err();
        assert_eq!(
            errors[0].to_string(),
            "Training needed must be chosen from the list; ‘degree’ is not one of the options"
        );
    }

    #[test]
    fn a_time_limit_leaves_out_measures_without_a_published_time() {
        let mut quick = measure("quick", 0..=12);
        quick.minutes = Some(5);
        let mut slow = measure("slow", 0..=12);
        slow.minutes = Some(20);
        let measures = [quick, slow, measure("unknown", 0..=12)];
        assert_eq!(ids(&measures, &filter(&[("minutes", "5")])), ["quick"]);
        assert_eq!(
            ids(&measures, &filter(&[("minutes", "20")])),
            ["quick", "slow"]
        );
    }

    #[test]
    fn uk_use_needs_every_word_in_any_case() {
        let mut england = measure("england", 0..=12);
        england.uk_use = "Piloted in England.".to_owned();
        let measures = [measure("scotland", 0..=12), england];
        assert_eq!(
            ids(&measures, &filter(&[("uk-use", "SCOTLAND health")])),
            ["scotland"]
        );
        assert!(ids(&measures, &filter(&[("uk-use", "scotland piloted")])).is_empty());
    }

    #[test]
    fn malformed_values_are_refused_with_a_message_naming_the_field() {
        let found = errors(&[
            ("minutes", "0"),
            ("age", "nine"),
            ("purpose", "diagnosis"),
            ("element", "not-an-element"),
        ]);
        let fields: Vec<_> = found.iter().map(FilterError::field).collect();
        assert_eq!(
            fields,
            [
                FilterField::Age,
                FilterField::Purpose,
                FilterField::Element,
                FilterField::Minutes
            ],
            "reported in form order"
        );
        assert_eq!(
            found[0].to_string(),
            "Age must be a whole number of months from 0 to 72, or ‘pregnancy’"
        );
        assert_eq!(
            found[1].to_string(),
            "Purpose must be chosen from the list; ‘diagnosis’ is not one of the options"
        );
    }

    #[test]
    fn ages_outside_the_range_and_repeated_text_fields_are_refused() {
        for age in ["73", "-1", "9.5", "99999999999"] {
            assert_eq!(
                errors(&[("age", age)])[0].field(),
                FilterField::Age,
                "{age}"
            );
        }
        assert_eq!(filter(&[("age", "72")]).age, Some(AgeFilter::Months(72)));
        assert_eq!(
            errors(&[("age", "9"), ("age", "12")]),
            [FilterError::Repeated {
                field: FilterField::Age
            }]
        );
        assert_eq!(
            errors(&[("uk-use", &"x".repeat(UK_USE_MAX_CHARS + 1))]),
            [FilterError::UkUseTooLong]
        );
    }

    #[test]
    fn a_long_refused_value_is_quoted_short() {
        let long = "z".repeat(500);
        let message = errors(&[("completer", &long)])[0].to_string();
        assert!(message.len() < 200, "{message}");
        assert!(message.contains('…'));
    }

    fn catalogue() -> Collection<Measure> {
        Collection::new(
            ["a", "b", "c", "d", "e"]
                .map(|id| measure(id, 0..=12))
                .to_vec(),
        )
    }

    fn chosen(ids: &[&str]) -> Result<Vec<String>, Vec<CompareError>> {
        let catalogue = catalogue();
        compare_selection(ids.iter().map(|id| ("ids", *id)), &catalogue)
            .map(|found| found.into_iter().map(|m| m.id.clone()).collect())
    }

    #[test]
    fn comparing_keeps_the_order_chosen_without_repeats() {
        assert_eq!(
            chosen(&["c", "a", "c"]),
            Ok(vec!["c".to_owned(), "a".to_owned()])
        );
    }

    #[test]
    fn comparing_needs_one_to_four_known_tools() {
        assert_eq!(chosen(&[]), Err(vec![CompareError::NoneChosen]));
        assert_eq!(
            chosen(&["a", "b", "c", "d", "e"]),
            Err(vec![CompareError::TooMany { chosen: 5 }])
        );
        assert_eq!(
            chosen(&["a", "zz"]),
            Err(vec![CompareError::Unknown {
                id: "zz".to_owned()
            }])
        );
        assert_eq!(
            CompareError::TooMany { chosen: 5 }.to_string(),
            "Select up to 4 tools to compare; 5 were selected"
        );
    }
}
