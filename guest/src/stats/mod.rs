//! Totals over the entries a filter selects: counts by status, name, user and
//! UTC day, error rate, and duration percentiles per name.
//!
//! An error is any status other than `success` (skill log) or `ok` (tool log).
//! Only runs (skill runs, tool calls) are counted as such: a *foreign* entry,
//! one without a name (`skill` or `tool`) or a `status` that another tool
//! wrote into the log, counts in `other` and nowhere else — not in `total`,
//! the errors, the error rate or any `by_` table — so the error rate is over
//! runs only.
//! Percentiles use the nearest-rank method: the p-th percentile of n sorted
//! durations is the value at rank ⌈p/100 · n⌉ (1-based), so it is always one of
//! the recorded durations.

use chrono::{DateTime, Utc};

use crate::chain::Chain;
use crate::day_files;
use crate::error::AuditError;
use crate::newest_first::Match;
use crate::query::{self, Filter, Source};
use crate::storage::Storage;

mod tally;
mod tool_logs;

pub use auditlog_model::Stats;
use tally::Tally;

/// Whether `status` counts as an error.
pub fn is_error(status: &str) -> bool {
    status != "success" && status != "ok"
}

/// The nearest-rank `p`-th percentile of the durations `counted` holds:
/// each distinct value once, ascending, with how many runs have it.
pub fn percentile(counted: &[(u64, u64)], p: u32) -> Option<u64> {
    let n: u128 = counted.iter().map(|&(_, times)| u128::from(times)).sum();
    let rank = (u128::from(p) * n).div_ceil(100).max(1);
    let mut seen = 0;
    counted.iter().find_map(|&(value, times)| {
        seen += u128::from(times);
        (seen >= rank).then_some(value)
    })
}

/// Totals over the entries that pass `filter`, as of `now`. Tool logs are
/// counted from the summaries of their closed files where those check out
/// under `chain` (see [`crate::summary`]), with the same answer as reading
/// every line ([`from_lines`]).
///
/// # Errors
/// As [`query::recent`].
pub fn stats<S: Storage>(
    storage: &S,
    chain: &Chain,
    now: DateTime<Utc>,
    filter: &Filter,
) -> Result<Stats, AuditError> {
    if filter.source == Source::Skills {
        return from_lines(storage, now, filter);
    }
    let matching = Match {
        for_pages: false,
        ..query::matching(filter)?
    };
    let window = query::window(filter, now)?;
    let users = match &filter.source {
        Source::User(user) => {
            crate::entry::read_user(user)?;
            vec![user.clone()]
        }
        _ => day_files::users(storage)?,
    };
    let mut tally = Tally::default();
    for user in users {
        tool_logs::tally_user(storage, chain, &user, window, &matching, &mut tally)?;
    }
    Ok(tally.finish())
}

/// [`stats`] by reading every line in the window, summaries or not.
///
/// # Errors
/// As [`query::recent`].
pub fn from_lines<S: Storage>(
    storage: &S,
    now: DateTime<Utc>,
    filter: &Filter,
) -> Result<Stats, AuditError> {
    let mut tally = Tally::default();
    query::for_each(storage, now, filter, |entry| tally.entry(entry))?;
    Ok(tally.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::Source;
    use crate::settings::Settings;
    use crate::skill_log::{self, SkillRun};
    use crate::storage::fs::FsStorage;
    use crate::tests::append_call;
    use auditlog_model::NameStats;
    use chrono::TimeZone;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 10, day, hour, 0, 0).unwrap()
    }

    /// `filter`'s stats on the 23rd at noon, over a log in the plain chain.
    fn stats_of(storage: &FsStorage, filter: &Filter) -> Stats {
        stats(storage, &Chain::plain(), at(23, 12), filter).unwrap()
    }

    #[test]
    fn nearest_rank_percentiles() {
        let once = |values: &[u64]| values.iter().map(|&v| (v, 1)).collect::<Vec<_>>();
        assert_eq!(percentile(&[], 50), None);
        assert_eq!(percentile(&[(7, 1)], 95), Some(7));
        assert_eq!(percentile(&once(&[1, 2, 3, 4]), 50), Some(2));
        let hundred: Vec<u64> = (1..=100).collect();
        assert_eq!(percentile(&once(&hundred), 50), Some(50));
        assert_eq!(percentile(&once(&hundred), 95), Some(95));
        let twenty: Vec<u64> = (1..=20).map(|v| v * 10).collect();
        assert_eq!(percentile(&once(&twenty), 95), Some(190));
        // Counted values: 1 once, 2 twice, 9 seven times (n = 10).
        let counted = [(1, 1), (2, 2), (9, 7)];
        assert_eq!(percentile(&counted, 10), Some(1));
        assert_eq!(percentile(&counted, 30), Some(2));
        assert_eq!(percentile(&counted, 31), Some(9));
        // A count far past what memory could hold as a list of values.
        assert_eq!(percentile(&[(5, 1 << 40), (6, 1)], 95), Some(5));
    }

    #[test]
    fn skill_stats_match_a_hand_computed_expectation() {
        let dir = tempfile::tempdir().unwrap();
        let storage = FsStorage::new(dir.path());
        let runs = [
            ("build", "success", Some(100), at(21, 9)),
            ("build", "success", Some(300), at(21, 10)),
            ("build", "failed", Some(200), at(22, 9)),
            ("build", "timeout", Some(1000), at(22, 10)),
            ("test", "success", None, at(22, 11)),
            ("test", "failed", Some(50), at(23, 9)),
        ];
        for (skill, status, ms, when) in runs {
            let run = SkillRun {
                skill: skill.into(),
                status: status.into(),
                duration_ms: ms,
                ..Default::default()
            };
            skill_log::append(&storage, &Settings::default(), when, &run).unwrap();
        }
        let stats = stats_of(&storage, &Filter::new(Source::Skills));
        assert_eq!(stats.total, 6);
        assert_eq!(stats.errors, 3);
        assert_eq!(stats.error_rate, 0.5);
        assert_eq!(stats.by_status["success"], 3);
        assert_eq!(stats.by_status["failed"], 2);
        assert_eq!(stats.by_status["timeout"], 1);
        assert_eq!(
            stats.by_name["build"],
            NameStats {
                count: 4,
                errors: 2,
                avg_ms: Some(400.0),
                p50_ms: Some(200),
                p95_ms: Some(1000),
                max_ms: Some(1000),
            }
        );
        assert_eq!(
            stats.by_name["test"],
            NameStats {
                count: 2,
                errors: 1,
                avg_ms: Some(50.0),
                p50_ms: Some(50),
                p95_ms: Some(50),
                max_ms: Some(50),
            }
        );
        assert!(stats.by_user.is_empty());
        let days: Vec<(&str, u64)> = stats.by_day.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        assert_eq!(
            days,
            [("2025-10-21", 2), ("2025-10-22", 3), ("2025-10-23", 1)]
        );
    }

    #[test]
    fn tool_stats_across_users_with_filters() {
        let dir = tempfile::tempdir().unwrap();
        let storage = FsStorage::new(dir.path());
        let calls = [
            ("amy", "read", "ok", at(22, 9)),
            ("amy", "read", "error", at(22, 10)),
            ("bob", "read", "ok", at(23, 9)),
            ("bob", "write", "denied", at(23, 10)),
        ];
        for (user, tool, status, when) in calls {
            append_call(&storage, user, tool, status, when);
        }
        let all = stats_of(&storage, &Filter::new(Source::AllUsers));
        assert_eq!(all.total, 4);
        assert_eq!(all.errors, 2);
        assert_eq!(all.by_user["amy"], 2);
        assert_eq!(all.by_name["read"].count, 3);
        assert_eq!(all.by_name["read"].errors, 1);
        assert_eq!(all.by_name["read"].avg_ms, None);
        let reads_today = stats_of(
            &storage,
            &Filter {
                name: Some("read".into()),
                days: Some(1),
                ..Filter::new(Source::AllUsers)
            },
        );
        assert_eq!(reads_today.total, 1);
        assert_eq!(reads_today.error_rate, 0.0);
        let empty = stats_of(&storage, &Filter::new(Source::User("nobody".into())));
        assert_eq!(empty, Stats::default());
    }

    /// A skill log as the seed script leaves it, with entries another tool
    /// wrote in another schema: `runs` runs (one in `fail_every` failed) and
    /// `foreign` entries without `skill` or `status`, interleaved.
    fn seed_log_with_foreign_entries(
        dir: &std::path::Path,
        runs: u32,
        fail_every: u32,
        foreign: u32,
    ) {
        let mut entries = Vec::new();
        for i in 0..runs {
            let status = if i % fail_every == 0 {
                "failed"
            } else {
                "success"
            };
            entries.push(format!(
                "  {{\n    \"timestamp\": \"2025-10-20T08:{:02}:{:02}.123456+00:00\",\n    \"skill\": \"s{}\",\n    \"status\": \"{status}\",\n    \"duration_ms\": {}\n  }}",
                i / 60,
                i % 60,
                i % 3,
                10 + i
            ));
            if i < foreign {
                // One without `status`, the rest without `skill`: neither is a run.
                let named = if i == 0 { "\"skill\": \"s0\", " } else { "" };
                entries.push(format!(
                    "  {{\"timestamp\": \"2025-10-20T09:00:{i:02}Z\", {named}\"audit_id\": \"a-{i}\", \"agent\": \"registry\", \"action\": \"skill.register\", \"duration_ms\": 99999}}"
                ));
            }
        }
        std::fs::write(
            dir.join(skill_log::LOG_PATH),
            format!("[\n{}\n]\n", entries.join(",\n")),
        )
        .unwrap();
    }

    #[test]
    fn foreign_entries_count_as_other_and_the_error_rate_is_over_runs() {
        let dir = tempfile::tempdir().unwrap();
        let storage = FsStorage::new(dir.path());
        // 74 runs, every fourth failed (19), and 6 foreign entries.
        seed_log_with_foreign_entries(dir.path(), 74, 4, 6);
        // A run we seal after them is a run like the seed's.
        let run = SkillRun {
            skill: "s0".into(),
            status: "failed".into(),
            duration_ms: Some(5),
            ..Default::default()
        };
        skill_log::append(&storage, &Settings::default(), at(21, 9), &run).unwrap();
        let all = stats_of(&storage, &Filter::new(Source::Skills));
        assert_eq!(all.other, 6);
        assert_eq!(all.total, 75);
        assert_eq!(all.errors, 20);
        assert_eq!(all.error_rate, 20.0 / 75.0);
        assert_eq!(all.by_status.values().sum::<u64>(), 75);
        assert!(!all.by_status.contains_key(""));
        assert_eq!(
            all.by_name.keys().collect::<Vec<_>>(),
            ["s0", "s1", "s2"],
            "no empty name"
        );
        assert_eq!(all.by_name.values().map(|n| n.count).sum::<u64>(), 75);
        assert_eq!(
            all.by_day["2025-10-20"], 74,
            "foreign entries are not days' runs"
        );
        assert_eq!(
            all.by_name["s0"].max_ms,
            Some(82),
            "a foreign entry's duration_ms is not a run's"
        );
    }

    #[test]
    fn name_and_status_filters_never_match_a_foreign_entry() {
        let dir = tempfile::tempdir().unwrap();
        let storage = FsStorage::new(dir.path());
        seed_log_with_foreign_entries(dir.path(), 10, 2, 3);
        let filtered = |name: Option<&str>, status: Option<&str>| {
            stats_of(
                &storage,
                &Filter {
                    name: name.map(Into::into),
                    status: status.map(Into::into),
                    ..Filter::new(Source::Skills)
                },
            )
        };
        let everything = filtered(None, None);
        assert_eq!((everything.total, everything.other), (10, 3));
        // s0 runs are i = 0, 3, 6, 9; the foreign entry that names s0 has no status.
        let s0 = filtered(Some("s0"), None);
        assert_eq!((s0.total, s0.other), (4, 0));
        let failed = filtered(None, Some("failed"));
        assert_eq!((failed.total, failed.other), (5, 0));
        let both = filtered(Some("s0"), Some("failed"));
        assert_eq!((both.total, both.errors, both.other), (2, 2, 0));
    }

    #[test]
    fn a_tool_logs_foreign_entries_count_as_other() {
        let dir = tempfile::tempdir().unwrap();
        let storage = FsStorage::new(dir.path());
        append_call(&storage, "amy", "read", "error", at(23, 9));
        let file = dir.path().join("amy/tool_audit/2025-10-23.jsonl");
        let mut text = std::fs::read_to_string(&file).unwrap();
        text.push_str(
            "{\"ts\": \"2025-10-23T10:00:00Z\", \"user\": \"amy\", \"event\": \"login\", \"status\": \"ok\"}\n",
        );
        std::fs::write(&file, text).unwrap();
        let all = stats_of(&storage, &Filter::new(Source::AllUsers));
        assert_eq!((all.total, all.errors, all.other), (1, 1, 1));
        assert_eq!(all.error_rate, 1.0);
        assert_eq!(all.by_user["amy"], 1);
        assert!(!all.by_status.contains_key("ok"));
        let ok = stats_of(
            &storage,
            &Filter {
                status: Some("ok".into()),
                ..Filter::new(Source::AllUsers)
            },
        );
        assert_eq!(ok, Stats::default());
    }
}
