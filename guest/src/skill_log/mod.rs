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
//!   size and each append costs O(1) amortised. Before blanking, the index
//!   records the new head and a retention anchor ([`crate::anchor`]): the
//!   last dropped entry, and the first one with the link before it, so the
//!   dropped lines a stopped writer leaves unblanked are checked too.
//! - **The index** `.audit_log.state` records the file's size, where the live
//!   entries start and how many there are. It is checked against the file on
//!   every use and recomputed by reading the file when it does not match (a
//!   writer stopped between the two writes, or another tool edited the file);
//!   writers save it again after their append, readers keep it in memory.
//!   A file in any other layout that holds a JSON array of objects — the
//!   seed's pretty-printed one, say — is laid out this way in memory, keeping
//!   every entry, and written so by the next append, in the same rename that
//!   stores its entries.
//! - **Nothing before the entry.** An append writes nothing before its
//!   entries (a new, re-laid or repaired log is one new file renamed into
//!   place with them), so a failed append leaves every byte as it was; what
//!   fails after them is a warning in the receipt.
//!
//! Every change happens under the lock `.audit_log.lock`, which the host
//! shares between processes; readers wait on it if it exists and write
//! nothing, not even it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::anchor::{Anchor, Dropped};
use crate::chain::{self, Link};
use crate::clock;
use crate::entry;
use crate::error::AuditError;
use crate::json_text;
use crate::recovery::{self, Recovery};
use crate::settings::Settings;
use crate::storage::{File, OpenFlags, Storage, StorageError};
use crate::stored_line;
use crate::tail::ReverseLines;
use crate::validate;

mod append;
mod index;
mod layout;
mod open;
mod read;
mod retention;
mod salvage;
mod target;
mod view;

pub(crate) use append::append_own;
pub use append::{append, append_many};
use append::{replace_log, replace_or_undo};
pub use auditlog_model::SkillRun;
use index::{index_matches, read_state, scan, write_state};
pub use layout::entry_json_of_line;
use layout::{blank_in_memory, layout, normalise};
use open::{Damaged, open_for_writing};
pub(crate) use read::inspect_held;
use read::read_only_view;
pub use read::{anchor, inspect, open_for_reading};
use retention::{drop_oldest, finish_blanking};
pub use salvage::repair;
use salvage::salvage;
use target::Target;
pub use view::{Found, Inspection, LogView, MENDED_BY, Opened, Reading, file_line};

/// The skill log's file name inside the log directory.
pub const LOG_PATH: &str = auditlog_model::directory::SKILL_LOG_FILE;
const STATE_PATH: &str = ".audit_log.state";
const LOCK_PATH: &str = ".audit_log.lock";
const REWRITE_PATH: &str = ".audit_log.json.tmp";
/// Room for each of the index's two copies: one line, written at a fixed
/// offset without padding. An index line is under about 600 bytes whatever
/// its numbers; earlier versions padded each copy to 512 bytes, and those
/// files read the same way (one copy a line).
const STATE_LEN: usize = 1024;
/// Blanked bytes tolerated before a rewrite, however few entries are live.
const MIN_REWRITE_BYTES: u64 = 16 * 1024;
/// Most bytes read per step when looking for line ends.
const SCAN_CHUNK: u64 = 64 * 1024;

const EMPTY: &[u8] = b"[\n]\n";
const HEADER_LEN: u64 = 2; // "[\n"
const INDENT: &[u8] = b"  ";

/// What an append stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkillReceipt {
    /// The stored entry as JSON text.
    pub entry: String,
    /// The file written, relative to the log directory.
    pub path: String,
    /// Entries in the log after the append.
    pub total_entries: u64,
    /// Damage found and repaired before the append.
    pub recovered: Vec<Recovery>,
    /// Housekeeping after the entry was stored that did not get done
    /// (retention, the index), each as one sentence; the next append
    /// retries it. The entry is stored whatever these say.
    pub warnings: Vec<String>,
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
    /// Whether the last entry is sealed with a `mac`; `None` before the
    /// first sealed entry, and in indexes written before this was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    last_keyed: Option<bool>,
    /// The last entry dropped by retention.
    #[serde(default)]
    anchor: Option<Anchor>,
    /// Counts the index's writes; the newer of the two copies wins.
    #[serde(default)]
    stamp: u64,
    /// Bytes retention was about to blank when the index was saved (the
    /// dropped entries' lines, before `head`): finished on the next open if
    /// a writer stopped in between.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    blanking: Option<(u64, u64)>,
}

impl Index {
    const EMPTY: Self = Self {
        size: EMPTY.len() as u64,
        head: HEADER_LEN,
        count: 0,
        generation: 0,
        last_seq: 0,
        last_link: String::new(),
        last_keyed: None,
        anchor: None,
        stamp: 0,
        blanking: None,
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

#[cfg(test)]
mod tests {
    use super::index::checksum;
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
    fn a_seq_edited_past_2_53_stops_appends_instead_of_wrapping() {
        let (dir, storage) = setup();
        append(&storage, &Settings::default(), at(0), &run("a.one")).unwrap();
        let path = dir.path().join(LOG_PATH);
        let text = std::fs::read_to_string(&path).unwrap();
        let edited = text.replace("\"seq\":1,", &format!("\"seq\":{},", u64::MAX));
        assert_ne!(edited, text);
        std::fs::write(&path, &edited).unwrap();
        let refused = append(&storage, &Settings::default(), at(1), &run("b.two")).unwrap_err();
        assert!(
            matches!(&refused, AuditError::Corrupt(m) if m.contains("past 2^53")),
            "{refused:?}"
        );
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            edited,
            "nothing written"
        );
    }

    #[test]
    fn repairing_a_whole_log_writes_nothing() {
        let (dir, storage) = setup();
        for (i, name) in ["a.one", "b.two", "c.three"].iter().enumerate() {
            append(&storage, &max(2), at(i as u32), &run(name)).unwrap();
        }
        let files = || [LOG_PATH, STATE_PATH].map(|path| std::fs::read(dir.path().join(path)).ok());
        // The first may finish what retention left to do (blanking the
        // dropped entries); after it, the log is whole and its index current.
        repair(&storage, &max(2), at(9)).unwrap();
        let before = files();
        for _ in 0..2 {
            assert!(repair(&storage, &max(2), at(9)).unwrap().is_empty());
            assert_eq!(files(), before, "repair wrote");
        }
        // A missing index is what repair rebuilds, once.
        std::fs::remove_file(dir.path().join(STATE_PATH)).unwrap();
        repair(&storage, &max(2), at(9)).unwrap();
        let rebuilt = files();
        assert!(rebuilt[1].is_some());
        repair(&storage, &max(2), at(9)).unwrap();
        assert_eq!(files(), rebuilt);
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
    fn a_secret_in_a_skill_name_is_redacted_like_any_other_string() {
        let (dir, storage) = setup();
        let leaky = run("deploy.sk_live_4eC39HqLyjWDarjtT1zdp7dc");
        append(&storage, &Settings::default(), at(0), &leaky).unwrap();
        let entries = read_log(&dir);
        assert_eq!(entries[0]["skill"], "deploy.[REDACTED]");
        assert_eq!(entries[0]["redacted"], serde_json::json!(["skill"]));
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

    /// The index keeps its anchor however big its numbers grow, and an
    /// index written by earlier versions (two copies padded to 512 bytes)
    /// reads the same.
    #[test]
    fn the_index_fits_any_numbers_and_reads_the_earlier_layout() {
        let (dir, storage) = setup();
        let keyed = crate::chain::Chain::keyed(b"0123456789abcdef".to_vec());
        let big = u64::MAX - 1;
        let mut index = Index {
            size: big,
            head: big,
            count: big,
            generation: big,
            last_seq: big,
            last_link: chain::to_hex(&[0xab; 32]),
            last_keyed: Some(true),
            anchor: Some(Anchor::new(&keyed, big, &[0xcd; 32], &[(big, [0xef; 32])])),
            stamp: big - 2,
            blanking: Some((big, big)),
        };
        for _ in 0..2 {
            write_state(&storage, &mut index).unwrap();
            assert_eq!(read_state(&storage).as_ref(), Some(&index));
        }

        let earlier = |index: &Index| {
            let json = serde_json::to_vec(index).unwrap();
            let mut line = [json.as_slice(), b" ", checksum(&json).as_bytes()].concat();
            line.resize(511, b' ');
            line.push(b'\n');
            line
        };
        let old = Index {
            anchor: Some(Anchor::new(&keyed, 7, &[1; 32], &[])),
            stamp: 9,
            ..Index::EMPTY
        };
        let older = Index {
            stamp: 8,
            ..old.clone()
        };
        let path = dir.path().join(STATE_PATH);
        std::fs::write(&path, [earlier(&old), earlier(&older)].concat()).unwrap();
        assert_eq!(read_state(&storage), Some(old.clone()));
        // The next write goes over the older copy's place; both stay readable.
        let mut next = old.clone();
        write_state(&storage, &mut next).unwrap();
        assert_eq!(read_state(&storage), Some(next));
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

    /// Twenty sealed entries; returns the file's bytes.
    fn twenty(dir: &tempfile::TempDir, storage: &FsStorage) -> Vec<u8> {
        for i in 0..20 {
            append(storage, &Settings::default(), at(i), &run("a.step")).unwrap();
        }
        std::fs::read(dir.path().join(LOG_PATH)).unwrap()
    }

    fn seqs(entries: &[Value]) -> Vec<u64> {
        entries.iter().filter_map(|e| e["seq"].as_u64()).collect()
    }

    fn verifies(storage: &FsStorage) -> bool {
        let report = crate::verify::verify(
            storage,
            &Settings::default().chain,
            chrono::Utc::now(),
            Some(&crate::query::Source::Skills),
            &[],
        )
        .unwrap();
        report.problem.is_none()
    }

    #[test]
    fn damaged_logs_keep_every_intact_entry_and_move_the_rest_aside() {
        let whole = {
            let (dir, storage) = setup();
            twenty(&dir, &storage)
        };
        let lines: Vec<&[u8]> = whole.split(|&b| b == b'\n').collect();
        let garbage_inserted = [
            &lines[..8].join(&b'\n'),
            b"\n\x00garbage{{\n".as_slice(),
            &lines[8..].join(&b'\n'),
        ]
        .concat();
        let half = whole.len() / 2;
        // (damage, bytes moved aside, entries kept, still verifies)
        type Case<'a> = (&'static str, Vec<u8>, Option<&'a [u8]>, usize, bool);
        let cases: Vec<Case> = vec![
            (
                "two bytes cut",
                whole[..whole.len() - 2].to_vec(),
                None,
                20,
                true,
            ),
            (
                "half cut",
                whole[..half].to_vec(),
                Some(&whole[whole[..half].iter().rposition(|&b| b == b'{').unwrap()..half]),
                0,
                true,
            ),
            ("zero length", Vec::new(), None, 0, false),
            (
                "an object",
                br#"{"entries": 3}"#.to_vec(),
                Some(br#"{"entries": 3}"#.as_slice()),
                0,
                false,
            ),
            (
                "garbage line",
                garbage_inserted,
                Some(b"\x00garbage{{\n".as_slice()),
                20,
                true,
            ),
        ];
        for (name, damaged, aside, kept, verifies_after) in cases {
            let (dir, storage) = setup();
            twenty(&dir, &storage);
            let path = dir.path().join(LOG_PATH);
            std::fs::write(&path, &damaged).unwrap();
            // Reading refuses, naming the damage, and changes nothing.
            let err = open_for_reading(&storage).err().expect(name);
            assert!(
                matches!(&err, AuditError::Corrupt(m) if m.contains("auditlog repair")),
                "{name}: {err}"
            );
            assert_eq!(std::fs::read(&path).unwrap(), damaged, "{name}");

            let receipt = append(&storage, &Settings::default(), at(30), &run("b.next")).unwrap();
            assert_eq!(receipt.recovered.len(), 1, "{name}");
            let recovery = &receipt.recovered[0];
            let entries = read_log(&dir);
            let kept_now = if name == "half cut" {
                entries.len() - 2
            } else {
                kept
            };
            assert_eq!(recovery.kept as usize, kept_now, "{name}");
            if name != "half cut" {
                assert_eq!(entries.len(), kept + 2, "{name}");
            }
            // Intact entries are the originals, in order.
            let expected: Vec<u64> = (1..=kept_now as u64).collect();
            assert_eq!(seqs(&entries[..kept_now]), expected, "{name}");
            let recorded = &entries[kept_now];
            assert_eq!(recorded["skill"], "auditlog.recovery", "{name}");
            assert_eq!(recorded["status"], "recovered", "{name}");
            assert_eq!(entries[kept_now + 1]["skill"], "b.next", "{name}");
            match aside {
                Some(bytes) => {
                    let moved = recovery.moved_to.as_deref().unwrap();
                    assert_eq!(moved, ".damaged.audit_log.1");
                    assert_eq!(
                        std::fs::read(dir.path().join(moved)).unwrap(),
                        bytes,
                        "{name}"
                    );
                    assert_eq!(recorded["metadata"]["moved_to"], moved, "{name}");
                }
                None => assert_eq!(recovery.moved_to, None, "{name}"),
            }
            assert_eq!(verifies(&storage), verifies_after, "{name}");
        }
    }

    #[test]
    fn repair_finds_damage_in_the_middle_that_appends_do_not_read() {
        let (dir, storage) = setup();
        let whole = twenty(&dir, &storage);
        let text = String::from_utf8(whole).unwrap();
        let damaged =
            text.replacen("\"seq\":5,", "\"seq\":5,\u{1}", 1)
                .replacen(",\n", ",\nnot json\n", 1);
        std::fs::write(dir.path().join(LOG_PATH), &damaged).unwrap();
        let recovered = repair(&storage, &Settings::default(), at(40)).unwrap();
        assert_eq!(recovered.len(), 1);
        assert_eq!(recovered[0].kept, 19);
        let entries = read_log(&dir);
        assert_eq!(entries.len(), 20);
        assert!(!seqs(&entries).contains(&5));
        assert_eq!(repair(&storage, &Settings::default(), at(41)).unwrap(), []);
    }

    #[test]
    fn a_failed_write_leaves_the_log_as_it_was() {
        use crate::storage::faulty::{Fault, FaultyStorage};
        for fault in [Fault::ShortWrite, Fault::NoSpace, Fault::Io] {
            for n in 1..=12 {
                let (dir, storage) = setup();
                twenty(&dir, &storage);
                let before = std::fs::read(dir.path().join(LOG_PATH)).unwrap();
                let faulty = FaultyStorage::new(&storage, fault, n);
                let result = append(&faulty, &max(15), at(50), &run("c.fails"));
                let after = read_log(&dir);
                match result {
                    Err(e) => {
                        assert!(matches!(e, AuditError::Storage(_)), "{fault:?} at {n}: {e}");
                        assert_eq!(
                            std::fs::read(dir.path().join(LOG_PATH)).unwrap(),
                            before,
                            "{fault:?} at {n}"
                        );
                    }
                    Ok(receipt) => assert_eq!(
                        after.last().unwrap(),
                        &serde_json::from_str::<Value>(&receipt.entry).unwrap()
                    ),
                }
                // The next call succeeds and the chain holds.
                let receipt = append(&storage, &max(15), at(51), &run("d.next")).unwrap();
                assert!(
                    receipt.recovered.is_empty(),
                    "{fault:?} at {n}: {:?}",
                    receipt.recovered
                );
                let entries = read_log(&dir);
                assert_eq!(entries.len(), 15, "{fault:?} at {n}");
                assert!(verifies(&storage), "{fault:?} at {n}");
            }
        }
    }

    /// The skill log as every reader sees it, through a storage that
    /// refuses every change: recent entries newest first, stats' total and
    /// verify's problem.
    fn read_through_read_only(dir: &std::path::Path) -> (Vec<Value>, u64, Option<String>) {
        use crate::query::{Filter, Query, Source};
        use crate::storage::read_only::ReadOnlyStorage;
        let logs =
            crate::Engine::with_clock(ReadOnlyStorage(FsStorage::new(dir)), Box::new(|| at(59)));
        let filter = Filter::new(Source::Skills);
        let page = logs
            .recent(&Query {
                filter: filter.clone(),
                limit: Some(1000),
                cursor: None,
            })
            .expect("recent on a read-only directory");
        let stats = logs.stats(&filter).expect("stats on a read-only directory");
        let report = logs
            .verify(Some(&Source::Skills), &[])
            .expect("verify on a read-only directory");
        let entries = page
            .entries
            .iter()
            .map(|e| serde_json::from_str(e).unwrap())
            .collect();
        (
            entries,
            stats.total,
            report.problem.map(|p| format!("{}: {}", p.file, p.reason)),
        )
    }

    /// Attack: a reader pointed at a log a writer never indexed (the seed's
    /// pretty-printed file, an index deleted or out of date, an empty file)
    /// tries to "fix" it. Every read works on a directory that refuses every
    /// change, and the directory is byte for byte, file for file and mtime
    /// for mtime as it was.
    #[test]
    fn reads_write_nothing_whatever_state_the_log_is_in() {
        use crate::storage::read_only::snapshot;
        let seed_entries: Vec<Value> = serde_json::from_str(SEED_TEXT).unwrap();
        type Case = (&'static str, fn(&tempfile::TempDir, &FsStorage), usize);
        let cases: [Case; 4] = [
            (
                "seed-written, pretty-printed, no index, no lock file",
                |dir, _| std::fs::write(dir.path().join(LOG_PATH), SEED_TEXT).unwrap(),
                2,
            ),
            (
                "index deleted",
                |dir, storage| {
                    twenty(dir, storage);
                    std::fs::remove_file(dir.path().join(STATE_PATH)).unwrap();
                },
                20,
            ),
            (
                "index out of date",
                |dir, storage| {
                    for i in 0..10 {
                        append(storage, &Settings::default(), at(i), &run("a.step")).unwrap();
                    }
                    let old = std::fs::read(dir.path().join(STATE_PATH)).unwrap();
                    for i in 10..20 {
                        append(storage, &Settings::default(), at(i), &run("a.step")).unwrap();
                    }
                    std::fs::write(dir.path().join(STATE_PATH), old).unwrap();
                },
                20,
            ),
            (
                "an empty file, no index",
                |dir, _| std::fs::write(dir.path().join(LOG_PATH), b"").unwrap(),
                0,
            ),
        ];
        for (name, make, count) in cases {
            let (dir, storage) = setup();
            make(&dir, &storage);
            let before = snapshot(dir.path());
            let (entries, total, problem) = read_through_read_only(dir.path());
            assert_eq!(
                snapshot(dir.path()),
                before,
                "{name}: the directory changed"
            );
            assert_eq!((entries.len(), total), (count, count as u64), "{name}");
            // What readers see is what they see once a writer has laid the
            // log out and indexed it (`repair` on a copy).
            let copy = tempfile::tempdir().unwrap();
            for (path, (bytes, _)) in &before {
                if let Some(bytes) = bytes {
                    std::fs::write(copy.path().join(path), bytes).unwrap();
                }
            }
            repair(&FsStorage::new(copy.path()), &Settings::default(), at(59)).unwrap();
            assert_eq!(
                read_through_read_only(copy.path()),
                (entries.clone(), total, problem.clone()),
                "{name}"
            );
            if count == 2 {
                // The seed's entries, each whole, newest first.
                let newest_first: Vec<Value> = seed_entries.iter().rev().cloned().collect();
                assert_eq!(entries, newest_first, "{name}");
            }
            // A writer then continues the same log, and reads agree with it.
            append(&storage, &Settings::default(), at(58), &run("z.last")).unwrap();
            let (after, _, problem) = read_through_read_only(dir.path());
            assert_eq!(after.len(), count + 1, "{name}");
            assert_eq!(after[1..], entries[..], "{name}");
            if count != 2 {
                assert_eq!(problem, None, "{name}: sealed entries verify");
            }
        }
    }

    /// A log as the seed's `audit_log.py` writes it: `json.dump(indent=2)`.
    const SEED_TEXT: &str = r#"[
  {
    "timestamp": "2025-10-23T12:30:00.000Z",
    "skill": "workflow.validate",
    "status": "success",
    "duration_ms": 150
  },
  {
    "timestamp": "2025-10-23T12:31:00.000Z",
    "skill": "workflow.compose",
    "status": "failed",
    "errors": ["Step 3 failed"],
    "metadata": {"workflow": "example.yaml", "steps": [1, 2]}
  }
]"#;

    /// Attack: the disk is full when the very first entry is recorded. The
    /// call fails, and no `audit_log.json` (nor index) is left behind, at
    /// whichever step the disk fills; where the call succeeds, the entry is
    /// there.
    #[test]
    fn a_first_append_on_a_full_disk_leaves_no_log() {
        use crate::storage::faulty::{Fault, FaultyStorage};
        for fault in [Fault::NoSpace, Fault::ShortWrite] {
            for n in 1..=6 {
                let (dir, storage) = setup();
                let faulty = FaultyStorage::new(&storage, fault, n);
                match append(&faulty, &Settings::default(), at(0), &run("a.first")) {
                    Err(e) => {
                        assert!(matches!(e, AuditError::Storage(_)), "{fault:?} at {n}: {e}");
                        let left: Vec<_> = std::fs::read_dir(dir.path())
                            .unwrap()
                            .map(|e| e.unwrap().file_name().into_string().unwrap())
                            .collect();
                        assert_eq!(left, [LOCK_PATH], "{fault:?} at {n}: only the lock file");
                    }
                    Ok(receipt) => {
                        let entries = read_log(&dir);
                        assert_eq!(entries.len(), 1, "{fault:?} at {n}");
                        assert_eq!(
                            entries[0],
                            serde_json::from_str::<Value>(&receipt.entry).unwrap()
                        );
                    }
                }
                append(&storage, &Settings::default(), at(1), &run("b.next")).unwrap();
                assert!(verifies(&storage), "{fault:?} at {n}");
            }
        }
    }

    /// Attack: the disk fills while the first append lays out a file the
    /// seed wrote. Either the call fails and the seed's file is byte for
    /// byte as it was, with no index or temporary file left, or it succeeds
    /// and every entry is there.
    #[test]
    fn a_seed_file_is_left_as_it_was_when_the_first_append_fails() {
        use crate::storage::faulty::{Fault, FaultyStorage};
        let mut failed = 0;
        for fault in [Fault::NoSpace, Fault::ShortWrite] {
            for n in 1..=8 {
                let (dir, storage) = setup();
                std::fs::write(dir.path().join(LOG_PATH), SEED_TEXT).unwrap();
                let faulty = FaultyStorage::new(&storage, fault, n);
                match append(&faulty, &Settings::default(), at(40), &run("c.next")) {
                    Err(_) => {
                        failed += 1;
                        let mut left: Vec<String> = std::fs::read_dir(dir.path())
                            .unwrap()
                            .map(|e| e.unwrap().file_name().into_string().unwrap())
                            .collect();
                        left.sort();
                        assert_eq!(left, [LOCK_PATH, LOG_PATH], "{fault:?} at {n}");
                        assert_eq!(
                            std::fs::read_to_string(dir.path().join(LOG_PATH)).unwrap(),
                            SEED_TEXT,
                            "{fault:?} at {n}"
                        );
                    }
                    Ok(receipt) => {
                        assert_eq!(receipt.total_entries, 3, "{fault:?} at {n}");
                        assert_eq!(read_log(&dir).len(), 3, "{fault:?} at {n}");
                    }
                }
            }
        }
        assert!(failed > 0);
    }

    /// Attack: the disk fills while an append repairs a damaged log. Either
    /// the call fails and the damaged log is byte for byte as it was, with
    /// nothing moved aside, or it succeeds having repaired it.
    #[test]
    fn a_damaged_log_is_left_as_it_was_when_the_repairing_append_fails() {
        use crate::storage::faulty::{Fault, FaultyStorage};
        let mut failed = 0;
        for fault in [Fault::NoSpace, Fault::ShortWrite] {
            for n in 1..=8 {
                let (dir, storage) = setup();
                let whole = String::from_utf8(twenty(&dir, &storage)).unwrap();
                let damaged = whole.replacen(",\n", ",\n\u{0}garbage{{\n", 1);
                std::fs::write(dir.path().join(LOG_PATH), &damaged).unwrap();
                let state = std::fs::read(dir.path().join(STATE_PATH)).unwrap();
                let faulty = FaultyStorage::new(&storage, fault, n);
                match append(&faulty, &Settings::default(), at(40), &run("c.next")) {
                    Err(_) => {
                        failed += 1;
                        let mut left: Vec<String> = std::fs::read_dir(dir.path())
                            .unwrap()
                            .map(|e| e.unwrap().file_name().into_string().unwrap())
                            .collect();
                        left.sort();
                        assert_eq!(left, [LOCK_PATH, STATE_PATH, LOG_PATH], "{fault:?} at {n}");
                        let now = std::fs::read_to_string(dir.path().join(LOG_PATH)).unwrap();
                        assert_eq!(now, damaged, "{fault:?} at {n}");
                        let index = std::fs::read(dir.path().join(STATE_PATH)).unwrap();
                        assert_eq!(index, state, "{fault:?} at {n}");
                    }
                    Ok(receipt) => {
                        assert_eq!(receipt.recovered.len(), 1, "{fault:?} at {n}");
                        assert_eq!(read_log(&dir).len(), 22, "{fault:?} at {n}");
                        break;
                    }
                }
            }
        }
        assert!(failed > 0);
    }

    /// Attack: the disk fills after the entry is written, while retention
    /// or the index is being updated. The call says so truthfully: the
    /// entry is stored and the receipt succeeds with a warning; the next
    /// append finishes the job.
    #[test]
    fn housekeeping_that_fails_after_the_write_is_a_warning() {
        use crate::storage::faulty::{Fault, FaultyStorage};
        let mut warned = 0;
        for n in 1..=8 {
            let (dir, storage) = setup();
            twenty(&dir, &storage);
            let before = std::fs::read(dir.path().join(LOG_PATH)).unwrap();
            let faulty = FaultyStorage::new(&storage, Fault::NoSpace, n);
            match append(&faulty, &max(15), at(50), &run("c.fails")) {
                Err(_) => assert_eq!(
                    std::fs::read(dir.path().join(LOG_PATH)).unwrap(),
                    before,
                    "at {n}: a failure wrote nothing"
                ),
                Ok(receipt) => {
                    let entries = read_log(&dir);
                    assert_eq!(
                        entries.last().unwrap(),
                        &serde_json::from_str::<Value>(&receipt.entry).unwrap(),
                        "at {n}: a success stored its entry"
                    );
                    if !receipt.warnings.is_empty() {
                        warned += 1;
                        assert!(
                            receipt.warnings[0].contains("no space left"),
                            "at {n}: {:?}",
                            receipt.warnings
                        );
                    }
                }
            }
            let receipt = append(&storage, &max(15), at(51), &run("d.next")).unwrap();
            assert_eq!(receipt.warnings, Vec::<String>::new(), "at {n}");
            assert_eq!(read_log(&dir).len(), 15, "at {n}: retention caught up");
            assert!(verifies(&storage), "at {n}");
        }
        assert!(warned > 0, "some fault fell after the write");
    }

    #[test]
    fn a_batch_is_checked_whole_then_written_at_once() {
        use crate::storage::counting::CountingStorage;
        let dir = tempfile::tempdir().unwrap();
        let storage = CountingStorage::new(FsStorage::new(dir.path()));
        let settings = max(5);
        append(&storage, &settings, at(0), &run("a.first")).unwrap();
        let before = std::fs::read(dir.path().join(LOG_PATH)).unwrap();

        let mut refused = vec![run("b.one"), run("b.two")];
        refused[1].status = "Not A Status".into();
        let err = append_many(&storage, &settings, at(1), &refused).unwrap_err();
        assert!(
            matches!(&err, AuditError::Invalid { field, .. } if field == "runs[1].status"),
            "{err}"
        );
        assert_eq!(std::fs::read(dir.path().join(LOG_PATH)).unwrap(), before);
        assert!(
            append_many(&storage, &settings, at(1), &[])
                .unwrap()
                .is_empty()
        );

        storage.counts.reset();
        append(&storage, &settings, at(1), &run("a.second")).unwrap();
        let one_append = storage.counts.writes.get();
        let seqs = |receipts: &[SkillReceipt]| -> Vec<u64> {
            receipts
                .iter()
                .map(|r| {
                    serde_json::from_str::<Value>(&r.entry).unwrap()["seq"]
                        .as_u64()
                        .unwrap()
                })
                .collect()
        };
        let runs: Vec<SkillRun> = (0..6).map(|i| run(&format!("c.{i}"))).collect();
        storage.counts.reset();
        let receipts = append_many(&storage, &settings, at(2), &runs[..2]).unwrap();
        assert_eq!(
            storage.counts.writes.get(),
            one_append,
            "as many writes as one append"
        );
        assert_eq!(seqs(&receipts), [3, 4]);
        assert!(receipts.iter().all(|r| r.total_entries == 4));

        let receipts = append_many(&storage, &settings, at(3), &runs[2..]).unwrap();
        assert_eq!(seqs(&receipts), [5, 6, 7, 8]);
        assert!(receipts.iter().all(|r| r.total_entries == 5));
        // Retention ran once, after the batch: the newest five stay.
        let skills: Vec<Value> = read_log(&dir).iter().map(|e| e["skill"].clone()).collect();
        assert_eq!(skills, ["c.1", "c.2", "c.3", "c.4", "c.5"]);
        let report = crate::verify::verify(
            &storage,
            &settings.chain,
            chrono::Utc::now(),
            Some(&crate::query::Source::Skills),
            &[],
        )
        .unwrap();
        assert_eq!((report.entries, report.problem), (5, None));
    }

    /// A writer that stopped after saving the index but before blanking
    /// leaves the dropped entries in place, before the head: they verify,
    /// checked from the anchor's link, and an edit to them does not.
    #[test]
    fn dropped_entries_a_stopped_writer_left_unblanked_are_checked() {
        let (dir, storage) = setup();
        let settings = Settings {
            chain: crate::chain::Chain::keyed(b"0123456789abcdef".to_vec()),
            ..max(5)
        };
        for i in 0..11 {
            append(&storage, &settings, at(i), &run(&format!("s{i}"))).unwrap();
        }
        let before = std::fs::read(dir.path().join(LOG_PATH)).unwrap();
        append(&storage, &settings, at(11), &run("s11")).unwrap();
        let mut index = read_state(&storage).unwrap();
        let (start, end) = index.blanking.take().expect("the last drop is recorded");
        let (start, end) = (start as usize, end as usize);
        write_state(&storage, &mut index).unwrap();
        let path = dir.path().join(LOG_PATH);
        let mut crashed = std::fs::read(&path).unwrap();
        crashed[start..end].copy_from_slice(&before[start..end]);
        std::fs::write(&path, &crashed).unwrap();
        let check = || {
            crate::verify::verify(
                &storage,
                &settings.chain,
                chrono::Utc::now(),
                Some(&crate::query::Source::Skills),
                &[],
            )
            .unwrap()
        };
        let report = check();
        assert_eq!(report.problem, None);
        assert_eq!(
            report.entries, 6,
            "the unblanked entry and the five live ones"
        );
        let text = String::from_utf8(crashed).unwrap();
        std::fs::write(&path, text.replacen("\"s6\"", "\"s9\"", 1)).unwrap();
        let problem = check().problem.expect("an edit is caught");
        let line = text[..start].matches('\n').count() as u64 + 1;
        assert_eq!(
            (problem.file.as_str(), problem.line),
            (LOG_PATH, line),
            "{}",
            problem.reason
        );
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
