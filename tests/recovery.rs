//! Damaged logs and failed writes, end to end: the five damages the seed's
//! script answered by starting over empty (two bytes cut, half cut, zero
//! length, an object instead of an array, garbage between entries), a torn
//! day file, a real file-size limit (RLIMIT_FSIZE: a failed call leaves no
//! log file, one whose entry was written succeeds with a warning) and the
//! `--sync` modes.
//! Every intact entry is kept, the unreadable bytes are kept aside where the
//! logs' globs do not reach them, and the repair is reported on stderr, in the
//! response and in the log.

use std::collections::BTreeSet;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::support::{Cli, Run};

const NOW: &str = "2025-10-23T12:00:00Z";

/// `n` skill records through the CLI's library; returns the file's bytes.
fn skill_log_of(cli: &Cli, n: u64) -> Vec<u8> {
    let log = auditlog::AuditLog::open(cli.dir()).unwrap();
    for i in 0..n {
        log.append_skill(&auditlog::SkillRun::new(format!("s.n{i}"), "success"))
            .unwrap();
    }
    std::fs::read(cli.dir().join("audit_log.json")).unwrap()
}

fn seqs(entries: &[Value]) -> Vec<u64> {
    entries.iter().filter_map(|e| e["seq"].as_u64()).collect()
}

/// A damage, the file it leaves, the bytes that cannot be read back, the
/// entries still intact, and whether the chain is still whole after repair.
type Damage = (&'static str, Vec<u8>, Vec<u8>, u64, bool);

#[test]
fn the_five_damages_keep_every_intact_entry_and_say_so() {
    let whole = skill_log_of(&Cli::new(), 100);
    let cut_at = whole.len() / 2;
    let last_whole_line = whole[..cut_at].iter().rposition(|&b| b == b'\n').unwrap() + 1;
    let mut garbage = whole.clone();
    let line_40 = garbage
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(40)
        .unwrap()
        .0
        + 1;
    garbage.splice(line_40..line_40, b"\x00\xffgarbage {\n".iter().copied());

    // (damage, file content, unreadable bytes, intact entries, chain intact)
    let cases: Vec<Damage> = vec![
        (
            "two bytes cut",
            whole[..whole.len() - 2].to_vec(),
            vec![],
            100,
            true,
        ),
        (
            "half cut",
            whole[..cut_at].to_vec(),
            whole[last_whole_line + 2..cut_at].to_vec(),
            (whole[..last_whole_line]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                - 1) as u64,
            true,
        ),
        ("zero length", vec![], vec![], 0, false),
        (
            "an object instead of an array",
            br#"{"entries": [1, 2]}"#.to_vec(),
            br#"{"entries": [1, 2]}"#.to_vec(),
            0,
            false,
        ),
        (
            "garbage between entries",
            garbage,
            b"\x00\xffgarbage {\n".to_vec(),
            100,
            true,
        ),
    ];
    for (damage, content, unreadable, kept, chain_intact) in cases {
        let cli = Cli::new();
        skill_log_of(&cli, 100);
        let path = cli.dir().join("audit_log.json");
        std::fs::write(&path, &content).unwrap();

        // Reading says what is wrong and how to mend it, and changes nothing.
        let read = cli.run(&["recent", "--skills"]);
        assert_eq!(read.code, 1, "{damage}: {read:?}");
        assert!(
            read.stderr.contains("auditlog repair"),
            "{damage}: {read:?}"
        );
        assert_eq!(std::fs::read(&path).unwrap(), content, "{damage}");

        let run = cli.run(&["record", "after.damage", "success"]).success();
        assert_eq!(run.stderr.lines().count(), 1, "{damage}: {run:?}");
        assert!(run.stderr.contains("repaired"), "{damage}: {run:?}");
        let recovered = &run.json()["details"]["recovered"][0];
        assert_eq!(recovered["kept"], kept, "{damage}: {recovered}");
        match recovered["moved_to"].as_str() {
            Some(aside) => {
                assert_eq!(aside, ".damaged.audit_log.1", "{damage}");
                assert_eq!(
                    std::fs::read(cli.dir().join(aside)).unwrap(),
                    unreadable,
                    "{damage}"
                );
            }
            None => assert!(unreadable.is_empty(), "{damage}"),
        }

        let entries = cli.skill_log();
        assert_eq!(entries.len() as u64, kept + 2, "{damage}");
        assert_eq!(
            seqs(&entries[..kept as usize]),
            (1..=kept).collect::<Vec<_>>(),
            "{damage}"
        );
        let recovery = &entries[kept as usize];
        assert_eq!(recovery["skill"], "auditlog.recovery", "{damage}");
        assert_eq!(recovery["status"], "recovered", "{damage}");
        assert_eq!(
            entries[kept as usize + 1]["skill"],
            "after.damage",
            "{damage}"
        );

        // The newest entries read back again, the repair first among them.
        let recent = cli
            .run(&["recent", "--skills", "--limit", "2", "--format", "jsonl"])
            .success();
        assert!(
            recent
                .stdout
                .lines()
                .nth(1)
                .unwrap()
                .contains("auditlog.recovery"),
            "{damage}"
        );
        let verify = cli.run(&["verify", "--skills"]);
        assert_eq!(verify.code == 0, chain_intact, "{damage}: {verify:?}");
    }
}

#[test]
fn a_garbage_line_in_a_day_file_is_found_by_verify_and_moved_aside_by_repair() {
    let cli = Cli::new();
    for i in 0..10 {
        cli.run_at(
            NOW,
            &[
                "tool",
                "--user",
                "alice",
                "--tool",
                &format!("t{i}"),
                "--status",
                "ok",
            ],
        )
        .success();
    }
    let day = cli.dir().join("alice/tool_audit/2025-10-23.jsonl");
    let text = std::fs::read_to_string(&day).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines.insert(5, "this line is not an entry");
    std::fs::write(&day, lines.join("\n") + "\n").unwrap();

    let verify = cli.run(&["verify"]);
    assert_eq!(verify.code, 1, "{verify:?}");
    assert!(verify.stderr.contains("line 6"), "{verify:?}");
    assert!(verify.stderr.contains("auditlog repair"), "{verify:?}");

    let repair = cli.run_at(NOW, &["repair"]).success();
    assert!(
        repair
            .stdout
            .contains("alice/tool_audit/.damaged.2025-10-23.1"),
        "{repair:?}"
    );
    assert_eq!(
        std::fs::read_to_string(cli.dir().join("alice/tool_audit/.damaged.2025-10-23.1")).unwrap(),
        "this line is not an entry\n"
    );
    let entries = cli.day_file("alice", "2025-10-23");
    assert_eq!(entries.len(), 11);
    let tools: Vec<&str> = entries
        .iter()
        .map(|e| e["tool"].as_str().unwrap())
        .collect();
    assert_eq!(
        tools[..10],
        ["t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9"]
    );
    assert_eq!(tools[10], "auditlog.recovery");
    cli.run(&["verify"]).success();
    let again = cli.run_at(NOW, &["repair"]).success();
    assert!(again.stdout.contains("nothing to repair"), "{again:?}");
}

/// The attack on a central store: one line of garbage larger than the
/// component's memory limit, in the middle of a day file or as its torn
/// end. Before, every command on the user failed with "exceeded its memory
/// limit", repair too; now verify names the line, queries read past it, an
/// append names the remedy, and repair moves it aside a piece at a time.
#[test]
fn a_line_of_garbage_larger_than_the_memory_limit_is_named_and_repaired() {
    const LIMIT: &str = "32"; // MiB
    let huge = "x".repeat(40 << 20);
    for torn in [false, true] {
        let cli = Cli::new();
        let run =
            |args: &[&str]| cli.run_at(NOW, &[&["--memory-limit-mb", LIMIT][..], args].concat());
        let tool = |name: &str| run(&["tool", "--user", "alice", "--tool", name, "--status", "ok"]);
        for name in ["t1", "t2", "t3"] {
            tool(name).success();
        }
        let day = cli.dir().join("alice/tool_audit/2025-10-23.jsonl");
        let mut bytes = std::fs::read(&day).unwrap();
        bytes.extend_from_slice(huge.as_bytes());
        if !torn {
            bytes.push(b'\n');
        }
        std::fs::write(&day, &bytes).unwrap();
        if !torn {
            tool("t4").success();
        }

        let verify = run(&["verify"]);
        assert_eq!(verify.code, 1, "{verify:?}");
        assert!(
            verify
                .stderr
                .contains("2025-10-23.jsonl line 4: is not an entry")
                && verify.stderr.contains("auditlog repair"),
            "{verify:?}"
        );
        let recent = run(&["recent", "--user", "alice"]).success().json();
        assert_eq!(recent.as_array().unwrap().len(), if torn { 3 } else { 4 });
        let stats = run(&["stats", "--user", "alice"]).success().json();
        assert_eq!(stats["total"], if torn { 3 } else { 4 });
        if torn {
            // An append cannot hold the torn end to move it aside: it names
            // the remedy and writes nothing.
            let before = cli.snapshot();
            let refused = tool("t4");
            assert_eq!(refused.code, 1, "{refused:?}");
            assert!(refused.stderr.contains("auditlog repair"), "{refused:?}");
            assert_eq!(cli.snapshot(), before);
        }

        let repair = run(&["repair"]).success();
        assert!(
            repair.stdout.contains(".damaged.2025-10-23.1"),
            "{repair:?}"
        );
        let aside =
            std::fs::read(cli.dir().join("alice/tool_audit/.damaged.2025-10-23.1")).unwrap();
        assert_eq!(aside.len(), huge.len() + usize::from(!torn));
        assert!(aside.starts_with(b"xxxx"));
        if torn {
            tool("t4").success();
        }
        run(&["verify"]).success();
        let tools: Vec<String> = cli
            .day_file("alice", "2025-10-23")
            .iter()
            .map(|e| e["tool"].as_str().unwrap().to_owned())
            .collect();
        let expected: &[&str] = if torn {
            &["t1", "t2", "t3", "auditlog.recovery", "t4"]
        } else {
            &["t1", "t2", "t3", "t4", "auditlog.recovery"]
        };
        assert_eq!(tools, expected);
    }
}

/// The same attack with a gzip bomb: 65 KB of `.gz` that inflates to
/// more than the component may read, put in another user's directory,
/// through the component's real memory limit. Before, every all-users read
/// and `repair` failed with the memory limit, naming nothing.
#[test]
fn a_gzip_bomb_in_a_users_directory_is_named_and_moved_aside_by_repair() {
    use std::io::Write;
    let cli = Cli::new();
    cli.run_at(
        NOW,
        &["tool", "--user", "alice", "--tool", "t", "--status", "ok"],
    )
    .success();
    let bob = cli.dir().join("bob/tool_audit");
    std::fs::create_dir_all(&bob).unwrap();
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![b'0'; 1 << 20];
    for _ in 0..300 {
        encoder.write_all(&zeros).unwrap();
    }
    let bomb = encoder.finish().unwrap();
    std::fs::write(bob.join("2025-10-20.jsonl.gz"), &bomb).unwrap();
    for args in [
        &["stats", "--all-users"][..],
        &["recent", "--all-users"],
        &["verify"],
    ] {
        let run = cli.run_at(NOW, args);
        assert_eq!(run.code, 1, "{args:?}: {run:?}");
        assert!(
            run.stderr
                .contains("bob/tool_audit/2025-10-20.jsonl.gz: inflates to more than 64 MiB"),
            "{args:?}: {run:?}"
        );
    }
    let repair = cli.run_at(NOW, &["repair"]).success();
    assert!(
        repair
            .stdout
            .contains("bob/tool_audit/.damaged.2025-10-20.1"),
        "{repair:?}"
    );
    assert_eq!(
        std::fs::read(bob.join(".damaged.2025-10-20.1")).unwrap(),
        bomb,
        "the bytes are kept aside whole"
    );
    let stats = cli.run_at(NOW, &["stats", "--all-users"]).success().json();
    assert_eq!(stats["by_user"]["alice"], 1);
    cli.run_at(NOW, &["verify"]).success();
}

#[test]
fn repair_leaves_a_whole_log_laid_out_otherwise_as_it_is() {
    // A skill log an editor saved with CRLF line ends (or the seed's own
    // layout) is whole: queries and verify read it. `repair` said "nothing
    // to repair" and yet wrote it anew; it now writes nothing.
    let cli = Cli::new();
    skill_log_of(&cli, 3);
    let log = cli.dir().join("audit_log.json");
    let crlf = String::from_utf8(std::fs::read(&log).unwrap())
        .unwrap()
        .replace('\n', "\r\n");
    std::fs::write(&log, &crlf).unwrap();
    cli.run(&["verify"]).success();
    let before = cli.snapshot();
    let repair = cli.run_at(NOW, &["repair"]).success();
    assert!(repair.stdout.contains("nothing to repair"), "{repair:?}");
    assert!(cli.snapshot() == before, "repair wrote to a whole log");
}

/// The files a shell glob matches in `dir`, relative to it.
fn shell_glob(dir: &std::path::Path, pattern: &str) -> BTreeSet<String> {
    let out = Command::new("sh")
        .current_dir(dir)
        .args([
            "-c",
            &format!("for f in {pattern}; do [ -e \"$f\" ] && echo \"$f\"; done"),
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn set_aside_bytes_stay_out_of_the_globs_analytics_engines_read_the_logs_by() {
    let cli = Cli::new();
    let skills = skill_log_of(&cli, 10);
    for i in 0..10 {
        let tool = format!("t{i}");
        cli.run_at(
            NOW,
            &["tool", "--user", "alice", "--tool", &tool, "--status", "ok"],
        )
        .success();
    }
    let day = cli.dir().join("alice/tool_audit/2025-10-23.jsonl");
    let text = std::fs::read_to_string(&day).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines.insert(3, "{\"torn\": ");
    std::fs::write(&day, lines.join("\n") + "\n").unwrap();
    let line_5 = skills
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(5)
        .unwrap()
        .0
        + 1;
    let mut damaged = skills.clone();
    damaged.splice(line_5..line_5, b"\x00\xffgarbage {\n".iter().copied());
    std::fs::write(cli.dir().join("audit_log.json"), &damaged).unwrap();

    let repair = cli.run_at(NOW, &["repair"]).success();
    for aside in [
        ".damaged.audit_log.1",
        "alice/tool_audit/.damaged.2025-10-23.1",
    ] {
        assert!(repair.stdout.contains(aside), "{aside}: {repair:?}");
    }

    // The bytes are where docs/durability.md says, exactly as they were.
    assert_eq!(
        std::fs::read(cli.dir().join(".damaged.audit_log.1")).unwrap(),
        b"\x00\xffgarbage {\n"
    );
    assert_eq!(
        std::fs::read(cli.dir().join("alice/tool_audit/.damaged.2025-10-23.1")).unwrap(),
        b"{\"torn\": \n"
    );
    // The globs reach the logs only, and every file they reach is JSON.
    for pattern in ["*/tool_audit/*.jsonl*", "*/tool_audit/*"] {
        let matched = shell_glob(&cli.dir(), pattern);
        assert_eq!(
            matched,
            BTreeSet::from(["alice/tool_audit/2025-10-23.jsonl".to_owned()]),
            "{pattern}"
        );
        for file in matched {
            let text = std::fs::read_to_string(cli.dir().join(&file)).unwrap();
            for line in text.lines() {
                serde_json::from_str::<Value>(line).unwrap_or_else(|e| panic!("{file}: {e}"));
            }
        }
    }
    let matched = shell_glob(&cli.dir(), "audit_log.json*");
    assert_eq!(matched, BTreeSet::from(["audit_log.json".to_owned()]));
    let skill_log = std::fs::read(cli.dir().join("audit_log.json")).unwrap();
    serde_json::from_slice::<Value>(&skill_log).unwrap();

    // A file set aside by an earlier version, named after the day file, is
    // not taken for one by any read.
    let before = cli
        .run(&["recent", "--user", "alice", "--format", "jsonl"])
        .success();
    std::fs::write(
        cli.dir()
            .join("alice/tool_audit/2025-10-23.jsonl.damaged.1"),
        "not an entry\n",
    )
    .unwrap();
    let after = cli
        .run(&["recent", "--user", "alice", "--format", "jsonl"])
        .success();
    assert_eq!(after.stdout, before.stdout);
    cli.run(&["verify"]).success();
}

#[test]
fn a_torn_day_file_is_repaired_by_the_next_tool_call() {
    let cli = Cli::new();
    cli.run_at(
        NOW,
        &["tool", "--user", "bob", "--tool", "a", "--status", "ok"],
    )
    .success();
    let day = cli.dir().join("bob/tool_audit/2025-10-23.jsonl");
    let mut bytes = std::fs::read(&day).unwrap();
    bytes.extend_from_slice(br#"{"ts":"2025-10-23T12:00:00Z","user":"bob","to"#);
    std::fs::write(&day, &bytes).unwrap();
    let run = cli
        .run_at(
            NOW,
            &["tool", "--user", "bob", "--tool", "b", "--status", "ok"],
        )
        .success();
    assert!(run.stderr.contains("ends in a torn entry"), "{run:?}");
    let tools: Vec<Value> = cli
        .day_file("bob", "2025-10-23")
        .iter()
        .map(|e| e["tool"].clone())
        .collect();
    assert_eq!(tools, ["a", "auditlog.recovery", "b"]);
    cli.run(&["verify"]).success();
}

/// Runs the CLI with a file-size limit of `limit` bytes (SIGXFSZ left at its
/// default: the CLI must ignore it itself).
fn run_with_file_size_limit(cli: &Cli, limit: u64, args: &[&str]) -> Run {
    run_limited_at(cli, limit, NOW, args)
}

/// Has the compiled component cached before a run under a file-size limit:
/// compiling it writes the code to a memory file, which the limit also
/// bounds, so a cold cache would fail the run before it reaches the log
/// (a real full disk does not limit memory files). A read in a directory of
/// its own compiles and caches it, and writes nothing.
fn warm_component_cache() {
    let dir = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_auditlog"))
        .arg("--dir")
        .arg(dir.path())
        .args(["recent", "--skills"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
}

/// [`run_with_file_size_limit`] at `now`.
#[allow(unsafe_code)]
fn run_limited_at(cli: &Cli, limit: u64, now: &str, args: &[&str]) -> Run {
    use std::os::unix::process::CommandExt;
    warm_component_cache();
    let mut command = Command::new(env!("CARGO_BIN_EXE_auditlog"));
    command
        .arg("--dir")
        .arg(cli.dir())
        .args(args)
        .env("AUDITLOG_NOW", now)
        .stdin(Stdio::null());
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        command.pre_exec(move || {
            let rlimit = libc::rlimit {
                rlim_cur: limit,
                rlim_max: limit,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &rlimit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let output = command.output().unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

#[test]
fn a_file_size_limit_fails_cleanly_and_the_next_call_succeeds() {
    let cli = Cli::new();
    for i in 0..3 {
        cli.run_at(
            NOW,
            &[
                "tool",
                "--user",
                "carol",
                "--tool",
                &format!("t{i}"),
                "--status",
                "ok",
            ],
        )
        .success();
        cli.run_at(NOW, &["record", &format!("s.n{i}"), "success"])
            .success();
    }
    let day = cli.dir().join("carol/tool_audit/2025-10-23.jsonl");
    let skill = cli.dir().join("audit_log.json");
    let before = cli.snapshot_logs();

    // Room for a few bytes more than the files hold: the write starts, then fails.
    let limit = std::fs::metadata(&day)
        .unwrap()
        .len()
        .max(std::fs::metadata(&skill).unwrap().len())
        + 10;
    let big = "x".repeat(400);
    let tool = run_with_file_size_limit(
        &cli,
        limit,
        &[
            "tool",
            "--user",
            "carol",
            "--tool",
            "big",
            "--status",
            "ok",
            "--args",
            &format!(r#"{{"a":"{big}"}}"#),
        ],
    );
    assert_eq!(tool.code, 1, "{tool:?}");
    assert_eq!(tool.stderr.lines().count(), 1, "{tool:?}");
    assert!(
        tool.stderr
            .contains("no space left on device or file too large"),
        "{tool:?}"
    );
    let record = run_with_file_size_limit(
        &cli,
        limit,
        &[
            "record",
            "s.big",
            "success",
            "1",
            "",
            &format!(r#"{{"a":"{big}"}}"#),
        ],
    );
    assert_eq!(record.code, 1, "{record:?}");
    assert_eq!(record.json()["ok"], false, "{record:?}");
    assert_eq!(cli.snapshot_logs(), before, "no partial entry stays behind");

    // Once there is room again, the same calls succeed and the chains hold.
    cli.run_at(
        NOW,
        &["tool", "--user", "carol", "--tool", "big", "--status", "ok"],
    )
    .success();
    cli.run_at(NOW, &["record", "s.big", "success"]).success();
    assert_eq!(cli.day_file("carol", "2025-10-23").len(), 4);
    assert_eq!(cli.skill_log().len(), 4);
    cli.run(&["verify"]).success();
}

/// Attack: the disk is full when the very first entry of each log is
/// recorded. Both calls fail, and no log file is left behind — no empty
/// `audit_log.json`, no index, no empty day file; only the (empty) lock
/// files the writers took.
#[test]
fn a_first_entry_on_a_full_disk_leaves_no_log_file() {
    let cli = Cli::new();
    std::fs::create_dir_all(cli.dir()).unwrap();
    let record = run_with_file_size_limit(&cli, 2, &["record", "s.first", "success"]);
    assert_eq!(record.code, 1, "{record:?}");
    assert_eq!(record.json()["ok"], false, "{record:?}");
    let tool = run_with_file_size_limit(
        &cli,
        2,
        &["tool", "--user", "carol", "--tool", "t", "--status", "ok"],
    );
    assert_eq!(tool.code, 1, "{tool:?}");
    assert!(
        tool.stderr
            .contains("no space left on device or file too large"),
        "{tool:?}"
    );
    let left: Vec<String> = cli
        .snapshot()
        .into_iter()
        .map(|(path, bytes)| {
            assert!(bytes.is_empty(), "{}: {bytes:?}", path.display());
            path.strip_prefix(cli.dir()).unwrap().display().to_string()
        })
        .collect();
    assert_eq!(left, [".audit_log.lock", "carol/tool_audit/.lock"]);

    // With room, the same calls start both logs.
    cli.run_at(NOW, &["record", "s.first", "success"]).success();
    cli.run_at(
        NOW,
        &["tool", "--user", "carol", "--tool", "t", "--status", "ok"],
    )
    .success();
    assert_eq!(cli.skill_log().len(), 1);
    assert_eq!(cli.day_file("carol", "2025-10-23").len(), 1);
    cli.run(&["verify"]).success();
}

/// Attack: with compression on, the disk fills after the call's entry is
/// written, while the day before is being gzipped. The call tells the
/// truth: it succeeds (exit 0, the entry printed and stored) with a warning
/// on stderr, and the next run of the policy finishes the compression.
#[test]
fn an_entry_written_before_compression_fails_succeeds_with_a_warning() {
    let cli = Cli::new();
    // Three entries of noise that gzip cannot shrink below the limit.
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    for i in 0..3 {
        let noise: String = (0..500)
            .map(|_| {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                char::from_digit(((state >> 33) % 36) as u32, 36).unwrap()
            })
            .collect();
        cli.run_at(
            "2025-10-20T10:00:00Z",
            &[
                "tool",
                "--user",
                "al",
                "--tool",
                &format!("t{i}"),
                "--status",
                "ok",
                "--args",
                &format!(r#"{{"blob":"{noise}"}}"#),
            ],
        )
        .success();
    }
    let day20 = cli.dir().join("al/tool_audit/2025-10-20.jsonl");
    let old_day = std::fs::read(&day20).unwrap();

    let late = run_limited_at(
        &cli,
        600,
        "2025-10-23T10:00:00Z",
        &[
            "--compress",
            "true",
            "tool",
            "--user",
            "al",
            "--tool",
            "late",
            "--status",
            "ok",
        ],
    );
    assert_eq!(late.code, 0, "{late:?}");
    let stored = cli.day_file("al", "2025-10-23");
    assert_eq!(stored.len(), 1);
    assert_eq!(
        serde_json::from_str::<Value>(late.stdout.trim()).unwrap(),
        stored[0],
        "the printed entry is the stored one"
    );
    assert_eq!(late.stderr.lines().count(), 1, "{late:?}");
    assert!(
        late.stderr.starts_with(
            "auditlog: warning: al/tool_audit: the rotation policy did not finish \
             (storage failed: no space left on device or file too large)"
        ),
        "{late:?}"
    );
    assert_eq!(
        std::fs::read(&day20).unwrap(),
        old_day,
        "the old day is intact"
    );
    let leftovers: Vec<_> = cli
        .snapshot()
        .into_keys()
        .filter(|p| p.to_string_lossy().ends_with(".tmp"))
        .collect();
    assert_eq!(leftovers, Vec::<std::path::PathBuf>::new());

    // The next run of the policy, with room, finishes the job.
    cli.run_at("2025-10-23T11:00:00Z", &["--compress", "true", "rotate"])
        .success();
    assert!(!day20.exists());
    assert!(day20.with_extension("jsonl.gz").exists());
    cli.run(&["verify"]).success();
}

/// Attack: room for the first skill run but not for the log's index after
/// it. The run is stored, so `record` says so: `ok: true`, exit 0, the
/// index's failure a warning in `details.warnings` and on stderr; the next
/// call, with room, rebuilds the index.
#[test]
fn a_skill_run_stored_before_its_index_fails_succeeds_with_a_warning() {
    let cli = Cli::new();
    std::fs::create_dir_all(cli.dir()).unwrap();
    // The entry's file is a few hundred bytes; the index is two 512-byte copies.
    let first = run_with_file_size_limit(&cli, 700, &["record", "s.first", "success"]);
    assert_eq!(first.code, 0, "{first:?}");
    let response = first.json();
    assert_eq!(response["ok"], true, "{first:?}");
    let warning = response["details"]["warnings"][0].as_str().unwrap();
    assert!(
        warning.starts_with(".audit_log.state: the index was not updated"),
        "{warning}"
    );
    assert_eq!(first.stderr, format!("auditlog: warning: {warning}\n"));
    assert_eq!(
        cli.skill_log(),
        [response["details"]["audit_entry"].clone()]
    );

    let second = cli
        .run_at(NOW, &["record", "s.second", "success"])
        .success();
    assert!(
        second.json()["details"].get("warnings").is_none(),
        "{second:?}"
    );
    assert_eq!(second.stderr, "");
    assert_eq!(second.json()["details"]["total_entries"], 2);
    cli.run(&["verify"]).success();
}

#[test]
fn every_sync_mode_writes_the_same_entries() {
    let mut seen = BTreeSet::new();
    for mode in ["never", "batch", "always"] {
        let cli = Cli::new();
        cli.run_at(NOW, &["--sync", mode, "record", "s.x", "success", "5"])
            .success();
        cli.run_at(
            NOW,
            &[
                "--sync", mode, "tool", "--user", "dan", "--tool", "t", "--status", "ok",
            ],
        )
        .success();
        let entries = (cli.skill_log(), cli.day_file("dan", "2025-10-23"));
        seen.insert(format!("{entries:?}"));
    }
    assert_eq!(seen.len(), 1, "{seen:?}");
    Cli::new()
        .run(&["--sync", "sometimes", "record", "s.x", "success"])
        .refused("--sync");
}

#[test]
fn threads_sharing_a_batch_flush_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let log = auditlog::AuditLog::builder(dir.path())
        .sync(auditlog::SyncMode::Batch)
        .open()
        .unwrap();
    std::thread::scope(|s| {
        for t in 0..4 {
            let log = &log;
            s.spawn(move || {
                for i in 0..25 {
                    log.append_tool(&auditlog::ToolCall::new("erin", format!("t{t}.{i}"), "ok"))
                        .unwrap();
                }
            });
        }
    });
    let page = log
        .recent(
            &auditlog::Query::new(auditlog::Filter::new(auditlog::Source::User("erin".into())))
                .limit(1000),
        )
        .unwrap();
    let tools: BTreeSet<String> = page
        .entries
        .iter()
        .map(|e| e["tool"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(tools.len(), 100);
}
