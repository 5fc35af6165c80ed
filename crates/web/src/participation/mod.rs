//! Taking part in a workshop from one's own device, without an account: join with the code
//! (or the QR link), optionally give a display name and profession, then see the current
//! item and answer it. Works without JavaScript: reload to see the next item.
//!
//! The participant's id is kept in the (anonymous) session, one per workshop joined, so
//! nothing else identifies them.

mod events;

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use cradle_domain::workshop::{
    self as rules, Answer, AnswerError, AnswerKind, JoinCode, ParticipantDetails,
};
use cradle_store::{AnswerRefused, StoreError, StoredWorkshop};
use serde::Deserialize;
use tower_sessions::Session;

use crate::AppState;
use crate::shared::auth::{Auth, csrf};
use crate::shared::client_address::ClientAddress;
use crate::shared::error::{AppError, render, with_status};
use crate::shared::forms::FormErrors;
use crate::shared::inventory::InventoryPage;
use crate::shared::join_throttle;
use crate::shared::layout::Layout;
use crate::shared::routes::Routes;
use crate::shared::workshop_view::{ItemView, WorkshopData, form_errors};

/// This feature's routes, each with its access policy.
pub(crate) fn routes(routes: Routes) -> Routes {
    use cradle_domain::access::Access::Public;
    routes
        .get("/join", Public, join_form)
        .get("/join/{code}", Public, join_details)
        .post("/join/{code}", Public, join)
        .get("/w/{code}", Public, participate)
        .post("/w/{code}/answer", Public, answer)
        .get("/w/{code}/events", Public, events::participant_events)
}

/// The session key holding, for every workshop joined, its join code → [`Place`].
const SESSION_KEY: &str = "workshops_joined";

/// Where a participant is: the workshop and their id in it. Keyed by the join code in the
/// session, so that an answer needs no look-up of the code before it is stored.
#[derive(Debug, Clone, serde::Serialize, Deserialize)]
struct Place {
    workshop: String,
    participant: String,
}

async fn joined(session: &Session) -> Result<HashMap<String, Place>, AppError> {
    session
        .get::<HashMap<String, Place>>(SESSION_KEY)
        .await
        .map(Option::unwrap_or_default)
        .map_err(|error| AppError::Internal(format!("session error: {error}")))
}

/// This session's place in the workshop `workshop` (which has the code it was joined by).
async fn place_in(session: &Session, workshop: &StoredWorkshop) -> Result<Option<Place>, AppError> {
    Ok(joined(session)
        .await?
        .remove(&workshop.join_code)
        .filter(|place| place.workshop == workshop.id))
}

async fn remember(
    session: &Session,
    workshop: &StoredWorkshop,
    participant_id: &str,
) -> Result<(), AppError> {
    let mut all = joined(session).await?;
    all.insert(
        workshop.join_code.clone(),
        Place {
            workshop: workshop.id.clone(),
            participant: participant_id.to_owned(),
        },
    );
    session
        .insert(SESSION_KEY, all)
        .await
        .map_err(|error| AppError::Internal(format!("session error: {error}")))
}

fn code_of(text: &str) -> Result<JoinCode, AppError> {
    text.parse().map_err(|_| AppError::NotFound)
}

async fn by_code(state: &AppState, code: &str) -> Result<StoredWorkshop, AppError> {
    state
        .store
        .workshop_by_code(&code_of(code)?)
        .await?
        .ok_or(AppError::NotFound)
}

/// The id of the workshop with this code, if this session has joined it.
pub(crate) async fn joined_workshop(
    state: &AppState,
    auth: &Auth,
    code: &str,
) -> Result<Option<String>, AppError> {
    let workshop = by_code(state, code).await?;
    Ok(place_in(&auth.session, &workshop)
        .await?
        .map(|place| place.workshop))
}

// ----- Joining -----

#[derive(Template)]
#[template(path = "participation/join.html")]
struct JoinPage {
    layout: Layout,
    errors: FormErrors,
    code: String,
}

#[derive(Deserialize, Default)]
pub(crate) struct JoinQuery {
    code: Option<String>,
}

/// The code form. It is sent by GET, so it needs no session or token.
pub(crate) async fn join_form(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Query(query): Query<JoinQuery>,
) -> Result<Response, AppError> {
    let Some(typed) = query.code else {
        return Ok(render(&JoinPage {
            layout: Layout::new("Join a workshop", "/join"),
            errors: FormErrors::default(),
            code: String::new(),
        })?
        .into_response());
    };
    let mut errors = FormErrors::default();
    match typed.parse::<JoinCode>() {
        Ok(code) => match join_throttle::workshop_by_code(&state, &address, &code).await? {
            Some(_) => return Ok(Redirect::to(&format!("/join/{code}")).into_response()),
            None => errors.add(
                "code",
                "No workshop has this code: check it against the facilitator’s screen",
            ),
        },
        Err(problem) => errors.add("code", problem.to_string()),
    }
    Ok(with_status(
        StatusCode::BAD_REQUEST,
        render(&JoinPage {
            layout: Layout::new("Join a workshop", "/join"),
            errors,
            code: typed,
        }),
    ))
}

#[derive(Template)]
#[template(path = "participation/join_details.html")]
struct DetailsPage {
    layout: Layout,
    csrf: String,
    errors: FormErrors,
    workshop: StoredWorkshop,
    display_name: String,
    profession: String,
}

#[derive(Deserialize, Default)]
pub(crate) struct DetailsForm {
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    profession: String,
}

async fn details_page(
    auth: &Auth,
    workshop: StoredWorkshop,
    form: DetailsForm,
    errors: FormErrors,
) -> Result<Html<String>, AppError> {
    render(&DetailsPage {
        layout: Layout::new(format!("Join {}", workshop.details.title), "/join"),
        csrf: csrf::token(&auth.session).await?,
        errors,
        workshop,
        display_name: form.display_name,
        profession: form.profession,
    })
}

/// The QR link's page: a participant already in the workshop goes straight to it.
pub(crate) async fn join_details(
    State(state): State<AppState>,
    auth: Auth,
    ClientAddress(address): ClientAddress,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let workshop = join_throttle::workshop_by_linked_code(&state, &address, &code).await?;
    if place_in(&auth.session, &workshop).await?.is_some() {
        return Ok(Redirect::to(&format!("/w/{}", workshop.join_code)).into_response());
    }
    Ok(details_page(
        &auth,
        workshop,
        DetailsForm::default(),
        FormErrors::default(),
    )
    .await?
    .into_response())
}

pub(crate) async fn join(
    State(state): State<AppState>,
    auth: Auth,
    ClientAddress(address): ClientAddress,
    Path(code): Path<String>,
    Form(form): Form<DetailsForm>,
) -> Result<Response, AppError> {
    let workshop = join_throttle::workshop_by_linked_code(&state, &address, &code).await?;
    let details = match ParticipantDetails::validate(&form.display_name, &form.profession) {
        Ok(details) => details,
        Err(problems) => {
            return Ok(with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                details_page(&auth, workshop, form, form_errors(&problems)).await,
            ));
        }
    };
    let participant = match state.store.join_workshop(&workshop.id, &details).await {
        Ok(participant) => participant,
        Err(StoreError::NotFound) => {
            let mut errors = FormErrors::default();
            errors.add(
                "display_name",
                "This workshop has closed, so no one can join it now",
            );
            return Ok(with_status(
                StatusCode::CONFLICT,
                details_page(&auth, workshop, form, errors).await,
            ));
        }
        Err(error) => return Err(error.into()),
    };
    remember(&auth.session, &workshop, &participant.id).await?;
    crate::shared::workshop_live::changed(&state, &workshop.id).await;
    Ok(Redirect::to(&format!("/w/{}", workshop.join_code)).into_response())
}

// ----- Taking part -----

/// A note as a participant sees it: no names, and whether they may still vote for it.
struct SharedNote {
    id: String,
    text: String,
    votes: usize,
    mine: bool,
}

#[derive(Template)]
#[template(path = "participation/participate.html")]
struct ParticipatePage {
    layout: Layout,
    csrf: String,
    errors: FormErrors,
    workshop: StoredWorkshop,
    item: Option<ItemView>,
    notes: Vec<SharedNote>,
    /// The participant's own choice or rating on this item, if any.
    mine: Option<String>,
    votes_left: usize,
    options: Vec<(usize, String, usize)>,
    note: String,
    sent: bool,
    reminder: &'static str,
    note_max: usize,
}

#[derive(Deserialize, Default)]
pub(crate) struct SentQuery {
    sent: Option<String>,
}

async fn participant_of(
    state: &AppState,
    session: &Session,
    code: &str,
) -> Result<Result<(StoredWorkshop, String), Response>, AppError> {
    // Someone who has not joined is sent to the (throttled) join page before the code is
    // looked up, so that this page does not tell guessers which codes exist.
    let typed = code_of(code)?;
    if !joined(session).await?.contains_key(typed.as_str()) {
        return Ok(Err(Redirect::to(&format!("/join/{typed}")).into_response()));
    }
    let workshop = by_code(state, code).await?;
    match place_in(session, &workshop).await? {
        Some(place) => Ok(Ok((workshop, place.participant))),
        None => Ok(Err(
            Redirect::to(&format!("/join/{}", workshop.join_code)).into_response()
        )),
    }
}

#[allow(clippy::too_many_arguments)]
async fn participate_page(
    state: &AppState,
    auth: &Auth,
    workshop: StoredWorkshop,
    participant: &str,
    errors: FormErrors,
    note: String,
    sent_item: Option<&str>,
) -> Result<Html<String>, AppError> {
    let data = WorkshopData::load(state, &workshop.id).await?;
    let current = workshop
        .phase
        .current()
        .and_then(|position| data.items.get(position));
    let mut notes = Vec::new();
    let mut mine = None;
    let mut votes_left = 0;
    let mut options = Vec::new();
    if let Some(item) = current {
        let item_votes: Vec<_> = data.votes.iter().filter(|v| v.item_id == item.id).collect();
        for answer in data.answers.iter().filter(|a| a.item_id == item.id) {
            match &answer.answer {
                Answer::Note(text) if !answer.hidden => notes.push(SharedNote {
                    id: answer.id.clone(),
                    text: text.clone(),
                    votes: item_votes.iter().filter(|v| v.target == answer.id).count(),
                    mine: answer.participant_id == participant,
                }),
                Answer::Choice(option) if answer.participant_id == participant => {
                    mine = item.item.options.get(*option).cloned();
                }
                Answer::Rating(rating) if answer.participant_id == participant => {
                    mine = Some(rating.to_string());
                }
                _ => {}
            }
        }
        let cast = item_votes
            .iter()
            .filter(|v| v.participant_id == participant)
            .count();
        votes_left = usize::from(item.item.votes).saturating_sub(cast);
        options = item
            .item
            .options
            .iter()
            .enumerate()
            .map(|(position, option)| {
                let target = position.to_string();
                let my_votes = item_votes
                    .iter()
                    .filter(|v| v.participant_id == participant && v.target == target)
                    .count();
                (position, option.clone(), my_votes)
            })
            .collect();
    }
    render(&ParticipatePage {
        layout: Layout::new(workshop.details.title.clone(), "/"),
        csrf: csrf::token(&auth.session).await?,
        errors,
        item: current.map(|item| ItemView::new(state, item, workshop.phase)),
        workshop,
        notes,
        mine,
        votes_left,
        options,
        note,
        // Only for the item answered: after the agenda moves on, a reload shows none.
        sent: sent_item.is_some_and(|sent| current.is_some_and(|item| item.id == sent)),
        reminder: rules::IDENTITY_REMINDER,
        note_max: rules::NOTE_MAX,
    })
}

pub(crate) async fn participate(
    State(state): State<AppState>,
    auth: Auth,
    Path(code): Path<String>,
    Query(query): Query<SentQuery>,
) -> Result<Response, AppError> {
    let (workshop, participant) = match participant_of(&state, &auth.session, &code).await? {
        Ok(found) => found,
        Err(redirect) => return Ok(redirect),
    };
    Ok(participate_page(
        &state,
        &auth,
        workshop,
        &participant,
        FormErrors::default(),
        String::new(),
        query.sent.as_deref(),
    )
    .await?
    .into_response())
}

#[derive(Deserialize, Default)]
pub(crate) struct AnswerForm {
    #[serde(default)]
    item: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    choice: String,
    #[serde(default)]
    rating: String,
    #[serde(default)]
    target: String,
}

/// The field an answer problem belongs to.
fn field_of(kind: AnswerKind, error: &AnswerError) -> &'static str {
    match (kind, error) {
        (_, AnswerError::NoVotesLeft(_) | AnswerError::NoVoteTarget) => "votes",
        (AnswerKind::Choice, _) => "choice",
        (AnswerKind::Rating, _) => "rating",
        (AnswerKind::DotVote, AnswerError::EmptyNote | AnswerError::NoteTooLong) => "note",
        (AnswerKind::DotVote, _) => "votes",
        _ => "note",
    }
}

async fn refuse(
    state: &AppState,
    auth: &Auth,
    workshop: StoredWorkshop,
    participant: &str,
    kind: AnswerKind,
    error: &AnswerError,
    note: String,
) -> Result<Response, AppError> {
    let status = match error {
        AnswerError::TooFast => StatusCode::TOO_MANY_REQUESTS,
        AnswerError::NotStarted
        | AnswerError::Closed
        | AnswerError::NotCurrent
        | AnswerError::Locked => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let mut errors = FormErrors::default();
    errors.add(field_of(kind, error), error.to_string());
    Ok(with_status(
        status,
        participate_page(state, auth, workshop, participant, errors, note, None).await,
    ))
}

/// The kind of answer an item of `workshop` takes, for naming the field a refusal belongs
/// to (a note, when the item is not in the workshop).
async fn answer_kind(
    state: &AppState,
    workshop_id: &str,
    item_id: &str,
) -> Result<AnswerKind, AppError> {
    Ok(state
        .store
        .workshop_items(workshop_id)
        .await?
        .into_iter()
        .find(|item| item.id == item_id)
        .map_or(AnswerKind::Note, |item| item.item.answer))
}

/// Stores a vote (when the form names a target) or an answer: the new answer's id, or
/// `None` for a vote.
async fn store_answer(
    state: &AppState,
    place: &Place,
    form: &AnswerForm,
) -> Result<Option<String>, AnswerRefused> {
    if !form.target.is_empty() {
        state
            .store
            .cast_vote(
                &place.workshop,
                &place.participant,
                &form.item,
                &form.target,
            )
            .await
            .map(|()| None)
    } else {
        let (choice, rating, note) = (form.choice.clone(), form.rating.clone(), form.note.clone());
        state
            .store
            .answer_item(
                &place.workshop,
                &place.participant,
                &form.item,
                move |item| Answer::from_form(item, &choice, &rating, &note),
                Some(&crate::shared::workshop_live::topic(&place.workshop)),
            )
            .await
            .map(Some)
    }
}

/// An item id for the query string: ids are letters and digits, and anything else a
/// form could send is dropped rather than passed into the address.
fn item_for_query(item: &str) -> String {
    item.chars().filter(char::is_ascii_alphanumeric).collect()
}

/// One handler for notes, choices, ratings and votes: the form says which item, and the
/// field sent says what kind of answer it is. With a room answering at once every trip to
/// the database counts, so the workshop comes from the session and the store reads the
/// item once, in the transaction that stores the answer.
pub(crate) async fn answer(
    State(state): State<AppState>,
    auth: Auth,
    Path(code): Path<String>,
    Form(form): Form<AnswerForm>,
) -> Result<Response, AppError> {
    let code = code_of(&code)?;
    let Some(place) = joined(&auth.session).await?.remove(code.as_str()) else {
        return Ok(Redirect::to(&format!("/join/{code}")).into_response());
    };
    let result = store_answer(&state, &place, &form).await;
    let sent = format!("/w/{code}?sent={}", item_for_query(&form.item));
    match result {
        // A new answer was announced with its id as it was stored.
        Ok(Some(_)) => Ok(Redirect::to(&sent).into_response()),
        Ok(None) => {
            crate::shared::workshop_live::changed(&state, &place.workshop).await;
            Ok(Redirect::to(&sent).into_response())
        }
        Err(AnswerRefused::Rule(error)) => {
            let workshop = state
                .store
                .workshop_by_id(&place.workshop)
                .await?
                .ok_or(AppError::NotFound)?;
            let kind = answer_kind(&state, &workshop.id, &form.item).await?;
            refuse(
                &state,
                &auth,
                workshop,
                &place.participant,
                kind,
                &error,
                form.note,
            )
            .await
        }
        Err(AnswerRefused::Store(StoreError::NotFound)) => {
            // The participant's record went (the workshop was removed): join again.
            Ok(Redirect::to(&format!("/join/{code}")).into_response())
        }
        Err(AnswerRefused::Store(error)) => Err(error.into()),
    }
}

/// The page that asks for a join code, with a code that is not in use.
pub(crate) fn inventory() -> Vec<InventoryPage> {
    vec![
        InventoryPage::new("/join", "Join a workshop"),
        InventoryPage::new("/join?code=K0QM3R", "Error: Join a workshop").status(400),
    ]
}
