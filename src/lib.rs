//! Roundtrip: the Leptos app. Components take model data and signals; only
//! `web` touches the browser.

pub mod app;
pub mod components;
pub mod lab_status;
pub mod recorder;
pub mod routes;
pub mod tasks;
pub mod web;

/// Mounts the app on `<body>`, in place of index.html's shell.
///
/// On a lesson or the lesson index the shell already shows the page (the
/// lab painted it in), and the page's JSON was preloaded beside the wasm:
/// the app mounts once that has arrived, so its first render is the page
/// itself rather than "Loading…" over the text a learner is reading. It does
/// not wait more than two seconds for it (the page then shows its own
/// loading state, its error or its retry).
pub fn mount() {
    web::timing::keep_buffer(5_000);
    let path = web::window().location().pathname().unwrap_or_default();
    let wanted = if path == "/lessons" { Some(None) } else { path.strip_prefix("/lesson/").map(|slug| Some(slug.to_owned())) };
    let Some(wanted) = wanted else { return start() };
    // Not `Tasks`: no component (no owner) exists yet, and these two touch
    // no signals; each only calls `start`, which runs once.
    wasm_bindgen_futures::spawn_local(async move {
        match wanted {
            Some(slug) => drop(web::fetch::lesson(&slug).await),
            None => drop(web::fetch::lesson_index().await),
        }
        start();
    });
    wasm_bindgen_futures::spawn_local(async {
        web::sleep(2_000).await;
        start();
    });
}

thread_local! {
    static STARTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn start() {
    if STARTED.with(|s| s.replace(true)) {
        return;
    }
    // Mounted first, the shell removed after, in the same task (nothing is
    // painted in between): if mounting fails, the painted page stays, and the
    // boot script (index.html) still shows its message.
    leptos::mount::mount_to_body(app::App);
    if let Some(shell) = web::window().document().and_then(|d| d.get_element_by_id("shell")) {
        shell.remove();
    }
    if let Ok(event) = web_sys::Event::new("roundtrip-mounted") {
        let _ = web::window().dispatch_event(&event);
    }
}
