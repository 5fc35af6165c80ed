//! Who is making a request: sessions in the database, sign-in with axum-login, session
//! lifetimes, and protection against cross-site request forgery.

pub(crate) mod csrf;
pub mod passwords;
mod session_store;
pub(crate) mod tokens;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use axum_login::{AuthManagerLayer, AuthManagerLayerBuilder, AuthUser, AuthnBackend};
use cradle_domain::account::{Email, SESSION_ABSOLUTE_LIFETIME, SESSION_IDLE_TIMEOUT};
use cradle_store::{Store, StoreError, User};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, Session, SessionManagerLayer};

pub(crate) use session_store::DatabaseSessions;

/// The session cookie's name. With HTTPS it carries the `__Host-` prefix, which browsers
/// only accept from a secure origin, for the whole site, with no Domain attribute.
const COOKIE_NAME: &str = "cradle_session";
const SECURE_COOKIE_NAME: &str = "__Host-cradle_session";

/// Session keys for when the person signed in and when a request was last seen.
const SIGNED_IN_AT: &str = "signed_in_at";
const SEEN_AT: &str = "seen_at";
/// How stale the "last seen" time may get before a request refreshes it (and with it the
/// session's idle expiry); refreshing on every request would write on every request.
const SEEN_REFRESH_SECONDS: i64 = 5 * 60;

/// A signed-in person as the session knows them.
#[derive(Clone, Debug)]
pub(crate) struct SessionUser {
    pub id: String,
    pub email: Email,
    pub display_name: String,
    pub is_site_admin: bool,
    /// Changes when the password changes or the person signs out everywhere, which ends
    /// every session made before.
    auth_hash: Vec<u8>,
}

impl From<User> for SessionUser {
    fn from(user: User) -> Self {
        let mut digest = Sha256::new();
        digest.update(user.id.as_bytes());
        digest.update(user.session_epoch.to_le_bytes());
        digest.update(user.password_hash.as_deref().unwrap_or("").as_bytes());
        Self {
            id: user.id,
            email: user.email,
            display_name: user.display_name,
            is_site_admin: user.is_site_admin,
            auth_hash: digest.finalize().to_vec(),
        }
    }
}

impl AuthUser for SessionUser {
    type Id = String;

    fn id(&self) -> String {
        self.id.clone()
    }

    fn session_auth_hash(&self) -> &[u8] {
        &self.auth_hash
    }
}

/// What someone types to sign in.
pub(crate) struct Credentials {
    pub email: Email,
    pub password: String,
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum AccountsError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    App(#[from] crate::shared::error::AppError),
}

/// axum-login's view of Cradle's accounts.
#[derive(Clone, Debug)]
pub(crate) struct Accounts {
    store: Store,
}

impl AuthnBackend for Accounts {
    type User = SessionUser;
    type Credentials = Credentials;
    type Error = AccountsError;

    async fn authenticate(
        &self,
        credentials: Credentials,
    ) -> Result<Option<SessionUser>, AccountsError> {
        let user = self.store.user_by_email(&credentials.email).await?;
        let Some((user, stored)) =
            user.and_then(|user| user.password_hash.clone().map(|hash| (user, hash)))
        else {
            passwords::equalise_timing(credentials.password).await?;
            return Ok(None);
        };
        let matches = passwords::verify(credentials.password, stored).await?;
        Ok(matches.then(|| user.into()))
    }

    async fn get_user(&self, id: &String) -> Result<Option<SessionUser>, AccountsError> {
        Ok(self.store.user(id).await?.map(SessionUser::from))
    }
}

/// The signed-in person as the audit log records them. Only routes declared signed-in or
/// partnership-only call this, so a missing user is a bug, not a user's mistake.
pub(crate) fn actor(auth: &Auth) -> Result<cradle_store::Actor, crate::shared::error::AppError> {
    auth.user
        .as_ref()
        .map(|user| cradle_store::Actor {
            user_id: user.id.clone(),
        })
        .ok_or_else(|| {
            crate::shared::error::AppError::Internal("a member route ran without a user".into())
        })
}

/// The request's sign-in state, for handlers.
pub(crate) type Auth = axum_login::AuthSession<Accounts>;

/// Sessions in the database, with Secure cookies when served over HTTPS, HttpOnly,
/// SameSite=Lax, and an idle timeout; axum-login on top.
pub(crate) fn layer(store: Store, https: bool) -> AuthManagerLayer<Accounts, DatabaseSessions> {
    let idle = time::Duration::try_from(SESSION_IDLE_TIMEOUT).unwrap_or(time::Duration::HOUR);
    let sessions = SessionManagerLayer::new(DatabaseSessions::new(store.clone()))
        .with_name(if https {
            SECURE_COOKIE_NAME
        } else {
            COOKIE_NAME
        })
        .with_secure(https)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(idle));
    AuthManagerLayerBuilder::new(Accounts { store }, sessions).build()
}

/// Signs `user` in on this session (axum-login gives the session a new id), and records
/// when, for the absolute lifetime.
pub(crate) async fn sign_in(
    auth: &mut Auth,
    user: &SessionUser,
) -> Result<(), crate::shared::error::AppError> {
    auth.login(user).await.map_err(|error| {
        crate::shared::error::AppError::Internal(format!("could not sign in: {error}"))
    })?;
    let now = OffsetDateTime::now_utc().unix_timestamp();
    insert(&auth.session, SIGNED_IN_AT, now).await?;
    insert(&auth.session, SEEN_AT, now).await?;
    csrf::rotate(&auth.session).await?;
    Ok(())
}

async fn insert(
    session: &Session,
    key: &str,
    value: i64,
) -> Result<(), crate::shared::error::AppError> {
    session.insert(key, value).await.map_err(|error| {
        crate::shared::error::AppError::Internal(format!("session write failed: {error}"))
    })
}

/// Middleware: ends a session that has outlived its absolute lifetime, and keeps an active
/// session's idle expiry moving (a few minutes' precision is enough).
pub(crate) async fn enforce_lifetime(mut auth: Auth, mut request: Request, next: Next) -> Response {
    if auth.user.is_some() {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let signed_in_at: i64 = auth
            .session
            .get(SIGNED_IN_AT)
            .await
            .ok()
            .flatten()
            .unwrap_or(0);
        let lifetime = i64::try_from(SESSION_ABSOLUTE_LIFETIME.as_secs()).unwrap_or(i64::MAX);
        if now.saturating_sub(signed_in_at) > lifetime {
            if let Err(error) = auth.logout().await {
                tracing::warn!(%error, "could not end an expired session");
            }
            // Handlers read the signed-in user from here: they must see the sign-out.
            request.extensions_mut().insert(auth);
        } else {
            let seen_at: i64 = auth.session.get(SEEN_AT).await.ok().flatten().unwrap_or(0);
            if now.saturating_sub(seen_at) > SEEN_REFRESH_SECONDS
                && let Err(error) = insert(&auth.session, SEEN_AT, now).await
            {
                tracing::warn!(%error, "could not refresh a session");
            }
        }
    }
    next.run(request).await
}
