//! A writer killed at random moments loses nothing it acknowledged.
//!
//! Agents get killed: by a timeout, the OOM killer, a closed terminal. An
//! audit log that a kill can tear, duplicate or silently roll back is not one.
//! The writer here is this test binary re-executing itself as the ignored test
//! [`writer_child`]: it opens an [`AuditLog`] on the directory and appends in
//! a loop, printing `ACK <log> <id> <seq>` (flushed) after each append
//! returns. The parent kills it with SIGKILL a pseudo-random 0–150 ms after
//! it is ready, 100 times on the same directory, so each run starts on
//! whatever the last kill left. After every 10 runs: every acknowledged id is
//! in its log exactly once at the `seq` it was acknowledged with, no id at all
//! appears twice, `seq` runs without a gap, the skill log is one JSON array,
//! every tool-log line is JSON, and `auditlog verify` accepts everything.
//!
//! A second test does the same under retention (`max_entries` 50), where
//! every append also blanks the oldest entry and every hundred or so rewrite
//! the file and rename it into place, so kills land inside those steps too.
//! It checks and verifies after every kill. (It found that a kill between
//! blanking the oldest entry and saving `.audit_log.state` left a stale
//! retention anchor; the index is now saved, in two checksummed copies,
//! before the blanking.)

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use auditlog::{AuditLog, SkillRun, ToolCall};
use serde_json::{Value, json};

use crate::support::Cli;

/// Set to `<dir>:<kind>:<run>` to make [`writer_child`] the writer.
const CHILD_ENV: &str = "AUDITLOG_CRASH_CHILD";
const USER: &str = "crash";
/// The skill log's `max_entries` for the runs that keep everything.
const KEEP_ALL: u32 = 10_000_000;
/// …and for the runs under retention.
const RETAINED: u32 = 50;

/// What one writer appends.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Skill,
    Tool,
    /// Skill and tool entries, alternately.
    Both,
    /// Skill entries with `max_entries` [`RETAINED`].
    Retained,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Skill => "skill",
            Kind::Tool => "tool",
            Kind::Both => "both",
            Kind::Retained => "retained",
        }
    }

    fn parse(name: &str) -> Self {
        match name {
            "skill" => Kind::Skill,
            "tool" => Kind::Tool,
            "both" => Kind::Both,
            "retained" => Kind::Retained,
            other => panic!("unknown writer kind {other:?}"),
        }
    }
}

/// The writer, when run by [`kill_writer`]; without [`CHILD_ENV`] it does nothing.
#[test]
#[ignore = "the writer process of the crash tests, run by them"]
fn writer_child() {
    let Ok(spec) = std::env::var(CHILD_ENV) else {
        return;
    };
    let mut parts = spec.rsplitn(3, ':');
    let run: u64 = parts.next().unwrap().parse().unwrap();
    let kind = Kind::parse(parts.next().unwrap());
    let dir = parts.next().unwrap();
    let max_entries = match kind {
        Kind::Retained => RETAINED,
        _ => KEEP_ALL,
    };
    let log = AuditLog::builder(dir)
        .max_entries(max_entries)
        .open()
        .unwrap();
    let mut out = std::io::stdout().lock();
    writeln!(out, "READY").unwrap();
    out.flush().unwrap();
    // A safety net: the parent kills it long before this.
    let deadline = Instant::now() + Duration::from_secs(30);
    for n in 0.. {
        if Instant::now() > deadline {
            return;
        }
        let id = format!("r{run}.n{n}");
        let skill = match kind {
            Kind::Skill | Kind::Retained => true,
            Kind::Tool => false,
            Kind::Both => n % 2 == 0,
        };
        let ack = if skill {
            let receipt = log
                .append_skill(&SkillRun::new(id.as_str(), "success").duration_ms(n))
                .unwrap();
            format!("ACK skill {id} {}", receipt.entry["seq"])
        } else {
            let receipt = log
                .append_tool(
                    &ToolCall::new(USER, "t", "ok")
                        .args(&json!({"id": id}))
                        .output(format!("output of {id}")),
                )
                .unwrap();
            format!("ACK tool {id} {}", receipt.entry["seq"])
        };
        // A closed pipe means the parent is gone: stop.
        if writeln!(out, "{ack}").and_then(|()| out.flush()).is_err() {
            return;
        }
    }
}

/// A small deterministic PRNG (SplitMix64), so a failure replays.
fn splitmix64(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Acknowledged appends: (log, id) → seq.
type Acks = BTreeMap<(String, String), u64>;

/// Runs one writer of `kind` on `dir`, kills it with SIGKILL `delay` after it
/// is ready, and adds what it acknowledged to `acks`. Returns how many.
fn kill_writer(dir: &Path, kind: Kind, run: u64, delay: Duration, acks: &mut Acks) -> usize {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "crash::writer_child", "--ignored", "--nocapture"])
        .env(
            CHILD_ENV,
            format!("{}:{}:{run}", dir.display(), kind.name()),
        )
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the test binary runs itself");
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut lines = Vec::new();
        for line in BufReader::new(stdout).lines() {
            let line = line.unwrap();
            if line == "READY" {
                let _ = ready_tx.send(());
            } else if line.starts_with("ACK ") {
                lines.push(line);
            }
        }
        lines
    });
    let ready = ready_rx.recv_timeout(Duration::from_secs(30)).is_ok();
    std::thread::sleep(delay);
    child.kill().unwrap(); // SIGKILL
    let status = child.wait().unwrap();
    let lines = reader.join().unwrap();
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(
        ready,
        "run {run} ({kind:?}): the writer never got ready: {status}\n{stderr}"
    );
    assert_eq!(
        std::os::unix::process::ExitStatusExt::signal(&status),
        Some(9),
        "run {run} ({kind:?}): the writer should die by SIGKILL, not {status}:\n{stderr}"
    );
    for line in &lines {
        let mut words = line.split(' ').skip(1);
        let (log, id, seq) = (
            words.next().unwrap(),
            words.next().unwrap(),
            words.next().unwrap().parse().unwrap(),
        );
        let previous = acks.insert((log.to_owned(), id.to_owned()), seq);
        assert_eq!(previous, None, "{id} acknowledged twice");
    }
    lines.len()
}

/// Every tool-log line of [`USER`], oldest day first: (id, seq).
fn tool_ids(dir: &Path) -> Vec<(String, u64)> {
    let day_dir = dir.join(USER).join("tool_audit");
    let Ok(files) = std::fs::read_dir(&day_dir) else {
        return Vec::new();
    };
    let mut files: Vec<_> = files
        .map(|f| f.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    let mut ids = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            let entry: Value = serde_json::from_str(line).unwrap_or_else(|e| {
                panic!(
                    "{} line {}: not JSON ({e}): {line:?}",
                    path.display(),
                    n + 1
                )
            });
            let seq = entry["seq"].as_u64().unwrap();
            ids.push((id_of(&entry, entry["args"]["id"].as_str(), seq), seq));
        }
    }
    ids
}

/// The skill log's entries: (id, seq), parsed as the one JSON array it must be.
fn skill_ids(dir: &Path) -> Vec<(String, u64)> {
    let Ok(text) = std::fs::read_to_string(dir.join("audit_log.json")) else {
        return Vec::new();
    };
    let entries: Vec<Value> = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("audit_log.json is not a JSON array ({e}):\n{text}"));
    entries
        .iter()
        .map(|e| {
            let seq = e["seq"].as_u64().unwrap();
            (id_of(e, e["skill"].as_str(), seq), seq)
        })
        .collect()
}

/// An entry's id: the writer's, or `recovery#SEQ` for a repair's own entry.
fn id_of(entry: &Value, id: Option<&str>, seq: u64) -> String {
    let own = entry["skill"] == "auditlog.recovery" || entry["tool"] == "auditlog.recovery";
    if own {
        format!("recovery#{seq}")
    } else {
        id.unwrap().to_owned()
    }
}

/// Checks one log's stored (id, seq)s against what was acknowledged for it:
/// `seq` contiguous, no id twice, every acknowledged id present at its seq —
/// or, under retention, exactly those acknowledged at or after the first kept
/// seq: exactly `keep` of them once `settled` by an append that ran to its end.
#[track_caller]
fn check_log(
    what: &str,
    stored: &[(String, u64)],
    acks: &Acks,
    log: &str,
    keep: Option<u64>,
    settled: bool,
) {
    let first = stored.first().map_or(1, |(_, seq)| *seq);
    for (k, (id, seq)) in stored.iter().enumerate() {
        assert_eq!(*seq, first + k as u64, "{what}: {id} breaks the seq run");
    }
    let mut at: BTreeMap<&str, u64> = BTreeMap::new();
    for (id, seq) in stored {
        assert_eq!(at.insert(id, *seq), None, "{what}: {id} is stored twice");
    }
    let acked: Vec<(&str, u64)> = acks
        .iter()
        .filter(|((l, _), _)| l == log)
        .map(|((_, id), seq)| (id.as_str(), *seq))
        .collect();
    let last_acked = acked.iter().map(|(_, seq)| *seq).max().unwrap_or(0);
    let last = stored.last().map_or(0, |(_, seq)| *seq);
    assert!(
        last >= last_acked,
        "{what}: ends at seq {last}, but seq {last_acked} was acknowledged"
    );
    match keep {
        None => assert_eq!(first, 1, "{what}: starts at seq {first}"),
        // A kill between storing an entry and blanking the oldest leaves one
        // entry too many, until the next append finishes the job.
        Some(keep) if !settled => assert!(
            stored.len() as u64 == keep.min(last) || stored.len() as u64 == keep + 1,
            "{what}: should keep the newest {keep} (or one more), not {}",
            stored.len()
        ),
        Some(keep) => assert_eq!(
            stored.len() as u64,
            keep.min(last),
            "{what}: should keep exactly the newest {keep}"
        ),
    }
    for (id, seq) in acked {
        if seq < first {
            continue; // dropped by retention
        }
        assert_eq!(
            at.get(id),
            Some(&seq),
            "{what}: acknowledged {id} (seq {seq}) is missing or moved"
        );
    }
}

/// Checks everything in `dir` against `acks`, and that `auditlog verify`
/// accepts it.
#[track_caller]
fn check(cli: &Cli, acks: &Acks, keep: Option<u64>, after: u64, settled: bool) -> usize {
    // A kill inside a write can tear the entry being written (never an
    // acknowledged one): the next append, or `repair`, moves it aside and
    // records that it did. Then verify, which also finishes what a killed
    // writer's retention had recorded but not yet done.
    let repair = cli.run(&["repair", "--format", "json"]).success();
    let repairs = repair.json().as_array().unwrap().len();
    let run = cli.run(&["verify"]);
    let what = format!("after {after} kills");
    let skills = skill_ids(&cli.dir());
    check_log(
        &format!("{what}, skill log"),
        &skills,
        acks,
        "skill",
        keep,
        settled,
    );
    let tools = tool_ids(&cli.dir());
    check_log(
        &format!("{what}, tool log"),
        &tools,
        acks,
        "tool",
        None,
        settled,
    );
    assert_eq!(run.code, 0, "{what}: {run:?}");
    assert_eq!(
        run.stdout,
        format!("{} entries verified\n", skills.len() + tools.len()),
        "{what}"
    );
    repairs
}

/// Appends one skill run through the CLI, not killed, so that retention
/// finishes what a killed writer left, and records it in `acks`.
fn settle(cli: &Cli, acks: &mut Acks, keep: u64, after: u64) {
    let id = format!("settle.{after}");
    let run = cli
        .run(&["record", &id, "success", "--max-entries", &keep.to_string()])
        .success();
    let seq = run.json()["details"]["audit_entry"]["seq"]
        .as_u64()
        .unwrap();
    acks.insert(("skill".into(), id), seq);
}

/// Kills `runs` writers of the kinds `kind(run)` on one directory and checks
/// the logs every 10 kills. Under retention (`keep`), what every kill left is
/// checked, and every 10 kills again after one more append that is not killed.
fn kill_repeatedly(runs: u64, seed: u64, keep: Option<u64>, kind: impl Fn(u64) -> Kind) {
    assert_eq!(runs % 10, 0);
    let cli = Cli::new();
    std::fs::create_dir_all(cli.dir()).unwrap();
    let dir = std::fs::canonicalize(cli.dir()).unwrap();
    let mut acks = Acks::new();
    let start = Instant::now();
    let (mut early, mut repairs) = (0, 0);
    for run in 0..runs {
        let delay = Duration::from_millis(splitmix64(seed ^ run) % 151);
        let acked = kill_writer(&dir, kind(run), run, delay, &mut acks);
        if acked == 0 {
            early += 1;
        }
        // Under retention, look at what every kill left: the windows
        // between blanking, rewriting and saving the index are narrow.
        if (run + 1) % 10 == 0 || keep.is_some() {
            repairs += check(&cli, &acks, keep, run + 1, false);
        }
        if let Some(keep) = keep
            && (run + 1) % 10 == 0
        {
            settle(&cli, &mut acks, keep, run + 1);
            check(&cli, &acks, Some(keep), run + 1, true);
        }
    }
    eprintln!(
        "{runs} kills, {} acknowledged appends ({early} runs killed before their first, \
         {repairs} torn entries repaired), {:?}",
        acks.len(),
        start.elapsed()
    );
    assert!(
        acks.len() as u64 > runs,
        "the writers should acknowledge appends between kills"
    );
}

#[test]
fn a_writer_killed_at_100_random_moments_loses_no_acknowledged_entry() {
    kill_repeatedly(100, 0x5EED_0001, None, |run| match run % 3 {
        0 => Kind::Skill,
        1 => Kind::Tool,
        _ => Kind::Both,
    });
}

#[test]
fn a_writer_killed_during_retention_keeps_the_newest_and_the_chain() {
    kill_repeatedly(40, 0x5EED_0002, Some(u64::from(RETAINED)), |_| {
        Kind::Retained
    });
}
