use crate::components::journey::Journey;
use crate::components::phase_bar::PhaseBar;
use crate::components::request_bar::Draft;
use leptos::prelude::*;
use roundtrip_model::exchange::Exchange;
use roundtrip_model::failure::Failure;
use roundtrip_model::journey::{steps, Outcome};
use roundtrip_model::snapshot::{compare, Snapshot};
use roundtrip_model::timing::format_ms;

/// A run measured in someone else's browser, carried in the link's fragment:
/// replayed on the journey, then run live here and compared.
#[component]
pub fn RecordedRun(
    /// What the sender's browser measured.
    run: Snapshot,
    /// The request to run live (the link's own).
    draft: Draft,
) -> impl IntoView {
    let tasks = crate::tasks::Tasks::new();
    let timeline = run.timing.as_ref().map(|t| t.timeline());
    let journey = steps(&Outcome::Response { status: run.status, timeline: timeline.as_ref(), elapsed_ms: run.elapsed_ms });
    let live = RwSignal::new(None::<Result<Exchange, Failure>>);
    let pending = RwSignal::new(false);
    let recorder = expect_context::<crate::recorder::Recorder>();
    let run_live = move |_| {
        let spec = match draft.to_spec() {
            Ok(spec) => spec,
            Err(f) => return live.set(Some(Err(f))),
        };
        pending.set(true);
        tasks.spawn(async move {
            live.set(Some(recorder.send(spec).await));
            pending.set(false);
        });
    };
    let recorded = timeline.clone();
    let comparison = move || {
        live.get().map(|result| match result {
            Err(f) => view! { <p class="warn-text" data-testid="live-failed">"The live run failed: " {f.explain()}</p> }.into_any(),
            Ok(e) => {
                let live_timeline = e.timing.as_ref().map(|t| t.timeline());
                let rows = match (&recorded, &live_timeline) {
                    (Some(r), Some(l)) => compare(r, l),
                    _ => vec![("Total", Some(run.elapsed_ms), Some(e.elapsed_ms))],
                };
                let show = |v: Option<f64>| v.map_or_else(|| "not measured".to_owned(), format_ms);
                view! {
                    <p data-testid="live-status">"Live: " <strong>{e.status}</strong> " · recorded: " <strong>{run.status}</strong></p>
                    <table class="headers compare" data-testid="compare">
                        <thead><tr><th scope="col">"Phase"</th><th scope="col">"Recorded"</th><th scope="col">"Live, here"</th></tr></thead>
                        <tbody>
                            {rows.into_iter().map(|(label, a, b)| view! { <tr><th scope="row">{label}</th><td>{show(a)}</td><td>{show(b)}</td></tr> }).collect_view()}
                        </tbody>
                    </table>
                    <p class="note">"Differences are real: another machine, another network, a warm or a cold connection."</p>
                }
                .into_any()
            }
        })
    };
    view! {
        <section class="card recorded" data-testid="recorded-run" aria-labelledby="recorded-h">
            <h2 id="recorded-h">"A run recorded by whoever sent this link"</h2>
            <p>
                <code>{run.method.clone()} " " {run.url.clone()}</code> " answered " <strong data-testid="recorded-status">{run.status}</strong>
                {format!(" {} in {}. ", run.status_text, format_ms(run.elapsed_ms))}
                "These numbers were measured in their browser, not yours; the link's fragment carried them and never reached a server."
            </p>
            <Journey steps=journey request=Vec::new() request_source="" response=Vec::new()/>
            <PhaseBar timing=run.timing.clone() elapsed_ms=run.elapsed_ms measured_by="the sender's browser"/>
            <button type="button" class="send" data-testid="run-live" disabled=move || pending.get() on:click=run_live>"Run it live and compare"</button>
            <div aria-live="polite">{comparison}</div>
        </section>
    }
}
