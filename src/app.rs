use crate::routes::{home::Home, not_found::NotFound};
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;

/// The whole app: a header and the routed page.
#[component]
pub fn App() -> impl IntoView {
    Effect::new(|_| crate::web::mark_interactive());
    view! {
        <Router>
            <header class="top">
                <A href="/" attr:class="brand">
                    <span class="brand-mark" aria-hidden="true">"⇄"</span>
                    " Roundtrip"
                </A>
                <span class="tagline">"See how your browser talks to servers: real requests, measured."</span>
            </header>
            <main>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home/>
                </Routes>
            </main>
        </Router>
    }
}
