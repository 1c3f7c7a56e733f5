use leptos::prelude::*;
use roundtrip_model::timing::{format_ms, Phase, PhaseState, ResourceTiming, Timeline, HIDDEN_REASON};

/// The request's phases as the browser measured them: a bar to scale, then
/// each step with its number or the reason it has none.
#[component]
pub fn PhaseBar(
    /// The browser's Resource Timing entry for the request, if it made one.
    timing: Option<ResourceTiming>,
    /// The page's own clock from `fetch()` to the last byte.
    elapsed_ms: f64,
    /// Whose browser measured it, for the title ("your browser" by default).
    #[prop(optional)]
    measured_by: Option<&'static str>,
) -> impl IntoView {
    let title = format!("Timing, as {} measured it", measured_by.unwrap_or("your browser"));
    let Some(entry) = timing else {
        return view! {
            <section class="timing card" data-testid="timing">
                <h2>"Timing"</h2>
                <p data-testid="no-timing">
                    "The browser made no Resource Timing entry for this request, so its phases are unknown. "
                    "By the page's own clock it took " <strong>{format_ms(elapsed_ms)}</strong>
                    " from " <code>"fetch()"</code> " to the last byte (measured)."
                </p>
            </section>
        }
        .into_any();
    };
    let timeline = entry.timeline();
    let scale = timeline.total_ms.max(0.001);
    let segments = timeline
        .phases
        .iter()
        .filter(|p| p.state == PhaseState::Measured && p.duration_ms > 0.0)
        .map(|p| {
            let left = p.start_ms / scale * 100.0;
            let width = (p.duration_ms / scale * 100.0).max(0.6);
            view! {
                <span
                    class=format!("segment phase-{}", p.kind.slug())
                    style=format!("left:{left:.3}%;width:{width:.3}%")
                    title=format!("{}: {}", p.kind.label(), format_ms(p.duration_ms))
                ></span>
            }
        })
        .collect_view();
    let rows = timeline.phases.iter().map(|p| phase_row(p, &timeline)).collect_view();
    let hidden_note = timeline.hidden.then(|| {
        view! {
            <p class="illustrative" data-testid="timing-hidden">
                "The steps below are " <strong>"illustrative, not data"</strong> ": " {HIDDEN_REASON}
                ". Only the total is measured."
            </p>
        }
    });
    view! {
        <section class="timing card" data-testid="timing">
            <h2>{title}</h2>
            <p class="total">
                "Total " <strong data-testid="timing-total">{roundtrip_model::timing::total_figure(timeline.total_ms, timeline.coarse)}</strong>
                " from start to last byte"
                {(!timeline.protocol.is_empty()).then(|| format!(" · over {}", timeline.protocol))}
                " · Resource Timing entry"
            </p>
            {hidden_note}
            <div class="track" role="img" aria-label="Phases drawn to scale; the list below gives each number">
                {segments}
            </div>
            <ol class="phases">{rows}</ol>
        </section>
    }
    .into_any()
}

fn phase_row(p: &Phase, timeline: &Timeline) -> impl IntoView {
    let (value, note) = match p.state {
        PhaseState::Measured => (roundtrip_model::timing::measured_figure(p.duration_ms, timeline.coarse), "measured".to_owned()),
        PhaseState::Skipped(skip) => ("—".to_owned(), format!("skipped: {}", skip.reason())),
        PhaseState::Hidden => ("?".to_owned(), "hidden by the browser".to_owned()),
    };
    let state = match p.state {
        PhaseState::Measured => "measured",
        PhaseState::Skipped(_) => "skipped",
        PhaseState::Hidden => "hidden",
    };
    let server = (p.kind == roundtrip_model::timing::PhaseKind::Waiting && !timeline.server.is_empty()).then(|| {
        let items = timeline
            .server
            .iter()
            .map(|m| {
                let d = m.duration_ms.map(format_ms).unwrap_or_else(|| "no duration".into());
                let desc = (!m.description.is_empty()).then(|| format!(" — {}", m.description));
                view! { <li><code>{m.name.clone()}</code> " " {d} {desc}</li> }
            })
            .collect_view();
        let rest = roundtrip_model::timing::split_wait(timeline).map(|split| {
            view! {
                <p class="note" data-testid="wait-rest">
                    "The rest of the wait, " <strong>{format_ms(split.rest_ms)}</strong>
                    ", is derived (the wait minus the server's total): the request and the response on their way, and the browser's own work. The journey calls it “Request sent”."
                </p>
            }
        });
        view! {
            <div class="server-timing" data-testid="server-timing">
                "Inside this wait, the server reports (Server-Timing header):"
                <ul>{items}</ul>
                {rest}
            </div>
        }
    });
    view! {
        <li class=format!("phase phase-{} state-{state}", p.kind.slug()) data-testid=format!("phase-{}", p.kind.slug())>
            <span class="swatch" aria-hidden="true"></span>
            <span class="label">{p.kind.label()}</span>
            <span class="value" data-testid="phase-value">{value}</span>
            <span class="state">{note}</span>
            <p class="explain">{p.kind.explain()}</p>
            {server}
        </li>
    }
}
