//! Loads each deliberately broken folder under `tests/fixtures/` from disk and checks the
//! exact messages an editor would see.

use std::path::{Path, PathBuf};

use cradle_content::{LoadError, load_dir};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The problems loading the fixture `name` reports, as `file:line: reason`.
#[track_caller]
fn messages(name: &str) -> Vec<String> {
    match load_dir(&fixture(name)) {
        Ok(_) => panic!("fixture `{name}` loaded without problems"),
        Err(LoadError::Invalid(problems)) => problems.iter().map(ToString::to_string).collect(),
        Err(other) => panic!("fixture `{name}` could not be read: {other}"),
    }
}

#[test]
fn duplicate_id() {
    assert_eq!(
        messages("duplicate-id"),
        [
            "duplicate-id/sources.toml:10: source `toolkit-2023`: duplicate id; the first is at \
          duplicate-id/sources.toml:4"
        ]
    );
}

#[test]
fn missing_reference() {
    assert_eq!(
        messages("missing-reference"),
        [
            "missing-reference/02-facts.toml:8: fact `one-in-five`: `sources` refers to unknown \
          source `jcpmh-2012`"
        ]
    );
}

#[test]
fn uncited_fact() {
    assert_eq!(
        messages("uncited-fact"),
        [
            "uncited-fact/facts.toml:7: fact `one-in-five`: no citation; `sources` must list at \
          least one source id"
        ]
    );
}

#[test]
fn source_without_year() {
    assert_eq!(
        messages("source-without-year"),
        ["source-without-year/sources.toml:3: source `toolkit`: missing field `year`"]
    );
}

#[test]
fn missing_field() {
    assert_eq!(
        messages("missing-field"),
        ["missing-field/prompts.toml:8: prompt `good-start`: missing field `question`"]
    );
}

#[test]
fn bad_stage() {
    assert_eq!(
        messages("bad-stage"),
        [
            "bad-stage/scenarios.toml:11: scenario `twins-and-a-move`, field `age`: unknown stage \
          `0-3m`; expected one of: pregnancy, 0-6m, 6-12m, 1-2y, 2-3y, 3-5y"
        ]
    );
}

#[test]
fn bad_level() {
    assert_eq!(
        messages("bad-level"),
        [
            "bad-level/factors.toml:11: factor `green-space`, field `level`: unknown level \
          `neighbourhood`; expected one of: child, caregiving, family, community, society, time"
        ]
    );
}

#[test]
fn toml_syntax() {
    assert_eq!(
        messages("toml-syntax"),
        ["toml-syntax/glossary.toml:5: TOML syntax error: invalid basic string, expected `\"`"]
    );
}

#[test]
fn unknown_field() {
    assert_eq!(
        messages("unknown-field"),
        [
            "unknown-field/levels.toml:6: level `child`: unknown field `sumary`, expected one of \
          `id`, `title`, `summary`"
        ]
    );
}

#[test]
fn bad_prevalence() {
    assert_eq!(
        messages("bad-prevalence"),
        [
            "bad-prevalence/prevalence.toml:8: prevalence `postpartum-psychosis`: `low` (2.6) is \
          greater than `figure` (2)",
            "bad-prevalence/prevalence.toml:9: prevalence `postpartum-psychosis`: `high` (1200) is \
          more than `per` (1000): a rate cannot exceed everyone",
            "bad-prevalence/prevalence.toml:23: prevalence `disorder-2-to-7`: `population` reaches \
          age 7; Cradle covers children up to age 5",
            "bad-prevalence/prevalence.toml:26: prevalence `disorder-2-to-7`: `sources` refers to \
          unknown source `nhs-digital-mhcyp-2017`",
            "bad-prevalence/prevalence.toml:35: prevalence `unmapped-base`, field `population`: \
          unknown variant `everyone`, expected `births` or `children-aged`",
        ]
    );
}

#[test]
fn nested_folders_load_and_other_files_are_ignored() {
    let content = match load_dir(&fixture("valid-nested")) {
        Ok(content) => content,
        Err(error) => panic!("{error}"),
    };
    assert!(content.sources.contains("toolkit-2023"));
    assert_eq!(
        content
            .prompts
            .by_id("good-start")
            .map(|prompt| prompt.theme.as_str()),
        Some("vision")
    );
}

#[test]
fn a_missing_folder_is_an_io_error_naming_it() {
    match load_dir(&fixture("no-such-folder")) {
        Err(LoadError::Io { path, .. }) => assert!(path.ends_with("no-such-folder")),
        other => panic!("expected an I/O error, got {other:?}"),
    }
}

#[test]
fn load_error_lists_every_problem() {
    let error = load_dir(&fixture("missing-reference")).unwrap_err();
    assert_eq!(
        error.to_string(),
        "1 problem in the content:\nmissing-reference/02-facts.toml:8: fact `one-in-five`: \
         `sources` refers to unknown source `jcpmh-2012`"
    );
}
