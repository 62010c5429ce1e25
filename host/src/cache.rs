//! The compiled form of a component, kept on disk so that a one-shot run of
//! the CLI loads it (a few milliseconds) instead of compiling it again (about
//! 0.3 s with Cranelift).
//!
//! Files live in `$AUDITLOG_CACHE_DIR`, else `$XDG_CACHE_HOME/auditlog`, else
//! `~/.cache/auditlog`, named after the SHA-256 of the component's bytes and
//! wasmtime's compatibility hash (its version and the engine's settings), so a
//! new build or a new wasmtime never loads a stale file. They are written to a
//! temporary name and renamed into place, so concurrent runs never see half a
//! file. Anything that goes wrong — no cache directory, an unreadable or
//! incompatible file — falls back to compiling; `AUDITLOG_CACHE_DIR=""`
//! (empty) turns the cache off.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::PathBuf;

use sha2::{Digest, Sha256};
use wasmtime::Engine;
use wasmtime::component::Component;

/// Where compiled components are kept, if anywhere.
pub(crate) fn cache_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("AUDITLOG_CACHE_DIR") {
        return (!dir.is_empty()).then(|| PathBuf::from(dir));
    }
    if let Some(dir) = std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir).join("auditlog"));
    }
    std::env::var_os("HOME")
        .filter(|d| !d.is_empty())
        .map(|home| PathBuf::from(home).join(".cache").join("auditlog"))
}

/// Whether `dir` (created `0o700` if missing) is this user's alone: owned
/// by them and writable by no one else. Loading a compiled component runs
/// its code, so a directory where another user could plant a file — a
/// shared `$XDG_CACHE_HOME`, a cache directory left group-writable — is
/// never used.
#[cfg(unix)]
fn is_private(dir: &std::path::Path) -> bool {
    use std::os::unix::fs::{DirBuilderExt, MetadataExt};
    let _ = std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir);
    // SAFETY: geteuid has no preconditions and cannot fail.
    #[allow(unsafe_code)]
    let me = unsafe { libc::geteuid() };
    std::fs::metadata(dir).is_ok_and(|meta| meta.uid() == me && meta.mode() & 0o022 == 0)
}

/// Elsewhere the user's cache directory is trusted as the binary is.
#[cfg(not(unix))]
fn is_private(_dir: &std::path::Path) -> bool {
    true
}

/// The cache file in `dir` for `bytes` compiled by `engine`.
fn cache_file(dir: PathBuf, engine: &Engine, bytes: &[u8]) -> PathBuf {
    let digest = Sha256::digest(bytes);
    let mut hasher = DefaultHasher::new();
    engine.precompile_compatibility_hash().hash(&mut hasher);
    let name = format!(
        "{}-{:016x}.cwasm",
        digest
            .iter()
            .take(16)
            .map(|b| format!("{b:02x}"))
            .collect::<String>(),
        hasher.finish()
    );
    dir.join(name)
}

/// How every WebAssembly binary, a component included, starts.
const WASM_MAGIC: &[u8] = b"\0asm";

/// `bytes` (a component) compiled for `engine`: from the cache when it holds
/// them, else compiled and, if possible, added to the cache.
///
/// # Errors
/// When `bytes` do not compile.
pub fn load_or_compile(engine: &Engine, bytes: &[u8]) -> wasmtime::Result<Component> {
    load_or_compile_in(cache_dir(), engine, bytes)
}

/// As [`load_or_compile`], with the cache in `dir` (none: compile).
pub(crate) fn load_or_compile_in(
    dir: Option<PathBuf>,
    engine: &Engine,
    bytes: &[u8],
) -> wasmtime::Result<Component> {
    // wasmtime's own refusal quotes the first bytes of whatever it was given
    // (`actual=[ 0x50, 0x49, 0x4e, 0x3d ]`, a file's `PIN=`).
    if !bytes.starts_with(WASM_MAGIC) {
        wasmtime::bail!("not a WebAssembly component: it does not start with \\0asm");
    }
    let Some(dir) = dir.filter(|dir| is_private(dir)) else {
        return Component::new(engine, bytes);
    };
    let path = cache_file(dir, engine, bytes);
    if path.is_file() {
        // SAFETY: the file was written by `precompile_component` below for an
        // engine with the same compatibility hash (its name says so), into a
        // cache directory only this user can write (`is_private`).
        // A damaged or foreign file fails wasmtime's header checks and is
        // compiled afresh.
        #[allow(unsafe_code)]
        if let Ok(component) = unsafe { Component::deserialize_file(engine, &path) } {
            return Ok(component);
        }
    }
    let compiled = engine.precompile_component(bytes)?;
    if let Some(dir) = path.parent()
        && std::fs::create_dir_all(dir).is_ok()
    {
        let tmp = path.with_extension(format!("{}.tmp", std::process::id()));
        // A write cut short (a full disk) or a failed rename leaves no
        // temporary file behind.
        if std::fs::write(&tmp, &compiled).is_err() || std::fs::rename(&tmp, &path).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
    // SAFETY: `compiled` was produced just now by `precompile_component` on
    // this very engine.
    #[allow(unsafe_code)]
    unsafe {
        Component::deserialize(engine, &compiled)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_compiled_component_is_reused_and_a_damaged_file_recompiled() {
        let dir = tempfile::tempdir().unwrap();
        let cache = || Some(dir.path().to_path_buf());
        let engine = Engine::default();
        let bytes = crate::EMBEDDED_COMPONENT;
        load_or_compile_in(cache(), &engine, bytes).unwrap();
        let files: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(files.len(), 1, "{files:?}");
        assert!(files[0].extension().is_some_and(|e| e == "cwasm"));
        load_or_compile_in(cache(), &engine, bytes).unwrap();
        std::fs::write(&files[0], b"not a compiled component").unwrap();
        load_or_compile_in(cache(), &engine, bytes)
            .expect("a damaged cache file is compiled afresh");
        assert_ne!(
            std::fs::read(&files[0]).unwrap(),
            b"not a compiled component"
        );
    }

    /// The attack: whoever can put a file in the cache directory runs code
    /// in the CLI's process. Such a directory is neither read nor written.
    #[cfg(unix)]
    #[test]
    fn a_cache_directory_someone_else_could_plant_code_in_is_not_used() {
        use std::os::unix::fs::PermissionsExt;
        let engine = Engine::default();
        let bytes = crate::EMBEDDED_COMPONENT;
        for planted in ["writable by others", "owned by another user"] {
            let dir = tempfile::tempdir().unwrap();
            if planted == "writable by others" {
                std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777))
                    .unwrap();
            } else if std::os::unix::fs::chown(dir.path(), Some(65534), Some(65534)).is_err() {
                continue; // changing a directory's owner needs root
            }
            load_or_compile_in(Some(dir.path().to_path_buf()), &engine, bytes).unwrap();
            let files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
            assert!(files.is_empty(), "{planted}: {files:?}");
        }
    }
}
