//! The being and becoming framework: two dimensions by three domains, held in relationships.

use cradle_content::{Content, Element};
use cradle_domain::{Dimension, Domain};

use crate::Diagram;
use crate::svg::{
    Anchor, BORDER, Font, Paint, SECONDARY, Svg, TEAL, TEAL_DARK, TEXT, TINT_1, TINT_2, TINT_3,
    WHITE, and_list, document, heading, wrap,
};

pub(crate) const ID: &str = "framework";

const WIDTH: f32 = 1600.0;
const MARGIN: f32 = 40.0;
/// The relationships frame: its top band (with the heading), sides and bottom band.
const BAND_TOP: f32 = 64.0;
const BAND_SIDE: f32 = 22.0;
const BAND_BOTTOM: f32 = 52.0;
const ROW_LABEL_WIDTH: f32 = 200.0;
const GAP: f32 = 12.0;
const CELL_PADDING: f32 = 14.0;
const CARD_PADDING: f32 = 14.0;

const TITLE_FONT: Font = Font::regular(21.0);
const DOMAIN_FONT: Font = Font::bold(23.0);
const DIMENSION_FONT: Font = Font::bold(26.0);
const DIMENSION_NOTE_FONT: Font = Font::regular(18.0);

const RELATIONSHIPS: &str = "Babies\u{2019} mental health lives in their relationships";
const RELATIONSHIPS_NOTE: &str =
    "Relationships with the adults who care for them carry every element, now and for later";

/// What each dimension means, in the toolkit's words.
fn dimension_note(dimension: Dimension) -> &'static str {
    match dimension {
        Dimension::Being => "mental health now",
        Dimension::Becoming => "capacities developing for later",
    }
}

fn cell(content: &Content, dimension: Dimension, domain: Domain) -> Vec<&Element> {
    content
        .elements
        .iter()
        .filter(|element| element.dimension == dimension && element.domain == domain)
        .collect()
}

/// The being and becoming framework: two columns, being (mental health now) and becoming
/// (capacities developing for later), by three rows, emotional, social and behavioural, with
/// each element's title in its cell; the whole grid sits inside a band saying that babies'
/// mental health lives in their relationships, since relationships carry all of it.
pub fn framework(content: &Content) -> Diagram {
    let title = "The being and becoming framework".to_owned();
    let count = content.elements.len();
    let subtitle = format!(
        "{count} elements of mental health in infancy and early childhood, in two dimensions and three domains"
    );

    let mut svg = Svg::new();
    let top = heading(&mut svg, MARGIN, WIDTH - 2.0 * MARGIN, &title, &subtitle) + 22.0;

    // Geometry of the grid inside the frame.
    let inner_left = MARGIN + BAND_SIDE;
    let inner_right = WIDTH - MARGIN - BAND_SIDE;
    // Columns and rows keep a gap from the white panel's edges.
    let columns_right = inner_right - GAP;
    let column_left = inner_left + ROW_LABEL_WIDTH + GAP;
    let column_width = (columns_right - column_left - GAP) / 2.0;
    let column_x = |index: usize| column_left + index as f32 * (column_width + GAP);
    let card_width = column_width - 2.0 * CELL_PADDING;
    let text_width = card_width - 2.0 * CARD_PADDING - 8.0;

    // Lay out each row's cards first, so that the frame can be drawn behind them.
    struct Card {
        lines: Vec<String>,
        height: f32,
    }
    let rows: Vec<(Domain, Vec<Vec<Card>>)> = Domain::ALL
        .iter()
        .map(|&domain| {
            let cells = Dimension::ALL
                .iter()
                .map(|&dimension| {
                    cell(content, dimension, domain)
                        .into_iter()
                        .map(|element| {
                            let lines = wrap(&element.title, text_width, TITLE_FONT);
                            let height = TITLE_FONT.block_height(lines.len()) + 2.0 * CARD_PADDING;
                            Card { lines, height }
                        })
                        .collect()
                })
                .collect();
            (domain, cells)
        })
        .collect();
    let cell_height = |cards: &[Card]| {
        let stacked: f32 = cards.iter().map(|card| card.height).sum();
        stacked + GAP * cards.len().saturating_sub(1) as f32 + 2.0 * CELL_PADDING
    };
    let row_heights: Vec<f32> = rows
        .iter()
        .map(|(domain, cells)| {
            let label = wrap(domain.label(), ROW_LABEL_WIDTH - 24.0, DOMAIN_FONT);
            let label_height = DOMAIN_FONT.block_height(label.len()) + 2.0 * CELL_PADDING;
            cells
                .iter()
                .map(|cards| cell_height(cards))
                .fold(label_height.max(90.0), f32::max)
        })
        .collect();

    let header_height = 92.0;
    let grid_top = top + BAND_TOP;
    let grid_height =
        header_height + row_heights.iter().sum::<f32>() + GAP * (rows.len() + 1) as f32;
    let frame_height = BAND_TOP + grid_height + BAND_BOTTOM;
    let height = top + frame_height + MARGIN;

    // The relationships frame.
    svg.rect(
        MARGIN,
        top,
        WIDTH - 2.0 * MARGIN,
        frame_height,
        18.0,
        Paint::fill(TEAL),
    );
    svg.rect(
        inner_left,
        grid_top,
        inner_right - inner_left,
        grid_height,
        8.0,
        Paint::fill(WHITE),
    );
    let band_font = Font::bold(26.0);
    svg.text(
        WIDTH / 2.0,
        top + (BAND_TOP - band_font.line_height()) / 2.0,
        &[RELATIONSHIPS.to_owned()],
        band_font,
        WHITE,
        Anchor::Middle,
    );
    let note_font = Font::regular(18.0);
    svg.text(
        WIDTH / 2.0,
        top + frame_height - (BAND_BOTTOM + note_font.line_height()) / 2.0,
        &[RELATIONSHIPS_NOTE.to_owned()],
        note_font,
        WHITE,
        Anchor::Middle,
    );

    // Column headers: being and becoming.
    let header_top = grid_top + GAP;
    for (index, &dimension) in Dimension::ALL.iter().enumerate() {
        let x = column_x(index);
        svg.rect(
            x,
            header_top,
            column_width,
            header_height - GAP,
            8.0,
            Paint::fill(TINT_3),
        );
        let name_height = DIMENSION_FONT.line_height();
        let note_height = DIMENSION_NOTE_FONT.line_height();
        let text_top = header_top + (header_height - GAP - name_height - note_height) / 2.0;
        svg.text(
            x + column_width / 2.0,
            text_top,
            &[dimension.label().to_owned()],
            DIMENSION_FONT,
            TEXT,
            Anchor::Middle,
        );
        svg.text(
            x + column_width / 2.0,
            text_top + name_height,
            &[capitalise(dimension_note(dimension))],
            DIMENSION_NOTE_FONT,
            TEXT,
            Anchor::Middle,
        );
    }

    // Rows: the domain's label, then a cell per dimension with its elements as cards.
    let mut y = grid_top + header_height + GAP;
    for ((domain, cells), row_height) in rows.iter().zip(&row_heights) {
        svg.rect(
            inner_left + GAP,
            y,
            ROW_LABEL_WIDTH - GAP,
            *row_height,
            8.0,
            Paint::fill(TINT_2),
        );
        let label = wrap(domain.label(), ROW_LABEL_WIDTH - 24.0, DOMAIN_FONT);
        svg.text(
            inner_left + GAP + (ROW_LABEL_WIDTH - GAP) / 2.0,
            y + (row_height - DOMAIN_FONT.block_height(label.len())) / 2.0,
            &label,
            DOMAIN_FONT,
            TEAL_DARK,
            Anchor::Middle,
        );
        for (index, cards) in cells.iter().enumerate() {
            let x = column_x(index);
            svg.rect(x, y, column_width, *row_height, 8.0, Paint::fill(TINT_1));
            // Cards sit centred in the cell when a neighbour is taller.
            let mut card_y = y + (row_height - cell_height(cards)) / 2.0 + CELL_PADDING;
            for card in cards {
                let card_x = x + CELL_PADDING;
                svg.rect(
                    card_x,
                    card_y,
                    card_width,
                    card.height,
                    6.0,
                    Paint::outlined(WHITE, BORDER, 1.0),
                );
                svg.rect(card_x, card_y, 6.0, card.height, 3.0, Paint::fill(TEAL));
                svg.text(
                    card_x + CARD_PADDING + 8.0,
                    card_y + CARD_PADDING,
                    &card.lines,
                    TITLE_FONT,
                    TEXT,
                    Anchor::Start,
                );
                card_y += card.height + GAP;
            }
            if cards.is_empty() {
                svg.text(
                    x + column_width / 2.0,
                    y + (row_height - TITLE_FONT.line_height()) / 2.0,
                    &["No elements yet".to_owned()],
                    TITLE_FONT,
                    SECONDARY,
                    Anchor::Middle,
                );
            }
        }
        y += row_height + GAP;
    }

    let outline = outline(content);
    let description = description(content, &outline);
    let (width, height) = (WIDTH as u32, height.ceil() as u32);
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

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn cell_heading(dimension: Dimension, domain: Domain) -> String {
    format!(
        "{} ({}): {}",
        dimension.label(),
        dimension_note(dimension),
        domain.label().to_lowercase()
    )
}

fn outline(content: &Content) -> Vec<(String, Vec<String>)> {
    let mut outline = vec![(
        RELATIONSHIPS.to_owned(),
        vec![format!("{RELATIONSHIPS_NOTE}.")],
    )];
    for &dimension in Dimension::ALL {
        for &domain in Domain::ALL {
            let titles = cell(content, dimension, domain)
                .into_iter()
                .map(|element| element.title.clone())
                .collect();
            outline.push((cell_heading(dimension, domain), titles));
        }
    }
    outline
}

fn description(content: &Content, outline: &[(String, Vec<String>)]) -> String {
    let domains: Vec<String> = Domain::ALL
        .iter()
        .map(|domain| domain.label().to_lowercase())
        .collect();
    let mut text = format!(
        "A grid of {} elements inside a frame that reads: {RELATIONSHIPS}. Two columns: being \
         ({}) and becoming ({}). Three rows: {}.",
        content.elements.len(),
        dimension_note(Dimension::Being),
        dimension_note(Dimension::Becoming),
        and_list(&domains),
    );
    for (heading, items) in outline.iter().skip(1) {
        if !items.is_empty() {
            text.push_str(&format!(" {}: {}.", capitalise(heading), items.join("; ")));
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::{assert_accessible_svg, content, content_with};

    #[test]
    fn shows_every_element_title_dimension_and_domain() {
        let content = content();
        let diagram = framework(&content);
        assert_accessible_svg(&diagram);
        assert_eq!(content.elements.len(), 12);
        for element in &content.elements {
            let title = crate::svg::escape(&element.title);
            let words: Vec<&str> = title.split_whitespace().collect();
            // Titles may wrap, so look for each word in order within the SVG's text.
            assert!(
                crate::tests::svg_text(&diagram.svg).contains(&words.join(" ")),
                "{} is missing",
                element.title
            );
        }
        for label in ["Being", "Becoming", "Emotional", "Social", "Behavioural"] {
            assert!(diagram.svg.contains(&format!(">{label}<")), "{label}");
        }
        assert!(diagram.svg.contains("lives in their relationships"));
    }

    #[test]
    fn outline_has_a_group_per_cell_with_every_element() {
        let content = content();
        let diagram = framework(&content);
        assert_eq!(diagram.outline.len(), 1 + 6);
        let listed: Vec<&String> = diagram.outline[1..]
            .iter()
            .flat_map(|(_, items)| items)
            .collect();
        assert_eq!(listed.len(), content.elements.len());
        assert_eq!(diagram.outline[1].0, "Being (mental health now): emotional");
        assert!(diagram.description.starts_with("A grid of 12 elements"));
    }

    #[test]
    fn escapes_a_hostile_title() {
        let content = content_with(
            "Feeling safe, soothed and comforted",
            "<script>alert('x')</script> & co",
        );
        let diagram = framework(&content);
        assert_accessible_svg(&diagram);
        assert!(diagram.svg.contains("&lt;script&gt;"));
        assert!(!diagram.svg.contains("<script>"));
    }

    #[test]
    fn empty_content_still_draws_a_valid_frame() {
        let diagram = framework(&Content::default());
        assert_accessible_svg(&diagram);
        assert!(diagram.svg.contains("No elements yet"));
    }
}
