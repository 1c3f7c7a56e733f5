//! The connection loop. axum::serve sets no timer, so hyper's header-read
//! timeout never ran, and it has no connection cap or shutdown deadline; the
//! lab runs hyper's connections itself, with the limits a production server
//! has: HTTP/1.1 in plain text, and over TLS HTTP/1.1 or HTTP/2 as ALPN chose.

use crate::fair::{client_of, PerClient};
use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use std::future::Future;
use std::io;
use std::pin::{pin, Pin};
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
    let everyone = Arc::new(Semaphore::new(limits.max_connections));
    let per_client = PerClient::new(limits.max_connections_per_client);
    let mut http1 = hyper::server::conn::http1::Builder::new();
    http1
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_buf_size(limits.max_request_head.max(8192))
        .keep_alive(true);
    let mut http2 = hyper::server::conn::http2::Builder::new(TokioExecutor::new());
    // An idle h2 connection is closed like an idle keep-alive one. Up to 256
    // streams at once: the heavy fixture's 180 requests all go out together
    // on one connection, which is what HTTP/2 is for.
    http2
        .timer(TokioTimer::new())
        .max_concurrent_streams(256)
        .max_header_list_size(u32::try_from(limits.max_request_head).unwrap_or(u32::MAX))
        .keep_alive_interval(Some(limits.header_read_timeout))
        .keep_alive_timeout(limits.header_read_timeout);
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
        let Some(share) = per_client.take(client) else {
            if acceptor.is_none() {
                refuse(&stream, &format!("This address already has {} connections open to the lab, the most one client may hold. Close some, or wait for idle ones to time out.", per_client.limit()));
            }
            continue;
        };
        let Ok(slot) = everyone.clone().try_acquire_owned() else {
            if acceptor.is_none() {
                refuse(&stream, "The lab has as many connections open as it serves at once. Try again in a moment.");
            }
            continue;
        };
        let _ = stream.set_nodelay(true);
        let io = WriteDeadline::new(stream, limits.write_timeout);
        let router = router.clone();
        // Every answer names the connection it came on: a browser that
        // rounds its timings to whole milliseconds cannot tell a new loopback
        // connection from a reused one, but the app can (it exposes this).
        let connection = hyper::header::HeaderValue::from(NEXT_CONNECTION.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
        let over_tls = OverTls(acceptor.is_some());
        let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
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
                res.headers_mut().insert(roundtrip_model::lab::CONNECTION_HEADER, connection);
                Ok::<_, std::convert::Infallible>(res)
            }
        });
        let mut stopping = stopping.clone();
        let (http1, http2, acceptor) = (http1.clone(), http2.clone(), acceptor.clone());
        let handshake_timeout = limits.header_read_timeout;
        connections.spawn(async move {
            let _held = (share, slot);
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
            let Ok(Ok(tls)) = tokio::time::timeout(handshake_timeout, acceptor.accept(io)).await else { return };
            if tls.get_ref().1.alpn_protocol() == Some(b"h2") {
                until_done!(http2.serve_connection(TokioIo::new(tls), service));
            } else {
                until_done!(http1.serve_connection(TokioIo::new(tls), service));
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

/// The number the next accepted connection gets (see `CONNECTION_HEADER`).
static NEXT_CONNECTION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Turns a connection away with a short 503 that says why (if the socket
/// takes it at once), then closes it: a refused connection costs no memory
/// and holds no file descriptor.
fn refuse(stream: &TcpStream, why: &str) {
    let body = serde_json::json!({ "error": why, "status": 503 }).to_string();
    let head = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: {}\r\nretry-after: 1\r\nconnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.try_write(format!("{head}{body}").as_bytes());
}

/// A socket whose writes must make progress: when the client stops taking
/// bytes for `timeout`, the write fails and hyper closes the connection,
/// dropping the rest of the response.
struct WriteDeadline {
    stream: TcpStream,
    timeout: Duration,
    stalled: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl WriteDeadline {
    fn new(stream: TcpStream, timeout: Duration) -> WriteDeadline {
        WriteDeadline { stream, timeout, stalled: None }
    }

    fn progress<T>(&mut self, cx: &mut Context<'_>, polled: Poll<io::Result<T>>) -> Poll<io::Result<T>> {
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
