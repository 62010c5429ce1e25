//! [`Storage`] on `std::fs`, rooted at one directory.
//!
//! Used by the native unit tests, and by builds that reach files through plain
//! WASI instead of the host's storage interface. It checks every path with
//! [`check_path`] but, unlike the host, cannot refuse symlinks that lead out of
//! the root; confinement there is the runtime's preopened directory.

use std::fs;
use std::io::{self, Write};
use std::path::PathBuf;

use super::{File, FileStat, OpenFlags, Storage, StorageError, check_path};

/// Files under `root`.
#[derive(Debug, Clone)]
pub struct FsStorage {
    root: PathBuf,
}

impl FsStorage {
    /// Storage confined to `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    fn resolve(&self, path: &str) -> Result<PathBuf, StorageError> {
        check_path(path)?;
        Ok(self.root.join(path))
    }
}

fn storage_error(error: io::Error) -> StorageError {
    match error.kind() {
        io::ErrorKind::NotFound => StorageError::NotFound,
        io::ErrorKind::StorageFull | io::ErrorKind::FileTooLarge => StorageError::NoSpace,
        _ => StorageError::Io(error.to_string()),
    }
}

/// A file opened by [`FsStorage`].
#[derive(Debug)]
pub struct FsFile(fs::File);

#[cfg(unix)]
fn read_exact_at(file: &fs::File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    use std::os::unix::fs::FileExt;
    let mut done = 0;
    while done < buf.len() {
        match file.read_at(&mut buf[done..], offset + done as u64)? {
            0 => break,
            n => done += n,
        }
    }
    Ok(done)
}

#[cfg(unix)]
fn write_all_at(file: &fs::File, data: &[u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, data, offset)
}

#[cfg(not(unix))]
fn read_exact_at(file: &fs::File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    use std::io::{Read, Seek, SeekFrom};
    let mut file = file;
    file.seek(SeekFrom::Start(offset))?;
    let mut done = 0;
    while done < buf.len() {
        match file.read(&mut buf[done..])? {
            0 => break,
            n => done += n,
        }
    }
    Ok(done)
}

#[cfg(not(unix))]
fn write_all_at(file: &fs::File, data: &[u8], offset: u64) -> io::Result<()> {
    use std::io::{Seek, SeekFrom};
    let mut file = file;
    file.seek(SeekFrom::Start(offset))?;
    file.write_all(data)
}

impl File for FsFile {
    fn size(&self) -> Result<u64, StorageError> {
        Ok(self.0.metadata().map_err(storage_error)?.len())
    }

    fn stat(&self) -> Result<FileStat, StorageError> {
        let metadata = self.0.metadata().map_err(storage_error)?;
        // WASI's link count is not reachable from stable Rust.
        #[cfg(unix)]
        let links = Some(std::os::unix::fs::MetadataExt::nlink(&metadata));
        #[cfg(not(unix))]
        let links = None;
        Ok(FileStat {
            size: metadata.len(),
            links,
        })
    }

    fn read_at(&self, offset: u64, len: u64) -> Result<Vec<u8>, StorageError> {
        let available = self.size()?.saturating_sub(offset).min(len);
        let mut buf = vec![0; usize::try_from(available).unwrap_or(usize::MAX)];
        let n = read_exact_at(&self.0, &mut buf, offset).map_err(storage_error)?;
        buf.truncate(n);
        Ok(buf)
    }

    fn append(&self, data: &[u8]) -> Result<(), StorageError> {
        (&self.0).write_all(data).map_err(storage_error)
    }

    fn write_at(&self, offset: u64, data: &[u8]) -> Result<(), StorageError> {
        write_all_at(&self.0, data, offset).map_err(storage_error)
    }

    fn set_size(&self, len: u64) -> Result<(), StorageError> {
        self.0.set_len(len).map_err(storage_error)
    }

    fn sync_data(&self) -> Result<(), StorageError> {
        self.0.sync_data().map_err(storage_error)
    }
}

/// A lock held through [`FsStorage::lock`]; released on drop.
#[derive(Debug)]
pub struct FsLock(#[allow(dead_code)] fs::File);

impl Storage for FsStorage {
    type File = FsFile;
    type Lock = FsLock;

    fn open(&self, path: &str, flags: OpenFlags) -> Result<FsFile, StorageError> {
        let file = fs::OpenOptions::new()
            .read(true)
            .write(flags.write && !flags.append)
            .append(flags.append)
            .create(flags.create)
            .open(self.resolve(path)?)
            .map_err(storage_error)?;
        Ok(FsFile(file))
    }

    fn create_dir_all(&self, path: &str) -> Result<(), StorageError> {
        fs::create_dir_all(self.resolve(path)?).map_err(storage_error)
    }

    fn list_dir(&self, path: &str) -> Result<Vec<String>, StorageError> {
        let dir = if path.is_empty() {
            self.root.clone()
        } else {
            self.resolve(path)?
        };
        let mut names = Vec::new();
        for entry in fs::read_dir(dir).map_err(storage_error)? {
            let entry = entry.map_err(storage_error)?;
            if let Ok(name) = entry.file_name().into_string() {
                names.push(name);
            }
        }
        Ok(names)
    }

    fn rename(&self, from: &str, to: &str) -> Result<(), StorageError> {
        fs::rename(self.resolve(from)?, self.resolve(to)?).map_err(storage_error)
    }

    fn remove_file(&self, path: &str) -> Result<(), StorageError> {
        fs::remove_file(self.resolve(path)?).map_err(storage_error)
    }

    fn lock(&self, path: &str) -> Result<FsLock, StorageError> {
        // An existing lock file is opened for reading only (a lock needs no
        // more), so a reader can take it in a directory it cannot write.
        let resolved = self.resolve(path)?;
        let file = match fs::File::open(&resolved) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&resolved),
            other => other,
        }
        .map_err(storage_error)?;
        match file.lock() {
            Ok(()) => Ok(FsLock(file)),
            // Plain WASI has no file locks: writers in one instance are still
            // serialised, writers in several processes are not.
            Err(e) if e.kind() == io::ErrorKind::Unsupported => Ok(FsLock(file)),
            Err(e) => Err(storage_error(e)),
        }
    }
}
