//! What `adopt` did for one log: [`Adoption`].

/// What `adopt` did for one log: the legacy entries (written by another
/// writer, without auditlog's seal) it now vouches for.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Adoption {
    /// `audit_log.json` for the skill log, else the user's name.
    pub log: String,
    /// Legacy entries the log holds, those retention dropped included.
    pub entries: u64,
    /// The time of the first legacy entry still in the log, as written.
    pub first_time: Option<String>,
    /// The time of the last, as written.
    pub last_time: Option<String>,
    /// The `seq` of the adoption entry this call wrote; `None` when nothing
    /// was written (no legacy entries, or the log's last adoption already
    /// covers exactly these).
    pub sealed_as: Option<u64>,
    /// The `seq` of the adoption entry that now covers them, if any.
    pub adopted_at: Option<u64>,
}
