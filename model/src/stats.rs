//! What a stats call returns: [`Stats`] and, per skill or tool, [`NameStats`].
//! The component computes them; both sides of it share the type, and its
//! serde form is the documented stats JSON.

use std::collections::BTreeMap;

/// Counts and durations for one skill or tool, in [`Stats::by_name`].
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct NameStats {
    /// Entries.
    pub count: u64,
    /// Entries whose status is neither `success` nor `ok`.
    pub errors: u64,
    /// Mean `duration_ms` of the entries that have one.
    pub avg_ms: Option<f64>,
    /// Median `duration_ms` (nearest rank).
    pub p50_ms: Option<u64>,
    /// 95th percentile `duration_ms` (nearest rank).
    pub p95_ms: Option<u64>,
    /// Largest `duration_ms`.
    pub max_ms: Option<u64>,
}

/// Most names [`Stats::by_name`] lists: the most frequent names, and beyond
/// them one entry, [`OTHER_NAMES`], for the rest. An answer stays small
/// however many distinct names the window holds (a tool name comes from the
/// model that called it, so an injected prompt can make up thousands).
pub const MAX_NAMES: usize = 1_000;

/// The [`Stats::by_name`] entry that totals the names beyond the
/// [`MAX_NAMES`] - 1 most frequent. No caller's skill or tool can have this
/// name: names reading as `auditlog.` are reserved
/// ([`crate::reserved::refuse_reserved`]), and auditlog writes no entry by it.
pub const OTHER_NAMES: &str = "auditlog.other";

/// Totals over every entry that passes a filter; serialises to the
/// documented stats JSON.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
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
    /// Entries per status: at most [`MAX_NAMES`] entries, the statuses
    /// beyond the most frequent totalled under [`OTHER_NAMES`] (no status
    /// written today contains a `.`).
    pub by_status: BTreeMap<String, u64>,
    /// Per skill or tool name: at most [`MAX_NAMES`] entries, the names
    /// beyond the most frequent totalled under [`OTHER_NAMES`].
    pub by_name: BTreeMap<String, NameStats>,
    /// Entries per user (tool logs), every user: users are the log
    /// directory's own, made by whoever runs the host, not by a caller's
    /// data.
    pub by_user: BTreeMap<String, u64>,
    /// Entries per UTC day (`YYYY-MM-DD`).
    pub by_day: BTreeMap<String, u64>,
}
