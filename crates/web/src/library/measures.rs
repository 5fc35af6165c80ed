//! The catalogue of measures and indicators, filtered, and the comparison of measures.

use super::{MeasuresComparePage, MeasuresPage, View};
use crate::AppState;
use crate::shared::error::{AppError, render};
use crate::shared::forms::FormErrors;
use crate::shared::layout::Layout;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cradle_content::measure_filter::{self, COMPARE_KEY, FilterField, MeasureFilter};
use cradle_content::{Content, Element, Measure};
use cradle_domain::{Completer, Dimension, Licence, MeasureFocus, MeasurePurpose, TrainingLevel};

/// The catalogue's title; also the browser title of its filtered views.
pub(super) const MEASURES_TITLE: &str = "Measures and indicators";

/// The measures the submitted filter matches, with the status and errors of the page and
/// whether anything was filtered; no results when the filter cannot be read.
fn filter_measures<'a>(
    content: &'a Content,
    form: &SubmittedQuery,
) -> (StatusCode, FormErrors, Option<Vec<&'a Measure>>, bool) {
    match MeasureFilter::from_query(form.pairs(), &content.elements) {
        Ok(filter) => {
            let results = measure_filter::matching(&content.measures, &filter);
            (
                StatusCode::OK,
                FormErrors::default(),
                Some(results),
                !filter.is_empty(),
            )
        }
        Err(problems) => {
            let mut errors = FormErrors::default();
            for problem in &problems {
                errors.add(problem.field().key(), problem.to_string());
            }
            (StatusCode::BAD_REQUEST, errors, None, true)
        }
    }
}

/// `/toolkit/measures?age=9&purpose=screening…`: the catalogue, filtered by a GET form whose
/// address is the shareable link. Values that cannot be read get the error summary and a
/// 400, with the form as submitted so they can be corrected.
pub(crate) async fn measures(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let form = SubmittedQuery::parse(query.as_deref());
    let content = &state.library.content;
    let (status, errors, results, filtered) = filter_measures(content, &form);
    let title = if errors.is_empty() {
        MEASURES_TITLE.to_owned()
    } else {
        format!("Error: {MEASURES_TITLE}")
    };
    let group = |field: FilterField, options: Vec<(&str, &str)>| {
        CheckboxGroup::new(field.key(), field.label(), options, &form, &errors)
    };
    // The vocabularies share no trait, so each lists its (id, label) pairs here.
    macro_rules! terms {
        ($vocabulary:ty) => {
            <$vocabulary>::ALL
                .iter()
                .map(|t| (t.id(), t.label()))
                .collect()
        };
    }
    let page = MeasuresPage {
        layout: Layout::new(title, "/toolkit"),
        v: View::new(&state.library, None),
        age_hint: format!(
            "In months, from 0 to {}. For tools used before birth, enter ‘{}’.",
            measure_filter::AGE_MAX_MONTHS,
            measure_filter::PREGNANCY
        ),
        purposes: group(FilterField::Purpose, terms!(MeasurePurpose)),
        completers: group(FilterField::Completer, terms!(Completer)),
        focus: group(FilterField::Focus, terms!(MeasureFocus)),
        element_groups: element_groups(&content.elements, &form, &errors),
        elements_chosen: form.has(FilterField::Element.key()),
        licences: group(FilterField::Licence, terms!(Licence)),
        training: group(FilterField::Training, terms!(TrainingLevel)),
        total: content.measures.len(),
        results,
        filtered,
        errors,
        form,
    };
    Ok((status, render(&page)?).into_response())
}

/// `/toolkit/measures/compare?ids=a&ids=b`: up to four measures side by side, one column
/// each. A wrong selection gets the error summary, a 400, and the picker to correct it.
pub(crate) async fn measures_compare(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let form = SubmittedQuery::parse(query.as_deref());
    let measures = &state.library.content.measures;
    let mut errors = FormErrors::default();
    let chosen = match measure_filter::compare_selection(form.pairs(), measures) {
        Ok(chosen) => chosen,
        Err(problems) => {
            for problem in &problems {
                errors.add(COMPARE_KEY, problem.to_string());
            }
            Vec::new()
        }
    };
    let (status, title) = if errors.is_empty() {
        (StatusCode::OK, compare_title(&chosen))
    } else {
        (StatusCode::BAD_REQUEST, "Error: Compare tools".to_owned())
    };
    let options = measures
        .iter()
        .map(|m| (m.id.as_str(), measure_label(m)))
        .collect::<Vec<_>>();
    let picker = CheckboxGroup::new(
        COMPARE_KEY,
        "Tools to compare",
        options
            .iter()
            .map(|(id, label)| (*id, label.as_str()))
            .collect(),
        &form,
        &errors,
    );
    let page = MeasuresComparePage {
        layout: Layout::new(title, "/toolkit"),
        v: View::new(&state.library, None),
        errors,
        chosen,
        picker,
        compare_max: measure_filter::COMPARE_MAX,
    };
    Ok((status, render(&page)?).into_response())
}

/// The compare page's title, naming the tools, e.g. "Compare ASQ:SE-2, EPDS and KIPS".
pub(crate) fn compare_title(chosen: &[&Measure]) -> String {
    let names: Vec<&str> = chosen.iter().map(|m| m.acronym.as_str()).collect();
    match names.split_last() {
        None => "Compare tools".to_owned(),
        Some((only, [])) => format!("Compare {only}"),
        Some((last, rest)) => format!("Compare {} and {last}", rest.join(", ")),
    }
}

/// An example comparison for the page inventory: the first three measures in the content.
pub(super) fn compare_example(content: &Content) -> (String, String) {
    let chosen: Vec<&Measure> = content.measures.iter().take(3).collect();
    let query: Vec<String> = chosen
        .iter()
        .map(|m| format!("{COMPARE_KEY}={}", m.id))
        .collect();
    (
        format!("/toolkit/measures/compare?{}", query.join("&")),
        compare_title(&chosen),
    )
}

pub(super) fn measure_label(measure: &Measure) -> String {
    format!("{} – {}", measure.acronym, measure.name)
}

/// A query string as submitted, decoded, so a form can show back what was chosen even
/// when some of it was refused.
pub(crate) struct SubmittedQuery {
    pub(super) pairs: Vec<(String, String)>,
}

impl SubmittedQuery {
    fn parse(query: Option<&str>) -> Self {
        let pairs = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .map(|(key, value)| (key.into_owned(), value.into_owned()))
            .collect();
        Self { pairs }
    }

    fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The first value given for `key`, or nothing: for text inputs.
    pub fn value(&self, key: &str) -> &str {
        self.pairs()
            .find(|(k, _)| *k == key)
            .map_or("", |(_, value)| value)
    }

    fn has(&self, key: &str) -> bool {
        self.pairs().any(|(k, v)| k == key && !v.trim().is_empty())
    }

    fn is_checked(&self, key: &str, value: &str) -> bool {
        self.pairs().any(|(k, v)| k == key && v.trim() == value)
    }
}

/// One set of GOV.UK checkboxes sharing a `name`, ready to show.
pub(crate) struct CheckboxGroup {
    pub name: &'static str,
    pub legend: String,
    pub options: Vec<CheckboxOption>,
    /// The message to show beside the group, if its values were refused.
    pub error: Option<String>,
}

pub(crate) struct CheckboxOption {
    /// The first checkbox of a name takes the name as its id, so that the error summary's
    /// `#name` link lands on it.
    pub html_id: String,
    pub value: String,
    pub label: String,
    pub checked: bool,
}

impl CheckboxGroup {
    fn new(
        name: &'static str,
        legend: impl Into<String>,
        options: Vec<(&str, &str)>,
        form: &SubmittedQuery,
        errors: &FormErrors,
    ) -> Self {
        let options = options
            .into_iter()
            .enumerate()
            .map(|(position, (value, label))| CheckboxOption {
                html_id: if position == 0 {
                    name.to_owned()
                } else {
                    format!("{name}-{value}")
                },
                value: value.to_owned(),
                label: label.to_owned(),
                checked: form.is_checked(name, value),
            })
            .collect();
        Self {
            name,
            legend: legend.into(),
            options,
            error: errors.get(name).map(str::to_owned),
        }
    }

    /// A later group sharing the name: its checkboxes get their own ids, and any error is
    /// shown once, beside the first group.
    fn continued(mut self) -> Self {
        for option in &mut self.options {
            if option.html_id == self.name {
                option.html_id = format!("{}-{}", self.name, option.value);
            }
        }
        self.error = None;
        self
    }
}

/// The framework elements as checkboxes, one group per dimension (being, becoming), each
/// element labelled with its domain so the two groups read alike.
pub(super) fn element_groups(
    elements: &cradle_content::Collection<Element>,
    form: &SubmittedQuery,
    errors: &FormErrors,
) -> Vec<CheckboxGroup> {
    Dimension::ALL
        .iter()
        .enumerate()
        .map(|(position, dimension)| {
            let labelled: Vec<(&str, String)> = elements
                .iter()
                .filter(|e| e.dimension == *dimension)
                .map(|e| (e.id.as_str(), format!("{}: {}", e.domain.label(), e.title)))
                .collect();
            let group = CheckboxGroup::new(
                FilterField::Element.key(),
                dimension.label(),
                labelled
                    .iter()
                    .map(|(id, label)| (*id, label.as_str()))
                    .collect(),
                form,
                errors,
            );
            if position == 0 {
                group
            } else {
                group.continued()
            }
        })
        .collect()
}
