//! The fields of a stored line that queries and stats look at: `ts` (the
//! skill log's `timestamp`), `skill` or `tool`, `user`, `status` and
//! `duration_ms`.
//!
//! Every line in a query's window is read, so this is the inner loop of
//! `recent` and `stats` (over half of `stats` on a million lines was
//! `serde_json` deserialising these fields). [`read`] first tries a scanner
//! made for the lines the component writes: one object, keys without
//! escapes, the fields above as strings without escapes and a whole number.
//! It checks the JSON grammar as it goes but builds nothing. Whatever it is
//! not sure of — an escape in a field it keeps or in a key, a `\u` escape
//! anywhere, a field that is `null`, a repeated key, a key longer than 16
//! bytes, deep nesting, anything malformed — goes to
//! [`read_with_serde_json`], which decides, refusing a repeated key where
//! `serde_json` alone would keep the last. So the scanner never changes an
//! answer; it only gets there first.
//!
//! [`check`] is the rule of what a readable entry is, given where its line
//! was found. Queries apply it to every line they could return, and
//! `verify` to every line it checks ([`read_strictly`], then [`placed`]
//! once the entry's place in its chain holds), so a line a query skips is
//! one `verify` names. `verify` also refuses what queries do not
//! look for, to stay fast: a key repeated inside a value (`args`), and a
//! number that reads back as another; a line with one fails `verify`.

use std::borrow::Cow;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;

use auditlog_model::invisible::refused;

use crate::strict_json;

mod scanner;

use scanner::scan;

/// The fields queries look at, borrowed from the line where possible.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Row<'a> {
    /// `ts` (tool log, and older skill-log entries).
    pub ts: Option<Cow<'a, str>>,
    /// `timestamp` (skill log).
    pub timestamp: Option<Cow<'a, str>>,
    /// `skill` (skill log).
    pub skill: Option<Cow<'a, str>>,
    /// `tool` (tool log).
    pub tool: Option<Cow<'a, str>>,
    /// `user` (tool log).
    pub user: Option<Cow<'a, str>>,
    /// `status`.
    pub status: Option<Cow<'a, str>>,
    /// `duration_ms`, when it is a whole number that fits a `u64`.
    pub duration_ms: Option<u64>,
    /// Whether the line claims our seal: it has a `seq`, `hash` or `mac`
    /// key (whatever its value). An entry without one is a *legacy* entry,
    /// written by another writer (the seed scripts, or another tool).
    pub sealed: bool,
}

impl Row<'_> {
    /// Whether the entry is a run of a skill or a call of a tool: it has a
    /// name (`skill` or `tool`) and a `status`. A legacy entry of another
    /// schema is not (a *foreign* entry): queries return it, `stats`
    /// counts it apart.
    pub fn is_run(&self) -> bool {
        (self.skill.is_some() || self.tool.is_some()) && self.status.is_some()
    }
}

/// The fields of `line`, or `None` if it is not a JSON object. A field of
/// another type than above (strings, a number) reads as absent.
pub fn read(line: &str) -> Option<Row<'_>> {
    scan(line).or_else(|| read_with_serde_json(line))
}

/// As [`read`], by `serde_json` alone, refusing a repeated key in the
/// line's object: the reference the scanner defers to (and is tested
/// against).
pub fn read_with_serde_json(line: &str) -> Option<Row<'_>> {
    serde_json::from_str::<UniqueKeys>(line).ok()?;
    serde_json::from_str::<Fields>(line)
        .ok()
        .map(Fields::into_row)
}

/// A JSON object none of whose keys is repeated (its values are not looked
/// into: `serde_json` keeps the last of a repeated key without a word).
struct UniqueKeys;

impl<'de> Deserialize<'de> for UniqueKeys {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = UniqueKeys;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object without repeated keys")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<UniqueKeys, A::Error> {
                let mut seen = std::collections::HashSet::new();
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    map.next_value::<serde::de::IgnoredAny>()?;
                    if !seen.insert(key) {
                        return Err(serde::de::Error::custom("a repeated key"));
                    }
                }
                Ok(UniqueKeys)
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}

/// The fields as `serde_json` reads them. A field of another type than
/// [`Row`]'s reads as absent: another writer's entry (`"duration_ms":
/// "250"`, `"status": 3`) is still an entry, returned as it is, and an
/// entry of ours never has one.
#[derive(Deserialize)]
struct Fields<'a> {
    #[serde(borrow, default, deserialize_with = "text")]
    ts: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "text")]
    timestamp: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "text")]
    skill: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "text")]
    tool: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "text")]
    user: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "text")]
    status: Option<Cow<'a, str>>,
    #[serde(default, deserialize_with = "whole_number")]
    duration_ms: Option<u64>,
    #[serde(default, deserialize_with = "present")]
    seq: bool,
    #[serde(default, deserialize_with = "present")]
    hash: bool,
    #[serde(default, deserialize_with = "present")]
    mac: bool,
}

/// `true` for a key that is there, whatever its value.
fn present<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    serde::de::IgnoredAny::deserialize(deserializer).map(|_| true)
}

/// A string value, borrowed where it has no escapes; `None` for any other.
fn text<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Cow<'de, str>>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Text<'a> {
        String(#[serde(borrow)] Cow<'a, str>),
        Other(serde::de::IgnoredAny),
    }
    Ok(match Text::deserialize(deserializer)? {
        Text::String(text) => Some(text),
        Text::Other(_) => None,
    })
}

/// A whole number that fits a `u64`; `None` for any other value.
fn whole_number<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<u64>, D::Error> {
    Ok(serde_json::Value::deserialize(deserializer)?.as_u64())
}

impl<'a> Fields<'a> {
    fn into_row(self) -> Row<'a> {
        Row {
            ts: self.ts,
            timestamp: self.timestamp,
            skill: self.skill,
            tool: self.tool,
            user: self.user,
            status: self.status,
            duration_ms: self.duration_ms,
            sealed: self.seq || self.hash || self.mac,
        }
    }
}

/// Where a stored line was found: what its fields must agree with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place<'a> {
    /// The skill log.
    Skills,
    /// A file of `user`'s tool log holding the entries of the UTC day `day`.
    Day {
        /// The directory's user.
        user: &'a str,
        /// The file's day.
        day: NaiveDate,
    },
}

/// Why a stored line is not a readable entry where it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    /// Not one JSON object whose fields have the types of [`Row`].
    NotAnEntry,
    /// A key repeated at `path` (`status`, `args.path`): readers would
    /// disagree on its value.
    RepeatedKey(String),
    /// The number `text` at `path` reads back as another number.
    InexactNumber {
        /// Where.
        path: String,
        /// The number as stored.
        text: String,
    },
    /// A field every entry has is missing.
    Missing(&'static str),
    /// Its time does not parse.
    BadTime(String),
    /// A tool entry's `user` is not its directory's user.
    OtherUser(String),
    /// A tool entry's time falls on another UTC day than its file's.
    OtherDay(NaiveDate),
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotAnEntry => f.write_str(
                "is not an entry: damaged, or a line inserted by hand (`auditlog repair` moves it aside)",
            ),
            Self::RepeatedKey(path) => write!(
                f,
                "holds the key {path} more than once: readers would disagree on its value (auditlog never writes a repeated key): modified"
            ),
            Self::InexactNumber { path, text } => write!(
                f,
                "holds the number {text} at {path}, which reads back as another number (auditlog never writes one): modified"
            ),
            Self::Missing(field) => write!(f, "has no {field}: modified"),
            Self::BadTime(text) => write!(
                f,
                "has the time {}, which is not a time: modified",
                refused(text)
            ),
            Self::OtherUser(user) => write!(
                f,
                "is an entry of user {} in another user's log: moved, copied or renamed",
                refused(user)
            ),
            Self::OtherDay(day) => write!(
                f,
                "is an entry of {day} in another day's file: moved"
            ),
        }
    }
}

/// The rule of what a readable entry is: `row`, read from a line found at
/// `place`, has a time that `instant` parses and, if it claims our seal, a
/// name (`skill` or `tool`) and a `status` ([`readable`]); in a tool log,
/// its `user` is the directory's and its time falls on the file's UTC day
/// ([`placed`]). A legacy entry (no seal) needs no name or status: it is
/// returned as it is. Returns its time.
///
/// # Errors
/// The first rule it breaks.
pub fn check(
    row: &Row<'_>,
    place: Place<'_>,
    instant: impl FnOnce(&str) -> Option<DateTime<Utc>>,
) -> Result<DateTime<Utc>, Unreadable> {
    let time = readable(row, place, instant)?;
    placed(row.user.as_deref(), time, place)?;
    Ok(time)
}

/// The first half of [`check`]: `row` has a time that `instant` parses
/// and, if it is sealed, a name and a `status`. Returns its time.
///
/// # Errors
/// The first rule it breaks.
pub fn readable(
    row: &Row<'_>,
    place: Place<'_>,
    instant: impl FnOnce(&str) -> Option<DateTime<Utc>>,
) -> Result<DateTime<Utc>, Unreadable> {
    let text = row
        .ts
        .as_deref()
        .or(row.timestamp.as_deref())
        .ok_or(Unreadable::Missing(match place {
            Place::Skills => "timestamp",
            Place::Day { .. } => "ts",
        }))?;
    let time = instant(text).ok_or_else(|| Unreadable::BadTime(text.to_owned()))?;
    if !row.sealed {
        return Ok(time);
    }
    if row.skill.is_none() && row.tool.is_none() {
        return Err(Unreadable::Missing(match place {
            Place::Skills => "skill",
            Place::Day { .. } => "tool",
        }));
    }
    if row.status.is_none() {
        return Err(Unreadable::Missing("status"));
    }
    Ok(time)
}

/// The second half of [`check`]: an entry of `user` stamped `time` belongs
/// at `place` — in a tool log, `user` is the directory's user and `time`
/// falls on the file's UTC day.
///
/// # Errors
/// The first rule it breaks.
pub fn placed(user: Option<&str>, time: DateTime<Utc>, place: Place<'_>) -> Result<(), Unreadable> {
    if let Place::Day { user: owner, day } = place {
        match user {
            None => return Err(Unreadable::Missing("user")),
            Some(found) if found != owner => {
                return Err(Unreadable::OtherUser(found.to_owned()));
            }
            Some(_) => {}
        }
        if time.date_naive() != day {
            return Err(Unreadable::OtherDay(time.date_naive()));
        }
    }
    Ok(())
}

/// The entry of `line`, found at `place`, and its time, as `verify` reads
/// it: strictly (no repeated key at any depth, no number that reads back as
/// another — unless it is a legacy entry's, kept as its writer wrote it;
/// see [`crate::strict_json`]), then by [`read`] and [`readable`]
/// as queries read it. `verify` checks [`placed`] once the entry's place
/// in its chain holds, so that an entry out of its chain is named as such.
///
/// # Errors
/// Why it is not a readable entry.
pub fn read_strictly(
    line: &str,
    place: Place<'_>,
) -> Result<(serde_json::Map<String, serde_json::Value>, DateTime<Utc>), Unreadable> {
    let entry = match strict_json::parse_stored(line) {
        Ok(serde_json::Value::Object(entry)) => entry,
        Ok(_) | Err(strict_json::Refusal::Syntax(_) | strict_json::Refusal::HiddenInKey { .. }) => {
            return Err(Unreadable::NotAnEntry);
        }
        Err(strict_json::Refusal::RepeatedKey { path, .. }) => {
            return Err(Unreadable::RepeatedKey(top_level(&path)));
        }
        Err(strict_json::Refusal::InexactNumber { path, text, .. }) => {
            // Another writer's number (a legacy entry's) is kept as written
            // and digested by its text; one in a sealed entry is not ours.
            match serde_json::from_str::<serde_json::Value>(line) {
                Ok(serde_json::Value::Object(entry)) if !claims_seal(&entry) => entry,
                _ => {
                    return Err(Unreadable::InexactNumber {
                        path: top_level(&path),
                        text,
                    });
                }
            }
        }
    };
    let row = read(line).ok_or(Unreadable::NotAnEntry)?;
    let time = readable(&row, place, crate::clock::parse_instant)?;
    Ok((entry, time))
}

/// Whether `entry` claims our seal: it has a `seq`, `hash` or `mac` key
/// ([`Row::sealed`] for a parsed entry).
pub fn claims_seal(entry: &serde_json::Map<String, serde_json::Value>) -> bool {
    crate::chain::SEAL_KEYS
        .iter()
        .any(|key| entry.contains_key(*key))
}

/// Whether `line` is a legacy entry: an entry ([`read`]) that does not
/// claim our seal.
pub fn is_legacy(line: &[u8]) -> bool {
    std::str::from_utf8(line)
        .ok()
        .and_then(read)
        .is_some_and(|row| !row.sealed)
}

/// A path of [`strict_json`] under an empty prefix, without its leading dot.
fn top_level(path: &str) -> String {
    path.strip_prefix('.').unwrap_or(path).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_the_component_writes_are_scanned_without_serde_json() {
        for line in [
            r#"{"ts":"2025-10-23T12:00:00Z","user":"alice","tool":"file_read","args":{"path":"a \"b\"\n","n":[1,-2.5e3,true,null,{}]},"status":"ok","result_chars":5,"result_snippet":"hello","seq":3,"hash":"00ff"}"#,
            r#"{"timestamp":"2025-10-23T12:00:00.123Z","skill":"workflow.compose","status":"failed","duration_ms":5000,"errors":["Step 3 failed"],"metadata":{"steps":5},"seq":1,"hash":"ab"}"#,
            r#" { "ts" : "t" , "status" : "ok" } "#,
            "{}",
        ] {
            let row = scan(line).unwrap_or_else(|| panic!("not scanned: {line}"));
            assert_eq!(Some(row), read_with_serde_json(line), "{line}");
        }
    }

    #[test]
    fn what_the_scanner_is_unsure_of_is_left_to_serde_json() {
        for line in [
            // serde_json reads these as entries.
            r#"{"status":"o\"k"}"#,
            r#"{"st\u0061tus":"ok"}"#,
            r#"{"status":null,"ts":"t"}"#,
            r#"{"duration_ms":null}"#,
            r#"{"duration_ms":1.5}"#,
            r#"{"duration_ms":-1}"#,
            r#"{"duration_ms":18446744073709551616}"#,
            r#"{"args":"\u00e9"}"#,
            // serde_json refuses these.
            r#"{"status":"ok","status":"error"}"#,
            r#"{"duration_ms":5,"duration_ms":5}"#,
            r#"{"duration_ms":"5"}"#,
            r#"{"duration_ms":1e400}"#,
            r#"{"status":5}"#,
            "{\"args\":\"a\tb\"}",
            r#"{"status":"ok"} x"#,
            r#"{"status":"ok",}"#,
            r#"{"status":"ok""#,
            r#"{"a":01}"#,
            r#"{"a":[1,]}"#,
            r#"{"a":tru}"#,
            "[\"t\"]",
            "",
        ] {
            assert_eq!(scan(line), None, "scanned: {line}");
            assert_eq!(read(line), read_with_serde_json(line), "{line}");
        }
        assert_eq!(
            read(r#"{"status":"o\"k"}"#).unwrap().status.unwrap(),
            "o\"k"
        );
        assert_eq!(read(r#"{"duration_ms":-1}"#).unwrap().duration_ms, None);
        assert_eq!(read(r#"{"status":"ok","status":"error"}"#), None);
    }

    #[test]
    fn deep_nesting_is_left_to_serde_json() {
        let deep = |n: usize| {
            format!(
                r#"{{"a":{}1{},"status":"ok"}}"#,
                "[".repeat(n),
                "]".repeat(n)
            )
        };
        assert!(scan(&deep(10)).is_some());
        assert_eq!(scan(&deep(200)), None);
        assert_eq!(read(&deep(200)), read_with_serde_json(&deep(200)));
    }
}
