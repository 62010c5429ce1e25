//! Opening the log: its live entries found from the index or by reading
//! the file, and where an append writes.

use super::*;

/// The log as [`open_indexed`] found it.
pub(super) enum Opening<F> {
    /// Whole: where to append and where its live entries are; the index's
    /// `blanking` is a retention step a stopped writer left undone.
    Whole(Target<F>, Index),
    /// Damaged, to be repaired or refused.
    Damaged(Damaged<F>),
}

/// A log file that is neither in this layout nor a JSON array of objects.
pub(super) struct Damaged<F> {
    pub(super) file: F,
    /// The whole file; empty when it was emptied.
    pub(super) content: Vec<u8>,
    /// The index as it was, if it could be read.
    pub(super) previous: Option<Index>,
}

impl<F> Damaged<F> {
    /// What is wrong, as a sentence fragment, given what could be read back.
    pub(super) fn reason(&self, salvage: &recovery::Salvage) -> String {
        match &self.previous {
            Some(previous) if self.content.is_empty() => format!(
                "was emptied, though its index recorded {} entries up to seq {}",
                previous.count, previous.last_seq
            ),
            _ => salvage.reason.to_owned(),
        }
    }
}

/// Finds the log's live entries, from the index if it matches the file
/// (unless `thorough`), else by reading the file, and where to append.
/// Writes nothing: a missing or empty log, and a file in another layout
/// that holds a JSON array of objects, are laid out in memory for the
/// append to write whole; a damaged file is handed back as it is.
pub(super) fn open_indexed<S: Storage>(
    storage: &S,
    thorough: bool,
) -> Result<Opening<S::File>, AuditError> {
    let previous = read_state(storage);
    let generation = previous.as_ref().map_or(0, |p| p.generation + 1);
    let anew = |previous: Option<&Index>| {
        let index = Index {
            generation,
            stamp: previous.map_or(0, |p| p.stamp),
            ..Index::EMPTY
        };
        let content = EMPTY.to_vec();
        Opening::Whole(
            Target::Replace {
                content,
                aside: None,
            },
            index,
        )
    };
    let existing = OpenFlags {
        create: false,
        ..OpenFlags::READ_WRITE
    };
    let file = match storage.open(LOG_PATH, existing) {
        Err(StorageError::NotFound) => return Ok(anew(previous.as_ref())),
        other => other?,
    };
    let size = file.size()?;
    if size == 0 {
        if previous.as_ref().is_some_and(|p| p.count > 0) {
            return Ok(Opening::Damaged(Damaged {
                file,
                content: Vec::new(),
                previous,
            }));
        }
        return Ok(anew(previous.as_ref()));
    }
    let pending = previous
        .as_ref()
        .filter(|p| p.size == size)
        .and_then(|p| p.blanking);
    if !thorough
        && let Some(index) = &previous
        && index.size == size
        && index_matches(&file, index)?
    {
        return Ok(Opening::Whole(Target::InPlace(file), index.clone()));
    }
    // The index is missing or stale; offsets may have moved. What retention
    // dropped cannot be read back: its anchor is kept from the old index.
    let mut content = file.read_at(0, size)?;
    blank_in_memory(&mut content, pending);
    let (target, mut index) = match scan(&content, generation) {
        Some(index) => (Target::InPlace(file), index),
        None => {
            let Ok((content, _)) = normalise(&content) else {
                return Ok(Opening::Damaged(Damaged {
                    file,
                    content,
                    previous,
                }));
            };
            let index = scan(&content, generation)
                .ok_or_else(|| AuditError::Corrupt(format!("{LOG_PATH}: could not be laid out")))?;
            let target = Target::Replace {
                content,
                aside: None,
            };
            (target, index)
        }
    };
    if let Some(previous) = previous {
        index.anchor = previous.anchor;
        index.stamp = previous.stamp;
    }
    if matches!(target, Target::InPlace(_)) {
        index.blanking = pending;
    }
    Ok(Opening::Whole(target, index))
}

/// Where to append, the index, and the repair made first, if any.
pub(super) type ForWriting<F> = (Target<F>, Index, Vec<Recovery>);

/// Opens the log to write to it; a damaged log is laid out anew, with every
/// intact entry and a recovery entry, for the append to write whole.
pub(super) fn open_for_writing<S: Storage>(
    storage: &S,
    settings: &Settings,
    now: DateTime<Utc>,
    thorough: bool,
) -> Result<ForWriting<S::File>, AuditError> {
    match open_indexed(storage, thorough)? {
        Opening::Whole(target, index) => Ok((target, index, Vec::new())),
        Opening::Damaged(damaged) => {
            let (target, index, recovery) = salvage(storage, settings, now, damaged)?;
            Ok((target, index, vec![recovery]))
        }
    }
}
