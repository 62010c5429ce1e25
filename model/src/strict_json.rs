//! Reading JSON text so that what is stored is what was given.
//!
//! `serde_json` keeps the last of a repeated key and reads every number into a
//! `u64`, `i64` or `f64`, so `{"path":"/etc/shadow","path":"notes.txt"}` would
//! be stored as `{"path":"notes.txt"}`, `123456789012345678901234567890` as
//! `1.2345678901234568e29` and `1e-400` as `0.0`. An audit log must not
//! change what it was told: [`parse`] refuses a repeated key at any depth and
//! a number that would be stored as another number, naming where.
//!
//! A number is kept when its stored text denotes the same decimal value as
//! the given text: every integer that fits in 64 bits, and every other number
//! whose nearest `f64` prints back as the same value (`0.1`, `1e2`, `2.50`).

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

use serde_json::Value;
use unicode_normalization::UnicodeNormalization;

use crate::invisible;

/// Why a JSON text was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Not JSON at all; `serde_json`'s message.
    Syntax(String),
    /// An object holds the key at the end of `path` more than once.
    RepeatedKey {
        /// Where, as `prefix.key[2].key`.
        path: String,
        /// The same place, step by step.
        steps: Vec<Step>,
    },
    /// The key at the end of `path` holds a character that cannot be seen in
    /// JSON text ([`invisible::hides_in_json`]), so that it would look like
    /// another key.
    HiddenInKey {
        /// Where, with the key escaped: `prefix["pa\u{200b}th"]`.
        path: String,
        /// The same place, step by step.
        steps: Vec<Step>,
        /// The first such character.
        character: char,
    },
    /// The number `text` at `path` would be stored as another number.
    InexactNumber {
        /// Where, as `prefix.key[2].key`.
        path: String,
        /// The same place, step by step.
        steps: Vec<Step>,
        /// The number as given.
        text: String,
    },
}

/// One step of a path into a JSON value: a key of an object or an index
/// of an array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The value under this key.
    Key(String),
    /// The item at this index.
    Index(usize),
}

impl Refusal {
    /// The steps from the top of the value to the place the refusal is
    /// about: none for a syntax error. For a caller that shows the place
    /// its own way ([`render`] with some keys replaced, say).
    pub fn steps(&self) -> &[Step] {
        match self {
            Refusal::Syntax(_) => &[],
            Refusal::RepeatedKey { steps, .. }
            | Refusal::HiddenInKey { steps, .. }
            | Refusal::InexactNumber { steps, .. } => steps,
        }
    }

    /// The place the refusal is about: `prefix` for a syntax error, else the
    /// path of the repeated key or the number.
    pub fn path<'a>(&'a self, prefix: &'a str) -> &'a str {
        match self {
            Refusal::Syntax(_) => prefix,
            Refusal::RepeatedKey { path, .. }
            | Refusal::HiddenInKey { path, .. }
            | Refusal::InexactNumber { path, .. } => path,
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Syntax(e) => write!(f, "is not valid JSON: {e}"),
            Refusal::RepeatedKey { .. } => f.write_str(
                "is given more than once in the same object (keys are compared in Unicode's \
                 composed form); one of the values would be lost, so the whole value is refused",
            ),
            Refusal::HiddenInKey { character, .. } => write!(
                f,
                "a key must not contain U+{:04X} {}: it shows as nothing, or as no agreed \
                 character, or turns the text around it, so the key would look like another",
                u32::from(*character),
                invisible::describe(*character).unwrap_or("a control character JSON writes raw")
            ),
            Refusal::InexactNumber { text, .. } => write!(
                f,
                "the number {} cannot be stored exactly (integers must fit in 64 bits, \
                 other numbers in a double without changing value); pass it as a string",
                invisible::refused(text)
            ),
        }
    }
}

/// Parses `text` as JSON, refusing repeated keys and numbers that would not
/// be stored as given. Paths in refusals start with `prefix` (the field's
/// name, such as `args`).
///
/// # Errors
/// A [`Refusal`] saying what is wrong and where.
pub fn parse(prefix: &str, text: &str) -> Result<Value, Refusal> {
    let value = serde_json::from_str::<Value>(text).map_err(|e| Refusal::Syntax(e.to_string()))?;
    check(prefix, text, Keys::Visible)?;
    Ok(value)
}

/// As [`parse`], for text already stored in a log: a key holding an
/// invisible character, or spelt as another key in another normal form, is
/// read as it is (entries written before such keys were refused may hold
/// one, and every reader sees the same distinct keys); repeated keys and
/// inexact numbers are still refused, because readers would disagree on the
/// value.
///
/// # Errors
/// A [`Refusal`] other than [`Refusal::HiddenInKey`].
pub fn parse_stored(text: &str) -> Result<Value, Refusal> {
    let value = serde_json::from_str::<Value>(text).map_err(|e| Refusal::Syntax(e.to_string()))?;
    check("", text, Keys::AsStored)?;
    Ok(value)
}

/// Which keys [`check`] refuses besides repeated ones.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Keys {
    /// Keys holding an invisible character too, and keys that are another
    /// spelling (in NFC) of a key already given.
    Visible,
    /// No others: keys are compared byte for byte.
    AsStored,
}

/// Where the lexer stands inside one container.
enum Frame<'t> {
    Object {
        keys: HashSet<Cow<'t, str>>,
        key: Option<Cow<'t, str>>,
        expect_key: bool,
    },
    Array {
        index: usize,
    },
}

/// Checks keys and numbers of `text`, which `serde_json` has already read as
/// valid JSON, with one pass of a lexer that only needs to tell strings,
/// numbers and brackets apart.
fn check(prefix: &str, text: &str, keys_allowed: Keys) -> Result<(), Refusal> {
    let bytes = text.as_bytes();
    let mut stack: Vec<Frame<'_>> = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'{' => {
                stack.push(Frame::Object {
                    keys: HashSet::new(),
                    key: None,
                    expect_key: true,
                });
                at += 1;
            }
            b'[' => {
                stack.push(Frame::Array { index: 0 });
                at += 1;
            }
            b'}' | b']' => {
                stack.pop();
                at += 1;
            }
            b',' => {
                match stack.last_mut() {
                    Some(Frame::Object { expect_key, .. }) => *expect_key = true,
                    Some(Frame::Array { index }) => *index += 1,
                    None => {}
                }
                at += 1;
            }
            b'"' => {
                let end = string_end(bytes, at);
                if let Some(Frame::Object {
                    keys,
                    key,
                    expect_key: expect_key @ true,
                }) = stack.last_mut()
                {
                    let name = unescape(&text[at..end]);
                    *expect_key = false;
                    *key = Some(name.clone());
                    if keys_allowed == Keys::Visible
                        && let Some(c) = name.chars().find(|&c| invisible::hides_in_json(c))
                    {
                        return Err(Refusal::HiddenInKey {
                            path: path(prefix, &stack),
                            steps: steps(&stack),
                            character: c,
                        });
                    }
                    let seen = match keys_allowed {
                        Keys::Visible => composed(name),
                        Keys::AsStored => name,
                    };
                    if !keys.insert(seen) {
                        return Err(Refusal::RepeatedKey {
                            path: path(prefix, &stack),
                            steps: steps(&stack),
                        });
                    }
                }
                at = end;
            }
            b'-' | b'0'..=b'9' => {
                let end = bytes[at..]
                    .iter()
                    .position(|b| !matches!(b, b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'))
                    .map_or(bytes.len(), |n| at + n);
                let number = &text[at..end];
                if !is_exact(number) {
                    return Err(Refusal::InexactNumber {
                        path: path(prefix, &stack),
                        steps: steps(&stack),
                        text: number.to_owned(),
                    });
                }
                at = end;
            }
            _ => at += 1,
        }
    }
    Ok(())
}

/// `key` as it is compared with the other keys of its object: in Unicode's
/// composed form (NFC), so that `é` and `e` + U+0301 are the same key.
fn composed(key: Cow<'_, str>) -> Cow<'_, str> {
    if key.is_ascii() || unicode_normalization::is_nfc(&key) {
        key
    } else {
        Cow::Owned(key.nfc().collect())
    }
}

/// The index just past the string that starts with the quote at `start`.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut at = start + 1;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 2,
            b'"' => return at + 1,
            _ => at += 1,
        }
    }
    bytes.len()
}

/// A key's text without its quotes, escapes resolved (`"\u0061"` is `a`).
fn unescape(quoted: &str) -> Cow<'_, str> {
    if quoted.contains('\\') {
        Cow::Owned(serde_json::from_str::<String>(quoted).unwrap_or_default())
    } else {
        Cow::Borrowed(&quoted[1..quoted.len() - 1])
    }
}

/// `prefix` followed by the key or index each open container is at.
fn path(prefix: &str, stack: &[Frame<'_>]) -> String {
    render(prefix, &steps(stack))
}

/// The key or index each open container is at.
fn steps(stack: &[Frame<'_>]) -> Vec<Step> {
    stack
        .iter()
        .filter_map(|frame| match frame {
            Frame::Object { key: Some(key), .. } => Some(Step::Key(key.to_string())),
            Frame::Object { key: None, .. } => None,
            Frame::Array { index } => Some(Step::Index(*index)),
        })
        .collect()
}

/// `prefix` followed by `steps`, as refusals show a place:
/// `args.headers[2]["x y"]`.
pub fn render(prefix: &str, steps: &[Step]) -> String {
    let mut out = prefix.to_owned();
    for step in steps {
        match step {
            Step::Key(key) => push_key(&mut out, key),
            Step::Index(index) => out.push_str(&format!("[{index}]")),
        }
    }
    out
}

/// `.key` for a key of letters, digits, `_`, `-`, `:`, `@` and `$`;
/// otherwise `["key"]`, escaped, so that the path stays one line of visible
/// text whatever the key holds (a `.`, a newline, an escape sequence). A
/// key longer than [`invisible::MAX_REFUSED_CHARS`] is shown cut, as
/// [`invisible::refused`] shows a refused value: the path is quoted in the
/// refusal.
fn push_key(out: &mut String, key: &str) {
    let plain = !key.is_empty()
        && key.chars().nth(invisible::MAX_REFUSED_CHARS).is_none()
        && key.chars().all(|c| {
            (c.is_alphanumeric() || matches!(c, '_' | '-' | ':' | '@' | '$'))
                && invisible::describe(c).is_none()
        });
    if plain {
        out.push('.');
        out.push_str(key);
    } else {
        out.push('[');
        out.push_str(&invisible::refused(key));
        out.push(']');
    }
}

/// Whether `text`, a JSON number, is stored as the same value: read by
/// `serde_json` exactly as it reads the whole text (whose float reading is
/// not always the nearest double), then printed as it will be stored.
fn is_exact(text: &str) -> bool {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Number(stored)) => decimal(text) == decimal(&stored.to_string()),
        _ => false,
    }
}

/// A JSON number as sign, significant digits and exponent, so that `1e2`,
/// `100` and `100.0` compare equal; zero has one spelling whatever its sign.
fn decimal(text: &str) -> (bool, String, i64) {
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (
            &unsigned[..at],
            unsigned[at + 1..].parse::<i64>().unwrap_or(0),
        ),
        None => (unsigned, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{whole}{fraction}");
    let mut exponent = exponent - fraction.len() as i64;
    let significant = digits.trim_start_matches('0');
    let trimmed = significant.trim_end_matches('0');
    if trimmed.is_empty() {
        return (false, String::new(), 0);
    }
    exponent += (significant.len() - trimmed.len()) as i64;
    (negative, trimmed.to_owned(), exponent)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(text: &str) -> Refusal {
        parse("args", text).unwrap_err()
    }

    #[test]
    fn ordinary_json_is_read_as_serde_json_reads_it() {
        for text in [
            r#"{"path":"notes.txt","n":3,"ratio":0.25,"big":18446744073709551615}"#,
            r#"{"neg":-9223372036854775808,"e":1e2,"f":2.50,"z":-0,"zf":0.0e-999}"#,
            r#"{"a":{"x":1},"b":{"x":2},"list":[{"k":1},{"k":2}],"s":"a\"b,c{d"}"#,
            r#"{"same key in strings":"\"k\":1,\"k\":2"}"#,
            "[1, 2.5, true, null]",
        ] {
            assert_eq!(
                parse("args", text).unwrap(),
                serde_json::from_str::<Value>(text).unwrap(),
                "{text}"
            );
        }
    }

    #[test]
    fn a_repeated_key_is_refused_at_any_depth_naming_it() {
        for (text, path) in [
            (r#"{"path":"/etc/shadow","path":"notes.txt"}"#, "args.path"),
            (r#"{"a":{"b":1,"b":2}}"#, "args.a.b"),
            (r#"{"l":[{"k":1},{"k":1,"k":2}]}"#, "args.l[1].k"),
            (r#"{"a":1,"\u0061":2}"#, "args.a"),
            (r#"{"a.b":1,"a.b":2}"#, r#"args["a.b"]"#),
            (
                "{\"\\u001b[2J\":1,\"\\u001b[2J\":2}",
                r#"args["\u{1b}[2J"]"#,
            ),
            (r#"{"\u00e9":1,"e\u0301":2}"#, "args[\"e\u{301}\"]"),
            (
                "{\"caf\u{e9}\":1,\"cafe\u{301}\":2}",
                "args[\"cafe\u{301}\"]",
            ),
        ] {
            let refused = refusal(text);
            assert!(
                matches!(&refused, Refusal::RepeatedKey { path: at, .. } if at == path),
                "{text}: {refused:?}"
            );
            assert_eq!(render("args", refused.steps()), path, "{text}");
        }
    }

    #[test]
    fn a_key_that_hides_a_character_is_refused_naming_it() {
        for (text, path, code) in [
            (
                r#"{"path":"/etc/shadow","pa\u200bth":"notes.txt"}"#,
                r#"args["pa\u{200b}th"]"#,
                "U+200B",
            ),
            (r#"{"a":{"\ufeffk":1}}"#, r#"args.a["\u{feff}k"]"#, "U+FEFF"),
            (
                r#"{"l":[{"x\u202e":1}]}"#,
                r#"args.l[0]["x\u{202e}"]"#,
                "U+202E",
            ),
            (
                r#"{"pass\u007fword":1}"#,
                r#"args["pass\u{7f}word"]"#,
                "U+007F",
            ),
            (r#"{"k\u009b2J":1}"#, r#"args["k\u{9b}2J"]"#, "U+009B"),
        ] {
            let refused = refusal(text);
            assert_eq!(refused.path("args"), path, "{text}");
            assert!(refused.to_string().contains(code), "{text}: {refused}");
        }
    }

    #[test]
    fn a_key_holding_a_control_json_escapes_is_kept_and_shows_as_its_escape() {
        for text in [
            r#"{"a\u0000b":1}"#,
            r#"{"\u001b[2J":1}"#,
            r#"{"line\nbreak":1}"#,
        ] {
            let value = parse("args", text).unwrap();
            let key = value.as_object().unwrap().keys().next().unwrap().clone();
            let stored = serde_json::to_string(&value).unwrap();
            assert!(key.chars().any(char::is_control), "{text}");
            assert!(!stored.chars().any(char::is_control), "{stored}");
        }
    }

    #[test]
    fn stored_text_is_read_with_the_keys_it_has_but_never_with_a_repeated_one() {
        let spelt_twice = r#"{"\u00e9":1,"e\u0301":2,"pa\u200bth":3}"#;
        assert_eq!(
            parse_stored(spelt_twice)
                .unwrap()
                .as_object()
                .unwrap()
                .len(),
            3
        );
        assert!(parse("args", spelt_twice).is_err());
        assert!(matches!(
            parse_stored(r#"{"k":1,"k":2}"#),
            Err(Refusal::RepeatedKey { .. })
        ));
    }

    #[test]
    fn numbers_that_would_change_are_refused() {
        for (text, number) in [
            (
                r#"{"id":123456789012345678901234567890}"#,
                "123456789012345678901234567890",
            ),
            (r#"{"id":18446744073709551616}"#, "18446744073709551616"),
            (r#"{"id":-9223372036854775809}"#, "-9223372036854775809"),
            (r#"{"x":1e-400}"#, "1e-400"),
            (r#"{"x":0.30000000000000001}"#, "0.30000000000000001"),
        ] {
            match refusal(text) {
                Refusal::InexactNumber { text, path, .. } => {
                    assert_eq!(text, number);
                    assert!(path.starts_with("args."), "{path}");
                }
                other => panic!("{text}: {other:?}"),
            }
        }
        let message = refusal(r#"{"x":1e-400}"#).to_string();
        assert!(message.contains("pass it as a string"), "{message}");
        assert!(parse("args", "[1, 1e999]").is_err());
        assert!(parse("args", "[1e-99999999999999999999]").is_err());
        assert_eq!(
            parse("args", "[0e99999999999999999999, 1E+2, -0.0e0]").unwrap(),
            serde_json::json!([0.0, 100.0, -0.0])
        );
    }

    #[test]
    fn syntax_errors_keep_serde_jsons_message() {
        let message = refusal("{").to_string();
        assert!(message.starts_with("is not valid JSON: "), "{message}");
    }
}
