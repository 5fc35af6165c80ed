#![allow(clippy::unwrap_used)]

use super::*;
use proptest::prelude::*;
use time::macros::date;

fn fields(key: &str) -> ServiceFields {
    ServiceFields {
        key: key.into(),
        name: format!("Service {key}"),
        provider: "NHS Trust".into(),
        sector: "health".into(),
        tier: "specialist".into(),
        age_bands: "0-6m; 6-12m; 1-2y".into(),
        levels: "caregiving".into(),
        elements: "being-emotional;becoming-social".into(),
        works_with_relationship: "yes".into(),
        ..ServiceFields::default()
    }
}

#[test]
fn a_complete_row_becomes_a_service_with_terms_in_order() {
    let mut row = fields("PIP-1");
    row.age_bands = "1-2y; 0-6M ;0-6m".into();
    row.areas = "e06000001; E06000002".into();
    row.capacity = " 120 ".into();
    row.funding_end = "31/03/2027".into();
    let service = row.validate().unwrap();
    assert_eq!(
        service.stages,
        [Stage::ZeroToSixMonths, Stage::OneToTwoYears]
    );
    assert_eq!(service.areas.len(), 2);
    assert_eq!(service.capacity_families_per_year, Some(120));
    assert_eq!(service.funding_end, Some(date!(2027 - 03 - 31)));
    assert!(service.works_with_relationship);
    assert_eq!(
        ServiceFields::from_service(&service).validate(),
        Ok(service)
    );
}

#[test]
fn every_problem_is_named_by_field_with_the_allowed_values() {
    let mut row = fields("bad key!");
    row.tier = "tier 9".into();
    row.age_bands = String::new();
    row.capacity = "lots".into();
    row.funding_end = "next year".into();
    let errors = row.validate().unwrap_err();
    let fields: Vec<ServiceField> = errors.iter().map(|e| e.field).collect();
    assert_eq!(
        fields,
        [
            ServiceField::Key,
            ServiceField::Tier,
            ServiceField::AgeBands,
            ServiceField::Capacity,
            ServiceField::FundingEnd
        ]
    );
    assert_eq!(
        errors[1].problem.to_string(),
        "“tier 9” is not a tier of need; expected one of: universal, universal-plus, targeted, specialist, acute"
    );
    assert_eq!(errors[2].to_string(), "Age bands: enter a value");
}

#[test]
fn headings_are_read_forgivingly() {
    assert_eq!(
        "Age bands".parse::<ServiceField>(),
        Ok(ServiceField::AgeBands)
    );
    assert_eq!(" TIER ".parse::<ServiceField>(), Ok(ServiceField::Tier));
    assert!("colour".parse::<ServiceField>().is_err());
}

#[test]
fn dates_are_read_in_both_forms_and_impossible_ones_refused() {
    assert_eq!(parse_date("2027-03-31"), Some(date!(2027 - 03 - 31)));
    assert_eq!(parse_date("1/4/2027"), Some(date!(2027 - 04 - 01)));
    assert_eq!(parse_date("2027-02-30"), None);
    assert_eq!(parse_date("31/03/27"), None);
    assert_eq!(long_date(date!(2027 - 03 - 31)), "31 March 2027");
}

#[test]
fn the_specialist_relationship_gap_reads_as_a_sentence() {
    let mut universal = fields("hv").validate().unwrap();
    universal.tier = Tier::Universal;
    let gaps = specialist_relationship_gap(&[universal]);
    assert_eq!(
        gaps[0].message,
        "No specialist service works with the parent–infant relationship for 0 to 2 year olds"
    );
    assert!(specialist_relationship_gap(&[fields("pip").validate().unwrap()]).is_empty());
}

#[test]
fn an_uncovered_element_names_it_and_the_age_band() {
    let gaps = uncovered_elements(&[fields("pip").validate().unwrap()]);
    assert!(
        gaps.iter().any(|gap| gap.message
            == "No service supports becoming / social for children aged 2 to 3 years")
    );
    assert!(
        !gaps.iter().any(|gap| gap.message
            == "No service supports becoming / social for babies aged 0 to 6 months")
    );
}

#[test]
fn funding_ending_within_a_year_is_one_gap_listing_each_service() {
    let today = date!(2026 - 11 - 23);
    let mut a = fields("a").validate().unwrap();
    a.funding_end = Some(date!(2027 - 03 - 31));
    let mut b = fields("b").validate().unwrap();
    b.funding_end = Some(date!(2026 - 12 - 31));
    let mut later = fields("c").validate().unwrap();
    later.funding_end = Some(date!(2027 - 11 - 24));
    let gaps = funding_ending(&[a, b, later], today);
    assert_eq!(gaps.len(), 1);
    assert_eq!(
        gaps[0].message,
        "Two services' funding has ended or ends within 12 months: Service b (ends 31 December 2026); Service a (ends 31 March 2027)"
    );
    assert!(funding_ending(&[], today).is_empty());
}

fn subset<T: Copy + std::fmt::Debug + 'static>(all: &'static [T]) -> impl Strategy<Value = Vec<T>> {
    proptest::sample::subsequence(all, 0..=all.len())
}

prop_compose! {
    fn any_service()(
        n in 0u32..1000,
        tier in proptest::sample::select(Tier::ALL),
        stages in subset(Stage::ALL),
        levels in subset(EcoLevel::ALL),
        elements in subset(&Element::ALL),
        relationship in any::<bool>(),
        funding_days in proptest::option::of(-400i64..800),
    ) -> Service {
        Service {
            key: format!("s{n}"),
            name: format!("Service {n}"),
            provider: "Provider".into(),
            sector: Sector::Health,
            tier,
            stages,
            levels,
            elements,
            works_with_relationship: relationship,
            areas: Vec::new(),
            eligibility: String::new(),
            referral_from: Vec::new(),
            capacity_families_per_year: None,
            funding_end: funding_days.map(|days| date!(2026 - 11 - 23) + time::Duration::days(days)),
        }
    }
}

proptest! {
    #[test]
    fn adding_a_service_never_opens_a_coverage_gap(
        services in proptest::collection::vec(any_service(), 0..8),
        extra in any_service(),
    ) {
        let today = date!(2026 - 11 - 23);
        let coverage = |services: &[Service]| -> BTreeSet<GapKind> {
            gaps(services, today).into_iter().map(|gap| gap.kind).filter(GapKind::is_coverage).collect()
        };
        let before = coverage(&services);
        let mut more = services.clone();
        more.push(extra);
        let after = coverage(&more);
        // The specialist gap may shrink to fewer age bands; compare by what it covers.
        let missing_bands = |kinds: &BTreeSet<GapKind>| -> Vec<Stage> {
            kinds.iter().flat_map(|kind| match kind {
                GapKind::NoSpecialistRelationshipService(stages) => stages.clone(),
                _ => Vec::new(),
            }).collect()
        };
        for kind in &after {
            if !matches!(kind, GapKind::NoSpecialistRelationshipService(_)) {
                prop_assert!(before.contains(kind), "{kind:?} appeared");
            }
        }
        for stage in missing_bands(&after) {
            prop_assert!(missing_bands(&before).contains(&stage));
        }
    }

    #[test]
    fn each_cell_counts_the_services_that_cover_it(
        services in proptest::collection::vec(any_service(), 0..10),
    ) {
        let by_age = coverage_tier_by_age(&services);
        for tier in Tier::ALL {
            for stage in Stage::ALL {
                let expected = services.iter().filter(|s| s.tier == *tier && s.stages.contains(stage)).count();
                prop_assert_eq!(by_age.count(tier, stage), expected);
            }
        }
        let by_element = coverage_level_by_element(&services);
        for level in EcoLevel::ALL {
            for element in Element::ALL {
                let expected = services.iter().filter(|s| s.levels.contains(level) && s.elements.contains(&element)).count();
                prop_assert_eq!(by_element.count(level, &element), expected);
                let shade = by_element.shade(expected);
                prop_assert!(shade <= 4 && (shade == 0) == (expected == 0));
            }
        }
    }

    #[test]
    fn funding_gaps_name_exactly_the_services_ending_within_a_year(
        services in proptest::collection::vec(any_service(), 0..10),
    ) {
        let today = date!(2026 - 11 - 23);
        let named: Vec<String> = funding_ending(&services, today).into_iter().flat_map(|gap| gap.services).collect();
        let expected = services.iter().filter(|s| s.funding_end.is_some_and(|end| end <= date!(2027 - 11 - 23))).count();
        prop_assert_eq!(named.len(), expected);
    }
}

#[test]
fn an_empty_map_s_gaps_fall_into_sections_by_rule() {
    let sections = gaps_by_rule(gaps(&[], date!(2027 - 01 - 01)));
    let rules: Vec<GapRule> = sections.iter().map(|(rule, _)| *rule).collect();
    assert_eq!(
        rules,
        [
            GapRule::AgeBands,
            GapRule::SpecialistRelationship,
            GapRule::Elements
        ]
    );
    assert_eq!(sections[0].1.len(), Stage::ALL.len());
    assert_eq!(sections[2].1.len(), Stage::ALL.len() * Element::ALL.len());
}

fn referred(key: &str, from: &str) -> Service {
    let mut service = fields(key).validate().unwrap();
    service.referral_from = split_values(from).map(str::to_owned).collect();
    service
}

#[test]
fn referral_routes_resolve_keys_names_and_outside_sources() {
    let services = [
        referred("HV", "GP practices; Midwifery"),
        referred("PIT", "hv; Service HV"),
        referred("LONE", ""),
        referred("MW", ""),
    ];
    let mut named = services[3].clone();
    named.name = "Midwifery".into();
    let services = [
        services[0].clone(),
        services[1].clone(),
        services[2].clone(),
        named,
    ];
    let pathways = referral_pathways(&services);
    assert_eq!(pathways.outside, ["GP practices"]);
    assert_eq!(
        pathways.routes[1],
        ReferralRoute {
            from: Referrer::Service(3),
            to: 0
        }
    );
    assert_eq!(pathways.routes[2].from, Referrer::Service(0));
    assert_eq!(pathways.unconnected, [2]);
    assert!(pathways.loops.is_empty());
}

#[test]
fn loops_are_found_however_long() {
    let services = [
        referred("A", "C"),
        referred("B", "A"),
        referred("C", "B"),
        referred("D", "D"),
        referred("E", "A"),
    ];
    let pathways = referral_pathways(&services);
    assert_eq!(pathways.loops, [vec![0, 1, 2], vec![3]]);
    let into_e = pathways.routes.iter().find(|r| r.to == 4).unwrap();
    assert!(!pathways.in_loop(into_e));
}

proptest! {
    #[test]
    fn every_listed_source_becomes_one_route(
        links in prop::collection::vec(prop::collection::vec(0usize..8, 0..4), 1..8)
    ) {
        let services: Vec<Service> = links
            .iter()
            .enumerate()
            .map(|(i, from)| {
                let sources: Vec<String> = from.iter().map(|f| format!("K{f}")).collect();
                referred(&format!("K{i}"), &sources.join(";"))
            })
            .collect();
        let pathways = referral_pathways(&services);
        let listed: usize = services.iter().map(|s| s.referral_from.len()).sum();
        prop_assert_eq!(pathways.routes.len(), listed);
        for route in &pathways.routes {
            prop_assert!(route.to < services.len());
            if let Referrer::Service(from) = route.from {
                prop_assert!(from < services.len());
            }
        }
        // No service is in two loops.
        let mut seen = std::collections::BTreeSet::new();
        for group in &pathways.loops {
            for member in group {
                prop_assert!(seen.insert(*member));
            }
        }
    }
}

#[test]
fn keys_are_made_from_names() {
    assert_eq!(
        key_from_name("Little Steps (Tees)").as_deref(),
        Some("little-steps-tees")
    );
    assert_eq!(
        key_from_name("  Perinatal  mental health, Hartlepool ").as_deref(),
        Some("perinatal-mental-health-hartlepool")
    );
    assert_eq!(key_from_name("—").as_deref(), None);
    let long = key_from_name(&"a".repeat(200)).unwrap();
    assert_eq!(
        long.len(),
        ServiceFields::KEY_MAX - 3,
        "room for a -2 suffix"
    );
}

#[test]
fn form_messages_say_what_to_do() {
    let missing = |field| {
        ServiceError {
            field,
            problem: FieldProblem::Missing,
        }
        .form_message()
    };
    assert_eq!(missing(ServiceField::Name), "Enter the service's name");
    assert_eq!(
        missing(ServiceField::AgeBands),
        "Choose at least one age band"
    );
    let long = ServiceError {
        field: ServiceField::Name,
        problem: FieldProblem::TooLong { max: 120 },
    };
    assert_eq!(long.form_message(), "Name must be 120 characters or fewer");
}

#[test]
fn levels_are_optional() {
    let mut fields = ServiceFields::default();
    for (field, value) in [
        (ServiceField::Key, "k"),
        (ServiceField::Name, "Little Steps"),
        (ServiceField::Provider, "Council"),
        (ServiceField::Sector, "health"),
        (ServiceField::Tier, "universal"),
        (ServiceField::AgeBands, "0-6m"),
    ] {
        fields.set(field, value.to_owned());
    }
    let service = fields.validate().unwrap();
    assert!(service.levels.is_empty());
}
