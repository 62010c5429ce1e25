//! The day files that appends last wrote, kept open between calls, and the
//! journal that tells a writer whether its kept file is still the newest.
//!
//! Finding where a user's next entry goes costs an append several storage
//! calls: list the user's files, open the newest, read its last line for the
//! chain's `seq` and link. A writer that appends again and again can skip
//! most of that: it keeps the file open and remembers its size and last
//! link. Under the user's lock it then checks, with one `stat` each, that
//! the file still has its name and the size it left it at — so no other
//! writer, repair, compression or retention touched it — and that the
//! user's [`Journal`] has not grown, so no writer started a later file (a
//! segment, or a day ahead by any number of days). Anything else, and the
//! append takes the full path.

use std::sync::Mutex;

use chrono::{DateTime, NaiveDate, Utc};

use crate::chain::Link;
use crate::day_files::{self, DayFile};
use crate::error::AuditError;
use crate::storage::{File, FileStat, OpenFlags, Storage};

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
    /// The user's journal, as it was after the append.
    pub journal: Journal<F>,
    /// The `seq` and link of its last entry.
    pub last: (u64, Link),
    /// Its last entry's time: the next entry is stamped no earlier.
    pub last_time: Option<DateTime<Utc>>,
}

/// A user's lock file read as the journal of the files started in their
/// tool log: every writer, under the user's lock, appends a file's name and
/// a newline to it *before* starting that file (see
/// [`Journal::note_started`]). So a writer that kept its file open knows,
/// from the journal's size alone, whether any later file appeared since its
/// last append — however far ahead the other writer's clock is, whatever
/// its size bound. A note whose file was then never written (a crash, a
/// failed write) only sends the next append down the full path.
///
/// Writers that do not take the lock (the scripts auditlog replaces) write
/// no notes: their lines are legacy lines, read but outside the chain.
pub struct Journal<F> {
    handle: F,
    /// Its size when last read by this writer.
    size: u64,
    /// Its size before this call's first note, until the call's write is
    /// done ([`Journal::settle`]) or undone ([`Journal::undo_notes`]).
    noted_from: Option<u64>,
}

impl<F: File> Journal<F> {
    /// Opens `user`'s journal (their lock file, which exists once the lock is
    /// taken). Call under the user's lock.
    ///
    /// # Errors
    /// Storage errors.
    pub fn open<S: Storage<File = F>>(storage: &S, user: &str) -> Result<Self, AuditError> {
        let handle = storage.open(&day_files::lock_path(user), OpenFlags::APPEND)?;
        let size = handle.size()?;
        Ok(Self {
            handle,
            size,
            noted_from: None,
        })
    }

    /// Notes that `file` is about to be started. Call under the user's lock,
    /// before the file is created.
    ///
    /// # Errors
    /// Storage errors: the file must not be started then.
    pub fn note_started(&mut self, file: &DayFile) -> Result<(), AuditError> {
        let mut line = file.name();
        line.push('\n');
        let before = self.handle.size()?;
        self.noted_from.get_or_insert(before);
        self.handle.append(line.as_bytes())?;
        self.size = self.handle.size()?;
        Ok(())
    }

    /// Takes back this call's notes: its write failed and the files it
    /// started were removed, so the directory is as it was. (A note left
    /// behind would be harmless, only not "as it was".)
    pub fn undo_notes(&mut self) {
        if let Some(from) = self.noted_from.take()
            && self.handle.set_size(from).is_ok()
        {
            self.size = from;
        }
    }

    /// Keeps this call's notes: the files they name were written.
    pub fn settle(&mut self) {
        self.noted_from = None;
    }

    /// Reads the journal's size again: call under the user's lock, once the
    /// writer has found its file by the full path (it has seen every file
    /// started until now). If it cannot be read, the next append takes the
    /// full path again.
    pub fn reread(&mut self) {
        self.size = self.handle.size().unwrap_or(u64::MAX);
    }

    /// Whether no file was started since this writer last read or wrote the
    /// journal. A storage error counts as "something changed".
    fn unchanged(&self) -> bool {
        self.handle.size().is_ok_and(|size| size == self.size)
    }
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
    /// Takes `user`'s file out, if one is kept: `Ok` when it is `today`'s or
    /// later, still has its name and still ends where this writer left it,
    /// and no later file was started since ([`Journal`]); else `Err` with
    /// the journal, if one was kept, for the full path to go on with. Call
    /// under the user's lock. Storage errors count as "changed": the full
    /// path will meet them again and report them.
    pub fn take_unchanged(
        &self,
        user: &str,
        today: NaiveDate,
    ) -> Result<Active<F>, Option<Journal<F>>> {
        let active = {
            let mut kept = self.lock();
            let at = kept.files.iter().position(|a| a.user == user).ok_or(None)?;
            kept.files.remove(at)
        };
        let same = |FileStat { size, links }| size == active.size && links.is_some_and(|n| n > 0);
        if active.file.day >= today
            && active.handle.stat().is_ok_and(same)
            && active.journal.unchanged()
        {
            Ok(active)
        } else {
            Err(Some(active.journal))
        }
    }

    /// Whether files are kept at all: only where the storage reports link
    /// counts (the first file asked tells), since without them a kept file
    /// could be one that was renamed away.
    pub fn can_keep(&self, file: &F) -> bool {
        *self
            .lock()
            .links_known
            .get_or_insert_with(|| file.stat().is_ok_and(|stat| stat.links.is_some()))
    }

    /// Keeps `active` for the next append of its user, closing the file of
    /// the user written longest ago if too many are open. Nothing is kept
    /// unless [`OpenFiles::can_keep`].
    pub fn keep(&self, active: Active<F>) {
        if !self.can_keep(&active.handle) {
            return;
        }
        let mut kept = self.lock();
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
            journal: Journal {
                handle: Unlinked,
                size: 0,
                noted_from: None,
            },
            last: (1, GENESIS),
            last_time: None,
        };
        let files = OpenFiles::default();
        files.keep(active("al"));
        assert!(files.lock().files.is_empty(), "no file kept open");
        assert!(files.take_unchanged("al", day).is_err());
    }
}
