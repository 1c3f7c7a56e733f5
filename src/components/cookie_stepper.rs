use leptos::prelude::*;
use roundtrip_model::cookies::parse_document_cookie;
use roundtrip_model::echo::Echo;
use roundtrip_model::replies::{CookieJar, Counter, ErrorReply};

/// GETs a lab path; its typed reply, or a sentence saying what went wrong
/// (the lab's own, when it refused).
pub async fn lab_json<T: serde::de::DeserializeOwned>(recorder: crate::recorder::Recorder, path: &str) -> Result<T, String> {
    let exchange = recorder.get(path).await.map_err(|f| f.explain())?;
    if exchange.status >= 400 {
        return Err(serde_json::from_str::<ErrorReply>(&exchange.body)
            .map(|e| e.error)
            .unwrap_or_else(|_| format!("the lab refused with {}", exchange.status)));
    }
    serde_json::from_str(&exchange.body)
        .map_err(|_| format!("the lab answered {} with a reply Roundtrip does not understand", exchange.status))
}

/// Memory made from stateless HTTP, in four real requests: the server sets a
/// cookie, the browser keeps it, sends it back, and the server counts.
#[component]
pub fn CookieStepper(
    /// Called when the steps are over (e.g. to look at the jar again).
    #[prop(optional)]
    on_done: Option<Callback<()>>,
) -> impl IntoView {
    let tasks = crate::tasks::Tasks::new();
    let recorder = expect_context::<crate::recorder::Recorder>();
    // The stepper: four real requests.
    let steps = RwSignal::new(Vec::<(String, String)>::new());
    let run_steps = move |_| {
        steps.set(Vec::new());
        tasks.spawn(async move {
            let push = |title: &str, detail: String| steps.update(|s| s.push((title.to_owned(), detail)));
            let _ = lab_json::<CookieJar>(recorder, "/lab/cookies/delete?visits").await;
            match lab_json::<Counter>(recorder, "/lab/counter").await {
                Ok(v) => push("First request: GET /lab/counter", format!("The server answered visits={} ({}) and sent Set-Cookie: visits={}; Path=/lab. JavaScript never sees that header; the browser stores the cookie.", v.visits, v.message, v.visits)),
                Err(e) => return push("First request failed", e),
            }
            let held = lab_json::<CookieJar>(recorder, "/lab/cookies").await.ok().and_then(|j| j.cookies.get("visits").map(str::to_owned));
            let on_this_page = parse_document_cookie(&crate::web::document_cookie()).iter().any(|(n, _)| n == "visits");
            push("The jar", match held {
                Some(v) if !on_this_page => format!("The browser now holds visits={v} and sends it to /lab URLs. document.cookie on this page does not list it: its Path=/lab covers only /lab URLs."),
                Some(v) => format!("The browser now holds visits={v}, and this page's JavaScript can see it."),
                None => "The browser did not keep the cookie.".into(),
            });
            match lab_json::<Echo>(recorder, "/lab/anything").await {
                Ok(echo) => push(
                    "Next request: GET /lab/anything",
                    format!(
                        "Without being asked, the browser attached the header Cookie: {} — the echo shows what the server received.",
                        echo.headers.get("cookie").unwrap_or("(none)")
                    ),
                ),
                Err(e) => push("Next request failed", e),
            }
            match lab_json::<Counter>(recorder, "/lab/counter").await {
                Ok(v) => push("The server recognises you", format!("visits={}: {}", v.visits, v.message)),
                Err(e) => push("Failed", e),
            }
            if let Some(done) = on_done {
                done.run(());
            }
        });
    };

    view! {
        <section class="card">
            <h2>"Memory from forgetful requests, in four real steps"</h2>
            <button type="button" class="send" data-testid="run-steps" on:click=run_steps>"Run the steps"</button>
            <ol class="cookie-steps" data-testid="cookie-steps" aria-live="polite">
                {move || steps.get().into_iter().map(|(t, d)| view! { <li><strong>{t}</strong><br/>{d}</li> }).collect_view()}
            </ol>
        </section>
    }
}
