//! Files that hold secrets — the chain key, the HTTP API's tokens — are
//! refused when every user on the machine can read them, or anyone but their
//! owner can change them, as `ssh` refuses a private key others can read. A
//! group may read them (a verifier's group, say); a pipe
//! (`--key-file <(command)`) is private to its reader and is not judged.
//! They are opened and read as every input file is ([`crate::input_file`]),
//! up to [`MAX_SECRET_BYTES`].

use std::fs::Metadata;
use std::path::Path;

use crate::input_file::{InputFile, Kinds, MAX_SECRET_BYTES};

/// The bytes of the secret file at `path` (`what`: `token file`, say):
/// opened as every input file is, refused unless it is one of `kinds` and
/// private ([`refuse_shared`], judged by the opened handle), and read if it
/// holds at most [`MAX_SECRET_BYTES`].
///
/// # Errors
/// The reason, naming `path`.
pub fn read(what: &str, path: &Path, kinds: Kinds) -> Result<Vec<u8>, String> {
    let file = InputFile::open(path, kinds).map_err(|e| e.to_string())?;
    refuse_shared(what, path, file.metadata())?;
    file.read(MAX_SECRET_BYTES).map_err(|e| e.to_string())
}

/// Refuses the file at `path` (`what`: `key file`, say) when its mode lets
/// every user read it or lets users other than its owner write it.
///
/// # Errors
/// The reason, naming `path`, its mode and the `chmod` that fixes it.
#[cfg(unix)]
pub fn refuse_shared(what: &str, path: &Path, meta: &Metadata) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    if !meta.is_file() {
        return Ok(());
    }
    let mode = meta.permissions().mode() & 0o777;
    let who = if mode & 0o004 != 0 {
        "can be read by every user on this machine"
    } else if mode & 0o022 != 0 {
        "can be changed by users other than its owner"
    } else {
        return Ok(());
    };
    let shown = path.display();
    Err(format!(
        "{what} {shown} {who} (mode {mode:03o}): `chmod 600 {shown}`"
    ))
}

/// Windows has no mode bits to judge.
#[cfg(not(unix))]
pub fn refuse_shared(_: &str, _: &Path, _: &Metadata) -> Result<(), String> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::refuse_shared;

    fn judged(mode: u32) -> Result<(), String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secret");
        std::fs::write(&path, "x").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        refuse_shared("key file", &path, &std::fs::metadata(&path).unwrap())
    }

    #[test]
    fn a_secret_every_user_can_read_or_others_can_change_is_refused() {
        for mode in [0o644, 0o604, 0o666, 0o620, 0o602, 0o777] {
            let refused = judged(mode).unwrap_err();
            assert!(
                refused.contains(&format!("(mode {mode:03o}): `chmod 600 ")),
                "{refused}"
            );
        }
        assert!(judged(0o644).unwrap_err().contains("read by every user"));
        assert!(
            judged(0o620)
                .unwrap_err()
                .contains("changed by users other")
        );
    }

    #[test]
    fn a_secret_its_owner_and_group_may_read_is_kept() {
        for mode in [0o600, 0o400, 0o640, 0o440, 0o700] {
            assert_eq!(judged(mode), Ok(()), "mode {mode:o}");
        }
    }
}
