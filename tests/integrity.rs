//! `auditlog verify`: untouched logs verify; every kind of tampering is named.

use std::path::{Path, PathBuf};

use crate::support::Cli;

const NOW: &str = "2025-10-23T12:00:00Z";

fn seed_tools(cli: &Cli, n: usize, extra: &[&str]) {
    for i in 0..n {
        let mut args = extra.to_vec();
        let tool = format!("t{i}");
        args.extend([
            "tool",
            "--user",
            "alice",
            "--tool",
            tool.as_str(),
            "--status",
            "ok",
        ]);
        cli.run_at(NOW, &args).success();
    }
}

fn day_file(cli: &Cli) -> PathBuf {
    cli.dir().join("alice/tool_audit/2025-10-23.jsonl")
}

fn edit(path: &Path, f: impl FnOnce(&mut Vec<String>)) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    f(&mut lines);
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
}

#[test]
fn untouched_logs_verify_and_tampering_is_named() {
    let cli = Cli::new();
    seed_tools(&cli, 5, &[]);
    for i in 0..3 {
        cli.run_at(NOW, &["record", &format!("s{i}"), "success"])
            .success();
    }
    let ok = cli.run(&["verify"]).success();
    assert_eq!(ok.stdout, "8 entries verified\n");

    let original = std::fs::read_to_string(day_file(&cli)).unwrap();
    type Tamper = fn(&mut Vec<String>);
    let cases: [(&str, Tamper, &str); 4] = [
        (
            "edit one byte",
            |l| l[2] = l[2].replacen("\"t2\"", "\"t9\"", 1),
            "line 3 (seq 3): does not match its link: modified",
        ),
        (
            "delete a middle line",
            |l| {
                l.remove(2);
            },
            "line 3 (seq 4): follows seq 2: entry 3 was removed",
        ),
        (
            "swap two lines",
            |l| l.swap(1, 2),
            "line 2 (seq 3): comes before seq 2: entries were reordered",
        ),
        (
            "insert a copied line",
            |l| {
                let copy = l[1].clone();
                l.insert(2, copy);
            },
            "line 3 (seq 2): comes after seq 2",
        ),
    ];
    for (what, tamper, expected) in cases {
        std::fs::write(day_file(&cli), &original).unwrap();
        edit(&day_file(&cli), tamper);
        let run = cli.run(&["verify"]);
        assert_eq!(run.code, 1, "{what}: {run:?}");
        assert!(
            run.stderr.contains("alice/tool_audit/2025-10-23.jsonl"),
            "{what}: {}",
            run.stderr
        );
        assert!(run.stderr.contains(expected), "{what}: {}", run.stderr);
        assert_eq!(run.stderr.lines().count(), 1);
    }
}

#[test]
fn a_checkpoint_catches_entries_cut_from_the_end() {
    let cli = Cli::new();
    seed_tools(&cli, 4, &[]);
    let checkpoint = cli.outside().join("checkpoint.json");
    let path = checkpoint.to_str().unwrap();
    cli.run(&["verify", "--checkpoint", path]).success();
    assert!(checkpoint.exists());
    edit(&day_file(&cli), |l| {
        l.pop();
    });
    cli.run(&["verify"]).success();
    let run = cli.run(&["verify", "--checkpoint", path]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr
            .contains("ends at seq 3 but the checkpoint recorded seq 4"),
        "{}",
        run.stderr
    );
    let inside = cli.dir().join("checkpoint.json");
    cli.run(&["verify", "--checkpoint", inside.to_str().unwrap()])
        .refused("--checkpoint");
}

/// A checkpoint damaged on its way (its link cut short, or not hex) is
/// refused as the checkpoint's fault, leaving it and the log as they were,
/// never reported as an entry of the log modified; one upper-cased by some
/// tool still reads.
#[test]
fn a_damaged_checkpoint_is_refused_not_blamed_on_the_log() {
    let cli = Cli::new();
    seed_tools(&cli, 3, &[]);
    let checkpoint = cli.outside().join("checkpoint.json");
    let path = checkpoint.to_str().unwrap();
    cli.run(&["verify", "--checkpoint", path]).success();
    let written = std::fs::read_to_string(&checkpoint).unwrap();
    let recorded: serde_json::Value = serde_json::from_str(&written).unwrap();
    let link = recorded["logs"]["alice"]["link"]
        .as_str()
        .unwrap()
        .to_owned();
    for damaged in [&link[..20], &format!("{}Z", &link[1..])] {
        std::fs::write(&checkpoint, written.replace(&link, damaged)).unwrap();
        let before = cli.snapshot();
        let run = cli
            .run(&["verify", "--checkpoint", path])
            .refused("checkpoint");
        assert!(
            run.stderr.contains("64 hexadecimal digits") && !run.stderr.contains("modified"),
            "{run:?}"
        );
        assert_eq!(cli.snapshot(), before);
        assert_eq!(
            std::fs::read_to_string(&checkpoint).unwrap(),
            written.replace(&link, damaged)
        );
    }
    // Ends no verify records: a log named like no log, a seq of 0.
    for damaged in [
        written.replace("\"alice\"", "\"../alice\""),
        written.replace("\"seq\": 3", "\"seq\": 0"),
    ] {
        assert_ne!(damaged, written);
        std::fs::write(&checkpoint, &damaged).unwrap();
        let run = cli
            .run(&["verify", "--checkpoint", path])
            .refused("checkpoint");
        assert!(run.stderr.contains("is not one verify records"), "{run:?}");
    }
    std::fs::write(&checkpoint, written.replace(&link, &link.to_uppercase())).unwrap();
    cli.run(&["verify", "--checkpoint", path]).success();
    assert_eq!(std::fs::read_to_string(&checkpoint).unwrap(), written);
}

#[test]
fn keyed_mode_resists_a_recomputed_plain_chain() {
    let cli = Cli::new();
    let key = cli.outside().join("chain.key");
    crate::support::write_secret(&key, "a secret key that is long enough\n").unwrap();
    let key_arg = key.to_str().unwrap();
    seed_tools(&cli, 3, &["--key-file", key_arg]);
    let line = std::fs::read_to_string(day_file(&cli)).unwrap();
    assert!(line.contains("\"mac\":"), "{line}");
    assert!(!line.contains("a secret key"), "the key is never written");
    cli.run(&["--key-file", key_arg, "verify"]).success();

    // Recompute a plain SHA-256 chain over a forged entry, under the `mac` name.
    edit(&day_file(&cli), |lines| {
        use sha2::{Digest, Sha256};
        let mut prev = [0u8; 32];
        for line in lines.iter_mut() {
            let mut entry: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(line).unwrap();
            entry.remove("mac");
            entry.insert("tool".into(), "forged".into());
            let mut sorted: Vec<(&String, &serde_json::Value)> = entry.iter().collect();
            sorted.sort_by(|a, b| a.0.cmp(b.0));
            let canonical = serde_json::to_string(
                &sorted
                    .into_iter()
                    .collect::<std::collections::BTreeMap<_, _>>(),
            )
            .unwrap();
            let link: [u8; 32] = Sha256::new()
                .chain_update(prev)
                .chain_update(canonical.as_bytes())
                .finalize()
                .into();
            entry.insert(
                "mac".into(),
                link.iter()
                    .map(|b| format!("{b:02x}"))
                    .collect::<String>()
                    .into(),
            );
            prev = link;
            *line = serde_json::to_string(&entry).unwrap();
        }
    });
    let run = cli.run(&["--key-file", key_arg, "verify"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr
            .contains("line 1 (seq 1): does not match its link: modified"),
        "{}",
        run.stderr
    );

    let inside = cli.dir().join("chain.key");
    crate::support::write_secret(&inside, "a secret key that is long enough\n").unwrap();
    cli.run(&["--key-file", inside.to_str().unwrap(), "verify"])
        .refused("--key-file");
    let short = cli.outside().join("short.key");
    crate::support::write_secret(&short, "short").unwrap();
    cli.run(&["--key-file", short.to_str().unwrap(), "verify"])
        .refused("key");
}

#[test]
fn retention_keeps_a_large_skill_log_verifiable() {
    let dir = tempfile::tempdir().unwrap();
    let log = auditlog::AuditLog::builder(dir.path())
        .max_entries(10_000)
        .open()
        .unwrap();
    for i in 0..10_250 {
        log.append_skill(&auditlog::SkillRun::new(format!("s{i}"), "success"))
            .unwrap();
    }
    let report = log.verify(None, &[]).unwrap();
    assert_eq!(report.problem, None);
    assert_eq!(report.entries, 10_000);
    assert_eq!(report.ends[0].seq, 10_250);
}

/// The component run by the host hashes with the host's SHA-256 (the
/// `digest` import); natively and in other runtimes it hashes in software.
/// Each must verify the other's chains, plain and keyed, in both logs.
#[test]
fn chains_linked_with_the_hosts_sha256_are_the_ones_software_computes() {
    use auditlog_guest::{Engine, FsStorage};
    use auditlog_model::settings::SettingsUpdate;
    use auditlog_model::{SkillRun, ToolCall};

    let key_text = "a secret key that is long enough";
    for keyed in [false, true] {
        let cli = Cli::new();
        let key = cli.outside().join("chain.key");
        crate::support::write_secret(&key, key_text).unwrap();
        let key_arg = key.to_str().unwrap();
        let key_args: &[&str] = if keyed { &["--key-file", key_arg] } else { &[] };
        seed_tools(&cli, 3, key_args);
        cli.run(&[key_args, &["record", "workflow.compose", "success", "5"]].concat())
            .success();

        let mut native = Engine::new(FsStorage::new(cli.dir().to_path_buf()));
        if keyed {
            let update = SettingsUpdate {
                chain_key: Some(key_text.as_bytes().to_vec()),
                ..SettingsUpdate::default()
            };
            native.configure(&update).unwrap();
        }
        let report = native.verify(None, &[]).unwrap();
        assert_eq!(
            (report.entries, report.problem.map(|p| p.reason)),
            (4, None),
            "keyed: {keyed}"
        );

        native
            .append_tool(&ToolCall {
                user: "alice".into(),
                tool: "native".into(),
                args: "{}".into(),
                status: "ok".into(),
                output: String::new(),
            })
            .unwrap();
        native
            .append_skill(&SkillRun {
                skill: "workflow.native".into(),
                status: "success".into(),
                duration_ms: None,
                errors: None,
                metadata: None,
            })
            .unwrap();
        let verified = cli.run(&[key_args, &["verify"]].concat()).success().stdout;
        assert_eq!(verified, "6 entries verified\n", "keyed: {keyed}");
    }
}

// ---------------------------------------------------------------------------
// Nothing hidden from a verified log (issue 15): each test is an attack that
// hides an entry from `recent`/`stats` or removes a log, and `verify` must
// name it.
// ---------------------------------------------------------------------------

/// The tools `recent` shows for `user`, newest first.
fn recent_tools(cli: &Cli, user: &str) -> Vec<String> {
    let run = cli
        .run_at(NOW, &["recent", "--user", user, "--format", "json"])
        .success();
    run.json()
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["tool"].as_str().unwrap().to_owned())
        .collect()
}

#[track_caller]
fn fails_naming(run: crate::support::Run, expected: &str) {
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains(expected),
        "expected {expected:?}: {}",
        run.stderr
    );
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
}

#[test]
fn a_repeated_key_that_hides_an_entry_from_queries_fails_verify() {
    let key_text = "a secret key that is long enough";
    for keyed in [false, true] {
        let cli = Cli::new();
        let key = cli.outside().join("chain.key");
        crate::support::write_secret(&key, key_text).unwrap();
        let key_arg = key.to_str().unwrap();
        let key_args: &[&str] = if keyed { &["--key-file", key_arg] } else { &[] };
        seed_tools(&cli, 3, key_args);
        let checkpoint = cli.outside().join("checkpoint.json");
        let checkpoint_args = ["verify", "--checkpoint", checkpoint.to_str().unwrap()];
        cli.run(&[key_args, &checkpoint_args].concat()).success();

        // Readers keeping the first or the last of a repeated key disagree
        // on this entry's status; queries skip it.
        edit(&day_file(&cli), |l| {
            l[1] = l[1].replacen('{', r#"{"status":"denied","#, 1);
        });
        assert_eq!(recent_tools(&cli, "alice"), ["t2", "t0"], "keyed: {keyed}");
        let expected =
            "alice/tool_audit/2025-10-23.jsonl line 2 (seq 2): holds the key status more than once";
        fails_naming(cli.run(&[key_args, &["verify"]].concat()), expected);
        fails_naming(cli.run(&[key_args, &checkpoint_args].concat()), expected);

        // Deeper down: a repeated key inside args.
        edit(&day_file(&cli), |l| {
            l[1] = l[1].replacen(r#"{"status":"denied","#, "{", 1);
            l[2] = l[2].replacen(
                r#""args":{}"#,
                r#""args":{"path":"/etc/shadow","path":"x"}"#,
                1,
            );
        });
        fails_naming(
            cli.run(&[key_args, &["verify"]].concat()),
            "line 3 (seq 3): holds the key args.path more than once",
        );
    }
}

#[test]
fn a_skill_entry_laid_out_where_queries_do_not_look_fails_verify() {
    type Relayout = fn(&str) -> String;
    // Each keeps the file's size and its ends, so the index still matches.
    let cases: [(&str, usize, Relayout); 2] = [
        ("the last entry dedented", 4, |l| {
            l.replacen(r#"  {"timestamp":"#, r#"{"timestamp":  "#, 1)
        }),
        ("a middle entry indented with a tab", 3, |l| {
            l.replacen(r#"  {"timestamp":"#, "\t{\"timestamp\": ", 1)
        }),
    ];
    for (what, line, relayout) in cases {
        let cli = Cli::new();
        for skill in ["s0", "s1", "s2"] {
            cli.run_at(NOW, &["record", skill, "success"]).success();
        }
        let path = cli.dir().join("audit_log.json");
        let size = std::fs::metadata(&path).unwrap().len();
        edit(&path, |l| l[line - 1] = relayout(&l[line - 1]));
        assert_eq!(std::fs::metadata(&path).unwrap().len(), size, "{what}");
        let shown = cli
            .run_at(NOW, &["recent", "--skills", "--format", "json"])
            .success()
            .json();
        assert_eq!(
            shown.as_array().unwrap().len(),
            2,
            "{what}: queries skip it"
        );
        fails_naming(
            cli.run(&["verify"]),
            &format!(
                "audit_log.json line {line} (seq {}): is not laid out as an entry line",
                line - 1
            ),
        );
    }
}

#[test]
fn an_entry_moved_into_the_previous_days_file_fails_verify() {
    let cli = Cli::new();
    for (now, tool) in [
        ("2025-10-22T22:00:00Z", "monday"),
        ("2025-10-23T09:00:00Z", "tuesday"),
        ("2025-10-23T10:00:00Z", "later"),
    ] {
        cli.run_at(
            now,
            &["tool", "--user", "alice", "--tool", tool, "--status", "ok"],
        )
        .success();
    }
    cli.run(&["verify"]).success();
    // seq 2 moves to the end of the 22nd: seq order and links still hold,
    // and `recent --since 2025-10-23` would no longer open that file for it.
    let mut moved = String::new();
    edit(&day_file(&cli), |l| moved = l.remove(0));
    let monday = cli.dir().join("alice/tool_audit/2025-10-22.jsonl");
    edit(&monday, |l| l.push(moved));
    fails_naming(
        cli.run(&["verify"]),
        "alice/tool_audit/2025-10-22.jsonl line 2 (seq 2): is an entry of 2025-10-23 in another day's file: moved",
    );
}

#[test]
fn user_directories_renamed_copied_swapped_or_deleted_fail_verify() {
    type Attack = fn(&Path);
    let rename: Attack = |d| std::fs::rename(d.join("alice"), d.join("carol")).unwrap();
    let copy: Attack = |d| {
        std::fs::create_dir_all(d.join("carol/tool_audit")).unwrap();
        let from = d.join("alice/tool_audit/2025-10-23.jsonl");
        std::fs::copy(from, d.join("carol/tool_audit/2025-10-23.jsonl")).unwrap();
    };
    let swap: Attack = |d| {
        std::fs::rename(d.join("alice"), d.join("tmp")).unwrap();
        std::fs::rename(d.join("bob"), d.join("alice")).unwrap();
        std::fs::rename(d.join("tmp"), d.join("bob")).unwrap();
    };
    let delete: Attack = |d| std::fs::remove_dir_all(d.join("alice")).unwrap();
    let empty: Attack =
        |d| std::fs::remove_file(d.join("alice/tool_audit/2025-10-23.jsonl")).unwrap();
    let missing =
        "alice/tool_audit: the checkpoint recorded seq 3 for user alice, but the log is missing";
    let cases: [(&str, Attack, Option<&str>, &str); 5] = [
        (
            "rename",
            rename,
            Some(
                "carol/tool_audit/2025-10-23.jsonl line 1 (seq 1): is an entry of user \"alice\" in another user's log",
            ),
            missing,
        ),
        (
            "copy",
            copy,
            Some(
                "carol/tool_audit/2025-10-23.jsonl line 1 (seq 1): is an entry of user \"alice\" in another user's log",
            ),
            "carol/tool_audit/2025-10-23.jsonl line 1 (seq 1): is an entry of user \"alice\"",
        ),
        (
            "swap",
            swap,
            Some(
                "alice/tool_audit/2025-10-23.jsonl line 1 (seq 1): is an entry of user \"bob\" in another user's log",
            ),
            "alice/tool_audit/2025-10-23.jsonl line 1 (seq 1): is an entry of user \"bob\"",
        ),
        // Without a checkpoint nothing remembers that alice existed.
        ("delete", delete, None, missing),
        (
            "empty",
            empty,
            None,
            "alice/tool_audit: the checkpoint recorded seq 3, but the log is empty",
        ),
    ];
    for (what, attack, plain, with_checkpoint) in cases {
        let cli = Cli::new();
        seed_tools(&cli, 3, &[]);
        cli.run_at(
            NOW,
            &["tool", "--user", "bob", "--tool", "b", "--status", "ok"],
        )
        .success();
        let checkpoint = cli.outside().join("checkpoint.json");
        let checkpoint_args = ["verify", "--checkpoint", checkpoint.to_str().unwrap()];
        cli.run(&checkpoint_args).success();
        attack(&cli.dir());
        match plain {
            Some(expected) => fails_naming(cli.run(&["verify"]), expected),
            None => {
                cli.run(&["verify"]).success();
            }
        }
        let before = std::fs::read(&checkpoint).unwrap();
        let run = cli.run(&checkpoint_args);
        assert!(
            run.stderr.contains(with_checkpoint),
            "{what}: {}",
            run.stderr
        );
        fails_naming(run, with_checkpoint);
        assert_eq!(
            std::fs::read(&checkpoint).unwrap(),
            before,
            "{what}: a failed verify keeps the checkpoint"
        );
    }
}

#[test]
fn verifying_a_user_whose_log_was_deleted_whole_or_never_written_fails_naming_it() {
    let cli = Cli::new();
    seed_tools(&cli, 3, &[]);
    cli.run(&["verify", "--user", "alice"]).success();
    let missing = "alice/tool_audit: there is no log for user alice here";
    // Its day files deleted, the directory and lock file left.
    let tool_dir = cli.dir().join("alice/tool_audit");
    for file in std::fs::read_dir(&tool_dir).unwrap() {
        let path = file.unwrap().path();
        if path.extension().is_some_and(|e| e == "jsonl") {
            std::fs::remove_file(path).unwrap();
        }
    }
    fails_naming(cli.run(&["verify", "--user", "alice"]), missing);
    std::fs::remove_dir_all(cli.dir().join("alice")).unwrap();
    fails_naming(cli.run(&["verify", "--user", "alice"]), missing);
    // A mistyped name is not a log that verifies either.
    fails_naming(
        cli.run(&["verify", "--user", "alcie"]),
        "alcie/tool_audit: there is no log for user alcie here",
    );
    // Every user's logs: nothing remembers alice without a checkpoint.
    cli.run(&["verify", "--all-users"]).success();
}

#[test]
fn a_clock_that_steps_back_neither_forks_a_chain_nor_hides_an_entry() {
    let cli = Cli::new();
    let tool = |now: &str, name: &str| {
        cli.run_at(
            now,
            &["tool", "--user", "alice", "--tool", name, "--status", "ok"],
        )
    };
    tool("2025-10-24T00:30:00Z", "after_midnight").success();
    // Back across UTC midnight, then back within the day.
    tool("2025-10-23T23:50:00Z", "stepped_back").success();
    tool("2025-10-24T00:10:00Z", "still_behind").success();
    assert!(
        !day_file(&cli).exists(),
        "no entry goes to an older day's file"
    );
    let entries = cli.day_file("alice", "2025-10-24");
    let seqs: Vec<u64> = entries.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, [1, 2, 3]);
    for entry in &entries {
        assert_eq!(
            entry["ts"], "2025-10-24T00:30:00Z",
            "the chain's time never goes back"
        );
    }

    // The skill log's timestamps never go back either.
    cli.run_at("2025-10-24T00:30:00Z", &["record", "s1", "success"])
        .success();
    cli.run_at("2025-10-23T23:50:00Z", &["record", "s2", "success"])
        .success();
    let stamps: Vec<_> = cli
        .skill_log()
        .iter()
        .map(|e| e["timestamp"].clone())
        .collect();
    assert_eq!(stamps, ["2025-10-24T00:30:00.000Z"; 2]);

    // A clock before 1970 is refused by name, and nothing is written.
    let before = cli.snapshot_logs();
    tool("1969-12-31T23:59:59Z", "impossible").refused("clock");
    cli.run_at("1969-12-31T23:59:59Z", &["record", "s", "success"])
        .refused("clock");
    assert_eq!(cli.snapshot_logs(), before);

    cli.run(&["verify"]).success();
    let repair = cli.run_at("2025-10-23T23:55:00Z", &["repair"]).success();
    assert!(
        repair.stdout.contains("nothing to repair"),
        "{}",
        repair.stdout
    );
    let since = cli
        .run_at(
            "2025-10-24T01:00:00Z",
            &[
                "recent",
                "--user",
                "alice",
                "--since",
                "2025-10-24",
                "--format",
                "json",
            ],
        )
        .success();
    assert_eq!(since.json().as_array().unwrap().len(), 3);
}

/// The attack: someone without the key adds a field named like the other
/// mode's link (`hash` beside a keyed entry's `mac`, `mac` beside a plain
/// entry's `hash`) to a sealed entry, holding whatever they want read into
/// it. The link covers it like any other field, so `verify` names the entry.
#[test]
fn a_link_field_of_the_other_mode_added_to_an_entry_fails_verify() {
    let key_text = "a secret key that is long enough";
    for keyed in [false, true] {
        for added in [r#"{"approved_by":"CISO"}"#, r#""00""#, "null"] {
            let cli = Cli::new();
            let key = cli.outside().join("chain.key");
            crate::support::write_secret(&key, key_text).unwrap();
            let key = key.to_str().unwrap();
            let with_key: &[&str] = if keyed { &["--key-file", key] } else { &[] };
            let (own, other) = if keyed {
                ("mac", "hash")
            } else {
                ("hash", "mac")
            };
            seed_tools(&cli, 3, with_key);
            for skill in ["s.1", "s.2", "s.3"] {
                cli.run_at(NOW, &[with_key, &["record", skill, "success"]].concat())
                    .success();
            }
            let verify = || cli.run_at(NOW, &[with_key, &["verify", "--require-seal"]].concat());
            verify().success();

            edit(&day_file(&cli), |lines| {
                lines[1] = lines[1].replacen(
                    &format!(",\"{own}\""),
                    &format!(",\"{other}\":{added},\"{own}\""),
                    1,
                );
            });
            fails_naming(
                verify(),
                "alice/tool_audit/2025-10-23.jsonl line 2 (seq 2): does not match its link",
            );
            let fixed = std::fs::read_to_string(day_file(&cli))
                .unwrap()
                .replace(&format!(",\"{other}\":{added}"), "");
            std::fs::write(day_file(&cli), fixed).unwrap();
            verify().success();

            let skills = cli.dir().join("audit_log.json");
            let text = std::fs::read_to_string(&skills).unwrap();
            let at = text.find("\"s.2\"").unwrap() + "\"s.2\"".len();
            let mut forged = text.clone();
            forged.insert_str(at, &format!(", \"{other}\": {added}"));
            std::fs::write(&skills, forged).unwrap();
            let run = verify();
            assert_eq!(run.code, 1, "{keyed} {added}: {run:?}");
            assert!(
                run.stderr.contains("audit_log.json") && run.stderr.contains("(seq 2)"),
                "{keyed} {added}: {}",
                run.stderr
            );
        }
    }
}
