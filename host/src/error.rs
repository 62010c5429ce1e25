//! The host library's errors: the component's own, plus what can go wrong
//! around it (the directory, the component file, a trap, a time or memory limit).

use std::path::{Path, PathBuf};
use std::time::Duration;

use auditlog_model::AuditError;

/// Why a call on an [`AuditLog`](crate::AuditLog) failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An input was refused; nothing was written.
    #[error("{field}: {reason}")]
    Invalid {
        /// The refused field, as stored or as on the command line.
        field: String,
        /// Why.
        reason: String,
    },
    /// Writing or reading the log failed; nothing was written.
    #[error("storage failed: {0}")]
    Storage(String),
    /// A log file is damaged; a read leaves it untouched, the next append
    /// or [`AuditLog::repair`](crate::AuditLog::repair) mends it.
    #[error("log file is damaged: {0}")]
    Corrupt(String),
    /// The entry was written, but flushing it to stable storage failed (see
    /// [`SyncMode`](crate::SyncMode)): it may not survive a power loss.
    #[error("written, but flushing to stable storage failed: {0}")]
    Flush(String),
    /// The log directory's configuration file (`auditlog.toml`) cannot be
    /// read or holds something invalid; nothing was opened or written.
    #[error("{}", config_message(path, key.as_deref(), *line, reason))]
    Config {
        /// The file.
        path: PathBuf,
        /// The offending key, dotted (`tool_log.max_days`), when there is one.
        key: Option<String>,
        /// Its line in the file (1-based), when known.
        line: Option<usize>,
        /// Why.
        reason: String,
    },
    /// The log directory could not be created or opened.
    #[error("cannot open log directory {}: {source}", path.display())]
    Directory {
        /// The directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The component could not be read, compiled or instantiated.
    #[error("cannot load the component: {0}")]
    Component(String),
    /// The component trapped; its instance was discarded.
    #[error("the component failed: {0}")]
    Trap(String),
    /// A call ran longer than the time limit
    /// ([`AuditLogBuilder::call_timeout`](crate::AuditLogBuilder::call_timeout));
    /// it was stopped and its instance discarded.
    #[error("the component exceeded its time limit of {} ms", limit.as_millis())]
    Timeout {
        /// The time limit.
        limit: Duration,
    },
    /// A call tried to grow the component's memory past the limit
    /// ([`AuditLogBuilder::memory_limit`](crate::AuditLogBuilder::memory_limit));
    /// it was stopped and its instance discarded.
    #[error("the component exceeded its memory limit of {}", bytes(*limit))]
    OutOfMemory {
        /// The memory limit, in bytes.
        limit: usize,
    },
}

/// `n` bytes in MiB when that is a whole number, else in bytes.
fn bytes(n: usize) -> String {
    const MIB: usize = 1024 * 1024;
    if n.is_multiple_of(MIB) {
        format!("{} MiB", n / MIB)
    } else {
        format!("{n} bytes")
    }
}

/// `FILE: KEY (line N): REASON`, leaving out what is not known.
fn config_message(path: &Path, key: Option<&str>, line: Option<usize>, reason: &str) -> String {
    let path = path.display();
    match (key, line) {
        (Some(key), Some(line)) => format!("{path}: {key} (line {line}): {reason}"),
        (Some(key), None) => format!("{path}: {key}: {reason}"),
        (None, Some(line)) => format!("{path} line {line}: {reason}"),
        (None, None) => format!("{path}: {reason}"),
    }
}

impl Error {
    /// Whether the caller's input was at fault (exit code 2 on the command
    /// line): a refused input or an invalid configuration file.
    pub fn is_invalid_input(&self) -> bool {
        matches!(self, Self::Invalid { .. } | Self::Config { .. })
    }

    /// Whether the failed call is known to have written nothing: a refused
    /// input, or a storage failure the component took its writes back from.
    /// A group of appends that failed this way can be retried one by one.
    pub(crate) fn wrote_nothing(&self) -> bool {
        matches!(self, Self::Invalid { .. } | Self::Storage(_))
    }

    /// The same error again, for each caller of a group that failed as a
    /// whole (an `io::Error` cannot be cloned, so a directory's keeps its
    /// kind and text).
    pub(crate) fn replicate(&self) -> Self {
        match self {
            Self::Invalid { field, reason } => Self::invalid(field, reason.clone()),
            Self::Storage(m) => Self::Storage(m.clone()),
            Self::Corrupt(m) => Self::Corrupt(m.clone()),
            Self::Flush(m) => Self::Flush(m.clone()),
            Self::Config {
                path,
                key,
                line,
                reason,
            } => Self::Config {
                path: path.clone(),
                key: key.clone(),
                line: *line,
                reason: reason.clone(),
            },
            Self::Directory { path, source } => Self::Directory {
                path: path.clone(),
                source: std::io::Error::new(source.kind(), source.to_string()),
            },
            Self::Component(m) => Self::Component(m.clone()),
            Self::Trap(m) => Self::Trap(m.clone()),
            Self::Timeout { limit } => Self::Timeout { limit: *limit },
            Self::OutOfMemory { limit } => Self::OutOfMemory { limit: *limit },
        }
    }

    /// An [`Error::Invalid`] for `field`.
    pub fn invalid(field: &str, reason: impl Into<String>) -> Self {
        Self::Invalid {
            field: field.to_owned(),
            reason: redacted(reason.into()),
        }
    }
}

/// The component's refusals, as the model spells them (the WIT error is
/// turned into this in `log::wit`).
impl From<AuditError> for Error {
    fn from(error: AuditError) -> Self {
        match error {
            AuditError::Invalid { field, reason } => Self::Invalid {
                field,
                reason: redacted(reason),
            },
            AuditError::Storage(message) => Self::Storage(message),
            AuditError::Corrupt(message) => Self::Corrupt(message),
        }
    }
}

/// A refusal's reason as every refusal leaves: redacted as the component
/// redacts its own (it may quote the refused value), whether the host
/// refused it (`run_skill`'s user, a file's path) or the component did.
fn redacted(reason: String) -> String {
    auditlog_guest::redact_message(&reason)
}

/// A result with the host library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
