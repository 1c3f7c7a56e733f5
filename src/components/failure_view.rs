use crate::components::exchange_view::{sent_lines, ASKED};
use crate::components::journey::Journey;
use leptos::prelude::*;
use roundtrip_model::exchange::RequestSpec;
use roundtrip_model::failure::{Failure, NoResponse};
use roundtrip_model::journey::{steps, Outcome, Speed};

/// A request that got no HTTP response, told plainly.
#[component]
pub fn FailureView(
    /// What went wrong.
    failure: Failure,
    /// The request, when it was built (nothing was sent otherwise).
    request: Option<RequestSpec>,
    /// The journey's animation speed, when the page keeps it.
    #[prop(optional)]
    speed: Option<RwSignal<Speed>>,
) -> impl IntoView {
    let speed = speed.unwrap_or_else(|| RwSignal::new(Speed::Slow10));
    let elapsed_ms = match failure {
        Failure::Timeout { after_ms } => f64::from(after_ms),
        _ => 0.0,
    };
    let journey = request.map(|spec| {
        let steps = steps(&Outcome::Failed { failure: &failure, elapsed_ms });
        view! { <Journey steps request=sent_lines(&spec) request_source=ASKED response=Vec::new() speed/> }
    });
    let kind = match failure {
        Failure::InvalidUrl { .. } | Failure::InvalidRequest { .. } => "invalid",
        Failure::BadPort { .. } => "bad-port",
        Failure::Timeout { .. } => "timeout",
        Failure::Network { why: NoResponse::WithheldByCors { .. }, .. } => "cors",
        Failure::Network { why: NoResponse::NoServer { .. }, .. } => "no-server",
        Failure::Network { .. } => "network",
        Failure::BodyFailed { .. } => "body",
    };
    view! {
        <section class="card failure" role="alert" data-testid="failure" data-kind=kind>
            <h2>{failure.title()}</h2>
            <p>{failure.explain()}</p>
            <p class="note">"Your request is still in the form above: fix it and send again."</p>
        </section>
        {journey}
    }
}
