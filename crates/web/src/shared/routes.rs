//! Every route and the access policy it declares, in one table. Routes can only be added
//! through [`Routes`], which takes a policy with each and enforces it before the handler
//! runs, so a route without a policy cannot exist; [`route_table`] lists them all for the
//! access-control test.

use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRequestParts};
use axum::extract::{RawPathParams, Request};
use axum::handler::Handler;
use axum::http::request::Parts;
use axum::middleware::{Next, from_fn};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{MethodRouter, get, post};
use cradle_domain::access::{Access, Decision, Requester, decide};
use cradle_domain::partnership::Partnership;
use cradle_domain::vocabulary::Role;

use crate::AppState;
use crate::shared::auth::{Auth, SessionUser};
use crate::shared::error::AppError;

/// One route: its method, its path pattern and who may use it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RouteSpec {
    pub method: &'static str,
    pub path: &'static str,
    #[serde(skip)]
    pub access: Access,
}

/// The name every partnership route gives the partnership's id in its path.
pub(crate) const PARTNERSHIP_PARAM: &str = "partnership";

/// A router under construction that records each route's policy.
pub(crate) struct Routes {
    router: Router<AppState>,
    table: Vec<RouteSpec>,
}

impl Routes {
    pub(crate) fn new() -> Self {
        Self {
            router: Router::new(),
            table: Vec::new(),
        }
    }

    pub(crate) fn get<H, T>(self, path: &'static str, access: Access, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add("GET", path, access, get(handler))
    }

    pub(crate) fn post<H, T>(self, path: &'static str, access: Access, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add("POST", path, access, post(handler))
    }

    /// A POST route that takes a file upload: its body is read up to
    /// [`crate::shared::uploads::HARD_BODY_LIMIT_BYTES`] rather than the forms'
    /// [`crate::BODY_LIMIT_BYTES`]. Read the file with [`crate::shared::uploads::receive`],
    /// which keeps files up to [`crate::shared::uploads::UPLOAD_LIMIT_BYTES`] and words a larger
    /// one for the form.
    pub(crate) fn upload<H, T>(self, path: &'static str, access: Access, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add(
            "POST",
            path,
            access,
            post(handler).layer(DefaultBodyLimit::max(
                crate::shared::uploads::HARD_BODY_LIMIT_BYTES,
            )),
        )
    }

    fn add(
        mut self,
        method: &'static str,
        path: &'static str,
        access: Access,
        endpoint: MethodRouter<AppState>,
    ) -> Self {
        assert!(
            !matches!(access, Access::Partnership(_))
                || path.contains(&format!("{{{PARTNERSHIP_PARAM}}}")),
            "partnership route {path} must name the partnership as {{{PARTNERSHIP_PARAM}}}"
        );
        let guarded = endpoint.route_layer(from_fn(move |request: Request, next: Next| {
            enforce(access, request, next)
        }));
        self.router = self.router.route(path, guarded);
        self.table.push(RouteSpec {
            method,
            path,
            access,
        });
        self
    }

    pub(crate) fn into_parts(self) -> (Router<AppState>, Vec<RouteSpec>) {
        (self.router, self.table)
    }
}

/// Every route with its policy (method, path pattern, access).
pub fn route_table() -> Vec<RouteSpec> {
    crate::define_routes(Routes::new()).into_parts().1
}

/// What the access check learned about a partnership route's request, for its handler.
#[derive(Clone, Debug)]
pub(crate) struct InPartnership {
    pub partnership: Partnership,
    /// The requester's role (owner for site administrators); `None` for a visitor reading
    /// a demo partnership.
    pub role: Option<Role>,
}

impl InPartnership {
    /// Whether the requester has at least `role`, for showing or hiding actions.
    pub fn can(&self, role: Role) -> bool {
        self.role.is_some_and(|own| own >= role)
    }
}

/// Where a person who must sign in first is sent, coming back to `request` after.
fn sign_in_redirect(request: &Request) -> Response {
    let back = request
        .uri()
        .path_and_query()
        .map_or("/", |path| path.as_str());
    let next: String = form_urlencoded::byte_serialize(back.as_bytes()).collect();
    Redirect::to(&format!("/sign-in?next={next}")).into_response()
}

async fn enforce(access: Access, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let decision = check(access, &mut parts).await;
    let request = Request::from_parts(parts, body);
    match decision {
        Ok(Decision::Allow) => next.run(request).await,
        Ok(Decision::SignIn) => sign_in_redirect(&request),
        Ok(Decision::Forbidden) => AppError::Forbidden.into_response(),
        Ok(Decision::NotFound) => AppError::NotFound.into_response(),
        Err(error) => error.into_response(),
    }
}

/// Decides on the request and, for partnership routes, leaves the partnership and the
/// requester's role in the request for the handler.
async fn check(access: Access, parts: &mut Parts) -> Result<Decision, AppError> {
    let user: Option<SessionUser> = parts
        .extensions
        .get::<Auth>()
        .and_then(|auth| auth.user.clone());
    let Access::Partnership(_) = access else {
        let requester = Requester {
            signed_in: user.is_some(),
            site_admin: user.as_ref().is_some_and(|user| user.is_site_admin),
            role: None,
        };
        return Ok(decide(access, requester, false));
    };
    let state = parts
        .extensions
        .get::<AppState>()
        .cloned()
        .ok_or_else(|| AppError::Internal("application state missing".into()))?;
    let params = RawPathParams::from_request_parts(parts, &())
        .await
        .map_err(|error| AppError::Internal(format!("path parameters: {error}")))?;
    let id = params
        .iter()
        .find(|(name, _)| *name == PARTNERSHIP_PARAM)
        .map(|(_, value)| value.to_owned())
        .ok_or(AppError::NotFound)?;
    let Some(partnership) = state.store.partnership(&id).await? else {
        return Ok(if user.is_some() {
            Decision::NotFound
        } else {
            Decision::SignIn
        });
    };
    let role = match &user {
        Some(user) => state.store.role_in(&id, &user.id).await?,
        None => None,
    };
    let site_admin = user.as_ref().is_some_and(|user| user.is_site_admin);
    let requester = Requester {
        signed_in: user.is_some(),
        site_admin,
        role,
    };
    let decision = decide(access, requester, partnership.is_demo);
    if decision == Decision::Allow {
        let role = if site_admin { Some(Role::Owner) } else { role };
        parts.extensions.insert(InPartnership { partnership, role });
    }
    Ok(decision)
}
