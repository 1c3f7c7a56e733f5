//! Issue 15, "the lab is safe to run for a class": each attack that once
//! worked, tried again over real HTTP on loopback, and what the attacker
//! sees now. Numbers refer to the issue's list.

mod common;

use common::{get, send};

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
