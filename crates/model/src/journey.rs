//! The seven steps of the request/response cycle for one request, built from
//! what was measured, and the playback math that animates them.
//!
//! Steps: user action → DNS → TCP connect (+ TLS) → request sent → server
//! processing → response travels back → the browser handles it (and any
//! sub-requests follow). Each step carries its measured number, or why it has
//! none, and the part of the raw messages it concerns.

use crate::failure::Failure;
use crate::server_timing::Metric;
use crate::timing::{format_ms, PhaseKind, PhaseState, Timeline};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepKind {
    UserAction,
    Dns,
    Connect,
    Tls,
    RequestSent,
    ServerWork,
    ResponseBack,
    BrowserHandles,
}

/// Where the moving message is during a step, for the stage drawing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Leg {
    /// At the browser.
    Browser,
    /// Browser ⇄ DNS resolver and back.
    ToResolver,
    /// Browser → server.
    Outbound,
    /// At the server.
    Server,
    /// Server → browser.
    Inbound,
}

/// The part of the raw request or response a step concerns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RawPart {
    None,
    RequestLine,
    HostHeader,
    RequestMessage,
    StatusLine,
    ResponseMessage,
}

/// Whether a step's number is data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum StepState {
    Measured,
    /// Did not happen, for this reason.
    Skipped(String),
    /// The browser hides it; what is drawn is illustrative.
    Hidden,
    /// Not a network phase: no number exists for it (the click, rendering).
    NotTimed,
    /// The request failed here.
    Failed(String),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub kind: StepKind,
    pub title: String,
    pub explain: String,
    pub duration_ms: f64,
    pub state: StepState,
    pub leg: Leg,
    pub raw: RawPart,
    /// Server-Timing metrics, for the server's step.
    pub server: Vec<Metric>,
}

impl Step {
    fn new(kind: StepKind, title: &str, explain: &str, leg: Leg, raw: RawPart) -> Step {
        Step { kind, title: title.into(), explain: explain.into(), duration_ms: 0.0, state: StepState::NotTimed, leg, raw, server: Vec::new() }
    }

    /// The number beside the step: "12.3 ms", or what stands for it.
    pub fn figure(&self) -> String {
        match &self.state {
            StepState::Measured => format_ms(self.duration_ms),
            StepState::Skipped(_) => "skipped".into(),
            StepState::Hidden => "hidden".into(),
            StepState::NotTimed => "—".into(),
            StepState::Failed(_) => "failed".into(),
        }
    }

    pub fn note(&self) -> String {
        match &self.state {
            StepState::Measured => "measured by the browser".into(),
            StepState::Skipped(why) => format!("skipped: {why}"),
            StepState::Hidden => "illustrative: the browser hides this step's timing for this cross-origin response".into(),
            StepState::NotTimed => "not a network step: nothing to time".into(),
            StepState::Failed(why) => why.clone(),
        }
    }
}

/// What happened to the request, as far as the journey needs it.
pub enum Outcome<'a> {
    /// A response arrived: its status and the browser's timeline, if any.
    Response { status: u16, timeline: Option<&'a Timeline>, elapsed_ms: f64 },
    /// No response.
    Failed { failure: &'a Failure, elapsed_ms: f64 },
}

/// The steps of one request, in order.
pub fn steps(outcome: &Outcome) -> Vec<Step> {
    let mut user = Step::new(StepKind::UserAction, "1. You act", "You pressed Send: the browser decides it needs to send a request.", Leg::Browser, RawPart::None);
    user.state = StepState::NotTimed;
    let mut dns = Step::new(StepKind::Dns, "2. DNS lookup", "The browser asks where the host lives and gets an IP address. No IP, no request.", Leg::ToResolver, RawPart::HostHeader);
    let mut tcp = Step::new(StepKind::Connect, "3. TCP connect", "The browser opens a connection to that IP and port.", Leg::Outbound, RawPart::None);
    let mut tls = Step::new(StepKind::Tls, "3b. TLS handshake", "For https, browser and server agree on keys; everything after is encrypted.", Leg::Outbound, RawPart::None);
    let mut sent = Step::new(StepKind::RequestSent, "4. Request sent", "The request line, headers and body go out. The browser waits; nothing is rendered yet.", Leg::Outbound, RawPart::RequestMessage);
    let mut server = Step::new(StepKind::ServerWork, "5. Server processing", "The server reads the request, matches the URL, runs its logic and prepares a response.", Leg::Server, RawPart::RequestLine);
    let mut back = Step::new(StepKind::ResponseBack, "6. Response sent back", "Status line, headers and body travel back; the server forgets the request.", Leg::Inbound, RawPart::ResponseMessage);
    let mut handle = Step::new(StepKind::BrowserHandles, "7. Browser handles it", "The browser reads the status first, then the headers, then renders the body; each image, stylesheet or script it names would be a new request.", Leg::Browser, RawPart::StatusLine);

    match outcome {
        Outcome::Response { status, timeline: Some(t), .. } => {
            let from = |kind: PhaseKind, step: &mut Step| {
                if let Some(p) = t.phase(kind) {
                    step.duration_ms = p.duration_ms;
                    step.state = match p.state {
                        PhaseState::Measured => StepState::Measured,
                        PhaseState::Skipped(s) => StepState::Skipped(s.reason().to_owned()),
                        PhaseState::Hidden => StepState::Hidden,
                    };
                }
            };
            from(PhaseKind::Dns, &mut dns);
            from(PhaseKind::Connect, &mut tcp);
            from(PhaseKind::Tls, &mut tls);
            // Resource Timing does not split "sending" from "waiting": both
            // are inside requestStart → responseStart. The server's own
            // report, when there is one, says how much of it was its work.
            from(PhaseKind::Waiting, &mut server);
            let server_total = t.server.iter().find(|m| m.name == "total").and_then(|m| m.duration_ms);
            server.server = t.server.clone();
            if let (StepState::Measured, Some(work)) = (&server.state, server_total) {
                let wait = server.duration_ms;
                sent.duration_ms = (wait - work).max(0.0);
                sent.state = StepState::Measured;
                sent.explain = format!("{} Measured as the wait minus the server's own report of its work ({}).", sent.explain, format_ms(work));
                server.duration_ms = work.min(wait);
            } else {
                sent.state = StepState::Skipped("the browser times sending and waiting together: see the next step".into());
            }
            from(PhaseKind::Download, &mut back);
            if *status >= 400 {
                handle.state = StepState::Failed(format!("the status {status} reports a failure: a response that is an error"));
            }
        }
        Outcome::Response { .. } => {
            for s in [&mut dns, &mut tcp, &mut tls, &mut sent, &mut server, &mut back] {
                s.state = StepState::Skipped("the browser made no timing entry for this request".into());
            }
        }
        Outcome::Failed { failure, elapsed_ms } => {
            let unknown = "the request failed before the browser could report its phases";
            for s in [&mut dns, &mut tcp, &mut tls, &mut sent] {
                s.state = StepState::Skipped(unknown.into());
            }
            match failure {
                Failure::Timeout { after_ms } => {
                    server.state = StepState::Failed(format!("the clock ran out after {after_ms} ms while the server was still working: the browser gave up"));
                    server.duration_ms = *elapsed_ms;
                }
                Failure::Network { .. } => {
                    dns.state = StepState::Failed("no response ever came: DNS, connection or CORS failed (JavaScript cannot tell which)".into());
                }
                Failure::InvalidUrl { .. } | Failure::InvalidRequest { .. } => {
                    user.state = StepState::Failed("the request could not be built: nothing was sent".into());
                }
                Failure::BodyFailed { .. } => back.state = StepState::Failed("the body broke off on the way back".into()),
            }
            for s in [&mut back, &mut handle] {
                if !matches!(s.state, StepState::Failed(_)) {
                    s.state = StepState::Skipped("no response arrived".into());
                }
            }
            if !matches!(failure, Failure::Timeout { .. }) && !matches!(server.state, StepState::Failed(_)) {
                server.state = StepState::Skipped("the request never reached a server that answered".into());
            }
        }
    }
    vec![user, dns, tcp, tls, sent, server, back, handle]
}

/// How fast the animation plays.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Speed {
    RealTime,
    Slow10,
    Slow100,
}

impl Speed {
    pub const ALL: [Speed; 3] = [Speed::RealTime, Speed::Slow10, Speed::Slow100];

    pub fn factor(self) -> f64 {
        match self {
            Speed::RealTime => 1.0,
            Speed::Slow10 => 10.0,
            Speed::Slow100 => 100.0,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Speed::RealTime => "real time",
            Speed::Slow10 => "slow ×10",
            Speed::Slow100 => "slow ×100",
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            Speed::RealTime => "1",
            Speed::Slow10 => "10",
            Speed::Slow100 => "100",
        }
    }

    pub fn from_slug(s: &str) -> Option<Speed> {
        Speed::ALL.into_iter().find(|v| v.slug() == s)
    }
}

/// Every step stays on screen at least this long, so that a 0.02 ms phase
/// can still be seen; the measured number is shown beside it regardless.
pub const MIN_STEP_SCREEN_MS: f64 = 350.0;

/// How long each step is shown, in animation milliseconds, at `speed`.
pub fn screen_durations(steps: &[Step], speed: Speed) -> Vec<f64> {
    steps.iter().map(|s| (s.duration_ms * speed.factor()).max(MIN_STEP_SCREEN_MS)).collect()
}

/// Where the animation is at `t` ms after it started: the step's index and
/// how far through it (0..=1). Past the end, the last step, complete.
pub fn locate(durations: &[f64], t: f64) -> (usize, f64) {
    let mut start = 0.0;
    for (i, d) in durations.iter().enumerate() {
        if t < start + d {
            return (i, ((t - start) / d).clamp(0.0, 1.0));
        }
        start += d;
    }
    (durations.len().saturating_sub(1), 1.0)
}

/// The animation time at which step `i` starts (for step-by-step mode and
/// for scrubbing to a step).
pub fn start_of(durations: &[f64], i: usize) -> f64 {
    durations.iter().take(i).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timing::ResourceTiming;

    fn loopback(wait: f64, server_total: f64) -> Timeline {
        ResourceTiming {
            name: "http://127.0.0.1:8080/lab/delay/0.3".into(),
            start_time: 10.0,
            fetch_start: 10.0,
            domain_lookup_start: 10.0,
            domain_lookup_end: 10.0,
            connect_start: 10.0,
            connect_end: 10.0,
            request_start: 10.5,
            response_start: 10.5 + wait,
            response_end: 11.0 + wait,
            transfer_size: 500.0,
            encoded_body_size: 200.0,
            server_timing: vec![Metric::new("delay", 300.0, ""), Metric::new("total", server_total, "")],
            ..Default::default()
        }
        .timeline()
    }

    #[test]
    fn a_measured_request_splits_the_wait_with_the_servers_report() {
        let t = loopback(305.0, 301.0);
        let s = steps(&Outcome::Response { status: 200, timeline: Some(&t), elapsed_ms: 306.0 });
        assert_eq!(s.len(), 8);
        assert_eq!(s[1].state, StepState::Skipped("no DNS: the host is already an IP address".into()));
        assert_eq!(s[2].state, StepState::Skipped("connection reused (keep-alive): nothing to set up".into()));
        assert_eq!(s[3].state, StepState::Skipped("no TLS on http:// (plain text, unencrypted)".into()));
        assert_eq!((s[4].state.clone(), s[4].duration_ms), (StepState::Measured, 4.0));
        assert_eq!((s[5].state.clone(), s[5].duration_ms), (StepState::Measured, 301.0));
        assert!(s[5].server.iter().any(|m| m.name == "delay"));
        assert_eq!((s[6].state.clone(), s[6].duration_ms), (StepState::Measured, 0.5));
        assert_eq!(s[5].figure(), "301.0 ms");
        assert_eq!(s[0].figure(), "—");
    }

    #[test]
    fn without_a_server_report_sending_is_not_invented() {
        let mut t = loopback(5.0, 1.0);
        t.server.clear();
        let s = steps(&Outcome::Response { status: 200, timeline: Some(&t), elapsed_ms: 6.0 });
        assert!(matches!(s[4].state, StepState::Skipped(_)));
        assert_eq!(s[5].duration_ms, 5.0, "the whole wait, as measured");
    }

    #[test]
    fn failures_play_out_as_what_happened() {
        let timeout = Failure::Timeout { after_ms: 300 };
        let s = steps(&Outcome::Failed { failure: &timeout, elapsed_ms: 301.0 });
        assert!(matches!(&s[5].state, StepState::Failed(why) if why.contains("300 ms")));
        assert!(matches!(s[6].state, StepState::Skipped(_)), "no response came back");

        let network = Failure::Network { detail: "Failed to fetch".into() };
        let s = steps(&Outcome::Failed { failure: &network, elapsed_ms: 3.0 });
        assert!(matches!(&s[1].state, StepState::Failed(why) if why.contains("cannot tell")));
        assert!(matches!(s[5].state, StepState::Skipped(_)));

        let t = loopback(2.0, 1.0);
        let s = steps(&Outcome::Response { status: 503, timeline: Some(&t), elapsed_ms: 3.0 });
        assert!(matches!(&s[7].state, StepState::Failed(why) if why.contains("503")));
        assert_eq!(s[6].state, StepState::Measured, "a 5xx still travels back as a response");
    }

    #[test]
    fn playback_shows_every_step_and_scales_real_durations() {
        let t = loopback(305.0, 301.0);
        let s = steps(&Outcome::Response { status: 200, timeline: Some(&t), elapsed_ms: 306.0 });
        let real = screen_durations(&s, Speed::RealTime);
        assert!(real.iter().all(|d| *d >= MIN_STEP_SCREEN_MS));
        assert_eq!(real[5], 350.0_f64.max(301.0));
        let slow = screen_durations(&s, Speed::Slow10);
        assert_eq!(slow[5], 3010.0);
        assert_eq!(locate(&[100.0, 200.0], 0.0), (0, 0.0));
        assert_eq!(locate(&[100.0, 200.0], 150.0), (1, 0.25));
        assert_eq!(locate(&[100.0, 200.0], 999.0), (1, 1.0));
        assert_eq!(start_of(&[100.0, 200.0, 50.0], 2), 300.0);
        assert_eq!(Speed::from_slug("100"), Some(Speed::Slow100));
    }
}
