//! HAR import on real files: recorded from Chromium loading the lab's
//! fixtures (xtask/js/make-har.mjs), one in Firefox's shape, and broken ones.

use roundtrip_model::har::{split_entries, HarImport, ImportError};
use roundtrip_model::pages::Fixture;
use roundtrip_model::waterfall::{ResourceType, Row};

fn rows_of(file: &str) -> Vec<Row> {
    let text = std::fs::read_to_string(format!("{}/tests/data/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let import = HarImport::from_text(&text).unwrap();
    assert_eq!(import.notes(), Vec::<String>::new());
    assert_eq!(import.pages.len(), 1);
    import.entries.into_iter().map(|e| std::sync::Arc::unwrap_or_clone(e.row)).collect()
}

fn count(rows: &[Row], t: ResourceType) -> usize {
    rows.iter().filter(|r| r.kind == t).count()
}

#[test]
fn chromium_tiny_has_its_three_requests() {
    let rows = rows_of("chromium-tiny.har");
    assert_eq!(rows.len(), 3);
    assert_eq!(rows.iter().map(|r| r.kind).collect::<Vec<_>>(), [ResourceType::Document, ResourceType::Css, ResourceType::Img]);
    assert!(rows.iter().all(|r| r.status == 200 && r.method == "GET"));
    for r in &rows {
        assert!(r.timeline.total_ms >= 0.0 && r.start_ms() >= 0.0, "{}", r.url);
        assert!(r.timeline.phases.iter().all(|p| p.duration_ms >= 0.0));
    }
}

#[test]
fn chromium_median_counts_match_the_fixture_manifest() {
    let rows = rows_of("chromium-median.har");
    let f = Fixture::named("median").unwrap();
    assert_eq!(rows.len(), f.manifest().total);
    // HAR marks a frame's document "document", like the page's own.
    assert_eq!(count(&rows, ResourceType::Document) + count(&rows, ResourceType::Iframe), 1 + f.iframes);
    assert_eq!(count(&rows, ResourceType::Css), f.stylesheets);
    assert_eq!(count(&rows, ResourceType::Script), f.scripts);
    assert_eq!(count(&rows, ResourceType::Img), f.images);
    assert_eq!(count(&rows, ResourceType::Font), f.fonts);
    assert_eq!(count(&rows, ResourceType::Fetch), f.fetches);
}

#[test]
fn firefox_shaped_entries_get_types_from_mime_and_phases_from_timings() {
    let rows = rows_of("firefox-shaped.har");
    assert_eq!(rows.iter().map(|r| r.kind).collect::<Vec<_>>(), [ResourceType::Document, ResourceType::Css, ResourceType::Img]);
    let first = &rows[0].timeline;
    let d = |k| first.phase(k).unwrap().duration_ms;
    use roundtrip_model::timing::PhaseKind::*;
    assert_eq!((d(Queue), d(Dns), d(Connect), d(Tls), d(Waiting), d(Download)), (1.0, 3.0, 3.0, 5.0, 6.0, 2.0));
    assert_eq!(rows[1].start_ms(), 25.0, "+01:00 offsets are read");
    assert_eq!(rows[2].status, 304);
}

#[test]
fn broken_files_are_refused_with_a_reason() {
    let read = |f: &str| std::fs::read_to_string(format!("{}/tests/data/{f}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    assert!(matches!(split_entries(&read("truncated.har")), Err(ImportError::NotJson { .. })));
    assert_eq!(split_entries(&read("not-a-har.json")), Err(ImportError::NotHar("it has no log.entries array")));
    assert_eq!(HarImport::from_text(&read("not-a-har.json")), Err(ImportError::NotHar("it has no log.entries array")));
}
