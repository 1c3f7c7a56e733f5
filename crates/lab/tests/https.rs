//! The lab over HTTPS: h2 and http/1.1 by ALPN on one listener, http/1.1
//! only on another, one certificate, trusted here by its pin as the e2e
//! browsers trust it (`--ignore-certificate-errors-spki-list`).

mod common;

use common::tls::{connect, start_tls, Lab};
use http_body_util::BodyExt;
use hyper_util::rt::{TokioExecutor, TokioIo};
use roundtrip_lab::Config;
use roundtrip_model::echo::Echo;
use roundtrip_model::lab::HttpsInfo;
use std::net::SocketAddr;

async fn start(name: &str) -> Lab {
    start_tls(name, Config::default()).await
}

/// GET `path` over a connection (h2 or http/1.1 as ALPN chose): status, headers, body.
async fn get(addr: SocketAddr, pin: &str, alpn: &[&[u8]], path: &str) -> (String, hyper::Response<bytes_body::Body>) {
    get_with(addr, pin, alpn, path, &[]).await
}

async fn get_with(
    addr: SocketAddr,
    pin: &str,
    alpn: &[&[u8]],
    path: &str,
    headers: &[(&str, &str)],
) -> (String, hyper::Response<bytes_body::Body>) {
    let tls = connect(addr, pin, alpn).await.unwrap();
    let protocol = String::from_utf8_lossy(tls.get_ref().1.alpn_protocol().unwrap_or(b"none")).into_owned();
    let uri = format!("https://127.0.0.1:{}{path}", addr.port());
    let res = if protocol == "h2" {
        let (mut sender, conn) = hyper::client::conn::http2::handshake(TokioExecutor::new(), TokioIo::new(tls)).await.unwrap();
        tokio::spawn(conn);
        let mut req = hyper::Request::get(uri);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        sender.send_request(req.body(bytes_body::empty()).unwrap()).await.unwrap()
    } else {
        let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(tls)).await.unwrap();
        tokio::spawn(conn);
        let mut req = hyper::Request::get(path).header("host", format!("127.0.0.1:{}", addr.port()));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let req = req.body(bytes_body::empty()).unwrap();
        sender.send_request(req).await.unwrap()
    };
    let (parts, body) = res.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes();
    (protocol, hyper::Response::from_parts(parts, bytes_body::full(bytes)))
}

mod bytes_body {
    pub type Body = http_body_util::Full<hyper::body::Bytes>;
    pub fn empty() -> http_body_util::Empty<hyper::body::Bytes> {
        http_body_util::Empty::new()
    }
    pub fn full(b: hyper::body::Bytes) -> Body {
        http_body_util::Full::new(b)
    }
}

async fn echo_of(res: hyper::Response<bytes_body::Body>) -> Echo {
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("not an echo ({e}): {}", String::from_utf8_lossy(&bytes)))
}

#[tokio::test]
async fn h2_is_chosen_by_alpn_and_the_echo_says_https_and_http2() {
    let lab = start("h2").await;
    let (protocol, res) = get(lab.h2, &lab.pin, &[b"h2", b"http/1.1"], "/lab/get?x=1").await;
    assert_eq!(protocol, "h2");
    assert_eq!(res.status(), 200);
    assert!(res.headers().contains_key(roundtrip_model::lab::CONNECTION_HEADER), "the connection is named over h2 too");
    assert!(res.headers().contains_key("server-timing"));
    let echo = echo_of(res).await;
    assert_eq!(echo.url, format!("https://127.0.0.1:{}/lab/get?x=1", lab.h2.port()), ":authority stands for Host");
    assert!(echo.request_line.ends_with("HTTP/2"), "{}", echo.request_line);
}

#[tokio::test]
async fn the_http11_only_listener_never_agrees_to_h2() {
    let lab = start("h11").await;
    let (protocol, res) = get(lab.http11, &lab.pin, &[b"h2", b"http/1.1"], "/lab/get").await;
    assert_eq!(protocol, "http/1.1");
    let echo = echo_of(res).await;
    assert!(echo.request_line.ends_with("HTTP/1.1"), "{}", echo.request_line);
    assert!(echo.url.starts_with("https://"), "{}", echo.url);
    // A client that offers only h2 gets no protocol there: the handshake fails.
    assert!(connect(lab.http11, &lab.pin, &[b"h2"]).await.is_err());
}

#[tokio::test]
async fn redirects_over_https_stay_on_https() {
    let lab = start("redirect").await;
    let (_, res) = get(lab.h2, &lab.pin, &[b"h2"], "/lab/absolute-redirect/2").await;
    assert_eq!(res.status(), 302);
    let location = res.headers()["location"].to_str().unwrap();
    assert_eq!(location, format!("https://127.0.0.1:{}/lab/absolute-redirect/1", lab.h2.port()));
    let own = format!("https://127.0.0.1:{}/lab/get", lab.h2.port());
    let (_, res) = get(lab.h2, &lab.pin, &[b"h2"], &format!("/lab/redirect-to?url={}", own.replace(':', "%3A").replace('/', "%2F"))).await;
    assert_eq!(res.status(), 302, "this origin over https is the lab's own");
}

#[tokio::test]
async fn the_plain_listener_says_where_https_is_and_the_pin() {
    let lab = start("info").await;
    let mut tcp = tokio::net::TcpStream::connect(lab.plain).await.unwrap();
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    tcp.write_all(format!("GET /lab/https HTTP/1.1\r\nHost: localhost:{}\r\nConnection: close\r\n\r\n", lab.plain.port()).as_bytes())
        .await
        .unwrap();
    let mut raw = Vec::new();
    tcp.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8_lossy(&raw);
    let body = &text[text.find("\r\n\r\n").unwrap() + 4..];
    let info: HttpsInfo = serde_json::from_str(body).unwrap();
    assert_eq!(info.h2, format!("https://localhost:{}", lab.h2.port()), "named as the request named the lab");
    assert_eq!(info.http11, Some(format!("https://localhost:{}", lab.http11.port())));
    assert_eq!(info.pin, lab.pin);
}

#[tokio::test]
async fn a_client_that_trusts_another_certificate_is_refused_the_handshake() {
    let lab = start("wrong-pin").await;
    let err = connect(lab.h2, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", &[b"h2"]).await.err().unwrap();
    assert!(err.contains("pinned"), "{err}");
    // The lab is still there for the right certificate.
    let (_, res) = get(lab.h2, &lab.pin, &[b"h2"], "/lab/get").await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn a_connection_that_never_finishes_its_handshake_does_not_stop_others() {
    let lab = start("stall").await;
    // Opened and left silent: no ClientHello.
    let _silent: Vec<_> = futures_util::future::join_all((0..5).map(|_| tokio::net::TcpStream::connect(lab.h2))).await;
    let (_, res) = get(lab.h2, &lab.pin, &[b"h2"], "/lab/get").await;
    assert_eq!(res.status(), 200);
}

async fn body_of(res: hyper::Response<bytes_body::Body>) -> Vec<u8> {
    res.into_body().collect().await.unwrap().to_bytes().to_vec()
}

#[tokio::test]
async fn httpbins_other_endpoints_over_h2_and_http11() {
    let lab = start("vocab").await;
    for (addr, alpn) in [(lab.h2, &[&b"h2"[..]][..]), (lab.http11, &[&b"http/1.1"[..]][..])] {
        // A Range request: 206 with the part and Content-Range; outside: 416.
        let (_, res) = get_with(addr, &lab.pin, alpn, "/lab/range/26", &[("range", "bytes=2-4")]).await;
        assert_eq!(res.status(), 206);
        assert_eq!(res.headers()["content-range"], "bytes 2-4/26");
        assert_eq!(res.headers()["accept-ranges"], "bytes");
        assert_eq!(body_of(res).await, b"cde");
        let (_, res) = get_with(addr, &lab.pin, alpn, "/lab/range/26", &[("range", "bytes=30-")]).await;
        assert_eq!(res.status(), 416);
        assert_eq!(res.headers()["content-range"], "bytes */26");
        let (_, res) = get(addr, &lab.pin, alpn, "/lab/range/26").await;
        assert_eq!((res.status().as_u16(), body_of(res).await), (200, b"abcdefghijklmnopqrstuvwxyz".to_vec()));

        let (_, res) = get(addr, &lab.pin, alpn, "/lab/uuid").await;
        let v: serde_json::Value = serde_json::from_slice(&body_of(res).await).unwrap();
        let id = v["uuid"].as_str().unwrap();
        assert_eq!((id.len(), &id[14..15]), (36, "4"), "{id}: a version 4 UUID");

        let (_, res) = get(addr, &lab.pin, alpn, "/lab/base64/aGVsbG8sIHdvcmxk").await;
        assert_eq!(res.headers()["content-type"], "text/plain; charset=utf-8", "never a page");
        assert_eq!(body_of(res).await, b"hello, world");
        let (_, res) = get(addr, &lab.pin, alpn, "/lab/base64/PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg").await;
        assert_eq!(res.headers()["content-type"], "text/plain; charset=utf-8", "markup in a URL stays text");
        let (_, res) = get(addr, &lab.pin, alpn, "/lab/base64/%FF%FE").await;
        assert_eq!(res.status(), 400);

        let (_, res) = get_with(addr, &lab.pin, alpn, "/lab/image", &[("accept", "image/webp,image/*;q=0.8")]).await;
        assert_eq!(res.headers()["content-type"], "image/webp");
        let (_, res) = get_with(addr, &lab.pin, alpn, "/lab/image", &[("accept", "text/html")]).await;
        assert_eq!(res.status(), 406);

        let (_, res) = get(addr, &lab.pin, alpn, "/lab/links/3/1").await;
        let page = String::from_utf8(body_of(res).await).unwrap();
        assert!(page.contains("<a href=\"/lab/links/3/0\">0</a>") && page.contains("<li>1</li>"), "{page}");
        let (_, res) = get(addr, &lab.pin, alpn, "/lab/links/201").await;
        assert_eq!(res.status(), 400);

        let (_, res) = get(addr, &lab.pin, alpn, "/lab/stream-bytes/5000?chunk_size=1000").await;
        assert!(!res.headers().contains_key("content-length"), "streamed without a length");
        assert_eq!(body_of(res).await.len(), 5000);

        let (_, res) = get(addr, &lab.pin, alpn, "/lab/encoding/utf8").await;
        assert!(String::from_utf8(body_of(res).await).unwrap().contains("Καλημέρα"));
        let (_, res) = get(addr, &lab.pin, alpn, "/lab/deny").await;
        assert_eq!(res.status(), 200);
    }
}

#[tokio::test]
async fn the_certificate_survives_a_restart_and_a_bad_one_is_refused_clearly() {
    let dir = std::env::temp_dir().join(format!("roundtrip-https-restart-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let bin = env!("CARGO_BIN_EXE_roundtrip-lab");
    let pin_of_run = |args: &[&str]| {
        let out = std::process::Command::new(bin)
            .args(["--port", "0", "--dist", "/nonexistent"])
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut out = out;
        std::thread::sleep(std::time::Duration::from_millis(700));
        let _ = out.kill();
        let done = out.wait_with_output().unwrap();
        (String::from_utf8_lossy(&done.stdout).into_owned(), String::from_utf8_lossy(&done.stderr).into_owned())
    };
    let dir_arg = dir.to_string_lossy().into_owned();
    let (first, _) = pin_of_run(&["--tls-dir", &dir_arg]);
    let (second, _) = pin_of_run(&["--tls-dir", &dir_arg]);
    let pin = |out: &str| out.lines().find_map(|l| l.split("pin ").nth(1)).map(str::to_owned);
    assert!(first.contains("(made now)"), "{first}");
    assert!(second.contains("(kept)"), "{second}");
    assert_eq!(pin(&first), pin(&second), "the same certificate after a restart");
    std::fs::write(dir.join("bad.pem"), "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n").unwrap();
    let bad = dir.join("bad.pem").to_string_lossy().into_owned();
    let key = dir.join("lab-key.pem").to_string_lossy().into_owned();
    let (_, err) = pin_of_run(&["--tls-cert", &bad, "--tls-key", &key]);
    assert!(err.contains("no HTTPS") && err.contains("bad.pem"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
