//! Turning the selection a caller spells out — on a command line (the host's
//! and the portable component's) or as HTTP query parameters — into a
//! [`Filter`], with the same rules and messages everywhere.

use crate::error::AuditError;
use crate::query::{Filter, Source};

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

impl Selection {
    /// The filter this selection stands for.
    ///
    /// # Errors
    /// [`AuditError::Invalid`] when no log or more than one is named, or when
    /// `skill` is given for tool logs or `tool` for the skill log. The
    /// component checks the values themselves.
    pub fn filter(&self) -> Result<Filter, AuditError> {
        let source = match (self.skills, &self.user, self.all_users) {
            (true, None, false) => Source::Skills,
            (false, Some(user), false) => Source::User(user.clone()),
            (false, None, true) => Source::AllUsers,
            (false, None, false) => {
                return Err(AuditError::invalid(
                    "source",
                    "name a log: the skill log, one user, or all users",
                ));
            }
            _ => {
                return Err(AuditError::invalid(
                    "source",
                    "name only one log: the skill log, one user, or all users",
                ));
            }
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
}
