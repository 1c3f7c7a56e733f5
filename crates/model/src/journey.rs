//! The seven steps of the request/response cycle for one request, built from
//! what was measured, and the playback math that animates them.
//!
//! Steps: user action → DNS → TCP connect (+ TLS) → request sent → server
//! processing → response travels back → the browser handles it (and any
//! sub-requests follow). Each step carries its measured number, or why it has
//! none, and the part of the raw messages it concerns.

use crate::failure::{Failure, NoResponse};
use crate::server_timing::Metric;
use crate::timing::{format_ms, measured_figure, PhaseKind, PhaseState, Timeline};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepKind {
    UserAction,
    Redirects,
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
    /// Timed by a browser that reports whole milliseconds.
    #[serde(default)]
    pub coarse: bool,
    /// Who a measured figure comes from.
    #[serde(default)]
    pub source: Source,
}

/// Where a step's figure comes from: the browser's own measurement, the
/// server's report of itself (Server-Timing), or derived from both.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Source {
    #[default]
    Browser,
    Server,
    /// How it was derived.
    Derived(String),
}

impl Source {
    fn says(&self) -> String {
        match self {
            Source::Browser => "measured by the browser".into(),
            Source::Server => "reported by the server (Server-Timing)".into(),
            Source::Derived(how) => format!("derived: {how}"),
        }
    }
}

impl Step {
    fn new(kind: StepKind, title: &str, explain: &str, leg: Leg, raw: RawPart) -> Step {
        Step {
            kind,
            title: title.into(),
            explain: explain.into(),
            duration_ms: 0.0,
            state: StepState::NotTimed,
            leg,
            raw,
            server: Vec::new(),
            coarse: false,
            source: Source::Browser,
        }
    }

    /// The number beside the step: "12.3 ms", or what stands for it.
    pub fn figure(&self) -> String {
        match &self.state {
            StepState::Measured => measured_figure(self.duration_ms, self.coarse),
            StepState::Skipped(_) => "skipped".into(),
            StepState::Hidden => "hidden".into(),
            StepState::NotTimed => "—".into(),
            StepState::Failed(_) => "failed".into(),
        }
    }

    /// The figure and the note in one phrase, without saying a thing twice.
    pub fn summary(&self) -> String {
        match &self.state {
            StepState::Measured => format!("{} ({})", measured_figure(self.duration_ms, self.coarse), self.source.says()),
            _ => self.note(),
        }
    }

    pub fn note(&self) -> String {
        match &self.state {
            StepState::Measured => self.source.says(),
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
    let mut user = Step::new(
        StepKind::UserAction,
        "1. You act",
        "You pressed Send: the browser decides it needs to send a request.",
        Leg::Browser,
        RawPart::None,
    );
    user.state = StepState::NotTimed;
    let mut dns = Step::new(
        StepKind::Dns,
        "2. DNS lookup",
        "The browser asks where the host lives and gets an IP address. No IP, no request.",
        Leg::ToResolver,
        RawPart::HostHeader,
    );
    let mut tcp =
        Step::new(StepKind::Connect, "3. TCP connect", "The browser opens a connection to that IP and port.", Leg::Outbound, RawPart::None);
    let mut tls = Step::new(
        StepKind::Tls,
        "3b. TLS handshake",
        "For https, browser and server agree on keys; everything after is encrypted.",
        Leg::Outbound,
        RawPart::None,
    );
    let mut sent = Step::new(
        StepKind::RequestSent,
        "4. Request sent",
        "The request line, headers and body go out. The browser waits; nothing is rendered yet.",
        Leg::Outbound,
        RawPart::RequestMessage,
    );
    let mut server = Step::new(
        StepKind::ServerWork,
        "5. Server processing",
        "The server reads the request, matches the URL, runs its logic and prepares a response.",
        Leg::Server,
        RawPart::RequestLine,
    );
    let mut back = Step::new(
        StepKind::ResponseBack,
        "6. Response sent back",
        "Status line, headers and body travel back; the server forgets the request.",
        Leg::Inbound,
        RawPart::ResponseMessage,
    );
    let mut handle = Step::new(StepKind::BrowserHandles, "7. Browser handles it", "The browser reads the status first, then the headers, then renders the body; each image, stylesheet or script it names would be a new request.", Leg::Browser, RawPart::StatusLine);

    let mut redirects = None;
    match outcome {
        Outcome::Response { status, timeline: Some(t), .. } => {
            if let Some(p) = t.phase(PhaseKind::Redirect).filter(|p| p.state == PhaseState::Measured) {
                let mut step = Step::new(
                    StepKind::Redirects,
                    "1b. Redirects followed",
                    "The server answered with a 3xx and a Location; the browser sent a new request there, as many times as it was told. Each hop is a whole round trip of its own; the browser tells a page their total time, not how many there were.",
                    Leg::Outbound,
                    RawPart::None,
                );
                step.duration_ms = p.duration_ms;
                step.state = StepState::Measured;
                redirects = Some(step);
            }
            let from = |kind: PhaseKind, step: &mut Step| {
                if let Some(p) = t.phase(kind) {
                    step.duration_ms = p.duration_ms;
                    step.coarse = t.coarse;
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
            server.server = t.server.clone();
            if let Some(split) = crate::timing::split_wait(t) {
                sent.duration_ms = split.rest_ms;
                sent.state = StepState::Measured;
                sent.source = Source::Derived(format!(
                    "the browser's wait ({}) minus the server's own report ({})",
                    format_ms(split.wait_ms),
                    format_ms(split.server_ms)
                ));
                sent.explain = format!(
                    "{} The rest of the wait: the request and the response on their way, and the browser's own work.",
                    sent.explain
                );
                server.duration_ms = split.server_ms;
                server.source = Source::Server;
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
                    server.state = StepState::Failed(format!(
                        "the clock ran out after {after_ms} ms while the server was still working: the browser gave up"
                    ));
                    server.duration_ms = *elapsed_ms;
                }
                Failure::Network { why, .. } => {
                    let no_lookup = "no lookup: the address is already a number";
                    match why {
                        NoResponse::WithheldByCors { host_is_ip, https } => {
                            // It all happened; the browser reports no timings
                            // of an answer it withholds.
                            for s in [&mut dns, &mut tcp, &mut tls, &mut sent, &mut server, &mut back] {
                                s.state = StepState::Hidden;
                            }
                            if *host_is_ip {
                                dns.state = StepState::Skipped(no_lookup.into());
                            }
                            if !*https {
                                tls.state = StepState::Skipped("no TLS on http://".into());
                            }
                            handle.state = StepState::Failed(
                                "the answer arrived, and the browser withheld it from this page: the response did not allow this page's origin (CORS)"
                                    .into(),
                            );
                        }
                        NoResponse::NoServer { host_is_ip: true, https } => {
                            dns.state = StepState::Skipped(no_lookup.into());
                            tcp.state = StepState::Failed(if *https {
                                "no server answered at that address and port, or the TLS handshake failed".into()
                            } else {
                                "no server answered at that address and port: the connection was refused".into()
                            });
                        }
                        NoResponse::NoServer { host_is_ip: false, .. } => {
                            dns.state = StepState::Failed(
                                "no server answered: the name has no address, or nothing listens on that port (JavaScript cannot tell which)"
                                    .into(),
                            );
                        }
                        NoResponse::Untold { host_is_ip: true } => {
                            dns.state = StepState::Skipped(no_lookup.into());
                            tcp.state = StepState::Failed(
                                "no response ever came: the connection or CORS failed (JavaScript cannot tell which)".into(),
                            );
                        }
                        NoResponse::Untold { host_is_ip: false } => {
                            dns.state = StepState::Failed(
                                "no response ever came: DNS, connection or CORS failed (JavaScript cannot tell which)".into(),
                            );
                        }
                    }
                }
                Failure::InvalidUrl { .. } | Failure::InvalidRequest { .. } => {
                    user.state = StepState::Failed("the request could not be built: nothing was sent".into());
                }
                Failure::BadPort { port } => {
                    user.state = StepState::Failed(format!("the browser refuses port {port} by itself: nothing was sent"));
                }
                Failure::BodyFailed { .. } => back.state = StepState::Failed("the body broke off on the way back".into()),
            }
            for s in [&mut back, &mut handle] {
                if !matches!(s.state, StepState::Failed(_) | StepState::Hidden) {
                    s.state = StepState::Skipped("no response arrived".into());
                }
            }
            let withheld = matches!(failure, Failure::Network { why: NoResponse::WithheldByCors { .. }, .. });
            if !matches!(failure, Failure::Timeout { .. }) && !withheld && !matches!(server.state, StepState::Failed(_)) {
                server.state = StepState::Skipped("the request never reached a server that answered".into());
            }
        }
    }
    let mut all = vec![user];
    all.extend(redirects);
    all.extend([dns, tcp, tls, sent, server, back, handle]);
    // Every figure of a whole-millisecond browser's run, derived ones too
    // (sending = the wait minus the server's own report), reads "under 1 ms"
    // rather than a 0 that looks like data.
    // The server's own figure (Server-Timing, when it split the wait) is
    // not the browser's: it keeps its decimals.
    if let Outcome::Response { timeline: Some(t), .. } = outcome {
        let server_reported = t.server.iter().any(|m| m.name == "total" && m.duration_ms.is_some());
        for step in &mut all {
            step.coarse = t.coarse && !(server_reported && step.kind == StepKind::ServerWork && step.state == StepState::Measured);
        }
    }
    all
}

/// How fast the animation plays.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

/// Where the moving message is drawn on the stage, in percent of its width
/// and height: the browser at the left, the server at the right, the DNS
/// resolver above the middle.
pub fn stage_position(leg: Leg, progress: f64) -> (f64, f64) {
    const BROWSER: (f64, f64) = (12.0, 62.0);
    const SERVER: (f64, f64) = (88.0, 62.0);
    const RESOLVER: (f64, f64) = (50.0, 18.0);
    let p = progress.clamp(0.0, 1.0);
    let lerp = |a: (f64, f64), b: (f64, f64), t: f64| (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
    match leg {
        Leg::Browser => BROWSER,
        Leg::Server => SERVER,
        Leg::Outbound => lerp(BROWSER, SERVER, p),
        Leg::Inbound => lerp(SERVER, BROWSER, p),
        // There and back: the question, then the answer.
        Leg::ToResolver if p < 0.5 => lerp(BROWSER, RESOLVER, p * 2.0),
        Leg::ToResolver => lerp(RESOLVER, BROWSER, (p - 0.5) * 2.0),
    }
}

/// The request target (path and query) of an absolute URL, as the request
/// line carries it.
pub fn request_target(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.split('#').next().unwrap_or(rest);
    rest.find(['/', '?']).map_or("/", |i| &rest[i..])
}

/// The request as text, each line tagged with the part it belongs to.
pub fn request_lines(request_line: &str, headers: &[(String, String)], body: &str) -> Vec<(RawPart, String)> {
    let mut out = vec![(RawPart::RequestLine, request_line.to_owned())];
    for (k, v) in headers {
        let part = if k.eq_ignore_ascii_case("host") { RawPart::HostHeader } else { RawPart::RequestMessage };
        out.push((part, format!("{k}: {v}")));
    }
    out.push((RawPart::RequestMessage, String::new()));
    if !body.is_empty() {
        out.push((RawPart::RequestMessage, body.to_owned()));
    }
    out
}

/// The version a status line names for Resource Timing's `nextHopProtocol`.
pub fn http_version(protocol: &str) -> &'static str {
    match protocol {
        "h2" => "HTTP/2",
        "h3" => "HTTP/3",
        "http/1.0" => "HTTP/1.0",
        _ => "HTTP/1.1",
    }
}

/// The response's head as text (the body is shown elsewhere), tagged.
pub fn response_lines(status: u16, reason: &str, protocol: &str, headers: &[(String, String)]) -> Vec<(RawPart, String)> {
    let version = http_version(protocol);
    let mut out = vec![(RawPart::StatusLine, format!("{version} {status} {reason}").trim_end().to_owned())];
    out.extend(headers.iter().map(|(k, v)| (RawPart::ResponseMessage, format!("{k}: {v}"))));
    out.push((RawPart::ResponseMessage, String::new()));
    out
}

/// Whether a line of `part` lights up during a step that concerns `focus`.
pub fn highlights(focus: RawPart, part: RawPart) -> bool {
    match focus {
        RawPart::None => false,
        RawPart::RequestMessage => matches!(part, RawPart::RequestLine | RawPart::HostHeader | RawPart::RequestMessage),
        RawPart::ResponseMessage => matches!(part, RawPart::StatusLine | RawPart::ResponseMessage),
        exact => exact == part,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timing::ResourceTiming;

    #[test]
    fn the_message_moves_between_the_actors() {
        assert_eq!(stage_position(Leg::Outbound, 0.0), (12.0, 62.0));
        assert_eq!(stage_position(Leg::Outbound, 1.0), (88.0, 62.0));
        assert_eq!(stage_position(Leg::Inbound, 0.5), (50.0, 62.0));
        assert_eq!(stage_position(Leg::ToResolver, 0.5), (50.0, 18.0));
        assert_eq!(stage_position(Leg::ToResolver, 1.0), (12.0, 62.0));
        assert_eq!(stage_position(Leg::Server, 0.3), (88.0, 62.0));
    }

    #[test]
    fn request_targets_are_path_and_query() {
        assert_eq!(request_target("http://127.0.0.1:8080/lab/get?x=1#frag"), "/lab/get?x=1");
        assert_eq!(request_target("https://example.org"), "/");
        assert_eq!(request_target("https://example.org?q"), "?q");
    }

    #[test]
    fn raw_lines_are_tagged_for_highlighting() {
        let req = request_lines("GET /lab/get HTTP/1.1", &[("host".into(), "x".into()), ("accept".into(), "*/*".into())], "");
        assert_eq!(req[0], (RawPart::RequestLine, "GET /lab/get HTTP/1.1".into()));
        assert_eq!(req[1].0, RawPart::HostHeader);
        assert_eq!(req.last().unwrap(), &(RawPart::RequestMessage, String::new()), "the blank line ends the head");
        let res = response_lines(404, "Not Found", "http/1.1", &[("content-type".into(), "text/plain".into())]);
        assert_eq!(res[0], (RawPart::StatusLine, "HTTP/1.1 404 Not Found".into()));
        assert_eq!(response_lines(200, "", "h2", &[])[0].1, "HTTP/2 200");
        assert!(highlights(RawPart::RequestMessage, RawPart::HostHeader));
        assert!(highlights(RawPart::HostHeader, RawPart::HostHeader));
        assert!(!highlights(RawPart::HostHeader, RawPart::RequestLine));
        assert!(!highlights(RawPart::None, RawPart::None));
    }

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
        assert_eq!(s[5].summary(), "301.0 ms (reported by the server (Server-Timing))");
        assert_eq!(s[4].summary(), "4.00 ms (derived: the browser's wait (305.0 ms) minus the server's own report (301.0 ms))");
        assert_eq!(s[6].summary(), "0.50 ms (measured by the browser)");
        assert_eq!(s[3].summary(), "skipped: no TLS on http:// (plain text, unencrypted)");
    }

    #[test]
    fn a_whole_millisecond_browser_gets_a_whole_sending_time() {
        // Firefox's wait is whole milliseconds; the server's report is not:
        // 3 − 0.49 is shown as about 3 ms, not 2.51 ms it never measured.
        let mut t = loopback(3.0, 0.49);
        t.coarse = true;
        let s = steps(&Outcome::Response { status: 200, timeline: Some(&t), elapsed_ms: 4.0 });
        assert_eq!((s[4].state.clone(), s[4].duration_ms), (StepState::Measured, 3.0));
        assert_eq!(s[4].figure(), "3 ms");
        assert_eq!(s[5].figure(), "0.49 ms", "the server's own report keeps its decimals");
        let mut t = loopback(1.0, 0.7);
        t.coarse = true;
        let s = steps(&Outcome::Response { status: 200, timeline: Some(&t), elapsed_ms: 2.0 });
        assert_eq!(s[4].figure(), "under 1 ms (this browser reports whole milliseconds)");
    }

    #[test]
    fn redirects_get_a_step_of_their_own_when_measured() {
        let mut entry = ResourceTiming {
            name: "http://127.0.0.1:8080/lab/redirect/2".into(),
            start_time: 0.0,
            redirect_start: 0.1,
            redirect_end: 4.1,
            fetch_start: 4.2,
            domain_lookup_start: 4.2,
            domain_lookup_end: 4.2,
            connect_start: 4.2,
            connect_end: 4.2,
            request_start: 4.3,
            response_start: 5.0,
            response_end: 5.2,
            transfer_size: 100.0,
            encoded_body_size: 10.0,
            ..Default::default()
        };
        let t = entry.timeline();
        let s = steps(&Outcome::Response { status: 200, timeline: Some(&t), elapsed_ms: 5.2 });
        assert_eq!(s.len(), 9);
        assert_eq!(s[1].kind, StepKind::Redirects);
        assert!((s[1].duration_ms - 4.0).abs() < 1e-9);
        entry.redirect_end = 0.0;
        let t = entry.timeline();
        assert_eq!(steps(&Outcome::Response { status: 200, timeline: Some(&t), elapsed_ms: 5.2 }).len(), 8);
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

        let network = Failure::Network { detail: "Failed to fetch".into(), why: NoResponse::Untold { host_is_ip: false } };
        let s = steps(&Outcome::Failed { failure: &network, elapsed_ms: 3.0 });
        assert!(matches!(&s[1].state, StepState::Failed(why) if why.contains("cannot tell")));
        assert!(matches!(s[5].state, StepState::Skipped(_)));

        let t = loopback(2.0, 1.0);
        let s = steps(&Outcome::Response { status: 503, timeline: Some(&t), elapsed_ms: 3.0 });
        assert!(matches!(&s[7].state, StepState::Failed(why) if why.contains("503")));
        assert_eq!(s[6].state, StepState::Measured, "a 5xx still travels back as a response");
    }

    #[test]
    fn each_failure_stops_at_the_step_it_happened_and_an_address_needs_no_lookup() {
        let failed = |failure: &Failure| {
            let s = steps(&Outcome::Failed { failure, elapsed_ms: 3.0 });
            let at = s.iter().position(|s| matches!(s.state, StepState::Failed(_))).expect("one step failed");
            (s, at)
        };
        let network = |why| Failure::Network { detail: "Failed to fetch".into(), why };
        // 0 you act, 1 DNS, 2 TCP, 3 TLS, 4 sent, 5 server, 6 back, 7 handle
        let (s, at) = failed(&network(NoResponse::NoServer { host_is_ip: true, https: false }));
        assert_eq!(at, 2, "a refused connection fails at the connection");
        assert!(matches!(&s[1].state, StepState::Skipped(why) if why.contains("already a number")), "{:?}", s[1].state);
        let (s, at) = failed(&network(NoResponse::NoServer { host_is_ip: false, https: true }));
        assert_eq!(at, 1, "an unknown name or a refusal: JavaScript cannot tell, and says so");
        assert!(matches!(&s[1].state, StepState::Failed(why) if why.contains("cannot tell")));
        let (s, at) = failed(&network(NoResponse::WithheldByCors { host_is_ip: true, https: false }));
        assert_eq!(at, 7, "a CORS block: the answer came, the browser withheld it");
        assert!(matches!(&s[7].state, StepState::Failed(why) if why.contains("CORS")));
        assert_eq!(s[5].state, StepState::Hidden, "the server worked; its timing is withheld");
        assert!(matches!(&s[1].state, StepState::Skipped(_)) && matches!(&s[3].state, StepState::Skipped(_)));
        let (s, at) = failed(&network(NoResponse::Untold { host_is_ip: true }));
        assert_eq!(at, 2);
        assert!(matches!(&s[1].state, StepState::Skipped(why) if why.contains("already a number")));
        let (_, at) = failed(&Failure::BadPort { port: 1 });
        assert_eq!(at, 0, "refused by the browser before anything was sent");
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
