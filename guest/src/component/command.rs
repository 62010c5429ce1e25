//! The portable component's command line (`wasi:cli/run`): the `auditlog`
//! CLI's `record`, `tool`, `recent`, `stats`, `verify`, `repair`, `adopt`
//! and `rotate`, with the same arguments and the same output, on the directory
//! the runtime preopened as `/`:
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

use auditlog_model::cli::settings::SettingsArgs;
use clap::{Args, Parser, Subcommand};
use serde_json::{Value, json};

use super::LOGS;
use crate::error::AuditError;
use crate::legacy_lines;
use crate::query::{Query, Source};
use crate::recovery::Recovery;
use crate::rotation::{Rotation, RotationAction};
use crate::settings::SettingsUpdate;
use crate::skill_log;
use crate::tool_log::ToolCall;
use auditlog_model::cli::selection::SelectionArgs;

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
    #[arg(long, global = true, value_name = "WHEN", value_parser = ["never", "batch", "always"])]
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
    Recent(RecentArgs),
    /// Print totals over the entries that pass the filters, as JSON.
    Stats(StatsArgs),
    /// Check that no entry was modified, removed, inserted or reordered.
    Verify(LogsArgs),
    /// Find damaged log files; keep their intact entries and move the rest aside.
    Repair(RepairArgs),
    /// Seal the legacy entries (written by another writer) the logs hold, so
    /// that verify proves them unchanged from now on.
    Adopt(LogsArgs),
    /// Apply the rotation policy now: compress closed tool-log files and
    /// delete what retention no longer keeps.
    Rotate(RotateArgs),
}

#[derive(Debug, Args)]
struct RecordArgs {
    /// The skill's name, e.g. workflow.compose.
    skill: String,
    /// How the run ended: a lowercase word such as success, failed or timeout.
    status: String,
    /// How long the run took, in milliseconds ("" leaves it out).
    #[arg(allow_hyphen_values = true)]
    duration_ms: Option<String>,
    /// Error messages, a JSON array of strings ("" leaves it out).
    #[arg(allow_hyphen_values = true)]
    errors_json: Option<String>,
    /// More context, a JSON object ("" leaves it out).
    #[arg(allow_hyphen_values = true)]
    metadata_json: Option<String>,
    /// Keep at most N entries, dropping the oldest [default: 10000].
    #[arg(long, value_name = "N")]
    max_entries: Option<u32>,
}

#[derive(Debug, Args)]
struct ToolArgs {
    /// The user the tool ran for.
    #[arg(long)]
    user: String,
    /// The tool's name.
    #[arg(long)]
    tool: String,
    /// ok, error or denied.
    #[arg(long)]
    status: String,
    /// The call's arguments, a JSON object.
    #[arg(long, default_value = "{}")]
    args: String,
    /// The tool's result (only its length and first characters are kept).
    #[arg(long, default_value = "")]
    result: String,
    /// Longest string value kept in args, in characters [default: 500].
    #[arg(long, value_name = "N")]
    arg_max_chars: Option<u32>,
    /// Characters of the result kept as result_snippet [default: 300].
    #[arg(long, value_name = "N")]
    snippet_chars: Option<u32>,
}

#[derive(Debug, Args)]
struct RecentArgs {
    #[command(flatten)]
    selection: SelectionArgs,
    /// Most entries to print (1 to 10000).
    #[arg(long, default_value_t = 200)]
    limit: u32,
    /// Continue after the page that printed this cursor.
    #[arg(long)]
    cursor: Option<String>,
    /// Output: json (an array, one entry a line) or jsonl.
    #[arg(long, default_value = "json", value_parser = ["json", "jsonl"])]
    format: String,
}

#[derive(Debug, Args)]
struct StatsArgs {
    #[command(flatten)]
    selection: SelectionArgs,
    /// Output: json.
    #[arg(long, default_value = "json", value_parser = ["json"])]
    format: String,
}

/// Which logs: all of them unless narrowed.
#[derive(Debug, Args)]
struct LogsArgs {
    /// Only the skill log.
    #[arg(long, conflicts_with_all = ["user", "all_users"])]
    skills: bool,
    /// Only this user's tool log.
    #[arg(long, value_name = "USER", conflicts_with = "all_users")]
    user: Option<String>,
    /// Only the users' tool logs.
    #[arg(long)]
    all_users: bool,
}

#[derive(Debug, Args)]
struct RepairArgs {
    #[command(flatten)]
    logs: LogsArgs,
    /// Output: text, one line per repaired file; json, an array of repairs.
    #[arg(long, default_value = "text", value_parser = ["text", "json"])]
    format: String,
}

#[derive(Debug, Args)]
struct RotateArgs {
    /// Only this user's tool log.
    #[arg(long, value_name = "USER", conflicts_with = "all_users")]
    user: Option<String>,
    /// Every user's tool log (the default).
    #[arg(long)]
    all_users: bool,
    /// Output: text, one line per file changed; json, an array of
    /// {"file", "action", "bytes"}.
    #[arg(long, default_value = "text", value_parser = ["text", "json"])]
    format: String,
}

/// Why a command failed: one line for stderr.
struct Failure {
    message: String,
}

impl From<AuditError> for Failure {
    fn from(error: AuditError) -> Self {
        Self {
            message: error.to_string(),
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
            let rendered = e.render().to_string();
            let first = rendered.split("\n\n").next().unwrap_or(&rendered);
            eprintln!(
                "auditlog: {} (see --help)",
                one_line(first.trim().trim_start_matches("error: "))
            );
            return Err(());
        }
    };
    match execute(&cli) {
        Ok(()) => Ok(()),
        Err(failure) => {
            eprintln!("auditlog: {}", one_line(&failure.message));
            Err(())
        }
    }
}

/// `message` on one line, with what a terminal would act on (an argument's
/// ESC, RLO, …) shown escaped.
fn one_line(message: &str) -> String {
    let lines: Vec<&str> = message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    crate::invisible::escape(&lines.join(" ")).into_owned()
}

fn execute(cli: &Cli) -> Result<(), Failure> {
    let mut update = SettingsUpdate {
        sync_data: cli.sync.as_deref().map(|mode| mode != "never"),
        ..cli.settings.update.clone()
    };
    match &cli.command {
        Command::Record(args) => {
            update.max_entries = args.max_entries;
            record(args, &update)
        }
        Command::Tool(args) => {
            update.arg_max_chars = args.arg_max_chars;
            update.snippet_chars = args.snippet_chars;
            configure(&update)?;
            tool(args)
        }
        Command::Recent(args) => {
            configure(&update)?;
            recent(args)
        }
        Command::Stats(args) => {
            configure(&update)?;
            let filter = args.selection.filter()?;
            let stats = LOGS.with_borrow(|logs| logs.stats(&filter))?;
            println!(
                "{}",
                serde_json::to_string_pretty(&stats).expect("stats always serialise")
            );
            Ok(())
        }
        Command::Verify(args) => {
            configure(&update)?;
            verify(args)
        }
        Command::Repair(args) => {
            configure(&update)?;
            let recovered = LOGS.with_borrow(|logs| logs.repair(args.logs.source().as_ref()))?;
            print_repairs(&recovered, &args.format);
            Ok(())
        }
        Command::Adopt(args) => {
            configure(&update)?;
            adopt(args)
        }
        Command::Rotate(args) => {
            configure(&update)?;
            rotate(args)
        }
    }
}

fn configure(update: &SettingsUpdate) -> Result<(), Failure> {
    Ok(LOGS.with_borrow_mut(|logs| logs.configure(update))?)
}

/// As the host CLI's `record`: the seed's response JSON on stdout, its exit
/// status (WASI's success or failure), the answer built by [`super::seed`].
fn record(args: &RecordArgs, update: &SettingsUpdate) -> Result<(), Failure> {
    let path = format!("/{}", skill_log::LOG_PATH);
    let answer = match LOGS.with_borrow_mut(|logs| logs.configure(update)) {
        Ok(()) => super::seed::record(&args.seed_args(), &path),
        Err(error) => super::seed::failed(&error, &path),
    };
    println!("{}", answer.response);
    if answer.exit_code != auditlog_model::seed::EXIT_STORED {
        return Err(Failure {
            message: answer.report.join(" "),
        });
    }
    for line in &answer.report {
        eprintln!("auditlog: {line}");
    }
    Ok(())
}

impl RecordArgs {
    /// The positional arguments, as the seed script takes them.
    fn seed_args(&self) -> Vec<String> {
        let mut args = vec![self.skill.clone(), self.status.clone()];
        let optional = [&self.duration_ms, &self.errors_json, &self.metadata_json];
        args.extend(optional.into_iter().flatten().cloned());
        args
    }
}

fn tool(args: &ToolArgs) -> Result<(), Failure> {
    let call = ToolCall {
        user: args.user.clone(),
        tool: args.tool.clone(),
        args: args.args.clone(),
        status: args.status.clone(),
        output: args.result.clone(),
    };
    let receipt = LOGS.with_borrow(|logs| logs.append_tool(&call))?;
    report(&receipt.recovered, &receipt.warnings);
    println!("{}", receipt.entry);
    Ok(())
}

fn recent(args: &RecentArgs) -> Result<(), Failure> {
    let query = Query {
        filter: args.selection.filter()?,
        limit: Some(args.limit),
        cursor: args.cursor.clone(),
    };
    let page = LOGS.with_borrow(|logs| logs.recent(&query))?;
    let text = match args.format.as_str() {
        "jsonl" => page.entries.iter().map(|e| format!("{e}\n")).collect(),
        _ if page.entries.is_empty() => "[]\n".to_owned(),
        _ => format!("[\n  {}\n]\n", page.entries.join(",\n  ")),
    };
    print!("{text}");
    if let Some(cursor) = page.next_cursor {
        eprintln!("auditlog: more entries match; for the next page add: --cursor {cursor}");
    }
    Ok(())
}

fn verify(args: &LogsArgs) -> Result<(), Failure> {
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
fn adopt(args: &LogsArgs) -> Result<(), Failure> {
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

/// As the host CLI's `rotate`: one line per file changed (or a JSON array)
/// on stdout, a summary on stderr.
fn rotate(args: &RotateArgs) -> Result<(), Failure> {
    let source = match &args.user {
        Some(user) => Source::User(user.clone()),
        None => Source::AllUsers,
    };
    let rotations = LOGS.with_borrow(|logs| logs.rotate(Some(&source)))?;
    if args.format == "json" {
        let list: Vec<Value> = rotations
            .iter()
            .map(|r| json!({ "file": r.file, "action": r.action.name(), "bytes": r.bytes }))
            .collect();
        println!("{}", Value::from(list));
    } else {
        for rotation in &rotations {
            println!(
                "{} {} ({} bytes)",
                rotation.action.name(),
                rotation.file,
                rotation.bytes
            );
        }
    }
    eprintln!("auditlog: {}", rotation_summary(&rotations));
    Ok(())
}

/// `2 files compressed, 1 deleted`, or `nothing to rotate`.
fn rotation_summary(rotations: &[Rotation]) -> String {
    if rotations.is_empty() {
        return "nothing to rotate".to_owned();
    }
    let count = |action| rotations.iter().filter(|r| r.action == action).count();
    let compressed = count(RotationAction::Compressed);
    let files = if compressed == 1 { "file" } else { "files" };
    format!(
        "{compressed} {files} compressed, {} deleted",
        count(RotationAction::Deleted)
    )
}

fn print_repairs(recovered: &[Recovery], format: &str) {
    if format == "json" {
        println!("{}", repairs_json(recovered));
    } else if recovered.is_empty() {
        println!("nothing to repair: every log file is whole");
    } else {
        for recovery in recovered {
            println!("{}", recovery.notice());
        }
    }
}

/// The repairs as a JSON array, each as the seed's response lists it.
fn repairs_json(recovered: &[Recovery]) -> Value {
    json!(
        recovered
            .iter()
            .map(super::seed::repair)
            .collect::<Vec<_>>()
    )
}

fn report(recovered: &[Recovery], warnings: &[String]) {
    for recovery in recovered {
        eprintln!("auditlog: {}", recovery.notice());
    }
    for warning in warnings {
        eprintln!("auditlog: warning: {warning}");
    }
}

impl LogsArgs {
    fn source(&self) -> Option<Source> {
        match (&self.user, self.skills, self.all_users) {
            (Some(user), _, _) => Some(Source::User(user.clone())),
            (None, true, _) => Some(Source::Skills),
            (None, false, true) => Some(Source::AllUsers),
            (None, false, false) => None,
        }
    }
}
