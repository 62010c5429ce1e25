//! Finding secrets inside free text, in one pass over its words (runs of
//! ASCII letters, digits, `-` and `_`). Each word is asked, cheapest test
//! first, whether it
//! - starts a credential of a known format ([`formats::FORMATS`]), or starts
//!   a PEM private-key block;
//! - starts or ends in one of a known shape without a prefix
//!   ([`formats::SHAPES`]: a Telegram bot token's id before its `:`, a
//!   Discord bot token's first part before its `.`), or is a password
//!   hash's scheme (`$6$…`) or the LM hash of a pwdump line
//!   ([`formats::HASHES`]);
//! - is a command-line flag that takes a password: `--password X`,
//!   `--api-key=X`, and [`GATED_FLAGS`](flags::GATED_FLAGS) after their command (`mysql -pX`,
//!   `curl -u user:pass`);
//! - is an HTTP authorization scheme (`Bearer`, `Basic`) followed by
//!   whitespace and a credential;
//! - is a URL scheme whose `user:password@` follows, a user whose
//!   `:password@host:` follows (scp, rsync), or a webhook host
//!   ([`blocks::WEBHOOKS`]);
//! - names an XML element holding a secret (`<password>x</password>`), or
//!   is an attribute of a tag that names one (`<input name="password"
//!   value="x">`: [`markup`]);
//! - is a command that sets a name to a value (`aws configure set NAME
//!   VALUE`), or `.netrc`'s `password` ([`named`]);
//! - is a command whose password is a bare argument (`htpasswd -b FILE
//!   USER X`, `net user NAME X`, `sqlplus USER/X@DB`, `echo X | chpasswd`,
//!   `xfreerdp /p:X`: [`bare`]);
//! - is a secret-looking key followed by a separator (`=`, `:`, `=>`, `:=`,
//!   URL-encoded `%3D` / `%3A`, or only spaces before a quoted value), each
//!   side optionally quoted (`"`, `'`, `\"` in JSON inside a string, `%22`).
//!   A quoted value is cut up to its closing quote, spaces included; an
//!   `Authorization` or `Cookie` header's value up to the end of its line.

use super::keys::{self, CLASS, NON_ASCII, SEPARATOR, WORD};
use super::{MARKER, Redactor};
use super::{blocks, formats};

mod bare;
mod flags;
mod markup;
mod named;
mod schemes;
mod spans;
mod values;

#[cfg(test)]
pub use bare::{BARE, CONNECT_STRINGS, READERS, SLASH_FLAGS};
#[cfg(test)]
pub use flags::GATED_FLAGS;
use schemes::{AUTH_SCHEMES, is_scheme};
use spans::{
    call_pair, closing_quote, is_space, quote_at, separator, skip, skip_spaces, space_at,
    token_end, value_span,
};
use values::is_placeholder;

/// The spans of `text` that hold secrets, in order, not overlapping.
pub fn secrets(redactor: &Redactor, text: &str) -> Vec<(usize, usize)> {
    let mut scan = Scan {
        redactor,
        text,
        bytes: text.as_bytes(),
        cuts: Vec::new(),
        commands: Vec::new(),
    };
    let mut at = 0;
    while let Some((start, end, class)) = next_word(scan.bytes, at) {
        at = scan
            .word(start, end, class)
            .map_or(end, |past| past.max(end));
    }
    if text.is_ascii() {
        return scan.cuts;
    }
    let found = scan.cuts.len();
    scan.keys_beyond_ascii();
    if scan.cuts.len() == found {
        return scan.cuts;
    }
    merged(scan.cuts)
}

/// `cuts` in order, those that overlap made one.
pub fn merged(mut cuts: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    cuts.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(cuts.len());
    for (from, to) in cuts {
        match merged.last_mut() {
            Some(last) if from < last.1 => last.1 = last.1.max(to),
            _ => merged.push((from, to)),
        }
    }
    merged
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

/// One pass over a text: the spans found so far.
struct Scan<'a> {
    redactor: &'a Redactor,
    text: &'a str,
    bytes: &'a [u8],
    cuts: Vec<(usize, usize)>,
    /// The commands looked for so far, and where each first stands as a word.
    commands: Vec<(&'static str, Option<usize>)>,
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
            if self.bytes[start] == b'P'
                && self.text[start..].starts_with(blocks::PUTTY_BEGIN)
                && let Some(past) = blocks::putty_block(self.text, start)
            {
                return Some(self.cut(start, past));
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
                if let Some(past) = self.named(start, end) {
                    return Some(past);
                }
                if let Some(past) = self.bare(start, end) {
                    return Some(past);
                }
                if start > 0
                    && self.bytes[start - 1] == b'<'
                    && let Some(past) = self.element(start, end)
                {
                    return Some(past);
                }
                if start > 1
                    && self.bytes[start - 1] == b':'
                    && let Some(past) = self.namespaced_element(start, end)
                {
                    return Some(past);
                }
            }
            Some(b':') if self.bytes[end..].starts_with(b"://") => {
                return self.userinfo(end + 3);
            }
            Some(b':') => {
                if end - start == 8
                    && let Some(past) = self.masked(start, end)
                {
                    return Some(past);
                }
                if end - start == 32
                    && let Some(past) = formats::pwdump(self.bytes, start, end)
                {
                    return Some(self.cut(start, past));
                }
                if start > 0
                    && self.bytes[start - 1] == b'/'
                    && let Some(past) = self.slash_flag(start, end)
                {
                    return Some(past);
                }
                if self.bytes[end - 1].is_ascii_digit()
                    && let Some((from, to)) = formats::telegram(self.bytes, start, end)
                {
                    return Some(self.cut(from, to));
                }
                if let Some(past) = self.bare_userinfo(start, end) {
                    return Some(past);
                }
            }
            Some(b'.') => {
                if matches!(self.bytes[start], b'M' | b'N' | b'O')
                    && let Some(past) = formats::discord(self.bytes, start, end)
                {
                    return Some(self.cut(start, past));
                }
                if let Some((from, to)) = blocks::webhook(self.text, start) {
                    return Some(self.cut(from, to));
                }
            }
            Some(b'$') => {
                if let Some(past) = formats::crypt(self.bytes, start, end) {
                    return Some(self.cut(end + 1, past));
                }
            }
            Some(b'}') => {
                if let Some((from, to)) = formats::braced(self.bytes, start, end) {
                    return Some(self.cut(from, to));
                }
            }
            Some(b'>') if start > 0 && self.bytes[start - 1] == b'<' => {
                return self.element(start, end);
            }
            Some(b'>') if start > 1 && self.bytes[start - 1] == b':' => {
                if let Some(past) = self.namespaced_element(start, end) {
                    return Some(past);
                }
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

    /// The password of `user:password@host:` without a scheme (scp, rsync,
    /// git, a proxy's `host:port`), the user `start..end` starting an
    /// argument: not `mailto:`-like schemes, and not an image's
    /// `name:tag@sha256:` digest.
    #[inline(never)]
    fn bare_userinfo(&mut self, start: usize, end: usize) -> Option<usize> {
        /// How long a password is looked for: a bound, so that a long run
        /// of `a:b:c…` costs no more than a pass.
        const REACH: usize = 256;
        const NOT_USERS: [&str; 8] = [
            "mailto", "sip", "sips", "tel", "xmpp", "urn", "news", "data",
        ];
        // The user starts an argument: not part of a path, a name or a URL.
        if start > 0
            && matches!(
                self.bytes[start - 1],
                b'.' | b'/' | b':' | b'@' | b'%' | b'+'
            )
            || !(self.bytes[start].is_ascii_alphabetic() || self.bytes[start] == b'_')
            || NOT_USERS
                .iter()
                .any(|s| s.as_bytes().eq_ignore_ascii_case(&self.bytes[start..end]))
        {
            return None;
        }
        let from = end + 1;
        let reach = &self.bytes[from..self.bytes.len().min(from + REACH)];
        let at = from
            + reach.iter().position(|b| {
                is_space(*b) || matches!(b, b'@' | b'/' | b'"' | b'\'' | b'<' | b'>' | b'\\')
            })?;
        if self.bytes[at] != b'@' || at == from {
            return None;
        }
        let host_end = skip(self.bytes, at + 1, |b| {
            b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-')
        });
        let host = &self.bytes[at + 1..host_end];
        let digest = host.len() > 3 && host[..3].eq_ignore_ascii_case(b"sha");
        let ok = !host.is_empty() && !digest && self.bytes.get(host_end) == Some(&b':');
        ok.then(|| self.cut(from, at))
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
        match self.text[at..host].find(':') {
            Some(colon) => Some(self.cut(at + colon + 1, host)),
            // A token as the user (`https://<40 hex>@github.com`, a Sentry
            // DSN's key): long, and of letters and digits both.
            None if is_token(&self.bytes[at..host]) => Some(self.cut(at, host)),
            None => None,
        }
    }
}

/// Whether a URL's user is a token rather than a name: 20 or more letters,
/// digits, `-` and `_`, with a letter and a digit among them.
fn is_token(user: &[u8]) -> bool {
    user.len() >= 20
        && user
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
        && user.iter().any(u8::is_ascii_digit)
        && user.iter().any(u8::is_ascii_alphabetic)
}

#[cfg(test)]
mod tests {
    use super::super::{Redactor, clean, expect};

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
                "log in with password `hunter 2`",
                "log in with password `#`",
            ),
            ("Bearer: abc", "Bearer: #"),
            (" bearer = abc1 ", " bearer = # "),
            (
                "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "aws_secret_access_key = #",
            ),
            ("token=Bearer abc def", "token=Bearer # def"),
            ("password=$ecretPass x", "password=# x"),
            ("password=@dmin123 x", "password=# x"),
            ("password=:p4ss x", "password=# x"),
            (
                "spring.security.user.password={noop}hunter2 x",
                "spring.security.user.password=# x",
            ),
            ("\"password\": \"{bcrypt}$2a$10$x\"", "\"password\": \"#\""),
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
    fn yaml_values_on_the_lines_below_their_key() {
        expect(&[
            (
                "stringData:\n  password: |\n    line one\n    line two\n  user: bob\n",
                "stringData:\n  password: |\n    [REDACTED]\n  user: bob\n",
            ),
            (
                "- token: >-\r\n    abc\r\n\r\n    def\r\nnext: 1",
                "- token: >-\r\n    [REDACTED]\r\nnext: 1",
            ),
            (
                "db:\n  password:\n    hunter2\nport: 5",
                "db:\n  password:\n    [REDACTED]\nport: 5",
            ),
        ]);
        for kept in [
            "if password:\n    check(password)\n",
            "password:\nnot indented below",
        ] {
            assert_eq!(clean(kept), kept);
        }
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
                "https://0123456789abcdef0123456789abcdef01234567@github.com/o/r.git",
                "https://#@github.com/o/r.git",
            ),
            (
                "sentry_sdk.init(\"https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/2\")",
                "sentry_sdk.init(\"https://#@o1.ingest.sentry.io/2\")",
            ),
            (
                "ssh://deploy-user@host and https://github-actions@x.org",
                "ssh://deploy-user@host and https://github-actions@x.org",
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
            (
                "<wsse:Username>bob</wsse:Username><wsse:Password>hunter2</wsse:Password>",
                "<wsse:Username>bob</wsse:Username><wsse:Password>#</wsse:Password>",
            ),
            (
                "<wsse:Password Type=\"PasswordText\">hunter2</wsse:Password>",
                "<wsse:Password Type=\"PasswordText\">#</wsse:Password>",
            ),
            (
                "<password><![CDATA[hunter2]]></password>",
                "<password><![CDATA[#]]></password>",
            ),
            (
                "<db\u{2013}password>hunter2</db\u{2013}password>",
                "<db\u{2013}password>#</db\u{2013}password>",
            ),
            (
                "<api\u{2011}key>abc123</api\u{2011}key> <пароль>hunter2</пароль>",
                "<api\u{2011}key>#</api\u{2011}key> <пароль>#</пароль>",
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
    fn a_name_and_its_value_after_a_command_that_sets_one() {
        expect(&[
            (
                "aws configure set aws_secret_access_key wJalrXUtnFEMI/K7MDENG --profile p",
                "aws configure set aws_secret_access_key # --profile p",
            ),
            (
                "aws configure set default.aws_session_token 'a b'",
                "aws configure set default.aws_session_token '#'",
            ),
            ("setx API_TOKEN abc123", "setx API_TOKEN #"),
            ("setenv DB_PASSWORD hunter2", "setenv DB_PASSWORD #"),
            ("ENV DB_PASSWORD hunter2", "ENV DB_PASSWORD #"),
            (
                "git config --global user.password hunter2",
                "git config --global user.password #",
            ),
            (
                "npm config set //registry.npmjs.org/:_authToken abc123",
                "npm config set //registry.npmjs.org/:_authToken #",
            ),
            (
                "heroku config:set API_TOKEN hunter2 -a app",
                "heroku config:set API_TOKEN # -a app",
            ),
            (
                "machine api.example.com login bob password hunter2\nmachine b login c password 'd e'",
                "machine api.example.com login bob password #\nmachine b login c password '#'",
            ),
            (
                "machine h\n  login bob\n  password hunter2\n",
                "machine h\n  login bob\n  password #\n",
            ),
            (
                "default login anonymous password me@x.org",
                "default login anonymous password #",
            ),
            (
                "{\"note\":\"setx API_TOKEN abc\"}",
                "{\"note\":\"setx API_TOKEN #\"}",
            ),
        ]);
        for kept in [
            "git config credential.helper store",
            "git config --get user.password",
            "aws configure set region eu-west-1",
            "set the password field to required",
            "set token expiry to 5 minutes",
            "ENV PATH /usr/bin",
            "setx API_TOKEN %API_TOKEN%",
            "log in with your password then",
            "the default login uses a password manager",
            "set API_TOKEN to the one from the console",
            "the env API_KEY is read at start",
            "machine m login bob password is required",
            "machine learning: login, then password reset",
            "UPDATE users SET password_hash = ? WHERE id = $1",
            "/usr/bin/set API_TOKEN x",
        ] {
            assert_eq!(clean(kept), kept);
        }
    }

    #[test]
    fn short_flags_that_take_a_password_after_their_command() {
        expect(&[
            (
                "sqlcmd -S srv -U sa -P hunter2 -Q x",
                "sqlcmd -S srv -U sa -P # -Q x",
            ),
            ("zip -P hunter2 out.zip x", "zip -P # out.zip x"),
            ("unzip -P hunter2 x.zip", "unzip -P # x.zip"),
            ("7z a -phunter2 out.7z x", "7z a -p# out.7z x"),
            (
                "ldapsearch -x -D cn=admin -w hunter2 -b dc=x",
                "ldapsearch -x -D cn=admin -w # -b dc=x",
            ),
            (
                "mosquitto_pub -u bob -P hunter2 -t t",
                "mosquitto_pub -u bob -P # -t t",
            ),
            (
                "openssl enc -aes256 -k hunter2 -in x",
                "openssl enc -aes256 -k # -in x",
            ),
            (
                "smbclient //srv/share -U bob%hunter2",
                "smbclient //srv/share -U bob%#",
            ),
            (
                "ssh-keygen -p -P old1 -N new2 -f k",
                "ssh-keygen -p -P # -N # -f k",
            ),
            (
                "keytool -list -keystore k.jks -storepass changeit -keypass x",
                "keytool -list -keystore k.jks -storepass # -keypass #",
            ),
            (
                "kubectl create secret generic db --from-literal=user=bob --from-literal=pw=x",
                "kubectl create secret generic db --from-literal=user=# --from-literal=pw=#",
            ),
            (
                "gh secret set DEPLOY --body hunter2 --repo o/r",
                "gh secret set DEPLOY --body # --repo o/r",
            ),
            ("tool -password hunter2 -v", "tool -password # -v"),
            (
                "twine upload -u bob -p hunter2 dist/*",
                "twine upload -u bob -p # dist/*",
            ),
            ("mongosh -u bob -p hunter2 db", "mongosh -u bob -p # db"),
            (
                "nxc smb 10.0.0.5 -u bob -p hunter2",
                "nxc smb 10.0.0.5 -u bob -p #",
            ),
            (
                "evil-winrm -i h -u bob -p 'a b'",
                "evil-winrm -i h -u bob -p '#'",
            ),
            (
                "nmcli dev wifi connect Home password hunter2",
                "nmcli dev wifi connect Home password #",
            ),
        ]);
        for kept in [
            "unzip -l x.zip; zip -r out.zip dir",
            "7z x out.7z -o/tmp",
            "ssh-keygen -t ed25519 -f k",
            "kubectl create configmap c --from-literal=user=bob",
            "gh issue create --body text",
            "curl -k https://x -w '%{http_code}'",
            "ls -la; grep -v x",
        ] {
            assert_eq!(clean(kept), kept);
        }
    }

    #[test]
    fn values_named_by_markup_attributes() {
        expect(&[
            (
                "<input type=\"password\" name=\"pw\" value=\"hunter2\">",
                "<input type=\"password\" name=\"pw\" value=\"#\">",
            ),
            (
                "<input name='api_key' value='abc 123' />",
                "<input name='api_key' value='#' />",
            ),
            (
                "<add key=\"ApiKey\" value=\"s3cr3t\"/>",
                "<add key=\"ApiKey\" value=\"#\"/>",
            ),
            (
                "<add value=\"s3cr3t\" key=\"ClientSecret\"/>",
                "<add value=\"#\" key=\"ClientSecret\"/>",
            ),
            (
                "<meta name=\"csrf-token\" content=\"abc\">",
                "<meta name=\"csrf-token\" content=\"#\">",
            ),
            (
                "<property name=\"password\" value=\"x\"/>",
                "<property name=\"password\" value=\"#\"/>",
            ),
            (
                "<string name=\"api_key\">abc123</string>",
                "<string name=\"api_key\">#</string>",
            ),
            (
                "<entry key=\"db.password\">hunter2</entry>",
                "<entry key=\"db.password\">#</entry>",
            ),
            (
                "<Password type=\"x\">hunter2</Password>",
                "<Password type=\"x\">#</Password>",
            ),
            (
                "{\"html\": \"<input name=\\\"password\\\" value=\\\"x y\\\">\"}",
                "{\"html\": \"<input name=\\\"password\\\" value=\\\"#\\\">\"}",
            ),
        ]);
        for kept in [
            "<input name=\"user\" value=\"bob\">",
            "<input type=\"text\" value=\"hello\">",
            "<label for=\"password\">Password</label>",
            "<div id=\"password-help\">At least 8 characters</div>",
            "<option value=\"password\">Password</option>",
            "<input name=\"password\" value=\"\">",
            "value=\"x\" name=\"password\"",
        ] {
            assert_eq!(clean(kept), kept);
        }
    }

    #[test]
    fn user_and_password_before_a_host_without_a_scheme() {
        expect(&[
            ("scp bob:pw123@host:/tmp/x .", "scp bob:#@host:/tmp/x ."),
            (
                "rsync -a alice:Secr3t@backup.example.com:/data /data",
                "rsync -a alice:#@backup.example.com:/data /data",
            ),
            (
                "git clone bob:tok@github.com:org/repo",
                "git clone bob:#@github.com:org/repo",
            ),
            (
                "http_proxy=user:p4ss@proxy.corp:3128 curl x",
                "http_proxy=user:#@proxy.corp:3128 curl x",
            ),
            (
                "{\"cmd\": \"scp bob:pw@h:/x .\"}",
                "{\"cmd\": \"scp bob:#@h:/x .\"}",
            ),
        ]);
        for kept in [
            "git@github.com:org/repo.git",
            "mail alice@example.com: hello",
            "mailto:bob@x.org:",
            "docker pull nginx:1.25@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31",
            "12:30 bob@host: done",
            "npm i left-pad@1.3.0",
            "From:alice@example.com",
            "Meeting at 10:30@office: bring laptop",
        ] {
            assert_eq!(clean(kept), kept);
        }
    }

    #[test]
    fn more_vendor_formats_and_putty_keys() {
        expect(&[
            ("sq0atp-abcdefghijklmnopqrstuv ok", "# ok"),
            ("sq0csp-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "#"),
            ("glsa_abcdefghijklmnopqrstuvwxyz012345_0123abcd", "#"),
            (
                "glc_eyJvIjoiMTIzNCIsIm4iOiJzdGFjayIsImsiOiJhYmMxMjMifQ ok",
                "# ok",
            ),
            (
                "PMAK-0123456789abcdef01234567-0123456789abcdef0123456789abcdef01",
                "#",
            ),
            ("dp.pt.abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "#"),
            ("mailgun key-0123456789abcdef0123456789abcdef", "mailgun #"),
            (
                "ATATT3xFfGF0abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUV=0A1B2C3D",
                "#=0A1B2C3D",
            ),
            (
                "k:\nPuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: me\nPublic-Lines: 2\nAAAAC3Nz\nAAAAIB\nPrivate-Lines: 1\nAAAAISECRET\nPrivate-MAC: 0a1b2c\nnext",
                "k:\n#\nnext",
            ),
            (
                "PuTTY-User-Key-File-2: ssh-rsa\nPrivate-Lines: 1\nAAAASECRET",
                "#",
            ),
        ]);
        for kept in [
            "key-value store; the key-0 slot",
            "PuTTY-User-Key-File-3 is the format puttygen writes",
            "dp.st is short for data point",
        ] {
            assert_eq!(clean(kept), kept);
        }
    }

    #[test]
    fn keys_written_in_other_scripts() {
        expect(&[
            ("пароль=hunter2 ok", "пароль=# ok"),
            ("Пароль: hunter2\nдалее", "Пароль: #\nдалее"),
            ("contraseña: \"a b\" ok", "contraseña: \"#\" ok"),
            ("{\"hasło\": \"x\"}", "{\"hasło\": \"#\"}"),
            ("パスワード：hunter2 ok", "パスワード：# ok"),
            ("비밀번호 = hunter2", "비밀번호 = #"),
            ("数据库密码=hunter2", "数据库密码=#"),
            ("Passwort: hunter2", "Passwort: #"),
            ("senha=hunter2&x=1", "senha=#&x=1"),
            ("parola=hunter2", "parola=#"),
        ]);
        for kept in [
            "ünïcödé: text",
            "Пароль обязателен, токен истёк: войдите снова",
            "la parola chiave: rust",
            "resenha: boa",
            "пароход: x",
        ] {
            assert_eq!(clean(kept), kept);
        }
    }

    /// A flag or a `.netrc` word whose command the text never names is
    /// looked up once, not once per occurrence: at the 1 MiB an input may
    /// hold, the search was quadratic (10 and 22 s in the component).
    #[test]
    fn passwords_as_bare_arguments_after_their_command() {
        expect(&[
            (
                "htpasswd -b .htpasswd admin hunter2",
                "htpasswd -b .htpasswd admin #",
            ),
            (
                "htpasswd -bcB -C 10 /etc/nginx/.htpasswd admin 'a b'",
                "htpasswd -bcB -C 10 /etc/nginx/.htpasswd admin '#'",
            ),
            ("htpasswd -nb admin hunter2", "htpasswd -nb admin #"),
            ("net user bob hunter2 /add", "net user bob # /add"),
            ("NET USER bob hunter2", "NET USER bob #"),
            (
                "C:\\> net.exe user bob hunter2 /add",
                "C:\\> net.exe user bob # /add",
            ),
            (
                "echo -e 'pw1\\npw1' | passwd bob",
                "echo -e '#' | passwd bob",
            ),
            (
                "net use Z: \\\\srv\\share hunter2 /user:corp\\bob",
                "net use Z: \\\\srv\\share # /user:corp\\bob",
            ),
            (
                "rabbitmqctl add_user app hunter2 && rabbitmqctl change_password app n3w",
                "rabbitmqctl add_user app # && rabbitmqctl change_password app #",
            ),
            ("wpa_passphrase HomeNet hunter2", "wpa_passphrase HomeNet #"),
            ("redis-cli AUTH hunter2", "redis-cli AUTH #"),
            (
                "redis-cli\nauth default hunter2",
                "redis-cli\nauth default #",
            ),
            ("AUTH hunter2\r\nPING", "AUTH #\r\nPING"),
            (
                "sqlplus -s scott/tiger@orcl @x.sql",
                "sqlplus -s scott/#@orcl @x.sql",
            ),
            (
                "rman target sys/pw1@db catalog rman/pw2@cat",
                "rman target sys/#@db catalog rman/#@cat",
            ),
            (
                "sqlldr userid=scott/tiger control=x.ctl",
                "sqlldr userid=scott/# control=x.ctl",
            ),
            (
                "echo hunter2 | passwd --stdin root",
                "echo # | passwd --stdin root",
            ),
            (
                "echo 'root:hunter2' | sudo chpasswd",
                "echo '#' | sudo chpasswd",
            ),
            (
                "echo -n \"a b\" | /usr/bin/vncpasswd -f",
                "echo -n \"#\" | /usr/bin/vncpasswd -f",
            ),
            (
                "printf '%s' hunter2 | docker login -u me --password-stdin",
                "printf '#' # | docker login -u me --password-stdin",
            ),
            (
                "echo hunter2 | sudo -S apt update",
                "echo # | sudo -S apt update",
            ),
            (
                "xfreerdp /u:bob /p:hunter2 /v:host",
                "xfreerdp /u:bob /p:# /v:host",
            ),
            (
                "cmdkey /generic:srv /user:bob /pass:hunter2",
                "cmdkey /generic:srv /user:bob /pass:#",
            ),
            (
                "hydra -l admin -p hunter2 ssh://h",
                "hydra -l admin -p # ssh://h",
            ),
            ("usermod -p hunter2 bob", "usermod -p # bob"),
            ("lftp -u bob,hunter2 ftp.x.org", "lftp -u bob,# ftp.x.org"),
            ("vault login hvx.abc123", "vault login #"),
            (
                "echo tok123 | gh auth login --with-token",
                "echo # | gh auth login --with-token",
            ),
            ("http -a bob:hunter2 https://x", "http -a bob:# https://x"),
            (
                "echo \"::add-mask::hunter2\"\nnext",
                "echo \"::add-mask::#\nnext",
            ),
            ("valkey-cli AUTH hunter2", "valkey-cli AUTH #"),
            (
                "CREATE USER bob IDENTIFIED BY 'hunter2';",
                "CREATE USER bob IDENTIFIED BY '#';",
            ),
            (
                "alter user bob identified by hunter2",
                "alter user bob identified by #",
            ),
            (
                "define('DB_PASSWORD', 'hunter2');",
                "define('DB_PASSWORD', '#');",
            ),
            (
                "os.environ.setdefault(\"API_TOKEN\", \"abc\")",
                "os.environ.setdefault(\"API_TOKEN\", \"#\")",
            ),
            (
                "config[\"password\"] = \"hunter2\"",
                "config[\"password\"] = \"#\"",
            ),
            (
                "os.environ['API_TOKEN'] = 'abc123'",
                "os.environ['API_TOKEN'] = '#'",
            ),
        ]);
        for kept in [
            "htpasswd -c .htpasswd admin",
            "htpasswd -D .htpasswd admin",
            "net user bob * /add",
            "net user",
            "net use Z: \\\\srv\\share /user:bob",
            "the net user list; use auth tokens",
            "AUTH failed for client 10.0.0.1 retrying",
            "sqlplus / as sysdba",
            "sqlplus @/opt/scripts/run.sql",
            "echo hello | grep h",
            "echo $PASSWORD | docker login -u me --password-stdin",
            "echo done || passwd --stdin",
            "fields = [\"password\", \"email\"]",
            "os.environ.get(\"API_TOKEN\")",
            "hydra -l admin -P words.txt ssh://h",
            "xfreerdp /v:host /u:bob",
            "vault login -method=github",
            "vault login username=bob",
            "login bob\nAUTH",
            "git commit -a -m 'x:y'",
        ] {
            assert_eq!(clean(kept), kept);
        }
    }

    #[test]
    fn a_password_written_in_prose_when_it_is_shaped_like_one() {
        expect(&[
            ("my password is hunter2", "my password is #"),
            ("Password was Tr0ub4dor&3.", "Password was #."),
            (
                "the passphrase Correct-Horse! works",
                "the passphrase # works",
            ),
            (
                "{\"msg\": \"wifi passwd is abc12345\"}",
                "{\"msg\": \"wifi passwd is #\"}",
            ),
            ("passcode 4921aa, then enter", "passcode #, then enter"),
        ]);
        for kept in [
            "the password field is required",
            "password is 8 characters long",
            "reset your password via /settings/security",
            "password is incorrect; try again",
            "password policy v2 applies",
            "password is field_name here",
            "password is $DB_PASSWORD",
            "password https://vault.example/x",
        ] {
            assert_eq!(clean(kept), kept);
        }
    }

    #[test]
    fn many_gated_words_without_their_command_take_one_pass() {
        for unit in ["x -u a:b ", "login a password b ", "sshpass -x -p "] {
            let text = unit.repeat((1 << 20) / unit.len());
            let started = std::time::Instant::now();
            clean(&text);
            let took = started.elapsed();
            assert!(took.as_secs() < 5, "{unit:?}: {took:?}");
        }
    }

    /// The passes over keys in other scripts, characters that draw nothing
    /// and shapes without a prefix stay linear at the 1 MiB an input may
    /// hold, whatever repeats in it (a value never closed, a key after
    /// every word).
    #[test]
    fn keys_in_other_scripts_hidden_characters_and_shapes_take_one_pass() {
        for unit in [
            "пароль=\"",
            "ключ: ",
            "пароль: x ",
            "密码=密码 ",
            "pass\u{200B}word=\"",
            "a\u{200B}b=",
            "\\u{200b}",
            "&#8203;x",
            "bot123456789:AAE",
            "MTk4NjIyNDgzNDcxOTI1MjQ4.",
            "htpasswd -b ",
            "net user a ",
            "echo '",
            "echo x ",
            "sqlplus a/",
            "redis-cli AUTH ",
            "xfreerdp /p:",
            "('password', ",
            "$6$",
            "$2b$aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa ",
            "password is ",
            "password a1b2c3 ",
        ] {
            let text = unit.repeat((1 << 20) / unit.len());
            let started = std::time::Instant::now();
            clean(&text);
            let took = started.elapsed();
            assert!(took.as_secs() < 5, "{unit:?}: {took:?}");
        }
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
