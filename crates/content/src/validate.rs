//! The rules serde cannot express: ids, blank text, empty lists, citations, references
//! between items and the toolkit's own constraints.

use std::collections::{HashMap, HashSet};
use std::fmt::Display;

use cradle_domain::{MaturityLevel, Stage};

use crate::Problem;
use crate::model::*;
use crate::read::{Draft, Located, Origin};

/// The earliest and latest publication years a source may have.
const YEARS: std::ops::RangeInclusive<u16> = 1900..=2100;

/// Checks `draft`, adding a problem for every broken rule.
pub(crate) fn validate(draft: &Draft, problems: &mut Vec<Problem>) {
    let known = Known::new(draft);
    let mut validator = Validator {
        files: &draft.files,
        problems,
        known: &known,
    };
    let v = &mut validator;

    sources_and_toolkit_items(v, draft);
    framework_items(v, draft);
    practice_items(v, draft);
    v.glossary_phrases(&draft.glossary);

    v.ids(&draft.sources);
    v.ids(&draft.facts);
    v.ids(&draft.prompt_themes);
    v.ids(&draft.prompts);
    v.ids(&draft.words);
    v.ids(&draft.system_parts);
    v.ids(&draft.elements);
    v.ids(&draft.levels);
    v.ids(&draft.factors);
    v.ids(&draft.scenarios);
    v.ids(&draft.case_studies);
    v.ids(&draft.characteristics);
    v.ids(&draft.competency_domains);
    v.ids(&draft.competencies);
    v.ids(&draft.measures);
    v.ids(&draft.indicators);
    v.ids(&draft.prevalence);
    v.ids(&draft.glossary);
}

/// Sources, facts, prompts and the words we use.
fn sources_and_toolkit_items(v: &mut Validator<'_>, draft: &Draft) {
    for at in &draft.sources {
        let (mut c, source) = v.item(at);
        c.text("title", &source.title);
        c.text("publisher", &source.publisher);
        if !YEARS.contains(&source.year) {
            let (first, last) = (YEARS.start(), YEARS.end());
            c.report(
                "year",
                format!("`year` {} is not between {first} and {last}", source.year),
            );
        }
        c.optional("authors", source.authors.as_deref());
        c.optional("url", source.url.as_deref());
    }
    for at in &draft.facts {
        let (mut c, fact) = v.item(at);
        c.text("statement", &fact.statement);
        c.optional("figure", fact.figure.as_deref());
        c.cited("sources", &fact.sources);
    }
    for at in &draft.prompt_themes {
        let (mut c, theme) = v.item(at);
        c.text("title", &theme.title);
        c.text("summary", &theme.summary);
    }
    for at in &draft.prompts {
        let (mut c, prompt) = v.item(at);
        c.reference::<PromptTheme>("theme", &prompt.theme);
        c.text("question", &prompt.question);
        c.optional("guidance", prompt.guidance.as_deref());
    }
    for at in &draft.words {
        let (mut c, word) = v.item(at);
        c.text("concept", &word.concept);
        c.not_empty("terms", &word.terms);
        for (index, term) in word.terms.iter().enumerate() {
            let parts = [
                ("profession", Some(&term.profession)),
                ("term", Some(&term.term)),
                ("note", term.note.as_ref()),
            ];
            for (name, value) in parts {
                if value.is_some_and(|text| is_blank(text)) {
                    let detail = format!("`terms` entry {} has a blank `{name}`", index + 1);
                    c.report_entry("terms", index, detail);
                }
            }
        }
        c.text("difference", &word.difference);
        c.text("caution", &word.caution);
        c.text("suggested", &word.suggested);
    }
}

/// The system, the being and becoming framework, its levels and factors, scenarios and case
/// studies.
fn framework_items(v: &mut Validator<'_>, draft: &Draft) {
    for at in &draft.system_parts {
        let (mut c, part) = v.item(at);
        c.text("name", &part.name);
        c.text("description", &part.description);
    }
    for at in &draft.elements {
        let (mut c, element) = v.item(at);
        c.text("title", &element.title);
        c.text("summary", &element.summary);
        c.text("relationships", &element.relationships);
        c.text("language_cognition", &element.language_cognition);
        c.texts("adults_support", &element.adults_support);
        let missing: Vec<&str> = Stage::ALL
            .iter()
            .filter(|stage| !element.stages.contains_key(stage))
            .map(|stage| stage.id())
            .collect();
        if !missing.is_empty() {
            c.report(
                "stages",
                format!(
                    "`stages` is missing {}; every element needs all six: {}",
                    missing.join(", "),
                    Stage::IDS.join(", ")
                ),
            );
        }
        for (stage, text) in &element.stages {
            if is_blank(text) {
                c.report("stages", format!("`stages` entry `{stage}` is blank"));
            }
        }
        c.cited("sources", &element.sources);
    }
    for at in &draft.levels {
        let (mut c, level) = v.item(at);
        c.text("title", &level.title);
        c.text("summary", &level.summary);
    }
    for at in &draft.factors {
        let (mut c, factor) = v.item(at);
        c.reference::<Level>("level", factor.level.id());
        c.text("name", &factor.name);
        c.text("description", &factor.description);
        c.cited("sources", &factor.sources);
    }
    for at in &draft.scenarios {
        let (mut c, scenario) = v.item(at);
        c.text("title", &scenario.title);
        c.text("family", &scenario.family);
        c.text("situation", &scenario.situation);
        c.not_empty("levels", &scenario.levels);
        c.references::<Level>("levels", scenario.levels.iter().map(|level| level.id()));
        c.references::<Factor>("factors", scenario.factors.iter().map(String::as_str));
        c.texts("prompts", &scenario.prompts);
    }
    for at in &draft.case_studies {
        let (mut c, case) = v.item(at);
        c.text("title", &case.title);
        if !case.illustrative {
            c.report(
                "illustrative",
                "`illustrative` must be true: case studies are composites, never real places",
            );
        }
        c.text("summary", &case.summary);
        c.text("what_they_did", &case.what_they_did);
        c.text("what_changed", &case.what_changed);
        c.not_empty("levels", &case.levels);
        c.references::<Level>("levels", case.levels.iter().map(|level| level.id()));
        let characteristics = case.characteristics.iter().map(String::as_str);
        c.references::<Characteristic>("characteristics", characteristics);
    }
}

/// Whole-system characteristics, competencies, measures, indicators, prevalence figures and
/// the glossary.
fn practice_items(v: &mut Validator<'_>, draft: &Draft) {
    for at in &draft.characteristics {
        let (mut c, characteristic) = v.item(at);
        c.text("title", &characteristic.title);
        c.text("summary", &characteristic.summary);
        let expected = MaturityLevel::ALL.len();
        if characteristic.maturity.len() == expected {
            c.texts("maturity", &characteristic.maturity);
        } else {
            c.report(
                "maturity",
                format!(
                    "`maturity` must hold exactly {expected} descriptions, in order: {}; found {}",
                    MaturityLevel::IDS.join(", "),
                    characteristic.maturity.len()
                ),
            );
        }
        c.texts("evidence_prompts", &characteristic.evidence_prompts);
        c.references::<Source>("tools", characteristic.tools.iter().map(String::as_str));
        c.cited("sources", &characteristic.sources);
    }
    for at in &draft.competency_domains {
        let (mut c, domain) = v.item(at);
        c.text("title", &domain.title);
        c.text("summary", &domain.summary);
    }
    for at in &draft.competencies {
        let (mut c, competency) = v.item(at);
        c.reference::<CompetencyDomain>("domain", &competency.domain);
        c.text("statement", &competency.statement);
        c.cited("sources", &competency.sources);
    }
    for at in &draft.measures {
        let (mut c, measure) = v.item(at);
        c.text("acronym", &measure.acronym);
        c.text("name", &measure.name);
        c.text("description", &measure.description);
        c.not_empty("purposes", &measure.purposes);
        c.not_empty("focus", &measure.focus);
        c.not_empty("elements", &measure.elements);
        c.references::<Element>("elements", measure.elements.iter().map(String::as_str));
        if measure.age_min_months > measure.age_max_months {
            c.report(
                "age_min_months",
                format!(
                    "`age_min_months` ({}) is greater than `age_max_months` ({})",
                    measure.age_min_months, measure.age_max_months
                ),
            );
        }
        c.not_empty("completed_by", &measure.completed_by);
        c.text("training", &measure.training);
        c.text("cost", &measure.cost);
        c.text("uk_use", &measure.uk_use);
        c.cited("sources", &measure.sources);
    }
    for at in &draft.indicators {
        let (mut c, indicator) = v.item(at);
        c.text("name", &indicator.name);
        c.text("definition", &indicator.definition);
        c.reference::<Source>("publisher", &indicator.publisher);
        c.text("geography", &indicator.geography);
        c.text("frequency", &indicator.frequency);
        c.not_empty("nations", &indicator.nations);
    }
    for at in &draft.prevalence {
        let (mut c, prevalence) = v.item(at);
        c.text("title", &prevalence.title);
        prevalence_figures(&mut c, prevalence);
        c.text("note", &prevalence.note);
        c.cited("sources", &prevalence.sources);
    }
    for at in &draft.glossary {
        let (mut c, term) = v.item(at);
        c.text("term", &term.term);
        c.text("definition", &term.definition);
        c.references::<GlossaryTerm>("related", term.related.iter().map(String::as_str));
        for (index, alias) in term.aliases.iter().enumerate() {
            if is_blank(alias) {
                c.report_entry(
                    "aliases",
                    index,
                    format!("`aliases` entry {} is blank", index + 1),
                );
            }
        }
        c.references::<Source>("sources", term.sources.iter().map(String::as_str));
    }
}

/// The oldest age, in whole years, that a prevalence figure may be counted among: Cradle covers
/// pregnancy to five.
const OLDEST_CHILD_AGE: u8 = 5;

/// A rate's range must be in order and within its unit (no more than `per` per `per`), and
/// its population within Cradle's ages.
fn prevalence_figures(c: &mut ItemCheck<'_>, prevalence: &Prevalence) {
    let Prevalence {
        figure,
        low,
        high,
        per,
        ..
    } = *prevalence;
    if ![figure, low, high].iter().all(|value| value.is_finite()) {
        c.report("figure", "`figure`, `low` and `high` must be numbers");
        return;
    }
    if low < 0.0 {
        c.report("low", format!("`low` ({low}) must not be below zero"));
    }
    if low > figure {
        c.report(
            "low",
            format!("`low` ({low}) is greater than `figure` ({figure})"),
        );
    }
    if figure > high {
        c.report(
            "high",
            format!("`figure` ({figure}) is greater than `high` ({high})"),
        );
    }
    if per == 0 {
        c.report(
            "per",
            "`per` must be more than 0, e.g. 100 for a percentage or 1000",
        );
    } else if high > f64::from(per) {
        c.report(
            "high",
            format!("`high` ({high}) is more than `per` ({per}): a rate cannot exceed everyone"),
        );
    }
    if let PrevalencePopulation::ChildrenAged { from, to } = prevalence.population {
        if from > to {
            c.report(
                "population",
                format!("`population` runs from age {from} to age {to}; `from` must not be greater than `to`"),
            );
        } else if to > OLDEST_CHILD_AGE {
            c.report(
                "population",
                format!(
                    "`population` reaches age {to}; Cradle covers children up to age {OLDEST_CHILD_AGE}"
                ),
            );
        }
    }
}

/// Whether `id` is lower-case letters and digits in words joined by single hyphens.
pub(crate) fn is_valid_id(id: &str) -> bool {
    id.split('-').all(|word| {
        !word.is_empty()
            && word
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    })
}

fn file_name<'f>(files: &'f [String], origin: &Origin) -> &'f str {
    files.get(origin.file).map_or("", String::as_str)
}

fn is_blank(text: &str) -> bool {
    text.trim().is_empty()
}

/// The ids of every kind, for reference checks.
struct Known<'a> {
    ids: HashMap<&'static str, HashSet<&'a str>>,
    /// False when a file could not be read at all: its items are unknown, so a reference to
    /// one of them would be reported as missing when it is not.
    complete: bool,
}

impl<'a> Known<'a> {
    fn new(draft: &'a Draft) -> Self {
        let mut known = Self {
            ids: HashMap::new(),
            complete: !draft.incomplete,
        };
        known.add(&draft.sources);
        known.add(&draft.levels);
        known.add(&draft.prompt_themes);
        known.add(&draft.factors);
        known.add(&draft.elements);
        known.add(&draft.characteristics);
        known.add(&draft.competency_domains);
        known.add(&draft.glossary);
        for (kind, id) in &draft.unreadable {
            known.ids.entry(kind).or_default().insert(id);
        }
        known
    }

    fn add<T: Item>(&mut self, items: &'a [Located<T>]) {
        let ids = self.ids.entry(T::KIND).or_default();
        ids.extend(items.iter().map(|at| at.item.id()));
    }

    fn contains(&self, kind: &str, id: &str) -> bool {
        self.ids.get(kind).is_some_and(|ids| ids.contains(id))
    }
}

struct Validator<'a> {
    files: &'a [String],
    problems: &'a mut Vec<Problem>,
    known: &'a Known<'a>,
}

impl Validator<'_> {
    /// Starts checking one item: a reporter that names it, and the item itself.
    fn item<'v, T: Item>(&'v mut self, at: &'v Located<T>) -> (ItemCheck<'v>, &'v T) {
        let check = ItemCheck {
            subject: format!("{} `{}`", T::KIND, at.item.id()),
            file: file_name(self.files, &at.origin),
            origin: &at.origin,
            problems: self.problems,
            known: self.known,
        };
        (check, &at.item)
    }

    /// Checks the ids of one kind: well formed and unique.
    fn ids<T: Item>(&mut self, items: &[Located<T>]) {
        let mut first_seen: HashMap<&str, &Origin> = HashMap::new();
        for at in items {
            let id = at.item.id();
            let line = at.origin.line_of("id");
            if is_blank(id) {
                self.report(
                    &at.origin,
                    line,
                    format!("{}: `id` must not be blank", T::KIND),
                );
            } else if !is_valid_id(id) {
                let reason = format!(
                    "{} `{id}`: id must be lower-case letters and digits joined by single hyphens, \
                     e.g. `perinatal-depression`",
                    T::KIND
                );
                self.report(&at.origin, line, reason);
            }
            if let Some(first) = first_seen.get(id) {
                let reason = format!(
                    "{} `{id}`: duplicate id; the first is at {}:{}",
                    T::KIND,
                    file_name(self.files, first),
                    first.line_of("id")
                );
                self.report(&at.origin, line, reason);
            } else {
                first_seen.insert(id, &at.origin);
            }
        }
    }

    /// Checks that each glossary phrase (term or alias) links to one term only, so that
    /// linking glossary words in pages is unambiguous.
    fn glossary_phrases(&mut self, glossary: &[Located<GlossaryTerm>]) {
        let mut owners: HashMap<String, &str> = HashMap::new();
        for at in glossary {
            let term = &at.item;
            let phrases = std::iter::once(("term", &term.term))
                .chain(term.aliases.iter().map(|alias| ("aliases", alias)));
            for (field, phrase) in phrases {
                let key = phrase.trim().to_lowercase();
                if key.is_empty() {
                    continue;
                }
                match owners.get(key.as_str()) {
                    Some(owner) if *owner != term.id => {
                        let reason = format!(
                            "{} `{}`: the phrase `{key}` in `{field}` already links to {} `{owner}`",
                            GlossaryTerm::KIND,
                            term.id,
                            GlossaryTerm::KIND
                        );
                        let line = at.origin.line_of(field);
                        self.report(&at.origin, line, reason);
                    }
                    Some(_) => {}
                    None => {
                        owners.insert(key, &term.id);
                    }
                }
            }
        }
    }

    fn report(&mut self, origin: &Origin, line: usize, reason: String) {
        let file = file_name(self.files, origin).to_owned();
        self.problems.push(Problem { file, line, reason });
    }
}

/// Reports problems with one item, each naming the item and pointing at the field's line.
struct ItemCheck<'a> {
    subject: String,
    file: &'a str,
    origin: &'a Origin,
    problems: &'a mut Vec<Problem>,
    known: &'a Known<'a>,
}

impl ItemCheck<'_> {
    fn report(&mut self, field: &str, detail: impl Display) {
        let line = self.origin.line_of(field);
        self.push(line, detail);
    }

    fn report_entry(&mut self, field: &str, index: usize, detail: impl Display) {
        let line = self.origin.line_of_entry(field, index);
        self.push(line, detail);
    }

    fn push(&mut self, line: usize, detail: impl Display) {
        self.problems.push(Problem {
            file: self.file.to_owned(),
            line,
            reason: format!("{}: {detail}", self.subject),
        });
    }

    /// A required text: blank counts as missing.
    fn text(&mut self, field: &str, value: &str) {
        if is_blank(value) {
            self.report(field, format!("`{field}` must not be blank"));
        }
    }

    /// An optional text: may be left out, but not written blank.
    fn optional(&mut self, field: &str, value: Option<&str>) {
        if value.is_some_and(is_blank) {
            self.report(field, format!("`{field}` is blank; leave it out instead"));
        }
    }

    fn not_empty<T>(&mut self, field: &str, values: &[T]) {
        if values.is_empty() {
            self.report(field, format!("`{field}` must hold at least one entry"));
        }
    }

    /// A required list of texts: at least one, none blank.
    fn texts(&mut self, field: &str, values: &[String]) {
        self.not_empty(field, values);
        for (index, value) in values.iter().enumerate() {
            if is_blank(value) {
                self.report_entry(
                    field,
                    index,
                    format!("`{field}` entry {} is blank", index + 1),
                );
            }
        }
    }

    /// Source ids that must cite at least one source.
    fn cited(&mut self, field: &str, sources: &[String]) {
        if sources.is_empty() {
            self.report(
                field,
                format!("no citation; `{field}` must list at least one source id"),
            );
        }
        self.references::<Source>(field, sources.iter().map(String::as_str));
    }

    fn reference<T: Item>(&mut self, field: &str, id: &str) {
        if self.known.complete && !self.known.contains(T::KIND, id) {
            self.report(
                field,
                format!("`{field}` refers to unknown {} `{id}`", T::KIND),
            );
        }
    }

    fn references<'i, T: Item>(&mut self, field: &str, ids: impl Iterator<Item = &'i str>) {
        if !self.known.complete {
            return;
        }
        for (index, id) in ids.enumerate() {
            if !self.known.contains(T::KIND, id) {
                let detail = format!("`{field}` refers to unknown {} `{id}`", T::KIND);
                self.report_entry(field, index, detail);
            }
        }
    }
}

#[cfg(test)]
mod tests;
