//! A partnership's referral pathway: its services in columns by tier of need, with an arrow
//! for each referral route, drawn from the service map's "referred from" lists.
//!
//! Sources not on the map come first, in their own column. Routes that run backwards (to a
//! lower tier) or within a column curve round the right of the boxes, so loops stay
//! readable; routes in a loop are dashed and services with no route have a dashed outline,
//! so neither relies on colour. The outline gives every route in words.

use cradle_domain::services::{Referrer, Service, referral_pathways};
use cradle_domain::vocabulary::Tier;

use crate::Diagram;
use crate::svg::{
    Anchor, BORDER, Font, Paint, SECONDARY, Svg, TEAL, TEAL_DARK, TEXT, TINT_1, WHITE, and_list,
    document, heading, num, wrap,
};

pub const ID: &str = "referral-pathway";

const MARGIN: f32 = 32.0;
const BOX_WIDTH: f32 = 210.0;
const COLUMN_GAP: f32 = 90.0;
const BOX_GAP: f32 = 22.0;
const PADDING: f32 = 8.0;

/// One box: its column, text and place.
struct Node {
    column: usize,
    lines: Vec<String>,
    top: f32,
    height: f32,
    dashed: bool,
}

impl Node {
    fn x(&self) -> f32 {
        MARGIN + self.column as f32 * (BOX_WIDTH + COLUMN_GAP)
    }
    fn middle(&self) -> f32 {
        self.top + self.height / 2.0
    }
}

/// The referral pathway of `partnership`'s `services`.
pub fn referral_pathway(partnership: &str, services: &[Service]) -> Diagram {
    let pathways = referral_pathways(services);
    let tiers: Vec<Tier> = Tier::ALL
        .iter()
        .copied()
        .filter(|tier| services.iter().any(|s| s.tier == *tier))
        .collect();
    let outside_column = usize::from(!pathways.outside.is_empty());
    let mut headings: Vec<String> = Vec::new();
    if outside_column == 1 {
        headings.push("Not on the map".to_owned());
    }
    headings.extend(tiers.iter().map(|t| t.label().to_owned()));
    let columns = headings.len().max(1);
    let width = (MARGIN * 2.0
        + columns as f32 * BOX_WIDTH
        + (columns - 1) as f32 * COLUMN_GAP
        + COLUMN_GAP)
        .max(760.0);

    let title = format!("Referral pathway of {partnership}");
    let subtitle = "Arrows run from the service that refers to the service referred to. Dashed arrows are routes in a loop; a dashed box has no route recorded.";
    let mut svg = Svg::new();
    svg.raw(&format!(
        r#"<defs><marker id="cradle-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="{TEXT}"/></marker></defs>"#
    ));
    let mut y = heading(&mut svg, MARGIN, width - MARGIN * 2.0, &title, subtitle) + 16.0;
    let head_font = Font::bold(15.0);
    for (column, text) in headings.iter().enumerate() {
        let x = MARGIN + column as f32 * (BOX_WIDTH + COLUMN_GAP);
        svg.text(
            x,
            y,
            &wrap(text, BOX_WIDTH, head_font),
            head_font,
            TEAL_DARK,
            Anchor::Start,
        );
    }
    y += head_font.block_height(2) + 8.0;

    let font = Font::regular(14.0);
    let mut tops = vec![y; columns];
    let mut place = |column: usize, text: &str, dashed: bool| {
        let lines = wrap(text, BOX_WIDTH - PADDING * 2.0, font);
        let height = font.block_height(lines.len()) + PADDING * 2.0;
        let node = Node {
            column,
            lines,
            top: tops[column],
            height,
            dashed,
        };
        tops[column] += height + BOX_GAP;
        node
    };
    let outside: Vec<Node> = pathways
        .outside
        .iter()
        .map(|name| place(0, name, false))
        .collect();
    let nodes: Vec<Node> = services
        .iter()
        .enumerate()
        .map(|(index, service)| {
            let column =
                outside_column + tiers.iter().position(|t| *t == service.tier).unwrap_or(0);
            place(column, &service.name, pathways.unconnected.contains(&index))
        })
        .collect();
    let height = tops.iter().copied().fold(y, f32::max) + MARGIN;

    let mut described = Vec::new();
    for route in &pathways.routes {
        let to = &nodes[route.to];
        let (from, from_name) = match &route.from {
            Referrer::Service(index) => (&nodes[*index], services[*index].name.clone()),
            Referrer::Outside(name) => {
                let index = pathways
                    .outside
                    .iter()
                    .position(|o| o.eq_ignore_ascii_case(name))
                    .unwrap_or(0);
                (&outside[index], name.clone())
            }
        };
        let looped = pathways.in_loop(route);
        let d = if to.column > from.column {
            let (x1, y1) = (from.x() + BOX_WIDTH, from.middle());
            let (x2, y2) = (to.x() - 2.0, to.middle());
            let bend = (x2 - x1) / 2.0;
            format!(
                "M{} {}C{} {} {} {} {} {}",
                num(x1),
                num(y1),
                num(x1 + bend),
                num(y1),
                num(x2 - bend),
                num(y2),
                num(x2),
                num(y2)
            )
        } else {
            // Backwards or within a column: out of the right of one box, round, and into
            // the right of the other.
            let (x1, y1) = (from.x() + BOX_WIDTH, from.middle() - 6.0);
            let (x2, y2) = (to.x() + BOX_WIDTH + 2.0, to.middle() + 6.0);
            let reach = x1.max(x2) + COLUMN_GAP * 0.6;
            format!(
                "M{} {}C{} {} {} {} {} {}",
                num(x1),
                num(y1),
                num(reach),
                num(y1),
                num(reach),
                num(y2),
                num(x2),
                num(y2)
            )
        };
        let paint = Paint {
            fill: "none",
            stroke: Some((TEXT, 1.5)),
            dashed: looped,
        };
        svg.raw(&format!(
            r#"<path d="{d}" fill="none" stroke="{TEXT}" stroke-width="1.5"{} marker-end="url(#cradle-arrow)"/>"#,
            if paint.dashed {
                r#" stroke-dasharray="6 4""#
            } else {
                ""
            }
        ));
        described.push(format!(
            "{from_name} refers to {}{}",
            services[route.to].name,
            if looped { " (part of a loop)" } else { "" }
        ));
    }
    for node in outside.iter().chain(&nodes) {
        let paint = if node.dashed {
            Paint::outlined(WHITE, SECONDARY, 1.5).dashed()
        } else if node.column < outside_column {
            Paint::outlined(TINT_1, BORDER, 1.5)
        } else {
            Paint::outlined(WHITE, TEAL, 1.5)
        };
        svg.rect(node.x(), node.top, BOX_WIDTH, node.height, 4.0, paint);
        svg.text(
            node.x() + PADDING,
            node.top + PADDING,
            &node.lines,
            font,
            TEXT,
            Anchor::Start,
        );
    }

    let description = if pathways.routes.is_empty() {
        format!(
            "No referral routes are recorded for the {} services on the map.",
            services.len()
        )
    } else {
        let mut text = format!(
            "{} referral routes between {} services{}.",
            pathways.routes.len(),
            services.len(),
            if pathways.outside.is_empty() {
                String::new()
            } else {
                format!(" and {} sources not on the map", pathways.outside.len())
            }
        );
        if !pathways.loops.is_empty() {
            text.push_str(&format!(" {} loop(s) of referrals.", pathways.loops.len()));
        }
        text
    };
    let mut outline = vec![("Referral routes".to_owned(), described)];
    if !pathways.loops.is_empty() {
        outline.push((
            "Loops".to_owned(),
            pathways
                .loops
                .iter()
                .map(|group| {
                    let names: Vec<&str> =
                        group.iter().map(|i| services[*i].name.as_str()).collect();
                    and_list(&names)
                })
                .collect(),
        ));
    }
    if !pathways.unconnected.is_empty() {
        outline.push((
            "No referral route recorded".to_owned(),
            pathways
                .unconnected
                .iter()
                .map(|i| services[*i].name.clone())
                .collect(),
        ));
    }
    let width = width.ceil() as u32;
    let height = height.ceil() as u32;
    Diagram {
        id: ID,
        svg: document(ID, width, height, &title, &description, &svg.into_body()),
        title,
        description,
        width,
        height,
        outline,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::tests::{assert_accessible_svg, svg_text};
    use cradle_domain::services::ServiceFields;

    fn service(key: &str, tier: &str, from: &str) -> Service {
        ServiceFields {
            key: key.into(),
            name: format!("{key} service"),
            provider: "Provider".into(),
            sector: "health".into(),
            tier: tier.into(),
            age_bands: "0-6m".into(),
            levels: "caregiving".into(),
            referral_from: from.into(),
            ..ServiceFields::default()
        }
        .validate()
        .unwrap()
    }

    #[test]
    fn routes_loops_and_lone_services_are_drawn_and_written_out() {
        let services = [
            service("HV", "universal", "GP practices; PIT"),
            service("PIT", "specialist", "HV"),
            service("LONE", "targeted", ""),
        ];
        let diagram = referral_pathway("Tees", &services);
        assert_accessible_svg(&diagram);
        let text = svg_text(&diagram.svg);
        assert!(text.contains("GP practices"));
        assert!(text.contains("Not on the map"));
        assert_eq!(diagram.svg.matches("marker-end").count(), 3);
        assert_eq!(diagram.svg.matches("stroke-dasharray=\"6 4\"").count(), 2);
        assert_eq!(
            diagram.outline[0].1,
            [
                "GP practices refers to HV service",
                "PIT service refers to HV service (part of a loop)",
                "HV service refers to PIT service (part of a loop)",
            ]
        );
        assert_eq!(diagram.outline[1].1, ["HV service and PIT service"]);
        assert_eq!(diagram.outline[2].1, ["LONE service"]);
    }

    #[test]
    fn an_empty_map_still_draws() {
        let diagram = referral_pathway("Tees", &[]);
        assert!(diagram.svg.starts_with("<svg"));
        assert!(diagram.description.starts_with("No referral routes"));
    }
}
