//! Planning a workshop's agenda: adding, changing, reordering and removing items.

use askama::Template;
use axum::Extension;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use cradle_domain::workshop::{self as rules, AgendaItem, AnswerKind, ItemFields, ItemKind};
use serde::Deserialize;

use super::{load, workshop_path};
use crate::AppState;
use crate::shared::auth::{Auth, actor, csrf};
use crate::shared::error::{AppError, render, with_status};
use crate::shared::forms::FormErrors;
use crate::shared::layout::Layout;
use crate::shared::routes::InPartnership;
use crate::shared::routes::Routes;
use crate::shared::workshop_view::form_errors;

/// These pages' routes, each with its access policy.
pub(super) fn routes(routes: Routes) -> Routes {
    use cradle_domain::access::Access::Partnership;
    use cradle_domain::vocabulary::Role::Facilitator;
    routes
        .get(
            "/partnerships/{partnership}/workshops/{workshop}/items/new",
            Partnership(Facilitator),
            new_item_form,
        )
        .post(
            "/partnerships/{partnership}/workshops/{workshop}/items/new",
            Partnership(Facilitator),
            create_item,
        )
        .get(
            "/partnerships/{partnership}/workshops/{workshop}/items/{item}/edit",
            Partnership(Facilitator),
            edit_item_form,
        )
        .post(
            "/partnerships/{partnership}/workshops/{workshop}/items/{item}/edit",
            Partnership(Facilitator),
            update_item,
        )
        .post(
            "/partnerships/{partnership}/workshops/{workshop}/items/{item}/move",
            Partnership(Facilitator),
            move_item,
        )
        .post(
            "/partnerships/{partnership}/workshops/{workshop}/items/{item}/remove",
            Partnership(Facilitator),
            remove_item,
        )
}

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
    #[serde(default)]
    instruction: String,
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
            instruction: self.instruction.clone(),
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
            instruction: fields.instruction,
        }
    }
}

/// A group of choices in the "about" list.
pub(super) struct AboutGroup {
    label: &'static str,
    choices: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "workshops/item_form.html")]
pub(super) struct ItemPage {
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

pub(super) async fn item_page(
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

pub(super) fn checked_item(state: &AppState, form: &ItemForm) -> Result<AgendaItem, FormErrors> {
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
    crate::shared::workshop_live::changed(&state, &id).await;
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
            crate::shared::workshop_live::changed(&state, &id).await;
            Ok(Redirect::to(&workshop_path(&scope, &id)).into_response())
        }
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
            crate::shared::workshop_live::changed(&state, &id).await;
            Ok(Redirect::to(&format!("{}#agenda", workshop_path(&scope, &id))).into_response())
        }
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
            crate::shared::workshop_live::changed(&state, &id).await;
            Ok(Redirect::to(&format!("{}#agenda", workshop_path(&scope, &id))).into_response())
        }
        Err(error) => Err(error.into()),
    }
}
