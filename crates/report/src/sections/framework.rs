//! The framework: the toolkit's being and becoming framework (national: no partnership has a
//! local framework yet), as its diagram and as a table of its elements.

use cradle_diagrams::Diagram;
use cradle_domain::report::{Cell, Column, Figure};

use super::{Writer, table};

/// A toolkit diagram as a report figure.
pub(crate) fn figure_of(diagram: Diagram, caption: String) -> Figure {
    Figure {
        caption,
        alt: diagram.description,
        svg: diagram.svg,
        slug: diagram.id.to_owned(),
    }
}

pub(super) fn write(writer: &mut Writer<'_>) {
    let content = writer.content;
    writer.paragraph("The toolkit describes what it means for a baby or young child to be mentally healthy in two dimensions: being (mental health now) and becoming (the capacities developing for later), each in three domains: emotional, social and behavioural. All six elements live in the child's relationships with the adults who care for them. This is the national framework; the partnership has not adapted it into a local one.");
    writer.figure(figure_of(
        cradle_diagrams::framework(content),
        "The being and becoming framework".to_owned(),
    ));
    let rows = content
        .elements
        .iter()
        .map(|element| {
            let cited = writer.cite(&element.sources);
            vec![
                Cell::text(element.dimension.label()),
                Cell::text(element.domain.label()),
                Cell::text(&element.title),
                Cell::text(&element.summary),
                Cell::text(cited.join("; ")),
            ]
        })
        .collect();
    let mut elements = table(
        "The elements of the framework",
        vec![
            Column::text("Dimension"),
            Column::text("Domain"),
            Column::text("Element"),
            Column::text("What it means"),
            Column::text("Sources"),
        ],
        rows,
    );
    elements.source = Some(super::toolkit_source(writer, "part 3"));
    writer.table(elements);
}

#[cfg(test)]
mod tests {
    use cradle_domain::report::SectionKind;

    use super::super::testing::*;

    #[test]
    fn the_framework_is_its_diagram_and_its_cited_elements() {
        let built = built(&empty(), SectionKind::Framework);
        let figures = figures(&built.section);
        assert_eq!(figures[0].slug, "framework");
        assert!(figures[0].svg.starts_with("<svg"));
        let elements = table_captioned(&built.section, "The elements of the framework");
        assert_eq!(elements.rows.len(), content().elements.len());
        assert!(
            elements
                .rows
                .iter()
                .any(|row| row[2].shown() == "Feeling safe, soothed and comforted")
        );
        assert!(!built.cited.is_empty());
        assert!(
            elements
                .rows
                .iter()
                .any(|row| row[4].shown().contains("Bowlby (1969)")),
            "each element cites its sources"
        );
        assert_eq!(
            elements.source.as_deref(),
            Some("The toolkit (part 3): Hogg and others (2023)")
        );
    }
}
