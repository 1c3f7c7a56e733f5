//! Cookies: `Set-Cookie` lines with their attributes, read and written.

/// One `Set-Cookie` line, parsed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SetCookie {
    pub name: String,
    pub value: String,
    pub path: Option<String>,
    pub domain: Option<String>,
    pub max_age: Option<i64>,
    pub expires: Option<String>,
    /// Strict, Lax or None, as written.
    pub same_site: Option<String>,
    pub http_only: bool,
    pub secure: bool,
}

impl SetCookie {
    /// Reads `name=value; Path=/; Max-Age=60; SameSite=Lax; HttpOnly; Secure`.
    /// Attribute names are case-insensitive; unknown attributes are ignored,
    /// as browsers do. `None` when there is no `name=value` first.
    pub fn parse(line: &str) -> Option<SetCookie> {
        let mut parts = line.split(';');
        let (name, value) = parts.next()?.split_once('=')?;
        let name = name.trim();
        if name.is_empty() {
            return None;
        }
        let mut c = SetCookie { name: name.to_owned(), value: value.trim().trim_matches('"').to_owned(), ..Default::default() };
        for attr in parts {
            let (k, v) = attr.split_once('=').map_or((attr.trim(), ""), |(k, v)| (k.trim(), v.trim()));
            match k.to_ascii_lowercase().as_str() {
                "path" => c.path = Some(v.to_owned()),
                "domain" => c.domain = Some(v.trim_start_matches('.').to_owned()),
                "max-age" => c.max_age = v.parse().ok(),
                "expires" => c.expires = Some(v.to_owned()),
                "samesite" => c.same_site = Some(v.to_owned()),
                "httponly" => c.http_only = true,
                "secure" => c.secure = true,
                _ => {}
            }
        }
        Some(c)
    }

    /// The line a server would send.
    pub fn to_header(&self) -> String {
        let mut out = format!("{}={}", self.name, self.value);
        if let Some(p) = &self.path {
            out.push_str(&format!("; Path={p}"));
        }
        if let Some(d) = &self.domain {
            out.push_str(&format!("; Domain={d}"));
        }
        if let Some(m) = self.max_age {
            out.push_str(&format!("; Max-Age={m}"));
        }
        if let Some(e) = &self.expires {
            out.push_str(&format!("; Expires={e}"));
        }
        if let Some(s) = &self.same_site {
            out.push_str(&format!("; SameSite={s}"));
        }
        if self.http_only {
            out.push_str("; HttpOnly");
        }
        if self.secure {
            out.push_str("; Secure");
        }
        out
    }

    /// The lab's `cookies/set` query that makes the lab send this cookie.
    pub fn lab_query(&self) -> String {
        use crate::url::encode;
        let mut q = format!("{}={}&Path={}", encode(&self.name), encode(&self.value), encode(self.path.as_deref().unwrap_or("/")));
        if let Some(m) = self.max_age {
            q.push_str(&format!("&Max-Age={m}"));
        }
        if let Some(s) = &self.same_site {
            q.push_str(&format!("&SameSite={}", encode(s)));
        }
        if self.http_only {
            q.push_str("&HttpOnly");
        }
        if self.secure {
            q.push_str("&Secure");
        }
        q
    }

    /// Whether a request to `path` carries this cookie, by its Path alone
    /// (RFC 6265 path-match: equal, or a prefix ending at a `/`).
    pub fn path_matches(&self, request_path: &str) -> bool {
        let p = self.path.as_deref().unwrap_or("/");
        request_path == p || (request_path.starts_with(p) && (p.ends_with('/') || request_path[p.len()..].starts_with('/')))
    }

    /// Why a browser would not keep or send it, where the page can tell.
    pub fn problems(&self, page_is_https: bool) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.same_site.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("none")) && !self.secure {
            out.push("SameSite=None without Secure: browsers refuse to store it.");
        }
        if self.max_age.is_some_and(|m| m <= 0) {
            out.push("Max-Age of 0 or less: it expires at once (that is how a server deletes a cookie).");
        }
        if self.secure && !page_is_https {
            out.push("Secure: sent only over https (browsers make an exception for localhost).");
        }
        out
    }
}

/// The cookies `document.cookie` shows: `a=1; b=2`.
pub fn parse_document_cookie(text: &str) -> Vec<(String, String)> {
    crate::echo::parse_cookie_header(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_attribute_is_read() {
        let c = SetCookie::parse("flavour=\"oat\"; Path=/lab; Domain=.example.org; Max-Age=3600; Expires=Wed, 21 Oct 2026 07:28:00 GMT; SameSite=Lax; HttpOnly; Secure; Priority=High").unwrap();
        assert_eq!(c.name, "flavour");
        assert_eq!(c.value, "oat");
        assert_eq!(c.path.as_deref(), Some("/lab"));
        assert_eq!(c.domain.as_deref(), Some("example.org"));
        assert_eq!(c.max_age, Some(3600));
        assert_eq!(c.expires.as_deref(), Some("Wed, 21 Oct 2026 07:28:00 GMT"));
        assert_eq!(c.same_site.as_deref(), Some("Lax"));
        assert!(c.http_only && c.secure);
        let minimal = SetCookie::parse("a=").unwrap();
        assert_eq!((minimal.value.as_str(), minimal.path.clone(), minimal.http_only), ("", None, false));
        assert_eq!(SetCookie::parse("no equals sign"), None);
        assert_eq!(SetCookie::parse("=value"), None);
        assert_eq!(
            SetCookie::parse("a=1; httponly; SECURE; samesite=Strict").map(|c| (c.http_only, c.secure, c.same_site)),
            Some((true, true, Some("Strict".into())))
        );
    }

    #[test]
    fn a_written_line_reads_back_the_same() {
        let c = SetCookie {
            name: "s".into(),
            value: "1".into(),
            path: Some("/lab".into()),
            max_age: Some(60),
            same_site: Some("None".into()),
            secure: true,
            ..Default::default()
        };
        assert_eq!(c.to_header(), "s=1; Path=/lab; Max-Age=60; SameSite=None; Secure");
        assert_eq!(SetCookie::parse(&c.to_header()), Some(c));
    }

    #[test]
    fn the_lab_query_asks_for_the_same_cookie() {
        let c = SetCookie::parse("flavour=oat milk; Path=/lab; Max-Age=60; SameSite=Lax; HttpOnly").unwrap();
        assert_eq!(c.lab_query(), "flavour=oat%20milk&Path=%2Flab&Max-Age=60&SameSite=Lax&HttpOnly");
        assert_eq!(SetCookie::parse("a=1").unwrap().lab_query(), "a=1&Path=%2F");
    }

    #[test]
    fn paths_match_as_browsers_do() {
        let c = SetCookie { path: Some("/lab".into()), ..SetCookie::parse("a=1").unwrap() };
        assert!(c.path_matches("/lab") && c.path_matches("/lab/cookies"));
        assert!(!c.path_matches("/laboratory") && !c.path_matches("/"));
        assert!(SetCookie::parse("a=1").unwrap().path_matches("/anything"));
    }

    #[test]
    fn problems_a_page_can_foresee() {
        let none_insecure = SetCookie::parse("a=1; SameSite=None").unwrap();
        assert!(none_insecure.problems(false)[0].contains("without Secure"));
        assert!(SetCookie::parse("a=1; Max-Age=0").unwrap().problems(true)[0].contains("expires at once"));
        assert!(SetCookie::parse("a=1; Secure").unwrap().problems(true).is_empty());
        assert_eq!(parse_document_cookie("a=1; visits=3"), vec![("a".into(), "1".into()), ("visits".into(), "3".into())]);
    }
}
