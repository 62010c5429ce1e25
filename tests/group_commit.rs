//! Group commit: appends from many threads through one [`AuditLog`] are
//! written together, and each caller still gets exactly its own outcome.
//!
//! A group is written in one call into the component; when that call is
//! refused (one entry is bad) or fails on storage (one user's files cannot
//! be written), nothing of it was stored and the group is written again one
//! entry at a time. These tests mix good and bad calls from 16 threads and
//! check every caller's outcome against what it sent, and the logs against
//! the calls that succeeded: nothing lost, nothing stored twice, nothing
//! stored that was refused, `seq` without a gap, and the chains verify.
//! (`concurrency` checks the all-good case at 160,000 appends.)

use std::collections::BTreeSet;

use auditlog::{AuditLog, Error, SkillRun, Source, ToolCall};
use serde_json::{Value, json};

use crate::concurrency::{ids, on_threads, tool_lines};
use crate::support::Cli;

const THREADS: u64 = 16;

/// Asserts `entries` carry `seq` 1, 2, 3, … in order and the log verifies.
#[track_caller]
fn assert_whole_chain(log: &AuditLog, user: &str, entries: &[Value]) {
    for (k, entry) in entries.iter().enumerate() {
        assert_eq!(entry["seq"].as_u64(), Some(k as u64 + 1), "{entry}");
    }
    let report = log.verify(Some(&Source::User(user.into())), &[]).unwrap();
    assert_eq!(report.problem, None);
    assert_eq!(report.entries, entries.len() as u64);
}

/// What a thread's call `i` sends: every 7th a status the log refuses,
/// every 11th arguments that are not an object, the rest good.
fn tool_call(t: u64, i: u64) -> (ToolCall, Option<&'static str>) {
    let call = ToolCall::new("shared", "t", "ok").args(&json!({"t": t, "i": i}));
    if i % 7 == 3 {
        (
            ToolCall {
                status: "maybe".into(),
                ..call
            },
            Some("status"),
        )
    } else if i % 11 == 5 {
        (
            ToolCall {
                args: "[1, 2]".into(),
                ..call
            },
            Some("args"),
        )
    } else {
        (call, None)
    }
}

#[test]
fn refused_tool_calls_in_a_group_fail_alone_naming_their_own_field() {
    const EACH: u64 = 1_000;
    let cli = Cli::new();
    let log = AuditLog::open(cli.dir()).unwrap();
    // (thread, i) of every append acknowledged.
    let written: Vec<(u64, u64)> = on_threads(0..THREADS, |t| {
        let mut written = Vec::new();
        for i in 0..EACH {
            let (call, refused) = tool_call(t, i);
            match (log.append_tool(&call), refused) {
                (Ok(receipt), None) => {
                    assert_eq!(receipt.entry["args"], json!({"t": t, "i": i}));
                    written.push((t, i));
                }
                (Err(Error::Invalid { field, .. }), Some(expected)) => {
                    assert_eq!(field, expected, "thread {t} call {i}")
                }
                (outcome, expected) => panic!(
                    "thread {t} call {i}: expected {expected:?} refused, got {:?}",
                    outcome.map(|r| r.entry.to_string())
                ),
            }
        }
        written
    });

    let entries = tool_lines(&cli.dir(), "shared");
    let stored = ids(&entries, "t");
    assert_eq!(stored.len(), entries.len(), "no entry stored twice");
    assert_eq!(
        stored,
        written.iter().copied().collect::<BTreeSet<_>>(),
        "exactly the acknowledged calls are stored"
    );
    let refused_per_thread = (0..EACH).filter(|&i| tool_call(0, i).1.is_some()).count();
    assert_eq!(
        entries.len() as u64,
        THREADS * (EACH - refused_per_thread as u64)
    );
    assert_whole_chain(&log, "shared", &entries);
}

#[test]
fn a_user_whose_files_cannot_be_written_fails_only_their_own_calls() {
    const EACH: u64 = 500;
    let cli = Cli::new();
    // `blocked`'s log directory cannot be made: a file holds its name.
    std::fs::create_dir_all(cli.dir()).unwrap();
    std::fs::write(cli.dir().join("blocked"), "not a directory").unwrap();
    let log = AuditLog::open(cli.dir()).unwrap();
    let outcomes: Vec<(String, u64, Result<u64, Error>)> = on_threads(0..THREADS, |t| {
        let user = if t % 2 == 0 {
            format!("user{}", t / 2)
        } else {
            "blocked".to_owned()
        };
        (0..EACH)
            .map(|i| {
                let call = ToolCall::new(&user, "t", "ok").args(&json!({"i": i}));
                let seq = log
                    .append_tool(&call)
                    .map(|r| r.entry["seq"].as_u64().unwrap());
                (user.clone(), i, seq)
            })
            .collect::<Vec<_>>()
    });

    for (user, i, outcome) in &outcomes {
        match (user.as_str(), outcome) {
            ("blocked", Err(Error::Storage(_))) => {}
            ("blocked", other) => panic!("blocked call {i}: {other:?}"),
            (_, Ok(_)) => {}
            (user, Err(e)) => panic!("{user} call {i} failed with another user's error: {e}"),
        }
    }
    assert_eq!(
        std::fs::read_to_string(cli.dir().join("blocked")).unwrap(),
        "not a directory"
    );
    for n in 0..THREADS / 2 {
        let user = format!("user{n}");
        let entries = tool_lines(&cli.dir(), &user);
        let is: Vec<u64> = entries
            .iter()
            .map(|e| e["args"]["i"].as_u64().unwrap())
            .collect();
        assert_eq!(
            is,
            (0..EACH).collect::<Vec<_>>(),
            "{user}: all, once, in order"
        );
        assert_whole_chain(&log, &user, &entries);
    }
}

#[test]
fn refused_skill_runs_in_a_group_fail_alone_and_the_log_keeps_the_rest() {
    const EACH: u64 = 200;
    let cli = Cli::new();
    let log = AuditLog::open(cli.dir()).unwrap();
    let written: Vec<(u64, u64)> = on_threads(0..THREADS, |t| {
        let mut written = Vec::new();
        for i in 0..EACH {
            let bad = i % 5 == 2;
            let status = if bad { "" } else { "success" };
            let run = SkillRun::new("workflow.compose", status).metadata(&json!({"t": t, "i": i}));
            match log.append_skill(&run) {
                Ok(_) if !bad => written.push((t, i)),
                Err(Error::Invalid { field, .. }) if bad => {
                    assert_eq!(field, "status")
                }
                other => panic!("thread {t} run {i} (bad: {bad}): {:?}", other.err()),
            }
        }
        written
    });

    let text = std::fs::read_to_string(cli.dir().join("audit_log.json")).unwrap();
    let entries: Vec<Value> = serde_json::from_str(&text).unwrap();
    let stored: Vec<(u64, u64)> = entries
        .iter()
        .map(|e| {
            let m = &e["metadata"];
            (m["t"].as_u64().unwrap(), m["i"].as_u64().unwrap())
        })
        .collect();
    assert_eq!(
        stored.iter().copied().collect::<BTreeSet<_>>().len(),
        stored.len(),
        "no run stored twice"
    );
    assert_eq!(
        stored.into_iter().collect::<BTreeSet<_>>(),
        written.into_iter().collect::<BTreeSet<_>>()
    );
    for (k, entry) in entries.iter().enumerate() {
        assert_eq!(entry["seq"].as_u64(), Some(k as u64 + 1));
    }
    let report = log.verify(Some(&Source::Skills), &[]).unwrap();
    assert_eq!(report.problem, None);
}
