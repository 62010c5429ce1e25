//! Where things start and end in a text's bytes: whitespace (real or
//! escaped), quotes (escaped or URL-encoded), separators, and the span of
//! a value.

/// Whether `b` is whitespace that may follow an authorization scheme.
pub(super) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// The length of the whitespace at `at`: a space, tab or line end, or one
/// written as an escape (`\n`, `\t`, `\r` in JSON inside a string, with
/// a backslash more for each level of nesting); 0 if none.
pub(super) fn space_at(bytes: &[u8], at: usize) -> usize {
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
pub(super) fn skip_spaces(bytes: &[u8], mut at: usize) -> usize {
    loop {
        match space_at(bytes, at) {
            0 => return at,
            n => at += n,
        }
    }
}

/// The first position at or after `at` whose byte does not pass `test`.
pub(super) fn skip(bytes: &[u8], at: usize, test: impl Fn(u8) -> bool) -> usize {
    bytes[at..]
        .iter()
        .position(|b| !test(*b))
        .map_or(bytes.len(), |len| at + len)
}

/// The quotes a key or value may be written in: a run of backslashes (JSON
/// inside a string) before `"`, `'` or `` ` ``, or URL-encoded. Returns its length.
pub(super) fn quote_at(bytes: &[u8], at: usize) -> Option<usize> {
    let slashes = skip(bytes, at, |b| b == b'\\') - at;
    match bytes.get(at + slashes) {
        Some(b'"' | b'\'' | b'`') => Some(slashes + 1),
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
#[inline(always)]
pub(super) fn separator(bytes: &[u8], end: usize) -> Option<usize> {
    // Most words are followed by a space and another word, or punctuation
    // that cannot start a separator: ruled out in a load or two.
    let mut next = end;
    while matches!(bytes.get(next), Some(b' ' | b'\t')) {
        next += 1;
    }
    match bytes.get(next) {
        Some(b'=' | b':' | b'"' | b'\'' | b'`' | b'\\' | b'%') => separator_at(bytes, end),
        _ => None,
    }
}

/// Where the value starts when the quoted key `start..end` is the first of
/// two quoted arguments of a call: `define('DB_PASSWORD', 'x')`,
/// `setenv("API_TOKEN", "x")`. Not a list (`["password", "email"]`).
pub(super) fn call_pair(bytes: &[u8], start: usize, end: usize) -> Option<usize> {
    let quote = *bytes.get(end)?;
    if !matches!(quote, b'"' | b'\'') || start == 0 || bytes[start - 1] != quote {
        return None;
    }
    let open = bytes[..start - 1]
        .iter()
        .rposition(|b| !matches!(b, b' ' | b'\t'))?;
    let comma = skip(bytes, end + 1, |b| b == b' ' || b == b'\t');
    if bytes[open] != b'(' || bytes.get(comma) != Some(&b',') {
        return None;
    }
    let value = skip(bytes, comma + 1, |b| b == b' ' || b == b'\t');
    matches!(bytes.get(value), Some(b'"' | b'\'')).then_some(value)
}

/// [`separator`] past its filter.
#[inline(never)]
pub(super) fn separator_at(bytes: &[u8], end: usize) -> Option<usize> {
    let mut at = end;
    if let Some(len) = quote_at(bytes, at) {
        at += len;
        // A subscript: `config["password"] = "x"`, `os.environ['API_TOKEN'] = x`.
        if bytes.get(at) == Some(&b']') {
            at += 1;
        }
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
pub(super) fn value_span(
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
        None => (at, unquoted_end(bytes, at)),
    };
    (to > from).then_some((from, to))
}

/// The end of a header's value starting at `at`: the end of the line (or an
/// escaped `\n` / `\r`), or the quote that opened before its key, as
/// escaped as it was (`quote`: its backslashes and quote character).
pub(super) fn line_end(bytes: &[u8], at: usize, quote: Option<(usize, u8)>) -> usize {
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
pub(super) fn closing_quote(bytes: &[u8], from: usize, quote: &[u8]) -> usize {
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

/// The end of an unquoted value starting at `at`: a token ([`token_end`]);
/// one that opens a brace goes on past the braces it closes when more
/// follows (`{noop}x`, Spring's stored password; `{SSHA}x`), so the value is
/// not taken for a template such as `{token}` or `${VAR}`.
fn unquoted_end(bytes: &[u8], at: usize) -> usize {
    let to = token_end(bytes, at);
    let braced = bytes[at..].starts_with(b"{") || bytes[at..].starts_with(b"${");
    if !braced || bytes.get(to) != Some(&b'}') {
        return to;
    }
    let after = skip(bytes, to, |b| b == b'}');
    let rest = token_end(bytes, after);
    if rest > after { rest } else { to }
}

/// The end of an unquoted value starting at `start`: whitespace, a quote, a
/// backslash, or a separator that ends a value in headers, query strings
/// (`&`, or `%26` URL-encoded) and JSON.
pub(super) fn token_end(bytes: &[u8], start: usize) -> usize {
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
