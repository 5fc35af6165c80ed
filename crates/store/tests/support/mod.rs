//! Fixtures the store's suites share. Each suite uses only some of them.

#![allow(dead_code, clippy::unwrap_used)]

use cradle_domain::partnership::{AreaCode, NewPartnership, Partnership};
use cradle_domain::vocabulary::Nation;
use cradle_store::{Actor, NewUser, Store};

/// An area code known to be valid.
pub fn code(text: &str) -> AreaCode {
    text.parse().unwrap()
}

/// A new account with `email` and `display_name` (no password), owning a new partnership
/// made from `partnership`.
pub async fn owner_of(
    store: &Store,
    email: &str,
    display_name: &str,
    partnership: &NewPartnership,
) -> (Actor, Partnership) {
    let user = store
        .create_user(&NewUser {
            email: email.parse().unwrap(),
            display_name: display_name.to_owned(),
            password_hash: None,
            is_site_admin: false,
        })
        .await
        .unwrap();
    let actor = Actor { user_id: user.id };
    let partnership = store
        .create_partnership_with_owner(partnership, &actor)
        .await
        .unwrap();
    (actor, partnership)
}

/// A partnership called `name` in `nation` covering one area, owned by a new account of
/// the same name (`Tees Valley` gets `tees.valley@example.org`).
pub async fn named_owner(
    store: &Store,
    name: &str,
    nation: Nation,
    area: &str,
) -> (Actor, Partnership) {
    let email = format!("{}@example.org", name.to_lowercase().replace(' ', "."));
    let partnership = NewPartnership::validate(name, nation, "", &[area], false).unwrap();
    owner_of(store, &email, name, &partnership).await
}

/// Tees Valley (two English areas), owned by a new account "Pat Analyst" with `email`.
pub async fn tees_valley_owner(store: &Store, email: &str) -> (Actor, Partnership) {
    let tees = NewPartnership::validate(
        "Tees Valley",
        Nation::England,
        "",
        &["E06000001", "E06000002"],
        false,
    )
    .unwrap();
    owner_of(store, email, "Pat Analyst", &tees).await
}
