//! Files a caller names by path and the host reads whole: token and key
//! files, components, skills, checkpoints, `auditlog.toml`.
//!
//! Each is opened without blocking (`O_NONBLOCK`: a FIFO with no writer
//! would otherwise hold the open for ever), judged by the metadata of the
//! opened handle (not of the path, which may have changed since), refused
//! unless it is a regular file (or, where a caller allows it, a pipe such as
//! `--key-file <(command)`), and read up to a cap: a device such as
//! `/dev/zero` never ends, and a huge file would be read into memory whole.

use std::fmt;
use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// The most bytes a file holding a secret (a chain key, tokens) may have:
/// 1 MiB, far more than any key or token list needs.
pub const MAX_SECRET_BYTES: u64 = 1 << 20;

/// The most bytes a component (`--component`, a skill) may have: 64 MiB,
/// many times the size of the built-in one.
pub const MAX_COMPONENT_BYTES: u64 = 64 << 20;

/// The most bytes a `verify` checkpoint file may hold: 64 MiB, the ends of
/// some 400,000 logs.
pub const MAX_CHECKPOINT_BYTES: u64 = 64 << 20;

/// The most bytes a tool's result read from a file or standard input
/// (`tool --result-file`) may have: 64 MiB. Only its length and a short
/// snippet are stored, but the component reads it whole to redact it.
pub const MAX_RESULT_BYTES: u64 = 64 << 20;

/// Which kinds of file a caller reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kinds {
    /// Regular files only.
    Regular,
    /// Regular files and pipes (`<(command)`, a FIFO): a pipe nobody writes
    /// reads as empty, and one that is written is read to its end.
    RegularOrPipe,
}

/// Why a file was not read.
#[derive(Debug)]
pub enum InputError {
    /// It could not be opened or its metadata read.
    Open {
        /// The path as given.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// It is not a kind of file the caller reads.
    NotRegular {
        /// The path as given.
        path: PathBuf,
        /// What it is instead: `a directory`, `a FIFO`, …
        kind: &'static str,
    },
    /// It holds more than the caller's cap.
    TooLarge {
        /// The path as given.
        path: PathBuf,
        /// The cap, in bytes.
        limit: u64,
    },
    /// Reading it failed.
    Read {
        /// The path as given.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
}

impl InputError {
    /// Why, without the path: `is not a regular file (it is a FIFO)`, for
    /// a message that names the file its own way.
    pub fn reason(&self) -> String {
        match self {
            Self::Open { source, .. } | Self::Read { source, .. } => {
                format!("cannot be read: {source}")
            }
            Self::NotRegular { kind, .. } => format!("is not a regular file (it is {kind})"),
            Self::TooLarge { limit, .. } => format!(
                "is larger than {}, the most this file may hold",
                size(*limit)
            ),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Open { path, source } | Self::Read { path, source } => {
                write!(f, "cannot read {}: {source}", path.display())
            }
            Self::NotRegular { path, .. } | Self::TooLarge { path, .. } => {
                write!(f, "{} {}", path.display(), self.reason())
            }
        }
    }
}

impl std::error::Error for InputError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Open { source, .. } | Self::Read { source, .. } => Some(source),
            Self::NotRegular { .. } | Self::TooLarge { .. } => None,
        }
    }
}

/// A file opened for reading and found to be of a kind its caller reads.
#[derive(Debug)]
pub struct InputFile {
    file: File,
    meta: Metadata,
    path: PathBuf,
}

impl InputFile {
    /// Opens `path` without blocking and refuses it unless it is one of `kinds`.
    ///
    /// # Errors
    /// [`InputError::Open`] when it cannot be opened, [`InputError::NotRegular`]
    /// when it is a directory, a device, a socket or (unless `kinds` allows
    /// it) a pipe.
    pub fn open(path: &Path, kinds: Kinds) -> Result<Self, InputError> {
        Self::judged(open_nonblocking(path), path, kinds)
    }

    /// As [`open`](Self::open), for the file `name` inside the directory
    /// `dir`, which it may not leave: a symbolic link may lead to another
    /// file of `dir`, not out of it (for files a directory holds as its
    /// own, such as `auditlog.toml`: whoever can write the directory must
    /// not make the host read, and quote in its refusals, a file elsewhere).
    ///
    /// # Errors
    /// As [`open`](Self::open); [`InputError::Open`] when `name` leads
    /// out of `dir`.
    pub fn open_in(dir: &Path, name: &str, kinds: Kinds) -> Result<Self, InputError> {
        let opened = cap_std::fs::Dir::open_ambient_dir(dir, cap_std::ambient_authority())
            .and_then(|dir| dir.open_with(name, &nonblocking_in_dir()))
            .map(cap_std::fs::File::into_std)
            .map_err(|e| {
                if e.kind() == io::ErrorKind::PermissionDenied && escapes(dir, name) {
                    io::Error::new(
                        io::ErrorKind::PermissionDenied,
                        "it is a symbolic link out of its directory, which is not followed",
                    )
                } else {
                    e
                }
            });
        Self::judged(opened, &dir.join(name), kinds)
    }

    /// `opened`, the file at `path`, if it is one of `kinds`.
    fn judged(file: io::Result<File>, path: &Path, kinds: Kinds) -> Result<Self, InputError> {
        let opened = |source| InputError::Open {
            path: path.to_path_buf(),
            source,
        };
        let file = file.map_err(opened)?;
        let meta = file.metadata().map_err(opened)?;
        let kind = meta.file_type();
        if !kind.is_file() {
            let pipe = is_pipe(&kind);
            if !(pipe && kinds == Kinds::RegularOrPipe) {
                return Err(InputError::NotRegular {
                    path: path.to_path_buf(),
                    kind: describe(&kind),
                });
            }
        }
        Ok(Self {
            file,
            meta,
            path: path.to_path_buf(),
        })
    }

    /// The metadata of the opened file (not of whatever `path` names now).
    pub fn metadata(&self) -> &Metadata {
        &self.meta
    }

    /// The whole file, if it holds at most `limit` bytes.
    ///
    /// # Errors
    /// [`InputError::TooLarge`] past `limit` (having read `limit + 1` bytes
    /// at most), [`InputError::Read`] when reading fails.
    pub fn read(self, limit: u64) -> Result<Vec<u8>, InputError> {
        let expected = if self.meta.is_file() {
            self.meta.len().min(limit)
        } else {
            0
        };
        // A regular file ignores O_NONBLOCK; a pipe's reads wait for its writer.
        read_capped(Patient(self.file), &self.path, expected, limit)
    }
}

/// Everything `reader` gives, if that is at most `limit` bytes (reading
/// `limit + 1` at most), with room for `expected` made first.
fn read_capped(
    reader: impl Read,
    path: &Path,
    expected: u64,
    limit: u64,
) -> Result<Vec<u8>, InputError> {
    let mut bytes = Vec::with_capacity(usize::try_from(expected).unwrap_or(0));
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|source| InputError::Read {
            path: path.to_path_buf(),
            source,
        })?;
    if bytes.len() as u64 > limit {
        return Err(InputError::TooLarge {
            path: path.to_path_buf(),
            limit,
        });
    }
    Ok(bytes)
}

/// Standard input to its end, if that is at most `limit` bytes (reading
/// `limit + 1` at most).
///
/// # Errors
/// As [`InputFile::read`].
pub fn read_stdin(limit: u64) -> Result<Vec<u8>, InputError> {
    read_capped(io::stdin().lock(), Path::new("standard input"), 0, limit)
}

/// The file at `path`, of one of `kinds` and at most `limit` bytes: the
/// usual [`InputFile::open`] then [`InputFile::read`].
///
/// # Errors
/// As [`InputFile::open`] and [`InputFile::read`].
pub fn read(path: &Path, kinds: Kinds, limit: u64) -> Result<Vec<u8>, InputError> {
    InputFile::open(path, kinds)?.read(limit)
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> io::Result<File> {
    File::open(path)
}

/// Options that open a file of a directory for reading, as
/// [`open_nonblocking`] does.
fn nonblocking_in_dir() -> cap_std::fs::OpenOptions {
    let mut options = cap_std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    cap_std::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    options
}

/// Whether `name` in `dir` is a symbolic link whose target is outside `dir`
/// (to tell that refusal from a plain lack of permission).
fn escapes(dir: &Path, name: &str) -> bool {
    let path = dir.join(name);
    let is_link = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
    is_link
        && match (std::fs::canonicalize(&path), std::fs::canonicalize(dir)) {
            (Ok(target), Ok(dir)) => !target.starts_with(dir),
            // A dangling link cannot be judged by where it leads; cap-std
            // refused it for leading out.
            _ => true,
        }
}

/// A pipe opened without blocking, read as if it blocked: when its writer
/// has nothing to give yet, wait a moment and ask again (the host forbids
/// `unsafe`, so `O_NONBLOCK` cannot be cleared with `fcntl`). A pipe whose
/// writer is gone, or never came, reads as ended.
struct Patient(File);

/// How long [`Patient`] waits before asking its pipe again.
const PIPE_POLL: std::time::Duration = std::time::Duration::from_millis(10);

impl Read for Patient {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            match self.0.read(buf) {
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => std::thread::sleep(PIPE_POLL),
                other => return other,
            }
        }
    }
}

#[cfg(unix)]
fn is_pipe(kind: &std::fs::FileType) -> bool {
    std::os::unix::fs::FileTypeExt::is_fifo(kind)
}

#[cfg(not(unix))]
fn is_pipe(_: &std::fs::FileType) -> bool {
    false
}

/// What a file that is not a regular file is, for a refusal.
fn describe(kind: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() {
        "a directory"
    } else {
        "not a file"
    }
}

/// `n` bytes in MiB when that is a whole number, else in bytes.
fn size(n: u64) -> String {
    const MIB: u64 = 1 << 20;
    if n.is_multiple_of(MIB) {
        format!("{} MiB", n / MIB)
    } else {
        format!("{n} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fifo(path: &Path) {
        let made = std::process::Command::new("mkfifo").arg(path).status();
        assert!(made.unwrap().success(), "mkfifo {}", path.display());
    }

    #[test]
    fn regular_files_are_read_up_to_the_cap() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, "0123456789").unwrap();
        assert_eq!(read(&path, Kinds::Regular, 10).unwrap(), b"0123456789");
        let refused = read(&path, Kinds::Regular, 9).unwrap_err().to_string();
        assert_eq!(
            refused,
            format!(
                "{} is larger than 9 bytes, the most this file may hold",
                path.display()
            )
        );
        let missing = read(&dir.path().join("none"), Kinds::Regular, 9).unwrap_err();
        assert!(matches!(missing, InputError::Open { .. }), "{missing}");
    }

    #[test]
    fn devices_directories_and_fifos_are_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let pipe = dir.path().join("pipe");
        fifo(&pipe);
        for (path, kind) in [
            (Path::new("/dev/zero"), "a character device"),
            (dir.path(), "a directory"),
            (pipe.as_path(), "a FIFO"),
        ] {
            let refused = read(path, Kinds::Regular, MAX_SECRET_BYTES)
                .unwrap_err()
                .to_string();
            assert_eq!(
                refused,
                format!("{} is not a regular file (it is {kind})", path.display())
            );
        }
        let device = read(Path::new("/dev/zero"), Kinds::RegularOrPipe, 1).unwrap_err();
        assert!(matches!(device, InputError::NotRegular { .. }), "{device}");
    }

    #[test]
    fn a_pipe_is_read_where_allowed_and_one_nobody_writes_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        let pipe = dir.path().join("pipe");
        fifo(&pipe);
        assert_eq!(read(&pipe, Kinds::RegularOrPipe, 10).unwrap(), b"");
        // A writer that comes after the open (as `<(command)`'s does) is read
        // to its end.
        let file = InputFile::open(&pipe, Kinds::RegularOrPipe).unwrap();
        let mut writer = {
            use std::os::unix::fs::OpenOptionsExt;
            std::fs::OpenOptions::new()
                .write(true)
                .custom_flags(libc::O_NONBLOCK)
                .open(&pipe)
                .unwrap()
        };
        std::io::Write::write_all(&mut writer, b"a key from a pipe").unwrap();
        drop(writer);
        assert_eq!(file.read(100).unwrap(), b"a key from a pipe");
    }
}
