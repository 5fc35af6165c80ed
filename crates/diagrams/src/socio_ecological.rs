//! The socio-ecological model: rings from the child outwards, with time around them, and the
//! risk and protective factors at each level listed beside the rings.

use cradle_content::{Content, Factor};
use cradle_domain::{EcoLevel, FactorKind};

use crate::Diagram;
use crate::svg::{
    Anchor, BORDER, Font, Paint, SECONDARY, Svg, TEAL, TEAL_DARK, TEXT, TINT_1, TINT_2, TINT_3,
    TINT_4, WHITE, document, heading, num, wrap,
};

pub(crate) const ID: &str = "socio-ecological";

const WIDTH: f32 = 1600.0;
const MARGIN: f32 = 40.0;

/// Radii of the rings: the child's circle, then four levels, then time.
const CHILD_RADIUS: f32 = 56.0;
const BAND: f32 = 44.0;
const TIME_BAND: f32 = 38.0;
const RADIUS: f32 = CHILD_RADIUS + 4.0 * BAND + TIME_BAND;

/// Cards are laid out in this many columns beside the rings.
const COLUMNS: usize = 3;
const COLUMN_GAP: f32 = 16.0;
const CARD_GAP: f32 = 16.0;
const CARD_PADDING: f32 = 12.0;
const MARKER_SPACE: f32 = 25.0;

const RING_FONT: Font = Font::bold(15.0);
const CARD_TITLE_FONT: Font = Font::bold(17.0);
const COUNT_FONT: Font = Font::regular(14.0);
const KIND_FONT: Font = Font::bold(13.0);
const FACTOR_FONT: Font = Font::regular(14.0);
const KEY_FONT: Font = Font::regular(16.0);

/// The levels as rings, innermost first (time, the outer band, last).
const RINGS: [EcoLevel; 6] = [
    EcoLevel::Child,
    EcoLevel::Caregiving,
    EcoLevel::Family,
    EcoLevel::Community,
    EcoLevel::Society,
    EcoLevel::Time,
];

/// The order the two kinds are listed in on each card.
const KINDS: [FactorKind; 2] = [FactorKind::Protective, FactorKind::Risk];

const TIMELINE: &str = "pregnancy \u{2192} birth \u{2192} first years \u{2192} starting school";

/// Inner and outer radius of a level's ring.
fn ring(level: EcoLevel) -> (f32, f32) {
    match level {
        EcoLevel::Child => (0.0, CHILD_RADIUS),
        EcoLevel::Caregiving => band(0),
        EcoLevel::Family => band(1),
        EcoLevel::Community => band(2),
        EcoLevel::Society => band(3),
        EcoLevel::Time => (RADIUS - TIME_BAND, RADIUS),
    }
}

fn band(index: usize) -> (f32, f32) {
    let inner = CHILD_RADIUS + index as f32 * BAND;
    (inner, inner + BAND)
}

/// The ring's fill, and the text colour for its label and its card's heading.
fn colours(level: EcoLevel) -> (&'static str, &'static str) {
    match level {
        EcoLevel::Child => (TEAL, WHITE),
        EcoLevel::Caregiving => (TINT_4, TEXT),
        EcoLevel::Family => (TINT_3, TEXT),
        EcoLevel::Community => (TINT_2, TEXT),
        EcoLevel::Society => (TINT_1, TEXT),
        EcoLevel::Time => (WHITE, TEXT),
    }
}

/// Where the level sits, in words, for the text alternative.
fn position(level: EcoLevel) -> &'static str {
    match level {
        EcoLevel::Child => "at the centre",
        EcoLevel::Caregiving => "the first ring around the child",
        EcoLevel::Family => "the second ring",
        EcoLevel::Community => "the third ring",
        EcoLevel::Society => "the fourth ring",
        EcoLevel::Time => "the outer band, around every level",
    }
}

fn kind_heading(kind: FactorKind) -> &'static str {
    match kind {
        FactorKind::Protective => "Protective",
        FactorKind::Risk => "Risk",
    }
}

fn level_title(content: &Content, level: EcoLevel) -> String {
    content
        .levels
        .iter()
        .find(|item| item.id == level)
        .map_or_else(|| level.label().to_owned(), |item| item.title.clone())
}

fn factors(content: &Content, level: EcoLevel, kind: FactorKind) -> Vec<&Factor> {
    content
        .factors
        .iter()
        .filter(|factor| factor.level == level && factor.kind == kind)
        .collect()
}

/// Draws a factor marker centred on (x, y): a teal circle with a plus for protective, a white
/// diamond with a minus for risk, so the kinds differ in shape and symbol as well as colour.
fn marker(svg: &mut Svg, x: f32, y: f32, kind: FactorKind) {
    let arm = 4.5;
    match kind {
        FactorKind::Protective => {
            svg.circle(x, y, 9.0, Paint::fill(TEAL));
            svg.path(
                &format!(
                    "M{} {}H{}M{} {}V{}",
                    num(x - arm),
                    num(y),
                    num(x + arm),
                    num(x),
                    num(y - arm),
                    num(y + arm)
                ),
                Paint::outlined("none", WHITE, 2.4),
            );
        }
        FactorKind::Risk => {
            let r = 9.5;
            svg.path(
                &format!(
                    "M{} {}L{} {}L{} {}L{} {}Z",
                    num(x),
                    num(y - r),
                    num(x + r),
                    num(y),
                    num(x),
                    num(y + r),
                    num(x - r),
                    num(y)
                ),
                Paint::outlined(WHITE, TEXT, 1.8),
            );
            svg.path(
                &format!("M{} {}H{}", num(x - arm), num(y), num(x + arm)),
                Paint::outlined("none", TEXT, 2.4),
            );
        }
    }
}

/// One level's card, laid out before it is drawn so that columns can be balanced.
struct Card {
    level: EcoLevel,
    title: Vec<String>,
    counts: String,
    groups: Vec<(FactorKind, Vec<Vec<String>>)>,
    height: f32,
}

fn card(content: &Content, level: EcoLevel, width: f32) -> Card {
    let title = wrap(
        &level_title(content, level),
        width - 2.0 * CARD_PADDING - 30.0,
        CARD_TITLE_FONT,
    );
    let text_width = width - 2.0 * CARD_PADDING - MARKER_SPACE;
    let groups: Vec<(FactorKind, Vec<Vec<String>>)> = KINDS
        .iter()
        .map(|&kind| {
            let items = factors(content, level, kind)
                .into_iter()
                .map(|factor| wrap(&factor.name, text_width, FACTOR_FONT))
                .collect();
            (kind, items)
        })
        .filter(|(_, items): &(FactorKind, Vec<Vec<String>>)| !items.is_empty())
        .collect();
    let counts = counts(content, level);
    let mut height = header_height(&title) + 8.0;
    for (_, items) in &groups {
        height += KIND_FONT.line_height() + 4.0;
        for lines in items {
            height += FACTOR_FONT.block_height(lines.len()) + 4.0;
        }
        height += 8.0;
    }
    if groups.is_empty() {
        height += FACTOR_FONT.line_height() + 8.0;
    }
    Card {
        level,
        title,
        counts,
        groups,
        height: height + CARD_PADDING - 8.0,
    }
}

fn header_height(title: &[String]) -> f32 {
    CARD_TITLE_FONT.block_height(title.len()) + COUNT_FONT.line_height() + 2.0 * 10.0
}

fn counts(content: &Content, level: EcoLevel) -> String {
    let protective = factors(content, level, FactorKind::Protective).len();
    let risk = factors(content, level, FactorKind::Risk).len();
    format!("{protective} protective, {risk} risk")
}

fn draw_card(svg: &mut Svg, card: &Card, x: f32, y: f32, width: f32) {
    let (fill, text) = colours(card.level);
    svg.rect(
        x,
        y,
        width,
        card.height,
        8.0,
        Paint::outlined(WHITE, BORDER, 1.2),
    );
    let header = header_height(&card.title);
    let header_paint = if card.level == EcoLevel::Time {
        Paint::outlined(fill, TEAL, 1.5).dashed()
    } else {
        Paint::outlined(fill, BORDER, 1.2)
    };
    svg.rect(x, y, width, header, 8.0, header_paint);
    let mut top = y + 10.0;
    top += svg.text(
        x + CARD_PADDING,
        top,
        &card.title,
        CARD_TITLE_FONT,
        text,
        Anchor::Start,
    );
    svg.text(
        x + CARD_PADDING,
        top,
        std::slice::from_ref(&card.counts),
        COUNT_FONT,
        text,
        Anchor::Start,
    );
    let mut top = y + header + 8.0;
    for (kind, items) in &card.groups {
        let kind_colour = match kind {
            FactorKind::Protective => TEAL_DARK,
            FactorKind::Risk => TEXT,
        };
        top += svg.text(
            x + CARD_PADDING,
            top,
            &[kind_heading(*kind).to_uppercase()],
            KIND_FONT,
            kind_colour,
            Anchor::Start,
        ) + 4.0;
        for lines in items {
            marker(
                svg,
                x + CARD_PADDING + 9.0,
                top + FACTOR_FONT.line_height() / 2.0,
                *kind,
            );
            top += svg.text(
                x + CARD_PADDING + MARKER_SPACE,
                top,
                lines,
                FACTOR_FONT,
                TEXT,
                Anchor::Start,
            ) + 4.0;
        }
        top += 8.0;
    }
    if card.groups.is_empty() {
        svg.text(
            x + CARD_PADDING,
            top,
            &["No factors yet".to_owned()],
            FACTOR_FONT,
            SECONDARY,
            Anchor::Start,
        );
    }
}

/// The arc a ring's label runs along: over the top, left to right, or under the bottom, left
/// to right (so the text is upright either way).
fn arc(cx: f32, cy: f32, radius: f32, over: bool) -> String {
    let sweep = if over { 1 } else { 0 };
    format!(
        "M{} {}A{} {} 0 0 {sweep} {} {}",
        num(cx - radius),
        num(cy),
        num(radius),
        num(radius),
        num(cx + radius),
        num(cy)
    )
}

/// The largest font, up to `font`, at which `text` fits along half a circle of `radius`.
fn fitting(text: &str, radius: f32, font: Font) -> Font {
    let room = std::f32::consts::PI * radius * 0.8;
    let width = font.width(text);
    if width <= room {
        font
    } else {
        Font {
            size: (font.size * room / width).max(11.0),
            ..font
        }
    }
}

fn draw_rings(svg: &mut Svg, content: &Content, cx: f32, cy: f32) {
    // Outermost first, so each inner ring is painted over the one around it.
    for &level in RINGS.iter().rev() {
        let (_, outer) = ring(level);
        let (fill, _) = colours(level);
        let paint = if level == EcoLevel::Time {
            Paint::outlined(fill, TEAL, 2.0).dashed()
        } else {
            Paint::outlined(fill, BORDER, 1.5)
        };
        svg.circle(cx, cy, outer, paint);
    }
    let mut defs = String::from("<defs>");
    let mut labels = Svg::new();
    for &level in &RINGS {
        let (inner, outer) = ring(level);
        let (_, text) = colours(level);
        let title = level_title(content, level);
        if level == EcoLevel::Child {
            let lines = wrap(&title, 2.0 * CHILD_RADIUS - 16.0, Font::bold(19.0));
            let height = Font::bold(19.0).block_height(lines.len());
            labels.text(
                cx,
                cy - height / 2.0,
                &lines,
                Font::bold(19.0),
                text,
                Anchor::Middle,
            );
            continue;
        }
        let middle = (inner + outer) / 2.0;
        let font = fitting(&title, middle, RING_FONT);
        // Text sits above its baseline, outwards on the top arc: lower the baseline by half
        // the capital height so the letters are centred in the band.
        let id = format!("cradle-se-arc-{}", level.id());
        defs.push_str(&format!(
            r#"<path id="{id}" d="{}"/>"#,
            arc(cx, cy, middle - font.size * 0.36, true)
        ));
        labels.text_on_path(&id, &title, font, text);
        if level == EcoLevel::Time {
            let font = fitting(TIMELINE, middle, Font::regular(14.0));
            let id = "cradle-se-arc-timeline";
            defs.push_str(&format!(
                r#"<path id="{id}" d="{}"/>"#,
                arc(cx, cy, middle + font.size * 0.36, false)
            ));
            labels.text_on_path(id, TIMELINE, font, TEAL_DARK);
        }
    }
    defs.push_str("</defs>");
    svg.raw(&defs);
    svg.raw(labels.into_body().trim_end());
}

/// The key under the rings. Returns the y below it.
fn draw_key(svg: &mut Svg, x: f32, top: f32, width: f32) -> f32 {
    let mut y = top;
    y += svg.text(
        x,
        y,
        &["Key".to_owned()],
        Font::bold(17.0),
        TEXT,
        Anchor::Start,
    ) + 6.0;
    for (kind, words) in [
        (
            FactorKind::Protective,
            "Protective factor: makes good mental health more likely",
        ),
        (
            FactorKind::Risk,
            "Risk factor: makes difficulties more likely",
        ),
    ] {
        let lines = wrap(words, width - 34.0, KEY_FONT);
        marker(svg, x + 10.0, y + KEY_FONT.line_height() / 2.0, kind);
        y += svg.text(x + 30.0, y, &lines, KEY_FONT, TEXT, Anchor::Start) + 8.0;
    }
    let note = wrap(
        "Each ring is a level of the child\u{2019}s world, from the child at the centre \
         outwards. Time and transitions run around them all. The factors at each level are \
         listed beside the rings.",
        width,
        KEY_FONT,
    );
    y += 6.0;
    y += svg.text(x, y, &note, KEY_FONT, SECONDARY, Anchor::Start);
    y
}

/// The socio-ecological model: concentric rings from the child at the centre through
/// caregiving relationships, family and home, community and services, to wider society and
/// policy, with time and transitions as an outer band; each ring labelled with its level's
/// title. Beside the rings, a card per level lists its factors, protective ones marked with a
/// plus in a circle and risk ones with a minus in a diamond, under "Protective" and "Risk"
/// headings, with a key.
pub fn socio_ecological(content: &Content) -> Diagram {
    let title = "The socio-ecological model: what shapes a baby\u{2019}s mental health".to_owned();
    let subtitle = format!(
        "Risk and protective factors at each level of the child\u{2019}s world: {} in all",
        content.factors.len()
    );
    let mut svg = Svg::new();
    let top = heading(&mut svg, MARGIN, WIDTH - 2.0 * MARGIN, &title, &subtitle) + 24.0;

    // Cards in columns on the right, in reading order, split where the columns come out most
    // even.
    let cards_left = MARGIN + 2.0 * RADIUS + 36.0;
    let card_width =
        (WIDTH - MARGIN - cards_left - COLUMN_GAP * (COLUMNS - 1) as f32) / COLUMNS as f32;
    let cards: Vec<Card> = RINGS
        .iter()
        .map(|&level| card(content, level, card_width))
        .collect();
    let heights: Vec<f32> = cards.iter().map(|card| card.height + CARD_GAP).collect();
    let mut cards_bottom = top;
    let mut start = 0;
    for (column, end) in balanced_split(&heights, COLUMNS).into_iter().enumerate() {
        let x = cards_left + column as f32 * (card_width + COLUMN_GAP);
        let mut y = top;
        for card in &cards[start..end] {
            draw_card(&mut svg, card, x, y, card_width);
            y += card.height + CARD_GAP;
        }
        cards_bottom = cards_bottom.max(y - CARD_GAP);
        start = end;
    }

    // Rings and key on the left, centred beside the cards.
    let key_gap = 28.0;
    let key_height = draw_key(&mut Svg::new(), MARGIN, 0.0, 2.0 * RADIUS);
    let left_height = 2.0 * RADIUS + key_gap + key_height;
    let left_top = top + ((cards_bottom - top - left_height) / 2.0).max(0.0);
    let (cx, cy) = (MARGIN + RADIUS, left_top + RADIUS);
    draw_rings(&mut svg, content, cx, cy);
    let key_bottom = draw_key(&mut svg, MARGIN, cy + RADIUS + key_gap, 2.0 * RADIUS);
    let bottom = cards_bottom.max(key_bottom);

    let outline = outline(content);
    let description = description(content);
    let (width, height) = (WIDTH as u32, (bottom + MARGIN).ceil() as u32);
    Diagram {
        id: ID,
        svg: document(ID, width, height, &title, &description, &svg.into_body()),
        title,
        description,
        width,
        height,
        outline,
    }
}

/// Splits `heights`, in order, into `columns` runs so that the tallest run is as short as it
/// can be. Returns where each run ends. Tries every split: there are only a handful of cards.
fn balanced_split(heights: &[f32], columns: usize) -> Vec<usize> {
    fn best(heights: &[f32], from: usize, columns: usize) -> (f32, Vec<usize>) {
        let rest = &heights[from..];
        if columns <= 1 {
            return (rest.iter().sum(), vec![heights.len()]);
        }
        (from..=heights.len())
            .map(|end| {
                let here: f32 = heights[from..end].iter().sum();
                let (tallest, mut ends) = best(heights, end, columns - 1);
                ends.insert(0, end);
                (here.max(tallest), ends)
            })
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .unwrap_or_else(|| (rest.iter().sum(), vec![heights.len(); columns]))
    }
    best(heights, 0, columns).1
}

fn outline(content: &Content) -> Vec<(String, Vec<String>)> {
    RINGS
        .iter()
        .map(|&level| {
            let heading = format!("{}, {}", level_title(content, level), position(level));
            let items = KINDS
                .iter()
                .flat_map(|&kind| {
                    factors(content, level, kind)
                        .into_iter()
                        .map(move |factor| format!("{}: {}", kind_heading(kind), factor.name))
                })
                .collect();
            (heading, items)
        })
        .collect()
}

/// Joins phrases that may hold commas themselves: `a; b; and c`.
fn semicolon_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [only] => only.clone(),
        [rest @ .., last] => format!("{}; and {last}", rest.join("; ")),
    }
}

fn description(content: &Content) -> String {
    let inner: Vec<String> = RINGS[1..RINGS.len() - 1]
        .iter()
        .map(|&level| level_title(content, level).to_lowercase())
        .collect();
    let count = |kind: FactorKind| {
        content
            .factors
            .iter()
            .filter(|factor| factor.kind == kind)
            .count()
    };
    let per_level: Vec<String> = RINGS
        .iter()
        .map(|&level| {
            format!(
                "{}: {}",
                level_title(content, level),
                counts(content, level)
            )
        })
        .collect();
    format!(
        "Concentric rings with the {} at the centre, then {}, and {} as an outer band around \
         them all. Beside the rings, {} factors are listed by level: {} protective, each marked \
         with a plus in a circle, and {} risk, each marked with a minus in a diamond. {}.",
        level_title(content, EcoLevel::Child).to_lowercase(),
        semicolon_list(&inner),
        level_title(content, EcoLevel::Time).to_lowercase(),
        content.factors.len(),
        count(FactorKind::Protective),
        count(FactorKind::Risk),
        per_level.join("; "),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::{assert_accessible_svg, content, content_with, svg_text};

    #[test]
    fn shows_every_level_and_every_factor() {
        let content = content();
        let diagram = socio_ecological(&content);
        assert_accessible_svg(&diagram);
        let text = svg_text(&diagram.svg);
        assert_eq!(content.levels.len(), 6);
        for level in &content.levels {
            // On its ring and as its card's heading.
            assert!(
                text.matches(&level.title).count() >= 2,
                "{} is missing",
                level.title
            );
        }
        assert!(content.factors.len() >= 50);
        for factor in &content.factors {
            assert!(text.contains(&factor.name), "{} is missing", factor.name);
        }
    }

    #[test]
    fn marks_each_factor_by_shape_and_says_which_kind_in_words() {
        let content = content();
        let diagram = socio_ecological(&content);
        // One marker per factor, plus one of each in the key.
        let circles = diagram.svg.matches("<circle").count();
        let diamonds = diagram.svg.matches("Z\" fill=\"#ffffff\"").count();
        let protective = content
            .factors
            .iter()
            .filter(|factor| factor.kind == FactorKind::Protective)
            .count();
        let risk = content.factors.len() - protective;
        // The rings are circles too: six of them.
        assert_eq!(circles, protective + 1 + RINGS.len());
        assert_eq!(diamonds, risk + 1);
        let text = svg_text(&diagram.svg);
        assert!(text.contains("PROTECTIVE") && text.contains("RISK"));
        assert!(text.contains("Protective factor") && text.contains("Risk factor"));
    }

    #[test]
    fn outline_lists_every_factor_under_its_level_with_its_kind() {
        let content = content();
        let diagram = socio_ecological(&content);
        assert_eq!(diagram.outline.len(), 6);
        assert_eq!(diagram.outline[0].0, "Child, at the centre");
        let items: usize = diagram.outline.iter().map(|(_, items)| items.len()).sum();
        assert_eq!(items, content.factors.len());
        assert!(
            diagram.outline[1]
                .1
                .contains(&"Protective: Sensitive, responsive care".to_owned())
        );
        assert!(diagram.description.contains("with the child at the centre"));
        assert!(
            diagram
                .description
                .contains("family and home; community, early years settings and services; and")
        );
    }

    #[test]
    fn escapes_hostile_level_and_factor_names() {
        let content = content_with("Family and home", "<script>alert(1)</script>");
        let diagram = socio_ecological(&content);
        assert_accessible_svg(&diagram);
        assert!(
            diagram
                .svg
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        );
        assert!(!diagram.svg.contains("<script>"));
        let content = content_with("Domestic abuse", "Abuse & <b>neglect</b>");
        let diagram = socio_ecological(&content);
        assert_accessible_svg(&diagram);
        assert!(
            diagram
                .svg
                .contains("Abuse &amp; &lt;b&gt;neglect&lt;/b&gt;")
        );
    }

    #[test]
    fn empty_content_still_draws_the_rings() {
        let diagram = socio_ecological(&Content::default());
        assert_accessible_svg(&diagram);
        assert!(svg_text(&diagram.svg).contains("Caregiving relationships"));
        assert!(diagram.svg.contains("No factors yet"));
    }

    #[test]
    fn cards_split_into_even_columns_in_order() {
        assert_eq!(
            balanced_split(&[1.0, 1.0, 1.0, 1.0, 1.0, 1.0], 3),
            [2, 4, 6]
        );
        assert_eq!(balanced_split(&[3.0, 1.0, 1.0, 1.0], 2), [1, 4]);
        assert_eq!(balanced_split(&[1.0], 3).last(), Some(&1));
        assert_eq!(balanced_split(&[], 2), [0, 0]);
    }

    #[test]
    fn long_ring_labels_shrink_to_fit() {
        let font = fitting(&"x".repeat(200), 100.0, RING_FONT);
        assert!(font.size < RING_FONT.size);
        assert!(font.size >= 11.0);
        assert_eq!(fitting("Child", 100.0, RING_FONT), RING_FONT);
    }
}
