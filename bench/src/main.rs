//! `auditlog-bench`: figures measured side by side in one run, each with its
//! baseline and the ratio between them (these machines are shared and noisy,
//! so ratios within one run mean more than absolute times).
//!
//! A target of its own, not a subcommand of the `auditlog` users install. It
//! measures the host library in process, the component's Rust code compiled
//! natively (the baselines), and the `auditlog` executable as a process.

mod error;
mod figures;
mod queries;
mod record;
mod startup;
mod stats;
mod threads;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

use error::Error;
use figures::Figures;

const AFTER_HELP: &str = "\
Builds its own data in a temporary directory (a few hundred MB for the 1,000,000-line
file) and removes it afterwards; the stats logs (about 2.5 GB for 10,000,000 calls) are
kept in --stats-cache for the next run, as writing them takes minutes. Times are medians of several runs; rates are medians
of whole runs of appends.

Figures (BASELINE: RATIO is this figure over the baseline's):
  record_tool_native     tool-log appends/s by the same Rust code compiled natively:
                         validation, truncation, redaction, sealing, one write each
  record_tool_host       the same through the host and the component
                         (ratio to native: higher is better, 1 = native speed)
  record_tool_native_batched   natively, 100 calls per append-tools call (one write
                               per call), against one write per entry
  record_tool_host_batched     through the host, 100 calls per append-tools call,
                               against native code writing each entry
  record_tool_host_batched_vs_batched   the same figure against native code making
                                        the same batched calls
  record_skill_native    skill-log appends/s natively (retention off: under 10,000)
  record_skill_host      the same through the host
  record_skill_native_batched   natively, 100 runs per append-skills call
  record_skill_host_batched     through the host, 100 runs per append-skills call,
                                against native code writing each entry
  record_skill_host_batched_vs_batched   the same figure against native code
                                         making the same batched calls
  record_tool_threads_1  tool-log appends/s from one thread through one log (the
                         baseline of the two below)
  record_tool_threads_8_users     8 threads at once through one log, a user each:
                                  group commit writes concurrent appends together
  record_tool_threads_8_one_user  the same, all 8 on one user
  record_tool_threads_1_batch_sync   one thread with --sync batch: each append waits
                                     for a flush (fdatasync) of its file
  record_tool_threads_8_users_batch_sync     8 threads, a user each, with --sync batch:
                                             appends written together share a flush
  record_tool_threads_8_one_user_batch_sync  the same, all 8 on one user
  thread_wake_sleeping   ms per round trip of a message between two threads, each
                         sleeping on its channel until woken (what waking a waiter
                         costs on this machine: a baseline for the two above)
  thread_wake_yielding   the same, each checking its channel and yielding its core
                         in between (as group commit's waiters do at first)
  skill_append_at_100    ms per skill-log append holding 100 entries (retention on)
  skill_append_at_10k    the same holding 10,000
  recent_200_at_N        newest 200 entries of one user's N-line day file
  stats_1m               stats over a 1,000,000-line day file
  stats_week_small_lines every user's last 7 days (the console's default view) over
                         --stats-entries / 100 tool calls of 100 users, reading every
                         line (summaries moved away)
  stats_week_small       the same answered from the closed files' summaries, against
                         reading every line
  stats_week_lines       the same over --stats-entries tool calls (10,000,000; 1,000,000
                         with --quick), every line
  stats_week             the same from summaries, against every line
  stats_week_vs_small    stats_week against stats_week_small (target: 3x)
  process_true           `true`, from start to exit
  process_python         `python3 -c pass`
  cli_tool_one_shot      `auditlog tool ...` from start to exit (compiled component cached)
  cli_tool_vs_python     the same, against python3
  open_log               opening a log: one instantiation of the component and its store
  load_compiled          compiling the component (no cache)
  load_cached            loading it from the compiled-component cache

Examples:
  cargo build --release -p auditlog -p auditlog-bench
  target/release/auditlog-bench --quick
  target/release/auditlog-bench --only record,threads
  target/release/auditlog-bench --format json > bench.json";

/// Measure appends, queries and start-up side by side, with ratios to their baselines.
#[derive(Debug, Parser)]
#[command(name = "auditlog-bench", version, after_help = AFTER_HELP)]
struct Args {
    /// Fewer repetitions and appends, for a quick look (under a minute).
    #[arg(long)]
    quick: bool,
    /// How to print the figures.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// The `auditlog` executable the `cli_tool_*` figures run
    /// [default: `auditlog` beside this program, in the same target directory].
    #[arg(long, value_name = "PATH")]
    auditlog: Option<PathBuf>,
    /// Tool calls in the big log of the `stats_*` figures (the small one
    /// holds a hundredth) [default: 10,000,000; 1,000,000 with --quick].
    #[arg(long, value_name = "N")]
    stats_entries: Option<u64>,
    /// Where the `stats_*` logs are kept between runs [default: `bench-data`
    /// in the target directory this program is in, else a temporary one].
    #[arg(long, value_name = "DIR")]
    stats_cache: Option<PathBuf>,
    /// Measure only these parts (repeat the flag, or separate with commas)
    /// [default: all]
    #[arg(long, value_enum, value_delimiter = ',')]
    only: Vec<Part>,
}

/// The parts of a run, each a group of figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Part {
    /// `record_*` and `skill_append_*`: appends, one per call and batched.
    Record,
    /// `record_tool_threads_*` and `thread_wake_*`: appends from 1 and 8
    /// threads through one log, unflushed and with `--sync batch`, and what
    /// waking a thread costs.
    Threads,
    /// `recent_*` and `stats_1m`.
    Queries,
    /// `process_*`, `cli_tool_*`, `open_log`, `load_*`.
    Startup,
    /// `stats_week*`: stats from summaries and from lines.
    Stats,
}

/// Output formats.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    /// One JSON object whose fields name the figures.
    Json,
    /// Aligned columns.
    Table,
}

/// How much to measure.
pub struct Plan {
    /// Repetitions of a fast measurement (the median is reported).
    pub runs: usize,
    /// Repetitions of a slow one.
    pub slow_runs: usize,
    /// Rounds of append-rate measurements: each round measures every kind
    /// of append natively and through the host.
    pub rounds: usize,
    /// Appends per rate measurement.
    pub appends: usize,
}

impl Plan {
    /// The plan of a full run, or of a `--quick` one.
    fn new(quick: bool) -> Self {
        if quick {
            // Three slow runs even here: the median of one is whatever the
            // machine's neighbours were doing at that moment.
            Self {
                runs: 5,
                slow_runs: 3,
                rounds: 7,
                appends: 2_000,
            }
        } else {
            Self {
                runs: 21,
                slow_runs: 3,
                rounds: 7,
                appends: 20_000,
            }
        }
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("auditlog-bench: {error}");
            ExitCode::from(error.exit_code())
        }
    }
}

/// The `auditlog` executable the start-up figures run: `named` (made
/// absolute, so that a bare name means the file here, not one on PATH), or
/// the one beside this program.
fn auditlog_to_run(named: Option<&Path>) -> Result<PathBuf, Error> {
    match named {
        Some(path) if path.is_file() => {
            std::path::absolute(path).map_err(|_| Error::AuditlogNotFound(path.to_owned()))
        }
        Some(path) => Err(Error::AuditlogNotFound(path.to_owned())),
        None => auditlog_beside_this_program(),
    }
}

/// Measures every figure and prints them in the chosen format.
fn run(args: &Args) -> Result<(), Error> {
    let measured = |part: Part| args.only.is_empty() || args.only.contains(&part);
    // Checked first: a missing executable should not cost a run's set-up.
    // Only the start-up figures run it.
    let auditlog = if measured(Part::Startup) {
        Some(auditlog_to_run(args.auditlog.as_deref())?)
    } else {
        None
    };
    let plan = Plan::new(args.quick);
    let root = tempfile::Builder::new()
        .prefix("auditlog-bench-")
        .tempdir()
        .map_err(Error::TempDir)?;
    let mut figures = Figures::default();
    if measured(Part::Record) {
        record::measure(&plan, root.path(), &mut figures)?;
    }
    if measured(Part::Threads) {
        threads::measure(&plan, root.path(), &mut figures)?;
    }
    if measured(Part::Queries) {
        queries::measure(&plan, root.path(), &mut figures)?;
    }
    if let Some(auditlog) = &auditlog {
        startup::measure(&plan, root.path(), auditlog, &mut figures)?;
    }
    if measured(Part::Stats) {
        let stats_entries =
            args.stats_entries
                .unwrap_or(if args.quick { 1_000_000 } else { 10_000_000 });
        let cache = match &args.stats_cache {
            Some(dir) => dir.clone(),
            None => {
                target_dir().map_or_else(|| root.path().join("stats"), |t| t.join("bench-data"))
            }
        };
        stats::measure(&plan, stats_entries, &cache, &mut figures)?;
    }
    print(args.format, &figures);
    Ok(())
}

/// Prints `figures` in `format`.
fn print(format: Format, figures: &Figures) {
    match format {
        Format::Json => println!("{}", figures.to_json()),
        Format::Table => print!("{}", figures.to_table()),
    }
}

/// `auditlog` in the directory of this program, where cargo puts both when
/// it builds them with one profile; an error naming the command that builds
/// it there when it is missing.
fn auditlog_beside_this_program() -> Result<PathBuf, Error> {
    let this = std::env::current_exe().map_err(Error::CurrentExe)?;
    let auditlog = this.with_file_name(format!("auditlog{}", std::env::consts::EXE_SUFFIX));
    if auditlog.is_file() {
        Ok(auditlog)
    } else {
        Err(Error::AuditlogNotBuilt {
            build: build_command(&auditlog),
            path: auditlog,
        })
    }
}

/// The cargo target directory this program was built in, if it was (cargo
/// marks it with `CACHEDIR.TAG` or `.rustc_info.json`).
fn target_dir() -> Option<PathBuf> {
    let this = std::env::current_exe().ok()?;
    let target = this.parent()?.parent()?;
    let marked = ["CACHEDIR.TAG", ".rustc_info.json"]
        .iter()
        .any(|mark| target.join(mark).is_file());
    marked.then(|| target.to_owned())
}

/// The cargo command that builds `auditlog` at `path`: in a cargo target
/// directory (marked by its `CACHEDIR.TAG`), the profile its directory is
/// named after (`debug` holds the `dev` profile's builds).
fn build_command(path: &Path) -> String {
    let profile_dir = path.parent();
    let in_target_dir = profile_dir
        .and_then(Path::parent)
        .is_some_and(|target| target.join("CACHEDIR.TAG").is_file());
    let profile = profile_dir
        .and_then(Path::file_name)
        .and_then(|name| name.to_str());
    match profile {
        Some("debug") if in_target_dir => "cargo build -p auditlog".to_owned(),
        Some(profile) if in_target_dir && profile != "release" => {
            format!("cargo build --profile {profile} -p auditlog")
        }
        _ => "cargo build --release -p auditlog".to_owned(),
    }
}
