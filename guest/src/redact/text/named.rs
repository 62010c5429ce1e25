//! A name and its value with only spaces between, where a command or a
//! file's shape says that is what they are: `aws configure set NAME VALUE`
//! and the like ([`SETTERS`]), `.netrc`'s `machine … login NAME password
//! VALUE`, and `nmcli … password VALUE`; or where the value's shape does:
//! `password` (or `passwd`, `passphrase`, `passcode`), `is` or `was` if
//! written, and a value shaped like a password ("my password is hunter2").
//! Elsewhere a secret-looking word before a space is prose ("the password
//! field"). And what GitHub Actions' `::add-mask::` declares a secret.

use super::*;
use spans::line_end;

/// Commands whose next argument (after any flags) names a setting and the
/// one after it is its value: `aws configure set`, `npm config set`, redis'
/// `CONFIG SET`, `heroku config:set`; `git config`; Windows' `setx`, csh's
/// `setenv`, a Dockerfile's `ENV` (in capitals: `env` is a word of
/// prose). The others are compared in any case.
pub(super) const SETTERS: [&str; 5] = ["set", "setx", "setenv", "config", "ENV"];

/// Words of prose that follow a name where a value would: "set API_KEY to
/// yours" names a setting and sets nothing.
const PROSE_VALUES: [&str; 20] = [
    "to", "in", "is", "as", "for", "from", "the", "a", "an", "and", "or", "with", "via", "on",
    "at", "of", "by", "if", "when", "first",
];

/// Words after which a value shaped like a password is one, with only
/// spaces (and [`LINKS`]) between.
const SPOKEN: [&str; 4] = ["password", "passwd", "passphrase", "passcode"];

/// Words that link a name to its value in prose.
const LINKS: [&str; 2] = ["is", "was"];

/// Whether `value` is shaped like a password rather than a word of prose:
/// 6 to 128 bytes, no path, URL, markup, call or assignment, with a letter and a digit, or letters
/// of both cases and a symbol (`hunter2`, `Tr0ub4dor&3`, `Correct-Horse!`).
fn looks_like_password(value: &[u8]) -> bool {
    let has = |test: fn(&u8) -> bool| value.iter().any(test);
    let symbol = |b: &u8| b.is_ascii_punctuation() && !matches!(b, b'_' | b'-' | b'.');
    (6..=128).contains(&value.len())
        && !matches!(value[0], b'/' | b'~' | b'.')
        && !value.windows(3).any(|w| w == b"://")
        && !value.iter().any(|b| matches!(b, b'<' | b'>' | b'(' | b'='))
        && has(u8::is_ascii_alphabetic)
        && (has(u8::is_ascii_digit)
            || has(u8::is_ascii_uppercase) && has(u8::is_ascii_lowercase) && has(symbol))
}

impl Scan<'_> {
    /// The word `start..end`, followed by a space, as a [`SETTERS`] command
    /// or `.netrc`'s `password`; returns where to go on if a value was cut.
    #[inline(always)]
    pub(super) fn named(&mut self, start: usize, end: usize) -> Option<usize> {
        let word = &self.bytes[start..end];
        if (3..=6).contains(&word.len())
            && SETTERS.iter().any(|s| match *s {
                "ENV" => word == b"ENV",
                _ => s.as_bytes().eq_ignore_ascii_case(word),
            })
        {
            return self.setting(start, end);
        }
        if (6..=10).contains(&word.len())
            && SPOKEN
                .iter()
                .any(|w| w.as_bytes().eq_ignore_ascii_case(word))
        {
            return self.netrc(start, end).or_else(|| self.spoken(start, end));
        }
        None
    }

    /// The value after GitHub Actions' `::add-mask::` (the word `start..end`
    /// being `add-mask`), which a workflow writes to declare it a secret: to
    /// the end of the line.
    #[inline(never)]
    pub(super) fn masked(&mut self, start: usize, end: usize) -> Option<usize> {
        let marked = self.bytes[..start].ends_with(b"::")
            && self.bytes[end..].starts_with(b"::")
            && self.bytes[start..end] == *b"add-mask";
        if !marked {
            return None;
        }
        let from = end + 2;
        Some(self.cut(from, line_end(self.bytes, from, None)))
    }

    /// After one of [`SPOKEN`] ending at `end`, spaces, and `is` or `was`
    /// if written: a value shaped like a password ([`looks_like_password`]),
    /// as a person writes one ("my password is hunter2").
    #[inline(never)]
    fn spoken(&mut self, start: usize, end: usize) -> Option<usize> {
        if start > 0 && matches!(self.bytes[start - 1], b'<' | b'/') {
            // An element's name (`<Password type="x">`), a path.
            return None;
        }
        let mut at = self.next_argument(end)?;
        let linked = token_end(self.bytes, at);
        if LINKS
            .iter()
            .any(|w| w.as_bytes().eq_ignore_ascii_case(&self.bytes[at..linked]))
        {
            at = self.next_argument(linked)?;
        }
        let to = skip(self.bytes, at, |b| !is_space(b));
        // Punctuation after the value, as prose or quoted JSON ends it.
        let value = &self.bytes[at..to];
        let kept = value
            .iter()
            .rev()
            .take_while(|b| {
                matches!(
                    b,
                    b'.' | b',' | b';' | b':' | b')' | b']' | b'}' | b'"' | b'\'' | b'\\'
                )
            })
            .count();
        let value = &value[..value.len() - kept];
        (looks_like_password(value) && !is_placeholder(value))
            .then(|| self.cut(at, at + value.len()))
    }

    /// After a setter ending at `end`: flags, a name whose last word is
    /// secret-looking and written as a setting's name is (with `_`, `.`,
    /// `-`, `:` or a capital), and its value.
    #[inline(never)]
    fn setting(&mut self, start: usize, end: usize) -> Option<usize> {
        // The command is a word of its own (`config:set` included), not
        // part of a path or a dotted name.
        if start > 0 && matches!(self.bytes[start - 1], b'.' | b'/' | b'$' | b'%') {
            return None;
        }
        let mut at = self.next_argument(end).or_else(|| {
            // Flags first: `git config --global NAME VALUE`.
            let mut at = skip(self.bytes, end, |b| b == b' ' || b == b'\t');
            while self.bytes.get(at) == Some(&b'-') {
                let past = skip(self.bytes, at, |b| !is_space(b));
                at = skip(self.bytes, past, |b| b == b' ' || b == b'\t');
            }
            Some(at).filter(|at| self.bytes.get(*at).is_some_and(|b| !is_space(*b)))
        })?;
        let name_end = skip(self.bytes, at, |b| !is_space(b));
        let name = &self.text[at..name_end];
        let last = name
            .rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .next()?;
        let shaped = name
            .bytes()
            .any(|b| matches!(b, b'_' | b'.' | b'-' | b':') || b.is_ascii_uppercase());
        // `SET password = ?` in SQL is a key and a separator: not this.
        if !shaped
            || last.is_empty()
            || separator(self.bytes, name_end).is_some()
            || !self.redactor.is_secret_key(last)
        {
            return None;
        }
        at = self.next_argument(name_end)?;
        self.spaced_value(at)
    }

    /// `.netrc`'s `password VALUE` right after `login NAME`, after `machine`
    /// (or `default`); NetworkManager's `nmcli … password VALUE`.
    #[inline(never)]
    fn netrc(&mut self, start: usize, end: usize) -> Option<usize> {
        let mut before = self.text[..start].split_ascii_whitespace().rev();
        let after_login = before.nth(1) == Some("login");
        let netrc = after_login && self.mentions_before(start, &["machine", "default"]);
        if !netrc && !self.mentions_before(start, &["nmcli"]) {
            return None;
        }
        let at = self.next_argument(end)?;
        self.spaced_value(at)
    }

    /// The value starting at `at`, after only a space: cut unless it is a
    /// word of prose ([`PROSE_VALUES`]) or a placeholder.
    fn spaced_value(&mut self, at: usize) -> Option<usize> {
        let (value, to) = value_span(self.bytes, at, false, None)?;
        let quoted = value > at;
        let word = &self.bytes[value..to];
        if !quoted
            && PROSE_VALUES
                .iter()
                .any(|p| p.as_bytes().eq_ignore_ascii_case(word))
        {
            return None;
        }
        Some(self.cut_value(value, to, quoted))
    }
}
