//! Reading a log's files for the walk: the skill log's lines (its head
//! checked), a user's day files in order, and the retention anchors.

use super::*;

/// The `seq` of a line that may not be a readable entry, read leniently so
/// that a problem can name it.
pub(super) fn seq_of(json: &[u8]) -> Option<u64> {
    serde_json::from_slice::<Map<String, Value>>(json)
        .ok()?
        .get(SEQ)?
        .as_u64()
}

/// The JSON of an entry line; `None` for lines that hold no entry (blank
/// lines, and the skill log's brackets); `Some(Err(line))` for a line of the
/// skill log that queries do not read as an entry line (`  {...},`), which
/// must not verify either.
pub(super) fn entry_json(line: &[u8], skill_layout: bool) -> Option<Result<&[u8], &[u8]>> {
    if line.iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    if skill_layout {
        if line == b"[" || line == b"]" {
            return None;
        }
        return Some(skill_log::entry_json_of_line(line).ok_or(line));
    }
    Some(Ok(line))
}

/// A line that holds an entry: its JSON, or (`Err`) a skill-log line not
/// laid out as one.
pub(super) type EntryLine = Result<Vec<u8>, Vec<u8>>;

/// Walks the entries of `file[0..size]` in order, a chunk at a time; line
/// numbers count every line of the file, from 1. For the skill log, `head`
/// is where its live entries start: every line is still checked, and those
/// before it must be blank or entries retention dropped (see
/// [`Walker::head_holds`]).
pub(super) fn walk<F: File>(
    walker: &mut Walker<'_>,
    file: F,
    size: u64,
    head: u64,
    place: Place<'_>,
) -> Result<(), AuditError> {
    let skill_layout = head != TOOL_LAYOUT;
    let mut lines = ForwardLines::new(file, size);
    let mut number = 0;
    let mut next_entry = || -> Result<Option<(u64, bool, EntryLine)>, AuditError> {
        while let Some((at, line)) = lines.next_line()? {
            number += 1;
            if let Some(json) = entry_json(line, skill_layout) {
                return Ok(Some((
                    number,
                    skill_layout && at < head,
                    json.map(<[u8]>::to_vec).map_err(<[u8]>::to_vec),
                )));
            }
        }
        Ok(None)
    };
    let mut current = next_entry()?;
    while let Some((number, before_head, json)) = current {
        let json = match json {
            Ok(json) => json,
            Err(line) => {
                let line = line.trim_ascii();
                walker.fail(
                    number,
                    seq_of(line.strip_suffix(b",").unwrap_or(line)),
                    "is not laid out as an entry line (`  {...},`), so queries do not read it: edited by hand",
                );
                return Ok(());
            }
        };
        // Legacy entries retention dropped but a stopped writer did not
        // blank yet are in the anchor's digest already.
        let dropped_legacy = before_head
            && walker
                .anchor
                .as_ref()
                .is_some_and(|a| a.legacy.digest.entries > 0)
            && stored_line::is_legacy(&json);
        if dropped_legacy {
            current = next_entry()?;
            continue;
        }
        if skill_layout && !walker.head_holds(number, before_head, &json) {
            return Ok(());
        }
        let next = next_entry()?;
        let next_seq = next
            .as_ref()
            .and_then(|(_, _, next)| next.as_ref().ok().and_then(|next| seq_of(next)));
        walker.entry(number, &json, place, next_seq);
        if walker.problem.is_some() {
            return Ok(());
        }
        current = next;
    }
    Ok(())
}

pub(super) fn verify_skills<S: Storage>(
    storage: &S,
    walker: &mut Walker<'_>,
    locking: Locking,
) -> Result<(), AuditError> {
    let inspected = match locking {
        Locking::Take => skill_log::inspect(storage)?,
        Locking::Held => (None, skill_log::inspect_held(storage)?),
    };
    let (_lock, opened) = match inspected {
        (_, skill_log::Found::Nothing) => return Ok(()),
        (lock, skill_log::Found::Whole(opened)) => (lock, opened),
        (_, skill_log::Found::Damaged(reason)) => {
            walker.file = skill_log::LOG_PATH.to_owned();
            walker.fail(0, None, format!("{reason}; {}", skill_log::MENDED_BY));
            return Ok(());
        }
    };
    let (file, size, head) = (opened.file, opened.size, opened.head);
    walker.file = skill_log::LOG_PATH.to_owned();
    if let Some(anchor) = skill_log::anchor(storage)
        && !anchor_holds(walker, &anchor)
    {
        return Ok(());
    }
    walker.file_lines = file.file_lines().to_vec();
    walk(walker, file, size, head, Place::Skills)
}

/// Takes `anchor` (see [`crate::anchor`]) as where the walked log may
/// start, if it checks out (in keyed mode, its MAC); otherwise records the
/// problem and returns false.
pub(super) fn anchor_holds(walker: &mut Walker<'_>, anchor: &Anchor) -> bool {
    let Some(checked) = anchor.checked(walker.chain) else {
        walker.fail(0, None, "the retention anchor does not check out: modified");
        return false;
    };
    walker.legacy.digest = checked.legacy.digest.clone();
    walker.legacy.total = walker.legacy.digest.entries;
    walker.legacy.before_chain = walker.legacy.digest.entries;
    walker.legacy.adopted = checked
        .legacy
        .adopted
        .map(|adopted| (adopted.seq, adopted.legacy_entries));
    walker.anchor = Some(checked);
    true
}

pub(super) fn verify_user<S: Storage>(
    storage: &S,
    user: &str,
    now: DateTime<Utc>,
    walker: &mut Walker<'_>,
) -> Result<(), AuditError> {
    let anchor_file = format!("{}/.retention", day_files::user_dir(user));
    let anchor = rotation::anchor(storage, user);
    if let Some(anchor) = &anchor {
        walker.file = anchor_file.clone();
        if !anchor_holds(walker, anchor) {
            return Ok(());
        }
    }
    // One listing for the walk and the summaries, so that both judge the
    // same files.
    let every_file = day_files::every_file(storage, user)?;
    let files = day_files::one_per_segment(&every_file);
    walker.no_log = files.is_empty() && anchor.is_none();
    if let Some(file) = from_the_future(&files, now) {
        walker.file = file.path(user);
        walker.fail(
            0,
            None,
            format!(
                "is dated {}, after today ({}): a writer's clock ran ahead, or the file was made so that appends, which go to a user's newest file, date later entries by it",
                file.day,
                now.date_naive()
            ),
        );
        return Ok(());
    }
    for file in files.iter().copied() {
        // A plain file with a `.gz` beside it is read with it: each part is
        // walked under its own name, with its own line numbers.
        let Some(parts) = day_files::parts(storage, user, &file)? else {
            continue;
        };
        walker.recent.start_file();
        walker.legacy_counted = walker
            .anchor
            .as_ref()
            .and_then(|a| a.legacy.through_file.as_deref())
            .and_then(DayFile::parse)
            .is_some_and(|through| (file.day, file.segment) <= (through.day, through.segment));
        let place = Place::Day {
            user,
            day: file.day,
        };
        for (part, contents) in parts {
            let size = contents.size()?;
            walker.file = part.path(user);
            walker.leftover = crate::legacy::Digest::default();
            walk(walker, contents, size, TOOL_LAYOUT, place)?;
            if walker.problem.is_some() {
                return Ok(());
            }
            if let Some(recorded) = leftover_differs(walker, &part) {
                walker.fail(
                    0,
                    None,
                    format!(
                        "holds legacy entries ({} here) that are not the ones the retention deleting it recorded ({recorded}): entries were added to a file retention dropped, or it was put back",
                        walker.leftover.entries
                    ),
                );
                return Ok(());
            }
        }
    }
    walker.check_retentions(anchor_file);
    if walker.problem.is_none() {
        summaries_hold(storage, user, &files, walker)?;
    }
    Ok(())
}

/// For `part` (a file of a segment whose legacy entries count as dropped:
/// a stopped retention left it behind), how many legacy entries the anchor
/// recorded it holding, if its own (walked into `walker.leftover`) are not
/// those. A compressed part with no record of its own is held to its plain
/// file's (compression keeps the bytes); once the retention finished, no
/// part may hold any. An anchor written before these were recorded vouches
/// for any.
fn leftover_differs(walker: &Walker<'_>, part: &DayFile) -> Option<u64> {
    let recorded = walker.anchor.as_ref()?.legacy.files.as_ref()?;
    if !walker.legacy_counted {
        return None;
    }
    let find = |name: String| recorded.iter().find(|folded| folded.file == name);
    let expected = find(part.name())
        .or_else(|| find(DayFile::plain(part.day, part.segment).name()))
        .map(|folded| folded.legacy.clone())
        .unwrap_or_default();
    (walker.leftover != expected).then_some(expected.entries)
}

/// How far a file's day may run ahead of the verifier's: clocks of writers
/// and verifiers on different machines differ.
const CLOCK_SKEW_DAYS: i64 = 1;

/// The first of `files` dated more than [`CLOCK_SKEW_DAYS`] after `now`.
/// Appends go to a user's newest file whatever its day, so a file named for
/// a later day — even an empty one, which holds no entry to check — would
/// date every later entry by it.
fn from_the_future(files: &[DayFile], now: DateTime<Utc>) -> Option<DayFile> {
    let latest = (now + chrono::Duration::days(CLOCK_SKEW_DAYS)).date_naive();
    files.iter().copied().find(|file| file.day > latest)
}

/// Checks that each closed file's summary `stats` would trust (see
/// [`summary::load`]) says what the file's lines say, so that `stats` over
/// verified files answers what reading them would. Its seal proves nothing
/// in plain mode (anyone who can write the directory can make one), and its
/// cheap check of the file's ends does not see a same-length edit in the
/// middle of a plain file; rebuilding it from the lines does. In keyed mode
/// a summary sealed without the key is checked too: readers without the
/// key (`stats` without `--key-file`) would trust it.
fn summaries_hold<S: Storage>(
    storage: &S,
    user: &str,
    files: &[DayFile],
    walker: &mut Walker<'_>,
) -> Result<(), AuditError> {
    let Some((_open, closed)) = files.split_last() else {
        return Ok(());
    };
    let plain = Chain::plain();
    let mut chains = vec![walker.chain];
    if walker.chain.is_keyed() {
        chains.push(&plain);
    }
    for file in closed {
        let stored: Vec<(summary::Summary, &Chain)> = chains
            .iter()
            .filter_map(|&chain| Some((summary::load(storage, chain, user, file)?, chain)))
            .collect();
        if stored.is_empty() {
            continue;
        }
        let Some(built) = summary::build(storage, user, file)? else {
            continue;
        };
        if let Some((_, chain)) = stored.iter().find(|(summary, _)| *summary != built) {
            let who = if walker.chain.is_keyed() && !chain.is_keyed() {
                "stats without the key (it is sealed with `hash`, not `mac`)"
            } else {
                "stats"
            };
            walker.file = summary::path(user, file);
            walker.fail(
                0,
                None,
                format!(
                    "does not match {}: {who} would count entries its lines do not hold: forged or stale (delete it: stats then reads the lines, and `auditlog rotate` writes it again)",
                    file.name()
                ),
            );
            return Ok(());
        }
    }
    Ok(())
}
