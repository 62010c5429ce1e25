//! The tool log's rotation policy (see [`crate::settings::Rotation`]):
//! retention by age and by size, and compression of closed files.
//!
//! The policy is applied to a user's files when an append starts a new file
//! (a new day or segment) and when [`crate::tool_log::rotate`] is called. It
//! is decided from the files' days (the UTC days their entries were recorded
//! on) and sizes, never from file times, so running it again, after a crash
//! or a restart, deletes nothing the policy did not already allow.
//!
//! A deletion is recorded before any file goes: the user's `.retention` file
//! gets an anchor (see [`crate::anchor`]) naming the last entry to be deleted
//! and, for every file about to be deleted, its first entry's `seq` and the
//! link of the entry before it (with a MAC over all of it in keyed mode), and
//! a tool entry `auditlog.retention` listing the files is appended to the
//! log. Files go oldest first; if a writer stops part-way, the files left
//! over are checked by `verify` from the link the anchor gives for their
//! first entry, so nothing is taken on trust. Once every file is gone the
//! anchor is saved again without those starts: a deleted file put back
//! later, edited or not, is then reported, as is a file deleted by anyone
//! else (a gap). Because the anchor is saved before the retention entry is
//! written, `verify` also requires it to reach the `through_seq` of every
//! retention entry in the chain: an older copy of `.retention` is reported.

use chrono::{DateTime, Days, Utc};
use serde_json::{Map, Value, json};

use crate::anchor::{Anchor, Dropped, FoldedFile};
use crate::chain::{self, Link};
use crate::clock;
use crate::day_files::{self, DayFile};
use crate::entry;
use crate::error::AuditError;
use crate::legacy::Digest;
use crate::recovery;
use crate::settings::Settings;
use crate::storage::{self, File, OpenFlags, Storage, StorageError};
use crate::tail::ForwardLines;

mod anchor_file;

use anchor_file::settle_anchor;
pub use anchor_file::{AnchorBefore, anchor, save_planned_anchor};

/// The tool name of the entries that record a retention.
pub const RETENTION_NAME: &str = "auditlog.retention";

pub use auditlog_model::{Rotation, RotationAction};

/// What retention deletes, decided before anything is.
#[derive(Debug, Default)]
pub struct Plan {
    /// Segments to delete, oldest first, with their sizes.
    doomed: Vec<(DayFile, u64)>,
    /// Their files (a plain file's `.gz` beside it included), with theirs.
    files: Vec<(DayFile, u64)>,
    /// The anchor to save before they are deleted, if it moves.
    anchor: Option<Anchor>,
    /// The `seq` of the last entry they hold.
    through_seq: u64,
    /// The bounds that doomed them, for the record.
    policy: Map<String, Value>,
}

impl Plan {
    /// The entry recording this retention, unless it deletes nothing.
    pub fn record(&self, user: &str, now: DateTime<Utc>) -> Option<Map<String, Value>> {
        if self.doomed.is_empty() {
            return None;
        }
        let names: Vec<String> = self.files.iter().map(|(f, _)| f.name()).collect();
        let notice = format!(
            "retention deleted {} file(s) holding entries up to seq {}",
            names.len(),
            self.through_seq
        );
        let mut entry = Map::new();
        entry.insert("ts".into(), Value::String(clock::tool_timestamp(now)));
        entry.insert("user".into(), Value::from(user));
        entry.insert("tool".into(), Value::from(RETENTION_NAME));
        entry.insert(
            "args".into(),
            json!({"deleted": names, "through_seq": self.through_seq, "policy": self.policy}),
        );
        entry.insert("status".into(), Value::from("ok"));
        entry.insert("result_chars".into(), Value::from(notice.chars().count()));
        entry.insert("result_snippet".into(), Value::from(notice));
        Some(entry)
    }
}

/// Decides which of `user`'s `files` (oldest first) retention deletes, never
/// one of `keep`, and the anchor for them. Writes nothing: an append that
/// fails after planning leaves every file as it was.
///
/// # Errors
/// Storage errors from reading.
pub fn plan<S: Storage>(
    storage: &S,
    settings: &Settings,
    now: DateTime<Utc>,
    user: &str,
    files: &[DayFile],
    keep: &[DayFile],
) -> Result<Plan, AuditError> {
    let rotation = settings.rotation;
    let mut policy = Map::new();
    let kept = |f: &DayFile| keep.iter().any(|k| k.same_segment(f));
    let mut doomed = vec![false; files.len()];
    if let Some(days) = rotation.max_days {
        let first_kept = now
            .date_naive()
            .checked_sub_days(Days::new(u64::from(days - 1)))
            .unwrap_or(chrono::NaiveDate::MIN);
        for (i, file) in files.iter().enumerate() {
            if file.day < first_kept && !kept(file) {
                doomed[i] = true;
                policy.insert("max_days".into(), Value::from(days));
            }
        }
    }
    // Every file's size only for the size bound; else only the doomed ones'.
    let mut sizes = vec![0; files.len()];
    for (i, file) in files.iter().enumerate() {
        if rotation.max_user_bytes.is_some() || doomed[i] {
            sizes[i] = segment_size(storage, user, file)?;
        }
    }
    if let Some(max) = rotation.max_user_bytes {
        let mut total: u64 = (0..files.len())
            .filter(|&i| !doomed[i])
            .map(|i| sizes[i])
            .sum();
        for (i, file) in files.iter().enumerate() {
            if total <= max {
                break;
            }
            if !doomed[i] && !kept(file) {
                doomed[i] = true;
                total -= sizes[i];
                policy.insert("max_user_bytes".into(), Value::from(max));
            }
        }
    }
    let doomed: Vec<(DayFile, u64)> = (0..files.len())
        .filter(|&i| doomed[i])
        .map(|i| (files[i], sizes[i]))
        .collect();
    // The first doomed file starts where the chain (or the last anchor)
    // says; each later one right after the one before it.
    let old = anchor(storage, user);
    let mut starts = Vec::new();
    let mut through = (0, chain::GENESIS);
    for (file, _) in &doomed {
        if through.0 == 0 {
            if let Some(first) = first_seq(storage, user, file)? {
                let prev = match &old {
                    Some(old) => old.checked(&settings.chain).and_then(|a| a.prev_of(first)),
                    None => (first == 1).then_some(chain::GENESIS),
                };
                starts.extend(prev.map(|prev| (first, prev)));
            }
        } else {
            starts.push((through.0 + 1, through.1));
        }
        let last = last_seal(storage, settings, user, file)?;
        if last.0 > 0 {
            through = last;
        }
    }
    let (legacy, folded) = fold_legacy(storage, settings, user, old.as_ref(), &doomed)?;
    let moved = through.0 > 0 && old.as_ref().is_none_or(|a| a.seq < through.0);
    let anchor = if moved {
        Some(
            Anchor::new(&settings.chain, through.0, &through.1, &starts)
                .with_legacy(&settings.chain, legacy),
        )
    } else if folded {
        let kept = old.unwrap_or_else(|| Anchor::new(&settings.chain, 0, &chain::GENESIS, &[]));
        Some(kept.with_legacy(&settings.chain, legacy))
    } else {
        None
    };
    let mut on_disk = Vec::new();
    for file in doomed.iter().flat_map(|(segment, _)| segment.with_copy()) {
        if let Some(size) = stored(storage, user, &file)? {
            on_disk.push((file, size));
        }
    }
    Ok(Plan {
        doomed,
        files: on_disk,
        anchor,
        through_seq: through.0,
        policy,
    })
}

/// The legacy entries retention will have dropped once `doomed` go: the
/// `old` anchor's, then those in each doomed file it has not folded in
/// yet (see [`crate::legacy`]); and whether any file was folded in.
fn fold_legacy<S: Storage>(
    storage: &S,
    settings: &Settings,
    user: &str,
    old: Option<&Anchor>,
    doomed: &[(DayFile, u64)],
) -> Result<(Option<Dropped>, bool), AuditError> {
    let mut dropped = old
        .and_then(|a| a.checked(&settings.chain))
        .map(|checked| checked.legacy)
        .unwrap_or_default();
    let through = dropped.through_file.as_deref().and_then(DayFile::parse);
    let folded_before = dropped.files.take().unwrap_or_default();
    let mut files = Vec::new();
    let mut folded = false;
    for (file, _) in doomed {
        if through.is_some_and(|t| (file.day, file.segment) <= (t.day, t.segment)) {
            // Left behind by a stopped retention: folded in already.
            files.extend(
                folded_before
                    .iter()
                    .filter(|f| DayFile::parse(&f.file).is_some_and(|f| f.same_segment(file)))
                    .cloned(),
            );
            continue;
        }
        // Each file of the segment apart: a stopped deletion may leave
        // either (see `verify`).
        for (part, contents) in day_files::parts(storage, user, file)?.unwrap_or_default() {
            let mut own = Digest::default();
            let size = contents.size()?;
            let mut lines = ForwardLines::new(contents, size);
            while let Some((_, line)) = lines.next_line()? {
                if dropped.fold(line) {
                    own.add(line);
                    folded = true;
                }
            }
            files.push(FoldedFile {
                file: part.name(),
                legacy: own,
            });
        }
        dropped.through_file = Some(file.name());
    }
    dropped.files = Some(files);
    Ok(((dropped.digest.entries > 0).then_some(dropped), folded))
}

/// Deletes what `plan` dooms, oldest first (its anchor already saved by
/// [`save_planned_anchor`]), then
/// compresses `user`'s closed files if the policy asks ([`to_compress`]).
/// The anchor is saved before any deletion, so that `verify` accepts the
/// chain starting after what is deleted.
///
/// # Errors
/// Storage errors, naming what was done before them, which stays done (the
/// next call carries on).
pub fn carry_out<S: Storage>(
    storage: &S,
    settings: &Settings,
    now: DateTime<Utc>,
    user: &str,
    plan: Plan,
    keep: &[DayFile],
) -> Result<Vec<Rotation>, AuditError> {
    let mut done = Vec::new();
    carry_out_into(storage, settings, now, user, plan, keep, &mut done)
        .map_err(|e| e.after_changes(&Rotation::report_lines(&done, false)))?;
    Ok(done)
}

/// [`carry_out`], each change appended to `done` as it is made (after the
/// changes already there, which may be other users'), and the error not
/// annotated: for a caller that names every change of a longer call once.
pub fn carry_out_into<S: Storage>(
    storage: &S,
    settings: &Settings,
    now: DateTime<Utc>,
    user: &str,
    plan: Plan,
    keep: &[DayFile],
    done: &mut Vec<Rotation>,
) -> Result<(), AuditError> {
    let before = done.len();
    for (file, bytes) in plan.files {
        let path = file.path(user);
        match storage.remove_file(&path) {
            Ok(()) | Err(StorageError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
        done.push(Rotation {
            file: path,
            action: RotationAction::Deleted,
            bytes,
        });
    }
    if done.len() > before {
        settle_anchor(storage, settings, user)?;
    }
    if !settings.rotation.compress {
        return Ok(());
    }
    let files = day_files::list(storage, user)?;
    for file in to_compress(storage, settings, now, user, &files, keep)? {
        let bytes = day_files::compress(storage, user, &file)?;
        done.push(Rotation {
            file: file.path(user),
            action: RotationAction::Compressed,
            bytes,
        });
    }
    Ok(())
}

/// Of `user`'s `files` (oldest first), those compression takes now: every
/// segment but a day's newest, and a day's newest once the day is two days
/// past, each once its grace period is over; never one of `keep`.
///
/// # Errors
/// Storage errors reading a file's last entry (for the grace period).
pub fn to_compress<S: Storage>(
    storage: &S,
    settings: &Settings,
    now: DateTime<Utc>,
    user: &str,
    files: &[DayFile],
    keep: &[DayFile],
) -> Result<Vec<DayFile>, AuditError> {
    let last_open_day = now
        .date_naive()
        .pred_opt()
        .unwrap_or(chrono::NaiveDate::MIN);
    let mut taken = Vec::new();
    for (i, file) in files.iter().enumerate() {
        let newest_of_day = files.get(i + 1).is_none_or(|next| next.day != file.day);
        let closed = !newest_of_day || file.day < last_open_day;
        if file.compressed || !closed || keep.iter().any(|k| k.same_segment(file)) {
            continue;
        }
        // Larger than a gzipped file may inflate to: it stays plain.
        if stored(storage, user, file)?.is_some_and(|size| size > day_files::MAX_INFLATED_BYTES) {
            continue;
        }
        if past_grace(storage, settings, now, user, file)? {
            taken.push(*file);
        }
    }
    Ok(taken)
}

/// Whether closed `file` may be compressed now: always without a grace
/// period; with one, once its last entry (by its own time; without one,
/// the end of the file's day) is at least that old. A shipper that follows
/// the plain file (rsyslog's `imfile`) has had that long to read it whole
/// before it goes.
fn past_grace<S: Storage>(
    storage: &S,
    settings: &Settings,
    now: DateTime<Utc>,
    user: &str,
    file: &DayFile,
) -> Result<bool, AuditError> {
    let Some(grace) = settings.rotation.compress_grace else {
        return Ok(true);
    };
    let Some(contents) = day_files::open(storage, user, file)? else {
        return Ok(false);
    };
    let size = contents.size()?;
    let (_, time) = day_files::last_entry_in(&contents, size, &settings.chain)?;
    let last = time.unwrap_or_else(|| {
        let next_day = file.day.succ_opt().unwrap_or(chrono::NaiveDate::MAX);
        next_day.and_time(chrono::NaiveTime::MIN).and_utc()
    });
    Ok(now.signed_duration_since(last) >= chrono::TimeDelta::seconds(i64::from(grace)))
}

/// The `seq` of the first sealed entry in `file`, if any.
fn first_seq<S: Storage>(
    storage: &S,
    user: &str,
    file: &DayFile,
) -> Result<Option<u64>, AuditError> {
    let Some(contents) = day_files::open(storage, user, file)? else {
        return Ok(None);
    };
    let size = contents.size()?;
    let mut lines = ForwardLines::new(contents, size);
    while let Some((_, line)) = lines.next_line()? {
        if let Some((seq, _)) = entry::seal_of(line) {
            return Ok(Some(seq));
        }
    }
    Ok(None)
}

/// The size of `file` as stored; `None` if it is not there.
fn stored<S: Storage>(storage: &S, user: &str, file: &DayFile) -> Result<Option<u64>, AuditError> {
    match storage.open(&file.path(user), OpenFlags::READ) {
        Ok(handle) => Ok(Some(handle.size()?)),
        Err(StorageError::NotFound) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The size of `file`'s segment as stored: its files' sizes (see
/// [`DayFile::with_copy`]).
fn segment_size<S: Storage>(storage: &S, user: &str, file: &DayFile) -> Result<u64, AuditError> {
    file.with_copy().iter().try_fold(0, |total, file| {
        Ok(total + stored(storage, user, file)?.unwrap_or(0))
    })
}

/// The `seq` and link of the last entry in `file`; `(0, GENESIS)` if none.
fn last_seal<S: Storage>(
    storage: &S,
    settings: &Settings,
    user: &str,
    file: &DayFile,
) -> Result<(u64, Link), AuditError> {
    let Some(contents) = day_files::open(storage, user, file)? else {
        return Ok((0, chain::GENESIS));
    };
    let size = contents.size()?;
    day_files::last_seal_in(&contents, size, &settings.chain)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::SettingsUpdate;
    use crate::storage::faulty::{Fault, FaultyStorage};
    use crate::storage::fs::FsStorage;
    use crate::tool_log::{self, ToolCall};
    use crate::verify;
    use chrono::TimeZone;

    fn at(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 10, day, 10, 0, 0).unwrap()
    }

    fn names(dir: &std::path::Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir.join("amy/tool_audit"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| DayFile::parse(n).is_some())
            .collect();
        names.sort();
        names
    }

    /// Three tool calls of amy's on each of the 1st to the 5th, no policy.
    fn three_calls_a_day_for_five_days(storage: &FsStorage, unbounded: &Settings) {
        for day in 1..6 {
            for i in 0..3 {
                let call = ToolCall {
                    user: "amy".into(),
                    tool: "t".into(),
                    args: format!(r#"{{"i":{i}}}"#),
                    status: "ok".into(),
                    output: String::new(),
                };
                tool_log::append(storage, unbounded, at(day), &call, &Default::default()).unwrap();
            }
        }
    }

    fn verifies(storage: &impl Storage, settings: &Settings) {
        let source = crate::query::Source::User("amy".into());
        let report = verify::verify(
            storage,
            &settings.chain,
            chrono::Utc::now(),
            Some(&source),
            &[],
        )
        .unwrap();
        assert_eq!(report.problem, None);
    }

    /// A retention stopped by a failure at any step leaves a log that
    /// verifies, and running it again deletes exactly what the policy says.
    #[test]
    fn a_restart_in_the_middle_of_retention_deletes_exactly_the_policy() {
        let keyed = Settings::default()
            .updated(&SettingsUpdate {
                chain_key: Some(b"0123456789abcdef".to_vec()),
                max_days: Some(2),
                ..SettingsUpdate::default()
            })
            .unwrap();
        let plain = Settings::default()
            .updated(&SettingsUpdate {
                max_days: Some(2),
                ..SettingsUpdate::default()
            })
            .unwrap();
        for settings in [plain, keyed] {
            for n in 1..=14 {
                let dir = tempfile::tempdir().unwrap();
                let storage = FsStorage::new(dir.path());
                let unbounded = Settings {
                    rotation: crate::settings::Rotation::default(),
                    ..settings.clone()
                };
                three_calls_a_day_for_five_days(&storage, &unbounded);
                let faulty = FaultyStorage::new(&storage, Fault::Io, n);
                let _ = tool_log::rotate(&faulty, &settings, at(5), "amy", &mut Vec::new());
                verifies(&storage, &settings);
                tool_log::rotate(&storage, &settings, at(5), "amy", &mut Vec::new()).unwrap();
                assert_eq!(
                    names(dir.path()),
                    ["2025-10-04.jsonl", "2025-10-05.jsonl"],
                    "failing call {n}"
                );
                verifies(&storage, &settings);
                let mut again = Vec::new();
                tool_log::rotate(&storage, &settings, at(5), "amy", &mut again).unwrap();
                assert!(again.is_empty());
            }
        }
    }

    /// Keyed settings keeping two days, and the same without a rotation
    /// policy (for writing the days first).
    fn keyed_two_days() -> (Settings, Settings) {
        let settings = Settings::default()
            .updated(&SettingsUpdate {
                chain_key: Some(b"0123456789abcdef".to_vec()),
                max_days: Some(2),
                ..SettingsUpdate::default()
            })
            .unwrap();
        let unbounded = Settings {
            rotation: crate::settings::Rotation::default(),
            ..settings.clone()
        };
        (settings, unbounded)
    }

    /// A stopped retention's leftover files hold legacy entries it folded
    /// in already: they verify as they are, but one added to such a file,
    /// or to a file retention deleted and someone put back, is named.
    #[test]
    fn legacy_entries_in_a_stopped_retention_s_leftovers_must_be_the_ones_it_folded() {
        let (settings, unbounded) = keyed_two_days();
        let seed_line = |day: u32| {
            format!(
                "{{\"ts\": \"2025-10-0{day}T09:00:00\", \"user\": \"amy\", \"tool\": \"old\", \"status\": \"ok\"}}\n"
            )
        };
        let source = crate::query::Source::User("amy".into());
        let problem = |storage: &FsStorage| {
            verify::verify(storage, &settings.chain, at(5), Some(&source), &[])
                .unwrap()
                .problem
        };
        let mut planted = 0;
        for n in 1..=20 {
            let dir = tempfile::tempdir().unwrap();
            let logs = dir.path().join("amy/tool_audit");
            std::fs::create_dir_all(&logs).unwrap();
            for day in [1, 2] {
                std::fs::write(logs.join(format!("2025-10-0{day}.jsonl")), seed_line(day)).unwrap();
            }
            let storage = FsStorage::new(dir.path());
            three_calls_a_day_for_five_days(&storage, &unbounded);
            let _ = tool_log::rotate(
                &FaultyStorage::new(&storage, Fault::Io, n),
                &settings,
                at(5),
                "amy",
                &mut Vec::new(),
            );
            assert_eq!(problem(&storage), None, "failing call {n}");
            let Some(through) = anchor(&storage, "amy")
                .and_then(|a| a.legacy)
                .and_then(|l| l.through_file)
            else {
                continue;
            };
            for day in [1, 2] {
                let name = format!("2025-10-0{day}.jsonl");
                if name > through {
                    continue;
                }
                let path = logs.join(&name);
                let before = std::fs::read(&path).ok();
                let mut forged = before.clone().unwrap_or_default();
                forged.extend(seed_line(day).replace("old", "forged").as_bytes());
                std::fs::write(&path, &forged).unwrap();
                let found = problem(&storage).expect("the added legacy entry is caught");
                assert_eq!(
                    found.file,
                    format!("amy/tool_audit/{name}"),
                    "failing call {n}"
                );
                planted += 1;
                match before {
                    Some(bytes) => std::fs::write(&path, bytes).unwrap(),
                    None => std::fs::remove_file(&path).unwrap(),
                }
            }
            assert_eq!(problem(&storage), None);
            tool_log::rotate(&storage, &settings, at(5), "amy", &mut Vec::new()).unwrap();
            assert_eq!(problem(&storage), None);
        }
        assert!(planted > 10, "{planted}");
    }

    /// Once a retention finished, a file it deleted that holds only legacy
    /// entries (no seal for the chain to miss) is named when put back from
    /// a copy, unchanged, in keyed and plain mode alike.
    #[test]
    fn a_legacy_file_put_back_after_a_finished_retention_is_named() {
        for key in [None, Some(b"0123456789abcdef".to_vec())] {
            let settings = Settings::default()
                .updated(&SettingsUpdate {
                    chain_key: key,
                    max_days: Some(2),
                    ..SettingsUpdate::default()
                })
                .unwrap();
            let dir = tempfile::tempdir().unwrap();
            let logs = dir.path().join("amy/tool_audit");
            std::fs::create_dir_all(&logs).unwrap();
            let seed = logs.join("2025-10-01.jsonl");
            let line = "{\"ts\": \"2025-10-01T09:00:00\", \"user\": \"amy\", \"tool\": \"old\", \"status\": \"ok\"}\n";
            std::fs::write(&seed, line).unwrap();
            let storage = FsStorage::new(dir.path());
            let call = ToolCall {
                user: "amy".into(),
                tool: "t".into(),
                args: "{}".into(),
                status: "ok".into(),
                output: String::new(),
            };
            for day in [3, 4, 5] {
                tool_log::append(&storage, &settings, at(day), &call, &Default::default()).unwrap();
            }
            tool_log::rotate(&storage, &settings, at(5), "amy", &mut Vec::new()).unwrap();
            assert!(!seed.exists());
            let source = crate::query::Source::User("amy".into());
            let verify = || {
                verify::verify(&storage, &settings.chain, at(5), Some(&source), &[])
                    .unwrap()
                    .problem
            };
            assert_eq!(verify(), None);
            std::fs::write(&seed, line).unwrap();
            let problem = verify().expect("the file put back is named");
            assert_eq!(problem.file, "amy/tool_audit/2025-10-01.jsonl");
        }
    }

    /// Whatever a stopped retention left behind, every entry verify accepts
    /// is checked against a link the key vouches for: editing the first
    /// entry of a leftover file, or adding one before it that copies the
    /// anchor's `seq` and link, is caught; the untouched leftovers verify.
    #[test]
    fn the_leftovers_of_a_stopped_retention_are_checked_from_their_first_entry() {
        let (settings, unbounded) = keyed_two_days();
        let mut leftovers_seen = 0;
        for n in 1..=14 {
            let dir = tempfile::tempdir().unwrap();
            let storage = FsStorage::new(dir.path());
            three_calls_a_day_for_five_days(&storage, &unbounded);
            let _ = tool_log::rotate(
                &FaultyStorage::new(&storage, Fault::Io, n),
                &settings,
                at(5),
                "amy",
                &mut Vec::new(),
            );
            let oldest = names(dir.path()).remove(0);
            let Some(anchor) = anchor(&storage, "amy") else {
                continue;
            };
            if oldest.as_str() >= "2025-10-04.jsonl" {
                continue;
            }
            leftovers_seen += 1;
            let path = dir.path().join("amy/tool_audit").join(&oldest);
            let original = std::fs::read_to_string(&path).unwrap();
            let first = original.lines().next().unwrap();
            let forged_first = original.replacen(r#""i":0"#, r#""i":9"#, 1);
            let copied = format!(
                "{{\"ts\":\"2025-10-01T00:00:00.000Z\",\"user\":\"amy\",\"tool\":\"forged\",\"args\":{{}},\"status\":\"ok\",\"result_chars\":0,\"result_snippet\":\"\",\"seq\":{},\"mac\":\"{}\"}}\n{original}",
                anchor.seq, anchor.link
            );
            assert_ne!(first, forged_first.lines().next().unwrap());
            for forged in [forged_first, copied] {
                std::fs::write(&path, &forged).unwrap();
                let source = crate::query::Source::User("amy".into());
                let report = verify::verify(
                    &storage,
                    &settings.chain,
                    chrono::Utc::now(),
                    Some(&source),
                    &[],
                )
                .unwrap();
                let problem = report.problem.expect("a forgery is caught");
                assert_eq!(
                    (problem.file.as_str(), problem.line),
                    (format!("amy/tool_audit/{oldest}").as_str(), 1),
                    "failing call {n}: {}",
                    problem.reason
                );
            }
            std::fs::write(&path, &original).unwrap();
            verifies(&storage, &settings);
        }
        assert!(
            leftovers_seen > 0,
            "some stopped retention left a file behind"
        );
    }

    #[test]
    fn a_forged_anchor_is_refused_in_keyed_mode() {
        let dir = tempfile::tempdir().unwrap();
        let storage = FsStorage::new(dir.path());
        let settings = Settings::default()
            .updated(&SettingsUpdate {
                chain_key: Some(b"0123456789abcdef".to_vec()),
                max_days: Some(1),
                ..SettingsUpdate::default()
            })
            .unwrap();
        let call = ToolCall {
            user: "amy".into(),
            tool: "t".into(),
            args: "{}".into(),
            status: "ok".into(),
            output: String::new(),
        };
        for day in 1..4 {
            tool_log::append(&storage, &settings, at(day), &call, &Default::default()).unwrap();
        }
        verifies(&storage, &settings);
        let path = dir.path().join("amy/tool_audit/.retention");
        let mut anchor: Anchor = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        anchor.seq += 1;
        std::fs::write(&path, serde_json::to_vec(&anchor).unwrap()).unwrap();
        let source = crate::query::Source::User("amy".into());
        let report = verify::verify(
            &storage,
            &settings.chain,
            chrono::Utc::now(),
            Some(&source),
            &[],
        )
        .unwrap();
        assert!(report.problem.unwrap().reason.contains("anchor"));
    }
}
