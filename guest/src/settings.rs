//! The limits an instance applies, and how callers change them.

use crate::error::AuditError;

/// Entries the skill log keeps unless configured otherwise (the seed's bound).
pub const DEFAULT_MAX_ENTRIES: u32 = 10_000;
/// Longest string value kept in a tool call's `args`, in characters.
pub const DEFAULT_ARG_MAX_CHARS: u32 = 500;
/// Characters of a tool result kept as `result_snippet`.
pub const DEFAULT_SNIPPET_CHARS: u32 = 300;
/// Upper bound for every character limit, so no setting can unbound an entry.
pub const MAX_CHAR_LIMIT: u32 = 65_536;
/// Upper bound for `max_entries`.
pub const MAX_MAX_ENTRIES: u32 = 10_000_000;

/// The limits in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// How many entries the skill log keeps.
    pub max_entries: u32,
    /// Longest string value kept in a tool call's `args`, in characters.
    pub arg_max_chars: u32,
    /// Characters of a tool result kept as `result_snippet`.
    pub snippet_chars: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            max_entries: DEFAULT_MAX_ENTRIES,
            arg_max_chars: DEFAULT_ARG_MAX_CHARS,
            snippet_chars: DEFAULT_SNIPPET_CHARS,
        }
    }
}

/// A change to [`Settings`]; `None` keeps the current value.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SettingsUpdate {
    /// New `max_entries`, 1 to [`MAX_MAX_ENTRIES`].
    pub max_entries: Option<u32>,
    /// New `arg_max_chars`, 1 to [`MAX_CHAR_LIMIT`].
    pub arg_max_chars: Option<u32>,
    /// New `snippet_chars`, 0 to [`MAX_CHAR_LIMIT`].
    pub snippet_chars: Option<u32>,
}

impl Settings {
    /// These settings with `update` applied.
    ///
    /// # Errors
    /// [`AuditError::Invalid`] naming the first value out of range; `self` is unchanged.
    pub fn updated(&self, update: &SettingsUpdate) -> Result<Self, AuditError> {
        let mut next = *self;
        if let Some(n) = update.max_entries {
            next.max_entries = in_range("max_entries", n, 1, MAX_MAX_ENTRIES)?;
        }
        if let Some(n) = update.arg_max_chars {
            next.arg_max_chars = in_range("arg_max_chars", n, 1, MAX_CHAR_LIMIT)?;
        }
        if let Some(n) = update.snippet_chars {
            next.snippet_chars = in_range("snippet_chars", n, 0, MAX_CHAR_LIMIT)?;
        }
        Ok(next)
    }
}

fn in_range(field: &str, value: u32, min: u32, max: u32) -> Result<u32, AuditError> {
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(AuditError::invalid(
            field,
            format!("must be between {min} and {max}, got {value}"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_the_seeds() {
        let s = Settings::default();
        assert_eq!(
            (s.max_entries, s.arg_max_chars, s.snippet_chars),
            (10_000, 500, 300)
        );
    }

    #[test]
    fn out_of_range_values_are_refused_by_name() {
        let err = Settings::default()
            .updated(&SettingsUpdate {
                max_entries: Some(0),
                ..Default::default()
            })
            .unwrap_err();
        assert_eq!(
            err,
            AuditError::invalid("max_entries", "must be between 1 and 10000000, got 0")
        );
    }

    #[test]
    fn unset_fields_keep_their_value() {
        let s = Settings::default()
            .updated(&SettingsUpdate {
                snippet_chars: Some(10),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(s.snippet_chars, 10);
        assert_eq!(s.max_entries, DEFAULT_MAX_ENTRIES);
    }
}
