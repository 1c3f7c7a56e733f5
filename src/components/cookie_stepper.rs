use leptos::prelude::*;
use roundtrip_model::cookies::parse_document_cookie;
use roundtrip_model::echo::Echo;

/// GETs a lab path; the body as JSON, or a sentence saying what went wrong.
pub async fn lab_json(path: &str) -> Result<serde_json::Value, String> {
    let exchange = crate::web::fetch::get(path).await.map_err(|f| f.explain())?;
    let value: serde_json::Value =
        serde_json::from_str(&exchange.body).map_err(|_| format!("the lab answered {} with no JSON", exchange.status))?;
    if exchange.status >= 400 {
        return Err(value["error"].as_str().unwrap_or("the lab refused").to_owned());
    }
    Ok(value)
}

/// Memory made from stateless HTTP, in four real requests: the server sets a
/// cookie, the browser keeps it, sends it back, and the server counts.
#[component]
pub fn CookieStepper(
    /// Called when the steps are over (e.g. to look at the jar again).
    #[prop(optional)]
    on_done: Option<Callback<()>>,
) -> impl IntoView {
    // The stepper: four real requests.
    let steps = RwSignal::new(Vec::<(String, String)>::new());
    let run_steps = move |_| {
        steps.set(Vec::new());
        leptos::task::spawn_local(async move {
            let push = |title: &str, detail: String| steps.update(|s| s.push((title.to_owned(), detail)));
            let _ = lab_json("/lab/cookies/delete?visits").await;
            match lab_json("/lab/counter").await {
                Ok(v) => push("First request: GET /lab/counter", format!("The server answered visits={} ({}) and sent Set-Cookie: visits={}; Path=/lab. JavaScript never sees that header; the browser stores the cookie.", v["visits"], v["message"].as_str().unwrap_or(""), v["visits"])),
                Err(e) => return push("First request failed", e),
            }
            let held = lab_json("/lab/cookies").await.ok().and_then(|v| v["cookies"]["visits"].as_str().map(str::to_owned));
            let on_this_page = parse_document_cookie(&crate::web::document_cookie()).iter().any(|(n, _)| n == "visits");
            push("The jar", match held {
                Some(v) if !on_this_page => format!("The browser now holds visits={v} and sends it to /lab URLs. document.cookie on this page does not list it: its Path=/lab covers only /lab URLs."),
                Some(v) => format!("The browser now holds visits={v}, and this page's JavaScript can see it."),
                None => "The browser did not keep the cookie.".into(),
            });
            match lab_json("/lab/anything").await.map(|v| serde_json::from_value::<Echo>(v).unwrap_or_default()) {
                Ok(echo) => push(
                    "Next request: GET /lab/anything",
                    format!(
                        "Without being asked, the browser attached the header Cookie: {} — the echo shows what the server received.",
                        echo.headers.get("cookie").unwrap_or("(none)")
                    ),
                ),
                Err(e) => push("Next request failed", e),
            }
            match lab_json("/lab/counter").await {
                Ok(v) => push("The server recognises you", format!("visits={}: {}", v["visits"], v["message"].as_str().unwrap_or(""))),
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
