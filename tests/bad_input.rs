//! Bad input on every surface — the CLI, the library (`auditlog::AuditLog`) and
//! the HTTP API — as one table per surface: wrong argument counts, invalid and
//! wrongly-typed JSON, huge values, invalid UTF-8, NUL and control characters,
//! path-like names, unknown statuses, negative, overflowing and malformed
//! numbers, bad dates and query parameters, unknown flags and parameters, and
//! bad or missing tokens.
//!
//! Every row names the field the refusal must name and the exit code (CLI),
//! error variant (library) or HTTP status it must give, and each is checked
//! against a log directory seeded with skill runs and tool calls of two users:
//! one line of error naming the field, the right code, and not one byte of the
//! directory changed. All rows run, and every mismatch is reported at once.

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, SystemTime};

use auditlog::{AuditLog, Error, Filter, Query, SkillRun, Source, ToolCall};
use serde_json::{Value, json};

use crate::support::{Cli, snapshot};

/// The time every surface runs at; the seeded entries are from this day.
const NOW: &str = "2025-10-23T12:00:00Z";
const ADMIN: &str = "admin-secret-0123";
const ALICE: &str = "tok-alice-0123456";
/// More than the 1 MiB the component accepts for one JSON text or the errors.
const MULTI_MB: usize = 3 << 20;

/// Panics listing every failed row, if any.
#[track_caller]
fn report(surface: &str, rows: usize, failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{} of {rows} {surface} rows failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ---------------------------------------------------------------- CLI

/// What `record` prints on standard output when it refuses an input.
#[derive(Debug, Clone, Copy)]
enum Out {
    /// Nothing: the command line itself was refused.
    Empty,
    /// The seed's failure response, naming the field.
    Response,
}

/// One bad command line: refused with `code`, one line on stderr naming `field`.
struct CliRow {
    args: Vec<OsString>,
    field: &'static str,
    code: i32,
    stdout: Out,
}

fn row(args: &[&str], field: &'static str, code: i32, stdout: Out) -> CliRow {
    CliRow {
        args: args.iter().map(OsString::from).collect(),
        field,
        code,
        stdout,
    }
}

/// A row whose arguments are bytes (not necessarily UTF-8).
fn bytes(args: &[&[u8]], field: &'static str, code: i32) -> CliRow {
    CliRow {
        args: args
            .iter()
            .map(|a| OsStr::from_bytes(a).to_owned())
            .collect(),
        field,
        code,
        stdout: Out::Empty,
    }
}

#[rustfmt::skip]
fn cli_rows() -> Vec<CliRow> {
    use Out::{Empty, Response};
    const TOOL: [&str; 7] = ["tool", "--user", "alice", "--tool", "t", "--status", "ok"];
    let tool = |extra: &[&'static str]| -> Vec<&'static str> { TOOL.iter().chain(extra).copied().collect() };
    let tool_as = |user: &'static str, name: &'static str, status: &'static str| {
        vec!["tool", "--user", user, "--tool", name, "--status", status]
    };
    vec![
        // Wrong argument counts.
        row(&["record"], "<SKILL>", 2, Empty),
        row(&["record", "s.x"], "<STATUS>", 2, Empty),
        row(&["record", "s.x", "success", "1", "[]", "{}", "extra"], "extra", 2, Empty),
        row(&["tool", "--user", "alice", "--tool", "t"], "--status", 2, Empty),
        row(&["recent"], "--skills", 2, Empty),
        // Invalid and wrongly-typed JSON.
        row(&["record", "s.x", "success", "1", "[]", "[1]"], "metadata", 2, Response),
        row(&["record", "s.x", "success", "1", "[]", r#""text""#], "metadata", 2, Response),
        row(&["record", "s.x", "success", "1", "[]", r#"{"a": [1, 2"#], "metadata", 2, Response),
        row(&["record", "s.x", "failed", "1", r#"{"a": 1}"#], "errors", 2, Response),
        row(&tool(&["--args", "12"]), "args", 2, Empty),
        // Huge values.
        row(&["record", "s.x", "success", "18446744073709551616"], "duration_ms", 2, Response),
        // Invalid UTF-8.
        bytes(&[b"record", b"s\xffx", b"success"], "<SKILL>", 2),
        bytes(&[b"recent", b"--skills", b"--since", b"2025-10-\xff"], "--since", 2),
        // Control characters (NUL cannot be passed on a command line).
        row(&tool_as("al\u{1}ice", "t", "ok"), "user", 2, Empty),
        row(&tool_as("alice", "t\nx", "ok"), "tool", 2, Empty),
        // Path-like names.
        row(&["record", "../x", "success"], "skill", 2, Response),
        row(&tool_as("a/b", "t", "ok"), "user", 2, Empty),
        row(&tool_as(".hidden", "t", "ok"), "user", 2, Empty),
        row(&tool_as("ALL", "t", "ok"), "user", 2, Empty),
        row(&["recent", "--user", "All"], "user", 2, Empty),
        row(&tool_as("a\\b", "t", "ok"), "user", 2, Empty),
        // Named like a file of the log directory: a directory made by that
        // name stopped every command (auditlog.toml) or every write's lock.
        row(&tool_as("auditlog.toml", "t", "ok"), "user", 2, Empty),
        row(&tool_as("AUDIT_LOG.json", "t", "ok"), "user", 2, Empty),
        row(&["recent", "--user", "auditlog.toml"], "user", 2, Empty),
        // Unknown statuses.
        row(&["record", "s.x", "Success"], "status", 2, Response),
        row(&tool_as("alice", "t", "maybe"), "status", 2, Empty),
        // Negative, overflowing and malformed numbers.
        row(&["record", "s.x", "success", "-1"], "duration_ms", 2, Response),
        row(&["record", "s.x", "success", "1e3"], "duration_ms", 2, Response),
        row(&["record", "s.x", "success", "12abc"], "duration_ms", 2, Response),
        // Bad dates and query parameters.
        row(&["recent", "--skills", "--since", "2025-13-01"], "since", 2, Empty),
        row(&["recent", "--user", "alice", "--days", "0"], "days", 2, Empty),
        row(&["stats", "--all-users", "--days", "99999"], "days", 2, Empty),
        row(&["recent", "--skills", "--limit", "0"], "limit", 2, Empty),
        row(&["recent", "--skills", "--limit", "-5"], "--limit", 2, Empty),
        row(&["recent", "--all-users", "--cursor", "garbage"], "cursor", 2, Empty),
        // A status no write accepts: refused, not an empty page.
        row(&["recent", "--user", "alice", "--status", "MAYBE"], "status", 2, Empty),
        row(&["recent", "--all-users", "--status", "success"], "status", 2, Empty),
        row(&["recent", "--skills", "--status", "Failed"], "status", 2, Empty),
        row(&["stats", "--all-users", "--status", "maybe"], "status", 2, Empty),
        // Unknown flags.
        row(&tool(&["--frobnicate"]), "--frobnicate", 2, Empty),
        row(&["--frob", "record", "s.x", "success"], "--frob", 2, Empty),
    ]
}

/// Why `run` does not match `row`, if it does not.
fn cli_mismatch(row: &CliRow, run: &crate::support::Run) -> Option<String> {
    let field = row.field;
    if run.code != row.code {
        return Some(format!("exit {} instead of {}", run.code, row.code));
    }
    if run.stderr.lines().count() != 1 || !run.stderr.ends_with('\n') {
        return Some(format!("stderr is not one line: {:?}", run.stderr));
    }
    if !run.stderr.starts_with("auditlog: ") || !run.stderr.contains(field) {
        return Some(format!("stderr does not name {field}: {:?}", run.stderr));
    }
    match row.stdout {
        Out::Empty if !run.stdout.is_empty() => Some(format!("stdout: {:?}", run.stdout)),
        Out::Empty => None,
        Out::Response => {
            let Ok(response) = serde_json::from_str::<Value>(&run.stdout) else {
                return Some(format!("stdout is not the response JSON: {:?}", run.stdout));
            };
            let message = response["errors"][0].as_str().unwrap_or_default();
            let named = response["ok"] == false
                && response["status"] == "failed"
                && message.starts_with(&format!("{field}: "))
                && response["details"]["error"]["details"]["field"] == field;
            (!named).then(|| format!("the response does not name {field}: {response}"))
        }
    }
}

#[test]
fn cli_refuses_bad_input_naming_the_field_and_writes_nothing() {
    let cli = seeded_cli();
    let env = [("AUDITLOG_NOW", NOW)];
    let seeded = cli.snapshot();
    assert_seeded(&seeded, &cli.dir());

    let rows = cli_rows();
    let mut failures = Vec::new();
    for row in &rows {
        let before = cli.snapshot();
        let args: Vec<&OsStr> = row.args.iter().map(OsString::as_os_str).collect();
        let run = cli.run_os_with(&args, &env);
        let mut problems: Vec<String> = cli_mismatch(row, &run).into_iter().collect();
        if cli.snapshot() != before {
            problems.push("the log directory changed".to_owned());
        }
        if !problems.is_empty() {
            failures.push(format!(
                "  {:?} (field {}): {}",
                row.args,
                row.field,
                problems.join("; ")
            ));
        }
    }
    report("CLI", rows.len(), &failures);
    assert_eq!(cli.snapshot(), seeded);
}

/// A number flag given a negative, fractional or too large value is refused
/// with the range that flag accepts, not with the range of the integer type
/// it is parsed into (`-5 is not in 0..=4294967295` told a user that 0 and
/// four billion were fine for `--limit`).
#[test]
fn number_flags_refuse_naming_their_own_range() {
    let cli = seeded_cli();
    let before = cli.snapshot();
    let cases: [(&[&str], &str); 8] = [
        (
            &["recent", "--skills", "--limit", "-5"],
            "invalid value '-5' for '--limit <N>': must be a whole number between 1 and 10000",
        ),
        (
            &["recent", "--user", "alice", "--days", "-1"],
            "invalid value '-1' for '--days <N>': must be a whole number between 1 and 3660",
        ),
        (
            &["stats", "--skills", "--days", "1.5"],
            "invalid value '1.5' for '--days <N>': must be a whole number between 1 and 3660",
        ),
        (
            &["--max-days", "-1", "recent", "--skills"],
            "invalid value '-1' for '--max-days <N>': must be a whole number, 0 (off) or at least 1",
        ),
        (
            &["--max-file-bytes", "abc", "recent", "--skills"],
            "invalid value 'abc' for '--max-file-bytes <BYTES>': must be a whole number, 0 (off) or at least 1024",
        ),
        (
            &["--max-entry-bytes", "99999999999", "recent", "--skills"],
            "invalid value '99999999999' for '--max-entry-bytes <BYTES>': must be a whole number between 1024 and 1048576",
        ),
        (
            &["record", "s.x", "success", "--max-entries", "-3"],
            "invalid value '-3' for '--max-entries <N>': must be a whole number between 1 and 10000000",
        ),
        (
            &[
                "tool",
                "--user",
                "alice",
                "--tool",
                "t",
                "--status",
                "ok",
                "--arg-max-chars",
                "-1",
            ],
            "invalid value '-1' for '--arg-max-chars <N>': must be a whole number between 1 and 65536",
        ),
    ];
    for (args, reason) in cases {
        let run = cli.run(args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert_eq!(
            run.stderr,
            format!("auditlog: {reason} (see --help)\n"),
            "{args:?}"
        );
        assert_eq!(run.stdout, "", "{args:?}");
    }
    assert_eq!(cli.snapshot(), before);
}

/// A log directory holding two skill runs and two users' tool calls.
fn seeded_cli() -> Cli {
    let cli = Cli::new();
    let env = [("AUDITLOG_NOW", NOW)];
    cli.run_with(
        &["record", "workflow.validate", "success", "150"],
        &env,
        None,
    )
    .success();
    cli.run_with(
        &[
            "record",
            "workflow.compose",
            "failed",
            "5000",
            r#"["boom"]"#,
            r#"{"k": 1}"#,
        ],
        &env,
        None,
    )
    .success();
    cli.run_with(
        &[
            "tool",
            "--user",
            "alice",
            "--tool",
            "file_read",
            "--status",
            "ok",
            "--args",
            r#"{"path": "a.txt"}"#,
        ],
        &env,
        None,
    )
    .success();
    cli.run_with(
        &[
            "tool", "--user", "bob", "--tool", "shell", "--status", "error", "--result", "exit 1",
        ],
        &env,
        None,
    )
    .success();
    cli
}

/// Both logs hold entries, so that "unchanged" means something.
#[track_caller]
fn assert_seeded(files: &BTreeMap<PathBuf, Vec<u8>>, dir: &Path) {
    for file in [
        "audit_log.json",
        "alice/tool_audit/2025-10-23.jsonl",
        "bob/tool_audit/2025-10-23.jsonl",
    ] {
        let bytes = files.get(&dir.join(file));
        assert!(
            bytes.is_some_and(|b| b.len() > 100),
            "{file} is seeded: {:?}",
            files.keys()
        );
    }
}

// ---------------------------------------------------------------- library

/// A call on the seeded log.
type Call = Box<dyn Fn(&AuditLog) -> auditlog::Result<()>>;

/// One bad library call: refused with `Error::Invalid` for `field`.
struct LibRow {
    input: &'static str,
    field: &'static str,
    call: Call,
}

fn lib(
    input: &'static str,
    field: &'static str,
    call: impl Fn(&AuditLog) -> auditlog::Result<()> + 'static,
) -> LibRow {
    LibRow {
        input,
        field,
        call: Box::new(call),
    }
}

fn tool_call(log: &AuditLog, call: ToolCall) -> auditlog::Result<()> {
    log.append_tool(&call).map(drop)
}

fn skill_run(log: &AuditLog, run: SkillRun) -> auditlog::Result<()> {
    log.append_skill(&run).map(drop)
}

fn recent(log: &AuditLog, query: Query) -> auditlog::Result<()> {
    log.recent(&query).map(drop)
}

fn stats(log: &AuditLog, filter: Filter) -> auditlog::Result<()> {
    log.stats(&filter).map(drop)
}

/// A JSON object of more than [`MULTI_MB`] bytes.
fn huge_object() -> String {
    json!({ "blob": "x".repeat(MULTI_MB) }).to_string()
}

#[rustfmt::skip]
fn lib_rows() -> Vec<LibRow> {
    let call = |user: &str, tool: &str, status: &str| ToolCall::new(user, tool, status);
    let with_args = |args: &str| ToolCall { args: args.to_owned(), ..ToolCall::new("alice", "t", "ok") };
    let with_metadata = |metadata: &str| SkillRun { metadata: Some(metadata.to_owned()), ..SkillRun::new("s.x", "success") };
    let skills = || Filter::new(Source::Skills);
    vec![
        lib("ToolCall status \"maybe\"", "status", move |l| tool_call(l, call("alice", "t", "maybe"))),
        lib("ToolCall user \"a\\0b\"", "user", move |l| tool_call(l, call("a\0b", "t", "ok"))),
        lib("ToolCall user \"../x\"", "user", move |l| tool_call(l, call("../x", "t", "ok"))),
        lib("ToolCall user \".hidden\"", "user", move |l| tool_call(l, call(".hidden", "t", "ok"))),
        lib("ToolCall tool \"x/y\"", "tool", move |l| tool_call(l, call("alice", "x/y", "ok"))),
        lib("ToolCall args \"[1, 2]\"", "args", move |l| tool_call(l, with_args("[1, 2]"))),
        lib("ToolCall args truncated", "args", move |l| tool_call(l, with_args(r#"{"a":"#))),
        lib("ToolCall args of 3 MiB", "args", move |l| tool_call(l, with_args(&huge_object()))),
        lib("SkillRun status \"succ\\0ess\"", "status", |l| skill_run(l, SkillRun::new("s.x", "succ\0ess"))),
        lib("SkillRun metadata \"42\"", "metadata", move |l| skill_run(l, with_metadata("42"))),
        lib("SkillRun metadata of 3 MiB", "metadata", move |l| skill_run(l, with_metadata(&huge_object()))),
        lib("SkillRun errors of 3 MiB", "errors", |l| skill_run(l, SkillRun::new("s.x", "failed").errors(vec!["e".repeat(MULTI_MB)]))),
        lib("Query limit 0", "limit", move |l| recent(l, Query::new(skills()).limit(0))),
        lib("Query cursor \"garbage\"", "cursor", move |l| recent(l, Query { cursor: Some("garbage".into()), ..Query::new(skills()) })),
        lib("Filter user \"a\\\\b\"", "user", |l| recent(l, Query::new(Filter::new(Source::User("a\\b".into()))))),
        lib("Filter days 0", "days", move |l| stats(l, Filter { days: Some(0), ..skills() })),
        lib("Filter since \"2025-13-01\"", "since", move |l| stats(l, Filter { since: Some("2025-13-01".into()), ..skills() })),
        lib("builder max_entries 0", "max_entries", |l| AuditLog::builder(l.dir()).max_entries(0).open().map(drop)),
    ]
}

fn at_now() -> SystemTime {
    chrono::DateTime::parse_from_rfc3339(NOW).unwrap().into()
}

#[test]
fn library_refuses_bad_fields_naming_them_and_writes_nothing() {
    let root = tempfile::tempdir().unwrap();
    let log = AuditLog::builder(root.path().join("logs"))
        .clock(at_now)
        .open()
        .unwrap();
    log.append_skill(&SkillRun::new("workflow.validate", "success").duration_ms(150))
        .unwrap();
    log.append_skill(
        &SkillRun::new("workflow.compose", "failed")
            .errors(vec!["boom".into()])
            .metadata(&json!({"k": 1})),
    )
    .unwrap();
    log.append_tool(&ToolCall::new("alice", "file_read", "ok").args(&json!({"path": "a.txt"})))
        .unwrap();
    log.append_tool(&ToolCall::new("bob", "shell", "error").output("exit 1"))
        .unwrap();
    let seeded = snapshot(log.dir());
    assert_seeded(&seeded, log.dir());

    let rows = lib_rows();
    let mut failures = Vec::new();
    for row in &rows {
        let before = snapshot(log.dir());
        let mut problems = Vec::new();
        match (row.call)(&log) {
            Ok(()) => problems.push("accepted".to_owned()),
            Err(Error::Invalid { field, reason }) => {
                if field != row.field {
                    problems.push(format!("names {field:?}: {reason}"));
                }
                if reason.is_empty() || reason.contains('\n') {
                    problems.push(format!("the reason is not one line: {reason:?}"));
                }
            }
            Err(other) => problems.push(format!("not Error::Invalid: {other:?}")),
        }
        if snapshot(log.dir()) != before {
            problems.push("the log directory changed".to_owned());
        }
        if !problems.is_empty() {
            failures.push(format!(
                "  {} (field {}): {}",
                row.input,
                row.field,
                problems.join("; ")
            ));
        }
    }
    report("library", rows.len(), &failures);
    assert_eq!(snapshot(log.dir()), seeded);
}

// ---------------------------------------------------------------- HTTP

/// A running `auditlog serve` on a free loopback port, killed when dropped.
struct Server {
    child: Child,
    port: u16,
    _stdout: BufReader<ChildStdout>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Serves `cli`'s directory at [`NOW`], with the admin token and alice's.
    fn start(cli: &Cli) -> Self {
        let admin = cli.outside().join("admin.token");
        let users = cli.outside().join("users.json");
        crate::support::write_secret(&admin, ADMIN).unwrap();
        crate::support::write_secret(&users, json!({ "alice": ALICE }).to_string()).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_auditlog"))
            .arg("--dir")
            .arg(cli.dir())
            .args(["serve", "--listen", "127.0.0.1:0", "--admin-token-file"])
            .arg(&admin)
            .arg("--user-tokens-file")
            .arg(&users)
            .env_remove("AUDITLOG_DIR")
            .env("AUDITLOG_NOW", NOW)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the auditlog binary runs");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        let port = line
            .trim()
            .strip_prefix("listening on http://127.0.0.1:")
            .and_then(|port| port.parse().ok());
        let Some(port) = port else {
            let _ = child.kill();
            let _ = child.wait();
            panic!("expected the listening line, got {line:?}");
        };
        Self {
            child,
            port,
            _stdout: stdout,
        }
    }

    /// `GET target` (sent as these bytes) with `token` as the bearer token:
    /// the status, the head (lowercase) and the body, or why the answer is
    /// not HTTP.
    fn get(&self, target: &str, token: Option<&str>) -> Result<(u16, String, String), String> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        let mut request =
            format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        if let Some(token) = token {
            request.push_str(&format!("Authorization: Bearer {token}\r\n"));
        }
        request.push_str("\r\n");
        stream.write_all(request.as_bytes()).unwrap();
        let mut response = Vec::new();
        stream
            .read_to_end(&mut response)
            .map_err(|e| e.to_string())?;
        let response = String::from_utf8(response).map_err(|e| e.to_string())?;
        let (head, body) = response
            .split_once("\r\n\r\n")
            .ok_or_else(|| format!("not an HTTP response: {response:?}"))?;
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| format!("no status line: {head:?}"))?;
        Ok((status, head.to_ascii_lowercase(), body.to_owned()))
    }
}

/// One bad request: answered `status` with a JSON error naming `field`.
struct HttpRow {
    target: String,
    token: Option<&'static str>,
    status: u16,
    field: &'static str,
}

fn http(target: &str, token: Option<&'static str>, status: u16, field: &'static str) -> HttpRow {
    HttpRow {
        target: target.to_owned(),
        token,
        status,
        field,
    }
}

#[rustfmt::skip]
fn http_rows() -> Vec<HttpRow> {
    const RECENT: &str = "/api/audit/recent";
    const STATS: &str = "/api/audit/stats";
    let admin = Some(ADMIN);
    let long_user = format!("{RECENT}?user={}", "u".repeat(60_000));
    vec![
        // Unknown and repeated parameters.
        http(&format!("{RECENT}?user=all&frobnicate=1"), admin, 400, "query"),
        http(&format!("{RECENT}?user=all&limit=5&limit=6"), admin, 400, "limit"),
        http(&format!("{STATS}?source=skills"), admin, 400, "query"),
        // Bad numbers.
        http(&format!("{RECENT}?user=all&limit=-5"), admin, 400, "limit"),
        http(&format!("{RECENT}?user=all&limit=18446744073709551616"), admin, 400, "limit"),
        http(&format!("{STATS}?user=all&days=99999"), admin, 400, "days"),
        // Bad dates and cursors.
        http(&format!("{STATS}?skills=true&since=2025-13-01"), admin, 400, "since"),
        http(&format!("{RECENT}?skills=true&until=yesterday"), admin, 400, "until"),
        http(&format!("{RECENT}?user=all&cursor=garbage"), admin, 400, "cursor"),
        // Bad or missing logs: path-like, NUL, invalid UTF-8, huge.
        http(&format!("{RECENT}?skills=yes"), admin, 400, "skills"),
        http(&format!("{RECENT}?user=..%2Fetc"), admin, 400, "user"),
        http(&format!("{STATS}?user=a%00b"), admin, 400, "user"),
        http(&format!("{RECENT}?user=%FF"), admin, 400, "user"),
        http(&long_user, admin, 400, "user"),
        http(RECENT, admin, 400, "user"),
        // Token problems.
        http(&format!("{RECENT}?user=all"), None, 401, "token"),
        http(&format!("{STATS}?user=all"), Some("wrong-token"), 401, "token"),
        http(&format!("{RECENT}?user=bob"), Some(ALICE), 403, "alice"),
    ]
}

/// Why the answer does not match `row`, if it does not.
fn http_mismatch(row: &HttpRow, answer: Result<(u16, String, String), String>) -> Option<String> {
    let (status, head, body) = match answer {
        Ok(answer) => answer,
        Err(why) => return Some(why),
    };
    if status != row.status {
        return Some(format!(
            "status {status} instead of {}: {body:?}",
            row.status
        ));
    }
    if !head.contains("content-type: application/json") {
        return Some(format!("not JSON: {head:?}"));
    }
    let message = serde_json::from_str::<Value>(&body)
        .ok()
        .and_then(|v| v["error"].as_str().map(str::to_owned));
    let Some(message) = message else {
        return Some(format!("not a JSON error: {body:?}"));
    };
    let named = if row.status == 400 {
        message.starts_with(&format!("{}: ", row.field))
    } else {
        message.contains(row.field)
    };
    if !named || message.contains('\n') {
        return Some(format!(
            "the error does not name {} on one line: {message:?}",
            row.field
        ));
    }
    None
}

#[test]
fn http_answers_bad_parameters_and_tokens_naming_them_and_writes_nothing() {
    let cli = seeded_cli();
    let seeded = cli.snapshot();
    assert_seeded(&seeded, &cli.dir());
    let server = Server::start(&cli);

    let rows = http_rows();
    let mut failures = Vec::new();
    for row in &rows {
        let before = cli.snapshot();
        let mut problems: Vec<String> = http_mismatch(row, server.get(&row.target, row.token))
            .into_iter()
            .collect();
        if cli.snapshot() != before {
            problems.push("the log directory changed".to_owned());
        }
        if !problems.is_empty() {
            let target: String = row.target.chars().take(100).collect();
            failures.push(format!(
                "  GET {target} (field {}): {}",
                row.field,
                problems.join("; ")
            ));
        }
    }
    report("HTTP", rows.len(), &failures);
    drop(server);
    assert_eq!(cli.snapshot(), seeded);
}

// ------------------------------------- names and values are what they look like

/// One command line whose name or JSON value would be stored looking like
/// something else, or changed: refused with exit 2, naming `field` and saying
/// `why`.
struct LookRow {
    args: Vec<String>,
    field: &'static str,
    why: &'static str,
}

fn look(args: &[&str], field: &'static str, why: &'static str) -> LookRow {
    LookRow {
        args: args.iter().map(|a| (*a).to_owned()).collect(),
        field,
        why,
    }
}

/// The characters these attacks use that a terminal or an error message must
/// never show raw (controls other than a final newline, and the invisible and
/// direction-changing ones).
fn hidden(text: &str) -> Vec<char> {
    const INVISIBLE: &str = "\u{200B}\u{FEFF}\u{2060}\u{AD}\u{200D}\u{202E}\u{2067}\u{200E}\u{3164}\u{FE0F}\u{E0041}\u{2800}\u{34F}";
    text.chars()
        .filter(|&c| (c.is_control() && c != '\n') || INVISIBLE.contains(c))
        .collect()
}

#[rustfmt::skip]
fn look_rows() -> Vec<LookRow> {
    let tool = |user: &'static str, name: &'static str| -> Vec<&'static str> {
        vec!["tool", "--user", user, "--tool", name, "--status", "ok"]
    };
    let args = |json: &'static str| -> Vec<&'static str> {
        vec!["tool", "--user", "alice", "--tool", "file_read", "--status", "ok", "--args", json]
    };
    let metadata = |json: &'static str| -> Vec<&'static str> {
        vec!["record", "registry.update", "success", "", "[]", json]
    };
    let record = |skill: &'static str| -> Vec<&'static str> { vec!["record", skill, "success"] };
    vec![
        // Names that look like other names: invisible and direction-changing characters.
        look(&record("auditlog\u{200B}.recovery"), "skill", "U+200B ZERO WIDTH SPACE"),
        look(&record("\u{FEFF}workflow.validate"), "skill", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
        look(&record("workflow.validate\u{2060}"), "skill", "U+2060 WORD JOINER"),
        look(&record("workflow\u{AD}.validate"), "skill", "U+00AD SOFT HYPHEN"),
        look(&tool("alice\u{200B}", "file_read"), "user", "U+200B ZERO WIDTH SPACE"),
        look(&tool("\u{FEFF}alice", "file_read"), "user", "U+FEFF"),
        look(&tool("ali\u{200D}ce", "file_read"), "user", "U+200D ZERO WIDTH JOINER"),
        look(&tool("alice", "file_read\u{202E}txt.exe"), "tool", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        look(&tool("alice", "file_read\u{2067}"), "tool", "U+2067 RIGHT-TO-LEFT ISOLATE"),
        look(&tool("alice", "file_read\u{200E}"), "tool", "U+200E LEFT-TO-RIGHT MARK"),
        look(&tool("alice", "file\u{3164}read"), "tool", "U+3164 HANGUL FILLER"),
        look(&tool("alice", "file_read\u{FE0F}"), "tool", "U+FE0F a variation selector"),
        look(&tool("alice", "file_read\u{E0041}"), "tool", "U+E0041 a tag character"),
        look(&tool("alice", "file_read\u{2800}"), "tool", "U+2800 BRAILLE PATTERN BLANK"),
        look(&tool("alice", "file\u{34F}_read"), "tool", "U+034F COMBINING GRAPHEME JOINER"),
        // Another spelling of the same name: not in NFC (e + U+0301 for é).
        look(&tool("alice", "caf\u{65}\u{301}"), "tool", "composed form (NFC), \"café\""),
        look(&tool("jose\u{301}", "file_read"), "user", "composed form (NFC)"),
        look(&record("re\u{301}sume\u{301}.parse"), "skill", "composed form (NFC)"),
        // auditlog's own entries, spelt another way.
        look(&record("Auditlog.recovery"), "skill", "reserved"),
        look(&record("AUDITLOG.retention"), "skill", "reserved"),
        look(&record("auditlog\u{FF0E}recovery"), "skill", "reserved"),
        look(&record("\u{FF41}\u{FF55}\u{FF44}\u{FF49}\u{FF54}\u{FF4C}\u{FF4F}\u{FF47}.recovery"), "skill", "reserved"),
        look(&record("\u{430}uditlog.recovery"), "skill", "reserved"),
        look(&tool("alice", "auditlog\u{2024}retention"), "tool", "reserved"),
        // Query filters follow the same rule.
        look(&["recent", "--all-users", "--tool", "file_read\u{200B}"], "tool", "U+200B"),
        look(&["recent", "--user", "alice\u{FEFF}"], "user", "U+FEFF"),
        look(&["stats", "--skills", "--skill", "workflow.validate\u{202E}"], "skill", "U+202E"),
        // A repeated key would lose one of its values.
        look(&args(r#"{"path":"/etc/shadow","path":"notes.txt"}"#), "args.path", "more than once"),
        look(&args(r#"{"opts":{"mode":"r","mode":"w"}}"#), "args.opts.mode", "more than once"),
        look(&args(r#"{"files":[{"p":"a"},{"p":"b","p":"c"}]}"#), "args.files[1].p", "more than once"),
        look(&args(r#"{"cmd":"ls","\u0063md":"rm -rf /"}"#), "args.cmd", "more than once"),
        look(&args("{\"\u{202E}k\":1,\"\u{202E}k\":2}"), "args[\"\\u{202e}k\"]", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        look(&args(r#"{"\u001b[2J":1,"\u001b[2J":2}"#), "args[\"\\u{1b}[2J\"]", "more than once"),
        look(&metadata(r#"{"skill":"api.validate","skill":"api.delete"}"#), "metadata.skill", "more than once"),
        look(&metadata(r#"{"a":{"b":[{"c":1,"c":1}]}}"#), "metadata.a.b[0].c", "more than once"),
        // A key that looks like another: a hidden character, or another spelling.
        look(&args("{\"path\":\"/etc/shadow\",\"pa\u{200B}th\":\"notes.txt\"}"), "args[\"pa\\u{200b}th\"]", "U+200B ZERO WIDTH SPACE"),
        look(&args(r#"{"\u00e9":1,"e\u0301":2}"#), "args[\"e\u{301}\"]", "more than once"),
        look(&metadata(r#"{"k\ufeff":1}"#), "metadata[\"k\\u{feff}\"]", "U+FEFF"),
        // A number that would be stored as another number.
        look(&args(r#"{"id":123456789012345678901234567890}"#), "args.id", "cannot be stored exactly"),
        look(&args(r#"{"id":18446744073709551616}"#), "args.id", "cannot be stored exactly"),
        look(&args(r#"{"id":-9223372036854775809}"#), "args.id", "cannot be stored exactly"),
        look(&args(r#"{"x":1e-400}"#), "args.x", "cannot be stored exactly"),
        look(&args(r#"{"x":[0.1,0.30000000000000001]}"#), "args.x[1]", "cannot be stored exactly"),
        look(&args(r#"{"x":1e400}"#), "args", "is not valid JSON"),
        look(&metadata(r#"{"n":99999999999999999999}"#), "metadata.n", "cannot be stored exactly"),
        look(&metadata(r#"{"n":{"m":2.00000000000000000001}}"#), "metadata.n.m", "cannot be stored exactly"),
        // Error messages are strings; anything else is refused, not converted.
        look(&["record", "s.x", "failed", "", r#"["a", {"k":1,"k":2}]"#], "errors", "not a string"),
        look(&["record", "s.x", "failed", "", r#"["a", 12345678901234567890123]"#], "errors", "not a string"),
    ]
}

#[test]
fn names_and_values_that_are_not_what_they_look_like_are_refused_and_nothing_is_written() {
    let cli = seeded_cli();
    let env = [("AUDITLOG_NOW", NOW)];
    let seeded = cli.snapshot();
    assert_seeded(&seeded, &cli.dir());

    let rows = look_rows();
    let mut failures = Vec::new();
    for row in &rows {
        let args: Vec<&str> = row.args.iter().map(String::as_str).collect();
        let run = cli.run_with(&args, &env, None);
        let mut problems = Vec::new();
        let expected = format!("auditlog: {}: ", row.field);
        if run.code != 2 {
            problems.push(format!("exit {}", run.code));
        }
        if run.stderr.lines().count() != 1
            || !run.stderr.starts_with(&expected)
            || !run.stderr.contains(row.why)
        {
            problems.push(format!("stderr {:?}", run.stderr));
        }
        if !hidden(&run.stderr).is_empty() || !hidden(&run.stdout).is_empty() {
            problems.push(format!("raw hidden characters in {run:?}"));
        }
        if args[0] == "record" {
            let response: Value = serde_json::from_str(&run.stdout).unwrap_or_default();
            if response["details"]["error"]["details"]["field"] != row.field {
                problems.push(format!(
                    "the response does not name the field: {}",
                    run.stdout
                ));
            }
        }
        if cli.snapshot() != seeded {
            problems.push("the log directory changed".to_owned());
        }
        if !problems.is_empty() {
            failures.push(format!("  {:?}: {}", row.args, problems.join("; ")));
        }
    }
    report("look-alike", rows.len(), &failures);
}

#[test]
fn composed_names_and_exact_numbers_are_stored_as_given() {
    let cli = Cli::new();
    let env = [("AUDITLOG_NOW", NOW)];
    let args = r#"{"ratio":0.1,"hundred":1e2,"zero":-0,"max":18446744073709551615,"min":-9223372036854775808,"half":2.50,"tiny":5e-324,"path":"notes.txt","same in a string":"\"k\":1,\"k\":2"}"#;
    for (user, tool) in [
        ("jürgen", "ünïcode-tool"),
        ("日本語", "検索"),
        ("josé", "café"),
    ] {
        cli.run_with(
            &[
                "tool", "--user", user, "--tool", tool, "--status", "ok", "--args", args,
            ],
            &env,
            None,
        )
        .success();
        let stored = cli.day_file(user, "2025-10-23");
        assert_eq!(stored[0]["user"], user);
        assert_eq!(stored[0]["tool"], tool);
        let stored = &stored[0]["args"];
        assert_eq!(stored["ratio"].as_f64(), Some(0.1));
        assert_eq!(stored["hundred"].as_f64(), Some(100.0));
        assert_eq!(stored["zero"].as_f64(), Some(0.0));
        assert_eq!(stored["max"].as_u64(), Some(u64::MAX));
        assert_eq!(stored["min"].as_i64(), Some(i64::MIN));
        assert_eq!(stored["half"].as_f64(), Some(2.5));
        assert_eq!(stored["tiny"].as_f64(), Some(5e-324));
        assert_eq!(stored["path"], "notes.txt");
        assert_eq!(stored["same in a string"], r#""k":1,"k":2"#);
    }
    cli.run_with(
        &[
            "record",
            "日本語.翻訳",
            "success",
            "",
            r#"["same","same"]"#,
            r#"{"n":123456789,"f":0.5}"#,
        ],
        &env,
        None,
    )
    .success();
    let entry = &cli.skill_log()[0];
    assert_eq!(entry["skill"], "日本語.翻訳");
    assert_eq!(entry["errors"], json!(["same", "same"]));
    assert_eq!(entry["metadata"], json!({"n": 123456789, "f": 0.5}));
}

#[rustfmt::skip]
fn look_lib_rows() -> Vec<LibRow> {
    let call = |user: &str, tool: &str| ToolCall::new(user, tool, "ok");
    let with_args = |args: &str| ToolCall { args: args.to_owned(), ..ToolCall::new("alice", "t", "ok") };
    let with_metadata = |metadata: &str| SkillRun { metadata: Some(metadata.to_owned()), ..SkillRun::new("s.x", "success") };
    vec![
        lib("ToolCall user \"alice\\u{200b}\"", "user", move |l| tool_call(l, call("alice\u{200B}", "t"))),
        lib("ToolCall tool with RLO", "tool", move |l| tool_call(l, call("alice", "a\u{202E}b"))),
        lib("ToolCall tool \"auditlog\\u{200b}.recovery\"", "tool", move |l| tool_call(l, call("alice", "auditlog\u{200B}.recovery"))),
        lib("ToolCall tool \"Auditlog.recovery\"", "tool", move |l| tool_call(l, call("alice", "Auditlog.recovery"))),
        lib("SkillRun skill e + U+0301", "skill", |l| skill_run(l, SkillRun::new("cafe\u{301}", "success"))),
        lib("SkillRun skill with BOM", "skill", |l| skill_run(l, SkillRun::new("\u{FEFF}s.x", "success"))),
        lib("ToolCall args with a repeated key", "args.path", move |l| tool_call(l, with_args(r#"{"path":"/etc/shadow","path":"notes.txt"}"#))),
        lib("ToolCall args with a 100-bit integer", "args.id", move |l| tool_call(l, with_args(r#"{"id":123456789012345678901234567890}"#))),
        lib("SkillRun metadata with a repeated key", "metadata.k", move |l| skill_run(l, with_metadata(r#"{"k":1,"k":2}"#))),
        lib("SkillRun metadata 1e-400", "metadata.x", move |l| skill_run(l, with_metadata(r#"{"x":1e-400}"#))),
        lib("Filter tool with ZWSP", "tool", |l| recent(l, Query::new(Filter { name: Some("t\u{200B}".into()), ..Filter::new(Source::AllUsers) }))),
    ]
}

#[test]
fn library_refuses_look_alike_names_and_changed_values() {
    let root = tempfile::tempdir().unwrap();
    let log = AuditLog::builder(root.path().join("logs"))
        .clock(at_now)
        .open()
        .unwrap();
    log.append_skill(&SkillRun::new("workflow.validate", "success"))
        .unwrap();
    log.append_tool(&ToolCall::new("alice", "file_read", "ok"))
        .unwrap();
    let seeded = snapshot(log.dir());
    let rows = look_lib_rows();
    let mut failures = Vec::new();
    for row in &rows {
        let problem = match (row.call)(&log) {
            Ok(()) => Some("accepted".to_owned()),
            Err(Error::Invalid { field, reason })
                if field == row.field && hidden(&reason).is_empty() =>
            {
                None
            }
            Err(other) => Some(format!("{other:?}")),
        };
        let changed = snapshot(log.dir()) != seeded;
        if problem.is_some() || changed {
            failures.push(format!(
                "  {}: {problem:?}, directory changed: {changed}",
                row.input
            ));
        }
    }
    report("library look-alike", rows.len(), &failures);
}

#[test]
fn http_refuses_look_alike_filters() {
    let cli = seeded_cli();
    let seeded = cli.snapshot();
    let server = Server::start(&cli);
    let rows = [
        http(
            "/api/audit/recent?user=alice%E2%80%8B",
            Some(ADMIN),
            400,
            "user",
        ),
        http(
            "/api/audit/recent?user=all&tool=file_read%E2%80%AE",
            Some(ADMIN),
            400,
            "tool",
        ),
        http(
            "/api/audit/stats?skills=true&skill=auditlog%EF%BB%BF.recovery",
            Some(ADMIN),
            400,
            "skill",
        ),
        http(
            "/api/audit/recent?user=all&tool=cafe%CC%81",
            Some(ADMIN),
            400,
            "tool",
        ),
    ];
    let mut failures = Vec::new();
    for row in &rows {
        let answer = server.get(&row.target, row.token);
        if let Ok((_, _, body)) = &answer
            && !hidden(body).is_empty()
        {
            failures.push(format!(
                "  GET {}: raw hidden characters in {body:?}",
                row.target
            ));
        }
        if let Some(problem) = http_mismatch(row, answer) {
            failures.push(format!("  GET {}: {problem}", row.target));
        }
    }
    report("HTTP look-alike", rows.len(), &failures);
    drop(server);
    assert_eq!(cli.snapshot(), seeded);
}

/// base64url without padding, as cursors are written.
fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

/// The bytes of base64url text without padding.
fn from_base64url(text: &str) -> Vec<u8> {
    let sextets: Vec<u32> = text
        .bytes()
        .map(|c| match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'-' => 62,
            _ => 63,
        })
        .collect();
    let mut out = Vec::new();
    for chunk in sextets.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &s)| n | s << (18 - 6 * i));
        for i in 0..chunk.len() - 1 {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    out
}

#[test]
fn a_cursor_rewritten_to_point_into_another_users_log_is_refused() {
    let cli = seeded_cli();
    let env = [("AUDITLOG_NOW", NOW)];
    cli.run_with(
        &["tool", "--user", "alice", "--tool", "t2", "--status", "ok"],
        &env,
        None,
    )
    .success();
    let server = Server::start(&cli);
    let (status, _, page) = server
        .get("/api/audit/recent?user=alice&limit=1", Some(ALICE))
        .unwrap();
    assert_eq!(status, 200, "{page}");
    let page: Value = serde_json::from_str(&page).unwrap();
    let cursor = page["next_cursor"].as_str().expect("a second page");
    let mut forged: Value = serde_json::from_slice(&from_base64url(cursor)).unwrap();
    let bob_file = cli.dir().join("bob/tool_audit/2025-10-23.jsonl");
    let bob_size = std::fs::metadata(bob_file).unwrap().len();
    for position in forged["at"].as_array_mut().unwrap() {
        position["user"] = json!("bob");
        position["end"] = json!(bob_size);
    }
    let forged = base64url(forged.to_string().as_bytes());
    let before = cli.snapshot();
    for token in [ALICE, ADMIN] {
        let target = format!("/api/audit/recent?user=alice&limit=1&cursor={forged}");
        let (status, _, body) = server.get(&target, Some(token)).unwrap();
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("cursor: "), "{body}");
        assert!(!body.contains("shell"), "bob's entry leaked: {body}");
    }
    let run = cli.run_with(
        &[
            "recent", "--user", "alice", "--limit", "1", "--cursor", &forged,
        ],
        &env,
        None,
    );
    assert!(!run.stdout.contains("shell"), "{run:?}");
    run.refused("cursor");
    drop(server);
    assert_eq!(cli.snapshot(), before);
}

#[test]
fn a_user_directory_named_under_an_older_rule_is_still_listed_and_paged() {
    let cli = seeded_cli();
    let env = [("AUDITLOG_NOW", NOW)];
    // A log an older version wrote for a name that is not in NFC.
    let old = cli.dir().join("jose\u{301}/tool_audit");
    std::fs::create_dir_all(&old).unwrap();
    let bobs = std::fs::read_to_string(cli.dir().join("bob/tool_audit/2025-10-23.jsonl")).unwrap();
    std::fs::write(
        old.join("2025-10-23.jsonl"),
        bobs.replace(r#""user":"bob""#, "\"user\":\"jose\u{301}\""),
    )
    .unwrap();
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut args = vec!["recent", "--all-users", "--limit", "1"];
        if let Some(cursor) = &cursor {
            args.extend(["--cursor", cursor.as_str()]);
        }
        let run = cli.run_with(&args, &env, None).success();
        seen.extend(run.json().as_array().unwrap().clone());
        cursor = run
            .stderr
            .split("--cursor ")
            .nth(1)
            .map(|c| c.trim().to_owned());
        if cursor.is_none() {
            break;
        }
    }
    assert_eq!(seen.len(), 3, "alice's, bob's and the old one: {seen:?}");
}

#[test]
fn a_refused_command_line_is_reported_without_its_terminal_controls() {
    let cli = Cli::new();
    let before = cli.snapshot();
    // clap itself drops a whole ANSI sequence (ESC [ … letter) from its
    // messages; anything else must come out escaped.
    for (args, escaped) in [
        (
            &[
                "tool",
                "--user",
                "alice",
                "--tool",
                "t",
                "--status",
                "ok",
                "--x\u{1b}[2J",
            ][..],
            None,
        ),
        (
            &[
                "tool", "--user", "alice", "--tool", "t", "--status", "ok", "--x\u{7}",
            ][..],
            None,
        ),
        (
            &["recent", "--skills", "--format", "csv\u{202e}"][..],
            Some("csv\\u{202e}"),
        ),
        (
            &["stats", "--skills", "--days", "1\u{9b}2J"][..],
            Some("1\\u{9b}2J"),
        ),
    ] {
        let run = cli.run(args);
        assert_eq!(run.code, 2, "{run:?}");
        assert_eq!(hidden(&run.stderr), Vec::<char>::new(), "{run:?}");
        if let Some(escaped) = escaped {
            assert!(run.stderr.contains(escaped), "shown escaped: {run:?}");
        }
    }
    assert_eq!(cli.snapshot(), before);
}

/// A mistyped `--dir` stays missing: a refused write leaves no directory
/// behind, and upkeep commands refuse it as reads do, instead of creating an
/// empty log that then reads and verifies.
#[test]
fn a_missing_directory_is_created_only_by_what_is_recorded() {
    let cli = Cli::new();
    assert!(!cli.dir().exists());
    for refused in [
        &["tool", "--user", "..", "--tool", "t", "--status", "ok"][..],
        &["tool", "--user", "a", "--tool", "t", "--status", "maybe"],
        &[
            "tool", "--user", "a", "--tool", "t", "--status", "ok", "--args", "{bad",
        ],
        &["record", "s", "BAD"],
    ] {
        let run = cli.run(refused);
        assert_eq!(run.code, 2, "{refused:?}: {run:?}");
        assert!(!cli.dir().exists(), "{refused:?} left a directory");
    }
    for upkeep in [
        &["repair"][..],
        &["adopt"],
        &["rotate"],
        &["verify"],
        &["stats", "--skills"],
    ] {
        cli.run(upkeep).refused("--dir");
        assert!(!cli.dir().exists(), "{upkeep:?} created it");
    }
    // Showing the configuration checks it as a write would, and leaves no
    // directory either.
    let shown = cli.run(&["config", "show"]).success().stdout;
    assert!(
        shown.contains("auditlog.toml does not exist there"),
        "{shown}"
    );
    assert!(!cli.dir().exists(), "config show left a directory");
    cli.run(&["tool", "--user", "a", "--tool", "t", "--status", "ok"])
        .success();
    assert!(cli.dir().is_dir(), "recording creates it");
}

/// The longest a refusal's one line may be once it quotes a huge value: the
/// value's first 100 characters, escaped, and the reason.
const SHORT_LINE: usize = 1_000;

/// A refusal quotes a refused value at most 100 characters long, then `…`
/// and its length: `record "<120,000 a's>" success` echoed the whole value
/// to stderr and into the response JSON. Every way a value is refused —
/// by the component's checks, by clap, by the command line's own parsers —
/// quotes it the same bounded way, still naming the field and the reason.
#[test]
fn a_huge_refused_value_is_quoted_cut_naming_the_field_and_reason() {
    let cli = seeded_cli();
    let before = cli.snapshot();
    let huge = "a".repeat(120_000);
    let huge_number = format!("0.1{}1", "0".repeat(100_000));
    let huge_args = format!(r#"{{"x": {huge_number}}}"#);
    let dotted = format!(".{huge}");
    let huge_flag = format!("--{huge}");
    let cases: [(Vec<&str>, &str, &str); 9] = [
        (
            vec!["record", &huge, "success"],
            "skill",
            "must be at most 128 characters",
        ),
        (
            vec!["record", "s.x", &huge],
            "status",
            "must be a lowercase word",
        ),
        (
            vec!["record", "s.x", "success", &huge],
            "duration_ms",
            "must be a non-negative whole number",
        ),
        (
            vec!["tool", "--user", &dotted, "--tool", "t", "--status", "ok"],
            "user",
            "must be at most",
        ),
        (
            vec!["tool", "--user", "a", "--tool", "t", "--status", &huge],
            "status",
            "must be one of ok, error, denied",
        ),
        (
            vec![
                "tool", "--user", "a", "--tool", "t", "--status", "ok", "--args", &huge_args,
            ],
            "args.x",
            "cannot be stored exactly",
        ),
        (
            vec!["recent", "--skills", "--limit", &huge],
            "--limit",
            "must be a whole number between 1 and 10000",
        ),
        (
            vec!["serve", "--request-timeout", &huge],
            "--request-timeout",
            "seconds",
        ),
        (
            vec![&huge_flag],
            "unexpected argument",
            "(120002 characters)",
        ),
    ];
    for (args, field, reason) in cases {
        let run = cli.run_with(&args, &[("AUDITLOG_NOW", NOW)], None);
        let shown: Vec<&str> = args.iter().map(|a| &a[..a.len().min(20)]).collect();
        assert_eq!(run.code, 2, "{shown:?}: {}", run.stderr);
        assert!(
            run.stderr.len() < SHORT_LINE && run.stderr.lines().count() == 1,
            "{shown:?}: {} bytes on stderr: {}",
            run.stderr.len(),
            &run.stderr[..run.stderr.len().min(300)]
        );
        assert!(
            run.stderr.contains(field) && run.stderr.contains(reason),
            "{shown:?} should name {field} and {reason}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains(" characters)"),
            "{shown:?} says how long the value was: {}",
            run.stderr
        );
        assert!(
            run.stdout.len() < 2 * SHORT_LINE,
            "{shown:?}: {} bytes on stdout",
            run.stdout.len()
        );
    }
    // `record` also answers in the seed's JSON, which quotes the same.
    let run = cli.run(&["record", &huge, "success"]);
    let answer = run.json();
    let message = answer["details"]["error"]["message"].as_str().unwrap();
    // One word across the cut (a secret could be one) is dropped whole.
    assert_eq!(
        message,
        "skill: must be at most 128 characters, got \"\"… (120000 characters)"
    );
    assert_eq!(answer["errors"][0], message);
    assert_eq!(cli.snapshot(), before);
}

/// A value an environment variable gave is refused naming the variable:
/// `AUDITLOG_MAX_DAYS=abc auditlog config show` said `invalid value 'abc'
/// for '--max-days <N>'`, a flag the user never typed, and
/// `AUDITLOG_KEY_FILE= auditlog verify` that a value is required for
/// `--key-file`. The same value typed as the flag is refused naming the flag.
#[test]
fn a_value_from_the_environment_is_refused_naming_the_variable() {
    let cli = seeded_cli();
    let before = cli.snapshot();
    let key_file = cli.outside().join("no-such.key");
    let key_file = key_file.to_str().unwrap();
    let cases: [(&[&str], (&str, &str), &str); 9] = [
        (
            &["config", "show"],
            ("AUDITLOG_MAX_DAYS", "abc"),
            "auditlog: AUDITLOG_MAX_DAYS (for --max-days): invalid value 'abc': must be a \
             whole number, 0 (off) or at least 1 (see --help)",
        ),
        (
            // The flag before the subcommand does not hide a bad variable.
            &["--max-days", "3", "config", "show"],
            ("AUDITLOG_MAX_DAYS", "abc"),
            "auditlog: AUDITLOG_MAX_DAYS (for --max-days): invalid value 'abc': must be a \
             whole number, 0 (off) or at least 1 (see --help)",
        ),
        (
            &["verify"],
            ("AUDITLOG_KEY_FILE", ""),
            "auditlog: AUDITLOG_KEY_FILE (for --key-file): is set but empty; set it to a value, \
             or unset it (`unset AUDITLOG_KEY_FILE`) (see --help)",
        ),
        (
            &["record", "s.x", "success"],
            ("AUDITLOG_SYNC", "sometimes"),
            "auditlog: AUDITLOG_SYNC (for --sync): invalid value 'sometimes' [possible values: \
             never, batch, always] (see --help)",
        ),
        (
            &["recent", "--skills"],
            ("AUDITLOG_COMPRESS", "yes"),
            "auditlog: AUDITLOG_COMPRESS (for --compress): invalid value 'yes' [possible \
             values: true, false] (see --help)",
        ),
        (
            &["verify"],
            ("AUDITLOG_KEY_FILE", key_file),
            "auditlog: AUDITLOG_KEY_FILE (for --key-file): cannot read",
        ),
        // A whole number out of the setting's range, as much as one that
        // is not a number.
        (
            &["rotate"],
            ("AUDITLOG_MAX_USER_BYTES", "5"),
            "auditlog: AUDITLOG_MAX_USER_BYTES (for --max-user-bytes): must be 0 (off) or at least 1024, got 5",
        ),
        (
            &["record", "s.x", "success"],
            ("AUDITLOG_MAX_FILE_BYTES", "100"),
            "auditlog: AUDITLOG_MAX_FILE_BYTES (for --max-file-bytes): must be 0 (off) or at least 1024, got 100",
        ),
        (
            &["recent", "--skills"],
            ("AUDITLOG_COMPRESS_GRACE", "9999999"),
            "auditlog: AUDITLOG_COMPRESS_GRACE (for --compress-grace): must be between 0 and 2592000, got 9999999",
        ),
    ];
    for (args, (variable, value), expected) in cases {
        let run = cli.run_with(args, &[(variable, value)], None);
        assert_eq!(run.code, 2, "{variable}={value:?} {args:?}: {run:?}");
        assert!(
            run.stderr.starts_with(expected) && run.stderr.lines().count() == 1,
            "{variable}={value:?} {args:?}: {:?}",
            run.stderr
        );
    }
    // Typed on the command line, the flag is named as before.
    let run = cli.run(&["--max-days", "abc", "config", "show"]);
    assert_eq!(
        run.stderr,
        "auditlog: invalid value 'abc' for '--max-days <N>': must be a whole number, 0 (off) \
         or at least 1 (see --help)\n"
    );
    let run = cli.run_with(&["--key-file", "", "verify"], &[], None);
    assert!(
        run.stderr
            .starts_with("auditlog: a value is required for '--key-file <FILE>'"),
        "{}",
        run.stderr
    );
    assert_eq!(cli.snapshot(), before);

    // `--help` names each variable without a value: `[env: AUDITLOG_KEY_FILE=]`
    // read as set to the empty string, and a value set would be shown.
    let help = cli
        .run_with(
            &["--help"],
            &[("AUDITLOG_KEY_FILE", "/secret/path.key")],
            None,
        )
        .success()
        .stdout;
    for variable in [
        "AUDITLOG_DIR",
        "AUDITLOG_KEY_FILE",
        "AUDITLOG_SYNC",
        "AUDITLOG_MAX_DAYS",
    ] {
        assert!(
            help.contains(&format!("[env: {variable}]")),
            "{variable}: {help}"
        );
    }
    for shown in help.split("[env: ").skip(1) {
        let shown = &shown[..shown.find(']').unwrap()];
        assert!(!shown.contains('='), "[env: {shown}] shows a value: {help}");
    }
    assert!(!help.contains("/secret/path.key"), "{help}");
}

/// A command run without its subcommand says one is required and lists them
/// (exit 2): `auditlog config` printed the command's description as if it
/// were the error, `auditlog: Show or check the configuration (see --help)`,
/// and `config` had no `check`.
#[test]
fn a_missing_subcommand_is_refused_listing_the_subcommands() {
    let cli = Cli::new();
    let bare = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_auditlog"))
            .args(args)
            .env_remove("AUDITLOG_DIR")
            .current_dir(cli.outside())
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8(output.stdout).unwrap(),
            String::from_utf8(output.stderr).unwrap(),
        )
    };
    let commands = "record, tool, recent, stats, serve, verify, repair, adopt, rotate, config, \
                    run-skill, component";
    for (args, expected) in [
        (
            &["config"][..],
            "auditlog: a subcommand is required: show (usage: auditlog config [OPTIONS] \
             <COMMAND>) (see --help)\n"
                .to_owned(),
        ),
        (
            &[],
            format!(
                "auditlog: a subcommand is required: {commands} (usage: auditlog [OPTIONS] \
                 <COMMAND>) (see --help)\n"
            ),
        ),
        (
            // With an option, clap refuses it another way: the same words,
            // without the hidden `generate`.
            &["--max-days", "3"],
            format!(
                "auditlog: a subcommand is required: {commands} (usage: auditlog [OPTIONS] \
                 <COMMAND>) (see --help)\n"
            ),
        ),
        (
            &["--max-days", "3", "config"],
            "auditlog: a subcommand is required: show (usage: auditlog config [OPTIONS] \
             <COMMAND>) (see --help)\n"
                .to_owned(),
        ),
    ] {
        let (code, stdout, stderr) = bare(args);
        assert_eq!((code, stdout.as_str()), (Some(2), ""), "{args:?}: {stderr}");
        assert_eq!(stderr, expected, "{args:?}");
    }
    let (_, help, _) = bare(&["config", "--help"]);
    assert!(!help.contains("check"), "config has no check: {help}");
    assert!(help.starts_with("Show the configuration"), "{help}");
    let (_, help, _) = bare(&["--help"]);
    assert!(!help.contains("Show or check"), "{help}");
    assert!(!cli.outside().join("audit").exists());
}

/// `run-skill` refuses a bad `--name` naming `--name`, the option given,
/// not `skill`, a field the command line does not have; and a name taken
/// from the file's name naming `SKILL.wasm`.
#[test]
fn run_skill_refuses_a_bad_name_naming_the_option() {
    let cli = Cli::new();
    std::fs::create_dir_all(cli.dir()).unwrap();
    let before = cli.snapshot();
    let file = cli.outside().join("auditlog.x.wasm");
    std::fs::write(&file, "not a component").unwrap();
    let file = file.to_str().unwrap();
    for (name, reason) in [
        ("auditlog.x", "are reserved for auditlog's own entries"),
        ("a/b", "must not contain '/'"),
        ("two words", "must not contain whitespace"),
    ] {
        let run = cli
            .run(&[
                "run-skill",
                "--user",
                "alice",
                "--name",
                name,
                file,
                "input",
            ])
            .refused("--name");
        assert!(
            run.stderr.starts_with("auditlog: --name: ") && run.stderr.contains(reason),
            "{name}: {}",
            run.stderr
        );
    }
    let run = cli
        .run(&["run-skill", "--user", "alice", file, "input"])
        .refused("SKILL.wasm");
    assert!(
        run.stderr.contains("auditlog.x.wasm") && run.stderr.contains("--name"),
        "{}",
        run.stderr
    );
    assert_eq!(cli.snapshot(), before);
}

/// A `--dir` that is a file, or under one, is refused for a write as for a
/// read (`--dir: … is not a directory`, exit 2), not as `cannot open log
/// directory afile: File exists (os error 17)`, exit 1, naming no option.
#[test]
fn a_dir_that_is_a_file_is_refused_naming_dir_for_writes_too() {
    let cli = Cli::new();
    std::fs::write(cli.dir(), "a file").unwrap();
    let writes: [&[&str]; 4] = [
        &["record", "s.x", "success"],
        &["tool", "--user", "a", "--tool", "t", "--status", "ok"],
        &["config", "show"],
        &["rotate"],
    ];
    for args in writes {
        let run = cli.run_at(NOW, args).refused("--dir");
        assert!(
            run.stderr.contains("is not a directory") && !run.stderr.contains("os error"),
            "{args:?}: {}",
            run.stderr
        );
    }
    cli.run(&["recent", "--skills"]).refused("--dir");
    assert_eq!(std::fs::read(cli.dir()).unwrap(), b"a file");

    // Under a file: no directory can be created there.
    let under = cli.dir().join("logs");
    let run = Command::new(env!("CARGO_BIN_EXE_auditlog"))
        .args(["tool", "--user", "a", "--tool", "t", "--status", "ok"])
        .env("AUDITLOG_DIR", &under)
        .env_remove("AUDITLOG_NOW")
        .output()
        .unwrap();
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with("auditlog: AUDITLOG_DIR (for --dir): ")
            && stderr.contains("is not a directory, so"),
        "{stderr}"
    );
}

#[test]
fn a_test_clock_that_is_no_time_is_refused_naming_its_variable() {
    let cli = Cli::new();
    let tool = ["tool", "--user", "a", "--tool", "t", "--status", "ok"];
    let run = cli.run_with(&tool, &[("AUDITLOG_NOW", "yesterday")], None);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(!cli.dir().exists(), "a refused clock records nothing");
    assert!(
        run.stderr
            .starts_with("auditlog: AUDITLOG_NOW: not an RFC 3339 time")
            && run.stderr.ends_with("got \"yesterday\"\n"),
        "{}",
        run.stderr
    );
}
