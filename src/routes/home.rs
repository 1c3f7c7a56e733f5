use crate::components::later::Later;
use crate::components::request_bar::{LinkNote, RequestBar, WorkbenchDraft};
use crate::components::url_anatomy::UrlAnatomy;
use crate::split::{LazyResult, Outcome, Shown as Showing};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use roundtrip_model::exchange::{swap_loopback_host, Exchange, RequestSpec};
use roundtrip_model::failure::Failure;

/// What the workbench shows below the request bar.
// One value in one signal: the variants' sizes cost nothing worth a Box.
#[allow(clippy::large_enum_variant)]
#[derive(Clone)]
enum Shown {
    /// One request: as sent (None when it could not be built), and its result.
    One(Option<RequestSpec>, Result<Exchange, Failure>),
    /// The same request twice, for cold vs warm.
    Twice(Exchange, Exchange),
}

/// The workbench: compose a request, send it for real, see what happened.
#[component]
pub fn Home() -> impl IntoView {
    let tasks = crate::tasks::Tasks::new();
    crate::split::prefetch_results();
    // The router's location, not window.location: while this page is being
    // built after a link click, the address bar may still show the last one.
    let pairs = roundtrip_model::echo::parse_urlencoded(&leptos_router::hooks::use_location().search.get_untracked());
    // The request as it was left here (leaving through the nav keeps no
    // query), unless the address carries one: a link's own request wins.
    let draft = expect_context::<WorkbenchDraft>().0;
    if !pairs.is_empty() {
        draft.load_link(|key| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()));
    }
    let left_out = pairs
        .iter()
        .find(|(k, _)| k == "left_out")
        .and_then(|(_, names)| roundtrip_model::link::left_out_problem(names, "the workbench's own URL"));
    let shown = RwSignal::new(None::<Shown>);
    let pending = RwSignal::new(false);
    let navigate = use_navigate();
    let recorder = expect_context::<crate::recorder::Recorder>();

    let build = move || draft.to_spec();
    let outcome = NodeRef::<leptos::html::Div>::new();
    let reveal = move || {
        if let Some(el) = outcome.get_untracked() {
            crate::web::page::reveal(el.into());
        }
    };
    // Sends once or twice in a row; the address bar then reopens this request.
    let send = Callback::new(move |times: usize| {
        let spec = match build() {
            Ok(spec) => spec,
            Err(failure) => {
                shown.set(Some(Shown::One(None, Err(failure))));
                return reveal();
            }
        };
        let link = format!("/?{}", crate::web::query_string(&draft.to_query()));
        navigate(&link, NavigateOptions { replace: true, scroll: false, ..Default::default() });
        pending.set(true);
        tasks.spawn(async move {
            let mut results = Vec::with_capacity(times);
            for _ in 0..times {
                let result = recorder.send(spec.clone()).await;
                let failed = result.is_err();
                results.push(result);
                if failed {
                    break;
                }
            }
            let outcome = match (results.pop(), results.pop()) {
                (Some(Ok(second)), Some(Ok(first))) => Shown::Twice(first, second),
                (Some(last), _) => Shown::One(Some(spec), last),
                (None, _) => unreachable!("at least one request is sent"),
            };
            shown.set(Some(outcome));
            pending.set(false);
            reveal();
        });
    });
    let on_send = Callback::new(move |()| send.run(1));
    let on_send_twice = Callback::new(move |()| send.run(2));
    let fresh_host = Callback::new(move |()| {
        if let Some(url) = build().ok().and_then(|spec| swap_loopback_host(&spec.url)) {
            draft.url.set(url);
            send.run(2);
        }
    });

    view! {
        <h1 class="page-title">{crate::routes::heading("/").title}</h1>
        {crate::routes::lead("/")}
        <crate::lab_status::NoLabNotice needs="The default request (/lab/anything)"/>
        {left_out.map(|why| view! { <p class="card failure" role="alert" data-testid="link-problems">{why}</p> })}
        // The first render in three tasks (components::later).
        <Later><RequestBar draft pending on_send on_send_twice=on_send_twice/></Later>
        <Later>
        <LinkNote draft/>
        <UrlAnatomy url=draft.url/>
        <div class="outcome" aria-live="polite" aria-busy=move || pending.get().to_string() node_ref=outcome data-testid="outcome">
            {move || match shown.get() {
                None => view! {
                    <p class="hint">
                        "Press " <strong>"Send"</strong> ": the lab at " <code>"/lab/anything"</code>
                        " answers with everything it received from you. " <strong>"Send twice"</strong>
                        " compares a first and a second run."
                    </p>
                }
                    .into_any(),
                Some(Shown::One(_, Ok(exchange))) => view! { <LazyResult shown=Showing::of(Outcome::Exchange(exchange))/> }.into_any(),
                Some(Shown::One(request, Err(failure))) => {
                    view! { <LazyResult shown=Showing::of(Outcome::Failure(failure, request))/> }.into_any()
                }
                Some(Shown::Twice(first, second)) => {
                    let fresh_host = swap_loopback_host(&first.request.url).map(|_| fresh_host);
                    view! { <LazyResult shown=Showing::of(Outcome::Twice { first, second, fresh_host })/> }.into_any()
                }
            }}
        </div>
        </Later>
    }
}
