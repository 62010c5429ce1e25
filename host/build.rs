//! Builds the guest component and hands it to the crate as `OUT_DIR/auditlog.wasm`.
//!
//! A nested `cargo build --target wasm32-wasip2 --profile guest` with its own
//! target directory (`target/guest`, shared by every profile of the host, so the
//! guest is built once whichever way the host is built). Set
//! `AUDITLOG_GUEST_WASM=/path/to/component.wasm` to embed a prebuilt component
//! instead.
//!
//! A second nested build, with the guest's `portable` feature and its own
//! target directory (`target/guest-portable`: the same crate with other
//! features would otherwise overwrite the first), makes the portable
//! component (`OUT_DIR/auditlog-portable.wasm`, world `portable`), which
//! `auditlog component --portable` writes out. `AUDITLOG_PORTABLE_WASM`
//! embeds a prebuilt one instead.
//!
//! Nothing else: the components only the tests need (the misbehaving one, the
//! sample skill) are built by `tests/artifacts`, a dev-dependency, so building
//! the CLI never compiles them.

use std::env;
use std::path::{Path, PathBuf};

mod nested_build;

use nested_build::{build_wasm, built, workspace_target_dir};

fn main() {
    println!("cargo:rerun-if-env-changed=AUDITLOG_GUEST_WASM");
    println!("cargo:rerun-if-env-changed=AUDITLOG_PORTABLE_WASM");
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let manifest_dir =
        PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let root = manifest_dir
        .parent()
        .expect("host/ sits in the workspace root");
    for watched in [
        "wit",
        "guest/src",
        "guest/Cargo.toml",
        "model/src",
        "model/Cargo.toml",
        "Cargo.lock",
        "Cargo.toml",
    ] {
        println!("cargo:rerun-if-changed={}", root.join(watched).display());
    }

    let portable = out.join("auditlog-portable.wasm");
    if let Some(prebuilt) = env::var_os("AUDITLOG_PORTABLE_WASM") {
        let prebuilt = PathBuf::from(prebuilt);
        println!("cargo:rerun-if-changed={}", prebuilt.display());
        copy(&prebuilt, &portable);
    } else {
        let portable_dir = workspace_target_dir(root, &out).join("guest-portable");
        build_guest(root, &portable_dir, &["portable"], "the portable component");
        copy(&built(&portable_dir, "auditlog-guest"), &portable);
    }

    let embedded = out.join("auditlog.wasm");
    if let Some(prebuilt) = env::var_os("AUDITLOG_GUEST_WASM") {
        let prebuilt = PathBuf::from(prebuilt);
        println!("cargo:rerun-if-changed={}", prebuilt.display());
        copy(&prebuilt, &embedded);
    } else {
        let target_dir = workspace_target_dir(root, &out).join("guest");
        build_guest(root, &target_dir, &[], "the guest component");
        copy(&built(&target_dir, "auditlog-guest"), &embedded);
    }
}

/// Builds `auditlog-guest` with `features` into `target_dir`, or stops the
/// host's build naming `what` failed and the likely cause.
fn build_guest(root: &Path, target_dir: &Path, features: &[&str], what: &str) {
    if let Err(e) = build_wasm(root, target_dir, &["auditlog-guest"], features) {
        panic!(
            "building {what} failed ({e}; is the target installed? \
             `rustup target add wasm32-wasip2`)"
        );
    }
}

fn copy(from: &Path, to: &Path) {
    std::fs::copy(from, to)
        .unwrap_or_else(|e| panic!("cannot copy {} to {}: {e}", from.display(), to.display()));
}
