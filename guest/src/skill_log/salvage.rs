//! Repair: a damaged skill log laid out anew with every intact entry and a
//! recovery entry, the unreadable bytes moved aside first (see
//! [`crate::recovery`]); and `repair`, which reads the whole log to find it.

use super::*;

/// Reads the whole skill log and repairs any damage, wherever it is (an
/// append only notices damage at the file's ends).
///
/// # Errors
/// [`AuditError::Storage`] when the log cannot be read or rewritten.
pub fn repair<S: Storage>(
    storage: &S,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<Vec<Recovery>, AuditError> {
    let _lock = storage.lock(LOCK_PATH)?;
    match storage.open(LOG_PATH, OpenFlags::READ) {
        Err(StorageError::NotFound) => return Ok(Vec::new()),
        Err(e) => return Err(e.into()),
        Ok(_) => {}
    }
    let (target, mut index, recovered) = open_for_writing(storage, settings, now, true)?;
    let file = match target {
        Target::InPlace(file) => file,
        // A whole log laid out otherwise (the seed's layout, CRLF line
        // ends) is read as it is: there is nothing to repair, so nothing
        // is written; the next append lays it out.
        target @ Target::Replace { .. } if recovered.is_empty() => {
            target.abandon(storage);
            return Ok(recovered);
        }
        Target::Replace { content, aside } => replace_or_undo(storage, &content, aside.as_deref())?,
    };
    if let Some((start, end)) = index.blanking.take() {
        finish_blanking(&file, start, end)?;
    }
    // A whole log, left in place, whose index already says what is there:
    // nothing was repaired, so nothing is written (its offsets did not
    // move, so the generation the repair's read counted on need not either).
    let current = read_state(storage).is_some_and(|stored| {
        stored
            == Index {
                generation: stored.generation,
                ..index.clone()
            }
    });
    if recovered.is_empty() && current {
        return Ok(recovered);
    }
    write_state(storage, &mut index)?;
    Ok(recovered)
}

/// Lays out a damaged log anew with every intact entry and, last, a
/// recovery entry saying what happened; the unreadable bytes go to a file
/// of their own first. The log itself is replaced by the append, in one
/// rename: it is either as it was or repaired.
pub(super) fn salvage<S: Storage>(
    storage: &S,
    settings: &Settings,
    now: DateTime<Utc>,
    damaged: Damaged<S::File>,
) -> Result<(Target<S::File>, Index, Recovery), AuditError> {
    let salvage = recovery::salvage_array(&damaged.content);
    // A writer in the other mode than the chain's is refused before any
    // repair (see `Chain::may_follow`).
    let last_keyed = salvage
        .entries
        .iter()
        .rev()
        .find_map(|json| chain::is_keyed_seal(json.as_bytes()))
        .or_else(|| damaged.previous.as_ref().and_then(|p| p.last_keyed));
    settings.chain.may_follow(last_keyed)?;
    key_opens_last_kept(settings, &salvage.entries)?;
    let reason = damaged.reason(&salvage);
    let Damaged { file, previous, .. } = damaged;
    drop(file);
    // The chain goes on from the last sealed entry kept, else from the index.
    let (last_seq, last_link) = salvage
        .entries
        .iter()
        .rev()
        .find_map(|json| entry::seal_of(json.as_bytes()))
        .or_else(|| {
            previous
                .as_ref()
                .filter(|p| p.last_seq > 0)
                .map(|p| (p.last_seq, p.prev_link()))
        })
        .unwrap_or((0, chain::GENESIS));
    let moved_to = if salvage.unreadable.is_empty() {
        None
    } else {
        Some(recovery::move_aside(
            storage,
            LOG_PATH,
            &salvage.unreadable,
        )?)
    };
    let recovery = Recovery {
        file: LOG_PATH.to_owned(),
        reason,
        moved_to,
        bytes: salvage.unreadable.len() as u64,
        kept: salvage.entries.len() as u64,
    };
    let (line, _) = entry::seal(
        recovery_entry(&recovery, now),
        &settings.chain,
        last_seq + 1,
        &last_link,
    );
    let mut lines = salvage.entries;
    lines.push(line);
    let content = layout(&lines);
    let generation = previous.as_ref().map_or(0, |p| p.generation + 1);
    let mut index = scan(&content, generation)
        .ok_or_else(|| AuditError::Corrupt(format!("{LOG_PATH}: could not be rewritten")))?;
    if let Some(previous) = previous {
        index.anchor = previous.anchor;
        index.stamp = previous.stamp;
    }
    let target = Target::Replace {
        content,
        aside: recovery.moved_to.clone(),
    };
    Ok((target, index, recovery))
}

/// The entry that records a repair.
pub(super) fn recovery_entry(recovery: &Recovery, now: DateTime<Utc>) -> Map<String, Value> {
    let mut entry = Map::new();
    entry.insert(
        "timestamp".into(),
        Value::String(clock::skill_timestamp(now)),
    );
    entry.insert("skill".into(), Value::from(recovery::RECOVERY_NAME));
    entry.insert("status".into(), Value::from(recovery::RECOVERED_STATUS));
    entry.insert("errors".into(), Value::from(vec![recovery.notice()]));
    entry.insert(
        "metadata".into(),
        Value::Object(recovery::details(recovery)),
    );
    entry
}

/// In keyed mode, refuses a key that opens none of the last sealed entries
/// kept (see [`chain::Chain::opens_one_of`]): the recovery entry would be
/// sealed under another key.
fn key_opens_last_kept(settings: &Settings, kept: &[String]) -> Result<(), AuditError> {
    let newest: Vec<&[u8]> = kept
        .iter()
        .rev()
        .map(String::as_bytes)
        .filter(|json| entry::seal_of(json).is_some())
        .take(chain::KEY_TRIES + 1)
        .collect();
    let before = (newest.len() <= chain::KEY_TRIES).then_some((0, chain::GENESIS));
    settings.chain.opens_one_of(&newest, before)
}
