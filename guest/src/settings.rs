//! The limits an instance applies, and how callers change them. What each
//! setting means, its default and its range are the model's
//! ([`auditlog_model::settings`]); this module holds what is mechanism (the
//! [`Chain`], the [`Redactor`]) and applies a checked update.

pub use auditlog_model::settings::SettingsUpdate;
use auditlog_model::settings::{
    DEFAULT_ARG_MAX_CHARS, DEFAULT_MAX_ENTRIES, DEFAULT_MAX_ENTRY_BYTES, DEFAULT_SNIPPET_CHARS,
};

use crate::chain::Chain;
use crate::error::AuditError;
use crate::redact::Redactor;

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
    /// With `compress`, leave a closed file plain until its last entry is
    /// this many seconds old (a log shipper's grace); `None` compresses as
    /// soon as a file is closed.
    pub compress_grace: Option<u32>,
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

impl Settings {
    /// These settings with `update` applied.
    ///
    /// # Errors
    /// [`AuditError::Invalid`] naming the first value out of range (see
    /// [`SettingsUpdate::check`]); `self` is unchanged.
    pub fn updated(&self, update: &SettingsUpdate) -> Result<Self, AuditError> {
        update
            .check()
            .map_err(|e| AuditError::invalid(e.field, e.reason))?;
        let mut next = self.clone();
        let given = |value: Option<u32>, current: u32| value.unwrap_or(current);
        next.max_entries = given(update.max_entries, next.max_entries);
        next.arg_max_chars = given(update.arg_max_chars, next.arg_max_chars);
        next.snippet_chars = given(update.snippet_chars, next.snippet_chars);
        next.max_entry_bytes = given(update.max_entry_bytes, next.max_entry_bytes);
        match &update.chain_key {
            None => {}
            Some(key) if key.is_empty() => next.chain = Chain::plain(),
            Some(key) => next.chain = Chain::keyed(key.clone()),
        }
        if let Some(words) = &update.redact_keys {
            next.redactor = Redactor::new(words);
        }
        next.sync_data = update.sync_data.unwrap_or(next.sync_data);
        // 0 turns a rotation bound off (the model's `Bounds::OffOrAtLeast`).
        let rotation = &mut next.rotation;
        if let Some(bytes) = update.max_file_bytes {
            rotation.max_file_bytes = (bytes > 0).then_some(bytes);
        }
        if let Some(days) = update.max_days {
            rotation.max_days = (days > 0).then_some(days);
        }
        if let Some(bytes) = update.max_user_bytes {
            rotation.max_user_bytes = (bytes > 0).then_some(bytes);
        }
        rotation.compress = update.compress.unwrap_or(rotation.compress);
        if let Some(seconds) = update.compress_grace {
            rotation.compress_grace = (seconds > 0).then_some(seconds);
        }
        Ok(next)
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
