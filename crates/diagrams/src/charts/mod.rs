//! The charts drawn on the partnership's pages: the estimated need per tier, local
//! indicators over time, and how raters placed the partnership in a self-assessment round.
//!
//! Each is pure geometry: plain figures in, a view of SVG coordinates and accessible text out,
//! which a page template draws. Keeping the arithmetic here, rather than in the web handlers,
//! lets it be tested on its own: scales, bars within the plot, labels, empty input. Each chart
//! can also draw itself as a standalone SVG document (`to_svg`), for reports and slides.

pub mod indicators;
pub mod need;
pub mod self_assessment;
mod standalone;
