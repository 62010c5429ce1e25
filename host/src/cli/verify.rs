//! `auditlog verify`: check the logs' chains, optionally against a checkpoint.

use std::path::PathBuf;

use auditlog::checkpoint_file;

use super::{Cli, Failure, stdout};
use auditlog_model::cli::upkeep::VerifyArgs;

const AFTER_HELP: &str = "\
Every entry carries `seq` and a link to the entry before it: `hash` (SHA-256), or
`mac` (HMAC-SHA-256) when the logs are written with --key-file. verify recomputes
every link and prints `N entries verified` (exit 0), or names the file, the line and
the first bad entry and why (exit 1): modified, removed, reordered or inserted,
damaged, cut from the end, or moved (a tool entry whose `user` is not its
directory's, or whose `ts` is not on its file's UTC day). A line that `recent` and
`stats` would skip (a repeated key, a time that does not parse, no status) fails
verify too: when verify passes, every entry it verified is one the queries return.
A damaged file (a torn entry after a crash, bytes lost or garbage) is mended by
`auditlog repair`.

Legacy entries — entries without `seq` and a link, written by another writer such
as the seed scripts audit_log.py and tool_audit.py — are not errors. After the
count, verify prints one line per log that holds them:
  audit_log.json: 76 legacy entries (not sealed) before the chain starts
and checks every sealed entry after them. Once `auditlog adopt` has sealed them,
the line ends `, adopted at seq 71: unchanged since`: verify then also checks
that the adopted entries were not changed, removed or reordered, and fails naming
the log if they were. An entry without a seal *after* a chain started (the old
script still writing during a migration) is named by file and line:
  audit_log.json line 150: an entry without a seal after the chain started (another
  writer's): the chain does not vouch for it
(the first 20; `… and N more entries without a seal` counts the rest), and the
chain continues across it by `seq`. These lines leave the exit status 0 — unless
--require-seal says no other writer may write any more: then an entry without a
seal that no adoption covers fails verify, naming its log.

Entries cut from the end, and a whole log deleted, leave nothing to check. To
notice them, keep a checkpoint outside the log directory: verify --checkpoint FILE
checks that every log FILE names still exists and reaches the end recorded there,
then records the new ends (a failed verify leaves FILE as it was). To retire a
user's log on purpose, delete its entry from FILE.

Examples:
  auditlog verify
  auditlog --key-file /etc/auditlog/chain.key \\
      verify --checkpoint /var/lib/auditlog/checkpoint.json
  auditlog verify --user alice
  auditlog verify --require-seal      # once the old scripts are retired";

/// Check that no entry was modified, removed, inserted or reordered.
#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    #[command(flatten)]
    verify: VerifyArgs,
    /// A file outside the log directory holding where each log ended last
    /// time; checked, then updated.
    #[arg(long, value_name = "FILE")]
    checkpoint: Option<PathBuf>,
}

pub fn run(cli: &Cli, args: &Args) -> Result<(), Failure> {
    let source = args.verify.logs.source();
    if let Some(path) = &args.checkpoint {
        cli.refuse_inside_log_dir("--checkpoint", path)?;
    }
    let ends = match &args.checkpoint {
        Some(path) => checkpoint_file::read(path).map_err(|e| Failure::input("--checkpoint", e))?,
        None => Vec::new(),
    };
    let log = cli.open_to_read()?;
    let report = log.verify(source.as_ref(), &ends)?;
    if let Some(failure) = report.failure(args.verify.require_seal) {
        return Err(Failure::other(failure));
    }
    if let Some(path) = &args.checkpoint {
        checkpoint_file::write(path, &ends, &report.ends)
            .map_err(|e| Failure::other(e.to_string()))?;
    }
    for line in report.passing_lines() {
        stdout::line(line)?;
    }
    Ok(())
}
