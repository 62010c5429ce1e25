//! Repairing a user's day files: a torn last line moved aside before an
//! append, and `repair`'s pass over every file (see [`crate::recovery`]).

use super::*;

/// The start and bytes of the last line of `file[..size]`, which has no
/// newline.
///
/// # Errors
/// [`AuditError::Corrupt`] for a line longer than any entry
/// ([`MAX_LINE_BYTES`]): too long for an append to hold while it moves
/// it aside, which `auditlog repair` does a piece at a time.
pub(super) fn torn_tail<F: File>(
    file: &F,
    size: u64,
    path: &str,
) -> Result<(u64, Vec<u8>), AuditError> {
    let mut lines = ReverseLines::new(file, 0, size);
    let start = match lines.next_line()? {
        Some((start, _)) => start,
        None => 0,
    };
    if size - start > MAX_LINE_BYTES as u64 {
        return Err(AuditError::Corrupt(format!(
            "{path} ends in {} bytes without a newline, more than any entry: `auditlog repair` moves them aside",
            size - start
        )));
    }
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
    let (inflated, reason) = match day_files::inflate_bytes(&packed) {
        Ok(_) => return Ok(None),
        Err(day_files::Inflate::Damaged { salvaged, .. }) => {
            (salvaged, "does not inflate".to_owned())
        }
        // Too large to read here (a gzip bomb, or another tool's huge
        // file): its bytes go aside whole, so the user's log reads again.
        Err(day_files::Inflate::TooLarge) => (
            Vec::new(),
            format!(
                "inflates to more than {} MiB",
                day_files::MAX_INFLATED_BYTES >> 20
            ),
        ),
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
        reason,
        moved_to: Some(aside),
        bytes: packed.len() as u64,
        kept: entries,
    }))
}

/// Repairs one day file if any of its lines is not an entry: those lines
/// go to a file beside it ([`recovery::move_aside`]), blank lines are
/// dropped, and the entries stay, in a new file renamed into place. The
/// file is read twice, a chunk at a time, never whole: a file of any size,
/// or a line of garbage too long to hold, is repaired in bounded memory.
pub(super) fn repair_day<S: Storage>(
    storage: &S,
    path: &str,
) -> Result<Option<Recovery>, AuditError> {
    let file = storage.open(path, OpenFlags::READ)?;
    let size = file.size()?;
    let runs = Runs::of(&file, size)?;
    if runs.unreadable_lines == 0 {
        return Ok(None);
    }
    let aside = recovery::move_aside_with(storage, path, |to| {
        runs.copy(&file, Kept::Unreadable, to).map(|_| ())
    })?;
    let tmp = format!("{path}.repair.tmp");
    let replaced = storage::replace_file_with(storage, path, &tmp, true, |to| {
        let end = runs.copy(&file, Kept::Entries, to)?;
        // An entry that ended the file without its newline gets one.
        if end > 0 && to.read_at(end - 1, 1)? != b"\n" {
            to.write_at(end, b"\n")?;
        }
        Ok(())
    });
    if let Err(e) = replaced {
        let _ = storage.remove_file(&aside);
        return Err(e.into());
    }
    let reason = if runs.unreadable_lines == 1 && runs.torn {
        "ends in a torn entry"
    } else {
        "holds lines that are not entries"
    };
    Ok(Some(Recovery {
        file: path.to_owned(),
        reason: reason.to_owned(),
        moved_to: Some(aside),
        bytes: runs.unreadable_bytes,
        kept: runs.entries,
    }))
}

/// Which lines of a day file a repair keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kept {
    /// Entries: stay in the file.
    Entries,
    /// Lines that are not entries: moved aside.
    Unreadable,
    /// Blank lines: dropped.
    Dropped,
}

/// A day file as a repair sees it: its byte ranges, each a run of lines of
/// one kind (`\n`s included), in order.
struct Runs {
    runs: Vec<(Kept, u64, u64)>,
    entries: u64,
    unreadable_lines: u64,
    unreadable_bytes: u64,
    /// Whether the last line is not an entry and has no `\n`.
    torn: bool,
}

impl Runs {
    /// The runs of `file[..size]`, read a chunk at a time.
    fn of<F: File>(file: &F, size: u64) -> Result<Self, AuditError> {
        let mut runs: Vec<(Kept, u64, u64)> = Vec::new();
        let mut entries = 0;
        let mut unreadable_lines = 0;
        let mut last = None;
        let mut lines = ForwardLines::new(file, size);
        while let Some((at, line)) = lines.next_line()? {
            let kind = if line.trim_ascii().is_empty() {
                Kept::Dropped
            } else if is_entry(line) {
                entries += 1;
                Kept::Entries
            } else {
                unreadable_lines += 1;
                Kept::Unreadable
            };
            // The run before ends where this line starts.
            if let Some(run) = runs.last_mut() {
                run.2 = at;
            }
            match runs.last() {
                Some(&(previous, _, _)) if previous == kind => {}
                _ => runs.push((kind, at, at)),
            }
            last = Some(kind);
        }
        if let Some(run) = runs.last_mut() {
            run.2 = size;
        }
        let unreadable_bytes = runs
            .iter()
            .filter(|run| run.0 == Kept::Unreadable)
            .map(|run| run.2 - run.1)
            .sum();
        let torn =
            last == Some(Kept::Unreadable) && size > 0 && file.read_at(size - 1, 1)? != b"\n";
        Ok(Self {
            runs,
            entries,
            unreadable_lines,
            unreadable_bytes,
            torn,
        })
    }

    /// Copies the runs of `kind` from `file` to the start of `to`, a chunk
    /// at a time; returns how many bytes it wrote.
    fn copy<F: File, T: File>(&self, file: &F, kind: Kept, to: &T) -> Result<u64, StorageError> {
        const PIECE: u64 = 1 << 20;
        let mut written = 0;
        for &(_, start, end) in self.runs.iter().filter(|run| run.0 == kind) {
            let mut at = start;
            while at < end {
                let piece = file.read_at(at, PIECE.min(end - at))?;
                if piece.is_empty() {
                    return Err(StorageError::Io("file shrank while being read".into()));
                }
                to.write_at(written, &piece)?;
                written += piece.len() as u64;
                at += piece.len() as u64;
            }
        }
        Ok(written)
    }
}
