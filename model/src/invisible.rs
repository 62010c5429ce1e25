//! Characters that show nothing, or change how the text around them is
//! shown, so that two different strings look the same.
//!
//! [`describe`] is the one list: names refuse these characters
//! ([`crate::validate::name`]), and the host's terminal formats print them as
//! escapes. It holds Unicode's format characters (general category Cf), its
//! default-ignorable code points (`Default_Ignorable_Code_Point` in
//! DerivedCoreProperties.txt, e.g. variation selectors and Hangul fillers),
//! the braille blank, private-use characters and noncharacters. Controls
//! (`char::is_control`) and white space (`char::is_whitespace`) are left to
//! the callers, which already treat them.

use std::borrow::Cow;

/// What `c` is, when it is one of the characters this module is about:
/// its Unicode name (`ZERO WIDTH SPACE`) or, for a range of alike
/// characters, what they are (`a variation selector`).
pub fn describe(c: char) -> Option<&'static str> {
    // Every character the tables name is beyond ASCII; most names and keys
    // are ASCII, and this runs for each of their characters on every append.
    if c.is_ascii() {
        return None;
    }
    let code = u32::from(c);
    if let Ok(i) = NAMED.binary_search_by_key(&code, |&(at, _)| at) {
        return Some(NAMED[i].1);
    }
    if is_noncharacter(code) {
        return Some("a noncharacter");
    }
    RANGES
        .iter()
        .find(|&&(first, last, _)| (first..=last).contains(&code))
        .map(|&(_, _, what)| what)
}

/// Whether `c` is a control character, a line or paragraph separator
/// (U+2028, U+2029: a line break to some terminals) or one that [`describe`]
/// names: what a terminal must not be handed raw.
pub fn is_hidden(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') || describe(c).is_some()
}

/// Whether `c` shows nothing where JSON text holds it: one [`describe`]
/// names, or a control JSON writes raw (DEL, U+0080 to U+009F). The other
/// controls, U+0000 to U+001F, are always written as escapes (`\u001b`,
/// `\n`), so a JSON key holding one cannot pass for another key.
pub fn hides_in_json(c: char) -> bool {
    (c.is_control() && c > '\u{1f}') || describe(c).is_some()
}

/// `text` with every character [`is_hidden`] holds written as a visible
/// escape, `\u{1b}`, and the rest as it is: for a terminal, where such a
/// character would move the cursor, clear the screen or reverse the line.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_hidden(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` in double quotes for an error message, `"` and `\` escaped with a
/// backslash and hidden characters as in [`escape`]: a refused value is
/// shown on one line exactly as it differs from what it looks like.
pub fn quoted(text: &str) -> String {
    quoted_escaping(text, |_| false)
}

/// [`quoted`], escaping also the characters for which `also` holds.
pub fn quoted_escaping(text: &str, also: impl Fn(char) -> bool) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if is_hidden(c) || also(c) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The most characters of a refused value that a refusal quotes.
pub const MAX_REFUSED_CHARS: usize = 100;

/// A refused value as every refusal quotes it: [`quoted`], but at most its
/// first [`MAX_REFUSED_CHARS`] characters, then `…` and its length, so that
/// a refused 1 MB argument is not echoed back whole (to stderr, into the
/// response JSON, into a log of the caller's):
/// `"aaaa…aaaa"… (120000 characters)`. The cut never ends inside a word
/// that a credential could be (see [`cut_point`]).
pub fn refused(text: &str) -> String {
    refused_escaping(text, |_| false)
}

/// [`refused`], escaping also the characters for which `also` holds (as
/// [`quoted_escaping`]).
pub fn refused_escaping(text: &str, also: impl Fn(char) -> bool) -> String {
    match cut_point(text) {
        None => quoted_escaping(text, also),
        Some(cut) => format!(
            "{}… ({} characters)",
            quoted_escaping(&text[..cut], also),
            text.chars().count()
        ),
    }
}

/// `text` unquoted, cut as [`refused`] cuts a value: for a message's own
/// quoting (a library's `` `key` ``) or text quoted some other way.
pub fn cut(text: &str) -> Cow<'_, str> {
    match cut_point(text) {
        None => Cow::Borrowed(text),
        Some(cut) => Cow::Owned(format!(
            "{}… ({} characters)",
            &text[..cut],
            text.chars().count()
        )),
    }
}

/// Where a refusal cuts `text`: after [`MAX_REFUSED_CHARS`] characters, if
/// it has more — or, when that would split a word of the characters a
/// credential is written with ([`in_credential`]), before that word. The
/// message is redacted after it is cut, and redaction knows a secret by
/// its whole shape (`ghp_` and 36 characters, `AGE-SECRET-KEY-1…`): a
/// secret cut in two would no longer be known, and its start kept. So a
/// word across the cut is dropped whole.
fn cut_point(text: &str) -> Option<usize> {
    let (at, next) = text.char_indices().nth(MAX_REFUSED_CHARS)?;
    if !in_credential(next) {
        return Some(at);
    }
    let word = text[..at]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| in_credential(c))
        .last()
        .map_or(at, |(start, _)| start);
    Some(word)
}

/// Whether `c` is one of the characters credentials are written with:
/// ASCII letters and digits and the punctuation of tokens, keys and URLs
/// (`_ - . + / = ~ % : @ !`, …) — every visible ASCII character but
/// quotes, brackets, commas and semicolons, which separate values.
pub fn in_credential(c: char) -> bool {
    c.is_ascii_graphic()
        && !matches!(
            c,
            '"' | '\'' | '`' | ',' | ';' | '(' | ')' | '[' | ']' | '{' | '}' | '<' | '>'
        )
}

/// `U+FDD0`…`U+FDEF` and the last two code points of every plane.
fn is_noncharacter(code: u32) -> bool {
    (0xFDD0..=0xFDEF).contains(&code) || code & 0xFFFE == 0xFFFE
}

/// Single characters with their Unicode names, sorted by code point.
const NAMED: &[(u32, &str)] = &[
    (0x00AD, "SOFT HYPHEN"),
    (0x034F, "COMBINING GRAPHEME JOINER"),
    (0x061C, "ARABIC LETTER MARK"),
    (0x06DD, "ARABIC END OF AYAH"),
    (0x070F, "SYRIAC ABBREVIATION MARK"),
    (0x08E2, "ARABIC DISPUTED END OF AYAH"),
    (0x115F, "HANGUL CHOSEONG FILLER"),
    (0x1160, "HANGUL JUNGSEONG FILLER"),
    (0x17B4, "KHMER VOWEL INHERENT AQ"),
    (0x17B5, "KHMER VOWEL INHERENT AA"),
    (0x180E, "MONGOLIAN VOWEL SEPARATOR"),
    (0x200B, "ZERO WIDTH SPACE"),
    (0x200C, "ZERO WIDTH NON-JOINER"),
    (0x200D, "ZERO WIDTH JOINER"),
    (0x200E, "LEFT-TO-RIGHT MARK"),
    (0x200F, "RIGHT-TO-LEFT MARK"),
    (0x202A, "LEFT-TO-RIGHT EMBEDDING"),
    (0x202B, "RIGHT-TO-LEFT EMBEDDING"),
    (0x202C, "POP DIRECTIONAL FORMATTING"),
    (0x202D, "LEFT-TO-RIGHT OVERRIDE"),
    (0x202E, "RIGHT-TO-LEFT OVERRIDE"),
    (0x2060, "WORD JOINER"),
    (0x2061, "FUNCTION APPLICATION"),
    (0x2062, "INVISIBLE TIMES"),
    (0x2063, "INVISIBLE SEPARATOR"),
    (0x2064, "INVISIBLE PLUS"),
    (0x2066, "LEFT-TO-RIGHT ISOLATE"),
    (0x2067, "RIGHT-TO-LEFT ISOLATE"),
    (0x2068, "FIRST STRONG ISOLATE"),
    (0x2069, "POP DIRECTIONAL ISOLATE"),
    (0x2800, "BRAILLE PATTERN BLANK"),
    (0x3164, "HANGUL FILLER"),
    (0xFEFF, "ZERO WIDTH NO-BREAK SPACE (byte order mark)"),
    (0xFFA0, "HALFWIDTH HANGUL FILLER"),
    (0x110BD, "KAITHI NUMBER SIGN"),
    (0x110CD, "KAITHI NUMBER SIGN ABOVE"),
    (0xE0001, "LANGUAGE TAG"),
];

/// Ranges of alike characters, inclusive; checked after [`NAMED`].
const RANGES: &[(u32, u32, &str)] = &[
    (0x0600, 0x0605, "an Arabic number sign (a format character)"),
    (
        0x0890,
        0x0891,
        "an Arabic pound or piastre mark above (a format character)",
    ),
    (0x180B, 0x180F, "a Mongolian free variation selector"),
    (0x2065, 0x2065, "a reserved default-ignorable character"),
    (0x206A, 0x206F, "a deprecated formatting character"),
    (0xE000, 0xF8FF, "a private-use character"),
    (0xFE00, 0xFE0F, "a variation selector"),
    (0xFFF0, 0xFFF8, "a reserved default-ignorable character"),
    (0xFFF9, 0xFFFB, "an interlinear annotation character"),
    (0x13430, 0x1343F, "an Egyptian hieroglyph format control"),
    (0x1BCA0, 0x1BCA3, "a shorthand format control"),
    (0x1D173, 0x1D17A, "a musical symbol format control"),
    (0xE0020, 0xE007F, "a tag character"),
    (0xE0100, 0xE01EF, "a variation selector"),
    (0xE0000, 0xE0FFF, "a reserved default-ignorable character"),
    (0xF0000, 0x10FFFF, "a private-use character"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_named_list_is_sorted_so_it_can_be_searched() {
        assert!(NAMED.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn invisible_and_direction_changing_characters_are_described() {
        for (c, what) in [
            ('\u{200B}', "ZERO WIDTH SPACE"),
            ('\u{FEFF}', "ZERO WIDTH NO-BREAK SPACE (byte order mark)"),
            ('\u{202E}', "RIGHT-TO-LEFT OVERRIDE"),
            ('\u{2067}', "RIGHT-TO-LEFT ISOLATE"),
            ('\u{00AD}', "SOFT HYPHEN"),
            ('\u{3164}', "HANGUL FILLER"),
            ('\u{FE0F}', "a variation selector"),
            ('\u{E0041}', "a tag character"),
            ('\u{E0100}', "a variation selector"),
            ('\u{E000}', "a private-use character"),
            ('\u{10FFFD}', "a private-use character"),
            ('\u{FDD0}', "a noncharacter"),
            ('\u{1FFFF}', "a noncharacter"),
        ] {
            assert_eq!(describe(c), Some(what), "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn visible_text_is_not() {
        for c in "aé日本語-_.:😀\u{301}".chars() {
            assert_eq!(describe(c), None, "U+{:04X}", u32::from(c));
        }
        assert!(is_hidden('\u{1b}') && is_hidden('\u{9b}') && is_hidden('\u{202E}'));
        assert!(is_hidden('\u{2028}') && is_hidden('\u{85}'));
        assert!(!is_hidden('é'));
    }

    #[test]
    fn escapes_are_visible_and_leave_the_rest_alone() {
        assert_eq!(escape("C:\\tmp é"), "C:\\tmp é");
        assert_eq!(
            escape("\u{1b}[2J\u{7}\u{9b}1m\u{202e}x\ny"),
            "\\u{1b}[2J\\u{7}\\u{9b}1m\\u{202e}x\\u{a}y"
        );
        assert_eq!(quoted("a\"b\\\u{3164}"), r#""a\"b\\\u{3164}""#);
    }

    #[test]
    fn a_refused_value_is_quoted_up_to_a_bound() {
        assert_eq!(refused("a\u{1b}b"), r#""a\u{1b}b""#);
        let exactly = "é".repeat(MAX_REFUSED_CHARS);
        assert_eq!(refused(&exactly), quoted(&exactly));
        let words = "word ".repeat(24_000);
        assert_eq!(
            refused(&words),
            format!("\"{}\"… (120000 characters)", "word ".repeat(20))
        );
        // Cut on a character, not a byte.
        let wide = "日".repeat(MAX_REFUSED_CHARS + 1);
        assert!(refused(&wide).ends_with("\"… (101 characters)"));
    }

    /// The attack: a value padded so that a token straddles the cut, where
    /// redaction (after the cut) would no longer know it by its shape.
    #[test]
    fn a_word_across_the_cut_is_dropped_whole() {
        let token = format!("ghp_{}", "Ab1".repeat(12));
        for pad in [60, 90, 99] {
            let text = format!("{} {token} tail", "x".repeat(pad));
            let shown = refused(&text);
            assert!(!shown.contains("ghp_"), "{pad}: {shown}");
            assert!(
                shown.starts_with(&format!("\"{} \"…", "x".repeat(pad))),
                "{pad}: {shown}"
            );
        }
        let one_word = format!("AGE-SECRET-KEY-1{}", "Q".repeat(120));
        assert_eq!(refused(&one_word), "\"\"… (136 characters)");
        // Separators end a word: a cut after one keeps what came before.
        let listed = format!("{},{token}", "y".repeat(MAX_REFUSED_CHARS));
        assert_eq!(
            refused(&listed),
            format!("\"{}\"… (141 characters)", "y".repeat(MAX_REFUSED_CHARS))
        );
    }
}
