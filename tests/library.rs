//! The host library as a Rust plugin host uses it.

use std::time::{Duration, SystemTime};

use auditlog::{AuditLog, Error, Filter, Query, SkillRun, Source, ToolCall};
use serde_json::{Value, json};

fn at(seconds_after_2025_10_23: u64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_761_177_600 + seconds_after_2025_10_23)
}

fn query(source: Source, limit: u32) -> Query {
    Query::new(Filter::new(source)).limit(limit)
}

#[test]
fn appends_return_what_was_stored() {
    let dir = tempfile::tempdir().unwrap();
    let log = AuditLog::builder(dir.path().join("logs"))
        .clock(|| at(3600))
        .open()
        .unwrap();
    let skill = log
        .append_skill(
            &SkillRun::new("workflow.compose", "success")
                .duration_ms(12)
                .metadata(&json!({"k": 1})),
        )
        .unwrap();
    assert_eq!(skill.total_entries, 1);
    assert_eq!(skill.path, log.dir().join("audit_log.json"));
    assert!(skill.path.is_absolute());
    let mut unsealed = skill.entry.clone().into_value();
    assert!(unsealed.as_object_mut().unwrap().remove("hash").is_some());
    assert_eq!(
        unsealed,
        json!({"timestamp": "2025-10-23T01:00:00.000Z", "skill": "workflow.compose", "status": "success",
               "duration_ms": 12, "metadata": {"k": 1}, "seq": 1})
    );

    let tool = log
        .append_tool(
            &ToolCall::new("alice", "search", "denied")
                .args(&json!({"q": "x"}))
                .output("nope"),
        )
        .unwrap();
    assert_eq!(
        tool.path,
        log.dir().join("alice/tool_audit/2025-10-23.jsonl")
    );
    assert_eq!(tool.entry["ts"], "2025-10-23T01:00:00Z");
    assert_eq!(tool.entry["result_snippet"], "nope");

    let newest = log
        .recent(&query(Source::User("alice".into()), 10))
        .unwrap();
    assert_eq!(newest.entries, vec![tool.entry]);
    assert_eq!(newest.next_cursor, None);
    assert_eq!(
        log.recent(&query(Source::Skills, 10)).unwrap().entries,
        vec![skill.entry]
    );
    let stats = log.stats(&Filter::new(Source::AllUsers)).unwrap();
    assert_eq!(
        (stats.total, stats.errors, stats.by_user["alice"]),
        (1, 1, 1)
    );
}

#[test]
fn refusals_are_typed_and_name_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let log = AuditLog::open(dir.path()).unwrap();
    let err = log
        .append_tool(&ToolCall::new("alice", "t", "maybe"))
        .unwrap_err();
    assert!(err.is_invalid_input());
    match err {
        Error::Invalid { field, reason } => {
            assert_eq!(field, "status");
            assert_eq!(reason, "must be one of ok, error, denied, got \"maybe\"");
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
    let err = log
        .append_skill(&SkillRun::new("ok.skill", "success").metadata(&json!([1])))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "metadata: must be a JSON object, got an array"
    );
}

#[test]
fn settings_are_checked_when_opening() {
    let dir = tempfile::tempdir().unwrap();
    let err = AuditLog::builder(dir.path())
        .max_entries(0)
        .open()
        .err()
        .expect("max_entries 0 is refused");
    assert_eq!(
        err.to_string(),
        "max_entries: must be between 1 and 10000000, got 0"
    );
    let log = AuditLog::builder(dir.path())
        .max_entries(2)
        .snippet_chars(2)
        .open()
        .unwrap();
    for i in 0..5 {
        log.append_skill(&SkillRun::new(format!("s{i}"), "success"))
            .unwrap();
    }
    let names: Vec<Value> = log
        .recent(&query(Source::Skills, 10))
        .unwrap()
        .entries
        .iter()
        .map(|e| e["skill"].clone())
        .collect();
    assert_eq!(names, ["s4", "s3"]);
    let tool = log
        .append_tool(&ToolCall::new("u", "t", "ok").output("abc"))
        .unwrap();
    assert_eq!(tool.entry["result_snippet"], "ab");
}

#[test]
fn a_directory_that_cannot_be_opened_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a_file");
    std::fs::write(&file, "").unwrap();
    let err = AuditLog::open(file.join("logs"))
        .err()
        .expect("a path under a file cannot be a directory");
    assert!(matches!(err, Error::Directory { .. }), "{err:?}");
    assert!(
        err.to_string().starts_with("cannot open log directory"),
        "{err}"
    );
}

#[test]
fn a_batch_of_skill_runs_is_one_call_checked_whole() {
    let dir = tempfile::tempdir().unwrap();
    let log = AuditLog::builder(dir.path())
        .max_entries(100)
        .clock(|| at(60))
        .open()
        .unwrap();
    log.append_skill(&SkillRun::new("workflow.first", "success"))
        .unwrap();
    let before = std::fs::read(dir.path().join("audit_log.json")).unwrap();
    let runs: Vec<SkillRun> = (0..150)
        .map(|i| {
            SkillRun::new("workflow.compose", "success")
                .duration_ms(i)
                .metadata(&json!({"i": i, "token": "t"}))
        })
        .collect();

    let mut refused = runs.clone();
    refused[3].skill = "has space".into();
    match log.append_skills(&refused) {
        Err(Error::Invalid { field, .. }) => assert_eq!(field, "runs[3].skill"),
        other => panic!("expected a refusal naming runs[3].skill, got {other:?}"),
    }
    assert_eq!(
        std::fs::read(dir.path().join("audit_log.json")).unwrap(),
        before,
        "a refused batch writes nothing"
    );

    let receipts = log.append_skills(&runs).unwrap();
    assert_eq!(receipts.len(), 150);
    for (i, receipt) in receipts.iter().enumerate() {
        assert_eq!(receipt.entry["metadata"]["i"], i, "receipts in run order");
        assert_eq!(receipt.entry["metadata"]["token"], "[REDACTED]");
        assert_eq!(receipt.entry["seq"], i + 2);
        assert_eq!(
            receipt.total_entries, 100,
            "retention applied once, after the batch"
        );
    }
    let page = log.recent(&query(Source::Skills, 1000)).unwrap();
    assert_eq!(page.entries.len(), 100);
    assert_eq!(page.entries[0], receipts[149].entry);
    assert!(log.verify(None, &[]).unwrap().problem.is_none());
}

#[test]
fn a_batch_of_tool_calls_is_one_call_checked_whole() {
    let dir = tempfile::tempdir().unwrap();
    let log = AuditLog::builder(dir.path())
        .clock(|| at(60))
        .open()
        .unwrap();
    let calls: Vec<ToolCall> = (0..250)
        .map(|i| {
            let user = if i % 2 == 0 { "alice" } else { "bob" };
            ToolCall::new(user, "file_read", "ok").args(&json!({"i": i, "password": "p"}))
        })
        .collect();

    let mut refused = calls.clone();
    refused[7].user = "../x".into();
    match log.append_tools(&refused) {
        Err(Error::Invalid { field, .. }) => assert_eq!(field, "calls[7].user"),
        other => panic!("expected a refusal naming calls[7].user, got {other:?}"),
    }
    assert!(
        !dir.path().join("alice").exists(),
        "a refused batch writes nothing"
    );

    let receipts = log.append_tools(&calls).unwrap();
    assert_eq!(receipts.len(), 250);
    for (i, receipt) in receipts.iter().enumerate() {
        assert_eq!(
            receipt.entry["args"]["i"], i,
            "receipts come back in call order"
        );
        assert_eq!(receipt.entry["args"]["password"], "[REDACTED]");
    }
    let page = log
        .recent(&query(Source::User("alice".into()), 1000))
        .unwrap();
    assert_eq!(page.entries.len(), 125);
    assert_eq!(page.entries[0]["seq"], 125);
    assert!(log.verify(None, &[]).unwrap().problem.is_none());
}
