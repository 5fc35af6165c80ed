//! The referral pathway: the diagram of who refers to whom, the same routes as a table, the
//! loops, and services with no route in or out.

use cradle_domain::report::{Cell, Column, Table};
use cradle_domain::services::{Pathways, Referrer, referral_pathways};

use super::framework::figure_of;
use super::services::map_source;
use super::{Writer, notes, table};
use crate::gather::Picture;

pub(super) fn write(picture: &Picture, writer: &mut Writer<'_>) {
    let services = &picture.services;
    if services.is_empty() {
        writer.missing(notes::SERVICES);
        return;
    }
    let pathways = referral_pathways(services);
    if pathways.routes.is_empty() {
        writer.missing(notes::ROUTES);
        return;
    }
    writer.paragraph("Who refers families to whom, from each service's \u{201c}referred from\u{201d} list on the service map. Sources not on the map (such as GP practices) are shown in a column of their own.");
    writer.figure(figure_of(
        cradle_diagrams::referral_pathway(&picture.partnership.name, services),
        format!("Referral pathway of {}", picture.partnership.name),
    ));
    writer.table(routes_table(picture, &pathways));
    let names = |indexes: &[usize]| -> Vec<String> {
        indexes.iter().map(|i| services[*i].name.clone()).collect()
    };
    if !pathways.loops.is_empty() {
        writer.heading("Loops");
        writer.paragraph("These services refer round in a loop. A loop is not wrong in itself (stepping up and down), but check that families do not go round it without help.");
        writer.bullets(
            pathways
                .loops
                .iter()
                .map(|group| super::and_list(&names(group)))
                .collect(),
        );
    }
    if !pathways.unconnected.is_empty() {
        writer.heading("Services with no route");
        writer.paragraph("No route in or out of these services is recorded: either families reach them some other way, or the map is missing a route.");
        writer.bullets(names(&pathways.unconnected));
    }
}

/// Each route in words, as the diagram draws it.
fn routes_table(picture: &Picture, pathways: &Pathways) -> Table {
    let services = &picture.services;
    let name = |referrer: &Referrer| match referrer {
        Referrer::Service(index) => services[*index].name.clone(),
        Referrer::Outside(source) => format!("{source} (not on the map)"),
    };
    let rows = pathways
        .routes
        .iter()
        .map(|route| {
            vec![
                Cell::text(name(&route.from)),
                Cell::text(&services[route.to].name),
                Cell::text(if pathways.in_loop(route) { "Yes" } else { "No" }),
            ]
        })
        .collect();
    let mut routes = table(
        "Referral routes",
        vec![
            Column::text("Referred from"),
            Column::text("Referred to"),
            Column::text("Part of a loop"),
        ],
        rows,
    );
    routes.source = Some(map_source(picture));
    routes
}

#[cfg(test)]
mod tests {
    use cradle_domain::report::SectionKind;

    use super::super::testing::*;

    #[test]
    fn the_pathway_is_a_figure_with_its_routes_and_loops_in_words() {
        let section = built(&full(), SectionKind::Pathway).section;
        let figure = figures(&section)[0];
        assert_eq!(figure.slug, "referral-pathway");
        assert!(
            figure.svg.contains("=SUM(A1) &lt;b&gt;#1&lt;/b&gt;"),
            "escaped in the SVG"
        );
        let routes = table_captioned(&section, "Referral routes");
        assert_eq!(
            shown(row_starting(routes, "GP practices (not on the map)")),
            ["GP practices (not on the map)", "Health visiting", "No"]
        );
        assert!(
            routes
                .rows
                .iter()
                .any(|row| shown(row) == [AWKWARD, AWKWARD, "Yes"])
        );
        assert!(headings(&section).contains(&"Loops".to_owned()));
    }

    #[test]
    fn services_without_routes_or_no_services_say_what_to_do() {
        let section = built(&empty(), SectionKind::Pathway).section;
        assert!(missing(&section)[0].contains("Service map page"));
        let mut picture = full();
        for service in &mut picture.services {
            service.referral_from.clear();
        }
        let section = built(&picture, SectionKind::Pathway).section;
        assert!(missing(&section)[0].contains("Referred from"));
        assert!(figures(&section).is_empty());
    }
}
