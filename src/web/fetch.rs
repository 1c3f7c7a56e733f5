//! Sends a real request with `fetch` (through gloo-net), with a timeout, and
//! collects what came back together with the browser's timing of it.
//!
//! The `web_sys::Request` is built here rather than with gloo-net's builder,
//! for two measured reasons: its builder rewrites a URL that has a query
//! (`?a=1` goes out as `?a=1&`), and its `header()` replaces a repeated header
//! and throws on a name the browser refuses; a tool that shows what was sent
//! must send exactly what the learner wrote, or say why not. gloo-net sends it
//! and wraps the response.

use super::{js_message, now_ms, window};
use roundtrip_model::exchange::{truncate_text, Exchange, RequestSpec, BODY_DISPLAY_CAP};
use roundtrip_model::failure::{Failure, NoResponse};
use roundtrip_model::lessons::{Index, LessonPage};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// Aborts the request if the future sending it is dropped before it ends
/// (the page that asked went away), so no download goes on for nobody.
struct AbortOnDrop(Option<web_sys::AbortController>);

impl AbortOnDrop {
    fn disarm(&mut self) {
        self.0 = None;
    }
}

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(c) = self.0.take() {
            c.abort();
        }
    }
}

/// A pending `setTimeout`, cleared when dropped.
struct Timer {
    handle: i32,
    _callback: Closure<dyn FnMut()>,
}

impl Drop for Timer {
    fn drop(&mut self) {
        window().clear_timeout_with_handle(self.handle);
    }
}

/// Sends `spec` and waits for the whole response, or fails saying why. Of the
/// body, the first [`BODY_DISPLAY_CAP`] bytes are kept and the rest only
/// counted: a 100 MB download never sits in wasm memory (which never shrinks).
pub async fn send(spec: RequestSpec) -> Result<Exchange, Failure> {
    // Every browser refuses these by itself: say so before trying.
    if let Some(port) = roundtrip_model::failure::bad_port(&spec.url) {
        return Err(Failure::BadPort { port });
    }
    let controller = web_sys::AbortController::new().map_err(|e| Failure::InvalidRequest { reason: js_message(&e) })?;
    let request = build(&spec, &controller.signal())?;
    let mut abort_on_drop = AbortOnDrop(Some(controller.clone()));

    // The timer aborts the request; the flag tells a timeout from other aborts.
    let timed_out = Rc::new(Cell::new(false));
    let on_timeout: Closure<dyn FnMut()> = {
        let timed_out = timed_out.clone();
        let controller = controller.clone();
        Closure::once(move || {
            timed_out.set(true);
            controller.abort();
        })
    };
    let handle = window()
        .set_timeout_with_callback_and_timeout_and_arguments_0(
            on_timeout.as_ref().unchecked_ref(),
            spec.timeout_ms.min(i32::MAX as u32) as i32,
        )
        .unwrap_or(0);
    // Cleared however this future ends, finished or dropped.
    let _timer = Timer { handle, _callback: on_timeout };

    let started = now_ms();
    let outcome = fetch_and_read(request).await;
    abort_on_drop.disarm();
    let elapsed_ms = now_ms() - started;

    let host_is_ip = roundtrip_model::failure::host_is_ip(&spec.url);
    let (response, body) = match outcome {
        Ok(got) => got,
        Err((_, _)) if timed_out.get() => return Err(Failure::Timeout { after_ms: spec.timeout_ms }),
        Err((error, true)) => return Err(Failure::BodyFailed { detail: error.message }),
        Err((error, false)) if error.aborted => {
            return Err(Failure::Network { detail: "The request was aborted".into(), why: NoResponse::Untold { host_is_ip } })
        }
        Err((error, false)) => return Err(Failure::Network { detail: error.message, why: probe(&spec.url, host_is_ip).await }),
    };

    let mut timing = super::timing::entry_for(&spec.url, started).await;
    if let Some(entry) = timing.as_mut() {
        entry.connection = connection_evidence(&response);
    }
    let body_size = body.size;
    let text = truncate_text(String::from_utf8_lossy(&body.kept).into_owned(), BODY_DISPLAY_CAP);
    Ok(Exchange {
        status: response.status(),
        status_text: response.status_text(),
        headers: response.headers().entries().collect(),
        body: text,
        body_size,
        final_url: response.url(),
        redirected: response.redirected(),
        response_type: format!("{:?}", response.type_()).to_lowercase(),
        elapsed_ms,
        timing,
        request: spec,
    })
}

thread_local! {
    /// The lab's connection ids seen in this tab, by origin.
    static CONNECTIONS: std::cell::RefCell<std::collections::HashSet<String>> = Default::default();
}

/// The lab names the connection that answered (`X-Roundtrip-Connection`,
/// exposed to pages by CORS): the first answer on an id is a new connection.
/// This holds where the browser's marks cannot tell (whole milliseconds).
fn connection_evidence(response: &gloo_net::http::Response) -> roundtrip_model::timing::Connection {
    use roundtrip_model::timing::Connection;
    let Some(id) = response.headers().get(roundtrip_model::lab::CONNECTION_HEADER) else { return Connection::Unknown };
    let origin = web_sys::Url::new(&response.url()).map(|u| u.origin()).unwrap_or_default();
    let first = CONNECTIONS.with(|seen| seen.borrow_mut().insert(format!("{origin} {id}")));
    if first {
        Connection::New
    } else {
        Connection::Reused
    }
}

/// GETs a URL or a path on this server.
pub async fn get(url_or_path: &str) -> Result<Exchange, Failure> {
    send(RequestSpec::get(super::resolve_url(url_or_path)?)).await
}

/// The whole text of a file on this server (a recorded HAR), up to `cap`
/// bytes; larger is refused with its size, never read into memory.
pub async fn text(path: &str, cap: usize) -> Result<String, String> {
    // Same-origin mode: a redirect to another origin fails (a network
    // error), so a path on this server never hands over another site's file.
    let response = gloo_net::http::Request::get(path).mode(web_sys::RequestMode::SameOrigin).send().await.map_err(|e| e.to_string())?;
    if !response.ok() {
        return Err(format!("the server answered {} {}", response.status(), response.status_text()));
    }
    let body = read_capped(&response, cap).await.map_err(|e| e.message)?;
    if body.size > cap {
        return Err(format!("it has {} bytes, more than the {cap} bytes Roundtrip reads here", body.size));
    }
    String::from_utf8(body.kept).map_err(|e| format!("it is not UTF-8 text (invalid byte at {})", e.utf8_error().valid_up_to()))
}

/// Why a lesson is not on screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LessonLoad {
    /// No lesson has that slug (the link may be mistyped).
    Missing,
    /// It exists, or may, but could not be fetched or read: the reason.
    Failed(String),
}

thread_local! {
    // Each lesson fetched once per tab and kept (a few kilobytes each, at
    // most one per lesson of the course): going back and forth is instant,
    // and the pages hold `&'static` references into it.
    static LESSON_PAGES: std::cell::RefCell<std::collections::HashMap<String, &'static LessonPage>> = Default::default();
    static LESSON_INDEX: Cell<Option<&'static Index>> = const { Cell::new(None) };
    static IN_FLIGHT: std::cell::RefCell<std::collections::HashMap<String, js_sys::Promise>> = Default::default();
}

/// A lesson already fetched in this tab.
pub fn cached_lesson(slug: &str) -> Option<&'static LessonPage> {
    LESSON_PAGES.with(|m| m.borrow().get(slug).copied())
}

/// The lesson `slug` with its place in the course (`/lessons/{slug}.json`,
/// which the lab serves and `cargo xtask build` writes into dist/).
pub async fn lesson(slug: &str) -> Result<&'static LessonPage, LessonLoad> {
    if let Some(page) = cached_lesson(slug) {
        return Ok(page);
    }
    if !roundtrip_model::lessons::is_slug(slug) {
        return Err(LessonLoad::Missing);
    }
    let found = once_at_a_time(format!("/lessons/{slug}.json"), {
        let slug = slug.to_owned();
        async move {
            match fetch_lesson(&slug).await {
                Ok(()) => Ok(true),
                Err(LessonLoad::Missing) => Ok(false),
                Err(LessonLoad::Failed(why)) => Err(why),
            }
        }
    })
    .await;
    match found {
        Ok(true) => cached_lesson(slug).ok_or_else(|| LessonLoad::Failed("it was not kept".into())),
        Ok(false) => Err(LessonLoad::Missing),
        Err(why) => Err(LessonLoad::Failed(why)),
    }
}

/// Runs `work` (which fills a cache) once for `key` at a time: whoever asks
/// while it is on its way (a page, when the mount stopped waiting for it on
/// a slow link) waits for the same answer instead of downloading it again.
/// It runs to its end even if the page that asked is left, as it touches no
/// page's signals, only the cache.
async fn once_at_a_time(key: String, work: impl std::future::Future<Output = Result<bool, String>> + 'static) -> Result<bool, String> {
    let promise = IN_FLIGHT.with(|m| {
        m.borrow_mut()
            .entry(key.clone())
            .or_insert_with(|| {
                wasm_bindgen_futures::future_to_promise(async move {
                    let result = work.await;
                    IN_FLIGHT.with(|m| m.borrow_mut().remove(&key));
                    result.map(JsValue::from_bool).map_err(|why| JsValue::from_str(&why))
                })
            })
            .clone()
    });
    match JsFuture::from(promise).await {
        Ok(v) => Ok(v.is_truthy()),
        Err(why) => Err(why.as_string().unwrap_or_else(|| "it failed".into())),
    }
}

async fn fetch_lesson(slug: &str) -> Result<(), LessonLoad> {
    let response = gloo_net::http::Request::get(&format!("/lessons/{slug}.json"))
        .send()
        .await
        .map_err(|e| LessonLoad::Failed(format!("the request for it failed ({e}): is the network or the lab down?")))?;
    if response.status() == 404 {
        return Err(LessonLoad::Missing);
    }
    if !response.ok() {
        return Err(LessonLoad::Failed(format!("the server answered {} {}", response.status(), response.status_text())));
    }
    let body = read_capped(&response, LESSON_CAP).await.map_err(|e| LessonLoad::Failed(e.message))?;
    let page: LessonPage = serde_json::from_slice(&body.kept).map_err(|e| {
        LessonLoad::Failed(format!(
            "the server's answer is not a lesson ({e}): is this the Roundtrip lab, or a host without dist/lessons/?"
        ))
    })?;
    let page: &'static LessonPage = Box::leak(Box::new(page));
    LESSON_PAGES.with(|m| m.borrow_mut().insert(slug.to_owned(), page));
    Ok(())
}

/// The course's lessons in order (`/lessons/index.json`).
pub async fn lesson_index() -> Result<&'static Index, String> {
    if let Some(index) = cached_index() {
        return Ok(index);
    }
    once_at_a_time("/lessons/index.json".into(), async { fetch_index().await.map(|()| true) }).await?;
    cached_index().ok_or_else(|| "it was not kept".into())
}

async fn fetch_index() -> Result<(), String> {
    let text = text("/lessons/index.json", LESSON_CAP).await?;
    let index: Index = serde_json::from_str(&text).map_err(|e| format!("the server's list of lessons is not readable ({e})"))?;
    LESSON_INDEX.with(|i| i.set(Some(Box::leak(Box::new(index)))));
    Ok(())
}

pub fn cached_index() -> Option<&'static Index> {
    LESSON_INDEX.with(Cell::get)
}

/// What the app reads of a lesson or the index: the model's cap, which
/// the lesson files are held to when they are read (`lesson_file`).
const LESSON_CAP: usize = roundtrip_model::lessons::JSON_CAP;

/// Where the lab that served this page also listens over HTTPS
/// (`/lab/https`), for requests whose TLS handshake can be measured.
pub async fn lab_https() -> Result<roundtrip_model::lab::HttpsInfo, String> {
    let text = text("/lab/https", 4096)
        .await
        .map_err(|e| format!("this server does not say where its HTTPS lab is ({e}): the lab may run with --https-port off, or the app is served without the lab"))?;
    serde_json::from_str(&text).map_err(|e| format!("the lab's answer about HTTPS is not readable: {e}"))
}

/// Where students on the network reach the lab that served this page
/// (`/lab/class`): empty when it listens on loopback only.
pub async fn lab_class() -> Result<roundtrip_model::lab::ClassInfo, String> {
    let text = text("/lab/class", 16 * 1024).await?;
    serde_json::from_str(&text).map_err(|e| format!("the lab's answer about its addresses is not readable: {e}"))
}

fn build(spec: &RequestSpec, signal: &web_sys::AbortSignal) -> Result<gloo_net::http::Request, Failure> {
    let init = web_sys::RequestInit::new();
    init.set_method(&spec.method);
    init.set_signal(Some(signal));
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
    web_sys::Request::new_with_str_and_init(&spec.url, &init)
        .map(gloo_net::http::Request::from)
        .map_err(|e| Failure::InvalidRequest { reason: format!("The browser refused this request: {}", js_message(&e)) })
}

/// After a network error, finds out whether a server answered at all: the
/// same address again, as a GET in `no-cors` mode, which CORS never blocks
/// (the browser gives the page an opaque answer, its status and body
/// hidden). An answer means a server answered and the browser withheld the
/// first one (CORS); an error means nothing answered. A GET asks for
/// nothing to change on the server, whatever the first request's method.
async fn probe(url: &str, host_is_ip: bool) -> NoResponse {
    let https = url.get(..8).is_some_and(|s| s.eq_ignore_ascii_case("https://"));
    let untold = NoResponse::Untold { host_is_ip };
    let Ok(controller) = web_sys::AbortController::new() else { return untold };
    let mut abort_on_drop = AbortOnDrop(Some(controller.clone()));
    let init = web_sys::RequestInit::new();
    init.set_method("GET");
    init.set_mode(web_sys::RequestMode::NoCors);
    init.set_credentials(web_sys::RequestCredentials::Omit);
    init.set_signal(Some(&controller.signal()));
    let Ok(request) = web_sys::Request::new_with_str_and_init(url, &init) else { return untold };
    let on_timeout: Closure<dyn FnMut()> = {
        let controller = controller.clone();
        Closure::once(move || controller.abort())
    };
    let handle =
        window().set_timeout_with_callback_and_timeout_and_arguments_0(on_timeout.as_ref().unchecked_ref(), PROBE_TIMEOUT_MS).unwrap_or(0);
    let _timer = Timer { handle, _callback: on_timeout };
    let answered = JsFuture::from(window().fetch_with_request(&request)).await;
    abort_on_drop.disarm();
    match answered {
        Ok(_) => NoResponse::WithheldByCors { host_is_ip, https },
        Err(e) if super::is_abort_error(&e) => untold,
        Err(_) => NoResponse::NoServer { host_is_ip, https },
    }
}

/// How long the no-cors probe may take before Roundtrip says it cannot tell.
const PROBE_TIMEOUT_MS: i32 = 5_000;

/// Why fetch or the body read failed.
struct FetchError {
    message: String,
    aborted: bool,
}

impl From<gloo_net::Error> for FetchError {
    fn from(e: gloo_net::Error) -> Self {
        match e {
            gloo_net::Error::JsError(js) => FetchError { aborted: js.name == "AbortError", message: js.message },
            other => FetchError { aborted: false, message: other.to_string() },
        }
    }
}

impl From<JsValue> for FetchError {
    fn from(e: JsValue) -> Self {
        FetchError { aborted: super::is_abort_error(&e), message: js_message(&e) }
    }
}

/// The body's first bytes and its whole size.
struct Body {
    kept: Vec<u8>,
    size: usize,
}

/// The error, and whether it struck while reading the body.
async fn fetch_and_read(request: gloo_net::http::Request) -> Result<(gloo_net::http::Response, Body), (FetchError, bool)> {
    let response = request.send().await.map_err(|e| (FetchError::from(e), false))?;
    let body = read_capped(&response, BODY_DISPLAY_CAP).await.map_err(|e| (e, true))?;
    Ok((response, body))
}

/// Reads the body as a stream: keeps the first `cap` bytes, counts the rest
/// without copying it into wasm memory.
async fn read_capped(response: &gloo_net::http::Response, cap: usize) -> Result<Body, FetchError> {
    let mut body = Body { kept: Vec::new(), size: 0 };
    let Some(stream) = response.body() else { return Ok(body) };
    let reader: web_sys::ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    loop {
        let chunk: web_sys::ReadableStreamReadResult = JsFuture::from(reader.read()).await?.unchecked_into();
        if chunk.get_done().unwrap_or(true) {
            return Ok(body);
        }
        let bytes: js_sys::Uint8Array = chunk.get_value().unchecked_into();
        let len = bytes.length() as usize;
        let room = cap.saturating_sub(body.kept.len());
        if room > 0 {
            let take = room.min(len);
            let start = body.kept.len();
            body.kept.resize(start + take, 0);
            bytes.subarray(0, take as u32).copy_to(&mut body.kept[start..]);
        }
        body.size = body.size.saturating_add(len);
    }
}
