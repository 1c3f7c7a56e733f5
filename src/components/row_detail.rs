use crate::components::journey::Journey;
use crate::components::phase_bar::PhaseBar;
use leptos::prelude::*;
use roundtrip_model::har::Known;
use roundtrip_model::journey::{request_lines, request_target, response_lines, steps, Outcome};
use roundtrip_model::status::reason_phrase;
use roundtrip_model::waterfall::Row;
use std::sync::Arc;

/// One row of a waterfall, opened: what is known of it, its journey, its
/// phases.
#[component]
pub fn RowDetail(
    /// The request.
    row: Arc<Row>,
    /// What Roundtrip knows beyond timing (for requests it sent itself).
    known: Option<Known>,
) -> impl IntoView {
    let reason = known
        .as_ref()
        .map(|k| k.status_text.clone())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| reason_phrase(row.status).unwrap_or("").to_owned());
    let request_line = format!("{} {} HTTP/1.1", row.method, request_target(&row.url));
    let request = request_lines(&request_line, &known.as_ref().map(|k| k.request_headers.clone()).unwrap_or_default(), "");
    let response = if row.status == 0 {
        Vec::new()
    } else {
        response_lines(row.status, &reason, &row.entry.next_hop_protocol, &known.map(|k| k.response_headers).unwrap_or_default())
    };
    let steps = steps(&Outcome::Response { status: row.status, timeline: Some(&row.timeline), elapsed_ms: row.timeline.total_ms });
    view! {
        <section class="card detail" data-testid="timeline-detail">
            <h2>"Selected request"</h2>
            <p class="meta">
                <code>{row.method.clone()}</code> " " <code class="url">{row.url.clone()}</code>
                " · " {row.kind.label()} " · initiator " <code>{row.entry.initiator_type.clone()}</code>
                {(row.status == 0).then_some(" · status not exposed by the browser")}
            </p>
            <p class="note">"Only requests Roundtrip sent itself show their headers: for the others the browser tells a page their timing, not their content."</p>
        </section>
        <Journey steps request request_source="as far as the browser tells a page (its headers only if Roundtrip sent it)" response/>
        <PhaseBar timing=Some(row.entry.clone()) elapsed_ms=row.timeline.total_ms/>
    }
}
