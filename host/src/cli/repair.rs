//! `auditlog repair`: find damaged log files and mend them.

use auditlog::Recovery;
use auditlog_model::cli::upkeep::RepairArgs;

use super::{Cli, Failure, stdout};

const AFTER_HELP: &str = "\
A writer stopped mid-write (a crash, kill -9, a full disk), a disk that lost
blocks or an editor can damage a log file. repair reads every file of the chosen
logs in full and, for each damaged one:
  - keeps every intact entry, in order;
  - moves the bytes that are not entries, exactly as they were, into a hidden
    file in its folder, named without .json/.jsonl so that log globs such as
    */tool_audit/*.jsonl* or audit_log.json* do not reach it:
    .damaged.audit_log.1, alice/tool_audit/.damaged.2025-10-23.1, ...;
  - records the repair as an entry in the log (skill or tool `auditlog.recovery`,
    status `recovered`), linked into the chain like any other entry.
A log is never started over empty. Appends already repair damage at the end of
the file they write (a torn last entry); repair also finds damage in the middle.

Prints one line per repaired file, or that there was nothing to repair.

Examples:
  auditlog repair
  auditlog repair --user alice --format json";

/// Find damaged log files; keep their intact entries and move the rest aside.
#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    /// Which logs, and how to report: the portable command's too.
    #[command(flatten)]
    repair: RepairArgs,
}

pub fn run(cli: &Cli, args: &Args) -> Result<(), Failure> {
    let log = cli.open_existing()?;
    let recovered = log.repair(args.repair.logs.source().as_ref())?;
    for line in Recovery::report_lines(&recovered, args.repair.format == "json") {
        stdout::line(line)?;
    }
    Ok(())
}

/// Tells the person at the terminal about repairs an append made first,
/// and housekeeping after it that did not get done (the entry is stored).
pub fn report(recovered: &[Recovery], warnings: &[String]) {
    for recovery in recovered {
        eprintln!("auditlog: {}", recovery.notice());
    }
    for warning in warnings {
        eprintln!("auditlog: warning: {warning}");
    }
}
