//! A partnership's own scenarios and its scenario walk-throughs with their gaps and risks,
//! each audited, on SQLite and on PostgreSQL.

// Test code: a panic is how a test fails.
#![allow(clippy::unwrap_used)]

mod support;

use cradle_domain::actions::{Action, ActionStatus};
use cradle_domain::partnership::Partnership;
use cradle_domain::vocabulary::{EcoLevel, Nation, Stage, Tier};
use cradle_domain::walkthrough::{FindingKind, LevelResponse, LocalScenario, Walkthrough};
use cradle_store::{Actor, ScenarioRef, Store, StoreError, backend_suite};

backend_suite!(
    a_scenario_and_a_walk_through_read_back_as_written,
    findings_are_gathered_for_the_register_per_partnership,
    a_gap_gets_one_action_in_the_log_linked_and_audited,
);

async fn owner_and_partnership(store: &Store, name: &str) -> (Actor, Partnership) {
    support::named_owner(store, name, Nation::Scotland, "S12000036").await
}

fn walkthrough(gaps: &[&str]) -> Walkthrough {
    Walkthrough {
        who_would_notice: "The midwife at the booking appointment".into(),
        family_experience: "Several appointments in different places".into(),
        responses: vec![
            LevelResponse {
                level: EcoLevel::Caregiving,
                services: vec!["s1".into(), "s2".into()],
                timing: "Within two weeks".into(),
            },
            LevelResponse {
                level: EcoLevel::Community,
                services: vec![],
                timing: "Not until after the birth".into(),
            },
        ],
        gaps: gaps.iter().map(|g| (*g).to_owned()).collect(),
        risks: vec!["The family may move at short notice".into()],
    }
}

async fn a_scenario_and_a_walk_through_read_back_as_written(store: &Store) {
    let (actor, partnership) = owner_and_partnership(store, "Edinburgh").await;
    let scenario = LocalScenario {
        title: "Twins after a long labour".into(),
        age: Stage::ZeroToSixMonths,
        need: Tier::Targeted,
        family: "two parents and twins".into(),
        situation: "An invented situation.".into(),
    };
    let scenario_id = store
        .create_scenario(&actor, &partnership.id, &scenario)
        .await
        .unwrap();
    let stored = store
        .scenario(&partnership.id, &scenario_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.scenario, scenario);
    assert_eq!(store.scenarios(&partnership.id).await.unwrap().len(), 1);

    let reference = ScenarioRef {
        national: false,
        id: scenario_id,
        title: scenario.title.clone(),
    };
    let written = walkthrough(&["No evening support", "No interpreter"]);
    let id = store
        .create_walkthrough(&actor, &partnership.id, &reference, &written)
        .await
        .unwrap();
    let read = store
        .walkthrough(&partnership.id, &id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(read.walkthrough, written);
    assert_eq!(read.scenario, reference);
    let log = store.audit_log(&partnership.id).await.unwrap();
    assert_eq!(log[0].action, "walkthrough.create");
    assert_eq!(log[1].action, "scenario.create");
}

async fn findings_are_gathered_for_the_register_per_partnership(store: &Store) {
    let (actor, mine) = owner_and_partnership(store, "Edinburgh").await;
    let (other, theirs) = owner_and_partnership(store, "Glasgow").await;
    let national = ScenarioRef {
        national: true,
        id: "postpartum-psychosis-rural-scotland".into(),
        title: "A sudden crisis in the first fortnight".into(),
    };
    let id = store
        .create_walkthrough(
            &actor,
            &mine.id,
            &national,
            &walkthrough(&["No mother and baby unit nearby"]),
        )
        .await
        .unwrap();
    store
        .create_walkthrough(
            &other,
            &theirs.id,
            &national,
            &walkthrough(&["Somewhere else's gap"]),
        )
        .await
        .unwrap();
    let findings = store.walkthrough_findings(&mine.id).await.unwrap();
    assert_eq!(findings.len(), 2);
    assert_eq!(findings[0].kind, FindingKind::Gap);
    assert_eq!(findings[0].description, "No mother and baby unit nearby");
    assert_eq!(findings[0].walkthrough_id, id);
    assert_eq!(
        findings[0].scenario_title,
        "A sudden crisis in the first fortnight"
    );
    assert_eq!(findings[0].action_id, None);
    assert_eq!(findings[1].kind, FindingKind::Risk);
    assert!(store.walkthrough(&theirs.id, &id).await.unwrap().is_none());
}

async fn a_gap_gets_one_action_in_the_log_linked_and_audited(store: &Store) {
    let (actor, mine) = owner_and_partnership(store, "Cardiff").await;
    let national = ScenarioRef {
        national: true,
        id: "postpartum-psychosis-rural-scotland".into(),
        title: "A sudden crisis in the first fortnight".into(),
    };
    store
        .create_walkthrough(
            &actor,
            &mine.id,
            &national,
            &walkthrough(&["No evening support"]),
        )
        .await
        .unwrap();
    let finding = store.walkthrough_findings(&mine.id).await.unwrap()[0].clone();
    let action = Action {
        what: "Fund an evening helpline".into(),
        owner: "Public health lead".into(),
        due: None,
        status: ActionStatus::Open,
    };
    let key = format!("finding:{}", finding.id);
    let id = store
        .create_action_for_gap(&actor, &mine.id, &key, &action)
        .await
        .unwrap();
    let coverage = "coverage:No service supports becoming / social for 2-3 year olds";
    let other = store
        .create_action_for_gap(&actor, &mine.id, coverage, &action)
        .await
        .unwrap();

    let finding = store.walkthrough_findings(&mine.id).await.unwrap()[0].clone();
    assert_eq!(finding.action_id.as_deref(), Some(id.as_str()));
    let links = store.gap_actions(&mine.id).await.unwrap();
    assert_eq!(links.get(&key), Some(&id));
    assert_eq!(links.get(coverage), Some(&other));
    let logged = store.action(&mine.id, &id).await.unwrap().unwrap();
    assert_eq!(logged.action, action);
    let audit = store.audit_log(&mine.id).await.unwrap();
    assert_eq!(audit[1].action, "action.create");
    assert!(audit[1].after.as_ref().unwrap().to_string().contains(&key));

    // One action per gap: a second is refused and leaves the log as it was.
    let again = store
        .create_action_for_gap(&actor, &mine.id, &key, &action)
        .await;
    assert!(matches!(again, Err(StoreError::GapHasAction)), "{again:?}");
    let actions = store
        .list_actions(&mine.id, &Default::default())
        .await
        .unwrap();
    assert_eq!(actions.len(), 2);
}
