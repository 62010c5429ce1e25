//! Making summaries: reading a closed file once ([`build`]), storing the
//! result atomically ([`write`]), and keeping a user's summaries in step
//! with their files ([`refresh`]).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Timelike, Utc};

use super::{Hour, MAX_BYTES, Runs, Summary, VERSION, covered, covers, load, path};
use crate::chain::Chain;
use crate::day_files::{self, DayFile};
use crate::error::AuditError;
use crate::newest_first::{self, Match, Window};
use crate::storage::{self, Storage, StorageError};

/// One hour's entries while a file is read.
#[derive(Default)]
struct HourTally {
    start: u64,
    end: u64,
    other: u64,
    /// By (tool, status): how many, and each duration with its count.
    runs: BTreeMap<(String, String), (u64, BTreeMap<u64, u64>)>,
}

/// Reads `user`'s `file` and summarises it; `None` if the file is gone or
/// changed while it was read. Call under the user's lock.
///
/// # Errors
/// Storage errors; a gzipped file that does not inflate.
pub fn build<S: Storage>(
    storage: &S,
    user: &str,
    file: &DayFile,
) -> Result<Option<Summary>, AuditError> {
    let Some(before) = covers(storage, user, file)? else {
        return Ok(None);
    };
    let everything = Window {
        since: DateTime::<Utc>::MIN_UTC,
        until: None,
    };
    let mut hours: BTreeMap<u32, HourTally> = BTreeMap::new();
    newest_first::file_entries(
        storage,
        user,
        file,
        None,
        everything,
        Match::default(),
        |entry, start, next| {
            let hour = hours.entry(entry.time.hour()).or_insert(HourTally {
                start,
                end: next,
                ..HourTally::default()
            });
            hour.start = hour.start.min(start);
            hour.end = hour.end.max(next);
            let Some(run) = entry.run else {
                hour.other += 1;
                return;
            };
            let (count, durations) = hour.runs.entry((run.name, run.status)).or_default();
            *count += 1;
            if let Some(ms) = entry.duration_ms {
                *durations.entry(ms).or_default() += 1;
            }
        },
    )?;
    // Under the lock nothing writes the file; anyone else's change shows.
    if covers(storage, user, file)?.as_ref() != Some(&before) {
        return Ok(None);
    }
    let names: Vec<String> = table(hours.values().flat_map(|h| h.runs.keys().map(|k| &k.0)));
    let statuses: Vec<String> = table(hours.values().flat_map(|h| h.runs.keys().map(|k| &k.1)));
    let place = |table: &[String], item: &String| table.binary_search(item).expect("listed");
    let hours = hours
        .into_iter()
        .map(|(hour, tally)| Hour {
            hour,
            start: tally.start,
            end: tally.end,
            other: tally.other,
            runs: tally
                .runs
                .into_iter()
                .map(|((name, status), (count, durations))| {
                    let durations = durations.into_iter().collect();
                    Runs(
                        place(&names, &name),
                        place(&statuses, &status),
                        count,
                        durations,
                    )
                })
                .collect(),
        })
        .collect();
    Ok(Some(Summary {
        version: VERSION,
        user: user.to_owned(),
        file: file.name(),
        covers: before,
        names,
        statuses,
        hours,
    }))
}

/// Each of `items` once, sorted.
fn table<'a>(items: impl Iterator<Item = &'a String>) -> Vec<String> {
    let set: BTreeSet<&String> = items.collect();
    set.into_iter().cloned().collect()
}

/// Stores `summary`, sealed under `chain`, as the summary of `user`'s
/// `file`: written to a temporary, then renamed into place, so a reader sees
/// the old summary or the new one, never part of one. A summary longer
/// than [`MAX_BYTES`] is not written: `stats` would not read it.
///
/// # Errors
/// Storage errors; the temporary is removed then.
pub fn write<S: Storage>(
    storage: &S,
    chain: &Chain,
    user: &str,
    file: &DayFile,
    summary: &Summary,
) -> Result<(), StorageError> {
    let path = path(user, file);
    let text = summary.encode(chain);
    if text.len() as u64 > MAX_BYTES {
        return Ok(());
    }
    storage::replace_file(storage, &path, &format!("{path}.tmp"), &text, false)
}

/// Most summaries [`Refresh::Missing`] builds: an append that closes a file
/// summarises it (and a file compression just replaced), not a whole log
/// written before summaries existed.
pub const MISSING_AT_ONCE: usize = 4;

/// How much [`refresh`] checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refresh {
    /// Summarise the newest closed files that have no summary, at most
    /// [`MISSING_AT_ONCE`] (after an append closed one): the directory's
    /// listing tells which, and no other file is read. `rotate` does the rest.
    Missing,
    /// Also check every existing summary ([`load`]) and rebuild those that
    /// do not check out (`rotate`, `repair`).
    All,
}

/// Brings `user`'s summaries in step with their files: summarises the
/// closed ones ([`Refresh`] says which), and removes summaries of files that
/// are gone or open again (the newest file) and leftover temporaries. Call
/// under the user's lock.
///
/// # Errors
/// Storage errors; what was done before one stays done.
pub fn refresh<S: Storage>(
    storage: &S,
    chain: &Chain,
    user: &str,
    check: Refresh,
) -> Result<(), AuditError> {
    let dir = day_files::user_dir(user);
    let names = match storage.list_dir(&dir) {
        Err(StorageError::NotFound) => return Ok(()),
        other => other?,
    };
    let files = day_files::list(storage, user)?;
    let closed: BTreeSet<String> = files
        .iter()
        .take(files.len().saturating_sub(1))
        .map(DayFile::name)
        .collect();
    let mut present = BTreeSet::new();
    for entry in &names {
        let leftover = entry
            .strip_suffix(".tmp")
            .is_some_and(|s| covered(s).is_some());
        match covered(entry) {
            Some(file) if closed.contains(&file.name()) => {
                present.insert(file.name());
            }
            Some(_) => remove(storage, &format!("{dir}/{entry}"))?,
            None if leftover => remove(storage, &format!("{dir}/{entry}"))?,
            None => {}
        }
    }
    let mut budget = match check {
        Refresh::Missing => MISSING_AT_ONCE,
        Refresh::All => usize::MAX,
    };
    for file in files.iter().rev().filter(|f| closed.contains(&f.name())) {
        let fine = present.contains(&file.name())
            && (check == Refresh::Missing || load(storage, chain, user, file).is_some());
        if fine {
            continue;
        }
        if budget == 0 {
            break;
        }
        budget -= 1;
        if let Some(summary) = build(storage, user, file)? {
            write(storage, chain, user, file, &summary)?;
        }
    }
    Ok(())
}

fn remove<S: Storage>(storage: &S, path: &str) -> Result<(), StorageError> {
    match storage.remove_file(path) {
        Err(StorageError::NotFound) => Ok(()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{covered, name};
    use super::*;

    #[test]
    fn summary_names_are_out_of_the_day_file_names() {
        let day = chrono::NaiveDate::from_ymd_opt(2025, 10, 3).unwrap();
        for (file, expected) in [
            (DayFile::first(day), ".summary.2025-10-03.json"),
            (DayFile::plain(day, 2), ".summary.2025-10-03.2.json"),
            (
                DayFile::plain(day, 2).gzipped(),
                ".summary.2025-10-03.2.gz.json",
            ),
        ] {
            let name = name(&file);
            assert_eq!(name, expected);
            assert_eq!(covered(&name), Some(file));
            assert!(!name.contains(".jsonl"), "{name}");
            assert_eq!(DayFile::parse(&name), None);
            assert_eq!(DayFile::parse(&format!("{name}.tmp")), None);
        }
        for stranger in [
            ".summary.2025-10-03.01.json",
            ".summary.x.json",
            ".retention",
        ] {
            assert_eq!(covered(stranger), None, "{stranger}");
        }
    }
}
