//! HAR 1.2 (HTTP Archive), the format DevTools export and import.
//!
//! Phases map to HAR `timings` as DevTools does: `blocked` is the queue (and
//! any redirect time before the final request), `connect` includes `ssl`,
//! `send` is 0 because Resource Timing measures sending and waiting together
//! (all of it lands in `wait`), and -1 marks a phase that did not apply.

use crate::timing::{PhaseKind, PhaseState, Timeline};
use crate::waterfall::Row;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Har {
    pub log: Log,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Log {
    pub version: String,
    pub creator: Creator,
    #[serde(default)]
    pub pages: Vec<serde_json::Value>,
    pub entries: Vec<Entry>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Creator {
    pub name: String,
    pub version: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NameValue {
    pub name: String,
    pub value: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    pub started_date_time: String,
    #[serde(default)]
    pub time: f64,
    pub request: Request,
    pub response: Response,
    #[serde(default)]
    pub cache: serde_json::Value,
    pub timings: Timings,
    #[serde(rename = "_initiatorType", default, skip_serializing_if = "Option::is_none")]
    pub initiator_type: Option<String>,
    #[serde(rename = "_resourceType", default, skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Request {
    #[serde(default = "get")]
    pub method: String,
    pub url: String,
    #[serde(default)]
    pub http_version: String,
    #[serde(default)]
    pub cookies: Vec<serde_json::Value>,
    #[serde(default)]
    pub headers: Vec<NameValue>,
    #[serde(default)]
    pub query_string: Vec<NameValue>,
    #[serde(default = "minus_one_i64")]
    pub headers_size: i64,
    #[serde(default = "minus_one_i64")]
    pub body_size: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Response {
    #[serde(default)]
    pub status: u16,
    #[serde(default)]
    pub status_text: String,
    #[serde(default)]
    pub http_version: String,
    #[serde(default)]
    pub cookies: Vec<serde_json::Value>,
    #[serde(default)]
    pub headers: Vec<NameValue>,
    pub content: Content,
    #[serde(rename = "redirectURL", default)]
    pub redirect_url: String,
    #[serde(default = "minus_one_i64")]
    pub headers_size: i64,
    #[serde(default = "minus_one_i64")]
    pub body_size: i64,
    /// Chromium's bytes over the network, headers included.
    #[serde(rename = "_transferSize", default, skip_serializing_if = "Option::is_none")]
    pub transfer_size: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Content {
    #[serde(default)]
    pub size: i64,
    #[serde(default)]
    pub mime_type: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Timings {
    #[serde(default = "minus_one")]
    pub blocked: f64,
    #[serde(default = "minus_one")]
    pub dns: f64,
    #[serde(default = "minus_one")]
    pub connect: f64,
    #[serde(default)]
    pub send: f64,
    #[serde(default)]
    pub wait: f64,
    #[serde(default)]
    pub receive: f64,
    #[serde(default = "minus_one")]
    pub ssl: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

fn minus_one() -> f64 {
    -1.0
}

fn minus_one_i64() -> i64 {
    -1
}

fn get() -> String {
    "GET".into()
}

impl Timings {
    /// The entry's total: every non-negative timing but `ssl`, which
    /// `connect` already includes.
    pub fn total(&self) -> f64 {
        [self.blocked, self.dns, self.connect, self.send, self.wait, self.receive].iter().filter(|t| **t >= 0.0).sum()
    }
}

/// HAR timings for a timeline.
pub fn timings_of(t: &Timeline) -> Timings {
    if t.hidden {
        return Timings {
            blocked: -1.0,
            dns: -1.0,
            connect: -1.0,
            send: 0.0,
            wait: t.total_ms,
            receive: 0.0,
            ssl: -1.0,
            comment: Some("the browser hid the phases (cross-origin, no Timing-Allow-Origin); wait holds the whole duration".into()),
        };
    }
    let measured = |k: PhaseKind| t.phase(k).filter(|p| p.state == PhaseState::Measured).map(|p| p.duration_ms);
    let or_na = |v: Option<f64>| v.unwrap_or(-1.0);
    let blocked = [PhaseKind::Redirect, PhaseKind::Queue, PhaseKind::Stalled].iter().filter_map(|k| measured(*k)).sum();
    let ssl = measured(PhaseKind::Tls);
    let tcp = measured(PhaseKind::Connect);
    let connect = match (tcp, ssl) {
        (None, None) => -1.0,
        (a, b) => a.unwrap_or(0.0) + b.unwrap_or(0.0),
    };
    Timings {
        blocked,
        dns: or_na(measured(PhaseKind::Dns)),
        connect,
        send: 0.0,
        wait: measured(PhaseKind::Waiting).unwrap_or(0.0),
        receive: measured(PhaseKind::Download).unwrap_or(0.0),
        ssl: or_na(ssl),
        comment: None,
    }
}

/// What Roundtrip knows of a request beyond its Resource Timing entry.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Known {
    pub request_headers: Vec<(String, String)>,
    pub status_text: String,
    pub response_headers: Vec<(String, String)>,
}

/// A HAR of the rows. `time_origin_ms` is the page's `performance.timeOrigin`
/// (ms since the Unix epoch), which turns page times into dates.
pub fn export<'a>(rows: impl IntoIterator<Item = (&'a Row, Option<&'a Known>)>, time_origin_ms: f64) -> Har {
    let pairs = |v: &[(String, String)]| v.iter().map(|(n, v)| NameValue { name: n.clone(), value: v.clone() }).collect::<Vec<_>>();
    let entries = rows
        .into_iter()
        .map(|(row, known)| {
            let timings = timings_of(&row.timeline);
            let query =
                row.url.split_once('?').map(|(_, q)| crate::echo::parse_urlencoded(q.split('#').next().unwrap_or(""))).unwrap_or_default();
            let mime = known
                .and_then(|k| k.response_headers.iter().find(|(n, _)| n.eq_ignore_ascii_case("content-type")).map(|(_, v)| v.clone()))
                .unwrap_or_default();
            let http_version = if row.entry.next_hop_protocol.is_empty() { "unknown".into() } else { row.entry.next_hop_protocol.clone() };
            Entry {
                started_date_time: iso8601(time_origin_ms + row.start_ms()),
                time: timings.total(),
                request: Request {
                    method: row.method.clone(),
                    url: row.url.clone(),
                    http_version: http_version.clone(),
                    cookies: Vec::new(),
                    headers: known.map(|k| pairs(&k.request_headers)).unwrap_or_default(),
                    query_string: pairs(&query),
                    headers_size: -1,
                    body_size: -1,
                },
                response: Response {
                    status: row.status,
                    status_text: known.map(|k| k.status_text.clone()).unwrap_or_default(),
                    http_version,
                    cookies: Vec::new(),
                    headers: known.map(|k| pairs(&k.response_headers)).unwrap_or_default(),
                    content: Content { size: row.entry.decoded_body_size as i64, mime_type: mime },
                    redirect_url: String::new(),
                    headers_size: -1,
                    body_size: if row.timeline.hidden { -1 } else { row.entry.encoded_body_size as i64 },
                    transfer_size: Some(row.entry.transfer_size),
                },
                cache: serde_json::json!({}),
                timings,
                initiator_type: Some(row.entry.initiator_type.clone()),
                resource_type: Some(row.kind.label().to_owned()),
            }
        })
        .collect();
    Har {
        log: Log {
            version: "1.2".into(),
            creator: Creator { name: "Roundtrip".into(), version: env!("CARGO_PKG_VERSION").into() },
            pages: Vec::new(),
            entries,
        },
    }
}

/// `2026-11-24T13:52:41.123Z` for milliseconds since the Unix epoch.
pub fn iso8601(epoch_ms: f64) -> String {
    let ms = epoch_ms.max(0.0).round() as i64;
    let (days, rem) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000));
    // Howard Hinnant's days → civil date.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z", rem / 3_600_000, rem / 60_000 % 60, rem / 1000 % 60, rem % 1000)
}

// ---- import ---------------------------------------------------------------

/// The largest HAR file Roundtrip reads, and the most entries it shows.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;
pub const MAX_ENTRIES: usize = 20_000;

/// Why a HAR file cannot be shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportError {
    TooLarge { bytes: usize },
    NotJson { line: usize, column: usize },
    NotHar(&'static str),
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::TooLarge { bytes } => {
                write!(f, "The file has {bytes} bytes; Roundtrip reads HAR files of up to {MAX_FILE_BYTES} bytes.")
            }
            ImportError::NotJson { line, column } => {
                write!(f, "This is not valid JSON: it breaks off or goes wrong at line {line}, column {column}. A HAR file is JSON.")
            }
            ImportError::NotHar(what) => write!(f, "This JSON is not a HAR file: {what}."),
        }
    }
}

/// Finds `log.entries` and returns each entry's JSON text, without parsing
/// them. Returns the texts and how many entries there were beyond
/// [`MAX_ENTRIES`].
pub fn split_entries(text: &str) -> Result<(Vec<&str>, usize), ImportError> {
    let mut scanner = EntryScanner::new(text)?;
    while scanner.scan(usize::MAX).is_none() {}
    scanner.finish()
}

/// [`split_entries`] in steps: `scan(n)` reads at most `n` more bytes, so a
/// caller can yield to the browser between steps on a large file.
pub struct EntryScanner<'a> {
    text: &'a str,
    at: usize,
    depth: usize,
    in_string: bool,
    escaped: bool,
    last_key: Option<(usize, usize)>,
    string_start: usize,
    path: Vec<Option<(usize, usize)>>,
    entries_depth: Option<usize>,
    element_start: Option<usize>,
    out: Vec<&'a str>,
    extra: usize,
    error: Option<ImportError>,
}

const DONE: usize = usize::MAX;

impl<'a> EntryScanner<'a> {
    pub fn new(text: &'a str) -> Result<EntryScanner<'a>, ImportError> {
        if text.len() > MAX_FILE_BYTES {
            return Err(ImportError::TooLarge { bytes: text.len() });
        }
        Ok(EntryScanner {
            text,
            at: 0,
            depth: 0,
            in_string: false,
            escaped: false,
            last_key: None,
            string_start: 0,
            path: Vec::new(),
            entries_depth: None,
            element_start: None,
            out: Vec::new(),
            extra: 0,
            error: None,
        })
    }

    /// How far through the text, 0 to 1.
    pub fn progress(&self) -> f64 {
        self.at as f64 / self.text.len().max(1) as f64
    }

    fn position(&self, at: usize) -> ImportError {
        let before = &self.text[..at.min(self.text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        ImportError::NotJson { line, column }
    }

    /// Reads up to `budget` bytes; `Some(())` once the whole text is read
    /// (or an error was found).
    pub fn scan(&mut self, budget: usize) -> Option<()> {
        let bytes = self.text.as_bytes();
        let end = self.at.saturating_add(budget).min(bytes.len());
        while self.at < end {
            let (i, b) = (self.at, bytes[self.at]);
            self.at += 1;
            if self.in_string {
                match (self.escaped, b) {
                    (true, _) => self.escaped = false,
                    (false, b'\\') => self.escaped = true,
                    (false, b'"') => {
                        self.in_string = false;
                        self.last_key = Some((self.string_start, i));
                    }
                    _ => {}
                }
                continue;
            }
            match b {
                b'"' => {
                    self.in_string = true;
                    self.string_start = i + 1;
                }
                b'{' | b'[' => {
                    // Which key opened this container (for finding log.entries).
                    self.path.push(self.last_key.take());
                    self.depth += 1;
                    let d = self.depth;
                    let key = |k: Option<(usize, usize)>| k.map(|(a, e)| &self.text[a..e]);
                    let is_entries = b == b'['
                        && d == 3
                        && self.entries_depth.is_none()
                        && key(self.path[d - 1]) == Some("entries")
                        && key(self.path[d - 2]) == Some("log");
                    if is_entries {
                        self.entries_depth = Some(d);
                    } else if self.entries_depth == Some(d - 1) && self.element_start.is_none() {
                        self.element_start = Some(i);
                    }
                }
                b'}' | b']' => {
                    if self.depth == 0 {
                        self.error = Some(self.position(i));
                        self.at = bytes.len();
                        return Some(());
                    }
                    if self.entries_depth == Some(self.depth) && b == b']' {
                        self.entries_depth = Some(DONE);
                    }
                    self.depth -= 1;
                    self.path.pop();
                    if self.entries_depth == Some(self.depth) {
                        if let Some(start) = self.element_start.take() {
                            if self.out.len() < MAX_ENTRIES {
                                self.out.push(&self.text[start..=i]);
                            } else {
                                self.extra += 1;
                            }
                        }
                    }
                }
                b',' => self.last_key = None,
                b':' => {}
                c if c.is_ascii_whitespace() => {}
                _ => self.last_key = None,
            }
        }
        (self.at >= bytes.len()).then_some(())
    }

    /// The entries, once `scan` has read everything.
    pub fn finish(self) -> Result<(Vec<&'a str>, usize), ImportError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        if self.in_string || self.depth != 0 {
            return Err(self.position(self.text.len()));
        }
        if self.text.trim_start().as_bytes().first() != Some(&b'{') {
            return Err(ImportError::NotHar("it is not an object with a \"log\""));
        }
        if self.entries_depth != Some(DONE) {
            return Err(ImportError::NotHar("it has no log.entries array"));
        }
        Ok((self.out, self.extra))
    }
}

/// Parses one entry's text.
pub fn parse_entry(text: &str) -> Result<Entry, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}

/// Milliseconds since the Unix epoch for an ISO 8601 date-time
/// (`2026-11-24T13:52:41.123Z`, `…+01:00`).
pub fn parse_iso8601(s: &str) -> Option<f64> {
    let s = s.trim();
    let (date, time) = s.split_once(['T', ' '])?;
    let mut d = date.split('-');
    let (y, m, day): (i64, i64, i64) = (d.next()?.parse().ok()?, d.next()?.parse().ok()?, d.next()?.parse().ok()?);
    let (clock, offset_min) = if let Some(c) = time.strip_suffix('Z') {
        (c, 0)
    } else if let Some(i) = time.rfind(['+', '-']) {
        let (c, off) = time.split_at(i);
        let sign = if off.starts_with('-') { -1 } else { 1 };
        let mut parts = off[1..].split(':');
        let h: i64 = parts.next()?.parse().ok()?;
        let mi: i64 = parts.next().unwrap_or("0").parse().ok()?;
        (c, sign * (h * 60 + mi))
    } else {
        (time, 0)
    };
    let mut c = clock.split(':');
    let (hh, mm): (i64, i64) = (c.next()?.parse().ok()?, c.next()?.parse().ok()?);
    let secs: f64 = c.next().unwrap_or("0").parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&day) {
        return None;
    }
    // Days from civil (Howard Hinnant).
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(((days * 86_400 + hh * 3600 + mm * 60 - offset_min * 60) as f64) * 1000.0 + secs * 1000.0)
}

/// An imported entry as a timeline row: HAR timings become the Resource
/// Timing marks they came from, `base_ms` (the first entry's start) is 0.
pub fn entry_to_row(id: u64, e: &Entry, base_ms: f64) -> Row {
    use crate::timing::ResourceTiming;
    let start = parse_iso8601(&e.started_date_time).map_or(0.0, |t| t - base_ms);
    let t = &e.timings;
    let pos = |v: f64| v.max(0.0);
    let dls = start + pos(t.blocked);
    let dle = dls + pos(t.dns);
    let ce = dle + pos(t.connect);
    let scs = if t.ssl > 0.0 { ce - t.ssl } else { 0.0 };
    let rs = ce + pos(t.send);
    let rsp = rs + pos(t.wait);
    let re = rsp + pos(t.receive);
    let mime = e.response.content.mime_type.clone();
    let transfer = e.response.transfer_size.unwrap_or_else(|| {
        let (h, b) = (e.response.headers_size, e.response.body_size);
        (h.max(0) + b.max(0)) as f64
    });
    let entry = ResourceTiming {
        name: e.request.url.clone(),
        initiator_type: e.initiator_type.clone().unwrap_or_default(),
        next_hop_protocol: e.response.http_version.to_ascii_lowercase(),
        delivery_type: String::new(),
        start_time: start,
        redirect_start: 0.0,
        redirect_end: 0.0,
        fetch_start: start,
        domain_lookup_start: dls,
        domain_lookup_end: dle,
        connect_start: dle,
        secure_connection_start: scs,
        connect_end: ce,
        request_start: rs,
        response_start: rsp,
        response_end: re,
        duration: re - start,
        transfer_size: transfer,
        encoded_body_size: e.response.body_size.max(0) as f64,
        decoded_body_size: e.response.content.size.max(0) as f64,
        response_status: e.response.status,
        server_timing: Vec::new(),
    };
    let mut row = Row::new(id, entry);
    row.method = e.request.method.clone();
    row.kind = crate::waterfall::ResourceType::of_har(e.resource_type.as_deref(), &mime, &e.request.url);
    row
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timing::ResourceTiming;

    fn entry(name: &str, secure: bool) -> ResourceTiming {
        ResourceTiming {
            name: name.into(),
            initiator_type: "fetch".into(),
            next_hop_protocol: "http/1.1".into(),
            start_time: 100.0,
            fetch_start: 100.0,
            domain_lookup_start: 101.0,
            domain_lookup_end: 111.0,
            connect_start: 111.0,
            secure_connection_start: if secure { 121.0 } else { 0.0 },
            connect_end: 141.0,
            request_start: 142.0,
            response_start: 242.0,
            response_end: 250.0,
            transfer_size: 1200.0,
            encoded_body_size: 900.0,
            decoded_body_size: 2000.0,
            response_status: 200,
            ..Default::default()
        }
    }

    #[test]
    fn phases_map_to_har_timings() {
        let t = timings_of(&entry("https://example.org/a", true).timeline());
        assert_eq!((t.blocked, t.dns, t.connect, t.ssl, t.send, t.wait, t.receive), (2.0, 10.0, 30.0, 20.0, 0.0, 100.0, 8.0));
        assert_eq!(t.total(), 150.0, "the entry's duration");
        let plain = timings_of(&entry("http://127.0.0.1/a", false).timeline());
        assert_eq!((plain.connect, plain.ssl), (30.0, -1.0));
    }

    #[test]
    fn skipped_and_hidden_phases_are_not_applicable() {
        let mut reused = entry("http://127.0.0.1/a", false);
        reused.domain_lookup_start = 100.0;
        reused.domain_lookup_end = 100.0;
        reused.connect_start = 100.0;
        reused.connect_end = 100.0;
        reused.request_start = 100.0;
        let t = timings_of(&reused.timeline());
        assert_eq!((t.blocked, t.dns, t.connect, t.ssl), (0.0, -1.0, -1.0, -1.0));
        let hidden = ResourceTiming { name: "https://other.example/".into(), start_time: 5.0, response_end: 45.0, ..Default::default() };
        let t = timings_of(&hidden.timeline());
        assert_eq!((t.dns, t.wait, t.total()), (-1.0, 40.0, 40.0));
        assert!(t.comment.unwrap().contains("Timing-Allow-Origin"));
    }

    #[test]
    fn an_export_is_valid_har_with_one_entry_per_row() {
        let rows = [
            Row::new(1, entry("http://127.0.0.1:8080/lab/get?x=1&y=2", false)),
            Row::new(2, entry("http://127.0.0.1:8080/lab/status/404", false)),
        ];
        let mut second = rows[1].clone();
        second.status = 404;
        let known = Known {
            status_text: "Not Found".into(),
            response_headers: vec![("Content-Type".into(), "application/json".into())],
            ..Default::default()
        };
        let har = export([(&rows[0], None), (&second, Some(&known))], 1_795_960_000_000.0);
        let text = serde_json::to_string(&har).unwrap();
        let back: Har = serde_json::from_str(&text).unwrap();
        assert_eq!(back, har);
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["log"]["version"], "1.2");
        let entries = v["log"]["entries"].as_array().unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0]["request"]["queryString"][1]["name"], "y");
        assert_eq!(entries[1]["response"]["status"], 404);
        assert_eq!(entries[1]["response"]["statusText"], "Not Found");
        assert_eq!(entries[1]["response"]["content"]["mimeType"], "application/json");
        assert!(entries[0]["response"].get("redirectURL").is_some());
        assert_eq!(entries[0]["startedDateTime"], "2026-11-29T13:46:40.100Z");
    }

    #[test]
    fn entries_are_split_without_parsing_them() {
        let text = r#"{"log": {"version": "1.2", "creator": {"name": "x", "version": "1"}, "pages": [{"id": "p"}],
            "entries": [ {"a": "[{\"]"}, {"b": [1, {"c": 2}]} ,{"d": "}"} ], "comment": "entries: [not these]"}}"#;
        let (entries, extra) = split_entries(text).unwrap();
        assert_eq!(entries, vec![r#"{"a": "[{\"]"}"#, r#"{"b": [1, {"c": 2}]}"#, r#"{"d": "}"}"#]);
        assert_eq!(extra, 0);
        assert_eq!(split_entries(r#"{"log": {"entries": []}}"#).unwrap().0.len(), 0);
    }

    #[test]
    fn scanning_in_small_steps_finds_the_same_entries() {
        let text = r#"{"log": {"entries": [{"a": 1}, {"b": "x]}"}, {"c": [2]}]}}"#;
        let mut scanner = EntryScanner::new(text).unwrap();
        let mut steps = 0;
        while scanner.scan(3).is_none() {
            steps += 1;
        }
        assert!(steps > 10);
        assert_eq!(scanner.finish().unwrap(), split_entries(text).unwrap());
    }

    #[test]
    fn broken_files_say_what_is_wrong() {
        assert_eq!(split_entries("{\"log\": {\"entries\": [{}").unwrap_err(), ImportError::NotJson { line: 1, column: 24 });
        assert_eq!(split_entries("{}\n}").unwrap_err(), ImportError::NotJson { line: 2, column: 1 });
        assert!(matches!(split_entries(r#"{"log": {"pages": []}}"#), Err(ImportError::NotHar(_))));
        assert!(matches!(split_entries(r#"{"entries": []}"#), Err(ImportError::NotHar(_))));
        assert!(matches!(split_entries("[1, 2]"), Err(ImportError::NotHar(_))));
        assert!(split_entries("{\"log\": {\"entries\": [\"unterminated").unwrap_err().to_string().contains("not valid JSON"));
        let too_big = " ".repeat(MAX_FILE_BYTES + 1);
        assert!(matches!(split_entries(&too_big), Err(ImportError::TooLarge { .. })));
    }

    #[test]
    fn iso_dates_parse_back() {
        assert_eq!(parse_iso8601("2026-11-29T13:46:40.123Z"), Some(1_795_960_000_123.0));
        assert_eq!(parse_iso8601("2026-11-29T14:46:40.123+01:00"), Some(1_795_960_000_123.0));
        assert_eq!(parse_iso8601(&iso8601(951_782_400_000.0)), Some(951_782_400_000.0));
        assert_eq!(parse_iso8601("yesterday"), None);
        assert_eq!(parse_iso8601("2026-13-01T00:00:00Z"), None);
    }

    #[test]
    fn exported_entries_import_to_the_same_phases() {
        let row = Row::new(1, entry("https://example.org/a.css", true));
        let har = export([(&row, None)], 1_795_960_000_000.0);
        let text = serde_json::to_string(&har).unwrap();
        let (texts, _) = split_entries(&text).unwrap();
        let e = parse_entry(texts[0]).unwrap();
        let base = parse_iso8601(&e.started_date_time).unwrap();
        let back = entry_to_row(7, &e, base);
        let d = |r: &Row, k| r.timeline.phase(k).unwrap().duration_ms;
        for k in [PhaseKind::Dns, PhaseKind::Connect, PhaseKind::Tls, PhaseKind::Waiting, PhaseKind::Download] {
            assert!((d(&back, k) - d(&row, k)).abs() < 1e-6, "{k:?}: {} vs {}", d(&back, k), d(&row, k));
        }
        assert_eq!(back.kind, crate::waterfall::ResourceType::Css);
        assert_eq!((back.id, back.status), (7, 200));
    }

    #[test]
    fn dates_are_iso_8601_utc() {
        assert_eq!(iso8601(0.0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601(951_782_400_000.0), "2000-02-29T00:00:00.000Z");
        assert_eq!(iso8601(1_795_960_000_123.4), "2026-11-29T13:46:40.123Z");
    }
}
