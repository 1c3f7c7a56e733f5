//! Every file of the shared corpus of real HAR files (Chrome, Firefox,
//! Safari, WebPageTest, chrome-har; none written by Roundtrip) imports with
//! the counts the file itself gives: entries per page equal the entries
//! naming that page, and none is left out without a named reason.
//!
//! The corpus is other projects' data and is not in this repository: it
//! sits beside the clone as `../shared/har-corpus/`. Without it the test
//! says it was skipped.

use roundtrip_model::har::HarImport;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

fn corpus() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/har-corpus");
    dir.is_dir().then_some(dir)
}

/// What the file says, read independently of the importer: entries per
/// `pageref` ("" for none) and the listed pages.
fn what_the_file_says(text: &str) -> (BTreeMap<String, usize>, Vec<String>) {
    let v: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).expect("the corpus files are JSON");
    let mut per_page = BTreeMap::new();
    for e in v["log"]["entries"].as_array().expect("log.entries") {
        *per_page.entry(e["pageref"].as_str().unwrap_or("").to_owned()).or_insert(0) += 1;
    }
    let pages = v["log"]["pages"].as_array().map_or(Vec::new(), |p| p.iter().map(|p| p["id"].as_str().unwrap().to_owned()).collect());
    (per_page, pages)
}

#[test]
fn every_corpus_file_imports_with_the_counts_it_gives() {
    let Some(dir) = corpus() else {
        println!("skipped: no HAR corpus at ../shared/har-corpus beside the repository");
        return;
    };
    let mut files: Vec<_> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|x| x == "har")).collect();
    files.sort();
    assert!(!files.is_empty(), "the corpus folder has HAR files");
    println!("{:<32} {:>5} {:>7} {:>8} {:>7}  notes", "file", "pages", "entries", "imported", "skipped");
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let (per_page, listed) = what_the_file_says(&text);
        let total: usize = per_page.values().sum();
        let import = HarImport::from_text(&text).unwrap_or_else(|e| panic!("{name}: {e}"));

        assert_eq!(import.entries.len() + import.skipped.len(), total, "{name}: every entry imported or named");
        for s in &import.skipped {
            assert!(!s.reason.is_empty(), "{name}: entry {} skipped without a reason", s.number);
        }
        // Each listed page is a page; entries without a listed page form pages of their own.
        for id in &listed {
            assert!(import.pages.iter().any(|p| p.listed && &p.id == id), "{name}: page {id} is missing");
        }
        for (pageref, n) in &per_page {
            let page = import.pages.iter().position(|p| &p.id == pageref).unwrap_or_else(|| panic!("{name}: no page for {pageref:?}"));
            assert_eq!(import.report(page).requests, *n, "{name}: entries of page {pageref:?}");
            assert_eq!(import.pages[page].entries_in_file, *n, "{name}: {pageref:?}");
            assert_eq!(import.pages[page].requests, *n, "{name}: {pageref:?}, the picker's count");
        }
        let pages_expected = listed.len() + per_page.keys().filter(|r| !listed.contains(r)).count();
        assert_eq!(import.pages.len(), pages_expected, "{name}: pages");
        assert!(import.skipped.is_empty(), "{name}: the corpus files are all usable: {:?}", import.skipped);
        // Each page on its own axis: no row starts before its page's 0.
        for e in &import.entries {
            assert!(e.row.start_ms() >= 0.0 && e.row.end_ms().is_finite(), "{name}: entry {} at {}", e.number, e.row.start_ms());
        }
        let notes = import.notes();
        println!(
            "{:<32} {:>5} {:>7} {:>8} {:>7}  {}",
            name,
            import.pages.len(),
            total,
            import.entries.len(),
            import.skipped.len(),
            if notes.is_empty() { "-".to_owned() } else { notes.join(" | ") }
        );
        for (i, p) in import.pages.iter().enumerate() {
            let r = import.report(i);
            println!(
                "    page {:<26} {:>4} requests, {:>9} B, cache {:>2}, failed {:>2}, DCL {:?}, load {:?}  {}",
                p.id,
                r.requests,
                r.transferred_bytes,
                r.cache_hits,
                r.failed,
                r.dom_content_loaded_ms.map(|t| t.round()),
                r.load_ms.map(|t| t.round()),
                p.title
            );
        }
        for c in import.first_and_repeat() {
            println!("    {}", c.summary());
        }
    }
}
