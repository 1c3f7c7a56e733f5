//! What can go wrong with a request, told in words a learner understands.

use crate::status::Family;

/// A request that produced no HTTP response, or could not be sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The URL could not be parsed; nothing was sent.
    InvalidUrl { input: String, reason: String },
    /// A header line or value the browser refuses; nothing was sent.
    InvalidRequest { reason: String },
    /// We gave up waiting after this many milliseconds and aborted the request.
    Timeout { after_ms: u32 },
    /// The browser reported a network error: refused connection, unknown host,
    /// CORS block, TLS failure… JavaScript is told only "failed to fetch".
    Network { detail: String },
    /// The response started but its body could not be read to the end.
    BodyFailed { detail: String },
}

impl Failure {
    /// A short heading.
    pub fn title(&self) -> &'static str {
        match self {
            Failure::InvalidUrl { .. } => "That URL is not valid",
            Failure::InvalidRequest { .. } => "The request could not be built",
            Failure::Timeout { .. } => "Timed out: no response in time",
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
            Failure::Network { detail } => format!(
                "The browser got no HTTP response. The host may not exist (DNS failure), nothing may be listening on that port (connection refused), or the server answered without the CORS headers that would let this page read it. JavaScript is told only “{detail}”, never which of these it was, on purpose; the browser's DevTools Network panel and console do say which."
            ),
            Failure::BodyFailed { detail } => format!(
                "The status line and headers arrived, but reading the body failed: {detail}."
            ),
        }
    }
}

/// How to read an HTTP status that arrived: even a 500 is a response, so the
/// cycle completed; the status says whether the request succeeded.
pub fn status_verdict(code: u16) -> String {
    match Family::of(code) {
        Some(f @ (Family::ClientError | Family::ServerError)) => {
            format!("A response did arrive, so the round trip worked, but its status says the request failed. {}", f.meaning())
        }
        Some(f) => f.meaning().to_owned(),
        None => format!("{code} is outside the five families (100–599): not a valid HTTP status."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_failures_say_js_cannot_tell_which() {
        let text = Failure::Network { detail: "Failed to fetch".into() }.explain();
        assert!(text.contains("DNS") && text.contains("connection refused") && text.contains("CORS"));
        assert!(text.contains("“Failed to fetch”"));
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
        assert!(status_verdict(42).contains("not a valid"));
    }
}
