//! The arguments of `recent` both command lines take: which entries, and
//! which page of them. (`stats` takes the selection alone,
//! [`SelectionArgs`].) Each command line adds its `--format`.

use super::selection::SelectionArgs;
use super::{Utf8Text, WholeNumber};
use crate::{AuditError, Query};

/// Which entries `recent` prints, and how many at a time.
#[derive(Debug, Clone, clap::Args)]
pub struct RecentArgs {
    /// Which log and which entries.
    #[command(flatten)]
    pub selection: SelectionArgs,
    /// Return at most N entries (1 to 10000); fewer, with a cursor, once they pass 32 MiB.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 200,
        allow_negative_numbers = true,
        value_parser = WholeNumber::<u32>::between(1, u64::from(crate::MAX_LIMIT))
    )]
    pub limit: u32,
    /// Continue after the previous page (the cursor it printed).
    #[arg(long, value_name = "CURSOR", value_parser = Utf8Text)]
    pub cursor: Option<String>,
}

impl RecentArgs {
    /// The query these flags spell.
    ///
    /// # Errors
    /// As [`SelectionArgs::filter`].
    pub fn query(&self) -> Result<Query, AuditError> {
        Ok(Query {
            filter: self.selection.filter()?,
            limit: Some(self.limit),
            cursor: self.cursor.clone(),
        })
    }
}
