//! The lab's limits over every transport, attacked as a hostile classmate
//! would, over real TLS on loopback: HTTP/2 at the frame level (h2, with a
//! stream window that never opens), silent connections, half-open
//! handshakes, and requests that name two hosts. Counts and timeouts come
//! from the lab's `Limits`; a test waits for the event it expects (a
//! GOAWAY, a reset, a close, an answer), never for a fixed time.

mod common;

use common::tls::{connect_from, start_tls, Lab};
use common::{connect_from as tcp_from, send, send_from};
use hyper::body::Bytes;
use roundtrip_lab::{Config, Limits};
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;
use tokio::io::AsyncReadExt;

fn client(n: u8) -> IpAddr {
    IpAddr::from([127, 0, 0, n])
}

/// Waits for `what`, failing with `why` if it never comes (a guard against a
/// hang, many times longer than the lab's own timeout; not a measurement).
async fn eventually<T>(why: &str, what: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(120), what).await.unwrap_or_else(|_| panic!("never happened: {why}"))
}

/// An HTTP/2 connection at the frame level from `from`, whose streams'
/// windows start at `window` (0: the lab may send no byte of a body);
/// its connection task answers the lab's PINGs and reports how it ended.
async fn h2_from(from: IpAddr, lab: &Lab, window: u32) -> (h2::client::SendRequest<Bytes>, tokio::task::JoinHandle<Result<(), h2::Error>>) {
    let tls = connect_from(from, lab.h2, &lab.pin, &[b"h2"]).await.unwrap();
    assert_eq!(tls.get_ref().1.alpn_protocol(), Some(&b"h2"[..]));
    let (sender, connection) = h2::client::Builder::new().initial_window_size(window).handshake(tls).await.unwrap();
    (sender, tokio::spawn(connection))
}

/// Opens a stream for GET `path` and waits for its response head.
async fn open(sender: &mut h2::client::SendRequest<Bytes>, lab: &Lab, path: &str) -> hyper::Response<h2::RecvStream> {
    futures_util::future::poll_fn(|cx| sender.poll_ready(cx)).await.unwrap();
    let req = hyper::Request::get(format!("https://127.0.0.1:{}{path}", lab.h2.port())).body(()).unwrap();
    let (response, _) = sender.send_request(req, true).unwrap();
    response.await.unwrap()
}

fn limits() -> Limits {
    Limits { header_read_timeout: Duration::from_secs(2), write_timeout: Duration::from_secs(3), ..Limits::default() }
}

#[tokio::test]
async fn an_idle_h2_connection_is_told_goaway_and_closed_though_it_answers_pings() {
    let lab = start_tls("idle-h2", Config { limits: limits(), ..Config::default() }).await;
    let (mut sender, connection) = h2_from(client(1), &lab, 65_535).await;
    let res = open(&mut sender, &lab, "/lab/get").await;
    assert_eq!(res.status(), 200);
    let mut body = res.into_body();
    while let Some(chunk) = body.data().await {
        let chunk = chunk.unwrap();
        body.flow_control().release_capacity(chunk.len()).unwrap();
    }
    // The client's connection task answers every PING the lab sends; the
    // lab still ends the connection once no request is under way.
    let ended = eventually("an idle h2 connection closed", connection).await.unwrap();
    assert!(ended.is_ok(), "closed with GOAWAY, not torn down: {ended:?}");
}

#[tokio::test]
async fn a_tls_connection_that_agrees_on_h2_and_says_nothing_is_closed() {
    let lab = start_tls("silent-h2", Config { limits: limits(), ..Config::default() }).await;
    for (addr, alpn) in [(lab.h2, &b"h2"[..]), (lab.http11, &b"http/1.1"[..])] {
        let mut tls = connect_from(client(1), addr, &lab.pin, &[alpn]).await.unwrap();
        assert_eq!(tls.get_ref().1.alpn_protocol(), Some(alpn));
        let mut rest = Vec::new();
        // No preface, no request: the lab closes it (EOF, or a reset).
        let _ = eventually("a silent TLS connection closed", tls.read_to_end(&mut rest)).await;
        assert!(rest.len() < 64, "at most a SETTINGS or GOAWAY frame came: {} bytes", rest.len());
    }
}

#[tokio::test]
async fn zero_window_streams_give_back_the_slow_lane_and_are_reset() {
    let limits = limits();
    let lab = start_tls("zero-window", Config { limits: limits.clone(), ..Config::default() }).await;
    // Four addresses, each at its share of slow turns: 64 streams that
    // never open their window hold every turn of the slow lane.
    let per_client = limits.slow_per_client;
    assert_eq!(per_client * 4, limits.slow_total);
    let mut held = Vec::new();
    let mut connections = Vec::new();
    for n in 2..6 {
        let (mut sender, connection) = h2_from(client(n), &lab, 0).await;
        for _ in 0..per_client {
            let res = open(&mut sender, &lab, "/lab/delay/0").await;
            assert_eq!(res.status(), 200);
            held.push(res.into_body());
        }
        connections.push((sender, connection));
    }
    // Another learner's slow request is served, not left to time out (408).
    let other =
        eventually("another client's slow request", send_from(client(9), lab.plain, "GET /lab/delay/0 HTTP/1.1\r\nHost: 127.0.0.1", b""))
            .await;
    assert_eq!(other.status, 200, "{}", other.text());
    // The holder's own turns came back: its next slow request is no 429.
    let (mut sender, _connection) = h2_from(client(2), &lab, 65_535).await;
    let mine = open(&mut sender, &lab, "/lab/delay/0").await;
    assert_eq!(mine.status(), 200);
    // And every stream whose window stayed shut is reset by the lab.
    for mut body in held {
        let end = eventually("a zero-window stream reset", body.data()).await;
        let err = end.expect("no body can arrive through a shut window").unwrap_err();
        assert!(err.is_reset(), "{err:?}");
        assert_eq!(err.reason(), Some(h2::Reason::CANCEL), "{err:?}");
    }
}

#[tokio::test]
async fn past_the_cap_a_connections_stalled_streams_are_reset_at_once() {
    // A write timeout far beyond the test: only the cap resets streams.
    let limits = Limits { write_timeout: Duration::from_secs(600), ..Limits::default() };
    let lab = start_tls("stall-cap", Config { limits: limits.clone(), ..Config::default() }).await;
    let (mut sender, _connection) = h2_from(client(1), &lab, 0).await;
    let streams = limits.max_stalled_streams + 24;
    let mut bodies = Vec::new();
    for _ in 0..streams {
        bodies.push(open(&mut sender, &lab, "/lab/bytes/1000").await.into_body());
    }
    // Each stream's end, as it comes: the kept ones never end here.
    let (ends, mut ended) = tokio::sync::mpsc::unbounded_channel();
    for mut body in bodies {
        let ends = ends.clone();
        tokio::spawn(async move {
            let _ = ends.send(matches!(body.data().await, Some(Err(e)) if e.is_reset()));
        });
    }
    // The resets come once the streams count as stalled (after the grace).
    let mut reset = 0;
    while reset < 24 {
        assert!(eventually("a stream past the cap reset", ended.recv()).await.unwrap(), "a stream ended without a reset");
        reset += 1;
    }
    assert!(ended.try_recv().is_err(), "{} streams stalled within the cap are kept until the write timeout", limits.max_stalled_streams);
    assert_eq!(reset, 24);
    // The connection itself still serves: a new request's answer starts
    // (its head is not held by flow control).
    assert_eq!(open(&mut sender, &lab, "/lab/get").await.status(), 200);
}

#[tokio::test]
async fn eight_addresses_of_half_open_handshakes_leave_room_for_a_ninth() {
    let lab = start_tls("half-open", Config::default()).await;
    let limits = Limits::default();
    // 8 × 64 connections that never send a ClientHello: without a cap on
    // handshakes and a reserve, they held all 512 connections.
    let mut silent = Vec::new();
    for n in 1..=8 {
        for _ in 0..limits.max_connections_per_client {
            if let Ok(s) = tcp_from(client(n), lab.h2).await {
                silent.push(s);
            }
        }
    }
    let tls = eventually("a ninth address's handshake", connect_from(client(9), lab.h2, &lab.pin, &[b"h2"])).await;
    let (mut sender, connection) = h2::client::handshake(tls.expect("the ninth address is let in")).await.unwrap();
    tokio::spawn(connection);
    futures_util::future::poll_fn(|cx| sender.poll_ready(cx)).await.unwrap();
    let req = hyper::Request::get(format!("https://127.0.0.1:{}/lab/get", lab.h2.port())).body(()).unwrap();
    let res = sender.send_request(req, true).unwrap().0.await.unwrap();
    assert_eq!(res.status(), 200);
    drop(silent);
}

#[tokio::test]
async fn eight_addresses_of_silent_connections_leave_room_for_a_ninth_over_plain_http() {
    // No handshake to cap here: the reserve keeps the last quarter of the
    // connections for addresses that hold few.
    let lab = start_tls("reserve", Config::default()).await;
    let limits = Limits::default();
    let mut silent = Vec::new();
    for n in 1..=8 {
        for _ in 0..limits.max_connections_per_client {
            if let Ok(s) = tcp_from(client(n), lab.plain).await {
                silent.push(s);
            }
        }
    }
    let res =
        eventually("a ninth address's request", send_from(client(9), lab.plain, "GET /lab/get HTTP/1.1\r\nHost: 127.0.0.1", b"")).await;
    assert_eq!(res.status, 200, "{}", res.text());
    // The eighth address, past the reserve's few, is told why (at once,
    // before it sends anything).
    let mut refused = tcp_from(client(8), lab.plain).await.unwrap();
    let mut answer = String::new();
    eventually("the refusal", refused.read_to_string(&mut answer)).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(answer.contains("keeps its last connections"), "{answer}");
    drop(silent);
}

#[tokio::test]
async fn a_client_past_its_handshake_share_is_told_why_over_h2_and_http11() {
    let lab = start_tls("handshake-share", Config::default()).await;
    let share = Limits::default().max_handshakes_per_client;
    for (addr, alpn) in [(lab.h2, &b"h2"[..]), (lab.http11, &b"http/1.1"[..])] {
        let mut silent = Vec::new();
        for _ in 0..share {
            silent.push(tcp_from(client(7), addr).await.unwrap());
        }
        // The same address's next connection is answered, not dropped.
        let tls = connect_from(client(7), addr, &lab.pin, &[alpn]).await.expect("the handshake of a refusal completes");
        let (status, text) = if alpn == b"h2" {
            let (mut sender, connection) = h2::client::handshake(tls).await.unwrap();
            tokio::spawn(connection);
            let req = hyper::Request::get(format!("https://127.0.0.1:{}/lab/get", addr.port())).body(()).unwrap();
            let res = sender.send_request(req, true).unwrap().0.await.unwrap();
            let status = res.status();
            let mut body = res.into_body();
            let mut text = Vec::new();
            while let Some(chunk) = body.data().await {
                text.extend_from_slice(&chunk.unwrap());
            }
            (status, String::from_utf8(text).unwrap())
        } else {
            let (mut sender, connection) = hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(tls)).await.unwrap();
            tokio::spawn(connection);
            let req = hyper::Request::get("/lab/get").header("host", "127.0.0.1").body(http_body_util::Empty::<Bytes>::new()).unwrap();
            let res = sender.send_request(req).await.unwrap();
            let status = res.status();
            let bytes = http_body_util::BodyExt::collect(res.into_body()).await.unwrap().to_bytes();
            (status, String::from_utf8(bytes.to_vec()).unwrap())
        };
        assert_eq!(status, 503, "{text}");
        assert!(text.contains("TLS handshake"), "the reason is given: {text}");
        drop(silent);
    }
}

/// A raw HTTP/1.1 exchange on the plain listener.
async fn raw(addr: SocketAddr, head: &str) -> common::Reply {
    send(addr, head, b"").await
}

#[tokio::test]
async fn a_request_that_names_two_hosts_or_another_is_refused_over_http11() {
    let lab = start_tls("hosts", Config::default()).await;
    let port = lab.plain.port();
    for head in
        ["GET /lab/get HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example", "GET /lab/get HTTP/1.1\r\nHost: evil.example\r\nHost: 127.0.0.1"]
    {
        let res = raw(lab.plain, head).await;
        assert_eq!(res.status, 400, "{head}: {}", res.text());
        assert!(res.json()["error"].as_str().unwrap().contains("two Host headers"), "{}", res.text());
        assert_eq!(res.header("content-security-policy"), Some("sandbox; default-src 'none'"));
    }
    // An absolute-form target names the host; its Host header is ignored.
    for host in ["127.0.0.1".to_owned(), format!("127.0.0.1:{port}"), "evil.example".to_owned()] {
        let res = raw(lab.plain, &format!("GET http://evil.example/lab/get HTTP/1.1\r\nHost: {host}")).await;
        assert_eq!(res.status, 421, "{}", res.text());
        assert!(res.json()["error"].as_str().unwrap().contains("evil.example"), "{}", res.text());
        assert_eq!(res.header("content-security-policy"), Some("sandbox; default-src 'none'"), "a 421 is sandboxed too");
    }
    for host in [format!("127.0.0.1:{port}"), "localhost:80".to_owned()] {
        let res = raw(lab.plain, &format!("GET http://localhost:{port}/lab/get HTTP/1.1\r\nHost: {host}")).await;
        assert_eq!(res.status, 200, "an absolute-form target naming the lab is fine: {}", res.text());
    }
}

#[tokio::test]
async fn an_authority_that_is_not_the_labs_is_refused_over_h2() {
    let lab = start_tls("authority", Config::default()).await;
    let (mut sender, _connection) = h2_from(client(1), &lab, 65_535).await;
    let port = lab.h2.port();
    let cases = [
        ("https://evil.example/lab/get".to_owned(), Some(format!("127.0.0.1:{port}")), 400),
        ("https://evil.example/lab/get".to_owned(), None, 421),
        (format!("https://127.0.0.1:{port}/lab/get"), Some("evil.example".to_owned()), 400),
        (format!("https://127.0.0.1:{port}/lab/get"), Some(format!("127.0.0.1:{port}")), 200),
    ];
    for (uri, host, status) in cases {
        futures_util::future::poll_fn(|cx| sender.poll_ready(cx)).await.unwrap();
        let mut req = hyper::Request::get(&uri);
        if let Some(host) = &host {
            req = req.header("host", host);
        }
        let res = sender.send_request(req.body(()).unwrap(), true).unwrap().0.await.unwrap();
        assert_eq!(res.status(), status, "{uri} with host {host:?}");
        if status != 200 {
            assert_eq!(res.headers()["content-security-policy"], "sandbox; default-src 'none'");
        }
    }
}

#[tokio::test]
async fn a_cors_preflight_is_sandboxed_like_every_lab_answer() {
    let lab = start_tls("preflight", Config::default()).await;
    let res = raw(
        lab.plain,
        "OPTIONS /lab/put HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://localhost:3000\r\nAccess-Control-Request-Method: PUT\r\nAccess-Control-Request-Headers: content-type",
    )
    .await;
    assert!(res.status == 200 || res.status == 204, "{}", res.status);
    assert!(res.header("access-control-allow-methods").is_some());
    assert_eq!(res.header("content-security-policy"), Some("sandbox; default-src 'none'"));
}

#[tokio::test]
async fn a_folders_redirect_stays_on_the_path_it_came_from() {
    let root = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("folders-{}", std::process::id()));
    let (dist, pages) = (root.join("dist"), root.join("pages"));
    std::fs::create_dir_all(dist.join("lessons")).unwrap();
    std::fs::create_dir_all(pages.join("site")).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html><title>app</title>").unwrap();
    std::fs::write(dist.join("lessons/index.json"), "{}").unwrap();
    std::fs::write(pages.join("site/index.html"), "<!doctype html><title>site</title>").unwrap();
    let lab = start_tls("folders", Config { dist: Some(dist), pages: Some(pages), ..Config::default() }).await;
    for (path, location) in [
        ("//lessons", "/lessons/"),
        ("///lessons?x=1", "/lessons/?x=1"),
        ("/pages/site", "/pages/site/"),
        ("/pages/site?y=2", "/pages/site/?y=2"),
    ] {
        let res = raw(lab.plain, &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1")).await;
        assert!((300..400).contains(&res.status), "{path}: {}", res.status);
        // Never `//lessons/`: a browser would go to the host "lessons".
        assert_eq!(res.header("location"), Some(location), "{path}");
    }
    let res = raw(lab.plain, "GET /pages/site/ HTTP/1.1\r\nHost: 127.0.0.1").await;
    assert_eq!(res.status, 200, "the redirect's target is served");
    assert!(res.text().contains("<title>site</title>"));
    // `/pages` itself is the app's page, which a HAR link opens.
    let res = raw(lab.plain, "GET /pages?har=/pages/site/x.har HTTP/1.1\r\nHost: 127.0.0.1").await;
    assert_eq!(res.status, 200);
    assert!(
        res.text().contains("<title>app</title>") || res.header("content-type").is_some_and(|t| t.starts_with("text/html")),
        "{}",
        res.text()
    );
}

#[tokio::test]
async fn one_client_may_keep_only_its_share_of_responses_waiting_over_all_its_connections() {
    // A write timeout far beyond the test, and more stalled streams allowed
    // than the share: only the share resets streams.
    let limits = Limits { write_timeout: Duration::from_secs(600), max_waiting_per_client: 8, ..Limits::default() };
    let lab = start_tls("waiting-share", Config { limits: limits.clone(), ..Config::default() }).await;
    let (ends, mut ended) = tokio::sync::mpsc::unbounded_channel();
    let mut keep = Vec::new();
    for _ in 0..3 {
        let (mut sender, connection) = h2_from(client(4), &lab, 0).await;
        for _ in 0..4 {
            let mut body = open(&mut sender, &lab, "/lab/bytes/1000").await.into_body();
            let ends = ends.clone();
            tokio::spawn(async move {
                let _ = ends.send(matches!(body.data().await, Some(Err(e)) if e.is_reset()));
            });
        }
        keep.push((sender, connection));
    }
    for _ in 0..4 {
        assert!(eventually("a response past the share reset", ended.recv()).await.unwrap(), "ended without a reset");
    }
    // Another client has its own share.
    let (mut other, _c) = h2_from(client(5), &lab, 0).await;
    for _ in 0..8 {
        assert_eq!(open(&mut other, &lab, "/lab/bytes/1000").await.status(), 200);
    }
    assert!(ended.try_recv().is_err(), "the 8 within the share wait");
}
