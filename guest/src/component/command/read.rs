//! The commands that read entries: `recent` and `stats`, with the formats
//! a command without a terminal library prints (JSON).

use auditlog_model::cli::read::RecentArgs;
use auditlog_model::cli::selection::SelectionArgs;

use super::{Failure, LOGS};

/// `recent`'s arguments: the host CLI's, but for the formats that need it.
#[derive(Debug, clap::Args)]
pub(super) struct Recent {
    #[command(flatten)]
    recent: RecentArgs,
    /// How to print the entries.
    #[arg(long, value_enum, default_value_t = RecentFormat::Json)]
    format: RecentFormat,
}

/// How `recent` prints the entries.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum RecentFormat {
    /// One JSON array.
    Json,
    /// One JSON object a line.
    Jsonl,
}

/// `stats`'s arguments: the host CLI's, but for the format that needs it.
#[derive(Debug, clap::Args)]
pub(super) struct Stats {
    #[command(flatten)]
    selection: SelectionArgs,
    /// How to print the totals.
    #[arg(long, value_enum, default_value_t = StatsFormat::Json)]
    format: StatsFormat,
}

/// How `stats` prints the totals.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum StatsFormat {
    /// One JSON object: total, errors, error_rate, other, by_status, by_name, by_user, by_day.
    Json,
}

/// As the host CLI's `recent`: the page on stdout, the next page's cursor
/// on stderr.
pub(super) fn recent(args: &Recent) -> Result<(), Failure> {
    let query = args.recent.query()?;
    let page = LOGS.with_borrow(|logs| logs.recent(&query))?;
    let text = match args.format {
        RecentFormat::Jsonl => page.entries.iter().map(|e| format!("{e}\n")).collect(),
        RecentFormat::Json if page.entries.is_empty() => "[]\n".to_owned(),
        RecentFormat::Json => format!("[\n  {}\n]\n", page.entries.join(",\n  ")),
    };
    print!("{text}");
    if let Some(cursor) = page.next_cursor {
        eprintln!("auditlog: more entries match; for the next page add: --cursor {cursor}");
    }
    Ok(())
}

/// As the host CLI's `stats --format json`.
pub(super) fn stats(args: &Stats) -> Result<(), Failure> {
    let StatsFormat::Json = args.format;
    let filter = args.selection.filter()?;
    let stats = LOGS.with_borrow(|logs| logs.stats(&filter))?;
    println!(
        "{}",
        serde_json::to_string_pretty(&stats).expect("stats always serialise")
    );
    Ok(())
}
