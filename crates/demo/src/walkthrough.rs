//! A scenario the partnership wrote and two finished walk-throughs (a national scenario and
//! that one), whose gaps and risks go to the gap register; one gap from a walk-through and
//! one from the coverage rules each get an action.

use std::collections::{BTreeMap, HashMap};

use cradle_content::Content;
use cradle_domain::actions::ActionFields;
use cradle_domain::partnership::Partnership;
use cradle_domain::services::{GapKind, gaps};
use cradle_domain::vocabulary::EcoLevel;
use cradle_domain::walkthrough::{FindingKind, LocalScenarioFields, WalkthroughFields};
use cradle_store::{Actor, ScenarioRef, Store};
use time::{Date, Duration};

use crate::DemoError;
use crate::services::iso;

/// The national scenario walked through: a father at home with low mood.
const NATIONAL: &str = "father-main-carer-low-mood";

/// What the partnership found, level by level: service keys and when they would respond.
struct Plan {
    who_would_notice: &'static str,
    family_experience: &'static str,
    levels: &'static [(EcoLevel, &'static [&'static str], &'static str)],
    gaps: &'static str,
    risks: &'static str,
}

const FATHER: Plan = Plan {
    who_would_notice: "The health visitor at the six to eight week review, if she asks the father directly; otherwise nobody until the mother mentions it to her GP.",
    family_experience: "The father is asked about the baby but not about himself. He is offered a leaflet and a group that meets while he is at the nursery run.",
    levels: &[
        (
            EcoLevel::Caregiving,
            &["TV-HV", "TV-TALK"],
            "Within two weeks of the review, if he accepts a referral",
        ),
        (
            EcoLevel::Family,
            &["TV-DADS", "TV-EH"],
            "The dads' group meets monthly; early help within a month",
        ),
        (EcoLevel::Community, &["TV-FH-HPL", "TV-LIB"], "Any week"),
    ],
    gaps: "Nobody routinely asks fathers about their own mental health\nNo perinatal support for fathers in Hartlepool, Middlesbrough or Redcar",
    risks: "The dads' group's funding ends within the year",
};

const TWINS: Plan = Plan {
    who_would_notice: "The neonatal unit's discharge team and the health visitor at the new birth visit in temporary accommodation.",
    family_experience: "Three moves in six weeks mean three health visiting teams and the story told again each time.",
    levels: &[
        (
            EcoLevel::Caregiving,
            &["TV-HV", "TV-FEED"],
            "The new birth visit is late after each move",
        ),
        (
            EcoLevel::Family,
            &["TV-HOUSING", "TV-EH"],
            "Housing within days; early help after the move settles",
        ),
        (
            EcoLevel::Society,
            &[],
            "Temporary accommodation is out of area for weeks at a time",
        ),
    ],
    gaps: "Health visiting records do not follow families who move between the five areas",
    risks: "Families placed out of area lose their family hub and peer support",
};

pub(crate) async fn load(
    store: &Store,
    actor: &Actor,
    content: &Content,
    demo: &Partnership,
    services: &HashMap<String, String>,
    today: Date,
) -> Result<(), DemoError> {
    let national = content
        .scenarios
        .by_id(NATIONAL)
        .ok_or_else(|| DemoError::invalid("scenario", NATIONAL))?;
    let father = ScenarioRef {
        national: true,
        id: national.id.clone(),
        title: national.title.clone(),
    };
    let twins = local_scenario(store, actor, demo).await?;
    for (scenario, plan) in [(&twins, &TWINS), (&father, &FATHER)] {
        let walkthrough = walkthrough_fields(plan, services)
            .validate(&services.values().map(String::as_str).collect::<Vec<_>>())
            .map_err(|issues| DemoError::invalid("walk-through", issues))?;
        store
            .create_walkthrough(actor, &demo.id, scenario, &walkthrough)
            .await?;
    }
    act_on_gaps(store, actor, demo, today).await
}

async fn local_scenario(
    store: &Store,
    actor: &Actor,
    demo: &Partnership,
) -> Result<ScenarioRef, DemoError> {
    let scenario = LocalScenarioFields {
        title: "Twins born early, in temporary accommodation (invented)".to_owned(),
        age: "0-6m".to_owned(),
        need: "targeted".to_owned(),
        family: "two parents, newborn twins and a four-year-old".to_owned(),
        situation: "An invented family: twins born at 33 weeks come home after three weeks in the neonatal unit to a hostel room in another town, after the family lost their tenancy. The four-year-old has stopped going to nursery.".to_owned(),
    }
    .validate()
    .map_err(|issues| DemoError::invalid("local scenario", issues))?;
    let id = store.create_scenario(actor, &demo.id, &scenario).await?;
    Ok(ScenarioRef {
        national: false,
        id,
        title: scenario.title,
    })
}

/// The plan as the walk-through form would send it, services named by their stored ids.
fn walkthrough_fields(plan: &Plan, services: &HashMap<String, String>) -> WalkthroughFields {
    let levels: BTreeMap<EcoLevel, (Vec<String>, String)> = plan
        .levels
        .iter()
        .map(|(level, keys, timing)| {
            // A key not on the map gives an id the walk-through's check refuses.
            let ids = keys
                .iter()
                .map(|key| {
                    services
                        .get(*key)
                        .cloned()
                        .unwrap_or_else(|| format!("not on the map: {key}"))
                })
                .collect();
            (*level, (ids, (*timing).to_owned()))
        })
        .collect();
    WalkthroughFields {
        who_would_notice: plan.who_would_notice.to_owned(),
        family_experience: plan.family_experience.to_owned(),
        levels,
        gaps: plan.gaps.to_owned(),
        risks: plan.risks.to_owned(),
    }
}

/// An action on the first gap a walk-through found, and one on the coverage rules' gap in
/// specialist help with the parent–infant relationship.
async fn act_on_gaps(
    store: &Store,
    actor: &Actor,
    demo: &Partnership,
    today: Date,
) -> Result<(), DemoError> {
    let findings = store.walkthrough_findings(&demo.id).await?;
    let finding = findings
        .iter()
        .find(|finding| finding.kind == FindingKind::Gap)
        .ok_or_else(|| DemoError::invalid("walk-through", "no gap was recorded"))?;
    let action = ActionFields {
        what: "Add a question about fathers' own wellbeing to the six to eight week review"
            .to_owned(),
        owner: "Health visiting service lead".to_owned(),
        due: iso(today + Duration::days(90)),
        status: "in-progress".to_owned(),
    };
    let gap = format!("finding:{}", finding.id);
    create_gap_action(store, actor, demo, &gap, &action).await?;
    let services: Vec<_> = store
        .services(&demo.id)
        .await?
        .into_iter()
        .map(|stored| stored.service)
        .collect();
    let Some(relationship) = gaps(&services, today)
        .into_iter()
        .find(|gap| matches!(gap.kind, GapKind::NoSpecialistRelationshipService(_)))
    else {
        return Ok(());
    };
    let action = ActionFields {
        what: "Make the case to extend the parent-infant relationship team to toddlers".to_owned(),
        owner: "ICB perinatal commissioner".to_owned(),
        due: iso(today + Duration::days(180)),
        status: "open".to_owned(),
    };
    let gap = format!("coverage:{}", relationship.message);
    create_gap_action(store, actor, demo, &gap, &action).await
}

async fn create_gap_action(
    store: &Store,
    actor: &Actor,
    demo: &Partnership,
    gap: &str,
    fields: &ActionFields,
) -> Result<(), DemoError> {
    let action = fields
        .validate()
        .map_err(|problems| DemoError::invalid("action", problems))?;
    store
        .create_action_for_gap(actor, &demo.id, gap, &action)
        .await?;
    Ok(())
}
