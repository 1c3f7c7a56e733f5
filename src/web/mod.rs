//! The only code that touches the browser (web-sys, fetch, Performance).
//! It turns browser objects into model types; components never see web-sys.

pub mod download;
pub mod fetch;
pub mod frame;
pub mod observer;
pub mod page;
pub mod raf;
pub mod timing;

use roundtrip_model::failure::Failure;
use wasm_bindgen::JsCast;

pub(crate) fn window() -> web_sys::Window {
    web_sys::window().expect("Roundtrip runs in a browser window")
}

/// Resolves what the learner typed into the URL that is sent. The model's
/// URL anatomy decides first (what it refuses is refused here with the same
/// sentence, so the anatomy under the request bar and Send never disagree);
/// then the browser's own parser completes it (punycode, percent-encoding).
pub fn resolve_url(input: &str) -> Result<String, Failure> {
    let input = input.trim();
    let invalid = |reason: &str| Failure::InvalidUrl { input: input.to_owned(), reason: reason.to_owned() };
    let origin = page_origin();
    let anatomy = roundtrip_model::url::anatomy(input, &origin).map_err(|p| invalid(&p.message))?;
    let full = if anatomy.relative { format!("{origin}{input}") } else { input.to_owned() };
    let url = web_sys::Url::new(&full).map_err(|_| invalid("the browser's URL parser rejected it"))?;
    match url.protocol().as_str() {
        "http:" | "https:" => Ok(url.href()),
        other => Err(invalid(&format!("{other} is not http: or https:, and only those go over HTTP"))),
    }
}

/// `document.cookie`: the cookies this page's JavaScript can see.
pub fn document_cookie() -> String {
    window().document().and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok()).and_then(|d| d.cookie().ok()).unwrap_or_default()
}

/// This page's origin, e.g. `http://127.0.0.1:8080`.
pub fn page_origin() -> String {
    window().location().origin().unwrap_or_default()
}

/// Milliseconds since this page's time origin, the clock Resource Timing uses.
pub fn now_ms() -> f64 {
    window().performance().map_or(0.0, |p| p.now())
}

/// Waits `ms` milliseconds without blocking the page.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Marks the moment the app became interactive, for `cargo xtask bench`.
pub fn mark_interactive() {
    mark("roundtrip:interactive");
}

/// A User Timing mark, for `cargo xtask bench` and DevTools' Performance panel.
pub fn mark(name: &str) {
    if let Some(p) = window().performance() {
        let _ = p.mark(name);
    }
}

/// A JS error's message, for the rare case we show one.
pub(crate) fn js_message(value: &wasm_bindgen::JsValue) -> String {
    if let Some(e) = value.dyn_ref::<js_sys::Error>() {
        return String::from(e.message());
    }
    if let Some(e) = value.dyn_ref::<web_sys::DomException>() {
        return e.message();
    }
    value.as_string().unwrap_or_else(|| format!("{value:?}"))
}

pub(crate) fn is_abort_error(value: &wasm_bindgen::JsValue) -> bool {
    value.dyn_ref::<web_sys::DomException>().is_some_and(|e| e.name() == "AbortError")
}

/// `key=value&…` with both sides percent-encoded, for links.
pub fn query_string(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", js_sys::encode_uri_component(k), js_sys::encode_uri_component(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Moves keyboard focus to the first element matching `selector`, if any.
pub fn focus_selector(selector: &str) {
    let el = window().document().and_then(|d| d.query_selector(selector).ok().flatten());
    if let Some(el) = el.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = el.focus();
    }
}
