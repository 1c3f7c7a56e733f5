//! HTTP/1.1 against HTTP/2 on one page load: the heavy fixture loaded from
//! the lab's two HTTPS listeners (same certificate; one offers only
//! http/1.1, the other h2), each in a frame that reports its own Resource
//! Timing entries to this page (it is another origin, so the app cannot read
//! them itself), side by side.

use crate::web::timing::to_model;
use leptos::prelude::*;
use roundtrip_model::protocols::{summarize, ProtocolRun};
use roundtrip_model::timing::format_ms;
use wasm_bindgen::{JsCast, JsValue};

/// The fixture compared: 180 requests, far more than six connections carry at once.
const PAGE: &str = "/lab/page/heavy";

#[derive(Clone, PartialEq)]
enum Step {
    Idle,
    Loading(&'static str),
    Done,
    Failed(String),
}

#[component]
pub fn ProtocolCompare() -> impl IntoView {
    let tasks = crate::tasks::Tasks::new();
    let step = RwSignal::new(Step::Idle);
    let runs = RwSignal::new(Vec::<(&'static str, ProtocolRun)>::new());
    let frame_src = RwSignal::new(None::<String>);
    let run = move |_| {
        runs.set(Vec::new());
        tasks.spawn(async move {
            let info = match crate::web::fetch::lab_https().await {
                Ok(info) => info,
                Err(why) => return step.set(Step::Failed(format!("The comparison needs the lab over HTTPS: {why}."))),
            };
            let Some(http11) = info.http11.clone() else {
                return step.set(Step::Failed(
                    "The lab runs without its HTTP/1.1-only listener (--https11-port off): nothing to compare with.".into(),
                ));
            };
            for (label, origin) in [("HTTP/1.1", http11), ("HTTP/2", info.h2.clone())] {
                step.set(Step::Loading(label));
                match load_and_listen(frame_src, &origin).await {
                    Ok(r) => runs.update(|all| all.push((label, r))),
                    Err(why) => return step.set(Step::Failed(format!("{label}: {why}"))),
                }
            }
            // The HTTP/2 load stays on screen, to look at (and to check).
            step.set(Step::Done);
        });
    };
    let busy = move || matches!(step.get(), Step::Loading(_));
    let table = move || {
        let runs = runs.get();
        (!runs.is_empty()).then(|| {
            let cell = |f: &dyn Fn(&ProtocolRun) -> String| runs.iter().map(|(_, r)| view! { <td>{f(r)}</td> }).collect_view();
            view! {
                <table class="headers protocol-table" data-testid="protocol-table">
                    <thead>
                        <tr><th scope="col">"The heavy page"</th>{runs.iter().map(|(l, _)| view! { <th scope="col">{*l}</th> }).collect_view()}</tr>
                    </thead>
                    <tbody>
                        <tr data-testid="protocol-row-protocol"><th scope="row">"Protocol used (nextHopProtocol)"</th>{cell(&|r| if r.protocol.is_empty() { "not exposed".into() } else { r.protocol.clone() })}</tr>
                        <tr data-testid="protocol-row-requests"><th scope="row">"Requests (the page and its own files)"</th>{cell(&|r| r.requests.to_string())}</tr>
                        <tr data-testid="protocol-row-connections"><th scope="row">"New connections opened"</th>{cell(&|r| r.connections_opened.to_string())}</tr>
                        <tr data-testid="protocol-row-in-flight"><th scope="row">"Most requests under way at once"</th>{cell(&|r| r.most_in_flight.to_string())}</tr>
                        <tr data-testid="protocol-row-median-wait"><th scope="row">"Median wait before a request went out"</th>{cell(&|r| format_ms(r.median_wait_ms))}</tr>
                        <tr data-testid="protocol-row-longest"><th scope="row">"Longest wait"</th>{cell(&|r| format_ms(r.longest_wait_ms))}</tr>
                        <tr data-testid="protocol-row-load"><th scope="row">"Until the load event"</th>{cell(&|r| format_ms(r.load_ms))}</tr>
                    </tbody>
                </table>
            }
        })
    };
    view! {
        <section class="card protocol-compare" aria-labelledby="protocols-h">
            <h2 id="protocols-h">"HTTP/1.1 or HTTP/2: the same page, the same certificate"</h2>
            <p>
                "The lab serves the heavy page (180 requests) over HTTPS twice: one listener speaks only HTTP/1.1, the other offers HTTP/2. "
                "With HTTP/1.1 a connection carries one request at a time, so the browser opens at most six per server and the other requests wait in line. "
                "HTTP/2 sends them all at once over one connection."
            </p>
            <button type="button" class="send" data-testid="protocol-run" disabled=busy on:click=run>"Load it over HTTP/1.1, then over HTTP/2"</button>
            <p class="note" role="status" data-testid="protocol-status">
                {move || match step.get() {
                    Step::Idle => String::new(),
                    Step::Loading(l) => format!("Loading the heavy page over {l}…"),
                    Step::Done => "Both loads are measured: the figures are the page's own Resource Timing entries, as its frame reported them.".into(),
                    Step::Failed(why) => why,
                }}
            </p>
            {table}
            <p class="note">
                "A new connection is counted where the entry spent time connecting (over HTTPS that includes the TLS handshake); on a reused connection the browser sets every connection mark to the moment the fetch started. "
                "Under way: from the request going out to the last byte of its answer; with HTTP/1.1 one per connection. "
                "A wait is the time from when the browser wanted a file to when its request went out, minus setting up a connection of its own: with HTTP/1.1, mostly waiting for a connection to be free. "
                "Files already in this browser's cache need no connection: a second comparison shows fewer; reload the page with the cache off to see a cold load again."
            </p>
            {move || frame_src.get().map(|src| view! {
                <iframe class="page-frame" title="The heavy page, loading" sandbox="allow-scripts allow-same-origin" src=src data-testid="protocol-frame"></iframe>
            })}
        </section>
    }
}

/// Loads the heavy page from `origin` in the frame and waits for its report
/// of its own timing entries: once the load is over and nothing new came
/// for a moment.
async fn load_and_listen(frame_src: RwSignal<Option<String>>, origin: &str) -> Result<ProtocolRun, String> {
    let latest = std::rc::Rc::new(std::cell::RefCell::new(None::<JsValue>));
    let expected = origin.trim_end_matches('/').to_owned();
    let keep = latest.clone();
    let on_message = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
        // Only the frame we loaded, from the origin we loaded it from.
        if ev.origin() != expected {
            return;
        }
        let data = ev.data();
        let kind = js_sys::Reflect::get(&data, &JsValue::from_str("roundtrip")).ok().and_then(|v| v.as_string());
        if kind.as_deref() == Some("timing") {
            *keep.borrow_mut() = Some(data);
        }
    });
    let window = crate::web::window();
    window.add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref()).map_err(|e| crate::web::js_message(&e))?;
    // Removed however this ends (the task may be dropped when the learner leaves).
    let _guard = Listener(on_message);
    frame_src.set(Some(format!("{}{PAGE}?report=parent", origin.trim_end_matches('/'))));
    let started = crate::web::now_ms();
    let mut quiet = 0;
    let mut last_count = usize::MAX;
    // The newest report, read once when it arrives (not on every tick).
    let mut read: Option<Report> = None;
    loop {
        crate::web::sleep(100).await;
        let arrived = latest.borrow_mut().take();
        if let Some(data) = arrived {
            read = Some(read_report(&data)?);
        }
        if let Some((document, load_end, resources)) = &read {
            // Over once the load event is done and no new entry came for 0.5 s.
            if *load_end > 0.0 && resources.len() == last_count {
                quiet += 1;
                if quiet >= 5 {
                    return Ok(summarize(document, *load_end, resources));
                }
            } else {
                quiet = 0;
            }
            last_count = resources.len();
        }
        if crate::web::now_ms() - started > 30_000.0 {
            return Err("the page did not report its load within 30 s (the browser may refuse the lab's certificate: open the lab's HTTPS address once and accept it)".into());
        }
    }
}

struct Listener(wasm_bindgen::closure::Closure<dyn FnMut(web_sys::MessageEvent)>);

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = crate::web::window().remove_event_listener_with_callback("message", self.0.as_ref().unchecked_ref());
    }
}

type Report = (roundtrip_model::timing::ResourceTiming, f64, Vec<roundtrip_model::timing::ResourceTiming>);

/// The frame's message: its navigation entry and its resource entries, as
/// the plain objects `toJSON()` made of them.
fn read_report(data: &JsValue) -> Result<Report, String> {
    let get = |o: &JsValue, k: &str| js_sys::Reflect::get(o, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED);
    let navigation = get(data, "navigation");
    if navigation.is_undefined() || navigation.is_null() {
        return Err("the page's report has no navigation entry".into());
    }
    let load_end = get(&navigation, "loadEventEnd").as_f64().unwrap_or(0.0);
    let document = to_model(navigation.unchecked_ref());
    let list: js_sys::Array = get(data, "resources").dyn_into().map_err(|_| "the page's report has no list of resources".to_owned())?;
    let resources = list.iter().map(|e| to_model(e.unchecked_ref())).collect();
    Ok((document, load_end, resources))
}
