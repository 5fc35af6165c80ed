//! Planning a workshop: the list, its details (from a template or blank), and deleting it.

use askama::Template;
use axum::Extension;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use cradle_domain::workshop::{self as rules, AgendaItem, WorkshopDetails};
use cradle_store::StoreError;
use serde::Deserialize;

use super::{date_field, date_label, load, new_join_code, workshop_path, workshops_path};
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
    use cradle_domain::vocabulary::Role::{Facilitator, Viewer};
    routes
        .get(
            "/partnerships/{partnership}/workshops",
            Partnership(Viewer),
            list,
        )
        .get(
            "/partnerships/{partnership}/workshops/new",
            Partnership(Facilitator),
            new_form,
        )
        .post(
            "/partnerships/{partnership}/workshops/new",
            Partnership(Facilitator),
            create,
        )
        .get(
            "/partnerships/{partnership}/workshops/{workshop}/edit",
            Partnership(Facilitator),
            edit_form,
        )
        .post(
            "/partnerships/{partnership}/workshops/{workshop}/edit",
            Partnership(Facilitator),
            update,
        )
        .post(
            "/partnerships/{partnership}/workshops/{workshop}/delete",
            Partnership(Facilitator),
            delete,
        )
}

pub(super) struct WorkshopLine {
    id: String,
    title: String,
    date: String,
    phase: &'static str,
}

#[derive(Template)]
#[template(path = "workshops/index.html")]
pub(super) struct ListPage {
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
pub(super) struct DetailsPage {
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

pub(super) async fn details_page(
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
            crate::shared::workshop_live::changed(&state, &id).await;
            Ok(Redirect::to(&workshops_path(&scope)).into_response())
        }
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
        .agenda(|kind, id| content.workshop_item_title(kind, id))
        .map_err(|problems| {
            AppError::Internal(format!(
                "template {} does not fit the content: {problems:?}",
                template.id
            ))
        })
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
    let id = create_with_free_code(&state, &auth, &scope, &details, template, &items).await?;
    Ok(Redirect::to(&workshop_path(&scope, &id)).into_response())
}

/// Creates the workshop under a new random join code, and gives its id.
async fn create_with_free_code(
    state: &AppState,
    auth: &Auth,
    scope: &InPartnership,
    details: &WorkshopDetails,
    template: Option<&rules::Template>,
    items: &[AgendaItem],
) -> Result<String, AppError> {
    let actor = actor(auth)?;
    // A clash of join codes is one in a billion; try a few times before giving up.
    for _ in 0..5 {
        let code = new_join_code()?;
        match state
            .store
            .create_workshop(
                &actor,
                &scope.partnership.id,
                details,
                template.map(|t| t.id),
                items,
                &code,
            )
            .await
        {
            Ok(id) => return Ok(id),
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
    state
        .store
        .update_workshop(&actor(&auth)?, &scope.partnership.id, &id, &details)
        .await?;
    Ok(Redirect::to(&workshop_path(&scope, &id)).into_response())
}
