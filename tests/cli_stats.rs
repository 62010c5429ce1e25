//! `auditlog stats`: totals equal a hand-computed expectation.

use serde_json::{Value, json};

use crate::cli_recent::{betty_log_with_foreign_entries, legacy_skill_log};
use crate::support::Cli;

const NOW: &str = "2025-10-23T18:00:00Z";

#[test]
fn skill_stats_equal_the_hand_computed_numbers() {
    let cli = Cli::new();
    // In time order: a skill-log append never stamps before the last entry.
    let runs = [
        ("2025-10-01T09:00:00Z", "old", "success", "5"),
        ("2025-10-21T09:00:00Z", "build", "success", "100"),
        ("2025-10-21T10:00:00Z", "build", "success", "300"),
        ("2025-10-22T09:00:00Z", "build", "failed", "200"),
        ("2025-10-22T10:00:00Z", "build", "timeout", "1000"),
        ("2025-10-22T11:00:00Z", "test", "success", ""),
        ("2025-10-23T09:00:00Z", "test", "failed", "50"),
    ];
    for (now, skill, status, ms) in runs {
        cli.run_at(now, &["record", skill, status, ms]).success();
    }
    let stats = cli
        .run_at(NOW, &["stats", "--skills", "--days", "7"])
        .success()
        .json();
    let expected = json!({
        "total": 6,
        "errors": 3,
        "error_rate": 0.5,
        "other": 0,
        "by_status": {"failed": 2, "success": 3, "timeout": 1},
        "by_name": {
            // durations 100, 200, 300, 1000: mean 400; nearest rank p50 = 2nd = 200, p95 = 4th = 1000
            "build": {"count": 4, "errors": 2, "avg_ms": 400.0, "p50_ms": 200, "p95_ms": 1000, "max_ms": 1000},
            // one run without a duration: only 50 counts
            "test": {"count": 2, "errors": 1, "avg_ms": 50.0, "p50_ms": 50, "p95_ms": 50, "max_ms": 50}
        },
        "by_user": {},
        "by_day": {"2025-10-21": 2, "2025-10-22": 3, "2025-10-23": 1}
    });
    assert_eq!(stats, expected);

    let build_since = cli
        .run_at(
            NOW,
            &[
                "stats",
                "--skills",
                "--skill",
                "build",
                "--since",
                "2025-10-22",
            ],
        )
        .success()
        .json();
    assert_eq!(build_since["total"], 2);
    assert_eq!(build_since["by_name"]["build"]["avg_ms"], 600.0);
    assert_eq!(build_since["error_rate"], 1.0);

    // The skill log has no default window: the 22-day-old run counts too.
    let everything = cli.run_at(NOW, &["stats", "--skills"]).success().json();
    assert_eq!(everything["total"], 7);
    assert_eq!(everything["by_day"]["2025-10-01"], 1);
    assert_eq!(everything["by_name"]["old"]["count"], 1);
}

#[test]
fn stats_count_every_entry_of_a_months_old_seed_log() {
    let cli = Cli::new();
    legacy_skill_log(&cli, 205);
    let stats = cli.run_at(NOW, &["stats", "--skills"]).success().json();
    assert_eq!(stats["total"], 205, "no limit and no default window");
    assert_eq!(stats["errors"], 102);
    assert_eq!(stats["by_day"]["2025-05-01"], 24);
    assert_eq!(stats["by_day"]["2025-05-09"], 13);
    let week = cli
        .run_at(NOW, &["stats", "--skills", "--days", "7"])
        .success()
        .json();
    assert_eq!(week["total"], 0);
    let since = cli
        .run_at(
            NOW,
            &[
                "stats",
                "--skills",
                "--since",
                "2025-05-09T00:00:00.000192Z",
            ],
        )
        .success()
        .json();
    assert_eq!(since["total"], 13, "s192 (.000192+00:00) onwards");
}

#[test]
fn tool_stats_count_users_and_days() {
    let cli = Cli::new();
    for (now, user, tool, status) in [
        ("2025-10-22T09:00:00Z", "amy", "read", "ok"),
        ("2025-10-22T10:00:00Z", "amy", "read", "error"),
        ("2025-10-23T09:00:00Z", "bob", "read", "ok"),
        ("2025-10-23T10:00:00Z", "bob", "write", "denied"),
    ] {
        cli.run_at(
            now,
            &["tool", "--user", user, "--tool", tool, "--status", status],
        )
        .success();
    }
    let all = cli.run_at(NOW, &["stats", "--all-users"]).success().json();
    assert_eq!(all["total"], 4);
    assert_eq!(all["errors"], 2);
    assert_eq!(all["error_rate"], 0.5);
    assert_eq!(all["by_user"], json!({"amy": 2, "bob": 2}));
    assert_eq!(all["by_day"], json!({"2025-10-22": 2, "2025-10-23": 2}));
    assert_eq!(
        all["by_name"]["read"],
        json!({"count": 3, "errors": 1, "avg_ms": null, "p50_ms": null, "p95_ms": null, "max_ms": null})
    );
    let bob = cli
        .run_at(NOW, &["stats", "--user", "bob", "--status", "denied"])
        .success()
        .json();
    assert_eq!(bob["total"], 1);
    assert_eq!(bob["by_status"], json!({"denied": 1}));
    let none = cli
        .run_at(NOW, &["stats", "--user", "nobody"])
        .success()
        .json();
    assert_eq!(none["total"], 0);
    assert_eq!(none["error_rate"], 0.0);
}

#[test]
fn the_table_reads_in_80_columns() {
    let cli = Cli::new();
    cli.run_at(
        NOW,
        &[
            "record",
            "a.very.long.skill.name.that.goes.on",
            "success",
            "12",
        ],
    )
    .success();
    cli.run_at(NOW, &["record", "short", "failed", "3"])
        .success();
    let table = cli
        .run_at(NOW, &["stats", "--skills", "--format", "table"])
        .success()
        .stdout;
    assert!(
        table.starts_with("2 entries, 1 errors (50.0%)\n\n"),
        "{table}"
    );
    assert!(
        !table.contains("other"),
        "no foreign entries, no line for them:\n{table}"
    );
    assert!(table.lines().all(|l| l.chars().count() <= 80), "{table}");
    assert!(table.contains("P95_MS"));
}

#[test]
fn bad_stats_requests_are_refused() {
    let cli = Cli::new();
    // A read refuses a log directory that does not exist before it checks the query.
    std::fs::create_dir_all(cli.dir()).unwrap();
    cli.run(&["stats"]).refused("--skills");
    cli.run(&["stats", "--skills", "--days", "0"])
        .refused("days");
    cli.run(&["stats", "--user", "a/b"]).refused("user");
    cli.run(&["stats", "--skills", "--format", "csv"])
        .refused("--format");
    let _: Value = cli.run(&["stats", "--skills"]).success().json();
}

#[test]
fn foreign_entries_count_as_other_and_the_error_rate_is_over_runs() {
    let cli = Cli::new();
    betty_log_with_foreign_entries(&cli);
    let stats = cli.run_at(NOW, &["stats", "--skills"]).success().json();
    assert_eq!(
        (&stats["total"], &stats["errors"], &stats["other"]),
        (&json!(74), &json!(20), &json!(6))
    );
    assert_eq!(stats["error_rate"], 20.0 / 74.0, "not 26/80");
    assert_eq!(stats["by_status"], json!({"failed": 20, "success": 54}));
    let names: Vec<&String> = stats["by_name"].as_object().unwrap().keys().collect();
    assert_eq!(names, ["api.s0", "api.s1", "api.s2", "api.s3", "api.s4"]);
    assert_eq!(stats["by_day"], json!({"2025-10-20": 74}));

    let failed = cli
        .run_at(NOW, &["stats", "--skills", "--status", "failed"])
        .success()
        .json();
    assert_eq!(
        (&failed["total"], &failed["other"]),
        (&json!(20), &json!(0))
    );

    let table = cli
        .run_at(NOW, &["stats", "--skills", "--format", "table"])
        .success()
        .stdout;
    assert!(
        table.starts_with(
            "74 entries, 20 errors (27.0%)\nother entries (not skill runs or tool calls): 6\n"
        ),
        "{table}"
    );
    assert!(
        !table.lines().any(|l| l.starts_with("  ")),
        "no row without a name:\n{table}"
    );
}

/// The attack: an injected prompt makes the agent call 1,200 made-up tools,
/// each denied and logged; the admin's front-page `stats` stays small.
#[test]
fn made_up_tool_names_beyond_the_cap_are_totalled_not_listed() {
    let cli = Cli::new();
    let log = auditlog::AuditLog::open(cli.dir()).unwrap();
    let mut calls: Vec<auditlog::ToolCall> = (0..1_200)
        .map(|i| auditlog::ToolCall::new("amy", format!("made_up_{i:04}"), "denied"))
        .collect();
    calls.extend((0..3).map(|_| auditlog::ToolCall::new("amy", "file_read", "ok")));
    log.append_tools(&calls).unwrap();
    drop(log);
    let stats = cli.run(&["stats", "--all-users"]).success().json();
    let by_name = stats["by_name"].as_object().unwrap();
    assert_eq!(by_name.len(), 1_000);
    assert_eq!(by_name["file_read"]["count"], 3);
    // 998 made-up names kept (the lowest, all tied at one call), 202 totalled.
    assert_eq!(by_name["auditlog.other"]["count"], 202);
    assert_eq!(by_name["auditlog.other"]["errors"], 202);
    assert!(by_name.contains_key("made_up_0997") && !by_name.contains_key("made_up_0998"));
    assert_eq!(stats["total"], 1_203);
    // One name's figures are still there to be asked for.
    let one = cli
        .run(&["stats", "--all-users", "--tool", "made_up_1199"])
        .success()
        .json();
    assert_eq!(one["by_name"]["made_up_1199"]["count"], 1);
}

/// The same attack through statuses: a skill reports a new word as its
/// status on each of 1,200 runs; `by_status` stays small and adds up.
#[test]
fn made_up_skill_statuses_beyond_the_cap_are_totalled_not_listed() {
    let cli = Cli::new();
    let log = auditlog::AuditLog::open(cli.dir()).unwrap();
    let mut runs: Vec<auditlog::SkillRun> = (0..1_200)
        .map(|i| auditlog::SkillRun::new("deploy", format!("made_up_{i:04}")))
        .collect();
    runs.extend((0..3).map(|_| auditlog::SkillRun::new("deploy", "success")));
    log.append_skills(&runs).unwrap();
    drop(log);
    let stats = cli.run(&["stats", "--skills"]).success().json();
    let by_status = stats["by_status"].as_object().unwrap();
    assert_eq!(by_status.len(), 1_000);
    assert_eq!(by_status["success"], 3);
    // 998 made-up statuses kept (the lowest, all tied at one run), 202 totalled.
    assert_eq!(by_status["auditlog.other"], 202);
    assert!(by_status.contains_key("made_up_0997") && !by_status.contains_key("made_up_0998"));
    let counted: u64 = by_status.values().map(|n| n.as_u64().unwrap()).sum();
    assert_eq!(stats["total"], 1_203);
    assert_eq!(counted, 1_203);
    // One status's figures are still there to be asked for.
    let one = cli
        .run(&["stats", "--skills", "--status", "made_up_1199"])
        .success()
        .json();
    assert_eq!(one["by_status"]["made_up_1199"], 1);
}
