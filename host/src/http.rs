//! The HTTP admin API: the `recent` and `stats` queries of an [`AuditLog`],
//! read-only, as JSON over HTTP/1.1, behind bearer tokens.
//!
//! | route | auth | answer |
//! |---|---|---|
//! | `GET /api/audit/recent` | token | `{"entries": [...], "next_cursor": "..." \| null}` |
//! | `GET /api/audit/stats` | token | the [`Stats`] JSON |
//! | `GET /api/whoami` | token | who the token is (see [`console`]) |
//! | `GET /api/audit/verify` | admin token | `verify`'s report (see [`console`]) |
//! | `GET /healthz` | none | `{"status": "ok"}` |
//! | `GET /` | none | the admin console, a web page over these routes (see [`console`]) |
//!
//! Both API routes take the selection as query parameters, with the same
//! rules as the command line's options (see [`Selection`]): `user=NAME`,
//! `user=all` or `skills=true` names the log; `tool`, `skill`, `status`,
//! `since`, `until` and `days` pick entries (with neither `since` nor `days`,
//! a tool log's last 7 days, and every retained entry of the skill log);
//! `limit` and `cursor` (recent only) page. An entry is the JSON text stored in the log, as `auditlog recent
//! --format json` prints it.
//!
//! Every request to the API carries `Authorization: Bearer <token>`. The admin
//! token reads every log; a user's token reads only that user's tool log
//! (`user=<own name>`). Tokens are compared in constant time and never logged.
//! As RFC 9112 §3.2 requires, a request carries at most one `Host` header,
//! a valid one, and an HTTP/1.1 request must carry it; any other gets 400
//! on every route (`http/host.rs`).
//!
//! Errors are `{"error": "..."}`: 400 for a refused parameter (the message
//! starts with the parameter's name, or with `query` for a name the route
//! does not know) or a malformed request, 401 without a
//! valid token, 403 for a log the token may not read, 404 and 405 for other
//! routes and methods, 408, 414, 431 and 503 for requests too slow or too
//! large and connections beyond the cap (see [`serve`]), 500 when reading
//! the log failed.
//!
//! Text of the client's that an error quotes (a value, an unknown name, a
//! route) is quoted by the one rule of every refusal,
//! [`auditlog_model::invisible::refused`].
//!
//! Every answer says `X-Content-Type-Options: nosniff`, `Referrer-Policy:
//! no-referrer` and a Content-Security-Policy with `frame-ancestors 'none'`
//! (`http/headers.rs`).
//!
//! ```no_run
//! use std::sync::Arc;
//! use auditlog::AuditLog;
//! use auditlog::http::{self, Tokens};
//!
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! let log = Arc::new(AuditLog::open("./audit")?);
//! let tokens = Tokens::new("admin-secret-0123")?.with_user("alice", "alice-secret-0123")?;
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! let limits = http::Limits::default();
//! http::serve(listener, http::router(log, tokens), limits, std::future::pending()).await?;
//! # Ok(())
//! # }
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::sync::Arc;

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use subtle::ConstantTimeEq;

use crate::error::{Error, Result};
use crate::log::AuditLog;
use crate::{Query, Selection};

mod auth;
mod connections;
pub mod console;
mod headers;
mod host;
mod params;
mod slots;

use auth::{Access, authenticate, authorize};
pub use auth::{MIN_TOKEN_CHARS, Tokens};
use params::{Endpoint, Params, decode_query};

pub use connections::{Limits, MAX_HEAD_BYTES, MAX_HEADERS, MAX_REQUEST_LINE_BYTES};

#[cfg(doc)]
use crate::Stats;

/// The value of the `user` parameter that selects every user's tool log.
pub const ALL_USERS: &str = "all";

#[derive(Clone)]
struct AppState {
    log: Arc<AuditLog>,
    tokens: Arc<Tokens>,
}

/// The API's routes over `log`, guarded by `tokens`.
///
/// Calls on the log block (they run the component), so each runs on Tokio's
/// blocking thread pool; `log` is shared by every request.
pub fn router(log: Arc<AuditLog>, tokens: Tokens) -> Router {
    let state = AppState {
        log,
        tokens: Arc::new(tokens),
    };
    let api = Router::new()
        .route("/api/audit/recent", get(recent))
        .route("/api/audit/stats", get(stats))
        .route("/healthz", get(healthz));
    console::routes(api)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn(host::require))
        .layer(axum::middleware::map_response(headers::secure))
        .with_state(state)
}

/// Serves `router` on `listener` within `limits` until `shutdown`
/// completes, then lets the requests in flight finish.
///
/// Each connection carries one request (answers say `connection: close`),
/// so no idle connection is kept open. A request head that is too large
/// (414, 431), malformed or announces a body (400), or does not arrive within
/// [`Limits::header_timeout`] (408) is answered with the API's JSON error
/// body; a connection beyond [`Limits::max_connections`] gets 503.
///
/// # Errors
/// None in practice: failed connections are dropped.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    connections::serve(listener, router, limits, shutdown).await
}

/// The body of every error answer: `{"error": message}`, the message
/// redacted as the component's refusals are (it may quote what the client
/// sent: a path, a parameter, a header's name).
fn error_body(message: &str) -> String {
    serde_json::json!({ "error": auditlog_guest::redact_message(message) }).to_string()
}

/// An error answer: `{"error": message}` with a status code.
#[derive(Debug)]
struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    /// A refused parameter (the message, which quotes what was refused, is
    /// redacted in [`error_body`]).
    fn bad_request(field: &str, reason: impl fmt::Display) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            message: format!("{field}: {reason}"),
        }
    }

    /// A header the request may carry once, carried more than once.
    fn repeated_header(name: &'static str) -> Self {
        Self::bad_header(
            name,
            "is given more than once; send it once (which one counts would be a guess)",
        )
    }

    /// A header refused for `reason` (`headers: NAME REASON`). No value is
    /// quoted (one may be a token), so nothing is left to redact: the
    /// reason stays readable.
    fn bad_header(name: &'static str, reason: &'static str) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            message: format!("headers: {name} {reason}"),
        }
    }

    fn unauthorized(message: &str) -> Self {
        Self {
            status: StatusCode::UNAUTHORIZED,
            message: message.to_owned(),
        }
    }

    fn forbidden(message: String) -> Self {
        Self {
            status: StatusCode::FORBIDDEN,
            message,
        }
    }

    fn internal(message: String) -> Self {
        Self {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message,
        }
    }
}

impl From<Error> for ApiError {
    fn from(error: Error) -> Self {
        Self {
            status: if error.is_invalid_input() {
                StatusCode::BAD_REQUEST
            } else {
                StatusCode::INTERNAL_SERVER_ERROR
            },
            message: error.to_string(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = json(self.status, error_body(&self.message));
        match self.status {
            StatusCode::UNAUTHORIZED => {
                response.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"auditlog\""),
                );
            }
            StatusCode::METHOD_NOT_ALLOWED => {
                response
                    .headers_mut()
                    .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
            }
            _ => {}
        }
        response
    }
}

/// A JSON answer that no cache keeps (it holds audit entries).
fn json(status: StatusCode, body: String) -> Response {
    (
        status,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response()
}

const PARAMETERS: &[&str] = &[
    "user", "skills", "tool", "skill", "status", "since", "until", "days", "limit", "cursor",
];

/// Runs `f` on the log on the blocking thread pool.
async fn blocking<T: Send + 'static>(
    log: &Arc<AuditLog>,
    f: impl FnOnce(&AuditLog) -> Result<T> + Send + 'static,
) -> Result<T, ApiError> {
    let log = Arc::clone(log);
    tokio::task::spawn_blocking(move || f(&log))
        .await
        .map_err(|e| ApiError::internal(format!("the request failed: {e}")))?
        .map_err(ApiError::from)
}

async fn recent(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let access = authenticate(&headers, &state.tokens)?;
    let params = Params::parse(
        decode_query(query.as_deref(), PARAMETERS)?,
        Endpoint::Recent,
    )?;
    let query = Query {
        filter: params.filter(&access)?,
        limit: params.limit,
        cursor: params.cursor,
    };
    let body = blocking(&state.log, move |log| {
        let page = log.recent_json(&query)?;
        // The entries go out as stored; make sure the answer is JSON.
        for entry in &page.entries {
            serde_json::from_str::<serde::de::IgnoredAny>(entry).map_err(|e| {
                Error::Corrupt(format!(
                    "the component returned an entry that is not JSON: {e}"
                ))
            })?;
        }
        let cursor = serde_json::to_string(&page.next_cursor).expect("a cursor serialises");
        Ok(format!(
            "{{\"entries\":[{}],\"next_cursor\":{cursor}}}",
            page.entries.join(",")
        ))
    })
    .await?;
    Ok(json(StatusCode::OK, body))
}

async fn stats(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let access = authenticate(&headers, &state.tokens)?;
    let params = Params::parse(decode_query(query.as_deref(), PARAMETERS)?, Endpoint::Stats)?;
    let filter = params.filter(&access)?;
    let stats = blocking(&state.log, move |log| log.stats(&filter)).await?;
    let body = serde_json::to_string(&stats).expect("stats always serialise");
    Ok(json(StatusCode::OK, body))
}

async fn healthz() -> Response {
    json(StatusCode::OK, r#"{"status":"ok"}"#.to_owned())
}

async fn not_found(uri: Uri) -> ApiError {
    // Quoted as the client meant it, percent-decoded, so that redaction
    // sees `password=…` in `/x%20password%3D…`.
    let path = params::form_decode(uri.path()).unwrap_or_else(|| uri.path().to_owned());
    ApiError {
        status: StatusCode::NOT_FOUND,
        message: format!(
            "no such route: {}; the routes are /api/audit/recent, /api/audit/stats, \
             /api/audit/verify, /api/whoami, /healthz and the console at /",
            auditlog_model::invisible::refused(&path)
        ),
    }
}

async fn method_not_allowed(method: Method) -> ApiError {
    ApiError {
        status: StatusCode::METHOD_NOT_ALLOWED,
        message: format!(
            "method {} is not allowed: the API is read-only (GET)",
            auditlog_model::invisible::refused(method.as_str())
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(query: &str) -> Vec<(&'static str, String)> {
        decode_query(Some(query), PARAMETERS).unwrap()
    }

    fn refused(query: &str, endpoint: Endpoint) -> String {
        let error = decode_query(Some(query), PARAMETERS)
            .and_then(|pairs| Params::parse(pairs, endpoint))
            .and_then(|p| p.filter(&Access::Admin))
            .unwrap_err();
        assert_eq!(error.status, StatusCode::BAD_REQUEST, "{error:?}");
        error.message
    }

    #[test]
    fn parameters_map_onto_a_selection() {
        let params = Params::parse(
            pairs("user=all&tool=t&status=ok&days=2&limit=5&cursor=c"),
            Endpoint::Recent,
        )
        .unwrap();
        assert!(params.selection.all_users);
        assert_eq!(params.selection.user, None);
        assert_eq!(params.selection.tool.as_deref(), Some("t"));
        assert_eq!(params.selection.days, Some(2));
        assert_eq!(
            (params.limit, params.cursor.as_deref()),
            (Some(5), Some("c"))
        );
        let skills = Params::parse(pairs("skills=true&skill=s"), Endpoint::Stats).unwrap();
        assert!(skills.selection.skills);
        assert!(skills.filter(&Access::Admin).is_ok());
    }

    #[test]
    fn bad_parameters_are_named() {
        assert_eq!(
            refused("user=a&days=abc", Endpoint::Recent),
            "days: must be a whole number, got \"abc\""
        );
        assert_eq!(
            refused("user=a&limit=-1", Endpoint::Recent),
            "limit: must be a whole number, got \"-1\""
        );
        assert_eq!(
            refused("user=a&limit=99999999999", Endpoint::Recent),
            "limit: is too large, got \"99999999999\""
        );
        assert_eq!(
            refused(
                &format!("user=a&days={}", "9".repeat(60_000)),
                Endpoint::Recent
            ),
            // One word across the cut (a secret could be one): dropped whole.
            "days: is too large, got \"\"… (60000 characters)"
        );
        assert!(
            refused("user=a&frob=1", Endpoint::Recent)
                .starts_with("query: unknown parameter \"frob\"; expected one of user, ")
        );
        assert_eq!(
            refused("%E2%80%AEevil%1B%5B2J=1", Endpoint::Recent),
            "query: unknown parameter \"\\u{202e}evil\\u{1b}[2J\"; expected one of user, \
             skills, tool, skill, status, since, until, days, limit, cursor"
        );
        assert!(
            refused("user=a&limit=5", Endpoint::Stats)
                .starts_with("limit: applies to /api/audit/recent")
        );
        assert!(
            refused("user=a&user=b", Endpoint::Recent).starts_with("user: is given more than once")
        );
        assert!(
            refused("skills=yes", Endpoint::Recent).starts_with("skills: must be true or false")
        );
        assert!(
            refused("skills=true&user=a", Endpoint::Recent)
                .starts_with("skills: cannot be combined")
        );
        assert!(refused("", Endpoint::Recent).starts_with("user: name a log"));
        assert!(refused("skills=false", Endpoint::Recent).starts_with("user: name a log"));
        assert!(
            refused("skills=true&tool=t", Endpoint::Recent)
                .starts_with("tool: applies to tool logs")
        );
    }

    #[test]
    fn query_strings_are_decoded_as_forms_and_must_be_utf8() {
        let decode = |query| decode_query(query, PARAMETERS);
        let decoded = decode(Some(
            "user=a%2Fb+c&&tool=%41%zz%4&since=2025-10-23T12%3A00%3A00%2B02%3A00&cursor",
        ))
        .unwrap();
        let pairs = |list: &[(&'static str, &str)]| -> Vec<(&'static str, String)> {
            list.iter().map(|(k, v)| (*k, (*v).to_owned())).collect()
        };
        assert_eq!(
            decoded,
            pairs(&[
                ("user", "a/b c"),
                ("tool", "A%zz%4"),
                ("since", "2025-10-23T12:00:00+02:00"),
                ("cursor", ""),
            ])
        );
        assert_eq!(decode(None).unwrap(), pairs(&[]));
        assert_eq!(
            decode(Some("user=%C3%A9")).unwrap(),
            pairs(&[("user", "é")])
        );
        let bad_value = decode(Some("user=all&tool=%FF")).unwrap_err();
        assert_eq!(bad_value.status, StatusCode::BAD_REQUEST);
        assert_eq!(bad_value.message, "tool: is not UTF-8 once decoded");
        let bad_name = decode(Some("%C3=1")).unwrap_err();
        assert!(bad_name.message.starts_with("query: "), "{bad_name:?}");
    }

    #[test]
    fn a_user_token_reads_only_its_own_log() {
        let alice = Access::User("alice".into());
        let check = |query: &str| {
            Params::parse(pairs(query), Endpoint::Recent)
                .unwrap()
                .filter(&alice)
                .map_err(|e| e.status)
        };
        assert!(check("user=alice&tool=t").is_ok());
        assert_eq!(check("user=bob").unwrap_err(), StatusCode::FORBIDDEN);
        assert_eq!(check("user=all").unwrap_err(), StatusCode::FORBIDDEN);
        assert_eq!(check("skills=true").unwrap_err(), StatusCode::FORBIDDEN);
        assert_eq!(
            check("user=alice&skills=true").unwrap_err(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(check("").unwrap_err(), StatusCode::BAD_REQUEST);
    }

    #[test]
    fn tokens_grant_access() {
        let tokens = Tokens::new("admin-token-0123456")
            .unwrap()
            .with_user("alice", "alice-token-0123456")
            .unwrap();
        assert_eq!(tokens.access("admin-token-0123456"), Some(Access::Admin));
        assert_eq!(
            tokens.access("alice-token-0123456"),
            Some(Access::User("alice".into()))
        );
        assert_eq!(tokens.access("alice-token-012345"), None);
        assert_eq!(tokens.access(""), None);
        assert!(!format!("{tokens:?}").contains("tok"), "{tokens:?}");
        assert_eq!(tokens.users().collect::<Vec<_>>(), ["alice"]);
    }

    #[test]
    fn bad_tokens_are_refused() {
        assert!(
            Tokens::new("")
                .unwrap_err()
                .to_string()
                .contains("is empty")
        );
        assert!(Tokens::new("a b").is_err());
        assert!(
            Tokens::new("admin-tok")
                .unwrap_err()
                .to_string()
                .contains("shorter than 16 characters")
        );
        assert!(Tokens::new("0123456789abcdef").is_ok(), "16 is enough");
        let tokens = Tokens::new("admin-token-0123456")
            .unwrap()
            .with_user("alice", "alice-token-0123456")
            .unwrap();
        assert!(
            tokens
                .clone()
                .with_user("bob", "admin-token-0123456")
                .unwrap_err()
                .to_string()
                .contains("admin token")
        );
        assert!(
            tokens
                .clone()
                .with_user("bob", "alice-token-0123456")
                .unwrap_err()
                .to_string()
                .contains("same token")
        );
        assert!(
            tokens
                .clone()
                .with_user("all", "other-token-0123456")
                .is_err()
        );
        assert!(tokens.clone().with_user("", "other-token-0123456").is_err());
        assert!(tokens.with_user("bob", "").is_err());
    }

    #[test]
    fn bearer_tokens_are_read_from_the_header() {
        let tokens = Tokens::new("admin-token-0123456").unwrap();
        let with = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::AUTHORIZATION, HeaderValue::from_str(value).unwrap());
            authenticate(&headers, &tokens).map_err(|e| e.status)
        };
        assert_eq!(with("Bearer admin-token-0123456"), Ok(Access::Admin));
        assert_eq!(with("bearer  admin-token-0123456 "), Ok(Access::Admin));
        assert_eq!(with("Bearer wrong"), Err(StatusCode::UNAUTHORIZED));
        assert_eq!(
            with("Basic admin-token-0123456"),
            Err(StatusCode::UNAUTHORIZED)
        );
        assert_eq!(with("admin-token-0123456"), Err(StatusCode::UNAUTHORIZED));
        assert_eq!(
            authenticate(&HeaderMap::new(), &tokens).map_err(|e| e.status),
            Err(StatusCode::UNAUTHORIZED)
        );
        let mut twice = HeaderMap::new();
        for token in ["admin-token-0123456", "other-token-0123456"] {
            let value = HeaderValue::from_str(&format!("Bearer {token}")).unwrap();
            twice.append(header::AUTHORIZATION, value);
        }
        let refused = authenticate(&twice, &tokens).unwrap_err();
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            refused.message,
            "headers: Authorization is given more than once; send it once (which one counts \
             would be a guess)"
        );
    }
}
