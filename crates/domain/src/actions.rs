//! The partnership's action log: what is to be done, by whom and by when, and where it has
//! got to. Actions come out of workshops and out of the gaps in the service map; the store
//! links them to either, and these rules check them however they were written.

use std::fmt;
use std::str::FromStr;

use time::Date;

use crate::vocabulary::{TermVisitor, UnknownTerm, vocabulary};
use crate::workshop::{FieldProblem, TEXT_MAX, TITLE_MAX};

vocabulary! {
    /// Where an action has got to.
    ActionStatus, "action status" {
        Open = "open", "Open";
        InProgress = "in-progress", "In progress";
        Done = "done", "Done";
    }
}

/// An action in the partnership's action log, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    /// What is to be done.
    pub what: String,
    /// Who will do it, as a role or organisation (free text; not an account).
    pub owner: String,
    pub due: Option<Date>,
    pub status: ActionStatus,
}

/// The fields of an action form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActionFields {
    pub what: String,
    pub owner: String,
    pub due: String,
    pub status: String,
}

impl ActionFields {
    pub fn from_action(action: &Action) -> Self {
        Self {
            what: action.what.clone(),
            owner: action.owner.clone(),
            due: action
                .due
                .map(|date| {
                    format!(
                        "{:04}-{:02}-{:02}",
                        date.year(),
                        u8::from(date.month()),
                        date.day()
                    )
                })
                .unwrap_or_default(),
            status: action.status.id().to_owned(),
        }
    }

    pub fn validate(&self) -> Result<Action, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let what = self.what.trim();
        if what.is_empty() {
            problems.push(FieldProblem::new("what", "Enter what is to be done"));
        } else if what.chars().count() > TEXT_MAX {
            problems.push(FieldProblem::new(
                "what",
                format!("What is to be done must be {TEXT_MAX} characters or fewer"),
            ));
        }
        let owner = self.owner.trim();
        if owner.is_empty() {
            problems.push(FieldProblem::new(
                "owner",
                "Enter who will do it, as a role or organisation",
            ));
        } else if owner.chars().count() > TITLE_MAX {
            problems.push(FieldProblem::new(
                "owner",
                format!("Who will do it must be {TITLE_MAX} characters or fewer"),
            ));
        }
        let due = match self.due.trim() {
            "" => None,
            text => match crate::services::parse_date(text) {
                Some(date) => Some(date),
                None => {
                    problems.push(FieldProblem::new(
                        "due",
                        "Enter the due date as a real date, like 2027-03-31 or 31/3/2027",
                    ));
                    None
                }
            },
        };
        let status = match self.status.trim() {
            "" => Some(ActionStatus::Open),
            text => match text.parse::<ActionStatus>() {
                Ok(status) => Some(status),
                Err(_) => {
                    problems.push(FieldProblem::new("status", "Select the action’s status"));
                    None
                }
            },
        };
        match status {
            Some(status) if problems.is_empty() => Ok(Action {
                what: what.to_owned(),
                owner: owner.to_owned(),
                due,
                status,
            }),
            _ => Err(problems),
        }
    }
}

/// A filter over the action log; `None` means any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActionFilter {
    pub status: Option<ActionStatus>,
    /// Matches owners containing this text, ignoring case.
    pub owner: Option<String>,
    /// Only actions from this workshop.
    pub workshop: Option<String>,
}

impl ActionFilter {
    /// Whether an action with this owner, status and workshop passes the filter.
    pub fn matches(&self, status: ActionStatus, owner: &str, workshop: Option<&str>) -> bool {
        self.status.is_none_or(|wanted| wanted == status)
            && self
                .owner
                .as_deref()
                .is_none_or(|wanted| owner.to_lowercase().contains(&wanted.trim().to_lowercase()))
            && self
                .workshop
                .as_deref()
                .is_none_or(|wanted| workshop == Some(wanted))
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn actions_need_what_and_who_and_default_to_open() {
        let action = ActionFields {
            what: " Map perinatal services ".into(),
            owner: "Public health team".into(),
            due: "31/3/2027".into(),
            status: String::new(),
        }
        .validate()
        .unwrap();
        assert_eq!(action.what, "Map perinatal services");
        assert_eq!(action.status, ActionStatus::Open);
        assert_eq!(action.due, Some(date!(2027 - 03 - 31)));
        assert_eq!(
            ActionFields::from_action(&action).validate().unwrap(),
            action
        );
        let problems = ActionFields {
            due: "soon".into(),
            status: "finished".into(),
            ..ActionFields::default()
        }
        .validate()
        .unwrap_err();
        let named: Vec<_> = problems.iter().map(|p| p.field).collect();
        assert_eq!(named, ["what", "owner", "due", "status"]);
    }

    #[test]
    fn the_action_filter_matches_status_owner_and_workshop() {
        let any = ActionFilter::default();
        assert!(any.matches(ActionStatus::Done, "ICB", None));
        let filter = ActionFilter {
            status: Some(ActionStatus::Open),
            owner: Some("health".into()),
            workshop: Some("w1".into()),
        };
        assert!(filter.matches(ActionStatus::Open, "Public Health team", Some("w1")));
        assert!(!filter.matches(ActionStatus::Done, "Public Health team", Some("w1")));
        assert!(!filter.matches(ActionStatus::Open, "ICB", Some("w1")));
        assert!(!filter.matches(ActionStatus::Open, "Public Health team", None));
    }
}
