//! Loading and resetting the demo partnership, on both databases: once only, one demo
//! however many instances start or reset at once, and never touching other partnerships.

// Test code: a panic is how a test fails.
#![allow(clippy::unwrap_used)]

use std::sync::OnceLock;

use cradle_content::Content;
use cradle_domain::actions::ActionFilter;
use cradle_domain::partnership::{NewPartnership, Partnership};
use cradle_domain::services::ServiceFields;
use cradle_domain::vocabulary::Nation;
use cradle_store::testing::TestDb;
use cradle_store::{Actor, NewUser, Store};
use time::{Date, OffsetDateTime};

cradle_store::backend_suite!(
    runner = crate::with_db;
    loading_the_demo_twice_gives_one_demo,
    a_reset_gives_one_fresh_demo_and_leaves_other_partnerships_untouched,
    instances_starting_at_once_load_one_demo,
    resets_at_once_leave_one_whole_demo,
);

async fn with_db(db: TestDb, test: impl AsyncFnOnce(&TestDb)) {
    test(&db).await;
    db.finish().await;
}

fn content() -> &'static Content {
    static CONTENT: OnceLock<Content> = OnceLock::new();
    CONTENT.get_or_init(|| cradle_content::embedded().unwrap())
}

fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

async fn demos(store: &Store) -> Vec<Partnership> {
    store
        .partnerships()
        .await
        .unwrap()
        .into_iter()
        .filter(|partnership| partnership.is_demo)
        .collect()
}

/// How many of each kind of record a partnership holds: services, population files, local
/// figures, indicator files, rounds, scenarios, walk-throughs, gaps and risks, workshops,
/// actions, packs and snapshots.
async fn holdings(store: &Store, id: &str) -> Vec<usize> {
    vec![
        store.services(id).await.unwrap().len(),
        store.population_imports(id).await.unwrap().len(),
        store.need_overrides(id).await.unwrap().len(),
        store.indicator_imports(id).await.unwrap().len(),
        store.rounds(id).await.unwrap().len(),
        store.scenarios(id).await.unwrap().len(),
        store.walkthroughs(id).await.unwrap().len(),
        store.walkthrough_findings(id).await.unwrap().len(),
        store.workshops(id).await.unwrap().len(),
        store
            .list_actions(id, &ActionFilter::default())
            .await
            .unwrap()
            .len(),
        store.packs(id).await.unwrap().len(),
        store.snapshots(id).await.unwrap().len(),
    ]
}

async fn demo_accounts(store: &Store) -> usize {
    store
        .users()
        .await
        .unwrap()
        .iter()
        .filter(|user| user.email.as_str() == cradle_demo::DEMO_ACCOUNT_EMAIL)
        .count()
}

async fn loading_the_demo_twice_gives_one_demo(db: &TestDb) {
    let store = &db.store;
    let demo = cradle_demo::load_once(store, content(), today())
        .await
        .unwrap()
        .expect("a new database loads the demo");
    let held = holdings(store, &demo.id).await;
    assert!(held.iter().all(|count| *count > 0), "{held:?}");
    assert!(
        cradle_demo::load_once(store, content(), today())
            .await
            .unwrap()
            .is_none()
    );
    let ids: Vec<String> = demos(store).await.into_iter().map(|p| p.id).collect();
    assert_eq!(ids, [demo.id.as_str()]);
    assert_eq!(holdings(store, &demo.id).await, held);
    assert_eq!(demo_accounts(store).await, 1);
}

/// Fife, owned by its own account, with one service on its map.
async fn another_partnership(store: &Store) -> Partnership {
    let owner = store
        .create_user(&NewUser {
            email: "owner@fife.example".parse().unwrap(),
            display_name: "Fife owner".into(),
            password_hash: None,
            is_site_admin: false,
        })
        .await
        .unwrap();
    let owner = Actor { user_id: owner.id };
    let fife =
        NewPartnership::validate("Fife", Nation::Scotland, "", &["S12000047"], false).unwrap();
    let fife = store
        .create_partnership_with_owner(&fife, &owner)
        .await
        .unwrap();
    let service = ServiceFields {
        key: "HV".into(),
        name: "Health visiting".into(),
        provider: "NHS Fife".into(),
        sector: "health".into(),
        tier: "universal".into(),
        age_bands: "0-6m; 6-12m".into(),
        levels: "caregiving".into(),
        elements: "being-emotional".into(),
        works_with_relationship: "yes".into(),
        areas: "S12000047".into(),
        ..ServiceFields::default()
    }
    .validate()
    .unwrap();
    store
        .create_service(&owner, &fife.id, &service)
        .await
        .unwrap();
    fife
}

async fn a_reset_gives_one_fresh_demo_and_leaves_other_partnerships_untouched(db: &TestDb) {
    let store = &db.store;
    let fife = another_partnership(store).await;
    let old = cradle_demo::load_once(store, content(), today())
        .await
        .unwrap()
        .unwrap();
    let held = holdings(store, &old.id).await;
    let fife_before = (
        store.partnership(&fife.id).await.unwrap(),
        store.services(&fife.id).await.unwrap(),
        store.members(&fife.id).await.unwrap(),
        holdings(store, &fife.id).await,
    );

    let fresh = cradle_demo::reset(store, content(), today()).await.unwrap();

    assert_ne!(fresh.id, old.id);
    let ids: Vec<String> = demos(store).await.into_iter().map(|p| p.id).collect();
    assert_eq!(ids, [fresh.id.as_str()]);
    assert!(store.partnership(&old.id).await.unwrap().is_none());
    assert_eq!(
        holdings(store, &fresh.id).await,
        held,
        "a fresh demo holds as much"
    );
    let fife_after = (
        store.partnership(&fife.id).await.unwrap(),
        store.services(&fife.id).await.unwrap(),
        store.members(&fife.id).await.unwrap(),
        holdings(store, &fife.id).await,
    );
    assert_eq!(fife_after, fife_before);
    assert_eq!(demo_accounts(store).await, 1);
    assert!(
        cradle_demo::load_once(store, content(), today())
            .await
            .unwrap()
            .is_none(),
        "a reset demo is not loaded again at the next start"
    );
}

/// Stores on the test database: on PostgreSQL three instances, as behind a load balancer;
/// on SQLite, which runs as one instance, its one store three times.
async fn instances(db: &TestDb) -> Vec<Store> {
    let mut stores = vec![db.store.clone()];
    for _ in 0..2 {
        stores.push(match db.second_instance().await {
            Some(store) => store,
            None => db.store.clone(),
        });
    }
    stores
}

async fn instances_starting_at_once_load_one_demo(db: &TestDb) {
    let starts: Vec<_> = instances(db)
        .await
        .into_iter()
        .map(|store| {
            tokio::spawn(async move { cradle_demo::load_once(&store, content(), today()).await })
        })
        .collect();
    let mut loaded = 0;
    for start in starts {
        if start.await.unwrap().unwrap().is_some() {
            loaded += 1;
        }
    }
    assert_eq!(loaded, 1);
    assert_eq!(demos(&db.store).await.len(), 1);
    assert_eq!(demo_accounts(&db.store).await, 1);
}

async fn resets_at_once_leave_one_whole_demo(db: &TestDb) {
    let first = cradle_demo::load_once(&db.store, content(), today())
        .await
        .unwrap()
        .unwrap();
    let held = holdings(&db.store, &first.id).await;
    let resets: Vec<_> = instances(db)
        .await
        .into_iter()
        .take(2)
        .map(|store| {
            tokio::spawn(async move { cradle_demo::reset(&store, content(), today()).await })
        })
        .collect();
    let mut finished = Vec::new();
    for reset in resets {
        // A reset whose demo another reset replaced part-way fails; the other finishes.
        if let Ok(demo) = reset.await.unwrap() {
            finished.push(demo.id);
        }
    }
    let left = demos(&db.store).await;
    assert_eq!(left.len(), 1);
    assert!(finished.contains(&left[0].id), "{finished:?}");
    assert_eq!(holdings(&db.store, &left[0].id).await, held);
}
