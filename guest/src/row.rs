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
//! anywhere, a field that is `null` or repeated, deep nesting, anything
//! malformed — goes to `serde_json`, which decides. So the scanner never
//! changes an answer; it only gets there first.

use std::borrow::Cow;

use serde::Deserialize;

use crate::json_text;

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
}

/// The fields of `line`, or `None` if it is not a JSON object whose fields
/// have the types above (strings, a number; each may be `null` or absent).
pub fn read(line: &str) -> Option<Row<'_>> {
    scan(line).or_else(|| read_with_serde_json(line))
}

/// As [`read`], by `serde_json` alone: the reference the scanner defers to
/// (and is tested against).
pub fn read_with_serde_json(line: &str) -> Option<Row<'_>> {
    serde_json::from_str::<Fields>(line)
        .ok()
        .map(Fields::into_row)
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
        }
    }
}

/// Nesting the scanner follows before it leaves the line to `serde_json`
/// (whose own limit is 128).
const MAX_DEPTH: u32 = 64;

/// The fields of `line` if the scanner is sure of them, else `None` (which
/// says nothing about the line: [`read`] then asks `serde_json`).
fn scan(line: &str) -> Option<Row<'_>> {
    let mut s = Scanner { line, at: 0 };
    let mut row = Row::default();
    s.space();
    s.eat(b'{')?;
    s.space();
    if s.eat(b'}').is_none() {
        loop {
            s.space();
            let key = s.plain_string()?;
            s.space();
            s.eat(b':')?;
            s.space();
            let slot = match code(key) {
                TS => &mut row.ts,
                TIMESTAMP => &mut row.timestamp,
                SKILL => &mut row.skill,
                TOOL => &mut row.tool,
                USER => &mut row.user,
                STATUS => &mut row.status,
                DURATION_MS => {
                    // Repeated, `null` or not a whole number that fits:
                    // `serde_json` decides (a repeat is an error there, and
                    // so is 1e400).
                    if row.duration_ms.is_some() {
                        return None;
                    }
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
            if slot.is_some() {
                return None;
            }
            *slot = Some(Cow::Borrowed(s.plain_string()?));
            if s.end_of_member()? {
                break;
            }
        }
    }
    s.space();
    (s.at == line.len()).then_some(row)
}

/// A key of at most 16 bytes as two numbers (its bytes, zero-padded, little
/// end first); `(0, 0)` for longer keys. A key read by
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
