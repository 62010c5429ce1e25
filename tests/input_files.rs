//! Files named by an option and read whole — `--admin-token-file`,
//! `--user-tokens-file`, `--key-file`, `--component`, `run-skill`'s
//! `SKILL.wasm`, `verify --checkpoint`, `tool --result-file`, the log
//! directory's `auditlog.toml` —
//! given a FIFO (which would hang the read), a device such as `/dev/zero`
//! (which never ends), a directory or a file past the cap: each is refused
//! at once, naming the option and why, and the log is left as it was.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::support::{Cli, run_within, write_secret};

/// Longer than any refusal takes, so that a command that hangs ends the test
/// with a message rather than holding it.
const HANG: Duration = Duration::from_secs(60);

/// A log with one entry of each kind, and a valid admin token file outside it.
fn seeded() -> (Cli, PathBuf) {
    let cli = Cli::new();
    cli.run(&["tool", "--user", "alice", "--tool", "t", "--status", "ok"])
        .success();
    cli.run(&["record", "s", "success"]).success();
    let admin = cli.outside().join("admin.token");
    write_secret(&admin, "admin-token-0123456789").unwrap();
    (cli, admin)
}

/// A FIFO at `path` that only its owner may read (a token file's rule).
fn fifo(path: &Path) {
    let made = std::process::Command::new("mkfifo")
        .args(["-m", "600"])
        .arg(path)
        .status();
    assert!(made.unwrap().success(), "mkfifo {}", path.display());
}

/// Each command line that reads `file` through an option, and the option.
fn readers<'a>(admin: &'a str, file: &'a str) -> Vec<(Vec<&'a str>, &'static str)> {
    let serve = ["serve", "--listen", "127.0.0.1:0"];
    vec![
        (
            [&serve[..], &["--admin-token-file", file]].concat(),
            "--admin-token-file",
        ),
        (
            [
                &serve[..],
                &["--admin-token-file", admin, "--user-tokens-file", file],
            ]
            .concat(),
            "--user-tokens-file",
        ),
        (
            vec!["--key-file", file, "record", "s", "success"],
            "--key-file",
        ),
        (
            vec!["--component", file, "record", "s", "success"],
            "--component",
        ),
        (
            vec!["run-skill", "--user", "alice", "--name", "s", file, "x"],
            "SKILL.wasm",
        ),
        (vec!["verify", "--checkpoint", file], "--checkpoint"),
        (
            vec![
                "tool",
                "--user",
                "alice",
                "--tool",
                "t",
                "--status",
                "ok",
                "--result-file",
                file,
            ],
            "--result-file",
        ),
    ]
}

/// Runs `args`, asserting it is refused (exit 2) within [`HANG`] with one
/// line naming `field` and saying `says`.
#[track_caller]
fn assert_refused(cli: &Cli, args: &[&str], field: &str, says: &str) {
    let out = run_within(&cli.dir(), args, HANG)
        .unwrap_or_else(|| panic!("{args:?} hung: still running after {HANG:?}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{args:?}: one line: {stderr}");
    assert!(
        stderr.starts_with(&format!("auditlog: {field}: ")) && stderr.contains(says),
        "{args:?}: expected {field}: …{says}…, got {stderr}"
    );
}

#[test]
fn a_fifo_a_device_or_a_directory_given_as_a_file_is_refused_without_hanging() {
    let (cli, admin) = seeded();
    let before = cli.snapshot();
    let pipe = cli.outside().join("pipe");
    fifo(&pipe);
    let folder = cli.outside().join("folder");
    std::fs::create_dir(&folder).unwrap();
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o700)).unwrap();
    let admin = admin.to_str().unwrap();
    for (file, kind) in [
        (pipe.to_str().unwrap(), "a FIFO"),
        ("/dev/zero", "a character device"),
        (folder.to_str().unwrap(), "a directory"),
    ] {
        for (args, field) in readers(admin, file) {
            // A key may come from a pipe (`--key-file <(command)`): one that
            // nobody writes holds no key.
            let says = if field == "--key-file" && kind == "a FIFO" {
                format!("key file {file} is empty")
            } else {
                format!("{file} is not a regular file (it is {kind})")
            };
            assert_refused(&cli, &args, field, &says);
            assert_eq!(cli.snapshot(), before, "{args:?} changed the log");
        }
    }
}

#[test]
fn a_file_past_its_cap_is_refused_unread() {
    let (cli, admin) = seeded();
    let before = cli.snapshot();
    // Sparse files: as large as they say, without the disk space.
    let sized = |name: &str, bytes: u64| {
        let path = cli.outside().join(name);
        write_secret(&path, "").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(bytes)
            .unwrap();
        path.to_str().unwrap().to_owned()
    };
    let secret = sized("big.secret", (1 << 20) + 1);
    let component = sized("big.wasm", (64 << 20) + 1);
    let admin = admin.to_str().unwrap();
    for (args, field) in readers(admin, &secret) {
        if matches!(
            field,
            "--admin-token-file" | "--user-tokens-file" | "--key-file"
        ) {
            let says = format!("{secret} is larger than 1 MiB, the most this file may hold");
            assert_refused(&cli, &args, field, &says);
        }
    }
    for (args, field) in readers(admin, &component) {
        if matches!(
            field,
            "--component" | "SKILL.wasm" | "--checkpoint" | "--result-file"
        ) {
            let says = format!("{component} is larger than 64 MiB, the most this file may hold");
            assert_refused(&cli, &args, field, &says);
        }
    }
    assert_eq!(cli.snapshot(), before);
}

#[test]
fn a_fifo_as_the_log_directory_s_auditlog_toml_is_refused_without_hanging() {
    let (cli, _) = seeded();
    let before = cli.snapshot();
    let config = cli.dir().join("auditlog.toml");
    fifo(&config);
    let out = run_within(&cli.dir(), &["record", "s", "success"], HANG)
        .unwrap_or_else(|| panic!("record hung on a FIFO auditlog.toml"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("auditlog.toml") && stderr.contains("is not a regular file (it is a FIFO)"),
        "{stderr}"
    );
    // (Taken without the FIFO: reading it would hang the test.)
    std::fs::remove_file(&config).unwrap();
    assert_eq!(cli.snapshot(), before);
}

/// The attack: whoever can write the log directory links `auditlog.toml`
/// to a file they cannot read, for the host to read and quote back in its
/// refusal. Only a link to another file of the directory is followed.
#[test]
fn an_auditlog_toml_linked_out_of_the_log_directory_is_not_read() {
    let (cli, _) = seeded();
    let before = cli.snapshot();
    let private = cli.outside().join("private.toml");
    std::fs::write(&private, "owners-only = \"the contents\"\n").unwrap();
    let config = cli.dir().join("auditlog.toml");
    for target in [private.clone(), PathBuf::from("/nonexistent/auditlog.toml")] {
        std::os::unix::fs::symlink(&target, &config).unwrap();
        let run = cli.run(&["record", "s", "success"]);
        assert_eq!(run.code, 2, "{run:?}");
        assert!(
            run.stderr.contains("auditlog.toml")
                && run.stderr.contains("symbolic link out of its directory")
                && !run.stderr.contains("owners-only"),
            "{run:?}"
        );
        std::fs::remove_file(&config).unwrap();
        assert_eq!(cli.snapshot(), before);
    }
    // A link to a file of the directory is the directory's own.
    std::fs::create_dir(cli.dir().join("policy")).unwrap();
    std::fs::write(
        cli.dir().join("policy/auditlog.toml"),
        "[tool_log]\nmax_dayz = 3\n",
    )
    .unwrap();
    std::os::unix::fs::symlink("policy/auditlog.toml", &config).unwrap();
    cli.run(&["record", "s", "success"]).refused("max_dayz");
}

/// The checkpoint is written through a temporary that nobody could have
/// prepared: a symbolic link at the old fixed `<name>.tmp`, in a directory
/// others may write, made `verify` overwrite the file it pointed at.
#[test]
fn a_checkpoint_is_never_written_through_a_prepared_temporary() {
    let (cli, _) = seeded();
    let shared = cli.outside().join("shared");
    std::fs::create_dir(&shared).unwrap();
    let victim = cli.outside().join("victim");
    std::fs::write(&victim, "keep me\n").unwrap();
    std::os::unix::fs::symlink(&victim, shared.join("ckpt.tmp")).unwrap();
    let checkpoint = shared.join("ckpt.json");
    cli.run(&["verify", "--checkpoint", checkpoint.to_str().unwrap()])
        .success();
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me\n");
    assert!(std::fs::symlink_metadata(&checkpoint).unwrap().is_file());
}

/// Refusals of what a file holds quote no secret in it: a JSON string for
/// the user tokens printed the token, and `auditlog.toml` quoted a value
/// pasted into it whole, unredacted.
#[test]
fn a_refused_token_file_or_config_value_is_not_echoed_back() {
    let (cli, admin) = seeded();
    let users = cli.outside().join("users.json");
    write_secret(&users, "\"alice-SECRET-TOKEN-0123456789abcdef\"").unwrap();
    let run = cli.run(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--admin-token-file",
        admin.to_str().unwrap(),
        "--user-tokens-file",
        users.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("it holds a string") && !run.stderr.contains("SECRET"),
        "{run:?}"
    );

    let pasted = format!(
        "ghp_{} password=hunter2xyz {}",
        "A".repeat(36),
        "z".repeat(300)
    );
    std::fs::write(
        cli.dir().join("auditlog.toml"),
        format!("[tool_log]\nmax_days = \"{pasted}\"\n"),
    )
    .unwrap();
    let run = cli.run(&["record", "s", "success"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("tool_log.max_days (line 2)")
            && !run.stderr.contains("ghp_A")
            && !run.stderr.contains("hunter2")
            && run.stderr.len() < 400,
        "{run:?}"
    );

    // Pasted as a key, the secret was quoted twice: in the key path and in
    // toml's `unknown field`.
    std::fs::write(
        cli.dir().join("auditlog.toml"),
        format!("[tool_log]\nghp_{} = 3\n", "A".repeat(36)),
    )
    .unwrap();
    let run = cli.run(&["record", "s", "success"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("unknown field") && !run.stderr.contains("ghp_A"),
        "{run:?}"
    );
}

/// A file that is no WebAssembly is refused as bad input (exit 2), without
/// its first bytes: wasmtime's own message quoted them (`PIN=`).
#[test]
fn a_component_that_is_no_webassembly_is_refused_without_its_bytes() {
    let (cli, _) = seeded();
    let not_wasm = cli.outside().join("pin.wasm");
    std::fs::write(&not_wasm, "PIN=1234\n").unwrap();
    let run = cli.run(&[
        "--component",
        not_wasm.to_str().unwrap(),
        "record",
        "s",
        "success",
    ]);
    let run = run.refused("--component");
    assert!(
        run.stderr.contains("not a WebAssembly component") && !run.stderr.contains("0x50"),
        "{run:?}"
    );
    // A component of another world (a skill) is the caller's mistake too.
    let skill = auditlog_test_artifacts::SAMPLE_SKILL;
    cli.run(&["--component", skill, "record", "s", "success"])
        .refused("is not a component this host can run");
}
