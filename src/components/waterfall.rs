use leptos::prelude::*;
use roundtrip_model::timing::{format_ms, PhaseState};
use roundtrip_model::waterfall::{marker_labels, Anchor, Row, View};
use std::sync::Arc;

/// Rows of requests on a shared time axis, each bar split into its phases.
/// Rows are keyed by id: a new request adds one row, nothing else re-renders.
#[component]
pub fn Waterfall(
    /// The rows to draw, already filtered.
    #[prop(into)]
    rows: Signal<Vec<Arc<Row>>>,
    /// The visible time window.
    #[prop(into)]
    view: Signal<View>,
    /// The selected row's id, set on click.
    selected: RwSignal<Option<u64>>,
    /// Milestones drawn across every row: (label, time on the rows' clock).
    #[prop(optional, into)]
    markers: Signal<Vec<(&'static str, f64)>>,
) -> impl IntoView {
    let ticks = move || {
        let v = view.get();
        v.ticks(6)
            .into_iter()
            .map(|t| {
                let left = v.percent(t);
                view! { <span class="tick" style=format!("left:{left:.3}%")>{format_ms(t - v.start)}</span> }
            })
            .collect_view()
    };
    // Rows never depend on the view: their segments carry their own times
    // (--t, --d) and CSS places them against these two variables, so zooming,
    // panning or a growing fit touches one element, not every row.
    let window_vars = move || {
        let v = view.get();
        format!("--vs:{:.4};--vw:{:.4}", v.start, v.span())
    };
    view! {
        <div class="waterfall" data-testid="waterfall" style=window_vars>
            <div class="wf-head" aria-hidden="true">
                <span class="wf-name">"Request"</span>
                <span class="wf-status">"Status"</span>
                <span class="wf-type">"Type"</span>
                <span class="wf-axis">
                    {ticks}
                    {move || {
                        let v = view.get();
                        marker_labels(&v, &markers.get())
                            .into_iter()
                            .map(|label| {
                                let anchor = match label.anchor {
                                    Anchor::Start => "start",
                                    Anchor::Middle => "middle",
                                    Anchor::End => "end",
                                };
                                let text = format!("{} {}", label.text, format_ms(label.at_ms));
                                view! { <span class=format!("marker-label anchor-{anchor}") style=format!("left:{:.3}%", label.percent)>{text}</span> }
                            })
                            .collect_view()
                    }}
                </span>
            </div>
            <ul class="wf-rows" role="list">
                <For each=move || rows.get() key=|row| row.id let:row>
                    <WaterfallRow row selected markers/>
                </For>
            </ul>
        </div>
    }
}

#[component]
fn WaterfallRow(row: Arc<Row>, selected: RwSignal<Option<u64>>, markers: Signal<Vec<(&'static str, f64)>>) -> impl IntoView {
    let id = row.id;
    // Safari (WebKit) gives timing entries no responseStatus: only the
    // requests Roundtrip sent itself carry one there, from fetch.
    let (status, status_title) =
        if row.status == 0 { ("n/a".to_owned(), "status not exposed by this browser") } else { (row.status.to_string(), "") };
    let family = match row.status / 100 {
        2 => "success",
        3 => "redirect",
        4 => "client-error",
        5 => "server-error",
        _ => "none",
    };
    let start = row.start_ms();
    let total = row.timeline.total_ms;
    let segments: Vec<_> = row
        .timeline
        .phases
        .iter()
        .filter(|p| p.state == PhaseState::Measured && p.duration_ms > 0.0)
        .map(|p| (p.kind.slug(), start + p.start_ms, p.duration_ms))
        .collect();
    let bar = if row.timeline.hidden || segments.is_empty() {
        view! { <span class="seg seg-total" style=format!("--t:{start:.4};--d:{total:.4}")></span> }.into_any()
    } else {
        segments
            .iter()
            .map(|(slug, at, dur)| view! { <span class=format!("seg phase-{slug}") style=format!("--t:{at:.4};--d:{dur:.4}")></span> })
            .collect_view()
            .into_any()
    };
    view! {
        <li class="wf-row" class:selected=move || selected.get() == Some(id) data-testid="wf-row" data-url=row.url.clone()>
            <button type="button" class="wf-button" on:click=move |_| selected.set(Some(id))>
                <span class="wf-name" title=row.url.clone()>
                    <span class="wf-method">{row.method.clone()}</span> " " {row.short_name()}
                    <span class="visually-hidden">{format!(" ({})", row.url)}</span>
                </span>
                <span class=format!("wf-status fam-text-{family}") data-testid="wf-status" title=status_title>{status}</span>
                <span class="wf-type">{row.kind.label()}</span>
                <span class="wf-bar">
                    {bar}
                    {move || {
                        markers
                            .get()
                            .into_iter()
                            .filter(|(_, t)| *t > 0.0)
                            .map(|(label, t)| view! { <span class=format!("marker marker-{}", label.to_lowercase()) style=format!("--t:{t:.4}")></span> })
                            .collect_view()
                    }}
                    <span class="wf-total">{format_ms(total)}</span>
                </span>
            </button>
        </li>
    }
}
