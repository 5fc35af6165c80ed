//! Local indicators over HTTP: importing a Fingertips download through the upload form,
//! every problem of a broken file listed with nothing imported, each indicator over time
//! for the partnership's areas against the nation as a chart and a table with its source,
//! over-size uploads answered with the form rather than a bare error, and the site's
//! geography lookups rolling the need estimate up to larger areas.

// Test code: a panic is how a test fails.
#![allow(clippy::unwrap_used)]

mod support;

use cradle_domain::vocabulary::Role;
use support::{Browser, TestServer, create_user, escaped, member_of_partnership};

cradle_store::backend_suite!(
    runner = crate::support::run_http_test;
    a_contributor_imports_indicators_and_sees_each_over_time_against_the_nation,
    a_broken_indicator_file_lists_every_problem_and_imports_nothing,
    a_viewer_sees_the_indicators_but_cannot_upload,
    without_indicator_files_the_page_says_how_to_import_them,
    an_over_size_upload_is_answered_with_the_form_naming_the_file_field,
    a_site_lookup_rolls_the_need_estimate_up_to_larger_areas,
    rows_for_gp_practices_are_left_out_and_the_page_says_how_many,
);

const TEES: &[u8] = include_bytes!("../../readers/tests/fixtures/fingertips-tees.csv");
const BROKEN: &[u8] = include_bytes!("../../readers/tests/fixtures/fingertips-broken.csv");
const WITH_PRACTICES: &[u8] =
    include_bytes!("../../readers/tests/fixtures/fingertips-with-practices.csv");

async fn a_contributor_imports_indicators_and_sees_each_over_time_against_the_nation(
    server: &TestServer,
) {
    let (id, contributor) = member_of_partnership(server, Role::Contributor).await;
    let (status, html) = contributor
        .page(&format!("/partnerships/{id}/indicators/files"))
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("Import an indicator file"));
    assert!(html.contains("up to 20 MB"));

    let response = contributor
        .upload(
            &format!("/partnerships/{id}/indicators/files"),
            "fingertips-tees.csv",
            TEES,
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(
        response.headers()["location"],
        format!("/partnerships/{id}/indicators").as_str()
    );

    let (status, html) = contributor
        .page(&format!("/partnerships/{id}/indicators"))
        .await;
    assert_eq!(status, 200);
    for shown in [
        "Low birth weight of term babies",
        "Smoking status at time of delivery",
        "Persons, >=37 weeks gestational age at birth",
        "Female, All ages",
        "Office for Health Improvement and Disparities (OHID): Public health profiles (Fingertips), data download, latest figures from 2021",
        "fingertips-tees.csv",
    ] {
        assert!(html.contains(&escaped(shown)), "the page shows {shown}");
    }
    // One chart per indicator, each with its title and description.
    assert_eq!(html.matches("<svg role=\"img\"").count(), 2);
    assert!(html.contains(&escaped(
        "Low birth weight of term babies (Persons, >=37 weeks gestational age at birth): Hartlepool, Middlesbrough, England from 2019 to 2021, with 95% confidence intervals"
    )));
    assert!(html.contains("Hartlepool: 2019 3.4 (95% interval 2.6 to 4.4)"));
    // The nation is drawn apart from the areas, in words as well as colour.
    assert!(html.contains("England (squares, broken line)"));
    assert!(html.contains("Hartlepool (circles, solid line)"));
    // The table: each period, each area with its interval, and the comparison.
    assert!(html.contains(
        "<th scope=\"col\" class=\"govuk-table__header govuk-table__header--numeric\">England</th>"
    ));
    assert!(html.contains("3.4<br><span class=\"govuk-body-s\">(2.6 to 4.4)</span>"));
    assert!(html.contains("Against the nation: Worse"));
    // A suppressed figure says why it is missing.
    assert!(html.contains("No value"));
    assert!(html.contains(
        "Hartlepool, 2020/21: Value suppressed for disclosure control due to small count"
    ));
    // Breakdowns by deprivation are not drawn as an area.
    assert!(!html.contains("Most deprived decile"));

    let (_, list) = contributor
        .page(&format!("/partnerships/{id}/indicators/files"))
        .await;
    assert!(list.contains("fingertips-tees.csv"));
    assert!(list.contains("Pat Member"));

    let audit = server.store().audit_log(&id).await.unwrap();
    assert_eq!(audit[0].action, "indicators.import");

    let (_, partnership) = contributor.page(&format!("/partnerships/{id}")).await;
    assert!(partnership.contains(&format!("/partnerships/{id}/indicators\"")));
}

async fn a_broken_indicator_file_lists_every_problem_and_imports_nothing(server: &TestServer) {
    let (id, contributor) = member_of_partnership(server, Role::Contributor).await;
    let response = contributor
        .upload(
            &format!("/partnerships/{id}/indicators/files"),
            "fingertips-broken.csv",
            BROKEN,
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("There is a problem"));
    assert!(html.contains("fingertips-broken.csv has 6 problems, so nothing was imported"));
    assert!(
        html.contains("href=\"#file\""),
        "the summary links to the file field"
    );
    let problems = cradle_readers::read_indicators(BROKEN, "fingertips-broken.csv").unwrap_err();
    for problem in &problems {
        let text = problem.to_string();
        assert!(html.contains(&escaped(&text)), "the page lists: {text}");
    }
    assert!(
        server
            .store()
            .indicator_imports(&id)
            .await
            .unwrap()
            .is_empty()
    );

    let response = contributor
        .upload(
            &format!("/partnerships/{id}/indicators/files"),
            "empty.csv",
            b"",
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("Choose an indicator file (CSV downloaded from Fingertips) to upload"));
}

async fn a_viewer_sees_the_indicators_but_cannot_upload(server: &TestServer) {
    let (id, viewer) = member_of_partnership(server, Role::Viewer).await;
    let (status, html) = viewer
        .page(&format!("/partnerships/{id}/indicators/files"))
        .await;
    assert_eq!(status, 200);
    assert!(!html.contains("Import an indicator file"));
    let response = viewer
        .upload(
            &format!("/partnerships/{id}/indicators/files"),
            "fingertips-tees.csv",
            TEES,
        )
        .await;
    assert_eq!(response.status().as_u16(), 403);
    assert!(
        server
            .store()
            .indicator_imports(&id)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn without_indicator_files_the_page_says_how_to_import_them(server: &TestServer) {
    let (id, viewer) = member_of_partnership(server, Role::Viewer).await;
    let (status, html) = viewer.page(&format!("/partnerships/{id}/indicators")).await;
    assert_eq!(status, 200);
    assert!(html.contains("There are no local indicators for this partnership yet"));
    assert!(html.contains("Ask a contributor to the partnership to import it"));
}

async fn an_over_size_upload_is_answered_with_the_form_naming_the_file_field(server: &TestServer) {
    let (id, contributor) = member_of_partnership(server, Role::Contributor).await;
    // Larger than the 1 MB that forms may send, within what an upload may: it is read and
    // checked like any other file.
    let mut large = TEES.to_vec();
    let row = b"20101,Low birth weight of term babies,,,E92000001,England,England,Persons,All ages,,,1900,2.9,2.88,2.92,2.87,2.93,17420,600690,,,,,,,\n";
    let mut year = 0;
    while large.len() < 2 * 1024 * 1024 {
        // Each row a different age, so that none repeats another.
        let text = String::from_utf8_lossy(row).replace("All ages", &format!("Age {year}"));
        large.extend_from_slice(text.as_bytes());
        year += 1;
    }
    let response = contributor
        .upload(
            &format!("/partnerships/{id}/indicators/files"),
            "large.csv",
            &large,
        )
        .await;
    assert_eq!(response.status().as_u16(), 303, "a 2 MB file is taken");

    // Over the limit: the form again, the message beside the file field.
    let too_large = vec![b'a'; 20 * 1024 * 1024 + 100 * 1024];
    for path in [
        format!("/partnerships/{id}/indicators/files"),
        format!("/partnerships/{id}/population"),
        format!("/partnerships/{id}/services/import"),
    ] {
        let response = contributor.upload(&path, "huge.csv", &too_large).await;
        assert_eq!(response.status().as_u16(), 422, "{path}");
        let html = response.text().await.unwrap();
        assert!(html.contains("There is a problem"), "{path}");
        assert!(
            html.contains("<a href=\"#file\">The selected file must be smaller than 20 MB</a>"),
            "{path} names the file field"
        );
        assert!(
            html.contains("id=\"file-error\""),
            "{path} shows the message beside the field"
        );
    }
    assert_eq!(
        server.store().indicator_imports(&id).await.unwrap().len(),
        1
    );
}

const NOMIS: &[u8] = include_bytes!("../../readers/tests/fixtures/nomis-mid2023.csv");

async fn a_site_lookup_rolls_the_need_estimate_up_to_larger_areas(server: &TestServer) {
    let (id, contributor) = member_of_partnership(server, Role::Contributor).await;
    contributor
        .upload(
            &format!("/partnerships/{id}/population"),
            "nomis.csv",
            NOMIS,
        )
        .await;
    let (_, before) = contributor.page(&format!("/partnerships/{id}/need")).await;
    assert!(!before.contains("The larger areas they belong to"));

    // Only a site administrator may import a lookup.
    let response = contributor
        .upload("/admin/geography", "regions.csv", b"LAD23CD,LAD23NM\n")
        .await;
    assert_eq!(response.status().as_u16(), 403);

    create_user(server, "admin@example.org", "Ada Admin", true).await;
    let admin = Browser::new(server);
    admin.sign_in("admin@example.org").await;
    let broken = admin
        .upload(
            "/admin/geography",
            "broken.csv",
            b"LAD23CD,LAD23NM,RGN23CD,RGN23NM\nE0600001,Hartlepool,E12000001,North East\n",
        )
        .await;
    assert_eq!(broken.status().as_u16(), 422);
    let html = broken.text().await.unwrap();
    assert!(html.contains("broken.csv has 1 problem, so nothing was imported"));
    assert!(html.contains("Row 2, column A (&#34;LAD23CD&#34;)"));

    let lookup = b"LAD23CD,LAD23NM,RGN23CD,RGN23NM\n\
        E06000001,Hartlepool,E12000001,North East\n\
        E06000002,Middlesbrough,E12000001,North East\n\
        E06000003,Redcar and Cleveland,E12000001,North East\n\
        E09000001,City of London,E12000007,London\n";
    let response = admin
        .upload("/admin/geography", "lad23-to-rgn23.csv", lookup)
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let (_, lookups) = admin.page("/admin/geography").await;
    assert!(lookups.contains("lad23-to-rgn23.csv"));
    assert!(lookups.contains("Ada Admin"));

    let (_, html) = contributor.page(&format!("/partnerships/{id}/need")).await;
    assert!(html.contains("The larger areas they belong to"));
    assert!(html.contains("Region (RGN23): central estimate (low–high), added up from its areas"));
    assert!(html.contains("North East (E12000001)"));
    // Redcar and Cleveland is in the lookup but not in the population file.
    assert!(html.contains("2 of 3"));
    // London holds none of the partnership's areas.
    assert!(!html.contains("London (E12000007)"));
}

async fn rows_for_gp_practices_are_left_out_and_the_page_says_how_many(server: &TestServer) {
    let (id, contributor) = member_of_partnership(server, Role::Contributor).await;
    let response = contributor
        .upload(
            &format!("/partnerships/{id}/indicators/files"),
            "fingertips-with-practices.csv",
            WITH_PRACTICES,
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let to = response.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(to, format!("/partnerships/{id}/indicators?left_out=2"));
    let (status, html) = contributor.page(&to).await;
    assert_eq!(status, 200);
    assert!(html.contains(
        "The file was imported without its 2 rows for GP practices or primary care networks"
    ));
    assert!(html.contains("Percentage of physically active adults"));
    // Nothing but a count is taken from the address.
    let (_, html) = contributor
        .page(&format!("/partnerships/{id}/indicators?left_out=%3Cb%3E"))
        .await;
    assert!(!html.contains("imported without its"));
}
