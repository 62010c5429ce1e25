//! `auditlog run-skill`: run a sandboxed skill component and record it.

use std::path::PathBuf;
use std::sync::Arc;

use serde_json::json;

use super::{Cli, Failure, Utf8Text, stdout};
use auditlog::Error;
use auditlog::input_file::{self, Kinds, MAX_COMPONENT_BYTES};

const AFTER_HELP: &str = "\
A skill is a WebAssembly component of world `skill` (wit/auditlog.wit): it exports
`skill-entry.run(input) -> result<string, string>` and may import
`skill-audit.event(name, status, detail)` to add its own events. It runs with no files,
no network and no environment, under --timeout-ms and --memory-limit-mb.

Every run is recorded as a tool entry of USER with the skill's name as the tool:
args {\"input\": INPUT, \"duration_ms\": N}, status ok or error, and the start of the
result (or error) as result_snippet. The skill's own events land in the same log as
tool entries of USER and the same skill (args {\"event\": NAME, \"detail\": {...}}): the
host stamps both, so a skill cannot write as another skill or user.

Prints {\"status\", \"result\" or \"error\", \"events\", \"entry\"} as JSON, with the
result or error as the entry stores it (its result_snippet: secrets redacted, cut to
the snippet's length), and a failure's error so on stderr too. Exit 0 when the skill
succeeded, 1 when it failed or trapped (it is recorded either way), 2 when --user,
--name or SKILL.wasm is refused before the skill runs (nothing is recorded).

Examples:
  auditlog run-skill --user alice \\
      target/wasm32-wasip2/release/auditlog_sample_skill.wasm hello
  auditlog run-skill --user alice --name text.count ./count.wasm 'hello world'";

/// Run a sandboxed skill component for a user and record the run.
#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    /// The user the skill runs for.
    #[arg(long, value_name = "USER", value_parser = Utf8Text)]
    user: String,
    /// The skill's name in the log [default: the file's name without .wasm].
    #[arg(long, value_name = "NAME", value_parser = Utf8Text)]
    name: Option<String>,
    /// The skill component.
    #[arg(value_name = "SKILL.wasm")]
    skill_file: PathBuf,
    /// The skill's input.
    #[arg(value_name = "INPUT", allow_hyphen_values = true, value_parser = Utf8Text)]
    input: String,
}

pub fn run(cli: &Cli, args: &Args) -> Result<(), Failure> {
    let name = skill_name(args)?;
    let bytes = input_file::read(&args.skill_file, Kinds::Regular, MAX_COMPONENT_BYTES)
        .map_err(|e| Failure::input("SKILL.wasm", e))?;
    let log = Arc::new(cli.open(|builder| builder)?);
    let outcome = log
        .run_skill(&args.user, &name, &bytes, &args.input)
        .map_err(|error| match error {
            // The log is open, so the component that failed to load is the skill's.
            Error::Component(reason) => Failure::input(
                "SKILL.wasm",
                format!(
                    "{} is not a component this host can run: {reason}",
                    args.skill_file.display()
                ),
            ),
            error => error.into(),
        })?;
    // The skill's text is shown as the log stored it, redacted by the
    // component: never the raw text, which may hold a secret the entry does not.
    let shown = outcome.stored_output();
    let (status, key) = match &outcome.result {
        Ok(_) => ("ok", "result"),
        Err(_) => ("error", "error"),
    };
    let report =
        json!({"status": status, key: shown, "events": outcome.events, "entry": outcome.entry});
    stdout::line(serde_json::to_string_pretty(&report).expect("a report always serialises"))?;
    match outcome.result {
        Ok(_) => Ok(()),
        Err(_) => Err(Failure::other(format!("the skill {name} failed: {shown}"))),
    }
}

/// The skill's name, checked as the library checks it, but refused naming
/// where the user gave it: `--name`, or `SKILL.wasm` when the name is the
/// file's (the library's refusal says `skill:`, a field the command line
/// does not have).
fn skill_name(args: &Args) -> Result<String, Failure> {
    let (name, field) = match &args.name {
        Some(name) => (name.clone(), "--name"),
        None => (
            args.skill_file
                .file_stem()
                .and_then(|stem| stem.to_str())
                .map(str::to_owned)
                .ok_or_else(|| Failure::input("--name", "give the skill a name"))?,
            "SKILL.wasm",
        ),
    };
    let checked = auditlog_model::validate::name(field, &name)
        .and_then(|()| auditlog_model::reserved::refuse_reserved(field, &name));
    let reason = match checked {
        Ok(()) => return Ok(name),
        Err(auditlog_model::AuditError::Invalid { reason, .. }) => reason,
        Err(other) => other.to_string(),
    };
    Err(if field == "SKILL.wasm" {
        Failure::input(
            field,
            format!(
                "its file name, {}, would be the skill's name, which {reason}; give one with --name",
                args.skill_file.display()
            ),
        )
    } else {
        Failure::input(field, reason)
    })
}
