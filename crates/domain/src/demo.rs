//! The demo partnership loaded on a new database, so that a newcomer has something to
//! look at. Its areas are real (the five Tees Valley unitary authorities); everything
//! else about it is invented and labelled as demo data wherever it is shown.

use crate::partnership::NewPartnership;
use crate::vocabulary::Nation;

/// The demo partnership, loaded once into a new database.
pub fn partnership() -> NewPartnership {
    NewPartnership {
        name: "Tees Valley demo partnership".into(),
        nation: Nation::England,
        description: "An invented partnership of health, early years, social care and voluntary sector partners, \
                      for trying Cradle out. Nothing here describes real plans."
            .into(),
        areas: ["E06000001", "E06000002", "E06000003", "E06000004", "E06000005"]
            .iter()
            .filter_map(|code| code.parse().ok())
            .collect(),
        is_demo: true,
    }
}
