//! Roundtrip's own requests as HAR 1.2.
//!
//! Phases map to HAR `timings` as DevTools does: `blocked` is the queue (and
//! any redirect time before the final request), `connect` includes `ssl`,
//! `send` is 0 because Resource Timing measures sending and waiting together
//! (all of it lands in `wait`), and -1 marks a phase that did not apply.

use super::dates::iso8601;
use super::{Content, Creator, Entry, Har, HarPage, Log, NameValue, PageTimings, PostData, Request, Response, Timings};
use crate::timing::{PhaseKind, PhaseState, Timeline};
use crate::waterfall::Row;

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

/// What is known of a request beyond its Resource Timing entry: for
/// requests Roundtrip sent itself, what it sent and the response headers
/// its JavaScript could read; for imported entries, what the HAR says.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Known {
    pub request_headers: Vec<(String, String)>,
    /// The request body as sent (`None`: no body).
    pub request_body: Option<String>,
    pub status_text: String,
    pub response_headers: Vec<(String, String)>,
}

/// One page load, for the HAR's `pages`: its start on the rows' clock (the
/// page's `performance` time), and its milestones after that start.
#[derive(Clone, Debug, PartialEq)]
pub struct PageLoad {
    /// `page_1`…: what the entries' `pageref` names.
    pub id: String,
    /// The page's title, or its URL.
    pub title: String,
    pub started_ms: f64,
    pub on_content_load_ms: Option<f64>,
    pub on_load_ms: Option<f64>,
}

/// A HAR of the rows. `time_origin_ms` is the page's `performance.timeOrigin`
/// (ms since the Unix epoch), which turns page times into dates. Each row
/// belongs to the last page load that started at or before it (the first
/// when it started before all of them).
pub fn export<'a>(rows: impl IntoIterator<Item = (&'a Row, Option<&'a Known>)>, time_origin_ms: f64, pages: &[PageLoad]) -> Har {
    let pairs = |v: &[(String, String)]| v.iter().map(|(n, v)| NameValue { name: n.clone(), value: v.clone() }).collect::<Vec<_>>();
    let header = |v: &[(String, String)], name: &str| v.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone());
    let page_of = |start: f64| pages.iter().rev().find(|p| p.started_ms <= start).or(pages.first()).map(|p| p.id.clone());
    let entries = rows
        .into_iter()
        .map(|(row, known)| {
            let timings = timings_of(&row.timeline);
            let query =
                row.url.split_once('?').map(|(_, q)| crate::echo::parse_urlencoded(q.split('#').next().unwrap_or(""))).unwrap_or_default();
            let mime = known.and_then(|k| header(&k.response_headers, "content-type")).unwrap_or_default();
            let http_version = if row.entry.next_hop_protocol.is_empty() { "unknown".into() } else { row.entry.next_hop_protocol.clone() };
            let post_data = known.and_then(|k| k.request_body.as_ref()).map(|text| PostData {
                mime_type: known.and_then(|k| header(&k.request_headers, "content-type")).unwrap_or_default(),
                text: text.clone(),
            });
            let request_body_size = post_data.as_ref().map_or(0, |p| p.text.len() as i64);
            Entry {
                pageref: page_of(row.start_ms()),
                started_date_time: iso8601(time_origin_ms + row.start_ms()),
                time: timings.total(),
                request: Request {
                    method: row.method.clone(),
                    url: row.url.clone(),
                    http_version: http_version.clone(),
                    cookies: Vec::new(),
                    headers: known.map(|k| pairs(&k.request_headers)).unwrap_or_default(),
                    query_string: pairs(&query),
                    post_data,
                    headers_size: -1,
                    // Known exactly only for requests Roundtrip sent itself.
                    body_size: if known.is_some() { request_body_size } else { -1 },
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
                    // Hidden: the browser gave 0 for "not telling", not for "cached".
                    transfer_size: (!row.timeline.hidden).then_some(row.entry.transfer_size),
                    status_not_exposed: row.status == 0,
                },
                cache: serde_json::json!({}),
                timings,
                initiator_type: Some(row.entry.initiator_type.clone()),
                resource_type: Some(row.kind.label().to_owned()),
            }
        })
        .collect();
    let pages = pages
        .iter()
        .map(|p| HarPage {
            started_date_time: iso8601(time_origin_ms + p.started_ms),
            id: p.id.clone(),
            title: p.title.clone(),
            page_timings: PageTimings {
                on_content_load: p.on_content_load_ms.filter(|t| t.is_finite()).unwrap_or(-1.0),
                on_load: p.on_load_ms.filter(|t| t.is_finite()).unwrap_or(-1.0),
            },
        })
        .collect();
    Har {
        log: Log {
            version: "1.2".into(),
            creator: Creator { name: "Roundtrip".into(), version: env!("CARGO_PKG_VERSION").into() },
            pages,
            entries,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timing::ResourceTiming;

    pub(crate) fn entry(name: &str, secure: bool) -> ResourceTiming {
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
    fn an_export_carries_what_roundtrip_sent_and_read() {
        let rows = [
            Row::new(1, entry("http://127.0.0.1:8080/lab/get?x=1&y=2", false)),
            Row::new(2, entry("http://127.0.0.1:8080/lab/echo", false)),
        ];
        let mut sent = rows[1].clone();
        sent.method = "POST".into();
        sent.status = 201;
        let known = Known {
            request_headers: vec![("Content-Type".into(), "application/json".into()), ("X-Try".into(), "1".into())],
            request_body: Some("{\"a\":\"é\"}".into()),
            status_text: "Created".into(),
            response_headers: vec![("content-type".into(), "application/json".into())],
        };
        let page = PageLoad {
            id: "page_1".into(),
            title: "http://127.0.0.1:8080/".into(),
            started_ms: 0.0,
            on_content_load_ms: Some(80.0),
            on_load_ms: None,
        };
        let har = export([(&rows[0], None), (&sent, Some(&known))], 1_795_960_000_000.0, &[page]);
        let v = serde_json::to_value(&har).unwrap();
        let entries = v["log"]["entries"].as_array().unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0]["request"]["queryString"][1]["name"], "y");
        assert_eq!(entries[0]["request"]["headers"], serde_json::json!([]), "nothing invented for requests Roundtrip did not send");
        assert!(entries[0]["request"].get("postData").is_none());
        let post = &entries[1]["request"];
        assert_eq!(post["method"], "POST");
        assert_eq!(post["headers"][1], serde_json::json!({"name": "X-Try", "value": "1"}));
        assert_eq!(post["postData"], serde_json::json!({"mimeType": "application/json", "text": "{\"a\":\"é\"}"}));
        assert_eq!(post["bodySize"], 10, "bytes, not characters");
        assert_eq!(entries[1]["response"]["status"], 201);
        assert_eq!(entries[1]["response"]["statusText"], "Created");
        assert_eq!(entries[1]["response"]["headers"][0]["name"], "content-type");
        assert_eq!(entries[1]["response"]["content"]["mimeType"], "application/json");
        assert_eq!(entries[0]["startedDateTime"], "2026-11-29T13:46:40.100Z");
        assert_eq!(entries[0]["pageref"], "page_1");
        let pages = v["log"]["pages"].as_array().unwrap();
        assert_eq!(pages.len(), 1);
        assert_eq!(pages[0]["startedDateTime"], "2026-11-29T13:46:40.000Z");
        assert_eq!(pages[0]["pageTimings"], serde_json::json!({"onContentLoad": 80.0, "onLoad": -1.0}));
    }

    #[test]
    fn rows_belong_to_the_page_load_they_follow() {
        let mut late = entry("http://127.0.0.1/b", false);
        late.start_time = 5000.0;
        let rows = [Row::new(1, entry("http://127.0.0.1/a", false)), Row::new(2, late)];
        let load =
            |id: &str, started_ms| PageLoad { id: id.into(), title: id.into(), started_ms, on_content_load_ms: None, on_load_ms: None };
        let har = export(rows.iter().map(|r| (r, None)), 0.0, &[load("page_1", 50.0), load("page_2", 4000.0)]);
        let refs: Vec<_> = har.log.entries.iter().map(|e| e.pageref.clone().unwrap()).collect();
        assert_eq!(refs, ["page_1", "page_2"]);
        let none = export(rows.iter().map(|r| (r, None)), 0.0, &[]);
        assert!(none.log.pages.is_empty() && none.log.entries.iter().all(|e| e.pageref.is_none()));
    }
}
