//! `auditlog`: record and read audit entries through the auditlog component.
//!
//! Parses arguments and prints; everything else is the library's (and so the
//! component's). Exit codes: 0 success, 2 bad input (the message names the
//! field), 1 any other failure.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    set_signal_dispositions();
    cli::run()
}

/// Two signal dispositions a command-line tool wants:
/// - under a file-size limit (`ulimit -f`), a write past it raises SIGXFSZ,
///   whose default action kills the process before it can say why or clean
///   up. Ignored, the write fails with EFBIG instead: the component cuts the
///   file back and the CLI reports the error;
/// - Rust ignores SIGPIPE, so output into a closed pipe (`| head`) would
///   panic; with the default action the CLI ends quietly, like other tools.
#[cfg(unix)]
#[allow(unsafe_code)]
fn set_signal_dispositions() {
    // SAFETY: setting dispositions to SIG_IGN / SIG_DFL at start-up, before
    // any other thread exists, installs no handler code and races nothing.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn set_signal_dispositions() {}
