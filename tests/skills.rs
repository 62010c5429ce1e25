//! `auditlog run-skill` with the sample skill (`skills/sample`, built for the
//! tests by `tests/artifacts`): every run is recorded as a tool entry, the skill's own
//! events land in the same log stamped with the identity the host knows, and
//! what the sandbox must refuse (files, network, another identity) is refused.

use auditlog_test_artifacts::SAMPLE_SKILL;
use serde_json::Value;

use crate::support::Cli;

const NOW: &str = "2025-10-23T12:00:00Z";

fn entries(cli: &Cli) -> Vec<Value> {
    cli.day_file("alice", "2025-10-23")
}

#[test]
fn a_run_is_recorded_with_the_skills_own_events_under_the_hosts_identity() {
    let cli = Cli::new();
    let run = cli
        .run_at(
            NOW,
            &[
                "run-skill",
                "--user",
                "alice",
                "--name",
                "text.count",
                SAMPLE_SKILL,
                "count these four words",
            ],
        )
        .success();
    let report = run.json();
    assert_eq!(report["status"], "ok");
    assert_eq!(report["result"], "4 words");
    assert_eq!(report["events"], 4);

    let entries = entries(&cli);
    assert_eq!(entries.len(), 5, "{entries:#?}");
    for entry in &entries {
        assert_eq!(entry["user"], "alice", "{entry}");
        assert_eq!(entry["tool"], "text.count", "{entry}");
    }
    let event = |name: &str| {
        entries
            .iter()
            .find(|e| e["args"]["event"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(event("counted")["args"]["detail"]["words"], 4);
    // No files and no network inside the sandbox: both attempts were refused.
    assert_eq!(event("file-access")["status"], "denied");
    assert_eq!(event("network")["status"], "denied");
    // A claim of another identity stays what it is: detail, under the real user and skill.
    let claim = event("impersonation");
    assert_eq!(claim["args"]["detail"]["user"], "mallory");
    assert_eq!(
        (claim["user"].as_str(), claim["tool"].as_str()),
        (Some("alice"), Some("text.count"))
    );

    // The run itself is recorded last, after the events it caused.
    let invocation = entries.last().unwrap();
    assert_eq!(invocation, &report["entry"]);
    assert_eq!(invocation["args"]["input"], "count these four words");
    assert!(invocation["args"]["duration_ms"].is_u64());
    assert_eq!(invocation["status"], "ok");
    assert_eq!(invocation["result_snippet"], "4 words");
    cli.run(&["verify"]).success();
}

#[test]
fn a_failing_skill_is_recorded_as_an_error() {
    let cli = Cli::new();
    let run = cli.run_at(
        NOW,
        &[
            "run-skill",
            "--user",
            "alice",
            "--name",
            "text.count",
            SAMPLE_SKILL,
            "fail",
        ],
    );
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("asked to fail"), "{run:?}");
    let entries = entries(&cli);
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["status"], "error");
    assert_eq!(entries[0]["result_snippet"], "asked to fail");
}

#[test]
fn the_skill_is_named_after_its_file_unless_told() {
    let cli = Cli::new();
    let run = cli
        .run_at(NOW, &["run-skill", "--user", "alice", SAMPLE_SKILL, "x"])
        .success();
    assert_eq!(run.json()["entry"]["tool"], "auditlog_sample_skill");
}

#[test]
fn a_bad_identity_is_refused_before_the_skill_runs() {
    let cli = Cli::new();
    std::fs::create_dir_all(cli.dir()).unwrap();
    for (args, field) in [
        (vec!["--user", "../etc"], "user"),
        (
            vec!["--user", "alice", "--name", "auditlog.recovery"],
            "--name",
        ),
        (vec!["--user", "alice", "--name", "two words"], "--name"),
    ] {
        let mut call = vec!["run-skill"];
        call.extend(args);
        call.extend([SAMPLE_SKILL, "input"]);
        cli.run_at(NOW, &call).refused(field);
        assert!(
            cli.snapshot()
                .keys()
                .all(|p| !p.to_string_lossy().ends_with(".jsonl")),
            "{call:?}"
        );
    }
}

/// A SKILL.wasm that is no component is a refused input naming the argument,
/// not "cannot load the component", which read as auditlog's own component.
#[test]
fn a_file_that_is_no_component_is_refused_naming_skill_wasm() {
    let cli = Cli::new();
    std::fs::create_dir_all(cli.dir()).unwrap();
    let not_wasm = cli.dir().with_file_name("notes.wasm");
    std::fs::write(&not_wasm, "hello").unwrap();
    let before = cli.snapshot();
    let run = cli
        .run_at(
            NOW,
            &[
                "run-skill",
                "--user",
                "alice",
                not_wasm.to_str().unwrap(),
                "x",
            ],
        )
        .refused("SKILL.wasm");
    assert!(
        run.stderr.starts_with(&format!(
            "auditlog: SKILL.wasm: {} is not a component this host can run: ",
            not_wasm.display()
        )),
        "{run:?}"
    );
    assert_eq!(cli.snapshot(), before);
}

/// A secret in a skill's error or result is shown as the log stored it,
/// redacted, never raw: on stdout's JSON and in the error line on stderr.
#[test]
fn a_secret_in_a_skill_s_words_is_shown_redacted_as_stored() {
    const SECRET: &str = "hunter2abc";
    const TOKEN: &str = "ghp_abcdefghijklmnopqrstuvwxyz0123456";
    let cli = Cli::new();
    let words = format!("password={SECRET} {TOKEN}");
    let failed = cli.run_at(
        NOW,
        &[
            "run-skill",
            "--user",
            "alice",
            SAMPLE_SKILL,
            &format!("fail: {words}"),
        ],
    );
    assert_eq!(failed.code, 1, "{failed:?}");
    let echoed = cli
        .run_at(
            NOW,
            &[
                "run-skill",
                "--user",
                "alice",
                SAMPLE_SKILL,
                &format!("echo: {words}"),
            ],
        )
        .success();
    let stored = entries(&cli);
    for (run, key, entry) in [
        (&failed, "error", &stored[0]),
        (&echoed, "result", &stored[1]),
    ] {
        let report = run.json();
        let snippet = entry["result_snippet"].as_str().unwrap();
        assert_eq!(snippet, "password=[REDACTED] [REDACTED]", "{entry}");
        assert_eq!(report[key], snippet, "{report}");
        assert_eq!(&report["entry"], entry);
        for secret in [SECRET, TOKEN] {
            assert!(!run.stdout.contains(secret), "{run:?}");
            assert!(!run.stderr.contains(secret), "{run:?}");
        }
    }
    assert_eq!(
        failed.stderr,
        "auditlog: the skill auditlog_sample_skill failed: password=[REDACTED] [REDACTED]\n"
    );
}
