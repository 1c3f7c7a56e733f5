//! The `Server-Timing` header: the server's own account of where its time went.
//!
//! `name;dur=1.25;desc="Read the request", other;dur=0.5`

use serde::{Deserialize, Serialize};

/// One metric of a `Server-Timing` header.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Metric {
    /// A token such as `parse` or `db`.
    pub name: String,
    /// Milliseconds, when the server gave a `dur`.
    pub duration_ms: Option<f64>,
    /// The server's free-text description, possibly empty.
    pub description: String,
}

impl Metric {
    pub fn new(name: &str, duration_ms: f64, description: &str) -> Metric {
        Metric { name: name.to_owned(), duration_ms: Some(duration_ms), description: description.to_owned() }
    }
}

/// Writes metrics as one header value. Durations keep three decimals
/// (microsecond resolution), which is what a loopback server can honestly claim.
pub fn format(metrics: &[Metric]) -> String {
    let mut out = String::new();
    for (i, m) in metrics.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&m.name);
        if let Some(d) = m.duration_ms {
            out.push_str(&std::format!(";dur={d:.3}"));
        }
        if !m.description.is_empty() {
            out.push_str(";desc=\"");
            for c in m.description.chars() {
                if c == '"' || c == '\\' {
                    out.push('\\');
                }
                out.push(c);
            }
            out.push('"');
        }
    }
    out
}

/// Reads a header value. Malformed parts are skipped, never fatal: a learner may
/// point Roundtrip at any server.
pub fn parse(value: &str) -> Vec<Metric> {
    split_outside_quotes(value, ',')
        .into_iter()
        .filter_map(|entry| {
            let mut parts = split_outside_quotes(&entry, ';').into_iter();
            let name = parts.next()?.trim().to_owned();
            if name.is_empty() || !name.chars().all(is_token_char) {
                return None;
            }
            let mut metric = Metric { name, duration_ms: None, description: String::new() };
            for param in parts {
                let Some((key, val)) = param.split_once('=') else { continue };
                let val = unquote(val.trim());
                match key.trim().to_ascii_lowercase().as_str() {
                    "dur" if metric.duration_ms.is_none() => metric.duration_ms = val.parse::<f64>().ok().filter(|d| d.is_finite()),
                    "desc" if metric.description.is_empty() => metric.description = val,
                    _ => {}
                }
            }
            Some(metric)
        })
        .collect()
}

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

fn unquote(s: &str) -> String {
    let Some(inner) = s.strip_prefix('"').and_then(|s| s.strip_suffix('"')) else {
        return s.to_owned();
    };
    let mut out = String::new();
    let mut escaped = false;
    for c in inner.chars() {
        if escaped || c != '\\' {
            out.push(c);
            escaped = false;
        } else {
            escaped = true;
        }
    }
    out
}

fn split_outside_quotes(s: &str, sep: char) -> Vec<String> {
    let mut parts = vec![String::new()];
    let (mut quoted, mut escaped) = (false, false);
    for c in s.chars() {
        if c == sep && !quoted {
            parts.push(String::new());
            continue;
        }
        if quoted && !escaped && c == '\\' {
            escaped = true;
        } else {
            if c == '"' && !escaped {
                quoted = !quoted;
            }
            escaped = false;
        }
        parts.last_mut().expect("never empty").push(c);
    }
    parts
}

/// The description of the `total` metric the lab puts on every response: the
/// app recognises a page served by the lab by it.
pub const LAB_TOTAL: &str = "All the lab's work on this request";

#[cfg(test)]
mod tests {
    use super::*;

    fn check(header: &str, expected: &[(&str, Option<f64>, &str)]) {
        let got: Vec<_> = parse(header).into_iter().map(|m| (m.name, m.duration_ms, m.description)).collect();
        let want: Vec<_> = expected.iter().map(|(n, d, s)| (n.to_string(), *d, s.to_string())).collect();
        assert_eq!(got, want, "parsing {header:?}");
    }

    #[test]
    fn parses_the_shapes_servers_send() {
        check("db;dur=53", &[("db", Some(53.0), "")]);
        check("cache;desc=\"Cache Read\";dur=23.2", &[("cache", Some(23.2), "Cache Read")]);
        check("miss, db;dur=53, app;dur=47.2", &[("miss", None, ""), ("db", Some(53.0), ""), ("app", Some(47.2), "")]);
        check("a;desc=\"x, y; z\";dur=1", &[("a", Some(1.0), "x, y; z")]);
        check("total;DUR=2.5", &[("total", Some(2.5), "")]);
    }

    #[test]
    fn skips_what_is_malformed() {
        check("", &[]);
        check(" , ;dur=3", &[]);
        check("bad name;dur=1, ok;dur=nope", &[("ok", None, "")]);
        check("x;dur=inf", &[("x", None, "")]);
    }

    #[test]
    fn format_round_trips_through_parse() {
        let metrics = vec![Metric::new("parse", 0.0123, "Read the \"request\""), Metric::new("handler", 1.5, "")];
        let header = format(&metrics);
        assert_eq!(header, "parse;dur=0.012;desc=\"Read the \\\"request\\\"\", handler;dur=1.500");
        let back = parse(&header);
        assert_eq!(back[0].description, "Read the \"request\"");
        assert_eq!(back[1].duration_ms, Some(1.5));
    }
}
