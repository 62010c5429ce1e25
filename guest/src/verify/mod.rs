//! Checking the chains: every entry's `seq` follows the one before it and its
//! link matches its content and its predecessor's link (see [`crate::chain`]).
//!
//! Each line is read by the rule queries read it by ([`stored_line::check`]), and
//! strictly besides ([`stored_line::read_strictly`]), so that a line a query would
//! skip fails here: if `verify` passes, every entry it verified is one the
//! queries return.
//!
//! The first problem in a log is reported with its file, line and why:
//! modified (the link does not match, a key repeated, a field missing, a
//! tool entry stamped before the one before it), removed (a gap in `seq`),
//! inserted or reordered (a `seq` that does not move forward), moved (a tool
//! entry in another user's or day's file), damaged (a line that is not an
//! entry), unsealed (an entry without `seq` and link), cut from the end (the
//! log ends before a checkpoint the caller kept), or missing (a log the
//! checkpoint names is gone or empty).
//!
//! Legacy entries — lines without any part of our seal (no `seq`, `hash` or
//! `mac`; see [`crate::legacy`]) — are not links of the chain: they are
//! counted (those before the chain's first entry), listed (those after it
//! that no adoption covers: another writer's), folded into the legacy
//! digest, and the chain continues across them by `seq`. An adoption entry
//! must record exactly the digest of the legacy entries before it, so that
//! an adopted legacy entry changed, removed or added is named.

use auditlog_model::invisible;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::anchor::{self, Anchor};
use crate::chain::{self, Chain, HASH, Link, MAC, SEQ};
use crate::clock;
use crate::day_files::{self, DayFile};
use crate::error::AuditError;
use crate::legacy::Adopted;
use crate::query::Source;
use crate::rotation;
use crate::skill_log;
use crate::storage::{File, Storage};
use crate::stored_line::{self, Place, Unreadable};
use crate::summary;
use crate::tail::ForwardLines;

mod files;
mod repeats;
mod walker;

use files::seq_of;
use files::{verify_skills, verify_user};
use walker::Walker;

pub use auditlog_model::{LogEnd, MAX_UNSEALED_LISTED, Problem, UnsealedEntry};

/// The legacy entries (not sealed; see [`crate::legacy`]) of one log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Legacy {
    /// `audit_log.json` for the skill log, else the user's name.
    pub log: String,
    /// Legacy entries before the chain starts (before its first sealed
    /// entry), those retention dropped included.
    pub before_chain: u64,
    /// Every legacy entry in the log, those retention dropped included.
    pub total: u64,
    /// The `seq` of the last adoption entry and how many legacy entries it
    /// covers (their digest checked out), if the log was adopted.
    pub adopted: Option<(u64, u64)>,
    /// The digest of every legacy entry, in order.
    pub digest: crate::legacy::Digest,
    /// The time of the first legacy entry still in the log, as written.
    pub first_time: Option<String>,
    /// The time of the last, as written.
    pub last_time: Option<String>,
}

impl Legacy {
    /// The counts, without the digest.
    pub fn summary(&self) -> auditlog_model::LegacyEntries {
        let (adopted_seq, adopted_entries) = match self.adopted {
            Some((seq, entries)) => (Some(seq), entries),
            None => (None, 0),
        };
        auditlog_model::LegacyEntries {
            log: self.log.clone(),
            before_chain: self.before_chain,
            total: self.total,
            adopted_seq,
            adopted_entries,
            first_time: self.first_time.clone(),
            last_time: self.last_time.clone(),
        }
    }
}

/// What a verification found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Entries whose links checked out.
    pub entries: u64,
    /// Where each verified log's chain ends (for the next checkpoint).
    pub ends: Vec<LogEnd>,
    /// The logs that hold legacy entries.
    pub legacy: Vec<Legacy>,
    /// The first [`MAX_UNSEALED_LISTED`] unsealed entries after a chain
    /// started that no adoption covers.
    pub unsealed: Vec<UnsealedEntry>,
    /// How many there are in all.
    pub unsealed_total: u64,
    /// The first problem, if any; verification stops there.
    pub problem: Option<Problem>,
}

/// Checks the logs `source` names (`None`: the skill log and every user's), and
/// that each still reaches the end recorded in `checkpoint`.
///
/// # Errors
/// Storage errors; [`AuditError::Invalid`] for a bad user name, or for a
/// `checkpoint` end whose link is no link ([`check_ends`]).
pub fn verify<S: Storage>(
    storage: &S,
    chain: &Chain,
    now: DateTime<Utc>,
    source: Option<&Source>,
    checkpoint: &[LogEnd],
) -> Result<Report, AuditError> {
    check_ends(checkpoint)?;
    let mut report = Report::default();
    let logs = logs_of(storage, source)?;
    if let Some(problem) = missing(checkpoint, source, &logs) {
        report.problem = Some(problem);
        return Ok(report);
    }
    for log in logs {
        let name = log_name(log.as_deref());
        let expected = checkpoint.iter().find(|end| end.log == name);
        let walker = walk_log(storage, chain, now, log.as_deref(), expected, Locking::Take)?;
        if let Some(Source::User(user)) = source
            && walker.no_log
        {
            report.problem = Some(no_log(user));
            return Ok(report);
        }
        if !report.add(walker) {
            return Ok(report);
        }
    }
    Ok(report)
}

/// The logs `source` names: the skill log (`None`) and users' (`None`
/// source: all of them).
///
/// # Errors
/// [`AuditError::Invalid`] for a bad user name; storage errors listing users.
pub(crate) fn logs_of<S: Storage>(
    storage: &S,
    source: Option<&Source>,
) -> Result<Vec<Option<String>>, AuditError> {
    let mut logs = Vec::new();
    match source {
        None => {
            logs.push(None);
            logs.extend(day_files::users(storage)?.into_iter().map(Some));
        }
        Some(Source::Skills) => logs.push(None),
        Some(Source::User(user)) => {
            crate::entry::read_user(user)?;
            logs.push(Some(user.clone()));
        }
        Some(Source::AllUsers) => logs.extend(day_files::users(storage)?.into_iter().map(Some)),
    }
    Ok(logs)
}

/// Checks one log — the skill log (`None`) or `user`'s — as `verify` does,
/// whatever the user directory's name; `locking` says whether its caller
/// holds the log's writer's lock already (`adopt`, so that no writer of ours
/// changes it in between).
///
/// # Errors
/// Storage errors.
pub(crate) fn log<S: Storage>(
    storage: &S,
    chain: &Chain,
    now: DateTime<Utc>,
    user: Option<&str>,
    locking: Locking,
) -> Result<Report, AuditError> {
    let mut report = Report::default();
    report.add(walk_log(storage, chain, now, user, None, locking)?);
    Ok(report)
}

/// Whether a walk takes the skill log's lock (readers do) or its caller
/// already holds it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Locking {
    /// The walk takes it.
    Take,
    /// The caller holds it.
    Held,
}

/// The name a report gives a log: `audit_log.json`, or the user's name.
fn log_name(user: Option<&str>) -> String {
    user.map_or_else(|| skill_log::LOG_PATH.to_owned(), str::to_owned)
}

/// Walks one log (the skill log, or `user`'s) to its end or its first
/// problem, and checks it reaches `expected`. `now`: when the check runs
/// (see [`files::verify_user`]).
fn walk_log<'a, S: Storage>(
    storage: &S,
    chain: &'a Chain,
    now: DateTime<Utc>,
    user: Option<&str>,
    expected: Option<&'a LogEnd>,
    locking: Locking,
) -> Result<Walker<'a>, AuditError> {
    let mut walker = Walker::new(chain, log_name(user), expected);
    match user {
        None => verify_skills(storage, &mut walker, locking)?,
        Some(user) => verify_user(storage, user, now, &mut walker)?,
    }
    if walker.problem.is_none() {
        walker.check_checkpoint();
    }
    Ok(walker)
}

impl Report {
    /// The report as the host reads it, without the legacy digests: what
    /// `verify`'s lines are worded from ([`auditlog_model::VerifyReport`]).
    pub fn summary(&self) -> auditlog_model::VerifyReport {
        auditlog_model::VerifyReport {
            entries: self.entries,
            ends: self.ends.clone(),
            legacy: self.legacy.iter().map(Legacy::summary).collect(),
            unsealed: self.unsealed.clone(),
            unsealed_total: self.unsealed_total,
            problem: self.problem.clone(),
        }
    }

    /// Adds what `walker` found in one log; `false` if it found a problem
    /// (verification stops there).
    fn add(&mut self, mut walker: Walker<'_>) -> bool {
        self.entries += walker.entries;
        if let Some(problem) = walker.problem {
            self.problem = Some(problem);
            return false;
        }
        if walker.legacy.total > 0 {
            walker.legacy.log = walker.log.clone();
            self.legacy.push(walker.legacy);
        }
        self.unsealed_total += walker.unsealed.len() as u64;
        let room = MAX_UNSEALED_LISTED.saturating_sub(self.unsealed.len());
        self.unsealed.extend(walker.unsealed.into_iter().take(room));
        if walker.seq > 0 {
            self.ends.push(LogEnd {
                log: walker.log,
                seq: walker.seq,
                link: chain::to_hex(&walker.link),
            });
        }
        true
    }
}

/// Refuses a checkpoint end that no `verify` records: a log that is
/// neither the skill log nor a user's directory name, a `seq` of 0 (a
/// chain starts at 1), a link that is not 64 hexadecimal digits (in either
/// case). A damaged checkpoint is the checkpoint's fault, and must not be
/// reported as the log's entries modified or missing.
///
/// # Errors
/// [`AuditError::Invalid`] for `checkpoint`, naming the log.
fn check_ends(checkpoint: &[LogEnd]) -> Result<(), AuditError> {
    for end in checkpoint {
        let wrong = if end.log != skill_log::LOG_PATH
            && crate::validate::existing_user(&end.log).is_err()
        {
            "it names no log: the skill log (audit_log.json) or a user's directory".to_owned()
        } else if end.seq == 0 {
            "its seq is 0, and a chain starts at seq 1".to_owned()
        } else if chain::from_hex(&end.link).is_none() {
            format!(
                "its link must be 64 hexadecimal digits, got {}",
                invisible::refused(&end.link)
            )
        } else {
            continue;
        };
        return Err(AuditError::invalid(
            "checkpoint",
            format!(
                "the end recorded for {} is not one verify records: {wrong}",
                invisible::refused(&end.log)
            ),
        ));
    }
    Ok(())
}

/// The first log `checkpoint` holds an end for that `source` covers but
/// that is not among `logs` (deleted, renamed or hidden), as a problem.
fn missing(
    checkpoint: &[LogEnd],
    source: Option<&Source>,
    logs: &[Option<String>],
) -> Option<Problem> {
    let end = checkpoint.iter().find(|end| {
        let skills = end.log == skill_log::LOG_PATH;
        let covered = match source {
            None => true,
            Some(Source::Skills) => skills,
            Some(Source::AllUsers) => !skills,
            Some(Source::User(user)) => end.log == *user,
        };
        let present = logs.iter().any(|log| match log {
            None => skills,
            Some(user) => end.log == *user,
        });
        covered && !present
    })?;
    let (file, whose) = if end.log == skill_log::LOG_PATH {
        (end.log.clone(), "the skill log".to_owned())
    } else {
        (day_files::user_dir(&end.log), format!("user {}", end.log))
    };
    Some(Problem {
        file,
        line: 0,
        seq: None,
        reason: format!(
            "the checkpoint recorded seq {} for {whose}, but the log is missing: deleted, renamed or moved",
            end.seq
        ),
    })
}

/// The problem when `user` has no tool log here at all — no day file, and
/// no retention record of files dropped by policy (the walk finds that out
/// from its one listing): one user's log asked for by name is not "0
/// entries verified" when it is not there (a mistyped name, a log deleted
/// whole, or its files deleted and the directory left).
fn no_log(user: &str) -> Problem {
    Problem {
        reason: format!(
            "there is no log for user {user} here: nothing was recorded for them, or their log was deleted, renamed or moved"
        ),
        file: day_files::user_dir(user),
        line: 0,
        seq: None,
    }
}

/// `walk`'s `head` for a tool log: every line counts.
const TOOL_LAYOUT: u64 = u64::MAX;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Settings;
    use crate::skill_log::SkillRun;
    use crate::storage::fs::FsStorage;
    use crate::tool_log::ToolCall;
    use chrono::{DateTime, TimeZone, Utc};
    use std::path::Path;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 10, day, hour, 0, 0).unwrap()
    }

    /// A log of three keyed tool calls of amy's.
    fn keyed_tools() -> (tempfile::TempDir, FsStorage, Settings) {
        let dir = tempfile::tempdir().unwrap();
        let storage = FsStorage::new(dir.path());
        let keyed = Settings {
            chain: Chain::keyed(b"0123456789abcdef".to_vec()),
            ..Settings::default()
        };
        tools(&storage, &keyed, 3);
        (dir, storage, keyed)
    }

    fn tools(storage: &FsStorage, settings: &Settings, n: u32) {
        for i in 0..n {
            let call = ToolCall {
                user: "amy".into(),
                tool: format!("t{i}"),
                args: r#"{"k":"v"}"#.into(),
                status: "ok".into(),
                output: "r".into(),
            };
            crate::tool_log::append(
                storage,
                settings,
                at(20 + i / 3, i),
                &call,
                &Default::default(),
            )
            .unwrap();
        }
    }

    fn day_file(dir: &Path, day: u32) -> std::path::PathBuf {
        dir.join(format!("amy/tool_audit/2025-10-{day}.jsonl"))
    }

    fn edit(path: &Path, f: impl FnOnce(&mut Vec<String>)) {
        let text = std::fs::read_to_string(path).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        f(&mut lines);
        std::fs::write(path, lines.join("\n") + "\n").unwrap();
    }

    fn check(storage: &FsStorage, chain: &Chain) -> Report {
        verify(storage, chain, chrono::Utc::now(), None, &[]).unwrap()
    }

    fn problem(report: &Report) -> String {
        let p = report.problem.as_ref().expect("a problem");
        format!("{} line {}: {}", p.file, p.line, p.reason)
    }

    #[test]
    fn an_untouched_log_verifies_across_day_files() {
        let dir = tempfile::tempdir().unwrap();
        let storage = FsStorage::new(dir.path());
        tools(&storage, &Settings::default(), 9);
        let report = check(&storage, &Chain::plain());
        assert_eq!(report.problem, None);
        assert_eq!(report.entries, 9);
        assert_eq!(report.ends[0].log, "amy");
        assert_eq!(report.ends[0].seq, 9);
    }

    #[test]
    fn a_file_dated_after_today_fails_even_empty_and_keyed() {
        // The attack: no key, a writable directory, and an empty file named
        // for a later day; appends go to a user's newest file, so every
        // later (keyed, authentic) entry would carry that day.
        let (dir, storage, keyed) = keyed_tools();
        let now = at(22, 12);
        let verified = |now| verify(&storage, &keyed.chain, now, None, &[]).unwrap();
        assert_eq!(verified(now).problem, None);
        let future = dir.path().join("amy/tool_audit/9999-12-31.jsonl");
        std::fs::write(&future, "").unwrap();
        let report = verified(now);
        let reason = problem(&report);
        assert!(
            reason.starts_with("amy/tool_audit/9999-12-31.jsonl line 0: is dated 9999-12-31, after today (2025-10-22)"),
            "{reason}"
        );
        // Entries written after it carry its day: still named.
        let call = ToolCall {
            user: "amy".into(),
            tool: "t".into(),
            args: "{}".into(),
            status: "ok".into(),
            output: String::new(),
        };
        crate::tool_log::append(&storage, &keyed, now, &call, &Default::default()).unwrap();
        assert!(
            std::fs::read_to_string(&future)
                .unwrap()
                .contains("9999-12-31T")
        );
        assert!(verified(now).problem.is_some());
        // A day ahead is a clock's skew, not yet a problem.
        std::fs::remove_file(&future).unwrap();
        std::fs::write(day_file(dir.path(), 23), "").unwrap();
        assert_eq!(verified(now).problem, None);
    }

    #[test]
    fn a_users_directory_is_listed_once() {
        // The walk, the compressed copies and the summaries judge the same
        // files: one listing serves them all.
        let dir = tempfile::tempdir().unwrap();
        let storage = FsStorage::new(dir.path());
        tools(&storage, &Settings::default(), 9);
        let counting = crate::storage::counting::CountingStorage::new(storage);
        let amy = Source::User("amy".into());
        let report = verify(
            &counting,
            &Chain::plain(),
            chrono::Utc::now(),
            Some(&amy),
            &[],
        )
        .unwrap();
        assert_eq!(report.problem, None);
        assert_eq!(report.entries, 9);
        assert_eq!(counting.counts.lists.get(), 1);
    }

    #[test]
    fn each_kind_of_tampering_is_named() {
        type Tamper = fn(&mut Vec<String>);
        let cases: Vec<(&str, Tamper, &str)> = vec![
            (
                "edit one byte",
                (|l| l[1] = l[1].replacen("\"t4\"", "\"t5\"", 1)),
                "line 2: does not match its link: modified",
            ),
            (
                "delete a line",
                (|l| {
                    l.remove(1);
                }),
                "line 2: follows seq 4: entry 5 was removed",
            ),
            (
                "swap two lines",
                (|l| l.swap(0, 1)),
                "line 1: comes before seq 4",
            ),
            (
                "insert a forged line",
                (|l| {
                    let forged = l[1].clone();
                    l.insert(1, forged);
                }),
                "line 3: comes after seq 5",
            ),
            (
                "insert garbage",
                (|l| l.insert(1, "garbage".into())),
                "line 2: is not an entry",
            ),
        ];
        for (what, tamper, expected) in cases {
            let dir = tempfile::tempdir().unwrap();
            let storage = FsStorage::new(dir.path());
            tools(&storage, &Settings::default(), 9);
            edit(&day_file(dir.path(), 21), tamper);
            let report = check(&storage, &Chain::plain());
            let found = problem(&report);
            assert!(
                found.starts_with("amy/tool_audit/2025-10-21.jsonl"),
                "{what}: {found}"
            );
            assert!(found.contains(expected), "{what}: {found}");
        }
    }

    /// Lines a shipper resent (the same entries again, after the file's
    /// later lines) are named as delivered twice, keyed or not; a line with
    /// an earlier entry's `seq` and link but other content is an insertion.
    #[test]
    fn an_entry_delivered_twice_is_named_as_such() {
        for chain in [Chain::plain(), Chain::keyed(vec![7; 16])] {
            let dir = tempfile::tempdir().unwrap();
            let storage = FsStorage::new(dir.path());
            let settings = Settings {
                chain: chain.clone(),
                ..Settings::default()
            };
            tools(&storage, &settings, 9);
            let path = day_file(dir.path(), 21);
            let original = std::fs::read(&path).unwrap();
            edit(&path, |l| {
                let resent = l[1..].to_vec();
                l.extend(resent);
            });
            assert_eq!(
                problem(&check(&storage, &chain)),
                "amy/tool_audit/2025-10-21.jsonl line 4: comes after seq 6: it repeats \
                 line 2 (the same entry, seq 5): delivered twice, as a log shipper may \
                 after a crash"
            );
            std::fs::write(&path, &original).unwrap();
            edit(&path, |l| {
                let forged = l[1].replacen("\"t4\"", "\"t9\"", 1);
                l.push(forged);
            });
            let found = problem(&check(&storage, &chain));
            assert!(
                found.ends_with(
                    "line 4: comes after seq 6: entries were reordered, or this one was inserted"
                ),
                "{found}"
            );
        }
    }

    #[test]
    fn lines_queries_skip_are_named_by_verify() {
        type Tamper = fn(&mut Vec<String>);
        let cases: Vec<(&str, Tamper, &str)> = vec![
            (
                "a status prepended to an entry",
                (|l| l[1] = l[1].replacen('{', r#"{"status":"denied","#, 1)),
                "line 2: holds the key status more than once",
            ),
            (
                "a repeated key inside args",
                (|l| l[1] = l[1].replacen(r#""k":"v""#, r#""k":"x","k":"v""#, 1)),
                "line 2: holds the key args.k more than once",
            ),
            (
                "a time that is not a time",
                (|l| l[1] = l[1].replacen("2025-10-21T04", "2025-10-21X04", 1)),
                "line 2: has the time \"2025-10-21X04:00:00Z\", which is not a time",
            ),
            (
                "the status removed",
                (|l| l[1] = l[1].replacen(r#""status":"ok","#, "", 1)),
                "line 2: has no status",
            ),
        ];
        for (what, tamper, expected) in cases {
            let dir = tempfile::tempdir().unwrap();
            let storage = FsStorage::new(dir.path());
            tools(&storage, &Settings::default(), 9);
            edit(&day_file(dir.path(), 21), tamper);
            let found = problem(&check(&storage, &Chain::plain()));
            assert!(
                found.starts_with("amy/tool_audit/2025-10-21.jsonl"),
                "{what}: {found}"
            );
            assert!(found.contains(expected), "{what}: {found}");
        }
    }

    #[test]
    fn an_entry_without_a_seal_is_legacy_but_a_stripped_or_partial_seal_is_not() {
        type Tamper = fn(&mut Vec<String>);
        let cases: Vec<(&str, Tamper, &str)> = vec![
            (
                "the seal stripped from an entry",
                (|l| {
                    let mut entry: Map<String, Value> = serde_json::from_str(&l[1]).unwrap();
                    entry.remove(SEQ);
                    entry.remove(HASH);
                    l[1] = serde_json::to_string(&entry).unwrap();
                }),
                "line 3: follows seq 4: entry 5 was removed",
            ),
            (
                "a seq without a link",
                (|l| {
                    let mut entry: Map<String, Value> = serde_json::from_str(&l[1]).unwrap();
                    entry.remove(HASH);
                    l[1] = serde_json::to_string(&entry).unwrap();
                }),
                "line 2: has no \"hash\": modified",
            ),
            (
                "a null seq",
                (|l| l[1] = l[1].replacen(r#""seq":5"#, r#""seq":null"#, 1)),
                "line 2: has no seq",
            ),
            (
                "an unsealed entry of another user",
                (|l| {
                    l.insert(
                        1,
                        r#"{"ts":"2025-10-21T03:30:00","user":"bob","tool":"x","status":"ok"}"#
                            .into(),
                    )
                }),
                "line 2: is an entry of user \"bob\" in another user's log",
            ),
            (
                "an unsealed entry of another day",
                (|l| {
                    l.insert(
                        1,
                        r#"{"ts":"2025-10-22T03:30:00","user":"amy","tool":"x","status":"ok"}"#
                            .into(),
                    )
                }),
                "line 2: is an entry of 2025-10-22 in another day's file",
            ),
        ];
        for (what, tamper, expected) in cases {
            let dir = tempfile::tempdir().unwrap();
            let storage = FsStorage::new(dir.path());
            tools(&storage, &Settings::default(), 9);
            edit(&day_file(dir.path(), 21), tamper);
            let found = problem(&check(&storage, &Chain::plain()));
            assert!(found.contains(expected), "{what}: {found}");
        }
    }

    #[test]
    fn an_unsealed_entry_after_the_chain_started_is_named_and_passed_over() {
        let dir = tempfile::tempdir().unwrap();
        let storage = FsStorage::new(dir.path());
        tools(&storage, &Settings::default(), 9);
        edit(&day_file(dir.path(), 21), |l| {
            l.insert(
                1,
                r#"{"ts": "2025-10-21T03:30:00", "user": "amy", "tool": "x", "status": "ok"}"#
                    .into(),
            );
        });
        let report = check(&storage, &Chain::plain());
        assert_eq!(report.problem, None);
        assert_eq!(report.entries, 9);
        assert_eq!(report.legacy[0].before_chain, 0);
        assert_eq!(
            report.unsealed,
            vec![UnsealedEntry {
                file: "amy/tool_audit/2025-10-21.jsonl".into(),
                line: 2
            }]
        );
    }

    /// Recomputes amy's plain chain over days `days`, as someone who can
    /// write the files (or an older writer) would.
    fn reseal(dir: &Path, days: std::ops::RangeInclusive<u32>) {
        let mut prev = chain::GENESIS;
        for day in days {
            edit(&day_file(dir, day), |lines| {
                for line in lines.iter_mut() {
                    let mut entry: Map<String, Value> = serde_json::from_str(line).unwrap();
                    let seq = entry[SEQ].as_u64().unwrap();
                    prev = Chain::plain().seal(&mut entry, seq, &prev);
                    *line = serde_json::to_string(&entry).unwrap();
                }
            });
        }
    }

    #[test]
    fn a_tool_entry_stamped_before_the_one_before_it_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let storage = FsStorage::new(dir.path());
        tools(&storage, &Settings::default(), 9);
        edit(&day_file(dir.path(), 20), |l| {
            l[2] = l[2].replacen("T02:00:00Z", "T00:30:00Z", 1);
        });
        reseal(dir.path(), 20..=22);
        assert_eq!(
            problem(&check(&storage, &Chain::plain())),
            "amy/tool_audit/2025-10-20.jsonl line 3: is stamped 2025-10-20T00:30:00Z, before the entry before it (2025-10-20T01:00:00Z): its time was changed, or an older writer's clock stepped back"
        );
        edit(&day_file(dir.path(), 20), |l| {
            l[2] = l[2].replacen("T00:30:00Z", "T01:00:00Z", 1);
        });
        reseal(dir.path(), 20..=22);
        assert_eq!(
            check(&storage, &Chain::plain()).problem,
            None,
            "an equal time is fine"
        );
    }

    #[test]
    fn an_entry_moved_into_the_previous_days_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let storage = FsStorage::new(dir.path());
        tools(&storage, &Settings::default(), 9);
        // seq 4, the first entry of the 21st, becomes the last of the 20th:
        // seq order and links still hold.
        let mut moved = String::new();
        edit(&day_file(dir.path(), 21), |l| moved = l.remove(0));
        edit(&day_file(dir.path(), 20), |l| l.push(moved));
        assert_eq!(
            problem(&check(&storage, &Chain::plain())),
            "amy/tool_audit/2025-10-20.jsonl line 4: is an entry of 2025-10-21 in another day's file: moved"
        );
    }

    #[test]
    fn a_user_directory_renamed_or_deleted_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let storage = FsStorage::new(dir.path());
        tools(&storage, &Settings::default(), 3);
        let kept = check(&storage, &Chain::plain()).ends;
        std::fs::rename(dir.path().join("amy"), dir.path().join("bob")).unwrap();
        assert_eq!(
            problem(&check(&storage, &Chain::plain())),
            "bob/tool_audit/2025-10-20.jsonl line 1: is an entry of user \"amy\" in another user's log: moved, copied or renamed"
        );
        std::fs::remove_dir_all(dir.path().join("bob")).unwrap();
        assert_eq!(check(&storage, &Chain::plain()).problem, None);
        let report = verify(&storage, &Chain::plain(), chrono::Utc::now(), None, &kept).unwrap();
        assert_eq!(
            problem(&report),
            "amy/tool_audit line 0: the checkpoint recorded seq 3 for user amy, but the log is missing: deleted, renamed or moved"
        );
        let only_skills = verify(
            &storage,
            &Chain::plain(),
            chrono::Utc::now(),
            Some(&Source::Skills),
            &kept,
        );
        assert_eq!(only_skills.unwrap().problem, None, "amy is not asked about");
    }

    #[test]
    fn verify_under_another_key_says_the_key_may_be_wrong() {
        let (dir, storage, keyed) = keyed_tools();
        let other = Chain::keyed(b"fedcba9876543210".to_vec());
        let said = problem(&check(&storage, &other));
        assert!(
            said.contains("line 1: does not match its link: modified"),
            "{said}"
        );
        assert!(said.contains("another key than --key-file's"), "{said}");
        // Past the first entry, the key opened the chain: an edit, not a key.
        edit(&day_file(dir.path(), 20), |lines| {
            lines[1] = lines[1].replace("t1", "t9");
        });
        let said = problem(&check(&storage, &keyed.chain));
        assert!(said.contains("line 2: does not match its link"), "{said}");
        assert!(!said.contains("another key"), "{said}");
    }

    #[test]
    fn keyed_mode_catches_a_recomputed_plain_chain() {
        let (dir, storage, keyed) = keyed_tools();
        assert_eq!(check(&storage, &keyed.chain).problem, None);
        // Rewrite every entry with a plain SHA-256 chain under the `mac` name.
        let path = day_file(dir.path(), 20);
        edit(&path, |lines| {
            let mut prev = chain::GENESIS;
            for line in lines.iter_mut() {
                let mut entry: Map<String, Value> = serde_json::from_str(line).unwrap();
                entry.insert("tool".into(), Value::from("forged"));
                let link = Chain::plain().link(&prev, &chain::canonical(&entry, MAC));
                entry.insert(MAC.into(), Value::from(chain::to_hex(&link)));
                prev = link;
                *line = serde_json::to_string(&entry).unwrap();
            }
        });
        assert!(problem(&check(&storage, &keyed.chain)).contains("modified"));
        assert!(problem(&check(&storage, &Chain::plain())).contains("is sealed with \"mac\""));
    }

    #[test]
    fn a_checkpoint_notices_entries_cut_from_the_end() {
        let dir = tempfile::tempdir().unwrap();
        let storage = FsStorage::new(dir.path());
        tools(&storage, &Settings::default(), 6);
        let ends = check(&storage, &Chain::plain()).ends;
        edit(&day_file(dir.path(), 21), |l| {
            l.pop();
        });
        assert_eq!(
            check(&storage, &Chain::plain()).problem,
            None,
            "without a checkpoint a cut end looks whole"
        );
        let report = verify(&storage, &Chain::plain(), chrono::Utc::now(), None, &ends).unwrap();
        assert!(
            problem(&report).contains("ends at seq 5 but the checkpoint recorded seq 6"),
            "{}",
            problem(&report)
        );
    }

    /// A checkpoint damaged on its way (a link cut short, or with a sign or
    /// a stray character) is refused as the checkpoint's fault, never
    /// reported as an entry of the log modified; one upper-cased by some
    /// tool is the same link.
    #[test]
    fn a_damaged_checkpoint_is_refused_and_an_upper_cased_one_read() {
        let dir = tempfile::tempdir().unwrap();
        let storage = FsStorage::new(dir.path());
        tools(&storage, &Settings::default(), 6);
        let ends = check(&storage, &Chain::plain()).ends;
        let with_link = |link: String| -> Vec<LogEnd> {
            ends.iter()
                .map(|end| LogEnd {
                    link: link.clone(),
                    ..end.clone()
                })
                .collect()
        };
        let link = ends[0].link.clone();
        let verify_with =
            |ends: &[LogEnd]| verify(&storage, &Chain::plain(), chrono::Utc::now(), None, ends);
        for damaged in [
            link[..20].to_owned(),
            format!("+{}", &link[1..]),
            format!("{}g", &link[..63]),
            String::new(),
        ] {
            let refused = verify_with(&with_link(damaged.clone()))
                .unwrap_err()
                .to_string();
            assert!(
                refused.starts_with(
                    "checkpoint: the end recorded for \"amy\" is not one verify records"
                ),
                "{damaged:?}: {refused}"
            );
        }
        let report = verify_with(&with_link(link.to_uppercase())).unwrap();
        assert_eq!(report.problem, None);
        // An end no verify records: a log that is no log's name, or seq 0.
        for (log, seq) in [("a/b", 6), ("../x", 6), (".", 6), ("", 6), ("amy", 0)] {
            let end = LogEnd {
                log: log.to_owned(),
                seq,
                ..ends[0].clone()
            };
            let refused = verify_with(&[end]).unwrap_err().to_string();
            assert!(
                refused.starts_with("checkpoint: the end recorded for")
                    && refused.contains("is not one verify records"),
                "{log:?} {seq}: {refused}"
            );
        }
    }

    #[test]
    fn retention_keeps_the_skill_log_verifiable() {
        let dir = tempfile::tempdir().unwrap();
        let storage = FsStorage::new(dir.path());
        for keyed in [false, true] {
            let settings = Settings {
                max_entries: 5,
                chain: if keyed {
                    Chain::keyed(vec![7; 16])
                } else {
                    Chain::plain()
                },
                ..Settings::default()
            };
            let _ = std::fs::remove_file(dir.path().join("audit_log.json"));
            let _ = std::fs::remove_file(dir.path().join(".audit_log.state"));
            for i in 0..300 {
                let run = SkillRun {
                    skill: format!("s{i}"),
                    status: "success".into(),
                    ..Default::default()
                };
                skill_log::append(&storage, &settings, at(20, i % 24), &run).unwrap();
            }
            let report = verify(
                &storage,
                &settings.chain,
                chrono::Utc::now(),
                Some(&Source::Skills),
                &[],
            )
            .unwrap();
            assert_eq!(report.problem, None, "keyed: {keyed}");
            assert_eq!(report.entries, 5);
            assert_eq!(report.ends[0].seq, 300);

            // Cutting live entries from the head is not retention.
            let path = dir.path().join("audit_log.json");
            let text = std::fs::read_to_string(&path).unwrap();
            let mut lines: Vec<&str> = text.lines().collect();
            let first = lines.iter().position(|l| l.starts_with("  {")).unwrap();
            lines.remove(first);
            std::fs::write(&path, lines.join("\n") + "\n").unwrap();
            let report = verify(
                &storage,
                &settings.chain,
                chrono::Utc::now(),
                Some(&Source::Skills),
                &[],
            )
            .unwrap();
            assert!(
                problem(&report).contains("were removed")
                    || problem(&report).contains("was removed"),
                "{}",
                problem(&report)
            );
        }
    }
}
