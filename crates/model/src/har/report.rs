//! One page of an imported file, counted; and a first view against its
//! repeat view, which shows what the browser's cache saved.

use super::import::{Delivery, HarImport};
use crate::pageload::{by_initiator, compare_with_almanac, counts};
use crate::waterfall::{format_bytes, ResourceType};

/// What the load report shows for one page of a file.
#[derive(Clone, Debug, PartialEq)]
pub struct PageReport {
    pub page: usize,
    /// Every request the page made (failed ones included).
    pub requests: usize,
    /// In the order of `ResourceType::ALL`, zeros included.
    pub by_type: Vec<(ResourceType, usize)>,
    /// By who asked, most first ("not told" where the file does not say).
    pub by_initiator: Vec<(String, usize)>,
    /// Bytes over the network, of the requests that say.
    pub transferred_bytes: u64,
    /// Requests that do not say how many bytes they transferred.
    pub transfer_unknown: usize,
    /// Bodies after decoding (`content.size`).
    pub content_bytes: u64,
    pub cache_hits: usize,
    pub failed: usize,
    /// DOMContentLoaded and load on the page's time axis.
    pub dom_content_loaded_ms: Option<f64>,
    pub load_ms: Option<f64>,
    /// Where the page's request count sits among desktop pages.
    pub almanac: String,
}

impl HarImport {
    /// The report for page `page` (an index into `pages`; out of range
    /// gives an empty report).
    pub fn report(&self, page: usize) -> PageReport {
        let entries: Vec<_> = self.entries_of(page).collect();
        let (dom_content_loaded_ms, load_ms) = self.pages.get(page).map_or((None, None), |p| p.milestones_ms());
        PageReport {
            page,
            requests: entries.len(),
            by_type: counts(entries.iter().map(|e| &*e.row)),
            by_initiator: by_initiator(entries.iter().map(|e| &*e.row)),
            transferred_bytes: entries.iter().filter_map(|e| e.transferred).fold(0, u64::saturating_add),
            transfer_unknown: entries.iter().filter(|e| e.transferred.is_none()).count(),
            content_bytes: entries.iter().map(|e| e.row.entry.decoded_body_size as u64).fold(0, u64::saturating_add),
            cache_hits: entries.iter().filter(|e| e.delivery == Delivery::Cache).count(),
            failed: entries.iter().filter(|e| matches!(e.delivery, Delivery::Failed(_))).count(),
            dom_content_loaded_ms,
            load_ms,
            almanac: compare_with_almanac(entries.len()),
        }
    }

    /// Each WebPageTest run that has both a first and a repeat view.
    pub fn first_and_repeat(&self) -> Vec<CacheComparison> {
        let mut out = Vec::new();
        for (first, p) in self.pages.iter().enumerate() {
            let Some(view) = p.run_view.filter(|v| !v.repeat) else { continue };
            let repeat = self.pages.iter().position(|q| q.run_view.is_some_and(|w| w.run == view.run && w.repeat));
            if let Some(repeat) = repeat {
                out.push(CacheComparison { run: view.run, first: self.report(first), repeat: self.report(repeat) });
            }
        }
        out
    }
}

/// The same page loaded with an empty cache (first view) and again at once
/// (repeat view).
#[derive(Clone, Debug, PartialEq)]
pub struct CacheComparison {
    pub run: u32,
    pub first: PageReport,
    pub repeat: PageReport,
}

impl CacheComparison {
    /// Requests the repeat view did not make (negative: it made more).
    pub fn requests_saved(&self) -> i64 {
        self.first.requests as i64 - self.repeat.requests as i64
    }

    /// Bytes the repeat view did not transfer (negative: it transferred more).
    pub fn bytes_saved(&self) -> i128 {
        i128::from(self.first.transferred_bytes) - i128::from(self.repeat.transferred_bytes)
    }

    /// One sentence for the comparison.
    pub fn summary(&self) -> String {
        let (f, r) = (&self.first, &self.repeat);
        let bytes = |b: u64| format_bytes(b as f64);
        let saved = if self.requests_saved() >= 0 && self.bytes_saved() >= 0 {
            format!(
                "the cache saved {} requests and {}",
                self.requests_saved(),
                bytes(f.transferred_bytes.saturating_sub(r.transferred_bytes))
            )
        } else {
            "the cache did not save anything here".to_owned()
        };
        format!(
            "Run {}: the first view made {} requests and transferred {}; the repeat view made {} and transferred {}: {saved}.",
            self.run,
            f.requests,
            bytes(f.transferred_bytes),
            r.requests,
            bytes(r.transferred_bytes)
        )
    }
}
