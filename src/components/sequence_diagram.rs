//! The journey as a sequence diagram to scale (see `model::sequence`): an
//! SVG with a lane each for the browser, the DNS resolver and the server,
//! one band per network step, and a line where the replay stands.

use leptos::prelude::*;
use roundtrip_model::sequence::{Diagram, Lane, Scale};

const WIDTH: f64 = 760.0;
const HEAD: f64 = 34.0;
const LABELS: f64 = 200.0;

fn lane_x(lane: Lane) -> f64 {
    match lane {
        Lane::Browser => 270.0,
        Lane::Resolver => 480.0,
        Lane::Server => 690.0,
    }
}

fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(max - 1).collect::<String>())
    }
}

#[component]
pub fn SequenceDiagram(
    diagram: Diagram,
    /// Where the replay stands: (step index, progress through it).
    current: Memo<(usize, f64)>,
) -> impl IntoView {
    let height = HEAD + diagram.height + 8.0;
    let bands = diagram.bands.clone();
    let diagram = StoredValue::new(diagram);
    // The bands' highlight follows the step, which changes a few times per
    // replay; only the "now" line moves on every animation frame.
    let step_now = Memo::new(move |_| current.get().0);
    let now_y = move || {
        let (step, progress) = current.get();
        HEAD + diagram.with_value(|d| d.position(step, progress))
    };
    let lanes = [(Lane::Browser, "Browser"), (Lane::Resolver, "DNS resolver"), (Lane::Server, "Server")]
        .into_iter()
        .map(|(lane, name)| {
            let x = lane_x(lane);
            view! {
                <text x=x y="18" class="seq-lane-name" text-anchor="middle">{name}</text>
                <line x1=x y1=HEAD - 8.0 x2=x y2=height class="seq-lifeline"></line>
            }
        })
        .collect_view();
    let drawn = bands
        .into_iter()
        .enumerate()
        .map(|(i, b)| {
            let top = HEAD + b.top;
            let (state, note) = match &b.scale {
                Scale::Measured => ("measured", "measured, to scale".to_owned()),
                Scale::AtMinimum => ("measured", "measured · drawn larger".to_owned()),
                Scale::Illustrative => ("illustrative", "not exposed: illustrative".to_owned()),
                Scale::Skipped(why) => ("skipped", clip(&format!("skipped: {why}"), 60)),
                Scale::Failed(why) => ("failed", clip(&format!("failed: {why}"), 30)),
            };
            let skipped = matches!(b.scale, Scale::Skipped(_));
            let step = b.step;
            let active = move || step_now.get() == step;
            let messages = b
                .messages
                .iter()
                .map(|m| {
                    let (x1, x2) = (lane_x(m.from), lane_x(m.to));
                    let y = top + b.height * m.at;
                    let dir = if x2 > x1 { 1.0 } else { -1.0 };
                    let head = format!("{x2},{y} {},{} {},{}", x2 - dir * 8.0, y - 4.0, x2 - dir * 8.0, y + 4.0);
                    let mid = (x1 + x2) / 2.0;
                    view! {
                        <line x1=x1 y1=y x2=x2 - dir * 7.0 y2=y class="seq-msg"></line>
                        <polygon points=head class="seq-head"></polygon>
                        <text x=mid y=y - 4.0 text-anchor="middle" class="seq-msg-label">{clip(&m.label, 44)}</text>
                    }
                })
                .collect_view();
            let server = (!b.server.is_empty()).then(|| {
                let x = lane_x(Lane::Server);
                view! {
                    <rect x=x - 6.0 y=top + 3.0 width="12" height=(b.height - 6.0).max(4.0) class="seq-server-work"></rect>
                    <text x=x - 12.0 y=top + b.height / 2.0 + 4.0 text-anchor="end" class="seq-msg-label">
                        {clip(&format!("Server-Timing: {}", b.server.join(" · ")), 60)}
                    </text>
                }
            });
            view! {
                <g class=format!("seq-band seq-{state}") class:seq-active=active data-testid=format!("seq-band-{}", b.kind_slug())>
                    <rect x="0" y=top width=WIDTH height=b.height class=if i % 2 == 0 { "seq-bg" } else { "seq-bg alt" }></rect>
                    {if skipped {
                        view! { <text x="6" y=top + 15.0 class="seq-title">{clip(&b.title, 26)} <tspan class="seq-figure" dx="8">{note}</tspan></text> }.into_any()
                    } else {
                        view! {
                            <text x="6" y=top + 15.0 class="seq-title">{clip(&b.title, 26)}</text>
                            <text x="6" y=top + 29.0 class="seq-figure">{clip(&b.figure, 14)} " · " {note}</text>
                        }.into_any()
                    }}
                    {messages}
                    {server}
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="sequence" data-testid="sequence">
            // On a narrow screen the diagram keeps a readable size and
            // scrolls sideways inside its box (the page itself never does);
            // a phone's scrollbars hide, so the hint says it.
            <p class="note seq-hint" aria-hidden="true">"Wider than this screen: scroll the diagram sideways to see the server's side →"</p>
            <div class="seq-scroll" tabindex="0" role="region" aria-label="Sequence diagram (scrolls sideways on a narrow screen)">
                <svg viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-labelledby="seq-caption" preserveAspectRatio="xMinYMin meet">
                    {lanes}
                    {drawn}
                    <line x1=LABELS x2=WIDTH y1=now_y y2=now_y class="seq-now"></line>
                </svg>
            </div>
            <figcaption id="seq-caption" class="note">
                "The same journey as a sequence diagram, time running down. Each band's height is the step's measured length; "
                "a step too short to see is drawn at a minimum height and says so. The browser measures phases, not packets: "
                "the messages inside a band are the ones that step is made of (SYN, SYN-ACK, ACK…), spaced evenly, not captured."
            </figcaption>
        </figure>
    }
}

trait KindSlug {
    fn kind_slug(&self) -> &'static str;
}

impl KindSlug for roundtrip_model::sequence::Band {
    fn kind_slug(&self) -> &'static str {
        use roundtrip_model::journey::StepKind::*;
        match self.kind {
            UserAction => "action",
            Redirects => "redirects",
            Dns => "dns",
            Connect => "connect",
            Tls => "tls",
            RequestSent => "request",
            ServerWork => "server",
            ResponseBack => "response",
            BrowserHandles => "render",
        }
    }
}
