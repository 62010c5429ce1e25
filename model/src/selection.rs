//! Turning the selection a caller spells out — on a command line (the host's
//! and the portable component's), as HTTP query parameters, or through the
//! component's `select` export — into a [`Filter`], by one rule.
//!
//! The rule is written once, in [`Selection::filter_worded`]; a front end
//! that spells the log choices its own way (HTTP's `user=NAME`, `user=all`,
//! `skills=true`) passes its [`LogChoiceWords`] rather than checking again.

use crate::error::AuditError;
use crate::filter::{Filter, Source};

/// Which log and which entries, as a caller names them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Read the skill log.
    pub skills: bool,
    /// Read this user's tool log.
    pub user: Option<String>,
    /// Read every user's tool log.
    pub all_users: bool,
    /// Only runs of this skill (skill log only).
    pub skill: Option<String>,
    /// Only calls of this tool (tool logs only).
    pub tool: Option<String>,
    /// Only entries with this status.
    pub status: Option<String>,
    /// Only entries at or after this instant (RFC 3339 or a date).
    pub since: Option<String>,
    /// Only entries before this instant.
    pub until: Option<String>,
    /// Only today and the `days - 1` UTC days before.
    pub days: Option<u32>,
}

/// How a front end words the two refusals of "name exactly one log": the
/// field each names and its reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogChoiceWords<'a> {
    /// The field named when no log is chosen.
    pub missing_field: &'a str,
    /// Why, when no log is chosen.
    pub missing: &'a str,
    /// The field named when more than one log is chosen.
    pub several_field: &'a str,
    /// Why, when more than one log is chosen.
    pub several: &'a str,
}

impl LogChoiceWords<'static> {
    /// The wording of the command lines and of the `select` export.
    pub const PLAIN: Self = Self {
        missing_field: "source",
        missing: "name a log: the skill log, one user, or all users",
        several_field: "source",
        several: "name only one log: the skill log, one user, or all users",
    };
}

impl Selection {
    /// The filter this selection stands for, worded as
    /// [`LogChoiceWords::PLAIN`].
    ///
    /// # Errors
    /// As [`Selection::filter_worded`].
    pub fn filter(&self) -> Result<Filter, AuditError> {
        self.filter_worded(&LogChoiceWords::PLAIN)
    }

    /// The filter this selection stands for, refusing a wrong choice of log
    /// in the caller's `words`.
    ///
    /// # Errors
    /// [`AuditError::Invalid`] when no log or more than one is named (as
    /// `words` says), or when `skill` is given with `tool`, `skill` for tool
    /// logs or `tool` for the skill log. The component checks the values
    /// themselves when it reads.
    pub fn filter_worded(&self, words: &LogChoiceWords<'_>) -> Result<Filter, AuditError> {
        let source = match (self.skills, &self.user, self.all_users) {
            (true, None, false) => Source::Skills,
            (false, Some(user), false) => Source::User(user.clone()),
            (false, None, true) => Source::AllUsers,
            (false, None, false) => {
                return Err(AuditError::invalid(words.missing_field, words.missing));
            }
            _ => return Err(AuditError::invalid(words.several_field, words.several)),
        };
        let name = match (&source, &self.skill, &self.tool) {
            (_, Some(_), Some(_)) => {
                return Err(AuditError::invalid("skill", "cannot be combined with tool"));
            }
            (Source::Skills, None, Some(_)) => {
                return Err(AuditError::invalid(
                    "tool",
                    "applies to tool logs; for the skill log use skill",
                ));
            }
            (Source::User(_) | Source::AllUsers, Some(_), None) => {
                return Err(AuditError::invalid(
                    "skill",
                    "applies to the skill log; for tool logs use tool",
                ));
            }
            (_, skill, tool) => skill.clone().or_else(|| tool.clone()),
        };
        Ok(Filter {
            source,
            name,
            status: self.status.clone(),
            since: self.since.clone(),
            until: self.until.clone(),
            days: self.days,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_log_must_be_named() {
        let none = Selection::default().filter().unwrap_err();
        assert!(none.to_string().starts_with("source: name a log"));
        let two = Selection {
            skills: true,
            all_users: true,
            ..Selection::default()
        };
        assert!(
            two.filter()
                .unwrap_err()
                .to_string()
                .starts_with("source: name only one log")
        );
    }

    #[test]
    fn names_go_with_their_log() {
        let skills_by_tool = Selection {
            skills: true,
            tool: Some("t".into()),
            ..Selection::default()
        };
        assert!(
            skills_by_tool
                .filter()
                .unwrap_err()
                .to_string()
                .starts_with("tool: applies to tool logs")
        );
        let users_by_tool = Selection {
            all_users: true,
            tool: Some("t".into()),
            status: Some("ok".into()),
            ..Selection::default()
        };
        let filter = users_by_tool.filter().unwrap();
        assert_eq!(filter.source, Source::AllUsers);
        assert_eq!(filter.name.as_deref(), Some("t"));
        assert_eq!(filter.status.as_deref(), Some("ok"));
    }

    #[test]
    fn a_front_end_words_the_log_choice_its_own_way() {
        let words = LogChoiceWords {
            missing_field: "user",
            missing: "name a log: user=NAME, user=all, or skills=true",
            several_field: "skills",
            several: "cannot be combined with user",
        };
        let none = Selection::default().filter_worded(&words).unwrap_err();
        assert_eq!(
            none.to_string(),
            "user: name a log: user=NAME, user=all, or skills=true"
        );
        let two = Selection {
            skills: true,
            user: Some("alice".into()),
            ..Selection::default()
        };
        assert_eq!(
            two.filter_worded(&words).unwrap_err().to_string(),
            "skills: cannot be combined with user"
        );
    }
}
