//! A name and its value with only spaces between, where a command or a
//! file's shape says that is what they are: `aws configure set NAME VALUE`
//! and the like ([`SETTERS`]), `.netrc`'s `machine … login NAME password
//! VALUE`, and `nmcli … password VALUE`. Elsewhere a secret-looking word before a space is prose ("the
//! password field").

use super::*;

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
        if word.eq_ignore_ascii_case(b"password") {
            return self.netrc(start, end);
        }
        None
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
