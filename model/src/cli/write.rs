//! The arguments of the commands that write an entry: `record` (one skill
//! run, as the seed script `audit_log.py` takes it) and `tool` (one tool
//! call).

use super::{Utf8Text, WholeNumber};
use crate::settings::{ARG_MAX_CHARS, MAX_ENTRIES, SNIPPET_CHARS};

/// What `record` takes: the seed script's positional arguments, and the
/// skill log's bound.
#[derive(Debug, Clone, clap::Args)]
pub struct RecordArgs {
    /// The skill's name, e.g. workflow.compose.
    // A leading dash is the seed's too: it takes every argument it does not
    // know as a positional one, and the component judges the value.
    #[arg(allow_hyphen_values = true, value_parser = Utf8Text)]
    pub skill: String,
    /// How the run ended: a lowercase word such as success, failed or timeout.
    #[arg(allow_hyphen_values = true, value_parser = Utf8Text)]
    pub status: String,
    /// How long the run took, in milliseconds ("" leaves it out).
    #[arg(allow_hyphen_values = true, value_parser = Utf8Text)]
    pub duration_ms: Option<String>,
    /// Error messages, a JSON array of strings ("" leaves it out).
    #[arg(allow_hyphen_values = true, value_parser = Utf8Text)]
    pub errors_json: Option<String>,
    /// More context, a JSON object ("" leaves it out).
    #[arg(allow_hyphen_values = true, value_parser = Utf8Text)]
    pub metadata_json: Option<String>,
    /// Keep at most N entries, dropping the oldest [default: 10000].
    #[arg(long, value_name = "N", allow_negative_numbers = true,
          value_parser = WholeNumber::<u32>::for_setting(&MAX_ENTRIES))]
    pub max_entries: Option<u32>,
}

impl RecordArgs {
    /// The positional arguments, as the seed script takes them.
    pub fn seed_args(&self) -> Vec<String> {
        let mut args = vec![self.skill.clone(), self.status.clone()];
        let optional = [&self.duration_ms, &self.errors_json, &self.metadata_json];
        args.extend(optional.into_iter().flatten().cloned());
        args
    }
}

/// What `tool` takes: the call, and how much of it is kept.
#[derive(Debug, Clone, clap::Args)]
pub struct ToolArgs {
    /// The user the tool ran for (a directory name: no '/', '..', or leading '.').
    #[arg(long, value_name = "USER", value_parser = Utf8Text)]
    pub user: String,
    /// The tool's name.
    #[arg(long, value_name = "TOOL", value_parser = Utf8Text)]
    pub tool: String,
    /// How the call ended: ok, error or denied.
    #[arg(long, value_name = "STATUS", value_parser = Utf8Text)]
    pub status: String,
    /// The call's arguments, a JSON object.
    #[arg(long, value_name = "JSON", default_value = "{}", value_parser = Utf8Text)]
    pub args: String,
    /// The tool's result.
    #[arg(long, value_name = "TEXT", value_parser = Utf8Text)]
    pub result: Option<String>,
    /// Cut string values in --args to N characters [default: 500].
    #[arg(long, value_name = "N", allow_negative_numbers = true,
          value_parser = WholeNumber::<u32>::for_setting(&ARG_MAX_CHARS))]
    pub arg_max_chars: Option<u32>,
    /// Keep the first N characters of the result [default: 300].
    #[arg(long, value_name = "N", allow_negative_numbers = true,
          value_parser = WholeNumber::<u32>::for_setting(&SNIPPET_CHARS))]
    pub snippet_chars: Option<u32>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Record {
        #[command(flatten)]
        args: RecordArgs,
    }

    #[test]
    fn the_seed_args_leave_out_what_was_not_given() {
        let record = Record::try_parse_from(["t", "a.b", "success", "-5"]).unwrap();
        assert_eq!(record.args.seed_args(), ["a.b", "success", "-5"]);
        let all = Record::try_parse_from(["t", "a.b", "failed", "", "[]", "{}"]).unwrap();
        assert_eq!(all.args.seed_args(), ["a.b", "failed", "", "[]", "{}"]);
    }

    /// The seed script takes every argument it does not know as a positional
    /// one, a leading dash and all: so do these, while `-h` and
    /// `--max-entries` keep their meaning.
    #[test]
    fn names_and_statuses_may_start_with_a_dash() {
        let record = Record::try_parse_from(["t", "-x", "success"]).unwrap();
        assert_eq!(record.args.seed_args(), ["-x", "success"]);
        let record = Record::try_parse_from(["t", "a.b", "-1", "-2"]).unwrap();
        assert_eq!(record.args.seed_args(), ["a.b", "-1", "-2"]);
        let record = Record::try_parse_from(["t", "--max-entries", "3", "-x", "ok"]).unwrap();
        assert_eq!(record.args.seed_args(), ["-x", "ok"]);
        assert_eq!(record.args.max_entries, Some(3));
        let record = Record::try_parse_from(["t", "-x", "ok", "--max-entries", "3"]).unwrap();
        assert_eq!(record.args.max_entries, Some(3));
        let help = Record::try_parse_from(["t", "-h"]).unwrap_err();
        assert_eq!(help.kind(), clap::error::ErrorKind::DisplayHelp);
    }
}
