//! `auditlog record`: the seed's `audit_log.py` command line, and its response.

use serde_json::{Value, json};

use super::{Cli, Failure, Utf8Text};
use auditlog::{SkillReceipt, SkillRun};

const AFTER_HELP: &str = "\
Prints one JSON document, the same as the seed's audit_log.py:
  {\"ok\": true, \"status\": \"success\", \"errors\": [], \"path\": ...,
   \"details\": {\"status\": \"success\", \"audit_entry\": {...},
               \"audit_log_path\": ..., \"total_entries\": N}}
On failure \"ok\" is false, \"errors\" holds the reason, nothing is written, and the
exit status is 2 for a refused input, 1 otherwise. Housekeeping after a stored entry
that did not get done (retention, the index) is a warning: \"details.warnings\" and
\"auditlog: warning: ...\" on stderr, exit status 0.

Examples:
  auditlog record workflow.validate success 150
  auditlog record workflow.compose failed 5000 '[\"Step 3 failed\", \"Timeout occurred\"]'
  auditlog record registry.update success \"\" \"[]\" '{\"skill\": \"api.validate\", \"action\": \"update\"}'";

/// Record one skill run in DIR/audit_log.json and print the seed's response JSON.
#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    /// The skill's name, e.g. workflow.compose.
    #[arg(value_parser = Utf8Text)]
    skill: String,
    /// How the run ended: a lowercase word such as success, failed or timeout.
    #[arg(value_parser = Utf8Text)]
    status: String,
    /// How long the run took, in milliseconds ("" leaves it out).
    #[arg(allow_hyphen_values = true, value_parser = Utf8Text)]
    duration_ms: Option<String>,
    /// Error messages, a JSON array of strings ("" leaves it out).
    #[arg(allow_hyphen_values = true, value_parser = Utf8Text)]
    errors_json: Option<String>,
    /// More context, a JSON object ("" leaves it out).
    #[arg(allow_hyphen_values = true, value_parser = Utf8Text)]
    metadata_json: Option<String>,
    /// Keep at most N entries, dropping the oldest [default: skill_log.max_entries
    /// in DIR/auditlog.toml, else 10000].
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    max_entries: Option<u32>,
}

pub fn run(cli: &Cli, args: &Args) -> Result<(), Failure> {
    let log_path = std::path::absolute(cli.dir.join("audit_log.json"))
        .unwrap_or_else(|_| cli.dir.join("audit_log.json"));
    let outcome = skill_run(args).and_then(|run| {
        let log = cli.open(|builder| match args.max_entries {
            Some(n) => builder.max_entries(n),
            None => builder,
        })?;
        Ok(log.append_skill(&run)?)
    });
    let response = match &outcome {
        Ok(receipt) => {
            super::repair::report(&receipt.recovered, &receipt.warnings);
            success(receipt)
        }
        Err(failure) => failed(failure, &log_path),
    };
    println!(
        "{}",
        serde_json::to_string_pretty(&response).expect("a response always serialises")
    );
    outcome.map(|_| ())
}

/// The positional arguments as a [`SkillRun`]; empty optional ones are left out.
fn skill_run(args: &Args) -> Result<SkillRun, Failure> {
    let run = auditlog_guest::skill_log::SkillRun::from_seed_args(
        &args.skill,
        &args.status,
        args.duration_ms.as_deref(),
        args.errors_json.as_deref(),
        args.metadata_json.as_deref(),
    )
    .map_err(auditlog::Error::from)?;
    Ok(SkillRun {
        skill: run.skill,
        status: run.status,
        duration_ms: run.duration_ms,
        errors: run.errors,
        metadata: run.metadata,
    })
}

fn success(receipt: &SkillReceipt) -> Value {
    let mut response = json!({
        "ok": true,
        "status": "success",
        "errors": [],
        "path": receipt.path,
        "details": {
            "status": "success",
            "audit_entry": receipt.entry,
            "audit_log_path": receipt.path,
            "total_entries": receipt.total_entries,
        },
    });
    if !receipt.recovered.is_empty() {
        let repairs: Vec<Value> = receipt
            .recovered
            .iter()
            .map(super::repair::to_json)
            .collect();
        response["details"]["recovered"] = Value::from(repairs);
    }
    if !receipt.warnings.is_empty() {
        response["details"]["warnings"] = Value::from(receipt.warnings.clone());
    }
    response
}

fn failed(failure: &Failure, log_path: &std::path::Path) -> Value {
    let (kind, details) = match &failure.field {
        Some(field) => ("SkillValidationError", json!({ "field": field })),
        None => ("AuditLogError", json!({})),
    };
    json!({
        "ok": false,
        "status": "failed",
        "errors": [failure.message],
        "path": log_path,
        "details": {
            "error": { "error": kind, "message": failure.message, "details": details },
        },
    })
}
