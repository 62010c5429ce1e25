//! Reading the newest entries back: which log, how many, how far back.

use chrono::{DateTime, Days, Utc};

use crate::error::AuditError;
use crate::storage::Storage;
use crate::{skill_log, tool_log, validate};

/// Entries returned unless the caller asks for another number (the seed's).
pub const DEFAULT_LIMIT: u32 = 200;
/// Most entries one answer may hold.
pub const MAX_LIMIT: u32 = 10_000;
/// Days read back unless the caller asks otherwise (the seed's).
pub const DEFAULT_DAYS: u32 = 7;
/// Furthest back a query may reach, in days.
pub const MAX_DAYS: u32 = 3_660;

/// Which log a query reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The skill log.
    Skills,
    /// One user's tool log.
    User(String),
    /// Every user's tool log, merged newest first.
    AllUsers,
}

/// A query for the newest entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecentQuery {
    /// Which log to read.
    pub source: Source,
    /// Most entries to return, 1 to [`MAX_LIMIT`]; default [`DEFAULT_LIMIT`].
    pub limit: Option<u32>,
    /// Today and the `days - 1` UTC days before it, 1 to [`MAX_DAYS`]; default
    /// [`DEFAULT_DAYS`].
    pub days: Option<u32>,
}

/// Parses an entry's ISO 8601 timestamp (with a zone, or UTC if it has none).
pub fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .map(|t| t.and_utc())
}

/// The newest entries matching `query` as JSON text, newest first.
///
/// # Errors
/// [`AuditError::Invalid`] naming `limit`, `days` or `user`; storage and
/// format errors from the logs.
pub fn recent<S: Storage>(
    storage: &S,
    now: DateTime<Utc>,
    query: &RecentQuery,
) -> Result<Vec<String>, AuditError> {
    let limit = bounded("limit", query.limit.unwrap_or(DEFAULT_LIMIT), MAX_LIMIT)? as usize;
    let days = bounded("days", query.days.unwrap_or(DEFAULT_DAYS), MAX_DAYS)?;
    let since = now
        .date_naive()
        .checked_sub_days(Days::new(u64::from(days - 1)))
        .unwrap_or(chrono::NaiveDate::MIN)
        .and_time(chrono::NaiveTime::MIN)
        .and_utc();

    let entries = match &query.source {
        Source::Skills => skill_log::recent(storage, since, limit)?,
        Source::User(user) => {
            validate::user(user)?;
            tool_log::recent(storage, user, since, limit)?
        }
        Source::AllUsers => {
            let mut all = Vec::new();
            for user in tool_log::users(storage)? {
                all.extend(tool_log::recent(storage, &user, since, limit)?);
            }
            // Stable: entries of one user with the same second keep their order.
            all.sort_by(|a, b| b.0.cmp(&a.0));
            all.truncate(limit);
            all
        }
    };
    Ok(entries.into_iter().map(|(_, text)| text).collect())
}

fn bounded(field: &str, value: u32, max: u32) -> Result<u32, AuditError> {
    if (1..=max).contains(&value) {
        Ok(value)
    } else {
        Err(AuditError::invalid(
            field,
            format!("must be between 1 and {max}, got {value}"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Settings;
    use crate::storage::fs::FsStorage;
    use crate::tool_log::ToolCall;
    use chrono::TimeZone;
    use serde_json::Value;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 10, day, hour, 0, 0).unwrap()
    }

    fn tool(storage: &FsStorage, user: &str, when: DateTime<Utc>) {
        let call = ToolCall {
            user: user.into(),
            tool: "t".into(),
            args: "{}".into(),
            status: "ok".into(),
            result: String::new(),
        };
        tool_log::append(storage, &Settings::default(), when, &call).unwrap();
    }

    fn query(source: Source, limit: Option<u32>, days: Option<u32>) -> RecentQuery {
        RecentQuery {
            source,
            limit,
            days,
        }
    }

    #[test]
    fn all_users_are_merged_by_time() {
        let dir = tempfile::tempdir().unwrap();
        let storage = FsStorage::new(dir.path());
        tool(&storage, "amy", at(20, 1));
        tool(&storage, "bob", at(21, 1));
        tool(&storage, "amy", at(22, 1));
        tool(&storage, "bob", at(23, 1));
        let got = recent(&storage, at(23, 5), &query(Source::AllUsers, None, None)).unwrap();
        let users: Vec<_> = got
            .iter()
            .map(|t| serde_json::from_str::<Value>(t).unwrap()["user"].clone())
            .collect();
        assert_eq!(users, ["bob", "amy", "bob", "amy"]);
        let two_days = recent(
            &storage,
            at(23, 5),
            &query(Source::AllUsers, Some(10), Some(2)),
        )
        .unwrap();
        assert_eq!(two_days.len(), 2);
        let one = recent(&storage, at(23, 5), &query(Source::AllUsers, Some(1), None)).unwrap();
        assert!(one[0].contains("\"bob\""));
    }

    #[test]
    fn the_day_window_counts_today() {
        let dir = tempfile::tempdir().unwrap();
        let storage = FsStorage::new(dir.path());
        tool(&storage, "amy", at(16, 23));
        tool(&storage, "amy", at(17, 0));
        let got = recent(
            &storage,
            at(23, 5),
            &query(Source::User("amy".into()), None, None),
        )
        .unwrap();
        assert_eq!(got.len(), 1, "7 days back from the 23rd starts on the 17th");
    }

    #[test]
    fn out_of_range_queries_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let storage = FsStorage::new(dir.path());
        let now = at(23, 5);
        let err = recent(&storage, now, &query(Source::Skills, Some(0), None)).unwrap_err();
        assert_eq!(err.to_string(), "limit: must be between 1 and 10000, got 0");
        let err = recent(&storage, now, &query(Source::Skills, None, Some(4000))).unwrap_err();
        assert_eq!(
            err.to_string(),
            "days: must be between 1 and 3660, got 4000"
        );
        let err = recent(
            &storage,
            now,
            &query(Source::User("../x".into()), None, None),
        )
        .unwrap_err();
        assert!(err.to_string().starts_with("user: "));
    }

    #[test]
    fn timestamps_with_and_without_zone() {
        assert_eq!(
            parse_time("2025-10-23T12:34:56Z"),
            Some(at(23, 12) + chrono::Duration::seconds(34 * 60 + 56))
        );
        assert!(parse_time("2025-10-23T12:34:56.789+02:00").is_some());
        assert!(parse_time("2025-10-23T12:34:56").is_some());
        assert!(parse_time("yesterday").is_none());
    }
}
