use crate::components::later::Later;
use crate::components::load_report::{LoadReport, PAGE_ROWS};
use crate::components::page_explorer::PageExplorer;
use crate::web::page::LinkTarget;
use crate::web::{frame, now_ms, sleep};
use leptos::prelude::*;
use roundtrip_model::har::{utc_label, EntryScanner, Importer, MAX_FILE_BYTES};
use roundtrip_model::waterfall::Row;
use std::sync::Arc;

/// The page-load explorer: load a page in a sandboxed frame and count every
/// request it causes, live; or import a HAR from any site.
#[component]
pub fn PageLoad() -> impl IntoView {
    view! {
        <h1 class="page-title">{crate::routes::heading("/pages").title}</h1>
        <crate::lab_status::NoLabNotice needs="Loading the fixture pages"/>
        {crate::routes::lead("/pages")}
        // The first render in four tasks (components::later).
        <Later><PageExplorer/></Later>
        <Later><crate::components::protocol_compare::ProtocolCompare/></Later>
        <Later><HarImport/></Later>
    }
}

/// Import a HAR exported from any browser's DevTools, for any site.
#[component]
fn HarImport() -> impl IntoView {
    let tasks = crate::tasks::Tasks::new();
    let rows = RwSignal::new(Vec::<Arc<Row>>::new());
    let progress = RwSignal::new(None::<(usize, usize)>);
    let message = RwSignal::new(None::<String>);
    let info = RwSignal::new(None::<String>);
    // DOMContentLoaded and load of the page shown, from the file's pageTimings.
    let milestones = RwSignal::new((0.0, 0.0));
    // The whole import, once read: a file may hold several page loads.
    let imported = StoredValue::new(None::<roundtrip_model::har::HarImport>);
    let pages = RwSignal::new(Vec::<(usize, String)>::new());
    let chosen = RwSignal::new(0usize);
    let comparisons = RwSignal::new(Vec::<String>::new());
    let has_rows = Memo::new(move |_| rows.with(|r| !r.is_empty()));
    // Set once a file is read: the report is built, hidden, in a task of its
    // own before the first rows arrive (built with them, one frame took 67 ms).
    let building = RwSignal::new(false);
    let report_built = Memo::new(move |_| has_rows.get() || building.get());
    // Shows one page of the file: its rows on its own time axis, its
    // milestones and where its count sits among desktop pages.
    let show_page = move |i: usize| {
        imported.with_value(|import| {
            let Some(import) = import else { return };
            let Some(page) = import.pages.get(i) else { return };
            chosen.set(i);
            rows.set(import.entries_of(i).map(|e| Arc::clone(&e.row)).collect());
            let (dcl, load) = page.milestones_ms();
            milestones.set((dcl.unwrap_or(0.0), load.unwrap_or(0.0)));
        });
    };
    let reset = move || {
        rows.set(Vec::new());
        milestones.set((0.0, 0.0));
        message.set(None);
        info.set(None);
        imported.set_value(None);
        pages.set(Vec::new());
        comparisons.set(Vec::new());
        building.set(false);
    };
    // Reads, counts and draws a HAR's text, a slice at a time.
    // Each import is numbered: one started while another runs makes the
    // older one stop at its next step, so only the newest file is shown.
    let generation = StoredValue::new(0u64);
    let next_import = move || {
        generation.update_value(|g| *g += 1);
        generation.get_value()
    };
    let import_text = move |text: String, mine: u64| async move {
        let current = move || generation.try_get_value() == Some(mine);
        crate::web::mark("har:read");
        // Scanned a few milliseconds at a time, so a large file does not freeze the page.
        let mut scanner = match EntryScanner::new(&text) {
            Ok(s) => s,
            Err(e) => return message.set(Some(e.to_string())),
        };
        // A frame's worth first: reading the file into memory was a task of its own.
        sleep(0).await;
        if !current() {
            return;
        }
        let mut slice_start = now_ms();
        while scanner.scan(1 << 16).is_none() {
            if now_ms() - slice_start > 8.0 {
                progress.set(Some(((scanner.progress() * 100.0) as usize, 100)));
                sleep(0).await;
                if !current() {
                    return;
                }
                slice_start = now_ms();
            }
        }
        let split = match scanner.finish() {
            Ok(split) => split,
            Err(e) => {
                progress.set(None);
                return message.set(Some(e.to_string()));
            }
        };
        crate::web::mark("har:scanned");
        building.set(true);
        sleep(0).await;
        if !current() {
            return;
        }
        let texts = &split.entries;
        let total = texts.len();
        progress.set(Some((0, total)));
        let mut importer = Importer::new(&split);
        let mut pending = std::collections::VecDeque::new();
        let mut done = 0;
        // Parsed a few milliseconds at a time, and drawn a few rows at a
        // time, yielding to the browser in between: it keeps painting.
        while done < total || !pending.is_empty() {
            let slice_start = now_ms();
            let filling = rows.with_untracked(Vec::len) < PAGE_ROWS;
            let budget = if filling { 4.0 } else { 8.0 };
            while done < total && now_ms() - slice_start < budget {
                if let Ok(entry) = importer.push(texts[done]) {
                    pending.push_back(Arc::clone(&entry.row));
                }
                done += 1;
            }
            // Rows that land on the waterfall's first page are drawn, 20 a
            // frame (each frame's parse slice is shorter meanwhile); past it
            // a batch only updates the counts, so it can be large.
            let room = match rows.with_untracked(Vec::len) {
                // The first rows also lay the report out: a few.
                0 => 5,
                n if n < PAGE_ROWS => 20,
                _ => 1000,
            };
            let batch: Vec<_> = pending.drain(..pending.len().min(room)).collect();
            if !batch.is_empty() {
                rows.update(|r| r.extend(batch));
            }
            progress.set(Some((done, total)));
            sleep(0).await;
            if !current() {
                return;
            }
        }
        progress.set(None);
        let import = importer.finish();
        // Several page loads in one file are never added up as one: each
        // is shown alone, on its own time axis, picked from a list.
        let mut notes = import.notes();
        pages.set(
            import
                .pages
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    // The model's label, not the browser's Date: a date
                    // past the year 275760 made Date throw a RangeError.
                    let when = p.started_epoch_ms.and_then(utc_label).map(|d| format!(", started {d}")).unwrap_or_default();
                    (i, format!("{} — {} requests{when}", p.title, p.requests))
                })
                .collect(),
        );
        comparisons.set(import.first_and_repeat().iter().map(|c| c.summary()).collect());
        if import.pages.len() > 1 {
            notes.push(format!("The file holds {} page loads: pick one below; each is counted on its own.", import.pages.len()));
        }
        imported.set_value(Some(import));
        show_page(0);
        building.set(false);
        crate::web::mark("har:drawn");
        if total == 0 {
            notes.push("The HAR has no entries.".into());
        }
        // What the import has to say (entries left out and why, several
        // page loads) is information, not an error: a note, not the alert.
        info.set((!notes.is_empty()).then(|| notes.join(" ")));
    };
    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        reset();
        let mine = next_import();
        if file.size() > MAX_FILE_BYTES as f64 {
            message.set(Some(format!("The file has {} bytes; Roundtrip reads HAR files of up to {MAX_FILE_BYTES} bytes.", file.size())));
            return;
        }
        tasks.spawn(async move {
            match frame::read_file_text(&file).await {
                Ok(text) if mine == generation.get_value() => import_text(text, mine).await,
                Ok(_) => {}
                Err(e) => message.set(Some(format!("The file could not be read: {e}"))),
            }
        });
    };
    // `/pages?har=/pages/x.har`: a HAR on this server (cargo xtask record
    // saves one), opened by a link. The address is resolved as the browser
    // resolves it (`/\host` and a tab-split `//` lead elsewhere), and only
    // one on this page's origin is fetched.
    let linked = roundtrip_model::echo::parse_urlencoded(&leptos_router::hooks::use_location().search.get_untracked())
        .into_iter()
        .find(|(k, _)| k == "har")
        .map(|(_, v)| v);
    if let Some(value) = linked {
        // Quoted, with tabs and line breaks written out: what was in the link.
        let shown = format!("{value:?}");
        match crate::web::page::link_target(&value) {
            LinkTarget::SameOrigin(href) => {
                tasks.spawn(async move {
                    match crate::web::fetch::text(&href, MAX_FILE_BYTES).await {
                        Ok(text) => import_text(text, next_import()).await,
                        Err(e) => message.set(Some(format!("The HAR at {shown} could not be loaded: {e}"))),
                    }
                });
            }
            LinkTarget::OtherOrigin { origin, .. } => message.set(Some(format!(
                "The link names a HAR at {shown}, which the browser reads as an address on {origin}: Roundtrip opens only a path on this server ({}), never another site.",
                crate::web::page_origin()
            ))),
            LinkTarget::NotAUrl => message.set(Some(format!(
                "The link names a HAR at {shown}, which is not an address the browser can read; Roundtrip opens only a path on this server (starting with /)."
            ))),
        }
    }
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
            {move || info.get().map(|m| view! { <p class="note" role="status" data-testid="har-notes">{m}</p> })}
            {move || (pages.with(Vec::len) > 1).then(|| view! {
                <label class="page-picker">"Page load "
                    <select data-testid="har-page" on:change=move |ev| {
                        if let Ok(i) = event_target_value(&ev).parse::<usize>() {
                            show_page(i);
                        }
                    }>
                        {pages.get().into_iter().map(|(i, label)| view! {
                            <option value=i.to_string() selected=move || chosen.get() == i>{label}</option>
                        }).collect_view()}
                    </select>
                </label>
            })}
            {move || (!comparisons.with(Vec::is_empty)).then(|| view! {
                <div class="cache-compare" data-testid="har-first-repeat">
                    <h3>"First view and repeat view: what the cache saved"</h3>
                    <ul>{comparisons.get().into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}</ul>
                </div>
            })}
        </section>
        // A memo, not `rows` itself: the report is built once when the
        // first rows arrive, then updates in place. (Read from `rows`, the
        // closure rebuilt the whole report, 250 waterfall rows included, on
        // each of a 5,000-entry import's batches: 60–90 ms tasks.)
        {move || report_built.get().then(|| view! {
            <div class="har-report" hidden=move || !has_rows.get()>
                <LoadReport rows expected=Signal::derive(|| None) milestones from_file=true/>
            </div>
        })}
    }
}
