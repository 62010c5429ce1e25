//! `auditlog tool`: record one tool call.

use std::path::{Path, PathBuf};

use super::{Cli, Failure, stdout};
use auditlog::ToolCall;
use auditlog::input_file::{self, Kinds};
use auditlog_model::cli::write::ToolArgs;

const AFTER_HELP: &str = "\
Prints the stored entry, one line of JSON:
  {\"ts\": ..., \"user\": ..., \"tool\": ..., \"args\": {...}, \"status\": ..., \"result_chars\": N, \"result_snippet\": ...}
String values in --args longer than 500 characters (at any depth) are cut to 500 plus
\" …[N chars total]\"; only the result's length and its first 300 characters are kept.

Examples:
  auditlog tool --user alice --tool file_read --status ok \\
      --args '{\"path\": \"notes.txt\"}' --result \"$OUT\"
  some-tool | auditlog tool --user alice --tool some-tool --status ok --result-file -";

/// Record one tool call in DIR/USER/tool_audit/YYYY-MM-DD.jsonl (today, UTC).
#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    /// The call, as the portable command takes it too.
    #[command(flatten)]
    call: ToolArgs,
    /// Read the tool's result from a file ("-" for standard input).
    #[arg(long, value_name = "PATH", conflicts_with = "result")]
    result_file: Option<PathBuf>,
}

pub fn run(cli: &Cli, args: &Args) -> Result<(), Failure> {
    let output = match (&args.call.result, &args.result_file) {
        (Some(text), _) => text.clone(),
        (None, Some(path)) => read_result(path)?,
        (None, None) => String::new(),
    };
    let call = ToolCall {
        user: args.call.user.clone(),
        tool: args.call.tool.clone(),
        args: args.call.args.clone(),
        status: args.call.status.clone(),
        output,
    };
    let log = cli.open(|mut builder| {
        if let Some(n) = args.call.arg_max_chars {
            builder = builder.arg_max_chars(n);
        }
        if let Some(n) = args.call.snippet_chars {
            builder = builder.snippet_chars(n);
        }
        builder
    })?;
    let receipt = log.append_tool(&call)?;
    super::repair::report(&receipt.recovered, &receipt.warnings);
    stdout::line(receipt.entry)?;
    Ok(())
}

/// The result `--result-file` names: standard input for `-` (a pipe, read
/// to its end), else a regular file (a FIFO or device would block or never
/// end); at most [`input_file::MAX_RESULT_BYTES`] either way.
fn read_result(path: &Path) -> Result<String, Failure> {
    let read = if path.as_os_str() == "-" {
        input_file::read_stdin(input_file::MAX_RESULT_BYTES)
    } else {
        input_file::read(path, Kinds::Regular, input_file::MAX_RESULT_BYTES)
    };
    let bytes = read.map_err(|e| Failure::input("--result-file", e))?;
    String::from_utf8(bytes)
        .map_err(|e| Failure::input("--result-file", format!("is not UTF-8 text ({e})")))
}
