//! The portable component under the stock wasmtime CLI (installed from PyPI
//! by `tests/setup-runtimes.sh`): its command line behaves like `auditlog`'s,
//! its exports are callable with `--invoke` in WAVE syntax, and the entries it
//! writes are the ones the auditlog host writes, timestamps aside.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

use crate::support::{Cli, Run};

/// The wasmtime CLI: `AUDITLOG_WASMTIME`, else `target/runtimes/bin/wasmtime`.
fn wasmtime() -> PathBuf {
    let path = std::env::var_os("AUDITLOG_WASMTIME").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/runtimes/bin/wasmtime"),
        PathBuf::from,
    );
    assert!(
        path.exists(),
        "no wasmtime CLI at {}: run `bash tests/setup-runtimes.sh` (or set AUDITLOG_WASMTIME)",
        path.display()
    );
    path
}

/// The portable component, written once per test run by `auditlog component --portable`.
fn portable() -> &'static Path {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("auditlog-portable-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("auditlog-portable.wasm");
        let status = Command::new(env!("CARGO_BIN_EXE_auditlog"))
            .args(["component", "--portable", "--out"])
            .arg(&path)
            .output()
            .unwrap()
            .status;
        assert!(status.success());
        path
    })
}

/// `wasmtime run --dir DIR::/ [wasmtime_args] COMPONENT [args]`.
pub(crate) fn run(dir: &Path, wasmtime_args: &[&str], args: &[&str]) -> Run {
    std::fs::create_dir_all(dir).unwrap();
    let output = Command::new(wasmtime())
        .arg("run")
        .arg("--dir")
        .arg(format!("{}::/", dir.display()))
        .args(wasmtime_args)
        .arg(portable())
        .args(args)
        .output()
        .unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

/// An entry without what differs between two runs: its time and the links
/// computed over it.
fn timeless(mut entry: Value) -> Value {
    for field in ["timestamp", "ts", "hash", "mac"] {
        entry.as_object_mut().unwrap().remove(field);
    }
    entry
}

/// A page's entries, checked to be newest first by their own times, then
/// without those times and in a fixed order. Two runs' clocks differ: entries
/// of two users written in one second by one run may straddle a second in
/// the other, which rightly orders them the other way round.
fn newest_first(entries: Vec<Value>) -> Vec<String> {
    let time = |e: &Value| {
        e.get("ts")
            .or(e.get("timestamp"))
            .unwrap()
            .as_str()
            .unwrap()
            .to_owned()
    };
    let times: Vec<String> = entries.iter().map(time).collect();
    assert!(times.is_sorted_by(|a, b| a >= b), "newest first: {times:?}");
    let mut timeless: Vec<String> = entries
        .into_iter()
        .map(|e| timeless(e).to_string())
        .collect();
    timeless.sort();
    timeless
}

fn lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn the_command_line_matches_the_auditlog_cli() {
    let host = Cli::new();
    let wasm = Cli::new();
    let long = "x".repeat(600);
    let args_json = format!(r#"{{"path": "a.txt", "text": "{long}", "password": "hunter2"}}"#);
    let calls: Vec<Vec<&str>> = vec![
        vec!["record", "workflow.validate", "success", "150"],
        vec![
            "record",
            "workflow.compose",
            "failed",
            "5000",
            r#"["Step 3 failed"]"#,
            r#"{"steps": 5}"#,
        ],
        vec![
            "tool",
            "--user",
            "alice",
            "--tool",
            "file_read",
            "--status",
            "ok",
            "--args",
            &args_json,
            "--result",
            "hello",
        ],
        vec![
            "tool", "--user", "bob", "--tool", "search", "--status", "error",
        ],
    ];
    for call in &calls {
        let a = host.run(call).success();
        let b = run(&wasm.dir(), &[], call).success();
        if call[0] == "record" {
            let (a, b) = (a.json(), b.json());
            assert_eq!(
                timeless(a["details"]["audit_entry"].clone()),
                timeless(b["details"]["audit_entry"].clone())
            );
            assert_eq!(a["details"]["total_entries"], b["details"]["total_entries"]);
            assert_eq!(b["ok"], true);
        } else {
            assert_eq!(
                timeless(lines(&a.stdout).remove(0)),
                timeless(lines(&b.stdout).remove(0))
            );
        }
    }
    let skills = |cli: &Cli| {
        cli.skill_log()
            .into_iter()
            .map(timeless)
            .collect::<Vec<_>>()
    };
    assert_eq!(skills(&host), skills(&wasm));
    for query in [
        vec!["recent", "--skills", "--format", "jsonl"],
        vec!["recent", "--all-users", "--format", "jsonl"],
        vec![
            "recent",
            "--user",
            "alice",
            "--tool",
            "file_read",
            "--format",
            "jsonl",
        ],
    ] {
        let a = lines(&host.run(&query).success().stdout);
        let b = lines(&run(&wasm.dir(), &[], &query).success().stdout);
        assert_eq!(newest_first(a), newest_first(b), "{query:?}");
    }
    let stats = |out: &str| -> Value {
        let mut stats: Value = serde_json::from_str(out).unwrap();
        stats.as_object_mut().unwrap().remove("by_day");
        stats
    };
    let query = ["stats", "--all-users"];
    assert_eq!(
        stats(&host.run(&query).success().stdout),
        stats(&run(&wasm.dir(), &[], &query).success().stdout)
    );
    assert_eq!(
        run(&wasm.dir(), &[], &["verify"]).success().stdout,
        "4 entries verified\n"
    );
}

#[test]
fn refused_input_names_the_field_and_writes_nothing() {
    let cli = Cli::new();
    run(&cli.dir(), &[], &["record", "s.x", "success"]).success();
    let before = cli.snapshot();
    for (call, field) in [
        (vec!["record", "s.x", "maybe later"], "status"),
        (vec!["record", "s.x", "success", "-5"], "duration_ms"),
        (
            vec!["tool", "--user", "../etc", "--tool", "t", "--status", "ok"],
            "user",
        ),
        (
            vec!["tool", "--user", "a", "--tool", "t", "--status", "fine"],
            "status",
        ),
        (
            vec![
                "tool", "--user", "a", "--tool", "t", "--status", "ok", "--args", "[1]",
            ],
            "args",
        ),
        (vec!["recent", "--skills", "--days", "0"], "days"),
    ] {
        let run = run(&cli.dir(), &[], &call);
        assert_ne!(run.code, 0, "{call:?}: {run:?}");
        assert!(
            run.stderr
                .lines()
                .any(|l| l.starts_with("auditlog: ") && l.contains(field)),
            "{call:?}: {run:?}"
        );
        assert_eq!(cli.snapshot(), before, "{call:?}");
    }
}

#[test]
fn the_exports_are_callable_with_invoke() {
    let cli = Cli::new();
    let invoke = |call: &str| run(&cli.dir(), &["--invoke", call], &[]).success().stdout;
    let out = invoke(
        r#"append-tool({user: "carol", tool: "file_read", args: "{\"path\": \"a.txt\"}", status: "ok", output: "hello"})"#,
    );
    assert!(out.starts_with("ok("), "{out}");
    assert!(out.contains(r#"path: "carol/tool_audit/"#), "{out}");
    let out = invoke(
        r#"append-skill({skill: "s.x", status: "success", duration-ms: some(3), errors: none, metadata: none})"#,
    );
    assert!(out.contains("total-entries: 1"), "{out}");
    let out = invoke(
        "recent({filter: {source: user(\"carol\"), name: none, status: none, since: none, until: none, days: none}, limit: some(5), cursor: none})",
    );
    assert!(out.contains(r#"\"tool\":\"file_read\""#), "{out}");
    let out = invoke("verify(none, [])");
    // WAVE leaves out fields whose value is `none`: no `problem`.
    assert!(
        out.contains("entries: 2") && !out.contains("problem"),
        "{out}"
    );
    let refused = invoke(
        r#"append-tool({user: "carol", tool: "t", args: "{}", status: "fine", output: ""})"#,
    );
    assert!(
        refused.starts_with("err(invalid({field: \"status\""),
        "{refused}"
    );
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    assert_eq!(cli.day_file("carol", &today).len(), 1);
}

/// Copies the files under `from` into `to`, directories included.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

#[test]
fn rotate_matches_the_auditlog_cli() {
    // Five days of calls up to yesterday, in segments, written by the host;
    // the same files then rotated by both command lines.
    let host = Cli::new();
    let wasm = Cli::new();
    let today = chrono::Utc::now();
    for days_ago in (1..=5).rev() {
        let day = today - chrono::Duration::days(days_ago);
        for i in 0..4 {
            let now = day.format(&format!("%Y-%m-%dT10:00:{i:02}Z")).to_string();
            let args = format!(r#"{{"i": {i}}}"#);
            host.run_at(
                &now,
                &[
                    "--max-file-bytes",
                    "1024",
                    "tool",
                    "--user",
                    "alice",
                    "--tool",
                    "t",
                    "--status",
                    "ok",
                    "--args",
                    &args,
                    "--result",
                    &"r".repeat(300),
                ],
            )
            .success();
        }
    }
    copy_dir(&host.dir(), &wasm.dir());
    for argv in [
        &["--compress", "true", "rotate"][..],
        &[
            "--max-days",
            "2",
            "rotate",
            "--user",
            "alice",
            "--format",
            "json",
        ],
        &[
            "--max-days",
            "2",
            "--compress",
            "true",
            "rotate",
            "--all-users",
        ],
    ] {
        let a = host.run(argv).success();
        let b = run(&wasm.dir(), &[], argv).success();
        assert!(!a.stderr.is_empty());
        assert_eq!((&a.stdout, &a.stderr), (&b.stdout, &b.stderr), "{argv:?}");
    }
    let files = |cli: &Cli| -> Vec<PathBuf> {
        cli.snapshot()
            .into_keys()
            .map(|p| p.strip_prefix(cli.dir()).unwrap().to_path_buf())
            .collect()
    };
    assert_eq!(files(&host), files(&wasm));
    assert!(
        files(&host)
            .iter()
            .any(|f| f.to_string_lossy().ends_with(".jsonl.gz"))
    );
    let verified = host.run(&["verify"]).success().stdout;
    assert_eq!(
        run(&wasm.dir(), &[], &["verify"]).success().stdout,
        verified
    );
}

#[test]
fn look_alike_names_repeated_keys_and_terminal_controls_are_refused_escaped() {
    let cli = Cli::new();
    run(&cli.dir(), &[], &["record", "s.x", "success"]).success();
    let before = cli.snapshot();
    let tool = |user: &'static str, args: &'static str| {
        vec![
            "tool", "--user", user, "--tool", "t", "--status", "ok", "--args", args,
        ]
    };
    for (call, starts) in [
        (
            tool("alice\u{200B}", "{}"),
            "auditlog: user: must not contain U+200B",
        ),
        (
            tool("alice", r#"{"path":"/etc/shadow","path":"notes.txt"}"#),
            "auditlog: args.path: ",
        ),
        (
            tool("alice", r#"{"id":123456789012345678901234567890}"#),
            "auditlog: args.id: ",
        ),
        (
            vec!["record", "Auditlog.recovery", "success"],
            "auditlog: skill: ",
        ),
        (
            vec!["recent", "--skills", "--format", "csv\u{202E}"],
            "auditlog: ",
        ),
    ] {
        let run = run(&cli.dir(), &[], &call);
        assert_ne!(run.code, 0, "{call:?}: {run:?}");
        assert!(
            run.stderr.lines().any(|l| l.starts_with(starts)),
            "{call:?}: {run:?}"
        );
        assert!(
            !run.stderr.contains(['\u{200B}', '\u{202E}']),
            "shown escaped: {run:?}"
        );
        assert_eq!(cli.snapshot(), before, "{call:?}");
    }
}
