//! Prevalence figures: ranges in order and within their unit, with a denominator and ages
//! in order.

use super::*;

#[test]
fn a_prevalence_range_must_be_in_order_and_within_its_unit() {
    assert_problems(
        r#"
[[prevalence]]
id = "p"
title = "P"
figure = 20
low = -1
high = 15
per = 10
population = "births"
tier = "targeted"
note = "N"
sources = ["toolkit-2023"]
"#,
        &[
            "content/broken.toml:6: prevalence `p`: `low` (-1) must not be below zero",
            "content/broken.toml:7: prevalence `p`: `figure` (20) is greater than `high` (15)",
            "content/broken.toml:7: prevalence `p`: `high` (15) is more than `per` (10): a rate \
             cannot exceed everyone",
        ],
    );
}

#[test]
fn a_prevalence_needs_a_denominator_and_ages_in_order() {
    assert_problems(
        r#"
[[prevalence]]
id = "p"
title = "P"
figure = 5
low = 5
high = 5
per = 0
population = { children-aged = { from = 4, to = 2 } }
tier = "targeted"
note = " "
sources = []
"#,
        &[
            "content/broken.toml:8: prevalence `p`: `per` must be more than 0, e.g. 100 for a \
             percentage or 1000",
            "content/broken.toml:9: prevalence `p`: `population` runs from age 4 to age 2; `from` \
             must not be greater than `to`",
            "content/broken.toml:11: prevalence `p`: `note` must not be blank",
            "content/broken.toml:12: prevalence `p`: no citation; `sources` must list at least one \
             source id",
        ],
    );
}

#[test]
fn valid_prevalence_reads_its_population() {
    let content = parse_with("").unwrap();
    let psychosis = content.prevalence.by_id("postpartum-psychosis").unwrap();
    assert_eq!(psychosis.population, crate::PrevalencePopulation::Births);
    assert_eq!(
        (
            psychosis.low,
            psychosis.figure,
            psychosis.high,
            psychosis.per
        ),
        (0.89, 2.0, 2.6, 1000)
    );
}
