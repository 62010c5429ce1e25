//! `adopt`: sealing the legacy entries a log holds (see [`crate::legacy`]).
//!
//! For each log it is asked about, adopt verifies the log under its writer's
//! lock — a log that fails `verify`, or is damaged, is refused and nothing is
//! written to it — and, unless the last adoption already records exactly the
//! legacy entries there are, appends one adoption entry ([`ADOPT_NAME`]) to
//! the log's own chain, recording their number, the times of the first and
//! last, and their digest. Running it again changes nothing.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::clock;
use crate::day_files;
use crate::entry;
use crate::error::AuditError;
use crate::legacy::Adopted;
use crate::query::Source;
use crate::settings::Settings;
use crate::skill_log;
use crate::storage::Storage;
use crate::tool_log;
use crate::verify::{self, Locking, Problem, Report};

pub use crate::legacy::ADOPT_NAME;
pub use auditlog_model::Adoption;

/// Adopts the legacy entries of the logs `source` names (`None`: the skill
/// log and every user's), one log at a time.
///
/// # Errors
/// [`AuditError::Corrupt`] naming the file, line and reason when a log
/// fails verification or is damaged: every log is checked before any is
/// written, so nothing is written to any; [`AuditError::Storage`] when a
/// write fails, naming the logs adopted before it.
pub fn adopt<S: Storage>(
    storage: &S,
    settings: &Settings,
    now: DateTime<Utc>,
    source: Option<&Source>,
) -> Result<Vec<Adoption>, AuditError> {
    clock::check(now)?;
    let logs = verify::logs_of(storage, source)?;
    // Several logs: one that does not verify stops the call before any is
    // written. Each is checked again under its lock as it is adopted.
    if logs.len() > 1 {
        for log in &logs {
            let label = log.as_deref().unwrap_or(skill_log::LOG_PATH);
            let report = verify::log(storage, &settings.chain, now, log.as_deref(), Locking::Take)?;
            if let Some(problem) = report.problem {
                return Err(not_adopted(label, &problem));
            }
        }
    }
    let mut adoptions: Vec<Adoption> = Vec::new();
    for log in logs {
        match adopt_one(storage, settings, now, log.as_deref()) {
            Ok(adoption) => adoptions.push(adoption),
            Err(e) => {
                let written: Vec<String> = adoptions
                    .iter()
                    .filter_map(|a| Some(format!("{}: adopted as seq {}", a.log, a.sealed_as?)))
                    .collect();
                return Err(e.after_changes(&written));
            }
        }
    }
    Ok(adoptions)
}

/// Adopts the legacy entries of one log: the skill log (`None`) or
/// `user`'s.
///
/// # Errors
/// As [`adopt`].
fn adopt_one<S: Storage>(
    storage: &S,
    settings: &Settings,
    now: DateTime<Utc>,
    log: Option<&str>,
) -> Result<Adoption, AuditError> {
    Ok(match log {
        None => {
            let (receipt, found) = skill_log::append_own(storage, settings, now, || {
                let report = verify::log(storage, &settings.chain, now, None, Locking::Held)?;
                plan(report, skill_log::LOG_PATH, |record| {
                    skill_entry(record, now)
                })
            })?;
            sealed(found, receipt.map(|r| r.entry))
        }
        // A user asked for by name may have no log: nothing to adopt, and
        // no directory made for one.
        Some(user) if storage.list_dir(&day_files::user_dir(user)).is_err() => Adoption {
            log: user.to_owned(),
            ..Adoption::default()
        },
        Some(user) => {
            let (receipt, found) = tool_log::append_own(storage, settings, now, user, || {
                let report = verify::log(storage, &settings.chain, now, Some(user), Locking::Held)?;
                plan(report, user, |record| tool_entry(record, user, now))
            })?;
            sealed(found, receipt.map(|r| r.entry))
        }
    })
}

/// From a log's verification: the adoption entry to write (built by
/// `entry` from its record), if its legacy entries are not adopted yet,
/// and what to report.
///
/// # Errors
/// [`AuditError::Corrupt`] when the log does not verify.
fn plan(
    report: Report,
    log: &str,
    entry: impl FnOnce(&Adopted) -> Map<String, Value>,
) -> Result<(Option<Map<String, Value>>, Adoption), AuditError> {
    if let Some(problem) = report.problem {
        return Err(not_adopted(log, &problem));
    }
    let Some(legacy) = report.legacy.into_iter().next() else {
        return Ok((
            None,
            Adoption {
                log: log.to_owned(),
                ..Adoption::default()
            },
        ));
    };
    let adoption = Adoption {
        log: log.to_owned(),
        entries: legacy.total,
        first_time: legacy.first_time.clone(),
        last_time: legacy.last_time.clone(),
        sealed_as: None,
        adopted_at: legacy.adopted.map(|(seq, _)| seq),
    };
    if legacy
        .adopted
        .is_some_and(|(_, entries)| entries == legacy.total)
    {
        return Ok((None, adoption));
    }
    let record = Adopted {
        legacy_entries: legacy.digest.entries,
        legacy_sha256: legacy.digest.sha256,
        first_time: legacy.first_time,
        last_time: legacy.last_time,
    };
    Ok((Some(entry(&record)), adoption))
}

/// Why `log`, which does not verify (`problem`), is not adopted.
fn not_adopted(log: &str, problem: &Problem) -> AuditError {
    let at = match problem.line {
        0 => String::new(),
        line => format!(" line {line}"),
    };
    AuditError::Corrupt(format!(
        "{log}: nothing adopted: adopt seals only a log that verifies, and {}{at} {}",
        problem.file, problem.reason
    ))
}

/// `found`, with the `seq` of the adoption entry written (`line`), if any.
fn sealed(mut found: Adoption, line: Option<String>) -> Adoption {
    if let Some((seq, _)) = line.as_deref().and_then(|l| entry::seal_of(l.as_bytes())) {
        found.sealed_as = Some(seq);
        found.adopted_at = Some(seq);
    }
    found
}

/// The skill-log entry recording `record`.
fn skill_entry(record: &Adopted, now: DateTime<Utc>) -> Map<String, Value> {
    let mut entry = Map::new();
    entry.insert(
        "timestamp".into(),
        Value::String(clock::skill_timestamp(now)),
    );
    entry.insert("skill".into(), Value::from(ADOPT_NAME));
    entry.insert("status".into(), Value::from("success"));
    entry.insert("metadata".into(), Value::Object(record.fields()));
    entry
}

/// The tool-log entry recording `record` in `user`'s log.
fn tool_entry(record: &Adopted, user: &str, now: DateTime<Utc>) -> Map<String, Value> {
    let notice = format!(
        "adopted {} legacy entries (not sealed when written)",
        record.legacy_entries
    );
    let mut entry = Map::new();
    entry.insert("ts".into(), Value::String(clock::tool_timestamp(now)));
    entry.insert("user".into(), Value::from(user));
    entry.insert("tool".into(), Value::from(ADOPT_NAME));
    entry.insert("args".into(), Value::Object(record.fields()));
    entry.insert("status".into(), Value::from("ok"));
    entry.insert("result_chars".into(), Value::from(notice.chars().count()));
    entry.insert("result_snippet".into(), Value::from(notice));
    entry
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chain::Chain;
    use crate::settings::Rotation;
    use crate::skill_log::SkillRun;
    use crate::storage::fs::FsStorage;
    use crate::tool_log::ToolCall;
    use chrono::TimeZone;
    use std::path::Path;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 10, day, hour, 0, 0).unwrap()
    }

    /// A skill log as the seed's script writes it: pretty-printed, with a
    /// foreign entry and a number beyond 64 bits.
    const SEED_SKILL_LOG: &str = r#"[
  {
    "timestamp": "2025-10-01T08:00:00.123456+00:00",
    "skill": "workflow.compose",
    "status": "success",
    "duration_ms": 1200,
    "metadata": {
      "big": 123456789012345678901234567890,
      "name": "caf\u00e9"
    }
  },
  {
    "timestamp": "2025-10-02T09:00:00Z",
    "audit_id": "a-1",
    "agent": "registry",
    "action": "skill.register"
  },
  {
    "timestamp": "2025-10-03T10:00:00.000Z",
    "skill": "api.validate",
    "status": "failed",
    "errors": ["Step 3 failed"]
  }
]
"#;

    /// The seed script's write: the whole array again, with `entry` last.
    fn old_script_writes(dir: &Path, entry: &str) {
        let path = dir.join(skill_log::LOG_PATH);
        let text = std::fs::read_to_string(&path).unwrap();
        let body = text.trim_end().strip_suffix(']').unwrap().trim_end();
        std::fs::write(&path, format!("{body},\n  {entry}\n]\n")).unwrap();
    }

    fn record(storage: &FsStorage, settings: &Settings, now: DateTime<Utc>, skill: &str) -> String {
        let run = SkillRun {
            skill: skill.into(),
            status: "success".into(),
            ..Default::default()
        };
        skill_log::append(storage, settings, now, &run)
            .unwrap()
            .entry
    }

    fn check(storage: &FsStorage, settings: &Settings, source: Option<&Source>) -> Report {
        verify::verify(storage, &settings.chain, chrono::Utc::now(), source, &[]).unwrap()
    }

    fn problem(report: &Report) -> String {
        let p = report.problem.as_ref().expect("a problem");
        format!("{} line {}: {}", p.file, p.line, p.reason)
    }

    fn seq_of(line: &str) -> u64 {
        entry::seal_of(line.as_bytes()).unwrap().0
    }

    #[test]
    fn a_seed_skill_log_verifies_adopts_and_catches_an_edit_after_adoption() {
        for settings in [
            Settings::default(),
            Settings {
                chain: Chain::keyed(vec![9; 16]),
                ..Settings::default()
            },
        ] {
            let dir = tempfile::tempdir().unwrap();
            let storage = FsStorage::new(dir.path());
            std::fs::write(dir.path().join(skill_log::LOG_PATH), SEED_SKILL_LOG).unwrap();
            let skills = Some(&Source::Skills);
            let report = check(&storage, &settings, skills);
            assert_eq!(report.problem, None);
            assert_eq!(report.legacy[0].before_chain, 3);
            assert_eq!(
                report.legacy[0].first_time.as_deref(),
                Some("2025-10-01T08:00:00.123456+00:00")
            );

            assert_eq!(seq_of(&record(&storage, &settings, at(20, 9), "a")), 1);
            let text = std::fs::read_to_string(dir.path().join(skill_log::LOG_PATH)).unwrap();
            assert!(
                text.contains(r#""big":123456789012345678901234567890,"name":"caf\u00e9""#),
                "each legacy entry keeps its own text:\n{text}"
            );

            let adopted = adopt(&storage, &settings, at(20, 10), skills).unwrap();
            assert_eq!(adopted[0].entries, 3);
            assert_eq!(adopted[0].sealed_as, Some(2));
            let before = std::fs::read(dir.path().join(skill_log::LOG_PATH)).unwrap();
            let again = adopt(&storage, &settings, at(20, 11), skills).unwrap();
            assert_eq!((again[0].sealed_as, again[0].adopted_at), (None, Some(2)));
            assert_eq!(
                std::fs::read(dir.path().join(skill_log::LOG_PATH)).unwrap(),
                before,
                "adopting again writes nothing"
            );
            let report = check(&storage, &settings, skills);
            assert_eq!(report.problem, None);
            assert_eq!(report.legacy[0].adopted, Some((2, 3)));

            let path = dir.path().join(skill_log::LOG_PATH);
            let edited = String::from_utf8(before.clone()).unwrap().replacen(
                r#""status":"failed""#,
                r#""status":"success""#,
                1,
            );
            std::fs::write(&path, &edited).unwrap();
            assert!(
                problem(&check(&storage, &settings, skills))
                    .contains("legacy entries before it do not match the digest"),
                "{}",
                problem(&check(&storage, &settings, skills))
            );
            let removed: String = String::from_utf8(before.clone())
                .unwrap()
                .lines()
                .filter(|line| !line.contains("audit_id"))
                .map(|line| format!("{line}\n"))
                .collect();
            std::fs::write(&path, removed).unwrap();
            assert!(problem(&check(&storage, &settings, skills)).contains("do not match"));
            std::fs::write(&path, &before).unwrap();
            assert_eq!(check(&storage, &settings, skills).problem, None);
        }
    }

    #[test]
    fn the_chain_continues_across_an_old_script_write() {
        let dir = tempfile::tempdir().unwrap();
        let storage = FsStorage::new(dir.path());
        let settings = Settings::default();
        std::fs::write(dir.path().join(skill_log::LOG_PATH), SEED_SKILL_LOG).unwrap();
        record(&storage, &settings, at(20, 9), "a");
        record(&storage, &settings, at(20, 10), "b");
        old_script_writes(
            dir.path(),
            r#"{"timestamp": "2025-10-20T10:30:00.000001+00:00", "skill": "old", "status": "success"}"#,
        );
        assert_eq!(seq_of(&record(&storage, &settings, at(20, 11), "c")), 3);
        let report = check(&storage, &settings, Some(&Source::Skills));
        assert_eq!(report.problem, None);
        assert_eq!(report.entries, 3);
        assert_eq!(report.legacy[0].before_chain, 3);
        assert_eq!(report.legacy[0].total, 4);
        assert_eq!(report.unsealed_total, 1);
        assert_eq!(report.unsealed[0].file, skill_log::LOG_PATH);
        assert_eq!(report.unsealed[0].line, 7);
        let adopted = adopt(&storage, &settings, at(20, 12), None).unwrap();
        assert_eq!((adopted[0].entries, adopted[0].sealed_as), (4, Some(4)));
        let report = check(&storage, &settings, None);
        assert_eq!((report.problem, report.unsealed_total), (None, 0));
    }

    #[test]
    fn a_log_that_does_not_verify_is_not_adopted() {
        let dir = tempfile::tempdir().unwrap();
        let storage = FsStorage::new(dir.path());
        let settings = Settings::default();
        let damaged = SEED_SKILL_LOG.replacen("\"agent\"", "garbage \"agent\"", 1);
        std::fs::write(dir.path().join(skill_log::LOG_PATH), &damaged).unwrap();
        let refused = adopt(&storage, &settings, at(20, 9), None).unwrap_err();
        assert!(refused.to_string().contains("nothing adopted"), "{refused}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join(skill_log::LOG_PATH)).unwrap(),
            damaged
        );
    }

    /// A day file as the seed's `tool_audit.py` writes it.
    fn seed_tool_lines(day: u32, n: u32) -> String {
        (0..n)
            .map(|i| {
                format!(
                    "{{\"ts\": \"2025-10-{day:02}T0{i}:00:00\", \"user\": \"amy\", \"tool\": \"file_read\", \"args\": {{\"path\": \"/tmp/{i}\"}}, \"status\": \"ok\", \"result_chars\": 5, \"result_snippet\": \"hello\"}}\n"
                )
            })
            .collect()
    }

    fn tool(storage: &FsStorage, settings: &Settings, now: DateTime<Utc>) -> String {
        let call = ToolCall {
            user: "amy".into(),
            tool: "search".into(),
            args: "{}".into(),
            status: "ok".into(),
            output: "r".into(),
        };
        tool_log::append(storage, settings, now, &call, &Default::default())
            .unwrap()
            .entry
    }

    #[test]
    fn seed_tool_logs_verify_and_adopt_and_survive_retention() {
        let dir = tempfile::tempdir().unwrap();
        let storage = FsStorage::new(dir.path());
        let audit = dir.path().join("amy/tool_audit");
        std::fs::create_dir_all(&audit).unwrap();
        for day in 1..=3 {
            std::fs::write(
                audit.join(format!("2025-10-{day:02}.jsonl")),
                seed_tool_lines(day, 3),
            )
            .unwrap();
        }
        let settings = Settings {
            chain: Chain::keyed(vec![5; 16]),
            ..Settings::default()
        };
        let report = check(&storage, &settings, None);
        assert_eq!(report.problem, None);
        assert_eq!(report.legacy[0].log, "amy");
        assert_eq!(report.legacy[0].before_chain, 9);
        assert_eq!(seq_of(&tool(&storage, &settings, at(3, 9))), 1);
        // The old writer, still running, appends between two of ours.
        let day3 = audit.join("2025-10-03.jsonl");
        let mut text = std::fs::read_to_string(&day3).unwrap();
        text.push_str(&seed_tool_lines(3, 1).replace("T00:00:00", "T09:30:00"));
        std::fs::write(&day3, text).unwrap();
        assert_eq!(seq_of(&tool(&storage, &settings, at(3, 10))), 2);
        let report = check(&storage, &settings, None);
        assert_eq!(report.problem, None);
        assert_eq!(
            (report.unsealed[0].file.as_str(), report.unsealed[0].line),
            ("amy/tool_audit/2025-10-03.jsonl", 5)
        );

        let adopted = adopt(&storage, &settings, at(3, 11), Some(&Source::AllUsers)).unwrap();
        assert_eq!((adopted[0].entries, adopted[0].sealed_as), (10, Some(3)));

        // Retention deletes legacy days; the adoption still adds up over
        // what is left, then over nothing once its own day goes too.
        let keep_three_days = Settings {
            rotation: Rotation {
                max_days: Some(3),
                ..Rotation::default()
            },
            ..settings.clone()
        };
        tool(&storage, &keep_three_days, at(5, 9));
        assert!(!audit.join("2025-10-02.jsonl").exists());
        assert!(audit.join("2025-10-03.jsonl").exists());
        let report = check(&storage, &settings, None);
        assert_eq!(report.problem, None, "{report:?}");
        assert_eq!(report.legacy[0].adopted, Some((3, 10)));
        assert_eq!(report.legacy[0].total, 10);
        tool(&storage, &keep_three_days, at(6, 9));
        assert!(!audit.join("2025-10-03.jsonl").exists());
        let report = check(&storage, &settings, None);
        assert_eq!(report.problem, None, "{report:?}");
        assert_eq!(report.legacy[0].total, 10);
        assert_eq!(report.unsealed_total, 0);
    }

    #[test]
    fn skill_retention_keeps_the_adoption_checkable() {
        let dir = tempfile::tempdir().unwrap();
        let storage = FsStorage::new(dir.path());
        std::fs::write(dir.path().join(skill_log::LOG_PATH), SEED_SKILL_LOG).unwrap();
        let settings = Settings {
            chain: Chain::keyed(vec![3; 16]),
            ..Settings::default()
        };
        adopt(&storage, &settings, at(20, 9), None).unwrap();
        let small = Settings {
            max_entries: 3,
            ..settings.clone()
        };
        for (i, hour) in (10..16).enumerate() {
            record(&storage, &small, at(20, hour), &format!("s{i}"));
            let report = check(&storage, &settings, Some(&Source::Skills));
            assert_eq!(report.problem, None, "after {i}: {report:?}");
            assert_eq!(report.legacy[0].total, 3);
        }
    }
}
