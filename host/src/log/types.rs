//! What the library's calls return ([`Stats`], [`Page`], receipts), and the
//! conversions between the library's types and the component's WIT types.

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

/// Counts and durations for one skill or tool, in [`Stats::by_name`].
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct NameStats {
    /// Entries.
    pub count: u64,
    /// Entries whose status is neither `success` nor `ok`.
    pub errors: u64,
    /// Mean `duration_ms`, if any entry has one.
    pub avg_ms: Option<f64>,
    /// Median `duration_ms` (nearest rank).
    pub p50_ms: Option<u64>,
    /// 95th percentile `duration_ms` (nearest rank).
    pub p95_ms: Option<u64>,
    /// Largest `duration_ms`.
    pub max_ms: Option<u64>,
}

/// Totals from [`AuditLog::stats`]; serialises to the documented stats JSON.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Stats {
    /// Runs: entries with a name (`skill` or `tool`) and a `status`.
    pub total: u64,
    /// Runs whose status is neither `success` nor `ok`.
    pub errors: u64,
    /// `errors / total`; 0 when there are no runs.
    pub error_rate: f64,
    /// Foreign entries: of another schema (no name or no `status`), counted
    /// here and in no other field.
    pub other: u64,
    /// Entries per status.
    pub by_status: BTreeMap<String, u64>,
    /// Per skill or tool name.
    pub by_name: BTreeMap<String, NameStats>,
    /// Entries per user (tool logs).
    pub by_user: BTreeMap<String, u64>,
    /// Entries per UTC day (`YYYY-MM-DD`).
    pub by_day: BTreeMap<String, u64>,
}

impl From<wit::Summary> for Stats {
    fn from(s: wit::Summary) -> Self {
        let counts =
            |list: Vec<wit::KeyCount>| list.into_iter().map(|c| (c.key, c.count)).collect();
        Self {
            total: s.total,
            errors: s.errors,
            error_rate: s.error_rate,
            other: s.other,
            by_status: counts(s.by_status),
            by_name: s
                .by_name
                .into_iter()
                .map(|n| {
                    let stats = NameStats {
                        count: n.count,
                        errors: n.errors,
                        avg_ms: n.avg_ms,
                        p50_ms: n.p50_ms,
                        p95_ms: n.p95_ms,
                        max_ms: n.max_ms,
                    };
                    (n.name, stats)
                })
                .collect(),
            by_user: counts(s.by_user),
            by_day: counts(s.by_day),
        }
    }
}

impl RotationAction {
    /// `compressed` or `deleted`, as the command line prints it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Compressed => "compressed",
            Self::Deleted => "deleted",
        }
    }
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

impl Filter {
    /// Every entry of `source` in its default window (a tool log's last 7 days,
    /// every retained entry of the skill log); set the other fields to narrow it.
    pub fn new(source: Source) -> Self {
        Self {
            source,
            name: None,
            status: None,
            since: None,
            until: None,
            days: None,
        }
    }
}

impl Query {
    /// The first page (200 entries) of `filter`.
    pub fn new(filter: Filter) -> Self {
        Self {
            filter,
            limit: None,
            cursor: None,
        }
    }

    /// At most `limit` entries.
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }
}
