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
    pub method: String,
    pub url: String,
    pub http_version: String,
    #[serde(default)]
    pub cookies: Vec<serde_json::Value>,
    #[serde(default)]
    pub headers: Vec<NameValue>,
    #[serde(default)]
    pub query_string: Vec<NameValue>,
    pub headers_size: i64,
    pub body_size: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Response {
    pub status: u16,
    pub status_text: String,
    pub http_version: String,
    #[serde(default)]
    pub cookies: Vec<serde_json::Value>,
    #[serde(default)]
    pub headers: Vec<NameValue>,
    pub content: Content,
    #[serde(rename = "redirectURL", default)]
    pub redirect_url: String,
    pub headers_size: i64,
    pub body_size: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Content {
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
    pub send: f64,
    pub wait: f64,
    pub receive: f64,
    #[serde(default = "minus_one")]
    pub ssl: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

fn minus_one() -> f64 {
    -1.0
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
            let query = row.url.split_once('?').map(|(_, q)| crate::echo::parse_urlencoded(q.split('#').next().unwrap_or(""))).unwrap_or_default();
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
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3_600_000,
        rem / 60_000 % 60,
        rem / 1000 % 60,
        rem % 1000
    )
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
        let rows = [Row::new(1, entry("http://127.0.0.1:8080/lab/get?x=1&y=2", false)), Row::new(2, entry("http://127.0.0.1:8080/lab/status/404", false))];
        let mut second = rows[1].clone();
        second.status = 404;
        let known = Known { status_text: "Not Found".into(), response_headers: vec![("Content-Type".into(), "application/json".into())], ..Default::default() };
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
    fn dates_are_iso_8601_utc() {
        assert_eq!(iso8601(0.0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601(951_782_400_000.0), "2000-02-29T00:00:00.000Z");
        assert_eq!(iso8601(1_795_960_000_123.4), "2026-11-29T13:46:40.123Z");
    }
}
