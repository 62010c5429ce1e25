//! A nested `cargo build` of workspace packages for wasm32-wasip2, shared by
//! the build scripts that make components: `host/build.rs` (the guest, which
//! ships) and `tests/artifacts/build.rs` (the test fixtures, which do not).

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

/// `cargo build` of `packages`' libraries for wasm32-wasip2 in the `guest`
/// profile, with `features`, from the workspace at `root` into `target_dir`.
///
/// Each caller passes its own `target_dir`, so two build scripts running at
/// once never wait on each other's build lock.
pub fn build_wasm(
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

/// Where `build_wasm` leaves `package`'s component in `target_dir`.
pub fn built(target_dir: &Path, package: &str) -> PathBuf {
    target_dir.join(format!(
        "wasm32-wasip2/guest/{}.wasm",
        package.replace('-', "_")
    ))
}

/// The workspace's target directory: `OUT_DIR` is `<target>/<profile>/build/<pkg>/out`,
/// or `<target>/<triple>/<profile>/build/<pkg>/out` when cross-compiling.
pub fn workspace_target_dir(root: &Path, out: &Path) -> PathBuf {
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
