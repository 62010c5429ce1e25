//! Secrets written with escapes. A text may spell a character as an escape
//! that JSON, JavaScript, Python or HTML reads back as the character itself:
//! `pass\u0077ord=…`, `gh\u0070_…`, `password\x3d…`, `password&#61;…`, and
//! JSON's escaped slash in `https:\/\/user:pw@host` (PHP writes URLs so);
//! and a text may use the fullwidth forms of ASCII (`ｐａｓｓｗｏｒｄ=…`) or
//! Cyrillic and Greek letters drawn as Latin ones (`раssword=…`), or put
//! characters that draw nothing inside a word (`pass\u{200B}word=…`).
//! Such a text is searched a second time with those escapes decoded, and
//! what is found there is cut from the text as it was written.

use super::{keys, look_alikes};
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
    /// before `uXXXX`, `u{X…}`, `xXX` or `/`, `&#NN;` / `&#xNN;`, the named
    /// entities `&quot;`, `&apos;`, `&amp;`, `&lt;`, `&gt;`, a URL's `%XX`, and the
    /// fullwidth forms U+FF01 to U+FF5E and the [`look_alikes`], each when it
    /// stands for a printable ASCII character other than a backslash; the
    /// characters that draw nothing ([`keys::is_invisible`]), written or
    /// escaped, are left out; every other byte is kept as it is.
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
                Some((Some(ch), len)) => {
                    out.push(ch);
                    origin.push(i);
                    i += len;
                }
                Some((None, len)) => i += len,
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
/// backslash, `&`, 0xEF (the first byte of a fullwidth form), the first
/// byte of a look-alike or of an invisible character. Plain ASCII
/// is passed over eight bytes at a time: most texts hold no escape at all.
fn next_candidate(bytes: &[u8], mut at: usize) -> Option<usize> {
    while let Some(chunk) = bytes.get(at..at + 8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        if word & HIGHS != 0
            || has_byte(word, b'\\')
            || has_byte(word, b'&')
            || has_byte(word, b'%')
        {
            break;
        }
        at += 8;
    }
    (at..bytes.len()).find(|&i| {
        matches!(bytes[i], b'\\' | b'&' | b'%' | 0xEF)
            || look_alikes::may_start(bytes[i])
            || may_start_invisible(bytes[i])
    })
}

/// Whether `b` may start the UTF-8 of a character [`keys::is_invisible`]
/// holds: the first bytes of U+00AD, U+034F, U+0600 to U+08FF, U+1000 to
/// U+3FFF, U+E000 to U+FFFF and of every plane beyond.
fn may_start_invisible(b: u8) -> bool {
    matches!(b, 0xC2 | 0xCD | 0xD8..=0xDF | 0xE0..=0xE3 | 0xEE | 0xEF | 0xF0..=0xF4)
}

/// The length of the invisible character ([`keys::is_invisible`]) at `at`,
/// if one is there.
fn invisible_at(bytes: &[u8], at: usize) -> Option<usize> {
    let lead = bytes[at];
    if !may_start_invisible(lead) {
        return None;
    }
    let len = match lead {
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    };
    let c = std::str::from_utf8(bytes.get(at..at + len)?)
        .ok()?
        .chars()
        .next()?;
    keys::is_invisible(c).then_some(len)
}

/// What the escape at `at` stands for, if one starts there, and its length:
/// a printable ASCII character other than a backslash, or nothing (`None`)
/// for a character that draws nothing.
fn escape_at(bytes: &[u8], at: usize) -> Option<(Option<u8>, usize)> {
    let (code, len) = match bytes[at] {
        b'\\' => {
            let slashes = bytes[at..].iter().take_while(|b| **b == b'\\').count();
            let rest = &bytes[at + slashes..];
            match rest.first()? {
                b'/' => (u32::from(b'/'), slashes + 1),
                b'u' if rest.get(1) == Some(&b'{') => {
                    let n = rest.iter().skip(2).take(7).position(|b| *b == b'}')?;
                    (hex(&rest[2..2 + n])?, slashes + n + 3)
                }
                b'u' => (hex(rest.get(1..5)?)?, slashes + 5),
                b'x' => (hex(rest.get(1..3)?)?, slashes + 3),
                _ => return None,
            }
        }
        // A fullwidth form of an ASCII character, U+FF01 to U+FF5E.
        0xEF if let Some(ch) = fullwidth(bytes.get(at + 1..at + 3)?) => (u32::from(ch), 3),
        // A Cyrillic or Greek letter drawn as a Latin one.
        b if look_alikes::may_start(b)
            && let Some(ch) = look_alike(bytes.get(at..at + 2)?) =>
        {
            (u32::from(ch), 2)
        }
        // A URL's percent-encoding: `https%3A%2F%2Fbob%3Apw%40host`, also
        // encoded again for each level of nesting (`%253A`, `%25253A`).
        b'%' => {
            let again = bytes[at + 1..]
                .chunks_exact(2)
                .take_while(|two| *two == b"25")
                .count();
            let digits = at + 1 + 2 * again;
            match hex(bytes.get(digits..digits + 2)?) {
                Some(code) => (code, 3 + 2 * again),
                // `%25` alone is `%` itself.
                None if again > 0 => (u32::from(b'%'), 3),
                None => return None,
            }
        }
        // HTML's named entities for the characters that quote and separate.
        b'&' if let Some((ch, len)) = named_entity(&bytes[at..]) => (u32::from(ch), len),
        b'&' if bytes.get(at + 1) == Some(&b'#') => {
            let rest = &bytes[at + 2..];
            let (digits, radix) = match rest.first() {
                Some(b'x' | b'X') => (&rest[1..], 16),
                _ => (rest, 10),
            };
            let n = digits.iter().take(8).position(|b| *b == b';')?;
            let value = u32::from_str_radix(std::str::from_utf8(&digits[..n]).ok()?, radix).ok()?;
            let len = 2 + (rest.len() - digits.len()) + n + 1;
            (value, len)
        }
        b if may_start_invisible(b) => return invisible_at(bytes, at).map(|len| (None, len)),
        _ => return None,
    };
    match u8::try_from(code) {
        Ok(ch) if matches!(ch, b' '..=b'~') && ch != b'\\' => Some((Some(ch), len)),
        _ => char::from_u32(code)
            .is_some_and(keys::is_invisible)
            .then_some((None, len)),
    }
}

/// The character an HTML named entity at the start of `text` stands for,
/// and its length: `&quot;` (JSON in an attribute is written so), `&apos;`,
/// `&amp;`, `&lt;`, `&gt;`.
fn named_entity(text: &[u8]) -> Option<(u8, usize)> {
    const ENTITIES: [(&[u8], u8); 5] = [
        (b"&quot;", b'"'),
        (b"&apos;", b'\''),
        (b"&amp;", b'&'),
        (b"&lt;", b'<'),
        (b"&gt;", b'>'),
    ];
    ENTITIES
        .iter()
        .find(|(name, _)| text.starts_with(name))
        .map(|&(name, ch)| (ch, name.len()))
}

/// The ASCII character the two bytes after 0xEF are the fullwidth form of.
fn fullwidth(two: &[u8]) -> Option<u8> {
    match two {
        [0xBC, b @ 0x81..=0xBF] => Some(b - 0x60),
        [0xBD, b @ 0x80..=0x9E] => Some(b - 0x20),
        _ => None,
    }
}

/// The ASCII letter the two bytes are the look-alike of.
fn look_alike(two: &[u8]) -> Option<u8> {
    look_alikes::ascii(std::str::from_utf8(two).ok()?.chars().next()?)
}

/// The value of hexadecimal digits.
fn hex(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    u32::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
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
            (
                "next=https%3A%2F%2Fbob%3Ahunter2%40db.example%2Fx",
                "next=https%3A%2F%2Fbob%3A[REDACTED]%40db.example%2Fx",
            ),
            (
                "cb=https%253A%252F%252Fbob%253Ahunter2%2540db.example",
                "cb=https%253A%252F%252Fbob%253A[REDACTED]%2540db.example",
            ),
            (
                "<div data-cfg=\"{&quot;apiKey&quot;:&quot;Hunter2Secret9&quot;}\">",
                "<div data-cfg=\"{&quot;apiKey&quot;:&quot;[REDACTED]&quot;}\">",
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(r.text(input).as_deref(), Some(expected), "{input}");
        }
        assert_eq!(r.text(r"caf\u00e9 \/path &#61; \x41"), None);
        assert_eq!(r.text("100% sure, 50%off &amp; a%20b &lt;tag&gt;"), None);
    }

    #[test]
    fn characters_that_draw_nothing_inside_a_word_are_read_past() {
        let r = super::super::Redactor::default();
        let cases = [
            (
                "pass\u{200B}word=hunter2 ok",
                "pass\u{200B}word=[REDACTED] ok",
            ),
            ("to\u{AD}ken: abc ok", "to\u{AD}ken: [REDACTED] ok"),
            (
                "{\"api\u{2060}key\": \"a b\"}",
                "{\"api\u{2060}key\": \"[REDACTED]\"}",
            ),
            (
                "\u{FEFF}DB_PASSWORD=x y",
                "\u{FEFF}DB_PASSWORD=[REDACTED] y",
            ),
            (
                "--pass\u{200C}word hunter2",
                "--pass\u{200C}word [REDACTED]",
            ),
            (
                "gh\u{200B}p_abcdefghijklmnopqrstuvwxyz0123456789 ok",
                "[REDACTED] ok",
            ),
            // Escaped as JSON, JavaScript and Rust, and HTML write them.
            (
                r"pass\u200bword=hunter2 ok",
                r"pass\u200bword=[REDACTED] ok",
            ),
            (
                r"pass\u{200b}word=hunter2 ok",
                r"pass\u{200b}word=[REDACTED] ok",
            ),
            (
                "pass&#8203;word=hunter2 ok",
                "pass&#8203;word=[REDACTED] ok",
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(r.text(input).as_deref(), Some(expected), "{input}");
        }
        for kept in [
            "a\u{200B}b",
            "👩\u{200D}💻 token count",
            "soft\u{AD}ware pass\u{AD}port",
            r"\u{1F600} \u{zz}",
        ] {
            assert_eq!(r.text(kept), None, "{kept}");
        }
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
