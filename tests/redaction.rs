//! Secrets never reach the disk.

use serde_json::json;

use crate::support::{Cli, snapshot};

/// `n` letters and digits, the same for the same `seed` and different for
/// different ones: a planted secret no other byte of the log can contain.
fn alnum(seed: u64, n: usize) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            char::from(DIGITS[(state % 62) as usize])
        })
        .collect()
}

/// 32 lowercase hex digits from [`alnum`]'s `seed`: an MD5 or NT hash, a
/// Twilio auth token.
fn hex32(seed: u64) -> String {
    alnum(seed, 400)
        .chars()
        .filter(char::is_ascii_hexdigit)
        .map(|c| c.to_ascii_lowercase())
        .take(32)
        .collect()
}

/// Texts that each carry a secret, one of every shape docs/security.md promises,
/// with the secret itself (the bytes that must reach no file).
fn planted() -> Vec<(String, String)> {
    let s = |seed: u64, n: usize| alnum(seed, n);
    let upper = |seed: u64, n: usize| {
        alnum(seed, 4 * n)
            .replace(|c: char| !c.is_ascii_uppercase(), "")
            .chars()
            .take(n)
            .collect::<String>()
    };
    let pem_body = format!("MIIEow{}\n{}==", s(40, 60), s(41, 60));
    let mut plants: Vec<(String, String)> = vec![
        // Authorization credentials: any whitespace, any scheme.
        (format!("Bearer \t  {}", s(1, 24)), s(1, 24)),
        (format!("basic\n{}", s(2, 20)), s(2, 20)),
        (
            format!(
                "Authorization: Digest username=\"u\", response=\"{}\"",
                s(3, 16)
            ),
            s(3, 16),
        ),
        (
            format!("curl -H 'Authorization: Token {}' https://api", s(4, 16)),
            s(4, 16),
        ),
        (format!("Cookie: theme=dark; sid={}", s(5, 16)), s(5, 16)),
        // key = value, in every spelling.
        (format!("password=\"two words {}\"", s(6, 12)), s(6, 12)),
        (format!("'password' => '{}'", s(7, 12)), s(7, 12)),
        (
            format!("login?user=a&password%3D{}%26next%3D1", s(8, 12)),
            s(8, 12),
        ),
        (format!("form: pass=a%20{}&x=1", s(9, 12)), s(9, 12)),
        (format!("db.pwd: {}", s(10, 12)), s(10, 12)),
        (format!("client_secret = {}", s(11, 12)), s(11, 12)),
        (
            format!("ALTER USER bob WITH PASSWORD '{}'", s(12, 12)),
            s(12, 12),
        ),
        // Well-known formats.
        (
            format!("key id AKIA{}", upper(13, 16)),
            format!("AKIA{}", upper(13, 16)),
        ),
        (
            format!("aws_secret_access_key = {}/{}", s(14, 20), s(15, 19)),
            format!("{}/{}", s(14, 20), s(15, 19)),
        ),
        (
            format!(
                "DefaultEndpointsProtocol=https;AccountName=a;AccountKey={}==;EndpointSuffix=x",
                s(16, 30)
            ),
            s(16, 30),
        ),
        (format!("ghp_{}", s(17, 36)), format!("ghp_{}", s(17, 36))),
        (
            format!("github_pat_{}_{}", s(18, 22), s(19, 59)),
            format!("github_pat_{}", s(18, 22)),
        ),
        (
            format!("glpat-{}", s(20, 20)),
            format!("glpat-{}", s(20, 20)),
        ),
        (format!("xoxb-123456789012-{}", s(21, 24)), s(21, 24)),
        (
            format!("https://hooks.slack.com/services/T0000/B0000/{}", s(22, 24)),
            s(22, 24),
        ),
        (format!("sk_live_{}", s(23, 24)), s(23, 24)),
        (format!("rk_test_{}", s(24, 24)), s(24, 24)),
        (format!("sk-proj-{}9", s(25, 40)), s(25, 40)),
        (format!("AIza{}", s(26, 35)), s(26, 35)),
        (format!("npm_{}", s(27, 36)), s(27, 36)),
        (
            format!("eyJhbGciOiJIUzI1NiJ9.eyJ{}.{}", s(28, 30), s(29, 43)),
            s(28, 30),
        ),
        (
            format!("-----BEGIN RSA PRIVATE KEY-----\n{pem_body}\n-----END RSA PRIVATE KEY-----"),
            s(40, 60),
        ),
        // Passwords in URLs and command lines.
        (
            format!("postgres://app:{}@db.internal:5432/app", s(30, 14)),
            s(30, 14),
        ),
        (
            format!("tool --password {} --verbose", s(31, 14)),
            s(31, 14),
        ),
        (format!("tool --api-key={}", s(32, 14)), s(32, 14)),
        (format!("mysql -u root -p{} app", s(33, 14)), s(33, 14)),
        (format!("curl -u alice:{} https://x", s(34, 14)), s(34, 14)),
        (format!("mysql -p'{} x' db", s(37, 14)), s(37, 14)),
        (
            format!("docker login -u bob -p {} registry.io", s(38, 14)),
            s(38, 14),
        ),
        (
            format!("<config><password>{} b</password></config>", s(39, 14)),
            s(39, 14),
        ),
        (
            format!(
                "https://b.s3.amazonaws.com/k?X-Amz-Signature={}&x=1",
                s(42, 40)
            ),
            s(42, 40),
        ),
        // A name and its value after a command that sets one, `.netrc`,
        // markup, and `user:password@host:` without a scheme.
        (
            format!("aws configure set aws_secret_access_key {}", s(43, 40)),
            s(43, 40),
        ),
        (format!("setx API_TOKEN {}", s(44, 20)), s(44, 20)),
        (
            format!("machine h.example login bob password {}", s(45, 16)),
            s(45, 16),
        ),
        (
            format!(
                "<input type=\"password\" name=\"pw\" value=\"{}\">",
                s(46, 16)
            ),
            s(46, 16),
        ),
        (
            format!("<add key=\"ApiKey\" value=\"{}\"/>", s(47, 16)),
            s(47, 16),
        ),
        (
            format!("scp bob:{}@host.example:/tmp/x .", s(48, 16)),
            s(48, 16),
        ),
        (format!("sqlcmd -S db -U sa -P {}", s(49, 16)), s(49, 16)),
        (
            format!(
                "kubectl create secret generic x --from-literal=user={}",
                s(50, 16)
            ),
            s(50, 16),
        ),
    ];
    // A GCP service-account file, as a string.
    let account = json!({"type": "service_account", "private_key_id": s(35, 40),
        "private_key": format!("-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n", s(36, 64))});
    plants.push((account.to_string(), s(35, 40)));
    plants.push((account.to_string(), s(36, 64)));
    plants
}

/// Every file under `dir`, gzip members inflated.
fn inflated_files(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    snapshot(dir)
        .into_iter()
        .map(|(path, bytes)| {
            if bytes.starts_with(&[0x1f, 0x8b]) {
                let out = std::process::Command::new("gzip")
                    .arg("-dc")
                    .arg(&path)
                    .output()
                    .expect("gzip is installed");
                assert!(out.status.success(), "{}: does not inflate", path.display());
                (path, out.stdout)
            } else {
                (path, bytes)
            }
        })
        .collect()
}

#[test]
fn planted_secrets_appear_in_no_byte_under_the_log_directory() {
    let cli = Cli::new();
    std::fs::create_dir_all(cli.dir()).unwrap();
    std::fs::write(
        cli.dir().join("auditlog.toml"),
        "[tool_log]\nmax_file_bytes = 2048\ncompress = true\n",
    )
    .unwrap();
    let plants = planted();
    let texts: Vec<&str> = plants.iter().map(|(text, _)| text.as_str()).collect();
    let joined = texts.join("\n");
    let days = ["2025-10-22T10:00:00Z", "2025-10-23T10:00:00Z"];
    for now in days {
        // Every shape as an argument's value, as free text and as JSON (once
        // and twice encoded) inside a string, and as a key name.
        for (i, text) in texts.iter().enumerate() {
            let mut args = json!({
                "text": text,
                "deeper": {"list": [text]},
                "json": json!({"note": text}).to_string(),
                "json_twice": json!({"inner": json!({"note": text}).to_string()}).to_string(),
            });
            args[*text] = json!(i);
            let (args, result) = (format!("--args={args}"), format!("--result={text}"));
            cli.run_at(
                now,
                &[
                    "tool", "--user", "alice", "--tool", "http", "--status", "error", &args,
                    &result,
                ],
            )
            .success();
        }
        // Values under secret-looking keys, of any type.
        let keyed = json!({
            "pwd": alnum(50, 12), "dsn": format!("sqlserver://{}", alnum(51, 12)), "auth": alnum(52, 12),
            "signing_key": alnum(53, 12), "X-Api-Key": [alnum(54, 12)], "db_pass": {"v": alnum(55, 12)},
            "refresh_token": 4_815_162_342_u64,
        });
        cli.run_at(
            now,
            &[
                "tool",
                "--user",
                "alice",
                "--tool",
                "db",
                "--status",
                "ok",
                "--args",
                &keyed.to_string(),
                "--result",
                "ok",
            ],
        )
        .success();
        // Secrets crossing the points where a long argument and the result
        // snippet are cut: cut first, the halves would not be recognisable.
        let straddling = format!("{} {}", "x".repeat(480), texts[15]);
        let result = format!("{} {}", "r".repeat(280), texts[16]);
        cli.run_at(
            now,
            &[
                "tool",
                "--user",
                "alice",
                "--tool",
                "long",
                "--status",
                "ok",
                "--args",
                &json!({"body": straddling}).to_string(),
                "--result",
                &result,
            ],
        )
        .success();
        // The skill log's errors and metadata.
        let errors = serde_json::to_string(&texts).unwrap();
        let metadata = json!({"log": joined, "conn": {"password": alnum(56, 12)}, "region": "eu"});
        cli.run_at(
            now,
            &[
                "record",
                "deploy.run",
                "failed",
                "10",
                &errors,
                &metadata.to_string(),
            ],
        )
        .success();
        // A sandboxed skill's input.
        cli.run_at(
            now,
            &[
                "run-skill",
                "--user",
                "alice",
                auditlog_test_artifacts::SAMPLE_SKILL,
                &joined,
            ],
        )
        .success();
    }
    cli.run_at(days[1], &["rotate"]).success();

    let files = inflated_files(&cli.dir());
    assert!(
        files
            .iter()
            .any(|(path, _)| path.extension().is_some_and(|e| e == "gz")),
        "closed segments are compressed: {:?}",
        files.iter().map(|(p, _)| p).collect::<Vec<_>>()
    );
    let mut secrets: Vec<String> = plants.into_iter().map(|(_, secret)| secret).collect();
    secrets.extend((50..=56).map(|seed| alnum(seed, 12)));
    secrets.push("4815162342".to_owned());
    // Not even a secret's first 12 bytes: a secret cut in half is still leaked.
    let secrets: Vec<&str> = secrets.iter().map(|s| &s[..s.len().min(12)]).collect();
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        for secret in &secrets {
            if let Some(at) = text.find(secret) {
                panic!(
                    "{secret} found in {}: {}",
                    path.display(),
                    &text[at.saturating_sub(300)..(at + 60).min(text.len())]
                );
            }
        }
    }
    // What was redacted is listed by where, and the rest is kept.
    let skills = cli.skill_log();
    assert_eq!(skills[0]["metadata"]["region"], "eu");
    assert_eq!(skills[0]["metadata"]["conn"]["password"], "[REDACTED]");
    let redacted = skills[0]["redacted"].as_array().unwrap();
    assert!(redacted.contains(&json!("errors[0]")) && redacted.contains(&json!("metadata.log")));
    cli.run(&["verify"]).success();
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

#[test]
fn a_limit_shorter_than_the_marker_keeps_no_part_of_it() {
    let cli = Cli::new();
    cli.run(&[
        "tool",
        "--user",
        "alice",
        "--tool",
        "login",
        "--status",
        "ok",
        "--arg-max-chars",
        "13",
        "--snippet-chars",
        "14",
        "--args",
        r#"{"password": "hunter2-hunter2", "note": "api_key=sk-live-0123456789abcdef"}"#,
        "--result",
        "Bearer abcdefghijklmnopqrstuvwxyz0123",
    ])
    .success();
    let entries = cli.run(&["recent", "--user", "alice"]).json();
    let entry = &entries[0];
    // `[REDACTED]` (10 characters) whole or not at all: never `[RED` or `[REDAC`.
    assert_eq!(entry["args"]["password"], "[REDACTED]", "{entry}");
    assert_eq!(
        entry["args"]["note"], "api_key= …[18 chars total]",
        "{entry}"
    );
    assert_eq!(entry["result_snippet"], "Bearer ", "{entry}");
    let rest = serde_json::to_string(entry)
        .unwrap()
        .replace("[REDACTED]", "");
    for part in ["[ …", "[R", "ACTED"] {
        assert!(!rest.contains(part), "{part:?} in {rest}");
    }
    cli.run(&["verify"]).success();
}

/// Ordinary tool arguments, results and metadata that look a little like
/// secrets: none of them may be changed.
fn benign() -> serde_json::Value {
    json!({
        "path": "/home/alice/projects/auditlog/src/main.rs",
        "sql": "SELECT password_hash, token_count FROM users WHERE id = 42",
        "prose": "the password field is required; a Bearer token goes in the header",
        "docs": "Basic usage: auditlog record. WWW-Authenticate: Basic realm=\"api\"",
        "code": "fn parse(tokens: &[Token]) -> Result<Ast, Error> { let max_tokens = 4096; }",
        "python": "def login(user, password):\n    token = create_token(user)\n    api_key = os.environ[\"API_KEY\"]\n    return token",
        "sql_params": "UPDATE users SET password_hash = ? WHERE id = $1",
        "template": "password: ${DB_PASSWORD}\nheaders: {Authorization: Bearer {{ secrets.TOKEN }}}",
        "sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "commit": "9fceb02d0ae598e95dc970b74767f19372d61af8",
        "uuid": "123e4567-e89b-12d3-a456-426614174000",
        "url": "https://example.com/search?q=rust&page=2#top",
        "git": "git@github.com:org/repo.git",
        "git_config": "git config credential.helper store; aws configure set region eu-west-1",
        "html": "<input name=\"user\" value=\"bob\"><option value=\"password\">Password</option>",
        "pinned": "docker pull nginx:1.25@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31",
        "image": "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
        "ssh": "ssh -p 2222 -i ~/.ssh/id_ed25519 deploy@host",
        "docker": "docker run -u 1000:1000 --rm img",
        "cert": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
        "words": "the author passed the passport check; bypass the compass",
        "tokens_used": 1234, "max_tokens": 4096, "token_count": 12,
        "usage": {"prompt_tokens": 10, "completion_tokens": 12, "total_tokens": 22},
        "password_required": true, "session": null,
        "sort_key": "name", "public_key": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI",
        "unicode": "ünïcödé, emoji 😀, 漢字",
    })
}

#[test]
fn ordinary_arguments_are_stored_byte_for_byte() {
    let cli = Cli::new();
    let args = benign().to_string();
    let result = "3 files changed; tokens_used=1234; see https://example.com/x?id=7";
    let run = cli
        .run(&[
            "tool",
            "--user",
            "bob",
            "--tool",
            "edit",
            "--status",
            "ok",
            &format!("--args={args}"),
            &format!("--result={result}"),
        ])
        .success();
    let entry = run.json();
    assert_eq!(entry["args"], benign());
    assert_eq!(entry["result_snippet"], result);
    assert!(entry.get("redacted").is_none(), "{entry}");
    let stored = snapshot(&cli.dir());
    let line = stored
        .iter()
        .find(|(path, _)| path.extension().is_some_and(|e| e == "jsonl"))
        .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
        .expect("a day file");
    assert!(line.contains(&format!("\"args\":{args},")), "{line}");

    let metadata = benign().to_string();
    let run = cli
        .run(&[
            "record",
            "edit.run",
            "success",
            "5",
            r#"["the password field is required"]"#,
            &metadata,
        ])
        .success();
    let entry = &run.json()["details"]["audit_entry"];
    assert_eq!(entry["metadata"], benign());
    assert!(entry.get("redacted").is_none(), "{entry}");
}

#[test]
fn a_key_that_is_a_secret_is_renamed_and_listed_without_it() {
    let cli = Cli::new();
    let token = format!("ghp_{}", alnum(60, 36));
    let args = json!({token.as_str(): 1, "[REDACTED]": "taken", "password=hunter2": {"n": 2}});
    let run = cli
        .run(&[
            "tool",
            "--user",
            "u",
            "--tool",
            "t",
            "--status",
            "ok",
            &format!("--args={args}"),
        ])
        .success();
    let entry = run.json();
    let keys: Vec<&String> = entry["args"].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["[REDACTED] (2)", "[REDACTED]", "password=[REDACTED]"]
    );
    assert_eq!(entry["args"]["[REDACTED] (2)"], 1);
    // Judged by its own name, the key was secret-looking: its value goes too.
    assert_eq!(entry["args"]["password=[REDACTED]"], "[REDACTED]");
    assert_eq!(
        entry["redacted"],
        json!([
            "args.[REDACTED] (2)",
            "args.password=[REDACTED]",
            "args.password=[REDACTED]"
        ])
    );
    for (path, bytes) in snapshot(&cli.dir()) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains(&token[..12]) && !text.contains("hunter2"),
            "{}",
            path.display()
        );
    }
}

#[test]
fn secrets_split_across_list_items_written_with_escapes_or_named_beside_their_value_reach_no_file()
{
    let cli = Cli::new();
    let secret = |seed: u64| alnum(70 + seed, 14);
    let args = json!({
        // A command line and a private key as lists of strings.
        "argv": ["mysql", "--password", secret(0), "app"],
        "sshpass": ["sshpass", "-p", secret(1), "ssh", "host"],
        "curl": ["curl", "-u", format!("bob:{}", secret(2)), "https://x"],
        "lines": ["-----BEGIN RSA PRIVATE KEY-----", format!("MIIEow{}", secret(3)), "-----END RSA PRIVATE KEY-----"],
        // Names beside their values: Kubernetes' env, HAR's headers.
        "env": [{"name": "DB_PASSWORD", "value": secret(4)}, {"name": "REGION", "value": "eu"}],
        "headers": [{"name": "X-Api-Key", "value": secret(5)}],
        // Escapes JSON and PHP write, inside a string.
        "escaped": format!(r#"{{"pass\u0077ord": "{}", "url": "https:\/\/bob:{}@db\/x"}}"#, secret(6), secret(7)),
        // A YAML block below its key; a key in fullwidth letters.
        "yaml": format!("stringData:\n  password: |\n    {}\n", secret(9)),
        "wide": {"ｐａｓｓｗｏｒｄ": secret(10)},
        // Headers as a list of pairs.
        "pairs": [["Accept", "json"], ["X-Api-Key", secret(11)]],
    });
    let run = cli
        .run(&[
            "tool",
            "--user",
            "u",
            "--tool",
            "t",
            "--status",
            "ok",
            &format!("--args={args}"),
            &format!("--result=[\"mysql\", \"-p{}\"]", secret(8)),
        ])
        .success();
    let entry = run.json();
    assert_eq!(
        entry["args"]["argv"],
        json!(["mysql", "--password", "[REDACTED]", "app"])
    );
    assert_eq!(
        entry["args"]["env"][1],
        json!({"name": "REGION", "value": "eu"})
    );
    for (path, bytes) in snapshot(&cli.dir()) {
        let text = String::from_utf8_lossy(&bytes);
        for seed in 0..=11 {
            assert!(
                !text.contains(&secret(seed)),
                "{seed} in {}: {text}",
                path.display()
            );
        }
    }
}

#[test]
fn a_tool_or_skill_named_with_a_secret_is_redacted_and_a_user_refused() {
    let cli = Cli::new();
    let token = format!("ghp_{}", alnum(61, 36));
    let key = format!("sk_live_{}", alnum(62, 24));
    let tool = format!("gh-{token}");
    let entry = cli
        .run(&["tool", "--user", "alice", "--tool", &tool, "--status", "ok"])
        .success()
        .json();
    assert_eq!(entry["tool"], "gh-[REDACTED]");
    assert_eq!(entry["redacted"], json!(["tool"]));
    let skill = format!("deploy.{key}");
    let response = cli.run(&["record", &skill, "success"]).success().json();
    assert_eq!(
        response["details"]["audit_entry"]["skill"],
        "deploy.[REDACTED]"
    );
    let before = cli.snapshot();
    let refused = cli
        .run(&["tool", "--user", &token, "--tool", "t", "--status", "ok"])
        .refused("user");
    assert!(!refused.stderr.contains(&token), "{}", refused.stderr);
    assert_eq!(cli.snapshot(), before);
    // The redacted names read, count and verify as any other.
    let recent = cli.run(&["recent", "--user", "alice"]).success();
    assert!(recent.stdout.contains("gh-[REDACTED]"), "{}", recent.stdout);
    cli.run(&["stats", "--user", "alice"]).success();
    cli.run(&["stats", "--skills"]).success();
    cli.run(&["verify"]).success();
    for (_, bytes) in snapshot(&cli.dir()) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains(&token[..12]) && !text.contains(&key[..12]),
            "{text}"
        );
    }
}

#[test]
fn a_refusal_quoting_the_value_it_refused_repeats_no_secret_in_it() {
    // A refusal names the field and quotes the value; the message goes to
    // stderr, an application's log, an HTTP response — nowhere kept from
    // secrets. Each value here is refused for another reason than its
    // secret (whitespace, a '/', an unknown status).
    let cli = Cli::new();
    let password = alnum(71, 16);
    let token = format!("ghp_{}", alnum(72, 36));
    let key = format!("sk-ant-api03-{}", alnum(73, 40));
    let before = cli.snapshot();
    let tool = |user: &str, tool: &str, status: &str| {
        let args = ["tool", "--user", user, "--tool", tool, "--status", status];
        cli.run(&args)
    };
    let curl = format!("curl -u bob:{password} https://example.com");
    let runs = [
        (tool("alice", &curl, "ok").refused("tool"), &password),
        (
            tool(&format!("{token}/x"), "t", "ok").refused("user"),
            &token,
        ),
        (tool("alice", "t", &key).refused("status"), &key),
    ];
    for (run, secret) in runs {
        assert!(
            !run.stderr.contains(secret.as_str()) && run.stderr.contains("[REDACTED]"),
            "{}",
            run.stderr
        );
    }
    // The seed's response JSON quotes it too.
    let skill = format!("deploy --password {password}");
    let run = cli.run(&["record", &skill, "success"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        !run.stdout.contains(&password) && run.stdout.contains("[REDACTED]"),
        "{}",
        run.stdout
    );
    assert_eq!(cli.snapshot(), before, "nothing written");
}

/// More refusals that quoted a secret (the third audit of redaction): a key
/// repeated in `args` or `metadata` named by a path that held it, a
/// `run-skill` user or name the host refused itself, a token padded to
/// straddle the 100-character cut (redaction, after the cut, no longer knew
/// its shape), and a file option's path.
#[test]
fn refusals_by_path_by_the_host_or_across_the_cut_repeat_no_secret() {
    let cli = Cli::new();
    std::fs::create_dir_all(cli.dir()).unwrap();
    let password = alnum(81, 16);
    let token = format!("ghp_{}", alnum(82, 36));
    let aws = format!("AKIA{}", alnum(83, 16).to_uppercase());
    let before = cli.snapshot();
    let tool_args = |args: String| {
        cli.run(&[
            "tool", "--user", "u", "--tool", "t", "--status", "ok", "--args", &args,
        ])
    };
    let skill = auditlog_test_artifacts::SAMPLE_SKILL;
    let runs = [
        (
            tool_args(format!(r#"{{"{token}":1,"{token}":2}}"#)),
            token.as_str(),
        ),
        (
            tool_args(format!(
                r#"{{"password":{{"{password}":1,"{password}":2}}}}"#
            )),
            password.as_str(),
        ),
        (
            tool_args(format!(
                r#"{{"x":[{{"Bearer {password}":1,"Bearer {password}":2}}]}}"#
            )),
            password.as_str(),
        ),
        (
            cli.run(&[
                "record",
                "s.x",
                "failed",
                "1",
                "",
                &format!(r#"{{"{aws}":1,"{aws}":2}}"#),
            ]),
            aws.as_str(),
        ),
        (
            cli.run(&[
                "run-skill",
                "--user",
                &format!("bob password={password}"),
                skill,
                "hi",
            ]),
            password.as_str(),
        ),
        (
            cli.run(&[
                "run-skill",
                "--user",
                "u",
                "--name",
                &format!("a/{token}"),
                skill,
                "hi",
            ]),
            token.as_str(),
        ),
        (
            cli.run(&[
                "tool",
                "--user",
                "u",
                "--status",
                "ok",
                "--tool",
                &format!("{} {token} y", "x".repeat(80)),
            ]),
            &token[..8],
        ),
        (
            cli.run(&[
                "tool",
                "--user",
                "u",
                "--tool",
                "t",
                "--status",
                "ok",
                "--result-file",
                &format!("/nonexistent/password={password}"),
            ]),
            password.as_str(),
        ),
    ];
    // Reads that name a user name it back (`no log for user …`): a user
    // holding a secret is refused there too, as writes refuse it; and a
    // checkpoint that cannot be written is named redacted.
    let read_runs = [
        cli.run(&["verify", "--user", &token]),
        cli.run(&["adopt", "--user", &token]),
        cli.run(&["recent", "--user", &aws]),
        cli.run(&["stats", "--user", &aws]),
    ];
    for run in &read_runs {
        assert_eq!(run.code, 2, "{run:?}");
        assert!(
            !run.stderr.contains(&token) && !run.stderr.contains(&aws),
            "{run:?}"
        );
    }
    let unwritable = cli
        .outside()
        .join(format!("password={password}"))
        .join("cp.json");
    let run = cli.run(&["verify", "--checkpoint", unwritable.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(!run.stderr.contains(&password), "{run:?}");
    for (run, secret) in &runs {
        assert_eq!(run.code, 2, "{run:?}");
        assert!(
            !run.stderr.contains(secret) && !run.stdout.contains(secret),
            "{secret}: {run:?}"
        );
    }
    assert_eq!(cli.snapshot(), before, "nothing written");
}

/// Runs `tool` with `args` and `result`, then each refused command of
/// `refused` (naming its field); asserts that none of `secrets` is in any
/// byte under the log directory, in what `recent` prints or in a refusal,
/// and that the refusals wrote nothing. Returns the entry written.
fn written_without(
    cli: &Cli,
    args: &serde_json::Value,
    result: &str,
    refused: &[(Vec<String>, &str)],
    secrets: &[String],
) -> serde_json::Value {
    let run = cli
        .run(&[
            "tool",
            "--user",
            "u",
            "--tool",
            "t",
            "--status",
            "ok",
            &format!("--args={args}"),
            &format!("--result={result}"),
        ])
        .success();
    let before = cli.snapshot();
    let mut refusals = String::new();
    for (command, field) in refused {
        let command: Vec<&str> = command.iter().map(String::as_str).collect();
        refusals.push_str(&cli.run(&command).refused(field).stderr);
    }
    assert_eq!(cli.snapshot(), before, "nothing written by a refusal");
    let recent = cli.run(&["recent", "--user", "u"]).success().stdout;
    let mut leaks = Vec::new();
    for (path, bytes) in snapshot(&cli.dir()).into_iter().chain([
        ("recent".into(), recent.into_bytes()),
        ("refusals".into(), refusals.into_bytes()),
    ]) {
        let text = String::from_utf8_lossy(&bytes);
        for secret in secrets {
            if let Some(at) = text.find(secret.as_str()) {
                let from = text.floor_char_boundary(at.saturating_sub(40));
                leaks.push(format!(
                    "{}: …{}",
                    path.display(),
                    &text[from..at + secret.len()]
                ));
            }
        }
    }
    assert!(
        leaks.is_empty(),
        "{} leaks:\n{}",
        leaks.len(),
        leaks.join("\n")
    );
    run.json()
}

/// A `tool` command refused for its tool name (whitespace) or status, with
/// `value` in it.
fn refused_tool(field: &str, value: &str) -> (Vec<String>, &'static str) {
    let mut command = ["tool", "--user", "u", "--tool", "t", "--status", "ok"].map(str::to_owned);
    match field {
        "status" => command[6] = value.to_owned(),
        _ => command[4] = format!("deploy {value}"),
    }
    (
        command.to_vec(),
        if field == "status" { "status" } else { "tool" },
    )
}

/// `text` in unpadded base64url.
fn base64url(text: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let bits: Vec<bool> = text
        .iter()
        .flat_map(|b| (0..8).rev().map(move |i| b >> i & 1 == 1))
        .collect();
    bits.chunks(6)
        .map(|six| {
            let value = (0..6).fold(0, |v, i| v << 1 | usize::from(six.get(i) == Some(&true)));
            char::from(ALPHABET[value])
        })
        .collect()
}

#[test]
fn telegram_and_discord_bot_tokens_without_a_prefix_reach_no_file() {
    let cli = Cli::new();
    // A Telegram bot token: the bot's id, then 35 base64url.
    let telegram = |seed: u64| format!("{}:AAE{}", 700_000_000 + seed, alnum(80 + seed, 32));
    // A Discord bot token: a user id in base64url, 6, then 27 to 38.
    let discord = |seed: u64| {
        let id = format!("{}", 800_000_000_000_000_000 + seed);
        format!(
            "{}.{}.{}",
            base64url(id.as_bytes()),
            &alnum(85 + seed, 6),
            alnum(87 + seed, 38)
        )
    };
    // Twilio's auth token: 32 hex, a secret only by the key it is under.
    let hex = |seed: u64| hex32(95 + seed);
    let args = json!({
        "bot": telegram(0),
        "note": format!("curl https://api.telegram.org/bot{}/sendMessage -d x", telegram(1)),
        "discord": format!("client.run(\"{}\")", discord(0)),
        "nested": {"argv": ["bot.py", "--token-from", "x", discord(1)]},
        "auth_token": hex(0),
        "twilio": format!("TWILIO_AUTH_TOKEN={}", hex(1)),
        // Ordinary values of a like shape.
        "commit": "9fceb02d0ae598e95dc970b74767f19372d61af8",
        "md5": "d41d8cd98f00b204e9800998ecf8427e",
        "when": "order 12345678:open at 10:30",
        "class": "My.Namespace.Class.Method",
    });
    let refused = [
        refused_tool("tool", &format!("bot{}", telegram(3))),
        refused_tool("status", &discord(3)),
    ];
    let mut secrets: Vec<String> = (0..=3)
        .map(|seed| telegram(seed)[10..].to_owned())
        .collect();
    secrets.extend((0..=3).map(|seed| discord(seed)[34..].to_owned()));
    secrets.extend((0..=1).map(hex));
    let result = format!("bot {} and {}", telegram(2), discord(2));
    let entry = written_without(&cli, &args, &result, &refused, &secrets);
    for key in ["commit", "md5", "when", "class"] {
        assert_eq!(entry["args"][key], args[key], "{entry}");
    }
}

#[test]
fn secret_names_with_characters_that_draw_nothing_inside_reach_no_file() {
    let cli = Cli::new();
    let secret = |seed: u64| alnum(110 + seed, 14);
    let args = json!({
        // Object keys holding one are refused (below); as text, and as
        // names beside a value, they are read without them.
        "env": [{"name": "DB_PASS\u{200B}WORD", "value": secret(0)}],
        "headers": [["X-Api\u{2060}-Key", secret(1)], ["Accept", "json"]],
        "flags": ["tool", "--pass\u{AD}word", secret(2)],
        "bom": format!("\u{FEFF}client_secret={}", secret(3)),
        "url": format!("https://x.example/cb?api\u{200C}_key={}&page=2", secret(4)),
        "hidden": format!("pass\u{200D}word={} to\u{AD}ken: \"{}\"", secret(5), secret(6)),
        "escaped": format!(r#"{{"pass\u200bword": "{}"}}"#, secret(7)),
        "emoji": "👩\u{200D}💻 wrote it",
    });
    let mut refused: Vec<(Vec<String>, &str)> = [
        ("pass\u{200B}word", 8),
        ("to\u{AD}ken", 9),
        ("api\u{E0020}key", 10),
    ]
    .into_iter()
    .map(|(key, seed)| {
        let args = json!({ key: secret(seed) }).to_string();
        let command = [
            "tool", "--user", "u", "--tool", "t", "--status", "ok", "--args", &args,
        ];
        (command.map(str::to_owned).to_vec(), "args")
    })
    .collect();
    refused.push(refused_tool(
        "tool",
        &format!("pass\u{200B}word={}", secret(11)),
    ));
    let secrets: Vec<String> = (0..=11).map(secret).collect();
    let entry = written_without(&cli, &args, "ok", &refused, &secrets);
    assert_eq!(entry["args"]["emoji"], args["emoji"], "{entry}");
}

/// Keys whose words are joined by the punctuation of other scripts (an en
/// dash, a middle dot, Unicode's hyphen, an ideographic space) are
/// secret-looking as their ASCII spelling is.
#[test]
fn secret_names_joined_by_other_scripts_punctuation_reach_no_file() {
    let cli = Cli::new();
    let secret = |seed: u64| alnum(150 + seed, 14);
    let keys = [
        "db\u{2013}pass",
        "db\u{b7}pass",
        "signing\u{2013}key",
        "api\u{2010}key",
        "db\u{3000}pass",
    ];
    let args: serde_json::Map<String, serde_json::Value> = keys
        .iter()
        .zip(0..)
        .map(|(key, seed)| (key.to_string(), json!(secret(seed))))
        .collect();
    let metadata = json!({"db\u{2013}password": secret(9)}).to_string();
    let secrets: Vec<String> = (0..10).map(secret).collect();
    let entry = written_without(&cli, &json!(args), "ok", &[], &secrets[..5]);
    for key in keys {
        assert_eq!(entry["args"][key], "[REDACTED]", "{entry}");
    }
    cli.run(&["record", "s.x", "success", "1", "[]", &metadata])
        .success();
    let stored = std::fs::read_to_string(cli.dir().join("audit_log.json")).unwrap();
    assert!(!stored.contains(&secrets[9]), "{stored}");
}

#[test]
fn the_word_for_password_in_other_languages_reaches_no_file() {
    let cli = Cli::new();
    let secret = |seed: u64| alnum(130 + seed, 14);
    let keys = [
        "пароль",
        "Passwort",
        "contraseña",
        "contrasena",
        "mot_de_passe",
        "nova_senha",
        "wachtwoord",
        "hasło",
        "haslo",
        "密码",
        "パスワード",
        "비밀번호",
        "parola",
    ];
    let mut args = json!({
        "translated": format!("пароль={} パスワード：{} Passwort: {}", secret(20), secret(21), secret(22)),
        // Ordinary keys that hold one or are part of one.
        "parola_chiave": "rust",
        "resenha": "boa",
        "hasLocation": "yes",
    });
    for (seed, key) in (0..).zip(keys) {
        args[key] = json!(secret(seed));
    }
    let refused = [refused_tool("tool", &format!("пароль={}", secret(23)))];
    let secrets: Vec<String> = (0..13).chain(20..=23).map(secret).collect();
    let entry = written_without(
        &cli,
        &args,
        &format!("비밀번호: {}", secret(24)),
        &refused,
        &secrets,
    );
    for key in ["parola_chiave", "resenha", "hasLocation"] {
        assert_eq!(entry["args"][key], args[key], "{entry}");
    }
    assert!(!entry.to_string().contains(&secret(24)), "{entry}");
    // The skill log's metadata and errors too.
    let metadata = json!({"wachtwoord": secret(25)});
    let errors = json!([format!("contraseña: {}", secret(26))]);
    cli.run(&[
        "record",
        "x.run",
        "failed",
        "5",
        &errors.to_string(),
        &metadata.to_string(),
    ])
    .success();
    let log = std::fs::read_to_string(cli.dir().join("audit_log.json")).unwrap();
    for seed in 24..=26 {
        assert!(!log.contains(&secret(seed)), "{log}");
    }
}

#[test]
fn passwords_given_as_bare_arguments_reach_no_file() {
    let cli = Cli::new();
    let secret = |seed: u64| alnum(160 + seed, 14);
    let args = json!({
        "htpasswd": format!("htpasswd -bcB /etc/nginx/.htpasswd admin {}", secret(0)),
        "argv": ["net", "user", "svc_backup", secret(1), "/add"],
        "share": format!(r"net use Z: \\files\it {} /user:corp\bob", secret(2)),
        "rabbit": format!("rabbitmqctl add_user app {}", secret(3)),
        "wifi": format!("wpa_passphrase HomeNet '{} x'", secret(4)),
        "redis": format!("redis-cli -h cache\nAUTH default {}", secret(5)),
        "oracle": format!("sqlplus -s scott/{}@orcl @report.sql", secret(6)),
        "piped": format!("echo 'root:{}' | chpasswd && echo {} | docker login -u me --password-stdin", secret(7), secret(8)),
        "rdp": format!("xfreerdp /u:bob /p:{} /v:10.0.0.5", secret(9)),
        "brute": format!("hydra -l admin -p {} ssh://10.0.0.5", secret(10)),
        "ftp": format!("lftp -u bob,{} ftp.example.org", secret(11)),
        "php": format!("define('DB_PASSWORD', '{}');", secret(12)),
        "vault": format!("vault login {}", secret(15)),
        "gh": format!("echo {} | gh auth login --with-token", secret(16)),
        "httpie": format!("http -a bob:{} https://api.example.org", secret(17)),
        "ci": format!("echo \"::add-mask::{}\"", secret(18)),
        // Ordinary commands of a like shape.
        "listing": "net user; htpasswd -D .htpasswd admin; echo hello | grep h",
        "fields": "validate(\"password\", \"email\")",
        "login": "echo $REGISTRY_TOKEN | docker login -u me --password-stdin",
    });
    let refused = [refused_tool(
        "tool",
        &format!("net user bob {}", secret(13)),
    )];
    let result = format!("$ sqlplus system/{}@db\nConnected.", secret(14));
    let secrets: Vec<String> = (0..=18).map(secret).collect();
    let entry = written_without(&cli, &args, &result, &refused, &secrets);
    for key in ["listing", "login"] {
        assert_eq!(entry["args"][key], args[key], "{entry}");
    }
}

#[test]
fn password_hashes_reach_no_file() {
    let cli = Cli::new();
    let salt = |seed: u64| alnum(180 + seed, 16);
    let hash = |seed: u64| alnum(190 + seed, 43);
    let nt = |seed: u64| hex32(200 + seed);
    let shadow = format!(
        "root:$6${}${}:19000:0:99999:7:::\nbob:$y$j9T${}${}:19000:0:99999:7:::",
        salt(0),
        hash(0),
        salt(1),
        hash(1)
    );
    let args = json!({
        "rows": [{"email": "a@example.org", "password_digest": format!("$2b$12${}{}", salt(2), hash(2))}],
        "argon": format!("stored $argon2id$v=19$m=65536,t=3,p=4${}${}", salt(3), hash(3)),
        "dump": format!("Administrator:500:aad3b435b51404eeaad3b435b51404ee:{}:::", nt(0)),
        "htpasswd": format!("admin:$apr1${}${}\nbob:{{SHA}}{}=", &salt(4)[..8], hash(4), hash(5)),
        "django": format!("pbkdf2_sha256$600000${}${}=", salt(6), hash(6)),
        "ldap": format!("dn: uid=bob\nuserPassword: {{SSHA}}{}", hash(7)),
        "spring": format!("spring.security.user.password={{noop}}{}", hash(8)),
        // Ordinary text with dollars and hex of a like shape.
        "price": "costs $5$10 and $6 each; echo $1$2",
        "digests": format!("{}:{}", nt(1), nt(2)),
    });
    let secrets: Vec<String> = (0..=8)
        .map(hash)
        .chain((0..=1).map(salt))
        .chain([nt(0), salt(6)])
        .collect();
    let entry = written_without(&cli, &args, &shadow, &[], &secrets);
    for key in ["price", "digests"] {
        assert_eq!(entry["args"][key], args[key], "{entry}");
    }
}

#[test]
fn a_password_written_in_prose_reaches_no_file() {
    let cli = Cli::new();
    let secret = |seed: u64| format!("{}7", alnum(210 + seed, 12));
    let args = json!({
        "message": format!("Hi! My password is {} - can you log in for me?", secret(0)),
        "chat": [{"role": "user", "content": format!("the wifi passphrase was {}.", secret(1))}],
        "argv": ["--note", "password", secret(2)],
        // Prose about passwords, and a list of field names.
        "help": "The password is incorrect; the password field is required (8 characters).",
        "fields": ["password", "email"],
    });
    let result = format!("Saved. Your new passcode {} is active.", secret(3));
    let secrets: Vec<String> = (0..=3).map(secret).collect();
    let entry = written_without(&cli, &args, &result, &[], &secrets);
    for key in ["help", "fields"] {
        assert_eq!(entry["args"][key], args[key], "{entry}");
    }
}

#[test]
fn one_time_codes_card_security_codes_and_pins_reach_no_file() {
    let cli = Cli::new();
    let secret = |seed: u64| alnum(230 + seed, 10);
    let args = json!({
        "login": {"user": "bob", "otp": secret(0), "mfaCode": secret(1)},
        "card": {"number_last4": "4242", "cvv2": secret(2), "card_cvc": secret(3)},
        "session": {"jwt": secret(4)},
        "atm": {"pin_code": secret(5)},
        "wifi": {"ssid": "Home", "psk": secret(7)},
        "kubeconfig": {"user": {"client-key-data": secret(8)}},
        "note": format!("TOTP_SECRET={}", secret(6)),
        // Ordinary keys with those letters inside.
        "footprint": "small",
        "hotpath": "/api/x",
    });
    let secrets: Vec<String> = (0..=8).map(secret).collect();
    let entry = written_without(&cli, &args, "ok", &[], &secrets);
    for key in ["footprint", "hotpath"] {
        assert_eq!(entry["args"][key], args[key], "{entry}");
    }
    assert_eq!(entry["args"]["card"]["number_last4"], "4242", "{entry}");
}

/// A token given as a flag's value where a number or word belongs: the
/// command refuses it by name and quotes no secret on stderr.
#[test]
fn refused_command_line_values_quote_no_secret() {
    let cli = Cli::new();
    let token = "ghp_1234567890abcdefghijklmnopqrstuvwxyzAB";
    for args in [
        &["recent", "--user", "a", "--limit", token][..],
        &["recent", "--user", "a", "--days", token],
        &["--max-days", token, "recent", "--user", "a"],
        &["recent", "--user", "a", "--format", token],
        &["tool", "--user", "a", "--tool", "t", "--status", token],
    ] {
        let run = cli.run(args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert!(
            !run.stderr.contains(token) && !run.stdout.contains(token),
            "{args:?}: {run:?}"
        );
    }
}
