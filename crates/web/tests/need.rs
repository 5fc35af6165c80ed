//! Population data and need estimates over HTTP: importing a file through the upload form,
//! every problem of a broken file listed with nothing imported, the estimate with its
//! ranges, working and sources, and local figures shown beside it and audited.

// Test code: a panic is how a test fails.
#![allow(clippy::unwrap_used)]

mod support;

use cradle_domain::vocabulary::Role;
use support::{Browser, TestServer, escaped, member_of_partnership};

cradle_store::backend_suite!(
    runner = crate::support::run_http_test;
    a_contributor_imports_a_population_file_and_sees_the_estimate_with_ranges_and_sources,
    a_file_with_a_uk_row_is_compared_with_the_nation,
    a_broken_file_lists_every_problem_by_row_and_column_and_imports_nothing,
    a_viewer_sees_the_files_but_cannot_upload,
    a_local_figure_shows_beside_the_estimate_and_in_the_audit_log,
    a_local_figure_out_of_order_or_without_a_reason_is_refused,
    without_population_data_the_page_says_how_to_import_it,
    a_file_in_another_layout_is_imported_through_the_columns_named,
    a_column_mapping_without_its_required_fields_names_each_and_imports_nothing,
    a_births_file_gives_live_births_for_figures_per_birth,
);

const NOMIS: &[u8] = include_bytes!("../../readers/tests/fixtures/nomis-mid2023.csv");
const MYE2: &[u8] = include_bytes!("../../readers/tests/fixtures/mye2-persons-mid2019.csv");
const NOT_A_NUMBER: &[u8] = include_bytes!("../../readers/tests/fixtures/nomis-not-a-number.csv");
const BIRTHS: &[u8] = include_bytes!("../../readers/tests/fixtures/ons-births-2022.csv");
const BROKEN_BIRTHS: &[u8] = include_bytes!("../../readers/tests/fixtures/births-broken.csv");
const NISRA_LONG: &[u8] = include_bytes!("../../readers/tests/fixtures/nisra-mye-2022-long.csv");

async fn a_contributor_imports_a_population_file_and_sees_the_estimate_with_ranges_and_sources(
    server: &TestServer,
) {
    let (id, contributor) = member_of_partnership(server, Role::Contributor).await;
    let (status, html) = contributor
        .page(&format!("/partnerships/{id}/population"))
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("Import a population file"));

    let response = contributor
        .upload(
            &format!("/partnerships/{id}/population"),
            "nomis-mid2023.csv",
            NOMIS,
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(
        response.headers()["location"],
        format!("/partnerships/{id}/need").as_str()
    );

    let source = cradle_readers::read_population(NOMIS, "nomis-mid2023.csv")
        .unwrap()
        .source;
    let (status, html) = contributor.page(&format!("/partnerships/{id}/need")).await;
    assert_eq!(status, 200);
    for shown in [
        "nomis-mid2023.csv",
        source.publisher.as_str(),
        source.edition.as_str(),
        "mid-2023",
    ] {
        assert!(html.contains(&escaped(shown)), "the page names {shown}");
    }
    for tier in ["Universal need", "Targeted need", "Specialist need"] {
        assert!(html.contains(tier), "the page has the {tier} tier");
    }
    // Hartlepool's 915 babies under one, with the published range applied.
    assert!(html.contains("Hartlepool"));
    assert!(
        html.contains("915 babies under 1 ×"),
        "working for Hartlepool"
    );
    // Both areas together: 915 + 1,824 babies under one.
    assert!(html.contains("Sum of 2 areas: 2,739 babies under 1"));
    assert!(
        html.contains("href=\"/toolkit/sources#"),
        "sources are cited"
    );
    assert!(html.contains("<svg role=\"img\""), "a chart of the ranges");
    assert!(html.contains("Need per 1,000 residents"));
    assert!(html.contains("no row for the nation"));
    // Areas of the file outside the partnership are kept but not shown.
    assert!(!html.contains("Cardiff"));

    let (_, list) = contributor
        .page(&format!("/partnerships/{id}/population"))
        .await;
    assert!(list.contains("nomis-mid2023.csv"));
    assert!(list.contains("Pat Member"));
}

async fn a_file_with_a_uk_row_is_compared_with_the_nation(server: &TestServer) {
    let (id, contributor) = member_of_partnership(server, Role::Contributor).await;
    let response = contributor
        .upload(
            &format!("/partnerships/{id}/population"),
            "mye2-persons-mid2019.csv",
            MYE2,
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let (_, html) = contributor.page(&format!("/partnerships/{id}/need")).await;
    assert!(html.contains("UNITED KINGDOM (published rates)"));
    assert!(html.contains("mid-2019"));
    // The MYE2 fixture has Hartlepool but not Middlesbrough: the page says so.
    assert!(html.contains("This file has no figures for Middlesbrough (E06000002)"));
}

async fn a_broken_file_lists_every_problem_by_row_and_column_and_imports_nothing(
    server: &TestServer,
) {
    let (id, contributor) = member_of_partnership(server, Role::Contributor).await;
    let response = contributor
        .upload(
            &format!("/partnerships/{id}/population"),
            "nomis-not-a-number.csv",
            NOT_A_NUMBER,
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("There is a problem"));
    assert!(html.contains("so nothing was imported"));
    let problems =
        cradle_readers::read_population(NOT_A_NUMBER, "nomis-not-a-number.csv").unwrap_err();
    assert!(problems.len() >= 2);
    for problem in &problems {
        let text = problem.to_string();
        assert!(text.contains("Row "), "problems name their row: {text}");
        assert!(html.contains(&escaped(&text)), "the page lists: {text}");
    }
    assert!(
        server
            .store()
            .population_imports(&id)
            .await
            .unwrap()
            .is_empty()
    );
    let (_, need) = contributor.page(&format!("/partnerships/{id}/need")).await;
    assert!(need.contains("There is no population data for this partnership yet"));
}

async fn a_viewer_sees_the_files_but_cannot_upload(server: &TestServer) {
    let (id, viewer) = member_of_partnership(server, Role::Viewer).await;
    let (status, html) = viewer.page(&format!("/partnerships/{id}/population")).await;
    assert_eq!(status, 200);
    assert!(!html.contains("Import a population file"));
    let response = viewer
        .upload(
            &format!("/partnerships/{id}/population"),
            "nomis-mid2023.csv",
            NOMIS,
        )
        .await;
    assert_eq!(response.status().as_u16(), 403);
    assert!(
        server
            .store()
            .population_imports(&id)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn a_local_figure_shows_beside_the_estimate_and_in_the_audit_log(server: &TestServer) {
    let (id, facilitator) = member_of_partnership(server, Role::Facilitator).await;
    facilitator
        .upload(
            &format!("/partnerships/{id}/population"),
            "nomis-mid2023.csv",
            NOMIS,
        )
        .await;
    let response = facilitator
        .post(
            &format!("/partnerships/{id}/need/overrides"),
            &[
                ("assumption", "perinatal-depression"),
                ("area", "E06000001"),
                ("low", "15"),
                ("central", "18"),
                ("high", "21"),
                ("per", "100"),
                ("reason", "Hartlepool maternity audit 2025"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);

    let (_, html) = facilitator.page(&format!("/partnerships/{id}/need")).await;
    assert!(html.contains("Hartlepool maternity audit 2025"));
    assert!(html.contains("local figure 15–21 per 100 (central 18)"));
    assert!(html.contains("set by Pat Member"));
    // Hartlepool's line uses the local rate: 915 × 18 per 100 = 164.7, shown as 165.
    assert!(html.contains("915 babies under 1 × 15–21 per 100 (central 18)"));

    let audit = server.store().audit_log(&id).await.unwrap();
    assert_eq!(audit[0].action, "need.override.set");
    assert_eq!(
        audit[0].after.as_ref().unwrap()["reason"],
        "Hartlepool maternity audit 2025"
    );
    assert!(
        audit
            .iter()
            .any(|entry| entry.action == "population.import")
    );

    let (_, overrides) = facilitator
        .page(&format!("/partnerships/{id}/need/overrides"))
        .await;
    assert!(overrides.contains("Hartlepool maternity audit 2025"));
    let override_id = server.store().need_overrides(&id).await.unwrap()[0]
        .id
        .clone();
    let response = facilitator
        .post(
            &format!("/partnerships/{id}/need/overrides"),
            &[("remove", override_id.as_str())],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let (_, html) = facilitator.page(&format!("/partnerships/{id}/need")).await;
    assert!(!html.contains("Hartlepool maternity audit 2025"));
    let audit = server.store().audit_log(&id).await.unwrap();
    assert_eq!(audit[0].action, "need.override.remove");
}

async fn a_local_figure_out_of_order_or_without_a_reason_is_refused(server: &TestServer) {
    let (id, facilitator) = member_of_partnership(server, Role::Facilitator).await;
    let response = facilitator
        .post(
            &format!("/partnerships/{id}/need/overrides"),
            &[
                ("assumption", "perinatal-depression"),
                ("area", ""),
                ("low", "20"),
                ("central", "18"),
                ("high", "21"),
                ("per", "100"),
                ("reason", "  "),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("Enter the reason"));
    assert!(html.contains("The low figure (20) is above the central figure (18)"));

    let too_long = "x".repeat(501);
    let response = facilitator
        .post(
            &format!("/partnerships/{id}/need/overrides"),
            &[
                ("assumption", "no-such-figure"),
                ("low", "abc"),
                ("central", "18"),
                ("high", "21"),
                ("per", "0"),
                ("reason", too_long.as_str()),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("Select the prevalence figure to replace"));
    assert!(html.contains("The low figure must be a number"));
    assert!(html.contains("Enter how many people the rate is per"));
    assert!(html.contains("The reason must be 500 characters or fewer"));
    assert!(server.store().need_overrides(&id).await.unwrap().is_empty());
}

async fn without_population_data_the_page_says_how_to_import_it(server: &TestServer) {
    // The demo partnership can be read by anyone and has no population file.
    let demo = server
        .store()
        .partnerships()
        .await
        .unwrap()
        .into_iter()
        .find(|partnership| partnership.is_demo)
        .unwrap();
    let visitor = Browser::new(server);
    let (status, html) = visitor
        .page(&format!("/partnerships/{}/need", demo.id))
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("There is no population data for this partnership yet"));
    assert!(html.contains("ONS table MYE2"));
    assert!(html.contains("Ask a contributor"));
    let (status, _) = visitor
        .page(&format!(
            "/partnerships/{}/need?year=abc%3Cscript%3E",
            demo.id
        ))
        .await;
    assert_eq!(status, 200);
}

async fn a_file_in_another_layout_is_imported_through_the_columns_named(server: &TestServer) {
    let (id, contributor) = member_of_partnership(server, Role::Contributor).await;
    let path = format!("/partnerships/{id}/population");
    // A local extract, one row per area and age, under headings of its own.
    let mut extract = String::from("gss,place,age_years,people\n");
    for age in 0..=90 {
        let age_text = if age == 90 {
            "90+".to_owned()
        } else {
            age.to_string()
        };
        extract.push_str(&format!("E06000001,Hartlepool,{age_text},{}\n", 900 + age));
    }
    let response = contributor
        .upload(&path, "tees-extract-2023.csv", extract.as_bytes())
        .await;
    assert_eq!(
        response.status().as_u16(),
        422,
        "unnamed, the layout is unknown"
    );
    let response = contributor
        .upload_with_fields(
            &path,
            "tees-extract-2023.csv",
            extract.as_bytes(),
            &[
                ("code_column", "gss"),
                ("name_column", "place"),
                ("counts", "age-and-count"),
                ("age_column", "age_years"),
                ("count_column", "people"),
                ("publisher", "Tees Valley Combined Authority"),
                ("edition", "Local population extract"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let (_, html) = contributor.page(&format!("/partnerships/{id}/need")).await;
    assert!(html.contains("Tees Valley Combined Authority: Local population extract"));
    assert!(html.contains("900 babies under 1 ×"));

    // NISRA's flat file is recognised without naming its columns.
    let response = contributor
        .upload(&path, "nisra-mye-2022-long.csv", NISRA_LONG)
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let imports = server.store().population_imports(&id).await.unwrap();
    assert_eq!(imports.len(), 2);
    assert_eq!(
        imports[0].publisher,
        "Northern Ireland Statistics and Research Agency"
    );
    assert_eq!(imports[0].year, Some(2022));
    let (_, list) = contributor.page(&path).await;
    assert!(list.contains("nisra-mye-2022-long.csv"));
    assert!(list.contains("tees-extract-2023.csv"));
}

async fn a_column_mapping_without_its_required_fields_names_each_and_imports_nothing(
    server: &TestServer,
) {
    let (id, contributor) = member_of_partnership(server, Role::Contributor).await;
    let path = format!("/partnerships/{id}/population");
    let response = contributor
        .upload_with_fields(
            &path,
            "nisra-mye-2022-long.csv",
            NISRA_LONG,
            &[("code_column", "area_code"), ("counts", "age-and-count")],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let html = response.text().await.unwrap();
    for (field, message) in [
        ("publisher", "Enter who published the file"),
        ("edition", "Enter which publication the file is"),
        ("age_column", "Enter the heading of the column of ages"),
        ("count_column", "Enter the heading of the column of counts"),
    ] {
        assert!(
            html.contains(&format!("href=\"#{field}\"")),
            "the summary links {field}"
        );
        assert!(html.contains(message), "{message}");
    }
    // The form comes back open, with what was typed.
    assert!(html.contains("id=\"mapping\" open"));
    assert!(html.contains("value=\"area_code\""));
    // A heading the file does not have is a problem with the file.
    let response = contributor
        .upload_with_fields(
            &path,
            "nisra-mye-2022-long.csv",
            NISRA_LONG,
            &[
                ("code_column", "gss_code"),
                ("publisher", "NISRA"),
                ("edition", "Mid-year population estimates"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("No column headed “gss_code”"), "{html}");
    assert!(
        server
            .store()
            .population_imports(&id)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn a_births_file_gives_live_births_for_figures_per_birth(server: &TestServer) {
    let (id, contributor) = member_of_partnership(server, Role::Contributor).await;
    let path = format!("/partnerships/{id}/population");
    assert_eq!(
        contributor
            .upload(&path, "nomis-mid2023.csv", NOMIS)
            .await
            .status()
            .as_u16(),
        303
    );
    let (_, before) = contributor.page(&format!("/partnerships/{id}/need")).await;
    assert!(before.contains("No births file imported: babies under 1 stand in for births"));
    assert!(before.contains("915 babies under 1 ×"));

    // A broken births file is refused whole, each problem named.
    let response = contributor
        .upload(&path, "births-broken.csv", BROKEN_BIRTHS)
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains(&escaped(
        "Row 5, column C (\"Live births\"): “1900.5” is not a whole number of births"
    )));

    let response = contributor
        .upload(&path, "ons-births-2022.csv", BIRTHS)
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let (_, html) = contributor.page(&format!("/partnerships/{id}/need")).await;
    assert!(html.contains(
        "Office for National Statistics: Live births by area of usual residence of mother, 2022"
    ));
    assert!(html.contains("ons-births-2022.csv"));
    // Hartlepool's 901 births replace its 915 babies under one for rates per birth; rates
    // for children by age still use the population file.
    assert!(html.contains("901 live births ×"), "working per birth");
    assert!(!html.contains("915 babies under 1 ×"));
    assert!(html.contains("Sum of 2 areas: 2,603 live births"));
    assert!(html.contains("children aged 2–4 ×"));
    // The population file is still the one the estimate is of.
    assert!(html.contains("nomis-mid2023.csv"));
    let (_, list) = contributor.page(&path).await;
    assert!(list.contains("Live births by area of usual residence of mother, 2022"));
}
