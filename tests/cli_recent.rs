//! `auditlog recent`: newest first, limits, day windows, users and formats.

use serde_json::Value;

use crate::support::{Cli, field};

fn tool(cli: &Cli, now: &str, user: &str, tool: &str) {
    cli.run_at(
        now,
        &[
            "tool", "--user", user, "--tool", tool, "--status", "ok", "--result", "done",
        ],
    )
    .success();
}

fn recent(cli: &Cli, now: &str, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["recent"];
    all.extend_from_slice(args);
    let run = cli.run_at(now, &all).success();
    run.json().as_array().expect("a JSON array").clone()
}

const NOW: &str = "2025-10-23T18:00:00Z";

#[test]
fn one_users_entries_newest_first_across_days_with_a_limit() {
    let cli = Cli::new();
    tool(&cli, "2025-10-21T09:00:00Z", "alice", "t1");
    tool(&cli, "2025-10-22T09:00:00Z", "alice", "t2");
    tool(&cli, "2025-10-23T09:00:00Z", "alice", "t3");
    tool(&cli, "2025-10-23T10:00:00Z", "alice", "t4");
    tool(&cli, "2025-10-23T11:00:00Z", "bob", "other");
    let all = recent(&cli, NOW, &["--user", "alice"]);
    assert_eq!(field(&all, "tool"), ["t4", "t3", "t2", "t1"]);
    let two = recent(&cli, NOW, &["--user", "alice", "--limit", "2"]);
    assert_eq!(field(&two, "tool"), ["t4", "t3"]);
    assert!(recent(&cli, NOW, &["--user", "nobody"]).is_empty());
}

#[test]
fn the_day_window_counts_back_from_today() {
    let cli = Cli::new();
    tool(&cli, "2025-10-13T09:00:00Z", "alice", "ten_days_ago");
    tool(&cli, "2025-10-17T00:00:00Z", "alice", "six_days_ago");
    tool(&cli, "2025-10-23T09:00:00Z", "alice", "today");
    assert_eq!(
        field(&recent(&cli, NOW, &["--user", "alice"]), "tool"),
        ["today", "six_days_ago"]
    );
    assert_eq!(
        field(
            &recent(&cli, NOW, &["--user", "alice", "--days", "1"]),
            "tool"
        ),
        ["today"]
    );
    assert_eq!(
        recent(&cli, NOW, &["--user", "alice", "--days", "11"]).len(),
        3
    );
}

#[test]
fn all_users_are_merged_by_time() {
    let cli = Cli::new();
    tool(&cli, "2025-10-22T09:00:00Z", "alice", "a1");
    tool(&cli, "2025-10-22T10:00:00Z", "bob", "b1");
    tool(&cli, "2025-10-23T08:00:00Z", "carol", "c1");
    tool(&cli, "2025-10-23T09:00:00Z", "alice", "a2");
    let merged = recent(&cli, NOW, &["--all-users"]);
    assert_eq!(field(&merged, "tool"), ["a2", "c1", "b1", "a1"]);
    assert_eq!(field(&merged, "user"), ["alice", "carol", "bob", "alice"]);
    let newest = recent(&cli, NOW, &["--all-users", "--limit", "1"]);
    assert_eq!(field(&newest, "tool"), ["a2"]);
}

#[test]
fn skills_reads_the_skill_log_newest_first() {
    let cli = Cli::new();
    for (i, skill) in ["s.one", "s.two", "s.three"].iter().enumerate() {
        cli.run_at(
            &format!("2025-10-23T1{i}:00:00Z"),
            &["record", skill, "success", "10"],
        )
        .success();
    }
    tool(&cli, "2025-10-23T12:00:00Z", "alice", "not_a_skill");
    let entries = recent(&cli, NOW, &["--skills"]);
    assert_eq!(field(&entries, "skill"), ["s.three", "s.two", "s.one"]);
    assert_eq!(
        field(&recent(&cli, NOW, &["--skills", "--limit", "1"]), "skill"),
        ["s.three"]
    );
}

#[test]
fn formats() {
    let cli = Cli::new();
    let long_result = "a long result that will not fit in a terminal column ".repeat(4);
    for (i, user) in ["alice", "bob"].iter().enumerate() {
        cli.run_at(
            &format!("2025-10-23T1{i}:00:00Z"),
            &[
                "tool",
                "--user",
                user,
                "--tool",
                "a_rather_long_tool_name",
                "--status",
                "ok",
                "--result",
                &long_result,
            ],
        )
        .success();
    }
    let jsonl = cli
        .run_at(NOW, &["recent", "--all-users", "--format", "jsonl"])
        .success()
        .stdout;
    let lines: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(field(&lines, "user"), ["bob", "alice"]);

    let table = cli
        .run_at(NOW, &["recent", "--all-users", "--format", "table"])
        .success()
        .stdout;
    let rows: Vec<&str> = table.lines().collect();
    assert_eq!(rows.len(), 3, "{table}");
    assert!(rows[0].starts_with("TS") && rows[0].contains("USER") && rows[0].contains("TOOL"));
    assert!(rows[1].contains("bob") && rows[2].contains("alice"));
    assert!(
        rows.iter().all(|r| r.chars().count() <= 80),
        "fits 80 columns:\n{table}"
    );

    let empty = cli.run_at(NOW, &["recent", "--user", "nobody"]).success();
    assert_eq!(empty.json(), Value::Array(vec![]));
}

#[test]
fn bad_queries_are_refused() {
    let cli = Cli::new();
    cli.run(&["recent"]).refused("--skills");
    cli.run(&["recent", "--skills", "--user", "alice"])
        .refused("--user");
    cli.run(&["recent", "--skills", "--limit", "0"])
        .refused("limit");
    cli.run(&["recent", "--skills", "--limit", "10001"])
        .refused("limit");
    cli.run(&["recent", "--skills", "--limit", "many"])
        .refused("--limit");
    cli.run(&["recent", "--skills", "--days", "0"])
        .refused("days");
    cli.run(&["recent", "--user", "../etc"]).refused("user");
    cli.run(&["recent", "--skills", "--format", "xml"])
        .refused("--format");
}
