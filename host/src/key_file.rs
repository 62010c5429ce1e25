//! The chain key's file: read, checked, and kept out of the log directory.
//!
//! The key makes the chain unforgeable only while nobody who can write the
//! logs can read it, so a key file that resolves into the log directory —
//! directly, through `..`, through a symbolic link, or as a second hard link
//! to a file there — is refused, as is a file every user can read
//! ([`crate::secret_file`]) or that holds too short a key. It is opened
//! and read as every input file is ([`crate::input_file`]): a regular file or
//! a pipe (`--key-file <(command)` keeps the key off the disk), at most
//! [`MAX_SECRET_BYTES`](crate::input_file::MAX_SECRET_BYTES).
//! The CLI's `--key-file` and [`AuditLogBuilder::chain_key_file`] both read
//! the key here.
//!
//! [`AuditLogBuilder::chain_key_file`]: crate::AuditLogBuilder::chain_key_file

use std::path::{Path, PathBuf};

use crate::input_file::{InputFile, Kinds, MAX_SECRET_BYTES};

/// The fewest bytes a key may have, once the whitespace around it (a
/// trailing newline, say) is trimmed: 16, as the component requires.
pub const MIN_KEY_BYTES: usize = 16;

/// The chain key in `path`, for the logs in `log_dir`: the file's bytes
/// without the ASCII whitespace around them.
///
/// # Errors
/// Why the file is refused, as a sentence fragment naming it and saying
/// what to do: inside the log directory (see [`refuse_inside`]), neither
/// a regular file nor a pipe (a directory, a device), a second hard link,
/// readable by every user or writable by others ([`crate::secret_file`]),
/// unreadable, larger than [`MAX_SECRET_BYTES`], empty or whitespace only,
/// or shorter than [`MIN_KEY_BYTES`].
pub fn read(path: &Path, log_dir: &Path) -> Result<Vec<u8>, String> {
    refuse_inside(log_dir, path)?;
    let shown = path.display();
    let file = InputFile::open(path, Kinds::RegularOrPipe).map_err(|e| e.to_string())?;
    refuse_hard_links(path, file.metadata())?;
    crate::secret_file::refuse_shared("key file", path, file.metadata())?;
    let bytes = file.read(MAX_SECRET_BYTES).map_err(|e| e.to_string())?;
    let key = bytes.trim_ascii();
    let advice = format!(
        "write at least {MIN_KEY_BYTES} random bytes, e.g. `(umask 077; head -c 32 /dev/urandom > {shown})`"
    );
    if key.is_empty() {
        let what = if bytes.is_empty() {
            "is empty"
        } else {
            "holds only whitespace"
        };
        return Err(format!("key file {shown} {what}: {advice}"));
    }
    if key.len() < MIN_KEY_BYTES {
        return Err(format!(
            "key file {shown} holds a {}-byte key: {advice}",
            key.len()
        ));
    }
    Ok(key.to_vec())
}

/// Refuses `path` if the file it names (following symbolic links and `..`)
/// is in `log_dir` or below it: the component, and anyone who can read the
/// logs, can read what is there. A `path` that does not exist yet is judged
/// by its resolved parent directory.
///
/// # Errors
/// The reason, naming `path`.
pub fn refuse_inside(log_dir: &Path, path: &Path) -> Result<(), String> {
    if resolve(path).starts_with(resolve(log_dir)) {
        return Err(format!(
            "{} is inside the log directory; keep it outside",
            path.display()
        ));
    }
    Ok(())
}

/// `path` made absolute with every symbolic link and `..` resolved, as far
/// as it exists: a missing last component is joined to its resolved parent.
fn resolve(path: &Path) -> PathBuf {
    if let Ok(real) = std::fs::canonicalize(path) {
        return real;
    }
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    match (absolute.parent(), absolute.file_name()) {
        (Some(parent), Some(name)) => resolve(parent).join(name),
        _ => absolute,
    }
}

/// Refuses a key file with more than one name: another name may be inside
/// the log directory, and finding it would mean searching the whole disk.
#[cfg(unix)]
fn refuse_hard_links(path: &Path, meta: &std::fs::Metadata) -> Result<(), String> {
    use std::os::unix::fs::MetadataExt;
    if meta.nlink() > 1 {
        return Err(format!(
            "key file {} has {} hard links, and one may be inside the log directory: keep the key in a file of its own (copy it)",
            path.display(),
            meta.nlink()
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
fn refuse_hard_links(_: &Path, _: &std::fs::Metadata) -> Result<(), String> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    /// Writes `contents` to `path` readable by its owner alone.
    fn write_private(path: &Path, contents: &str) {
        std::fs::write(path, contents).unwrap();
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }

    #[test]
    fn a_key_that_resolves_into_the_log_directory_is_refused() {
        let root = tempfile::tempdir().unwrap();
        let logs = root.path().join("logs");
        let outside = root.path().join("keys");
        std::fs::create_dir_all(logs.join("sub")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        let inside = logs.join("chain.key");
        std::fs::write(&inside, "0123456789abcdef0123").unwrap();
        let dotted = outside.join("../logs/sub/../chain.key");
        let linked = outside.join("chain.key");
        std::os::unix::fs::symlink(&inside, &linked).unwrap();
        let dir_link = root.path().join("logs-link");
        std::os::unix::fs::symlink(&logs, &dir_link).unwrap();
        for (what, key, dir) in [
            ("direct", &inside, &logs),
            ("..", &dotted, &logs),
            ("symlink to it", &linked, &logs),
            ("log dir through a symlink", &inside, &dir_link),
        ] {
            let refused = read(key, dir).unwrap_err();
            assert!(
                refused.contains("inside the log directory"),
                "{what}: {refused}"
            );
        }
        let hard = outside.join("hard.key");
        std::fs::hard_link(&inside, &hard).unwrap();
        let refused = read(&hard, &logs).unwrap_err();
        assert!(refused.contains("hard links"), "{refused}");
    }

    #[test]
    fn a_directory_or_a_device_is_refused_as_such() {
        let dir = tempfile::tempdir().unwrap();
        let logs = dir.path().join("logs");
        let keys = dir.path().join("keys");
        std::fs::create_dir_all(keys.join("sub")).unwrap();
        let refused = read(&keys, &logs).unwrap_err();
        assert!(
            refused.ends_with("is not a regular file (it is a directory)"),
            "{refused}"
        );
        let refused = read(Path::new("/dev/zero"), &logs).unwrap_err();
        assert_eq!(
            refused,
            "/dev/zero is not a regular file (it is a character device)"
        );
    }

    #[test]
    fn empty_blank_and_short_keys_are_refused_saying_what_to_write() {
        let dir = tempfile::tempdir().unwrap();
        let logs = dir.path().join("logs");
        for (contents, says) in [
            ("", "is empty"),
            (" \n\t\n", "holds only whitespace"),
            ("short\n", "holds a 5-byte key"),
        ] {
            let key = dir.path().join("chain.key");
            write_private(&key, contents);
            let refused = read(&key, &logs).unwrap_err();
            assert!(refused.contains(says), "{refused}");
            assert!(refused.contains("head -c 32 /dev/urandom > "), "{refused}");
        }
        let key = dir.path().join("good.key");
        write_private(&key, "  a key long enough to use\n");
        assert_eq!(read(&key, &logs).unwrap(), b"a key long enough to use");
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
        let refused = read(&key, &logs).unwrap_err();
        assert!(refused.contains("can be read by every user"), "{refused}");
    }
}
