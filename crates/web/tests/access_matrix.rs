//! The access-control matrix, generated from the route table: every partnership and
//! administration route is called with valid input by each kind of person, and the
//! outcome checked against the route's declared policy. A new route joins this test by
//! being declared; the test fails until it has a sample request below. Every allowed POST
//! must answer 303 (Post/Redirect/Get), so that reloading the page it leads to never
//! repeats the action.

// Test code: a panic is how a test fails.
#![allow(clippy::unwrap_used)]

mod support;

use cradle_domain::Nation;
use cradle_domain::access::Access;
use cradle_domain::vocabulary::Role;
use cradle_store::{Actor, Store};
use support::{
    Browser, PartnershipSpec, TestPartnership, TestServer, add_member, create_user, signed_in,
};
use time::OffsetDateTime;

cradle_store::backend_suite!(
    runner = crate::support::run_http_test;
    every_route_gives_each_role_exactly_what_its_policy_says,
);

/// The route that takes a file upload rather than a form, and the file it is sent.
const UPLOADED_BY: (&str, &str) = ("POST", "/partnerships/{partnership}/population");
const POPULATION_FILE: &[u8] = include_bytes!("../../readers/tests/fixtures/nomis-mid2023.csv");
/// An ONS lookup, for the site's geography upload.
const GEOGRAPHY_FILE: &[u8] = include_bytes!("../../readers/tests/fixtures/lad21-to-cty21.csv");
/// An indicator file as Fingertips downloads it, for the indicator upload.
const INDICATOR_FILE: &[u8] = include_bytes!("../../readers/tests/fixtures/fingertips-tees.csv");

/// The partnership whose routes are called.
const PARTNERSHIP_A: PartnershipSpec = PartnershipSpec {
    name: "Partnership A",
    nation: Nation::England,
    areas: &["E06000001"],
};
/// Another partnership, whose owner is the outsider to partnership A.
const PARTNERSHIP_B: PartnershipSpec = PartnershipSpec {
    name: "Partnership B",
    nation: Nation::Scotland,
    areas: &["S12000036"],
};

/// A national scenario from the content, to walk through.
const NATIONAL_SCENARIO: &str = "two-mothers-anxious-pregnancy";

#[derive(Clone, Copy, Debug, PartialEq)]
enum Who {
    Anonymous,
    Member(Role),
    /// A member of partnership B only.
    Outsider,
    SiteAdmin,
}

#[derive(Debug, PartialEq)]
enum Outcome {
    Allowed,
    SignIn,
    Forbidden,
    NotFound,
}

/// What the policy promises, written out independently of the code that enforces it.
fn expected(access: Access, who: Who) -> Outcome {
    match (access, who) {
        (Access::Public, _) => Outcome::Allowed,
        (_, Who::Anonymous) => Outcome::SignIn,
        (Access::SignedIn, _) => Outcome::Allowed,
        (Access::SiteAdmin, Who::SiteAdmin) => Outcome::Allowed,
        (Access::SiteAdmin, _) => Outcome::Forbidden,
        (Access::Partnership(_), Who::SiteAdmin) => Outcome::Allowed,
        (Access::Partnership(_), Who::Outsider) => Outcome::NotFound,
        (Access::Partnership(needed), Who::Member(role)) => {
            if role >= needed {
                Outcome::Allowed
            } else {
                Outcome::Forbidden
            }
        }
    }
}

fn outcome(status: u16, location: Option<&str>) -> Outcome {
    match status {
        303 | 302 | 307 if location.is_some_and(|l| l.starts_with("/sign-in")) => Outcome::SignIn,
        403 => Outcome::Forbidden,
        404 => Outcome::NotFound,
        200..=399 => Outcome::Allowed,
        other => panic!("unexpected status {other}"),
    }
}

struct Fixture {
    store: Store,
    partnership: String,
    owner: Actor,
    counter: std::sync::atomic::AtomicUsize,
}

impl Fixture {
    fn unique(&self, prefix: &str) -> String {
        let n = self
            .counter
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        format!("{prefix}{n}@example.org")
    }

    /// A new member of partnership A (a viewer), to change or remove.
    async fn fresh_member(&self) -> String {
        let email = self.unique("member");
        let user = self
            .store
            .create_user(&cradle_store::NewUser {
                email: email.parse().unwrap(),
                display_name: "Temporary Member".into(),
                password_hash: None,
                is_site_admin: false,
            })
            .await
            .unwrap();
        add_member(
            &self.store,
            &self.owner,
            &self.partnership,
            &user,
            Role::Viewer,
        )
        .await;
        user.id
    }

    async fn fresh_invitation(&self) -> String {
        let email = self.unique("invitee");
        self.store
            .create_invitation(
                &self.owner,
                &self.partnership,
                &email.parse().unwrap(),
                Role::Viewer,
                &format!("hash-{email}"),
                OffsetDateTime::now_utc() + time::Duration::DAY,
            )
            .await
            .unwrap()
            .id
    }

    /// A new service on partnership A's map, to change or remove.
    async fn fresh_service(&self) -> String {
        let key = format!(
            "S-{}",
            self.counter
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        let service = cradle_domain::services::ServiceFields {
            key,
            name: "Temporary service".into(),
            provider: "Provider".into(),
            sector: "health".into(),
            tier: "universal".into(),
            age_bands: "0-6m".into(),
            levels: "child".into(),
            ..Default::default()
        }
        .validate()
        .unwrap();
        self.store
            .create_service(&self.owner, &self.partnership, &service)
            .await
            .unwrap()
    }

    /// A new report pack of partnership A, with a name of its own.
    async fn fresh_pack(&self) -> String {
        let pack = cradle_domain::report::PackDefinition {
            name: self.unique("pack-"),
            title: "Sample pack".into(),
            author: String::new(),
            introduction: String::new(),
            sections: vec![cradle_domain::report::SectionKind::Summary],
        };
        self.store
            .create_pack(Some(&self.owner), &self.partnership, &pack)
            .await
            .unwrap()
    }

    /// A new snapshot of partnership A holding a small PDF.
    async fn fresh_snapshot(&self) -> String {
        let document = cradle_domain::report::Document {
            title: "Sample report".into(),
            partnership: "Partnership A".into(),
            author: String::new(),
            date: "7 December 2026".into(),
            language: "en-GB".into(),
            introduction: String::new(),
            attribution: "Cradle".into(),
            sections: Vec::new(),
            references: Vec::new(),
        };
        let file = cradle_store::SnapshotFile {
            format: "pdf".into(),
            content: b"%PDF-1.7".to_vec(),
        };
        self.store
            .save_snapshot(
                Some(&self.owner),
                &self.partnership,
                "Pack",
                &document,
                &[file],
            )
            .await
            .unwrap()
    }

    /// A new self-assessment round of partnership A, rated by members.
    async fn fresh_round(&self) -> String {
        self.fresh_round_of(cradle_domain::self_assessment::RaterScope::Members)
            .await
    }

    /// A new self-assessment round of partnership A, rated by anyone with its link.
    async fn fresh_link_round(&self) -> String {
        self.fresh_round_of(cradle_domain::self_assessment::RaterScope::Link)
            .await
    }

    async fn fresh_round_of(&self, scope: cradle_domain::self_assessment::RaterScope) -> String {
        let link = self.unique("link-");
        self.store
            .open_round(
                &self.owner,
                &self.partnership,
                &cradle_domain::self_assessment::RoundSettings {
                    title: "Sample round".into(),
                    characteristics: vec!["shared-understanding".into()],
                    min_raters: 3,
                    scope,
                    anonymous: false,
                },
                (scope == cradle_domain::self_assessment::RaterScope::Link)
                    .then_some(link.as_str()),
            )
            .await
            .unwrap()
    }

    /// A new scenario of partnership A's own.
    async fn fresh_scenario(&self) -> String {
        self.store
            .create_scenario(
                &self.owner,
                &self.partnership,
                &cradle_domain::walkthrough::LocalScenario {
                    title: "Sample scenario".into(),
                    age: cradle_domain::Stage::OneToTwoYears,
                    need: cradle_domain::vocabulary::Tier::Targeted,
                    family: String::new(),
                    situation: "Invented.".into(),
                },
            )
            .await
            .unwrap()
    }

    /// A new walk-through of a national scenario by partnership A.
    async fn fresh_walkthrough(&self) -> String {
        self.store
            .create_walkthrough(
                &self.owner,
                &self.partnership,
                &cradle_store::ScenarioRef {
                    national: true,
                    id: NATIONAL_SCENARIO.into(),
                    title: "Sample".into(),
                },
                &cradle_domain::walkthrough::Walkthrough {
                    who_would_notice: "The midwife".into(),
                    family_experience: String::new(),
                    responses: vec![],
                    gaps: vec!["A gap".into()],
                    risks: vec![],
                },
            )
            .await
            .unwrap()
    }

    /// A running workshop of partnership A with two note items and one participant's
    /// note on the first: (workshop, first item, the note's answer id).
    async fn fresh_workshop(&self) -> (String, String, String) {
        use cradle_domain::workshop::{AgendaItem, Answer, AnswerKind, ItemKind, JoinCode, Move};
        let n = self
            .counter
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let bytes = [(n / 32 / 32) as u8, (n / 32) as u8, n as u8, 1, 2, 3];
        let item = AgendaItem {
            kind: ItemKind::Local,
            reference: None,
            title: "Question".into(),
            answer: AnswerKind::Note,
            options: vec![],
            votes: 0,
            minutes: 5,
            facilitator_notes: String::new(),
            instruction: String::new(),
        };
        let details =
            cradle_domain::workshop::WorkshopDetails::validate("Matrix workshop", "", "").unwrap();
        let workshop = self
            .store
            .create_workshop(
                &self.owner,
                &self.partnership,
                &details,
                None,
                &[item.clone(), item],
                &JoinCode::from_random(bytes),
            )
            .await
            .unwrap();
        self.store
            .move_workshop(&self.owner, &self.partnership, &workshop, Move::Start)
            .await
            .unwrap();
        let items = self.store.workshop_items(&workshop).await.unwrap();
        let participant = self
            .store
            .join_workshop(&workshop, &Default::default())
            .await
            .unwrap();
        let answer = self
            .store
            .submit_answer(
                &workshop,
                &participant.id,
                &items[0].id,
                &Answer::Note("A note".into()),
            )
            .await
            .unwrap();
        (workshop, items[0].id.clone(), answer)
    }

    /// A new action in partnership A's log.
    async fn fresh_action(&self) -> String {
        let action = cradle_domain::actions::Action {
            what: "Do something".into(),
            owner: "Someone".into(),
            due: None,
            status: cradle_domain::actions::ActionStatus::Open,
        };
        self.store
            .create_action(&self.owner, &self.partnership, None, &action)
            .await
            .unwrap()
    }

    /// A valid request for `method path`: the address to call, the form to send and, for
    /// uploads, the file (sent as multipart with the token in the query string).
    async fn sample(
        &self,
        method: &str,
        path: &str,
    ) -> (String, Vec<(String, String)>, Option<Vec<u8>>) {
        let mut address = path.replace("{partnership}", &self.partnership);
        let mut upload = None;
        let service_fields = |key: String| -> Vec<(&str, String)> {
            vec![
                ("key", key),
                ("name", "Sample service".into()),
                ("provider", "Provider".into()),
                ("sector", "health".into()),
                ("tier", "targeted".into()),
                ("age_bands", "0-6m".into()),
                ("age_bands", "6-12m".into()),
                ("levels", "caregiving".into()),
            ]
        };
        if address.contains("{workshop}") {
            let (workshop, item, answer) = self.fresh_workshop().await;
            address = address
                .replace("{workshop}", &workshop)
                .replace("{item}", &item)
                .replace("{answer}", &answer);
        }
        if address.contains("{action}") {
            address = address.replace("{action}", &self.fresh_action().await);
        }
        if address.contains("{pack}") {
            address = address.replace("{pack}", &self.fresh_pack().await);
        }
        if address.contains("{snapshot}") {
            address = address
                .replace("{snapshot}", &self.fresh_snapshot().await)
                .replace("{file}", "pdf");
        }
        let pack_fields = |name: String| -> Vec<(&str, String)> {
            vec![
                ("name", name),
                ("title", "Sample pack".into()),
                ("section", "summary".into()),
                ("position-summary", "1".into()),
            ]
        };
        let item_fields = || -> Vec<(&str, String)> {
            vec![
                ("about", "local".into()),
                ("title", "Sample item".into()),
                ("answer", "note".into()),
                ("minutes", "5".into()),
            ]
        };
        let action_fields = || -> Vec<(&str, String)> {
            vec![
                ("what", "Sample action".into()),
                ("owner", "Sample owner".into()),
                ("status", "open".into()),
            ]
        };
        let form: Vec<(&str, String)> = match (method, path) {
            ("GET", "/partnerships/{partnership}/services/{service}/edit") => {
                address = address.replace("{service}", &self.fresh_service().await);
                vec![]
            }
            (
                "GET",
                "/partnerships/{partnership}/self-assessment/{round}"
                | "/partnerships/{partnership}/self-assessment/{round}/rate",
            ) => {
                address = address.replace("{round}", &self.fresh_round().await);
                vec![]
            }
            ("GET" | "POST", "/partnerships/{partnership}/self-assessment/{round}/link") => {
                address = address.replace("{round}", &self.fresh_link_round().await);
                vec![]
            }
            ("GET", "/partnerships/{partnership}/scenarios/national/{scenario}/walk-through") => {
                address = address.replace("{scenario}", NATIONAL_SCENARIO);
                vec![]
            }
            ("GET", "/partnerships/{partnership}/scenarios/local/{scenario}/walk-through") => {
                address = address.replace("{scenario}", &self.fresh_scenario().await);
                vec![]
            }
            ("GET", "/partnerships/{partnership}/walk-throughs/{walkthrough}") => {
                address = address.replace("{walkthrough}", &self.fresh_walkthrough().await);
                vec![]
            }
            (_, "/partnerships/{partnership}/gaps/action") => {
                // A fresh gap each time: a gap takes one action.
                let walkthrough = self.fresh_walkthrough().await;
                let findings = self
                    .store
                    .walkthrough_findings(&self.partnership)
                    .await
                    .unwrap();
                let finding = findings
                    .iter()
                    .find(|f| f.walkthrough_id == walkthrough)
                    .unwrap();
                let gap = format!("finding:{}", finding.id);
                if method == "GET" {
                    address = format!("{address}?gap={gap}");
                    vec![]
                } else {
                    let mut fields = action_fields();
                    fields.push(("gap", gap));
                    fields
                }
            }
            ("GET", _) => vec![],
            ("POST", "/partnerships/{partnership}/scenarios/new") => vec![
                ("title", "Sample scenario".into()),
                ("age", "1-2y".into()),
                ("need", "targeted".into()),
                ("situation", "Invented.".into()),
            ],
            ("POST", "/partnerships/{partnership}/scenarios/national/{scenario}/walk-through") => {
                address = address.replace("{scenario}", NATIONAL_SCENARIO);
                vec![
                    ("who_would_notice", "The health visitor".into()),
                    ("timing-caregiving", "Within a week".into()),
                    ("gaps", "No evening support".into()),
                ]
            }
            ("POST", "/partnerships/{partnership}/scenarios/local/{scenario}/walk-through") => {
                address = address.replace("{scenario}", &self.fresh_scenario().await);
                vec![("who_would_notice", "The GP".into())]
            }
            ("POST", "/partnerships/{partnership}/self-assessment/new") => vec![
                ("title", "Sample round".into()),
                ("characteristics", "shared-understanding".into()),
                ("min_raters", "3".into()),
                ("scope", "link".into()),
            ],
            ("POST", "/partnerships/{partnership}/self-assessment/{round}/rate") => {
                address = address.replace("{round}", &self.fresh_round().await);
                vec![
                    ("sector", "health".into()),
                    ("level-shared-understanding", "developing".into()),
                    ("evidence-shared-understanding", "Sample evidence".into()),
                ]
            }
            ("POST", "/partnerships/{partnership}/self-assessment/{round}/close") => {
                address = address.replace("{round}", &self.fresh_round().await);
                vec![]
            }
            ("POST", "/partnerships/{partnership}/services/new") => {
                service_fields(self.unique("new-").replace(['@', '.'], "-"))
            }
            ("POST", "/partnerships/{partnership}/services/{service}/edit") => {
                address = address.replace("{service}", &self.fresh_service().await);
                service_fields(self.unique("edited-").replace(['@', '.'], "-"))
            }
            ("POST", "/partnerships/{partnership}/services/{service}/delete") => {
                address = address.replace("{service}", &self.fresh_service().await);
                vec![]
            }
            ("POST", "/partnerships/{partnership}/services/import") => {
                upload = Some(cradle_readers::template_csv().into_bytes());
                vec![]
            }
            ("POST", "/partnerships/{partnership}/workshops/new") => {
                vec![("template", "blank".into()), ("title", "Sample".into())]
            }
            ("POST", "/partnerships/{partnership}/workshops/{workshop}/edit") => {
                vec![("title", "Renamed".into())]
            }
            ("POST", "/partnerships/{partnership}/workshops/{workshop}/delete") => vec![],
            ("POST", "/partnerships/{partnership}/workshops/{workshop}/move") => {
                vec![("to", "next".into())]
            }
            ("POST", "/partnerships/{partnership}/workshops/{workshop}/items/new")
            | ("POST", "/partnerships/{partnership}/workshops/{workshop}/items/{item}/edit") => {
                item_fields()
            }
            ("POST", "/partnerships/{partnership}/workshops/{workshop}/items/{item}/move") => {
                vec![("direction", "down".into())]
            }
            ("POST", "/partnerships/{partnership}/workshops/{workshop}/items/{item}/remove") => {
                vec![]
            }
            ("POST", "/partnerships/{partnership}/workshops/{workshop}/items/{item}/lock") => {
                vec![("locked", "true".into())]
            }
            ("POST", "/partnerships/{partnership}/workshops/{workshop}/answers/{answer}/hide") => {
                vec![("hidden", "true".into())]
            }
            ("POST", "/partnerships/{partnership}/workshops/{workshop}/answers/{answer}/group") => {
                vec![("cluster", "Theme".into())]
            }
            ("POST", "/partnerships/{partnership}/workshops/{workshop}/decisions") => {
                vec![("decision", "Agreed".into())]
            }
            ("POST", "/partnerships/{partnership}/workshops/{workshop}/actions")
            | ("POST", "/partnerships/{partnership}/actions")
            | ("POST", "/partnerships/{partnership}/actions/{action}/edit") => action_fields(),
            ("POST", "/partnerships/{partnership}/reports/packs")
            | ("POST", "/partnerships/{partnership}/reports/packs/{pack}/edit") => {
                pack_fields(self.unique("pack-"))
            }
            ("POST", "/partnerships/{partnership}/reports/packs/{pack}/delete")
            | ("POST", "/partnerships/{partnership}/reports/packs/{pack}/make") => vec![],
            ("POST", "/partnerships/{partnership}/edit") => vec![
                ("name", "Partnership A".into()),
                ("nation", "england".into()),
                ("areas", "E06000001".into()),
            ],
            ("POST", "/partnerships/{partnership}/members/{user}/role") => {
                address = address.replace("{user}", &self.fresh_member().await);
                vec![("role", "contributor".into())]
            }
            ("POST", "/partnerships/{partnership}/members/{user}/remove") => {
                address = address.replace("{user}", &self.fresh_member().await);
                vec![]
            }
            ("POST", "/partnerships/{partnership}/invitations") => {
                vec![("email", self.unique("invited")), ("role", "viewer".into())]
            }
            ("POST", "/partnerships/{partnership}/invitations/{invitation}/revoke") => {
                address = address.replace("{invitation}", &self.fresh_invitation().await);
                vec![]
            }
            // Sent as a file upload (see `UPLOADED_BY`), so no form fields.
            ("POST", "/partnerships/{partnership}/population") => vec![],
            ("POST", "/partnerships/{partnership}/indicators/files") => {
                upload = Some(INDICATOR_FILE.to_vec());
                vec![]
            }
            ("POST", "/partnerships/{partnership}/need/overrides") => vec![
                ("assumption", "perinatal-depression".into()),
                ("area", String::new()),
                ("low", "10".into()),
                ("central", "12".into()),
                ("high", "14".into()),
                ("per", "100".into()),
                ("reason", "Local audit".into()),
            ],
            ("POST", "/admin/users") => vec![
                ("email", self.unique("added")),
                ("display_name", "Added Person".into()),
            ],
            ("POST", "/admin/geography") => {
                upload = Some(GEOGRAPHY_FILE.to_vec());
                vec![]
            }
            ("POST", "/admin/users/{user}/password-link") => {
                address = address.replace("{user}", &self.fresh_member().await);
                vec![]
            }
            _ => panic!("{method} {path} has no sample request: add one to this test"),
        };
        assert!(
            !address.contains('{'),
            "{method} {path} has an unfilled parameter"
        );
        let form = form.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        (address, form, upload)
    }

    async fn audit_count(&self) -> usize {
        self.store.audit_log(&self.partnership).await.unwrap().len()
    }
}

async fn every_route_gives_each_role_exactly_what_its_policy_says(server: &TestServer) {
    let a = TestPartnership::create(server, &PARTNERSHIP_A, "owner@example.org", "Owner A").await;
    TestPartnership::create(server, &PARTNERSHIP_B, "outsider@example.org", "Owner B").await;
    create_user(server, "admin@example.org", "Site Admin", true).await;
    let mut people: Vec<(Who, Browser<'_>)> = vec![(Who::Anonymous, Browser::new(server))];
    for role in [Role::Facilitator, Role::Contributor, Role::Viewer] {
        let email = format!("{}@example.org", role.id());
        let browser = a.signed_in_member(server, &email, role.label(), role).await;
        people.push((Who::Member(role), browser));
    }
    for (who, email) in [
        (Who::Member(Role::Owner), "owner@example.org"),
        (Who::Outsider, "outsider@example.org"),
        (Who::SiteAdmin, "admin@example.org"),
    ] {
        people.push((who, signed_in(server, email).await));
    }
    let fixture = Fixture {
        store: a.store,
        partnership: a.partnership,
        owner: a.owner,
        counter: Default::default(),
    };

    let routes: Vec<_> = cradle_web::route_table()
        .into_iter()
        .filter(|route| matches!(route.access, Access::Partnership(_) | Access::SiteAdmin))
        .collect();
    assert!(
        routes.len() >= 14,
        "the partnership routes are in the table"
    );
    let mut checked = 0;
    for route in &routes {
        for (who, browser) in &people {
            let (address, form, upload) = fixture.sample(route.method, route.path).await;
            let audit_before = fixture.audit_count().await;
            let response = if route.method == "GET" {
                browser.get(&address).await
            } else if (route.method, route.path) == UPLOADED_BY {
                browser
                    .upload(&address, "nomis-mid2023.csv", POPULATION_FILE)
                    .await
            } else if let Some(file) = upload {
                let token = browser.token().await;
                let part = reqwest::multipart::Part::bytes(file).file_name("services.csv");
                browser
                    .client
                    .post(browser.server.url(&format!("{address}?csrf_token={token}")))
                    .header("sec-fetch-site", "same-origin")
                    .multipart(reqwest::multipart::Form::new().part("file", part))
                    .send()
                    .await
                    .unwrap()
            } else {
                let token = browser.token().await;
                let fields: Vec<(&str, &str)> =
                    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                browser.post_with_token(&address, &fields, &token).await
            };
            let status = response.status().as_u16();
            let location = response
                .headers()
                .get("location")
                .map(|l| l.to_str().unwrap().to_owned());
            let got = outcome(status, location.as_deref());
            let want = expected(route.access, *who);
            assert_eq!(
                got,
                want,
                "{} {} as {who:?} ({}): status {status}",
                route.method,
                route.path,
                route.access.describe()
            );
            if want == Outcome::Allowed && route.method == "POST" {
                assert_eq!(
                    status, 303,
                    "POST {} as {who:?} succeeded without redirecting: a reload would repeat it",
                    route.path
                );
            }
            if want != Outcome::Allowed {
                assert_eq!(
                    fixture.audit_count().await,
                    audit_before,
                    "{} {} as {who:?} was refused but changed data",
                    route.method,
                    route.path
                );
            }
            checked += 1;
        }
    }
    assert_eq!(checked, routes.len() * people.len());
}
