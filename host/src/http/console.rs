//! The admin console: a web page at `/` over the API, served from files
//! compiled into the binary (`host/console/`), so it works offline and
//! air-gapped.
//!
//! The page signs in with a token kept in the tab's session storage and sends
//! it as `Authorization: Bearer` to the API; it never puts it in a URL. It
//! renders every stored value as text (`textContent`), under a
//! Content-Security-Policy that allows only these files' scripts and styles
//! (see `headers.rs`). Besides `recent` and `stats` it asks the two
//! routes of [`api`]: who a token is, and `verify`.

use axum::Router;
use axum::http::StatusCode;
use axum::http::header::{self, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::AppState;
use super::headers::CONSOLE_POLICY;

pub mod api;

/// The console's files: the path each is served at, its media type, and its
/// bytes.
const ASSETS: &[(&str, &str, &str)] = &[
    (
        "/",
        "text/html; charset=utf-8",
        include_str!("../../console/index.html"),
    ),
    (
        "/console/app.css",
        "text/css; charset=utf-8",
        include_str!("../../console/app.css"),
    ),
    (
        "/console/app.js",
        "text/javascript; charset=utf-8",
        include_str!("../../console/app.js"),
    ),
    (
        "/console/api.js",
        "text/javascript; charset=utf-8",
        include_str!("../../console/api.js"),
    ),
    (
        "/console/dom.js",
        "text/javascript; charset=utf-8",
        include_str!("../../console/dom.js"),
    ),
    (
        "/console/recent.js",
        "text/javascript; charset=utf-8",
        include_str!("../../console/recent.js"),
    ),
    (
        "/console/stats.js",
        "text/javascript; charset=utf-8",
        include_str!("../../console/stats.js"),
    ),
    (
        "/console/chart.js",
        "text/javascript; charset=utf-8",
        include_str!("../../console/chart.js"),
    ),
    (
        "/console/integrity.js",
        "text/javascript; charset=utf-8",
        include_str!("../../console/integrity.js"),
    ),
    (
        "/console/icon.svg",
        "image/svg+xml",
        include_str!("../../console/icon.svg"),
    ),
];

/// The console's routes: its page and files, and the API routes it needs
/// beyond `recent` and `stats`.
pub(super) fn routes(router: Router<AppState>) -> Router<AppState> {
    let router = ASSETS.iter().fold(router, |router, &(path, kind, body)| {
        router.route(path, get(move || async move { asset(kind, body) }))
    });
    api::routes(router)
}

/// One of the console's files, under the console's policy. It is revalidated
/// on each load (`no-cache`), so a new binary's console is never mixed with
/// an old one's.
fn asset(kind: &'static str, body: &'static str) -> Response {
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(kind)),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(CONSOLE_POLICY),
            ),
        ],
        body,
    )
        .into_response()
}
