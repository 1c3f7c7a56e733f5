//! The browser glue, in headless Chromium, against a running lab server
//! (`cargo xtask test` starts one and passes its address).
#![cfg(target_arch = "wasm32")]

use roundtrip::web;
use roundtrip_model::exchange::RequestSpec;
use roundtrip_model::failure::{Failure, NoResponse};
use roundtrip_model::timing::{PhaseKind, PhaseState, Skip};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The lab `cargo xtask test` started (set at compile time; the default is
/// the address `cargo xtask serve` uses, for a hand-run test or a lint).
const LAB: &str = match option_env!("ROUNDTRIP_LAB_URL") {
    Some(url) => url,
    None => "http://127.0.0.1:8080",
};

/// Any error in the page fails the test during which it happened, as in the
/// end-to-end tests: an uncaught exception, an unhandled rejection, a
/// `console.error` (a Rust panic in a spawned task arrives as one, through
/// the panic hook). None of these tests provokes one on purpose; a refused
/// connection is reported by fetch's rejection, which the code handles, and
/// not through `console.error`.
mod guard {
    use wasm_bindgen::JsValue;

    const INSTALL: &str = "if (!globalThis.__roundtripErrors) {
        const errors = (globalThis.__roundtripErrors = []);
        const original = console.error.bind(console);
        console.error = (...args) => { errors.push(args.map(String).join(' ')); original(...args); };
        addEventListener('error', (e) => errors.push('uncaught: ' + e.message));
        addEventListener('unhandledrejection', (e) => errors.push('unhandled rejection: ' + e.reason));
    }
    return globalThis.__roundtripErrors.splice(0);";

    fn take() -> Vec<String> {
        let f = js_sys::Function::new_no_args(INSTALL);
        let taken: js_sys::Array = f.call0(&JsValue::NULL).expect("the guard installs").into();
        taken.iter().filter_map(|v| v.as_string()).collect()
    }

    /// Starts a test with an empty error list.
    pub fn start() {
        take();
    }

    /// Panics (fails the test) if the page reported an error since `start`.
    pub fn assert_clean() {
        let errors = take();
        assert!(errors.is_empty(), "the page reported errors during this test: {errors:#?}");
    }

    /// Lets late work (a spawned task, a timer) run before checking.
    pub async fn settle_and_assert_clean() {
        let wait = js_sys::Promise::new(&mut |resolve, _| {
            web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 50).unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(wait).await.unwrap();
        assert_clean();
    }
}

fn spec(method: &str, path: &str, timeout_ms: u32) -> RequestSpec {
    RequestSpec { method: method.into(), url: format!("{LAB}{path}"), headers: vec![], body: None, timeout_ms }
}

#[wasm_bindgen_test]
async fn fetch_reads_the_echo_and_its_resource_timing_entry() {
    guard::start();
    let mut request = spec("POST", "/lab/anything?from=wasm", 10_000);
    request.headers.push(("X-Roundtrip-Test".into(), "glue".into()));
    request.body = Some("hello lab".into());
    let exchange = web::fetch::send(request).await.expect("the lab answers");
    assert_eq!(exchange.status, 200);
    assert_eq!(exchange.response_type, "cors", "the test page and the lab are different origins");

    let echo = exchange.echo().expect("an echo");
    assert_eq!(echo.method, "POST");
    assert_eq!(echo.headers.get("x-roundtrip-test"), Some("glue"));
    assert_eq!(echo.data, "hello lab");

    let entry = exchange.timing.expect("the browser made a Resource Timing entry");
    assert!(entry.name.ends_with("/lab/anything?from=wasm"), "{}", entry.name);
    assert!(entry.response_start > 0.0, "Timing-Allow-Origin lets the page see the detail");
    assert!(entry.server_timing.iter().any(|m| m.name == "handler"), "{:?}", entry.server_timing);
    let timeline = entry.timeline();
    assert!(!timeline.hidden);
    let waiting = timeline.phase(PhaseKind::Waiting).unwrap();
    assert_eq!(waiting.state, PhaseState::Measured);
    assert!(waiting.duration_ms > 0.0);
    assert_eq!(timeline.phase(PhaseKind::Tls).unwrap().state, PhaseState::Skipped(Skip::PlainHttp));
    guard::settle_and_assert_clean().await;
}

/// The same lab over HTTPS (h2), trusted by its certificate's pin
/// (`cargo xtask test` starts Chromium so); empty when there is none.
const LAB_HTTPS: &str = match option_env!("ROUNDTRIP_LAB_HTTPS") {
    Some(url) => url,
    None => "",
};

#[wasm_bindgen_test]
async fn over_https_the_tls_handshake_is_measured_and_the_protocol_is_h2() {
    guard::start();
    assert!(!LAB_HTTPS.is_empty(), "cargo xtask test names the lab's HTTPS listener");
    let request =
        RequestSpec { method: "GET".into(), url: format!("{LAB_HTTPS}/lab/get?tls=1"), headers: vec![], body: None, timeout_ms: 10_000 };
    let exchange = web::fetch::send(request).await.expect("the lab answers over HTTPS");
    assert_eq!(exchange.status, 200);
    let echo = exchange.echo().expect("an echo");
    assert!(echo.url.starts_with("https://"), "{}", echo.url);
    assert!(echo.request_line.ends_with("HTTP/2"), "{}", echo.request_line);
    let entry = exchange.timing.expect("a Resource Timing entry");
    assert_eq!(entry.next_hop_protocol, "h2");
    let tls = entry.timeline().phase(PhaseKind::Tls).unwrap().clone();
    assert_eq!(tls.state, PhaseState::Measured, "a new connection's handshake");
    assert!(tls.duration_ms > 0.0, "{tls:?}");
    guard::settle_and_assert_clean().await;
}

#[wasm_bindgen_test]
async fn a_slow_server_shows_in_the_waiting_phase() {
    guard::start();
    let exchange = web::fetch::send(spec("GET", "/lab/delay/0.3", 10_000)).await.expect("the lab answers");
    let timeline = exchange.timing.expect("entry").timeline();
    let waiting = timeline.phase(PhaseKind::Waiting).unwrap();
    assert!(waiting.duration_ms >= 300.0, "waited only {} ms", waiting.duration_ms);
    guard::settle_and_assert_clean().await;
}

#[wasm_bindgen_test]
async fn a_timeout_is_told_apart_from_a_network_error() {
    guard::start();
    let failure = web::fetch::send(spec("GET", "/lab/delay/2", 200)).await.expect_err("it must time out");
    assert_eq!(failure, Failure::Timeout { after_ms: 200 });
    guard::settle_and_assert_clean().await;
}

#[wasm_bindgen_test]
async fn a_refused_connection_is_a_network_failure_where_no_server_answered() {
    guard::start();
    // Port 9 is one browsers refuse by themselves: said before sending.
    let request = RequestSpec { url: "http://127.0.0.1:9/".into(), ..spec("GET", "", 5_000) };
    assert_eq!(web::fetch::send(request).await, Err(Failure::BadPort { port: 9 }));
    // Port 2: nothing listens there, and the no-cors check finds no server.
    let request = RequestSpec { url: "http://127.0.0.1:2/".into(), ..spec("GET", "", 5_000) };
    match web::fetch::send(request).await {
        Err(Failure::Network { detail, why }) => {
            assert!(!detail.is_empty());
            assert_eq!(why, NoResponse::NoServer { host_is_ip: true, https: false });
        }
        other => panic!("expected a network failure, got {other:?}"),
    }
    guard::settle_and_assert_clean().await;
}

#[wasm_bindgen_test]
async fn an_error_status_is_still_a_response() {
    guard::start();
    let exchange = web::fetch::send(spec("GET", "/lab/status/503", 5_000)).await.expect("a response");
    assert_eq!(exchange.status, 503);
    guard::settle_and_assert_clean().await;
}

#[wasm_bindgen_test]
fn urls_are_resolved_by_the_browsers_parser() {
    guard::start();
    let page = web_sys::window().unwrap().location().origin().unwrap();
    assert_eq!(web::resolve_url("/lab/anything?q=1").unwrap(), format!("{page}/lab/anything?q=1"));
    assert!(matches!(web::resolve_url("http://[::1"), Err(Failure::InvalidUrl { .. })));
    match web::resolve_url("ftp://example.org/file") {
        Err(Failure::InvalidUrl { reason, .. }) => assert!(reason.contains("ftp:"), "{reason}"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(web::resolve_url("   "), Err(Failure::InvalidUrl { .. })));
    guard::assert_clean();
}

#[wasm_bindgen_test]
fn the_path_and_query_are_read_as_the_address_bar_shows_them() {
    // A lesson compares them with its experiment's link, and asks the router
    // to replace the address only when they differ.
    guard::start();
    let window = web_sys::window().unwrap();
    let path = window.location().pathname().unwrap();
    let history = window.history().unwrap();
    history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&format!("{path}?method=GET&url=%2Flab%2Fget#run=abc"))).unwrap();
    assert_eq!(web::page::path_and_query(), format!("{path}?method=GET&url=%2Flab%2Fget"), "the fragment is not part of it");
    history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path)).unwrap();
    assert_eq!(web::page::path_and_query(), path, "no query: the path alone");
    guard::assert_clean();
}

#[wasm_bindgen_test]
fn local_storage_keeps_a_value_and_the_theme_applies_to_the_page() {
    guard::start();
    web::page::store("roundtrip.test", "cookies,urls");
    assert_eq!(web::page::stored("roundtrip.test"), "cookies,urls");
    assert_eq!(web::page::stored("roundtrip.never-set"), "");
    web::page::apply_theme("dark", true);
    let root = web_sys::window().unwrap().document().unwrap().document_element().unwrap();
    assert_eq!(root.get_attribute("data-theme").as_deref(), Some("dark"));
    assert_eq!(web::page::chosen_theme().as_deref(), Some("dark"));
    web::page::store("roundtrip.theme", "purple");
    assert_eq!(web::page::chosen_theme(), None, "an unknown stored theme follows the system");
    guard::assert_clean();
}

#[wasm_bindgen_test]
fn a_page_not_served_by_the_lab_is_not_taken_for_one() {
    guard::start();
    // The test runner serves this page, not the lab: no lab mark on its navigation entry.
    assert_eq!(web::page::served_by_lab(), None);
    guard::assert_clean();
}

/// One list of URLs through the URL anatomy (what the learner sees under the
/// request bar) and through Send's resolver: they accept and refuse the same
/// ones, with the same sentence, and what is sent has the parts shown.
#[wasm_bindgen_test]
fn the_url_anatomy_and_send_agree() {
    guard::start();
    let origin = web::page_origin();
    let urls = [
        "/lab/anything?q=1#top",
        "http://example.org",
        "HTTP://Example.ORG:8080/a/b?x=1&y=%20z",
        "https://ada:pw@example.org:443/",
        "http://[::1]:8080/lab/get",
        "http://127.0.0.1:9/",
        "https://bücher.example/ä?q=ü",
        "http://x:/path",
        "http://x/?",
        "http://x/#",
        "http://a..b/",
        "example.org",
        "example.org/path",
        "//example.org/path",
        "http:example.org",
        "http://%41.com/",
        "http://1.2.3/",
        "http://0x7f.1/",
        "http://01.2.3.4/",
        "http://256.1.1.1/",
        "http://x/a\\b",
        "http://x:99999/",
        "http://x:80a/",
        "http://[::1/",
        "http://[zz]/",
        "http://a b/",
        "http://bücher.example/a b",
        "ftp://example.org/",
        "javascript:alert(1)",
        "data:text/plain,hi",
        "http://",
        "http://@/",
        "http://x<y/",
        "  /lab/get  ",
        "",
    ];
    for input in urls {
        let shown = roundtrip_model::url::anatomy(input, &origin);
        let sent = web::resolve_url(input);
        match (&shown, &sent) {
            (Ok(a), Ok(href)) => {
                let url = web_sys::Url::new(href).unwrap();
                assert_eq!(url.protocol(), format!("{}:", a.scheme), "{input}");
                if !a.non_ascii_host {
                    let host = if a.ipv6 { format!("[{}]", a.host) } else { a.host.clone() };
                    assert_eq!(url.hostname(), host, "{input}");
                }
                let port = a.port.filter(|p| Some(*p) != a.default_port()).map(|p| p.to_string()).unwrap_or_default();
                assert_eq!(url.port(), port, "{input}");
                if a.path.is_ascii() {
                    assert_eq!(url.pathname(), a.path, "{input}");
                }
                assert_eq!(url.search().is_empty(), a.query.as_deref().unwrap_or("").is_empty(), "{input}");
                assert_eq!(url.hash().is_empty(), a.fragment.as_deref().unwrap_or("").is_empty(), "{input}");
            }
            (Err(problem), Err(Failure::InvalidUrl { reason, .. })) => assert_eq!(&problem.message, reason, "{input}"),
            _ => panic!("{input:?}: the anatomy says {shown:?} but Send says {sent:?}"),
        }
    }
    guard::assert_clean();
}

/// After more requests than the Resource Timing buffer holds, a request
/// still finds its own entry (the app empties the buffer when it is full).
#[wasm_bindgen_test]
async fn resource_timing_never_runs_out() {
    guard::start();
    web::timing::keep_buffer(5_000);
    let window = web_sys::window().unwrap();
    for batch in 0..102 {
        let all = js_sys::Array::new();
        for i in 0..50 {
            all.push(&window.fetch_with_str(&format!("{LAB}/lab/get?filler={batch}-{i}")));
        }
        let responses: js_sys::Array = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::all(&all)).await.unwrap().into();
        let bodies = js_sys::Array::new();
        for r in responses.iter() {
            bodies.push(&r.unchecked_into::<web_sys::Response>().array_buffer().unwrap());
        }
        wasm_bindgen_futures::JsFuture::from(js_sys::Promise::all(&bodies)).await.unwrap();
    }
    let exchange = web::fetch::send(spec("GET", "/lab/get?after=5100", 10_000)).await.expect("the lab answers");
    let timing = exchange.timing.expect("request 5,101 still has its Resource Timing entry");
    let waiting = timing.timeline().phase(PhaseKind::Waiting).cloned().unwrap();
    assert_eq!(waiting.state, PhaseState::Measured);
    guard::settle_and_assert_clean().await;
}

/// A 10 MiB body: its true size on screen, the first 256 KiB kept for display.
#[wasm_bindgen_test]
async fn a_large_body_is_counted_whole_and_kept_in_part() {
    guard::start();
    let exchange = web::fetch::send(spec("GET", "/lab/bytes/10485760", 30_000)).await.expect("the lab answers");
    assert_eq!(exchange.status, 200);
    assert_eq!(exchange.body_size, 10 * 1024 * 1024);
    assert!(exchange.body.len() <= roundtrip_model::exchange::BODY_DISPLAY_CAP, "{}", exchange.body.len());
    assert!(exchange.body.len() >= roundtrip_model::exchange::BODY_DISPLAY_CAP / 2, "{}", exchange.body.len());
    assert!(exchange.body_truncated());
    guard::settle_and_assert_clean().await;
}

/// `/pages?har=…` opens a HAR from this origin only. The rule is the
/// browser's own URL parser: a backslash reads as a slash and tabs and line
/// breaks are dropped, so `/\host` and `/<TAB>/host` are another origin,
/// which a check on the text (`starts_with("//")`) let through.
#[wasm_bindgen_test]
fn a_linked_har_is_fetched_only_from_this_origin_as_the_browser_reads_the_link() {
    use web::page::{link_target, link_target_against, LinkTarget};
    guard::start();
    let origin = web::page_origin();
    fn other(o: &str) -> impl Fn(LinkTarget) -> bool + '_ {
        move |t| matches!(t, LinkTarget::OtherOrigin { origin, .. } if origin == o)
    }
    // The query as a link carries it, decoded once as the page decodes it.
    let from_link = |query: &str| {
        let (_, value) = roundtrip_model::echo::parse_urlencoded(query).into_iter().find(|(k, _)| k == "har").expect("a har value");
        link_target(&value)
    };
    let evil = "http://evil.example:8080";
    for (value, to) in [
        ("/\\evil.example:8080/x.har", evil),
        ("/\t/evil.example:8080/x.har", evil),
        ("/\n/evil.example:8080/x.har", evil),
        ("/\r/evil.example:8080/x.har", evil),
        ("/\r\n/evil.example:8080/x.har", evil),
        ("\t//evil.example:8080/x.har", evil),
        (" //evil.example:8080/x.har", evil),
        ("//evil.example:8080/x.har", evil),
        ("/\\\\evil.example:8080/x.har", evil),
        ("\\\\evil.example:8080/x.har", evil),
        ("https://other.example/x.har", "https://other.example"),
        ("HTTP://EVIL.EXAMPLE:8080/x.har", evil),
        ("data:application/json,{}", "null"),
        ("javascript:alert(1)", "null"),
    ] {
        let target = link_target(value);
        assert!(other(to)(target.clone()), "{value:?} leads to {to}, got {target:?}");
    }
    for (query, to) in [
        ("har=/%5Cevil.example:8080/x.har", evil),
        ("har=/%5cevil.example:8080/x.har", evil),
        ("har=/%09/evil.example:8080/x.har", evil),
        ("har=/%0A/evil.example:8080/x.har", evil),
        ("har=/%0D/evil.example:8080/x.har", evil),
        ("har=%2F%2Fevil.example:8080/x.har", evil),
        ("har=/%2F%2Fevil.example:8080/x.har", evil),
        ("har=%2F%5C%5Cevil.example:8080/x.har", evil),
        ("har=https%3A%2F%2Fother.example%2Fx.har", "https://other.example"),
    ] {
        let target = from_link(query);
        assert!(other(to)(target.clone()), "?{query} leads to {to}, got {target:?}");
    }
    // The good ones: paths on this server, fetched at the address the browser gives.
    let page = format!("{origin}/pages?har=x.har");
    for (value, base, href) in [
        ("/pages/x.har", page.as_str(), format!("{origin}/pages/x.har")),
        ("x.har", page.as_str(), format!("{origin}/x.har")),
        ("x.har", &format!("{origin}/pages/"), format!("{origin}/pages/x.har")),
        ("/lab/page/tiny", page.as_str(), format!("{origin}/lab/page/tiny")),
        ("/pages/a b.har", page.as_str(), format!("{origin}/pages/a%20b.har")),
        ("/%5Cevil.example/x.har", page.as_str(), format!("{origin}/%5Cevil.example/x.har")),
        ("/pages/%2F%2Fx.har", page.as_str(), format!("{origin}/pages/%2F%2Fx.har")),
        (&format!("{origin}/pages/x.har"), page.as_str(), format!("{origin}/pages/x.har")),
    ] {
        assert_eq!(link_target_against(value, base), LinkTarget::SameOrigin(href), "{value:?} on {base}");
    }
    assert_eq!(from_link("har=%252F%252Fevil.example%2Fx.har"), LinkTarget::SameOrigin(format!("{origin}/%2F%2Fevil.example/x.har")));
    assert_eq!(link_target("/pages/x.har"), LinkTarget::SameOrigin(format!("{origin}/pages/x.har")), "against this page");
    assert_eq!(link_target("http://[::1"), LinkTarget::NotAUrl);
    // Another port of this host is another origin.
    let port = web_sys::window().unwrap().location().port().unwrap();
    let elsewhere = origin.replace(&format!(":{port}"), ":1");
    assert!(other(&elsewhere)(link_target(&format!("{elsewhere}/x.har"))));
    guard::assert_clean();
}
