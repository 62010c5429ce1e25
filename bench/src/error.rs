//! What can stop a benchmark run.

use std::path::PathBuf;
use std::process::ExitStatus;

/// Why a run stopped. Each message is one line for stderr.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No `auditlog` beside this program, where it looks by default.
    #[error(
        "no auditlog executable at {} (the cli_tool_* figures run it): build it with `{build}`, or name one with --auditlog PATH",
        path.display()
    )]
    AuditlogNotBuilt {
        /// Where it looked.
        path: PathBuf,
        /// The cargo command that builds it there.
        build: String,
    },
    /// The file `--auditlog` names is not there.
    #[error("--auditlog: no executable at {}", .0.display())]
    AuditlogNotFound(PathBuf),
    /// This program's own path is unknown, so nothing beside it can be found.
    #[error("cannot find this program: {0}")]
    CurrentExe(std::io::Error),
    /// The directory for the benchmark's data could not be made.
    #[error("cannot create a temporary directory: {0}")]
    TempDir(std::io::Error),
    /// Writing or removing the benchmark's own data failed.
    #[error("cannot {action} {}: {source}", path.display())]
    Data {
        /// `create`, `remove`, `write`, `read` or `move`.
        action: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The host library (and so the component) failed a call.
    #[error(transparent)]
    Host(#[from] auditlog::Error),
    /// The component's code compiled natively failed an append.
    #[error(transparent)]
    Native(#[from] auditlog_guest::AuditError),
    /// A process the benchmark times could not be started.
    #[error("cannot run a process: {0}")]
    Spawn(std::io::Error),
    /// A process the benchmark times failed.
    #[error("a process failed: {0}")]
    Process(ExitStatus),
    /// A query answered with another count than the data it was given holds.
    #[error("{figure}: expected {expected} entries, got {got}")]
    Count {
        /// The figure being measured.
        figure: &'static str,
        /// The entries written.
        expected: u64,
        /// The entries answered.
        got: u64,
    },
}

impl Error {
    /// 2 when an input was at fault (an option, or something the host
    /// refused as invalid), 1 otherwise: as `auditlog` exits.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::AuditlogNotBuilt { .. } | Self::AuditlogNotFound(_) => 2,
            Self::Host(error) if error.is_invalid_input() => 2,
            _ => 1,
        }
    }
}
