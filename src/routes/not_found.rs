use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

/// Any path the app does not know. The lab serves the app for every path, so
/// this is where a mistyped or not-yet-existing link lands.
#[component]
pub fn NotFound() -> impl IntoView {
    let path = use_location().pathname;
    view! {
        <section class="card not-found" data-testid="not-found">
            <h1>"No page here"</h1>
            <p>
                "Roundtrip has no page at " <code>{move || path.get()}</code>
                ". The link may be mistyped, or point to a lesson that does not exist yet."
            </p>
            <p><A href="/lessons">"See the lessons"</A> " or " <A href="/">"go to the request workbench"</A></p>
        </section>
    }
}
