//! One test per rule: a small valid content set, plus a second file that breaks one rule,
//! asserting the exact `file:line: reason` an editor would see.

use cradle_domain::{EcoLevel, Stage};

use crate::{Content, SourceFile, parse};

mod prevalence;
mod references;

/// One item of every kind, all valid and cross-referenced.
const VALID: &str = r#"
[[source]]
id = "toolkit-2023"
title = "Understanding and supporting mental health in infancy and early childhood"
publisher = "UNICEF UK"
year = 2023

[[fact]]
id = "one-in-five"
theme = "prevalence"
statement = "Many mothers have a mental health problem in the perinatal period."
figure = "1 in 5"
sources = ["toolkit-2023"]

[[prompt_theme]]
id = "vision"
title = "Vision"
summary = "What the partnership wants for babies."

[[prompt]]
id = "shared-vision"
theme = "vision"
question = "What would a good start look like here?"

[[word]]
id = "attachment"
concept = "The bond a baby forms with a caregiver."
terms = [{ profession = "health visitor", term = "attachment" }]
difference = "Some use it loosely."
caution = "It can sound like blame."
suggested = "close relationship"

[[system_part]]
id = "health-visiting"
name = "Health visiting"
tier = "universal"
sector = "health"
description = "Visits every family."
nations = ["england"]

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
id = "parental-depression"
level = "family"
kind = "risk"
name = "Parental depression"
description = "Makes responsive care harder."
sources = ["toolkit-2023"]

[[scenario]]
id = "new-baby-in-temporary-housing"
title = "A new baby in temporary housing"
age = "0-6m"
nation = "wales"
family = "single mother"
need = "universal-plus"
situation = "An invented story."
levels = ["family"]
factors = ["parental-depression"]
prompts = ["Who would notice?"]

[[case_study]]
id = "joined-up-front-door"
title = "A joined-up front door"
nation = "scotland"
illustrative = true
summary = "A composite partnership."
what_they_did = "Shared a front door."
what_changed = "Fewer families fell through gaps."
levels = ["family"]
characteristics = ["shared-vision-leadership"]

[[characteristic]]
id = "shared-vision-leadership"
title = "Shared vision and leadership"
summary = "Leaders agree what matters."
maturity = ["a", "b", "c", "d"]
evidence_prompts = ["Is there a written vision?"]
tools = ["toolkit-2023"]
sources = ["toolkit-2023"]

[[competency_domain]]
id = "relationships"
title = "Relationships"
summary = "Working with relationships."

[[competency]]
id = "notice-cues"
domain = "relationships"
statement = "Notices a baby's cues."
level = "informed"
sources = ["toolkit-2023"]

[[measure]]
id = "asq-se-2"
acronym = "ASQ:SE-2"
name = "Ages and Stages Questionnaires: Social-Emotional"
description = "A parent-completed screen."
purposes = ["screening"]
focus = ["child"]
elements = ["being-emotional-felt-safety"]
age_min_months = 1
age_max_months = 72
completed_by = ["parent"]
format = "questionnaire"
training = "Brief"
training_level = "none"
licence = "licensed"
cost = "Paid kit"
uk_use = "Health visiting reviews."
sources = ["toolkit-2023"]

[[indicator]]
id = "good-level-of-development"
name = "Good level of development"
definition = "Children reaching expected levels."
publisher = "toolkit-2023"
geography = "local authority"
frequency = "yearly"
nations = ["england"]

[[prevalence]]
id = "postpartum-psychosis"
title = "Postpartum psychosis"
figure = 2
low = 0.89
high = 2.6
per = 1000
population = "births"
tier = "specialist"
note = "Rare but an emergency."
sources = ["toolkit-2023"]

[[glossary_term]]
id = "attunement"
term = "Attunement"
definition = "Tuning in to a baby."
aliases = ["attuned"]
related = ["secure-attachment"]

[[glossary_term]]
id = "secure-attachment"
term = "Secure attachment"
definition = "Trust that a caregiver will respond."
"#;

fn parse_with(broken: &str) -> Result<Content, Vec<String>> {
    let files = [
        SourceFile {
            path: "content/valid.toml".to_owned(),
            text: VALID.to_owned(),
        },
        SourceFile {
            path: "content/broken.toml".to_owned(),
            text: broken.to_owned(),
        },
    ];
    parse(&files).map_err(|problems| problems.iter().map(ToString::to_string).collect())
}

/// The problems `broken` causes beside the valid content, as `file:line: reason`.
#[track_caller]
fn problems(broken: &str) -> Vec<String> {
    match parse_with(broken) {
        Ok(_) => panic!("expected problems, but the content is valid"),
        Err(problems) => problems,
    }
}

#[track_caller]
fn assert_problems(broken: &str, expected: &[&str]) {
    assert_eq!(problems(broken), expected);
}

#[test]
fn valid_content_has_every_kind_indexed_by_id() {
    let content = parse_with("").unwrap();
    for (label, count) in content.counts() {
        let expected = if label == "glossary terms" { 2 } else { 1 };
        assert_eq!(count, expected, "{label}");
    }
    let element = content
        .elements
        .by_id("being-emotional-felt-safety")
        .unwrap();
    assert_eq!(element.at_stage(Stage::TwoToThreeYears), "Names feelings.");
    assert_eq!(content.levels.by_id("family").unwrap().id, EcoLevel::Family);
    assert_eq!(content.glossary.position("secure-attachment"), Some(1));
    assert!(!content.facts.contains("missing"));
}

#[test]
fn counts_use_labels_for_people() {
    let content = parse_with("").unwrap();
    let labels: Vec<_> = content
        .counts()
        .into_iter()
        .map(|(label, _)| label)
        .collect();
    assert!(labels.contains(&"glossary terms"));
    assert!(labels.contains(&"measures"));
    assert!(labels.contains(&"risk and protective factors"));
}

#[test]
fn glossary_matchers_put_longer_phrases_first() {
    let content = parse_with("").unwrap();
    let matchers = content.glossary_matchers();
    let phrases: Vec<_> = matchers.iter().map(|(phrase, _)| phrase.as_str()).collect();
    assert_eq!(phrases, ["secure attachment", "attunement", "attuned"]);
    assert_eq!(matchers[2].1, "attunement");
}

#[test]
fn duplicate_id_names_where_the_first_is() {
    assert_problems(
        r#"
[[fact]]
id = "one-in-five"
theme = "costs"
statement = "Another."
sources = ["toolkit-2023"]
"#,
        &[
            "content/broken.toml:3: fact `one-in-five`: duplicate id; the first is at content/valid.toml:9",
        ],
    );
}

#[test]
fn the_same_id_in_two_kinds_is_fine() {
    assert!(
        parse_with(
            r#"
[[prompt_theme]]
id = "attunement"
title = "Attunement"
summary = "Tuning in."
"#
        )
        .is_ok()
    );
}

#[test]
fn ids_must_be_lower_case_words_joined_by_hyphens() {
    for id in [
        "Bad",
        "bad_id",
        "double--hyphen",
        "-leading",
        "trailing-",
        "sp ace",
    ] {
        let broken = format!("[[prompt_theme]]\nid = \"{id}\"\ntitle = \"T\"\nsummary = \"S\"\n");
        assert_eq!(
            problems(&broken),
            [format!(
                "content/broken.toml:2: prompt_theme `{id}`: id must be lower-case letters and \
                 digits joined by single hyphens, e.g. `perinatal-depression`"
            )]
        );
    }
    assert_problems(
        "[[prompt_theme]]\nid = \" \"\ntitle = \"T\"\nsummary = \"S\"\n",
        &["content/broken.toml:2: prompt_theme: `id` must not be blank"],
    );
}

#[test]
fn a_source_needs_title_publisher_and_a_plausible_year() {
    assert_problems(
        r#"
[[source]]
id = "no-year"
title = "T"
publisher = "P"

[[source]]
id = "blank-title"
title = "  "
publisher = "P"
year = 2020

[[source]]
id = "no-publisher"
title = "T"
year = 2020

[[source]]
id = "too-old"
title = "T"
publisher = "P"
year = 1850
"#,
        &[
            "content/broken.toml:2: source `no-year`: missing field `year`",
            "content/broken.toml:9: source `blank-title`: `title` must not be blank",
            "content/broken.toml:13: source `no-publisher`: missing field `publisher`",
            "content/broken.toml:22: source `too-old`: `year` 1850 is not between 1900 and 2100",
        ],
    );
}

#[test]
fn required_text_must_not_be_blank_and_optional_text_not_written_blank() {
    assert_problems(
        r#"
[[prompt]]
id = "p"
theme = "vision"
question = ""
guidance = " "
"#,
        &[
            "content/broken.toml:5: prompt `p`: `question` must not be blank",
            "content/broken.toml:6: prompt `p`: `guidance` is blank; leave it out instead",
        ],
    );
}

#[test]
fn lists_marked_required_need_an_entry_and_no_blank_entries() {
    assert_problems(
        r#"
[[word]]
id = "w"
concept = "C"
terms = [{ profession = "", term = "T" }]
difference = "D"
caution = "C"
suggested = "S"

[[scenario]]
id = "s"
title = "T"
age = "pregnancy"
nation = "england"
family = "F"
need = "acute"
situation = "S"
levels = []
prompts = ["", "Q?"]
"#,
        &[
            "content/broken.toml:5: word `w`: `terms` entry 1 has a blank `profession`",
            "content/broken.toml:18: scenario `s`: `levels` must hold at least one entry",
            "content/broken.toml:19: scenario `s`: `prompts` entry 1 is blank",
        ],
    );
}

#[test]
fn a_stage_outside_the_list_names_the_allowed_stages() {
    assert_problems(
        r#"
[[scenario]]
id = "s"
title = "T"
age = "0-3m"
nation = "england"
family = "F"
need = "acute"
situation = "S"
levels = ["family"]
prompts = ["Q?"]
"#,
        &[
            "content/broken.toml:5: scenario `s`, field `age`: unknown stage `0-3m`; expected one \
           of: pregnancy, 0-6m, 6-12m, 1-2y, 2-3y, 3-5y",
        ],
    );
}

#[test]
fn vocabulary_values_outside_their_lists_are_named() {
    assert_problems(
        r#"
[[factor]]
id = "f"
level = "neighbourhood"
kind = "risk"
name = "N"
description = "D"
sources = ["toolkit-2023"]

[[system_part]]
id = "sp"
name = "N"
tier = "universal"
sector = "health"
description = "D"
nations = ["england", "ulster"]
"#,
        &[
            "content/broken.toml:4: factor `f`, field `level`: unknown level `neighbourhood`; \
             expected one of: child, caregiving, family, community, society, time",
            "content/broken.toml:16: system_part `sp`, field `nations`: unknown nation `ulster`; \
             expected one of: england, scotland, wales, northern-ireland",
        ],
    );
}

#[test]
fn an_element_needs_all_six_stages() {
    let broken = VALID
        .replace("2-3y = \"Names feelings.\"\n", "")
        .replace("3-5y = \"Manages short separations.\"\n", "3-5y = \"\"\n")
        .replace("[[source]]", "[[source_removed]]");
    let problems = problems(&broken);
    let stages: Vec<_> = problems.iter().filter(|p| p.contains("stages")).collect();
    assert_eq!(
        stages,
        [
            "content/broken.toml:51: element `being-emotional-felt-safety`: `stages` is missing \
             2-3y; every element needs all six: pregnancy, 0-6m, 6-12m, 1-2y, 2-3y, 3-5y",
            "content/broken.toml:51: element `being-emotional-felt-safety`: `stages` entry `3-5y` \
             is blank",
        ]
    );
}

#[test]
fn a_characteristic_needs_exactly_four_maturity_levels() {
    assert_problems(
        r#"
[[characteristic]]
id = "c"
title = "T"
summary = "S"
maturity = ["a", "b", "c"]
evidence_prompts = ["Q?"]
sources = ["toolkit-2023"]
"#,
        &[
            "content/broken.toml:6: characteristic `c`: `maturity` must hold exactly 4 \
           descriptions, in order: emerging, developing, established, embedded; found 3",
        ],
    );
}

#[test]
fn a_case_study_must_say_it_is_illustrative() {
    assert_problems(
        r#"
[[case_study]]
id = "c"
title = "T"
nation = "northern-ireland"
illustrative = false
summary = "S"
what_they_did = "W"
what_changed = "C"
levels = ["family"]
"#,
        &[
            "content/broken.toml:6: case_study `c`: `illustrative` must be true: case studies are \
           composites, never real places",
        ],
    );
}

#[test]
fn a_measure_age_range_must_run_forwards() {
    let broken = VALID
        .replace("age_min_months = 1", "age_min_months = 73")
        .replace("[[source]]", "[[source_removed]]");
    let problems = problems(&broken);
    let ages: Vec<_> = problems.iter().filter(|p| p.contains("age_min")).collect();
    assert_eq!(
        ages,
        [
            "content/broken.toml:124: measure `asq-se-2`: `age_min_months` (73) is greater than \
          `age_max_months` (72)"
        ]
    );
}

#[test]
fn misspelt_fields_and_kinds_are_reported() {
    assert_problems(
        r#"
[[prompt_theme]]
id = "t"
titel = "T"
summary = "S"

[[glossary]]
id = "g"
"#,
        &[
            "content/broken.toml:4: prompt_theme `t`: unknown field `titel`, expected one of \
             `id`, `title`, `summary`",
            "content/broken.toml:7: unknown kind `glossary`; expected one of: source, fact, \
             prompt_theme, prompt, word, system_part, element, level, factor, scenario, \
             case_study, characteristic, competency_domain, competency, measure, indicator, \
             prevalence, glossary_term",
        ],
    );
}

#[test]
fn a_single_table_instead_of_a_list_is_explained() {
    assert_problems(
        "[fact]\nid = \"f\"\n",
        &[
            "content/broken.toml:1: `fact` must be a list of tables: write each item under \
           `[[fact]]`",
        ],
    );
}

#[test]
fn syntax_errors_are_reported_without_false_missing_references() {
    // The source is unreadable, so the fact citing it must not be reported too.
    let files = [
        SourceFile {
            path: "content/a.toml".to_owned(),
            text: "[[source]]\nid = \"s\ntitle = \"T\"\n".to_owned(),
        },
        SourceFile {
            path: "content/b.toml".to_owned(),
            text: "[[fact]]\nid = \"f\"\ntheme = \"costs\"\nstatement = \"S\"\nsources = [\"s\"]\n"
                .to_owned(),
        },
    ];
    let problems: Vec<String> = parse(&files)
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        problems,
        ["content/a.toml:2: TOML syntax error: invalid basic string, expected `\"`"]
    );
}

#[test]
fn an_unreadable_item_is_not_also_reported_as_a_missing_reference() {
    assert_problems(
        r#"
[[prompt_theme]]
id = "broken-theme"
title = "T"

[[prompt]]
id = "p"
theme = "broken-theme"
question = "Q?"
"#,
        &["content/broken.toml:2: prompt_theme `broken-theme`: missing field `summary`"],
    );
}

#[test]
fn each_glossary_phrase_links_to_one_term() {
    assert_problems(
        r#"
[[glossary_term]]
id = "attuned-care"
term = "Attuned care"
definition = "D"
aliases = ["Attuned"]
"#,
        &[
            "content/broken.toml:6: glossary_term `attuned-care`: the phrase `attuned` in \
           `aliases` already links to glossary_term `attunement`",
        ],
    );
}

#[test]
fn problems_are_sorted_by_file_then_line() {
    let files = [
        SourceFile {
            path: "content/z.toml".to_owned(),
            text: "[[level]]\nid = \"child\"\ntitle = \"\"\nsummary = \"\"\n".to_owned(),
        },
        SourceFile {
            path: "content/a.toml".to_owned(),
            text: "[[prompt_theme]]\nid = \"Bad\"\ntitle = \"T\"\nsummary = \"S\"\n".to_owned(),
        },
    ];
    let lines: Vec<String> = parse(&files)
        .unwrap_err()
        .iter()
        .map(|p| format!("{}:{}", p.file, p.line))
        .collect();
    assert_eq!(
        lines,
        ["content/z.toml:3", "content/z.toml:4", "content/a.toml:2"]
    );
}
