//! A secret-looking key, a separator and its value (`password=x`,
//! `"token": "x"`), and the values that only stand for a secret: a
//! placeholder, a named parameter, code.

use super::*;

impl Scan<'_> {
    /// Whether a value is a named query parameter standing for a secret
    /// (`:password`, `@api_key`): its name is secret-looking.
    pub(super) fn is_named_parameter(&self, value: &[u8]) -> bool {
        match value {
            [b':' | b'@', name @ ..] => {
                name.first().is_some_and(u8::is_ascii_alphabetic)
                    && name.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_')
                    && std::str::from_utf8(name).is_ok_and(|name| self.redactor.is_secret_key(name))
            }
            _ => false,
        }
    }

    /// Whether an unquoted value is code, not a secret: a call or an index
    /// (`getpass()`, `os.environ["PW"]`), a generic type, or a dotted name ending in a
    /// secret-looking one (`user.password`, `process.env.API_KEY`).
    pub(super) fn is_code(&self, value: &[u8], after: Option<&u8>) -> bool {
        let path = value
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.'))
            .count();
        let (name, rest) = value.split_at(path);
        let names_ok = !name.is_empty()
            && name.split(|b| *b == b'.').all(|part| {
                part.first()
                    .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
            });
        if !names_ok {
            return false;
        }
        match rest.first() {
            Some(b'(' | b'[') => true,
            // A generic type: `Option<Token>`.
            None if after == Some(&b'<') => name[0].is_ascii_uppercase(),
            None => {
                let last = name.rsplit(|b| *b == b'.').next().unwrap_or_default();
                name.contains(&b'.')
                    && std::str::from_utf8(last).is_ok_and(|last| self.redactor.is_secret_key(last))
            }
            Some(_) => false,
        }
    }

    /// A secret-looking key ending at `end`, a separator and a value.
    pub(super) fn key_value(&mut self, start: usize, end: usize) -> Option<usize> {
        let value = match separator(self.bytes, end) {
            Some(value) => value,
            None => {
                let value = call_pair(self.bytes, start, end)?;
                if !self.redactor.is_secret_key(&self.text[start..end]) {
                    return None;
                }
                value
            }
        };
        self.key_value_at(start, end, value)
    }

    /// Secret-looking keys written with letters beyond ASCII (`пароль=x`,
    /// `contraseña: "x"`, `パスワード：x`, `<пароль>x</пароль>`), which the
    /// pass over ASCII words sees only in pieces: each run of letters,
    /// digits, `-`, `_` and non-ASCII characters that holds a non-ASCII one
    /// and is followed by a separator, or names an element, is asked as a
    /// key. A second pass, over texts that are not all ASCII only.
    #[inline(never)]
    pub(super) fn keys_beyond_ascii(&mut self) {
        let bytes = self.bytes;
        let mut at = 0;
        while at < bytes.len() {
            if CLASS[usize::from(bytes[at])] & (WORD | NON_ASCII) == 0 {
                at += 1;
                continue;
            }
            let start = at;
            let mut class = 0;
            while let Some(&b) = bytes.get(at) {
                let c = CLASS[usize::from(b)];
                if c & (WORD | NON_ASCII) == 0 {
                    break;
                }
                class |= c;
                at += 1;
            }
            if class & NON_ASCII != 0
                && let Some(value) = separator(bytes, at)
                && self.redactor.is_secret_key(&self.text[start..at])
                && let Some(past) = self.key_value_at(start, at, value)
            {
                at = at.max(past);
            }
            // An element so named: `<пароль>x</пароль>`, `<db–pass>x</db–pass>`.
            if class & NON_ASCII != 0
                && bytes.get(at) == Some(&b'>')
                && start > 0
                && bytes[start - 1] == b'<'
                && let Some(past) = self.element(start, at)
            {
                at = at.max(past);
            }
        }
    }

    /// [`Scan::key_value`] once a separator is found: seldom, so out of line.
    #[inline(never)]
    pub(super) fn key_value_at(&mut self, start: usize, end: usize, value: usize) -> Option<usize> {
        let key = &self.text[start..end];
        if !self.redactor.is_secret_key(key) {
            return self.attribute(start, end);
        }
        let plain = keys::normalise(key);
        let header = plain.contains("authorization") || plain.contains("cookie");
        let quote_before = start
            .checked_sub(1)
            .filter(|p| matches!(self.bytes[*p], b'"' | b'\''))
            .map(|p| {
                let slashes = self.bytes[..p]
                    .iter()
                    .rev()
                    .take_while(|b| **b == b'\\')
                    .count();
                (slashes, self.bytes[p])
            });
        if let Some((from, to)) = yaml_block(self.bytes, start, value) {
            return Some(self.cut(from, to));
        }
        let (mut from, to) = value_span(self.bytes, value, header, quote_before)?;
        if header && plain.contains("authorization") {
            // Keep a known scheme (`Authorization: Digest [REDACTED]`).
            let scheme = skip(self.bytes, from, |b| b.is_ascii_alphanumeric() || b == b'-');
            let known = AUTH_SCHEMES
                .iter()
                .any(|s| s.as_bytes().eq_ignore_ascii_case(&self.bytes[from..scheme]));
            let credential = skip_spaces(self.bytes, scheme);
            if known && scheme < credential && credential < to {
                from = credential;
            }
        }
        if keys::is_counter(key) && self.bytes[from..to].iter().all(u8::is_ascii_digit) {
            return None;
        }
        let quoted = from > value || header;
        Some(self.cut_value(from, to, quoted))
    }

    /// Records the value `from..to` as a secret; returns where to go on. A
    /// value that is only a scheme (`password=Bearer x`) is followed by the
    /// credential, which is cut instead.
    ///
    /// Nothing is cut if the value is not a secret but a placeholder or, when
    /// it is not quoted, code (see [`Scan::is_code`]).
    pub(super) fn cut_value(&mut self, from: usize, to: usize, quoted: bool) -> usize {
        let value = &self.bytes[from..to];
        if is_placeholder(value)
            || self.is_named_parameter(value)
            || !quoted && self.is_code(value, self.bytes.get(to))
        {
            // Looked into like any other text.
            return from;
        }
        if to < self.bytes.len()
            && is_scheme(&self.bytes[from..to])
            && let Some(past) = self.scheme_credential(to)
        {
            return past;
        }
        self.cut(from, to)
    }
}

/// Values that stand for a secret without being one: keywords and types
/// (compared in any case).
pub(super) const NOT_SECRETS: [&str; 18] = [
    "null",
    "none",
    "nil",
    "undefined",
    "true",
    "false",
    "str",
    "string",
    "bytes",
    "int",
    "bool",
    "number",
    "any",
    "object",
    "optional",
    "required",
    "secret",
    "redacted",
];

/// Whether a value is a placeholder for a secret rather than one: one of
/// [`NOT_SECRETS`], the marker, a query parameter (`?`, `$1`, `%s`), an
/// environment variable (`$DB_PASSWORD`, uppercase; `%DB_PASSWORD%`) or a template (`${VAR}`,
/// `{token}`, `{{ secrets.X }}`, `%(name)s`). Named parameters (`:password`)
/// are judged by [`Scan::is_named_parameter`].
pub(super) fn is_placeholder(value: &[u8]) -> bool {
    let variable = |rest: &[u8]| {
        rest.first()
            .is_some_and(|b| b.is_ascii_uppercase() || *b == b'_')
            && rest
                .iter()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_')
    };
    match value {
        [b'?'] | [b'%', b's'] => true,
        // A template closes its braces last (`{token}`, `${VAR}`, `{{ x }}`,
        // or cut at its first `}`); `{noop}x` is a value after a scheme.
        [b'{', ..] | [b'$', b'{', ..] => !value.contains(&b'}') || value.ends_with(b"}"),
        [b'%', b'(', ..] => true,
        // A Windows variable: `%API_TOKEN%`.
        [b'%', name @ .., b'%'] => {
            !name.is_empty() && name.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_')
        }
        [b'$', rest @ ..] => {
            variable(rest) || !rest.is_empty() && rest.iter().all(u8::is_ascii_digit)
        }
        // The marker, which an unquoted value ends inside (at its `]`).
        _ if MARKER.as_bytes().starts_with(value) && value.len() + 1 >= MARKER.len() => true,
        _ => NOT_SECRETS
            .iter()
            .any(|w| w.as_bytes().eq_ignore_ascii_case(value)),
    }
}

/// The span of a YAML value written on the lines below its key, `key: |`
/// (or `>`, `|-`, `>+2` …) or `key:` alone at the end of its line, the key
/// first on its line, then lines indented deeper than the key's: from the first of those lines'
/// text to the end of the last. `key` starts at `key`, its value would
/// start at `value`.
fn yaml_block(bytes: &[u8], key: usize, value: usize) -> Option<(usize, usize)> {
    let mut at = value;
    if matches!(bytes.get(at), Some(b'|' | b'>')) {
        at = skip(bytes, at + 1, |b| matches!(b, b'-' | b'+' | b'0'..=b'9'));
        at = skip(bytes, at, |b| b == b' ' || b == b'\t');
    } else if !bytes[..value].trim_ascii_end().ends_with(b":") {
        return None;
    }
    let newline = match bytes.get(at..)? {
        [b'\n', ..] => 1,
        [b'\r', b'\n', ..] => 2,
        _ => return None,
    };
    let line_start = bytes[..key]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |p| p + 1);
    // A mapping's key starts its line (in a list item, after `- `): not
    // `if password:` in code, whose block below is no value.
    let before = &bytes[line_start..key];
    if !before
        .iter()
        .all(|b| matches!(b, b' ' | b'\t' | b'-' | b'"' | b'\''))
    {
        return None;
    }
    let indent = skip(bytes, line_start, |b| b == b' ' || b == b'\t') - line_start;
    let mut line = at + newline;
    let (mut from, mut to) = (None, None);
    while line < bytes.len() {
        let end = bytes[line..]
            .iter()
            .position(|b| *b == b'\n')
            .map_or(bytes.len(), |p| line + p);
        let text = skip(bytes, line, |b| b == b' ' || b == b'\t');
        let blank = bytes[text..end].trim_ascii().is_empty();
        if !blank {
            if text - line <= indent {
                break;
            }
            from.get_or_insert(text);
            to = Some(end - usize::from(bytes[..end].ends_with(b"\r")));
        }
        line = end + 1;
    }
    Some((from?, to?))
}
