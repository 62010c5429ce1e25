//! The component can reach nothing but the log directory.

use crate::support::{Cli, snapshot};

#[test]
fn a_symlink_out_of_the_log_directory_is_not_followed() {
    let cli = Cli::new();
    let outside = cli.outside().join("elsewhere");
    std::fs::create_dir_all(outside.join("tool_audit")).unwrap();
    std::fs::create_dir_all(cli.dir()).unwrap();
    std::os::unix::fs::symlink(&outside, cli.dir().join("mallory")).unwrap();

    let run = cli.run(&["tool", "--user", "mallory", "--tool", "t", "--status", "ok"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.starts_with("auditlog: storage failed"),
        "{}",
        run.stderr
    );
    assert!(snapshot(&outside).is_empty(), "nothing was written outside");

    let read = cli.run(&["recent", "--user", "mallory"]);
    assert_ne!(
        read.code, 0,
        "reading through the symlink fails too: {read:?}"
    );
}

#[test]
fn a_symlinked_skill_log_pointing_outside_is_not_followed() {
    let cli = Cli::new();
    let target = cli.outside().join("secret.json");
    std::fs::write(&target, "[\n]\n").unwrap();
    std::fs::create_dir_all(cli.dir()).unwrap();
    std::os::unix::fs::symlink(&target, cli.dir().join("audit_log.json")).unwrap();
    let run = cli.run(&["record", "s.x", "success"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "[\n]\n");
}

#[test]
fn a_symlink_out_of_the_log_directory_is_named_where_it_is() {
    // Refused like a FIFO where a log file belongs, and named the same way:
    // which file, not only "a path led outside of the filesystem".
    let cli = Cli::new();
    cli.run(&["tool", "--user", "alice", "--tool", "t", "--status", "ok"])
        .success();
    let outside = cli.outside().join("2025-10-19.jsonl");
    std::fs::write(&outside, "").unwrap();
    let day = "alice/tool_audit/2025-01-01.jsonl";
    std::os::unix::fs::symlink(&outside, cli.dir().join(day)).unwrap();
    for read in [
        &["recent", "--user", "alice", "--since", "2024-12-31"][..],
        &["verify", "--user", "alice"],
    ] {
        let run = cli.run(read);
        assert_ne!(run.code, 0, "{read:?}: {run:?}");
        assert!(run.stderr.contains(day), "{read:?}: {}", run.stderr);
    }
    std::fs::remove_file(cli.dir().join(day)).unwrap();
    std::os::unix::fs::symlink(cli.outside(), cli.dir().join("mallory")).unwrap();
    let run = cli.run(&["recent", "--user", "mallory"]);
    assert_ne!(run.code, 0, "{run:?}");
    assert!(run.stderr.contains("mallory"), "{}", run.stderr);
}
