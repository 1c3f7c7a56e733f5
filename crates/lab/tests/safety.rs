//! Issue 15, "the lab is safe to run for a class": each attack that once
//! worked, tried again over real HTTP on loopback, and what the attacker
//! sees now. Numbers refer to the list.

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
