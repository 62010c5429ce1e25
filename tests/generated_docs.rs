//! The generated documentation committed under `docs/` — the CLI reference,
//! the man page, the shell completions — is what `auditlog generate` prints
//! from the clap definitions today, so no flag's documentation drifts from
//! the flag.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::support::{Cli, snapshot};

/// The one-line command that brings the committed files up to date.
const REGENERATE: &str = "cargo run -q -p auditlog -- generate --out-dir docs";

/// The repository's `docs/` directory.
fn docs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs")
}

/// Every file under `dir`, by its path relative to `dir`.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    snapshot(dir)
        .into_iter()
        .map(|(path, bytes)| (path.strip_prefix(dir).unwrap().to_owned(), bytes))
        .collect()
}

/// Every generated file, by its path under `docs/`, as the binary writes it now.
fn generated(cli: &Cli) -> BTreeMap<PathBuf, Vec<u8>> {
    let out = cli.outside().join("generated");
    let out_dir = out.to_str().unwrap();
    cli.run(&["generate", "--out-dir", out_dir]).success();
    files(&out)
}

#[test]
fn the_committed_docs_are_what_auditlog_generate_writes() {
    let cli = Cli::new();
    let generated = generated(&cli);
    assert!(
        generated.len() >= 6,
        "the reference, the man page and four completion scripts: {:?}",
        generated.keys()
    );
    let stale: Vec<String> = generated
        .iter()
        .filter(|(path, bytes)| std::fs::read(docs().join(path)).ok().as_ref() != Some(*bytes))
        .map(|(path, _)| format!("docs/{}", path.display()))
        .collect();
    assert!(
        stale.is_empty(),
        "out of date with the clap definitions: {}; regenerate them with `{REGENERATE}` and commit the result",
        stale.join(", ")
    );
}

#[test]
fn docs_holds_no_generated_file_that_auditlog_no_longer_writes() {
    let cli = Cli::new();
    let generated = generated(&cli);
    for dir in ["man", "completions"] {
        for path in files(&docs().join(dir)).keys() {
            let path = Path::new(dir).join(path);
            assert!(
                generated.contains_key(&path),
                "docs/{} is not generated any more: delete it, then run `{REGENERATE}`",
                path.display()
            );
        }
    }
}

#[test]
fn each_kind_is_printed_as_committed() {
    let cli = Cli::new();
    for (kind, file) in [
        ("man", "man/auditlog.1"),
        ("reference", "cli-reference.md"),
        ("complete-bash", "completions/auditlog.bash"),
    ] {
        let printed = cli.run(&["generate", kind]).success().stdout;
        let committed = std::fs::read_to_string(docs().join(file)).unwrap_or_default();
        assert!(
            printed == committed,
            "`auditlog generate {kind}` differs from docs/{file}: regenerate with `{REGENERATE}`"
        );
    }
}

#[test]
fn generate_is_hidden_from_the_help() {
    let cli = Cli::new();
    let help = cli.run(&["--help"]).success().stdout;
    assert!(!help.contains("generate"), "{help}");
    assert!(
        !std::fs::read_to_string(docs().join("cli-reference.md"))
            .unwrap()
            .contains("## `auditlog generate`"),
        "the reference documents the commands users run, not the generator"
    );
}

#[test]
fn completions_offer_no_option_that_no_help_explains() {
    let cli = Cli::new();
    let mut helps = cli.run(&["--help"]).success().stdout;
    for command in [
        "record",
        "tool",
        "recent",
        "stats",
        "serve",
        "verify",
        "repair",
        "adopt",
        "rotate",
        "config",
        "run-skill",
        "component",
        "generate",
    ] {
        helps.push_str(&cli.run(&[command, "--help"]).success().stdout);
    }
    let bash = std::fs::read_to_string(docs().join("completions/auditlog.bash")).unwrap();
    let offered: std::collections::BTreeSet<&str> = bash
        .split(|c: char| c.is_whitespace() || c == '"' || c == ')' || c == '|')
        .filter(|word| {
            word.len() > 2
                && word.starts_with("--")
                && word[2..]
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-')
        })
        .collect();
    assert!(offered.len() > 30, "{offered:?}");
    for option in offered {
        assert!(
            helps.contains(&format!("{option} ")) || helps.contains(&format!("{option}\n")),
            "the completions offer {option}, which no --help explains (the test clock \
             AUDITLOG_NOW, for one, is an environment variable only)"
        );
    }
}
