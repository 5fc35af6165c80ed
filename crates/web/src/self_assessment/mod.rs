//! Part 5, the whole-system self-assessment: an owner or facilitator opens a round, raters
//! (partnership members, or anyone with the round's link) place the partnership on each
//! characteristic's maturity levels, and the results show where they agree and diverge.

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use cradle_content::Characteristic;
use cradle_domain::self_assessment::{
    self as sa, CharacteristicResult, DEFAULT_MIN_RATERS, RaterScope, ResponseFields, Results,
    RoundFields, evidence_field, level_field,
};
use cradle_domain::services::long_date;
use cradle_domain::vocabulary::{MaturityLevel, Sector};
use cradle_store::{Rater, Round, StoreError};
use serde::Deserialize;

use crate::AppState;
use crate::shared::auth::{Auth, actor, csrf, tokens};
use crate::shared::error::{AppError, render, with_status};
use crate::shared::forms::FormErrors;
use crate::shared::inventory::InventoryPage;
use crate::shared::layout::Layout;
use crate::shared::links::site_address;
use crate::shared::routes::InPartnership;
use crate::shared::routes::Routes;
use cradle_domain::partnership::Partnership;
use cradle_store::Store;

/// This feature's routes, each with its access policy.
pub(crate) fn routes(routes: Routes) -> Routes {
    use cradle_domain::access::Access::{Partnership, Public};
    use cradle_domain::vocabulary::Role::{Facilitator, Viewer};
    routes
        .get(
            "/partnerships/{partnership}/self-assessment",
            Partnership(Viewer),
            list,
        )
        .get(
            "/partnerships/{partnership}/self-assessment/new",
            Partnership(Facilitator),
            new_form,
        )
        .post(
            "/partnerships/{partnership}/self-assessment/new",
            Partnership(Facilitator),
            create,
        )
        .get(
            "/partnerships/{partnership}/self-assessment/{round}",
            Partnership(Viewer),
            round,
        )
        .get(
            "/partnerships/{partnership}/self-assessment/{round}/rate",
            Partnership(Viewer),
            rate_form,
        )
        .post(
            "/partnerships/{partnership}/self-assessment/{round}/rate",
            Partnership(Viewer),
            rate,
        )
        .post(
            "/partnerships/{partnership}/self-assessment/{round}/close",
            Partnership(Facilitator),
            close,
        )
        .get("/rate/{token}", Public, link_form)
        .post("/rate/{token}", Public, link_rate)
}

fn rounds_path(scope: &InPartnership) -> String {
    format!("/partnerships/{}/self-assessment", scope.partnership.id)
}

/// The content's characteristic with this id, or a stand-in naming the id (a round keeps
/// the ids it was opened with, even if the content changes later).
fn title_of(state: &AppState, id: &str) -> String {
    state
        .library
        .content
        .characteristics
        .by_id(id)
        .map_or_else(|| id.to_owned(), |c| c.title.clone())
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

// ----- The list of rounds -----

struct RoundLine {
    id: String,
    title: String,
    opened: String,
    status: &'static str,
    responses: String,
}

#[derive(Template)]
#[template(path = "self_assessment/index.html")]
struct RoundsPage {
    layout: Layout,
    scope: InPartnership,
    rounds: Vec<RoundLine>,
}

pub(crate) async fn list(
    State(state): State<AppState>,
    Extension(scope): Extension<InPartnership>,
) -> Result<Html<String>, AppError> {
    let rounds = state
        .store
        .rounds(&scope.partnership.id)
        .await?
        .into_iter()
        .map(|round| RoundLine {
            opened: long_date(round.opened_at.date()),
            status: if round.is_open() { "Open" } else { "Closed" },
            responses: plural(round.responses, "rater", "raters"),
            title: round.settings.title,
            id: round.id,
        })
        .collect();
    render(&RoundsPage {
        layout: Layout::new(
            format!("Whole-system self-assessment in {}", scope.partnership.name),
            "/partnerships",
        ),
        scope,
        rounds,
    })
}

// ----- Opening a round -----

struct CharacteristicChoice {
    id: String,
    title: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "self_assessment/new.html")]
struct NewRoundPage {
    layout: Layout,
    csrf: String,
    scope: InPartnership,
    errors: FormErrors,
    title: String,
    min_raters: String,
    rater_scope: String,
    anonymous: bool,
    characteristics: Vec<CharacteristicChoice>,
}

async fn new_round_page(
    state: &AppState,
    auth: &Auth,
    scope: InPartnership,
    fields: RoundFields,
    errors: FormErrors,
) -> Result<Html<String>, AppError> {
    let fresh = fields.title.is_empty() && fields.characteristics.is_empty() && errors.is_empty();
    let characteristics = state
        .library
        .content
        .characteristics
        .iter()
        .map(|c| CharacteristicChoice {
            checked: fresh || fields.characteristics.contains(&c.id),
            id: c.id.clone(),
            title: c.title.clone(),
        })
        .collect();
    render(&NewRoundPage {
        layout: Layout::new("Open a self-assessment round", "/partnerships"),
        csrf: csrf::token(&auth.session).await?,
        scope,
        errors,
        title: fields.title,
        min_raters: if fields.min_raters.is_empty() && fresh {
            DEFAULT_MIN_RATERS.to_string()
        } else {
            fields.min_raters
        },
        rater_scope: if fresh {
            "members".to_owned()
        } else {
            fields.scope
        },
        anonymous: fields.anonymous,
        characteristics,
    })
}

pub(crate) async fn new_form(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
) -> Result<Html<String>, AppError> {
    new_round_page(
        &state,
        &auth,
        scope,
        RoundFields::default(),
        FormErrors::default(),
    )
    .await
}

fn round_fields(body: &[u8]) -> RoundFields {
    let mut fields = RoundFields::default();
    for (name, value) in form_urlencoded::parse(body) {
        match name.as_ref() {
            "title" => fields.title = value.into_owned(),
            "characteristics" => fields.characteristics.push(value.into_owned()),
            "min_raters" => fields.min_raters = value.into_owned(),
            "scope" => fields.scope = value.into_owned(),
            "anonymous" => fields.anonymous = value == "yes",
            _ => {}
        }
    }
    fields
}

#[derive(Template)]
#[template(path = "self_assessment/opened.html")]
struct OpenedPage {
    layout: Layout,
    scope: InPartnership,
    round_id: String,
    title: String,
    link: String,
}

pub(crate) async fn create(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Extension(scope): Extension<InPartnership>,
    body: Bytes,
) -> Result<Response, AppError> {
    let fields = round_fields(&body);
    let known: Vec<&str> = state
        .library
        .content
        .characteristics
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    let settings = match fields.validate(&known) {
        Ok(settings) => settings,
        Err(issues) => {
            let mut errors = FormErrors::default();
            for issue in issues {
                errors.add(issue.field, issue.message);
            }
            return Ok(with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                new_round_page(&state, &auth, scope, fields, errors).await,
            ));
        }
    };
    let token = match settings.scope {
        RaterScope::Link => Some(tokens::new_token()?),
        RaterScope::Members => None,
    };
    let id = state
        .store
        .open_round(
            &actor(&auth)?,
            &scope.partnership.id,
            &settings,
            token.as_ref().map(|(_, hash)| hash.as_str()),
        )
        .await?;
    match token {
        None => Ok(Redirect::to(&format!("{}/{id}", rounds_path(&scope))).into_response()),
        Some((token, _)) => Ok(render(&OpenedPage {
            layout: Layout::new("Round opened", "/partnerships"),
            link: format!("{}/rate/{token}", site_address(&state, &headers)),
            round_id: id,
            title: settings.title,
            scope,
        })?
        .into_response()),
    }
}

// ----- Rating -----

struct LevelChoice {
    id: &'static str,
    label: &'static str,
    description: String,
    checked: bool,
}

struct RateItem {
    title: String,
    summary: String,
    level_field: String,
    evidence_field: String,
    levels: Vec<LevelChoice>,
    evidence: String,
    prompts: Vec<String>,
}

#[derive(Template)]
#[template(path = "self_assessment/rate.html")]
struct RatePage {
    layout: Layout,
    csrf: String,
    errors: FormErrors,
    partnership_name: String,
    round_title: String,
    action: String,
    /// A link rater in a round that is not anonymous is asked for their name.
    ask_name: bool,
    rater_name: String,
    anonymous: bool,
    sectors: Vec<(&'static str, &'static str, bool)>,
    items: Vec<RateItem>,
    /// The round is closed: no form, a message.
    closed: bool,
    /// Answers were just saved (link raters see this instead of the form).
    saved: bool,
    back: Option<String>,
}

fn rate_items(state: &AppState, round: &Round, fields: &ResponseFields) -> Vec<RateItem> {
    round
        .settings
        .characteristics
        .iter()
        .filter_map(|id| state.library.content.characteristics.by_id(id))
        .map(|c: &Characteristic| {
            let (chosen, evidence) = fields.answers.get(&c.id).cloned().unwrap_or_default();
            RateItem {
                level_field: level_field(&c.id),
                evidence_field: evidence_field(&c.id),
                levels: c
                    .maturity_levels()
                    .map(|(level, text)| LevelChoice {
                        id: level.id(),
                        label: level.label(),
                        description: text.to_owned(),
                        checked: chosen == level.id(),
                    })
                    .collect(),
                evidence,
                prompts: c.evidence_prompts.iter().take(2).cloned().collect(),
                title: c.title.clone(),
                summary: c.summary.clone(),
            }
        })
        .collect()
}

struct RateContext {
    action: String,
    ask_name: bool,
    back: Option<String>,
}

/// What a rater typed: the form's fields and, for a link rater, their name.
struct Typed {
    fields: ResponseFields,
    name: String,
}

impl Typed {
    fn blank() -> Self {
        Self {
            fields: ResponseFields::default(),
            name: String::new(),
        }
    }
}

async fn rate_page(
    state: &AppState,
    auth: &Auth,
    round: &Round,
    context: RateContext,
    typed: Typed,
    errors: FormErrors,
    saved: bool,
) -> Result<Html<String>, AppError> {
    let Typed { fields, name } = typed;
    let title = if saved {
        "Thank you: your answers are saved".to_owned()
    } else {
        format!("Rate {}", round.partnership_name)
    };
    render(&RatePage {
        layout: Layout::new(title, "/partnerships"),
        csrf: csrf::token(&auth.session).await?,
        errors,
        partnership_name: round.partnership_name.clone(),
        round_title: round.settings.title.clone(),
        action: context.action,
        ask_name: context.ask_name && !round.settings.anonymous,
        rater_name: name,
        anonymous: round.settings.anonymous,
        sectors: Sector::ALL
            .iter()
            .map(|s| (s.id(), s.label(), fields.sector == s.id()))
            .collect(),
        items: rate_items(state, round, &fields),
        closed: !round.is_open(),
        saved,
        back: context.back,
    })
}

/// A submitted rating form: the sector, the rater's name if asked, and each
/// characteristic's level and evidence.
fn response_fields(round: &Round, body: &[u8]) -> (ResponseFields, String) {
    let mut fields = ResponseFields::default();
    let mut name = String::new();
    for (key, value) in form_urlencoded::parse(body) {
        if key == "sector" {
            fields.sector = value.into_owned();
        } else if key == "name" {
            name = value.into_owned();
        } else if let Some(id) = key.strip_prefix("level-") {
            if round.settings.characteristics.iter().any(|c| c == id) {
                fields.answers.entry(id.to_owned()).or_default().0 = value.into_owned();
            }
        } else if let Some(id) = key.strip_prefix("evidence-")
            && round.settings.characteristics.iter().any(|c| c == id)
        {
            fields.answers.entry(id.to_owned()).or_default().1 = value.into_owned();
        }
    }
    (fields, name)
}

/// Checks a rating form; on success the response and the rater's trimmed name.
fn check_rating(
    state: &AppState,
    round: &Round,
    fields: &ResponseFields,
    name: &str,
) -> Result<(sa::Response, String), FormErrors> {
    let titles: Vec<(String, String)> = round
        .settings
        .characteristics
        .iter()
        .map(|id| (id.clone(), title_of(state, id)))
        .collect();
    let round_items: Vec<(&str, &str)> = titles
        .iter()
        .map(|(id, title)| (id.as_str(), title.as_str()))
        .collect();
    let mut errors = FormErrors::default();
    let name = errors.text(
        "name",
        "Your name",
        name,
        crate::shared::forms::NAME_MAX,
        false,
    );
    match fields.validate(&round_items) {
        Ok(response) if errors.is_empty() => Ok((response, name)),
        Ok(_) => Err(errors),
        Err(issues) => {
            for issue in issues {
                errors.add(issue.field, issue.message);
            }
            Err(errors)
        }
    }
}

/// The key a member answers under: their account, or a hash of it in an anonymous round.
fn member_key(round: &Round, user_id: &str) -> String {
    if round.settings.anonymous {
        format!("anon:{}", tokens::hash(&format!("{}:{user_id}", round.id)))
    } else {
        format!("user:{user_id}")
    }
}

async fn member_round(
    state: &AppState,
    scope: &InPartnership,
    id: &str,
) -> Result<Round, AppError> {
    state
        .store
        .round(&scope.partnership.id, id)
        .await?
        .filter(|round| round.settings.scope == RaterScope::Members)
        .ok_or(AppError::NotFound)
}

fn member_context(scope: &InPartnership, round: &Round) -> RateContext {
    let page = format!("{}/{}", rounds_path(scope), round.id);
    RateContext {
        action: format!("{page}/rate"),
        ask_name: false,
        back: Some(page),
    }
}

fn user_id(auth: &Auth) -> Result<String, AppError> {
    Ok(actor(auth)?.user_id)
}

pub(crate) async fn rate_form(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let round = member_round(&state, &scope, &id).await?;
    let key = member_key(&round, &user_id(&auth)?);
    let fields = match state.store.round_response(&round.id, &key).await? {
        Some(response) => ResponseFields {
            sector: response.sector.id().to_owned(),
            answers: response
                .answers
                .into_iter()
                .map(|a| (a.characteristic, (a.level.id().to_owned(), a.evidence)))
                .collect(),
        },
        None => ResponseFields::default(),
    };
    let status = if round.is_open() {
        StatusCode::OK
    } else {
        StatusCode::CONFLICT
    };
    let context = member_context(&scope, &round);
    Ok(with_status(
        status,
        rate_page(
            &state,
            &auth,
            &round,
            context,
            Typed {
                fields,
                name: String::new(),
            },
            FormErrors::default(),
            false,
        )
        .await,
    ))
}

pub(crate) async fn rate(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, AppError> {
    let round = member_round(&state, &scope, &id).await?;
    let (fields, name) = response_fields(&round, &body);
    let context = member_context(&scope, &round);
    let response = match check_rating(&state, &round, &fields, &name) {
        Ok((response, _)) => response,
        Err(errors) => {
            return Ok(with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                rate_page(
                    &state,
                    &auth,
                    &round,
                    context,
                    Typed { fields, name },
                    errors,
                    false,
                )
                .await,
            ));
        }
    };
    let user = user_id(&auth)?;
    let rater = Rater {
        key: member_key(&round, &user),
        user_id: Some(user),
        name: String::new(),
    };
    match state.store.answer_round(&round.id, &rater, &response).await {
        Ok(()) => Ok(
            Redirect::to(&format!("{}/{}?answered=1", rounds_path(&scope), round.id))
                .into_response(),
        ),
        Err(StoreError::RoundClosed) => Ok(with_status(
            StatusCode::CONFLICT,
            rate_page(
                &state,
                &auth,
                &round,
                context,
                Typed { fields, name },
                FormErrors::default(),
                false,
            )
            .await,
        )),
        Err(error) => Err(error.into()),
    }
}

async fn link_round(state: &AppState, token: &str) -> Result<Round, AppError> {
    state
        .store
        .round_by_link(&tokens::hash(token))
        .await?
        .ok_or(AppError::NotFound)
}

fn link_context(token: &str) -> RateContext {
    RateContext {
        action: format!("/rate/{token}"),
        ask_name: true,
        back: None,
    }
}

pub(crate) async fn link_form(
    State(state): State<AppState>,
    auth: Auth,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let round = link_round(&state, &token).await?;
    let status = if round.is_open() {
        StatusCode::OK
    } else {
        StatusCode::CONFLICT
    };
    Ok(with_status(
        status,
        rate_page(
            &state,
            &auth,
            &round,
            link_context(&token),
            Typed::blank(),
            FormErrors::default(),
            false,
        )
        .await,
    ))
}

pub(crate) async fn link_rate(
    State(state): State<AppState>,
    auth: Auth,
    Path(token): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let round = link_round(&state, &token).await?;
    let (fields, name) = response_fields(&round, &body);
    let response = match check_rating(&state, &round, &fields, &name) {
        Ok((response, _)) => response,
        Err(errors) => {
            return Ok(with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                rate_page(
                    &state,
                    &auth,
                    &round,
                    link_context(&token),
                    Typed { fields, name },
                    errors,
                    false,
                )
                .await,
            ));
        }
    };
    // Each answer through a link is a rater of its own.
    let (key, _) = tokens::new_token()?;
    let rater = Rater {
        key: format!("link:{}", tokens::hash(&key)),
        user_id: None,
        name: name.trim().to_owned(),
    };
    let (status, saved) = match state.store.answer_round(&round.id, &rater, &response).await {
        Ok(()) => (StatusCode::OK, true),
        Err(StoreError::RoundClosed) => (StatusCode::CONFLICT, false),
        Err(error) => return Err(error.into()),
    };
    Ok(with_status(
        status,
        rate_page(
            &state,
            &auth,
            &round,
            link_context(&token),
            Typed::blank(),
            FormErrors::default(),
            saved,
        )
        .await,
    ))
}

// ----- Results -----

/// One characteristic's results as the table shows them.
struct ResultRow {
    title: String,
    counts: [usize; 4],
    median: String,
    range: String,
    interquartile_range: usize,
    agreement: String,
    divergent: bool,
    evidence: Vec<String>,
}

/// The chart: for each characteristic, a bar per level as long as its count, with the
/// count written beside it, and divergent characteristics marked in words.
struct ChartCell {
    x: u32,
    width: u32,
    text_x: u32,
    count: usize,
}

struct ChartRow {
    label: String,
    label_y: u32,
    bar_y: u32,
    text_y: u32,
    cells: Vec<ChartCell>,
}

struct ChartView {
    title: String,
    description: String,
    height: u32,
    columns: Vec<(u32, &'static str)>,
    rows: Vec<ChartRow>,
}

const CHART_COLUMN: u32 = 160;
const CHART_BAR_MAX: f64 = 110.0;
const CHART_ROW: u32 = 50;
const CHART_TOP: u32 = 28;

fn chart(rows: &[ResultRow], raters: usize) -> ChartView {
    let scale = |count: usize| {
        if raters == 0 {
            0
        } else {
            (count as f64 / raters as f64 * CHART_BAR_MAX).round() as u32
        }
    };
    let chart_rows = rows
        .iter()
        .enumerate()
        .map(|(index, row)| {
            let top = CHART_TOP + index as u32 * CHART_ROW;
            ChartRow {
                label: if row.divergent {
                    format!("{} (raters diverge)", row.title)
                } else {
                    row.title.clone()
                },
                label_y: top + 14,
                bar_y: top + 22,
                text_y: top + 34,
                cells: row
                    .counts
                    .iter()
                    .enumerate()
                    .map(|(column, count)| {
                        let x = column as u32 * CHART_COLUMN;
                        let width = scale(*count);
                        ChartCell {
                            x,
                            width,
                            text_x: x + width + 6,
                            count: *count,
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    let description = rows
        .iter()
        .map(|row| {
            let counts: Vec<String> = MaturityLevel::ALL
                .iter()
                .zip(row.counts)
                .map(|(level, count)| format!("{} {count}", level.label().to_lowercase()))
                .collect();
            format!(
                "{}: {}{}",
                row.title,
                counts.join(", "),
                if row.divergent {
                    " (raters diverge)"
                } else {
                    ""
                }
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    ChartView {
        title: format!(
            "How {} placed the partnership on each characteristic",
            plural(raters, "rater", "raters")
        ),
        description,
        height: CHART_TOP + rows.len() as u32 * CHART_ROW,
        columns: MaturityLevel::ALL
            .iter()
            .enumerate()
            .map(|(i, level)| (i as u32 * CHART_COLUMN, level.label()))
            .collect(),
        rows: chart_rows,
    }
}

fn agreement_text(agreement: f64) -> String {
    format!("{agreement:.2}")
}

fn result_row(
    state: &AppState,
    result: &CharacteristicResult,
    responses: &[sa::Response],
) -> ResultRow {
    let (low, high) = result.range;
    ResultRow {
        title: title_of(state, &result.characteristic),
        counts: result.counts,
        median: result.median.label(),
        range: if low == high {
            low.label().to_owned()
        } else {
            format!("{} to {}", low.label(), high.label().to_lowercase())
        },
        interquartile_range: result.interquartile_range,
        agreement: agreement_text(result.agreement),
        divergent: result.divergent,
        evidence: responses
            .iter()
            .flat_map(|r| &r.answers)
            .filter(|a| a.characteristic == result.characteristic && !a.evidence.is_empty())
            .map(|a| format!("{}: {}", a.level.label(), a.evidence))
            .collect(),
    }
}

struct SectorView {
    label: &'static str,
    raters: usize,
    rows: Vec<(String, String, String)>,
}

struct ShownView {
    raters: usize,
    divergent: Vec<String>,
    rows: Vec<ResultRow>,
    chart: ChartView,
    sectors: Vec<SectorView>,
    sectors_withheld: usize,
}

struct ChangeRow {
    title: String,
    before: String,
    after: String,
    change: String,
    agreement_before: String,
    agreement_after: String,
}

struct ComparisonView {
    earlier_title: String,
    rows: Vec<ChangeRow>,
}

#[derive(Template)]
#[template(path = "self_assessment/round.html")]
struct RoundPage {
    layout: Layout,
    csrf: String,
    scope: InPartnership,
    round_id: String,
    round_title: String,
    open: bool,
    link_round: bool,
    anonymous: bool,
    opened: String,
    characteristics: Vec<String>,
    answered: usize,
    min_raters: usize,
    just_answered: bool,
    withheld: Option<(usize, usize)>,
    shown: Option<ShownView>,
    earlier: Vec<(String, String, bool)>,
    comparison: Option<ComparisonView>,
}

#[derive(Deserialize, Default)]
pub(crate) struct RoundQuery {
    answered: Option<String>,
    compare: Option<String>,
}

fn characteristic_ids(round: &Round) -> Vec<&str> {
    round
        .settings
        .characteristics
        .iter()
        .map(String::as_str)
        .collect()
}

fn change_text(change: f64) -> String {
    let levels = |n: f64| {
        if (n - 0.5).abs() < 1e-9 {
            "half a level".to_owned()
        } else if (n - 1.0).abs() < 1e-9 {
            "1 level".to_owned()
        } else {
            format!("{n:.1} levels")
        }
    };
    if change.abs() < 1e-9 {
        "No change".to_owned()
    } else if change > 0.0 {
        format!("Up {}", levels(change))
    } else {
        format!("Down {}", levels(-change))
    }
}

async fn comparison(
    state: &AppState,
    scope: &InPartnership,
    current: &[CharacteristicResult],
    earlier_id: &str,
) -> Result<Option<ComparisonView>, AppError> {
    let Some(earlier) = state.store.round(&scope.partnership.id, earlier_id).await? else {
        return Ok(None);
    };
    let responses = state.store.round_responses(&earlier.id).await?;
    let Results::Shown {
        characteristics, ..
    } = sa::results(
        &characteristic_ids(&earlier),
        earlier.settings.min_raters,
        &responses,
    )
    else {
        return Ok(None);
    };
    let rows = sa::compare(&characteristics, current)
        .into_iter()
        .map(|change| ChangeRow {
            title: title_of(state, &change.characteristic),
            before: change.before.label(),
            after: change.after.label(),
            change: change_text(change.median_change),
            agreement_before: agreement_text(change.agreement_before),
            agreement_after: agreement_text(change.agreement_after),
        })
        .collect();
    Ok(Some(ComparisonView {
        earlier_title: earlier.settings.title,
        rows,
    }))
}

pub(crate) async fn round(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
    Query(query): Query<RoundQuery>,
) -> Result<Html<String>, AppError> {
    let round = state
        .store
        .round(&scope.partnership.id, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    let responses = state.store.round_responses(&round.id).await?;
    let results = sa::results(
        &characteristic_ids(&round),
        round.settings.min_raters,
        &responses,
    );
    let mut withheld = None;
    let mut shown = None;
    let mut compared = None;
    match &results {
        Results::Withheld { answered, needed } => withheld = Some((*answered, *needed)),
        Results::Shown {
            raters,
            characteristics,
            by_sector,
            sectors_withheld,
        } => {
            let rows: Vec<ResultRow> = characteristics
                .iter()
                .map(|result| result_row(&state, result, &responses))
                .collect();
            if let Some(earlier) = query.compare.as_deref().filter(|e| *e != round.id) {
                compared = comparison(&state, &scope, characteristics, earlier).await?;
            }
            shown = Some(ShownView {
                raters: *raters,
                divergent: rows
                    .iter()
                    .filter(|row| row.divergent)
                    .map(|row| row.title.clone())
                    .collect(),
                chart: chart(&rows, *raters),
                rows,
                sectors: by_sector
                    .iter()
                    .map(|sector| SectorView {
                        label: sector.sector.label(),
                        raters: sector.raters,
                        rows: sector
                            .results
                            .iter()
                            .map(|r| {
                                (
                                    title_of(&state, &r.characteristic),
                                    r.median.label(),
                                    agreement_text(r.agreement),
                                )
                            })
                            .collect(),
                    })
                    .collect(),
                sectors_withheld: *sectors_withheld,
            });
        }
    }
    let earlier = state
        .store
        .rounds(&scope.partnership.id)
        .await?
        .into_iter()
        .filter(|other| other.id != round.id && other.opened_at <= round.opened_at)
        .map(|other| {
            let selected = query.compare.as_deref() == Some(other.id.as_str());
            (other.id, other.settings.title, selected)
        })
        .collect();
    render(&RoundPage {
        layout: Layout::new(round.settings.title.clone(), "/partnerships"),
        csrf: csrf::token(&auth.session).await?,
        round_id: round.id.clone(),
        round_title: round.settings.title.clone(),
        open: round.is_open(),
        link_round: round.settings.scope == RaterScope::Link,
        anonymous: round.settings.anonymous,
        opened: long_date(round.opened_at.date()),
        characteristics: round
            .settings
            .characteristics
            .iter()
            .map(|id| title_of(&state, id))
            .collect(),
        answered: round.responses,
        min_raters: round.settings.min_raters,
        just_answered: query.answered.is_some(),
        withheld,
        shown,
        earlier,
        comparison: compared,
        scope,
    })
}

pub(crate) async fn close(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    state
        .store
        .close_round(&actor(&auth)?, &scope.partnership.id, &id)
        .await?;
    Ok(Redirect::to(&format!("{}/{id}", rounds_path(&scope))).into_response())
}

/// The self-assessment pages of a partnership that is not a demo, with the newest round's
/// pages where there is one (the browser check's journey makes it).
pub(crate) async fn inventory(
    store: &Store,
    partnership: &Partnership,
) -> Result<Vec<InventoryPage>, StoreError> {
    if partnership.is_demo {
        return Ok(Vec::new());
    }
    let id = &partnership.id;
    let name = &partnership.name;
    let mut pages = vec![
        InventoryPage::new(
            format!("/partnerships/{id}/self-assessment"),
            format!("Whole-system self-assessment in {name}"),
        ),
        InventoryPage::new(
            format!("/partnerships/{id}/self-assessment/new"),
            "Open a self-assessment round",
        ),
    ];
    if let Some(round) = store.rounds(id).await?.first() {
        let base = format!("/partnerships/{id}/self-assessment/{}", round.id);
        pages.push(InventoryPage::new(&base, &round.settings.title));
        if round.settings.scope == cradle_domain::self_assessment::RaterScope::Members {
            let status = if round.is_open() { 200 } else { 409 };
            pages.push(
                InventoryPage::new(format!("{base}/rate"), format!("Rate {name}")).status(status),
            );
        }
    }
    Ok(pages)
}
