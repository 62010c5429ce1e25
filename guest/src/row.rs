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

use crate::json_text;
use crate::strict_json;

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

/// The fields of `line`, or `None` if it is not a JSON object whose fields
/// have the types above (strings, a number; each may be `null` or absent).
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

/// The fields as `serde_json` reads them.
#[derive(Deserialize)]
struct Fields<'a> {
    #[serde(borrow)]
    ts: Option<Cow<'a, str>>,
    #[serde(borrow)]
    timestamp: Option<Cow<'a, str>>,
    #[serde(borrow)]
    skill: Option<Cow<'a, str>>,
    #[serde(borrow)]
    tool: Option<Cow<'a, str>>,
    #[serde(borrow)]
    user: Option<Cow<'a, str>>,
    #[serde(borrow)]
    status: Option<Cow<'a, str>>,
    duration_ms: Option<serde_json::Number>,
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

impl<'a> Fields<'a> {
    fn into_row(self) -> Row<'a> {
        Row {
            ts: self.ts,
            timestamp: self.timestamp,
            skill: self.skill,
            tool: self.tool,
            user: self.user,
            status: self.status,
            duration_ms: self.duration_ms.and_then(|n| n.as_u64()),
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
            Self::BadTime(text) => write!(f, "has the time {text:?}, which is not a time: modified"),
            Self::OtherUser(user) => write!(
                f,
                "is an entry of user {user:?} in another user's log: moved, copied or renamed"
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
        Err(strict_json::Refusal::RepeatedKey { path }) => {
            return Err(Unreadable::RepeatedKey(top_level(&path)));
        }
        Err(strict_json::Refusal::InexactNumber { path, text }) => {
            // Another writer's number (a legacy entry's) is kept as written
            // and digested by its text; one in a sealed entry is not ours.
            match serde_json::from_str::<serde_json::Value>(line) {
                Ok(serde_json::Value::Object(entry))
                    if ![crate::chain::SEQ, crate::chain::HASH, crate::chain::MAC]
                        .iter()
                        .any(|key| entry.contains_key(*key)) =>
                {
                    entry
                }
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

/// A path of [`strict_json`] under an empty prefix, without its leading dot.
fn top_level(path: &str) -> String {
    path.strip_prefix('.').unwrap_or(path).to_owned()
}

/// Top-level keys the scanner keeps track of before it leaves the line to
/// `serde_json`.
const MAX_KEYS: usize = 24;

/// Nesting the scanner follows before it leaves the line to `serde_json`
/// (whose own limit is 128).
const MAX_DEPTH: u32 = 64;

/// The fields of `line` if the scanner is sure of them, else `None` (which
/// says nothing about the line: [`read`] then asks `serde_json`).
fn scan(line: &str) -> Option<Row<'_>> {
    let mut s = Scanner { line, at: 0 };
    let mut row = Row::default();
    // The top-level keys seen so far: a repeat goes to `serde_json` (which
    // refuses it), so the scanner never reads an entry `verify` rejects
    // for a repeated key. Entries have about ten keys.
    let mut keys = [(0u64, 0u64); MAX_KEYS];
    let mut seen = 0;
    s.space();
    s.eat(b'{')?;
    s.space();
    if s.eat(b'}').is_none() {
        loop {
            s.space();
            let key = code(s.plain_string()?);
            if key == (0, 0) || seen == MAX_KEYS || keys[..seen].contains(&key) {
                return None;
            }
            keys[seen] = key;
            seen += 1;
            s.space();
            s.eat(b':')?;
            s.space();
            let slot = match key {
                TS => &mut row.ts,
                TIMESTAMP => &mut row.timestamp,
                SKILL => &mut row.skill,
                TOOL => &mut row.tool,
                USER => &mut row.user,
                STATUS => &mut row.status,
                SEQ | HASH | MAC => {
                    row.sealed = true;
                    s.skip_value(0)?;
                    if s.end_of_member()? {
                        break;
                    }
                    continue;
                }
                DURATION_MS => {
                    // `null` or not a whole number that fits: `serde_json`
                    // decides (1e400 is an error there).
                    row.duration_ms = Some(s.whole_number()?);
                    if s.end_of_member()? {
                        break;
                    }
                    continue;
                }
                _ => {
                    s.skip_value(0)?;
                    if s.end_of_member()? {
                        break;
                    }
                    continue;
                }
            };
            *slot = Some(Cow::Borrowed(s.plain_string()?));
            if s.end_of_member()? {
                break;
            }
        }
    }
    s.space();
    (s.at == line.len()).then_some(row)
}

/// A key of 1 to 16 bytes as two numbers (its bytes, zero-padded, little
/// end first); `(0, 0)` for the empty key and longer keys. A key read by
/// [`Scanner::plain_string`] holds no NUL, so the padding cannot make two
/// keys equal. Built with shifts, not by copying the key into an array:
/// in wasm that copy is a call, and reading the array back right after
/// stalls. Comparing numbers instead of strings matters there too, where
/// `memcmp` is a call that compares byte by byte.
const fn code(key: &str) -> (u64, u64) {
    let bytes = key.as_bytes();
    if bytes.len() > 16 {
        return (0, 0);
    }
    let (mut low, mut high) = (0u64, 0u64);
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i] as u64;
        if i < 8 {
            low |= byte << (8 * i);
        } else {
            high |= byte << (8 * (i - 8));
        }
        i += 1;
    }
    (low, high)
}

const TS: (u64, u64) = code("ts");
const TIMESTAMP: (u64, u64) = code("timestamp");
const SKILL: (u64, u64) = code("skill");
const TOOL: (u64, u64) = code("tool");
const USER: (u64, u64) = code("user");
const STATUS: (u64, u64) = code("status");
const DURATION_MS: (u64, u64) = code("duration_ms");
const SEQ: (u64, u64) = code(crate::chain::SEQ);
const HASH: (u64, u64) = code(crate::chain::HASH);
const MAC: (u64, u64) = code(crate::chain::MAC);

/// A position in a line being scanned.
struct Scanner<'a> {
    line: &'a str,
    at: usize,
}

impl<'a> Scanner<'a> {
    fn peek(&self) -> Option<u8> {
        self.line.as_bytes().get(self.at).copied()
    }

    /// Skips JSON whitespace.
    fn space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// Takes `byte` if it is next.
    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek() == Some(byte)).then(|| self.at += 1)
    }

    /// After a member's value: `true` at the object's `}`, `false` at a `,`.
    fn end_of_member(&mut self) -> Option<bool> {
        self.space();
        let end = match self.peek()? {
            b',' => false,
            b'}' => true,
            _ => return None,
        };
        self.at += 1;
        Some(end)
    }

    /// A string without escapes or control characters: its contents.
    fn plain_string(&mut self) -> Option<&'a str> {
        self.eat(b'"')?;
        let start = self.at;
        let end = json_text::skip_plain(self.line.as_bytes(), start);
        (self.line.as_bytes().get(end) == Some(&b'"')).then(|| {
            self.at = end + 1;
            // Both ends are next to an ASCII quote, so on character boundaries.
            &self.line[start..end]
        })
    }

    /// Skips a string whose escapes are single characters (`\"`, `\n`, ...).
    fn skip_string(&mut self) -> Option<()> {
        self.eat(b'"')?;
        let bytes = self.line.as_bytes();
        loop {
            let at = json_text::skip_plain(bytes, self.at);
            match bytes.get(at)? {
                b'"' => {
                    self.at = at + 1;
                    return Some(());
                }
                b'\\'
                    if matches!(
                        bytes.get(at + 1)?,
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't'
                    ) =>
                {
                    self.at = at + 2;
                }
                // A `\u` escape, another escape, or a control character.
                _ => return None,
            }
        }
    }

    /// Skips one JSON value of any type, `depth` levels inside the line's object.
    fn skip_value(&mut self, depth: u32) -> Option<()> {
        match self.peek()? {
            b'"' => self.skip_string(),
            b'{' => self.skip_container(depth, b'}', |s| {
                s.skip_string()?;
                s.space();
                s.eat(b':')?;
                s.space();
                s.skip_value(depth + 1)
            }),
            b'[' => self.skip_container(depth, b']', |s| s.skip_value(depth + 1)),
            b't' => self.word(b"true"),
            b'f' => self.word(b"false"),
            b'n' => self.word(b"null"),
            _ => self.number().map(drop),
        }
    }

    /// Skips an object or array (at its opening bracket) whose items `item`
    /// skips, ending in `close`.
    fn skip_container(
        &mut self,
        depth: u32,
        close: u8,
        item: impl Fn(&mut Self) -> Option<()>,
    ) -> Option<()> {
        if depth >= MAX_DEPTH {
            return None;
        }
        self.at += 1;
        self.space();
        if self.eat(close).is_some() {
            return Some(());
        }
        loop {
            self.space();
            item(self)?;
            self.space();
            match self.peek()? {
                b',' => self.at += 1,
                b if b == close => {
                    self.at += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// Takes `word` if it is next.
    fn word(&mut self, word: &[u8]) -> Option<()> {
        self.line.as_bytes()[self.at..]
            .starts_with(word)
            .then(|| self.at += word.len())
    }

    /// Skips a number in JSON's grammar; `true` if it is whole and unsigned.
    fn number(&mut self) -> Option<bool> {
        let negative = self.eat(b'-').is_some();
        match self.peek()? {
            b'0' => self.at += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        let mut whole = !negative;
        if self.eat(b'.').is_some() {
            self.first_digit()?;
            whole = false;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            self.first_digit()?;
            whole = false;
        }
        Some(whole)
    }

    /// A whole, unsigned number that fits a `u64`.
    fn whole_number(&mut self) -> Option<u64> {
        let start = self.at;
        if !self.number()? {
            return None;
        }
        self.line[start..self.at].parse().ok()
    }

    /// At least one digit, then any more.
    fn first_digit(&mut self) -> Option<()> {
        self.peek().filter(u8::is_ascii_digit)?;
        self.digits();
        Some(())
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
    }
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
