//! Queries: which log, which entries, how many, and where the last page ended.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Days, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

use crate::day_files::DayFile;
use crate::error::AuditError;
use crate::scan::{Match, Merge, Position, SkillStream, Stream, UserStream, Window};
use crate::storage::Storage;
use crate::{tool_log, validate};

/// Entries returned unless the caller asks for another number (the seed's).
pub const DEFAULT_LIMIT: u32 = 200;
/// Most entries one answer may hold.
pub const MAX_LIMIT: u32 = 10_000;
/// Days read back when neither `since` nor `days` is given (the seed's).
pub const DEFAULT_DAYS: u32 = 7;
/// Furthest back `days` may reach.
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

/// Which entries a query or stats call selects; the filters combine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    /// Which log.
    pub source: Source,
    /// Only entries of this skill or tool.
    pub name: Option<String>,
    /// Only entries with this status.
    pub status: Option<String>,
    /// Only entries at or after this instant (RFC 3339 or a date).
    pub since: Option<String>,
    /// Only entries before this instant (RFC 3339 or a date).
    pub until: Option<String>,
    /// Only entries from today and the `days - 1` days before; 7 when neither
    /// this nor `since` is given.
    pub days: Option<u32>,
}

impl Filter {
    /// Every entry of `source` from the last [`DEFAULT_DAYS`] days.
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

/// A page of the newest entries that pass a filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// Which entries.
    pub filter: Filter,
    /// Most entries to return, 1 to [`MAX_LIMIT`]; default [`DEFAULT_LIMIT`].
    pub limit: Option<u32>,
    /// The previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// The answer to a [`Query`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Entries newest first, as stored.
    pub entries: Vec<String>,
    /// Where the next page starts; `None` when there is no more.
    pub next_cursor: Option<String>,
}

/// Parses an instant: RFC 3339, a date-time without zone (taken as UTC), or a
/// date (its UTC midnight).
pub fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    if let Some(t) = parse_utc_fast(text) {
        return Some(t);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    if let Ok(t) = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f") {
        return Some(t.and_utc());
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .filter(|_| text.len() == 10)
        .map(|d| d.and_time(NaiveTime::MIN).and_utc())
}

/// The two forms the logs write, `YYYY-MM-DDTHH:MM:SSZ` and
/// `YYYY-MM-DDTHH:MM:SS.mmmZ`, without the general parser's cost.
fn parse_utc_fast(text: &str) -> Option<DateTime<Utc>> {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        b.get(range)?.iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let millis = match b.len() {
        20 => 0,
        24 if b[19] == b'.' => digits(20..23)?,
        _ => return None,
    };
    if b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || b[b.len() - 1] != b'Z'
    {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(
        i32::try_from(digits(0..4)?).ok()?,
        digits(5..7)?,
        digits(8..10)?,
    )?;
    let time =
        NaiveTime::from_hms_milli_opt(digits(11..13)?, digits(14..16)?, digits(17..19)?, millis)?;
    Some(date.and_time(time).and_utc())
}

fn instant(field: &str, text: &str) -> Result<DateTime<Utc>, AuditError> {
    parse_instant(text).ok_or_else(|| {
        AuditError::invalid(
            field,
            format!("must be an ISO 8601 time or date such as 2025-10-23T12:00:00Z or 2025-10-23, got {text:?}"),
        )
    })
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

/// The time window `filter` selects, as of `now`.
///
/// # Errors
/// [`AuditError::Invalid`] naming `since`, `until` or `days`.
pub fn window(filter: &Filter, now: DateTime<Utc>) -> Result<Window, AuditError> {
    let since = filter
        .since
        .as_deref()
        .map(|t| instant("since", t))
        .transpose()?;
    let until = filter
        .until
        .as_deref()
        .map(|t| instant("until", t))
        .transpose()?;
    let days = match (filter.days, since) {
        (Some(days), _) => Some(bounded("days", days, MAX_DAYS)?),
        (None, None) => Some(DEFAULT_DAYS),
        (None, Some(_)) => None,
    };
    let day_start = days.map(|days| {
        now.date_naive()
            .checked_sub_days(Days::new(u64::from(days - 1)))
            .unwrap_or(NaiveDate::MIN)
            .and_time(NaiveTime::MIN)
            .and_utc()
    });
    let since = match (since, day_start) {
        (Some(a), Some(b)) => a.max(b),
        (a, b) => a.or(b).unwrap_or(DateTime::<Utc>::MIN_UTC),
    };
    if let Some(until) = until
        && until <= since
    {
        return Err(AuditError::invalid(
            "until",
            format!(
                "must be later than the window's start ({})",
                format_instant(since)
            ),
        ));
    }
    Ok(Window { since, until })
}

fn format_instant(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

fn matching(filter: &Filter) -> Result<Match, AuditError> {
    let name_field = if filter.source == Source::Skills {
        "skill"
    } else {
        "tool"
    };
    if let Some(name) = &filter.name {
        validate::name(name_field, name)?;
    }
    if let Some(status) = &filter.status
        && (status.is_empty() || status.chars().count() > validate::MAX_SKILL_STATUS_CHARS)
    {
        return Err(AuditError::invalid(
            "status",
            format!(
                "must be 1 to {} characters, got {status:?}",
                validate::MAX_SKILL_STATUS_CHARS
            ),
        ));
    }
    Ok(Match {
        name: filter.name.clone(),
        status: filter.status.clone(),
        for_pages: true,
    })
}

/// What a cursor remembers: the query it belongs to, its window, and where
/// each stream that has more entries stands.
#[derive(Debug, Serialize, Deserialize)]
struct Cursor {
    source: String,
    name: Option<String>,
    status: Option<String>,
    since: String,
    until: Option<String>,
    at: Vec<Position>,
}

fn source_key(source: &Source) -> String {
    match source {
        Source::Skills => "skills".into(),
        Source::User(user) => format!("user:{user}"),
        Source::AllUsers => "all".into(),
    }
}

fn encode(cursor: &Cursor) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(cursor).expect("a cursor always serialises"))
}

fn decode(text: &str, filter: &Filter) -> Result<(Cursor, Window), AuditError> {
    let refuse = |reason: &str| AuditError::invalid("cursor", reason.to_owned());
    let cursor: Cursor = URL_SAFE_NO_PAD
        .decode(text)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or_else(|| refuse("is not a cursor this log gave out"))?;
    if cursor.source != source_key(&filter.source)
        || cursor.name != filter.name
        || cursor.status != filter.status
    {
        return Err(refuse(
            "was made for another query (log, name or status differ)",
        ));
    }
    let since =
        parse_instant(&cursor.since).ok_or_else(|| refuse("is not a cursor this log gave out"))?;
    let until = match &cursor.until {
        Some(t) => {
            Some(parse_instant(t).ok_or_else(|| refuse("is not a cursor this log gave out"))?)
        }
        None => None,
    };
    Ok((cursor, Window { since, until }))
}

/// The streams `filter.source` reads, from their ends or from `positions`.
fn streams<'s, S: Storage>(
    storage: &'s S,
    source: &Source,
    window: Window,
    matching: &Match,
    positions: Option<&[Position]>,
) -> Result<Vec<Box<dyn Stream + 's>>, AuditError> {
    let mut out: Vec<Box<dyn Stream + 's>> = Vec::new();
    match (source, positions) {
        (Source::Skills, None) => out.push(Box::new(SkillStream::open(
            storage,
            window,
            matching.clone(),
            None,
        )?)),
        (Source::Skills, Some(positions)) => {
            for position in positions {
                if let Position::Skills { generation, end } = position {
                    out.push(Box::new(SkillStream::open(
                        storage,
                        window,
                        matching.clone(),
                        Some((*generation, *end)),
                    )?));
                }
            }
        }
        (Source::User(user), None) => {
            validate::user(user)?;
            out.push(Box::new(UserStream::open(
                storage,
                user,
                window,
                matching.clone(),
                None,
            )?));
        }
        (Source::AllUsers, None) => {
            for user in tool_log::users(storage)? {
                out.push(Box::new(UserStream::open(
                    storage,
                    &user,
                    window,
                    matching.clone(),
                    None,
                )?));
            }
        }
        (Source::User(_) | Source::AllUsers, Some(positions)) => {
            for position in positions {
                if let Position::Day {
                    user,
                    day,
                    segment,
                    end,
                } = position
                {
                    validate::user(user)?;
                    out.push(Box::new(UserStream::open(
                        storage,
                        user,
                        window,
                        matching.clone(),
                        Some((DayFile::plain(*day, *segment), *end)),
                    )?));
                }
            }
        }
    }
    Ok(out)
}

/// The newest entries that pass `query.filter`, a page at a time.
///
/// # Errors
/// [`AuditError::Invalid`] naming `limit`, `days`, `since`, `until`, `user`,
/// `skill`/`tool`, `status` or `cursor`; storage and format errors from the logs.
pub fn recent<S: Storage>(
    storage: &S,
    now: DateTime<Utc>,
    query: &Query,
) -> Result<Page, AuditError> {
    let filter = &query.filter;
    let limit = bounded("limit", query.limit.unwrap_or(DEFAULT_LIMIT), MAX_LIMIT)? as usize;
    let matching = matching(filter)?;
    if let Source::User(user) = &filter.source {
        validate::user(user)?;
    }
    let (window, positions) = match &query.cursor {
        Some(text) => {
            let (cursor, window) = decode(text, filter)?;
            (window, Some(cursor.at))
        }
        None => (window(filter, now)?, None),
    };
    let streams = streams(
        storage,
        &filter.source,
        window,
        &matching,
        positions.as_deref(),
    )?;
    let mut merge = Merge::new(streams)?;
    let mut entries = Vec::new();
    while entries.len() < limit
        && let Some(entry) = merge.next_entry()?
    {
        entries.push(entry.text);
    }
    let at = merge.positions();
    let next_cursor = (!at.is_empty()).then(|| {
        encode(&Cursor {
            source: source_key(&filter.source),
            name: filter.name.clone(),
            status: filter.status.clone(),
            since: format_instant(window.since),
            until: window.until.map(format_instant),
            at,
        })
    });
    Ok(Page {
        entries,
        next_cursor,
    })
}

/// Every entry that passes `filter`, stream by stream (not merged by time).
///
/// # Errors
/// As [`recent`], without the paging fields.
pub fn for_each<S: Storage>(
    storage: &S,
    now: DateTime<Utc>,
    filter: &Filter,
    mut visit: impl FnMut(crate::scan::Entry),
) -> Result<(), AuditError> {
    let matching = Match {
        for_pages: false,
        ..matching(filter)?
    };
    let window = window(filter, now)?;
    for mut stream in streams(storage, &filter.source, window, &matching, None)? {
        while let Some(entry) = stream.next_entry()? {
            visit(entry);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Settings;
    use crate::skill_log::{self, SkillRun};
    use crate::storage::counting::CountingStorage;
    use crate::storage::fs::FsStorage;
    use crate::tool_log::ToolCall;
    use chrono::TimeZone;
    use serde_json::Value;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 10, day, hour, 0, 0).unwrap()
    }

    fn tool(storage: &impl Storage, user: &str, name: &str, status: &str, when: DateTime<Utc>) {
        let call = ToolCall {
            user: user.into(),
            tool: name.into(),
            args: "{}".into(),
            status: status.into(),
            result: String::new(),
        };
        tool_log::append(
            storage,
            &Settings::default(),
            when,
            &call,
            &Default::default(),
        )
        .unwrap();
    }

    fn skill(storage: &impl Storage, name: &str, status: &str, when: DateTime<Utc>) {
        let run = SkillRun {
            skill: name.into(),
            status: status.into(),
            ..Default::default()
        };
        skill_log::append(storage, &Settings::default(), when, &run).unwrap();
    }

    fn query(filter: Filter, limit: Option<u32>) -> Query {
        Query {
            filter,
            limit,
            cursor: None,
        }
    }

    fn field(page: &Page, name: &str) -> Vec<String> {
        page.entries
            .iter()
            .map(|t| {
                serde_json::from_str::<Value>(t).unwrap()[name]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect()
    }

    fn setup() -> (tempfile::TempDir, FsStorage) {
        let dir = tempfile::tempdir().unwrap();
        let storage = FsStorage::new(dir.path());
        (dir, storage)
    }

    #[test]
    fn all_users_are_merged_by_time() {
        let (_dir, storage) = setup();
        tool(&storage, "amy", "t", "ok", at(20, 1));
        tool(&storage, "bob", "t", "ok", at(21, 1));
        tool(&storage, "amy", "t", "ok", at(22, 1));
        tool(&storage, "bob", "t", "ok", at(23, 1));
        let now = at(23, 5);
        let page = recent(&storage, now, &query(Filter::new(Source::AllUsers), None)).unwrap();
        assert_eq!(field(&page, "user"), ["bob", "amy", "bob", "amy"]);
        assert_eq!(page.next_cursor, None);
        let two_days = Filter {
            days: Some(2),
            ..Filter::new(Source::AllUsers)
        };
        assert_eq!(
            recent(&storage, now, &query(two_days, None))
                .unwrap()
                .entries
                .len(),
            2
        );
    }

    #[test]
    fn the_default_window_is_today_and_six_days_before() {
        let (_dir, storage) = setup();
        tool(&storage, "amy", "t", "ok", at(16, 23));
        tool(&storage, "amy", "t", "ok", at(17, 0));
        let page = recent(
            &storage,
            at(23, 5),
            &query(Filter::new(Source::User("amy".into())), None),
        )
        .unwrap();
        assert_eq!(page.entries.len(), 1);
    }

    #[test]
    fn filters_combine() {
        let (_dir, storage) = setup();
        tool(&storage, "amy", "read", "ok", at(20, 9));
        tool(&storage, "amy", "write", "denied", at(21, 9));
        tool(&storage, "bob", "read", "error", at(21, 10));
        tool(&storage, "bob", "read", "ok", at(22, 9));
        tool(&storage, "amy", "read", "ok", at(23, 9));
        let now = at(23, 12);
        let run = |filter: Filter| recent(&storage, now, &query(filter, None)).unwrap();
        let all = Filter::new(Source::AllUsers);
        let reads = run(Filter {
            name: Some("read".into()),
            ..all.clone()
        });
        assert_eq!(field(&reads, "ts").len(), 4);
        let ok_reads = run(Filter {
            name: Some("read".into()),
            status: Some("ok".into()),
            ..all.clone()
        });
        assert_eq!(
            field(&ok_reads, "ts"),
            [
                "2025-10-23T09:00:00Z",
                "2025-10-22T09:00:00Z",
                "2025-10-20T09:00:00Z"
            ]
        );
        let window = run(Filter {
            since: Some("2025-10-21".into()),
            until: Some("2025-10-22T09:00:00Z".into()),
            ..all.clone()
        });
        assert_eq!(field(&window, "tool"), ["read", "write"]);
        let bob_since = run(Filter {
            since: Some("2025-10-21T09:30:00+00:00".into()),
            ..Filter::new(Source::User("bob".into()))
        });
        assert_eq!(field(&bob_since, "status"), ["ok", "error"]);
        let old = run(Filter {
            since: Some("2025-01-01".into()),
            status: Some("denied".into()),
            ..all
        });
        assert_eq!(field(&old, "tool"), ["write"]);
    }

    #[test]
    fn skills_filter_and_window() {
        let (_dir, storage) = setup();
        skill(&storage, "build", "success", at(20, 9));
        skill(&storage, "build", "failed", at(21, 9));
        skill(&storage, "test", "failed", at(22, 9));
        skill(&storage, "build", "success", at(23, 9));
        let now = at(23, 12);
        let failed = recent(
            &storage,
            now,
            &query(
                Filter {
                    status: Some("failed".into()),
                    ..Filter::new(Source::Skills)
                },
                None,
            ),
        )
        .unwrap();
        assert_eq!(field(&failed, "skill"), ["test", "build"]);
        let last_hour = recent(
            &storage,
            now,
            &query(
                Filter {
                    since: Some("2025-10-23T08:30:00Z".into()),
                    ..Filter::new(Source::Skills)
                },
                None,
            ),
        )
        .unwrap();
        assert_eq!(last_hour.entries.len(), 1);
    }

    #[test]
    fn entries_out_of_time_order_are_still_found() {
        let (_dir, storage) = setup();
        skill(&storage, "new", "success", at(23, 9));
        skill(&storage, "stepped_back", "success", at(10, 9));
        tool(&storage, "amy", "new", "ok", at(23, 9));
        tool(&storage, "amy", "stepped_back", "ok", at(23, 8));
        let now = at(23, 12);
        let since = |source| Filter {
            since: Some("2025-10-23T08:30:00Z".into()),
            ..Filter::new(source)
        };
        // A chain never goes back: an entry written by a clock behind it is
        // stamped with the chain's last time (see `clock::chained`), so it
        // is in the window.
        let skills = recent(&storage, now, &query(since(Source::Skills), None)).unwrap();
        assert_eq!(field(&skills, "skill"), ["stepped_back", "new"]);
        assert_eq!(field(&skills, "timestamp"), ["2025-10-23T09:00:00.000Z"; 2]);
        let tools = recent(
            &storage,
            now,
            &query(since(Source::User("amy".into())), None),
        )
        .unwrap();
        assert_eq!(
            field(&tools, "tool"),
            ["stepped_back", "new"],
            "file order, newest line first"
        );
        assert_eq!(field(&tools, "ts"), ["2025-10-23T09:00:00Z"; 2]);
    }

    #[test]
    fn pages_continue_where_the_last_ended() {
        let (_dir, storage) = setup();
        for hour in 0..10 {
            tool(
                &storage,
                if hour % 2 == 0 { "amy" } else { "bob" },
                "t",
                "ok",
                at(22, hour),
            );
            skill(&storage, &format!("s{hour}"), "success", at(22, hour));
        }
        let now = at(23, 0);
        for source in [Source::AllUsers, Source::Skills] {
            let mut seen = Vec::new();
            let mut cursor = None;
            loop {
                let page = recent(
                    &storage,
                    now,
                    &Query {
                        filter: Filter::new(source.clone()),
                        limit: Some(3),
                        cursor: cursor.clone(),
                    },
                )
                .unwrap();
                seen.extend(page.entries);
                match page.next_cursor {
                    Some(next) => cursor = Some(next),
                    None => break,
                }
            }
            assert_eq!(seen.len(), 10, "{source:?}");
            let times: Vec<String> = seen
                .iter()
                .map(|t| {
                    let v: Value = serde_json::from_str(t).unwrap();
                    v.get("ts")
                        .or(v.get("timestamp"))
                        .unwrap()
                        .as_str()
                        .unwrap()[..13]
                        .to_owned()
                })
                .collect();
            let expected: Vec<String> = (0..10)
                .rev()
                .map(|h| format!("2025-10-22T{h:02}"))
                .collect();
            assert_eq!(times, expected, "{source:?}");
        }
    }

    #[test]
    fn cursors_are_checked() {
        let (_dir, storage) = setup();
        for hour in 0..3 {
            tool(&storage, "amy", "t", "ok", at(22, hour));
        }
        let now = at(23, 0);
        let first = recent(
            &storage,
            now,
            &query(Filter::new(Source::User("amy".into())), Some(1)),
        )
        .unwrap();
        let cursor = first.next_cursor.unwrap();
        let other = Query {
            filter: Filter::new(Source::AllUsers),
            limit: None,
            cursor: Some(cursor),
        };
        let err = recent(&storage, now, &other).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("cursor: was made for another query"),
            "{err}"
        );
        let garbage = Query {
            cursor: Some("not-a-cursor".into()),
            ..query(Filter::new(Source::AllUsers), None)
        };
        assert_eq!(
            recent(&storage, now, &garbage).unwrap_err().to_string(),
            "cursor: is not a cursor this log gave out"
        );
    }

    #[test]
    fn out_of_range_queries_are_refused() {
        let (_dir, storage) = setup();
        let now = at(23, 5);
        let refuse = |q: Query| recent(&storage, now, &q).unwrap_err().to_string();
        assert_eq!(
            refuse(query(Filter::new(Source::Skills), Some(0))),
            "limit: must be between 1 and 10000, got 0"
        );
        let days = Filter {
            days: Some(4000),
            ..Filter::new(Source::Skills)
        };
        assert_eq!(
            refuse(query(days, None)),
            "days: must be between 1 and 3660, got 4000"
        );
        assert!(
            refuse(query(Filter::new(Source::User("../x".into())), None)).starts_with("user: ")
        );
        let since = Filter {
            since: Some("yesterday".into()),
            ..Filter::new(Source::Skills)
        };
        assert!(refuse(query(since, None)).starts_with("since: must be an ISO 8601 time"));
        let backwards = Filter {
            since: Some("2025-10-22".into()),
            until: Some("2025-10-21".into()),
            ..Filter::new(Source::Skills)
        };
        assert!(refuse(query(backwards, None)).starts_with("until: must be later"));
    }

    #[test]
    fn newest_entries_read_only_the_end_of_large_files() {
        let dir = tempfile::tempdir().unwrap();
        let storage = CountingStorage::new(FsStorage::new(dir.path()));
        for i in 0..5_000 {
            tool(
                &storage,
                "amy",
                "t",
                "ok",
                at(23, 12) + chrono::Duration::milliseconds(i),
            );
            skill(
                &storage,
                "s",
                "success",
                at(23, 12) + chrono::Duration::milliseconds(i),
            );
        }
        let now = at(23, 13);
        for source in [Source::User("amy".into()), Source::Skills] {
            storage.counts.reset();
            let page =
                recent(&storage, now, &query(Filter::new(source.clone()), Some(20))).unwrap();
            assert_eq!(page.entries.len(), 20);
            assert!(
                storage.counts.read.get() <= 65 * 1024,
                "{source:?}: read {}",
                storage.counts.read.get()
            );
        }
    }

    #[test]
    fn day_files_outside_the_window_are_not_opened() {
        let (dir, storage) = setup();
        tool(&storage, "amy", "t", "ok", at(10, 1));
        tool(&storage, "amy", "t", "ok", at(23, 1));
        // Unreadable content in an old file would fail a read; it is never opened.
        std::fs::remove_file(dir.path().join("amy/tool_audit/2025-10-10.jsonl")).unwrap();
        std::fs::create_dir(dir.path().join("amy/tool_audit/2025-10-10.jsonl")).unwrap();
        let page = recent(
            &storage,
            at(23, 5),
            &query(Filter::new(Source::User("amy".into())), None),
        )
        .unwrap();
        assert_eq!(page.entries.len(), 1);
    }

    #[test]
    fn instants() {
        assert_eq!(parse_instant("2025-10-23T12:00:00Z"), Some(at(23, 12)));
        let ms = at(23, 12) + chrono::Duration::milliseconds(789);
        assert_eq!(parse_instant("2025-10-23T12:00:00.789Z"), Some(ms));
        assert_eq!(parse_instant("2025-10-23T12:00:00.789+00:00"), Some(ms));
        assert_eq!(parse_instant("2025-02-30T12:00:00Z"), None);
        assert_eq!(parse_instant("2025-10-23T25:00:00Z"), None);
        assert_eq!(parse_instant("2025-10-23T14:00:00+02:00"), Some(at(23, 12)));
        assert_eq!(parse_instant("2025-10-23T12:00:00"), Some(at(23, 12)));
        assert_eq!(parse_instant("2025-10-23"), Some(at(23, 0)));
        assert_eq!(parse_instant("2025-10-23T12"), None);
        assert_eq!(parse_instant("yesterday"), None);
    }
}
