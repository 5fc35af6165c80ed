//! The upload pipeline over HTTP, on SQLite and on PostgreSQL: a refused file's page counts
//! every problem the file has, even beyond those the reader keeps, and lists the first fifty.

// Test code: a panic is how a test fails.
#![allow(clippy::unwrap_used)]

mod support;

use support::{TEES_VALLEY, TestServer, owner_signed_in};

cradle_store::backend_suite!(
    runner = crate::support::run_http_test;
    a_file_with_more_problems_than_kept_names_the_true_total,
);

/// How many of a refused file's problems an upload page lists.
const LISTED: usize = 50;

async fn a_file_with_more_problems_than_kept_names_the_true_total(server: &TestServer) {
    let (partnership, browser) = owner_signed_in(server, &TEES_VALLEY).await;

    // One bad tier on every row: more rows than the reader keeps problems for.
    let template = cradle_readers::template_csv();
    let (header, example) = template.split_once('\n').unwrap();
    let bad_rows = cradle_readers::limits::MAX_PROBLEMS_KEPT + 1_234;
    let mut file = format!("{header}\n");
    for _ in 0..bad_rows {
        file.push_str(&example.replacen(",specialist,", ",tier 9,", 1));
    }
    let id = &partnership.partnership;
    let response = browser
        .upload(
            &format!("/partnerships/{id}/services/import"),
            "services.csv",
            file.as_bytes(),
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let html = response.text().await.unwrap();
    assert!(
        html.contains(
            "services.csv has 2,234 problems, so nothing was imported. Correct the file and upload it again"
        ),
        "the page names the true total"
    );
    let list = &html[html.find("id=\"file-problems\"").unwrap()..];
    let list = &list[..list.find("</ol>").unwrap()];
    assert_eq!(list.matches("<li>").count(), LISTED);
    assert!(list.contains("Row 2, column"), "the first row is listed");
    assert!(html.contains("and 2,184 more problems not listed here."));
    assert!(server.store().services(id).await.unwrap().is_empty());
}
