//! The site's geography lookups: a site administrator imports the official lookup files
//! (ONS Open Geography Portal, mySociety), so that every partnership's figures roll up from
//! local authority to region, integrated care board, health board and nation.

use askama::Template;
use axum::extract::State;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::response::{Html, IntoResponse, Redirect, Response};
use cradle_readers::read_geography;

use crate::AppState;
use crate::shared::auth::{Auth, actor, csrf};
use crate::shared::error::{AppError, render};
use crate::shared::file_problems::FileProblems;
use crate::shared::forms::FormErrors;
use crate::shared::inventory::InventoryPage;
use crate::shared::layout::Layout;
use crate::shared::routes::Routes;
use crate::shared::uploads::{self, Received, Refusal, refused};

/// This feature's routes, each with its access policy.
pub(crate) fn routes(routes: Routes) -> Routes {
    use cradle_domain::access::Access::SiteAdmin;
    routes
        .get("/admin/geography", SiteAdmin, lookups)
        .upload("/admin/geography", SiteAdmin, import)
}

pub(crate) struct LookupRow {
    pub file_name: String,
    pub layout: &'static str,
    pub links: usize,
    pub imported_by: String,
    pub imported_on: String,
}

#[derive(Template)]
#[template(path = "geography/geography.html")]
struct GeographyPage {
    layout: Layout,
    csrf: String,
    lookups: Vec<LookupRow>,
    errors: FormErrors,
    problems: FileProblems,
}

async fn geography_page(
    state: &AppState,
    auth: &Auth,
    refusal: Refusal,
) -> Result<Html<String>, AppError> {
    let lookups = state
        .store
        .geography_lookups()
        .await?
        .into_iter()
        .map(|lookup| LookupRow {
            file_name: lookup.file_name,
            layout: if lookup.layout == "mysociety" {
                "mySociety list of local authorities"
            } else {
                "ONS Open Geography lookup"
            },
            links: lookup.links,
            imported_by: lookup.imported_by_label,
            imported_on: lookup.imported_at.date().to_string(),
        })
        .collect();
    let Refusal { errors, problems } = refusal;
    render(&GeographyPage {
        layout: Layout::new("Geography lookups", "/admin"),
        csrf: csrf::token(&auth.session).await?,
        lookups,
        errors,
        problems,
    })
}

pub(crate) async fn lookups(
    State(state): State<AppState>,
    auth: Auth,
) -> Result<Html<String>, AppError> {
    geography_page(&state, &auth, Refusal::default()).await
}

pub(crate) async fn import(
    State(state): State<AppState>,
    auth: Auth,
    upload: Result<Multipart, MultipartRejection>,
) -> Result<Response, AppError> {
    let Received { file_name, table } = match uploads::receive(
        upload,
        "Choose a lookup file (CSV) to upload",
        |bytes, _name| read_geography(bytes),
    )
    .await?
    {
        Ok(received) => received,
        Err(refusal) => return Ok(refused(geography_page(&state, &auth, refusal).await)),
    };
    state
        .store
        .import_geography(&actor(&auth)?, &file_name, &table)
        .await?;
    Ok(Redirect::to("/admin/geography").into_response())
}

/// The geography lookups page.
pub(crate) fn inventory() -> Vec<InventoryPage> {
    vec![InventoryPage::new("/admin/geography", "Geography lookups").signed_in()]
}
