//! The store test suite: every function here runs on SQLite and on PostgreSQL.

// Test code: a panic is how a test fails.
#![allow(clippy::unwrap_used)]

use cradle_domain::partnership::NewPartnership;
use cradle_domain::vocabulary::Nation;
use cradle_store::{Store, backend_suite};

backend_suite!(
    a_new_database_is_ready_with_current_migrations,
    a_partnership_round_trips_with_its_areas,
    an_unknown_partnership_is_none,
    partnerships_list_demo_last_then_by_name,
    the_demo_partnership_loads_only_once,
    concurrent_demo_loads_store_one_partnership,
    replacing_the_demo_deletes_every_demo_and_keeps_other_partnerships,
    concurrent_demo_replacements_leave_one_demo,
);

fn new_partnership(name: &str, nation: Nation, areas: &[&str], is_demo: bool) -> NewPartnership {
    NewPartnership::validate(name, nation, "A test partnership.", areas, is_demo).unwrap()
}

async fn a_new_database_is_ready_with_current_migrations(store: &Store) {
    let readiness = store.readiness().await.unwrap();
    assert!(readiness.expected_migrations >= 1);
    assert!(readiness.migrations_current(), "{readiness:?}");
}

async fn a_partnership_round_trips_with_its_areas(store: &Store) {
    let new = new_partnership(
        "Tees Valley",
        Nation::England,
        &["E06000004", "E06000001"],
        false,
    );
    let created = store.create_partnership(&new).await.unwrap();
    let loaded = store.partnership(&created.id).await.unwrap().unwrap();
    assert_eq!(loaded.name, "Tees Valley");
    assert_eq!(loaded.nation, Nation::England);
    let codes: Vec<&str> = loaded.areas.iter().map(|a| a.as_str()).collect();
    assert_eq!(codes, ["E06000001", "E06000004"]);
    assert_eq!(
        created.id.len(),
        32,
        "ids are random 128-bit values, not sequences"
    );
}

async fn an_unknown_partnership_is_none(store: &Store) {
    assert_eq!(
        store
            .partnership("0123456789abcdef0123456789abcdef")
            .await
            .unwrap(),
        None
    );
}

async fn partnerships_list_demo_last_then_by_name(store: &Store) {
    store
        .create_partnership(&new_partnership("Demo town", Nation::Wales, &[], true))
        .await
        .unwrap();
    store
        .create_partnership(&new_partnership(
            "Fife",
            Nation::Scotland,
            &["S12000047"],
            false,
        ))
        .await
        .unwrap();
    store
        .create_partnership(&new_partnership(
            "Belfast",
            Nation::NorthernIreland,
            &["N09000003"],
            false,
        ))
        .await
        .unwrap();
    let names: Vec<String> = store
        .partnerships()
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(names, ["Belfast", "Fife", "Demo town"]);
}

async fn the_demo_partnership_loads_only_once(store: &Store) {
    let demo = new_partnership("Demo", Nation::England, &["E06000001"], true);
    assert!(store.load_demo_once(&demo).await.unwrap().is_some());
    assert!(store.load_demo_once(&demo).await.unwrap().is_none());
    let all = store.partnerships().await.unwrap();
    assert_eq!(all.len(), 1);
    assert!(all[0].is_demo);
}

async fn concurrent_demo_loads_store_one_partnership(store: &Store) {
    let demo = new_partnership("Demo", Nation::England, &["E06000001"], true);
    let attempts = (0..4).map(|_| {
        let store = store.clone();
        let demo = demo.clone();
        tokio::spawn(async move { store.load_demo_once(&demo).await })
    });
    let mut loaded = 0;
    for attempt in attempts.collect::<Vec<_>>() {
        if attempt.await.unwrap().unwrap().is_some() {
            loaded += 1;
        }
    }
    assert_eq!(loaded, 1);
    assert_eq!(store.partnerships().await.unwrap().len(), 1);
}

async fn replacing_the_demo_deletes_every_demo_and_keeps_other_partnerships(store: &Store) {
    let fife = store
        .create_partnership(&new_partnership(
            "Fife",
            Nation::Scotland,
            &["S12000047"],
            false,
        ))
        .await
        .unwrap();
    let demo = new_partnership("Demo", Nation::England, &["E06000001"], true);
    let first = store.load_demo_once(&demo).await.unwrap().unwrap();
    let stray = new_partnership("Another demo", Nation::England, &["E06000002"], true);
    store.create_partnership(&stray).await.unwrap();

    let fresh = store.replace_demo(&demo).await.unwrap();

    let all = store.partnerships().await.unwrap();
    let ids: Vec<&str> = all.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, [fife.id.as_str(), fresh.id.as_str()]);
    assert_ne!(fresh.id, first.id);
    assert_eq!(all[0], fife);
    assert!(
        store.load_demo_once(&demo).await.unwrap().is_none(),
        "a replaced demo counts as loaded"
    );
    let log = store.audit_log(&fresh.id).await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].action, "demo.reset");
}

async fn concurrent_demo_replacements_leave_one_demo(store: &Store) {
    let demo = new_partnership("Demo", Nation::England, &["E06000001"], true);
    let attempts: Vec<_> = (0..4)
        .map(|_| {
            let store = store.clone();
            let demo = demo.clone();
            tokio::spawn(async move { store.replace_demo(&demo).await })
        })
        .collect();
    let mut last = Vec::new();
    for attempt in attempts {
        last.push(attempt.await.unwrap().unwrap().id);
    }
    let all = store.partnerships().await.unwrap();
    assert_eq!(all.len(), 1);
    assert!(last.contains(&all[0].id));
}
