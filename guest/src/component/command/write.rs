//! The commands that write an entry: `record` and `tool`.

use auditlog_model::cli::write::{RecordArgs, ToolArgs};

use super::{Failure, LOGS, seed};
use crate::settings::SettingsUpdate;
use crate::skill_log;
use crate::tool_log::ToolCall;

/// As the host CLI's `record`: the seed's response JSON on stdout, its exit
/// status (WASI's success or failure), the answer built by
/// [`seed`].
pub(super) fn record(args: &RecordArgs, update: &SettingsUpdate) -> Result<(), Failure> {
    let path = format!("/{}", skill_log::LOG_PATH);
    let answer = match LOGS.with_borrow_mut(|logs| logs.configure(update)) {
        Ok(()) => seed::record(&args.seed_args(), &path),
        Err(error) => seed::failed(&error, &path),
    };
    println!("{}", answer.response);
    if answer.exit_code != auditlog_model::seed::EXIT_STORED {
        return Err(Failure {
            message: answer.report.join(" "),
        });
    }
    for line in &answer.report {
        eprintln!("auditlog: {line}");
    }
    Ok(())
}

/// As the host CLI's `tool`: repairs and warnings on stderr, the stored
/// entry on stdout.
pub(super) fn tool(args: &ToolArgs) -> Result<(), Failure> {
    let call = ToolCall {
        user: args.user.clone(),
        tool: args.tool.clone(),
        args: args.args.clone(),
        status: args.status.clone(),
        output: args.result.clone().unwrap_or_default(),
    };
    let receipt = LOGS.with_borrow(|logs| logs.append_tool(&call))?;
    for recovery in &receipt.recovered {
        eprintln!("auditlog: {}", recovery.notice());
    }
    for warning in &receipt.warnings {
        eprintln!("auditlog: warning: {warning}");
    }
    println!("{}", receipt.entry);
    Ok(())
}
