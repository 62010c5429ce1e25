//! A log directory that opening a log created: removed again when the log is
//! dropped if nothing was written in it, so that a refused or failed call —
//! or an open that fails — leaves no empty directory behind, and a mistyped
//! path does not become an empty log that reads and verifies.

use std::io;
use std::path::{Path, PathBuf};

/// The directories an open created: the log's own, and the parents that were
/// missing too.
#[derive(Debug)]
pub(super) struct CreatedDir {
    /// The log directory, absolute, so a later change of the process's
    /// working directory cannot make it name another.
    dir: PathBuf,
    /// How many levels, from `dir` up, did not exist.
    levels: usize,
}

impl CreatedDir {
    /// Creates `dir` and its missing parents: what was created, or `None`
    /// if `dir` existed.
    pub(super) fn create(dir: &Path) -> io::Result<Option<Self>> {
        let levels = dir.ancestors().take_while(|level| !level.exists()).count();
        std::fs::create_dir_all(dir)?;
        if levels == 0 {
            return Ok(None);
        }
        Ok(Some(Self {
            dir: std::fs::canonicalize(dir)?,
            levels,
        }))
    }
}

impl Drop for CreatedDir {
    /// Removes the created levels that are still empty, innermost first:
    /// `remove_dir` takes only an empty directory, so one anything was
    /// written in (by this log or anyone else) stays, with its parents.
    fn drop(&mut self) {
        for level in self.dir.ancestors().take(self.levels) {
            if std::fs::remove_dir(level).is_err() {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_levels_go_if_empty_and_stay_once_written() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("a/b/logs");
        drop(CreatedDir::create(&dir).unwrap().expect("created"));
        assert!(!root.path().join("a").exists(), "every created level went");
        let created = CreatedDir::create(&dir).unwrap().expect("created");
        std::fs::write(dir.join("audit_log.json"), "[]").unwrap();
        drop(created);
        assert!(dir.join("audit_log.json").exists());
        assert!(CreatedDir::create(&dir).unwrap().is_none(), "it existed");
        assert!(dir.exists());
    }
}
