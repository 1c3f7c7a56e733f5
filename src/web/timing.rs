//! Resource Timing: the browser's own measurements of each request.

use super::window;
use roundtrip_model::server_timing::Metric;
use roundtrip_model::timing::ResourceTiming;
use wasm_bindgen::{JsCast, JsValue};

/// The browser keeps 250 entries by default and then drops new ones; a page
/// that is all about requests needs far more, and must never run out: when
/// the buffer is full it is emptied, so the next request's entry still lands
/// in it. (The timeline loses nothing: it takes every entry from its
/// PerformanceObserver, which the buffer does not limit.)
pub fn keep_buffer(size: u32) {
    let Some(p) = window().performance() else { return };
    p.set_resource_timing_buffer_size(size);
    let clear = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
        if let Some(p) = window().performance() {
            p.clear_resource_timings();
        }
    });
    p.set_onresourcetimingbufferfull(Some(clear.as_ref().unchecked_ref()));
    // Lives as long as the page, like the buffer it keeps.
    clear.forget();
}

/// The entry for `url` that started at or after `since_ms`. The browser adds
/// it once the body has been read, sometimes a moment later, so this waits a
/// little (up to about half a second) before giving up.
pub async fn entry_for(url: &str, since_ms: f64) -> Option<ResourceTiming> {
    for attempt in 0..20 {
        if let Some(entry) = latest_entry(url, since_ms) {
            return Some(entry);
        }
        super::sleep(if attempt < 5 { 5 } else { 30 }).await;
    }
    None
}

fn latest_entry(url: &str, since_ms: f64) -> Option<ResourceTiming> {
    let perf = window().performance()?;
    let entries = perf.get_entries_by_name_with_entry_type(url, "resource");
    entries
        .iter()
        .rev()
        .filter_map(|e| e.dyn_into::<web_sys::PerformanceResourceTiming>().ok())
        .find(|e| e.start_time() >= since_ms - 1.0)
        .map(|e| to_model(&e))
}

/// Copies a browser entry into the model's plain struct.
pub fn to_model(e: &web_sys::PerformanceResourceTiming) -> ResourceTiming {
    let text = |key: &str| js_sys::Reflect::get(e, &JsValue::from_str(key)).ok().and_then(|v| v.as_string()).unwrap_or_default();
    let status = js_sys::Reflect::get(e, &JsValue::from_str("responseStatus")).ok().and_then(|v| v.as_f64()).map_or(0, |s| s as u16);
    let server_timing = e
        .server_timing()
        .iter()
        // Unchecked: the entry may come from a frame's realm, where
        // `instanceof` fails; serverTiming only ever holds these objects.
        .map(|m| m.unchecked_into::<web_sys::PerformanceServerTiming>())
        .map(|m| Metric { name: m.name(), duration_ms: Some(m.duration()), description: m.description() })
        .collect();
    ResourceTiming {
        name: e.name(),
        initiator_type: e.initiator_type(),
        next_hop_protocol: e.next_hop_protocol(),
        delivery_type: text("deliveryType"),
        start_time: e.start_time(),
        redirect_start: e.redirect_start(),
        redirect_end: e.redirect_end(),
        fetch_start: e.fetch_start(),
        domain_lookup_start: e.domain_lookup_start(),
        domain_lookup_end: e.domain_lookup_end(),
        connect_start: e.connect_start(),
        secure_connection_start: e.secure_connection_start(),
        connect_end: e.connect_end(),
        request_start: e.request_start(),
        response_start: e.response_start(),
        response_end: e.response_end(),
        duration: e.duration(),
        transfer_size: e.transfer_size(),
        encoded_body_size: e.encoded_body_size(),
        decoded_body_size: e.decoded_body_size(),
        response_status: status,
        server_timing,
        connection: Default::default(),
    }
}
