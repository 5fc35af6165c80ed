//! Accounts, memberships, invitations, sessions, sign-in throttling and the audit log:
//! every function here runs on SQLite and on PostgreSQL.

// Test code: a panic is how a test fails.
#![allow(clippy::unwrap_used)]

use cradle_domain::account::Email;
use cradle_domain::partnership::{NewPartnership, Partnership};
use cradle_domain::vocabulary::{Nation, Role};
use cradle_store::testing::execute_sql;
use cradle_store::{Actor, DatabaseKind, NewUser, Store, StoreError, User, backend_suite};
use time::{Duration, OffsetDateTime};

backend_suite!(
    a_second_account_with_the_same_email_is_refused,
    a_new_password_ends_every_session_of_that_account_only,
    signing_out_everywhere_ends_sessions_and_bumps_the_epoch,
    the_last_owner_cannot_be_removed_demoted_or_deleted,
    two_owners_stepping_down_at_once_leave_one_owner,
    changes_to_people_outside_the_partnership_are_not_found,
    partnerships_list_their_members_and_members_their_partnerships,
    an_invitation_can_be_accepted_once,
    expired_revoked_and_unknown_invitations_are_refused,
    concurrent_accepts_of_one_invitation_give_one_success,
    accepting_an_invitation_never_lowers_a_role,
    every_partnership_membership_and_invitation_change_is_audited,
    a_refused_change_leaves_no_audit_entry,
    a_change_whose_audit_entry_fails_is_not_made,
    audit_entries_survive_their_actors_deletion,
    the_database_refuses_to_change_the_audit_log,
    deleting_an_account_removes_its_memberships_and_sessions,
    a_password_reset_link_works_once_and_not_after_expiry,
    sessions_expire_and_can_be_replaced_or_deleted,
    expiry_is_exact_within_a_second,
    sign_in_failures_are_counted_per_key_within_the_window,
    personal_data_holds_no_password_hash,
);

const PASSWORD_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo";

fn email(text: &str) -> Email {
    text.parse().unwrap()
}

async fn user(store: &Store, name: &str, address: &str) -> User {
    store
        .create_user(&NewUser {
            email: email(address),
            display_name: name.to_owned(),
            password_hash: Some(PASSWORD_HASH.to_owned()),
            is_site_admin: false,
        })
        .await
        .unwrap()
}

fn actor(user: &User) -> Actor {
    Actor {
        user_id: user.id.clone(),
    }
}

fn details(name: &str, areas: &[&str]) -> NewPartnership {
    NewPartnership::validate(name, Nation::England, "Infant mental health.", areas, false).unwrap()
}

async fn partnership_owned_by(store: &Store, owner: &User) -> Partnership {
    store
        .create_partnership_with_owner(&details("Tees Valley", &["E06000001"]), &actor(owner))
        .await
        .unwrap()
}

/// Invites `address` with `role` through `token`, expiring a week from now.
async fn invite(
    store: &Store,
    by: &User,
    partnership: &Partnership,
    address: &str,
    role: Role,
    token: &str,
) -> String {
    store
        .create_invitation(
            &actor(by),
            &partnership.id,
            &email(address),
            role,
            token,
            OffsetDateTime::now_utc() + Duration::days(7),
        )
        .await
        .unwrap()
        .id
}

/// Makes `member` a member of `partnership` with `role`, through an invitation.
async fn add_member(
    store: &Store,
    owner: &User,
    partnership: &Partnership,
    member: &User,
    role: Role,
) {
    let token = format!("token-{}-{}-{}", partnership.id, member.id, role.id());
    invite(
        store,
        owner,
        partnership,
        member.email.as_str(),
        role,
        &token,
    )
    .await;
    store
        .accept_invitation(&token, &member.id, OffsetDateTime::now_utc())
        .await
        .unwrap();
}

async fn actions(store: &Store, partnership: &Partnership) -> Vec<String> {
    store
        .audit_log(&partnership.id)
        .await
        .unwrap()
        .into_iter()
        .map(|entry| entry.action)
        .collect()
}

async fn a_second_account_with_the_same_email_is_refused(store: &Store) {
    let sam = user(store, "Sam Jones", "sam@example.org").await;
    let again = store
        .create_user(&NewUser {
            email: email("  SAM@Example.org "),
            display_name: "Another Sam".to_owned(),
            password_hash: None,
            is_site_admin: true,
        })
        .await;
    assert!(matches!(again, Err(StoreError::EmailTaken)), "{again:?}");
    let users = store.users().await.unwrap();
    assert_eq!(users, std::slice::from_ref(&sam));
    assert_eq!(store.user(&sam.id).await.unwrap(), Some(sam.clone()));
    assert_eq!(
        store
            .user_by_email(&email("sam@example.org"))
            .await
            .unwrap(),
        Some(sam)
    );
    assert_eq!(store.count_site_admins().await.unwrap(), 0);
}

async fn a_new_password_ends_every_session_of_that_account_only(store: &Store) {
    let sam = user(store, "Sam Jones", "sam@example.org").await;
    let alex = user(store, "Alex Lee", "alex@example.org").await;
    let now = OffsetDateTime::now_utc();
    let later = now + Duration::hours(2);
    for (id, who) in [("s1", &sam), ("s2", &sam), ("a1", &alex)] {
        assert!(
            store
                .insert_session(id, "{}", later, Some(&who.id))
                .await
                .unwrap()
        );
    }
    store.set_password(&sam.id, "$argon2id$new").await.unwrap();

    let sam = store.user(&sam.id).await.unwrap().unwrap();
    assert_eq!(sam.password_hash.as_deref(), Some("$argon2id$new"));
    assert_eq!(sam.session_epoch, 1);
    assert_eq!(store.count_sessions(&sam.id, now).await.unwrap(), 0);
    assert_eq!(store.load_session("s1", now).await.unwrap(), None);
    assert_eq!(store.count_sessions(&alex.id, now).await.unwrap(), 1);
    assert_eq!(
        store.user(&alex.id).await.unwrap().unwrap().session_epoch,
        0
    );
    assert!(matches!(
        store.set_password("nobody", "$argon2id$new").await,
        Err(StoreError::NotFound)
    ));
}

async fn signing_out_everywhere_ends_sessions_and_bumps_the_epoch(store: &Store) {
    let sam = user(store, "Sam Jones", "sam@example.org").await;
    let now = OffsetDateTime::now_utc();
    store
        .save_session("s1", "{}", now + Duration::hours(1), Some(&sam.id))
        .await
        .unwrap();
    store
        .save_session("anon", "{}", now + Duration::hours(1), None)
        .await
        .unwrap();
    store.end_sessions(&sam.id).await.unwrap();
    store.end_sessions(&sam.id).await.unwrap();
    assert_eq!(store.user(&sam.id).await.unwrap().unwrap().session_epoch, 2);
    assert_eq!(store.count_sessions(&sam.id, now).await.unwrap(), 0);
    assert!(store.load_session("anon", now).await.unwrap().is_some());
}

async fn the_last_owner_cannot_be_removed_demoted_or_deleted(store: &Store) {
    let sam = user(store, "Sam Jones", "sam@example.org").await;
    let alex = user(store, "Alex Lee", "alex@example.org").await;
    let tees = partnership_owned_by(store, &sam).await;
    let by_sam = actor(&sam);

    let demoted = store
        .set_role(&by_sam, &tees.id, &sam.id, Role::Facilitator)
        .await;
    assert!(matches!(demoted, Err(StoreError::LastOwner)), "{demoted:?}");
    let removed = store.remove_member(&by_sam, &tees.id, &sam.id).await;
    assert!(matches!(removed, Err(StoreError::LastOwner)), "{removed:?}");
    let deleted = store.delete_user(&sam.id).await;
    assert!(matches!(deleted, Err(StoreError::LastOwner)), "{deleted:?}");
    assert_eq!(
        store.role_in(&tees.id, &sam.id).await.unwrap(),
        Some(Role::Owner)
    );
    assert!(store.user(&sam.id).await.unwrap().is_some());

    // With a second owner, either may step down, but not both.
    add_member(store, &sam, &tees, &alex, Role::Owner).await;
    store
        .set_role(&by_sam, &tees.id, &sam.id, Role::Viewer)
        .await
        .unwrap();
    assert_eq!(
        store.role_in(&tees.id, &sam.id).await.unwrap(),
        Some(Role::Viewer)
    );
    let alex_leaves = store.remove_member(&actor(&alex), &tees.id, &alex.id).await;
    assert!(
        matches!(alex_leaves, Err(StoreError::LastOwner)),
        "{alex_leaves:?}"
    );
    store
        .remove_member(&actor(&alex), &tees.id, &sam.id)
        .await
        .unwrap();
    assert_eq!(store.role_in(&tees.id, &sam.id).await.unwrap(), None);
    store.delete_user(&sam.id).await.unwrap();
    assert_eq!(store.user(&sam.id).await.unwrap(), None);
}

async fn two_owners_stepping_down_at_once_leave_one_owner(store: &Store) {
    let sam = user(store, "Sam Jones", "sam@example.org").await;
    let alex = user(store, "Alex Lee", "alex@example.org").await;
    for _ in 0..5 {
        let tees = partnership_owned_by(store, &sam).await;
        add_member(store, &sam, &tees, &alex, Role::Owner).await;
        let attempts: Vec<_> = [&sam, &alex]
            .into_iter()
            .map(|who| {
                let store = store.clone();
                let (tees, who) = (tees.id.clone(), who.clone());
                tokio::spawn(async move {
                    if who.email.as_str().starts_with("sam") {
                        store
                            .set_role(&actor(&who), &tees, &who.id, Role::Viewer)
                            .await
                    } else {
                        store.remove_member(&actor(&who), &tees, &who.id).await
                    }
                })
            })
            .collect();
        let mut refused = 0;
        for attempt in attempts {
            match attempt.await.unwrap() {
                Ok(()) => {}
                Err(StoreError::LastOwner) => refused += 1,
                Err(other) => panic!("unexpected error: {other}"),
            }
        }
        assert_eq!(refused, 1);
        let owners = store
            .members(&tees.id)
            .await
            .unwrap()
            .into_iter()
            .filter(|m| m.role == Role::Owner)
            .count();
        assert_eq!(owners, 1);
    }
}

async fn changes_to_people_outside_the_partnership_are_not_found(store: &Store) {
    let sam = user(store, "Sam Jones", "sam@example.org").await;
    let alex = user(store, "Alex Lee", "alex@example.org").await;
    let tees = partnership_owned_by(store, &sam).await;
    let fife = store
        .create_partnership_with_owner(&details("Fife", &[]), &actor(&alex))
        .await
        .unwrap();
    let by_sam = actor(&sam);
    assert!(matches!(
        store
            .set_role(&by_sam, &tees.id, &alex.id, Role::Viewer)
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.remove_member(&by_sam, &tees.id, &alex.id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store
            .set_role(&by_sam, "no-such-partnership", &sam.id, Role::Viewer)
            .await,
        Err(StoreError::NotFound)
    ));
    let in_fife = invite(store, &alex, &fife, "kim@example.org", Role::Viewer, "t1").await;
    assert!(matches!(
        store.revoke_invitation(&by_sam, &tees.id, &in_fife).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        store
            .pending_invitations(&fife.id, OffsetDateTime::now_utc())
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(matches!(
        store
            .update_partnership(&by_sam, "no-such-partnership", &details("X", &[]))
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store
            .create_invitation(
                &by_sam,
                "no-such-partnership",
                &email("kim@example.org"),
                Role::Viewer,
                "t2",
                OffsetDateTime::now_utc()
            )
            .await,
        Err(StoreError::NotFound)
    ));
}

async fn partnerships_list_their_members_and_members_their_partnerships(store: &Store) {
    let sam = user(store, "Sam Jones", "sam@example.org").await;
    let alex = user(store, "Alex Lee", "alex@example.org").await;
    let bea = user(store, "Bea Khan", "bea@example.org").await;
    let tees = partnership_owned_by(store, &sam).await;
    let fife = store
        .create_partnership_with_owner(&details("Fife", &["E06000002", "E06000001"]), &actor(&alex))
        .await
        .unwrap();
    add_member(store, &sam, &tees, &alex, Role::Contributor).await;
    add_member(store, &sam, &tees, &bea, Role::Facilitator).await;

    let members: Vec<(String, Role)> = store
        .members(&tees.id)
        .await
        .unwrap()
        .into_iter()
        .map(|m| (m.display_name, m.role))
        .collect();
    assert_eq!(
        members,
        [
            ("Sam Jones".to_owned(), Role::Owner),
            ("Alex Lee".to_owned(), Role::Contributor),
            ("Bea Khan".to_owned(), Role::Facilitator),
        ]
    );
    let of_alex: Vec<(String, Vec<String>, Role)> = store
        .partnerships_of(&alex.id)
        .await
        .unwrap()
        .into_iter()
        .map(|(p, role)| {
            (
                p.name,
                p.areas.iter().map(|a| a.to_string()).collect(),
                role,
            )
        })
        .collect();
    assert_eq!(
        of_alex,
        [
            (
                "Fife".to_owned(),
                vec!["E06000001".to_owned(), "E06000002".to_owned()],
                Role::Owner
            ),
            (
                "Tees Valley".to_owned(),
                vec!["E06000001".to_owned()],
                Role::Contributor
            ),
        ]
    );
    assert_eq!(store.role_in(&fife.id, &sam.id).await.unwrap(), None);
}

async fn an_invitation_can_be_accepted_once(store: &Store) {
    let sam = user(store, "Sam Jones", "sam@example.org").await;
    let kim = user(store, "Kim Ng", "kim@example.org").await;
    let other = user(store, "Other Person", "other@example.org").await;
    let tees = partnership_owned_by(store, &sam).await;
    invite(
        store,
        &sam,
        &tees,
        "kim@example.org",
        Role::Contributor,
        "secret-hash",
    )
    .await;

    let shown = store
        .invitation_by_token("secret-hash")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(shown.partnership_name, "Tees Valley");
    assert_eq!(shown.email.as_str(), "kim@example.org");
    assert_eq!(shown.invited_by.as_deref(), Some(sam.id.as_str()));
    let now = OffsetDateTime::now_utc();
    assert_eq!(
        store.pending_invitations(&tees.id, now).await.unwrap(),
        [shown]
    );

    let accepted = store
        .accept_invitation("secret-hash", &kim.id, now)
        .await
        .unwrap();
    assert_eq!(accepted, (tees.id.clone(), Role::Contributor));
    assert_eq!(
        store.role_in(&tees.id, &kim.id).await.unwrap(),
        Some(Role::Contributor)
    );
    for who in [&kim, &other] {
        let again = store.accept_invitation("secret-hash", &who.id, now).await;
        assert!(
            matches!(again, Err(StoreError::InvitationUnusable)),
            "{again:?}"
        );
    }
    assert_eq!(store.role_in(&tees.id, &other.id).await.unwrap(), None);
    assert!(
        store
            .invitation_by_token("secret-hash")
            .await
            .unwrap()
            .unwrap()
            .accepted_at
            .is_some()
    );
    assert!(
        store
            .pending_invitations(&tees.id, now)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn expired_revoked_and_unknown_invitations_are_refused(store: &Store) {
    let sam = user(store, "Sam Jones", "sam@example.org").await;
    let kim = user(store, "Kim Ng", "kim@example.org").await;
    let tees = partnership_owned_by(store, &sam).await;
    let now = OffsetDateTime::now_utc();
    store
        .create_invitation(
            &actor(&sam),
            &tees.id,
            &kim.email,
            Role::Viewer,
            "expiring",
            now + Duration::minutes(5),
        )
        .await
        .unwrap();
    let revoked = invite(
        store,
        &sam,
        &tees,
        "kim@example.org",
        Role::Owner,
        "revoked",
    )
    .await;
    store
        .revoke_invitation(&actor(&sam), &tees.id, &revoked)
        .await
        .unwrap();

    let pending: Vec<String> = store
        .pending_invitations(&tees.id, now)
        .await
        .unwrap()
        .into_iter()
        .map(|i| i.role.to_string())
        .collect();
    assert_eq!(pending, ["viewer"], "a revoked invitation is not pending");
    let after_expiry = now + Duration::minutes(5);
    assert!(
        store
            .pending_invitations(&tees.id, after_expiry)
            .await
            .unwrap()
            .is_empty()
    );
    for (token, at) in [
        ("expiring", after_expiry),
        ("revoked", now),
        ("never-issued", now),
    ] {
        let result = store.accept_invitation(token, &kim.id, at).await;
        assert!(
            matches!(result, Err(StoreError::InvitationUnusable)),
            "{token}: {result:?}"
        );
    }
    assert_eq!(store.role_in(&tees.id, &kim.id).await.unwrap(), None);
    // A moment before expiry it still works.
    let just_in_time = after_expiry - Duration::seconds(1);
    assert_eq!(
        store
            .accept_invitation("expiring", &kim.id, just_in_time)
            .await
            .unwrap(),
        (tees.id.clone(), Role::Viewer)
    );
}

async fn concurrent_accepts_of_one_invitation_give_one_success(store: &Store) {
    let sam = user(store, "Sam Jones", "sam@example.org").await;
    let tees = partnership_owned_by(store, &sam).await;
    invite(
        store,
        &sam,
        &tees,
        "team@example.org",
        Role::Contributor,
        "shared",
    )
    .await;
    let mut people = Vec::new();
    for n in 0..6 {
        people.push(user(store, &format!("Person {n}"), &format!("p{n}@example.org")).await);
    }
    let attempts: Vec<_> = people
        .iter()
        .map(|person| {
            let store = store.clone();
            let id = person.id.clone();
            tokio::spawn(async move {
                store
                    .accept_invitation("shared", &id, OffsetDateTime::now_utc())
                    .await
            })
        })
        .collect();
    let mut successes = 0;
    for attempt in attempts {
        match attempt.await.unwrap() {
            Ok(_) => successes += 1,
            Err(StoreError::InvitationUnusable) => {}
            Err(other) => panic!("unexpected error: {other}"),
        }
    }
    assert_eq!(successes, 1);
    assert_eq!(store.members(&tees.id).await.unwrap().len(), 2);
    let accepts = actions(store, &tees)
        .await
        .into_iter()
        .filter(|a| a == "invitation.accept")
        .count();
    assert_eq!(accepts, 1);
}

async fn accepting_an_invitation_never_lowers_a_role(store: &Store) {
    let sam = user(store, "Sam Jones", "sam@example.org").await;
    let kim = user(store, "Kim Ng", "kim@example.org").await;
    let tees = partnership_owned_by(store, &sam).await;
    add_member(store, &sam, &tees, &kim, Role::Facilitator).await;
    let now = OffsetDateTime::now_utc();

    invite(store, &sam, &tees, "kim@example.org", Role::Viewer, "lower").await;
    assert_eq!(
        store
            .accept_invitation("lower", &kim.id, now)
            .await
            .unwrap(),
        (tees.id.clone(), Role::Facilitator)
    );
    assert_eq!(
        store.role_in(&tees.id, &kim.id).await.unwrap(),
        Some(Role::Facilitator)
    );

    invite(store, &sam, &tees, "kim@example.org", Role::Owner, "higher").await;
    assert_eq!(
        store
            .accept_invitation("higher", &kim.id, now)
            .await
            .unwrap(),
        (tees.id.clone(), Role::Owner)
    );
    assert_eq!(
        store.role_in(&tees.id, &kim.id).await.unwrap(),
        Some(Role::Owner)
    );
}

async fn every_partnership_membership_and_invitation_change_is_audited(store: &Store) {
    let sam = user(store, "Sam Jones", "sam@example.org").await;
    let kim = user(store, "Kim Ng", "kim@example.org").await;
    let tees = partnership_owned_by(store, &sam).await;
    let by_sam = actor(&sam);
    store
        .update_partnership(
            &by_sam,
            &tees.id,
            &details("Tees Valley and Durham", &["E06000047", "E06000001"]),
        )
        .await
        .unwrap();
    invite(
        store,
        &sam,
        &tees,
        "kim@example.org",
        Role::Viewer,
        "kim-token-hash",
    )
    .await;
    store
        .accept_invitation("kim-token-hash", &kim.id, OffsetDateTime::now_utc())
        .await
        .unwrap();
    store
        .set_role(&by_sam, &tees.id, &kim.id, Role::Contributor)
        .await
        .unwrap();
    // Setting the role a member already has changes nothing and is not logged.
    store
        .set_role(&by_sam, &tees.id, &kim.id, Role::Contributor)
        .await
        .unwrap();
    let withdrawn = invite(
        store,
        &sam,
        &tees,
        "lee@example.org",
        Role::Viewer,
        "lee-token-hash",
    )
    .await;
    store
        .revoke_invitation(&by_sam, &tees.id, &withdrawn)
        .await
        .unwrap();
    store
        .remove_member(&by_sam, &tees.id, &kim.id)
        .await
        .unwrap();

    let log = store.audit_log(&tees.id).await.unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "member.remove",
            "invitation.revoke",
            "invitation.create",
            "member.role",
            "invitation.accept",
            "invitation.create",
            "partnership.update",
            "partnership.create",
        ]
    );
    let entry = |action: &str| log.iter().find(|e| e.action == action).unwrap();

    let created = entry("partnership.create");
    assert_eq!(created.before, None);
    assert_eq!(
        created.after,
        Some(serde_json::json!({
            "name": "Tees Valley", "nation": "england",
            "description": "Infant mental health.", "areas": ["E06000001"],
        }))
    );
    let updated = entry("partnership.update");
    assert_eq!(updated.before, created.after);
    assert_eq!(
        updated.after.as_ref().unwrap()["name"],
        "Tees Valley and Durham"
    );
    assert_eq!(
        updated.after.as_ref().unwrap()["areas"],
        serde_json::json!(["E06000001", "E06000047"])
    );
    assert_eq!(updated.actor_label, "Sam Jones (sam@example.org)");

    let role = entry("member.role");
    assert_eq!(role.entity_id, kim.id);
    assert_eq!(role.before.as_ref().unwrap()["role"], "viewer");
    assert_eq!(role.after.as_ref().unwrap()["role"], "contributor");
    let accepted = entry("invitation.accept");
    assert_eq!(accepted.actor_label, "Kim Ng (kim@example.org)");
    assert_eq!(accepted.before, None);
    assert_eq!(accepted.after.as_ref().unwrap()["role"], "viewer");
    let revoked = entry("invitation.revoke");
    assert_eq!(revoked.entity_id, withdrawn);
    assert_eq!(revoked.before.as_ref().unwrap()["status"], "pending");
    assert_eq!(revoked.after.as_ref().unwrap()["status"], "revoked");
    let removed = entry("member.remove");
    assert_eq!(removed.before.as_ref().unwrap()["email"], "kim@example.org");
    assert_eq!(removed.after, None);

    let everything = format!("{log:?}");
    assert!(
        !everything.contains("token-hash"),
        "a token hash reached the audit log"
    );
    assert!(
        log.windows(2).all(|pair| pair[0].at >= pair[1].at),
        "newest first"
    );
}

async fn a_refused_change_leaves_no_audit_entry(store: &Store) {
    let sam = user(store, "Sam Jones", "sam@example.org").await;
    let tees = partnership_owned_by(store, &sam).await;
    let before = actions(store, &tees).await;
    assert!(
        store
            .set_role(&actor(&sam), &tees.id, &sam.id, Role::Viewer)
            .await
            .is_err()
    );
    assert!(
        store
            .remove_member(&actor(&sam), &tees.id, &sam.id)
            .await
            .is_err()
    );
    assert!(store.delete_user(&sam.id).await.is_err());
    assert!(
        store
            .accept_invitation("never-issued", &sam.id, OffsetDateTime::now_utc())
            .await
            .is_err()
    );
    assert_eq!(actions(store, &tees).await, before);
}

async fn a_change_whose_audit_entry_fails_is_not_made(store: &Store) {
    let sam = user(store, "Sam Jones", "sam@example.org").await;
    let kim = user(store, "Kim Ng", "kim@example.org").await;
    let tees = partnership_owned_by(store, &sam).await;
    add_member(store, &sam, &tees, &kim, Role::Viewer).await;
    // Make every audit insert fail from now on.
    let refuse = match store.kind() {
        DatabaseKind::Sqlite => {
            "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log
             BEGIN SELECT RAISE(ABORT, 'audit unavailable'); END;"
        }
        DatabaseKind::Postgres => {
            "CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN RAISE EXCEPTION 'audit unavailable'; END; $$;
             CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log
             FOR EACH ROW EXECUTE FUNCTION refuse_audit();"
        }
    };
    execute_sql(store, refuse).await.unwrap();
    let by_sam = actor(&sam);

    assert!(
        store
            .update_partnership(&by_sam, &tees.id, &details("Renamed", &[]))
            .await
            .is_err()
    );
    assert!(
        store
            .set_role(&by_sam, &tees.id, &kim.id, Role::Owner)
            .await
            .is_err()
    );
    assert!(
        store
            .create_invitation(
                &by_sam,
                &tees.id,
                &email("lee@example.org"),
                Role::Viewer,
                "lee",
                OffsetDateTime::now_utc() + Duration::days(1)
            )
            .await
            .is_err()
    );
    assert!(
        store
            .create_partnership_with_owner(&details("Fife", &[]), &by_sam)
            .await
            .is_err()
    );
    assert!(store.delete_user(&kim.id).await.is_err());

    let unchanged = store.partnership(&tees.id).await.unwrap().unwrap();
    assert_eq!(
        (unchanged.name.as_str(), unchanged.areas.len()),
        ("Tees Valley", 1)
    );
    assert_eq!(
        store.role_in(&tees.id, &kim.id).await.unwrap(),
        Some(Role::Viewer)
    );
    assert!(store.invitation_by_token("lee").await.unwrap().is_none());
    assert_eq!(store.partnerships().await.unwrap().len(), 1);
    assert!(store.user(&kim.id).await.unwrap().is_some());
}

async fn audit_entries_survive_their_actors_deletion(store: &Store) {
    let sam = user(store, "Sam Jones", "sam@example.org").await;
    let bea = user(store, "Bea Khan", "bea@example.org").await;
    let tees = partnership_owned_by(store, &sam).await;
    add_member(store, &sam, &tees, &bea, Role::Facilitator).await;
    invite(
        store,
        &bea,
        &tees,
        "lee@example.org",
        Role::Viewer,
        "from-bea",
    )
    .await;
    store.delete_user(&bea.id).await.unwrap();

    let log = store.audit_log(&tees.id).await.unwrap();
    let labels: Vec<(&str, &str)> = log
        .iter()
        .map(|e| (e.action.as_str(), e.actor_label.as_str()))
        .collect();
    assert_eq!(
        labels,
        [
            ("account.delete", "A deleted account"),
            ("invitation.create", "A deleted account"),
            ("invitation.accept", "A deleted account"),
            ("invitation.create", "Sam Jones (sam@example.org)"),
            ("partnership.create", "Sam Jones (sam@example.org)"),
        ]
    );
    assert_eq!(log[1].actor_user_id.as_deref(), Some(bea.id.as_str()));
    // The invitation Bea sent still names her as its sender, and can still be used.
    let pending = store
        .pending_invitations(&tees.id, OffsetDateTime::now_utc())
        .await
        .unwrap();
    assert_eq!(pending[0].invited_by.as_deref(), Some(bea.id.as_str()));
}

async fn the_database_refuses_to_change_the_audit_log(store: &Store) {
    let sam = user(store, "Sam Jones", "sam@example.org").await;
    let tees = partnership_owned_by(store, &sam).await;
    let before = store.audit_log(&tees.id).await.unwrap();
    assert_eq!(before.len(), 1);
    let update = execute_sql(store, "UPDATE audit_log SET action = 'nothing happened'").await;
    assert!(update.is_err(), "UPDATE was allowed");
    let delete = execute_sql(store, "DELETE FROM audit_log").await;
    assert!(delete.is_err(), "DELETE was allowed");
    assert_eq!(store.audit_log(&tees.id).await.unwrap(), before);
    // Plain writes elsewhere still work, so the refusals above are the audit log's own.
    execute_sql(store, "DELETE FROM sessions").await.unwrap();
}

async fn deleting_an_account_removes_its_memberships_and_sessions(store: &Store) {
    let sam = user(store, "Sam Jones", "sam@example.org").await;
    let kim = user(store, "Kim Ng", "kim@example.org").await;
    let tees = partnership_owned_by(store, &sam).await;
    add_member(store, &sam, &tees, &kim, Role::Contributor).await;
    let now = OffsetDateTime::now_utc();
    store
        .insert_session("kim-session", "{}", now + Duration::hours(1), Some(&kim.id))
        .await
        .unwrap();
    store
        .create_password_reset(&kim.id, "kim-reset", now + Duration::hours(1))
        .await
        .unwrap();

    store.delete_user(&kim.id).await.unwrap();
    assert_eq!(store.user(&kim.id).await.unwrap(), None);
    assert_eq!(store.user_by_email(&kim.email).await.unwrap(), None);
    let names: Vec<String> = store
        .members(&tees.id)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.display_name)
        .collect();
    assert_eq!(names, ["Sam Jones"]);
    assert_eq!(store.load_session("kim-session", now).await.unwrap(), None);
    assert_eq!(
        store.password_reset_user("kim-reset", now).await.unwrap(),
        None
    );
    assert!(matches!(
        store.delete_user(&kim.id).await,
        Err(StoreError::NotFound)
    ));
    // The address can be used for a new account.
    user(store, "Kim Ng", "kim@example.org").await;
}

async fn a_password_reset_link_works_once_and_not_after_expiry(store: &Store) {
    let sam = user(store, "Sam Jones", "sam@example.org").await;
    let now = OffsetDateTime::now_utc();
    let expiry = now + Duration::hours(24);
    store
        .create_password_reset(&sam.id, "first", expiry)
        .await
        .unwrap();
    store
        .create_password_reset(&sam.id, "second", expiry)
        .await
        .unwrap();
    store
        .create_password_reset(&sam.id, "late", now + Duration::minutes(1))
        .await
        .unwrap();
    store
        .insert_session("s1", "{}", expiry, Some(&sam.id))
        .await
        .unwrap();
    assert!(matches!(
        store.create_password_reset("nobody", "x", expiry).await,
        Err(StoreError::NotFound)
    ));

    let late = store
        .use_password_reset("late", "$argon2id$late", now + Duration::minutes(1))
        .await;
    assert!(matches!(late, Err(StoreError::ResetUnusable)), "{late:?}");
    assert_eq!(
        store
            .password_reset_user("first", now)
            .await
            .unwrap()
            .map(|u| u.id),
        Some(sam.id.clone())
    );

    let changed = store
        .use_password_reset("first", "$argon2id$fresh", now)
        .await
        .unwrap();
    assert_eq!(changed.password_hash.as_deref(), Some("$argon2id$fresh"));
    assert_eq!(changed.session_epoch, 1);
    assert_eq!(store.count_sessions(&sam.id, now).await.unwrap(), 0);
    assert_eq!(store.password_reset_user("first", now).await.unwrap(), None);
    for token in ["first", "second", "never-issued"] {
        let again = store
            .use_password_reset(token, "$argon2id$again", now)
            .await;
        assert!(
            matches!(again, Err(StoreError::ResetUnusable)),
            "{token}: {again:?}"
        );
    }
    let sam = store.user(&sam.id).await.unwrap().unwrap();
    assert_eq!(sam.password_hash.as_deref(), Some("$argon2id$fresh"));
}

async fn sessions_expire_and_can_be_replaced_or_deleted(store: &Store) {
    let sam = user(store, "Sam Jones", "sam@example.org").await;
    let now = OffsetDateTime::now_utc();
    let soon = now + Duration::minutes(1);
    assert!(
        store
            .insert_session("a", r#"{"n":1}"#, soon, Some(&sam.id))
            .await
            .unwrap()
    );
    assert!(
        !store
            .insert_session("a", r#"{"n":2}"#, soon, None)
            .await
            .unwrap(),
        "ids are unique"
    );
    let loaded = store.load_session("a", now).await.unwrap().unwrap();
    assert_eq!(loaded.data, r#"{"n":1}"#);
    assert_eq!(loaded.expires_at.unix_timestamp(), soon.unix_timestamp());
    // Half a second before expiry it is there; at expiry it is gone.
    assert!(
        store
            .load_session("a", soon - Duration::milliseconds(500))
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(store.load_session("a", soon).await.unwrap(), None);
    assert_eq!(store.count_sessions(&sam.id, soon).await.unwrap(), 0);

    store
        .save_session("a", r#"{"n":3}"#, now + Duration::hours(1), Some(&sam.id))
        .await
        .unwrap();
    assert_eq!(
        store.load_session("a", soon).await.unwrap().unwrap().data,
        r#"{"n":3}"#
    );
    store.save_session("b", "{}", soon, None).await.unwrap();
    store.save_session("c", "{}", soon, None).await.unwrap();
    assert_eq!(store.delete_expired_sessions(soon).await.unwrap(), 2);
    assert_eq!(store.count_sessions(&sam.id, soon).await.unwrap(), 1);
    store.delete_session("a").await.unwrap();
    assert_eq!(store.load_session("a", now).await.unwrap(), None);
}

/// SQLite keeps times as text; a whole second and half a second later must still compare
/// in time order (RFC 3339 as sqlx writes it would put `…:00Z` after `…:00.5Z`).
async fn expiry_is_exact_within_a_second(store: &Store) {
    let second = OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap();
    let half_past = second + Duration::milliseconds(500);
    store
        .insert_session("s", "{}", half_past, None)
        .await
        .unwrap();
    assert!(store.load_session("s", second).await.unwrap().is_some());
    assert_eq!(store.load_session("s", half_past).await.unwrap(), None);
    store.insert_session("t", "{}", second, None).await.unwrap();
    assert!(
        store
            .load_session("t", second - Duration::milliseconds(500))
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(store.load_session("t", second).await.unwrap(), None);
    store
        .record_sign_in_failure(&["k"], half_past)
        .await
        .unwrap();
    store.record_sign_in_failure(&["k"], second).await.unwrap();
    assert_eq!(
        store.sign_in_failures_since("k", second).await.unwrap(),
        [second, half_past]
    );
    assert!(
        store
            .sign_in_failures_since("k", half_past + Duration::microseconds(1))
            .await
            .unwrap()
            .is_empty()
    );
}

async fn sign_in_failures_are_counted_per_key_within_the_window(store: &Store) {
    let now = OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap();
    let ago = |minutes: i64| now - Duration::minutes(minutes);
    for at in [ago(20), ago(10), ago(1)] {
        store
            .record_sign_in_failure(&["account:sam@example.org", "address:203.0.113.4"], at)
            .await
            .unwrap();
    }
    store
        .record_sign_in_failure(&["account:kim@example.org", "address:203.0.113.4"], ago(2))
        .await
        .unwrap();
    let window = ago(15);

    let sam = store
        .sign_in_failures_since("account:sam@example.org", window)
        .await
        .unwrap();
    assert_eq!(sam, [ago(10), ago(1)]);
    let address = store
        .sign_in_failures_since("address:203.0.113.4", window)
        .await
        .unwrap();
    assert_eq!(address, [ago(10), ago(2), ago(1)]);
    assert!(
        store
            .sign_in_failures_since("address:198.51.100.1", window)
            .await
            .unwrap()
            .is_empty()
    );

    store
        .clear_sign_in_failures("account:sam@example.org")
        .await
        .unwrap();
    assert!(
        store
            .sign_in_failures_since("account:sam@example.org", ago(60))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store
            .sign_in_failures_since("address:203.0.113.4", window)
            .await
            .unwrap()
            .len(),
        3
    );
    assert_eq!(
        store.forget_sign_in_failures_before(window).await.unwrap(),
        1
    );
    assert_eq!(
        store
            .sign_in_failures_since("address:203.0.113.4", ago(60))
            .await
            .unwrap()
            .len(),
        3
    );
}

async fn personal_data_holds_no_password_hash(store: &Store) {
    let sam = user(store, "Sam Jones", "sam@example.org").await;
    let kim = user(store, "Kim Ng", "kim@example.org").await;
    let tees = partnership_owned_by(store, &sam).await;
    add_member(store, &sam, &tees, &kim, Role::Contributor).await;
    store
        .set_role(&actor(&kim), &tees.id, &kim.id, Role::Viewer)
        .await
        .unwrap();

    let data = store.personal_data(&kim.id).await.unwrap();
    let text = data.to_string();
    assert!(!text.contains(PASSWORD_HASH), "{text}");
    assert!(!text.contains("argon2"), "{text}");
    assert_eq!(data["account"]["email"], "kim@example.org");
    assert_eq!(data["account"]["display_name"], "Kim Ng");
    assert_eq!(data["memberships"][0]["partnership_name"], "Tees Valley");
    assert_eq!(data["memberships"][0]["role"], "viewer");
    assert_eq!(data["invitations"][0]["email"], "kim@example.org");
    let made: Vec<&str> = data["audit_entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(made, ["invitation.accept", "member.role"]);
    assert!(matches!(
        store.personal_data("nobody").await,
        Err(StoreError::NotFound)
    ));
}
