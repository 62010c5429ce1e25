//! Queries: which log, which entries, how many, and where the last page ended.

use chrono::{DateTime, Days, NaiveDate, NaiveTime, SecondsFormat, Utc};

use crate::clock::parse_instant;
use crate::day_files;
use crate::day_files::DayFile;
use crate::error::AuditError;
use crate::newest_first::{Match, Merge, Position, SkillStream, Stream, UserStream, Window};
use crate::storage::Storage;
use crate::validate;

mod cursor;

pub use auditlog_model::{DEFAULT_LIMIT, Filter, MAX_LIMIT, MAX_QUERY_DAYS, Query, Source};
/// Most bytes of entries one answer holds: a page stops short of `limit`
/// (with a cursor) once its entries reach this, so that an answer of large
/// entries stays well inside what the host copies out of the component in
/// one call (wasmtime's default: 128 MiB) and the component's memory. A page
/// always holds at least one entry.
pub const MAX_PAGE_BYTES: usize = 32 << 20;
/// Days a tool log is read back when neither `since` nor `days` is given
/// (the seed's). The skill log has no default window (see [`window`]).
pub const DEFAULT_DAYS: u32 = 7;

/// The answer to a [`Query`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Entries newest first, as stored.
    pub entries: Vec<String>,
    /// Where the next page starts; `None` when there is no more.
    pub next_cursor: Option<String>,
}

fn instant(field: &str, text: &str) -> Result<DateTime<Utc>, AuditError> {
    parse_instant(text).ok_or_else(|| {
        AuditError::invalid(
            field,
            format!(
                "must be an ISO 8601 time or date such as 2025-10-23T12:00:00Z or 2025-10-23, got {}",
                auditlog_model::invisible::refused(text)
            ),
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
/// `days` and `since` apply to every log. With neither, a tool log is read
/// back [`DEFAULT_DAYS`] days (today and the six before), while the skill log
/// has no lower bound: it is bounded by its entry count (retention), so all
/// its retained entries are in the window, however old.
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
        (Some(days), _) => Some(bounded("days", days, MAX_QUERY_DAYS)?),
        (None, None) if filter.source != Source::Skills => Some(DEFAULT_DAYS),
        (None, _) => None,
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

/// What `filter` asks of an entry besides its time, checked.
///
/// # Errors
/// [`AuditError::Invalid`] naming `skill`/`tool` or `status`.
pub fn matching(filter: &Filter) -> Result<Match, AuditError> {
    let name_field = if filter.source == Source::Skills {
        "skill"
    } else {
        "tool"
    };
    if let Some(name) = &filter.name {
        validate::name(name_field, name)?;
    }
    if let Some(status) = &filter.status {
        // A status no write accepts selects nothing: refuse it, as a write
        // would, so a typo (`MAYBE`, `success` for a tool) is not an empty page.
        if filter.source == Source::Skills {
            validate::skill_status(status)?;
        } else {
            validate::tool_status(status)?;
        }
    }
    Ok(Match {
        name: filter.name.clone(),
        status: filter.status.clone(),
        for_pages: true,
    })
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
            crate::entry::read_user(user)?;
            out.push(Box::new(UserStream::open(
                storage,
                user,
                window,
                matching.clone(),
                None,
            )?));
        }
        (Source::AllUsers, None) => {
            for user in day_files::users(storage)? {
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
                    validate::existing_user(user)?;
                    if matches!(source, Source::User(only) if only != user) {
                        return Err(AuditError::invalid(
                            "cursor",
                            "was made for another query (it points into another user's log)",
                        ));
                    }
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
        crate::entry::read_user(user)?;
    }
    let (as_of, window, positions) = match &query.cursor {
        Some(text) => {
            let (at, as_of) = cursor::decode(text, filter, now)?;
            let window = window(filter, as_of)?;
            cursor::check_positions(storage, &filter.source, window, &at)?;
            (as_of, window, Some(at))
        }
        None => (now, window(filter, now)?, None),
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
    let mut bytes = 0;
    while entries.len() < limit
        && bytes < MAX_PAGE_BYTES
        && let Some(entry) = merge.next_entry()?
    {
        bytes += entry.text.len();
        entries.push(entry.text);
    }
    let at = merge.positions();
    let next_cursor = (!at.is_empty()).then(|| cursor::encode(filter, as_of, at));
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
    mut visit: impl FnMut(crate::newest_first::Entry),
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
    use crate::tests::append_call;
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use chrono::TimeZone;
    use serde_json::Value;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 10, day, hour, 0, 0).unwrap()
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

    /// Every entry `filter` selects, read page by page (`limit` a page)
    /// through the cursors, as one page.
    fn every_page<S: Storage>(
        storage: &S,
        now: DateTime<Utc>,
        filter: &Filter,
        limit: u32,
    ) -> Page {
        let mut entries = Vec::new();
        let mut cursor = None;
        loop {
            let page = recent(
                storage,
                now,
                &Query {
                    filter: filter.clone(),
                    limit: Some(limit),
                    cursor,
                },
            )
            .unwrap();
            entries.extend(page.entries);
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        Page {
            entries,
            next_cursor: None,
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
    fn a_page_of_large_entries_stops_at_its_byte_budget_and_the_cursor_goes_on() {
        let (dir, storage) = setup();
        // 40 entries of 1 MiB each, as another writer may have stored them:
        // 40 MiB in all, more than one answer may carry.
        let pad = "x".repeat(1 << 20);
        let lines: String = (0..40)
            .map(|i| {
                format!(
                    "{{\"ts\":\"2025-10-23T01:00:{i:02}Z\",\"user\":\"amy\",\"tool\":\"t{i}\",\"args\":{{\"pad\":\"{pad}\"}},\"status\":\"ok\"}}\n"
                )
            })
            .collect();
        let path = dir.path().join("amy/tool_audit/2025-10-23.jsonl");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, lines).unwrap();
        let filter = Filter::new(Source::User("amy".into()));
        let now = at(23, 5);
        let first = recent(&storage, now, &query(filter.clone(), Some(MAX_LIMIT))).unwrap();
        let bytes: usize = first.entries.iter().map(String::len).sum();
        assert!(
            (1..40).contains(&first.entries.len()) && bytes <= MAX_PAGE_BYTES + (2 << 20),
            "{} entries, {bytes} bytes",
            first.entries.len()
        );
        assert!(first.next_cursor.is_some(), "more entries match");
        let all = every_page(&storage, now, &filter, MAX_LIMIT);
        let tools: Vec<String> = (0..40).rev().map(|i| format!("t{i}")).collect();
        assert_eq!(field(&all, "tool"), tools, "each entry once, newest first");
    }

    #[test]
    fn all_users_are_merged_by_time() {
        let (_dir, storage) = setup();
        append_call(&storage, "amy", "t", "ok", at(20, 1));
        append_call(&storage, "bob", "t", "ok", at(21, 1));
        append_call(&storage, "amy", "t", "ok", at(22, 1));
        append_call(&storage, "bob", "t", "ok", at(23, 1));
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
        append_call(&storage, "amy", "t", "ok", at(16, 23));
        append_call(&storage, "amy", "t", "ok", at(17, 0));
        let page = recent(
            &storage,
            at(23, 5),
            &query(Filter::new(Source::User("amy".into())), None),
        )
        .unwrap();
        assert_eq!(page.entries.len(), 1);
    }

    #[test]
    fn the_skill_log_has_no_default_window() {
        let (_dir, storage) = setup();
        for month in 3..=6 {
            let when = Utc.with_ymd_and_hms(2025, month, 1, 9, 0, 0).unwrap();
            skill(&storage, &format!("m{month}"), "success", when);
        }
        skill(&storage, "today", "success", at(23, 1));
        let now = at(23, 5);
        let skills = Filter::new(Source::Skills);
        let all = recent(&storage, now, &query(skills.clone(), None)).unwrap();
        assert_eq!(field(&all, "skill"), ["today", "m6", "m5", "m4", "m3"]);
        let paged = field(&every_page(&storage, now, &skills, 2), "skill");
        assert_eq!(
            paged,
            field(&all, "skill"),
            "pages carry the unbounded window"
        );
        let week = recent(
            &storage,
            now,
            &query(
                Filter {
                    days: Some(7),
                    ..skills.clone()
                },
                None,
            ),
        )
        .unwrap();
        assert_eq!(field(&week, "skill"), ["today"]);
        let since = recent(
            &storage,
            now,
            &query(
                Filter {
                    since: Some("2025-05-15".into()),
                    ..skills
                },
                None,
            ),
        )
        .unwrap();
        assert_eq!(field(&since, "skill"), ["today", "m6"]);
    }

    #[test]
    fn filters_combine() {
        let (_dir, storage) = setup();
        append_call(&storage, "amy", "read", "ok", at(20, 9));
        append_call(&storage, "amy", "write", "denied", at(21, 9));
        append_call(&storage, "bob", "read", "error", at(21, 10));
        append_call(&storage, "bob", "read", "ok", at(22, 9));
        append_call(&storage, "amy", "read", "ok", at(23, 9));
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
    fn a_status_no_write_accepts_is_refused() {
        let (_dir, storage) = setup();
        skill(&storage, "build", "failed", at(20, 9));
        let now = at(23, 12);
        for (source, status, allowed) in [
            (Source::User("amy".into()), "MAYBE", "ok, error, denied"),
            (Source::AllUsers, "success", "ok, error, denied"),
            (Source::Skills, "Failed", "lowercase word"),
            (Source::Skills, "", "lowercase word"),
        ] {
            let filter = Filter {
                status: Some(status.into()),
                ..Filter::new(source.clone())
            };
            let err = recent(&storage, now, &query(filter, None)).unwrap_err();
            let message = err.to_string();
            assert!(
                message.starts_with("status: ") && message.contains(allowed),
                "{source:?} {status:?}: {message}"
            );
        }
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
        append_call(&storage, "amy", "new", "ok", at(23, 9));
        append_call(&storage, "amy", "stepped_back", "ok", at(23, 8));
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
            append_call(
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
            let seen = every_page(&storage, now, &Filter::new(source.clone()), 3).entries;
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
            append_call(&storage, "amy", "t", "ok", at(22, hour));
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

    /// A cursor's JSON, to tamper with as a client could.
    fn open_cursor(cursor: &str) -> Value {
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(cursor).unwrap()).unwrap()
    }

    fn seal_cursor(value: &Value) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).unwrap())
    }

    /// amy and bob each with three calls on the 22nd, a skill run, and amy's
    /// first page of one entry.
    fn two_users() -> (tempfile::TempDir, FsStorage, Value) {
        let (dir, storage) = setup();
        for hour in 0..3 {
            append_call(&storage, "amy", "t", "ok", at(22, hour));
            append_call(&storage, "bob", "secret_tool", "error", at(22, hour));
        }
        skill(&storage, "s", "success", at(22, 1));
        let first = recent(
            &storage,
            at(23, 0),
            &query(Filter::new(Source::User("amy".into())), Some(1)),
        )
        .unwrap();
        let cursor = open_cursor(&first.next_cursor.unwrap());
        (dir, storage, cursor)
    }

    fn resume(storage: &FsStorage, filter: Filter, cursor: &Value) -> Result<Page, AuditError> {
        recent(
            storage,
            at(23, 0),
            &Query {
                filter,
                limit: None,
                cursor: Some(seal_cursor(cursor)),
            },
        )
    }

    #[track_caller]
    fn refused_cursor(result: Result<Page, AuditError>, reason: &str) {
        match result {
            Err(AuditError::Invalid { field, reason: r }) => {
                assert_eq!(field, "cursor");
                assert!(r.contains(reason), "{r:?} should say {reason:?}");
            }
            other => panic!("expected a refused cursor, got {other:?}"),
        }
    }

    #[test]
    fn an_untampered_cursor_resumes_its_own_query() {
        let (_dir, storage, cursor) = two_users();
        let rest = resume(&storage, Filter::new(Source::User("amy".into())), &cursor).unwrap();
        assert_eq!(field(&rest, "user"), ["amy", "amy"]);
    }

    #[test]
    fn a_cursor_reads_no_other_users_log() {
        let (_dir, storage, cursor) = two_users();
        let amy = || Filter::new(Source::User("amy".into()));
        // The user inside the position edited to bob.
        let mut edited = cursor.clone();
        edited["at"][0]["user"] = "bob".into();
        refused_cursor(resume(&storage, amy(), &edited), "user \"bob\"");
        // The position and the query inside the cursor both edited to bob.
        let mut both = edited.clone();
        both["query"]["source"] = "user:bob".into();
        refused_cursor(resume(&storage, amy(), &both), "another query");
        // bob's position added beside amy's.
        let mut added = cursor.clone();
        let mut bob = cursor["at"][0].clone();
        bob["user"] = "bob".into();
        added["at"].as_array_mut().unwrap().push(bob.clone());
        refused_cursor(resume(&storage, amy(), &added), "positions");
        // amy's position twice, in an all-users query.
        let mut all = cursor.clone();
        all["query"]["source"] = "all-users".into();
        all["at"]
            .as_array_mut()
            .unwrap()
            .push(cursor["at"][0].clone());
        refused_cursor(
            resume(&storage, Filter::new(Source::AllUsers), &all),
            "more than once",
        );
        // A skill-log position in a user query, and a tool-log one in a skills query.
        let mut skills = cursor.clone();
        skills["at"] = serde_json::json!([{"log": "skills", "generation": 0, "end": 40}]);
        refused_cursor(resume(&storage, amy(), &skills), "skill log");
        let mut day = cursor.clone();
        day["query"]["source"] = "skills".into();
        refused_cursor(
            resume(&storage, Filter::new(Source::Skills), &day),
            "tool log",
        );
        // A name that is no user.
        let mut escape = cursor.clone();
        escape["at"][0]["user"] = "../bob".into();
        refused_cursor(resume(&storage, amy(), &escape), "does not read");
    }

    #[test]
    fn a_cursor_resumes_only_the_query_it_was_made_for() {
        let (_dir, storage, cursor) = two_users();
        let amy = || Filter::new(Source::User("amy".into()));
        let others = [
            Filter::new(Source::User("bob".into())),
            Filter::new(Source::AllUsers),
            Filter {
                status: Some("error".into()),
                ..amy()
            },
            Filter {
                name: Some("t".into()),
                ..amy()
            },
            Filter {
                days: Some(7),
                ..amy()
            },
            Filter {
                since: Some("2025-01-01".into()),
                ..amy()
            },
            Filter {
                until: Some("2025-10-23".into()),
                ..amy()
            },
        ];
        for filter in others {
            refused_cursor(resume(&storage, filter, &cursor), "another query");
        }
    }

    #[test]
    fn positions_must_be_ends_of_lines_of_files_in_the_window() {
        let (dir, storage, cursor) = two_users();
        let amy = || Filter::new(Source::User("amy".into()));
        let end = cursor["at"][0]["end"].as_u64().unwrap();
        let size = std::fs::metadata(dir.path().join("amy/tool_audit/2025-10-22.jsonl"))
            .unwrap()
            .len();
        for bad in [0, end - 1, end + 1, size + 1, u64::MAX] {
            let mut moved = cursor.clone();
            moved["at"][0]["end"] = bad.into();
            refused_cursor(resume(&storage, amy(), &moved), "inside a line");
        }
        let mut segment = cursor.clone();
        segment["at"][0]["segment"] = 7.into();
        refused_cursor(resume(&storage, amy(), &segment), "not in the log");
        let mut old = cursor.clone();
        old["at"][0]["day"] = "2020-01-01".into();
        refused_cursor(resume(&storage, amy(), &old), "outside this query's window");
        let mut future = cursor.clone();
        future["as_of"] = "2030-01-01T00:00:00Z".into();
        refused_cursor(resume(&storage, amy(), &future), "not a cursor");
        let mut empty = cursor.clone();
        empty["at"] = serde_json::json!([]);
        refused_cursor(resume(&storage, amy(), &empty), "no position");
        let mut extra = cursor.clone();
        extra["window"] = "all".into();
        refused_cursor(resume(&storage, amy(), &extra), "not a cursor");
        let mut extra_in_position = cursor.clone();
        extra_in_position["at"][0]["user2"] = "bob".into();
        refused_cursor(resume(&storage, amy(), &extra_in_position), "not a cursor");
    }

    #[test]
    fn skill_log_positions_must_end_a_line() {
        let (_dir, storage) = setup();
        for hour in 0..3 {
            skill(&storage, "s", "success", at(22, hour));
        }
        let skills = || Filter::new(Source::Skills);
        let first = recent(&storage, at(23, 0), &query(skills(), Some(1))).unwrap();
        let cursor = open_cursor(&first.next_cursor.unwrap());
        assert_eq!(
            resume(&storage, skills(), &cursor).unwrap().entries.len(),
            2
        );
        let end = cursor["at"][0]["end"].as_u64().unwrap();
        for bad in [0, end - 5, end + 1, u64::MAX] {
            let mut moved = cursor.clone();
            moved["at"][0]["end"] = bad.into();
            refused_cursor(resume(&storage, skills(), &moved), "inside a line");
        }
        let mut two = cursor.clone();
        two["at"]
            .as_array_mut()
            .unwrap()
            .push(cursor["at"][0].clone());
        refused_cursor(resume(&storage, skills(), &two), "one stream");
    }

    #[test]
    fn all_is_every_user_and_never_one() {
        let (dir, storage) = setup();
        append_call(&storage, "amy", "t", "ok", at(22, 1));
        // A directory named `all`, made by hand, is no user's log.
        std::fs::create_dir_all(dir.path().join("all/tool_audit")).unwrap();
        std::fs::copy(
            dir.path().join("amy/tool_audit/2025-10-22.jsonl"),
            dir.path().join("all/tool_audit/2025-10-22.jsonl"),
        )
        .unwrap();
        let now = at(23, 0);
        let every = recent(&storage, now, &query(Filter::new(Source::AllUsers), None)).unwrap();
        assert_eq!(field(&every, "user"), ["amy"]);
        let one = recent(
            &storage,
            now,
            &query(Filter::new(Source::User("all".into())), None),
        )
        .unwrap_err();
        assert!(
            one.to_string().starts_with(
                "user: \"all\" is reserved in any case or width: in queries it means every user"
            ),
            "{one}"
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
            append_call(
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
        append_call(&storage, "amy", "t", "ok", at(10, 1));
        append_call(&storage, "amy", "t", "ok", at(23, 1));
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
}
