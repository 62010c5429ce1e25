//! `auditlog recent`: the newest entries of a log, a page at a time.

use serde_json::Value;

use super::selection::SelectionArgs;
use super::table::{self, Column};
use super::{Cli, Failure, Utf8Text};
use auditlog::Query;
use auditlog_guest::invisible;

const AFTER_HELP: &str = "\
Entries come newest first. --all-users merges every user's tool log by time. A tool
log is read back 7 days unless --days or --since is given; the skill log, bounded
by its entry count, has no default window (all its retained entries). When
more entries match than --limit, the command that gets the next page is printed on
stderr (`--cursor ...`); pass the same filters with it.

Examples:
  auditlog recent --skills --limit 5
  auditlog recent --skills --status failed --since 2025-10-01
  auditlog recent --user alice --days 1 --format jsonl
  auditlog recent --all-users --tool file_read --format table
  auditlog recent --all-users --format csv > calls.csv";

/// Show the newest entries of the skill log or of tool logs, newest first.
#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    #[command(flatten)]
    selection: SelectionArgs,
    /// Return at most N entries (1 to 10000).
    #[arg(
        long,
        value_name = "N",
        default_value_t = 200,
        allow_negative_numbers = true
    )]
    limit: u32,
    /// Continue after the previous page (the cursor it printed).
    #[arg(long, value_name = "CURSOR", value_parser = Utf8Text)]
    cursor: Option<String>,
    /// How to print the entries.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
}

/// Output formats.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    /// One JSON array.
    Json,
    /// One JSON object a line.
    Jsonl,
    /// Aligned columns for a terminal; long values are cut.
    Table,
    /// Comma-separated values with a header row (RFC 4180); nested values as
    /// JSON; control and invisible characters escaped (`\u{1b}`), one line an entry.
    Csv,
}

pub fn run(cli: &Cli, args: &Args) -> Result<(), Failure> {
    let query = Query {
        filter: args.selection.filter()?,
        limit: Some(args.limit),
        cursor: args.cursor.clone(),
    };
    let log = cli.open(auditlog::AuditLogBuilder::read_only)?;
    let page = log.recent_json(&query)?;
    let skills = args.selection.is_skills();
    let parsed = || -> Vec<Value> {
        page.entries
            .iter()
            .map(|e| serde_json::from_str(e).unwrap_or(Value::Null))
            .collect()
    };
    let text = match args.format {
        Format::Json if page.entries.is_empty() => "[]\n".to_owned(),
        Format::Json => format!("[\n  {}\n]\n", page.entries.join(",\n  ")),
        Format::Jsonl => page.entries.iter().map(|e| format!("{e}\n")).collect(),
        Format::Table if skills => skill_table(&parsed()),
        Format::Table => tool_table(&parsed()),
        Format::Csv => csv(&parsed(), if skills { SKILL_FIELDS } else { TOOL_FIELDS })?,
    };
    print!("{text}");
    if let Some(cursor) = page.next_cursor {
        eprintln!("auditlog: more entries match; for the next page add: --cursor {cursor}");
    }
    Ok(())
}

const SKILL_FIELDS: &[&str] = &[
    "timestamp",
    "skill",
    "status",
    "duration_ms",
    "errors",
    "metadata",
];
const TOOL_FIELDS: &[&str] = &[
    "ts",
    "user",
    "tool",
    "status",
    "result_chars",
    "result_snippet",
    "args",
];

/// A cell's text: strings as they are, nothing for a missing field, JSON otherwise.
/// The table escapes what a terminal must not see raw; [`csv`] does the same.
fn text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The entries as CSV, one line each: control and invisible characters in a
/// cell (newlines too) are written as escapes such as `\u{1b}`, because CSV
/// is as often shown on a terminal as read by a program; the exact values are
/// in the JSON formats.
fn csv(entries: &[Value], fields: &[&str]) -> Result<String, Failure> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let failed = |e: csv::Error| Failure::other(format!("cannot write CSV: {e}"));
    writer.write_record(fields).map_err(failed)?;
    for entry in entries {
        writer
            .write_record(
                fields
                    .iter()
                    .map(|f| invisible::escape(&text(&entry[*f])).into_owned()),
            )
            .map_err(failed)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| Failure::other(format!("cannot write CSV: {e}")))?;
    Ok(String::from_utf8(bytes).expect("CSV of UTF-8 cells is UTF-8"))
}

fn skill_table(entries: &[Value]) -> String {
    let columns = [
        Column {
            title: "TIMESTAMP",
            max_width: 24,
        },
        Column {
            title: "SKILL",
            max_width: 22,
        },
        Column {
            title: "STATUS",
            max_width: 10,
        },
        Column {
            title: "MS",
            max_width: 8,
        },
        Column {
            title: "ERRORS",
            max_width: 6,
        },
    ];
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            let errors = e["errors"]
                .as_array()
                .map_or(String::new(), |a| a.len().to_string());
            vec![
                text(&e["timestamp"]),
                text(&e["skill"]),
                text(&e["status"]),
                text(&e["duration_ms"]),
                errors,
            ]
        })
        .collect();
    table::render(&columns, &rows)
}

fn tool_table(entries: &[Value]) -> String {
    let columns = [
        Column {
            title: "TS",
            max_width: 20,
        },
        Column {
            title: "USER",
            max_width: 10,
        },
        Column {
            title: "TOOL",
            max_width: 14,
        },
        Column {
            title: "STATUS",
            max_width: 6,
        },
        Column {
            title: "RESULT",
            max_width: 20,
        },
    ];
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            vec![
                text(&e["ts"]),
                text(&e["user"]),
                text(&e["tool"]),
                text(&e["status"]),
                text(&e["result_snippet"]),
            ]
        })
        .collect();
    table::render(&columns, &rows)
}
