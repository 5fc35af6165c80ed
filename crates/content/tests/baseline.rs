//! The national baseline content shipped in the binary: it must parse without problems and
//! be complete enough to cover every part of the toolkit.

use std::collections::HashSet;

use cradle_content::{Content, PrevalencePopulation, embedded, embedded_files, report};
use cradle_domain::{Dimension, Domain, EcoLevel, MaturityLevel, Nation, Stage, Tier};

#[test]
fn embedded_content_has_no_problems() {
    assert!(
        !embedded_files().is_empty(),
        "no content files were embedded from content/"
    );
    if let Err(problems) = embedded() {
        panic!("{}", report(&problems));
    }
}

#[test]
fn embedded_content_meets_the_minimums() {
    let content = match embedded() {
        Ok(content) => content,
        Err(problems) => panic!("{}", report(&problems)),
    };
    let unmet = unmet_minimums(&content);
    assert!(
        unmet.is_empty(),
        "the content falls short of {} minimum(s):\n{}\ncounts: {:?}",
        unmet.len(),
        unmet.join("\n"),
        content.counts()
    );
}

/// Each minimum the content does not meet, described with what it has.
fn unmet_minimums(content: &Content) -> Vec<String> {
    let mut unmet = Vec::new();
    let mut at_least = |what: &str, have: usize, need: usize| {
        if have < need {
            unmet.push(format!("{what}: {have}, need at least {need}"));
        }
    };

    at_least("facts", content.facts.len(), 12);
    at_least("prompts", content.prompts.len(), 20);
    at_least("prompt themes", content.prompt_themes.len(), 3);
    at_least("words", content.words.len(), 8);
    at_least("system parts", content.system_parts.len(), 12);

    let pairs: HashSet<(Dimension, Domain)> = content
        .elements
        .iter()
        .map(|element| (element.dimension, element.domain))
        .collect();
    let all_pairs = Dimension::ALL.len() * Domain::ALL.len();
    at_least(
        "dimension × domain pairs with an element",
        pairs.len(),
        all_pairs,
    );
    let with_all_stages = content
        .elements
        .iter()
        .filter(|element| {
            Stage::ALL
                .iter()
                .all(|stage| element.stages.contains_key(stage))
        })
        .count();
    at_least(
        "elements with all six stages",
        with_all_stages,
        content.elements.len(),
    );

    let levels: HashSet<EcoLevel> = content.levels.iter().map(|level| level.id).collect();
    at_least("eco levels", levels.len(), EcoLevel::ALL.len());

    at_least("factors", content.factors.len(), 50);
    let cited_factors = content
        .factors
        .iter()
        .filter(|factor| !factor.sources.is_empty())
        .count();
    at_least("factors with sources", cited_factors, content.factors.len());

    at_least("scenarios", content.scenarios.len(), 10);
    let nations: HashSet<Nation> = content.scenarios.iter().map(|s| s.nation).collect();
    at_least("nations across scenarios", nations.len(), Nation::ALL.len());
    let stages: HashSet<Stage> = content.scenarios.iter().map(|s| s.age).collect();
    at_least("stages across scenarios", stages.len(), 4);

    at_least("case studies", content.case_studies.len(), 4);

    at_least("characteristics", content.characteristics.len(), 8);
    let with_four_levels = content
        .characteristics
        .iter()
        .filter(|c| c.maturity.len() == MaturityLevel::ALL.len())
        .count();
    at_least(
        "characteristics with four maturity levels",
        with_four_levels,
        content.characteristics.len(),
    );

    at_least("competencies", content.competencies.len(), 24);
    let domains: HashSet<&str> = content
        .competencies
        .iter()
        .map(|competency| competency.domain.as_str())
        .collect();
    at_least("competency domains in use", domains.len(), 6);

    at_least("measures", content.measures.len(), 30);
    at_least("indicators", content.indicators.len(), 15);
    at_least("glossary terms", content.glossary.len(), 80);

    at_least("prevalence assumptions", content.prevalence.len(), 10);
    let tiers: HashSet<Tier> = content.prevalence.iter().map(|p| p.tier).collect();
    at_least("tiers informed by prevalence", tiers.len(), 3);
    let bases: HashSet<&str> = content
        .prevalence
        .iter()
        .map(|p| match p.population {
            PrevalencePopulation::Births => "births",
            PrevalencePopulation::ChildrenAged { .. } => "children",
        })
        .collect();
    at_least("population bases (births, children)", bases.len(), 2);

    unmet
}

#[test]
fn every_prevalence_figure_becomes_a_need_assumption() {
    let content = match embedded() {
        Ok(content) => content,
        Err(problems) => panic!("{}", report(&problems)),
    };
    for prevalence in &content.prevalence {
        if let Err(error) = prevalence.assumption() {
            panic!("prevalence `{}`: {error}", prevalence.id);
        }
    }
}
