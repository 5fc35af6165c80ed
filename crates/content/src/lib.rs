//! Cradle's national baseline content: the toolkit as typed, validated data.
//!
//! The content lives in TOML files under the workspace's `content/` folder (its `README.md`
//! is the schema). They are embedded in the binary at build time ([`embedded`]), and can also
//! be loaded from a folder ([`load_dir`]) or from text ([`parse`]).
//!
//! Loading never stops at the first mistake: it returns every [`Problem`] it finds, each with
//! the file, line and a reason that names the item and field, so that an editor can fix them
//! all in one pass.

mod collection;
mod files;
pub mod measure_filter;
mod model;
mod read;
pub mod search;
mod validate;

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

pub use collection::Collection;
pub use model::*;
pub use search::{DocKind, Hit, SearchIndex, SearchResults, Segment};

/// Every kind of item, by its TOML table name, in the order `content/README.md` gives them.
pub const KINDS: &[&str] = &[
    Source::KIND,
    Fact::KIND,
    PromptTheme::KIND,
    Prompt::KIND,
    Word::KIND,
    SystemPart::KIND,
    Element::KIND,
    Level::KIND,
    Factor::KIND,
    Scenario::KIND,
    CaseStudy::KIND,
    Characteristic::KIND,
    CompetencyDomain::KIND,
    Competency::KIND,
    Measure::KIND,
    Indicator::KIND,
    Prevalence::KIND,
    GlossaryTerm::KIND,
];

/// One content file's name and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The name problems report, e.g. `content/03-framework.toml`.
    pub path: String,
    pub text: String,
}

/// Something wrong in the content, where it is and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file's name as given in its [`SourceFile`].
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// What is wrong, naming the item and field.
    pub reason: String,
}

/// Shows a problem as `file:line: reason`, which editors and terminals can jump to.
impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.reason)
    }
}

/// A count followed by every problem, one per line, for a terminal or log.
pub fn report(problems: &[Problem]) -> String {
    let noun = if problems.len() == 1 {
        "problem"
    } else {
        "problems"
    };
    let mut text = format!("{} {noun} in the content:", problems.len());
    for problem in problems {
        text.push('\n');
        text.push_str(&problem.to_string());
    }
    text
}

/// Why [`load_dir`] failed.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A file or folder could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The files were read but the content is not valid.
    #[error("{}", report(.0))]
    Invalid(Vec<Problem>),
}

/// The validated content: every kind of item, in content order, with lookup by id.
///
/// Content order is files sorted by path, then items in the order written.
#[derive(Debug, Clone, Default)]
pub struct Content {
    pub sources: Collection<Source>,
    pub facts: Collection<Fact>,
    pub prompt_themes: Collection<PromptTheme>,
    pub prompts: Collection<Prompt>,
    pub words: Collection<Word>,
    pub system_parts: Collection<SystemPart>,
    pub elements: Collection<Element>,
    pub levels: Collection<Level>,
    pub factors: Collection<Factor>,
    pub scenarios: Collection<Scenario>,
    pub case_studies: Collection<CaseStudy>,
    pub characteristics: Collection<Characteristic>,
    pub competency_domains: Collection<CompetencyDomain>,
    pub competencies: Collection<Competency>,
    pub measures: Collection<Measure>,
    pub indicators: Collection<Indicator>,
    pub prevalence: Collection<Prevalence>,
    pub glossary: Collection<GlossaryTerm>,
}

impl Content {
    /// How many items of each kind there are, with labels for people, e.g.
    /// `("glossary terms", 84)`, in the order `content/README.md` gives the kinds.
    pub fn counts(&self) -> Vec<(&'static str, usize)> {
        vec![
            (Source::LABEL, self.sources.len()),
            (Fact::LABEL, self.facts.len()),
            (PromptTheme::LABEL, self.prompt_themes.len()),
            (Prompt::LABEL, self.prompts.len()),
            (Word::LABEL, self.words.len()),
            (SystemPart::LABEL, self.system_parts.len()),
            (Element::LABEL, self.elements.len()),
            (Level::LABEL, self.levels.len()),
            (Factor::LABEL, self.factors.len()),
            (Scenario::LABEL, self.scenarios.len()),
            (CaseStudy::LABEL, self.case_studies.len()),
            (Characteristic::LABEL, self.characteristics.len()),
            (CompetencyDomain::LABEL, self.competency_domains.len()),
            (Competency::LABEL, self.competencies.len()),
            (Measure::LABEL, self.measures.len()),
            (Indicator::LABEL, self.indicators.len()),
            (Prevalence::LABEL, self.prevalence.len()),
            (GlossaryTerm::LABEL, self.glossary.len()),
        ]
    }

    /// The title of the content item an agenda item of this kind names, or `None` if the
    /// content has no such item (the lookup [`ItemFields::validate`] takes).
    ///
    /// [`ItemFields::validate`]: cradle_domain::workshop::ItemFields::validate
    pub fn workshop_item_title(
        &self,
        kind: cradle_domain::workshop::ItemKind,
        id: &str,
    ) -> Option<String> {
        use cradle_domain::workshop::ItemKind;
        match kind {
            ItemKind::Prompt => self.prompts.by_id(id).map(|p| p.question.clone()),
            ItemKind::PromptGroup => self.prompt_themes.by_id(id).map(|t| t.title.clone()),
            ItemKind::Scenario => self.scenarios.by_id(id).map(|s| s.title.clone()),
            ItemKind::Element => self.elements.by_id(id).map(|e| e.title.clone()),
            ItemKind::Characteristic => self.characteristics.by_id(id).map(|c| c.title.clone()),
            ItemKind::Competencies => self.competency_domains.by_id(id).map(|d| d.title.clone()),
            ItemKind::Words | ItemKind::Local => None,
        }
    }

    /// Every content item an agenda item of this kind may name, as (id, title), in
    /// content order, for the planning form's list.
    pub fn workshop_item_choices(
        &self,
        kind: cradle_domain::workshop::ItemKind,
    ) -> Vec<(String, String)> {
        use cradle_domain::workshop::ItemKind;
        fn pairs<'a, T: 'a>(
            items: impl Iterator<Item = &'a T>,
            pair: impl Fn(&T) -> (String, String),
        ) -> Vec<(String, String)> {
            items.map(pair).collect()
        }
        match kind {
            ItemKind::Prompt => pairs(self.prompts.iter(), |p| (p.id.clone(), p.question.clone())),
            ItemKind::PromptGroup => pairs(self.prompt_themes.iter(), |t| {
                (t.id.clone(), t.title.clone())
            }),
            ItemKind::Scenario => pairs(self.scenarios.iter(), |s| (s.id.clone(), s.title.clone())),
            ItemKind::Element => pairs(self.elements.iter(), |e| (e.id.clone(), e.title.clone())),
            ItemKind::Characteristic => pairs(self.characteristics.iter(), |c| {
                (c.id.clone(), c.title.clone())
            }),
            ItemKind::Competencies => pairs(self.competency_domains.iter(), |d| {
                (d.id.clone(), d.title.clone())
            }),
            ItemKind::Words | ItemKind::Local => Vec::new(),
        }
    }

    /// The phrases that should link to a glossary term, from each term and its aliases:
    /// `(phrase in lower case, term id)`, longest phrase first so that a linker tries
    /// `secure attachment` before `attachment`. Ties are in alphabetical order, so the
    /// result is stable. Validation ensures each phrase belongs to one term only.
    pub fn glossary_matchers(&self) -> Vec<(String, String)> {
        let mut matchers: Vec<(String, String)> = self
            .glossary
            .iter()
            .flat_map(|term| {
                std::iter::once(&term.term)
                    .chain(&term.aliases)
                    .map(|phrase| (phrase.trim().to_lowercase(), term.id.clone()))
            })
            .collect();
        matchers.sort_by(|a, b| {
            let length = |(phrase, _): &(String, String)| phrase.chars().count();
            length(b).cmp(&length(a)).then_with(|| a.cmp(b))
        });
        matchers.dedup();
        matchers
    }
}

/// Reads and validates content from files already in memory. Pure: no I/O.
///
/// Returns every problem found, sorted by file (in the order given) and line.
pub fn parse(files: &[SourceFile]) -> Result<Content, Vec<Problem>> {
    let mut problems = Vec::new();
    let draft = read::read(files, &mut problems);
    validate::validate(&draft, &mut problems);
    if problems.is_empty() {
        return Ok(into_content(draft));
    }
    let file_order = |problem: &Problem| files.iter().position(|file| file.path == problem.file);
    // Stable, so problems on one line keep the order they were found in.
    problems.sort_by_key(|problem| (file_order(problem), problem.line));
    problems.dedup();
    Err(problems)
}

fn into_content(draft: read::Draft) -> Content {
    fn collect<T: Item>(items: Vec<read::Located<T>>) -> Collection<T> {
        Collection::new(items.into_iter().map(|at| at.item).collect())
    }
    Content {
        sources: collect(draft.sources),
        facts: collect(draft.facts),
        prompt_themes: collect(draft.prompt_themes),
        prompts: collect(draft.prompts),
        words: collect(draft.words),
        system_parts: collect(draft.system_parts),
        elements: collect(draft.elements),
        levels: collect(draft.levels),
        factors: collect(draft.factors),
        scenarios: collect(draft.scenarios),
        case_studies: collect(draft.case_studies),
        characteristics: collect(draft.characteristics),
        competency_domains: collect(draft.competency_domains),
        competencies: collect(draft.competencies),
        measures: collect(draft.measures),
        indicators: collect(draft.indicators),
        prevalence: collect(draft.prevalence),
        glossary: collect(draft.glossary),
    }
}

/// Reads every `*.toml` file under `dir` (recursively, sorted by path) and validates them.
///
/// Files are named relative to `dir`'s parent, so loading `…/content` reports
/// `content/01-why-it-matters.toml`. Other files, such as `README.md`, are ignored.
pub fn load_dir(dir: &Path) -> Result<Content, LoadError> {
    let io_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| LoadError::Io { path, source }
    };
    // Canonical, so that `.` or `..` still yield a folder name to report files under.
    let dir = dir.canonicalize().map_err(io_error(dir))?;
    let mut sources = Vec::new();
    for file in files::toml_files(&dir).map_err(io_error(&dir))? {
        let text = fs::read_to_string(&file).map_err(io_error(&file))?;
        let path = files::display_name(&dir, &file);
        sources.push(SourceFile { path, text });
    }
    parse(&sources).map_err(LoadError::Invalid)
}

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

/// The content files compiled into this binary from the workspace's `content/` folder.
pub fn embedded_files() -> Vec<SourceFile> {
    EMBEDDED
        .iter()
        .map(|(path, text)| SourceFile {
            path: (*path).to_owned(),
            text: (*text).to_owned(),
        })
        .collect()
}

/// Parses and validates the content compiled into this binary.
///
/// The binary calls this at start-up and refuses to start if it returns problems.
pub fn embedded() -> Result<Content, Vec<Problem>> {
    parse(&embedded_files())
}
