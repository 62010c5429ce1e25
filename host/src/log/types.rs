//! What the library's calls return ([`Page`], receipts), and builders on the
//! component's WIT records the library still re-exports.

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

impl SkillRun {
    /// A run of `skill` that ended with `status`, without optional fields.
    pub fn new(skill: impl Into<String>, status: impl Into<String>) -> Self {
        Self {
            skill: skill.into(),
            status: status.into(),
            duration_ms: None,
            errors: None,
            metadata: None,
        }
    }

    /// With `duration_ms`.
    pub fn duration_ms(mut self, ms: u64) -> Self {
        self.duration_ms = Some(ms);
        self
    }

    /// With error messages.
    pub fn errors(mut self, errors: Vec<String>) -> Self {
        self.errors = Some(errors);
        self
    }

    /// With metadata, a JSON object.
    pub fn metadata(mut self, metadata: &Value) -> Self {
        self.metadata = Some(metadata.to_string());
        self
    }
}

impl ToolCall {
    /// A call of `tool` for `user` that ended with `status`, with no arguments
    /// and an empty result.
    pub fn new(
        user: impl Into<String>,
        tool: impl Into<String>,
        status: impl Into<String>,
    ) -> Self {
        Self {
            user: user.into(),
            tool: tool.into(),
            args: "{}".into(),
            status: status.into(),
            output: String::new(),
        }
    }

    /// With arguments, a JSON object.
    pub fn args(mut self, args: &Value) -> Self {
        self.args = args.to_string();
        self
    }

    /// With the tool's result.
    pub fn output(mut self, output: impl Into<String>) -> Self {
        self.output = output.into();
        self
    }
}
