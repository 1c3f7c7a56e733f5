//! One request as the learner composed it, and what came back.

use crate::echo::Echo;
use crate::failure::Failure;
use crate::headers::parse_header_lines;
use crate::timing::ResourceTiming;
use serde::{Deserialize, Serialize};

/// The methods the request bar offers.
pub const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/// The longest a learner may make us wait, and the default.
pub const MAX_TIMEOUT_MS: u32 = 120_000;
pub const DEFAULT_TIMEOUT_MS: u32 = 10_000;

/// How much of a response body is kept for display.
pub const BODY_DISPLAY_CAP: usize = 256 * 1024;

/// A request ready to send.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestSpec {
    pub method: String,
    /// Absolute, already resolved against the page.
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
    pub timeout_ms: u32,
}

impl RequestSpec {
    /// A plain GET of an absolute URL, with the default timeout.
    pub fn get(url: String) -> RequestSpec {
        RequestSpec { method: "GET".into(), url, headers: Vec::new(), body: None, timeout_ms: DEFAULT_TIMEOUT_MS }
    }

    /// Builds a request from the request bar's fields; `url` is already
    /// resolved. Says what is wrong, in the learner's terms, when it cannot.
    pub fn from_draft(method: &str, url: String, headers: &str, body: &str, timeout_ms: &str) -> Result<RequestSpec, Failure> {
        let method = method.trim().to_ascii_uppercase();
        if !METHODS.contains(&method.as_str()) {
            return Err(Failure::InvalidRequest {
                reason: format!("“{method}” is not a method Roundtrip sends (use one of {})", METHODS.join(", ")),
            });
        }
        let headers = parse_header_lines(headers).map_err(|e| Failure::InvalidRequest { reason: e.to_string() })?;
        let timeout_ms = match timeout_ms.trim() {
            "" => DEFAULT_TIMEOUT_MS,
            t => t.parse::<u32>().ok().filter(|t| (1..=MAX_TIMEOUT_MS).contains(t)).ok_or_else(|| Failure::InvalidRequest {
                reason: format!("The timeout “{t}” must be a whole number of milliseconds from 1 to {MAX_TIMEOUT_MS}"),
            })?,
        };
        let body = if body.is_empty() {
            None
        } else if Self::method_allows_body(&method) {
            Some(body.to_owned())
        } else {
            return Err(Failure::InvalidRequest {
                reason: format!("A {method} request cannot carry a body in the browser; choose POST, PUT or PATCH, or empty the body"),
            });
        };
        Ok(RequestSpec { method, url, headers, body, timeout_ms })
    }

    /// GET and HEAD cannot carry a body in `fetch`.
    pub fn method_allows_body(method: &str) -> bool {
        !matches!(method, "GET" | "HEAD")
    }
}

/// A response that arrived.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Exchange {
    pub request: RequestSpec,
    pub status: u16,
    pub status_text: String,
    /// The response headers this page's JavaScript may read.
    pub headers: Vec<(String, String)>,
    /// The body as text, cut at [`BODY_DISPLAY_CAP`].
    pub body: String,
    pub body_size: usize,
    /// The URL that answered, after any redirects.
    pub final_url: String,
    pub redirected: bool,
    /// `basic`, `cors`, `opaque`…
    pub response_type: String,
    /// Milliseconds by the page's own clock from `fetch()` to the last byte.
    pub elapsed_ms: f64,
    /// The browser's Resource Timing entry for this very request, if it made one.
    pub timing: Option<ResourceTiming>,
}

impl Exchange {
    /// The lab's (or httpbin's) echo of the request, when the body is one.
    pub fn echo(&self) -> Option<Echo> {
        let echo: Echo = serde_json::from_str(&self.body).ok()?;
        (!echo.method.is_empty() && !echo.headers.0.is_empty()).then_some(echo)
    }

    pub fn body_truncated(&self) -> bool {
        self.body_size > self.body.len()
    }
}

/// The same URL on the other loopback name (127.0.0.1 ⇄ localhost): the same
/// server, but a host the browser holds no connection to yet.
pub fn swap_loopback_host(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let (authority, path) = rest.find(['/', '?', '#']).map_or((rest, ""), |i| rest.split_at(i));
    let (host, port) = authority.rsplit_once(':').filter(|(h, _)| !h.ends_with(']')).map_or((authority, None), |(h, p)| (h, Some(p)));
    let other = match host {
        "127.0.0.1" => "localhost",
        "localhost" => "127.0.0.1",
        _ => return None,
    };
    Some(match port {
        Some(p) => format!("{scheme}://{other}:{p}{path}"),
        None => format!("{scheme}://{other}{path}"),
    })
}

/// Cuts `text` to at most `cap` bytes on a character boundary.
pub fn truncate_text(mut text: String, cap: usize) -> String {
    if text.len() > cap {
        let mut cut = cap;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exchange(body: &str) -> Exchange {
        Exchange {
            request: RequestSpec { method: "GET".into(), url: "http://x/".into(), headers: vec![], body: None, timeout_ms: 1000 },
            status: 200,
            status_text: "OK".into(),
            headers: vec![],
            body: body.into(),
            body_size: body.len(),
            final_url: "http://x/".into(),
            redirected: false,
            response_type: "basic".into(),
            elapsed_ms: 1.0,
            timing: None,
        }
    }

    #[test]
    fn echo_is_read_only_from_echo_shaped_bodies() {
        assert!(exchange("<html>").echo().is_none());
        assert!(exchange("{}").echo().is_none());
        assert!(exchange(r#"{"a": 1}"#).echo().is_none());
        // httpbin's own shape, without the lab's extra fields.
        let httpbin = r#"{"args": {}, "data": "", "files": {}, "form": {}, "headers": {"Host": "httpbin.org"}, "json": null, "method": "GET", "origin": "1.2.3.4", "url": "https://httpbin.org/anything"}"#;
        let echo = exchange(httpbin).echo().expect("httpbin echo");
        assert_eq!(echo.headers.get("host"), Some("httpbin.org"));
    }

    #[test]
    fn loopback_hosts_swap_for_a_fresh_connection() {
        assert_eq!(swap_loopback_host("http://127.0.0.1:8080/lab/get?x=1").as_deref(), Some("http://localhost:8080/lab/get?x=1"));
        assert_eq!(swap_loopback_host("http://localhost/a").as_deref(), Some("http://127.0.0.1/a"));
        assert_eq!(swap_loopback_host("https://example.org/"), None);
        assert_eq!(swap_loopback_host("/lab/get"), None);
    }

    #[test]
    fn truncation_keeps_characters_whole() {
        assert_eq!(truncate_text("héllo".into(), 2), "h");
        assert_eq!(truncate_text("héllo".into(), 3), "hé");
        assert_eq!(truncate_text("abc".into(), 10), "abc");
        assert!(!exchange("abc").body_truncated());
    }

    #[test]
    fn drafts_become_requests_or_say_what_is_wrong() {
        let url = || "http://127.0.0.1:8080/lab/anything".to_string();
        let spec = RequestSpec::from_draft("post", url(), "X-Demo: 1\n", "{}", "").unwrap();
        assert_eq!(spec.method, "POST");
        assert_eq!(spec.headers, vec![("X-Demo".into(), "1".into())]);
        assert_eq!(spec.body.as_deref(), Some("{}"));
        assert_eq!(spec.timeout_ms, DEFAULT_TIMEOUT_MS);
        assert_eq!(RequestSpec::from_draft("GET", url(), "", "", " 250 ").unwrap().timeout_ms, 250);

        let reason = |r: Result<RequestSpec, Failure>| match r {
            Err(Failure::InvalidRequest { reason }) => reason,
            other => panic!("expected an invalid request, got {other:?}"),
        };
        assert!(reason(RequestSpec::from_draft("BREW", url(), "", "", "")).contains("not a method"));
        assert!(reason(RequestSpec::from_draft("GET", url(), "oops", "", "")).starts_with("Header line 1"));
        assert!(reason(RequestSpec::from_draft("GET", url(), "", "body", "")).contains("cannot carry a body"));
        assert!(reason(RequestSpec::from_draft("GET", url(), "", "", "0")).contains("from 1 to"));
        assert!(reason(RequestSpec::from_draft("GET", url(), "", "", "soon")).contains("“soon”"));
    }

    #[test]
    fn bodies_only_where_fetch_allows_them() {
        assert!(!RequestSpec::method_allows_body("GET"));
        assert!(!RequestSpec::method_allows_body("HEAD"));
        assert!(RequestSpec::method_allows_body("POST"));
    }
}
