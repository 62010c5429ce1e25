//! `auditlog serve`: the HTTP admin API over the log directory.

use std::collections::BTreeMap;
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use auditlog::Error;
use auditlog::http::{self, Tokens};
use auditlog::input_file::Kinds;

use super::{Cli, Failure};

const AFTER_HELP: &str = "\
Routes (answers are JSON; errors are {\"error\": \"...\"} with the status code):
  GET /api/audit/recent   {\"entries\": [...], \"next_cursor\": \"...\" | null}, as `recent`
  GET /api/audit/stats    the JSON `stats --format json` prints
  GET /api/audit/verify   verify's report with \"ok\" and its \"lines\" (admin token only)
  GET /api/whoami         {\"access\": \"admin\"} or {\"access\": \"user\", \"user\": NAME}
  GET /healthz            {\"status\": \"ok\"}, without a token
  GET /                   the admin console: a web page over these routes (open it in a
                          browser and sign in with a token; it keeps the token in the tab)

Query parameters, as the options of `recent` and `stats`: user=NAME, user=all (every
user; no user may be named `all`) or skills=true names the log; tool, skill, status,
since, until and days pick entries; limit and cursor (recent only) page. A cursor
resumes only the query it came from. A bad parameter gets 400 naming it.

Every API request sends `Authorization: Bearer TOKEN` (401 without a valid one).
The admin token reads every log; a user's token reads only user=<that user> (403
otherwise).

Token files:
  --admin-token-file   the token alone; surrounding whitespace is ignored
  --user-tokens-file   a JSON object of user name to token:
                       {\"alice\": \"TOKEN-OF-ALICE\", \"bob\": \"TOKEN-OF-BOB\"}
A token is 16 to 4096 visible ASCII characters without spaces (a shorter one
is refused: it could be guessed). Keep the files private (chmod 600): a file
every user can read is refused, and so is anything but a regular file (a FIFO,
a device) or a file over 1 MiB. Tokens are compared in constant time and never
logged.

Slow and excess clients: each connection carries one request (answers say
`connection: close`). Its request line and headers must arrive within
--header-timeout seconds of connecting (else 408) and its answer be done within
--request-timeout (else the connection is closed). At most --max-connections are
open at once (keep it well below `ulimit -n`): when all are taken, the oldest one
still sending its head is closed to make room; when all are serving requests, one
more is answered 503 and closed. A request line over 64 KiB gets 414, headers over
96 KiB or 100 fields 431, a request with a body 400; every one of these answers is
JSON like any other error.

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

/// Serve recent entries and stats read-only over HTTP as JSON, behind bearer
/// tokens, and the admin console at `/`.
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
    /// Seconds a client has, from connecting, to send its request line and
    /// headers (0.001 to 3600); a slower one gets 408 and is disconnected.
    #[arg(long, value_name = "SECS", default_value = "10", value_parser = seconds)]
    header_timeout: Duration,
    /// Seconds a connection may last, from connecting to the end of its
    /// answer (0.001 to 3600); it is closed then, whatever it is doing.
    #[arg(long, value_name = "SECS", default_value = "30", value_parser = seconds)]
    request_timeout: Duration,
    /// Connections open at once (1 to 65536); keep it well below the open-file
    /// limit (`ulimit -n`). When all are taken, the oldest one still sending
    /// its head is closed to make room; when all serve requests, a new one gets 503.
    #[arg(long, value_name = "N", default_value = "256", value_parser = clap::value_parser!(u32).range(1..=65_536))]
    max_connections: u32,
}

/// A number of seconds between a millisecond and an hour.
fn seconds(text: &str) -> Result<Duration, String> {
    let secs: f64 = text.parse().map_err(|_| {
        format!(
            "must be a number of seconds such as 10 or 0.5, got {}",
            auditlog_model::invisible::refused(text)
        )
    })?;
    if (0.001..=3600.0).contains(&secs) {
        Ok(Duration::from_secs_f64(secs))
    } else {
        Err(format!(
            "must be between 0.001 and 3600 seconds, got {}",
            auditlog_model::invisible::refused(text)
        ))
    }
}

pub fn run(cli: &Cli, args: &Args) -> Result<(), Failure> {
    let tokens = tokens(args)?;
    // A server may start before anything is recorded: it creates the
    // directory it serves (and only reads it).
    std::fs::create_dir_all(&cli.dir).map_err(|e| {
        Failure::other(format!(
            "cannot create log directory {}: {e}",
            cli.dir.display()
        ))
    })?;
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
        let limits = http::Limits {
            header_timeout: args.header_timeout,
            request_timeout: args.request_timeout,
            max_connections: args.max_connections as usize,
        };
        http::serve(
            listener,
            http::router(log, tokens),
            limits,
            shutdown_signal(),
        )
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
        // A token file holds secrets: no refusal quotes its values (serde's
        // messages would: `invalid type: string "TOKEN", expected a map`).
        let not_tokens = |why: &str| {
            Failure::input(
                USERS,
                format!(
                    "{} is not a JSON object of user name to token like \
                     {{\"alice\": \"TOKEN-OF-ALICE\"}}: {why}",
                    path.display()
                ),
            )
        };
        // Read strictly: serde keeps the last of a user named twice, so one
        // of the two tokens would silently stop working, or keep working.
        let value = auditlog_model::strict_json::parse("users", &text).map_err(|refusal| {
            use auditlog_model::strict_json::Refusal;
            match refusal {
                Refusal::RepeatedKey { path: at, .. } => Failure::input(
                    USERS,
                    format!(
                        "{}: {at} is given more than once: give each user one token",
                        path.display()
                    ),
                ),
                Refusal::Syntax(_) => not_tokens("it is not JSON"),
                Refusal::HiddenInKey { path: at, .. } => {
                    not_tokens(&format!("{at} holds a character that cannot be seen"))
                }
                Refusal::InexactNumber { path: at, .. } => {
                    not_tokens(&format!("{at} is a number, not a string"))
                }
            }
        })?;
        let users = token_map(value).map_err(|why| not_tokens(&why))?;
        for (user, token) in users {
            tokens = tokens
                .with_user(user, token)
                .map_err(|e| input(USERS, path, "", e))?;
        }
    }
    Ok(tokens)
}

/// The users and tokens of a user-tokens file's JSON, or why it is not an
/// object of strings, quoting no value.
fn token_map(value: serde_json::Value) -> Result<BTreeMap<String, String>, String> {
    let serde_json::Value::Object(users) = value else {
        return Err(format!(
            "it holds {}",
            auditlog_model::validate::json_type(&value)
        ));
    };
    users
        .into_iter()
        .map(|(user, token)| match token {
            serde_json::Value::String(token) => Ok((user, token)),
            other => Err(format!(
                "the token of {} is {}, not a string",
                auditlog_model::invisible::refused(&user),
                auditlog_model::validate::json_type(&other)
            )),
        })
        .collect()
}

/// The text of a token file: a regular file of at most
/// [`MAX_SECRET_BYTES`](auditlog::input_file::MAX_SECRET_BYTES) that not
/// every user can read, in UTF-8.
fn read(field: &str, path: &Path) -> Result<String, Failure> {
    let bytes = auditlog::secret_file::read("token file", path, Kinds::Regular)
        .map_err(|reason| Failure::input(field, reason))?;
    String::from_utf8(bytes)
        .map_err(|_| Failure::input(field, format!("{} is not UTF-8 text", path.display())))
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
