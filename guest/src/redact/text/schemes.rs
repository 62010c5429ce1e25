//! HTTP authorization schemes: `Bearer` or `Basic` followed by a
//! credential, and the schemes an `Authorization` header's value may keep.

use super::*;

/// HTTP authorization schemes (the IANA registry's and common vendors'),
/// kept in sight before the credential they introduce.
pub(super) const AUTH_SCHEMES: [&str; 24] = [
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
pub(super) const PROSE_AFTER_SCHEME: [&str; 22] = [
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

/// Whether `word` is `Bearer` or `Basic`, in any case.
pub(super) fn is_scheme(word: &[u8]) -> bool {
    word.eq_ignore_ascii_case(b"bearer") || word.eq_ignore_ascii_case(b"basic")
}

impl Scan<'_> {
    /// `Bearer` or `Basic` (any case) ending at `end`, then whitespace and
    /// a credential that is not a word of prose.
    pub(super) fn scheme(&mut self, start: usize, end: usize) -> Option<usize> {
        if !is_scheme(&self.bytes[start..end]) {
            return None;
        }
        self.scheme_credential(end)
    }

    /// The credential after a scheme ending at `end`.
    #[inline(never)]
    pub(super) fn scheme_credential(&mut self, end: usize) -> Option<usize> {
        let from = skip_spaces(self.bytes, end);
        if matches!(self.bytes.get(from), Some(b'=' | b':')) {
            // `bearer = x`: a key and its separator, read as such.
            return None;
        }
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
}
