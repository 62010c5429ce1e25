//! `auditlog`: record and read audit entries through the auditlog component.
//!
//! Parses arguments and prints; everything else is the library's (and so the
//! component's). Exit codes: 0 success, 2 bad input (the message names the
//! field), 1 any other failure.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    ignore_file_size_signal();
    cli::run()
}

/// Under a file-size limit (`ulimit -f`), a write past it raises SIGXFSZ,
/// whose default action kills the process before it can say why or clean
/// up. Ignored, the write fails with EFBIG instead: the component cuts the
/// file back and the CLI reports the error.
#[cfg(unix)]
#[allow(unsafe_code)]
fn ignore_file_size_signal() {
    // SAFETY: setting a signal's disposition to SIG_IGN at start-up, before
    // any other thread exists, installs no handler code and races nothing.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}

#[cfg(not(unix))]
fn ignore_file_size_signal() {}
