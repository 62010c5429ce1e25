//! How both command lines word a failure on stderr: one line, starting
//! `auditlog: `, with what a terminal would act on shown escaped, and a
//! refused value quoted at most [`invisible::MAX_REFUSED_CHARS`] characters
//! long ([`invisible::refused`]).

use clap::error::{ContextKind, ContextValue, ErrorKind};

use crate::invisible::{self, escape};

/// The stderr line for a command that failed with `message`.
pub fn failure_line(message: &str) -> String {
    format!("auditlog: {}", escape(&one_line(message)))
}

/// The stderr line for a command line clap refused: its message without
/// the `error: ` prefix, the usage block and the hints, then `(see --help)`.
/// A value clap quotes (`invalid value '…'`, `unexpected argument '…'`) is
/// cut as [`quoted_as_clap_does`] cuts it; a command run without the
/// subcommand it needs says so and lists them (clap shows the command's
/// help there, whose first line is its description, not an error).
pub fn refusal_line(error: &clap::Error) -> String {
    format!("{} (see --help)", failure_line(&refusal(error)))
}

/// [`refusal_line`] for a refused value that the environment variable
/// `variable` gave (clap's message names the flag, which the user never
/// typed): `AUDITLOG_MAX_DAYS (for --max-days): invalid value 'abc': …`, or
/// for an empty value, that it is set but empty.
pub fn env_refusal_line(error: &clap::Error, variable: &str) -> String {
    let context = |kind| match error.get(kind) {
        Some(ContextValue::String(text)) => Some(text.as_str()),
        _ => None,
    };
    let (Some(arg), Some(value)) = (
        context(ContextKind::InvalidArg),
        context(ContextKind::InvalidValue),
    ) else {
        return refusal_line(error);
    };
    let flag = arg.split([' ', '=']).next().unwrap_or(arg);
    let message = if value.is_empty() {
        format!(
            "{variable} (for {flag}): is set but empty; set it to a value, or unset it \
             (`unset {variable}`)"
        )
    } else {
        let refused = refusal(error);
        let said = format!("invalid value {} for '{arg}'", quoted_as_clap_does(value));
        match refused.strip_prefix(&said) {
            Some(rest) => format!(
                "{variable} (for {flag}): invalid value {}{rest}",
                quoted_as_clap_does(value)
            ),
            None => format!("{variable} (for {flag}): {refused}"),
        }
    };
    format!("{} (see --help)", failure_line(&message))
}

/// `'value'`, as clap quotes a value in its messages, or, when it is longer
/// than a refusal quotes, [`invisible::refused`]'s cut form.
pub fn quoted_as_clap_does(value: &str) -> String {
    if value.chars().nth(invisible::MAX_REFUSED_CHARS).is_some() {
        invisible::refused(value)
    } else {
        format!("'{value}'")
    }
}

/// clap's message for `error`, on one line once [`one_line`] is applied,
/// with long quoted values cut.
fn refusal(error: &clap::Error) -> String {
    let rendered = error.render().to_string();
    if error.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        return missing_subcommand(&rendered);
    }
    if error.kind() == ErrorKind::MissingSubcommand
        && let Some(ContextValue::Strings(names)) = error.get(ContextKind::ValidSubcommand)
    {
        let usage = match error.get(ContextKind::Usage) {
            Some(ContextValue::StyledStr(usage)) => usage.to_string(),
            _ => String::new(),
        };
        let names = names.iter().map(String::as_str);
        return subcommand_required(names, &usage);
    }
    // The values clap quotes are in its context: cut each that is long.
    let mut rendered = rendered;
    for (_, value) in error.context() {
        if let ContextValue::String(value) = value
            && value.chars().nth(invisible::MAX_REFUSED_CHARS).is_some()
        {
            rendered = rendered.replace(&format!("'{value}'"), &quoted_as_clap_does(value));
        }
    }
    clap_message(&rendered).to_owned()
}

/// What a command run without its subcommand (or arguments) lacks, from
/// the help clap rendered instead of an error: the subcommands listed
/// under `Commands:` and the usage line.
fn missing_subcommand(help: &str) -> String {
    let commands = help
        .split("\n\n")
        .find_map(|block| block.trim_start().strip_prefix("Commands:"))
        .into_iter()
        .flat_map(str::lines)
        // A command's line is indented two spaces; its wrapped help, more.
        .filter(|line| line.starts_with("  ") && !line[2..].starts_with(char::is_whitespace))
        .filter_map(|line| line.split_whitespace().next());
    subcommand_required(commands, help)
}

/// `a subcommand is required: record, tool (usage: auditlog <COMMAND>)`,
/// from the subcommands' names (clap's own `help` left out) and a text
/// holding the usage line.
fn subcommand_required<'a>(names: impl Iterator<Item = &'a str>, usage: &str) -> String {
    let names: Vec<&str> = names.filter(|&name| name != "help").collect();
    let what = if names.is_empty() {
        "arguments are required".to_owned()
    } else {
        format!("a subcommand is required: {}", names.join(", "))
    };
    let usage = usage
        .lines()
        .find_map(|line| line.trim().strip_prefix("Usage:"))
        .map(str::trim);
    match usage {
        Some(usage) => format!("{what} (usage: {usage})"),
        None => what,
    }
}

/// `message` on one line: each line trimmed, blank ones left out, joined
/// by spaces.
pub fn one_line(message: &str) -> String {
    let lines: Vec<&str> = message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    lines.join(" ")
}

/// clap's message without its `error: ` prefix, usage block and hints.
fn clap_message(rendered: &str) -> &str {
    let message = rendered.split("\n\n").next().unwrap_or(rendered);
    message.trim().trim_start_matches("error: ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{CommandFactory, Parser};

    #[derive(Debug, Parser)]
    #[command(name = "auditlog")]
    struct Cli {
        #[arg(long)]
        limit: u32,
    }

    /// A command with subcommands, one of them also with subcommands.
    #[derive(Debug, Parser)]
    #[command(name = "auditlog")]
    struct Nested {
        #[command(subcommand)]
        command: Top,
    }

    #[derive(Debug, clap::Subcommand)]
    enum Top {
        /// Record something.
        Record,
        /// Show or change the configuration; a description long enough to be
        /// wrapped onto a second line of the help in a narrow terminal, which
        /// must not be read as a command.
        Config {
            #[command(subcommand)]
            command: ConfigCommand,
        },
        #[command(hide = true)]
        Secret,
    }

    #[derive(Debug, clap::Subcommand)]
    enum ConfigCommand {
        /// Print it.
        Show,
    }

    #[test]
    fn a_failure_is_one_escaped_line() {
        assert_eq!(
            failure_line("  first\n\n  second\u{1b}  \n"),
            "auditlog: first second\\u{1b}"
        );
    }

    #[test]
    fn a_missing_subcommand_is_named_with_the_subcommands() {
        let error = Nested::try_parse_from(["auditlog", "config"]).unwrap_err();
        assert_eq!(
            refusal_line(&error),
            "auditlog: a subcommand is required: show (usage: auditlog config <COMMAND>) \
             (see --help)"
        );
        let error = Nested::try_parse_from(["auditlog"]).unwrap_err();
        assert_eq!(
            refusal_line(&error),
            "auditlog: a subcommand is required: record, config (usage: auditlog <COMMAND>) \
             (see --help)"
        );
        // With an option given, clap refuses the missing subcommand rather
        // than showing the help: the same words (the caller hides hidden ones).
        let mut error = Nested::command()
            .arg(clap::Arg::new("dir").long("dir").global(true))
            .try_get_matches_from(["auditlog", "--dir", "x"])
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::MissingSubcommand);
        error.insert(
            ContextKind::ValidSubcommand,
            ContextValue::Strings(vec!["record".into(), "config".into(), "help".into()]),
        );
        assert_eq!(
            refusal_line(&error),
            "auditlog: a subcommand is required: record, config (usage: auditlog [OPTIONS] \
             <COMMAND>) (see --help)"
        );
    }

    #[test]
    fn a_long_refused_value_is_quoted_cut() {
        let long = "9".repeat(5000);
        let error = Cli::try_parse_from(["auditlog", "--limit", &long]).unwrap_err();
        let line = refusal_line(&error);
        assert!(line.len() < 300, "{line}");
        // One word across the cut (a secret could be one): dropped whole.
        assert!(
            line.starts_with(
                "auditlog: invalid value \"\"… (5000 characters) for '--limit <LIMIT>': "
            ),
            "{line}"
        );
        let error = Cli::try_parse_from(["auditlog", &format!("--{long}")]).unwrap_err();
        assert!(refusal_line(&error).len() < 300, "{}", refusal_line(&error));
    }

    #[test]
    fn a_value_from_the_environment_is_refused_naming_the_variable() {
        let error = Cli::try_parse_from(["auditlog", "--limit", "x"]).unwrap_err();
        assert_eq!(
            env_refusal_line(&error, "AUDITLOG_LIMIT"),
            "auditlog: AUDITLOG_LIMIT (for --limit): invalid value 'x': invalid digit found \
             in string (see --help)"
        );
        let error = Cli::try_parse_from(["auditlog", "--limit="]).unwrap_err();
        assert_eq!(
            env_refusal_line(&error, "AUDITLOG_LIMIT"),
            "auditlog: AUDITLOG_LIMIT (for --limit): is set but empty; set it to a value, or \
             unset it (`unset AUDITLOG_LIMIT`) (see --help)"
        );
    }

    #[test]
    fn a_refusal_keeps_clap_s_message_only() {
        let error = Cli::try_parse_from(["auditlog", "--limit", "x"]).unwrap_err();
        assert_eq!(
            refusal_line(&error),
            "auditlog: invalid value 'x' for '--limit <LIMIT>': invalid digit found in string \
             (see --help)"
        );
    }
}
