//! The log directory's configuration file, `<dir>/auditlog.toml`, and the
//! rotation policy in force: each setting's value and where it came from.
//!
//! ```toml
//! [tool_log]
//! max_file_bytes = 10485760   # start a new segment of the day file past 10 MiB
//! max_days = 30               # keep the last 30 UTC days
//! max_user_bytes = 1073741824 # and at most 1 GiB of files per user
//! compress = true             # gzip closed files
//! compress_grace = 3600       # but only once their last entry is an hour old
//!
//! [skill_log]
//! max_entries = 10000
//! ```
//!
//! Every key is optional; a missing file is the same as an empty one. An
//! unknown key or a value of the wrong type is refused as
//! [`Error::Config`], naming the file, the key and the reason. Values in
//! range are the component's to judge, as for the builder's own settings.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use auditlog_model::invisible;
use auditlog_model::settings::{self, SettingSpec};
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::input_file::{InputError, Kinds};

/// The configuration file's name, in the log directory.
pub const CONFIG_FILE: &str = auditlog_model::directory::CONFIG_FILE;

/// The most bytes [`CONFIG_FILE`] may hold: 1 MiB, far more than every
/// setting needs.
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// The contents of `auditlog.toml`. Every field is optional: `None` leaves
/// the setting to the program or the default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `[tool_log]`: rotation and retention of the users' tool logs.
    pub tool_log: ToolLogConfig,
    /// `[skill_log]`: the skill log's bound.
    pub skill_log: SkillLogConfig,
}

/// The `[tool_log]` table: see the `settings` record in `wit/auditlog.wit`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ToolLogConfig {
    /// Start a new numbered segment of a day file once it holds this many
    /// bytes; 0 turns size roll-over off.
    pub max_file_bytes: Option<u64>,
    /// Keep each user's last this many UTC days, today included; 0 keeps all.
    pub max_days: Option<u32>,
    /// Keep at most this many bytes of files per user, oldest deleted
    /// first; 0 is no bound.
    pub max_user_bytes: Option<u64>,
    /// Gzip closed files.
    pub compress: Option<bool>,
    /// With `compress`, leave a closed file plain until its last entry is
    /// this many seconds old (for a log shipper that is behind); 0
    /// compresses as soon as a file is closed.
    pub compress_grace: Option<u32>,
}

/// The `[skill_log]` table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SkillLogConfig {
    /// How many entries the skill log keeps.
    pub max_entries: Option<u32>,
}

impl Config {
    /// Parses `text`, the contents of the file at `path` (named in errors).
    ///
    /// # Errors
    /// [`Error::Config`] for a syntax error, an unknown key or a value of
    /// the wrong type, naming the key and its line.
    pub fn parse(path: &Path, text: &str) -> Result<Self> {
        toml::from_str(text).map_err(|e| {
            let span = e.span();
            Error::Config {
                path: path.to_path_buf(),
                key: span
                    .clone()
                    .and_then(|span| key_at(text, span))
                    .map(|key| invisible::cut(&from_file(&key)).into_owned()),
                line: span.map(|span| line_of(text, span.start)),
                reason: from_file(e.message().trim()),
            }
        })
    }

    /// Reads `<dir>/auditlog.toml`: `None` if there is no such file. It is
    /// read as every input file is ([`crate::input_file`]): a regular file
    /// of at most [`MAX_CONFIG_BYTES`], and a file of `dir`'s own (a
    /// symbolic link out of `dir` is refused).
    ///
    /// # Errors
    /// [`Error::Config`] if it cannot be read, is not a regular file, is
    /// too large, is not UTF-8 or is invalid (see [`parse`](Self::parse)).
    pub fn load(dir: &Path) -> Result<Option<Self>> {
        let path = dir.join(CONFIG_FILE);
        let refused = |reason: String| Error::Config {
            path: path.clone(),
            key: None,
            line: None,
            reason,
        };
        let opened = crate::input_file::InputFile::open_in(dir, CONFIG_FILE, Kinds::Regular);
        let bytes = match opened.and_then(|file| file.read(MAX_CONFIG_BYTES)) {
            Ok(bytes) => bytes,
            Err(InputError::Open { source, .. }) if source.kind() == ErrorKind::NotFound => {
                return Ok(None);
            }
            Err(e) => return Err(refused(e.reason())),
        };
        let text = String::from_utf8(bytes)
            .map_err(|_| refused("cannot be read: it is not UTF-8 text".to_owned()))?;
        Self::parse(&path, &text).map(Some)
    }
}

/// The dotted key (`tool_log.max_days`) whose name or value covers `span`
/// of `text`, the innermost one.
fn key_at(text: &str, span: std::ops::Range<usize>) -> Option<String> {
    use toml::de::{DeTable, DeValue};

    fn find(table: &DeTable<'_>, span: &std::ops::Range<usize>) -> Option<Vec<String>> {
        let covers =
            |outer: std::ops::Range<usize>| outer.start <= span.start && span.end <= outer.end;
        for (key, value) in table {
            let name = || key.get_ref().to_string();
            if covers(key.span()) {
                return Some(vec![name()]);
            }
            if let DeValue::Table(inner) = value.get_ref()
                && let Some(mut path) = find(inner, span)
            {
                path.insert(0, name());
                return Some(path);
            }
            if covers(value.span()) {
                return Some(vec![name()]);
            }
        }
        None
    }

    let document = DeTable::parse(text).ok()?;
    find(document.get_ref(), &span).map(|path| path.join("."))
}

/// Text a refusal takes from the file — toml's message, which quotes
/// values (`invalid type: string "…"`) and keys (`` unknown field `…` ``),
/// or the key path — redacted as the component's refusals are, with each
/// quoted piece cut as every refusal cuts a value
/// ([`invisible::cut`]): a secret pasted into the file by mistake, as a
/// value or as a key, is not echoed back.
fn from_file(text: &str) -> String {
    let redacted = auditlog_guest::redact_message(text);
    ['"', '`'].iter().fold(redacted, |text, &quote| {
        text.split(quote)
            .enumerate()
            .map(|(i, piece)| {
                if i % 2 == 1 {
                    invisible::cut(piece)
                } else {
                    piece.into()
                }
            })
            .collect::<Vec<_>>()
            .join(&quote.to_string())
    })
}

/// The 1-based line of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    let before = text.get(..offset).unwrap_or(text);
    before.bytes().filter(|&b| b == b'\n').count() + 1
}

/// Where a setting in force came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Nobody set it: the component's default.
    Default,
    /// The log directory's `auditlog.toml` ([`Policy::config_file`]).
    ConfigFile,
    /// The program, through the [`AuditLogBuilder`](crate::AuditLogBuilder)
    /// (on the command line: a flag or an environment variable).
    Builder,
}

/// A setting's value and where it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setting<T> {
    /// The value in force.
    pub value: T,
    /// Where it came from.
    pub origin: Origin,
}

/// The rotation policy an [`AuditLog`](crate::AuditLog) runs with: the
/// tool logs' roll-over, retention and compression, and the skill log's
/// bound.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// The configuration file that was read, if there was one.
    pub config_file: Option<PathBuf>,
    /// Bytes at which a day file rolls over into a new segment (0: never).
    pub max_file_bytes: Setting<u64>,
    /// UTC days each user's tool log keeps, today included (0: all).
    pub max_days: Setting<u32>,
    /// Bytes of files each user's tool log keeps (0: no bound).
    pub max_user_bytes: Setting<u64>,
    /// Whether closed tool-log files are gzipped.
    pub compress: Setting<bool>,
    /// Seconds a closed tool-log file stays plain before it is gzipped
    /// (0: as soon as it is closed).
    pub compress_grace: Setting<u32>,
    /// Entries the skill log keeps.
    pub max_entries: Setting<u32>,
}

/// A setting the program left unset, taken from the file or the default.
fn resolve<T: Copy>(program: &mut Option<T>, file: Option<T>, default: T) -> Setting<T> {
    match (*program, file) {
        (Some(value), _) => Setting {
            value,
            origin: Origin::Builder,
        },
        (None, Some(value)) => {
            *program = Some(value);
            Setting {
                value,
                origin: Origin::ConfigFile,
            }
        }
        (None, None) => Setting {
            value: default,
            origin: Origin::Default,
        },
    }
}

impl Policy {
    /// The policy of `settings` (what the program set) over `config` (the
    /// file at `path`, if one was read); fills the settings the program left
    /// unset with the file's values, so `settings` is what the component is
    /// given.
    pub(crate) fn resolve(
        settings: &mut crate::SettingsUpdate,
        config: Option<(PathBuf, Config)>,
    ) -> Self {
        let (config_file, config) = match config {
            Some((path, config)) => (Some(path), config),
            None => (None, Config::default()),
        };
        let tool = config.tool_log;
        Self {
            config_file,
            max_file_bytes: resolve(&mut settings.max_file_bytes, tool.max_file_bytes, 0),
            max_days: resolve(&mut settings.max_days, tool.max_days, 0),
            max_user_bytes: resolve(&mut settings.max_user_bytes, tool.max_user_bytes, 0),
            compress: resolve(&mut settings.compress, tool.compress, false),
            compress_grace: resolve(&mut settings.compress_grace, tool.compress_grace, 0),
            max_entries: resolve(
                &mut settings.max_entries,
                config.skill_log.max_entries,
                settings::DEFAULT_MAX_ENTRIES,
            ),
        }
    }

    /// Each setting of the policy with its entry in the settings table,
    /// its value and where it came from, in the order `config show` prints.
    pub fn settings(&self) -> [(&'static SettingSpec, serde_json::Value, Origin); 6] {
        fn one<T: Into<serde_json::Value>>(
            spec: &'static SettingSpec,
            setting: Setting<T>,
        ) -> (&'static SettingSpec, serde_json::Value, Origin) {
            (spec, setting.value.into(), setting.origin)
        }
        [
            one(&settings::MAX_FILE_BYTES, self.max_file_bytes),
            one(&settings::MAX_DAYS, self.max_days),
            one(&settings::MAX_USER_BYTES, self.max_user_bytes),
            one(&settings::COMPRESS, self.compress),
            one(&settings::COMPRESS_GRACE, self.compress_grace),
            one(&settings::MAX_ENTRIES, self.max_entries),
        ]
    }

    /// The key in `auditlog.toml` of the component's setting `field`, when
    /// that setting's value came from the file.
    pub(crate) fn file_key(&self, field: &str) -> Option<&'static str> {
        self.settings()
            .into_iter()
            .find(|(spec, _, origin)| spec.name == field && *origin == Origin::ConfigFile)
            .and_then(|(spec, ..)| spec.file_key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config> {
        Config::parse(Path::new("/logs/auditlog.toml"), text)
    }

    #[test]
    fn every_key_is_read() {
        let config = parse(
            "[tool_log]\nmax_file_bytes = 10485760\nmax_days = 30\n\
             max_user_bytes = 1073741824\ncompress = true\ncompress_grace = 600\n\n\
             [skill_log]\nmax_entries = 500\n",
        )
        .unwrap();
        assert_eq!(
            config,
            Config {
                tool_log: ToolLogConfig {
                    max_file_bytes: Some(10_485_760),
                    max_days: Some(30),
                    max_user_bytes: Some(1_073_741_824),
                    compress: Some(true),
                    compress_grace: Some(600),
                },
                skill_log: SkillLogConfig {
                    max_entries: Some(500)
                },
            }
        );
        assert_eq!(parse("").unwrap(), Config::default());
        assert_eq!(parse("[tool_log]\n").unwrap(), Config::default());
    }

    #[track_caller]
    fn refused(text: &str, expected: &str) {
        let message = parse(text).unwrap_err().to_string();
        assert_eq!(message, expected);
        assert!(!message.contains('\n'), "one line: {message:?}");
    }

    #[test]
    fn mistakes_name_the_file_the_key_and_the_line() {
        refused(
            "[tool_log]\nmax_dayz = 3\n",
            "/logs/auditlog.toml: tool_log.max_dayz (line 2): unknown field `max_dayz`, \
             expected one of `max_file_bytes`, `max_days`, `max_user_bytes`, `compress`, \
             `compress_grace`",
        );
        refused(
            "# comment\n[tool_log]\nmax_days = \"30\"\n",
            "/logs/auditlog.toml: tool_log.max_days (line 3): invalid type: string \"30\", \
             expected u32",
        );
        refused(
            "[tool_log]\ncompress = 1\n",
            "/logs/auditlog.toml: tool_log.compress (line 2): invalid type: integer `1`, \
             expected a boolean",
        );
        refused(
            "[skill_log]\nmax_entries = -1\n",
            "/logs/auditlog.toml: skill_log.max_entries (line 2): invalid value: integer `-1`, \
             expected u32",
        );
        refused(
            "[tools]\nmax_days = 3\n",
            "/logs/auditlog.toml: tools (line 1): unknown field `tools`, \
             expected `tool_log` or `skill_log`",
        );
        refused(
            "[tool_log\n",
            "/logs/auditlog.toml line 1: unclosed table, expected `]`",
        );
    }

    #[test]
    fn the_program_wins_over_the_file_over_the_default() {
        let mut settings = crate::SettingsUpdate {
            max_days: Some(7),
            ..Default::default()
        };
        let config = parse("[tool_log]\nmax_days = 30\ncompress = true\n").unwrap();
        let path = PathBuf::from("/logs/auditlog.toml");
        let policy = Policy::resolve(&mut settings, Some((path.clone(), config)));
        assert_eq!(policy.config_file, Some(path));
        assert_eq!(
            (policy.max_days.value, policy.max_days.origin),
            (7, Origin::Builder)
        );
        assert_eq!(
            (policy.compress.value, policy.compress.origin),
            (true, Origin::ConfigFile)
        );
        assert_eq!(
            (policy.max_file_bytes.value, policy.max_file_bytes.origin),
            (0, Origin::Default)
        );
        assert_eq!(policy.max_entries.value, 10_000);
        // The component gets the file's values for what the program left unset.
        assert_eq!(
            (
                settings.max_days,
                settings.compress,
                settings.max_file_bytes
            ),
            (Some(7), Some(true), None)
        );
        assert_eq!(policy.file_key("compress"), Some("tool_log.compress"));
        assert_eq!(policy.file_key("max_days"), None);
    }
}
