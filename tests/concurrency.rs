//! Many writers at once: threads sharing one host, several hosts on one
//! directory, and separate `auditlog` processes.
//!
//! The logs promise that concurrent writers lose nothing: every append is
//! serialised on the host's one component instance and, across hosts and
//! processes, by the logs' file locks. These tests hammer one log from many
//! writers and then check the result exactly: every acknowledged entry is
//! stored once (each carries a unique id), every line is valid JSON, `seq`
//! runs 1, 2, 3, … without a gap, and `auditlog verify` accepts the chain. A
//! lost, torn, duplicated or misnumbered entry fails them.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::{Arc, Barrier};
use std::time::Instant;

use auditlog::{AuditLog, SkillRun, Source, ToolCall};
use serde_json::{Value, json};

use crate::support::{Cli, jq};

/// The `(args[who], args.i)` of each entry: which writer (thread or
/// process) stored it, and its number among that writer's calls.
pub(crate) fn ids(entries: &[Value], who: &str) -> BTreeSet<(u64, u64)> {
    let number = |e: &Value, key: &str| e["args"][key].as_u64().expect("a writer's number");
    entries
        .iter()
        .map(|e| (number(e, who), number(e, "i")))
        .collect()
}

/// Runs `work(t)` for each `t` of `threads`, each on a thread of its own,
/// all at once; returns what they return, thread after thread.
pub(crate) fn on_threads<I: Send, T: Send>(
    threads: impl IntoIterator<Item = I>,
    work: impl Fn(I) -> Vec<T> + Sync,
) -> Vec<T> {
    std::thread::scope(|s| {
        let work = &work;
        let workers: Vec<_> = threads
            .into_iter()
            .map(|t| s.spawn(move || work(t)))
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    })
}

/// Every line of `user`'s day files, oldest file first, each parsed.
pub(crate) fn tool_lines(dir: &Path, user: &str) -> Vec<Value> {
    let day_dir = dir.join(user).join("tool_audit");
    let mut files: Vec<_> = std::fs::read_dir(&day_dir)
        .unwrap_or_else(|e| panic!("{}: {e}", day_dir.display()))
        .map(|f| f.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    let mut entries = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.is_empty() || text.ends_with('\n'),
            "{}: ends mid-line",
            path.display()
        );
        for (n, line) in text.lines().enumerate() {
            let entry: Value = serde_json::from_str(line).unwrap_or_else(|e| {
                panic!(
                    "{} line {}: not JSON ({e}): {line:?}",
                    path.display(),
                    n + 1
                )
            });
            entries.push(entry);
        }
    }
    entries
}

/// The skill log, parsed as the one JSON array it must be.
fn skill_entries(dir: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(dir.join("audit_log.json")).unwrap();
    serde_json::from_str(&text).expect("audit_log.json is one JSON array")
}

/// Asserts the entries' `seq` are exactly `first..first + len`, in file order.
#[track_caller]
fn assert_contiguous(entries: &[Value], first: u64) {
    for (k, entry) in entries.iter().enumerate() {
        let expected = first + k as u64;
        assert_eq!(
            entry["seq"].as_u64(),
            Some(expected),
            "entry {k} should have seq {expected}: {entry}"
        );
    }
}

/// Asserts `auditlog verify` accepts all `n` entries in the directory.
#[track_caller]
fn assert_cli_verifies(cli: &Cli, n: usize) {
    let run = cli.run(&["verify"]).success();
    assert_eq!(run.stdout, format!("{n} entries verified\n"));
}

/// Asserts the library's verify accepts the log `source` names, `n` entries.
#[track_caller]
fn assert_verifies(log: &AuditLog, source: &Source, n: u64) {
    let report = log.verify(Some(source), &[]).unwrap();
    assert_eq!(report.problem, None);
    assert_eq!(report.entries, n);
}

const THREADS: u64 = 16;

#[test]
fn sixteen_threads_append_160_000_tool_calls_through_one_host() {
    const EACH: u64 = 10_000;
    let cli = Cli::new();
    let log = AuditLog::open(cli.dir()).unwrap();
    let start = Instant::now();
    // (seq, thread, i) of every acknowledged append.
    let receipts: Vec<(u64, u64, u64)> = on_threads(0..THREADS, |t| {
        (0..EACH)
            .map(|i| {
                let receipt = log
                    .append_tool(&ToolCall::new("shared", "t", "ok").args(&json!({"t": t, "i": i})))
                    .unwrap();
                (receipt.entry["seq"].as_u64().unwrap(), t, i)
            })
            .collect::<Vec<_>>()
    });
    eprintln!(
        "160,000 tool appends from 16 threads: {:?}",
        start.elapsed()
    );

    let total = THREADS * EACH;
    let entries = tool_lines(&cli.dir(), "shared");
    assert_eq!(entries.len() as u64, total, "no line lost, torn or added");
    assert_contiguous(&entries, 1);
    let ids = ids(&entries, "t");
    assert_eq!(ids.len() as u64, total, "no entry stored twice");
    assert_eq!(
        ids,
        (0..THREADS)
            .flat_map(|t| (0..EACH).map(move |i| (t, i)))
            .collect::<BTreeSet<_>>()
    );
    // Each receipt names the place its entry was stored at.
    assert_eq!(receipts.len() as u64, total);
    for (seq, t, i) in receipts {
        let entry = &entries[seq as usize - 1];
        assert_eq!(
            (&entry["args"]["t"], &entry["args"]["i"]),
            (&json!(t), &json!(i)),
            "receipt seq {seq}"
        );
    }
    assert_cli_verifies(&cli, total as usize);
}

/// Sixteen threads append `each` skill runs to one host keeping at most
/// `max_entries`; returns the log's entries and the acknowledged (seq, name)s.
fn skill_appends_from_threads(
    cli: &Cli,
    each: u64,
    max_entries: u32,
) -> (AuditLog, Vec<Value>, Vec<(u64, String)>) {
    let log = AuditLog::builder(cli.dir())
        .max_entries(max_entries)
        .open()
        .unwrap();
    let start = Instant::now();
    let receipts: Vec<(u64, String)> = on_threads(0..THREADS, |t| {
        (0..each)
            .map(|i| {
                let name = format!("t{t}.n{i}");
                let receipt = log
                    .append_skill(&SkillRun::new(name.as_str(), "success"))
                    .unwrap();
                (receipt.entry["seq"].as_u64().unwrap(), name)
            })
            .collect::<Vec<_>>()
    });
    eprintln!(
        "{} skill appends from 16 threads (max_entries {max_entries}): {:?}",
        THREADS * each,
        start.elapsed()
    );
    let entries = skill_entries(&cli.dir());
    (log, entries, receipts)
}

#[test]
fn sixteen_threads_append_40_000_skill_runs_through_one_host() {
    const EACH: u64 = 2_500;
    let total = THREADS * EACH;
    let cli = Cli::new();
    let (log, entries, receipts) = skill_appends_from_threads(&cli, EACH, total as u32);
    assert_eq!(entries.len() as u64, total);
    assert_contiguous(&entries, 1);
    let names: BTreeSet<&str> = entries
        .iter()
        .map(|e| e["skill"].as_str().unwrap())
        .collect();
    assert_eq!(names.len() as u64, total, "no entry stored twice");
    assert_eq!(receipts.len() as u64, total);
    for (seq, name) in &receipts {
        assert_eq!(entries[*seq as usize - 1]["skill"], name.as_str());
    }
    assert_verifies(&log, &Source::Skills, total);
    assert_cli_verifies(&cli, total as usize);
}

#[test]
fn sixteen_threads_under_retention_keep_exactly_the_newest() {
    const EACH: u64 = 1_000;
    const KEEP: u64 = 5_000;
    let total = THREADS * EACH;
    let cli = Cli::new();
    let (log, entries, receipts) = skill_appends_from_threads(&cli, EACH, KEEP as u32);
    assert_eq!(entries.len() as u64, KEEP);
    let first = total - KEEP + 1;
    assert_contiguous(&entries, first);
    assert_eq!(receipts.len() as u64, total);
    let mut kept = 0;
    for (seq, name) in &receipts {
        if *seq >= first {
            assert_eq!(entries[(*seq - first) as usize]["skill"], name.as_str());
            kept += 1;
        }
    }
    assert_eq!(kept, KEEP, "every kept seq was acknowledged once");
    // The retention anchor links the first kept entry to the dropped ones.
    assert_verifies(&log, &Source::Skills, KEEP);
    assert_cli_verifies(&cli, KEEP as usize);
}

#[test]
fn threads_sharing_one_host_write_both_logs_at_once() {
    const EACH: u64 = 500;
    let cli = Cli::new();
    let log = Arc::new(
        AuditLog::builder(cli.dir())
            .max_entries(100_000)
            .open()
            .unwrap(),
    );
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let log = Arc::clone(&log);
            std::thread::spawn(move || {
                for i in 0..EACH {
                    log.append_tool(
                        &ToolCall::new("shared", "t", "ok")
                            .args(&json!({"id": format!("{t}-{i}")})),
                    )
                    .unwrap();
                    log.append_skill(&SkillRun::new(format!("t{t}.n{i}"), "success"))
                        .unwrap();
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }

    let tools = tool_lines(&cli.dir(), "shared");
    assert_eq!(tools.len(), 4000, "no line lost, torn or duplicated");
    assert_contiguous(&tools, 1);
    let ids: BTreeSet<&str> = tools
        .iter()
        .map(|e| e["args"]["id"].as_str().unwrap())
        .collect();
    let expected: BTreeSet<String> = (0..8)
        .flat_map(|t| (0..EACH).map(move |i| format!("{t}-{i}")))
        .collect();
    assert_eq!(ids, expected.iter().map(String::as_str).collect());

    let skills = skill_entries(&cli.dir());
    assert_eq!(skills.len(), 4000);
    assert_contiguous(&skills, 1);
    let names: BTreeSet<&str> = skills
        .iter()
        .map(|e| e["skill"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 4000);
    assert_cli_verifies(&cli, 8000);
}

#[test]
fn two_hosts_on_one_directory_keep_one_consistent_skill_log() {
    let cli = Cli::new();
    let first = AuditLog::builder(cli.dir()).max_entries(50).open().unwrap();
    let second = AuditLog::builder(cli.dir()).max_entries(50).open().unwrap();
    for i in 0..120 {
        let log = if i % 3 == 0 { &first } else { &second };
        let receipt = log
            .append_skill(&SkillRun::new(format!("n{i:03}"), "success"))
            .unwrap();
        assert_eq!(receipt.total_entries, (i + 1).min(50));
        assert_eq!(receipt.entry["seq"], i + 1);
    }
    let skills = skill_entries(&cli.dir());
    let names: Vec<&str> = skills
        .iter()
        .map(|e| e["skill"].as_str().unwrap())
        .collect();
    let expected: Vec<String> = (70..120).map(|i| format!("n{i:03}")).collect();
    assert_eq!(names, expected);
    assert_contiguous(&skills, 71);
    assert_verifies(&first, &Source::Skills, 50);
    assert_verifies(&second, &Source::Skills, 50);
}

#[test]
fn two_hosts_on_one_directory_from_threads_at_once() {
    const EACH: u64 = 300;
    let cli = Cli::new();
    let hosts = [
        AuditLog::builder(cli.dir())
            .max_entries(1_000)
            .open()
            .unwrap(),
        AuditLog::builder(cli.dir())
            .max_entries(1_000)
            .open()
            .unwrap(),
    ];
    std::thread::scope(|s| {
        for t in 0..8u64 {
            let log = &hosts[t as usize % 2];
            s.spawn(move || {
                for i in 0..EACH {
                    log.append_skill(&SkillRun::new(format!("t{t}.n{i}"), "success"))
                        .unwrap();
                    log.append_tool(
                        &ToolCall::new("shared", "t", "ok").args(&json!({"t": t, "i": i})),
                    )
                    .unwrap();
                }
            });
        }
    });
    let total = 8 * EACH;
    let skills = skill_entries(&cli.dir());
    assert_eq!(skills.len(), 1_000, "retention keeps exactly max_entries");
    assert_contiguous(&skills, total - 1_000 + 1);
    let names: BTreeSet<&str> = skills
        .iter()
        .map(|e| e["skill"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 1_000);
    let tools = tool_lines(&cli.dir(), "shared");
    assert_eq!(tools.len() as u64, total);
    assert_contiguous(&tools, 1);
    let ids = ids(&tools, "t");
    assert_eq!(ids.len() as u64, total);
    assert_cli_verifies(&cli, 1_000 + total as usize);
}

const PROCESSES: usize = 8;
const CALLS: usize = 50;

/// Runs `PROCESSES` threads at once, each running `CALLS` `auditlog`
/// processes one after another with the arguments `args(p, i)`; returns
/// each call's standard output as JSON.
fn processes_at_once(cli: &Cli, args: impl Fn(usize, usize) -> Vec<String> + Sync) -> Vec<Value> {
    let start = Barrier::new(PROCESSES);
    let began = Instant::now();
    let outputs = on_threads(0..PROCESSES, |p| {
        start.wait();
        (0..CALLS)
            .map(|i| {
                let args = args(p, i);
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                cli.run(&args).success().json()
            })
            .collect::<Vec<_>>()
    });
    eprintln!(
        "{} auditlog processes, {PROCESSES} at a time: {:?}",
        PROCESSES * CALLS,
        began.elapsed()
    );
    outputs
}

#[test]
fn processes_recording_at_once_lose_nothing() {
    let cli = Cli::new();
    let responses = processes_at_once(&cli, |p, i| {
        ["record", &format!("p{p}.n{i}"), "success", &i.to_string()]
            .map(str::to_owned)
            .to_vec()
    });
    let total = PROCESSES * CALLS;
    let entries = cli.skill_log();
    assert_eq!(entries.len(), total);
    let file = cli.dir().join("audit_log.json");
    assert_eq!(jq(&["length"], &file).trim(), total.to_string());
    assert_contiguous(&entries, 1);
    let names: BTreeSet<&str> = entries
        .iter()
        .map(|e| e["skill"].as_str().unwrap())
        .collect();
    let expected: BTreeSet<String> = (0..PROCESSES)
        .flat_map(|p| (0..CALLS).map(move |i| format!("p{p}.n{i}")))
        .collect();
    assert_eq!(names, expected.iter().map(String::as_str).collect());
    // Each response is the entry as stored, at the place it names.
    for response in &responses {
        assert_eq!(response["ok"], true);
        let entry = &response["details"]["audit_entry"];
        let seq = entry["seq"].as_u64().unwrap();
        assert_eq!(&entries[seq as usize - 1], entry);
    }
    assert_cli_verifies(&cli, total);
}

#[test]
fn processes_calling_tool_at_once_lose_nothing() {
    let cli = Cli::new();
    let responses = processes_at_once(&cli, |p, i| {
        [
            "tool",
            "--user",
            "shared",
            "--tool",
            "t",
            "--status",
            "ok",
            "--args",
            &json!({"p": p, "i": i}).to_string(),
            "--result",
            &format!("call {p}-{i}"),
        ]
        .map(str::to_owned)
        .to_vec()
    });
    let total = PROCESSES * CALLS;
    let entries = tool_lines(&cli.dir(), "shared");
    assert_eq!(entries.len(), total, "no line lost, torn or duplicated");
    assert_contiguous(&entries, 1);
    let ids = ids(&entries, "p");
    let expected: BTreeSet<(u64, u64)> = (0..PROCESSES as u64)
        .flat_map(|p| (0..CALLS as u64).map(move |i| (p, i)))
        .collect();
    assert_eq!(ids, expected);
    // jq reads every day file as a stream of JSON objects, one per line.
    let mut by_jq = 0;
    for file in std::fs::read_dir(cli.dir().join("shared/tool_audit")).unwrap() {
        let path = file.unwrap().path();
        if path.extension().is_some_and(|e| e == "jsonl") {
            by_jq += jq(&["-s", "map(objects) | length"], &path)
                .trim()
                .parse::<usize>()
                .unwrap();
        }
    }
    assert_eq!(by_jq, total);
    for response in &responses {
        let seq = response["seq"].as_u64().unwrap();
        assert_eq!(
            &entries[seq as usize - 1],
            response,
            "stdout is the stored entry"
        );
    }
    assert_cli_verifies(&cli, total);
}

/// A host keeps each user's day file open between appends. Whatever other
/// processes do to that file in between — append to it, repair it (which
/// replaces it by a rename), delete it — the host's next entry goes to the
/// file by that name, after the last entry there.
#[test]
fn a_host_keeping_the_day_file_open_sees_what_other_processes_did() {
    let cli = Cli::new();
    let log = AuditLog::open(cli.dir()).unwrap();
    let ours = |id: u64| {
        let call = ToolCall {
            user: "al".into(),
            tool: "host".into(),
            args: json!({ "id": id }).to_string(),
            status: "ok".into(),
            output: String::new(),
        };
        log.append_tool(&call).unwrap()
    };
    let theirs = |id: u64| {
        let args = json!({ "id": id }).to_string();
        cli.run(&[
            "tool", "--user", "al", "--tool", "cli", "--status", "ok", "--args", &args,
        ])
        .success();
    };
    let ids = || -> Vec<u64> {
        tool_lines(&cli.dir(), "al")
            .iter()
            .filter_map(|e| e["args"]["id"].as_u64())
            .collect()
    };

    let day_file = ours(1).path;
    theirs(2);
    ours(3);
    assert_eq!(ids(), [1, 2, 3]);
    assert_contiguous(&tool_lines(&cli.dir(), "al"), 1);

    // A torn line, which `repair` moves aside by rewriting the file.
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&day_file)
        .unwrap();
    std::io::Write::write_all(&mut file, br#"{"ts":"2025-"#).unwrap();
    cli.run(&["repair"]).success();
    ours(4);
    assert_eq!(ids(), [1, 2, 3, 4], "the entry went to the repaired file");
    let lines = tool_lines(&cli.dir(), "al");
    assert_contiguous(&lines, 1);
    assert_cli_verifies(&cli, lines.len());

    std::fs::remove_file(&day_file).unwrap();
    ours(5);
    assert_eq!(ids(), [5], "a new file where the old one was");
}
