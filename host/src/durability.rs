//! When appended entries reach stable storage: [`SyncMode`], and the group
//! flush that makes `batch` cheap under concurrency.
//!
//! A writer killed at any point never costs an acknowledged entry in any
//! mode: an entry is acknowledged only after its write returned, and the
//! operating system keeps what was written when the process dies. Flushing
//! (`fdatasync`) is about power loss and kernel crashes, which can otherwise
//! take the last few seconds of writes with them.

use std::fmt;
use std::fs;
use std::str::FromStr;

use crate::group::Group;

/// When appended entries are flushed to stable storage.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SyncMode {
    /// Never: the operating system writes entries back in its own time
    /// (within about 30 s on Linux). Fastest; an entry survives a crash of
    /// the writer, not a power loss. The default, like most log writers.
    #[default]
    Never,
    /// After each call, one flush for every call that finished meanwhile:
    /// concurrent writers share a flush, so the cost per entry falls as
    /// they grow. An acknowledged entry survives a power loss.
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
            .ok_or_else(|| format!("must be one of never, batch, always, got {text:?}"))
    }
}

/// Flushes the files of concurrent callers together: a caller that arrives
/// while a flush runs waits for it to finish, then the next flush takes
/// every file queued meanwhile. Each caller returns once a flush that began
/// after its write has finished.
pub struct GroupFlush {
    group: Group<Vec<fs::File>, Result<(), String>>,
}

impl Default for GroupFlush {
    fn default() -> Self {
        Self {
            group: Group::new(usize::MAX),
        }
    }
}

impl GroupFlush {
    /// Flushes `files` (and directories) to stable storage, together with
    /// those of concurrent callers.
    ///
    /// # Errors
    /// The operating system's description of the first failed flush.
    pub fn flush(&self, files: Vec<fs::File>) -> Result<(), String> {
        if files.is_empty() {
            return Ok(());
        }
        self.group.submit(
            files,
            |batch| {
                let outcome = batch
                    .iter()
                    .flatten()
                    .try_for_each(fs::File::sync_data)
                    .map_err(|e| e.to_string());
                vec![outcome; batch.len()]
            },
            || Err("a flush of this group panicked".to_owned()),
        )
    }
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
    fn concurrent_callers_all_return_flushed() {
        let dir = tempfile::tempdir().unwrap();
        let group = GroupFlush::default();
        std::thread::scope(|s| {
            for i in 0..8 {
                let path = dir.path().join(format!("f{i}"));
                let group = &group;
                s.spawn(move || {
                    let file = fs::File::create(path).unwrap();
                    group.flush(vec![file]).unwrap();
                });
            }
        });
    }
}
