//! Builds the guest component and hands it to the crate as `OUT_DIR/auditlog.wasm`.
//!
//! A nested `cargo build --target wasm32-wasip2 --profile guest` with its own
//! target directory (`target/guest`, shared by every profile of the host, so the
//! guest is built once whichever way the host is built). Set
//! `AUDITLOG_GUEST_WASM=/path/to/component.wasm` to embed a prebuilt component
//! instead.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=AUDITLOG_GUEST_WASM");
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let embedded = out.join("auditlog.wasm");

    if let Some(prebuilt) = env::var_os("AUDITLOG_GUEST_WASM") {
        let prebuilt = PathBuf::from(prebuilt);
        println!("cargo:rerun-if-changed={}", prebuilt.display());
        copy(&prebuilt, &embedded);
        return;
    }

    let manifest_dir =
        PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let root = manifest_dir
        .parent()
        .expect("host/ sits in the workspace root");
    for watched in [
        "wit",
        "guest/src",
        "guest/Cargo.toml",
        "Cargo.lock",
        "Cargo.toml",
    ] {
        println!("cargo:rerun-if-changed={}", root.join(watched).display());
    }

    let target_dir = workspace_target_dir(root, &out).join("guest");
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(root)
        .args([
            "build",
            "--package",
            "auditlog-guest",
            "--lib",
            "--target",
            "wasm32-wasip2",
            "--profile",
            "guest",
        ])
        .arg("--target-dir")
        .arg(&target_dir)
        // Flags meant for the host (coverage, sanitizers, -C target-cpu) must not
        // reach the wasm build.
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS")
        .env_remove("CARGO_TARGET_DIR")
        .status()
        .expect("could not run cargo to build the guest component");
    if !status.success() {
        panic!(
            "building the guest component failed (is the target installed? \
             `rustup target add wasm32-wasip2`)"
        );
    }
    copy(
        &target_dir.join("wasm32-wasip2/guest/auditlog_guest.wasm"),
        &embedded,
    );
}

/// The workspace's target directory: `OUT_DIR` is `<target>/<profile>/build/<pkg>/out`,
/// or `<target>/<triple>/<profile>/build/<pkg>/out` when cross-compiling.
fn workspace_target_dir(root: &Path, out: &Path) -> PathBuf {
    if let Some(dir) = env::var_os("CARGO_TARGET_DIR") {
        let dir = PathBuf::from(dir);
        return if dir.is_absolute() {
            dir
        } else {
            root.join(dir)
        };
    }
    out.ancestors()
        .find(|p| p.join("CACHEDIR.TAG").exists())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| root.join("target"))
}

fn copy(from: &Path, to: &Path) {
    std::fs::copy(from, to)
        .unwrap_or_else(|e| panic!("cannot copy {} to {}: {e}", from.display(), to.display()));
}
