//! Every request this tab makes, as the browser reports it: a
//! PerformanceObserver on `resource` and `navigation` entries, buffered so
//! that what happened before the app started is included.

use super::timing::to_model;
use roundtrip_model::timing::ResourceTiming;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Starts observing; `on_entries` receives each batch as it arrives. The
/// observer lives as long as the page (the recorder it feeds does too).
pub fn observe(mut on_entries: impl FnMut(Vec<ResourceTiming>) + 'static) -> Result<(), String> {
    let callback = Closure::<dyn FnMut(web_sys::PerformanceObserverEntryList)>::new(move |list: web_sys::PerformanceObserverEntryList| {
        let entries: Vec<ResourceTiming> = list
            .get_entries()
            .iter()
            .filter_map(|e| e.dyn_into::<web_sys::PerformanceResourceTiming>().ok())
            .map(|e| to_model(&e))
            .collect();
        if !entries.is_empty() {
            on_entries(entries);
        }
    });
    let observer = web_sys::PerformanceObserver::new(callback.as_ref().unchecked_ref()).map_err(|e| super::js_message(&e))?;
    callback.forget();
    // `{type, buffered: true}`: web-sys only models the older
    // `{entryTypes}` form, which cannot ask for buffered entries.
    for kind in ["navigation", "resource"] {
        let init = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&init, &"type".into(), &kind.into());
        let _ = js_sys::Reflect::set(&init, &"buffered".into(), &true.into());
        observer.observe(init.unchecked_ref());
    }
    Ok(())
}

/// `performance.timeOrigin`: when this page's clock started, in ms since
/// the Unix epoch.
pub fn time_origin() -> f64 {
    super::window().performance().map_or(0.0, |p| p.time_origin())
}
