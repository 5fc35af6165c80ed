//! Cradle's diagrams, drawn from the content: the being and becoming framework, the
//! socio-ecological model and the whole-system picture.
//!
//! Each diagram is built by a pure function from [`Content`] into a [`Diagram`]: an accessible
//! SVG (`role="img"`, labelled by its own `<title>` and `<desc>`, real `<text>`, text contrast
//! of at least 4.5:1, meaning never carried by colour alone) together with a text alternative
//! ([`Diagram::outline`]) that gives the same information as a nested list, for the page to
//! show beside the image. [`to_png`] rasterises a diagram, at [`SLIDE_WIDTH`] for slides, with a
//! font compiled into the crate so that PNGs look the same on every machine.
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let content = cradle_content::embedded().map_err(|problems| cradle_content::report(&problems))?;
//! let diagram = cradle_diagrams::framework(&content);
//! assert!(diagram.svg.starts_with("<svg"));
//! let png = cradle_diagrams::to_png(&diagram, cradle_diagrams::SLIDE_WIDTH)?;
//! assert_eq!(&png[1..4], b"PNG");
//! # Ok(())
//! # }
//! ```

pub mod charts;
mod framework;
mod pathway;
mod png;
mod socio_ecological;
mod svg;
mod whole_system;

use cradle_content::Content;

pub use framework::framework;
pub use pathway::referral_pathway;
pub use png::{MAX_PNG_WIDTH, SLIDE_WIDTH, svg_to_png, to_png};
pub use socio_ecological::socio_ecological;
pub use whole_system::whole_system;

/// One diagram: its SVG, and everything a page needs to show it accessibly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagram {
    /// A stable, URL-safe id, e.g. `framework`; one of [`IDS`].
    pub id: &'static str,
    /// The diagram's title; also the SVG's `<title>`, its accessible name.
    pub title: String,
    /// A summary of the diagram's structure in prose; also the SVG's `<desc>`.
    pub description: String,
    /// The SVG document: a single `<svg>` element (no XML declaration), fit to inline in HTML
    /// or to serve as `image/svg+xml`.
    pub svg: String,
    /// The width of the SVG's viewBox and its `width` attribute, in CSS pixels.
    pub width: u32,
    /// The height of the SVG's viewBox and its `height` attribute, in CSS pixels.
    pub height: u32,
    /// The text alternative: the same information as the picture, as headings each with a
    /// list of items, in reading order.
    pub outline: Vec<(String, Vec<String>)>,
}

impl Diagram {
    /// The text alternative as plain text: the title, the description, then each outline
    /// heading followed by its items as a bulleted list. For a terminal, an e-mail or a
    /// slide's notes; a web page should build its own list from [`Diagram::outline`].
    pub fn text_alternative(&self) -> String {
        let mut text = format!("{}\n\n{}\n", self.title, self.description);
        for (heading, items) in &self.outline {
            text.push('\n');
            text.push_str(heading);
            text.push('\n');
            for item in items {
                text.push_str("- ");
                text.push_str(item);
                text.push('\n');
            }
        }
        text
    }
}

/// The ids of every diagram, in the toolkit's order.
pub const IDS: &[&str] = &[framework::ID, socio_ecological::ID, whole_system::ID];

/// Every diagram, in the order of [`IDS`].
pub fn all(content: &Content) -> Vec<Diagram> {
    vec![
        framework(content),
        socio_ecological(content),
        whole_system(content),
    ]
}

/// The diagram with this id, if there is one.
pub fn by_id(content: &Content, id: &str) -> Option<Diagram> {
    match id {
        framework::ID => Some(framework(content)),
        socio_ecological::ID => Some(socio_ecological(content)),
        whole_system::ID => Some(whole_system(content)),
        _ => None,
    }
}

/// Why a diagram could not be rendered as a PNG.
#[derive(Debug, thiserror::Error)]
pub enum DiagramError {
    /// The requested width was zero or over [`MAX_PNG_WIDTH`].
    #[error("a PNG must be between 1 and {max} pixels wide, not {width}", max = MAX_PNG_WIDTH)]
    Width { width: u32 },
    /// The SVG could not be parsed.
    #[error("the diagram's SVG is not valid: {0}")]
    Svg(#[from] resvg::usvg::Error),
    /// The embedded font could not be loaded, so text would be missing from the picture.
    #[error("the embedded font could not be loaded, so the PNG would have no text")]
    NoFont,
    /// The image could not be allocated or encoded.
    #[error("the PNG could not be made: {0}")]
    Encode(String),
}

#[cfg(test)]
pub(crate) mod tests {
    //! Helpers shared by each diagram's tests.

    use super::*;
    use resvg::usvg::roxmltree;

    /// The real content, as compiled into the binary.
    pub(crate) fn content() -> Content {
        cradle_content::embedded().expect("the embedded content is valid")
    }

    /// The real content with one quoted string (a title or name) replaced everywhere.
    pub(crate) fn content_with(old: &str, new: &str) -> Content {
        let (old, new) = (format!("\"{old}\""), format!("\"{new}\""));
        let mut replaced = false;
        let files: Vec<_> = cradle_content::embedded_files()
            .into_iter()
            .map(|mut file| {
                replaced |= file.text.contains(&old);
                file.text = file.text.replace(&old, &new);
                file
            })
            .collect();
        assert!(replaced, "{old} is not in the content");
        cradle_content::parse(&files).expect("the changed content is valid")
    }

    /// Every word of every `<text>` element, unescaped, lines joined by a space.
    pub(crate) fn svg_text(svg: &str) -> String {
        let document = roxmltree::Document::parse(svg).expect("well-formed XML");
        let mut words = Vec::new();
        for text in document
            .descendants()
            .filter(|node| node.has_tag_name("text"))
        {
            for node in text.descendants().filter(|node| node.is_text()) {
                words.extend(node.text().unwrap_or("").split_whitespace());
            }
        }
        words.join(" ")
    }

    /// Checks what every diagram promises: well-formed SVG that usvg accepts, a fixed size,
    /// `role="img"` labelled by a meaningful `<title>` and `<desc>`, a font stack ending in
    /// sans-serif, real text in the palette's text colours, and an outline.
    pub(crate) fn assert_accessible_svg(diagram: &Diagram) {
        resvg::usvg::Tree::from_str(&diagram.svg, &resvg::usvg::Options::default())
            .expect("usvg parses the SVG");
        let document = roxmltree::Document::parse(&diagram.svg).expect("well-formed XML");
        let root = document.root_element();
        assert!(root.has_tag_name("svg"));
        assert_eq!(root.attribute("role"), Some("img"));
        let width = diagram.width.to_string();
        let height = diagram.height.to_string();
        assert_eq!(root.attribute("width"), Some(width.as_str()));
        assert_eq!(root.attribute("height"), Some(height.as_str()));
        assert_eq!(
            root.attribute("viewBox"),
            Some(format!("0 0 {width} {height}").as_str())
        );
        assert!(
            root.attribute("font-family")
                .is_some_and(|family| family.ends_with("sans-serif"))
        );
        let labelled_by: Vec<&str> = root
            .attribute("aria-labelledby")
            .expect("aria-labelledby")
            .split_whitespace()
            .collect();
        let tags: Vec<&str> = labelled_by
            .iter()
            .map(|id| {
                let node = document
                    .descendants()
                    .find(|node| node.attribute("id") == Some(id))
                    .unwrap_or_else(|| panic!("nothing has the id {id}"));
                let text = node.text().unwrap_or("");
                assert!(text.len() > 10, "{id} says too little: {text:?}");
                node.tag_name().name()
            })
            .collect();
        assert_eq!(tags, ["title", "desc"]);
        let title = root.children().find(|node| node.has_tag_name("title"));
        assert_eq!(
            title.and_then(|node| node.text()),
            Some(diagram.title.as_str())
        );
        let desc = root.children().find(|node| node.has_tag_name("desc"));
        assert_eq!(
            desc.and_then(|node| node.text()),
            Some(diagram.description.as_str())
        );
        let texts: Vec<_> = document
            .descendants()
            .filter(|node| node.has_tag_name("text"))
            .collect();
        assert!(texts.len() > 3, "too little text");
        for text in texts {
            let fill = text.attribute("fill").unwrap_or("");
            assert!(
                [
                    svg::TEXT,
                    svg::SECONDARY,
                    svg::TEAL,
                    svg::TEAL_DARK,
                    svg::WHITE
                ]
                .contains(&fill),
                "text in {fill} is not in the palette"
            );
        }
        assert!(!diagram.outline.is_empty());
        assert!(diagram.svg.ends_with("</svg>\n"));
    }

    #[test]
    fn every_id_names_a_diagram() {
        let content = content();
        let diagrams = all(&content);
        let ids: Vec<&str> = diagrams.iter().map(|diagram| diagram.id).collect();
        assert_eq!(ids, IDS);
        for diagram in &diagrams {
            assert_eq!(by_id(&content, diagram.id).as_ref(), Some(diagram));
        }
        assert_eq!(by_id(&content, "nope"), None);
    }

    #[test]
    fn diagrams_are_deterministic() {
        let content = content();
        assert_eq!(all(&content), all(&content));
    }

    #[test]
    fn text_alternative_lists_the_outline() {
        let diagram = framework(&content());
        let text = diagram.text_alternative();
        assert!(text.starts_with("The being and becoming framework\n\nA grid"));
        assert!(text.contains("\nBeing (mental health now): emotional\n- "));
        assert!(text.contains("- Feeling safe, soothed and comforted\n"));
    }

    #[test]
    fn every_diagram_renders_as_a_slide_png() {
        let content = content();
        for diagram in all(&content) {
            let png = to_png(&diagram, SLIDE_WIDTH).expect("renders");
            let width = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
            assert_eq!(width, SLIDE_WIDTH, "{}", diagram.id);
        }
    }
}
