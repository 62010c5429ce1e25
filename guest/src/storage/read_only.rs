//! A [`Storage`] wrapper that refuses every change, the way a read-only
//! mount does, so tests can check that readers write nothing — not a byte,
//! not an index, not a lock file, not a directory.

use super::{File, FileStat, OpenFlags, Storage, StorageError};

fn refused(what: &str) -> StorageError {
    StorageError::Io(format!("read-only file system (refused: {what})"))
}

/// `S`, read-only.
pub struct ReadOnlyStorage<S>(pub S);

/// A file opened through a [`ReadOnlyStorage`].
pub struct ReadOnlyFile<F>(F);

impl<F: File> File for ReadOnlyFile<F> {
    fn size(&self) -> Result<u64, StorageError> {
        self.0.size()
    }

    fn stat(&self) -> Result<FileStat, StorageError> {
        self.0.stat()
    }

    fn read_at(&self, offset: u64, len: u64) -> Result<Vec<u8>, StorageError> {
        self.0.read_at(offset, len)
    }

    fn append(&self, _: &[u8]) -> Result<(), StorageError> {
        Err(refused("append"))
    }

    fn write_at(&self, _: u64, _: &[u8]) -> Result<(), StorageError> {
        Err(refused("write_at"))
    }

    fn set_size(&self, _: u64) -> Result<(), StorageError> {
        Err(refused("set_size"))
    }

    fn sync_data(&self) -> Result<(), StorageError> {
        self.0.sync_data()
    }
}

impl<S: Storage> Storage for ReadOnlyStorage<S> {
    type File = ReadOnlyFile<S::File>;
    type Lock = S::Lock;

    fn open(&self, path: &str, flags: OpenFlags) -> Result<Self::File, StorageError> {
        if flags.write || flags.append || flags.create {
            return Err(refused(&format!("open {path} for writing")));
        }
        Ok(ReadOnlyFile(self.0.open(path, flags)?))
    }

    fn create_dir_all(&self, path: &str) -> Result<(), StorageError> {
        Err(refused(&format!("create_dir_all {path}")))
    }

    fn list_dir(&self, path: &str) -> Result<Vec<String>, StorageError> {
        self.0.list_dir(path)
    }

    fn rename(&self, from: &str, _: &str) -> Result<(), StorageError> {
        Err(refused(&format!("rename {from}")))
    }

    fn remove_file(&self, path: &str) -> Result<(), StorageError> {
        Err(refused(&format!("remove_file {path}")))
    }

    /// An existing lock file can be locked; a missing one would be created.
    fn lock(&self, path: &str) -> Result<Self::Lock, StorageError> {
        match self.0.open(path, OpenFlags::READ) {
            Err(StorageError::NotFound) => Err(refused(&format!("create lock file {path}"))),
            Err(e) => Err(e),
            Ok(_) => self.0.lock(path),
        }
    }
}

/// Every file and directory under `root`, relative path to bytes (`None`
/// for a directory), with each one's modification time: equal snapshots
/// mean nothing was created, removed, written or touched.
pub fn snapshot(
    root: &std::path::Path,
) -> std::collections::BTreeMap<String, (Option<Vec<u8>>, std::time::SystemTime)> {
    let mut found = std::collections::BTreeMap::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("a readable directory") {
            let path = entry.expect("a directory entry").path();
            let metadata = std::fs::metadata(&path).expect("metadata");
            let name = path
                .strip_prefix(root)
                .expect("under the root")
                .to_string_lossy()
                .into_owned();
            let bytes = if metadata.is_dir() {
                dirs.push(path.clone());
                None
            } else {
                Some(std::fs::read(&path).expect("a readable file"))
            };
            found.insert(name, (bytes, metadata.modified().expect("an mtime")));
        }
    }
    found
}
