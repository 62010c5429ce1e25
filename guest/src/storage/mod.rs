//! The one seam between the audit logic and files.
//!
//! Inside the component, [`Storage`] is the host's `audit:log/storage`
//! interface; natively (tests, and builds against plain WASI) it is
//! [`fs::FsStorage`], `std::fs` rooted at one directory. Tests can wrap either
//! to inject faults.

use std::fmt;

#[cfg(test)]
pub mod counting;
#[cfg(test)]
pub mod faulty;
pub mod fs;
#[cfg(test)]
pub mod read_only;

/// Why a storage call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageError {
    /// The path is not a valid name inside the log directory.
    InvalidPath(String),
    /// No file or directory by that name.
    NotFound,
    /// The device is full or a file-size limit was reached.
    NoSpace,
    /// Any other failure, with the operating system's description.
    Io(String),
}

impl fmt::Display for StorageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidPath(path) => write!(f, "invalid path {path:?}"),
            Self::NotFound => f.write_str("no such file or directory"),
            Self::NoSpace => f.write_str("no space left on device or file too large"),
            Self::Io(message) => f.write_str(message),
        }
    }
}

/// How to open a file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OpenFlags {
    /// Create the file if it does not exist.
    pub create: bool,
    /// Allow writes.
    pub write: bool,
    /// Every write goes to the end of the file; `write_at` is refused.
    pub append: bool,
}

impl OpenFlags {
    /// Read only.
    pub const READ: Self = Self {
        create: false,
        write: false,
        append: false,
    };
    /// Read and write at any offset, creating the file if needed.
    pub const READ_WRITE: Self = Self {
        create: true,
        write: true,
        append: false,
    };
    /// Append only, creating the file if needed.
    pub const APPEND: Self = Self {
        create: true,
        write: true,
        append: true,
    };
}

/// What [`File::stat`] tells of an open file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStat {
    /// Current length in bytes.
    pub size: u64,
    /// How many names the file has (0 once removed, or replaced by a
    /// rename), or `None` where the storage cannot tell.
    pub links: Option<u64>,
}

/// An open file inside the log directory.
pub trait File {
    /// Current length in bytes.
    fn size(&self) -> Result<u64, StorageError>;
    /// Length and link count. By default the link count is unknown, which
    /// keeps callers from trusting a file they hold open between calls.
    fn stat(&self) -> Result<FileStat, StorageError> {
        Ok(FileStat {
            size: self.size()?,
            links: None,
        })
    }
    /// Up to `len` bytes from `offset`; fewer at the end of the file.
    fn read_at(&self, offset: u64, len: u64) -> Result<Vec<u8>, StorageError>;
    /// Writes all of `data` at the end of the file.
    fn append(&self, data: &[u8]) -> Result<(), StorageError>;
    /// Writes all of `data` at `offset`.
    fn write_at(&self, offset: u64, data: &[u8]) -> Result<(), StorageError>;
    /// Cuts or extends the file to `len` bytes.
    fn set_size(&self, len: u64) -> Result<(), StorageError>;
    /// Flushes the file's data to stable storage.
    fn sync_data(&self) -> Result<(), StorageError>;
}

/// A borrowed file reads and writes the file it borrows.
impl<F: File> File for &F {
    fn size(&self) -> Result<u64, StorageError> {
        (**self).size()
    }
    fn stat(&self) -> Result<FileStat, StorageError> {
        (**self).stat()
    }
    fn read_at(&self, offset: u64, len: u64) -> Result<Vec<u8>, StorageError> {
        (**self).read_at(offset, len)
    }
    fn append(&self, data: &[u8]) -> Result<(), StorageError> {
        (**self).append(data)
    }
    fn write_at(&self, offset: u64, data: &[u8]) -> Result<(), StorageError> {
        (**self).write_at(offset, data)
    }
    fn set_size(&self, len: u64) -> Result<(), StorageError> {
        (**self).set_size(len)
    }
    fn sync_data(&self) -> Result<(), StorageError> {
        (**self).sync_data()
    }
}

/// Files confined to one directory. Paths are relative and `/`-separated.
pub trait Storage {
    /// An open file.
    type File: File;
    /// A held lock, released on drop.
    type Lock;

    /// Opens the file at `path`.
    fn open(&self, path: &str, flags: OpenFlags) -> Result<Self::File, StorageError>;
    /// Creates the directory at `path` and its missing parents.
    fn create_dir_all(&self, path: &str) -> Result<(), StorageError>;
    /// Names in the directory at `path` (`""` for the root), in no particular order.
    fn list_dir(&self, path: &str) -> Result<Vec<String>, StorageError>;
    /// Atomically replaces `to` with `from`.
    fn rename(&self, from: &str, to: &str) -> Result<(), StorageError>;
    /// Removes the file at `path`.
    fn remove_file(&self, path: &str) -> Result<(), StorageError>;
    /// Waits for and takes the exclusive lock named `path`.
    fn lock(&self, path: &str) -> Result<Self::Lock, StorageError>;
}

/// A borrowed storage is the storage it borrows.
impl<S: Storage> Storage for &S {
    type File = S::File;
    type Lock = S::Lock;

    fn open(&self, path: &str, flags: OpenFlags) -> Result<Self::File, StorageError> {
        (**self).open(path, flags)
    }
    fn create_dir_all(&self, path: &str) -> Result<(), StorageError> {
        (**self).create_dir_all(path)
    }
    fn list_dir(&self, path: &str) -> Result<Vec<String>, StorageError> {
        (**self).list_dir(path)
    }
    fn rename(&self, from: &str, to: &str) -> Result<(), StorageError> {
        (**self).rename(from, to)
    }
    fn remove_file(&self, path: &str) -> Result<(), StorageError> {
        (**self).remove_file(path)
    }
    fn lock(&self, path: &str) -> Result<Self::Lock, StorageError> {
        (**self).lock(path)
    }
}

/// The lock named `path` for a reader: taken if its file exists, else
/// `None` without creating it. Writers create the lock file before their
/// first write and never remove it, so where it is missing no writer has
/// written yet; a reader that created it would write to a directory it only
/// reads (and fail on a read-only one).
///
/// # Errors
/// Storage errors other than the file's absence.
pub fn lock_if_present<S: Storage>(
    storage: &S,
    path: &str,
) -> Result<Option<S::Lock>, StorageError> {
    match storage.open(path, OpenFlags::READ) {
        Err(StorageError::NotFound) => Ok(None),
        Err(e) => Err(e),
        Ok(_) => storage.lock(path).map(Some),
    }
}

/// Replaces the file `path` with `bytes` through the temporary `tmp`:
/// written, flushed if `flush`, then renamed over `path`, so that the file
/// is whole or as it was. A failed replacement removes the temporary.
///
/// # Errors
/// The first storage error.
pub fn replace_file<S: Storage>(
    storage: &S,
    path: &str,
    tmp: &str,
    bytes: &[u8],
    flush: bool,
) -> Result<(), StorageError> {
    replace_file_with(storage, path, tmp, flush, |file| file.write_at(0, bytes))
}

/// [`replace_file`], the new contents written into the emptied temporary by
/// `write` (a piece at a time, for contents too large to hold).
///
/// # Errors
/// The first storage error.
pub fn replace_file_with<S: Storage>(
    storage: &S,
    path: &str,
    tmp: &str,
    flush: bool,
    write: impl FnOnce(&S::File) -> Result<(), StorageError>,
) -> Result<(), StorageError> {
    let written = storage
        .open(tmp, OpenFlags::READ_WRITE)
        .and_then(|file| {
            file.set_size(0)?;
            write(&file)?;
            if flush { file.sync_data() } else { Ok(()) }
        })
        .and_then(|()| storage.rename(tmp, path));
    if written.is_err() {
        let _ = storage.remove_file(tmp);
    }
    written
}

/// Checks that `path` names something inside the root: relative, and made only
/// of non-empty components other than `.` and `..`, without `\` or NUL.
///
/// # Errors
/// [`StorageError::InvalidPath`].
pub fn check_path(path: &str) -> Result<(), StorageError> {
    let bad_component = |c: &str| c.is_empty() || c == "." || c == "..";
    if path.is_empty() || path.contains(['\\', '\0']) || path.split('/').any(bad_component) {
        return Err(StorageError::InvalidPath(path.to_owned()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside() {
        for ok in ["audit_log.json", "alice/tool_audit/2025-01-01.jsonl"] {
            check_path(ok).unwrap();
        }
        for bad in [
            "",
            "/etc/passwd",
            "a/../b",
            "..",
            "./a",
            "a//b",
            "a\\b",
            "a\0b",
            "a/",
        ] {
            assert!(check_path(bad).is_err(), "{bad:?}");
        }
    }
}
