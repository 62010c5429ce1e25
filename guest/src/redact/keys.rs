//! Which key names look like they hold a secret: the word lists, and the
//! matchers over them.
//!
//! A key is secret-looking when
//! - lowercased and without `-` and `_`, it contains one of [`SECRET_KEYS`]
//!   or one of the caller's extra words (`X-Api-Key`, `db_password`,
//!   `refresh_token`);
//! - one of its words (split at punctuation, digits and camelCase humps) is
//!   one of [`SECRET_PARTS`] (`db_pass`, `authHeader`, `DSN`, `mfa_code`,
//!   `cvv2`), short words
//!   that are parts of ordinary words elsewhere (`passport`, `author`);
//! - or its last word is `key` after a word that is not one of
//!   [`ORDINARY_KEYS`] (`signing_key`, `AccountKey`, but not `sort_key`);
//! - or it holds the word for password in another language
//!   ([`OTHER_LANGUAGES`]: `passwort`, `пароль`, `密码`).
//!
//! Keys are compared without the characters that draw nothing
//! ([`is_invisible`]: `pass\u{200B}word` is `password`).
//!
//! A number under a secret-looking key that names a count of something (it
//! contains one of [`COUNTER_WORDS`]: `tokens_used`, `max_tokens`,
//! `password_length`) is kept: see [`is_counter`].

use auditlog_model::invisible;

use super::look_alikes;

/// Words that make a key secret-looking wherever they occur in it (compared
/// in any case, without `-` and `_`).
pub const SECRET_KEYS: [&str; 16] = [
    "password",
    "passwd",
    "passphrase",
    "passcode",
    "secret",
    "token",
    "apikey",
    "accesskey",
    "privatekey",
    "authorization",
    "bearer",
    "cookie",
    "session",
    "credential",
    "pincode",
    "clientkeydata",
];

/// Words that make a key secret-looking when they are one of its words.
pub const SECRET_PARTS: [&str; 15] = [
    "pass",
    "pwd",
    "pw",
    "auth",
    "dsn",
    "sig",
    "signature",
    "jwt",
    "otp",
    "totp",
    "hotp",
    "mfa",
    "cvv",
    "cvc",
    "psk",
];

/// The words before a last word `key` that name an ordinary key, not a secret.
pub const ORDINARY_KEYS: [&str; 34] = [
    "public",
    "sort",
    "partition",
    "primary",
    "foreign",
    "unique",
    "composite",
    "cache",
    "idempotency",
    "object",
    "s3",
    "file",
    "bucket",
    "row",
    "hash",
    "range",
    "shard",
    "routing",
    "lookup",
    "group",
    "dedup",
    "index",
    "map",
    "dict",
    "message",
    "translation",
    "i18n",
    "hot",
    "short",
    "sub",
    "parent",
    "child",
    "join",
    "table",
];

/// How a word of [`OTHER_LANGUAGES`] is looked for in a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Found {
    /// Anywhere in it, as [`SECRET_KEYS`] are.
    Inside,
    /// As one of its words, as [`SECRET_PARTS`] are: the word is part of
    /// ordinary ones (`senha` of `resenha`, `haslo` of `hasLoaded`).
    Word,
    /// As the whole key: the word is an ordinary one too (`parola`, Italian
    /// for "word").
    Whole,
}

/// The word for password in other languages, and how each is looked for
/// (normalised as keys are: `mot_de_passe` is `motdepasse`). Tokens, keys
/// and secrets are named in English nearly everywhere: only passwords are
/// translated.
pub const OTHER_LANGUAGES: [(&str, Found); 15] = [
    ("passwort", Found::Inside),
    ("contraseña", Found::Inside),
    ("contrasena", Found::Inside),
    ("motdepasse", Found::Inside),
    ("wachtwoord", Found::Inside),
    ("пароль", Found::Inside),
    ("密码", Found::Inside),
    ("密碼", Found::Inside),
    ("パスワード", Found::Inside),
    ("비밀번호", Found::Inside),
    ("senha", Found::Word),
    ("hasło", Found::Word),
    ("haslo", Found::Word),
    ("parola", Found::Whole),
    ("parolă", Found::Whole),
];

/// The words of [`OTHER_LANGUAGES`] looked for as `found`.
pub fn other_languages(found: Found) -> impl Iterator<Item = &'static str> {
    OTHER_LANGUAGES
        .iter()
        .filter(move |(_, f)| *f == found)
        .map(|(word, _)| *word)
}

/// Whether `key`, normalised, is one of the [`OTHER_LANGUAGES`] looked for
/// as a whole key.
pub fn is_whole_secret(key: &str) -> bool {
    let mut words = other_languages(Found::Whole);
    if key.is_ascii() {
        // Compared where it is: most keys are ASCII, and short.
        let key = key
            .bytes()
            .filter(|b| kept(*b))
            .map(|b| b.to_ascii_lowercase());
        words.any(|w| w.bytes().eq(key.clone()))
    } else {
        let key = normalise(key);
        words.any(|w| key == w)
    }
}

/// Words that say a key counts or bounds something (compared as
/// [`SECRET_KEYS`] are): a number under such a key is kept.
pub const COUNTER_WORDS: [&str; 13] = [
    "count",
    "used",
    "usage",
    "limit",
    "max",
    "min",
    "total",
    "len",
    "size",
    "remaining",
    "ttl",
    "expir",
    "tokens",
];

/// Whether a key holding a number names a count, limit or size rather than
/// a secret (`tokens_used`, `max_tokens`, `token_count`, `session_ttl`).
pub fn is_counter(key: &str) -> bool {
    let key = normalise(key);
    COUNTER_WORDS.iter().any(|w| key.contains(w))
}

/// Whether one of `key`'s words is one of [`SECRET_PARTS`], or its last word
/// is `key` after a word that is not one of [`ORDINARY_KEYS`].
pub fn has_secret_part(key: &str) -> bool {
    let mut before: Option<&str> = None;
    let mut last: Option<&str> = None;
    for part in Parts::new(key) {
        if SECRET_PARTS.iter().any(|w| same_word(part, w))
            || other_languages(Found::Word).any(|w| same_word(part, w))
        {
            return true;
        }
        before = last;
        last = Some(part);
    }
    match (before, last) {
        (Some(before), Some(last)) => {
            same_word(last, "key")
                && !ORDINARY_KEYS.iter().any(|w| same_word(before, w))
                && !ends_with_ordinary_word(key, last)
        }
        _ => false,
    }
}

/// Whether the text of `key` before its last word `last` ends with a word of
/// [`ORDINARY_KEYS`] that holds digits, which [`Parts`] splits (`s3_key`,
/// `i18nKey`): one that starts `key`, follows a character not of a word or
/// begins a camelCase hump.
fn ends_with_ordinary_word(key: &str, last: &str) -> bool {
    let at = last.as_ptr() as usize - key.as_ptr() as usize;
    let head = key[..at].trim_end_matches(|c: char| !c.is_ascii_alphanumeric());
    let bytes = head.as_bytes();
    ORDINARY_KEYS
        .iter()
        .filter(|word| word.bytes().any(|b| b.is_ascii_digit()))
        .any(|word| {
            let Some(start) = head.len().checked_sub(word.len()) else {
                return false;
            };
            head.is_char_boundary(start)
                && head[start..].eq_ignore_ascii_case(word)
                && (start == 0
                    || !bytes[start - 1].is_ascii_alphanumeric()
                    || (bytes[start - 1].is_ascii_lowercase() && bytes[start].is_ascii_uppercase()))
        })
}

/// Whether `part` is `word` (ASCII, lowercase) in any case.
fn same_word(part: &str, word: &str) -> bool {
    if part.is_ascii() {
        part.eq_ignore_ascii_case(word)
    } else {
        part.to_lowercase() == word
    }
}

/// The words of a key: runs of letters and digits, split where a digit meets
/// a letter and at camelCase humps (`APIKey` is `API`, `Key`).
struct Parts<'a> {
    key: &'a str,
    at: usize,
}

impl<'a> Parts<'a> {
    fn new(key: &'a str) -> Self {
        Self { key, at: 0 }
    }
}

/// Whether `b` is part of a word of a key: an ASCII letter or digit, or a
/// byte of a non-ASCII character.
fn in_part(b: u8) -> bool {
    b.is_ascii_alphanumeric() || !b.is_ascii()
}

impl<'a> Iterator for Parts<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let bytes = self.key.as_bytes();
        let mut i = self.at;
        while i < bytes.len() && !in_part(bytes[i]) {
            i += 1;
        }
        if i == bytes.len() {
            self.at = i;
            return None;
        }
        let start = i;
        i += 1;
        while i < bytes.len() && in_part(bytes[i]) {
            let (prev, b) = (bytes[i - 1], bytes[i]);
            let next = bytes.get(i + 1).copied().unwrap_or(0);
            let digit_edge = prev.is_ascii_alphanumeric()
                && b.is_ascii_alphanumeric()
                && prev.is_ascii_digit() != b.is_ascii_digit();
            let hump = prev.is_ascii_lowercase() && b.is_ascii_uppercase();
            let acronym_end =
                prev.is_ascii_uppercase() && b.is_ascii_uppercase() && next.is_ascii_lowercase();
            if digit_edge || hump || acronym_end {
                break;
            }
            i += 1;
        }
        self.at = i;
        Some(&self.key[start..i])
    }
}

/// `c`, or the ASCII character it is the fullwidth form of (U+FF01 to
/// U+FF5E: `ｐ` as `p`) or looks like ([`look_alikes`]: Cyrillic `р` as `p`).
fn narrow(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        _ => look_alikes::ascii(c).map_or(c, char::from),
    }
}

/// Whether `c` draws nothing or changes only how the text around it is
/// drawn: the zero-width space, joiners and non-joiner, the soft hyphen, the
/// word joiner, the byte order mark, direction marks, variation selectors,
/// tags and the rest of [`invisible`]'s one list (Unicode's format
/// characters and default-ignorable code points). Put inside a word
/// (`pass\u{200B}word`), it leaves the word looking the same and spelt
/// differently, so keys are compared without them.
pub fn is_invisible(c: char) -> bool {
    invisible::describe(c).is_some()
}

/// `key` with its fullwidth forms and look-alikes as ASCII, without
/// invisible characters, and with every other character that is neither a
/// letter, a digit nor a combining mark (a dash, a middle dot, a space of
/// another script) as `-`, which splits words as ASCII punctuation does:
/// `ｄｂ＿ｐａ\u{AD}ｓｓ` as `db_pass`, `db–pass` and `db·pass` as `db-pass`.
pub fn compatible(key: &str) -> String {
    key.chars()
        .filter(|c| !is_invisible(*c))
        .map(narrow)
        .map(|c| {
            let joins = c.is_ascii()
                || c.is_alphanumeric()
                || unicode_normalization::char::is_combining_mark(c);
            if joins { c } else { '-' }
        })
        .collect()
}

/// `key` with its fullwidth forms and look-alikes as ASCII (`ｐａｓｓ` as `pass`),
/// lowercased, without `-`, `_` and invisible characters.
pub fn normalise(key: &str) -> String {
    key.chars()
        .filter(|c| !is_invisible(*c))
        .map(narrow)
        .filter(|c| *c != '-' && *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// [`CLASS`] of a byte that is part of a word in text: an ASCII letter or
/// digit, `-` or `_`.
pub const WORD: u8 = 1;
/// [`CLASS`] of `-` and `_`, which keys are compared without.
pub const SEPARATOR: u8 = 2;
/// [`CLASS`] of a byte of a non-ASCII character.
pub const NON_ASCII: u8 = 4;

/// What each byte is to text and keys: a table, so that the byte loops do
/// one load instead of several comparisons.
pub static CLASS: [u8; 256] = {
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

/// Whether `b` stays in a key once normalised (is not `-` or `_`).
fn kept(b: u8) -> bool {
    CLASS[usize::from(b)] & SEPARATOR == 0
}

/// The words an ASCII key can contain, and a filter on the two bytes a word
/// would start with, which rules out almost every position of a key.
///
/// An ASCII key is searched where it is, without normalising it into a copy:
/// in any case, and skipping `-` and `_` if it holds any.
#[derive(Clone, PartialEq, Eq)]
pub struct AsciiWords {
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

impl AsciiWords {
    /// Indexes the ASCII ones of `words` (normalised).
    pub fn new(words: &[String]) -> Self {
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
    /// Always inlined: the wasm compiler inlines nothing itself.
    #[inline(always)]
    pub fn in_key(&self, key: &[u8], separated: bool) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(key: &str) -> Vec<&str> {
        Parts::new(key).collect()
    }

    #[test]
    fn keys_split_into_words_at_punctuation_digits_and_humps() {
        assert_eq!(parts("db_pass"), ["db", "pass"]);
        assert_eq!(parts("APIKey"), ["API", "Key"]);
        assert_eq!(parts("authHeader2"), ["auth", "Header", "2"]);
        assert_eq!(parts("--X.Amz-Token "), ["X", "Amz", "Token"]);
        assert_eq!(parts(""), Vec::<&str>::new());
        assert_eq!(parts("ünï_pass"), ["ünï", "pass"]);
    }

    #[test]
    fn short_words_count_only_as_whole_words() {
        for key in [
            "pass", "db_pass", "DB-PASS", "pwd", "userPwd", "auth", "X-Auth", "DSN",
        ] {
            assert!(has_secret_part(key), "{key}");
        }
        for key in [
            "passport",
            "bypass",
            "author",
            "authority",
            "compass",
            "dsname",
            "cwd",
        ] {
            assert!(!has_secret_part(key), "{key}");
        }
    }

    #[test]
    fn a_last_word_key_is_secret_unless_it_names_an_ordinary_key() {
        for key in ["signing_key", "AccountKey", "encryption-key", "master_key"] {
            assert!(has_secret_part(key), "{key}");
        }
        for key in [
            "key",
            "sort_key",
            "publicKey",
            "primary_key",
            "cache-key",
            "keys",
            "key_id",
            "monkey",
        ] {
            assert!(!has_secret_part(key), "{key}");
        }
    }

    #[test]
    fn counters_are_named_by_their_words() {
        for key in [
            "tokens_used",
            "max_tokens",
            "token_count",
            "prompt_tokens",
            "session_ttl",
            "password_length",
        ] {
            assert!(is_counter(key), "{key}");
        }
        for key in ["token", "password", "api_key", "session_id"] {
            assert!(!is_counter(key), "{key}");
        }
    }
}
