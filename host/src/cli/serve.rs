//! `auditlog serve`: the HTTP admin API over the log directory.

use std::collections::BTreeMap;
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use auditlog::Error;
use auditlog::http::{self, Tokens};

use super::{Cli, Failure};

const AFTER_HELP: &str = "\
Routes (answers are JSON; errors are {\"error\": \"...\"} with the status code):
  GET /api/audit/recent   {\"entries\": [...], \"next_cursor\": \"...\" | null}, as `recent`
  GET /api/audit/stats    the JSON `stats --format json` prints
  GET /healthz            {\"status\": \"ok\"}, without a token

Query parameters, as the options of `recent` and `stats`: user=NAME, user=all or
skills=true names the log; tool, skill, status, since, until and days pick entries;
limit and cursor (recent only) page. A bad parameter gets 400 naming it.

Every API request sends `Authorization: Bearer TOKEN` (401 without a valid one).
The admin token reads every log; a user's token reads only user=<that user> (403
otherwise).

Token files:
  --admin-token-file   the token alone; surrounding whitespace is ignored
  --user-tokens-file   a JSON object of user name to token:
                       {\"alice\": \"tok-a\", \"bob\": \"tok-b\"}
A token is visible ASCII characters without spaces; keep the files private
(chmod 600). Tokens are compared in constant time and never logged.

The first line on stdout is `listening on http://ADDR` (with --listen 127.0.0.1:0,
the port that was picked). The server runs until SIGINT or SIGTERM. It speaks plain
HTTP: to serve beyond this machine, put a TLS proxy in front of it.

Examples:
  head -c 32 /dev/urandom | base64 > admin.token && chmod 600 admin.token
  auditlog serve --admin-token-file admin.token
  auditlog serve --listen 127.0.0.1:9000 --admin-token-file admin.token \\
      --user-tokens-file users.json
  curl -H \"Authorization: Bearer $(cat admin.token)\" \\
      'http://127.0.0.1:8080/api/audit/recent?user=all&tool=file_read&limit=20'
  curl -H \"Authorization: Bearer $(cat admin.token)\" \\
      'http://127.0.0.1:8080/api/audit/stats?skills=true&since=2025-10-01'";

/// Serve recent entries and stats read-only over HTTP as JSON, behind bearer tokens.
#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    /// Listen on this IP address and port (port 0 picks a free one).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// File holding the admin token, which reads every log.
    #[arg(long, value_name = "FILE")]
    admin_token_file: PathBuf,
    /// JSON file mapping user names to tokens that read only that user's tool log.
    #[arg(long, value_name = "FILE")]
    user_tokens_file: Option<PathBuf>,
}

pub fn run(cli: &Cli, args: &Args) -> Result<(), Failure> {
    let tokens = tokens(args)?;
    let log = Arc::new(cli.open(auditlog::AuditLogBuilder::read_only)?);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::other(format!("cannot start the server: {e}")))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .map_err(|e| Failure::other(format!("cannot listen on {}: {e}", args.listen)))?;
        let addr = listener
            .local_addr()
            .map_err(|e| Failure::other(format!("cannot listen on {}: {e}", args.listen)))?;
        if !addr.ip().is_loopback() {
            eprintln!(
                "auditlog: warning: serving plain HTTP beyond this machine on {addr}; tokens \
                 and entries travel unencrypted unless a TLS proxy is in front"
            );
        }
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "listening on http://{addr}")
            .and_then(|()| stdout.flush())
            .map_err(|e| Failure::other(format!("cannot write to stdout: {e}")))?;
        drop(stdout);
        http::serve(listener, http::router(log, tokens), shutdown_signal())
            .await
            .map_err(|e| Failure::other(format!("the server failed: {e}")))
    })
}

/// The tokens from the token files.
fn tokens(args: &Args) -> Result<Tokens, Failure> {
    const ADMIN: &str = "--admin-token-file";
    const USERS: &str = "--user-tokens-file";
    let path = &args.admin_token_file;
    let admin = read(ADMIN, path)?;
    let mut tokens = Tokens::new(admin.trim()).map_err(|e| input(ADMIN, path, "the token ", e))?;
    if let Some(path) = &args.user_tokens_file {
        let text = read(USERS, path)?;
        let users: BTreeMap<String, String> = serde_json::from_str(&text).map_err(|e| {
            Failure::input(
                USERS,
                format!(
                    "{} is not a JSON object of user name to token like \
                     {{\"alice\": \"tok-a\"}} ({e})",
                    path.display()
                ),
            )
        })?;
        for (user, token) in users {
            tokens = tokens
                .with_user(user, token)
                .map_err(|e| input(USERS, path, "", e))?;
        }
    }
    Ok(tokens)
}

fn read(field: &str, path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path)
        .map_err(|e| Failure::input(field, format!("cannot read {}: {e}", path.display())))
}

/// A refused token as refused input in the option naming its file.
fn input(field: &str, path: &Path, subject: &str, error: Error) -> Failure {
    match error {
        Error::Invalid { reason, .. } => {
            Failure::input(field, format!("{}: {subject}{reason}", path.display()))
        }
        other => other.into(),
    }
}

/// Completes on SIGINT (Ctrl-C) or, on Unix, SIGTERM; never if neither can be watched.
async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}
