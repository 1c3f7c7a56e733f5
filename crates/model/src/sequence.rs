//! The journey as a sequence diagram to scale: lanes for the browser, the
//! DNS resolver and the server; each network step a band whose height is its
//! measured duration, holding the messages that step is made of.
//!
//! The browser measures phases, not packets: a band's height is data (when
//! the step was measured); the messages drawn inside it are the ones such a
//! phase consists of (a TCP handshake is SYN, SYN-ACK, ACK), spaced evenly,
//! never presented as captured.

use crate::journey::{Step, StepKind, StepState};
use crate::timing::format_ms;

/// The height the measured steps share, in the diagram's units.
pub const SCALE: f64 = 480.0;
/// No band is drawn shorter than this, so that a step of microseconds can
/// be seen and read; such a band says it is drawn larger than it was. A
/// step of three messages (a handshake) needs more room.
pub const MIN_BAND: f64 = 44.0;
pub const MIN_BAND_HANDSHAKE: f64 = 72.0;
/// A step that did not happen: a thin band with the reason.
pub const SKIPPED_BAND: f64 = 22.0;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lane {
    Browser,
    Resolver,
    Server,
}

/// One message of a step, drawn at `at` (0 top … 1 bottom of its band).
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    pub from: Lane,
    pub to: Lane,
    pub label: String,
    pub at: f64,
}

/// What a band's height says.
#[derive(Clone, Debug, PartialEq)]
pub enum Scale {
    /// To scale: the measured duration.
    Measured,
    /// Measured, but drawn at the minimum height (it was shorter).
    AtMinimum,
    /// The browser hides this phase: the height is not data.
    Illustrative,
    /// It did not happen, for this reason.
    Skipped(String),
    /// The request failed here.
    Failed(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Band {
    /// Index of the step in the journey's list (for the replay's highlight).
    pub step: usize,
    pub kind: StepKind,
    pub title: String,
    pub figure: String,
    pub top: f64,
    pub height: f64,
    pub scale: Scale,
    pub messages: Vec<Message>,
    /// The server's own steps (Server-Timing), inside the server lane.
    pub server: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Diagram {
    pub bands: Vec<Band>,
    pub height: f64,
    /// Diagram units per millisecond for the measured bands (0: none measured).
    pub per_ms: f64,
}

impl Diagram {
    /// Where the replay stands: the band of step `step`, `progress` (0…1)
    /// through it. Steps without a band (the click, rendering) sit at the
    /// top or bottom.
    pub fn position(&self, step: usize, progress: f64) -> f64 {
        match self.bands.iter().find(|b| b.step == step) {
            Some(b) => b.top + b.height * progress.clamp(0.0, 1.0),
            None if self.bands.first().is_some_and(|b| step < b.step) => 0.0,
            None => self.bands.iter().rev().find(|b| b.step < step).map_or(0.0, |b| b.top + b.height),
        }
    }
}

fn m(from: Lane, to: Lane, label: impl Into<String>, at: f64) -> Message {
    Message { from, to, label: label.into(), at }
}

/// The diagram of `steps` (from `journey::steps`); `request_line` and
/// `status_line` label the request and response messages.
pub fn diagram(steps: &[Step], request_line: &str, status_line: &str) -> Diagram {
    use Lane::{Browser, Resolver, Server};
    let network = |k: StepKind| !matches!(k, StepKind::UserAction | StepKind::BrowserHandles);
    let measured_total: f64 =
        steps.iter().filter(|s| network(s.kind) && s.state == StepState::Measured).map(|s| s.duration_ms.max(0.0)).sum();
    let per_ms = if measured_total > 0.0 { SCALE / measured_total } else { 0.0 };
    let mut top = 0.0;
    let mut bands = Vec::new();
    for (i, s) in steps.iter().enumerate().filter(|(_, s)| network(s.kind)) {
        let least = if matches!(s.kind, StepKind::Connect | StepKind::Tls) { MIN_BAND_HANDSHAKE } else { MIN_BAND };
        let (scale, height) = match &s.state {
            StepState::Measured => {
                let h = s.duration_ms.max(0.0) * per_ms;
                if h < least {
                    (Scale::AtMinimum, least)
                } else {
                    (Scale::Measured, h)
                }
            }
            StepState::Skipped(why) => (Scale::Skipped(why.clone()), SKIPPED_BAND),
            StepState::Hidden | StepState::NotTimed => (Scale::Illustrative, least),
            StepState::Failed(why) => (Scale::Failed(why.clone()), least),
        };
        // Without the server's own report the browser times sending and
        // waiting as one: the request still went out (the server answered).
        let sent_anyway = s.kind == StepKind::RequestSent
            && steps.iter().any(|x| x.kind == StepKind::ServerWork && matches!(x.state, StepState::Measured | StepState::Hidden));
        let messages = if matches!(scale, Scale::Skipped(_)) && !sent_anyway {
            Vec::new()
        } else {
            match s.kind {
                StepKind::Redirects => vec![m(Browser, Server, "request", 0.2), m(Server, Browser, "3xx + Location: go elsewhere", 0.8)],
                StepKind::Dns => {
                    vec![m(Browser, Resolver, "query: which address?", 0.2), m(Resolver, Browser, "answer: the IP address", 0.8)]
                }
                StepKind::Connect => {
                    vec![m(Browser, Server, "SYN", 0.18), m(Server, Browser, "SYN-ACK", 0.5), m(Browser, Server, "ACK", 0.82)]
                }
                StepKind::Tls => vec![
                    m(Browser, Server, "ClientHello", 0.18),
                    m(Server, Browser, "ServerHello, certificate, Finished", 0.5),
                    m(Browser, Server, "Finished", 0.82),
                ],
                StepKind::RequestSent => vec![m(Browser, Server, request_line, 0.5)],
                StepKind::ResponseBack => vec![m(Server, Browser, format!("{status_line} … and the body"), 0.5)],
                StepKind::ServerWork | StepKind::UserAction | StepKind::BrowserHandles => Vec::new(),
            }
        };
        let server = if s.kind == StepKind::ServerWork {
            s.server.iter().map(|m| format!("{} {}", m.name, m.duration_ms.map(format_ms).unwrap_or_default())).collect()
        } else {
            Vec::new()
        };
        bands.push(Band { step: i, kind: s.kind, title: s.title.clone(), figure: s.figure(), top, height, scale, messages, server });
        top += height;
    }
    Diagram { bands, height: top, per_ms }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journey::{steps, Outcome};
    use crate::timing::ResourceTiming;

    fn https_timeline() -> crate::timing::Timeline {
        // A new HTTPS connection: DNS 5, connect 2 (TLS 8 of it… here after),
        // request 0.2, server 30, download 0.05.
        ResourceTiming {
            name: "https://lab.test/lab/get".into(),
            next_hop_protocol: "h2".into(),
            fetch_start: 1.0,
            domain_lookup_start: 1.0,
            domain_lookup_end: 6.0,
            connect_start: 6.0,
            secure_connection_start: 8.0,
            connect_end: 16.0,
            request_start: 16.0,
            response_start: 46.0,
            response_end: 46.05,
            ..Default::default()
        }
        .timeline()
    }

    #[test]
    fn measured_steps_are_drawn_to_scale_and_short_ones_at_a_minimum_said_so() {
        let timeline = https_timeline();
        let s = steps(&Outcome::Response { status: 200, timeline: Some(&timeline), elapsed_ms: 46.0 });
        let d = diagram(&s, "GET /lab/get HTTP/2", "HTTP/2 200 OK");
        let band = |k: StepKind| d.bands.iter().find(|b| b.kind == k).unwrap();
        let (dns, tls) = (band(StepKind::Dns), band(StepKind::Tls));
        assert_eq!(dns.scale, Scale::Measured);
        assert_eq!(tls.scale, Scale::Measured);
        assert!((tls.height / dns.height - 8.0 / 5.0).abs() < 1e-9, "heights in proportion to the durations");
        assert_eq!(band(StepKind::ResponseBack).scale, Scale::AtMinimum, "0.05 ms is drawn larger, and says so");
        assert_eq!(
            band(StepKind::Tls).messages.iter().map(|m| m.label.as_str()).collect::<Vec<_>>(),
            ["ClientHello", "ServerHello, certificate, Finished", "Finished"]
        );
        assert_eq!(band(StepKind::Connect).messages.len(), 3, "SYN, SYN-ACK, ACK");
        assert_eq!(band(StepKind::RequestSent).messages[0].label, "GET /lab/get HTTP/2");
        assert!(d.bands.windows(2).all(|w| (w[0].top + w[0].height - w[1].top).abs() < 1e-9), "bands follow each other");
        assert!(d.bands.iter().all(|b| b.kind != StepKind::UserAction && b.kind != StepKind::BrowserHandles), "only network steps");
    }

    #[test]
    fn a_skipped_step_has_its_reason_and_no_messages_and_the_replay_moves_through_bands() {
        let plain = ResourceTiming {
            name: "http://127.0.0.1:8080/lab/get".into(),
            fetch_start: 1.0,
            domain_lookup_start: 1.0,
            domain_lookup_end: 1.0,
            connect_start: 1.0,
            connect_end: 1.0,
            request_start: 1.5,
            response_start: 3.0,
            response_end: 3.2,
            ..Default::default()
        }
        .timeline();
        let s = steps(&Outcome::Response { status: 200, timeline: Some(&plain), elapsed_ms: 3.0 });
        let d = diagram(&s, "GET /lab/get HTTP/1.1", "HTTP/1.1 200 OK");
        let tls = d.bands.iter().find(|b| b.kind == StepKind::Tls).unwrap();
        assert!(matches!(&tls.scale, Scale::Skipped(why) if why.contains("http://")), "{:?}", tls.scale);
        assert!(tls.messages.is_empty());
        let first = &d.bands[0];
        assert_eq!(d.position(first.step, 0.0), first.top);
        assert_eq!(d.position(first.step, 0.5), first.top + first.height / 2.0);
        assert_eq!(d.position(0, 0.3), 0.0, "the click comes before any band");
        assert_eq!(d.position(s.len() - 1, 0.5), d.height, "rendering comes after them all");
    }
}
