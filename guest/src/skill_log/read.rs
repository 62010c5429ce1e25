//! Reading the skill log without writing anything.

use super::*;

pub(super) fn read_only_view() -> StorageError {
    StorageError::Io("the skill log is open for reading only".into())
}

/// The log opened for reading; `None` when there is no log yet. Reading
/// writes nothing — no lock file, no index, no repair, no re-layout — so it
/// works on a read-only directory and a full disk: a damaged log is refused
/// until an append or [`repair`] mends it.
///
/// # Errors
/// [`AuditError::Corrupt`] for a damaged log, naming what is wrong;
/// [`AuditError::Storage`] when it cannot be read.
pub fn open_for_reading<S: Storage>(storage: &S) -> Result<Reading<S>, AuditError> {
    match inspect(storage)? {
        (lock, Found::Nothing) => Ok((lock, None)),
        (lock, Found::Whole(opened)) => Ok((lock, Some(opened))),
        (_, Found::Damaged(reason)) => Err(AuditError::Corrupt(format!(
            "{LOG_PATH} {reason}; {MENDED_BY}"
        ))),
    }
}

/// The log as [`open_for_reading`] finds it, with a damaged log's reason on
/// its own (for `verify`, which reports it as a problem).
///
/// Readers wait for writers on the log's lock file when there is one; where
/// there is none, no writer of ours has written here yet, and a reader does
/// not create it. The live entries are found from the index when it matches
/// the file, else by reading the file, in memory: a missing or stale index
/// is not rewritten, nor a retention step a stopped writer left undone
/// finished (the index already starts after the entries it dropped).
///
/// # Errors
/// [`AuditError::Storage`] when the log cannot be read.
pub fn inspect<S: Storage>(storage: &S) -> Result<Inspection<S>, AuditError> {
    let lock = crate::storage::lock_if_present(storage, LOCK_PATH)?;
    let file = match storage.open(LOG_PATH, OpenFlags::READ) {
        Err(StorageError::NotFound) => return Ok((lock, Found::Nothing)),
        Err(e) => return Err(e.into()),
        Ok(file) => file,
    };
    Ok((lock, read_indexed(storage, file)?))
}

/// As [`inspect`], for a caller that holds the log's lock already.
///
/// # Errors
/// [`AuditError::Storage`] when the log cannot be read.
pub(crate) fn inspect_held<S: Storage>(storage: &S) -> Result<Found<S::File>, AuditError> {
    match storage.open(LOG_PATH, OpenFlags::READ) {
        Err(StorageError::NotFound) => Ok(Found::Nothing),
        Err(e) => Err(e.into()),
        Ok(file) => read_indexed(storage, file),
    }
}

/// Where the live entries of `file` are, without writing anything.
pub(super) fn read_indexed<S: Storage>(
    storage: &S,
    file: S::File,
) -> Result<Found<S::File>, AuditError> {
    let size = file.size()?;
    let previous = read_state(storage);
    let generation = previous.as_ref().map_or(0, |p| p.generation + 1);
    if size == 0 {
        if previous.as_ref().is_some_and(|p| p.count > 0) {
            let damaged = Damaged {
                file,
                content: Vec::new(),
                previous,
            };
            return Ok(Found::Damaged(
                damaged.reason(&recovery::salvage_array(&[])),
            ));
        }
        return Ok(Found::Nothing);
    }
    if let Some(index) = &previous
        && index.size == size
        && index_matches(&file, index)?
    {
        return Ok(Found::Whole(Opened {
            file: LogView::File(file),
            head: index.head,
            size,
            generation: index.generation,
        }));
    }
    let mut content = file.read_at(0, size)?;
    blank_in_memory(
        &mut content,
        previous
            .as_ref()
            .filter(|p| p.size == size)
            .and_then(|p| p.blanking),
    );
    if let Some(index) = scan(&content, generation) {
        return Ok(Found::Whole(Opened {
            file: LogView::File(file),
            head: index.head,
            size,
            generation,
        }));
    }
    let Ok((laid_out, file_lines)) = normalise(&content) else {
        let damaged = Damaged {
            file,
            content,
            previous,
        };
        return Ok(Found::Damaged(
            damaged.reason(&recovery::salvage_array(&damaged.content)),
        ));
    };
    let index = scan(&laid_out, generation)
        .ok_or_else(|| AuditError::Corrupt(format!("{LOG_PATH}: could not be laid out")))?;
    Ok(Found::Whole(Opened {
        file: LogView::LaidOut {
            bytes: laid_out,
            file_lines,
        },
        head: index.head,
        size: index.size,
        generation,
    }))
}

/// The last entry retention dropped, as the index records it.
pub fn anchor<S: Storage>(storage: &S) -> Option<Anchor> {
    read_state(storage)?.anchor
}
