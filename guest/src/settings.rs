//! The limits an instance applies, and how callers change them.

use crate::chain::Chain;
use crate::error::AuditError;
use crate::redact::Redactor;

/// Entries the skill log keeps unless configured otherwise (the seed's bound).
pub const DEFAULT_MAX_ENTRIES: u32 = 10_000;
/// Longest string value kept in a tool call's `args`, in characters.
pub const DEFAULT_ARG_MAX_CHARS: u32 = 500;
/// Characters of a tool result kept as `result_snippet`.
pub const DEFAULT_SNIPPET_CHARS: u32 = 300;
/// Largest stored entry, in bytes (the Kubernetes audit log's default cap).
pub const DEFAULT_MAX_ENTRY_BYTES: u32 = 102_400;
/// Smallest `max_entry_bytes` accepted: room for the fixed fields and links.
pub const MIN_MAX_ENTRY_BYTES: u32 = 1_024;
/// Largest `max_entry_bytes` accepted.
pub const MAX_MAX_ENTRY_BYTES: u32 = 1 << 20;
/// Upper bound for every character limit, so no setting can unbound an entry.
pub const MAX_CHAR_LIMIT: u32 = 65_536;
/// Upper bound for `max_entries`.
pub const MAX_MAX_ENTRIES: u32 = 10_000_000;
/// Smallest size bound on files (`max_file_bytes`, `max_user_bytes`) other
/// than 0 (off). A file passes its bound by at most one write, so small
/// bounds are safe, only wasteful.
pub const MIN_FILE_BYTES: u64 = 1_024;

/// The limits in force, and how entries are sealed and cleaned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// How many entries the skill log keeps.
    pub max_entries: u32,
    /// Longest string value kept in a tool call's `args`, in characters.
    pub arg_max_chars: u32,
    /// Characters of a tool result kept as `result_snippet`.
    pub snippet_chars: u32,
    /// Largest stored entry in bytes; bigger ones are cut field by field.
    pub max_entry_bytes: u32,
    /// How entries are linked: plain SHA-256 or keyed HMAC.
    pub chain: Chain,
    /// Which keys and text count as secrets.
    pub redactor: Redactor,
    /// Flush each appended entry to stable storage (`fdatasync`) before the
    /// call returns.
    pub sync_data: bool,
    /// How the tool log rolls over, what it keeps and whether it compresses.
    pub rotation: Rotation,
}

/// The tool log's rotation policy; every bound is off by default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rotation {
    /// Start a new numbered segment once a day file holds this many bytes.
    pub max_file_bytes: Option<u64>,
    /// Keep each user's last this many UTC days, today included.
    pub max_days: Option<u32>,
    /// Keep at most this many bytes of files per user.
    pub max_user_bytes: Option<u64>,
    /// Gzip closed files.
    pub compress: bool,
}

impl Rotation {
    /// Whether anything beyond plain appends is asked for.
    pub fn is_active(&self) -> bool {
        self.max_days.is_some() || self.max_user_bytes.is_some() || self.compress
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            max_entries: DEFAULT_MAX_ENTRIES,
            arg_max_chars: DEFAULT_ARG_MAX_CHARS,
            snippet_chars: DEFAULT_SNIPPET_CHARS,
            max_entry_bytes: DEFAULT_MAX_ENTRY_BYTES,
            chain: Chain::plain(),
            redactor: Redactor::default(),
            sync_data: false,
            rotation: Rotation::default(),
        }
    }
}

/// A change to [`Settings`]; `None` keeps the current value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SettingsUpdate {
    /// New `max_entries`, 1 to [`MAX_MAX_ENTRIES`].
    pub max_entries: Option<u32>,
    /// New `arg_max_chars`, 1 to [`MAX_CHAR_LIMIT`].
    pub arg_max_chars: Option<u32>,
    /// New `snippet_chars`, 0 to [`MAX_CHAR_LIMIT`].
    pub snippet_chars: Option<u32>,
    /// New `max_entry_bytes`, [`MIN_MAX_ENTRY_BYTES`] to [`MAX_MAX_ENTRY_BYTES`].
    pub max_entry_bytes: Option<u32>,
    /// A key for HMAC links (at least 16 bytes); `Some(empty)` goes back to plain SHA-256.
    pub chain_key: Option<Vec<u8>>,
    /// Words that make a key secret, besides the built-in ones.
    pub redact_keys: Option<Vec<String>>,
    /// Whether to flush each entry to stable storage before returning.
    pub sync_data: Option<bool>,
    /// New `rotation.max_file_bytes`; 0 turns size roll-over off.
    pub max_file_bytes: Option<u64>,
    /// New `rotation.max_days`; 0 keeps every day.
    pub max_days: Option<u32>,
    /// New `rotation.max_user_bytes`; 0 means no bound.
    pub max_user_bytes: Option<u64>,
    /// New `rotation.compress`.
    pub compress: Option<bool>,
}

impl Settings {
    /// These settings with `update` applied.
    ///
    /// # Errors
    /// [`AuditError::Invalid`] naming the first value out of range; `self` is unchanged.
    pub fn updated(&self, update: &SettingsUpdate) -> Result<Self, AuditError> {
        let mut next = self.clone();
        if let Some(n) = update.max_entries {
            next.max_entries = in_range("max_entries", n, 1, MAX_MAX_ENTRIES)?;
        }
        if let Some(n) = update.arg_max_chars {
            next.arg_max_chars = in_range("arg_max_chars", n, 1, MAX_CHAR_LIMIT)?;
        }
        if let Some(n) = update.snippet_chars {
            next.snippet_chars = in_range("snippet_chars", n, 0, MAX_CHAR_LIMIT)?;
        }
        if let Some(n) = update.max_entry_bytes {
            next.max_entry_bytes = in_range(
                "max_entry_bytes",
                n,
                MIN_MAX_ENTRY_BYTES,
                MAX_MAX_ENTRY_BYTES,
            )?;
        }
        match &update.chain_key {
            None => {}
            Some(key) if key.is_empty() => next.chain = Chain::plain(),
            Some(key) if key.len() < 16 => {
                return Err(AuditError::invalid(
                    "chain_key",
                    format!("must be at least 16 bytes, got {}", key.len()),
                ));
            }
            Some(key) => next.chain = Chain::keyed(key.clone()),
        }
        if let Some(words) = &update.redact_keys {
            next.redactor = Redactor::new(words);
        }
        if let Some(sync) = update.sync_data {
            next.sync_data = sync;
        }
        let rotation = &mut next.rotation;
        if let Some(bytes) = update.max_file_bytes {
            rotation.max_file_bytes = (bytes > 0)
                .then(|| at_least("max_file_bytes", bytes, MIN_FILE_BYTES))
                .transpose()?;
        }
        if let Some(days) = update.max_days {
            rotation.max_days = (days > 0).then_some(days);
        }
        if let Some(bytes) = update.max_user_bytes {
            rotation.max_user_bytes = (bytes > 0)
                .then(|| at_least("max_user_bytes", bytes, MIN_FILE_BYTES))
                .transpose()?;
        }
        if let Some(compress) = update.compress {
            rotation.compress = compress;
        }
        Ok(next)
    }
}

fn at_least(field: &str, value: u64, min: u64) -> Result<u64, AuditError> {
    if value >= min {
        Ok(value)
    } else {
        Err(AuditError::invalid(
            field,
            format!("must be 0 (off) or at least {min}, got {value}"),
        ))
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
