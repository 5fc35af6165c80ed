//! Running a partnership: creating and editing it, its members and their roles,
//! invitations, and its audit log.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use cradle_domain::access::may_grant;
use cradle_domain::account::{Email, INVITATION_LIFETIME};
use cradle_domain::partnership::{NewPartnership, Partnership, PartnershipError};
use cradle_domain::places::{PlaceLabel, places, split_entries};
use cradle_domain::vocabulary::{Nation, Role};
use cradle_store::{AuditEntry, Invitation, Member, StoreError};
use serde::Deserialize;
use time::OffsetDateTime;

use crate::AppState;
use crate::shared::auth::{Auth, actor, csrf, tokens};
use crate::shared::csv_out;
use crate::shared::error::{AppError, render, with_status};
use crate::shared::forms::{DESCRIPTION_MAX, FormErrors, NAME_MAX};
use crate::shared::layout::Layout;
use crate::shared::one_time_links;
use crate::shared::public_url::site_address;
use crate::shared::routes::InPartnership;
use crate::shared::routes::Routes;

/// These pages' routes, each with its access policy.
pub(super) fn routes(routes: Routes) -> Routes {
    use cradle_domain::access::Access::{Partnership, SignedIn};
    use cradle_domain::vocabulary::Role::{Facilitator, Owner, Viewer};
    routes
        .get("/partnerships/new", SignedIn, new_form)
        .post("/partnerships/new", SignedIn, create)
        .get(
            "/partnerships/{partnership}/edit",
            Partnership(Owner),
            edit_form,
        )
        .post(
            "/partnerships/{partnership}/edit",
            Partnership(Owner),
            update,
        )
        .get(
            "/partnerships/{partnership}/members",
            Partnership(Viewer),
            members,
        )
        .post(
            "/partnerships/{partnership}/members/{user}/role",
            Partnership(Owner),
            set_role,
        )
        .post(
            "/partnerships/{partnership}/members/{user}/remove",
            Partnership(Owner),
            remove_member,
        )
        .get(
            "/partnerships/{partnership}/invitations",
            Partnership(Facilitator),
            invitations,
        )
        .post(
            "/partnerships/{partnership}/invitations",
            Partnership(Facilitator),
            invite,
        )
        .post(
            "/partnerships/{partnership}/invitations/{invitation}/revoke",
            Partnership(Facilitator),
            revoke,
        )
        .get(
            "/partnerships/{partnership}/audit",
            Partnership(Owner),
            audit,
        )
        .get(
            "/partnerships/{partnership}/audit.csv",
            Partnership(Owner),
            audit_csv,
        )
}

// ----- Creating and editing a partnership -----

#[derive(Template)]
#[template(path = "partnerships/partnership_form.html")]
struct PartnershipForm {
    layout: Layout,
    csrf: String,
    errors: FormErrors,
    action: String,
    heading: &'static str,
    button: &'static str,
    /// The name field's value (`name` would clash with the form macro's parameter).
    partnership_name: String,
    nation: String,
    areas: String,
    description: String,
    nations: &'static [Nation],
    /// Every current area people choose from, as JSON for the search box.
    area_choices: &'static str,
}

/// The current local areas of every nation, for the form's search box: `[{label, nation}]`.
/// The list is fixed, so it is made once.
fn area_choices() -> &'static str {
    static CHOICES: std::sync::LazyLock<String> = std::sync::LazyLock::new(area_choices_json);
    &CHOICES
}

fn area_choices_json() -> String {
    let choices: Vec<serde_json::Value> = Nation::ALL
        .iter()
        .flat_map(|nation| {
            places().choices(*nation).into_iter().map(move |place| {
                serde_json::json!({
                    "label": PlaceLabel(place.code).to_string(),
                    "nation": nation.id(),
                })
            })
        })
        .collect();
    // Inside a script element, "</" would end it early.
    serde_json::Value::from(choices)
        .to_string()
        .replace("</", "<\\/")
}

#[derive(Deserialize, Default)]
pub(crate) struct PartnershipFields {
    #[serde(default)]
    name: String,
    #[serde(default)]
    nation: String,
    #[serde(default)]
    areas: String,
    #[serde(default)]
    description: String,
}

impl PartnershipFields {
    fn from_partnership(partnership: &Partnership) -> Self {
        Self {
            name: partnership.name.clone(),
            nation: partnership.nation.id().to_owned(),
            areas: partnership
                .areas
                .iter()
                .map(|area| PlaceLabel(area.as_str()).to_string())
                .collect::<Vec<_>>()
                .join("\n"),
            description: partnership.description.clone(),
        }
    }

    /// Checks every field, naming each problem; returns the partnership or all problems.
    fn validate(&self) -> Result<NewPartnership, FormErrors> {
        let mut errors = FormErrors::default();
        let name = errors.text("name", "The partnership's name", &self.name, NAME_MAX, true);
        let nation = self.nation.parse::<Nation>().ok();
        if nation.is_none() {
            errors.add("nation", "Select the nation the partnership is in");
        }
        let entries = split_entries(&self.areas);
        let problems: Vec<String> = entries
            .iter()
            .filter_map(|entry| places().resolve(entry).err())
            .map(|problem| problem.to_string())
            .collect();
        if !problems.is_empty() {
            errors.add("areas", problems.join(". "));
        }
        let description = errors.text(
            "description",
            "Description",
            &self.description,
            DESCRIPTION_MAX,
            false,
        );
        let Some(nation) = nation else {
            return Err(errors);
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        NewPartnership::validate(&name, nation, &description, &entries, false).map_err(|error| {
            let field = match error {
                PartnershipError::NameMissing | PartnershipError::NameTooLong { .. } => "name",
                PartnershipError::Area(_) | PartnershipError::AreaInOtherNation { .. } => "areas",
            };
            let mut errors = FormErrors::default();
            errors.add(field, error.to_string());
            errors
        })
    }
}

async fn partnership_form(
    auth: &Auth,
    fields: PartnershipFields,
    errors: FormErrors,
    editing: Option<&Partnership>,
) -> Result<Html<String>, AppError> {
    let (title, action, button) = match editing {
        Some(partnership) => (
            "Change the partnership's details",
            format!("/partnerships/{}/edit", partnership.id),
            "Save changes",
        ),
        None => (
            "Create a partnership",
            "/partnerships/new".to_owned(),
            "Create partnership",
        ),
    };
    render(&PartnershipForm {
        layout: Layout::new(title, "/partnerships"),
        csrf: csrf::token(&auth.session).await?,
        errors,
        action,
        heading: title,
        button,
        partnership_name: fields.name,
        nation: fields.nation,
        areas: fields.areas,
        description: fields.description,
        nations: Nation::ALL,
        area_choices: area_choices(),
    })
}

pub(crate) async fn new_form(auth: Auth) -> Result<Html<String>, AppError> {
    partnership_form(
        &auth,
        PartnershipFields::default(),
        FormErrors::default(),
        None,
    )
    .await
}

pub(crate) async fn create(
    State(state): State<AppState>,
    auth: Auth,
    Form(fields): Form<PartnershipFields>,
) -> Result<Response, AppError> {
    match fields.validate() {
        Ok(new) => {
            let partnership = state
                .store
                .create_partnership_with_owner(&new, &actor(&auth)?)
                .await?;
            Ok(Redirect::to(&format!("/partnerships/{}", partnership.id)).into_response())
        }
        Err(errors) => Ok(with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            partnership_form(&auth, fields, errors, None).await,
        )),
    }
}

pub(crate) async fn edit_form(
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
) -> Result<Html<String>, AppError> {
    let fields = PartnershipFields::from_partnership(&scope.partnership);
    partnership_form(
        &auth,
        fields,
        FormErrors::default(),
        Some(&scope.partnership),
    )
    .await
}

pub(crate) async fn update(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Form(fields): Form<PartnershipFields>,
) -> Result<Response, AppError> {
    match fields.validate() {
        Ok(changed) => {
            let id = &scope.partnership.id;
            state
                .store
                .update_partnership(&actor(&auth)?, id, &changed)
                .await?;
            Ok(Redirect::to(&format!("/partnerships/{id}")).into_response())
        }
        Err(errors) => Ok(with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            partnership_form(&auth, fields, errors, Some(&scope.partnership)).await,
        )),
    }
}

// ----- Members -----

#[derive(Template)]
#[template(path = "partnerships/members.html")]
struct MembersPage {
    layout: Layout,
    csrf: String,
    scope: InPartnership,
    members: Vec<Member>,
    roles: &'static [Role],
    errors: FormErrors,
}

async fn members_page(
    state: &AppState,
    auth: &Auth,
    scope: InPartnership,
    errors: FormErrors,
) -> Result<Html<String>, AppError> {
    let members = state.store.members(&scope.partnership.id).await?;
    render(&MembersPage {
        layout: Layout::new(
            format!("Members of {}", scope.partnership.name),
            "/partnerships",
        ),
        csrf: csrf::token(&auth.session).await?,
        scope,
        members,
        roles: Role::ALL,
        errors,
    })
}

pub(crate) async fn members(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
) -> Result<Html<String>, AppError> {
    members_page(&state, &auth, scope, FormErrors::default()).await
}

#[derive(Deserialize)]
pub(crate) struct RoleForm {
    #[serde(default)]
    role: String,
}

/// Turns a refusal the store can give into the message shown on the members page.
async fn member_change(
    state: &AppState,
    auth: &Auth,
    scope: InPartnership,
    result: Result<(), StoreError>,
) -> Result<Response, AppError> {
    let id = scope.partnership.id.clone();
    let message = match result {
        Ok(()) => return Ok(Redirect::to(&format!("/partnerships/{id}/members")).into_response()),
        Err(StoreError::LastOwner) => {
            "A partnership must always have an owner. Make someone else an owner first."
        }
        Err(error) => return Err(error.into()),
    };
    let mut errors = FormErrors::default();
    errors.add("members", message);
    Ok(with_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        members_page(state, auth, scope, errors).await,
    ))
}

pub(crate) async fn set_role(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, user_id)): Path<(String, String)>,
    Form(form): Form<RoleForm>,
) -> Result<Response, AppError> {
    let Ok(role) = form.role.parse::<Role>() else {
        let mut errors = FormErrors::default();
        errors.add("members", "Select a role");
        return Ok(with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            members_page(&state, &auth, scope, errors).await,
        ));
    };
    let result = state
        .store
        .set_role(&actor(&auth)?, &scope.partnership.id, &user_id, role)
        .await;
    member_change(&state, &auth, scope, result).await
}

pub(crate) async fn remove_member(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, user_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let result = state
        .store
        .remove_member(&actor(&auth)?, &scope.partnership.id, &user_id)
        .await;
    member_change(&state, &auth, scope, result).await
}

// ----- Invitations -----

#[derive(Template)]
#[template(path = "partnerships/invitations.html")]
struct InvitationsPage {
    layout: Layout,
    csrf: String,
    scope: InPartnership,
    pending: Vec<Invitation>,
    errors: FormErrors,
    email: String,
    role: String,
    roles: Vec<Role>,
    /// The link for the invitation just made, shown once for the inviter to send.
    new_link: Option<(String, String)>,
}

async fn invitations_page(
    state: &AppState,
    auth: &Auth,
    scope: InPartnership,
    errors: FormErrors,
    fields: InviteForm,
    new_link: Option<(String, String)>,
) -> Result<Html<String>, AppError> {
    let own = scope.role.unwrap_or(Role::Viewer);
    let pending = state
        .store
        .pending_invitations(&scope.partnership.id, OffsetDateTime::now_utc())
        .await?;
    render(&InvitationsPage {
        layout: Layout::new(
            format!("Invite people to {}", scope.partnership.name),
            "/partnerships",
        ),
        csrf: csrf::token(&auth.session).await?,
        scope,
        pending,
        errors,
        email: fields.email,
        role: fields.role,
        roles: Role::ALL
            .iter()
            .copied()
            .filter(|role| may_grant(own, *role))
            .collect(),
        new_link,
    })
}

pub(crate) async fn invitations(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
) -> Result<Html<String>, AppError> {
    let fields = InviteForm {
        email: String::new(),
        role: Role::Contributor.id().to_owned(),
    };
    let new_link = one_time_links::take(&auth.session, &invitation_link(&scope)).await?;
    invitations_page(
        &state,
        &auth,
        scope,
        FormErrors::default(),
        fields,
        new_link,
    )
    .await
}

/// Where the link of an invitation just made waits for the invitations page.
fn invitation_link(scope: &InPartnership) -> String {
    format!("invitation:{}", scope.partnership.id)
}

#[derive(Deserialize)]
pub(crate) struct InviteForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

pub(crate) async fn invite(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Form(form): Form<InviteForm>,
) -> Result<Response, AppError> {
    let own = scope.role.unwrap_or(Role::Viewer);
    let mut errors = FormErrors::default();
    let email = form
        .email
        .parse::<Email>()
        .map_err(|error| errors.add("email", error.to_string()))
        .ok();
    let role = form
        .role
        .parse::<Role>()
        .ok()
        .filter(|role| may_grant(own, *role));
    if role.is_none() {
        errors.add("role", "Select a role no higher than your own");
    }
    let (Some(email), Some(role), true) = (email, role, errors.is_empty()) else {
        return Ok(with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            invitations_page(&state, &auth, scope, errors, form, None).await,
        ));
    };
    let (token, token_hash) = tokens::new_token()?;
    let lifetime = time::Duration::try_from(INVITATION_LIFETIME).unwrap_or(time::Duration::WEEK);
    state
        .store
        .create_invitation(
            &actor(&auth)?,
            &scope.partnership.id,
            &email,
            role,
            &token_hash,
            OffsetDateTime::now_utc() + lifetime,
        )
        .await?;
    let link = format!("{}/invitations/{token}", site_address(&state));
    let name = invitation_link(&scope);
    one_time_links::keep(&auth.session, &name, (email.to_string(), link)).await?;
    Ok(Redirect::to(&format!(
        "/partnerships/{}/invitations",
        scope.partnership.id
    ))
    .into_response())
}

pub(crate) async fn revoke(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, invitation_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = &scope.partnership.id;
    state
        .store
        .revoke_invitation(&actor(&auth)?, id, &invitation_id)
        .await?;
    Ok(Redirect::to(&format!("/partnerships/{id}/invitations")).into_response())
}

// ----- Audit log -----

#[derive(Template)]
#[template(path = "partnerships/audit.html")]
struct AuditPage {
    layout: Layout,
    scope: InPartnership,
    entries: Vec<AuditEntry>,
}

pub(crate) async fn audit(
    State(state): State<AppState>,
    Extension(scope): Extension<InPartnership>,
) -> Result<Html<String>, AppError> {
    let entries = state.store.audit_log(&scope.partnership.id).await?;
    render(&AuditPage {
        layout: Layout::new(
            format!("Audit log of {}", scope.partnership.name),
            "/partnerships",
        ),
        scope,
        entries,
    })
}

/// A JSON value as one CSV cell (empty for none).
fn json_cell(value: Option<&serde_json::Value>) -> String {
    value.map(ToString::to_string).unwrap_or_default()
}

pub(crate) async fn audit_csv(
    State(state): State<AppState>,
    Extension(scope): Extension<InPartnership>,
) -> Result<Response, AppError> {
    let entries = state.store.audit_log(&scope.partnership.id).await?;
    let rows = entries.iter().map(|entry| {
        vec![
            entry
                .at
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
            entry.actor_label.clone(),
            entry.action.clone(),
            entry.entity.clone(),
            entry.entity_id.clone(),
            json_cell(entry.before.as_ref()),
            json_cell(entry.after.as_ref()),
        ]
    });
    csv_out::download(
        "cradle-audit-log.csv",
        &[
            "when",
            "who",
            "action",
            "entity",
            "entity_id",
            "before",
            "after",
        ],
        rows,
    )
}
