//! Issue 15, "the lab is safe to run for a class": each attack that once
//! worked, tried again over real HTTP on loopback, and what the attacker
//! sees now. Numbers refer to the issue's list.

mod common;

use common::{get, send};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

// ---- 1. script on the app's origin ------------------------------------------

#[tokio::test]
async fn attack_1_a_query_cannot_turn_response_headers_into_a_page() {
    let addr = common::start(None).await;
    let reply = get(addr, "/lab/response-headers?Content-Type=text/html&x=%3Cscript%3Ealert(document.cookie)%3C/script%3E").await;
    assert_eq!(reply.status, 400, "{}", reply.text());
    assert_eq!(reply.all("content-type"), ["application/json"], "one Content-Type, JSON");
    assert_eq!(reply.header("content-security-policy"), Some("sandbox; default-src 'none'"));
    assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
    let err = reply.json();
    assert_eq!(err["header"], "Content-Type");
    let msg = err["error"].as_str().unwrap();
    assert!(msg.contains("will not send the header Content-Type") && msg.contains("/lab/html"), "it teaches why: {msg}");
    assert!(!reply.text().contains("<script>"), "the query is not echoed unescaped: {}", reply.text());
}

#[tokio::test]
async fn attack_1_every_lab_answer_is_sandboxed_data_not_a_page() {
    let addr = common::start(None).await;
    for path in
        ["/lab/get", "/lab/html", "/lab/status/500", "/lab/nope", "/lab/response-headers?X-A=1", "/lab/image/svg", "/lab/cookies/set?a=1"]
    {
        let csp = get(addr, path).await.header("content-security-policy").map(str::to_owned);
        assert_eq!(csp.as_deref(), Some("sandbox; default-src 'none'"), "{path}");
    }
    // The HTML index keeps the sandbox and allows its one stylesheet by hash.
    let index = send(addr, "GET /lab/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html", b"").await;
    let csp = index.header("content-security-policy").unwrap();
    assert!(csp.starts_with("sandbox; default-src 'none'; style-src 'sha256-"), "{csp}");
    assert!(!csp.contains("script"), "{csp}");
    // Pages under test run their scripts in the app's frame: their own policy.
    assert_eq!(get(addr, "/lab/page/tiny").await.header("content-security-policy"), Some("frame-ancestors 'self'"));
}

// ---- 2. open redirect; 3. links that wipe data or plant cookies -------------

#[tokio::test]
async fn attacks_2_and_3_response_headers_refuses_what_moves_wipes_or_plants_and_says_why() {
    let addr = common::start(None).await;
    for (query, header, teaches) in [
        ("Refresh=0;url=http://evil.example/", "Refresh", "open redirect"),
        ("Refresh=0;url=javascript:alert(1)", "Refresh", "open redirect"),
        ("Location=//evil.example/", "Location", "open redirect"),
        ("Clear-Site-Data=%22storage%22,%22cookies%22", "Clear-Site-Data", "wipe"),
        ("Set-Cookie=rt_session=x;%20Domain=127.0.0.1", "Set-Cookie", "/lab/cookies/set"),
        ("content-security-policy=default-src%20*", "content-security-policy", "security header"),
        ("X-Content-Type-Options=sniff", "X-Content-Type-Options", "security header"),
        ("Access-Control-Allow-Credentials=true", "Access-Control-Allow-Credentials", "CORS"),
        ("Link=%3C//evil.example%3E;%20rel=preload", "Link", "fetch other URLs"),
        ("X-Fine=1&Refresh=0", "Refresh", "open redirect"),
    ] {
        let reply = get(addr, &format!("/lab/response-headers?{query}")).await;
        assert_eq!(reply.status, 400, "{query}: {}", reply.text());
        for refused in ["refresh", "location", "clear-site-data", "set-cookie", "link"] {
            assert!(reply.header(refused).is_none(), "{query} sent {refused}");
        }
        assert_eq!(reply.all("content-security-policy"), ["sandbox; default-src 'none'"], "{query}");
        let err = reply.json();
        assert_eq!(err["header"], header, "{query}");
        assert!(err["error"].as_str().unwrap().contains(teaches), "{query}: {err}");
    }
    // What lessons use still works.
    let ok = get(addr, "/lab/response-headers?X-Lesson=cookies&Cache-Control=no-store&Vary=Accept").await;
    assert_eq!((ok.status, ok.header("x-lesson"), ok.header("vary")), (200, Some("cookies"), Some("Accept")));
}

// ---- 6. predictable tokens ---------------------------------------------------

/// The generator the lab once made tokens with (xorshift64*), run one step
/// forward from one output: what an attacker who knows it would predict.
fn next_xorshift_output(output: u64) -> u64 {
    const M: u64 = 0x2545_F491_4F6C_DD1D;
    let mut inverse = M; // Newton's iteration: M·inverse ≡ 1 (mod 2^64).
    for _ in 0..6 {
        inverse = inverse.wrapping_mul(2u64.wrapping_sub(M.wrapping_mul(inverse)));
    }
    let mut x = output.wrapping_mul(inverse);
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    x.wrapping_mul(M)
}

fn words(bytes: &[u8]) -> Vec<u64> {
    bytes.chunks_exact(8).map(|c| u64::from_le_bytes(c.try_into().unwrap())).collect()
}

#[tokio::test]
async fn attack_6_tokens_do_not_come_from_the_generator_bytes_serves() {
    let addr = common::start(None).await;
    // /lab/bytes is a plain xorshift64* stream, and the predictor sees that.
    let sample = get(addr, "/lab/bytes/64").await.body;
    let w = words(&sample);
    assert!(w.windows(2).all(|p| next_xorshift_output(p[0]) == p[1]), "the predictor recognises the generator");
    // Two requests at once get unrelated streams (seeded from the OS, not the clock).
    let (a, b) = tokio::join!(get(addr, "/lab/bytes/16"), get(addr, "/lab/bytes/16"));
    assert_ne!(a.body, b.body);

    // Session and notes keys: 128 bits that no step of that generator links.
    let mut seen = std::collections::HashSet::new();
    for i in 0..40 {
        let reply = if i % 2 == 0 {
            send(
                addr,
                "POST /lab/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json",
                br#"{"user":"learner","password":"opensesame"}"#,
            )
            .await
        } else {
            send(addr, "POST /lab/notes HTTP/1.1\r\nHost: 127.0.0.1", br#"{"text":"x"}"#).await
        };
        let line = reply.header("set-cookie").unwrap().to_owned();
        let token = line.split(';').next().unwrap().split('=').nth(1).unwrap().to_owned();
        assert_eq!(token.len(), 32, "{line}");
        let high = u64::from_str_radix(&token[..16], 16).unwrap();
        let low = u64::from_str_radix(&token[16..], 16).unwrap();
        assert_ne!(next_xorshift_output(high), low, "token {token} is two steps of xorshift64*: predictable");
        assert!(seen.insert(token), "a token repeated");
    }
}

// ---- 9. bounds with gaps -----------------------------------------------------

#[tokio::test]
async fn attack_9_cookie_attributes_are_capped_so_a_small_query_cannot_make_a_huge_answer() {
    let addr = common::start(None).await;
    let repeated = format!("/lab/cookies/set?a=1{}", "&Path=/lab".repeat(2000));
    let reply = get(addr, &repeated).await;
    assert!(reply.bad_param().contains("at most once"), "{}", reply.text());
    assert!(reply.body.len() < 1024 && reply.header("set-cookie").is_none());
    // The most a query can ask for: 20 cookies of 1 KiB, every attribute once.
    let cookies: String = (0..20).map(|i| format!("c{i}={}&", "v".repeat(1024))).collect();
    let query = format!("{cookies}Path=/lab&Max-Age=60&SameSite=Strict&HttpOnly&Secure");
    let reply = get(addr, &format!("/lab/cookies/set?{query}")).await;
    assert_eq!(reply.status, 302);
    let out: usize = reply.all("set-cookie").iter().map(|l| l.len()).sum();
    assert!(out < 2 * query.len(), "{out} bytes of Set-Cookie for a {}-byte query", query.len());
}

// ---- 4. timeouts (the 20,000-connection flood is in flood.rs) ---------------

fn quick() -> roundtrip_lab::Config {
    let limits = roundtrip_lab::Limits {
        header_read_timeout: Duration::from_millis(800),
        write_timeout: Duration::from_millis(800),
        request_timeout: Duration::from_secs(2),
        ..roundtrip_lab::Limits::default()
    };
    roundtrip_lab::Config { limits, ..roundtrip_lab::Config::default() }
}

/// Reads until the lab closes the connection; how long after `started`
/// that was, and what came.
async fn closed_since(started: Instant, stream: &mut tokio::net::TcpStream, within: Duration) -> (Duration, Vec<u8>) {
    let mut got = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match tokio::time::timeout_at((started + within).into(), stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return (started.elapsed(), got),
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
            Err(_) => panic!("still open after {within:?}"),
        }
    }
}

#[tokio::test]
async fn attack_4_idle_half_sent_and_kept_alive_connections_are_closed_after_the_timeout() {
    let addr = common::start_with(quick()).await;
    let started = Instant::now();
    let mut silent = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut half = tokio::net::TcpStream::connect(addr).await.unwrap();
    half.write_all(b"GET /lab/get HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ").await.unwrap();
    let mut kept = tokio::net::TcpStream::connect(addr).await.unwrap();
    kept.write_all(b"GET /lab/get HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").await.unwrap();
    let (silent_took, _) = closed_since(started, &mut silent, Duration::from_secs(5)).await;
    let (half_took, _) = closed_since(started, &mut half, Duration::from_secs(5)).await;
    let (kept_took, answer) = closed_since(started, &mut kept, Duration::from_secs(5)).await;
    assert!(String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 200"), "answered first");
    for (what, took) in [("silent", silent_took), ("half-sent", half_took), ("idle keep-alive", kept_took)] {
        assert!(took >= Duration::from_millis(600) && took < Duration::from_secs(3), "{what} closed after {took:?}");
    }
}

// ---- 5. slow readers and amplification (RSS is measured in process.rs) ------

#[tokio::test]
async fn attack_5_a_client_that_stops_reading_is_cut_off_and_holds_no_big_buffer() {
    let addr = common::start_with(quick()).await;
    let mut stalled = tokio::net::TcpStream::connect(addr).await.unwrap();
    stalled.write_all(b"GET /lab/bytes/10485760 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").await.unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await; // not reading, past the write timeout
    let (_, got) = closed_since(Instant::now(), &mut stalled, Duration::from_secs(5)).await;
    assert!(got.starts_with(b"HTTP/1.1 200"), "it began");
    assert!(got.len() < 10 * 1024 * 1024, "the lab gave up on the rest: {} bytes", got.len());
    // A reader that keeps reading gets it all.
    assert_eq!(get(addr, "/lab/bytes/3000000").await.body.len(), 3_000_000);
}

#[tokio::test]
async fn attack_5_big_request_heads_are_not_amplified() {
    let addr = common::start(None).await;
    let headers = |bytes: usize| (0..bytes / 1000).map(|i| format!("\r\nX-Pad-{i}: {}", "p".repeat(990))).collect::<String>();
    // 60 KB of headers: stream/100 would be 6 MB; the lab refuses and says what fits.
    let reply = send(addr, &format!("GET /lab/stream/100 HTTP/1.1\r\nHost: 127.0.0.1{}", headers(60_000)), b"").await;
    let msg = reply.bad_param();
    assert!(msg.contains("at most 4") && msg.contains("fewer headers"), "{msg}");
    assert!(reply.body.len() < 1000);
    let fits = send(addr, &format!("GET /lab/stream/4 HTTP/1.1\r\nHost: 127.0.0.1{}", headers(60_000)), b"").await;
    assert_eq!(fits.status, 200);
    assert!(fits.body.len() <= roundtrip_lab_stream_budget(), "{}", fits.body.len());
    // 378 KB of headers (the attack) is not even read: 431.
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!("GET /lab/stream/100 HTTP/1.1\r\nHost: 127.0.0.1{}\r\n\r\n", headers(378_000));
    let _ = stream.write_all(head.as_bytes()).await; // the lab may close before it has all
    let (_, got) = closed_since(Instant::now(), &mut stream, Duration::from_secs(5)).await;
    assert!(got.starts_with(b"HTTP/1.1 431"), "{}", String::from_utf8_lossy(&got[..got.len().min(200)]));
    // An ordinary request still streams its 100 lines.
    assert_eq!(get(addr, "/lab/stream/100").await.text().lines().count(), 100);
}

fn roundtrip_lab_stream_budget() -> usize {
    256 * 1024
}

// ---- 11. the slow lane lasts the whole body, and is shared fairly -----------

#[tokio::test]
async fn attack_11_one_client_cannot_hold_the_slow_lane_and_a_turn_lasts_until_the_body_ends() {
    let addr = common::start(None).await;
    let attacker = std::net::IpAddr::from([127, 0, 0, 2]);
    let mut held = Vec::new();
    for _ in 0..64 {
        held.push(tokio::spawn(common::send_from(attacker, addr, "GET /lab/delay/3 HTTP/1.1\r\nHost: 127.0.0.1", b"")));
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = Instant::now();
    let other = get(addr, "/lab/delay/0").await;
    assert_eq!(other.status, 200);
    assert!(started.elapsed() < Duration::from_millis(500), "another learner waited {:?}", started.elapsed());
    let mut statuses = Vec::new();
    for h in held {
        statuses.push(h.await.unwrap());
    }
    let busy: Vec<_> = statuses.iter().filter(|r| r.status == 429).collect();
    assert_eq!(statuses.iter().filter(|r| r.status == 200).count(), 16, "one client's share");
    assert_eq!(busy.len(), 48);
    assert_eq!(busy[0].header("retry-after"), Some("1"));
    assert!(busy[0].json()["error"].as_str().unwrap().contains("every learner gets a turn"));

    // A small lane: 2 turns. Two drips answer their headers at once and send
    // their bodies for a second; a third request waits for a body to end.
    let mut config = roundtrip_lab::Config::default();
    config.limits.slow_total = 2;
    let addr = common::start_with(config).await;
    let drips: Vec<_> = (2..4u8)
        .map(|i| {
            let from = std::net::IpAddr::from([127, 0, 0, i]);
            tokio::spawn(common::send_from(from, addr, "GET /lab/drip?duration=1&numbytes=5 HTTP/1.1\r\nHost: 127.0.0.1", b""))
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    assert_eq!(get(addr, "/lab/delay/0").await.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(600), "it waited for a drip's body: {:?}", started.elapsed());
    for d in drips {
        assert_eq!(d.await.unwrap().body, b"*****");
    }
}

// ---- 7. one client evicts everyone ---------------------------------------------

#[tokio::test]
async fn attack_7_five_thousand_cookieless_posts_and_logins_evict_only_the_attackers_own() {
    let addr = common::start(None).await;
    let note = send(addr, "POST /lab/notes HTTP/1.1\r\nHost: 127.0.0.1", br#"{"text":"my homework"}"#).await;
    let notes_cookie = note.header("set-cookie").unwrap().split(';').next().unwrap().to_owned();
    let login = send(addr, "POST /lab/login HTTP/1.1\r\nHost: 127.0.0.1", b"user=learner&password=opensesame").await;
    let session = login.header("set-cookie").unwrap().split(';').next().unwrap().to_owned();

    // The attacker, from another address, on one keep-alive connection.
    let mut flood = common::connect_from([127, 0, 0, 2].into(), addr).await.unwrap();
    let started = Instant::now();
    let (mut sent, mut answered) = (0, 0);
    let mut buf = vec![0u8; 1 << 16];
    while sent < 5000 && started.elapsed() < Duration::from_secs(60) {
        let req: &[u8] = if sent % 2 == 0 {
            b"POST /lab/notes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 12\r\n\r\n{\"text\":\"x\"}"
        } else {
            b"POST /lab/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 32\r\n\r\nuser=learner&password=opensesame"
        };
        flood.write_all(req).await.unwrap();
        sent += 1;
        // One answer per request; each ends with its JSON body's closing brace.
        loop {
            let n = flood.read(&mut buf).await.unwrap();
            assert!(n > 0, "the lab closed the flood after {sent}");
            if buf[..n].ends_with(b"}") {
                answered += 1;
                break;
            }
        }
    }
    assert_eq!((sent, answered), (5000, 5000), "every request was served, within {:?}", started.elapsed());

    let mine = send(addr, &format!("GET /lab/notes HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {notes_cookie}"), b"").await;
    assert_eq!(mine.json()["notes"][0]["text"], "my homework", "{}", mine.text());
    let account = send(addr, &format!("GET /lab/account HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {session}"), b"").await;
    assert_eq!(account.status, 200, "still logged in: {}", account.text());
}

// ---- 8. credentialed CORS for any origin; no Host check ----------------------

#[tokio::test]
async fn attack_8_only_the_apps_origin_and_named_origins_get_credentials() {
    let config = roundtrip_lab::Config { allowed_origins: vec!["http://localhost:3000".into()], ..roundtrip_lab::Config::default() };
    let addr = common::start_exactly(config).await;
    let own = format!("http://127.0.0.1:{}", addr.port());
    let session = send(addr, "POST /lab/login HTTP/1.1\r\nHost: 127.0.0.1", b"user=learner&password=opensesame").await;
    let cookie = session.header("set-cookie").unwrap().split(';').next().unwrap().to_owned();
    let host = format!("127.0.0.1:{}", addr.port());
    let ask = |origin: String, path: &'static str| {
        let head = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nOrigin: {origin}\r\nCookie: {cookie}");
        async move { send(addr, &head, b"").await }
    };
    for evil in ["http://evil.example", "null", "http://127.0.0.1:9999", "http://localhost:3001"] {
        for path in ["/lab/account", "/lab/notes"] {
            let reply = ask(evil.to_owned(), path).await;
            assert_eq!(reply.header("access-control-allow-credentials"), None, "{evil} {path}: a browser will not hand it the answer");
        }
        let preflight = send(
            addr,
            &format!("OPTIONS /lab/notes HTTP/1.1\r\nHost: {host}\r\nOrigin: {evil}\r\nAccess-Control-Request-Method: DELETE"),
            b"",
        )
        .await;
        assert_eq!(preflight.header("access-control-allow-credentials"), None, "{evil}");
        // Without cookies it may still call the echo and read it: lessons teach that.
        let echo = send(addr, &format!("GET /lab/get HTTP/1.1\r\nHost: {host}\r\nOrigin: {evil}"), b"").await;
        assert_eq!(echo.header("access-control-allow-origin"), Some(evil));
    }
    for friend in [own.as_str(), "http://localhost:3000"] {
        let reply = ask(friend.to_owned(), "/lab/account").await;
        assert_eq!(reply.status, 200);
        assert_eq!(reply.header("access-control-allow-credentials"), Some("true"), "{friend}");
        assert_eq!(reply.header("access-control-allow-origin"), Some(friend));
    }
}

#[tokio::test]
async fn attack_8_a_rebound_name_is_refused_and_told_why() {
    let addr = common::start_exactly(roundtrip_lab::Config::default()).await;
    for host in ["evil.example", &format!("evil.example:{}", addr.port()), "127.0.0.1.nip.example", "10.1.2.3"] {
        let reply = send(addr, &format!("GET /lab/account HTTP/1.1\r\nHost: {host}"), b"").await;
        assert_eq!(reply.status, 421, "{host}");
        let msg = reply.json()["error"].as_str().unwrap().to_owned();
        assert!(msg.contains("DNS-rebinding") && msg.contains("--allow-host"), "{msg}");
        assert_eq!(send(addr, &format!("GET / HTTP/1.1\r\nHost: {host}"), b"").await.status, 421, "the app too: {host}");
    }
    for host in ["localhost", &format!("localhost:{}", addr.port()), "127.0.0.1", &format!("[::1]:{}", addr.port()), "127.0.0.2:80"] {
        assert_eq!(send(addr, &format!("GET /lab/get HTTP/1.1\r\nHost: {host}"), b"").await.status, 200, "{host}");
    }
}

#[tokio::test]
async fn attack_9_a_path_parameter_that_is_not_utf8_gets_the_json_400_that_names_it() {
    let addr = common::start(None).await;
    for (path, name) in [
        ("/lab/delay/%FF", "seconds"),
        ("/lab/status/%C3", "codes"),
        ("/lab/basic-auth/%FF%FE/pw", "user"),
        ("/lab/etag/%80", "etag"),
        ("/lab/notes/%FF", "id"),
        ("/lab/page/%FF", "name"),
    ] {
        let reply = send(addr, &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1"), b"").await;
        assert_eq!(reply.header("content-type"), Some("application/json"), "{path}: {}", reply.text());
        let msg = reply.bad_param();
        assert!(msg.contains(&format!("path parameter {name} is not text")) && msg.contains("UTF-8"), "{path}: {msg}");
        assert_eq!(reply.header("content-security-policy"), Some("sandbox; default-src 'none'"), "{path}");
    }
}
