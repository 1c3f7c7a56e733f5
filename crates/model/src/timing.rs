//! Timing phases: from a browser's Resource Timing entry to the steps of one
//! request, each either measured, skipped (with the reason), or hidden.
//!
//! The rules here decide what Roundtrip may claim as data. Nothing is invented:
//! a phase the browser reports as zero is "skipped" with the reason we can tell,
//! and a phase the browser withholds (cross-origin without
//! `Timing-Allow-Origin`) is "hidden".

use crate::server_timing::Metric;
use serde::{Deserialize, Serialize};

/// The fields of a `PerformanceResourceTiming` entry, in milliseconds relative
/// to the page's time origin (0 where the browser withholds a value).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ResourceTiming {
    pub name: String,
    pub initiator_type: String,
    pub next_hop_protocol: String,
    pub delivery_type: String,
    pub start_time: f64,
    pub redirect_start: f64,
    pub redirect_end: f64,
    pub fetch_start: f64,
    pub domain_lookup_start: f64,
    pub domain_lookup_end: f64,
    pub connect_start: f64,
    pub secure_connection_start: f64,
    pub connect_end: f64,
    pub request_start: f64,
    pub response_start: f64,
    pub response_end: f64,
    pub duration: f64,
    pub transfer_size: f64,
    pub encoded_body_size: f64,
    pub decoded_body_size: f64,
    /// 0 where the browser does not expose it.
    pub response_status: u16,
    pub server_timing: Vec<Metric>,
    /// What is known, beyond the entry's marks, about the connection this
    /// request used (the lab says which connection answered).
    #[serde(default)]
    pub connection: Connection,
}

/// Whether a request opened a connection or reused one, from evidence that
/// does not depend on the timer's precision.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Connection {
    /// Only the entry's marks can tell.
    #[default]
    Unknown,
    /// The server saw this connection for the first time.
    New,
    /// The server had answered on this connection before, in this tab.
    Reused,
}

/// The steps of one request, in the order they happen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PhaseKind {
    Redirect,
    Queue,
    Dns,
    Connect,
    Tls,
    Stalled,
    Waiting,
    Download,
}

impl PhaseKind {
    pub const ALL: [PhaseKind; 8] = [
        PhaseKind::Redirect,
        PhaseKind::Queue,
        PhaseKind::Dns,
        PhaseKind::Connect,
        PhaseKind::Tls,
        PhaseKind::Stalled,
        PhaseKind::Waiting,
        PhaseKind::Download,
    ];

    pub fn label(self) -> &'static str {
        match self {
            PhaseKind::Redirect => "Redirects",
            PhaseKind::Queue => "Queued",
            PhaseKind::Dns => "DNS lookup",
            PhaseKind::Connect => "TCP connect",
            PhaseKind::Tls => "TLS handshake",
            PhaseKind::Stalled => "Stalled",
            PhaseKind::Waiting => "Request sent → first byte",
            PhaseKind::Download => "Response download",
        }
    }

    /// What happens in this step, in one sentence.
    pub fn explain(self) -> &'static str {
        match self {
            PhaseKind::Redirect => "The server answered with a 3xx and the browser followed it to another URL.",
            PhaseKind::Queue => "The browser held the request back, e.g. waiting for a free connection.",
            PhaseKind::Dns => "The browser asked DNS which IP address the host name stands for.",
            PhaseKind::Connect => "The browser opened a TCP connection to the server's IP and port.",
            PhaseKind::Tls => "Browser and server agreed on keys so that everything after is encrypted.",
            PhaseKind::Stalled => {
                "The connection was ready, but the request had not gone out yet: the browser was still preparing or queueing it."
            }
            PhaseKind::Waiting => {
                "The request went out and the browser waited while the server worked, until the first byte of the answer came back."
            }
            PhaseKind::Download => "The rest of the response arrived, from the first byte to the last.",
        }
    }

    /// A CSS-friendly name, shared by every view that colours phases.
    pub fn slug(self) -> &'static str {
        match self {
            PhaseKind::Redirect => "redirect",
            PhaseKind::Queue => "queue",
            PhaseKind::Dns => "dns",
            PhaseKind::Connect => "connect",
            PhaseKind::Tls => "tls",
            PhaseKind::Stalled => "stalled",
            PhaseKind::Waiting => "waiting",
            PhaseKind::Download => "download",
        }
    }
}

/// Why a phase did not happen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Skip {
    NoRedirect,
    NotQueued,
    NotStalled,
    IpAddressHost,
    Localhost,
    DnsCached,
    ConnectionReused,
    PlainHttp,
    CacheHit,
    /// Whole-millisecond timers: a reused connection and a new one set up
    /// in under a millisecond look the same.
    WholeMilliseconds,
}

impl Skip {
    pub fn reason(self) -> &'static str {
        match self {
            Skip::NoRedirect => "no redirect",
            Skip::NotQueued => "started at once, no queue",
            Skip::NotStalled => "sent as soon as the connection was ready",
            Skip::IpAddressHost => "no DNS: the host is already an IP address",
            Skip::Localhost => "no DNS: localhost is resolved by the machine itself",
            Skip::DnsCached => "no lookup: the address was already known (DNS cache)",
            Skip::ConnectionReused => "connection reused (keep-alive): nothing to set up",
            Skip::PlainHttp => "no TLS on http:// (plain text, unencrypted)",
            Skip::CacheHit => "served from the browser's cache: no network",
            Skip::WholeMilliseconds => {
                "none measured: under 1 ms, or a reused connection (this browser reports whole milliseconds, so the two look the same)"
            }
        }
    }
}

/// Whether a phase's number is data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PhaseState {
    /// The browser measured it.
    Measured,
    /// It did not happen, for this reason.
    Skipped(Skip),
    /// It may have happened, but the browser does not tell this page: a
    /// cross-origin response without `Timing-Allow-Origin`.
    Hidden,
}

/// One step of a request on the time axis.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Phase {
    pub kind: PhaseKind,
    /// Milliseconds from the request's start.
    pub start_ms: f64,
    pub duration_ms: f64,
    pub state: PhaseState,
}

/// A request's timeline, ready to draw.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    pub phases: Vec<Phase>,
    /// `responseEnd - startTime`: always measured.
    pub total_ms: f64,
    /// The server's own metrics, from `Server-Timing` (empty when hidden).
    pub server: Vec<Metric>,
    /// True when the browser withheld the detail (no `Timing-Allow-Origin`).
    pub hidden: bool,
    pub protocol: String,
    /// The browser reports whole milliseconds (Firefox, Safari): a phase of
    /// 0 ms there means "under 1 ms", not "nothing".
    #[serde(default)]
    pub coarse: bool,
}

/// The browser's wait for the first byte, split by the server's own report
/// of its work (Server-Timing `total`): the server's part, and the rest,
/// derived (the request and the response on their way, and the browser's
/// own work). In a whole-millisecond browser the wait is whole, and so is
/// the rest: 3 − 0.49 is "about 3", not 2.51. One function for the journey
/// and the Timing tab, so that they never disagree.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WaitSplit {
    pub wait_ms: f64,
    pub server_ms: f64,
    pub rest_ms: f64,
}

pub fn split_wait(t: &Timeline) -> Option<WaitSplit> {
    let wait = t.phase(PhaseKind::Waiting).filter(|p| p.state == PhaseState::Measured)?.duration_ms;
    let work = t.server.iter().find(|m| m.name == "total").and_then(|m| m.duration_ms)?;
    let rest = (wait - work).max(0.0);
    Some(WaitSplit { wait_ms: wait, server_ms: work.min(wait), rest_ms: if t.coarse { rest.round() } else { rest } })
}

/// Whether a URL goes to this machine itself (loopback): no network in between.
pub fn is_loopback_url(url: &str) -> bool {
    let Some((_, rest)) = url.split_once("://") else { return false };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let host = if host_port.starts_with('[') {
        host_port.split(']').next().unwrap_or("").trim_start_matches('[')
    } else {
        host_port.rsplit_once(':').map_or(host_port, |(h, _)| h)
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    host == "localhost" || host.ends_with(".localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// A measured duration as people read it; a measured 0 is never "0.00 ms":
/// from a whole-millisecond browser it is "under 1 ms", and Chromium rounds
/// its marks to 0.1 ms (5 µs at best), so there it is "under 0.1 ms".
pub fn measured_figure(ms: f64, coarse: bool) -> String {
    if coarse && ms < 1.0 {
        "under 1 ms (this browser reports whole milliseconds)".into()
    } else if coarse && ms < 1000.0 {
        // Whole milliseconds shown as whole: "9 ms", not "9.00 ms", whose
        // decimals the browser never measured.
        format!("{:.0} ms", ms.round())
    } else if ms == 0.0 {
        "under 0.1 ms".into()
    } else {
        format_ms(ms)
    }
}

/// A total from start to last byte: whole milliseconds where the browser
/// measured only those (as its phases read), else as `format_ms`.
pub fn total_figure(ms: f64, coarse: bool) -> String {
    if coarse {
        measured_figure(ms, true)
    } else {
        format_ms(ms)
    }
}

pub const HIDDEN_REASON: &str = "hidden by the browser: the response is cross-origin and has no Timing-Allow-Origin header";

impl ResourceTiming {
    /// Whether this request opened a connection (`Some(true)`), reused one
    /// (`Some(false)`), or cannot be told (`None`). The server's word (the
    /// lab's `X-Roundtrip-Connection`) decides first. Else the marks: on a
    /// reused connection the Fetch standard sets every connection mark (DNS,
    /// connect, TLS) to `fetchStart`; a new one spends time connecting, or at
    /// least starts its TLS handshake after it started fetching. Where the
    /// browser rounds to whole milliseconds (`coarse`), a setup under 1 ms
    /// leaves equal marks too: unknown, not "reused".
    pub fn opened_connection(&self, coarse: bool) -> Option<bool> {
        match self.connection {
            Connection::New => Some(true),
            Connection::Reused => Some(false),
            Connection::Unknown if self.connect_end > self.connect_start || self.secure_connection_start > self.fetch_start => Some(true),
            Connection::Unknown if coarse => None,
            Connection::Unknown => Some(false),
        }
    }

    /// Cross-origin without `Timing-Allow-Origin`: only start, end and
    /// duration are exposed, every other mark is 0.
    pub fn is_hidden(&self) -> bool {
        self.request_start == 0.0 && self.response_start == 0.0 && self.response_end > 0.0
    }

    /// Served from the HTTP cache without touching the network.
    pub fn is_cache_hit(&self) -> bool {
        self.delivery_type == "cache" || (!self.is_hidden() && self.transfer_size == 0.0 && self.encoded_body_size > 0.0)
    }

    /// Every mark is a whole number of milliseconds: Firefox and Safari
    /// round them (Chromium reports fractions).
    pub fn whole_milliseconds(&self) -> bool {
        let marks = [
            self.start_time,
            self.fetch_start,
            self.domain_lookup_start,
            self.domain_lookup_end,
            self.connect_start,
            self.connect_end,
            self.request_start,
            self.response_start,
            self.response_end,
        ];
        // WebKit's whole numbers carry float noise (2171.0000000000005).
        marks.iter().any(|m| *m > 0.0) && marks.iter().all(|m| (m - m.round()).abs() < 1e-6)
    }

    /// Splits the entry into phases. See the module's rules.
    pub fn timeline(&self) -> Timeline {
        let total_ms = (self.response_end - self.start_time).max(0.0);
        let protocol = self.next_hop_protocol.clone();
        let coarse = self.whole_milliseconds();
        if self.is_hidden() {
            let phases =
                PhaseKind::ALL.iter().map(|&kind| Phase { kind, start_ms: 0.0, duration_ms: 0.0, state: PhaseState::Hidden }).collect();
            return Timeline { phases, total_ms, server: Vec::new(), hidden: true, protocol, coarse };
        }
        let t0 = self.start_time;
        let span = |kind, from: f64, to: f64, skip: Option<Skip>| {
            let duration_ms = (to - from).max(0.0);
            let state = match skip {
                Some(reason) if duration_ms == 0.0 => PhaseState::Skipped(reason),
                _ => PhaseState::Measured,
            };
            Phase { kind, start_ms: (from - t0).max(0.0), duration_ms, state }
        };
        let cache = self.is_cache_hit();
        let (reused, opened) = match self.opened_connection(coarse) {
            Some(true) => (false, true),
            Some(false) => (true, false),
            None => (false, false),
        };
        let unknown = !reused && !opened;
        // A new connection's setup is a measurement even when it rounds to 0.
        let span_opened = |kind, from: f64, to: f64, skip: Skip| {
            let mut p = span(kind, from, to, Some(skip));
            if opened && !cache {
                p.state = PhaseState::Measured;
            }
            p
        };
        let host = Host::of_url(&self.name);
        let mut phases = Vec::with_capacity(7);

        if self.redirect_end > 0.0 {
            phases.push(span(PhaseKind::Redirect, self.redirect_start, self.redirect_end, None));
        } else {
            phases.push(span(PhaseKind::Redirect, t0, t0, Some(Skip::NoRedirect)));
        }
        let queue_end = if self.domain_lookup_start > 0.0 { self.domain_lookup_start } else { self.fetch_start };
        phases.push(span(PhaseKind::Queue, self.fetch_start, queue_end, Some(Skip::NotQueued)));

        let dns_skip = if cache {
            Skip::CacheHit
        } else if host.is_ip {
            Skip::IpAddressHost
        } else if host.name == "localhost" || host.name.ends_with(".localhost") {
            Skip::Localhost
        } else if reused {
            Skip::ConnectionReused
        } else {
            Skip::DnsCached
        };
        phases.push(span(PhaseKind::Dns, self.domain_lookup_start, self.domain_lookup_end, Some(dns_skip)));

        let connect_skip = if cache {
            Skip::CacheHit
        } else if unknown {
            Skip::WholeMilliseconds
        } else {
            Skip::ConnectionReused
        };
        let tls_skip = if cache {
            Skip::CacheHit
        } else if host.scheme == "http" {
            Skip::PlainHttp
        } else if unknown {
            Skip::WholeMilliseconds
        } else {
            Skip::ConnectionReused
        };
        if self.secure_connection_start > 0.0 {
            phases.push(span_opened(PhaseKind::Connect, self.connect_start, self.secure_connection_start, connect_skip));
            phases.push(span_opened(PhaseKind::Tls, self.secure_connection_start, self.connect_end, tls_skip));
        } else {
            phases.push(span_opened(PhaseKind::Connect, self.connect_start, self.connect_end, connect_skip));
            let at = self.connect_end;
            phases.push(span(PhaseKind::Tls, at, at, Some(tls_skip)));
        }
        phases.push(span(PhaseKind::Stalled, self.connect_end, self.request_start, Some(Skip::NotStalled)));
        phases.push(span(PhaseKind::Waiting, self.request_start, self.response_start, None));
        phases.push(span(PhaseKind::Download, self.response_start, self.response_end, None));
        Timeline { phases, total_ms, server: self.server_timing.clone(), hidden: false, protocol, coarse }
    }
}

impl Timeline {
    pub fn phase(&self, kind: PhaseKind) -> Option<&Phase> {
        self.phases.iter().find(|p| p.kind == kind)
    }
}

/// Connection setup (DNS, TCP, TLS) that was measured, in ms.
pub fn setup_ms(t: &Timeline) -> f64 {
    [PhaseKind::Dns, PhaseKind::Connect, PhaseKind::Tls]
        .iter()
        .filter_map(|k| t.phase(*k))
        .filter(|p| p.state == PhaseState::Measured)
        .map(|p| p.duration_ms)
        .sum()
}

/// How a request got its connection, as far as the timeline can tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setup {
    /// A new connection was set up (measured, perhaps under 1 ms).
    Opened,
    /// An open connection was reused, or the cache answered.
    None,
    /// Whole-millisecond timers and no other evidence: cannot tell.
    Unknown,
}

pub fn setup_of(t: &Timeline) -> Setup {
    match t.phase(PhaseKind::Connect).map(|p| p.state) {
        Some(PhaseState::Measured) => Setup::Opened,
        Some(PhaseState::Skipped(Skip::WholeMilliseconds)) => Setup::Unknown,
        _ => Setup::None,
    }
}

/// What "send twice" shows: what the first request paid that the second did not.
pub fn cold_warm_verdict(first: &Timeline, second: &Timeline) -> String {
    if first.hidden || second.hidden {
        return "The browser hides the phases of this cross-origin response, so the two runs can only be compared by their totals.".into();
    }
    let cost = |t: &Timeline| measured_figure(setup_ms(t), t.coarse);
    match (setup_of(first), setup_of(second)) {
        (Setup::Opened, Setup::None) => format!(
            "Connection setup cost {} the first time and nothing the second: the browser kept the connection open (keep-alive) and reused it. That is why the second request is faster.",
            cost(first)
        ),
        (Setup::None, Setup::None) => "Both requests reused a connection the browser already had open to this server, so neither paid for DNS, TCP or TLS. Send to a host this page has not talked to yet to see a connection being set up.".into(),
        (Setup::Opened, Setup::Opened) => format!(
            "Connection setup: {} the first time, {} the second. The browser opened a new connection for the second request too (it may keep several per server).",
            cost(first),
            cost(second)
        ),
        (Setup::None, Setup::Opened) => format!(
            "The first request reused an open connection; the second opened a new one ({}): the browser may keep several per server and closes idle ones.",
            cost(second)
        ),
        _ => "This browser reports whole milliseconds and this server does not say which connection answered, so a connection set up in under a millisecond and a reused one look the same here. Compare the totals, or send to the lab, which says which connection answered.".into(),
    }
}

/// A duration as people read it: "0.42 ms", "12.3 ms", "1.25 s".
pub fn format_ms(ms: f64) -> String {
    if !ms.is_finite() {
        return "–".into();
    }
    match ms.abs() {
        a if a < 10.0 => format!("{ms:.2} ms"),
        a if a < 1000.0 => format!("{ms:.1} ms"),
        _ => format!("{:.2} s", ms / 1000.0),
    }
}

/// The parts of a URL the phase rules need.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Host {
    pub scheme: String,
    pub name: String,
    pub is_ip: bool,
}

impl Host {
    /// Reads scheme and host from an absolute URL; lenient, as it only labels.
    pub fn of_url(url: &str) -> Host {
        let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let name = if let Some(v6) = hostport.strip_prefix('[') {
            v6.split(']').next().unwrap_or("").to_owned()
        } else {
            hostport.split(':').next().unwrap_or("").to_owned()
        }
        .to_ascii_lowercase();
        let is_ip = name.parse::<std::net::IpAddr>().is_ok();
        Host { scheme: scheme.to_ascii_lowercase(), name, is_ip }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A same-origin fetch over a reused loopback connection, as Chromium
    /// recorded it (http://127.0.0.1:8080/lab/anything).
    fn reused_loopback() -> ResourceTiming {
        ResourceTiming {
            name: "http://127.0.0.1:8080/lab/anything".into(),
            initiator_type: "fetch".into(),
            next_hop_protocol: "http/1.1".into(),
            start_time: 1000.0,
            fetch_start: 1000.0,
            domain_lookup_start: 1000.0,
            domain_lookup_end: 1000.0,
            connect_start: 1000.0,
            connect_end: 1000.0,
            request_start: 1000.4,
            response_start: 1002.9,
            response_end: 1003.5,
            duration: 3.5,
            transfer_size: 900.0,
            encoded_body_size: 600.0,
            decoded_body_size: 600.0,
            response_status: 200,
            server_timing: vec![Metric::new("handler", 0.2, "")],
            ..Default::default()
        }
    }

    fn state(t: &Timeline, kind: PhaseKind) -> PhaseState {
        t.phase(kind).unwrap().state
    }

    #[test]
    fn one_rule_tells_a_new_connection_from_a_reused_one() {
        let reused = reused_loopback();
        assert_eq!(reused.opened_connection(false), Some(false));
        // Whole milliseconds: equal marks may hide a setup under 1 ms.
        assert_eq!(reused.opened_connection(true), None);
        // The server's word decides, whatever the marks.
        assert_eq!(ResourceTiming { connection: Connection::New, ..reused_loopback() }.opened_connection(false), Some(true));
        assert_eq!(ResourceTiming { connection: Connection::Reused, ..reused_loopback() }.opened_connection(true), Some(false));
        // Time spent connecting, or a TLS handshake that began after the fetch did.
        let connected = ResourceTiming { connect_end: 1001.0, ..reused_loopback() };
        assert_eq!(connected.opened_connection(true), Some(true));
        let tls = ResourceTiming { secure_connection_start: 1000.3, connect_end: 1000.0, ..reused_loopback() };
        assert_eq!(tls.opened_connection(true), Some(true));
    }

    #[test]
    fn reused_loopback_connection_skips_setup_with_reasons() {
        let t = reused_loopback().timeline();
        assert!(!t.hidden);
        assert_eq!(state(&t, PhaseKind::Redirect), PhaseState::Skipped(Skip::NoRedirect));
        assert_eq!(state(&t, PhaseKind::Dns), PhaseState::Skipped(Skip::IpAddressHost));
        assert_eq!(state(&t, PhaseKind::Connect), PhaseState::Skipped(Skip::ConnectionReused));
        assert_eq!(state(&t, PhaseKind::Tls), PhaseState::Skipped(Skip::PlainHttp));
        let waiting = t.phase(PhaseKind::Waiting).unwrap();
        assert_eq!(waiting.state, PhaseState::Measured);
        assert!((waiting.duration_ms - 2.5).abs() < 1e-9);
        assert!((waiting.start_ms - 0.4).abs() < 1e-9);
        let download = t.phase(PhaseKind::Download).unwrap();
        assert!((download.duration_ms - 0.6).abs() < 1e-9);
        let stalled = t.phase(PhaseKind::Stalled).unwrap();
        assert_eq!(stalled.state, PhaseState::Measured);
        assert!((stalled.duration_ms - 0.4).abs() < 1e-9);
        // Every millisecond of the total belongs to some phase.
        let sum: f64 = t.phases.iter().map(|p| p.duration_ms).sum();
        assert!((sum - t.total_ms).abs() < 1e-9, "{sum} vs {}", t.total_ms);
        assert!((t.total_ms - 3.5).abs() < 1e-9);
        assert_eq!(t.server.len(), 1);
    }

    #[test]
    fn new_https_connection_measures_dns_tcp_and_tls() {
        let e = ResourceTiming {
            name: "https://example.org/".into(),
            start_time: 0.0,
            fetch_start: 0.0,
            domain_lookup_start: 1.0,
            domain_lookup_end: 21.0,
            connect_start: 21.0,
            secure_connection_start: 41.0,
            connect_end: 81.0,
            request_start: 82.0,
            response_start: 182.0,
            response_end: 190.0,
            transfer_size: 1000.0,
            encoded_body_size: 700.0,
            ..Default::default()
        };
        let t = e.timeline();
        let d = |k| t.phase(k).unwrap().duration_ms;
        assert_eq!(d(PhaseKind::Queue), 1.0);
        assert_eq!(d(PhaseKind::Stalled), 1.0);
        assert_eq!(d(PhaseKind::Dns), 20.0);
        assert_eq!(d(PhaseKind::Connect), 20.0);
        assert_eq!(d(PhaseKind::Tls), 40.0);
        assert_eq!(d(PhaseKind::Waiting), 100.0);
        assert_eq!(d(PhaseKind::Download), 8.0);
        assert_eq!(state(&t, PhaseKind::Redirect), PhaseState::Skipped(Skip::NoRedirect));
        assert!(t.phases[1..].iter().all(|p| p.state == PhaseState::Measured));
    }

    #[test]
    fn cross_origin_without_tao_is_hidden_not_zero() {
        let e = ResourceTiming {
            name: "https://other.example/api".into(),
            start_time: 10.0,
            fetch_start: 10.0,
            response_end: 95.0,
            duration: 85.0,
            server_timing: vec![],
            ..Default::default()
        };
        let t = e.timeline();
        assert!(t.hidden);
        assert!(t.phases.iter().all(|p| p.state == PhaseState::Hidden));
        assert_eq!(t.total_ms, 85.0);
    }

    #[test]
    fn cache_hit_says_so() {
        let e = ResourceTiming {
            name: "https://example.org/app.css".into(),
            delivery_type: "cache".into(),
            start_time: 5.0,
            fetch_start: 5.0,
            domain_lookup_start: 5.0,
            domain_lookup_end: 5.0,
            connect_start: 5.0,
            connect_end: 5.0,
            request_start: 5.2,
            response_start: 5.3,
            response_end: 5.5,
            transfer_size: 0.0,
            encoded_body_size: 2000.0,
            ..Default::default()
        };
        let t = e.timeline();
        assert_eq!(state(&t, PhaseKind::Dns), PhaseState::Skipped(Skip::CacheHit));
        assert_eq!(state(&t, PhaseKind::Connect), PhaseState::Skipped(Skip::CacheHit));
        assert_eq!(state(&t, PhaseKind::Tls), PhaseState::Skipped(Skip::CacheHit));
    }

    #[test]
    fn redirects_are_measured_when_present() {
        let e = ResourceTiming {
            name: "http://localhost:8080/lab/get".into(),
            start_time: 0.0,
            redirect_start: 0.5,
            redirect_end: 9.5,
            fetch_start: 9.6,
            domain_lookup_start: 9.6,
            domain_lookup_end: 9.6,
            connect_start: 9.6,
            connect_end: 9.6,
            request_start: 9.7,
            response_start: 11.0,
            response_end: 11.2,
            transfer_size: 300.0,
            encoded_body_size: 10.0,
            ..Default::default()
        };
        let t = e.timeline();
        let r = t.phase(PhaseKind::Redirect).unwrap();
        assert_eq!((r.state, r.duration_ms), (PhaseState::Measured, 9.0));
        assert_eq!(state(&t, PhaseKind::Dns), PhaseState::Skipped(Skip::Localhost));
    }

    #[test]
    fn cold_and_warm_runs_are_compared_by_setup_paid() {
        let warm = reused_loopback().timeline();
        let cold = ResourceTiming {
            name: "http://localhost:8080/lab/get".into(),
            start_time: 0.0,
            fetch_start: 0.0,
            domain_lookup_start: 0.5,
            domain_lookup_end: 1.5,
            connect_start: 1.5,
            connect_end: 2.0,
            request_start: 2.1,
            response_start: 3.0,
            response_end: 3.2,
            transfer_size: 100.0,
            encoded_body_size: 10.0,
            ..Default::default()
        }
        .timeline();
        assert_eq!(setup_ms(&cold), 1.5);
        assert_eq!(setup_ms(&warm), 0.0);
        assert!(cold_warm_verdict(&cold, &warm).starts_with("Connection setup cost 1.50 ms the first time and nothing the second"));
        assert!(cold_warm_verdict(&warm, &warm).starts_with("Both requests reused"));
        assert!(cold_warm_verdict(&cold, &cold).contains("new connection for the second"));
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(format_ms(0.4213), "0.42 ms");
        assert_eq!(format_ms(12.34), "12.3 ms");
        assert_eq!(format_ms(1250.0), "1.25 s");
        assert_eq!(format_ms(f64::NAN), "–");
    }

    #[test]
    fn hosts_are_read_from_tricky_urls() {
        let check = |url: &str, scheme: &str, name: &str, is_ip: bool| {
            assert_eq!(Host::of_url(url), Host { scheme: scheme.into(), name: name.into(), is_ip }, "{url}");
        };
        check("http://127.0.0.1:8080/x", "http", "127.0.0.1", true);
        check("https://[::1]:8443/x?y#z", "https", "::1", true);
        check("HTTPS://user:pw@Example.ORG?q", "https", "example.org", false);
        check("http://localhost", "http", "localhost", false);
    }

    /// Firefox and Safari: every mark a whole millisecond, and a brand-new
    /// loopback connection with connectStart == connectEnd.
    fn whole_ms_new_connection() -> ResourceTiming {
        ResourceTiming { request_start: 1000.0, response_start: 1003.0, response_end: 1003.0, ..reused_loopback() }
    }

    #[test]
    fn whole_milliseconds_alone_never_claim_a_reused_connection() {
        let e = whole_ms_new_connection();
        assert!(e.whole_milliseconds());
        assert!(!reused_loopback().whole_milliseconds(), "Chromium's fractions");
        let noisy = ResourceTiming { response_start: 1003.0000000000005, ..whole_ms_new_connection() };
        assert!(noisy.whole_milliseconds(), "WebKit's float noise on a whole number");
        let t = e.timeline();
        assert!(t.coarse);
        assert_eq!(state(&t, PhaseKind::Connect), PhaseState::Skipped(Skip::WholeMilliseconds));
        assert!(Skip::WholeMilliseconds.reason().contains("whole milliseconds"));
        assert_eq!(setup_of(&t), Setup::Unknown);
        assert!(cold_warm_verdict(&t, &t).contains("look the same"), "never 'both reused'");
    }

    #[test]
    fn the_servers_word_decides_and_a_zero_reads_under_one_millisecond() {
        let first = ResourceTiming { connection: Connection::New, ..whole_ms_new_connection() }.timeline();
        let second = ResourceTiming { connection: Connection::Reused, ..whole_ms_new_connection() }.timeline();
        let connect = first.phase(PhaseKind::Connect).unwrap();
        assert_eq!(connect.state, PhaseState::Measured);
        assert_eq!(measured_figure(connect.duration_ms, first.coarse), "under 1 ms (this browser reports whole milliseconds)");
        assert_eq!(state(&second, PhaseKind::Connect), PhaseState::Skipped(Skip::ConnectionReused));
        let verdict = cold_warm_verdict(&first, &second);
        assert!(verdict.starts_with("Connection setup cost under 1 ms"), "{verdict}");
        // In Chromium a fraction is a fraction.
        assert_eq!(measured_figure(0.04, false), "0.04 ms");
        assert_eq!(measured_figure(9.0, true), "9 ms", "no decimals a whole-millisecond browser did not measure");
        assert_eq!(measured_figure(19.0, true), "19 ms");
        assert_eq!(measured_figure(9.0, false), "9.00 ms");
        assert_eq!(measured_figure(0.0, false), "under 0.1 ms", "a measured 0 is never shown as 0.00 ms");
    }

    #[test]
    fn the_wait_splits_one_way_for_the_journey_and_the_timing_tab() {
        let mut t = Timeline {
            phases: vec![Phase { kind: PhaseKind::Waiting, start_ms: 0.1, duration_ms: 0.8, state: PhaseState::Measured }],
            total_ms: 1.0,
            server: vec![Metric::new("total", 0.16, "")],
            hidden: false,
            protocol: "http/1.1".into(),
            coarse: false,
        };
        let split = split_wait(&t).unwrap();
        assert_eq!((split.wait_ms, split.server_ms), (0.8, 0.16));
        assert!((split.rest_ms - 0.64).abs() < 1e-9);
        t.coarse = true;
        t.phases[0].duration_ms = 3.0;
        t.server[0].duration_ms = Some(0.49);
        assert_eq!(split_wait(&t).unwrap().rest_ms, 3.0, "a whole-millisecond wait gives a whole rest");
        t.server.clear();
        assert_eq!(split_wait(&t), None, "no report, no split");
    }

    #[test]
    fn loopback_urls_are_this_machine() {
        for url in [
            "http://127.0.0.1:8080/lab/get",
            "https://localhost:8443/",
            "http://[::1]:5000/x",
            "http://app.localhost/",
            "http://127.9.9.9/",
        ] {
            assert!(is_loopback_url(url), "{url}");
        }
        for url in ["https://example.com/", "http://192.168.1.20:8080/", "http://localhost.evil.example/", "/lab/get"] {
            assert!(!is_loopback_url(url), "{url}");
        }
    }
}
