//! `auditlog bench`: figures measured side by side in one run, each with its
//! baseline and the ratio between them (these machines are shared and noisy,
//! so ratios within one run mean more than absolute times).

use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

use auditlog::{AuditLog, Filter, Query, Source};
use serde::Serialize;

use super::{Cli, Failure};

const AFTER_HELP: &str = "\
Builds its own data in a temporary directory (a few hundred MB for the 1,000,000-line
file) and removes it afterwards. Each figure is the median of several runs.

Figures:
  recent_200_at_N    newest 200 entries of one user's N-line day file
                     (baseline: the same query on a 1,000-line file)
  stats_1m           stats over a 1,000,000-line day file

Examples:
  auditlog bench --quick
  auditlog bench --format json > bench.json";

/// Measure the component's query costs side by side, with ratios to their baselines.
#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    /// Fewer repetitions, for a quick look (under a minute).
    #[arg(long)]
    quick: bool,
    /// How to print the figures.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

/// Output formats.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    /// One JSON object whose fields name the figures.
    Json,
    /// Aligned columns.
    Table,
}

/// One measured figure and what it is compared with.
#[derive(Debug, Serialize)]
struct Figure {
    /// Milliseconds (median).
    ms: f64,
    /// The baseline figure's name, if any.
    baseline: Option<&'static str>,
    /// `ms / baseline ms`.
    ratio: Option<f64>,
}

/// The day the generated entries are stamped with.
const DAY: &str = "2025-10-23";

pub fn run(_cli: &Cli, args: &Args) -> Result<(), Failure> {
    let runs = if args.quick { 5 } else { 21 };
    let root = tempfile::Builder::new()
        .prefix("auditlog-bench-")
        .tempdir()
        .map_err(|e| Failure::other(format!("cannot create a temporary directory: {e}")))?;
    let now: SystemTime = chrono::DateTime::parse_from_rfc3339(&format!("{DAY}T23:00:00Z"))
        .expect("a valid time")
        .into();

    let mut figures: Vec<(&'static str, Figure)> = Vec::new();
    let sizes: [(&'static str, usize); 3] = [
        ("recent_200_at_1k", 1_000),
        ("recent_200_at_100k", 100_000),
        ("recent_200_at_1m", 1_000_000),
    ];
    let mut logs = Vec::new();
    for (name, lines) in sizes {
        let dir = root.path().join(name);
        eprintln!("auditlog bench: writing a {lines}-line day file");
        write_day_file(&dir, lines)
            .map_err(|e| Failure::other(format!("cannot write bench data: {e}")))?;
        let log = AuditLog::builder(&dir).clock(move || now).open()?;
        let query = Query::new(Filter::new(Source::User("bench".into()))).limit(200);
        let page = log.recent_json(&query)?;
        if page.entries.len() != 200 {
            return Err(Failure::other(format!(
                "{name}: expected 200 entries, got {}",
                page.entries.len()
            )));
        }
        let ms = median_ms(runs, || log.recent_json(&query).map(drop))?;
        let baseline = figures.first().map(|(_, f): &(&str, Figure)| f.ms);
        figures.push((
            name,
            Figure {
                ms,
                baseline: baseline.map(|_| "recent_200_at_1k"),
                ratio: baseline.map(|b| ms / b),
            },
        ));
        logs.push(log);
    }

    eprintln!("auditlog bench: stats over 1,000,000 entries");
    let big = logs.last().expect("three logs");
    let filter = Filter::new(Source::User("bench".into()));
    let total = big.stats(&filter)?.total;
    if total != 1_000_000 {
        return Err(Failure::other(format!(
            "stats_1m: expected 1000000 entries, got {total}"
        )));
    }
    let ms = median_ms(if args.quick { 1 } else { 3 }, || {
        big.stats(&filter).map(drop)
    })?;
    figures.push((
        "stats_1m",
        Figure {
            ms,
            baseline: None,
            ratio: None,
        },
    ));

    match args.format {
        Format::Json => {
            let object: serde_json::Map<String, serde_json::Value> = figures
                .iter()
                .map(|(name, f)| {
                    (
                        (*name).to_owned(),
                        serde_json::to_value(f).expect("figures serialise"),
                    )
                })
                .collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&object).expect("figures serialise")
            );
        }
        Format::Table => {
            println!(
                "{:<22} {:>12} {:>20} {:>8}",
                "FIGURE", "MS (MEDIAN)", "BASELINE", "RATIO"
            );
            for (name, f) in &figures {
                let ratio = f
                    .ratio
                    .map_or_else(|| "-".to_owned(), |r| format!("{r:.2}x"));
                println!(
                    "{name:<22} {:>12.3} {:>20} {ratio:>8}",
                    f.ms,
                    f.baseline.unwrap_or("-")
                );
            }
        }
    }
    Ok(())
}

/// The median wall time of `runs` calls of `f`, in milliseconds.
fn median_ms(runs: usize, mut f: impl FnMut() -> auditlog::Result<()>) -> Result<f64, Failure> {
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        f()?;
        times.push(start.elapsed());
    }
    times.sort_unstable();
    Ok(times[times.len() / 2].as_secs_f64() * 1000.0)
}

/// Writes `lines` tool-log entries for user `bench` into today's day file, in
/// the format the component writes (the data is the same either way; writing
/// it directly keeps the set-up short).
fn write_day_file(dir: &Path, lines: usize) -> std::io::Result<()> {
    let day_dir = dir.join("bench").join("tool_audit");
    std::fs::create_dir_all(&day_dir)?;
    let mut out = BufWriter::new(std::fs::File::create(day_dir.join(format!("{DAY}.jsonl")))?);
    for i in 0..lines {
        let seconds = i * 80_000 / lines;
        let status = if i % 10 == 0 { "error" } else { "ok" };
        writeln!(
            out,
            r#"{{"ts":"{DAY}T{:02}:{:02}:{:02}Z","user":"bench","tool":"tool_{}","args":{{"path":"/srv/data/file-{i}.txt","mode":"read"}},"status":"{status}","result_chars":{},"result_snippet":"line one of the result for call {i}"}}"#,
            seconds / 3600,
            seconds / 60 % 60,
            seconds % 60,
            i % 7,
            100 + i % 900,
        )?;
    }
    out.flush()
}
