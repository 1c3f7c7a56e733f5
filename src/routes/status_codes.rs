use crate::split::{LazyResult, Outcome, Shown as Showing};
use leptos::prelude::*;
use roundtrip_model::exchange::{Exchange, RequestSpec};
use roundtrip_model::failure::Failure;
use roundtrip_model::status::{analogy, meaning, Family, ESSENTIAL, REGISTRY};

/// Every status code: the families, the seven that matter most, the whole
/// registry, and "try it": the lab answers with that code, for real.
#[component]
pub fn StatusCodes() -> impl IntoView {
    let tasks = crate::tasks::Tasks::new();
    crate::split::prefetch_results();
    let filter = RwSignal::new(String::new());
    let tried = RwSignal::new(None::<(u16, Result<Exchange, Failure>)>);
    let recorder = expect_context::<crate::recorder::Recorder>();
    let outcome = NodeRef::<leptos::html::Div>::new();
    let try_code = move |code: u16| {
        tasks.spawn(async move {
            let result = recorder.get(&format!("/lab/status/{code}")).await;
            tried.set(Some((code, result)));
            // The result stands above the table the button is in.
            if let Some(el) = outcome.get_untracked() {
                crate::web::page::reveal(el.into());
            }
        });
    };
    let families = [100u16, 200, 300, 400, 500]
        .iter()
        .filter_map(|c| Family::of(*c))
        .map(|f| view! { <tr role="row"><th scope="row" role="rowheader"><span class=format!("status-code small fam-{}", f.slug())>{f.label()}</span></th><td role="cell">{f.name()}</td><td role="cell">{f.meaning()}</td></tr> })
        .collect_view();
    let essential = ESSENTIAL
        .iter()
        .map(|c| {
            let c = *c;
            let reason = REGISTRY.iter().find(|(code, _)| *code == c).map_or("", |(_, r)| *r);
            view! {
                <li>
                    <strong>{c} " " {reason}</strong> " — " {meaning(c)}
                    {analogy(c).map(|a| view! { " " <em>"(" {a} ")"</em> })}
                </li>
            }
        })
        .collect_view();
    let rows = REGISTRY
        .iter()
        .map(|(code, reason)| {
            let (code, reason) = (*code, *reason);
            let text = format!("{code} {reason} {}", meaning(code).unwrap_or("")).to_lowercase();
            let interim = code < 200;
            view! {
                <tr role="row" data-testid=format!("code-{code}") class:hidden=move || { let f = filter.get().trim().to_lowercase(); !f.is_empty() && !text.contains(&f) }>
                    <th scope="row" role="rowheader"><span class=format!("status-code small fam-{}", Family::of(code).map_or("none", Family::slug))>{code}</span></th>
                    <td role="cell">{reason}</td>
                    <td role="cell">{meaning(code)}</td>
                    <td role="cell">
                        <button
                            type="button"
                            class="try"
                            data-testid=format!("try-{code}")
                            disabled=interim
                            title=if interim { "A 1xx is an interim response, never a final one: the lab cannot answer with it." } else { "" }
                            on:click=move |_| try_code(code)
                        >
                            "Try it"
                        </button>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h1 class="page-title">{crate::routes::heading("/status-codes").title}</h1>
        <crate::lab_status::NoLabNotice needs="“Try it” and the quiz"/>
        {crate::routes::lead("/status-codes")}
        <section class="card">
            <h2>"The five families"</h2>
            <table class="headers families" role="table"><tbody>{families}</tbody></table>
            <h2>"The seven to know first"</h2>
            <ul class="essential">{essential}</ul>
        </section>
        <Quiz/>
        <div aria-live="polite" data-testid="tried" node_ref=outcome>
            {move || tried.get().map(|(code, result)| view! {
                <h2 class="page-title">"You tried " {code}</h2>
                {match result {
                    Ok(exchange) => view! { <LazyResult shown=Showing::of(Outcome::Exchange(exchange))/> }.into_any(),
                    Err(failure) => view! { <LazyResult shown=Showing::of(Outcome::Failure(failure, None))/> }.into_any(),
                }}
            })}
        </div>
        <section class="card">
            <h2>"Every registered code"</h2>
            <label class="search">"Filter "
                <input type="search" data-testid="status-filter" placeholder="404, redirect, cache…" prop:value=move || filter.get() on:input=move |ev| filter.set(event_target_value(&ev))/>
            </label>
            // On a phone the rows stack (style/main.css): the roles keep them
            // a table for screen readers, which some drop with the display.
            <table class="headers status-table" role="table">
                <thead><tr role="row"><th scope="col" role="columnheader">"Code"</th><th scope="col" role="columnheader">"Reason phrase"</th><th scope="col" role="columnheader">"Meaning"</th><th scope="col" role="columnheader"><span class="visually-hidden">"Try it"</span></th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <p class="note">"The registry is IANA's HTTP Status Code Registry. 418 (I'm a teapot) is reserved there, not assigned."</p>
        </section>
    }
}

/// Predict, then fire: read a scenario, guess its code, send the real request.
#[component]
fn Quiz() -> impl IntoView {
    let tasks = crate::tasks::Tasks::new();
    let recorder = expect_context::<crate::recorder::Recorder>();
    use roundtrip_model::quiz::SCENARIOS;
    let index = RwSignal::new(0usize);
    let guess = RwSignal::new(None::<u16>);
    let outcome = RwSignal::new(None::<Result<u16, String>>);
    let scenario = move || SCENARIOS[index.get() % SCENARIOS.len()];
    let fire = move |_| {
        let sc = scenario();
        outcome.set(None);
        tasks.spawn(async move {
            let spec = crate::web::resolve_url(sc.path).map(|url| RequestSpec {
                method: sc.method.into(),
                url,
                headers: sc.headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
                body: (sc.body_bytes > 0).then(|| "x".repeat(sc.body_bytes)),
                timeout_ms: 10_000,
            });
            let result = match spec {
                Ok(spec) => recorder.send(spec).await.map(|e| e.status).map_err(|f| f.explain()),
                Err(f) => Err(f.explain()),
            };
            outcome.set(Some(result));
        });
    };
    let choices = move || {
        scenario()
            .choices
            .iter()
            .map(|c| {
                let c = *c;
                view! {
                    <button type="button" class="choice" data-testid=format!("guess-{c}") aria-pressed=move || (guess.get() == Some(c)).to_string()
                        on:click=move |_| { guess.set(Some(c)); outcome.set(None); }>
                        {c} " " {REGISTRY.iter().find(|(code, _)| *code == c).map_or("", |(_, r)| *r)}
                    </button>
                }
            })
            .collect_view()
    };
    let verdict = move || {
        let sc = scenario();
        outcome.get().map(|r| match r {
            Ok(code) => {
                let right = guess.get() == Some(code);
                view! {
                    <p class=if right { "verdict right" } else { "verdict wrong" } data-testid="quiz-verdict">
                        {if right { "Right: " } else { "Not quite: " }} "the lab answered " <strong>{code}</strong>
                        {guess.get().filter(|g| *g != code).map(|g| format!(" (you guessed {g})"))} ". " {sc.why}
                    </p>
                }
                .into_any()
            }
            Err(e) => view! { <p class="verdict wrong" data-testid="quiz-verdict">{e}</p> }.into_any(),
        })
    };
    view! {
        <section class="card quiz" data-testid="quiz">
            <h2>"Predict, then fire"</h2>
            <p class="scenario" data-testid="quiz-scenario">{move || scenario().prompt}</p>
            <p class="note">"Request: " <code>{move || format!("{} {}", scenario().method, scenario().path)}</code></p>
            <div class="choices">{choices}</div>
            <p>
                <button type="button" class="send" data-testid="quiz-fire" disabled=move || guess.get().is_none() on:click=fire>"Send it for real"</button>
                " "
                <button type="button" class="plain" data-testid="quiz-next" on:click=move |_| { index.update(|i| *i += 1); guess.set(None); outcome.set(None); }>"Another scenario"</button>
            </p>
            <div aria-live="polite">{verdict}</div>
        </section>
    }
}
