//! Status codes: the five families and the IANA registry's reason phrases.

/// The class of a status code, told by its first digit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    Informational,
    Success,
    Redirection,
    ClientError,
    ServerError,
}

impl Family {
    /// The family of `code`, or `None` outside 100–599.
    pub fn of(code: u16) -> Option<Family> {
        Some(match code {
            100..=199 => Family::Informational,
            200..=299 => Family::Success,
            300..=399 => Family::Redirection,
            400..=499 => Family::ClientError,
            500..=599 => Family::ServerError,
            _ => return None,
        })
    }

    /// "2xx", "4xx"…
    pub fn label(self) -> &'static str {
        match self {
            Family::Informational => "1xx",
            Family::Success => "2xx",
            Family::Redirection => "3xx",
            Family::ClientError => "4xx",
            Family::ServerError => "5xx",
        }
    }

    /// The family's name in a word or two.
    pub fn name(self) -> &'static str {
        match self {
            Family::Informational => "Information",
            Family::Success => "Success",
            Family::Redirection => "Redirection",
            Family::ClientError => "Client error",
            Family::ServerError => "Server error",
        }
    }

    /// One sentence a learner can read beside the code.
    pub fn meaning(self) -> &'static str {
        match self {
            Family::Informational => "The server has an interim note; the real answer is still to come.",
            Family::Success => "The server understood the request and did what was asked.",
            Family::Redirection => "The answer is elsewhere, or already with you: the browser is pointed to another URL (its Location header), or, with a 304, told that the copy it has is still good.",
            Family::ClientError => "The server is fine, but something about the request itself was wrong.",
            Family::ServerError => "The request may have been fine, but the server failed while handling it.",
        }
    }

    /// A CSS-friendly name, e.g. for a badge's class.
    pub fn slug(self) -> &'static str {
        match self {
            Family::Informational => "info",
            Family::Success => "success",
            Family::Redirection => "redirect",
            Family::ClientError => "client-error",
            Family::ServerError => "server-error",
        }
    }
}

/// Every code in the IANA HTTP Status Code Registry, with its reason phrase.
pub const REGISTRY: &[(u16, &str)] = &[
    (100, "Continue"),
    (101, "Switching Protocols"),
    (102, "Processing"),
    (103, "Early Hints"),
    (104, "Upload Resumption Supported"),
    (200, "OK"),
    (201, "Created"),
    (202, "Accepted"),
    (203, "Non-Authoritative Information"),
    (204, "No Content"),
    (205, "Reset Content"),
    (206, "Partial Content"),
    (207, "Multi-Status"),
    (208, "Already Reported"),
    (226, "IM Used"),
    (300, "Multiple Choices"),
    (301, "Moved Permanently"),
    (302, "Found"),
    (303, "See Other"),
    (304, "Not Modified"),
    (305, "Use Proxy"),
    (307, "Temporary Redirect"),
    (308, "Permanent Redirect"),
    (400, "Bad Request"),
    (401, "Unauthorized"),
    (402, "Payment Required"),
    (403, "Forbidden"),
    (404, "Not Found"),
    (405, "Method Not Allowed"),
    (406, "Not Acceptable"),
    (407, "Proxy Authentication Required"),
    (408, "Request Timeout"),
    (409, "Conflict"),
    (410, "Gone"),
    (411, "Length Required"),
    (412, "Precondition Failed"),
    (413, "Content Too Large"),
    (414, "URI Too Long"),
    (415, "Unsupported Media Type"),
    (416, "Range Not Satisfiable"),
    (417, "Expectation Failed"),
    (421, "Misdirected Request"),
    (422, "Unprocessable Content"),
    (423, "Locked"),
    (424, "Failed Dependency"),
    (425, "Too Early"),
    (426, "Upgrade Required"),
    (428, "Precondition Required"),
    (429, "Too Many Requests"),
    (431, "Request Header Fields Too Large"),
    (451, "Unavailable For Legal Reasons"),
    (500, "Internal Server Error"),
    (501, "Not Implemented"),
    (502, "Bad Gateway"),
    (503, "Service Unavailable"),
    (504, "Gateway Timeout"),
    (505, "HTTP Version Not Supported"),
    (506, "Variant Also Negotiates"),
    (507, "Insufficient Storage"),
    (508, "Loop Detected"),
    (510, "Not Extended (OBSOLETED)"),
    (511, "Network Authentication Required"),
];

/// What each registered code means, in one sentence.
pub fn meaning(code: u16) -> Option<&'static str> {
    Some(match code {
        100 => "Go on: the server has the request's headers and will take the body.",
        101 => "The server agrees to switch to the protocol the client asked for (e.g. WebSocket).",
        102 => "Still working on it (WebDAV): no final answer yet.",
        103 => "A preview of headers, so the browser can start preloading before the real answer.",
        104 => "The server supports resuming an interrupted upload.",
        200 => "It worked: here is what you asked for.",
        201 => "It worked and something new was created; Location usually says where.",
        202 => "Accepted for later: the work has not been done yet.",
        203 => "It worked, but a proxy changed the content on the way.",
        204 => "It worked, and there is nothing to send back.",
        205 => "It worked: reset the form or view that sent this.",
        206 => "Here is the part of the resource you asked for with Range.",
        207 => "Several results in one body, one per resource (WebDAV).",
        208 => "Already listed earlier in this same answer (WebDAV).",
        226 => "The answer is the result of changes applied to the current version.",
        300 => "Several versions exist; pick one.",
        301 => "Moved for good to the URL in Location: update your links.",
        302 => "Found elsewhere for now: follow Location this time.",
        303 => "See the URL in Location, fetched with GET (typical after a form POST).",
        304 => "Not modified: the copy in your cache is still good, so no body is sent.",
        305 => "Use the proxy in Location (deprecated, ignored by browsers).",
        307 => "Temporarily elsewhere: repeat the same request, same method, at Location.",
        308 => "Permanently elsewhere: repeat the same request, same method, at Location, from now on.",
        400 => "The server could not understand the request: malformed syntax or bad parameters.",
        401 => "Who are you? Authenticate first (WWW-Authenticate says how).",
        402 => "Reserved for payment schemes; rarely used.",
        403 => "The server knows who you are, and the answer is no.",
        404 => "There is nothing at this URL: the server works, the address does not exist.",
        405 => "This URL exists but does not accept this method; Allow lists the ones it does.",
        406 => "The server cannot produce a format your Accept headers allow.",
        407 => "Authenticate with the proxy first.",
        408 => "The server gave up waiting for the rest of your request.",
        409 => "The request conflicts with the resource's current state (e.g. an edit clash).",
        410 => "It was here and is gone for good.",
        411 => "Send a Content-Length header.",
        412 => "A precondition in your headers (If-Match…) was false, so nothing was done.",
        413 => "The body is larger than the server accepts.",
        414 => "The URL is longer than the server accepts.",
        415 => "The server does not accept the body's Content-Type.",
        416 => "The Range you asked for lies outside the resource.",
        417 => "The server cannot meet the Expect header's demand.",
        421 => "This server cannot answer for that host on this connection.",
        422 => "Well-formed, but the content makes no sense to the server (e.g. failed validation).",
        423 => "The resource is locked (WebDAV).",
        424 => "It failed because another request it depended on failed (WebDAV).",
        425 => "Too early: the server will not risk handling a request that might be replayed.",
        426 => "Switch to another protocol first; Upgrade says which.",
        428 => "Make the request conditional (If-Match…) to avoid lost updates.",
        429 => "Too many requests: slow down (Retry-After may say for how long).",
        431 => "The headers are too large.",
        451 => "Unavailable for legal reasons, such as a court order.",
        500 => "The server failed while handling the request: a problem on its side.",
        501 => "The server does not support what the request needs.",
        502 => "A gateway or proxy got a bad answer from the server behind it.",
        503 => "The server cannot answer right now (overloaded or down for maintenance).",
        504 => "A gateway or proxy waited too long for the server behind it.",
        505 => "The server does not support this HTTP version.",
        506 => "The server's content negotiation is misconfigured.",
        507 => "The server has no room to store what is needed (WebDAV).",
        508 => "The server found an infinite loop (WebDAV).",
        510 => "More extensions are needed (obsolete).",
        511 => "Log in to the network first (a captive portal, as in hotel Wi-Fi).",
        _ => return None,
    })
}

/// The seed's real-world picture for the three codes everyone meets.
pub fn analogy(code: u16) -> Option<&'static str> {
    match code {
        200 => Some("Package delivered."),
        404 => Some("The address does not exist."),
        500 => Some("Problem at the warehouse."),
        _ => None,
    }
}

/// The seven codes the status lesson starts with.
pub const ESSENTIAL: [u16; 7] = [200, 301, 400, 401, 403, 404, 500];

/// The registered reason phrase for `code`, if the code is registered.
pub fn reason_phrase(code: u16) -> Option<&'static str> {
    REGISTRY.binary_search_by_key(&code, |(c, _)| *c).ok().map(|i| REGISTRY[i].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_is_sorted_without_duplicates_and_inside_families() {
        for pair in REGISTRY.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{} then {}", pair[0].0, pair[1].0);
        }
        for (code, phrase) in REGISTRY {
            assert!(Family::of(*code).is_some(), "{code}");
            assert!(!phrase.is_empty());
        }
    }

    #[test]
    fn the_seed_table_codes_have_their_phrases() {
        let check = |code, phrase| assert_eq!(reason_phrase(code), Some(phrase));
        check(200, "OK");
        check(301, "Moved Permanently");
        check(400, "Bad Request");
        check(401, "Unauthorized");
        check(403, "Forbidden");
        check(404, "Not Found");
        check(500, "Internal Server Error");
        assert_eq!(reason_phrase(299), None);
        assert_eq!(reason_phrase(418), None, "418 is reserved, not assigned");
    }

    #[test]
    fn every_registered_code_has_a_meaning() {
        for (code, _) in REGISTRY {
            let m = meaning(*code).unwrap_or_else(|| panic!("{code} has no meaning"));
            assert!(m.ends_with('.') && m.len() > 15, "{code}: {m}");
        }
        assert_eq!(meaning(299), None);
        assert!(ESSENTIAL.iter().all(|c| reason_phrase(*c).is_some()));
        assert_eq!(analogy(404), Some("The address does not exist."));
    }

    #[test]
    fn families_by_first_digit() {
        assert_eq!(Family::of(99), None);
        assert_eq!(Family::of(100).map(Family::label), Some("1xx"));
        assert_eq!(Family::of(204).map(Family::label), Some("2xx"));
        assert_eq!(Family::of(399).map(Family::label), Some("3xx"));
        assert_eq!(Family::of(404).map(Family::name), Some("Client error"));
        assert_eq!(Family::of(599).map(Family::name), Some("Server error"));
        assert_eq!(Family::of(600), None);
    }
}
