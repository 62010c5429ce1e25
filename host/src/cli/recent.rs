//! `auditlog recent`: the newest entries of a log, a page at a time.

use serde_json::{Map, Value};

use super::table::{self, Column};
use super::{Cli, Failure, stdout};
use auditlog_guest::{SEAL_KEYS, read_stored_line};
use auditlog_model::cli::read::RecentArgs;
use auditlog_model::invisible;

const AFTER_HELP: &str = "\
Entries come newest first. --all-users merges every user's tool log by time. A tool
log is read back 7 days unless --days or --since is given; the skill log, bounded
by its entry count, has no default window (all its retained entries). When
more entries match than --limit, the command that gets the next page is printed on
stderr (`--cursor ...`); pass the same filters with it. An entry another tool wrote in
another schema (no skill or tool, or no status) comes back as stored; the table shows
its first fields as key=value in the name column and `-` as its status.

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
    /// Which entries and which page: the portable command's too.
    #[command(flatten)]
    recent: RecentArgs,
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
    /// Aligned columns for a terminal; long values are cut. An entry of
    /// another schema shows its first fields as key=value in the name column.
    Table,
    /// Comma-separated values with a header row (RFC 4180); nested values as
    /// JSON; control and invisible characters escaped (`\u{1b}`), one line an
    /// entry; text that begins with = + - or @ is written after a ' so that a
    /// spreadsheet shows it instead of running it. The last column, other_fields, holds as one JSON object the
    /// entry's fields that no other column shows (most of an entry of another
    /// schema), its seal (seq, hash, mac) aside.
    Csv,
}

pub fn run(cli: &Cli, args: &Args) -> Result<(), Failure> {
    let query = args.recent.query().map_err(auditlog::Error::from)?;
    let log = cli.open_to_read()?;
    let page = log.recent_json(&query)?;
    let skills = args.recent.selection.skills;
    let parsed = || -> Vec<Shown> { page.entries.iter().map(|e| Shown::of(e)).collect() };
    let text = match args.format {
        Format::Json if page.entries.is_empty() => "[]\n".to_owned(),
        Format::Json => format!("[\n  {}\n]\n", page.entries.join(",\n  ")),
        Format::Jsonl => page.entries.iter().map(|e| format!("{e}\n")).collect(),
        Format::Table if skills => skill_table(&parsed()),
        Format::Table => tool_table(&parsed()),
        Format::Csv => csv(&parsed(), if skills { SKILL_FIELDS } else { TOOL_FIELDS })?,
    };
    stdout::text(&text)?;
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

/// The header of the CSV column that holds every field no other column shows.
const OTHER_FIELDS: &str = "other_fields";

/// One entry as the table and CSV show it.
struct Shown {
    /// Its fields (`Null` if the stored text is not JSON).
    fields: Value,
    /// Whether it is a run of a skill or a call of a tool (a name and a
    /// status, by the component's own rule); otherwise it is an entry of
    /// another schema, shown by its fields.
    run: bool,
}

impl Shown {
    fn of(text: &str) -> Self {
        Self {
            fields: serde_json::from_str(text).unwrap_or(Value::Null),
            run: read_stored_line(text).is_some_and(|r| r.is_run()),
        }
    }

    /// Its fields other than `shown` and the seal, in their stored order.
    fn rest(&self, shown: &[&str]) -> Map<String, Value> {
        self.fields
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(key, _)| !shown.contains(&key.as_str()) && !SEAL_KEYS.contains(&key.as_str()))
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect()
    }

    /// The name cell of an entry of another schema: its fields other than
    /// `shown` and the seal as `key=value` pairs (JSON for values that are
    /// not strings), so a reader sees what it is; the table cuts it.
    fn glance(&self, shown: &[&str]) -> String {
        self.rest(shown)
            .iter()
            .map(|(key, value)| format!("{key}={}", text(value)))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The status cell of an entry that is not a run.
const NO_STATUS: &str = "-";

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
fn csv(entries: &[Shown], fields: &[&str]) -> Result<String, Failure> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let failed = |e: csv::Error| Failure::other(format!("cannot write CSV: {e}"));
    writer
        .write_record(fields.iter().chain([&OTHER_FIELDS]))
        .map_err(failed)?;
    for entry in entries {
        let rest = entry.rest(fields);
        let rest = if rest.is_empty() {
            String::new()
        } else {
            Value::Object(rest).to_string()
        };
        let cells = fields.iter().map(|f| match &entry.fields[*f] {
            Value::String(s) => inert_in_a_spreadsheet(s),
            other => text(other),
        });
        writer
            .write_record(
                cells
                    .chain([rest])
                    .map(|cell| invisible::escape(&cell).into_owned()),
            )
            .map_err(failed)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| Failure::other(format!("cannot write CSV: {e}")))?;
    Ok(String::from_utf8(bytes).expect("CSV of UTF-8 cells is UTF-8"))
}

/// A string cell as a spreadsheet shows it as text: one that begins with
/// `=`, `+`, `-` or `@` is a formula to Excel and LibreOffice, which can
/// fetch a URL with the sheet's data or run a command (CSV injection), so it
/// is written with a `'` before it, as OWASP advises; the spreadsheet shows
/// the text without it. Numbers, and the JSON of nested values, are written
/// as they are.
fn inert_in_a_spreadsheet(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

fn skill_table(entries: &[Shown]) -> String {
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
        .map(|shown| {
            let e = &shown.fields;
            // Older writers stamped `ts` in the skill log too.
            let time = if e["timestamp"].is_null() {
                "ts"
            } else {
                "timestamp"
            };
            if !shown.run {
                return vec![
                    text(&e[time]),
                    shown.glance(&[time]),
                    NO_STATUS.to_owned(),
                    String::new(),
                    String::new(),
                ];
            }
            let errors = e["errors"]
                .as_array()
                .map_or(String::new(), |a| a.len().to_string());
            vec![
                text(&e[time]),
                text(&e["skill"]),
                text(&e["status"]),
                text(&e["duration_ms"]),
                errors,
            ]
        })
        .collect();
    table::render(&columns, &rows)
}

fn tool_table(entries: &[Shown]) -> String {
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
        .map(|shown| {
            let e = &shown.fields;
            if !shown.run {
                return vec![
                    text(&e["ts"]),
                    text(&e["user"]),
                    shown.glance(&["ts", "user"]),
                    NO_STATUS.to_owned(),
                    String::new(),
                ];
            }
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
