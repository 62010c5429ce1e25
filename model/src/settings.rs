//! The settings `configure` accepts, described once.
//!
//! [`SETTINGS`] holds one [`SettingSpec`] per setting: its name, kind,
//! default, accepted range, doc and `auditlog.toml` key. Everything else is
//! derived from it: [`SettingsUpdate::check`] (the range checks and their
//! messages), the component's `settings-schema` export (which the JavaScript
//! and Python wrappers read instead of copying the limits), the command
//! lines' flags (`crate::cli::settings`, with the `cli` feature) and the
//! host's `auditlog.toml` keys.
//!
//! Adding a setting: a field in the WIT record `settings`, a [`SettingSpec`]
//! and a [`SettingsUpdate`] field here (the compiler then lists every place
//! in this file that must name it), the component code that applies it, and
//! a typed method on the host's builder if Rust users want one.

mod spec;

use serde::{Deserialize, Serialize};

pub use spec::{Bounds, Flag, SettingDefault, SettingError, SettingKind, SettingSpec, Value};

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
/// Longest `compress_grace` accepted, in seconds: 30 days.
pub const MAX_COMPRESS_GRACE: u32 = 30 * 24 * 3600;
/// Fewest bytes of a chain key (an empty key means plain SHA-256 links).
pub const MIN_CHAIN_KEY_BYTES: u64 = 16;

/// `max_entries`: the skill log's bound.
pub const MAX_ENTRIES: SettingSpec = SettingSpec {
    name: "max_entries",
    kind: SettingKind::U32,
    default: SettingDefault::Number(DEFAULT_MAX_ENTRIES as u64),
    bounds: Bounds::Between {
        min: 1,
        max: MAX_MAX_ENTRIES as u64,
    },
    value_name: "N",
    doc: "Keep at most N entries in the skill log, dropping the oldest first.",
    file_key: Some("skill_log.max_entries"),
    flag: Flag::Command {
        command: "record",
        long: "max-entries",
    },
};

/// `arg_max_chars`: how long a string in a tool call's `args` may stay.
pub const ARG_MAX_CHARS: SettingSpec = SettingSpec {
    name: "arg_max_chars",
    kind: SettingKind::U32,
    default: SettingDefault::Number(DEFAULT_ARG_MAX_CHARS as u64),
    bounds: Bounds::Between {
        min: 1,
        max: MAX_CHAR_LIMIT as u64,
    },
    value_name: "N",
    doc: "Longest string value kept in a tool call's args, in characters; longer ones are cut.",
    file_key: None,
    flag: Flag::Command {
        command: "tool",
        long: "arg-max-chars",
    },
};

/// `snippet_chars`: how much of a tool's result is kept.
pub const SNIPPET_CHARS: SettingSpec = SettingSpec {
    name: "snippet_chars",
    kind: SettingKind::U32,
    default: SettingDefault::Number(DEFAULT_SNIPPET_CHARS as u64),
    bounds: Bounds::Between {
        min: 0,
        max: MAX_CHAR_LIMIT as u64,
    },
    value_name: "N",
    doc: "Characters of a tool call's result kept as result_snippet.",
    file_key: None,
    flag: Flag::Command {
        command: "tool",
        long: "snippet-chars",
    },
};

/// `max_entry_bytes`: the largest stored entry.
pub const MAX_ENTRY_BYTES: SettingSpec = SettingSpec {
    name: "max_entry_bytes",
    kind: SettingKind::U32,
    default: SettingDefault::Number(DEFAULT_MAX_ENTRY_BYTES as u64),
    bounds: Bounds::Between {
        min: MIN_MAX_ENTRY_BYTES as u64,
        max: MAX_MAX_ENTRY_BYTES as u64,
    },
    value_name: "BYTES",
    doc: "Cut entries larger than this many bytes field by field (longest strings first) \
          and mark them \"truncated\": true; an entry is never refused for its size alone.",
    file_key: None,
    flag: Flag::Global("max-entry-bytes"),
};

/// `chain_key`: HMAC links instead of plain SHA-256.
pub const CHAIN_KEY: SettingSpec = SettingSpec {
    name: "chain_key",
    kind: SettingKind::Bytes,
    default: SettingDefault::Empty,
    bounds: Bounds::EmptyOrAtLeast {
        min: MIN_CHAIN_KEY_BYTES,
    },
    value_name: "KEY",
    doc: "A key of at least 16 bytes: entries are then linked with HMAC-SHA-256 (field mac) \
          instead of SHA-256 (field hash), so that someone who can edit the files cannot forge \
          a consistent chain; an empty key goes back to SHA-256. Keep it outside the log \
          directory.",
    file_key: None,
    flag: Flag::PerCli,
};

/// `redact_keys`: more words that make a key secret.
pub const REDACT_KEYS: SettingSpec = SettingSpec {
    name: "redact_keys",
    kind: SettingKind::Words,
    default: SettingDefault::Empty,
    bounds: Bounds::Any,
    value_name: "WORD",
    doc: "Also treat keys containing WORD as secrets (repeatable), besides the built-in ones: \
          keys containing password, passwd, passphrase, secret, token, apikey, accesskey, \
          privatekey, authorization, bearer, cookie, session, credential, pincode or \
          clientkeydata, keys with a word pass, pwd, auth, dsn, sig, signature, jwt, otp, totp, \
          hotp, mfa, cvv, cvc or psk, most keys whose last word is key, and the \
          word for password in other languages (passwort, пароль, 密码, …; see \
          docs/security.md); compared without case, - or _.",
    file_key: None,
    flag: Flag::Global("redact-key"),
};

/// `sync_data`: flush each entry before the call returns.
pub const SYNC_DATA: SettingSpec = SettingSpec {
    name: "sync_data",
    kind: SettingKind::Bool,
    default: SettingDefault::Bool(false),
    bounds: Bounds::Any,
    value_name: "BOOL",
    doc: "Flush each appended entry to stable storage (fdatasync) before the call returns, \
          so that an acknowledged entry survives a power loss, not only a crash of the writer.",
    file_key: None,
    flag: Flag::PerCli,
};

/// `max_file_bytes`: size roll-over of the tool log's day files.
pub const MAX_FILE_BYTES: SettingSpec = SettingSpec {
    name: "max_file_bytes",
    kind: SettingKind::U64,
    default: SettingDefault::Number(0),
    bounds: Bounds::OffOrAtLeast {
        min: MIN_FILE_BYTES,
    },
    value_name: "BYTES",
    doc: "Roll a user's day file over into a new segment (YYYY-MM-DD.1.jsonl, .2.jsonl, ...) \
          once it holds this many bytes; 0 turns it off.",
    file_key: Some("tool_log.max_file_bytes"),
    flag: Flag::Global("max-file-bytes"),
};

/// `max_days`: retention of the tool log by age.
pub const MAX_DAYS: SettingSpec = SettingSpec {
    name: "max_days",
    kind: SettingKind::U32,
    default: SettingDefault::Number(0),
    bounds: Bounds::OffOrAtLeast { min: 1 },
    value_name: "N",
    doc: "Keep each user's tool log for its last N UTC days, today included, judged by the \
          entries' own timestamps; 0 keeps every day.",
    file_key: Some("tool_log.max_days"),
    flag: Flag::Global("max-days"),
};

/// `max_user_bytes`: retention of the tool log by size.
pub const MAX_USER_BYTES: SettingSpec = SettingSpec {
    name: "max_user_bytes",
    kind: SettingKind::U64,
    default: SettingDefault::Number(0),
    bounds: Bounds::OffOrAtLeast {
        min: MIN_FILE_BYTES,
    },
    value_name: "BYTES",
    doc: "Keep at most this many bytes of tool-log files per user, deleting the oldest files \
          first; 0 is no bound.",
    file_key: Some("tool_log.max_user_bytes"),
    flag: Flag::Global("max-user-bytes"),
};

/// `compress`: gzip of closed tool-log files.
pub const COMPRESS: SettingSpec = SettingSpec {
    name: "compress",
    kind: SettingKind::Bool,
    default: SettingDefault::Bool(false),
    bounds: Bounds::Any,
    value_name: "BOOL",
    doc: "Gzip closed tool-log files (a segment once the next one starts, a day's last file \
          once that day is two days past): true or false.",
    file_key: Some("tool_log.compress"),
    flag: Flag::Global("compress"),
};

/// `compress_grace`: how long a closed file stays plain before it is gzipped.
pub const COMPRESS_GRACE: SettingSpec = SettingSpec {
    name: "compress_grace",
    kind: SettingKind::U32,
    default: SettingDefault::Number(0),
    bounds: Bounds::Between {
        min: 0,
        max: MAX_COMPRESS_GRACE as u64,
    },
    value_name: "SECONDS",
    doc: "With compress, gzip a closed tool-log file only once its last entry is at least this \
          many seconds old, so that a log shipper following the plain file (rsyslog's imfile) \
          that is behind or stopped for a while still reads it whole; 0 compresses as soon as \
          the file is closed.",
    file_key: Some("tool_log.compress_grace"),
    flag: Flag::Global("compress-grace"),
};

/// Every setting, in the order of the WIT record `settings` (and of the checks).
pub const SETTINGS: [SettingSpec; 12] = [
    MAX_ENTRIES,
    ARG_MAX_CHARS,
    SNIPPET_CHARS,
    MAX_ENTRY_BYTES,
    CHAIN_KEY,
    REDACT_KEYS,
    SYNC_DATA,
    MAX_FILE_BYTES,
    MAX_DAYS,
    MAX_USER_BYTES,
    COMPRESS,
    COMPRESS_GRACE,
];

/// The setting named `name` (`max_days`), if there is one.
pub fn spec(name: &str) -> Option<&'static SettingSpec> {
    SETTINGS.iter().find(|spec| spec.name == name)
}

/// A change to the settings in force; `None` keeps the current value. Each
/// field is the setting of the same name in [`SETTINGS`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SettingsUpdate {
    /// New `max_entries`, 1 to [`MAX_MAX_ENTRIES`] (see [`MAX_ENTRIES`]).
    pub max_entries: Option<u32>,
    /// New `arg_max_chars`, 1 to [`MAX_CHAR_LIMIT`] (see [`ARG_MAX_CHARS`]).
    pub arg_max_chars: Option<u32>,
    /// New `snippet_chars`, 0 to [`MAX_CHAR_LIMIT`] (see [`SNIPPET_CHARS`]).
    pub snippet_chars: Option<u32>,
    /// New `max_entry_bytes`, [`MIN_MAX_ENTRY_BYTES`] to [`MAX_MAX_ENTRY_BYTES`]
    /// (see [`MAX_ENTRY_BYTES`]).
    pub max_entry_bytes: Option<u32>,
    /// A key for HMAC links (at least 16 bytes); `Some(empty)` goes back to
    /// plain SHA-256 (see [`CHAIN_KEY`]).
    pub chain_key: Option<Vec<u8>>,
    /// Words that make a key secret, besides the built-in ones (see [`REDACT_KEYS`]).
    pub redact_keys: Option<Vec<String>>,
    /// Whether to flush each entry to stable storage before returning (see [`SYNC_DATA`]).
    pub sync_data: Option<bool>,
    /// New `max_file_bytes`; 0 turns size roll-over off (see [`MAX_FILE_BYTES`]).
    pub max_file_bytes: Option<u64>,
    /// New `max_days`; 0 keeps every day (see [`MAX_DAYS`]).
    pub max_days: Option<u32>,
    /// New `max_user_bytes`; 0 means no bound (see [`MAX_USER_BYTES`]).
    pub max_user_bytes: Option<u64>,
    /// New `compress` (see [`COMPRESS`]).
    pub compress: Option<bool>,
    /// New `compress_grace`, in seconds; 0 compresses as soon as a file is
    /// closed (see [`COMPRESS_GRACE`]).
    pub compress_grace: Option<u32>,
}

impl SettingsUpdate {
    /// Each setting of [`SETTINGS`] with the value this update gives it, if any.
    pub fn values(&self) -> [(&'static SettingSpec, Option<Value<'_>>); 12] {
        let Self {
            max_entries,
            arg_max_chars,
            snippet_chars,
            max_entry_bytes,
            chain_key,
            redact_keys,
            sync_data,
            max_file_bytes,
            max_days,
            max_user_bytes,
            compress,
            compress_grace,
        } = self;
        let number = |n: &Option<u32>| n.map(|n| Value::Number(u64::from(n)));
        [
            (&SETTINGS[0], number(max_entries)),
            (&SETTINGS[1], number(arg_max_chars)),
            (&SETTINGS[2], number(snippet_chars)),
            (&SETTINGS[3], number(max_entry_bytes)),
            (&SETTINGS[4], chain_key.as_deref().map(Value::Bytes)),
            (&SETTINGS[5], redact_keys.as_deref().map(Value::Words)),
            (&SETTINGS[6], sync_data.map(Value::Bool)),
            (&SETTINGS[7], max_file_bytes.map(Value::Number)),
            (&SETTINGS[8], number(max_days)),
            (&SETTINGS[9], max_user_bytes.map(Value::Number)),
            (&SETTINGS[10], compress.map(Value::Bool)),
            (&SETTINGS[11], number(compress_grace)),
        ]
    }

    /// Checks every value given against its setting's [`Bounds`].
    ///
    /// # Errors
    /// A [`SettingError`] naming the first value out of range, in the order
    /// of [`SETTINGS`].
    pub fn check(&self) -> Result<(), SettingError> {
        self.values()
            .into_iter()
            .filter_map(|(spec, value)| value.map(|value| spec.check(&value)))
            .collect()
    }

    /// This update with `over`'s values put over it: a field `over` sets wins.
    #[must_use]
    pub fn overlaid(self, over: Self) -> Self {
        Self {
            max_entries: over.max_entries.or(self.max_entries),
            arg_max_chars: over.arg_max_chars.or(self.arg_max_chars),
            snippet_chars: over.snippet_chars.or(self.snippet_chars),
            max_entry_bytes: over.max_entry_bytes.or(self.max_entry_bytes),
            chain_key: over.chain_key.or(self.chain_key),
            redact_keys: over.redact_keys.or(self.redact_keys),
            sync_data: over.sync_data.or(self.sync_data),
            max_file_bytes: over.max_file_bytes.or(self.max_file_bytes),
            max_days: over.max_days.or(self.max_days),
            max_user_bytes: over.max_user_bytes.or(self.max_user_bytes),
            compress: over.compress.or(self.compress),
            compress_grace: over.compress_grace.or(self.compress_grace),
        }
    }
}

/// Builds the record `$to` from `$from`, field by field, for every setting:
/// the WIT records on either side of the component boundary have the same
/// fields as [`SettingsUpdate`], so this list is the one place a new
/// setting is carried across.
#[macro_export]
macro_rules! convert_settings {
    ($from:expr => $to:path) => {{
        let from = $from;
        $to {
            max_entries: from.max_entries,
            arg_max_chars: from.arg_max_chars,
            snippet_chars: from.snippet_chars,
            max_entry_bytes: from.max_entry_bytes,
            chain_key: from.chain_key,
            redact_keys: from.redact_keys,
            sync_data: from.sync_data,
            max_file_bytes: from.max_file_bytes,
            max_days: from.max_days,
            max_user_bytes: from.max_user_bytes,
            compress: from.compress,
            compress_grace: from.compress_grace,
        }
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_follows_the_update_and_names_each_setting_once() {
        let update = SettingsUpdate::default();
        let names: Vec<&str> = update.values().iter().map(|(spec, _)| spec.name).collect();
        let table: Vec<&str> = SETTINGS.iter().map(|spec| spec.name).collect();
        assert_eq!(names, table);
        let mut unique = table.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), table.len());
        assert_eq!(
            spec("max_days").map(|s| s.file_key),
            Some(Some("tool_log.max_days"))
        );
    }

    #[test]
    fn out_of_range_values_are_refused_by_name() {
        let check = |update: SettingsUpdate| update.check().unwrap_err().to_string();
        assert_eq!(
            check(SettingsUpdate {
                max_entries: Some(0),
                ..Default::default()
            }),
            "max_entries: must be between 1 and 10000000, got 0"
        );
        assert_eq!(
            check(SettingsUpdate {
                max_user_bytes: Some(1023),
                ..Default::default()
            }),
            "max_user_bytes: must be 0 (off) or at least 1024, got 1023"
        );
        assert_eq!(
            check(SettingsUpdate {
                chain_key: Some(vec![1; 15]),
                ..Default::default()
            }),
            "chain_key: must be at least 16 bytes, got 15"
        );
        let fine = SettingsUpdate {
            chain_key: Some(Vec::new()),
            max_days: Some(0),
            max_file_bytes: Some(0),
            snippet_chars: Some(0),
            ..Default::default()
        };
        assert_eq!(fine.check(), Ok(()));
    }

    #[test]
    fn defaults_are_json_text() {
        let defaults: Vec<String> = SETTINGS.iter().map(|s| s.default.json()).collect();
        assert_eq!(
            defaults,
            [
                "10000", "500", "300", "102400", "[]", "[]", "false", "0", "0", "0", "false", "0"
            ]
        );
    }

    #[test]
    fn an_overlay_keeps_what_it_does_not_set() {
        let under = SettingsUpdate {
            max_days: Some(3),
            compress: Some(true),
            ..Default::default()
        };
        let over = SettingsUpdate {
            max_days: Some(7),
            ..Default::default()
        };
        let both = under.overlaid(over);
        assert_eq!((both.max_days, both.compress), (Some(7), Some(true)));
    }
}
