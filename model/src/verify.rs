//! What `verify` found: [`VerifyReport`], with where each chain ends
//! ([`LogEnd`]), the logs' legacy entries ([`LegacyEntries`],
//! [`UnsealedEntry`]) and the first [`Problem`].

/// Where a log's chain ends: its last `seq` and link. Kept outside the log
/// directory, a list of them is the checkpoint the next `verify` compares
/// against.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LogEnd {
    /// `audit_log.json` for the skill log, else the user's name.
    pub log: String,
    /// The last entry's `seq`.
    pub seq: u64,
    /// Its link (`hash` or `mac`), in hex.
    pub link: String,
}

/// The first problem `verify` found.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    /// The file, relative to the log directory.
    pub file: String,
    /// The line, from 1; 0 when it concerns the file as a whole.
    pub line: u64,
    /// The entry's `seq`, if it has one.
    pub seq: Option<u64>,
    /// Why, as a sentence fragment: modified, removed, reordered or
    /// inserted, damaged, unsealed, or cut from the end.
    pub reason: String,
}

/// The legacy entries of one log: entries without auditlog's seal (no `seq`
/// or link), written by another writer. Queries return them as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LegacyEntries {
    /// `audit_log.json` for the skill log, else the user's name.
    pub log: String,
    /// Legacy entries before the chain starts (its first sealed entry),
    /// those retention dropped included.
    pub before_chain: u64,
    /// Every legacy entry in the log, those retention dropped included.
    pub total: u64,
    /// The `seq` of the last adoption entry (`auditlog.adopt`), whose digest
    /// of the legacy entries checked out; `None` if the log was never adopted.
    pub adopted_seq: Option<u64>,
    /// How many legacy entries that adoption covers (0 when none).
    pub adopted_entries: u64,
    /// The time of the first legacy entry still in the log, as written.
    pub first_time: Option<String>,
    /// The time of the last, as written.
    pub last_time: Option<String>,
}

/// A legacy entry after a chain started that no adoption covers: another
/// writer's entry, which the chain does not vouch for.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UnsealedEntry {
    /// The file, relative to the log directory.
    pub file: String,
    /// The line, from 1.
    pub line: u64,
}

/// What `verify` found.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct VerifyReport {
    /// Entries whose links checked out.
    pub entries: u64,
    /// Where each verified log's chain ends: keep them as the next checkpoint.
    pub ends: Vec<LogEnd>,
    /// The logs that hold legacy entries, with their counts.
    pub legacy: Vec<LegacyEntries>,
    /// The first unsealed entries after a chain started (at most
    /// [`MAX_UNSEALED_LISTED`], in log order); `unsealed_total` counts them all.
    pub unsealed: Vec<UnsealedEntry>,
    /// How many unsealed entries after a chain started there are.
    pub unsealed_total: u64,
    /// The first problem; verification stops there.
    pub problem: Option<Problem>,
}

/// How many [`UnsealedEntry`]s a report lists; it counts them all.
pub const MAX_UNSEALED_LISTED: usize = 20;
