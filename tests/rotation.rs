//! Rotation, retention and compression of the tool logs, end to end: the
//! policy from `auditlog.toml` and the flags that override it, `config show`,
//! `auditlog rotate`, readers across segments and compressed files, writers
//! across roll-overs, and `verify` telling deletion by policy from deletion
//! by hand. Time is fixed with `AUDITLOG_NOW` (the CLI) and `.clock(...)`
//! (the library).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Barrier;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use auditlog::{AuditLog, Config, Error, Filter, Origin, Source, ToolCall};
use serde_json::{Value, json};

use crate::concurrency::ids;
use crate::support::{Cli, Run};

/// `2025-10-DAY` at noon plus `n` seconds, RFC 3339.
fn at(day: u32, n: u32) -> String {
    format!("2025-10-{day:02}T12:{:02}:{:02}Z", n / 60, n % 60)
}

/// The end of the last day the tests write, 2025-10-23.
const NOW: &str = "2025-10-23T23:00:00Z";

/// One file of a user's tool log.
#[derive(Debug, Clone)]
struct LogFile {
    path: PathBuf,
    /// Relative to the log directory, as `rotate` names it.
    name: String,
    day: String,
    segment: u32,
    gz: bool,
}

/// The day files of `user`, oldest first: by day, then segment.
fn log_files(dir: &Path, user: &str) -> Vec<LogFile> {
    let tool_dir = dir.join(user).join("tool_audit");
    let mut files: Vec<LogFile> = std::fs::read_dir(&tool_dir)
        .unwrap_or_else(|e| panic!("{}: {e}", tool_dir.display()))
        .filter_map(|entry| {
            let file = entry.unwrap().file_name().into_string().unwrap();
            let (plain, gz) = match file.strip_suffix(".gz") {
                Some(plain) => (plain, true),
                None => (file.as_str(), false),
            };
            let stem = plain.strip_suffix(".jsonl")?;
            let (day, segment) = match stem.split_once('.') {
                Some((day, n)) => (day, n.parse().ok()?),
                None => (stem, 0),
            };
            Some(LogFile {
                path: tool_dir.join(&file),
                name: format!("{user}/tool_audit/{file}"),
                day: day.to_owned(),
                segment,
                gz,
            })
        })
        .collect();
    files.sort_by(|a, b| (&a.day, a.segment).cmp(&(&b.day, b.segment)));
    files
}

/// The bytes of a compressed day file, inflated with `gzip -dc`.
fn inflate(path: &Path) -> Vec<u8> {
    let out = Command::new("gzip")
        .arg("-dc")
        .arg(path)
        .output()
        .expect("gzip is installed");
    assert!(out.status.success(), "{}: does not inflate", path.display());
    out.stdout
}

/// The entries of a day file, inflated with `gzip -dc` if it is compressed.
fn entries_of(path: &Path) -> Vec<Value> {
    let text = if path.extension().is_some_and(|e| e == "gz") {
        String::from_utf8(inflate(path)).unwrap()
    } else {
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    assert!(text.ends_with('\n'), "{}: ends mid-line", path.display());
    text.lines()
        .map(|line| serde_json::from_str(line).expect("each line is JSON"))
        .collect()
}

/// Every entry of `user`'s files, oldest file first.
fn all_entries(dir: &Path, user: &str) -> Vec<Value> {
    log_files(dir, user)
        .iter()
        .flat_map(|f| entries_of(&f.path))
        .collect()
}

/// Records `per_day` tool calls for `user` on each of `days`, one process
/// each, with the global `flags`; each entry is about 450 bytes.
fn write_days(cli: &Cli, user: &str, days: &[u32], per_day: u32, flags: &[&str]) {
    let result = "r".repeat(200);
    for &day in days {
        for i in 0..per_day {
            let args = json!({"day": day, "i": i}).to_string();
            let mut argv = flags.to_vec();
            argv.extend([
                "tool", "--user", user, "--tool", "search", "--status", "ok", "--args", &args,
                "--result", &result,
            ]);
            cli.run_at(&at(day, i), &argv).success();
        }
    }
}

fn write_config(cli: &Cli, text: &str) {
    std::fs::create_dir_all(cli.dir()).unwrap();
    std::fs::write(cli.dir().join("auditlog.toml"), text).unwrap();
}

/// `rotate --format json`'s answer as (action, file, bytes).
fn rotations(run: &Run) -> Vec<(String, String, u64)> {
    run.json()
        .as_array()
        .expect("an array")
        .iter()
        .map(|r| {
            (
                r["action"].as_str().unwrap().to_owned(),
                r["file"].as_str().unwrap().to_owned(),
                r["bytes"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// Asserts `auditlog verify` accepts `n` entries.
#[track_caller]
fn assert_verifies(cli: &Cli, n: usize) {
    let run = cli.run_at(NOW, &["verify"]).success();
    assert_eq!(run.stdout, format!("{n} entries verified\n"));
}

#[test]
fn the_config_file_sets_the_policy_and_flags_and_the_environment_override_it() {
    let cli = Cli::new();
    write_config(
        &cli,
        "# the policy of this directory\n[tool_log]\nmax_file_bytes = 4096\nmax_days = 30\n\
         compress = true\n\n[skill_log]\nmax_entries = 3\n",
    );
    let file = cli.dir().canonicalize().unwrap().join("auditlog.toml");

    let shown = cli
        .run(&["config", "show", "--format", "json"])
        .success()
        .json();
    assert_eq!(shown["config_file"], json!(file));
    assert_eq!(
        shown["tool_log"],
        json!({
            "max_file_bytes": {"value": 4096, "from": "file"},
            "max_days": {"value": 30, "from": "file"},
            "max_user_bytes": {"value": 0, "from": "default"},
            "compress": {"value": true, "from": "file"},
            "compress_grace": {"value": 0, "from": "default"},
        })
    );
    assert_eq!(
        shown["skill_log"],
        json!({"max_entries": {"value": 3, "from": "file"}})
    );

    // A flag (before or after the command) and an environment variable win.
    let shown = cli
        .run_with(
            &["config", "show", "--max-days", "7", "--format", "json"],
            &[
                ("AUDITLOG_COMPRESS", "false"),
                ("AUDITLOG_MAX_USER_BYTES", "65536"),
            ],
            None,
        )
        .success()
        .json();
    assert_eq!(
        shown["tool_log"],
        json!({
            "max_file_bytes": {"value": 4096, "from": "file"},
            "max_days": {"value": 7, "from": "flag", "name": "--max-days"},
            "max_user_bytes": {"value": 65536, "from": "env", "name": "AUDITLOG_MAX_USER_BYTES"},
            "compress": {"value": false, "from": "env", "name": "AUDITLOG_COMPRESS"},
            "compress_grace": {"value": 0, "from": "default"},
        })
    );

    // The TOML form is itself a valid auditlog.toml, origins in comments.
    let text = cli
        .run(&["--max-days", "7", "config", "show"])
        .success()
        .stdout;
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines.contains(&format!("# file: {}", file.display()).as_str()),
        "{text}"
    );
    let line = |key: &str| {
        *lines
            .iter()
            .find(|l| l.starts_with(&format!("{key} =")))
            .unwrap_or_else(|| panic!("no {key} in {text}"))
    };
    assert!(line("max_days").ends_with("# flag --max-days"), "{text}");
    assert!(line("max_user_bytes").ends_with("# default"), "{text}");
    assert!(line("compress").ends_with("# file"), "{text}");
    let reparsed: Config = toml::from_str(&text).unwrap();
    assert_eq!(
        (
            reparsed.tool_log.max_file_bytes,
            reparsed.tool_log.max_days,
            reparsed.tool_log.max_user_bytes,
            reparsed.tool_log.compress,
            reparsed.skill_log.max_entries,
        ),
        (Some(4096), Some(7), Some(0), Some(true), Some(3))
    );

    // Without a file: defaults, and the header says so.
    let bare = Cli::new();
    let text = bare.run(&["config", "show"]).success().stdout;
    assert!(text.contains("# file: none (auditlog.toml does not exist there)"));
    assert!(text.contains("max_entries = 10000"), "{text}");
}

#[test]
fn the_config_file_drives_the_logs_unless_a_flag_says_otherwise() {
    let config = "[tool_log]\nmax_file_bytes = 1024\n[skill_log]\nmax_entries = 3\n";
    let cli = Cli::new();
    write_config(&cli, config);
    for i in 0..5 {
        cli.run(&["record", &format!("s{i}"), "success"]).success();
    }
    assert_eq!(cli.skill_log().len(), 3, "max_entries from the file");
    cli.run(&["record", "s5", "success", "--max-entries", "4"])
        .success();
    assert_eq!(cli.skill_log().len(), 4, "record --max-entries wins");

    write_days(&cli, "alice", &[23], 6, &[]);
    let files = log_files(&cli.dir(), "alice");
    assert!(files.len() >= 2, "rolled over past 1024 bytes: {files:?}");
    for closed in &files[..files.len() - 1] {
        assert!(std::fs::metadata(&closed.path).unwrap().len() >= 1024);
    }
    assert_eq!(files[0].name, "alice/tool_audit/2025-10-23.jsonl");
    assert_eq!(files[1].name, "alice/tool_audit/2025-10-23.1.jsonl");

    // The same file, but --max-file-bytes 0 turns roll-over off.
    let flagged = Cli::new();
    write_config(&flagged, config);
    write_days(&flagged, "alice", &[23], 6, &["--max-file-bytes", "0"]);
    let files = log_files(&flagged.dir(), "alice");
    assert_eq!(files.len(), 1, "{files:?}");

    // And a library user may ignore the file.
    let log = AuditLog::builder(flagged.dir())
        .read_config_file(false)
        .open()
        .unwrap();
    assert_eq!(log.policy().config_file, None);
    assert_eq!(log.policy().max_file_bytes.origin, Origin::Default);
    let log = AuditLog::builder(flagged.dir())
        .max_entries(9)
        .open()
        .unwrap();
    assert_eq!(
        (
            log.policy().max_file_bytes.value,
            log.policy().max_file_bytes.origin
        ),
        (1024, Origin::ConfigFile)
    );
    assert_eq!(
        (
            log.policy().max_entries.value,
            log.policy().max_entries.origin
        ),
        (9, Origin::Builder)
    );
}

#[test]
fn a_bad_config_file_is_refused_by_file_and_key_and_changes_nothing() {
    let cases = [
        (
            "[tool_log]\nmax_dayz = 3\n",
            "auditlog.toml: tool_log.max_dayz (line 2): unknown field `max_dayz`",
        ),
        (
            "[tool_log]\ncompress = \"yes\"\n",
            "auditlog.toml: tool_log.compress (line 2): invalid type: string \"yes\"",
        ),
        (
            "[skill_log]\nmax_entries = -5\n",
            "auditlog.toml: skill_log.max_entries (line 2): invalid value: integer `-5`",
        ),
        (
            "[tool_log]\nmax_file_bytes = 100\n",
            "auditlog.toml: tool_log.max_file_bytes: must be 0 (off) or at least 1024, got 100",
        ),
        (
            "[tool_log\nmax_days = 3\n",
            "auditlog.toml line 1: unclosed table",
        ),
    ];
    for (text, expected) in cases {
        let cli = Cli::new();
        write_config(&cli, text);
        let before = cli.snapshot();
        for argv in [
            &["tool", "--user", "alice", "--tool", "t", "--status", "ok"][..],
            &["record", "s", "success"],
            &["recent", "--all-users"],
            &["config", "show"],
            &["rotate"],
            &["verify"],
        ] {
            let run = cli.run(argv).refused(expected);
            assert!(
                run.stderr.starts_with("auditlog: /"),
                "names the file's path: {:?}",
                run.stderr
            );
        }
        assert_eq!(cli.snapshot(), before, "{text:?}: nothing written");

        // The library's error is typed, and names the same key.
        match AuditLog::open(cli.dir()).err() {
            Some(Error::Config { path, .. }) => {
                assert_eq!(
                    path,
                    cli.dir().canonicalize().unwrap().join("auditlog.toml")
                );
            }
            other => panic!("expected Error::Config, got {other:?}"),
        }
    }

    // A flag that replaces the refused value rescues the call; a syntax
    // error cannot be overridden.
    let cli = Cli::new();
    write_config(&cli, "[tool_log]\nmax_file_bytes = 100\n");
    cli.run(&["--max-file-bytes", "0", "config", "show"])
        .success();

    // Bad flags are refused by name too.
    let cli = Cli::new();
    std::fs::create_dir_all(cli.dir()).unwrap();
    cli.run(&["--max-days", "-1", "rotate"])
        .refused("--max-days");
    cli.run(&["--compress", "yes", "rotate"])
        .refused("--compress");
    cli.run(&["--max-user-bytes", "10", "rotate"])
        .refused("auditlog: --max-user-bytes: must be 0 (off) or at least 1024, got 10");
    assert!(cli.snapshot().is_empty());
}

/// `tool_log.compress_grace` in `auditlog.toml` (a log shipper's grace):
/// `rotate` leaves closed files plain until their last entry is that old;
/// `AUDITLOG_COMPRESS_GRACE` and the flag win over it, and a value out of
/// range is refused by its key.
#[test]
fn the_config_file_sets_the_compression_grace_period() {
    let cli = Cli::new();
    write_days(&cli, "alice", &[23], 8, &["--max-file-bytes", "1024"]);
    let closed = log_files(&cli.dir(), "alice").len() - 1;
    assert!(closed >= 2, "segments");
    write_config(&cli, "[tool_log]\ncompress = true\ncompress_grace = 3600\n");
    let shown = cli
        .run(&["config", "show", "--format", "json"])
        .success()
        .json();
    assert_eq!(
        shown["tool_log"]["compress_grace"],
        json!({"value": 3600, "from": "file"})
    );
    let shown = cli
        .run_with(
            &["config", "show", "--format", "json"],
            &[("AUDITLOG_COMPRESS_GRACE", "60")],
            None,
        )
        .success()
        .json();
    assert_eq!(
        shown["tool_log"]["compress_grace"],
        json!({"value": 60, "from": "env", "name": "AUDITLOG_COMPRESS_GRACE"})
    );

    // Half an hour after the last entry: within the file's grace period.
    let run = cli
        .run_at("2025-10-23T12:30:00Z", &["rotate", "--format", "json"])
        .success();
    assert_eq!(rotations(&run), []);
    let run = cli
        .run_at(
            "2025-10-23T12:30:00Z",
            &["--compress-grace", "600", "rotate", "--format", "json"],
        )
        .success();
    assert_eq!(rotations(&run).len(), closed, "the flag wins");
    assert_eq!(
        log_files(&cli.dir(), "alice")
            .iter()
            .filter(|f| f.gz)
            .count(),
        closed
    );
    assert_verifies(&cli, 8);

    write_config(&cli, "[tool_log]\ncompress_grace = 2592001\n");
    cli.run(&["config", "show"]).refused(
        "auditlog.toml: tool_log.compress_grace: must be between 0 and 2592000, got 2592001",
    );
}

#[test]
fn rotate_compresses_closed_files_and_deletes_what_retention_drops() {
    let cli = Cli::new();
    let days = [18, 19, 20, 21, 22, 23];
    for user in ["alice", "bob"] {
        write_days(&cli, user, &days, 8, &["--max-file-bytes", "1024"]);
    }
    let before = log_files(&cli.dir(), "alice");
    assert!(before.len() > days.len(), "segments: {before:?}");
    let size = |f: &LogFile| std::fs::metadata(&f.path).unwrap().len();
    let sizes: Vec<(String, u64)> = before.iter().map(|f| (f.name.clone(), size(f))).collect();
    let contents: Vec<Vec<u8>> = before
        .iter()
        .map(|f| std::fs::read(&f.path).unwrap())
        .collect();
    let bob_before = cli.snapshot_logs();

    let policy = ["--max-days", "3", "--compress", "true"];
    let mut argv = policy.to_vec();
    argv.extend(["rotate", "--user", "alice", "--format", "json"]);
    let run = cli.run_at(NOW, &argv).success();
    let changed = rotations(&run);

    // Days 18 to 20 are deleted, every file of them, oldest first.
    let deleted: Vec<(String, u64)> = changed
        .iter()
        .filter(|(action, ..)| action == "deleted")
        .map(|(_, file, bytes)| (file.clone(), *bytes))
        .collect();
    let expected: Vec<(String, u64)> = sizes
        .iter()
        .filter(|(name, _)| {
            ["18", "19", "20"]
                .iter()
                .any(|d| name.contains(&format!("2025-10-{d}")))
        })
        .cloned()
        .collect();
    assert_eq!(deleted, expected);
    // Closed files of the days kept are compressed: all of day 21 (two days
    // past), and the segments before the last one of days 22 and 23.
    let compressed: BTreeSet<(String, u64)> = changed
        .iter()
        .filter(|(action, ..)| action == "compressed")
        .map(|(_, file, bytes)| (file.clone(), *bytes))
        .collect();
    for (k, file) in before.iter().enumerate() {
        let last_of_day = before.get(k + 1).is_none_or(|next| next.day != file.day);
        let should = file.day.as_str() == "2025-10-21"
            || (!last_of_day && file.day.as_str() >= "2025-10-22");
        assert_eq!(
            compressed.contains(&sizes[k]),
            should,
            "{}: compressed? {changed:?}",
            file.name
        );
    }
    assert_eq!(
        run.stderr,
        format!(
            "auditlog: {} files compressed, {} deleted\n",
            compressed.len(),
            deleted.len()
        )
    );

    // What is left: FILE.gz for each compressed FILE, holding its bytes in gzip.
    let after = log_files(&cli.dir(), "alice");
    for (k, file) in before.iter().enumerate() {
        let now = after
            .iter()
            .find(|f| (&f.day, f.segment) == (&file.day, file.segment));
        if deleted.contains(&sizes[k]) {
            assert!(now.is_none(), "{} deleted", file.name);
        } else if compressed.contains(&sizes[k]) {
            let now = now.unwrap();
            assert!(now.gz && !file.path.exists(), "{}", file.name);
            let unzipped = Command::new("gzip")
                .arg("-dc")
                .arg(&now.path)
                .output()
                .expect("gzip is installed");
            assert!(unzipped.status.success());
            assert_eq!(unzipped.stdout, contents[k], "{} round-trips", file.name);
        } else {
            assert!(!now.unwrap().gz, "{} left as it was", file.name);
        }
    }
    assert!(
        cli.dir().join("alice/tool_audit/.retention").exists(),
        "the deletion is anchored"
    );

    // Only alice's log was touched; bob's is rotated in text form.
    let bob_now = cli.snapshot_logs();
    for (path, bytes) in &bob_before {
        if path.starts_with(cli.dir().join("bob")) {
            assert_eq!(bob_now.get(path), Some(bytes), "{}", path.display());
        }
    }
    let mut argv = policy.to_vec();
    argv.extend(["rotate", "--user", "bob"]);
    let run = cli.run_at(NOW, &argv).success();
    // bob's files hold the same calls: the same changes, one a line.
    let printed: Vec<(String, u64)> = run
        .stdout
        .lines()
        .map(|line| {
            let (head, bytes) = line.rsplit_once(" (").unwrap();
            let bytes = bytes.strip_suffix(" bytes)").unwrap().parse().unwrap();
            (head.to_owned(), bytes)
        })
        .collect();
    let expected: Vec<String> = changed
        .iter()
        .map(|(action, file, _)| format!("{action} {}", file.replace("alice/", "bob/")))
        .collect();
    assert_eq!(
        printed
            .iter()
            .map(|(head, _)| head.clone())
            .collect::<Vec<_>>(),
        expected
    );
    for (head, bytes) in &printed {
        let file = head.split_once(' ').unwrap().1;
        assert_eq!(
            bob_before.get(&cli.dir().join(file)).map(Vec::len),
            Some(*bytes as usize)
        );
    }

    // Again, from cron or after a restart: nothing more goes.
    let mut argv = policy.to_vec();
    argv.push("rotate");
    let run = cli.run_at(NOW, &argv).success();
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr, "auditlog: nothing to rotate\n");
    argv.extend(["--format", "json"]);
    assert_eq!(cli.run_at(NOW, &argv).success().stdout, "[]\n");
}

#[test]
fn retention_by_bytes_deletes_the_oldest_files_first() {
    let cli = Cli::new();
    write_days(
        &cli,
        "alice",
        &[20, 21, 22, 23],
        8,
        &["--max-file-bytes", "1024"],
    );
    let before = log_files(&cli.dir(), "alice");
    let run = cli
        .run_at(
            NOW,
            &["--max-user-bytes", "4096", "rotate", "--format", "json"],
        )
        .success();
    let changed = rotations(&run);
    assert!(!changed.is_empty());
    assert!(changed.iter().all(|(action, ..)| action == "deleted"));
    // The deleted files are the oldest ones, in order.
    let names: Vec<&str> = changed.iter().map(|(_, file, _)| file.as_str()).collect();
    let oldest: Vec<&str> = before[..names.len()]
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(names, oldest);
    let after = log_files(&cli.dir(), "alice");
    let total: u64 = after
        .iter()
        .map(|f| std::fs::metadata(&f.path).unwrap().len())
        .sum();
    assert!(total <= 4096, "{total} bytes kept");
    assert_eq!(after.len(), before.len() - names.len());
    // What is left verifies, the retention entry included.
    let kept = all_entries(&cli.dir(), "alice");
    assert_eq!(kept.last().unwrap()["tool"], "auditlog.retention");
    assert_verifies(&cli, kept.len());
}

#[test]
fn appends_on_a_new_day_compress_and_retire_the_old_ones() {
    let cli = Cli::new();
    let policy = ["--max-days", "3", "--compress", "true"];
    write_days(&cli, "alice", &[19, 20], 2, &policy);
    let names = |cli: &Cli| -> Vec<String> {
        log_files(&cli.dir(), "alice")
            .into_iter()
            .map(|f| f.name)
            .collect()
    };
    assert_eq!(
        names(&cli),
        [
            "alice/tool_audit/2025-10-19.jsonl",
            "alice/tool_audit/2025-10-20.jsonl"
        ]
    );
    // The first append of the 22nd starts a new file and applies the
    // policy: the 19th is out of the last three days, the 20th is two days
    // past and closed.
    write_days(&cli, "alice", &[22], 1, &policy);
    assert_eq!(
        names(&cli),
        [
            "alice/tool_audit/2025-10-20.jsonl.gz",
            "alice/tool_audit/2025-10-22.jsonl"
        ]
    );
    write_days(&cli, "alice", &[23], 1, &policy);
    let recent = cli
        .run_at(
            NOW,
            &[
                "recent", "--user", "alice", "--days", "30", "--format", "jsonl",
            ],
        )
        .success();
    let tools: Vec<String> = recent
        .stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["tool"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    // The 22nd and the 23rd are left, and the two retentions' records.
    assert_eq!(tools.iter().filter(|t| *t == "search").count(), 2);
    assert_eq!(
        tools.iter().filter(|t| *t == "auditlog.retention").count(),
        2,
        "{tools:?}"
    );
    let entries = recent.stdout.lines().count();
    assert_verifies(&cli, entries);
}

/// `recent` (all pages) and `stats` for `source` at [`NOW`].
fn answers(cli: &Cli, source: &[&str]) -> (Vec<Value>, Value) {
    let mut entries = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut argv = vec![
            "recent", "--days", "30", "--limit", "7", "--format", "jsonl",
        ];
        argv.extend(source);
        if let Some(c) = &cursor {
            argv.extend(["--cursor", c]);
        }
        let run = cli.run_at(NOW, &argv).success();
        entries.extend(
            run.stdout
                .lines()
                .map(|l| serde_json::from_str::<Value>(l).unwrap()),
        );
        cursor = run
            .stderr
            .split("--cursor ")
            .nth(1)
            .map(|c| c.trim().to_owned());
        if cursor.is_none() {
            break;
        }
    }
    let mut argv = vec!["stats", "--days", "30"];
    argv.extend(source);
    (entries, cli.run_at(NOW, &argv).success().json())
}

#[test]
fn recent_and_stats_answer_the_same_before_and_after_rotation() {
    let cli = Cli::new();
    for user in ["alice", "bob"] {
        write_days(
            &cli,
            user,
            &[19, 20, 21, 22, 23],
            6,
            &["--max-file-bytes", "1024"],
        );
    }
    let sources: [&[&str]; 2] = [&["--all-users"], &["--user", "alice"]];
    let before: Vec<_> = sources.iter().map(|s| answers(&cli, s)).collect();
    assert_eq!(before[0].0.len(), 60);
    assert_eq!(before[0].1["total"], 60);

    let run = cli.run_at(NOW, &["--compress", "true", "rotate"]).success();
    assert!(run.stdout.lines().count() > 4, "{}", run.stdout);
    assert!(run.stdout.lines().all(|l| l.starts_with("compressed ")));
    let after: Vec<_> = sources.iter().map(|s| answers(&cli, s)).collect();
    assert_eq!(after, before, "compression is invisible to readers");

    // Retention changes the answers by exactly what it dropped, plus its record.
    cli.run_at(NOW, &["--max-days", "2", "rotate"]).success();
    let (entries, stats) = answers(&cli, &["--all-users"]);
    let (kept, records): (Vec<Value>, Vec<Value>) = entries
        .into_iter()
        .partition(|e| e["tool"] != "auditlog.retention");
    assert_eq!(records.len(), 2, "one record per user");
    let expected: Vec<Value> = before[0]
        .0
        .iter()
        .filter(|e| e["ts"].as_str().unwrap() >= "2025-10-22")
        .cloned()
        .collect();
    assert_eq!(kept, expected);
    assert_eq!(stats["by_name"]["search"]["count"], 24);
}

#[test]
fn verify_accepts_policy_deletions_and_names_what_a_hand_deleted_file_held() {
    let cli = Cli::new();
    write_days(
        &cli,
        "alice",
        &[15, 16, 17, 18, 19, 20, 21, 22, 23],
        4,
        &["--max-file-bytes", "1024"],
    );
    let before = log_files(&cli.dir(), "alice");
    let held: Vec<(LogFile, Vec<Value>)> = before
        .iter()
        .map(|f| (f.clone(), entries_of(&f.path)))
        .collect();
    assert_verifies(&cli, 36);

    cli.run_at(NOW, &["--max-days", "4", "--compress", "true", "rotate"])
        .success();
    let kept: usize = held
        .iter()
        .filter(|(f, _)| f.day.as_str() >= "2025-10-20")
        .map(|(_, entries)| entries.len())
        .sum();
    assert_eq!(kept, 16);
    assert_verifies(&cli, kept + 1);

    // Deleting the oldest file left, by hand, is a removal verify names.
    let oldest = &log_files(&cli.dir(), "alice")[0];
    assert!(oldest.gz && oldest.day == "2025-10-20", "{oldest:?}");
    let (_, lost) = held
        .iter()
        .find(|(f, _)| (&f.day, f.segment) == (&oldest.day, oldest.segment))
        .unwrap();
    std::fs::remove_file(&oldest.path).unwrap();
    let run = cli.run_at(NOW, &["verify"]);
    assert_eq!(run.code, 1, "{run:?}");
    let (first, last) = (
        lost.first().unwrap()["seq"].as_u64().unwrap(),
        lost.last().unwrap()["seq"].as_u64().unwrap(),
    );
    assert!(
        run.stderr
            .starts_with("auditlog: verification failed: alice/tool_audit/")
            && run
                .stderr
                .contains(&format!("entries {first} to {last} were removed")),
        "{:?}",
        run.stderr
    );
}

/// `bytes` gzipped by `gzip -c`: one member.
fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut child = Command::new("gzip")
        .arg("-c")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("gzip is installed");
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), bytes).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    out.stdout
}

/// Twelve entries of alice over three days in 1 KiB segments, closed files
/// compressed by `rotate`: the first compressed file.
fn a_compressed_file(cli: &Cli) -> LogFile {
    write_days(
        cli,
        "alice",
        &[21, 22, 23],
        4,
        &["--max-file-bytes", "1024"],
    );
    cli.run_at(NOW, &["--compress", "true", "rotate"]).success();
    log_files(&cli.dir(), "alice")
        .into_iter()
        .find(|f| f.gz)
        .expect("a compressed file")
}

#[test]
fn a_compressed_file_is_read_the_way_gzip_reads_it_every_member_and_nothing_after() {
    let cli = Cli::new();
    let closed = a_compressed_file(&cli);
    let packed = std::fs::read(&closed.path).unwrap();
    let held = entries_of(&closed.path).len();
    assert_verifies(&cli, 12);

    // A second gzip member, as `cat a.gz b.gz` makes: gzip, zcat, zgrep and
    // log shippers read it, so auditlog must too. A line written by another
    // tool there is named by verify and returned by recent, like one in a
    // plain file.
    let legacy = format!(
        "{{\"ts\":\"{}\",\"user\":\"alice\",\"tool\":\"planted\",\"status\":\"ok\"}}\n",
        at(closed.day[8..].parse().unwrap(), 59)
    );
    let mut two = packed.clone();
    two.extend(gzip(legacy.as_bytes()));
    std::fs::write(&closed.path, &two).unwrap();
    assert!(
        entries_of(&closed.path)
            .iter()
            .any(|e| e["tool"] == "planted"),
        "gzip reads the second member"
    );
    let run = cli.run_at(NOW, &["verify"]).success();
    assert!(
        run.stdout.contains(&format!(
            "{} line {}: an entry without a seal after the chain started",
            closed.name,
            held + 1
        )),
        "{run:?}"
    );
    let recent = cli
        .run_at(NOW, &["recent", "--user", "alice", "--tool", "planted"])
        .success();
    assert_eq!(recent.json().as_array().unwrap().len(), 1, "{recent:?}");

    // An edited copy of the file's first entry in a second member: a seq
    // repeated, named as in a plain file.
    let first = entries_of(&closed.path)[0].clone();
    let mut forged = first.clone();
    forged["args"]["i"] = json!(99);
    let mut two = packed.clone();
    two.extend(gzip(format!("{forged}\n").as_bytes()));
    std::fs::write(&closed.path, &two).unwrap();
    let run = cli.run_at(NOW, &["verify"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains(&closed.name), "{run:?}");

    // Bytes after the gzip stream that are no gzip member: damage, named,
    // not ignored.
    let mut trailing = packed.clone();
    trailing.extend(legacy.as_bytes());
    std::fs::write(&closed.path, &trailing).unwrap();
    let run = cli.run_at(NOW, &["verify"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains(&closed.name) && run.stderr.contains("does not inflate"),
        "{run:?}"
    );

    std::fs::write(&closed.path, &packed).unwrap();
    assert_verifies(&cli, 12);
}

/// The number of entries `recent` returns for alice over the test days.
fn recent_count(cli: &Cli) -> usize {
    let run = cli
        .run_at(NOW, &["recent", "--user", "alice", "--days", "7"])
        .success();
    run.json().as_array().unwrap().len()
}

#[test]
fn the_seed_writer_appending_to_a_compressed_day_loses_nothing() {
    // During a migration both writers run. The seed's writer knows nothing
    // of compression: after ours gzipped a day's first file, it starts a new
    // plain file of that name. Before, every reader read only the plain file
    // (the sealed entries hidden), and the next rotation compressed it over
    // the `.gz`, destroying them.
    let cli = Cli::new();
    let copy = a_compressed_file(&cli);
    let plain_path = copy.path.with_extension("");
    let sealed = entries_of(&copy.path);
    let total = recent_count(&cli);
    let legacy = format!(
        "{{\"ts\": \"{}\", \"user\": \"alice\", \"tool\": \"legacy\", \"args\": {{}}, \"status\": \"ok\", \"result_chars\": 0, \"result_snippet\": \"\"}}\n",
        at(copy.day[8..].parse().unwrap(), 59).trim_end_matches('Z')
    );
    std::fs::write(&plain_path, &legacy).unwrap();

    assert_eq!(recent_count(&cli), total + 1, "both files are read");
    let run = cli.run_at(NOW, &["verify"]).success();
    assert!(
        run.stdout.starts_with("12 entries verified\n")
            && run.stdout.contains(&format!(
                "{} line 1: an entry without a seal",
                plain_path_name(&copy)
            )),
        "the legacy line is named in the plain file, read after the .gz: {run:?}"
    );

    cli.run_at(NOW, &["--compress", "true", "rotate"]).success();
    assert!(!plain_path.exists(), "the plain file was compressed");
    let mut expected = sealed.clone();
    expected.push(serde_json::from_str(&legacy).unwrap());
    assert_eq!(
        entries_of(&copy.path),
        expected,
        "the sealed entries, then the legacy one"
    );
    assert_eq!(recent_count(&cli), total + 1);
    let run = cli.run_at(NOW, &["verify"]).success();
    assert!(
        run.stdout.starts_with("12 entries verified\n")
            && run.stdout.contains(&format!(
                "{} line {}: an entry without a seal",
                copy.name,
                sealed.len() + 1
            )),
        "{run:?}"
    );
}

/// `copy`'s plain file, named as `verify` names files.
fn plain_path_name(copy: &LogFile) -> &str {
    copy.name.trim_end_matches(".gz")
}

#[test]
fn retention_deletes_a_plain_file_and_the_gz_beside_it_together() {
    // Retention deleted only the plain file of such a pair: the `.gz` then
    // held entries the anchor says were dropped, and verify failed.
    let cli = Cli::new();
    let copy = a_compressed_file(&cli);
    let plain_path = copy.path.with_extension("");
    std::fs::write(&plain_path, "").unwrap();
    let run = cli
        .run_at(NOW, &["--max-days", "1", "rotate", "--format", "json"])
        .success();
    let deleted: Vec<String> = rotations(&run)
        .into_iter()
        .map(|(_, file, _)| file)
        .collect();
    let plain_name = plain_path_name(&copy).to_owned();
    assert!(
        deleted.contains(&plain_name) && deleted.contains(&copy.name),
        "{deleted:?}"
    );
    assert!(!copy.path.exists() && !plain_path.exists());
    // The chain's record of the retention names both files too.
    let record = all_entries(&cli.dir(), "alice")
        .into_iter()
        .find(|e| e["tool"] == "auditlog.retention")
        .expect("a retention record");
    let recorded: Vec<&str> = record["args"]["deleted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|name| name.as_str().unwrap())
        .collect();
    for name in [&plain_name, &copy.name] {
        let file = name.rsplit('/').next().unwrap();
        assert!(recorded.contains(&file), "{file}: {recorded:?}");
    }
    let run = cli.run_at(NOW, &["verify"]).success();
    assert!(run.stdout.ends_with("entries verified\n"), "{run:?}");
}

#[test]
fn stats_reads_the_lines_of_a_plain_file_with_a_gz_beside_it_not_its_summary() {
    // A closed plain file's summary covers its bytes alone: once a `.gz`
    // with more entries appears beside it, stats counted 12 where recent
    // returned 13.
    let cli = Cli::new();
    write_days(&cli, "alice", &[21, 22, 23], 4, &[]);
    cli.run_at(NOW, &["rotate"]).success();
    let logs = cli.dir().join("alice/tool_audit");
    assert!(logs.join(".summary.2025-10-21.json").exists(), "a summary");
    let extra = format!(
        "{{\"ts\":\"{}\",\"user\":\"alice\",\"tool\":\"other\",\"status\":\"ok\"}}\n",
        at(21, 59)
    );
    std::fs::write(logs.join("2025-10-21.jsonl.gz"), gzip(extra.as_bytes())).unwrap();
    let stats = cli
        .run_at(NOW, &["stats", "--user", "alice", "--days", "7"])
        .success();
    assert_eq!(stats.json()["total"], 13, "{stats:?}");
    assert_eq!(recent_count(&cli), 13);
}

#[test]
fn a_compressed_copy_beside_its_plain_file_is_read_with_it() {
    let cli = Cli::new();
    let copy = a_compressed_file(&cli);
    let plain_path = copy.path.with_extension("");
    let plain = inflate(&copy.path);
    let packed = std::fs::read(&copy.path).unwrap();
    let total = recent_count(&cli);

    // A compression interrupted before it removed the plain file: the same
    // entries in both, read once; so too when the copy holds only the start
    // of what the plain file holds.
    std::fs::write(&plain_path, &plain).unwrap();
    for same in [packed.clone(), gzip(&plain[..plain.len() / 2])] {
        std::fs::write(&copy.path, &same).unwrap();
        assert_verifies(&cli, 12);
        assert_eq!(recent_count(&cli), total);
    }

    // The copy holds an entry the plain file does not: zcat and zgrep show
    // it, and so does every reader of ours, and verify names it as it would
    // in a plain file.
    let planted = format!(
        "{{\"ts\":\"{}\",\"user\":\"alice\",\"tool\":\"planted\",\"status\":\"ok\"}}\n",
        at(copy.day[8..].parse().unwrap(), 59)
    );
    let mut more = plain.clone();
    more.extend(planted.as_bytes());
    std::fs::write(&copy.path, gzip(&more)).unwrap();
    let run = cli.run_at(NOW, &["verify"]).success();
    let named = format!(
        "{} line {}: an entry without a seal",
        copy.name,
        more.iter().filter(|&&b| b == b'\n').count()
    );
    assert!(run.stdout.contains(&named), "{named}: {run:?}");
    assert_eq!(recent_count(&cli), total + 1);

    // An entry edited in the copy, or a copy that does not inflate: named,
    // not passed, and nothing written.
    let mut edited = entries_of(&plain_path);
    edited[0]["args"]["i"] = json!(99);
    let edited: String = edited.iter().map(|e| format!("{e}\n")).collect();
    for (forged, reason) in [
        (gzip(edited.as_bytes()), copy.name.trim_end_matches(".gz")),
        (b"not gzip".to_vec(), "does not inflate"),
    ] {
        std::fs::write(&copy.path, &forged).unwrap();
        let before = cli.snapshot();
        let run = cli.run_at(NOW, &["verify"]);
        assert_eq!(run.code, 1, "{run:?}");
        assert!(run.stderr.contains(reason), "{reason}: {run:?}");
        assert_eq!(cli.snapshot(), before, "verify wrote nothing");
    }

    std::fs::write(&copy.path, &packed).unwrap();
    assert_verifies(&cli, 12);
}

#[test]
fn rotating_every_user_changes_nothing_when_one_users_file_cannot_be_read() {
    // Before, rotate deleted alice's old files without printing them, then
    // stopped at bob's stray directory, calling it "a FIFO, device or
    // socket", and never reached carol.
    let cli = Cli::new();
    for user in ["alice", "bob", "carol"] {
        write_days(&cli, user, &[21, 22, 23], 1, &[]);
    }
    let stray = cli.dir().join("bob/tool_audit/2025-10-20.jsonl");
    std::fs::create_dir(&stray).unwrap();
    let before = cli.snapshot();
    let run = cli.run_at(NOW, &["--max-days", "1", "rotate"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains("bob/tool_audit/2025-10-20.jsonl: is not a regular file (a directory where a log file belongs)"),
        "{run:?}"
    );
    assert_eq!(cli.snapshot(), before, "no user's files changed");

    std::fs::remove_dir(&stray).unwrap();
    let run = cli
        .run_at(NOW, &["--max-days", "1", "rotate", "--format", "json"])
        .success();
    assert_eq!(
        rotations(&run).len(),
        6,
        "two old days of each user: {run:?}"
    );
}

#[test]
fn bulk_repair_and_rotate_read_a_directory_under_a_name_writes_refuse() {
    // `verify` reads such a directory and sends its damage to `repair`,
    // which refused every user's repair because of the name.
    let cli = Cli::new();
    write_days(&cli, "alice", &[23], 1, &[]);
    let stray = cli.dir().join("ALL/tool_audit/2025-10-23.jsonl");
    std::fs::create_dir_all(stray.parent().unwrap()).unwrap();
    std::fs::write(
        &stray,
        format!(
            "{{\"ts\":\"{}\",\"user\":\"ALL\",\"tool\":\"t\",\"status\":\"ok\"}}\nnot an entry\n",
            at(23, 5)
        ),
    )
    .unwrap();
    let run = cli.run_at(NOW, &["verify"]);
    assert!(
        run.stderr
            .contains("ALL/tool_audit/2025-10-23.jsonl line 2"),
        "{run:?}"
    );
    let run = cli.run_at(NOW, &["repair"]).success();
    assert!(
        run.stdout.contains("ALL/tool_audit/2025-10-23.jsonl"),
        "{run:?}"
    );
    cli.run_at(NOW, &["verify"]).success();
    cli.run_at(NOW, &["--max-days", "1", "rotate"]).success();
}

#[test]
fn a_gz_that_does_not_inflate_is_moved_aside_by_repair_and_appends_go_on() {
    // A truncated `.gz` as a user's newest file (a copy cut short, a planted
    // file) stopped every append of the next day, which reads the chain's
    // last link through it, and `repair` failed on it too: only deleting it
    // by hand helped.
    let cli = Cli::new();
    a_compressed_file(&cli);
    let newest = log_files(&cli.dir(), "alice").pop().unwrap();
    assert!(!newest.gz);
    let text = std::fs::read(&newest.path).unwrap();
    let cut = gzip(&text)[..20].to_vec();
    let gz = newest.path.with_extension("jsonl.gz");
    std::fs::write(&gz, &cut).unwrap();
    std::fs::remove_file(&newest.path).unwrap();
    let tomorrow = "2025-10-24T01:00:00Z";
    let tool = ["tool", "--user", "alice", "--tool", "t", "--status", "ok"];
    let run = cli.run_at(tomorrow, &tool);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains("does not inflate")
            && run.stderr.contains("`auditlog repair` moves it aside"),
        "{run:?}"
    );
    let run = cli.run_at(tomorrow, &["repair"]).success();
    assert!(
        run.stdout
            .contains(&format!("{}.gz does not inflate: repaired", newest.name)),
        "{run:?}"
    );
    assert!(!gz.exists());
    let aside = newest.path.parent().unwrap().join(format!(
        ".damaged.{}.1",
        newest.path.file_stem().unwrap().to_str().unwrap()
    ));
    assert_eq!(std::fs::read(aside).unwrap(), cut, "its bytes are kept");
    cli.run_at(tomorrow, &tool).success();
    let recent = cli
        .run_at(tomorrow, &["recent", "--user", "alice", "--days", "7"])
        .success();
    assert!(
        recent
            .json()
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["tool"] == "t")
    );
}

#[test]
fn processes_writing_across_roll_overs_lose_nothing() {
    const PROCESSES: usize = 4;
    const CALLS: usize = 50;
    let cli = Cli::new();
    // The reader may start before any writer: the directory it reads exists,
    // as it does once anything was recorded (a read refuses a missing one).
    std::fs::create_dir_all(cli.dir()).unwrap();
    let start = Barrier::new(PROCESSES + 1);
    let writing = AtomicUsize::new(PROCESSES);
    std::thread::scope(|s| {
        // A reader in another process, paging while files roll over and
        // are compressed: each answer holds every entry the one before it
        // held, and none twice.
        let (cli_ref, start_ref, writing_ref) = (&cli, &start, &writing);
        s.spawn(move || {
            start_ref.wait();
            let mut before: BTreeSet<String> = BTreeSet::new();
            let mut reads = 0;
            while writing_ref.load(Ordering::SeqCst) > 0 || reads == 0 {
                let run = cli_ref
                    .run_at(
                        NOW,
                        &[
                            "recent", "--user", "shared", "--limit", "10000", "--format", "jsonl",
                        ],
                    )
                    .success();
                let lines: Vec<String> = run.stdout.lines().map(str::to_owned).collect();
                let now: BTreeSet<String> = lines.iter().cloned().collect();
                assert_eq!(now.len(), lines.len(), "an entry read twice");
                assert!(now.is_superset(&before), "an entry went missing");
                before = now;
                reads += 1;
            }
        });
        for p in 0..PROCESSES {
            let (cli, start, writing) = (&cli, &start, &writing);
            s.spawn(move || {
                start.wait();
                for i in 0..CALLS {
                    let args = json!({"p": p, "i": i}).to_string();
                    cli.run_at(
                        NOW,
                        &[
                            "--max-file-bytes",
                            "2000",
                            "--compress",
                            "true",
                            "tool",
                            "--user",
                            "shared",
                            "--tool",
                            "t",
                            "--status",
                            "ok",
                            "--args",
                            &args,
                            "--result",
                            "done",
                        ],
                    )
                    .success();
                }
                writing.fetch_sub(1, Ordering::SeqCst);
            });
        }
    });
    let files = log_files(&cli.dir(), "shared");
    assert!(files.len() > 5, "rolled over many times: {}", files.len());
    // Every closed segment was compressed once the next one started.
    assert!(files[..files.len() - 1].iter().all(|f| f.gz), "{files:?}");
    let entries = all_entries(&cli.dir(), "shared");
    assert_eq!(entries.len(), PROCESSES * CALLS);
    for (k, entry) in entries.iter().enumerate() {
        assert_eq!(entry["seq"], k as u64 + 1, "in file order: {entry}");
    }
    let ids = ids(&entries, "p");
    assert_eq!(ids.len(), PROCESSES * CALLS, "each call once");
    let recent = cli
        .run_at(
            NOW,
            &[
                "recent", "--user", "shared", "--limit", "10000", "--format", "jsonl",
            ],
        )
        .success();
    assert_eq!(recent.stdout.lines().count(), PROCESSES * CALLS);
    assert_verifies(&cli, PROCESSES * CALLS);
}

#[test]
fn threads_appending_through_one_host_across_roll_overs_lose_nothing() {
    const THREADS: u64 = 8;
    const EACH: u64 = 500;
    let dir = tempfile::tempdir().unwrap();
    let noon = SystemTime::UNIX_EPOCH + Duration::from_secs(1_761_220_800);
    let log = AuditLog::builder(dir.path())
        .max_file_bytes(16 * 1024)
        .clock(move || noon)
        .open()
        .unwrap();
    std::thread::scope(|s| {
        for t in 0..THREADS {
            let log = &log;
            s.spawn(move || {
                for i in 0..EACH {
                    let call = ToolCall::new("shared", "t", "ok").args(&json!({"t": t, "i": i}));
                    log.append_tool(&call).unwrap();
                }
            });
        }
    });
    let files = log_files(dir.path(), "shared");
    assert!(files.len() > 10, "rolled over: {} files", files.len());
    let entries = all_entries(dir.path(), "shared");
    assert_eq!(entries.len() as u64, THREADS * EACH);
    for (k, entry) in entries.iter().enumerate() {
        assert_eq!(entry["seq"], k as u64 + 1, "no gap, in file order");
    }
    let ids = ids(&entries, "t");
    assert_eq!(ids.len() as u64, THREADS * EACH);
    let report = log.verify(None, &[]).unwrap();
    assert_eq!(report.problem, None);
    assert_eq!(report.entries, THREADS * EACH);
    let stats = log
        .stats(&Filter::new(Source::User("shared".into())))
        .unwrap();
    assert_eq!(stats.total, THREADS * EACH);
}

/// Two writers on one log whose clocks disagree by days, or whose size bounds
/// differ: whichever file one of them started, the other's next entry goes
/// after it, so the chain stays one line of `seq` 1, 2, 3, … in file order.
/// (A writer that kept its file open once looked only for the next segment
/// and the next day's file, and forked the chain after a writer two days
/// ahead.)
#[test]
fn a_writer_keeping_its_file_open_follows_a_file_another_writer_started() {
    let noon = SystemTime::UNIX_EPOCH + Duration::from_secs(1_761_220_800);
    let day = Duration::from_secs(86_400);
    for (ahead, their_max) in [
        (day, None),
        (2 * day, None),
        (30 * day, None),
        (Duration::ZERO, Some(1024)),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let ours = AuditLog::builder(dir.path())
            .clock(move || noon)
            .open()
            .unwrap();
        let mut theirs = AuditLog::builder(dir.path()).clock(move || noon + ahead);
        if let Some(max) = their_max {
            theirs = theirs.max_file_bytes(max);
        }
        let theirs = theirs.open().unwrap();
        let call = |n: u64| ToolCall::new("shared", "t", "ok").args(&json!({ "n": n }));
        // Past 1 KiB, so that a writer bound to 1 KiB starts a segment.
        for n in 0..6 {
            ours.append_tool(&call(n)).unwrap();
        }
        theirs.append_tool(&call(6)).unwrap();
        ours.append_tool(&call(7)).unwrap();
        let files = log_files(dir.path(), "shared");
        assert_eq!(files.len(), 2, "{ahead:?} ahead, max {their_max:?}");
        let entries = all_entries(dir.path(), "shared");
        let seqs: Vec<u64> = entries.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
        assert_eq!(
            seqs,
            (1..=8).collect::<Vec<_>>(),
            "{ahead:?} ahead, max {their_max:?}"
        );
        let last = &files[1];
        assert_eq!(
            entries_of(&last.path).len(),
            2,
            "their entry and ours after it are in {}",
            last.name
        );
        // One chain: it verifies once the verifier's clock has caught up.
        let report = theirs.verify(None, &[]).unwrap();
        assert_eq!(report.problem, None, "{ahead:?} ahead, max {their_max:?}");
        // Before that, a file dated more than a day ahead is named.
        let report = ours.verify(None, &[]).unwrap();
        match report.problem {
            None => assert!(ahead <= day, "{ahead:?} ahead"),
            Some(problem) => assert!(
                ahead > day && problem.reason.contains("after today"),
                "{ahead:?} ahead: {problem:?}"
            ),
        }
    }
}
