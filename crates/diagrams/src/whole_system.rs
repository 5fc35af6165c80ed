//! The whole-system picture: who touches a baby's life, by tier of need, around the family
//! and community.

use cradle_content::{Content, SystemPart};
use cradle_domain::{Sector, Tier};

use crate::Diagram;
use crate::svg::{
    Anchor, BORDER, Font, Paint, SECONDARY, Svg, TEAL, TEXT, TINT_1, TINT_2, TINT_3, TINT_4, WHITE,
    and_list, document, heading, wrap,
};

pub(crate) const ID: &str = "whole-system";

const WIDTH: f32 = 1600.0;
const MARGIN: f32 = 40.0;
/// The family and community panel on the left.
const PANEL_WIDTH: f32 = 230.0;
const PANEL_PADDING: f32 = 20.0;
/// Each tier's band: its label on the left, then its parts as cards, this many to a row.
const LABEL_WIDTH: f32 = 250.0;
const CARDS_PER_ROW: usize = 4;
const BAND_GAP: f32 = 10.0;
const BAND_PADDING: f32 = 12.0;
const CARD_GAP: f32 = 10.0;
const CARD_PADDING: f32 = 10.0;

const TIER_FONT: Font = Font::bold(19.0);
const TIER_NOTE_FONT: Font = Font::regular(15.0);
const NAME_FONT: Font = Font::bold(15.0);
const META_FONT: Font = Font::regular(13.0);
const PANEL_TITLE_FONT: Font = Font::bold(23.0);
const PANEL_NOTE_FONT: Font = Font::regular(16.0);

const BASE_TITLE: &str = "Family and community";
const BASE_NOTE: &str = "At the heart of the system: every service works with and around the baby\u{2019}s family and community.";

/// Who a tier is for, in plain words.
fn tier_note(tier: Tier) -> &'static str {
    match tier {
        Tier::Universal => "For every baby and family",
        Tier::UniversalPlus => "Extra help, early, for some families",
        Tier::Targeted => "For families with identified needs",
        Tier::Specialist => "For complex or persistent difficulties",
        Tier::Acute => "For urgent, intensive needs",
    }
}

/// Each tier's band is a shade deeper than the last, echoing the rising need (the tier's
/// name and its step marker say the same, so the shade is never the only cue).
fn tier_fill(tier: Tier) -> &'static str {
    match tier {
        Tier::Universal => TINT_1,
        Tier::UniversalPlus => TINT_2,
        Tier::Targeted => TINT_2,
        Tier::Specialist => TINT_3,
        Tier::Acute => TINT_4,
    }
}

/// Parts that are the family and community themselves sit in the panel, not a tier's band.
fn in_base(part: &SystemPart) -> bool {
    part.sector == Sector::FamilyCommunity
}

fn nations(part: &SystemPart) -> Option<String> {
    if part.nations.is_empty() {
        return None;
    }
    let names: Vec<&str> = part.nations.iter().map(|nation| nation.label()).collect();
    Some(format!("{} only", and_list(&names)))
}

/// The lines under a part's name: its sector, and where it is nation-specific.
fn meta(part: &SystemPart) -> Vec<String> {
    std::iter::once(part.sector.label().to_owned())
        .chain(nations(part))
        .collect()
}

/// Wraps a tier's label, breaking after a slash first (`Universal plus /` `early help`).
fn wrap_label(label: &str, width: f32, font: Font) -> Vec<String> {
    let parts: Vec<String> = match label.split_once(" / ") {
        Some((first, second)) => vec![format!("{first} /"), second.to_owned()],
        None => vec![label.to_owned()],
    };
    parts
        .iter()
        .flat_map(|part| wrap(part, width, font))
        .collect()
}

fn in_tier(content: &Content, tier: Tier) -> Vec<&SystemPart> {
    content
        .system_parts
        .iter()
        .filter(|part| part.tier == tier && !in_base(part))
        .collect()
}

/// A part's card: its name in bold, then its sector and any nations.
struct Card {
    name: Vec<String>,
    meta: Vec<String>,
}

impl Card {
    fn new(part: &SystemPart, width: f32) -> Self {
        let text_width = width - 2.0 * CARD_PADDING;
        let meta = meta(part)
            .iter()
            .flat_map(|line| wrap(line, text_width, META_FONT))
            .collect();
        Self {
            name: wrap(&part.name, text_width, NAME_FONT),
            meta,
        }
    }

    fn height(&self) -> f32 {
        NAME_FONT.block_height(self.name.len())
            + META_FONT.block_height(self.meta.len())
            + 2.0 * CARD_PADDING
            + 2.0
    }

    fn draw(&self, svg: &mut Svg, x: f32, y: f32, width: f32, height: f32) {
        svg.rect(
            x,
            y,
            width,
            height,
            6.0,
            Paint::outlined(WHITE, BORDER, 1.0),
        );
        let top = y + CARD_PADDING;
        let name_height = svg.text(
            x + CARD_PADDING,
            top,
            &self.name,
            NAME_FONT,
            TEXT,
            Anchor::Start,
        );
        svg.text(
            x + CARD_PADDING,
            top + name_height + 2.0,
            &self.meta,
            META_FONT,
            SECONDARY,
            Anchor::Start,
        );
    }
}

/// Five small squares, as many filled as the tier is deep, so the rise in need shows in
/// shape as well as shade.
fn steps(svg: &mut Svg, x: f32, y: f32, tier: Tier) {
    let depth = Tier::ALL.iter().position(|&t| t == tier).unwrap_or(0);
    for index in 0..Tier::ALL.len() {
        let paint = if index <= depth {
            Paint::fill(TEAL)
        } else {
            Paint::outlined(WHITE, TEAL, 1.5)
        };
        svg.rect(x + index as f32 * 18.0, y, 13.0, 13.0, 2.0, paint);
    }
}

/// The whole-system picture: the parts of the local system that touch a baby's life, as cards
/// in five bands by tier of need, from universal at the top to acute at the bottom, each band
/// labelled with its tier, who it is for and a five-step marker of how deep it is; beside
/// them, a panel for the family and community at the heart of the system, holding the parts
/// that are the family and community themselves. Each card gives the part's name, its sector
/// and, where it applies, the nations it is found in.
pub fn whole_system(content: &Content) -> Diagram {
    let title = "The whole system around a baby and their family".to_owned();
    let subtitle = format!(
        "{} parts of the local system that touch a baby\u{2019}s life, by tier of need: need rises from top to bottom",
        content.system_parts.len()
    );
    let mut svg = Svg::new();
    let top = heading(&mut svg, MARGIN, WIDTH - 2.0 * MARGIN, &title, &subtitle) + 22.0;

    // Lay out the tiers' bands.
    let bands_left = MARGIN + PANEL_WIDTH + 16.0;
    let cards_left = bands_left + LABEL_WIDTH;
    let cards_width = WIDTH - MARGIN - BAND_PADDING - cards_left;
    let card_width = (cards_width - CARD_GAP * (CARDS_PER_ROW - 1) as f32) / CARDS_PER_ROW as f32;
    let label_width = LABEL_WIDTH - 2.0 * BAND_PADDING - 8.0;
    struct Band {
        tier: Tier,
        label: Vec<String>,
        note: Vec<String>,
        /// Rows of cards, each with the row's height.
        rows: Vec<(Vec<Card>, f32)>,
        height: f32,
    }
    let bands: Vec<Band> = Tier::ALL
        .iter()
        .map(|&tier| {
            let label = wrap_label(tier.label(), label_width, TIER_FONT);
            let note = wrap(tier_note(tier), label_width, TIER_NOTE_FONT);
            let cards: Vec<Card> = in_tier(content, tier)
                .into_iter()
                .map(|part| Card::new(part, card_width))
                .collect();
            let mut rows = Vec::new();
            let mut cards = cards.into_iter().peekable();
            while cards.peek().is_some() {
                let row: Vec<Card> = cards.by_ref().take(CARDS_PER_ROW).collect();
                let height = row.iter().map(Card::height).fold(0.0, f32::max);
                rows.push((row, height));
            }
            let label_height = 13.0
                + 8.0
                + TIER_FONT.block_height(label.len())
                + TIER_NOTE_FONT.block_height(note.len());
            let rows_height = rows
                .iter()
                .map(|(_, height)| height + CARD_GAP)
                .sum::<f32>()
                - if rows.is_empty() { 0.0 } else { CARD_GAP };
            let height =
                label_height.max(rows_height).max(META_FONT.line_height()) + 2.0 * BAND_PADDING;
            Band {
                tier,
                label,
                note,
                rows,
                height,
            }
        })
        .collect();

    // The family and community panel, as tall as the bands.
    let panel_parts: Vec<Card> = content
        .system_parts
        .iter()
        .filter(|part| in_base(part))
        .map(|part| Card::new(part, PANEL_WIDTH - 2.0 * PANEL_PADDING))
        .collect();
    let panel_text_width = PANEL_WIDTH - 2.0 * PANEL_PADDING;
    let panel_title = wrap(BASE_TITLE, panel_text_width, PANEL_TITLE_FONT);
    let panel_note = wrap(BASE_NOTE, panel_text_width, PANEL_NOTE_FONT);
    let panel_content = PANEL_TITLE_FONT.block_height(panel_title.len())
        + 8.0
        + PANEL_NOTE_FONT.block_height(panel_note.len())
        + panel_parts
            .iter()
            .map(|card| card.height() + 12.0)
            .sum::<f32>()
        + 16.0;
    let bands_height = bands.iter().map(|band| band.height + BAND_GAP).sum::<f32>() - BAND_GAP;
    let height = bands_height.max(panel_content + 2.0 * PANEL_PADDING);

    svg.rect(MARGIN, top, PANEL_WIDTH, height, 12.0, Paint::fill(TEAL));
    // The panel's text sits in its middle, level with the middle tiers.
    let mut y = top + (height - panel_content) / 2.0;
    y += svg.text(
        MARGIN + PANEL_PADDING,
        y,
        &panel_title,
        PANEL_TITLE_FONT,
        WHITE,
        Anchor::Start,
    ) + 8.0;
    y += svg.text(
        MARGIN + PANEL_PADDING,
        y,
        &panel_note,
        PANEL_NOTE_FONT,
        WHITE,
        Anchor::Start,
    ) + 16.0;
    for card in &panel_parts {
        let card_height = card.height();
        card.draw(
            &mut svg,
            MARGIN + PANEL_PADDING,
            y,
            panel_text_width,
            card_height,
        );
        y += card_height + 12.0;
    }

    // The tiers' bands, top to bottom.
    let mut y = top;
    for (index, band) in bands.iter().enumerate() {
        let band_height = if index + 1 == bands.len() {
            // The last band stretches to the panel's height.
            top + height - y
        } else {
            band.height
        };
        svg.rect(
            bands_left,
            y,
            WIDTH - MARGIN - bands_left,
            band_height,
            10.0,
            Paint::fill(tier_fill(band.tier)),
        );
        let x = bands_left + BAND_PADDING + 4.0;
        let mut label_y = y + BAND_PADDING + 2.0;
        steps(&mut svg, x, label_y, band.tier);
        label_y += 13.0 + 8.0;
        label_y += svg.text(x, label_y, &band.label, TIER_FONT, TEXT, Anchor::Start);
        svg.text(x, label_y, &band.note, TIER_NOTE_FONT, TEXT, Anchor::Start);
        let mut row_y = y + BAND_PADDING;
        for (cards, row_height) in &band.rows {
            for (index, card) in cards.iter().enumerate() {
                let card_x = cards_left + index as f32 * (card_width + CARD_GAP);
                card.draw(&mut svg, card_x, row_y, card_width, *row_height);
            }
            row_y += row_height + CARD_GAP;
        }
        if band.rows.is_empty() {
            svg.text(
                cards_left,
                y + BAND_PADDING,
                &["None listed".to_owned()],
                META_FONT,
                SECONDARY,
                Anchor::Start,
            );
        }
        y += band_height + BAND_GAP;
    }

    let height = top + height + MARGIN;
    let outline = outline(content);
    let description = description(content);
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

fn outline_item(part: &SystemPart) -> String {
    format!("{} ({})", part.name, meta(part).join("; "))
}

fn outline(content: &Content) -> Vec<(String, Vec<String>)> {
    let mut outline = vec![(
        format!("{BASE_TITLE}, at the heart of the system"),
        content
            .system_parts
            .iter()
            .filter(|part| in_base(part))
            .map(outline_item)
            .collect(),
    )];
    for &tier in Tier::ALL {
        outline.push((
            format!("{}: {}", tier.label(), tier_note(tier).to_lowercase()),
            in_tier(content, tier)
                .into_iter()
                .map(outline_item)
                .collect(),
        ));
    }
    outline
}

fn description(content: &Content) -> String {
    let tiers: Vec<String> = Tier::ALL
        .iter()
        .map(|&tier| {
            let count = in_tier(content, tier).len();
            format!("{} ({count})", tier.label().to_lowercase())
        })
        .collect();
    let base: Vec<&str> = content
        .system_parts
        .iter()
        .filter(|part| in_base(part))
        .map(|part| part.name.as_str())
        .collect();
    let mut text = format!(
        "{} parts of the local system shown as cards in five bands by tier of need, from top \
         to bottom: {}. Each band is marked with one to five filled squares as need rises. \
         Beside the bands is a panel for the family and community, at the heart of the system",
        content.system_parts.len(),
        and_list(&tiers),
    );
    if base.is_empty() {
        text.push('.');
    } else {
        text.push_str(&format!(", which holds: {}.", and_list(&base)));
    }
    text.push_str(" Each card names the part and its sector, and any nation it is specific to.");
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::{assert_accessible_svg, content, content_with, svg_text};

    #[test]
    fn shows_every_part_and_every_tier() {
        let content = content();
        let diagram = whole_system(&content);
        assert_accessible_svg(&diagram);
        let text = svg_text(&diagram.svg);
        assert!(content.system_parts.len() >= 20);
        for part in &content.system_parts {
            assert!(text.contains(&part.name), "{} is missing", part.name);
        }
        for tier in Tier::ALL {
            assert!(text.contains(tier.label()), "{tier:?} is missing");
        }
        assert!(text.contains("England only"));
    }

    #[test]
    fn outline_groups_every_part_by_tier_around_the_family() {
        let content = content();
        let diagram = whole_system(&content);
        assert_eq!(diagram.outline.len(), 1 + Tier::ALL.len());
        let items: usize = diagram.outline.iter().map(|(_, items)| items.len()).sum();
        assert_eq!(items, content.system_parts.len());
        assert!(
            diagram.outline[0]
                .1
                .iter()
                .any(|item| item.starts_with("Parents, carers and wider family"))
        );
        assert!(diagram.outline[1].0.starts_with("Universal: "));
        assert!(diagram.outline[1].1.contains(
            &"Family Hubs and Start for Life (Local authority; England only)".to_owned()
        ));
    }

    #[test]
    fn tier_labels_break_after_a_slash() {
        let lines = wrap_label("Universal plus / early help", 200.0, TIER_FONT);
        assert_eq!(lines, ["Universal plus /", "early help"]);
        assert_eq!(wrap_label("Acute", 200.0, TIER_FONT), ["Acute"]);
    }

    #[test]
    fn escapes_a_hostile_name() {
        let hostile = r#"<script> \"Health\" & 'visiting' </script>"#;
        let content = content_with("Health visiting", hostile);
        let diagram = whole_system(&content);
        assert_accessible_svg(&diagram);
        for escaped in [
            "&lt;script&gt;",
            "&quot;Health&quot;",
            "&amp;",
            "&#39;visiting&#39;",
        ] {
            assert!(diagram.svg.contains(escaped), "{escaped}");
        }
        assert!(!diagram.svg.contains("<script>"));
        // And it still reads as written.
        assert!(svg_text(&diagram.svg).contains(r#"<script> "Health" & 'visiting' </script>"#));
    }

    #[test]
    fn empty_content_still_draws_the_tiers() {
        let diagram = whole_system(&Content::default());
        assert_accessible_svg(&diagram);
        assert!(diagram.svg.contains("None listed"));
    }
}
