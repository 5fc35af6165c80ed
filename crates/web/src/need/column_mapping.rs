//! The population upload form's column mapping: for a file in a layout Cradle does not
//! recognise (NISRA's flat files, StatsWales downloads, a local extract), the person
//! importing it names the columns, and the file is read through that mapping.

use cradle_readers::{ColumnMapping, CountColumns};

use crate::shared::forms::FormErrors;
use crate::shared::uploads::UploadForm;

/// The `counts` choice for one column per age.
pub(crate) const PER_AGE: &str = "per-age";
/// The `counts` choice for one row per area and age.
pub(crate) const AGE_AND_COUNT: &str = "age-and-count";

/// The mapping fields as sent, kept to show the form again.
#[derive(Debug, Default, Clone)]
pub(crate) struct MappingForm {
    pub code_column: String,
    pub name_column: String,
    pub counts: String,
    pub age_column: String,
    pub count_column: String,
    pub year_column: String,
    pub publisher: String,
    pub edition: String,
}

impl MappingForm {
    pub(crate) fn from_upload(form: &UploadForm) -> Self {
        let field = |name: &str| form.field(name).to_owned();
        Self {
            code_column: field("code_column"),
            name_column: field("name_column"),
            counts: field("counts"),
            age_column: field("age_column"),
            count_column: field("count_column"),
            year_column: field("year_column"),
            publisher: field("publisher"),
            edition: field("edition"),
        }
    }

    /// Whether anything was written in the mapping (the choice of layout alone does not
    /// count: it has a default).
    pub(crate) fn is_used(&self) -> bool {
        [
            &self.code_column,
            &self.name_column,
            &self.age_column,
            &self.count_column,
            &self.year_column,
            &self.publisher,
            &self.edition,
        ]
        .iter()
        .any(|value| !value.is_empty())
    }

    /// The mapping to read the file through; `None` when none was given (the file's layout
    /// is then recognised). Every missing field is named.
    pub(crate) fn mapping(&self) -> Result<Option<ColumnMapping>, FormErrors> {
        if !self.is_used() {
            return Ok(None);
        }
        let mut errors = FormErrors::default();
        let mut required = |field: &'static str, value: &str, message: &str| {
            if value.is_empty() {
                errors.add(field, message);
            }
        };
        required(
            "code_column",
            &self.code_column,
            "Enter the heading of the column of area codes",
        );
        required(
            "publisher",
            &self.publisher,
            "Enter who published the file, such as Northern Ireland Statistics and Research Agency",
        );
        required(
            "edition",
            &self.edition,
            "Enter which publication the file is, such as Mid-year population estimates",
        );
        let counts = match self.counts.as_str() {
            AGE_AND_COUNT => {
                required(
                    "age_column",
                    &self.age_column,
                    "Enter the heading of the column of ages",
                );
                required(
                    "count_column",
                    &self.count_column,
                    "Enter the heading of the column of counts",
                );
                CountColumns::AgeAndCount {
                    age: self.age_column.clone(),
                    count: self.count_column.clone(),
                }
            }
            "" | PER_AGE => CountColumns::OnePerAge,
            _ => {
                errors.add("counts", "Select how the file gives the counts by age");
                CountColumns::OnePerAge
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let optional = |value: &str| (!value.is_empty()).then(|| value.to_owned());
        Ok(Some(ColumnMapping {
            area_code: self.code_column.clone(),
            area_name: optional(&self.name_column),
            counts,
            year: optional(&self.year_column),
            publisher: self.publisher.clone(),
            edition: self.edition.clone(),
        }))
    }

    /// Whether the long layout (one row per area and age) is chosen.
    pub(crate) fn is_long(&self) -> bool {
        self.counts == AGE_AND_COUNT
    }
}

#[cfg(test)]
mod tests {
    // Test code: a panic is how a test fails.
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn nisra() -> MappingForm {
        MappingForm {
            code_column: "area_code".into(),
            name_column: "area_name".into(),
            counts: AGE_AND_COUNT.into(),
            age_column: "age".into(),
            count_column: "MYE".into(),
            year_column: "year".into(),
            publisher: "NISRA".into(),
            edition: "Mid-year population estimates".into(),
        }
    }

    #[test]
    fn an_empty_mapping_means_the_layout_is_recognised() {
        let form = MappingForm {
            counts: PER_AGE.into(),
            ..MappingForm::default()
        };
        assert!(form.mapping().unwrap().is_none());
    }

    #[test]
    fn a_long_mapping_names_its_age_and_count_columns() {
        let mapping = nisra().mapping().unwrap().unwrap();
        assert_eq!(mapping.area_code, "area_code");
        assert_eq!(mapping.area_name.as_deref(), Some("area_name"));
        assert_eq!(
            mapping.counts,
            CountColumns::AgeAndCount {
                age: "age".into(),
                count: "MYE".into()
            }
        );
        assert_eq!(mapping.year.as_deref(), Some("year"));
    }

    #[test]
    fn every_missing_field_is_named() {
        let form = MappingForm {
            counts: AGE_AND_COUNT.into(),
            name_column: "area_name".into(),
            ..MappingForm::default()
        };
        let errors = form.mapping().unwrap_err();
        for field in [
            "code_column",
            "publisher",
            "edition",
            "age_column",
            "count_column",
        ] {
            assert!(errors.get(field).is_some(), "{field} is named");
        }
        let form = MappingForm {
            counts: "sideways".into(),
            ..nisra()
        };
        assert!(form.mapping().unwrap_err().get("counts").is_some());
    }
}
