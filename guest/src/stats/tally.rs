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
    durations: BTreeMap<String, Durations>,
    by_day: BTreeMap<NaiveDate, u64>,
}

/// The durations of one name's runs, as values with how many runs have
/// each: a summary's count is added as it is, never spelled out one value
/// at a time, and the list is merged whenever it has doubled, so it holds
/// about as many pairs as there are distinct values.
#[derive(Debug, Default)]
struct Durations {
    counted: Vec<(u64, u64)>,
    /// Its length when it was last merged.
    merged: usize,
}

impl Durations {
    /// Pairs added before the list is first merged.
    const FIRST_MERGE: usize = 1024;

    fn add(&mut self, durations: &[(u64, u64)]) {
        self.counted.extend_from_slice(durations);
        if self.counted.len() > Self::FIRST_MERGE.max(2 * self.merged) {
            self.merge();
        }
    }

    /// Sorts the pairs by value, one pair a value.
    fn merge(&mut self) {
        self.counted.sort_unstable_by_key(|&(value, _)| value);
        self.counted.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                kept.1 += later.1;
            }
            same
        });
        self.merged = self.counted.len();
    }
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
            entry(&mut self.durations, name).add(durations);
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
            values.merge();
            let counted = &values.counted;
            let named = stats.by_name.entry(name).or_default();
            let sum: u128 = counted
                .iter()
                .map(|&(v, times)| u128::from(v) * u128::from(times))
                .sum();
            let n: u128 = counted.iter().map(|&(_, times)| u128::from(times)).sum();
            named.avg_ms = Some(sum as f64 / n as f64);
            named.p50_ms = percentile(counted, 50);
            named.p95_ms = percentile(counted, 95);
            named.max_ms = counted.last().map(|&(v, _)| v);
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
