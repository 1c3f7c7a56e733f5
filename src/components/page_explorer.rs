use crate::components::load_report::LoadReport;
use crate::web::{frame, now_ms, sleep};
use leptos::html::Iframe;
use leptos::prelude::*;
use roundtrip_model::pages::{Manifest, FIXTURES};
use roundtrip_model::waterfall::{ResourceType, Row};
use std::sync::Arc;

#[derive(Clone, PartialEq)]
enum Status {
    Idle,
    Loading(String),
    Done(String),
    Failed(String),
}

/// Load a page in a sandboxed frame and count every request it causes, live,
/// against what the page is known to need.
#[component]
pub fn PageExplorer() -> impl IntoView {
    let tasks = crate::tasks::Tasks::new();
    let recorder = expect_context::<crate::recorder::Recorder>();
    let frame_ref = NodeRef::<Iframe>::new();
    let src = RwSignal::new(None::<String>);
    let custom = RwSignal::new(String::new());
    let rows = RwSignal::new(Vec::<Arc<Row>>::new());
    let milestones = RwSignal::new((0.0, 0.0));
    let expected = RwSignal::new(None::<Vec<(ResourceType, usize)>>);
    let status = RwSignal::new(Status::Idle);
    let generation = StoredValue::new(0u64);

    // Follows the frame's records until its load is over and nothing new has
    // come for a while. A new document has a new time origin: until it
    // appears, the records are the previous page's.
    let follow = move |previous_origin: f64, label: String| {
        let gen = generation.get_value() + 1;
        generation.set_value(gen);
        rows.set(Vec::new());
        milestones.set((0.0, 0.0));
        status.set(Status::Loading(label.clone()));
        tasks.spawn(async move {
            let started = now_ms();
            let mut quiet_since = now_ms();
            // The frame lists entries by start time, so one that finishes
            // late lands before others already seen: track them by identity.
            let mut seen = std::collections::HashSet::<String>::new();
            loop {
                sleep(40).await;
                if generation.get_value() != gen {
                    return;
                }
                let Some(el) = frame_ref.get_untracked() else { return };
                match frame::read(&el) {
                    Err(e) => return status.set(Status::Failed(e)),
                    Ok(load) if load.time_origin == previous_origin || load.entries.is_empty() => {}
                    Ok(load) => {
                        let mut new = Vec::new();
                        for e in load.entries {
                            if seen.insert(format!("{}|{}", e.name, e.start_time)) {
                                new.push(Arc::new(Row::new(seen.len() as u64, e)));
                            }
                        }
                        if !new.is_empty() {
                            rows.update(|r| r.extend(new));
                            quiet_since = now_ms();
                        }
                        milestones.set((load.dom_content_loaded_ms, load.load_ms));
                        if load.load_ms > 0.0 && now_ms() - quiet_since > 1200.0 {
                            return status.set(Status::Done(label));
                        }
                    }
                }
                if now_ms() - started > 30_000.0 {
                    return status.set(Status::Failed("the page did not finish loading within 30 s; the count shows what arrived".into()));
                }
            }
        });
    };
    let origin_now = move || frame_ref.get_untracked().and_then(|el| frame::read(&el).ok()).map_or(-1.0, |l| l.time_origin);
    let load_fixture = move |name: &'static str| {
        let path = format!("/lab/page/{name}");
        expected.set(None);
        let manifest_url = format!("{path}/manifest.json");
        tasks.spawn(async move {
            if let Some(m) = fetch_manifest(recorder, &manifest_url).await {
                let mut by_type: Vec<(ResourceType, usize)> = Vec::new();
                for (kind, n) in m.by_kind {
                    let t = ResourceType::of_kind(kind);
                    match by_type.iter_mut().find(|(bt, _)| *bt == t) {
                        Some(e) => e.1 += n,
                        None => by_type.push((t, n)),
                    }
                }
                expected.set(Some(by_type));
            }
        });
        let previous = origin_now();
        src.set(Some(path.clone()));
        follow(previous, format!("first load of {path}"));
    };
    let load_custom = move || {
        let input = custom.get_untracked();
        match crate::web::resolve_url(&input) {
            Err(f) => status.set(Status::Failed(f.explain())),
            Ok(url) if !url.starts_with(&crate::web::page_origin()) => status.set(Status::Failed(
                "That page is on another origin. The browser does not let Roundtrip read the records of a page from another origin inside a frame, so any count would be partial: Roundtrip does not show one. Export a HAR from your browser's DevTools for that site and import it below instead.".into(),
            )),
            Ok(url) => {
                expected.set(None);
                let previous = origin_now();
                let path = url[crate::web::page_origin().len()..].to_owned();
                src.set(Some(path.clone()));
                follow(previous, format!("first load of {path}"));
            }
        }
    };
    let reload = move |_| {
        let Some(el) = frame_ref.get_untracked() else { return };
        let previous = origin_now();
        if let Err(e) = frame::reload(&el) {
            return status.set(Status::Failed(e));
        }
        follow(previous, "reload, with the browser's cache warm".into());
    };

    let fixture_buttons = FIXTURES
        .iter()
        .map(|f| {
            let name = f.name;
            view! {
                <button type="button" class="send secondary" data-testid=format!("load-{name}") on:click=move |_| load_fixture(name)>
                    {format!("Load the {name} page")}
                </button>
            }
        })
        .collect_view();
    let status_line = move || match status.get() {
        Status::Idle => {
            view! { <p class="hint">"Pick a page: the tiny one makes 3 requests, the median one 77, the heavy one 180."</p> }.into_any()
        }
        Status::Loading(what) => view! { <p data-testid="load-status" data-state="loading">"Counting… (" {what} ")"</p> }.into_any(),
        Status::Done(what) => {
            view! { <p data-testid="load-status" data-state="done">"Done: " {what} ". Reload to see what the cache saves."</p> }.into_any()
        }
        Status::Failed(why) => {
            view! { <p class="card failure" role="alert" data-testid="load-status" data-state="failed">{why}</p> }.into_any()
        }
    };

    view! {
        <section class="card">
            <div class="line">{fixture_buttons}</div>
            <form class="line custom-page" on:submit=move |ev| { ev.prevent_default(); load_custom(); }>
                <label for="page-path">"Or a page on this server "</label>
                <input id="page-path" type="text" placeholder="/pages/my-saved-site/index.html" data-testid="page-path"
                    prop:value=move || custom.get() on:input=move |ev| custom.set(event_target_value(&ev))/>
                <button type="submit" class="send secondary">"Load"</button>
            </form>
            <p class="note">
                "Pages load in a sandboxed frame. Roundtrip reads that frame's own records, which the browser only allows for pages of this origin: "
                "the lab's fixtures, or a folder you serve with " <code>"cargo xtask serve --pages DIR"</code> " (under " <code>"/pages/"</code> ")."
            </p>
            {status_line}
            <button type="button" data-testid="reload-warm" disabled=move || src.get().is_none() on:click=reload>"Reload (warm cache)"</button>
            <iframe
                node_ref=frame_ref
                class="page-frame"
                title="The page being loaded"
                sandbox="allow-scripts allow-same-origin"
                src=move || src.get().unwrap_or_else(|| "about:blank".into())
            ></iframe>
        </section>
        {move || src.get().is_some().then(|| view! { <LoadReport rows expected milestones/> })}
    }
}

async fn fetch_manifest(recorder: crate::recorder::Recorder, url: &str) -> Option<Manifest> {
    let exchange = recorder.get(url).await.ok()?;
    serde_json::from_str(&exchange.body).ok()
}
