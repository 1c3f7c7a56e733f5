//! The smallest app of Roundtrip's shape: Leptos 0.8 CSR, a router with two
//! routes, a list of links and a page with a counter (a signal, an event,
//! an effect). `cargo xtask bench` weighs it beside the app's first wasm.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;

#[component]
fn List() -> impl IntoView {
    let items = ["one", "two", "three"];
    view! { <ul>{items.into_iter().map(|i| view! { <li><A href="/page">{i}</A></li> }).collect_view()}</ul> }
}

#[component]
fn Page() -> impl IntoView {
    let n = RwSignal::new(0);
    Effect::new(move |_| leptos::logging::log!("{}", n.get()));
    view! { <button on:click=move |_| n.update(|n| *n += 1)>"Clicked " {move || n.get()}</button> }
}

fn main() {
    leptos::mount::mount_to_body(|| {
        view! {
            <Router>
                <nav><A href="/">"List"</A><A href="/page">"Page"</A></nav>
                <main>
                    <Routes fallback=|| "Not found">
                        <Route path=path!("/") view=List/>
                        <Route path=path!("/page") view=Page/>
                    </Routes>
                </main>
            </Router>
        }
    })
}
