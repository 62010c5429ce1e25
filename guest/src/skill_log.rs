//! The skill log: `audit_log.json`, a JSON array of skill runs, newest last,
//! holding at most `max_entries` of them.
//!
//! The file keeps one entry per line, so that an append and a read of the
//! newest entries touch only the end of the file:
//!
//! ```text
//! [
//!   {"timestamp":"2025-10-23T12:30:00.000Z","skill":"workflow.validate","status":"success"},
//!   {"timestamp":"2025-10-23T12:31:00.000Z","skill":"workflow.compose","status":"failed"}
//! ]
//! ```
//!
//! - **Append** overwrites the closing `\n]\n` with `,\n  {entry}\n]\n` in one
//!   write: the file is a valid array before and after.
//! - **Retention** overwrites the oldest entries' lines with spaces, which JSON
//!   reads as whitespace, so dropping an entry is one small write. When the
//!   blanked prefix outgrows the live entries the file is rewritten to a new
//!   file and renamed into place, so the file stays under about twice its live
//!   size and each append costs O(1) amortised.
//! - **The index** `.audit_log.state` records the file's size, where the live
//!   entries start and how many there are. It is checked against the file on
//!   every use and rebuilt by reading the file when it does not match (a
//!   writer stopped between the two writes, or another tool edited the file).
//!   A file in any other layout that holds a JSON array of objects — the
//!   seed's pretty-printed one, say — is rewritten into this layout, keeping
//!   every entry.
//!
//! Every change happens under the lock `.audit_log.lock`, which the host
//! shares between processes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::chain::{self, Chain, Link};
use crate::clock;
use crate::entry;
use crate::error::AuditError;
use crate::settings::Settings;
use crate::storage::{File, OpenFlags, Storage, StorageError};
use crate::validate;

/// The skill log's file name inside the log directory.
pub const LOG_PATH: &str = "audit_log.json";
const STATE_PATH: &str = ".audit_log.state";
const LOCK_PATH: &str = ".audit_log.lock";
const REWRITE_PATH: &str = ".audit_log.json.tmp";
/// The index is written as one fixed-size line so that it is replaced in place.
const STATE_LEN: usize = 512;
/// Blanked bytes tolerated before a rewrite, however few entries are live.
const MIN_REWRITE_BYTES: u64 = 16 * 1024;
/// Most bytes read per step when looking for line ends.
const SCAN_CHUNK: u64 = 64 * 1024;

const EMPTY: &[u8] = b"[\n]\n";
const HEADER_LEN: u64 = 2; // "[\n"
const INDENT: &[u8] = b"  ";

/// One run of a skill, as a caller describes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SkillRun {
    /// The skill's name.
    pub skill: String,
    /// How the run ended: a short lowercase word.
    pub status: String,
    /// How long the run took, in milliseconds.
    pub duration_ms: Option<u64>,
    /// Error messages; `None` leaves the field out.
    pub errors: Option<Vec<String>>,
    /// JSON text of an object with more context; `None` leaves the field out.
    pub metadata: Option<String>,
}

/// What an append stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkillReceipt {
    /// The stored entry as JSON text.
    pub entry: String,
    /// The file written, relative to the log directory.
    pub path: String,
    /// Entries in the log after the append.
    pub total_entries: u64,
}

/// The last entry dropped by retention: where the chain of the live entries
/// starts. In keyed mode `mac` authenticates it, so it cannot be moved to
/// hide entries cut from the head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchor {
    /// The dropped entry's `seq`.
    pub seq: u64,
    /// Its link, in hex.
    pub link: String,
    /// In keyed mode, the chain's link of `anchor:<seq>` after `link`, in hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mac: Option<String>,
}

impl Anchor {
    fn new(seq: u64, link: &Link, settings: &Settings) -> Self {
        Self {
            seq,
            link: chain::to_hex(link),
            mac: settings
                .chain
                .is_keyed()
                .then(|| chain::to_hex(&anchor_mac(&settings.chain, seq, link))),
        }
    }
}

/// What authenticates an anchor in keyed mode.
pub fn anchor_mac(chain: &Chain, seq: u64, link: &Link) -> Link {
    chain.link(link, format!("anchor:{seq}").as_bytes())
}

/// Where the live entries are; see the module documentation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Index {
    /// The file's length in bytes.
    size: u64,
    /// Offset of the first live entry's line (or of `]` when there is none).
    head: u64,
    /// Live entries.
    count: u64,
    /// Bumped whenever the file is rewritten, which moves entries' offsets.
    #[serde(default)]
    generation: u64,
    /// The last entry's `seq` (0 before the first).
    #[serde(default)]
    last_seq: u64,
    /// The last entry's link, in hex (empty before the first).
    #[serde(default)]
    last_link: String,
    /// The last entry dropped by retention.
    #[serde(default)]
    anchor: Option<Anchor>,
}

impl Index {
    const EMPTY: Self = Self {
        size: EMPTY.len() as u64,
        head: HEADER_LEN,
        count: 0,
        generation: 0,
        last_seq: 0,
        last_link: String::new(),
        anchor: None,
    };

    fn prev_link(&self) -> Link {
        chain::from_hex(&self.last_link).unwrap_or(chain::GENESIS)
    }

    fn blank_bytes(&self) -> u64 {
        self.head - HEADER_LEN
    }

    fn live_bytes(&self) -> u64 {
        self.size - self.head
    }
}

/// Validates `run`, stamps it with `now` and appends it, dropping the oldest
/// entries beyond `settings.max_entries`.
///
/// # Errors
/// [`AuditError::Invalid`] for a refused field (nothing written);
/// [`AuditError::Corrupt`] when the file is not a JSON array of entries (left
/// untouched); [`AuditError::Storage`] when a write fails (the file is put back
/// as it was as far as the storage allows).
pub fn append<S: Storage>(
    storage: &S,
    settings: &Settings,
    now: DateTime<Utc>,
    run: &SkillRun,
) -> Result<SkillReceipt, AuditError> {
    let entry = entry_map(run, now, settings)?;

    let _lock = storage.lock(LOCK_PATH)?;
    let (file, mut index) = open_indexed(storage)?;
    let seq = index.last_seq + 1;
    let (entry, link) = entry::seal(entry, &settings.chain, seq, &index.prev_link());
    let (offset, bytes) = if index.count == 0 {
        (index.size - 2, [b"  ", entry.as_bytes(), b"\n]\n"].concat())
    } else {
        (
            index.size - 3,
            [b",\n  ", entry.as_bytes(), b"\n]\n"].concat(),
        )
    };
    if let Err(e) = file.write_at(offset, &bytes) {
        restore_tail(&file, &index);
        return Err(e.into());
    }
    index.size = offset + bytes.len() as u64;
    index.count += 1;
    index.last_seq = seq;
    index.last_link = chain::to_hex(&link);

    // The entry is stored in full; what follows only keeps the log bounded.
    // If it fails, the next append finishes the job.
    let excess = index.count.saturating_sub(u64::from(settings.max_entries));
    let count = index.count;
    let (file, index) = match drop_oldest(storage, settings, file, index, excess) {
        Ok(done) => done,
        Err(_) => return Ok(receipt(entry, count)),
    };
    let _ = write_state(storage, &index);
    drop(file);
    Ok(receipt(entry, index.count))
}

fn receipt(entry: String, total_entries: u64) -> SkillReceipt {
    SkillReceipt {
        entry,
        path: LOG_PATH.to_owned(),
        total_entries,
    }
}

/// The entry for `run`: validated, stamped, redacted and bounded; not yet sealed.
fn entry_map(
    run: &SkillRun,
    now: DateTime<Utc>,
    settings: &Settings,
) -> Result<Map<String, Value>, AuditError> {
    validate::name("skill", &run.skill)?;
    validate::skill_status(&run.status)?;
    if let Some(errors) = &run.errors {
        validate::error_messages(errors)?;
    }
    let mut entry = Map::new();
    entry.insert(
        "timestamp".into(),
        Value::String(clock::skill_timestamp(now)),
    );
    entry.insert("skill".into(), Value::String(run.skill.clone()));
    entry.insert("status".into(), Value::String(run.status.clone()));
    if let Some(ms) = run.duration_ms {
        entry.insert("duration_ms".into(), Value::from(ms));
    }
    if let Some(errors) = &run.errors {
        entry.insert("errors".into(), Value::from(errors.clone()));
    }
    if let Some(text) = &run.metadata {
        entry.insert(
            "metadata".into(),
            Value::Object(validate::json_object("metadata", text)?),
        );
    }
    entry::clean(
        &mut entry,
        settings,
        &["errors", "metadata"],
        &["metadata", "errors"],
    );
    Ok(entry)
}

/// Puts back the closing bracket after a failed append.
fn restore_tail<F: File>(file: &F, index: &Index) {
    let (offset, tail): (u64, &[u8]) = if index.count == 0 {
        (index.size - 2, b"]\n")
    } else {
        (index.size - 3, b"\n]\n")
    };
    let _ = file.set_size(index.size);
    let _ = file.write_at(offset, tail);
}

/// Blanks the `n` oldest entries and rewrites the file if the blanked prefix
/// has outgrown the live entries.
fn drop_oldest<S: Storage>(
    storage: &S,
    settings: &Settings,
    file: S::File,
    mut index: Index,
    n: u64,
) -> Result<(S::File, Index), AuditError> {
    if n == 0 {
        return Ok((file, index));
    }
    let mut blank = first_lines(&file, index.head, n)?;
    let last_dropped = blank
        .rsplit(|&b| b == b'\n')
        .next()
        .and_then(entry_json_of_line);
    if let Some((seq, link)) = last_dropped.and_then(entry::seal_of) {
        index.anchor = Some(Anchor::new(seq, &link, settings));
    }
    let end = index.head + blank.len() as u64;
    for byte in blank.iter_mut().filter(|b| **b != b'\n') {
        *byte = b' ';
    }
    file.write_at(index.head, &blank)?;
    index.head = end + 1;
    index.count -= n;

    if index.blank_bytes() >= MIN_REWRITE_BYTES && index.blank_bytes() > index.live_bytes() {
        let live = file.read_at(index.head, index.live_bytes())?;
        drop(file);
        let content = [b"[\n".as_slice(), &live].concat();
        let file = replace_log(storage, &content)?;
        let index = Index {
            size: content.len() as u64,
            head: HEADER_LEN,
            generation: index.generation + 1,
            ..index
        };
        return Ok((file, index));
    }
    Ok((file, index))
}

/// The bytes of the `n` lines starting at `from`, without the `\n` that ends
/// the last of them. Reads a little past them: 4 KiB at first, more for long lines.
fn first_lines<F: File>(file: &F, from: u64, n: u64) -> Result<Vec<u8>, AuditError> {
    let mut bytes = Vec::new();
    let mut seen = 0;
    let mut step = 4096;
    loop {
        let chunk = file.read_at(from + bytes.len() as u64, step)?;
        if chunk.is_empty() {
            return Err(AuditError::Corrupt(format!(
                "{LOG_PATH}: ends before its last entry"
            )));
        }
        for (i, _) in chunk.iter().enumerate().filter(|(_, b)| **b == b'\n') {
            seen += 1;
            if seen == n {
                bytes.extend_from_slice(&chunk[..i]);
                return Ok(bytes);
            }
        }
        bytes.extend_from_slice(&chunk);
        step = (step * 2).min(SCAN_CHUNK);
    }
}

/// Writes `content` to a new file and renames it over the log.
fn replace_log<S: Storage>(storage: &S, content: &[u8]) -> Result<S::File, AuditError> {
    let tmp = storage.open(REWRITE_PATH, OpenFlags::READ_WRITE)?;
    tmp.set_size(0)?;
    tmp.write_at(0, content)?;
    tmp.sync_data()?;
    drop(tmp);
    storage.rename(REWRITE_PATH, LOG_PATH)?;
    Ok(storage.open(LOG_PATH, OpenFlags::READ_WRITE)?)
}

/// Opens the log (creating an empty one) and finds its live entries, from the
/// index if it matches the file, else by reading the file.
fn open_indexed<S: Storage>(storage: &S) -> Result<(S::File, Index), AuditError> {
    let file = storage.open(LOG_PATH, OpenFlags::READ_WRITE)?;
    let size = file.size()?;
    let previous = read_state(storage);
    if size == 0 {
        let index = Index {
            generation: previous.as_ref().map_or(0, |p| p.generation + 1),
            ..Index::EMPTY
        };
        file.write_at(0, EMPTY)?;
        write_state(storage, &index)?;
        return Ok((file, index));
    }
    if let Some(index) = &previous
        && index.size == size
        && index_matches(&file, index)?
    {
        return Ok((file, index.clone()));
    }
    // The index is missing or stale; offsets may have moved. What retention
    // dropped cannot be read back: its anchor is kept from the old index.
    let generation = previous.as_ref().map_or(0, |p| p.generation + 1);
    let anchor = previous.and_then(|p| p.anchor);
    let content = file.read_at(0, size)?;
    let (file, mut index) = match scan(&content, generation) {
        Some(index) => (file, index),
        None => {
            let content = normalise(&content)?;
            drop(file);
            let file = replace_log(storage, &content)?;
            let index = scan(&content, generation).ok_or_else(|| {
                AuditError::Corrupt(format!("{LOG_PATH}: could not be rewritten"))
            })?;
            (file, index)
        }
    };
    index.anchor = anchor;
    write_state(storage, &index)?;
    Ok((file, index))
}

/// The skill log opened for reading, and where its live entries are.
pub struct Opened<F> {
    /// The open log.
    pub file: F,
    /// Offset of the first live entry's line.
    pub head: u64,
    /// The file's length.
    pub size: u64,
    /// The rewrite generation (entries' offsets change when it does).
    pub generation: u64,
}

/// The skill log's lock, held while reading, and the log if there is one.
pub type Reading<S> = (<S as Storage>::Lock, Option<Opened<<S as Storage>::File>>);

/// The log opened for reading under its lock; `None` when there is no log
/// yet (nothing is created then but the lock file).
///
/// # Errors
/// As for an append: [`AuditError::Corrupt`] for a file that is not a JSON
/// array of entries, [`AuditError::Storage`] when it cannot be read.
pub fn open_for_reading<S: Storage>(storage: &S) -> Result<Reading<S>, AuditError> {
    let lock = storage.lock(LOCK_PATH)?;
    match storage.open(LOG_PATH, OpenFlags::READ) {
        Err(StorageError::NotFound) => return Ok((lock, None)),
        Err(e) => return Err(e.into()),
        Ok(_) => {}
    }
    let (file, index) = open_indexed(storage)?;
    let opened = Opened {
        file,
        head: index.head,
        size: index.size,
        generation: index.generation,
    };
    Ok((lock, Some(opened)))
}

/// The JSON of an entry line (`  {...},`), or `None` for the brackets and
/// blanked lines.
pub fn entry_json_of_line(line: &[u8]) -> Option<&[u8]> {
    let json = line.strip_prefix(INDENT)?;
    let json = json.strip_suffix(b",").unwrap_or(json);
    json.starts_with(b"{").then_some(json)
}

/// Whether the bytes around `index.head` and at the end look as the index says.
fn index_matches<F: File>(file: &F, index: &Index) -> Result<bool, StorageError> {
    if index.head < HEADER_LEN || index.head > index.size.saturating_sub(2) {
        return Ok(false);
    }
    let tail = file.read_at(index.size - 3, 3)?;
    if index.count == 0 {
        return Ok(index.head == index.size - 2 && tail.ends_with(b"]\n"));
    }
    let head = file.read_at(index.head - 1, 4)?;
    Ok(tail == b"\n]\n" && head == b"\n  {")
}

/// The index of `content` if it is in the one-entry-per-line layout.
fn scan(content: &[u8], generation: u64) -> Option<Index> {
    let body = content.strip_prefix(b"[\n")?;
    if body == b"]\n" {
        return Some(Index {
            generation,
            ..Index::EMPTY
        });
    }
    let body = body.strip_suffix(b"\n]\n")?;
    let mut head = None;
    let mut count = 0;
    let mut last_json: &[u8] = b"";
    let mut offset = HEADER_LEN;
    let lines: Vec<&[u8]> = body.split(|&b| b == b'\n').collect();
    for (i, line) in lines.iter().enumerate() {
        let is_last = i + 1 == lines.len();
        if head.is_none() && line.iter().all(|&b| b == b' ') && !is_last {
            offset += line.len() as u64 + 1;
            continue;
        }
        let json = line.strip_prefix(INDENT)?;
        let json = if is_last {
            json
        } else {
            json.strip_suffix(b",")?
        };
        if !json.starts_with(b"{") || !serde_json::from_slice::<Value>(json).ok()?.is_object() {
            return None;
        }
        last_json = json;
        head.get_or_insert(offset);
        count += 1;
        offset += line.len() as u64 + 1;
    }
    let (last_seq, last_link) = entry::seal_of(last_json)
        .map_or((0, String::new()), |(seq, link)| {
            (seq, chain::to_hex(&link))
        });
    Some(Index {
        size: content.len() as u64,
        head: head?,
        count,
        generation,
        last_seq,
        last_link,
        anchor: None,
    })
}

/// `content` — a JSON array of objects in any layout — in the
/// one-entry-per-line layout.
fn normalise(content: &[u8]) -> Result<Vec<u8>, AuditError> {
    let entries: Vec<Value> = serde_json::from_slice(content).map_err(|e| {
        AuditError::Corrupt(format!("{LOG_PATH} is not a JSON array of entries: {e}"))
    })?;
    if let Some(i) = entries.iter().position(|e| !e.is_object()) {
        return Err(AuditError::Corrupt(format!(
            "{LOG_PATH}: element {i} is {}, not an entry object",
            validate::json_type(&entries[i])
        )));
    }
    if entries.is_empty() {
        return Ok(EMPTY.to_vec());
    }
    let mut out = b"[\n".to_vec();
    for (i, entry) in entries.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b",\n");
        }
        out.extend_from_slice(INDENT);
        out.extend_from_slice(entry.to_string().as_bytes());
    }
    out.extend_from_slice(b"\n]\n");
    Ok(out)
}

/// The last entry retention dropped, as the index records it.
pub fn anchor<S: Storage>(storage: &S) -> Option<Anchor> {
    read_state(storage)?.anchor
}

fn read_state<S: Storage>(storage: &S) -> Option<Index> {
    let file = storage.open(STATE_PATH, OpenFlags::READ).ok()?;
    let bytes = file.read_at(0, STATE_LEN as u64).ok()?;
    serde_json::from_slice(bytes.trim_ascii_end()).ok()
}

fn write_state<S: Storage>(storage: &S, index: &Index) -> Result<(), StorageError> {
    let mut line = serde_json::to_vec(index).expect("an index always serialises");
    line.resize(STATE_LEN - 1, b' ');
    line.push(b'\n');
    storage
        .open(STATE_PATH, OpenFlags::READ_WRITE)?
        .write_at(0, &line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::fs::FsStorage;
    use chrono::TimeZone;

    fn at(minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 10, 23, 12, minute, 0).unwrap()
    }

    fn run(skill: &str) -> SkillRun {
        SkillRun {
            skill: skill.into(),
            status: "success".into(),
            ..Default::default()
        }
    }

    fn setup() -> (tempfile::TempDir, FsStorage) {
        let dir = tempfile::tempdir().unwrap();
        let storage = FsStorage::new(dir.path());
        (dir, storage)
    }

    fn read_log(dir: &tempfile::TempDir) -> Vec<Value> {
        let text = std::fs::read_to_string(dir.path().join(LOG_PATH)).unwrap();
        serde_json::from_str(&text).unwrap()
    }

    fn max(n: u32) -> Settings {
        Settings {
            max_entries: n,
            ..Settings::default()
        }
    }

    #[test]
    fn appends_keep_a_valid_array_in_order() {
        let (dir, storage) = setup();
        for (i, name) in ["a.one", "b.two", "c.three"].iter().enumerate() {
            let receipt = append(&storage, &Settings::default(), at(i as u32), &run(name)).unwrap();
            assert_eq!(receipt.total_entries, i as u64 + 1);
            assert_eq!(receipt.path, "audit_log.json");
            let entries = read_log(&dir);
            assert_eq!(entries.len(), i + 1);
        }
        let entries = read_log(&dir);
        assert_eq!(entries[0]["skill"], "a.one");
        assert_eq!(entries[2]["skill"], "c.three");
        assert_eq!(entries[2]["timestamp"], "2025-10-23T12:02:00.000Z");
    }

    #[test]
    fn entry_fields_follow_the_seed() {
        let (_dir, storage) = setup();
        let full = SkillRun {
            skill: "workflow.compose".into(),
            status: "failed".into(),
            duration_ms: Some(5000),
            errors: Some(vec!["Step 3 failed".into()]),
            metadata: Some(r#"{"workflow":"example.yaml","steps_completed":5}"#.into()),
        };
        let receipt = append(&storage, &Settings::default(), at(0), &full).unwrap();
        let (unsealed, seal) = receipt
            .entry
            .split_once(r#","seq":1,"hash":""#)
            .expect("sealed");
        assert_eq!(
            unsealed,
            r#"{"timestamp":"2025-10-23T12:00:00.000Z","skill":"workflow.compose","status":"failed","duration_ms":5000,"errors":["Step 3 failed"],"metadata":{"workflow":"example.yaml","steps_completed":5}"#
        );
        assert_eq!(seal.len(), 64 + 2, "64 hex digits, then \"}}");
        let bare = append(&storage, &Settings::default(), at(1), &run("x")).unwrap();
        assert!(
            bare.entry.starts_with(r#"{"timestamp":"2025-10-23T12:01:00.000Z","skill":"x","status":"success","seq":2,"hash":""#),
            "{}",
            bare.entry
        );
    }

    #[test]
    fn keeps_only_the_newest_max_entries() {
        let (dir, storage) = setup();
        for i in 0..25 {
            let receipt = append(&storage, &max(10), at(i), &run(&format!("s{i}"))).unwrap();
            assert_eq!(receipt.total_entries, u64::from(i + 1).min(10));
        }
        let names: Vec<_> = read_log(&dir).iter().map(|e| e["skill"].clone()).collect();
        let expected: Vec<_> = (15..25).map(|i| Value::from(format!("s{i}"))).collect();
        assert_eq!(names, expected);
    }

    #[test]
    fn file_stays_bounded_under_long_retention() {
        let (dir, storage) = setup();
        for i in 0..2000 {
            append(&storage, &max(5), at(i % 60), &run("s")).unwrap();
        }
        assert_eq!(read_log(&dir).len(), 5);
        let size = std::fs::metadata(dir.path().join(LOG_PATH)).unwrap().len();
        assert!(size < 2 * MIN_REWRITE_BYTES + 1000, "{size} bytes");
    }

    #[test]
    fn lowering_the_limit_drops_many_at_once() {
        let (dir, storage) = setup();
        for i in 0..30 {
            append(
                &storage,
                &Settings::default(),
                at(i),
                &run(&format!("s{i}")),
            )
            .unwrap();
        }
        let receipt = append(&storage, &max(3), at(30), &run("s30")).unwrap();
        assert_eq!(receipt.total_entries, 3);
        let names: Vec<_> = read_log(&dir).iter().map(|e| e["skill"].clone()).collect();
        assert_eq!(names, ["s28", "s29", "s30"]);
    }

    #[test]
    fn a_pretty_printed_seed_file_is_kept_and_continued() {
        let (dir, storage) = setup();
        let seed = r#"[
  {
    "timestamp": "2025-10-23T12:30:00.000Z",
    "skill": "workflow.validate",
    "status": "success",
    "duration_ms": 150
  }
]"#;
        std::fs::write(dir.path().join(LOG_PATH), seed).unwrap();
        let receipt = append(&storage, &Settings::default(), at(40), &run("next")).unwrap();
        assert_eq!(receipt.total_entries, 2);
        let entries = read_log(&dir);
        assert_eq!(entries[0]["duration_ms"], 150);
        assert_eq!(entries[1]["skill"], "next");
    }

    #[test]
    fn a_stale_index_is_rebuilt() {
        let (dir, storage) = setup();
        append(&storage, &Settings::default(), at(0), &run("a")).unwrap();
        std::fs::remove_file(dir.path().join(STATE_PATH)).unwrap();
        append(&storage, &Settings::default(), at(1), &run("b")).unwrap();
        std::fs::write(
            dir.path().join(STATE_PATH),
            "{\"size\":4,\"head\":2,\"count\":0}",
        )
        .unwrap();
        let receipt = append(&storage, &Settings::default(), at(2), &run("c")).unwrap();
        assert_eq!(receipt.total_entries, 3);
        assert_eq!(read_log(&dir).len(), 3);
    }

    #[test]
    fn refusals_write_nothing() {
        let (dir, storage) = setup();
        append(&storage, &Settings::default(), at(0), &run("a")).unwrap();
        let before = std::fs::read(dir.path().join(LOG_PATH)).unwrap();
        let bad = SkillRun {
            metadata: Some("[1,2]".into()),
            ..run("b")
        };
        let err = append(&storage, &Settings::default(), at(1), &bad).unwrap_err();
        assert_eq!(
            err.to_string(),
            "metadata: must be a JSON object, got an array"
        );
        assert_eq!(std::fs::read(dir.path().join(LOG_PATH)).unwrap(), before);
    }

    #[test]
    fn damaged_files_are_refused_and_left_alone() {
        let (dir, storage) = setup();
        let path = dir.path().join(LOG_PATH);
        for damaged in [r#"{"not": "an array"}"#, "[{\"a\":1}", "[1, 2]"] {
            std::fs::write(&path, damaged).unwrap();
            let err = append(&storage, &Settings::default(), at(0), &run("a")).unwrap_err();
            assert!(matches!(err, AuditError::Corrupt(_)), "{err}");
            assert_eq!(std::fs::read_to_string(&path).unwrap(), damaged);
        }
    }

    #[test]
    fn an_append_touches_only_the_end_of_a_large_log() {
        use crate::storage::counting::CountingStorage;
        let dir = tempfile::tempdir().unwrap();
        let storage = CountingStorage::new(FsStorage::new(dir.path()));
        let settings = max(10_000);
        for i in 0..10_000 {
            append(&storage, &settings, at(i % 60), &run(&format!("skill.{i}"))).unwrap();
        }
        let log_size = std::fs::metadata(dir.path().join(LOG_PATH)).unwrap().len();
        assert!(log_size > 500_000, "{log_size}");
        // At the bound, every append also drops the oldest entry: still a few
        // small reads and writes, whatever the log's size — until the blanked
        // prefix is rewritten, which happens once per ~max_entries appends.
        let mut rewrites = 0;
        for i in 0..200 {
            storage.counts.reset();
            append(&storage, &settings, at(0), &run(&format!("more.{i}"))).unwrap();
            let (read, written) = (storage.counts.read.get(), storage.counts.written.get());
            if written > 4096 {
                rewrites += 1;
            } else {
                assert!(read <= 8192, "append {i} read {read} bytes");
                assert!(written < 1024, "append {i} wrote {written} bytes");
            }
        }
        assert_eq!(
            rewrites, 0,
            "no rewrite within 200 appends of a 10,000-entry log"
        );
    }
}
