//! The lab over real HTTP on loopback: a server on port 0, raw HTTP/1.1 bytes
//! on a TcpStream, so what is tested is exactly what goes over the wire.

use roundtrip_lab::{serve, Config};
use roundtrip_model::echo::Echo;
use roundtrip_model::server_timing;
use std::net::SocketAddr;
use std::path::PathBuf;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    fn echo(&self) -> Echo {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not an echo ({e}): {}", self.text()))
    }
}

async fn start(dist: Option<PathBuf>) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(serve(listener, Config { dist }, std::future::pending()));
    addr
}

/// Sends `head` (request line and headers, without the final blank line) and
/// `body`, and reads the whole answer (the connection is closed after it).
async fn send(addr: SocketAddr, head: &str, body: &[u8]) -> Reply {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut req = format!("{head}\r\nConnection: close\r\n");
    if !body.is_empty() {
        req.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    req.push_str("\r\n");
    stream.write_all(req.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a blank line after the headers");
    let head = String::from_utf8(raw[..split].to_vec()).unwrap();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap();
    let status = status_line.split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .map(|l| {
            let (k, v) = l.split_once(':').unwrap();
            (k.trim().to_owned(), v.trim().to_owned())
        })
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers.iter().any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Reply { status, headers, body }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n").unwrap();
        let size = usize::from_str_radix(std::str::from_utf8(&data[..line_end]).unwrap().trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[line_end + 2..line_end + 2 + size]);
        data = &data[line_end + 4 + size..];
    }
}

#[tokio::test]
async fn anything_echoes_the_request_as_received() {
    let addr = start(None).await;
    let reply = send(
        addr,
        "GET /lab/anything/sub/path?x=1&x=2&name=caf%C3%A9 HTTP/1.1\r\nHost: lab.test\r\nX-Zeta: last\r\nAccept: application/json\r\nCookie: a=1; b=two",
        b"",
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let echo = reply.echo();
    assert_eq!(echo.method, "GET");
    assert_eq!(echo.request_line, "GET /lab/anything/sub/path?x=1&x=2&name=caf%C3%A9 HTTP/1.1");
    assert_eq!(echo.path, "/lab/anything/sub/path");
    assert_eq!(echo.url, "http://lab.test/lab/anything/sub/path?x=1&x=2&name=caf%C3%A9");
    assert_eq!(echo.origin, "127.0.0.1");
    assert_eq!(
        echo.args.0,
        vec![("x".into(), "1".into()), ("x".into(), "2".into()), ("name".into(), "café".into())]
    );
    let names: Vec<&str> = echo.header_list.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(names, ["host", "x-zeta", "accept", "cookie", "connection"], "order as sent");
    assert_eq!(echo.headers.get("X-Zeta"), Some("last"));
    assert_eq!(echo.cookies.0, vec![("a".into(), "1".into()), ("b".into(), "two".into())]);
    assert_eq!(echo.body_size, 0);
}

#[tokio::test]
async fn every_lab_response_carries_timing_headers() {
    let addr = start(None).await;
    for path in ["/lab/anything", "/lab/no-such-endpoint"] {
        let reply = send(addr, &format!("GET {path} HTTP/1.1\r\nHost: x"), b"").await;
        assert_eq!(reply.header("timing-allow-origin"), Some("*"), "{path}");
        let metrics = server_timing::parse(reply.header("server-timing").expect("Server-Timing"));
        assert!(metrics.iter().any(|m| m.name == "total" && m.duration_ms.is_some()), "{path}: {metrics:?}");
    }
    let reply = send(addr, "GET /lab/anything HTTP/1.1\r\nHost: x", b"").await;
    let names: Vec<String> = server_timing::parse(reply.header("server-timing").unwrap())
        .into_iter()
        .map(|m| m.name)
        .collect();
    assert_eq!(names, ["route", "parse", "handler", "total"]);
}

#[tokio::test]
async fn bodies_are_echoed_as_text_json_and_form() {
    let addr = start(None).await;
    let json = br#"{"status":"ok","n":3}"#;
    let reply = send(addr, "POST /lab/anything HTTP/1.1\r\nHost: x\r\nContent-Type: application/json", json).await;
    let echo = reply.echo();
    assert_eq!(echo.method, "POST");
    assert_eq!(echo.data, r#"{"status":"ok","n":3}"#);
    assert_eq!(echo.json, Some(serde_json::json!({"status": "ok", "n": 3})));
    assert_eq!(echo.body_size, json.len() as u64);

    let reply = send(
        addr,
        "PUT /lab/anything HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded",
        b"a=1&b=two+words",
    )
    .await;
    let echo = reply.echo();
    assert_eq!(echo.form.0, vec![("a".into(), "1".into()), ("b".into(), "two words".into())]);
    assert_eq!(echo.json, None);
}

#[tokio::test]
async fn big_bodies_are_cut_in_the_echo_and_huge_ones_refused() {
    let addr = start(None).await;
    let big = vec![b'x'; Echo::BODY_TEXT_CAP + 10];
    let echo = send(addr, "POST /lab/anything HTTP/1.1\r\nHost: x", &big).await.echo();
    assert!(echo.body_truncated);
    assert_eq!(echo.body_size, big.len() as u64);
    assert_eq!(echo.data.len(), Echo::BODY_TEXT_CAP);

    let huge = vec![b'x'; 1024 * 1024 + 1];
    let reply = send(addr, "POST /lab/anything HTTP/1.1\r\nHost: x", &huge).await;
    assert_eq!(reply.status, 413);
    let err: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
    assert!(err["error"].as_str().unwrap().contains("1048576 bytes"), "{err}");
}

#[tokio::test]
async fn cors_lets_any_origin_read_the_lab_and_its_timing() {
    let addr = start(None).await;
    let preflight = send(
        addr,
        "OPTIONS /lab/anything HTTP/1.1\r\nHost: x\r\nOrigin: http://app.example:9000\r\nAccess-Control-Request-Method: PATCH\r\nAccess-Control-Request-Headers: x-demo",
        b"",
    )
    .await;
    assert_eq!(preflight.status, 200);
    assert_eq!(preflight.header("access-control-allow-origin"), Some("http://app.example:9000"));
    assert!(preflight.header("access-control-allow-methods").unwrap().contains("PATCH"));
    assert!(preflight.header("access-control-allow-headers").unwrap().contains("x-demo"));

    let reply = send(addr, "GET /lab/anything HTTP/1.1\r\nHost: x\r\nOrigin: http://app.example:9000", b"").await;
    assert_eq!(reply.header("access-control-allow-credentials"), Some("true"));
    let exposed = reply.header("access-control-expose-headers").unwrap();
    assert!(exposed.contains("server-timing") && exposed.contains("timing-allow-origin"), "{exposed}");
}

#[tokio::test]
async fn unknown_lab_paths_answer_json_404() {
    let addr = start(None).await;
    let reply = send(addr, "GET /lab/nope HTTP/1.1\r\nHost: x", b"").await;
    assert_eq!(reply.status, 404);
    let err: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
    assert!(err["error"].as_str().unwrap().contains("/lab/nope"));
}

fn fake_dist() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("roundtrip-lab-test-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("assets")).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><title>Roundtrip</title><div id=app-shell></div>").unwrap();
    std::fs::write(dir.join("assets/app.js"), "console.log('hi')").unwrap();
    dir
}

#[tokio::test]
async fn the_app_is_served_with_a_single_page_fallback() {
    let addr = start(Some(fake_dist())).await;
    for path in ["/", "/lesson/status-codes?x=y", "/some/deep/link"] {
        let reply = send(addr, &format!("GET {path} HTTP/1.1\r\nHost: x"), b"").await;
        assert_eq!(reply.status, 200, "{path}");
        assert!(reply.text().contains("app-shell"), "{path}: {}", reply.text());
    }
    let js = send(addr, "GET /assets/app.js HTTP/1.1\r\nHost: x", b"").await;
    assert_eq!(js.status, 200);
    assert!(js.header("content-type").unwrap().contains("javascript"));
    assert_eq!(js.text(), "console.log('hi')");
}

#[tokio::test]
async fn static_files_cannot_escape_the_dist_folder() {
    let dist = fake_dist();
    std::fs::write(dist.parent().unwrap().join("roundtrip-secret.txt"), "secret").unwrap();
    let addr = start(Some(dist)).await;
    for path in ["/../roundtrip-secret.txt", "/%2e%2e/roundtrip-secret.txt", "/assets/..%2f..%2froundtrip-secret.txt"] {
        let reply = send(addr, &format!("GET {path} HTTP/1.1\r\nHost: x"), b"").await;
        assert!(!reply.text().contains("secret"), "{path} leaked a file outside dist");
    }
}

#[tokio::test]
async fn without_a_built_app_the_root_says_how_to_build_it() {
    let addr = start(None).await;
    let reply = send(addr, "GET / HTTP/1.1\r\nHost: x", b"").await;
    assert_eq!(reply.status, 503);
    assert!(reply.text().contains("cargo xtask serve"));
}

#[tokio::test]
async fn delay_waits_and_says_so_within_bounds() {
    let addr = start(None).await;
    let started = std::time::Instant::now();
    let reply = send(addr, "GET /lab/delay/0.2 HTTP/1.1\r\nHost: x", b"").await;
    assert!(started.elapsed() >= std::time::Duration::from_millis(200));
    assert_eq!(reply.status, 200);
    let metrics = server_timing::parse(reply.header("server-timing").unwrap());
    let names: Vec<&str> = metrics.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["route", "delay", "parse", "handler", "total"]);
    assert_eq!(metrics[1].duration_ms, Some(200.0));
    assert!(metrics[0].duration_ms.unwrap() < 50.0, "routing does not include the delay: {metrics:?}");
    assert_eq!(reply.echo().path, "/lab/delay/0.2");
    for bad in ["10.5", "-1", "soon", "NaN"] {
        let reply = send(addr, &format!("GET /lab/delay/{bad} HTTP/1.1\r\nHost: x"), b"").await;
        assert_eq!(reply.status, 400, "{bad}");
        let err: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
        let msg = err["error"].as_str().unwrap();
        assert!(msg.contains("seconds") && msg.contains("from 0 to 10"), "{msg}");
    }
}

#[tokio::test]
async fn status_answers_the_code_asked_for() {
    let addr = start(None).await;
    for (code, reason) in [(200, "OK"), (404, "Not Found"), (500, "Internal Server Error"), (503, "Service Unavailable")] {
        let reply = send(addr, &format!("GET /lab/status/{code} HTTP/1.1\r\nHost: x"), b"").await;
        assert_eq!(reply.status, code);
        let body: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
        assert_eq!(body["reason"], reason);
    }
    let no_content = send(addr, "GET /lab/status/204 HTTP/1.1\r\nHost: x", b"").await;
    assert_eq!((no_content.status, no_content.body.len()), (204, 0));
    for bad in ["99", "600", "abc", "1000000"] {
        let reply = send(addr, &format!("GET /lab/status/{bad} HTTP/1.1\r\nHost: x"), b"").await;
        assert_eq!(reply.status, 400, "{bad}");
    }
}
