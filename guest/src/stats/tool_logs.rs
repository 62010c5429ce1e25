//! Totals over tool logs, from summaries where they can answer: a closed
//! file with a summary that checks out ([`crate::summary::load`]) counts
//! from it for every hour wholly inside the window, and only the hours the
//! window cuts through are read from its lines; the open file (a user's
//! newest) and closed files without a usable summary are read line by line.
//! Name and status filters are answered from the summary (it counts runs by
//! both); foreign entries match neither, as when lines are read.

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
/// the hours `window` cuts through.
fn from_summary<S: Storage>(
    storage: &S,
    user: &str,
    file: &DayFile,
    summary: &Summary,
    window: Window,
    matching: &Match,
    tally: &mut Tally,
) -> Result<(), AuditError> {
    for hour in &summary.hours {
        let start = hour_start(file.day, hour.hour);
        let end = start + Duration::hours(1);
        let until = window.until.unwrap_or(DateTime::<Utc>::MAX_UTC);
        if end <= window.since || start >= until {
            continue;
        }
        if start >= window.since && end <= until {
            add_hour(user, file.day, summary, hour, matching, tally);
            continue;
        }
        let cut = Window {
            since: window.since.max(start),
            until: Some(until.min(end)),
        };
        let range = Some((hour.start, hour.end));
        read_lines(storage, user, file, range, cut, matching, tally)?;
    }
    Ok(())
}

/// Adds a whole summarised hour of `summary`'s entries that match to `tally`.
fn add_hour(
    user: &str,
    day: NaiveDate,
    summary: &Summary,
    hour: &Hour,
    matching: &Match,
    tally: &mut Tally,
) {
    if matching.name.is_none() && matching.status.is_none() {
        tally.other(hour.other);
    }
    let wanted = |want: &Option<String>, got: &str| want.as_deref().is_none_or(|w| w == got);
    for Runs(name, status, count, durations) in &hour.runs {
        let (name, status) = (&summary.names[*name], &summary.statuses[*status]);
        if wanted(&matching.name, name) && wanted(&matching.status, status) {
            tally.runs(Some(user), day, name, status, *count, durations);
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
