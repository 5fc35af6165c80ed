//! Links glossary terms where they first appear on a page, with the definition available
//! on hover and focus (CSS, no JavaScript needed) and the term's page one click away.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::fmt::Write as _;

use aho_corasick::{AhoCorasick, MatchKind};
use cradle_content::Content;

/// Every glossary phrase (terms and aliases), compiled once at start-up.
pub struct GlossaryLinker {
    matcher: Option<AhoCorasick>,
    /// For each phrase the matcher knows, the term's id and its definition.
    targets: Vec<(String, String)>,
}

impl GlossaryLinker {
    pub fn new(content: &Content) -> Self {
        let matchers = content.glossary_matchers();
        let phrases: Vec<&str> = matchers.iter().map(|(phrase, _)| phrase.as_str()).collect();
        let matcher = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(&phrases)
            .ok();
        let targets = matchers
            .iter()
            .map(|(_, id)| {
                let definition = content
                    .glossary
                    .by_id(id)
                    .map(|t| t.definition.clone())
                    .unwrap_or_default();
                (id.clone(), definition)
            })
            .collect();
        Self { matcher, targets }
    }

    /// A linker for one page: each term is linked at its first use only. `skip` names a
    /// term not to link at all (the term's own page).
    pub fn for_page(&self, skip: Option<&str>) -> PageLinks<'_> {
        let linked = skip
            .map(|id| HashSet::from([id.to_owned()]))
            .unwrap_or_default();
        PageLinks {
            linker: self,
            linked: RefCell::new(linked),
            tips: Cell::new(0),
        }
    }
}

/// The per-page state of glossary linking, used from templates as `links.text(...)`.
pub struct PageLinks<'a> {
    linker: &'a GlossaryLinker,
    linked: RefCell<HashSet<String>>,
    /// How many definitions this page has, so each gets its own element id.
    tips: Cell<usize>,
}

impl PageLinks<'_> {
    /// `text` as HTML: escaped, with the first use on this page of each glossary term
    /// linked to its definition. Render the result with askama's `|safe`.
    pub fn text(&self, text: &str) -> String {
        let mut html = String::with_capacity(text.len() + 64);
        let Some(matcher) = &self.linker.matcher else {
            escape_into(&mut html, text);
            return html;
        };
        let mut linked = self.linked.borrow_mut();
        let mut written = 0;
        for found in matcher.find_iter(text) {
            let (start, end) = (found.start(), found.end());
            if !is_word_boundary(text, start, end) {
                continue;
            }
            let Some((id, definition)) = self.linker.targets.get(found.pattern().as_usize()) else {
                continue;
            };
            if !linked.insert(id.clone()) {
                continue;
            }
            let tips = self.tips.get() + 1;
            self.tips.set(tips);
            escape_into(&mut html, &text[written..start]);
            let _ = write!(
                html,
                r#"<span class="cradle-term"><a class="govuk-link cradle-term__link" href="/glossary/{id}" aria-describedby="term-tip-{tips}">"#
            );
            escape_into(&mut html, &text[start..end]);
            let _ = write!(
                html,
                r#"</a><span class="cradle-term__tip" role="tooltip" id="term-tip-{tips}">"#
            );
            escape_into(&mut html, definition);
            html.push_str("</span></span>");
            written = end;
        }
        escape_into(&mut html, &text[written..]);
        html
    }
}

/// A match counts only as a whole word: "care" must not link inside "careful".
fn is_word_boundary(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// HTML-escapes `text` onto `html`.
pub(crate) fn escape_into(html: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '"' => html.push_str("&quot;"),
            '\'' => html.push_str("&#39;"),
            c => html.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cradle_content::SourceFile;

    fn linker() -> GlossaryLinker {
        let text = r#"
[[glossary_term]]
id = "attachment"
term = "attachment"
definition = "The bond a baby forms with those who care for them."
aliases = ["attachments"]

[[glossary_term]]
id = "secure-attachment"
term = "secure attachment"
definition = "Trust that a carer will <comfort> and protect."
"#;
        let content = cradle_content::parse(&[SourceFile {
            path: "g.toml".into(),
            text: text.into(),
        }])
        .unwrap();
        GlossaryLinker::new(&content)
    }

    #[test]
    fn links_the_longest_term_once_per_page_and_escapes_everything() {
        let linker = linker();
        let page = linker.for_page(None);
        let html = page.text("Secure attachment & <b>attachment</b>; attachment again.");
        assert_eq!(
            html.matches("href=\"/glossary/secure-attachment\"").count(),
            1
        );
        assert_eq!(
            html.matches("href=\"/glossary/attachment\"").count(),
            1,
            "{html}"
        );
        assert!(html.contains("&amp; &lt;b&gt;"));
        assert!(
            html.contains("&lt;comfort&gt;"),
            "definitions are escaped too"
        );
        let later = page.text("More about attachment.");
        assert!(
            !later.contains("<a "),
            "already linked on this page: {later}"
        );
    }

    #[test]
    fn words_inside_other_words_are_not_linked_and_the_own_page_is_skipped() {
        let linker = linker();
        assert!(!linker.for_page(None).text("detachment").contains("<a "));
        assert!(
            !linker
                .for_page(Some("attachment"))
                .text("attachment")
                .contains("<a ")
        );
    }

    #[test]
    fn each_tip_has_its_own_id_for_aria_describedby() {
        let linker = linker();
        let page = linker.for_page(None);
        let html = page.text("attachment and secure attachment");
        assert!(
            html.contains("id=\"term-tip-1\"") && html.contains("id=\"term-tip-2\""),
            "{html}"
        );
    }
}
