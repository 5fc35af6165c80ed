//! A query resolved against the index's terms, and the matches that boost a document: an
//! exact title and a phrase.

use super::*;

/// A query, resolved against the index's terms.
pub(super) struct Query {
    /// One per distinct searchable word, in query order.
    pub(super) slots: Vec<Slot>,
    /// Joined forms of compounds in the query (`asq3` for `ASQ-3`).
    pub(super) joined: Vec<Joined>,
    /// By term id, the slots the term matches: used to highlight snippets and to check
    /// phrases. Dense, because snippets look up every word of a field.
    pub(super) accept: Vec<u32>,
    /// The same for the words as typed, without completions: used to check titles.
    pub(super) exact: Vec<u32>,
}

pub(super) struct Slot {
    /// The stemmed word, to merge repeats.
    pub(super) stem: String,
    /// The word's term, if the index has it.
    pub(super) exact: Option<usize>,
    /// For the last word, other terms it is a prefix of.
    pub(super) completions: Vec<usize>,
}

impl Slot {
    /// The terms that match, with the weight of a match: the word as typed counts in full
    /// and completions at [`PREFIX_WEIGHT`].
    pub(super) fn terms(&self) -> impl Iterator<Item = (usize, f32)> {
        let completions = self.completions.iter().map(|&term| (term, PREFIX_WEIGHT));
        self.exact
            .map(|term| (term, 1.0))
            .into_iter()
            .chain(completions)
    }
}

/// A compound's joined form. Matching it counts as matching all its parts, so `ASQ3` in a
/// query finds `ASQ-3` in text and the other way round.
pub(super) struct Joined {
    pub(super) term: usize,
    pub(super) slots: u32,
}

impl Query {
    pub(super) fn parse(index: &SearchIndex, text: &str) -> Self {
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
    pub(super) fn all_slots(&self) -> u32 {
        (1_u32 << self.slots.len()) - 1
    }

    /// Whether no word of the query is in the index.
    pub(super) fn is_empty(&self) -> bool {
        self.joined.is_empty() && self.slots.iter().all(|slot| slot.terms().next().is_none())
    }

    /// The slots `term` counts for, if any.
    pub(super) fn slots_of(&self, term: usize) -> u32 {
        self.accept.get(term).copied().unwrap_or(0)
    }

    /// The slots `term` is typed for, if any.
    pub(super) fn exact_slots_of(&self, term: usize) -> u32 {
        self.exact.get(term).copied().unwrap_or(0)
    }
}

impl SearchIndex {
    /// Terms of every indexed word form that starts with `prefix`.
    pub(super) fn completions(&self, prefix: &str) -> Vec<usize> {
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
pub(super) fn compounds(tokens: &[Token]) -> Vec<usize> {
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
pub(super) fn is_exact_title(doc: &Doc, query: &Query) -> bool {
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
pub(super) fn has_phrase(doc: &Doc, query: &Query) -> bool {
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
