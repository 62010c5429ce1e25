//! Summaries of closed tool-log files (issue 20): `stats` answers from them
//! exactly what reading every line answers, over random logs, windows and
//! filters; a summary that was edited, sealed with another key, or made for
//! a file that changed since, is ignored; a crash while one is written
//! leaves nothing wrong; and `rotate`, `repair` and retention keep them in
//! step with the files.

use std::path::Path;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use proptest::prelude::*;

use crate::chain::Chain;
use crate::day_files::{self, DayFile};
use crate::open_files::OpenFiles;
use crate::query::{Filter, Source};
use crate::settings::{Settings, SettingsUpdate};
use crate::stats::{self, Stats};
use crate::storage::Storage;
use crate::storage::counting::CountingStorage;
use crate::storage::fs::FsStorage;
use crate::summary::{self, Refresh};
use crate::tool_log::{self, ToolCall};

const USERS: [&str; 3] = ["amy", "bob", "cy"];
const TOOLS: [&str; 3] = ["read", "write", "exec"];
const STATUSES: [&str; 3] = ["ok", "error", "denied"];

fn day(n: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 10, n).unwrap()
}

fn at(d: u32, seconds: u32) -> DateTime<Utc> {
    day(d).and_hms_opt(0, 0, 0).unwrap().and_utc() + Duration::seconds(i64::from(seconds))
}

fn ts(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn settings(max_file_bytes: Option<u64>, compress: bool, key: Option<&[u8]>) -> Settings {
    Settings::default()
        .updated(&SettingsUpdate {
            max_file_bytes,
            compress: Some(compress),
            chain_key: key.map(<[u8]>::to_vec),
            ..SettingsUpdate::default()
        })
        .unwrap()
}

fn call(user: &str, tool: &str, status: &str) -> ToolCall {
    ToolCall {
        user: user.into(),
        tool: tool.into(),
        args: r#"{"path":"/srv/data/file.txt"}"#.into(),
        status: status.into(),
        output: "some output".into(),
    }
}

/// A line written by another writer into `user`'s file of day `d`.
#[derive(Debug, Clone)]
enum Legacy {
    /// A run, with or without a duration.
    Run(usize, usize, Option<u64>),
    /// A foreign entry: no status.
    Foreign,
    /// Another user's entry, which no reader counts here.
    Stray,
    /// Not JSON.
    Garbage,
}

impl Legacy {
    fn line(&self, user: &str, time: DateTime<Utc>) -> String {
        let ts = ts(time);
        match self {
            Self::Run(tool, status, duration) => {
                let duration = duration.map_or(String::new(), |d| format!(",\"duration_ms\":{d}"));
                format!(
                    r#"{{"ts":"{ts}","user":"{user}","tool":"{}","status":"{}"{duration}}}"#,
                    TOOLS[*tool], STATUSES[*status]
                )
            }
            Self::Foreign => format!(r#"{{"ts":"{ts}","user":"{user}","event":"login"}}"#),
            Self::Stray => format!(r#"{{"ts":"{ts}","user":"zed","tool":"read","status":"ok"}}"#),
            Self::Garbage => "{not json".to_owned(),
        }
    }
}

fn legacy() -> impl Strategy<Value = Legacy> {
    prop_oneof![
        6 => (0..3usize, 0..3usize, prop::option::of(0..40u64))
            .prop_map(|(t, s, d)| Legacy::Run(t, s, d)),
        1 => Just(Legacy::Foreign),
        1 => Just(Legacy::Stray),
        1 => Just(Legacy::Garbage),
    ]
}

/// A log: legacy lines on October 19 and 20 (in any order in their files),
/// then sealed appends on the 21st to the 23rd, in time order.
#[derive(Debug, Clone)]
struct Log {
    legacy: Vec<(usize, u32, u32, Legacy)>,
    appends: Vec<(usize, u32, usize, usize)>,
    max_file_bytes: Option<u64>,
    compress: bool,
}

fn log() -> impl Strategy<Value = Log> {
    (
        prop::collection::vec((0..3usize, 19..21u32, 0..86_400u32, legacy()), 0..60),
        prop::collection::vec((0..3usize, 0..(3 * 86_400u32), 0..3usize, 0..3usize), 1..80),
        prop::option::of(1_024..4_000u64),
        any::<bool>(),
    )
        .prop_map(|(legacy, mut appends, max_file_bytes, compress)| {
            appends.sort_by_key(|a| a.1);
            Log {
                legacy,
                appends,
                max_file_bytes,
                compress,
            }
        })
}

/// Writes `log` into `dir`, then rotates every user's log as of `now` (which
/// summarises every closed file). Returns the settings it was written with.
fn write_log(dir: &Path, storage: &FsStorage, log: &Log, now: DateTime<Utc>) -> Settings {
    let settings = settings(log.max_file_bytes, log.compress, None);
    for (user, d, seconds, line) in &log.legacy {
        let user = USERS[*user];
        let path = dir.join(day_files::day_path(user, day(*d)));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let mut text = std::fs::read_to_string(&path).unwrap_or_default();
        text.push_str(&line.line(user, at(*d, *seconds)));
        text.push('\n');
        std::fs::write(&path, text).unwrap();
    }
    let open = OpenFiles::default();
    for (user, seconds, tool, status) in &log.appends {
        let call = call(USERS[*user], TOOLS[*tool], STATUSES[*status]);
        tool_log::append(storage, &settings, at(21, *seconds), &call, &open).unwrap();
    }
    for user in day_files::users(storage).unwrap() {
        tool_log::rotate(storage, &settings, now, &user, &mut Vec::new()).unwrap();
    }
    settings
}

/// A filter: which log, tool, status, and a window from `since` for
/// `length` seconds, or the last `days` days.
fn filter() -> impl Strategy<Value = Filter> {
    (
        prop::option::of(0..3usize),
        prop::option::of(0..3usize),
        prop::option::of(0..3usize),
        prop::option::of((0..(6 * 86_400u32), 0..6u32)),
        prop::option::of(1..(4 * 86_400u32)),
        prop::option::of(1..6u32),
    )
        .prop_map(|(user, tool, status, since, length, days)| {
            let start = since.map(|(s, whole)| {
                // Often on a whole hour or day, where no hour is cut.
                let s = match whole {
                    0 => s - s % 86_400,
                    1 => s - s % 3_600,
                    _ => s,
                };
                at(18, s)
            });
            let until =
                length.map(|l| start.unwrap_or(at(20, 0)) + Duration::seconds(i64::from(l)));
            Filter {
                source: user.map_or(Source::AllUsers, |u| Source::User(USERS[u].into())),
                name: tool.map(|t| TOOLS[t].into()),
                status: status.map(|s| STATUSES[s].into()),
                since: start.map(ts),
                until: until.map(ts),
                days,
            }
        })
}

fn both<S: Storage>(
    storage: &S,
    chain: &Chain,
    now: DateTime<Utc>,
    filter: &Filter,
) -> (String, String) {
    let via_summaries = stats::stats(storage, chain, now, filter);
    let via_lines = stats::from_lines(storage, now, filter);
    (format!("{via_summaries:?}"), format!("{via_lines:?}"))
}

/// Every closed file of every user, and whether its summary checks out.
fn closed_files(storage: &FsStorage, chain: &Chain) -> Vec<(String, DayFile, bool)> {
    let mut out = Vec::new();
    for user in day_files::users(storage).unwrap() {
        let files = day_files::list(storage, &user).unwrap();
        for file in &files[..files.len().saturating_sub(1)] {
            let usable = summary::load(storage, chain, &user, file).is_some();
            out.push((user.clone(), *file, usable));
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 48,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// The property: stats from summaries equals stats from lines.
    #[test]
    fn stats_from_summaries_equal_stats_from_lines(
        log in log(),
        now_seconds in 0..86_400u32,
        filters in prop::collection::vec(filter(), 12),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let storage = FsStorage::new(dir.path());
        let now = at(23, now_seconds);
        let settings = write_log(dir.path(), &storage, &log, now);
        for (user, file, usable) in closed_files(&storage, &settings.chain) {
            prop_assert!(usable, "{user}'s {} has a summary", file.name());
        }
        for filter in filters.iter().chain([&Filter::new(Source::AllUsers)]) {
            let (summaries, lines) = both(&storage, &settings.chain, now, filter);
            prop_assert_eq!(summaries, lines, "{:?}", filter);
        }
    }
}

/// Four days of amy's calls, 50 an hour from 10:00 to 13:59, and one on the
/// 24th: the 20th to the 23rd are closed and summarised.
fn four_days(storage: &FsStorage, settings: &Settings) {
    let open = OpenFiles::default();
    for d in 20..24 {
        for i in 0..200u32 {
            let call = call("amy", TOOLS[i as usize % 3], STATUSES[i as usize % 3 / 2]);
            let time = at(d, 10 * 3_600 + i * 72);
            tool_log::append(storage, settings, time, &call, &open).unwrap();
        }
    }
    let call = call("amy", "read", "ok");
    tool_log::append(storage, settings, at(24, 1), &call, &open).unwrap();
}

fn now() -> DateTime<Utc> {
    at(24, 3_600)
}

fn week() -> Filter {
    Filter::new(Source::User("amy".into()))
}

fn summary_path(dir: &Path, d: u32) -> std::path::PathBuf {
    dir.join(summary::path("amy", &DayFile::first(day(d))))
}

#[test]
fn closing_a_file_summarises_it_and_stats_then_reads_only_the_open_file() {
    let dir = tempfile::tempdir().unwrap();
    let storage = FsStorage::new(dir.path());
    let settings = Settings::default();
    four_days(&storage, &settings);
    for d in 20..24 {
        assert!(
            summary_path(dir.path(), d).is_file(),
            "the append closing the {d}th summarised it"
        );
    }
    assert!(
        !summary_path(dir.path(), 24).exists(),
        "the open file has none"
    );
    let counting = CountingStorage::new(FsStorage::new(dir.path()));
    let stats = stats::stats(&counting, &settings.chain, now(), &week()).unwrap();
    assert_eq!(stats.total, 801);
    let from_summaries = counting.counts.read.get();
    counting.counts.reset();
    assert_eq!(stats::from_lines(&counting, now(), &week()).unwrap(), stats);
    let from_lines = counting.counts.read.get();
    assert!(
        from_summaries * 3 < from_lines,
        "summaries read {from_summaries} bytes, lines {from_lines}"
    );
    // A window that cuts hours reads their spans and still agrees.
    let cut = Filter {
        since: Some("2025-10-21T10:30:00Z".into()),
        until: Some("2025-10-23T12:15:00Z".into()),
        ..week()
    };
    assert_eq!(
        stats::stats(&storage, &settings.chain, now(), &cut).unwrap(),
        stats::from_lines(&storage, now(), &cut).unwrap()
    );
}

/// Whether amy's summary of day `d` is used.
fn used(storage: &FsStorage, chain: &Chain, d: u32) -> bool {
    summary::load(storage, chain, "amy", &DayFile::first(day(d))).is_some()
}

/// The summary of amy's day `d` as stored, without checking its seal, and
/// its seal line.
fn stored_summary(dir: &Path, d: u32) -> (serde_json::Value, Vec<u8>) {
    let bytes = std::fs::read(summary_path(dir, d)).unwrap();
    let newline = bytes.iter().position(|&b| b == b'\n').unwrap();
    let json = serde_json::from_slice(&bytes[..newline]).unwrap();
    (json, bytes[newline..].to_vec())
}

/// Edits the summary of amy's day `d`, keeping its seal.
fn edit_summary(dir: &Path, d: u32, edit: impl Fn(&mut serde_json::Value)) {
    let (mut json, seal) = stored_summary(dir, d);
    edit(&mut json);
    let mut bytes = serde_json::to_vec(&json).unwrap();
    bytes.extend_from_slice(&seal);
    std::fs::write(summary_path(dir, d), bytes).unwrap();
}

fn agrees(storage: &FsStorage, chain: &Chain) -> Stats {
    let stats = stats::stats(storage, chain, now(), &week()).unwrap();
    assert_eq!(stats, stats::from_lines(storage, now(), &week()).unwrap());
    stats
}

#[test]
fn an_edited_or_wrongly_sealed_summary_is_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let storage = FsStorage::new(dir.path());
    let key = b"0123456789abcdef0123456789abcdef";
    let settings = settings(None, false, Some(key));
    four_days(&storage, &settings);
    assert!(used(&storage, &settings.chain, 20));
    let honest = agrees(&storage, &settings.chain);
    // Counts edited, seal kept.
    edit_summary(dir.path(), 20, |s| {
        s["hours"][0]["runs"][0][2] = 1_000_000.into()
    });
    assert!(!used(&storage, &settings.chain, 20));
    assert_eq!(agrees(&storage, &settings.chain), honest);
    // Counts edited and sealed again under another key, or with a plain hash.
    let forged = |chain: &Chain| {
        let (json, _) = stored_summary(dir.path(), 21);
        let mut s: summary::Summary = serde_json::from_value(json).unwrap();
        s.hours[0].runs[0].2 += 7;
        std::fs::write(summary_path(dir.path(), 21), s.encode(chain)).unwrap();
    };
    forged(&Chain::keyed(b"another key, not the log's one!!".to_vec()));
    assert!(!used(&storage, &settings.chain, 21));
    forged(&Chain::plain());
    assert!(!used(&storage, &settings.chain, 21));
    assert_eq!(agrees(&storage, &settings.chain), honest);
    // `rotate` makes them again.
    tool_log::rotate(&storage, &settings, now(), "amy", &mut Vec::new()).unwrap();
    for d in 20..24 {
        assert!(used(&storage, &settings.chain, d), "the {d}th");
    }
    assert_eq!(agrees(&storage, &settings.chain), honest);
    // Without the key, no keyed summary is used: stats reads the lines.
    assert!(!used(&storage, &Chain::plain(), 22));
    assert_eq!(agrees(&storage, &Chain::plain()), honest);
    // Another file's summary put in its place.
    std::fs::copy(summary_path(dir.path(), 22), summary_path(dir.path(), 20)).unwrap();
    assert!(!used(&storage, &settings.chain, 20));
    assert_eq!(agrees(&storage, &settings.chain), honest);
}

#[test]
fn a_summary_of_a_file_that_changed_since_is_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let storage = FsStorage::new(dir.path());
    let settings = Settings::default();
    four_days(&storage, &settings);
    let honest = agrees(&storage, &settings.chain);
    let file = |d: u32| dir.path().join(day_files::day_path("amy", day(d)));
    // A line added to a closed file (its length changes).
    let mut text = std::fs::read_to_string(file(20)).unwrap();
    text.push_str(&Legacy::Run(0, 1, Some(5)).line("amy", at(20, 100)));
    text.push('\n');
    std::fs::write(file(20), &text).unwrap();
    assert!(!used(&storage, &settings.chain, 20));
    assert_eq!(agrees(&storage, &settings.chain).total, honest.total + 1);
    // The last entry replaced by one of the same length (its end changes).
    let text = std::fs::read_to_string(file(21)).unwrap();
    let edited = text.replacen(
        "\"status\":\"ok\",\"result_chars\"",
        "\"status\":\"no\",\"result_chars\"",
        1,
    );
    let last = text.trim_end().rsplit_once('\n').unwrap().0.len();
    let tail = text[last..].replace("\"status\":\"ok\"", "\"status\":\"no\"");
    let edited_tail = format!("{}{tail}", &text[..last]);
    assert_ne!(edited, text);
    std::fs::write(file(21), edited_tail).unwrap();
    assert!(!used(&storage, &settings.chain, 21));
    agrees(&storage, &settings.chain);
    // A gzipped file replaced by another gzip of other lines.
    let compress = self::settings(None, true, None);
    tool_log::rotate(&storage, &compress, now(), "amy", &mut Vec::new()).unwrap();
    let gz = DayFile::first(day(22)).gzipped();
    assert!(summary::load(&storage, &settings.chain, "amy", &gz).is_some());
    assert!(
        !summary_path(dir.path(), 22).exists(),
        "the plain file's summary went with it"
    );
    let gz_path = dir.path().join(gz.path("amy"));
    let other = dir.path().join("other.jsonl");
    std::fs::write(
        &other,
        Legacy::Run(1, 0, None).line("amy", at(22, 7)) + "\n",
    )
    .unwrap();
    std::fs::rename(&other, dir.path().join(DayFile::first(day(22)).path("amy"))).unwrap();
    day_files::compress(&storage, "amy", &DayFile::first(day(22))).unwrap();
    assert!(gz_path.is_file());
    assert!(summary::load(&storage, &settings.chain, "amy", &gz).is_none());
    agrees(&storage, &settings.chain);
}

#[test]
fn a_crash_while_a_summary_is_written_leaves_nothing_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let storage = FsStorage::new(dir.path());
    let settings = Settings::default();
    four_days(&storage, &settings);
    let honest = agrees(&storage, &settings.chain);
    // A temporary left behind, and a summary cut short.
    let tmp = summary_path(dir.path(), 20).with_extension("json.tmp");
    std::fs::write(&tmp, "{\"version\":1,\"us").unwrap();
    let whole = std::fs::read(summary_path(dir.path(), 21)).unwrap();
    std::fs::write(summary_path(dir.path(), 21), &whole[..whole.len() / 2]).unwrap();
    std::fs::write(summary_path(dir.path(), 22), b"").unwrap();
    assert!(used(&storage, &settings.chain, 20));
    assert!(!used(&storage, &settings.chain, 21));
    assert!(!used(&storage, &settings.chain, 22));
    assert_eq!(agrees(&storage, &settings.chain), honest);
    assert!(
        day_files::list(&storage, "amy").unwrap().len() == 5,
        "no reader takes a summary or its temporary for a day file"
    );
    tool_log::rotate(&storage, &settings, now(), "amy", &mut Vec::new()).unwrap();
    assert!(!tmp.exists(), "rotate removes the temporary");
    assert!(used(&storage, &settings.chain, 21) && used(&storage, &settings.chain, 22));
    assert_eq!(agrees(&storage, &settings.chain), honest);
}

#[test]
fn repair_retention_and_compression_keep_summaries_in_step() {
    let dir = tempfile::tempdir().unwrap();
    let storage = FsStorage::new(dir.path());
    let settings = Settings::default();
    four_days(&storage, &settings);
    // A garbage line in a closed file: its summary no longer covers it;
    // repair moves the line aside and summarises the file again.
    let file = dir.path().join(day_files::day_path("amy", day(21)));
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.insert_str(text.find('\n').unwrap() + 1, "{torn\n");
    std::fs::write(&file, text).unwrap();
    assert!(!used(&storage, &settings.chain, 21));
    let repaired = tool_log::repair(&storage, &settings, now(), "amy").unwrap();
    assert_eq!(repaired.len(), 1);
    assert!(used(&storage, &settings.chain, 21));
    agrees(&storage, &settings.chain);
    // Retention deletes the 20th and 21st, and their summaries; compression
    // gzips the 22nd, which gets a summary of its own.
    let policy = Settings::default()
        .updated(&SettingsUpdate {
            max_days: Some(3),
            compress: Some(true),
            ..SettingsUpdate::default()
        })
        .unwrap();
    tool_log::rotate(&storage, &policy, now(), "amy", &mut Vec::new()).unwrap();
    assert!(!summary_path(dir.path(), 20).exists());
    assert!(!summary_path(dir.path(), 21).exists());
    let gz = DayFile::first(day(22)).gzipped();
    assert!(dir.path().join(summary::path("amy", &gz)).is_file());
    assert!(summary::load(&storage, &settings.chain, "amy", &gz).is_some());
    agrees(&storage, &settings.chain);
    // A summary whose file is gone, and one of the open file, are removed.
    std::fs::write(summary_path(dir.path(), 19), b"{}").unwrap();
    std::fs::write(summary_path(dir.path(), 24), b"{}").unwrap();
    summary::refresh(&storage, &settings.chain, "amy", Refresh::Missing).unwrap();
    assert!(!summary_path(dir.path(), 19).exists());
    assert!(!summary_path(dir.path(), 24).exists());
}

#[test]
fn a_summary_is_what_building_it_again_gives() {
    let dir = tempfile::tempdir().unwrap();
    let storage = FsStorage::new(dir.path());
    let settings = Settings::default();
    four_days(&storage, &settings);
    let file = DayFile::first(day(20));
    let built = summary::build(&storage, "amy", &file).unwrap().unwrap();
    assert_eq!(
        summary::load(&storage, &settings.chain, "amy", &file),
        Some(built.clone())
    );
    assert_eq!(
        built.hours.iter().map(|h| h.hour).collect::<Vec<_>>(),
        [10, 11, 12, 13]
    );
    let mut short = built;
    short.hours.pop();
    summary::write(&storage, &settings.chain, "amy", &file, &short).unwrap();
    assert_eq!(
        stats::stats(&storage, &settings.chain, now(), &week())
            .unwrap()
            .total,
        751,
        "a summary sealed under the log's chain is trusted: the seal is what guards it"
    );
}

#[test]
fn a_summary_stats_would_trust_that_its_file_does_not_bear_out_fails_verify() {
    let dir = tempfile::tempdir().unwrap();
    let storage = FsStorage::new(dir.path());
    let settings = Settings::default();
    four_days(&storage, &settings);
    let chain = &settings.chain;
    let verified = |storage: &FsStorage| {
        crate::verify::verify(storage, chain, chrono::Utc::now(), None, &[]).unwrap()
    };
    assert_eq!(verified(&storage).problem, None);
    let honest = agrees(&storage, chain);
    // In plain mode anyone who can write the directory can seal a summary:
    // counts inflated, sealed again with a plain hash, the file untouched.
    let file = DayFile::first(day(21));
    let mut forged = summary::load(&storage, chain, "amy", &file).unwrap();
    forged.hours[0].runs[0].2 += 1_000;
    std::fs::write(summary_path(dir.path(), 21), forged.encode(chain)).unwrap();
    assert!(used(&storage, chain, 21), "stats trusts its seal");
    let lied = stats::stats(&storage, chain, now(), &week()).unwrap();
    assert_eq!(lied.total, honest.total + 1_000);
    // verify, which reads the lines, names the summary and the file.
    let report = verified(&storage);
    let problem = report.problem.expect("the forged summary is named");
    assert_eq!(problem.file, summary::path("amy", &file), "{problem:?}");
    assert!(
        problem.reason.contains(&file.name()) && problem.reason.contains("stats"),
        "{problem:?}"
    );
    // Deleting it is always safe: stats reads the lines, verify passes.
    std::fs::remove_file(summary_path(dir.path(), 21)).unwrap();
    assert_eq!(verified(&storage).problem, None);
    assert_eq!(agrees(&storage, chain), honest);
}

#[test]
fn verify_with_the_key_names_a_summary_forged_without_it() {
    let dir = tempfile::tempdir().unwrap();
    let storage = FsStorage::new(dir.path());
    let key = b"0123456789abcdef0123456789abcdef";
    let settings = settings(None, false, Some(key));
    four_days(&storage, &settings);
    let keyed = &settings.chain;
    let verified =
        || crate::verify::verify(&storage, keyed, chrono::Utc::now(), None, &[]).unwrap();
    assert_eq!(verified().problem, None);
    let honest = agrees(&storage, keyed);
    // The attack: no key, but the directory is writable. Counts inflated,
    // sealed with the plain hash anyone can compute.
    let file = DayFile::first(day(21));
    let mut forged = summary::load(&storage, keyed, "amy", &file).unwrap();
    forged.hours[0].runs[0].2 += 1_000;
    std::fs::write(summary_path(dir.path(), 21), forged.encode(&Chain::plain())).unwrap();
    // Readers with the key ignore it; readers without it cannot check any
    // seal of a keyed log, lines or summaries, and trust it as they would
    // forged lines...
    assert_eq!(agrees(&storage, keyed), honest);
    let keyless = stats::stats(&storage, &Chain::plain(), now(), &week()).unwrap();
    assert_eq!(keyless.total, honest.total + 1_000);
    // ...so verify with the key, which is what vouches for the log, names it.
    let problem = verified().problem.expect("the forged summary is named");
    assert_eq!(problem.file, summary::path("amy", &file), "{problem:?}");
    assert!(
        problem.reason.contains("without the key") && problem.reason.contains(&file.name()),
        "{problem:?}"
    );
    std::fs::remove_file(summary_path(dir.path(), 21)).unwrap();
    assert_eq!(verified().problem, None);
}

#[test]
fn a_summary_that_claims_more_than_its_file_can_hold_is_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let storage = FsStorage::new(dir.path());
    let settings = Settings::default();
    four_days(&storage, &settings);
    let chain = &settings.chain;
    let honest = agrees(&storage, chain);
    let file = DayFile::first(day(21));
    let stored = summary::load(&storage, chain, "amy", &file).unwrap();
    let span = stored.hours[0].end - stored.hours[0].start;
    type Edit = fn(&mut summary::Summary, u64);
    let forgeries: [(&str, Edit); 5] = [
        ("more runs than its span has bytes", |s, span| {
            s.hours[0].runs[0].2 += span
        }),
        ("more durations than runs", |s, _| {
            let runs = &mut s.hours[0].runs[0];
            runs.3 = vec![(5, runs.2 + 1)];
        }),
        // Once a trap: every value was spelled out, 2^28 of them.
        ("2^28 durations of as many runs", |s, _| {
            s.hours[0].runs[0].2 = 1 << 28;
            s.hours[0].runs[0].3 = vec![(5, 1 << 28)];
        }),
        ("a count that wraps", |s, _| {
            s.hours[0].other = u64::MAX;
        }),
        ("an hour past the end of its file", |s, _| {
            let last = s.hours.len() - 1;
            s.hours[last].end = u64::MAX;
        }),
    ];
    for (what, edit) in forgeries {
        let mut forged = stored.clone();
        edit(&mut forged, span);
        // Sealed under the log's own chain: only its contents give it away.
        std::fs::write(summary_path(dir.path(), 21), forged.encode(chain)).unwrap();
        assert!(!used(&storage, chain, 21), "{what}: trusted");
        assert_eq!(agrees(&storage, chain), honest, "{what}");
    }
    // Zero-count durations and a sparse table of many tools and statuses
    // (only the pairs the runs name take memory) stay harmless too.
    let mut wide = stored.clone();
    wide.names.extend((0..5_000).map(|i| format!("t{i}")));
    wide.statuses.extend((0..5_000).map(|i| format!("s{i}")));
    std::fs::write(summary_path(dir.path(), 21), wide.encode(chain)).unwrap();
    assert!(used(&storage, chain, 21));
    assert_eq!(agrees(&storage, chain), honest);
}

#[test]
fn a_file_named_like_a_summary_is_read_only_within_bounds() {
    let dir = tempfile::tempdir().unwrap();
    let storage = FsStorage::new(dir.path());
    let settings = Settings::default();
    four_days(&storage, &settings);
    let chain = &settings.chain;
    let honest = agrees(&storage, chain);
    // Sparse: takes no disk, but reading it whole would take 16 MiB and more.
    let huge = std::fs::File::create(summary_path(dir.path(), 22)).unwrap();
    huge.set_len(summary::MAX_BYTES + 1).unwrap();
    assert!(!used(&storage, chain, 22));
    let counting = CountingStorage::new(FsStorage::new(dir.path()));
    assert_eq!(
        stats::stats(&counting, chain, now(), &week()).unwrap(),
        honest
    );
    let read = counting.counts.read.get();
    assert!(read < summary::MAX_BYTES, "read {read} bytes");
    let report = crate::verify::verify(&storage, chain, chrono::Utc::now(), None, &[]).unwrap();
    assert_eq!(report.problem, None);
    // rotate puts a real one in its place.
    summary::refresh(&storage, chain, "amy", Refresh::All).unwrap();
    assert!(used(&storage, chain, 22));
    assert_eq!(agrees(&storage, chain), honest);
}
