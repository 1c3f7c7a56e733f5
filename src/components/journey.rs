use crate::components::sequence_diagram::SequenceDiagram;
use crate::web::raf::{prefers_reduced_motion, OnceVisible, Raf};
use leptos::prelude::*;
use roundtrip_model::journey::{highlights, locate, screen_durations, stage_position, start_of, RawPart, Speed, Step, StepState};
use roundtrip_model::timing::format_ms;

/// One request's journey, animated: the browser, the DNS resolver and the
/// server on a stage, the message moving between them step by step, each
/// step with its measured number, and the raw lines it concerns lit up.
#[component]
pub fn Journey(
    /// The steps of the cycle, from `roundtrip_model::journey::steps`.
    steps: Vec<Step>,
    /// The request as text, tagged by part.
    request: Vec<(RawPart, String)>,
    /// Where the request text comes from: "as the server received it"…
    request_source: &'static str,
    /// The response head as text, tagged by part (empty when none came).
    response: Vec<(RawPart, String)>,
    /// The animation speed, when the page keeps it (so that a link can carry it).
    #[prop(optional)]
    speed: Option<RwSignal<Speed>>,
    /// The request went to this machine itself (loopback).
    #[prop(optional)]
    loopback: bool,
) -> impl IntoView {
    let speed = speed.unwrap_or_else(|| RwSignal::new(Speed::Slow10));
    let first_line = |lines: &[(RawPart, String)]| lines.first().map(|(_, l)| l.trim_end().to_owned()).unwrap_or_default();
    let sequence = roundtrip_model::sequence::diagram(&steps, &first_line(&request), &first_line(&response));
    let steps = StoredValue::new(steps);
    let durations = Memo::new(move |_| steps.with_value(|s| screen_durations(s, speed.get())));
    let total = Memo::new(move |_| durations.with(|d| d.iter().sum::<f64>()));
    let clock = RwSignal::new(0.0);
    // It starts playing once half its stage is on screen (a result below
    // the fold would otherwise be over before the learner got there); under
    // reduced motion nothing moves by itself: the steps wait for Next.
    let playing = RwSignal::new(false);
    let stage = NodeRef::<leptos::html::Div>::new();
    let watching = StoredValue::new_local(None::<OnceVisible>);
    Effect::new(move |_| {
        if let Some(el) = stage.get() {
            if !prefers_reduced_motion() {
                watching.set_value(OnceVisible::watch(&el, 0.5, move || playing.set(true)));
            }
        }
    });
    let current = Memo::new(move |_| durations.with(|d| locate(d, clock.get())));
    // Changes only when the step changes, not on every frame: everything but
    // the moving message and the scrubber depends on this alone.
    let step_index = Memo::new(move |_| current.get().0);

    // The frame loop runs only while playing: a paused journey costs nothing.
    let running = StoredValue::new(None::<Raf>);
    Effect::new(move |_| {
        if let Some(raf) = running.get_value() {
            raf.stop();
        }
        if !playing.get() {
            return running.set_value(None);
        }
        let mut last_frame = None::<f64>;
        running.set_value(Some(Raf::start(move |now| {
            let dt = last_frame.map_or(0.0, |prev| now - prev);
            last_frame = Some(now);
            let next = clock.get_untracked() + dt;
            if next >= total.get_untracked() {
                clock.set(total.get_untracked());
                playing.set(false);
            } else {
                clock.set(next);
            }
        })));
    });
    on_cleanup(move || {
        if let Some(raf) = running.try_get_value().flatten() {
            raf.stop();
        }
        watching.try_update_value(|w| w.take());
    });

    let go_to_step = move |i: usize| {
        playing.set(false);
        // The middle of the step, so the message is seen on its way.
        let d = durations.get_untracked();
        let i = i.min(d.len().saturating_sub(1));
        clock.set(start_of(&d, i) + d.get(i).copied().unwrap_or(0.0) / 2.0);
    };
    let step_items = move || {
        steps.with_value(|list| {
            list.iter()
                .enumerate()
                .map(|(i, s)| {
                    let state = match s.state {
                        StepState::Measured => "measured",
                        StepState::Skipped(_) => "skipped",
                        StepState::Hidden => "hidden",
                        StepState::NotTimed => "untimed",
                        StepState::Failed(_) => "failed",
                    };
                    let server = (!s.server.is_empty()).then(|| {
                        let items = s
                            .server
                            .iter()
                            .map(|m| view! { <li><code>{m.name.clone()}</code> " " {m.duration_ms.map(format_ms)}</li> })
                            .collect_view();
                        view! { <ul class="server-steps" aria-label="The server's own steps (Server-Timing)">{items}</ul> }
                    });
                    view! {
                        <li
                            class=format!("jstep state-{state}")
                            class:active=move || step_index.get() == i
                            aria-current=move || (step_index.get() == i).then_some("step")
                            data-testid=format!("journey-step-{i}")
                        >
                            <button type="button" class="jstep-go" on:click=move |_| go_to_step(i)>
                                <span class="jtitle">{s.title.clone()}</span>
                                <span class="jfigure" data-testid="journey-figure">{s.figure()}</span>
                            </button>
                            <span class="jnote">{s.note()}</span>
                            {server}
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let packet_style = move || {
        let (i, progress) = current.get();
        let leg = steps.with_value(|s| s.get(i).map(|s| s.leg));
        let (x, y) = leg.map_or((12.0, 62.0), |leg| stage_position(leg, progress));
        // A transform on a stage-sized track: percentages of the stage, and
        // only compositing each frame, no layout.
        format!("transform:translate({x:.2}%,{y:.2}%)")
    };
    let failed_here = move || {
        let i = step_index.get();
        steps.with_value(|s| s.get(i).is_some_and(|s| matches!(s.state, StepState::Failed(_))))
    };
    let caption = move || {
        let i = step_index.get();
        steps.with_value(|s| s.get(i).map(|s| (s.title.clone(), s.explain.clone(), s.summary())))
    };
    let focus = Memo::new(move |_| {
        let i = step_index.get();
        steps.with_value(|s| s.get(i).map_or(RawPart::None, |s| s.raw))
    });
    let lines = move |list: Vec<(RawPart, String)>| {
        list.into_iter()
            .map(|(part, text)| {
                view! { <span class="rawline" class:hl=move || highlights(focus.get(), part)>{text}"\n"</span> }
            })
            .collect_view()
    };
    let speed_options =
        Speed::ALL.iter().map(|s| view! { <option value=s.slug() selected=move || speed.get() == *s>{s.label()}</option> }).collect_view();
    let has_response = !response.is_empty();
    let has_request = !request.is_empty();

    view! {
        <section class="card journey" data-testid="journey" aria-label="The request's journey">
            <h2>"The journey, step by step"</h2>
            <div class="stage" aria-hidden="true" node_ref=stage>
                // The line first, so the actors' labels paint over it.
                <div class="wire"></div>
                <div class="actor browser">"Browser"</div>
                <div class="actor resolver">"DNS resolver"</div>
                <div class="actor server">"Server"</div>
                <div class="packet-track" style=packet_style>
                    <div class="packet" class:failed=failed_here></div>
                </div>
            </div>
            <div class="journey-controls">
                <button
                    type="button"
                    data-testid="journey-play"
                    on:click=move |_| {
                        if !playing.get_untracked() && clock.get_untracked() >= total.get_untracked() {
                            clock.set(0.0);
                        }
                        // Pressed before it came into view: no need to wait for it.
                        watching.try_update_value(|w| w.take());
                        playing.update(|p| *p = !*p);
                    }
                >
                    {move || if playing.get() { "Pause" } else if clock.get() >= total.get() && total.get() > 0.0 { "Replay" } else { "Play" }}
                </button>
                <button type="button" on:click=move |_| go_to_step(step_index.get_untracked().saturating_sub(1))>"◀ Previous step"</button>
                <button type="button" data-testid="journey-next" on:click=move |_| go_to_step(step_index.get_untracked() + 1)>"Next step ▶"</button>
                <label>
                    "Speed "
                    <select data-testid="journey-speed" on:change=move |ev| {
                        if let Some(s) = Speed::from_slug(&event_target_value(&ev)) {
                            let fraction = clock.get_untracked() / total.get_untracked().max(1.0);
                            speed.set(s);
                            clock.set(fraction * total.get_untracked());
                        }
                    }>{speed_options}</select>
                </label>
                <label class="scrub">
                    <span class="visually-hidden">"Position in the animation"</span>
                    <input
                        type="range"
                        min="0"
                        step="1"
                        prop:max=move || total.get().round().to_string()
                        prop:value=move || clock.get().round().to_string()
                        on:input=move |ev| {
                            playing.set(false);
                            clock.set(event_target_value(&ev).parse().unwrap_or(0.0));
                        }
                    />
                </label>
            </div>
            <p class="caption" data-testid="journey-caption">
                {move || caption().map(|(title, explain, summary)| view! {
                    <strong>{title}</strong> " · " <span class="cfigure">{summary}</span> " — " {explain}
                })}
            </p>
            <p class="note">
                "Every step stays on screen at least a third of a second so that you can see it; "
                "beside each number it says where it comes from: measured by the browser, reported by the server, or derived from both. Click a step to jump to it."
            </p>
            {loopback.then(|| view! {
                <p class="note" data-testid="journey-loopback">
                    "This request went to this machine itself (loopback): there is no network in between, so these milliseconds are mostly work inside the browser and the operating system, not distance. "
                    "Across a real network, each step that crosses it (the lookup, the connection, the handshake, the request) costs at least one round trip, often tens of milliseconds."
                </p>
            })}
            <div class="journey-body">
                <ol class="jsteps" data-testid="journey-steps">{step_items}</ol>
                <div class="journey-raw">
                    {has_request.then(|| view! {
                        <p class="raw-title">"Request, " {request_source}</p>
                        <pre class="raw" tabindex="0" aria-label="The request as text">{lines(request)}</pre>
                    })}
                    {has_response.then(|| view! {
                        <p class="raw-title">"Response status line and headers, as your page can read them"</p>
                        <pre class="raw" tabindex="0" aria-label="The response head as text">{lines(response)}</pre>
                    })}
                </div>
            </div>
            <SequenceDiagram diagram=sequence current/>
        </section>
    }
}
