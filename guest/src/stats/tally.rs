//! [`Tally`]: the totals `stats` adds up, entry by entry (read from lines)
//! or many at once (from a summary), and the [`Stats`] they come to.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use auditlog_model::{MAX_NAMES, NameStats, OTHER_NAMES};

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
        let durations = fold_rare_names(&mut stats.by_name, durations);
        fold_rare_statuses(&mut stats.by_status);
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

/// Keeps the [`MAX_NAMES`] - 1 most frequent names of `by_name` and totals
/// the rest, counts and durations, under [`OTHER_NAMES`] ([`rare_keys`]);
/// returns `durations` keyed the same way.
fn fold_rare_names(
    by_name: &mut BTreeMap<String, NameStats>,
    mut durations: BTreeMap<String, Durations>,
) -> BTreeMap<String, Durations> {
    let rare = rare_keys(by_name, |named| named.count);
    if rare.is_empty() {
        return durations;
    }
    let mut other = NameStats::default();
    let mut other_durations = Durations::default();
    for name in rare {
        let named = by_name.remove(&name).expect("ranked from by_name");
        other.count += named.count;
        other.errors += named.errors;
        if let Some(values) = durations.remove(&name) {
            other_durations.add(&values.counted);
        }
    }
    by_name.insert(OTHER_NAMES.to_owned(), other);
    if !other_durations.counted.is_empty() {
        durations.insert(OTHER_NAMES.to_owned(), other_durations);
    }
    durations
}

/// Keeps the [`MAX_NAMES`] - 1 most frequent statuses of `by_status` and
/// totals the rest under [`OTHER_NAMES`] ([`rare_keys`]): a skill's status
/// is any short lowercase word, and a legacy entry's anything, so a window
/// may hold as many statuses as entries. No status written today contains
/// a `.`, so none is taken for the total.
fn fold_rare_statuses(by_status: &mut BTreeMap<String, u64>) {
    let rare = rare_keys(by_status, |&count| count);
    if rare.is_empty() {
        return;
    }
    let other: u64 = rare
        .iter()
        .map(|status| by_status.remove(status).expect("ranked from by_status"))
        .sum();
    *by_status.entry(OTHER_NAMES.to_owned()).or_default() += other;
}

/// The keys of `map` beyond its [`MAX_NAMES`] - 1 most frequent (by
/// `count`, ties by key), when it has more than [`MAX_NAMES`]; else none.
/// The one rule that keeps a `stats` answer small. A key spelt
/// [`OTHER_NAMES`] already (a legacy entry's name or status: no write
/// gives one) is always among them, so that its runs are added to the
/// total rather than overwritten by it.
fn rare_keys<V>(map: &BTreeMap<String, V>, count: impl Fn(&V) -> u64) -> Vec<String> {
    if map.len() <= MAX_NAMES {
        return Vec::new();
    }
    let mut ranked: Vec<(u64, &String)> = map
        .iter()
        .filter(|(key, _)| *key != OTHER_NAMES)
        .map(|(key, v)| (count(v), key))
        .collect();
    ranked.sort_unstable_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    let mut rare: Vec<String> = ranked
        .split_off(MAX_NAMES - 1)
        .into_iter()
        .map(|(_, key)| key.clone())
        .collect();
    if map.contains_key(OTHER_NAMES) {
        rare.push(OTHER_NAMES.to_owned());
    }
    rare
}

/// `map`'s value for `key`, a default one inserted if there is none; the
/// key is copied only then (a summary adds the same few keys many times).
fn entry<'m, V: Default>(map: &'m mut BTreeMap<String, V>, key: &str) -> &'m mut V {
    if !map.contains_key(key) {
        map.insert(key.to_owned(), V::default());
    }
    map.get_mut(key).expect("just inserted")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The attack: a prompt makes the agent call 1,500 made-up tools, each
    /// denied and logged, beside two real ones.
    #[test]
    fn names_beyond_the_most_frequent_are_totalled_in_one_entry() {
        let day = NaiveDate::from_ymd_opt(2025, 10, 23).unwrap();
        let mut tally = Tally::default();
        tally.runs(Some("amy"), day, "file_read", "ok", 5_000, &[(20, 5_000)]);
        tally.runs(Some("amy"), day, "shell", "error", 3_000, &[(900, 3_000)]);
        for i in 0..1_500_u64 {
            let name = format!("made_up_{i:04}");
            tally.runs(Some("amy"), day, &name, "denied", 1 + i % 3, &[(i, 1)]);
        }
        let stats = tally.finish();
        assert_eq!(stats.by_name.len(), MAX_NAMES);
        assert_eq!(stats.by_name["file_read"].count, 5_000);
        assert_eq!(stats.by_name["shell"].p95_ms, Some(900));
        let counted: u64 = stats.by_name.values().map(|n| n.count).sum();
        assert_eq!(counted, stats.total, "every run is counted once");
        let errors: u64 = stats.by_name.values().map(|n| n.errors).sum();
        assert_eq!(errors, stats.errors);
        // Made-up names count 1, 2 or 3 runs, 500 of each. Kept: the two real
        // tools, the 500 with 3 and the first 497 with 2 (ties by name);
        // totalled: the other 3 with 2 and the 500 with 1.
        let made_up = |count| {
            stats
                .by_name
                .iter()
                .filter(|(name, n)| name.starts_with("made_up_") && n.count == count)
                .count()
        };
        assert_eq!((made_up(3), made_up(2), made_up(1)), (500, 497, 0));
        let other = &stats.by_name[OTHER_NAMES];
        assert_eq!((other.count, other.errors), (3 * 2 + 500, 506));
        assert!(other.max_ms.is_some_and(|ms| ms < 1_500));
    }

    /// The same attack through statuses: a skill reports a new lowercase
    /// word as its status on every run.
    #[test]
    fn statuses_beyond_the_most_frequent_are_totalled_in_one_entry() {
        let day = NaiveDate::from_ymd_opt(2025, 10, 23).unwrap();
        let mut tally = Tally::default();
        tally.runs(None, day, "deploy", "success", 4_000, &[]);
        tally.runs(None, day, "deploy", "failed", 1_000, &[]);
        for i in 0..3_000_u64 {
            tally.runs(
                None,
                day,
                "deploy",
                &format!("made_up_{i:04}"),
                1 + i % 2,
                &[],
            );
        }
        let stats = tally.finish();
        assert_eq!(stats.by_status.len(), MAX_NAMES);
        assert_eq!(stats.by_status["success"], 4_000);
        assert_eq!(stats.by_status["failed"], 1_000);
        assert_eq!(stats.by_status.values().sum::<u64>(), stats.total);
        // 1,500 made-up statuses count 2 runs and 1,500 count 1: 997 of the
        // twos are kept, the other 503 twos and every one are totalled.
        assert_eq!(stats.by_status[OTHER_NAMES], 503 * 2 + 1_500);
        assert_eq!(stats.by_name["deploy"].count, stats.total);
    }

    /// A legacy skill named `auditlog.other` (no write takes the name, but
    /// adopted entries keep theirs) with more runs than any other: its runs
    /// are in the total, not overwritten by it, and nothing is lost.
    #[test]
    fn a_legacy_name_spelt_like_the_total_is_added_to_it() {
        let day = NaiveDate::from_ymd_opt(2025, 10, 23).unwrap();
        let mut tally = Tally::default();
        tally.runs(None, day, OTHER_NAMES, OTHER_NAMES, 5_000, &[(7, 5_000)]);
        for i in 0..1_200_u64 {
            tally.runs(None, day, &format!("s{i:04}"), "success", 1, &[]);
        }
        let stats = tally.finish();
        assert_eq!(stats.by_name.len(), MAX_NAMES);
        let counted: u64 = stats.by_name.values().map(|n| n.count).sum();
        assert_eq!(counted, stats.total);
        assert_eq!(stats.by_name[OTHER_NAMES].count, 5_000 + 1_200 - 999);
        assert_eq!(stats.by_name[OTHER_NAMES].max_ms, Some(7));
        assert_eq!(stats.by_status.values().sum::<u64>(), stats.total);
    }

    #[test]
    fn up_to_the_cap_every_name_and_status_is_listed_as_itself() {
        let day = NaiveDate::from_ymd_opt(2025, 10, 23).unwrap();
        let mut tally = Tally::default();
        for i in 0..MAX_NAMES {
            tally.runs(None, day, &format!("t{i}"), &format!("s{i}"), 1, &[]);
        }
        let stats = tally.finish();
        assert_eq!(stats.by_name.len(), MAX_NAMES);
        assert!(!stats.by_name.contains_key(OTHER_NAMES));
        assert_eq!(stats.by_status.len(), MAX_NAMES);
        assert!(!stats.by_status.contains_key(OTHER_NAMES));
    }
}
