//! Security headers. Roundtrip shows untrusted bytes from any server and is
//! opened from shared links, so what the lab serves for the app says exactly
//! what may run: the app's own files, its WebAssembly, and index.html's inline
//! scripts (Trunk's loader and the start watchdog, each allowed by hash,
//! never `'unsafe-inline'` for scripts).

use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use sha2::{Digest, Sha256};
use std::path::PathBuf;

/// The policy of every `/lab/` answer: it is data to look at, never a page to
/// run. `sandbox` gives a document the lab sent an opaque origin of its own
/// (no script, no cookies, no storage of the app's origin, even if a browser
/// were talked into rendering it); `default-src 'none'` loads nothing.
pub const LAB_POLICY: &str = "sandbox; default-src 'none'";

/// `'sha256-…'` of `text`, as a Content-Security-Policy source.
pub fn hash_source(text: &str) -> String {
    format!("'sha256-{}'", roundtrip_model::base64::encode(&Sha256::digest(text.as_bytes())))
}

/// Every response: no MIME sniffing, a referrer trimmed to the origin across
/// sites, and a browsing-context group of our own where browsers apply it.
///
/// Every `/lab/` answer, and every error answer that carries no policy of
/// its own (a 421 for a wrong Host, a 400 for a bad request, wherever they
/// come from), gets [`LAB_POLICY`]; CORS preflights are answered in here
/// too. A handler may extend the policy, as the endpoint index does for its
/// one stylesheet. The page fixtures' HTML is the exception: pages under
/// test whose scripts must run in the app's frame, written by the lab alone,
/// with their own policy ([`framed_by_the_app_only`]).
pub async fn everywhere(req: Request, next: Next) -> Response {
    let trustworthy = req.extensions().get::<crate::server::OverTls>().is_some_and(|t| t.0)
        || req.headers().get(header::HOST).and_then(|h| h.to_str().ok()).is_some_and(is_local_host);
    let path = req.uri().path();
    let lab = path == "/lab" || path.starts_with("/lab/");
    let fixture = path.starts_with("/lab/page/");
    let mut res = next.run(req).await;
    let html = res.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    let policy = res.headers().get(header::CONTENT_SECURITY_POLICY);
    let extended = policy.is_some_and(|v| v.as_bytes().starts_with(LAB_POLICY.as_bytes()));
    let sandboxed = (lab && !(fixture && html)) || (policy.is_none() && (res.status().is_client_error() || res.status().is_server_error()));
    let h = res.headers_mut();
    if sandboxed && !extended {
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(LAB_POLICY));
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    // Browsers apply COOP on a potentially trustworthy origin only (HTTPS,
    // localhost, loopback); on a classroom's http://192.168.1.20 Chromium
    // ignores it and says so on every page, as a console error.
    if trustworthy {
        h.insert(HeaderName::from_static("cross-origin-opener-policy"), HeaderValue::from_static("same-origin"));
    }
    res
}

/// `localhost`, `*.localhost`, `127.x.x.x`, `[::1]` (any port): origins a
/// browser trusts without TLS.
pub fn is_local_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(n, p)| if p.chars().all(|c| c.is_ascii_digit()) { n } else { host }),
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost") || name.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The app's HTML gets the app's policy, with the hashes of the inline
/// scripts of the `index.html` on disk now (a rebuild changes them).
pub async fn app_policy(State(dist): State<PathBuf>, req: Request, next: Next) -> Response {
    let host = req.headers().get(header::HOST).and_then(|h| h.to_str().ok()).and_then(safe_host_name).map(str::to_owned);
    let mut res = next.run(req).await;
    let is_html = res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
    if is_html {
        let index = tokio::fs::read_to_string(dist.join("index.html")).await.unwrap_or_default();
        if let Ok(v) = HeaderValue::from_str(&policy_for(&index, host.as_deref())) {
            res.headers_mut().insert(header::CONTENT_SECURITY_POLICY, v);
        }
    }
    res
}

/// Pages under test (the fixtures, `--pages`) may be framed by Roundtrip only.
pub async fn framed_by_the_app_only(req: Request, next: Next) -> Response {
    // Over TLS the app that frames a fixture is the same lab's plain-HTTP
    // origin (the protocol comparison): that host, on any port, over http.
    let over_tls = crate::server::scheme(req.extensions()) == "https";
    let app_host = req.headers().get(header::HOST).and_then(|h| h.to_str().ok()).and_then(safe_host_name).map(str::to_owned);
    let mut res = next.run(req).await;
    let policy = match app_host.filter(|_| over_tls) {
        Some(host) => HeaderValue::from_str(&format!("frame-ancestors 'self' http://{host}:*"))
            .unwrap_or(HeaderValue::from_static("frame-ancestors 'self'")),
        None => HeaderValue::from_static("frame-ancestors 'self'"),
    };
    res.headers_mut().insert(header::CONTENT_SECURITY_POLICY, policy);
    res
}

/// The Content-Security-Policy for a page whose HTML is `index`, served to
/// a request that named the lab `host`.
///
/// - scripts: this origin, WebAssembly compilation, and each inline script by hash;
/// - `connect-src *`: a learner may send a request to any URL they type;
/// - frames: only pages of this origin (the page-load explorer's sandboxed
///   frame) and, with `host`, of `https://{host}:*` (the same lab's HTTPS
///   listeners, whose pages the protocol comparison frames); only this
///   origin may frame the app;
/// - styles allow inline `style` attributes: the views position bars and the
///   journey's message with them (no script can come in that way).
pub fn policy_for(index: &str, host: Option<&str>) -> String {
    let hashes: String = inline_scripts(index).iter().map(|s| format!(" {}", hash_source(s))).collect();
    let tls_frames = host.map(|h| format!(" https://{h}:*")).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; \
         font-src 'self'; connect-src *; frame-src 'self'{tls_frames}; frame-ancestors 'self'; object-src 'none'; base-uri 'none'; form-action 'self'"
    )
}

/// The host name of a `Host` value (`[::1]:8080` → `[::1]`), if it is made
/// only of what a host name or address may hold (it goes into a policy).
pub fn safe_host_name(host: &str) -> Option<&str> {
    let name = if host.starts_with('[') {
        host.split_once(']').map(|(h, _)| &host[..h.len() + 1])?
    } else {
        host.rsplit_once(':').map_or(host, |(h, _)| h)
    };
    let ok = !name.is_empty() && name.len() <= 253 && name.chars().all(|c| c.is_ascii_alphanumeric() || "-.[]:".contains(c));
    ok.then_some(name)
}

/// The text of every `<script>` without a `src`, exactly as written.
pub fn inline_scripts(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("<script") {
        let Some(tag_end) = rest[at..].find('>').map(|e| at + e + 1) else { break };
        let tag = &rest[at..tag_end];
        let Some(close) = rest[tag_end..].find("</script>").map(|c| tag_end + c) else { break };
        if !tag.contains(" src=") {
            out.push(&rest[tag_end..close]);
        }
        rest = &rest[close + "</script>".len()..];
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_local_hosts_are_trustworthy_without_tls() {
        for h in ["localhost", "localhost:8080", "app.localhost:1", "127.0.0.1:8080", "127.9.9.9", "[::1]:8443", "[::1]", "LOCALHOST."] {
            assert!(super::is_local_host(h), "{h}");
        }
        for h in ["192.168.1.20:8080", "roundtrip.test:8080", "localhost.evil.example", "[2001:db8::1]:80", "10.0.0.1", ""] {
            assert!(!super::is_local_host(h), "{h}");
        }
    }

    use super::*;

    #[test]
    fn inline_scripts_are_found_and_hashed_and_external_ones_are_not() {
        let html = "<head><script type=\"module\">\nimport init from '/a.js';\n</script><script src=\"/b.js\"></script><script>x()</script></head>";
        assert_eq!(inline_scripts(html), vec!["\nimport init from '/a.js';\n", "x()"]);
        let p = policy_for(html, None);
        // `printf 'x()' | openssl dgst -sha256 -binary | base64`
        assert!(p.contains("'sha256-D6IGS8VMvCoyaR/l0h9tERrBTATY01CoPS7l6xDv0kI='"), "{p}");
        assert_eq!(p.matches("'sha256-").count(), 2);
        assert!(!p.contains("unsafe-inline'; img") || p.contains("style-src 'self' 'unsafe-inline'"));
        assert!(!p.split(';').find(|d| d.trim().starts_with("script-src")).unwrap().contains("unsafe-inline"));
        assert!(p.contains("'wasm-unsafe-eval'") && p.contains("frame-ancestors 'self'") && p.contains("connect-src *"));
        assert!(p.contains("frame-src 'self';"));
        let p = policy_for(html, Some("127.0.0.1"));
        assert!(p.contains("frame-src 'self' https://127.0.0.1:*;"), "the lab's own HTTPS listeners: {p}");
    }

    #[test]
    fn only_a_clean_host_name_goes_into_a_policy() {
        assert_eq!(safe_host_name("127.0.0.1:8080"), Some("127.0.0.1"));
        assert_eq!(safe_host_name("[::1]:8080"), Some("[::1]"));
        assert_eq!(safe_host_name("lab.school.example"), Some("lab.school.example"));
        assert_eq!(safe_host_name("evil.example; script-src *:80"), None);
        assert_eq!(safe_host_name("a b:1"), None);
        assert_eq!(safe_host_name(":8080"), None);
    }
}
