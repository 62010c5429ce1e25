//! `auditlog serve`: the HTTP admin API, run as the real binary on a free
//! loopback port, answering the same as the CLI.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::os::unix::fs::PermissionsExt;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

use crate::cli_recent::{betty_log_with_foreign_entries, legacy_skill_log};
use crate::support::{Cli, field};

pub(crate) const NOW: &str = "2025-10-23T18:00:00Z";
pub(crate) const ADMIN: &str = "admin-secret-0123";
pub(crate) const ALICE: &str = "tok-alice-0123456";
pub(crate) const BOB: &str = "tok-bob-012345678";

/// A running `auditlog serve`, killed when dropped (also when a test fails).
pub(crate) struct Server {
    child: Child,
    pub(crate) port: u16,
    _stdout: BufReader<ChildStdout>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the server answered.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) headers: String,
    pub(crate) body: Value,
}

impl Server {
    /// Starts `auditlog --dir DIR serve` with the test's tokens, at [`NOW`].
    pub(crate) fn start(cli: &Cli) -> Self {
        Self::start_with(cli, &[])
    }

    /// [`Server::start`] with more `serve` options.
    pub(crate) fn start_with(cli: &Cli, options: &[&str]) -> Self {
        Self::spawn(Command::new(env!("CARGO_BIN_EXE_auditlog")), cli, options)
    }

    /// [`Server::start_with`], the server allowed at most `files` open files
    /// (`ulimit -n`), as on a machine with a low limit.
    #[cfg(unix)]
    pub(crate) fn start_with_file_limit(cli: &Cli, options: &[&str], files: u32) -> Self {
        let mut shell = Command::new("sh");
        shell
            .arg("-c")
            .arg(format!("ulimit -n {files} && exec \"$0\" \"$@\""))
            .arg(env!("CARGO_BIN_EXE_auditlog"));
        Self::spawn(shell, cli, options)
    }

    fn spawn(mut command: Command, cli: &Cli, options: &[&str]) -> Self {
        let admin_file = cli.outside().join("admin.token");
        let users_file = cli.outside().join("users.json");
        crate::support::write_secret(&admin_file, format!("  {ADMIN}\n")).unwrap();
        crate::support::write_secret(
            &users_file,
            format!(r#"{{"alice": "{ALICE}", "bob": "{BOB}"}}"#),
        )
        .unwrap();
        let mut child = command
            .arg("--dir")
            .arg(cli.dir())
            .args(["serve", "--listen", "127.0.0.1:0", "--admin-token-file"])
            .arg(&admin_file)
            .arg("--user-tokens-file")
            .arg(&users_file)
            .args(options)
            .env_remove("AUDITLOG_DIR")
            .env("AUDITLOG_NOW", NOW)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the auditlog binary runs");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        let Some(addr) = line.trim().strip_prefix("listening on http://") else {
            let _ = child.kill();
            let output = child.wait_with_output().unwrap();
            panic!(
                "expected the listening line, got {line:?}; stderr: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        };
        let port = addr
            .rsplit_once(':')
            .and_then(|(host, port)| (host == "127.0.0.1").then_some(port))
            .and_then(|port| port.parse().ok())
            .unwrap_or_else(|| panic!("a loopback address with a port: {line:?}"));
        Self {
            child,
            port,
            _stdout: stdout,
        }
    }

    /// `GET path` with `token` as the bearer token, if any.
    pub(crate) fn get(&self, path: &str, token: Option<&str>) -> Answer {
        self.request("GET", path, token.map(|t| format!("Bearer {t}")).as_deref())
    }

    /// One HTTP/1.1 request on a fresh connection.
    pub(crate) fn request(&self, method: &str, path: &str, authorization: Option<&str>) -> Answer {
        let mut request = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n",
            self.port
        );
        if let Some(value) = authorization {
            request.push_str(&format!("Authorization: {value}\r\n"));
        }
        request.push_str("\r\n");
        self.send(&request)
    }

    /// Sends `request`, a whole request head, on a fresh connection.
    pub(crate) fn send(&self, request: &str) -> Answer {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let response = String::from_utf8(response).unwrap();
        let (head, body) = response
            .split_once("\r\n\r\n")
            .unwrap_or_else(|| panic!("an HTTP response: {response:?}"));
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("a status line: {head:?}"));
        let headers = head.to_ascii_lowercase();
        let length: usize = headers
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .unwrap_or_else(|| panic!("a content-length header: {head:?}"))
            .trim()
            .parse()
            .unwrap();
        assert_eq!(body.len(), length, "the whole body: {response:?}");
        let body = serde_json::from_str(body)
            .unwrap_or_else(|e| panic!("a JSON body ({e}): {response:?}"));
        Answer {
            status,
            headers,
            body,
        }
    }

    /// The answer's body, asserting `status`.
    #[track_caller]
    pub(crate) fn expect(&self, status: u16, path: &str, token: Option<&str>) -> Value {
        let answer = self.get(path, token);
        assert_eq!(answer.status, status, "GET {path}: {answer:?}");
        assert!(
            answer.headers.contains("content-type: application/json"),
            "{answer:?}"
        );
        answer.body
    }

    /// The message of an error answer with `status`.
    #[track_caller]
    pub(crate) fn error(&self, status: u16, path: &str, token: Option<&str>) -> String {
        let body = self.expect(status, path, token);
        body["error"]
            .as_str()
            .unwrap_or_else(|| panic!("an error message: {body}"))
            .to_owned()
    }
}

/// Tool calls and skill runs on 2025-10-22 and 2025-10-23.
pub(crate) fn seed(cli: &Cli) {
    let calls = [
        ("2025-10-22T09:00:00Z", "alice", "file_read", "ok"),
        ("2025-10-22T10:00:00Z", "bob", "shell", "error"),
        ("2025-10-23T08:00:00Z", "alice", "shell", "ok"),
        ("2025-10-23T09:00:00Z", "bob", "file_read", "ok"),
        ("2025-10-23T10:00:00Z", "alice", "file_read", "denied"),
        ("2025-10-23T11:00:00Z", "carol", "file_read", "ok"),
    ];
    for (now, user, tool, status) in calls {
        cli.run_at(
            now,
            &[
                "tool",
                "--user",
                user,
                "--tool",
                tool,
                "--status",
                status,
                "--args",
                r#"{"path": "notes.txt"}"#,
                "--result",
                "done",
            ],
        )
        .success();
    }
    let runs = [
        (
            "2025-10-22T12:00:00Z",
            "workflow.validate",
            "success",
            "150",
        ),
        ("2025-10-23T12:00:00Z", "workflow.compose", "failed", "5000"),
        ("2025-10-23T13:00:00Z", "workflow.validate", "success", "90"),
    ];
    for (now, skill, status, ms) in runs {
        cli.run_at(now, &["record", skill, status, ms]).success();
    }
}

#[test]
fn tokens_decide_who_reads_what() {
    let cli = Cli::new();
    seed(&cli);
    let server = Server::start(&cli);

    let health = server.expect(200, "/healthz", None);
    assert_eq!(health, serde_json::json!({"status": "ok"}));

    let recent = "/api/audit/recent?user=all";
    let missing = server.get(recent, None);
    assert_eq!(missing.status, 401, "{missing:?}");
    assert!(
        missing.headers.contains("www-authenticate: bearer"),
        "{missing:?}"
    );
    assert!(missing.body["error"].as_str().unwrap().contains("token"));
    server.error(401, recent, Some("wrong-token"));
    server.error(401, recent, Some(&ADMIN[..ADMIN.len() - 1]));
    server.error(401, "/api/audit/stats?user=all", Some("wrong-token"));
    let basic = server.request("GET", recent, Some(&format!("Basic {ADMIN}")));
    assert_eq!(basic.status, 401, "{basic:?}");
    assert!(
        !format!("{missing:?}{basic:?}").contains(ADMIN),
        "tokens are never echoed"
    );

    // The admin token reads everything.
    let all = server.expect(200, recent, Some(ADMIN));
    assert_eq!(all["entries"].as_array().unwrap().len(), 6);
    let skills = server.expect(200, "/api/audit/recent?skills=true", Some(ADMIN));
    assert_eq!(skills["entries"].as_array().unwrap().len(), 3);
    let stats = server.expect(200, "/api/audit/stats?user=all", Some(ADMIN));
    assert_eq!(stats["total"], 6);
    server.expect(200, "/api/audit/stats?skills=true", Some(ADMIN));
    server.expect(200, "/api/audit/recent?user=bob", Some(ADMIN));

    // A user's token reads only that user's tool log.
    let own = server.expect(200, "/api/audit/recent?user=alice", Some(ALICE));
    let own = own["entries"].as_array().unwrap();
    assert_eq!(field(own, "user"), ["alice", "alice", "alice"]);
    let own_stats = server.expect(200, "/api/audit/stats?user=alice&days=1", Some(ALICE));
    assert_eq!(own_stats["total"], 2);
    server.expect(200, "/api/audit/recent?user=bob&tool=shell", Some(BOB));
    for path in [
        "/api/audit/recent?user=bob",
        "/api/audit/recent?user=all",
        "/api/audit/recent?skills=true",
        "/api/audit/recent?user=alice&skills=true",
        "/api/audit/stats?user=bob",
        "/api/audit/stats?user=all",
        "/api/audit/stats?skills=true",
    ] {
        let message = server.error(403, path, Some(ALICE));
        assert!(message.contains("alice"), "{path}: {message}");
    }

    // Other routes and methods answer JSON errors too.
    let missing_route = server.error(404, "/api/audit/nothing", Some(ADMIN));
    assert!(
        missing_route.contains("/api/audit/nothing"),
        "{missing_route}"
    );
    let post = server.request("POST", recent, Some(&format!("Bearer {ADMIN}")));
    assert_eq!(post.status, 405, "{post:?}");
}

/// The same token sent twice, or a user's and the admin's in either order:
/// refused, not read as whichever came first, with a reason that says which
/// header and why (it was once redacted whole, to `Authorization: [REDACTED]`)
/// and quotes no token.
#[test]
fn a_repeated_authorization_header_gets_a_readable_400_naming_it() {
    let cli = Cli::new();
    seed(&cli);
    let server = Server::start(&cli);
    for (first, second) in [(ADMIN, ADMIN), (ALICE, ADMIN), (ADMIN, ALICE), (ALICE, BOB)] {
        let twice = format!("Bearer {first}\r\nAuthorization: Bearer {second}");
        for path in ["/api/audit/recent?user=alice", "/api/whoami"] {
            let answer = server.request("GET", path, Some(&twice));
            assert_eq!(answer.status, 400, "{answer:?}");
            assert_eq!(
                answer.body["error"],
                "headers: Authorization is given more than once; send it once (which one \
                 counts would be a guess)",
                "{answer:?}"
            );
        }
    }
}

/// RFC 9112 §3.2: a server answers 400 to an HTTP/1.1 request without a
/// Host header, and to any request with two or with one that is not a host
/// (the audit found all of these served, on every route). The reason names
/// the header and says why; the value is never quoted back.
#[test]
fn a_request_without_exactly_one_valid_host_gets_a_400_naming_it() {
    let cli = Cli::new();
    seed(&cli);
    let server = Server::start(&cli);
    let repeated = "headers: Host is given more than once; send it once (which one counts \
                    would be a guess)";
    let cases = [
        (
            "",
            "headers: Host is missing; an HTTP/1.1 request must name the server it is for \
             (Host: its name or address, and port)",
        ),
        ("Host: a.example\r\nHost: b.example\r\n", repeated),
        ("Host: 127.0.0.1\r\nHost: 127.0.0.1\r\n", repeated),
        (
            "Host: a.example, b.example\r\n",
            "headers: Host holds a list; send one host (which one counts would be a guess)",
        ),
        (
            "Host: <script>alert(1)</script>\r\n",
            "headers: Host is not a host name or address with an optional port",
        ),
    ];
    for path in [
        "/api/whoami",
        "/api/audit/recent?user=all",
        "/healthz",
        "/",
        "/no/such/route",
    ] {
        for (hosts, reason) in cases {
            let head =
                format!("GET {path} HTTP/1.1\r\n{hosts}Authorization: Bearer {ADMIN}\r\n\r\n");
            let answer = server.send(&head);
            assert_eq!(answer.status, 400, "{head:?}: {answer:?}");
            assert!(
                answer.headers.contains("content-type: application/json"),
                "{answer:?}"
            );
            assert_eq!(answer.body, json!({ "error": reason }), "{head:?}");
        }
    }
    // One Host, in any of its forms, is served; HTTP/1.0 may send none.
    for hosts in [
        "Host: 127.0.0.1\r\n".to_owned(),
        format!("Host: 127.0.0.1:{}\r\n", server.port),
        "Host: localhost\r\n".to_owned(),
        "Host: [::1]:8080\r\n".to_owned(),
        "host: audit.example.com\r\n".to_owned(),
    ] {
        let answer = server.send(&format!(
            "GET /api/whoami HTTP/1.1\r\n{hosts}Authorization: Bearer {ADMIN}\r\n\r\n"
        ));
        assert_eq!(
            (answer.status, answer.body),
            (200, json!({"access": "admin"})),
            "{hosts:?}"
        );
    }
    let old = server.send("GET /healthz HTTP/1.0\r\n\r\n");
    assert_eq!((old.status, old.body), (200, json!({"status": "ok"})));
}

/// Text the client chose — an unknown parameter's name, a number too large,
/// a route — is quoted in a 400 or 404 as every refusal quotes a value:
/// hidden and control characters escaped, at most 100 characters and the
/// length, so an answer is neither a terminal escape nor an echo of 60 KB.
#[test]
fn refusals_quote_the_client_s_text_by_the_one_rule() {
    let cli = Cli::new();
    seed(&cli);
    let server = Server::start(&cli);
    let hidden = server.error(
        400,
        "/api/audit/recent?user=all&%E2%80%AEevil%1B%5B2J=1",
        Some(ADMIN),
    );
    assert!(
        hidden.starts_with(r#"query: unknown parameter "\u{202e}evil\u{1b}[2J"; expected one of "#),
        "{hidden}"
    );
    assert!(!hidden.contains(['\u{202e}', '\u{1b}']), "{hidden:?}");
    let long = "y".repeat(60_000);
    let nines = "9".repeat(60_000);
    // Each is one word across the cut (a secret could be one): dropped whole.
    let cut = |_: &str| "\"\"… (60000 characters)".to_owned();
    let unknown = server.error(400, &format!("/api/audit/recent?{long}=1"), Some(ADMIN));
    assert!(
        unknown.starts_with(&format!("query: unknown parameter {}; ", cut(&long))),
        "{unknown}"
    );
    for name in ["limit", "days"] {
        let path = format!("/api/audit/recent?user=all&{name}={nines}");
        assert_eq!(
            server.error(400, &path, Some(ADMIN)),
            format!("{name}: is too large, got {}", cut(&nines))
        );
    }
    let route = server.error(404, &format!("/api/{long}"), Some(ADMIN));
    assert!(
        route.starts_with("no such route: \"\"… (60005 characters); "),
        "{route}"
    );
    // Quoted as the client meant it (percent-decoded), redacted.
    let secret = server.error(404, "/x%20password%3DHunter2Secret9", None);
    assert!(
        secret.starts_with("no such route: \"/x password=[REDACTED]\"")
            && !secret.contains("Hunter2"),
        "{secret}"
    );
    // The console's routes take no parameter, and say so the same way.
    assert_eq!(
        server.error(400, "/api/whoami?%1B=1", Some(ADMIN)),
        r#"query: unknown parameter "\u{1b}"; this route takes none"#
    );
}

#[test]
fn bad_parameters_get_400_naming_them() {
    let cli = Cli::new();
    seed(&cli);
    let server = Server::start(&cli);
    let refused = |path: &str| server.error(400, path, Some(ADMIN));

    assert_eq!(
        refused("/api/audit/recent?user=all&limit=0"),
        "limit: must be between 1 and 10000, got 0"
    );
    assert_eq!(
        refused("/api/audit/recent?user=all&limit=10001"),
        "limit: must be between 1 and 10000, got 10001"
    );
    assert_eq!(
        refused("/api/audit/recent?user=all&days=abc"),
        r#"days: must be a whole number, got "abc""#
    );
    assert_eq!(
        refused("/api/audit/stats?user=all&days=abc"),
        r#"days: must be a whole number, got "abc""#
    );
    assert!(refused("/api/audit/recent?user=all&days=0").starts_with("days: "));
    assert!(refused("/api/audit/recent?user=all&since=garbage").starts_with("since: "));
    assert!(refused("/api/audit/stats?skills=true&until=garbage").starts_with("until: "));
    let unknown = refused("/api/audit/recent?user=all&frobnicate=1");
    assert!(
        unknown.starts_with("query: unknown parameter \"frobnicate\"; expected one of user, "),
        "{unknown}"
    );
    assert!(refused("/api/audit/recent?skills=true&tool=shell").starts_with("tool: "));
    assert!(refused("/api/audit/recent?user=all&skill=s").starts_with("skill: "));
    assert!(refused("/api/audit/stats?user=all&limit=5").starts_with("limit: "));
    assert!(refused("/api/audit/stats?user=all&cursor=x").starts_with("cursor: "));
    assert!(refused("/api/audit/recent?user=all&cursor=not-a-cursor").starts_with("cursor: "));
    assert!(refused("/api/audit/recent?user=..%2Fetc").starts_with("user: "));
    assert!(refused("/api/audit/recent").starts_with("user: "));
    assert!(refused("/api/audit/recent?skills=true&user=all").starts_with("skills: "));
    assert!(refused("/api/audit/recent?user=all&user=bob").starts_with("user: "));
    // A user's token gets 400 for a bad parameter on its own log.
    assert_eq!(
        server.error(400, "/api/audit/recent?user=alice&limit=0", Some(ALICE)),
        "limit: must be between 1 and 10000, got 0"
    );
}

#[test]
fn refusals_of_parameters_quote_no_secret() {
    let cli = Cli::new();
    seed(&cli);
    let server = Server::start(&cli);
    // A token pasted into the wrong parameter, or as one's name: the 400
    // names the parameter but the answer (and any log of it) keeps no token.
    let token = "ghp_1234567890abcdefghijklmnopqrstuvwxyzAB";
    for query in [
        format!("user=all&limit={token}"),
        format!("user=all&days={token}"),
        format!("user=all&x_{token}=1"),
        format!("user=all&since={token}"),
    ] {
        let answer = server.error(400, &format!("/api/audit/recent?{query}"), Some(ADMIN));
        assert!(!answer.contains(token), "{query}: {answer}");
        assert!(answer.contains("[REDACTED]"), "{query}: {answer}");
    }
}

/// `recent ARGS --format json` at [`NOW`], parsed.
fn cli_json(cli: &Cli, command: &str, args: &[&str]) -> Value {
    let mut all = vec![command];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    cli.run_at(NOW, &all).success().json()
}

#[test]
fn answers_equal_the_clis() {
    let cli = Cli::new();
    seed(&cli);
    let server = Server::start(&cli);
    let cases: &[(&str, &[&str])] = &[
        ("user=all", &["--all-users"]),
        ("user=alice", &["--user", "alice"]),
        (
            "user=all&tool=file_read",
            &["--all-users", "--tool", "file_read"],
        ),
        (
            "user=all&status=ok&days=1",
            &["--all-users", "--status", "ok", "--days", "1"],
        ),
        (
            "user=bob&since=2025-10-23",
            &["--user", "bob", "--since", "2025-10-23"],
        ),
        (
            "user=all&since=2025-10-22T09:30:00Z&until=2025-10-23T10:00:00Z",
            &[
                "--all-users",
                "--since",
                "2025-10-22T09:30:00Z",
                "--until",
                "2025-10-23T10:00:00Z",
            ],
        ),
        ("skills=true", &["--skills"]),
        (
            "skills=true&skill=workflow.validate",
            &["--skills", "--skill", "workflow.validate"],
        ),
        (
            "skills=true&status=failed",
            &["--skills", "--status", "failed"],
        ),
        ("user=nobody", &["--user", "nobody"]),
    ];
    for (query, args) in cases {
        let recent = server.expect(200, &format!("/api/audit/recent?{query}"), Some(ADMIN));
        assert_eq!(
            recent["entries"],
            cli_json(&cli, "recent", args),
            "recent?{query}"
        );
        assert_eq!(recent["next_cursor"], Value::Null, "recent?{query}");
        let stats = server.expect(200, &format!("/api/audit/stats?{query}"), Some(ADMIN));
        assert_eq!(stats, cli_json(&cli, "stats", args), "stats?{query}");
    }
    // Entries go out as stored: the same fields in the same order.
    let answer = server.get("/api/audit/recent?user=all&limit=1", Some(ADMIN));
    let stored = cli.day_file("carol", "2025-10-23");
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&answer.body["entries"][0]), keys(&stored[0]));
}

#[test]
fn next_cursor_pages_through_the_rest() {
    let cli = Cli::new();
    seed(&cli);
    let server = Server::start(&cli);
    let everything = server.expect(200, "/api/audit/recent?user=all", Some(ADMIN));
    let everything = everything["entries"].as_array().unwrap().clone();
    assert_eq!(everything.len(), 6);

    let mut entries = Vec::new();
    let mut path = "/api/audit/recent?user=all&limit=4".to_owned();
    let mut pages = 0;
    loop {
        let page = server.expect(200, &path, Some(ADMIN));
        pages += 1;
        entries.extend(page["entries"].as_array().unwrap().iter().cloned());
        let Some(cursor) = page["next_cursor"].as_str() else {
            assert_eq!(page["next_cursor"], Value::Null);
            break;
        };
        assert!(pages < 5, "paging ends");
        // The CLI gives the same cursor for the same page.
        if pages == 1 {
            let run = cli
                .run_at(NOW, &["recent", "--all-users", "--limit", "4"])
                .success();
            assert!(
                run.stderr.contains(&format!("--cursor {cursor}")),
                "{run:?}"
            );
        }
        path = format!(
            "/api/audit/recent?user=all&limit=4&cursor={}",
            percent_encode(cursor)
        );
    }
    assert_eq!(pages, 2);
    assert_eq!(entries, everything);
}

/// `text` with everything but unreserved characters percent-encoded.
pub(crate) fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[test]
fn token_files_are_checked() {
    let cli = Cli::new();
    let admin = cli.outside().join("admin.token");
    let users = cli.outside().join("users.json");
    // A port that is taken: a file wrongly accepted fails (exit 1) instead of serving.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let taken = listener.local_addr().unwrap().to_string();
    let serve = |admin_text: &str, users_text: Option<&str>| {
        crate::support::write_secret(&admin, admin_text).unwrap();
        let mut args = vec![
            "serve".to_owned(),
            "--listen".to_owned(),
            taken.clone(),
            "--admin-token-file".to_owned(),
            admin.display().to_string(),
        ];
        if let Some(text) = users_text {
            crate::support::write_secret(&users, text).unwrap();
            args.extend(["--user-tokens-file".to_owned(), users.display().to_string()]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        cli.run(&args)
    };
    serve(" \n\t", None).refused("--admin-token-file");
    serve("two words", None).refused("--admin-token-file");
    // A short token is guessable: refused, naming the file and the user.
    let short = serve("admin-tok\n", None).refused("--admin-token-file");
    assert!(
        short.stderr.contains("admin.token") && short.stderr.contains("shorter than 16"),
        "{short:?}"
    );
    let short =
        serve("admin-token-0123456", Some("{\"alice\": \"tok-a\"}")).refused("--user-tokens-file");
    assert!(
        short.stderr.contains("users.json")
            && short.stderr.contains("\"alice\"")
            && short.stderr.contains("shorter than 16"),
        "{short:?}"
    );
    serve("admin-token-0123456", Some("[\"alice\"]")).refused("--user-tokens-file");
    serve("admin-token-0123456", Some("{\"alice\": 5}")).refused("--user-tokens-file");
    serve("admin-token-0123456", Some("{\"alice\": \"\"}")).refused("--user-tokens-file");
    serve(
        "admin-token-0123456",
        Some("{\"alice\": \"admin-token-0123456\"}"),
    )
    .refused("--user-tokens-file");
    serve(
        "admin-token-0123456",
        Some("{\"alice\": \"same-token-0123456\", \"bob\": \"same-token-0123456\"}"),
    )
    .refused("--user-tokens-file");
    serve(
        "admin-token-0123456",
        Some("{\"all\": \"all-token-01234567\"}"),
    )
    .refused("--user-tokens-file");
    // A user named twice: serde keeps the last token and the first silently
    // stops working (or, read the other way, a revoked one keeps working).
    let twice = serve(
        "admin-token-0123456",
        Some("{\"alice\": \"tok-old-0123456789\", \"alice\": \"tok-new-0123456789\"}"),
    )
    .refused("--user-tokens-file");
    assert!(
        twice.stderr.contains("alice") && twice.stderr.contains("more than once"),
        "{twice:?}"
    );
    let missing = cli.run(&[
        "serve",
        "--listen",
        &taken,
        "--admin-token-file",
        &cli.outside().join("nope").display().to_string(),
    ]);
    missing.refused("--admin-token-file");
    // A token every user on the machine can read would let any of them read
    // every log.
    std::fs::write(&admin, "admin-token-0123456").unwrap();
    std::fs::set_permissions(&admin, std::fs::Permissions::from_mode(0o644)).unwrap();
    let readable = cli.run(&[
        "serve",
        "--listen",
        &taken,
        "--admin-token-file",
        &admin.display().to_string(),
    ]);
    let said = readable.refused("--admin-token-file").stderr;
    assert!(
        said.contains("can be read by every user on this machine (mode 644): `chmod 600 "),
        "{said}"
    );
    for (flag, value) in [
        ("--header-timeout", "0"),
        ("--header-timeout", "nan"),
        ("--request-timeout", "3601"),
        ("--request-timeout", "soon"),
        ("--max-connections", "0"),
    ] {
        let admin = admin.display().to_string();
        cli.run(&[
            "serve",
            "--listen",
            &taken,
            "--admin-token-file",
            &admin,
            flag,
            value,
        ])
        .refused(flag);
    }
    // With good files, the taken port is the failure.
    let busy = serve(
        "admin-token-0123456",
        Some("{\"alice\": \"alice-token-0123456\"}"),
    );
    assert_eq!(busy.code, 1, "{busy:?}");
    assert!(busy.stderr.contains(&taken), "{busy:?}");
    let help = cli.run(&["serve", "--help"]).success().stdout;
    for needle in [
        "--listen",
        "--admin-token-file",
        "--user-tokens-file",
        "{\"alice\"",
        "curl",
        "--header-timeout",
        "--request-timeout",
        "--max-connections",
        "414",
    ] {
        assert!(help.contains(needle), "help mentions {needle}: {help}");
    }
}

#[test]
fn the_skill_log_window_is_the_clis() {
    let cli = Cli::new();
    legacy_skill_log(&cli, 205);
    cli.run_at(
        "2025-08-01T09:00:00Z",
        &["tool", "--user", "alice", "--tool", "old", "--status", "ok"],
    )
    .success();
    let server = Server::start(&cli);
    let skills = server.expect(200, "/api/audit/recent?skills=true", Some(ADMIN));
    let entries = skills["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 200, "every retained entry, limit 200");
    assert_eq!(entries[0]["skill"], "s204");
    assert_eq!(skills["entries"], cli_json(&cli, "recent", &["--skills"]));
    let stats = server.expect(200, "/api/audit/stats?skills=true", Some(ADMIN));
    assert_eq!(stats["total"], 205);
    assert_eq!(stats, cli_json(&cli, "stats", &["--skills"]));
    let week = server.expect(200, "/api/audit/stats?skills=true&days=7", Some(ADMIN));
    assert_eq!(week["total"], 0);
    let tools = server.expect(200, "/api/audit/recent?user=alice", Some(ADMIN));
    assert_eq!(
        tools["entries"],
        serde_json::json!([]),
        "tool logs keep 7 days"
    );
}

#[test]
fn stats_count_foreign_entries_as_other() {
    let cli = Cli::new();
    betty_log_with_foreign_entries(&cli);
    let server = Server::start(&cli);
    let stats = server.expect(200, "/api/audit/stats?skills=true", Some(ADMIN));
    assert_eq!(
        (&stats["total"], &stats["errors"]),
        (&74.into(), &20.into())
    );
    assert_eq!(stats["other"], 6);
    assert_eq!(stats, cli_json(&cli, "stats", &["--skills"]));
    let failed = server.expect(
        200,
        "/api/audit/stats?skills=true&status=failed",
        Some(ADMIN),
    );
    assert_eq!(
        (&failed["total"], &failed["other"]),
        (&20.into(), &0.into())
    );
}
