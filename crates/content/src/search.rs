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

mod drafts;
mod query;
mod snippet;
mod words;

use drafts::{Draft, drafts};
use query::{Query, compounds, has_phrase, is_exact_title};
use snippet::{snippet, word_spans};
use words::{is_stop_word, term_of, words};

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

#[cfg(test)]
mod tests;
