//! Imported Fingertips indicator files: every function here runs on SQLite and on PostgreSQL.

// Test code: a panic is how a test fails.
#![allow(clippy::unwrap_used)]

mod support;

use cradle_domain::partnership::Partnership;
use cradle_readers::{IndicatorTable, read_geography, read_indicators};
use cradle_store::testing::execute_sql;
use cradle_store::{Actor, DatabaseKind, Store, StoreError, backend_suite};
use support::code;

backend_suite!(
    an_indicator_import_keeps_every_figure_with_its_source_and_is_audited,
    an_indicator_import_whose_audit_entry_fails_leaves_nothing_behind,
    indicator_figures_are_only_given_to_the_partnership_that_imported_them,
    a_geography_lookup_gives_parents_and_children_and_the_newest_lookup_wins,
);

const TEES: &[u8] = include_bytes!("../../readers/tests/fixtures/fingertips-tees.csv");

/// A period with its value and 95% limits.
type Figure<'v> = (&'v str, Option<f64>, Option<f64>, Option<f64>);

fn tees_table() -> IndicatorTable {
    read_indicators(TEES, "fingertips-tees.csv").unwrap()
}

async fn owner_and_partnership(store: &Store, email: &str) -> (Actor, Partnership) {
    support::tees_valley_owner(store, email).await
}

async fn an_indicator_import_keeps_every_figure_with_its_source_and_is_audited(store: &Store) {
    let (actor, tees) = owner_and_partnership(store, "pat@example.org").await;
    let table = tees_table();
    let import = store
        .import_indicators(&actor, &tees.id, &table)
        .await
        .unwrap();
    assert_eq!(import.figures, 19);
    assert_eq!(import.indicators, 2);

    let imports = store.indicator_imports(&tees.id).await.unwrap();
    assert_eq!(imports.len(), 1);
    let listed = &imports[0];
    assert_eq!(listed.file_name, "fingertips-tees.csv");
    assert_eq!(listed.publisher, table.publisher);
    assert_eq!(listed.edition, table.edition);
    assert_eq!(listed.year, Some(2021));
    assert_eq!(listed.imported_by_label, "Pat Analyst");
    assert_eq!((listed.figures, listed.indicators), (19, 2));

    let areas = [code("E06000001"), code("E06000002"), code("E92000001")];
    let stored = store
        .indicator_values(&tees.id, &import.id, &areas)
        .await
        .unwrap();
    assert_eq!(stored.len(), 19);
    // Ordered by indicator, area and period.
    let hartlepool: Vec<Figure<'_>> = stored
        .iter()
        .filter(|value| value.indicator_id == 20101 && value.area_code == "E06000001")
        .map(|value| {
            (
                value.period.as_str(),
                value.value,
                value.lower_95,
                value.upper_95,
            )
        })
        .collect();
    assert_eq!(
        hartlepool,
        [
            ("2019", Some(3.4), Some(2.6), Some(4.4)),
            ("2020", Some(3.8), Some(2.9), Some(4.9)),
            ("2021", Some(3.1), Some(2.3), Some(4.1)),
        ]
    );
    let suppressed = stored
        .iter()
        .find(|value| value.area_code == "E06000001" && value.period == "2020/21")
        .unwrap();
    assert_eq!(suppressed.value, None);
    assert_eq!(
        suppressed.value_note.as_deref(),
        Some("Value suppressed for disclosure control due to small count")
    );
    assert_eq!(
        stored
            .iter()
            .filter(|value| value.category.is_some())
            .count(),
        1
    );

    let only_hartlepool = store
        .indicator_values(&tees.id, &import.id, &[code("E06000001")])
        .await
        .unwrap();
    assert_eq!(only_hartlepool.len(), 6);

    let audit = store.audit_log(&tees.id).await.unwrap();
    let entry = &audit[0];
    assert_eq!(entry.action, "indicators.import");
    assert_eq!(entry.entity_id, import.id);
    let after = entry.after.as_ref().unwrap();
    assert_eq!(after["file_name"], "fingertips-tees.csv");
    assert_eq!(after["figures"], 19);
}

async fn an_indicator_import_whose_audit_entry_fails_leaves_nothing_behind(store: &Store) {
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
            .import_indicators(&actor, &tees.id, &tees_table())
            .await
            .is_err()
    );
    assert!(store.indicator_imports(&tees.id).await.unwrap().is_empty());
    let left = execute_sql(store, "DELETE FROM indicator_values")
        .await
        .unwrap();
    assert_eq!(left, 0, "no figures were left behind");
    assert!(matches!(
        store
            .import_indicators(&actor, "no-such-partnership", &tees_table())
            .await,
        Err(StoreError::NotFound)
    ));
}

async fn indicator_figures_are_only_given_to_the_partnership_that_imported_them(store: &Store) {
    let (actor, tees) = owner_and_partnership(store, "pat@example.org").await;
    let (_, other) = owner_and_partnership(store, "kim@example.org").await;
    let import = store
        .import_indicators(&actor, &tees.id, &tees_table())
        .await
        .unwrap();
    let areas = [code("E06000001")];
    assert_eq!(
        store
            .indicator_values(&tees.id, &import.id, &areas)
            .await
            .unwrap()
            .len(),
        6
    );
    assert!(
        store
            .indicator_values(&other.id, &import.id, &areas)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(store.indicator_imports(&other.id).await.unwrap().is_empty());
}

async fn a_geography_lookup_gives_parents_and_children_and_the_newest_lookup_wins(store: &Store) {
    let (actor, _) = owner_and_partnership(store, "pat@example.org").await;
    let regions = read_geography(
        b"LAD23CD,LAD23NM,RGN23CD,RGN23NM\n\
          E06000001,Hartlepool,E12000001,North East\n\
          E06000002,Middlesbrough,E12000001,North East\n\
          E06000003,Redcar and Cleveland,E12000002,North West\n",
    )
    .unwrap();
    let lookup = store
        .import_geography(&actor, "lad23-to-rgn23.csv", &regions)
        .await
        .unwrap();
    assert_eq!(lookup.links, 3);
    let parents = store
        .geography_parents(&[code("E06000001"), code("E06000009")])
        .await
        .unwrap();
    assert_eq!(parents.len(), 1);
    assert_eq!(parents[0].parent_code.as_deref(), Some("E12000001"));
    assert_eq!(parents[0].parent_name.as_deref(), Some("North East"));
    assert_eq!(parents[0].parent_kind.as_deref(), Some("region (RGN23)"));

    // A newer lookup puts Redcar and Cleveland in the North East, as it is.
    let corrected = read_geography(
        b"LAD23CD,LAD23NM,RGN23CD,RGN23NM\nE06000003,Redcar and Cleveland,E12000001,North East\n",
    )
    .unwrap();
    store
        .import_geography(&actor, "correction.csv", &corrected)
        .await
        .unwrap();
    let children = store
        .geography_children(&[code("E12000001"), code("E12000002")])
        .await
        .unwrap();
    let mut in_north_east: Vec<&str> = children
        .iter()
        .filter(|link| link.parent_code.as_deref() == Some("E12000001"))
        .map(|link| link.child_code.as_str())
        .collect();
    in_north_east.sort_unstable();
    assert_eq!(in_north_east, ["E06000001", "E06000002", "E06000003"]);
    assert!(
        children
            .iter()
            .all(|link| link.parent_code.as_deref() != Some("E12000002"))
    );
    let lookups = store.geography_lookups().await.unwrap();
    assert_eq!(lookups.len(), 2);
    assert_eq!(lookups[0].file_name, "correction.csv");
    assert_eq!(lookups[0].imported_by_label, "Pat Analyst");
}
