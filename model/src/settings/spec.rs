//! What a setting is: [`SettingSpec`], its kind, default and bounds, and
//! the one check every value goes through.

use std::fmt;

/// The type of a setting's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingKind {
    /// An unsigned 32-bit number.
    U32,
    /// An unsigned 64-bit number.
    U64,
    /// `true` or `false`.
    Bool,
    /// Raw bytes (a key).
    Bytes,
    /// A list of words.
    Words,
}

/// The value a setting has when nobody sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingDefault {
    /// A number.
    Number(u64),
    /// A boolean.
    Bool(bool),
    /// An empty list (no key, no extra words).
    Empty,
}

impl SettingDefault {
    /// The default as JSON text: `10000`, `false`, `[]`.
    pub fn json(&self) -> String {
        match self {
            Self::Number(n) => n.to_string(),
            Self::Bool(b) => b.to_string(),
            Self::Empty => "[]".to_owned(),
        }
    }
}

/// Which values a setting accepts, beyond those of its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bounds {
    /// Every value of its kind.
    Any,
    /// `min` to `max`, both included.
    Between {
        /// The smallest value accepted.
        min: u64,
        /// The largest value accepted.
        max: u64,
    },
    /// 0, which turns the setting off, or at least `min`.
    OffOrAtLeast {
        /// The smallest value accepted besides 0.
        min: u64,
    },
    /// An empty list, which turns the setting off, or at least `min` bytes.
    EmptyOrAtLeast {
        /// The fewest bytes accepted besides none.
        min: u64,
    },
}

/// Where a setting is set on the command lines (`auditlog` and the portable
/// component's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    /// `--LONG`, before or after any command.
    Global(&'static str),
    /// `--LONG` of one command only.
    Command {
        /// The command (`record`).
        command: &'static str,
        /// The flag's name without `--` (`max-entries`).
        long: &'static str,
    },
    /// Each command line sets it its own way (the host's `--key-file`, `--sync`).
    PerCli,
}

/// One setting `configure` accepts: the one description every caller reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SettingSpec {
    /// Its name, as in the WIT record `settings` with `_` for `-`, in JSON
    /// and in refusals (`max_days`).
    pub name: &'static str,
    /// The type of its value.
    pub kind: SettingKind,
    /// Its value when nobody sets it.
    pub default: SettingDefault,
    /// Which values it accepts.
    pub bounds: Bounds,
    /// The name of its value in usage text (`BYTES`).
    pub value_name: &'static str,
    /// What it does, one paragraph.
    pub doc: &'static str,
    /// Its dotted key in the log directory's `auditlog.toml`, if the host
    /// reads it from there (`tool_log.max_days`).
    pub file_key: Option<&'static str>,
    /// Its flag on the command lines.
    pub flag: Flag,
}

/// A value given for a setting, as [`SettingSpec::check`] sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value<'a> {
    /// A number (of either width).
    Number(u64),
    /// A boolean.
    Bool(bool),
    /// Raw bytes.
    Bytes(&'a [u8]),
    /// A list of words.
    Words(&'a [String]),
}

/// A value a setting does not accept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingError {
    /// The setting's name (`max_entries`).
    pub field: &'static str,
    /// Why, e.g. `must be between 1 and 10000000, got 0`.
    pub reason: String,
}

impl fmt::Display for SettingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.reason)
    }
}

impl std::error::Error for SettingError {}

impl SettingSpec {
    /// The smallest value accepted, besides an "off" 0 or empty list.
    pub fn min(&self) -> Option<u64> {
        match self.bounds {
            Bounds::Any => None,
            Bounds::Between { min, .. }
            | Bounds::OffOrAtLeast { min }
            | Bounds::EmptyOrAtLeast { min } => Some(min),
        }
    }

    /// The largest value accepted, when less than its kind allows.
    pub fn max(&self) -> Option<u64> {
        match self.bounds {
            Bounds::Between { max, .. } => Some(max),
            _ => None,
        }
    }

    /// Whether 0 (or an empty list) turns the setting off.
    pub fn zero_is_off(&self) -> bool {
        matches!(
            self.bounds,
            Bounds::OffOrAtLeast { .. } | Bounds::EmptyOrAtLeast { .. }
        )
    }

    /// Checks `value` against the setting's bounds.
    ///
    /// # Errors
    /// A [`SettingError`] naming this setting and saying what it accepts.
    pub fn check(&self, value: &Value<'_>) -> Result<(), SettingError> {
        let refuse = |reason: String| {
            Err(SettingError {
                field: self.name,
                reason,
            })
        };
        match (self.bounds, value) {
            (Bounds::Between { min, max }, Value::Number(n)) if !(min..=max).contains(n) => {
                refuse(format!("must be between {min} and {max}, got {n}"))
            }
            (Bounds::OffOrAtLeast { min }, Value::Number(n)) if *n != 0 && *n < min => {
                refuse(format!("must be 0 (off) or at least {min}, got {n}"))
            }
            (Bounds::EmptyOrAtLeast { min }, Value::Bytes(bytes))
                if !bytes.is_empty() && (bytes.len() as u64) < min =>
            {
                refuse(format!("must be at least {min} bytes, got {}", bytes.len()))
            }
            _ => Ok(()),
        }
    }
}
