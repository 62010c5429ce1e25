//! `auditlog recent`: the newest entries of a log, a page at a time.

use serde::de::IgnoredAny;
use serde_json::value::RawValue;

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
    /// JSON; numbers as stored (never through a double); control and invisible characters escaped (`\u{1b}`), one line an
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
struct Shown<'a> {
    /// Its fields in their stored order, each value as its JSON text as
    /// stored (none if the stored text is not a JSON object). Cells are
    /// made from this text, not from a parsed `serde_json::Value`: that
    /// holds a number as an `f64`, which would show
    /// `123456789012345678901234567890` as `1.2345678901234568e29` and
    /// `0.30000000000000001` as `0.3`.
    fields: Vec<(String, &'a RawValue)>,
    /// Whether it is a run of a skill or a call of a tool (a name and a
    /// status, by the component's own rule); otherwise it is an entry of
    /// another schema, shown by its fields.
    run: bool,
}

impl<'a> Shown<'a> {
    fn of(text: &'a str) -> Self {
        Self {
            fields: serde_json::from_str::<RawFields<'a>>(text)
                .map(|f| f.0)
                .unwrap_or_default(),
            run: read_stored_line(text).is_some_and(|r| r.is_run()),
        }
    }

    /// The stored text of the field `key` (the last, were it repeated, as
    /// a parsed value would hold), or `None` if the entry has no such field
    /// or it is `null`.
    fn get(&self, key: &str) -> Option<&'a RawValue> {
        self.fields
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|&(_, raw)| raw)
            .filter(|raw| raw.get() != "null")
    }

    /// The cell of the field `key`: see [`text`].
    fn cell(&self, key: &str) -> String {
        self.get(key).map(text).unwrap_or_default()
    }

    /// Its fields other than `shown` and the seal, in their stored order.
    fn rest(&self, shown: &[&str]) -> Vec<(&str, &'a RawValue)> {
        self.fields
            .iter()
            .enumerate()
            .filter(|(i, (key, _))| {
                // A repeated key once, as a parsed value holds it.
                !self.fields[i + 1..].iter().any(|(later, _)| later == key)
            })
            .map(|(_, (key, raw))| (key.as_str(), *raw))
            .filter(|(key, _)| !shown.contains(key) && !SEAL_KEYS.contains(key))
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

/// An entry's top-level fields, each with its value's stored JSON text.
struct RawFields<'a>(Vec<(String, &'a RawValue)>);

impl<'de: 'a, 'a> serde::Deserialize<'de> for RawFields<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for Visitor<'a> {
            type Value = RawFields<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<RawFields<'a>, A::Error> {
                let mut fields = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    fields.push((key, map.next_value::<&'de RawValue>()?));
                }
                Ok(RawFields(fields))
            }
        }
        deserializer.deserialize_map(Visitor(std::marker::PhantomData))
    }
}

/// The status cell of an entry that is not a run.
const NO_STATUS: &str = "-";

/// A cell's text: strings as they are, nothing for `null`, JSON otherwise
/// — numbers exactly as stored (see [`compact`]). The table escapes what a
/// terminal must not see raw; [`csv`] does the same.
fn text(value: &RawValue) -> String {
    let json = value.get();
    if json == "null" {
        String::new()
    } else if json.starts_with('"') {
        serde_json::from_str::<String>(json).unwrap_or_else(|_| json.to_owned())
    } else {
        compact(json)
    }
}

/// `json`, valid JSON text, on one line without the spaces between its
/// tokens: what `serde_json` would print for it, except that each number
/// keeps the text it was stored with (through an `f64` it could become
/// another number). Strings are written as `serde_json` writes them.
fn compact(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let mut rest = json;
    while let Some(c) = rest.chars().next() {
        if c == '"' {
            // The string runs to the first `"` not escaped.
            let mut escaped = false;
            let end = rest[1..]
                .char_indices()
                .find(|&(_, c)| {
                    let ends = c == '"' && !escaped;
                    escaped = c == '\\' && !escaped;
                    ends
                })
                .map_or(rest.len(), |(i, _)| i + 2);
            let token = &rest[..end];
            match serde_json::from_str::<String>(token) {
                Ok(string) => out
                    .push_str(&serde_json::to_string(&string).expect("a string always serialises")),
                Err(_) => out.push_str(token),
            }
            rest = &rest[end..];
        } else {
            if !matches!(c, ' ' | '\t' | '\n' | '\r') {
                out.push(c);
            }
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// The entries as CSV, one line each: control and invisible characters in a
/// cell (newlines too) are written as escapes such as `\u{1b}`, because CSV
/// is as often shown on a terminal as read by a program; the exact values are
/// in the JSON formats. Numbers, and the numbers in nested values, are
/// written with the text they were stored with.
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
            let members: Vec<String> = rest
                .iter()
                .map(|(key, value)| {
                    format!(
                        "{}:{}",
                        serde_json::to_string(key).expect("a string always serialises"),
                        compact(value.get())
                    )
                })
                .collect();
            format!("{{{}}}", members.join(","))
        };
        let cells = fields.iter().map(|f| match entry.get(f) {
            Some(raw) if raw.get().starts_with('"') => inert_in_a_spreadsheet(&text(raw)),
            Some(raw) => text(raw),
            None => String::new(),
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
            // Older writers stamped `ts` in the skill log too.
            let time = if shown.get("timestamp").is_none() {
                "ts"
            } else {
                "timestamp"
            };
            if !shown.run {
                return vec![
                    shown.cell(time),
                    shown.glance(&[time]),
                    NO_STATUS.to_owned(),
                    String::new(),
                    String::new(),
                ];
            }
            let errors = shown
                .get("errors")
                .and_then(|raw| serde_json::from_str::<Vec<IgnoredAny>>(raw.get()).ok())
                .map_or(String::new(), |a| a.len().to_string());
            vec![
                shown.cell(time),
                shown.cell("skill"),
                shown.cell("status"),
                shown.cell("duration_ms"),
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
            if !shown.run {
                return vec![
                    shown.cell("ts"),
                    shown.cell("user"),
                    shown.glance(&["ts", "user"]),
                    NO_STATUS.to_owned(),
                    String::new(),
                ];
            }
            vec![
                shown.cell("ts"),
                shown.cell("user"),
                shown.cell("tool"),
                shown.cell("status"),
                shown.cell("result_snippet"),
            ]
        })
        .collect();
    table::render(&columns, &rows)
}
