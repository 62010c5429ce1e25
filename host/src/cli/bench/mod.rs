//! `auditlog bench`: figures measured side by side in one run, each with its
//! baseline and the ratio between them (these machines are shared and noisy,
//! so ratios within one run mean more than absolute times).

mod queries;
mod record;
mod startup;

use std::time::{Duration, Instant};

use serde::Serialize;

use super::{Cli, Failure};

const AFTER_HELP: &str = "\
Builds its own data in a temporary directory (a few hundred MB for the 1,000,000-line
file) and removes it afterwards. Times are medians of several runs; rates are medians
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
  skill_append_at_100    ms per skill-log append holding 100 entries (retention on)
  skill_append_at_10k    the same holding 10,000
  recent_200_at_N        newest 200 entries of one user's N-line day file
  stats_1m               stats over a 1,000,000-line day file
  process_true           `true`, from start to exit
  process_python         `python3 -c pass`
  cli_tool_one_shot      `auditlog tool ...` from start to exit (compiled component cached)
  cli_tool_vs_python     the same, against python3
  open_log               opening a log: one instantiation of the component and its store
  load_compiled          compiling the component (no cache)
  load_cached            loading it from the compiled-component cache

Examples:
  auditlog bench --quick
  auditlog bench --format json > bench.json";

/// Measure appends, queries and start-up side by side, with ratios to their baselines.
#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    /// Fewer repetitions and appends, for a quick look (under a minute).
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

/// One measured figure and what it is compared with.
#[derive(Debug, Serialize)]
pub struct Figure {
    /// The median: milliseconds, or entries per second.
    pub value: f64,
    /// `ms` or `entries/s`.
    pub unit: &'static str,
    /// The baseline figure's name, if any.
    pub baseline: Option<&'static str>,
    /// `value / baseline value`.
    pub ratio: Option<f64>,
}

impl Figure {
    /// A time in milliseconds.
    pub fn ms(value: f64) -> Self {
        Self {
            value,
            unit: "ms",
            baseline: None,
            ratio: None,
        }
    }

    /// A rate in entries per second.
    pub fn rate(value: f64) -> Self {
        Self {
            unit: "entries/s",
            ..Self::ms(value)
        }
    }

    /// Compared with the figure `baseline`, if it was measured.
    pub fn against(self, figures: &Figures, baseline: &'static str) -> Self {
        match figures.get(baseline) {
            Some(base) => Self {
                baseline: Some(baseline),
                ratio: Some(self.value / base.value),
                ..self
            },
            None => self,
        }
    }
}

/// The figures measured so far, in order.
#[derive(Default)]
pub struct Figures(Vec<(&'static str, Figure)>);

impl Figures {
    /// Adds `figure` as `name`.
    pub fn push(&mut self, name: &'static str, figure: Figure) {
        self.0.push((name, figure));
    }

    fn get(&self, name: &str) -> Option<&Figure> {
        self.0.iter().find(|(n, _)| *n == name).map(|(_, f)| f)
    }
}

pub fn run(_cli: &Cli, args: &Args) -> Result<(), Failure> {
    let plan = if args.quick {
        // Three slow runs even here: the median of one is whatever the
        // machine's neighbours were doing at that moment.
        Plan {
            runs: 5,
            slow_runs: 3,
            rounds: 7,
            appends: 2_000,
        }
    } else {
        Plan {
            runs: 21,
            slow_runs: 3,
            rounds: 7,
            appends: 20_000,
        }
    };
    let root = tempfile::Builder::new()
        .prefix("auditlog-bench-")
        .tempdir()
        .map_err(|e| Failure::other(format!("cannot create a temporary directory: {e}")))?;
    let mut figures = Figures::default();
    record::measure(&plan, root.path(), &mut figures)?;
    queries::measure(&plan, root.path(), &mut figures)?;
    startup::measure(&plan, root.path(), &mut figures)?;

    match args.format {
        Format::Json => {
            let object: serde_json::Map<String, serde_json::Value> = figures
                .0
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
                "{:<36} {:>14} {:<10} {:<28} {:>8}",
                "FIGURE", "MEDIAN", "UNIT", "BASELINE", "RATIO"
            );
            for (name, f) in &figures.0 {
                let ratio = f
                    .ratio
                    .map_or_else(|| "-".to_owned(), |r| format!("{r:.2}x"));
                println!(
                    "{name:<36} {:>14.3} {:<10} {:<28} {ratio:>8}",
                    f.value,
                    f.unit,
                    f.baseline.unwrap_or("-")
                );
            }
        }
    }
    Ok(())
}

/// The median wall time of `runs` calls of `f`, in milliseconds.
pub fn median_ms(runs: usize, mut f: impl FnMut() -> auditlog::Result<()>) -> Result<f64, Failure> {
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        f()?;
        times.push(start.elapsed());
    }
    times.sort_unstable();
    Ok(times[times.len() / 2].as_secs_f64() * 1000.0)
}
