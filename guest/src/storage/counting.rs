//! A [`Storage`] wrapper that counts the bytes read and written through it
//! and the files opened, so tests can assert how much of a log an operation
//! touches.

use std::cell::Cell;
use std::rc::Rc;

use super::{File, FileStat, OpenFlags, Storage, StorageError};

/// Bytes moved through a [`CountingStorage`] and its files.
#[derive(Debug, Default)]
pub struct Counts {
    /// Bytes returned by `read_at`.
    pub read: Cell<u64>,
    /// Bytes passed to `append` and `write_at`.
    pub written: Cell<u64>,
    /// Calls of `append` and `write_at`.
    pub writes: Cell<u64>,
    /// Calls of `open`, whether or not the file was there.
    pub opens: Cell<u64>,
    /// Calls of `list_dir`.
    pub lists: Cell<u64>,
}

impl Counts {
    /// Sets every count back to zero.
    pub fn reset(&self) {
        self.read.set(0);
        self.written.set(0);
        self.writes.set(0);
        self.opens.set(0);
        self.lists.set(0);
    }
}

/// `S`, counting.
pub struct CountingStorage<S> {
    inner: S,
    /// What has moved so far.
    pub counts: Rc<Counts>,
}

impl<S> CountingStorage<S> {
    /// Counts what goes through `inner`.
    pub fn new(inner: S) -> Self {
        Self {
            inner,
            counts: Rc::default(),
        }
    }
}

/// A file opened through a [`CountingStorage`].
pub struct CountingFile<F> {
    inner: F,
    counts: Rc<Counts>,
}

impl<F: File> File for CountingFile<F> {
    fn size(&self) -> Result<u64, StorageError> {
        self.inner.size()
    }

    fn stat(&self) -> Result<FileStat, StorageError> {
        self.inner.stat()
    }

    fn read_at(&self, offset: u64, len: u64) -> Result<Vec<u8>, StorageError> {
        let data = self.inner.read_at(offset, len)?;
        self.counts
            .read
            .set(self.counts.read.get() + data.len() as u64);
        Ok(data)
    }

    fn append(&self, data: &[u8]) -> Result<(), StorageError> {
        self.counts
            .written
            .set(self.counts.written.get() + data.len() as u64);
        self.counts.writes.set(self.counts.writes.get() + 1);
        self.inner.append(data)
    }

    fn write_at(&self, offset: u64, data: &[u8]) -> Result<(), StorageError> {
        self.counts
            .written
            .set(self.counts.written.get() + data.len() as u64);
        self.counts.writes.set(self.counts.writes.get() + 1);
        self.inner.write_at(offset, data)
    }

    fn set_size(&self, len: u64) -> Result<(), StorageError> {
        self.inner.set_size(len)
    }

    fn sync_data(&self) -> Result<(), StorageError> {
        self.inner.sync_data()
    }
}

impl<S: Storage> Storage for CountingStorage<S> {
    type File = CountingFile<S::File>;
    type Lock = S::Lock;

    fn open(&self, path: &str, flags: OpenFlags) -> Result<Self::File, StorageError> {
        self.counts.opens.set(self.counts.opens.get() + 1);
        Ok(CountingFile {
            inner: self.inner.open(path, flags)?,
            counts: Rc::clone(&self.counts),
        })
    }

    fn create_dir_all(&self, path: &str) -> Result<(), StorageError> {
        self.inner.create_dir_all(path)
    }

    fn list_dir(&self, path: &str) -> Result<Vec<String>, StorageError> {
        self.counts.lists.set(self.counts.lists.get() + 1);
        self.inner.list_dir(path)
    }

    fn rename(&self, from: &str, to: &str) -> Result<(), StorageError> {
        self.inner.rename(from, to)
    }

    fn remove_file(&self, path: &str) -> Result<(), StorageError> {
        self.inner.remove_file(path)
    }

    fn lock(&self, path: &str) -> Result<Self::Lock, StorageError> {
        self.inner.lock(path)
    }
}
