//! Repairing a user's day files: a torn last line moved aside before an
//! append, and `repair`'s pass over every file (see [`crate::recovery`]).

use super::*;

/// The start and bytes of the last line of `file[..size]`, which has no newline.
pub(super) fn torn_tail<F: File>(file: &F, size: u64) -> Result<(u64, Vec<u8>), AuditError> {
    let mut lines = ReverseLines::new(file, 0, size);
    let start = match lines.next_line()? {
        Some((start, _)) => start,
        None => 0,
    };
    Ok((start, file.read_at(start, size - start)?))
}

/// Whether `line` is one whole JSON object.
pub(super) fn is_entry(line: &[u8]) -> bool {
    matches!(serde_json::from_slice::<Value>(line), Ok(Value::Object(_)))
}

/// Lines in `file[..size]`.
pub(super) fn count_lines<F: File>(file: &F, size: u64) -> Result<u64, AuditError> {
    let mut lines = ReverseLines::new(file, 0, size);
    let mut count = 0;
    while lines.next_line()?.is_some() {
        count += 1;
    }
    Ok(count)
}

/// The lines of the entries recording `recovered`, sealed after `last` (the
/// chain's last `seq` and link), which moves to the last of them.
pub(super) fn recovery_lines(
    recovered: &[Recovery],
    user: &str,
    now: DateTime<Utc>,
    settings: &Settings,
    last: &mut (u64, Link),
) -> String {
    let mut lines = String::new();
    for recovery in recovered {
        let (seq, prev) = *last;
        let (line, link) = entry::seal(
            recovery_entry(recovery, user, now),
            &settings.chain,
            seq + 1,
            &prev,
        );
        *last = (seq + 1, link);
        lines.push_str(&line);
        lines.push('\n');
    }
    lines
}

/// The entry that records a repair of one of `user`'s files.
pub(super) fn recovery_entry(
    recovery: &Recovery,
    user: &str,
    now: DateTime<Utc>,
) -> Map<String, Value> {
    let notice = recovery.notice();
    let mut entry = Map::new();
    entry.insert("ts".into(), Value::String(clock::tool_timestamp(now)));
    entry.insert("user".into(), Value::from(user));
    entry.insert("tool".into(), Value::from(recovery::RECOVERY_NAME));
    entry.insert("args".into(), Value::Object(recovery::details(recovery)));
    entry.insert("status".into(), Value::from(recovery::RECOVERED_STATUS));
    entry.insert("result_chars".into(), Value::from(notice.chars().count()));
    entry.insert("result_snippet".into(), Value::from(notice));
    entry
}

/// Reads every one of `user`'s day files and repairs the damaged ones: the
/// lines that are not entries go to a file next to the day file, which is
/// rewritten (a new file renamed into place) with every intact line; a
/// recovery entry for each repaired file is appended to today's file, and
/// the summaries of repaired closed files are made again.
///
/// # Errors
/// [`AuditError::Invalid`] for a bad user name; [`AuditError::Storage`] when
/// a file cannot be read or written.
pub fn repair<S: Storage>(
    storage: &S,
    settings: &Settings,
    now: DateTime<Utc>,
    user: &str,
) -> Result<Vec<Recovery>, AuditError> {
    validate::existing_user(user)?;
    clock::check(now)?;
    if day_files::list(storage, user)?.is_empty() {
        return Ok(Vec::new());
    }
    let _lock = lock_user(storage, user)?;
    // A writer in the other mode than the chain's is refused before any
    // repair (see `Chain::may_follow`); a `.gz` that does not inflate is
    // one of the repairs.
    for file in day_files::list(storage, user)?.iter().rev() {
        let contents = match day_files::open(storage, user, file) {
            Err(AuditError::Corrupt(_)) => continue,
            other => other?,
        };
        if let Some(contents) = contents
            && day_files::last_seal_in(&contents, contents.size()?, &settings.chain)?.0 > 0
        {
            break;
        }
    }
    let mut recovered = Vec::new();
    for file in day_files::every_file(storage, user)?
        .iter()
        .filter(|f| f.compressed)
    {
        if let Some(recovery) = repair_compressed(storage, user, file)? {
            recovered.push(recovery);
        }
    }
    for file in day_files::list(storage, user)?
        .iter()
        .filter(|f| !f.compressed)
    {
        if let Some(recovery) = repair_day(storage, &file.path(user))? {
            recovered.push(recovery);
        }
    }
    if recovered.is_empty() {
        return Ok(recovered);
    }
    let mut journal = None;
    let (active, file, size) =
        open_active(storage, settings, user, now.date_naive(), &mut journal)?;
    let written = last_seal(storage, settings, user, &active, &file, size).and_then(
        |(mut last, last_time)| {
            let stamp = clock::chained(now, last_time, Some(active.day));
            let bytes = recovery_lines(&recovered, user, stamp, settings, &mut last);
            append_or_restore(&file, size, bytes.as_bytes(), settings.sync_data)
        },
    );
    if let Err(e) = written {
        undo_notes(&mut journal);
        return Err(e);
    }
    // A rewritten closed file's summary no longer covers it: make it again.
    let _ = summary::refresh(storage, &settings.chain, user, Refresh::All);
    Ok(recovered)
}

/// Repairs `user`'s gzipped file `gz` if it does not inflate: its bytes go
/// to a file beside it, and the entries of the whole lines before the
/// damage stay readable — in the segment's plain file, joined with what that
/// holds as readers join a pair ([`day_files::Pair`]), written to a new file
/// renamed into place.
///
/// # Errors
/// Storage errors; nothing changes but a leftover temporary.
fn repair_compressed<S: Storage>(
    storage: &S,
    user: &str,
    gz: &DayFile,
) -> Result<Option<Recovery>, AuditError> {
    let path = gz.path(user);
    let packed = recovery::read_all(&storage.open(&path, OpenFlags::READ)?)?;
    let Err((inflated, _)) = day_files::inflate_bytes(&packed) else {
        return Ok(None);
    };
    let mut kept = Vec::new();
    let mut entries = 0;
    for line in inflated.split_inclusive(|&b| b == b'\n') {
        if let Some(json) = line.strip_suffix(b"\n")
            && is_entry(json)
        {
            kept.extend_from_slice(line);
            entries += 1;
        }
    }
    let plain = DayFile::plain(gz.day, gz.segment);
    let plain_path = plain.path(user);
    let beside = match storage.open(&plain_path, OpenFlags::READ) {
        Ok(file) => recovery::read_all(&file)?,
        Err(StorageError::NotFound) => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    let whole = match day_files::Pair::of(&kept, &beside) {
        day_files::Pair::Plain => None,
        day_files::Pair::Copy => Some(kept),
        day_files::Pair::Both => Some([kept, beside].concat()),
    };
    if let Some(whole) = whole {
        let tmp = format!("{plain_path}.repair.tmp");
        storage::replace_file(storage, &plain_path, &tmp, &whole, true)?;
    }
    let aside = recovery::move_aside(storage, &plain_path, &packed)?;
    storage.remove_file(&path)?;
    Ok(Some(Recovery {
        file: path,
        reason: "does not inflate".to_owned(),
        moved_to: Some(aside),
        bytes: packed.len() as u64,
        kept: entries,
    }))
}

/// Repairs one day file if any of its lines is not an entry.
pub(super) fn repair_day<S: Storage>(
    storage: &S,
    path: &str,
) -> Result<Option<Recovery>, AuditError> {
    let content = recovery::read_all(&storage.open(path, OpenFlags::READ)?)?;
    let mut kept = Vec::with_capacity(content.len());
    let mut unreadable = Vec::new();
    let mut entries = 0;
    let mut torn = false;
    for line in content.split_inclusive(|&b| b == b'\n') {
        let json = line.strip_suffix(b"\n").unwrap_or(line);
        if json.trim_ascii().is_empty() {
            continue;
        }
        if is_entry(json) {
            kept.extend_from_slice(json);
            kept.push(b'\n');
            entries += 1;
        } else {
            torn = !line.ends_with(b"\n");
            unreadable.extend_from_slice(line);
        }
    }
    if unreadable.is_empty() {
        return Ok(None);
    }
    let aside = recovery::move_aside(storage, path, &unreadable)?;
    let tmp = format!("{path}.repair.tmp");
    if let Err(e) = storage::replace_file(storage, path, &tmp, &kept, true) {
        let _ = storage.remove_file(&aside);
        return Err(e.into());
    }
    let reason = if torn && unreadable.iter().filter(|&&b| b == b'\n').count() == 0 {
        "ends in a torn entry"
    } else {
        "holds lines that are not entries"
    };
    Ok(Some(Recovery {
        file: path.to_owned(),
        reason: reason.to_owned(),
        moved_to: Some(aside),
        bytes: unreadable.len() as u64,
        kept: entries,
    }))
}
