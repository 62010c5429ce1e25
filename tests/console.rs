//! The admin console as `auditlog serve` serves it: its files and their
//! Content-Security-Policy, the security headers on every answer (API and
//! refusals alike), and the two routes it adds — `/api/whoami` and
//! `/api/audit/verify` — under the API's token rules. (What the page does in
//! a browser is tested in headless Chromium: `tests/browser/`.)

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use serde_json::Value;

use crate::http::{ADMIN, ALICE, Server, seed};
use crate::support::Cli;

/// A raw answer: status, lower-cased head, body as text.
struct Raw {
    status: u16,
    head: String,
    body: String,
}

impl Raw {
    fn header(&self, name: &str) -> Option<&str> {
        self.head
            .lines()
            .find_map(|line| line.strip_prefix(&format!("{name}:")))
            .map(str::trim)
    }
}

fn fetch(server: &Server, method: &str, path: &str, token: Option<&str>) -> Raw {
    let mut request =
        format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    if let Some(token) = token {
        request.push_str(&format!("Authorization: Bearer {token}\r\n"));
    }
    request.push_str("\r\n");
    send(server, request.as_bytes())
}

fn send(server: &Server, request: &[u8]) -> Raw {
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    stream.write_all(request).unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    let answer = String::from_utf8(answer).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    Raw {
        status: head.split(' ').nth(1).unwrap().parse().unwrap(),
        head: head.to_ascii_lowercase(),
        body: body.to_owned(),
    }
}

/// The headers every answer carries, whatever it is.
#[track_caller]
fn assert_secure(raw: &Raw) {
    assert_eq!(
        raw.header("x-content-type-options"),
        Some("nosniff"),
        "{}",
        raw.head
    );
    assert_eq!(
        raw.header("referrer-policy"),
        Some("no-referrer"),
        "{}",
        raw.head
    );
    let policy = raw.header("content-security-policy").unwrap_or_default();
    assert!(policy.contains("frame-ancestors 'none'"), "{}", raw.head);
    assert!(!policy.contains("unsafe"), "{}", raw.head);
}

#[test]
fn the_console_is_served_from_the_binary_under_a_strict_policy() {
    let cli = Cli::new();
    let server = Server::start(&cli);
    let page = fetch(&server, "GET", "/", None);
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_secure(&page);
    let policy = page.header("content-security-policy").unwrap();
    assert!(policy.starts_with("default-src 'self'"), "{policy}");
    assert!(policy.contains("script-src 'self';"), "{policy}");
    assert!(policy.contains("object-src 'none'") && policy.contains("base-uri 'none'"));

    // No inline script, style or handler: everything the page loads is a file of ours.
    let html = &page.body;
    assert!(
        !html.contains(" style=") && !html.contains("<style"),
        "inline style"
    );
    let handler = html
        .to_ascii_lowercase()
        .split_whitespace()
        .any(|word| word.starts_with("on") && word.contains('='));
    assert!(!handler, "an inline event handler");
    let mut sources = Vec::new();
    for (i, _) in html.match_indices("<script") {
        let tag = &html[i..i + html[i..].find('>').unwrap()];
        let src = tag
            .split("src=\"")
            .nth(1)
            .expect("a script with a src")
            .split('"')
            .next();
        sources.push(src.unwrap().to_owned());
        assert!(
            html[i..].starts_with(&format!("{tag}></script>")),
            "an inline script"
        );
    }
    assert_eq!(sources, ["/console/app.js"]);
    for (path, kind) in [
        ("/console/app.js", "text/javascript; charset=utf-8"),
        ("/console/recent.js", "text/javascript; charset=utf-8"),
        ("/console/stats.js", "text/javascript; charset=utf-8"),
        ("/console/chart.js", "text/javascript; charset=utf-8"),
        ("/console/app.css", "text/css; charset=utf-8"),
        ("/console/icon.svg", "image/svg+xml"),
    ] {
        let file = fetch(&server, "GET", path, None);
        assert_eq!(
            (file.status, file.header("content-type")),
            (200, Some(kind)),
            "{path}"
        );
        assert_secure(&file);
        // Stored values are set as text, never parsed as markup or code.
        for sink in [
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
            "new Function",
        ] {
            assert!(!file.body.contains(sink), "{path} uses {sink}");
        }
    }
    assert_eq!(fetch(&server, "HEAD", "/", None).status, 200);
    let post = fetch(&server, "POST", "/", None);
    assert_eq!(post.status, 405);
    assert_secure(&post);
}

#[test]
fn every_api_answer_carries_the_security_headers() {
    let cli = Cli::new();
    seed(&cli);
    let server = Server::start(&cli);
    for (path, token, status) in [
        ("/api/audit/recent?user=all", Some(ADMIN), 200),
        ("/api/audit/stats?user=all", Some(ADMIN), 200),
        ("/api/audit/recent?user=all", None, 401),
        ("/api/audit/recent?user=bob", Some(ALICE), 403),
        ("/api/audit/recent?user=all&days=x", Some(ADMIN), 400),
        ("/api/nothing", Some(ADMIN), 404),
        ("/healthz", None, 200),
    ] {
        let answer = fetch(&server, "GET", path, token);
        assert_eq!(answer.status, status, "{path}: {}", answer.body);
        assert_secure(&answer);
        assert_eq!(
            answer.header("content-security-policy"),
            Some("default-src 'none'; frame-ancestors 'none'"),
            "{path}"
        );
    }
    // Refused before hyper sees the request: the same headers.
    let huge = format!(
        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "a".repeat(100 * 1024)
    );
    let refused = send(&server, huge.as_bytes());
    assert_eq!(refused.status, 431);
    assert_secure(&refused);
}

#[test]
fn whoami_and_verify_keep_the_apis_token_rules() {
    let cli = Cli::new();
    seed(&cli);
    let server = Server::start(&cli);
    assert_eq!(
        server.expect(200, "/api/whoami", Some(ADMIN)),
        serde_json::json!({"access": "admin"})
    );
    assert_eq!(
        server.expect(200, "/api/whoami", Some(ALICE)),
        serde_json::json!({"access": "user", "user": "alice"})
    );
    assert!(
        server
            .error(401, "/api/whoami", None)
            .starts_with("missing token")
    );
    assert_eq!(
        server.error(401, "/api/audit/verify", Some("wrong")),
        "invalid token"
    );
    let refused = server.error(403, "/api/audit/verify", Some(ALICE));
    assert!(refused.contains("admin token"), "{refused}");
    assert_eq!(
        server.error(400, "/api/whoami?user=bob", Some(ALICE)),
        r#"query: unknown parameter "user"; this route takes none"#
    );
    assert_eq!(
        server.error(400, "/api/audit/verify?user=all", Some(ADMIN)),
        r#"query: unknown parameter "user"; this route takes none"#
    );

    let report: Value = server.expect(200, "/api/audit/verify", Some(ADMIN));
    let cli_says = cli.run(&["verify"]).success();
    assert_eq!(report["ok"], true);
    assert_eq!(report["problem"], Value::Null);
    assert_eq!(report["lines"][0], cli_says.stdout.lines().next().unwrap());
    assert_eq!(report["entries"], 9);

    // A changed entry: verify names the file and line, in the CLI's words.
    let day = cli
        .dir()
        .join("bob")
        .join("tool_audit")
        .join("2025-10-22.jsonl");
    let text = std::fs::read_to_string(&day).unwrap();
    std::fs::write(&day, text.replace("\"error\"", "\"ok\"")).unwrap();
    let report: Value = server.expect(200, "/api/audit/verify", Some(ADMIN));
    assert_eq!(report["ok"], false);
    assert_eq!(report["problem"]["file"], "bob/tool_audit/2025-10-22.jsonl");
    assert_eq!(report["problem"]["line"], 1);
    let failed = cli.run(&["verify"]);
    assert!(
        failed.stderr.contains(report["lines"][0].as_str().unwrap()),
        "{}: {report}",
        failed.stderr
    );
}
