//! Repairing a damaged log file: every intact entry is kept, the unreadable
//! bytes are moved into a file next to the log, and the repair is reported —
//! in the call's result and as an entry in the log itself. A log is never
//! started over empty.
//!
//! Damage comes from a writer stopped mid-write (a torn tail), from a disk
//! that lost blocks, or from an editor. The moved-aside file sits in the
//! log file's folder as `.damaged.<stem>.<n>` (see [`aside_path`]), `n`
//! counting from 1, and holds the unreadable bytes exactly as they were, in
//! file order.

use serde_json::{Map, Value};

pub use auditlog_model::Recovery;

use crate::error::AuditError;
use crate::storage::{File, OpenFlags, Storage, StorageError};

/// The skill or tool name of auditlog's own entries; callers may not use it.
pub const RECOVERY_NAME: &str = "auditlog.recovery";
/// The status of a recovery entry.
pub const RECOVERED_STATUS: &str = "recovered";

/// The recovery entry's details (the skill log's `metadata`, the tool log's
/// `args`).
pub fn details(recovery: &Recovery) -> Map<String, Value> {
    let mut details = Map::new();
    details.insert("file".into(), Value::from(recovery.file.clone()));
    details.insert("reason".into(), Value::from(recovery.reason.clone()));
    if let Some(to) = &recovery.moved_to {
        details.insert("moved_to".into(), Value::from(to.clone()));
    }
    details.insert("bytes".into(), Value::from(recovery.bytes));
    details.insert("kept".into(), Value::from(recovery.kept));
    details
}

/// Where a repair puts the `n`th set of unreadable bytes of the log file at
/// `path`: `.damaged.<stem>.<n>` in the same folder, `<stem>` being the file
/// name without `.jsonl` or `.json` (`alice/tool_audit/2025-10-23.jsonl` →
/// `alice/tool_audit/.damaged.2025-10-23.1`, `audit_log.json` →
/// `.damaged.audit_log.1`). The missing extension keeps it out of log globs
/// (`*/tool_audit/*.jsonl*`, `audit_log.json*`); the leading dot hides it
/// from `*` in shells and keeps it from being taken for a user's folder.
pub fn aside_path(path: &str, n: u64) -> String {
    let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
    let aside = format!("{}{n}", aside_prefix(name));
    if dir.is_empty() {
        aside
    } else {
        format!("{dir}/{aside}")
    }
}

/// The name of every file [`aside_path`] makes for the log file `name`,
/// less the number.
fn aside_prefix(name: &str) -> String {
    let stem = name
        .strip_suffix(".jsonl")
        .or_else(|| name.strip_suffix(".json"))
        .unwrap_or(name);
    format!(".damaged.{stem}.")
}

/// Writes `bytes` to a new file [`aside_path`]`(path, n)` with the first `n`
/// not yet taken, and returns its path.
///
/// # Errors
/// [`AuditError::Storage`] when the file cannot be written; a partly written
/// one is removed again.
pub fn move_aside<S: Storage>(storage: &S, path: &str, bytes: &[u8]) -> Result<String, AuditError> {
    move_aside_with(storage, path, |file| file.write_at(0, bytes))
}

/// [`move_aside`], the bytes written into the new file by `write` (a piece
/// at a time, for bytes too many to hold).
///
/// # Errors
/// As [`move_aside`].
pub fn move_aside_with<S: Storage>(
    storage: &S,
    path: &str,
    write: impl FnOnce(&S::File) -> Result<(), StorageError>,
) -> Result<String, AuditError> {
    let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
    let prefix = aside_prefix(name);
    let taken = match storage.list_dir(dir) {
        Err(StorageError::NotFound) => Vec::new(),
        other => other?,
    };
    let n = taken
        .iter()
        .filter_map(|entry| entry.strip_prefix(&prefix)?.parse::<u64>().ok())
        .max()
        .unwrap_or(0)
        + 1;
    let aside = aside_path(path, n);
    let written = storage
        .open(&aside, OpenFlags::READ_WRITE)
        .and_then(|file| {
            write(&file)?;
            file.sync_data()
        });
    if let Err(e) = written {
        let _ = storage.remove_file(&aside);
        return Err(e.into());
    }
    Ok(aside)
}

/// What could be read back from a damaged JSON array of entries.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Salvage {
    /// Each intact entry as compact JSON text on one line, in file order.
    pub entries: Vec<String>,
    /// The bytes that are neither an entry nor the array's punctuation.
    pub unreadable: Vec<u8>,
    /// What was wrong, as a sentence fragment.
    pub reason: &'static str,
}

/// Reads every intact object out of `content`, a JSON array of entries that
/// does not parse as a whole: after a bad stretch, reading resumes at the
/// next line that starts an object. Only objects that look like entries
/// (they have a `timestamp`) are kept, so a nested object met after a bad
/// stretch is not taken for one; a file that holds one entry object instead
/// of an array keeps it.
pub fn salvage_array(content: &[u8]) -> Salvage {
    let mut salvage = Salvage::default();
    let mut pos = skip_whitespace(content, 0);
    let is_array = content.get(pos) == Some(&b'[');
    if is_array {
        pos += 1;
    }
    let mut closed = false;
    let mut torn_end = false;
    let mut damaged_middle = false;
    while pos < content.len() {
        pos = skip_separators(content, pos);
        if pos >= content.len() {
            break;
        }
        if is_array && content[pos] == b']' && skip_whitespace(content, pos + 1) == content.len() {
            closed = true;
            break;
        }
        let mut values = serde_json::Deserializer::from_slice(&content[pos..]).into_iter::<Value>();
        match values.next() {
            Some(Ok(Value::Object(entry))) if entry.contains_key("timestamp") => {
                salvage.entries.push(Value::Object(entry).to_string());
                pos += values.byte_offset();
            }
            _ => {
                let end = next_object_line(content, pos);
                let (stretch_end, at_end) = match end {
                    Some(end) => (end, false),
                    None => (closing_bracket(content, pos, is_array), true),
                };
                salvage
                    .unreadable
                    .extend_from_slice(&content[pos..stretch_end]);
                if at_end {
                    torn_end = true;
                    closed = stretch_end < content.len();
                    break;
                }
                damaged_middle = true;
                pos = stretch_end;
            }
        }
    }
    salvage.reason = if !is_array {
        "is not a JSON array"
    } else if damaged_middle {
        "holds unreadable bytes between entries"
    } else if torn_end {
        "ends in a torn entry"
    } else if !closed {
        "lacks its closing bracket"
    } else {
        "is damaged"
    };
    salvage
}

fn skip_whitespace(content: &[u8], mut pos: usize) -> usize {
    while content.get(pos).is_some_and(u8::is_ascii_whitespace) {
        pos += 1;
    }
    pos
}

fn skip_separators(content: &[u8], mut pos: usize) -> usize {
    while content
        .get(pos)
        .is_some_and(|b| b.is_ascii_whitespace() || *b == b',')
    {
        pos += 1;
    }
    pos
}

/// The start of the first line after `pos` whose first non-blank byte opens
/// an object.
fn next_object_line(content: &[u8], pos: usize) -> Option<usize> {
    let mut at = pos;
    while let Some(newline) = content[at..].iter().position(|&b| b == b'\n') {
        let line = at + newline + 1;
        let first = skip_blanks(content, line);
        if content.get(first) == Some(&b'{') {
            return Some(line);
        }
        at = line;
    }
    None
}

fn skip_blanks(content: &[u8], mut pos: usize) -> usize {
    while matches!(content.get(pos), Some(b' ' | b'\t')) {
        pos += 1;
    }
    pos
}

/// Where the unreadable stretch from `pos` to the end stops: before a final
/// `]` line that closes the array, if there is one.
fn closing_bracket(content: &[u8], pos: usize, is_array: bool) -> usize {
    let trimmed = content.trim_ascii_end();
    if is_array && trimmed.len() > pos && trimmed.ends_with(b"]") {
        let bracket = trimmed.len() - 1;
        let line_start = content[..bracket]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        if line_start > pos && content[line_start..bracket].iter().all(|&b| b == b' ') {
            return line_start;
        }
    }
    content.len()
}

/// Reads a whole file.
///
/// # Errors
/// [`StorageError`] from the reads.
pub fn read_all<F: File>(file: &F) -> Result<Vec<u8>, StorageError> {
    let size = file.size()?;
    file.read_at(0, size)
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = r#"{"timestamp":"t1","skill":"a.one","status":"success"}"#;
    const B: &str = r#"{"timestamp":"t2","skill":"b.two","status":"failed"}"#;

    fn array(entries: &[&str]) -> String {
        format!("[\n  {}\n]\n", entries.join(",\n  "))
    }

    #[test]
    fn set_aside_bytes_are_named_out_of_log_globs() {
        assert_eq!(
            aside_path("alice/tool_audit/2025-10-23.jsonl", 1),
            "alice/tool_audit/.damaged.2025-10-23.1"
        );
        assert_eq!(
            aside_path("alice/tool_audit/2025-10-23.2.jsonl", 12),
            "alice/tool_audit/.damaged.2025-10-23.2.12"
        );
        assert_eq!(aside_path("audit_log.json", 3), ".damaged.audit_log.3");
    }

    #[test]
    fn a_torn_last_entry_is_moved_aside() {
        let whole = array(&[A, B]);
        let cut = &whole[..whole.len() - 20];
        let salvage = salvage_array(cut.as_bytes());
        assert_eq!(salvage.entries, [A]);
        assert_eq!(salvage.unreadable, &B.as_bytes()[..B.len() - 17]);
        assert_eq!(salvage.reason, "ends in a torn entry");
    }

    #[test]
    fn a_missing_bracket_loses_nothing() {
        let whole = array(&[A, B]);
        let salvage = salvage_array(&whole.as_bytes()[..whole.len() - 2]);
        assert_eq!(salvage.entries, [A, B]);
        assert!(salvage.unreadable.is_empty());
        assert_eq!(salvage.reason, "lacks its closing bracket");
    }

    #[test]
    fn garbage_between_entries_is_cut_out_and_reading_resumes() {
        let text = format!("[\n  {A},\n  garbage {{ \"x\n  {B}\n]\n");
        let salvage = salvage_array(text.as_bytes());
        assert_eq!(salvage.entries, [A, B]);
        assert_eq!(salvage.unreadable, b"garbage { \"x\n");
        assert_eq!(salvage.reason, "holds unreadable bytes between entries");
    }

    #[test]
    fn a_pretty_printed_file_with_a_torn_tail_keeps_its_whole_entries() {
        let pretty = serde_json::to_string_pretty(&serde_json::json!([
            {"timestamp": "t1", "skill": "a.one", "status": "success"},
            {"timestamp": "t2", "skill": "b.two", "status": "failed"}
        ]))
        .unwrap();
        let cut = &pretty[..pretty.len() - 10];
        let salvage = salvage_array(cut.as_bytes());
        assert_eq!(salvage.entries.len(), 1);
        assert!(salvage.entries[0].contains("a.one"));
        assert!(!salvage.unreadable.is_empty());
    }

    #[test]
    fn an_object_instead_of_an_array_is_kept_only_if_it_is_an_entry() {
        let salvage = salvage_array(A.as_bytes());
        assert_eq!(salvage.entries, [A]);
        assert_eq!(salvage.reason, "is not a JSON array");
        let other = br#"{"entries": []}"#;
        let salvage = salvage_array(other);
        assert!(salvage.entries.is_empty());
        assert_eq!(salvage.unreadable, other);
    }
}
