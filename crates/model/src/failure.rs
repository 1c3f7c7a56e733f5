//! What can go wrong with a request, told in words a learner understands.

use crate::status::Family;

/// A request that produced no HTTP response, or could not be sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The URL could not be parsed; nothing was sent.
    InvalidUrl { input: String, reason: String },
    /// A header line or value the browser refuses; nothing was sent.
    InvalidRequest { reason: String },
    /// The browser refuses to send anything to this port by itself (the
    /// Fetch standard's "bad ports": other protocols' services); nothing was sent.
    BadPort { port: u16 },
    /// We gave up waiting after this many milliseconds and aborted the request.
    Timeout { after_ms: u32 },
    /// The browser reported a network error: refused connection, unknown host,
    /// CORS block, TLS failure… JavaScript is told only "failed to fetch";
    /// `why` is what Roundtrip could find out beyond that.
    Network { detail: String, why: NoResponse },
    /// The response started but its body could not be read to the end.
    BodyFailed { detail: String },
}

impl Failure {
    /// A short heading.
    pub fn title(&self) -> &'static str {
        match self {
            Failure::InvalidUrl { .. } => "That URL is not valid",
            Failure::InvalidRequest { .. } => "The request could not be built",
            Failure::BadPort { .. } => "The browser refuses that port",
            Failure::Timeout { .. } => "Timed out: no response in time",
            Failure::Network { why: NoResponse::WithheldByCors { .. }, .. } => {
                "Blocked by CORS: the server answered, the browser withheld it"
            }
            Failure::Network { why: NoResponse::NoServer { .. }, .. } => "No server answered",
            Failure::Network { .. } => "Network error: no response at all",
            Failure::BodyFailed { .. } => "The response broke off",
        }
    }

    /// What happened and what it means, in a sentence or three.
    pub fn explain(&self) -> String {
        match self {
            Failure::InvalidUrl { input, reason } => format!(
                "“{input}” could not be read as a URL ({reason}). Nothing was sent. A URL needs a scheme and a host, like http://127.0.0.1:8080/lab/anything, or a path on this server, like /lab/anything."
            ),
            Failure::InvalidRequest { reason } => format!("{}. Nothing was sent.", reason.trim_end_matches('.')),
            Failure::Timeout { after_ms } => format!(
                "The browser waited {after_ms} ms and then gave up, so the request was cancelled. The server may still have been working on it; the answer, if any, never reached the page."
            ),
            Failure::BadPort { port } => format!(
                "Browsers never send a request to port {port}, whatever a page asks: it belongs to another kind of service (mail, SSH, file sharing…), and a page talking to it could trick that service. Nothing was sent; the browser refused before any network step. Use the port your server listens on, such as 8080 or 5000."
            ),
            Failure::Network { detail, why } => {
                let told = format!("JavaScript is told only “{detail}”, never why, on purpose; the browser's DevTools Network panel and console say more.");
                match why {
                    NoResponse::WithheldByCors { .. } => format!(
                        "The server did answer: Roundtrip sent the same address again in no-cors mode, and that answer arrived (the browser hides its status and body, but it came). So this request reached a server, and the browser withheld the answer from this page because the response did not allow this page's origin (no matching Access-Control-Allow-Origin), or a CORS preflight was refused. The server, not the browser, must add the header. {told}"
                    ),
                    NoResponse::NoServer { host_is_ip, https } => {
                        let host = if *host_is_ip {
                            "The address is already a number, so no DNS lookup happened: nothing listens on that port there, or the machine could not be reached"
                        } else {
                            "Either the name has no address (DNS lookup failed) or nothing listens on that port there (connection refused); JavaScript cannot tell which"
                        };
                        let tls = if *https { ", or the browser and the server did not agree on TLS (for example a certificate the browser does not trust)" } else { "" };
                        format!(
                            "No server answered: a second request in no-cors mode, which CORS does not block, failed too. {host}{tls}. Is the server running, and is the address right? {told}"
                        )
                    }
                    NoResponse::Untold { host_is_ip } => {
                        let dns = if *host_is_ip { "nothing listens on that port (connection refused)" } else { "the host may not exist (DNS failure), nothing may be listening on that port (connection refused)" };
                        format!("The browser got no HTTP response: {dns}, or the server answered without the CORS headers that would let this page read it. {told}")
                    }
                }
            }
            Failure::BodyFailed { detail } => format!(
                "The status line and headers arrived, but reading the body failed: {detail}."
            ),
        }
    }
}

/// What Roundtrip found out about a request that got no response, beyond
/// the "Failed to fetch" JavaScript is told.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoResponse {
    /// Not looked into (the request was aborted, or a second request to find
    /// out could have changed something on the server).
    Untold { host_is_ip: bool },
    /// A second request in `no-cors` mode got an answer (an opaque one,
    /// whose status and body the browser hides): a server answered, and the
    /// browser withheld its answer from this page, as CORS says to when the
    /// response does not allow this page's origin.
    WithheldByCors { host_is_ip: bool, https: bool },
    /// The second request got no answer either: nothing answered at that
    /// host and port (no such host, nothing listening, or no TLS agreement).
    NoServer { host_is_ip: bool, https: bool },
}

/// The ports browsers refuse by themselves, whatever the page asks (the
/// Fetch standard's "bad port" list: services of other protocols that a
/// page could otherwise talk to, such as mail or SSH).
pub const BAD_PORTS: &[u16] = &[
    0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115,
    117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601,
    636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697,
    10080,
];

/// The port of an `http(s)://` URL when it is one browsers refuse to use.
pub fn bad_port(url: &str) -> Option<u16> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit('@').next()?;
    let port = match host_port.rsplit_once(']') {
        Some((_, after)) => after.strip_prefix(':'),
        None => host_port.rsplit_once(':').map(|(_, p)| p),
    };
    let port: u16 = match port {
        Some(p) if !p.is_empty() => p.parse().ok()?,
        _ => match scheme.to_ascii_lowercase().as_str() {
            "https" => 443,
            _ => 80,
        },
    };
    BAD_PORTS.contains(&port).then_some(port)
}

/// Whether a URL's host is written as an address (`127.0.0.1`, `[::1]`):
/// then no DNS lookup happens.
pub fn host_is_ip(url: &str) -> bool {
    let Some((_, rest)) = url.split_once("://") else { return false };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    if host_port.starts_with('[') {
        return true;
    }
    let host = host_port.rsplit_once(':').map_or(host_port, |(h, _)| h);
    host.parse::<std::net::Ipv4Addr>().is_ok()
}

/// How to read an HTTP status that arrived: even a 500 is a response, so the
/// cycle completed; the status says whether the request succeeded.
pub fn status_verdict(code: u16) -> String {
    match Family::of(code) {
        Some(f @ (Family::ClientError | Family::ServerError)) => {
            format!("A response did arrive, so the round trip worked, but its status says the request failed. {}", f.meaning())
        }
        // Each redirection code means its own thing: a 304 moves nothing.
        Some(Family::Redirection) => crate::status::meaning(code).unwrap_or(Family::Redirection.meaning()).to_owned(),
        Some(f) => f.meaning().to_owned(),
        None => format!("{code} is outside the five families (100–599): not a valid HTTP status."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_failures_say_what_was_found_out_and_how() {
        let untold = |host_is_ip| Failure::Network { detail: "Failed to fetch".into(), why: NoResponse::Untold { host_is_ip } };
        let text = untold(false).explain();
        assert!(text.contains("DNS") && text.contains("connection refused") && text.contains("CORS"));
        assert!(text.contains("“Failed to fetch”"));
        assert!(!untold(true).explain().contains("DNS"), "no DNS for an address");
        let cors =
            Failure::Network { detail: "Failed to fetch".into(), why: NoResponse::WithheldByCors { host_is_ip: true, https: false } };
        assert!(cors.title().contains("CORS"));
        assert!(cors.explain().contains("no-cors") && cors.explain().contains("Access-Control-Allow-Origin"));
        let none = |host_is_ip, https| Failure::Network { detail: "x".into(), why: NoResponse::NoServer { host_is_ip, https } };
        assert!(none(true, false).explain().contains("no DNS lookup happened"));
        assert!(none(false, false).explain().contains("cannot tell which"));
        assert!(none(false, true).explain().contains("certificate"));
        assert!(!none(false, false).explain().contains("certificate"));
    }

    #[test]
    fn the_browsers_own_bad_ports_are_known_before_sending() {
        assert_eq!(bad_port("http://127.0.0.1:1/"), Some(1));
        assert_eq!(bad_port("http://localhost:6667/x?y=1"), Some(6667));
        assert_eq!(bad_port("https://[::1]:25"), Some(25));
        assert_eq!(bad_port("http://user:pw@example.com:22/"), Some(22));
        assert_eq!(bad_port("http://127.0.0.1:8080/lab/get"), None);
        assert_eq!(bad_port("http://example.com/"), None, "80 is HTTP's own");
        assert_eq!(bad_port("https://example.com/"), None);
        assert!(Failure::BadPort { port: 1 }.explain().contains("Nothing was sent"));
    }

    #[test]
    fn an_address_written_as_a_number_needs_no_lookup() {
        for ip in ["http://127.0.0.1:1/", "https://[::1]:8443/x", "http://10.0.0.7/"] {
            assert!(host_is_ip(ip), "{ip}");
        }
        for name in ["http://localhost:8080/", "https://example.com/", "http://127.0.0.1.nip.io/"] {
            assert!(!host_is_ip(name), "{name}");
        }
    }

    #[test]
    fn timeout_names_the_limit() {
        let f = Failure::Timeout { after_ms: 1500 };
        assert_eq!(f.title(), "Timed out: no response in time");
        assert!(f.explain().contains("1500 ms"));
    }

    #[test]
    fn error_statuses_are_responses_that_report_failure() {
        assert!(status_verdict(500).starts_with("A response did arrive"));
        assert!(status_verdict(404).contains("request itself"));
        assert_eq!(status_verdict(200), Family::Success.meaning());
        assert!(status_verdict(304).contains("still good") && !status_verdict(304).contains("another URL"), "{}", status_verdict(304));
        assert!(status_verdict(301).contains("Location"), "{}", status_verdict(301));
        assert!(status_verdict(42).contains("not a valid"));
    }
}
