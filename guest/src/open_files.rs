//! The day files that appends last wrote, kept open between calls.
//!
//! Finding where a user's next entry goes costs an append several storage
//! calls: open the day's file, look for a later segment, read the file's last
//! line for the chain's `seq` and link. A writer that appends again and again
//! can skip most of that: it keeps the file open and remembers its size and
//! last link. Under the user's lock it then checks, with one `stat`, that the
//! file still has its name and the size it left it at — so no other writer,
//! repair, compression or retention touched it — and that no later segment
//! was started (one failed open, as before). Anything else, and the append
//! takes the full path.

use std::sync::Mutex;

use chrono::{DateTime, NaiveDate, Utc};

use crate::chain::Link;
use crate::day_files::DayFile;
use crate::storage::{File, FileStat};

/// Files kept open; a writer for more users than this reopens the others.
const KEPT: usize = 8;

/// What an append left behind in one user's file.
pub struct Active<F> {
    /// The user the file belongs to.
    pub user: String,
    /// Which of the user's files it is.
    pub file: DayFile,
    /// The file, open for appending.
    pub handle: F,
    /// Its size after the append.
    pub size: u64,
    /// The `seq` and link of its last entry.
    pub last: (u64, Link),
    /// Its last entry's time: the next entry is stamped no earlier.
    pub last_time: Option<DateTime<Utc>>,
}

/// The open files of the last few users written, newest last.
pub struct OpenFiles<F> {
    kept: Mutex<Kept<F>>,
}

struct Kept<F> {
    files: Vec<Active<F>>,
    /// Whether the storage reports link counts, once the first file kept
    /// has told. Without them (plain WASI) a kept file could be one that was
    /// renamed away, so nothing is kept, and no handle outlives its call.
    links_known: Option<bool>,
}

impl<F> Default for OpenFiles<F> {
    fn default() -> Self {
        Self {
            kept: Mutex::new(Kept {
                files: Vec::new(),
                links_known: None,
            }),
        }
    }
}

impl<F: File> OpenFiles<F> {
    /// Takes `user`'s file out, if one is kept and it is `today`'s or later,
    /// still has its name and still ends where this writer left it. Call
    /// under the user's lock. Storage errors count as "changed": the full
    /// path will meet them again and report them.
    pub fn take_unchanged(&self, user: &str, today: NaiveDate) -> Option<Active<F>> {
        let active = {
            let mut kept = self.lock();
            let at = kept.files.iter().position(|a| a.user == user)?;
            kept.files.remove(at)
        };
        if active.file.day < today {
            return None;
        }
        let FileStat { size, links } = active.handle.stat().ok()?;
        (size == active.size && links.is_some_and(|n| n > 0)).then_some(active)
    }

    /// Keeps `active` for the next append of its user, closing the file of
    /// the user written longest ago if too many are open. Nothing is kept
    /// where the storage reports no link counts (the first file kept asks).
    pub fn keep(&self, active: Active<F>) {
        let mut kept = self.lock();
        let links_known = *kept
            .links_known
            .get_or_insert_with(|| active.handle.stat().is_ok_and(|stat| stat.links.is_some()));
        if !links_known {
            return;
        }
        kept.files.retain(|a| a.user != active.user);
        if kept.files.len() == KEPT {
            kept.files.remove(0);
        }
        kept.files.push(active);
    }

    /// Closes every kept file.
    pub fn clear(&self) {
        self.lock().files.clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Kept<F>> {
        self.kept.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chain::GENESIS;
    use crate::storage::StorageError;

    /// A file of a storage that reports no link counts (the trait's default).
    struct Unlinked;

    impl File for Unlinked {
        fn size(&self) -> Result<u64, StorageError> {
            Ok(10)
        }
        fn read_at(&self, _: u64, _: u64) -> Result<Vec<u8>, StorageError> {
            Ok(Vec::new())
        }
        fn append(&self, _: &[u8]) -> Result<(), StorageError> {
            Ok(())
        }
        fn write_at(&self, _: u64, _: &[u8]) -> Result<(), StorageError> {
            Ok(())
        }
        fn set_size(&self, _: u64) -> Result<(), StorageError> {
            Ok(())
        }
        fn sync_data(&self) -> Result<(), StorageError> {
            Ok(())
        }
    }

    #[test]
    fn nothing_is_kept_where_link_counts_are_unknown() {
        let day = NaiveDate::from_ymd_opt(2025, 10, 23).unwrap();
        let active = |user: &str| Active {
            user: user.to_owned(),
            file: DayFile::first(day),
            handle: Unlinked,
            size: 10,
            last: (1, GENESIS),
            last_time: None,
        };
        let files = OpenFiles::default();
        files.keep(active("al"));
        assert!(files.lock().files.is_empty(), "no file kept open");
        assert!(files.take_unchanged("al", day).is_none());
    }
}
