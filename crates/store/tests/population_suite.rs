//! Imported population files and need overrides: every function here runs on SQLite and on
//! PostgreSQL.

// Test code: a panic is how a test fails.
#![allow(clippy::unwrap_used)]

mod support;

use cradle_domain::partnership::{AreaCode, Partnership};
use cradle_readers::{PopulationTable, read_population};
use cradle_store::testing::execute_sql;
use cradle_store::{Actor, DatabaseKind, NewNeedOverride, Store, StoreError, backend_suite};
use support::code;

backend_suite!(
    an_import_keeps_every_area_and_age_with_its_source_and_is_audited,
    an_import_whose_audit_entry_fails_leaves_nothing_behind,
    population_rows_are_only_given_to_the_partnership_that_imported_them,
    an_override_replaces_the_last_for_its_assumption_and_area_and_is_audited,
    removing_an_override_is_audited_and_unknown_ones_are_not_found,
);

const NOMIS: &[u8] = include_bytes!("../../readers/tests/fixtures/nomis-mid2023.csv");

fn nomis_table() -> PopulationTable {
    read_population(NOMIS, "nomis-mid2023.csv").unwrap()
}

async fn owner_and_partnership(store: &Store, email: &str) -> (Actor, Partnership) {
    support::tees_valley_owner(store, email).await
}

fn rate_override(area: Option<&str>, central: f64, reason: &str) -> NewNeedOverride {
    NewNeedOverride {
        assumption_id: "perinatal-depression".into(),
        area: area.map(code),
        low: central - 1.0,
        central,
        high: central + 1.0,
        per: 100,
        reason: reason.into(),
    }
}

async fn an_import_keeps_every_area_and_age_with_its_source_and_is_audited(store: &Store) {
    let (actor, tees) = owner_and_partnership(store, "pat@example.org").await;
    let table = nomis_table();
    let import = store
        .import_population(&actor, &tees.id, &table)
        .await
        .unwrap();
    assert_eq!(import.areas, table.rows.len());

    let imports = store.population_imports(&tees.id).await.unwrap();
    assert_eq!(imports.len(), 1);
    let listed = &imports[0];
    assert_eq!(listed.file_name, "nomis-mid2023.csv");
    assert_eq!(listed.publisher, table.source.publisher);
    assert_eq!(listed.edition, table.source.edition);
    assert_eq!(listed.year, table.source.year);
    assert_eq!(listed.layout, "nomis");
    assert_eq!(listed.imported_by_label, "Pat Analyst");
    assert_eq!(listed.areas, table.rows.len());

    // Every area of the file is kept, not only the partnership's own.
    let all_codes: Vec<AreaCode> = table.rows.iter().map(|row| row.area.clone()).collect();
    let stored = store
        .population_rows(&tees.id, &import.id, &all_codes)
        .await
        .unwrap();
    assert_eq!(stored.len(), table.rows.len());
    for row in &stored {
        let original = table.area(&row.area).unwrap();
        assert_eq!(row.ages, original.ages, "ages of {}", row.area);
        assert_eq!(row.name, original.name);
        assert_eq!(row.suspect, original.suspect);
    }
    let hartlepool = stored
        .iter()
        .find(|row| row.area == code("E06000001"))
        .unwrap();
    assert_eq!(hartlepool.ages.get(&0), Some(&915));
    assert_eq!(hartlepool.ages.len(), 91);

    let audit = store.audit_log(&tees.id).await.unwrap();
    let entry = &audit[0];
    assert_eq!(entry.action, "population.import");
    assert_eq!(entry.entity_id, import.id);
    assert_eq!(
        entry.after.as_ref().unwrap()["file_name"],
        "nomis-mid2023.csv"
    );
}

async fn an_import_whose_audit_entry_fails_leaves_nothing_behind(store: &Store) {
    let (actor, tees) = owner_and_partnership(store, "pat@example.org").await;
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
    assert!(
        store
            .import_population(&actor, &tees.id, &nomis_table())
            .await
            .is_err()
    );
    assert!(store.population_imports(&tees.id).await.unwrap().is_empty());
    let left = execute_sql(store, "DELETE FROM population_counts")
        .await
        .unwrap();
    assert_eq!(left, 0, "no counts were left behind");
    assert!(matches!(
        store
            .import_population(&actor, "no-such-partnership", &nomis_table())
            .await,
        Err(StoreError::NotFound)
    ));
}

async fn population_rows_are_only_given_to_the_partnership_that_imported_them(store: &Store) {
    let (actor, tees) = owner_and_partnership(store, "pat@example.org").await;
    let (_, other) = owner_and_partnership(store, "kim@example.org").await;
    let import = store
        .import_population(&actor, &tees.id, &nomis_table())
        .await
        .unwrap();
    let areas = [code("E06000001")];
    assert_eq!(
        store
            .population_rows(&tees.id, &import.id, &areas)
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(
        store
            .population_rows(&other.id, &import.id, &areas)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .population_imports(&other.id)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn an_override_replaces_the_last_for_its_assumption_and_area_and_is_audited(store: &Store) {
    let (actor, tees) = owner_and_partnership(store, "pat@example.org").await;
    store
        .set_need_override(
            &actor,
            &tees.id,
            &rate_override(None, 12.0, "Local audit 2024"),
        )
        .await
        .unwrap();
    store
        .set_need_override(
            &actor,
            &tees.id,
            &rate_override(Some("E06000001"), 14.0, "Hartlepool survey"),
        )
        .await
        .unwrap();
    store
        .set_need_override(
            &actor,
            &tees.id,
            &rate_override(None, 13.0, "Audit revised"),
        )
        .await
        .unwrap();

    let overrides = store.need_overrides(&tees.id).await.unwrap();
    assert_eq!(
        overrides.len(),
        2,
        "the second all-areas override replaced the first"
    );
    assert_eq!(overrides[0].area, None);
    assert_eq!(overrides[0].central, 13.0);
    assert_eq!(overrides[0].reason, "Audit revised");
    assert_eq!(overrides[0].made_by_label, "Pat Analyst");
    assert_eq!(overrides[1].area, Some(code("E06000001")));
    assert_eq!(overrides[1].per, 100);

    let audit = store.audit_log(&tees.id).await.unwrap();
    let replaced = &audit[0];
    assert_eq!(replaced.action, "need.override.set");
    assert_eq!(
        replaced.before.as_ref().unwrap()["reason"],
        "Local audit 2024"
    );
    assert_eq!(replaced.after.as_ref().unwrap()["reason"], "Audit revised");
    assert_eq!(audit[2].before, None);
}

async fn removing_an_override_is_audited_and_unknown_ones_are_not_found(store: &Store) {
    let (actor, tees) = owner_and_partnership(store, "pat@example.org").await;
    let (other_actor, other) = owner_and_partnership(store, "kim@example.org").await;
    store
        .set_need_override(&actor, &tees.id, &rate_override(None, 12.0, "Local audit"))
        .await
        .unwrap();
    let id = store.need_overrides(&tees.id).await.unwrap()[0].id.clone();

    assert!(matches!(
        store
            .remove_need_override(&other_actor, &other.id, &id)
            .await,
        Err(StoreError::NotFound)
    ));
    store
        .remove_need_override(&actor, &tees.id, &id)
        .await
        .unwrap();
    assert!(store.need_overrides(&tees.id).await.unwrap().is_empty());
    let audit = store.audit_log(&tees.id).await.unwrap();
    assert_eq!(audit[0].action, "need.override.remove");
    assert_eq!(audit[0].before.as_ref().unwrap()["reason"], "Local audit");
    assert!(matches!(
        store.remove_need_override(&actor, &tees.id, &id).await,
        Err(StoreError::NotFound)
    ));
}
