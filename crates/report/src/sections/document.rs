//! The whole document a pack defines: its sections in the chosen order, the credit every page
//! carries, and the references list of every source the sections cite.

use cradle_content::Content;
use cradle_domain::report::{Document, PackDefinition, Section, SectionKind};
use cradle_domain::services::long_date;
use time::Date;

use super::cite::reference;
use super::{Built, Citations, build};
use crate::gather::Picture;

/// The toolkit every report rests on, as its credit names it.
const TOOLKIT: &str = "Understanding and supporting mental health in infancy and early childhood: a toolkit to support local action in the UK (UNICEF UK and PEDAL, University of Cambridge, 2023)";

/// The whole document a pack defines (pure).
pub fn document(
    picture: &Picture,
    content: &Content,
    pack: &PackDefinition,
    today: Date,
) -> Document {
    let built = sections(picture, content, &pack.sections);
    let citations = Citations::new(content);
    let mut cited: Vec<&str> = Vec::new();
    for id in built.iter().flat_map(|b| &b.cited) {
        if !cited.contains(&id.as_str()) {
            cited.push(id);
        }
    }
    Document {
        title: pack.title.clone(),
        partnership: picture.partnership.name.clone(),
        author: pack.author.clone(),
        date: long_date(today),
        language: "en-GB".to_owned(),
        introduction: pack.introduction.clone(),
        attribution: attribution(picture),
        references: cited
            .into_iter()
            .filter_map(|id| reference(content, &citations, id))
            .collect(),
        sections: built.into_iter().map(|b| b.section).collect(),
    }
}

/// The chosen sections in order; the glossary is built last, from the others' text.
fn sections(picture: &Picture, content: &Content, kinds: &[SectionKind]) -> Vec<Built> {
    let mut built: Vec<Option<Built>> = kinds
        .iter()
        .map(|kind| (*kind != SectionKind::Glossary).then(|| build(picture, content, *kind, None)))
        .collect();
    let others: Vec<Section> = built.iter().flatten().map(|b| b.section.clone()).collect();
    for (slot, kind) in built.iter_mut().zip(kinds) {
        if slot.is_none() {
            *slot = Some(build(picture, content, *kind, Some(&others)));
        }
    }
    built.into_iter().flatten().collect()
}

/// The credit every page and slide carries: the toolkit's and the partnership's, and for a
/// demo partnership that its figures are invented.
fn attribution(picture: &Picture) -> String {
    let name = &picture.partnership.name;
    let mut credit =
        format!("Made with Cradle from the toolkit {TOOLKIT}, with figures and records of {name}.");
    if picture.partnership.is_demo {
        credit.push_str(&format!(
            " {name} is a demo partnership: its figures are invented and describe no real place's plans."
        ));
    }
    credit
}

#[cfg(test)]
mod tests {
    use cradle_domain::report::{Block, PackDefinition, SectionKind};

    use super::super::testing::*;
    use super::document;

    fn pack(sections: Vec<SectionKind>) -> PackDefinition {
        PackDefinition {
            name: "Board pack".into(),
            title: "Babies' mental health <in> Tees Valley".into(),
            author: "Public health #team".into(),
            introduction: AWKWARD.into(),
            sections,
        }
    }

    #[test]
    fn the_document_carries_the_packs_words_verbatim_and_the_date_in_words() {
        let document = document(
            &full(),
            content(),
            &pack(vec![SectionKind::Summary]),
            today(),
        );
        assert_eq!(document.title, "Babies' mental health <in> Tees Valley");
        assert_eq!(document.author, "Public health #team");
        assert_eq!(document.introduction, AWKWARD);
        assert_eq!(document.date, "7 December 2026");
        assert_eq!(document.language, "en-GB");
        assert_eq!(document.partnership, "Tees Valley");
        assert!(
            document
                .attribution
                .contains("UNICEF UK and PEDAL, University of Cambridge")
        );
        assert!(document.attribution.contains("Tees Valley"));
        assert!(!document.attribution.contains("invented"));
    }

    #[test]
    fn a_demo_partnerships_document_says_its_figures_are_invented() {
        let mut picture = full();
        picture.partnership.is_demo = true;
        let document = document(
            &picture,
            content(),
            &pack(vec![SectionKind::Actions]),
            today(),
        );
        assert!(
            document
                .attribution
                .contains("demo partnership: its figures are invented")
        );
    }

    #[test]
    fn references_are_the_sources_cited_in_order_of_first_citation() {
        let kinds = vec![
            SectionKind::Need,
            SectionKind::CaseForAction,
            SectionKind::Sources,
        ];
        let document = document(&full(), content(), &pack(kinds), today());
        let ids: Vec<&str> = document.references.iter().map(|r| r.id.as_str()).collect();
        let mut unique = ids.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), ids.len(), "each source once");
        // The need section cites the commissioning guidance first.
        assert_eq!(ids[0], "jcpmh-2012");
        assert!(ids.contains(&"bauer-2014"));
        let every_label: Vec<&String> = document
            .sections
            .iter()
            .flat_map(|s| &s.blocks)
            .filter_map(|b| match b {
                Block::Fact { cited, .. } => Some(cited),
                _ => None,
            })
            .flatten()
            .collect();
        for label in every_label {
            assert!(
                document.references.iter().any(|r| &r.label == label),
                "{label} is listed"
            );
        }
        let bauer = document
            .references
            .iter()
            .find(|r| r.id == "bauer-2014")
            .expect("listed");
        assert_eq!(bauer.label, "Bauer and others (2014)");
        assert!(bauer.full.starts_with("Bauer, A., Parsonage, M."));
    }

    #[test]
    fn sections_keep_the_packs_order_with_the_glossary_from_the_others() {
        let kinds = vec![
            SectionKind::Glossary,
            SectionKind::Actions,
            SectionKind::Summary,
        ];
        let document = document(&full(), content(), &pack(kinds.clone()), today());
        let got: Vec<SectionKind> = document.sections.iter().map(|s| s.kind).collect();
        assert_eq!(got, kinds);
        assert_eq!(document.sections[0].title, "Glossary");
        assert!(
            !document.references.is_empty(),
            "the summary's need table cites its rates"
        );
    }
}
