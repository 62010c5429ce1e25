//! Secrets written with escapes. A text may spell a character as an escape
//! that JSON, JavaScript, Python or HTML reads back as the character itself:
//! `pass\u0077ord=…`, `gh\u0070_…`, `password\x3d…`, `password&#61;…`, and
//! JSON's escaped slash in `https:\/\/user:pw@host` (PHP writes URLs so);
//! and a text may use the fullwidth forms of ASCII (`ｐａｓｓｗｏｒｄ=…`) or
//! Cyrillic and Greek letters drawn as Latin ones (`раssword=…`).
//! Such a text is searched a second time with those escapes decoded, and
//! what is found there is cut from the text as it was written.

use super::look_alikes;
use crate::json_text::{HIGHS, has_byte};

/// A text with its escapes of ASCII characters decoded, and where each of
/// its bytes came from in the text as written.
pub struct Decoded {
    /// The decoded text.
    pub text: String,
    /// For each byte of `text`, and one past its end, the position in the
    /// text as written where it starts.
    origin: Vec<usize>,
}

impl Decoded {
    /// `text` with its escapes decoded, or `None` if it holds none.
    ///
    /// Decoded are a run of backslashes (one for each level of nesting)
    /// before `uXXXX`, `xXX` or `/`, `&#NN;` / `&#xNN;`, and the fullwidth
    /// forms U+FF01 to U+FF5E and the [`look_alikes`], each when it stands for a printable ASCII
    /// character other than a backslash; every other byte is kept as it is.
    pub fn new(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        let mut first = next_candidate(bytes, 0)?;
        while escape_at(bytes, first).is_none() {
            first = next_candidate(bytes, first + 1)?;
        }
        let mut out = Vec::with_capacity(bytes.len());
        let mut origin = Vec::with_capacity(bytes.len() + 1);
        out.extend_from_slice(&bytes[..first]);
        origin.extend(0..first);
        let mut i = first;
        while i < bytes.len() {
            match escape_at(bytes, i) {
                Some((ch, len)) => {
                    out.push(ch);
                    origin.push(i);
                    i += len;
                }
                None => {
                    out.push(bytes[i]);
                    origin.push(i);
                    i += 1;
                }
            }
        }
        origin.push(bytes.len());
        // Only ASCII escapes became ASCII bytes: the rest is as valid as it was.
        let text = String::from_utf8(out).ok()?;
        Some(Self { text, origin })
    }

    /// The span of the text as written that the decoded span `from..to` was
    /// read from.
    pub fn original(&self, (from, to): (usize, usize)) -> (usize, usize) {
        (self.origin[from], self.origin[to])
    }
}

/// The first position at or after `at` where an escape may start: a
/// backslash, `&` or 0xEF (the first byte of a fullwidth form). Plain ASCII
/// is passed over eight bytes at a time: most texts hold no escape at all.
fn next_candidate(bytes: &[u8], mut at: usize) -> Option<usize> {
    while let Some(chunk) = bytes.get(at..at + 8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        if word & HIGHS != 0 || has_byte(word, b'\\') || has_byte(word, b'&') {
            break;
        }
        at += 8;
    }
    (at..bytes.len())
        .find(|&i| matches!(bytes[i], b'\\' | b'&' | 0xEF) || look_alikes::may_start(bytes[i]))
}

/// The character the escape at `at` stands for and the escape's length, if
/// one starts there.
fn escape_at(bytes: &[u8], at: usize) -> Option<(u8, usize)> {
    let (ch, len) = match bytes[at] {
        b'\\' => {
            let slashes = bytes[at..].iter().take_while(|b| **b == b'\\').count();
            let rest = &bytes[at + slashes..];
            match rest.first()? {
                b'/' => (b'/', slashes + 1),
                b'u' => (hex(rest.get(1..5)?)?, slashes + 5),
                b'x' => (hex(rest.get(1..3)?)?, slashes + 3),
                _ => return None,
            }
        }
        // A fullwidth form of an ASCII character, U+FF01 to U+FF5E.
        0xEF => match bytes.get(at + 1..at + 3)? {
            [0xBC, b @ 0x81..=0xBF] => (b - 0x60, 3),
            [0xBD, b @ 0x80..=0x9E] => (b - 0x20, 3),
            _ => return None,
        },
        // A Cyrillic or Greek letter drawn as a Latin one.
        b if look_alikes::may_start(b) => {
            let two = std::str::from_utf8(bytes.get(at..at + 2)?).ok()?;
            (look_alikes::ascii(two.chars().next()?)?, 2)
        }
        b'&' if bytes.get(at + 1) == Some(&b'#') => {
            let rest = &bytes[at + 2..];
            let (digits, radix) = match rest.first() {
                Some(b'x' | b'X') => (&rest[1..], 16),
                _ => (rest, 10),
            };
            let n = digits.iter().take(8).position(|b| *b == b';')?;
            let value = u32::from_str_radix(std::str::from_utf8(&digits[..n]).ok()?, radix).ok()?;
            let len = 2 + (rest.len() - digits.len()) + n + 1;
            (u8::try_from(value).ok()?, len)
        }
        _ => return None,
    };
    (matches!(ch, b' '..=b'~') && ch != b'\\').then_some((ch, len))
}

/// The value of hexadecimal digits, if it is a byte.
fn hex(digits: &[u8]) -> Option<u8> {
    if !digits.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let value = u32::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()?;
    u8::try_from(value).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_of_printable_ascii_are_decoded_and_traced_back() {
        let text = r"pass\u0077ord\x3Dx &#61;&#x3d; https:\\/\\/h é\u00e9";
        let decoded = Decoded::new(text).expect("escapes");
        assert_eq!(decoded.text, r"password=x == https://h é\u00e9");
        let at = decoded.text.find("word").unwrap();
        assert_eq!(decoded.original((at, at + 4)), (4, 13));
        let end = decoded.text.len();
        assert_eq!(decoded.original((end, end)), (text.len(), text.len()));
    }

    #[test]
    fn a_text_without_escapes_is_not_copied() {
        for text in [
            "plain",
            r"C:\Users\bob",
            r"\u12",
            r"\u005c",
            "&#;",
            "a & b",
            "é",
        ] {
            assert!(Decoded::new(text).is_none(), "{text}");
        }
    }

    #[test]
    fn secrets_written_with_escapes_are_cut_as_written() {
        let r = super::super::Redactor::default();
        let cases = [
            (
                r#"{"pass\u0077ord": "hunter2"}"#,
                r#"{"pass\u0077ord": "[REDACTED]"}"#,
            ),
            (
                r"gh\u0070_abcdefghijklmnopqrstuvwxyz0123456789 ok",
                "[REDACTED] ok",
            ),
            (r"password\x3dhunter2 ok", r"password\x3d[REDACTED] ok"),
            (
                "ｐａｓｓｗｏｒｄ＝hunter2 ok",
                "ｐａｓｓｗｏｒｄ＝[REDACTED] ok",
            ),
            ("ＡＫＩＡＩＯＳＦＯＤＮＮ７ＥＸＡＭＰＬＥ", "[REDACTED]"),
            ("password&#61;hunter2 ok", "password&#61;[REDACTED] ok"),
            (
                r#"{"url":"https:\/\/bob:hunter2@x.com\/a"}"#,
                r#"{"url":"https:\/\/bob:[REDACTED]@x.com\/a"}"#,
            ),
            (
                r"token=abc \u0070assword: hunter2",
                r"token=[REDACTED] \u0070assword: [REDACTED]",
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(r.text(input).as_deref(), Some(expected), "{input}");
        }
        assert_eq!(r.text(r"caf\u00e9 \/path &#61; \x41"), None);
    }

    #[test]
    fn latin_letters_spelled_with_cyrillic_or_greek_look_alikes_are_read_as_latin() {
        let r = super::super::Redactor::default();
        let cases = [
            // Cyrillic р and а; Greek capitals; Cyrillic о and е in a key.
            ("раssword=hunter2 ok", "раssword=[REDACTED] ok"),
            ("ΤΟΚΕΝ: abc ok", "ΤΟΚΕΝ: [REDACTED] ok"),
            ("{\"tоkеn\": \"x y\"}", "{\"tоkеn\": \"[REDACTED]\"}"),
            ("АКIАIOSFODNN7EXAMPLE", "[REDACTED]"),
        ];
        for (input, expected) in cases {
            assert_eq!(r.text(input).as_deref(), Some(expected), "{input}");
        }
        for kept in [
            "Пароль обязателен, токен истёк: войдите снова",
            "Ο κωδικός είναι λάθος· δοκιμάστε ξανά",
            "Сергей Петров, ул. Ленина 5",
        ] {
            assert_eq!(r.text(kept), None, "{kept}");
        }
    }
}
