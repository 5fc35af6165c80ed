//! Times importing a generated service map of 5,000 services (or the number given):
//! reading the CSV and the XLSX file, and storing the services in one transaction in a
//! fresh SQLite database, as the web import does. Prints `name: value` lines for
//! `scripts/bench import`.
//!
//!     cargo run --release -p cradle-readers --example import_timing [SERVICES]

// An example, not library code: a panic is an acceptable way to fail.
#![allow(clippy::unwrap_used)]

use std::time::Instant;

use cradle_domain::partnership::NewPartnership;
use cradle_domain::services::ServiceField;
use cradle_domain::vocabulary::{EcoLevel, Nation, Sector, Stage, Tier};
use cradle_store::testing::TestDb;
use cradle_store::{Actor, NewUser};
use rust_xlsxwriter::Workbook;

/// One generated row, varied so every vocabulary term appears.
fn row(n: usize) -> Vec<String> {
    let pick = |ids: &[&str], k: usize| ids[(n + k) % ids.len()].to_owned();
    let stages = format!("{}; {}", pick(Stage::IDS, 0), pick(Stage::IDS, 3));
    let levels = format!("{}; {}", pick(EcoLevel::IDS, 0), pick(EcoLevel::IDS, 2));
    vec![
        format!("SVC-{n:05}"),
        format!("Generated service {n}"),
        format!("Provider {}", n % 40),
        pick(Sector::IDS, 0),
        pick(Tier::IDS, 0),
        stages,
        levels,
        "being-emotional; becoming-social".to_owned(),
        if n.is_multiple_of(3) { "yes" } else { "no" }.to_owned(),
        "E06000001".to_owned(),
        "Families living in the area".to_owned(),
        format!("SVC-{:05}", n / 2),
        (n % 500).to_string(),
        format!("2027-{:02}-15", n % 12 + 1),
    ]
}

fn csv_file(count: usize) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(ServiceField::ALL.map(ServiceField::column))
        .unwrap();
    for n in 0..count {
        writer.write_record(row(n)).unwrap();
    }
    writer.into_inner().unwrap()
}

fn xlsx_file(count: usize) -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for (column, field) in ServiceField::ALL.iter().enumerate() {
        sheet
            .write_string(0, column as u16, field.column())
            .unwrap();
    }
    for n in 0..count {
        for (column, value) in row(n).iter().enumerate() {
            sheet
                .write_string(n as u32 + 1, column as u16, value)
                .unwrap();
        }
    }
    workbook.save_to_buffer().unwrap()
}

fn ms(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let count: usize = std::env::args()
        .nth(1)
        .map_or(5000, |text| text.parse().expect("the number of services"));
    let csv_bytes = csv_file(count);
    let xlsx_bytes = xlsx_file(count);

    let start = Instant::now();
    let from_csv = cradle_readers::read_services(&csv_bytes).unwrap();
    let read_csv_ms = ms(start);
    let start = Instant::now();
    let from_xlsx = cradle_readers::read_services(&xlsx_bytes).unwrap();
    let read_xlsx_ms = ms(start);
    assert_eq!(from_csv, from_xlsx, "both files hold the same services");

    let db = TestDb::sqlite().await;
    let store = &db.store;
    let user = store
        .create_user(&NewUser {
            email: "bench@example.org".parse().unwrap(),
            display_name: "Bench".into(),
            password_hash: None,
            is_site_admin: false,
        })
        .await
        .unwrap();
    let actor = Actor { user_id: user.id };
    let partnership = store
        .create_partnership_with_owner(
            &NewPartnership::validate("Bench", Nation::England, "", &["E06000001"], false).unwrap(),
            &actor,
        )
        .await
        .unwrap();
    let start = Instant::now();
    let first = store
        .import_services(&actor, &partnership.id, &from_csv)
        .await
        .unwrap();
    let store_new_ms = ms(start);
    let start = Instant::now();
    let again = store
        .import_services(&actor, &partnership.id, &from_csv)
        .await
        .unwrap();
    let store_again_ms = ms(start);
    assert_eq!((first.created, again.updated), (count, count));
    db.finish().await;

    println!("import_services: {count}");
    println!("import_read_csv_ms: {read_csv_ms:.1}");
    println!("import_read_xlsx_ms: {read_xlsx_ms:.1}");
    println!("import_store_new_sqlite_ms: {store_new_ms:.1}");
    println!("import_store_again_sqlite_ms: {store_again_ms:.1}");
    println!("import_csv_total_ms: {:.1}", read_csv_ms + store_new_ms);
    println!("import_xlsx_total_ms: {:.1}", read_xlsx_ms + store_new_ms);
}
