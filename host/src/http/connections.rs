//! Accepting connections: a cap on how many are open, one request per
//! connection, and deadlines, so that slow or silent clients cannot hold the
//! server.
//!
//! The request head is read and sized here, then checked with `httparse`
//! (the parser hyper itself uses), before hyper sees it: a head that is too
//! large, malformed or announces a body is answered here with the API's JSON
//! error body. (hyper answers such heads itself with an empty body, and has
//! no hook to change that.) A head that passes is handed to hyper with the
//! bytes already read.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio::time::Instant;

use super::slots::{Slot, Slots};

/// Longest request line (method, target and version, without its line
/// ending), in bytes; the target holds the query parameters, a cursor among
/// them. A longer one gets 414, however its bytes arrive.
pub const MAX_REQUEST_LINE_BYTES: usize = 64 * 1024;
/// Largest request head (request line and headers), in bytes; a larger one gets 431.
pub const MAX_HEAD_BYTES: usize = 96 * 1024;
/// Most header fields in a request; more get 431.
pub const MAX_HEADERS: usize = 100;
/// Time to write a refusal and let the client read it before closing.
const ANSWER_TIME: Duration = Duration::from_secs(2);
/// Most 503 answers (connections beyond the cap) being given at once. Each
/// keeps its connection up to [`ANSWER_TIME`], reading what the client sends
/// so that closing does not reset the connection; past this many, under a
/// flood, one more is answered in one write and closed at once (and may be
/// reset before its client reads the answer).
const MAX_BUSY_ANSWERS: usize = 64;

/// How long clients may take and how many may be connected at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Time from accepting a connection to the end of its request head; a
    /// client silent or slower than this is answered 408 and disconnected.
    pub header_timeout: Duration,
    /// Time from accepting a connection to the end of its answer; past it the
    /// connection is closed, whatever it is doing.
    pub request_timeout: Duration,
    /// Connections open at once. When all are taken, the oldest one that
    /// has not sent its whole request head yet is closed to make room; when
    /// all are serving requests, a new one is answered 503 and closed.
    pub max_connections: usize,
}

impl Default for Limits {
    /// 10 s for the head, 30 s for the whole request, 256 connections.
    fn default() -> Self {
        Self {
            header_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_connections: 256,
        }
    }
}

/// Serves `router` on `listener` within `limits` until `shutdown`
/// completes, then waits for the connections being served (each ends within
/// `limits.request_timeout`). When every slot is taken, the oldest
/// connection still sending its head is closed to make way (see
/// [`Slots`]); when every slot is serving a request, the new one gets 503.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let slots = Slots::new(limits.max_connections);
    let busy_answers = Arc::new(Semaphore::new(MAX_BUSY_ANSWERS));
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => accepted,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            // Out of file descriptors, or a connection reset before it was
            // accepted: wait a moment rather than spin.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let mut pending = Some(stream);
        let admitted = slots.admit(|slot| {
            let stream = pending.take().expect("admitted once");
            tokio::spawn(serve_connection(stream, router.clone(), limits, slot))
        });
        if !admitted && let Some(stream) = pending {
            refuse_busy(stream, limits.max_connections, &busy_answers);
        }
    }
    slots.all_closed().await;
    Ok(())
}

/// Answers 503 to a connection beyond the cap, on a task of its own (one of
/// at most [`MAX_BUSY_ANSWERS`], outside the cap) that writes the answer and
/// reads what the client sent before closing, as every refusal does
/// ([`answer_and_close`]): a socket closed with the request still unread
/// resets the connection, and the client may lose the answer it had not yet
/// read. Past [`MAX_BUSY_ANSWERS`], the answer is written without waiting
/// (a fresh socket's send buffer takes the few bytes), what already arrived
/// of the request (up to [`MAX_HEAD_BYTES`]) is read, and the connection
/// closed at once.
fn refuse_busy(stream: TcpStream, max: usize, answers: &Arc<Semaphore>) {
    let message = format!("server: busy: {max} requests are being served; try again shortly");
    match Arc::clone(answers).try_acquire_owned() {
        Ok(permit) => {
            tokio::spawn(async move {
                let status = StatusCode::SERVICE_UNAVAILABLE;
                let _ =
                    tokio::time::timeout(ANSWER_TIME, answer_and_close(stream, status, &message))
                        .await;
                drop(permit);
            });
        }
        Err(_) => {
            let _ = stream.try_write(&error_answer(StatusCode::SERVICE_UNAVAILABLE, &message));
            let mut sink = [0u8; 4096];
            let mut left = MAX_HEAD_BYTES;
            while left > 0 {
                match stream.try_read(&mut sink) {
                    Ok(n) if n > 0 => left = left.saturating_sub(n),
                    _ => break,
                }
            }
        }
    }
}

/// One connection: its head read within the header deadline, then its one
/// request served by hyper within the request deadline.
async fn serve_connection(mut stream: TcpStream, router: Router, limits: Limits, slot: Slot) {
    let head_time = limits.header_timeout.min(limits.request_timeout);
    let accepted = Instant::now();
    let (head_deadline, deadline) = (accepted + head_time, accepted + limits.request_timeout);
    let refusal = match tokio::time::timeout_at(head_deadline, read_head(&mut stream)).await {
        Ok(Ok(head)) => {
            slot.head_read();
            let io = TokioIo::new(Prefixed {
                head,
                at: 0,
                stream,
            });
            let connection = hyper::server::conn::http1::Builder::new()
                .keep_alive(false)
                .serve_connection(io, TowerToHyperService::new(router));
            let _ = tokio::time::timeout_at(deadline, connection).await;
            return;
        }
        Ok(Err(Refusal::Gone)) => return,
        Ok(Err(Refusal::Answer(status, message))) => (status, message),
        Err(_) => (
            StatusCode::REQUEST_TIMEOUT,
            format!(
                "request: the request head did not arrive within {} s",
                head_time.as_secs_f64()
            ),
        ),
    };
    // The answer, and the moment given to the client to read it, are bounded too.
    let (status, message) = refusal;
    let _ = tokio::time::timeout(ANSWER_TIME, answer_and_close(stream, status, &message)).await;
}

/// Why a request head is not handed on.
#[derive(Debug)]
enum Refusal {
    /// The client closed the connection or it failed: nobody to answer.
    Gone,
    /// Answer with this status and message, then close.
    Answer(StatusCode, String),
}

/// The bytes of the request head and whatever followed it in the same reads.
async fn read_head(stream: &mut TcpStream) -> Result<Vec<u8>, Refusal> {
    let mut buf = Vec::with_capacity(4096);
    let mut scan = HeadScan::default();
    loop {
        let read = stream.read_buf(&mut buf).await.map_err(|_| Refusal::Gone)?;
        if read == 0 {
            return Err(Refusal::Gone);
        }
        if scan.check(&buf)? {
            return Ok(buf);
        }
        buf.reserve(4096);
    }
}

/// Where the head ends, found incrementally as bytes arrive: the first
/// empty line after the request line (lines end in `\n` or `\r\n`; empty
/// lines before the request line are skipped, as hyper does).
#[derive(Debug, Default)]
struct HeadScan {
    /// Bytes before this index have been scanned.
    at: usize,
    /// Where the request line starts: its first byte, the first that is
    /// neither CR nor LF, once seen.
    line_start: Option<usize>,
    /// Where the request line's `\n` is, once seen.
    line_end: Option<usize>,
    /// Whether the current line holds only CRs so far.
    blank: bool,
}

impl HeadScan {
    /// Scans `buf[self.at..]`; the index just past the head if it is complete.
    fn advance(&mut self, buf: &[u8]) -> Option<usize> {
        while let Some(&byte) = buf.get(self.at) {
            self.at += 1;
            if self.line_start.is_none() {
                if !matches!(byte, b'\r' | b'\n') {
                    self.line_start = Some(self.at - 1);
                }
                continue;
            }
            if byte == b'\n' {
                if self.blank {
                    return Some(self.at);
                }
                self.line_end.get_or_insert(self.at - 1);
                self.blank = true;
            } else if byte != b'\r' {
                self.blank = false;
            }
        }
        None
    }

    /// Scans and checks the head in `buf`, which has grown since the last
    /// call: whether it is complete (and passes), or a refusal as soon as
    /// what arrived is already too large.
    fn check(&mut self, buf: &[u8]) -> Result<bool, Refusal> {
        let end = self.advance(buf);
        if self.request_line_len(buf) > MAX_REQUEST_LINE_BYTES {
            return Err(Refusal::Answer(
                StatusCode::URI_TOO_LONG,
                format!("uri: the request line is longer than {MAX_REQUEST_LINE_BYTES} bytes"),
            ));
        }
        match end {
            Some(end) => check_head(&buf[..end]).map(|()| true),
            None if buf.len() > MAX_HEAD_BYTES => Err(headers_too_large()),
            None => Ok(false),
        }
    }

    /// The length of the request line in `buf` (scanned up to `self.at`),
    /// in bytes: from its first byte (empty lines before it are skipped)
    /// to its `\n`, without that `\n` or a `\r` just before it. The one
    /// definition the limit is checked against, so that a line gets the
    /// same answer whether its end arrives with it or later. While the
    /// line is still arriving, the bytes so far, less a last `\r` that may
    /// start its line ending: never more than the whole line's length.
    fn request_line_len(&self, buf: &[u8]) -> usize {
        let Some(start) = self.line_start else {
            return 0;
        };
        let line = &buf[start..self.line_end.unwrap_or(self.at)];
        line.strip_suffix(b"\r").unwrap_or(line).len()
    }
}

fn headers_too_large() -> Refusal {
    Refusal::Answer(
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
        format!("headers: the request head is larger than {MAX_HEAD_BYTES} bytes"),
    )
}

/// Checks a complete head (its request line's length already checked):
/// its size, its syntax, and that it announces no body (the API is
/// read-only; a body would be one more thing to wait for).
fn check_head(head: &[u8]) -> Result<(), Refusal> {
    if head.len() > MAX_HEAD_BYTES {
        return Err(headers_too_large());
    }
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut request = httparse::Request::new(&mut headers);
    let bad = |reason: String| Refusal::Answer(StatusCode::BAD_REQUEST, reason);
    match request.parse(head) {
        Ok(httparse::Status::Complete(_)) => {}
        Ok(httparse::Status::Partial) => {
            return Err(bad("request: the request head is incomplete".to_owned()));
        }
        Err(httparse::Error::TooManyHeaders) => {
            return Err(Refusal::Answer(
                StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
                format!("headers: more than {MAX_HEADERS} header fields"),
            ));
        }
        Err(e) => {
            return Err(bad(format!("request: not an HTTP/1 request head ({e})")));
        }
    }
    // hyper reads the target with `http`'s parser, which refuses some
    // targets httparse lets through.
    let target = request.path.unwrap_or_default();
    if let Err(e) = axum::http::Uri::try_from(target) {
        return Err(bad(format!("uri: not a valid request target ({e})")));
    }
    for header in request.headers.iter() {
        let body = if header.name.eq_ignore_ascii_case("transfer-encoding") {
            true
        } else if header.name.eq_ignore_ascii_case("content-length") {
            header.value.trim_ascii() != b"0"
        } else {
            false
        };
        if body {
            return Err(bad(format!(
                "{}: the API is read-only and takes no request body",
                header.name.to_ascii_lowercase()
            )));
        }
    }
    Ok(())
}

/// A complete HTTP/1.1 answer with the API's JSON error body, that closes
/// the connection.
fn error_answer(status: StatusCode, message: &str) -> Vec<u8> {
    let body = super::error_body(message);
    format!(
        "HTTP/1.1 {} {}\r\ncontent-type: application/json\r\ncache-control: no-store\r\n\
         {}content-length: {}\r\nconnection: close\r\n\r\n{body}",
        status.as_u16(),
        status.canonical_reason().unwrap_or(""),
        super::headers::head_lines(),
        body.len()
    )
    .into_bytes()
}

/// Writes the error answer, then reads (and drops) what the client is
/// still sending for a moment before closing, so that closing with unread
/// bytes does not reset the connection before the client reads the answer.
async fn answer_and_close(mut stream: TcpStream, status: StatusCode, message: &str) {
    if stream
        .write_all(&error_answer(status, message))
        .await
        .is_err()
    {
        return;
    }
    let _ = stream.shutdown().await;
    let drain = async {
        let mut sink = [0u8; 8192];
        let mut left = 1024 * 1024;
        while left > 0 {
            match stream.read(&mut sink).await {
                Ok(0) | Err(_) => break,
                Ok(n) => left -= n.min(left),
            }
        }
    };
    let _ = tokio::time::timeout(ANSWER_TIME / 2, drain).await;
}

/// A connection whose first bytes were already read: they are read again
/// first.
struct Prefixed {
    head: Vec<u8>,
    at: usize,
    stream: TcpStream,
}

impl AsyncRead for Prefixed {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        if this.at < this.head.len() {
            let n = buf.remaining().min(this.head.len() - this.at);
            buf.put_slice(&this.head[this.at..this.at + n]);
            this.at += n;
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut this.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Prefixed {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn end_of(chunks: &[&[u8]]) -> Option<usize> {
        let mut scan = HeadScan::default();
        let mut buf = Vec::new();
        let mut end = None;
        for chunk in chunks {
            buf.extend_from_slice(chunk);
            end = end.or_else(|| scan.advance(&buf));
        }
        end
    }

    #[test]
    fn the_head_ends_at_the_first_empty_line_however_it_arrives() {
        let head = b"GET / HTTP/1.1\r\nHost: x\r\n\r\nbody";
        assert_eq!(end_of(&[head]), Some(head.len() - 4));
        let bytes: Vec<&[u8]> = head.chunks(1).collect();
        assert_eq!(end_of(&bytes), Some(head.len() - 4));
        assert_eq!(end_of(&[b"\r\n\r\nGET / HTTP/1.1\n\n"]), Some(20));
        assert_eq!(end_of(&[b"GET / HTTP/1.1\r\nHost: x\r\n"]), None);
    }

    /// The answer to a head arriving in `chunks`, checked as `read_head`
    /// checks it after each read: OK once it is complete and passes.
    fn status_of(chunks: &[&[u8]]) -> StatusCode {
        let (mut scan, mut buf) = (HeadScan::default(), Vec::new());
        for chunk in chunks {
            buf.extend_from_slice(chunk);
            match scan.check(&buf) {
                Ok(true) => return StatusCode::OK,
                Ok(false) => {}
                Err(Refusal::Answer(status, _)) => return status,
                Err(Refusal::Gone) => unreachable!(),
            }
        }
        panic!("the head is incomplete");
    }

    #[test]
    fn heads_are_checked_before_hyper_sees_them() {
        let status = |head: &[u8]| status_of(&[head]);
        assert_eq!(
            status(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"),
            StatusCode::OK
        );
        assert_eq!(
            status(b"GET / HTTP/1.1\r\nContent-Length: 0\r\n\r\n"),
            StatusCode::OK
        );
        assert_eq!(
            status(b"GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\n"),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            status(b"GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(status(b"NOT HTTP AT ALL\r\n\r\n"), StatusCode::BAD_REQUEST);
        assert_eq!(
            status(b"GET /a{b}|^` HTTP/1.1\r\n\r\n"),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            status(b"GET http://[::1 HTTP/1.1\r\n\r\n"),
            StatusCode::BAD_REQUEST
        );
        let many: String = (0..=MAX_HEADERS).map(|i| format!("X-{i}: y\r\n")).collect();
        assert_eq!(
            status(format!("GET / HTTP/1.1\r\n{many}\r\n").as_bytes()),
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE
        );
        let long = "a".repeat(MAX_REQUEST_LINE_BYTES);
        assert_eq!(
            status(format!("GET /{long} HTTP/1.1\r\n\r\n").as_bytes()),
            StatusCode::URI_TOO_LONG
        );
    }

    /// The audit's finding: a line of 65,535 bytes passed in one write but
    /// got 414 when its blank line came later (the line was counted with
    /// its CR LF while the head was arriving, with its CR once complete).
    #[test]
    fn the_request_line_limit_is_its_length_without_its_line_ending_however_it_arrives() {
        let line = |len: usize| {
            let line = format!("GET /?{} HTTP/1.1", "a".repeat(len - 15));
            assert_eq!(line.len(), len);
            line
        };
        for (len, expected) in [
            (MAX_REQUEST_LINE_BYTES - 1, StatusCode::OK),
            (MAX_REQUEST_LINE_BYTES, StatusCode::OK),
            (MAX_REQUEST_LINE_BYTES + 1, StatusCode::URI_TOO_LONG),
        ] {
            let line = line(len);
            for ending in ["\r\n", "\n"] {
                let whole = format!("\r\n{line}{ending}Host: x{ending}{ending}");
                let with_end = format!("{line}{ending}");
                let with_cr = format!("{line}\r");
                let arrivals: [Vec<&[u8]>; 5] = [
                    vec![whole.as_bytes()],
                    vec![with_end.as_bytes(), ending.as_bytes()],
                    vec![line.as_bytes(), ending.as_bytes(), ending.as_bytes()],
                    vec![with_cr.as_bytes(), b"\n\r\n"],
                    whole.as_bytes().chunks(4096).collect(),
                ];
                for chunks in arrivals {
                    let sizes: Vec<usize> = chunks.iter().map(|c| c.len()).collect();
                    assert_eq!(status_of(&chunks), expected, "{len} bytes as {sizes:?}");
                }
            }
        }
    }
}
