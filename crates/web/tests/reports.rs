//! The case for action and report packs over HTTP: defining a pack, making it, opening the
//! snapshot again and downloading each format.

// Test code: a panic is how a test fails.
#![allow(clippy::unwrap_used)]

mod support;

use cradle_domain::vocabulary::Role;
use support::{Browser, TestServer, escaped, member_of_partnership};

cradle_store::backend_suite!(
    runner = crate::support::run_http_test;
    a_facilitator_defines_a_pack_in_the_chosen_order_and_sees_it_listed,
    a_pack_form_with_problems_names_each_field_and_saves_nothing,
    a_made_pack_is_kept_and_every_format_downloads_as_a_real_file,
    the_case_for_action_says_what_to_import_and_then_shows_the_areas_own_figures,
);

const NOMIS: &[u8] = include_bytes!("../../readers/tests/fixtures/nomis-mid2023.csv");

async fn define_pack(browser: &Browser<'_>, id: &str, name: &str) -> reqwest::Response {
    browser
        .post(
            &format!("/partnerships/{id}/reports/packs"),
            &[
                ("name", name),
                ("title", "Babies <first> & #1"),
                ("author", "Public health team"),
                ("introduction", ""),
                ("section", "summary"),
                ("position-summary", "2"),
                ("section", "actions"),
                ("position-actions", "1"),
                ("position-need", "3"),
            ],
        )
        .await
}

async fn a_facilitator_defines_a_pack_in_the_chosen_order_and_sees_it_listed(server: &TestServer) {
    let (id, facilitator) = member_of_partnership(server, Role::Facilitator).await;
    let (status, form) = facilitator
        .page(&format!("/partnerships/{id}/reports/packs/new"))
        .await;
    assert_eq!(status, 200);
    assert!(form.contains("The case for action"));
    let response = define_pack(&facilitator, &id, "Board pack").await;
    assert_eq!(response.status().as_u16(), 303);

    let (status, html) = facilitator
        .page(&format!("/partnerships/{id}/reports"))
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("Board pack"));
    assert!(html.contains(&escaped("Babies <first> & #1")));
    let actions = html.find("<li>Action plan</li>").unwrap();
    let summary = html.find("<li>Cover and summary</li>").unwrap();
    assert!(actions < summary, "the typed order is kept");
    assert!(
        !html.contains("<li>Estimated need</li>"),
        "unticked sections are left out"
    );

    let packs = server.store().packs(&id).await.unwrap();
    assert_eq!(packs.len(), 1);
    let audit = server.store().audit_log(&id).await.unwrap();
    assert!(audit.iter().any(|entry| entry.action == "pack.create"));
}

async fn a_pack_form_with_problems_names_each_field_and_saves_nothing(server: &TestServer) {
    let (id, facilitator) = member_of_partnership(server, Role::Facilitator).await;
    let response = facilitator
        .post(
            &format!("/partnerships/{id}/reports/packs"),
            &[("name", " "), ("title", "T"), ("section", "made-up")],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("Enter the pack"), "{html}");
    assert!(html.contains("made-up"));
    assert!(html.contains("href=\"#name\""));
    assert!(html.contains("href=\"#sections\""));

    assert_eq!(
        define_pack(&facilitator, &id, "Board pack")
            .await
            .status()
            .as_u16(),
        303
    );
    let taken = define_pack(&facilitator, &id, "BOARD PACK").await;
    assert_eq!(taken.status().as_u16(), 422);
    assert!(taken.text().await.unwrap().contains("has this name"));
    assert_eq!(server.store().packs(&id).await.unwrap().len(), 1);
}

async fn a_made_pack_is_kept_and_every_format_downloads_as_a_real_file(server: &TestServer) {
    let (id, facilitator) = member_of_partnership(server, Role::Facilitator).await;
    define_pack(&facilitator, &id, "Board pack").await;
    let pack = server.store().packs(&id).await.unwrap().remove(0);
    let made = facilitator
        .post(
            &format!("/partnerships/{id}/reports/packs/{}/make", pack.id),
            &[],
        )
        .await;
    assert_eq!(
        made.status().as_u16(),
        303,
        "{}",
        made.text().await.unwrap()
    );
    let snapshot_path = made.headers()["location"].to_str().unwrap().to_owned();

    let (status, html) = facilitator.page(&snapshot_path).await;
    assert_eq!(status, 200);
    assert!(html.contains(&escaped("Babies <first> & #1")));
    assert!(html.contains("Action plan"));
    for (file, media_type, magic) in [
        ("pdf", "application/pdf", &b"%PDF"[..]),
        ("docx", "wordprocessingml", &b"PK"[..]),
        ("xlsx", "spreadsheetml", &b"PK"[..]),
        ("slides", "application/zip", &b"PK"[..]),
    ] {
        let response = facilitator
            .get(&format!("{snapshot_path}/files/{file}"))
            .await;
        assert_eq!(response.status().as_u16(), 200, "{file}");
        let headers = response.headers().clone();
        assert!(
            headers["content-type"]
                .to_str()
                .unwrap()
                .contains(media_type)
        );
        let disposition = headers["content-disposition"].to_str().unwrap();
        assert!(
            disposition.starts_with("attachment; filename=\"babies-first-1"),
            "{disposition}"
        );
        let body = response.bytes().await.unwrap();
        assert!(body.starts_with(magic), "{file} is not a {media_type} file");
    }
    // Changing the pack later leaves what was made as it was.
    facilitator
        .post(
            &format!("/partnerships/{id}/reports/packs/{}/delete", pack.id),
            &[],
        )
        .await;
    let (status, html) = facilitator
        .page(&format!("/partnerships/{id}/reports"))
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("No packs have been defined yet."));
    assert!(html.contains(&snapshot_path));
}

async fn the_case_for_action_says_what_to_import_and_then_shows_the_areas_own_figures(
    server: &TestServer,
) {
    let (id, contributor) = member_of_partnership(server, Role::Contributor).await;
    let path = format!("/partnerships/{id}/case-for-action");
    let (status, html) = contributor.page(&path).await;
    assert_eq!(status, 200);
    assert!(html.contains("The case for action"));
    assert!(html.contains("Not yet available"), "{html}");
    assert!(html.contains("Population data"), "it says where to import");

    let response = contributor
        .upload(
            &format!("/partnerships/{id}/population"),
            "nomis-mid2023.csv",
            NOMIS,
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let (status, html) = contributor.page(&path).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("nomis-mid2023.csv"),
        "each local figure names its file"
    );
    assert!(html.contains("Hartlepool"));
}
