//! Building blocks for hand-built SVG: the palette, escaping, word wrap and a small writer.
//!
//! Everything here is pure string building. Text from the content only ever reaches the output
//! through [`escape`], which [`Svg::text`] and [`document`] call themselves.

use std::fmt::Write;

/// Cradle's brand teal: headers, frames and protective markers. White text on it is 7.6:1.
pub(crate) const TEAL: &str = "#0b5c5a";
/// A darker teal for text on light tints (8.7:1 on [`TINT_1`]).
pub(crate) const TEAL_DARK: &str = "#063b3a";
/// Body text, as on the web pages.
pub(crate) const TEXT: &str = "#0b0c0c";
/// Secondary text, as on the web pages (8.9:1 on white).
pub(crate) const SECONDARY: &str = "#484949";
pub(crate) const WHITE: &str = "#ffffff";
/// Teal tints for bands and cells, lightest first. Body text on the darkest is 11:1.
pub(crate) const TINT_1: &str = "#eef5f4";
pub(crate) const TINT_2: &str = "#dcecea";
pub(crate) const TINT_3: &str = "#c6e0dd";
pub(crate) const TINT_4: &str = "#aed3cf";
/// Borders around white cards on tints.
pub(crate) const BORDER: &str = "#9fc3bf";

/// The `font-family` of every diagram: the embedded PNG font first (so that browsers which
/// have it show what the PNG shows), then the web pages' stack, ending in the generic family.
pub(crate) const FONT_FAMILY: &str = "'Noto Sans', system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

/// Estimated advance of one character, as a fraction of the font size. Noto Sans averages
/// about 0.47 em over mixed-case prose, and the web fallbacks (Segoe UI, San Francisco, Roboto,
/// Arial) about the same; erring wide keeps wrapped text inside its box whichever is used.
const REGULAR_WIDTH: f32 = 0.53;
/// Bold is wider.
const BOLD_WIDTH: f32 = 0.58;

/// Escapes text for use in SVG (XML) text content or a quoted attribute value.
pub(crate) fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            _ => escaped.push(c),
        }
    }
    escaped
}

/// A font size and weight, with the estimates that layout needs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Font {
    pub size: f32,
    pub bold: bool,
}

impl Font {
    pub(crate) const fn regular(size: f32) -> Self {
        Self { size, bold: false }
    }

    pub(crate) const fn bold(size: f32) -> Self {
        Self { size, bold: true }
    }

    /// The distance between baselines of wrapped lines.
    pub(crate) fn line_height(self) -> f32 {
        self.size * 1.3
    }

    /// The estimated width of `text`: characters × font size × an average advance.
    pub(crate) fn width(self, text: &str) -> f32 {
        let advance = if self.bold { BOLD_WIDTH } else { REGULAR_WIDTH };
        text.chars().count() as f32 * self.size * advance
    }

    /// The height of `lines` lines of text.
    pub(crate) fn block_height(self, lines: usize) -> f32 {
        lines as f32 * self.line_height()
    }
}

/// Breaks `text` into lines no wider than `max_width` (by [`Font::width`]'s estimate), at
/// spaces. Runs of white space count as one space. A word too long for a line on its own is
/// broken between characters, so no line is ever over width unless a single character is.
pub(crate) fn wrap(text: &str, max_width: f32, font: Font) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if font.width(&candidate) <= max_width {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        // The word starts a new line; split it if even that is too narrow.
        for c in word.chars() {
            line.push(c);
            if font.width(&line) > max_width && line.chars().count() > 1 {
                line.pop();
                lines.push(std::mem::take(&mut line));
                line.push(c);
            }
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Formats a coordinate with at most one decimal place.
pub(crate) fn num(value: f32) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded == 0.0 {
        // Avoid `-0`.
        return "0".to_owned();
    }
    format!("{rounded}")
}

/// Where a text's `x` sits: its start or its middle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Anchor {
    Start,
    Middle,
}

impl Anchor {
    fn attribute(self) -> &'static str {
        match self {
            Self::Start => "",
            Self::Middle => r#" text-anchor="middle""#,
        }
    }
}

/// Fill and outline for a shape.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Paint<'a> {
    pub fill: &'a str,
    pub stroke: Option<(&'a str, f32)>,
    pub dashed: bool,
}

impl<'a> Paint<'a> {
    pub(crate) const fn fill(fill: &'a str) -> Self {
        Self {
            fill,
            stroke: None,
            dashed: false,
        }
    }

    pub(crate) const fn outlined(fill: &'a str, stroke: &'a str, width: f32) -> Self {
        Self {
            fill,
            stroke: Some((stroke, width)),
            dashed: false,
        }
    }

    pub(crate) const fn dashed(self) -> Self {
        Self {
            dashed: true,
            ..self
        }
    }

    fn attributes(self) -> String {
        let mut attributes = format!(r#" fill="{}""#, self.fill);
        if let Some((stroke, width)) = self.stroke {
            let _ = write!(
                attributes,
                r#" stroke="{stroke}" stroke-width="{}""#,
                num(width)
            );
            if self.dashed {
                let _ = write!(
                    attributes,
                    r#" stroke-dasharray="{} {}""#,
                    num(width * 4.0),
                    num(width * 3.0)
                );
            }
        }
        attributes
    }
}

/// An SVG body under construction. Shapes take numbers and trusted constants; text is escaped.
#[derive(Debug, Default)]
pub(crate) struct Svg {
    body: String,
}

impl Svg {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Adds markup built by this crate from constants (never content text).
    pub(crate) fn raw(&mut self, markup: &str) {
        self.body.push_str(markup);
        self.body.push('\n');
    }

    pub(crate) fn rect(&mut self, x: f32, y: f32, width: f32, height: f32, rx: f32, paint: Paint) {
        let _ = writeln!(
            self.body,
            r#"<rect x="{}" y="{}" width="{}" height="{}" rx="{}"{}/>"#,
            num(x),
            num(y),
            num(width),
            num(height),
            num(rx),
            paint.attributes()
        );
    }

    pub(crate) fn circle(&mut self, cx: f32, cy: f32, r: f32, paint: Paint) {
        let _ = writeln!(
            self.body,
            r#"<circle cx="{}" cy="{}" r="{}"{}/>"#,
            num(cx),
            num(cy),
            num(r),
            paint.attributes()
        );
    }

    pub(crate) fn path(&mut self, d: &str, paint: Paint) {
        let _ = writeln!(self.body, r#"<path d="{d}"{}/>"#, paint.attributes());
    }

    /// Lines of text, one `<tspan>` each, in a box whose top is at `top`: each line is
    /// centred vertically in its line height. Returns the block's height.
    pub(crate) fn text(
        &mut self,
        x: f32,
        top: f32,
        lines: &[String],
        font: Font,
        fill: &str,
        anchor: Anchor,
    ) -> f32 {
        if lines.is_empty() {
            return 0.0;
        }
        let weight = if font.bold {
            r#" font-weight="700""#
        } else {
            ""
        };
        let _ = write!(
            self.body,
            r#"<text font-size="{}"{weight} fill="{fill}"{}>"#,
            num(font.size),
            anchor.attribute()
        );
        let line_height = font.line_height();
        for (index, line) in lines.iter().enumerate() {
            let baseline = top + index as f32 * line_height + line_height / 2.0 + font.size * 0.36;
            let _ = write!(
                self.body,
                r#"<tspan x="{}" y="{}">{}</tspan>"#,
                num(x),
                num(baseline),
                escape(line)
            );
        }
        self.body.push_str("</text>\n");
        font.block_height(lines.len())
    }

    /// One line of text along the path with id `path_id`, centred on it.
    pub(crate) fn text_on_path(&mut self, path_id: &str, text: &str, font: Font, fill: &str) {
        let weight = if font.bold {
            r#" font-weight="700""#
        } else {
            ""
        };
        let _ = writeln!(
            self.body,
            r##"<text font-size="{}"{weight} fill="{fill}"><textPath href="#{path_id}" startOffset="50%" text-anchor="middle">{}</textPath></text>"##,
            num(font.size),
            escape(text)
        );
    }

    pub(crate) fn into_body(self) -> String {
        self.body
    }
}

/// The text every diagram starts with: a title and subtitle, top left. Returns the y below.
pub(crate) fn heading(svg: &mut Svg, x: f32, width: f32, title: &str, subtitle: &str) -> f32 {
    let title_font = Font::bold(32.0);
    let subtitle_font = Font::regular(19.0);
    let mut y = 28.0;
    y += svg.text(
        x,
        y,
        &wrap(title, width, title_font),
        title_font,
        TEXT,
        Anchor::Start,
    );
    y += 2.0;
    y += svg.text(
        x,
        y,
        &wrap(subtitle, width, subtitle_font),
        subtitle_font,
        SECONDARY,
        Anchor::Start,
    );
    y
}

/// Wraps a body in the `<svg>` element, with its accessible name and description and a white
/// background (so that a PNG is never transparent on a dark slide).
pub(crate) fn document(
    id: &str,
    width: u32,
    height: u32,
    title: &str,
    description: &str,
    body: &str,
) -> String {
    let title_id = format!("cradle-diagram-{id}-title");
    let desc_id = format!("cradle-diagram-{id}-desc");
    format!(
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" "#,
            r#"role="img" aria-labelledby="{title_id} {desc_id}" xml:lang="en-GB" font-family="{font}">"#,
            "\n",
            r#"<title id="{title_id}">{title}</title>"#,
            "\n",
            r#"<desc id="{desc_id}">{desc}</desc>"#,
            "\n",
            r#"<rect width="{w}" height="{h}" fill="{white}"/>"#,
            "\n",
            "{body}</svg>\n"
        ),
        w = width,
        h = height,
        title_id = title_id,
        desc_id = desc_id,
        font = FONT_FAMILY,
        title = escape(title),
        desc = escape(description),
        white = WHITE,
        body = body,
    )
}

/// Joins phrases as UK English prose: `a`, `a and b`, `a, b and c`.
pub(crate) fn and_list<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [only] => only.as_ref().to_owned(),
        [rest @ .., last] => {
            let rest: Vec<&str> = rest.iter().map(AsRef::as_ref).collect();
            format!("{} and {}", rest.join(", "), last.as_ref())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(lines: &[&str]) -> Vec<String> {
        lines.iter().map(|line| (*line).to_owned()).collect()
    }

    #[test]
    fn escape_covers_markup_and_quotes() {
        assert_eq!(
            escape(r#"<script>alert("x") & 'y'</script>"#),
            "&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;"
        );
        assert_eq!(
            escape("Plain – text ‘with’ dashes"),
            "Plain – text ‘with’ dashes"
        );
    }

    #[test]
    fn width_is_characters_times_size_times_advance() {
        assert!((Font::regular(10.0).width("abcd") - 21.2).abs() < 1e-4);
        assert!((Font::bold(10.0).width("abcd") - 23.2).abs() < 1e-4);
        // Characters, not bytes.
        assert_eq!(
            Font::regular(10.0).width("é–"),
            Font::regular(10.0).width("ab")
        );
    }

    #[test]
    fn wrap_keeps_short_text_on_one_line() {
        let font = Font::regular(10.0);
        assert_eq!(
            wrap("Sensitive care", 200.0, font),
            strings(&["Sensitive care"])
        );
    }

    #[test]
    fn wrap_breaks_at_spaces_within_width() {
        let font = Font::regular(10.0); // 5.3 per character: 10 characters in 53
        let lines = wrap("one two three four five", 53.0, font);
        assert_eq!(lines, strings(&["one two", "three four", "five"]));
        for line in &lines {
            assert!(font.width(line) <= 53.0, "{line} is too wide");
        }
    }

    #[test]
    fn wrap_collapses_white_space_and_drops_empty_text() {
        let font = Font::regular(10.0);
        assert_eq!(wrap("  a \n\t b  ", 100.0, font), strings(&["a b"]));
        assert!(wrap("", 100.0, font).is_empty());
        assert!(wrap("   ", 100.0, font).is_empty());
    }

    #[test]
    fn wrap_splits_a_word_longer_than_the_line() {
        let font = Font::regular(10.0);
        let lines = wrap("ab abcdefghijklmnop cd", 53.0, font);
        assert_eq!(lines, strings(&["ab", "abcdefghij", "klmnop cd"]));
    }

    #[test]
    fn wrap_never_loops_on_a_width_narrower_than_one_character() {
        let lines = wrap("abc", 1.0, Font::regular(10.0));
        assert_eq!(lines, strings(&["a", "b", "c"]));
    }

    #[test]
    fn bold_wraps_sooner_than_regular() {
        let text = "Close, responsive relationships with trusted adults";
        assert!(
            wrap(text, 200.0, Font::bold(16.0)).len()
                >= wrap(text, 200.0, Font::regular(16.0)).len()
        );
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.345), "12.3");
        assert_eq!(num(-0.01), "0");
    }

    #[test]
    fn text_is_escaped_and_lines_are_tspans() {
        let mut svg = Svg::new();
        let height = svg.text(
            10.0,
            0.0,
            &strings(&["a < b", "c"]),
            Font::regular(10.0),
            TEXT,
            Anchor::Middle,
        );
        let body = svg.into_body();
        assert!(body.contains("a &lt; b"));
        assert_eq!(body.matches("<tspan").count(), 2);
        assert!(body.contains(r#"text-anchor="middle""#));
        assert!((height - 26.0).abs() < 1e-4);
    }

    #[test]
    fn and_list_reads_as_prose() {
        assert_eq!(and_list::<&str>(&[]), "");
        assert_eq!(and_list(&["a"]), "a");
        assert_eq!(and_list(&["a", "b"]), "a and b");
        assert_eq!(and_list(&["a", "b", "c"]), "a, b and c");
    }

    /// WCAG 2 relative luminance of `#rrggbb`.
    fn luminance(hex: &str) -> f64 {
        let channel = |range: std::ops::Range<usize>| {
            let value = f64::from(u8::from_str_radix(&hex[range], 16).unwrap()) / 255.0;
            if value <= 0.040_45 {
                value / 12.92
            } else {
                ((value + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(1..3) + 0.7152 * channel(3..5) + 0.0722 * channel(5..7)
    }

    fn contrast(a: &str, b: &str) -> f64 {
        let (a, b) = (luminance(a), luminance(b));
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    #[test]
    fn every_text_colour_has_at_least_4_5_to_1_on_every_background_it_is_used_on() {
        // Dark text on white and on every tint; white text on the teals.
        let dark_text = [TEXT, SECONDARY, TEAL, TEAL_DARK];
        let light_backgrounds = [WHITE, TINT_1, TINT_2, TINT_3, TINT_4];
        for text in dark_text {
            for background in light_backgrounds {
                let ratio = contrast(text, background);
                assert!(ratio >= 4.5, "{text} on {background} is only {ratio:.2}:1");
            }
        }
        for background in [TEAL, TEAL_DARK] {
            let ratio = contrast(WHITE, background);
            assert!(ratio >= 4.5, "white on {background} is only {ratio:.2}:1");
        }
        assert!(contrast(TEXT, WHITE) > 19.0);
    }

    #[test]
    fn document_is_labelled_by_its_title_and_description() {
        let svg = document("x", 100, 50, "A & B", "Says <what>", "");
        assert!(svg.starts_with("<svg "));
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains(r#"aria-labelledby="cradle-diagram-x-title cradle-diagram-x-desc""#));
        assert!(svg.contains(r#"<title id="cradle-diagram-x-title">A &amp; B</title>"#));
        assert!(svg.contains(r#"<desc id="cradle-diagram-x-desc">Says &lt;what&gt;</desc>"#));
        assert!(svg.contains(r#"viewBox="0 0 100 50""#));
        assert!(svg.contains("sans-serif\""));
    }
}
