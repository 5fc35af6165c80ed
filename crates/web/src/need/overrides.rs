//! The partnership's own figures in place of published ones.

use super::REASON_MAX;
use super::estimate::assumptions;
use crate::AppState;
use crate::shared::auth::{Auth, actor, csrf};
use crate::shared::error::{AppError, render, with_status};
use crate::shared::forms::FormErrors;
use crate::shared::layout::Layout;
use crate::shared::routes::InPartnership;
use askama::Template;
use axum::Extension;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use cradle_domain::need::{Assumption, Rate, RateError};
use cradle_domain::partnership::AreaCode;
use cradle_store::NewNeedOverride;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "need/overrides.html")]
pub(super) struct OverridesPage {
    pub(super) layout: Layout,
    pub(super) scope: InPartnership,
    pub(super) csrf: String,
    pub(super) errors: FormErrors,
    pub(super) current: Vec<OverrideRow>,
    pub(super) assumptions: Vec<(String, String, String)>,
    pub(super) areas: Vec<String>,
    pub(super) fields: OverrideForm,
}

pub(crate) struct OverrideRow {
    pub id: String,
    pub title: String,
    pub area: String,
    pub rate: String,
    pub published: String,
    pub reason: String,
    pub made_by: String,
    pub made_on: String,
}

#[derive(Deserialize, Default, Clone)]
pub(crate) struct OverrideForm {
    #[serde(default)]
    pub(super) assumption: String,
    #[serde(default)]
    pub(super) area: String,
    #[serde(default)]
    pub(super) low: String,
    #[serde(default)]
    pub(super) central: String,
    #[serde(default)]
    pub(super) high: String,
    #[serde(default)]
    pub(super) per: String,
    #[serde(default)]
    pub(super) reason: String,
    /// The id of an override to remove; when given, the other fields are ignored.
    #[serde(default)]
    pub(super) remove: String,
}

pub(super) async fn overrides_page(
    state: &AppState,
    auth: &Auth,
    scope: InPartnership,
    errors: FormErrors,
    fields: OverrideForm,
) -> Result<Html<String>, AppError> {
    let assumptions = assumptions(state);
    let published = |id: &str| assumptions.iter().find(|a| a.id == id);
    let current = state
        .store
        .need_overrides(&scope.partnership.id)
        .await?
        .into_iter()
        .map(|change| OverrideRow {
            title: published(&change.assumption_id)
                .map_or_else(|| change.assumption_id.clone(), |a| a.title.clone()),
            published: published(&change.assumption_id)
                .map_or_else(String::new, |a| a.rate.to_string()),
            rate: Rate::new(change.low, change.central, change.high, change.per)
                .map_or_else(|error| error.to_string(), |rate| rate.to_string()),
            area: change
                .area
                .as_ref()
                .map_or_else(|| "Every area".to_owned(), |code| code.label().to_string()),
            made_on: change.made_at.date().to_string(),
            id: change.id,
            reason: change.reason,
            made_by: change.made_by_label,
        })
        .collect();
    render(&OverridesPage {
        layout: Layout::new(
            format!("Local figures for {}", scope.partnership.name),
            "/partnerships",
        ),
        csrf: csrf::token(&auth.session).await?,
        areas: scope
            .partnership
            .areas
            .iter()
            .map(|code| code.as_str().to_owned())
            .collect(),
        scope,
        errors,
        current,
        assumptions: assumptions
            .iter()
            .map(|a| (a.id.clone(), a.title.clone(), a.rate.to_string()))
            .collect(),
        fields,
    })
}

pub(crate) async fn overrides(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
) -> Result<Html<String>, AppError> {
    let fields = OverrideForm {
        per: "100".to_owned(),
        ..OverrideForm::default()
    };
    overrides_page(&state, &auth, scope, FormErrors::default(), fields).await
}

/// A figure typed into the form, or the message to show beside it.
pub(super) fn figure(
    errors: &mut FormErrors,
    field: &'static str,
    label: &str,
    text: &str,
) -> Option<f64> {
    let text = text.trim();
    if text.is_empty() {
        errors.add(field, format!("Enter the {label} figure"));
        return None;
    }
    match text.parse::<f64>() {
        Ok(value) if value.is_finite() => Some(value),
        _ => {
            errors.add(
                field,
                format!("The {label} figure must be a number, like 12 or 0.5"),
            );
            None
        }
    }
}

impl OverrideForm {
    /// Checks every field; returns the override or every problem.
    fn validate(
        &self,
        assumptions: &[Assumption],
        areas: &[AreaCode],
    ) -> Result<NewNeedOverride, FormErrors> {
        let mut errors = FormErrors::default();
        let assumption = assumptions.iter().find(|a| a.id == self.assumption);
        if assumption.is_none() {
            errors.add("assumption", "Select the prevalence figure to replace");
        }
        let area = if self.area.is_empty() {
            None
        } else {
            let found = areas
                .iter()
                .find(|code| code.as_str() == self.area)
                .cloned();
            if found.is_none() {
                errors.add(
                    "area",
                    "Select one of the partnership's areas, or every area",
                );
            }
            found
        };
        let low = figure(&mut errors, "low", "low", &self.low);
        let central = figure(&mut errors, "central", "central", &self.central);
        let high = figure(&mut errors, "high", "high", &self.high);
        let per = match self.per.trim().parse::<u32>() {
            Ok(per) if per > 0 => Some(per),
            _ => {
                errors.add(
                    "per",
                    "Enter how many people the rate is per, such as 100 or 1000",
                );
                None
            }
        };
        let reason = errors.text("reason", "The reason", &self.reason, REASON_MAX, true);
        let (Some(assumption), Some(low), Some(central), Some(high), Some(per)) =
            (assumption, low, central, high, per)
        else {
            return Err(errors);
        };
        if let Err(error) = Rate::new(low, central, high, per) {
            let field = match error {
                RateError::NoDenominator => "per",
                RateError::NotANumber
                | RateError::Negative { .. }
                | RateError::LowAboveCentral { .. } => "low",
                RateError::CentralAboveHigh { .. } => "central",
                RateError::AboveEveryone { .. } => "high",
            };
            errors.add(field, error.to_string());
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(NewNeedOverride {
            assumption_id: assumption.id.clone(),
            area,
            low,
            central,
            high,
            per,
            reason,
        })
    }
}

pub(crate) async fn change_override(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Form(form): Form<OverrideForm>,
) -> Result<Response, AppError> {
    let id = scope.partnership.id.clone();
    if !form.remove.is_empty() {
        return match state
            .store
            .remove_need_override(&actor(&auth)?, &id, &form.remove)
            .await
        {
            Ok(()) => {
                Ok(Redirect::to(&format!("/partnerships/{id}/need/overrides")).into_response())
            }
            Err(error) => Err(error.into()),
        };
    }
    match form.validate(&assumptions(&state), &scope.partnership.areas) {
        Ok(change) => {
            state
                .store
                .set_need_override(&actor(&auth)?, &id, &change)
                .await?;
            Ok(Redirect::to(&format!("/partnerships/{id}/need")).into_response())
        }
        Err(errors) => Ok(with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            overrides_page(&state, &auth, scope, errors, form).await,
        )),
    }
}
