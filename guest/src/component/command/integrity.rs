//! The commands about the chain: `verify` (is every entry as written?) and
//! `adopt` (seal the entries another writer left), worded as the host CLI's
//! by [`legacy_lines`].

use auditlog_model::cli::selection::LogsArgs;

use super::{Failure, LOGS};
use crate::legacy_lines;

/// As the host CLI's `verify` (without `--checkpoint`): the count and the
/// legacy entries on stdout, or the first problem as the failure.
pub(super) fn verify(args: &LogsArgs) -> Result<(), Failure> {
    let report = LOGS.with_borrow(|logs| logs.verify(args.source().as_ref(), &[]))?;
    if let Some(problem) = report.problem {
        let at = match (problem.line, problem.seq) {
            (0, _) => String::new(),
            (line, Some(seq)) => format!(" line {line} (seq {seq})"),
            (line, None) => format!(" line {line}"),
        };
        return Err(Failure {
            message: format!(
                "verification failed: {}{at}: {} ({} entries verified before it)",
                problem.file, problem.reason, report.entries
            ),
        });
    }
    println!("{} entries verified", report.entries);
    for legacy in &report.legacy {
        println!(
            "{}",
            legacy_lines::legacy(&legacy_lines::LegacyCount {
                log: &legacy.log,
                before_chain: legacy.before_chain,
                total: legacy.total,
                adopted: legacy.adopted,
            })
        );
    }
    for entry in &report.unsealed {
        println!("{}", legacy_lines::unsealed(&entry.file, entry.line));
    }
    if let Some(more) = legacy_lines::more_unsealed(report.unsealed.len(), report.unsealed_total) {
        println!("{more}");
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
