//! The tool log: one JSON object a line in `<user>/tool_audit/YYYY-MM-DD.jsonl`
//! (the UTC day of the call), fields `ts, user, tool, args, status,
//! result_chars, result_snippet` in that order.
//!
//! String values in `args` longer than `arg_max_chars` are cut at any depth
//! (see [`crate::truncate`]); of the result only its length in characters and
//! its first `snippet_chars` characters are kept. Each entry is one append of
//! one line, under the user's lock `<user>/tool_audit/.lock`.
//!
//! A user's chain goes on in their newest file whatever the clock says: an
//! entry goes to the newest day file if the clock's day is not later, and is
//! stamped with [`clock::chained`] — never before the chain's last entry nor
//! before its file's day. So `seq` never forks and every entry's `ts` falls
//! on its file's day, which `verify` checks.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Map, Value};

use crate::chain::{self, Link};
use crate::clock;
use crate::day_files::{self, DayFile};
use crate::entry;
use crate::error::AuditError;
use crate::open_files::{Active, Journal, OpenFiles};
use crate::recovery::{self, Recovery};
use crate::rotation;
use crate::settings::Settings;
use crate::storage::{self, File, OpenFlags, Storage, StorageError};
use crate::summary::{self, Refresh};
use crate::tail::{ForwardLines, MAX_LINE_BYTES, ReverseLines};
use crate::truncate;
use crate::validate;

mod files;
mod repair;
mod staged;

pub use auditlog_model::ToolCall;
use files::{append_or_restore, last_seal, lock_user, open_active, still_active, undo_notes};
pub use repair::repair;
use repair::{count_lines, is_entry, recovery_lines, torn_tail};
use staged::stage;

/// What an append stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolReceipt {
    /// The stored entry as JSON text.
    pub entry: String,
    /// The file written, relative to the log directory.
    pub path: String,
    /// Damage found and repaired before the append.
    pub recovered: Vec<Recovery>,
    /// Housekeeping after the entry was stored that did not get done (the
    /// rotation policy: retention, compression), each as one sentence; it
    /// is retried the next time the policy runs. The entry is stored
    /// whatever these say.
    pub warnings: Vec<String>,
}

/// Validates `call`, stamps it with `now` (see [`clock::chained`]) and
/// appends it to today's file, or to the user's newest file if that is later.
/// A torn last line in that file is moved aside first (see
/// [`crate::recovery`]) and the repair reported in the receipt. The file
/// stays open in `active` for the user's next append.
///
/// # Errors
/// [`AuditError::Invalid`] for a refused field or a `clock` that
/// [`clock::check`] refuses (nothing written); [`AuditError::Storage`] when the
/// write fails (the file is cut back to where it was).
pub fn append<S: Storage>(
    storage: &S,
    settings: &Settings,
    now: DateTime<Utc>,
    call: &ToolCall,
    active: &OpenFiles<S::File>,
) -> Result<ToolReceipt, AuditError> {
    clock::check(now)?;
    let entry = prepare(call, settings, now)?;
    let mut receipts = write_user(storage, settings, now, &call.user, vec![entry], active)?;
    Ok(receipts.remove(0))
}

/// Appends `calls` in one call: every call is validated before anything is
/// written, then, under every user's lock (taken in name order), each
/// user's entries go to their day file in one write. Receipts come back in
/// the order of `calls`.
///
/// # Errors
/// [`AuditError::Invalid`] naming `calls[i].FIELD` for the first refused
/// call (nothing written); [`AuditError::Storage`] when a write fails:
/// every user's file is cut back to where it was, so the call wrote
/// nothing.
pub fn append_many<S: Storage>(
    storage: &S,
    settings: &Settings,
    now: DateTime<Utc>,
    calls: &[ToolCall],
    active: &OpenFiles<S::File>,
) -> Result<Vec<ToolReceipt>, AuditError> {
    clock::check(now)?;
    let mut entries = calls
        .iter()
        .enumerate()
        .map(|(i, call)| {
            prepare(call, settings, now)
                .map(Some)
                .map_err(|e| e.at(&format!("calls[{i}]")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut receipts: Vec<Option<ToolReceipt>> = vec![None; calls.len()];
    let users: std::collections::BTreeSet<&str> = calls.iter().map(|c| c.user.as_str()).collect();
    let _locks = users
        .iter()
        .map(|user| lock_user(storage, user))
        .collect::<Result<Vec<_>, _>>()?;
    let mut staged = Vec::with_capacity(users.len());
    for user in users {
        let positions: Vec<usize> = (0..calls.len())
            .filter(|&i| calls[i].user == user)
            .collect();
        let batch = positions
            .iter()
            .map(|&i| entries[i].take().expect("each entry is written once"))
            .collect();
        match stage(storage, settings, now, user, batch, active) {
            Ok(written) => staged.push((positions, written)),
            Err(e) => {
                // Take back the users already written: the call writes all or nothing.
                for (_, written) in staged.into_iter().rev() {
                    written.undo(storage);
                }
                return Err(e);
            }
        }
    }
    for (positions, written) in staged {
        let written = written.finish(storage, settings, now, active);
        for (i, receipt) in positions.into_iter().zip(written) {
            receipts[i] = Some(receipt);
        }
    }
    Ok(receipts
        .into_iter()
        .map(|r| r.expect("every call was written"))
        .collect())
}

/// The entry for `call`: validated, stamped, redacted and bounded; not yet sealed.
fn prepare(
    call: &ToolCall,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<Map<String, Value>, AuditError> {
    validate::user(&call.user)?;
    entry::refuse_secret(settings, "user", &call.user)?;
    validate::name("tool", &call.tool)?;
    auditlog_model::reserved::refuse_reserved("tool", &call.tool)?;
    validate::tool_status(&call.status)?;
    let args = Value::Object(validate::json_object_showing(
        "args",
        &call.args,
        |steps| settings.redactor.place("args", steps),
    )?);
    let mut entry = Map::with_capacity(entry::FIELDS);
    entry.insert("ts".into(), Value::String(clock::tool_timestamp(now)));
    entry.insert("user".into(), Value::String(call.user.clone()));
    entry.insert("tool".into(), Value::String(call.tool.clone()));
    entry.insert("args".into(), args);
    entry.insert("status".into(), Value::String(call.status.clone()));
    entry.insert(
        "result_chars".into(),
        Value::from(call.output.chars().count()),
    );
    // Redacted before they are cut, so no secret is kept in part: the whole
    // of each argument, and the snippet with what follows it.
    let snippet_chars = settings.snippet_chars as usize;
    let window = truncate::window(&call.output, snippet_chars);
    entry.insert("result_snippet".into(), Value::String(window.to_owned()));
    entry::redact(&mut entry, settings, &["tool", "args", "result_snippet"]);
    if let Some(Value::String(snippet)) = entry.get_mut("result_snippet") {
        snippet.truncate(truncate::kept_prefix(snippet, snippet_chars).len());
    }
    if let Some(args) = entry.get_mut("args") {
        truncate::cut_strings(args, settings.arg_max_chars as usize);
    }
    entry::bound(&mut entry, settings, &["args", "result_snippet"]);
    Ok(entry)
}

/// Seals `entries` (all of `user`'s) and appends them to today's file (or
/// the user's newest, if later) in one write, under the user's lock, after
/// moving a torn last line aside; then applies the rotation policy if the
/// file is new. Entries are stamped with [`clock::chained`] if the clock is
/// behind the chain. The file the user's last append left in `kept` is used
/// if nothing changed it; the file written is left there in turn.
fn write_user<S: Storage>(
    storage: &S,
    settings: &Settings,
    now: DateTime<Utc>,
    user: &str,
    entries: Vec<Map<String, Value>>,
    kept: &OpenFiles<S::File>,
) -> Result<Vec<ToolReceipt>, AuditError> {
    let _lock = lock_user(storage, user)?;
    let written = stage(storage, settings, now, user, entries, kept)?;
    Ok(written.finish(storage, settings, now, kept))
}

/// Appends an entry of auditlog's own to `user`'s log, which `make` builds
/// under the user's lock from what it finds there (`None`: nothing to
/// write). `make` must not take the lock itself.
///
/// # Errors
/// `make`'s errors (nothing written); as [`append`].
pub(crate) fn append_own<S: Storage, T>(
    storage: &S,
    settings: &Settings,
    now: DateTime<Utc>,
    user: &str,
    make: impl FnOnce() -> Result<(Option<Map<String, Value>>, T), AuditError>,
) -> Result<(Option<ToolReceipt>, T), AuditError> {
    clock::check(now)?;
    let _lock = lock_user(storage, user)?;
    let (entry, found) = make()?;
    let Some(entry) = entry else {
        return Ok((None, found));
    };
    let kept = OpenFiles::default();
    let written = stage(storage, settings, now, user, vec![entry], &kept)?;
    let mut receipts = written.finish(storage, settings, now, &kept);
    Ok((Some(receipts.remove(0)), found))
}

/// Applies the rotation policy to `user`'s files now (see
/// [`crate::rotation`]): what retention drops is recorded, then deleted;
/// closed files are compressed. The newest file is left alone. Then every
/// closed file gets a summary if it lacks one that checks out, and summaries
/// of files that are gone are removed (see [`crate::summary`]; failures
/// there are not errors: `stats` reads the lines instead).
///
/// Each change is appended to `done` as it is made (after the changes
/// already there, which may be other users'), so that a call rotating
/// several users ([`crate::engine::Engine::rotate`]) names every change
/// made before a failure once.
///
/// # Errors
/// [`AuditError::Invalid`] for a name that is no user directory's; storage
/// errors (the changes made before them stay, and are in `done`).
pub fn rotate<S: Storage>(
    storage: &S,
    settings: &Settings,
    now: DateTime<Utc>,
    user: &str,
    done: &mut Vec<rotation::Rotation>,
) -> Result<(), AuditError> {
    validate::existing_user(user)?;
    clock::check(now)?;
    if day_files::list(storage, user)?.is_empty() {
        return Ok(());
    }
    let _lock = lock_user(storage, user)?;
    let files = day_files::list(storage, user)?;
    let Some(&newest) = files.last() else {
        return Ok(());
    };
    let plan = rotation::plan(storage, settings, now, user, &files, &[newest])?;
    if plan.record(user, now).is_some() {
        let mut journal = None;
        let (active, file, size) =
            open_active(storage, settings, user, now.date_naive(), &mut journal)?;
        let written = (|| {
            let ((seq, prev), last_time) =
                last_seal(storage, settings, user, &active, &file, size)?;
            let stamp = clock::chained(now, last_time, Some(active.day));
            let record = plan.record(user, stamp).expect("the plan has deletions");
            let (mut line, _) = entry::seal(record, &settings.chain, seq + 1, &prev);
            line.push('\n');
            let anchor_before = rotation::save_planned_anchor(storage, user, &plan)?;
            append_or_restore(&file, size, line.as_bytes(), settings.sync_data)
                .inspect_err(|_| anchor_before.restore(storage, user))
        })();
        if let Err(e) = written {
            undo_notes(&mut journal);
            return Err(e);
        }
    }
    rotation::carry_out_into(storage, settings, now, user, plan, &[newest], done)?;
    // Summaries are housekeeping: stats reads the lines of a file without one.
    let _ = summary::refresh(storage, &settings.chain, user, Refresh::All);
    Ok(())
}

/// Reads what [`rotate`] would change in `user`'s files now — the files
/// retention would delete, and those compression would take — changing
/// nothing, so that a file that cannot be read stops a rotation of many
/// users before any of their files change.
///
/// # Errors
/// Storage errors, and [`AuditError::Corrupt`] for a `.gz` that does not
/// inflate, as [`rotate`] would meet them.
pub fn check_rotation<S: Storage>(
    storage: &S,
    settings: &Settings,
    now: DateTime<Utc>,
    user: &str,
) -> Result<(), AuditError> {
    let files = day_files::list(storage, user)?;
    let Some(&newest) = files.last() else {
        return Ok(());
    };
    rotation::plan(storage, settings, now, user, &files, &[newest])?;
    if settings.rotation.compress {
        for file in rotation::to_compress(storage, settings, now, user, &files, &[newest])? {
            day_files::read_whole(storage, user, &file)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::fs::FsStorage;
    use chrono::TimeZone;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 10, day, hour, 0, 0).unwrap()
    }

    /// [`super::append`] as a one-shot writer calls it: no file kept open.
    fn append<S: Storage>(
        storage: &S,
        settings: &Settings,
        now: DateTime<Utc>,
        call: &ToolCall,
    ) -> Result<ToolReceipt, AuditError> {
        super::append(storage, settings, now, call, &OpenFiles::default())
    }

    /// [`super::append_many`] with no file kept open.
    fn append_many<S: Storage>(
        storage: &S,
        settings: &Settings,
        now: DateTime<Utc>,
        calls: &[ToolCall],
    ) -> Result<Vec<ToolReceipt>, AuditError> {
        super::append_many(storage, settings, now, calls, &OpenFiles::default())
    }

    fn call(user: &str, args: &str, status: &str, result: &str) -> ToolCall {
        ToolCall {
            user: user.into(),
            tool: "file_read".into(),
            args: args.into(),
            status: status.into(),
            output: result.into(),
        }
    }

    fn setup() -> (tempfile::TempDir, FsStorage) {
        let dir = tempfile::tempdir().unwrap();
        let storage = FsStorage::new(dir.path());
        (dir, storage)
    }

    #[test]
    fn a_seq_edited_past_2_53_stops_appends_instead_of_wrapping() {
        let (dir, storage) = setup();
        let settings = Settings::default();
        let first = call("amy", "{}", "ok", "");
        append(&storage, &settings, at(23, 9), &first).unwrap();
        let path = dir.path().join("amy/tool_audit/2025-10-23.jsonl");
        let text = std::fs::read_to_string(&path).unwrap();
        let edited = text.replace("\"seq\":1,", &format!("\"seq\":{},", u64::MAX));
        std::fs::write(&path, &edited).unwrap();
        let refused = append(&storage, &settings, at(23, 10), &first).unwrap_err();
        let AuditError::Corrupt(message) = refused else {
            panic!("{refused:?}");
        };
        assert!(message.contains("past 2^53"), "{message}");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            edited,
            "nothing written"
        );
    }

    #[test]
    fn writes_the_seed_fields_to_the_day_file() {
        let (dir, storage) = setup();
        let receipt = append(
            &storage,
            &Settings::default(),
            at(23, 12),
            &call("alice", r#"{"path":"a.txt"}"#, "ok", "hello"),
        )
        .unwrap();
        assert_eq!(receipt.path, "alice/tool_audit/2025-10-23.jsonl");
        let text = std::fs::read_to_string(dir.path().join(&receipt.path)).unwrap();
        assert_eq!(
            text,
            "{\"ts\":\"2025-10-23T12:00:00Z\",\"user\":\"alice\",\"tool\":\"file_read\",\"args\":{\"path\":\"a.txt\"},\"status\":\"ok\",\"result_chars\":5,\"result_snippet\":\"hello\",\"seq\":1,\"hash\":\"2a61eca3a3ee52bd399789aea16c0178cf3c22e27787cbf6d6df241ff25d53d0\"}\n"
        );
        assert_eq!(format!("{}\n", receipt.entry), text);
    }

    #[test]
    fn long_args_and_results_are_cut() {
        let (_dir, storage) = setup();
        let long = "ü".repeat(600);
        let args = serde_json::json!({"text": long, "nested": {"list": [long]}}).to_string();
        let result = "r".repeat(1000);
        let receipt = append(
            &storage,
            &Settings::default(),
            at(23, 12),
            &call("bob", &args, "ok", &result),
        )
        .unwrap();
        let entry: Value = serde_json::from_str(&receipt.entry).unwrap();
        let expected = format!("{} …[600 chars total]", "ü".repeat(500));
        assert_eq!(entry["args"]["text"], expected.as_str());
        assert_eq!(entry["args"]["nested"]["list"][0], expected.as_str());
        assert_eq!(entry["result_chars"], 1000);
        assert_eq!(
            entry["result_snippet"].as_str().unwrap().chars().count(),
            300
        );
    }

    #[test]
    fn refusals_name_the_field_and_write_nothing() {
        let (dir, storage) = setup();
        for (bad, message) in [
            (
                call("alice", "{}", "maybe", ""),
                "status: must be one of ok, error, denied, got \"maybe\"",
            ),
            (
                call("../bob", "{}", "ok", ""),
                "user: must not contain '/' or '\\', got \"../bob\"",
            ),
            (
                call("alice", "{not json", "ok", ""),
                "args: is not valid JSON",
            ),
            (
                call("alice", "[]", "ok", ""),
                "args: must be a JSON object, got an array",
            ),
        ] {
            let err = append(&storage, &Settings::default(), at(23, 12), &bad).unwrap_err();
            assert!(err.to_string().starts_with(message), "{err}");
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_secret_in_a_tool_name_is_redacted_and_in_a_user_name_refused() {
        let (dir, storage) = setup();
        let token = "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";
        let mut leaky = call("alice", "{}", "ok", "");
        leaky.tool = format!("gh-{token}");
        let receipt = append(&storage, &Settings::default(), at(23, 12), &leaky).unwrap();
        let entry: Value = serde_json::from_str(&receipt.entry).unwrap();
        assert_eq!(entry["tool"], "gh-[REDACTED]");
        assert_eq!(entry["redacted"], serde_json::json!(["tool"]));
        let before = std::fs::read_to_string(dir.path().join(&receipt.path)).unwrap();
        for user in [token, "AKIAIOSFODNN7EXAMPLE"] {
            let err = append(
                &storage,
                &Settings::default(),
                at(23, 12),
                &call(user, "{}", "ok", ""),
            )
            .unwrap_err();
            let message = err.to_string();
            assert!(message.starts_with("user: "), "{message}");
            assert!(!message.contains(user), "{message}");
        }
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["alice"]);
        let after = std::fs::read_to_string(dir.path().join(&receipt.path)).unwrap();
        assert_eq!(after, before);
    }

    #[test]
    fn days_roll_over_at_utc_midnight() {
        let (dir, storage) = setup();
        append(
            &storage,
            &Settings::default(),
            at(23, 23),
            &call("a", "{}", "ok", ""),
        )
        .unwrap();
        append(
            &storage,
            &Settings::default(),
            at(24, 0),
            &call("a", "{}", "denied", ""),
        )
        .unwrap();
        assert!(dir.path().join("a/tool_audit/2025-10-23.jsonl").exists());
        assert!(dir.path().join("a/tool_audit/2025-10-24.jsonl").exists());
    }

    #[test]
    fn users_are_directories_with_a_tool_log() {
        let (dir, storage) = setup();
        append(
            &storage,
            &Settings::default(),
            at(23, 1),
            &call("zed", "{}", "ok", ""),
        )
        .unwrap();
        append(
            &storage,
            &Settings::default(),
            at(23, 1),
            &call("amy", "{}", "ok", ""),
        )
        .unwrap();
        std::fs::create_dir(dir.path().join("not_a_user")).unwrap();
        std::fs::write(dir.path().join("audit_log.json"), "[\n]\n").unwrap();
        assert_eq!(day_files::users(&storage).unwrap(), ["amy", "zed"]);
    }

    fn lines(dir: &tempfile::TempDir, path: &str) -> Vec<Value> {
        std::fs::read_to_string(dir.path().join(path))
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    fn verifies(storage: &FsStorage, user: &str) -> bool {
        crate::verify::verify(
            storage,
            &Settings::default().chain,
            chrono::Utc::now(),
            Some(&crate::query::Source::User(user.into())),
            &[],
        )
        .unwrap()
        .problem
        .is_none()
    }

    fn five(storage: &FsStorage) -> String {
        let mut path = String::new();
        for i in 0..5 {
            let args = format!(r#"{{"i":{i}}}"#);
            path = append(
                storage,
                &Settings::default(),
                at(23, 1),
                &call("al", &args, "ok", "r"),
            )
            .unwrap()
            .path;
        }
        path
    }

    #[test]
    fn a_torn_tail_is_moved_aside_and_recorded() {
        let (dir, storage) = setup();
        let path = five(&storage);
        let file = dir.path().join(&path);
        let mut bytes = std::fs::read(&file).unwrap();
        let torn = br#"{"ts":"2025-10-23T01:00:00Z","user":"al","tool":"fi"#;
        bytes.extend_from_slice(torn);
        std::fs::write(&file, &bytes).unwrap();

        let receipt = append(
            &storage,
            &Settings::default(),
            at(23, 2),
            &call("al", "{}", "ok", ""),
        )
        .unwrap();
        assert_eq!(receipt.recovered.len(), 1);
        let recovery = &receipt.recovered[0];
        assert_eq!(recovery.reason, "ends in a torn entry");
        assert_eq!(recovery.kept, 5);
        let aside = recovery.moved_to.clone().unwrap();
        assert_eq!(aside, "al/tool_audit/.damaged.2025-10-23.1");
        assert_eq!(std::fs::read(dir.path().join(&aside)).unwrap(), torn);
        let entries = lines(&dir, &path);
        assert_eq!(entries.len(), 7);
        assert_eq!(entries[5]["tool"], "auditlog.recovery");
        assert_eq!(entries[5]["args"]["moved_to"], aside.as_str());
        assert_eq!(entries[6]["seq"], 7);
        assert!(verifies(&storage, "al"));
    }

    #[test]
    fn a_whole_last_entry_without_its_newline_is_kept() {
        use crate::storage::faulty::{Fault, FaultyStorage};
        let (dir, storage) = setup();
        let path = five(&storage);
        let file = dir.path().join(&path);
        let bytes = std::fs::read(&file).unwrap();
        std::fs::write(&file, &bytes[..bytes.len() - 1]).unwrap();
        // A full disk at any step: the call fails and the file is as it
        // was, newline still missing (finishing the line is part of the
        // one write), or it succeeds.
        for fault in [Fault::NoSpace, Fault::ShortWrite] {
            for n in 1..=4 {
                std::fs::write(&file, &bytes[..bytes.len() - 1]).unwrap();
                let faulty = FaultyStorage::new(&storage, fault, n);
                let late = call("al", "{}", "ok", "");
                if append(&faulty, &Settings::default(), at(23, 2), &late).is_ok() {
                    assert_eq!(lines(&dir, &path).len(), 6, "{fault:?} at {n}");
                    break;
                }
                let now = std::fs::read(&file).unwrap();
                assert_eq!(now, bytes[..bytes.len() - 1], "{fault:?} at {n}");
            }
        }
        std::fs::write(&file, &bytes[..bytes.len() - 1]).unwrap();
        let receipt = append(
            &storage,
            &Settings::default(),
            at(23, 2),
            &call("al", "{}", "ok", ""),
        )
        .unwrap();
        assert!(receipt.recovered.is_empty());
        assert_eq!(lines(&dir, &path).len(), 6);
        assert!(verifies(&storage, "al"));
    }

    #[test]
    fn repair_moves_a_garbage_line_aside_and_keeps_the_rest() {
        let (dir, storage) = setup();
        let path = five(&storage);
        let file = dir.path().join(&path);
        let text = std::fs::read_to_string(&file).unwrap();
        let mut damaged: Vec<&str> = text.lines().collect();
        damaged.insert(2, "\u{0}not an entry");
        std::fs::write(&file, damaged.join("\n") + "\n").unwrap();
        assert!(!verifies(&storage, "al"));

        let recovered = repair(&storage, &Settings::default(), at(24, 0), "al").unwrap();
        assert_eq!(recovered.len(), 1);
        assert_eq!(recovered[0].kept, 5);
        assert_eq!(recovered[0].reason, "holds lines that are not entries");
        let aside = recovered[0].moved_to.clone().unwrap();
        assert_eq!(
            std::fs::read(dir.path().join(aside)).unwrap(),
            b"\0not an entry\n"
        );
        assert_eq!(lines(&dir, &path).len(), 5);
        let today = lines(&dir, "al/tool_audit/2025-10-24.jsonl");
        assert_eq!(today[0]["tool"], "auditlog.recovery");
        assert_eq!(today[0]["seq"], 6);
        assert!(verifies(&storage, "al"));
        assert_eq!(
            repair(&storage, &Settings::default(), at(24, 1), "al").unwrap(),
            []
        );
    }

    #[test]
    fn a_failed_write_leaves_no_partial_entry() {
        use crate::storage::faulty::{Fault, FaultyStorage};
        for fault in [Fault::ShortWrite, Fault::NoSpace, Fault::Io] {
            for n in 1..=4 {
                let (dir, storage) = setup();
                let path = five(&storage);
                let before = std::fs::read(dir.path().join(&path)).unwrap();
                let faulty = FaultyStorage::new(&storage, fault, n);
                let settings = Settings {
                    sync_data: true,
                    ..Settings::default()
                };
                match append(&faulty, &settings, at(23, 3), &call("al", "{}", "ok", "")) {
                    Err(e) => {
                        assert!(matches!(e, AuditError::Storage(_)), "{fault:?} at {n}: {e}");
                        assert_eq!(
                            std::fs::read(dir.path().join(&path)).unwrap(),
                            before,
                            "{fault:?} at {n}"
                        );
                    }
                    Ok(_) => assert_eq!(lines(&dir, &path).len(), 6, "{fault:?} at {n}"),
                }
                let receipt =
                    append(&storage, &settings, at(23, 4), &call("al", "{}", "ok", "")).unwrap();
                assert!(receipt.recovered.is_empty(), "{fault:?} at {n}");
                assert!(verifies(&storage, "al"), "{fault:?} at {n}");
            }
        }
    }

    /// Attack: a batch for several users on a disk that fills partway. The
    /// call either fails having written nothing — the users written before
    /// the failure are taken back, their files byte for byte as they were —
    /// or writes every entry.
    #[test]
    fn a_batch_that_fails_for_one_user_takes_back_the_others() {
        use crate::storage::faulty::{Fault, FaultyStorage};
        use crate::storage::read_only::snapshot;
        let calls: Vec<ToolCall> = ["al", "bo", "cy", "al"]
            .iter()
            .map(|user| call(user, "{}", "ok", "r"))
            .collect();
        let mut failed = 0;
        for fault in [Fault::NoSpace, Fault::ShortWrite] {
            for n in 1..=8 {
                let (dir, storage) = setup();
                for user in ["al", "bo"] {
                    append(
                        &storage,
                        &Settings::default(),
                        at(23, 0),
                        &call(user, "{}", "ok", ""),
                    )
                    .unwrap();
                }
                let before: Vec<_> = snapshot(dir.path())
                    .into_iter()
                    .map(|(path, (bytes, _))| (path, bytes))
                    .collect();
                let faulty = FaultyStorage::new(&storage, fault, n);
                match append_many(&faulty, &Settings::default(), at(23, 1), &calls) {
                    Err(_) => {
                        failed += 1;
                        let after: Vec<_> = snapshot(dir.path())
                            .into_iter()
                            .map(|(path, (bytes, _))| (path, bytes))
                            .filter(|(path, _)| !path.starts_with("cy"))
                            .collect();
                        assert_eq!(after, before, "{fault:?} at {n}");
                        let cy = dir.path().join("cy/tool_audit");
                        let cy_files: Vec<_> = std::fs::read_dir(&cy)
                            .map(|d| d.map(|e| e.unwrap().file_name()).collect())
                            .unwrap_or_default();
                        assert!(
                            cy_files.iter().all(|name| name == ".lock"),
                            "{fault:?} at {n}: no day file for cy: {cy_files:?}"
                        );
                    }
                    Ok(receipts) => {
                        assert_eq!(receipts.len(), 4);
                        for user in ["al", "bo", "cy"] {
                            assert!(verifies(&storage, user), "{fault:?} at {n}: {user}");
                        }
                        assert_eq!(lines(&dir, "al/tool_audit/2025-10-23.jsonl").len(), 3);
                        break;
                    }
                }
            }
        }
        assert!(
            failed >= 2,
            "faults fell on the second and third user: {failed}"
        );
    }

    #[test]
    fn a_batch_is_checked_whole_then_written_in_order_one_write_per_user() {
        use crate::storage::counting::CountingStorage;
        let (dir, storage) = setup();
        let calls = [
            call("al", r#"{"i":1}"#, "ok", ""),
            call("bo", r#"{"i":2}"#, "error", ""),
            call("al", r#"{"i":3}"#, "denied", ""),
        ];
        let mut bad = calls.clone();
        bad[2].status = "maybe".into();
        let err = append_many(&storage, &Settings::default(), at(23, 1), &bad).unwrap_err();
        assert!(
            matches!(&err, AuditError::Invalid { field, .. } if field == "calls[2].status"),
            "{err}"
        );
        assert!(
            !dir.path().join("al").exists(),
            "nothing is written for a refused batch"
        );

        let receipts = append_many(&storage, &Settings::default(), at(23, 1), &calls).unwrap();
        let ids: Vec<i64> = receipts
            .iter()
            .map(|r| {
                serde_json::from_str::<Value>(&r.entry).unwrap()["args"]["i"]
                    .as_i64()
                    .unwrap()
            })
            .collect();
        assert_eq!(ids, [1, 2, 3]);
        let al = lines(&dir, "al/tool_audit/2025-10-23.jsonl");
        assert_eq!(
            al.iter()
                .map(|e| e["seq"].as_u64().unwrap())
                .collect::<Vec<_>>(),
            [1, 2]
        );
        assert!(verifies(&storage, "al") && verifies(&storage, "bo"));

        let counting = CountingStorage::new(&storage);
        let batch: Vec<ToolCall> = (0..50)
            .map(|i| call("al", &format!(r#"{{"i":{i}}}"#), "ok", ""))
            .collect();
        append_many(&counting, &Settings::default(), at(23, 2), &batch).unwrap();
        assert_eq!(
            counting.counts.writes.get(),
            1,
            "one write for 50 entries of one user"
        );
    }

    /// Seqs of every line in `user`'s files of day 23, in file order.
    fn seqs(dir: &tempfile::TempDir, user: &str) -> Vec<u64> {
        let mut names: Vec<String> = std::fs::read_dir(dir.path().join(day_files::user_dir(user)))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".jsonl"))
            .collect();
        names.sort_by_key(|n| DayFile::parse(n).map(|f| f.segment));
        names
            .iter()
            .flat_map(|n| lines(dir, &format!("{}/{n}", day_files::user_dir(user))))
            .map(|e| e["seq"].as_u64().unwrap())
            .collect()
    }

    #[test]
    fn a_clock_that_steps_back_continues_the_chain() {
        let minute = |day, hour, min| Utc.with_ymd_and_hms(2025, 10, day, hour, min, 0).unwrap();
        for kept in [false, true] {
            let (dir, storage) = setup();
            let active = OpenFiles::default();
            let write = |now| {
                let c = call("al", "{}", "ok", "");
                if kept {
                    super::append(&storage, &Settings::default(), now, &c, &active)
                } else {
                    append(&storage, &Settings::default(), now, &c)
                }
            };
            write(minute(24, 0, 30)).unwrap();
            // Back across UTC midnight, then back within the day.
            let back = write(minute(23, 23, 50)).unwrap();
            assert_eq!(back.path, "al/tool_audit/2025-10-24.jsonl", "kept: {kept}");
            write(minute(24, 0, 10)).unwrap();
            let entries = lines(&dir, "al/tool_audit/2025-10-24.jsonl");
            let stamps: Vec<&str> = entries.iter().map(|e| e["ts"].as_str().unwrap()).collect();
            assert_eq!(stamps, ["2025-10-24T00:30:00Z"; 3], "kept: {kept}");
            assert_eq!(seqs(&dir, "al"), [1, 2, 3], "one chain, no fork");
            assert!(!dir.path().join("al/tool_audit/2025-10-23.jsonl").exists());
            assert!(verifies(&storage, "al"), "kept: {kept}");
            assert_eq!(
                repair(&storage, &Settings::default(), minute(23, 23, 0), "al").unwrap(),
                []
            );

            // A clock before 1970 is refused by name, and nothing is written.
            let file = dir.path().join("al/tool_audit/2025-10-24.jsonl");
            let before = std::fs::read(&file).unwrap();
            let err = write(Utc.with_ymd_and_hms(1969, 12, 31, 23, 59, 59).unwrap()).unwrap_err();
            assert!(
                err.to_string()
                    .starts_with("clock: reads 1969-12-31T23:59:59Z"),
                "{err}"
            );
            assert_eq!(std::fs::read(&file).unwrap(), before);
            // The day after, the chain goes on in the new day's file.
            let later = write(minute(25, 1, 0)).unwrap();
            assert_eq!(later.path, "al/tool_audit/2025-10-25.jsonl");
            assert!(later.entry.contains(r#""seq":4"#), "{}", later.entry);
            assert!(verifies(&storage, "al"), "kept: {kept}");
        }
    }

    #[test]
    fn two_writers_on_either_side_of_midnight_keep_one_chain() {
        let (dir, storage) = setup();
        let (behind, ahead) = (OpenFiles::default(), OpenFiles::default());
        let settings = Settings::default();
        let write = |kept: &OpenFiles<_>, now| {
            let c = call("al", "{}", "ok", "");
            super::append(&storage, &settings, now, &c, kept).unwrap()
        };
        let second = |day, h, m, s| Utc.with_ymd_and_hms(2025, 10, day, h, m, s).unwrap();
        write(&behind, second(23, 23, 59, 0));
        write(&ahead, second(24, 0, 1, 0));
        // The writer behind keeps the 23rd's file open, unchanged: it must
        // still follow the chain into the 24th.
        let receipt = write(&behind, second(23, 23, 59, 30));
        assert_eq!(receipt.path, "al/tool_audit/2025-10-24.jsonl");
        assert!(receipt.entry.contains(r#""ts":"2025-10-24T00:01:00Z""#));
        assert_eq!(seqs(&dir, "al"), [1, 2, 3]);
        assert!(verifies(&storage, "al"));
    }

    #[test]
    fn a_kept_file_is_appended_to_without_reading_it_again() {
        use crate::storage::counting::CountingStorage;
        let (dir, storage) = setup();
        let counting = CountingStorage::new(&storage);
        let kept = OpenFiles::default();
        let settings = Settings::default();
        for i in 0..3 {
            let c = call("al", &format!(r#"{{"i":{i}}}"#), "ok", "");
            super::append(&counting, &settings, at(23, 1), &c, &kept).unwrap();
        }
        counting.counts.reset();
        super::append(
            &counting,
            &settings,
            at(23, 1),
            &call("al", "{}", "ok", ""),
            &kept,
        )
        .unwrap();
        assert_eq!(counting.counts.read.get(), 0, "nothing read for the seal");
        assert_eq!(
            counting.counts.opens.get(),
            0,
            "no file opened, none looked for: the journal tells no later file was started"
        );
        assert_eq!(seqs(&dir, "al"), [1, 2, 3, 4]);
        assert!(verifies(&storage, "al"));
    }

    #[test]
    fn a_kept_file_gives_way_to_every_change_made_by_others() {
        let (dir, storage) = setup();
        let kept = OpenFiles::default();
        let settings = Settings::default();
        let ours = |hour| {
            super::append(
                &storage,
                &settings,
                at(23, hour),
                &call("al", "{}", "ok", ""),
                &kept,
            )
            .unwrap()
        };
        let day_file = dir.path().join("al/tool_audit/2025-10-23.jsonl");
        ours(1);
        // Another writer appends: the next entry chains after its entry.
        append(&storage, &settings, at(23, 1), &call("al", "{}", "ok", "")).unwrap();
        ours(1);
        assert_eq!(seqs(&dir, "al"), [1, 2, 3]);
        // The file is replaced by a rename (as a repair does): the entry goes
        // to the file by that name, not to the one kept open.
        let text = std::fs::read_to_string(&day_file).unwrap();
        let copy = day_file.with_extension("tmp");
        std::fs::write(&copy, &text).unwrap();
        std::fs::rename(&copy, &day_file).unwrap();
        ours(1);
        assert_eq!(seqs(&dir, "al"), [1, 2, 3, 4]);
        // The file is removed: a new one is started.
        std::fs::remove_file(&day_file).unwrap();
        ours(1);
        assert_eq!(seqs(&dir, "al"), [1]);
        // A writer with a smaller bound starts the next segment without
        // writing to this one: entries follow it there.
        let small = Settings {
            rotation: crate::settings::Rotation {
                max_file_bytes: Some(100),
                ..Default::default()
            },
            ..Settings::default()
        };
        append(&storage, &small, at(23, 1), &call("al", "{}", "ok", "")).unwrap();
        assert_eq!(ours(1).path, "al/tool_audit/2025-10-23.1.jsonl");
        assert_eq!(seqs(&dir, "al"), [1, 2, 3]);
        // A new day starts a new file.
        let next_day = super::append(
            &storage,
            &settings,
            at(24, 0),
            &call("al", "{}", "ok", ""),
            &kept,
        )
        .unwrap();
        assert_eq!(next_day.path, "al/tool_audit/2025-10-24.jsonl");
        assert!(verifies(&storage, "al"));
    }

    /// Compression of closed files and retention by age (five days).
    fn rotating() -> Settings {
        Settings {
            rotation: crate::settings::Rotation {
                compress: true,
                max_days: Some(5),
                ..Default::default()
            },
            ..Settings::default()
        }
    }

    /// `al`'s files over days 17 to 20, three entries a day: for a day-23
    /// append to delete days 17 and 18 and compress days 19 and 20.
    fn four_days(storage: &FsStorage) {
        for day in 17..=20 {
            for hour in 0..3 {
                append(
                    storage,
                    &rotating(),
                    at(day, hour),
                    &call("al", "{}", "ok", "r"),
                )
                .unwrap();
            }
        }
    }

    fn bytes_of(
        snapshot: &std::collections::BTreeMap<String, (Option<Vec<u8>>, std::time::SystemTime)>,
    ) -> std::collections::BTreeMap<String, String> {
        let digest = |bytes: &Vec<u8>| {
            format!(
                "{} bytes, {}",
                bytes.len(),
                &chain::to_hex(&chain::sha256(bytes))[..12]
            )
        };
        snapshot
            .iter()
            .map(|(path, (bytes, _))| (path.clone(), bytes.as_ref().map_or("dir".into(), digest)))
            .collect()
    }

    /// Attack: the disk fills at each step of an append that starts a new
    /// day with compression and retention on. Either the call fails and
    /// every file is as it was (no empty day file left), or it succeeds,
    /// its entry is in today's file, and housekeeping that did not get done
    /// is a warning that a later run of the policy finishes.
    #[test]
    fn a_full_disk_at_any_step_fails_cleanly_or_succeeds_with_a_warning() {
        use crate::storage::faulty::{Fault, FaultyStorage};
        use crate::storage::read_only::snapshot;
        let (mut failed, mut warned, mut clean) = (0, 0, 0);
        for fault in [Fault::NoSpace, Fault::ShortWrite] {
            // Up to the first fault that falls beyond the last change.
            for n in 1..=64 {
                let (dir, storage) = setup();
                four_days(&storage);
                let before = bytes_of(&snapshot(dir.path()));
                let faulty = FaultyStorage::new(&storage, fault, n);
                let today = call("al", r#"{"n":1}"#, "ok", "today");
                match append(&faulty, &rotating(), at(23, 1), &today) {
                    Err(e) => {
                        failed += 1;
                        assert!(matches!(e, AuditError::Storage(_)), "{fault:?} at {n}: {e}");
                        assert_eq!(
                            bytes_of(&snapshot(dir.path())),
                            before,
                            "{fault:?} at {n}: a failed call changed the directory"
                        );
                    }
                    Ok(receipt) => {
                        let text = std::fs::read_to_string(dir.path().join(&receipt.path)).unwrap();
                        assert_eq!(
                            text.lines().last(),
                            Some(receipt.entry.as_str()),
                            "{fault:?} at {n}: a success stored its entry"
                        );
                        if receipt.warnings.is_empty() {
                            clean += 1;
                            break;
                        } else {
                            warned += 1;
                            assert!(
                                receipt.warnings[0].starts_with("al/tool_audit: ")
                                    && receipt.warnings[0].contains("retried"),
                                "{fault:?} at {n}: {:?}",
                                receipt.warnings
                            );
                        }
                    }
                }
                // The policy, run again, finishes: days 17 and 18 gone, 19
                // and 20 gzipped.
                append(&storage, &rotating(), at(23, 2), &today).unwrap();
                rotate(&storage, &rotating(), at(23, 3), "al", &mut Vec::new()).unwrap();
                let mut names: Vec<String> = std::fs::read_dir(dir.path().join("al/tool_audit"))
                    .unwrap()
                    .map(|e| e.unwrap().file_name().into_string().unwrap())
                    .filter(|n| !n.starts_with('.'))
                    .collect();
                names.sort();
                let expected = [
                    "2025-10-19.jsonl.gz",
                    "2025-10-20.jsonl.gz",
                    "2025-10-23.jsonl",
                ];
                assert_eq!(names, expected, "{fault:?} at {n}");
                assert!(verifies(&storage, "al"), "{fault:?} at {n}");
            }
        }
        assert!(
            failed > 0 && warned > 0 && clean > 0,
            "faults fell before, after and beyond the write: {failed} {warned} {clean}"
        );
    }

    /// Attack: readers pointed at rotated logs (gzipped segments, a
    /// retention anchor) on a directory that refuses every change. Every
    /// read works and nothing changes, not even an mtime.
    #[test]
    fn reads_of_rotated_logs_write_nothing() {
        use crate::query::{Filter, Query, Source};
        use crate::storage::read_only::{ReadOnlyStorage, snapshot};
        let (dir, storage) = setup();
        four_days(&storage);
        append(
            &storage,
            &rotating(),
            at(23, 1),
            &call("al", "{}", "ok", "r"),
        )
        .unwrap();
        append(
            &storage,
            &rotating(),
            at(23, 2),
            &call("bo", "{}", "error", "r"),
        )
        .unwrap();
        let before = snapshot(dir.path());
        assert!(
            before.contains_key("al/tool_audit/.retention"),
            "{:?}",
            before.keys()
        );
        assert!(before.contains_key("al/tool_audit/2025-10-19.jsonl.gz"));
        let logs = crate::Engine::with_clock(
            ReadOnlyStorage(FsStorage::new(dir.path())),
            Box::new(|| at(23, 3)),
        );
        for source in [Source::User("al".into()), Source::AllUsers] {
            let filter = Filter {
                days: Some(30),
                ..Filter::new(source.clone())
            };
            let page = logs
                .recent(&Query {
                    filter: filter.clone(),
                    limit: None,
                    cursor: None,
                })
                .unwrap();
            let stats = logs.stats(&filter).unwrap();
            assert_eq!(page.entries.len() as u64, stats.total, "{source:?}");
            // Days 19, 20 and 23, and the record of retention; bo's one.
            let expected = if source == Source::AllUsers { 9 } else { 8 };
            assert_eq!(stats.total, expected, "{source:?}");
            let report = logs.verify(Some(&source), &[]).unwrap();
            assert_eq!(report.problem, None, "{source:?}");
        }
        assert_eq!(logs.verify(None, &[]).unwrap().problem, None);
        assert_eq!(snapshot(dir.path()), before, "the directory changed");
    }
}
