//! The files an append writes to: the user's lock, the day file entries of
//! today go to (kept open between appends, or opened anew), and where the
//! user's chain ends.

use super::*;
use crate::chain::{Chain, KEY_TRIES};

/// Takes `user`'s lock, creating their directory on first use.
pub(super) fn lock_user<S: Storage>(storage: &S, user: &str) -> Result<S::Lock, AuditError> {
    let dir = day_files::user_dir(user);
    let lock_path = day_files::lock_path(user);
    Ok(match storage.lock(&lock_path) {
        Err(StorageError::NotFound) => {
            storage.create_dir_all(&dir)?;
            storage.lock(&lock_path)?
        }
        other => other?,
    })
}

/// `user`'s file from `kept`, if it is still the one their entries of
/// `today` go to (today's, or a later day's the clock stepped back from) and
/// ends where their last append left it: not full, no later file started
/// (a segment, or a day ahead), not renamed, removed or written by anyone
/// else. Otherwise `Err` with the kept journal, if any. Call under the
/// user's lock.
pub(super) fn still_active<F: File>(
    settings: &Settings,
    user: &str,
    today: NaiveDate,
    kept: &OpenFiles<F>,
) -> Result<Active<F>, Option<Journal<F>>> {
    let active = kept.take_unchanged(user, today)?;
    let full = settings
        .rotation
        .max_file_bytes
        .is_some_and(|max| active.size >= max);
    if full {
        return Err(Some(active.journal));
    }
    Ok(active)
}

/// The file `user`'s entries of `today` go to, open for appending, and its
/// size: the newest segment of `today` or of the user's newest day if that
/// is later (the clock stepped back: the chain goes on where it is), or a
/// new segment after it once that holds `max_file_bytes`. A file it starts
/// is noted in `journal` first (opened if `None`); if this fails, its notes
/// are taken back. Call under the user's lock.
pub(super) fn open_active<S: Storage>(
    storage: &S,
    settings: &Settings,
    user: &str,
    today: NaiveDate,
    journal: &mut Option<Journal<S::File>>,
) -> Result<(DayFile, S::File, u64), AuditError> {
    let opened = find_or_start(storage, settings, user, today, journal);
    if opened.is_err() {
        undo_notes(journal);
    }
    opened
}

fn find_or_start<S: Storage>(
    storage: &S,
    settings: &Settings,
    user: &str,
    today: NaiveDate,
    journal: &mut Option<Journal<S::File>>,
) -> Result<(DayFile, S::File, u64), AuditError> {
    // Under the lock no other writer, compression or retention changes the
    // listing. Entries go after every file there is, never before one; and
    // no empty file is created where a reader would take it for a segment.
    let files = day_files::list(storage, user)?;
    let day = files.last().map_or(today, |newest| newest.day.max(today));
    let mut start = |file: &DayFile| -> Result<S::File, AuditError> {
        let journal = match journal {
            Some(journal) => journal,
            None => journal.insert(Journal::open(storage, user)?),
        };
        journal.note_started(file)?;
        Ok(storage.open(&file.path(user), OpenFlags::APPEND)?)
    };
    let active = writable(&files, day);
    let file = if files.contains(&active) {
        storage.open(&active.path(user), OpenFlags::APPEND)?
    } else {
        start(&active)?
    };
    let size = file.size()?;
    match settings.rotation.max_file_bytes {
        Some(max) if size >= max => {
            let next = DayFile::plain(day, active.segment + 1);
            let file = start(&next)?;
            let size = file.size()?;
            Ok((next, file, size))
        }
        _ => Ok((active, file, size)),
    }
}

/// Takes back the notes `journal` made in this call, if any (see
/// [`Journal::undo_notes`]).
pub(super) fn undo_notes<F: File>(journal: &mut Option<Journal<F>>) {
    if let Some(journal) = journal {
        journal.undo_notes();
    }
}

/// The file new entries of `today` belong in, given `files`: the day's
/// newest segment, or the one after it if that is compressed.
pub(super) fn writable(files: &[DayFile], today: NaiveDate) -> DayFile {
    let newest = files
        .iter()
        .filter(|f| f.day == today)
        .max_by_key(|f| f.segment);
    match newest {
        None => DayFile::first(today),
        Some(f) if f.compressed => DayFile::plain(today, f.segment + 1),
        Some(f) => DayFile::plain(today, f.segment),
    }
}

/// Appends `bytes` to `file` (of `size` bytes), flushing them if `sync`; on
/// failure cuts the file back to `size`, so no partial line stays behind.
pub(super) fn append_or_restore<F: File>(
    file: &F,
    size: u64,
    bytes: &[u8],
    sync: bool,
) -> Result<(), AuditError> {
    let written = file
        .append(bytes)
        .and_then(|()| if sync { file.sync_data() } else { Ok(()) });
    if let Err(e) = written {
        let _ = file.set_size(size);
        return Err(e.into());
    }
    Ok(())
}

/// The `seq`, link and time of `user`'s last entry: the last sealed line of
/// the active file if it has any (`active_size` bytes), else of the newest
/// earlier file that has one; `(0, GENESIS)` and no time before the first
/// entry.
///
/// # Errors
/// [`AuditError::Invalid`] naming `key` when that entry is sealed in the
/// other mode than `settings` (see [`crate::chain::Chain::may_follow`]).
pub(super) fn last_seal<S: Storage>(
    storage: &S,
    settings: &Settings,
    user: &str,
    active: &DayFile,
    active_file: &S::File,
    active_size: u64,
) -> Result<day_files::Last, AuditError> {
    if active_size > 0 {
        let last = day_files::last_entry_in(active_file, active_size, &settings.chain)?;
        if last.0.0 > 0 {
            key_opens_last(storage, settings, user, active, active_file, active_size)?;
            return Ok(last);
        }
    }
    let files = day_files::list(storage, user)?;
    for file in files.iter().rev().filter(|f| before(f, active)) {
        let Some(contents) = day_files::open(storage, user, file)? else {
            continue;
        };
        let size = contents.size()?;
        let last = day_files::last_entry_in(&contents, size, &settings.chain)?;
        if last.0.0 > 0 {
            key_opens_last(storage, settings, user, file, &contents, size)?;
            return Ok(last);
        }
    }
    Ok(((0, chain::GENESIS), None))
}

fn before(file: &DayFile, other: &DayFile) -> bool {
    (file.day, file.segment) < (other.day, other.segment)
}

/// In keyed mode, refuses a key that opens none of the last sealed entries
/// of `file` (`contents[..size]`, which holds the user's last sealed entry):
/// see [`Chain::opens_one_of`]. When the file holds too few, the oldest is
/// checked from the link before it: the last of an earlier file, else
/// retention's anchor, else the genesis link for `seq` 1.
fn key_opens_last<S: Storage, F: File>(
    storage: &S,
    settings: &Settings,
    user: &str,
    file: &DayFile,
    contents: &F,
    size: u64,
) -> Result<(), AuditError> {
    let chain = &settings.chain;
    if !chain.is_keyed() {
        return Ok(());
    }
    let newest = day_files::last_sealed_lines_in(contents, size, KEY_TRIES + 1)?;
    let before = if newest.len() > KEY_TRIES {
        None
    } else {
        Some(link_before(storage, chain, user, file)?)
    };
    let newest: Vec<&[u8]> = newest.iter().map(Vec::as_slice).collect();
    chain.opens_one_of(&newest, before)
}

/// The `seq` and link before `file`'s first entry: the last of an earlier
/// file, else retention's anchor, else the genesis link.
fn link_before<S: Storage>(
    storage: &S,
    chain: &Chain,
    user: &str,
    file: &DayFile,
) -> Result<(u64, Link), AuditError> {
    for earlier in day_files::list(storage, user)?.iter().rev() {
        if !before(earlier, file) {
            continue;
        }
        let Some(earlier) = day_files::open(storage, user, earlier)? else {
            continue;
        };
        let last = day_files::last_seal_in(&earlier, earlier.size()?, chain)?;
        if last.0 > 0 {
            return Ok(last);
        }
    }
    // Retention deleted every file before: the anchor holds the link.
    Ok(rotation::anchor(storage, user)
        .and_then(|anchor| Some((anchor.seq, chain::from_hex(&anchor.link)?)))
        .unwrap_or((0, chain::GENESIS)))
}
