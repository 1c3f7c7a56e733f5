//! The browser glue, in headless Chromium, against a running lab server
//! (`cargo xtask test` starts one and passes its address).
#![cfg(target_arch = "wasm32")]

use roundtrip::web;
use roundtrip_model::exchange::RequestSpec;
use roundtrip_model::failure::Failure;
use roundtrip_model::timing::{PhaseKind, PhaseState, Skip};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const LAB: &str = env!("ROUNDTRIP_LAB_URL");

fn spec(method: &str, path: &str, timeout_ms: u32) -> RequestSpec {
    RequestSpec { method: method.into(), url: format!("{LAB}{path}"), headers: vec![], body: None, timeout_ms }
}

#[wasm_bindgen_test]
async fn fetch_reads_the_echo_and_its_resource_timing_entry() {
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
}

#[wasm_bindgen_test]
async fn a_slow_server_shows_in_the_waiting_phase() {
    let exchange = web::fetch::send(spec("GET", "/lab/delay/0.3", 10_000)).await.expect("the lab answers");
    let timeline = exchange.timing.expect("entry").timeline();
    let waiting = timeline.phase(PhaseKind::Waiting).unwrap();
    assert!(waiting.duration_ms >= 300.0, "waited only {} ms", waiting.duration_ms);
}

#[wasm_bindgen_test]
async fn a_timeout_is_told_apart_from_a_network_error() {
    let failure = web::fetch::send(spec("GET", "/lab/delay/2", 200)).await.expect_err("it must time out");
    assert_eq!(failure, Failure::Timeout { after_ms: 200 });
}

#[wasm_bindgen_test]
async fn a_refused_connection_is_a_network_failure() {
    let request = RequestSpec { url: "http://127.0.0.1:9/".into(), ..spec("GET", "", 5_000) };
    match web::fetch::send(request).await {
        Err(Failure::Network { detail }) => assert!(!detail.is_empty()),
        other => panic!("expected a network failure, got {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn an_error_status_is_still_a_response() {
    let exchange = web::fetch::send(spec("GET", "/lab/status/503", 5_000)).await.expect("a response");
    assert_eq!(exchange.status, 503);
}

#[wasm_bindgen_test]
fn urls_are_resolved_by_the_browsers_parser() {
    let page = web_sys::window().unwrap().location().origin().unwrap();
    assert_eq!(web::resolve_url("/lab/anything?q=1").unwrap(), format!("{page}/lab/anything?q=1"));
    assert!(matches!(web::resolve_url("http://[::1"), Err(Failure::InvalidUrl { .. })));
    match web::resolve_url("ftp://example.org/file") {
        Err(Failure::InvalidUrl { reason, .. }) => assert!(reason.contains("ftp:"), "{reason}"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(web::resolve_url("   "), Err(Failure::InvalidUrl { .. })));
}

#[wasm_bindgen_test]
fn the_address_bar_is_rewritten_in_place_keeping_path_and_fragment() {
    let before = web::page::address_without_query();
    let history_length = web_sys::window().unwrap().history().unwrap().length().unwrap();
    web::page::replace_query("method=GET&url=%2Flab%2Fget");
    assert_eq!(web::page::search(), "?method=GET&url=%2Flab%2Fget");
    assert_eq!(web::page::address_without_query(), before, "same page");
    web_sys::window().unwrap().location().set_hash("run=abc").unwrap();
    web::page::replace_query("");
    assert_eq!(web::page::search(), "");
    assert_eq!(web::page::fragment(), "#run=abc", "the fragment survives");
    assert_eq!(web_sys::window().unwrap().history().unwrap().length().unwrap(), history_length + 1, "only the hash change added an entry");
}

#[wasm_bindgen_test]
fn local_storage_keeps_a_value_and_the_theme_applies_to_the_page() {
    web::page::store("roundtrip.test", "cookies,urls");
    assert_eq!(web::page::stored("roundtrip.test"), "cookies,urls");
    assert_eq!(web::page::stored("roundtrip.never-set"), "");
    web::page::apply_theme("dark", true);
    let root = web_sys::window().unwrap().document().unwrap().document_element().unwrap();
    assert_eq!(root.get_attribute("data-theme").as_deref(), Some("dark"));
    assert_eq!(web::page::chosen_theme().as_deref(), Some("dark"));
    web::page::store("roundtrip.theme", "purple");
    assert_eq!(web::page::chosen_theme(), None, "an unknown stored theme follows the system");
}

#[wasm_bindgen_test]
fn a_page_not_served_by_the_lab_is_not_taken_for_one() {
    // The test runner serves this page, not the lab: no lab mark on its navigation entry.
    assert_eq!(web::page::served_by_lab(), None);
}
