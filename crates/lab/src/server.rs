//! The connection loop. axum::serve sets no timer, so hyper's header-read
//! timeout never ran, and it has no connection cap or shutdown deadline; the
//! lab runs hyper's connections itself, with the limits a production server
//! has: HTTP/1.1 in plain text, and over TLS HTTP/1.1 or HTTP/2 as ALPN chose.

use crate::fair::{client_of, Admission};
use crate::streams::{self, StreamLimits};
use axum::body::{Body, Bytes};
use axum::extract::ConnectInfo;
use axum::Router;
use http_body::{Frame, SizeHint};
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use std::future::Future;
use std::io;
use std::pin::{pin, Pin};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Semaphore};
use tokio::task::JoinSet;
use tower::ServiceExt;

/// How much the lab gives each client, and for how long.
#[derive(Clone, Debug)]
pub struct Limits {
    /// A request's head (request line and headers) must arrive whole within
    /// this, counted from when the connection starts waiting for it; so it
    /// is also how long an idle keep-alive connection stays open.
    pub header_read_timeout: Duration,
    /// A response the client stops reading for this long is abandoned and
    /// its connection closed.
    pub write_timeout: Duration,
    /// The most a request may take until its response starts (then 408).
    pub request_timeout: Duration,
    /// Connections open at once, from everyone.
    pub max_connections: usize,
    /// Connections open at once from one client (one IP address).
    pub max_connections_per_client: usize,
    /// Connections of one client still in their TLS handshake at once.
    pub max_handshakes_per_client: usize,
    /// HTTP/2: how long a response may wait on the client's flow-control
    /// window before its slow-lane turn is given back (it is reset after
    /// `write_timeout`, as a response an HTTP/1.1 client stops reading).
    pub stall_grace: Duration,
    /// HTTP/2: streams of one connection stalled on flow control at once;
    /// one more is reset as soon as it stalls (and past four times that
    /// over one client's connections).
    pub max_stalled_streams: usize,
    /// HTTP/2: responses of one client waiting for it to take them, over
    /// all its connections, whether stalled or behind a slowly read socket;
    /// each holds a piece of its body and often a file. One more is reset.
    pub max_waiting_per_client: usize,
    /// Slow requests (delay, drip, slow-server, stream) running at once,
    /// each until its last byte is sent: from everyone, and from one client.
    pub slow_total: usize,
    pub slow_per_client: usize,
    /// The largest request head read, in bytes (more gets 431).
    pub max_request_head: usize,
    /// On shutdown, how long requests under way may take to finish before
    /// the connections left are closed.
    pub shutdown_deadline: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header_read_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(10),
            request_timeout: crate::REQUEST_TIMEOUT,
            max_connections: 512,
            max_connections_per_client: 64,
            max_handshakes_per_client: 16,
            stall_grace: Duration::from_secs(1),
            max_stalled_streams: 16,
            max_waiting_per_client: 1024,
            slow_total: crate::SLOW_CONCURRENCY,
            slow_per_client: 16,
            max_request_head: 64 * 1024,
            shutdown_deadline: Duration::from_secs(10),
        }
    }
}

/// How a listener speaks: plain HTTP/1.1, or TLS with the protocols its
/// configuration offers by ALPN (`h2` and `http/1.1`, or `http/1.1` only).
#[derive(Clone)]
pub enum Transport {
    Plain,
    Tls(Arc<rustls::ServerConfig>),
}

/// Whether a request came over TLS: the app's own origin is `https://` then
/// (the CORS rule for the learner's cookies compares origins).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OverTls(pub bool);

/// `https` for a request that came over TLS, `http` otherwise.
pub fn scheme(extensions: &axum::http::Extensions) -> &'static str {
    if extensions.get::<OverTls>().is_some_and(|t| t.0) {
        "https"
    } else {
        "http"
    }
}

/// Serves `router` on `listener` until `shutdown` completes; then lets
/// requests under way finish for at most `limits.shutdown_deadline`, and
/// closes what is left.
pub async fn run(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    transport: Transport,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let admission = Admission::new(limits.max_connections, limits.max_connections_per_client, limits.max_handshakes_per_client);
    // Connections turned away over TLS are answered (a 503 needs the
    // handshake first), a few at a time; past that, closed.
    let refusals = Arc::new(Semaphore::new(REFUSALS_AT_ONCE));
    let stream_limits = StreamLimits {
        stall_grace: limits.stall_grace,
        stall_timeout: limits.write_timeout,
        max_stalled_streams: limits.max_stalled_streams,
        max_waiting_per_client: limits.max_waiting_per_client,
    };
    let client_shares = streams::ClientShares::new(stream_limits);
    let mut http1 = hyper::server::conn::http1::Builder::new();
    http1
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_buf_size(limits.max_request_head.max(8192))
        .keep_alive(true);
    let acceptor = match &transport {
        Transport::Plain => None,
        Transport::Tls(config) => Some(tokio_rustls::TlsAcceptor::from(config.clone())),
    };
    let (stop, stopping) = watch::channel(false);
    let mut connections = JoinSet::new();
    let mut shutdown = pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            biased;
            () = &mut shutdown => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => continue,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors or memory for a moment, or a
                    // connection reset before it was accepted: wait, go on.
                    eprintln!("roundtrip-lab: accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let client = client_of(peer.ip());
        let mut ticket = match admission.admit(client, acceptor.is_some()) {
            Ok(ticket) => ticket,
            Err(refused) => {
                match &acceptor {
                    None => refuse(&stream, &refused.reason()),
                    Some(acceptor) => {
                        if let Ok(turn) = refusals.clone().try_acquire_owned() {
                            connections.spawn(refuse_over_tls(stream, acceptor.clone(), refused.reason(), limits.clone(), turn));
                        }
                    }
                }
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let socket_blocked = Arc::new(AtomicBool::new(false));
        let io = WriteDeadline::new(stream, limits.write_timeout, socket_blocked.clone());
        let watch = streams::Connection::new(stream_limits, socket_blocked, client, &client_shares);
        let router = router.clone();
        // Every answer names the connection it came on: a browser that
        // rounds its timings to whole milliseconds cannot tell a new loopback
        // connection from a reused one, but the app can (it exposes this).
        let connection = hyper::header::HeaderValue::from(NEXT_CONNECTION.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
        let over_tls = OverTls(acceptor.is_some());
        let requests = watch.clone();
        let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
            let in_flight = requests.request_started();
            req.extensions_mut().insert(ConnectInfo(peer));
            req.extensions_mut().insert(over_tls);
            // HTTP/2 names the server in `:authority`, not in a Host header:
            // the Host check, the echo and the redirects read Host.
            if !req.headers().contains_key(hyper::header::HOST) {
                if let Some(value) = req.uri().authority().and_then(|a| hyper::header::HeaderValue::from_str(a.as_str()).ok()) {
                    req.headers_mut().insert(hyper::header::HOST, value);
                }
            }
            let answer = router.clone().oneshot(req);
            let connection = connection.clone();
            async move {
                let mut res = answer.await?;
                streams::response_waits();
                res.headers_mut().insert(roundtrip_model::lab::CONNECTION_HEADER, connection);
                Ok::<_, std::convert::Infallible>(res.map(|body| Body::new(Tracked { body, _in_flight: in_flight })))
            }
        });
        let mut stopping = stopping.clone();
        let (http1, acceptor, limits) = (http1.clone(), acceptor.clone(), limits.clone());
        connections.spawn(async move {
            let _release = ReleaseMemory;
            // Serves one connection until it ends; on shutdown, lets it
            // finish what is under way (the same for HTTP/1.1 and h2).
            macro_rules! until_done {
                ($conn:expr) => {{
                    let mut conn = pin!($conn);
                    tokio::select! {
                        _ = conn.as_mut() => return,
                        _ = stopping.wait_for(|s| *s) => conn.as_mut().graceful_shutdown(),
                    }
                    let _ = conn.await;
                }};
            }
            let Some(acceptor) = acceptor else {
                until_done!(http1.serve_connection(TokioIo::new(io), service));
                return;
            };
            // A client that opens a connection and never finishes the TLS
            // handshake holds it no longer than one that sends no request.
            let Ok(Ok(tls)) = tokio::time::timeout(limits.header_read_timeout, acceptor.accept(io)).await else { return };
            ticket.handshake_done();
            if tls.get_ref().1.alpn_protocol() != Some(b"h2") {
                until_done!(http1.serve_connection(TokioIo::new(tls), service));
                return;
            }
            // HTTP/2: its streams run as tasks of their own, which end with
            // this one (`_alive`); a connection with no request under way
            // for the header-read timeout is told GOAWAY and closed, as an
            // idle HTTP/1.1 connection is, whatever PINGs it sends.
            let (executor, _alive) = streams::Streams::new(watch.clone());
            let http2 = http2_builder(&limits, executor);
            let mut conn = pin!(http2.serve_connection(TokioIo::new(tls), service));
            let idle = tokio::select! {
                _ = conn.as_mut() => return,
                _ = stopping.wait_for(|s| *s) => false,
                () = watch.idle_for(limits.header_read_timeout) => true,
            };
            conn.as_mut().graceful_shutdown();
            if idle {
                // A client that never sent its preface, or ignores the
                // GOAWAY, is not waited for long; a request that came in
                // just before the GOAWAY is (until it is done).
                tokio::select! {
                    _ = conn => {}
                    () = watch.idle_for(limits.write_timeout) => {}
                }
            } else {
                let _ = conn.await;
            }
        });
    }
    drop(listener);
    let _ = stop.send(true);
    let drained = tokio::time::timeout(limits.shutdown_deadline, async { while connections.join_next().await.is_some() {} }).await;
    if drained.is_err() {
        eprintln!("roundtrip-lab: closing {} connections still open after {:?}", connections.len(), limits.shutdown_deadline);
        connections.shutdown().await;
    }
    Ok(())
}

/// How an HTTP/2 connection is served. Up to 256 streams at once: the heavy
/// fixture's 180 requests all go out together on one connection, which is
/// what HTTP/2 is for; each stream buffers at most `MAX_SEND_BUFFER` of its
/// response while the client's window is shut. PINGs find a peer that is
/// gone.
fn http2_builder(limits: &Limits, executor: streams::Streams) -> hyper::server::conn::http2::Builder<streams::Streams> {
    let mut http2 = hyper::server::conn::http2::Builder::new(executor);
    http2
        .timer(TokioTimer::new())
        .max_concurrent_streams(256)
        .max_send_buf_size(MAX_SEND_BUFFER)
        .max_header_list_size(u32::try_from(limits.max_request_head).unwrap_or(u32::MAX))
        .keep_alive_interval(Some(limits.header_read_timeout))
        .keep_alive_timeout(limits.header_read_timeout);
    http2
}

/// What one HTTP/2 stream may hold of its response while it waits on the
/// client's flow-control window.
const MAX_SEND_BUFFER: usize = 32 * 1024;

/// TLS connections being turned away with an answer at once.
const REFUSALS_AT_ONCE: usize = 32;

/// A response body that keeps its request counted as under way until it is
/// sent or dropped, and tells an HTTP/2 stream's watch when it waits on the
/// client (see [`streams`]).
struct Tracked {
    body: Body,
    _in_flight: streams::InFlight,
}

impl http_body::Body for Tracked {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        streams::response_moves();
        let polled = Pin::new(&mut self.body).poll_frame(cx);
        if matches!(polled, Poll::Ready(Some(Ok(_)))) {
            streams::response_waits();
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

/// A TLS connection turned away: finishes the handshake (within a short
/// deadline) so that every request on it is answered 503 with `why`, then
/// closes.
async fn refuse_over_tls(
    stream: TcpStream,
    acceptor: tokio_rustls::TlsAcceptor,
    why: String,
    limits: Limits,
    _turn: tokio::sync::OwnedSemaphorePermit,
) {
    let deadline = limits.header_read_timeout.min(REFUSAL_DEADLINE);
    let _ = tokio::time::timeout(deadline, async move {
        let io = WriteDeadline::new(stream, deadline, Arc::default());
        let Ok(tls) = acceptor.accept(io).await else { return };
        let body = refusal_body(&why);
        let service = hyper::service::service_fn(move |_req: hyper::Request<Incoming>| {
            let res = hyper::Response::builder()
                .status(hyper::StatusCode::SERVICE_UNAVAILABLE)
                .header(hyper::header::CONTENT_TYPE, "application/json")
                .header(hyper::header::RETRY_AFTER, "1")
                .header(hyper::header::CONTENT_SECURITY_POLICY, crate::security::LAB_POLICY)
                .header(hyper::header::X_CONTENT_TYPE_OPTIONS, "nosniff")
                .body(Body::from(body.clone()));
            async move { res }
        });
        if tls.get_ref().1.alpn_protocol() == Some(b"h2") {
            let mut http2 = hyper::server::conn::http2::Builder::new(TokioExecutor::new());
            http2.timer(TokioTimer::new()).max_concurrent_streams(8);
            let _ = http2.serve_connection(TokioIo::new(tls), service).await;
        } else {
            let _ = hyper::server::conn::http1::Builder::new().keep_alive(false).serve_connection(TokioIo::new(tls), service).await;
        }
    })
    .await;
}

/// Dropped when a connection's task ends, however it ends.
struct ReleaseMemory;

impl Drop for ReleaseMemory {
    fn drop(&mut self) {
        release_memory();
    }
}

/// Gives the memory freed by connections that ended back to the system, a
/// second after the last of a burst of them ended. glibc keeps freed memory
/// in its arenas: after an attacker's 1,024 stalled streams, a quarter of
/// what they had taken stayed with the lab for good.
fn release_memory() {
    static PENDING: AtomicBool = AtomicBool::new(false);
    if PENDING.swap(true, Ordering::AcqRel) {
        return;
    }
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        PENDING.store(false, Ordering::Release);
        return;
    };
    /// Clears the flag however the task ends (a runtime that shuts down
    /// during the wait drops it).
    struct Pending;
    impl Drop for Pending {
        fn drop(&mut self) {
            PENDING.store(false, Ordering::Release);
        }
    }
    let pending = Pending;
    runtime.spawn(async move {
        tokio::time::sleep(Duration::from_secs(1)).await;
        drop(pending);
        // It walks every arena: not on a worker that serves requests.
        let _ = tokio::task::spawn_blocking(trim).await;
    });
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn trim() {
    // SAFETY: malloc_trim only returns free pages of glibc's own heaps to
    // the system; it takes no pointer and is safe to call from any thread.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn trim() {}

/// How long a connection being turned away may take, handshake included.
const REFUSAL_DEADLINE: Duration = Duration::from_secs(3);

fn refusal_body(why: &str) -> String {
    serde_json::json!({ "error": why, "status": 503 }).to_string()
}

/// The number the next accepted connection gets (see `CONNECTION_HEADER`).
static NEXT_CONNECTION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Turns a connection away with a short 503 that says why (if the socket
/// takes it at once), then closes it: a refused connection costs no memory
/// and holds no file descriptor.
fn refuse(stream: &TcpStream, why: &str) {
    let body = refusal_body(why);
    let head = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: {}\r\nretry-after: 1\r\ncontent-security-policy: {}\r\nx-content-type-options: nosniff\r\nconnection: close\r\n\r\n",
        body.len(),
        crate::security::LAB_POLICY
    );
    let _ = stream.try_write(format!("{head}{body}").as_bytes());
}

/// A socket whose writes must make progress: when the client stops taking
/// bytes for `timeout`, the write fails and hyper closes the connection,
/// dropping the rest of the response.
/// While a write waits, `blocked` says so (an HTTP/2 stream waiting then is
/// waiting on the socket, not on the client's window).
struct WriteDeadline {
    stream: TcpStream,
    timeout: Duration,
    stalled: Option<Pin<Box<tokio::time::Sleep>>>,
    blocked: Arc<AtomicBool>,
}

impl WriteDeadline {
    fn new(stream: TcpStream, timeout: Duration, blocked: Arc<AtomicBool>) -> WriteDeadline {
        WriteDeadline { stream, timeout, stalled: None, blocked }
    }

    fn progress<T>(&mut self, cx: &mut Context<'_>, polled: Poll<io::Result<T>>) -> Poll<io::Result<T>> {
        self.blocked.store(polled.is_pending(), Ordering::Relaxed);
        if polled.is_ready() {
            self.stalled = None;
            return polled;
        }
        let timeout = self.timeout;
        let stalled = self.stalled.get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
        match stalled.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(io::ErrorKind::TimedOut, "the client stopped reading the response"))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl AsyncRead for WriteDeadline {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for WriteDeadline {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.stream).poll_write(cx, buf);
        self.progress(cx, polled)
    }

    fn poll_write_vectored(mut self: Pin<&mut Self>, cx: &mut Context<'_>, bufs: &[io::IoSlice<'_>]) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.stream).poll_write_vectored(cx, bufs);
        self.progress(cx, polled)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let polled = Pin::new(&mut self.stream).poll_flush(cx);
        self.progress(cx, polled)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}
