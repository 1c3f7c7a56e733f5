//! Request headers as a learner types them: one `Name: value` per line.

/// A line that is not a valid header, with what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeaderLineError {
    /// 1-based line number in the text the learner typed.
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for HeaderLineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Header line {}: {}", self.line, self.message)
    }
}

/// Parses `Name: value` lines; blank lines are ignored.
pub fn parse_header_lines(text: &str) -> Result<Vec<(String, String)>, HeaderLineError> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let err = |message: String| HeaderLineError { line: i + 1, message };
        let Some((name, value)) = line.split_once(':') else {
            return Err(err(format!("“{line}” has no colon; write it as Name: value")));
        };
        let name = name.trim();
        if name.is_empty() {
            return Err(err("the header name before the colon is empty".into()));
        }
        if let Some(bad) = name.chars().find(|c| !is_token_char(*c)) {
            return Err(err(format!("the name “{name}” contains “{bad}”, which header names cannot contain")));
        }
        let value = value.trim();
        if let Some(bad) = value.chars().find(|c| c.is_control() && *c != '\t') {
            return Err(err(format!("the value contains the control character {:?}", bad)));
        }
        // fetch sends a header as bytes, one per character up to U+00FF:
        // past it the browser refuses the request with its own words.
        if let Some(bad) = value.chars().find(|c| u32::from(*c) > 0xFF) {
            let mut utf8 = [0; 4];
            let encoded: String = bad.encode_utf8(&mut utf8).bytes().map(|b| format!("%{b:02X}")).collect();
            return Err(err(format!(
                "the value contains “{bad}”, which a header cannot carry as it is (only Latin-1 characters); percent-encode it, as {encoded}"
            )));
        }
        out.push((name.to_owned(), value.to_owned()));
    }
    Ok(out)
}

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

/// The lines of `text` that are valid headers, each read alone: one line
/// the request bar refuses (it says why) does not hide the others.
pub fn readable_header_lines(text: &str) -> Vec<(String, String)> {
    text.lines().filter_map(|line| parse_header_lines(line).ok()).flatten().collect()
}

/// The names among `text`'s header lines that the browser owns, each once,
/// as typed: fetch drops them without a word, so the form says so.
pub fn browser_owned(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (name, _) in readable_header_lines(text) {
        if is_forbidden_request_header(&name) && !out.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
            out.push(name);
        }
    }
    out
}

/// Headers a page's JavaScript may not set: the browser owns them (Fetch
/// standard's forbidden request-header names). Setting one is silently ignored.
pub fn is_forbidden_request_header(name: &str) -> bool {
    const NAMES: &[&str] = &[
        "accept-charset",
        "accept-encoding",
        "access-control-request-headers",
        "access-control-request-method",
        "connection",
        "content-length",
        "cookie",
        "cookie2",
        "date",
        "dnt",
        "expect",
        "host",
        "keep-alive",
        "origin",
        "referer",
        "set-cookie",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "via",
    ];
    let lower = name.to_ascii_lowercase();
    NAMES.contains(&lower.as_str()) || lower.starts_with("proxy-") || lower.starts_with("sec-")
}

/// A header Roundtrip can explain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeaderInfo {
    /// The canonical spelling, as MDN writes it.
    pub name: &'static str,
    pub meaning: &'static str,
    /// Whether MDN has a page for it (a standard header).
    documented: bool,
}

impl HeaderInfo {
    /// Its page on MDN, when it has one.
    pub fn mdn(&self) -> Option<String> {
        self.documented.then(|| format!("https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/{}", self.name))
    }
}

const fn h(name: &'static str, meaning: &'static str) -> HeaderInfo {
    HeaderInfo { name, meaning, documented: true }
}

/// A header no standard defines (MDN has no page for it).
const fn own(name: &'static str, meaning: &'static str) -> HeaderInfo {
    HeaderInfo { name, meaning, documented: false }
}

/// Common headers, one sentence each.
pub const CATALOGUE: &[HeaderInfo] = &[
    h("Accept", "The formats the client can handle, in order of preference."),
    h("Accept-Encoding", "The compressions the client can undo (gzip, br…); the browser sets it."),
    h("Accept-Language", "The human languages the reader prefers."),
    h("Accept-Ranges", "Whether the server can send parts of the resource (bytes)."),
    h("Access-Control-Allow-Credentials", "CORS: the page may see the response even when cookies were sent."),
    h("Access-Control-Allow-Headers", "CORS preflight: request headers the server accepts from other origins."),
    h("Access-Control-Allow-Methods", "CORS preflight: methods the server accepts from other origins."),
    h("Access-Control-Allow-Origin", "CORS: which origin's pages may read this response."),
    h("Access-Control-Expose-Headers", "CORS: response headers a page from another origin may read."),
    h("Access-Control-Max-Age", "CORS: how long the browser may remember a preflight's answer."),
    h("Access-Control-Request-Headers", "CORS preflight: the headers the real request will carry."),
    h("Access-Control-Request-Method", "CORS preflight: the method the real request will use."),
    h("Age", "How many seconds the response has spent in a shared cache."),
    h("Alt-Svc", "Another place (protocol, host, port) serving the same site, e.g. HTTP/3 over QUIC, for later requests."),
    h("Allow", "The methods this URL accepts (sent with 405)."),
    h("Authorization", "Credentials proving who the client is (Basic, Bearer…)."),
    h("Cache-Control", "Who may cache this, and for how long (max-age, no-cache, no-store…)."),
    h("Connection", "Whether to keep the TCP connection open after this exchange (HTTP/1.1)."),
    h("Content-Disposition", "Show the body in the page (inline) or save it as a file (attachment), and under which name."),
    h("Content-Encoding", "The compression applied to the body (gzip, br…)."),
    h("Content-Language", "The human language of the body."),
    h("Content-Length", "The body's size in bytes, so the reader knows where it ends."),
    h("Content-Range", "Which part of the resource this body is (with 206), and the whole size."),
    h("Content-Security-Policy", "Where the page may load scripts, styles, images and frames from; the browser blocks the rest."),
    h("Content-Type", "What the body is (text/html, application/json…), so it is read correctly."),
    h("Cookie", "The cookies the browser stored for this site, sent back with the request."),
    h("Cross-Origin-Embedder-Policy", "require-corp: the page loads from other sites only what they allow it to embed."),
    h("Cross-Origin-Opener-Policy", "same-origin: a page of another site that opens this one (or is opened by it) gets no handle on its window."),
    h("Cross-Origin-Resource-Policy", "Which sites may embed this response (same-origin, same-site, cross-origin)."),
    h("Date", "When the message was sent."),
    h("ETag", "A version tag for the resource, for revalidating a cached copy."),
    h("Expires", "A date after which the response counts as stale (Cache-Control wins if both)."),
    h("Host", "Which site on the server the request is for: many sites share one IP."),
    h("If-Match", "Do it only if the resource still has this ETag (avoids lost updates)."),
    h("If-Modified-Since", "Send the body only if it changed since this date; otherwise 304."),
    h("If-None-Match", "Send the body only if the ETag differs; otherwise 304."),
    h("Keep-Alive", "How long and for how many requests an idle connection stays open."),
    h("Last-Modified", "When the resource last changed, for revalidating a cached copy."),
    h("Link", "Other resources related to this one; rel=preload asks the browser to fetch one early."),
    h("Location", "Where to go next: the target of a redirect, or of something just created."),
    h("Origin", "The origin (scheme, host, port) of the page that sent the request."),
    h("Permissions-Policy", "Which browser features (camera, geolocation…) this page and its frames may use."),
    h("Pragma", "The HTTP/1.0 way of saying no-cache; browsers still send it beside Cache-Control."),
    h("Priority", "How urgent the browser thinks this response is (u=0 most, u=7 least), so the server can order its work."),
    h("Referer", "The address of the page the request came from (spelled so in HTTP)."),
    h("Referrer-Policy", "How much of the page address browsers may send as Referer."),
    h("Retry-After", "How long to wait before trying again (with 429 or 503)."),
    h("Range", "Asks for only part of the resource (bytes=0-99); the answer is 206 Partial Content."),
    h("Sec-CH-UA", "Set by Chromium browsers: the browser's brand and major version, as a client hint."),
    h("Sec-CH-UA-Mobile", "Set by Chromium browsers: ?1 on a phone, ?0 otherwise."),
    h("Sec-CH-UA-Platform", "Set by Chromium browsers: the operating system, as a client hint."),
    h("Sec-Fetch-Dest", "Set by the browser: what the response will be used for (document, image, empty…)."),
    h("Sec-Fetch-Mode", "Set by the browser: the request's mode (navigate, cors, no-cors…)."),
    h("Sec-Fetch-Site", "Set by the browser: whether the request is same-origin, same-site or cross-site."),
    h("Sec-Fetch-User", "Set by the browser: ?1 when a person's click or key started this navigation."),
    h("Server", "The software that answered."),
    h("Server-Timing", "The server's own account of where its time went, in named steps."),
    h("Set-Cookie", "Asks the browser to store a cookie; JavaScript never sees this header."),
    h("Strict-Transport-Security", "Use only HTTPS for this site from now on."),
    h("Timing-Allow-Origin", "Lets pages from these origins see this response's detailed timing."),
    h("Transfer-Encoding", "How the body is framed in transit (chunked when its size is not known)."),
    h("Upgrade-Insecure-Requests", "The browser prefers HTTPS: a server may redirect this page to its secure version."),
    h("User-Agent", "Which browser or program is asking."),
    h("Vary", "Which request headers change the response, so caches keep separate copies."),
    h("WWW-Authenticate", "How to authenticate, sent with 401."),
    h("X-Content-Type-Options", "nosniff: trust Content-Type, never guess the type from the bytes."),
    h("X-Frame-Options", "Whether other sites may show this page in a frame (DENY, SAMEORIGIN); CSP's frame-ancestors is the newer way."),
    // The lab's own (see `lab::CONNECTION_HEADER`) and a common custom one.
    own(
        "X-Roundtrip-Connection",
        "Roundtrip's lab only: the number of the connection that answered, new for each connection it opens, so you can see whether a request reused one.",
    ),
    own("X-Request-Id", "Not a standard header: an ID for this one request, to find it in the server's logs."),
];

/// The explanation for `name`, whatever its case.
pub fn explain(name: &str) -> Option<&'static HeaderInfo> {
    CATALOGUE.iter().find(|h| h.name.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_covers_the_common_headers_once_each() {
        assert!(CATALOGUE.len() >= 40, "{}", CATALOGUE.len());
        let mut names: Vec<String> = CATALOGUE.iter().map(|h| h.name.to_ascii_lowercase()).collect();
        names.sort();
        let n = names.len();
        names.dedup();
        assert_eq!(names.len(), n, "a header is listed twice");
        for name in [
            "host",
            "user-agent",
            "accept",
            "content-type",
            "content-length",
            "cache-control",
            "etag",
            "last-modified",
            "if-none-match",
            "location",
            "set-cookie",
            "cookie",
            "authorization",
            "www-authenticate",
            "origin",
            "referer",
            "access-control-allow-origin",
            "timing-allow-origin",
            "server-timing",
            "content-encoding",
            "vary",
            "date",
            "server",
            "connection",
            "keep-alive",
            "transfer-encoding",
            "sec-fetch-mode",
        ] {
            assert!(explain(name).is_some(), "{name} is not explained");
        }
        assert_eq!(explain("x-made-up"), None);
        assert_eq!(
            explain("etag").unwrap().mdn().as_deref(),
            Some("https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/ETag")
        );
        // Headers no standard defines have no MDN page to link to.
        assert_eq!(explain(crate::lab::CONNECTION_HEADER).unwrap().mdn(), None);
        assert_eq!(explain("x-request-id").unwrap().mdn(), None);
        assert!(CATALOGUE.iter().all(|h| h.meaning.ends_with('.')));
    }

    #[test]
    fn parses_lines_and_skips_blank_ones() {
        let got = parse_header_lines("X-Demo: hello\n\n  Accept:application/json \r\nX-Empty:").unwrap();
        assert_eq!(
            got,
            vec![("X-Demo".into(), "hello".into()), ("Accept".into(), "application/json".into()), ("X-Empty".into(), "".into()),]
        );
        assert_eq!(parse_header_lines("").unwrap(), vec![]);
    }

    #[test]
    fn says_which_line_is_wrong_and_why() {
        let e = parse_header_lines("A: 1\nno colon here").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("no colon"), "{}", e.message);
        let e = parse_header_lines("Bad Name: x").unwrap_err();
        assert!(e.message.contains("“ ”"), "{}", e.message);
        let e = parse_header_lines(": x").unwrap_err();
        assert!(e.to_string().starts_with("Header line 1: the header name"));
        assert!(parse_header_lines("X-Latin: héllo").is_ok(), "é is one byte in a header");
        let e = parse_header_lines("A: 1\nX-Unicode: héllo ✓").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("“✓”") && e.message.ends_with("as %E2%9C%93"), "{}", e.message);
    }

    #[test]
    fn forbidden_names_are_the_browsers() {
        for name in ["Host", "cookie", "Sec-Fetch-Mode", "Proxy-Authorization", "Content-Length"] {
            assert!(is_forbidden_request_header(name), "{name}");
        }
        for name in ["Accept", "X-Demo", "Authorization", "Content-Type"] {
            assert!(!is_forbidden_request_header(name), "{name}");
        }
    }

    #[test]
    fn the_form_names_the_headers_the_browser_will_drop() {
        let typed = "Host: example.com\nX-Demo: 1\ncontent-length: 5\nnot a header line\nHOST: again\nSec-Anything: x";
        assert_eq!(browser_owned(typed), ["Host", "content-length", "Sec-Anything"]);
        assert!(browser_owned("X-Demo: 1\nAccept: */*").is_empty());
        assert!(browser_owned("").is_empty());
    }
}
