//! Adding, changing and removing one service by form.

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use cradle_domain::places::PlaceLabel;
use cradle_domain::services::{self as map, Element, ServiceField, ServiceFields, split_values};
use cradle_domain::services::{Service, key_from_name};
use cradle_domain::vocabulary::{EcoLevel, Sector, Stage, Tier};
use cradle_store::StoreError;

use crate::AppState;
use crate::shared::auth::{Auth, actor, csrf};
use crate::shared::error::{AppError, render, with_status};
use crate::shared::forms::FormErrors;
use crate::shared::layout::Layout;
use crate::shared::routes::InPartnership;

use super::services_path;

/// One checkbox or radio in a group.
struct Choice {
    id: String,
    label: String,
    checked: bool,
}

/// A group of checkboxes (or radios) for one field.
struct ChoiceGroup {
    field: &'static str,
    legend: &'static str,
    hint: &'static str,
    multiple: bool,
    choices: Vec<Choice>,
}

impl ChoiceGroup {
    fn new(
        field: ServiceField,
        hint: &'static str,
        multiple: bool,
        options: impl IntoIterator<Item = (impl Into<String>, String)>,
        value: &str,
    ) -> Self {
        let chosen: Vec<&str> = split_values(value).collect();
        Self {
            field: field.column(),
            legend: field.label(),
            hint,
            multiple,
            choices: options
                .into_iter()
                .map(|(id, label)| {
                    let id = id.into();
                    Choice {
                        checked: chosen.iter().any(|value| value.eq_ignore_ascii_case(&id)),
                        id,
                        label,
                    }
                })
                .collect(),
        }
    }
}

fn terms<T: Copy>(
    all: &[T],
    id: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<(&'static str, String)> {
    all.iter()
        .map(|term| (id(*term), label(*term).to_owned()))
        .collect()
}

#[derive(Template)]
#[template(path = "services/form.html")]
struct ServiceForm {
    layout: Layout,
    csrf: String,
    scope: InPartnership,
    errors: FormErrors,
    action: String,
    heading: &'static str,
    button: &'static str,
    fields: ServiceFields,
    sectors: Vec<(&'static str, &'static str)>,
    tier: ChoiceGroup,
    age_bands: ChoiceGroup,
    levels: ChoiceGroup,
    elements: ChoiceGroup,
    relationship: ChoiceGroup,
    areas: ChoiceGroup,
    /// The service's id when editing, for the delete button.
    editing: Option<String>,
}

async fn service_form(
    auth: &Auth,
    scope: InPartnership,
    fields: ServiceFields,
    errors: FormErrors,
    editing: Option<String>,
) -> Result<Html<String>, AppError> {
    let base = services_path(&scope);
    let (heading, action, button) = match &editing {
        Some(id) => (
            "Change a service",
            format!("{base}/{id}/edit"),
            "Save changes",
        ),
        None => ("Add a service", format!("{base}/new"), "Add service"),
    };
    render(&ServiceForm {
        layout: Layout::new(heading, "/partnerships"),
        csrf: csrf::token(&auth.session).await?,
        errors,
        action,
        heading,
        button,
        sectors: Sector::ALL.iter().map(|s| (s.id(), s.label())).collect(),
        tier: ChoiceGroup::new(
            ServiceField::Tier,
            "The level of need the service meets.",
            false,
            terms(Tier::ALL, Tier::id, Tier::label),
            &fields.tier,
        ),
        age_bands: ChoiceGroup::new(
            ServiceField::AgeBands,
            "Select every age band the service works with.",
            true,
            terms(Stage::ALL, Stage::id, Stage::label),
            &fields.age_bands,
        ),
        levels: ChoiceGroup::new(
            ServiceField::Levels,
            "Optional. Select every level of the socio-ecological model the service works at.",
            true,
            terms(EcoLevel::ALL, EcoLevel::id, EcoLevel::label),
            &fields.levels,
        ),
        elements: ChoiceGroup::new(
            ServiceField::Elements,
            "Select the parts of the being and becoming framework the service supports, if any.",
            true,
            Element::ALL.map(|element| (element.id(), element.label())),
            &fields.elements,
        ),
        relationship: ChoiceGroup::new(
            ServiceField::WorksWithRelationship,
            "Does it work with the relationship between a baby and their parent or carer?",
            false,
            [("yes", "Yes".to_owned()), ("no", "No".to_owned())],
            if fields.works_with_relationship.is_empty() {
                "no"
            } else {
                &fields.works_with_relationship
            },
        ),
        areas: area_choices(&scope, &fields.areas),
        fields,
        scope,
        editing,
    })
}

/// The partnership's areas to tick, by name, with any other area the service already has
/// (from an imported file) so that saving the form keeps it.
fn area_choices(scope: &InPartnership, value: &str) -> ChoiceGroup {
    let mut codes: Vec<String> = scope
        .partnership
        .areas
        .iter()
        .map(|code| code.as_str().to_owned())
        .collect();
    for value in split_values(value) {
        if !codes.iter().any(|code| code.eq_ignore_ascii_case(value)) {
            codes.push(value.to_uppercase());
        }
    }
    ChoiceGroup::new(
        ServiceField::Areas,
        "Select the areas the service works in. Leave them all unticked if it serves the whole partnership.",
        true,
        codes.into_iter().map(|code| {
            let label = PlaceLabel(&code).to_string();
            (code, label)
        }),
        value,
    )
}

/// A submitted service form. Checkbox groups send one value per box ticked, so the body is
/// read pair by pair and repeated values joined with `;`, as a file's cell holds them.
fn fields_from_form(body: &[u8]) -> ServiceFields {
    let mut fields = ServiceFields::default();
    for (name, value) in form_urlencoded::parse(body) {
        let Ok(field) = name.parse::<ServiceField>() else {
            continue;
        };
        let current = fields.get(field);
        let joined = if current.is_empty() {
            value.into_owned()
        } else {
            format!("{current};{value}")
        };
        fields.set(field, joined);
    }
    fields
}

/// The fields in the order the form shows them, so that the error summary follows it.
const FORM_ORDER: [ServiceField; 14] = [
    ServiceField::Name,
    ServiceField::Provider,
    ServiceField::Key,
    ServiceField::Sector,
    ServiceField::Tier,
    ServiceField::AgeBands,
    ServiceField::Levels,
    ServiceField::Elements,
    ServiceField::WorksWithRelationship,
    ServiceField::Areas,
    ServiceField::Eligibility,
    ServiceField::ReferralFrom,
    ServiceField::Capacity,
    ServiceField::FundingEnd,
];

/// The form's problems, each attached to its field, in the form's order.
fn form_errors(errors: &[map::ServiceError]) -> FormErrors {
    let mut sorted: Vec<&map::ServiceError> = errors.iter().collect();
    sorted.sort_by_key(|error| FORM_ORDER.iter().position(|field| *field == error.field));
    let mut form = FormErrors::default();
    for error in sorted {
        form.add(error.field.column(), error.form_message());
    }
    form
}

pub(super) async fn new_form(
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
) -> Result<Html<String>, AppError> {
    service_form(
        &auth,
        scope,
        ServiceFields::default(),
        FormErrors::default(),
        None,
    )
    .await
}

/// The form's one problem when its key is another service's.
fn key_taken() -> FormErrors {
    let mut errors = FormErrors::default();
    errors.add(
        ServiceField::Key.column(),
        "Another service in this partnership already has this key: choose a different key",
    );
    errors
}

/// The form again, with what was typed and its problems.
async fn refuse_form(
    auth: &Auth,
    scope: InPartnership,
    fields: ServiceFields,
    errors: FormErrors,
    editing: Option<String>,
) -> Result<Response, AppError> {
    Ok(with_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        service_form(auth, scope, fields, errors, editing).await,
    ))
}

pub(super) async fn create(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    body: Bytes,
) -> Result<Response, AppError> {
    let mut fields = fields_from_form(&body);
    let typed_key = fields.key.trim().to_owned();
    if typed_key.is_empty() {
        fields.key = key_from_name(&fields.name).unwrap_or_default();
    }
    let validated = fields.validate();
    fields.key = typed_key.clone();
    let service = match validated {
        Ok(service) => service,
        Err(errors) => return refuse_form(&auth, scope, fields, form_errors(&errors), None).await,
    };
    if add_service(&state, &auth, &scope, service, typed_key.is_empty()).await? {
        Ok(Redirect::to(&services_path(&scope)).into_response())
    } else {
        refuse_form(&auth, scope, fields, key_taken(), None).await
    }
}

/// Adds the service, or answers `false` when its typed key is another service's. A key
/// made from the name is numbered instead (`little-steps-2`) until it is free.
async fn add_service(
    state: &AppState,
    auth: &Auth,
    scope: &InPartnership,
    mut service: Service,
    key_was_made: bool,
) -> Result<bool, AppError> {
    let base = service.key.clone();
    for number in 1..=50 {
        if number > 1 {
            service.key = format!("{base}-{number}");
        }
        match state
            .store
            .create_service(&actor(auth)?, &scope.partnership.id, &service)
            .await
        {
            Ok(_) => return Ok(true),
            Err(StoreError::KeyTaken) if key_was_made => {}
            Err(StoreError::KeyTaken) => return Ok(false),
            Err(error) => return Err(error.into()),
        }
    }
    Ok(false)
}

pub(super) async fn edit_form(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    let stored = state
        .store
        .service(&scope.partnership.id, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    let fields = ServiceFields::from_service(&stored.service);
    service_form(&auth, scope, fields, FormErrors::default(), Some(id)).await
}

pub(super) async fn update(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, AppError> {
    let fields = fields_from_form(&body);
    let service = match fields.validate() {
        Ok(service) => service,
        Err(errors) => {
            return refuse_form(&auth, scope, fields, form_errors(&errors), Some(id)).await;
        }
    };
    match state
        .store
        .update_service(&actor(&auth)?, &scope.partnership.id, &id, &service)
        .await
    {
        Ok(()) => Ok(Redirect::to(&services_path(&scope)).into_response()),
        Err(StoreError::KeyTaken) => refuse_form(&auth, scope, fields, key_taken(), Some(id)).await,
        Err(error) => Err(error.into()),
    }
}

pub(super) async fn delete(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    state
        .store
        .delete_service(&actor(&auth)?, &scope.partnership.id, &id)
        .await?;
    Ok(Redirect::to(&services_path(&scope)).into_response())
}
