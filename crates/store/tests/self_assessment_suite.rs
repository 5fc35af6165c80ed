//! Whole-system self-assessment rounds: opening, answering, answering again, closing and
//! anonymity, each audited, on SQLite and on PostgreSQL.

// Test code: a panic is how a test fails.
#![allow(clippy::unwrap_used)]

mod support;

use cradle_domain::partnership::Partnership;
use cradle_domain::self_assessment::{Answer, RaterScope, Response, RoundSettings};
use cradle_domain::vocabulary::{MaturityLevel, Nation, Sector};
use cradle_store::{Actor, Rater, Store, StoreError, backend_suite};

backend_suite!(
    a_round_reads_back_with_its_settings_and_answers,
    answering_again_replaces_the_raters_answers,
    a_closed_round_takes_no_more_answers,
    an_anonymous_round_keeps_no_rater_and_a_link_finds_its_round,
    another_partnerships_round_cannot_be_read_or_closed,
    a_new_link_replaces_the_old_one_while_the_round_is_open,
);

async fn owner_and_partnership(store: &Store, name: &str) -> (Actor, Partnership) {
    support::named_owner(store, name, Nation::Wales, "W06000015").await
}

fn settings(scope: RaterScope, anonymous: bool) -> RoundSettings {
    RoundSettings {
        title: "Spring 2027".into(),
        characteristics: vec![
            "shared-vision-leadership".into(),
            "shared-understanding".into(),
        ],
        min_raters: 4,
        scope,
        anonymous,
    }
}

fn response(sector: Sector, first: MaturityLevel, second: MaturityLevel) -> Response {
    Response {
        sector,
        answers: vec![
            Answer {
                characteristic: "shared-understanding".into(),
                level: second,
                evidence: "Glossary agreed at the March board".into(),
            },
            Answer {
                characteristic: "shared-vision-leadership".into(),
                level: first,
                evidence: String::new(),
            },
        ],
    }
}

fn member(actor: &Actor) -> Rater {
    Rater {
        key: format!("user:{}", actor.user_id),
        user_id: Some(actor.user_id.clone()),
        name: String::new(),
    }
}

async fn a_round_reads_back_with_its_settings_and_answers(store: &Store) {
    let (actor, partnership) = owner_and_partnership(store, "Cardiff").await;
    let id = store
        .open_round(
            &actor,
            &partnership.id,
            &settings(RaterScope::Members, false),
            None,
        )
        .await
        .unwrap();
    let round = store.round(&partnership.id, &id).await.unwrap().unwrap();
    assert_eq!(round.settings, settings(RaterScope::Members, false));
    assert!(round.is_open());
    assert_eq!(round.responses, 0);
    assert_eq!(round.partnership_name, "Cardiff");

    let given = response(
        Sector::Health,
        MaturityLevel::Emerging,
        MaturityLevel::Embedded,
    );
    store
        .answer_round(&id, &member(&actor), &given)
        .await
        .unwrap();
    assert_eq!(
        store.round_responses(&id).await.unwrap(),
        std::slice::from_ref(&given)
    );
    assert_eq!(
        store
            .round_response(&id, &member(&actor).key)
            .await
            .unwrap(),
        Some(given)
    );
    assert_eq!(store.rounds(&partnership.id).await.unwrap()[0].responses, 1);

    let log = store.audit_log(&partnership.id).await.unwrap();
    assert_eq!(log[0].action, "assessment.answer");
    assert_eq!(
        log[0].actor_user_id.as_deref(),
        Some(actor.user_id.as_str())
    );
    assert_eq!(log[1].action, "assessment.open");
    assert_eq!(log[1].after.as_ref().unwrap()["min_raters"], 4);
}

async fn answering_again_replaces_the_raters_answers(store: &Store) {
    let (actor, partnership) = owner_and_partnership(store, "Cardiff").await;
    let id = store
        .open_round(
            &actor,
            &partnership.id,
            &settings(RaterScope::Members, false),
            None,
        )
        .await
        .unwrap();
    store
        .answer_round(
            &id,
            &member(&actor),
            &response(
                Sector::Health,
                MaturityLevel::Emerging,
                MaturityLevel::Emerging,
            ),
        )
        .await
        .unwrap();
    let changed = response(
        Sector::EarlyYears,
        MaturityLevel::Embedded,
        MaturityLevel::Developing,
    );
    store
        .answer_round(&id, &member(&actor), &changed)
        .await
        .unwrap();
    assert_eq!(store.round_responses(&id).await.unwrap(), [changed]);
    assert_eq!(
        store.audit_log(&partnership.id).await.unwrap()[0].action,
        "assessment.answer_again"
    );
}

async fn a_closed_round_takes_no_more_answers(store: &Store) {
    let (actor, partnership) = owner_and_partnership(store, "Cardiff").await;
    let id = store
        .open_round(
            &actor,
            &partnership.id,
            &settings(RaterScope::Members, false),
            None,
        )
        .await
        .unwrap();
    store
        .close_round(&actor, &partnership.id, &id)
        .await
        .unwrap();
    let audited = store.audit_log(&partnership.id).await.unwrap().len();
    // Closing again changes nothing.
    store
        .close_round(&actor, &partnership.id, &id)
        .await
        .unwrap();
    let late = store
        .answer_round(
            &id,
            &member(&actor),
            &response(
                Sector::Health,
                MaturityLevel::Emerging,
                MaturityLevel::Emerging,
            ),
        )
        .await;
    assert!(matches!(late, Err(StoreError::RoundClosed)), "{late:?}");
    assert!(store.round_responses(&id).await.unwrap().is_empty());
    assert_eq!(
        store.audit_log(&partnership.id).await.unwrap().len(),
        audited
    );
    let round = store.round(&partnership.id, &id).await.unwrap().unwrap();
    assert!(!round.is_open());
    assert_eq!(
        store.audit_log(&partnership.id).await.unwrap()[0].action,
        "assessment.close"
    );
}

async fn an_anonymous_round_keeps_no_rater_and_a_link_finds_its_round(store: &Store) {
    let (actor, partnership) = owner_and_partnership(store, "Cardiff").await;
    let id = store
        .open_round(
            &actor,
            &partnership.id,
            &settings(RaterScope::Link, true),
            Some("hash-of-token"),
        )
        .await
        .unwrap();
    let found = store.round_by_link("hash-of-token").await.unwrap().unwrap();
    assert_eq!(found.id, id);
    assert_eq!(store.round_by_link("another-hash").await.unwrap(), None);
    let rater = Rater {
        key: "random-1".into(),
        user_id: Some(actor.user_id.clone()),
        name: "Someone".into(),
    };
    store
        .answer_round(
            &id,
            &rater,
            &response(
                Sector::Housing,
                MaturityLevel::Developing,
                MaturityLevel::Developing,
            ),
        )
        .await
        .unwrap();
    let entry = &store.audit_log(&partnership.id).await.unwrap()[0];
    assert_eq!(entry.action, "assessment.answer");
    assert_eq!(
        entry.actor_user_id, None,
        "an anonymous answer names no one"
    );
}

async fn another_partnerships_round_cannot_be_read_or_closed(store: &Store) {
    let (actor, mine) = owner_and_partnership(store, "Cardiff").await;
    let (other_actor, theirs) = owner_and_partnership(store, "Swansea").await;
    let id = store
        .open_round(
            &actor,
            &mine.id,
            &settings(RaterScope::Members, false),
            None,
        )
        .await
        .unwrap();
    assert_eq!(store.round(&theirs.id, &id).await.unwrap(), None);
    assert!(store.rounds(&theirs.id).await.unwrap().is_empty());
    let closed = store.close_round(&other_actor, &theirs.id, &id).await;
    assert!(matches!(closed, Err(StoreError::NotFound)), "{closed:?}");
    assert!(store.round(&mine.id, &id).await.unwrap().unwrap().is_open());
}

async fn a_new_link_replaces_the_old_one_while_the_round_is_open(store: &Store) {
    let (actor, partnership) = owner_and_partnership(store, "Cardiff").await;
    let (other_actor, other) = owner_and_partnership(store, "Swansea").await;
    let id = store
        .open_round(
            &actor,
            &partnership.id,
            &settings(RaterScope::Link, false),
            Some("old"),
        )
        .await
        .unwrap();
    let theirs = store
        .replace_round_link(&other_actor, &other.id, &id, "stolen")
        .await;
    assert!(matches!(theirs, Err(StoreError::NotFound)), "{theirs:?}");
    store
        .replace_round_link(&actor, &partnership.id, &id, "new")
        .await
        .unwrap();
    assert_eq!(store.round_by_link("old").await.unwrap(), None);
    assert_eq!(store.round_by_link("new").await.unwrap().unwrap().id, id);
    assert_eq!(
        store.audit_log(&partnership.id).await.unwrap()[0].action,
        "assessment.new_link"
    );
    store
        .close_round(&actor, &partnership.id, &id)
        .await
        .unwrap();
    let closed = store
        .replace_round_link(&actor, &partnership.id, &id, "late")
        .await;
    assert!(
        matches!(closed, Err(StoreError::NotFound)),
        "a closed round keeps its link"
    );
    let members = store
        .open_round(
            &actor,
            &partnership.id,
            &settings(RaterScope::Members, false),
            None,
        )
        .await
        .unwrap();
    let no_link = store
        .replace_round_link(&actor, &partnership.id, &members, "link")
        .await;
    assert!(
        matches!(no_link, Err(StoreError::NotFound)),
        "a members' round has no link"
    );
}
