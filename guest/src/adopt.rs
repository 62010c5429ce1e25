//! `adopt`: sealing the legacy entries a log holds (see [`crate::legacy`]).
//!
//! For each log it is asked about, adopt verifies the log under its writer's
//! lock — a log that fails `verify`, or is damaged, is refused and nothing is
//! written — and, unless the last adoption already records exactly the
//! legacy entries there are, appends one adoption entry ([`ADOPT_NAME`]) to
//! the log's own chain. Running it again changes nothing.

use chrono::{DateTime, Utc};

use crate::error::AuditError;
use crate::query::Source;
use crate::settings::Settings;
use crate::storage::Storage;

pub use crate::legacy::ADOPT_NAME;

/// What adopt did for one log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adoption {
    /// `audit_log.json` for the skill log, else the user's name.
    pub log: String,
    /// Legacy entries the log holds (those retention dropped included).
    pub entries: u64,
    /// The time of the first legacy entry still in the log, as written.
    pub first_time: Option<String>,
    /// The time of the last, as written.
    pub last_time: Option<String>,
    /// The `seq` of the adoption entry this call wrote; `None` when the
    /// log's last adoption already records exactly these entries (or it
    /// holds none), so nothing was written.
    pub sealed_as: Option<u64>,
    /// The `seq` of the adoption entry that now covers them, if any.
    pub adopted_at: Option<u64>,
}

/// Adopts the legacy entries of the logs `source` names (`None`: the skill
/// log and every user's).
///
/// # Errors
/// [`AuditError::Corrupt`] naming the file, line and reason when a log
/// fails verification or is damaged (nothing is written to it);
/// [`AuditError::Storage`] when a write fails.
pub fn adopt<S: Storage>(
    storage: &S,
    settings: &Settings,
    now: DateTime<Utc>,
    source: Option<&Source>,
) -> Result<Vec<Adoption>, AuditError> {
    let _ = (storage, settings, now, source);
    Err(AuditError::Corrupt("adopt is being built".into()))
}
