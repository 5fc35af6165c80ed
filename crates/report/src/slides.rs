//! Every figure as a 1080p slide: the caption as its heading, the figure scaled to fit, and
//! the partnership and attribution along the foot; as SVG (the figure nested, still vector)
//! and as PNG (that SVG rasterised with the embedded font).

use std::fmt::Write as _;
use std::io::{Cursor, Write as _};

use cradle_domain::report::{Document, Figure};
use zip::CompressionMethod;
use zip::write::{SimpleFileOptions, ZipWriter};

use crate::xml::escape;
use crate::{ReportError, Slide};

const WIDTH: f64 = 1920.0;
const HEIGHT: f64 = 1080.0;
const MARGIN: f64 = 96.0;
const TEXT_WIDTH: f64 = WIDTH - 2.0 * MARGIN;
/// Estimated advance of a character as a fraction of the font size (Noto Sans averages about
/// 0.47 em in prose; erring wide keeps text on the slide).
const REGULAR_ADVANCE: f64 = 0.53;
const BOLD_ADVANCE: f64 = 0.58;
const HEADING_COLOUR: &str = "#063b3a";
const SECONDARY_COLOUR: &str = "#484949";
const RULE_COLOUR: &str = "#0b5c5a";
const FONT_FAMILY: &str = "'Noto Sans', Arial, sans-serif";

/// Every figure in the document as a slide, named by its place and slug, e.g. `01-need`.
pub(crate) fn slides(document: &Document) -> Result<Vec<Slide>, ReportError> {
    let credit = credit(document);
    document
        .figures()
        .enumerate()
        .map(|(index, figure)| {
            let problem = |detail: String| {
                ReportError::Slide(format!(
                    "figure \u{201c}{}\u{201d}: {detail}",
                    figure.caption
                ))
            };
            let svg = slide_svg(figure, &credit).map_err(problem)?;
            let png = cradle_diagrams::svg_to_png(&svg, WIDTH as u32)
                .map_err(|error| problem(error.to_string()))?;
            Ok(Slide {
                name: format!("{:02}-{}", index + 1, file_stem(&figure.slug)),
                png,
                svg,
            })
        })
        .collect()
}

/// Every slide as `NAME.png` and `NAME.svg` in one zip file.
pub(crate) fn slides_zip(document: &Document) -> Result<Vec<u8>, ReportError> {
    let packing = |error: &dyn std::fmt::Display| {
        ReportError::Slide(format!("the zip file could not be made: {error}"))
    };
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    // PNGs are compressed already; SVG is text.
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    let deflated = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for slide in slides(document)? {
        for (extension, bytes, options) in [
            ("png", slide.png.as_slice(), stored),
            ("svg", slide.svg.as_bytes(), deflated),
        ] {
            zip.start_file(format!("{}.{extension}", slide.name), options)
                .map_err(|error| packing(&error))?;
            zip.write_all(bytes).map_err(|error| packing(&error))?;
        }
    }
    let cursor = zip.finish().map_err(|error| packing(&error))?;
    Ok(cursor.into_inner())
}

/// The line along every slide's foot: the partnership, then the attribution.
fn credit(document: &Document) -> String {
    [document.partnership.trim(), document.attribution.trim()]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" \u{00b7} ")
}

/// A slide's file-name stem from a figure's slug: lower-case letters, digits and single
/// hyphens only, so the name is safe in any file system and zip tool.
fn file_stem(slug: &str) -> String {
    let mut stem = String::new();
    for c in slug.chars() {
        if c.is_ascii_alphanumeric() {
            stem.push(c.to_ascii_lowercase());
        } else if !stem.is_empty() && !stem.ends_with('-') {
            stem.push('-');
        }
    }
    let stem = stem.trim_end_matches('-');
    if stem.is_empty() {
        "figure".to_owned()
    } else {
        stem.chars().take(60).collect()
    }
}

/// The slide as SVG: heading, the figure's own SVG nested and scaled to fit, and the credit.
fn slide_svg(figure: &Figure, credit: &str) -> Result<String, String> {
    let (figure_width, figure_height) = svg_size(&figure.svg)?;
    let figure_root = root_element(&figure.svg)?;
    let (heading_size, heading) = heading_lines(&figure.caption);
    let credit_size = 26.0;
    let credit_lines = wrap(credit, TEXT_WIDTH, credit_size * REGULAR_ADVANCE, 2);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1920\" height=\"1080\" \
         viewBox=\"0 0 1920 1080\" role=\"img\" aria-labelledby=\"cradle-slide-title \
         cradle-slide-desc\" font-family=\"{FONT_FAMILY}\"><title id=\"cradle-slide-title\">{}\
         </title><desc id=\"cradle-slide-desc\">{}</desc>\
         <rect width=\"1920\" height=\"1080\" fill=\"#ffffff\"/>",
        escape(&figure.caption),
        escape(&figure.alt)
    );
    let heading_bottom = text_lines(&mut svg, &heading, MARGIN, heading_size, true);
    let credit_top = HEIGHT - 64.0 - credit_lines.len() as f64 * credit_size * 1.3;
    let _ = write!(
        svg,
        "<rect x=\"{MARGIN}\" y=\"{}\" width=\"{TEXT_WIDTH}\" height=\"3\" fill=\"{RULE_COLOUR}\"/>",
        credit_top - 24.0
    );
    text_lines(&mut svg, &credit_lines, credit_top, credit_size, false);
    let top = heading_bottom + 40.0;
    let height = (credit_top - 24.0 - 40.0 - top).max(1.0);
    let _ = write!(
        svg,
        "<svg x=\"{MARGIN}\" y=\"{top}\" width=\"{TEXT_WIDTH}\" height=\"{height}\" \
         viewBox=\"0 0 {figure_width} {figure_height}\" preserveAspectRatio=\"xMidYMid meet\">\
         {figure_root}</svg></svg>"
    );
    Ok(svg)
}

/// The caption in as few lines as fit: two lines at 56 px, else up to three at 42 px, the
/// last shortened with an ellipsis if even that is not enough.
fn heading_lines(caption: &str) -> (f64, Vec<String>) {
    let large = wrap(caption, TEXT_WIDTH, 56.0 * BOLD_ADVANCE, usize::MAX);
    if large.len() <= 2 {
        return (56.0, large);
    }
    (42.0, wrap(caption, TEXT_WIDTH, 42.0 * BOLD_ADVANCE, 3))
}

/// Writes lines of text from `top` (the top of the first line's box); returns the bottom.
fn text_lines(svg: &mut String, lines: &[String], top: f64, size: f64, bold: bool) -> f64 {
    let (weight, colour) = if bold {
        ("700", HEADING_COLOUR)
    } else {
        ("400", SECONDARY_COLOUR)
    };
    let line_height = size * 1.3;
    for (index, line) in lines.iter().enumerate() {
        let baseline = top + size + index as f64 * line_height;
        let _ = write!(
            svg,
            "<text x=\"{MARGIN}\" y=\"{baseline}\" font-size=\"{size}\" font-weight=\"{weight}\" \
             fill=\"{colour}\">{}</text>",
            escape(line)
        );
    }
    top + lines.len() as f64 * line_height
}

/// Breaks text into at most `max_lines` lines of at most `width` (by an estimated `advance`
/// per character), at spaces; a word too long for a line is broken between characters, and
/// text beyond the last line is cut with an ellipsis.
fn wrap(text: &str, width: f64, advance: f64, max_lines: usize) -> Vec<String> {
    let per_line = ((width / advance).floor() as usize).max(2);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut length = 0;
    for word in text.split_whitespace() {
        if length > 0 && length + 1 + word.chars().count() > per_line {
            lines.push(std::mem::take(&mut line));
            length = 0;
        }
        if length > 0 {
            line.push(' ');
            length += 1;
        }
        for c in word.chars() {
            if length >= per_line {
                lines.push(std::mem::take(&mut line));
                length = 0;
            }
            line.push(c);
            length += 1;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            let kept: String = last.chars().take(per_line.saturating_sub(1)).collect();
            *last = format!("{}\u{2026}", kept.trim_end());
        }
    }
    lines
}

/// The figure's root `<svg>` element as written, without any XML declaration or doctype
/// before it, ready to nest.
fn root_element(svg: &str) -> Result<&str, String> {
    let parsed = roxmltree::Document::parse(svg).map_err(|error| error.to_string())?;
    let range = parsed.root_element().range();
    svg.get(range)
        .ok_or_else(|| "its SVG could not be read".to_owned())
}

/// A standalone SVG's size in CSS pixels: its `width` and `height` where both are absolute
/// lengths, else its `viewBox`.
pub(crate) fn svg_size(svg: &str) -> Result<(f64, f64), String> {
    let parsed = roxmltree::Document::parse(svg)
        .map_err(|error| format!("its SVG is not valid: {error}"))?;
    let root = parsed.root_element();
    if root.tag_name().name() != "svg" {
        return Err("its SVG does not start with an <svg> element".to_owned());
    }
    let length = |name: &str| root.attribute(name).and_then(css_pixels);
    if let (Some(width), Some(height)) = (length("width"), length("height")) {
        return Ok((width, height));
    }
    let view_box: Vec<f64> = root
        .attribute("viewBox")
        .unwrap_or("")
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|part| !part.is_empty())
        .filter_map(|part| part.parse().ok())
        .collect();
    match view_box.as_slice() {
        [_, _, width, height] if *width > 0.0 && *height > 0.0 => Ok((*width, *height)),
        _ => Err("its SVG has neither a width and height nor a viewBox".to_owned()),
    }
}

/// An absolute SVG length in CSS pixels (none for percentages, `em` or nonsense).
fn css_pixels(length: &str) -> Option<f64> {
    let length = length.trim();
    let split = length
        .find(|c: char| c.is_ascii_alphabetic() || c == '%')
        .unwrap_or(length.len());
    let (number, unit) = length.split_at(split);
    let per_unit = match unit {
        "" | "px" => 1.0,
        "pt" => 96.0 / 72.0,
        "pc" => 16.0,
        "in" => 96.0,
        "cm" => 96.0 / 2.54,
        "mm" => 96.0 / 25.4,
        _ => return None,
    };
    let value: f64 = number.trim().parse().ok()?;
    (value.is_finite() && value > 0.0).then_some(value * per_unit)
}
