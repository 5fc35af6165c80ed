//! Actions of the action log as pages show them and as their forms send them, for the
//! action log and a workshop's record.

use cradle_domain::actions::ActionFields;
use cradle_store::StoredAction;
use serde::Deserialize;

pub(crate) struct ActionLine {
    pub(crate) id: String,
    pub(crate) what: String,
    pub(crate) owner: String,
    pub(crate) due: String,
    pub(crate) status: &'static str,
    pub(crate) workshop: Option<(String, String)>,
}

impl ActionLine {
    pub(crate) fn new(stored: StoredAction) -> Self {
        Self {
            workshop: stored.workshop_id.zip(stored.workshop_title),
            id: stored.id,
            due: stored
                .action
                .due
                .map(cradle_domain::services::long_date)
                .unwrap_or_else(|| "No date".to_owned()),
            status: stored.action.status.label(),
            what: stored.action.what,
            owner: stored.action.owner,
        }
    }
}

#[derive(Deserialize, Default)]
pub(crate) struct ActionForm {
    /// Set when the action answers a gap in the gap register.
    #[serde(default)]
    pub(crate) gap: String,
    #[serde(default)]
    pub(crate) what: String,
    #[serde(default)]
    pub(crate) owner: String,
    #[serde(default)]
    pub(crate) due: String,
    #[serde(default)]
    pub(crate) status: String,
    #[serde(default)]
    pub(crate) workshop: String,
}

impl ActionForm {
    pub(crate) fn fields(&self) -> ActionFields {
        ActionFields {
            what: self.what.clone(),
            owner: self.owner.clone(),
            due: self.due.clone(),
            status: self.status.clone(),
        }
    }
}
