//! Workshops, for the partnership's members: planning an agenda from a template or from
//! scratch, running it (start, move through, lock, hide, close), the presenter view for
//! the big screen, the record afterwards with its CSV, and the partnership's action log.
//!
//! Who may do what: any member reads the list, the record and the action log; a
//! contributor may add an action (anyone in the room may commit to doing something); a
//! facilitator plans and runs workshops, records decisions and changes actions.

use askama::Template;
use axum::Extension;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use cradle_domain::workshop::{
    self as rules, ActionFields, ActionFilter, ActionStatus, AgendaItem, Answer, AnswerKind,
    FieldProblem, ItemFields, ItemKind, JoinCode, Move, Phase, WorkshopDetails,
};
use cradle_store::{
    MoveRefused, StoreError, StoredAction, StoredAnswer, StoredItem, StoredWorkshop,
};
use serde::Deserialize;

use crate::auth::{Auth, actor, csrf};
use crate::error::{AppError, render, with_status};
use crate::forms::FormErrors;
use crate::layout::Layout;
use crate::manage::site_address;
use crate::routes::InPartnership;
use crate::{AppState, csv_out};

pub(crate) fn workshops_path(scope: &InPartnership) -> String {
    format!("/partnerships/{}/workshops", scope.partnership.id)
}

fn workshop_path(scope: &InPartnership, id: &str) -> String {
    format!("{}/{id}", workshops_path(scope))
}

fn actions_path(scope: &InPartnership) -> String {
    format!("/partnerships/{}/actions", scope.partnership.id)
}

/// The domain's field problems as the form's errors. The item form's one "about" field
/// stands for the kind and the reference.
pub(crate) fn form_errors(problems: &[FieldProblem]) -> FormErrors {
    let mut errors = FormErrors::default();
    for problem in problems {
        let field = match problem.field {
            "kind" | "reference" => "about",
            other => other,
        };
        errors.add(field, problem.message.clone());
    }
    errors
}

async fn load(
    state: &AppState,
    scope: &InPartnership,
    id: &str,
) -> Result<StoredWorkshop, AppError> {
    state
        .store
        .workshop(&scope.partnership.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// A date as people read it, or "No date set".
fn date_label(date: Option<time::Date>) -> String {
    date.map_or_else(
        || "No date set".to_owned(),
        cradle_domain::services::long_date,
    )
}

fn date_field(date: Option<time::Date>) -> String {
    date.map(|date| {
        format!(
            "{:04}-{:02}-{:02}",
            date.year(),
            u8::from(date.month()),
            date.day()
        )
    })
    .unwrap_or_default()
}

/// A new random join code.
fn new_join_code() -> Result<JoinCode, AppError> {
    let mut bytes = [0u8; rules::JOIN_CODE_LENGTH];
    getrandom::fill(&mut bytes)
        .map_err(|error| AppError::Internal(format!("no randomness available: {error}")))?;
    Ok(JoinCode::from_random(bytes))
}

/// The join link people type or scan.
pub(crate) fn join_link(state: &AppState, headers: &HeaderMap, code: &str) -> String {
    format!("{}/join/{code}", site_address(state, headers))
}

// ----- Items as pages show them -----

/// An agenda item ready to show.
pub(crate) struct ItemView {
    pub id: String,
    /// 1-based, as people count.
    pub number: usize,
    pub title: String,
    pub kind: &'static str,
    pub answer: AnswerKind,
    pub answer_label: &'static str,
    pub votes: u8,
    pub minutes: u16,
    pub facilitator_notes: String,
    pub locked: bool,
    pub current: bool,
    /// The toolkit page about the content item, if any.
    pub link: Option<String>,
    /// What the content says, for context (a scenario's story, a characteristic's summary,
    /// a group's questions).
    pub detail: Vec<String>,
    pub takes_notes: bool,
    pub votes_on_notes: bool,
}

impl ItemView {
    pub(crate) fn new(state: &AppState, stored: &StoredItem, phase: Phase) -> Self {
        let item = &stored.item;
        let content = &state.library.content;
        let reference = item.reference.as_deref().unwrap_or("");
        let (link, detail) = match item.kind {
            ItemKind::Prompt => (Some("/toolkit/shared-understanding".to_owned()), Vec::new()),
            ItemKind::PromptGroup => (
                Some("/toolkit/shared-understanding".to_owned()),
                content
                    .prompts
                    .iter()
                    .filter(|prompt| prompt.theme == reference)
                    .map(|prompt| prompt.question.clone())
                    .collect(),
            ),
            ItemKind::Scenario => (
                Some(format!("/toolkit/scenarios/{reference}")),
                content
                    .scenarios
                    .by_id(reference)
                    .map(|s| {
                        std::iter::once(s.situation.clone())
                            .chain(s.prompts.iter().cloned())
                            .collect()
                    })
                    .unwrap_or_default(),
            ),
            ItemKind::Element => (
                Some(format!("/toolkit/framework/{reference}")),
                content
                    .elements
                    .by_id(reference)
                    .map(|e| vec![e.summary.clone()])
                    .unwrap_or_default(),
            ),
            ItemKind::Characteristic => (
                Some(format!("/toolkit/whole-system/{reference}")),
                content
                    .characteristics
                    .by_id(reference)
                    .map(|c| vec![c.summary.clone()])
                    .unwrap_or_default(),
            ),
            ItemKind::Competencies => (
                Some("/toolkit/workforce".to_owned()),
                content
                    .competency_domains
                    .by_id(reference)
                    .map(|d| vec![d.summary.clone()])
                    .unwrap_or_default(),
            ),
            ItemKind::Words => (
                Some("/toolkit/shared-understanding".to_owned()),
                content
                    .words
                    .iter()
                    .map(|word| word.concept.clone())
                    .collect(),
            ),
            ItemKind::Local => (None, Vec::new()),
        };
        Self {
            id: stored.id.clone(),
            number: stored.position + 1,
            title: item.title.clone(),
            kind: item.kind.label(),
            answer: item.answer,
            answer_label: item.answer.label(),
            votes: item.votes,
            minutes: item.minutes,
            facilitator_notes: item.facilitator_notes.clone(),
            locked: stored.locked,
            current: phase.current() == Some(stored.position),
            link,
            detail,
            takes_notes: item.takes_notes(),
            votes_on_notes: item.votes_on_notes(),
        }
    }
}

/// A visible note as shown, with its group and votes.
pub(crate) struct NoteView {
    pub id: String,
    pub text: String,
    pub cluster: Option<String>,
    pub votes: usize,
    /// "Sam, health visitor", or empty for an anonymous note.
    pub by: String,
}

/// What one item gathered: notes by group, option totals, ratings and votes.
pub(crate) struct Results {
    /// Groups of visible notes in the order made, then the ungrouped ones (name `None`).
    pub groups: Vec<(Option<String>, Vec<NoteView>)>,
    pub hidden: Vec<NoteView>,
    /// Each option with how many chose it (choice) or voted for it (dot-vote).
    pub options: Vec<(String, usize)>,
    /// How many gave each rating, 1 to 5, and the mean.
    pub ratings: Vec<(u8, usize)>,
    pub mean: Option<f64>,
    pub answer_count: usize,
}

pub(crate) struct WorkshopData {
    pub items: Vec<StoredItem>,
    pub answers: Vec<StoredAnswer>,
    pub votes: Vec<cradle_store::StoredVote>,
    pub clusters: Vec<cradle_store::Cluster>,
    pub participants: Vec<cradle_store::Participant>,
}

impl WorkshopData {
    pub(crate) async fn load(state: &AppState, workshop_id: &str) -> Result<Self, AppError> {
        Ok(Self {
            items: state.store.workshop_items(workshop_id).await?,
            answers: state.store.workshop_answers(workshop_id).await?,
            votes: state.store.workshop_votes(workshop_id).await?,
            clusters: state.store.workshop_clusters(workshop_id).await?,
            participants: state.store.participants(workshop_id).await?,
        })
    }

    fn by(&self, participant_id: &str) -> String {
        self.participants
            .iter()
            .find(|p| p.id == participant_id)
            .map(|p| {
                [
                    p.details.display_name.as_deref(),
                    p.details.profession.as_deref(),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ")
            })
            .unwrap_or_default()
    }

    pub(crate) fn results(&self, item: &StoredItem) -> Results {
        let answers: Vec<&StoredAnswer> = self
            .answers
            .iter()
            .filter(|a| a.item_id == item.id)
            .collect();
        let votes: Vec<&str> = self
            .votes
            .iter()
            .filter(|v| v.item_id == item.id)
            .map(|v| v.target.as_str())
            .collect();
        let note = |answer: &StoredAnswer, text: &str| NoteView {
            id: answer.id.clone(),
            text: text.to_owned(),
            cluster: answer.cluster_id.as_ref().and_then(|id| {
                self.clusters
                    .iter()
                    .find(|c| &c.id == id)
                    .map(|c| c.name.clone())
            }),
            votes: votes.iter().filter(|v| **v == answer.id).count(),
            by: self.by(&answer.participant_id),
        };
        let mut visible = Vec::new();
        let mut hidden = Vec::new();
        let mut choices = Vec::new();
        let mut ratings = Vec::new();
        for answer in &answers {
            match &answer.answer {
                Answer::Note(text) if answer.hidden => hidden.push(note(answer, text)),
                Answer::Note(text) => visible.push(note(answer, text)),
                Answer::Choice(option) => choices.push(*option),
                Answer::Rating(rating) => ratings.push(*rating),
            }
        }
        let mut groups: Vec<(Option<String>, Vec<NoteView>)> = self
            .clusters
            .iter()
            .filter(|c| c.item_id == item.id)
            .map(|c| (Some(c.name.clone()), Vec::new()))
            .collect();
        let mut loose = Vec::new();
        for note in visible {
            match groups
                .iter_mut()
                .find(|(name, _)| name.is_some() && *name == note.cluster)
            {
                Some((_, notes)) => notes.push(note),
                None => loose.push(note),
            }
        }
        groups.retain(|(_, notes)| !notes.is_empty());
        if !loose.is_empty() {
            groups.push((None, loose));
        }
        let options = match item.item.answer {
            AnswerKind::Choice => item
                .item
                .options
                .iter()
                .cloned()
                .zip(rules::choice_totals(item.item.options.len(), &choices))
                .collect(),
            AnswerKind::DotVote if !item.item.options.is_empty() => item
                .item
                .options
                .iter()
                .enumerate()
                .map(|(position, option)| {
                    let target = position.to_string();
                    (
                        option.clone(),
                        votes.iter().filter(|v| **v == target).count(),
                    )
                })
                .collect(),
            _ => Vec::new(),
        };
        if item.item.votes_on_notes() {
            for (_, notes) in &mut groups {
                notes.sort_by_key(|note| std::cmp::Reverse(note.votes));
            }
        }
        Results {
            groups,
            hidden,
            options,
            ratings: (1..=rules::RATING_MAX)
                .map(|r| (r, ratings.iter().filter(|x| **x == r).count()))
                .collect(),
            mean: rules::mean_rating(&ratings),
            answer_count: answers.len() + votes.len(),
        }
    }
}

// ----- The list and creating a workshop -----

struct WorkshopLine {
    id: String,
    title: String,
    date: String,
    phase: &'static str,
}

#[derive(Template)]
#[template(path = "workshops/index.html")]
struct ListPage {
    layout: Layout,
    scope: InPartnership,
    workshops: Vec<WorkshopLine>,
}

pub(crate) async fn list(
    State(state): State<AppState>,
    Extension(scope): Extension<InPartnership>,
) -> Result<Html<String>, AppError> {
    let workshops = state
        .store
        .workshops(&scope.partnership.id)
        .await?
        .into_iter()
        .map(|w| WorkshopLine {
            date: date_label(w.details.date),
            phase: w.phase.label(),
            title: w.details.title,
            id: w.id,
        })
        .collect();
    render(&ListPage {
        layout: Layout::new(
            format!("Workshops of {}", scope.partnership.name),
            "/partnerships",
        ),
        scope,
        workshops,
    })
}

#[derive(Deserialize, Default)]
pub(crate) struct DetailsForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    template: String,
}

#[derive(Template)]
#[template(path = "workshops/details_form.html")]
struct DetailsPage {
    layout: Layout,
    csrf: String,
    scope: InPartnership,
    errors: FormErrors,
    heading: &'static str,
    action: String,
    button: &'static str,
    fields: DetailsForm,
    /// (id, title, purpose) of each template, when creating.
    templates: Vec<(&'static str, &'static str, &'static str)>,
    creating: bool,
    title_hint: &'static str,
    reminder: &'static str,
    /// Where the delete form posts, when changing a workshop.
    delete_action: Option<String>,
}

async fn details_page(
    auth: &Auth,
    scope: InPartnership,
    fields: DetailsForm,
    errors: FormErrors,
    editing: Option<&str>,
) -> Result<Html<String>, AppError> {
    let (heading, action, button) = match editing {
        Some(id) => (
            "Change the workshop’s details",
            format!("{}/edit", workshop_path(&scope, id)),
            "Save changes",
        ),
        None => (
            "Plan a workshop",
            format!("{}/new", workshops_path(&scope)),
            "Create workshop",
        ),
    };
    render(&DetailsPage {
        layout: Layout::new(heading, "/partnerships"),
        csrf: csrf::token(&auth.session).await?,
        errors,
        heading,
        action,
        button,
        fields,
        templates: if editing.is_none() {
            rules::TEMPLATES
                .iter()
                .map(|t| (t.id, t.title, t.purpose))
                .collect()
        } else {
            Vec::new()
        },
        creating: editing.is_none(),
        title_hint: if editing.is_none() {
            "Leave blank to use the template’s title."
        } else {
            ""
        },
        reminder: rules::IDENTITY_REMINDER,
        delete_action: editing.map(|id| format!("{}/delete", workshop_path(&scope, id))),
        scope,
    })
}

/// Deletes a workshop and everything said in it; its actions stay in the action log. Open
/// presenter and participant pages hear of it and find it gone when they reload.
pub(crate) async fn delete(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    match state
        .store
        .delete_workshop(&actor(&auth)?, &scope.partnership.id, &id)
        .await
    {
        Ok(()) => {
            crate::workshop_live::changed(&state, &id).await;
            Ok(Redirect::to(&workshops_path(&scope)).into_response())
        }
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(error) => Err(error.into()),
    }
}

pub(crate) async fn new_form(
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
) -> Result<Html<String>, AppError> {
    details_page(
        &auth,
        scope,
        DetailsForm::default(),
        FormErrors::default(),
        None,
    )
    .await
}

/// A template's items, checked against the content as any typed item would be.
pub(crate) fn template_items(
    content: &cradle_content::Content,
    template: &rules::Template,
) -> Result<Vec<AgendaItem>, AppError> {
    template
        .items
        .iter()
        .map(|item| {
            ItemFields {
                kind: item.kind.id().into(),
                reference: item.reference.unwrap_or_default().into(),
                title: item.title.into(),
                answer: item.answer.id().into(),
                options: item.options.join("\n"),
                votes: item.votes.to_string(),
                minutes: item.minutes.to_string(),
                facilitator_notes: item.facilitator_notes.into(),
            }
            .validate(|kind, id| content.workshop_item_title(kind, id))
            .map_err(|problems| {
                AppError::Internal(format!(
                    "template {} does not fit the content: {problems:?}",
                    template.id
                ))
            })
        })
        .collect()
}

pub(crate) async fn create(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Form(mut fields): Form<DetailsForm>,
) -> Result<Response, AppError> {
    let template = match fields.template.as_str() {
        "" | "blank" => None,
        id => match rules::template(id) {
            Some(template) => Some(template),
            None => {
                let mut errors = FormErrors::default();
                errors.add(
                    "template",
                    "Select a template, or start with a blank agenda",
                );
                return Ok(with_status(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    details_page(&auth, scope, fields, errors, None).await,
                ));
            }
        },
    };
    if let Some(template) = template {
        if fields.title.trim().is_empty() {
            fields.title = template.title.to_owned();
        }
        if fields.purpose.trim().is_empty() {
            fields.purpose = template.purpose.to_owned();
        }
    }
    let details = match WorkshopDetails::validate(&fields.title, &fields.date, &fields.purpose) {
        Ok(details) => details,
        Err(problems) => {
            return Ok(with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                details_page(&auth, scope, fields, form_errors(&problems), None).await,
            ));
        }
    };
    let items = match template {
        Some(template) => template_items(&state.library.content, template)?,
        None => Vec::new(),
    };
    let actor = actor(&auth)?;
    // A clash of join codes is one in a billion; try a few times before giving up.
    for _ in 0..5 {
        let code = new_join_code()?;
        match state
            .store
            .create_workshop(
                &actor,
                &scope.partnership.id,
                &details,
                template.map(|t| t.id),
                &items,
                &code,
            )
            .await
        {
            Ok(id) => return Ok(Redirect::to(&workshop_path(&scope, &id)).into_response()),
            Err(StoreError::KeyTaken) => {}
            Err(error) => return Err(error.into()),
        }
    }
    Err(AppError::Internal("could not find a free join code".into()))
}

pub(crate) async fn edit_form(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    let workshop = load(&state, &scope, &id).await?;
    let fields = DetailsForm {
        title: workshop.details.title,
        date: date_field(workshop.details.date),
        purpose: workshop.details.purpose,
        template: String::new(),
    };
    details_page(&auth, scope, fields, FormErrors::default(), Some(&id)).await
}

pub(crate) async fn update(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
    Form(fields): Form<DetailsForm>,
) -> Result<Response, AppError> {
    let details = match WorkshopDetails::validate(&fields.title, &fields.date, &fields.purpose) {
        Ok(details) => details,
        Err(problems) => {
            return Ok(with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                details_page(&auth, scope, fields, form_errors(&problems), Some(&id)).await,
            ));
        }
    };
    match state
        .store
        .update_workshop(&actor(&auth)?, &scope.partnership.id, &id, &details)
        .await
    {
        Ok(()) => Ok(Redirect::to(&workshop_path(&scope, &id)).into_response()),
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(error) => Err(error.into()),
    }
}

// ----- The facilitator's page: agenda and controls -----

#[derive(Template)]
#[template(path = "workshops/manage.html")]
struct ManagePage {
    layout: Layout,
    csrf: String,
    scope: InPartnership,
    workshop: StoredWorkshop,
    date: String,
    items: Vec<ItemView>,
    join_link: String,
    base: String,
    errors: FormErrors,
    participants: usize,
}

async fn manage_page(
    state: &AppState,
    auth: &Auth,
    headers: &HeaderMap,
    scope: InPartnership,
    id: &str,
    errors: FormErrors,
) -> Result<Html<String>, AppError> {
    let workshop = load(state, &scope, id).await?;
    let items = state
        .store
        .workshop_items(id)
        .await?
        .iter()
        .map(|item| ItemView::new(state, item, workshop.phase))
        .collect();
    let participants = state.store.participants(id).await?.len();
    render(&ManagePage {
        layout: Layout::new(workshop.details.title.clone(), "/partnerships"),
        csrf: csrf::token(&auth.session).await?,
        date: date_label(workshop.details.date),
        join_link: join_link(state, headers, &workshop.join_code),
        base: workshop_path(&scope, id),
        scope,
        workshop,
        items,
        errors,
        participants,
    })
}

pub(crate) async fn manage(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    manage_page(&state, &auth, &headers, scope, &id, FormErrors::default()).await
}

/// The QR code of the join link, as SVG.
pub(crate) async fn qr(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let workshop = load(&state, &scope, &id).await?;
    let link = join_link(&state, &headers, &workshop.join_code);
    let code = qrcode::QrCode::new(link.as_bytes())
        .map_err(|error| AppError::Internal(format!("could not make a QR code: {error}")))?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build();
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "private, max-age=3600"),
        ],
        svg,
    )
        .into_response())
}

#[derive(Deserialize)]
pub(crate) struct MoveForm {
    #[serde(default)]
    to: String,
    /// Where to go back to: the presenter view or the facilitator's page.
    #[serde(default)]
    back: String,
}

fn back_to(scope: &InPartnership, id: &str, back: &str) -> String {
    match back {
        "present" => format!("{}/present", workshop_path(scope, id)),
        "record" => format!("{}/record", workshop_path(scope, id)),
        _ => workshop_path(scope, id),
    }
}

pub(crate) async fn change_phase(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<MoveForm>,
) -> Result<Response, AppError> {
    let change = match form.to.as_str() {
        "start" => Some(Move::Start),
        "next" => Some(Move::Next),
        "previous" => Some(Move::Previous),
        "close" => Some(Move::Close),
        other => other
            .strip_prefix("item-")
            .and_then(|n| n.parse::<usize>().ok())
            .and_then(|n| n.checked_sub(1))
            .map(Move::To),
    };
    let Some(change) = change else {
        let mut errors = FormErrors::default();
        errors.add("to", "Choose where to move the workshop");
        return Ok(with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            manage_page(&state, &auth, &headers, scope, &id, errors).await,
        ));
    };
    match state
        .store
        .move_workshop(&actor(&auth)?, &scope.partnership.id, &id, change)
        .await
    {
        Ok(_) => {
            crate::workshop_live::changed(&state, &id).await;
            Ok(Redirect::to(&back_to(&scope, &id, &form.back)).into_response())
        }
        Err(MoveRefused::Rule(rule)) => {
            let mut errors = FormErrors::default();
            errors.add("to", rule.to_string());
            Ok(with_status(
                StatusCode::CONFLICT,
                manage_page(&state, &auth, &headers, scope, &id, errors).await,
            ))
        }
        Err(MoveRefused::Store(StoreError::NotFound)) => Err(AppError::NotFound),
        Err(MoveRefused::Store(error)) => Err(error.into()),
    }
}

// ----- Agenda items -----

#[derive(Deserialize, Default)]
pub(crate) struct ItemForm {
    #[serde(default)]
    about: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    answer: String,
    #[serde(default)]
    options: String,
    #[serde(default)]
    votes: String,
    #[serde(default)]
    minutes: String,
    #[serde(default)]
    facilitator_notes: String,
}

impl ItemForm {
    fn fields(&self) -> ItemFields {
        let (kind, reference) = self
            .about
            .split_once(':')
            .unwrap_or((self.about.as_str(), ""));
        ItemFields {
            kind: kind.to_owned(),
            reference: reference.to_owned(),
            title: self.title.clone(),
            answer: self.answer.clone(),
            options: self.options.clone(),
            votes: self.votes.clone(),
            minutes: self.minutes.clone(),
            facilitator_notes: self.facilitator_notes.clone(),
        }
    }

    fn from_item(item: &AgendaItem) -> Self {
        let fields = ItemFields::from_item(item);
        Self {
            about: match &item.reference {
                Some(reference) => format!("{}:{reference}", item.kind.id()),
                None => item.kind.id().to_owned(),
            },
            title: fields.title,
            answer: fields.answer,
            options: fields.options,
            votes: fields.votes,
            minutes: fields.minutes,
            facilitator_notes: fields.facilitator_notes,
        }
    }
}

/// A group of choices in the "about" list.
struct AboutGroup {
    label: &'static str,
    choices: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "workshops/item_form.html")]
struct ItemPage {
    layout: Layout,
    csrf: String,
    scope: InPartnership,
    errors: FormErrors,
    heading: &'static str,
    action: String,
    button: &'static str,
    fields: ItemForm,
    plain: Vec<(String, &'static str)>,
    groups: Vec<AboutGroup>,
    answers: Vec<(&'static str, &'static str)>,
    back: String,
    reminder: &'static str,
}

async fn item_page(
    state: &AppState,
    auth: &Auth,
    scope: InPartnership,
    workshop_id: &str,
    fields: ItemForm,
    errors: FormErrors,
    editing: Option<&str>,
) -> Result<Html<String>, AppError> {
    let base = workshop_path(&scope, workshop_id);
    let (heading, action, button) = match editing {
        Some(item) => (
            "Change an agenda item",
            format!("{base}/items/{item}/edit"),
            "Save changes",
        ),
        None => (
            "Add an agenda item",
            format!("{base}/items/new"),
            "Add item",
        ),
    };
    let content = &state.library.content;
    render(&ItemPage {
        layout: Layout::new(heading, "/partnerships"),
        csrf: csrf::token(&auth.session).await?,
        errors,
        heading,
        action,
        button,
        fields,
        plain: [ItemKind::Local, ItemKind::Words]
            .into_iter()
            .map(|kind| (kind.id().to_owned(), kind.label()))
            .collect(),
        groups: ItemKind::ALL
            .iter()
            .filter(|kind| kind.needs_reference())
            .map(|kind| AboutGroup {
                label: kind.label(),
                choices: content
                    .workshop_item_choices(*kind)
                    .into_iter()
                    .map(|(id, title)| (format!("{}:{id}", kind.id()), title))
                    .collect(),
            })
            .collect(),
        answers: AnswerKind::ALL
            .iter()
            .map(|a| (a.id(), a.label()))
            .collect(),
        back: base,
        reminder: rules::IDENTITY_REMINDER,
        scope,
    })
}

pub(crate) async fn new_item_form(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    load(&state, &scope, &id).await?;
    let fields = ItemForm {
        about: "local".into(),
        answer: "note".into(),
        minutes: "10".into(),
        ..ItemForm::default()
    };
    item_page(
        &state,
        &auth,
        scope,
        &id,
        fields,
        FormErrors::default(),
        None,
    )
    .await
}

fn checked_item(state: &AppState, form: &ItemForm) -> Result<AgendaItem, FormErrors> {
    let content = &state.library.content;
    form.fields()
        .validate(|kind, id| content.workshop_item_title(kind, id))
        .map_err(|problems| form_errors(&problems))
}

pub(crate) async fn create_item(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<ItemForm>,
) -> Result<Response, AppError> {
    load(&state, &scope, &id).await?;
    let count = state.store.workshop_items(&id).await?.len();
    let checked = if count >= rules::ITEMS_MAX {
        let mut errors = FormErrors::default();
        errors.add(
            "about",
            format!(
                "An agenda can have at most {} items: remove one first",
                rules::ITEMS_MAX
            ),
        );
        Err(errors)
    } else {
        checked_item(&state, &form)
    };
    let item = match checked {
        Ok(item) => item,
        Err(errors) => {
            return Ok(with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                item_page(&state, &auth, scope, &id, form, errors, None).await,
            ));
        }
    };
    state
        .store
        .add_workshop_item(&actor(&auth)?, &scope.partnership.id, &id, &item)
        .await?;
    crate::workshop_live::changed(&state, &id).await;
    Ok(Redirect::to(&workshop_path(&scope, &id)).into_response())
}

pub(crate) async fn edit_item_form(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id, item)): Path<(String, String, String)>,
) -> Result<Html<String>, AppError> {
    load(&state, &scope, &id).await?;
    let stored = state
        .store
        .workshop_items(&id)
        .await?
        .into_iter()
        .find(|stored| stored.id == item)
        .ok_or(AppError::NotFound)?;
    let fields = ItemForm::from_item(&stored.item);
    item_page(
        &state,
        &auth,
        scope,
        &id,
        fields,
        FormErrors::default(),
        Some(&item),
    )
    .await
}

pub(crate) async fn update_item(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id, item_id)): Path<(String, String, String)>,
    Form(form): Form<ItemForm>,
) -> Result<Response, AppError> {
    let item = match checked_item(&state, &form) {
        Ok(item) => item,
        Err(errors) => {
            return Ok(with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                item_page(&state, &auth, scope, &id, form, errors, Some(&item_id)).await,
            ));
        }
    };
    match state
        .store
        .update_workshop_item(&actor(&auth)?, &scope.partnership.id, &id, &item_id, &item)
        .await
    {
        Ok(()) => {
            crate::workshop_live::changed(&state, &id).await;
            Ok(Redirect::to(&workshop_path(&scope, &id)).into_response())
        }
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(error) => Err(error.into()),
    }
}

#[derive(Deserialize)]
pub(crate) struct DirectionForm {
    #[serde(default)]
    direction: String,
}

pub(crate) async fn move_item(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id, item_id)): Path<(String, String, String)>,
    Form(form): Form<DirectionForm>,
) -> Result<Response, AppError> {
    let up = match form.direction.as_str() {
        "up" => true,
        "down" => false,
        _ => return Err(AppError::NotFound),
    };
    match state
        .store
        .move_workshop_item(&actor(&auth)?, &scope.partnership.id, &id, &item_id, up)
        .await
    {
        Ok(()) => {
            crate::workshop_live::changed(&state, &id).await;
            Ok(Redirect::to(&format!("{}#agenda", workshop_path(&scope, &id))).into_response())
        }
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(error) => Err(error.into()),
    }
}

pub(crate) async fn remove_item(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id, item_id)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    match state
        .store
        .remove_workshop_item(&actor(&auth)?, &scope.partnership.id, &id, &item_id)
        .await
    {
        Ok(()) => {
            crate::workshop_live::changed(&state, &id).await;
            Ok(Redirect::to(&format!("{}#agenda", workshop_path(&scope, &id))).into_response())
        }
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(error) => Err(error.into()),
    }
}

#[derive(Deserialize)]
pub(crate) struct LockForm {
    #[serde(default)]
    locked: String,
    #[serde(default)]
    back: String,
}

pub(crate) async fn lock_item(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id, item_id)): Path<(String, String, String)>,
    Form(form): Form<LockForm>,
) -> Result<Response, AppError> {
    let locked = form.locked != "false";
    match state
        .store
        .set_item_locked(&actor(&auth)?, &scope.partnership.id, &id, &item_id, locked)
        .await
    {
        Ok(()) => {
            crate::workshop_live::changed(&state, &id).await;
            Ok(Redirect::to(&back_to(&scope, &id, &form.back)).into_response())
        }
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(error) => Err(error.into()),
    }
}

// ----- The presenter view -----

#[derive(Template)]
#[template(path = "workshops/present.html")]
struct PresentPage {
    layout: Layout,
    csrf: String,
    workshop: StoredWorkshop,
    base: String,
    item: Option<ItemView>,
    results: Option<Results>,
    item_count: usize,
    participants: usize,
    join_link: String,
    errors: FormErrors,
}

async fn present_page(
    state: &AppState,
    auth: &Auth,
    headers: &HeaderMap,
    scope: InPartnership,
    id: &str,
    errors: FormErrors,
) -> Result<Html<String>, AppError> {
    let workshop = load(state, &scope, id).await?;
    let data = WorkshopData::load(state, id).await?;
    let current = workshop
        .phase
        .current()
        .and_then(|position| data.items.get(position));
    render(&PresentPage {
        layout: Layout::new(
            format!("Presenting: {}", workshop.details.title),
            "/partnerships",
        ),
        csrf: csrf::token(&auth.session).await?,
        base: workshop_path(&scope, id),
        item: current.map(|item| ItemView::new(state, item, workshop.phase)),
        results: current.map(|item| data.results(item)),
        item_count: data.items.len(),
        participants: data.participants.len(),
        join_link: join_link(state, headers, &workshop.join_code),
        workshop,
        errors,
    })
}

pub(crate) async fn present(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    present_page(&state, &auth, &headers, scope, &id, FormErrors::default()).await
}

#[derive(Deserialize)]
pub(crate) struct HideForm {
    #[serde(default)]
    hidden: String,
    #[serde(default)]
    back: String,
}

pub(crate) async fn hide_answer(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id, answer)): Path<(String, String, String)>,
    Form(form): Form<HideForm>,
) -> Result<Response, AppError> {
    let hidden = form.hidden != "false";
    match state
        .store
        .set_answer_hidden(&actor(&auth)?, &scope.partnership.id, &id, &answer, hidden)
        .await
    {
        Ok(()) => {
            crate::workshop_live::changed(&state, &id).await;
            Ok(Redirect::to(&back_to(&scope, &id, &form.back)).into_response())
        }
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(error) => Err(error.into()),
    }
}

#[derive(Deserialize)]
pub(crate) struct GroupForm {
    #[serde(default)]
    cluster: String,
}

pub(crate) async fn group_answer(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Extension(scope): Extension<InPartnership>,
    Path((_, id, answer)): Path<(String, String, String)>,
    Form(form): Form<GroupForm>,
) -> Result<Response, AppError> {
    let cluster = if form.cluster.trim().is_empty() {
        None
    } else {
        match rules::cluster_name(&form.cluster) {
            Ok(name) => Some(name),
            Err(problem) => {
                return Ok(with_status(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    present_page(&state, &auth, &headers, scope, &id, form_errors(&[problem]))
                        .await,
                ));
            }
        }
    };
    match state
        .store
        .group_answer(
            &actor(&auth)?,
            &scope.partnership.id,
            &id,
            &answer,
            cluster.as_deref(),
        )
        .await
    {
        Ok(()) => {
            crate::workshop_live::changed(&state, &id).await;
            Ok(Redirect::to(&format!("{}/present", workshop_path(&scope, &id))).into_response())
        }
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(error) => Err(error.into()),
    }
}

// ----- The record, decisions and actions -----

struct RecordItem {
    item: ItemView,
    results: Results,
}

struct ActionLine {
    id: String,
    what: String,
    owner: String,
    due: String,
    status: &'static str,
    workshop: Option<(String, String)>,
}

impl ActionLine {
    fn new(stored: StoredAction) -> Self {
        Self {
            workshop: stored.workshop_id.zip(stored.workshop_title),
            id: stored.id,
            due: stored
                .action
                .due
                .map(cradle_domain::services::long_date)
                .unwrap_or_else(|| "No date".to_owned()),
            status: stored.action.status.label(),
            what: stored.action.what,
            owner: stored.action.owner,
        }
    }
}

#[derive(Template)]
#[template(path = "workshops/record.html")]
struct RecordPage {
    layout: Layout,
    csrf: String,
    scope: InPartnership,
    workshop: StoredWorkshop,
    date: String,
    base: String,
    items: Vec<RecordItem>,
    participants: usize,
    decisions: Vec<cradle_store::Decision>,
    actions: Vec<ActionLine>,
    errors: FormErrors,
    action_fields: ActionFields,
    decision: String,
    statuses: Vec<(&'static str, &'static str)>,
    reminder: &'static str,
}

#[allow(clippy::too_many_arguments)]
async fn record_page(
    state: &AppState,
    auth: &Auth,
    scope: InPartnership,
    id: &str,
    errors: FormErrors,
    action_fields: ActionFields,
    decision: String,
) -> Result<Html<String>, AppError> {
    let workshop = load(state, &scope, id).await?;
    let data = WorkshopData::load(state, id).await?;
    let items = data
        .items
        .iter()
        .map(|item| RecordItem {
            item: ItemView::new(state, item, workshop.phase),
            results: data.results(item),
        })
        .collect();
    let filter = ActionFilter {
        workshop: Some(id.to_owned()),
        ..ActionFilter::default()
    };
    let actions = state
        .store
        .list_actions(&scope.partnership.id, &filter)
        .await?
        .into_iter()
        .map(ActionLine::new)
        .collect();
    render(&RecordPage {
        layout: Layout::new(
            format!("Record of {}", workshop.details.title),
            "/partnerships",
        ),
        csrf: csrf::token(&auth.session).await?,
        date: date_label(workshop.details.date),
        base: workshop_path(&scope, id),
        items,
        participants: data.participants.len(),
        decisions: state.store.decisions(id).await?,
        actions,
        errors,
        action_fields,
        decision,
        statuses: ActionStatus::ALL
            .iter()
            .map(|s| (s.id(), s.label()))
            .collect(),
        reminder: rules::IDENTITY_REMINDER,
        scope,
        workshop,
    })
}

pub(crate) async fn record(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    record_page(
        &state,
        &auth,
        scope,
        &id,
        FormErrors::default(),
        ActionFields::default(),
        String::new(),
    )
    .await
}

#[derive(Deserialize)]
pub(crate) struct DecisionForm {
    #[serde(default)]
    decision: String,
}

pub(crate) async fn add_decision(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, AppError> {
    let text = match rules::decision_text(&form.decision) {
        Ok(text) => text,
        Err(problem) => {
            return Ok(with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                record_page(
                    &state,
                    &auth,
                    scope,
                    &id,
                    form_errors(&[problem]),
                    ActionFields::default(),
                    form.decision,
                )
                .await,
            ));
        }
    };
    match state
        .store
        .add_decision(&actor(&auth)?, &scope.partnership.id, &id, &text)
        .await
    {
        Ok(_) => Ok(
            Redirect::to(&format!("{}/record#decisions", workshop_path(&scope, &id)))
                .into_response(),
        ),
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(error) => Err(error.into()),
    }
}

#[derive(Deserialize, Default)]
pub(crate) struct ActionForm {
    /// Set when the action answers a gap in the gap register.
    #[serde(default)]
    pub(crate) gap: String,
    #[serde(default)]
    what: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    due: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    workshop: String,
}

impl ActionForm {
    pub(crate) fn fields(&self) -> ActionFields {
        ActionFields {
            what: self.what.clone(),
            owner: self.owner.clone(),
            due: self.due.clone(),
            status: self.status.clone(),
        }
    }
}

pub(crate) async fn add_workshop_action(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    let fields = form.fields();
    let action = match fields.validate() {
        Ok(action) => action,
        Err(problems) => {
            return Ok(with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                record_page(
                    &state,
                    &auth,
                    scope,
                    &id,
                    form_errors(&problems),
                    fields,
                    String::new(),
                )
                .await,
            ));
        }
    };
    match state
        .store
        .create_action(&actor(&auth)?, &scope.partnership.id, Some(&id), &action)
        .await
    {
        Ok(_) => Ok(
            Redirect::to(&format!("{}/record#actions", workshop_path(&scope, &id))).into_response(),
        ),
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(error) => Err(error.into()),
    }
}

/// The whole record as CSV: one row per agenda item, answer, vote total, decision and
/// action. Hidden notes are left out (they were hidden as inappropriate).
pub(crate) async fn record_csv(
    State(state): State<AppState>,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let workshop = load(&state, &scope, &id).await?;
    let data = WorkshopData::load(&state, &id).await?;
    let mut rows: Vec<Vec<String>> = Vec::new();
    let row = |section: &str,
               number: String,
               item: &str,
               kind: &str,
               value: String,
               extra: String,
               by: String| {
        vec![
            section.to_owned(),
            number,
            item.to_owned(),
            kind.to_owned(),
            value,
            extra,
            by,
        ]
    };
    for stored in &data.items {
        let number = (stored.position + 1).to_string();
        let title = stored.item.title.as_str();
        rows.push(row(
            "agenda",
            number.clone(),
            title,
            stored.item.answer.label(),
            format!("{} minutes", stored.item.minutes),
            String::new(),
            String::new(),
        ));
        let results = data.results(stored);
        for (group, notes) in &results.groups {
            for note in notes {
                rows.push(row(
                    "note",
                    number.clone(),
                    title,
                    "note",
                    note.text.clone(),
                    group.clone().unwrap_or_default(),
                    note.by.clone(),
                ));
                if stored.item.votes_on_notes() {
                    rows.push(row(
                        "votes",
                        number.clone(),
                        title,
                        "votes for note",
                        note.text.clone(),
                        note.votes.to_string(),
                        String::new(),
                    ));
                }
            }
        }
        let kind = if stored.item.answer == AnswerKind::Choice {
            "choices"
        } else {
            "votes"
        };
        for (option, count) in &results.options {
            rows.push(row(
                "totals",
                number.clone(),
                title,
                kind,
                option.clone(),
                count.to_string(),
                String::new(),
            ));
        }
        if stored.item.answer == AnswerKind::Rating {
            for (rating, count) in &results.ratings {
                rows.push(row(
                    "totals",
                    number.clone(),
                    title,
                    "ratings",
                    rating.to_string(),
                    count.to_string(),
                    String::new(),
                ));
            }
        }
        if !results.hidden.is_empty() {
            rows.push(row(
                "hidden",
                number.clone(),
                title,
                "notes hidden by the facilitator",
                results.hidden.len().to_string(),
                String::new(),
                String::new(),
            ));
        }
    }
    for decision in state.store.decisions(&id).await? {
        rows.push(row(
            "decision",
            String::new(),
            "",
            "decision",
            decision.text,
            String::new(),
            String::new(),
        ));
    }
    let filter = ActionFilter {
        workshop: Some(id.clone()),
        ..ActionFilter::default()
    };
    for action in state
        .store
        .list_actions(&scope.partnership.id, &filter)
        .await?
    {
        rows.push(row(
            "action",
            String::new(),
            "",
            action.action.status.label(),
            action.action.what,
            date_field(action.action.due),
            action.action.owner,
        ));
    }
    let name = format!("cradle-workshop-{}.csv", workshop.join_code.to_lowercase());
    csv_out::download(
        &name,
        &[
            "section",
            "item",
            "item title",
            "kind",
            "value",
            "group or count",
            "by or owner",
        ],
        rows,
    )
}

// ----- The action log -----

#[derive(Deserialize, Default)]
pub(crate) struct ActionQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    workshop: String,
}

#[derive(Template)]
#[template(path = "workshops/actions.html")]
struct ActionsPage {
    layout: Layout,
    csrf: String,
    scope: InPartnership,
    actions: Vec<ActionLine>,
    query: ActionQuery,
    workshops: Vec<(String, String)>,
    statuses: Vec<(&'static str, &'static str)>,
    errors: FormErrors,
    fields: ActionForm,
    reminder: &'static str,
    filtered: bool,
}

async fn actions_page(
    state: &AppState,
    auth: &Auth,
    scope: InPartnership,
    query: ActionQuery,
    errors: FormErrors,
    fields: ActionForm,
) -> Result<Html<String>, AppError> {
    let filter = ActionFilter {
        status: query.status.parse().ok(),
        owner: Some(query.owner.trim().to_owned()).filter(|o| !o.is_empty()),
        workshop: Some(query.workshop.clone()).filter(|w| !w.is_empty()),
    };
    let actions = state
        .store
        .list_actions(&scope.partnership.id, &filter)
        .await?
        .into_iter()
        .map(ActionLine::new)
        .collect();
    let workshops = state
        .store
        .workshops(&scope.partnership.id)
        .await?
        .into_iter()
        .map(|w| (w.id, w.details.title))
        .collect();
    render(&ActionsPage {
        layout: Layout::new(
            format!("Action log of {}", scope.partnership.name),
            "/partnerships",
        ),
        csrf: csrf::token(&auth.session).await?,
        filtered: filter != ActionFilter::default(),
        actions,
        query,
        workshops,
        statuses: ActionStatus::ALL
            .iter()
            .map(|s| (s.id(), s.label()))
            .collect(),
        errors,
        fields,
        reminder: rules::IDENTITY_REMINDER,
        scope,
    })
}

pub(crate) async fn actions(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Query(query): Query<ActionQuery>,
) -> Result<Html<String>, AppError> {
    actions_page(
        &state,
        &auth,
        scope,
        query,
        FormErrors::default(),
        ActionForm::default(),
    )
    .await
}

pub(crate) async fn add_action(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    let action = match form.fields().validate() {
        Ok(action) => action,
        Err(problems) => {
            return Ok(with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                actions_page(
                    &state,
                    &auth,
                    scope,
                    ActionQuery::default(),
                    form_errors(&problems),
                    form,
                )
                .await,
            ));
        }
    };
    let workshop = Some(form.workshop.as_str()).filter(|w| !w.is_empty());
    match state
        .store
        .create_action(&actor(&auth)?, &scope.partnership.id, workshop, &action)
        .await
    {
        Ok(_) => Ok(Redirect::to(&actions_path(&scope)).into_response()),
        Err(StoreError::NotFound) => {
            let mut errors = FormErrors::default();
            errors.add(
                "workshop",
                "Select one of this partnership’s workshops, or none",
            );
            Ok(with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                actions_page(&state, &auth, scope, ActionQuery::default(), errors, form).await,
            ))
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Template)]
#[template(path = "workshops/action_form.html")]
struct ActionEditPage {
    layout: Layout,
    csrf: String,
    scope: InPartnership,
    errors: FormErrors,
    action: String,
    /// For a new action that answers a gap in the gap register: its key and wording.
    gap: Option<(String, String)>,
    fields: ActionFields,
    statuses: Vec<(&'static str, &'static str)>,
    reminder: &'static str,
}

/// The form for one action: changing an existing one (`gap` is `None`), or adding one that
/// answers a gap in the gap register.
pub(crate) async fn action_edit_page(
    auth: &Auth,
    scope: InPartnership,
    title: &str,
    post_to: String,
    gap: Option<(String, String)>,
    fields: ActionFields,
    errors: FormErrors,
) -> Result<Html<String>, AppError> {
    render(&ActionEditPage {
        layout: Layout::new(title, "/partnerships"),
        csrf: csrf::token(&auth.session).await?,
        errors,
        action: post_to,
        gap,
        fields,
        statuses: ActionStatus::ALL
            .iter()
            .map(|s| (s.id(), s.label()))
            .collect(),
        reminder: rules::IDENTITY_REMINDER,
        scope,
    })
}

pub(crate) async fn edit_action_form(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    let stored = state
        .store
        .action(&scope.partnership.id, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    let fields = ActionFields::from_action(&stored.action);
    let post_to = format!("{}/{id}/edit", actions_path(&scope));
    action_edit_page(
        &auth,
        scope,
        "Change an action",
        post_to,
        None,
        fields,
        FormErrors::default(),
    )
    .await
}

pub(crate) async fn update_action(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    let fields = form.fields();
    let post_to = format!("{}/{id}/edit", actions_path(&scope));
    let action = match fields.validate() {
        Ok(action) => action,
        Err(problems) => {
            return Ok(with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                action_edit_page(
                    &auth,
                    scope,
                    "Change an action",
                    post_to,
                    None,
                    fields,
                    form_errors(&problems),
                )
                .await,
            ));
        }
    };
    match state
        .store
        .update_action(&actor(&auth)?, &scope.partnership.id, &id, &action)
        .await
    {
        Ok(()) => Ok(Redirect::to(&actions_path(&scope)).into_response()),
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(error) => Err(error.into()),
    }
}

/// The demo partnership's example workshop: the shared understanding template, running at
/// its first item, with two invented participants' notes, so that a newcomer (and the
/// browser check) can see the presenter and participant pages. Join code `TEESVA`.
pub async fn load_demo_workshop(
    store: &cradle_store::Store,
    content: &cradle_content::Content,
    partnership_id: &str,
) -> Result<(), AppError> {
    let Some(template) = rules::template("shared-understanding") else {
        return Ok(());
    };
    let items = template_items(content, template)?;
    let details = WorkshopDetails {
        title: "Demo: building a shared understanding".into(),
        date: None,
        purpose: template.purpose.into(),
    };
    let code: JoinCode = DEMO_JOIN_CODE
        .parse()
        .map_err(|_| AppError::Internal("the demo join code is not valid".into()))?;
    let id = store
        .create_demo_workshop(partnership_id, &details, Some(template.id), &items, &code)
        .await?;
    let first = store
        .workshop_items(&id)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::Internal("the demo workshop has no items".into()))?;
    for (name, profession, note) in [
        (
            "Demo participant",
            "Health visitor",
            "Calm, curious, connected",
        ),
        (
            "",
            "Early years practitioner",
            "Feels safe with the people who care for them",
        ),
    ] {
        let details = rules::ParticipantDetails::validate(name, profession)
            .map_err(|_| AppError::Internal("demo participant".into()))?;
        let participant = store.join_workshop(&id, &details).await?;
        store
            .submit_answer(&id, &participant.id, &first.id, &Answer::Note(note.into()))
            .await
            .map_err(|error| AppError::Internal(format!("demo answer: {error}")))?;
    }
    Ok(())
}

/// The demo workshop's join code.
pub const DEMO_JOIN_CODE: &str = "TEESVA";
