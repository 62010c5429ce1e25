//! The embedded component: written out, and another one loaded.

use crate::support::Cli;

#[test]
fn component_out_writes_a_webassembly_component() {
    let cli = Cli::new();
    let out = cli.outside().join("auditlog.wasm");
    cli.run(&["component", "--out", out.to_str().unwrap()])
        .success();
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(&bytes[..4], b"\0asm");
    // Version 0x0d, layer 1: a component, not a core module (layer 0).
    assert_eq!(&bytes[4..8], &[0x0d, 0x00, 0x01, 0x00]);
    assert_eq!(bytes, auditlog::EMBEDDED_COMPONENT);
}

#[test]
fn another_component_file_can_be_loaded() {
    let cli = Cli::new();
    let out = cli.outside().join("copy.wasm");
    cli.run(&["component", "--out", out.to_str().unwrap()])
        .success();
    let run = cli
        .run(&[
            "--component",
            out.to_str().unwrap(),
            "record",
            "via.file",
            "success",
        ])
        .success();
    assert_eq!(run.json()["details"]["total_entries"], 1);
}

#[test]
fn a_broken_component_file_is_a_clear_error() {
    let cli = Cli::new();
    // A read refuses a log directory that does not exist before it loads anything.
    std::fs::create_dir_all(cli.dir()).unwrap();
    let bad = cli.outside().join("bad.wasm");
    std::fs::write(&bad, b"not wasm at all").unwrap();
    let run = cli.run(&["--component", bad.to_str().unwrap(), "recent", "--skills"]);
    // The caller's file: refused as bad input, naming the option.
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.starts_with("auditlog: --component: ")
            && run.stderr.contains("is not a component this host can run"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.lines().count(), 1);
    let missing = cli.outside().join("missing.wasm");
    cli.run(&[
        "--component",
        missing.to_str().unwrap(),
        "recent",
        "--skills",
    ])
    .refused("--component");
}
