//! The link between a gap in the gap register and its action in the action log: the gap's
//! key, and the cell the register shows beside it.

use std::collections::HashMap;

use crate::AppState;
use crate::shared::error::AppError;
use crate::shared::routes::InPartnership;

/// What the register shows beside a gap: its action, or a link to add one.
pub(crate) struct GapActionCell {
    /// "In progress: Fund an evening helpline", linking to the action log.
    pub(crate) action: Option<(String, String)>,
    /// Where to add an action, for those who may.
    pub(crate) add_link: Option<String>,
}

/// For each gap key of the partnership's register that has an action, the action's
/// status and wording.
pub(crate) async fn linked_actions(
    state: &AppState,
    scope: &InPartnership,
) -> Result<HashMap<String, String>, AppError> {
    let partnership = &scope.partnership.id;
    let links = state.store.gap_actions(partnership).await?;
    let actions = state
        .store
        .list_actions(partnership, &Default::default())
        .await?;
    Ok(links
        .into_iter()
        .filter_map(|(key, id)| {
            let stored = actions.iter().find(|stored| stored.id == id)?;
            let text = format!("{}: {}", stored.action.status.label(), stored.action.what);
            Some((key, text))
        })
        .collect())
}

/// The register's cell for the gap with `key`.
pub(crate) fn cell(
    scope: &InPartnership,
    linked: &HashMap<String, String>,
    key: &str,
) -> GapActionCell {
    match linked.get(key) {
        Some(text) => GapActionCell {
            action: Some((
                text.clone(),
                format!("/partnerships/{}/actions", scope.partnership.id),
            )),
            add_link: None,
        },
        None => GapActionCell {
            action: None,
            add_link: scope
                .can(cradle_domain::Role::Contributor)
                .then(|| add_action_path(scope, key)),
        },
    }
}

/// The key of a gap a walk-through recorded.
pub(crate) fn finding_key(finding_id: &str) -> String {
    format!("finding:{finding_id}")
}

/// The key of a gap the coverage rules find: its wording, which is all that stays the
/// same while the service map changes.
pub(crate) fn coverage_key(message: &str) -> String {
    format!("coverage:{message}")
}

/// The address of the form that adds an action for the gap with `key`.
pub(crate) fn add_action_path(scope: &InPartnership, key: &str) -> String {
    let query: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("gap", key)
        .finish();
    format!("/partnerships/{}/gaps/action?{query}", scope.partnership.id)
}
