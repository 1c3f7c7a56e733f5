//! The lab over real HTTP on loopback, endpoint family by family.

mod common;

use common::{cookie_from, get, send, start, start_with_pages, Reply};
use roundtrip_model::echo::Echo;
use roundtrip_model::server_timing;
use std::path::PathBuf;

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
    assert_eq!(echo.args.0, vec![("x".into(), "1".into()), ("x".into(), "2".into()), ("name".into(), "café".into())]);
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
    let names: Vec<String> = server_timing::parse(reply.header("server-timing").unwrap()).into_iter().map(|m| m.name).collect();
    assert_eq!(names, ["route", "read", "parse", "handler", "total"]);
}

#[tokio::test]
async fn every_header_the_lab_sends_is_explained_on_screen() {
    // The app's headers panel explains each header from the model's
    // catalogue; one missing there reads "no explanation yet".
    let addr = start(None).await;
    for path in [
        "/lab/anything",
        "/lab/no-such-endpoint",
        "/lab/status/404",
        "/lab/redirect/1",
        "/lab/cookies/set?a=b",
        "/lab/cache",
        "/lab/etag/x",
        "/lab/content/html",
        "/lab/gzip",
        "/lab/range/100",
        "/lab/auth/basic/u/p",
    ] {
        let reply = send(addr, &format!("GET {path} HTTP/1.1\r\nHost: x"), b"").await;
        assert!(reply.header(roundtrip_model::lab::CONNECTION_HEADER).is_some(), "{path}: the lab's own header is among them");
        for (name, _) in &reply.headers {
            assert!(roundtrip_model::headers::explain(name).is_some(), "{path}: {name} has no explanation");
        }
    }
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

    let reply =
        send(addr, "PUT /lab/anything HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded", b"a=1&b=two+words").await;
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
    assert_eq!(reply.header("access-control-allow-origin"), Some("http://app.example:9000"));
    assert_eq!(reply.header("access-control-allow-credentials"), None, "readable, but without the learner's cookies");
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
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><title>Roundtrip</title><meta name=\"description\" content=\"Send real requests\" /><div id=app-shell></div>",
    )
    .unwrap();
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
    let unknown = send(addr, "GET /lesson/no-such-lesson HTTP/1.1\r\nHost: x", b"").await;
    assert_eq!(unknown.status, 404, "the app still loads, and says so");
    assert!(unknown.text().contains("app-shell"));
    assert!(js.header("content-type").unwrap().contains("javascript"));
    assert_eq!(js.text(), "console.log('hi')");
}

#[tokio::test]
async fn a_lesson_link_carries_its_title_and_description_for_previews() {
    let addr = start(Some(fake_dist())).await;
    let reply = send(addr, "GET /lesson/status-codes?method=GET&panel=raw HTTP/1.1\r\nHost: x", b"").await;
    assert_eq!(reply.status, 200);
    let html = reply.text();
    assert!(html.contains("<title>6. Status codes · Roundtrip</title>"), "{html}");
    assert!(html.contains("content=\"A three-digit answer to “what happened?”"), "{html}");
    assert!(html.contains("app-shell"));
    assert_eq!(reply.header("cache-control"), Some("no-cache"));
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
    assert!(get(addr, "/index.html%00.png").await.bad_param().contains("control characters"));
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
    assert_eq!(names, ["route", "delay", "read", "parse", "handler", "total"]);
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

// ---- echo family -----------------------------------------------------------

#[tokio::test]
async fn method_endpoints_answer_their_method_and_405_otherwise() {
    let addr = start(None).await;
    assert_eq!(get(addr, "/lab/get?x=1").await.echo().args.get("x"), Some("1"));
    let head = send(addr, "HEAD /lab/get HTTP/1.1\r\nHost: x", b"").await;
    assert_eq!((head.status, head.body.len()), (200, 0));
    for (method, path) in [("POST", "/lab/post"), ("PUT", "/lab/put"), ("PATCH", "/lab/patch"), ("DELETE", "/lab/delete")] {
        let reply = send(addr, &format!("{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"), b"{\"a\":1}").await;
        assert_eq!(reply.status, 200, "{method} {path}");
        assert_eq!(reply.echo().json, Some(serde_json::json!({"a": 1})));
        let wrong = send(addr, &format!("GET {path} HTTP/1.1\r\nHost: x"), b"").await;
        assert_eq!(wrong.status, 405, "GET {path}");
        assert_eq!(wrong.header("allow"), Some(method));
        assert!(wrong.json()["error"].as_str().unwrap().contains(method));
    }
    assert_eq!(send(addr, "POST /lab/get HTTP/1.1\r\nHost: x", b"").await.status, 405);
}

#[tokio::test]
async fn headers_ip_user_agent_and_the_raw_dump() {
    let addr = start(None).await;
    let reply = send(addr, "GET /lab/headers HTTP/1.1\r\nHost: x\r\nX-One: 1\r\nUser-Agent: lesson/1.0", b"").await;
    assert_eq!(reply.json()["headers"]["x-one"], "1");
    assert_eq!(get(addr, "/lab/ip").await.json()["origin"], "127.0.0.1");
    let ua = send(addr, "GET /lab/user-agent HTTP/1.1\r\nHost: x\r\nUser-Agent: lesson/1.0", b"").await;
    assert_eq!(ua.json()["user-agent"], "lesson/1.0");

    let dump = send(addr, "POST /lab/dump/request?q=1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json", b"{\"a\":1}").await;
    assert!(dump.header("content-type").unwrap().starts_with("text/plain"));
    let text = dump.text();
    assert!(text.starts_with("POST /lab/dump/request?q=1 HTTP/1.1\r\nhost: x\r\n"), "{text}");
    assert!(text.ends_with("\r\n\r\n{\"a\":1}"), "the blank line, then the body: {text:?}");
}

/// httpbin's documented keys and their JSON types, endpoint by endpoint.
#[tokio::test]
async fn json_shapes_match_httpbin() {
    use serde_json::Value;
    let addr = start(None).await;
    let obj = |v: &Value| v.is_object();
    let s = |v: &Value| v.is_string();
    let b = |v: &Value| v.is_boolean();
    let any = |_: &Value| true;
    type Check = fn(&Value) -> bool;
    type Case<'a> = (&'a str, &'a str, &'a str, Vec<(&'a str, Check)>);
    let cases: Vec<Case> = vec![
        ("GET", "/lab/get?a=1", "", vec![("args", obj), ("headers", obj), ("origin", s), ("url", s)]),
        (
            "POST",
            "/lab/post",
            "x=1",
            vec![("args", obj), ("data", s), ("files", obj), ("form", obj), ("headers", obj), ("json", any), ("origin", s), ("url", s)],
        ),
        (
            "PUT",
            "/lab/anything",
            "",
            vec![
                ("args", obj),
                ("data", s),
                ("files", obj),
                ("form", obj),
                ("headers", obj),
                ("json", any),
                ("method", s),
                ("origin", s),
                ("url", s),
            ],
        ),
        ("GET", "/lab/delay/0", "", vec![("args", obj), ("headers", obj), ("origin", s), ("url", s)]),
        ("GET", "/lab/headers", "", vec![("headers", obj)]),
        ("GET", "/lab/ip", "", vec![("origin", s)]),
        ("GET", "/lab/user-agent", "", vec![("user-agent", s)]),
        ("GET", "/lab/cookies", "", vec![("cookies", obj)]),
        ("GET", "/lab/json", "", vec![("slideshow", obj)]),
        ("GET", "/lab/basic-auth/u/p", "", vec![("authenticated", b)]),
        ("GET", "/lab/bearer", "", vec![("authenticated", b)]),
        ("GET", "/lab/response-headers?X-A=1", "", vec![("X-A", s)]),
    ];
    for (method, path, body, keys) in cases {
        let reply =
            send(addr, &format!("{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded"), body.as_bytes())
                .await;
        let value = reply.json();
        for (key, check) in keys {
            let v = value.get(key).unwrap_or_else(|| panic!("{path}: no {key} in {value}"));
            assert!(check(v), "{path}: {key} has the wrong type: {v}");
        }
    }
}

// ---- status ----------------------------------------------------------------

#[tokio::test]
async fn status_codes_weighted_choices_and_an_unstable_server() {
    let addr = start(None).await;
    let created = get(addr, "/lab/status/201").await;
    assert_eq!((created.status, created.json()["reason"].as_str()), (201, Some("Created")));
    let not_modified = get(addr, "/lab/status/304").await;
    assert_eq!((not_modified.status, not_modified.body.len()), (304, 0));
    let teapot = get(addr, "/lab/status/418").await;
    assert_eq!((teapot.status, teapot.json()["reason"].as_str()), (418, Some("Unregistered status")));
    for _ in 0..20 {
        let status = get(addr, "/lab/status/201:1,202:0,503:1").await.status;
        assert!(status == 201 || status == 503, "{status}");
    }
    assert_eq!(get(addr, "/lab/unstable?failure_rate=1").await.status, 500);
    assert_eq!(get(addr, "/lab/unstable?failure_rate=0").await.status, 200);
    assert!(get(addr, "/lab/unstable?failure_rate=1.5").await.bad_param().contains("failure_rate"));
    for bad in ["600", "99", "abc", "200:-1", "200:0"] {
        assert!(get(addr, &format!("/lab/status/{bad}")).await.bad_param().contains("code"), "{bad}");
    }
    for interim in ["100", "101", "103"] {
        assert!(get(addr, &format!("/lab/status/{interim}")).await.bad_param().contains("interim"), "{interim}");
    }
}

// ---- redirects -------------------------------------------------------------

#[tokio::test]
async fn redirect_chains_count_down_to_get() {
    let addr = start(None).await;
    let hop = |r: Reply| (r.status, r.header("location").map(str::to_owned));
    assert_eq!(hop(get(addr, "/lab/redirect/3").await), (302, Some("/lab/redirect/2".into())));
    assert_eq!(hop(get(addr, "/lab/redirect/1").await), (302, Some("/lab/get".into())));
    assert_eq!(hop(get(addr, "/lab/relative-redirect/2").await), (302, Some("1".into())));
    assert_eq!(hop(get(addr, "/lab/relative-redirect/1").await), (302, Some("../get".into())));
    assert_eq!(hop(get(addr, "/lab/absolute-redirect/2").await), (302, Some("http://lab.test/lab/absolute-redirect/1".into())));
    for bad in ["0", "21", "x", "-1"] {
        assert!(get(addr, &format!("/lab/redirect/{bad}")).await.bad_param().contains("from 1 to 20"), "{bad}");
    }
}

#[tokio::test]
async fn redirect_to_is_never_an_open_redirect() {
    let addr = start(None).await;
    let ok = get(addr, "/lab/redirect-to?url=%2Flab%2Fget%3Fa%3D1&status_code=307").await;
    assert_eq!((ok.status, ok.header("location")), (307, Some("/lab/get?a=1")));
    let same = get(addr, "/lab/redirect-to?url=http%3A%2F%2Flab.test%2Flab%2Fip").await;
    assert_eq!((same.status, same.header("location")), (302, Some("http://lab.test/lab/ip")));
    for bad in [
        "https%3A%2F%2Fevil.example%2F",
        "%2F%2Fevil.example",
        "http%3A%2F%2Flab.test.evil.example%2F",
        "%2F%5Cevil.example",
        "javascript%3Aalert(1)",
    ] {
        let msg = get(addr, &format!("/lab/redirect-to?url={bad}")).await.bad_param();
        assert!(msg.contains("never an open redirect"), "{bad}: {msg}");
    }
    assert!(get(addr, "/lab/redirect-to?url=%2Flab%2Fget&status_code=200").await.bad_param().contains("status_code"));
    assert!(get(addr, "/lab/redirect-to").await.bad_param().contains("url"));
}

// ---- cookies ---------------------------------------------------------------

#[tokio::test]
async fn cookies_are_set_with_attributes_shown_and_deleted() {
    let addr = start(None).await;
    let set = get(addr, "/lab/cookies/set?flavour=oat&size=big&Max-Age=60&SameSite=lax&HttpOnly").await;
    assert_eq!((set.status, set.header("location")), (302, Some("/lab/cookies")));
    assert_eq!(
        set.all("set-cookie"),
        ["flavour=oat; HttpOnly; SameSite=Lax; Path=/lab; Max-Age=60", "size=big; HttpOnly; SameSite=Lax; Path=/lab; Max-Age=60"]
    );
    let seen = send(addr, "GET /lab/cookies HTTP/1.1\r\nHost: x\r\nCookie: flavour=oat; size=big", b"").await;
    assert_eq!(seen.json()["cookies"], serde_json::json!({"flavour": "oat", "size": "big"}));
    let gone = get(addr, "/lab/cookies/delete?flavour").await;
    assert_eq!(gone.all("set-cookie"), ["flavour=; Path=/lab; Max-Age=0"]);

    assert!(get(addr, "/lab/cookies/set?a=1&SameSite=None").await.bad_param().contains("Secure"));
    assert!(get(addr, "/lab/cookies/set?a=1&SameSite=sometimes").await.bad_param().contains("Strict, Lax or None"));
    assert!(get(addr, "/lab/cookies/set?a=1&Max-Age=forever").await.bad_param().contains("Max-Age"));
    assert!(get(addr, "/lab/cookies/set?a=1&Path=nope").await.bad_param().contains("Path"));
    assert!(get(addr, "/lab/cookies/set?a=x%3By").await.bad_param().contains("cookie value"));
    assert!(get(addr, "/lab/cookies/set?Max-Age=1").await.bad_param().contains("name=value"));
    let secure = get(addr, "/lab/cookies/set?s=1&SameSite=None&Secure").await;
    assert_eq!(secure.all("set-cookie"), ["s=1; SameSite=None; Secure; Path=/lab"]);
    assert!(get(addr, "/lab/cookies/set?a=1&Path=/lab&path=/").await.bad_param().contains("at most once"));
}

#[tokio::test]
async fn the_counter_remembers_through_a_cookie_only() {
    let addr = start(None).await;
    let first = get(addr, "/lab/counter").await;
    assert_eq!(first.json()["visits"], 1);
    assert_eq!(first.json()["first_visit"], true);
    assert!(first.header("set-cookie").unwrap().starts_with("visits=1;"));
    let again = send(addr, "GET /lab/counter HTTP/1.1\r\nHost: x\r\nCookie: visits=4", b"").await;
    assert_eq!(again.json()["visits"], 5);
    assert!(again.header("set-cookie").unwrap().starts_with("visits=5;"));
    // Without the cookie the server has forgotten: HTTP is stateless.
    assert_eq!(get(addr, "/lab/counter").await.json()["visits"], 1);
}

// ---- timing ----------------------------------------------------------------

#[tokio::test]
async fn drip_sends_the_body_slowly_and_slow_server_names_its_steps() {
    let addr = start(None).await;
    let started = std::time::Instant::now();
    let drip = get(addr, "/lab/drip?duration=0.3&numbytes=10&code=201").await;
    assert!(started.elapsed() >= std::time::Duration::from_millis(250));
    assert_eq!((drip.status, drip.body.as_slice()), (201, &b"**********"[..]));
    // Many small pieces still span the duration asked for, not a multiple of it.
    let started = std::time::Instant::now();
    let many = get(addr, "/lab/drip?duration=0.3&numbytes=2000").await;
    let took = started.elapsed();
    assert_eq!(many.body.len(), 2000);
    assert!(took >= std::time::Duration::from_millis(250) && took < std::time::Duration::from_millis(800), "{took:?}");
    for bad in ["duration=11", "numbytes=0", "numbytes=2000000", "delay=-1", "code=99", "duration=x"] {
        let msg = get(addr, &format!("/lab/drip?{bad}")).await.bad_param();
        assert!(msg.contains(bad.split('=').next().unwrap()), "{bad}: {msg}");
    }
    let slow = get(addr, "/lab/slow-server?think=60").await;
    let names: Vec<String> = server_timing::parse(slow.header("server-timing").unwrap()).into_iter().map(|m| m.name).collect();
    assert_eq!(names, ["route", "auth", "db", "render", "total"]);
    assert_eq!(slow.json()["steps"].as_array().unwrap().len(), 3);
    assert!(get(addr, "/lab/slow-server?think=6000").await.bad_param().contains("think"));
}

#[tokio::test]
async fn a_flood_of_slow_requests_does_not_starve_the_echo() {
    let addr = start(None).await;
    let finished = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut flood = Vec::new();
    // Five clients, more slow requests than the lab runs at once.
    for i in 0..roundtrip_lab::SLOW_CONCURRENCY + 10 {
        let finished = finished.clone();
        let from = std::net::IpAddr::from([127, 0, 0, 2 + (i % 5) as u8]);
        flood.push(tokio::spawn(async move {
            let reply = common::send_from(from, addr, "GET /lab/drip?duration=1.5&numbytes=3 HTTP/1.1\r\nHost: 127.0.0.1", b"").await;
            finished.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            reply.status
        }));
    }
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let echo = get(addr, "/lab/get").await;
    assert_eq!(echo.status, 200);
    assert_eq!(finished.load(std::sync::atomic::Ordering::SeqCst), 0, "the echo answered while every drip was still running");
    for f in flood {
        assert_eq!(f.await.unwrap(), 200, "each client stayed within its share, so each drip ran");
    }
}

// ---- content ---------------------------------------------------------------

#[tokio::test]
async fn documents_bytes_streams_and_images() {
    let addr = start(None).await;
    for (path, content_type, needle) in [
        ("/lab/html", "text/html", "<h1>"),
        ("/lab/xml", "application/xml", "<slideshow"),
        ("/lab/robots.txt", "text/plain", "User-agent: *"),
        ("/lab/image/svg", "image/svg+xml", "<svg"),
    ] {
        let reply = get(addr, path).await;
        assert!(reply.header("content-type").unwrap().starts_with(content_type), "{path}");
        assert!(reply.text().contains(needle), "{path}");
    }
    assert_eq!(get(addr, "/lab/bytes/1000").await.body.len(), 1000);
    assert_eq!(get(addr, "/lab/bytes/0").await.body.len(), 0);
    assert!(get(addr, "/lab/bytes/10485761").await.bad_param().contains("10485760"));
    let lines: Vec<serde_json::Value> = get(addr, "/lab/stream/3").await.text().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.iter().map(|l| l["id"].as_u64().unwrap()).collect::<Vec<_>>(), [0, 1, 2]);
    assert!(get(addr, "/lab/stream/101").await.bad_param().contains("from 1 to 100"));

    let png = get(addr, "/lab/image/png").await;
    assert_eq!(&png.body[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(&png.body[12..16], b"IHDR");
    assert_eq!(u32::from_be_bytes(png.body[16..20].try_into().unwrap()), 96, "width");
    let webp = get(addr, "/lab/image/webp").await;
    assert_eq!((&webp.body[..4], &webp.body[8..12]), (&b"RIFF"[..], &b"WEBP"[..]));
    assert!(get(addr, "/lab/image/gif").await.bad_param().contains("png, svg or webp"));
}

#[tokio::test]
async fn encoded_bodies_decode_to_the_echo() {
    use std::io::Read;
    let addr = start(None).await;
    let gz = get(addr, "/lab/gzip").await;
    assert_eq!(gz.header("content-encoding"), Some("gzip"));
    let mut text = String::new();
    flate2::read::GzDecoder::new(&gz.body[..]).read_to_string(&mut text).unwrap();
    assert!(text.contains("\"gzipped\": true"), "{text}");

    let deflate = get(addr, "/lab/deflate").await;
    assert_eq!(deflate.header("content-encoding"), Some("deflate"));
    let mut text = String::new();
    flate2::read::ZlibDecoder::new(&deflate.body[..]).read_to_string(&mut text).unwrap();
    assert!(text.contains("\"deflated\": true"));

    let br = get(addr, "/lab/brotli").await;
    assert_eq!(br.header("content-encoding"), Some("br"));
    let mut text = String::new();
    brotli::Decompressor::new(&br.body[..], 4096).read_to_string(&mut text).unwrap();
    assert!(text.contains("\"brotli\": true"));
}

#[tokio::test]
async fn conditional_requests_and_cache_headers() {
    let addr = start(None).await;
    let fresh = get(addr, "/lab/etag/v1").await;
    assert_eq!((fresh.status, fresh.header("etag")), (200, Some("\"v1\"")));
    let revalidated = send(addr, "GET /lab/etag/v1 HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"v0\", \"v1\"", b"").await;
    assert_eq!((revalidated.status, revalidated.body.len()), (304, 0));
    let changed = send(addr, "GET /lab/etag/v1 HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"v0\"", b"").await;
    assert_eq!(changed.status, 200);
    let precondition = send(addr, "PUT /lab/etag/v1 HTTP/1.1\r\nHost: x\r\nIf-Match: \"v0\"", b"").await;
    assert_eq!(precondition.status, 412);
    assert!(get(addr, "/lab/etag/has%22quote").await.bad_param().contains("etag"));

    let cache = get(addr, "/lab/cache").await;
    assert!(cache.header("last-modified").is_some() && cache.header("etag").is_some());
    let again = send(addr, "GET /lab/cache HTTP/1.1\r\nHost: x\r\nIf-Modified-Since: Mon, 23 Nov 2026 12:00:00 GMT", b"").await;
    assert_eq!(again.status, 304);
    assert_eq!(get(addr, "/lab/cache/60").await.header("cache-control"), Some("public, max-age=60"));
    assert!(get(addr, "/lab/cache/-1").await.bad_param().contains("seconds"));
}

#[tokio::test]
async fn response_headers_are_set_as_asked_within_limits() {
    let addr = start(None).await;
    let reply = get(addr, "/lab/response-headers?X-Lesson=cookies&X-Lesson=two&Cache-Control=no-store").await;
    assert_eq!(reply.all("x-lesson"), ["cookies", "two"]);
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    assert_eq!(reply.json()["X-Lesson"], serde_json::json!(["cookies", "two"]));
    for bad in [
        "Content-Length=5",
        "Transfer-Encoding=chunked",
        "Access-Control-Allow-Origin=*",
        "Bad%20Name=1",
        "X-A=line%0Abreak",
        "Refresh=0",
        "Set-Cookie=a=1",
    ] {
        let msg = get(addr, &format!("/lab/response-headers?{bad}")).await.bad_param();
        assert!(msg.contains("header"), "{bad}: {msg}");
    }
}

// ---- authentication --------------------------------------------------------

#[tokio::test]
async fn basic_and_bearer_authentication_tell_401_from_403() {
    let addr = start(None).await;
    let basic = |auth: &str| format!("GET /lab/basic-auth/ada/lovelace HTTP/1.1\r\nHost: x{auth}");
    let ok = send(addr, &basic("\r\nAuthorization: Basic YWRhOmxvdmVsYWNl"), b"").await;
    assert_eq!((ok.status, ok.json()["user"].as_str()), (200, Some("ada")));
    let wrong = send(addr, &basic("\r\nAuthorization: Basic YWRhOndyb25n"), b"").await;
    assert_eq!(wrong.status, 401);
    let none = send(addr, &basic(""), b"").await;
    assert_eq!(none.status, 401);
    assert!(none.header("www-authenticate").unwrap().starts_with("Basic realm="));
    assert_eq!(get(addr, "/lab/hidden-basic-auth/ada/lovelace").await.status, 404);

    let bearer = |path: &str, auth: &str| format!("GET {path} HTTP/1.1\r\nHost: x{auth}");
    assert_eq!(send(addr, &bearer("/lab/bearer", ""), b"").await.status, 401);
    assert_eq!(send(addr, &bearer("/lab/bearer", "\r\nAuthorization: Bearer abc"), b"").await.json()["token"], "abc");
    let forbidden = send(addr, &bearer("/lab/bearer?require=admin", "\r\nAuthorization: Bearer guest"), b"").await;
    assert_eq!(forbidden.status, 403);
    assert_eq!(send(addr, &bearer("/lab/bearer?require=admin", "\r\nAuthorization: Bearer admin"), b"").await.status, 200);
}

// ---- page fixtures and the index -------------------------------------------

#[tokio::test]
async fn page_fixtures_serve_exactly_what_their_manifest_lists() {
    let addr = start(None).await;
    for name in ["tiny", "median", "heavy"] {
        let manifest: roundtrip_model::pages::Manifest =
            serde_json::from_slice(&get(addr, &format!("/lab/page/{name}/manifest.json")).await.body).unwrap();
        let html = get(addr, &format!("/lab/page/{name}")).await;
        assert!(html.header("content-type").unwrap().starts_with("text/html"));
        let stylesheet0 = get(addr, &format!("/lab/page/{name}/stylesheet/0.css")).await.text();
        let script0 = if manifest.by_kind.iter().any(|(k, n)| *k == roundtrip_model::pages::Kind::Script && *n > 0) {
            get(addr, &format!("/lab/page/{name}/script/0.js")).await.text()
        } else {
            String::new()
        };
        for r in &manifest.resources[1..] {
            // Each URL is named where the browser will find it: the HTML,
            // the first stylesheet (fonts) or the first script (fetches).
            let named = html.text().contains(&r.url)
                || stylesheet0.contains(&r.url)
                || (r.url.contains("/fetch/") && script0.contains(&format!("/lab/page/{name}/fetch/")));
            assert!(named, "{} is not referenced", r.url);
            assert_eq!(get(addr, &r.url).await.status, 200, "{}", r.url);
        }
    }
    let font = get(addr, "/lab/page/median/font/2.ttf").await;
    assert_eq!(font.header("content-type"), Some("font/ttf"));
    assert_eq!(font.body[..4], [0, 1, 0, 0], "a TrueType sfnt, not placeholder bytes");
    assert_eq!(get(addr, "/lab/page/tiny/script/0.js").await.status, 404, "tiny has no scripts");
    assert_eq!(get(addr, "/lab/page/median/image/17.png").await.status, 404, "median has images 0 to 16");
    assert!(get(addr, "/lab/page/gigantic").await.bad_param().contains("tiny, median or heavy"));
}

#[tokio::test]
async fn fixture_files_answer_their_etag_with_304() {
    // WebKit revalidates every sub-resource on reload: without a validator a
    // warm reload would download them all again and show no cache at work.
    let addr = start(None).await;
    let files = [
        ("/lab/page/median/stylesheet/1.css", "public, max-age=600"),
        ("/lab/page/median/script/4.js", "public, max-age=600"),
        ("/lab/page/median/font/2.ttf", "public, max-age=600"),
        ("/lab/page/heavy/font/7.ttf", "public, max-age=600"),
        ("/lab/page/median/image/3.png", "no-cache"),
    ];
    let mut tags = Vec::new();
    for (path, cache) in files {
        let first = get(addr, path).await;
        assert_eq!(first.status, 200, "{path}");
        assert_eq!(first.header("cache-control"), Some(cache), "{path}");
        let etag = first.header("etag").unwrap_or_else(|| panic!("{path} has no ETag")).to_owned();
        assert!(etag.starts_with('"') && etag.ends_with('"'), "{path}: a strong tag, {etag}");
        assert_eq!(get(addr, path).await.header("etag"), Some(etag.as_str()), "{path}: stable");
        // As a browser sends it, weakened, or in a list: 304, no body.
        for condition in [etag.clone(), format!("W/{etag}"), format!("\"old\", {etag}")] {
            let again = send(addr, &format!("GET {path} HTTP/1.1\r\nHost: x\r\nIf-None-Match: {condition}"), b"").await;
            assert_eq!(again.status, 304, "{path} with If-None-Match: {condition}");
            assert!(again.body.is_empty(), "{path}: a 304 has no body");
            assert_eq!(again.header("etag"), Some(etag.as_str()), "{path}");
            assert_eq!(again.header("cache-control"), Some(cache), "{path}: a 304 renews the freshness");
        }
        let changed = send(addr, &format!("GET {path} HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"old\""), b"").await;
        assert_eq!((changed.status, changed.body.len()), (200, first.body.len()), "{path}: another tag gets the file");
        tags.push(etag);
    }
    tags.sort();
    tags.dedup();
    assert_eq!(tags.len(), files.len(), "each file has its own tag: {tags:?}");
    // API calls are never stored, and frames are documents: no validators.
    for path in ["/lab/page/median/fetch/0.json", "/lab/page/median/iframe/0.html"] {
        assert_eq!(get(addr, path).await.header("etag"), None, "{path}");
    }
}

#[tokio::test]
async fn the_index_lists_every_endpoint_and_every_example_works() {
    let addr = start(None).await;
    let html = send(addr, "GET /lab/ HTTP/1.1\r\nHost: x\r\nAccept: text/html", b"").await;
    let json = get(addr, "/lab/").await.json();
    for e in roundtrip_model::lab::all() {
        assert!(html.text().contains(&e.route.replace('&', "&amp;")), "{} missing from the HTML index", e.route);
        assert!(json.to_string().contains(e.example), "{} missing from the JSON index", e.example);
        if e.route.starts_with("/lab/delay") || e.route.starts_with("/lab/drip") || e.route.starts_with("/lab/slow-server") {
            continue; // slow on purpose; tested above
        }
        let method = match e.example {
            "/lab/post" => "POST",
            "/lab/put" => "PUT",
            "/lab/patch" => "PATCH",
            "/lab/delete" => "DELETE",
            _ => "GET",
        };
        let status = send(addr, &format!("{method} {} HTTP/1.1\r\nHost: x", e.example), b"").await.status;
        let allowed = match e.example {
            "/lab/status/404" => status == 404,
            "/lab/status/200:3,500:1" | "/lab/unstable?failure_rate=0.5" => status == 200 || status == 500,
            p if p.contains("auth") || ["/lab/bearer", "/lab/account", "/lab/admin"].contains(&p) => status == 401 || status == 404,
            "/lab/login" | "/lab/logout" => status == 405, // POST only
            "/lab/notes/1" => status == 404,               // a new visitor's list is empty
            "/lab/https" => status == 404,                 // this lab has no HTTPS listener (tests/https.rs has)
            _ => (200..400).contains(&status),
        };
        assert!(allowed, "{} answered {status}", e.example);
    }
}

#[tokio::test]
async fn the_app_is_compressed_and_cached_by_its_hashes() {
    let dist = fake_dist();
    std::fs::write(dist.join("roundtrip-0123456789abcdef_bg.wasm"), vec![b'a'; 20_000]).unwrap();
    let addr = start(Some(dist)).await;
    let index = get(addr, "/").await;
    assert_eq!(index.header("cache-control"), Some("no-cache"));
    let deep = get(addr, "/lesson/anything").await;
    assert_eq!(deep.header("cache-control"), Some("no-cache"));
    let wasm = send(addr, "GET /roundtrip-0123456789abcdef_bg.wasm HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip", b"").await;
    assert_eq!(wasm.header("cache-control"), Some("public, max-age=31536000, immutable"));
    assert_eq!(wasm.header("content-encoding"), Some("gzip"));
    assert!(wasm.body.len() < 1000, "20 kB of one byte compresses well: {}", wasm.body.len());
    assert!(roundtrip_lab::is_hashed_asset("/main-cbfdefbd38023938.css"));
    assert!(!roundtrip_lab::is_hashed_asset("/index.html"));
}

#[tokio::test]
async fn precompressed_copies_are_served_as_they_are_to_who_accepts_them() {
    let dist = fake_dist();
    let raw = vec![b'a'; 20_000];
    std::fs::write(dist.join("roundtrip-0123456789abcdef_bg.wasm"), &raw).unwrap();
    // Stand-ins for `cargo xtask build`'s brotli and gzip copies: whatever is
    // in the file is sent as it is.
    std::fs::write(dist.join("roundtrip-0123456789abcdef_bg.wasm.br"), b"BROTLI-COPY").unwrap();
    std::fs::write(dist.join("roundtrip-0123456789abcdef_bg.wasm.gz"), b"GZIP-COPY").unwrap();
    let addr = start(Some(dist)).await;
    async fn ask(addr: std::net::SocketAddr, encodings: &str) -> Reply {
        send(addr, &format!("GET /roundtrip-0123456789abcdef_bg.wasm HTTP/1.1\r\nHost: x\r\nAccept-Encoding: {encodings}"), b"").await
    }
    let br = ask(addr, "gzip, deflate, br").await;
    assert_eq!((br.header("content-encoding"), br.body.as_slice()), (Some("br"), &b"BROTLI-COPY"[..]));
    assert_eq!(br.header("vary"), Some("accept-encoding"), "a shared cache keeps the encodings apart");
    assert_eq!(br.header("cache-control"), Some("public, max-age=31536000, immutable"));
    assert_eq!(br.header("content-type"), Some("application/wasm"), "the type of the file, not of its copy");
    let gz = ask(addr, "gzip").await;
    assert_eq!((gz.header("content-encoding"), gz.body.as_slice()), (Some("gzip"), &b"GZIP-COPY"[..]));
    let plain = ask(addr, "identity").await;
    assert_eq!(plain.header("content-encoding"), None);
    assert_eq!(plain.body, raw);
    assert!(!roundtrip_lab::is_hashed_asset("/favicon.svg"));
}

#[tokio::test]
async fn a_folder_of_pages_is_served_under_pages_and_nothing_outside_it() {
    let dir = std::env::temp_dir().join(format!("roundtrip-pages-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("site")).unwrap();
    std::fs::write(dir.join("site/index.html"), "<!doctype html><title>saved</title><img src=a.png>").unwrap();
    std::fs::write(dir.parent().unwrap().join("roundtrip-pages-secret.txt"), "secret").unwrap();
    let addr = start_with_pages(dir).await;
    let page = get(addr, "/pages/site/index.html").await;
    assert_eq!(page.status, 200);
    assert!(page.text().contains("saved"));
    for path in ["/pages/../roundtrip-pages-secret.txt", "/pages/%2e%2e/roundtrip-pages-secret.txt"] {
        assert!(!get(addr, path).await.text().contains("secret"), "{path}");
    }
    assert_eq!(get(addr, "/pages/site/missing.html").await.status, 404);
}

/// The status quiz's scenarios are real: each request gets the code the quiz
/// says it will.
#[tokio::test]
async fn every_quiz_scenario_gets_its_answer_from_the_lab() {
    let addr = start(None).await;
    for sc in roundtrip_model::quiz::SCENARIOS {
        let mut head = format!("{} {} HTTP/1.1\r\nHost: x", sc.method, sc.path);
        for (k, v) in sc.headers {
            head.push_str(&format!("\r\n{k}: {v}"));
        }
        let body = vec![b'x'; sc.body_bytes];
        assert_eq!(send(addr, &head, &body).await.status, sc.answer, "{}", sc.prompt);
    }
}

/// The cookie a reply sets, as `name=value` for the next request.

#[tokio::test]
async fn notes_answer_each_method_with_its_status_code() {
    let addr = start(None).await;
    let post = |cookie: String, body: &'static str| async move {
        send(addr, &format!("POST /lab/notes HTTP/1.1\r\nHost: lab\r\nContent-Type: application/json\r\nCookie: {cookie}"), body.as_bytes())
            .await
    };
    let created =
        send(addr, "POST /lab/notes HTTP/1.1\r\nHost: lab\r\nContent-Type: application/json", br#"{"text": "Learn HTTP methods"}"#).await;
    assert_eq!(created.status, 201, "{}", created.text());
    assert_eq!(created.header("location"), Some("/lab/notes/1"));
    let me = cookie_from(&created, "rt_notes");
    assert!(created.header("set-cookie").unwrap().contains("HttpOnly"));
    let note: serde_json::Value = serde_json::from_slice(&created.body).unwrap();
    assert_eq!(note, serde_json::json!({ "id": 1, "text": "Learn HTTP methods", "done": false }));

    assert_eq!(post(me.clone(), r#"{"text": "Learn HTTP methods"}"#).await.status, 409, "the same text twice");
    assert_eq!(post(me.clone(), "not json").await.status, 400);
    assert_eq!(post(me.clone(), r#"{"text": "   "}"#).await.status, 400);

    let req = |line: &str, body: &'static str| {
        let head = format!("{line} HTTP/1.1\r\nHost: lab\r\nContent-Type: application/json\r\nCookie: {me}");
        async move { send(addr, &head, body.as_bytes()).await }
    };
    let list = req("GET /lab/notes", "").await;
    assert_eq!(list.status, 200);
    assert!(list.header("set-cookie").is_none(), "a known visitor keeps their cookie");
    let list: serde_json::Value = serde_json::from_slice(&list.body).unwrap();
    assert_eq!(list["count"], 1);

    let put = req("PUT /lab/notes/1", r#"{"text": "Learn them, really"}"#).await;
    assert_eq!((put.status, put.text().contains("really")), (200, true));
    assert_eq!(req("PUT /lab/notes/1", r#"{"done": true}"#).await.status, 400, "PUT needs the whole note");
    let patch = req("PATCH /lab/notes/1", r#"{"done": true}"#).await;
    let patched: serde_json::Value = serde_json::from_slice(&patch.body).unwrap();
    assert_eq!(patched, serde_json::json!({ "id": 1, "text": "Learn them, really", "done": true }));
    assert_eq!(req("PATCH /lab/notes/1", "{}").await.status, 400);

    let deleted = req("DELETE /lab/notes/1", "").await;
    assert_eq!((deleted.status, deleted.body.len()), (204, 0));
    assert_eq!(req("DELETE /lab/notes/1", "").await.status, 404);
    assert_eq!(req("GET /lab/notes/1", "").await.status, 404);
    assert_eq!(req("GET /lab/notes/abc", "").await.status, 400);

    let not_allowed = req("DELETE /lab/notes", "").await;
    assert_eq!(not_allowed.status, 405);
    assert_eq!(not_allowed.header("allow"), Some("GET, POST"));
    assert_eq!(req("POST /lab/notes/1", "").await.header("allow"), Some("GET, PUT, PATCH, DELETE"));

    // Another visitor starts with an empty list of their own.
    let stranger = send(addr, "GET /lab/notes HTTP/1.1\r\nHost: lab", b"").await;
    let theirs: serde_json::Value = serde_json::from_slice(&stranger.body).unwrap();
    assert_eq!(theirs["count"], 0);
    assert_ne!(cookie_from(&stranger, "rt_notes"), me);
}

#[tokio::test]
async fn a_list_holds_at_most_twenty_notes_of_at_most_200_characters() {
    let addr = start(None).await;
    let first = send(addr, "POST /lab/notes HTTP/1.1\r\nHost: lab", br#"{"text": "0"}"#).await;
    let me = cookie_from(&first, "rt_notes");
    for i in 1..20 {
        let body = format!(r#"{{"text": "{i}"}}"#);
        let r = send(addr, &format!("POST /lab/notes HTTP/1.1\r\nHost: lab\r\nCookie: {me}"), body.as_bytes()).await;
        assert_eq!(r.status, 201);
    }
    let full = send(addr, &format!("POST /lab/notes HTTP/1.1\r\nHost: lab\r\nCookie: {me}"), br#"{"text": "one more"}"#).await;
    assert_eq!(full.status, 409);
    assert!(full.text().contains("full"), "{}", full.text());
    let long = format!(r#"{{"text": "{}"}}"#, "x".repeat(201));
    let r = send(addr, &format!("PUT /lab/notes/1 HTTP/1.1\r\nHost: lab\r\nCookie: {me}"), long.as_bytes()).await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn login_sets_a_session_cookie_that_turns_401_into_200_and_admin_stays_403() {
    let addr = start(None).await;
    let get = |path: &str, cookie: &str| {
        let head = format!("GET {path} HTTP/1.1\r\nHost: lab\r\nCookie: {cookie}");
        async move { send(addr, &head, b"").await }
    };
    let anonymous = get("/lab/account", "").await;
    assert_eq!(anonymous.status, 401);
    assert!(anonymous.header("www-authenticate").is_some_and(|v| !v.starts_with("Basic")), "a page-driven login, no browser dialog");
    assert_eq!(get("/lab/admin", "").await.status, 401);

    let wrong = send(
        addr,
        "POST /lab/login HTTP/1.1\r\nHost: lab\r\nContent-Type: application/x-www-form-urlencoded",
        b"user=learner&password=letmein",
    )
    .await;
    assert_eq!(wrong.status, 401);
    assert!(wrong.header("set-cookie").is_none());
    let right = send(addr, "POST /lab/login HTTP/1.1\r\nHost: lab\r\nContent-Type: text/plain", b"user=learner&password=opensesame").await;
    assert_eq!(right.status, 200, "{}", right.text());
    let set = right.header("set-cookie").unwrap();
    assert!(set.contains("HttpOnly") && set.contains("Path=/lab"), "{set}");
    let session = cookie_from(&right, "rt_session");
    let json = send(
        addr,
        "POST /lab/login HTTP/1.1\r\nHost: lab\r\nContent-Type: application/json",
        br#"{"user": "learner", "password": "opensesame"}"#,
    )
    .await;
    assert_eq!(json.status, 200);

    let account = get("/lab/account", &session).await;
    assert_eq!(account.status, 200);
    assert!(account.text().contains("learner"));
    assert_eq!(get("/lab/admin", &session).await.status, 403);
    assert_eq!(get("/lab/account", "rt_session=forged").await.status, 401);
    assert_eq!(get("/lab/login", "").await.status, 405);

    let out = send(addr, &format!("POST /lab/logout HTTP/1.1\r\nHost: lab\r\nCookie: {session}"), b"").await;
    assert_eq!(out.status, 200);
    assert!(out.header("set-cookie").unwrap().contains("Max-Age=0"));
    assert_eq!(get("/lab/account", &session).await.status, 401, "the server forgot the session");
}

#[tokio::test]
async fn the_app_is_served_with_a_strict_policy_and_every_response_with_safety_headers() {
    let dist = std::env::temp_dir().join(format!("roundtrip-lab-csp-{}", std::process::id()));
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><title>Roundtrip</title><script type=\"module\">import init from '/app.js';await init();</script>",
    )
    .unwrap();
    let addr = start(Some(dist)).await;
    for path in ["/", "/lessons", "/lesson/methods?x=1", "/no/such/page"] {
        let reply = get(addr, path).await;
        let csp = reply.header("content-security-policy").unwrap_or_else(|| panic!("{path}: no CSP"));
        let scripts = csp.split(';').find(|d| d.trim().starts_with("script-src")).unwrap();
        assert!(scripts.contains("'self'") && scripts.contains("'wasm-unsafe-eval'"), "{path}: {csp}");
        // sha256 of the inline script above, as `openssl dgst -sha256 -binary | base64` prints it.
        assert!(scripts.contains("'sha256-SsLGvoeVCbZyvmeYAjCsj4QzDfdTwCR/R3Vlxo1iCpI='"), "{path}: {csp}");
        assert!(!scripts.contains("unsafe-inline"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'self'") && csp.contains("connect-src *"), "{csp}");
    }
    for path in ["/lab/get", "/lab/status/500", "/", "/lab/page/tiny"] {
        let reply = get(addr, path).await;
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"), "{path}");
        assert_eq!(reply.header("referrer-policy"), Some("strict-origin-when-cross-origin"), "{path}");
        // A name over plain HTTP is no trustworthy origin: browsers ignore COOP there (and say so).
        assert_eq!(reply.header("cross-origin-opener-policy"), None, "{path}");
        let local = send(addr, &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}", addr.port()), b"").await;
        assert_eq!(local.header("cross-origin-opener-policy"), Some("same-origin"), "{path} on loopback");
        let localhost = send(addr, &format!("GET {path} HTTP/1.1\r\nHost: localhost"), b"").await;
        assert_eq!(localhost.header("cross-origin-opener-policy"), Some("same-origin"), "{path} on localhost");
    }
    let fixture = get(addr, "/lab/page/tiny").await;
    assert_eq!(fixture.header("content-security-policy"), Some("frame-ancestors 'self'"), "only Roundtrip may frame a page under test");
    assert_eq!(get(addr, "/lab/get").await.header("content-security-policy"), Some("sandbox; default-src 'none'"), "lab answers are data");
}

/// Every answer names its connection, so a browser that rounds timings to
/// whole milliseconds can still be told a new connection from a reused one.
#[tokio::test]
async fn every_answer_names_the_connection_it_came_on() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = start(None).await;
    let id_in = |raw: &[u8]| -> String {
        let text = String::from_utf8_lossy(raw);
        text.lines()
            .find_map(|l| l.to_ascii_lowercase().strip_prefix("x-roundtrip-connection:").map(|v| v.trim().to_owned()))
            .expect("an X-Roundtrip-Connection header")
    };
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(b"GET /lab/get?n=1 HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
    // The first answer: its head, then as many body bytes as it says.
    let mut raw = Vec::new();
    let mut buf = [0u8; 4096];
    let first = loop {
        let n = stream.read(&mut buf).await.unwrap();
        assert!(n > 0, "the connection stays open for a second request");
        raw.extend_from_slice(&buf[..n]);
        if let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
            let length: usize =
                head.lines().find_map(|l| l.strip_prefix("content-length:").map(|v| v.trim().parse().unwrap())).unwrap_or(0);
            if raw.len() >= end + 4 + length {
                break id_in(&raw[..end]);
            }
        }
    };
    stream.write_all(b"GET /lab/get?n=2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await.unwrap();
    let mut rest = Vec::new();
    stream.read_to_end(&mut rest).await.unwrap();
    let second = id_in(&rest);
    assert_eq!(first, second, "the same connection, the same number");
    let third = send(addr, "GET /lab/get?n=3 HTTP/1.1\r\nHost: x", b"").await;
    let other = third.header("x-roundtrip-connection").expect("named").to_owned();
    assert_ne!(other, first, "a new connection, a new number");
    let exposed = send(addr, "GET /lab/get HTTP/1.1\r\nHost: x\r\nOrigin: http://elsewhere.example", b"").await;
    assert!(
        exposed.header("access-control-expose-headers").unwrap_or("").contains("x-roundtrip-connection"),
        "readable by pages on other origins"
    );
}
