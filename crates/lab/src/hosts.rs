//! Which names the lab answers to (the `Host` header). A page on another
//! site can make its own name resolve to 127.0.0.1 (DNS rebinding) and then
//! talk to the lab as if it were that site; the browser still sends that
//! name as `Host`. So on a loopback bind the lab answers only to loopback
//! names and addresses; bound to the network, to IP addresses (no DNS, so no
//! rebinding), the machine's own name, and names given with `--allow-host`.

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use std::net::IpAddr;
use std::sync::Arc;

#[derive(Clone, Debug, Default)]
pub struct Hosts {
    /// Bound to a non-loopback address (e.g. `--host 0.0.0.0` for a class).
    pub network: bool,
    /// More names to answer to (`--allow-host`), lower case.
    pub names: Vec<String>,
}

impl Hosts {
    /// What a lab bound to `ip` answers to, plus `names`.
    pub fn for_bind(ip: IpAddr, names: Vec<String>) -> Hosts {
        Hosts { network: !ip.is_loopback(), names: names.into_iter().map(|n| n.to_ascii_lowercase()).collect() }
    }

    /// Whether a request with this `Host` value may be answered.
    pub fn allows(&self, host: &str) -> bool {
        let name = strip_port(host).trim_end_matches('.').to_ascii_lowercase();
        if name == "localhost" || name.ends_with(".localhost") {
            return true;
        }
        if let Ok(ip) = name.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>() {
            return ip.is_loopback() || self.network;
        }
        if self.names.contains(&name) {
            return true;
        }
        self.network && machine_names().contains(&name)
    }

    fn described(&self) -> String {
        let mut out = String::from("localhost, 127.0.0.1 and [::1] (any port)");
        if self.network {
            out.push_str(", this machine's addresses and name");
        }
        for n in &self.names {
            out.push_str(", ");
            out.push_str(n);
        }
        out
    }
}

/// `host:port` → `host`; `[::1]:8080` → `[::1]`.
fn strip_port(host: &str) -> &str {
    if host.starts_with('[') {
        return host.find(']').map_or(host, |end| &host[..=end]);
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name,
        _ => host,
    }
}

/// This machine's host name, and the same under `.local` (mDNS), as a class
/// on the same network may reach it.
fn machine_names() -> Vec<String> {
    let name = std::fs::read_to_string("/proc/sys/kernel/hostname").ok().or_else(|| std::env::var("HOSTNAME").ok()).unwrap_or_default();
    let name = name.trim().to_ascii_lowercase();
    if name.is_empty() {
        return Vec::new();
    }
    vec![format!("{name}.local"), name]
}

/// Answers 421 Misdirected Request, saying why, to a request that names a
/// host the lab does not answer to: its target's authority where it has one
/// (an absolute-form `GET http://host/path HTTP/1.1`, whose Host is then
/// ignored, RFC 9112 §3.2.2; HTTP/2's `:authority`), else its Host header.
/// And 400 to one that names two hosts: two Host headers (RFC 9112 §3.2),
/// or an HTTP/2 `:authority` and a Host that differ (RFC 9113 §8.3.1).
/// A request without any (HTTP/1.0, not a browser) passes.
pub async fn check(State(hosts): State<Arc<Hosts>>, req: Request, next: Next) -> Response {
    let mut named = req.headers().get_all(header::HOST).iter().map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let host = named.next();
    let authority = req.uri().authority().map(|a| a.as_str().to_owned());
    let h2 = req.version() == axum::http::Version::HTTP_2;
    let twice = match (named.next(), &authority, &host) {
        (Some(_), _, _) => Some("two Host headers".to_owned()),
        (None, Some(a), Some(h)) if h2 && !a.eq_ignore_ascii_case(h) => {
            Some(format!("the host “{}” in its :authority and “{}” in its Host header", crate::params::clip(a), crate::params::clip(h)))
        }
        _ => None,
    };
    if let Some(which) = twice {
        let status = StatusCode::BAD_REQUEST;
        let message = format!("This request names {which}. HTTP allows one host per request, so the lab does not guess which was meant.");
        return (status, Json(serde_json::json!({ "error": message, "status": status.as_u16() }))).into_response();
    }
    match authority.or(host) {
        Some(h) if !hosts.allows(&h) => {
            let shown = crate::params::clip(&h);
            let message = format!(
                "This lab answers to {}; this request named the host “{shown}”. A page that reaches the lab under another name may be a DNS-rebinding attack from another site, so the lab refuses it. If you meant that name, start the lab with --allow-host {}.",
                hosts.described(),
                strip_port(&shown)
            );
            let status = StatusCode::MISDIRECTED_REQUEST;
            (status, Json(serde_json::json!({ "error": message, "status": status.as_u16() }))).into_response()
        }
        _ => next.run(req).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_binds_answer_loopback_names_only() {
        let hosts = Hosts::default();
        for ok in ["localhost", "localhost:8080", "LOCALHOST.", "app.localhost:3000", "127.0.0.1:1", "127.8.9.10", "[::1]:8080", "[::1]"] {
            assert!(hosts.allows(ok), "{ok}");
        }
        for refused in
            ["evil.example", "evil.example:8080", "127.0.0.1.evil.example", "10.0.0.5:8080", "[2001:db8::1]", "localhost.evil.example"]
        {
            assert!(!hosts.allows(refused), "{refused}");
        }
        let named = Hosts::for_bind([127, 0, 0, 1].into(), vec!["Lab.Test".into()]);
        assert!(named.allows("lab.test:8080") && !named.allows("evil.example"));
    }

    #[test]
    fn network_binds_answer_addresses_and_given_names_but_not_other_names() {
        let hosts = Hosts::for_bind([0, 0, 0, 0].into(), vec!["lab.school.example".into()]);
        for ok in ["192.168.1.20:8080", "[fe80::1]:8080", "lab.school.example", "localhost"] {
            assert!(hosts.allows(ok), "{ok}");
        }
        assert!(!hosts.allows("evil.example:8080"));
    }
}
