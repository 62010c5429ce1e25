//! Turning the selection a caller spells out — on the command line or as HTTP
//! query parameters — into a [`Filter`], with the same rules and messages for both.

use crate::bindings::audit::log::types::{Filter, Source};
use crate::error::Result;

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
    /// [`Error::Invalid`](crate::Error::Invalid) when no log or more than one is named, or when
    /// `skill` is given for tool logs or `tool` for the skill log (the rules
    /// live in the component's crate, shared with the portable command line).
    /// The component checks the values themselves.
    pub fn filter(&self) -> Result<Filter> {
        let filter = auditlog_guest::select::Selection {
            skills: self.skills,
            user: self.user.clone(),
            all_users: self.all_users,
            skill: self.skill.clone(),
            tool: self.tool.clone(),
            status: self.status.clone(),
            since: self.since.clone(),
            until: self.until.clone(),
            days: self.days,
        }
        .filter()?;
        Ok(Filter {
            source: match filter.source {
                auditlog_guest::query::Source::Skills => Source::Skills,
                auditlog_guest::query::Source::User(user) => Source::User(user),
                auditlog_guest::query::Source::AllUsers => Source::AllUsers,
            },
            name: filter.name,
            status: filter.status,
            since: filter.since,
            until: filter.until,
            days: filter.days,
        })
    }
}
