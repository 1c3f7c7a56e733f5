use crate::components::row_detail::RowDetail;
use crate::components::waterfall::Waterfall;
use crate::recorder::Recorder;
use leptos::prelude::*;
use roundtrip_model::timing::{format_ms, PhaseKind};
use roundtrip_model::waterfall::{format_bytes, summarize, Filter, ResourceType, View};

/// Every request made in this tab, live, as a waterfall.
#[component]
pub fn Timeline() -> impl IntoView {
    let recorder = expect_context::<Recorder>();
    let types = RwSignal::new(Vec::<ResourceType>::new());
    let families = RwSignal::new(Vec::<u16>::new());
    let search = RwSignal::new(String::new());
    let selected = RwSignal::new(None::<u64>);
    // None: follow the data (fit everything); Some: the person zoomed or panned.
    let manual_view = RwSignal::new(None::<View>);

    let filtered = Memo::new(move |_| {
        let filter = Filter { types: types.get(), families: families.get(), search: search.get() };
        recorder.rows.with(|rows| rows.iter().filter(|r| filter.matches(r)).cloned().collect::<Vec<_>>())
    });
    let fitted = Memo::new(move |_| filtered.with(|rows| View::fit(rows.iter().map(|r| r.as_ref()))));
    let view = Signal::derive(move || manual_view.get().unwrap_or_else(|| fitted.get()));
    let summary = Memo::new(move |_| filtered.with(|rows| summarize(rows.iter().map(|r| r.as_ref()))));

    let type_boxes = ResourceType::ALL.iter().map(|t| chip(types, *t, t.label().to_owned())).collect_view();
    let family_boxes = [2u16, 3, 4, 5].iter().map(|f| chip(families, *f, format!("{f}xx"))).collect_view();

    let counts = move || {
        let s = summary.get();
        let by_type = s.by_type.iter().map(|(t, n)| format!("{} {n}", t.label())).collect::<Vec<_>>().join(" · ");
        let slowest = s.slowest.map(|(kind, ms, _)| format!("{} ({})", kind.label(), format_ms(ms)));
        view! {
            <p class="counts" data-testid="timeline-counts">
                <strong data-testid="timeline-total">{s.total}</strong> " requests"
                {(!by_type.is_empty()).then(|| format!(" — {by_type}"))}
                " · " {format_bytes(s.transferred)} " transferred"
                {slowest.map(|s| view! { " · slowest phase: " <span data-testid="timeline-slowest">{s}</span> })}
            </p>
        }
    };
    let export = move |_| {
        let har = recorder.har(&filtered.get_untracked());
        let text = serde_json::to_string_pretty(&har).unwrap_or_default();
        if let Err(e) = crate::web::download::save_text("roundtrip.har", "application/json", &text) {
            leptos::logging::warn!("HAR export failed: {e}");
        }
    };
    let zoom = move |factor: f64| {
        let v = view.get_untracked();
        manual_view.set(Some(v.zoom(factor, v.start + v.span() / 2.0)));
    };
    let pan = move |fraction: f64| manual_view.set(Some(view.get_untracked().pan(fraction)));

    let detail = move || {
        let id = selected.get()?;
        let row = recorder.rows.with(|rows| rows.iter().find(|r| r.id == id).cloned())?;
        let known = recorder.known(&row);
        Some(view! { <RowDetail row known/> })
    };

    view! {
        <h1 class="page-title">{crate::routes::heading("/timeline").title}</h1>
        {crate::routes::lead("/timeline")}
        <section class="card timeline-bar">
            {counts}
            <div class="filters">
                <fieldset><legend>"Type"</legend>{type_boxes}</fieldset>
                <fieldset><legend>"Status"</legend>{family_boxes}</fieldset>
                {move || {
                    if families.with(Vec::is_empty) {
                        return None;
                    }
                    let hidden = recorder.rows.with(|rows| rows.iter().filter(|r| r.status == 0).count());
                    (hidden > 0).then(|| view! {
                        <p class="note" data-testid="status-not-exposed">
                            {hidden} " of the requests in this tab show no status (n/a): this browser does not expose it in their timing records "
                            "(Safari gives a status only for the requests Roundtrip sent itself), so the status filter cannot place them."
                        </p>
                    })
                }}
                <label class="search">"Search "
                    <input type="search" data-testid="timeline-search" placeholder="part of a URL" prop:value=move || search.get() on:input=move |ev| search.set(event_target_value(&ev))/>
                </label>
            </div>
            <div class="view-controls">
                <button type="button" on:click=move |_| zoom(2.0)>"Zoom in"</button>
                <button type="button" on:click=move |_| zoom(0.5)>"Zoom out"</button>
                <button type="button" on:click=move |_| pan(-0.25)>"◀ Earlier"</button>
                <button type="button" on:click=move |_| pan(0.25)>"Later ▶"</button>
                <button type="button" on:click=move |_| manual_view.set(None)>"Fit all"</button>
                <button type="button" data-testid="export-har" on:click=export>"Export HAR"</button>
                <button type="button" on:click=move |_| { recorder.clear(); selected.set(None); }>"Clear"</button>
            </div>
            <p class="legend" aria-label="Phase colours">
                {PhaseKind::ALL.iter().map(|k| view! { <span class=format!("legend-item phase-{}", k.slug())><span class="swatch"></span>{k.label()}</span> }).collect_view()}
            </p>
        </section>
        <Waterfall rows=filtered view selected/>
        {detail}
    }
}

/// A filter checkbox: `value` is in `set` while it is checked.
fn chip<T: Copy + PartialEq + Send + Sync + 'static>(set: RwSignal<Vec<T>>, value: T, label: String) -> impl IntoView {
    view! {
        <label class="chip">
            <input
                type="checkbox"
                data-testid=format!("filter-{label}")
                prop:checked=move || set.with(|v| v.contains(&value))
                on:change=move |_| set.update(|v| match v.iter().position(|x| *x == value) {
                    Some(i) => {
                        v.remove(i);
                    }
                    None => v.push(value),
                })
            />
            {label}
        </label>
    }
}
