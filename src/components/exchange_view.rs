use crate::components::journey::Journey;
use crate::components::headers_table::HeadersTable;
use crate::components::phase_bar::PhaseBar;
use leptos::prelude::*;
use roundtrip_model::echo::Echo;
use roundtrip_model::exchange::{Exchange, RequestSpec};
use roundtrip_model::journey::{request_lines, request_target, response_lines, steps, Outcome, RawPart};
use roundtrip_model::failure::status_verdict;
use roundtrip_model::status::{reason_phrase, Family};

/// A response that arrived: status, timing, headers, body, and the lab's echo
/// of the request when there is one.
#[component]
pub fn ExchangeView(
    /// The request and its response.
    exchange: Exchange,
) -> impl IntoView {
    let family = Family::of(exchange.status);
    // HTTP/2 and HTTP/3 carry no reason phrase; the registry's is shown instead.
    let reason = if exchange.status_text.is_empty() {
        reason_phrase(exchange.status).unwrap_or("").to_owned()
    } else {
        exchange.status_text.clone()
    };
    let echo = exchange.echo();
    let size_note = if exchange.body_truncated() {
        format!("{} bytes (the first {} shown)", exchange.body_size, exchange.body.len())
    } else {
        format!("{} bytes", exchange.body_size)
    };
    let timeline = exchange.timing.as_ref().map(|t| t.timeline());
    let journey_steps = steps(&Outcome::Response { status: exchange.status, timeline: timeline.as_ref(), elapsed_ms: exchange.elapsed_ms });
    let (journey_request, request_source) = match &echo {
        Some(e) if !e.request_line.is_empty() => (request_lines(&e.request_line, &e.header_list, &e.data), RECEIVED),
        _ => (sent_lines(&exchange.request), ASKED),
    };
    let protocol = exchange.timing.as_ref().map(|t| t.next_hop_protocol.clone()).unwrap_or_default();
    let journey_response = response_lines(exchange.status, &reason, &protocol, &exchange.headers);
    view! {
        <section class="card status" data-testid="result">
            <p class="status-line">
                <span class=format!("status-code fam-{}", family.map_or("none", Family::slug)) data-testid="status">
                    {exchange.status}
                </span>
                " " <span class="reason" data-testid="status-text">{reason}</span>
                <span class="family">{family.map(|f| format!("{} · {}", f.label(), f.name()))}</span>
            </p>
            <p class="verdict">{status_verdict(exchange.status)}</p>
            <p class="meta">
                <code>{exchange.request.method.clone()}</code> " " <code class="url">{exchange.request.url.clone()}</code>
                {exchange.redirected.then(|| view! { " → redirected to " <code>{exchange.final_url.clone()}</code> })}
                " · " {size_note} " · response type " <code>{exchange.response_type.clone()}</code>
            </p>
        </section>
        <Journey steps=journey_steps request=journey_request request_source response=journey_response/>
        <PhaseBar timing=exchange.timing.clone() elapsed_ms=exchange.elapsed_ms/>
        <div class="panels">
            {echo.map(|echo| view! { <EchoPanel echo/> })}
            <section class="card">
                <h2>"Response headers your JavaScript can read"</h2>
                <HeadersTable headers=exchange.headers.clone() testid="response-headers"/>
                <p class="note">
                    "Cross-origin, the browser shows a page only the headers the server exposes with "
                    <code>"Access-Control-Expose-Headers"</code> "; " <code>"Set-Cookie"</code> " is never shown."
                </p>
            </section>
            <section class="card">
                <h2>"Body"</h2>
                <p class="note">"Shown as text, never run as a page."</p>
                <pre class="body" data-testid="body">{exchange.body.clone()}</pre>
            </section>
        </div>
    }
}

/// The lab's echo: the request as it arrived at the server, drawn as the
/// text HTTP/1.1 sends.
#[component]
fn EchoPanel(
    /// What the server says it received.
    echo: Echo,
) -> impl IntoView {
    let mut raw = String::new();
    if !echo.request_line.is_empty() {
        raw.push_str(&echo.request_line);
        raw.push('\n');
    }
    let lines = if echo.header_list.is_empty() { &echo.headers.0 } else { &echo.header_list };
    for (k, v) in lines {
        raw.push_str(&format!("{k}: {v}\n"));
    }
    raw.push('\n');
    raw.push_str(&echo.data);
    let origin = echo.origin.clone();
    let received = lines.clone();
    view! {
        <section class="card echo" data-testid="echo">
            <h2>"Your request, as the server received it"</h2>
            <pre class="raw" data-testid="echo-raw">{raw}</pre>
            <p class="note">
                "The browser added headers you did not type (Host, User-Agent, Accept-…, Sec-Fetch-…): "
                "it owns them. The server reads header names in lower case; HTTP treats them case-insensitively."
                {(!origin.is_empty()).then(|| format!(" It saw you at {origin}."))}
            </p>
            <details class="explain-headers">
                <summary>"What each of these request headers means"</summary>
                <HeadersTable headers=received testid="request-headers"/>
            </details>
        </section>
    }
}

pub const RECEIVED: &str = "as the server received it (the lab's echo)";
pub const ASKED: &str = "as your page asked for it (the browser adds its own headers on the way)";

/// The request as the page asked for it, for when no echo says what the
/// server received (the browser adds headers of its own on the way).
pub fn sent_lines(spec: &RequestSpec) -> Vec<(RawPart, String)> {
    let line = format!("{} {} HTTP/1.1", spec.method, request_target(&spec.url));
    request_lines(&line, &spec.headers, spec.body.as_deref().unwrap_or(""))
}
