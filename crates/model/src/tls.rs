//! What someone listening on the network would see of one request, over
//! plain HTTP and over HTTPS. This is an illustration built from the request
//! the learner composed, not a capture: a page cannot capture its own
//! traffic, and the app says so wherever it shows this.

use crate::url::anatomy;

/// One row of the comparison.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sight {
    /// What part of the exchange.
    pub what: &'static str,
    /// What the eavesdropper reads over `http://`.
    pub http: String,
    /// What the eavesdropper reads over `https://`.
    pub https: String,
}

/// Stands for bytes the eavesdropper has but cannot read.
const SEALED: &str = "encrypted: unreadable";

/// The rows for a request to `url` (absolute, or a path on `origin`).
pub fn eavesdropper(method: &str, url: &str, origin: &str, headers: &[(String, String)], body: &str) -> Result<Vec<Sight>, String> {
    let a = anatomy(url, origin).map_err(|p| p.message)?;
    let port = a.port.or(a.default_port()).map_or(String::new(), |p| p.to_string());
    let target = match &a.query {
        Some(q) => format!("{}?{q}", a.path),
        None => a.path.clone(),
    };
    let header_text = if headers.is_empty() {
        "(only the browser's own)".to_owned()
    } else {
        headers.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join("; ")
    };
    let cookie = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("cookie"))
        .map_or("any cookies the browser attaches".to_owned(), |(_, v)| v.clone());
    let body_text = if body.is_empty() { "(none)".to_owned() } else { body.to_owned() };
    let both = |s: String| (s.clone(), s);
    let rows = vec![
        (
            "The server's name",
            both(a.host.clone()),
            "sent in clear in the DNS lookup and the TLS handshake (SNI), unless both are encrypted too",
        ),
        ("Its IP address and port", both(format!("the server's address, port {port}")), "needed to route the packets"),
        ("Method and path", (format!("{method} {target}"), SEALED.to_owned()), ""),
        ("Headers", (header_text, SEALED.to_owned()), ""),
        ("Cookies and passwords", (cookie, SEALED.to_owned()), ""),
        ("Body", (body_text, SEALED.to_owned()), ""),
        ("Sizes and timing", both("roughly how many bytes went each way, and when".to_owned()), "encryption hides content, not volume"),
    ];
    Ok(rows
        .into_iter()
        .map(|(what, (http, https), why)| Sight { what, http, https: if why.is_empty() { https } else { format!("{https} ({why})") } })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_hides_the_path_headers_and_body_but_not_the_host() {
        let headers = vec![("Cookie".to_owned(), "session=s3cret".to_owned())];
        let rows =
            eavesdropper("POST", "https://shop.example/login?next=/cart", "http://127.0.0.1:8080", &headers, "password=hunter2").unwrap();
        let row = |what: &str| rows.iter().find(|r| r.what == what).unwrap().clone();
        assert_eq!(row("Method and path").http, "POST /login?next=/cart");
        assert_eq!(row("Method and path").https, SEALED);
        assert_eq!(row("Body").http, "password=hunter2");
        assert_eq!(row("Body").https, SEALED);
        assert_eq!(row("Cookies and passwords").http, "session=s3cret");
        assert!(row("The server's name").https.starts_with("shop.example"));
        assert!(row("Its IP address and port").http.contains("443"));
    }

    #[test]
    fn a_path_is_read_on_the_page_origin_and_a_broken_url_says_why() {
        let rows = eavesdropper("GET", "/lab/get", "http://127.0.0.1:8080", &[], "").unwrap();
        assert!(rows[1].http.contains("8080"));
        assert!(eavesdropper("GET", "http://", "http://127.0.0.1:8080", &[], "").is_err());
    }
}
