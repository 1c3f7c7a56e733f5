//! The lab's endpoints: one table the lab's index, its tests and the app share.

/// The response header in which the lab names the connection that answered
/// (a number, new for each connection it accepts), exposed to pages by CORS.
pub const CONNECTION_HEADER: &str = "x-roundtrip-connection";

/// One endpoint family member: the route, a working example, what it teaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Endpoint {
    pub route: &'static str,
    pub example: &'static str,
    pub meaning: &'static str,
}

const fn e(route: &'static str, example: &'static str, meaning: &'static str) -> Endpoint {
    Endpoint { route, example, meaning }
}

/// Every endpoint under `/lab/`, grouped as the index shows them.
pub const ENDPOINTS: &[(&str, &[Endpoint])] = &[
    (
        "Echo",
        &[
            e("/lab/anything[/…]", "/lab/anything/any/path?x=1", "Any method: everything the server received, as JSON"),
            e("/lab/get", "/lab/get?x=1", "GET only: query arguments, headers, your IP"),
            e("/lab/post", "/lab/post", "POST only: also the body, parsed as form or JSON"),
            e("/lab/put", "/lab/put", "PUT only: like post"),
            e("/lab/patch", "/lab/patch", "PATCH only: like post"),
            e("/lab/delete", "/lab/delete", "DELETE only: like post"),
            e("/lab/headers", "/lab/headers", "The request headers"),
            e("/lab/ip", "/lab/ip", "The IP address the server sees"),
            e("/lab/user-agent", "/lab/user-agent", "The User-Agent header"),
            e("/lab/dump/request", "/lab/dump/request?x=1", "The raw request as text: request line, headers, blank line, body"),
        ],
    ),
    (
        "Status codes",
        &[
            e("/lab/status/{code}", "/lab/status/404", "Answers with that status, 200 to 599 (1xx are interim, never final)"),
            e("/lab/status/{a},{b}:{weight}", "/lab/status/200:3,500:1", "A status picked at random by weight"),
            e("/lab/unstable?failure_rate=", "/lab/unstable?failure_rate=0.5", "Fails with 500 at that rate, else 200"),
        ],
    ),
    (
        "Redirects",
        &[
            e("/lab/redirect/{n}", "/lab/redirect/3", "n redirects (302), then /lab/get"),
            e("/lab/relative-redirect/{n}", "/lab/relative-redirect/2", "n redirects with relative Location headers"),
            e("/lab/absolute-redirect/{n}", "/lab/absolute-redirect/2", "n redirects with absolute Location headers"),
            e(
                "/lab/redirect-to?url=&status_code=",
                "/lab/redirect-to?url=/lab/get&status_code=307",
                "One redirect to a URL on this server",
            ),
        ],
    ),
    (
        "Cookies",
        &[
            e("/lab/cookies", "/lab/cookies", "The cookies your browser sent"),
            e(
                "/lab/cookies/set?name=value",
                "/lab/cookies/set?flavour=oat&Max-Age=3600&SameSite=Lax",
                "Sets cookies (with attributes), then shows them",
            ),
            e("/lab/cookies/delete?name", "/lab/cookies/delete?flavour", "Expires cookies, then shows what is left"),
            e("/lab/counter", "/lab/counter", "Counts your visits in a cookie: memory for stateless HTTP"),
        ],
    ),
    (
        "Timing",
        &[
            e("/lab/delay/{seconds}", "/lab/delay/0.5", "Waits (up to 10 s), then echoes"),
            e(
                "/lab/drip?duration=&numbytes=&delay=",
                "/lab/drip?duration=2&numbytes=10",
                "Sends the body slowly, byte by byte: a long download",
            ),
            e(
                "/lab/slow-server?think=",
                "/lab/slow-server?think=300",
                "Spends its time in named steps (auth, db, render), reported in Server-Timing",
            ),
        ],
    ),
    (
        "Content",
        &[
            e("/lab/html", "/lab/html", "An HTML page"),
            e("/lab/json", "/lab/json", "A JSON document"),
            e("/lab/xml", "/lab/xml", "An XML document"),
            e("/lab/robots.txt", "/lab/robots.txt", "A robots.txt"),
            e("/lab/deny", "/lab/deny", "The page robots.txt asks crawlers not to fetch"),
            e("/lab/uuid", "/lab/uuid", "A random version 4 UUID"),
            e("/lab/base64/{value}", "/lab/base64/aGVsbG8sIHdvcmxk", "The value decoded from base64, as plain text"),
            e("/lab/encoding/utf8", "/lab/encoding/utf8", "Text in many scripts, sent as UTF-8"),
            e("/lab/links/{n}[/{offset}]", "/lab/links/10/0", "A page of n links to its siblings"),
            e("/lab/bytes/{n}", "/lab/bytes/1024", "n random bytes (up to 10 MiB)"),
            e(
                "/lab/stream-bytes/{n}?chunk_size=",
                "/lab/stream-bytes/4096?chunk_size=1024",
                "n random bytes in chunks, without Content-Length",
            ),
            e("/lab/range/{n}", "/lab/range/26", "n bytes that honour a Range request: 206 Partial Content, or 416"),
            e("/lab/stream/{n}", "/lab/stream/5", "n JSON lines, streamed"),
            e("/lab/image", "/lab/image", "An image in the format your Accept header prefers (webp, svg, png), or 406"),
            e("/lab/image/{png|svg|webp}", "/lab/image/png", "An image of that type"),
            e("/lab/gzip", "/lab/gzip", "A gzip-encoded body"),
            e("/lab/brotli", "/lab/brotli", "A brotli-encoded body"),
            e("/lab/deflate", "/lab/deflate", "A deflate-encoded body"),
            e("/lab/etag/{etag}", "/lab/etag/v1", "304 when If-None-Match matches, else 200 with that ETag"),
            e("/lab/cache", "/lab/cache", "304 on a conditional request, else 200 with Last-Modified and ETag"),
            e("/lab/cache/{n}", "/lab/cache/60", "Cache-Control: public, max-age=n"),
            e("/lab/response-headers?Name=value", "/lab/response-headers?X-Lesson=cookies", "Sends the response headers you ask for"),
        ],
    ),
    (
        "Authentication",
        &[
            e(
                "/lab/basic-auth/{user}/{passwd}",
                "/lab/basic-auth/ada/lovelace",
                "200 with the right Basic credentials, else 401 and a challenge",
            ),
            e("/lab/bearer", "/lab/bearer", "200 with any Bearer token, else 401"),
            e("/lab/hidden-basic-auth/{user}/{passwd}", "/lab/hidden-basic-auth/ada/lovelace", "Like basic-auth, but 404 instead of 401"),
            e("/lab/login", "/lab/login", "POST user=learner&password=opensesame: 200 and a session cookie; wrong → 401"),
            e("/lab/account", "/lab/account", "200 with a session cookie, else 401"),
            e("/lab/admin", "/lab/admin", "401 without a session, 403 with the learner's: known, not allowed"),
            e("/lab/logout", "/lab/logout", "POST: forgets the session and expires its cookie"),
        ],
    ),
    (
        "Notes (methods)",
        &[
            e(
                "/lab/notes",
                "/lab/notes",
                "Your own list, kept in memory: GET it, POST {\"text\": …} → 201 (409 for a duplicate), other methods → 405",
            ),
            e("/lab/notes/{id}", "/lab/notes/1", "GET, PUT (whole note), PATCH (part), DELETE → 204; 404 when there is no such note"),
        ],
    ),
    (
        "HTTPS",
        &[e(
            "/lab/https",
            "/lab/https",
            "Where this lab also listens over TLS (h2 and http/1.1, and http/1.1 only) and its certificate's pin",
        )],
    ),
    (
        "Classroom",
        &[e("/lab/class", "/lab/class", "The addresses students on the network can open (none when the lab listens on loopback only)")],
    ),
    (
        "Page fixtures",
        &[
            e("/lab/page/{name}", "/lab/page/median", "A page whose sub-resources are known: tiny, median or heavy"),
            e("/lab/page/{name}/manifest.json", "/lab/page/median/manifest.json", "Every request that page causes"),
        ],
    ),
];

/// What `/lab/class` answers: the origins other machines can reach this
/// lab at (`http://192.168.1.20:8080`), for a teacher to hand out. Empty
/// when the lab listens on loopback only.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ClassInfo {
    pub urls: Vec<String>,
}

/// The origins students can use for a lab listening on `bound`: the names
/// it was given first (a name is easier to type), then each of the
/// machine's `addresses` it listens on. Loopback and IPv6 link-local
/// addresses (which would need a zone in the URL) are left out.
pub fn class_urls(bound: std::net::SocketAddr, addresses: &[std::net::IpAddr], names: &[String]) -> Vec<String> {
    let port = match bound.port() {
        80 => String::new(),
        p => format!(":{p}"),
    };
    class_hosts(bound, addresses, names)
        .into_iter()
        .map(|h| if h.contains(':') { format!("http://[{h}]{port}") } else { format!("http://{h}{port}") })
        .collect()
}

/// The names and addresses of `class_urls`, without scheme or port (what
/// the lab's certificate must also name).
pub fn class_hosts(bound: std::net::SocketAddr, addresses: &[std::net::IpAddr], names: &[String]) -> Vec<String> {
    use std::net::IpAddr;
    let ip = bound.ip();
    if ip.is_loopback() {
        return Vec::new();
    }
    let usable = |a: &IpAddr| match a {
        IpAddr::V4(v4) => !v4.is_loopback() && !v4.is_unspecified() && !v4.is_link_local(),
        IpAddr::V6(v6) => !v6.is_loopback() && !v6.is_unspecified() && (v6.segments()[0] & 0xffc0) != 0xfe80,
    };
    let listened: Vec<IpAddr> = if ip.is_unspecified() {
        // `0.0.0.0` takes IPv4 only; `::` takes both on Linux.
        addresses.iter().copied().filter(|a| usable(a) && (ip.is_ipv6() || a.is_ipv4())).collect()
    } else {
        vec![ip]
    };
    let mut hosts: Vec<String> = names.iter().map(|n| n.to_ascii_lowercase()).collect();
    for a in listened {
        let host = a.to_string();
        if !hosts.contains(&host) {
            hosts.push(host);
        }
    }
    hosts
}

/// What `/lab/https` answers: where the same lab listens over TLS, for
/// requests whose TLS handshake the browser can measure.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HttpsInfo {
    /// `https://host:port`, offering `h2` and `http/1.1` (browsers pick h2).
    pub h2: String,
    /// `https://host:port` offering `http/1.1` only, with the same
    /// certificate: the two protocols compared with everything else equal.
    pub http11: Option<String>,
    /// base64 of the SHA-256 of the certificate's SubjectPublicKeyInfo.
    pub pin: String,
}

/// Every endpoint, flat.
pub fn all() -> impl Iterator<Item = &'static Endpoint> {
    ENDPOINTS.iter().flat_map(|(_, list)| list.iter())
}

/// The name the lab's JSON index (`GET /lab/`) carries.
pub const LAB_NAME: &str = "Roundtrip lab";

/// True when `body` is the lab's JSON index: the page is served by the lab
/// (or a lab answers at that address), so lessons can use `/lab/…`.
pub fn is_lab_index(body: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(body).is_ok_and(|v| v["lab"] == LAB_NAME)
}

#[cfg(test)]
mod tests {
    #[test]
    fn class_urls_name_what_other_machines_can_reach() {
        let addrs: Vec<std::net::IpAddr> = ["127.0.0.1", "192.168.1.20", "10.0.0.5", "169.254.3.4", "::1", "fe80::1", "2001:db8::7"]
            .iter()
            .map(|a| a.parse().unwrap())
            .collect();
        let names = vec!["Lab.School.example".to_owned()];
        // Loopback only: nobody else can reach it.
        assert!(super::class_urls("127.0.0.1:8080".parse().unwrap(), &addrs, &names).is_empty());
        // Every IPv4 address of the machine, the name first.
        assert_eq!(
            super::class_urls("0.0.0.0:8080".parse().unwrap(), &addrs, &names),
            ["http://lab.school.example:8080", "http://192.168.1.20:8080", "http://10.0.0.5:8080"]
        );
        // `::` also takes IPv6; link-local needs a zone in a URL: left out. Port 80 is not written.
        assert_eq!(
            super::class_urls("[::]:80".parse().unwrap(), &addrs, &[]),
            ["http://192.168.1.20", "http://10.0.0.5", "http://[2001:db8::7]"]
        );
        // The certificate names the same hosts, IPv6 without brackets.
        assert_eq!(
            super::class_hosts("[::]:80".parse().unwrap(), &addrs, &names),
            ["lab.school.example", "192.168.1.20", "10.0.0.5", "2001:db8::7"]
        );
        // One address: that one.
        assert_eq!(super::class_urls("10.0.0.5:9000".parse().unwrap(), &addrs, &[]), ["http://10.0.0.5:9000"]);
    }

    #[test]
    fn the_lab_index_is_recognised_and_a_static_host_404_page_is_not() {
        assert!(super::is_lab_index(r#"{"lab": "Roundtrip lab", "groups": []}"#));
        assert!(!super::is_lab_index("<!doctype html><title>404 Not Found</title>"));
        assert!(!super::is_lab_index(r#"{"lab": "something else"}"#));
        assert!(!super::is_lab_index(""));
    }

    #[test]
    fn examples_are_lab_paths_and_routes_are_unique() {
        let mut routes: Vec<_> = super::all().map(|e| e.route).collect();
        for e in super::all() {
            assert!(e.example.starts_with("/lab/") && e.route.starts_with("/lab/"), "{e:?}");
            assert!(!e.meaning.is_empty());
        }
        let n = routes.len();
        routes.sort();
        routes.dedup();
        assert_eq!(routes.len(), n, "a route is listed twice");
    }
}
