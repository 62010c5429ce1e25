//! The host library as a Rust plugin host uses it.

use std::collections::BTreeSet;
use std::sync::Arc;
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
    let mut unsealed = skill.entry.clone();
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
fn threads_sharing_one_log_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let log = Arc::new(
        AuditLog::builder(dir.path())
            .max_entries(100_000)
            .open()
            .unwrap(),
    );
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let log = Arc::clone(&log);
            std::thread::spawn(move || {
                for i in 0..250 {
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
    let expected: BTreeSet<String> = (0..8)
        .flat_map(|t| (0..250).map(move |i| format!("{t}-{i}")))
        .collect();

    let day_dir = dir.path().join("shared/tool_audit");
    let mut ids = BTreeSet::new();
    let mut lines = 0;
    for file in std::fs::read_dir(&day_dir).unwrap() {
        let path = file.unwrap().path();
        if path.extension().is_some_and(|e| e == "jsonl") {
            for line in std::fs::read_to_string(path).unwrap().lines() {
                let entry: Value = serde_json::from_str(line).unwrap();
                ids.insert(entry["args"]["id"].as_str().unwrap().to_owned());
                lines += 1;
            }
        }
    }
    assert_eq!(lines, 2000, "no line lost, torn or duplicated");
    assert_eq!(ids, expected);

    let skills: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("audit_log.json")).unwrap())
            .unwrap();
    assert_eq!(skills.len(), 2000);
    let names: BTreeSet<String> = skills
        .iter()
        .map(|e| e["skill"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names.len(), 2000);
}

#[test]
fn two_hosts_on_one_directory_keep_one_consistent_skill_log() {
    let dir = tempfile::tempdir().unwrap();
    let first = AuditLog::builder(dir.path())
        .max_entries(50)
        .open()
        .unwrap();
    let second = AuditLog::builder(dir.path())
        .max_entries(50)
        .open()
        .unwrap();
    for i in 0..120 {
        let log = if i % 3 == 0 { &first } else { &second };
        let receipt = log
            .append_skill(&SkillRun::new(format!("n{i:03}"), "success"))
            .unwrap();
        assert_eq!(receipt.total_entries, (i + 1).min(50));
    }
    let skills: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("audit_log.json")).unwrap())
            .unwrap();
    let names: Vec<String> = skills
        .iter()
        .map(|e| e["skill"].as_str().unwrap().to_owned())
        .collect();
    let expected: Vec<String> = (70..120).map(|i| format!("n{i:03}")).collect();
    assert_eq!(names, expected);
}
