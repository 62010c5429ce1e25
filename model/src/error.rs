//! The refusal every audit call, and every rule of this crate, returns.

use std::fmt;

/// Why an audit call failed. Every failure leaves the log exactly as it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditError {
    /// An input was refused; `field` names it as stored or as on the command line.
    Invalid {
        /// The refused field, e.g. `status`.
        field: String,
        /// Why, e.g. `must be one of ok, error, denied`.
        reason: String,
    },
    /// The storage layer failed; nothing was written.
    Storage(String),
    /// An existing log file is not in the documented format; it was left untouched.
    Corrupt(String),
}

impl AuditError {
    /// An [`AuditError::Invalid`] for `field`.
    pub fn invalid(field: &str, reason: impl Into<String>) -> Self {
        Self::Invalid {
            field: field.to_owned(),
            reason: reason.into(),
        }
    }

    /// The same error, with an [`AuditError::Invalid`]'s field placed inside
    /// `outer` (`calls[3]` and `status` make `calls[3].status`).
    pub fn at(self, outer: &str) -> Self {
        match self {
            Self::Invalid { field, reason } => Self::Invalid {
                field: format!("{outer}.{field}"),
                reason,
            },
            other => other,
        }
    }
}

impl fmt::Display for AuditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Invalid { field, reason } => write!(f, "{field}: {reason}"),
            Self::Storage(message) => write!(f, "storage failed: {message}"),
            Self::Corrupt(message) => write!(f, "log file is damaged: {message}"),
        }
    }
}

impl std::error::Error for AuditError {}
