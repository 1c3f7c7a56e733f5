//! One page load, counted: how it compares with the web at large.

use crate::waterfall::{ResourceType, Row};

/// Requests per page on desktop, Web Almanac 2025: (percentile, requests).
pub const ALMANAC_DESKTOP: [(u8, usize); 5] = [(10, 27), (25, 46), (50, 77), (75, 122), (90, 185)];
/// The mobile median, for the same year.
pub const ALMANAC_MOBILE_MEDIAN: usize = 72;

/// Where a page with `total` requests sits among desktop pages.
pub fn compare_with_almanac(total: usize) -> String {
    let below = ALMANAC_DESKTOP.iter().rev().find(|(_, n)| total >= *n);
    let above = ALMANAC_DESKTOP.iter().find(|(_, n)| total < *n);
    match (below, above) {
        (None, Some((p, n))) => format!("fewer than the lightest {p}% of desktop pages (p{p}: {n} requests)"),
        (Some((p, n)), None) => format!("more than {p}% of desktop pages make (p{p}: {n} requests)"),
        (Some((p1, n1)), Some((p2, n2))) => format!("between the p{p1} ({n1}) and the p{p2} ({n2}) of desktop pages"),
        (None, None) => unreachable!("the table is not empty"),
    }
}

/// Counts per type, in the order of `ResourceType::ALL`, zeros included.
pub fn counts<'a>(rows: impl IntoIterator<Item = &'a Row>) -> Vec<(ResourceType, usize)> {
    let mut counts: Vec<(ResourceType, usize)> = ResourceType::ALL.iter().map(|t| (*t, 0)).collect();
    for row in rows {
        if let Some(c) = counts.iter_mut().find(|(t, _)| *t == row.kind) {
            c.1 += 1;
        }
    }
    counts
}

/// Counts by `initiatorType` (what made the request: a `<link>`, a script's
/// `fetch`, the parser's `<img>`…), most first; "not told" where the browser
/// gives none (HAR files from some browsers).
pub fn by_initiator<'a>(rows: impl IntoIterator<Item = &'a Row>) -> Vec<(String, usize)> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for row in rows {
        let name = if row.entry.initiator_type.is_empty() { "not told" } else { row.entry.initiator_type.as_str() };
        match counts.iter_mut().find(|(n, _)| n == name) {
            Some(c) => c.1 += 1,
            None => counts.push((name.to_owned(), 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    counts
}

/// Served from the HTTP cache on this load: the browser says so
/// (`deliveryType`), or no bytes crossed the network for a body that has
/// some. A request that failed (no bytes, no body) is not a cache hit.
pub fn from_cache(row: &Row) -> bool {
    row.entry.is_cache_hit()
}

/// Revalidated: the browser asked, the server answered 304 (only headers
/// came back) and the body came from the cache. Where the status says 304,
/// that decides. Chromium reports the cached body's 200 and its size: fewer
/// bytes on the wire than the body has can only mean the body did not travel
/// (a download is headers plus the body). WebKit exposes no status and an
/// empty body: bytes on the wire and no body, for a file that has one.
pub fn revalidated(row: &Row) -> bool {
    let e = &row.entry;
    if e.is_cache_hit() || e.is_hidden() {
        return false;
    }
    e.response_status == 304
        || (e.transfer_size > 0.0 && e.transfer_size < e.encoded_body_size)
        || (e.response_status == 0
            && e.transfer_size > 0.0
            && e.encoded_body_size == 0.0
            && e.decoded_body_size == 0.0
            && !matches!(row.kind, crate::waterfall::ResourceType::Fetch | crate::waterfall::ResourceType::Document))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timing::ResourceTiming;

    #[test]
    fn initiators_are_counted_most_first() {
        let row = |i: &str| Row::new(0, ResourceTiming { name: "http://x/a".into(), initiator_type: i.into(), ..Default::default() });
        let rows = [row("script"), row("link"), row("script"), row(""), row("fetch"), row("fetch"), row("fetch")];
        assert_eq!(by_initiator(&rows), vec![("fetch".into(), 3), ("script".into(), 2), ("link".into(), 1), ("not told".into(), 1)]);
    }

    #[test]
    fn totals_are_placed_among_desktop_pages() {
        assert_eq!(compare_with_almanac(3), "fewer than the lightest 10% of desktop pages (p10: 27 requests)");
        assert_eq!(compare_with_almanac(77), "between the p50 (77) and the p75 (122) of desktop pages");
        assert_eq!(compare_with_almanac(76), "between the p25 (46) and the p50 (77) of desktop pages");
        assert_eq!(compare_with_almanac(180), "between the p75 (122) and the p90 (185) of desktop pages");
        assert_eq!(compare_with_almanac(400), "more than 90% of desktop pages make (p90: 185 requests)");
    }

    #[test]
    fn a_304_is_revalidated_in_every_engine_and_an_empty_api_answer_is_not() {
        let row = |url: &str, initiator: &str, status: u16, transfer: f64, body: f64| {
            Row::new(
                0,
                ResourceTiming {
                    name: url.into(),
                    initiator_type: initiator.into(),
                    response_status: status,
                    transfer_size: transfer,
                    encoded_body_size: body,
                    decoded_body_size: body,
                    request_start: 2.0,
                    response_start: 3.0,
                    response_end: 4.0,
                    ..Default::default()
                },
            )
        };
        assert!(revalidated(&row("http://x/a.css", "link", 304, 300.0, 900.0)), "the status says so");
        assert!(revalidated(&row("http://x/a.png", "img", 200, 300.0, 1900.0)), "Chromium: 200, but only headers travelled");
        assert!(revalidated(&row("http://x/a.css", "link", 0, 300.0, 0.0)), "WebKit: headers only, no body");
        assert!(!revalidated(&row("http://x/api", "fetch", 0, 300.0, 0.0)), "an empty API answer is not a 304");
        assert!(!revalidated(&row("http://x/a.css", "link", 200, 1200.0, 900.0)), "a download");
        assert!(!revalidated(&row("http://x/a.css", "link", 200, 0.0, 900.0)), "a cache hit is not a revalidation");
    }
}
