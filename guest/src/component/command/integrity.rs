//! The commands about the chain: `verify` (is every entry as written?) and
//! `adopt` (seal the entries another writer left), worded as the host CLI's
//! by [`legacy_lines`] and [`auditlog_model::VerifyReport`].

use auditlog_model::cli::selection::LogsArgs;
use auditlog_model::cli::upkeep::VerifyArgs;

use super::{Failure, LOGS};
use crate::legacy_lines;

/// As the host CLI's `verify` (without `--checkpoint`): the count and the
/// legacy entries on stdout, or the first problem as the failure.
pub(super) fn verify(args: &VerifyArgs) -> Result<(), Failure> {
    let report = LOGS
        .with_borrow(|logs| logs.verify(args.logs.source().as_ref(), &[]))?
        .summary();
    if let Some(message) = report.failure(args.require_seal) {
        return Err(Failure { message });
    }
    for line in report.passing_lines() {
        println!("{line}");
    }
    Ok(())
}

/// As the host CLI's `adopt`: one line per log.
pub(super) fn adopt(args: &LogsArgs) -> Result<(), Failure> {
    let adopted = LOGS.with_borrow_mut(|logs| logs.adopt(args.source().as_ref()))?;
    for done in &adopted {
        println!(
            "{}",
            legacy_lines::adoption(&legacy_lines::AdoptionDone {
                log: &done.log,
                entries: done.entries,
                first_time: done.first_time.as_deref(),
                last_time: done.last_time.as_deref(),
                sealed_as: done.sealed_as,
                adopted_at: done.adopted_at,
            })
        );
    }
    Ok(())
}
