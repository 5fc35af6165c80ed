use proptest::prelude::*;

use super::*;

fn code(text: &str) -> AreaCode {
    text.parse().unwrap()
}

fn area(text: &str, name: &str, under_fives: [u64; 5]) -> AreaPopulationView {
    AreaPopulationView {
        area: code(text),
        name: name.to_owned(),
        ages: (0u8..).zip(under_fives).collect(),
        caution: None,
        births: None,
    }
}

/// Hartlepool, mid-2023 (ONS): ages 0 to 4.
fn hartlepool() -> AreaPopulationView {
    area("E06000001", "Hartlepool", [915, 960, 981, 1066, 1081])
}

fn assumption(id: &str, base: PopulationBase, rate: Rate, tier: Tier) -> Assumption {
    Assumption {
        id: id.to_owned(),
        title: id.replace('-', " "),
        base,
        rate,
        tier,
        nations: Vec::new(),
        note: String::new(),
        sources: Vec::new(),
    }
}

fn mild_to_moderate() -> Assumption {
    // A worked rate: 10 to 20 per 100, central 15.
    assumption(
        "mild-to-moderate",
        PopulationBase::Births,
        Rate::new(10.0, 15.0, 20.0, 100).unwrap(),
        Tier::Targeted,
    )
}

fn disorder_aged_2_to_4() -> Assumption {
    assumption(
        "disorder-2-to-4",
        PopulationBase::ChildrenAged { from: 2, to: 4 },
        Rate::new(4.2, 5.5, 6.8, 100).unwrap(),
        Tier::Specialist,
    )
}

fn postpartum_psychosis() -> Assumption {
    assumption(
        "postpartum-psychosis",
        PopulationBase::Births,
        Rate::new(0.89, 2.0, 2.6, 1000).unwrap(),
        Tier::Specialist,
    )
}

#[test]
fn hartlepool_worked_by_hand() {
    let result = estimate(
        &[hartlepool()],
        &[
            mild_to_moderate(),
            disorder_aged_2_to_4(),
            postpartum_psychosis(),
        ],
        &[],
    );
    let lines = &result.areas[0].lines;
    // 915 × 10/100 = 91.5; × 15/100 = 137.25; × 20/100 = 183.
    assert_eq!(lines[0].base_count, 915);
    assert_eq!(
        lines[0].estimate,
        Figures {
            low: 91.5,
            central: 137.25,
            high: 183.0
        }
    );
    assert_eq!(
        lines[0].working,
        "915 babies under 1 × 10–20 per 100 (central 15) = 92–183 (central 137)"
    );
    // 981 + 1,066 + 1,081 = 3,128 children; × 4.2% = 131.4, × 5.5% = 172.0, × 6.8% = 212.7.
    assert_eq!(lines[1].base_count, 3128);
    assert_eq!(
        lines[1].working,
        "3,128 children aged 2–4 × 4.2–6.8 per 100 (central 5.5) = 131–213 (central 172)"
    );
    // 915 × 0.89/1,000 = 0.81; × 2/1,000 = 1.83; × 2.6/1,000 = 2.38: whole children.
    assert_eq!(
        lines[2].working,
        "915 babies under 1 × 0.89–2.6 per 1,000 (central 2) = 1–2 (central 2)"
    );
    assert!(lines.iter().all(|line| line.overridden.is_none()));
}

#[test]
fn live_births_replace_babies_under_one_where_an_area_has_them() {
    // Hartlepool's 901 live births in 2022 (a births file), Middlesbrough's babies only.
    let with_births = AreaPopulationView {
        births: Some(901),
        ..hartlepool()
    };
    let middlesbrough = area("E06000002", "Middlesbrough", [1824, 1900, 1950, 2000, 2050]);
    let result = estimate(
        &[with_births, middlesbrough],
        &[mild_to_moderate(), disorder_aged_2_to_4()],
        &[],
    );
    let lines = &result.areas[0].lines;
    // 901 × 10/100 = 90.1; × 15/100 = 135.15; × 20/100 = 180.2.
    assert_eq!((lines[0].base_count, lines[0].live_births), (901, true));
    assert_eq!(
        lines[0].working,
        "901 live births × 10–20 per 100 (central 15) = 90–180 (central 135)"
    );
    // Rates per child by age are unchanged.
    assert_eq!((lines[1].base_count, lines[1].live_births), (3128, false));
    assert_eq!(result.areas[1].lines[0].base_count, 1824);
    let together = &result.partnership[0];
    assert_eq!(together.base_count, 901 + 1824);
    assert_eq!(together.base, "2,725 live births and babies under 1");
    assert_eq!(result.partnership[1].base, "9,128 children aged 2–4");
}

#[test]
fn lines_are_grouped_by_tier_in_assumption_order() {
    let result = estimate(
        &[hartlepool()],
        &[
            disorder_aged_2_to_4(),
            mild_to_moderate(),
            postpartum_psychosis(),
        ],
        &[],
    );
    let tiers: Vec<(Tier, Vec<&str>)> = result.areas[0]
        .by_tier()
        .into_iter()
        .map(|(tier, lines)| {
            (
                tier,
                lines.iter().map(|line| line.assumption.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(
        tiers,
        [
            (Tier::Targeted, vec!["mild-to-moderate"]),
            (
                Tier::Specialist,
                vec!["disorder-2-to-4", "postpartum-psychosis"]
            ),
        ]
    );
}

#[test]
fn roll_ups_add_areas_up_for_the_partnership_and_each_nation() {
    let populations = [
        hartlepool(),
        area("E06000002", "Middlesbrough", [1824, 1798, 1766, 1830, 1889]),
        area("W06000015", "Cardiff", [3555, 3908, 3760, 3909, 3967]),
        area("K04000001", "England and Wales", [1, 1, 1, 1, 1]),
    ];
    let result = estimate(&populations, &[mild_to_moderate()], &[]);
    let all = &result.partnership[0];
    assert_eq!(all.areas, 4);
    assert_eq!(all.base_count, 915 + 1824 + 3555 + 1);
    assert_eq!(
        all.working,
        "Sum of 4 areas: 6,295 babies under 1 = 630–1,259 (central 944)"
    );
    let england = &result.by_nation[&Nation::England][0];
    assert_eq!(england.base_count, 915 + 1824);
    assert_eq!(england.estimate.central, (915.0 + 1824.0) * 0.15);
    let wales = &result.by_nation[&Nation::Wales][0];
    assert_eq!(
        wales.working,
        "Sum of 1 area: 3,555 babies under 1 = 356–711 (central 533)"
    );
    assert_eq!(
        result.by_nation.keys().copied().collect::<Vec<_>>(),
        [Nation::England, Nation::Wales],
        "nations with no areas are left out; the K code is in no nation"
    );
}

#[test]
fn an_override_replaces_the_published_figures_and_says_why_and_who() {
    let everywhere = Override::new(
        "mild-to-moderate",
        None,
        Rate::new(12.0, 12.0, 12.0, 100).unwrap(),
        "Our 2024 audit of health visiting records",
        "Public health intelligence team",
    )
    .unwrap();
    let cardiff_only = Override::new(
        "mild-to-moderate",
        Some(code("W06000015")),
        Rate::new(20.0, 20.0, 20.0, 100).unwrap(),
        "Cardiff's own survey",
        "Cardiff and Vale UHB",
    )
    .unwrap();
    let result = estimate(
        &[
            hartlepool(),
            area("W06000015", "Cardiff", [3555, 0, 0, 0, 0]),
        ],
        &[mild_to_moderate(), postpartum_psychosis()],
        &[everywhere, cardiff_only],
    );
    let hartlepool_line = &result.areas[0].lines[0];
    assert_eq!(
        hartlepool_line.working,
        "915 babies under 1 × 12 per 100 = 110"
    );
    let note = hartlepool_line.overridden.as_ref().unwrap();
    assert_eq!(note.reason, "Our 2024 audit of health visiting records");
    assert_eq!(note.made_by, "Public health intelligence team");
    assert_eq!(note.published, mild_to_moderate().rate);
    let cardiff_line = &result.areas[1].lines[0];
    assert_eq!(
        cardiff_line.working,
        "3,555 babies under 1 × 20 per 100 = 711"
    );
    assert_eq!(
        cardiff_line.overridden.as_ref().unwrap().made_by,
        "Cardiff and Vale UHB"
    );
    assert!(
        result.areas[0].lines[1].overridden.is_none(),
        "other assumptions keep theirs"
    );
    assert_eq!(
        result.partnership[0].estimate.central,
        915.0 * 0.12 + 3555.0 * 0.2
    );
}

#[test]
fn overrides_need_a_reason_and_an_author() {
    let rate = Rate::new(1.0, 2.0, 3.0, 100).unwrap();
    assert_eq!(
        Override::new("x", None, rate, "  ", "Ann")
            .unwrap_err()
            .to_string(),
        "Give the reason for changing the published figures"
    );
    assert_eq!(
        Override::new("x", None, rate, "Audit", "")
            .unwrap_err()
            .to_string(),
        "Say who is changing the published figures"
    );
}

#[test]
fn rates_are_checked_with_plain_messages() {
    let message =
        |low, central, high, per| Rate::new(low, central, high, per).unwrap_err().to_string();
    assert_eq!(
        message(20.0, 15.0, 25.0, 100),
        "The low figure (20) is above the central figure (15)"
    );
    assert_eq!(
        message(10.0, 15.0, 12.5, 100),
        "The central figure (15) is above the high figure (12.5)"
    );
    assert_eq!(
        message(-1.0, 1.0, 2.0, 100),
        "The low figure (-1) must not be below zero"
    );
    assert_eq!(
        message(100.0, 500.0, 1200.0, 1000),
        "The high figure (1200) is more than 1,000 per 1,000: a rate cannot exceed everyone"
    );
    assert_eq!(
        message(1.0, 1.0, 1.0, 0),
        "A rate must be counted per some number of people, such as per 100 or per 1,000"
    );
    assert_eq!(
        message(f64::NAN, 1.0, 1.0, 100),
        "Each figure must be a number"
    );
}

#[test]
fn evidence_from_another_nation_is_flagged_and_cautions_carry_through() {
    let mut english_evidence = disorder_aged_2_to_4();
    english_evidence.nations = vec![Nation::England];
    let mut edinburgh = area(
        "S12000036",
        "City of Edinburgh",
        [5080, 5427, 5398, 5590, 5688],
    );
    edinburgh.caution = Some("counts are not whole numbers".into());
    let result = estimate(
        &[hartlepool(), edinburgh],
        &[english_evidence, mild_to_moderate()],
        &[],
    );
    let flags: Vec<Vec<bool>> = result
        .areas
        .iter()
        .map(|area| {
            area.lines
                .iter()
                .map(|line| line.evidence_from_elsewhere)
                .collect()
        })
        .collect();
    assert_eq!(flags, [vec![false, false], vec![true, false]]);
    assert_eq!(
        result.areas[1].caution.as_deref(),
        Some("counts are not whole numbers")
    );
}

#[test]
fn bases_describe_themselves_for_people() {
    assert_eq!(PopulationBase::Births.describe(1, false), "1 baby under 1");
    assert_eq!(
        PopulationBase::Births.describe(901, true),
        "901 live births"
    );
    assert_eq!(
        PopulationBase::ChildrenAged { from: 2, to: 2 }.describe(1, false),
        "1 child aged 2"
    );
    assert_eq!(
        PopulationBase::ChildrenAged { from: 0, to: 4 }.describe(5003, false),
        "5,003 children aged 0–4"
    );
    let ages = hartlepool().ages;
    assert_eq!(
        PopulationBase::ChildrenAged { from: 4, to: 2 }.count(&ages),
        0
    );
    assert_eq!(
        PopulationBase::ChildrenAged { from: 0, to: 90 }.count(&ages),
        5003
    );
}

fn any_rate() -> impl Strategy<Value = Rate> {
    (0.0f64..1000.0, 0.0f64..1000.0, 0.0f64..1000.0).prop_map(|(a, b, c)| {
        let mut figures = [a, b, c];
        figures.sort_by(f64::total_cmp);
        Rate::new(figures[0], figures[1], figures[2], 1000).unwrap()
    })
}

fn any_assumptions() -> impl Strategy<Value = Vec<Assumption>> {
    prop::collection::vec((any_rate(), 0u8..5, 0u8..5, any::<bool>()), 1..6).prop_map(|specs| {
        specs
            .into_iter()
            .enumerate()
            .map(|(index, (rate, a, b, births))| {
                let base = if births {
                    PopulationBase::Births
                } else {
                    PopulationBase::ChildrenAged {
                        from: a.min(b),
                        to: a.max(b),
                    }
                };
                assumption(&format!("a{index}"), base, rate, Tier::Targeted)
            })
            .collect()
    })
}

fn any_areas() -> impl Strategy<Value = Vec<AreaPopulationView>> {
    let letters = prop::sample::select(vec!['E', 'W', 'S', 'N', 'K']);
    prop::collection::vec((letters, prop::array::uniform5(0u64..50_000)), 1..12).prop_map(|specs| {
        specs
            .into_iter()
            .enumerate()
            .map(|(index, (letter, ages))| area(&format!("{letter}{index:08}"), "Area", ages))
            .collect()
    })
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

proptest! {
    #[test]
    fn estimates_scale_linearly_with_population(
        areas in any_areas(),
        assumptions in any_assumptions(),
        factor in 1u64..20,
    ) {
        let scaled: Vec<AreaPopulationView> = areas
            .iter()
            .map(|area| AreaPopulationView {
                ages: area.ages.iter().map(|(&age, &count)| (age, count * factor)).collect(),
                ..area.clone()
            })
            .collect();
        let base = estimate(&areas, &assumptions, &[]);
        let bigger = estimate(&scaled, &assumptions, &[]);
        for (small, large) in base.areas.iter().zip(&bigger.areas) {
            for (small, large) in small.lines.iter().zip(&large.lines) {
                let k = factor as f64;
                prop_assert_eq!(large.base_count, small.base_count * factor);
                prop_assert!(close(large.estimate.low, small.estimate.low * k));
                prop_assert!(close(large.estimate.central, small.estimate.central * k));
                prop_assert!(close(large.estimate.high, small.estimate.high * k));
            }
        }
    }

    #[test]
    fn low_never_exceeds_central_nor_central_high(
        areas in any_areas(),
        assumptions in any_assumptions(),
    ) {
        let result = estimate(&areas, &assumptions, &[]);
        let all = result
            .areas
            .iter()
            .flat_map(|area| area.lines.iter().map(|line| line.estimate))
            .chain(result.partnership.iter().map(|roll_up| roll_up.estimate))
            .chain(result.by_nation.values().flatten().map(|roll_up| roll_up.estimate));
        for figures in all {
            prop_assert!(figures.low <= figures.central && figures.central <= figures.high, "{figures:?}");
        }
    }

    #[test]
    fn larger_areas_equal_the_sum_of_their_parts(
        areas in any_areas(),
        assumptions in any_assumptions(),
        picks in prop::collection::vec(prop::collection::vec(any::<bool>(), 12), 1..4),
    ) {
        let result = estimate(&areas, &assumptions, &[]);
        // Each group takes some of the areas, and names one that has no figures.
        let groups: Vec<AreaGroup> = picks
            .iter()
            .enumerate()
            .map(|(number, pick)| AreaGroup {
                code: code(&format!("E12{number:06}")),
                name: format!("Group {number}"),
                kind: "region".into(),
                members: areas
                    .iter()
                    .zip(pick)
                    .filter(|(_, taken)| **taken)
                    .map(|(area, _)| area.area.clone())
                    .chain([code("E06999999")])
                    .collect(),
            })
            .collect();
        for rolled in roll_up_groups(&assumptions, &result, &groups) {
            let members: Vec<&AreaEstimate> = result
                .areas
                .iter()
                .filter(|area| rolled.group.members.contains(&area.area))
                .collect();
            prop_assert_eq!(rolled.found, members.len());
            for (index, whole) in rolled.lines.iter().enumerate() {
                let lines = members.iter().map(|area| &area.lines[index]);
                prop_assert_eq!(whole.areas, members.len());
                prop_assert_eq!(whole.base_count, lines.clone().map(|line| line.base_count).sum::<u64>());
                prop_assert!(close(whole.estimate.low, lines.clone().map(|line| line.estimate.low).sum()));
                prop_assert!(close(whole.estimate.central, lines.clone().map(|line| line.estimate.central).sum()));
                prop_assert!(close(whole.estimate.high, lines.map(|line| line.estimate.high).sum()));
            }
        }
    }

    #[test]
    fn roll_ups_equal_the_sum_of_their_parts(
        areas in any_areas(),
        assumptions in any_assumptions(),
    ) {
        let result = estimate(&areas, &assumptions, &[]);
        for (index, whole) in result.partnership.iter().enumerate() {
            let lines = result.areas.iter().map(|area| &area.lines[index]);
            prop_assert_eq!(whole.base_count, lines.clone().map(|line| line.base_count).sum::<u64>());
            prop_assert!(close(whole.estimate.central, lines.clone().map(|line| line.estimate.central).sum()));
            prop_assert!(close(whole.estimate.low, lines.clone().map(|line| line.estimate.low).sum()));
            prop_assert!(close(whole.estimate.high, lines.map(|line| line.estimate.high).sum()));
            // Each nation's roll-up is its areas' sum, and the nations with the cross-nation
            // areas make up the whole.
            let mut nations_and_k = 0.0;
            for (nation, roll_ups) in &result.by_nation {
                let own: f64 = result
                    .areas
                    .iter()
                    .filter(|area| area.nation == Some(*nation))
                    .map(|area| area.lines[index].estimate.central)
                    .sum();
                prop_assert!(close(roll_ups[index].estimate.central, own));
                nations_and_k += roll_ups[index].estimate.central;
            }
            nations_and_k += result
                .areas
                .iter()
                .filter(|area| area.nation.is_none())
                .map(|area| area.lines[index].estimate.central)
                .sum::<f64>();
            prop_assert!(close(whole.estimate.central, nations_and_k));
        }
    }
}

#[test]
fn separators_every_three_digits() {
    assert_eq!(with_separators(0), "0");
    assert_eq!(with_separators(915), "915");
    assert_eq!(with_separators(3128), "3,128");
    assert_eq!(with_separators(60_854_727), "60,854,727");
}

#[test]
fn places_compare_per_thousand_residents_with_the_partnership_and_the_nation() {
    let mut small = area("E06000002", "Middlesbrough", [100, 100, 100, 100, 100]);
    small.ages.insert(30, 500);
    let mut large = hartlepool();
    large.ages.insert(40, 5_000);
    let mut england = area("E92000001", "ENGLAND", [1_000, 0, 0, 0, 0]);
    england.ages.insert(50, 9_000);
    let assumptions = [mild_to_moderate()];
    let local = [large.clone(), small.clone()];
    let local_result = estimate(&local, &assumptions, &[]);
    let nations = [england];
    let nation_result = estimate(&nations, &assumptions, &[]);
    let table = per_thousand(
        &assumptions,
        (&local, &local_result),
        (&nations, &nation_result),
    );
    assert_eq!(
        table.columns,
        [
            "Hartlepool",
            "Middlesbrough",
            "The partnership",
            "ENGLAND (published rates)"
        ]
    );
    let hartlepool_residents = 915 + 960 + 981 + 1066 + 1081 + 5_000;
    assert_eq!(
        table.residents,
        [
            hartlepool_residents,
            1_000,
            hartlepool_residents + 1_000,
            10_000
        ]
    );
    let (label, babies) = &table.rows[0];
    assert_eq!(label, "Babies under 1, per 1,000 residents");
    assert!(close(babies[1].unwrap(), 100.0));
    assert!(close(babies[3].unwrap(), 100.0));
    assert!(close(
        babies[2].unwrap(),
        1015.0 * 1000.0 / (hartlepool_residents + 1_000) as f64
    ));
    let (label, children) = &table.rows[1];
    assert_eq!(label, "Children aged 0–4, per 1,000 residents");
    assert!(close(children[1].unwrap(), 500.0));
    let (label, central) = &table.rows[2];
    assert_eq!(
        label,
        "mild to moderate: central estimate per 1,000 residents"
    );
    // 15 per 100 of 100 babies in 1,000 residents.
    assert!(close(central[1].unwrap(), 15.0));
    assert!(close(central[3].unwrap(), 15.0));
}

#[test]
fn a_place_without_residents_has_no_figure_rather_than_zero() {
    let empty = area("E06000002", "Middlesbrough", [0, 0, 0, 0, 0]);
    let assumptions = [mild_to_moderate()];
    let result = estimate(std::slice::from_ref(&empty), &assumptions, &[]);
    let none = estimate(&[], &assumptions, &[]);
    let table = per_thousand(
        &assumptions,
        (std::slice::from_ref(&empty), &result),
        (&[], &none),
    );
    assert_eq!(table.columns, ["Middlesbrough"]);
    assert!(table.rows.iter().all(|(_, cells)| cells == &[None]));
}

#[test]
fn counts_are_whole_people_and_small_rates_never_read_as_none() {
    assert_eq!(people(3.5), "4");
    assert_eq!(people(10.4), "10");
    assert_eq!(people(0.3), "fewer than 1");
    assert_eq!(people(0.0), "0");
    assert_eq!(people(3127.6), "3,128");
    assert_eq!(per_thousand_figure(0.04), "less than 0.1");
    assert_eq!(per_thousand_figure(0.06), "0.1");
    assert_eq!(per_thousand_figure(0.0), "0.0");
    assert_eq!(per_thousand_figure(12.345), "12.3");
}
