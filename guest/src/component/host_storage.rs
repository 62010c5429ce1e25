//! [`Storage`] over the host's `audit:log/storage` interface.

use crate::bindings::audit::log::storage as wit;
use crate::storage::{File, FileStat, OpenFlags, Storage, StorageError};

/// The directory the host granted, reached through its storage handles.
pub struct HostStorage;

fn convert(error: wit::StorageError) -> StorageError {
    match error {
        wit::StorageError::InvalidPath(path) => StorageError::InvalidPath(path),
        wit::StorageError::NotFound => StorageError::NotFound,
        wit::StorageError::NoSpace => StorageError::NoSpace,
        wit::StorageError::Io(message) => StorageError::Io(message),
    }
}

impl File for wit::File {
    fn size(&self) -> Result<u64, StorageError> {
        wit::File::size(self).map_err(convert)
    }

    fn stat(&self) -> Result<FileStat, StorageError> {
        let stat = wit::File::stat(self).map_err(convert)?;
        Ok(FileStat {
            size: stat.size,
            links: Some(stat.links),
        })
    }

    fn read_at(&self, offset: u64, len: u64) -> Result<Vec<u8>, StorageError> {
        wit::File::read_at(self, offset, len).map_err(convert)
    }

    fn append(&self, data: &[u8]) -> Result<(), StorageError> {
        wit::File::append(self, data).map_err(convert)
    }

    fn write_at(&self, offset: u64, data: &[u8]) -> Result<(), StorageError> {
        wit::File::write_at(self, offset, data).map_err(convert)
    }

    fn set_size(&self, len: u64) -> Result<(), StorageError> {
        wit::File::set_size(self, len).map_err(convert)
    }

    fn sync_data(&self) -> Result<(), StorageError> {
        wit::File::sync_data(self).map_err(convert)
    }
}

impl Storage for HostStorage {
    type File = wit::File;
    type Lock = wit::LockGuard;

    fn open(&self, path: &str, flags: OpenFlags) -> Result<wit::File, StorageError> {
        let mut mode = wit::OpenFlags::empty();
        for (wanted, flag) in [
            (flags.create, wit::OpenFlags::CREATE),
            (flags.write, wit::OpenFlags::WRITE),
            (flags.append, wit::OpenFlags::APPEND),
        ] {
            mode.set(flag, wanted);
        }
        wit::open(path, mode).map_err(convert)
    }

    fn create_dir_all(&self, path: &str) -> Result<(), StorageError> {
        wit::create_dir_all(path).map_err(convert)
    }

    fn list_dir(&self, path: &str) -> Result<Vec<String>, StorageError> {
        wit::list_dir(path).map_err(convert)
    }

    fn rename(&self, from: &str, to: &str) -> Result<(), StorageError> {
        wit::rename(from, to).map_err(convert)
    }

    fn remove_file(&self, path: &str) -> Result<(), StorageError> {
        wit::remove_file(path).map_err(convert)
    }

    fn lock(&self, path: &str) -> Result<wit::LockGuard, StorageError> {
        wit::lock(path).map_err(convert)
    }
}
