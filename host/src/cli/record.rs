//! `auditlog record`: the seed's `audit_log.py` command line, and its response.

use auditlog_model::cli::write::RecordArgs;
use auditlog_model::seed;

use super::{Cli, Failure, stdout};

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
  auditlog record registry.update success \"\" \"[]\" \\
      '{\"skill\": \"api.validate\", \"action\": \"update\"}'";

/// Record one skill run in DIR/audit_log.json and print the seed's response JSON.
#[derive(Debug, clap::Args)]
#[command(
    after_help = AFTER_HELP,
    mut_arg("max_entries", |arg| arg.help(MAX_ENTRIES_HELP)),
)]
pub struct Args {
    /// The run and the skill log's bound, as the portable command takes them.
    #[command(flatten)]
    record: RecordArgs,
}

/// `--max-entries`, saying that here its default comes from DIR/auditlog.toml.
const MAX_ENTRIES_HELP: &str = "Keep at most N entries, dropping the oldest \
    [default: skill_log.max_entries in DIR/auditlog.toml, else 10000]";

/// Runs `record`: the component answers the seed's call (`record-seed`);
/// a failure before it could (the log cannot be opened, a refused setting)
/// is answered here, in the same shape.
pub fn run(cli: &Cli, args: &Args) -> Result<(), Failure> {
    let log = match cli.open(|builder| match args.record.max_entries {
        Some(n) => builder.max_entries(n),
        None => builder,
    }) {
        Ok(log) => log,
        Err(failure) => return Err(unanswered(cli, failure)),
    };
    let log_path = log.dir().join(LOG_FILE).display().to_string();
    let answer = match log.record_seed(&args.record.seed_args(), &log_path) {
        Ok(answer) => answer,
        Err(error) => return Err(unanswered(cli, error.into())),
    };
    stdout::line(answer.response)?;
    if answer.exit_code != seed::EXIT_STORED {
        return Err(Failure {
            message: answer.report.join(" "),
            field: None,
            code: answer.exit_code,
        });
    }
    for line in &answer.report {
        eprintln!("auditlog: {line}");
    }
    Ok(())
}

/// The skill log's file name in the log directory.
const LOG_FILE: &str = "audit_log.json";

/// Prints the seed's failure response for a failure the component did not
/// answer, and hands the failure on (its exit status stays).
fn unanswered(cli: &Cli, failure: Failure) -> Failure {
    let path = cli.dir.join(LOG_FILE);
    let path = std::path::absolute(&path).unwrap_or(path);
    let answer = seed::Answer::failed(
        &failure.message,
        failure.field.as_deref(),
        &path.display().to_string(),
    );
    // The failure is what the caller must learn (and its exit status);
    // stdout failing as well changes neither.
    let _ = stdout::line(answer.response);
    failure
}
