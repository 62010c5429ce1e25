//! Keyed mode against someone who can write the log directory but has no
//! key: nothing they add, put back or edit around a retention anchor
//! verifies, a writer without the key cannot extend a keyed chain, and a key
//! file that is empty or reachable from the log directory is refused.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::support::{Cli, Run};

const KEY: &str = "a secret key that is long enough\n";
const NOW: &str = "2025-10-23T18:00:00Z";

/// A keyed log: alice's tool calls on 20–23 October (three a day) of which
/// retention (`--max-days 2`) deleted the first two days, twelve skill runs
/// of which `--max-entries 5` kept the newest five, and a checkpoint taken
/// after both. Returns the key file, the checkpoint and the day files
/// retention deleted, as they were.
struct Keyed {
    cli: Cli,
    key: String,
    checkpoint: String,
    deleted: BTreeMap<String, String>,
    /// The tool log's anchor after the first retention.
    older_anchor: Vec<u8>,
    state: BTreeMap<PathBuf, Vec<u8>>,
}

impl Keyed {
    fn new() -> Self {
        let cli = Cli::new();
        let key = cli.outside().join("chain.key");
        crate::support::write_secret(&key, KEY).unwrap();
        let key = key.to_str().unwrap().to_owned();
        for day in 20..=23 {
            for hour in 10..13 {
                let at = format!("2025-10-{day}T{hour}:00:00Z");
                let tool = format!("t{hour}");
                cli.run_at(
                    &at,
                    &[
                        "--key-file",
                        &key,
                        "tool",
                        "--user",
                        "alice",
                        "--tool",
                        &tool,
                        "--status",
                        "ok",
                    ],
                )
                .success();
            }
        }
        let mut deleted = BTreeMap::new();
        for day in ["2025-10-20", "2025-10-21"] {
            deleted.insert(
                day.to_owned(),
                std::fs::read_to_string(day_path(&cli, day)).unwrap(),
            );
        }
        // Two retentions: the first deletes one day, the second another.
        cli.run_at(NOW, &["--key-file", &key, "--max-days", "3", "rotate"])
            .success();
        let older_anchor = std::fs::read(cli.dir().join("alice/tool_audit/.retention")).unwrap();
        cli.run_at(NOW, &["--key-file", &key, "--max-days", "2", "rotate"])
            .success();
        assert!(!day_path(&cli, "2025-10-21").exists(), "retention ran");
        for i in 0..12 {
            cli.run_at(
                NOW,
                &[
                    "--key-file",
                    &key,
                    "record",
                    "--max-entries",
                    "5",
                    &format!("s.{i}"),
                    "success",
                ],
            )
            .success();
        }
        assert_eq!(cli.skill_log().len(), 5, "retention ran");
        let checkpoint = cli.outside().join("checkpoint.json");
        let checkpoint = checkpoint.to_str().unwrap().to_owned();
        let run = cli
            .run(&["--key-file", &key, "verify", "--checkpoint", &checkpoint])
            .success();
        assert_eq!(
            run.stdout, "13 entries verified\n",
            "6 tool calls and two retention records, 5 skill runs"
        );
        let state = cli.snapshot();
        Self {
            cli,
            key,
            checkpoint,
            deleted,
            older_anchor,
            state,
        }
    }

    /// Alice's tool call `t`, written at [`NOW`] with the log's key.
    fn tool_now(&self) -> Run {
        let args = ["--user", "alice", "--tool", "t", "--status", "ok"];
        self.cli.run_at(
            NOW,
            &[&["--key-file", &self.key, "tool"][..], &args].concat(),
        )
    }

    /// Skill run `s`, written at [`NOW`] with the log's key.
    fn record_now(&self) -> Run {
        self.cli
            .run_at(NOW, &["--key-file", &self.key, "record", "s", "success"])
    }

    fn verify(&self) -> Run {
        self.cli.run(&[
            "--key-file",
            &self.key,
            "verify",
            "--checkpoint",
            &self.checkpoint,
        ])
    }

    /// Asserts `verify --checkpoint` fails naming `file` and `line`, then
    /// puts the log directory back as it was after the setup.
    #[track_caller]
    fn refuses(&self, attack: &str, file: &str, line: u64, why: &str) {
        let run = self.verify();
        assert_eq!(run.code, 1, "{attack}: {run:?}");
        let at = match line {
            0 => format!("verification failed: {file}: "),
            line => format!("verification failed: {file} line {line} "),
        };
        assert!(
            run.stderr.contains(&at),
            "{attack}: expected {at:?} in {:?}",
            run.stderr
        );
        assert!(
            run.stderr.contains(why),
            "{attack}: expected {why:?} in {:?}",
            run.stderr
        );
        self.restore();
        self.verify().success();
    }

    fn restore(&self) {
        for path in self.cli.snapshot().keys() {
            if !self.state.contains_key(path) {
                std::fs::remove_file(path).unwrap();
            }
        }
        for (path, bytes) in &self.state {
            std::fs::write(path, bytes).unwrap();
        }
    }

    fn day(&self, day: &str) -> PathBuf {
        day_path(&self.cli, day)
    }

    /// The tool log's retention anchor.
    fn tool_anchor(&self) -> Value {
        let text = std::fs::read(self.cli.dir().join("alice/tool_audit/.retention")).unwrap();
        serde_json::from_slice(&text).unwrap()
    }
}

fn day_path(cli: &Cli, day: &str) -> PathBuf {
    cli.dir().join(format!("alice/tool_audit/{day}.jsonl"))
}

/// A tool entry nobody recorded, sealed with `seq` and the hex `mac` given.
fn invented_tool_entry(day: &str, seq: u64, mac: &str) -> String {
    json!({
        "ts": format!("{day}T00:00:00.000Z"), "user": "alice", "tool": "invented",
        "args": {}, "status": "ok", "result_chars": 0, "result_snippet": "",
        "seq": seq, "mac": mac,
    })
    .to_string()
}

/// `link` as a plain SHA-256 chain would compute it, in hex.
fn sha256_link(prev: &[u8; 32], canonical: &str) -> String {
    Sha256::new()
        .chain_update(prev)
        .chain_update(canonical.as_bytes())
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn nothing_can_be_added_at_or_below_the_tool_logs_retention_anchor() {
    let log = Keyed::new();
    let anchor = log.tool_anchor();
    let (seq, link) = (
        anchor["seq"].as_u64().unwrap(),
        anchor["link"].as_str().unwrap(),
    );
    assert_eq!(seq, 6, "retention deleted two days of three calls");
    // (a) An entry copying the anchor's seq and link, before the first kept
    // entry, stamped on the file's day so that only its link can give it away.
    let copied = invented_tool_entry("2025-10-22", seq, link);
    let first_kept = log.day("2025-10-22");
    let kept = std::fs::read_to_string(&first_kept).unwrap();
    std::fs::write(&first_kept, format!("{copied}\n{kept}")).unwrap();
    log.refuses(
        "anchor copied into the first kept file",
        "alice/tool_audit/2025-10-22.jsonl",
        1,
        "retention dropped",
    );
    // … or in a day file of its own, named for a deleted day.
    let copied = invented_tool_entry("2025-10-21", seq, link);
    std::fs::write(log.day("2025-10-21"), format!("{copied}\n")).unwrap();
    log.refuses(
        "anchor copied into a deleted day's file",
        "alice/tool_audit/2025-10-21.jsonl",
        1,
        "retention dropped",
    );
    // … with any seq below it, in a file of its own.
    for forged_seq in [1, 3, 5] {
        let forged = invented_tool_entry("2025-10-19", forged_seq, link);
        std::fs::write(log.day("2025-10-19"), format!("{forged}\n")).unwrap();
        log.refuses(
            &format!("seq {forged_seq} invented"),
            "alice/tool_audit/2025-10-19.jsonl",
            1,
            "retention dropped",
        );
    }
    // … or a whole new chain from seq 1, recomputed with SHA-256 (no key).
    let mut entry: serde_json::Map<String, Value> =
        serde_json::from_str(&invented_tool_entry("2025-10-19", 1, "")).unwrap();
    entry.remove("mac");
    let canonical = serde_json::to_string(&entry.iter().collect::<BTreeMap<_, _>>()).unwrap();
    entry.insert("mac".into(), sha256_link(&[0; 32], &canonical).into());
    std::fs::write(log.day("2025-10-19"), format!("{}\n", Value::Object(entry))).unwrap();
    log.refuses(
        "a recomputed chain from seq 1",
        "alice/tool_audit/2025-10-19.jsonl",
        1,
        "retention dropped",
    );
}

#[test]
fn a_day_file_retention_deleted_cannot_be_put_back() {
    let log = Keyed::new();
    // (c) Put back as it was: its entries were written with the key, but
    // retention finished deleting it, so it is not part of the log any more.
    std::fs::write(log.day("2025-10-21"), &log.deleted["2025-10-21"]).unwrap();
    log.refuses(
        "a deleted file put back unedited",
        "alice/tool_audit/2025-10-21.jsonl",
        1,
        "put back from a copy",
    );
    for day in ["2025-10-20", "2025-10-21"] {
        std::fs::write(log.day(day), &log.deleted[day]).unwrap();
    }
    log.refuses(
        "both deleted files put back unedited",
        "alice/tool_audit/2025-10-20.jsonl",
        1,
        "put back from a copy",
    );
    // … with the anchor replaced by the copy from before that deletion.
    std::fs::write(log.day("2025-10-21"), &log.deleted["2025-10-21"]).unwrap();
    std::fs::write(
        log.cli.dir().join("alice/tool_audit/.retention"),
        &log.older_anchor,
    )
    .unwrap();
    log.refuses(
        "a deleted file put back with an older anchor",
        "alice/tool_audit/.retention",
        0,
        "an older copy",
    );
    // Put back with its first entry edited.
    let edited = log.deleted["2025-10-21"].replacen("\"t10\"", "\"t99\"", 1);
    assert_ne!(edited, log.deleted["2025-10-21"]);
    std::fs::write(log.day("2025-10-21"), edited).unwrap();
    log.refuses(
        "a deleted file put back with its first entry edited",
        "alice/tool_audit/2025-10-21.jsonl",
        1,
        "retention dropped",
    );
}

/// Without its retention anchor (as a shipped copy has none), a log still
/// verifies only if its chain runs whole from seq 1: files deleted along
/// with the anchor are named as removed entries, whichever files they are,
/// and so is a put-back file that was edited. (Every deleted file put back
/// unedited with the anchor removed is a shipped copy's shape: it verifies,
/// every entry there and checked by its MAC.)
#[test]
fn files_deleted_with_the_anchor_are_named() {
    let log = Keyed::new();
    let anchor = log.cli.dir().join("alice/tool_audit/.retention");
    std::fs::remove_file(&anchor).unwrap();
    log.refuses(
        "the anchor removed",
        "alice/tool_audit/2025-10-22.jsonl",
        1,
        "the chain starts at seq 1: entries 1 to 6 were removed",
    );
    std::fs::remove_file(&anchor).unwrap();
    std::fs::remove_file(log.day("2025-10-22")).unwrap();
    log.refuses(
        "the anchor and the oldest kept file removed",
        "alice/tool_audit/2025-10-23.jsonl",
        1,
        "the chain starts at seq 1: entries 1 to 9 were removed",
    );
    std::fs::remove_file(&anchor).unwrap();
    std::fs::write(log.day("2025-10-21"), &log.deleted["2025-10-21"]).unwrap();
    log.refuses(
        "the anchor removed, one of two deleted files put back",
        "alice/tool_audit/2025-10-21.jsonl",
        1,
        "the chain starts at seq 1: entries 1 to 3 were removed",
    );
    std::fs::remove_file(&anchor).unwrap();
    for day in ["2025-10-20", "2025-10-21"] {
        std::fs::write(log.day(day), &log.deleted[day]).unwrap();
    }
    std::fs::remove_file(log.day("2025-10-23")).unwrap();
    log.refuses(
        "the anchor removed, deleted files put back, the newest file removed",
        "alice/tool_audit/2025-10-22.jsonl",
        0,
        "cut from the end",
    );
    std::fs::remove_file(&anchor).unwrap();
    for day in ["2025-10-20", "2025-10-21"] {
        std::fs::write(log.day(day), &log.deleted[day]).unwrap();
    }
    let edited = log.deleted["2025-10-20"].replacen("\"t11\"", "\"t99\"", 1);
    assert_ne!(edited, log.deleted["2025-10-20"]);
    std::fs::write(log.day("2025-10-20"), edited).unwrap();
    log.refuses(
        "the anchor removed, deleted files put back, one edited",
        "alice/tool_audit/2025-10-20.jsonl",
        2,
        "does not match its link",
    );
    std::fs::remove_file(&anchor).unwrap();
    for day in ["2025-10-20", "2025-10-21"] {
        std::fs::write(log.day(day), &log.deleted[day]).unwrap();
    }
    let run = log.verify().success();
    assert_eq!(run.stdout, "19 entries verified\n", "6 more tool calls");
}

/// The skill log's index `.audit_log.state`: copies of one line each,
/// `JSON checksum`, the highest `stamp` winning.
fn read_index(dir: &Path) -> Value {
    let bytes = std::fs::read(dir.join(".audit_log.state")).unwrap();
    bytes
        .split(|&b| b == b'\n')
        .filter_map(|line| {
            let line = std::str::from_utf8(line).ok()?.trim_matches(['\0', ' ']);
            serde_json::from_str::<Value>(line.rsplit_once(' ')?.0).ok()
        })
        .max_by_key(|index| index["stamp"].as_u64())
        .unwrap()
}

/// Rewrites the index through `edit` as one copy with a newer stamp and a
/// checksum that matches, as anyone can.
fn edit_index(dir: &Path, edit: impl FnOnce(&mut Value)) {
    let mut index = read_index(dir);
    edit(&mut index);
    index["stamp"] = (index["stamp"].as_u64().unwrap() + 1).into();
    let json = index.to_string();
    let check: String = Sha256::digest(json.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    std::fs::write(
        dir.join(".audit_log.state"),
        format!("{json} {}\n", &check[..16]),
    )
    .unwrap();
}

#[test]
fn nothing_can_be_written_into_the_skill_logs_blanked_head() {
    let log = Keyed::new();
    let path = log.cli.dir().join("audit_log.json");
    let original = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = original.split('\n').collect();
    let blank = lines
        .iter()
        .position(|l| !l.is_empty() && l.trim().is_empty())
        .expect("retention blanked the oldest entries' lines");
    let anchor = read_index(&log.cli.dir())["anchor"].clone();
    let (through, link) = (
        anchor["seq"].as_u64().unwrap(),
        anchor["link"].as_str().unwrap(),
    );
    assert_eq!(through, 7, "twelve runs, five kept");

    let invented = |seq: u64| {
        json!({"timestamp": "2025-10-23T17:00:00.000Z", "skill": "x", "status": "success", "seq": seq, "mac": link})
            .to_string()
    };
    // (b) Over a blanked line, in place: the index still matches the file.
    for seq in [through, 2] {
        let entry = format!("  {}", invented(seq));
        let width = lines[blank].len() - 1;
        assert!(entry.len() <= width, "{entry}");
        let mut forged: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
        forged[blank] = format!("{entry:<width$},");
        std::fs::write(&path, forged.join("\n")).unwrap();
        log.refuses(
            &format!("seq {seq} written over a blanked line"),
            "audit_log.json",
            blank as u64 + 1,
            "",
        );
    }
    // A new line in the blanked space, the index moved to match — with its
    // head kept on the live entries (queries skip the invented one, jq sees
    // it), or moved onto it (queries return it).
    let inserted = format!("  {},\n", invented(through));
    let offset: usize = lines[..blank].iter().map(|l| l.len() + 1).sum();
    for move_head in [false, true] {
        let mut forged = original.clone();
        forged.insert_str(offset, &inserted);
        std::fs::write(&path, &forged).unwrap();
        let grown = inserted.len() as u64;
        edit_index(log.cli.dir().as_path(), |index| {
            index["size"] = (index["size"].as_u64().unwrap() + grown).into();
            index["blanking"] = Value::Null;
            index["head"] = if move_head {
                (offset as u64).into()
            } else {
                (index["head"].as_u64().unwrap() + grown).into()
            };
        });
        log.refuses(
            &format!("a line inserted into the blanked space, head moved: {move_head}"),
            "audit_log.json",
            blank as u64 + 1,
            "",
        );
    }
    // After the end the index records, where queries do not read.
    let after = format!("{original}  {}\n]\n", invented(13));
    std::fs::write(&path, after).unwrap();
    log.refuses(
        "an entry after the end the index records",
        "audit_log.json",
        0,
        "unreadable bytes",
    );
    // Moving the head forward hides live entries from queries.
    let first_live = lines.iter().position(|l| l.starts_with("  {")).unwrap();
    let second_live: usize = lines[..=first_live].iter().map(|l| l.len() + 1).sum();
    edit_index(log.cli.dir().as_path(), |index| {
        index["head"] = second_live.into()
    });
    log.refuses(
        "head moved past a live entry",
        "audit_log.json",
        first_live as u64 + 1,
        "is not an entry retention dropped",
    );
}

#[test]
fn a_writer_without_the_key_cannot_extend_a_keyed_log() {
    let log = Keyed::new();
    let cli = &log.cli;
    let before = cli.snapshot_logs();
    // (d) A plain entry after keyed ones would make every later keyed
    // verify fail there: refused before anything is written.
    let tool = [
        "tool", "--user", "alice", "--tool", "plain", "--status", "ok",
    ];
    let run = cli.run_at(NOW, &tool).refused("key");
    assert!(
        run.stderr.contains("this log is keyed") && run.stderr.contains("--key-file"),
        "{}",
        run.stderr
    );
    let run = cli
        .run_at(NOW, &["record", "plain.skill", "success"])
        .refused("key");
    assert!(run.stderr.contains("this log is keyed"), "{}", run.stderr);
    assert_eq!(cli.snapshot_logs(), before, "no byte written");
    log.verify().success();
    // Nor through a repair, which seals a recovery entry: of a whole log, or
    // of a damaged one an append would mend first.
    cli.run_at(NOW, &["repair"]).refused("key");
    let skill_log = cli.dir().join("audit_log.json");
    let whole = std::fs::read_to_string(&skill_log).unwrap();
    std::fs::write(&skill_log, whole.replacen("\n  {", "\ngarbage\n  {", 1)).unwrap();
    let before = cli.snapshot_logs();
    let run = cli
        .run_at(NOW, &["record", "plain.skill", "success"])
        .refused("key");
    assert!(run.stderr.contains("this log is keyed"), "{}", run.stderr);
    assert_eq!(cli.snapshot_logs(), before, "no byte written");
    std::fs::write(&skill_log, whole).unwrap();
    let day = log.day("2025-10-23");
    let whole = std::fs::read(&day).unwrap();
    std::fs::write(&day, [whole.as_slice(), b"{\"torn"].concat()).unwrap();
    let before = cli.snapshot();
    cli.run_at(NOW, &tool).refused("key");
    assert_eq!(
        cli.snapshot(),
        before,
        "the torn tail is left for a keyed writer"
    );
    std::fs::write(&day, whole).unwrap();

    // The other way round: a keyed writer does not continue a plain chain.
    cli.run_at(
        NOW,
        &["tool", "--user", "bob", "--tool", "plain", "--status", "ok"],
    )
    .success();
    let before = cli.snapshot_logs();
    let keyed = [
        "--key-file",
        &log.key,
        "tool",
        "--user",
        "bob",
        "--tool",
        "k",
        "--status",
        "ok",
    ];
    let run = cli.run_at(NOW, &keyed).refused("key");
    assert!(
        run.stderr.contains("this log is not keyed"),
        "{}",
        run.stderr
    );
    assert_eq!(cli.snapshot_logs(), before, "no byte written");
}

#[test]
fn an_edited_last_entry_stops_no_keyed_writer_and_verify_still_names_it() {
    // The key check must tell a wrong key from an edited entry: refusing
    // the right key because the last line was edited would let anyone who
    // can write one line stop every write to the log.
    let log = Keyed::new();
    let cli = &log.cli;
    let edit_last = |path: &Path, from: &str, to: &str| {
        let mut text = std::fs::read_to_string(path).unwrap();
        let at = text.rfind(from).unwrap();
        text.replace_range(at..at + from.len(), to);
        std::fs::write(path, text).unwrap();
    };
    edit_last(&day_path(cli, "2025-10-23"), "\"t12\"", "\"t99\"");
    edit_last(&cli.dir().join("audit_log.json"), "\"s.11\"", "\"s.99\"");
    log.tool_now().success();
    log.record_now().success();
    let run = log.verify();
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr
            .contains("audit_log.json line 13 (seq 12): does not match its link"),
        "{}",
        run.stderr
    );
    // The edit undone, the new entries are whole links of the chain: verify
    // now names only the tool log's edited entry.
    edit_last(&cli.dir().join("audit_log.json"), "\"s.99\"", "\"s.11\"");
    let run = log.verify();
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr
            .contains("alice/tool_audit/2025-10-23.jsonl line 3 (seq 12): does not match its link"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_writer_with_another_key_cannot_extend_a_keyed_log() {
    // Key files swapped, or the wrong one passed: an entry sealed under
    // another key would stop every keyed verify at it, the entries the
    // right key writes after it included. Refused before anything is
    // written, retention's deletions included.
    let log = Keyed::new();
    let cli = &log.cli;
    let other = cli.outside().join("other.key");
    crate::support::write_secret(&other, "another key that is long enough\n").unwrap();
    let other = other.to_str().unwrap();
    // One more entry today, so that retention has a day to delete below.
    log.tool_now().success();
    let before = cli.snapshot();
    let writes: [&[&str]; 4] = [
        &["tool", "--user", "alice", "--tool", "t", "--status", "ok"],
        &["record", "s", "success"],
        &["--max-days", "1", "rotate"],
        &["adopt"],
    ];
    for write in writes {
        let args = [&["--key-file", other][..], write].concat();
        let run = cli.run_at(NOW, &args);
        if write[0] == "adopt" {
            // Nothing to adopt writes nothing, whatever the key.
            assert_eq!(cli.snapshot(), before, "{write:?}: no byte written");
            continue;
        }
        let run = run.refused("key");
        assert!(
            run.stderr.contains("does not check out under this key")
                && run.stderr.contains("--key-file"),
            "{write:?}: {}",
            run.stderr
        );
        assert_eq!(cli.snapshot(), before, "{write:?}: no byte written");
    }
    log.verify().success();
    // Nor through a repair of a damaged log, which seals a recovery entry.
    let skill_log = cli.dir().join("audit_log.json");
    let whole = std::fs::read_to_string(&skill_log).unwrap();
    std::fs::write(&skill_log, whole.replacen("\n  {", "\ngarbage\n  {", 1)).unwrap();
    let damaged = cli.snapshot();
    for write in [&["record", "s", "success"][..], &["repair"]] {
        let args = [&["--key-file", other][..], write].concat();
        let run = cli.run_at(NOW, &args).refused("key");
        assert!(
            run.stderr.contains("does not check out under this key"),
            "{write:?}: {}",
            run.stderr
        );
        assert!(cli.snapshot() == damaged, "{write:?}: no byte written");
    }
    std::fs::write(&skill_log, whole).unwrap();
    // The right key still writes, and verify passes.
    log.tool_now().success();
    log.record_now().success();
    log.verify().success();
    // A skill log retention keeps one entry of is checked from its anchor.
    let one = Cli::new();
    let key = one.outside().join("chain.key");
    crate::support::write_secret(&key, KEY).unwrap();
    let key = key.to_str().unwrap();
    for _ in 0..3 {
        let record = [
            "--key-file",
            key,
            "record",
            "--max-entries",
            "1",
            "s",
            "success",
        ];
        one.run_at(NOW, &record).success();
    }
    let before = one.snapshot();
    one.run_at(NOW, &["--key-file", other, "record", "s", "success"])
        .refused("key");
    assert!(one.snapshot() == before, "no byte written");
    // A new user's log has nothing to check against: the other key starts it.
    cli.run_at(
        NOW,
        &[
            "--key-file",
            other,
            "tool",
            "--user",
            "carol",
            "--tool",
            "t",
            "--status",
            "ok",
        ],
    )
    .success();
}

#[test]
fn a_key_file_that_is_empty_or_reachable_from_the_log_directory_is_refused() {
    let cli = Cli::new();
    cli.run(&["tool", "--user", "alice", "--tool", "t", "--status", "ok"])
        .success();
    let before = cli.snapshot();
    let outside = cli.outside();
    let inside = cli.dir().join("chain.key");
    crate::support::write_secret(&inside, KEY).unwrap();
    let before_with_key = cli.snapshot();
    std::fs::create_dir_all(outside.join("keys")).unwrap();
    let empty = outside.join("keys/empty.key");
    crate::support::write_secret(&empty, "").unwrap();
    let blank = outside.join("keys/blank.key");
    crate::support::write_secret(&blank, " \n\t\r\n").unwrap();
    let linked = outside.join("keys/linked.key");
    std::os::unix::fs::symlink(&inside, &linked).unwrap();
    let dotted = outside.join("keys/../logs/./chain.key");
    let hard = outside.join("keys/hard.key");
    std::fs::hard_link(&inside, &hard).unwrap();
    // Any user on the machine could read it and forge a chain that verifies.
    let readable = outside.join("keys/readable.key");
    std::fs::write(&readable, KEY).unwrap();
    std::fs::set_permissions(&readable, std::fs::Permissions::from_mode(0o644)).unwrap();
    let cases: [(&Path, &str); 6] = [
        (
            &empty,
            "is empty: write at least 16 random bytes, e.g. `(umask 077; head -c 32 /dev/urandom >",
        ),
        (
            &blank,
            "holds only whitespace: write at least 16 random bytes",
        ),
        (&linked, "is inside the log directory; keep it outside"),
        (&dotted, "is inside the log directory; keep it outside"),
        (&hard, "hard links"),
        (
            &readable,
            "can be read by every user on this machine (mode 644): `chmod 600 ",
        ),
    ];
    for (key, says) in cases {
        let key = key.to_str().unwrap();
        for args in [
            &[
                "--key-file",
                key,
                "tool",
                "--user",
                "alice",
                "--tool",
                "t",
                "--status",
                "ok",
            ][..],
            &["--key-file", key, "verify"][..],
        ] {
            let run = cli.run(args).refused("--key-file");
            assert!(
                run.stderr.contains(says),
                "{key}: expected {says:?} in {:?}",
                run.stderr
            );
            assert!(run.stderr.contains(key), "names the file: {:?}", run.stderr);
        }
    }
    assert_eq!(cli.snapshot(), before_with_key, "no byte written");
    std::fs::remove_file(&inside).unwrap();
    assert_eq!(cli.snapshot(), before);

    // The library refuses the same files, by the same rule.
    crate::support::write_secret(&inside, KEY).unwrap();
    let err = auditlog::AuditLog::builder(cli.dir())
        .chain_key_file(&linked)
        .open()
        .err()
        .expect("refused");
    assert!(
        matches!(&err, auditlog::Error::Invalid { field, reason } if field == "key_file" && reason.contains("inside the log directory")),
        "{err}"
    );
    let err = auditlog::AuditLog::builder(cli.dir())
        .chain_key(Vec::new())
        .open()
        .err()
        .expect("an empty key is not \"no key\"");
    assert!(
        matches!(&err, auditlog::Error::Invalid { field, .. } if field == "chain_key"),
        "{err}"
    );
}
