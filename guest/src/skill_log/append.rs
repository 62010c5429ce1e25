//! Appending: validating and stamping runs, sealing them into the chain,
//! writing them in one write under the lock, and retention after.

use super::*;

/// Validates `run`, stamps it with `now` and appends it, dropping the oldest
/// entries beyond `settings.max_entries`. A damaged log is repaired first
/// (see [`crate::recovery`]) and the repair reported in the receipt.
///
/// # Errors
/// [`AuditError::Invalid`] for a refused field or a `clock` that
/// [`clock::check`] refuses (nothing written);
/// [`AuditError::Storage`] when a write fails (the file is put back as it was
/// as far as the storage allows).
pub fn append<S: Storage>(
    storage: &S,
    settings: &Settings,
    now: DateTime<Utc>,
    run: &SkillRun,
) -> Result<SkillReceipt, AuditError> {
    clock::check(now)?;
    let entry = entry_map(run, now, settings)?;
    let mut receipts = write(storage, settings, now, vec![entry])?;
    Ok(receipts.remove(0))
}

/// Appends `runs` in one call: every run is validated before anything is
/// written, then all are sealed and written in one write under one lock,
/// and retention runs once. Receipts come back in the order of `runs`; each
/// gives the number of entries after the whole batch, and the first lists
/// any repair made before it.
///
/// # Errors
/// [`AuditError::Invalid`] naming `runs[i].FIELD` for the first refused run
/// (nothing written); [`AuditError::Storage`] as for [`append`].
pub fn append_many<S: Storage>(
    storage: &S,
    settings: &Settings,
    now: DateTime<Utc>,
    runs: &[SkillRun],
) -> Result<Vec<SkillReceipt>, AuditError> {
    clock::check(now)?;
    let entries = runs
        .iter()
        .enumerate()
        .map(|(i, run)| entry_map(run, now, settings).map_err(|e| e.at(&format!("runs[{i}]"))))
        .collect::<Result<Vec<_>, _>>()?;
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    write(storage, settings, now, entries)
}

/// Seals `entries` and appends them in one write under the log's lock,
/// after repairing a damaged log; then applies retention.
///
/// Nothing is written before the entries: a log that must be laid out
/// anew (a first append, the seed's file, a repair) is replaced by a new
/// file holding them, in one rename, so a call that fails leaves the log
/// exactly as it was and a first append on a full disk leaves no
/// `audit_log.json`. What fails after the entries are stored (finishing an
/// earlier retention, retention, the index) is a warning.
pub(super) fn write<S: Storage>(
    storage: &S,
    settings: &Settings,
    now: DateTime<Utc>,
    entries: Vec<Map<String, Value>>,
) -> Result<Vec<SkillReceipt>, AuditError> {
    let _lock = storage.lock(LOCK_PATH)?;
    write_locked(storage, settings, now, entries)
}

/// Appends an entry of auditlog's own, which `make` builds under the log's
/// lock from what it finds there (`None`: nothing to write). `make` must
/// not take the lock itself.
///
/// # Errors
/// `make`'s errors (nothing written); as [`append`].
pub(crate) fn append_own<S: Storage, T>(
    storage: &S,
    settings: &Settings,
    now: DateTime<Utc>,
    make: impl FnOnce() -> Result<(Option<Map<String, Value>>, T), AuditError>,
) -> Result<(Option<SkillReceipt>, T), AuditError> {
    clock::check(now)?;
    let _lock = storage.lock(LOCK_PATH)?;
    let (entry, found) = make()?;
    let Some(entry) = entry else {
        return Ok((None, found));
    };
    let mut receipts = write_locked(storage, settings, now, vec![entry])?;
    Ok((Some(receipts.remove(0)), found))
}

/// [`write`], under the lock the caller holds.
pub(super) fn write_locked<S: Storage>(
    storage: &S,
    settings: &Settings,
    now: DateTime<Utc>,
    entries: Vec<Map<String, Value>>,
) -> Result<Vec<SkillReceipt>, AuditError> {
    let (target, mut index, recovered) = open_for_writing(storage, settings, now, false)?;
    // A writer in the other mode than the chain's is refused, and a clock
    // behind the log stamps no earlier than its last entry.
    let entries = match last_keyed(&target, &index)
        .and_then(|keyed| settings.chain.may_follow(keyed))
        .and_then(|()| key_opens_last(settings, &target, &index))
        .and_then(|()| stamped_after_last(&target, &index, now, entries))
    {
        Ok(entries) => entries,
        Err(e) => {
            target.abandon(storage);
            return Err(e);
        }
    };
    let pending = index.blanking.take();
    let (file, lines) = add(storage, target, &mut index, settings, entries)?;
    let mut warnings = Vec::new();
    if let Some((start, end)) = pending
        && let Err(e) = finish_blanking(&file, start, end)
    {
        index.blanking = pending;
        warnings.push(format!(
            "{LOG_PATH}: an earlier retention step was not finished ({e}); the next append finishes it"
        ));
    }
    let (total_entries, more) = keep_bounded(storage, settings, file, index);
    warnings.extend(more);
    let mut first = Some((recovered, warnings));
    Ok(lines
        .into_iter()
        .map(|entry| {
            let (recovered, warnings) = first.take().unwrap_or_default();
            SkillReceipt {
                entry,
                path: LOG_PATH.to_owned(),
                total_entries,
                recovered,
                warnings,
            }
        })
        .collect())
}

/// `entries` (stamped with `now`), stamped no earlier than the log's last
/// entry when the clock is behind it (see [`clock::chained`]), so that the
/// chain's timestamps never go back.
pub(super) fn stamped_after_last<F: File>(
    target: &Target<F>,
    index: &Index,
    now: DateTime<Utc>,
    mut entries: Vec<Map<String, Value>>,
) -> Result<Vec<Map<String, Value>>, AuditError> {
    if index.count == 0 {
        return Ok(entries);
    }
    let last = target.find_back(index, |line| {
        let json = std::str::from_utf8(entry_json_of_line(line)?).ok()?;
        let row = stored_line::read(json)?;
        clock::parse_instant(&row.timestamp.or(row.ts)?)
    })?;
    let stamp = clock::chained(now, last, None);
    if stamp != now {
        for entry in &mut entries {
            entry.insert(
                "timestamp".into(),
                Value::String(clock::skill_timestamp(stamp)),
            );
        }
    }
    Ok(entries)
}

/// Seals `entries` as the next in the chain and writes them to `target` in
/// one write (or one rename); returns the open log and their lines.
pub(super) fn add<S: Storage>(
    storage: &S,
    target: Target<S::File>,

    index: &mut Index,
    settings: &Settings,
    entries: Vec<Map<String, Value>>,
) -> Result<(S::File, Vec<String>), AuditError> {
    chain::continues_from(index.last_seq)?;
    let (mut seq, mut prev) = (index.last_seq, index.prev_link());
    let (offset, mut bytes) = if index.count == 0 {
        (index.size - 2, Vec::new())
    } else {
        (index.size - 3, b",\n".to_vec())
    };
    let mut lines = Vec::with_capacity(entries.len());
    for (i, entry) in entries.into_iter().enumerate() {
        seq += 1;
        let (line, link) = entry::seal(entry, &settings.chain, seq, &prev);
        prev = link;
        if i > 0 {
            bytes.extend_from_slice(b",\n");
        }
        bytes.extend_from_slice(b"  ");
        bytes.extend_from_slice(line.as_bytes());
        lines.push(line);
    }
    bytes.extend_from_slice(b"\n]\n");
    let file = match target {
        Target::InPlace(file) => {
            let written = file.write_at(offset, &bytes).and_then(|()| {
                if settings.sync_data {
                    file.sync_data()
                } else {
                    Ok(())
                }
            });
            if let Err(e) = written {
                restore_tail(&file, index);
                return Err(e.into());
            }
            file
        }
        Target::Replace { mut content, aside } => {
            content.truncate(usize::try_from(offset).expect("the log is in memory"));
            content.extend_from_slice(&bytes);
            replace_or_undo(storage, &content, aside.as_deref())?
        }
    };
    index.size = offset + bytes.len() as u64;
    index.count += lines.len() as u64;
    index.last_seq = seq;
    index.last_link = chain::to_hex(&prev);
    index.last_keyed = Some(settings.chain.is_keyed());
    Ok((file, lines))
}

/// [`replace_log`], removing `aside` (a file made for this replacement) if
/// it fails.
pub(super) fn replace_or_undo<S: Storage>(
    storage: &S,
    content: &[u8],
    aside: Option<&str>,
) -> Result<S::File, AuditError> {
    replace_log(storage, content).inspect_err(|_| {
        if let Some(aside) = aside {
            let _ = storage.remove_file(aside);
        }
    })
}

/// In keyed mode, refuses a key that opens none of the log's last sealed
/// entries (see [`chain::Chain::opens_one_of`]); when the log holds too few,
/// the oldest is checked from retention's anchor, else the genesis link.
fn key_opens_last<F: File>(
    settings: &Settings,
    target: &Target<F>,
    index: &Index,
) -> Result<(), AuditError> {
    if !settings.chain.is_keyed() || index.last_seq == 0 {
        return Ok(());
    }
    let mut newest: Vec<Vec<u8>> = Vec::new();
    target.find_back(index, |line| {
        let json = entry_json_of_line(line)?;
        crate::entry::seal_of(json)?;
        newest.push(json.to_vec());
        (newest.len() > chain::KEY_TRIES).then_some(())
    })?;
    let before = (newest.len() <= chain::KEY_TRIES).then(|| {
        index
            .anchor
            .as_ref()
            .and_then(|anchor| Some((anchor.seq, chain::from_hex(&anchor.link)?)))
            .unwrap_or((0, chain::GENESIS))
    });
    let newest: Vec<&[u8]> = newest.iter().map(Vec::as_slice).collect();
    settings.chain.opens_one_of(&newest, before)
}

/// Whether the last entry is sealed with a `mac` (see [`Index::last_keyed`]),
/// read from the file when the index does not say.
pub(super) fn last_keyed<F: File>(
    target: &Target<F>,
    index: &Index,
) -> Result<Option<bool>, AuditError> {
    if index.last_seq == 0 || index.last_keyed.is_some() {
        return Ok(index.last_keyed);
    }
    target.find_back(index, |line| {
        entry_json_of_line(line).and_then(chain::is_keyed_seal)
    })
}

/// Drops the entries beyond `settings.max_entries` and records the index;
/// returns how many entries the log holds, and what did not get done. The
/// entries are already stored in full: if this fails, the next append
/// finishes the job.
pub(super) fn keep_bounded<S: Storage>(
    storage: &S,
    settings: &Settings,
    file: S::File,
    index: Index,
) -> (u64, Vec<String>) {
    let excess = index.count.saturating_sub(u64::from(settings.max_entries));
    let count = index.count;
    if excess == 0 {
        let mut index = index;
        return match write_state(storage, &mut index) {
            Ok(()) => (count, Vec::new()),
            Err(e) => (
                count,
                vec![format!(
                    "{STATE_PATH}: the index was not updated ({e}); the next call rebuilds it from the log"
                )],
            ),
        };
    }
    match drop_oldest(storage, settings, file, index, excess) {
        Ok((_, index)) => (index.count, Vec::new()),
        Err(e) => (
            count,
            vec![format!(
                "{LOG_PATH}: retention did not finish ({e}); the next append finishes it"
            )],
        ),
    }
}

/// The entry for `run`: validated, stamped, redacted and bounded; not yet sealed.
pub(super) fn entry_map(
    run: &SkillRun,
    now: DateTime<Utc>,
    settings: &Settings,
) -> Result<Map<String, Value>, AuditError> {
    validate::name("skill", &run.skill)?;
    auditlog_model::reserved::refuse_reserved("skill", &run.skill)?;
    validate::skill_status(&run.status)?;
    if let Some(errors) = &run.errors {
        validate::error_messages(errors)?;
    }
    let mut entry = Map::with_capacity(entry::FIELDS);
    entry.insert(
        "timestamp".into(),
        Value::String(clock::skill_timestamp(now)),
    );
    entry.insert("skill".into(), Value::String(run.skill.clone()));
    entry.insert("status".into(), Value::String(run.status.clone()));
    if let Some(ms) = run.duration_ms {
        entry.insert("duration_ms".into(), Value::from(ms));
    }
    if let Some(errors) = &run.errors {
        entry.insert("errors".into(), Value::from(errors.clone()));
    }
    if let Some(text) = &run.metadata {
        entry.insert(
            "metadata".into(),
            Value::Object(validate::json_object_showing("metadata", text, |steps| {
                settings.redactor.place("metadata", steps)
            })?),
        );
    }
    entry::clean(
        &mut entry,
        settings,
        &["skill", "errors", "metadata"],
        &["metadata", "errors"],
    );
    Ok(entry)
}

/// Puts back the closing bracket after a failed append.
pub(super) fn restore_tail<F: File>(file: &F, index: &Index) {
    let (offset, tail): (u64, &[u8]) = if index.count == 0 {
        (index.size - 2, b"]\n")
    } else {
        (index.size - 3, b"\n]\n")
    };
    let _ = file.set_size(index.size);
    let _ = file.write_at(offset, tail);
}

/// Writes `content` to a new file and renames it over the log; on failure the
/// new file is removed and the log is as it was.
pub(super) fn replace_log<S: Storage>(storage: &S, content: &[u8]) -> Result<S::File, AuditError> {
    let written = storage
        .open(REWRITE_PATH, OpenFlags::READ_WRITE)
        .and_then(|tmp| {
            tmp.set_size(0)?;
            tmp.write_at(0, content)?;
            tmp.sync_data()
        })
        .and_then(|()| storage.rename(REWRITE_PATH, LOG_PATH));
    if let Err(e) = written {
        let _ = storage.remove_file(REWRITE_PATH);
        return Err(e.into());
    }
    Ok(storage.open(LOG_PATH, OpenFlags::READ_WRITE)?)
}
