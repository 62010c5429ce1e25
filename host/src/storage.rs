//! The host side of `audit:log/storage`: file handles confined to the one
//! directory the host grants.
//!
//! Every path is checked to be relative and free of `.`, `..`, empty
//! components, `\` and NUL, and is then resolved by `cap-std` beneath the
//! granted directory, which also refuses symlinks that lead out of it.

use std::collections::HashMap;
use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::{FileExt, MetadataExt};
use std::sync::Arc;

use cap_std::fs::{Dir, OpenOptions};
use wasmtime::component::{Resource, ResourceTable};

use crate::bindings::audit::log::storage::{self as wit, OpenFlags, StorageError};

/// An open file, as the guest's `file` resource.
pub struct FileHandle {
    file: fs::File,
    append: bool,
    /// The last call in which the guest changed the file through this
    /// handle (see [`DirStorage::calls`]); a handle can outlive a call.
    written_in: Option<u64>,
}

/// A held lock, as the guest's `lock-guard` resource; released on drop.
pub struct LockHandle {
    file: Arc<fs::File>,
}

/// The granted directory and the handles the guest holds in it.
pub struct DirStorage {
    dir: Dir,
    table: ResourceTable,
    /// Lock files stay open for the life of the instance, so taking a lock is
    /// one `flock` call.
    lock_files: HashMap<String, Arc<fs::File>>,
    /// When the host flushes writes after a call: the files written and the
    /// directories whose entries changed since the last
    /// [`take_unsynced`](Self::take_unsynced).
    unsynced: Option<Vec<fs::File>>,
    /// How many times [`take_unsynced`](Self::take_unsynced) was called: the
    /// number of the current call.
    calls: u64,
    /// Whether every change is refused (see [`read_only`](Self::read_only)).
    read_only: bool,
}

impl DirStorage {
    /// Storage confined to `dir`.
    pub fn new(dir: Dir) -> Self {
        Self {
            dir,
            table: ResourceTable::new(),
            lock_files: HashMap::new(),
            unsynced: None,
            calls: 0,
            read_only: false,
        }
    }

    /// Refuses every change — opening for writing, creating, renaming,
    /// removing, creating a lock file — as a read-only mount would: for
    /// readers, so that a read can never write.
    pub fn read_only(mut self) -> Self {
        self.read_only = true;
        self
    }

    /// An error if the storage is read-only.
    fn writable(&self, what: &str) -> Result<(), StorageError> {
        if self.read_only {
            return Err(StorageError::Io(format!(
                "the log directory is open for reading only (refused: {what})"
            )));
        }
        Ok(())
    }

    /// Also remembers what each call changed, for [`take_unsynced`](Self::take_unsynced).
    pub fn tracking_writes(mut self) -> Self {
        self.unsynced = Some(Vec::new());
        self
    }

    /// The files written and directories changed since the last call, to be
    /// flushed to stable storage; empty unless [`tracking_writes`](Self::tracking_writes).
    pub fn take_unsynced(&mut self) -> Vec<fs::File> {
        self.calls += 1;
        self.unsynced
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    }

    /// Notes that the directory holding `path` gained or lost an entry.
    fn changed_dir_of(&mut self, path: &str) -> Result<(), StorageError> {
        if self.unsynced.is_none() {
            return Ok(());
        }
        // Opened for reading: a directory handle of cap-std's own may be an
        // O_PATH descriptor, which cannot be flushed.
        let parent = path.rsplit_once('/').map_or(".", |(parent, _)| parent);
        let dir = self
            .dir
            .open_with(parent, OpenOptions::new().read(true))
            .map_err(storage_error)?;
        if let Some(unsynced) = &mut self.unsynced {
            unsynced.push(dir.into_std());
        }
        Ok(())
    }

    /// The handle, noted as written in this call: with tracking, the first
    /// change in a call queues a duplicate of it for the flush after the
    /// call (the guest may keep the handle open for later calls).
    fn written(&mut self, handle: &Resource<FileHandle>) -> Result<&FileHandle, StorageError> {
        let handle = self
            .table
            .get_mut(handle)
            .map_err(|e| StorageError::Io(format!("bad file handle: {e}")))?;
        if let Some(unsynced) = &mut self.unsynced
            && handle.written_in != Some(self.calls)
        {
            unsynced.push(handle.file.try_clone().map_err(storage_error)?);
            handle.written_in = Some(self.calls);
        }
        Ok(handle)
    }

    fn file(&self, handle: &Resource<FileHandle>) -> Result<&FileHandle, StorageError> {
        self.table
            .get(handle)
            .map_err(|e| StorageError::Io(format!("bad file handle: {e}")))
    }

    fn lock_file(&mut self, path: &str) -> Result<Arc<fs::File>, StorageError> {
        if let Some(file) = self.lock_files.get(path) {
            return Ok(Arc::clone(file));
        }
        // An existing lock file is opened for reading only (`flock` needs no
        // more), so a reader can wait on it in a directory it cannot write.
        let file = match open_file(&self.dir, path, OpenOptions::new().read(true)) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                self.writable("create a lock file")?;
                open_file(
                    &self.dir,
                    path,
                    OpenOptions::new().read(true).write(true).create(true),
                )
            }
            other => other,
        }
        .map_err(storage_error)?;
        let file = Arc::new(file.into_std());
        self.lock_files.insert(path.to_owned(), Arc::clone(&file));
        Ok(file)
    }
}

/// Refuses paths that are absolute or step outside with `.`/`..`.
fn check_path(path: &str) -> Result<&str, StorageError> {
    let bad_component = |c: &str| c.is_empty() || c == "." || c == "..";
    if path.is_empty() || path.contains(['\\', '\0']) || path.split('/').any(bad_component) {
        return Err(StorageError::InvalidPath(path.to_owned()));
    }
    Ok(path)
}

/// A name of the log layout's files: `audit_log.json` and its `.audit_log.*`
/// companions in the root, and `USER/tool_audit/NAME` where NAME is `.lock`,
/// `.retention` (the anchor of what retention deleted), a closed day file's
/// summary (`.summary.….json`) or a day file (`….jsonl`, `….jsonl.gz`,
/// `….tmp`); in both, the set-aside bytes of a
/// repair (`.damaged.<stem>.<n>`). Nothing else in the root: not the
/// configuration file `auditlog.toml`, which the guest must not rewrite.
fn check_file(path: &str) -> Result<&str, StorageError> {
    let ok = match check_path(path)?.split('/').collect::<Vec<_>>().as_slice() {
        [name] => {
            *name == "audit_log.json"
                || name.starts_with(".audit_log.")
                || is_set_aside(name, |stem| stem == "audit_log")
        }
        [user, "tool_audit", name] => is_user(user) && is_tool_file(name),
        _ => false,
    };
    if ok {
        Ok(path)
    } else {
        Err(StorageError::InvalidPath(path.to_owned()))
    }
}

/// A directory of the log layout: `USER` or `USER/tool_audit`.
fn check_dir(path: &str) -> Result<&str, StorageError> {
    let ok = match check_path(path)?.split('/').collect::<Vec<_>>().as_slice() {
        [user] | [user, "tool_audit"] => is_user(user),
        _ => false,
    };
    if ok {
        Ok(path)
    } else {
        Err(StorageError::InvalidPath(path.to_owned()))
    }
}

fn is_user(name: &str) -> bool {
    !name.starts_with('.')
        && name != "audit_log.json"
        && !name.chars().any(|c| c.is_control() || c.is_whitespace())
}

fn is_tool_file(name: &str) -> bool {
    let plain = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    name == ".lock"
        || name == ".retention"
        || (plain && name.starts_with(".summary.") && name.ends_with(".json"))
        || (plain
            && ([".jsonl", ".jsonl.gz", ".tmp"]
                .iter()
                .any(|end| name.ends_with(end))
                || is_set_aside(name, |stem| !stem.is_empty())))
}

/// `.damaged.<stem>.<n>`: where a repair moved the unreadable bytes of the
/// log file `<stem>.json` or `<stem>.jsonl` (the guest's
/// `recovery::aside_path`), for a stem `stem_ok` admits.
fn is_set_aside(name: &str, stem_ok: impl Fn(&str) -> bool) -> bool {
    name.strip_prefix(".damaged.")
        .and_then(|rest| rest.rsplit_once('.'))
        .is_some_and(|(stem, n)| stem_ok(stem) && is_number(n))
}

fn is_number(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// Opens the file `path` under `dir` with `options`, refusing anything but
/// a regular file: a FIFO, device or socket put where a log or lock file
/// belongs would block the open (a FIFO waits for a writer) or never end,
/// outside the component's time limit. On Unix the open itself does not
/// block (`O_NONBLOCK`, which regular files ignore, and `flock` too).
fn open_file(dir: &Dir, path: &str, options: &OpenOptions) -> io::Result<cap_std::fs::File> {
    let mut options = options.clone();
    #[cfg(unix)]
    cap_std::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = dir
        .open_with(path, &options)
        .map_err(|error| naming(path, error))?;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        let found = if metadata.is_dir() {
            "a directory"
        } else {
            "a FIFO, device or socket"
        };
        return Err(io::Error::other(format!(
            "{path}: is not a regular file ({found} where a log file belongs): refused"
        )));
    }
    Ok(file)
}

/// `error` with `path` in its message and its kind kept, so that a refusal
/// (a symbolic link out of the directory: "a path led outside of the
/// filesystem") says which file or directory it met.
fn naming(path: &str, error: io::Error) -> io::Error {
    io::Error::new(error.kind(), format!("{path}: {error}"))
}

fn storage_error(error: io::Error) -> StorageError {
    match error.kind() {
        io::ErrorKind::NotFound => StorageError::NotFound,
        io::ErrorKind::StorageFull | io::ErrorKind::FileTooLarge | io::ErrorKind::QuotaExceeded => {
            StorageError::NoSpace
        }
        _ => StorageError::Io(error.to_string()),
    }
}

fn table_error(error: wasmtime::component::ResourceTableError) -> StorageError {
    StorageError::Io(format!("too many open handles: {error}"))
}

/// The `types` interface declares no functions.
impl crate::bindings::audit::log::types::Host for DirStorage {}

impl wit::Host for DirStorage {
    fn open(
        &mut self,
        path: String,
        mode: OpenFlags,
    ) -> Result<Resource<FileHandle>, StorageError> {
        let write = mode.contains(OpenFlags::WRITE) || mode.contains(OpenFlags::APPEND);
        let append = mode.contains(OpenFlags::APPEND);
        let create = mode.contains(OpenFlags::CREATE);
        if write || create {
            self.writable("open a file for writing")?;
        }
        let mut options = OpenOptions::new();
        options.read(true).write(write && !append).append(append);
        let path = check_file(&path)?;
        // When flushing, a new file's directory entry must be flushed too.
        let created = if create && self.unsynced.is_some() {
            match open_file(&self.dir, path, options.clone().create_new(true)) {
                Ok(file) => Some(file),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => None,
                Err(e) => return Err(storage_error(e)),
            }
        } else {
            None
        };
        let file = match created {
            Some(file) => {
                self.changed_dir_of(path)?;
                file
            }
            None => open_file(&self.dir, path, options.create(create)).map_err(storage_error)?,
        };
        let handle = FileHandle {
            file: file.into_std(),
            append,
            written_in: None,
        };
        self.table.push(handle).map_err(table_error)
    }

    fn create_dir_all(&mut self, path: String) -> Result<(), StorageError> {
        self.writable("create a directory")?;
        self.dir
            .create_dir_all(check_dir(&path)?)
            .map_err(storage_error)
    }

    fn list_dir(&mut self, path: String) -> Result<Vec<String>, StorageError> {
        let entries = if path.is_empty() {
            self.dir.entries()
        } else {
            self.dir
                .read_dir(check_dir(&path)?)
                .map_err(|error| naming(&path, error))
        }
        .map_err(storage_error)?;
        let mut names = Vec::new();
        for entry in entries {
            if let Ok(name) = entry.map_err(storage_error)?.file_name().into_string() {
                names.push(name);
            }
        }
        Ok(names)
    }

    fn rename(&mut self, source: String, target: String) -> Result<(), StorageError> {
        self.writable("rename a file")?;
        self.dir
            .rename(check_file(&source)?, &self.dir, check_file(&target)?)
            .map_err(|error| storage_error(naming(&target, error)))?;
        self.changed_dir_of(&target)
    }

    fn remove_file(&mut self, path: String) -> Result<(), StorageError> {
        self.writable("remove a file")?;
        self.dir
            .remove_file(check_file(&path)?)
            .map_err(|error| storage_error(naming(&path, error)))?;
        self.changed_dir_of(&path)
    }

    fn lock(&mut self, path: String) -> Result<Resource<LockHandle>, StorageError> {
        let file = self.lock_file(check_file(&path)?)?;
        file.lock().map_err(storage_error)?;
        self.table.push(LockHandle { file }).map_err(table_error)
    }
}

impl wit::HostFile for DirStorage {
    fn size(&mut self, handle: Resource<FileHandle>) -> Result<u64, StorageError> {
        Ok(self
            .file(&handle)?
            .file
            .metadata()
            .map_err(storage_error)?
            .len())
    }

    fn stat(&mut self, handle: Resource<FileHandle>) -> Result<wit::FileStat, StorageError> {
        let metadata = self.file(&handle)?.file.metadata().map_err(storage_error)?;
        Ok(wit::FileStat {
            size: metadata.len(),
            links: metadata.nlink(),
        })
    }

    fn read_at(
        &mut self,
        handle: Resource<FileHandle>,
        offset: u64,
        len: u64,
    ) -> Result<Vec<u8>, StorageError> {
        let file = &self.file(&handle)?.file;
        let available = file
            .metadata()
            .map_err(storage_error)?
            .len()
            .saturating_sub(offset)
            .min(len);
        let mut buf = vec![0; usize::try_from(available).unwrap_or(usize::MAX)];
        let mut done = 0;
        while done < buf.len() {
            match file
                .read_at(&mut buf[done..], offset + done as u64)
                .map_err(storage_error)?
            {
                0 => break,
                n => done += n,
            }
        }
        buf.truncate(done);
        Ok(buf)
    }

    fn append(&mut self, handle: Resource<FileHandle>, data: Vec<u8>) -> Result<(), StorageError> {
        let handle = self.written(&handle)?;
        if handle.append {
            (&handle.file).write_all(&data).map_err(storage_error)
        } else {
            let end = handle.file.metadata().map_err(storage_error)?.len();
            handle.file.write_all_at(&data, end).map_err(storage_error)
        }
    }

    fn write_at(
        &mut self,
        handle: Resource<FileHandle>,
        offset: u64,
        data: Vec<u8>,
    ) -> Result<(), StorageError> {
        let handle = self.written(&handle)?;
        if handle.append {
            return Err(StorageError::Io(
                "file was opened for appending only".into(),
            ));
        }
        handle
            .file
            .write_all_at(&data, offset)
            .map_err(storage_error)
    }

    fn set_size(&mut self, handle: Resource<FileHandle>, len: u64) -> Result<(), StorageError> {
        self.written(&handle)?
            .file
            .set_len(len)
            .map_err(storage_error)
    }

    fn sync_data(&mut self, handle: Resource<FileHandle>) -> Result<(), StorageError> {
        self.file(&handle)?.file.sync_data().map_err(storage_error)
    }

    fn drop(&mut self, handle: Resource<FileHandle>) -> wasmtime::Result<()> {
        self.table.delete(handle)?;
        Ok(())
    }
}

impl wit::HostLockGuard for DirStorage {
    fn drop(&mut self, handle: Resource<LockHandle>) -> wasmtime::Result<()> {
        let lock = self.table.delete(handle)?;
        lock.file.unlock()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wit::{Host, HostFile};

    #[test]
    fn a_handle_kept_across_calls_is_flushed_after_each_call_that_wrote() {
        let dir = tempfile::tempdir().unwrap();
        let granted = Dir::open_ambient_dir(dir.path(), cap_std::ambient_authority()).unwrap();
        let mut storage = DirStorage::new(granted).tracking_writes();
        storage.create_dir_all("al/tool_audit".into()).unwrap();
        let path = "al/tool_audit/2025-10-23.jsonl";
        let file = storage
            .open(path.into(), OpenFlags::APPEND | OpenFlags::CREATE)
            .unwrap();
        let handle = || Resource::<FileHandle>::new_borrow(file.rep());
        storage.take_unsynced();
        for call in 0..3 {
            storage.append(handle(), b"{}\n".to_vec()).unwrap();
            storage.append(handle(), b"{}\n".to_vec()).unwrap();
            assert_eq!(
                storage.take_unsynced().len(),
                1,
                "call {call}: the file, once"
            );
            assert!(storage.take_unsynced().is_empty(), "nothing written since");
        }
        let stat = storage.stat(handle()).unwrap();
        assert_eq!((stat.size, stat.links), (18, 1));
        std::fs::remove_file(dir.path().join(path)).unwrap();
        assert_eq!(
            storage.stat(handle()).unwrap().links,
            0,
            "removed while open"
        );
    }

    #[test]
    fn read_only_storage_refuses_every_change_and_creates_no_lock_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("audit_log.json"), "[\n]\n").unwrap();
        let granted = Dir::open_ambient_dir(dir.path(), cap_std::ambient_authority()).unwrap();
        let mut storage = DirStorage::new(granted).read_only();
        let refused = |result: Result<(), StorageError>, what: &str| {
            assert!(
                matches!(&result, Err(StorageError::Io(m)) if m.contains("reading only")),
                "{what}: {result:?}"
            );
        };
        let write = OpenFlags::WRITE;
        refused(
            storage.open("audit_log.json".into(), write).map(drop),
            "open for writing",
        );
        refused(
            storage
                .open(
                    "alice/tool_audit/2025-10-23.jsonl".into(),
                    OpenFlags::CREATE | OpenFlags::APPEND,
                )
                .map(drop),
            "create",
        );
        refused(storage.create_dir_all("alice".into()), "create_dir_all");
        refused(
            storage.rename("audit_log.json".into(), ".audit_log.json.tmp".into()),
            "rename",
        );
        refused(storage.remove_file("audit_log.json".into()), "remove_file");
        refused(
            storage.lock(".audit_log.lock".into()).map(drop),
            "a missing lock file",
        );
        let file = storage
            .open("audit_log.json".into(), OpenFlags::empty())
            .unwrap();
        let handle = Resource::<FileHandle>::new_borrow(file.rep());
        assert_eq!(storage.read_at(handle, 0, 10).unwrap(), b"[\n]\n");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["audit_log.json"]);
        // An existing lock file is taken, opened for reading only.
        std::fs::write(dir.path().join(".audit_log.lock"), "").unwrap();
        storage.lock(".audit_log.lock".into()).unwrap();
    }

    #[test]
    fn only_the_log_layout_is_reachable() {
        for file in [
            "audit_log.json",
            ".audit_log.state",
            ".audit_log.lock",
            ".audit_log.json.tmp",
            "alice/tool_audit/2025-10-23.jsonl",
            "alice/tool_audit/2025-10-23.1.jsonl.gz",
            "alice/tool_audit/.lock",
            ".damaged.audit_log.1",
            "alice/tool_audit/.damaged.2025-10-23.12",
            "alice/tool_audit/.damaged.2025-10-23.2.3",
            "alice/tool_audit/2025-10-23.jsonl.repair.tmp",
            "alice/tool_audit/.retention",
            "alice/tool_audit/.retention.tmp",
            "alice/tool_audit/2025-10-23.2.jsonl.gz.tmp",
            "alice/tool_audit/.summary.2025-10-23.json",
            "alice/tool_audit/.summary.2025-10-23.2.gz.json",
            "alice/tool_audit/.summary.2025-10-23.2.gz.json.tmp",
        ] {
            assert!(check_file(file).is_ok(), "{file}");
        }
        for dir in ["alice", "alice/tool_audit", "bob.smith"] {
            assert!(check_dir(dir).is_ok(), "{dir}");
        }
        for bad in [
            "notes.txt",
            "alice",
            "alice/notes.txt",
            "alice/tool_audit/x.sh",
            ".hidden/tool_audit/2025-10-23.jsonl",
            "a/tool_audit/2025-10-23.jsonl/deeper",
            "audit_log.json/tool_audit/.lock",
            "audit_log.json.damaged.1",
            ".damaged.audit_log.",
            ".damaged.audit_log.x",
            ".damaged.notes.1",
            "alice/tool_audit/.damaged..1",
            "alice/tool_audit/.damaged.2025-10-23.1.sh",
            "alice/tool_audit/2025-10-23.jsonl.damaged.1",
            "auditlog.toml",
            ".retention",
            "alice/.retention",
            "alice/tool_audit/.retention.sh",
            "alice/tool_audit/x.retention",
            ".summary.2025-10-23.json",
            "alice/.summary.2025-10-23.json",
            "alice/tool_audit/.summary.2025-10-23.json.sh",
        ] {
            assert!(check_file(bad).is_err(), "{bad}");
        }
        for bad in [
            "alice/other",
            "alice/tool_audit/deeper",
            ".hidden",
            "audit_log.json",
        ] {
            assert!(check_dir(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn paths_must_stay_inside() {
        assert!(check_path("alice/tool_audit/2025-01-01.jsonl").is_ok());
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a//b",
            "./a",
            "a\\b",
            "a\0",
        ] {
            assert!(
                matches!(check_path(bad), Err(StorageError::InvalidPath(_))),
                "{bad:?}"
            );
        }
    }
}
