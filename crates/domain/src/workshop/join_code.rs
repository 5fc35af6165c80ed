//! The short code participants type to join a running workshop.

use std::fmt;
use std::str::FromStr;

/// The characters of a join code: capitals and digits without the easily confused 0, O, 1
/// and I. Thirty-two of them, so one random byte picks one evenly.
pub const JOIN_ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/// How many characters a join code has: 32⁶, about a billion codes.
pub const JOIN_CODE_LENGTH: usize = 6;

/// The short code participants type to join a running workshop.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct JoinCode(String);

impl JoinCode {
    /// A code from random bytes (the caller supplies the randomness).
    pub fn from_random(bytes: [u8; JOIN_CODE_LENGTH]) -> Self {
        Self(
            bytes
                .iter()
                .map(|byte| char::from(JOIN_ALPHABET[usize::from(byte % 32)]))
                .collect(),
        )
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for JoinCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A join code that cannot be one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("Enter the 6-character code shown on the facilitator’s screen, like K7QM3R")]
pub struct BadJoinCode;

impl FromStr for JoinCode {
    type Err = BadJoinCode;

    /// Reads a code as people type it: any case, with spaces or hyphens between groups.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let code: String = text
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let valid = code.len() == JOIN_CODE_LENGTH
            && code.bytes().all(|byte| JOIN_ALPHABET.contains(&byte));
        if valid {
            Ok(Self(code))
        } else {
            Err(BadJoinCode)
        }
    }
}
