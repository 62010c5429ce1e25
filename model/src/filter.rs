//! Which log a query reads and which of its entries: [`Source`], [`Filter`]
//! and [`Query`], as the `source`, `filter` and `query` records of
//! `wit/auditlog.wit` describe them.

/// Which log a query reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The skill log, `audit_log.json`.
    Skills,
    /// One user's tool log.
    User(String),
    /// Every user's tool log, merged newest first.
    AllUsers,
}

/// Which entries a query or stats call selects; the filters combine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    /// Which log.
    pub source: Source,
    /// Only entries of this skill (skill log) or tool (tool logs).
    pub name: Option<String>,
    /// Only entries with this status.
    pub status: Option<String>,
    /// Only entries at or after this instant (RFC 3339 or a date).
    pub since: Option<String>,
    /// Only entries before this instant (RFC 3339 or a date).
    pub until: Option<String>,
    /// Only entries from today and the `days - 1` UTC days before. When
    /// neither this nor `since` is given: 7 days for tool logs, no bound for
    /// the skill log (every retained entry).
    pub days: Option<u32>,
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

/// Entries a query returns unless the caller asks for another number (the
/// seed's).
pub const DEFAULT_LIMIT: u32 = 200;
/// Most entries one answer may hold.
pub const MAX_LIMIT: u32 = 10_000;
/// Furthest back a query's `days` may reach.
pub const MAX_QUERY_DAYS: u32 = 3_660;

/// A page of the newest entries that pass a filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// Which entries.
    pub filter: Filter,
    /// Most entries to return, 1 to 10,000; default 200.
    pub limit: Option<u32>,
    /// The previous page's `next_cursor`, to continue where it ended.
    pub cursor: Option<String>,
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
