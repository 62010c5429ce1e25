//! The writing of one group of appends, deterministically: together when
//! every entry is accepted, one by one when one is refused, each caller
//! with its own outcome. (`tests/group_commit.rs` drives the same from
//! threads.)

use serde_json::json;

use super::*;

fn log() -> (tempfile::TempDir, AuditLog) {
    let dir = tempfile::tempdir().unwrap();
    let log = AuditLog::open(dir.path()).unwrap();
    (dir, log)
}

fn call(i: u64, status: &str) -> wit::ToolCall {
    wit_convert::tool_call(&ToolCall::new("u", "t", status).args(&json!({ "i": i })))
}

#[test]
fn a_group_of_good_calls_is_written_together_in_order() {
    let (_dir, log) = log();
    let receipts = log.write_tool_group(
        log.tool_writers.of("u"),
        (0..5).map(|i| call(i, "ok")).collect(),
    );
    let seqs: Vec<u64> = receipts
        .into_iter()
        .map(|r| r.unwrap().entry["seq"].as_u64().unwrap())
        .collect();
    assert_eq!(seqs, [1, 2, 3, 4, 5]);
}

#[test]
fn a_refused_call_fails_alone_and_the_others_are_written() {
    let (_dir, log) = log();
    let group = vec![call(0, "ok"), call(1, "maybe"), call(2, "ok"), call(3, "")];
    let outcomes = log.write_tool_group(log.tool_writers.of("u"), group);
    let described: Vec<String> = outcomes
        .into_iter()
        .map(|o| match o {
            Ok(r) => format!("seq {} i {}", r.entry["seq"], r.entry["args"]["i"]),
            Err(Error::Invalid { field, .. }) => format!("refused {field}"),
            Err(e) => format!("failed: {e}"),
        })
        .collect();
    assert_eq!(
        described,
        ["seq 1 i 0", "refused status", "seq 2 i 2", "refused status"]
    );
}

#[test]
fn a_refused_skill_run_fails_alone_and_the_others_are_written() {
    let (dir, log) = log();
    let run = |status: &str| wit_convert::skill_run(&SkillRun::new("s", status));
    let outcomes = log.write_skill_group(vec![run("success"), run(""), run("failure")]);
    assert!(matches!(&outcomes[1], Err(Error::Invalid { field, .. }) if field == "status"));
    let totals: Vec<u64> = [&outcomes[0], &outcomes[2]]
        .iter()
        .map(|o| o.as_ref().unwrap().total_entries)
        .collect();
    assert_eq!(totals, [1, 2]);
    let text = std::fs::read_to_string(dir.path().join("audit_log.json")).unwrap();
    let stored: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(stored.as_array().unwrap().len(), 2);
}
