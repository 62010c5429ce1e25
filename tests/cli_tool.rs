//! `auditlog tool`: the seed's per-user, per-day tool log, through the CLI.

use serde_json::{Value, json};

use crate::support::Cli;

const NOW: &str = "2025-10-23T12:34:56Z";

#[test]
fn writes_one_line_with_the_seed_fields_to_the_utc_day_file() {
    let cli = Cli::new();
    let run = cli
        .run_at(
            NOW,
            &[
                "tool",
                "--user",
                "alice",
                "--tool",
                "file_read",
                "--status",
                "ok",
                "--args",
                r#"{"path": "a.txt", "n": 2}"#,
                "--result",
                "hello",
            ],
        )
        .success();
    let lines = cli.day_file("alice", "2025-10-23");
    assert_eq!(lines.len(), 1);
    let entry = &lines[0];
    let keys: Vec<&str> = entry
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "ts",
            "user",
            "tool",
            "args",
            "status",
            "result_chars",
            "result_snippet",
            "seq",
            "hash"
        ]
    );
    let mut unsealed = entry.clone();
    let hash = unsealed.as_object_mut().unwrap().remove("hash").unwrap();
    assert_eq!(
        hash.as_str().map(str::len),
        Some(64),
        "a SHA-256 link in hex"
    );
    assert_eq!(
        unsealed,
        json!({"ts": NOW, "user": "alice", "tool": "file_read", "args": {"path": "a.txt", "n": 2},
               "status": "ok", "result_chars": 5, "result_snippet": "hello", "seq": 1})
    );
    assert_eq!(run.json(), *entry, "stdout is the stored entry");
}

#[test]
fn long_arguments_and_results_are_cut_on_character_boundaries() {
    let cli = Cli::new();
    let long = "日本".repeat(300); // 600 characters, 1800 bytes
    let args = json!({"text": long, "nested": {"list": ["short", long]}, "number": 7}).to_string();
    let result = "é".repeat(1000);
    cli.run_at(
        NOW,
        &[
            "tool", "--user", "bob", "--tool", "t", "--status", "error", "--args", &args,
            "--result", &result,
        ],
    )
    .success();
    let entry = &cli.day_file("bob", "2025-10-23")[0];
    let cut = format!("{} …[600 chars total]", "日本".repeat(250));
    assert_eq!(entry["args"]["text"], cut.as_str());
    assert_eq!(entry["args"]["nested"]["list"], json!(["short", cut]));
    assert_eq!(entry["args"]["number"], 7);
    assert_eq!(entry["result_chars"], 1000);
    assert_eq!(entry["result_snippet"], "é".repeat(300).as_str());
}

#[test]
fn limits_are_configurable() {
    let cli = Cli::new();
    let args = json!({"a": "abcdefghijkl"}).to_string();
    let run = cli
        .run(&[
            "tool",
            "--user",
            "u",
            "--tool",
            "t",
            "--status",
            "ok",
            "--args",
            &args,
            "--result",
            "123456789",
            "--arg-max-chars",
            "4",
            "--snippet-chars",
            "3",
        ])
        .success();
    let entry = run.json();
    assert_eq!(entry["args"]["a"], "abcd …[12 chars total]");
    assert_eq!(entry["result_snippet"], "123");
    assert_eq!(entry["result_chars"], 9);
}

#[test]
fn the_result_can_come_from_a_file_or_stdin() {
    let cli = Cli::new();
    let file = cli.outside().join("result.txt");
    std::fs::write(&file, "from a file").unwrap();
    let from_file = cli
        .run(&[
            "tool",
            "--user",
            "u",
            "--tool",
            "t",
            "--status",
            "ok",
            "--result-file",
            file.to_str().unwrap(),
        ])
        .success()
        .json();
    assert_eq!(from_file["result_snippet"], "from a file");
    let from_stdin = cli
        .run_with(
            &[
                "tool",
                "--user",
                "u",
                "--tool",
                "t",
                "--status",
                "ok",
                "--result-file",
                "-",
            ],
            &[],
            Some("piped"),
        )
        .success()
        .json();
    assert_eq!(from_stdin["result_snippet"], "piped");
    cli.run(&[
        "tool",
        "--user",
        "u",
        "--tool",
        "t",
        "--status",
        "ok",
        "--result",
        "x",
        "--result-file",
        "-",
    ])
    .refused("--result");
}

#[test]
fn days_roll_over_at_utc_midnight() {
    let cli = Cli::new();
    let call = ["tool", "--user", "carol", "--tool", "t", "--status", "ok"];
    cli.run_at("2025-10-23T23:59:59Z", &call).success();
    cli.run_at("2025-10-24T01:30:00+02:00", &call).success(); // 23:30 UTC on the 23rd
    cli.run_at("2025-10-24T00:00:00Z", &call).success();
    assert_eq!(cli.day_file("carol", "2025-10-23").len(), 2);
    assert_eq!(cli.day_file("carol", "2025-10-24").len(), 1);
}

#[test]
fn refused_calls_name_the_field_and_change_nothing() {
    let cli = Cli::new();
    cli.run_at(
        NOW,
        &["tool", "--user", "alice", "--tool", "t", "--status", "ok"],
    )
    .success();
    let before = cli.snapshot();
    let base =
        |user: &'static str, tool: &'static str, status: &'static str, args: &'static str| {
            vec![
                "tool", "--user", user, "--tool", tool, "--status", status, "--args", args,
            ]
        };
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (base("alice", "t", "maybe", "{}"), "status"),
        (base("alice", "t", "OK", "{}"), "status"),
        (base("../bob", "t", "ok", "{}"), "user"),
        (base("/etc", "t", "ok", "{}"), "user"),
        (base("..", "t", "ok", "{}"), "user"),
        (base(".hidden", "t", "ok", "{}"), "user"),
        (base("a b", "t", "ok", "{}"), "user"),
        (base("alice", "x/y", "ok", "{}"), "tool"),
        (base("alice", "", "ok", "{}"), "tool"),
        (base("alice", "t", "ok", "{not json"), "args"),
        (base("alice", "t", "ok", "[1, 2]"), "args"),
        (base("alice", "t", "ok", "\"text\""), "args"),
        (base("alice", "t", "ok", ""), "args"),
        (vec!["tool", "--user", "alice", "--tool", "t"], "--status"),
        (vec!["tool", "--user", "alice", "--status", "ok"], "--tool"),
        (vec!["tool", "--tool", "t", "--status", "ok"], "--user"),
        (
            vec![
                "tool",
                "--user",
                "alice",
                "--tool",
                "t",
                "--status",
                "ok",
                "--snippet-chars",
                "-1",
            ],
            "--snippet-chars",
        ),
    ];
    for (args, name) in &cases {
        cli.run_at(NOW, args).refused(name);
        assert_eq!(cli.snapshot(), before, "{args:?} changed the log directory");
    }
    let missing = cli.outside().join("missing.txt");
    cli.run(&[
        "tool",
        "--user",
        "alice",
        "--tool",
        "t",
        "--status",
        "ok",
        "--result-file",
        missing.to_str().unwrap(),
    ])
    .refused("--result-file");
    assert_eq!(cli.snapshot(), before);
}

#[test]
fn statuses_ok_error_denied_are_accepted() {
    let cli = Cli::new();
    for status in ["ok", "error", "denied"] {
        cli.run_at(
            NOW,
            &["tool", "--user", "d", "--tool", "t", "--status", status],
        )
        .success();
    }
    let statuses: Vec<Value> = cli
        .day_file("d", "2025-10-23")
        .iter()
        .map(|e| e["status"].clone())
        .collect();
    assert_eq!(statuses, ["ok", "error", "denied"]);
}

#[test]
fn text_that_is_not_utf8_is_refused_by_name() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let cli = Cli::new();
    let bad = OsStr::from_bytes(b"al\xffice");
    let args = |user: &'static OsStr, json: &'static OsStr| -> Vec<&'static OsStr> {
        ["tool", "--user"]
            .iter()
            .map(OsStr::new)
            .chain([user])
            .chain(
                ["--tool", "t", "--status", "ok", "--args"]
                    .iter()
                    .map(OsStr::new),
            )
            .chain([json])
            .collect()
    };
    cli.run_os(&args(bad, OsStr::new("{}"))).refused("--user");
    cli.run_os(&args(
        OsStr::new("alice"),
        OsStr::from_bytes(b"{\"a\": \"\xff\"}"),
    ))
    .refused("--args");
    assert!(cli.snapshot().is_empty());
}

/// stdout on a full disk: the entry is stored, and the command says in one
/// line that its answer could not be written (exit 1) instead of panicking.
#[cfg(target_os = "linux")]
#[test]
fn an_answer_that_cannot_be_written_is_a_one_line_failure() {
    let cli = Cli::new();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_auditlog"))
            .arg("--dir")
            .arg(cli.dir())
            .args(args)
            .env_remove("AUDITLOG_DIR")
            .stdout(std::fs::File::create("/dev/full").unwrap())
            .output()
            .unwrap()
    };
    for args in [
        &["tool", "--user", "alice", "--tool", "t", "--status", "ok"][..],
        &["recent", "--user", "alice"],
        &["stats", "--user", "alice", "--format", "table"],
        &["verify"],
    ] {
        let out = run(args);
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(
            stderr.contains("writing to stdout failed"),
            "{args:?}: {stderr}"
        );
    }
    let stored = cli.run(&["recent", "--user", "alice"]).success().json();
    assert_eq!(stored.as_array().unwrap().len(), 1, "the entry was stored");
}
