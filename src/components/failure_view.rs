use leptos::prelude::*;
use roundtrip_model::failure::Failure;

/// A request that got no HTTP response, told plainly.
#[component]
pub fn FailureView(
    /// What went wrong.
    failure: Failure,
) -> impl IntoView {
    let kind = match failure {
        Failure::InvalidUrl { .. } | Failure::InvalidRequest { .. } => "invalid",
        Failure::Timeout { .. } => "timeout",
        Failure::Network { .. } => "network",
        Failure::BodyFailed { .. } => "body",
    };
    view! {
        <section class="card failure" role="alert" data-testid="failure" data-kind=kind>
            <h2>{failure.title()}</h2>
            <p>{failure.explain()}</p>
            <p class="note">"Your request is still in the form above: fix it and send again."</p>
        </section>
    }
}
