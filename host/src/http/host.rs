//! The `Host` header, as RFC 9112 §3.2 has a server check it: an HTTP/1.1
//! request without one, and any request with more than one or with one that
//! is not a host, gets 400 before any route sees it. Which host a request
//! with two (or a list) is for would be the server's guess, and a proxy in
//! front of it may guess otherwise.
//!
//! A refusal names the header and says why; it never quotes the value.

use axum::extract::Request;
use axum::http::header::{self, HeaderMap};
use axum::http::uri::Authority;
use axum::http::{HeaderValue, Version};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::ApiError;

/// Answers 400 to a request whose `Host` header is missing (HTTP/1.1),
/// repeated or not a host; passes any other on.
pub(super) async fn require(request: Request, next: Next) -> Response {
    match check(request.version(), request.headers()) {
        Ok(()) => next.run(request).await,
        Err(refusal) => refusal.into_response(),
    }
}

/// Why a request with `headers` cannot be served, if it cannot.
fn check(version: Version, headers: &HeaderMap) -> Result<(), ApiError> {
    let mut values = headers.get_all(header::HOST).iter();
    let Some(value) = values.next() else {
        if version == Version::HTTP_11 {
            return Err(ApiError::bad_header(
                "Host",
                "is missing; an HTTP/1.1 request must name the server it is for \
                 (Host: its name or address, and port)",
            ));
        }
        return Ok(());
    };
    if values.next().is_some() {
        return Err(ApiError::repeated_header("Host"));
    }
    if value.as_bytes().contains(&b',') {
        // A list is what two field lines make when merged (RFC 9110 §5.3).
        return Err(ApiError::bad_header(
            "Host",
            "holds a list; send one host (which one counts would be a guess)",
        ));
    }
    if !is_host(value) {
        return Err(ApiError::bad_header(
            "Host",
            "is not a host name or address with an optional port",
        ));
    }
    Ok(())
}

/// Whether `value` is `uri-host [":" port]` (RFC 9110 §7.2), or empty, as
/// a client sends it for a target without a host.
fn is_host(value: &HeaderValue) -> bool {
    let value = value.as_bytes();
    if value.is_empty() {
        return true;
    }
    let Ok(authority) = Authority::try_from(value) else {
        return false;
    };
    // An authority may start with user information; a host may not.
    if authority.as_str().contains('@') {
        return false;
    }
    let rest = &authority.as_str()[authority.host().len()..];
    match rest.strip_prefix(':') {
        Some(port) => port.bytes().all(|b| b.is_ascii_digit()),
        None => rest.is_empty(),
    }
}

#[cfg(test)]
mod tests {
    use axum::http::StatusCode;

    use super::*;

    fn refusal(version: Version, hosts: &[&[u8]]) -> Option<String> {
        let mut headers = HeaderMap::new();
        for host in hosts {
            headers.append(header::HOST, HeaderValue::from_bytes(host).unwrap());
        }
        check(version, &headers).err().map(|error| {
            assert_eq!(error.status, StatusCode::BAD_REQUEST);
            error.message
        })
    }

    #[test]
    fn one_host_is_served() {
        for host in [
            &b"127.0.0.1:8080"[..],
            b"localhost",
            b"audit.example.com",
            b"[::1]:8080",
            b"Example.COM:",
            b"",
        ] {
            assert_eq!(refusal(Version::HTTP_11, &[host]), None, "{host:?}");
            assert_eq!(refusal(Version::HTTP_10, &[host]), None, "{host:?}");
        }
        assert_eq!(refusal(Version::HTTP_10, &[]), None, "HTTP/1.0 needs none");
    }

    #[test]
    fn a_missing_repeated_or_invalid_host_is_refused_by_name() {
        assert_eq!(
            refusal(Version::HTTP_11, &[]).unwrap(),
            "headers: Host is missing; an HTTP/1.1 request must name the server it is for \
             (Host: its name or address, and port)"
        );
        for version in [Version::HTTP_10, Version::HTTP_11] {
            assert_eq!(
                refusal(version, &[b"a.example", b"b.example"]).unwrap(),
                "headers: Host is given more than once; send it once (which one counts \
                 would be a guess)"
            );
            assert_eq!(
                refusal(version, &[b"a.example", b"a.example"]).unwrap(),
                "headers: Host is given more than once; send it once (which one counts \
                 would be a guess)"
            );
            for list in [&b"a.example, b.example"[..], b"a.example,b.example", b","] {
                assert_eq!(
                    refusal(version, &[list]).unwrap(),
                    "headers: Host holds a list; send one host (which one counts would be \
                     a guess)"
                );
            }
            for bad in [
                &b"a b"[..],
                b"user@a.example",
                b"a.example:80x",
                b"a.example:80:81",
                b"[::1",
                b"a.example/path",
                b"a\t.example",
                b"caf\xc3\xa9.example",
            ] {
                let message = refusal(version, &[bad]).unwrap();
                assert_eq!(
                    message,
                    "headers: Host is not a host name or address with an optional port"
                );
            }
        }
    }
}
