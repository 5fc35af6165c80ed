//! One-time link tokens (invitations, password resets): 256 random bits shown once in a
//! link; only their SHA-256 is stored, so a copy of the database cannot be used to sign in.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use crate::shared::error::AppError;

/// A new random token for a link, and the hash to store.
pub(crate) fn new_token() -> Result<(String, String), AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|error| AppError::Internal(format!("no randomness available: {error}")))?;
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hashed = hash(&token);
    Ok((token, hashed))
}

/// The stored form of a token (also used for session ids).
pub(crate) fn hash(token: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_stored_only_as_hashes() {
        let (first, first_hash) = new_token().unwrap();
        let (second, _) = new_token().unwrap();
        assert_eq!(first.len(), 43);
        assert_ne!(first, second);
        assert_ne!(first, first_hash);
        assert_eq!(hash(&first), first_hash);
    }
}
