//! Keeping secrets off the disk: values under secret-looking keys, and bearer
//! tokens and `key=value` secrets inside text, become `"[REDACTED]"` before
//! an entry is written. The entry lists where something was redacted (its
//! `redacted` field), never what.
//!
//! A key is secret-looking when, lowercased and without `-` and `_`, it
//! contains one of [`SECRET_KEYS`] (so `X-Api-Key`, `db_password` and
//! `refresh_token` all are) or one of the caller's extra words.

use std::fmt;

use serde_json::{Map, Value};

/// What a redacted value becomes.
pub const MARKER: &str = "[REDACTED]";

/// Words that make a key secret-looking (compared without `-` and `_`).
pub const SECRET_KEYS: [&str; 11] = [
    "password",
    "passwd",
    "secret",
    "token",
    "apikey",
    "accesskey",
    "privatekey",
    "authorization",
    "cookie",
    "session",
    "credential",
];

/// The words to look for: the built-in ones and the caller's.
#[derive(Clone, PartialEq, Eq)]
pub struct Redactor {
    /// Every word, normalised: what a non-ASCII key is searched for.
    words: Vec<String>,
    /// The words an ASCII key can contain, indexed (boxed: 3 KiB of tables).
    ascii: Box<AsciiWords>,
}

/// The words an ASCII key can contain, and a filter on the two bytes a word
/// would start with, which rules out almost every position of a key.
///
/// An ASCII key is searched where it is, without normalising it into a copy:
/// in any case, and skipping `-` and `_` if it holds any.
#[derive(Clone, PartialEq, Eq)]
struct AsciiWords {
    /// The ASCII words, sorted; those starting with byte `a` are
    /// `words[starts[a]..starts[a + 1]]`. Only words without uppercase
    /// letters, `-` and `_` (all normalised ones) can occur in a normalised
    /// ASCII key; non-ASCII words cannot.
    words: Vec<String>,
    /// Where each first byte's words start in `words`.
    starts: [usize; 129],
    /// The length of the shortest of `words` (`usize::MAX` if there are
    /// none): a shorter key cannot contain one.
    shortest: usize,
    /// Bit `b % 64` of `pairs[2 * a + b / 64]` is set when a word may start
    /// where a key (without `-` and `_`) holds byte `a` and then `b`, or ends
    /// after `a` (`b` = 0): when a word starts with `a` and `b` in either
    /// case, or is the single letter `a`. Two `u64`s a row, not a `u128`:
    /// wasm has no 128-bit shifts.
    pairs: [u64; 256],
}

/// [`CLASS`] of a byte that is part of a word in text: an ASCII letter or
/// digit, `-` or `_`.
const WORD: u8 = 1;
/// [`CLASS`] of `-` and `_`, which keys are compared without.
const SEPARATOR: u8 = 2;
/// [`CLASS`] of a byte of a non-ASCII character.
const NON_ASCII: u8 = 4;

/// What each byte is to text and keys: a table, so that the byte loops do
/// one load instead of several comparisons.
static CLASS: [u8; 256] = {
    let mut class = [0; 256];
    let mut b = 0;
    while b < class.len() {
        let byte = b as u8;
        class[b] = if !byte.is_ascii() {
            NON_ASCII
        } else if byte == b'-' || byte == b'_' {
            WORD | SEPARATOR
        } else if byte.is_ascii_alphanumeric() {
            WORD
        } else {
            0
        };
        b += 1;
    }
    class
};

impl Default for Redactor {
    fn default() -> Self {
        Self::new(&[])
    }
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Redactor")
            .field("words", &self.words)
            .finish_non_exhaustive()
    }
}

fn normalise(key: &str) -> String {
    key.chars()
        .filter(|c| *c != '-' && *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether `b` stays in a key once normalised (is not `-` or `_`).
fn kept(b: u8) -> bool {
    CLASS[usize::from(b)] & SEPARATOR == 0
}

impl AsciiWords {
    /// Indexes the ASCII ones of `words` (normalised).
    fn new(words: &[String]) -> Self {
        let mut words: Vec<String> = words
            .iter()
            .filter(|w| {
                w.bytes()
                    .all(|b| b.is_ascii() && !b.is_ascii_uppercase() && kept(b))
            })
            .cloned()
            .collect();
        words.sort_unstable();
        words.dedup();
        let mut starts = [0; 129];
        for w in &words {
            starts[usize::from(w.as_bytes()[0]) + 1] += 1;
        }
        for a in 0..128 {
            starts[a + 1] += starts[a];
        }
        let mut pairs = [0u64; 256];
        for w in &words {
            let (a, second) = (w.as_bytes()[0], w.as_bytes().get(1).copied());
            for a in [a, a.to_ascii_uppercase()] {
                let mut set =
                    |b: u8| pairs[usize::from(a) << 1 | usize::from(b >> 6)] |= 1 << (b & 63);
                match second {
                    Some(b) => {
                        set(b);
                        set(b.to_ascii_uppercase());
                    }
                    None => (0..128).for_each(set),
                }
            }
        }
        let shortest = words.iter().map(String::len).min().unwrap_or(usize::MAX);
        Self {
            words,
            starts,
            shortest,
            pairs,
        }
    }

    /// Whether a word may start at a position holding ASCII byte `a`, followed
    /// by ASCII byte `b` (0 at the end of the key).
    fn may_start(&self, a: u8, b: u8) -> bool {
        let (a, b) = (a & 127, b & 127);
        self.pairs[usize::from(a) << 1 | usize::from(b >> 6)] & 1 << (b & 63) != 0
    }

    /// The words starting with ASCII byte `a`, in either case.
    fn starting_with(&self, a: u8) -> &[String] {
        let a = usize::from(a.to_ascii_lowercase() & 127);
        &self.words[self.starts[a]..self.starts[a + 1]]
    }

    /// Whether the ASCII `key`, lowercased and without `-` and `_` (which it
    /// holds if and only if `separated`), contains one of the words.
    ///
    /// Always inlined: it runs for every long word of text, and the wasm
    /// compiler inlines nothing itself.
    #[inline(always)]
    fn in_key(&self, key: &[u8], separated: bool) -> bool {
        if key.len() < self.shortest {
            false
        } else if separated {
            self.in_separated(key)
        } else {
            self.in_plain(key)
        }
    }

    /// [`AsciiWords::in_key`] for a key without `-` and `_`: the usual case,
    /// inlined with it.
    #[inline(always)]
    fn in_plain(&self, key: &[u8]) -> bool {
        let Some(last) = key.len().checked_sub(self.shortest) else {
            return false;
        };
        (0..=last).any(|at| {
            self.may_start(key[at], key.get(at + 1).copied().unwrap_or(0)) && {
                let rest = &key[at..];
                self.starting_with(key[at]).iter().any(|w| {
                    rest.get(..w.len())
                        .is_some_and(|k| k.eq_ignore_ascii_case(w.as_bytes()))
                })
            }
        })
    }

    /// [`AsciiWords::in_key`] for a key with `-` or `_`: compared as if they
    /// were not there.
    fn in_separated(&self, key: &[u8]) -> bool {
        let mut left = key.iter().filter(|b| kept(**b)).count();
        let mut at = 0;
        while left >= self.shortest {
            while !kept(key[at]) {
                at += 1;
            }
            let rest = &key[at..];
            let next = rest[1..].iter().find(|b| kept(**b));
            if self.may_start(key[at], next.copied().unwrap_or(0)) {
                let found = self.starting_with(key[at]).iter().any(|w| {
                    let mut rest = rest.iter().filter(|b| kept(**b));
                    w.bytes()
                        .all(|c| rest.next().is_some_and(|b| b.to_ascii_lowercase() == c))
                });
                if found {
                    return true;
                }
            }
            at += 1;
            left -= 1;
        }
        false
    }
}

impl Redactor {
    /// The built-in words plus `extra` (compared the same way).
    pub fn new(extra: &[String]) -> Self {
        let mut words: Vec<String> = SECRET_KEYS.iter().map(|w| (*w).to_owned()).collect();
        words.extend(extra.iter().map(|w| normalise(w)).filter(|w| !w.is_empty()));
        let ascii = Box::new(AsciiWords::new(&words));
        Self { words, ascii }
    }

    /// Whether `key` looks like it holds a secret.
    pub fn is_secret_key(&self, key: &str) -> bool {
        // The usual key, an ASCII one, is searched where it is. Non-ASCII
        // keys (which can lowercase into ASCII, as `K` into `k`) are
        // normalised into a new string.
        let class = key
            .bytes()
            .fold(0, |class, b| class | CLASS[usize::from(b)]);
        if class & NON_ASCII != 0 {
            let key = normalise(key);
            return self.words.iter().any(|w| key.contains(w.as_str()));
        }
        self.ascii.in_key(key.as_bytes(), class & SEPARATOR != 0)
    }

    /// Redacts `value` in place: values under secret keys at any depth, and
    /// secrets inside every string. Pushes the path of each redaction (e.g.
    /// `args.headers.Authorization`, `errors[1]`) to `paths`.
    pub fn value(&self, value: &mut Value, path: &str, paths: &mut Vec<String>) {
        self.value_at(value, &Path::Root(path), paths);
    }

    /// As [`Redactor::value`], for an object.
    pub fn object(&self, map: &mut Map<String, Value>, path: &str, paths: &mut Vec<String>) {
        self.object_at(map, &Path::Root(path), paths);
    }

    fn value_at(&self, value: &mut Value, path: &Path<'_>, paths: &mut Vec<String>) {
        match value {
            Value::Object(map) => self.object_at(map, path, paths),
            Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    self.value_at(item, &Path::Index(path, i), paths);
                }
            }
            Value::String(text) => {
                if let Some(clean) = self.text(text) {
                    *text = clean;
                    paths.push(path.to_string());
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }

    fn object_at(&self, map: &mut Map<String, Value>, path: &Path<'_>, paths: &mut Vec<String>) {
        for (key, value) in map.iter_mut() {
            let here = Path::Key(path, key);
            if self.is_secret_key(key) && !matches!(value, Value::Null) {
                *value = Value::String(MARKER.to_owned());
                paths.push(here.to_string());
            } else {
                self.value_at(value, &here, paths);
            }
        }
    }

    /// `text` with bearer/basic credentials and `key=value` / `key: value`
    /// secrets replaced, or `None` if it holds none.
    pub fn text(&self, text: &str) -> Option<String> {
        let bytes = text.as_bytes();
        let mut words = Words {
            bytes,
            at: 0,
            // Most words are shorter, and skipped without leaving the loop.
            shortest: self.ascii.shortest.min(SHORTEST_SCHEME),
        };
        let mut cuts: Vec<(usize, usize)> = Vec::new();
        while let Some((start, end, class)) = words.next_word() {
            let word = &bytes[start..end];
            let scheme = is_scheme(word) && bytes.get(end) == Some(&b' ');
            if scheme || self.ascii.in_key(word, class & SEPARATOR != 0) {
                words.at = cut_after(text, end, scheme, &mut cuts);
            }
        }
        if cuts.is_empty() {
            return None;
        }
        let mut out = String::with_capacity(text.len());
        let mut pos = 0;
        for (start, end) in cuts {
            out.push_str(&text[pos..start]);
            out.push_str(MARKER);
            pos = end;
        }
        out.push_str(&text[pos..]);
        Some(out)
    }
}

/// Where a value sits, written out (as `args.list[0].key`) only when a
/// redaction there is recorded.
enum Path<'a> {
    /// The path the caller gave.
    Root(&'a str),
    /// The value under a key of the object at a path.
    Key(&'a Path<'a>, &'a str),
    /// An item of the array at a path.
    Index(&'a Path<'a>, usize),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Path::Root(root) => f.write_str(root),
            // A key right under an empty path is not preceded by a dot.
            Path::Key(parent, key) if parent.is_empty() => f.write_str(key),
            Path::Key(parent, key) => write!(f, "{parent}.{key}"),
            Path::Index(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

impl Path<'_> {
    /// Whether the path is written out as nothing at all.
    fn is_empty(&self) -> bool {
        match *self {
            Path::Root(root) => root.is_empty(),
            Path::Key(parent, key) => key.is_empty() && parent.is_empty(),
            Path::Index(..) => false,
        }
    }
}

/// The words of a text (runs of [`WORD`] bytes) long enough to be a scheme
/// or to hold a secret-looking word.
struct Words<'a> {
    /// The text.
    bytes: &'a [u8],
    /// Where to look for the next word.
    at: usize,
    /// The length of the shortest word to return.
    shortest: usize,
}

impl Words<'_> {
    /// The next word: where it starts and ends, and the [`CLASS`]es of its
    /// bytes together.
    ///
    /// Out of line: in a function this small the loop over every byte keeps
    /// its values in registers, even compiled from wasm.
    #[inline(never)]
    fn next_word(&mut self) -> Option<(usize, usize, u8)> {
        let bytes = self.bytes;
        let mut i = self.at;
        while i < bytes.len() {
            if CLASS[usize::from(bytes[i])] & WORD == 0 {
                i += 1;
                continue;
            }
            let start = i;
            let mut class = 0;
            while let Some(&b) = bytes.get(i) {
                let c = CLASS[usize::from(b)];
                if c & WORD == 0 {
                    break;
                }
                class |= c;
                i += 1;
            }
            if i - start >= self.shortest {
                self.at = i;
                return Some((start, i, class));
            }
        }
        self.at = i;
        None
    }
}

/// After a scheme (`scheme`) or a secret-looking word ending at `at` in
/// `text`, adds the credential or value, if any, to `cuts`. Returns where to
/// look for the next word.
///
/// Out of line: seldom called, and it would make [`Redactor::text`] bigger.
#[inline(never)]
fn cut_after(text: &str, at: usize, scheme: bool, cuts: &mut Vec<(usize, usize)>) -> usize {
    let value = if scheme {
        Some(at + 1)
    } else {
        value_start(text, at).map(|at| skip_scheme(text, at))
    };
    if let Some(value) = value {
        let end = token_end(text, value);
        if end > value {
            cuts.push((value, end));
            return end;
        }
    }
    at
}

/// The length of the shortest scheme [`is_scheme`] knows, `basic`.
const SHORTEST_SCHEME: usize = 5;

/// Whether `word` is an HTTP authorization scheme whose credential follows it.
fn is_scheme(word: &[u8]) -> bool {
    match word.len() {
        5 => word.eq_ignore_ascii_case(b"basic"),
        6 => word.eq_ignore_ascii_case(b"bearer"),
        _ => false,
    }
}

/// Where the value starts if `key_end` is followed by `=` or `:` (quotes and
/// spaces around them allowed), else `None`.
fn value_start(text: &str, key_end: usize) -> Option<usize> {
    let rest = &text[key_end..];
    let after_quote = rest.strip_prefix(['"', '\'']).unwrap_or(rest);
    let trimmed = after_quote.trim_start_matches(' ');
    let after_sep = trimmed.strip_prefix(['=', ':'])?;
    let value = after_sep.trim_start_matches(' ');
    let value = value.strip_prefix(['"', '\'']).unwrap_or(value);
    Some(text.len() - value.len())
}

/// Past a `Bearer ` or `Basic ` scheme word at `at`, so the credential itself is cut.
fn skip_scheme(text: &str, at: usize) -> usize {
    match text[at..].split_once(' ') {
        Some((word, _)) if is_scheme(word.as_bytes()) => at + word.len() + 1,
        _ => at,
    }
}

/// The end of a credential starting at `start`: up to whitespace, a quote or a
/// separator that ends a value in headers, query strings and JSON.
fn token_end(text: &str, start: usize) -> usize {
    text[start..]
        .find(|c: char| {
            c.is_whitespace() || matches!(c, '"' | '\'' | '&' | ',' | ';' | '}' | ')' | '<' | '>')
        })
        .map_or(text.len(), |i| start + i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secret_keys_at_any_depth_are_replaced_and_listed() {
        let mut args = json!({
            "password": "hunter2",
            "user": "alice",
            "nested": {"X-Api-Key": "k-123", "list": [{"refresh_token": 42}]},
            "Authorization": {"scheme": "Bearer", "value": "abc"},
            "note": null,
        });
        let mut paths = Vec::new();
        Redactor::default().value(&mut args, "args", &mut paths);
        assert_eq!(
            args,
            json!({
                "password": "[REDACTED]",
                "user": "alice",
                "nested": {"X-Api-Key": "[REDACTED]", "list": [{"refresh_token": "[REDACTED]"}]},
                "Authorization": "[REDACTED]",
                "note": null,
            })
        );
        assert_eq!(
            paths,
            [
                "args.password",
                "args.nested.X-Api-Key",
                "args.nested.list[0].refresh_token",
                "args.Authorization"
            ]
        );
    }

    #[test]
    fn paths_under_an_empty_path_start_without_a_dot() {
        let r = Redactor::default();
        let mut value = json!({
            "": {"a": {"token": 1}, "": {"b": "token=x"}},
            "l": [{"password": 1}, "Bearer x", [{"secret": "s"}]],
        });
        let mut paths = Vec::new();
        r.value(&mut value, "", &mut paths);
        assert_eq!(
            paths,
            ["a.token", "b", "l[0].password", "l[1]", "l[2][0].secret"]
        );
        let mut items = json!(["token=x", {"k": "Basic abc"}]);
        let mut paths = Vec::new();
        r.value(&mut items, "", &mut paths);
        assert_eq!(paths, ["[0]", "[1].k"]);
    }

    #[test]
    fn secrets_inside_text() {
        let r = Redactor::default();
        let cases = [
            (
                "Authorization: Bearer eyJhbGciOi.x.y",
                "Authorization: Bearer [REDACTED]",
            ),
            (
                "curl -H 'Authorization: Bearer abc123' https://x",
                "curl -H 'Authorization: Bearer [REDACTED]' https://x",
            ),
            (
                "GET /?api_key=SEKRIT&page=2",
                "GET /?api_key=[REDACTED]&page=2",
            ),
            ("password = \"hunter2\" ok", "password = \"[REDACTED]\" ok"),
            (
                "{\"token\": \"t-1\", \"n\": 1}",
                "{\"token\": \"[REDACTED]\", \"n\": 1}",
            ),
            (
                "failed: DB_PASSWORD=p@ss; retry",
                "failed: DB_PASSWORD=[REDACTED]; retry",
            ),
            ("use bearer XYZ now", "use bearer [REDACTED] now"),
        ];
        for (input, expected) in cases {
            assert_eq!(r.text(input).as_deref(), Some(expected), "{input}");
        }
        assert_eq!(r.text("nothing secret here: tokens are words"), None);
        assert_eq!(r.text("token"), None);
    }

    #[test]
    fn extra_words_are_honoured() {
        let r = Redactor::new(&["ssn".to_owned(), "Card-Number".to_owned()]);
        assert!(r.is_secret_key("customer_SSN"));
        assert!(r.is_secret_key("cardnumber"));
        assert!(!r.is_secret_key("name"));
        assert_eq!(r.text("ssn=123-45-6789").as_deref(), Some("ssn=[REDACTED]"));
    }

    #[test]
    fn keys_match_in_any_case_spelling_and_script() {
        let r = Redactor::default();
        for key in [
            "PASSWORD",
            "X-Api-Key",
            "db_Pass-wd",
            "my-session-id",
            "to\u{212A}en",
        ] {
            assert!(r.is_secret_key(key), "{key}");
        }
        let long = format!("{}Token", "x".repeat(128));
        assert!(r.is_secret_key(&long));
        for key in ["", "tok", "name", "api", "tokn", "passw-ord-less"] {
            assert_eq!(r.is_secret_key(key), key == "passw-ord-less", "{key}");
        }
    }

    /// Whether `key` is secret-looking as the module documents it, the slow
    /// and obvious way.
    fn reference(extra: &[String], key: &str) -> bool {
        let plain = |s: &str| -> String {
            s.chars()
                .filter(|c| !matches!(c, '-' | '_'))
                .flat_map(char::to_lowercase)
                .collect()
        };
        let key = plain(key);
        SECRET_KEYS
            .iter()
            .map(|w| (*w).to_owned())
            .chain(extra.iter().map(|w| plain(w)))
            .any(|w| !w.is_empty() && key.contains(&w))
    }

    #[test]
    fn is_secret_key_agrees_with_the_reference() {
        // A xorshift generator: deterministic, and no dependency.
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            usize::try_from(state % n as u64).unwrap()
        };
        let pieces = [
            "pass",
            "Word",
            "wd",
            "tok",
            "EN",
            "api",
            "Key",
            "sec",
            "ret",
            "sess",
            "ion",
            "coo",
            "kie",
            "cred",
            "ential",
            "auth",
            "orization",
            "priv",
            "ate",
            "acc",
            "ess",
            "a",
            "b",
            "x",
            "X",
            "s",
            "k",
            "z",
            "1",
            "-",
            "_",
            "--",
            "_-",
            " ",
            ".",
            "\0",
            "\u{212A}",
            "\u{17F}",
            "\u{130}",
            "é",
            "ß",
            "😀",
            "İ",
        ];
        let extras: Vec<Vec<String>> = [
            &[][..],
            &["x"],
            &["X"],
            &["k"],
            &["ab"],
            &["Ab", "z"],
            &["a-b", "_s_"],
            &["-", "_"],
            &["\u{212A}ey"],
            &["é", "ss"],
            &["İ", "\u{17F}"],
            &["a\0"],
        ]
        .iter()
        .map(|words| words.iter().map(|w| (*w).to_owned()).collect())
        .collect();
        for extra in &extras {
            let redactor = Redactor::new(extra);
            for _ in 0..4_000 {
                let mut key = String::new();
                let target = next(150);
                while key.len() < target {
                    key.push_str(pieces[next(pieces.len())]);
                }
                assert_eq!(
                    redactor.is_secret_key(&key),
                    reference(extra, &key),
                    "{extra:?} {key:?}"
                );
                // Text asks about each of its words the same way.
                if key.bytes().all(|b| CLASS[usize::from(b)] & WORD != 0) {
                    let text = format!("{key}=v");
                    let secret = redactor.text(&text).is_some();
                    assert_eq!(secret, reference(extra, &key), "{extra:?} {key:?}");
                }
            }
            // Keys of about 128 bytes, with the word at either end, with
            // and without separators.
            for len in 125_usize..=131 {
                for word in ["token", "Tok_en", "x", "ab", "a-B", "ke"] {
                    for sep in ["", "-"] {
                        let pad = "q".repeat(len.saturating_sub(word.len() + sep.len()));
                        for key in [format!("{word}{sep}{pad}"), format!("{pad}{sep}{word}")] {
                            assert_eq!(
                                redactor.is_secret_key(&key),
                                reference(extra, &key),
                                "{extra:?} {key:?}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn multibyte_text_keeps_its_characters() {
        let r = Redactor::default();
        assert_eq!(
            r.text("ünïcödé password=geheim ok").as_deref(),
            Some("ünïcödé password=[REDACTED] ok")
        );
        assert_eq!(
            r.text("İstanbul token=x"),
            Some("İstanbul token=[REDACTED]".to_owned())
        );
    }
}
