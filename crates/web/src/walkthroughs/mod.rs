//! Part 4, scenario walk-throughs: the partnership records what would happen in its area
//! for a national scenario or one of its own, and a gap register gathers the gaps and
//! risks found, beside the gaps the coverage rules find on the service map.

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use cradle_domain::services::{self as map};
use cradle_domain::vocabulary::{EcoLevel, Stage, Tier};
use cradle_domain::walkthrough::{
    LocalScenarioFields, WalkthroughFields, services_field, timing_field,
};
use cradle_store::{ScenarioRef, StoredService};
use time::OffsetDateTime;

use crate::AppState;
use crate::shared::auth::{Auth, actor, csrf};
use crate::shared::error::{AppError, render, with_status};
use crate::shared::forms::FormErrors;
use crate::shared::gap_actions::{self, GapActionCell};
use crate::shared::gap_sections::rule_sections;
use crate::shared::inventory::InventoryPage;
use crate::shared::layout::Layout;
use crate::shared::routes::InPartnership;
use crate::shared::routes::Routes;
use cradle_domain::partnership::Partnership;
use cradle_store::{Store, StoreError};

/// This feature's routes, each with its access policy.
pub(crate) fn routes(routes: Routes) -> Routes {
    use cradle_domain::access::Access::Partnership;
    use cradle_domain::vocabulary::Role::{Contributor, Viewer};
    routes
        .get(
            "/partnerships/{partnership}/scenarios",
            Partnership(Viewer),
            list,
        )
        .get(
            "/partnerships/{partnership}/scenarios/new",
            Partnership(Contributor),
            new_scenario_form,
        )
        .post(
            "/partnerships/{partnership}/scenarios/new",
            Partnership(Contributor),
            create_scenario,
        )
        .get(
            "/partnerships/{partnership}/scenarios/national/{scenario}/walk-through",
            Partnership(Contributor),
            national_form,
        )
        .post(
            "/partnerships/{partnership}/scenarios/national/{scenario}/walk-through",
            Partnership(Contributor),
            save_national,
        )
        .get(
            "/partnerships/{partnership}/scenarios/local/{scenario}/walk-through",
            Partnership(Contributor),
            local_form,
        )
        .post(
            "/partnerships/{partnership}/scenarios/local/{scenario}/walk-through",
            Partnership(Contributor),
            save_local,
        )
        .get(
            "/partnerships/{partnership}/walk-throughs/{walkthrough}",
            Partnership(Viewer),
            view,
        )
        .get(
            "/partnerships/{partnership}/gaps",
            Partnership(Viewer),
            register,
        )
}

fn base(scope: &InPartnership) -> String {
    format!("/partnerships/{}", scope.partnership.id)
}

// ----- The list -----

struct ScenarioLine {
    title: String,
    detail: String,
    walk_through: String,
    read_more: Option<String>,
}

struct WalkthroughLine {
    id: String,
    title: String,
    date: String,
    findings: usize,
}

#[derive(Template)]
#[template(path = "walkthroughs/index.html")]
struct ScenariosPage {
    layout: Layout,
    scope: InPartnership,
    national: Vec<ScenarioLine>,
    local: Vec<ScenarioLine>,
    walkthroughs: Vec<WalkthroughLine>,
}

fn detail(age: Stage, need: Tier, family: &str) -> String {
    let mut text = format!("{}; {} need", age.label(), need.label().to_lowercase());
    if !family.is_empty() {
        text.push_str("; ");
        text.push_str(family);
    }
    text
}

pub(crate) async fn list(
    State(state): State<AppState>,
    Extension(scope): Extension<InPartnership>,
) -> Result<Html<String>, AppError> {
    let base = base(&scope);
    // The partnership's own nation's scenarios first: services and policies differ by nation.
    let mut national: Vec<_> = state.library.content.scenarios.iter().collect();
    national.sort_by_key(|s| s.nation != scope.partnership.nation);
    let national = national
        .into_iter()
        .map(|s| ScenarioLine {
            title: s.title.clone(),
            detail: format!(
                "{}; set in {}",
                detail(s.age, s.need, &s.family),
                s.nation.label()
            ),
            walk_through: format!("{base}/scenarios/national/{}/walk-through", s.id),
            read_more: Some(format!("/toolkit/scenarios/{}", s.id)),
        })
        .collect();
    let local = state
        .store
        .scenarios(&scope.partnership.id)
        .await?
        .into_iter()
        .map(|s| ScenarioLine {
            detail: detail(s.scenario.age, s.scenario.need, &s.scenario.family),
            title: s.scenario.title,
            walk_through: format!("{base}/scenarios/local/{}/walk-through", s.id),
            read_more: None,
        })
        .collect();
    let walkthroughs = state
        .store
        .walkthroughs(&scope.partnership.id)
        .await?
        .into_iter()
        .map(|w| WalkthroughLine {
            findings: w.walkthrough.gaps.len() + w.walkthrough.risks.len(),
            date: map::long_date(w.updated_at.date()),
            title: w.scenario.title,
            id: w.id,
        })
        .collect();
    render(&ScenariosPage {
        layout: Layout::new(
            format!("Scenario walk-throughs in {}", scope.partnership.name),
            "/partnerships",
        ),
        scope,
        national,
        local,
        walkthroughs,
    })
}

// ----- Writing a scenario -----

#[derive(Template)]
#[template(path = "walkthroughs/new.html")]
struct NewScenarioPage {
    layout: Layout,
    csrf: String,
    scope: InPartnership,
    errors: FormErrors,
    fields: LocalScenarioFields,
    ages: Vec<(&'static str, &'static str, bool)>,
    needs: Vec<(&'static str, &'static str, bool)>,
}

async fn new_scenario_page(
    auth: &Auth,
    scope: InPartnership,
    fields: LocalScenarioFields,
    errors: FormErrors,
) -> Result<Html<String>, AppError> {
    render(&NewScenarioPage {
        layout: Layout::new("Write a scenario", "/partnerships"),
        csrf: csrf::token(&auth.session).await?,
        scope,
        errors,
        ages: Stage::ALL
            .iter()
            .map(|s| (s.id(), s.label(), fields.age == s.id()))
            .collect(),
        needs: Tier::ALL
            .iter()
            .map(|t| (t.id(), t.label(), fields.need == t.id()))
            .collect(),
        fields,
    })
}

pub(crate) async fn new_scenario_form(
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
) -> Result<Html<String>, AppError> {
    new_scenario_page(
        &auth,
        scope,
        LocalScenarioFields::default(),
        FormErrors::default(),
    )
    .await
}

pub(crate) async fn create_scenario(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    body: Bytes,
) -> Result<Response, AppError> {
    let mut fields = LocalScenarioFields::default();
    for (name, value) in form_urlencoded::parse(&body) {
        let value = value.into_owned();
        match name.as_ref() {
            "title" => fields.title = value,
            "age" => fields.age = value,
            "need" => fields.need = value,
            "family" => fields.family = value,
            "situation" => fields.situation = value,
            _ => {}
        }
    }
    let scenario = match fields.validate() {
        Ok(scenario) => scenario,
        Err(issues) => {
            let mut errors = FormErrors::default();
            for issue in issues {
                errors.add(issue.field, issue.message);
            }
            return Ok(with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                new_scenario_page(&auth, scope, fields, errors).await,
            ));
        }
    };
    let id = state
        .store
        .create_scenario(&actor(&auth)?, &scope.partnership.id, &scenario)
        .await?;
    Ok(Redirect::to(&format!(
        "{}/scenarios/local/{id}/walk-through",
        base(&scope)
    ))
    .into_response())
}

// ----- Walking through -----

/// The scenario as the walk-through form shows it.
struct ScenarioView {
    reference: ScenarioRef,
    detail: String,
    situation: String,
    prompts: Vec<String>,
    levels: Vec<EcoLevel>,
}

async fn scenario_view(
    state: &AppState,
    scope: &InPartnership,
    national: bool,
    id: &str,
) -> Result<ScenarioView, AppError> {
    if national {
        let s = state
            .library
            .content
            .scenarios
            .by_id(id)
            .ok_or(AppError::NotFound)?;
        Ok(ScenarioView {
            reference: ScenarioRef {
                national: true,
                id: s.id.clone(),
                title: s.title.clone(),
            },
            detail: format!("{}; {}", detail(s.age, s.need, &s.family), s.nation.label()),
            situation: s.situation.clone(),
            prompts: s.prompts.clone(),
            levels: s.levels.clone(),
        })
    } else {
        let s = state
            .store
            .scenario(&scope.partnership.id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(ScenarioView {
            detail: detail(s.scenario.age, s.scenario.need, &s.scenario.family),
            reference: ScenarioRef {
                national: false,
                id: s.id,
                title: s.scenario.title,
            },
            situation: s.scenario.situation,
            prompts: Vec::new(),
            levels: Vec::new(),
        })
    }
}

struct ServiceChoice {
    id: String,
    label: String,
    checked: bool,
}

struct LevelView {
    label: &'static str,
    in_scenario: bool,
    services_field: String,
    timing_field: String,
    services: Vec<ServiceChoice>,
    timing: String,
}

#[derive(Template)]
#[template(path = "walkthroughs/walkthrough_form.html")]
struct WalkthroughForm {
    layout: Layout,
    csrf: String,
    scope: InPartnership,
    errors: FormErrors,
    action: String,
    scenario: ScenarioView,
    who_would_notice: String,
    family_experience: String,
    gaps: String,
    risks: String,
    levels: Vec<LevelView>,
    has_services: bool,
}

fn service_label(stored: &StoredService) -> String {
    format!(
        "{} ({}, {})",
        stored.service.name,
        stored.service.provider,
        stored.service.tier.label().to_lowercase()
    )
}

async fn walkthrough_form(
    state: &AppState,
    auth: &Auth,
    scope: InPartnership,
    scenario: ScenarioView,
    fields: WalkthroughFields,
    errors: FormErrors,
) -> Result<Html<String>, AppError> {
    let services = state.store.services(&scope.partnership.id).await?;
    let levels = EcoLevel::ALL
        .iter()
        .map(|level| {
            let (picked, timing) = fields.levels.get(level).cloned().unwrap_or_default();
            LevelView {
                label: level.label(),
                in_scenario: scenario.levels.contains(level),
                services_field: services_field(*level),
                timing_field: timing_field(*level),
                services: services
                    .iter()
                    .map(|s| ServiceChoice {
                        checked: picked.contains(&s.id),
                        label: service_label(s),
                        id: s.id.clone(),
                    })
                    .collect(),
                timing,
            }
        })
        .collect();
    let kind = if scenario.reference.national {
        "national"
    } else {
        "local"
    };
    render(&WalkthroughForm {
        layout: Layout::new(
            format!("Walk through: {}", scenario.reference.title),
            "/partnerships",
        ),
        csrf: csrf::token(&auth.session).await?,
        action: format!(
            "{}/scenarios/{kind}/{}/walk-through",
            base(&scope),
            scenario.reference.id
        ),
        scope,
        errors,
        scenario,
        who_would_notice: fields.who_would_notice,
        family_experience: fields.family_experience,
        gaps: fields.gaps,
        risks: fields.risks,
        has_services: !services.is_empty(),
        levels,
    })
}

async fn show_form(
    state: AppState,
    auth: Auth,
    scope: InPartnership,
    national: bool,
    id: &str,
) -> Result<Html<String>, AppError> {
    let scenario = scenario_view(&state, &scope, national, id).await?;
    walkthrough_form(
        &state,
        &auth,
        scope,
        scenario,
        WalkthroughFields::default(),
        FormErrors::default(),
    )
    .await
}

pub(crate) async fn national_form(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    show_form(state, auth, scope, true, &id).await
}

pub(crate) async fn local_form(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    show_form(state, auth, scope, false, &id).await
}

fn walkthrough_fields(body: &[u8]) -> WalkthroughFields {
    let mut fields = WalkthroughFields::default();
    for (name, value) in form_urlencoded::parse(body) {
        let value = value.into_owned();
        match name.as_ref() {
            "who_would_notice" => fields.who_would_notice = value,
            "family_experience" => fields.family_experience = value,
            "gaps" => fields.gaps = value,
            "risks" => fields.risks = value,
            other => {
                if let Some(level) = other
                    .strip_prefix("services-")
                    .and_then(|l| l.parse::<EcoLevel>().ok())
                {
                    fields.levels.entry(level).or_default().0.push(value);
                } else if let Some(level) = other
                    .strip_prefix("timing-")
                    .and_then(|l| l.parse::<EcoLevel>().ok())
                {
                    fields.levels.entry(level).or_default().1 = value;
                }
            }
        }
    }
    fields
}

async fn save(
    state: AppState,
    auth: Auth,
    scope: InPartnership,
    national: bool,
    id: &str,
    body: &[u8],
) -> Result<Response, AppError> {
    let scenario = scenario_view(&state, &scope, national, id).await?;
    let fields = walkthrough_fields(body);
    let services = state.store.services(&scope.partnership.id).await?;
    let ids: Vec<&str> = services.iter().map(|s| s.id.as_str()).collect();
    let walkthrough = match fields.validate(&ids) {
        Ok(walkthrough) => walkthrough,
        Err(issues) => {
            let mut errors = FormErrors::default();
            for issue in issues {
                errors.add(issue.field, issue.message);
            }
            return Ok(with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                walkthrough_form(&state, &auth, scope, scenario, fields, errors).await,
            ));
        }
    };
    let saved = state
        .store
        .create_walkthrough(
            &actor(&auth)?,
            &scope.partnership.id,
            &scenario.reference,
            &walkthrough,
        )
        .await?;
    Ok(Redirect::to(&format!("{}/walk-throughs/{saved}", base(&scope))).into_response())
}

pub(crate) async fn save_national(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, AppError> {
    save(state, auth, scope, true, &id, &body).await
}

pub(crate) async fn save_local(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, AppError> {
    save(state, auth, scope, false, &id, &body).await
}

// ----- One walk-through -----

struct LevelAnswer {
    label: &'static str,
    services: Vec<String>,
    timing: String,
}

#[derive(Template)]
#[template(path = "walkthroughs/walkthrough.html")]
struct WalkthroughPage {
    layout: Layout,
    scope: InPartnership,
    title: String,
    scenario_link: Option<String>,
    date: String,
    who_would_notice: String,
    family_experience: String,
    levels: Vec<LevelAnswer>,
    gaps: Vec<String>,
    risks: Vec<String>,
}

pub(crate) async fn view(
    State(state): State<AppState>,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    let stored = state
        .store
        .walkthrough(&scope.partnership.id, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    let services = state.store.services(&scope.partnership.id).await?;
    let levels = stored
        .walkthrough
        .responses
        .iter()
        .map(|response| LevelAnswer {
            label: response.level.label(),
            services: response
                .services
                .iter()
                .map(|id| {
                    services.iter().find(|s| s.id == *id).map_or_else(
                        || "A service since removed from the map".to_owned(),
                        service_label,
                    )
                })
                .collect(),
            timing: response.timing.clone(),
        })
        .collect();
    let scenario_link = stored
        .scenario
        .national
        .then(|| format!("/toolkit/scenarios/{}", stored.scenario.id));
    render(&WalkthroughPage {
        layout: Layout::new(
            format!("Walk-through: {}", stored.scenario.title),
            "/partnerships",
        ),
        title: stored.scenario.title,
        scenario_link,
        date: map::long_date(stored.updated_at.date()),
        who_would_notice: stored.walkthrough.who_would_notice,
        family_experience: stored.walkthrough.family_experience,
        levels,
        gaps: stored.walkthrough.gaps,
        risks: stored.walkthrough.risks,
        scope,
    })
}

// ----- The gap register -----

struct FindingLine {
    kind: &'static str,
    description: String,
    source: String,
    source_link: String,
    action: GapActionCell,
}

/// A coverage gap in the register, with its action.
struct CoverageLine {
    message: String,
    action: GapActionCell,
}

struct CoverageSection {
    id: &'static str,
    title: &'static str,
    gaps: Vec<CoverageLine>,
}

#[derive(Template)]
#[template(path = "walkthroughs/gaps.html")]
struct GapsPage {
    layout: Layout,
    scope: InPartnership,
    findings: Vec<FindingLine>,
    coverage: Vec<CoverageSection>,
    coverage_count: usize,
    service_count: usize,
}

pub(crate) async fn register(
    State(state): State<AppState>,
    Extension(scope): Extension<InPartnership>,
) -> Result<Html<String>, AppError> {
    let base = base(&scope);
    let linked = gap_actions::linked_actions(&state, &scope).await?;
    let findings = state
        .store
        .walkthrough_findings(&scope.partnership.id)
        .await?
        .into_iter()
        .map(|f| FindingLine {
            kind: f.kind.label(),
            source: format!("Walk-through: {}", f.scenario_title),
            source_link: format!("{base}/walk-throughs/{}", f.walkthrough_id),
            action: gap_actions::cell(&scope, &linked, &gap_actions::finding_key(&f.id)),
            description: f.description,
        })
        .collect();
    let services: Vec<_> = state
        .store
        .services(&scope.partnership.id)
        .await?
        .into_iter()
        .map(|s| s.service)
        .collect();
    let gaps = map::gaps(&services, OffsetDateTime::now_utc().date());
    render(&GapsPage {
        layout: Layout::new(
            format!("Gap register of {}", scope.partnership.name),
            "/partnerships",
        ),
        coverage_count: gaps.len(),
        coverage: rule_sections(gaps)
            .into_iter()
            .map(|section| CoverageSection {
                id: section.id,
                title: section.title,
                gaps: section
                    .gaps
                    .into_iter()
                    .map(|gap| CoverageLine {
                        action: gap_actions::cell(
                            &scope,
                            &linked,
                            &gap_actions::coverage_key(&gap.message),
                        ),
                        message: gap.message,
                    })
                    .collect(),
            })
            .collect(),
        service_count: services.len(),
        findings,
        scope,
    })
}

/// The scenario and gap register pages of a partnership, with pages of the first national
/// scenario and the newest local scenario and walk-through where there are any (the
/// browser check's journey makes them); the forms are visited signed in.
pub(crate) async fn inventory(
    store: &Store,
    content: &cradle_content::Content,
    partnership: &Partnership,
) -> Result<Vec<InventoryPage>, StoreError> {
    let id = &partnership.id;
    let name = &partnership.name;
    let mut pages = vec![
        InventoryPage::new(
            format!("/partnerships/{id}/scenarios"),
            format!("Scenario walk-throughs in {name}"),
        ),
        InventoryPage::new(
            format!("/partnerships/{id}/scenarios/new"),
            "Write a scenario",
        )
        .signed_in(),
        InventoryPage::new(
            format!("/partnerships/{id}/gaps"),
            format!("Gap register of {name}"),
        ),
    ];
    if let Some(scenario) = content.scenarios.iter().next() {
        pages.push(
            InventoryPage::new(
                format!(
                    "/partnerships/{id}/scenarios/national/{}/walk-through",
                    scenario.id
                ),
                format!("Walk through: {}", scenario.title),
            )
            .signed_in(),
        );
    }
    if let Some(local) = store.scenarios(id).await?.first() {
        pages.push(
            InventoryPage::new(
                format!(
                    "/partnerships/{id}/scenarios/local/{}/walk-through",
                    local.id
                ),
                format!("Walk through: {}", local.scenario.title),
            )
            .signed_in(),
        );
    }
    if let Some(walkthrough) = store.walkthroughs(id).await?.first() {
        pages.push(InventoryPage::new(
            format!("/partnerships/{id}/walk-throughs/{}", walkthrough.id),
            format!("Walk-through: {}", walkthrough.scenario.title),
        ));
    }
    Ok(pages)
}
