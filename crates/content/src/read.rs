//! Reading TOML files into typed items, remembering where each item and field was written.
//!
//! Each item is deserialised on its own rather than the file as a whole, so that one bad item
//! does not hide the problems in the rest of the file.

use std::collections::HashSet;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use crate::model::*;
use crate::{KINDS, Problem, SourceFile};

/// An item with where it was written.
#[derive(Debug)]
pub(crate) struct Located<T> {
    pub(crate) item: T,
    pub(crate) origin: Origin,
}

/// Where an item was written: its file (an index into [`Draft::files`]), the line of its
/// `[[kind]]` header, and the line of each field, so that problems point at the field.
#[derive(Debug)]
pub(crate) struct Origin {
    pub(crate) file: usize,
    pub(crate) line: usize,
    fields: Vec<FieldLines>,
}

#[derive(Debug)]
struct FieldLines {
    name: String,
    line: usize,
    /// The line of each entry when the field is a list.
    entries: Vec<usize>,
}

impl Origin {
    /// The line of `field`, or of the item if the field was left out.
    pub(crate) fn line_of(&self, field: &str) -> usize {
        self.field(field).map_or(self.line, |found| found.line)
    }

    /// The line of entry `index` of the list `field`.
    pub(crate) fn line_of_entry(&self, field: &str, index: usize) -> usize {
        self.field(field)
            .and_then(|found| found.entries.get(index).copied())
            .unwrap_or_else(|| self.line_of(field))
    }

    fn field(&self, name: &str) -> Option<&FieldLines> {
        self.fields.iter().find(|field| field.name == name)
    }
}

/// Everything read from the files, before validation.
#[derive(Debug, Default)]
pub(crate) struct Draft {
    /// File names, as [`Problem`]s report them.
    pub(crate) files: Vec<String>,
    pub(crate) sources: Vec<Located<Source>>,
    pub(crate) facts: Vec<Located<Fact>>,
    pub(crate) prompt_themes: Vec<Located<PromptTheme>>,
    pub(crate) prompts: Vec<Located<Prompt>>,
    pub(crate) words: Vec<Located<Word>>,
    pub(crate) system_parts: Vec<Located<SystemPart>>,
    pub(crate) elements: Vec<Located<Element>>,
    pub(crate) levels: Vec<Located<Level>>,
    pub(crate) factors: Vec<Located<Factor>>,
    pub(crate) scenarios: Vec<Located<Scenario>>,
    pub(crate) case_studies: Vec<Located<CaseStudy>>,
    pub(crate) characteristics: Vec<Located<Characteristic>>,
    pub(crate) competency_domains: Vec<Located<CompetencyDomain>>,
    pub(crate) competencies: Vec<Located<Competency>>,
    pub(crate) measures: Vec<Located<Measure>>,
    pub(crate) indicators: Vec<Located<Indicator>>,
    pub(crate) prevalence: Vec<Located<Prevalence>>,
    pub(crate) glossary: Vec<Located<GlossaryTerm>>,
    /// `(kind, id)` of items that exist but could not be read. References to them are not
    /// reported as missing: the item's own problem is the one to fix.
    pub(crate) unreadable: HashSet<(&'static str, String)>,
    /// A file was not valid TOML, so its items are unknown and reference checks would
    /// report false alarms.
    pub(crate) incomplete: bool,
}

/// Reads every file, reporting syntax, shape and vocabulary problems.
pub(crate) fn read(files: &[SourceFile], problems: &mut Vec<Problem>) -> Draft {
    let mut draft = Draft {
        files: files.iter().map(|file| file.path.clone()).collect(),
        ..Draft::default()
    };
    for (index, file) in files.iter().enumerate() {
        let mut reader = FileReader {
            index,
            file,
            lines: LineIndex::new(&file.text),
            problems: &mut *problems,
        };
        reader.read(&mut draft);
    }
    draft
}

struct FileReader<'a> {
    index: usize,
    file: &'a SourceFile,
    lines: LineIndex,
    problems: &'a mut Vec<Problem>,
}

impl FileReader<'_> {
    fn read(&mut self, draft: &mut Draft) {
        let (root, errors) = DeTable::parse_recoverable(&self.file.text);
        if !errors.is_empty() {
            for error in errors {
                let offset = error.span().map_or(0, |span| span.start);
                self.report(offset, format!("TOML syntax error: {}", error.message()));
            }
            draft.incomplete = true;
            return;
        }
        for (key, value) in root.into_inner() {
            let at = key.span().start;
            let unreadable = &mut draft.unreadable;
            match key.get_ref().as_ref() {
                Source::KIND => self.items(value, &mut draft.sources, unreadable),
                Fact::KIND => self.items(value, &mut draft.facts, unreadable),
                PromptTheme::KIND => self.items(value, &mut draft.prompt_themes, unreadable),
                Prompt::KIND => self.items(value, &mut draft.prompts, unreadable),
                Word::KIND => self.items(value, &mut draft.words, unreadable),
                SystemPart::KIND => self.items(value, &mut draft.system_parts, unreadable),
                Element::KIND => self.items(value, &mut draft.elements, unreadable),
                Level::KIND => self.items(value, &mut draft.levels, unreadable),
                Factor::KIND => self.items(value, &mut draft.factors, unreadable),
                Scenario::KIND => self.items(value, &mut draft.scenarios, unreadable),
                CaseStudy::KIND => self.items(value, &mut draft.case_studies, unreadable),
                Characteristic::KIND => self.items(value, &mut draft.characteristics, unreadable),
                CompetencyDomain::KIND => {
                    self.items(value, &mut draft.competency_domains, unreadable);
                }
                Competency::KIND => self.items(value, &mut draft.competencies, unreadable),
                Measure::KIND => self.items(value, &mut draft.measures, unreadable),
                Indicator::KIND => self.items(value, &mut draft.indicators, unreadable),
                Prevalence::KIND => self.items(value, &mut draft.prevalence, unreadable),
                GlossaryTerm::KIND => self.items(value, &mut draft.glossary, unreadable),
                other => self.report(
                    at,
                    format!(
                        "unknown kind `{other}`; expected one of: {}",
                        KINDS.join(", ")
                    ),
                ),
            }
        }
    }

    /// Reads the `[[kind]]` list `value` into `out`, one item at a time.
    fn items<T: Item>(
        &mut self,
        value: Spanned<DeValue<'_>>,
        out: &mut Vec<Located<T>>,
        unreadable: &mut HashSet<(&'static str, String)>,
    ) {
        let at = value.span().start;
        let DeValue::Array(entries) = value.into_inner() else {
            let kind = T::KIND;
            self.report(
                at,
                format!("`{kind}` must be a list of tables: write each item under `[[{kind}]]`"),
            );
            return;
        };
        for entry in entries {
            let at = entry.span().start;
            let Some(table) = entry.get_ref().as_table() else {
                self.report(at, format!("each `{}` must be a table", T::KIND));
                continue;
            };
            let id = table
                .iter()
                .find(|(key, _)| key.get_ref() == "id")
                .and_then(|(_, value)| value.get_ref().as_str())
                .map(str::to_owned);
            let fields: Vec<(FieldLines, Range<usize>)> = table
                .iter()
                .map(|(key, value)| (self.field_lines(key, value), value.span()))
                .collect();

            match T::deserialize(ValueDeserializer::from(entry)) {
                Ok(item) => out.push(Located {
                    item,
                    origin: Origin {
                        file: self.index,
                        line: self.lines.line(at),
                        fields: fields.into_iter().map(|(lines, _)| lines).collect(),
                    },
                }),
                Err(error) => {
                    let span = error.span();
                    let subject = match &id {
                        Some(id) => format!("{} `{id}`", T::KIND),
                        None => T::KIND.to_owned(),
                    };
                    // Name the field when the error lies inside its value (a bad stage, a
                    // wrong type); serde's message already names missing and unknown fields.
                    let field = span.as_ref().and_then(|span| {
                        fields
                            .iter()
                            .find(|(_, value)| value.contains(&span.start))
                            .map(|(lines, _)| lines.name.as_str())
                    });
                    let reason = match field {
                        Some(field) => format!("{subject}, field `{field}`: {}", error.message()),
                        None => format!("{subject}: {}", error.message()),
                    };
                    self.report(span.map_or(at, |span| span.start), reason);
                    if let Some(id) = id {
                        unreadable.insert((T::KIND, id));
                    }
                }
            }
        }
    }

    fn field_lines(
        &self,
        key: &Spanned<toml::de::DeString<'_>>,
        value: &Spanned<DeValue<'_>>,
    ) -> FieldLines {
        let entries = value.get_ref().as_array().map_or_else(Vec::new, |list| {
            list.iter()
                .map(|entry| self.lines.line(entry.span().start))
                .collect()
        });
        FieldLines {
            name: key.get_ref().to_string(),
            line: self.lines.line(key.span().start),
            entries,
        }
    }

    fn report(&mut self, offset: usize, reason: String) {
        self.problems.push(Problem {
            file: self.file.path.clone(),
            line: self.lines.line(offset),
            reason,
        });
    }
}

/// Turns byte offsets into 1-based line numbers.
struct LineIndex {
    /// The byte offset at which each line starts.
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let after_newlines = text.match_indices('\n').map(|(at, _)| at + 1);
        Self {
            starts: std::iter::once(0).chain(after_newlines).collect(),
        }
    }

    fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_one_based_and_count_newlines() {
        let lines = LineIndex::new("a\nbc\n\nd");
        assert_eq!(lines.line(0), 1);
        assert_eq!(lines.line(1), 1);
        assert_eq!(lines.line(2), 2);
        assert_eq!(lines.line(5), 3);
        assert_eq!(lines.line(6), 4);
        assert_eq!(lines.line(100), 4);
    }
}
