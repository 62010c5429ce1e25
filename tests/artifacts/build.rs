//! Builds the test fixtures for wasm32-wasip2 and hands their paths to the
//! crate as `AUDITLOG_MISBEHAVE_WASM` and `AUDITLOG_SAMPLE_SKILL_WASM`.
//!
//! One nested `cargo build --target wasm32-wasip2 --profile guest` of
//! `auditlog-misbehave` (`tests/components/misbehave`) and
//! `auditlog-sample-skill` (`skills/sample`) into its own target directory,
//! `target/test-artifacts`, so it never waits on the guest's build in
//! `target/guest`. Without the wasm target it stops with the command that
//! installs it.

use std::env;
use std::path::{Path, PathBuf};

#[path = "../../host/nested_build.rs"]
mod nested_build;

use nested_build::{build_wasm, built, workspace_target_dir};

/// The fixtures, each with the variable that carries its path to the crate.
const FIXTURES: [(&str, &str); 2] = [
    ("auditlog-misbehave", "AUDITLOG_MISBEHAVE_WASM"),
    ("auditlog-sample-skill", "AUDITLOG_SAMPLE_SKILL_WASM"),
];

fn main() {
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let manifest_dir =
        PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let root = manifest_dir
        .ancestors()
        .nth(2)
        .expect("tests/artifacts/ sits two levels below the workspace root");
    for watched in [
        "wit",
        "tests/components/misbehave/src",
        "tests/components/misbehave/Cargo.toml",
        "skills/sample/src",
        "skills/sample/Cargo.toml",
        "Cargo.lock",
        "Cargo.toml",
    ] {
        println!("cargo:rerun-if-changed={}", root.join(watched).display());
    }

    let target_dir = workspace_target_dir(root, &out).join("test-artifacts");
    let packages = FIXTURES.map(|(package, _)| package);
    if let Err(e) = build_wasm(root, &target_dir, &packages, &[]) {
        panic!(
            "building the test fixtures ({}) failed ({e}); the tests need the wasm \
             target: `rustup target add wasm32-wasip2`",
            packages.join(", ")
        );
    }
    for (package, variable) in FIXTURES {
        expose(variable, &built(&target_dir, package));
    }
}

/// Hands a fixture's path to the crate as the compile-time variable `variable`.
fn expose(variable: &str, path: &Path) {
    assert!(path.is_file(), "{} was not built", path.display());
    println!("cargo:rustc-env={variable}={}", path.display());
}
