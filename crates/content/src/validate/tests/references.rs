//! Every reference resolves, to its own line, and every claim is cited.

use super::*;

#[test]
fn every_reference_must_resolve() {
    assert_problems(
        r#"
[[fact]]
id = "f"
theme = "costs"
statement = "S"
sources = ["toolkit-2023", "nowhere-2020"]

[[prompt]]
id = "p"
theme = "no-theme"
question = "Q?"

[[factor]]
id = "fa"
level = "society"
kind = "protective"
name = "N"
description = "D"
sources = ["toolkit-2023"]

[[scenario]]
id = "s"
title = "T"
age = "pregnancy"
nation = "england"
family = "two mothers"
need = "targeted"
situation = "S"
levels = ["family", "time"]
factors = ["no-factor"]
prompts = ["Q?"]

[[case_study]]
id = "c"
title = "T"
nation = "wales"
illustrative = true
summary = "S"
what_they_did = "W"
what_changed = "C"
levels = ["community"]
characteristics = ["no-characteristic"]

[[characteristic]]
id = "ch"
title = "T"
summary = "S"
maturity = ["a", "b", "c", "d"]
evidence_prompts = ["Q?"]
tools = ["no-tool"]
sources = ["toolkit-2023"]

[[competency]]
id = "co"
domain = "no-domain"
statement = "S"
level = "skilled"
sources = ["toolkit-2023"]

[[measure]]
id = "m"
acronym = "M"
name = "N"
description = "D"
purposes = ["outcome"]
focus = ["parent"]
elements = ["no-element"]
age_min_months = 0
age_max_months = 24
completed_by = ["parent"]
format = "rating-scale"
training = "T"
training_level = "none"
licence = "free"
cost = "None"
uk_use = "U"
sources = ["toolkit-2023"]

[[indicator]]
id = "i"
name = "N"
definition = "D"
publisher = "no-publisher"
geography = "local authority"
frequency = "quarterly"
nations = ["scotland"]

[[glossary_term]]
id = "g"
term = "G"
definition = "D"
related = ["no-term"]
sources = ["no-source"]
"#,
        &[
            "content/broken.toml:6: fact `f`: `sources` refers to unknown source `nowhere-2020`",
            "content/broken.toml:10: prompt `p`: `theme` refers to unknown prompt_theme `no-theme`",
            "content/broken.toml:15: factor `fa`: `level` refers to unknown level `society`",
            "content/broken.toml:29: scenario `s`: `levels` refers to unknown level `time`",
            "content/broken.toml:30: scenario `s`: `factors` refers to unknown factor `no-factor`",
            "content/broken.toml:41: case_study `c`: `levels` refers to unknown level `community`",
            "content/broken.toml:42: case_study `c`: `characteristics` refers to unknown characteristic `no-characteristic`",
            "content/broken.toml:50: characteristic `ch`: `tools` refers to unknown source `no-tool`",
            "content/broken.toml:55: competency `co`: `domain` refers to unknown competency_domain `no-domain`",
            "content/broken.toml:67: measure `m`: `elements` refers to unknown element `no-element`",
            "content/broken.toml:83: indicator `i`: `publisher` refers to unknown source `no-publisher`",
            "content/broken.toml:92: glossary_term `g`: `related` refers to unknown glossary_term `no-term`",
            "content/broken.toml:93: glossary_term `g`: `sources` refers to unknown source `no-source`",
        ],
    );
}

#[test]
fn a_reference_in_a_long_list_points_at_its_own_line() {
    assert_problems(
        r#"
[[fact]]
id = "f"
theme = "costs"
statement = "S"
sources = [
    "toolkit-2023",
    "nowhere-2020",
]
"#,
        &["content/broken.toml:8: fact `f`: `sources` refers to unknown source `nowhere-2020`"],
    );
}

#[test]
fn facts_and_other_claims_must_be_cited() {
    let broken = VALID
        .replace("sources = [\"toolkit-2023\"]", "sources = []")
        .replace("[[source]]", "[[source_removed]]");
    let problems = problems(&broken);
    let uncited: Vec<_> = problems
        .iter()
        .filter(|problem| problem.contains("no citation"))
        .map(|problem| problem.split(':').nth(2).unwrap_or_default().trim())
        .collect();
    assert_eq!(
        uncited,
        [
            "fact `one-in-five`",
            "element `being-emotional-felt-safety`",
            "factor `parental-depression`",
            "characteristic `shared-vision-leadership`",
            "competency `notice-cues`",
            "measure `asq-se-2`",
            "prevalence `postpartum-psychosis`",
        ]
    );
    assert!(problems.contains(
        &"content/broken.toml:13: fact `one-in-five`: no citation; `sources` must list at least \
          one source id"
            .to_owned()
    ));
}
