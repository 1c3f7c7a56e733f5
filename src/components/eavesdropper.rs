use crate::components::request_bar::Draft;
use leptos::prelude::*;
use roundtrip_model::headers::readable_header_lines;
use roundtrip_model::tls::eavesdropper;

/// What someone on the network would read of the request in the form, over
/// http:// and over https://. Illustrative, and labelled so.
#[component]
pub fn Eavesdropper(
    /// The request being composed.
    draft: Draft,
) -> impl IntoView {
    let rows = move || {
        let headers = draft.headers.with(|h| readable_header_lines(h));
        eavesdropper(&draft.method.get(), &draft.url.get(), &crate::web::page_origin(), &headers, &draft.body.get())
    };
    view! {
        <section class="card eavesdropper" data-testid="eavesdropper">
            <h3>"What an eavesdropper on the network reads"</h3>
            <p class="illustrative-label">
                "Illustrative: worked out from the request in the form below, not captured. "
                "A web page cannot capture its own network traffic."
            </p>
            {move || match rows() {
                Err(why) => view! { <p class="warn-text">"The URL cannot be read: " {why}</p> }.into_any(),
                Ok(rows) => view! {
                    <table class="headers">
                        <thead><tr><th scope="col">"Part of the exchange"</th><th scope="col">"Over http://"</th><th scope="col">"Over https://"</th></tr></thead>
                        <tbody>
                            {rows.into_iter().map(|r| view! {
                                <tr><th scope="row">{r.what}</th><td><code>{r.http}</code></td><td>{r.https}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            }}
        </section>
    }
}
