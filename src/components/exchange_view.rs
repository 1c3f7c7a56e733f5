use crate::components::headers_table::HeadersTable;
use crate::components::journey::Journey;
use crate::components::phase_bar::PhaseBar;
use leptos::prelude::*;
use roundtrip_model::echo::Echo;
use roundtrip_model::exchange::{truncate_text, Exchange, RequestSpec};
use roundtrip_model::failure::status_verdict;
use roundtrip_model::journey::Speed;
use roundtrip_model::journey::{http_version, request_lines, request_target, response_lines, steps, Outcome, RawPart};
use roundtrip_model::link::Panel;
use roundtrip_model::status::{reason_phrase, Family};

/// A response that arrived: status, timing, headers, body, and the lab's echo
/// of the request when there is one.
#[component]
pub fn ExchangeView(
    /// The request and its response.
    exchange: Exchange,
    /// Show one panel at a time, chosen with tabs (lessons); all, stacked, without.
    #[prop(optional)]
    panel: Option<RwSignal<Panel>>,
    /// The journey's animation speed, when the page keeps it (e.g. in a link).
    #[prop(optional)]
    speed: Option<RwSignal<Speed>>,
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
    let status_line = format!("{} {} {}", http_version(&protocol), exchange.status, reason);
    let speed = speed.unwrap_or_else(|| RwSignal::new(Speed::Slow10));
    let data = StoredValue::new((exchange.clone(), echo, journey_steps, journey_request, journey_response, status_line));

    // Each panel is built when shown, from the stored data.
    let section = move |p: Panel| {
        data.with_value(|(exchange, echo, journey_steps, journey_request, journey_response, status_line)| match p {
            Panel::Journey => view! {
                <Journey
                    steps=journey_steps.clone()
                    request=journey_request.clone()
                    request_source
                    response=journey_response.clone()
                    speed
                    loopback=roundtrip_model::timing::is_loopback_url(&exchange.request.url)
                />
            }
            .into_any(),
            Panel::Raw => view! {
                {echo.clone().map(|echo| view! { <EchoPanel echo/> })}
                <section class="card">
                    <h2>"The response, as HTTP sends it"</h2>
                    <pre class="raw" tabindex="0" data-testid="response-raw">
                        <span class="rawpart start" title="Status line: HTTP version, status code, reason phrase">{status_line.clone()}"\n"</span>
                        {raw_message(None, &exchange.headers, &truncate_text(exchange.body.clone(), 2000))}
                    </pre>
                    <p class="note">"The headers are those your JavaScript may read; the body is cut at 2,000 characters here."</p>
                </section>
                <WireVsJs exchange=exchange.clone() echo=echo.clone()/>
            }
            .into_any(),
            Panel::Headers => view! {
                <section class="card">
                    <h2>"Response headers your JavaScript can read"</h2>
                    <HeadersTable headers=exchange.headers.clone() testid="response-headers"/>
                    <p class="note">
                        "Cross-origin, the browser shows a page only the headers the server exposes with "
                        <code>"Access-Control-Expose-Headers"</code> "; " <code>"Set-Cookie"</code> " is never shown."
                    </p>
                </section>
            }
            .into_any(),
            Panel::Timing => view! { <PhaseBar timing=exchange.timing.clone() elapsed_ms=exchange.elapsed_ms/> }.into_any(),
            Panel::Body => view! {
                <section class="card">
                    <h2>"Body"</h2>
                    <p class="note">"Shown as text, never run as a page."</p>
                    <pre class="body" tabindex="0" data-testid="body">{exchange.body.clone()}</pre>
                </section>
            }
            .into_any(),
        })
    };
    let panels = match panel {
        Some(chosen) => view! {
            <PanelTabs chosen/>
            <div class="panel" role="tabpanel" id="result-panel" data-testid="result-panel">{move || section(chosen.get())}</div>
        }
        .into_any(),
        None => view! {
            {section(Panel::Journey)}
            <WireVsJs exchange=exchange.clone() echo=exchange.echo()/>
            {section(Panel::Timing)}
            <div class="panels">
                {data.with_value(|d| d.1.clone()).map(|echo| view! { <EchoPanel echo/> })}
                {section(Panel::Headers)}
                <section class="card">
                    <h2>"The response, as HTTP sends it"</h2>
                    <pre class="raw" tabindex="0" data-testid="response-raw">
                        <span class="rawpart start" title="Status line: HTTP version, status code, reason phrase">{data.with_value(|d| d.5.clone())}"\n"</span>
                        {raw_message(None, &exchange.headers, &truncate_text(exchange.body.clone(), 2000))}
                    </pre>
                    <p class="note">"The headers are those your JavaScript may read; the body is cut at 2,000 characters here."</p>
                </section>
                {section(Panel::Body)}
            </div>
        }
        .into_any(),
    };
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
        {panels}
    }
}

/// Tabs choosing which panel of a result is shown (arrow keys move between them).
#[component]
fn PanelTabs(
    /// The panel shown.
    chosen: RwSignal<Panel>,
) -> impl IntoView {
    let tabs = Panel::ALL
        .iter()
        .map(|p| {
            let p = *p;
            view! {
                <button
                    type="button"
                    role="tab"
                    aria-controls="result-panel"
                    aria-selected=move || (chosen.get() == p).to_string()
                    tabindex=move || if chosen.get() == p { "0" } else { "-1" }
                    data-testid=format!("tab-{}", p.slug())
                    on:click=move |_| chosen.set(p)
                >
                    {p.label()}
                </button>
            }
        })
        .collect_view();
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let step: isize = match ev.key().as_str() {
            "ArrowRight" => 1,
            "ArrowLeft" => -1,
            _ => return,
        };
        ev.prevent_default();
        let n = Panel::ALL.len() as isize;
        let at = Panel::ALL.iter().position(|p| *p == chosen.get_untracked()).unwrap_or(0) as isize;
        let next = Panel::ALL[((at + step).rem_euclid(n)) as usize];
        chosen.set(next);
        crate::web::focus_selector(&format!("[data-testid=tab-{}]", next.slug()));
    };
    view! { <div class="tabs" role="tablist" aria-label="Panels of the result" on:keydown=on_keydown>{tabs}</div> }
}

/// The lab's echo: the request as it arrived at the server, drawn as the
/// text HTTP/1.1 sends.
#[component]
fn EchoPanel(
    /// What the server says it received.
    echo: Echo,
) -> impl IntoView {
    let lines = if echo.header_list.is_empty() { &echo.headers.0 } else { &echo.header_list };
    let raw = raw_message(
        (!echo.request_line.is_empty()).then(|| (echo.request_line.clone(), "Request line: method, target (path and query), HTTP version")),
        lines,
        &echo.data,
    );
    let origin = echo.origin.clone();
    let received = lines.clone();
    view! {
        <section class="card echo" data-testid="echo">
            <h2>"Your request, as the server received it"</h2>
            <pre class="raw" tabindex="0" data-testid="echo-raw">{raw}</pre>
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

/// A message drawn as HTTP/1.1 sends it, each part labelled (hover for its
/// name): start line, headers, the blank line, the body.
pub fn raw_message(start: Option<(String, &'static str)>, headers: &[(String, String)], body: &str) -> impl IntoView {
    let start = start.map(|(line, what)| view! { <span class="rawpart start" title=what>{line}"\n"</span> });
    let headers = headers
        .iter()
        .map(|(k, v)| {
            let title = format!("Header: {k}");
            view! { <span class="rawpart header" title=title>{format!("{k}: {v}")}"\n"</span> }
        })
        .collect_view();
    let body = (!body.is_empty())
        .then(|| view! { <span class="rawpart body" title="Body: the content itself" data-testid="raw-body">{body.to_owned()}</span> });
    view! {
        {start}
        {headers}
        <span class="rawpart blank" title="The blank line: the headers end here, the body begins" data-testid="raw-blank">"⏎ (blank line)\n"</span>
        {body}
    }
}

/// What went on the wire against what the page set and can see.
#[component]
pub fn WireVsJs(
    /// The request and its response.
    exchange: Exchange,
    /// The lab's echo: what the server received.
    echo: Option<Echo>,
) -> impl IntoView {
    use roundtrip_model::wire::{compare_request, response_visibility};
    let request = echo.map(|e| {
        let received = if e.header_list.is_empty() { e.headers.0.clone() } else { e.header_list.clone() };
        let c = compare_request(&exchange.request.headers, &received);
        let added = c
            .added_by_browser
            .iter()
            .map(|(n, forbidden)| view! { <li><code>{n.clone()}</code> {forbidden.then_some(" — JavaScript may not set this one: the browser owns it")}</li> })
            .collect_view();
        let typed = if c.as_typed.is_empty() { "none".to_owned() } else { c.as_typed.join(", ") };
        let dropped = (!c.dropped.is_empty()).then(|| view! { <p class="warn-text" data-testid="dropped">"Set by the page but never sent: " {c.dropped.join(", ")} " (forbidden headers are silently dropped)."</p> });
        view! {
            <p>"Headers your page set that arrived as typed: " <code>{typed}</code></p>
            {dropped}
            <p>"Added by the browser on the way (" {c.added_by_browser.len()} "):"</p>
            <ul class="added" data-testid="added-by-browser">{added}</ul>
        }
        .into_any()
    });
    let response = response_visibility(&exchange.response_type, &exchange.headers).into_iter().map(|t| view! { <p>{t}</p> }).collect_view();
    view! {
        <section class="card wire-vs-js" data-testid="wire-vs-js">
            <h2>"What JavaScript sees vs what went on the wire"</h2>
            {request.unwrap_or_else(|| view! { <p>"Without the lab's echo, the request as received cannot be shown: only the lab reports what it got."</p> }.into_any())}
            <h3>"The response"</h3>
            {response}
        </section>
    }
}
