//! Share links: a lesson's experiment as readable query parameters.
//!
//! `?method=POST&url=/lab/notes&headers=…&body=…&timeout=5000&speed=10&panel=raw`
//!
//! A link is untrusted input: anyone can type or forge one. `decode` accepts
//! any string. Each field it can read is restored exactly; each it cannot
//! (too long, not a method, not a number…) falls back to the lesson's default
//! and is named in a message the page shows. It never panics.

use crate::echo::parse_urlencoded;
use crate::exchange::{DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS, METHODS};
use crate::headers::parse_header_lines;
use crate::journey::Speed;
use crate::url::encode;

/// The longest query a link may carry; past it nothing is read.
pub const MAX_QUERY: usize = 32 * 1024;
pub const MAX_URL: usize = 2048;
pub const MAX_HEADERS: usize = 4096;
pub const MAX_HEADER_LINES: usize = 40;
pub const MAX_BODY: usize = 8192;

/// Which panel of a result a lesson shows first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Panel {
    /// The animated journey and its steps.
    Journey,
    /// The request as the server received it, and the response, as text.
    Raw,
    /// The response headers, each explained.
    Headers,
    /// The measured phases and the server's own timings.
    Timing,
    /// The response body, as text.
    Body,
}

impl Panel {
    pub const ALL: [Panel; 5] = [Panel::Journey, Panel::Raw, Panel::Headers, Panel::Timing, Panel::Body];

    pub fn slug(self) -> &'static str {
        match self {
            Panel::Journey => "journey",
            Panel::Raw => "raw",
            Panel::Headers => "headers",
            Panel::Timing => "timing",
            Panel::Body => "body",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Panel::Journey => "Journey",
            Panel::Raw => "Raw messages",
            Panel::Headers => "Headers",
            Panel::Timing => "Timing",
            Panel::Body => "Body",
        }
    }

    pub fn from_slug(s: &str) -> Option<Panel> {
        Panel::ALL.into_iter().find(|p| p.slug() == s)
    }
}

/// Everything a share link restores about an experiment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Experiment {
    pub method: String,
    pub url: String,
    /// `Name: value` lines, as typed.
    pub headers: String,
    pub body: String,
    pub timeout_ms: u32,
    pub speed: Speed,
    pub panel: Panel,
}

impl Experiment {
    /// A GET of `url` with nothing else set.
    pub fn get(url: &str) -> Experiment {
        Experiment {
            method: "GET".into(),
            url: url.into(),
            headers: String::new(),
            body: String::new(),
            timeout_ms: DEFAULT_TIMEOUT_MS,
            speed: Speed::Slow10,
            panel: Panel::Journey,
        }
    }

    /// Checks every field against the caps a link may carry; the first
    /// problem found, in words, when there is one.
    pub fn validate(&self) -> Result<(), String> {
        check_method(&self.method)
            .and(check_url(&self.url))
            .and(check_headers(&self.headers))
            .and(check_body(&self.body))
            .and(check_timeout(self.timeout_ms))
    }

    /// The query (without `?`) that reopens this experiment. Fields are
    /// always written, so the link means the same even if a lesson's
    /// default changes later; empty headers and body are left out.
    /// A field too long for a link (see `left_out`) is left out, and named.
    pub fn encode(&self) -> String {
        let timeout = self.timeout_ms.to_string();
        let fields = request_fields(&self.url, &self.headers, &self.body);
        let mut pairs = vec![("method", self.method.as_str())];
        pairs.extend(fields.iter().map(|(k, v)| (*k, v.as_str())));
        pairs.push(("timeout", &timeout));
        pairs.push(("speed", self.speed.slug()));
        pairs.push(("panel", self.panel.slug()));
        pairs.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect::<Vec<_>>().join("&")
    }
}

/// The request fields a link cannot carry, each with the reason: longer
/// than `decode` reads (the URL, headers or body), or, all of them
/// percent-encoded, longer than the whole query it reads (`MAX_QUERY`; the
/// body goes first, then the headers). The link leaves them out and names
/// them (`left_out=`), so whoever opens it is told; the page that makes it
/// says so too. Rather than an address a browser may refuse (a 1 MB body)
/// that would not reopen anyway.
pub fn left_out(url: &str, headers: &str, body: &str) -> Vec<(&'static str, String)> {
    let fields = [("url", url, MAX_URL, "URL"), ("headers", headers, MAX_HEADERS, "headers"), ("body", body, MAX_BODY, "body")];
    let mut out: Vec<(&'static str, String)> = Vec::new();
    // The other fields and the keys, with room to spare.
    let mut total = 256;
    for (key, value, limit, what) in fields {
        if value.len() > limit {
            out.push((key, format!("the {what} ({} bytes) is longer than the {limit} bytes a link keeps", value.len())));
        } else {
            total += encode(value).len();
        }
    }
    for (key, value, _, what) in [fields[2], fields[1]] {
        if total <= MAX_QUERY || value.is_empty() || out.iter().any(|(k, _)| *k == key) {
            continue;
        }
        total -= encode(value).len();
        out.push((key, format!("the {what}, encoded for an address, would make the link longer than the {MAX_QUERY} characters it keeps")));
    }
    out
}

/// What to tell whoever opens a link whose `left_out=` is `names`: the
/// sender's request had fields too long for it; `fallback` is what stands
/// in for a URL left out.
pub fn left_out_problem(names: &str, fallback: &str) -> Option<String> {
    let named: Vec<&str> = names.split(',').filter(|n| ["url", "headers", "body"].contains(n)).collect();
    (!named.is_empty()).then(|| {
        format!(
            "The sender's request had {} too long for a link, left out of it: {}.",
            named
                .iter()
                .map(|n| match *n {
                    "url" => "a URL",
                    "body" => "a body",
                    _ => "headers",
                })
                .collect::<Vec<_>>()
                .join(" and "),
            if named.contains(&"url") { format!("{fallback} is shown instead") } else { "this opened without it".to_owned() }
        )
    })
}

/// A request's URL, headers and body as a link's pairs: the URL always,
/// headers and body when not empty, each only if a link can carry it
/// (`left_out`), then `left_out=` naming those it cannot. The lesson's link
/// (`Experiment::encode`) and the workbench's (`Draft::to_query`) both.
pub fn request_fields(url: &str, headers: &str, body: &str) -> Vec<(&'static str, String)> {
    let left = left_out(url, headers, body);
    let mut pairs: Vec<(&'static str, String)> = [("url", url), ("headers", headers), ("body", body)]
        .into_iter()
        .filter(|(key, value)| (*key == "url" || !value.is_empty()) && !left.iter().any(|(k, _)| k == key))
        .map(|(key, value)| (key, value.to_owned()))
        .collect();
    if !left.is_empty() {
        pairs.push(("left_out", left.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(",")));
    }
    pairs
}

/// What `decode` made of a link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    /// The experiment to open: the link's fields where valid, the lesson's
    /// defaults elsewhere.
    pub experiment: Experiment,
    /// One sentence per field the link carried but could not be used.
    pub problems: Vec<String>,
}

/// Reads `query` (with or without its leading `?`) over `default`.
/// Unknown keys (e.g. `utm_source`) are ignored; a repeated key counts once,
/// the first time. Headers and body absent from a link are empty, since
/// `encode` leaves them out only when they are.
pub fn decode(query: &str, default: &Experiment) -> Decoded {
    let query = query.strip_prefix('?').unwrap_or(query);
    let mut experiment = default.clone();
    let mut problems = Vec::new();
    if query.len() > MAX_QUERY {
        problems.push(format!(
            "This link is {} characters long, more than the {MAX_QUERY} Roundtrip reads, so none of it was used: the lesson opened with its own experiment.",
            query.len()
        ));
        return Decoded { experiment, problems };
    }
    let pairs = parse_urlencoded(query);
    let first = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    let carries_request = first("method").is_some() || first("url").is_some();
    if carries_request {
        experiment.headers.clear();
        experiment.body.clear();
    }
    let mut take = |key: &'static str, check: &dyn Fn(&str) -> Result<(), String>, apply: &mut dyn FnMut(&str)| {
        if let Some(value) = first(key) {
            match check(value) {
                Ok(()) => apply(value),
                Err(why) => {
                    let why: String = why.chars().filter(|c| !c.is_control()).collect();
                    problems.push(format!("The link's {key} was not used: {why}. The lesson's default is shown instead."))
                }
            }
        }
    };
    let mut method = None;
    take("method", &|v| check_method(&v.to_ascii_uppercase()), &mut |v| method = Some(v.to_ascii_uppercase()));
    let mut url = None;
    take("url", &|v| check_url(v), &mut |v| url = Some(v.to_owned()));
    let mut headers = None;
    take("headers", &|v| check_headers(v), &mut |v| headers = Some(v.to_owned()));
    let mut body = None;
    take("body", &|v| check_body(v), &mut |v| body = Some(v.to_owned()));
    let mut timeout = None;
    take(
        "timeout",
        &|v| v.trim().parse::<u32>().map_err(|_| format!("“{}” is not a whole number of milliseconds", clip(v))).and_then(check_timeout),
        &mut |v| timeout = v.trim().parse().ok(),
    );
    let mut speed = None;
    take(
        "speed",
        &|v| Speed::from_slug(v).map(|_| ()).ok_or_else(|| format!("“{}” is not a speed (use 1, 10 or 100)", clip(v))),
        &mut |v| speed = Speed::from_slug(v),
    );
    let mut panel = None;
    take(
        "panel",
        &|v| {
            Panel::from_slug(v)
                .map(|_| ())
                .ok_or_else(|| format!("“{}” is not a panel (use one of {})", clip(v), Panel::ALL.map(Panel::slug).join(", ")))
        },
        &mut |v| panel = Panel::from_slug(v),
    );
    // The sender's request had fields too long for a link: say which, as
    // what opened is not quite what was sent.
    problems.extend(first("left_out").and_then(|names| left_out_problem(names, "the lesson's own URL")));
    if let Some(v) = method {
        experiment.method = v;
    }
    if let Some(v) = url {
        experiment.url = v;
    }
    if let Some(v) = headers {
        experiment.headers = v;
    }
    if let Some(v) = body {
        experiment.body = v;
    }
    if let Some(v) = timeout {
        experiment.timeout_ms = v;
    }
    if let Some(v) = speed {
        experiment.speed = v;
    }
    if let Some(v) = panel {
        experiment.panel = v;
    }
    Decoded { experiment, problems }
}

/// At most 40 characters of untrusted text, for a message.
fn clip(s: &str) -> String {
    let mut out: String = s.chars().filter(|c| !c.is_control()).take(40).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

fn check_method(m: &str) -> Result<(), String> {
    if METHODS.contains(&m) {
        Ok(())
    } else {
        Err(format!("“{}” is not a method Roundtrip sends (use one of {})", clip(m), METHODS.join(", ")))
    }
}

fn check_url(u: &str) -> Result<(), String> {
    if u.len() > MAX_URL {
        return Err(format!("the URL is {} characters long, more than {MAX_URL}", u.len()));
    }
    if u.trim().is_empty() {
        return Err("the URL is empty".into());
    }
    if u.chars().any(char::is_control) {
        return Err("the URL contains a control character".into());
    }
    Ok(())
}

fn check_headers(h: &str) -> Result<(), String> {
    if h.len() > MAX_HEADERS {
        return Err(format!("the headers are {} characters long, more than {MAX_HEADERS}", h.len()));
    }
    if h.lines().count() > MAX_HEADER_LINES {
        return Err(format!("there are more than {MAX_HEADER_LINES} header lines"));
    }
    parse_header_lines(h).map(|_| ()).map_err(|e| format!("a header line is malformed ({e})"))
}

fn check_body(b: &str) -> Result<(), String> {
    if b.len() > MAX_BODY {
        Err(format!("the body is {} bytes long, more than the {MAX_BODY} a link carries", b.len()))
    } else {
        Ok(())
    }
}

fn check_timeout(t: u32) -> Result<(), String> {
    if (1..=MAX_TIMEOUT_MS).contains(&t) {
        Ok(())
    } else {
        Err(format!("the timeout {t} ms is outside 1 to {MAX_TIMEOUT_MS} ms"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn default() -> Experiment {
        Experiment::get("/lab/anything")
    }

    #[test]
    fn a_field_too_long_for_a_link_is_left_out_and_said_to_the_opener() {
        let mut e = default();
        e.method = "POST".into();
        e.body = "x".repeat(1 << 20);
        let link = e.encode();
        assert!(!link.contains("body="), "a 1 MB body is not put in an address");
        assert!(link.contains("left_out=body"), "{link}");
        assert!(link.len() < 200, "{}", link.len());
        let back = decode(&link, &default());
        assert_eq!(back.problems, ["The sender's request had a body too long for a link, left out of it: this opened without it."]);
        assert_eq!((back.experiment.method.as_str(), back.experiment.body.as_str()), ("POST", ""));
        assert_eq!(
            left_out("/x", "", &e.body),
            [("body", "the body (1048576 bytes) is longer than the 8192 bytes a link keeps".to_owned())]
        );
        assert!(left_out("/x", "", &"x".repeat(MAX_BODY)).is_empty());
        // Each field within its limit, but not all of them once encoded
        // (a byte outside [A-Za-z0-9-._~] takes three characters): the body
        // goes, and the link still reopens, with no other problem.
        let mut e = default();
        e.url = format!("/lab/anything?q={}", "é".repeat(900));
        e.headers = format!("X-A: {}", "<>".repeat(1000));
        e.body = "{\"é\": 1}".repeat(900);
        assert!(e.body.len() <= MAX_BODY && e.headers.len() <= MAX_HEADERS && e.url.len() <= MAX_URL);
        let left = left_out(&e.url, &e.headers, &e.body);
        assert_eq!(left.iter().map(|(k, _)| *k).collect::<Vec<_>>(), ["body"]);
        let link = e.encode();
        assert!(link.len() <= MAX_QUERY, "{}", link.len());
        let back = decode(&link, &default());
        assert_eq!(back.experiment.url, e.url);
        assert_eq!(back.experiment.headers, e.headers);
        assert_eq!(back.problems.len(), 1, "{:?}", back.problems);
        let mut e = default();
        e.method = "DELETE".into();
        e.url = format!("/lab/anything?q={}", "u".repeat(MAX_URL));
        let back = decode(&e.encode(), &default());
        assert_eq!(back.experiment.url, default().url);
        assert_eq!(
            back.problems,
            ["The sender's request had a URL too long for a link, left out of it: the lesson's own URL is shown instead."]
        );
    }

    #[test]
    fn a_custom_request_survives_the_link() {
        let e = Experiment {
            method: "POST".into(),
            url: "/lab/anything?q=python&x=a b&y=%20".into(),
            headers: "X-Demo: hello world\nAccept: application/json".into(),
            body: "{\"é\": \"&=+#?\"}".into(),
            timeout_ms: 2500,
            speed: Speed::Slow100,
            panel: Panel::Raw,
        };
        let link = e.encode();
        assert!(link.starts_with("method=POST&url=%2Flab%2Fanything"), "{link}");
        assert_eq!(decode(&link, &default()), Decoded { experiment: e.clone(), problems: vec![] });
        assert_eq!(decode(&format!("?{link}"), &default()).experiment, e);
    }

    #[test]
    fn browser_style_plus_for_space_reads_as_a_space() {
        let d = decode("method=get&url=/lab/get?a=1&headers=X-A:+b+c", &default());
        assert_eq!(d.experiment.method, "GET");
        assert_eq!(d.experiment.headers, "X-A: b c");
        assert!(d.problems.is_empty());
    }

    #[test]
    fn bad_fields_fall_back_one_by_one_with_a_message_each() {
        let long_url = "a".repeat(MAX_URL + 1);
        let d = decode(&format!("method=BREW&url={long_url}&timeout=0&speed=7&panel=x&headers=nocolon&body=ok"), &default());
        assert_eq!(d.experiment.method, "GET");
        assert_eq!(d.experiment.url, "/lab/anything");
        assert_eq!(d.experiment.timeout_ms, DEFAULT_TIMEOUT_MS);
        assert_eq!(d.experiment.body, "ok");
        assert_eq!(d.problems.len(), 6, "{:#?}", d.problems);
        assert!(d.problems[0].contains("method") && d.problems[0].contains("BREW"));
        assert!(d.problems[1].contains("2049 characters"));
    }

    #[test]
    fn oversize_fields_are_rejected_with_a_message() {
        for (key, size, words) in
            [("body", MAX_BODY + 1, "8193 bytes"), ("headers", MAX_HEADERS + 1, "4097 characters"), ("url", MAX_URL + 1, "2049")]
        {
            let value = if key == "headers" { format!("X-A: {}", "b".repeat(size - 5)) } else { "b".repeat(size) };
            let d = decode(&format!("{key}={value}"), &default());
            assert_eq!(d.problems.len(), 1, "{key}");
            assert!(d.problems[0].contains(words), "{key}: {}", d.problems[0]);
        }
        let d = decode(&"x".repeat(MAX_QUERY + 1), &default());
        assert_eq!(d.experiment, default());
        assert!(d.problems[0].contains("none of it was used"));
    }

    #[test]
    fn unknown_keys_are_ignored_and_a_link_without_a_request_keeps_the_lesson_default() {
        let mut lesson = default();
        lesson.body = "lesson body".into();
        lesson.method = "POST".into();
        let d = decode("utm_source=mail&speed=1", &lesson);
        assert!(d.problems.is_empty());
        assert_eq!(d.experiment.body, "lesson body");
        assert_eq!(d.experiment.speed, Speed::RealTime);
        // A link that names a request carries its own (possibly empty) body.
        assert_eq!(decode("method=POST&url=/x", &lesson).experiment.body, "");
    }

    use crate::testing::Gen;
    const NASTY: &[&str] = &[
        "a", "Z", "0", " ", "%", "%2", "%ZZ", "%00", "&", "=", "+", "#", "?", "/", ":", "\n", "\r", "\t", "é", "€", "😀", "\u{0}",
        "<script>", "\"", "'", "method=", "url=", "&body=", "%E2%82", "\u{7f}", "\\", ";",
    ];

    #[test]
    fn property_every_valid_experiment_round_trips() {
        let mut g = Gen(0x5EED_1234_ABCD_0001);
        let printable: Vec<&str> = NASTY.iter().copied().filter(|s| !s.chars().any(char::is_control)).collect();
        // A header value is bytes: nothing past U+00FF (headers.rs).
        let latin1: Vec<&str> = printable.iter().copied().filter(|s| s.chars().all(|c| u32::from(c) <= 0xFF)).collect();
        for _ in 0..3000 {
            let header_lines = g.below(4);
            let headers = (0..header_lines).map(|i| format!("X-H{i}: {}", g.text(20, &latin1).trim())).collect::<Vec<_>>().join("\n");
            let e = Experiment {
                method: METHODS[g.below(METHODS.len())].into(),
                url: format!("/{}", g.text(60, &printable)),
                headers,
                body: g.text(80, NASTY),
                timeout_ms: 1 + g.below(MAX_TIMEOUT_MS as usize) as u32,
                speed: Speed::ALL[g.below(3)],
                panel: Panel::ALL[g.below(5)],
            };
            assert_eq!(e.validate(), Ok(()), "{e:?}");
            let d = decode(&e.encode(), &default());
            assert_eq!(d.problems, Vec::<String>::new(), "{e:?}");
            assert_eq!(d.experiment, e);
        }
    }

    #[test]
    fn property_arbitrary_strings_never_panic_and_always_give_a_valid_experiment() {
        let mut g = Gen(0xDEAD_BEEF_0000_0042);
        for i in 0..5000 {
            let query = g.text(if i % 100 == 0 { 4000 } else { 120 }, NASTY);
            let d = decode(&query, &default());
            assert_eq!(d.experiment.validate(), Ok(()), "{query:?}");
            for p in &d.problems {
                assert!(!p.chars().any(|c| c.is_control()), "a message carries no control characters: {p:?}");
            }
        }
    }
}
