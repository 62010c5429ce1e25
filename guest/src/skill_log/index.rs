//! The index file, `.audit_log.state`: where the live entries start and the
//! chain ends, in two checksummed copies; and the index of a file read whole.

use super::*;

/// Whether the bytes around `index.head` and at the end look as the index says.
pub(super) fn index_matches<F: File>(file: &F, index: &Index) -> Result<bool, StorageError> {
    if index.head < HEADER_LEN || index.head > index.size.saturating_sub(2) {
        return Ok(false);
    }
    let tail = file.read_at(index.size - 3, 3)?;
    if index.count == 0 {
        return Ok(index.head == index.size - 2 && tail.ends_with(b"]\n"));
    }
    let head = file.read_at(index.head - 1, 4)?;
    Ok(tail == b"\n]\n" && head == b"\n  {")
}

/// The index of `content` if it is in the one-entry-per-line layout.
pub(super) fn scan(content: &[u8], generation: u64) -> Option<Index> {
    let body = content.strip_prefix(b"[\n")?;
    if body == b"]\n" {
        return Some(Index {
            generation,
            ..Index::EMPTY
        });
    }
    let body = body.strip_suffix(b"\n]\n")?;
    let mut head = None;
    let mut count = 0;
    let mut offset = HEADER_LEN;
    let lines: Vec<&[u8]> = body.split(|&b| b == b'\n').collect();
    for (i, line) in lines.iter().enumerate() {
        let is_last = i + 1 == lines.len();
        if head.is_none() && line.iter().all(|&b| b == b' ') && !is_last {
            offset += line.len() as u64 + 1;
            continue;
        }
        let json = line.strip_prefix(INDENT)?;
        let json = if is_last {
            json
        } else {
            json.strip_suffix(b",")?
        };
        if !json.starts_with(b"{") || !serde_json::from_slice::<Value>(json).ok()?.is_object() {
            return None;
        }
        head.get_or_insert(offset);
        count += 1;
        offset += line.len() as u64 + 1;
    }
    // The chain goes on from the last sealed entry: another writer's
    // entries after it (the seed script's, during a migration) are legacy.
    let last_sealed = lines
        .iter()
        .rev()
        .filter_map(|line| entry_json_of_line(line))
        .find_map(|json| Some((entry::seal_of(json)?, chain::is_keyed_seal(json))));
    let (last_seq, last_link, last_keyed) = last_sealed
        .map_or((0, String::new(), None), |((seq, link), keyed)| {
            (seq, chain::to_hex(&link), keyed)
        });
    Some(Index {
        size: content.len() as u64,
        head: head?,
        count,
        generation,
        last_seq,
        last_link,
        last_keyed,
        anchor: None,
        stamp: 0,
        blanking: None,
    })
}

/// The newest copy of the index that is whole (its checksum matches):
/// every line of the file is looked at, so what is left of an older or
/// longer copy past a newer one's end is ignored.
pub(super) fn read_state<S: Storage>(storage: &S) -> Option<Index> {
    let file = storage.open(STATE_PATH, OpenFlags::READ).ok()?;
    let bytes = file.read_at(0, 2 * STATE_LEN as u64).ok()?;
    bytes
        .split(|&b| b == b'\n')
        .filter_map(|slot| {
            // The second copy follows the first's end and a gap (zeros).
            let start = slot.iter().position(|&b| b != 0).unwrap_or(slot.len());
            let line = slot[start..].trim_ascii();
            let space = line.iter().rposition(|&b| b == b' ')?;
            let (json, check) = (&line[..space], &line[space + 1..]);
            (check == checksum(json).as_bytes())
                .then(|| serde_json::from_slice::<Index>(json).ok())
                .flatten()
        })
        .max_by_key(|index| index.stamp)
}

/// Writes `index` over the older of its two copies, each a line ending in a
/// checksum at its own offset, so that a write cut short leaves the other
/// copy whole: the index never goes back further than one write.
pub(super) fn write_state<S: Storage>(storage: &S, index: &mut Index) -> Result<(), StorageError> {
    index.stamp += 1;
    let json = serde_json::to_vec(index).expect("an index always serialises");
    let line = [json.as_slice(), b" ", checksum(&json).as_bytes(), b"\n"].concat();
    if line.len() > STATE_LEN {
        return Err(StorageError::Io(format!(
            "{STATE_PATH}: an index of {} bytes does not fit its {STATE_LEN}-byte copy",
            line.len()
        )));
    }
    let slot = index.stamp % 2 * STATE_LEN as u64;
    storage
        .open(STATE_PATH, OpenFlags::READ_WRITE)?
        .write_at(slot, &line)
}

/// The first 16 hex digits of the SHA-256 of `json`.
pub(super) fn checksum(json: &[u8]) -> String {
    chain::to_hex(&chain::sha256(json))[..16].to_owned()
}
