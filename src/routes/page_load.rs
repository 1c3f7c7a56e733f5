use crate::components::load_report::LoadReport;
use crate::components::page_explorer::PageExplorer;
use crate::web::{frame, now_ms, sleep};
use leptos::prelude::*;
use roundtrip_model::har::{EntryScanner, Importer, MAX_FILE_BYTES};
use roundtrip_model::waterfall::Row;
use std::sync::Arc;

/// The page-load explorer: load a page in a sandboxed frame and count every
/// request it causes, live; or import a HAR from any site.
#[component]
pub fn PageLoad() -> impl IntoView {
    view! {
        <h1 class="page-title">"What does one page load cost?"</h1>
        <crate::lab_status::NoLabNotice needs="Loading the fixture pages"/>
        <p class="lead">
            "A page is one request; everything it names — stylesheets, scripts, images, fonts, API calls, frames — is one more. "
            "Load a page below and watch the requests being counted as your browser makes them."
        </p>
        <PageExplorer/>
        <HarImport/>
    }
}

/// Import a HAR exported from any browser's DevTools, for any site.
#[component]
fn HarImport() -> impl IntoView {
    let tasks = crate::tasks::Tasks::new();
    let rows = RwSignal::new(Vec::<Arc<Row>>::new());
    let progress = RwSignal::new(None::<(usize, usize)>);
    let message = RwSignal::new(None::<String>);
    // DOMContentLoaded and load of the page shown, from the file's pageTimings.
    let milestones = RwSignal::new((0.0, 0.0));
    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        rows.set(Vec::new());
        milestones.set((0.0, 0.0));
        message.set(None);
        if file.size() > MAX_FILE_BYTES as f64 {
            message.set(Some(format!("The file has {} bytes; Roundtrip reads HAR files of up to {MAX_FILE_BYTES} bytes.", file.size())));
            return;
        }
        tasks.spawn(async move {
            let text = match frame::read_file_text(&file).await {
                Ok(t) => t,
                Err(e) => return message.set(Some(format!("The file could not be read: {e}"))),
            };
            crate::web::mark("har:read");
            // Scanned a megabyte at a time, so a large file does not freeze the page.
            let mut scanner = match EntryScanner::new(&text) {
                Ok(s) => s,
                Err(e) => return message.set(Some(e.to_string())),
            };
            while scanner.scan(1 << 20).is_none() {
                progress.set(Some(((scanner.progress() * 100.0) as usize, 100)));
                sleep(0).await;
            }
            let split = match scanner.finish() {
                Ok(split) => split,
                Err(e) => return message.set(Some(e.to_string())),
            };
            crate::web::mark("har:scanned");
            let texts = &split.entries;
            let total = texts.len();
            progress.set(Some((0, total)));
            let mut importer = Importer::new(&split);
            let mut pending = std::collections::VecDeque::new();
            let mut done = 0;
            // Parsed a few milliseconds at a time, and drawn at most 150 rows
            // at a time, yielding to the browser in between: it keeps painting.
            while done < total || !pending.is_empty() {
                let slice_start = now_ms();
                while done < total && now_ms() - slice_start < 8.0 {
                    if let Ok(entry) = importer.push(texts[done]) {
                        pending.push_back(Arc::new(entry.row.clone()));
                    }
                    done += 1;
                }
                let batch: Vec<_> = pending.drain(..pending.len().min(150)).collect();
                if !batch.is_empty() {
                    rows.update(|r| r.extend(batch));
                }
                progress.set(Some((done, total)));
                sleep(0).await;
            }
            progress.set(None);
            let import = importer.finish();
            // Until the page picker: several page loads in one file are not
            // added up as one; the first is shown, on its own time axis.
            if import.pages.len() > 1 {
                rows.set(import.entries_of(0).map(|e| Arc::new(e.row.clone())).collect());
            }
            if let Some(page) = import.pages.first() {
                let (dcl, load) = page.milestones_ms();
                milestones.set((dcl.unwrap_or(0.0), load.unwrap_or(0.0)));
            }
            crate::web::mark("har:drawn");
            let mut notes = import.notes();
            if import.pages.len() > 1 {
                let titles: Vec<_> = import
                    .pages
                    .iter()
                    .enumerate()
                    .map(|(i, p)| format!("“{}” ({} requests)", p.title, import.report(i).requests))
                    .collect();
                notes.push(format!("The file holds {} page loads: {}. Shown: the first.", import.pages.len(), titles.join(", ")));
            }
            if total == 0 {
                notes.push("The HAR has no entries.".into());
            }
            message.set((!notes.is_empty()).then(|| notes.join(" ")));
        });
    };
    view! {
        <section class="card har-import">
            <h2>"Any site: import a HAR"</h2>
            <p>
                "In your browser's DevTools, open the Network panel, load the site, and choose “Save all as HAR” (Chrome) or “Save All As HAR” (Firefox). "
                "Then pick the file here: Roundtrip counts and draws it from the file's own data."
            </p>
            <label class="file">"HAR file " <input type="file" accept=".har,application/json" data-testid="har-file" on:change=on_file/></label>
            {move || progress.get().map(|(done, total)| view! { <p data-testid="har-progress"><progress max=total value=done></progress> " " {done} " of " {total} " entries"</p> })}
            {move || message.get().map(|m| view! { <p class="card failure" role="alert" data-testid="har-message">{m}</p> })}
        </section>
        {move || (!rows.with(|r| r.is_empty())).then(|| view! { <LoadReport rows expected=Signal::derive(|| None) milestones/> })}
    }
}
