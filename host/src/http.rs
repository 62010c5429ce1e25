//! The HTTP admin API: the `recent` and `stats` queries of an [`AuditLog`],
//! read-only, as JSON over HTTP/1.1, behind bearer tokens.
//!
//! | route | auth | answer |
//! |---|---|---|
//! | `GET /api/audit/recent` | token | `{"entries": [...], "next_cursor": "..." \| null}` |
//! | `GET /api/audit/stats` | token | the [`Stats`] JSON |
//! | `GET /healthz` | none | `{"status": "ok"}` |
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
//!
//! Errors are `{"error": "..."}`: 400 for a refused parameter (the message
//! starts with the parameter's name) or a malformed request, 401 without a
//! valid token, 403 for a log the token may not read, 404 and 405 for other
//! routes and methods, 408, 414, 431 and 503 for requests too slow or too
//! large and connections beyond the cap (see [`serve`]), 500 when reading
//! the log failed.
//!
//! ```no_run
//! use std::sync::Arc;
//! use auditlog::AuditLog;
//! use auditlog::http::{self, Tokens};
//!
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! let log = Arc::new(AuditLog::open("./audit")?);
//! let tokens = Tokens::new("admin-secret")?.with_user("alice", "alice-secret")?;
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

use crate::bindings::audit::log::types::Query;
use crate::error::{Error, Result};
use crate::log::AuditLog;
use crate::select::Selection;

mod connections;
mod slots;

pub use connections::{Limits, MAX_HEAD_BYTES, MAX_HEADERS, MAX_REQUEST_LINE_BYTES};

#[cfg(doc)]
use crate::log::Stats;

/// The value of the `user` parameter that selects every user's tool log.
pub const ALL_USERS: &str = "all";

/// Who may read what: the admin token, and one token per user.
///
/// A token is 1 to 4096 visible ASCII characters (no spaces), so that it can
/// be sent in an `Authorization` header as it is. `Debug` shows the user
/// names, never the tokens.
#[derive(Clone)]
pub struct Tokens {
    admin: String,
    users: BTreeMap<String, String>,
}

impl Tokens {
    /// Tokens with `admin` as the admin token, which reads every log, and no
    /// user tokens.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming `admin token` if it is empty, too long, or
    /// holds anything but visible ASCII characters.
    pub fn new(admin: impl Into<String>) -> Result<Self> {
        let admin = admin.into();
        check_token(&admin).map_err(|reason| Error::invalid("admin token", reason))?;
        Ok(Self {
            admin,
            users: BTreeMap::new(),
        })
    }

    /// Adds `token` as `user`'s token, which reads only `user`'s tool log.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming `user token` if the token is malformed (as
    /// for [`Tokens::new`]), is the admin token or another user's, or if
    /// `user` is not a valid user name (`all`, which names every user, among
    /// them) or already has one.
    pub fn with_user(mut self, user: impl Into<String>, token: impl Into<String>) -> Result<Self> {
        let (user, token) = (user.into(), token.into());
        let refuse = |reason: String| Err(Error::invalid("user token", reason));
        // The component's rule for user names, `all` (every user) refused among them.
        if let Err(error) = auditlog_guest::validate::user(&user) {
            return refuse(format!("user {user:?} cannot have a token: {error}"));
        }
        if self.users.contains_key(&user) {
            return refuse(format!("user {user:?} has more than one token"));
        }
        if let Err(reason) = check_token(&token) {
            return refuse(format!("user {user:?}'s token {reason}"));
        }
        if bool::from(token.as_bytes().ct_eq(self.admin.as_bytes())) {
            return refuse(format!("user {user:?}'s token is the admin token"));
        }
        if let Some(other) = self.user_of(&token) {
            return refuse(format!("users {other:?} and {user:?} have the same token"));
        }
        self.users.insert(user, token);
        Ok(self)
    }

    /// The users that have a token, in order.
    pub fn users(&self) -> impl Iterator<Item = &str> {
        self.users.keys().map(String::as_str)
    }

    /// What `presented` grants, comparing it with every token in constant time.
    fn access(&self, presented: &str) -> Option<Access> {
        let presented = presented.as_bytes();
        let admin = bool::from(self.admin.as_bytes().ct_eq(presented));
        let user = self.user_of_bytes(presented);
        match (admin, user) {
            (true, _) => Some(Access::Admin),
            (false, Some(user)) => Some(Access::User(user.to_owned())),
            (false, None) => None,
        }
    }

    fn user_of(&self, token: &str) -> Option<&str> {
        self.user_of_bytes(token.as_bytes())
    }

    /// The user whose token is `presented`; every token is compared, so the
    /// time taken does not depend on which one (if any) matches.
    fn user_of_bytes(&self, presented: &[u8]) -> Option<&str> {
        let mut found = None;
        for (user, token) in &self.users {
            if bool::from(token.as_bytes().ct_eq(presented)) {
                found = Some(user.as_str());
            }
        }
        found
    }
}

impl fmt::Debug for Tokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tokens")
            .field("admin", &"<redacted>")
            .field("users", &self.users.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// Why `token` cannot be used, if it cannot.
fn check_token(token: &str) -> Result<(), &'static str> {
    if token.is_empty() {
        Err("is empty")
    } else if token.len() > 4096 {
        Err("is longer than 4096 characters")
    } else if !token.bytes().all(|b| b.is_ascii_graphic()) {
        Err("must be visible ASCII characters only (no spaces or control characters)")
    } else {
        Ok(())
    }
}

/// What a request's token grants.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Access {
    /// Every log.
    Admin,
    /// This user's tool log only.
    User(String),
}

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
    Router::new()
        .route("/api/audit/recent", get(recent))
        .route("/api/audit/stats", get(stats))
        .route("/healthz", get(healthz))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
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

/// The body of every error answer: `{"error": message}`.
fn error_body(message: &str) -> String {
    serde_json::json!({ "error": message }).to_string()
}

/// An error answer: `{"error": message}` with a status code.
#[derive(Debug)]
struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    fn bad_request(field: &str, reason: impl fmt::Display) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            message: format!("{field}: {reason}"),
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

/// The access the request's bearer token grants.
fn authenticate(headers: &HeaderMap, tokens: &Tokens) -> Result<Access, ApiError> {
    const MISSING: &str = "missing token: send Authorization: Bearer <token>";
    const WRONG: &str = "invalid token";
    let value = headers
        .get(header::AUTHORIZATION)
        .ok_or_else(|| ApiError::unauthorized(MISSING))?;
    let value = value.to_str().map_err(|_| ApiError::unauthorized(WRONG))?;
    let (scheme, token) = value
        .trim()
        .split_once(' ')
        .ok_or_else(|| ApiError::unauthorized(MISSING))?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(ApiError::unauthorized(MISSING));
    }
    tokens
        .access(token.trim())
        .ok_or_else(|| ApiError::unauthorized(WRONG))
}

/// Refuses a selection beyond what `access` may read.
fn authorize(access: &Access, selection: &Selection) -> Result<(), ApiError> {
    let Access::User(own) = access else {
        return Ok(());
    };
    let other = selection.skills
        || selection.all_users
        || selection.user.as_ref().is_some_and(|user| user != own);
    if other {
        return Err(ApiError::forbidden(format!(
            "this token reads only user {own:?}'s tool log (user={own})"
        )));
    }
    Ok(())
}

/// Which route the parameters are for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Endpoint {
    Recent,
    Stats,
}

const PARAMETERS: &[&str] = &[
    "user", "skills", "tool", "skill", "status", "since", "until", "days", "limit", "cursor",
];

/// A request's query parameters, checked.
#[derive(Debug, Default)]
struct Params {
    selection: Selection,
    limit: Option<u32>,
    cursor: Option<String>,
}

impl Params {
    fn parse(pairs: Vec<(String, String)>, endpoint: Endpoint) -> Result<Self, ApiError> {
        let mut seen: Vec<&'static str> = Vec::new();
        let mut params = Self::default();
        let selection = &mut params.selection;
        for (name, value) in pairs {
            let Some(&known) = PARAMETERS.iter().find(|p| **p == name) else {
                return Err(ApiError::bad_request(
                    &name,
                    format!(
                        "unknown parameter; expected one of {}",
                        PARAMETERS.join(", ")
                    ),
                ));
            };
            if seen.contains(&known) {
                return Err(ApiError::bad_request(known, "is given more than once"));
            }
            seen.push(known);
            match known {
                "user" if value == ALL_USERS => selection.all_users = true,
                "user" => selection.user = Some(value),
                "skills" => {
                    selection.skills = match value.as_str() {
                        "true" => true,
                        "false" => false,
                        _ => {
                            return Err(ApiError::bad_request(
                                known,
                                format!("must be true or false, got {value:?}"),
                            ));
                        }
                    }
                }
                "tool" => selection.tool = Some(value),
                "skill" => selection.skill = Some(value),
                "status" => selection.status = Some(value),
                "since" => selection.since = Some(value),
                "until" => selection.until = Some(value),
                "days" => selection.days = Some(number(known, &value)?),
                "limit" | "cursor" if endpoint == Endpoint::Stats => {
                    return Err(ApiError::bad_request(
                        known,
                        "applies to /api/audit/recent only",
                    ));
                }
                "limit" => params.limit = Some(number(known, &value)?),
                _ => params.cursor = Some(value),
            }
        }
        Ok(params)
    }

    /// The selection's filter, once the token may read it.
    fn filter(&self, access: &Access) -> Result<crate::Filter, ApiError> {
        authorize(access, &self.selection)?;
        let selection = &self.selection;
        let user = selection.user.is_some() || selection.all_users;
        if selection.skills && user {
            return Err(ApiError::bad_request(
                "skills",
                "cannot be combined with user",
            ));
        }
        if !selection.skills && !user {
            return Err(ApiError::bad_request(
                "user",
                format!("name a log: user=NAME, user={ALL_USERS}, or skills=true"),
            ));
        }
        Ok(selection.filter()?)
    }
}

/// A parameter's value as a whole number.
fn number(field: &str, value: &str) -> Result<u32, ApiError> {
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError::bad_request(
            field,
            format!("must be a whole number, got {value:?}"),
        ));
    }
    value
        .parse()
        .map_err(|_| ApiError::bad_request(field, format!("is too large, got {value}")))
}

/// The query string's parameters, decoded as a form (`+` is a space, `%XX`
/// a byte), or a 400 naming the parameter whose value is not UTF-8 once
/// decoded. (Axum's `Query` would turn such bytes into U+FFFD and quietly
/// read another name.)
fn decode_query(raw: Option<&str>) -> Result<Vec<(String, String)>, ApiError> {
    raw.unwrap_or_default()
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let name = form_decode(name).ok_or_else(|| {
                ApiError::bad_request("query", "a parameter name is not UTF-8 once decoded")
            })?;
            let value = form_decode(value)
                .ok_or_else(|| ApiError::bad_request(&name, "is not UTF-8 once decoded"))?;
            Ok((name, value))
        })
        .collect()
}

/// `text` with `+` as a space and each `%XX` as the byte XX (a `%` without
/// two hex digits is kept), if that is UTF-8.
fn form_decode(text: &str) -> Option<String> {
    let input = text.as_bytes();
    let mut bytes = Vec::with_capacity(input.len());
    let mut i = 0;
    while let Some(&byte) = input.get(i) {
        let escaped = input
            .get(i + 1..i + 3)
            .filter(|hex| byte == b'%' && hex.iter().all(u8::is_ascii_hexdigit))
            .and_then(|hex| u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok());
        match (byte, escaped) {
            (_, Some(decoded)) => {
                bytes.push(decoded);
                i += 3;
            }
            (b'+', None) => {
                bytes.push(b' ');
                i += 1;
            }
            (other, None) => {
                bytes.push(other);
                i += 1;
            }
        }
    }
    String::from_utf8(bytes).ok()
}

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
    let params = Params::parse(decode_query(query.as_deref())?, Endpoint::Recent)?;
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
    let params = Params::parse(decode_query(query.as_deref())?, Endpoint::Stats)?;
    let filter = params.filter(&access)?;
    let stats = blocking(&state.log, move |log| log.stats(&filter)).await?;
    let body = serde_json::to_string(&stats).expect("stats always serialise");
    Ok(json(StatusCode::OK, body))
}

async fn healthz() -> Response {
    json(StatusCode::OK, r#"{"status":"ok"}"#.to_owned())
}

async fn not_found(uri: Uri) -> ApiError {
    ApiError {
        status: StatusCode::NOT_FOUND,
        message: format!(
            "no such route: {}; the routes are /api/audit/recent, /api/audit/stats and /healthz",
            uri.path()
        ),
    }
}

async fn method_not_allowed(method: Method) -> ApiError {
    ApiError {
        status: StatusCode::METHOD_NOT_ALLOWED,
        message: format!("method {method} is not allowed: the API is read-only (GET)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(query: &str) -> Vec<(String, String)> {
        query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (k.to_owned(), v.to_owned())
            })
            .collect()
    }

    fn refused(query: &str, endpoint: Endpoint) -> String {
        let error = Params::parse(pairs(query), endpoint)
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
            "limit: is too large, got 99999999999"
        );
        assert!(refused("user=a&frob=1", Endpoint::Recent).starts_with("frob: unknown parameter"));
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
        let decoded = decode_query(Some(
            "user=a%2Fb+c&&tool=%41%zz%4&since=2025-10-23T12%3A00%3A00%2B02%3A00&cursor",
        ))
        .unwrap();
        let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
            list.iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
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
        assert_eq!(decode_query(None).unwrap(), pairs(&[]));
        assert_eq!(
            decode_query(Some("user=%C3%A9")).unwrap(),
            pairs(&[("user", "é")])
        );
        let bad_value = decode_query(Some("user=all&tool=%FF")).unwrap_err();
        assert_eq!(bad_value.status, StatusCode::BAD_REQUEST);
        assert_eq!(bad_value.message, "tool: is not UTF-8 once decoded");
        let bad_name = decode_query(Some("%C3=1")).unwrap_err();
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
        let tokens = Tokens::new("admin-tok")
            .unwrap()
            .with_user("alice", "tok-a")
            .unwrap();
        assert_eq!(tokens.access("admin-tok"), Some(Access::Admin));
        assert_eq!(tokens.access("tok-a"), Some(Access::User("alice".into())));
        assert_eq!(tokens.access("tok-"), None);
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
        let tokens = Tokens::new("admin")
            .unwrap()
            .with_user("alice", "tok-a")
            .unwrap();
        assert!(
            tokens
                .clone()
                .with_user("bob", "admin")
                .unwrap_err()
                .to_string()
                .contains("admin token")
        );
        assert!(
            tokens
                .clone()
                .with_user("bob", "tok-a")
                .unwrap_err()
                .to_string()
                .contains("same token")
        );
        assert!(tokens.clone().with_user("all", "tok-x").is_err());
        assert!(tokens.clone().with_user("", "tok-x").is_err());
        assert!(tokens.with_user("bob", "").is_err());
    }

    #[test]
    fn bearer_tokens_are_read_from_the_header() {
        let tokens = Tokens::new("admin-tok").unwrap();
        let with = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::AUTHORIZATION, HeaderValue::from_str(value).unwrap());
            authenticate(&headers, &tokens).map_err(|e| e.status)
        };
        assert_eq!(with("Bearer admin-tok"), Ok(Access::Admin));
        assert_eq!(with("bearer  admin-tok "), Ok(Access::Admin));
        assert_eq!(with("Bearer wrong"), Err(StatusCode::UNAUTHORIZED));
        assert_eq!(with("Basic admin-tok"), Err(StatusCode::UNAUTHORIZED));
        assert_eq!(with("admin-tok"), Err(StatusCode::UNAUTHORIZED));
        assert_eq!(
            authenticate(&HeaderMap::new(), &tokens).map_err(|e| e.status),
            Err(StatusCode::UNAUTHORIZED)
        );
    }
}
