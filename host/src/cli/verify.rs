//! `auditlog verify`: check the logs' chains, optionally against a checkpoint.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use auditlog::LogEnd;
use auditlog::input_file::{self, InputError, Kinds, MAX_CHECKPOINT_BYTES};
use serde::{Deserialize, Serialize};

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

/// The checkpoint file: each log's last `seq` and link.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Checkpoint {
    logs: BTreeMap<String, End>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct End {
    seq: u64,
    link: String,
}

pub fn run(cli: &Cli, args: &Args) -> Result<(), Failure> {
    let source = args.verify.logs.source();
    if let Some(path) = &args.checkpoint {
        cli.refuse_inside_log_dir("--checkpoint", path)?;
    }
    let mut checkpoint = match &args.checkpoint {
        Some(path) => read_checkpoint(path)?,
        None => Checkpoint::default(),
    };
    let ends: Vec<LogEnd> = checkpoint
        .logs
        .iter()
        .map(|(log, end)| LogEnd {
            log: log.clone(),
            seq: end.seq,
            link: end.link.clone(),
        })
        .collect();
    let log = cli.open_to_read()?;
    let report = log.verify(source.as_ref(), &ends)?;
    if let Some(failure) = report.failure(args.verify.require_seal) {
        return Err(Failure::other(failure));
    }
    if let Some(path) = &args.checkpoint {
        for end in &report.ends {
            checkpoint.logs.insert(
                end.log.clone(),
                End {
                    seq: end.seq,
                    link: end.link.clone(),
                },
            );
        }
        write_checkpoint(path, &checkpoint)?;
    }
    for line in report.passing_lines() {
        stdout::line(line)?;
    }
    Ok(())
}

/// The checkpoint in `path` (none yet if there is no such file), read as
/// every input file is ([`input_file`]).
fn read_checkpoint(path: &Path) -> Result<Checkpoint, Failure> {
    match input_file::read(path, Kinds::Regular, MAX_CHECKPOINT_BYTES) {
        Err(InputError::Open { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            Ok(Checkpoint::default())
        }
        Err(e) => Err(Failure::input("--checkpoint", e)),
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
            Failure::input(
                "--checkpoint",
                format!("{} is not a checkpoint file: {e}", path.display()),
            )
        }),
    }
}

/// Writes the checkpoint through a temporary file and a rename, so a crash
/// never leaves half a checkpoint. The temporary is a new file under a
/// name nobody could have prepared (a symbolic link or a FIFO put at a
/// fixed `<name>.tmp` in a shared directory would have been written
/// through, or blocked on).
fn write_checkpoint(path: &Path, checkpoint: &Checkpoint) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(checkpoint).expect("a checkpoint always serialises");
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let written = tempfile::NamedTempFile::new_in(dir).and_then(|mut tmp| {
        tmp.write_all(text.as_bytes())?;
        tmp.write_all(b"\n")?;
        tmp.as_file().sync_all()?;
        tmp.persist(path).map(|_| ()).map_err(|e| e.error)
    });
    written.map_err(|e| {
        Failure::other(format!(
            "cannot write the checkpoint {}: {e}",
            path.display()
        ))
    })
}
