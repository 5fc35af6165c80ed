//! The service map over HTTP: importing files, the coverage matrices and gap list, and
//! adding a service by hand, on SQLite and on PostgreSQL.

// Test code: a panic is how a test fails.
#![allow(clippy::unwrap_used)]

mod support;

use cradle_domain::vocabulary::Role;
use support::{Browser, TEES_VALLEY, TestServer, location, partnership_with_member};

cradle_store::backend_suite!(
    runner = crate::support::run_http_test;
    a_contributor_imports_a_file_and_sees_the_matrix_and_gaps,
    a_bad_file_lists_each_problem_and_changes_nothing,
    importing_again_updates_services_by_key,
    a_viewer_reads_the_map_but_cannot_import,
    a_service_added_by_hand_is_checked_field_by_field,
    a_service_added_without_a_key_gets_one_from_its_name,
);

const GOOD: &[u8] = include_bytes!("../../readers/tests/fixtures/services_good.csv");
const BAD: &[u8] = include_bytes!("../../readers/tests/fixtures/services_bad.csv");
const UPDATED: &[u8] = include_bytes!("../../readers/tests/fixtures/services_updated.csv");

/// Uploads `file` to the import form as a browser does: multipart, the token in the query.
async fn upload(browser: &Browser<'_>, partnership: &str, file: &[u8]) -> reqwest::Response {
    let token = browser.token().await;
    let part = reqwest::multipart::Part::bytes(file.to_vec()).file_name("services.csv");
    browser
        .client
        .post(browser.server.url(&format!(
            "/partnerships/{partnership}/services/import?csrf_token={token}"
        )))
        .header("sec-fetch-site", "same-origin")
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap()
}

/// The page's text with the HTML escapes this app writes undone, for comparing messages.
fn unescaped(html: &str) -> String {
    html.replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// The numbers in the first table row headed `heading`.
fn row_counts(html: &str, heading: &str) -> Vec<usize> {
    let start = html
        .find(&format!(
            "<th scope=\"row\" class=\"govuk-table__header\">{heading}</th>"
        ))
        .unwrap_or_else(|| panic!("no row {heading}"));
    let row = &html[start..start + html[start..].find("</tr>").unwrap()];
    row.split("</td>")
        .filter_map(|cell| cell.rsplit('>').next()?.trim().parse().ok())
        .collect()
}

async fn a_contributor_imports_a_file_and_sees_the_matrix_and_gaps(server: &TestServer) {
    let (setup, browser) = partnership_with_member(server, &TEES_VALLEY, Role::Contributor).await;
    let id = &setup.partnership;
    let (status, html) = browser.page(&format!("/partnerships/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Service map, coverage and gaps"));

    let response = upload(&browser, id, GOOD).await;
    assert_eq!(response.status().as_u16(), 303);
    let (status, html) = browser.page(&location(&response)).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("File imported: 5 services added, 0 updated."),
        "{html}"
    );
    assert!(html.contains("Perinatal mental health team"));

    let (status, html) = browser
        .page(&format!("/partnerships/{id}/services/coverage"))
        .await;
    assert_eq!(status, 200);
    // Pregnancy, 0–6 months, 6–12 months, 1–2, 2–3 and 3–5 years.
    assert_eq!(row_counts(&html, "Universal"), [2, 2, 1, 1, 2, 2]);
    assert_eq!(row_counts(&html, "Specialist"), [1, 1, 1, 0, 0, 0]);
    assert_eq!(
        row_counts(&html, "Caregiving relationships"),
        [3, 2, 0, 0, 1, 1]
    );
    assert!(html.contains("cradle-heat--4"));
    let text = unescaped(&html);
    assert!(text.contains(
        "No specialist service works with the parent–infant relationship for these age bands: 1 to 2 years"
    ));
    assert!(
        text.contains("No service supports becoming / emotional for babies aged 0 to 6 months")
    );
    assert!(!text.contains("No service supports being / emotional in pregnancy"));

    let log = setup.store.audit_log(id).await.unwrap();
    assert_eq!(log[0].action, "service.import");
    assert_eq!(log[0].after.as_ref().unwrap()["created"], 5);
}

async fn a_bad_file_lists_each_problem_and_changes_nothing(server: &TestServer) {
    let (setup, browser) = partnership_with_member(server, &TEES_VALLEY, Role::Contributor).await;
    let id = &setup.partnership;
    assert_eq!(upload(&browser, id, GOOD).await.status().as_u16(), 303);
    let audit_before = setup.store.audit_log(id).await.unwrap().len();

    let response = upload(&browser, id, BAD).await;
    assert_eq!(response.status().as_u16(), 422);
    let html = unescaped(&response.text().await.unwrap());
    assert!(html.contains("There is a problem"));
    for problem in [
        "Row 3, column \"tier\": “tier 9” is not a tier of need; expected one of: universal, universal-plus, targeted, specialist, acute",
        "Row 4, column \"age_bands\": “toddlers” is not an age band",
        "Row 4, column \"works_with_relationship\": “maybe” is not yes or no",
        "Row 4, column \"capacity_families_per_year\": “lots” is not a whole number",
        "Row 4, column \"funding_end\": “31/02/2027” is not a date",
        "Row 5, column \"key\": “hv-01” is also the key on row 2",
    ] {
        assert!(html.contains(problem), "missing: {problem}");
    }
    let services = setup.store.services(id).await.unwrap();
    assert_eq!(services.len(), 5);
    let hv = services.iter().find(|s| s.service.key == "HV-01").unwrap();
    assert_eq!(hv.service.capacity_families_per_year, Some(4000));
    assert_eq!(setup.store.audit_log(id).await.unwrap().len(), audit_before);

    // An upload without the form's token is refused before it is read.
    let forged = browser
        .client
        .post(
            browser
                .server
                .url(&format!("/partnerships/{id}/services/import")),
        )
        .header("sec-fetch-site", "same-origin")
        .multipart(reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(GOOD.to_vec()).file_name("services.csv"),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status().as_u16(), 403);

    // Not a file at all: the whole upload is refused with the reason.
    let response = upload(&browser, id, b"PK\x03\x04 broken").await;
    assert_eq!(response.status().as_u16(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("cannot be opened as an Excel workbook")
    );
}

async fn importing_again_updates_services_by_key(server: &TestServer) {
    let (setup, browser) = partnership_with_member(server, &TEES_VALLEY, Role::Contributor).await;
    let id = &setup.partnership;
    assert_eq!(upload(&browser, id, GOOD).await.status().as_u16(), 303);
    let response = upload(&browser, id, UPDATED).await;
    assert_eq!(response.status().as_u16(), 303);
    let (_, html) = browser.page(&location(&response)).await;
    assert!(
        html.contains("File imported: 1 service added, 1 updated."),
        "{html}"
    );
    let services = setup.store.services(id).await.unwrap();
    assert_eq!(services.len(), 6, "five from the first file and one new");
    let hv: Vec<_> = services
        .iter()
        .filter(|s| s.service.key.eq_ignore_ascii_case("hv-01"))
        .collect();
    assert_eq!(hv.len(), 1);
    assert_eq!(hv[0].service.name, "Health visiting service");
    assert_eq!(hv[0].service.capacity_families_per_year, Some(4200));

    let (_, html) = browser
        .page(&format!("/partnerships/{id}/services/coverage"))
        .await;
    assert!(
        !unescaped(&html)
            .contains("No specialist service works with the parent–infant relationship"),
        "the new parent–infant team closes the gap"
    );
}

async fn a_viewer_reads_the_map_but_cannot_import(server: &TestServer) {
    let (setup, browser) = partnership_with_member(server, &TEES_VALLEY, Role::Viewer).await;
    let id = &setup.partnership;
    let (status, html) = browser.page(&format!("/partnerships/{id}/services")).await;
    assert_eq!(status, 200);
    assert!(html.contains("No services have been added yet."));
    assert!(!html.contains("Import file"));
    assert!(!html.contains("Add a service"));
    assert_eq!(upload(&browser, id, GOOD).await.status().as_u16(), 403);
    assert!(setup.store.services(id).await.unwrap().is_empty());
    // With no services there are no gaps to list, only services to add.
    for page in ["services/coverage", "gaps"] {
        let (status, html) = browser.page(&format!("/partnerships/{id}/{page}")).await;
        assert_eq!(status, 200);
        let text = unescaped(&html);
        assert!(
            text.contains("There are no services on the map yet"),
            "{page}: {text}"
        );
        assert!(
            !text.contains("gaps found"),
            "{page} lists gaps over no services"
        );
    }
    let response = browser
        .get(&format!("/partnerships/{id}/services/template.csv"))
        .await;
    assert_eq!(response.status().as_u16(), 200);
    let template = response.text().await.unwrap();
    assert!(template.contains("key,name,provider,sector,tier,age_bands"));
}

async fn a_service_added_by_hand_is_checked_field_by_field(server: &TestServer) {
    let (setup, browser) = partnership_with_member(server, &TEES_VALLEY, Role::Contributor).await;
    let id = &setup.partnership;
    let path = format!("/partnerships/{id}/services/new");
    let (status, html) = browser.page(&path).await;
    assert_eq!(status, 200);
    assert!(html.contains("Do not include anything that could identify a child or family."));

    let response = browser
        .post(
            &path,
            &[
                ("key", "PIT-01"),
                ("name", "Parent–infant team"),
                ("provider", ""),
                ("sector", "health"),
                ("age_bands", "0-6m"),
                ("levels", "caregiving"),
                ("capacity_families_per_year", "many"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let html = unescaped(&response.text().await.unwrap());
    // GOV.UK messages, in the error summary in the form's order.
    let in_summary = |message: &str| html.find(message).unwrap_or_else(|| panic!("{message}"));
    let provider = in_summary("Enter the organisation that runs the service");
    let tier = in_summary("Select the tier of need the service meets");
    let capacity = in_summary("“many” is not a whole number of families");
    assert!(
        provider < tier && tier < capacity,
        "the summary follows the form"
    );
    assert!(
        html.contains("value=\"Parent–infant team\""),
        "what was typed is kept"
    );
    assert!(setup.store.services(id).await.unwrap().is_empty());

    let response = browser
        .post(
            &path,
            &[
                ("key", "PIT-01"),
                ("name", "Parent–infant team"),
                ("provider", "Tees NHS"),
                ("sector", "health"),
                ("tier", "specialist"),
                ("age_bands", "0-6m"),
                ("age_bands", "6-12m"),
                ("levels", "caregiving"),
                ("elements", "being-emotional"),
                ("works_with_relationship", "yes"),
                ("funding_end", "31/03/2027"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let services = setup.store.services(id).await.unwrap();
    assert_eq!(services.len(), 1);
    let service = &services[0].service;
    assert_eq!(service.stages.len(), 2);
    assert!(service.works_with_relationship);

    // The same key again is refused on the key field.
    let again = browser
        .post(
            &path,
            &[
                ("key", "pit-01"),
                ("name", "Another"),
                ("provider", "Tees NHS"),
                ("sector", "health"),
                ("tier", "universal"),
                ("age_bands", "0-6m"),
                ("levels", "child"),
            ],
        )
        .await;
    assert_eq!(again.status().as_u16(), 422);
    assert!(again.text().await.unwrap().contains("already has this key"));

    let edit = format!("/partnerships/{id}/services/{}/edit", services[0].id);
    let (status, html) = browser.page(&edit).await;
    assert_eq!(status, 200);
    assert!(html.contains("value=\"2027-03-31\""));
    let delete = format!("/partnerships/{id}/services/{}/delete", services[0].id);
    assert_eq!(browser.post(&delete, &[]).await.status().as_u16(), 303);
    assert!(setup.store.services(id).await.unwrap().is_empty());
}

async fn a_service_added_without_a_key_gets_one_from_its_name(server: &TestServer) {
    let (setup, browser) = partnership_with_member(server, &TEES_VALLEY, Role::Contributor).await;
    let id = &setup.partnership;
    let path = format!("/partnerships/{id}/services/new");
    // The smallest form: no key and no levels.
    let fields = [
        ("name", "Little Steps"),
        ("provider", "Tees Council"),
        ("sector", "health"),
        ("tier", "universal"),
        ("age_bands", "0-6m"),
    ];
    for _ in 0..2 {
        let response = browser.post(&path, &fields).await;
        assert_eq!(response.status().as_u16(), 303);
    }
    let mut keys: Vec<String> = setup
        .store
        .services(id)
        .await
        .unwrap()
        .into_iter()
        .map(|stored| stored.service.key)
        .collect();
    keys.sort();
    assert_eq!(keys, ["little-steps", "little-steps-2"]);
}
