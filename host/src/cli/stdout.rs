//! A command's answer on stdout. A write that fails (a full disk, a closed
//! descriptor) is a failure the command reports in one line, exit 1, never a
//! panic; what the command stored before stays stored.

use std::fmt::Display;
use std::io::Write;

use super::Failure;

/// Writes `text` to stdout and flushes it.
pub(super) fn text(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Failure::other(format!("writing to stdout failed: {e}")))
}

/// Writes `line` and a newline to stdout and flushes it.
pub(super) fn line(line: impl Display) -> Result<(), Failure> {
    text(&format!("{line}\n"))
}
