//! A HAR file is untrusted input, like a link: whatever JSON-ish text it
//! holds, import never panics, and what it shows adds up. Thousands of
//! generated files, from HAR-shaped ones with hostile values (sizes near
//! i64::MAX, NaN and infinity strings, nulls, wrong shapes) to mangled text.

use roundtrip_model::har::{split_entries, Delivery, EntryScanner, HarImport, Importer};
use serde_json::{json, Map, Value};

use roundtrip_model::testing::Gen;

const TEXTS: &[&str] = &[
    "",
    "GET",
    "https://a.example/",
    "https://a.example/x.css?v=1",
    "page_1",
    "page_1_0",
    "page_1_1",
    "Run 1, First View for x",
    "Run 1, Repeat View for x",
    "Run 99999999999, First View",
    "2024-01-01T00:00:00.000Z",
    "2024-01-01T00:00:00.500+09:00",
    "2024-02-30T25:61:61Z",
    "99999999999999999999-01-01T00:00:00Z",
    "NaN",
    "inf",
    "-Infinity",
    "1e999",
    "9223372036854775807",
    "-9223372036854775808",
    "Memory Cache",
    "memory",
    "net::ERR_FAILED",
    "document",
    "xhr",
    "other",
    "text/html",
    "image/png",
    "é€😀",
    "\u{0}\n\t",
    "\u{feff}",
];

fn scalar(g: &mut Gen) -> Value {
    match g.below(16) {
        0 => Value::Null,
        1 => json!(-1),
        2 => json!(-2),
        3 => json!(0),
        4 => json!(i64::MAX),
        5 => json!(i64::MIN),
        6 => json!(u64::MAX),
        7 => json!(1e308),
        8 => json!(-1e308),
        9 => json!(0.5),
        10 => json!(g.below(100_000) as f64 / 7.0),
        11 => json!(true),
        12 => json!([]),
        13 => json!({}),
        _ => json!(g.pick(TEXTS)),
    }
}

/// An object with some of `keys`, each a scalar or (from `nested`) an object.
fn object(g: &mut Gen, keys: &[&str], nested: &dyn Fn(&mut Gen, &str) -> Option<Value>) -> Value {
    let mut m = Map::new();
    for key in keys {
        if g.chance(80) {
            let v = if g.chance(85) { nested(g, key).unwrap_or_else(|| scalar(g)) } else { scalar(g) };
            m.insert((*key).to_owned(), v);
        }
    }
    Value::Object(m)
}

fn name_values(g: &mut Gen) -> Value {
    Value::Array((0..g.below(4)).map(|_| if g.chance(80) { json!({"name": scalar(g), "value": scalar(g)}) } else { scalar(g) }).collect())
}

fn entry(g: &mut Gen) -> Value {
    object(
        g,
        &[
            "pageref",
            "startedDateTime",
            "time",
            "request",
            "response",
            "timings",
            "cache",
            "_resourceType",
            "_initiator",
            "_fromCache",
            "_fetchType",
            "_bytesIn",
        ],
        &|g, key| match key {
            "request" => {
                Some(object(g, &["method", "url", "httpVersion", "headers", "headersSize", "bodySize", "postData"], &|g, k| match k {
                    "headers" => Some(name_values(g)),
                    "url" => Some(json!(g.pick(&["https://a.example/", "https://b.example/p?q=1", ""]))),
                    "postData" => Some(json!({"mimeType": scalar(g), "text": scalar(g)})),
                    _ => None,
                }))
            }
            "response" => Some(object(
                g,
                &["status", "statusText", "headers", "content", "headersSize", "bodySize", "_transferSize", "_error"],
                &|g, k| match k {
                    "headers" => Some(name_values(g)),
                    "content" => Some(json!({"size": scalar(g), "mimeType": scalar(g)})),
                    "status" if g.chance(50) => Some(json!(g.pick(&[200, 304, 0, -2, 99, 1000, 503]))),
                    _ => None,
                },
            )),
            "timings" => Some(object(g, &["blocked", "dns", "connect", "ssl", "send", "wait", "receive"], &|_, _| None)),
            "_initiator" if g.chance(50) => Some(json!({"type": scalar(g), "url": scalar(g)})),
            "pageref" => Some(json!(g.pick(&["page_1", "page_1_0", "page_1_1", "nowhere"]))),
            "startedDateTime" if g.chance(60) => Some(json!(g.pick(&["2024-01-01T00:00:00.000Z", "2024-01-01T00:00:01.250+01:00"]))),
            _ => None,
        },
    )
}

fn page(g: &mut Gen) -> Value {
    object(g, &["id", "title", "startedDateTime", "pageTimings", "_URL"], &|g, key| match key {
        "id" => Some(json!(g.pick(&["page_1", "page_1_0", "page_1_1", ""]))),
        "pageTimings" => Some(json!({"onContentLoad": scalar(g), "onLoad": scalar(g)})),
        _ => None,
    })
}

fn har(g: &mut Gen) -> (String, usize) {
    let entries: Vec<Value> = (0..g.below(12)).map(|_| if g.chance(90) { entry(g) } else { scalar(g) }).collect();
    let n = entries.len();
    let mut log = json!({"version": "1.2", "creator": {"name": "gen", "version": "1"}, "entries": entries});
    if g.chance(70) {
        log["pages"] = Value::Array((0..g.below(4)).map(|_| if g.chance(90) { page(g) } else { scalar(g) }).collect());
    }
    let text = json!({ "log": log }).to_string();
    (if g.chance(10) { format!("\u{feff}{text}") } else { text }, n)
}

/// Everything a user would see from an import is finite and adds up.
fn check_adds_up(import: &HarImport, context: &str) {
    let per_page: usize = (0..import.pages.len()).map(|p| import.report(p).requests).sum();
    assert_eq!(per_page, import.entries.len(), "{context}");
    for e in &import.entries {
        assert!(e.page < import.pages.len(), "{context}");
        assert!(e.row.start_ms().is_finite() && e.row.end_ms().is_finite() && e.row.start_ms() >= 0.0, "{context}: {e:?}");
        assert!(e.row.timeline.phases.iter().all(|p| p.duration_ms.is_finite() && p.duration_ms >= 0.0), "{context}");
        assert_eq!(import.entry(e.row.id).map(|x| x.number), Some(e.number), "{context}");
    }
    for (i, p) in import.pages.iter().enumerate() {
        let r = import.report(i);
        let (dcl, load) = p.milestones_ms();
        assert!(dcl.is_none_or(f64::is_finite) && load.is_none_or(f64::is_finite), "{context}");
        assert!(r.by_type.iter().map(|(_, n)| n).sum::<usize>() == r.requests, "{context}");
    }
    for c in import.first_and_repeat() {
        assert!(!c.summary().is_empty());
    }
    for note in import.notes() {
        assert!(!note.chars().any(char::is_control), "a note carries no control characters: {note:?}");
    }
}

#[test]
fn property_har_shaped_files_with_hostile_values_never_panic_and_add_up() {
    let mut g = Gen(0x4841_5220_0000_0017);
    // What the generated files covered, so a generator gone dull fails.
    let (mut skipped, mut failed, mut cached, mut multi, mut pairs, mut bom) = (0, 0, 0, 0, 0, 0);
    for i in 0..3000 {
        let (text, n) = har(&mut g);
        let import = HarImport::from_text(&text).unwrap_or_else(|e| panic!("generated file {i} is JSON with log.entries: {e}\n{text}"));
        assert_eq!(import.entries.len() + import.skipped.len(), n, "every entry imported or named: {text}");
        check_adds_up(&import, &text);
        // Read in small steps, as the app does, it gives the same.
        let mut scanner = EntryScanner::new(&text).unwrap();
        while scanner.scan(1 + g.below(40)).is_none() {}
        let split = scanner.finish().unwrap();
        let mut importer = Importer::new(&split);
        for e in &split.entries {
            let _ = importer.push(e);
        }
        assert_eq!(importer.finish(), import, "{text}");
        skipped += import.skipped.len();
        failed += import.entries.iter().filter(|e| matches!(e.delivery, Delivery::Failed(_))).count();
        cached += import.entries.iter().filter(|e| e.delivery == Delivery::Cache).count();
        multi += usize::from(import.pages.len() > 1);
        pairs += import.first_and_repeat().len();
        bom += usize::from(import.repairs.iter().any(|r| r.contains("byte-order mark")));
    }
    println!("skipped {skipped}, failed {failed}, cached {cached}, multi-page {multi}, first/repeat {pairs}, BOM {bom}");
    assert!([skipped, failed, cached, multi, pairs, bom].iter().all(|n| *n > 50), "{skipped} {failed} {cached} {multi} {pairs} {bom}");
}

#[test]
fn property_mangled_text_never_panics() {
    let mut g = Gen(0xDEAD_BEEF_0000_0017);
    const TOKENS: &[&str] = &[
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"",
        "\\",
        "\"log\"",
        "\"entries\"",
        "\"pages\"",
        "\"request\"",
        "\"url\"",
        "\"time\"",
        "null",
        "-1",
        "1e999",
        "9223372036854775807",
        "\"NaN\"",
        " ",
        "\n",
        "é",
        "\u{feff}",
        "\u{0}",
    ];
    for i in 0..4000 {
        let text = if i % 2 == 0 {
            // A real-looking file, cut or spliced at a random character.
            let (base, _) = har(&mut g);
            let chars: Vec<char> = base.chars().collect();
            let cut = g.below(chars.len() + 1);
            let splice: String = (0..g.below(6)).map(|_| *g.pick(TOKENS)).collect();
            chars[..cut].iter().collect::<String>() + &splice + &chars[cut..].iter().skip(g.below(8)).collect::<String>()
        } else {
            let prefix = *g.pick(&["", "{\"log\":{\"entries\":[", "{\"log\":{\"pages\":[{", "\u{feff}{"]);
            prefix.to_owned() + &(0..g.below(60)).map(|_| *g.pick(TOKENS)).collect::<String>()
        };
        match HarImport::from_text(&text) {
            Ok(import) => check_adds_up(&import, &text),
            Err(e) => assert!(!e.to_string().is_empty()),
        }
        let _ = split_entries(&text);
    }
}

/// Any JSON value at all: what a hand-edited or hostile file may hold in a
/// field. Nulls, booleans, numbers past every limit (and fractions where
/// whole numbers belong), strings of numbers and of words, dates past what
/// a JavaScript `Date` holds, long strings, arrays, objects, deep nesting.
fn any_value(g: &mut Gen, depth: usize) -> Value {
    match g.below(if depth > 3 { 20 } else { 24 }) {
        0 => Value::Null,
        1 => json!(g.chance(50)),
        2 => json!(-1),
        3 => json!(*g.pick(&[-2.0, -0.5, -1e308, -9.3e18, -1e9 - 1.0])),
        4 => json!(*g.pick(&[0.0, 0.1, 12.5, 999.999, 1e-300, 5e-7])),
        5 => json!(*g.pick(&[1e9, 1e9 + 1.0, 9_007_199_254_740_991.0, 9_007_199_254_740_992.0, 1e15, 1e308])),
        6 => json!(*g.pick(&[u64::MAX, i64::MAX as u64, 200, 304, 99, 1000, 1, 0])),
        7 => json!(i64::MIN),
        8 => json!(g.below(2000) as f64 / 3.0),
        9 => json!(*g.pick(&["NaN", "Infinity", "-inf", "1e400", "0x10", " 42 ", "-1", "", "   ", "12.5", "9007199254740993"])),
        10 => json!(*g.pick(&[
            "+275760-09-13T00:00:00.001Z",
            "275760-09-13T00:00:00.001Z",
            "-271821-04-20T00:00:00.000Z",
            "999999-01-01T00:00:00Z",
            "10000-01-01T00:00:00Z",
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999Z",
            "2024-01-01T00:00:00.000Z",
            "2024-01-01T00:00:01.250+01:00",
            "2024-02-30T25:61:61Z",
            "8640000000000001",
        ])),
        11 => json!(g.pick(TEXTS)),
        12 => json!("x".repeat(g.below(20_000))),
        13 => json!(g.text(30, &["\u{1b}]0;PWNED\u{7}", "\u{202e}", "é", "😀", "\"", "\\", "\n", "a"])),
        14 => {
            // Nested past serde_json's 128 levels, or not quite.
            let n = *g.pick(&[5, 127, 129, 300]);
            serde_json::from_str(&format!("{}{}", "[".repeat(n), "]".repeat(n))).unwrap_or(Value::Null)
        }
        15..=19 => json!(*g.pick(&["https://a.example/", "GET", "page_1", "text/css", "memory"])),
        20 | 21 => Value::Array((0..g.below(4)).map(|_| any_value(g, depth + 1)).collect()),
        _ => {
            let mut m = Map::new();
            for _ in 0..g.below(4) {
                m.insert(g.pick(&["name", "value", "size", "url", "type", "x"]).to_string(), any_value(g, depth + 1));
            }
            Value::Object(m)
        }
    }
}

/// The fields the import reads, with what a usable value is.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// Milliseconds, 0 to 1e9; `null`, absent and -1 are "not told".
    Ms,
    /// The entry's `time`: as `Ms`, and any negative number is "not told" too.
    Time,
    /// A whole number of bytes up to 2^53 - 1; `null`, absent and -1 are "not told".
    Bytes,
    /// An ISO 8601 date the browser's `Date` can hold; `null` and absent are "not told".
    Date,
    /// Text: numbers and booleans are written out; arrays and objects are not text.
    Text,
    /// An object; `null` and absent are "not told".
    Object,
    /// A status: a whole number 100–999, or 0 and below for no response.
    Status,
}

const ENTRY_FIELDS: &[(&str, &str, Kind)] = &[
    ("startedDateTime", "startedDateTime", Kind::Date),
    ("time", "time", Kind::Time),
    ("pageref", "pageref", Kind::Text),
    ("_bytesIn", "_bytesIn", Kind::Bytes),
    ("_resourceType", "_resourceType", Kind::Text),
    ("_fromCache", "_fromCache", Kind::Text),
    ("_fetchType", "_fetchType", Kind::Text),
    ("_initiatorType", "_initiatorType", Kind::Text),
    ("timings", "timings", Kind::Object),
    ("response", "response", Kind::Object),
];
const REQUEST_FIELDS: &[(&str, &str, Kind)] = &[("method", "request.method", Kind::Text), ("postData", "request.postData", Kind::Object)];
const RESPONSE_FIELDS: &[(&str, &str, Kind)] = &[
    ("status", "response.status", Kind::Status),
    ("statusText", "response.statusText", Kind::Text),
    ("httpVersion", "response.httpVersion", Kind::Text),
    ("headersSize", "response.headersSize", Kind::Bytes),
    ("bodySize", "response.bodySize", Kind::Bytes),
    ("_transferSize", "response._transferSize", Kind::Bytes),
    ("_error", "response._error", Kind::Text),
    ("content", "response.content", Kind::Object),
];
const CONTENT_FIELDS: &[(&str, &str, Kind)] =
    &[("size", "response.content.size", Kind::Bytes), ("mimeType", "response.content.mimeType", Kind::Text)];
const TIMING_FIELDS: &[(&str, &str, Kind)] = &[
    ("blocked", "timings.blocked", Kind::Ms),
    ("dns", "timings.dns", Kind::Ms),
    ("connect", "timings.connect", Kind::Ms),
    ("ssl", "timings.ssl", Kind::Ms),
    ("send", "timings.send", Kind::Ms),
    ("wait", "timings.wait", Kind::Ms),
    ("receive", "timings.receive", Kind::Ms),
];
const PAGE_FIELDS: &[(&str, &str, Kind)] = &[
    ("title", "title", Kind::Text),
    ("startedDateTime", "startedDateTime", Kind::Date),
    ("pageTimings", "pageTimings", Kind::Object),
    ("_URL", "_URL", Kind::Text),
];
const PAGE_TIMING_FIELDS: &[(&str, &str, Kind)] =
    &[("onContentLoad", "pageTimings.onContentLoad", Kind::Ms), ("onLoad", "pageTimings.onLoad", Kind::Ms)];

/// The number a value holds, as the import reads numbers (strings too).
fn number_of(v: &Value) -> Option<Option<f64>> {
    match v {
        Value::Number(n) => Some(n.as_f64()),
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => Some(s.trim().parse::<f64>().ok().filter(|f| f.is_finite())),
        Value::Null => None,
        _ => Some(None),
    }
}

/// Whether the import must name `v` as unusable in a field of `kind`
/// (an absent field is never named: HAR lets most be left out).
fn unusable(v: &Value, kind: Kind) -> bool {
    match kind {
        Kind::Ms | Kind::Time => match number_of(v) {
            None => false,
            Some(None) => true,
            Some(Some(n)) if n == -1.0 || (kind == Kind::Time && n < 0.0) => false,
            Some(Some(n)) => !(0.0..=1e9).contains(&n),
        },
        Kind::Bytes => match number_of(v) {
            None => false,
            Some(None) => true,
            Some(Some(n)) => n != -1.0 && !((0.0..=9_007_199_254_740_991.0).contains(&n) && n.fract() == 0.0),
        },
        Kind::Status => match number_of(v) {
            None => false,
            Some(None) => true,
            Some(Some(n)) => n.fract() != 0.0 || (n > 0.0 && !(100.0..=999.0).contains(&n)),
        },
        Kind::Date => match v {
            Value::Null => false,
            Value::String(s) if s.trim().is_empty() => false,
            Value::String(s) => roundtrip_model::har::parse_iso8601(s).is_none_or(|ms| ms.abs() > 8.64e15),
            _ => true,
        },
        Kind::Text => matches!(v, Value::Array(_) | Value::Object(_)),
        Kind::Object => !matches!(v, Value::Null | Value::Object(_)),
    }
}

/// Fills `fields` of `object` with any values (each field present or not);
/// returns the names of those the import must name.
fn fill(g: &mut Gen, object: &mut Map<String, Value>, fields: &[(&str, &'static str, Kind)]) -> Vec<&'static str> {
    let mut named = Vec::new();
    for (key, name, kind) in fields {
        if g.chance(60) {
            let v = any_value(g, 0);
            if unusable(&v, *kind) {
                named.push(*name);
            }
            object.insert((*key).to_owned(), v);
        }
    }
    named
}

/// Fills an object field: mostly an object of any values, else any value.
fn fill_object(g: &mut Gen, parent: &mut Map<String, Value>, key: &str, fields: &[(&str, &'static str, Kind)]) -> Vec<&'static str> {
    if !matches!(parent.get(key), Some(Value::Object(_))) || g.chance(20) {
        return Vec::new();
    }
    let mut inner = Map::new();
    let named = fill(g, &mut inner, fields);
    parent.insert(key.to_owned(), Value::Object(inner));
    named
}

/// A header list of any elements; the names the import must give.
fn headers_of(g: &mut Gen, list: &'static str, one: &'static str) -> (Value, Vec<&'static str>) {
    if g.chance(20) {
        let v = any_value(g, 0);
        let named = if matches!(v, Value::Null | Value::Array(_)) { Vec::new() } else { vec![list] };
        // An array of any value: each element must be a header.
        let named = match &v {
            Value::Array(items) => items.iter().filter(|h| !good_header(h)).map(|_| one).take(1).collect(),
            _ => named,
        };
        return (v, named);
    }
    let items: Vec<Value> = (0..g.below(4))
        .map(|_| if g.chance(60) { json!({"name": any_value(g, 1), "value": any_value(g, 1)}) } else { any_value(g, 1) })
        .collect();
    let named = if items.iter().all(good_header) { Vec::new() } else { vec![one] };
    (Value::Array(items), named)
}

/// What the import keeps as a header without a word: an object whose name
/// is non-empty text (numbers and booleans are written out) and whose
/// value is text or absent.
fn good_header(h: &Value) -> bool {
    let text = |v: Option<&Value>| matches!(v, Some(Value::String(_) | Value::Number(_) | Value::Bool(_)));
    match h {
        Value::Object(m) => {
            text(m.get("name")) && m.get("name") != Some(&json!("")) && !matches!(m.get("value"), Some(Value::Array(_) | Value::Object(_)))
        }
        _ => false,
    }
}

/// An entry with any value in any field it has, and the fields the import
/// must name if it keeps the entry.
fn wild_entry(g: &mut Gen, pages: &[String]) -> (Value, Vec<&'static str>) {
    let mut e = Map::new();
    let mut named = fill(g, &mut e, ENTRY_FIELDS);
    if g.chance(60) && !pages.is_empty() {
        e.insert("pageref".into(), json!(g.pick(pages)));
        named.retain(|n| *n != "pageref");
    }
    // Mostly a request with a URL, so that most entries are kept.
    let mut request = Map::new();
    named.extend(fill(g, &mut request, REQUEST_FIELDS));
    let (headers, h) = headers_of(g, "request.headers", "a request header");
    request.insert("headers".into(), headers);
    named.extend(h);
    if let Some(Value::Object(post)) = request.get_mut("postData") {
        let text = any_value(g, 1);
        if unusable(&text, Kind::Text) {
            named.push("request.postData.text");
        }
        post.insert("text".into(), text);
    }
    request.insert("url".into(), if g.chance(95) { json!("https://a.example/x.js") } else { any_value(g, 0) });
    e.insert("request".into(), if g.chance(97) { Value::Object(request) } else { any_value(g, 0) });
    if g.chance(70) {
        e.insert("response".into(), json!({}));
        named.retain(|n| *n != "response");
    }
    if g.chance(70) {
        e.insert("timings".into(), json!({}));
        named.retain(|n| *n != "timings");
    }
    named.extend(fill_object(g, &mut e, "timings", TIMING_FIELDS));
    if let Some(Value::Object(response)) = e.get_mut("response") {
        let mut r = std::mem::take(response);
        named.extend(fill(g, &mut r, RESPONSE_FIELDS));
        if g.chance(70) {
            r.insert("content".into(), json!({}));
            named.retain(|n| *n != "response.content");
        }
        named.extend(fill_object(g, &mut r, "content", CONTENT_FIELDS));
        let (headers, h) = headers_of(g, "response.headers", "a response header");
        r.insert("headers".into(), headers);
        named.extend(h);
        *response = r;
    }
    (Value::Object(e), named)
}

fn wild_page(g: &mut Gen, id: &str) -> (Value, Vec<&'static str>) {
    let mut p = Map::new();
    p.insert("id".into(), json!(id));
    let mut named = fill(g, &mut p, PAGE_FIELDS);
    if g.chance(70) {
        p.insert("pageTimings".into(), json!({}));
        named.retain(|n| *n != "pageTimings");
    }
    named.extend(fill_object(g, &mut p, "pageTimings", PAGE_TIMING_FIELDS));
    (Value::Object(p), named)
}

#[test]
fn property_any_json_value_in_any_field_is_imported_or_named() {
    let mut g = Gen(0x4841_5220_414e_5921);
    let (mut kept, mut left_out, mut named_total) = (0, 0, 0);
    let mut fields_seen = std::collections::BTreeSet::new();
    for i in 0..1500 {
        let ids: Vec<String> = (0..g.below(3)).map(|k| format!("page_{k}")).collect();
        let pages: Vec<(Value, Vec<&str>)> = ids.iter().map(|id| wild_page(&mut g, id)).collect();
        let entries: Vec<(Value, Vec<&str>)> = (0..1 + g.below(6)).map(|_| wild_entry(&mut g, &ids)).collect();
        let mut log = json!({"version": "1.2", "creator": {"name": "gen", "version": "1"}});
        log["pages"] = Value::Array(pages.iter().map(|p| p.0.clone()).collect());
        log["entries"] = Value::Array(entries.iter().map(|e| e.0.clone()).collect());
        let text = json!({ "log": log }).to_string();
        let import = HarImport::from_text(&text).unwrap_or_else(|e| panic!("file {i}: {e}"));
        let context = format!("file {i}: {}", text.chars().take(3000).collect::<String>());
        assert_eq!(import.entries.len() + import.skipped.len(), entries.len(), "every entry kept or left out with a reason: {context}");
        check_adds_up(&import, &context);
        let notes = import.notes();
        for note in &notes {
            assert!(note.chars().count() <= 600, "a note stays short, whatever the file holds: {note}");
        }
        let said = |subject: &str, field: &str| {
            notes.iter().any(|n| match subject {
                "entry" => {
                    (n.starts_with("Entry ") && n.contains(&format!(": {field} is "))) || n.contains(&format!(" entries, {field} is not "))
                }
                _ => n.contains(&format!(" of log.pages: {field} is ")) || n.contains(&format!(" pages of log.pages, {field} is not ")),
            })
        };
        for (number, (_, must)) in entries.iter().enumerate() {
            match import.skipped.iter().find(|s| s.number == number + 1) {
                Some(s) => {
                    assert!(!s.reason.is_empty());
                    left_out += 1;
                }
                None => {
                    kept += 1;
                    for field in must {
                        assert!(said("entry", field), "entry {}: its unusable {field} is named\n{notes:#?}\n{context}", number + 1);
                        fields_seen.insert(*field);
                        named_total += 1;
                    }
                }
            }
        }
        for (number, (_, must)) in pages.iter().enumerate() {
            for field in must {
                assert!(said("page", field), "page {}: its unusable {field} is named\n{notes:#?}\n{context}", number + 1);
                fields_seen.insert(*field);
                named_total += 1;
            }
        }
        // Each page picker label the app shows is a date the model wrote.
        for p in &import.pages {
            if let Some(ms) = p.started_epoch_ms {
                assert!(roundtrip_model::har::utc_label(ms).is_some(), "{ms}: {context}");
            }
        }
    }
    println!("kept {kept}, left out {left_out}, unusable values named {named_total}, fields {fields_seen:?}");
    assert!(kept > 3000 && left_out > 50 && named_total > 5000, "{kept} {left_out} {named_total}");
    // Every field the import reads met an unusable value at least once.
    let every = ENTRY_FIELDS
        .iter()
        .chain(REQUEST_FIELDS)
        .chain(RESPONSE_FIELDS)
        .chain(CONTENT_FIELDS)
        .chain(TIMING_FIELDS)
        .chain(PAGE_FIELDS)
        .chain(PAGE_TIMING_FIELDS)
        .filter(|f| f.1 != "pageref")
        .map(|f| f.1);
    for field in every {
        assert!(fields_seen.contains(field), "{field} never got an unusable value: the generator has gone dull");
    }
}
