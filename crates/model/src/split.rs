//! The app's split points (src/split.rs): the wasm files that arrive when
//! first needed, by the names the split gives them (`split_{name}-{hash}.wasm`,
//! listed with the chunks each needs in dist/split-manifest.json), and which
//! of them a page opens. The lab names their files in the page it serves
//! (`<meta name="roundtrip-code">`), and index.html's loader fetches them
//! beside the first wasm.

use crate::lessons::Kind;

/// The workbench, the lessons, status codes and cookies: everything with a
/// request bar or a lesson's text.
pub const LEARN: &str = "roundtrip_learn";
/// The page-load explorer (`/pages`, and the lessons that load a page).
pub const PAGES: &str = "roundtrip_pages";
/// The timeline.
pub const TIMELINE: &str = "roundtrip_timeline";
/// The views of a request's result, fetched once a page with a request bar
/// is up (not preloaded with the page: no result is shown before a Send).
pub const RESULTS: &str = "roundtrip_results";

/// The split points a first load of `path` needs; `experiment` is a
/// lesson's kind, when `path` is a lesson.
pub fn parts_of(path: &str, experiment: Option<Kind>) -> Vec<&'static str> {
    match path.trim_end_matches('/') {
        "" | "/status-codes" | "/cookies" => vec![LEARN],
        "/timeline" => vec![TIMELINE],
        "/pages" => vec![PAGES],
        p if p.starts_with("/lesson/") && experiment == Some(Kind::PageLoad) => vec![LEARN, PAGES],
        p if p.starts_with("/lesson/") => vec![LEARN],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_needs_its_route_and_a_lesson_its_experiment() {
        assert_eq!(parts_of("/", None), [LEARN]);
        assert_eq!(parts_of("/status-codes", None), [LEARN]);
        assert_eq!(parts_of("/timeline", None), [TIMELINE]);
        assert_eq!(parts_of("/lesson/the-cycle", Some(Kind::Request)), [LEARN]);
        assert_eq!(parts_of("/lesson/x", Some(Kind::PageLoad)), [LEARN, PAGES]);
        assert!(parts_of("/lessons", None).is_empty(), "the lesson index is in the first wasm");
        assert!(parts_of("/nowhere", None).is_empty());
    }
}
