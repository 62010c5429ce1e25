//! How both command lines word a failure on stderr: one line, starting
//! `auditlog: `, with what a terminal would act on shown escaped.

use crate::invisible::escape;

/// The stderr line for a command that failed with `message`.
pub fn failure_line(message: &str) -> String {
    format!("auditlog: {}", escape(&one_line(message)))
}

/// The stderr line for a command line clap refused: its message without
/// the `error: ` prefix, the usage block and the hints, then `(see --help)`.
pub fn refusal_line(error: &clap::Error) -> String {
    let rendered = error.render().to_string();
    format!("{} (see --help)", failure_line(clap_message(&rendered)))
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
    use clap::Parser;

    #[derive(Debug, Parser)]
    #[command(name = "auditlog")]
    struct Cli {
        #[arg(long)]
        limit: u32,
    }

    #[test]
    fn a_failure_is_one_escaped_line() {
        assert_eq!(
            failure_line("  first\n\n  second\u{1b}  \n"),
            "auditlog: first second\\u{1b}"
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
