//! The service map: every service, the coverage matrices (tier by age band, ecological level
//! by framework element) and the gaps the coverage rules find, grouped by rule.

use cradle_domain::report::{Cell, Column, Table};
use cradle_domain::services::{
    Matrix, Service, coverage_level_by_element, coverage_tier_by_age, gaps, gaps_by_rule, long_date,
};

use super::{Writer, count_of, notes, table};
use crate::gather::Picture;

/// Where the service map's figures come from.
pub(crate) fn map_source(picture: &Picture) -> String {
    format!(
        "The partnership's service map in Cradle, as at {}",
        long_date(picture.today)
    )
}

pub(super) fn write(picture: &Picture, writer: &mut Writer<'_>) {
    if picture.services.is_empty() {
        writer.missing(notes::SERVICES);
        return;
    }
    writer.paragraph(format!(
        "The partnership's map holds {}, each with the tier of need it meets, the age bands it serves, the levels of the socio-ecological model it works at and the elements of the framework it supports.",
        count_of(picture.services.len(), "service", "services")
    ));
    writer.table(services_table(picture));
    writer.heading("Coverage");
    writer.paragraph("How many services there are in each cell. An empty cell is not always a gap (no service is expected everywhere), but each is worth a look.");
    let by_age = coverage_tier_by_age(&picture.services);
    writer.table(matrix_table(
        "Number of services at each tier of need, by age band",
        "Tier of need",
        &by_age,
        |tier| tier.label().to_owned(),
        |stage| stage.label().to_owned(),
        picture,
    ));
    let by_element = coverage_level_by_element(&picture.services);
    writer.table(matrix_table(
        "Number of services at each ecological level, by framework element supported",
        "Ecological level",
        &by_element,
        |level| level.label().to_owned(),
        |element| element.label(),
        picture,
    ));
    writer.heading("Gaps");
    gaps_table(picture, writer);
}

fn yes_no(value: bool) -> &'static str {
    if value { "Yes" } else { "No" }
}

fn joined<T>(items: &[T], label: impl Fn(&T) -> String) -> String {
    items.iter().map(label).collect::<Vec<_>>().join(", ")
}

fn service_row(service: &Service) -> Vec<Cell> {
    vec![
        Cell::text(&service.name),
        Cell::text(&service.provider),
        Cell::text(service.sector.label()),
        Cell::text(service.tier.label()),
        Cell::text(joined(&service.stages, |s| s.label().to_owned())),
        Cell::text(joined(&service.levels, |l| l.label().to_owned())),
        Cell::text(joined(&service.elements, |e| e.label())),
        Cell::text(yes_no(service.works_with_relationship)),
        Cell::text(joined(&service.areas, |area| area.label().to_string())),
        Cell::text(&service.eligibility),
        Cell::text(service.referral_from.join(", ")),
        service
            .capacity_families_per_year
            .map_or_else(|| Cell::text("Not given"), |n| Cell::count(u64::from(n))),
        Cell::text(
            service
                .funding_end
                .map_or_else(|| "Not given".to_owned(), long_date),
        ),
    ]
}

fn services_table(picture: &Picture) -> Table {
    let mut drawn = table(
        "The services on the map",
        vec![
            Column::text("Service"),
            Column::text("Provider"),
            Column::text("Sector"),
            Column::text("Tier of need"),
            Column::text("Age bands"),
            Column::text("Ecological levels"),
            Column::text("Framework elements"),
            Column::text("Works with the parent–infant relationship"),
            Column::text("Areas"),
            Column::text("Eligibility"),
            Column::text("Referred from"),
            Column::number("Capacity (families a year)"),
            Column::text("Funding ends"),
        ],
        picture.services.iter().map(service_row).collect(),
    );
    drawn.sheet = Some("Services".to_owned());
    drawn.source = Some(map_source(picture));
    drawn
}

fn matrix_table<R: PartialEq, C: PartialEq>(
    caption: &str,
    corner: &str,
    matrix: &Matrix<R, C>,
    row_label: impl Fn(&R) -> String,
    column_label: impl Fn(&C) -> String,
    picture: &Picture,
) -> Table {
    let mut columns = vec![Column::text(corner)];
    columns.extend(
        matrix
            .columns
            .iter()
            .map(|c| Column::number(column_label(c))),
    );
    let rows = matrix
        .rows
        .iter()
        .zip(&matrix.counts)
        .map(|(row, counts)| {
            std::iter::once(Cell::text(row_label(row)))
                .chain(counts.iter().map(|count| Cell::count(*count as u64)))
                .collect()
        })
        .collect();
    let mut drawn = table(caption, columns, rows);
    drawn.source = Some(map_source(picture));
    drawn
}

/// The gaps the coverage rules find, by rule, each with the action that answers it.
fn gaps_table(picture: &Picture, writer: &mut Writer<'_>) {
    let found = gaps(&picture.services, picture.today);
    if found.is_empty() {
        writer.paragraph("The coverage rules find no gaps in the service map.");
        return;
    }
    let sections = gaps_by_rule(found);
    let counts: Vec<String> = sections
        .iter()
        .map(|(rule, gaps)| format!("{} ({})", rule.title(), gaps.len()))
        .collect();
    writer.paragraph(format!(
        "The coverage rules find gaps of these kinds: {}.",
        super::and_list(&counts)
    ));
    let mut rows = Vec::new();
    for (rule, gaps) in &sections {
        for gap in gaps {
            let action = picture
                .coverage_actions
                .get(&gap.message)
                .cloned()
                .unwrap_or_else(|| "No action yet".to_owned());
            rows.push(vec![
                Cell::text(rule.title()),
                Cell::text(&gap.message),
                Cell::text(action),
            ]);
        }
    }
    let mut drawn = table(
        "Gaps in the service map, by the rule that found them",
        vec![
            Column::text("Rule"),
            Column::text("Gap"),
            Column::text("Action"),
        ],
        rows,
    );
    drawn.sheet = Some("Gaps".to_owned());
    drawn.source = Some(map_source(picture));
    writer.table(drawn);
}

#[cfg(test)]
mod tests {
    use cradle_domain::report::SectionKind;

    use super::super::testing::*;

    #[test]
    fn every_service_fills_the_services_sheet_verbatim() {
        let section = built(&full(), SectionKind::Services).section;
        let services = sheet(&section, "Services");
        assert_eq!(services.rows.len(), 2);
        let awkward = row_starting(services, AWKWARD);
        assert_eq!(awkward[3].shown(), "Specialist");
        assert_eq!(awkward[11].shown(), "4,000");
        assert_eq!(awkward[12].shown(), "31 March 2027");
        assert!(
            services
                .source
                .as_deref()
                .is_some_and(|s| s.ends_with("7 December 2026"))
        );
    }

    #[test]
    fn the_coverage_matrices_count_services_in_each_cell() {
        let section = built(&full(), SectionKind::Services).section;
        let by_age = table_captioned(
            &section,
            "Number of services at each tier of need, by age band",
        );
        let specialist = row_starting(by_age, "Specialist");
        assert_eq!(
            shown(specialist),
            ["Specialist", "0", "1", "0", "0", "0", "0"]
        );
        assert_eq!(by_age.columns[1].title, "Pregnancy");
    }

    #[test]
    fn gaps_are_grouped_by_rule_with_their_actions() {
        let section = built(&full(), SectionKind::Services).section;
        let gaps = sheet(&section, "Gaps");
        let pregnancy = gaps
            .rows
            .iter()
            .find(|row| row[1].shown() == "No service on the map works in pregnancy")
            .expect("the pregnancy gap");
        assert_eq!(pregnancy[0].shown(), "Age bands with no service");
        assert_eq!(pregnancy[2].shown(), "Open: Commission antenatal support");
        assert!(
            gaps.rows
                .iter()
                .any(|row| row[0].shown() == "Funding ending")
        );
        assert!(
            gaps.rows
                .iter()
                .any(|row| row[2].shown() == "No action yet")
        );
    }

    #[test]
    fn no_services_says_where_to_add_them() {
        let section = built(&empty(), SectionKind::Services).section;
        assert_eq!(missing(&section).len(), 1);
        assert!(tables(&section).is_empty(), "no table of zeros");
    }
}
