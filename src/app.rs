use crate::recorder::Recorder;
use crate::routes::{lessons::Lessons, not_found::NotFound};
use crate::split::{Lazy, Part};
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;

/// The title and description of every page but a lesson (as in index.html).
pub const TITLE: &str = "Roundtrip — see how browsers talk to servers";
pub const DESCRIPTION: &str =
    "Send real HTTP requests from your browser and see every step: DNS, connect, TLS, waiting, download, measured by the browser itself.";

/// The whole app: a header and the routed page.
#[component]
pub fn App() -> impl IntoView {
    provide_context(Recorder::start());
    provide_context(crate::lab_status::Lab::new());
    provide_context(crate::components::request_bar::WorkbenchDraft(crate::components::request_bar::Draft::workbench()));
    Effect::new(|_| crate::components::later::app_rendered());
    view! {
        <Router>
            // The first render in short tasks (components::later): the
            // header, then the page, each after the router's own.
            <crate::components::later::Later>
            <header class="top">
                <A href="/" attr:class="brand">
                    <span class="brand-mark" aria-hidden="true">"⇄"</span>
                    " Roundtrip"
                </A>
                <span class="tagline">"See how your browser talks to servers: real requests, measured."</span>
                <ThemeToggle/>
                <nav aria-label="Main">
                    <A href="/lessons">"Lessons"</A>
                    <A href="/" exact=true>"Workbench"</A>
                    <A href="/timeline">"Timeline"</A>
                    <A href="/pages">"Page loads"</A>
                    <A href="/status-codes">"Status codes"</A>
                    <A href="/cookies">"Cookies"</A>
                </nav>
            </header>
            </crate::components::later::Later>
            <main>
                <crate::components::later::Later>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=|| view! { <Lazy part=Part::Home/> }/>
                    <Route path=path!("/lessons") view=Lessons/>
                    <Route path=path!("/lesson/:slug") view=|| view! { <Lazy part=Part::Lesson/> }/>
                    <Route path=path!("/timeline") view=|| view! { <Lazy part=Part::Timeline/> }/>
                    <Route path=path!("/pages") view=|| view! { <Lazy part=Part::Pages/> }/>
                    <Route path=path!("/status-codes") view=|| view! { <Lazy part=Part::StatusCodes/> }/>
                    <Route path=path!("/cookies") view=|| view! { <Lazy part=Part::Cookies/> }/>
                </Routes>
                </crate::components::later::Later>
            </main>
        </Router>
    }
}

/// Light or dark: follows the system until the learner chooses, then
/// remembers the choice in this browser.
#[component]
fn ThemeToggle() -> impl IntoView {
    use crate::web::page;
    let dark = RwSignal::new(page::chosen_theme().map_or_else(page::system_prefers_dark, |t| t == "dark"));
    if let Some(t) = page::chosen_theme() {
        page::apply_theme(&t, false);
    }
    view! {
        <button
            type="button"
            class="theme-toggle"
            data-testid="theme-toggle"
            aria-pressed=move || dark.get().to_string()
            on:click=move |_| {
                let next = !dark.get_untracked();
                dark.set(next);
                page::apply_theme(if next { "dark" } else { "light" }, true);
            }
        >
            "☾ Dark theme"
        </button>
    }
}
