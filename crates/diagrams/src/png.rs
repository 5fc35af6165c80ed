//! Rasterising diagrams with resvg, using only the font compiled into the crate.

use std::sync::{Arc, LazyLock};

use resvg::tiny_skia::{Color, Pixmap, Transform};
use resvg::usvg::{self, fontdb};

use crate::{Diagram, DiagramError};

/// The width of a PNG for a 1080p slide, in pixels.
pub const SLIDE_WIDTH: u32 = 1920;

/// The widest PNG [`to_png`] will make (an 8K display), so that a request cannot ask for an
/// image too large to allocate.
pub const MAX_PNG_WIDTH: u32 = 7680;

/// The family name of the embedded faces, as the fonts themselves declare it.
const FAMILY: &str = "Noto Sans";

/// The font database every render shares, built once: Noto Sans Regular and Bold, from the
/// bytes the `notosans` crate compiles in (never the system's fonts, so a PNG is the same
/// everywhere). Every generic family maps to it, so any `font-family` resolves.
///
/// Loading cannot fail outright: fontdb skips data it cannot parse. If that ever left the
/// database empty, [`to_png`] reports [`DiagramError::NoFont`] rather than drawing a picture
/// without its labels.
static FONTS: LazyLock<Arc<fontdb::Database>> = LazyLock::new(|| {
    let mut database = fontdb::Database::new();
    for face in [notosans::REGULAR_TTF, notosans::BOLD_TTF] {
        database.load_font_source(fontdb::Source::Binary(Arc::new(face)));
    }
    database.set_sans_serif_family(FAMILY);
    database.set_serif_family(FAMILY);
    database.set_monospace_family(FAMILY);
    database.set_cursive_family(FAMILY);
    database.set_fantasy_family(FAMILY);
    Arc::new(database)
});

/// Whether the embedded font loaded, with a face named [`FAMILY`].
fn fonts_loaded() -> bool {
    FONTS.faces().any(|face| {
        face.families
            .iter()
            .any(|(family, _)| family.as_str() == FAMILY)
    })
}

/// Renders a diagram as a PNG `width_px` pixels wide (height in proportion), on white.
///
/// Use [`SLIDE_WIDTH`] for slides. Rendering is CPU-bound (a few tens of milliseconds for a
/// 1920-pixel diagram in a release build): a web server should call it off its async threads,
/// e.g. with `tokio::task::spawn_blocking`, and cache the result.
pub fn to_png(diagram: &Diagram, width_px: u32) -> Result<Vec<u8>, DiagramError> {
    svg_to_png(&diagram.svg, width_px)
}

/// Renders any standalone SVG document (a chart, a slide) as [`to_png`] renders a diagram:
/// `width_px` wide, height in proportion, on white, with only the embedded font.
pub fn svg_to_png(svg: &str, width_px: u32) -> Result<Vec<u8>, DiagramError> {
    if width_px == 0 || width_px > MAX_PNG_WIDTH {
        return Err(DiagramError::Width { width: width_px });
    }
    if !fonts_loaded() {
        return Err(DiagramError::NoFont);
    }
    let options = usvg::Options {
        font_family: FAMILY.to_owned(),
        fontdb: Arc::clone(&FONTS),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options)?;
    let size = tree.size();
    let scale = width_px as f32 / size.width();
    let height_px = (size.height() * scale).round().max(1.0) as u32;
    let mut pixmap = Pixmap::new(width_px, height_px).ok_or_else(|| {
        DiagramError::Encode(format!("cannot allocate {width_px} × {height_px} pixels"))
    })?;
    pixmap.fill(Color::WHITE);
    resvg::render(
        &tree,
        Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|error| DiagramError::Encode(error.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::svg::{Anchor, Font, Svg, TEXT, document};

    /// The width and height in a PNG's IHDR chunk (bytes 16..20 and 20..24, big-endian).
    fn png_size(png: &[u8]) -> (u32, u32) {
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
        let word = |at: usize| u32::from_be_bytes([png[at], png[at + 1], png[at + 2], png[at + 3]]);
        (word(16), word(20))
    }

    fn tiny(text: Option<&str>) -> Diagram {
        let mut svg = Svg::new();
        svg.rect(
            10.0,
            10.0,
            180.0,
            80.0,
            8.0,
            crate::svg::Paint::fill("#dcecea"),
        );
        if let Some(text) = text {
            svg.text(
                100.0,
                30.0,
                &[text.to_owned()],
                Font::bold(24.0),
                TEXT,
                Anchor::Middle,
            );
        }
        Diagram {
            id: "tiny",
            title: "Tiny".to_owned(),
            description: "A box".to_owned(),
            svg: document("tiny", 200, 100, "Tiny", "A box", &svg.into_body()),
            width: 200,
            height: 100,
            outline: Vec::new(),
        }
    }

    #[test]
    fn the_embedded_font_loads_once_with_regular_and_bold() {
        assert!(fonts_loaded());
        assert_eq!(FONTS.len(), 2);
        let weights: Vec<u16> = FONTS.faces().map(|face| face.weight.0).collect();
        assert!(
            weights.contains(&400) && weights.contains(&700),
            "{weights:?}"
        );
        // The same database every time: built once.
        assert!(Arc::ptr_eq(&FONTS, &FONTS.clone()));
    }

    #[test]
    fn a_slide_png_is_1920_pixels_wide_with_the_height_in_proportion() {
        let png = to_png(&tiny(Some("Cradle")), SLIDE_WIDTH).unwrap();
        assert_eq!(png_size(&png), (1920, 960));
    }

    #[test]
    fn text_is_drawn_with_the_embedded_font() {
        // Without a usable font the text would silently vanish, and the two would be equal.
        let with_text = to_png(&tiny(Some("Cradle")), 400).unwrap();
        let without_text = to_png(&tiny(None), 400).unwrap();
        assert_ne!(with_text, without_text);
        // And different words draw differently, so it is glyphs, not a placeholder box.
        let other_text = to_png(&tiny(Some("Family")), 400).unwrap();
        assert_ne!(with_text, other_text);
    }

    #[test]
    fn generic_families_resolve_to_the_embedded_font() {
        let mut diagram = tiny(Some("Cradle"));
        let generic = diagram.svg.replace(crate::svg::FONT_FAMILY, "serif");
        let named = to_png(&diagram, 400).unwrap();
        diagram.svg = generic;
        assert_eq!(to_png(&diagram, 400).unwrap(), named);
    }

    #[test]
    fn widths_out_of_range_are_refused() {
        let diagram = tiny(Some("Cradle"));
        assert!(matches!(
            to_png(&diagram, 0),
            Err(DiagramError::Width { width: 0 })
        ));
        assert!(matches!(
            to_png(&diagram, MAX_PNG_WIDTH + 1),
            Err(DiagramError::Width { .. })
        ));
    }

    #[test]
    fn invalid_svg_is_an_error_not_a_panic() {
        let mut diagram = tiny(None);
        diagram.svg = "<svg".to_owned();
        assert!(matches!(to_png(&diagram, 100), Err(DiagramError::Svg(_))));
    }

    #[test]
    fn any_svg_renders_at_the_width_asked_with_its_text() {
        let svg = |word: &str| {
            format!(
                r#"<svg xmlns="http://www.w3.org/2000/svg" width="300" height="150" viewBox="0 0 300 150"><text x="20" y="80" font-size="40" font-family="Arial">{word}</text></svg>"#
            )
        };
        let png = svg_to_png(&svg("Café"), 600).unwrap();
        assert_eq!(png_size(&png), (600, 300));
        assert_ne!(png, svg_to_png(&svg("Cradle"), 600).unwrap());
        assert!(matches!(svg_to_png("<svg", 600), Err(DiagramError::Svg(_))));
    }
}
