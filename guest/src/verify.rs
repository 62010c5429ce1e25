//! Checking the chains: every entry's `seq` follows the one before it and its
//! link matches its content and its predecessor's link (see [`crate::chain`]).
//!
//! Each line is read by the rule queries read it by ([`row::check`]), and
//! strictly besides ([`row::read_strictly`]), so that a line a query would
//! skip fails here: if `verify` passes, every entry it verified is one the
//! queries return.
//!
//! The first problem in a log is reported with its file, line and why:
//! modified (the link does not match, a key repeated, a field missing, a
//! tool entry stamped before the one before it), removed (a gap in `seq`),
//! inserted or reordered (a `seq` that does not move forward), moved (a tool
//! entry in another user's or day's file), damaged (a line that is not an
//! entry), unsealed (an entry without `seq` and link), cut from the end (the
//! log ends before a checkpoint the caller kept), or missing (a log the
//! checkpoint names is gone or empty).
//!
//! Legacy entries — lines without any part of our seal (no `seq`, `hash` or
//! `mac`; see [`crate::legacy`]) — are not links of the chain: they are
//! counted (those before the chain's first entry), listed (those after it
//! that no adoption covers: another writer's), folded into the legacy
//! digest, and the chain continues across them by `seq`. An adoption entry
//! must record exactly the digest of the legacy entries before it, so that
//! an adopted legacy entry changed, removed or added is named.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::anchor::{self, Anchor};
use crate::chain::{self, Chain, HASH, Link, MAC, SEQ};
use crate::clock;
use crate::day_files::{self, DayFile};
use crate::error::AuditError;
use crate::legacy::Adopted;
use crate::query::Source;
use crate::rotation;
use crate::row::{self, Place, Unreadable};
use crate::skill_log;
use crate::storage::{File, Storage};
use crate::tail::ForwardLines;

/// Where a log's chain ends: its last `seq` and link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEnd {
    /// `audit_log.json` for the skill log, else the user's name.
    pub log: String,
    /// The last entry's `seq`.
    pub seq: u64,
    /// Its link, in hex.
    pub link: String,
}

/// The first problem found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file, relative to the log directory.
    pub file: String,
    /// The line, from 1 (0 when the problem is the file as a whole).
    pub line: u64,
    /// The entry's `seq`, when it has one.
    pub seq: Option<u64>,
    /// What is wrong, as a sentence fragment.
    pub reason: String,
}

/// The legacy entries (not sealed; see [`crate::legacy`]) of one log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Legacy {
    /// `audit_log.json` for the skill log, else the user's name.
    pub log: String,
    /// Legacy entries before the chain starts (before its first sealed
    /// entry), those retention dropped included.
    pub before_chain: u64,
    /// Every legacy entry in the log, those retention dropped included.
    pub total: u64,
    /// The `seq` of the last adoption entry and how many legacy entries it
    /// covers (their digest checked out), if the log was adopted.
    pub adopted: Option<(u64, u64)>,
    /// The digest of every legacy entry, in order.
    pub digest: crate::legacy::Digest,
    /// The time of the first legacy entry still in the log, as written.
    pub first_time: Option<String>,
    /// The time of the last, as written.
    pub last_time: Option<String>,
}

/// A legacy entry after the chain started that no adoption covers: another
/// writer's, which the chain does not vouch for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsealed {
    /// The file, relative to the log directory.
    pub file: String,
    /// The line, from 1.
    pub line: u64,
}

/// How many [`Unsealed`] entries a report lists; it counts them all.
pub const MAX_UNSEALED_LISTED: usize = 20;

/// What a verification found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Entries whose links checked out.
    pub entries: u64,
    /// Where each verified log's chain ends (for the next checkpoint).
    pub ends: Vec<LogEnd>,
    /// The logs that hold legacy entries.
    pub legacy: Vec<Legacy>,
    /// The first [`MAX_UNSEALED_LISTED`] unsealed entries after a chain
    /// started that no adoption covers.
    pub unsealed: Vec<Unsealed>,
    /// How many there are in all.
    pub unsealed_total: u64,
    /// The first problem, if any; verification stops there.
    pub problem: Option<Problem>,
}

/// Checks the logs `source` names (`None`: the skill log and every user's), and
/// that each still reaches the end recorded in `checkpoint`.
///
/// # Errors
/// Storage errors; [`AuditError::Invalid`] for a bad user name.
pub fn verify<S: Storage>(
    storage: &S,
    chain: &Chain,
    source: Option<&Source>,
    checkpoint: &[LogEnd],
) -> Result<Report, AuditError> {
    let mut report = Report::default();
    let logs = logs_of(storage, source)?;
    if let Some(problem) = missing(checkpoint, source, &logs) {
        report.problem = Some(problem);
        return Ok(report);
    }
    for log in logs {
        let name = log_name(log.as_deref());
        let expected = checkpoint.iter().find(|end| end.log == name);
        let walker = walk_log(storage, chain, log.as_deref(), expected, Locking::Take)?;
        if !report.add(walker) {
            return Ok(report);
        }
    }
    Ok(report)
}

/// The logs `source` names: the skill log (`None`) and users' (`None`
/// source: all of them).
///
/// # Errors
/// [`AuditError::Invalid`] for a bad user name; storage errors listing users.
pub(crate) fn logs_of<S: Storage>(
    storage: &S,
    source: Option<&Source>,
) -> Result<Vec<Option<String>>, AuditError> {
    let mut logs = Vec::new();
    match source {
        None => {
            logs.push(None);
            logs.extend(day_files::users(storage)?.into_iter().map(Some));
        }
        Some(Source::Skills) => logs.push(None),
        Some(Source::User(user)) => {
            crate::validate::user(user)?;
            logs.push(Some(user.clone()));
        }
        Some(Source::AllUsers) => logs.extend(day_files::users(storage)?.into_iter().map(Some)),
    }
    Ok(logs)
}

/// Checks one log — the skill log (`None`) or `user`'s — for a caller that
/// holds its writer's lock (`adopt`), so that no writer of ours changes it
/// in between.
///
/// # Errors
/// Storage errors.
pub(crate) fn log_under_lock<S: Storage>(
    storage: &S,
    chain: &Chain,
    user: Option<&str>,
) -> Result<Report, AuditError> {
    let mut report = Report::default();
    report.add(walk_log(storage, chain, user, None, Locking::Held)?);
    Ok(report)
}

/// Whether a walk takes the skill log's lock (readers do) or its caller
/// already holds it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Locking {
    Take,
    Held,
}

/// The name a report gives a log: `audit_log.json`, or the user's name.
fn log_name(user: Option<&str>) -> String {
    user.map_or_else(|| skill_log::LOG_PATH.to_owned(), str::to_owned)
}

/// Walks one log (the skill log, or `user`'s) to its end or its first
/// problem, and checks it reaches `expected`.
fn walk_log<'a, S: Storage>(
    storage: &S,
    chain: &'a Chain,
    user: Option<&str>,
    expected: Option<&'a LogEnd>,
    locking: Locking,
) -> Result<Walker<'a>, AuditError> {
    let mut walker = Walker::new(chain, log_name(user), expected);
    match user {
        None => verify_skills(storage, &mut walker, locking)?,
        Some(user) => verify_user(storage, user, &mut walker)?,
    }
    if walker.problem.is_none() {
        walker.check_checkpoint();
    }
    Ok(walker)
}

impl Report {
    /// Adds what `walker` found in one log; `false` if it found a problem
    /// (verification stops there).
    fn add(&mut self, mut walker: Walker<'_>) -> bool {
        self.entries += walker.entries;
        if let Some(problem) = walker.problem {
            self.problem = Some(problem);
            return false;
        }
        if walker.legacy.total > 0 {
            walker.legacy.log = walker.log.clone();
            self.legacy.push(walker.legacy);
        }
        self.unsealed_total += walker.unsealed.len() as u64;
        let room = MAX_UNSEALED_LISTED.saturating_sub(self.unsealed.len());
        self.unsealed.extend(walker.unsealed.into_iter().take(room));
        if walker.seq > 0 {
            self.ends.push(LogEnd {
                log: walker.log,
                seq: walker.seq,
                link: chain::to_hex(&walker.link),
            });
        }
        true
    }
}

/// The first log `checkpoint` holds an end for that `source` covers but
/// that is not among `logs` (deleted, renamed or hidden), as a problem.
fn missing(
    checkpoint: &[LogEnd],
    source: Option<&Source>,
    logs: &[Option<String>],
) -> Option<Problem> {
    let end = checkpoint.iter().find(|end| {
        let skills = end.log == skill_log::LOG_PATH;
        let covered = match source {
            None => true,
            Some(Source::Skills) => skills,
            Some(Source::AllUsers) => !skills,
            Some(Source::User(user)) => end.log == *user,
        };
        let present = logs.iter().any(|log| match log {
            None => skills,
            Some(user) => end.log == *user,
        });
        covered && !present
    })?;
    let (file, whose) = if end.log == skill_log::LOG_PATH {
        (end.log.clone(), "the skill log".to_owned())
    } else {
        (day_files::user_dir(&end.log), format!("user {}", end.log))
    };
    Some(Problem {
        file,
        line: 0,
        seq: None,
        reason: format!(
            "the checkpoint recorded seq {} for {whose}, but the log is missing: deleted, renamed or moved",
            end.seq
        ),
    })
}

/// Walks one log's entries in order, remembering the last good one.
struct Walker<'a> {
    chain: &'a Chain,
    log: String,
    checkpoint: Option<&'a LogEnd>,
    checkpoint_seen: bool,
    /// The last entry's `seq` (0 before the first).
    seq: u64,
    link: Link,
    entries: u64,
    /// The file being walked, relative to the log directory.
    file: String,
    problem: Option<Problem>,
    /// Where retention left the chain, if it dropped anything.
    anchor: Option<anchor::Checked>,
    /// The furthest `through_seq` a retention entry in the chain records,
    /// and where that entry is.
    retained: Option<(u64, String)>,
    /// The last entry's time.
    time: Option<DateTime<Utc>>,
    /// The legacy entries so far.
    legacy: Legacy,
    /// Legacy entries after the chain started that no adoption covers yet.
    unsealed: Vec<Unsealed>,
    /// Whether a sealed entry was seen (the chain has started).
    started: bool,
    /// Whether legacy entries of the file being walked are already in the
    /// digest (retention folded them in, then stopped before deleting it).
    legacy_counted: bool,
}

impl<'a> Walker<'a> {
    fn new(chain: &'a Chain, log: String, checkpoint: Option<&'a LogEnd>) -> Self {
        Self {
            chain,
            log,
            checkpoint,
            checkpoint_seen: false,
            seq: 0,
            link: chain::GENESIS,
            entries: 0,
            file: String::new(),
            problem: None,
            anchor: None,
            retained: None,
            time: None,
            legacy: Legacy::default(),
            unsealed: Vec::new(),
            started: false,
            legacy_counted: false,
        }
    }

    fn fail(&mut self, line: u64, seq: Option<u64>, reason: impl Into<String>) {
        self.problem = Some(Problem {
            file: self.file.clone(),
            line,
            seq,
            reason: reason.into(),
        });
    }

    /// Checks one stored entry (the JSON of line `line`); `next_seq` is the
    /// `seq` of the entry after it, if known, to tell a swap from a removal.
    fn entry(&mut self, line: u64, json: &[u8], place: Place<'_>, next_seq: Option<u64>) {
        let read = std::str::from_utf8(json)
            .map_err(|_| Unreadable::NotAnEntry)
            .and_then(|text| row::read_strictly(text, place));
        let (entry, time) = match read {
            Ok(read) => read,
            Err(why) => {
                self.fail(line, seq_of(json), why.to_string());
                return;
            }
        };
        if ![SEQ, HASH, MAC].iter().any(|key| entry.contains_key(*key)) {
            self.legacy_entry(line, json, &entry, time, place);
            return;
        }
        let Some(seq) = entry.get(SEQ).and_then(Value::as_u64) else {
            self.fail(
                line,
                None,
                "has no seq: it was not sealed when written, or was edited",
            );
            return;
        };
        let field = self.chain.field();
        let other = if field == MAC { HASH } else { MAC };
        let Some(stored) = entry
            .get(field)
            .and_then(Value::as_str)
            .and_then(chain::from_hex)
        else {
            let reason = if entry.contains_key(other) {
                format!(
                    "is sealed with {other:?}, not {field:?}: verify with the key it was written with (or without one)"
                )
            } else {
                format!("has no {field:?}: modified")
            };
            self.fail(line, Some(seq), reason);
            return;
        };
        if self.entries == 0 && self.seq == 0 {
            // The first entry: it follows the genesis link (seq 1, when
            // retention dropped nothing) or one the retention anchor vouches
            // for; its own link is checked below like every other's.
            match &self.anchor {
                None if seq == 1 => {}
                Some(anchor) => match anchor.prev_of(seq) {
                    Some(prev) => {
                        self.seq = seq - 1;
                        self.link = prev;
                    }
                    None if seq <= anchor.through => {
                        self.fail(
                            line,
                            Some(seq),
                            format!("is an entry retention dropped (it dropped up to seq {}), but not one it left behind: put back from a copy, edited, or inserted", anchor.through),
                        );
                        return;
                    }
                    None => {
                        self.fail(
                            line,
                            Some(seq),
                            format!("is the first entry but retention dropped only up to seq {}: entries {} to {} were removed", anchor.through, anchor.through + 1, seq - 1),
                        );
                        return;
                    }
                },
                None => {
                    self.fail(line, Some(seq), format!("is the first entry, but the chain starts at seq 1: entries 1 to {} were removed", seq - 1));
                    return;
                }
            }
        }
        if seq <= self.seq {
            self.fail(
                line,
                Some(seq),
                format!(
                    "comes after seq {}: entries were reordered, or this one was inserted",
                    self.seq
                ),
            );
            return;
        }
        if seq > self.seq + 1 {
            let reason = if next_seq == Some(self.seq + 1) {
                format!("comes before seq {}: entries were reordered", self.seq + 1)
            } else if seq == self.seq + 2 {
                format!(
                    "follows seq {}: entry {} was removed",
                    self.seq,
                    self.seq + 1
                )
            } else {
                format!(
                    "follows seq {}: entries {} to {} were removed",
                    self.seq,
                    self.seq + 1,
                    seq - 1
                )
            };
            self.fail(line, Some(seq), reason);
            return;
        }
        let expected = self.chain.link(&self.link, &chain::canonical(&entry));
        if expected != stored {
            self.fail(
                line,
                Some(seq),
                "does not match its link: modified (or the entry before it was replaced)",
            );
            return;
        }
        if let Err(why) = row::placed(entry.get("user").and_then(Value::as_str), time, place) {
            self.fail(line, Some(seq), why.to_string());
            return;
        }
        // Tool writers never stamp an entry before the one before it
        // (`clock::chained`); the skill log keeps the clock's reading.
        if let (Place::Day { .. }, Some(last)) = (place, self.time)
            && time < last
        {
            self.fail(
                line,
                Some(seq),
                format!(
                    "is stamped {}, before the entry before it ({}): its time was changed, or an older writer's clock stepped back",
                    clock::tool_timestamp(time),
                    clock::tool_timestamp(last)
                ),
            );
            return;
        }
        if let Some(end) = self.checkpoint
            && end.seq == seq
        {
            self.checkpoint_seen = true;
            if end.link != chain::to_hex(&stored) {
                self.fail(
                    line,
                    Some(seq),
                    "differs from the entry the checkpoint recorded at this seq: modified",
                );
                return;
            }
        }
        if let Some(adopted) = Adopted::of_entry(&entry) {
            if !adopted.covers(&self.legacy.digest) {
                self.fail(
                    line,
                    Some(seq),
                    format!(
                        "is the adoption of {} legacy entries, but the {} legacy entries before it do not match the digest it recorded: a legacy entry was changed, removed, added or reordered after adoption",
                        adopted.legacy_entries, self.legacy.digest.entries
                    ),
                );
                return;
            }
            self.legacy.adopted = Some((seq, adopted.legacy_entries));
            self.unsealed.clear();
        }
        self.note_retention(line, &entry);
        self.started = true;
        self.seq = seq;
        self.link = stored;
        self.time = Some(time);
        self.entries += 1;
    }

    /// Counts a legacy entry (`entry`, the JSON `json` of line `line`): in
    /// its place (a tool entry in its user's log, on its file's day), folded
    /// into the legacy digest, and listed if the chain has started (another
    /// writer's, which the chain does not vouch for).
    fn legacy_entry(
        &mut self,
        line: u64,
        json: &[u8],
        entry: &Map<String, Value>,
        time: DateTime<Utc>,
        place: Place<'_>,
    ) {
        if let Err(why) = row::placed(entry.get("user").and_then(Value::as_str), time, place) {
            self.fail(line, None, why.to_string());
            return;
        }
        if self.legacy_counted {
            return;
        }
        self.legacy.digest.add(json);
        self.legacy.total += 1;
        let written = entry
            .get("ts")
            .or_else(|| entry.get("timestamp"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        if self.legacy.first_time.is_none() {
            self.legacy.first_time.clone_from(&written);
        }
        self.legacy.last_time = written;
        if self.started {
            self.unsealed.push(Unsealed {
                file: self.file.clone(),
                line,
            });
        } else {
            self.legacy.before_chain += 1;
        }
    }

    /// The log as a path: the skill log's file, or the user's directory.
    fn log_file(&self) -> String {
        if self.log == skill_log::LOG_PATH {
            self.log.clone()
        } else {
            day_files::user_dir(&self.log)
        }
    }

    /// Remembers the furthest retention the (verified) chain records.
    fn note_retention(&mut self, line: u64, entry: &Map<String, Value>) {
        if entry.get("tool").and_then(Value::as_str) != Some(rotation::RETENTION_NAME) {
            return;
        }
        let Some(through) = entry
            .get("args")
            .and_then(|args| args.get("through_seq"))
            .and_then(Value::as_u64)
        else {
            return;
        };
        if self
            .retained
            .as_ref()
            .is_none_or(|(seen, _)| *seen < through)
        {
            self.retained = Some((through, format!("{} line {line}", self.file)));
        }
    }

    /// Checks that the retention anchor reaches as far as the retentions the
    /// chain records: retention saves the anchor before it records itself,
    /// so an anchor that stops short was replaced by an older copy (to make
    /// deleted files put back verify) or removed.
    fn check_retentions(&mut self, anchor_file: String) {
        let Some((recorded, at)) = self.retained.clone() else {
            return;
        };
        let through = self.anchor.as_ref().map_or(0, |a| a.through);
        if through < recorded {
            self.file = anchor_file;
            self.fail(
                0,
                None,
                format!("stops at seq {through}, but the retention recorded at {at} deleted up to seq {recorded}: an older copy, or removed"),
            );
        }
    }

    /// Checks that the skill log's head — from its index, which anyone can
    /// rewrite — sits where retention stopped, so that queries (which start
    /// at the head) return exactly the live entries: an entry before it must
    /// be one retention dropped (still there if a writer stopped before
    /// blanking it), and none from it on may be. Records the problem and
    /// returns false otherwise.
    fn head_holds(&mut self, line: u64, before_head: bool, json: &[u8]) -> bool {
        let through = self.anchor.as_ref().map_or(0, |a| a.through);
        let seq = serde_json::from_slice::<Map<String, Value>>(json)
            .ok()
            .and_then(|entry| entry.get(SEQ)?.as_u64());
        match (before_head, seq) {
            (true, Some(seq)) if seq <= through => true,
            (true, _) => {
                self.fail(
                    line,
                    seq,
                    "lies before the log's head, in the space retention blanked, but is not an entry retention dropped: written there by hand (queries skip it)",
                );
                false
            }
            (false, Some(seq)) if seq <= through => {
                self.fail(
                    line,
                    Some(seq),
                    format!("is an entry retention dropped (up to seq {through}), yet the index counts it as live: the index was edited"),
                );
                false
            }
            (false, _) => true,
        }
    }

    fn check_checkpoint(&mut self) {
        let Some(end) = self.checkpoint else { return };
        if self.seq == 0 && self.entries == 0 && self.anchor.is_none() {
            self.file = self.log_file();
            self.fail(
                0,
                None,
                format!(
                    "the checkpoint recorded seq {}, but the log is empty: its files were deleted",
                    end.seq
                ),
            );
        } else if self.seq < end.seq {
            self.file = if self.file.is_empty() {
                self.log_file()
            } else {
                self.file.clone()
            };
            self.fail(
                0,
                None,
                format!(
                    "ends at seq {} but the checkpoint recorded seq {}: entries were cut from the end",
                    self.seq, end.seq
                ),
            );
        } else if !self.checkpoint_seen
            && self.entries > 0
            && self.anchor.as_ref().is_none_or(|a| a.through < end.seq)
        {
            self.fail(
                0,
                None,
                format!("the checkpoint's seq {} is not in the log", end.seq),
            );
        }
    }
}

/// The `seq` of a line that may not be a readable entry, read leniently so
/// that a problem can name it.
fn seq_of(json: &[u8]) -> Option<u64> {
    serde_json::from_slice::<Map<String, Value>>(json)
        .ok()?
        .get(SEQ)?
        .as_u64()
}

/// Whether `json` is an entry without any part of our seal.
fn is_legacy(json: &[u8]) -> bool {
    std::str::from_utf8(json)
        .ok()
        .and_then(row::read)
        .is_some_and(|row| !row.sealed)
}

/// The JSON of an entry line; `None` for lines that hold no entry (blank
/// lines, and the skill log's brackets); `Some(Err(line))` for a line of the
/// skill log that queries do not read as an entry line (`  {...},`), which
/// must not verify either.
fn entry_json(line: &[u8], skill_layout: bool) -> Option<Result<&[u8], &[u8]>> {
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
type EntryLine = Result<Vec<u8>, Vec<u8>>;

/// `walk`'s `head` for a tool log: every line counts.
const TOOL_LAYOUT: u64 = u64::MAX;

/// Walks the entries of `file[0..size]` in order, a chunk at a time; line
/// numbers count every line of the file, from 1. For the skill log, `head`
/// is where its live entries start: every line is still checked, and those
/// before it must be blank or entries retention dropped (see
/// [`Walker::head_holds`]).
fn walk<F: File>(
    walker: &mut Walker<'_>,
    file: F,
    size: u64,
    head: u64,
    place: Place<'_>,
) -> Result<(), AuditError> {
    let skill_layout = head != TOOL_LAYOUT;
    let mut lines = ForwardLines::new(file, size);
    let mut number = 0;
    let mut offset = 0;
    let mut next_entry = || -> Result<Option<(u64, bool, EntryLine)>, AuditError> {
        while let Some(line) = lines.next_line()? {
            number += 1;
            let at = offset;
            offset += line.len() as u64 + 1;
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
            && is_legacy(&json);
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

fn verify_skills<S: Storage>(
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
    walk(walker, file, size, head, Place::Skills)
}

/// Takes `anchor` (see [`crate::anchor`]) as where the walked log may
/// start, if it checks out (in keyed mode, its MAC); otherwise records the
/// problem and returns false.
fn anchor_holds(walker: &mut Walker<'_>, anchor: &Anchor) -> bool {
    let Some(checked) = anchor.checked(walker.chain) else {
        walker.fail(0, None, "the retention anchor does not check out: modified");
        return false;
    };
    walker.legacy.digest = checked.legacy.digest.clone();
    walker.legacy.total = walker.legacy.digest.entries;
    walker.legacy.before_chain = walker.legacy.digest.entries;
    walker.anchor = Some(checked);
    true
}

fn verify_user<S: Storage>(
    storage: &S,
    user: &str,
    walker: &mut Walker<'_>,
) -> Result<(), AuditError> {
    let anchor_file = format!("{}/.retention", day_files::user_dir(user));
    if let Some(anchor) = rotation::anchor(storage, user) {
        walker.file = anchor_file.clone();
        if !anchor_holds(walker, &anchor) {
            return Ok(());
        }
    }
    for file in day_files::list(storage, user)? {
        let Some(contents) = day_files::open(storage, user, &file)? else {
            continue;
        };
        let size = contents.size()?;
        walker.file = file.path(user);
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
        walk(walker, contents, size, TOOL_LAYOUT, place)?;
        if walker.problem.is_some() {
            return Ok(());
        }
    }
    walker.check_retentions(anchor_file);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Settings;
    use crate::skill_log::SkillRun;
    use crate::storage::fs::FsStorage;
    use crate::tool_log::ToolCall;
    use chrono::{DateTime, TimeZone, Utc};
    use std::path::Path;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 10, day, hour, 0, 0).unwrap()
    }

    fn tools(storage: &FsStorage, settings: &Settings, n: u32) {
        for i in 0..n {
            let call = ToolCall {
                user: "amy".into(),
                tool: format!("t{i}"),
                args: r#"{"k":"v"}"#.into(),
                status: "ok".into(),
                result: "r".into(),
            };
            crate::tool_log::append(
                storage,
                settings,
                at(20 + i / 3, i),
                &call,
                &Default::default(),
            )
            .unwrap();
        }
    }

    fn day_file(dir: &Path, day: u32) -> std::path::PathBuf {
        dir.join(format!("amy/tool_audit/2025-10-{day}.jsonl"))
    }

    fn edit(path: &Path, f: impl FnOnce(&mut Vec<String>)) {
        let text = std::fs::read_to_string(path).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        f(&mut lines);
        std::fs::write(path, lines.join("\n") + "\n").unwrap();
    }

    fn check(storage: &FsStorage, chain: &Chain) -> Report {
        verify(storage, chain, None, &[]).unwrap()
    }

    fn problem(report: &Report) -> String {
        let p = report.problem.as_ref().expect("a problem");
        format!("{} line {}: {}", p.file, p.line, p.reason)
    }

    #[test]
    fn an_untouched_log_verifies_across_day_files() {
        let dir = tempfile::tempdir().unwrap();
        let storage = FsStorage::new(dir.path());
        tools(&storage, &Settings::default(), 9);
        let report = check(&storage, &Chain::plain());
        assert_eq!(report.problem, None);
        assert_eq!(report.entries, 9);
        assert_eq!(report.ends[0].log, "amy");
        assert_eq!(report.ends[0].seq, 9);
    }

    #[test]
    fn each_kind_of_tampering_is_named() {
        type Tamper = fn(&mut Vec<String>);
        let cases: Vec<(&str, Tamper, &str)> = vec![
            (
                "edit one byte",
                (|l| l[1] = l[1].replacen("\"t4\"", "\"t5\"", 1)),
                "line 2: does not match its link: modified",
            ),
            (
                "delete a line",
                (|l| {
                    l.remove(1);
                }),
                "line 2: follows seq 4: entry 5 was removed",
            ),
            (
                "swap two lines",
                (|l| l.swap(0, 1)),
                "line 1: comes before seq 4",
            ),
            (
                "insert a forged line",
                (|l| {
                    let forged = l[1].clone();
                    l.insert(1, forged);
                }),
                "line 3: comes after seq 5",
            ),
            (
                "insert garbage",
                (|l| l.insert(1, "garbage".into())),
                "line 2: is not an entry",
            ),
        ];
        for (what, tamper, expected) in cases {
            let dir = tempfile::tempdir().unwrap();
            let storage = FsStorage::new(dir.path());
            tools(&storage, &Settings::default(), 9);
            edit(&day_file(dir.path(), 21), tamper);
            let report = check(&storage, &Chain::plain());
            let found = problem(&report);
            assert!(
                found.starts_with("amy/tool_audit/2025-10-21.jsonl"),
                "{what}: {found}"
            );
            assert!(found.contains(expected), "{what}: {found}");
        }
    }

    #[test]
    fn lines_queries_skip_are_named_by_verify() {
        type Tamper = fn(&mut Vec<String>);
        let cases: Vec<(&str, Tamper, &str)> = vec![
            (
                "a status prepended to an entry",
                (|l| l[1] = l[1].replacen('{', r#"{"status":"denied","#, 1)),
                "line 2: holds the key status more than once",
            ),
            (
                "a repeated key inside args",
                (|l| l[1] = l[1].replacen(r#""k":"v""#, r#""k":"x","k":"v""#, 1)),
                "line 2: holds the key args.k more than once",
            ),
            (
                "a time that is not a time",
                (|l| l[1] = l[1].replacen("2025-10-21T04", "2025-10-21X04", 1)),
                "line 2: has the time \"2025-10-21X04:00:00Z\", which is not a time",
            ),
            (
                "the status removed",
                (|l| l[1] = l[1].replacen(r#""status":"ok","#, "", 1)),
                "line 2: has no status",
            ),
        ];
        for (what, tamper, expected) in cases {
            let dir = tempfile::tempdir().unwrap();
            let storage = FsStorage::new(dir.path());
            tools(&storage, &Settings::default(), 9);
            edit(&day_file(dir.path(), 21), tamper);
            let found = problem(&check(&storage, &Chain::plain()));
            assert!(
                found.starts_with("amy/tool_audit/2025-10-21.jsonl"),
                "{what}: {found}"
            );
            assert!(found.contains(expected), "{what}: {found}");
        }
    }

    #[test]
    fn an_entry_without_a_seal_is_legacy_but_a_stripped_or_partial_seal_is_not() {
        type Tamper = fn(&mut Vec<String>);
        let cases: Vec<(&str, Tamper, &str)> = vec![
            (
                "the seal stripped from an entry",
                (|l| {
                    let mut entry: Map<String, Value> = serde_json::from_str(&l[1]).unwrap();
                    entry.remove(SEQ);
                    entry.remove(HASH);
                    l[1] = serde_json::to_string(&entry).unwrap();
                }),
                "line 3: follows seq 4: entry 5 was removed",
            ),
            (
                "a seq without a link",
                (|l| {
                    let mut entry: Map<String, Value> = serde_json::from_str(&l[1]).unwrap();
                    entry.remove(HASH);
                    l[1] = serde_json::to_string(&entry).unwrap();
                }),
                "line 2: has no \"hash\": modified",
            ),
            (
                "a null seq",
                (|l| l[1] = l[1].replacen(r#""seq":5"#, r#""seq":null"#, 1)),
                "line 2: has no seq",
            ),
            (
                "an unsealed entry of another user",
                (|l| {
                    l.insert(
                        1,
                        r#"{"ts":"2025-10-21T03:30:00","user":"bob","tool":"x","status":"ok"}"#
                            .into(),
                    )
                }),
                "line 2: is an entry of user \"bob\" in another user's log",
            ),
            (
                "an unsealed entry of another day",
                (|l| {
                    l.insert(
                        1,
                        r#"{"ts":"2025-10-22T03:30:00","user":"amy","tool":"x","status":"ok"}"#
                            .into(),
                    )
                }),
                "line 2: is an entry of 2025-10-22 in another day's file",
            ),
        ];
        for (what, tamper, expected) in cases {
            let dir = tempfile::tempdir().unwrap();
            let storage = FsStorage::new(dir.path());
            tools(&storage, &Settings::default(), 9);
            edit(&day_file(dir.path(), 21), tamper);
            let found = problem(&check(&storage, &Chain::plain()));
            assert!(found.contains(expected), "{what}: {found}");
        }
    }

    #[test]
    fn an_unsealed_entry_after_the_chain_started_is_named_and_passed_over() {
        let dir = tempfile::tempdir().unwrap();
        let storage = FsStorage::new(dir.path());
        tools(&storage, &Settings::default(), 9);
        edit(&day_file(dir.path(), 21), |l| {
            l.insert(
                1,
                r#"{"ts": "2025-10-21T03:30:00", "user": "amy", "tool": "x", "status": "ok"}"#
                    .into(),
            );
        });
        let report = check(&storage, &Chain::plain());
        assert_eq!(report.problem, None);
        assert_eq!(report.entries, 9);
        assert_eq!(report.legacy[0].before_chain, 0);
        assert_eq!(
            report.unsealed,
            vec![Unsealed {
                file: "amy/tool_audit/2025-10-21.jsonl".into(),
                line: 2
            }]
        );
    }

    /// Recomputes amy's plain chain over days `days`, as someone who can
    /// write the files (or an older writer) would.
    fn reseal(dir: &Path, days: std::ops::RangeInclusive<u32>) {
        let mut prev = chain::GENESIS;
        for day in days {
            edit(&day_file(dir, day), |lines| {
                for line in lines.iter_mut() {
                    let mut entry: Map<String, Value> = serde_json::from_str(line).unwrap();
                    let seq = entry[SEQ].as_u64().unwrap();
                    prev = Chain::plain().seal(&mut entry, seq, &prev);
                    *line = serde_json::to_string(&entry).unwrap();
                }
            });
        }
    }

    #[test]
    fn a_tool_entry_stamped_before_the_one_before_it_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let storage = FsStorage::new(dir.path());
        tools(&storage, &Settings::default(), 9);
        edit(&day_file(dir.path(), 20), |l| {
            l[2] = l[2].replacen("T02:00:00Z", "T00:30:00Z", 1);
        });
        reseal(dir.path(), 20..=22);
        assert_eq!(
            problem(&check(&storage, &Chain::plain())),
            "amy/tool_audit/2025-10-20.jsonl line 3: is stamped 2025-10-20T00:30:00Z, before the entry before it (2025-10-20T01:00:00Z): its time was changed, or an older writer's clock stepped back"
        );
        edit(&day_file(dir.path(), 20), |l| {
            l[2] = l[2].replacen("T00:30:00Z", "T01:00:00Z", 1);
        });
        reseal(dir.path(), 20..=22);
        assert_eq!(
            check(&storage, &Chain::plain()).problem,
            None,
            "an equal time is fine"
        );
    }

    #[test]
    fn an_entry_moved_into_the_previous_days_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let storage = FsStorage::new(dir.path());
        tools(&storage, &Settings::default(), 9);
        // seq 4, the first entry of the 21st, becomes the last of the 20th:
        // seq order and links still hold.
        let mut moved = String::new();
        edit(&day_file(dir.path(), 21), |l| moved = l.remove(0));
        edit(&day_file(dir.path(), 20), |l| l.push(moved));
        assert_eq!(
            problem(&check(&storage, &Chain::plain())),
            "amy/tool_audit/2025-10-20.jsonl line 4: is an entry of 2025-10-21 in another day's file: moved"
        );
    }

    #[test]
    fn a_user_directory_renamed_or_deleted_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let storage = FsStorage::new(dir.path());
        tools(&storage, &Settings::default(), 3);
        let kept = check(&storage, &Chain::plain()).ends;
        std::fs::rename(dir.path().join("amy"), dir.path().join("bob")).unwrap();
        assert_eq!(
            problem(&check(&storage, &Chain::plain())),
            "bob/tool_audit/2025-10-20.jsonl line 1: is an entry of user \"amy\" in another user's log: moved, copied or renamed"
        );
        std::fs::remove_dir_all(dir.path().join("bob")).unwrap();
        assert_eq!(check(&storage, &Chain::plain()).problem, None);
        let report = verify(&storage, &Chain::plain(), None, &kept).unwrap();
        assert_eq!(
            problem(&report),
            "amy/tool_audit line 0: the checkpoint recorded seq 3 for user amy, but the log is missing: deleted, renamed or moved"
        );
        let only_skills = verify(&storage, &Chain::plain(), Some(&Source::Skills), &kept);
        assert_eq!(only_skills.unwrap().problem, None, "amy is not asked about");
    }

    #[test]
    fn keyed_mode_catches_a_recomputed_plain_chain() {
        let dir = tempfile::tempdir().unwrap();
        let storage = FsStorage::new(dir.path());
        let keyed = Settings {
            chain: Chain::keyed(b"0123456789abcdef".to_vec()),
            ..Settings::default()
        };
        tools(&storage, &keyed, 3);
        assert_eq!(check(&storage, &keyed.chain).problem, None);
        // Rewrite every entry with a plain SHA-256 chain under the `mac` name.
        let path = day_file(dir.path(), 20);
        edit(&path, |lines| {
            let mut prev = chain::GENESIS;
            for line in lines.iter_mut() {
                let mut entry: Map<String, Value> = serde_json::from_str(line).unwrap();
                entry.insert("tool".into(), Value::from("forged"));
                let link = Chain::plain().link(&prev, &chain::canonical(&entry));
                entry.insert(MAC.into(), Value::from(chain::to_hex(&link)));
                prev = link;
                *line = serde_json::to_string(&entry).unwrap();
            }
        });
        assert!(problem(&check(&storage, &keyed.chain)).contains("modified"));
        assert!(problem(&check(&storage, &Chain::plain())).contains("is sealed with \"mac\""));
    }

    #[test]
    fn a_checkpoint_notices_entries_cut_from_the_end() {
        let dir = tempfile::tempdir().unwrap();
        let storage = FsStorage::new(dir.path());
        tools(&storage, &Settings::default(), 6);
        let ends = check(&storage, &Chain::plain()).ends;
        edit(&day_file(dir.path(), 21), |l| {
            l.pop();
        });
        assert_eq!(
            check(&storage, &Chain::plain()).problem,
            None,
            "without a checkpoint a cut end looks whole"
        );
        let report = verify(&storage, &Chain::plain(), None, &ends).unwrap();
        assert!(
            problem(&report).contains("ends at seq 5 but the checkpoint recorded seq 6"),
            "{}",
            problem(&report)
        );
    }

    #[test]
    fn retention_keeps_the_skill_log_verifiable() {
        let dir = tempfile::tempdir().unwrap();
        let storage = FsStorage::new(dir.path());
        for keyed in [false, true] {
            let settings = Settings {
                max_entries: 5,
                chain: if keyed {
                    Chain::keyed(vec![7; 16])
                } else {
                    Chain::plain()
                },
                ..Settings::default()
            };
            let _ = std::fs::remove_file(dir.path().join("audit_log.json"));
            let _ = std::fs::remove_file(dir.path().join(".audit_log.state"));
            for i in 0..300 {
                let run = SkillRun {
                    skill: format!("s{i}"),
                    status: "success".into(),
                    ..Default::default()
                };
                skill_log::append(&storage, &settings, at(20, i % 24), &run).unwrap();
            }
            let report = verify(&storage, &settings.chain, Some(&Source::Skills), &[]).unwrap();
            assert_eq!(report.problem, None, "keyed: {keyed}");
            assert_eq!(report.entries, 5);
            assert_eq!(report.ends[0].seq, 300);

            // Cutting live entries from the head is not retention.
            let path = dir.path().join("audit_log.json");
            let text = std::fs::read_to_string(&path).unwrap();
            let mut lines: Vec<&str> = text.lines().collect();
            let first = lines.iter().position(|l| l.starts_with("  {")).unwrap();
            lines.remove(first);
            std::fs::write(&path, lines.join("\n") + "\n").unwrap();
            let report = verify(&storage, &settings.chain, Some(&Source::Skills), &[]).unwrap();
            assert!(
                problem(&report).contains("were removed")
                    || problem(&report).contains("was removed"),
                "{}",
                problem(&report)
            );
        }
    }
}
