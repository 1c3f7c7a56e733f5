use crate::components::exchange_view::ExchangeView;
use crate::components::failure_view::FailureView;
use crate::components::request_bar::{Draft, RequestBar};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use roundtrip_model::exchange::{Exchange, RequestSpec};
use roundtrip_model::failure::Failure;

/// The workbench: compose a request, send it for real, see what happened.
#[component]
pub fn Home() -> impl IntoView {
    let draft = Draft::from_query(&use_query_map().get_untracked());
    // The request as sent (None when it could not be built) and its result.
    let outcome = RwSignal::new(None::<(Option<RequestSpec>, Result<Exchange, Failure>)>);
    let pending = RwSignal::new(false);
    let navigate = use_navigate();
    let recorder = expect_context::<crate::recorder::Recorder>();

    let on_send = Callback::new(move |()| {
        let built = crate::web::resolve_url(&draft.url.get_untracked()).and_then(|url| {
            RequestSpec::from_draft(
                &draft.method.get_untracked(),
                url,
                &draft.headers.get_untracked(),
                &draft.body.get_untracked(),
                &draft.timeout_ms.get_untracked(),
            )
        });
        match built {
            Err(failure) => outcome.set(Some((None, Err(failure)))),
            Ok(spec) => {
                // The address bar now reopens this very request.
                let link = format!("/?{}", crate::web::query_string(&draft.to_query()));
                navigate(&link, NavigateOptions { replace: true, scroll: false, ..Default::default() });
                pending.set(true);
                leptos::task::spawn_local(async move {
                    let sent = spec.clone();
                    let result = crate::web::fetch::send(spec).await;
                    if let Ok(exchange) = &result {
                        recorder.remember(exchange);
                    }
                    outcome.set(Some((Some(sent), result)));
                    pending.set(false);
                });
            }
        }
    });

    view! {
        <h1 class="page-title">"Send a real request"</h1>
        <p class="lead">
            "Your browser sends it with " <code>"fetch"</code>
            ". What comes back is shown as the browser saw it, with the timings the browser itself measured."
        </p>
        <RequestBar draft pending on_send/>
        <div class="outcome" aria-live="polite" aria-busy=move || pending.get().to_string()>
            {move || match outcome.get() {
                None => view! {
                    <p class="hint">
                        "Press " <strong>"Send"</strong> ": the lab at " <code>"/lab/anything"</code>
                        " answers with everything it received from you."
                    </p>
                }
                    .into_any(),
                Some((_, Ok(exchange))) => view! { <ExchangeView exchange/> }.into_any(),
                Some((request, Err(failure))) => view! { <FailureView failure request=request/> }.into_any(),
            }}
        </div>
    }
}
