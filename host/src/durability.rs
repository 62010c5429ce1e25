//! When appended entries reach stable storage: [`SyncMode`], and the flush
//! after a call.
//!
//! A writer killed at any point never costs an acknowledged entry in any
//! mode: an entry is acknowledged only after its write returned, and the
//! operating system keeps what was written when the process dies. Flushing
//! (`fdatasync`) is about power loss and kernel crashes, which can otherwise
//! take the last few seconds of writes with them.

use std::fmt;
use std::fs;
use std::str::FromStr;

/// When appended entries are flushed to stable storage.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SyncMode {
    /// Never: the operating system writes entries back in its own time
    /// (within about 30 s on Linux). Fastest; an entry survives a crash of
    /// the writer, not a power loss. The default, like most log writers.
    #[default]
    Never,
    /// After each call into the component, one flush of the files it wrote:
    /// concurrent appends written together (group commit) share it, so the
    /// cost per entry falls as they grow. An acknowledged entry survives a
    /// power loss.
    Batch,
    /// Inside each call, before it returns: the component flushes the file
    /// it wrote (and takes the entry back if that fails). One flush per
    /// entry; an acknowledged entry survives a power loss.
    Always,
}

impl SyncMode {
    /// Every mode, in the order `--help` lists them.
    pub const ALL: [Self; 3] = [Self::Never, Self::Batch, Self::Always];

    /// The mode's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Self::Never => "never",
            Self::Batch => "batch",
            Self::Always => "always",
        }
    }
}

impl fmt::Display for SyncMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for SyncMode {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|mode| mode.name() == text)
            .ok_or_else(|| {
                format!(
                    "must be one of never, batch, always, got {}",
                    auditlog_model::invisible::refused(text)
                )
            })
    }
}

/// The most threads one flush uses.
const MAX_FLUSH_THREADS: usize = 16;

/// Flushes `files` (and directories), the ones one call into the component
/// changed, to stable storage: several at once, on threads of their own. The
/// file system commits concurrent flushes together (one journal commit on
/// ext4 or XFS), where flushed one after another each would wait for a
/// commit of its own — a group of eight users' appends would cost eight. For
/// the same reason calls on different instances flush independently, at the
/// same time, rather than queueing for one another.
///
/// # Errors
/// The operating system's description of a failed flush.
pub(crate) fn flush(files: &[fs::File]) -> Result<(), String> {
    if let [] | [_] = files {
        return files
            .iter()
            .try_for_each(fs::File::sync_data)
            .map_err(|e| e.to_string());
    }
    let threads = files.len().min(MAX_FLUSH_THREADS);
    let share = |k: usize| files.iter().skip(k).step_by(threads);
    let outcome = std::thread::scope(|s| {
        let others: Vec<_> = (1..threads)
            .map(|k| s.spawn(move || share(k).try_for_each(fs::File::sync_data)))
            .collect();
        let mine = share(0).try_for_each(fs::File::sync_data);
        others
            .into_iter()
            .map(|other| other.join().expect("a flush thread panicked"))
            .fold(mine, Result::and)
    });
    outcome.map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_parse_by_name() {
        for mode in SyncMode::ALL {
            assert_eq!(mode.name().parse::<SyncMode>(), Ok(mode));
        }
        assert!("sometimes".parse::<SyncMode>().is_err());
    }

    #[test]
    fn a_failed_flush_on_any_thread_fails_the_flush() {
        let dir = tempfile::tempdir().unwrap();
        let mut files: Vec<fs::File> = (0..MAX_FLUSH_THREADS + 3)
            .map(|i| fs::File::create(dir.path().join(format!("f{i}"))).unwrap())
            .collect();
        flush(&files).unwrap();
        // A pipe cannot be flushed (EINVAL); as the sixth file it is a
        // spawned thread's, not the caller's.
        let (reader, _writer) = std::io::pipe().unwrap();
        files.insert(5, fs::File::from(std::os::fd::OwnedFd::from(reader)));
        let error = flush(&files).unwrap_err();
        assert!(error.contains("nvalid argument"), "{error}");
    }
}
