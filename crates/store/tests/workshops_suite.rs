//! Workshops: planning, running with participants, answers, votes, note groups, decisions
//! and the action log, on SQLite and on PostgreSQL.

// Test code: a panic is how a test fails.
#![allow(clippy::unwrap_used)]

mod support;

use cradle_domain::actions::{Action, ActionFilter, ActionStatus};
use cradle_domain::partnership::Partnership;
use cradle_domain::vocabulary::Nation;
use cradle_domain::workshop::{
    AgendaItem, Answer, AnswerError, AnswerKind, ItemKind, JoinCode, Move, MoveError,
    ParticipantDetails, Phase, RATE_LIMIT, WorkshopDetails,
};
use cradle_store::{Actor, AnswerRefused, MoveRefused, Store, StoreError, backend_suite};

backend_suite!(
    a_workshop_and_its_agenda_read_back_as_stored,
    planning_changes_are_audited_and_keep_the_agenda_in_order,
    join_codes_are_unique_and_find_their_workshop,
    the_facilitator_moves_through_the_agenda,
    participants_answer_only_the_current_open_item,
    a_choice_or_rating_replaces_the_participants_earlier_one,
    votes_are_limited_to_each_participants_allowance,
    a_participant_sending_too_fast_is_refused,
    answers_sent_together_are_each_judged_as_if_alone,
    hidden_notes_and_groups_are_kept_and_audited,
    actions_are_logged_filtered_and_changed,
    another_partnerships_workshops_cannot_be_read_or_changed,
    deleting_a_workshop_keeps_its_actions_and_is_audited,
);

async fn owner_and_partnership(store: &Store, name: &str) -> (Actor, Partnership) {
    support::named_owner(store, name, Nation::Wales, "W06000001").await
}

fn item(title: &str, answer: AnswerKind, options: &[&str], votes: u8) -> AgendaItem {
    AgendaItem {
        kind: ItemKind::Local,
        reference: None,
        title: title.into(),
        answer,
        options: options.iter().map(|o| (*o).to_owned()).collect(),
        votes,
        minutes: 10,
        facilitator_notes: "Keep it short".into(),
        instruction: "One idea per note".into(),
    }
}

fn details(title: &str) -> WorkshopDetails {
    WorkshopDetails::validate(title, "2027-01-15", "To agree priorities").unwrap()
}

fn code(text: &str) -> JoinCode {
    text.parse().unwrap()
}

/// A workshop with a note item, a choice, a rating and a dot-vote on options.
async fn workshop(store: &Store, actor: &Actor, partnership: &Partnership, join: &str) -> String {
    let mut prompt = item("", AnswerKind::Note, &[], 0);
    prompt.kind = ItemKind::Prompt;
    prompt.reference = Some("meaning-first-words".into());
    prompt.title = "What words come to mind?".into();
    store
        .create_workshop(
            actor,
            &partnership.id,
            &details("Shared understanding"),
            Some("shared-understanding"),
            &[
                prompt,
                item("Pick one", AnswerKind::Choice, &["A", "B", "C"], 0),
                item("Rate us", AnswerKind::Rating, &[], 0),
                item("Priorities", AnswerKind::DotVote, &["X", "Y"], 2),
            ],
            &code(join),
        )
        .await
        .unwrap()
}

async fn item_ids(store: &Store, workshop: &str) -> Vec<String> {
    store
        .workshop_items(workshop)
        .await
        .unwrap()
        .into_iter()
        .map(|stored| stored.id)
        .collect()
}

fn anonymous() -> ParticipantDetails {
    ParticipantDetails::default()
}

async fn a_workshop_and_its_agenda_read_back_as_stored(store: &Store) {
    let (actor, partnership) = owner_and_partnership(store, "Cardiff").await;
    let id = workshop(store, &actor, &partnership, "ABCDEF").await;
    let stored = store.workshop(&partnership.id, &id).await.unwrap().unwrap();
    assert_eq!(stored.details, details("Shared understanding"));
    assert_eq!(stored.phase, Phase::Draft);
    assert_eq!(stored.join_code, "ABCDEF");
    assert_eq!(stored.template_id.as_deref(), Some("shared-understanding"));
    let items = store.workshop_items(&id).await.unwrap();
    assert_eq!(items.len(), 4);
    assert_eq!(
        items[0].item.reference.as_deref(),
        Some("meaning-first-words")
    );
    assert_eq!(
        items[1].item,
        item("Pick one", AnswerKind::Choice, &["A", "B", "C"], 0)
    );
    assert_eq!(items[3].item.votes, 2);
    assert!(
        items
            .iter()
            .enumerate()
            .all(|(i, s)| s.position == i && !s.locked)
    );
    let listed = store.workshops(&partnership.id).await.unwrap();
    assert_eq!(listed, [stored]);
}

async fn planning_changes_are_audited_and_keep_the_agenda_in_order(store: &Store) {
    let (actor, partnership) = owner_and_partnership(store, "Cardiff").await;
    let id = workshop(store, &actor, &partnership, "ABCDEF").await;
    let p = &partnership.id;
    store
        .update_workshop(&actor, p, &id, &details("Stock-take"))
        .await
        .unwrap();
    let added = store
        .add_workshop_item(
            &actor,
            p,
            &id,
            &item("Close", AnswerKind::Discussion, &[], 0),
        )
        .await
        .unwrap();
    let ids = item_ids(store, &id).await;
    assert_eq!(ids[4], added);
    store
        .update_workshop_item(
            &actor,
            p,
            &id,
            &ids[1],
            &item("Pick two", AnswerKind::Choice, &["A", "B"], 0),
        )
        .await
        .unwrap();
    store
        .move_workshop_item(&actor, p, &id, &ids[4], true)
        .await
        .unwrap();
    store
        .move_workshop_item(&actor, p, &id, &ids[0], true)
        .await
        .unwrap();
    store
        .remove_workshop_item(&actor, p, &id, &ids[2])
        .await
        .unwrap();
    let items = store.workshop_items(&id).await.unwrap();
    let titles: Vec<&str> = items.iter().map(|s| s.item.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "What words come to mind?",
            "Pick two",
            "Close",
            "Priorities"
        ]
    );
    assert!(items.iter().enumerate().all(|(i, s)| s.position == i));
    let log = store.audit_log(p).await.unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "workshop.item.delete",
            "workshop.item.move",
            "workshop.item.update",
            "workshop.item.create",
            "workshop.update",
            "workshop.create",
            "partnership.create",
        ],
        "moving the first item up changes nothing and is not audited"
    );
    assert_eq!(
        log[4].before.as_ref().unwrap()["title"],
        "Shared understanding"
    );
    assert_eq!(log[4].after.as_ref().unwrap()["title"], "Stock-take");
}

async fn join_codes_are_unique_and_find_their_workshop(store: &Store) {
    let (actor, partnership) = owner_and_partnership(store, "Cardiff").await;
    let id = workshop(store, &actor, &partnership, "K7QM3R").await;
    let again = store
        .create_workshop(
            &actor,
            &partnership.id,
            &details("Two"),
            None,
            &[],
            &code("k7q m3r"),
        )
        .await;
    assert!(matches!(again, Err(StoreError::KeyTaken)), "{again:?}");
    let found = store
        .workshop_by_code(&code("K7QM3R"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.id, id);
    assert!(
        store
            .workshop_by_code(&code("ZZZZZZ"))
            .await
            .unwrap()
            .is_none()
    );
}

async fn the_facilitator_moves_through_the_agenda(store: &Store) {
    let (actor, partnership) = owner_and_partnership(store, "Cardiff").await;
    let p = &partnership.id;
    let empty = store
        .create_workshop(&actor, p, &details("Empty"), None, &[], &code("EMPTYY"))
        .await
        .unwrap();
    let refused = store.move_workshop(&actor, p, &empty, Move::Start).await;
    assert!(matches!(
        refused,
        Err(MoveRefused::Rule(MoveError::EmptyAgenda))
    ));
    let id = workshop(store, &actor, &partnership, "ABCDEF").await;
    assert_eq!(
        store
            .move_workshop(&actor, p, &id, Move::Start)
            .await
            .unwrap(),
        Phase::Running { current: 0 }
    );
    store
        .move_workshop(&actor, p, &id, Move::Next)
        .await
        .unwrap();
    store
        .move_workshop(&actor, p, &id, Move::Next)
        .await
        .unwrap();
    store
        .move_workshop(&actor, p, &id, Move::Previous)
        .await
        .unwrap();
    let stored = store.workshop(p, &id).await.unwrap().unwrap();
    assert_eq!(stored.phase, Phase::Running { current: 1 });
    // Reordering keeps the current item on screen.
    let ids = item_ids(store, &id).await;
    store
        .move_workshop_item(&actor, p, &id, &ids[1], false)
        .await
        .unwrap();
    let stored = store.workshop(p, &id).await.unwrap().unwrap();
    assert_eq!(stored.phase, Phase::Running { current: 2 });
    assert_eq!(store.workshop_items(&id).await.unwrap()[2].id, ids[1]);
    assert_eq!(
        store
            .move_workshop(&actor, p, &id, Move::Close)
            .await
            .unwrap(),
        Phase::Closed
    );
    let after = store.move_workshop(&actor, p, &id, Move::Start).await;
    assert!(matches!(after, Err(MoveRefused::Rule(MoveError::Closed))));
    let joined = store.join_workshop(&id, &anonymous()).await;
    assert!(
        matches!(joined, Err(StoreError::NotFound)),
        "no joining a closed workshop"
    );
    let moves = store
        .audit_log(p)
        .await
        .unwrap()
        .iter()
        .filter(|e| e.action == "workshop.move")
        .count();
    assert_eq!(moves, 5);
}

async fn participants_answer_only_the_current_open_item(store: &Store) {
    let (actor, partnership) = owner_and_partnership(store, "Cardiff").await;
    let p = &partnership.id;
    let id = workshop(store, &actor, &partnership, "ABCDEF").await;
    let ids = item_ids(store, &id).await;
    let named = ParticipantDetails::validate("Sam", "Health visitor").unwrap();
    let sam = store.join_workshop(&id, &named).await.unwrap();
    let note = Answer::Note("Trust".into());
    let early = store.submit_answer(&id, &sam.id, &ids[0], &note).await;
    assert!(
        matches!(early, Err(AnswerRefused::Rule(AnswerError::NotStarted))),
        "{early:?}"
    );
    store
        .move_workshop(&actor, p, &id, Move::Start)
        .await
        .unwrap();
    store
        .submit_answer(&id, &sam.id, &ids[0], &note)
        .await
        .unwrap();
    store
        .submit_answer(&id, &sam.id, &ids[0], &Answer::Note("Safety".into()))
        .await
        .unwrap();
    let later = store
        .submit_answer(&id, &sam.id, &ids[1], &Answer::Choice(0))
        .await;
    assert!(matches!(
        later,
        Err(AnswerRefused::Rule(AnswerError::NotCurrent))
    ));
    store
        .set_item_locked(&actor, p, &id, &ids[0], true)
        .await
        .unwrap();
    let locked = store.submit_answer(&id, &sam.id, &ids[0], &note).await;
    assert!(matches!(
        locked,
        Err(AnswerRefused::Rule(AnswerError::Locked))
    ));
    let stranger = store.submit_answer(&id, "nobody", &ids[0], &note).await;
    assert!(matches!(
        stranger,
        Err(AnswerRefused::Store(StoreError::NotFound))
    ));
    let answers = store.workshop_answers(&id).await.unwrap();
    let notes: Vec<&Answer> = answers.iter().map(|a| &a.answer).collect();
    assert_eq!(notes, [&note, &Answer::Note("Safety".into())]);
    assert!(
        answers
            .iter()
            .all(|a| a.participant_id == sam.id && !a.hidden)
    );
    assert_eq!(store.participants(&id).await.unwrap(), [sam]);
    let log = store.audit_log(p).await.unwrap();
    assert!(
        log.iter().all(|entry| !entry.action.contains("answer")),
        "participants' answers are not audited"
    );
}

async fn a_choice_or_rating_replaces_the_participants_earlier_one(store: &Store) {
    let (actor, partnership) = owner_and_partnership(store, "Cardiff").await;
    let p = &partnership.id;
    let id = workshop(store, &actor, &partnership, "ABCDEF").await;
    let ids = item_ids(store, &id).await;
    let one = store.join_workshop(&id, &anonymous()).await.unwrap();
    let two = store.join_workshop(&id, &anonymous()).await.unwrap();
    store
        .move_workshop(&actor, p, &id, Move::Start)
        .await
        .unwrap();
    store
        .move_workshop(&actor, p, &id, Move::Next)
        .await
        .unwrap();
    for (who, choice) in [(&one, 0), (&two, 2), (&one, 1)] {
        store
            .submit_answer(&id, &who.id, &ids[1], &Answer::Choice(choice))
            .await
            .unwrap();
    }
    let answers = store.workshop_answers(&id).await.unwrap();
    let mut choices: Vec<&Answer> = answers.iter().map(|a| &a.answer).collect();
    choices.sort_by_key(|a| format!("{a:?}"));
    assert_eq!(choices, [&Answer::Choice(1), &Answer::Choice(2)]);
}

async fn votes_are_limited_to_each_participants_allowance(store: &Store) {
    let (actor, partnership) = owner_and_partnership(store, "Cardiff").await;
    let p = &partnership.id;
    let id = workshop(store, &actor, &partnership, "ABCDEF").await;
    let ids = item_ids(store, &id).await;
    let voter = store.join_workshop(&id, &anonymous()).await.unwrap();
    store
        .move_workshop(&actor, p, &id, Move::Start)
        .await
        .unwrap();
    store
        .move_workshop(&actor, p, &id, Move::To(3))
        .await
        .unwrap();
    let bad = store.cast_vote(&id, &voter.id, &ids[3], "2").await;
    assert!(matches!(
        bad,
        Err(AnswerRefused::Rule(AnswerError::NoVoteTarget))
    ));
    store.cast_vote(&id, &voter.id, &ids[3], "1").await.unwrap();
    store.cast_vote(&id, &voter.id, &ids[3], "1").await.unwrap();
    let over = store.cast_vote(&id, &voter.id, &ids[3], "0").await;
    assert!(
        matches!(over, Err(AnswerRefused::Rule(AnswerError::NoVotesLeft(2)))),
        "{over:?}"
    );
    let votes = store.workshop_votes(&id).await.unwrap();
    assert_eq!(votes.len(), 2);
    assert!(votes.iter().all(|v| v.target == "1" && v.item_id == ids[3]));

    // A dot-vote without options votes on the item's visible notes.
    let on_notes = store
        .add_workshop_item(
            &actor,
            p,
            &id,
            &item("Vote on notes", AnswerKind::DotVote, &[], 1),
        )
        .await
        .unwrap();
    store
        .move_workshop(&actor, p, &id, Move::To(4))
        .await
        .unwrap();
    let note = store
        .submit_answer(&id, &voter.id, &on_notes, &Answer::Note("Idea".into()))
        .await
        .unwrap();
    let hidden = store
        .submit_answer(&id, &voter.id, &on_notes, &Answer::Note("Rude".into()))
        .await
        .unwrap();
    store
        .set_answer_hidden(&actor, p, &id, &hidden, true)
        .await
        .unwrap();
    let on_hidden = store.cast_vote(&id, &voter.id, &on_notes, &hidden).await;
    assert!(matches!(
        on_hidden,
        Err(AnswerRefused::Rule(AnswerError::NoVoteTarget))
    ));
    store
        .cast_vote(&id, &voter.id, &on_notes, &note)
        .await
        .unwrap();
}

async fn a_participant_sending_too_fast_is_refused(store: &Store) {
    let (actor, partnership) = owner_and_partnership(store, "Cardiff").await;
    let p = &partnership.id;
    let id = workshop(store, &actor, &partnership, "ABCDEF").await;
    let ids = item_ids(store, &id).await;
    let fast = store.join_workshop(&id, &anonymous()).await.unwrap();
    let other = store.join_workshop(&id, &anonymous()).await.unwrap();
    store
        .move_workshop(&actor, p, &id, Move::Start)
        .await
        .unwrap();
    for n in 0..RATE_LIMIT {
        store
            .submit_answer(&id, &fast.id, &ids[0], &Answer::Note(format!("Note {n}")))
            .await
            .unwrap();
    }
    let refused = store
        .submit_answer(&id, &fast.id, &ids[0], &Answer::Note("One more".into()))
        .await;
    assert!(
        matches!(refused, Err(AnswerRefused::Rule(AnswerError::TooFast))),
        "{refused:?}"
    );
    store
        .submit_answer(&id, &other.id, &ids[0], &Answer::Note("Mine".into()))
        .await
        .unwrap();
    assert_eq!(
        store.workshop_answers(&id).await.unwrap().len(),
        RATE_LIMIT + 1
    );
}

/// Sends `answers` all at once, as a full room does (they are stored in batches).
async fn all_at_once(
    store: &Store,
    workshop: &str,
    item: &str,
    answers: Vec<(String, Answer)>,
) -> Vec<(String, Result<String, AnswerRefused>)> {
    let tasks: Vec<_> = answers
        .into_iter()
        .map(|(participant, answer)| {
            let (store, workshop, item) = (store.clone(), workshop.to_owned(), item.to_owned());
            tokio::spawn(async move {
                let outcome = store
                    .submit_answer(&workshop, &participant, &item, &answer)
                    .await;
                (participant, outcome)
            })
        })
        .collect();
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await.unwrap());
    }
    outcomes
}

async fn answers_sent_together_are_each_judged_as_if_alone(store: &Store) {
    let (actor, partnership) = owner_and_partnership(store, "Cardiff").await;
    let p = &partnership.id;
    let id = workshop(store, &actor, &partnership, "ABCDEF").await;
    let ids = item_ids(store, &id).await;
    let fast = store.join_workshop(&id, &anonymous()).await.unwrap();
    let mut room = Vec::new();
    for _ in 0..30 {
        room.push(store.join_workshop(&id, &anonymous()).await.unwrap());
    }
    store
        .move_workshop(&actor, p, &id, Move::Start)
        .await
        .unwrap();

    // One participant sends more than the limit among thirty others sending one each.
    let mut sent: Vec<(String, Answer)> = (0..RATE_LIMIT + 5)
        .map(|n| (fast.id.clone(), Answer::Note(format!("Fast {n}"))))
        .collect();
    sent.extend(
        room.iter()
            .map(|who| (who.id.clone(), Answer::Note("One each".into()))),
    );
    sent.push(("nobody".into(), Answer::Note("Stranger".into())));
    let outcomes = all_at_once(store, &id, &ids[0], sent).await;
    let from_fast: Vec<_> = outcomes.iter().filter(|(who, _)| *who == fast.id).collect();
    let accepted = from_fast.iter().filter(|(_, o)| o.is_ok()).count();
    let too_fast = from_fast
        .iter()
        .filter(|(_, o)| matches!(o, Err(AnswerRefused::Rule(AnswerError::TooFast))))
        .count();
    assert_eq!((accepted, too_fast), (RATE_LIMIT, 5));
    for (who, outcome) in &outcomes {
        if who == "nobody" {
            assert!(
                matches!(outcome, Err(AnswerRefused::Store(StoreError::NotFound))),
                "{outcome:?}"
            );
        } else if *who != fast.id {
            assert!(outcome.is_ok(), "{outcome:?}");
        }
    }
    let stored = store.workshop_answers(&id).await.unwrap();
    assert_eq!(stored.len(), RATE_LIMIT + room.len());
    for (_, outcome) in &outcomes {
        if let Ok(answer_id) = outcome {
            assert!(
                stored.iter().any(|a| a.id == *answer_id),
                "{answer_id} is stored"
            );
        }
    }

    // Several choices at once from one person leave one; an item not current is refused.
    store
        .move_workshop(&actor, p, &id, Move::Next)
        .await
        .unwrap();
    let chooser = &room[0].id;
    let choices = (0..3)
        .map(|choice| (chooser.clone(), Answer::Choice(choice)))
        .collect();
    let outcomes = all_at_once(store, &id, &ids[1], choices).await;
    assert!(outcomes.iter().all(|(_, o)| o.is_ok()), "{outcomes:?}");
    let on_choice: Vec<_> = store
        .workshop_answers(&id)
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.item_id == ids[1])
        .collect();
    assert_eq!(on_choice.len(), 1, "{on_choice:?}");
    let late = all_at_once(
        store,
        &id,
        &ids[0],
        vec![(room[1].id.clone(), Answer::Note("Late".into()))],
    )
    .await;
    assert!(
        matches!(late[0].1, Err(AnswerRefused::Rule(AnswerError::NotCurrent))),
        "{late:?}"
    );
}

async fn hidden_notes_and_groups_are_kept_and_audited(store: &Store) {
    let (actor, partnership) = owner_and_partnership(store, "Cardiff").await;
    let p = &partnership.id;
    let id = workshop(store, &actor, &partnership, "ABCDEF").await;
    let ids = item_ids(store, &id).await;
    let who = store.join_workshop(&id, &anonymous()).await.unwrap();
    store
        .move_workshop(&actor, p, &id, Move::Start)
        .await
        .unwrap();
    let mut notes = Vec::new();
    for text in ["Trust", "Time", "Rude"] {
        notes.push(
            store
                .submit_answer(&id, &who.id, &ids[0], &Answer::Note(text.into()))
                .await
                .unwrap(),
        );
    }
    store
        .set_answer_hidden(&actor, p, &id, &notes[2], true)
        .await
        .unwrap();
    store
        .group_answer(&actor, p, &id, &notes[0], Some("Relationships"))
        .await
        .unwrap();
    store
        .group_answer(&actor, p, &id, &notes[1], Some("Relationships"))
        .await
        .unwrap();
    store
        .group_answer(&actor, p, &id, &notes[1], Some("Capacity"))
        .await
        .unwrap();
    let clusters = store.workshop_clusters(&id).await.unwrap();
    let names: Vec<&str> = clusters.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Relationships", "Capacity"]);
    store
        .group_answer(&actor, p, &id, &notes[1], None)
        .await
        .unwrap();
    let clusters = store.workshop_clusters(&id).await.unwrap();
    assert_eq!(clusters.len(), 1, "an emptied group goes");
    let answers = store.workshop_answers(&id).await.unwrap();
    assert_eq!(
        answers[0].cluster_id.as_deref(),
        Some(clusters[0].id.as_str())
    );
    assert_eq!(answers[1].cluster_id, None);
    assert!(answers[2].hidden, "a hidden note is kept for the record");
    let missing = store.set_answer_hidden(&actor, p, &id, "nope", true).await;
    assert!(matches!(missing, Err(StoreError::NotFound)));
    let log = store.audit_log(p).await.unwrap();
    assert_eq!(
        log.iter()
            .filter(|e| e.action == "workshop.answer.group")
            .count(),
        4
    );
    assert_eq!(
        log.iter()
            .filter(|e| e.action == "workshop.answer.hide")
            .count(),
        1
    );
}

async fn actions_are_logged_filtered_and_changed(store: &Store) {
    let (actor, partnership) = owner_and_partnership(store, "Cardiff").await;
    let p = &partnership.id;
    let id = workshop(store, &actor, &partnership, "ABCDEF").await;
    store
        .add_decision(&actor, p, &id, "Adopt the framework")
        .await
        .unwrap();
    assert_eq!(
        store.decisions(&id).await.unwrap()[0].text,
        "Adopt the framework"
    );
    let action = |what: &str, owner: &str, due: Option<&str>, status| Action {
        what: what.into(),
        owner: owner.into(),
        due: due.map(|d| cradle_domain::services::parse_date(d).unwrap()),
        status,
    };
    let from_workshop = store
        .create_action(
            &actor,
            p,
            Some(&id),
            &action(
                "Map services",
                "Public health",
                Some("2027-03-31"),
                ActionStatus::Open,
            ),
        )
        .await
        .unwrap();
    let standalone = store
        .create_action(
            &actor,
            p,
            None,
            &action(
                "Train staff",
                "Health board",
                None,
                ActionStatus::InProgress,
            ),
        )
        .await
        .unwrap();
    store
        .create_action(
            &actor,
            p,
            None,
            &action(
                "Old",
                "Public health",
                Some("2026-01-01"),
                ActionStatus::Done,
            ),
        )
        .await
        .unwrap();
    let all = store
        .list_actions(p, &ActionFilter::default())
        .await
        .unwrap();
    let order: Vec<&str> = all.iter().map(|a| a.action.what.as_str()).collect();
    assert_eq!(
        order,
        ["Map services", "Train staff", "Old"],
        "open by due date, done last"
    );
    assert_eq!(
        all[0].workshop_title.as_deref(),
        Some("Shared understanding")
    );
    let filtered = store
        .list_actions(
            p,
            &ActionFilter {
                owner: Some("public".into()),
                status: Some(ActionStatus::Open),
                workshop: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(filtered.len(), 1);
    assert_eq!(filtered[0].id, from_workshop);
    let by_workshop = store
        .list_actions(
            p,
            &ActionFilter {
                workshop: Some(id.clone()),
                ..ActionFilter::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(by_workshop.len(), 1);
    let done = action(
        "Train staff",
        "Health board",
        Some("2027-06-30"),
        ActionStatus::Done,
    );
    store
        .update_action(&actor, p, &standalone, &done)
        .await
        .unwrap();
    assert_eq!(
        store.action(p, &standalone).await.unwrap().unwrap().action,
        done
    );
    let log = store.audit_log(p).await.unwrap();
    assert_eq!(log[0].action, "action.update");
    assert_eq!(log[0].before.as_ref().unwrap()["status"], "in-progress");
    assert_eq!(log[0].after.as_ref().unwrap()["status"], "done");
}

async fn another_partnerships_workshops_cannot_be_read_or_changed(store: &Store) {
    let (actor, partnership) = owner_and_partnership(store, "Cardiff").await;
    let (other_actor, other) = owner_and_partnership(store, "Gwynedd").await;
    let id = workshop(store, &actor, &partnership, "ABCDEF").await;
    let ids = item_ids(store, &id).await;
    let o = &other.id;
    assert!(store.workshop(o, &id).await.unwrap().is_none());
    assert!(store.workshops(o).await.unwrap().is_empty());
    let a = &other_actor;
    assert!(matches!(
        store.update_workshop(a, o, &id, &details("X")).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store
            .add_workshop_item(a, o, &id, &item("X", AnswerKind::Note, &[], 0))
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.remove_workshop_item(a, o, &id, &ids[0]).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.move_workshop_item(a, o, &id, &ids[1], true).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.set_item_locked(a, o, &id, &ids[0], true).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.move_workshop(a, o, &id, Move::Start).await,
        Err(MoveRefused::Store(StoreError::NotFound))
    ));
    assert!(matches!(
        store.add_decision(a, o, &id, "X").await,
        Err(StoreError::NotFound)
    ));
    let action = Action {
        what: "X".into(),
        owner: "Y".into(),
        due: None,
        status: ActionStatus::Open,
    };
    assert!(matches!(
        store.create_action(a, o, Some(&id), &action).await,
        Err(StoreError::NotFound)
    ));
    let mine = store
        .create_action(&actor, &partnership.id, None, &action)
        .await
        .unwrap();
    assert!(matches!(
        store.update_action(a, o, &mine, &action).await,
        Err(StoreError::NotFound)
    ));
    assert!(store.action(o, &mine).await.unwrap().is_none());
    // The other partnership's item ids do not work in this workshop either.
    let theirs = workshop(store, a, &other, "GHJKLM").await;
    let their_items = item_ids(store, &theirs).await;
    assert!(matches!(
        store
            .remove_workshop_item(&actor, &partnership.id, &id, &their_items[0])
            .await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(store.workshop_items(&theirs).await.unwrap().len(), 4);
}

async fn deleting_a_workshop_keeps_its_actions_and_is_audited(store: &Store) {
    let (actor, partnership) = owner_and_partnership(store, "Cardiff").await;
    let (other_actor, other) = owner_and_partnership(store, "Gwynedd").await;
    let p = &partnership.id;
    let id = workshop(store, &actor, &partnership, "ABCDEF").await;
    let ids = item_ids(store, &id).await;
    let who = store.join_workshop(&id, &anonymous()).await.unwrap();
    store
        .move_workshop(&actor, p, &id, Move::Start)
        .await
        .unwrap();
    store
        .submit_answer(&id, &who.id, &ids[0], &Answer::Note("Trust".into()))
        .await
        .unwrap();
    let action = Action {
        what: "Map services".into(),
        owner: "Public health".into(),
        due: None,
        status: ActionStatus::Open,
    };
    let kept = store
        .create_action(&actor, p, Some(&id), &action)
        .await
        .unwrap();

    // Another partnership cannot delete it.
    assert!(matches!(
        store.delete_workshop(&other_actor, &other.id, &id).await,
        Err(StoreError::NotFound)
    ));
    store.delete_workshop(&actor, p, &id).await.unwrap();
    assert!(store.workshop(p, &id).await.unwrap().is_none());
    assert!(
        store
            .workshop_by_code(&"ABCDEF".parse().unwrap())
            .await
            .unwrap()
            .is_none()
    );
    assert!(store.workshop_answers(&id).await.unwrap().is_empty());
    let actions = store
        .list_actions(p, &ActionFilter::default())
        .await
        .unwrap();
    let action = actions.iter().find(|a| a.id == kept).unwrap();
    assert_eq!(action.workshop_id, None, "the action stays, unlinked");
    let entry = store
        .audit_log(p)
        .await
        .unwrap()
        .into_iter()
        .find(|entry| entry.action == "workshop.delete")
        .unwrap();
    assert_eq!(entry.entity_id, id);
    // The workshop's answers are gone; the audit says how many there were.
    assert_eq!(entry.before.as_ref().unwrap()["answers"], 1);
    assert!(matches!(
        store.delete_workshop(&actor, p, &id).await,
        Err(StoreError::NotFound)
    ));
}
