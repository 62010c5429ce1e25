//! Keeping secrets off the disk: values under secret-looking keys, and bearer
//! tokens and `key=value` secrets inside text, become `"[REDACTED]"` before
//! an entry is written. The entry lists where something was redacted (its
//! `redacted` field), never what.
//!
//! A key is secret-looking when, lowercased and without `-` and `_`, it
//! contains one of [`SECRET_KEYS`] (so `X-Api-Key`, `db_password` and
//! `refresh_token` all are) or one of the caller's extra words.

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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redactor {
    words: Vec<String>,
    /// The length of the shortest word: an ASCII key shorter than that
    /// cannot contain one.
    shortest: usize,
    /// Bit `b % 64` of `first_bytes[b / 64]` is set when an ASCII word
    /// starts with byte `b` (two words, not a `u128`: wasm has no 128-bit
    /// shifts).
    first_bytes: [u64; 2],
}

/// Longest ASCII key normalised on the stack; longer ones take the general path.
const STACK_KEY: usize = 128;

impl Default for Redactor {
    fn default() -> Self {
        Self::new(&[])
    }
}

fn normalise(key: &str) -> String {
    key.chars()
        .filter(|c| *c != '-' && *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

impl Redactor {
    /// The built-in words plus `extra` (compared the same way).
    pub fn new(extra: &[String]) -> Self {
        let mut words: Vec<String> = SECRET_KEYS.iter().map(|w| (*w).to_owned()).collect();
        words.extend(extra.iter().map(|w| normalise(w)).filter(|w| !w.is_empty()));
        let shortest = words.iter().map(String::len).min().unwrap_or(0);
        let first_bytes = words
            .iter()
            .filter_map(|w| w.bytes().next().filter(u8::is_ascii))
            .fold([0u64; 2], |mut set, b| {
                set[usize::from(b >> 6)] |= 1 << (b & 63);
                set
            });
        Self {
            words,
            shortest,
            first_bytes,
        }
    }

    /// Whether `key` looks like it holds a secret.
    pub fn is_secret_key(&self, key: &str) -> bool {
        // Every word of free text is asked, so the usual case, a short ASCII
        // word, is answered without allocating. Other keys (non-ASCII ones
        // can lowercase into ASCII, as `K` into `k`) take the general path.
        if !key.is_ascii() || key.len() > STACK_KEY {
            let key = normalise(key);
            return self.words.iter().any(|w| key.contains(w.as_str()));
        }
        if key.len() < self.shortest {
            return false;
        }
        let mut buf = [0u8; STACK_KEY];
        let mut len = 0;
        for &b in key.as_bytes() {
            if b != b'-' && b != b'_' {
                buf[len] = b.to_ascii_lowercase();
                len += 1;
            }
        }
        let key = &buf[..len];
        (0..len)
            .filter(|&at| self.first_bytes[usize::from(key[at] >> 6)] & 1 << (key[at] & 63) != 0)
            .any(|at| {
                self.words
                    .iter()
                    .any(|w| key[at..].starts_with(w.as_bytes()))
            })
    }

    /// Redacts `value` in place: values under secret keys at any depth, and
    /// secrets inside every string. Pushes the path of each redaction (e.g.
    /// `args.headers.Authorization`, `errors[1]`) to `paths`.
    pub fn value(&self, value: &mut Value, path: &str, paths: &mut Vec<String>) {
        match value {
            Value::Object(map) => self.object(map, path, paths),
            Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    self.value(item, &format!("{path}[{i}]"), paths);
                }
            }
            Value::String(text) => {
                if let Some(clean) = self.text(text) {
                    *text = clean;
                    paths.push(path.to_owned());
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }

    /// As [`Redactor::value`], for an object.
    pub fn object(&self, map: &mut Map<String, Value>, path: &str, paths: &mut Vec<String>) {
        for (key, value) in map.iter_mut() {
            let here = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            if self.is_secret_key(key) && !matches!(value, Value::Null) {
                *value = Value::String(MARKER.to_owned());
                paths.push(here);
            } else {
                self.value(value, &here, paths);
            }
        }
    }

    /// `text` with bearer/basic credentials and `key=value` / `key: value`
    /// secrets replaced, or `None` if it holds none.
    pub fn text(&self, text: &str) -> Option<String> {
        let bytes = text.as_bytes();
        let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
        let mut cuts: Vec<(usize, usize)> = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if !is_word(bytes[i]) {
                i += 1;
                continue;
            }
            let start = i;
            while i < bytes.len() && is_word(bytes[i]) {
                i += 1;
            }
            let word = &text[start..i];
            let value = if is_scheme(word) && bytes.get(i) == Some(&b' ') {
                Some(i + 1)
            } else if self.is_secret_key(word) {
                value_start(text, i).map(|at| skip_scheme(text, at))
            } else {
                None
            };
            if let Some(value) = value {
                let end = token_end(text, value);
                if end > value {
                    cuts.push((value, end));
                    i = end;
                }
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

/// Whether `word` is an HTTP authorization scheme whose credential follows it.
fn is_scheme(word: &str) -> bool {
    word.eq_ignore_ascii_case("bearer") || word.eq_ignore_ascii_case("basic")
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
        Some((word, _)) if is_scheme(word) => at + word.len() + 1,
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
        let long = format!("{}Token", "x".repeat(STACK_KEY));
        assert!(r.is_secret_key(&long));
        for key in ["", "tok", "name", "api", "tokn", "passw-ord-less"] {
            assert_eq!(r.is_secret_key(key), key == "passw-ord-less", "{key}");
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
