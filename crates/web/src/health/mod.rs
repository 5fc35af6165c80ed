//! `/healthz` (the process answers) and `/readyz` (the database answers and its schema is
//! current), as JSON for load balancers and orchestrators.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;

use crate::AppState;
use crate::shared::routes::Routes;

/// This feature's routes, each with its access policy.
pub(crate) fn routes(routes: Routes) -> Routes {
    use cradle_domain::access::Access::Public;
    routes
        .get("/healthz", Public, healthz)
        .get("/readyz", Public, readyz)
}

#[derive(Serialize)]
pub(crate) struct Health {
    status: &'static str,
}

pub(crate) async fn healthz() -> Json<Health> {
    Json(Health { status: "ok" })
}

#[derive(Serialize)]
pub(crate) struct Ready {
    status: &'static str,
    database: &'static str,
    database_reachable: bool,
    migrations_applied: usize,
    migrations_expected: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    problem: Option<String>,
}

pub(crate) async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Ready>) {
    let database = state.store.kind().label();
    match state.store.readiness().await {
        Ok(readiness) if readiness.migrations_current() => (
            StatusCode::OK,
            Json(Ready {
                status: "ok",
                database,
                database_reachable: true,
                migrations_applied: readiness.applied_migrations,
                migrations_expected: readiness.expected_migrations,
                problem: None,
            }),
        ),
        Ok(readiness) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(Ready {
                status: "unavailable",
                database,
                database_reachable: true,
                migrations_applied: readiness.applied_migrations,
                migrations_expected: readiness.expected_migrations,
                problem: Some("the database schema is not at this version's migrations".into()),
            }),
        ),
        Err(error) => {
            tracing::warn!(%error, "readiness check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(Ready {
                    status: "unavailable",
                    database,
                    database_reachable: false,
                    migrations_applied: 0,
                    migrations_expected: 0,
                    problem: Some("the database did not answer".into()),
                }),
            )
        }
    }
}
