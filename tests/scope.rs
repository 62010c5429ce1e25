//! Nobody reads past their scope: `recent` cursors opened, edited and
//! re-sealed as a client could (another user, added positions, another log's
//! positions, offsets inside lines) or carried over from another query are
//! refused naming `cursor` — HTTP 400 with a user's token, CLI exit 2 — and
//! nothing of another user's log leaks; the user name `all` means every user
//! and is nobody's.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use crate::http::{ADMIN, ALICE, BOB, NOW, Server, percent_encode};
use crate::support::{Cli, Run};

/// In every entry of bob's and in the skill log, never in alice's.
const MARK: &str = "7f3a-private";

/// alice's and bob's calls over two days, carol's one, and two skill runs.
fn seed(cli: &Cli) {
    let calls = [
        ("2025-10-22T08:00:00Z", "alice", "read", "ok"),
        ("2025-10-22T09:00:00Z", "bob", "shell", "error"),
        ("2025-10-22T10:00:00Z", "alice", "read", "error"),
        ("2025-10-23T08:00:00Z", "bob", "shell", "ok"),
        ("2025-10-23T09:00:00Z", "alice", "write", "ok"),
        ("2025-10-23T10:00:00Z", "bob", "read", "ok"),
        ("2025-10-23T11:00:00Z", "alice", "read", "ok"),
        ("2025-10-23T12:00:00Z", "carol", "read", "ok"),
    ];
    for (now, user, tool, status) in calls {
        let args = if user == "alice" {
            json!({"path": "alice.txt"})
        } else {
            json!({"path": format!("{user}-{MARK}.txt")})
        };
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
                &args.to_string(),
            ],
        )
        .success();
    }
    for now in ["2025-10-22T12:00:00Z", "2025-10-23T13:00:00Z"] {
        cli.run_at(now, &["record", &format!("skill.{MARK}"), "success", "5"])
            .success();
    }
}

fn open(cursor: &str) -> Value {
    let bytes = URL_SAFE_NO_PAD
        .decode(cursor)
        .expect("a cursor is base64url");
    serde_json::from_slice(&bytes).expect("a cursor is JSON inside")
}

fn seal(cursor: &Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(cursor).unwrap())
}

/// The `next_cursor` of `GET /api/audit/recent?QUERY` with `token`.
fn http_cursor(server: &Server, query: &str, token: &str) -> String {
    let page = server.expect(200, &format!("/api/audit/recent?{query}"), Some(token));
    page["next_cursor"]
        .as_str()
        .unwrap_or_else(|| panic!("{query} has a next page: {page}"))
        .to_owned()
}

/// The cursor `auditlog recent ARGS` points to on stderr.
fn cli_cursor(cli: &Cli, args: &[&str]) -> String {
    let mut all = vec!["recent"];
    all.extend_from_slice(args);
    let run = cli.run_at(NOW, &all).success();
    run.stderr
        .split("--cursor ")
        .nth(1)
        .unwrap_or_else(|| panic!("a next page: {run:?}"))
        .trim()
        .to_owned()
}

/// Ways a client could edit alice's cursor (of `user=alice&limit=1`) to read
/// past it, each with a name.
fn tampered(alice: &Value) -> Vec<(&'static str, Value)> {
    let position = alice["at"][0].clone();
    let mut cases = Vec::new();
    let mut edit = |name, change: &dyn Fn(&mut Value)| {
        let mut cursor = alice.clone();
        change(&mut cursor);
        cases.push((name, cursor));
    };
    edit("the user edited to bob", &|c| {
        c["at"][0]["user"] = "bob".into()
    });
    edit("the user and the query edited to bob", &|c| {
        c["at"][0]["user"] = "bob".into();
        c["query"]["source"] = "user:bob".into();
    });
    edit("a position of bob's added", &|c| {
        let mut bob = position.clone();
        bob["user"] = "bob".into();
        c["at"].as_array_mut().unwrap().push(bob);
    });
    edit("alice's position twice", &|c| {
        c["at"].as_array_mut().unwrap().push(position.clone());
    });
    edit("a skill-log position instead", &|c| {
        c["at"] = json!([{"log": "skills", "generation": 0, "end": 60}]);
    });
    edit("a skill-log position added", &|c| {
        let skills = json!({"log": "skills", "generation": 0, "end": 60});
        c["at"].as_array_mut().unwrap().push(skills);
    });
    edit("a user outside the log directory", &|c| {
        c["at"][0]["user"] = "../alice".into();
    });
    edit("the offset moved inside a line", &|c| {
        let end = c["at"][0]["end"].as_u64().unwrap();
        c["at"][0]["end"] = (end - 20).into();
    });
    edit("the offset moved past the file", &|c| {
        c["at"][0]["end"] = 1_000_000.into();
    });
    edit("a segment that does not exist", &|c| {
        c["at"][0]["segment"] = 3.into();
    });
    edit("a day outside the window", &|c| {
        c["at"][0]["day"] = "2024-01-01".into();
    });
    edit("the window widened to every day", &|c| {
        c["query"]["since"] = "1970-01-01".into();
    });
    edit("an extra field", &|c| c["user"] = "bob".into());
    cases
}

/// Asserts an HTTP answer refused the cursor and holds nothing of bob's.
#[track_caller]
fn refused_cursor_http(server: &Server, path: &str, token: &str, case: &str) {
    let answer = server.get(path, Some(token));
    let text = answer.body.to_string();
    assert_eq!(answer.status, 400, "{case}: {answer:?}");
    assert!(
        answer.body["error"]
            .as_str()
            .is_some_and(|e| e.starts_with("cursor: ")),
        "{case}: {answer:?}"
    );
    assert!(!text.contains(MARK), "{case}: leaks {text}");
    assert_eq!(answer.body.get("entries"), None, "{case}: {answer:?}");
}

/// Asserts a CLI run refused the cursor and printed nothing of bob's.
#[track_caller]
fn refused_cursor_cli(run: Run, case: &str) {
    assert!(
        !run.stdout.contains(MARK) && !run.stderr.contains(MARK),
        "{case}: leaks {run:?}"
    );
    assert!(run.stdout.is_empty(), "{case}: {run:?}");
    let run = run.refused("cursor");
    assert!(
        run.stderr.starts_with("auditlog: cursor: "),
        "{case}: {run:?}"
    );
}

#[test]
fn an_edited_cursor_reads_nothing_of_another_user_over_http() {
    let cli = Cli::new();
    seed(&cli);
    let before = cli.snapshot();
    let server = Server::start(&cli);
    let query = "user=alice&limit=1";
    let cursor = http_cursor(&server, query, ALICE);
    // The untouched cursor pages on through alice's entries only.
    let rest = server.expect(
        200,
        &format!(
            "/api/audit/recent?user=alice&limit=10&cursor={}",
            percent_encode(&cursor)
        ),
        Some(ALICE),
    );
    let users: Vec<&str> = rest["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["user"].as_str().unwrap())
        .collect();
    assert_eq!(users, ["alice", "alice", "alice"]);
    let alice = open(&cursor);
    for (case, edited) in tampered(&alice) {
        let path = format!(
            "/api/audit/recent?{query}&cursor={}",
            percent_encode(&seal(&edited))
        );
        refused_cursor_http(&server, &path, ALICE, case);
    }
    assert_eq!(cli.snapshot(), before, "reads never write");
}

#[test]
fn the_untouched_cursor_still_pages_through_its_own_log() {
    let cli = Cli::new();
    seed(&cli);
    let server = Server::start(&cli);
    let mut path = "/api/audit/recent?user=alice&limit=1".to_owned();
    let mut tools = Vec::new();
    for _ in 0..10 {
        let page = server.expect(200, &path, Some(ALICE));
        let text = page.to_string();
        assert!(!text.contains(MARK), "{text}");
        tools.extend(page["entries"].as_array().unwrap().iter().map(|e| {
            assert_eq!(e["user"], "alice");
            e["tool"].as_str().unwrap().to_owned()
        }));
        let Some(next) = page["next_cursor"].as_str() else {
            break;
        };
        path = format!(
            "/api/audit/recent?user=alice&limit=1&cursor={}",
            percent_encode(next)
        );
    }
    assert_eq!(tools, ["read", "write", "read", "read"]);
}

#[test]
fn a_cursor_from_another_query_is_refused_over_http() {
    let cli = Cli::new();
    seed(&cli);
    let server = Server::start(&cli);
    let bobs = http_cursor(&server, "user=bob&limit=1", BOB);
    let alices = http_cursor(&server, "user=alice&limit=1", ALICE);
    let ok = http_cursor(&server, "user=alice&status=ok&limit=1", ALICE);
    let week = http_cursor(&server, "user=alice&days=7&limit=1", ALICE);
    let all = http_cursor(&server, "user=all&limit=1", ADMIN);
    let skills = http_cursor(&server, "skills=true&limit=1", ADMIN);
    let cases = [
        ("bob's cursor on alice's query", "user=alice&limit=1", &bobs),
        ("every user's cursor on alice's query", "user=alice", &all),
        (
            "the skill log's cursor on alice's query",
            "user=alice",
            &skills,
        ),
        (
            "status=ok's cursor with status=error",
            "user=alice&status=error",
            &ok,
        ),
        ("status=ok's cursor without status", "user=alice", &ok),
        ("days=7's cursor with days=30", "user=alice&days=30", &week),
        (
            "days=7's cursor with a since",
            "user=alice&days=7&since=2025-01-01",
            &week,
        ),
        ("a tool filter added", "user=alice&tool=read", &alices),
    ];
    for (case, query, cursor) in cases {
        let path = format!(
            "/api/audit/recent?{query}&cursor={}",
            percent_encode(cursor)
        );
        refused_cursor_http(&server, &path, ALICE, case);
        let message = server.error(400, &path, Some(ALICE));
        assert!(message.contains("another query"), "{case}: {message}");
    }
    // An admin's all-users cursor edited to a user that has no log, or twice
    // the same user, is refused too.
    let mut every = open(&all);
    every["at"][0]["user"] = "mallory".into();
    let path = format!(
        "/api/audit/recent?user=all&cursor={}",
        percent_encode(&seal(&every))
    );
    assert!(
        server
            .error(400, &path, Some(ADMIN))
            .starts_with("cursor: ")
    );
    // bob's own cursor used by alice on bob's log is still 403: the token decides first.
    let path = format!(
        "/api/audit/recent?user=bob&limit=1&cursor={}",
        percent_encode(&bobs)
    );
    server.error(403, &path, Some(ALICE));
}

#[test]
fn an_edited_cursor_reads_nothing_of_another_user_on_the_cli() {
    let cli = Cli::new();
    seed(&cli);
    let before = cli.snapshot();
    let cursor = cli_cursor(&cli, &["--user", "alice", "--limit", "1"]);
    let alice = open(&cursor);
    for (case, edited) in tampered(&alice) {
        let sealed = seal(&edited);
        let run = cli.run_at(
            NOW,
            &[
                "recent", "--user", "alice", "--limit", "1", "--cursor", &sealed,
            ],
        );
        refused_cursor_cli(run, case);
    }
    let bobs = cli_cursor(&cli, &["--user", "bob", "--limit", "1"]);
    let ok = cli_cursor(&cli, &["--user", "alice", "--status", "ok", "--limit", "1"]);
    let other_queries: [(&str, &[&str], &str); 3] = [
        ("bob's cursor on alice's query", &["--user", "alice"], &bobs),
        (
            "status=ok's cursor with status=error",
            &["--user", "alice", "--status", "error"],
            &ok,
        ),
        ("alice's cursor on every user", &["--all-users"], &cursor),
    ];
    for (case, args, cursor) in other_queries {
        let mut argv = vec!["recent"];
        argv.extend_from_slice(args);
        argv.extend(["--cursor", cursor]);
        refused_cursor_cli(cli.run_at(NOW, &argv), case);
    }
    assert_eq!(cli.snapshot(), before, "reads never write");
}

#[test]
fn all_means_every_user_and_no_user_is_named_all() {
    let cli = Cli::new();
    seed(&cli);
    let before = cli.snapshot();
    // Recording as `all` is refused, saying what to use instead.
    let refused = cli
        .run_at(
            NOW,
            &[
                "tool", "--user", "all", "--tool", "t", "--status", "ok", "--args", "{}",
            ],
        )
        .refused("user");
    assert!(refused.stderr.contains("--all-users"), "{refused:?}");
    cli.run_at(NOW, &["recent", "--user", "all"])
        .refused("user");
    cli.run_at(NOW, &["stats", "--user", "all"]).refused("user");
    assert_eq!(cli.snapshot(), before, "a refused call writes nothing");

    // A directory named `all` made by hand is no user's log: neither
    // --all-users nor user=all reads it.
    let hand_made = cli.dir().join("all/tool_audit");
    std::fs::create_dir_all(&hand_made).unwrap();
    std::fs::copy(
        cli.dir().join("bob/tool_audit/2025-10-23.jsonl"),
        hand_made.join("2025-10-23.jsonl"),
    )
    .unwrap();
    let every = cli
        .run_at(NOW, &["recent", "--all-users", "--format", "json"])
        .success()
        .json();
    let users: Vec<&str> = every
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["user"].as_str().unwrap())
        .collect();
    assert_eq!(users.len(), 8, "{users:?}");
    let server = Server::start(&cli);
    let http = server.expect(200, "/api/audit/recent?user=all", Some(ADMIN));
    assert_eq!(http["entries"], every);
    let stats = server.expect(200, "/api/audit/stats?user=all", Some(ADMIN));
    assert_eq!(stats["total"], 8);
}
