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
//! The same nested build also builds the sample skill (`skills/sample`,
//! world `skill`, for `auditlog run-skill`; its path reaches the crate as
//! `AUDITLOG_SAMPLE_SKILL`) and the misbehaving test component
//! (`tests/components/misbehave`, a few seconds: its only dependency is
//! wit-bindgen, which the guest already needs) and hands its path to the tests
//! as `AUDITLOG_TEST_COMPONENT`. With a prebuilt guest it is still attempted on
//! its own; if that fails the host builds anyway, with a warning, and the tests
//! that need it say so.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=AUDITLOG_GUEST_WASM");
    println!("cargo:rerun-if-env-changed=AUDITLOG_PORTABLE_WASM");
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let embedded = out.join("auditlog.wasm");
    let test_component = out.join("misbehave.wasm");

    let manifest_dir =
        PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let root = manifest_dir
        .parent()
        .expect("host/ sits in the workspace root");
    let target_dir = workspace_target_dir(root, &out).join("guest");
    let portable_dir = workspace_target_dir(root, &out).join("guest-portable");
    let built = |name: &str| target_dir.join(format!("wasm32-wasip2/guest/{name}.wasm"));
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

    for watched in ["guest/src", "guest/Cargo.toml"] {
        println!("cargo:rerun-if-changed={}", root.join(watched).display());
    }
    let portable = out.join("auditlog-portable.wasm");
    if let Some(prebuilt) = env::var_os("AUDITLOG_PORTABLE_WASM") {
        let prebuilt = PathBuf::from(prebuilt);
        println!("cargo:rerun-if-changed={}", prebuilt.display());
        copy(&prebuilt, &portable);
    } else if let Err(e) = build_wasm(root, &portable_dir, &["auditlog-guest"], &["portable"]) {
        panic!(
            "building the portable component failed ({e}; is the target installed? \
             `rustup target add wasm32-wasip2`)"
        );
    } else {
        copy(
            &portable_dir.join("wasm32-wasip2/guest/auditlog_guest.wasm"),
            &portable,
        );
    }

    if let Some(prebuilt) = env::var_os("AUDITLOG_GUEST_WASM") {
        let prebuilt = PathBuf::from(prebuilt);
        println!("cargo:rerun-if-changed={}", prebuilt.display());
        copy(&prebuilt, &embedded);
        match build_wasm(
            root,
            &target_dir,
            &["auditlog-misbehave", "auditlog-sample-skill"],
            &[],
        ) {
            Ok(()) => {
                copy(&built("auditlog_misbehave"), &test_component);
                expose_test_component(&test_component);
                expose_sample_skill(&built("auditlog_sample_skill"));
            }
            Err(e) => println!(
                "cargo:warning=the test component was not built ({e}); \
                 the tests that need it will fail"
            ),
        }
        return;
    }

    if let Err(e) = build_wasm(
        root,
        &target_dir,
        &[
            "auditlog-guest",
            "auditlog-misbehave",
            "auditlog-sample-skill",
        ],
        &[],
    ) {
        panic!(
            "building the guest component failed ({e}; is the target installed? \
             `rustup target add wasm32-wasip2`)"
        );
    }
    copy(&built("auditlog_guest"), &embedded);
    copy(&built("auditlog_misbehave"), &test_component);
    expose_test_component(&test_component);
    expose_sample_skill(&built("auditlog_sample_skill"));
}

/// Tells the host's tests, and `auditlog run-skill --help`, where the sample
/// skill component (`skills/sample`) was built.
fn expose_sample_skill(path: &Path) {
    println!("cargo:rustc-env=AUDITLOG_SAMPLE_SKILL={}", path.display());
}

/// `cargo build` of `packages`' libraries for wasm32-wasip2 in the `guest`
/// profile, with `features`, into `target_dir`.
fn build_wasm(
    root: &Path,
    target_dir: &Path,
    packages: &[&str],
    features: &[&str],
) -> Result<(), String> {
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command.current_dir(root).arg("build");
    for package in packages {
        command.args(["--package", package]);
    }
    if !features.is_empty() {
        command.args(["--features", &features.join(",")]);
    }
    let status = command
        .args(["--lib", "--target", "wasm32-wasip2", "--profile", "guest"])
        .arg("--target-dir")
        .arg(target_dir)
        // Flags meant for the host (coverage, sanitizers, -C target-cpu) must not
        // reach the wasm build.
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS")
        .env_remove("CARGO_TARGET_DIR")
        .status()
        .map_err(|e| format!("could not run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("cargo build of {} failed", packages.join(", ")))
    }
}

/// Tells the host's tests where the misbehaving test component is.
fn expose_test_component(path: &Path) {
    println!("cargo:rustc-env=AUDITLOG_TEST_COMPONENT={}", path.display());
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
