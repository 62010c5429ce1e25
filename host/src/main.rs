//! `auditlog`: record and read audit entries through the auditlog component.
//!
//! Parses arguments and prints; everything else is the library's (and so the
//! component's). Exit codes: 0 success, 2 bad input (the message names the
//! field), 1 any other failure.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::run()
}
