//! URL anatomy: a URL split into the parts a learner should see, and the
//! query rebuilt from an edited table. This explains; the browser's own parser
//! (in `web`) still decides what is sent.

use crate::echo::parse_urlencoded;

/// The parts of a URL, as typed (query values decoded for the table).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Anatomy {
    pub scheme: String,
    pub userinfo: Option<String>,
    pub host: String,
    /// The host is an IPv6 literal (written in brackets).
    pub ipv6: bool,
    /// The host has non-ASCII letters: browsers send it as punycode.
    pub non_ascii_host: bool,
    pub port: Option<u16>,
    pub path: String,
    /// `None` without a `?`; the raw text after it otherwise.
    pub query: Option<String>,
    pub params: Vec<(String, String)>,
    pub fragment: Option<String>,
    /// The URL was a path on this server, completed with `origin`.
    pub relative: bool,
}

/// What is wrong with a URL, and where (a character index into the input).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UrlProblem {
    pub at: usize,
    pub message: String,
}

impl Anatomy {
    /// The port the scheme implies when none is written.
    pub fn default_port(&self) -> Option<u16> {
        match self.scheme.as_str() {
            "http" => Some(80),
            "https" => Some(443),
            _ => None,
        }
    }

    /// The URL again, with `params` as its query (percent-encoded).
    pub fn with_params(&self, params: &[(String, String)]) -> String {
        let mut out = String::new();
        if !self.relative {
            out.push_str(&self.scheme);
            out.push_str("://");
            if let Some(u) = &self.userinfo {
                out.push_str(u);
                out.push('@');
            }
            if self.ipv6 {
                out.push('[');
                out.push_str(&self.host);
                out.push(']');
            } else {
                out.push_str(&self.host);
            }
            if let Some(p) = self.port {
                out.push_str(&format!(":{p}"));
            }
        }
        out.push_str(&self.path);
        if !params.is_empty() {
            out.push('?');
            let q: Vec<String> = params
                .iter()
                .map(|(k, v)| if v.is_empty() && k.is_empty() { String::new() } else { format!("{}={}", encode(k), encode(v)) })
                .collect();
            out.push_str(&q.join("&"));
        }
        if let Some(f) = &self.fragment {
            out.push('#');
            out.push_str(f);
        }
        out
    }
}

/// Percent-encodes a query key or value (space as %20, like the browser's
/// URLSearchParams would write `+`; both decode to a space).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Splits `input`. A path (`/lab/get?x=1`) is read as a URL on `origin`.
///
/// This is the authority on what can be sent: the app's Send refuses exactly
/// what this refuses, with the same sentence, and only then asks the
/// browser's parser (a wasm-bindgen test checks that the two agree on a list
/// of tricky URLs). A problem's `at` counts characters, not bytes.
pub fn anatomy(input: &str, origin: &str) -> Result<Anatomy, UrlProblem> {
    split(input, origin).map_err(|p| UrlProblem { at: input.char_indices().take_while(|(i, _)| *i < p.at).count(), ..p })
}

/// `anatomy`, with problems at byte offsets.
fn split(input: &str, origin: &str) -> Result<Anatomy, UrlProblem> {
    let problem = |at: usize, message: &str| UrlProblem { at, message: message.to_owned() };
    let trimmed = input.trim();
    let lead = input.len() - input.trim_start().len();
    if trimmed.is_empty() {
        return Err(problem(0, "the URL is empty"));
    }
    if let Some(i) = trimmed.find(|c: char| c.is_whitespace()) {
        return Err(problem(lead + i, "a URL cannot contain spaces: write %20 instead"));
    }
    let relative = trimmed.starts_with('/') && !trimmed.starts_with("//");
    let full = if relative { format!("{origin}{trimmed}") } else { trimmed.to_owned() };
    let shift = |i: usize| if relative { (lead + i).saturating_sub(origin.len()) } else { lead + i };
    // `javascript:…`, `data:…`, `mailto:…` name their scheme before the
    // first colon, `//` or not (and may hold a `://` further on); a digit
    // after the colon is a port (`localhost:8080`), not a scheme.
    if let Some((scheme, after)) = full.split_once(':') {
        let named = scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
        let web = scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https");
        if named && !web && !after.starts_with(|c: char| c.is_ascii_digit()) {
            let scheme = scheme.to_ascii_lowercase();
            return Err(problem(lead, &format!("{scheme}: is not http: or https:, and only those go over HTTP")));
        }
    }
    let Some((scheme, rest)) = full.split_once("://") else {
        return Err(problem(lead, "no scheme: start with http:// or https://, or with / for a path on this server"));
    };
    if scheme.is_empty()
        || !scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        || !scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    {
        return Err(problem(lead, "the scheme (before ://) must be letters, like http"));
    }
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Err(problem(lead, &format!("{scheme}: is not http: or https:, and only those go over HTTP")));
    }
    let base = full.len() - rest.len();
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let after = &rest[authority_end..];
    let (userinfo, hostport, host_at) = match authority.rfind('@') {
        Some(i) => (Some(authority[..i].to_owned()), &authority[i + 1..], base + i + 1),
        None => (None, authority, base),
    };
    let (host, port_text, ipv6) = if let Some(v6) = hostport.strip_prefix('[') {
        let Some(close) = v6.find(']') else {
            return Err(problem(shift(host_at), "an IPv6 address opened with [ is never closed with ]"));
        };
        let after_bracket = &v6[close + 1..];
        let port = match after_bracket.strip_prefix(':') {
            Some(p) => Some(p),
            None if after_bracket.is_empty() => None,
            None => return Err(problem(shift(host_at + close + 2), "after ] only :port may follow")),
        };
        (v6[..close].to_owned(), port, true)
    } else {
        match hostport.rsplit_once(':') {
            Some((h, p)) => (h.to_owned(), Some(p), false),
            None => (hostport.to_owned(), None, false),
        }
    };
    if host.is_empty() {
        return Err(problem(shift(host_at), "there is no host: after :// comes the server's name, like example.org"));
    }
    if ipv6 && host.parse::<std::net::Ipv6Addr>().is_err() {
        return Err(problem(shift(host_at + 1), "this is not a valid IPv6 address"));
    }
    if let Some(bad) = host.chars().position(|c| "<>\\^|%\"'".contains(c) || c.is_control()) {
        return Err(problem(shift(host_at + bad), "a host name cannot contain this character"));
    }
    // The URL Standard reads a host whose last label is a number as an IPv4
    // address, in forms (1.2.3 → 1.2.0.3, 0x7f.1, octal 010) that surprise:
    // only the plain dotted quad is accepted here.
    let last_label = host.trim_end_matches('.').rsplit('.').next().unwrap_or("");
    let numeric = !last_label.is_empty()
        && (last_label.bytes().all(|b| b.is_ascii_digit())
            || last_label.strip_prefix("0x").or(last_label.strip_prefix("0X")).is_some_and(|h| h.bytes().all(|b| b.is_ascii_hexdigit())));
    if !ipv6 && numeric && host.parse::<std::net::Ipv4Addr>().is_err() {
        return Err(problem(
            shift(host_at),
            "a host that ends in a number is read as an IPv4 address: write its four numbers from 0 to 255, like 127.0.0.1",
        ));
    }
    if let Some(bad) = after.find('\\') {
        return Err(problem(
            shift(base + authority_end + bad),
            "a backslash is not part of a URL (browsers silently read it as /): write / instead",
        ));
    }
    let port = match port_text {
        None => None,
        Some("") => None,
        Some(p) => {
            let at = shift(host_at + hostport.len() - p.len());
            match p.parse::<u32>() {
                Ok(n) if n <= 65_535 => Some(n as u16),
                Ok(_) => return Err(problem(at, "a port is a number from 0 to 65535")),
                Err(_) => return Err(problem(at, "a port is a number, like 8080")),
            }
        }
    };
    let (before_fragment, fragment) = match after.split_once('#') {
        Some((b, f)) => (b, Some(f.to_owned())),
        None => (after, None),
    };
    let (path, query) = match before_fragment.split_once('?') {
        Some((p, q)) => (p, Some(q.to_owned())),
        None => (before_fragment, None),
    };
    let path = if path.is_empty() { "/".to_owned() } else { path.to_owned() };
    let params = query.as_deref().map(parse_urlencoded).unwrap_or_default();
    Ok(Anatomy {
        scheme,
        userinfo,
        non_ascii_host: !host.is_ascii(),
        host: host.to_lowercase(),
        ipv6,
        port,
        path,
        query,
        params,
        fragment,
        relative,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORIGIN: &str = "http://127.0.0.1:8080";

    #[test]
    fn a_full_url_splits_into_every_part() {
        let a = anatomy("https://ada:pw@Example.ORG:8443/search/items?q=caf%C3%A9&page=2#results", ORIGIN).unwrap();
        assert_eq!(a.scheme, "https");
        assert_eq!(a.userinfo.as_deref(), Some("ada:pw"));
        assert_eq!((a.host.as_str(), a.port, a.default_port()), ("example.org", Some(8443), Some(443)));
        assert_eq!(a.path, "/search/items");
        assert_eq!(a.params, vec![("q".into(), "café".into()), ("page".into(), "2".into())]);
        assert_eq!(a.fragment.as_deref(), Some("results"));
        assert!(!a.relative);
    }

    #[test]
    fn tricky_urls() {
        let v6 = anatomy("http://[::1]:8080/lab/get", ORIGIN).unwrap();
        assert_eq!((v6.host.as_str(), v6.ipv6, v6.port), ("::1", true, Some(8080)));
        let empty = anatomy("http://x/?a=&b&a=2&=lonely", ORIGIN).unwrap();
        assert_eq!(
            empty.params,
            vec![("a".into(), "".into()), ("b".into(), "".into()), ("a".into(), "2".into()), ("".into(), "lonely".into())]
        );
        let bare = anatomy("http://example.org", ORIGIN).unwrap();
        assert_eq!((bare.path.as_str(), bare.query.clone(), bare.port), ("/", None, None));
        let frag = anatomy("http://x/a#b?c", ORIGIN).unwrap();
        assert_eq!((frag.path.as_str(), frag.query.clone(), frag.fragment.as_deref()), ("/a", None, Some("b?c")));
        let idn = anatomy("https://bücher.example/", ORIGIN).unwrap();
        assert!(idn.non_ascii_host);
        let rel = anatomy("/lab/anything?x=1", ORIGIN).unwrap();
        assert!(rel.relative);
        assert_eq!((rel.host.as_str(), rel.port, rel.path.as_str()), ("127.0.0.1", Some(8080), "/lab/anything"));
    }

    #[test]
    fn malformed_urls_say_what_and_where() {
        let check = |input: &str, at: usize, needle: &str| {
            let e = anatomy(input, ORIGIN).unwrap_err();
            assert_eq!(e.at, at, "{input}: {e:?}");
            assert!(e.message.contains(needle), "{input}: {}", e.message);
        };
        check("example.org/path", 0, "no scheme");
        check("javascript:alert(1)", 0, "javascript: is not http: or https:");
        check("data:text/html,<b>x</b>", 0, "data: is not http: or https:");
        check("javascript:fetch('https://x')", 0, "javascript: is not http: or https:");
        check("data:text/html,<a>http://x", 0, "data: is not http: or https:");
        check("localhost:8080/x", 0, "no scheme");
        check("http:/one-slash", 0, "no scheme");
        check("ftp://example.org/", 0, "ftp: is not http");
        check("http://", 7, "no host");
        check("http://x:99999/", 9, "0 to 65535");
        check("http://x:80a/", 9, "a port is a number");
        check("http://[::1/", 7, "never closed");
        check("http://[zz]/", 8, "not a valid IPv6");
        check("http://a b/", 8, "spaces");
        check("  ", 0, "empty");
        check("/lab/a b", 6, "spaces");
        check("http://1.2.3/", 7, "IPv4");
        check("http://0x7f.1/", 7, "IPv4");
        check("http://x/a\\b", 10, "backslash");
        check("http://%41.com/", 7, "cannot contain");
    }

    #[test]
    fn a_problem_is_marked_at_a_character_not_a_byte() {
        // "ü" is two bytes in UTF-8: the space is the 24th character, the 25th byte.
        let e = anatomy("http://bücher.example/a b", ORIGIN).unwrap_err();
        assert_eq!(e.at, 23);
        assert_eq!("http://bücher.example/a b".chars().nth(e.at), Some(' '));
        let e = anatomy("/bücher/a b", ORIGIN).unwrap_err();
        assert_eq!("/bücher/a b".chars().nth(e.at), Some(' '));
    }

    #[test]
    fn an_edited_query_rebuilds_the_url() {
        let a = anatomy("http://x:8080/lab/get?a=1#top", ORIGIN).unwrap();
        let url = a.with_params(&[("a".into(), "1".into()), ("name".into(), "Ada Lovelace & co".into())]);
        assert_eq!(url, "http://x:8080/lab/get?a=1&name=Ada%20Lovelace%20%26%20co#top");
        assert_eq!(anatomy(&url, ORIGIN).unwrap().params[1].1, "Ada Lovelace & co");
        assert_eq!(a.with_params(&[]), "http://x:8080/lab/get#top");
        let rel = anatomy("/lab/get?x=1", ORIGIN).unwrap();
        assert_eq!(rel.with_params(&[("y".into(), "2".into())]), "/lab/get?y=2");
        let v6 = anatomy("http://[::1]/", ORIGIN).unwrap();
        assert_eq!(v6.with_params(&[]), "http://[::1]/");
    }
}
