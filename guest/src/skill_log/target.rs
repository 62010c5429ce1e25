//! Where an append writes: the open log in place, or a new file that
//! replaces it.

use super::*;

/// Where an append writes its entries.
pub(super) enum Target<F> {
    /// At the end of the open log, in place.
    InPlace(F),
    /// Into a new file that replaces the log: `content` (the log's entries
    /// in this layout), then the new entries. `aside` is a file this call
    /// made (a damaged log's unreadable bytes), removed if the replacement
    /// fails.
    Replace {
        content: Vec<u8>,
        aside: Option<String>,
    },
}

/// Bytes read from the end of the log before reading back line by line.
const TAIL_READ: u64 = 1024;

impl<F: File> Target<F> {
    /// The first of `visit`'s answers over the log's lines from the end
    /// back to its head, newest first.
    pub(super) fn find_back<T>(
        &self,
        index: &Index,
        mut visit: impl FnMut(&[u8]) -> Option<T>,
    ) -> Result<Option<T>, AuditError> {
        match self {
            Target::InPlace(file) => {
                // Most last lines fit in a small read of the end.
                let from = index.size.saturating_sub(TAIL_READ).max(index.head);
                let tail = file.read_at(from, index.size - from)?;
                let mut pieces: Vec<&[u8]> = tail.split(|&b| b == b'\n').collect();
                let partial = (from > index.head).then(|| pieces.remove(0));
                if let Some(found) = pieces.into_iter().rev().find_map(&mut visit) {
                    return Ok(Some(found));
                }
                let Some(partial) = partial else {
                    return Ok(None);
                };
                let end = from + partial.len() as u64;
                let mut lines = ReverseLines::new(file, index.head, end);
                while let Some((_, line)) = lines.next_line()? {
                    if let Some(found) = visit(line) {
                        return Ok(Some(found));
                    }
                }
                Ok(None)
            }
            Target::Replace { content, .. } => {
                let end = content
                    .len()
                    .min(usize::try_from(index.size).unwrap_or(usize::MAX));
                let head = usize::try_from(index.head).unwrap_or(end).min(end);
                Ok(content[head..end]
                    .split(|&b| b == b'\n')
                    .rev()
                    .find_map(visit))
            }
        }
    }

    /// Removes what this call made for a replacement that will not happen.
    pub(super) fn abandon<S: Storage<File = F>>(self, storage: &S) {
        if let Target::Replace {
            aside: Some(aside), ..
        } = self
        {
            let _ = storage.remove_file(&aside);
        }
    }
}
