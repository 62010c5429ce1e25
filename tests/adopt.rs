//! `auditlog adopt` and verify's legacy lines, as a user migrating from the
//! seed scripts meets them: a skill log `audit_log.py` wrote and a tool log
//! with `tool_audit.py`'s lines, then our appends after them.

use std::path::PathBuf;

use auditlog::{AuditLog, Error};

use crate::support::{Cli, snapshot};

/// The day the seed wrote alice's lines and our appends continue it.
const NOW: &str = "2025-10-20T12:00:00Z";

/// Alice's day file.
fn alice_day(cli: &Cli) -> PathBuf {
    cli.dir().join("alice/tool_audit/2025-10-20.jsonl")
}

/// A line as seed 003's `tool_audit.py` writes it: Python's `json.dumps`
/// separators, a naive local time.
fn seed_tool_line(minute: u32, path: &str) -> String {
    format!(
        r#"{{"ts": "2025-10-20T09:{minute:02}:00", "user": "alice", "tool": "file_read", "args": {{"path": "{path}"}}, "status": "ok", "result_chars": 5, "result_snippet": "hello"}}"#
    )
}

/// Appends `lines` to alice's day file, as the seed script would.
fn seed_tool_lines(cli: &Cli, lines: &[String]) {
    std::fs::create_dir_all(alice_day(cli).parent().unwrap()).unwrap();
    let mut text = std::fs::read_to_string(alice_day(cli)).unwrap_or_default();
    for line in lines {
        text.push_str(line);
        text.push('\n');
    }
    std::fs::write(alice_day(cli), text).unwrap();
}

fn tool(cli: &Cli, user: &str, name: &str) {
    cli.run_at(
        NOW,
        &[
            "tool",
            "--user",
            user,
            "--tool",
            name,
            "--status",
            "ok",
            "--args",
            r#"{"path": "b.txt"}"#,
            "--result",
            "hi",
        ],
    )
    .success();
}

/// Five skill runs the old script wrote (May 2025, mixed timestamp styles),
/// three of alice's tool calls it wrote, then two of ours in each log and
/// one for bob, who has no legacy entries.
fn migrated() -> Cli {
    let cli = Cli::new();
    crate::cli_recent::legacy_skill_log(&cli, 5);
    seed_tool_lines(
        &cli,
        &[
            seed_tool_line(0, "a.txt"),
            seed_tool_line(1, "notes.md"),
            seed_tool_line(2, "c.txt"),
        ],
    );
    for skill in ["workflow.compose", "workflow.validate"] {
        cli.run_at(NOW, &["record", skill, "success", "120"])
            .success();
    }
    tool(&cli, "alice", "file_write");
    tool(&cli, "alice", "file_read");
    tool(&cli, "bob", "file_read");
    cli
}

/// Runs verify and asserts it fails naming `file` and the adopted legacy
/// entries, leaving nothing written.
#[track_caller]
fn verify_fails(cli: &Cli, file: &str) {
    let before = snapshot(&cli.dir());
    let run = cli.run(&["verify"]);
    assert_eq!(run.code, 1, "verify should fail: {run:?}");
    assert!(
        run.stderr.starts_with("auditlog: verification failed: ")
            && run.stderr.contains(file)
            && run.stderr.contains("legacy"),
        "should name {file} and its legacy entries: {:?}",
        run.stderr
    );
    assert_eq!(snapshot(&cli.dir()), before, "verify wrote");
}

#[test]
fn verify_counts_the_legacy_entries_and_adopt_seals_them_once() {
    let cli = migrated();
    let verified = cli.run(&["verify"]).success();
    assert_eq!(
        verified.stdout,
        "5 entries verified\n\
         audit_log.json: 5 legacy entries (not sealed) before the chain starts\n\
         alice: 3 legacy entries (not sealed) before the chain starts\n"
    );

    let adopted = cli.run_at(NOW, &["adopt"]).success();
    assert_eq!(
        adopted.stdout,
        "audit_log.json: adopted 5 legacy entries (2025-05-01T00:00:00.000000+00:00 … 2025-05-01T04:00:00.004Z) as seq 3\n\
         alice: adopted 3 legacy entries (2025-10-20T09:00:00 … 2025-10-20T09:02:00) as seq 3\n\
         bob: no legacy entries\n"
    );
    // The adoption is an entry of each log's own chain, readable as any other.
    let skills = cli.skill_log();
    let seal = skills.last().unwrap();
    assert_eq!(seal["skill"], "auditlog.adopt");
    assert_eq!(seal["seq"], 3);
    assert_eq!(seal["metadata"]["legacy_entries"], 5);
    assert_eq!(
        seal["metadata"]["first_time"],
        "2025-05-01T00:00:00.000000+00:00"
    );
    assert_eq!(seal["metadata"]["last_time"], "2025-05-01T04:00:00.004Z");
    let digest = seal["metadata"]["legacy_sha256"].as_str().unwrap();
    assert!(
        digest.len() == 64 && digest.bytes().all(|b| b.is_ascii_hexdigit()),
        "{digest}"
    );
    let alice = cli.day_file("alice", "2025-10-20");
    let seal = alice.last().unwrap();
    assert_eq!(seal["tool"], "auditlog.adopt");
    assert_eq!(seal["args"]["legacy_entries"], 3);
    // Every legacy entry is still there as the seed wrote it.
    let day = std::fs::read_to_string(alice_day(&cli)).unwrap();
    assert!(day.starts_with(&format!(
        "{}\n{}\n{}\n",
        seed_tool_line(0, "a.txt"),
        seed_tool_line(1, "notes.md"),
        seed_tool_line(2, "c.txt")
    )));

    let before = snapshot(&cli.dir());
    let again = cli.run_at(NOW, &["adopt"]).success();
    assert_eq!(
        again.stdout,
        "audit_log.json: nothing new to adopt (5 legacy entries adopted at seq 3)\n\
         alice: nothing new to adopt (3 legacy entries adopted at seq 3)\n\
         bob: no legacy entries\n"
    );
    assert_eq!(snapshot(&cli.dir()), before, "a second adopt wrote");

    let verified = cli.run(&["verify"]).success();
    assert_eq!(
        verified.stdout,
        "7 entries verified\n\
         audit_log.json: 5 legacy entries (not sealed) before the chain starts, adopted at seq 3: unchanged since\n\
         alice: 3 legacy entries (not sealed) before the chain starts, adopted at seq 3: unchanged since\n"
    );
    // One log at a time, as verify selects them.
    let alice_only = cli.run_at(NOW, &["adopt", "--user", "alice"]).success();
    assert_eq!(
        alice_only.stdout,
        "alice: nothing new to adopt (3 legacy entries adopted at seq 3)\n"
    );
}

#[test]
fn after_adoption_an_edited_or_removed_legacy_entry_fails_verify() {
    let cli = migrated();
    cli.run_at(NOW, &["adopt"]).success();
    let skill_log = cli.dir().join("audit_log.json");
    let intact_skills = std::fs::read_to_string(&skill_log).unwrap();
    let intact_day = std::fs::read_to_string(alice_day(&cli)).unwrap();

    // One byte inside a legacy entry's value: skill run s1 becomes s7.
    assert_eq!(intact_skills.matches("\"s1\"").count(), 1);
    std::fs::write(&skill_log, intact_skills.replacen("\"s1\"", "\"s7\"", 1)).unwrap();
    verify_fails(&cli, "audit_log.json");
    std::fs::write(&skill_log, &intact_skills).unwrap();

    // One byte of a legacy tool call's argument.
    std::fs::write(
        alice_day(&cli),
        intact_day.replacen("\"notes.md\"", "\"notes.me\"", 1),
    )
    .unwrap();
    verify_fails(&cli, "alice/tool_audit/2025-10-20.jsonl");

    // A legacy tool call removed.
    let without: Vec<&str> = intact_day
        .lines()
        .filter(|l| !l.contains("\"notes.md\""))
        .collect();
    assert_eq!(without.len(), intact_day.lines().count() - 1);
    std::fs::write(alice_day(&cli), without.join("\n") + "\n").unwrap();
    verify_fails(&cli, "alice/tool_audit/2025-10-20.jsonl");

    // Put back, the logs verify again: it was the edits that failed.
    std::fs::write(alice_day(&cli), &intact_day).unwrap();
    cli.run(&["verify"]).success();
}

#[test]
fn adopt_refuses_a_damaged_skill_log_and_leaves_every_byte() {
    let cli = migrated();
    let skill_log = cli.dir().join("audit_log.json");
    let text = std::fs::read_to_string(&skill_log).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    // Between the legacy entries and ours.
    let ours = lines
        .iter()
        .position(|l| l.contains("workflow.compose"))
        .unwrap();
    lines.insert(ours, "  {garbage that is not an entry,");
    std::fs::write(&skill_log, lines.join("\n") + "\n").unwrap();

    let before = snapshot(&cli.dir());
    let refused = cli.run_at(NOW, &["adopt", "--skills"]);
    assert_eq!(refused.code, 1, "{refused:?}");
    assert_eq!(refused.stdout, "");
    assert_eq!(refused.stderr.lines().count(), 1, "{:?}", refused.stderr);
    assert!(
        refused.stderr.starts_with("auditlog: ")
            && refused.stderr.contains("audit_log.json")
            && refused.stderr.contains("repair"),
        "should name the file and say to repair it: {:?}",
        refused.stderr
    );
    assert_eq!(snapshot(&cli.dir()), before, "a refused adopt wrote");

    // As the message says: repair, then adopt.
    cli.run_at(NOW, &["repair", "--skills"]).success();
    let adopted = cli.run_at(NOW, &["adopt", "--skills"]).success();
    assert!(
        adopted
            .stdout
            .starts_with("audit_log.json: adopted 5 legacy entries"),
        "{:?}",
        adopted.stdout
    );
    cli.run(&["verify"]).success();
}

#[test]
fn adopt_through_a_read_only_open_is_refused_and_writes_nothing() {
    let cli = migrated();
    let before = snapshot(&cli.dir());
    let log = AuditLog::builder(cli.dir()).read_only().open().unwrap();
    match log.adopt(None) {
        Err(Error::Storage(message)) => {
            assert!(message.contains("reading only"), "{message}");
        }
        other => panic!("adopt on a read-only open: {other:?}"),
    }
    assert_eq!(snapshot(&cli.dir()), before);
    // Through a writable open the same call adopts.
    let writable = AuditLog::open(cli.dir()).unwrap();
    let adopted = writable.adopt(Some(&auditlog::Source::Skills)).unwrap();
    assert_eq!(adopted.len(), 1);
    assert_eq!((adopted[0].entries, adopted[0].sealed_as), (5, Some(3)));
}

#[test]
fn another_writers_entry_after_the_chain_started_is_named_until_adopted() {
    let cli = migrated();
    cli.run_at(NOW, &["adopt", "--user", "alice"]).success();
    // The old script still writes now and then during the migration.
    seed_tool_lines(&cli, &[seed_tool_line(30, "late.txt")]);
    tool(&cli, "alice", "file_read");
    let line = std::fs::read_to_string(alice_day(&cli))
        .unwrap()
        .lines()
        .position(|l| l.contains("late.txt"))
        .unwrap()
        + 1;
    let verified = cli.run(&["verify", "--user", "alice"]).success();
    assert_eq!(
        verified.stdout,
        format!(
            "4 entries verified\n\
             alice: 3 legacy entries (not sealed) before the chain starts, 1 more after it, 3 of them adopted at seq 3: unchanged since; 1 not adopted yet (auditlog adopt seals them)\n\
             alice/tool_audit/2025-10-20.jsonl line {line}: an entry without a seal after the chain started (another writer's): the chain does not vouch for it\n"
        )
    );
    // Our next entry continued the chain across it.
    let ours = cli.day_file("alice", "2025-10-20");
    assert_eq!(ours.last().unwrap()["seq"], 4);

    let adopted = cli.run_at(NOW, &["adopt", "--user", "alice"]).success();
    assert_eq!(
        adopted.stdout,
        "alice: adopted 4 legacy entries (2025-10-20T09:00:00 … 2025-10-20T09:30:00) as seq 5\n"
    );
    let verified = cli.run(&["verify", "--user", "alice"]).success();
    assert_eq!(
        verified.stdout,
        "5 entries verified\n\
         alice: 3 legacy entries (not sealed) before the chain starts, 1 more after it, adopted at seq 5: unchanged since\n"
    );
}

#[test]
fn with_require_seal_an_unsealed_line_no_adoption_covers_fails_verify() {
    // Once the old scripts are retired, an unsealed line is a forgery until
    // shown otherwise: anyone who can append to the file could add one, and
    // a plain verify only lists it (exit 0).
    let cli = migrated();
    let strict = |user: &str| cli.run(&["verify", "--require-seal", "--user", user]);
    let fails_saying = |says: &str| {
        let run = strict("alice");
        assert_eq!(run.code, 1, "{run:?}");
        let expected = format!("verification failed (--require-seal): {says}");
        assert!(run.stderr.contains(&expected), "{}", run.stderr);
    };
    // Bob's log was only ever ours.
    strict("bob").success();
    // Alice's seed lines, never adopted.
    fails_saying("alice: 3 legacy entries without a seal that no adoption covers");
    cli.run_at(NOW, &["adopt", "--user", "alice"]).success();
    strict("alice").success();
    // A line forged after the chain, shaped as the old script's.
    let before = snapshot(&cli.dir());
    seed_tool_lines(&cli, &[seed_tool_line(45, "forged.txt")]);
    let forged = snapshot(&cli.dir());
    cli.run(&["verify", "--user", "alice"]).success();
    fails_saying(
        "alice/tool_audit/2025-10-20.jsonl line 7: an entry without a seal after the chain started that no adoption covers",
    );
    assert_eq!(snapshot(&cli.dir()), forged, "verify wrote nothing");
    assert_ne!(forged, before);
}

#[test]
fn retention_dropping_the_adoption_keeps_what_it_covered_adopted() {
    // Retention drops the oldest entries: the legacy ones and, in time, the
    // adoption entry after them. Before, `verify --require-seal` then failed
    // on a log nobody touched. An unadopted line (written after the
    // adoption) dropped with them must still fail it.
    for late_line in [false, true] {
        let cli = migrated();
        cli.run_at(NOW, &["adopt"]).success();
        if late_line {
            seed_tool_lines(&cli, &[seed_tool_line(45, "late.txt")]);
        }
        for _ in 0..4 {
            cli.run_at(
                NOW,
                &["record", "later.skill", "success", "--max-entries", "3"],
            )
            .success();
        }
        for day in ["2025-10-22", "2025-10-23"] {
            let now = format!("{day}T01:00:00Z");
            cli.run_at(
                &now,
                &["tool", "--user", "alice", "--tool", "t", "--status", "ok"],
            )
            .success();
            cli.run_at(&now, &["--max-days", "2", "rotate"]).success();
        }
        assert!(
            !alice_day(&cli).exists(),
            "retention dropped the adopted day"
        );
        let skill_log = std::fs::read_to_string(cli.dir().join("audit_log.json")).unwrap();
        assert!(!skill_log.contains("auditlog.adopt"), "{skill_log}");

        let verified = cli.run_at("2025-10-23T02:00:00Z", &["verify", "--require-seal"]);
        if late_line {
            assert_eq!(verified.code, 1, "{verified:?}");
            assert!(
                verified
                    .stderr
                    .contains("alice: 1 legacy entry without a seal that no adoption covers"),
                "{verified:?}"
            );
        } else {
            let verified = verified.success();
            assert!(
                verified.stdout.contains(
                    "audit_log.json: 5 legacy entries (not sealed) before the chain starts, adopted at seq 3: unchanged since\n"
                ) && verified.stdout.contains(
                    "alice: 3 legacy entries (not sealed) before the chain starts, adopted at seq 3: unchanged since\n"
                ),
                "{verified:?}"
            );
        }
    }
}

#[test]
fn legacy_entries_with_other_field_types_or_a_spaced_time_are_read_and_adopted() {
    // A legacy entry needs only a time that parses: another writer's
    // `"duration_ms": "250"`, a number for a status, or Python's
    // `str(datetime)` (a space for the `T`) were hidden by queries, failed
    // verify as damaged or modified, and adopt refused them, with nothing
    // to repair.
    let cli = Cli::new();
    let skill_log = r#"[
  {
    "timestamp": "2025-10-01T00:00:00.000Z",
    "skill": "workflow.validate",
    "status": "success",
    "duration_ms": 150
  },
  {
    "timestamp": "2025-10-01T00:01:00.000Z",
    "skill": "registry.update",
    "status": "success",
    "duration_ms": "250"
  },
  {
    "timestamp": "2025-10-02 09:00:00.123456",
    "skill": "b",
    "status": 3
  }
]
"#;
    std::fs::create_dir_all(cli.dir()).unwrap();
    std::fs::write(cli.dir().join("audit_log.json"), skill_log).unwrap();
    seed_tool_lines(
        &cli,
        &[seed_tool_line(0, "a.txt").replace("2025-10-20T09", "2025-10-20 09")],
    );

    let skills = cli.run(&["recent", "--skills"]).success();
    assert_eq!(skills.json().as_array().unwrap().len(), 3, "{skills:?}");
    let tools = cli.run_at(NOW, &["recent", "--user", "alice"]).success();
    assert_eq!(tools.json().as_array().unwrap().len(), 1, "{tools:?}");
    let verified = cli.run_at(NOW, &["verify"]).success();
    assert_eq!(
        verified.stdout,
        "0 entries verified\n\
         audit_log.json: 3 legacy entries (not sealed) before the chain starts\n\
         alice: 1 legacy entry (not sealed) before the chain starts\n"
    );
    cli.run_at(NOW, &["adopt"]).success();
    cli.run_at(NOW, &["verify", "--require-seal"]).success();
    let skills = cli.run(&["recent", "--skills"]).success();
    let update = skills
        .json()
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["skill"] == "registry.update")
        .cloned()
        .unwrap();
    assert_eq!(update["duration_ms"], "250", "kept as written");
}

#[test]
fn verify_names_the_line_where_an_entry_starts_in_a_pretty_printed_log() {
    let cli = Cli::new();
    let skill_log = "[\n  {\n    \"timestamp\": \"2025-10-01T00:00:00.000Z\",\n    \"skill\": \"a\",\n    \"status\": \"success\"\n  },\n  {\n    \"skill\": \"b\",\n    \"status\": \"failed\"\n  }\n]\n";
    std::fs::create_dir_all(cli.dir()).unwrap();
    std::fs::write(cli.dir().join("audit_log.json"), skill_log).unwrap();
    let before = snapshot(&cli.dir());
    let run = cli.run_at(NOW, &["verify"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr
            .contains("audit_log.json line 7: has no timestamp"),
        "the second entry's `{{` is on line 7: {run:?}"
    );
    assert_eq!(snapshot(&cli.dir()), before, "verify wrote nothing");
}

#[test]
fn adopting_every_log_writes_none_when_one_does_not_verify() {
    // Before, adopt sealed the logs before the damaged one, printed nothing
    // of it, and failed.
    let cli = migrated();
    let carol = cli.dir().join("carol/tool_audit/2025-10-20.jsonl");
    std::fs::create_dir_all(carol.parent().unwrap()).unwrap();
    std::fs::write(&carol, "garbage\n").unwrap();
    let before = snapshot(&cli.dir());
    let run = cli.run_at(NOW, &["adopt"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.contains("carol: nothing adopted")
            && run
                .stderr
                .contains("carol/tool_audit/2025-10-20.jsonl line 1"),
        "{run:?}"
    );
    assert_eq!(snapshot(&cli.dir()), before, "no log was adopted");
    // The logs that verify can still be adopted one at a time.
    cli.run_at(NOW, &["adopt", "--user", "alice"]).success();
}

#[test]
fn the_portable_component_adopts_and_verifies_saying_the_same() {
    let host = migrated();
    let wasm = migrated();
    let portable = |args: &[&str]| crate::wasmtime_cli::run(&wasm.dir(), &[], args).success();
    assert_eq!(
        portable(&["verify"]).stdout,
        host.run(&["verify"]).success().stdout
    );
    let strict = ["verify", "--require-seal"];
    let (a, b) = (
        host.run(&strict),
        crate::wasmtime_cli::run(&wasm.dir(), &[], &strict),
    );
    assert_eq!(a.code, 1, "{a:?}");
    assert_eq!((a.code, &a.stderr), (b.code, &b.stderr));
    assert_eq!(
        portable(&["adopt"]).stdout,
        host.run_at(NOW, &["adopt"]).success().stdout
    );
    assert_eq!(
        portable(&["adopt"]).stdout,
        host.run_at(NOW, &["adopt"]).success().stdout
    );
    assert_eq!(
        portable(&["verify", "--require-seal"]).stdout,
        host.run(&["verify", "--require-seal"]).success().stdout
    );
}

#[test]
fn verify_lists_the_first_twenty_unsealed_entries_and_counts_the_rest() {
    let cli = migrated();
    let late: Vec<String> = (30..52).map(|m| seed_tool_line(m, "late.txt")).collect();
    seed_tool_lines(&cli, &late);
    let verified = cli.run(&["verify", "--user", "alice"]).success();
    let lines: Vec<&str> = verified.stdout.lines().collect();
    assert_eq!(lines.len(), 2 + 20 + 1, "{}", verified.stdout);
    assert_eq!(
        lines[1],
        "alice: 3 legacy entries (not sealed) before the chain starts, 22 more after it"
    );
    // Lines 1–3 are the seed's, 4–5 ours: the first unsealed entry is line 6.
    for (i, line) in lines[2..22].iter().enumerate() {
        assert_eq!(
            *line,
            format!(
                "alice/tool_audit/2025-10-20.jsonl line {}: an entry without a seal after the chain started (another writer's): the chain does not vouch for it",
                6 + i
            )
        );
    }
    assert_eq!(lines[22], "… and 2 more entries without a seal");
}
