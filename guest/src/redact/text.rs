//! Finding secrets inside free text, in one pass over its words (runs of
//! ASCII letters, digits, `-` and `_`). Each word is asked, cheapest test
//! first, whether it
//! - starts a credential of a known format ([`formats::FORMATS`]), or starts
//!   a PEM private-key block;
//! - is a command-line flag that takes a password: `--password X`,
//!   `--api-key=X`, and [`GATED_FLAGS`] after their command (`mysql -pX`,
//!   `curl -u user:pass`);
//! - is an HTTP authorization scheme (`Bearer`, `Basic`) followed by
//!   whitespace and a credential;
//! - is a URL scheme whose `user:password@` follows, or a webhook host
//!   ([`formats::WEBHOOKS`]);
//! - names an XML element holding a secret (`<password>x</password>`);
//! - is a secret-looking key followed by a separator (`=`, `:`, `=>`, `:=`,
//!   URL-encoded `%3D` / `%3A`, or only spaces before a quoted value), each
//!   side optionally quoted (`"`, `'`, `\"` in JSON inside a string, `%22`).
//!   A quoted value is cut up to its closing quote, spaces included; an
//!   `Authorization` or `Cookie` header's value up to the end of its line.

use super::formats;
use super::keys::{self, CLASS, SEPARATOR, WORD};
use super::{MARKER, Redactor};

/// The spans of `text` that hold secrets, in order, not overlapping.
pub fn secrets(redactor: &Redactor, text: &str) -> Vec<(usize, usize)> {
    let mut scan = Scan {
        redactor,
        text,
        bytes: text.as_bytes(),
        cuts: Vec::new(),
    };
    let mut at = 0;
    while let Some((start, end, class)) = next_word(scan.bytes, at) {
        at = scan
            .word(start, end, class)
            .map_or(end, |past| past.max(end));
    }
    scan.cuts
}

/// The next word at or after `at`: where it starts and ends, and the
/// [`CLASS`]es of its bytes together.
///
/// Out of line: in a function this small the loop over every byte keeps its
/// values in registers, even compiled from wasm.
#[inline(never)]
fn next_word(bytes: &[u8], mut i: usize) -> Option<(usize, usize, u8)> {
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
        return Some((start, i, class));
    }
    None
}

/// A flag that takes a password only after a given command: the value
/// attached (`-pX`) or as the next argument (`-p X`).
pub struct GatedFlag {
    /// The commands (any one named before the flag in the same text).
    pub commands: &'static [&'static str],
    /// The flag.
    pub flag: &'static str,
    /// Whether the value may be attached to the flag.
    pub attached: bool,
    /// Whether the value may be the next argument.
    pub separate: bool,
    /// Whether the value is `user:password`, of which only the password is cut.
    pub user_colon: bool,
}

/// The MySQL family's commands, whose `-p` takes the password attached
/// (`-p X` asks for it and names a database).
const MYSQL: &[&str] = &[
    "mysql",
    "mysqldump",
    "mysqladmin",
    "mysqlimport",
    "mysqlcheck",
    "mysqlsh",
    "mariadb",
    "mariadb-dump",
];

/// Short flags that take a password after the commands that define them so:
/// elsewhere `-p` is a port and `-u` a user.
pub const GATED_FLAGS: &[GatedFlag] = &[
    GatedFlag {
        commands: MYSQL,
        flag: "-p",
        attached: true,
        separate: false,
        user_colon: false,
    },
    GatedFlag {
        commands: &["sshpass"],
        flag: "-p",
        attached: true,
        separate: true,
        user_colon: false,
    },
    GatedFlag {
        commands: &["login"],
        flag: "-p",
        attached: true,
        separate: true,
        user_colon: false,
    },
    GatedFlag {
        commands: &["redis-cli"],
        flag: "-a",
        attached: false,
        separate: true,
        user_colon: false,
    },
    GatedFlag {
        commands: &["curl"],
        flag: "-u",
        attached: true,
        separate: true,
        user_colon: true,
    },
    GatedFlag {
        commands: &["curl"],
        flag: "-U",
        attached: true,
        separate: true,
        user_colon: true,
    },
    GatedFlag {
        commands: &["curl", "wget"],
        flag: "--user",
        attached: false,
        separate: true,
        user_colon: true,
    },
    GatedFlag {
        commands: &["curl"],
        flag: "--proxy-user",
        attached: false,
        separate: true,
        user_colon: true,
    },
];

/// Endings of a secret-looking long flag that take no secret: a file,
/// a descriptor, a prompt (`--password-file PATH`, `--password-stdin`).
const FLAG_NOT_A_VALUE: [&str; 9] = [
    "file", "path", "dir", "stdin", "env", "fd", "prompt", "command", "cmd",
];

/// HTTP authorization schemes (the IANA registry's and common vendors'),
/// kept in sight before the credential they introduce.
const AUTH_SCHEMES: [&str; 24] = [
    "Basic",
    "Bearer",
    "Digest",
    "DPoP",
    "GNAP",
    "HOBA",
    "Mutual",
    "Negotiate",
    "NTLM",
    "Kerberos",
    "OAuth",
    "PrivateToken",
    "SCRAM-SHA-1",
    "SCRAM-SHA-256",
    "vapid",
    "Token",
    "Bot",
    "ApiKey",
    "Key",
    "SSWS",
    "Hawk",
    "MAC",
    "AWS4-HMAC-SHA256",
    "GoogleLogin",
];

/// Words after `Bearer` / `Basic` that are prose, not a credential.
const PROSE_AFTER_SCHEME: [&str; 22] = [
    "token",
    "tokens",
    "auth",
    "authentication",
    "authorization",
    "scheme",
    "schemes",
    "header",
    "headers",
    "credential",
    "credentials",
    "realm",
    "access",
    "and",
    "or",
    "is",
    "the",
    "a",
    "an",
    "usage",
    "type",
    "http",
];

/// One pass over a text: the spans found so far.
struct Scan<'a> {
    redactor: &'a Redactor,
    text: &'a str,
    bytes: &'a [u8],
    cuts: Vec<(usize, usize)>,
}

/// Whether `b` is whitespace that may follow an authorization scheme.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// The length of the whitespace at `at`: a space, tab or line end, or one
/// written as an escape (`\n`, `\t`, `\r` in JSON inside a string, with
/// a backslash more for each level of nesting); 0 if none.
fn space_at(bytes: &[u8], at: usize) -> usize {
    match bytes.get(at) {
        Some(b) if is_space(*b) => 1,
        Some(b'\\') => {
            let slashes = skip(bytes, at, |b| b == b'\\') - at;
            match bytes.get(at + slashes) {
                Some(b'n' | b't' | b'r') => slashes + 1,
                _ => 0,
            }
        }
        _ => 0,
    }
}

/// Past the whitespace (real or escaped) at `at`.
fn skip_spaces(bytes: &[u8], mut at: usize) -> usize {
    loop {
        match space_at(bytes, at) {
            0 => return at,
            n => at += n,
        }
    }
}

impl Scan<'_> {
    /// Looks at the word `start..end`; returns where to go on if something
    /// was cut.
    #[inline(always)]
    fn word(&mut self, start: usize, end: usize, class: u8) -> Option<usize> {
        if let Some(past) = formats::at(self.bytes, start) {
            return Some(self.cut(start, past));
        }
        if class & SEPARATOR != 0 {
            if let Some(past) = self.format_inside(start, end) {
                return Some(past);
            }
            if self.bytes[start] == b'-'
                && let Some(past) = self.flag(start, end)
            {
                return Some(past);
            }
        }
        match self.bytes.get(end) {
            Some(&b) if is_space(b) || b == b'\\' && space_at(self.bytes, end) > 0 => {
                if let Some(past) = self.scheme(start, end) {
                    return Some(past);
                }
            }
            Some(b':') if self.bytes[end..].starts_with(b"://") => {
                return self.userinfo(end + 3);
            }
            Some(b'.') => {
                if let Some((from, to)) = formats::webhook(self.text, start) {
                    return Some(self.cut(from, to));
                }
            }
            Some(b'>') if start > 0 && self.bytes[start - 1] == b'<' => {
                return self.element(start, end);
            }
            Some(_) => {}
            None => return None,
        }
        self.key_value(start, end)
    }

    /// Records `from..to` as a secret; returns `to`.
    fn cut(&mut self, from: usize, to: usize) -> usize {
        if to > from {
            self.cuts.push((from, to));
        }
        to
    }

    /// A credential starting after a `-` or `_` inside the word
    /// (`MY_TOKEN_ghp_…` is one word).
    #[inline(never)]
    fn format_inside(&mut self, start: usize, end: usize) -> Option<usize> {
        (start + 1..end)
            .filter(|&p| {
                matches!(self.bytes[p - 1], b'-' | b'_') && self.bytes[p].is_ascii_alphanumeric()
            })
            .find_map(|p| formats::at(self.bytes, p).map(|past| (p, past)))
            .map(|(p, past)| self.cut(p, past))
    }

    /// A word starting with `-`: a PEM block, a gated flag or a long flag
    /// whose value follows after spaces.
    #[inline(never)]
    fn flag(&mut self, start: usize, end: usize) -> Option<usize> {
        let word = &self.text[start..end];
        if word == "-----BEGIN" && self.bytes.get(end) == Some(&b' ') {
            let past = formats::pem_block(self.text, start)?;
            return Some(self.cut(start, past));
        }
        for gate in GATED_FLAGS {
            if !word.starts_with(gate.flag) {
                continue;
            }
            let from = if word.len() > gate.flag.len() {
                if !gate.attached {
                    continue;
                }
                start + gate.flag.len()
            } else {
                match self.bytes.get(end) {
                    // `--user=alice:pw`, `-p'x y'`
                    Some(b'=') => end + 1,
                    Some(b'"' | b'\'') if gate.attached => end,
                    _ if gate.separate => match self.next_argument(end) {
                        Some(at) => at,
                        None => continue,
                    },
                    _ => continue,
                }
            };
            if !self.mentions_before(start, gate.commands) {
                continue;
            }
            let Some((from, to)) = value_span(self.bytes, from, false, None) else {
                continue;
            };
            let from = match gate.user_colon {
                false => from,
                true => match self.text[from..to].find(':') {
                    Some(colon) => from + colon + 1,
                    None => continue,
                },
            };
            return Some(self.cut(from, to));
        }
        let name = word.strip_prefix("--")?;
        // `--password = x` and `--password 'x y'` are read as key and value.
        if separator(self.bytes, end).is_some()
            || !self.bytes.get(end).copied().is_some_and(is_space)
            || !self.redactor.is_secret_key(name)
            || name.starts_with("no-")
            || FLAG_NOT_A_VALUE.iter().any(|w| {
                name.len() > w.len() && name[name.len() - w.len()..].eq_ignore_ascii_case(w)
            })
        {
            return None;
        }
        let from = self.next_argument(end)?;
        let (value, to) = value_span(self.bytes, from, false, None)?;
        Some(self.cut_value(value, to, value > from))
    }

    /// Where the argument after a flag ending at `end` starts, if one does
    /// (spaces, then something that is not another flag).
    fn next_argument(&self, end: usize) -> Option<usize> {
        let at = skip(self.bytes, end, |b| b == b' ' || b == b'\t');
        match self.bytes.get(at) {
            Some(b) if at > end && *b != b'-' && !is_space(*b) => Some(at),
            _ => None,
        }
    }

    /// Whether one of `commands` is named as a word before `at`.
    fn mentions_before(&self, at: usize, commands: &[&str]) -> bool {
        let before = &self.text[..at];
        commands.iter().any(|command| {
            before.match_indices(command).any(|(i, _)| {
                let edge = |b: Option<&u8>| b.is_none_or(|b| CLASS[usize::from(*b)] & WORD == 0);
                edge(i.checked_sub(1).and_then(|p| self.bytes.get(p)))
                    && edge(self.bytes.get(i + command.len()))
            })
        })
    }

    /// `Bearer` or `Basic` (any case) ending at `end`, then whitespace and
    /// a credential that is not a word of prose.
    fn scheme(&mut self, start: usize, end: usize) -> Option<usize> {
        if !is_scheme(&self.bytes[start..end]) {
            return None;
        }
        self.scheme_credential(end)
    }

    /// The credential after a scheme ending at `end`.
    #[inline(never)]
    fn scheme_credential(&mut self, end: usize) -> Option<usize> {
        let from = skip_spaces(self.bytes, end);
        let to = token_end(self.bytes, from);
        let credential = self.text[from..to]
            .trim_end_matches(['.', ':', '=', '!', '?'])
            .to_ascii_lowercase();
        if to == from
            || PROSE_AFTER_SCHEME.contains(&credential.as_str())
            || is_placeholder(&self.bytes[from..to])
        {
            return None;
        }
        Some(self.cut(from, to))
    }

    /// The password of `user:password@` after a URL's `://` at `at`.
    #[inline(never)]
    fn userinfo(&mut self, at: usize) -> Option<usize> {
        let authority = self.bytes[at..]
            .iter()
            .position(|b| {
                is_space(*b) || matches!(b, b'/' | b'?' | b'#' | b'"' | b'\'' | b'<' | b'>' | b'\\')
            })
            .map_or(self.bytes.len(), |len| at + len);
        let host = at + self.text[at..authority].rfind('@')?;
        let colon = at + self.text[at..host].find(':')?;
        Some(self.cut(colon + 1, host))
    }

    /// An XML element `<password>value</password>` whose name is
    /// `start..end`: its text, if the next tag closes it.
    #[inline(never)]
    fn element(&mut self, start: usize, end: usize) -> Option<usize> {
        if !self.redactor.is_secret_key(&self.text[start..end]) {
            return None;
        }
        let from = end + 1;
        let to = from + self.bytes[from..].iter().position(|b| *b == b'<')?;
        let name = &self.bytes[start..end];
        let closed = self.bytes[to..].starts_with(b"</") && self.bytes[to + 2..].starts_with(name);
        closed.then(|| self.cut(from, to))
    }

    /// Whether an unquoted value is code, not a secret: a call or an index
    /// (`getpass()`, `os.environ["PW"]`), a generic type, or a dotted name ending in a
    /// secret-looking one (`user.password`, `process.env.API_KEY`).
    fn is_code(&self, value: &[u8], after: Option<&u8>) -> bool {
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
    fn key_value(&mut self, start: usize, end: usize) -> Option<usize> {
        let value = separator(self.bytes, end)?;
        self.key_value_at(start, end, value)
    }

    /// [`Scan::key_value`] once a separator is found: seldom, so out of line.
    #[inline(never)]
    fn key_value_at(&mut self, start: usize, end: usize, value: usize) -> Option<usize> {
        let key = &self.text[start..end];
        if !self.redactor.is_secret_key(key) {
            return None;
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
    fn cut_value(&mut self, from: usize, to: usize, quoted: bool) -> usize {
        let value = &self.bytes[from..to];
        if is_placeholder(value) || !quoted && self.is_code(value, self.bytes.get(to)) {
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
const NOT_SECRETS: [&str; 18] = [
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
/// [`NOT_SECRETS`], the marker, a query parameter (`?`, `$1`, `:name`, `@name`, `%s`),
/// a variable or template (`$VAR`, `${VAR}`, `{token}`, `{{ secrets.X }}`,
/// `%(name)s`).
fn is_placeholder(value: &[u8]) -> bool {
    let ident = |rest: &[u8]| {
        rest.first()
            .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
            && rest.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_')
    };
    match value {
        [b'?'] | [b'%', b's'] => true,
        [b'{', ..] | [b'$', b'{', ..] | [b'%', b'(', ..] => true,
        [b'$', rest @ ..] => ident(rest) || !rest.is_empty() && rest.iter().all(u8::is_ascii_digit),
        [b':' | b'@', rest @ ..] => ident(rest),
        // The marker, which an unquoted value ends inside (at its `]`).
        _ if MARKER.as_bytes().starts_with(value) && value.len() + 1 >= MARKER.len() => true,
        _ => NOT_SECRETS
            .iter()
            .any(|w| w.as_bytes().eq_ignore_ascii_case(value)),
    }
}

/// Whether `word` is `Bearer` or `Basic`, in any case.
fn is_scheme(word: &[u8]) -> bool {
    word.eq_ignore_ascii_case(b"bearer") || word.eq_ignore_ascii_case(b"basic")
}

/// The first position at or after `at` whose byte does not pass `test`.
fn skip(bytes: &[u8], at: usize, test: impl Fn(u8) -> bool) -> usize {
    bytes[at..]
        .iter()
        .position(|b| !test(*b))
        .map_or(bytes.len(), |len| at + len)
}

/// The quotes a key or value may be written in: a run of backslashes (JSON
/// inside a string) before `"` or `'`, or URL-encoded. Returns its length.
fn quote_at(bytes: &[u8], at: usize) -> Option<usize> {
    let slashes = skip(bytes, at, |b| b == b'\\') - at;
    match bytes.get(at + slashes) {
        Some(b'"' | b'\'') => Some(slashes + 1),
        _ if slashes == 0 => {
            let rest = &bytes[at..];
            let encoded = rest.len() >= 3
                && rest[0] == b'%'
                && (rest[1..3].eq_ignore_ascii_case(b"22")
                    || rest[1..3].eq_ignore_ascii_case(b"27"));
            encoded.then_some(3)
        }
        _ => None,
    }
}

/// Where the value starts if a separator follows a key ending at `end`: the
/// key's closing quote, spaces, `=`, `:`, `=>`, `:=`, `%3D` or `%3A` (not
/// `==`, a comparison),
/// spaces; or spaces and then a quote (`PASSWORD 'x'`).
fn separator(bytes: &[u8], end: usize) -> Option<usize> {
    let mut at = end;
    if let Some(len) = quote_at(bytes, at) {
        at += len;
    }
    let spaced = skip(bytes, at, |b| b == b' ' || b == b'\t');
    let rest = &bytes[spaced..];
    let len = match rest {
        [b'=', b'='] | [b'=', b'=', ..] => return None,
        [b'=', b'>', ..] | [b':', b'=', ..] => 2,
        [b':', b'/', b'/', ..] => return None,
        [b'=' | b':', ..] => 1,
        [b'%', a, b, ..] if *a == b'3' && matches!(b, b'D' | b'd' | b'A' | b'a') => 3,
        _ if spaced > at && quote_at(bytes, spaced).is_some() => 0,
        _ => return None,
    };
    Some(skip(bytes, spaced + len, |b| b == b' ' || b == b'\t'))
}

/// The span of a value starting at `at`: inside its quotes if quoted (to
/// the end of the text if they are not closed); for a header, to the end of
/// the line or the quote that opened before its key; else a token.
fn value_span(
    bytes: &[u8],
    at: usize,
    header: bool,
    quote_before: Option<(usize, u8)>,
) -> Option<(usize, usize)> {
    // A string prefix, as in Python's f'…' and b'…'.
    let at = match bytes.get(at) {
        Some(b'f' | b'b' | b'r' | b'u' | b'F' | b'B' | b'R' | b'U')
            if matches!(bytes.get(at + 1), Some(b'"' | b'\'')) =>
        {
            at + 1
        }
        _ => at,
    };
    let (from, to) = match quote_at(bytes, at) {
        Some(len) => {
            let from = at + len;
            (from, closing_quote(bytes, from, &bytes[at..from]))
        }
        None if header => (at, line_end(bytes, at, quote_before)),
        None => (at, token_end(bytes, at)),
    };
    (to > from).then_some((from, to))
}

/// The end of a header's value starting at `at`: the end of the line (or an
/// escaped `\n` / `\r`), or the quote that opened before its key, as
/// escaped as it was (`quote`: its backslashes and quote character).
fn line_end(bytes: &[u8], at: usize, quote: Option<(usize, u8)>) -> usize {
    let mut i = at;
    while i < bytes.len() {
        let slashes = skip(bytes, i, |b| b == b'\\') - i;
        match bytes.get(i + slashes) {
            None => break,
            Some(b'\n' | b'\r') => return i,
            Some(b'n' | b'r') if slashes > 0 => return i,
            Some(&c) if quote == Some((slashes, c)) => return i,
            Some(_) if slashes > 0 => i += slashes + 1,
            Some(_) => i += 1,
        }
    }
    bytes.len()
}

/// Where the value opened by `quote` (as [`quote_at`] found it) closes, at
/// or after `from`: the same quote, not escaped; the end of the text if none.
fn closing_quote(bytes: &[u8], from: usize, quote: &[u8]) -> usize {
    let last = *quote.last().expect("a quote is not empty");
    if quote.len() == 3 && quote[0] == b'%' {
        let mut at = from;
        while let Some(i) = bytes[at..].iter().position(|b| *b == b'%') {
            let p = at + i;
            if bytes
                .get(p..p + 3)
                .is_some_and(|q| q.eq_ignore_ascii_case(quote))
            {
                return p;
            }
            at = p + 1;
        }
        return bytes.len();
    }
    let slashes = quote.len() - 1;
    let mut at = from;
    while let Some(i) = bytes[at..].iter().position(|b| *b == last) {
        let p = at + i;
        let before = p - bytes[..p].iter().rev().take_while(|b| **b == b'\\').count();
        let run = p - before;
        let closes = if slashes == 0 {
            run.is_multiple_of(2)
        } else {
            run == slashes
        };
        if closes {
            return if slashes == 0 { p } else { before.max(from) };
        }
        at = p + 1;
    }
    bytes.len()
}

/// The end of an unquoted value starting at `start`: whitespace, a quote, a
/// backslash, or a separator that ends a value in headers, query strings
/// (`&`, or `%26` URL-encoded) and JSON.
fn token_end(bytes: &[u8], start: usize) -> usize {
    let mut at = start;
    while let Some(&b) = bytes.get(at) {
        let stop = is_space(b)
            || matches!(
                b,
                b'"' | b'\'' | b'\\' | b'&' | b',' | b';' | b'}' | b')' | b']' | b'<' | b'>'
            )
            || (b == b'%' && bytes.get(at + 1..at + 3) == Some(b"26"));
        if stop {
            break;
        }
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::super::{MARKER, Redactor};

    /// `text` redacted, or as it was.
    fn clean(text: &str) -> String {
        Redactor::default()
            .text(text)
            .unwrap_or_else(|| text.to_owned())
    }

    /// Asserts each input is redacted to its expected text.
    #[track_caller]
    fn expect(cases: &[(&str, &str)]) {
        for (input, expected) in cases {
            let expected = expected.replace('#', MARKER);
            assert_eq!(clean(input), expected, "{input:?}");
        }
    }

    #[test]
    fn authorization_credentials_after_any_whitespace_and_scheme() {
        expect(&[
            ("Bearer\tabc.def", "Bearer\t#"),
            ("bearer \n  xyz123", "bearer \n  #"),
            ("BASIC dXNlcjpwYXNz", "BASIC #"),
            (
                "Authorization: Digest username=\"bob\", response=\"6629fa\"\nnext",
                "Authorization: Digest #\nnext",
            ),
            (
                "-H 'Authorization: Token abc def' -d x",
                "-H 'Authorization: Token #' -d x",
            ),
            ("Authorization: sekrit", "Authorization: #"),
            ("authorization=abc123 (expired) ", "authorization=#"),
            (
                "Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/x, Signature=fe5f",
                "Authorization: AWS4-HMAC-SHA256 #",
            ),
            (
                "Proxy-Authorization: Negotiate YIIBhg",
                "Proxy-Authorization: Negotiate #",
            ),
            (
                "Cookie: sid=abc; theme=dark\r\nHost: x",
                "Cookie: #\r\nHost: x",
            ),
            (
                "{\"Authorization\": \"Bearer abc\"}",
                "{\"Authorization\": \"Bearer #\"}",
            ),
        ]);
    }

    #[test]
    fn key_value_secrets_in_every_spelling() {
        expect(&[
            ("password=\"a b c\" next", "password=\"#\" next"),
            ("password='a b' next", "password='#' next"),
            ("'password' => 'x y'", "'password' => '#'"),
            ("password := s3", "password := #"),
            ("PGPASSWORD=pw psql", "PGPASSWORD=# psql"),
            ("db.password: hunter2", "db.password: #"),
            ("user_pwd=abc&x=1", "user_pwd=#&x=1"),
            ("pass=abc", "pass=#"),
            ("DSN=postgres://u:p@h/db", "DSN=#"),
            ("auth: xyz", "auth: #"),
            ("client_secret=abc", "client_secret=#"),
            ("signing_key = 0xabc", "signing_key = #"),
            (
                "DefaultEndpointsProtocol=https;AccountName=acc;AccountKey=bG9uZw==;EndpointSuffix=core",
                "DefaultEndpointsProtocol=https;AccountName=acc;AccountKey=#;EndpointSuffix=core",
            ),
            (
                "ALTER USER bob WITH PASSWORD 'n3w pw'",
                "ALTER USER bob WITH PASSWORD '#'",
            ),
            (
                "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "aws_secret_access_key = #",
            ),
            ("token=Bearer abc def", "token=Bearer # def"),
        ]);
    }

    #[test]
    fn json_inside_strings_and_url_encoding() {
        expect(&[
            (
                "{\"password\": \"a b\", \"n\": 1}",
                "{\"password\": \"#\", \"n\": 1}",
            ),
            (
                "{\\\"token\\\": \\\"t 1\\\", \\\"n\\\": 1}",
                "{\\\"token\\\": \\\"#\\\", \\\"n\\\": 1}",
            ),
            (
                "{\\\\\\\"secret\\\\\\\":\\\\\\\"x\\\\\\\"}",
                "{\\\\\\\"secret\\\\\\\":\\\\\\\"#\\\\\\\"}",
            ),
            ("{\"password\": \"a\\\"b c\"}", "{\"password\": \"#\"}"),
            (
                "q=1&password%3Dhunter2%26next%3D1",
                "q=1&password%3D#%26next%3D1",
            ),
            ("password=a%20b&x=1", "password=#&x=1"),
            ("%22token%22%3A%22a%20b%22", "%22token%22%3A%22#%22"),
            ("\"Bearer\\tabc\\nnext\"", "\"Bearer\\t#\\nnext\""),
            (
                "{\"h\": \"Authorization: Digest u=\\\"a\\\", r=\\\"x\\\"\\nnext\"}",
                "{\"h\": \"Authorization: Digest #\\nnext\"}",
            ),
            (
                "{\\\"Authorization\\\": \\\"Digest u=\\\\\\\"a\\\\\\\"\\\", \\\"n\\\": 1}",
                "{\\\"Authorization\\\": \\\"Digest #\\\", \\\"n\\\": 1}",
            ),
            (
                "'Authorization: Bearer x\\' y' z",
                "'Authorization: Bearer #' z",
            ),
        ]);
    }

    #[test]
    fn credentials_in_urls_and_command_lines() {
        expect(&[
            (
                "postgres://admin:s3cr3t@db.internal:5432/app",
                "postgres://admin:#@db.internal:5432/app",
            ),
            ("redis://:pw@cache:6379", "redis://:#@cache:6379"),
            (
                "git clone https://git@github.com/a/b",
                "git clone https://git@github.com/a/b",
            ),
            (
                "tool --password hunter2 --verbose",
                "tool --password # --verbose",
            ),
            ("tool --token Bearer abc", "tool --token Bearer #"),
            ("tool --password = abc", "tool --password = #"),
            (
                "token={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}",
                "token={#}",
            ),
            ("tool --api-key=abc123 x", "tool --api-key=# x"),
            ("tool --db-pass 'p w' x", "tool --db-pass '#' x"),
            (
                "docker login --password-stdin registry.io",
                "docker login --password-stdin registry.io",
            ),
            ("tool --token-file /run/t x", "tool --token-file /run/t x"),
            ("mysql -u root -phunter2 app", "mysql -u root -p# app"),
            ("mysqldump -pp@ss db", "mysqldump -p# db"),
            ("sshpass -p hunter2 ssh host", "sshpass -p # ssh host"),
            ("redis-cli -a hunter2 ping", "redis-cli -a # ping"),
            (
                "curl -u alice:hunter2 https://x",
                "curl -u alice:# https://x",
            ),
            (
                "curl --user alice:hunter2 https://x",
                "curl --user alice:# https://x",
            ),
            (
                "/usr/bin/curl -ualice:pw https://x",
                "/usr/bin/curl -ualice:# https://x",
            ),
            ("mysql -p'p w' db", "mysql -p'#' db"),
            ("curl -u 'alice:p w' x", "curl -u 'alice:#' x"),
            ("curl --user=alice:pw x", "curl --user=alice:# x"),
            (
                "docker login -u bob -p hunter2 registry",
                "docker login -u bob -p # registry",
            ),
            ("docker run -p 8080:80 img", "docker run -p 8080:80 img"),
            (
                "<user>bob</user><password>a b</password>",
                "<user>bob</user><password>#</password>",
            ),
            ("ssh -p 2222 host", "ssh -p 2222 host"),
            ("psql -p5432 -U bob", "psql -p5432 -U bob"),
            ("docker run -u 1000:1000 img", "docker run -u 1000:1000 img"),
        ]);
    }

    #[test]
    fn credentials_of_known_formats_anywhere() {
        expect(&[
            ("key AKIAIOSFODNN7EXAMPLE used", "key # used"),
            ("ASIAY34FZKBOKMUTVV7A", "#"),
            (
                "token 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 ok",
                "token # ok",
            ),
            (
                "https://x-access-token:ghs_16C7e42F292c6912E7710c838347Ae178B4a@github.com",
                "https://x-access-token:#@github.com",
            ),
            (
                "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ",
                "#",
            ),
            ("glpat-xxxxxxxxxxxxxxxxxxxx1", "#"),
            (
                "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
                "#",
            ),
            (
                "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
                "https://hooks.slack.com/services/#",
            ),
            ("stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc", "stripe #"),
            ("rk_test_4eC39HqLyjWDarjtT1zdp7dc", "#"),
            ("OPENAI sk-proj-abcdEFGH1234ijklMNOP5678qrst", "OPENAI #"),
            ("sk-ant-api03-abcdefghij0123456789ABCDEFGHIJ", "#"),
            ("AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI", "#"),
            ("ya29.a0AfH6SMBxyz0123456789abcdefghijkl", "#"),
            ("npm_abcdefghijklmnopqrstuvwxyz0123456789", "#"),
            ("hf_abcdefghijklmnopqrstuvwxyzABCDEFGH", "#"),
            (
                "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U.",
                "#.",
            ),
            (
                "MY_TOKEN_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",
                "MY_TOKEN_#",
            ),
            (
                "a\n-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nQ==\n-----END RSA PRIVATE KEY-----\nb",
                "a\n#\nb",
            ),
            (
                "\"-----BEGIN PRIVATE KEY-----\\nMIIE\\n-----END PRIVATE KEY-----\\n\"",
                "\"#\\n\"",
            ),
            ("cut -----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn", "cut #"),
        ]);
    }

    #[test]
    fn ordinary_text_is_left_as_it_is() {
        let benign = [
            "/home/alice/projects/auditlog/src/main.rs",
            "SELECT password_hash, token_count FROM users WHERE id = 42",
            "the password field is required",
            "Use Bearer tokens; Basic authentication is disabled",
            "Basic usage: auditlog record",
            "WWW-Authenticate: Basic realm=\"api\"",
            "fn parse(tokens: &[Token]) -> Result<Ast, Error>",
            "let max_tokens = 4096; tokens_used=1234; token_count: 12",
            "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "commit 9fceb02d0ae598e95dc970b74767f19372d61af8",
            "id 123e4567-e89b-12d3-a456-426614174000",
            "https://example.com/path?q=rust&page=2#top",
            "git@github.com:org/repo.git and https://github.com/org/repo",
            "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
            "ssh -p 22 -i ~/.ssh/id_ed25519 host",
            "npm install sk-learn-like-package; pip install scikit-learn",
            "the author passed the passport check; bypass the compass",
            "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
            "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----",
            "sort_key=name&primary_key=id&public_key=ssh-ed25519",
            "12:30:45 INFO done in 3.2s: 15 files",
            "ünïcödé text, emoji 😀 and CJK 漢字",
            "def login(user, password):\n    token = create_token(user)\n    return token",
            "api_key = os.environ[\"API_KEY\"]; password = getpass.getpass()",
            "let token = self.token.clone(); const secret = process.env.CLIENT_SECRET;",
            "if password == expected: fn login(user: &str, password: String, token: Option<Token>)",
            "SELECT id FROM users WHERE password_hash = ? AND token = $1 OR secret = :secret",
            "headers = {'Authorization': f'Bearer {token}'}; password=${DB_PASSWORD}",
            "{\"password\": {\"type\": \"string\", \"minLength\": 8}}",
            "password: null, token: None, secret: [REDACTED]",
        ];
        let r = Redactor::default();
        for text in benign {
            assert_eq!(r.text(text), None, "{text:?}");
        }
    }
}
