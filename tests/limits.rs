//! The sandbox's limits, with the misbehaving test component
//! (`tests/components/misbehave`, built by `tests/artifacts`): a call that runs
//! too long or allocates too much fails with a named error and the same
//! `AuditLog` keeps working; a component that tries every way out of the log
//! directory through the storage interface is refused each time.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use auditlog::{AuditLog, Error, Filter, Query, Runtime, Source, ToolCall};
use auditlog_test_artifacts::MISBEHAVE;
use serde_json::Value;

use crate::support::{Cli, run_within, snapshot};

const MIB: usize = 1024 * 1024;

/// The misbehaving component, compiled once for the whole test binary.
fn runtime() -> Arc<Runtime> {
    static RUNTIME: OnceLock<Arc<Runtime>> = OnceLock::new();
    Arc::clone(RUNTIME.get_or_init(|| {
        let bytes = std::fs::read(MISBEHAVE).expect("the test component exists");
        Arc::new(Runtime::new(&bytes).expect("the test component compiles"))
    }))
}

/// A call the test component answers normally, to show the log still works.
#[track_caller]
fn assert_still_works(log: &AuditLog) {
    let receipt = log
        .append_tool(&ToolCall::new("u", "echo", "ok"))
        .expect("a well-behaved call succeeds after the failed one");
    assert_eq!(receipt.entry["tool"], "echo");
    assert_eq!(receipt.path, log.dir().join("u/tool_audit/ok.jsonl"));
    log.recent(&Query::new(Filter::new(Source::AllUsers)))
        .expect("recent succeeds too");
}

#[test]
fn a_call_that_runs_forever_is_stopped_at_the_time_limit() {
    let dir = tempfile::tempdir().unwrap();
    let limit = Duration::from_millis(200);
    let log = AuditLog::builder(dir.path())
        .runtime(runtime())
        .call_timeout(limit)
        .open()
        .unwrap();
    assert_still_works(&log);

    // Twice: the second runs on the fresh instance that replaced the first.
    for _ in 0..2 {
        let start = Instant::now();
        let error = log
            .append_tool(&ToolCall::new("u", "loop", "ok"))
            .expect_err("the looping call fails");
        let elapsed = start.elapsed();
        assert!(
            matches!(error, Error::Timeout { limit: l } if l == limit),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            "the component exceeded its time limit of 200 ms"
        );
        assert!(!error.is_invalid_input());
        // The component gets at least its limit; the upper bound only shows
        // the limit (not the 30 s default) stopped it.
        assert!(elapsed >= limit, "stopped after only {elapsed:?}");
        assert!(elapsed < Duration::from_secs(20), "took {elapsed:?}");
        assert_still_works(&log);
    }
}

#[test]
fn a_call_that_allocates_without_bound_is_stopped_at_the_memory_limit() {
    let dir = tempfile::tempdir().unwrap();
    let log = AuditLog::builder(dir.path())
        .runtime(runtime())
        .memory_limit(32 * MIB)
        .open()
        .unwrap();

    for _ in 0..2 {
        let error = log
            .append_tool(&ToolCall::new("u", "allocate", "ok"))
            .expect_err("the allocating call fails");
        assert!(
            matches!(error, Error::OutOfMemory { limit } if limit == 32 * MIB),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            "the component exceeded its memory limit of 32 MiB"
        );
        assert_still_works(&log);
    }
}

#[test]
fn a_memory_limit_too_small_to_start_the_component_fails_on_open() {
    let dir = tempfile::tempdir().unwrap();
    for builder in [
        AuditLog::builder(dir.path()).runtime(runtime()),
        AuditLog::builder(dir.path()),
    ] {
        match builder.memory_limit(64 * 1024).open() {
            Err(Error::OutOfMemory { limit }) => assert_eq!(limit, 64 * 1024),
            Err(other) => panic!("expected OutOfMemory, got {other:?}"),
            Ok(_) => panic!("expected OutOfMemory, the component started"),
        }
    }
}

#[test]
fn the_built_in_component_runs_within_tight_limits() {
    let dir = tempfile::tempdir().unwrap();
    let log = AuditLog::builder(dir.path())
        .call_timeout(Duration::from_secs(5))
        .memory_limit(16 * MIB)
        .open()
        .unwrap();
    log.append_tool(&ToolCall::new("alice", "file_read", "ok").output("x".repeat(MIB)))
        .unwrap();
    let page = log
        .recent(&Query::new(Filter::new(Source::User("alice".into()))))
        .unwrap();
    assert_eq!(page.entries.len(), 1);
}

/// The names of the entries of `dir`.
fn names(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect()
}

#[test]
fn every_way_out_of_the_log_directory_is_refused() {
    let root = tempfile::tempdir().unwrap();
    let logs = root.path().join("logs");
    let outside = root.path().join("outside");
    std::fs::create_dir_all(&logs).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::create_dir_all(outside.join("tool_audit")).unwrap();
    std::fs::write(outside.join("tool_audit/secret.jsonl"), "top secret\n").unwrap();
    std::os::unix::fs::symlink(&outside, logs.join("link")).unwrap();
    let outside_before = snapshot(&outside);
    let root_before = names(root.path());

    let log = AuditLog::builder(&logs).runtime(runtime()).open().unwrap();
    let receipt = log
        .append_tool(&ToolCall::new("u", "escape", "ok"))
        .expect("the escaping call itself returns");
    let Value::Object(answers) = receipt.entry.value() else {
        panic!("the component reports an object: {}", receipt.entry);
    };

    assert_eq!(answers["setup inside.txt"], "ALLOWED created");
    // Paths that are not names inside the directory are refused before any
    // file system call; the symlinked ones by cap-std's resolution.
    let by_name = [
        "open ../outside",
        "open /etc/passwd",
        "list-dir ..",
        "list-dir /",
        "create-dir-all ../made",
        "rename inside.txt ../x",
        "lock ../x",
        "open notes.txt (not in the log layout)",
    ];
    let through_the_link = [
        "open link/x",
        "open link/secret.txt",
        "open link/secret.txt for writing",
        "list-dir link",
        "create-dir-all link/made",
        "rename inside.txt link/x",
        "rename link/secret.txt stolen.txt",
        "remove-file link/secret.txt",
        "lock link/x",
    ];
    let through_wasi = [
        "wasi read /etc/passwd",
        "wasi write escaped.txt",
        "wasi list /",
    ];
    assert_eq!(
        answers.len(),
        3 + by_name.len() + through_the_link.len() + through_wasi.len(),
        "{answers:#?}"
    );
    for attempt in by_name {
        let answer = answers[attempt].as_str().unwrap();
        assert!(
            answer.starts_with("refused: invalid-path"),
            "{attempt}: {answer}"
        );
    }
    for attempt in through_the_link {
        let answer = answers[attempt].as_str().unwrap();
        assert!(answer.starts_with("refused: io"), "{attempt}: {answer}");
    }
    for attempt in through_wasi {
        let answer = answers[attempt].as_str().unwrap();
        assert!(answer.starts_with("refused: "), "{attempt}: {answer}");
    }
    assert_eq!(answers["wasi environment"], "0 variables");
    assert_eq!(answers["wasi arguments"], "0 arguments");
    let everything = receipt.entry.to_string();
    assert!(!everything.contains("top secret"), "{everything}");
    assert!(!everything.contains("root:"), "{everything}");

    assert_eq!(
        snapshot(&outside),
        outside_before,
        "nothing outside changed"
    );
    assert_eq!(
        names(root.path()),
        root_before,
        "nothing new beside the log"
    );
    assert_eq!(
        names(&logs),
        BTreeSet::from(["u".to_owned(), "link".to_owned()]),
        "nothing was moved in"
    );
    assert_still_works(&log);
}

#[test]
fn the_command_line_names_the_limit_that_stopped_a_call() {
    let cli = Cli::new();
    let path = MISBEHAVE;
    let run = cli.run(&[
        "--component",
        path,
        "--timeout-ms",
        "200",
        "tool",
        "--user",
        "u",
        "--tool",
        "loop",
        "--status",
        "ok",
    ]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        run.stderr,
        "auditlog: the component exceeded its time limit of 200 ms\n"
    );

    let run = cli.run(&[
        "--component",
        path,
        "--memory-limit-mb",
        "16",
        "tool",
        "--user",
        "u",
        "--tool",
        "allocate",
        "--status",
        "ok",
    ]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        run.stderr,
        "auditlog: the component exceeded its memory limit of 16 MiB\n"
    );

    let run = cli.run(&["--timeout-ms", "0", "recent", "--skills"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("--timeout-ms"), "{run:?}");
}

#[test]
fn a_fifo_where_a_log_file_belongs_hangs_no_read_and_is_named() {
    let cli = Cli::new();
    cli.run(&["tool", "--user", "alice", "--tool", "t", "--status", "ok"])
        .success();
    cli.run(&["record", "s", "success"]).success();
    let tool_dir = cli.dir().join("alice/tool_audit");
    // Whoever can write the directory can put a FIFO (or a device) where a
    // log file or a lock file belongs: opening one for reading blocks until
    // a writer comes, outside the component's time limit.
    let fifo = |path: &Path| {
        let made = std::process::Command::new("mkfifo").arg(path).status();
        assert!(made.unwrap().success(), "mkfifo {}", path.display());
    };
    let older = tool_dir.join("2000-01-01.jsonl");
    fifo(&older);
    for args in [
        &["verify"][..],
        &["recent", "--user", "alice", "--since", "1999-01-01"],
        &["stats", "--user", "alice", "--since", "1999-01-01"],
    ] {
        let out = run_within(&cli.dir(), args, Duration::from_secs(10))
            .unwrap_or_else(|| panic!("{args:?} hung on a FIFO"));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains("2000-01-01.jsonl") && stderr.contains("not a regular file"),
            "{args:?}: {stderr}"
        );
    }
    std::fs::remove_file(&older).unwrap();
    // A FIFO as a lock file a reader waits on, or as the skill log: the
    // read answers (without the lock) or names it.
    for (path, args) in [
        (tool_dir.join(".lock"), &["recent", "--user", "alice"][..]),
        (cli.dir().join(".audit_log.lock"), &["recent", "--skills"]),
        (cli.dir().join("audit_log.json"), &["stats", "--skills"]),
    ] {
        let kept = path.with_extension("kept");
        std::fs::rename(&path, &kept).unwrap();
        fifo(&path);
        let out = run_within(&cli.dir(), args, Duration::from_secs(10))
            .unwrap_or_else(|| panic!("{args:?} hung on a FIFO at {}", path.display()));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() || stderr.contains("not a regular file"),
            "{args:?}: {stderr}"
        );
        std::fs::remove_file(&path).unwrap();
        std::fs::rename(&kept, &path).unwrap();
    }
    cli.run(&["verify"]).success();
}
