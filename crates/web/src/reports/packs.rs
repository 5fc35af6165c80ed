//! Defining a pack (its sections, their order, title, author and introduction) and making
//! it: the document built from the partnership's picture today, in every format, kept as a
//! snapshot.

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use cradle_domain::report::{PackDefinition, PackFields, SectionKind, order_sections};
use cradle_domain::workshop::IDENTITY_REMINDER;
use cradle_store::StoreError;
use time::OffsetDateTime;

use super::{reports_page, reports_path};
use crate::AppState;
use crate::shared::auth::{Auth, actor, csrf};
use crate::shared::error::{AppError, render, with_status};
use crate::shared::forms::FormErrors;
use crate::shared::layout::Layout;
use crate::shared::routes::InPartnership;

/// One section as the form offers it.
struct SectionChoice {
    id: &'static str,
    label: &'static str,
    checked: bool,
    position: String,
}

#[derive(Template)]
#[template(path = "reports/pack_form.html")]
struct PackFormPage {
    layout: Layout,
    csrf: String,
    scope: InPartnership,
    errors: FormErrors,
    post_to: String,
    fields: PackFields,
    choices: Vec<SectionChoice>,
    reminder: &'static str,
    /// The pack's id when changing one (the page then offers to remove it).
    existing: Option<String>,
}

/// Every section, ticked and numbered as `fields` has them (all of them, in the offered
/// order, for a new pack).
fn choices(fields: &PackFields, fresh: bool) -> Vec<SectionChoice> {
    SectionKind::ALL
        .iter()
        .enumerate()
        .map(|(index, kind)| {
            let chosen = fields.sections.iter().position(|id| id == kind.id());
            SectionChoice {
                id: kind.id(),
                label: kind.label(),
                checked: fresh || chosen.is_some(),
                position: chosen.map_or(index + 1, |at| at + 1).to_string(),
            }
        })
        .collect()
}

async fn form_page(
    auth: &Auth,
    scope: InPartnership,
    existing: Option<String>,
    fields: PackFields,
    errors: FormErrors,
) -> Result<Html<String>, AppError> {
    let base = reports_path(&scope);
    let (title, post_to) = match &existing {
        Some(id) => ("Change a pack", format!("{base}/packs/{id}/edit")),
        None => ("Define a pack", format!("{base}/packs")),
    };
    let fresh = existing.is_none() && fields == PackFields::default();
    render(&PackFormPage {
        layout: Layout::new(title, "/partnerships"),
        csrf: csrf::token(&auth.session).await?,
        choices: choices(&fields, fresh),
        errors,
        post_to,
        fields,
        reminder: IDENTITY_REMINDER,
        existing,
        scope,
    })
}

/// The form's fields from its body: repeated `section` boxes and a `position-<id>` each.
fn pack_fields(body: &[u8]) -> PackFields {
    let mut fields = PackFields::default();
    let mut chosen = Vec::new();
    let mut positions = Vec::new();
    for (name, value) in form_urlencoded::parse(body) {
        match name.as_ref() {
            "name" => fields.name = value.into_owned(),
            "title" => fields.title = value.into_owned(),
            "author" => fields.author = value.into_owned(),
            "introduction" => fields.introduction = value.into_owned(),
            "section" => chosen.push(value.into_owned()),
            other => {
                if let Some(id) = other.strip_prefix("position-") {
                    positions.push((id.to_owned(), value.into_owned()));
                }
            }
        }
    }
    fields.sections = order_sections(&chosen, &positions);
    fields
}

fn fields_of(pack: &PackDefinition) -> PackFields {
    PackFields {
        name: pack.name.clone(),
        title: pack.title.clone(),
        author: pack.author.clone(),
        introduction: pack.introduction.clone(),
        sections: pack
            .sections
            .iter()
            .map(|kind| kind.id().to_owned())
            .collect(),
    }
}

pub(crate) async fn new_form(
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
) -> Result<Html<String>, AppError> {
    form_page(
        &auth,
        scope,
        None,
        PackFields::default(),
        FormErrors::default(),
    )
    .await
}

pub(crate) async fn edit_form(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    let pack = state
        .store
        .pack(&scope.partnership.id, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    let fields = fields_of(&pack.definition);
    form_page(&auth, scope, Some(id), fields, FormErrors::default()).await
}

/// Saves a new pack (`existing` is `None`) or changes one, or shows the form again with
/// every problem named.
async fn save(
    state: &AppState,
    auth: &Auth,
    scope: InPartnership,
    existing: Option<String>,
    body: &[u8],
) -> Result<Response, AppError> {
    let fields = pack_fields(body);
    let mut errors = FormErrors::default();
    match fields.check() {
        Ok(pack) => {
            let actor = actor(auth)?;
            let partnership = &scope.partnership.id;
            let saved = match &existing {
                Some(id) => {
                    state
                        .store
                        .update_pack(&actor, partnership, id, &pack)
                        .await
                }
                None => state
                    .store
                    .create_pack(Some(&actor), partnership, &pack)
                    .await
                    .map(drop),
            };
            match saved {
                Ok(()) => return Ok(Redirect::to(&reports_path(&scope)).into_response()),
                Err(StoreError::PackNameTaken) => errors.add(
                    "name",
                    "Another pack of this partnership has this name: choose another",
                ),
                Err(error) => return Err(error.into()),
            }
        }
        Err(issues) => {
            for issue in issues {
                errors.add(issue.field, issue.message);
            }
        }
    }
    Ok(with_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        form_page(auth, scope, existing, fields, errors).await,
    ))
}

pub(crate) async fn create(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    body: Bytes,
) -> Result<Response, AppError> {
    save(&state, &auth, scope, None, &body).await
}

pub(crate) async fn update(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, AppError> {
    save(&state, &auth, scope, Some(id), &body).await
}

pub(crate) async fn delete(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    state
        .store
        .delete_pack(&actor(&auth)?, &scope.partnership.id, &id)
        .await?;
    Ok(Redirect::to(&reports_path(&scope)).into_response())
}

/// Makes the pack from today's picture and keeps it as a snapshot; a pack that cannot be
/// made (too long, say) is answered with the Reports page and the reason.
pub(crate) async fn make(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let pack = state
        .store
        .pack(&scope.partnership.id, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    let today = OffsetDateTime::now_utc().date();
    let picture = cradle_report::picture(&state.store, &scope.partnership, today).await?;
    let document =
        cradle_report::document(&picture, &state.library.content, &pack.definition, today);
    let made = tokio::task::spawn_blocking(move || {
        cradle_report::snapshot_files(&document).map(|f| (document, f))
    })
    .await
    .map_err(|error| AppError::Internal(format!("making a pack stopped: {error}")))?;
    let (document, files) = match made {
        Ok(made) => made,
        Err(error) => {
            let problem = format!(
                "The pack \u{201c}{}\u{201d} could not be made: {error}.",
                pack.definition.name
            );
            return Ok(with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                reports_page(&state, &auth, scope, Some(problem)).await,
            ));
        }
    };
    let snapshot = state
        .store
        .save_snapshot(
            Some(&actor(&auth)?),
            &scope.partnership.id,
            &pack.definition.name,
            &document,
            &files,
        )
        .await?;
    Ok(Redirect::to(&format!("{}/{snapshot}", reports_path(&scope))).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_body_gives_sections_in_the_typed_order() {
        let body = b"name=Board&title=T&section=summary&position-summary=3&section=need\
&position-need=1&section=actions&position-actions=2&position-glossary=4";
        let fields = pack_fields(body);
        assert_eq!(fields.sections, ["need", "actions", "summary"]);
        assert_eq!(fields.name, "Board");
    }

    #[test]
    fn a_new_form_offers_every_section_ticked_in_order() {
        let offered = choices(&PackFields::default(), true);
        assert_eq!(offered.len(), SectionKind::ALL.len());
        assert!(offered.iter().all(|choice| choice.checked));
        assert_eq!(offered[2].position, "3");
        let fields = PackFields {
            sections: vec!["need".into(), "summary".into()],
            ..PackFields::default()
        };
        let kept = choices(&fields, false);
        let need = kept
            .iter()
            .find(|choice| choice.id == "need")
            .expect("need");
        assert!(need.checked);
        assert_eq!(need.position, "1");
        assert!(
            !kept
                .iter()
                .any(|choice| choice.id == "glossary" && choice.checked)
        );
    }
}
