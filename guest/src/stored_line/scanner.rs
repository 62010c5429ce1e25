//! The scanner [`super::read`] tries first: made for the lines the component
//! writes, it checks the JSON grammar as it goes but builds nothing, and
//! leaves whatever it is not sure of to `serde_json` (see the parent
//! module's documentation).

use std::borrow::Cow;

use super::Row;
use crate::json_text;

/// Top-level keys the scanner keeps track of before it leaves the line to
/// `serde_json`.
const MAX_KEYS: usize = 24;

/// Nesting the scanner follows before it leaves the line to `serde_json`
/// (whose own limit is 128).
const MAX_DEPTH: u32 = 64;

/// The fields of `line` if the scanner is sure of them, else `None` (which
/// says nothing about the line: [`read`] then asks `serde_json`).
pub(super) fn scan(line: &str) -> Option<Row<'_>> {
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
