//! Cursors: where a page of `recent` ended, handed to the client and checked
//! on the way back.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Filter, Source, format_instant};
use auditlog_model::invisible::refused;

use crate::clock::parse_instant;
use crate::day_files;
use crate::error::AuditError;
use crate::newest_first::{Position, Window};
use crate::storage::Storage;

/// What a cursor remembers: the query it was issued for, as the caller
/// spelled it, the instant of its first page (the window is that query's
/// window as of then), and where each stream that has more entries stands.
///
/// A cursor comes back from the client, so nothing in it is trusted. It
/// carries no MAC: the command line is one-shot and reads never write, so
/// there is nowhere to keep a secret. Instead every position is re-checked
/// against the query's own selection ([`check_positions`]), and the
/// streams check that each offset ends a line of a file the query reads.
/// A cursor can therefore only make a query skip entries of the logs it
/// reads, never return another log's. The instant (`as_of`) is the client's
/// too: an edited one sets a default window back in time (not past now),
/// which reaches nothing `since`/`until` on the same log would not; the
/// window is not an access boundary, the log is.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Cursor {
    query: Spelled,
    as_of: String,
    at: Vec<Position>,
}

/// A filter as the caller spelled it: a cursor resumes only the same one.
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Spelled {
    source: String,
    name: Option<String>,
    status: Option<String>,
    since: Option<String>,
    until: Option<String>,
    days: Option<u32>,
}

impl Spelled {
    fn of(filter: &Filter) -> Self {
        Self {
            source: match &filter.source {
                Source::Skills => "skills".into(),
                Source::User(user) => format!("user:{user}"),
                Source::AllUsers => "all-users".into(),
            },
            name: filter.name.clone(),
            status: filter.status.clone(),
            since: filter.since.clone(),
            until: filter.until.clone(),
            days: filter.days,
        }
    }
}

pub(super) fn refuse_cursor(reason: impl Into<String>) -> AuditError {
    AuditError::invalid("cursor", reason)
}

/// The cursor that resumes `filter`'s query, first asked at `as_of`, at
/// the positions `at`.
pub(super) fn encode(filter: &Filter, as_of: DateTime<Utc>, at: Vec<Position>) -> String {
    let cursor = Cursor {
        query: Spelled::of(filter),
        as_of: format_instant(as_of),
        at,
    };
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(&cursor).expect("a cursor always serialises"))
}

/// The positions of the cursor `text` and the instant of its first page, if
/// it was made for `filter` no later than `now`.
pub(super) fn decode(
    text: &str,
    filter: &Filter,
    now: DateTime<Utc>,
) -> Result<(Vec<Position>, DateTime<Utc>), AuditError> {
    const FOREIGN: &str = "is not a cursor this log gave out";
    let cursor: Cursor = URL_SAFE_NO_PAD
        .decode(text)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or_else(|| refuse_cursor(FOREIGN))?;
    if cursor.query != Spelled::of(filter) {
        return Err(refuse_cursor(
            "was made for another query (log, name, status, since, until or days differ)",
        ));
    }
    let as_of = parse_instant(&cursor.as_of).ok_or_else(|| refuse_cursor(FOREIGN))?;
    if as_of > now {
        return Err(refuse_cursor(FOREIGN));
    }
    Ok((cursor.at, as_of))
}

/// Refuses positions that `source` and `window` do not select: another
/// log's, a user's the query does not read, one stream twice, more
/// positions than the query has streams, or a day outside the window. The
/// offsets are checked where the files are opened (see [`crate::newest_first`]).
pub(super) fn check_positions<S: Storage>(
    storage: &S,
    source: &Source,
    window: Window,
    at: &[Position],
) -> Result<(), AuditError> {
    if at.is_empty() {
        return Err(refuse_cursor("holds no position"));
    }
    let users = match source {
        Source::Skills => {
            if at.len() > 1 {
                return Err(refuse_cursor(format!(
                    "holds {} positions; the skill log is one stream",
                    at.len()
                )));
            }
            return match at[0] {
                Position::Skills { .. } => Ok(()),
                Position::Day { .. } => Err(refuse_cursor(
                    "points into a tool log, but this query reads the skill log",
                )),
            };
        }
        Source::User(user) => vec![user.clone()],
        Source::AllUsers => day_files::users(storage)?,
    };
    if at.len() > users.len() {
        return Err(refuse_cursor(format!(
            "holds {} positions, more than the {} tool logs this query reads",
            at.len(),
            users.len()
        )));
    }
    let first = window.since.date_naive();
    let last = window.until.map(|until| until.date_naive());
    let mut seen = std::collections::BTreeSet::new();
    for position in at {
        let Position::Day { user, day, .. } = position else {
            return Err(refuse_cursor(
                "points into the skill log, but this query reads tool logs",
            ));
        };
        if !users.contains(user) {
            return Err(refuse_cursor(format!(
                "points into user {}'s tool log, which this query does not read",
                refused(user)
            )));
        }
        if !seen.insert(user) {
            return Err(refuse_cursor(format!(
                "points into user {}'s tool log more than once",
                refused(user)
            )));
        }
        if *day < first || last.is_some_and(|last| *day > last) {
            return Err(refuse_cursor(format!(
                "points at {day}, outside this query's window"
            )));
        }
    }
    Ok(())
}
