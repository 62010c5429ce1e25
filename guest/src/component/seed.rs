//! The seed script's call answered whole: the export `record-seed`, which
//! the portable command's `record` runs too. The arguments are read by
//! [`SkillRun::from_seed_args`], the answer is built by
//! [`auditlog_model::seed::Answer`].

use auditlog_model::seed::{Answer, Stored};
use serde_json::Value;

use super::LOGS;
use crate::error::AuditError;
use crate::skill_log::SkillRun;

/// Appends the run `args` (the seed's positional arguments) stands for,
/// with the settings in force, and answers as the seed script would;
/// `log_path` is the skill log's path as the caller shows it.
pub(super) fn record(args: &[String], log_path: &str) -> Answer {
    let appended = SkillRun::from_seed_args(args)
        .and_then(|run| LOGS.with_borrow(|logs| logs.append_skill(&run)));
    match appended {
        Ok(receipt) => Answer::stored(Stored {
            entry: serde_json::from_str(&receipt.entry).unwrap_or(Value::Null),
            path: log_path.to_owned(),
            total_entries: receipt.total_entries,
            recovered: receipt.recovered,
            warnings: receipt.warnings,
        }),
        Err(error) => failed(&error, log_path),
    }
}

/// The answer for `error`, naming its field when the input was at fault.
pub(super) fn failed(error: &AuditError, log_path: &str) -> Answer {
    let error = super::refusal(error.clone());
    let field = match &error {
        AuditError::Invalid { field, .. } => Some(field.as_str()),
        _ => None,
    };
    Answer::failed(&error.to_string(), field, log_path)
}
