//! A page loaded in an iframe, observed from outside: its own Resource
//! Timing entries and Navigation Timing milestones. Only same-origin frames
//! can be read; the browser forbids it otherwise, and this says so.

use super::timing::to_model;
use roundtrip_model::timing::ResourceTiming;
use wasm_bindgen::{JsCast, JsValue};

/// What a frame's page reports so far.
pub struct FrameLoad {
    /// The document (navigation entry) first, then every sub-resource.
    pub entries: Vec<ResourceTiming>,
    /// DOMContentLoaded and load, on the frame's clock (0 until they happen).
    pub dom_content_loaded_ms: f64,
    pub load_ms: f64,
    /// The frame document's time origin: a new document has a new one.
    pub time_origin: f64,
}

/// Reads the frame's performance records, or says why it cannot.
pub fn read(frame: &web_sys::HtmlIFrameElement) -> Result<FrameLoad, String> {
    let window = frame.content_window().ok_or("the frame has no window yet")?;
    // A cross-origin window throws on any property read.
    let performance = js_sys::Reflect::get(&window, &JsValue::from_str("performance"))
        .map_err(|_| "the page in the frame is from another origin, and the browser does not let this page read its records".to_owned())?;
    if performance.is_undefined() || performance.is_null() {
        return Err("the frame has no performance records".into());
    }
    // The frame's objects come from its own JavaScript realm, where
    // `instanceof` against this page's classes is false: cast unchecked
    // (methods are looked up on the object itself).
    let performance: web_sys::Performance = performance.unchecked_into();
    let mut entries: Vec<ResourceTiming> = Vec::new();
    let (mut dcl, mut load) = (0.0, 0.0);
    let mut document = String::new();
    for kind in ["navigation", "resource"] {
        for e in performance.get_entries_by_type(kind).iter() {
            let number = |key: &str| js_sys::Reflect::get(&e, &JsValue::from_str(key)).ok().and_then(|v| v.as_f64()).unwrap_or(0.0);
            let entry = to_model(e.unchecked_ref::<web_sys::PerformanceResourceTiming>());
            if kind == "navigation" {
                dcl = number("domContentLoadedEventEnd");
                load = number("loadEventEnd");
                document = entry.name.clone();
            } else if entry.name == document && entry.initiator_type == "iframe" {
                // WebKit also lists the frame's own document as an `iframe`
                // resource of itself: it is the navigation entry, once.
                continue;
            }
            entries.push(entry);
        }
    }
    // Nested frames' documents: Firefox gives the outer page no timing entry
    // for them on a reload; their own navigation entry is the record. Only
    // once the outer page has loaded (by then every engine that does list a
    // frame's document has listed it) and only a loaded http(s) document.
    let origin = performance.time_origin();
    for child in child_frames(&window).into_iter().filter(|_| load > 0.0) {
        let Some(nav) = navigation_entry(&child) else { continue };
        let real = nav.0.name.starts_with("http") && nav.0.response_end > 0.0;
        if real && !entries.iter().any(|e| e.name == nav.0.name) {
            let mut entry = nav.0;
            entry.initiator_type = "iframe".into();
            shift(&mut entry, nav.1 - origin);
            entries.push(entry);
        }
    }
    Ok(FrameLoad { entries, dom_content_loaded_ms: dcl, load_ms: load, time_origin: origin })
}

/// The same-origin frames inside a window.
fn child_frames(window: &web_sys::Window) -> Vec<JsValue> {
    let frames = js_sys::Reflect::get(window, &JsValue::from_str("frames")).unwrap_or(JsValue::UNDEFINED);
    let length = js_sys::Reflect::get(&frames, &JsValue::from_str("length")).ok().and_then(|v| v.as_f64()).unwrap_or(0.0) as u32;
    (0..length.min(64)).filter_map(|i| js_sys::Reflect::get_u32(&frames, i).ok()).collect()
}

/// A frame's navigation entry and its time origin, when it can be read.
fn navigation_entry(frame_window: &JsValue) -> Option<(ResourceTiming, f64)> {
    let performance = js_sys::Reflect::get(frame_window, &JsValue::from_str("performance")).ok()?;
    if performance.is_undefined() || performance.is_null() {
        return None;
    }
    let performance: web_sys::Performance = performance.unchecked_into();
    let nav = performance.get_entries_by_type("navigation").get(0);
    if nav.is_undefined() {
        return None;
    }
    Some((to_model(nav.unchecked_ref::<web_sys::PerformanceResourceTiming>()), performance.time_origin()))
}

/// Moves an entry from its own document's clock onto another's (marks the
/// browser left at 0 stay 0).
fn shift(e: &mut ResourceTiming, by: f64) {
    e.start_time += by;
    for mark in [
        &mut e.redirect_start,
        &mut e.redirect_end,
        &mut e.fetch_start,
        &mut e.domain_lookup_start,
        &mut e.domain_lookup_end,
        &mut e.connect_start,
        &mut e.secure_connection_start,
        &mut e.connect_end,
        &mut e.request_start,
        &mut e.response_start,
        &mut e.response_end,
    ] {
        if *mark > 0.0 {
            *mark += by;
        }
    }
}
/// The text of a file the person picked.
pub async fn read_file_text(file: &web_sys::File) -> Result<String, String> {
    // Bytes, then UTF-8: one copy of the buffer, instead of the browser
    // decoding to a JS string that is then re-encoded for Rust. (Measured:
    // the file is read and split in ~40 + ~80 ms either way; the long frames
    // of a 5,000-entry import come from redrawing the report per batch.)
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await.map_err(|e| super::js_message(&e))?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    String::from_utf8(bytes).map_err(|e| format!("the file is not UTF-8 text (invalid byte at {})", e.utf8_error().valid_up_to()))
}

/// Reloads the frame's page (the browser may now use its cache).
pub fn reload(frame: &web_sys::HtmlIFrameElement) -> Result<(), String> {
    let window = frame.content_window().ok_or("the frame has no window")?;
    window.location().reload().map_err(|e| super::js_message(&e))
}
