//! Two closed whole-system self-assessment rounds, a baseline and one a year on, each rated
//! by the same ten invented partners through the round's link. They agree on some
//! characteristics and diverge sharply on others, so the divergence prompts, the results by
//! sector and the comparison between rounds all have something to show.

use std::collections::BTreeMap;

use cradle_content::Content;
use cradle_domain::partnership::Partnership;
use cradle_domain::self_assessment::{ResponseFields, RoundFields};
use cradle_store::{Actor, Rater, Store};

use crate::DemoError;

/// The raters' sectors and invented roles, in the order of the ratings below.
const RATERS: [(&str, &str); 10] = [
    ("health", "Health visiting team leader"),
    ("health", "Community midwife"),
    ("health", "Perinatal mental health nurse"),
    ("health", "GP with a perinatal interest"),
    ("local-authority", "Family hub manager"),
    ("local-authority", "Early help practitioner"),
    ("local-authority", "Social worker"),
    ("early-years", "Nursery manager"),
    ("voluntary-community", "Peer support coordinator"),
    ("voluntary-community", "Dads' group organiser"),
];

/// One round: its title and, for each characteristic, the ten raters' levels (E emerging,
/// D developing, S established, M embedded) and a piece of evidence or two.
struct RoundPlan {
    title: &'static str,
    ratings: &'static [(&'static str, &'static str, &'static [&'static str])],
}

const BASELINE: RoundPlan = RoundPlan {
    title: "Whole-system stock-take: baseline (invented)",
    ratings: &[
        (
            "shared-vision-leadership",
            "DDDDEDDDDD",
            &["The board has agreed a first statement of intent."],
        ),
        (
            "shared-understanding",
            "EEDEEEDEEE",
            &["Each service still uses its own words for the same thing."],
        ),
        (
            "needs-led-planning",
            "EEMMEMEMEM",
            &["The needs assessment is thorough but few services have read it."],
        ),
        (
            "continuum-of-support",
            "DDDEEDDEDD",
            &["Universal services are strong; targeted support varies by town."],
        ),
        (
            "integrated-pathways",
            "EEEDEEDEEE",
            &["Referral routes differ in each of the five areas."],
        ),
        ("supported-workforce", "DDDDEDDDDD", &[]),
        (
            "co-production",
            "EEEEEEEEEE",
            &["Parents are asked for feedback after services are designed."],
        ),
        ("evidence-evaluation", "EEDEEEEDEE", &[]),
        (
            "sustainable-commissioning",
            "EEEEEEEEEE",
            &["Several services run on one-year grants."],
        ),
    ],
};

const A_YEAR_ON: RoundPlan = RoundPlan {
    title: "Whole-system stock-take: a year on (invented)",
    ratings: &[
        (
            "shared-vision-leadership",
            "SSSSDSSSSS",
            &["The strategy is signed off by every partner's board."],
        ),
        (
            "shared-understanding",
            "DDSDDDSDDD",
            &["The words-we-use workshop gave us a shared glossary."],
        ),
        (
            "needs-led-planning",
            "EEMMEMEMEM",
            &[
                "Health partners see the needs assessment used; others do not.",
                "Plans still follow funding rather than need.",
            ],
        ),
        ("continuum-of-support", "DDDSSDDSDD", &[]),
        (
            "integrated-pathways",
            "EDEMEDMMED",
            &[
                "The perinatal pathway is joined up; the toddler pathway is not.",
                "Families still tell their story several times.",
            ],
        ),
        (
            "supported-workforce",
            "DDDDDDDDDD",
            &["Reflective supervision is offered to health visitors only."],
        ),
        (
            "co-production",
            "EEEDEEEDEE",
            &["A parent panel has met twice."],
        ),
        (
            "evidence-evaluation",
            "EDSMEDSMED",
            &["Some services report outcomes; most report activity."],
        ),
        (
            "sustainable-commissioning",
            "EEEEDEEEEE",
            &["The parent-infant pilot's funding ends this year."],
        ),
    ],
};

/// Opens, answers and closes both rounds, the baseline first.
pub(crate) async fn load(
    store: &Store,
    actor: &Actor,
    content: &Content,
    demo: &Partnership,
) -> Result<(), DemoError> {
    for plan in [&BASELINE, &A_YEAR_ON] {
        load_round(store, actor, content, demo, plan).await?;
    }
    Ok(())
}

async fn load_round(
    store: &Store,
    actor: &Actor,
    content: &Content,
    demo: &Partnership,
    plan: &RoundPlan,
) -> Result<(), DemoError> {
    let known: Vec<&str> = content
        .characteristics
        .iter()
        .map(|characteristic| characteristic.id.as_str())
        .collect();
    let settings = RoundFields {
        title: plan.title.to_owned(),
        characteristics: plan
            .ratings
            .iter()
            .map(|(id, ..)| (*id).to_owned())
            .collect(),
        min_raters: "3".to_owned(),
        scope: "link".to_owned(),
        anonymous: false,
    }
    .validate(&known)
    .map_err(|issues| DemoError::invalid("self-assessment round", issues))?;
    // The round took answers through a link nobody now holds: it is closed below.
    let unused_link = format!("demo-round-{}", uuid::Uuid::new_v4().simple());
    let round = store
        .open_round(actor, &demo.id, &settings, Some(&unused_link))
        .await?;
    let titles: Vec<(&str, &str)> = settings
        .characteristics
        .iter()
        .filter_map(|id| {
            let found = content.characteristics.by_id(id)?;
            Some((id.as_str(), found.title.as_str()))
        })
        .collect();
    for (index, (sector, role)) in RATERS.iter().enumerate() {
        let response = ResponseFields {
            sector: (*sector).to_owned(),
            answers: answers_of(plan, index),
        }
        .validate(&titles)
        .map_err(|issues| DemoError::invalid("self-assessment rating", issues))?;
        let rater = Rater {
            key: format!("link:demo-{}", uuid::Uuid::new_v4().simple()),
            user_id: None,
            name: format!("{role} (invented)"),
        };
        store.answer_round(&round, &rater, &response).await?;
    }
    store.close_round(actor, &demo.id, &round).await?;
    Ok(())
}

/// The `rater`-th rater's level and evidence for each characteristic of `plan`: the
/// evidence notes go to the first raters, one each.
fn answers_of(plan: &RoundPlan, rater: usize) -> BTreeMap<String, (String, String)> {
    plan.ratings
        .iter()
        .map(|(id, levels, evidence)| {
            let level = match levels.as_bytes().get(rater) {
                Some(b'E') => "emerging",
                Some(b'D') => "developing",
                Some(b'S') => "established",
                _ => "embedded",
            };
            let note = evidence.get(rater).copied().unwrap_or_default();
            ((*id).to_owned(), (level.to_owned(), note.to_owned()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use cradle_domain::self_assessment::{Response, Results, results};

    use super::*;

    fn responses(plan: &RoundPlan) -> Vec<Response> {
        let titles: Vec<(&str, &str)> = plan.ratings.iter().map(|(id, ..)| (*id, *id)).collect();
        (0..RATERS.len())
            .map(|rater| {
                ResponseFields {
                    sector: RATERS[rater].0.to_owned(),
                    answers: answers_of(plan, rater),
                }
                .validate(&titles)
                .unwrap()
            })
            .collect()
    }

    #[test]
    fn raters_agree_on_some_characteristics_and_diverge_on_others() {
        for plan in [&BASELINE, &A_YEAR_ON] {
            assert!(plan.ratings.iter().all(|(_, levels, _)| levels.len() == 10));
            let ids: Vec<&str> = plan.ratings.iter().map(|(id, ..)| *id).collect();
            let Results::Shown {
                characteristics,
                by_sector,
                ..
            } = results(&ids, 3, &responses(plan))
            else {
                panic!("ten raters' results show");
            };
            let divergent = characteristics.iter().filter(|c| c.divergent).count();
            assert!(divergent >= 1, "{}", plan.title);
            assert!(divergent < characteristics.len() / 2, "{}", plan.title);
            assert!(characteristics.iter().any(|c| c.agreement == 1.0));
            assert_eq!(
                by_sector.len(),
                2,
                "health and the local authority show alone"
            );
        }
    }
}
