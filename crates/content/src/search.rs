//! Full-text search over the content, in memory.
//!
//! The content is fixed when the binary starts, so [`SearchIndex::build`] indexes it once and
//! every query is answered from memory, with no I/O and no external engine. A few hundred
//! items fit easily, and a query takes microseconds.
//!
//! Ranking is BM25F: each item is one document whose fields have a role (title, body or
//! tag), and a term counts for more in a title than in body text. On top of that, documents
//! that match more of the query's words rank higher, and an exact title or a phrase match
//! gets a boost. Words are lower-cased, stripped of common Latin accents, folded from US to
//! UK spelling where that is cheap, and lightly stemmed, so that `relationships` finds
//! `relationship` and `behavior` finds `behaviour`. The last word of a query also matches as
//! a prefix, so that results appear while someone is still typing.
//!
//! Results carry a snippet as plain text [`Segment`]s with the matched words marked; the web
//! layer escapes them and wraps the marked ones in `<mark>`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

use crate::Content;
use crate::model::{
    CaseStudy, Characteristic, Competency, Element, Fact, Factor, GlossaryTerm, Indicator, Item,
    Level, Measure, Prompt, Scenario, SystemPart, Word,
};

/// Longer queries are cut to this many characters, so that a pasted page cannot make a query
/// slow.
const MAX_QUERY_CHARS: usize = 200;
/// At most this many distinct words of a query are searched for; one bit each in a `u32`.
const MAX_QUERY_WORDS: usize = 12;
/// The last query word is matched as a prefix only from this many characters, since shorter
/// prefixes match too much to help.
const MIN_PREFIX_CHARS: usize = 3;
/// A word completed from a prefix counts for less than the word typed, so that `care` ranks
/// items about care above items about careers.
const PREFIX_WEIGHT: f32 = 0.6;
/// A compound such as `ASQ:SE-2` is also indexed joined up (`asqse2`) when it has at most
/// this many parts; longer runs of punctuated text are not names anyone types.
const MAX_JOINED_PARTS: usize = 4;
/// Words in a snippet, and how many of them come before the first match.
const SNIPPET_WORDS: usize = 30;
const SNIPPET_LEAD_WORDS: usize = 5;
/// A snippet never has more characters than this, however long its words are.
const MAX_SNIPPET_CHARS: usize = 300;
/// Titles of items that have none (facts, prompts, competencies) are their text, shortened.
const MAX_TITLE_CHARS: usize = 90;
/// BM25 term-frequency saturation and length normalisation, at their usual values.
const K1: f32 = 1.2;
const B: f32 = 0.75;
/// Score multipliers for a query that is exactly a title (or alias or acronym), and for one
/// whose words appear together in order in a field.
const EXACT_TITLE_BOOST: f32 = 3.0;
const PHRASE_BOOST: f32 = 1.5;

/// A kind of item that search returns. Declared in content order, which is also the order
/// of hits with equal scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocKind {
    Fact,
    Prompt,
    Word,
    SystemPart,
    Element,
    Level,
    Factor,
    Scenario,
    CaseStudy,
    Characteristic,
    Competency,
    Measure,
    Indicator,
    GlossaryTerm,
}

impl DocKind {
    /// Every kind, in content order.
    pub const ALL: &'static [Self] = &[
        Self::Fact,
        Self::Prompt,
        Self::Word,
        Self::SystemPart,
        Self::Element,
        Self::Level,
        Self::Factor,
        Self::Scenario,
        Self::CaseStudy,
        Self::Characteristic,
        Self::Competency,
        Self::Measure,
        Self::Indicator,
        Self::GlossaryTerm,
    ];

    /// A singular name for people, e.g. `Glossary term`.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Fact => "Fact",
            Self::Prompt => "Discussion prompt",
            Self::Word => "Words we use",
            Self::SystemPart => "System part",
            Self::Element => "Framework element",
            Self::Level => "Socio-ecological level",
            Self::Factor => "Risk or protective factor",
            Self::Scenario => "Scenario",
            Self::CaseStudy => "Case study",
            Self::Characteristic => "Whole-system characteristic",
            Self::Competency => "Competency",
            Self::Measure => "Measure",
            Self::Indicator => "Community indicator",
            Self::GlossaryTerm => "Glossary term",
        }
    }

    /// The item's TOML table name ([`Item::KIND`]), e.g. `glossary_term`, for building links.
    pub const fn item_kind(self) -> &'static str {
        match self {
            Self::Fact => Fact::KIND,
            Self::Prompt => Prompt::KIND,
            Self::Word => Word::KIND,
            Self::SystemPart => SystemPart::KIND,
            Self::Element => Element::KIND,
            Self::Level => Level::KIND,
            Self::Factor => Factor::KIND,
            Self::Scenario => Scenario::KIND,
            Self::CaseStudy => CaseStudy::KIND,
            Self::Characteristic => Characteristic::KIND,
            Self::Competency => Competency::KIND,
            Self::Measure => Measure::KIND,
            Self::Indicator => Indicator::KIND,
            Self::GlossaryTerm => GlossaryTerm::KIND,
        }
    }
}

/// The answer to one query: how many items matched, and the best of them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchResults {
    /// How many items matched at least one word of the query.
    pub total: usize,
    /// The best matches, best first, at most the limit asked for.
    pub hits: Vec<Hit>,
}

/// One matching item.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// What kind of item it is; with `id`, enough to link to it.
    pub kind: DocKind,
    /// The item's id, unique within its kind.
    pub id: String,
    /// The item's natural title, e.g. a glossary term, or a measure's acronym and name.
    pub title: String,
    /// Relevance; only meaningful relative to other hits for the same query.
    pub score: f32,
    /// About thirty words of the best-matching text, with the matches marked.
    pub snippet: Vec<Segment>,
}

/// A run of snippet text, plain (not HTML), either matched by the query or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// Plain text, to be escaped before it goes into HTML.
    pub text: String,
    /// Whether the text matched the query, for `<mark>`.
    pub highlighted: bool,
}

/// An in-memory full-text index over the content, built once at start-up.
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    docs: Vec<Doc>,
    /// Each term's id, from the stemmed form.
    terms: HashMap<String, usize>,
    /// Every word form seen, before stemming, sorted for prefix lookup, with its term id.
    forms: Vec<(String, usize)>,
    /// By term id: the documents holding it, in document order, with the term's BM25F
    /// pseudo-frequency there (field weights and length normalisation already applied,
    /// since neither depends on the query).
    postings: Vec<Vec<(usize, f32)>>,
    /// By term id: inverse document frequency.
    idf: Vec<f32>,
}

#[derive(Debug, Clone)]
struct Doc {
    kind: DocKind,
    id: String,
    title: String,
    fields: Vec<Field>,
}

#[derive(Debug, Clone)]
struct Field {
    role: Role,
    text: String,
    tokens: Vec<Token>,
    /// The byte range of each whitespace-separated word, for snippets; kept rather than
    /// found again for every hit.
    words: Vec<(usize, usize)>,
    /// For titles: the terms read with each compound as one word (`ASQ-3` as `asq3`), so
    /// that a query for `asq3` is an exact match for it too.
    compounds: Vec<usize>,
}

/// An indexed word in a field: its term and its byte range in the field's text.
#[derive(Debug, Clone, Copy)]
struct Token {
    term: usize,
    start: usize,
    end: usize,
    /// The joined form of a compound, which spans its parts; phrase matching skips it.
    joined: bool,
}

/// What a field is to its item, which sets how much a match there counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Titles, names, aliases and acronyms.
    Title,
    /// The item's text.
    Body,
    /// Labels from the fixed vocabularies (nation, tier, level…), so that `Wales` finds items
    /// that are only tagged with it, but below those that talk about it.
    Tag,
}

impl Role {
    const COUNT: usize = 3;

    const fn index(self) -> usize {
        match self {
            Self::Title => 0,
            Self::Body => 1,
            Self::Tag => 2,
        }
    }

    const fn weight(self) -> f32 {
        match self {
            Self::Title => 3.0,
            Self::Body => 1.0,
            Self::Tag => 0.5,
        }
    }
}

impl SearchIndex {
    /// Indexes every item a person would look for: every kind except sources, which are
    /// reference material, and prompt themes and competency domains, whose titles are
    /// indexed as tags of their prompts and competencies instead.
    pub fn build(content: &Content) -> Self {
        Self::from_drafts(drafts(content))
    }

    fn from_drafts(drafts: Vec<Draft>) -> Self {
        let mut index = Self::default();
        // Each word form's term, so that each distinct word is stemmed once.
        let mut forms = HashMap::new();
        for draft in drafts {
            index.add(draft, &mut forms);
        }
        index.forms = forms.into_iter().collect();
        index.forms.sort_unstable();
        index.finish();
        index
    }

    /// How many items are indexed.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// Whether no items are indexed.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// The `limit` best matches for `query`, best first, and how many items matched.
    ///
    /// Never fails: a query with no searchable words (empty, punctuation, or only words
    /// such as `the`) matches nothing.
    pub fn search(&self, query: &str, limit: usize) -> SearchResults {
        let query = Query::parse(self, query);
        if query.is_empty() {
            return SearchResults::default();
        }
        let mut scored = self.score(&query);
        let total = scored.len();
        // Best first; equal scores by kind then id, so the order never depends on chance.
        let order = |a: &(usize, f32), b: &(usize, f32)| {
            b.1.total_cmp(&a.1)
                .then_with(|| self.docs[a.0].kind.cmp(&self.docs[b.0].kind))
                .then_with(|| self.docs[a.0].id.cmp(&self.docs[b.0].id))
        };
        // Only the hits asked for need sorting: pick them out first.
        if limit < scored.len() {
            if limit > 0 {
                scored.select_nth_unstable_by(limit - 1, order);
            }
            scored.truncate(limit);
        }
        scored.sort_unstable_by(order);
        let hits = scored
            .into_iter()
            .map(|(doc_index, score)| {
                let doc = &self.docs[doc_index];
                Hit {
                    kind: doc.kind,
                    id: doc.id.clone(),
                    title: doc.title.clone(),
                    score,
                    snippet: snippet(doc, &query),
                }
            })
            .collect();
        SearchResults { total, hits }
    }

    fn add(&mut self, draft: Draft, forms: &mut HashMap<String, usize>) {
        let fields = draft
            .fields
            .into_iter()
            .filter(|(_, text)| !text.trim().is_empty())
            .map(|(role, text)| {
                let tokens = self.tokens(&text, forms);
                let compounds = if role == Role::Title {
                    compounds(&tokens)
                } else {
                    Vec::new()
                };
                Field {
                    role,
                    words: word_spans(&text),
                    text,
                    tokens,
                    compounds,
                }
            })
            .collect();
        self.docs.push(Doc {
            kind: draft.kind,
            id: draft.id,
            title: draft.title,
            fields,
        });
    }

    /// The indexed words of `text`, interning new terms and word forms.
    fn tokens(&mut self, text: &str, forms: &mut HashMap<String, usize>) -> Vec<Token> {
        let mut tokens = Vec::new();
        for word in words(text) {
            if is_stop_word(&word.folded) {
                continue;
            }
            let term = match forms.get(&word.folded) {
                Some(&term) => term,
                None => {
                    let next_id = self.terms.len();
                    let term = match self.terms.entry(term_of(&word.folded)) {
                        Entry::Occupied(entry) => *entry.get(),
                        Entry::Vacant(entry) => *entry.insert(next_id),
                    };
                    forms.insert(word.folded, term);
                    term
                }
            };
            tokens.push(Token {
                term,
                start: word.start,
                end: word.end,
                joined: word.joined,
            });
        }
        tokens
    }

    /// Computes postings and idf once every document is in.
    fn finish(&mut self) {
        let mut lengths = vec![[0.0_f32; Role::COUNT]; self.docs.len()];
        for (doc, length) in self.docs.iter().zip(&mut lengths) {
            for field in &doc.fields {
                // Joined forms repeat their parts, so they would inflate the length.
                let words = field.tokens.iter().filter(|token| !token.joined).count();
                length[field.role.index()] += words as f32;
            }
        }
        let mut average = [0.0_f32; Role::COUNT];
        for length in &lengths {
            for (sum, value) in average.iter_mut().zip(length) {
                *sum += value;
            }
        }
        let doc_count = self.docs.len().max(1) as f32;
        for sum in &mut average {
            *sum = (*sum / doc_count).max(1.0);
        }

        self.postings = vec![Vec::new(); self.terms.len()];
        let mut frequencies: HashMap<usize, [f32; Role::COUNT]> = HashMap::new();
        for (doc_index, doc) in self.docs.iter().enumerate() {
            frequencies.clear();
            for field in &doc.fields {
                for token in &field.tokens {
                    frequencies.entry(token.term).or_default()[field.role.index()] += 1.0;
                }
            }
            let length = &lengths[doc_index];
            for (&term, counts) in &frequencies {
                let mut weighted = 0.0;
                for role in [Role::Title, Role::Body, Role::Tag] {
                    let i = role.index();
                    if counts[i] > 0.0 {
                        let norm = 1.0 - B + B * length[i] / average[i];
                        weighted += role.weight() * counts[i] / norm;
                    }
                }
                self.postings[term].push((doc_index, weighted));
            }
        }
        let n = self.docs.len() as f32;
        self.idf = self
            .postings
            .iter()
            .map(|list| {
                let df = list.len() as f32;
                (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
            })
            .collect();
    }

    /// Every matching document and its final score, unordered.
    fn score(&self, query: &Query) -> Vec<(usize, f32)> {
        let doc_count = self.docs.len();
        let mut sum = vec![0.0_f32; doc_count];
        let mut matched = vec![0_u32; doc_count];
        let mut best = vec![0.0_f32; doc_count];
        let mut touched = Vec::new();
        let contribution =
            |term: usize, weighted: f32| self.idf[term] * weighted * (K1 + 1.0) / (weighted + K1);

        for (slot_index, slot) in query.slots.iter().enumerate() {
            // A word counts once per document, by its best form, so that an item holding
            // both `attached` and `attachment` does not score twice for `attach`.
            for (term, factor) in slot.terms() {
                for &(doc, weighted) in &self.postings[term] {
                    let value = factor * contribution(term, weighted);
                    // Contributions are always positive, so zero means not seen yet.
                    if best[doc] == 0.0 {
                        touched.push(doc);
                    }
                    best[doc] = best[doc].max(value);
                }
            }
            for doc in touched.drain(..) {
                sum[doc] += best[doc];
                matched[doc] |= 1 << slot_index;
                best[doc] = 0.0;
            }
        }
        for joined in &query.joined {
            for &(doc, weighted) in &self.postings[joined.term] {
                sum[doc] += contribution(joined.term, weighted);
                matched[doc] |= joined.slots;
            }
        }

        let slot_count = query.slots.len() as f32;
        let all = query.all_slots();
        let mut scored = Vec::new();
        for (doc_index, (&mask, &raw)) in matched.iter().zip(&sum).enumerate() {
            if mask == 0 {
                continue;
            }
            // Squared coordination, so that matching more of the words beats matching one
            // of them often.
            let coordination = (mask.count_ones() as f32 / slot_count).powi(2);
            let mut score = raw * coordination;
            // Both boosts need every word, so most documents skip the checks.
            if mask & all == all {
                let doc = &self.docs[doc_index];
                if is_exact_title(doc, query) {
                    score *= EXACT_TITLE_BOOST;
                }
                if query.slots.len() > 1 && has_phrase(doc, query) {
                    score *= PHRASE_BOOST;
                }
            }
            scored.push((doc_index, score));
        }
        scored
    }
}

/// An item's text before indexing.
struct Draft {
    kind: DocKind,
    id: String,
    title: String,
    fields: Vec<(Role, String)>,
}

impl Draft {
    fn new(kind: DocKind, id: &str, title: String) -> Self {
        Self {
            kind,
            id: id.to_owned(),
            title,
            fields: Vec::new(),
        }
    }

    fn field(mut self, role: Role, text: impl Into<String>) -> Self {
        self.fields.push((role, text.into()));
        self
    }

    fn fields<'a>(mut self, role: Role, texts: impl IntoIterator<Item = &'a str>) -> Self {
        for text in texts {
            self.fields.push((role, text.to_owned()));
        }
        self
    }
}

/// One draft per searchable item, in content order.
fn drafts(content: &Content) -> Vec<Draft> {
    use Role::{Body, Tag, Title};
    let mut drafts = Vec::new();
    for fact in &content.facts {
        drafts.push(
            Draft::new(DocKind::Fact, &fact.id, shorten(&fact.statement))
                .field(Body, fact.statement.as_str())
                .fields(Body, fact.figure.as_deref())
                .field(Tag, fact.theme.label()),
        );
    }
    for prompt in &content.prompts {
        let theme = content.prompt_themes.by_id(&prompt.theme);
        drafts.push(
            Draft::new(DocKind::Prompt, &prompt.id, shorten(&prompt.question))
                .field(Body, prompt.question.as_str())
                .fields(Body, prompt.guidance.as_deref())
                .fields(Tag, theme.map(|theme| theme.title.as_str())),
        );
    }
    for word in &content.words {
        let mut draft = Draft::new(DocKind::Word, &word.id, shorten(&word.concept))
            .field(Title, word.concept.as_str())
            .field(Body, word.suggested.as_str());
        // One field per profession, so that a snippet shows who uses the word.
        for term in &word.terms {
            let text = match &term.note {
                Some(note) => format!("{}: {} ({note})", term.profession, term.term),
                None => format!("{}: {}", term.profession, term.term),
            };
            draft = draft.field(Body, text);
        }
        drafts.push(
            draft
                .field(Body, word.difference.as_str())
                .field(Body, word.caution.as_str()),
        );
    }
    for part in &content.system_parts {
        drafts.push(
            Draft::new(DocKind::SystemPart, &part.id, part.name.clone())
                .field(Title, part.name.as_str())
                .field(Body, part.description.as_str())
                .field(Tag, part.tier.label())
                .field(Tag, part.sector.label())
                .fields(Tag, part.nations.iter().map(|nation| nation.label())),
        );
    }
    for element in &content.elements {
        drafts.push(
            Draft::new(DocKind::Element, &element.id, element.title.clone())
                .field(Title, element.title.as_str())
                .field(Body, element.summary.as_str())
                .field(Body, element.relationships.as_str())
                .field(Body, element.language_cognition.as_str())
                .fields(Body, element.adults_support.iter().map(String::as_str))
                .fields(Body, element.stages.values().map(String::as_str))
                .field(Tag, element.dimension.label())
                .field(Tag, element.domain.label()),
        );
    }
    for level in &content.levels {
        drafts.push(
            Draft::new(DocKind::Level, level.id.id(), level.title.clone())
                .field(Title, level.title.as_str())
                .field(Body, level.summary.as_str()),
        );
    }
    for factor in &content.factors {
        drafts.push(
            Draft::new(DocKind::Factor, &factor.id, factor.name.clone())
                .field(Title, factor.name.as_str())
                .field(Body, factor.description.as_str())
                .field(Tag, factor.kind.label())
                .field(Tag, factor.level.label()),
        );
    }
    for scenario in &content.scenarios {
        drafts.push(
            Draft::new(DocKind::Scenario, &scenario.id, scenario.title.clone())
                .field(Title, scenario.title.as_str())
                .field(Body, scenario.situation.as_str())
                .field(Body, scenario.family.as_str())
                .fields(Body, scenario.prompts.iter().map(String::as_str))
                .field(Tag, scenario.nation.label())
                .field(Tag, scenario.age.label())
                .field(Tag, scenario.need.label()),
        );
    }
    for study in &content.case_studies {
        drafts.push(
            Draft::new(DocKind::CaseStudy, &study.id, study.title.clone())
                .field(Title, study.title.as_str())
                .field(Body, study.summary.as_str())
                .field(Body, study.what_they_did.as_str())
                .field(Body, study.what_changed.as_str())
                .field(Tag, study.nation.label()),
        );
    }
    for characteristic in &content.characteristics {
        drafts.push(
            Draft::new(
                DocKind::Characteristic,
                &characteristic.id,
                characteristic.title.clone(),
            )
            .field(Title, characteristic.title.as_str())
            .field(Body, characteristic.summary.as_str())
            .fields(Body, characteristic.maturity.iter().map(String::as_str))
            .fields(
                Body,
                characteristic.evidence_prompts.iter().map(String::as_str),
            ),
        );
    }
    for competency in &content.competencies {
        let domain = content.competency_domains.by_id(&competency.domain);
        drafts.push(
            Draft::new(
                DocKind::Competency,
                &competency.id,
                shorten(&competency.statement),
            )
            .field(Body, competency.statement.as_str())
            .fields(Tag, domain.map(|domain| domain.title.as_str()))
            .field(Tag, competency.level.label()),
        );
    }
    for measure in &content.measures {
        // `Whooley questions` and `Crittenden CARE-Index` already name their acronym.
        let title = if measure.name.contains(&measure.acronym) {
            measure.name.clone()
        } else {
            format!("{} – {}", measure.acronym, measure.name)
        };
        drafts.push(
            Draft::new(DocKind::Measure, &measure.id, title)
                .field(Title, measure.acronym.as_str())
                .field(Title, measure.name.as_str())
                .field(Body, measure.description.as_str())
                .field(Body, measure.uk_use.as_str())
                .field(Body, measure.training.as_str())
                .field(Body, measure.cost.as_str())
                .fields(Tag, measure.purposes.iter().map(|purpose| purpose.label()))
                .fields(Tag, measure.focus.iter().map(|focus| focus.label()))
                .fields(Tag, measure.completed_by.iter().map(|who| who.label()))
                .field(Tag, measure.format.label())
                .field(Tag, measure.licence.label()),
        );
    }
    for indicator in &content.indicators {
        drafts.push(
            Draft::new(DocKind::Indicator, &indicator.id, indicator.name.clone())
                .field(Title, indicator.name.as_str())
                .field(Body, indicator.definition.as_str())
                .field(Tag, indicator.geography.as_str())
                .field(Tag, indicator.frequency.as_str())
                .fields(Tag, indicator.nations.iter().map(|nation| nation.label())),
        );
    }
    for term in &content.glossary {
        drafts.push(
            Draft::new(DocKind::GlossaryTerm, &term.id, term.term.clone())
                .field(Title, term.term.as_str())
                .fields(Title, term.aliases.iter().map(String::as_str))
                .field(Body, term.definition.as_str()),
        );
    }
    drafts
}

/// `text` on one line, cut at a word boundary to about [`MAX_TITLE_CHARS`] characters.
fn shorten(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= MAX_TITLE_CHARS {
        return line;
    }
    let mut short = String::new();
    for word in line.split(' ') {
        if short.chars().count() + word.chars().count() + 1 > MAX_TITLE_CHARS {
            break;
        }
        if !short.is_empty() {
            short.push(' ');
        }
        short.push_str(word);
    }
    if short.is_empty() {
        // One enormous word: cut it.
        short = line.chars().take(MAX_TITLE_CHARS).collect();
    }
    let trimmed = short.trim_end_matches(|c: char| !c.is_alphanumeric());
    format!("{trimmed}…")
}

/// A query, resolved against the index's terms.
struct Query {
    /// One per distinct searchable word, in query order.
    slots: Vec<Slot>,
    /// Joined forms of compounds in the query (`asq3` for `ASQ-3`).
    joined: Vec<Joined>,
    /// By term id, the slots the term matches: used to highlight snippets and to check
    /// phrases. Dense, because snippets look up every word of a field.
    accept: Vec<u32>,
    /// The same for the words as typed, without completions: used to check titles.
    exact: Vec<u32>,
}

struct Slot {
    /// The stemmed word, to merge repeats.
    stem: String,
    /// The word's term, if the index has it.
    exact: Option<usize>,
    /// For the last word, other terms it is a prefix of.
    completions: Vec<usize>,
}

impl Slot {
    /// The terms that match, with the weight of a match: the word as typed counts in full
    /// and completions at [`PREFIX_WEIGHT`].
    fn terms(&self) -> impl Iterator<Item = (usize, f32)> {
        let completions = self.completions.iter().map(|&term| (term, PREFIX_WEIGHT));
        self.exact
            .map(|term| (term, 1.0))
            .into_iter()
            .chain(completions)
    }
}

/// A compound's joined form. Matching it counts as matching all its parts, so `ASQ3` in a
/// query finds `ASQ-3` in text and the other way round.
struct Joined {
    term: usize,
    slots: u32,
}

impl Query {
    fn parse(index: &SearchIndex, text: &str) -> Self {
        let text = match text.char_indices().nth(MAX_QUERY_CHARS) {
            Some((cut, _)) => &text[..cut],
            None => text,
        };
        let words = words(text);
        let last_part = words.iter().rposition(|word| !word.joined);
        let mut query = Self {
            slots: Vec::new(),
            joined: Vec::new(),
            accept: vec![0; index.terms.len()],
            exact: vec![0; index.terms.len()],
        };
        // The slots of the current compound's parts, for its joined form.
        let mut compound = 0_u32;
        let mut compound_chunk = usize::MAX;
        for (position, word) in words.iter().enumerate() {
            if word.chunk != compound_chunk {
                compound = 0;
                compound_chunk = word.chunk;
            }
            if is_stop_word(&word.folded) {
                continue;
            }
            let stem = term_of(&word.folded);
            if word.joined {
                if let Some(&term) = index.terms.get(&stem)
                    && compound != 0
                {
                    query.joined.push(Joined {
                        term,
                        slots: compound,
                    });
                }
                continue;
            }
            let slot_index = match query.slots.iter().position(|slot| slot.stem == stem) {
                Some(found) => found,
                None if query.slots.len() < MAX_QUERY_WORDS => {
                    let exact = index.terms.get(&stem).copied();
                    query.slots.push(Slot {
                        stem,
                        exact,
                        completions: Vec::new(),
                    });
                    query.slots.len() - 1
                }
                None => continue,
            };
            compound |= 1 << slot_index;
            if Some(position) == last_part && word.folded.chars().count() >= MIN_PREFIX_CHARS {
                let slot = &mut query.slots[slot_index];
                let exact = slot.exact;
                slot.completions = index.completions(&word.folded);
                slot.completions.retain(|&term| Some(term) != exact);
            }
        }
        for (slot_index, slot) in query.slots.iter().enumerate() {
            for (term, _) in slot.terms() {
                query.accept[term] |= 1 << slot_index;
            }
            if let Some(term) = slot.exact {
                query.exact[term] |= 1 << slot_index;
            }
        }
        for joined in &query.joined {
            query.accept[joined.term] |= joined.slots;
            query.exact[joined.term] |= joined.slots;
        }
        query
    }

    /// The mask with one bit for each slot.
    fn all_slots(&self) -> u32 {
        (1_u32 << self.slots.len()) - 1
    }

    /// Whether no word of the query is in the index.
    fn is_empty(&self) -> bool {
        self.joined.is_empty() && self.slots.iter().all(|slot| slot.terms().next().is_none())
    }

    /// The slots `term` counts for, if any.
    fn slots_of(&self, term: usize) -> u32 {
        self.accept.get(term).copied().unwrap_or(0)
    }

    /// The slots `term` is typed for, if any.
    fn exact_slots_of(&self, term: usize) -> u32 {
        self.exact.get(term).copied().unwrap_or(0)
    }
}

impl SearchIndex {
    /// Terms of every indexed word form that starts with `prefix`.
    fn completions(&self, prefix: &str) -> Vec<usize> {
        let start = self
            .forms
            .partition_point(|(form, _)| form.as_str() < prefix);
        let mut terms: Vec<usize> = self.forms[start..]
            .iter()
            .take_while(|(form, _)| form.starts_with(prefix))
            .map(|&(_, term)| term)
            .collect();
        terms.sort_unstable();
        terms.dedup();
        terms
    }
}

/// The terms of `tokens` with each compound's parts replaced by its joined form, which the
/// tokeniser puts straight after them.
fn compounds(tokens: &[Token]) -> Vec<usize> {
    let mut terms: Vec<(usize, usize)> = Vec::new();
    for token in tokens {
        if token.joined {
            while terms.last().is_some_and(|&(start, _)| start >= token.start) {
                terms.pop();
            }
        }
        terms.push((token.start, token.term));
    }
    terms.into_iter().map(|(_, term)| term).collect()
}

/// The words of a field, skipping joined forms, which repeat their parts.
fn parts(field: &Field) -> impl Iterator<Item = &Token> {
    field.tokens.iter().filter(|token| !token.joined)
}

/// Whether the query is, word for word in any order, one of the document's titles, aliases
/// or acronyms. Only words as typed count, not completions of a prefix, so that `care` is
/// not an exact match for `caregiver`.
fn is_exact_title(doc: &Doc, query: &Query) -> bool {
    let covers = |terms: &mut dyn Iterator<Item = usize>| {
        let mut covered = 0;
        let mut count = 0;
        for term in terms {
            let slots = query.exact_slots_of(term);
            if slots == 0 {
                return false;
            }
            covered |= slots;
            count += 1;
        }
        count <= query.slots.len() && covered == query.all_slots()
    };
    doc.fields
        .iter()
        .filter(|field| field.role == Role::Title)
        .any(|field| {
            covers(&mut parts(field).map(|token| token.term))
                || covers(&mut field.compounds.iter().copied())
        })
}

/// Whether the query's words appear in one field consecutively and in order (stop words in
/// between are ignored, since they are not indexed).
fn has_phrase(doc: &Doc, query: &Query) -> bool {
    let wanted = query.slots.len();
    doc.fields
        .iter()
        .filter(|field| field.role != Role::Tag)
        .any(|field| {
            // How many of the query's words, in order, end at this word. Restarting at the
            // first word on a mismatch is enough, since each slot is a different word.
            let mut run = 0;
            for token in parts(field) {
                let slots = query.slots_of(token.term);
                run = if slots & (1 << run) != 0 {
                    run + 1
                } else {
                    usize::from(slots & 1 != 0)
                };
                if run == wanted {
                    return true;
                }
            }
            false
        })
}

/// About [`SNIPPET_WORDS`] words of the document's best-matching body text, around its
/// densest cluster of matches, with the matched words highlighted.
fn snippet(doc: &Doc, query: &Query) -> Vec<Segment> {
    // Titles are shown anyway and tags are labels, so the snippet comes from the body: the
    // field matching the most query words, then with the most matches, then the first.
    let mut best: Option<(&Field, (u32, usize))> = None;
    for field in doc.fields.iter().filter(|field| field.role == Role::Body) {
        let mut slots = 0;
        let mut count = 0;
        for token in &field.tokens {
            let matched = query.slots_of(token.term);
            if matched != 0 {
                slots |= matched;
                count += 1;
            }
        }
        let rank = (slots.count_ones(), count);
        if best.is_none_or(|(_, best_rank)| rank > best_rank) {
            best = Some((field, rank));
        }
    }
    let Some(field) = best.map(|(field, _)| field).or_else(|| doc.fields.first()) else {
        return Vec::new();
    };

    // Matched byte ranges, merged where a joined form overlaps its parts.
    let mut found: Vec<(usize, usize, u32)> = field
        .tokens
        .iter()
        .map(|token| (token.start, token.end, query.slots_of(token.term)))
        .filter(|&(_, _, slots)| slots != 0)
        .collect();
    found.sort_unstable();
    let mut marks: Vec<(usize, usize, u32)> = Vec::with_capacity(found.len());
    for (start, end, slots) in found {
        match marks.last_mut() {
            Some(last) if start < last.1 => {
                last.1 = last.1.max(end);
                last.2 |= slots;
            }
            _ => marks.push((start, end, slots)),
        }
    }

    let spans = &field.words;
    let word_of = |byte: usize| spans.partition_point(|&(_, end)| end <= byte);
    let window = SNIPPET_WORDS - SNIPPET_LEAD_WORDS;
    // The window starting at some match that covers the most query words, then the most
    // matches; the earliest wins ties.
    let mut first_word = 0;
    let mut best_rank = (0, 0);
    for (i, mark) in marks.iter().enumerate() {
        let start = word_of(mark.0);
        let mut slots = 0_u32;
        let mut count = 0;
        for later in marks[i..]
            .iter()
            .take_while(|later| word_of(later.0) < start + window)
        {
            slots |= later.2;
            count += 1;
        }
        let rank = (slots.count_ones(), count);
        if rank > best_rank {
            best_rank = rank;
            first_word = start;
        }
    }
    let end = (first_word.saturating_sub(SNIPPET_LEAD_WORDS) + SNIPPET_WORDS).min(spans.len());
    let start = end.saturating_sub(SNIPPET_WORDS);
    let (Some(&(from, _)), Some(&(_, mut to))) = (spans.get(start), spans.get(end.wrapping_sub(1)))
    else {
        return Vec::new();
    };
    // The window keeps the text's own spacing, which HTML collapses anyway, and is cut
    // short if its words are very long.
    let mut cut = end < spans.len();
    if let Some((at, _)) = field.text[from..to].char_indices().nth(MAX_SNIPPET_CHARS) {
        to = from + at;
        cut = true;
    }

    let mut segments = Vec::new();
    if start > 0 {
        push_segment(&mut segments, "… ", false);
    }
    let mut at = from;
    for &(mark_start, mark_end, _) in &marks {
        let (mark_start, mark_end) = (mark_start.max(at), mark_end.min(to));
        if mark_start >= mark_end {
            continue;
        }
        push_segment(&mut segments, &field.text[at..mark_start], false);
        push_segment(&mut segments, &field.text[mark_start..mark_end], true);
        at = mark_end;
    }
    push_segment(&mut segments, &field.text[at..to], false);
    if cut {
        push_segment(&mut segments, " …", false);
    }
    segments
}

/// Appends text, merging it into the last segment when that is marked the same way.
fn push_segment(segments: &mut Vec<Segment>, text: &str, highlighted: bool) {
    if text.is_empty() {
        return;
    }
    match segments.last_mut() {
        Some(last) if last.highlighted == highlighted => last.text.push_str(text),
        _ => segments.push(Segment {
            text: text.to_owned(),
            highlighted,
        }),
    }
}

/// The byte range of each whitespace-separated word of `text`.
fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (at, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(from)) => {
                spans.push((from, at));
                start = None;
            }
            (false, None) => start = Some(at),
            _ => {}
        }
    }
    if let Some(from) = start {
        spans.push((from, text.len()));
    }
    spans
}

/// A word found in text, folded to lower case without accents, before stemming.
struct RawWord {
    folded: String,
    start: usize,
    end: usize,
    /// The joined form of a compound such as `ASQ-3`, spanning its parts.
    joined: bool,
    /// Which whitespace-separated chunk of the text the word is in.
    chunk: usize,
}

/// Splits text into words: runs of letters and digits, where an apostrophe inside a word
/// does not split it (`baby's` is `babys`) and decomposed accents are dropped. A chunk of two or more words joined by
/// punctuation (`ASQ:SE-2`, `post-natal`) also yields the words run together.
fn words(text: &str) -> Vec<RawWord> {
    let mut words = Vec::new();
    let mut current = String::new();
    let (mut start, mut end) = (0, 0);
    let mut chunk = 0;
    let mut chunk_first = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c.is_alphanumeric() {
            if current.is_empty() {
                start = at;
            }
            fold_into(c, &mut current);
            end = at + c.len_utf8();
        } else if is_combining_mark(c) {
            // `e` followed by U+0301 is `é` written in two parts: fold it like `é`.
            if !current.is_empty() {
                end = at + c.len_utf8();
            }
        } else if is_apostrophe(c)
            && !current.is_empty()
            && chars
                .peek()
                .is_some_and(|&(_, next)| next.is_alphanumeric())
        {
            // Inside a word: `baby's` stays one word so that it stems to `baby`.
        } else {
            finish_word(&mut words, &mut current, start, end, chunk);
            if c.is_whitespace() {
                finish_chunk(&mut words, chunk_first);
                chunk += 1;
                chunk_first = words.len();
            }
        }
    }
    finish_word(&mut words, &mut current, start, end, chunk);
    finish_chunk(&mut words, chunk_first);
    words
}

fn finish_word(
    words: &mut Vec<RawWord>,
    current: &mut String,
    start: usize,
    end: usize,
    chunk: usize,
) {
    if !current.is_empty() {
        words.push(RawWord {
            folded: std::mem::take(current),
            start,
            end,
            joined: false,
            chunk,
        });
    }
}

fn finish_chunk(words: &mut Vec<RawWord>, chunk_first: usize) {
    let parts = &words[chunk_first..];
    if let (Some(first), Some(last)) = (parts.first(), parts.last())
        && (2..=MAX_JOINED_PARTS).contains(&parts.len())
    {
        let joined = RawWord {
            folded: parts.iter().map(|part| part.folded.as_str()).collect(),
            start: first.start,
            end: last.end,
            joined: true,
            chunk: first.chunk,
        };
        words.push(joined);
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | '‘')
}

/// Combining diacritical marks, as found in decomposed (NFD) text.
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}')
}

/// Lower-cases `c` and strips common Latin accents, so that `crèche` matches `creche`.
fn fold_into(c: char, folded: &mut String) {
    for lower in c.to_lowercase() {
        let plain = match lower {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
            'ç' | 'ć' | 'č' => 'c',
            'ď' | 'đ' | 'ð' => 'd',
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
            'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => 'i',
            'ł' => 'l',
            'ñ' | 'ń' | 'ň' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
            'ŕ' | 'ř' => 'r',
            'ś' | 'š' | 'ş' => 's',
            'ť' | 'ţ' => 't',
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
            'ŵ' => 'w',
            'ý' | 'ÿ' | 'ŷ' => 'y',
            'ź' | 'ż' | 'ž' => 'z',
            'ß' => {
                folded.push_str("ss");
                continue;
            }
            'æ' => {
                folded.push_str("ae");
                continue;
            }
            'œ' => {
                folded.push_str("oe");
                continue;
            }
            // Lower-casing `İ` yields `i` and a combining dot.
            mark if is_combining_mark(mark) => continue,
            other => other,
        };
        folded.push(plain);
    }
}

/// Common words that say nothing about what someone is looking for, sorted for binary search.
/// Short, so that meaningful words in this content (`being`, `after`, `not`) stay searchable.
const STOP_WORDS: &[&str] = &[
    "a", "about", "also", "an", "and", "any", "are", "as", "at", "be", "been", "but", "by", "can",
    "could", "did", "do", "does", "for", "from", "had", "has", "have", "he", "her", "his", "how",
    "i", "if", "in", "into", "is", "it", "its", "may", "me", "my", "of", "on", "or", "our", "she",
    "so", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this",
    "those", "to", "was", "we", "were", "what", "when", "where", "which", "who", "why", "will",
    "with", "would", "you", "your",
];

fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// The index term for a folded word: US `-ize` spellings made UK, stemmed, then other
/// UK/US differences folded.
fn term_of(folded: &str) -> String {
    fold_spelling(stem(&fold_ize(folded)))
}

/// `organize`, `organized`, `organization` → `organise`…, before stemming so that both
/// spellings stem alike. Short words (`size`, `prize`) are left alone.
fn fold_ize(word: &str) -> Cow<'_, str> {
    const ENDINGS: &[(&str, &str)] = &[
        ("ization", "isation"),
        ("izations", "isations"),
        ("izing", "ising"),
        ("ized", "ised"),
        ("izes", "ises"),
        ("ize", "ise"),
    ];
    if word.len() >= 6 {
        for (us, uk) in ENDINGS {
            if let Some(base) = word.strip_suffix(us) {
                return Cow::Owned(format!("{base}{uk}"));
            }
        }
    }
    Cow::Borrowed(word)
}

/// Folds the remaining UK and US spellings to one form. The form is internal, so it only
/// has to be the same for both: `behaviour` and `behavior` both become `behavior`.
fn fold_spelling(mut term: String) -> String {
    const INFIXES: &[(&str, &str)] = &[
        ("iour", "ior"),
        ("bour", "bor"),
        ("lour", "lor"),
        ("vour", "vor"),
        ("mour", "mor"),
        ("paed", "ped"),
        ("foet", "fet"),
        ("haem", "hem"),
        ("anaes", "anes"),
        ("oestr", "estr"),
    ];
    // Stems, as `stem` leaves them (`centre` loses its final `e`).
    const WORDS: &[(&str, &str)] = &[
        ("centr", "center"),
        ("programm", "program"),
        ("licenc", "licens"),
        ("judgement", "judgment"),
        ("ageing", "aging"),
    ];
    for (uk, us) in INFIXES {
        if term.contains(uk) {
            term = term.replace(uk, us);
        }
    }
    for (uk, us) in WORDS {
        if term == *uk {
            return (*us).to_owned();
        }
    }
    term
}

/// A deliberately light stemmer: plurals, `-ed`, `-ing` and a final `e`, only on words long
/// enough that what is left is still a word, so that `relationships` → `relationship`,
/// `sharing`, `shared` and `share` all → `shar`, but `is`, `bus` and `care` stay as they are.
/// Anything it does not understand (non-ASCII, short words) is left unchanged.
fn stem(word: &str) -> String {
    if word.len() <= 3 || !word.is_ascii() {
        return word.to_owned();
    }
    let mut stem = if let Some(base) = word.strip_suffix("sses") {
        format!("{base}ss")
    } else if let Some(base) = word.strip_suffix("ies").filter(|base| base.len() >= 2) {
        format!("{base}y")
    } else if word.ends_with('s') && !["ss", "us", "is"].iter().any(|end| word.ends_with(end)) {
        word[..word.len() - 1].to_owned()
    } else {
        word.to_owned()
    };
    if let Some(base) = stem.strip_suffix("ied").filter(|base| base.len() >= 2) {
        stem = format!("{base}y");
    } else if let Some(base) = stem
        .strip_suffix("ing")
        .or_else(|| stem.strip_suffix("ed"))
        .filter(|base| base.len() >= 4)
    {
        stem = undouble(base).to_owned();
    }
    if stem.len() >= 5 && stem.ends_with('e') {
        stem.pop();
    }
    stem
}

/// `sett` → `set`, as left by `setting`; but `fall` and `miss` keep their double letter.
fn undouble(stem: &str) -> &str {
    let bytes = stem.as_bytes();
    match bytes {
        [.., a, b] if a == b && a.is_ascii_alphabetic() && !b"aeiouslz".contains(a) => {
            &stem[..stem.len() - 1]
        }
        _ => stem,
    }
}

#[cfg(test)]
mod tests;
