//! Migrating from the seed scripts: a log directory that Betty's `audit_log.py`
//! and the orchestrator's `tool_audit.py` wrote, read, appended to, verified,
//! adopted and written to again by the old scripts during the switch.
//!
//! The fixtures are generated here, deterministically, and serialised by
//! `python3` with the seeds' own calls (`json.dump(entries, f, indent=2)`,
//! `json.dumps(entry)` a line), so their bytes are Python's: 2-space indent,
//! `": "`, non-ASCII escaped as `\uXXXX`, an integer beyond 64 bits as
//! written. The expected answers are computed from the fixture data.

use std::path::Path;
use std::process::{Command, Stdio};

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, SecondsFormat, TimeZone, Utc};
use serde_json::{Value, json};

use crate::support::{Cli, Run, jq};

/// The test's clock: every skill-log entry is more than 7 days older.
const NOW: &str = "2025-11-20T12:00:00Z";
const TODAY: &str = "2025-11-20";
/// The integer beyond 64 bits one legacy entry's metadata holds.
const BIG: &str = "123456789012345678901234567890";
const SKILLS: [&str; 5] = [
    "workflow.compose",
    "workflow.validate",
    "api.validate",
    "registry.update",
    "agent.plan",
];
/// Where the 6 entries of another schema sit among the 76.
const FOREIGN_AT: [usize; 6] = [9, 21, 34, 46, 58, 70];
const LEGACY_ENTRIES: usize = 76;

/// The seeds' behaviour, in Python: writing the fixtures as the seeds
/// serialise them, `read_recent`, and the old writers' appends.
const SEED_PY: &str = r#"
import json, sys
from datetime import date, timedelta
from pathlib import Path

_ARG_MAX = 500
_SNIPPET_MAX = 300

def truncate_args(args):
    out = {}
    for k, v in args.items():
        if isinstance(v, str) and len(v) > _ARG_MAX:
            out[k] = v[:_ARG_MAX] + f" …[{len(v)} chars total]"
        else:
            out[k] = v
    return out

def tool_entry(user, call):
    result = call.get("result", "")
    return {
        "ts": call["ts"],
        "user": user,
        "tool": call["tool"],
        "args": truncate_args(call.get("args", {})),
        "status": call["status"],
        "result_chars": len(result),
        "result_snippet": result[:_SNIPPET_MAX],
    }

def append_tool_calls(root, user, day, calls):
    audit_dir = Path(root) / user / "tool_audit"
    audit_dir.mkdir(parents=True, exist_ok=True)
    with (audit_dir / f"{day}.jsonl").open("a", encoding="utf-8") as f:
        for call in calls:
            f.write(json.dumps(tool_entry(user, call)) + "\n")

def read_recent(root, user, today, days=7, limit=200):
    entries = []
    for offset in range(days):
        day = today - timedelta(days=offset)
        path = Path(root) / user / "tool_audit" / f"{day.isoformat()}.jsonl"
        if not path.exists():
            continue
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except Exception:
            continue
        day_entries = []
        for line in lines:
            line = line.strip()
            if not line:
                continue
            try:
                day_entries.append(json.loads(line))
            except json.JSONDecodeError:
                pass
        entries.extend(reversed(day_entries))
        if len(entries) >= limit:
            break
    return entries[:limit]

command, args, payload = sys.argv[1], sys.argv[2:], sys.stdin.read()
if command == "write-skill-log":
    with open(args[0], "w") as f:
        json.dump(json.loads(payload), f, indent=2)
elif command == "append-skill-entry":
    with open(args[0]) as f:
        entries = json.load(f)
    entries.append(json.loads(payload))
    entries = entries[-10000:]
    with open(args[0], "w") as f:
        json.dump(entries, f, indent=2)
elif command == "append-tool-calls":
    for day_file in json.loads(payload):
        append_tool_calls(args[0], day_file["user"], day_file["day"], day_file["calls"])
elif command == "read-recent":
    print(json.dumps(read_recent(args[0], args[1], date.fromisoformat(args[2]))))
else:
    sys.exit(f"unknown command {command}")
"#;

/// Runs the seed port with `args`, `payload` on its standard input.
#[track_caller]
fn seed_py(cli: &Cli, args: &[&str], payload: &str) -> String {
    let script = cli.outside().join("seed.py");
    std::fs::write(&script, SEED_PY).unwrap();
    let mut child = Command::new("python3")
        .arg(&script)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("python3 must be installed to write the seeds' files (CI has it): {e}")
        });
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), payload.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "python3 seed.py {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Fails with a clear message when `jq` is missing: the seed's one-liners
/// are part of what this module proves, so it is never skipped.
fn require_jq() {
    let found = Command::new("jq").arg("--version").output();
    assert!(
        found.is_ok_and(|o| o.status.success()),
        "jq is required by the migration tests (the seed's one-liners); install it (`apt-get install jq`, as .ci/run does)"
    );
}

/// One skill run of the fixture, as the expectations need it.
#[derive(Debug, Clone)]
struct SkillRun {
    skill: &'static str,
    status: &'static str,
    duration_ms: Option<u64>,
}

/// One entry of the Betty-shaped skill log.
#[derive(Debug, Clone)]
struct LegacyEntry {
    /// As written, in one of three styles.
    timestamp: String,
    /// The instant it names.
    time: DateTime<Utc>,
    /// `None` for an entry of another schema.
    run: Option<SkillRun>,
    /// The entry as JSON text for Python to load: its key order, the big
    /// integer as digits.
    json: String,
}

/// The skill log's 76 entries: 70 runs of five skills (20 not `success`,
/// some without a duration, some with `errors` or `metadata`) and 6
/// entries of another tool's schema, 9 hours and some minutes apart from
/// 2025-10-01, in the timestamp styles older writers left in turn:
/// `+00:00` with microseconds, `Z` with milliseconds, `Z` alone.
fn legacy_entries() -> Vec<LegacyEntry> {
    let start = Utc.with_ymd_and_hms(2025, 10, 1, 6, 0, 0).unwrap();
    let mut run_index = 0usize;
    (0..LEGACY_ENTRIES)
        .map(|i| {
            let n = i as i64;
            let whole = start + Duration::minutes(n * (9 * 60 + 7)) + Duration::seconds(n);
            let (time, timestamp) = match i % 3 {
                0 => {
                    let t = whole + Duration::microseconds(1013 * n + 7);
                    (t, t.format("%Y-%m-%dT%H:%M:%S%.6f+00:00").to_string())
                }
                1 => {
                    let t = whole + Duration::milliseconds(37 * n % 1000);
                    (t, t.to_rfc3339_opts(SecondsFormat::Millis, true))
                }
                _ => (whole, whole.to_rfc3339_opts(SecondsFormat::Secs, true)),
            };
            let stamp = serde_json::to_string(&timestamp).unwrap();
            if FOREIGN_AT.contains(&i) {
                let json = format!(
                    r#"{{"audit_id": "aud-{i:04}", "agent": "registry-sync", "action": "registry.publish", "target": "skills/{}", "timestamp": {stamp}, "details": {{"version": "1.{i}.0", "reviewer": "Zoë Ångström", "approved": {}}}}}"#,
                    SKILLS[i % 5],
                    i % 2 == 0
                );
                return LegacyEntry {
                    timestamp,
                    time,
                    run: None,
                    json,
                };
            }
            let k = run_index;
            run_index += 1;
            let skill = SKILLS[k % 5];
            let status = match k % 7 {
                3 => "failed",
                5 => "timeout",
                _ => "success",
            };
            let duration_ms = (k % 13 != 6).then_some(100 + (k as u64 * 379) % 9000);
            let mut json = format!(r#"{{"timestamp": {stamp}, "skill": "{skill}", "status": "{status}""#);
            if let Some(ms) = duration_ms {
                json += &format!(r#", "duration_ms": {ms}"#);
            }
            match status {
                "failed" => json += &format!(r#", "errors": ["Step {} failed", "Timeout occurred"]"#, k % 4 + 1),
                "timeout" => json += r#", "errors": ["no answer within 30 s"]"#,
                _ if k.is_multiple_of(10) => json += r#", "errors": []"#,
                _ => {}
            }
            if k == 17 {
                json += &format!(
                    r#", "metadata": {{"request_id": {BIG}, "ratio": 0.125, "scale": 1e-07, "note": "café ☕", "nested": {{"steps": [1, 2, 3]}}}}"#
                );
            } else if k % 4 == 1 {
                json += &format!(
                    r#", "metadata": {{"workflow": "flow-{k}.yaml", "steps_completed": {}}}"#,
                    k % 6
                );
            }
            json += "}";
            LegacyEntry {
                timestamp,
                time,
                run: Some(SkillRun {
                    skill,
                    status,
                    duration_ms,
                }),
                json,
            }
        })
        .collect()
}

/// One seed-written day file: `(user, day, [(time of day, tool, status)])`.
type DayFile = (
    &'static str,
    &'static str,
    Vec<(&'static str, &'static str, &'static str)>,
);

/// Tool logs of two users over several days, some outside the seed's 7-day
/// window (today and the six days before [`TODAY`]); `alice` already has
/// calls today, so our first append goes on in her file.
fn tool_day_files() -> Vec<DayFile> {
    vec![
        (
            "alice",
            "2025-11-12",
            vec![
                ("09:00:01", "shell", "ok"),
                ("17:30:00", "file_read", "error"),
            ],
        ),
        (
            "alice",
            "2025-11-15",
            vec![
                ("08:10:00", "file_read", "ok"),
                ("08:11:30", "web_fetch", "denied"),
                ("22:59:59", "shell", "ok"),
            ],
        ),
        (
            "alice",
            "2025-11-17",
            vec![
                ("00:00:00", "shell", "ok"),
                ("10:20:30", "file_read", "ok"),
                ("10:20:31", "file_write", "error"),
                ("23:59:59", "shell", "ok"),
            ],
        ),
        (
            "alice",
            TODAY,
            vec![
                ("07:00:00", "file_read", "ok"),
                ("08:30:15", "web_fetch", "error"),
            ],
        ),
        ("bob", "2025-11-13", vec![("12:00:00", "shell", "ok")]),
        (
            "bob",
            "2025-11-14",
            vec![
                ("00:00:01", "file_read", "ok"),
                ("06:45:00", "shell", "error"),
                ("19:00:00", "file_read", "ok"),
            ],
        ),
        (
            "bob",
            "2025-11-18",
            vec![("11:11:11", "web_fetch", "ok"), ("11:12:00", "shell", "ok")],
        ),
    ]
}

/// The calls of [`tool_day_files`] as the seed port takes them: naive local
/// `ts` to the second; arguments with a path, a number, one string past
/// 500 characters (the seed cuts it) and non-ASCII results.
fn tool_payload() -> Value {
    let files: Vec<Value> = tool_day_files()
        .into_iter()
        .enumerate()
        .map(|(f, (user, day, calls))| {
            let calls: Vec<Value> = calls
                .into_iter()
                .enumerate()
                .map(|(c, (time, tool, status))| {
                    let mut args =
                        json!({"path": format!("/home/{user}/notes-{f}-{c}.md"), "n": c});
                    if f == 2 && c == 1 {
                        args["content"] = Value::from("x".repeat(620));
                    }
                    json!({
                        "ts": format!("{day}T{time}"),
                        "tool": tool,
                        "args": args,
                        "status": status,
                        "result": format!("résumé {f}-{c}: {}", "ok ".repeat(c * 60)),
                    })
                })
                .collect();
            json!({"user": user, "day": day, "calls": calls})
        })
        .collect();
    Value::Array(files)
}

/// A log directory as the seeds left it: `audit_log.json` and the tool logs.
fn seeded() -> (Cli, Vec<LegacyEntry>) {
    require_jq();
    let cli = Cli::new();
    std::fs::create_dir_all(cli.dir()).unwrap();
    let entries = legacy_entries();
    let array = format!(
        "[{}]",
        entries
            .iter()
            .map(|e| e.json.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let log = cli.dir().join("audit_log.json");
    seed_py(&cli, &["write-skill-log", log.to_str().unwrap()], &array);
    let root = cli.dir();
    seed_py(
        &cli,
        &["append-tool-calls", root.to_str().unwrap()],
        &tool_payload().to_string(),
    );
    (cli, entries)
}

/// The top-level items of a JSON array's text, each with the whitespace
/// outside strings removed (so the big integer and escapes stay as written).
fn minified_items(text: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut item = String::new();
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for c in text.chars() {
        if in_string {
            item.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            ' ' | '\t' | '\n' | '\r' => {}
            '"' => {
                in_string = true;
                item.push(c);
            }
            '[' | '{' => {
                depth += 1;
                if depth > 1 {
                    item.push(c);
                }
            }
            ']' | '}' => {
                depth -= 1;
                if depth >= 1 {
                    item.push(c);
                } else if !item.is_empty() {
                    items.push(std::mem::take(&mut item));
                }
            }
            ',' if depth == 1 => items.push(std::mem::take(&mut item)),
            _ => item.push(c),
        }
    }
    items
}

/// The text of each entry line of the skill log, without indent and comma.
fn entry_lines(log: &Path) -> Vec<String> {
    std::fs::read_to_string(log)
        .unwrap()
        .lines()
        .map(str::trim)
        .filter(|line| line.starts_with('{'))
        .map(|line| line.strip_suffix(',').unwrap_or(line).to_owned())
        .collect()
}

/// `recent ARGS…` at `now`, parsed.
#[track_caller]
fn recent(cli: &Cli, now: &str, args: &[&str]) -> Vec<Value> {
    let run = cli.run_at(now, &[&["recent"], args].concat()).success();
    run.json()
        .as_array()
        .expect("recent prints an array")
        .clone()
}

/// Standard output and error together, for lines whose wording is another part's.
fn said(run: &Run) -> String {
    format!("{}{}", run.stdout, run.stderr)
}

/// Asserts some line of `text` mentions every one of `words`.
#[track_caller]
fn a_line_with(text: &str, words: &[&str]) {
    assert!(
        text.lines()
            .any(|line| words.iter().all(|w| line.contains(w))),
        "expected a line mentioning {words:?}:\n{text}"
    );
}

/// The seed's `read_recent(user)` on the directory, with [`TODAY`] as today.
fn seed_read_recent(cli: &Cli, user: &str) -> Vec<Value> {
    let text = seed_py(
        cli,
        &["read-recent", cli.dir().to_str().unwrap(), user, TODAY],
        "",
    );
    serde_json::from_str(&text).unwrap()
}

/// The tool calls of `user` the seed's 7-day window holds: `(status)` each.
fn calls_in_window(user: &str) -> Vec<&'static str> {
    let today = NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap();
    tool_day_files()
        .into_iter()
        .filter(|(u, day, _)| {
            let day = NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
            *u == user && (today - day).num_days() < 7
        })
        .flat_map(|(_, _, calls)| calls.into_iter().map(|(_, _, status)| status))
        .collect()
}

/// How many seed-written calls `user` has in all.
fn calls_of(user: &str) -> usize {
    tool_day_files()
        .iter()
        .filter(|(u, _, _)| *u == user)
        .map(|(_, _, calls)| calls.len())
        .sum()
}

#[test]
fn reads_change_no_byte_and_answer_as_the_seed_does() {
    let (cli, entries) = seeded();
    let before = cli.snapshot();
    let mut refused = Vec::new();
    for args in [
        &["recent", "--skills", "--limit", "200"][..],
        &["recent", "--skills", "--format", "table"],
        &["recent", "--skills", "--format", "csv"],
        &["recent", "--user", "alice"],
        &["recent", "--user", "bob", "--format", "table"],
        &["recent", "--all-users", "--format", "csv"],
        &["stats", "--skills"],
        &["stats", "--user", "alice"],
        &["verify"],
    ] {
        let run = cli.run_at(NOW, args);
        assert!(
            cli.snapshot() == before,
            "{args:?} changed a byte or created a file"
        );
        if run.code != 0 {
            refused.push((args, run));
        }
    }

    for user in ["alice", "bob"] {
        assert_eq!(
            recent(&cli, NOW, &["--user", user]),
            seed_read_recent(&cli, user),
            "recent --user {user} is the seed's read_recent"
        );
    }

    // Every entry of the skill log, however old, newest first, as written.
    let run = cli
        .run_at(NOW, &["recent", "--skills", "--limit", "200"])
        .success();
    let got = run.json().as_array().unwrap().clone();
    let text = std::fs::read_to_string(cli.dir().join("audit_log.json")).unwrap();
    let mut fixture: Vec<Value> = serde_json::from_str(&text).unwrap();
    fixture.reverse();
    assert_eq!(got.len(), LEGACY_ENTRIES);
    assert_eq!(got, fixture);
    let newest_first: Vec<String> = entries.iter().rev().map(|e| e.timestamp.clone()).collect();
    let stamps: Vec<&str> = got
        .iter()
        .map(|e| e["timestamp"].as_str().unwrap())
        .collect();
    assert_eq!(stamps, newest_first, "timestamps as written, in time order");
    assert!(
        run.stdout.contains(BIG),
        "the integer beyond 64 bits is returned digit for digit"
    );

    // The table and CSV show the foreign entries by their own fields.
    let csv = cli
        .run_at(NOW, &["recent", "--skills", "--format", "csv"])
        .success()
        .stdout;
    assert_eq!(
        csv.lines().count(),
        1 + LEGACY_ENTRIES,
        "a header, a line an entry"
    );
    let table = cli
        .run_at(NOW, &["recent", "--skills", "--format", "table"])
        .success()
        .stdout;
    for at in FOREIGN_AT {
        let id = format!("aud-{at:04}");
        a_line_with(&csv, &[&id, "registry.publish"]);
        a_line_with(&table, &[&id]);
    }

    assert!(refused.is_empty(), "every read answers: {refused:?}");
}

#[test]
fn stats_count_skill_runs_and_the_foreign_entries_apart() {
    let (cli, entries) = seeded();
    let stats = cli.run_at(NOW, &["stats", "--skills"]).success().json();
    let runs: Vec<&SkillRun> = entries.iter().filter_map(|e| e.run.as_ref()).collect();
    let errors = runs.iter().filter(|r| r.status != "success").count();
    assert_eq!((runs.len(), errors), (70, 20), "the fixture as designed");
    assert_eq!(stats["total"], 70, "{stats}");
    assert_eq!(stats["errors"], 20, "{stats}");
    assert_eq!(stats["error_rate"].as_f64(), Some(20.0 / 70.0), "{stats}");
    assert_eq!(stats["other"], 6, "entries of another schema: {stats}");
    for status in ["success", "failed", "timeout"] {
        let count = runs.iter().filter(|r| r.status == status).count();
        assert_eq!(stats["by_status"][status], count, "{status}: {stats}");
    }
    assert_eq!(stats["by_status"].as_object().unwrap().len(), 3, "{stats}");
    let names: Vec<&str> = stats["by_name"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut skills = SKILLS.to_vec();
    skills.sort_unstable();
    assert_eq!(names, skills, "foreign entries have no name: {stats}");
    for skill in SKILLS {
        let of: Vec<&&SkillRun> = runs.iter().filter(|r| r.skill == skill).collect();
        let mut ms: Vec<u64> = of.iter().filter_map(|r| r.duration_ms).collect();
        ms.sort_unstable();
        let rank = |p: usize| ms[(p * ms.len()).div_ceil(100) - 1];
        let named = &stats["by_name"][skill];
        assert_eq!(named["count"], of.len(), "{skill}: {named}");
        assert_eq!(
            named["errors"],
            of.iter().filter(|r| r.status != "success").count(),
            "{skill}: {named}"
        );
        let mean = ms.iter().sum::<u64>() as f64 / ms.len() as f64;
        assert!(
            (named["avg_ms"].as_f64().unwrap() - mean).abs() < 1e-9,
            "{skill}: {named}, mean {mean}"
        );
        assert_eq!(named["p50_ms"], rank(50), "{skill}: {named}");
        assert_eq!(named["p95_ms"], rank(95), "{skill}: {named}");
        assert_eq!(named["max_ms"], *ms.last().unwrap(), "{skill}: {named}");
    }

    for user in ["alice", "bob"] {
        let stats = cli.run_at(NOW, &["stats", "--user", user]).success().json();
        let statuses = calls_in_window(user);
        let errors = statuses.iter().filter(|s| **s != "ok").count();
        assert_eq!(stats["total"], statuses.len(), "{user}: {stats}");
        assert_eq!(stats["errors"], errors, "{user}: {stats}");
    }
}

#[test]
fn verify_passes_and_counts_the_legacy_entries_of_every_log() {
    let (cli, _) = seeded();
    let run = cli.run_at(NOW, &["verify"]);
    assert_eq!(run.code, 0, "{run:?}");
    let output = said(&run);
    a_line_with(&output, &["audit_log.json", "76", "legacy"]);
    for user in ["alice", "bob"] {
        a_line_with(&output, &[user, &calls_of(user).to_string(), "legacy"]);
    }
}

/// [`seeded`], then our writers' first entries: three skill runs and a tool
/// call each for `alice` (into her seed-written file of today) and `bob`.
fn migrated() -> (Cli, Vec<LegacyEntry>) {
    let (cli, entries) = seeded();
    append_ours(&cli);
    (cli, entries)
}

/// Our writers' first entries (see [`migrated`]).
fn append_ours(cli: &Cli) {
    for (now, args) in [
        (
            "2025-11-20T11:40:00Z",
            &["workflow.compose", "success", "1234"][..],
        ),
        (
            "2025-11-20T11:50:00Z",
            &["api.validate", "failed", "80", r#"["schema mismatch"]"#],
        ),
        (
            "2025-11-20T12:00:00Z",
            &[
                "workflow.compose",
                "timeout",
                "30000",
                "[]",
                r#"{"workflow": "nightly.yaml"}"#,
            ],
        ),
    ] {
        cli.run_at(now, &[&["record"], args].concat()).success();
    }
    for user in ["alice", "bob"] {
        cli.run_at(
            "2025-11-20T12:00:00Z",
            &[
                "tool",
                "--user",
                user,
                "--tool",
                "file_read",
                "--status",
                "ok",
                "--args",
                r#"{"path": "/etc/hosts"}"#,
                "--result",
                "127.0.0.1 localhost",
            ],
        )
        .success();
    }
}

#[test]
fn appends_keep_every_legacy_entry_and_the_seeds_jq_one_liners_stay_right() {
    let (cli, entries) = seeded();
    let seeded_files = cli.snapshot_logs();
    let fixture_text = std::fs::read_to_string(cli.dir().join("audit_log.json")).unwrap();
    let fixture_items = minified_items(&fixture_text);
    assert_eq!(fixture_items.len(), LEGACY_ENTRIES);
    assert!(fixture_text.contains(BIG) && fixture_text.contains(r#""note": "caf\u00e9 \u2615""#));
    append_ours(&cli);

    // The skill log: one entry a line, each legacy entry's own text.
    let log = cli.dir().join("audit_log.json");
    let lines = entry_lines(&log);
    assert_eq!(lines.len(), LEGACY_ENTRIES + 3);
    for (i, (line, item)) in lines.iter().zip(&fixture_items).enumerate() {
        assert_eq!(line, item, "legacy entry {i} kept exactly");
    }
    let ours: Vec<Value> = lines[LEGACY_ENTRIES..]
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        ours.iter().map(|e| e["seq"].clone()).collect::<Vec<_>>(),
        [1, 2, 3],
        "new entries are sealed from seq 1"
    );
    assert!(
        ours.iter()
            .all(|e| e["hash"].as_str().is_some_and(|h| h.len() == 64))
    );

    // The tool logs: seed-written bytes untouched, ours sealed after them.
    for (path, bytes) in &seeded_files {
        if path.ends_with("audit_log.json") {
            continue;
        }
        let now = std::fs::read(path).unwrap();
        if path.ends_with(format!("alice/tool_audit/{TODAY}.jsonl")) {
            assert!(now.starts_with(bytes), "alice's seed lines of today kept");
            let added: Vec<Value> = String::from_utf8(now[bytes.len()..].to_vec())
                .unwrap()
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect();
            assert_eq!(added.len(), 1);
            assert_eq!(added[0]["seq"], 1, "{}", added[0]);
        } else {
            assert_eq!(&now, bytes, "{} kept", path.display());
        }
    }
    assert_eq!(cli.day_file("bob", TODAY)[0]["seq"], 1);

    let run = cli.run_at(NOW, &["verify"]);
    assert_eq!(run.code, 0, "{run:?}");
    a_line_with(&said(&run), &["audit_log.json", "76", "legacy"]);

    // The seed's four one-liners on the migrated file, against the fixture
    // plus our three runs (compose 1234 success, api.validate failed,
    // compose 30000 timeout).
    let runs: Vec<&SkillRun> = entries.iter().filter_map(|e| e.run.as_ref()).collect();
    assert_eq!(
        jq(&["length"], &log).trim(),
        (LEGACY_ENTRIES + 3).to_string()
    );

    let failed = jq(&["-c", r#".[] | select(.status == "failed")"#], &log);
    let failed_skills: Vec<String> = failed
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["skill"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    let mut expected: Vec<String> = runs
        .iter()
        .filter(|r| r.status == "failed")
        .map(|r| r.skill.to_owned())
        .collect();
    expected.push("api.validate".into());
    assert_eq!(failed_skills, expected);

    // `add / length`: entries without a duration count in the length.
    let compose: Vec<Option<u64>> = runs
        .iter()
        .filter(|r| r.skill == "workflow.compose")
        .map(|r| r.duration_ms)
        .chain([Some(1234), Some(30000)])
        .collect();
    assert!(
        compose.contains(&None),
        "the fixture has a run without a duration"
    );
    let average = compose.iter().flatten().sum::<u64>() as f64 / compose.len() as f64;
    let by_jq: f64 = jq(
        &[r#"[.[] | select(.skill == "workflow.compose") | .duration_ms] | add / length"#],
        &log,
    )
    .trim()
    .parse()
    .unwrap();
    assert!(
        (by_jq - average).abs() < 1e-6,
        "jq {by_jq}, expected {average}"
    );

    // "Entries from the last hour", with the cutoff taken 30 days before the
    // test's clock, so it falls among the legacy entries.
    let now: DateTime<Utc> = NOW.parse().unwrap();
    let cutoff = (now - Duration::days(30))
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string();
    let cutoff_time = NaiveDateTime::parse_from_str(&cutoff, "%Y-%m-%dT%H:%M:%S")
        .unwrap()
        .and_utc();
    let after = entries.iter().filter(|e| e.time > cutoff_time).count() + 3;
    assert!(
        after > 3 && after < LEGACY_ENTRIES,
        "the cutoff splits the fixture"
    );
    let by_jq = jq(
        &[
            "-c",
            "--arg",
            "cutoff",
            &cutoff,
            ".[] | select(.timestamp > $cutoff)",
        ],
        &log,
    );
    assert_eq!(by_jq.lines().count(), after, "after {cutoff}");
}

#[test]
fn after_adopt_an_edited_legacy_entry_is_caught() {
    let (cli, _) = migrated();
    let adopted = cli.run_at("2025-11-20T12:10:00Z", &["adopt", "--skills"]);
    assert_eq!(adopted.code, 0, "{adopted:?}");
    a_line_with(&said(&adopted), &["audit_log.json", "76", "legacy"]);
    let adopted = cli.run_at("2025-11-20T12:10:00Z", &["adopt", "--user", "alice"]);
    assert_eq!(adopted.code, 0, "{adopted:?}");

    let run = cli.run_at(NOW, &["verify"]);
    assert_eq!(run.code, 0, "{run:?}");
    a_line_with(&said(&run), &["audit_log.json", "76", "legacy", "adopted"]);

    // The attack: a legacy run's duration edited in place, the file still
    // valid JSON, one entry a line as before.
    let log = cli.dir().join("audit_log.json");
    let original = std::fs::read_to_string(&log).unwrap();
    let target = r#""skill":"workflow.validate","status":"success","duration_ms":479,"#;
    assert_eq!(original.matches(target).count(), 1, "the entry to edit");
    let edited = original.replace(
        target,
        r#""skill":"workflow.validate","status":"success","duration_ms":47,"#,
    );
    std::fs::write(&log, &edited).unwrap();
    serde_json::from_str::<Value>(&edited).expect("still valid JSON");
    let run = cli.run_at(NOW, &["verify"]);
    assert_eq!(run.code, 1, "an edited adopted entry fails verify: {run:?}");
    assert!(
        run.stderr.contains("audit_log.json"),
        "names the log: {run:?}"
    );
    std::fs::write(&log, &original).unwrap();
    cli.run_at(NOW, &["verify"]).success();

    // The same in a tool log: alice's legacy call of 2025-11-17, status
    // turned from error to ok.
    let day = cli.dir().join("alice/tool_audit/2025-11-17.jsonl");
    let original = std::fs::read_to_string(&day).unwrap();
    assert_eq!(original.matches(r#""status": "error""#).count(), 1);
    std::fs::write(
        &day,
        original.replace(r#""status": "error""#, r#""status": "ok""#),
    )
    .unwrap();
    let run = cli.run_at(NOW, &["verify"]);
    assert_eq!(
        run.code, 1,
        "an edited adopted tool call fails verify: {run:?}"
    );
    assert!(run.stderr.contains("alice"), "names the log: {run:?}");
    std::fs::write(&day, &original).unwrap();
    cli.run_at(NOW, &["verify"]).success();
}

#[test]
fn an_old_script_write_in_the_middle_is_named_and_the_chain_continues() {
    let (cli, _) = migrated();
    let log = cli.dir().join("audit_log.json");

    // audit_log.py runs once more: it loads the array, appends, keeps the
    // last 10,000 and rewrites the file pretty-printed.
    let old = r#"{"timestamp": "2025-11-20T12:20:00.123456+00:00", "skill": "workflow.validate", "status": "success", "duration_ms": 150}"#;
    seed_py(&cli, &["append-skill-entry", log.to_str().unwrap()], old);
    let record = cli
        .run_at(
            "2025-11-20T12:30:00Z",
            &["record", "workflow.compose", "success", "900"],
        )
        .success()
        .json();
    assert_eq!(record["details"]["total_entries"], LEGACY_ENTRIES + 5);
    let lines = entry_lines(&log);
    let last: Value = serde_json::from_str(lines.last().unwrap()).unwrap();
    assert_eq!(
        last["seq"], 4,
        "the chain goes on after our seq 3, not from 1"
    );
    assert_eq!(
        serde_json::from_str::<Value>(&lines[LEGACY_ENTRIES + 3]).unwrap(),
        serde_json::from_str::<Value>(old).unwrap(),
        "the old script's entry kept"
    );
    // Line 1 is `[`; the old script's entry is the 80th.
    let run = cli.run_at(NOW, &["verify"]);
    assert_eq!(run.code, 0, "{run:?}");
    a_line_with(&said(&run), &["audit_log.json line 81", "another writer"]);
    let newest = recent(&cli, NOW, &["--skills", "--limit", "2"]);
    assert_eq!(newest[1]["timestamp"], "2025-11-20T12:20:00.123456+00:00");

    // tool_audit.py appends a line to alice's file of today between two of ours.
    let calls = json!([{"user": "alice", "day": TODAY, "calls": [
        {"ts": "2025-11-20T12:25:00", "tool": "shell", "args": {"cmd": "ls"}, "status": "ok", "result": "a b"}
    ]}]);
    seed_py(
        &cli,
        &["append-tool-calls", cli.dir().to_str().unwrap()],
        &calls.to_string(),
    );
    cli.run_at(
        "2025-11-20T12:35:00Z",
        &[
            "tool",
            "--user",
            "alice",
            "--tool",
            "file_read",
            "--status",
            "ok",
        ],
    )
    .success();
    let day = cli.day_file("alice", TODAY);
    assert_eq!(day.len(), 5, "two seed calls, ours, the seed's, ours");
    assert_eq!(day[3]["ts"], "2025-11-20T12:25:00");
    assert_eq!(day[4]["seq"], 2, "alice's chain goes on after seq 1");
    let run = cli.run_at(NOW, &["verify"]);
    assert_eq!(run.code, 0, "{run:?}");
    a_line_with(
        &said(&run),
        &[
            &format!("alice/tool_audit/{TODAY}.jsonl line 4"),
            "another writer",
        ],
    );

    // The old scripts' last writes are in: adopt covers them, and verify
    // no longer names them.
    let adopted = cli.run_at("2025-11-20T12:40:00Z", &["adopt"]);
    assert_eq!(adopted.code, 0, "{adopted:?}");
    a_line_with(&said(&adopted), &["audit_log.json", "77", "legacy"]);
    a_line_with(&said(&adopted), &["alice", "12", "legacy"]);
    let run = cli.run_at(NOW, &["verify"]);
    assert_eq!(run.code, 0, "{run:?}");
    let output = said(&run);
    assert!(!output.contains("without a seal"), "{output}");
    a_line_with(&output, &["audit_log.json", "76", "1 more", "adopted"]);
    a_line_with(&output, &["alice", "11", "1 more", "adopted"]);
}
