//! The tool log: one JSON object a line in `<user>/tool_audit/YYYY-MM-DD.jsonl`
//! (the UTC day of the call), fields `ts, user, tool, args, status,
//! result_chars, result_snippet` in that order.
//!
//! String values in `args` longer than `arg_max_chars` are cut at any depth
//! (see [`crate::truncate`]); of the result only its length in characters and
//! its first `snippet_chars` characters are kept. Each entry is one append of
//! one line, under the user's lock `<user>/tool_audit/.lock`.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Map, Value};

use crate::chain::{self, Link};
use crate::clock;
use crate::entry;
use crate::error::AuditError;
use crate::settings::Settings;
use crate::storage::{File, OpenFlags, Storage, StorageError};
use crate::tail::ReverseLines;
use crate::truncate;
use crate::validate;

/// The directory under a user's directory that holds their day files.
pub const TOOL_DIR: &str = "tool_audit";
const LOCK_NAME: &str = ".lock";

/// One tool call, as a caller describes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ToolCall {
    /// The user the tool ran for.
    pub user: String,
    /// The tool's name.
    pub tool: String,
    /// JSON text of an object: the call's arguments.
    pub args: String,
    /// `ok`, `error` or `denied`.
    pub status: String,
    /// The tool's full result.
    pub result: String,
}

/// What an append stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolReceipt {
    /// The stored entry as JSON text.
    pub entry: String,
    /// The file written, relative to the log directory.
    pub path: String,
}

/// The directory holding `user`'s day files.
pub fn user_dir(user: &str) -> String {
    format!("{user}/{TOOL_DIR}")
}

/// The day file of `user` for `day`.
pub fn day_path(user: &str, day: NaiveDate) -> String {
    format!("{}/{}.jsonl", user_dir(user), day.format("%Y-%m-%d"))
}

/// The day a file name `YYYY-MM-DD.jsonl` stands for.
pub fn day_of(file_name: &str) -> Option<NaiveDate> {
    let stem = file_name.strip_suffix(".jsonl")?;
    if stem.len() != 10 {
        return None;
    }
    NaiveDate::parse_from_str(stem, "%Y-%m-%d").ok()
}

/// Validates `call`, stamps it with `now` and appends it to today's file.
///
/// # Errors
/// [`AuditError::Invalid`] for a refused field (nothing written);
/// [`AuditError::Storage`] when the write fails (the file is cut back to
/// where it was).
pub fn append<S: Storage>(
    storage: &S,
    settings: &Settings,
    now: DateTime<Utc>,
    call: &ToolCall,
) -> Result<ToolReceipt, AuditError> {
    validate::user(&call.user)?;
    validate::name("tool", &call.tool)?;
    validate::tool_status(&call.status)?;
    let mut args = Value::Object(validate::json_object("args", &call.args)?);
    truncate::cut_strings(&mut args, settings.arg_max_chars as usize);
    let mut entry = Map::new();
    entry.insert("ts".into(), Value::String(clock::tool_timestamp(now)));
    entry.insert("user".into(), Value::String(call.user.clone()));
    entry.insert("tool".into(), Value::String(call.tool.clone()));
    entry.insert("args".into(), args);
    entry.insert("status".into(), Value::String(call.status.clone()));
    entry.insert(
        "result_chars".into(),
        Value::from(call.result.chars().count()),
    );
    let snippet = truncate::prefix_chars(&call.result, settings.snippet_chars as usize);
    entry.insert("result_snippet".into(), Value::String(snippet.to_owned()));
    entry::clean(
        &mut entry,
        settings,
        &["args", "result_snippet"],
        &["args", "result_snippet"],
    );

    let dir = user_dir(&call.user);
    let lock_path = format!("{dir}/{LOCK_NAME}");
    let _lock = match storage.lock(&lock_path) {
        Err(StorageError::NotFound) => {
            storage.create_dir_all(&dir)?;
            storage.lock(&lock_path)?
        }
        other => other?,
    };
    let today = now.date_naive();
    let path = day_path(&call.user, today);
    let file = storage.open(&path, OpenFlags::APPEND)?;
    let before = file.size()?;
    let (seq, prev) = last_seal(storage, &call.user, today, before)?;
    let (mut line, _) = entry::seal(entry, &settings.chain, seq + 1, &prev);
    line.push('\n');
    // A writer stopped mid-line leaves a torn tail: start on a line of our
    // own, so the new entry is whole and the torn bytes stay where `verify`
    // reports them, instead of gluing the two together.
    let torn = before > 0 && file.read_at(before - 1, 1)? != b"\n";
    let bytes = if torn {
        format!("\n{line}")
    } else {
        line.clone()
    };
    if let Err(e) = file.append(bytes.as_bytes()) {
        let _ = file.set_size(before);
        return Err(e.into());
    }
    line.pop();
    Ok(ToolReceipt { entry: line, path })
}

/// The `seq` and link of `user`'s last entry: the last sealed line of today's
/// file if it has any (`today_size` bytes), else of the newest earlier day
/// file; `(0, GENESIS)` before the first entry.
fn last_seal<S: Storage>(
    storage: &S,
    user: &str,
    today: NaiveDate,
    today_size: u64,
) -> Result<(u64, Link), AuditError> {
    let day = if today_size > 0 {
        Some(today)
    } else {
        let names = match storage.list_dir(&user_dir(user)) {
            Err(StorageError::NotFound) => Vec::new(),
            other => other?,
        };
        names
            .iter()
            .filter_map(|n| day_of(n))
            .filter(|d| *d < today)
            .max()
    };
    let Some(day) = day else {
        return Ok((0, chain::GENESIS));
    };
    let file = storage.open(&day_path(user, day), OpenFlags::READ)?;
    let size = file.size()?;
    let mut lines = ReverseLines::new(file, 0, size);
    while let Some((_, line)) = lines.next_line()? {
        if let Some(seal) = entry::seal_of(&line) {
            return Ok(seal);
        }
    }
    Ok((0, chain::GENESIS))
}

/// Users with a tool log: directories in the root whose name is a valid user.
///
/// # Errors
/// [`AuditError::Storage`] when the root cannot be listed.
pub fn users<S: Storage>(storage: &S) -> Result<Vec<String>, AuditError> {
    let mut users: Vec<String> = match storage.list_dir("") {
        Err(StorageError::NotFound) => return Ok(Vec::new()),
        other => other?,
    }
    .into_iter()
    .filter(|name| validate::user(name).is_ok())
    .filter(|name| storage.list_dir(&user_dir(name)).is_ok())
    .collect();
    users.sort_unstable();
    Ok(users)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::fs::FsStorage;
    use chrono::TimeZone;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 10, day, hour, 0, 0).unwrap()
    }

    fn call(user: &str, args: &str, status: &str, result: &str) -> ToolCall {
        ToolCall {
            user: user.into(),
            tool: "file_read".into(),
            args: args.into(),
            status: status.into(),
            result: result.into(),
        }
    }

    fn setup() -> (tempfile::TempDir, FsStorage) {
        let dir = tempfile::tempdir().unwrap();
        let storage = FsStorage::new(dir.path());
        (dir, storage)
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
    fn a_torn_last_line_is_not_glued_to_the_next_entry() {
        let (dir, storage) = setup();
        append(
            &storage,
            &Settings::default(),
            at(23, 1),
            &call("a", "{}", "ok", ""),
        )
        .unwrap();
        let path = dir.path().join("a/tool_audit/2025-10-23.jsonl");
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        std::io::Write::write_all(&mut file, br#"{"ts":"2025-10-23T01:30:00Z","us"#).unwrap();
        let receipt = append(
            &storage,
            &Settings::default(),
            at(23, 2),
            &call("a", "{}", "ok", ""),
        )
        .unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(
            lines[1], r#"{"ts":"2025-10-23T01:30:00Z","us"#,
            "the torn bytes are kept"
        );
        assert_eq!(lines[2], receipt.entry);
        let entry: Value = serde_json::from_str(lines[2]).unwrap();
        assert_eq!(
            entry["seq"], 2,
            "the chain continues from the last whole entry"
        );
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
        assert_eq!(users(&storage).unwrap(), ["amy", "zed"]);
    }
}
