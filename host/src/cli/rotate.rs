//! `auditlog rotate`: apply the rotation policy now.

use auditlog::Rotation;
use auditlog_model::cli::upkeep::RotateArgs;

use super::{Cli, Failure, stdout};

const AFTER_HELP: &str = "\
Applies the rotation policy (see `auditlog config show`) to the tool logs now:
  - gzips closed files when compress is on: a segment once the next one has started,
    a day's last file once that day is two days past (FILE becomes FILE.gz);
  - deletes, oldest first, the files retention no longer keeps: days before the last
    max_days, and beyond max_user_bytes per user (never the file being written).
Days are the UTC days the entries were recorded on, never file times, so running it
again (after a crash, a restart, or twice from cron) deletes nothing more than the
policy says. Each deletion is recorded: the user's tool_audit/.retention file keeps
the seq and link of the last entry deleted, and a tool entry `auditlog.retention`
lists the files, so `auditlog verify` tells them from files deleted by hand.

Appends apply the policy too, for their user, whenever they start a new file; rotate
is for cron, and for logs nobody writes to. Prints one line per file changed, and a
summary on stderr. The skill log keeps its own bound (max_entries) on every append.

Examples:
  auditlog rotate
  auditlog --max-days 30 --compress true rotate --user alice --format json
  crontab: 15 0 * * *  auditlog --dir /var/lib/agent/audit rotate";

/// Apply the rotation policy now: compress closed tool-log files and delete
/// what retention no longer keeps.
#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    /// Which tool logs, and how to report: the portable command's too.
    #[command(flatten)]
    rotate: RotateArgs,
}

pub fn run(cli: &Cli, args: &Args) -> Result<(), Failure> {
    let log = cli.open_existing()?;
    let rotations = log.rotate(Some(&args.rotate.source()))?;
    for line in Rotation::report_lines(&rotations, args.rotate.format == "json") {
        stdout::line(line)?;
    }
    eprintln!("auditlog: {}", Rotation::summary(&rotations));
    Ok(())
}
