//! Site administration: the people with accounts on this Cradle, adding someone without an
//! invitation, and making password links (Cradle sends no email).

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use cradle_domain::account::{Email, RESET_LIFETIME};
use cradle_store::{NewUser, Store, StoreError, User};
use serde::Deserialize;
use time::OffsetDateTime;

use crate::AppState;
use crate::shared::auth::{Auth, csrf, tokens};
use crate::shared::error::{AppError, render};
use crate::shared::forms::{FormErrors, NAME_MAX};
use crate::shared::inventory::InventoryPage;
use crate::shared::layout::Layout;
use crate::shared::one_time_links;
use crate::shared::public_url::site_address;
use crate::shared::routes::Routes;

/// This feature's routes, each with its access policy.
pub(crate) fn routes(routes: Routes) -> Routes {
    use cradle_domain::access::Access::SiteAdmin;
    routes
        .get("/admin/users", SiteAdmin, users)
        .post("/admin/users", SiteAdmin, add_user)
        .post("/admin/users/{user}/password-link", SiteAdmin, reset_link)
}

/// Makes a one-time link with which `user_id` sets a password (a first password or a
/// reset); `site` is the address people reach Cradle at, like `https://cradle.example`.
pub async fn password_link(store: &Store, user_id: &str, site: &str) -> Result<String, AppError> {
    let (token, token_hash) = tokens::new_token()?;
    let lifetime = time::Duration::try_from(RESET_LIFETIME).unwrap_or(time::Duration::DAY);
    store
        .create_password_reset(user_id, &token_hash, OffsetDateTime::now_utc() + lifetime)
        .await?;
    Ok(format!("{site}/password-reset/{token}"))
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    layout: Layout,
    csrf: String,
    users: Vec<User>,
    errors: FormErrors,
    email: String,
    display_name: String,
    /// A link just made, and whom it is for, shown once.
    new_link: Option<(String, String)>,
}

async fn users_page(
    state: &AppState,
    auth: &Auth,
    errors: FormErrors,
    fields: NewUserForm,
    new_link: Option<(String, String)>,
) -> Result<Html<String>, AppError> {
    render(&UsersPage {
        layout: Layout::new("People with accounts", "/admin"),
        csrf: csrf::token(&auth.session).await?,
        users: state.store.users().await?,
        errors,
        email: fields.email,
        display_name: fields.display_name,
        new_link,
    })
}

pub(crate) async fn users(
    State(state): State<AppState>,
    auth: Auth,
) -> Result<Html<String>, AppError> {
    let new_link = one_time_links::take(&auth.session, PASSWORD_LINK).await?;
    users_page(
        &state,
        &auth,
        FormErrors::default(),
        NewUserForm::default(),
        new_link,
    )
    .await
}

#[derive(Deserialize, Default)]
pub(crate) struct NewUserForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    site_admin: Option<String>,
}

pub(crate) async fn add_user(
    State(state): State<AppState>,
    auth: Auth,
    Form(form): Form<NewUserForm>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::default();
    let email = form
        .email
        .parse::<Email>()
        .map_err(|error| errors.add("email", error.to_string()))
        .ok();
    let display_name = errors.text("display_name", "Name", &form.display_name, NAME_MAX, true);
    let created = match (email, errors.is_empty()) {
        (Some(email), true) => {
            let new = NewUser {
                email,
                display_name,
                password_hash: None,
                is_site_admin: form.site_admin.as_deref() == Some("yes"),
            };
            match state.store.create_user(&new).await {
                Ok(user) => Some(user),
                Err(StoreError::EmailTaken) => {
                    errors.add(
                        "email",
                        "There is already an account with this email address",
                    );
                    None
                }
                Err(error) => return Err(error.into()),
            }
        }
        _ => None,
    };
    let Some(user) = created else {
        let page = users_page(&state, &auth, errors, form, None).await;
        return Ok(match page {
            Ok(html) => (StatusCode::UNPROCESSABLE_ENTITY, html).into_response(),
            Err(error) => error.into_response(),
        });
    };
    link_made(&state, &auth, &user).await
}

/// Where a password link just made waits for the users page.
const PASSWORD_LINK: &str = "password";

/// Makes a password link for `user` and shows it once on the users page.
async fn link_made(state: &AppState, auth: &Auth, user: &User) -> Result<Response, AppError> {
    let link = password_link(&state.store, &user.id, &site_address(state)).await?;
    one_time_links::keep(&auth.session, PASSWORD_LINK, (user.email.to_string(), link)).await?;
    Ok(Redirect::to("/admin/users").into_response())
}

pub(crate) async fn reset_link(
    State(state): State<AppState>,
    auth: Auth,
    Path(user_id): Path<String>,
) -> Result<Response, AppError> {
    let user = state
        .store
        .user(&user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    link_made(&state, &auth, &user).await
}

/// The site administrator's list of people.
pub(crate) fn inventory() -> Vec<InventoryPage> {
    vec![InventoryPage::new("/admin/users", "People with accounts").signed_in()]
}
