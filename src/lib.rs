//! Roundtrip: the Leptos app. Components take model data and signals; only
//! `web` touches the browser.

pub mod app;
pub mod components;
pub mod lab_status;
pub mod recorder;
pub mod routes;
pub mod split;
pub mod tasks;
pub mod web;

use wasm_bindgen::JsCast;

/// Mounts the app on `<body>`, in place of index.html's shell.
///
/// The shell already shows the page (the lab painted its words in). The app
/// mounts once what its first render needs has arrived, so that render is
/// the page itself rather than "Loading…" over the text a learner is
/// reading: the route's own code (see `split`), and on a lesson or the
/// lesson index the page's JSON, preloaded beside the wasm. Both are asked
/// for at once. It does not wait more than three seconds for them: the page
/// then shows its own loading state, its error or its retry.
pub fn mount() {
    web::timing::keep_buffer(5_000);
    let path = web::window().location().pathname().unwrap_or_default();
    let lesson = if path == "/lessons" { Some(None) } else { path.strip_prefix("/lesson/").map(|slug| Some(slug.to_owned())) };
    let part = split::Part::of_path(&path);
    if lesson.is_none() && part.is_none() {
        return start();
    }
    // Not `Tasks`: no component (no owner) exists yet, and these touch no
    // signals; each only calls `start`, which runs once.
    wasm_bindgen_futures::spawn_local(async move {
        let json = async {
            match lesson {
                Some(Some(slug)) => {
                    // Its experiment's own code too, if it has some.
                    let kind = web::fetch::lesson(&slug).await.ok().map(|p| p.lesson.kind);
                    if let Some(part) = kind.and_then(split::Part::of_experiment) {
                        let _ = part.preload().await;
                    }
                }
                Some(None) => drop(web::fetch::lesson_index().await),
                None => {}
            }
        };
        let code = async {
            if let Some(part) = part {
                // A failure shows on the page itself, with its retry.
                let _ = part.preload().await;
            }
            // A lesson's link with a run recorded elsewhere shows it at once.
            let fragment = web::window().location().hash().unwrap_or_default();
            if part == Some(split::Part::Lesson) && fragment.contains("run=") {
                let _ = split::preload_result_views().await;
            }
        };
        futures::future::join(json, code).await;
        start();
    });
    wasm_bindgen_futures::spawn_local(async {
        web::sleep(3_000).await;
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
    // Built hidden behind the painted shell, in several short tasks (see
    // `components::later`), then shown in the shell's place in one task
    // (nothing half-built is painted). If mounting fails, the painted page
    // stays, and the boot script (index.html) still shows its message.
    let Some(document) = web::window().document() else { return };
    let (Some(body), Ok(root)) = (document.body(), document.create_element("div")) else { return };
    root.set_class_name("app");
    let _ = root.set_attribute("hidden", "");
    let _ = body.append_child(&root);
    let shown = root.clone();
    components::later::when_settled(move || {
        let _ = shown.remove_attribute("hidden");
        if let Some(shell) = web::window().document().and_then(|d| d.get_element_by_id("shell")) {
            shell.remove();
        }
        web::mark_interactive();
        if let Ok(event) = web_sys::Event::new("roundtrip-mounted") {
            let _ = web::window().dispatch_event(&event);
        }
    });
    leptos::mount::mount_to(root.unchecked_into(), app::App).forget();
    // A safety net: a part that never came would keep the app hidden.
    wasm_bindgen_futures::spawn_local(async {
        web::sleep(5_000).await;
        if components::later::settling() {
            leptos::logging::error!("Roundtrip: some of the page was not built in time; shown as it is");
            components::later::settle_now();
        }
    });
}
