//! Reading entries newest first: one stream per log file sequence, each read
//! backwards from its end, and a merge of several streams by time.
//!
//! Tool-log day files outside the window are never opened. Inside the files
//! that are read, entries are judged by their own timestamps, whatever their
//! order in the file, so a window never silently hides an entry; a page
//! stops as soon as it is full. A line that is not a readable entry where
//! it is ([`stored_line::check`]: say, a tool entry in another day's or user's file)
//! is skipped, and `verify` names it. A *foreign* entry (not a run: no
//! name or no status, [`stored_line::Row::is_run`]) is read like any other and
//! returned as stored, but no name or status filter matches it.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::day_files::{self, Contents, DayFile};
use crate::error::AuditError;
use crate::skill_log;
use crate::storage::{File, Storage};
use crate::stored_line::{self, Place};
use crate::tail::ReverseLines;

/// The instants an entry's time must fall in: `since <= t < until`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// Inclusive lower bound.
    pub since: DateTime<Utc>,
    /// Exclusive upper bound, if any.
    pub until: Option<DateTime<Utc>>,
}

/// What an entry must match besides its time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Match {
    /// The entry's `skill` or `tool`.
    pub name: Option<String>,
    /// The entry's `status`.
    pub status: Option<String>,
    /// Whether the entries are for a page: each keeps its stored text
    /// ([`Entry::text`]) and where to resume after it ([`Entry::resume`]).
    /// Totals need neither.
    pub for_pages: bool,
}

/// Where to resume a stream so that it yields a given entry first.
///
/// Positions travel inside cursors, through the client, so they are checked
/// before use: the query re-checks that each is of a log it reads, and the
/// streams that it names a file of that log and the end of a line in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "log", rename_all = "snake_case", deny_unknown_fields)]
pub enum Position {
    /// In the skill log: lines ending at or before `end`, while the file's
    /// rewrite generation is still `generation`.
    Skills {
        /// The skill log's rewrite generation when the position was taken.
        generation: u64,
        /// Byte offset just past the entry's line.
        end: u64,
    },
    /// In `user`'s tool log: lines ending at or before `end` in segment
    /// `segment` of `day` (offsets into the inflated bytes if it is
    /// compressed since), then the older files.
    Day {
        /// The user.
        user: String,
        /// The day file, `YYYY-MM-DD`.
        day: NaiveDate,
        /// The segment of the day (0 for `YYYY-MM-DD.jsonl`).
        #[serde(default)]
        segment: u32,
        /// Byte offset just past the entry's line.
        end: u64,
    },
}

/// One entry as read from a log: enough of it parsed to filter, merge and count.
#[derive(Debug, Clone)]
pub struct Entry {
    /// When it was recorded.
    pub time: DateTime<Utc>,
    /// Its name and status if it is a run of a skill or a call of a tool
    /// ([`stored_line::Row::is_run`]); `None` for a *foreign* entry, one of another
    /// schema that another tool wrote into the log.
    pub run: Option<Run>,
    /// Its `user` (tool log only).
    pub user: Option<String>,
    /// Its `duration_ms`, if it is a whole number.
    pub duration_ms: Option<u64>,
    /// The entry as stored (empty unless [`Match::for_pages`]).
    pub text: String,
    /// Where to resume to read this entry again (`None` unless
    /// [`Match::for_pages`]).
    pub resume: Option<Position>,
}

/// What makes an entry a run: its name and status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// Its `skill` or `tool`.
    pub name: String,
    /// Its `status`.
    pub status: String,
}

/// Decides which stored lines are entries that pass a window and match.
struct Judge {
    window: Window,
    matching: Match,
    /// The last timestamp parsed and its instant: neighbouring entries often
    /// share their second.
    last_instant: Option<(String, DateTime<Utc>)>,
}

impl Judge {
    fn new(window: Window, matching: Match) -> Self {
        Self {
            window,
            matching,
            last_instant: None,
        }
    }

    /// Parses `json` (one stored entry, found at `place`): the entry if it
    /// passes the window and match, `None` if it does not or is not a
    /// readable entry there ([`stored_line::check`], the rule `verify` applies).
    fn entry(
        &mut self,
        json: &[u8],
        place: Place<'_>,
        resume: impl FnOnce() -> Position,
    ) -> Option<Entry> {
        // One UTF-8 check of the line, not one per string in it.
        let row = stored_line::read(std::str::from_utf8(json).ok()?)?;
        let time = stored_line::check(&row, place, |text| self.instant(text)).ok()?;
        let (window, matching) = (&self.window, &self.matching);
        if time < window.since || window.until.is_some_and(|until| time >= until) {
            return None;
        }
        // A foreign entry has no name or no status, so a filter on either
        // never matches it.
        let run = if row.is_run() {
            row.skill.or(row.tool).zip(row.status)
        } else {
            None
        };
        let differs = |wanted: &Option<String>, got: Option<&str>| {
            wanted.as_deref().is_some_and(|w| got != Some(w))
        };
        if differs(&matching.name, run.as_ref().map(|(name, _)| name.as_ref()))
            || differs(
                &matching.status,
                run.as_ref().map(|(_, status)| status.as_ref()),
            )
        {
            return None;
        }
        Some(Entry {
            time,
            run: run.map(|(name, status)| Run {
                name: name.into_owned(),
                status: status.into_owned(),
            }),
            user: row.user.map(std::borrow::Cow::into_owned),
            duration_ms: row.duration_ms,
            text: if matching.for_pages {
                String::from_utf8_lossy(json).into_owned()
            } else {
                String::new()
            },
            resume: matching.for_pages.then(resume),
        })
    }

    /// The instant `text` stands for.
    fn instant(&mut self, text: &str) -> Option<DateTime<Utc>> {
        if let Some((last, time)) = &self.last_instant
            && last == text
        {
            return Some(*time);
        }
        let time = crate::clock::parse_instant(text)?;
        self.last_instant = Some((text.to_owned(), time));
        Some(time)
    }
}

/// Entries of one log, newest first.
pub trait Stream {
    /// The next entry that passes the window and match.
    ///
    /// # Errors
    /// Storage errors while reading.
    fn next_entry(&mut self) -> Result<Option<Entry>, AuditError>;
}

/// The skill log's entries, read under its lock.
pub struct SkillStream<S: Storage> {
    _lock: Option<S::Lock>,
    lines: Option<ReverseLines<skill_log::LogView<S::File>>>,
    generation: u64,
    judge: Judge,
}

impl<S: Storage> SkillStream<S> {
    /// A stream from the end of the skill log, or from `resume`.
    ///
    /// # Errors
    /// [`AuditError::Invalid`] for a `cursor` whose generation is stale;
    /// storage and format errors from opening the log.
    pub fn open(
        storage: &S,
        window: Window,
        matching: Match,
        resume: Option<(u64, u64)>,
    ) -> Result<Self, AuditError> {
        let (lock, opened) = skill_log::open_for_reading(storage)?;
        let (lines, generation) = match opened {
            None => (None, 0),
            Some(skill_log::Opened {
                file,
                head,
                size,
                generation,
            }) => {
                let end = match resume {
                    None => size,
                    Some((g, _)) if g != generation => {
                        return Err(AuditError::invalid(
                            "cursor",
                            "the skill log was rewritten since this cursor was made; start again without it",
                        ));
                    }
                    Some((_, end)) => {
                        if end <= head || !ends_a_line(&file, end, size)? {
                            return Err(not_a_line_end());
                        }
                        end
                    }
                };
                (Some(ReverseLines::new(file, head, end)), generation)
            }
        };
        Ok(Self {
            _lock: lock,
            lines,
            generation,
            judge: Judge::new(window, matching),
        })
    }
}

impl<S: Storage> Stream for SkillStream<S> {
    fn next_entry(&mut self) -> Result<Option<Entry>, AuditError> {
        let Some(lines) = &mut self.lines else {
            return Ok(None);
        };
        while let Some((offset, line)) = lines.next_line()? {
            let Some(json) = skill_log::entry_json_of_line(line) else {
                continue;
            };
            let end = offset + line.len() as u64;
            let generation = self.generation;
            if let Some(entry) = self
                .judge
                .entry(json, Place::Skills, || Position::Skills { generation, end })
            {
                return Ok(Some(entry));
            }
        }
        self.lines = None;
        Ok(None)
    }
}

/// One user's tool-log entries, across day files and their segments.
pub struct UserStream<'s, S: Storage> {
    storage: &'s S,
    user: String,
    /// Files still to read, newest last (popped from the end).
    files: Vec<DayFile>,
    current: Option<(DayFile, ReverseLines<Contents<S::File>>)>,
    /// Where to start in the first file, when resuming.
    first_end: Option<u64>,
    judge: Judge,
}

impl<'s, S: Storage> UserStream<'s, S> {
    /// A stream over `user`'s files inside the window, from the newest
    /// entry, or from `resume` (a file and an offset in it).
    ///
    /// # Errors
    /// Storage errors from listing the user's directory.
    pub fn open(
        storage: &'s S,
        user: &str,
        window: Window,
        matching: Match,
        resume: Option<(DayFile, u64)>,
    ) -> Result<Self, AuditError> {
        let first = window.since.date_naive();
        let last = window.until.map(|u| u.date_naive());
        let newest = resume.map(|(file, _)| (file.day, file.segment));
        let files: Vec<DayFile> = day_files::list(storage, user)?
            .into_iter()
            .filter(|f| {
                f.day >= first
                    && last.is_none_or(|l| f.day <= l)
                    && newest.is_none_or(|n| (f.day, f.segment) <= n)
            })
            .collect();
        // A position names a file of this log inside the window; its offset
        // is checked against the file's bytes when the file is opened.
        let first_end = match resume {
            None => None,
            Some((at, end)) if files.last().is_some_and(|f| f.same_segment(&at)) => Some(end),
            Some((at, _)) => {
                return Err(AuditError::invalid(
                    "cursor",
                    format!(
                        "points at {} of user {}, which is not in the log \
                         (removed since?); start again without it",
                        at.name(),
                        auditlog_model::invisible::refused(user)
                    ),
                ));
            }
        };
        Ok(Self {
            storage,
            user: user.to_owned(),
            files,
            current: None,
            first_end,
            judge: Judge::new(window, matching),
        })
    }
}

impl<S: Storage> Stream for UserStream<'_, S> {
    fn next_entry(&mut self) -> Result<Option<Entry>, AuditError> {
        loop {
            if self.current.is_none() {
                let Some(file) = self.files.pop() else {
                    return Ok(None);
                };
                // The offset is the first file's only, even if that file is gone.
                let first_end = self.first_end.take();
                let Some(contents) = day_files::open(self.storage, &self.user, &file)? else {
                    continue;
                };
                let size = contents.size()?;
                let end = match first_end {
                    None => size,
                    Some(end) if end > 0 && ends_a_line(&contents, end, size)? => end,
                    Some(_) => return Err(not_a_line_end()),
                };
                self.current = Some((file, ReverseLines::new(contents, 0, end)));
            }
            let (file, lines) = self.current.as_mut().expect("just set");
            let file = *file;
            while let Some((offset, line)) = lines.next_line()? {
                let end = offset + line.len() as u64;
                let user = &self.user;
                let resume = || Position::Day {
                    user: user.clone(),
                    day: file.day,
                    segment: file.segment,
                    end,
                };
                let place = Place::Day {
                    user,
                    day: file.day,
                };
                if let Some(entry) = self.judge.entry(line, place, resume) {
                    return Ok(Some(entry));
                }
            }
            self.current = None;
        }
    }
}

/// Every entry of `user`'s `file` (its bytes `range`, whole lines, or all of
/// it) that passes `window` and `matching`, newest first, judged as a
/// [`UserStream`] judges them, with where its line starts and where the next
/// one does; nothing if the file is gone.
///
/// # Errors
/// Storage errors while reading; a gzipped file that does not inflate.
pub fn file_entries<S: Storage>(
    storage: &S,
    user: &str,
    file: &DayFile,
    range: Option<(u64, u64)>,
    window: Window,
    matching: Match,
    mut visit: impl FnMut(Entry, u64, u64),
) -> Result<(), AuditError> {
    let Some(contents) = day_files::open(storage, user, file)? else {
        return Ok(());
    };
    let size = contents.size()?;
    let (start, end) = range.map_or((0, size), |(start, end)| (start, end.min(size)));
    let mut judge = Judge::new(window, matching);
    let mut lines = ReverseLines::new(contents, start, end);
    while let Some((offset, line)) = lines.next_line()? {
        let next = (offset + line.len() as u64 + 1).min(size);
        let place = Place::Day {
            user,
            day: file.day,
        };
        let resume = || Position::Day {
            user: user.to_owned(),
            day: file.day,
            segment: file.segment,
            end: offset + line.len() as u64,
        };
        if let Some(entry) = judge.entry(line, place, resume) {
            visit(entry, offset, next);
        }
    }
    Ok(())
}

/// Whether `end` is where a line of `file` (of `size` bytes) ends: at a
/// `\n` or at the end of the file. A cursor's offset anywhere else would
/// read part of a line, which may look like an entry that was never written.
fn ends_a_line<F: File>(file: &F, end: u64, size: u64) -> Result<bool, AuditError> {
    Ok(end == size || (end < size && file.read_at(end, 1)? == b"\n"))
}

fn not_a_line_end() -> AuditError {
    AuditError::invalid(
        "cursor",
        "points inside a line or past the end of its file; start again without it",
    )
}

/// Several streams merged newest first; ties keep the streams' order.
pub struct Merge<'s> {
    streams: Vec<Box<dyn Stream + 's>>,
    heads: Vec<Option<Entry>>,
}

impl<'s> Merge<'s> {
    /// Merges `streams`, reading the first entry of each.
    ///
    /// # Errors
    /// Errors from the streams.
    pub fn new(mut streams: Vec<Box<dyn Stream + 's>>) -> Result<Self, AuditError> {
        let heads = streams
            .iter_mut()
            .map(|s| s.next_entry())
            .collect::<Result<_, _>>()?;
        Ok(Self { streams, heads })
    }

    /// The newest entry of all streams.
    ///
    /// # Errors
    /// Errors from the streams.
    pub fn next_entry(&mut self) -> Result<Option<Entry>, AuditError> {
        let mut newest: Option<usize> = None;
        for (i, head) in self.heads.iter().enumerate() {
            if let Some(entry) = head
                && newest.is_none_or(|n| {
                    self.heads[n]
                        .as_ref()
                        .is_some_and(|best| entry.time > best.time)
                })
            {
                newest = Some(i);
            }
        }
        let Some(i) = newest else {
            return Ok(None);
        };
        let next = self.streams[i].next_entry()?;
        Ok(std::mem::replace(&mut self.heads[i], next))
    }

    /// Where each stream that has more entries stands; empty when all are done.
    pub fn positions(&self) -> Vec<Position> {
        self.heads
            .iter()
            .flatten()
            .filter_map(|e| e.resume.clone())
            .collect()
    }
}
