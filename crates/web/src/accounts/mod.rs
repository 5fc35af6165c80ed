//! Signing in and out, a person's own account (what Cradle holds about them, signing out
//! everywhere, deleting it), and the one-time links for setting a password.

use std::time::Duration;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Form, Json};
use cradle_domain::account::{
    ACCOUNT_THROTTLE, ADDRESS_THROTTLE, Email, ThrottleRule, check_new_password, minutes_text,
};
use cradle_domain::partnership::Partnership;
use cradle_domain::vocabulary::Role;
use cradle_store::{StoreError, User};
use serde::Deserialize;
use time::OffsetDateTime;

use crate::AppState;
use crate::shared::auth::{self, Auth, Credentials, SessionUser, csrf, passwords, tokens};
use crate::shared::client_address::ClientAddress;
use crate::shared::error::{AppError, render, with_status};
use crate::shared::forms::{FormErrors, NAME_MAX, local_path};
use crate::shared::inventory::InventoryPage;
use crate::shared::layout::Layout;
use crate::shared::routes::Routes;

/// This feature's routes, each with its access policy.
pub(crate) fn routes(routes: Routes) -> Routes {
    use cradle_domain::access::Access::{Public, SignedIn};
    routes
        .get("/sign-in", Public, sign_in_form)
        .post("/sign-in", Public, sign_in)
        .post("/sign-out", SignedIn, sign_out)
        .get("/password-reset", Public, forgotten)
        .get("/password-reset/{token}", Public, reset_form)
        .post("/password-reset/{token}", Public, reset)
        .get("/invitations/{token}", Public, invitation)
        .post("/invitations/{token}", Public, accept)
        .get("/account", SignedIn, account)
        .get("/account/data.json", SignedIn, download)
        .post(
            "/account/sign-out-everywhere",
            SignedIn,
            sign_out_everywhere,
        )
        .get("/account/delete", SignedIn, delete_form)
        .post("/account/delete", SignedIn, delete)
}

fn session_error(error: impl std::fmt::Display) -> AppError {
    AppError::Internal(format!("session error: {error}"))
}

// ----- Sign in and out -----

#[derive(Template)]
#[template(path = "accounts/sign_in.html")]
struct SignInPage {
    layout: Layout,
    csrf: String,
    errors: FormErrors,
    email: String,
    next: String,
}

#[derive(Deserialize)]
pub(crate) struct NextQuery {
    next: Option<String>,
}

pub(crate) async fn sign_in_form(
    auth: Auth,
    Query(query): Query<NextQuery>,
) -> Result<Response, AppError> {
    let next = local_path(query.next.as_deref()).unwrap_or("").to_owned();
    if auth.user.is_some() {
        return Ok(Redirect::to(if next.is_empty() {
            "/partnerships"
        } else {
            &next
        })
        .into_response());
    }
    Ok(render(&SignInPage {
        layout: Layout::new("Sign in", "/sign-in"),
        csrf: csrf::token(&auth.session).await?,
        errors: FormErrors::default(),
        email: String::new(),
        next,
    })?
    .into_response())
}

#[derive(Deserialize)]
pub(crate) struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// Ages of the recent failures recorded under `key`, for a throttle rule.
async fn wait_for(
    state: &AppState,
    key: &str,
    rule: ThrottleRule,
    now: OffsetDateTime,
) -> Result<Option<Duration>, AppError> {
    let window = time::Duration::try_from(rule.window).unwrap_or(time::Duration::HOUR);
    let failures = state
        .store
        .sign_in_failures_since(key, now - window)
        .await?;
    let ages: Vec<Duration> = failures
        .iter()
        .map(|at| Duration::try_from(now - *at).unwrap_or(Duration::ZERO))
        .collect();
    Ok(rule.wait(&ages))
}

/// The sign-in form's email address, and its problems (an empty password among them).
fn checked_sign_in(form: &SignInForm) -> (Option<Email>, FormErrors) {
    let mut errors = FormErrors::default();
    let email = match form.email.parse::<Email>() {
        Ok(email) => Some(email),
        Err(error) => {
            errors.add("email", error.to_string());
            None
        }
    };
    if form.password.is_empty() {
        errors.add("password", "Enter your password");
    }
    (email, errors)
}

/// Why signing in must wait, when too many attempts failed for the account or from the
/// network address.
async fn throttled(
    state: &AppState,
    account_key: &str,
    address_key: &str,
    now: OffsetDateTime,
) -> Result<Option<String>, AppError> {
    let account_wait = wait_for(state, account_key, ACCOUNT_THROTTLE, now).await?;
    let address_wait = wait_for(state, address_key, ADDRESS_THROTTLE, now).await?;
    Ok(account_wait.or(address_wait).map(|wait| {
        let whose = if account_wait.is_some() {
            "this account"
        } else {
            "this network address"
        };
        format!(
            "There have been too many failed attempts to sign in to {whose}. Wait {} and try again, or ask an administrator to reset your password.",
            minutes_text(wait)
        )
    }))
}

pub(crate) async fn sign_in(
    State(state): State<AppState>,
    mut auth: Auth,
    ClientAddress(address): ClientAddress,
    Form(form): Form<SignInForm>,
) -> Result<Response, AppError> {
    let next = local_path(Some(&form.next))
        .unwrap_or("/partnerships")
        .to_owned();
    let (email, mut errors) = checked_sign_in(&form);
    let page = |errors: FormErrors, csrf: String| SignInPage {
        layout: Layout::new("Sign in", "/sign-in"),
        csrf,
        errors,
        email: form.email.trim().to_owned(),
        next: form.next.clone(),
    };
    let (Some(email), true) = (email, errors.is_empty()) else {
        let csrf = csrf::token(&auth.session).await?;
        return Ok(with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&page(errors, csrf)),
        ));
    };
    let now = OffsetDateTime::now_utc();
    let account_key = format!("account:{email}");
    let address_key = format!("address:{address}");
    if let Some(message) = throttled(&state, &account_key, &address_key, now).await? {
        errors.add("email", message);
        let csrf = csrf::token(&auth.session).await?;
        return Ok(with_status(
            StatusCode::TOO_MANY_REQUESTS,
            render(&page(errors, csrf)),
        ));
    }
    let user = auth
        .authenticate(Credentials {
            email: email.clone(),
            password: form.password.clone(),
        })
        .await
        .map_err(|error| AppError::Internal(format!("sign-in failed: {error}")))?;
    let Some(user) = user else {
        state
            .store
            .record_sign_in_failure(&[&account_key, &address_key], now)
            .await?;
        errors.add("email", "Enter a correct email address and password");
        let csrf = csrf::token(&auth.session).await?;
        return Ok(with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&page(errors, csrf)),
        ));
    };
    state.store.clear_sign_in_failures(&account_key).await?;
    auth::sign_in(&mut auth, &user).await?;
    tracing::info!(user = %user.id, "signed in");
    Ok(Redirect::to(&next).into_response())
}

pub(crate) async fn sign_out(mut auth: Auth) -> Result<Response, AppError> {
    auth.logout().await.map_err(session_error)?;
    Ok(Redirect::to("/").into_response())
}

// ----- Your account -----

#[derive(Template)]
#[template(path = "accounts/account.html")]
struct AccountPage {
    layout: Layout,
    csrf: String,
    user: SessionUser,
    partnerships: Vec<(Partnership, Role)>,
    sessions: i64,
}

/// The signed-in user; routes that call this are declared as signed-in only.
fn signed_in(auth: &Auth) -> Result<SessionUser, AppError> {
    auth.user
        .clone()
        .ok_or_else(|| AppError::Internal("a signed-in route ran without a user".into()))
}

pub(crate) async fn account(
    State(state): State<AppState>,
    auth: Auth,
) -> Result<Html<String>, AppError> {
    let user = signed_in(&auth)?;
    let partnerships = state.store.partnerships_of(&user.id).await?;
    let sessions = state
        .store
        .count_sessions(&user.id, OffsetDateTime::now_utc())
        .await?;
    render(&AccountPage {
        layout: Layout::new("Your account", "/account"),
        csrf: csrf::token(&auth.session).await?,
        user,
        partnerships,
        sessions,
    })
}

/// Everything Cradle holds about the signed-in person, as a JSON download.
pub(crate) async fn download(
    State(state): State<AppState>,
    auth: Auth,
) -> Result<Response, AppError> {
    let user = signed_in(&auth)?;
    let data = state.store.personal_data(&user.id).await?;
    Ok((
        [(
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"cradle-my-data.json\"",
        )],
        Json(data),
    )
        .into_response())
}

pub(crate) async fn sign_out_everywhere(
    State(state): State<AppState>,
    mut auth: Auth,
) -> Result<Response, AppError> {
    let user = signed_in(&auth)?;
    state.store.end_sessions(&user.id).await?;
    auth.logout().await.map_err(session_error)?;
    Ok(Redirect::to("/sign-in").into_response())
}

#[derive(Template)]
#[template(path = "accounts/delete.html")]
struct DeletePage {
    layout: Layout,
    csrf: String,
    errors: FormErrors,
}

pub(crate) async fn delete_form(auth: Auth) -> Result<Html<String>, AppError> {
    render(&DeletePage {
        layout: Layout::new("Delete your account", "/account"),
        csrf: csrf::token(&auth.session).await?,
        errors: FormErrors::default(),
    })
}

#[derive(Deserialize)]
pub(crate) struct DeleteForm {
    #[serde(default)]
    confirm: String,
}

#[derive(Template)]
#[template(path = "accounts/deleted.html")]
struct DeletedPage {
    layout: Layout,
}

pub(crate) async fn delete(
    State(state): State<AppState>,
    mut auth: Auth,
    Form(form): Form<DeleteForm>,
) -> Result<Response, AppError> {
    let user = signed_in(&auth)?;
    let mut errors = FormErrors::default();
    if form.confirm != "yes" {
        errors.add("confirm", "Confirm that you want to delete your account");
    } else {
        match state.store.delete_user(&user.id).await {
            Ok(()) => {
                auth.logout().await.map_err(session_error)?;
                let page = render(&DeletedPage {
                    layout: Layout::new("Your account has been deleted", ""),
                });
                return Ok(with_status(StatusCode::OK, page));
            }
            Err(StoreError::LastOwner) => errors.add(
                "confirm",
                "You are the only owner of a partnership. Make someone else an owner of it first, so that it is not left without one.",
            ),
            Err(error) => return Err(error.into()),
        }
    }
    let page = render(&DeletePage {
        layout: Layout::new("Delete your account", "/account"),
        csrf: csrf::token(&auth.session).await?,
        errors,
    });
    Ok(with_status(StatusCode::UNPROCESSABLE_ENTITY, page))
}

// ----- Passwords -----

#[derive(Template)]
#[template(path = "accounts/forgotten.html")]
struct ForgottenPage {
    layout: Layout,
}

pub(crate) async fn forgotten() -> Result<Html<String>, AppError> {
    render(&ForgottenPage {
        layout: Layout::new("If you have forgotten your password", "/sign-in"),
    })
}

#[derive(Template)]
#[template(path = "accounts/link_unusable.html")]
struct LinkUnusablePage {
    layout: Layout,
}

fn link_unusable() -> Response {
    with_status(
        StatusCode::NOT_FOUND,
        render(&LinkUnusablePage {
            layout: Layout::new("This link cannot be used", ""),
        }),
    )
}

#[derive(Template)]
#[template(path = "accounts/set_password.html")]
struct SetPasswordPage {
    layout: Layout,
    csrf: String,
    errors: FormErrors,
    email: String,
}

pub(crate) async fn reset_form(
    State(state): State<AppState>,
    auth: Auth,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let now = OffsetDateTime::now_utc();
    let Some(user) = state
        .store
        .password_reset_user(&tokens::hash(&token), now)
        .await?
    else {
        return Ok(link_unusable());
    };
    Ok(render(&SetPasswordPage {
        layout: Layout::new("Choose a password", ""),
        csrf: csrf::token(&auth.session).await?,
        errors: FormErrors::default(),
        email: user.email.to_string(),
    })?
    .into_response())
}

#[derive(Deserialize)]
pub(crate) struct PasswordForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm_password: String,
}

/// Checks a new password and its confirmation, adding any problems to `errors`.
fn check_password_fields(errors: &mut FormErrors, form: &PasswordForm, personal: &[&str]) {
    if let Err(problem) = check_new_password(&form.password, personal) {
        errors.add("password", problem.to_string());
    } else if form.password != form.confirm_password {
        errors.add("confirm_password", "The passwords do not match");
    }
}

pub(crate) async fn reset(
    State(state): State<AppState>,
    mut auth: Auth,
    Path(token): Path<String>,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    let now = OffsetDateTime::now_utc();
    let token_hash = tokens::hash(&token);
    let Some(user) = state.store.password_reset_user(&token_hash, now).await? else {
        return Ok(link_unusable());
    };
    let mut errors = FormErrors::default();
    check_password_fields(
        &mut errors,
        &form,
        &[user.email.as_str(), &user.display_name],
    );
    if !errors.is_empty() {
        let page = render(&SetPasswordPage {
            layout: Layout::new("Choose a password", ""),
            csrf: csrf::token(&auth.session).await?,
            errors,
            email: user.email.to_string(),
        });
        return Ok(with_status(StatusCode::UNPROCESSABLE_ENTITY, page));
    }
    let hash = passwords::hash(form.password).await?;
    let user = match state
        .store
        .use_password_reset(&token_hash, &hash, now)
        .await
    {
        Ok(user) => user,
        Err(StoreError::ResetUnusable) => return Ok(link_unusable()),
        Err(error) => return Err(error.into()),
    };
    auth::sign_in(&mut auth, &user.into()).await?;
    Ok(Redirect::to("/account").into_response())
}

// ----- Invitations -----

#[derive(Template)]
#[template(path = "accounts/invitation.html")]
struct InvitationPage {
    layout: Layout,
    csrf: String,
    errors: FormErrors,
    invitation: cradle_store::Invitation,
    /// The signed-in person's email, if any.
    signed_in_as: Option<String>,
    has_account: bool,
    display_name: String,
    path: String,
}

/// The invitation behind `token` if it can still be accepted.
async fn usable_invitation(
    state: &AppState,
    token: &str,
) -> Result<Option<cradle_store::Invitation>, AppError> {
    let now = OffsetDateTime::now_utc();
    let invitation = state
        .store
        .invitation_by_token(&tokens::hash(token))
        .await?;
    Ok(invitation.filter(|invitation| {
        invitation.accepted_at.is_none()
            && invitation.revoked_at.is_none()
            && invitation.expires_at > now
    }))
}

async fn invitation_page(
    state: &AppState,
    auth: &Auth,
    token: &str,
    invitation: cradle_store::Invitation,
    errors: FormErrors,
    display_name: String,
) -> Result<Html<String>, AppError> {
    let has_account = state
        .store
        .user_by_email(&invitation.email)
        .await?
        .is_some();
    render(&InvitationPage {
        layout: Layout::new(format!("Join {}", invitation.partnership_name), ""),
        csrf: csrf::token(&auth.session).await?,
        errors,
        signed_in_as: auth.user.as_ref().map(|user| user.email.to_string()),
        has_account,
        display_name,
        path: format!("/invitations/{token}"),
        invitation,
    })
}

pub(crate) async fn invitation(
    State(state): State<AppState>,
    auth: Auth,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let Some(invitation) = usable_invitation(&state, &token).await? else {
        return Ok(link_unusable());
    };
    Ok(invitation_page(
        &state,
        &auth,
        &token,
        invitation,
        FormErrors::default(),
        String::new(),
    )
    .await?
    .into_response())
}

#[derive(Deserialize)]
pub(crate) struct AcceptForm {
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm_password: String,
}

/// The account an invited person without one makes from the form: the new user, or the
/// response to give instead (signing in first when the address already has an account, or
/// the form again with its problems).
async fn new_invited_account(
    state: &AppState,
    auth: &Auth,
    token: &str,
    invitation: cradle_store::Invitation,
    form: AcceptForm,
) -> Result<Result<User, Response>, AppError> {
    if state
        .store
        .user_by_email(&invitation.email)
        .await?
        .is_some()
    {
        let next: String =
            form_urlencoded::byte_serialize(format!("/invitations/{token}").as_bytes()).collect();
        return Ok(Err(
            Redirect::to(&format!("/sign-in?next={next}")).into_response()
        ));
    }
    let mut errors = FormErrors::default();
    let display_name = errors.text(
        "display_name",
        "Your name",
        &form.display_name,
        NAME_MAX,
        true,
    );
    check_password_fields(
        &mut errors,
        &PasswordForm {
            password: form.password.clone(),
            confirm_password: form.confirm_password.clone(),
        },
        &[invitation.email.as_str(), &display_name],
    );
    if !errors.is_empty() {
        let page = invitation_page(state, auth, token, invitation, errors, display_name).await;
        return Ok(Err(with_status(StatusCode::UNPROCESSABLE_ENTITY, page)));
    }
    let hash = passwords::hash(form.password).await?;
    let user = state
        .store
        .create_user(&cradle_store::NewUser {
            email: invitation.email.clone(),
            display_name,
            password_hash: Some(hash),
            is_site_admin: false,
        })
        .await?;
    Ok(Ok(user))
}

pub(crate) async fn accept(
    State(state): State<AppState>,
    mut auth: Auth,
    Path(token): Path<String>,
    Form(form): Form<AcceptForm>,
) -> Result<Response, AppError> {
    let Some(invitation) = usable_invitation(&state, &token).await? else {
        return Ok(link_unusable());
    };
    let user: User = match &auth.user {
        Some(user) if user.email == invitation.email => state
            .store
            .user(&user.id)
            .await?
            .ok_or_else(|| AppError::Internal("signed-in user vanished".into()))?,
        // Signed in as someone else: the page explains; nothing to do.
        Some(_) => return Ok(Redirect::to(&format!("/invitations/{token}")).into_response()),
        None => match new_invited_account(&state, &auth, &token, invitation, form).await? {
            Ok(user) => user,
            Err(page) => return Ok(page),
        },
    };
    let now = OffsetDateTime::now_utc();
    let (partnership_id, _role) = match state
        .store
        .accept_invitation(&tokens::hash(&token), &user.id, now)
        .await
    {
        Ok(accepted) => accepted,
        Err(StoreError::InvitationUnusable) => return Ok(link_unusable()),
        Err(error) => return Err(error.into()),
    };
    if auth.user.is_none() {
        auth::sign_in(&mut auth, &user.into()).await?;
    }
    Ok(Redirect::to(&format!("/partnerships/{partnership_id}")).into_response())
}

/// Signing in, password and invitation links (spent ones), and the account pages.
pub(crate) fn inventory() -> Vec<InventoryPage> {
    vec![
        InventoryPage::new("/sign-in", "Sign in"),
        InventoryPage::new("/password-reset", "If you have forgotten your password"),
        InventoryPage::new(
            "/password-reset/not-a-real-link",
            "This link cannot be used",
        )
        .status(404),
        InventoryPage::new("/invitations/not-a-real-link", "This link cannot be used").status(404),
        InventoryPage::new("/account", "Your account").signed_in(),
        InventoryPage::new("/account/delete", "Delete your account").signed_in(),
    ]
}
