//! The portable component's command line (`wasi:cli/run`): the `auditlog`
//! CLI's `record`, `tool`, `recent`, `stats`, `verify`, `repair`, `adopt`
//! and `rotate`, with the same arguments (defined once, in
//! `auditlog_model::cli`) and the same output, on the directory the runtime
//! preopened as `/`:
//!
//! ```text
//! wasmtime run --dir ./audit::/ auditlog-portable.wasm record workflow.validate success 150
//! ```
//!
//! What needs more than WASI is left out: `--format table|csv` (use the host
//! CLI), `--key-file`, `serve` and `bench`. WASI 0.2 only knows success and
//! failure, so every failure exits with status 1; the message on stderr
//! names the field as the host CLI's does.
//!
//! The rotation policy comes from the flags alone (`--max-file-bytes`,
//! `--max-days`, `--max-user-bytes`, `--compress`): the component does not
//! read `auditlog.toml` (that would put a TOML parser in every build of the
//! component for one command), nor the `AUDITLOG_*` environment variables,
//! and has no `config show`.

mod integrity;
mod read;
mod upkeep;
mod write;

use auditlog_model::cli::message;
use auditlog_model::cli::selection::LogsArgs;
use auditlog_model::cli::settings::{SYNC_VALUES, SettingsArgs};
use auditlog_model::cli::upkeep::{RepairArgs, RotateArgs, VerifyArgs};
use auditlog_model::cli::write::{RecordArgs, ToolArgs};
use clap::{Parser, Subcommand};

use super::{LOGS, seed};
use crate::error::AuditError;
use crate::settings::SettingsUpdate;

/// The `auditlog` command line, inside the component.
#[derive(Debug, Parser)]
#[command(
    name = "auditlog",
    version,
    about = "Audit logs for skill runs and tool calls: the portable auditlog component.",
    after_help = "The log directory is the one the runtime preopens as `/`:\n  \
                  wasmtime run --dir ./audit::/ auditlog-portable.wasm recent --skills"
)]
struct Cli {
    /// The settings flags both command lines share.
    #[command(flatten)]
    settings: SettingsArgs,
    /// Flush entries to disk: never, or always (batch is always here: one
    /// process writes one entry) [default: never].
    #[arg(long, global = true, value_name = "WHEN", value_parser = SYNC_VALUES)]
    sync: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Record one skill run in audit_log.json and print the seed's response JSON.
    Record(RecordArgs),
    /// Record one tool call in USER/tool_audit/YYYY-MM-DD.jsonl and print the entry.
    Tool(ToolArgs),
    /// Print the newest entries that pass the filters, newest first.
    Recent(read::Recent),
    /// Print totals over the entries that pass the filters, as JSON.
    Stats(read::Stats),
    /// Check that no entry was modified, removed, inserted or reordered.
    Verify(VerifyArgs),
    /// Find damaged log files; keep their intact entries and move the rest aside.
    Repair(RepairArgs),
    /// Seal the legacy entries (written by another writer) the logs hold, so
    /// that verify proves them unchanged from now on.
    Adopt(LogsArgs),
    /// Apply the rotation policy now: compress closed tool-log files and
    /// delete what retention no longer keeps.
    Rotate(RotateArgs),
}

/// Why a command failed: one line for stderr.
struct Failure {
    message: String,
}

impl From<AuditError> for Failure {
    fn from(error: AuditError) -> Self {
        Self {
            message: super::refusal(error).to_string(),
        }
    }
}

/// Runs the command line in the component's arguments.
pub fn run() -> Result<(), ()> {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            print!("{e}");
            return Ok(());
        }
        Err(e) => {
            eprintln!("{}", message::refusal_line(&e));
            return Err(());
        }
    };
    execute(&cli).map_err(|failure| {
        eprintln!("{}", message::failure_line(&failure.message));
    })
}

fn execute(cli: &Cli) -> Result<(), Failure> {
    let mut update = SettingsUpdate {
        sync_data: cli.sync.as_deref().map(|mode| mode != "never"),
        ..cli.settings.update.clone()
    };
    match &cli.command {
        Command::Record(args) => {
            update.max_entries = args.max_entries;
            write::record(args, &update)
        }
        Command::Tool(args) => {
            update.arg_max_chars = args.arg_max_chars;
            update.snippet_chars = args.snippet_chars;
            configure(&update)?;
            write::tool(args)
        }
        Command::Recent(args) => {
            configure(&update)?;
            read::recent(args)
        }
        Command::Stats(args) => {
            configure(&update)?;
            read::stats(args)
        }
        Command::Verify(args) => {
            configure(&update)?;
            integrity::verify(args)
        }
        Command::Repair(args) => {
            configure(&update)?;
            upkeep::repair(args)
        }
        Command::Adopt(args) => {
            configure(&update)?;
            integrity::adopt(args)
        }
        Command::Rotate(args) => {
            configure(&update)?;
            upkeep::rotate(args)
        }
    }
}

/// Applies the settings the flags give, before a command runs.
fn configure(update: &SettingsUpdate) -> Result<(), Failure> {
    Ok(LOGS.with_borrow_mut(|logs| logs.configure(update))?)
}
