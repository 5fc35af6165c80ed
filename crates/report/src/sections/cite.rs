//! Citations: the short label a source is cited by in the text ("Bauer and others (2014)")
//! and its full entry in the references list, both from the content's sources.

use std::collections::HashMap;

use cradle_content::{Content, Source};
use cradle_domain::report::Reference;

/// The label of every source in the content, each unique: two sources that would read the
/// same (one author, one year) are told apart by a letter after the year, in content order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Citations {
    labels: HashMap<String, String>,
}

impl Citations {
    pub(crate) fn new(content: &Content) -> Self {
        let mut by_label: HashMap<(String, u16), Vec<&Source>> = HashMap::new();
        for source in &content.sources {
            by_label
                .entry((who(source), source.year))
                .or_default()
                .push(source);
        }
        let mut labels = HashMap::new();
        for ((name, year), sources) in by_label {
            let letters = sources.len() > 1;
            for (index, source) in sources.into_iter().enumerate() {
                let suffix = if letters {
                    char::from(b'a' + (index % 26) as u8).to_string()
                } else {
                    String::new()
                };
                labels.insert(source.id.clone(), format!("{name} ({year}{suffix})"));
            }
        }
        Self { labels }
    }

    /// The label of the source with this id; an unknown id (which validated content never
    /// cites) is shown as itself.
    pub(crate) fn label(&self, id: &str) -> String {
        self.labels
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_owned())
    }
}

/// Who a source is by, as a citation names them: one surname, two joined by "and", or the
/// first and "others"; the publisher when no authors are given.
fn who(source: &Source) -> String {
    let Some(authors) = source.authors.as_deref().map(str::trim) else {
        return source.publisher.clone();
    };
    let surname = |name: &str| name.split(',').next().unwrap_or(name).trim().to_owned();
    if let Some(first) = authors.strip_suffix("et al.") {
        return format!("{} and others", surname(first));
    }
    match authors.rsplit_once(" and ") {
        // "Paulson, J. F. and Bazemore, S. D.": one comma before the last "and" means one
        // author before it.
        Some((head, last)) if head.matches(',').count() <= 1 => {
            format!("{} and {}", surname(head), surname(last))
        }
        Some((head, _)) => format!("{} and others", surname(head)),
        None => surname(authors),
    }
}

/// The full reference of a source, as the toolkit's list of sources gives it:
/// `Authors. Title. Publisher, year.`
pub(crate) fn reference(content: &Content, citations: &Citations, id: &str) -> Option<Reference> {
    let source = content.sources.by_id(id)?;
    let authors = source
        .authors
        .as_deref()
        .map(|authors| {
            let authors = authors.trim();
            if authors.ends_with('.') {
                format!("{authors} ")
            } else {
                format!("{authors}. ")
            }
        })
        .unwrap_or_default();
    Some(Reference {
        id: source.id.clone(),
        label: citations.label(id),
        full: format!(
            "{authors}{}. {}, {}.",
            source.title, source.publisher, source.year
        ),
        url: source.url.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(id: &str, authors: Option<&str>, publisher: &str, year: u16) -> String {
        let authors = authors.map_or_else(String::new, |a| format!("authors = \"{a}\"\n"));
        format!(
            "[[source]]\nid = \"{id}\"\ntitle = \"Title of {id}\"\npublisher = \"{publisher}\"\nyear = {year}\n{authors}url = \"https://example.org/{id}\"\n\n"
        )
    }

    fn content() -> Content {
        let text = [
            source(
                "bauer",
                Some("Bauer, A., Parsonage, M., Knapp, M., Iemmi, V. and Adelaja, B."),
                "Centre for Mental Health",
                2014,
            ),
            source(
                "paulson",
                Some("Paulson, J. F. and Bazemore, S. D."),
                "JAMA",
                2010,
            ),
            source("hogg", Some("Hogg, S. et al."), "UNICEF UK", 2023),
            source("bowlby", Some("Bowlby, J."), "Hogarth", 1969),
            source("jcpmh", None, "Joint Commissioning Panel", 2012),
            source("harvard-a", None, "Harvard", 2007),
            source("harvard-b", None, "Harvard", 2007),
        ]
        .concat();
        cradle_content::parse(&[cradle_content::SourceFile {
            path: "sources.toml".into(),
            text,
        }])
        .expect("valid content")
    }

    #[test]
    fn labels_name_one_two_or_the_first_and_others() {
        let content = content();
        let citations = Citations::new(&content);
        assert_eq!(citations.label("bauer"), "Bauer and others (2014)");
        assert_eq!(citations.label("paulson"), "Paulson and Bazemore (2010)");
        assert_eq!(citations.label("hogg"), "Hogg and others (2023)");
        assert_eq!(citations.label("bowlby"), "Bowlby (1969)");
        assert_eq!(citations.label("jcpmh"), "Joint Commissioning Panel (2012)");
    }

    #[test]
    fn labels_that_would_read_the_same_get_a_letter_in_content_order() {
        let citations = Citations::new(&content());
        assert_eq!(citations.label("harvard-a"), "Harvard (2007a)");
        assert_eq!(citations.label("harvard-b"), "Harvard (2007b)");
    }

    #[test]
    fn references_read_as_the_toolkit_lists_them() {
        let content = content();
        let citations = Citations::new(&content);
        let bowlby = reference(&content, &citations, "bowlby").expect("known");
        assert_eq!(bowlby.full, "Bowlby, J. Title of bowlby. Hogarth, 1969.");
        assert_eq!(bowlby.label, "Bowlby (1969)");
        assert_eq!(bowlby.url.as_deref(), Some("https://example.org/bowlby"));
        let jcpmh = reference(&content, &citations, "jcpmh").expect("known");
        assert_eq!(
            jcpmh.full,
            "Title of jcpmh. Joint Commissioning Panel, 2012."
        );
        assert!(reference(&content, &citations, "nope").is_none());
    }
}
