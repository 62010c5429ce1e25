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

use chrono::NaiveDate;

use crate::chain::Link;
use crate::day_files::DayFile;
use crate::storage::File;

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
}

impl<F: File> Active<F> {
    /// Whether the file is still `today`'s, still has its name and still
    /// ends where this writer left it. Storage errors count as "no": the
    /// full path will meet them again and report them.
    pub fn unchanged(&self, today: NaiveDate) -> bool {
        self.file.day == today
            && self
                .handle
                .stat()
                .is_ok_and(|stat| stat.size == self.size && stat.links.is_some_and(|n| n > 0))
    }
}

/// The open files of the last few users written, newest last.
pub struct ActiveFiles<F> {
    kept: Mutex<Vec<Active<F>>>,
}

impl<F> Default for ActiveFiles<F> {
    fn default() -> Self {
        Self {
            kept: Mutex::new(Vec::new()),
        }
    }
}

impl<F> ActiveFiles<F> {
    /// Takes `user`'s file out, if one is kept. Call under the user's lock.
    pub fn take(&self, user: &str) -> Option<Active<F>> {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        let at = kept.iter().position(|a| a.user == user)?;
        Some(kept.remove(at))
    }

    /// Keeps `active` for the next append of its user, closing the file of
    /// the user written longest ago if too many are open.
    pub fn keep(&self, active: Active<F>) {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.retain(|a| a.user != active.user);
        if kept.len() == KEPT {
            kept.remove(0);
        }
        kept.push(active);
    }

    /// Closes every kept file.
    pub fn clear(&self) {
        self.kept.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}
