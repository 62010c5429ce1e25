//! The security headers every answer carries: the console's pages may load
//! only the server's own scripts and styles and be framed by no one; the
//! API's JSON may load nothing at all. No answer is sniffed as another type
//! or sends a referrer.

use axum::http::header::{self, HeaderName, HeaderValue};
use axum::response::Response;

/// The console's policy: its own scripts, styles, images and API only; no
/// inline script or style, no plugin, no `<base>`, no form posting, no framing.
pub(super) const CONSOLE_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self'; connect-src 'self'; object-src 'none'; \
     base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// The API's policy: a JSON answer opened as a page loads nothing and is
/// framed by no one.
pub(super) const API_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";

/// The headers of every answer, as `(name, value)` pairs; the
/// `Content-Security-Policy` is [`API_POLICY`] unless the answer set its own.
pub(super) const COMMON: &[(&str, &str)] = &[
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("x-frame-options", "DENY"),
    ("cross-origin-resource-policy", "same-origin"),
];

/// Adds the security headers to `response` (a response's own policy is kept).
pub(super) async fn secure(mut response: Response) -> Response {
    let headers = response.headers_mut();
    for (name, value) in COMMON {
        headers.insert(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
    }
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(API_POLICY));
    response
}

/// The same headers as lines of an HTTP/1.1 head (each ending `\r\n`), for
/// the answers written before hyper sees a request.
pub(super) fn head_lines() -> String {
    let mut lines = format!("content-security-policy: {API_POLICY}\r\n");
    for (name, value) in COMMON {
        lines.push_str(&format!("{name}: {value}\r\n"));
    }
    lines
}
