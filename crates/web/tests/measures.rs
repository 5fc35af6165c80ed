//! The measures catalogue over HTTP: filtering by a shareable GET address, the error
//! summary for values that cannot be read, and comparing tools side by side.
//!
//! Expected results are worked out from the embedded content here, independently of the
//! filter code, so the tests keep passing as the catalogue grows and still catch a filter
//! that lets the wrong tools through.

// Test code: a panic is how a test fails.
#![allow(clippy::unwrap_used)]

mod support;

use cradle_content::Measure;
use cradle_domain::{Completer, MeasurePurpose};
use support::TestServer;

cradle_store::backend_suite!(
    runner = crate::support::run_http_test;
    the_unfiltered_catalogue_lists_every_tool,
    filtering_by_age_shows_only_the_tools_that_cover_it,
    pregnancy_shows_the_tools_used_before_birth,
    filters_narrow_together_and_widen_within_a_field,
    a_malformed_age_is_refused_with_a_message_naming_the_field,
    an_unknown_choice_is_refused_and_the_form_keeps_what_was_chosen,
    comparing_three_tools_shows_a_column_for_each,
    comparing_five_tools_is_refused,
    comparing_an_unknown_tool_names_it,
    each_result_can_be_ticked_to_compare_and_each_tool_page_links_to_compare,
);

async fn page(server: &TestServer, path: &str) -> (u16, String) {
    let response = server.get(path).await;
    (response.status().as_u16(), response.text().await.unwrap())
}

fn measures() -> Vec<Measure> {
    support::content().measures.iter().cloned().collect()
}

/// Where the catalogue links to a tool's own page: present exactly when it is a result.
fn link(measure: &Measure) -> String {
    format!("href=\"/toolkit/measures/{}\"", measure.id)
}

/// Asserts the catalogue at `path` shows exactly the tools for which `expected` is true.
async fn shows_exactly(server: &TestServer, path: &str, expected: impl Fn(&Measure) -> bool) {
    let (status, html) = page(server, path).await;
    assert_eq!(status, 200, "{path}");
    let all = measures();
    let (shown, hidden): (Vec<&Measure>, Vec<&Measure>) = all.iter().partition(|m| expected(m));
    assert!(!shown.is_empty(), "{path} should match some tools");
    for measure in &shown {
        assert!(
            html.contains(&link(measure)),
            "{path} lacks {}",
            measure.acronym
        );
        assert!(
            html.contains(&measure.acronym),
            "{path} lacks {}",
            measure.acronym
        );
    }
    for measure in &hidden {
        assert!(
            !html.contains(&link(measure)),
            "{path} shows {}",
            measure.acronym
        );
    }
    let count = format!("{} of {} tools match", shown.len(), all.len());
    let count_one = format!("1 of {} tools matches", all.len());
    assert!(html.contains(&count) || html.contains(&count_one), "{path}");
}

async fn the_unfiltered_catalogue_lists_every_tool(server: &TestServer) {
    shows_exactly(server, "/toolkit/measures", |_| true).await;
    let (_, html) = page(server, "/toolkit/measures").await;
    assert!(html.contains("Community indicators"));
}

async fn filtering_by_age_shows_only_the_tools_that_cover_it(server: &TestServer) {
    shows_exactly(server, "/toolkit/measures?age=9", |m| {
        m.age_min_months <= 9 && 9 <= m.age_max_months
    })
    .await;
    // The ends of a tool's range count as covered.
    let edge = measures()
        .into_iter()
        .find(|m| m.age_max_months <= 72)
        .unwrap();
    let at_end = edge.age_max_months;
    let (_, html) = page(server, &format!("/toolkit/measures?age={at_end}")).await;
    assert!(html.contains(&link(&edge)), "{} at {at_end}", edge.acronym);
    let (_, html) = page(server, "/toolkit/measures?age=9").await;
    assert!(html.contains("Clear filters"));
    assert!(
        html.contains("value=\"9\""),
        "the age is shown back in the form"
    );
}

async fn pregnancy_shows_the_tools_used_before_birth(server: &TestServer) {
    shows_exactly(server, "/toolkit/measures?age=pregnancy", |m| m.prenatal).await;
}

async fn filters_narrow_together_and_widen_within_a_field(server: &TestServer) {
    let screening_by_parents_at_9 = |m: &Measure| {
        m.age_min_months <= 9
            && 9 <= m.age_max_months
            && m.purposes.contains(&MeasurePurpose::Screening)
            && m.completed_by.contains(&Completer::Parent)
    };
    shows_exactly(
        server,
        "/toolkit/measures?age=9&purpose=screening&completer=parent",
        screening_by_parents_at_9,
    )
    .await;
    shows_exactly(
        server,
        "/toolkit/measures?purpose=observation&purpose=outcome",
        |m| {
            m.purposes.contains(&MeasurePurpose::Observation)
                || m.purposes.contains(&MeasurePurpose::Outcome)
        },
    )
    .await;
    // Empty text inputs, as a GET form sends them, filter on nothing.
    shows_exactly(
        server,
        "/toolkit/measures?age=&licence=free&minutes=&uk-use=",
        |m| m.licence == cradle_domain::Licence::Free,
    )
    .await;
    shows_exactly(
        server,
        "/toolkit/measures?training=none&training=course",
        |m| m.training_level != cradle_domain::TrainingLevel::Certification,
    )
    .await;
}

async fn a_malformed_age_is_refused_with_a_message_naming_the_field(server: &TestServer) {
    let (status, html) = page(server, "/toolkit/measures?age=nine&purpose=screening").await;
    assert_eq!(status, 400);
    assert!(html.contains("There is a problem"), "{html}");
    assert!(html.contains("Age must be a whole number of months from 0 to 72"));
    assert!(
        html.contains("href=\"#age\""),
        "the summary links to the field"
    );
    assert!(html.contains("id=\"age\""));
    assert!(
        html.contains("value=\"nine\""),
        "what was typed is shown back"
    );
    assert!(html.contains("<title>Error: Measures and indicators – Cradle</title>"));
    for measure in measures() {
        assert!(
            !html.contains(&link(&measure)),
            "no results while filters are wrong"
        );
    }
    let (status, _) = page(server, "/toolkit/measures?age=73").await;
    assert_eq!(status, 400);
}

async fn an_unknown_choice_is_refused_and_the_form_keeps_what_was_chosen(server: &TestServer) {
    let (status, html) = page(
        server,
        "/toolkit/measures?purpose=diagnosis&completer=parent&minutes=lots",
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        html.contains(
            "Purpose must be chosen from the list; ‘diagnosis’ is not one of the options"
        )
    );
    assert!(html.contains("Longest time to complete must be a whole number of minutes"));
    assert!(
        html.contains("name=\"completer\" type=\"checkbox\" value=\"parent\" checked"),
        "the valid choice stays ticked"
    );
}

/// The text of every column header (`<th scope="col">`) in a page.
fn column_headers(html: &str) -> Vec<&str> {
    html.split("<th scope=\"col\"")
        .skip(1)
        .filter_map(|rest| rest.split("</th>").next())
        .collect()
}

async fn comparing_three_tools_shows_a_column_for_each(server: &TestServer) {
    let all = measures();
    let chosen: Vec<&Measure> = [0, all.len() / 2, all.len() - 1]
        .iter()
        .map(|&i| &all[i])
        .collect();
    let query: Vec<String> = chosen.iter().map(|m| format!("ids={}", m.id)).collect();
    let (status, html) = page(
        server,
        &format!("/toolkit/measures/compare?{}", query.join("&")),
    )
    .await;
    assert_eq!(status, 200, "{html}");
    let headers = column_headers(&html);
    assert_eq!(headers.len(), 3, "{headers:?}");
    for (header, measure) in headers.iter().zip(&chosen) {
        assert!(header.contains(&measure.acronym), "{header}");
    }
    for row in [
        "Purpose",
        "Completed by",
        "Ages",
        "Format",
        "Items",
        "Minutes to complete",
        "Training",
        "Licence",
        "Cost",
        "Use in the UK",
        "What it measures",
        "Sources",
    ] {
        assert!(
            html.contains(&format!(
                "<th scope=\"row\" class=\"govuk-table__header\">{row}</th>"
            )),
            "no {row} row"
        );
    }
    // A tool chosen twice is shown once.
    let (_, html) = page(
        server,
        &format!("/toolkit/measures/compare?ids={0}&ids={0}", chosen[0].id),
    )
    .await;
    assert_eq!(column_headers(&html).len(), 1);
}

async fn comparing_five_tools_is_refused(server: &TestServer) {
    let query: Vec<String> = measures()
        .iter()
        .take(5)
        .map(|m| format!("ids={}", m.id))
        .collect();
    let (status, html) = page(
        server,
        &format!("/toolkit/measures/compare?{}", query.join("&")),
    )
    .await;
    assert_eq!(status, 400);
    assert!(html.contains("There is a problem"));
    assert!(html.contains("Select up to 4 tools to compare; 5 were selected"));
    assert!(column_headers(&html).is_empty(), "no comparison table");
    let (status, html) = page(server, "/toolkit/measures/compare").await;
    assert_eq!(status, 400);
    assert!(html.contains("Select at least one tool to compare"));
}

async fn comparing_an_unknown_tool_names_it(server: &TestServer) {
    let known = &measures()[0];
    let (status, html) = page(
        server,
        &format!(
            "/toolkit/measures/compare?ids={}&ids=no-such-tool",
            known.id
        ),
    )
    .await;
    assert_eq!(status, 400);
    assert!(html.contains("There is no tool with the id ‘no-such-tool’ in the catalogue"));
    assert!(html.contains("href=\"#ids\""));
}

async fn each_result_can_be_ticked_to_compare_and_each_tool_page_links_to_compare(
    server: &TestServer,
) {
    let (_, html) = page(server, "/toolkit/measures").await;
    assert!(html.contains("action=\"/toolkit/measures/compare\" method=\"get\""));
    assert!(html.contains("Compare selected tools"));
    for measure in measures() {
        assert!(
            html.contains(&format!(
                "name=\"ids\" type=\"checkbox\" value=\"{}\"",
                measure.id
            )),
            "no compare box for {}",
            measure.acronym
        );
    }
    let measure = &measures()[0];
    let (_, html) = page(server, &format!("/toolkit/measures/{}", measure.id)).await;
    assert!(html.contains(&format!(
        "href=\"/toolkit/measures/compare?ids={}\"",
        measure.id
    )));
}
