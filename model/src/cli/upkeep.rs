//! The arguments of the commands that look after the logs: `verify`,
//! `repair` and `rotate`. Both command lines take them as they are (the
//! host's `verify` adds `--checkpoint`).

use super::Utf8Text;
use super::selection::LogsArgs;
use crate::Source;

/// Which logs `verify` checks, and how strictly.
#[derive(Debug, Clone, clap::Args)]
pub struct VerifyArgs {
    /// Which logs.
    #[command(flatten)]
    pub logs: LogsArgs,
    /// Fail (exit 1) on entries without a seal that no `auditlog adopt`
    /// covers, instead of listing them: for logs no other writer may write
    /// any more, where such an entry is a forgery until shown otherwise.
    #[arg(long)]
    pub require_seal: bool,
}

/// Which logs `repair` goes through, and how it reports.
#[derive(Debug, Clone, clap::Args)]
pub struct RepairArgs {
    /// Which logs.
    #[command(flatten)]
    pub logs: LogsArgs,
    /// Output: `text`, one line per repaired file; `json`, an array of repairs.
    #[arg(long, value_name = "FORMAT", default_value = "text", value_parser = ["text", "json"])]
    pub format: String,
}

/// Which tool logs `rotate` goes through, and how it reports.
#[derive(Debug, Clone, clap::Args)]
pub struct RotateArgs {
    /// Only this user's tool log.
    #[arg(long, value_name = "USER", value_parser = Utf8Text, conflicts_with = "all_users", help_heading = "Which logs")]
    pub user: Option<String>,
    /// Every user's tool log (the default).
    #[arg(long, help_heading = "Which logs")]
    pub all_users: bool,
    /// Output: `text`, one line per file changed; `json`, an array of
    /// {"file", "action", "bytes"}.
    #[arg(long, value_name = "FORMAT", default_value = "text", value_parser = ["text", "json"])]
    pub format: String,
}

impl RotateArgs {
    /// The tool logs chosen: one user's, or every user's.
    pub fn source(&self) -> Source {
        match &self.user {
            Some(user) => Source::User(user.clone()),
            None => Source::AllUsers,
        }
    }
}
