//! HAR import on small files made for these tests, one per quirk that real
//! exports have (the real files are in ../shared/har-corpus; see
//! har_corpus.rs). Each test checks what the user would see: counts, bytes,
//! milestones, and the sentences naming what was left out or repaired.

use roundtrip_model::har::{Delivery, HarImport, RunView};
use roundtrip_model::pageload::from_cache;
use roundtrip_model::timing::PhaseKind;
use roundtrip_model::waterfall::ResourceType;
use serde_json::{json, Value};

/// A complete, ordinary entry (Chrome's shape); tests change what they need.
fn entry(url: &str, started: &str) -> Value {
    json!({
        "startedDateTime": started,
        "time": 30.0,
        "request": {"method": "GET", "url": url, "httpVersion": "http/1.1", "cookies": [], "headers": [], "queryString": [], "headersSize": 100, "bodySize": 0},
        "response": {"status": 200, "statusText": "OK", "httpVersion": "http/1.1", "cookies": [], "headers": [],
                     "content": {"size": 1000, "mimeType": "text/css"}, "redirectURL": "", "headersSize": 150, "bodySize": 500},
        "cache": {},
        "timings": {"blocked": 1.0, "dns": -1, "connect": -1, "ssl": -1, "send": 1.0, "wait": 20.0, "receive": 8.0}
    })
}

fn har(pages: Option<Value>, entries: Vec<Value>) -> String {
    let mut log = json!({"version": "1.2", "creator": {"name": "test", "version": "1"}, "entries": entries});
    if let Some(p) = pages {
        log["pages"] = p;
    }
    json!({ "log": log }).to_string()
}

fn import(text: &str) -> HarImport {
    HarImport::from_text(text).expect("a HAR file")
}

fn page(id: &str, title: &str, started: &str, dcl: Value, load: Value) -> Value {
    json!({"id": id, "title": title, "startedDateTime": started, "pageTimings": {"onContentLoad": dcl, "onLoad": load}})
}

#[test]
fn a_byte_order_mark_is_read_past_and_mentioned() {
    let text = format!("\u{feff}{}", har(None, vec![entry("https://a.example/", "2024-01-01T00:00:00.000Z")]));
    let i = import(&text);
    assert_eq!(i.entries.len(), 1);
    assert!(i.notes()[0].contains("byte-order mark"), "{:?}", i.notes());
}

#[test]
fn firefox_null_time_and_null_header_sizes_keep_every_entry() {
    let mut a = entry("https://a.example/", "2024-01-01T09:00:00.000+09:00");
    a["time"] = Value::Null;
    a["request"]["headersSize"] = Value::Null;
    let mut b = entry("https://a.example/b.css", "2024-01-01T09:00:00.100+09:00");
    b["time"] = Value::Null;
    b["response"]["headersSize"] = Value::Null;
    let i = import(&har(None, vec![a, b]));
    assert_eq!(i.entries.len(), 2, "{:?}", i.notes());
    assert_eq!(i.entries[0].row.timeline.total_ms, 30.0, "the sum of the timings");
    assert_eq!(i.entries[1].row.start_ms(), 100.0);
    assert_eq!(i.entries[1].transferred, Some(500), "headersSize null: the body's bytes are what is known");
    assert_eq!(i.repairs, vec!["2 entries have no usable \"time\" (null, negative or missing, as Firefox writes it): the duration drawn is the sum of the timings."]);
}

#[test]
fn a_failed_request_counts_as_a_request_never_as_a_cache_hit() {
    // WebPageTest writes -2; Chrome 0 with `_transferSize: 0` and an `_error`.
    let mut wpt = entry("https://a.example/x.js", "2024-01-01T00:00:00.000Z");
    wpt["response"]["status"] = json!(-2);
    let mut chrome = entry("https://ads.example/t.gif", "2024-01-01T00:00:00.010Z");
    chrome["response"]["status"] = json!(0);
    chrome["response"]["_transferSize"] = json!(0);
    chrome["response"]["_error"] = json!("net::ERR_BLOCKED_BY_CLIENT");
    chrome["response"]["bodySize"] = json!(0);
    let mut cached = entry("https://a.example/c.css", "2024-01-01T00:00:00.020Z");
    cached["response"]["_transferSize"] = json!(0);
    let i = import(&har(None, vec![wpt, chrome, cached]));
    assert_eq!(i.entries[0].delivery, Delivery::Failed("status -2".into()));
    assert_eq!(i.entries[1].delivery, Delivery::Failed("status 0, net::ERR_BLOCKED_BY_CLIENT".into()));
    assert_eq!(i.entries[2].delivery, Delivery::Cache);
    let r = i.report(0);
    assert_eq!((r.requests, r.failed, r.cache_hits), (3, 2, 1));
    // The live load report's count agrees.
    assert_eq!(i.entries.iter().map(|e| from_cache(&e.row)).collect::<Vec<_>>(), [false, false, true]);
    assert_eq!(i.entries[0].row.status, 0);
    assert!(i.notes().iter().any(|n| n.starts_with("2 requests got no response")), "{:?}", i.notes());
}

#[test]
fn a_file_without_pages_is_one_page_on_its_first_entrys_clock() {
    let i = import(&har(
        None,
        vec![entry("https://a.example/b", "2024-01-01T00:00:00.250Z"), entry("https://a.example/a", "2024-01-01T00:00:00.000Z")],
    ));
    assert_eq!(i.pages.len(), 1);
    assert_eq!((i.pages[0].title.as_str(), i.pages[0].listed), ("Requests without a page", false));
    assert_eq!(i.entries.iter().map(|e| e.row.start_ms()).collect::<Vec<_>>(), [250.0, 0.0], "an earlier entry moves the axis");
    assert_eq!(i.report(0).requests, 2);
    assert_eq!(i.pages[0].milestones_ms(), (None, None));
}

#[test]
fn vendor_fields_give_type_initiator_and_bytes() {
    let mut chrome = entry("https://a.example/api", "2024-01-01T00:00:00.000Z");
    chrome["_resourceType"] = json!("xhr");
    chrome["_initiator"] = json!({"type": "script", "url": "https://a.example/app.js"});
    chrome["response"]["_transferSize"] = json!(812);
    let mut wpt = entry("https://a.example/logo", "2024-01-01T00:00:00.001Z");
    wpt["_initiator"] = json!("https://a.example/");
    wpt["_bytesIn"] = json!("4321");
    wpt["response"]["content"]["mimeType"] = json!("image/png");
    let mut safari = entry("https://a.example/s.css", "2024-01-01T00:00:00.002Z");
    safari["_fetchType"] = json!("Memory Cache");
    for k in ["headersSize", "bodySize"] {
        safari["response"][k] = json!(-1);
        safari["request"][k] = json!(-1);
    }
    let mut firefox = entry("https://a.example/f.woff2", "2024-01-01T00:00:00.003Z");
    firefox["response"]["content"]["mimeType"] = json!("font/woff2");
    let mut unknown = entry("https://a.example/u", "2024-01-01T00:00:00.004Z");
    unknown["response"]["headersSize"] = json!(-1);
    unknown["response"]["bodySize"] = Value::Null;
    let i = import(&har(None, vec![chrome, wpt, safari, firefox, unknown]));
    let kinds: Vec<_> = i.entries.iter().map(|e| e.row.kind).collect();
    assert_eq!(kinds, [ResourceType::Fetch, ResourceType::Img, ResourceType::Css, ResourceType::Font, ResourceType::Css]);
    assert_eq!(i.entries[0].row.entry.initiator_type, "script");
    assert_eq!(i.entries[0].initiator_url.as_deref(), Some("https://a.example/app.js"));
    assert_eq!(i.entries[1].initiator_url.as_deref(), Some("https://a.example/"));
    let bytes: Vec<_> = i.entries.iter().map(|e| e.transferred).collect();
    assert_eq!(bytes, [Some(812), Some(4321), Some(0), Some(650), None]);
    assert_eq!(i.entries[2].delivery, Delivery::Cache);
    let r = i.report(0);
    assert_eq!((r.transferred_bytes, r.transfer_unknown, r.cache_hits), (812 + 4321 + 650, 1, 1));
    assert!(i.notes().iter().any(|n| n.starts_with("1 entry does not say how many bytes it transferred")), "{:?}", i.notes());
}

#[test]
fn pages_each_have_their_own_axis_counts_and_milestones() {
    let pages = json!([
        page("page_2", "Second", "2024-01-01T00:01:00.000Z", json!(400), json!(900)),
        page("page_1", "First", "2024-01-01T00:00:00.000Z", json!(120.5), json!(-1)),
    ]);
    let e = |url: &str, at: &str, pageref: Option<&str>| {
        let mut v = entry(url, at);
        if let Some(p) = pageref {
            v["pageref"] = json!(p);
        }
        v
    };
    let i = import(&har(
        Some(pages),
        vec![
            e("https://a.example/", "2024-01-01T00:00:00.010Z", Some("page_1")),
            e("https://a.example/", "2024-01-01T00:01:00.000Z", Some("page_2")),
            e("https://a.example/a.css", "2024-01-01T00:00:00.050Z", Some("page_1")),
            e("https://a.example/b.css", "2024-01-01T00:01:00.200Z", Some("page_2")),
            e("https://a.example/c.css", "2024-01-01T00:01:00.300Z", Some("page_2")),
            e("https://b.example/", "2024-01-01T00:02:00.000Z", Some("page_9")),
            e("https://c.example/", "2024-01-01T00:03:00.000Z", None),
        ],
    ));
    let titles: Vec<_> = i.pages.iter().map(|p| p.title.as_str()).collect();
    assert_eq!(titles, ["First", "Second", "page_9", "Requests without a page"], "in order of their start");
    let counts: Vec<_> = (0..4).map(|p| i.report(p).requests).collect();
    assert_eq!(counts, [2, 3, 1, 1]);
    assert_eq!(i.pages.iter().map(|p| p.requests).collect::<Vec<_>>(), counts, "the picker's counts");
    let starts = |p| i.entries_of(p).map(|e| e.row.start_ms()).collect::<Vec<_>>();
    assert_eq!(starts(0), [10.0, 50.0], "relative to the page's startedDateTime");
    assert_eq!(starts(1), [0.0, 200.0, 300.0]);
    assert_eq!(starts(2), [0.0]);
    assert_eq!((i.report(0).dom_content_loaded_ms, i.report(0).load_ms), (Some(120.5), None), "-1 is not known");
    assert_eq!((i.report(1).dom_content_loaded_ms, i.report(1).load_ms), (Some(400.0), Some(900.0)));
    assert_eq!(i.report(1).almanac, "fewer than the lightest 10% of desktop pages (p10: 27 requests)");
    assert_eq!(i.report(1).by_type.iter().find(|(t, _)| *t == ResourceType::Css).unwrap().1, 3);
    assert_eq!(i.pages[0].url.as_deref(), None, "text/css entries are no document");
    assert_eq!(i.notes(), vec!["1 entry names page \"page_9\", which log.pages does not list: shown as a page of its own.".to_owned()]);
}

#[test]
fn an_entry_before_its_pages_start_moves_the_axis_and_the_milestones_with_it() {
    let pages = json!([page("p", "P", "2024-01-01T00:00:01.000Z", json!(100), json!(200))]);
    let mut early = entry("https://a.example/", "2024-01-01T00:00:00.900Z");
    early["pageref"] = json!("p");
    let i = import(&har(Some(pages), vec![early]));
    assert_eq!(i.entries[0].row.start_ms(), 0.0);
    assert_eq!(i.pages[0].milestones_ms(), (Some(200.0), Some(300.0)));
}

#[test]
fn webpagetest_first_and_repeat_views_are_compared() {
    let text = std::fs::read_to_string(format!("{}/tests/har/wpt-first-repeat.har", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let i = import(&text);
    assert_eq!(
        i.pages.iter().map(|p| p.run_view).collect::<Vec<_>>(),
        [Some(RunView { run: 1, repeat: false }), Some(RunView { run: 1, repeat: true })]
    );
    assert_eq!(i.pages[0].url.as_deref(), Some("https://shop.example/"), "WebPageTest's _URL");
    let c = i.first_and_repeat();
    assert_eq!(c.len(), 1);
    assert_eq!((c[0].first.requests, c[0].repeat.requests), (4, 2));
    assert_eq!((c[0].first.transferred_bytes, c[0].repeat.transferred_bytes), (61_000, 1_200));
    assert_eq!((c[0].requests_saved(), c[0].bytes_saved()), (2, 59_800));
    assert_eq!(
        c[0].summary(),
        "Run 1: the first view made 4 requests and transferred 61.0 kB; the repeat view made 2 and transferred 1.2 kB: the cache saved 2 requests and 59.8 kB."
    );
    // A file of ordinary pages has no such pairs.
    assert!(import(&har(None, vec![entry("https://a.example/", "2024-01-01T00:00:00Z")])).first_and_repeat().is_empty());
}

#[test]
fn unusable_entries_are_named_with_the_reason() {
    let mut no_url = entry("", "2024-01-01T00:00:00.000Z");
    no_url["request"]["url"] = Value::Null;
    let mut no_request = entry("https://a.example/", "2024-01-01T00:00:00.000Z");
    no_request.as_object_mut().unwrap().remove("request");
    let good = entry("https://a.example/", "2024-01-01T00:00:00.000Z").to_string();
    let text = format!(
        r#"{{"log": {{"entries": [{good}, null, 7, {no_url}, {no_request}, {{"time": 1e999, "request": {{"url": "https://a.example/"}}}}, ["x"]]}}}}"#
    );
    let i = import(&text);
    assert_eq!(i.entries.len(), 1);
    let notes = i.notes();
    assert_eq!(notes[0], "Entry 2 is left out: it is null, not an object.");
    assert_eq!(notes[1], "Entry 3 is left out: it is a number, not an object.");
    assert_eq!(notes[2], "Entry 4 is left out: its request has no URL.");
    assert_eq!(notes[3], "Entry 5 is left out: it has no request.");
    assert!(notes[4].starts_with("Entry 6 is left out: it is not valid JSON (number out of range"), "{}", notes[4]);
    assert_eq!(notes[5], "Entry 7 is left out: it is an array, not an object.");
    assert_eq!(i.skipped.len(), 6);
}

#[test]
fn sizes_past_the_limits_and_nan_strings_are_named_and_never_overflow() {
    let mut huge = entry("https://a.example/1", "2024-01-01T00:00:00.000Z");
    huge["response"]["_transferSize"] = json!(18_000_000_000_000_000_000u64);
    huge["response"]["content"]["size"] = json!(i64::MAX);
    let mut huge2 = entry("https://a.example/2", "2024-01-01T00:00:00.000Z");
    huge2["response"]["headersSize"] = json!(i64::MAX);
    huge2["response"]["bodySize"] = json!(12.5);
    huge2["response"]["content"]["size"] = json!(-7);
    let mut nan = entry("https://a.example/3", "2024-01-01T00:00:00.000Z");
    nan["response"]["_transferSize"] = json!("NaN");
    nan["response"]["headersSize"] = json!("Infinity");
    nan["response"]["bodySize"] = json!("-inf");
    nan["timings"]["wait"] = json!("NaN");
    nan["timings"]["receive"] = json!(1e300);
    nan["time"] = json!("inf");
    let mut largest = entry("https://a.example/4", "2024-01-01T00:00:00.000Z");
    largest["response"]["headersSize"] = json!(9_007_199_254_740_991u64);
    largest["response"]["bodySize"] = json!(9_007_199_254_740_991u64);
    largest["response"]["content"]["size"] = json!(9_007_199_254_740_991u64);
    let i = import(&har(None, vec![huge, huge2, nan, largest]));
    assert_eq!(i.entries.len(), 4, "every entry is kept");
    assert_eq!(i.entries[0].transferred, Some(650), "no usable _transferSize: headers + body");
    assert_eq!(i.entries[1].transferred, None, "neither size is a whole number of bytes");
    assert_eq!(i.entries[2].transferred, None, "NaN and infinities are not sizes");
    assert_eq!(i.entries[3].transferred, Some(18_014_398_509_481_982), "the largest sizes still add up exactly");
    let r = i.report(0);
    assert_eq!(r.transferred_bytes, 650 + 18_014_398_509_481_982);
    assert_eq!(r.content_bytes, 1000 + 9_007_199_254_740_991, "the unusable content sizes count as 0");
    let t = &i.entries[2].row.timeline;
    assert_eq!(t.total_ms, 2.0, "NaN and 1e300 ms phases are not told; blocked and send remain");
    assert!(t.phases.iter().all(|p| p.duration_ms.is_finite()));
    // What the user reads: each unusable value, named with its entry.
    let notes = i.notes();
    let bytes = "a whole number of bytes up to 9007199254740991 (or -1: not told)";
    let ms = "a number of milliseconds from 0 to 1000000000 (or -1: not told)";
    for expected in [
        "2 entries do not say how many bytes they transferred (no _transferSize; headersSize and bodySize -1 or null): byte totals leave them out.".to_owned(),
        format!("In 2 entries, response._transferSize is not {bytes} (the first, entry 1: 1.8e19); each is read as not told."),
        format!("In 2 entries, response.content.size is not {bytes} (the first, entry 1: 9.223372036854776e18); each is read as not told."),
        format!("In 2 entries, response.headersSize is not {bytes} (the first, entry 2: 9.223372036854776e18); each is read as not told."),
        format!("In 2 entries, response.bodySize is not {bytes} (the first, entry 2: 12.5); each is read as not told."),
        format!("Entry 3: timings.wait is \"NaN\", not {ms}; it is read as not told."),
        format!("Entry 3: timings.receive is 1e300, not {ms}; it is read as not told."),
        format!("Entry 3: time is \"inf\", not {ms}; it is drawn as long as the sum of its timings."),
    ] {
        assert!(notes.contains(&expected), "{expected}\nnot in\n{notes:#?}");
    }
    assert_eq!(notes.len(), 8, "{notes:#?}");
}

#[test]
fn unreadable_dates_keep_the_entry_at_its_pages_start() {
    let mut dates = vec![entry("https://a.example/", "2024-01-01T00:00:00.000Z")];
    // Past what the browser's Date holds (it throws "Invalid time value"),
    // a year of six digits, words, a number, an object.
    for bad in [json!("+275760-09-13T00:00:00.001Z"), json!("999999-01-01T00:00:00Z"), json!("yesterday"), json!(1e300), json!({"a": 1})] {
        dates.push(entry("https://a.example/x", "").tap(|e| e["startedDateTime"] = bad));
    }
    dates.push(entry("https://a.example/missing", "").tap(|e| e["startedDateTime"] = Value::Null));
    let mut pages = page("p", "A page", "+275760-09-13T00:00:00.001Z", json!(-5), json!(1e300));
    pages["title"] = json!(["not", "text"]);
    for e in &mut dates {
        e["pageref"] = json!("p");
    }
    let i = import(&har(Some(json!([pages])), dates));
    assert_eq!(i.entries.len(), 7);
    for e in &i.entries[1..] {
        assert_eq!((e.row.start_ms(), e.started_epoch_ms), (0.0, None));
    }
    assert_eq!(i.pages[0].started_epoch_ms, None);
    assert_eq!(i.pages[0].title, "p", "the id, in the title's place");
    assert_eq!(i.pages[0].milestones_ms(), (None, None));
    let date = "an ISO 8601 date and time from the years 0000 to 9999";
    let ms = "a number of milliseconds from 0 to 1000000000 (or -1: not told)";
    assert_eq!(
        i.notes(),
        vec![
            "1 entry has no readable startedDateTime: drawn at the start of its page.".to_owned(),
            format!("Page 1 of log.pages: startedDateTime is \"+275760-09-13T00:00:00.001Z\", not {date}; it is replaced by the time of the page's first entry."),
            format!("Page 1 of log.pages: title is an array, not text; it is replaced by the page's id."),
            format!("Page 1 of log.pages: pageTimings.onContentLoad is -5, not {ms}; it is not shown."),
            format!("Page 1 of log.pages: pageTimings.onLoad is 1e300, not {ms}; it is not shown."),
            format!("In 5 entries, startedDateTime is not {date} (the first, entry 2: \"+275760-09-13T00:00:00.001Z\"); each is drawn at the start of its page."),
        ]
    );
}

trait Tap: Sized {
    fn tap(mut self, f: impl FnOnce(&mut Self)) -> Self {
        f(&mut self);
        self
    }
}
impl Tap for Value {}

#[test]
fn an_imported_row_knows_its_headers_and_body() {
    let mut post = entry("https://a.example/api", "2024-01-01T00:00:00.000Z");
    post["request"]["method"] = json!("POST");
    post["request"]["headers"] = json!([{"name": "Content-Type", "value": "application/json"}, {"value": "nameless"}, 5]);
    post["request"]["postData"] = json!({"mimeType": "application/json", "text": "{\"q\":1}"});
    post["response"]["status"] = json!(201);
    post["response"]["statusText"] = json!("Created");
    post["response"]["headers"] = json!([{"name": "Location", "value": "/api/7"}]);
    post["timings"] = json!({"blocked": 2, "dns": 3, "connect": 10, "ssl": 6, "send": 1, "wait": 40, "receive": 4});
    let i = import(&har(None, vec![post]));
    let e = &i.entries[0];
    assert_eq!((e.row.method.as_str(), e.row.status), ("POST", 201));
    let k = i.known(e.row.id).unwrap();
    assert_eq!(k.request_headers, vec![("Content-Type".to_owned(), "application/json".to_owned())]);
    assert_eq!(k.request_body.as_deref(), Some("{\"q\":1}"));
    assert_eq!((k.status_text.as_str(), k.response_headers[0].1.as_str()), ("Created", "/api/7"));
    let d = |kind| e.row.timeline.phase(kind).unwrap().duration_ms;
    assert_eq!((d(PhaseKind::Queue), d(PhaseKind::Dns), d(PhaseKind::Connect), d(PhaseKind::Tls)), (2.0, 3.0, 4.0, 6.0));
    assert_eq!((d(PhaseKind::Stalled), d(PhaseKind::Waiting), d(PhaseKind::Download)), (1.0, 40.0, 4.0));
}
