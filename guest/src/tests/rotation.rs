//! Rotation, retention and compression of the tool log, with an injected
//! clock and small limits, through the same calls the component exports.

use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::Engine;
use crate::query::{Filter, Query, Source};
use crate::rotation::RotationAction;
use crate::settings::SettingsUpdate;
use crate::storage::fs::FsStorage;
use crate::tool_log::ToolCall;
use chrono::{DateTime, TimeZone, Utc};
use serde_json::Value;

/// A clock the test moves.
#[derive(Clone)]
struct TestClock(Arc<Mutex<DateTime<Utc>>>);

impl TestClock {
    fn at(day: u32, hour: u32) -> Self {
        Self(Arc::new(Mutex::new(time(day, hour))))
    }
    fn set(&self, day: u32, hour: u32) {
        *self.0.lock().unwrap() = time(day, hour);
    }
}

fn time(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 10, day, hour, 0, 0).unwrap()
}

fn logs(dir: &Path, clock: &TestClock, update: SettingsUpdate) -> Engine<FsStorage> {
    let clock = clock.clone();
    let mut logs = Engine::with_clock(
        FsStorage::new(dir),
        Box::new(move || *clock.0.lock().unwrap()),
    );
    logs.configure(&update).unwrap();
    logs
}

fn call(i: usize) -> ToolCall {
    ToolCall {
        user: "amy".into(),
        tool: format!("tool_{}", i % 3),
        args: format!(r#"{{"id":{i},"path":"/srv/data/{}"}}"#, "x".repeat(40)),
        status: if i.is_multiple_of(5) { "error" } else { "ok" }.into(),
        output: format!("result {i}"),
    }
}

/// Every entry of amy's since October 1st, newest first (one page).
fn everything(logs: &Engine<FsStorage>) -> Vec<Value> {
    let query = Query {
        filter: filter(),
        limit: Some(1000),
        cursor: None,
    };
    let page = logs.recent(&query).unwrap();
    assert!(page.next_cursor.is_none(), "one page holds everything");
    page.entries
        .iter()
        .map(|e| serde_json::from_str(e).unwrap())
        .collect()
}

fn filter() -> Filter {
    Filter {
        since: Some("2025-10-01".into()),
        ..Filter::new(Source::User("amy".into()))
    }
}

fn stats_json(logs: &Engine<FsStorage>) -> Value {
    serde_json::to_value(logs.stats(&filter()).unwrap()).unwrap()
}

fn ids(entries: &[Value]) -> Vec<u64> {
    entries
        .iter()
        .filter_map(|e| e["args"]["id"].as_u64())
        .collect()
}

fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir.join("amy/tool_audit"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.contains(".jsonl"))
        .collect();
    names.sort();
    names
}

fn verified(logs: &Engine<FsStorage>) -> u64 {
    let report = logs.verify(Some(&Source::User("amy".into())), &[]).unwrap();
    assert_eq!(report.problem, None);
    report.entries
}

fn rolling(bytes: u64) -> SettingsUpdate {
    SettingsUpdate {
        max_file_bytes: Some(bytes),
        ..SettingsUpdate::default()
    }
}

#[test]
fn a_day_file_rolls_into_numbered_segments_past_its_size() {
    let dir = tempfile::tempdir().unwrap();
    let clock = TestClock::at(3, 9);
    let logs = logs(dir.path(), &clock, rolling(2048));
    for i in 0..40 {
        logs.append_tool(&call(i)).unwrap();
    }
    let names = files(dir.path());
    assert!(names.len() >= 5, "{names:?}");
    assert_eq!(names[0], "2025-10-03.1.jsonl");
    assert!(names.contains(&"2025-10-03.jsonl".to_owned()));
    let sizes: Vec<u64> = (0..names.len() as u32)
        .map(|n| match n {
            0 => "2025-10-03.jsonl".to_owned(),
            n => format!("2025-10-03.{n}.jsonl"),
        })
        .map(|name| {
            std::fs::metadata(dir.path().join("amy/tool_audit").join(name))
                .unwrap()
                .len()
        })
        .collect();
    let entry = sizes[0] / (sizes[0] / 300).max(1);
    for size in &sizes[..sizes.len() - 1] {
        assert!(*size >= 2048 && *size < 2048 + 2 * entry, "{sizes:?}");
    }
    let entries = everything(&logs);
    assert_eq!(ids(&entries), (0..40).rev().collect::<Vec<_>>());
    let seqs: Vec<u64> = entries.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, (1..=40).rev().collect::<Vec<_>>());
    assert_eq!(stats_json(&logs)["total"], 40);
    assert_eq!(verified(&logs), 40);
}

#[test]
fn recent_pages_through_segments_without_repeats() {
    let dir = tempfile::tempdir().unwrap();
    let clock = TestClock::at(3, 9);
    let logs = logs(dir.path(), &clock, rolling(1024));
    for i in 0..30 {
        logs.append_tool(&call(i)).unwrap();
    }
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = logs
            .recent(&Query {
                filter: filter(),
                limit: Some(7),
                cursor,
            })
            .unwrap();
        seen.extend(
            page.entries
                .iter()
                .map(|e| serde_json::from_str::<Value>(e).unwrap()),
        );
        cursor = page.next_cursor;
        if cursor.is_none() {
            break;
        }
    }
    assert_eq!(ids(&seen), (0..30).rev().collect::<Vec<_>>());
}

#[test]
fn the_chain_runs_across_days_and_readers_see_every_day() {
    let dir = tempfile::tempdir().unwrap();
    let clock = TestClock::at(3, 9);
    let logs = logs(dir.path(), &clock, SettingsUpdate::default());
    for day in 3..6 {
        clock.set(day, 10);
        for i in 0..5 {
            logs.append_tool(&call(day as usize * 10 + i)).unwrap();
        }
    }
    assert_eq!(
        files(dir.path()),
        ["2025-10-03.jsonl", "2025-10-04.jsonl", "2025-10-05.jsonl"]
    );
    assert_eq!(everything(&logs).len(), 15);
    assert_eq!(stats_json(&logs)["by_day"]["2025-10-04"], 5);
    assert_eq!(verified(&logs), 15);
}

#[test]
fn compression_changes_no_answer() {
    let dir = tempfile::tempdir().unwrap();
    let clock = TestClock::at(3, 9);
    let mut logs = logs(dir.path(), &clock, rolling(2048));
    for day in 3..7 {
        clock.set(day, 10);
        for i in 0..12 {
            logs.append_tool(&call(day as usize * 100 + i)).unwrap();
        }
    }
    let (before, stats_before) = (everything(&logs), stats_json(&logs));
    logs.configure(&SettingsUpdate {
        compress: Some(true),
        ..SettingsUpdate::default()
    })
    .unwrap();
    let done = logs.rotate(None).unwrap();
    assert!(!done.is_empty());
    assert!(done.iter().all(|r| r.action == RotationAction::Compressed));
    let names = files(dir.path());
    // Everything is compressed but the files still open: the newest segment
    // of the two newest days.
    let plain: Vec<&String> = names.iter().filter(|n| !n.ends_with(".gz")).collect();
    assert_eq!(plain.len(), 2, "{names:?}");
    assert!(
        plain
            .iter()
            .all(|n| n.starts_with("2025-10-05") || n.starts_with("2025-10-06"))
    );
    assert_eq!(everything(&logs), before);
    assert_eq!(stats_json(&logs), stats_before);
    assert_eq!(verified(&logs), 48);
    // Appends roll over and compress the segment they close.
    for i in 0..12 {
        logs.append_tool(&call(900 + i)).unwrap();
    }
    assert_eq!(verified(&logs), 60);
    assert_eq!(everything(&logs).len(), 60);
}

/// With a grace period, closed segments stay plain (for a shipper that is
/// behind) until their last entry is that old, whether an append or
/// `rotate` applies the policy; then they are compressed as before.
#[test]
fn compression_waits_for_the_grace_period() {
    let dir = tempfile::tempdir().unwrap();
    let clock = TestClock::at(3, 10);
    let logs = logs(
        dir.path(),
        &clock,
        SettingsUpdate {
            compress: Some(true),
            compress_grace: Some(3600),
            ..rolling(2048)
        },
    );
    for i in 0..40 {
        logs.append_tool(&call(i)).unwrap();
    }
    let names = files(dir.path());
    assert!(names.len() >= 5, "{names:?}");
    assert!(names.iter().all(|n| !n.ends_with(".gz")), "{names:?}");
    assert!(logs.rotate(None).unwrap().is_empty());
    clock.set(3, 11);
    let done = logs.rotate(None).unwrap();
    assert_eq!(done.len(), names.len() - 1, "all but the open segment");
    assert!(done.iter().all(|r| r.action == RotationAction::Compressed));
    let plain: Vec<String> = files(dir.path())
        .into_iter()
        .filter(|n| !n.ends_with(".gz"))
        .collect();
    assert_eq!(plain.len(), 1);
    assert_eq!(everything(&logs).len(), 40);
    assert_eq!(verified(&logs), 40);
}

#[test]
fn retention_by_days_deletes_old_days_and_records_it() {
    let dir = tempfile::tempdir().unwrap();
    let clock = TestClock::at(1, 9);
    let mut logs = logs(dir.path(), &clock, SettingsUpdate::default());
    for day in 1..6 {
        clock.set(day, 10);
        for i in 0..4 {
            logs.append_tool(&call(day as usize * 10 + i)).unwrap();
        }
    }
    let before = everything(&logs);
    logs.configure(&SettingsUpdate {
        max_days: Some(2),
        ..SettingsUpdate::default()
    })
    .unwrap();
    let done = logs.rotate(None).unwrap();
    let deleted: Vec<&str> = done.iter().map(|r| r.file.as_str()).collect();
    assert_eq!(
        deleted,
        [
            "amy/tool_audit/2025-10-01.jsonl",
            "amy/tool_audit/2025-10-02.jsonl",
            "amy/tool_audit/2025-10-03.jsonl"
        ]
    );
    assert_eq!(files(dir.path()), ["2025-10-04.jsonl", "2025-10-05.jsonl"]);
    let after = everything(&logs);
    let record = &after[0];
    assert_eq!(record["tool"], "auditlog.retention");
    assert_eq!(record["args"]["through_seq"], 12);
    assert_eq!(record["args"]["deleted"][0], "2025-10-01.jsonl");
    // What is kept reads as before.
    assert_eq!(&after[1..], &before[..8]);
    assert_eq!(verified(&logs), 9);
    // Running it again, as after a restart, deletes nothing more.
    assert!(logs.rotate(None).unwrap().is_empty());
    assert_eq!(files(dir.path()).len(), 2);
    // A new day, under the policy, drops the oldest day on its first append.
    clock.set(6, 8);
    logs.append_tool(&call(99)).unwrap();
    assert_eq!(files(dir.path()), ["2025-10-05.jsonl", "2025-10-06.jsonl"]);
    // Day 5: four calls and the first record; day 6: the second record and a call.
    assert_eq!(verified(&logs), 7);
    assert_eq!(everything(&logs)[1]["tool"], "auditlog.retention");
}

/// A shipped copy (what a central collector writes from every line the
/// machine wrote) keeps the files the machine's retention deleted and gets
/// no `.retention`: its chain runs from seq 1 through the retention
/// entries, and verifies; a line deleted from it is named.
#[test]
fn a_copy_that_kept_what_retention_deleted_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let copy = tempfile::tempdir().unwrap();
    let clock = TestClock::at(1, 9);
    let mut logs = logs(dir.path(), &clock, SettingsUpdate::default());
    let ship = || {
        let into = copy.path().join("amy/tool_audit");
        std::fs::create_dir_all(&into).unwrap();
        for name in files(dir.path()) {
            std::fs::copy(
                dir.path().join("amy/tool_audit").join(&name),
                into.join(&name),
            )
            .unwrap();
        }
    };
    for day in 1..6 {
        clock.set(day, 10);
        for i in 0..4 {
            logs.append_tool(&call(day as usize * 10 + i)).unwrap();
        }
        ship();
    }
    logs.configure(&SettingsUpdate {
        max_days: Some(2),
        ..SettingsUpdate::default()
    })
    .unwrap();
    assert_eq!(logs.rotate(None).unwrap().len(), 3);
    ship();
    assert_eq!(files(copy.path()).len(), 5);
    let central = self::logs(copy.path(), &clock, SettingsUpdate::default());
    assert_eq!(verified(&central), 21);
    let day_two = copy.path().join("amy/tool_audit/2025-10-02.jsonl");
    let text = std::fs::read_to_string(&day_two).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| !l.contains(r#""seq":6,"#))
        .collect();
    assert_eq!(kept.len(), 3);
    std::fs::write(&day_two, kept.join("\n") + "\n").unwrap();
    let report = central
        .verify(Some(&Source::User("amy".into())), &[])
        .unwrap();
    let problem = report.problem.expect("the deleted line is named");
    assert_eq!(
        (problem.file.as_str(), problem.seq),
        ("amy/tool_audit/2025-10-02.jsonl", Some(7))
    );
    assert!(
        problem.reason.contains("entry 6 was removed"),
        "{}",
        problem.reason
    );
}

#[test]
fn retention_by_bytes_keeps_the_newest_files_within_the_bound() {
    let dir = tempfile::tempdir().unwrap();
    let clock = TestClock::at(3, 9);
    let mut logs = logs(dir.path(), &clock, rolling(2048));
    for i in 0..60 {
        logs.append_tool(&call(i)).unwrap();
    }
    let total = |dir: &Path| -> u64 {
        files(dir)
            .iter()
            .map(|n| {
                std::fs::metadata(dir.join("amy/tool_audit").join(n))
                    .unwrap()
                    .len()
            })
            .sum()
    };
    assert!(total(dir.path()) > 6000);
    logs.configure(&SettingsUpdate {
        max_user_bytes: Some(6000),
        ..SettingsUpdate::default()
    })
    .unwrap();
    let done = logs.rotate(None).unwrap();
    assert!(done.iter().all(|r| r.action == RotationAction::Deleted));
    assert!(!done.is_empty());
    // The record itself is appended after the deletion.
    assert!(total(dir.path()) <= 6000 + 1024, "{}", total(dir.path()));
    let kept = everything(&logs);
    let kept_ids = ids(&kept);
    assert_eq!(kept_ids.first(), Some(&59));
    assert!(kept_ids.windows(2).all(|w| w[0] == w[1] + 1));
    assert_eq!(verified(&logs), kept.len() as u64);
}

#[test]
fn verify_tells_a_deletion_by_hand_from_one_by_policy() {
    let dir = tempfile::tempdir().unwrap();
    let clock = TestClock::at(1, 9);
    let logs = logs(dir.path(), &clock, rolling(1024));
    for day in 1..4 {
        clock.set(day, 10);
        for i in 0..8 {
            logs.append_tool(&call(day as usize * 10 + i)).unwrap();
        }
    }
    let names = files(dir.path());
    std::fs::remove_file(dir.path().join("amy/tool_audit").join(&names[0])).unwrap();
    let report = logs.verify(Some(&Source::User("amy".into())), &[]).unwrap();
    let problem = report.problem.expect("a file deleted by hand is found");
    assert!(
        problem.reason.contains("were removed"),
        "{}",
        problem.reason
    );
    // A segment deleted from the middle is a gap.
    let dir = tempfile::tempdir().unwrap();
    let logs = self::logs(dir.path(), &clock, rolling(1024));
    for i in 0..20 {
        logs.append_tool(&call(i)).unwrap();
    }
    std::fs::remove_file(dir.path().join("amy/tool_audit/2025-10-03.1.jsonl")).unwrap();
    let report = logs.verify(Some(&Source::User("amy".into())), &[]).unwrap();
    assert!(report.problem.expect("a gap").reason.contains("removed"));
}

#[test]
fn threads_writing_across_roll_overs_lose_and_repeat_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let clock = TestClock::at(3, 9);
    std::thread::scope(|scope| {
        for t in 0..8 {
            let (dir, clock) = (dir.path(), clock.clone());
            scope.spawn(move || {
                let logs = logs(dir, &clock, rolling(4096));
                for i in 0..100 {
                    logs.append_tool(&call(t * 1000 + i)).unwrap();
                }
            });
        }
    });
    let logs = logs(dir.path(), &clock, SettingsUpdate::default());
    let entries = everything(&logs);
    let mut seen = ids(&entries);
    seen.sort_unstable();
    let mut expected: Vec<u64> = (0..8u64)
        .flat_map(|t| (0..100).map(move |i| t * 1000 + i))
        .collect();
    expected.sort_unstable();
    assert_eq!(seen, expected);
    assert!(files(dir.path()).len() > 10);
    assert_eq!(verified(&logs), 800);
}

#[test]
fn a_clock_days_behind_after_compression_continues_the_newest_file() {
    let dir = tempfile::tempdir().unwrap();
    let clock = TestClock::at(3, 9);
    let mut logs = logs(dir.path(), &clock, SettingsUpdate::default());
    logs.append_tool(&call(1)).unwrap();
    clock.set(6, 9);
    logs.append_tool(&call(2)).unwrap();
    logs.configure(&SettingsUpdate {
        compress: Some(true),
        ..SettingsUpdate::default()
    })
    .unwrap();
    logs.rotate(None).unwrap();
    assert_eq!(
        files(dir.path()),
        ["2025-10-03.jsonl.gz", "2025-10-06.jsonl"]
    );
    // A host whose clock is days behind neither reopens the compressed day
    // nor forks the chain: its entry continues the newest file.
    clock.set(3, 12);
    logs.append_tool(&call(3)).unwrap();
    assert_eq!(
        files(dir.path()),
        ["2025-10-03.jsonl.gz", "2025-10-06.jsonl"]
    );
    clock.set(6, 12);
    let mut seen = ids(&everything(&logs));
    seen.sort_unstable();
    assert_eq!(seen, [1, 2, 3]);
    assert_eq!(verified(&logs), 3);
}

#[test]
fn a_cursor_survives_roll_overs_and_compression_between_pages() {
    let dir = tempfile::tempdir().unwrap();
    let clock = TestClock::at(3, 9);
    let logs = logs(
        dir.path(),
        &clock,
        SettingsUpdate {
            max_file_bytes: Some(1024),
            compress: Some(true),
            ..SettingsUpdate::default()
        },
    );
    for i in 0..20 {
        logs.append_tool(&call(i)).unwrap();
    }
    let page = |cursor| {
        logs.recent(&Query {
            filter: filter(),
            limit: Some(8),
            cursor,
        })
        .unwrap()
    };
    let first = page(None);
    let mut seen: Vec<Value> = first
        .entries
        .iter()
        .map(|e| serde_json::from_str(e).unwrap())
        .collect();
    // Between pages, the file being read is closed and compressed.
    for i in 20..40 {
        logs.append_tool(&call(i)).unwrap();
    }
    assert!(
        files(dir.path())
            .iter()
            .filter(|n| n.ends_with(".gz"))
            .count()
            >= 3
    );
    let mut cursor = first.next_cursor;
    while let Some(at) = cursor {
        let next = page(Some(at));
        seen.extend(
            next.entries
                .iter()
                .map(|e| serde_json::from_str::<Value>(e).unwrap()),
        );
        cursor = next.next_cursor;
    }
    assert_eq!(ids(&seen), (0..20).rev().collect::<Vec<_>>());
}

#[test]
fn appends_stay_in_order_when_retention_deletes_the_days_first_segments() {
    let dir = tempfile::tempdir().unwrap();
    let clock = TestClock::at(3, 9);
    let logs = logs(
        dir.path(),
        &clock,
        SettingsUpdate {
            max_file_bytes: Some(1024),
            max_user_bytes: Some(4096),
            ..SettingsUpdate::default()
        },
    );
    for i in 0..60 {
        logs.append_tool(&call(i)).unwrap();
    }
    let names = files(dir.path());
    assert!(
        !names.contains(&"2025-10-03.jsonl".to_owned())
            && !names.contains(&"2025-10-03.1.jsonl".to_owned()),
        "the day's first segments are gone: {names:?}"
    );
    // Every entry written after them went after the newest segment.
    let kept = everything(&logs);
    let kept_ids = ids(&kept);
    assert_eq!(kept_ids.first(), Some(&59));
    assert!(
        kept_ids.windows(2).all(|w| w[0] == w[1] + 1),
        "{kept_ids:?}"
    );
    assert_eq!(verified(&logs), kept.len() as u64);
}

/// The attack on a central store: a gzip bomb, a megabyte of `.gz` that
/// inflates past what a read holds, put among another user's files.
/// Before, every read of every user failed with the component's memory
/// limit, naming nothing, and so did `repair`; now the file is named,
/// `repair` moves it aside whole, and every read works again. A plain file
/// past that size is never compressed into one.
#[test]
fn a_gzip_bomb_is_named_then_moved_aside_and_large_files_stay_plain() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let clock = TestClock::at(23, 10);
    let logs = logs(dir.path(), &clock, SettingsUpdate::default());
    for i in 0..3 {
        logs.append_tool(&call(i)).unwrap();
    }
    let bob = dir.path().join("bob/tool_audit");
    std::fs::create_dir_all(&bob).unwrap();
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let zeros = vec![b'0'; 1 << 20];
    for _ in 0..(crate::day_files::MAX_INFLATED_BYTES >> 20) + 1 {
        encoder.write_all(&zeros).unwrap();
    }
    let bomb = encoder.finish().unwrap();
    std::fs::write(bob.join("2025-10-20.jsonl.gz"), &bomb).unwrap();
    let all = Filter {
        since: Some("2025-10-01".into()),
        ..Filter::new(Source::AllUsers)
    };
    let refused = logs.stats(&all).unwrap_err().to_string();
    assert!(
        refused.contains("bob/tool_audit/2025-10-20.jsonl.gz: inflates to more than 64 MiB"),
        "{refused}"
    );
    assert_eq!(logs.stats(&filter()).unwrap().total, 3, "amy alone reads");
    let repaired = logs.repair(None).unwrap();
    assert_eq!(repaired.len(), 1, "{repaired:?}");
    assert_eq!(repaired[0].bytes, bomb.len() as u64);
    // amy's three, and the entry in bob's log that records the repair.
    assert_eq!(logs.stats(&all).unwrap().total, 4);

    // A plain day file past the cap is left plain by compression.
    let big = dir.path().join("amy/tool_audit/2025-10-21.jsonl");
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(crate::day_files::MAX_INFLATED_BYTES + 1)
        .unwrap();
    let storage = FsStorage::new(dir.path());
    let files = crate::day_files::list(&storage, "amy").unwrap();
    let settings = crate::settings::Settings::default();
    let taken = || {
        crate::rotation::to_compress(&storage, &settings, time(23, 10), "amy", &files, &[])
            .unwrap()
            .iter()
            .any(|f| f.day == big_day())
    };
    assert!(!taken());
    file.set_len(1024).unwrap();
    assert!(taken(), "a closed day file of ordinary size is compressed");
}

fn big_day() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2025, 10, 21).unwrap()
}
