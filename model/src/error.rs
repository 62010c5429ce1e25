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

    /// The same error, saying what the call had already changed (`changes`,
    /// one line each, the first ten listed): a call over many logs
    /// (`rotate`, `adopt`) that fails part-way keeps what it did before.
    #[must_use]
    pub fn after_changes(self, changes: &[String]) -> Self {
        const LISTED: usize = 10;
        if changes.is_empty() {
            return self;
        }
        let mut listed = changes[..changes.len().min(LISTED)].join("; ");
        if changes.len() > LISTED {
            listed.push_str(&format!("; and {} more", changes.len() - LISTED));
        }
        let note = format!(" (before this, the call made these changes, which stay: {listed})");
        match self {
            Self::Invalid { field, reason } => Self::Invalid {
                field,
                reason: reason + &note,
            },
            Self::Storage(message) => Self::Storage(message + &note),
            Self::Corrupt(message) => Self::Corrupt(message + &note),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_after_changes_lists_the_first_ten_and_counts_the_rest() {
        let changes: Vec<String> = (1..=12).map(|i| format!("deleted f{i}")).collect();
        let error = AuditError::Storage("disk full".into()).after_changes(&changes);
        assert_eq!(
            error.to_string(),
            "storage failed: disk full (before this, the call made these changes, which stay: \
             deleted f1; deleted f2; deleted f3; deleted f4; deleted f5; deleted f6; deleted f7; \
             deleted f8; deleted f9; deleted f10; and 2 more)"
        );
        let untouched = AuditError::Corrupt("x".into());
        assert_eq!(untouched.clone().after_changes(&[]), untouched);
    }
}
