//! The service map: adding, changing, removing and importing services, each audited, on
//! SQLite and on PostgreSQL.

// Test code: a panic is how a test fails.
#![allow(clippy::unwrap_used)]

mod support;

use cradle_domain::partnership::Partnership;
use cradle_domain::services::{Service, ServiceFields};
use cradle_domain::vocabulary::Nation;
use cradle_store::{Actor, ImportSummary, Store, StoreError, backend_suite};

backend_suite!(
    a_service_reads_back_exactly_as_stored,
    adding_changing_and_removing_a_service_is_audited,
    a_key_is_used_once_per_partnership_whatever_its_case,
    importing_again_updates_by_key_and_keeps_other_services,
    another_partnerships_services_cannot_be_read_or_changed,
);

async fn owner_and_partnership(store: &Store, name: &str) -> (Actor, Partnership) {
    support::named_owner(store, name, Nation::England, "E06000001").await
}

fn service(key: &str, name: &str) -> Service {
    ServiceFields {
        key: key.into(),
        name: name.into(),
        provider: "Tees NHS Trust".into(),
        sector: "health".into(),
        tier: "specialist".into(),
        age_bands: "pregnancy; 0-6m; 6-12m".into(),
        levels: "caregiving; family".into(),
        elements: "being-emotional; becoming-social".into(),
        works_with_relationship: "yes".into(),
        areas: "E06000001; E06000004".into(),
        eligibility: "Families with babies under one".into(),
        referral_from: "HV-01; GP practices".into(),
        capacity: "150".into(),
        funding_end: "2027-03-31".into(),
    }
    .validate()
    .unwrap()
}

async fn a_service_reads_back_exactly_as_stored(store: &Store) {
    let (actor, partnership) = owner_and_partnership(store, "Tees Valley").await;
    let original = service("PIT-01", "Parent–infant team");
    let id = store
        .create_service(&actor, &partnership.id, &original)
        .await
        .unwrap();
    let stored = store.service(&partnership.id, &id).await.unwrap().unwrap();
    assert_eq!(stored.service, original);
    let mut sparse = service("HV-01", "Health visiting");
    sparse.elements.clear();
    sparse.areas.clear();
    sparse.referral_from.clear();
    sparse.capacity_families_per_year = None;
    sparse.funding_end = None;
    sparse.works_with_relationship = false;
    store
        .create_service(&actor, &partnership.id, &sparse)
        .await
        .unwrap();
    let all: Vec<Service> = store
        .services(&partnership.id)
        .await
        .unwrap()
        .into_iter()
        .map(|stored| stored.service)
        .collect();
    assert_eq!(all, [sparse, original], "listed by name");
}

async fn adding_changing_and_removing_a_service_is_audited(store: &Store) {
    let (actor, partnership) = owner_and_partnership(store, "Tees Valley").await;
    let id = store
        .create_service(
            &actor,
            &partnership.id,
            &service("PIT-01", "Parent–infant team"),
        )
        .await
        .unwrap();
    let mut changed = service("PIT-01", "Parent–infant relationship team");
    changed.capacity_families_per_year = Some(200);
    store
        .update_service(&actor, &partnership.id, &id, &changed)
        .await
        .unwrap();
    assert_eq!(
        store
            .service(&partnership.id, &id)
            .await
            .unwrap()
            .unwrap()
            .service,
        changed
    );
    store
        .delete_service(&actor, &partnership.id, &id)
        .await
        .unwrap();
    assert!(store.services(&partnership.id).await.unwrap().is_empty());

    let log = store.audit_log(&partnership.id).await.unwrap();
    let actions: Vec<&str> = log.iter().map(|entry| entry.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "service.delete",
            "service.update",
            "service.create",
            "partnership.create"
        ]
    );
    let update = &log[1];
    assert_eq!(update.entity_id, id);
    assert_eq!(
        update.before.as_ref().unwrap()["capacity_families_per_year"],
        150
    );
    assert_eq!(
        update.after.as_ref().unwrap()["name"],
        "Parent–infant relationship team"
    );
    assert_eq!(log[0].after, None);
}

async fn a_key_is_used_once_per_partnership_whatever_its_case(store: &Store) {
    let (actor, partnership) = owner_and_partnership(store, "Tees Valley").await;
    let first = store
        .create_service(&actor, &partnership.id, &service("PIT-01", "One"))
        .await
        .unwrap();
    let audit_before = store.audit_log(&partnership.id).await.unwrap().len();
    let again = store
        .create_service(&actor, &partnership.id, &service("pit-01", "Two"))
        .await;
    assert!(matches!(again, Err(StoreError::KeyTaken)), "{again:?}");
    let second = store
        .create_service(&actor, &partnership.id, &service("HV-01", "Two"))
        .await
        .unwrap();
    let clash = store
        .update_service(&actor, &partnership.id, &second, &service("Pit-01", "Two"))
        .await;
    assert!(matches!(clash, Err(StoreError::KeyTaken)), "{clash:?}");
    // A service may keep its own key through a change of case.
    store
        .update_service(&actor, &partnership.id, &first, &service("pit-01", "One"))
        .await
        .unwrap();
    assert_eq!(
        store.audit_log(&partnership.id).await.unwrap().len(),
        audit_before + 2,
        "only the two changes made are audited"
    );
}

async fn importing_again_updates_by_key_and_keeps_other_services(store: &Store) {
    let (actor, partnership) = owner_and_partnership(store, "Tees Valley").await;
    let by_hand = store
        .create_service(&actor, &partnership.id, &service("GP-01", "GP practices"))
        .await
        .unwrap();
    let file = [
        service("PIT-01", "Parent–infant team"),
        service("HV-01", "Health visiting"),
    ];
    let first = store
        .import_services(&actor, &partnership.id, &file)
        .await
        .unwrap();
    assert_eq!(
        first,
        ImportSummary {
            created: 2,
            updated: 0
        }
    );

    let mut edited = [
        service("pit-01", "Parent–infant relationship team"),
        service("HV-01", "Health visiting"),
    ];
    edited[1].tier = cradle_domain::Tier::Universal;
    let second = store
        .import_services(&actor, &partnership.id, &edited)
        .await
        .unwrap();
    assert_eq!(
        second,
        ImportSummary {
            created: 0,
            updated: 2
        }
    );

    let names: Vec<String> = store
        .services(&partnership.id)
        .await
        .unwrap()
        .into_iter()
        .map(|stored| {
            format!(
                "{} {} {}",
                stored.service.key, stored.service.name, stored.service.tier
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            "GP-01 GP practices specialist",
            "HV-01 Health visiting universal",
            "pit-01 Parent–infant relationship team specialist",
        ]
    );
    assert!(
        store
            .service(&partnership.id, &by_hand)
            .await
            .unwrap()
            .is_some()
    );
    let log = store.audit_log(&partnership.id).await.unwrap();
    assert_eq!(log[0].action, "service.import");
    assert_eq!(log[0].after.as_ref().unwrap()["updated"], 2);
    assert_eq!(log[1].after.as_ref().unwrap()["created"], 2);
    assert_eq!(
        log.iter()
            .filter(|entry| entry.action == "service.import")
            .count(),
        2
    );
}

async fn another_partnerships_services_cannot_be_read_or_changed(store: &Store) {
    let (actor, ours) = owner_and_partnership(store, "Tees Valley").await;
    let (other_actor, theirs) = owner_and_partnership(store, "Fife").await;
    let id = store
        .create_service(&actor, &ours.id, &service("PIT-01", "Ours"))
        .await
        .unwrap();
    assert_eq!(store.service(&theirs.id, &id).await.unwrap(), None);
    let update = store
        .update_service(&other_actor, &theirs.id, &id, &service("PIT-01", "Taken"))
        .await;
    assert!(matches!(update, Err(StoreError::NotFound)));
    let delete = store.delete_service(&other_actor, &theirs.id, &id).await;
    assert!(matches!(delete, Err(StoreError::NotFound)));
    let import = store
        .import_services(&actor, "no-such-partnership", &[service("X", "X")])
        .await;
    assert!(matches!(import, Err(StoreError::NotFound)));
    assert_eq!(
        store
            .service(&ours.id, &id)
            .await
            .unwrap()
            .unwrap()
            .service
            .name,
        "Ours"
    );
    assert!(store.services(&theirs.id).await.unwrap().is_empty());
}
