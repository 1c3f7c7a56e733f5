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
            Family::Redirection => "The answer lives somewhere else: the browser is pointed to another URL.",
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

/// The registered reason phrase for `code`, if the code is registered.
pub fn reason_phrase(code: u16) -> Option<&'static str> {
    REGISTRY
        .binary_search_by_key(&code, |(c, _)| *c)
        .ok()
        .map(|i| REGISTRY[i].1)
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
