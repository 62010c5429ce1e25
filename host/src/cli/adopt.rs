//! `auditlog adopt`: seal the legacy entries other writers left in the logs.

use auditlog::Adoption;
use auditlog_model::legacy_lines::{self, AdoptionDone};

use super::{Cli, Failure, stdout};
use auditlog_model::cli::selection::LogsArgs;

const AFTER_HELP: &str = "\
A log that another writer started — audit_log.py's audit_log.json, tool_audit.py's
day files — holds legacy entries: entries without `seq` and a link. Queries return
them as they are, and verify counts them, but nothing proves they are unchanged.
adopt seals them: for each log, one entry in its own chain (skill or tool
`auditlog.adopt`) records how many legacy entries the log holds (`legacy_entries`),
the time of the first and last (`first_time`, `last_time`) and a SHA-256 digest of
their exact bytes (`legacy_sha256`), in its `metadata` (skill log) or `args` (tool
log). From then on verify also checks that the adopted entries were not changed,
removed or reordered.

It is safe to run again: a log whose last adoption covers exactly the legacy
entries it holds gets nothing written. A damaged log is refused and left as it was,
the message naming the file: run `auditlog repair` first. So is a log that fails
verify for another reason (an edited entry): `auditlog verify` names it.

In a migration, run it once the old script has written its last entry; if the old
script kept writing after all, running adopt again later adopts what it wrote since.

Prints one line per log: what it adopted, that there was nothing new to adopt, or
that the log holds no legacy entries.

Examples:
  auditlog adopt
  auditlog adopt --skills
  auditlog adopt --user alice";

/// Seal the legacy entries (written by another writer) the logs hold, so that
/// verify proves them unchanged from now on.
#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    #[command(flatten)]
    logs: LogsArgs,
}

pub fn run(cli: &Cli, args: &Args) -> Result<(), Failure> {
    let log = cli.open_existing()?;
    for adoption in log.adopt(args.logs.source().as_ref())? {
        stdout::line(line(&adoption))?;
    }
    Ok(())
}

/// What adopt did for one log, in a line.
fn line(adoption: &Adoption) -> String {
    legacy_lines::adoption(&AdoptionDone {
        log: &adoption.log,
        entries: adoption.entries,
        first_time: adoption.first_time.as_deref(),
        last_time: adoption.last_time.as_deref(),
        sealed_as: adoption.sealed_as,
        adopted_at: adoption.adopted_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_field_of_an_adoption_reaches_its_line() {
        let adoption = Adoption {
            log: "alice".into(),
            entries: 3,
            first_time: Some("2025-10-20T09:00:00".into()),
            last_time: Some("2025-10-20T09:02:00".into()),
            sealed_as: Some(7),
            adopted_at: Some(7),
        };
        assert_eq!(
            line(&adoption),
            "alice: adopted 3 legacy entries (2025-10-20T09:00:00 … 2025-10-20T09:02:00) as seq 7"
        );
        let again = Adoption {
            sealed_as: None,
            ..adoption
        };
        assert_eq!(
            line(&again),
            "alice: nothing new to adopt (3 legacy entries adopted at seq 7)"
        );
    }
}
