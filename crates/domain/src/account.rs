//! The rules for people's accounts: email addresses, passwords, how long links last, and
//! when repeated failed sign-ins are slowed down.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// How long an invitation link works.
pub const INVITATION_LIFETIME: Duration = Duration::from_secs(7 * 24 * 60 * 60);
/// How long a password reset (or first sign-in) link works.
pub const RESET_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);
/// A session ends after this long without a request.
pub const SESSION_IDLE_TIMEOUT: Duration = Duration::from_secs(2 * 60 * 60);
/// A session ends this long after sign-in, however busy.
pub const SESSION_ABSOLUTE_LIFETIME: Duration = Duration::from_secs(12 * 60 * 60);

/// The shortest password accepted (NCSC: length over composition rules).
pub const PASSWORD_MIN_CHARS: usize = 12;
/// The longest password accepted, so that hashing stays cheap to refuse.
pub const PASSWORD_MAX_CHARS: usize = 256;
/// Longest email address (RFC 5321's path limit).
pub const EMAIL_MAX_CHARS: usize = 254;

/// An email address, trimmed and lower-cased so that one person has one account.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Email(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("Enter an email address")]
    Empty,
    #[error("Email address must be {EMAIL_MAX_CHARS} characters or fewer")]
    TooLong,
    #[error("Enter an email address in the correct format, like name@example.org")]
    Malformed,
}

impl Email {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Email {
    type Err = EmailError;

    /// Checks the shape only (something@domain.tld, no spaces); whether the address
    /// receives mail is for the person to know.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let email = text.trim().to_lowercase();
        if email.is_empty() {
            return Err(EmailError::Empty);
        }
        if email.chars().count() > EMAIL_MAX_CHARS {
            return Err(EmailError::TooLong);
        }
        let Some((local, domain)) = email.rsplit_once('@') else {
            return Err(EmailError::Malformed);
        };
        let well_formed = !local.is_empty()
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && domain.contains('.')
            && !email.chars().any(|c| c.is_whitespace() || c.is_control())
            && !domain.contains('@');
        if well_formed {
            Ok(Self(email))
        } else {
            Err(EmailError::Malformed)
        }
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a new password was refused. Messages follow the GOV.UK pattern for the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordProblem {
    #[error("Password must be {PASSWORD_MIN_CHARS} characters or more")]
    TooShort,
    #[error("Password must be {PASSWORD_MAX_CHARS} characters or fewer")]
    TooLong,
    /// Found in lists of common or leaked passwords, or built from the person's own
    /// details or predictable patterns.
    #[error("Choose a password that is harder to guess. {0}")]
    TooGuessable(String),
}

/// Checks a new password the way the NCSC advises: a minimum length, no composition
/// rules, and a refusal of passwords that are common, predictable or built from the
/// person's own details (`personal` holds their email, name and similar words).
pub fn check_new_password(password: &str, personal: &[&str]) -> Result<(), PasswordProblem> {
    let length = password.chars().count();
    if length < PASSWORD_MIN_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    if length > PASSWORD_MAX_CHARS {
        return Err(PasswordProblem::TooLong);
    }
    let words = personal_words(personal);
    let mut inputs: Vec<&str> = words.iter().map(String::as_str).collect();
    inputs.extend(["cradle", "unicef", "pedal", "partnership"]);
    let estimate = zxcvbn::zxcvbn(password, &inputs);
    // Score 3 means about 10^8 guesses or more: beyond the common-password lists that
    // online guessing works through, while letting long passphrases of ordinary words pass.
    if u8::from(estimate.score()) >= 3 {
        return Ok(());
    }
    let advice = estimate
        .feedback()
        .and_then(|feedback| {
            feedback
                .warning()
                .map(|warning| warning.to_string())
                .or_else(|| feedback.suggestions().first().map(|s| s.to_string()))
        })
        .unwrap_or_else(|| "Try a few unrelated words together.".to_owned());
    Err(PasswordProblem::TooGuessable(advice))
}

/// The words in a person's details ("sam.jones@example.org" gives sam, jones, samjones,
/// example and so on), so that a password built from them is caught.
fn personal_words(personal: &[&str]) -> Vec<String> {
    let mut words = Vec::new();
    for text in personal {
        let parts: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|part| part.chars().count() >= 3)
            .map(str::to_lowercase)
            .collect();
        if let Some((local, _)) = text.split_once('@') {
            words.push(
                local
                    .chars()
                    .filter(|c| c.is_alphanumeric())
                    .collect::<String>()
                    .to_lowercase(),
            );
        }
        words.push(parts.concat());
        words.extend(parts);
    }
    words.retain(|word| !word.is_empty());
    words
}

/// How many failed sign-ins are tolerated within a window before more are refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleRule {
    pub max_failures: usize,
    pub window: Duration,
}

/// Failures for one account: a handful of mistypes, then a pause.
pub const ACCOUNT_THROTTLE: ThrottleRule = ThrottleRule {
    max_failures: 5,
    window: Duration::from_secs(15 * 60),
};

/// Failures from one network address, across accounts: enough for a shared office.
pub const ADDRESS_THROTTLE: ThrottleRule = ThrottleRule {
    max_failures: 20,
    window: Duration::from_secs(15 * 60),
};

impl ThrottleRule {
    /// Given the ages of recent failures (how long ago each happened), says how long
    /// until another attempt is allowed, or `None` if one is allowed now.
    pub fn wait(self, failure_ages: &[Duration]) -> Option<Duration> {
        let mut recent: Vec<Duration> = failure_ages
            .iter()
            .copied()
            .filter(|age| *age < self.window)
            .collect();
        if recent.len() < self.max_failures {
            return None;
        }
        // Allowed again once enough failures have aged out of the window.
        recent.sort_unstable();
        let blocking = recent[self.max_failures - 1];
        Some(self.window.saturating_sub(blocking))
    }
}

/// "14 minutes", "1 minute": a wait rounded up to whole minutes for messages.
pub fn minutes_text(wait: Duration) -> String {
    let minutes = wait.as_secs().div_ceil(60).max(1);
    if minutes == 1 {
        "1 minute".to_owned()
    } else {
        format!("{minutes} minutes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked_for_shape() {
        let email: Email = "  Sam.Jones@Example.ORG ".parse().unwrap();
        assert_eq!(email.as_str(), "sam.jones@example.org");
        assert_eq!("".parse::<Email>(), Err(EmailError::Empty));
        for bad in [
            "sam",
            "sam@",
            "@example.org",
            "sam@example",
            "sam jones@example.org",
        ] {
            assert_eq!(bad.parse::<Email>(), Err(EmailError::Malformed), "{bad}");
        }
    }

    #[test]
    fn passwords_need_length_not_composition() {
        assert_eq!(
            check_new_password("Sh0rt!", &[]),
            Err(PasswordProblem::TooShort)
        );
        assert!(check_new_password("marmalade kettle lantern", &[]).is_ok());
        assert!(check_new_password(&"x".repeat(300), &[]).is_err());
    }

    #[test]
    fn common_and_personal_passwords_are_refused() {
        for common in [
            "password1234",
            "qwertyuiop123",
            "123456789012",
            "iloveyou1234",
        ] {
            assert!(
                matches!(
                    check_new_password(common, &[]),
                    Err(PasswordProblem::TooGuessable(_))
                ),
                "{common} was accepted"
            );
        }
        assert!(matches!(
            check_new_password("samjones2024!", &["sam.jones@example.org", "Sam Jones"]),
            Err(PasswordProblem::TooGuessable(_))
        ));
    }

    #[test]
    fn throttling_starts_after_the_allowed_failures_and_ends_with_the_window() {
        let rule = ThrottleRule {
            max_failures: 3,
            window: Duration::from_secs(600),
        };
        let ages = |secs: &[u64]| {
            secs.iter()
                .map(|s| Duration::from_secs(*s))
                .collect::<Vec<_>>()
        };
        assert_eq!(rule.wait(&ages(&[10, 20])), None);
        assert_eq!(rule.wait(&ages(&[10, 20, 700])), None);
        assert_eq!(
            rule.wait(&ages(&[10, 20, 100])),
            Some(Duration::from_secs(500))
        );
        assert_eq!(minutes_text(Duration::from_secs(500)), "9 minutes");
        assert_eq!(minutes_text(Duration::from_secs(5)), "1 minute");
    }
}
