//! The command line: argument definitions and dispatch.

mod adopt;
mod config;
mod generate;
mod log_dir;
mod recent;
mod record;
mod refusal;
mod repair;
mod rotate;
mod run_skill;
mod serve;
mod stats;
mod stdout;
mod table;
mod tool;
mod verify;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use auditlog::input_file::{self, Kinds, MAX_COMPONENT_BYTES};
use auditlog::{AuditLog, AuditLogBuilder, Error, Runtime, SettingsUpdate, SyncMode};
use auditlog_model::cli::settings as settings_flags;
use auditlog_model::cli::{Utf8Text, message};
use auditlog_model::invisible;
use clap::parser::ValueSource;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

const ABOUT: &str =
    "Audit logs for skill runs and tool calls, written by one sandboxed WebAssembly component.";

const LONG_ABOUT: &str = "\
Audit logs for skill runs and tool calls, written by one sandboxed WebAssembly component.

Two logs live in the log directory (--dir):
  audit_log.json                        skill runs: a JSON array, newest last, at most
                                        10,000 entries (see `record --max-entries`)
  USER/tool_audit/YYYY-MM-DD.jsonl      tool calls: one JSON object a line, a file per
                                        user per UTC day (YYYY-MM-DD.1.jsonl, .2, ...
                                        past --max-file-bytes; .gz once compressed)

The rotation policy (--max-file-bytes, --max-days, --max-user-bytes, --compress,
and the skill log's max_entries) is read from DIR/auditlog.toml when it exists; the
flags override it. `auditlog config show` prints the policy in force.

All validation, truncation, formatting and rotation happens inside the component,
which can reach nothing but that directory.";

const AFTER_HELP: &str = "\
Examples:
  auditlog record workflow.compose failed 5000 '[\"Step 3 failed\"]' '{\"steps\": 5}'
  auditlog tool --user alice --tool file_read --status ok --args '{\"path\": \"a.txt\"}'
  auditlog recent --all-users --limit 20 --format table
  auditlog --max-days 30 --compress true rotate

Exit status: 0 on success, 2 when an input is refused (the message names the field),
1 on any other failure.";

/// The `auditlog` command line.
#[derive(Debug, Parser)]
#[command(name = "auditlog", version, about = ABOUT, long_about = LONG_ABOUT, after_help = AFTER_HELP)]
struct Cli {
    /// The log directory; writes create it if missing, reads refuse a missing one.
    #[arg(
        long,
        global = true,
        env = "AUDITLOG_DIR",
        hide_env_values = true,
        default_value = "./audit",
        value_name = "DIR",
        help_heading = "Global options"
    )]
    dir: PathBuf,

    /// Run this component file instead of the built-in one.
    #[arg(
        long,
        global = true,
        value_name = "PATH",
        help_heading = "Global options"
    )]
    component: Option<PathBuf>,

    /// Stop a call into the component that runs longer than this many
    /// milliseconds [default: 30000].
    #[arg(
        long,
        global = true,
        value_name = "MS",
        value_parser = clap::value_parser!(u64).range(1..),
        help_heading = "Global options"
    )]
    timeout_ms: Option<u64>,

    /// Stop a call that grows the component's memory beyond this many MiB
    /// [default: 256].
    #[arg(
        long,
        global = true,
        value_name = "MIB",
        value_parser = clap::value_parser!(u64).range(1..=4096),
        help_heading = "Global options"
    )]
    memory_limit_mb: Option<u64>,

    /// Link entries with HMAC-SHA-256 under the key in this file (at least 16
    /// bytes besides surrounding whitespace; outside the log directory, not
    /// reached through a symbolic link or hard link there; not readable by
    /// every user: `chmod 600`). Use the same key to verify; a keyed log
    /// refuses writes without it.
    #[arg(
        long,
        global = true,
        env = "AUDITLOG_KEY_FILE",
        hide_env_values = true,
        value_name = "FILE",
        help_heading = "Global options"
    )]
    key_file: Option<PathBuf>,

    /// The settings flags both command lines share (`--redact-key`,
    /// `--max-entry-bytes` and the rotation flags).
    #[command(flatten)]
    settings: GlobalSettings,

    /// When appended entries are flushed to disk: `never` (the OS writes them
    /// back; an acknowledged entry survives a crash of the writer but not a
    /// power loss), `batch` (one fdatasync shared by concurrent writers
    /// before they return), `always` (one fdatasync per entry) [default: never].
    #[arg(
        long,
        global = true,
        env = "AUDITLOG_SYNC",
        hide_env_values = true,
        value_name = "WHEN",
        value_parser = sync_mode_parser(),
        help_heading = "Global options"
    )]
    sync: Option<SyncMode>,

    /// The options whose value came from the environment rather than the
    /// command line (their argument ids: `max_days`, `key_file`, ...).
    #[arg(skip)]
    from_env: Vec<&'static str>,

    #[command(subcommand)]
    command: Command,
}

/// The help heading of the rotation options.
const ROTATION: &str = "Rotation (override DIR/auditlog.toml)";

/// The global settings flags, as the model defines them, with what is the
/// host's own: each setting `auditlog.toml` holds is under the [`ROTATION`]
/// heading, says the file gives its default and is also read from the
/// environment (`AUDITLOG_MAX_DAYS`); `--redact-key` names itself when its
/// value is not UTF-8.
#[derive(Debug, Clone, Default)]
struct GlobalSettings(SettingsUpdate);

impl clap::Args for GlobalSettings {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        let cmd = settings_flags::augment(cmd, |spec| match spec.file_key {
            Some(key) => format!(
                " [default: {key} in DIR/auditlog.toml, else {}]",
                spec.default.json()
            ),
            None => settings_flags::default_note(spec),
        });
        settings_flags::global()
            .fold(cmd, |cmd, (spec, _)| {
                cmd.mut_arg(spec.name, |arg| match spec.file_key {
                    // clap without its `string` feature takes only static
                    // names; the command is built once or twice a run.
                    Some(_) => arg
                        .help_heading(ROTATION)
                        .env(&*Box::leak(
                            format!("AUDITLOG_{}", spec.name.to_ascii_uppercase()).into_boxed_str(),
                        ))
                        .hide_env_values(true),
                    None => arg.help_heading("Global options"),
                })
            })
            .mut_arg("redact_keys", |arg| arg.value_parser(Utf8Text))
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_args(cmd)
    }
}

impl FromArgMatches for GlobalSettings {
    fn from_arg_matches(matches: &clap::ArgMatches) -> Result<Self, clap::Error> {
        settings_flags::update_from(matches).map(Self)
    }

    fn update_from_arg_matches(&mut self, matches: &clap::ArgMatches) -> Result<(), clap::Error> {
        let given = settings_flags::update_from(matches)?;
        self.0 = std::mem::take(&mut self.0).overlaid(given);
        Ok(())
    }
}

/// The ids of the options the environment can give, for where their values
/// came from: the settings flags `auditlog.toml` holds, and the global
/// options with a variable of their own.
fn from_env_args() -> impl Iterator<Item = &'static str> {
    settings_flags::global()
        .filter(|(spec, _)| spec.file_key.is_some())
        .map(|(spec, _)| spec.name)
        .chain(["dir", "key_file", "sync"])
}

/// The variable that sets the clock of tests and replays: an RFC 3339
/// instant to use as the current time. Not an option, so no `--help`, man
/// page or shell completion offers it to users.
const TEST_CLOCK: &str = "AUDITLOG_NOW";

/// The time [`TEST_CLOCK`] gives, if it is set.
fn test_clock() -> Result<Option<SystemTime>, Failure> {
    let Some(value) = std::env::var_os(TEST_CLOCK) else {
        return Ok(None);
    };
    let text = value.to_string_lossy();
    chrono::DateTime::parse_from_rfc3339(&text)
        .map(|t| Some(t.into()))
        .map_err(|e| {
            Failure::input(
                TEST_CLOCK,
                format!(
                    "not an RFC 3339 time ({e}), got {}",
                    invisible::refused(&text)
                ),
            )
        })
}

#[derive(Debug, Subcommand)]
enum Command {
    Record(record::Args),
    Tool(tool::Args),
    Recent(recent::Args),
    Stats(stats::Args),
    Serve(serve::Args),
    Verify(verify::Args),
    Repair(repair::Args),
    Adopt(adopt::Args),
    Rotate(rotate::Args),
    Config(config::Args),
    RunSkill(run_skill::Args),
    Component(ComponentArgs),
    #[command(hide = true)]
    Generate(generate::Args),
}

/// Write the built-in component (a WebAssembly component) to a file.
#[derive(Debug, clap::Args)]
#[command(after_help = COMPONENT_HELP)]
struct ComponentArgs {
    /// Where to write it.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Write the portable component instead: it imports nothing but WASI 0.2
    /// and also runs as a command (`wasmtime run --dir LOGS::/ FILE record ...`).
    #[arg(long)]
    portable: bool,
}

const COMPONENT_HELP: &str = "\
Without --portable: the component this binary runs (world `auditlog`), which reaches
files only through the host's `audit:log/storage` interface.

With --portable: the same behaviour for any runtime (world `portable`): files through
WASI's filesystem in the directory preopened as `/`, and the command line as
`wasi:cli/run`. WASI has no file locks: one writer process per log directory.

Examples:
  auditlog component --portable --out auditlog-portable.wasm
  wasmtime run --dir ./audit::/ auditlog-portable.wasm \\
      record workflow.validate success 150
  wasmtime run --dir ./audit::/ --invoke 'verify(none, [])' auditlog-portable.wasm";

/// `never`, `batch` or `always` (the values both command lines list),
/// listed in `--help` and in the error for anything else.
fn sync_mode_parser() -> impl clap::builder::TypedValueParser<Value = SyncMode> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(settings_flags::SYNC_VALUES)
        .map(|name| name.parse::<SyncMode>().expect("each value names a mode"))
}

/// A failure at the edge: one line for stderr and the exit code.
pub struct Failure {
    message: String,
    /// The refused input field, if the input was at fault.
    field: Option<String>,
    code: u8,
}

impl Failure {
    /// Refused input (exit 2) in `field`. The reason may quote what was
    /// refused (a path, a name), so it is redacted as the component's
    /// refusals are; the field is the option's own name, and stays
    /// readable (`--admin-token-file: …` is no secret).
    fn input(field: &str, reason: impl std::fmt::Display) -> Self {
        Self {
            message: format!(
                "{field}: {}",
                auditlog_guest::redact_message(&reason.to_string())
            ),
            field: Some(field.to_owned()),
            code: 2,
        }
    }

    /// Any other failure (exit 1); redacted as refusals are, since it may
    /// name a path the caller gave (`cannot write the checkpoint …`).
    fn other(message: impl Into<String>) -> Self {
        Self {
            message: auditlog_guest::redact_message(&message.into()),
            field: None,
            code: 1,
        }
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        let field = match &error {
            Error::Invalid { field, .. } => Some(field.clone()),
            _ => None,
        };
        Self {
            code: if error.is_invalid_input() { 2 } else { 1 },
            message: error.to_string(),
            field,
        }
    }
}

/// Parses the command line, runs it and returns the exit code.
pub fn run() -> ExitCode {
    let cli = match parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => e.exit(),
        Err(e) => {
            // Quotes the refused value: redacted as the component's refusals.
            eprintln!("{}", auditlog_guest::redact_message(&refusal::line(e)));
            return ExitCode::from(2);
        }
    };
    let result = match &cli.command {
        Command::Record(args) => record::run(&cli, args),
        Command::Tool(args) => tool::run(&cli, args),
        Command::Recent(args) => recent::run(&cli, args),
        Command::Stats(args) => stats::run(&cli, args),
        Command::Serve(args) => serve::run(&cli, args),
        Command::Verify(args) => verify::run(&cli, args),
        Command::Repair(args) => repair::run(&cli, args),
        Command::Adopt(args) => adopt::run(&cli, args),
        Command::Rotate(args) => rotate::run(&cli, args),
        Command::Config(args) => config::run(&cli, args),
        Command::RunSkill(args) => run_skill::run(&cli, args),
        Command::Component(args) => write_component(args),
        Command::Generate(args) => generate::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("{}", message::failure_line(&failure.message));
            ExitCode::from(failure.code)
        }
    }
}

/// The command line, noting which options came from the environment.
fn parse() -> Result<Cli, clap::Error> {
    let matches = Cli::command().try_get_matches()?;
    let mut cli = Cli::from_arg_matches(&matches)?;
    cli.from_env = from_env_args()
        .filter(|id| matches.value_source(id) == Some(ValueSource::EnvVariable))
        .collect();
    Ok(cli)
}

impl Cli {
    /// The name of the option `--long` (id `id`) for a refusal: the option,
    /// or, when its value came from the environment, the variable first
    /// (`AUDITLOG_KEY_FILE (for --key-file)`): the user typed no option.
    fn option(&self, id: &str, long: &str) -> String {
        if self.from_env.contains(&id) {
            match refusal::env_of(&Cli::command(), &long[2..]) {
                Some(variable) => format!("{variable} (for {long})"),
                None => format!("{long} (from the environment)"),
            }
        } else {
            long.to_owned()
        }
    }

    /// Opens the log directory with the global options applied.
    fn open(
        &self,
        configure: impl FnOnce(AuditLogBuilder) -> AuditLogBuilder,
    ) -> Result<AuditLog, Failure> {
        self.refuse_dir_that_cannot_be_one()?;
        let mut builder = AuditLog::builder(&self.dir);
        if let Some(path) = &self.component {
            let bytes = input_file::read(path, Kinds::Regular, MAX_COMPONENT_BYTES)
                .map_err(|e| Failure::input("--component", e))?;
            // The caller's file, so a component this host cannot run is bad
            // input (exit 2), as a skill's is in `run-skill`.
            let runtime = Runtime::new(&bytes).map_err(|error| match error {
                auditlog::Error::Component(reason) => Failure::input(
                    "--component",
                    format!(
                        "{} is not a component this host can run: {reason}",
                        path.display()
                    ),
                ),
                error => error.into(),
            })?;
            builder = builder.runtime(Arc::new(runtime));
        }
        if let Some(ms) = self.timeout_ms {
            builder = builder.call_timeout(Duration::from_millis(ms));
        }
        if let Some(mib) = self.memory_limit_mb {
            let bytes = usize::try_from(mib * 1024 * 1024)
                .map_err(|_| Failure::input("--memory-limit-mb", "is too large"))?;
            builder = builder.memory_limit(bytes);
        }
        if let Some(path) = &self.key_file {
            let key = auditlog::key_file::read(path, &self.dir)
                .map_err(|reason| Failure::input(&self.option("key_file", "--key-file"), reason))?;
            builder = builder.chain_key(key);
        }
        if let Some(mode) = self.sync {
            builder = builder.sync(mode);
        }
        self.settings.0.check().map_err(|refused| {
            let long = settings_flags::global()
                .find(|(spec, _)| spec.name == refused.field)
                .map_or_else(|| refused.field.to_owned(), |(_, long)| format!("--{long}"));
            Failure::input(&self.option(refused.field, &long), refused.reason)
        })?;
        builder = builder.settings(self.settings.0.clone());
        if let Some(now) = test_clock()? {
            builder = builder.clock(move || now);
        }
        Ok(configure(builder).open()?)
    }
}

fn write_component(args: &ComponentArgs) -> Result<(), Failure> {
    let (bytes, which) = if args.portable {
        (auditlog::PORTABLE_COMPONENT, "portable auditlog component")
    } else {
        (auditlog::EMBEDDED_COMPONENT, "auditlog component")
    };
    std::fs::write(&args.out, bytes)
        .map_err(|e| Failure::other(format!("cannot write {}: {e}", args.out.display())))?;
    eprintln!(
        "wrote the {which} ({} bytes) to {}",
        bytes.len(),
        args.out.display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sync_values_are_the_library_s_modes() {
        assert_eq!(
            SyncMode::ALL.map(SyncMode::name),
            settings_flags::SYNC_VALUES
        );
    }
}
