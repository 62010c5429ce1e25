//! What `verify` and `adopt` tell people about legacy entries (see
//! the component's `legacy` module), one line each — written once, for the host's command
//! line and the portable component's alike.

/// The legacy entries of one log, as `verify` counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LegacyCount<'a> {
    /// `audit_log.json` for the skill log, else the user's name.
    pub log: &'a str,
    /// Legacy entries before the chain starts.
    pub before_chain: u64,
    /// Every legacy entry in the log.
    pub total: u64,
    /// The `seq` of the adoption entry that covers them and how many it
    /// covers, if the log was adopted.
    pub adopted: Option<(u64, u64)>,
}

/// What `adopt` did for one log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AdoptionDone<'a> {
    /// `audit_log.json` for the skill log, else the user's name.
    pub log: &'a str,
    /// Legacy entries the log holds.
    pub entries: u64,
    /// The time of the first legacy entry, as written.
    pub first_time: Option<&'a str>,
    /// The time of the last, as written.
    pub last_time: Option<&'a str>,
    /// The `seq` of the adoption entry this call wrote, if it wrote one.
    pub sealed_as: Option<u64>,
    /// The `seq` of the adoption entry that covers them, if any.
    pub adopted_at: Option<u64>,
}

/// `1 legacy entry`, `76 legacy entries`.
fn entries(n: u64) -> String {
    if n == 1 {
        "1 legacy entry".to_owned()
    } else {
        format!("{n} legacy entries")
    }
}

/// `audit_log.json: 76 legacy entries (not sealed) before the chain starts`,
/// then how many follow the chain's start and whether an adoption covers
/// them (`, adopted at seq 71: unchanged since`).
pub fn legacy(count: &LegacyCount<'_>) -> String {
    let log = count.log;
    let before = count.before_chain;
    let after = count.total.saturating_sub(before);
    let mut line = match (before, after) {
        (_, 0) => format!(
            "{log}: {} (not sealed) before the chain starts",
            entries(before)
        ),
        (0, _) => format!(
            "{log}: {} (not sealed) after the chain started",
            entries(after)
        ),
        _ => format!(
            "{log}: {} (not sealed) before the chain starts, {after} more after it",
            entries(before)
        ),
    };
    match count.adopted {
        Some((seq, covered)) if covered >= count.total => {
            line.push_str(&format!(", adopted at seq {seq}: unchanged since"));
        }
        Some((seq, covered)) => line.push_str(&format!(
            ", {covered} of them adopted at seq {seq}: unchanged since; {} not adopted yet (auditlog adopt seals them)",
            count.total - covered
        )),
        None => {}
    }
    line
}

/// `audit_log.json line 150: an entry without a seal after the chain started
/// (another writer's): the chain does not vouch for it`.
pub fn unsealed(file: &str, line: u64) -> String {
    format!(
        "{file} line {line}: an entry without a seal after the chain started (another writer's): the chain does not vouch for it"
    )
}

/// What `verify --require-seal` fails with, after `verification failed
/// (--require-seal): `: the first entry without a seal after a chain started
/// (`alice/tool_audit/2025-10-20.jsonl line 7: …`) or, when there is none, the
/// first log whose legacy entries no adoption covers (`alice: 3 legacy
/// entries …`).
pub fn unvouched(first_after_chain: Option<(&str, u64)>, log: &str, count: u64) -> String {
    match first_after_chain {
        Some((file, line)) => format!(
            "{file} line {line}: an entry without a seal after the chain started that no adoption covers; `auditlog adopt` seals it once it is known to be right"
        ),
        None => format!(
            "{log}: {} without a seal that no adoption covers; `auditlog adopt` seals them once they are known to be right",
            entries(count)
        ),
    }
}

/// `… and 7 more entries without a seal`, when a report lists `listed` of
/// `total` unsealed entries; `None` when it lists them all.
pub fn more_unsealed(listed: usize, total: u64) -> Option<String> {
    let more = total.saturating_sub(listed as u64);
    (more > 0).then(|| {
        let noun = if more == 1 { "entry" } else { "entries" };
        format!("… and {more} more {noun} without a seal")
    })
}

/// What `adopt` did for one log: `audit_log.json: adopted 76 legacy entries
/// (2025-09-01T08:00:00+00:00 … 2025-10-20T17:59:59Z) as seq 71`, `alice:
/// nothing new to adopt (120 legacy entries adopted at seq 5)` or `bob: no
/// legacy entries`.
pub fn adoption(done: &AdoptionDone<'_>) -> String {
    match (done.sealed_as, done.adopted_at) {
        (Some(seq), _) => {
            let range = match (done.first_time, done.last_time) {
                (Some(first), Some(last)) if first != last => format!(" ({first} … {last})"),
                (Some(time), _) | (None, Some(time)) => format!(" ({time})"),
                (None, None) => String::new(),
            };
            format!(
                "{}: adopted {}{range} as seq {seq}",
                done.log,
                entries(done.entries)
            )
        }
        (None, Some(seq)) => format!(
            "{}: nothing new to adopt ({} adopted at seq {seq})",
            done.log,
            entries(done.entries)
        ),
        (None, None) => format!("{}: no legacy entries", done.log),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(before_chain: u64, total: u64, adopted: Option<(u64, u64)>) -> String {
        legacy(&LegacyCount {
            log: "audit_log.json",
            before_chain,
            total,
            adopted,
        })
    }

    #[test]
    fn verify_counts_legacy_entries_and_says_whether_an_adoption_covers_them() {
        assert_eq!(
            count(76, 76, None),
            "audit_log.json: 76 legacy entries (not sealed) before the chain starts"
        );
        assert_eq!(
            count(76, 76, Some((71, 76))),
            "audit_log.json: 76 legacy entries (not sealed) before the chain starts, adopted at seq 71: unchanged since"
        );
        assert_eq!(
            count(0, 2, None),
            "audit_log.json: 2 legacy entries (not sealed) after the chain started"
        );
        assert_eq!(
            count(1, 3, Some((4, 2))),
            "audit_log.json: 1 legacy entry (not sealed) before the chain starts, 2 more after it, 2 of them adopted at seq 4: unchanged since; 1 not adopted yet (auditlog adopt seals them)"
        );
    }

    #[test]
    fn unsealed_entries_are_named_by_file_and_line_and_the_rest_counted() {
        assert_eq!(
            unsealed("alice/tool_audit/2025-10-20.jsonl", 4),
            "alice/tool_audit/2025-10-20.jsonl line 4: an entry without a seal after the chain started (another writer's): the chain does not vouch for it"
        );
        assert_eq!(more_unsealed(20, 20), None);
        assert_eq!(
            more_unsealed(20, 21).as_deref(),
            Some("… and 1 more entry without a seal")
        );
        assert_eq!(
            more_unsealed(20, 27).as_deref(),
            Some("… and 7 more entries without a seal")
        );
    }

    #[test]
    fn adopt_says_what_it_sealed_what_was_sealed_before_or_that_there_was_nothing() {
        let done = |sealed_as, adopted_at, first_time, last_time| {
            adoption(&AdoptionDone {
                log: "audit_log.json",
                entries: 76,
                first_time,
                last_time,
                sealed_as,
                adopted_at,
            })
        };
        assert_eq!(
            done(
                Some(71),
                Some(71),
                Some("2025-09-01T08:00:00.000000+00:00"),
                Some("2025-10-20T17:59:59Z")
            ),
            "audit_log.json: adopted 76 legacy entries (2025-09-01T08:00:00.000000+00:00 … 2025-10-20T17:59:59Z) as seq 71"
        );
        assert_eq!(
            done(Some(3), Some(3), Some("2025-09-01"), Some("2025-09-01")),
            "audit_log.json: adopted 76 legacy entries (2025-09-01) as seq 3"
        );
        assert_eq!(
            done(None, Some(71), None, None),
            "audit_log.json: nothing new to adopt (76 legacy entries adopted at seq 71)"
        );
        let none = adoption(&AdoptionDone {
            log: "bob",
            entries: 0,
            first_time: None,
            last_time: None,
            sealed_as: None,
            adopted_at: None,
        });
        assert_eq!(none, "bob: no legacy entries");
    }
}
