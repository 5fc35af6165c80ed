//! Which partnerships a person may see, for the home page and the partnerships list.

use cradle_domain::partnership::Partnership;

use crate::AppState;
use crate::shared::auth::Auth;
use crate::shared::error::AppError;

/// The partnerships a person may see: their own and the demo ones; every one for a site
/// administrator. Never the names of partnerships they do not belong to.
pub(crate) async fn visible_partnerships(
    state: &AppState,
    auth: &Auth,
) -> Result<Vec<Partnership>, AppError> {
    let all = state.store.partnerships().await?;
    let Some(user) = &auth.user else {
        return Ok(all.into_iter().filter(|p| p.is_demo).collect());
    };
    if user.is_site_admin {
        return Ok(all);
    }
    let own: Vec<String> = state
        .store
        .partnerships_of(&user.id)
        .await?
        .into_iter()
        .map(|(partnership, _)| partnership.id)
        .collect();
    Ok(all
        .into_iter()
        .filter(|p| p.is_demo || own.contains(&p.id))
        .collect())
}
