//! Sends a real request with `fetch`, with a timeout, and collects what came
//! back together with the browser's timing of it.

use super::{is_abort_error, js_message, now_ms, window};
use roundtrip_model::exchange::{truncate_text, Exchange, RequestSpec, BODY_DISPLAY_CAP};
use roundtrip_model::failure::Failure;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// Sends `spec` and waits for the whole response, or fails saying why.
pub async fn send(spec: RequestSpec) -> Result<Exchange, Failure> {
    let controller = web_sys::AbortController::new().map_err(|e| Failure::InvalidRequest { reason: js_message(&e) })?;
    let init = web_sys::RequestInit::new();
    init.set_method(&spec.method);
    init.set_signal(Some(&controller.signal()));
    let headers = web_sys::Headers::new().map_err(|e| Failure::InvalidRequest { reason: js_message(&e) })?;
    for (name, value) in &spec.headers {
        headers
            .append(name, value)
            .map_err(|e| Failure::InvalidRequest { reason: format!("The browser refused the header “{name}”: {}", js_message(&e)) })?;
    }
    init.set_headers(&headers);
    if let Some(body) = &spec.body {
        init.set_body(&JsValue::from_str(body));
    }
    let request = web_sys::Request::new_with_str_and_init(&spec.url, &init)
        .map_err(|e| Failure::InvalidRequest { reason: format!("The browser refused this request: {}", js_message(&e)) })?;

    // The timer aborts the request; the flag tells a timeout from other aborts.
    let timed_out = Rc::new(Cell::new(false));
    let on_timeout = {
        let timed_out = timed_out.clone();
        let controller = controller.clone();
        Closure::once(move || {
            timed_out.set(true);
            controller.abort();
        })
    };
    let timer = window()
        .set_timeout_with_callback_and_timeout_and_arguments_0(
            on_timeout.as_ref().unchecked_ref(),
            spec.timeout_ms.min(i32::MAX as u32) as i32,
        )
        .unwrap_or(0);

    let started = now_ms();
    let outcome = fetch_and_read(&request).await;
    window().clear_timeout_with_handle(timer);
    drop(on_timeout);
    let elapsed_ms = now_ms() - started;

    let (response, bytes) = outcome.map_err(|(error, body_started)| {
        if timed_out.get() {
            Failure::Timeout { after_ms: spec.timeout_ms }
        } else if body_started {
            Failure::BodyFailed { detail: js_message(&error) }
        } else if is_abort_error(&error) {
            Failure::Network { detail: "The request was aborted".into() }
        } else {
            Failure::Network { detail: js_message(&error) }
        }
    })?;

    let timing = super::timing::entry_for(&spec.url, started).await;
    let body_size = bytes.len();
    let body = truncate_text(String::from_utf8_lossy(&bytes).into_owned(), BODY_DISPLAY_CAP);
    Ok(Exchange {
        status: response.status(),
        status_text: response.status_text(),
        headers: header_pairs(&response.headers()),
        body,
        body_size,
        final_url: response.url(),
        redirected: response.redirected(),
        response_type: format!("{:?}", response.type_()).to_lowercase(),
        elapsed_ms,
        timing,
        request: spec,
    })
}

/// GETs a URL or a path on this server.
pub async fn get(url_or_path: &str) -> Result<Exchange, Failure> {
    send(RequestSpec::get(super::resolve_url(url_or_path)?)).await
}

/// The error, and whether it struck while reading the body.
async fn fetch_and_read(request: &web_sys::Request) -> Result<(web_sys::Response, Vec<u8>), (JsValue, bool)> {
    let response: web_sys::Response = JsFuture::from(window().fetch_with_request(request)).await.map_err(|e| (e, false))?.unchecked_into();
    let buffer = response.array_buffer().map_err(|e| (e, true))?;
    let buffer = JsFuture::from(buffer).await.map_err(|e| (e, true))?;
    Ok((response, js_sys::Uint8Array::new(&buffer).to_vec()))
}

fn header_pairs(headers: &web_sys::Headers) -> Vec<(String, String)> {
    let Ok(Some(iter)) = js_sys::try_iter(headers) else { return Vec::new() };
    iter.filter_map(Result::ok)
        .filter_map(|pair| {
            let pair: js_sys::Array = pair.dyn_into().ok()?;
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect()
}
