//! The sources and glossary sections: a pointer to the references list (which the document
//! builds from every source its sections cite), and the glossary terms the report uses.

use cradle_content::GlossaryTerm;
use cradle_domain::report::{Block, Cell, Column, Section};

use super::{Writer, table};

pub(super) fn write_sources(writer: &mut Writer<'_>) {
    let toolkit = writer.cite(&[super::TOOLKIT_SOURCE.to_owned()]).join("; ");
    writer.paragraph(format!("Every publication this report cites is listed under \u{201c}References\u{201d} at the end, with its authors, title, publisher, year and address, in the order first cited. National facts and published rates carry their citation where they appear, and the partnership's own figures name the file they come from and the day it was imported. Everything here rests on the toolkit Understanding and supporting mental health in infancy and early childhood, by UNICEF UK and PEDAL at the University of Cambridge: {toolkit}."));
}

pub(super) fn write_glossary(others: &[Section], writer: &mut Writer<'_>) {
    let text = words_of(others).to_lowercase();
    let glossary = &writer.content.glossary;
    let mut terms: Vec<&GlossaryTerm> = glossary
        .iter()
        .filter(|term| {
            std::iter::once(&term.term)
                .chain(&term.aliases)
                .any(|phrase| contains_word(&text, &phrase.trim().to_lowercase()))
        })
        .collect();
    if terms.is_empty() {
        writer.paragraph("The report's other sections use none of the toolkit's glossary terms, so the whole glossary is given.");
        terms = glossary.iter().collect();
    } else {
        writer
            .paragraph("The toolkit's glossary terms that this report uses, with what they mean.");
    }
    terms.sort_by_key(|term| term.term.to_lowercase());
    let rows = terms
        .into_iter()
        .map(|term| vec![Cell::text(&term.term), Cell::text(&term.definition)])
        .collect();
    let mut drawn = table(
        "Glossary",
        vec![Column::text("Term"), Column::text("What it means")],
        rows,
    );
    drawn.source = Some(super::toolkit_source(writer, "part 8, the glossary"));
    writer.table(drawn);
}

/// Whether `phrase` appears in `text` as whole words ("care" not inside "careful").
fn contains_word(text: &str, phrase: &str) -> bool {
    if phrase.is_empty() {
        return false;
    }
    text.match_indices(phrase).any(|(start, found)| {
        let before = text[..start].chars().next_back();
        let after = text[start + found.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Every piece of text people read in `sections`, one per line.
pub(crate) fn words_of(sections: &[Section]) -> String {
    let mut words: Vec<&str> = Vec::new();
    for section in sections {
        words.push(&section.title);
        for block in &section.blocks {
            match block {
                Block::Heading { text } | Block::Paragraph { text } | Block::Missing { text } => {
                    words.push(text);
                }
                Block::Bullets { items } => words.extend(items.iter().map(String::as_str)),
                Block::Fact {
                    statement, figure, ..
                } => {
                    words.push(statement);
                    words.extend(figure.as_deref());
                }
                Block::Table(table) => {
                    words.push(&table.caption);
                    words.extend(table.columns.iter().map(|c| c.title.as_str()));
                    words.extend(table.rows.iter().flatten().map(Cell::shown));
                    words.extend(table.source.as_deref());
                }
                Block::Figure(figure) => words.extend([figure.caption.as_str(), &figure.alt]),
            }
        }
    }
    words.join("\n")
}

#[cfg(test)]
mod tests {
    use cradle_domain::report::{Block, Section, SectionKind};

    use super::super::{build, testing::*};
    use super::contains_word;

    fn paragraph(text: &str) -> Section {
        Section {
            kind: SectionKind::Workshops,
            title: "Workshop decisions".into(),
            blocks: vec![Block::Paragraph { text: text.into() }],
        }
    }

    #[test]
    fn only_whole_words_count() {
        assert!(contains_word("we talked of attachment.", "attachment"));
        assert!(!contains_word("detachment", "attachment"));
        assert!(!contains_word("anything", ""));
    }

    #[test]
    fn the_glossary_lists_the_terms_used_elsewhere_in_the_document() {
        let term = &content().glossary.as_slice()[0];
        let others = [paragraph(&format!(
            "We agreed to talk about {} first.",
            term.term.to_uppercase()
        ))];
        let built = build(&empty(), content(), SectionKind::Glossary, Some(&others));
        let glossary = table_captioned(&built.section, "Glossary");
        assert!(
            glossary
                .rows
                .iter()
                .any(|row| shown(row) == [term.term.as_str(), term.definition.as_str()])
        );
        // A shorter term inside it counts too ("mental health" in "infant mental health"),
        // but no term missing from the text is listed.
        let sentence = term.term.to_lowercase();
        for row in &glossary.rows {
            let listed = content()
                .glossary
                .iter()
                .find(|t| t.term == row[0].shown())
                .expect("a glossary term");
            assert!(
                std::iter::once(&listed.term)
                    .chain(&listed.aliases)
                    .any(|phrase| sentence.contains(&phrase.to_lowercase())),
                "{} is not in the text",
                listed.term
            );
        }
    }

    #[test]
    fn with_no_term_used_the_whole_glossary_is_given() {
        let others = [paragraph("Nothing in particular.")];
        let built = build(&empty(), content(), SectionKind::Glossary, Some(&others));
        let glossary = table_captioned(&built.section, "Glossary");
        assert_eq!(glossary.rows.len(), content().glossary.len());
        let terms: Vec<String> = glossary
            .rows
            .iter()
            .map(|r| r[0].shown().to_lowercase())
            .collect();
        let mut sorted = terms.clone();
        sorted.sort();
        assert_eq!(terms, sorted, "alphabetical");
    }

    #[test]
    fn standing_alone_the_glossary_matches_every_other_section() {
        let alone = built(&full(), SectionKind::Glossary).section;
        let glossary = table_captioned(&alone, "Glossary");
        assert!(!glossary.rows.is_empty());
        assert!(glossary.rows.len() < content().glossary.len() || content().glossary.len() < 5);
    }

    #[test]
    fn the_sources_section_points_to_the_references() {
        let section = built(&empty(), SectionKind::Sources).section;
        assert!(text_of(&section).contains("\u{201c}References\u{201d} at the end"));
        let built = built(&empty(), SectionKind::Sources);
        assert_eq!(built.cited, [super::super::TOOLKIT_SOURCE]);
    }
}
