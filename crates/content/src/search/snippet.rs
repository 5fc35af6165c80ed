//! The snippet shown under each result: the densest run of matches in a document's body,
//! with the matched words marked.

use super::*;

/// About [`SNIPPET_WORDS`] words of the document's best-matching body text, around its
/// densest cluster of matches, with the matched words highlighted.
pub(super) fn snippet(doc: &Doc, query: &Query) -> Vec<Segment> {
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
pub(super) fn word_spans(text: &str) -> Vec<(usize, usize)> {
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
