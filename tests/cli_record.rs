//! `auditlog record`: the seed's skill log and response, through the CLI.

use serde_json::Value;

use crate::support::{Cli, field, jq};

#[test]
fn three_records_make_the_seed_file_and_response() {
    let cli = Cli::new();
    let first = cli
        .run(&["record", "workflow.validate", "success", "150"])
        .success()
        .json();
    cli.run(&[
        "record",
        "workflow.compose",
        "failed",
        "5000",
        r#"["Step 3 failed", "Timeout occurred"]"#,
    ])
    .success();
    let third = cli
        .run(&[
            "record",
            "api.validate",
            "success",
            "250",
            "[]",
            r#"{"api": "users.yaml", "endpoints": 12}"#,
        ])
        .success()
        .json();

    let log_path = std::fs::canonicalize(cli.dir())
        .unwrap()
        .join("audit_log.json");
    let log_path = log_path.to_str().unwrap();
    assert_eq!(first["ok"], true);
    assert_eq!(first["status"], "success");
    assert_eq!(first["errors"], Value::Array(vec![]));
    assert_eq!(first["path"], log_path);
    assert_eq!(first["details"]["status"], "success");
    assert_eq!(first["details"]["audit_log_path"], log_path);
    assert_eq!(first["details"]["total_entries"], 1);
    assert_eq!(third["details"]["total_entries"], 3);

    let entries = cli.skill_log();
    assert_eq!(entries.len(), 3);
    assert_eq!(entries[2], third["details"]["audit_entry"]);
    let keys: Vec<Vec<&str>> = entries
        .iter()
        .map(|e| e.as_object().unwrap().keys().map(String::as_str).collect())
        .collect();
    assert_eq!(
        keys[0],
        ["timestamp", "skill", "status", "duration_ms", "seq", "hash"]
    );
    assert_eq!(
        keys[1],
        [
            "timestamp",
            "skill",
            "status",
            "duration_ms",
            "errors",
            "seq",
            "hash"
        ]
    );
    assert_eq!(
        keys[2],
        [
            "timestamp",
            "skill",
            "status",
            "duration_ms",
            "errors",
            "metadata",
            "seq",
            "hash"
        ]
    );
    assert_eq!(entries[1]["errors"][1], "Timeout occurred");
    assert_eq!(entries[2]["metadata"]["endpoints"], 12);
    for entry in &entries {
        let ts = entry["timestamp"].as_str().unwrap();
        assert!(
            chrono::NaiveDateTime::parse_from_str(ts, "%Y-%m-%dT%H:%M:%S%.3fZ").is_ok()
                && ts.len() == 24,
            "ISO 8601 UTC with milliseconds: {ts}"
        );
    }
}

#[test]
fn the_seeds_jq_queries_work() {
    let cli = Cli::new();
    cli.run_at(
        "2025-10-23T10:00:00Z",
        &["record", "workflow.compose", "success", "1000"],
    )
    .success();
    cli.run_at(
        "2025-10-23T12:30:00Z",
        &[
            "record",
            "workflow.compose",
            "failed",
            "3000",
            r#"["boom"]"#,
        ],
    )
    .success();
    cli.run_at(
        "2025-10-23T12:45:00Z",
        &["record", "workflow.validate", "success", "150"],
    )
    .success();
    let file = cli.dir().join("audit_log.json");

    assert_eq!(jq(&["length"], &file).trim(), "3");
    let failed: Value = serde_json::from_str(&jq(
        &["-c", r#"[.[] | select(.status == "failed")]"#],
        &file,
    ))
    .unwrap();
    assert_eq!(field(failed.as_array().unwrap(), "duration_ms"), [3000]);
    let average = jq(
        &[r#"[.[] | select(.skill == "workflow.compose") | .duration_ms] | add / length"#],
        &file,
    );
    assert_eq!(average.trim(), "2000");
    let recent = jq(
        &[
            "-c",
            "--arg",
            "cutoff",
            "2025-10-23T11:45:00",
            "[.[] | select(.timestamp > $cutoff) | .skill]",
        ],
        &file,
    );
    assert_eq!(recent.trim(), r#"["workflow.compose","workflow.validate"]"#);
}

#[test]
fn max_entries_keeps_exactly_the_newest() {
    let cli = Cli::new();
    for i in 0..25 {
        let run = cli
            .run(&[
                "record",
                &format!("skill.n{i:02}"),
                "success",
                "--max-entries",
                "10",
            ])
            .success();
        assert_eq!(run.json()["details"]["total_entries"], (i + 1).min(10));
    }
    let entries = cli.skill_log();
    let expected: Vec<String> = (15..25).map(|i| format!("skill.n{i:02}")).collect();
    assert_eq!(field(&entries, "skill"), expected);
}

#[test]
fn empty_optional_arguments_are_left_out() {
    let cli = Cli::new();
    let entry = cli
        .run(&["record", "registry.update", "success", "", "", ""])
        .success()
        .json()["details"]["audit_entry"]
        .clone();
    let keys: Vec<&str> = entry
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["timestamp", "skill", "status", "seq", "hash"]);
    // The seed's own example: no duration, no errors, some metadata.
    let entry = cli
        .run(&[
            "record",
            "registry.update",
            "success",
            "",
            "[]",
            r#"{"skill": "x", "action": "update"}"#,
        ])
        .success()
        .json()["details"]["audit_entry"]
        .clone();
    assert_eq!(entry.get("duration_ms"), None);
    assert_eq!(entry["errors"], Value::Array(vec![]));
    assert_eq!(entry["metadata"]["action"], "update");
}

#[test]
fn refused_input_names_the_field_and_leaves_the_log_alone() {
    let cli = Cli::new();
    cli.run(&["record", "first.skill", "success", "1"])
        .success();
    let before = cli.snapshot();
    let cases: &[(&[&str], &str)] = &[
        (&["record", "s.x", "Success"], "status"),
        (&["record", "s.x", ""], "status"),
        (&["record", "s.x", "two words"], "status"),
        (&["record", "s.x", "-1"], "status"),
        (&["record", "../escape", "success"], "skill"),
        (&["record", "a/b", "success"], "skill"),
        (&["record", "", "success"], "skill"),
        (&["record", "nul\u{1}x", "success"], "skill"),
        (&["record", "s.x", "success", "abc"], "duration_ms"),
        (&["record", "s.x", "success", "-5"], "duration_ms"),
        (&["record", "s.x", "success", "1.5"], "duration_ms"),
        (
            &["record", "s.x", "success", "99999999999999999999999"],
            "duration_ms",
        ),
        (&["record", "s.x", "failed", "1", "not json"], "errors"),
        (&["record", "s.x", "failed", "1", r#"{"a": 1}"#], "errors"),
        (&["record", "s.x", "failed", "1", "[1, 2]"], "errors"),
        (&["record", "s.x", "success", "1", "[]", "[1]"], "metadata"),
        (&["record", "s.x", "success", "1", "[]", "{"], "metadata"),
        (
            &["record", "s.x", "success", "1", "[]", r#""text""#],
            "metadata",
        ),
        (
            &["record", "s.x", "success", "--max-entries", "0"],
            "max_entries",
        ),
    ];
    for (args, name) in cases {
        let run = cli.run(args).refused(name);
        let response = run.json();
        assert_eq!(response["ok"], false, "{args:?}");
        assert_eq!(response["status"], "failed");
        assert!(
            response["errors"][0].as_str().unwrap().starts_with(name),
            "{args:?}: {response}"
        );
        assert_eq!(response["details"]["error"]["details"]["field"], *name);
        assert_eq!(cli.snapshot(), before, "{args:?} changed the log directory");
    }
}

#[test]
fn a_name_with_a_leading_dash_is_a_name_as_for_the_seed() {
    let cli = Cli::new();
    let response = cli.run(&["record", "-x", "success"]).success().json();
    assert_eq!(response["details"]["audit_entry"]["skill"], "-x");
    let response = cli
        .run(&["record", "--max-entries", "5", "-x.y", "success", "-5"])
        .refused("duration_ms")
        .json();
    assert_eq!(
        response["details"]["error"]["details"]["field"],
        "duration_ms"
    );
}

#[test]
fn wrong_argument_counts_are_refused() {
    let cli = Cli::new();
    cli.run(&["record"]).refused("<SKILL>");
    cli.run(&["record", "only.skill"]).refused("<STATUS>");
    cli.run(&["record", "s", "success", "1", "[]", "{}", "extra"])
        .refused("extra");
    assert!(cli.snapshot().is_empty());
}

#[test]
fn a_seed_written_file_is_kept_and_continued() {
    let cli = Cli::new();
    std::fs::create_dir_all(cli.dir()).unwrap();
    let seed = r#"[
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
    "duration_ms": 5000,
    "errors": ["Step 3 failed", "Timeout occurred"]
  }
]"#;
    std::fs::write(cli.dir().join("audit_log.json"), seed).unwrap();
    let run = cli.run(&["record", "next.skill", "success"]).success();
    assert_eq!(run.json()["details"]["total_entries"], 3);
    let entries = cli.skill_log();
    assert_eq!(
        field(&entries, "skill"),
        ["workflow.validate", "workflow.compose", "next.skill"]
    );
    assert_eq!(entries[1]["errors"][0], "Step 3 failed");
}
