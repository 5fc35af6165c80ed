//! The partnership's action log: actions added from a workshop, from a gap or by hand.

pub(crate) mod from_gap;
