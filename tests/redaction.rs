//! Secrets never reach the disk.

use crate::support::{Cli, snapshot};

const SECRETS: [&str; 6] = [
    "hunter2",
    "sk-live-123456",
    "eyJhbGciOiJIUzI1NiJ9.payload.sig",
    "db-pass-77",
    "cookie-val-9",
    "s3cr3t-query",
];

#[test]
fn planted_secrets_appear_in_no_byte_under_the_log_directory() {
    let cli = Cli::new();
    let args = r#"{"url": "https://api.example.com/?q=1&api_key=s3cr3t-query", "password": "hunter2",
                  "nested": {"deeper": {"API_KEY": "sk-live-123456"}},
                  "headers": {"Cookie": "cookie-val-9", "Accept": "json"},
                  "cmd": "curl -H 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig' x"}"#;
    let run = cli
        .run(&["tool", "--user", "alice", "--tool", "http", "--status", "error", "--args", args, "--result", "401: token=db-pass-77 rejected; Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig"])
        .success();
    let entry = run.json();
    assert_eq!(entry["args"]["password"], "[REDACTED]");
    assert_eq!(entry["args"]["nested"]["deeper"]["API_KEY"], "[REDACTED]");
    assert_eq!(entry["args"]["headers"]["Accept"], "json");
    let redacted: Vec<&str> = entry["redacted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        redacted.contains(&"args.password") && redacted.contains(&"result_snippet"),
        "{redacted:?}"
    );

    cli.run(&[
        "record",
        "deploy.run",
        "failed",
        "10",
        r#"["connect failed: password=hunter2", "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig"]"#,
        r#"{"db": {"connection": {"password": "db-pass-77"}}, "session": "cookie-val-9", "region": "eu"}"#,
    ])
    .success();

    for (path, bytes) in snapshot(&cli.dir()) {
        let text = String::from_utf8_lossy(&bytes);
        for secret in SECRETS {
            assert!(
                !text.contains(secret),
                "{secret} found in {}",
                path.display()
            );
        }
    }
    let skills = cli.skill_log();
    assert_eq!(skills[0]["metadata"]["region"], "eu");
    assert_eq!(
        skills[0]["metadata"]["db"]["connection"]["password"],
        "[REDACTED]"
    );
}

#[test]
fn extra_secret_words_can_be_configured() {
    let cli = Cli::new();
    let run = cli
        .run(&[
            "--redact-key",
            "ssn",
            "tool",
            "--user",
            "u",
            "--tool",
            "t",
            "--status",
            "ok",
            "--args",
            r#"{"customer_ssn": "123-45-6789"}"#,
        ])
        .success();
    assert_eq!(run.json()["args"]["customer_ssn"], "[REDACTED]");
}

#[test]
fn an_oversized_entry_is_cut_with_a_marker_not_refused() {
    let cli = Cli::new();
    // One argument may hold at most 128 KiB; the entry limit is 102,400 bytes.
    let metadata = format!(r#"{{"blob": "{}", "small": "kept"}}"#, "x".repeat(120_000));
    let run = cli
        .run(&["record", "big.skill", "success", "1", "[]", &metadata])
        .success();
    let entry = run.json()["details"]["audit_entry"].clone();
    assert_eq!(entry["truncated"], true);
    assert_eq!(entry["metadata"]["small"], "kept");
    assert!(
        entry["metadata"]["blob"]
            .as_str()
            .unwrap()
            .ends_with("…[120000 chars total]")
    );
    let text = std::fs::read_to_string(cli.dir().join("audit_log.json")).unwrap();
    assert!(text.len() <= 102_400 + 10, "{}", text.len());
    assert_eq!(cli.skill_log().len(), 1, "still valid JSON");
    cli.run(&["verify"]).success();
}
