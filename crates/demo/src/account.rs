//! The account the demo's changes are made by.

use cradle_store::{Actor, NewUser, Store, StoreError};

use crate::DemoError;

/// The demo account's address: `.invalid` is reserved, so no mail can ever reach it.
pub const DEMO_ACCOUNT_EMAIL: &str = "demo-facilitator@cradle-demo.invalid";
/// How the demo account is named wherever its changes are shown.
pub const DEMO_ACCOUNT_NAME: &str = "Demo facilitator (invented)";

/// The demo account, made the first time it is needed. It has no password, so it cannot
/// sign in, and belongs to no partnership.
pub(crate) async fn actor(store: &Store) -> Result<Actor, DemoError> {
    let email = DEMO_ACCOUNT_EMAIL
        .parse()
        .map_err(|error| DemoError::invalid("account email", error))?;
    if let Some(user) = store.user_by_email(&email).await? {
        return Ok(Actor { user_id: user.id });
    }
    let new = NewUser {
        email: email.clone(),
        display_name: DEMO_ACCOUNT_NAME.to_owned(),
        password_hash: None,
        is_site_admin: false,
    };
    match store.create_user(&new).await {
        Ok(user) => Ok(Actor { user_id: user.id }),
        // Made meanwhile by another instance loading the demo: use that one.
        Err(StoreError::EmailTaken) => store
            .user_by_email(&email)
            .await?
            .map(|user| Actor { user_id: user.id })
            .ok_or(DemoError::Store(StoreError::NotFound)),
        Err(error) => Err(error.into()),
    }
}
