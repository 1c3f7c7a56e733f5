use crate::components::phase_bar::PhaseBar;
use leptos::prelude::*;
use roundtrip_model::exchange::Exchange;
use roundtrip_model::timing::{cold_warm_verdict, format_ms, measured_figure, PhaseKind, PhaseState, Timeline};

/// The same request sent twice, side by side: what the first paid that the
/// second did not (connection setup, usually).
#[component]
pub fn ColdWarm(
    /// The first and the second exchange.
    first: Exchange,
    second: Exchange,
    /// Offered when neither run set up a connection: the same request to a
    /// host this page has no connection to yet.
    fresh_host: Option<Callback<()>>,
) -> impl IntoView {
    let (a, b) = (first.timing.as_ref().map(|t| t.timeline()), second.timing.as_ref().map(|t| t.timeline()));
    let cell = |t: &Option<Timeline>, kind: PhaseKind| match t.as_ref().and_then(|t| t.phase(kind)) {
        Some(p) if p.state == PhaseState::Measured => measured_figure(p.duration_ms, t.as_ref().is_some_and(|t| t.coarse)),
        Some(p) => match p.state {
            PhaseState::Skipped(s) => format!("— ({})", s.reason()),
            _ => "hidden".into(),
        },
        None => "no entry".into(),
    };
    let rows = PhaseKind::ALL
        .iter()
        .map(|k| view! { <tr><th scope="row">{k.label()}</th><td>{cell(&a, *k)}</td><td>{cell(&b, *k)}</td></tr> })
        .collect_view();
    // Whole milliseconds where the browser measured only those, as the rows.
    let total = |t: &Option<Timeline>, e: &Exchange| {
        t.as_ref().map_or_else(|| format_ms(e.elapsed_ms), |t| roundtrip_model::timing::total_figure(t.total_ms, t.coarse))
    };
    let verdict = match (&a, &b) {
        (Some(a), Some(b)) => cold_warm_verdict(a, b),
        _ => "The browser made no timing entry for one of the runs, so only the page's own clock compares them.".into(),
    };
    use roundtrip_model::timing::{setup_of, Setup};
    let both_reused = matches!((&a, &b), (Some(a), Some(b)) if setup_of(a) == Setup::None && setup_of(b) == Setup::None);
    view! {
        <section class="card cold-warm" data-testid="cold-warm">
            <h2>"Sent twice: first run and second run"</h2>
            <p class="verdict" data-testid="cold-warm-verdict">{verdict}</p>
            {(both_reused && fresh_host.is_some()).then(|| view! {
                <p>
                    <button type="button" class="send secondary" data-testid="fresh-host" on:click=move |_| { if let Some(cb) = fresh_host { cb.run(()) } }>
                        "Send twice to a fresh host"
                    </button>
                    " — the same lab under its other loopback name (127.0.0.1 ⇄ localhost), which this page has no connection to yet."
                </p>
            })}
            <table class="headers compare">
                <thead><tr><th scope="col">"Phase"</th><th scope="col">"First"</th><th scope="col">"Second"</th></tr></thead>
                <tbody>
                    {rows}
                    <tr class="total"><th scope="row">"Total"</th><td>{total(&a, &first)}</td><td>{total(&b, &second)}</td></tr>
                </tbody>
            </table>
        </section>
        <div class="panels">
            <div><h3>"First run"</h3><PhaseBar timing=first.timing.clone() elapsed_ms=first.elapsed_ms/></div>
            <div><h3>"Second run"</h3><PhaseBar timing=second.timing.clone() elapsed_ms=second.elapsed_ms/></div>
        </div>
    }
}
