//! `auditlog stats`: totals over the entries a selection picks.

use super::table::{self, Column};
use super::{Cli, Failure, stdout};
use auditlog::Stats;
use auditlog_model::cli::selection::SelectionArgs;

const AFTER_HELP: &str = "\
Counts every entry that passes the filters (no --limit): total, errors (any status
other than success or ok), error rate, and per status, skill or tool, user and UTC
day; for durations (duration_ms) the mean and the nearest-rank p50, p95 and max.
Entries another tool wrote in another schema (no skill or tool, or no status) are
not runs: they count in `other` only, so the error rate is over runs.
The window is recent's: 7 days for tool logs unless --days or --since is given,
every retained entry for --skills.

Examples:
  auditlog stats --skills
  auditlog stats --skills --skill workflow.compose --since 2025-10-01 --format table
  auditlog stats --all-users --days 1";

/// Show totals over the entries of a log: counts, error rate, durations.
#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    #[command(flatten)]
    selection: SelectionArgs,
    /// How to print the totals.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
}

/// Output formats.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    /// One JSON object: total, errors, error_rate, other, by_status, by_name, by_user, by_day.
    Json,
    /// Tables for a terminal.
    Table,
}

pub fn run(cli: &Cli, args: &Args) -> Result<(), Failure> {
    let filter = args.selection.filter().map_err(auditlog::Error::from)?;
    let log = cli.open_to_read()?;
    let stats = log.stats(&filter)?;
    match args.format {
        Format::Json => {
            stdout::line(serde_json::to_string_pretty(&stats).expect("stats always serialise"))
        }
        Format::Table => stdout::text(&tables(&stats)),
    }
}

fn ms(value: Option<u64>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| v.to_string())
}

fn tables(stats: &Stats) -> String {
    let mut out = format!(
        "{} entries, {} errors ({:.1}%)\n",
        stats.total,
        stats.errors,
        stats.error_rate * 100.0
    );
    if stats.other > 0 {
        out.push_str(&format!(
            "other entries (not skill runs or tool calls): {}\n",
            stats.other
        ));
    }
    let rows: Vec<Vec<String>> = stats
        .by_name
        .iter()
        .map(|(name, s)| {
            vec![
                name.clone(),
                s.count.to_string(),
                s.errors.to_string(),
                s.avg_ms
                    .map_or_else(|| "-".to_owned(), |v| format!("{v:.1}")),
                ms(s.p50_ms),
                ms(s.p95_ms),
                ms(s.max_ms),
            ]
        })
        .collect();
    if !rows.is_empty() {
        let columns = [
            Column {
                title: "NAME",
                max_width: 24,
            },
            Column {
                title: "COUNT",
                max_width: 8,
            },
            Column {
                title: "ERRORS",
                max_width: 8,
            },
            Column {
                title: "AVG_MS",
                max_width: 10,
            },
            Column {
                title: "P50_MS",
                max_width: 8,
            },
            Column {
                title: "P95_MS",
                max_width: 8,
            },
            Column {
                title: "MAX_MS",
                max_width: 8,
            },
        ];
        out.push('\n');
        out.push_str(&table::render(&columns, &rows));
    }
    for (title, counts) in [
        ("STATUS", &stats.by_status),
        ("USER", &stats.by_user),
        ("DAY", &stats.by_day),
    ] {
        if counts.is_empty() {
            continue;
        }
        let rows: Vec<Vec<String>> = counts
            .iter()
            .map(|(k, v)| vec![k.clone(), v.to_string()])
            .collect();
        let columns = [
            Column {
                title,
                max_width: 40,
            },
            Column {
                title: "COUNT",
                max_width: 12,
            },
        ];
        out.push('\n');
        out.push_str(&table::render(&columns, &rows));
    }
    out
}
