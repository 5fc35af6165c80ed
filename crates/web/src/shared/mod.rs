//! Machinery the features use and that never uses a feature: the page layout, forms,
//! uploads, errors, sign-in, CSV output, live messages, the route builder and the like.

pub(crate) mod action_view;
pub(crate) mod assets;
pub(crate) mod auth;
pub(crate) mod client_address;
pub(crate) mod csv_out;
pub(crate) mod error;
pub(crate) mod file_problems;
pub(crate) mod forms;
pub(crate) mod gap_actions;
pub(crate) mod gap_sections;
pub(crate) mod glossary_links;
pub(crate) mod inventory;
pub(crate) mod join_throttle;
pub(crate) mod layout;
pub mod live;
pub(crate) mod no_store;
pub(crate) mod one_time_links;
pub(crate) mod public_url;
pub(crate) mod request_id;
pub(crate) mod routes;
pub(crate) mod safe_redirect;
pub(crate) mod security;
pub(crate) mod uploads;
pub(crate) mod visible;
pub(crate) mod workshop_live;
pub(crate) mod workshop_view;
