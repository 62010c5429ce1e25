//! Retention: dropping the oldest entries beyond `max_entries` by blanking
//! their lines, the anchor first (see [`crate::anchor`]).

use super::*;

/// Blanks the `n` oldest entries and rewrites the file if the blanked prefix
/// has outgrown the live entries; records the index as it goes.
///
/// The index moves past the dropped entries before they are blanked, so that
/// a blanking cut short (and put back) leaves only whole entries, which
/// readers skip as dropped.
pub(super) fn drop_oldest<S: Storage>(
    storage: &S,
    settings: &Settings,
    file: S::File,
    mut index: Index,
    n: u64,
) -> Result<(S::File, Index), AuditError> {
    if n == 0 {
        return Ok((file, index));
    }
    let mut blank = first_lines(&file, index.head, n)?;
    // The last sealed entry dropped: legacy entries (another writer's) may
    // follow it.
    let last_dropped = blank
        .rsplit(|&b| b == b'\n')
        .filter_map(entry_json_of_line)
        .find_map(entry::seal_of);
    let legacy = dropped_legacy(&index, settings, &blank);
    if let Some((seq, link)) = last_dropped {
        // Until the blanking below is done the dropped entries are still
        // there: the anchor vouches for the link before the first of them.
        let first = blank
            .split(|&b| b == b'\n')
            .find_map(|line| entry_json_of_line(line).and_then(entry::seal_of));
        let start = first.and_then(|(first, _)| {
            let prev = match &index.anchor {
                Some(old) => old.checked(&settings.chain)?.prev_of(first)?,
                None => (first == 1).then_some(chain::GENESIS)?,
            };
            Some((first, prev))
        });
        index.anchor = Some(Anchor::new(&settings.chain, seq, &link, start.as_slice()));
    }
    if let Some(legacy) = legacy {
        let anchor = index
            .anchor
            .take()
            .unwrap_or_else(|| Anchor::new(&settings.chain, 0, &chain::GENESIS, &[]));
        index.anchor = Some(anchor.with_legacy(&settings.chain, Some(legacy)));
    }
    let mut before = index.clone();
    let start = index.head;
    index.head = start + blank.len() as u64 + 1;
    index.count -= n;
    index.blanking = Some((start, start + blank.len() as u64));
    write_state(storage, &mut index)?;
    let original = blank.clone();
    for byte in blank.iter_mut().filter(|b| **b != b'\n') {
        *byte = b' ';
    }
    if let Err(e) = file.write_at(start, &blank) {
        // Put the entries and the index back as they were.
        let _ = file.write_at(start, &original);
        before.stamp = index.stamp;
        let _ = write_state(storage, &mut before);
        return Err(e.into());
    }

    if index.blank_bytes() >= MIN_REWRITE_BYTES && index.blank_bytes() > index.live_bytes() {
        let live = file.read_at(index.head, index.live_bytes())?;
        drop(file);
        let content = [b"[\n".as_slice(), &live].concat();
        let file = replace_log(storage, &content)?;
        let mut index = Index {
            size: content.len() as u64,
            head: HEADER_LEN,
            generation: index.generation + 1,
            blanking: None,
            ..index
        };
        write_state(storage, &mut index)?;
        return Ok((file, index));
    }
    Ok((file, index))
}

/// The legacy entries retention has dropped once the lines `blank` go
/// (the anchor's, and those among them), if there are any (see
/// [`crate::legacy`]).
pub(super) fn dropped_legacy(index: &Index, settings: &Settings, blank: &[u8]) -> Option<Dropped> {
    let mut dropped = index
        .anchor
        .as_ref()
        .and_then(|anchor| anchor.checked(&settings.chain))
        .map(|checked| checked.legacy)
        .unwrap_or_default();
    for json in blank.split(|&b| b == b'\n').filter_map(entry_json_of_line) {
        dropped.fold(json);
    }
    (dropped.digest.entries > 0).then_some(dropped)
}

/// Blanks `file[start..end]` (keeping its newlines) unless it already is:
/// retention saved the index, then a writer stopped before blanking.
pub(super) fn finish_blanking<F: File>(file: &F, start: u64, end: u64) -> Result<(), AuditError> {
    let mut bytes = file.read_at(start, end.saturating_sub(start))?;
    if bytes.iter().all(|&b| b == b' ' || b == b'\n') {
        return Ok(());
    }
    for byte in bytes.iter_mut().filter(|b| **b != b'\n') {
        *byte = b' ';
    }
    Ok(file.write_at(start, &bytes)?)
}

/// The bytes of the `n` lines starting at `from`, without the `\n` that ends
/// the last of them. Reads a little past them: 4 KiB at first, more for long lines.
pub(super) fn first_lines<F: File>(file: &F, from: u64, n: u64) -> Result<Vec<u8>, AuditError> {
    let mut bytes = Vec::new();
    let mut seen = 0;
    let mut step = 4096;
    loop {
        let chunk = file.read_at(from + bytes.len() as u64, step)?;
        if chunk.is_empty() {
            return Err(AuditError::Corrupt(format!(
                "{LOG_PATH}: ends before its last entry"
            )));
        }
        for (i, _) in chunk.iter().enumerate().filter(|(_, b)| **b == b'\n') {
            seen += 1;
            if seen == n {
                bytes.extend_from_slice(&chunk[..i]);
                return Ok(bytes);
            }
        }
        bytes.extend_from_slice(&chunk);
        step = (step * 2).min(SCAN_CHUNK);
    }
}
