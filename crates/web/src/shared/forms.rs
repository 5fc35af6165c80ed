//! Form handling shared by every page with a form: field errors shown with the GOV.UK
//! error summary pattern, and the length limits every free-text field has.

use std::borrow::Cow;

/// One problem with one field, worded for the person filling in the form.
#[derive(Debug, Clone)]
pub(crate) struct FieldError {
    /// The field's `name` (and `id`), so the summary can link to it.
    pub field: Cow<'static, str>,
    pub message: String,
}

/// Every problem found in a submitted form, in the order the fields appear.
#[derive(Debug, Clone, Default)]
pub(crate) struct FormErrors(Vec<FieldError>);

impl FormErrors {
    /// Adds a problem with `field` (a fixed name, or one built for a repeated field such
    /// as one characteristic's rating).
    pub fn add(&mut self, field: impl Into<Cow<'static, str>>, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn all(&self) -> &[FieldError] {
        &self.0
    }

    /// The first message for `field`, for showing beside it.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|error| error.field == field)
            .map(|error| error.message.as_str())
    }

    /// Requires `value` to be at most `max` characters (and, if `required`, not blank),
    /// naming the field by `label` in the message. Returns the trimmed value.
    pub fn text(
        &mut self,
        field: &'static str,
        label: &str,
        value: &str,
        max: usize,
        required: bool,
    ) -> String {
        let value = value.trim();
        if required && value.is_empty() {
            self.add(field, format!("Enter {}", label.to_lowercase()));
        } else if value.chars().count() > max {
            self.add(field, format!("{label} must be {max} characters or fewer"));
        }
        value.to_owned()
    }
}

/// Limits on free-text fields (characters).
pub(crate) const NAME_MAX: usize = 120;
pub(crate) const DESCRIPTION_MAX: usize = 2000;

pub(crate) use crate::shared::safe_redirect::local_path;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_fields_are_trimmed_required_and_limited() {
        let mut errors = FormErrors::default();
        assert_eq!(errors.text("name", "Name", "  Tees  ", 10, true), "Tees");
        errors.text("about", "Description", &"x".repeat(11), 10, false);
        errors.text("title", "Title", "  ", 10, true);
        assert_eq!(
            errors.get("about"),
            Some("Description must be 10 characters or fewer")
        );
        assert_eq!(errors.get("title"), Some("Enter title"));
        assert_eq!(errors.all().len(), 2);
    }

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(
            local_path(Some("/partnerships/abc")),
            Some("/partnerships/abc")
        );
        assert_eq!(local_path(Some("//evil.example")), None);
        assert_eq!(local_path(Some("https://evil.example")), None);
        assert_eq!(local_path(Some("/\\evil.example")), None);
    }
}
