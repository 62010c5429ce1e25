//! `auditlog recent`: the newest entries of a log.

use serde_json::Value;

use super::table::{self, Column};
use super::{Cli, Failure, Utf8Text};
use auditlog::{RecentQuery, Source};

const AFTER_HELP: &str = "\
Entries come newest first. --all-users merges every user's tool log by time.

Examples:
  auditlog recent --skills --limit 5
  auditlog recent --user alice --days 1 --format jsonl
  auditlog recent --all-users --format table";

/// Show the newest entries of the skill log or of tool logs, newest first.
#[derive(Debug, clap::Args)]
#[command(
    after_help = AFTER_HELP,
    group(clap::ArgGroup::new("source").required(true).args(["skills", "user", "all_users"])),
)]
pub struct Args {
    /// Read the skill log (audit_log.json).
    #[arg(long)]
    skills: bool,
    /// Read this user's tool log.
    #[arg(long, value_name = "USER", value_parser = Utf8Text)]
    user: Option<String>,
    /// Read every user's tool log, merged by time.
    #[arg(long)]
    all_users: bool,
    /// Return at most N entries (1 to 10000).
    #[arg(
        long,
        value_name = "N",
        default_value_t = 200,
        allow_negative_numbers = true
    )]
    limit: u32,
    /// Only entries from today and the N-1 UTC days before (1 to 3660).
    #[arg(
        long,
        value_name = "N",
        default_value_t = 7,
        allow_negative_numbers = true
    )]
    days: u32,
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
}

pub fn run(cli: &Cli, args: &Args) -> Result<(), Failure> {
    let source = match (&args.user, args.skills) {
        (Some(user), _) => Source::User(user.clone()),
        (None, true) => Source::Skills,
        (None, false) => Source::AllUsers,
    };
    let is_skills = matches!(source, Source::Skills);
    let query = RecentQuery {
        source,
        limit: Some(args.limit),
        days: Some(args.days),
    };
    let log = cli.open(|builder| builder)?;
    let entries = log.recent_json(&query)?;
    let text = match args.format {
        Format::Json if entries.is_empty() => "[]\n".to_owned(),
        Format::Json => format!("[\n  {}\n]\n", entries.join(",\n  ")),
        Format::Jsonl => entries.iter().map(|e| format!("{e}\n")).collect(),
        Format::Table => {
            let parsed: Vec<Value> = entries
                .iter()
                .map(|e| serde_json::from_str(e).unwrap_or(Value::Null))
                .collect();
            if is_skills {
                skill_table(&parsed)
            } else {
                tool_table(&parsed)
            }
        }
    };
    print!("{text}");
    Ok(())
}

fn text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
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
