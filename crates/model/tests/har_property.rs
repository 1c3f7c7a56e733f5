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
