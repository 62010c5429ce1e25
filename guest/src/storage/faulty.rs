//! A [`Storage`] wrapper that fails one chosen call, the way a full disk or a
//! failing device does, so tests can check that a failed write leaves no
//! partial entry behind and the next call succeeds.

use std::cell::Cell;
use std::rc::Rc;

use super::{File, FileStat, OpenFlags, Storage, StorageError};

/// How the chosen call fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// A write stores the first half of its data, then fails with ENOSPC.
    ShortWrite,
    /// The call fails with ENOSPC and changes nothing.
    NoSpace,
    /// The call fails with EIO and changes nothing.
    Io,
}

impl Fault {
    fn error(self) -> StorageError {
        match self {
            Self::ShortWrite | Self::NoSpace => StorageError::NoSpace,
            Self::Io => StorageError::Io("input/output error (injected)".into()),
        }
    }
}

/// Which call fails: the `n`-th call that changes something (a write, a
/// resize, a flush, a rename, a removal, a directory creation), counting
/// from 1; the calls after it succeed again.
struct Plan {
    fault: Fault,
    n: u64,
    seen: Cell<u64>,
}

impl Plan {
    /// Whether this call is the one to fail.
    fn strikes(&self) -> bool {
        let seen = self.seen.get() + 1;
        self.seen.set(seen);
        seen == self.n
    }
}

/// `S`, failing one call.
pub struct FaultyStorage<S> {
    inner: S,
    plan: Rc<Plan>,
}

impl<S> FaultyStorage<S> {
    /// `inner`, whose `n`-th changing call fails with `fault`.
    pub fn new(inner: S, fault: Fault, n: u64) -> Self {
        Self {
            inner,
            plan: Rc::new(Plan {
                fault,
                n,
                seen: Cell::new(0),
            }),
        }
    }
}

/// A file opened through a [`FaultyStorage`].
pub struct FaultyFile<F> {
    inner: F,
    plan: Rc<Plan>,
}

impl<F: File> File for FaultyFile<F> {
    fn size(&self) -> Result<u64, StorageError> {
        self.inner.size()
    }

    fn stat(&self) -> Result<FileStat, StorageError> {
        self.inner.stat()
    }

    fn read_at(&self, offset: u64, len: u64) -> Result<Vec<u8>, StorageError> {
        self.inner.read_at(offset, len)
    }

    fn append(&self, data: &[u8]) -> Result<(), StorageError> {
        if self.plan.strikes() {
            if self.plan.fault == Fault::ShortWrite {
                self.inner.append(&data[..data.len() / 2])?;
            }
            return Err(self.plan.fault.error());
        }
        self.inner.append(data)
    }

    fn write_at(&self, offset: u64, data: &[u8]) -> Result<(), StorageError> {
        if self.plan.strikes() {
            if self.plan.fault == Fault::ShortWrite {
                self.inner.write_at(offset, &data[..data.len() / 2])?;
            }
            return Err(self.plan.fault.error());
        }
        self.inner.write_at(offset, data)
    }

    fn set_size(&self, len: u64) -> Result<(), StorageError> {
        if self.plan.strikes() {
            return Err(self.plan.fault.error());
        }
        self.inner.set_size(len)
    }

    fn sync_data(&self) -> Result<(), StorageError> {
        if self.plan.strikes() {
            return Err(self.plan.fault.error());
        }
        self.inner.sync_data()
    }
}

impl<S: Storage> Storage for FaultyStorage<S> {
    type File = FaultyFile<S::File>;
    type Lock = S::Lock;

    fn open(&self, path: &str, flags: OpenFlags) -> Result<Self::File, StorageError> {
        Ok(FaultyFile {
            inner: self.inner.open(path, flags)?,
            plan: Rc::clone(&self.plan),
        })
    }

    fn create_dir_all(&self, path: &str) -> Result<(), StorageError> {
        if self.plan.strikes() {
            return Err(self.plan.fault.error());
        }
        self.inner.create_dir_all(path)
    }

    fn list_dir(&self, path: &str) -> Result<Vec<String>, StorageError> {
        self.inner.list_dir(path)
    }

    fn rename(&self, from: &str, to: &str) -> Result<(), StorageError> {
        if self.plan.strikes() {
            return Err(self.plan.fault.error());
        }
        self.inner.rename(from, to)
    }

    fn remove_file(&self, path: &str) -> Result<(), StorageError> {
        if self.plan.strikes() {
            return Err(self.plan.fault.error());
        }
        self.inner.remove_file(path)
    }

    fn lock(&self, path: &str) -> Result<Self::Lock, StorageError> {
        self.inner.lock(path)
    }
}
