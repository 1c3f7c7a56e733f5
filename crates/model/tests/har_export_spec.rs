//! Roundtrip's exported HAR against HAR 1.2's required fields
//! (http://www.softwareishard.com/blog/har-12-spec/), checked in Rust, and
//! read back by Roundtrip's own import.

use roundtrip_model::har::{export, parse_iso8601, Delivery, HarImport, Known, PageLoad};
use roundtrip_model::timing::ResourceTiming;
use roundtrip_model::waterfall::Row;
use serde_json::{json, Value};

/// Every way `har` breaks HAR 1.2's required fields, one line each.
fn har12_problems(har: &Value) -> Vec<String> {
    let mut p = Vec::new();
    let mut need = |ok: bool, what: String| {
        if !ok {
            p.push(what);
        }
    };
    let is_str = |v: &Value| v.is_string();
    let is_num = |v: &Value| v.as_f64().is_some_and(f64::is_finite);
    let is_date = |v: &Value| v.as_str().and_then(parse_iso8601).is_some();
    let name_values = |v: &Value| v.as_array().is_some_and(|a| a.iter().all(|nv| nv["name"].is_string() && nv["value"].is_string()));
    let log = &har["log"];
    need(log.is_object(), "log is an object".into());
    need(is_str(&log["version"]), "log.version is a string".into());
    need(is_str(&log["creator"]["name"]) && is_str(&log["creator"]["version"]), "log.creator has name and version".into());
    let empty = Vec::new();
    let pages = match &log["pages"] {
        Value::Null => &empty,
        v => v.as_array().unwrap_or(&empty),
    };
    need(log["pages"].is_null() || log["pages"].is_array(), "log.pages, if present, is an array".into());
    let mut ids = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        need(is_date(&page["startedDateTime"]), format!("pages[{i}].startedDateTime is an ISO 8601 date"));
        need(is_str(&page["id"]), format!("pages[{i}].id is a string"));
        need(is_str(&page["title"]), format!("pages[{i}].title is a string"));
        need(page["pageTimings"].is_object(), format!("pages[{i}].pageTimings is an object"));
        for k in ["onContentLoad", "onLoad"] {
            let t = &page["pageTimings"][k];
            need(t.is_null() || is_num(t), format!("pages[{i}].pageTimings.{k}, if present, is a number"));
        }
        let id = page["id"].as_str().unwrap_or("");
        need(!ids.contains(&id), format!("pages[{i}].id is unique"));
        ids.push(id);
    }
    let Some(entries) = log["entries"].as_array() else {
        need(false, "log.entries is an array".into());
        return p;
    };
    for (i, e) in entries.iter().enumerate() {
        let at = |path: &str| format!("entries[{i}].{path}");
        if !e["pageref"].is_null() {
            need(e["pageref"].as_str().is_some_and(|r| ids.contains(&r)), at("pageref names a page"));
        }
        need(is_date(&e["startedDateTime"]), at("startedDateTime is an ISO 8601 date"));
        need(is_num(&e["time"]), at("time is a number"));
        let req = &e["request"];
        for k in ["method", "url", "httpVersion"] {
            need(is_str(&req[k]), at(&format!("request.{k} is a string")));
        }
        need(req["cookies"].is_array(), at("request.cookies is an array"));
        need(name_values(&req["headers"]), at("request.headers are name/value pairs"));
        need(name_values(&req["queryString"]), at("request.queryString is name/value pairs"));
        if !req["postData"].is_null() {
            need(is_str(&req["postData"]["mimeType"]), at("request.postData.mimeType is a string"));
            need(is_str(&req["postData"]["text"]) || req["postData"]["params"].is_array(), at("request.postData has text or params"));
        }
        need(is_num(&req["headersSize"]) && is_num(&req["bodySize"]), at("request sizes are numbers"));
        let res = &e["response"];
        need(is_num(&res["status"]), at("response.status is a number"));
        for k in ["statusText", "httpVersion", "redirectURL"] {
            need(is_str(&res[k]), at(&format!("response.{k} is a string")));
        }
        need(res["cookies"].is_array(), at("response.cookies is an array"));
        need(name_values(&res["headers"]), at("response.headers are name/value pairs"));
        need(is_num(&res["content"]["size"]) && is_str(&res["content"]["mimeType"]), at("response.content has size and mimeType"));
        need(is_num(&res["headersSize"]) && is_num(&res["bodySize"]), at("response sizes are numbers"));
        need(e["cache"].is_object(), at("cache is an object"));
        let t = &e["timings"];
        for k in ["send", "wait", "receive"] {
            need(t[k].as_f64().is_some_and(|v| v >= 0.0), at(&format!("timings.{k} is a number, not negative")));
        }
        for k in ["blocked", "dns", "connect", "ssl"] {
            need(t[k].is_null() || t[k].as_f64().is_some_and(|v| v == -1.0 || v >= 0.0), at(&format!("timings.{k} is -1 or not negative")));
        }
        // "time": the sum of the timings that apply (ssl is within connect).
        let sum: f64 =
            ["blocked", "dns", "connect", "send", "wait", "receive"].iter().filter_map(|k| t[*k].as_f64()).filter(|v| *v >= 0.0).sum();
        need(e["time"].as_f64().is_some_and(|time| (time - sum).abs() < 1e-6), at("time is the sum of the timings"));
    }
    p
}

fn timing(name: &str, start: f64, status: u16) -> ResourceTiming {
    ResourceTiming {
        name: name.into(),
        initiator_type: "fetch".into(),
        next_hop_protocol: "h2".into(),
        start_time: start,
        fetch_start: start,
        domain_lookup_start: start + 1.0,
        domain_lookup_end: start + 11.0,
        connect_start: start + 11.0,
        secure_connection_start: start + 21.0,
        connect_end: start + 41.0,
        request_start: start + 42.0,
        response_start: start + 142.0,
        response_end: start + 150.0,
        transfer_size: 1200.0,
        encoded_body_size: 900.0,
        decoded_body_size: 2000.0,
        response_status: status,
        ..Default::default()
    }
}

fn exported() -> (Value, Known) {
    let mut sent = Row::new(1, timing("https://api.example/items?page=2", 100.0, 201));
    sent.method = "POST".into();
    let known = Known {
        request_headers: vec![("Content-Type".into(), "application/json".into()), ("X-Trace".into(), "t1".into())],
        request_body: Some("{\"name\":\"tea\"}".into()),
        status_text: "Created".into(),
        response_headers: vec![("Content-Type".into(), "application/json".into()), ("Location".into(), "/items/9".into())],
    };
    let observed = Row::new(2, timing("https://cdn.example/app.css", 300.0, 200));
    let hidden = Row::new(
        3,
        ResourceTiming { name: "https://ads.example/t".into(), start_time: 5000.0, response_end: 5040.0, ..Default::default() },
    );
    let pages = [
        PageLoad {
            id: "page_1".into(),
            title: "https://app.example/".into(),
            started_ms: 0.0,
            on_content_load_ms: Some(250.0),
            on_load_ms: Some(600.0),
        },
        PageLoad {
            id: "page_2".into(),
            title: "https://app.example/b".into(),
            started_ms: 4000.0,
            on_content_load_ms: None,
            on_load_ms: None,
        },
    ];
    let har = export([(&sent, Some(&known)), (&observed, None), (&hidden, None)], 1_700_000_000_000.0, &pages);
    (serde_json::to_value(&har).unwrap(), known)
}

#[test]
fn an_export_has_every_field_har_1_2_requires() {
    let (har, _) = exported();
    assert_eq!(har12_problems(&har), Vec::<String>::new(), "{har:#}");
    assert_eq!(har["log"]["version"], "1.2");
    assert_eq!(har["log"]["pages"].as_array().unwrap().len(), 2, "one pages entry per page load");
    let refs: Vec<_> = har["log"]["entries"].as_array().unwrap().iter().map(|e| e["pageref"].clone()).collect();
    assert_eq!(refs, [json!("page_1"), json!("page_1"), json!("page_2")]);
}

#[test]
fn the_checks_catch_what_a_broken_export_would_miss() {
    let (mut har, _) = exported();
    har["log"]["entries"][0]["response"]["content"].as_object_mut().unwrap().remove("mimeType");
    har["log"]["entries"][1]["timings"]["wait"] = json!(-1);
    har["log"]["entries"][1]["request"]["headers"] = json!([{"name": "X"}]);
    har["log"]["entries"][2]["pageref"] = json!("page_9");
    har["log"]["entries"][2]["time"] = json!(1);
    har["log"]["pages"][1]["startedDateTime"] = json!("yesterday");
    har["log"]["pages"][0].as_object_mut().unwrap().remove("pageTimings");
    assert_eq!(
        har12_problems(&har),
        [
            "pages[0].pageTimings is an object",
            "pages[1].startedDateTime is an ISO 8601 date",
            "entries[0].response.content has size and mimeType",
            "entries[1].request.headers are name/value pairs",
            "entries[1].timings.wait is a number, not negative",
            "entries[1].time is the sum of the timings",
            "entries[2].pageref names a page",
            "entries[2].time is the sum of the timings",
        ]
    );
}

#[test]
fn an_export_reads_back_with_what_roundtrip_sent() {
    let (har, known) = exported();
    let import = HarImport::from_text(&har.to_string()).unwrap();
    // The cross-origin row's size was hidden from the page: the file says so, and so does the import.
    assert_eq!(
        import.notes(),
        ["1 entry does not say how many bytes it transferred (no _transferSize; headersSize and bodySize -1 or null): byte totals leave it out."]
    );
    assert_eq!(import.pages.iter().map(|p| p.title.as_str()).collect::<Vec<_>>(), ["https://app.example/", "https://app.example/b"]);
    assert_eq!((import.report(0).requests, import.report(1).requests), (2, 1));
    assert_eq!((import.report(0).dom_content_loaded_ms, import.report(0).load_ms), (Some(250.0), Some(600.0)));
    let sent = &import.entries[0];
    assert_eq!((sent.row.method.as_str(), sent.row.status, sent.row.start_ms()), ("POST", 201, 100.0));
    assert_eq!(&sent.known, &known, "headers, body and status text survive the round trip");
    assert_eq!(import.entries[2].row.start_ms(), 1000.0, "on page_2's axis");
    assert_eq!(import.entries[2].row.status, 0);
    assert_eq!(import.entries[2].delivery, Delivery::Network, "a status the browser hid is not a failure");
    assert_eq!(har["log"]["entries"][2]["response"]["_statusNotExposed"], true);
    assert!(har["log"]["entries"][1]["response"].get("_statusNotExposed").is_none());
}
