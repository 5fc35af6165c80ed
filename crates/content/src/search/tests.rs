//! Search over a small content set written for the purpose: each item is there to show one
//! ranking, tokenising or snippet rule.

use std::time::{Duration, Instant};

use super::drafts::shorten;
use super::words::STOP_WORDS;
use super::*;
use crate::{SourceFile, parse};

const CONTENT: &str = r#"
[[source]]
id = "toolkit-2023"
title = "Understanding and supporting mental health in infancy and early childhood"
publisher = "UNICEF UK"
year = 2023

[[fact]]
id = "pnd-common"
theme = "prevalence"
statement = "Postnatal depression affects about one in ten mothers, and many fathers too."
figure = "1 in 10"
sources = ["toolkit-2023"]

[[fact]]
id = "words-apart"
theme = "prevalence"
statement = "Depression is common in the year after birth; postnatal checks often miss it."
sources = ["toolkit-2023"]

[[prompt_theme]]
id = "reach"
title = "Fairness and reach"
summary = "Who gets help."

[[prompt]]
id = "hearing-about-support"
theme = "reach"
question = "How do families hear about the “support” that’s available, and who doesn't?"

[[word]]
id = "behaviour"
concept = "Behaviour that challenges"
terms = [{ profession = "early years practitioner", term = "behaviour" }]
difference = "Some see a problem in the child; others see a stage."
caution = "It can hide distress."
suggested = "what the child is telling us"

[[system_part]]
id = "health-visiting"
name = "Health visiting"
tier = "universal"
sector = "health"
description = "Health visitors see every family and talk about attachment and feeding at each visit."

[[system_part]]
id = "flying-start"
name = "Flying Start"
tier = "universal-plus"
sector = "local-authority"
description = "An early years programme."
nations = ["wales"]

[[element]]
id = "being-emotional-felt-safety"
dimension = "being"
domain = "emotional"
title = "Felt safety"
summary = "Feeling safe."
relationships = "Comes from responsive care."
language_cognition = "Frees attention for learning."
adults_support = ["Respond to cues"]
sources = ["toolkit-2023"]
[element.stages]
pregnancy = "Before birth."
0-6m = "Settles when held."
6-12m = "Seeks a familiar adult."
1-2y = "Explores and returns."
2-3y = "Names feelings."
3-5y = "Manages short separations."

[[level]]
id = "family"
title = "Family"
summary = "The household."

[[factor]]
id = "couple-conflict"
level = "family"
kind = "risk"
name = "Conflict between parents"
description = "Frequent conflict strains the baby's relationships with each parent."
sources = ["toolkit-2023"]

[[scenario]]
id = "temporary-housing"
title = "A new baby in a hostel"
age = "0-6m"
nation = "wales"
family = "single mother"
need = "universal-plus"
situation = "One two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty twenty-one twenty-two twenty-three twenty-four twenty-five twenty-six twenty-seven twenty-eight twenty-nine thirty thirty-one thirty-two thirty-three thirty-four thirty-five thirty-six thirty-seven thirty-eight thirty-nine forty. The family lost their housing and now share one room. Forty-one forty-two forty-three forty-four forty-five forty-six forty-seven forty-eight forty-nine fifty fifty-one fifty-two fifty-three fifty-four fifty-five fifty-six fifty-seven fifty-eight fifty-nine sixty."
levels = ["family"]
factors = ["couple-conflict"]
prompts = ["Who would notice?"]

[[measure]]
id = "asq-3"
acronym = "ASQ-3"
name = "Ages and Stages Questionnaires, Third Edition"
description = "A parent-completed screen of development."
purposes = ["screening"]
focus = ["child"]
elements = ["being-emotional-felt-safety"]
age_min_months = 1
age_max_months = 66
completed_by = ["parent"]
format = "questionnaire"
training = "Brief"
training_level = "none"
licence = "licensed"
cost = "Paid kit"
uk_use = "Health visiting reviews at two years."
sources = ["toolkit-2023"]

[[glossary_term]]
id = "attachment"
term = "attachment"
definition = "The emotional tie a baby forms with the adults who care for them."
aliases = ["attachments"]

[[glossary_term]]
id = "attunement"
term = "attunement"
definition = "Being in tune with a baby: noticing their signals and responding to them."
aliases = ["attuned"]

[[glossary_term]]
id = "postnatal-depression"
term = "postnatal depression"
definition = "Depression that starts in pregnancy or the first year after birth."
aliases = ["PND"]

[[glossary_term]]
id = "baby-blues"
term = "baby blues"
definition = "Low mood in the first days after birth that, unlike depression, soon passes."

[[glossary_term]]
id = "creche"
term = "crèche"
definition = "A place where babies are looked after for short periods."

[[glossary_term]]
id = "flying-start"
term = "Flying Start"
definition = "A Welsh Government programme."
"#;

fn index() -> SearchIndex {
    let files = [SourceFile {
        path: "content/search.toml".to_owned(),
        text: CONTENT.to_owned(),
    }];
    let content = parse(&files).unwrap_or_else(|problems| panic!("{problems:#?}"));
    SearchIndex::build(&content)
}

/// `kind:id` of each hit, best first.
fn ids(index: &SearchIndex, query: &str) -> Vec<String> {
    index
        .search(query, 20)
        .hits
        .iter()
        .map(|hit| format!("{}:{}", hit.kind.item_kind(), hit.id))
        .collect()
}

/// The snippet with highlights in brackets, for readable assertions.
fn marked(hit: &Hit) -> String {
    hit.snippet
        .iter()
        .map(|segment| {
            if segment.highlighted {
                format!("[{}]", segment.text)
            } else {
                segment.text.clone()
            }
        })
        .collect()
}

#[test]
fn indexes_every_searchable_item() {
    // Everything but the source, prompt theme and competency domain kinds.
    assert_eq!(index().len(), 17);
}

#[test]
fn a_title_match_beats_a_body_match() {
    let found = ids(&index(), "attachment");
    assert_eq!(
        found,
        ["glossary_term:attachment", "system_part:health-visiting"]
    );
}

#[test]
fn the_exact_title_ranks_first_then_items_with_more_of_the_words() {
    let index = index();
    let found = ids(&index, "postnatal depression");
    assert_eq!(found[0], "glossary_term:postnatal-depression");
    // The fact has the phrase; the second fact has both words apart; baby blues has one.
    assert_eq!(found[1], "fact:pnd-common");
    assert_eq!(found[2], "fact:words-apart");
    assert_eq!(found[3], "glossary_term:baby-blues");
    assert_eq!(index.search("postnatal depression", 20).total, 4);
}

#[test]
fn an_alias_or_acronym_counts_as_a_title() {
    let index = index();
    assert_eq!(ids(&index, "PND"), ["glossary_term:postnatal-depression"]);
    assert_eq!(ids(&index, "attuned"), ["glossary_term:attunement"]);
    assert_eq!(ids(&index, "ASQ-3")[0], "measure:asq-3");
}

#[test]
fn compounds_match_split_or_joined() {
    let index = index();
    for query in ["ASQ-3", "asq3", "ASQ 3", "asq:3"] {
        assert_eq!(ids(&index, query)[0], "measure:asq-3", "{query}");
    }
    let hit = &index.search("asq3", 1).hits[0];
    assert!(hit.score > 0.0);
}

#[test]
fn the_last_word_matches_as_a_prefix() {
    let index = index();
    assert_eq!(ids(&index, "attach")[0], "glossary_term:attachment");
    let found = ids(&index, "att");
    assert!(found.contains(&"glossary_term:attachment".to_owned()));
    assert!(found.contains(&"glossary_term:attunement".to_owned()));
    // Two letters are too few to complete.
    assert!(ids(&index, "fl").is_empty());
    // Only the last word completes.
    assert!(
        ids(&index, "attach postnatal")
            .iter()
            .all(|id| !id.contains("attachment"))
    );
    // A completed word highlights in full.
    let hit = &index.search("attun", 1).hits[0];
    assert_eq!(hit.id, "attunement");
}

#[test]
fn plurals_and_word_forms_match() {
    let index = index();
    // `relationships` in the text, `relationship` in the query, and the other way round.
    assert_eq!(ids(&index, "relationship"), ["factor:couple-conflict"]);
    assert_eq!(ids(&index, "conflicts"), ["factor:couple-conflict"]);
    assert_eq!(ids(&index, "visitor")[0], "system_part:health-visiting");
    assert_eq!(ids(&index, "baby's blue")[0], "glossary_term:baby-blues");
}

#[test]
fn us_spellings_and_accents_fold() {
    let index = index();
    assert_eq!(ids(&index, "behavior")[0], "word:behaviour");
    assert_eq!(ids(&index, "creche"), ["glossary_term:creche"]);
    assert_eq!(ids(&index, "CRÈCHE"), ["glossary_term:creche"]);
    // Decomposed: `e` then a combining grave accent.
    assert_eq!(ids(&index, "cre\u{300}che"), ["glossary_term:creche"]);
    let hit = &index.search("creche", 1).hits[0];
    assert_eq!(hit.title, "crèche");
}

#[test]
fn the_stemmer_is_light_and_leaves_short_words_alone() {
    let same = |a: &str, b: &str| assert_eq!(term_of(a), term_of(b), "{a} / {b}");
    same("relationships", "relationship");
    same("babies", "baby");
    same("families", "family");
    same("feeding", "feed");
    same("feelings", "feeling");
    same("share", "shared");
    same("sharing", "shares");
    same("setting", "sets");
    same("embedded", "embed");
    same("worried", "worry");
    same("approaches", "approach");
    same("behaviour", "behavior");
    same("behavioural", "behavioral");
    same("organisation", "organization");
    same("recognised", "recognized");
    same("centre", "center");
    same("programme", "programs");
    same("paediatric", "pediatric");
    for unchanged in [
        "attunement",
        "is",
        "us",
        "bus",
        "gas",
        "was",
        "care",
        "this",
        "analysis",
        "focus",
        "stress",
        "being",
        "thing",
        "need",
        "used",
        "2023",
        "中文",
    ] {
        assert_eq!(term_of(unchanged), unchanged);
    }
    // Different words stay different.
    assert_ne!(term_of("care"), term_of("car"));
    assert_ne!(term_of("bite"), term_of("bit"));
    assert_ne!(term_of("caring"), term_of("car"));
}

#[test]
fn the_snippet_highlights_the_matched_words() {
    let index = index();
    let results = index.search("postnatal depression", 5);
    let fact = results
        .hits
        .iter()
        .find(|hit| hit.id == "pnd-common")
        .unwrap();
    assert_eq!(
        marked(fact),
        "[Postnatal] [depression] affects about one in ten mothers, and many fathers too."
    );
    let highlighted: Vec<&str> = fact
        .snippet
        .iter()
        .filter(|segment| segment.highlighted)
        .map(|segment| segment.text.as_str())
        .collect();
    assert_eq!(highlighted, ["Postnatal", "depression"]);

    // Punctuation and quotes stay outside the highlight; the apostrophe word is whole.
    let prompt = &index.search("support", 1).hits[0];
    assert_eq!(
        marked(prompt),
        "How do families hear about the “[support]” that’s available, and who doesn't?"
    );
    // A compound is highlighted whole.
    let measure = &index.search("asq3", 1).hits[0];
    assert_eq!(measure.id, "asq-3");
}

#[test]
fn the_snippet_is_a_bounded_window_around_the_match() {
    let index = index();
    let hit = &index.search("housing", 1).hits[0];
    assert_eq!(hit.id, "temporary-housing");
    let text = marked(hit);
    assert!(text.starts_with("… "), "{text}");
    assert!(text.ends_with(" …"), "{text}");
    assert!(text.contains("lost their [housing] and"), "{text}");
    let words = text.split_whitespace().filter(|word| *word != "…").count();
    assert_eq!(words, SNIPPET_WORDS, "{text}");
    // The match comes a few words in, so it reads in context.
    let before: Vec<&str> = text
        .split("[housing]")
        .next()
        .unwrap()
        .split_whitespace()
        .collect();
    assert!((4..=8).contains(&before.len()), "{text}");
}

#[test]
fn the_snippet_is_bounded_in_characters_too() {
    let long_word = "x".repeat(5_000);
    let draft = Draft::new(DocKind::Fact, "long", "Long".to_owned()).field(
        Role::Body,
        format!("start {long_word} needle {long_word} end"),
    );
    let index = SearchIndex::from_drafts(vec![draft]);
    let hit = &index.search("start", 1).hits[0];
    let chars: usize = hit.snippet.iter().map(|s| s.text.chars().count()).sum();
    assert!(chars <= MAX_SNIPPET_CHARS + 4, "{chars}");
    assert!(marked(hit).starts_with("[start] x"));
}

#[test]
fn empty_and_stop_word_queries_find_nothing() {
    let index = index();
    for query in ["", "   ", "\n\t", "the", "and of the", "!!! ???", "—", "'"] {
        let results = index.search(query, 10);
        assert_eq!(results, SearchResults::default(), "{query:?}");
    }
}

#[test]
fn unknown_words_find_nothing() {
    assert_eq!(index().search("zzzz qqqq", 10).total, 0);
}

#[test]
fn odd_input_never_panics() {
    let index = index();
    for query in [
        "👶🏽 attachment 🍼",
        "\"attachment\"",
        "‘attachment’",
        "«attachment»",
        "attachment\0",
        "ــــ عربى",
        "中文 attachment",
        "İstanbul",
        "ǅ ß ﬁ",
        "\u{301}\u{301}attachment",
        "'''",
        "a'b'c'd",
        "x-y-z-w-v-u",
        "1½–5",
        "\u{200d}\u{fe0f}",
    ] {
        let results = index.search(query, 10);
        for hit in &results.hits {
            assert!(!hit.snippet.is_empty(), "{query:?}");
        }
    }
    assert_eq!(
        ids(&index, "👶🏽 attachment 🍼")[0],
        "glossary_term:attachment"
    );
    assert_eq!(ids(&index, "“attachment”")[0], "glossary_term:attachment");
}

#[test]
fn very_long_queries_are_cut_and_stay_fast() {
    let index = index();
    let long = "attachment ".repeat(1_000);
    assert!(long.len() >= 10_000);
    let unique: String = (0..2_000).map(|n| format!("word{n} ")).collect();
    let one_word = "a".repeat(10_000);
    for query in [&long, &unique, &one_word] {
        let started = Instant::now();
        let results = index.search(query, 10);
        // Generous, for slow debug builds on a busy machine; it takes microseconds.
        assert!(started.elapsed() < Duration::from_millis(200));
        assert!(results.hits.len() <= 10);
    }
    assert_eq!(ids(&index, &long)[0], "glossary_term:attachment");
    let query = Query::parse(&index, &unique);
    assert_eq!(query.slots.len(), MAX_QUERY_WORDS);
}

#[test]
fn equal_scores_are_ordered_by_kind_then_id() {
    let index = index();
    let results = index.search("flying start", 10);
    let found: Vec<(DocKind, &str)> = results
        .hits
        .iter()
        .map(|hit| (hit.kind, hit.id.as_str()))
        .collect();
    // Then postnatal depression, which `starts` in pregnancy.
    assert_eq!(
        found,
        [
            (DocKind::SystemPart, "flying-start"),
            (DocKind::GlossaryTerm, "flying-start"),
            (DocKind::GlossaryTerm, "postnatal-depression"),
        ]
    );
    assert_eq!(results.hits[0].score, results.hits[1].score);
    // And the same query always gives the same answer.
    assert_eq!(index.search("flying start", 10), results);
}

#[test]
fn the_limit_bounds_hits_but_not_the_total() {
    let index = index();
    let results = index.search("depression", 1);
    assert_eq!(results.hits.len(), 1);
    assert_eq!(results.total, 4);
    let none = index.search("depression", 0);
    assert!(none.hits.is_empty());
    assert_eq!(none.total, 4);
}

#[test]
fn hits_carry_kind_labels_and_natural_titles() {
    let index = index();
    let measure = &index.search("asq", 1).hits[0];
    assert_eq!(measure.kind.label(), "Measure");
    assert_eq!(
        measure.title,
        "ASQ-3 – Ages and Stages Questionnaires, Third Edition"
    );
    let prompt = &index.search("families hear", 1).hits[0];
    assert_eq!(prompt.kind, DocKind::Prompt);
    assert_eq!(
        prompt.title,
        "How do families hear about the “support” that’s available, and who doesn't?"
    );
    assert_eq!(DocKind::GlossaryTerm.label(), "Glossary term");
    assert_eq!(DocKind::Element.label(), "Framework element");
    assert_eq!(DocKind::ALL.len(), 14);
}

#[test]
fn long_titles_are_shortened_at_a_word() {
    let long = "word ".repeat(40);
    let short = shorten(&long);
    assert!(short.ends_with("word…"), "{short}");
    assert!(short.chars().count() <= MAX_TITLE_CHARS + 1);
    assert_eq!(shorten("Short,\n  on two lines."), "Short, on two lines.");
    let huge = shorten(&"y".repeat(500));
    assert_eq!(huge.chars().count(), MAX_TITLE_CHARS + 1);
}

#[test]
fn tokens_keep_apostrophes_inside_words_and_join_compounds() {
    let folded = |text: &str| -> Vec<String> {
        words(text)
            .into_iter()
            .map(|word| {
                if word.joined {
                    format!("+{}", word.folded)
                } else {
                    word.folded
                }
            })
            .collect()
    };
    assert_eq!(
        folded("Baby’s ASQ:SE-2"),
        ["babys", "asq", "se", "2", "+asqse2"]
    );
    assert_eq!(folded("'quoted' words"), ["quoted", "words"]);
    assert_eq!(
        folded("Crèche ŴYRES Straße"),
        ["creche", "wyres", "strasse"]
    );
    assert_eq!(folded("one – two"), ["one", "two"]);
}

#[test]
fn stop_words_are_sorted_for_binary_search() {
    assert!(STOP_WORDS.windows(2).all(|pair| pair[0] < pair[1]));
    assert!(is_stop_word("the"));
    assert!(!is_stop_word("being"));
}
