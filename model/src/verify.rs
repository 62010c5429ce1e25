//! What `verify` found: [`VerifyReport`], with where each chain ends
//! ([`LogEnd`]), the logs' legacy entries ([`LegacyEntries`],
//! [`UnsealedEntry`]) and the first [`Problem`]; and the report in
//! `auditlog verify`'s words, which the console shows too.

use crate::legacy_lines::{self, LegacyCount};

/// Where a log's chain ends: its last `seq` and link. Kept outside the log
/// directory, a list of them is the checkpoint the next `verify` compares
/// against.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LogEnd {
    /// `audit_log.json` for the skill log, else the user's name.
    pub log: String,
    /// The last entry's `seq`.
    pub seq: u64,
    /// Its link (`hash` or `mac`), in hex.
    pub link: String,
}

/// The first problem `verify` found.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    /// The file, relative to the log directory.
    pub file: String,
    /// The line, from 1; 0 when it concerns the file as a whole.
    pub line: u64,
    /// The entry's `seq`, if it has one.
    pub seq: Option<u64>,
    /// Why, as a sentence fragment: modified, removed, reordered or
    /// inserted, damaged, unsealed, or cut from the end.
    pub reason: String,
}

/// The legacy entries of one log: entries without auditlog's seal (no `seq`
/// or link), written by another writer. Queries return them as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LegacyEntries {
    /// `audit_log.json` for the skill log, else the user's name.
    pub log: String,
    /// Legacy entries before the chain starts (its first sealed entry),
    /// those retention dropped included.
    pub before_chain: u64,
    /// Every legacy entry in the log, those retention dropped included.
    pub total: u64,
    /// The `seq` of the last adoption entry (`auditlog.adopt`), whose digest
    /// of the legacy entries checked out; `None` if the log was never adopted.
    pub adopted_seq: Option<u64>,
    /// How many legacy entries that adoption covers (0 when none).
    pub adopted_entries: u64,
    /// The time of the first legacy entry still in the log, as written.
    pub first_time: Option<String>,
    /// The time of the last, as written.
    pub last_time: Option<String>,
}

/// A legacy entry after a chain started that no adoption covers: another
/// writer's entry, which the chain does not vouch for.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UnsealedEntry {
    /// The file, relative to the log directory.
    pub file: String,
    /// The line, from 1.
    pub line: u64,
}

/// What `verify` found.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct VerifyReport {
    /// Entries whose links checked out.
    pub entries: u64,
    /// Where each verified log's chain ends: keep them as the next checkpoint.
    pub ends: Vec<LogEnd>,
    /// The logs that hold legacy entries, with their counts.
    pub legacy: Vec<LegacyEntries>,
    /// The first unsealed entries after a chain started (at most
    /// [`MAX_UNSEALED_LISTED`], in log order); `unsealed_total` counts them all.
    pub unsealed: Vec<UnsealedEntry>,
    /// How many unsealed entries after a chain started there are.
    pub unsealed_total: u64,
    /// The first problem; verification stops there.
    pub problem: Option<Problem>,
}

impl VerifyReport {
    /// The sentence `auditlog verify` fails with when the report holds a
    /// problem: where (file, line, seq) and why.
    pub fn failure_line(&self) -> Option<String> {
        let problem = self.problem.as_ref()?;
        let at = match (problem.line, problem.seq) {
            (0, _) => String::new(),
            (line, Some(seq)) => format!(" line {line} (seq {seq})"),
            (line, None) => format!(" line {line}"),
        };
        Some(format!(
            "verification failed: {}{at}: {} ({} before it)",
            problem.file,
            problem.reason,
            verified(self.entries)
        ))
    }

    /// The sentence `auditlog verify` fails with, if it fails: the report's
    /// problem, or with `require_seal` ([`VerifyReport::unvouched_line`])
    /// the entries no seal or adoption vouches for.
    pub fn failure(&self, require_seal: bool) -> Option<String> {
        self.failure_line()
            .or_else(|| require_seal.then(|| self.unvouched_line()).flatten())
    }

    /// The sentence `auditlog verify --require-seal` fails with when a log
    /// holds entries neither a seal nor an adoption vouches for: legacy
    /// entries written after the last adoption, or with none. Once no other
    /// writer may write, such an entry is a forgery until shown otherwise.
    pub fn unvouched_line(&self) -> Option<String> {
        let legacy = self
            .legacy
            .iter()
            .find(|legacy| legacy.total > legacy.adopted_entries)?;
        let first = self
            .unsealed
            .first()
            .map(|entry| (entry.file.as_str(), entry.line));
        Some(format!(
            "verification failed (--require-seal): {}",
            legacy_lines::unvouched(first, &legacy.log, legacy.total - legacy.adopted_entries)
        ))
    }

    /// What a passing `auditlog verify` prints: the count, then one line per
    /// log holding legacy entries and one per unsealed entry listed.
    pub fn passing_lines(&self) -> Vec<String> {
        let mut lines = vec![verified(self.entries)];
        for legacy in &self.legacy {
            lines.push(legacy_lines::legacy(&LegacyCount {
                log: &legacy.log,
                before_chain: legacy.before_chain,
                total: legacy.total,
                adopted: legacy.adopted_seq.map(|seq| (seq, legacy.adopted_entries)),
            }));
        }
        for entry in &self.unsealed {
            lines.push(legacy_lines::unsealed(&entry.file, entry.line));
        }
        lines.extend(legacy_lines::more_unsealed(
            self.unsealed.len(),
            self.unsealed_total,
        ));
        lines
    }

    /// The report in `auditlog verify`'s words: its failure, or its passing
    /// lines.
    pub fn lines(&self) -> Vec<String> {
        self.failure_line()
            .map_or_else(|| self.passing_lines(), |failure| vec![failure])
    }
}

/// `1 entry verified`, `9 entries verified`.
fn verified(entries: u64) -> String {
    let noun = if entries == 1 { "entry" } else { "entries" };
    format!("{entries} {noun} verified")
}

/// How many [`UnsealedEntry`]s a report lists; it counts them all.
pub const MAX_UNSEALED_LISTED: usize = 20;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_passing_report_prints_its_legacy_logs_and_unsealed_entries_after_the_count() {
        let legacy = |log: &str, adopted_seq| LegacyEntries {
            log: log.into(),
            before_chain: 76,
            total: 76,
            adopted_seq,
            adopted_entries: if adopted_seq.is_some() { 76 } else { 0 },
            first_time: Some("2025-09-01T08:00:00.000000+00:00".into()),
            last_time: Some("2025-10-20T17:59:59Z".into()),
        };
        let report = VerifyReport {
            entries: 9,
            ends: Vec::new(),
            legacy: vec![legacy("audit_log.json", None), legacy("alice", Some(71))],
            unsealed: vec![UnsealedEntry {
                file: "audit_log.json".into(),
                line: 150,
            }],
            unsealed_total: 3,
            problem: None,
        };
        assert_eq!(
            report.passing_lines(),
            [
                "9 entries verified",
                "audit_log.json: 76 legacy entries (not sealed) before the chain starts",
                "alice: 76 legacy entries (not sealed) before the chain starts, adopted at seq 71: unchanged since",
                "audit_log.json line 150: an entry without a seal after the chain started (another writer's): the chain does not vouch for it",
                "… and 2 more entries without a seal",
            ]
        );
        let plain = VerifyReport {
            legacy: Vec::new(),
            unsealed: Vec::new(),
            unsealed_total: 0,
            ..report
        };
        assert_eq!(plain.passing_lines(), ["9 entries verified"]);
        let one = VerifyReport {
            entries: 1,
            ..VerifyReport::default()
        };
        assert_eq!(one.passing_lines(), ["1 entry verified"]);
        assert_eq!(plain.lines(), plain.passing_lines());
    }

    #[test]
    fn a_failing_report_says_where_and_why_in_one_line() {
        let report = VerifyReport {
            entries: 6,
            problem: Some(Problem {
                file: "alice/tool_audit/2025-10-23.jsonl".into(),
                line: 7,
                seq: Some(7),
                reason: "follows seq 5: entry 6 was removed".into(),
            }),
            ..VerifyReport::default()
        };
        let expected = "verification failed: alice/tool_audit/2025-10-23.jsonl line 7 (seq 7): \
            follows seq 5: entry 6 was removed (6 entries verified before it)";
        assert_eq!(report.failure_line().as_deref(), Some(expected));
        assert_eq!(report.lines(), [expected]);
    }
}
