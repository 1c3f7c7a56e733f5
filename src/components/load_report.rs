use crate::components::row_detail::RowDetail;
use crate::components::waterfall::Waterfall;
use leptos::prelude::*;
use roundtrip_model::pageload::{by_initiator, compare_with_almanac, counts, from_cache, ALMANAC_DESKTOP};
use roundtrip_model::timing::format_ms;
use roundtrip_model::waterfall::{format_bytes, ResourceType, Row, View};
use std::sync::Arc;

/// Rows the waterfall draws at a time (the pager moves between pages).
pub const PAGE_ROWS: usize = 250;

/// One page load's requests, counted: the big number, the types, the bytes,
/// the cache, the web at large, and the waterfall.
#[component]
pub fn LoadReport(
    /// The requests, as they arrive.
    #[prop(into)]
    rows: Signal<Vec<Arc<Row>>>,
    /// Expected counts per type (a fixture's manifest), to compare against.
    #[prop(into)]
    expected: Signal<Option<Vec<(ResourceType, usize)>>>,
    /// DOMContentLoaded and load on the rows' clock (0: not yet, or unknown).
    #[prop(into)]
    milestones: Signal<(f64, f64)>,
    /// The rows come from a file, not a load running now: a missing
    /// milestone was not recorded, rather than "not yet".
    #[prop(optional)]
    from_file: bool,
) -> impl IntoView {
    let absent = if from_file { "not recorded in this file" } else { "not yet" };
    let selected = RwSignal::new(None::<u64>);
    // The waterfall draws a page of rows at a time: updating a keyed list
    // costs time in proportion to its length, and a 5,000-entry HAR arrives
    // in many steps. The counts above always cover every row.
    let page = RwSignal::new(0usize);
    let pages = Memo::new(move |_| rows.with(|r| r.len().div_ceil(PAGE_ROWS).max(1)));
    // Other rows altogether (another page of a HAR, a reload): back to the
    // first page of rows. Rows appended to the same list keep the page.
    let first = Memo::new(move |_| rows.with(|r| r.first().map(|r| r.id)));
    Effect::watch(move || first.get(), move |_, _, _| page.set(0), false);
    let shown = Memo::new(move |_| {
        let p = page.get().min(pages.get() - 1);
        rows.with(|r| r.iter().skip(p * PAGE_ROWS).take(PAGE_ROWS).cloned().collect::<Vec<_>>())
    });
    let total = Memo::new(move |_| rows.with(|r| r.len()));
    let per_type = Memo::new(move |_| rows.with(|r| counts(r.iter().map(|r| r.as_ref()))));
    let transferred = Memo::new(move |_| rows.with(|r| r.iter().map(|r| r.entry.transfer_size).sum::<f64>()));
    let cached = Memo::new(move |_| rows.with(|r| r.iter().filter(|r| from_cache(r)).count()));
    let revalidated = Memo::new(move |_| rows.with(|r| r.iter().filter(|r| roundtrip_model::pageload::revalidated(r)).count()));
    // Types the page needs more of than the browser made requests for: a
    // browser may reuse a file without asking (Firefox keeps loaded fonts).
    let unrequested = move || {
        // Only once the page has loaded: before, the rest is still coming.
        if milestones.get().1 <= 0.0 {
            return None;
        }
        let expected = expected.get()?;
        let counted = per_type.get();
        let missing: Vec<String> = expected
            .iter()
            .filter_map(|(t, want)| {
                let got = counted.iter().find(|(c, _)| c == t).map_or(0, |(_, n)| *n);
                (got < *want).then(|| format!("{} {}", want - got, t.label()))
            })
            .collect();
        (!missing.is_empty()).then(|| missing.join(", "))
    };
    let initiators = Memo::new(move |_| {
        rows.with(|r| by_initiator(r.iter().map(|r| r.as_ref())))
            .into_iter()
            .map(|(name, n)| format!("{name} {n}"))
            .collect::<Vec<_>>()
            .join(" · ")
    });
    let view_window = Memo::new(move |_| shown.with(|r| View::fit(r.iter().map(|r| r.as_ref()))));
    // Outside `view!`: a `>=` inside an attribute would close the tag there.
    let at_last_page = move || page.get() + 1 >= pages.get();
    let markers = Signal::derive(move || {
        let (dcl, load) = milestones.get();
        vec![("DOMContentLoaded", dcl), ("load", load)]
    });
    let type_rows = move || {
        let expected = expected.get();
        per_type
            .get()
            .into_iter()
            .filter(|(t, n)| *n > 0 || expected.as_ref().is_some_and(|e| e.iter().any(|(et, en)| et == t && *en > 0)))
            .map(|(t, n)| {
                let want = expected.as_ref().and_then(|e| e.iter().find(|(et, _)| *et == t).map(|(_, n)| *n));
                let ok = want.map(|w| w == n);
                view! {
                    <tr data-testid=format!("count-{}", t.label())>
                        <th scope="row">{t.label()}</th>
                        <td data-testid="count">{n}</td>
                        {want.map(|w| view! { <td class:mismatch=ok == Some(false)>{w}</td> })}
                    </tr>
                }
            })
            .collect_view()
    };
    let scale = move || {
        let max = 200.0;
        let pos = move |n: usize| (n as f64 / max * 100.0).min(100.0);
        let ticks = ALMANAC_DESKTOP
            .iter()
            .map(|(p, n)| view! { <span class="pct" style=format!("left:{:.1}%", pos(*n))><span>{format!("p{p}")}</span><span>{*n}</span></span> })
            .collect_view();
        view! {
            <div class="almanac" role="img" aria-label=move || format!("This page: {} requests; desktop pages: p10 27, p25 46, p50 77, p75 122, p90 185", total.get())>
                {ticks}
                <span class="this-page" style=move || format!("left:{:.1}%", pos(total.get()))>"this page"</span>
            </div>
        }
    };
    let detail = move || {
        let id = selected.get()?;
        let row = rows.with(|r| r.iter().find(|r| r.id == id).cloned())?;
        Some(view! { <RowDetail row known=None/> })
    };
    view! {
        <section class="card load-report" data-testid="load-report">
            <p class="big-count" aria-live="polite">
                <strong data-testid="load-total">{total}</strong>
                " requests for one page load"
            </p>
            <p data-testid="almanac">"That is " {move || compare_with_almanac(total.get())} " (Web Almanac 2025; the mobile median is 72)."</p>
            {scale}
            <div class="report-grid">
                <table class="headers counts-table">
                    <thead>
                        <tr>
                            <th scope="col">"Type"</th>
                            <th scope="col">"Counted"</th>
                            {move || expected.get().map(|_| view! { <th scope="col">"Manifest"</th> })}
                        </tr>
                    </thead>
                    <tbody>{type_rows}</tbody>
                </table>
                <ul class="facts">
                    <li>{move || format_bytes(transferred.get())} " over the network"</li>
                    <li data-testid="initiators">"Who asked (initiator): " {initiators}</li>
                    <li data-testid="cache-hits">{cached} " served from the browser's cache (0 bytes transferred)"</li>
                    <li data-testid="revalidated">{revalidated} " revalidated: the browser asked, the server answered 304 Not Modified, the body came from the cache"</li>
                    {move || unrequested().map(|m| view! {
                        <li data-testid="unrequested">
                            "Not in the browser's records: " {m} " of the page's files. "
                            "A browser may reuse a file it already holds without asking at all (Firefox keeps loaded fonts in memory on a reload): no request, so nothing to count."
                        </li>
                    })}
                    <li>"DOMContentLoaded: " {move || { let (d, _) = milestones.get(); if d > 0.0 { format_ms(d) } else { absent.into() } }}</li>
                    <li>"load: " {move || { let (_, l) = milestones.get(); if l > 0.0 { format_ms(l) } else { absent.into() } }}</li>
                </ul>
            </div>
        </section>
        {move || (pages.get() > 1).then(|| view! {
            <p class="pager" data-testid="pager">
                <button type="button" disabled=move || page.get() == 0 on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>"◀ Earlier rows"</button>
                " Rows " {move || page.get() * PAGE_ROWS + 1} "–" {move || ((page.get() + 1) * PAGE_ROWS).min(total.get())} " of " {total} " "
                <button type="button" disabled=at_last_page on:click=move |_| page.update(|p| *p += 1)>"Later rows ▶"</button>
            </p>
        })}
        <Waterfall rows=shown view=view_window selected markers/>
        {detail}
    }
}
