//! The two API routes the console needs beyond `recent` and `stats`, behind
//! the same bearer tokens:
//!
//! | route | auth | answer |
//! |---|---|---|
//! | `GET /api/whoami` | token | `{"access": "admin"}` or `{"access": "user", "user": NAME}` |
//! | `GET /api/audit/verify` | admin token | the [`VerifyReport`] JSON, with `ok` and `lines` |
//!
//! Neither takes a parameter (400 naming one). `verify` checks every log, as
//! `auditlog verify` does without options: `ok` says whether every chain held,
//! and `lines` says what it found in `auditlog verify`'s words — the count
//! and the legacy lines, or where verification failed and why.

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::http::header::HeaderMap;
use axum::response::Response;
use axum::routing::get;

use super::super::auth::{Access, authenticate};
use super::super::params::decode_query;
use super::super::{ApiError, AppState, blocking, json};

/// Adds `/api/whoami` and `/api/audit/verify` to `router`.
pub(in super::super) fn routes(router: Router<AppState>) -> Router<AppState> {
    router
        .route("/api/whoami", get(whoami))
        .route("/api/audit/verify", get(verify))
}

/// Refuses any query parameter, naming the first.
fn no_parameters(query: Option<&str>) -> Result<(), ApiError> {
    decode_query(query, &[]).map(|_| ())
}

async fn whoami(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let access = authenticate(&headers, &state.tokens)?;
    no_parameters(query.as_deref())?;
    let body = match access {
        Access::Admin => serde_json::json!({ "access": "admin" }),
        Access::User(user) => serde_json::json!({ "access": "user", "user": user }),
    };
    Ok(json(StatusCode::OK, body.to_string()))
}

async fn verify(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let access = authenticate(&headers, &state.tokens)?;
    if let Access::User(own) = access {
        return Err(ApiError::forbidden(format!(
            "this token reads only user {own:?}'s tool log; verify needs the admin token"
        )));
    }
    no_parameters(query.as_deref())?;
    let report = blocking(&state.log, |log| log.verify(None, &[])).await?;
    let mut body = serde_json::to_value(&report).expect("a report serialises");
    body["ok"] = report.problem.is_none().into();
    body["lines"] = report.lines().into();
    Ok(json(StatusCode::OK, body.to_string()))
}
