//! Reads never write: `recent`, `stats`, `verify` and `serve` on a log
//! directory that is really read-only — a read-only bind mount in a private
//! mount namespace, else the CLI run as an unprivileged user (these tests
//! run as root, who ignores write bits) — and, whatever the mechanism, not a
//! byte, file, mtime or inode of the directory changes.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::support::Cli;

/// When the reads run: day 21, after retention deleted days 17 and 18 and
/// compression gzipped day 19.
const NOW: &str = "2025-10-21T12:00:00Z";
const ADMIN: &str = "admin-secret-0123";

/// The skill log as the seed's `audit_log.py` writes it (`json.dump(indent=2)`):
/// no index, no lock file.
const SEED_LOG: &str = r#"[
  {
    "timestamp": "2025-10-21T09:00:00.000Z",
    "skill": "workflow.validate",
    "status": "success",
    "duration_ms": 150
  },
  {
    "timestamp": "2025-10-21T09:05:00.000Z",
    "skill": "workflow.compose",
    "status": "failed",
    "duration_ms": 5000,
    "errors": ["Step 3 failed"],
    "metadata": {"workflow": "example.yaml", "steps_completed": 5}
  }
]"#;

/// What a file or directory is: its bytes (`None` for a directory), mtime
/// and inode.
type Snapshot = BTreeMap<PathBuf, (Option<Vec<u8>>, i64, i64, u64)>;

fn snapshot(root: &Path) -> Snapshot {
    let mut found = Snapshot::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            let bytes = if meta.is_dir() {
                pending.push(path.clone());
                None
            } else {
                Some(std::fs::read(&path).unwrap())
            };
            let key = path.strip_prefix(root).unwrap().to_path_buf();
            found.insert(key, (bytes, meta.mtime(), meta.mtime_nsec(), meta.ino()));
        }
    }
    found
}

/// A log directory as writers leave it: a seed-written skill log, and two
/// users' tool logs with a gzipped day and a retention anchor.
fn populated() -> Cli {
    let cli = Cli::new();
    for (day, users) in [
        ("17", &["al"][..]),
        ("18", &["al", "bo"]),
        ("19", &["al", "bo"]),
    ] {
        for user in users {
            let now = format!("2025-10-{day}T10:00:00Z");
            cli.run_at(
                &now,
                &[
                    "tool",
                    "--user",
                    user,
                    "--tool",
                    "shell",
                    "--status",
                    "ok",
                    "--args",
                    r#"{"cmd":"ls"}"#,
                ],
            )
            .success();
        }
    }
    for user in ["al", "bo"] {
        cli.run_at(
            "2025-10-21T10:00:00Z",
            &[
                "--max-days",
                "3",
                "--compress",
                "true",
                "tool",
                "--user",
                user,
                "--tool",
                "read",
                "--status",
                "error",
            ],
        )
        .success();
    }
    std::fs::write(cli.dir().join("audit_log.json"), SEED_LOG).unwrap();
    let dir = cli.dir();
    assert!(dir.join("al/tool_audit/.retention").exists());
    assert!(dir.join("al/tool_audit/2025-10-19.jsonl.gz").exists());
    assert!(!dir.join("al/tool_audit/2025-10-17.jsonl").exists());
    assert!(!dir.join(".audit_log.state").exists());
    assert!(!dir.join(".audit_log.lock").exists());
    cli
}

/// How a command is made to see `dir` read-only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ReadOnly {
    /// A read-only bind mount in a private mount namespace (`unshare -m`).
    BindMount,
    /// Run as `nobody`, who may read but not write the directory.
    Nobody,
}

const MOUNT_RO: &str =
    r#"mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" "$1" && shift && exec "$@""#;

impl ReadOnly {
    /// The first mechanism that really refuses a write to `dir` here, or
    /// `None` (with a message saying why the test cannot prove it).
    fn find(dir: &Path) -> Option<Self> {
        for mechanism in [Self::BindMount, Self::Nobody] {
            let probe = dir.join(".probe");
            let status = mechanism
                .command(dir, Path::new("touch"))
                .arg(&probe)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            let refused = status.is_ok_and(|s| !s.success()) && !probe.exists();
            let _ = std::fs::remove_file(&probe);
            let runs = mechanism
                .command(dir, Path::new("ls"))
                .arg(dir)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            if refused && runs {
                return Some(mechanism);
            }
        }
        eprintln!(
            "read_only: neither a read-only bind mount (unshare -m) nor running as nobody \
             (setpriv) works here; running the reads writable and checking only that \
             nothing changed"
        );
        None
    }

    /// `program` run so that it sees `dir` read-only.
    fn command(self, dir: &Path, program: &Path) -> Command {
        match self {
            Self::BindMount => {
                let mut command = Command::new("unshare");
                command
                    .args(["-m", "--", "sh", "-c", MOUNT_RO, "sh"])
                    .arg(dir)
                    .arg(program);
                command
            }
            Self::Nobody => {
                // Nobody must reach the directory: open the way to it.
                let mut parent = dir.parent();
                while let Some(p) = parent.filter(|p| p.starts_with(std::env::temp_dir())) {
                    let _ = Command::new("chmod").arg("o+x").arg(p).status();
                    parent = p.parent();
                }
                let _ = Command::new("chmod").args(["-R", "o+rX"]).arg(dir).status();
                let mut command = Command::new("setpriv");
                command
                    .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
                    .arg(program);
                command
            }
        }
    }
}

/// `auditlog --dir DIR ARGS…` at [`NOW`], seeing the directory read-only
/// through `mechanism` if there is one.
fn auditlog(dir: &Path, mechanism: Option<ReadOnly>, args: &[&str]) -> Command {
    let binary = Path::new(env!("CARGO_BIN_EXE_auditlog"));
    let mut command = match mechanism {
        Some(mechanism) => mechanism.command(dir, binary),
        None => Command::new(binary),
    };
    command
        .arg("--dir")
        .arg(dir)
        .args(args)
        .env_remove("AUDITLOG_DIR")
        .env("AUDITLOG_NOW", NOW)
        .stdin(Stdio::null());
    command
}

#[track_caller]
fn json_of(dir: &Path, mechanism: Option<ReadOnly>, args: &[&str]) -> Value {
    let output = auditlog(dir, mechanism, args).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{args:?}: {stderr}");
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}); stderr: {stderr}"))
}

/// `GET path` from the server on `port`, as the admin: status and body.
fn get(port: u16, path: &str) -> (u16, Value) {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {ADMIN}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, serde_json::from_str(body).unwrap())
}

#[test]
fn a_read_only_directory_serves_recent_stats_verify_and_the_http_api() {
    let cli = populated();
    let dir = cli.dir();
    let before = snapshot(&dir);
    let mechanism = ReadOnly::find(&dir);
    assert_eq!(snapshot(&dir), before, "probing changed nothing");

    // The seed's two runs, newest first, each whole.
    let skills = json_of(&dir, mechanism, &["recent", "--skills", "--format", "json"]);
    let seed: Vec<Value> = serde_json::from_str(SEED_LOG).unwrap();
    let expected: Vec<Value> = seed.into_iter().rev().collect();
    assert_eq!(skills, Value::from(expected), "{skills}");
    // Days 19 (gzipped) to 21 of both users, across the compressed file.
    let tools = json_of(
        &dir,
        mechanism,
        &["recent", "--all-users", "--format", "json"],
    );
    let tools = tools.as_array().unwrap();
    let tools_seen: Vec<&str> = tools.iter().map(|e| e["tool"].as_str().unwrap()).collect();
    assert_eq!(
        tools_seen.iter().filter(|t| **t == "shell").count(),
        2,
        "{tools_seen:?}"
    );
    assert!(tools_seen.contains(&"read"), "{tools_seen:?}");
    let stats = json_of(
        &dir,
        mechanism,
        &["stats", "--all-users", "--format", "json"],
    );
    assert_eq!(stats["total"], tools.len(), "{stats}");
    let skill_stats = json_of(&dir, mechanism, &["stats", "--skills", "--format", "json"]);
    assert_eq!(
        (
            skill_stats["total"].as_u64(),
            skill_stats["errors"].as_u64()
        ),
        (Some(2), Some(1))
    );

    let verify = auditlog(&dir, mechanism, &["verify", "--all-users"])
        .output()
        .unwrap();
    assert!(
        verify.status.success(),
        "verify: {}",
        String::from_utf8_lossy(&verify.stderr)
    );
    let verify_skills = auditlog(&dir, mechanism, &["verify", "--skills"])
        .output()
        .unwrap();
    // Legacy entries are the integrity module's business; a read-only
    // directory must not change the answer, only never fail to give it.
    let writable = auditlog(&dir, None, &["verify", "--skills"])
        .output()
        .unwrap();
    assert_eq!(
        (verify_skills.status.code(), verify_skills.stdout),
        (writable.status.code(), writable.stdout),
        "verify --skills answers the same read-only: {}",
        String::from_utf8_lossy(&verify_skills.stderr)
    );
    assert_eq!(
        snapshot(&dir),
        before,
        "the CLI's reads changed the directory"
    );

    // `serve` starts and answers on the read-only directory.
    let token = cli.outside().join("admin.token");
    crate::support::write_secret(&token, ADMIN).unwrap();
    if mechanism == Some(ReadOnly::Nobody) {
        let _ = Command::new("chmod").arg("o+r").arg(&token).status();
    }
    let mut server = auditlog(
        &dir,
        mechanism,
        &["serve", "--listen", "127.0.0.1:0", "--admin-token-file"],
    )
    .arg(&token)
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let mut stdout = BufReader::new(server.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let port = line
        .trim()
        .strip_prefix("listening on http://127.0.0.1:")
        .and_then(|port| port.parse().ok());
    let Some(port) = port else {
        let _ = server.kill();
        let output = server.wait_with_output().unwrap();
        panic!(
            "serve did not start on the read-only directory: {line:?} {}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    let answers = [
        get(port, "/api/audit/recent?user=all&days=7"),
        get(port, "/api/audit/stats?user=all&days=7"),
        get(port, "/api/audit/recent?skills=true"),
        get(port, "/api/audit/stats?skills=true"),
    ];
    let _ = server.kill();
    let _ = server.wait();
    for (status, body) in &answers {
        assert_eq!(*status, 200, "{body}");
    }
    assert_eq!(
        answers[0].1["entries"].as_array().unwrap().len(),
        tools.len()
    );
    assert_eq!(answers[1].1["total"], tools.len());
    assert_eq!(answers[2].1["entries"].as_array().unwrap().len(), 2);
    assert_eq!(answers[3].1["total"], 2);
    assert_eq!(snapshot(&dir), before, "serve changed the directory");
}

/// Attack: a reader's handle used to write. A log opened read-only refuses
/// appends, repairs and rotations with a storage error, and the directory
/// stays as it was — the guarantee readers rest on, not only their care.
#[test]
fn a_log_opened_read_only_refuses_every_write() {
    let cli = populated();
    let dir = cli.dir();
    let before = snapshot(&dir);
    let log = auditlog::AuditLog::builder(&dir)
        .read_only()
        .open()
        .unwrap();
    let refused = |result: Result<(), auditlog::Error>, what: &str| match result {
        Err(auditlog::Error::Storage(message)) => {
            assert!(message.contains("reading only"), "{what}: {message}")
        }
        other => panic!("{what}: expected a storage error, got {other:?}"),
    };
    refused(
        log.append_skill(&auditlog::SkillRun::new("s.new", "success"))
            .map(drop),
        "append_skill",
    );
    refused(
        log.append_tool(&auditlog::ToolCall::new("al", "shell", "ok"))
            .map(drop),
        "append_tool",
    );
    refused(
        log.append_tool(&auditlog::ToolCall::new("cy", "shell", "ok"))
            .map(drop),
        "append_tool for a new user",
    );
    refused(log.repair(None).map(drop), "repair");
    assert_eq!(snapshot(&dir), before, "the directory changed");
    // Reads still answer.
    let report = log.verify(Some(&auditlog::Source::AllUsers), &[]).unwrap();
    // Each user: day 19, and day 21's retention record and entry.
    assert_eq!((report.entries, report.problem), (6, None));
}

/// The same reads through the portable component under the stock wasmtime
/// CLI, whose `--dir` grant is read-write but whose directory is not: the
/// component's own readers write nothing either.
#[test]
fn the_portable_component_reads_a_read_only_directory_under_the_wasmtime_cli() {
    let wasmtime = std::env::var_os("AUDITLOG_WASMTIME").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/runtimes/bin/wasmtime"),
        PathBuf::from,
    );
    assert!(
        wasmtime.exists(),
        "no wasmtime CLI at {}: run `bash tests/setup-runtimes.sh` (or set AUDITLOG_WASMTIME)",
        wasmtime.display()
    );
    let cli = populated();
    let dir = cli.dir();
    let portable = cli.outside().join("auditlog-portable.wasm");
    let written = Command::new(env!("CARGO_BIN_EXE_auditlog"))
        .args(["component", "--portable", "--out"])
        .arg(&portable)
        .output()
        .unwrap();
    assert!(written.status.success());
    let before = snapshot(&dir);
    let mechanism = ReadOnly::find(&dir);
    if mechanism == Some(ReadOnly::Nobody) {
        let _ = Command::new("chmod").arg("o+r").arg(&portable).status();
    }
    let run = |args: &[&str]| {
        let mut command = match mechanism {
            Some(mechanism) => mechanism.command(&dir, &wasmtime),
            None => Command::new(&wasmtime),
        };
        let output = command
            .arg("run")
            .arg("--dir")
            .arg(format!("{}::/", dir.display()))
            .arg(&portable)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(output.status.success(), "{args:?}: {stderr}");
        serde_json::from_slice::<Value>(&output.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {stderr}"))
    };
    let skills = run(&["recent", "--skills", "--since", "2025-01-01"]);
    assert_eq!(skills.as_array().map(Vec::len), Some(2), "{skills}");
    let tools = run(&["recent", "--all-users", "--since", "2025-01-01"]);
    let stats = run(&["stats", "--all-users", "--since", "2025-01-01"]);
    assert_eq!(stats["total"], tools.as_array().unwrap().len(), "{stats}");
    assert_eq!(
        snapshot(&dir),
        before,
        "the portable component's reads changed the directory"
    );
}

#[test]
fn reads_of_a_log_directory_that_does_not_exist_create_nothing_and_say_so() {
    let cli = Cli::new();
    for args in [
        &["recent", "--skills"][..],
        &["recent", "--user", "alice"],
        &["stats", "--all-users"],
        &["verify"],
    ] {
        let run = cli.run(args).refused("--dir");
        assert!(run.stderr.contains("does not exist"), "{args:?}: {run:?}");
        assert!(
            !cli.dir().exists(),
            "{args:?} created the log directory, a read that wrote"
        );
    }
    // A typo in the path is not a log that verifies: `verify` must not
    // answer "0 entries verified" for a directory that is not there.
    cli.run(&["tool", "--user", "alice", "--tool", "t", "--status", "ok"])
        .success();
    cli.run(&["verify"]).success();
}
