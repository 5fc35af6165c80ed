//! The ready-made workshop templates name real content: every reference resolves in the
//! embedded content, and every template item passes the agenda item rules with it.

// Test code: a panic is how a test fails.
#![allow(clippy::unwrap_used)]

use cradle_domain::workshop::{ItemFields, ItemKind, TEMPLATES};

#[test]
fn every_template_item_names_real_content() {
    let content = cradle_content::embedded().unwrap();
    for template in TEMPLATES {
        for item in template.items {
            if let Some(reference) = item.reference {
                assert!(
                    content.workshop_item_title(item.kind, reference).is_some(),
                    "template {} names {} `{reference}`, which the content does not have",
                    template.id,
                    item.kind.reference_label()
                );
            }
            let fields = ItemFields {
                kind: item.kind.id().into(),
                reference: item.reference.unwrap_or_default().into(),
                title: item.title.into(),
                answer: item.answer.id().into(),
                options: item.options.join("\n"),
                votes: item.votes.to_string(),
                minutes: item.minutes.to_string(),
                facilitator_notes: item.facilitator_notes.into(),
                instruction: String::new(),
            };
            let checked = fields
                .validate(|kind, id| content.workshop_item_title(kind, id))
                .unwrap();
            assert!(!checked.title.is_empty(), "{}", template.id);
        }
    }
}

#[test]
fn every_content_kind_offers_choices_that_resolve() {
    let content = cradle_content::embedded().unwrap();
    for kind in ItemKind::ALL {
        for (id, title) in content.workshop_item_choices(*kind) {
            assert_eq!(content.workshop_item_title(*kind, &id), Some(title));
        }
        assert_eq!(
            content.workshop_item_choices(*kind).is_empty(),
            !kind.needs_reference()
        );
    }
}
