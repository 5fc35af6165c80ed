//! The finished workshop: a whole-system stock-take three weeks ago, run to the end and
//! closed, with its answers, decisions and actions (owners, due dates and statuses).

use cradle_content::Content;
use cradle_domain::actions::ActionFields;
use cradle_domain::partnership::Partnership;
use cradle_domain::workshop::{JOIN_CODE_LENGTH, JoinCode, Move, WorkshopDetails};
use cradle_store::{Actor, Store};
use time::{Date, Duration};

use super::{Answers, agenda, answer, join, move_to, record_action, record_decision, template};
use crate::DemoError;
use crate::services::iso;

const PEOPLE: &[(&str, &str)] = &[
    ("Demo participant F", "Public health lead"),
    ("", "Health visitor"),
    ("Demo participant H", "Perinatal mental health nurse"),
    ("", "Family hub manager"),
    ("Demo participant J", "Voluntary sector manager"),
    ("", "ICB commissioner"),
];

/// The answers, by agenda position: who touches a baby's life, five ratings, the evidence
/// heard, and a dot-vote on where to improve first.
const ANSWERS: [Answers; 8] = [
    Answers::Notes(&[
        "Health visitors, midwives, GPs, nurseries and family hubs",
        "Housing officers see families at their hardest times",
        "Faith groups and food banks know families we never meet",
        "Pharmacists and librarians see parents every week",
    ]),
    Answers::Ratings(&[4, 3, 4, 3, 3, 4]),
    Answers::Ratings(&[3, 3, 2, 3, 4, 3]),
    Answers::Ratings(&[1, 2, 4, 1, 2, 5]),
    Answers::Ratings(&[2, 1, 2, 2, 1, 2]),
    Answers::Ratings(&[1, 2, 1, 2, 1, 1]),
    Answers::Notes(&[
        "The perinatal pathway was agreed by all five areas",
        "Parents were not asked about the new family hub timetable",
        "Most funding is for one year at a time",
    ]),
    Answers::Votes(&[2, 3, 2, 4, 3, 2, 2, 3, 0, 2, 4, 3]),
];

const DECISIONS: &[&str] = &[
    "Make integrated pathways the partnership’s first priority for the coming year",
    "Set up a parent panel so that families help shape the next plan",
    "Repeat the whole-system self-assessment in twelve months",
];

/// Runs the stock-take from start to close, three weeks before `today`.
pub(crate) async fn load_finished(
    store: &Store,
    actor: &Actor,
    content: &Content,
    demo: &Partnership,
    today: Date,
) -> Result<(), DemoError> {
    let template = template("whole-system-stock-take")?;
    let items = agenda(content, template)?;
    let details = WorkshopDetails::validate(
        "Demo: whole-system stock-take (finished)",
        &iso(today - Duration::days(21)),
        template.purpose,
    )
    .map_err(|problems| DemoError::invalid("workshop", problems))?;
    let id = store
        .create_workshop(
            actor,
            &demo.id,
            &details,
            Some(template.id),
            &items,
            &random_code(),
        )
        .await?;
    move_to(store, actor, &demo.id, &id, Move::Start).await?;
    let people = join(store, &id, PEOPLE).await?;
    let stored = store.workshop_items(&id).await?;
    for (item, answers) in stored.iter().zip(&ANSWERS) {
        move_to(store, actor, &demo.id, &id, Move::To(item.position)).await?;
        answer(store, &id, &item.id, &people, answers).await?;
    }
    for decision in DECISIONS {
        record_decision(store, actor, &demo.id, &id, decision).await?;
    }
    for action in actions(today) {
        record_action(store, actor, &demo.id, &id, &action).await?;
    }
    move_to(store, actor, &demo.id, &id, Move::Close).await
}

/// A join code nobody will guess; the workshop is closed, so it admits no one anyway.
fn random_code() -> JoinCode {
    let random = uuid::Uuid::new_v4();
    let mut bytes = [0u8; JOIN_CODE_LENGTH];
    for (byte, from) in bytes.iter_mut().zip(random.as_bytes()) {
        *byte = *from;
    }
    JoinCode::from_random(bytes)
}

/// The stock-take's actions: one done, one under way, one not started.
fn actions(today: Date) -> [ActionFields; 3] {
    let action = |what: &str, owner: &str, due: Date, status: &str| ActionFields {
        what: what.to_owned(),
        owner: owner.to_owned(),
        due: iso(due),
        status: status.to_owned(),
    };
    [
        action(
            "Share the stock-take’s results with every partner’s board",
            "Partnership chair",
            today - Duration::days(7),
            "done",
        ),
        action(
            "Map the referral routes for toddlers across the five areas",
            "Public health intelligence team",
            today + Duration::days(60),
            "in-progress",
        ),
        action(
            "Recruit ten parents to a parent panel",
            "Family hubs network",
            today + Duration::days(120),
            "open",
        ),
    ]
}
