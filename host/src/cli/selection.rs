//! The options `recent` and `stats` share (which log, and which entries of
//! it), and those `verify`, `repair` and `adopt` share (which logs).

use super::Utf8Text;

/// Which log and which entries: the flags the portable command shares,
/// defined once in the model.
pub use auditlog_model::cli::selection::SelectionArgs;

/// Which logs `verify`, `repair` and `adopt` go through: all of them unless narrowed.
#[derive(Debug, clap::Args)]
pub struct LogsArgs {
    /// Only the skill log.
    #[arg(long, conflicts_with_all = ["user", "all_users"], help_heading = "Which logs")]
    skills: bool,
    /// Only this user's tool log.
    #[arg(long, value_name = "USER", value_parser = Utf8Text, conflicts_with = "all_users", help_heading = "Which logs")]
    user: Option<String>,
    /// Only the users' tool logs.
    #[arg(long, help_heading = "Which logs")]
    all_users: bool,
}

impl LogsArgs {
    /// The chosen logs; `None` for all of them.
    pub fn source(&self) -> Option<auditlog::Source> {
        use auditlog::Source;
        match (&self.user, self.skills, self.all_users) {
            (Some(user), _, _) => Some(Source::User(user.clone())),
            (None, true, _) => Some(Source::Skills),
            (None, false, true) => Some(Source::AllUsers),
            (None, false, false) => None,
        }
    }
}
