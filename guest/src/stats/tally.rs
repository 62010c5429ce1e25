//! [`Tally`]: the totals `stats` adds up, entry by entry (read from lines)
//! or many at once (from a summary), and the [`Stats`] they come to.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::{Stats, is_error, percentile};
use crate::newest_first::Entry;

/// Totals so far; [`Tally::finish`] turns them into [`Stats`].
#[derive(Debug, Default)]
pub struct Tally {
    stats: Stats,
    durations: BTreeMap<String, Vec<u64>>,
    by_day: BTreeMap<NaiveDate, u64>,
}

impl Tally {
    /// Counts one entry read from a log.
    pub fn entry(&mut self, entry: Entry) {
        let Some(run) = entry.run else {
            self.stats.other += 1;
            return;
        };
        let durations: &[(u64, u64)] = match entry.duration_ms {
            Some(ms) => &[(ms, 1)],
            None => &[],
        };
        self.runs(
            entry.user.as_deref(),
            entry.time.date_naive(),
            &run.name,
            &run.status,
            1,
            durations,
        );
    }

    /// Counts `count` runs of `name` with `status` by `user` on `day`, with
    /// `durations` (each value with how many runs have it).
    pub fn runs(
        &mut self,
        user: Option<&str>,
        day: NaiveDate,
        name: &str,
        status: &str,
        count: u64,
        durations: &[(u64, u64)],
    ) {
        let errors = if is_error(status) { count } else { 0 };
        let stats = &mut self.stats;
        stats.total += count;
        stats.errors += errors;
        *entry(&mut stats.by_status, status) += count;
        if let Some(user) = user {
            *entry(&mut stats.by_user, user) += count;
        }
        *self.by_day.entry(day).or_default() += count;
        if !durations.is_empty() {
            let values = entry(&mut self.durations, name);
            for &(ms, times) in durations {
                values.extend(std::iter::repeat_n(ms, times as usize));
            }
        }
        let named = entry(&mut stats.by_name, name);
        named.count += count;
        named.errors += errors;
    }

    /// Counts `count` foreign entries.
    pub fn other(&mut self, count: u64) {
        self.stats.other += count;
    }

    /// The totals as [`Stats`]: days named, percentiles and the error rate
    /// worked out.
    pub fn finish(self) -> Stats {
        let Self {
            mut stats,
            durations,
            by_day,
        } = self;
        stats.by_day = by_day
            .into_iter()
            .map(|(day, count)| (day.format("%Y-%m-%d").to_string(), count))
            .collect();
        for (name, mut values) in durations {
            values.sort_unstable();
            let named = stats.by_name.entry(name).or_default();
            let sum: u128 = values.iter().map(|&v| u128::from(v)).sum();
            named.avg_ms = Some(sum as f64 / values.len() as f64);
            named.p50_ms = percentile(&values, 50);
            named.p95_ms = percentile(&values, 95);
            named.max_ms = values.last().copied();
        }
        if stats.total > 0 {
            stats.error_rate = stats.errors as f64 / stats.total as f64;
        }
        stats
    }
}

/// `map`'s value for `key`, a default one inserted if there is none; the
/// key is copied only then (a summary adds the same few keys many times).
fn entry<'m, V: Default>(map: &'m mut BTreeMap<String, V>, key: &str) -> &'m mut V {
    if !map.contains_key(key) {
        map.insert(key.to_owned(), V::default());
    }
    map.get_mut(key).expect("just inserted")
}
