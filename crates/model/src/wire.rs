//! What went on the wire versus what a page's JavaScript set and can see.

use crate::headers::is_forbidden_request_header;

/// Request headers compared: typed by the page, received by the server.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestComparison {
    /// Received by the server though the page did not set them: the browser
    /// added them. `true` where JavaScript may not set that header at all.
    pub added_by_browser: Vec<(String, bool)>,
    /// Set by the page and received as typed.
    pub as_typed: Vec<String>,
    /// Set by the page but never received (the browser dropped them).
    pub dropped: Vec<String>,
}

/// Compares the headers the page set with those the server received.
/// A header JavaScript may not set is always dropped from what the page
/// typed, and one of that name that arrives is the browser's own.
pub fn compare_request(typed: &[(String, String)], received: &[(String, String)]) -> RequestComparison {
    let typed_has = |n: &str| !is_forbidden_request_header(n) && typed.iter().any(|(t, _)| t.eq_ignore_ascii_case(n));
    let received_has = |n: &str| received.iter().any(|(r, _)| r.eq_ignore_ascii_case(n));
    let mut out = RequestComparison::default();
    for (name, _) in received {
        if typed_has(name) {
            if !out.as_typed.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                out.as_typed.push(name.clone());
            }
        } else if !out.added_by_browser.iter().any(|(n, _)| n.eq_ignore_ascii_case(name)) {
            out.added_by_browser.push((name.clone(), is_forbidden_request_header(name)));
        }
    }
    for (name, _) in typed {
        if is_forbidden_request_header(name) || !received_has(name) {
            out.dropped.push(name.clone());
        }
    }
    out
}

/// Response headers any page may read, even cross-origin (CORS-safelisted).
pub const SAFELISTED_RESPONSE: &[&str] =
    &["cache-control", "content-language", "content-length", "content-type", "expires", "last-modified", "pragma"];

/// What this page could see of the response, in sentences.
pub fn response_visibility(response_type: &str, headers: &[(String, String)]) -> Vec<String> {
    let mut out = Vec::new();
    match response_type {
        "basic" => {
            out.push("Same origin: the page reads every response header except Set-Cookie, which browsers never show to JavaScript.".into())
        }
        "cors" => {
            let (safe, exposed): (Vec<&str>, Vec<&str>) =
                headers.iter().map(|(n, _)| n.as_str()).partition(|n| SAFELISTED_RESPONSE.contains(&n.to_ascii_lowercase().as_str()));
            out.push(format!("Cross-origin (CORS): the page reads only the safelisted headers ({}) and those the server listed in Access-Control-Expose-Headers ({}). Any other header the server sent is hidden from JavaScript, and Set-Cookie always is.", if safe.is_empty() { "none here".to_owned() } else { safe.join(", ") }, if exposed.is_empty() { "none".to_owned() } else { exposed.join(", ") }));
        }
        "opaque" | "opaqueredirect" => {
            out.push("Opaque: a no-cors response. The page gets no status, no headers and no body at all.".into())
        }
        other => out.push(format!("Response type {other}.")),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(names: &[&str]) -> Vec<(String, String)> {
        names.iter().map(|n| (n.to_string(), "x".to_string())).collect()
    }

    #[test]
    fn the_browser_adds_and_drops_headers() {
        let typed = pairs(&["X-Demo", "Cookie", "Content-Type"]);
        // The browser sends its own cookies: the page's Cookie is not it.
        let received = pairs(&["host", "user-agent", "x-demo", "content-type", "sec-fetch-mode", "accept", "cookie"]);
        let c = compare_request(&typed, &received);
        assert_eq!(c.as_typed, vec!["x-demo".to_string(), "content-type".to_string()]);
        assert_eq!(c.dropped, vec!["Cookie".to_string()], "JavaScript may not set Cookie");
        assert_eq!(
            c.added_by_browser,
            vec![
                ("host".into(), true),
                ("user-agent".into(), false),
                ("sec-fetch-mode".into(), true),
                ("accept".into(), false),
                ("cookie".into(), true)
            ]
        );
    }

    #[test]
    fn response_visibility_depends_on_the_response_type() {
        assert!(response_visibility("basic", &[])[0].contains("except Set-Cookie"));
        let cors = response_visibility("cors", &pairs(&["content-type", "server-timing"]))[0].clone();
        assert!(cors.contains("(content-type)") && cors.contains("(server-timing)"), "{cors}");
        assert!(response_visibility("opaque", &[])[0].contains("no status"));
    }
}
