use std::io::Cursor;

use cradle_report::{slides, slides_zip};

use super::sample;

/// The decoded RGBA (or RGB) pixels of a PNG, with its size.
fn decode(png_bytes: &[u8]) -> (u32, u32, Vec<u8>, usize) {
    let mut reader = png::Decoder::new(Cursor::new(png_bytes))
        .read_info()
        .expect("a PNG");
    let mut pixels = vec![0; reader.output_buffer_size().expect("a size")];
    let frame = reader.next_frame(&mut pixels).expect("a frame");
    let channels = frame.color_type.samples();
    pixels.truncate(frame.buffer_size());
    (frame.width, frame.height, pixels, channels)
}

/// How many pixels in the band of rows are not near-white.
fn inked(pixels: &[u8], width: u32, channels: usize, rows: std::ops::Range<u32>) -> usize {
    let row_bytes = width as usize * channels;
    rows.map(|row| &pixels[row as usize * row_bytes..(row as usize + 1) * row_bytes])
        .flat_map(|row| row.chunks(channels))
        .filter(|pixel| pixel[..3].iter().any(|value| *value < 200))
        .count()
}

#[test]
fn every_figure_is_a_1080p_slide_with_caption_figure_and_credit() {
    let document = sample::document();
    let slides = slides(&document).expect("slides");
    let names: Vec<&str> = slides.iter().map(|slide| slide.name.as_str()).collect();
    assert_eq!(names, ["01-need-by-tier", "02-service-coverage"]);
    for slide in &slides {
        let (width, height, pixels, channels) = decode(&slide.png);
        assert_eq!((width, height), (1920, 1080));
        // Heading at the top, the figure in the middle, the credit at the foot: all drawn.
        assert!(
            inked(&pixels, width, channels, 90..160) > 1_000,
            "{}: no heading",
            slide.name
        );
        assert!(
            inked(&pixels, width, channels, 400..700) > 10_000,
            "{}: no figure",
            slide.name
        );
        assert!(
            inked(&pixels, width, channels, 980..1040) > 500,
            "{}: no credit",
            slide.name
        );
    }
}

#[test]
fn the_slide_svg_nests_the_figure_with_its_caption_and_credit() {
    let document = sample::document();
    let slides = slides(&document).expect("slides");
    let xml = roxmltree::Document::parse(&slides[0].svg).expect("well-formed SVG");
    let root = xml.root_element();
    assert_eq!(
        (root.attribute("width"), root.attribute("height")),
        (Some("1920"), Some("1080"))
    );
    let texts: Vec<&str> = xml
        .descendants()
        .filter(|node| node.has_tag_name("text"))
        .filter_map(|node| node.text())
        .collect();
    assert_eq!(texts[0], "Need by tier");
    assert!(texts.contains(&"Tiers"), "the figure's own text: {texts:?}");
    let credit = texts
        .iter()
        .find(|text| text.contains(sample::PARTNERSHIP))
        .expect("credit");
    assert!(credit.contains("Made with Cradle"), "{credit}");
    let nested = root
        .children()
        .find(|node| node.has_tag_name("svg"))
        .expect("the figure is nested");
    assert_eq!(nested.attribute("viewBox"), Some("0 0 600 300"));
    let desc = xml
        .descendants()
        .find(|node| node.has_tag_name("desc"))
        .and_then(|node| node.text());
    assert_eq!(desc, Some(sample::FIGURE_ALTS[0]));
}

#[test]
fn a_long_caption_wraps_and_stays_on_the_slide() {
    let mut document = sample::document();
    let caption = "Need by tier ".repeat(20);
    for section in &mut document.sections {
        for block in &mut section.blocks {
            if let cradle_report::Block::Figure(figure) = block {
                figure.caption = caption.clone();
            }
        }
    }
    let slides = slides(&document).expect("slides");
    let xml = roxmltree::Document::parse(&slides[0].svg).expect("well-formed SVG");
    let lines: Vec<&str> = xml
        .root_element()
        .children()
        .filter(|node| node.has_tag_name("text") && node.attribute("font-weight") == Some("700"))
        .filter_map(|node| node.text())
        .collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(lines[2].ends_with('\u{2026}'));
    let (_, height, ..) = decode(&slides[0].png);
    assert_eq!(height, 1080);
}

#[test]
fn the_zip_holds_every_slide_as_png_and_svg() {
    let bytes = slides_zip(&sample::document()).expect("a zip");
    let archive = zip::ZipArchive::new(Cursor::new(&bytes)).expect("a zip file");
    let mut names: Vec<String> = archive.file_names().map(str::to_owned).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "01-need-by-tier.png",
            "01-need-by-tier.svg",
            "02-service-coverage.png",
            "02-service-coverage.svg"
        ]
    );
    drop(archive);
    let png = sample::zip_file(&bytes, "02-service-coverage.png");
    assert_eq!(sample::png_size(&png), (1920, 1080));
}

#[test]
fn a_document_without_figures_has_no_slides_and_an_empty_zip() {
    let mut document = sample::document();
    document.sections.clear();
    assert!(slides(&document).expect("slides").is_empty());
    let bytes = slides_zip(&document).expect("a zip");
    let archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip file");
    assert_eq!(archive.len(), 0);
}
