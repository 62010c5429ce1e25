//! Totals over tool logs, from summaries where they can answer: a closed
//! file with a summary that checks out ([`crate::summary::load`]) counts
//! from it for every hour wholly inside the window, and only the hours the
//! window cuts through are read from its lines; the open file (a user's
//! newest) and closed files without a usable summary are read line by line.
//! Name and status filters are answered from the summary (it counts runs by
//! both); foreign entries match neither, as when lines are read.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::tally::Tally;
use crate::chain::Chain;
use crate::day_files::{self, DayFile};
use crate::error::AuditError;
use crate::newest_first::{self, Match, Window};
use crate::storage::Storage;
use crate::summary::{self, Hour, Runs, Summary};

/// Adds to `tally` the entries of `user`'s files in `window` that match.
///
/// # Errors
/// Storage errors while reading.
pub fn tally_user<S: Storage>(
    storage: &S,
    chain: &Chain,
    user: &str,
    window: Window,
    matching: &Match,
    tally: &mut Tally,
) -> Result<(), AuditError> {
    let files = day_files::list(storage, user)?;
    let open = files.last().copied();
    let first = window.since.date_naive();
    let last = window.until.map(|u| u.date_naive());
    for file in files
        .iter()
        .filter(|f| f.day >= first && last.is_none_or(|l| f.day <= l))
    {
        let summary = if Some(*file) == open {
            None
        } else {
            summary::load(storage, chain, user, file)
        };
        match summary {
            Some(summary) => from_summary(storage, user, file, &summary, window, matching, tally)?,
            None => read_lines(storage, user, file, None, window, matching, tally)?,
        }
    }
    Ok(())
}

/// Adds `summary`'s hours inside `window` to `tally`, reading the lines of
/// the hours `window` cuts through. The whole hours are added up per tool
/// and status first: one file's entries share their user and day.
fn from_summary<S: Storage>(
    storage: &S,
    user: &str,
    file: &DayFile,
    summary: &Summary,
    window: Window,
    matching: &Match,
    tally: &mut Tally,
) -> Result<(), AuditError> {
    let mut whole = Whole::default();
    for hour in &summary.hours {
        let start = hour_start(file.day, hour.hour);
        let end = start + Duration::hours(1);
        let until = window.until.unwrap_or(DateTime::<Utc>::MAX_UTC);
        if end <= window.since || start >= until {
            continue;
        }
        if start >= window.since && end <= until {
            whole.add(hour);
            continue;
        }
        let cut = Window {
            since: window.since.max(start),
            until: Some(until.min(end)),
        };
        let range = Some((hour.start, hour.end));
        read_lines(storage, user, file, range, cut, matching, tally)?;
    }
    whole.add_to(tally, user, file.day, summary, matching);
    Ok(())
}

/// The whole hours of one summary added up: foreign entries, and runs per
/// tool and status (by their places in the summary's lists). Only the pairs
/// the runs name get a cell, however long the lists.
#[derive(Default)]
struct Whole {
    other: u64,
    cells: BTreeMap<(usize, usize), Cell>,
}

/// The runs of one tool and status: how many, and their durations (each
/// value with how many runs have it).
type Cell = (u64, Vec<(u64, u64)>);

impl Whole {
    fn add(&mut self, hour: &Hour) {
        self.other += hour.other;
        for Runs(name, status, count, durations) in &hour.runs {
            let cell = self.cells.entry((*name, *status)).or_default();
            cell.0 += count;
            cell.1.extend_from_slice(durations);
        }
    }

    /// Adds what matches to `tally`, as `user`'s entries of `day`.
    fn add_to(
        self,
        tally: &mut Tally,
        user: &str,
        day: NaiveDate,
        summary: &Summary,
        matching: &Match,
    ) {
        if matching.name.is_none() && matching.status.is_none() {
            tally.other(self.other);
        }
        let wanted = |want: &Option<String>, got: &str| want.as_deref().is_none_or(|w| w == got);
        for ((name, status), (count, durations)) in &self.cells {
            let name = &summary.names[*name];
            let status = &summary.statuses[*status];
            if *count > 0 && wanted(&matching.name, name) && wanted(&matching.status, status) {
                tally.runs(Some(user), day, name, status, *count, durations);
            }
        }
    }
}

/// The instant hour `hour` of `day` starts.
fn hour_start(day: NaiveDate, hour: u32) -> DateTime<Utc> {
    day.and_hms_opt(hour, 0, 0)
        .expect("a summary's hours are under 24")
        .and_utc()
}

/// Adds the entries of `file` (its bytes `range`, or all of it) in `window`
/// that match to `tally`.
fn read_lines<S: Storage>(
    storage: &S,
    user: &str,
    file: &DayFile,
    range: Option<(u64, u64)>,
    window: Window,
    matching: &Match,
    tally: &mut Tally,
) -> Result<(), AuditError> {
    newest_first::file_entries(
        storage,
        user,
        file,
        range,
        window,
        matching.clone(),
        |entry, _, _| tally.entry(entry),
    )
}
