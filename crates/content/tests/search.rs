//! Search over the national baseline content shipped in the binary: the queries people are
//! most likely to type find what they should.

use cradle_content::{Content, DocKind, Hit, SearchIndex, embedded, report};
use cradle_domain::Nation;

fn content() -> Content {
    embedded().unwrap_or_else(|problems| panic!("{}", report(&problems)))
}

fn top(index: &SearchIndex, query: &str, n: usize) -> Vec<(DocKind, String)> {
    index
        .search(query, n)
        .hits
        .into_iter()
        .map(|hit| (hit.kind, hit.id))
        .collect()
}

#[test]
fn every_searchable_item_is_indexed() {
    let content = content();
    let index = SearchIndex::build(&content);
    let expected = content.facts.len()
        + content.prompts.len()
        + content.words.len()
        + content.system_parts.len()
        + content.elements.len()
        + content.levels.len()
        + content.factors.len()
        + content.scenarios.len()
        + content.case_studies.len()
        + content.characteristics.len()
        + content.competencies.len()
        + content.measures.len()
        + content.indicators.len()
        + content.glossary.len();
    assert_eq!(index.len(), expected);
}

#[test]
fn attachment_finds_the_glossary_term_near_the_top() {
    let index = SearchIndex::build(&content());
    let found = top(&index, "attachment", 3);
    assert!(
        found.contains(&(DocKind::GlossaryTerm, "attachment".to_owned())),
        "{found:?}"
    );
}

#[test]
fn epds_finds_the_measure_first() {
    let index = SearchIndex::build(&content());
    let found = top(&index, "EPDS", 3);
    assert_eq!(found[0], (DocKind::Measure, "epds".to_owned()), "{found:?}");
    // The glossary entry for it comes next.
    assert_eq!(
        found[1],
        (DocKind::GlossaryTerm, "epds".to_owned()),
        "{found:?}"
    );
}

#[test]
fn postnatal_depression_finds_the_glossary_term_first() {
    let index = SearchIndex::build(&content());
    let found = top(&index, "postnatal depression", 5);
    assert_eq!(
        found[0],
        (DocKind::GlossaryTerm, "postnatal-depression".to_owned()),
        "{found:?}"
    );
}

#[test]
fn flying_start_finds_welsh_items() {
    let content = content();
    let index = SearchIndex::build(&content);
    let results = index.search("Flying Start", 5);
    let welsh = |hit: &Hit| match hit.kind {
        DocKind::SystemPart => content
            .system_parts
            .by_id(&hit.id)
            .is_some_and(|part| part.nations.contains(&Nation::Wales)),
        DocKind::Indicator => content
            .indicators
            .by_id(&hit.id)
            .is_some_and(|indicator| indicator.nations.contains(&Nation::Wales)),
        DocKind::GlossaryTerm => content
            .glossary
            .by_id(&hit.id)
            .is_some_and(|term| term.definition.contains("Wales")),
        _ => false,
    };
    assert!(results.hits.len() >= 3, "{:?}", results.hits);
    for hit in &results.hits[..3] {
        assert!(welsh(hit), "not Welsh: {} {}", hit.kind.label(), hit.id);
        assert!(hit.title.contains("Flying Start"), "{}", hit.title);
    }
}

#[test]
fn typing_a_prefix_finds_the_whole_word() {
    let index = SearchIndex::build(&content());
    let found = top(&index, "attach", 3);
    assert!(
        found.contains(&(DocKind::GlossaryTerm, "attachment".to_owned())),
        "{found:?}"
    );
}

#[test]
fn every_hit_names_an_item_that_exists_and_has_a_snippet() {
    let content = content();
    let index = SearchIndex::build(&content);
    for query in [
        "attachment",
        "father",
        "Wales",
        "health visiting",
        "ASQ-3",
        "behavior",
        "co-regulation",
        "risk",
        "what does a mentally healthy baby look like",
    ] {
        let results = index.search(query, 50);
        assert!(results.total >= results.hits.len());
        assert!(!results.hits.is_empty(), "{query}");
        for pair in results.hits.windows(2) {
            assert!(pair[0].score >= pair[1].score, "{query}: not in order");
        }
        for hit in &results.hits {
            let exists = match hit.kind {
                DocKind::Fact => content.facts.contains(&hit.id),
                DocKind::Prompt => content.prompts.contains(&hit.id),
                DocKind::Word => content.words.contains(&hit.id),
                DocKind::SystemPart => content.system_parts.contains(&hit.id),
                DocKind::Element => content.elements.contains(&hit.id),
                DocKind::Level => content.levels.contains(&hit.id),
                DocKind::Factor => content.factors.contains(&hit.id),
                DocKind::Scenario => content.scenarios.contains(&hit.id),
                DocKind::CaseStudy => content.case_studies.contains(&hit.id),
                DocKind::Characteristic => content.characteristics.contains(&hit.id),
                DocKind::Competency => content.competencies.contains(&hit.id),
                DocKind::Measure => content.measures.contains(&hit.id),
                DocKind::Indicator => content.indicators.contains(&hit.id),
                DocKind::GlossaryTerm => content.glossary.contains(&hit.id),
            };
            assert!(
                exists,
                "{query}: {} {} does not exist",
                hit.kind.label(),
                hit.id
            );
            assert!(!hit.title.is_empty());
            assert!(
                !hit.snippet.is_empty(),
                "{query}: {} has no snippet",
                hit.id
            );
            let words = hit
                .snippet
                .iter()
                .map(|segment| segment.text.as_str())
                .collect::<String>()
                .split_whitespace()
                .count();
            assert!(words <= 32, "{query}: {} snippet has {words} words", hit.id);
        }
    }
}
