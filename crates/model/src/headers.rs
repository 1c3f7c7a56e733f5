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
        out.push((name.to_owned(), value.to_owned()));
    }
    Ok(out)
}

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

/// Headers a page's JavaScript may not set: the browser owns them (Fetch
/// standard's forbidden request-header names). Setting one is silently ignored.
pub fn is_forbidden_request_header(name: &str) -> bool {
    const NAMES: &[&str] = &[
        "accept-charset", "accept-encoding", "access-control-request-headers",
        "access-control-request-method", "connection", "content-length", "cookie", "cookie2",
        "date", "dnt", "expect", "host", "keep-alive", "origin", "referer", "set-cookie", "te",
        "trailer", "transfer-encoding", "upgrade", "via",
    ];
    let lower = name.to_ascii_lowercase();
    NAMES.contains(&lower.as_str()) || lower.starts_with("proxy-") || lower.starts_with("sec-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lines_and_skips_blank_ones() {
        let got = parse_header_lines("X-Demo: hello\n\n  Accept:application/json \r\nX-Empty:").unwrap();
        assert_eq!(
            got,
            vec![
                ("X-Demo".into(), "hello".into()),
                ("Accept".into(), "application/json".into()),
                ("X-Empty".into(), "".into()),
            ]
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
}
