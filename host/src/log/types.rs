//! What the library's calls return: [`Page`] and the receipts of appends.

use super::*;

/// What [`AuditLog::append_skill`] stored.
#[derive(Debug, Clone, PartialEq)]
pub struct SkillReceipt {
    /// The stored entry.
    pub entry: Entry,
    /// The skill log's absolute path.
    pub path: PathBuf,
    /// Entries in the skill log after the append.
    pub total_entries: u64,
    /// Damage found in the log and repaired before the append (usually none).
    pub recovered: Vec<Recovery>,
    /// Housekeeping after the entry was stored that did not get done
    /// (retention, the index), one sentence each; the next append retries
    /// it. The entry is stored whatever these say.
    pub warnings: Vec<String>,
}

/// What [`AuditLog::append_tool`] stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolReceipt {
    /// The stored entry.
    pub entry: Entry,
    /// The day file's absolute path.
    pub path: PathBuf,
    /// Damage found in the day file and repaired before the append (usually none).
    pub recovered: Vec<Recovery>,
    /// Housekeeping after the entry was stored that did not get done (the
    /// rotation policy: retention, compression), one sentence each; it is
    /// retried the next time the policy runs. The entry is stored whatever
    /// these say.
    pub warnings: Vec<String>,
}

/// A page of entries from [`AuditLog::recent`].
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T = Value> {
    /// Entries, newest first.
    pub entries: Vec<T>,
    /// Pass as [`Query::cursor`] for the next page; `None` when there is no more.
    pub next_cursor: Option<String>,
}
