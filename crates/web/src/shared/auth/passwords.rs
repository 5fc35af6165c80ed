//! Password hashing with Argon2id at OWASP's recommended parameters (19 MiB, 2 passes, one
//! lane: the `argon2` crate's defaults). Hashing is deliberately slow, so it runs on the
//! blocking thread pool rather than holding up other requests.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use crate::shared::error::AppError;

/// Hashes `password` to a PHC string (algorithm, parameters, salt and hash together).
pub async fn hash(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|error| AppError::Internal(format!("could not hash a password: {error}")))
    })
    .await
    .map_err(|error| AppError::Internal(format!("password hashing stopped: {error}")))?
}

/// Whether `password` matches `stored` (a PHC string from [`hash`]).
pub(crate) async fn verify(password: String, stored: String) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .verify_password(password.as_bytes(), stored.as_str())
            .is_ok()
    })
    .await
    .map_err(|error| AppError::Internal(format!("password check stopped: {error}")))
}

/// A hash of a random password, checked against when an email address has no account, so
/// that a failed sign-in takes as long whether or not the account exists.
pub(crate) async fn equalise_timing(password: String) -> Result<(), AppError> {
    static DUMMY: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let stored = DUMMY.get_or_init(|| {
        Argon2::default()
            .hash_password(b"no account has this password")
            .ok()
            .map(|hash| hash.to_string())
    });
    if let Some(stored) = stored.clone() {
        verify(password, stored).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_own_password_only() {
        let stored = hash("marmalade kettle lantern".into()).await.unwrap();
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(
            verify("marmalade kettle lantern".into(), stored.clone())
                .await
                .unwrap()
        );
        assert!(
            !verify("marmalade kettle lanterns".into(), stored)
                .await
                .unwrap()
        );
    }
}
