//! The demo's workshops: one running at its first item with join code [`DEMO_JOIN_CODE`],
//! and one finished, with its record, decisions and actions. Both are made from the
//! planning page's templates and answered through the same store functions participants'
//! phones use.

mod finished;

use cradle_content::Content;
use cradle_domain::actions::ActionFields;
use cradle_domain::workshop::{
    self as rules, Answer, JoinCode, Move, ParticipantDetails, WorkshopDetails, decision_text,
};
use cradle_store::{Actor, AnswerRefused, MoveRefused, Store, StoredItem};
use time::{Date, Duration};

use crate::DemoError;
use crate::services::iso;

pub(crate) use finished::load_finished;

/// The running demo workshop's join code.
pub const DEMO_JOIN_CODE: &str = "TEESVA";

/// What the room answered to one agenda item, each answer from the next participant in turn.
pub(super) enum Answers {
    None,
    Notes(&'static [&'static str]),
    Ratings(&'static [u8]),
    /// Notes, then votes on them (each vote the position of a note in this list).
    NotesThenVotes(&'static [&'static str], &'static [usize]),
    /// Votes on the item's options, by position.
    Votes(&'static [usize]),
}

/// The demo partnership's running workshop: the shared understanding template, running at
/// its first item, with two invented participants' notes, so that a newcomer (and the
/// browser check) can see the presenter and participant pages. Join code `TEESVA`. All the
/// web tests' server loads of the demo besides the partnership itself.
pub async fn load_running_workshop(
    store: &Store,
    content: &Content,
    partnership_id: &str,
) -> Result<(), DemoError> {
    let template = template("shared-understanding")?;
    let items = agenda(content, template)?;
    let details = WorkshopDetails {
        title: "Demo: building a shared understanding".into(),
        date: None,
        purpose: template.purpose.into(),
    };
    let code: JoinCode = DEMO_JOIN_CODE
        .parse()
        .map_err(|error| DemoError::invalid("join code", error))?;
    let id = store
        .create_demo_workshop(partnership_id, &details, Some(template.id), &items, &code)
        .await?;
    let first = first_item(store, &id).await?;
    let people = join(
        store,
        &id,
        &[
            ("Demo participant", "Health visitor"),
            ("", "Early years practitioner"),
        ],
    )
    .await?;
    let notes = Answers::Notes(&[
        "Calm, curious, connected",
        "Feels safe with the people who care for them",
    ]);
    answer(store, &id, &first, &people, &notes).await
}

/// The rest of the running workshop's record for the full demo: more participants, answers
/// to every item (the facilitator went through the agenda and back to the start), a
/// decision and an action.
pub(crate) async fn fill_running(
    store: &Store,
    actor: &Actor,
    partnership_id: &str,
    today: Date,
) -> Result<(), DemoError> {
    let code: JoinCode = DEMO_JOIN_CODE
        .parse()
        .map_err(|error| DemoError::invalid("join code", error))?;
    let workshop = store
        .workshop_by_code(&code)
        .await?
        .ok_or_else(|| DemoError::invalid("running workshop", "not found"))?;
    let id = workshop.id;
    let mut people: Vec<String> = store
        .participants(&id)
        .await?
        .into_iter()
        .map(|participant| participant.id)
        .collect();
    let newcomers = join(store, &id, RUNNING_NEWCOMERS).await?;
    people.extend(newcomers.iter().cloned());
    let items = store.workshop_items(&id).await?;
    for (stored, answers) in items.iter().zip(&RUNNING_ANSWERS).skip(1) {
        if matches!(answers, Answers::None) {
            continue;
        }
        move_to(store, actor, partnership_id, &id, Move::To(stored.position)).await?;
        answer(store, &id, &stored.id, &people, answers).await?;
    }
    move_to(store, actor, partnership_id, &id, Move::To(0)).await?;
    if let Some(first) = items.first() {
        answer(store, &id, &first.id, &newcomers, &RUNNING_ANSWERS[0]).await?;
    }
    let decision = "Use “felt safety” and “being understood” as the partnership’s shared words for a mentally healthy baby";
    record_decision(store, actor, partnership_id, &id, decision).await?;
    let action = ActionFields {
        what: "Draft a one-page glossary of the words agreed so far".to_owned(),
        owner: "Early years lead".to_owned(),
        due: iso(today + Duration::days(30)),
        status: "open".to_owned(),
    };
    record_action(store, actor, partnership_id, &id, &action).await
}

const RUNNING_NEWCOMERS: &[(&str, &str)] = &[
    ("Demo participant C", "Midwife"),
    ("", "Family hub worker"),
    ("Demo participant E", "Parent (invented)"),
];

/// The running workshop's answers, by agenda position: notes, notes, words we use, a
/// framework element (discussion only), language prompts, a rating, and a dot-vote on notes.
const RUNNING_ANSWERS: [Answers; 7] = [
    Answers::Notes(&["Loved", "Able to be comforted", "Playful"]),
    Answers::Notes(&[
        "Can show what they feel and be understood",
        "Has someone who notices and responds",
        "Feeds, sleeps and settles most of the time, with help",
    ]),
    Answers::Notes(&[
        "Health says attachment; early years says bonding",
        "Parents say “a good baby” when they mean a quiet one",
        "Regulation means something different to each profession",
    ]),
    Answers::None,
    Answers::Notes(&[
        "Avoid “mental health” on its own: families hear illness",
        "Talk about relationships, not diagnoses",
    ]),
    Answers::Ratings(&[2, 3, 3, 2, 4]),
    Answers::NotesThenVotes(
        &["Felt safety", "Being understood", "Connected"],
        &[0, 1, 0, 1, 0, 2, 1, 0],
    ),
];

pub(super) fn template(id: &str) -> Result<&'static rules::Template, DemoError> {
    rules::template(id).ok_or_else(|| DemoError::invalid("workshop template", id))
}

/// A template's agenda, checked against the content as the planning page checks it.
pub(super) fn agenda(
    content: &Content,
    template: &rules::Template,
) -> Result<Vec<rules::AgendaItem>, DemoError> {
    template
        .agenda(|kind, id| content.workshop_item_title(kind, id))
        .map_err(|problems| DemoError::invalid("workshop template", problems))
}

async fn first_item(store: &Store, workshop: &str) -> Result<String, DemoError> {
    store
        .workshop_items(workshop)
        .await?
        .into_iter()
        .next()
        .map(|item: StoredItem| item.id)
        .ok_or_else(|| DemoError::invalid("workshop", "the agenda is empty"))
}

/// Joins each (display name, profession) to the workshop; returns their ids.
pub(super) async fn join(
    store: &Store,
    workshop: &str,
    people: &[(&str, &str)],
) -> Result<Vec<String>, DemoError> {
    let mut ids = Vec::new();
    for (name, profession) in people {
        let details = ParticipantDetails::validate(name, profession)
            .map_err(|problems| DemoError::invalid("workshop participant", problems))?;
        ids.push(store.join_workshop(workshop, &details).await?.id);
    }
    Ok(ids)
}

/// Sends `answers` to the item, each from the next of `people` in turn.
pub(super) async fn answer(
    store: &Store,
    workshop: &str,
    item: &str,
    people: &[String],
    answers: &Answers,
) -> Result<(), DemoError> {
    let by = |index: usize| people.get(index % people.len().max(1));
    match answers {
        Answers::None => {}
        Answers::Notes(notes) => {
            post_notes(store, workshop, item, people, notes).await?;
        }
        Answers::Ratings(ratings) => {
            for (index, rating) in ratings.iter().enumerate() {
                if let Some(person) = by(index) {
                    let answer = Answer::Rating(*rating);
                    store
                        .submit_answer(workshop, person, item, &answer)
                        .await
                        .map_err(refused)?;
                }
            }
        }
        Answers::NotesThenVotes(notes, votes) => {
            let ids = post_notes(store, workshop, item, people, notes).await?;
            let targets: Vec<String> = votes.iter().filter_map(|v| ids.get(*v).cloned()).collect();
            cast_votes(store, workshop, item, people, &targets).await?;
        }
        Answers::Votes(options) => {
            let targets: Vec<String> = options.iter().map(usize::to_string).collect();
            cast_votes(store, workshop, item, people, &targets).await?;
        }
    }
    Ok(())
}

async fn post_notes(
    store: &Store,
    workshop: &str,
    item: &str,
    people: &[String],
    notes: &[&str],
) -> Result<Vec<String>, DemoError> {
    let mut ids = Vec::new();
    for (index, note) in notes.iter().enumerate() {
        if let Some(person) = people.get(index % people.len().max(1)) {
            let answer = Answer::Note((*note).to_owned());
            let id = store
                .submit_answer(workshop, person, item, &answer)
                .await
                .map_err(refused)?;
            ids.push(id);
        }
    }
    Ok(ids)
}

async fn cast_votes(
    store: &Store,
    workshop: &str,
    item: &str,
    people: &[String],
    targets: &[String],
) -> Result<(), DemoError> {
    for (index, target) in targets.iter().enumerate() {
        if let Some(person) = people.get(index % people.len().max(1)) {
            store
                .cast_vote(workshop, person, item, target)
                .await
                .map_err(refused)?;
        }
    }
    Ok(())
}

fn refused(error: AnswerRefused) -> DemoError {
    match error {
        AnswerRefused::Store(error) => DemoError::Store(error),
        AnswerRefused::Rule(rule) => DemoError::invalid("workshop answer", rule),
    }
}

pub(super) async fn move_to(
    store: &Store,
    actor: &Actor,
    partnership: &str,
    workshop: &str,
    change: Move,
) -> Result<(), DemoError> {
    match store
        .move_workshop(actor, partnership, workshop, change)
        .await
    {
        Ok(_) => Ok(()),
        Err(MoveRefused::Store(error)) => Err(DemoError::Store(error)),
        Err(MoveRefused::Rule(rule)) => Err(DemoError::invalid("workshop move", rule)),
    }
}

pub(super) async fn record_decision(
    store: &Store,
    actor: &Actor,
    partnership: &str,
    workshop: &str,
    text: &str,
) -> Result<(), DemoError> {
    let text = decision_text(text).map_err(|problem| DemoError::invalid("decision", problem))?;
    store
        .add_decision(actor, partnership, workshop, &text)
        .await?;
    Ok(())
}

pub(super) async fn record_action(
    store: &Store,
    actor: &Actor,
    partnership: &str,
    workshop: &str,
    fields: &ActionFields,
) -> Result<(), DemoError> {
    let action = fields
        .validate()
        .map_err(|problems| DemoError::invalid("action", problems))?;
    store
        .create_action(actor, partnership, Some(workshop), &action)
        .await?;
    Ok(())
}
