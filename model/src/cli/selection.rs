//! Which log a command reads or goes through: for `recent` and `stats`,
//! one log (`--skills`, `--user`, `--all-users`, exactly one) and which
//! entries of it ([`SelectionArgs`]); for `verify`, `repair` and `adopt`,
//! all the logs unless narrowed ([`LogsArgs`]).

use super::{Utf8Text, WholeNumber};
use crate::{AuditError, Filter, Selection, Source};

/// Which log and which entries.
#[derive(Debug, Clone, clap::Args)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["skills", "user", "all_users"])))]
pub struct SelectionArgs {
    /// Read the skill log (audit_log.json).
    #[arg(long, help_heading = "Which log")]
    pub skills: bool,
    /// Read this user's tool log.
    #[arg(long, value_name = "USER", value_parser = Utf8Text, help_heading = "Which log")]
    pub user: Option<String>,
    /// Read every user's tool log, merged by time.
    #[arg(long, help_heading = "Which log")]
    pub all_users: bool,
    /// Only runs of this skill (with --skills).
    #[arg(long, value_name = "SKILL", value_parser = Utf8Text, help_heading = "Which entries")]
    pub skill: Option<String>,
    /// Only calls of this tool (with --user or --all-users).
    #[arg(long, value_name = "TOOL", value_parser = Utf8Text, help_heading = "Which entries")]
    pub tool: Option<String>,
    /// Only entries with this status: ok, error or denied in a tool log, a
    /// lowercase word (success, failed, ...) in the skill log; any other is refused.
    #[arg(long, value_name = "STATUS", value_parser = Utf8Text, help_heading = "Which entries")]
    pub status: Option<String>,
    /// Only entries at or after this time: RFC 3339 or a date (2025-10-23 = its UTC midnight).
    #[arg(long, value_name = "TIME", value_parser = Utf8Text, help_heading = "Which entries")]
    pub since: Option<String>,
    /// Only entries before this time: RFC 3339 or a date.
    #[arg(long, value_name = "TIME", value_parser = Utf8Text, help_heading = "Which entries")]
    pub until: Option<String>,
    /// Only entries from today and the N-1 UTC days before (1 to 3660)
    /// [default: 7 for tool logs, unless --since is given; none for --skills].
    #[arg(
        long,
        value_name = "N",
        allow_negative_numbers = true,
        value_parser = WholeNumber::<u32>::between(1, u64::from(crate::MAX_QUERY_DAYS)),
        help_heading = "Which entries"
    )]
    pub days: Option<u32>,
}

impl SelectionArgs {
    /// The selection these flags spell.
    pub fn selection(&self) -> Selection {
        Selection {
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
    }

    /// The filter these flags stand for.
    ///
    /// # Errors
    /// As [`Selection::filter`].
    pub fn filter(&self) -> Result<Filter, AuditError> {
        self.selection().filter()
    }
}

/// Which logs `verify`, `repair` and `adopt` go through: all of them unless narrowed.
#[derive(Debug, Clone, clap::Args)]
pub struct LogsArgs {
    /// Only the skill log.
    #[arg(long, conflicts_with_all = ["user", "all_users"], help_heading = "Which logs")]
    pub skills: bool,
    /// Only this user's tool log.
    #[arg(long, value_name = "USER", value_parser = Utf8Text, conflicts_with = "all_users", help_heading = "Which logs")]
    pub user: Option<String>,
    /// Only the users' tool logs.
    #[arg(long, help_heading = "Which logs")]
    pub all_users: bool,
}

impl LogsArgs {
    /// The chosen logs; `None` for all of them.
    pub fn source(&self) -> Option<Source> {
        match (&self.user, self.skills, self.all_users) {
            (Some(user), _, _) => Some(Source::User(user.clone())),
            (None, true, _) => Some(Source::Skills),
            (None, false, true) => Some(Source::AllUsers),
            (None, false, false) => None,
        }
    }
}
