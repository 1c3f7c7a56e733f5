//! The live timeline: one row per request, filters, counts, and the time
//! axis, as plain data the view draws.

use crate::status::Family;
use crate::timing::{PhaseKind, PhaseState, ResourceTiming, Timeline};
use serde::{Deserialize, Serialize};

/// A request's type, as the filters name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ResourceType {
    Document,
    Iframe,
    Script,
    Css,
    Img,
    Font,
    Fetch,
    Other,
}

impl ResourceType {
    pub const ALL: [ResourceType; 8] = [
        ResourceType::Document,
        ResourceType::Iframe,
        ResourceType::Script,
        ResourceType::Css,
        ResourceType::Img,
        ResourceType::Font,
        ResourceType::Fetch,
        ResourceType::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ResourceType::Document => "document",
            ResourceType::Iframe => "iframe",
            ResourceType::Script => "script",
            ResourceType::Css => "css",
            ResourceType::Img => "img",
            ResourceType::Font => "font",
            ResourceType::Fetch => "fetch",
            ResourceType::Other => "other",
        }
    }

    pub fn from_label(s: &str) -> Option<ResourceType> {
        ResourceType::ALL.into_iter().find(|t| t.label() == s)
    }

    /// From the URL's extension first (an `initiatorType` of `link` or `css`
    /// says who asked, not what came), then from the initiator.
    pub fn of(initiator_type: &str, url: &str) -> ResourceType {
        let path = url.split(['?', '#']).next().unwrap_or("").to_ascii_lowercase();
        let ext = path.rsplit('/').next().and_then(|f| f.rsplit_once('.')).map(|(_, e)| e).unwrap_or("");
        match ext {
            "css" => return ResourceType::Css,
            "js" | "mjs" => return ResourceType::Script,
            "png" | "jpg" | "jpeg" | "gif" | "webp" | "avif" | "svg" | "ico" => return ResourceType::Img,
            "woff" | "woff2" | "ttf" | "otf" | "eot" => return ResourceType::Font,
            // WebAssembly is code, whether a preload or the loader's fetch()
            // brought it (the build no longer preloads it: see xtask).
            "wasm" => return ResourceType::Other,
            _ => {}
        }
        match initiator_type {
            "navigation" => ResourceType::Document,
            "iframe" | "frame" => ResourceType::Iframe,
            "script" => ResourceType::Script,
            "link" | "css" => ResourceType::Css,
            "img" | "image" | "input" => ResourceType::Img,
            "fetch" | "xmlhttprequest" | "beacon" => ResourceType::Fetch,
            _ => ResourceType::Other,
        }
    }
}

/// One request on the timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Unique within the page's life: the key for rendering.
    pub id: u64,
    pub url: String,
    pub kind: ResourceType,
    /// The method where known (requests Roundtrip sent itself), else GET.
    pub method: String,
    /// 0 where the browser does not say.
    pub status: u16,
    pub entry: ResourceTiming,
    pub timeline: Timeline,
}

impl Row {
    pub fn new(id: u64, entry: ResourceTiming) -> Row {
        Row {
            id,
            url: entry.name.clone(),
            kind: ResourceType::of(&entry.initiator_type, &entry.name),
            method: "GET".into(),
            status: entry.response_status,
            timeline: entry.timeline(),
            entry,
        }
    }

    pub fn start_ms(&self) -> f64 {
        self.entry.start_time
    }

    pub fn end_ms(&self) -> f64 {
        self.entry.start_time + self.timeline.total_ms
    }

    /// The last path segment, as a row label.
    pub fn short_name(&self) -> String {
        let path = self.url.split(['?', '#']).next().unwrap_or("");
        let after_host = path.split_once("://").map_or(path, |(_, rest)| rest.split_once('/').map_or("/", |(_, p)| p));
        let last = after_host.trim_end_matches('/').rsplit('/').next().unwrap_or("");
        let query = self.url.split_once('?').map(|(_, q)| format!("?{q}")).unwrap_or_default();
        if last.is_empty() {
            format!("/{query}")
        } else {
            format!("{last}{query}")
        }
    }
}

/// What the filters let through.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filter {
    /// Empty: every type.
    pub types: Vec<ResourceType>,
    /// Status families by first digit (2 for 2xx…); empty: every status.
    pub families: Vec<u16>,
    pub search: String,
}

impl Filter {
    pub fn matches(&self, row: &Row) -> bool {
        (self.types.is_empty() || self.types.contains(&row.kind))
            && (self.families.is_empty() || self.families.contains(&(row.status / 100)))
            && (self.search.trim().is_empty() || row.url.to_lowercase().contains(&self.search.trim().to_lowercase()))
    }
}

/// The counts at the top of the timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub total: usize,
    pub by_type: Vec<(ResourceType, usize)>,
    /// Bytes that crossed the network (cache hits count 0).
    pub transferred: f64,
    /// The longest measured phase of any row: kind, milliseconds, row id.
    pub slowest: Option<(PhaseKind, f64, u64)>,
}

pub fn summarize<'a>(rows: impl IntoIterator<Item = &'a Row>) -> Summary {
    let mut total = 0;
    let mut counts = [0usize; 8];
    let mut transferred = 0.0;
    let mut slowest: Option<(PhaseKind, f64, u64)> = None;
    for row in rows {
        total += 1;
        counts[ResourceType::ALL.iter().position(|t| *t == row.kind).expect("listed")] += 1;
        transferred += row.entry.transfer_size;
        for p in row.timeline.phases.iter().filter(|p| p.state == PhaseState::Measured) {
            if slowest.is_none_or(|(_, ms, _)| p.duration_ms > ms) {
                slowest = Some((p.kind, p.duration_ms, row.id));
            }
        }
    }
    let by_type = ResourceType::ALL.iter().zip(counts).filter(|(_, n)| *n > 0).map(|(t, n)| (*t, n)).collect();
    Summary { total, by_type, transferred, slowest }
}

/// A human size: "812 B", "12.4 kB", "3.1 MB".
pub fn format_bytes(bytes: f64) -> String {
    match bytes {
        b if b < 1000.0 => format!("{b:.0} B"),
        b if b < 1_000_000.0 => format!("{:.1} kB", b / 1000.0),
        b => format!("{:.1} MB", b / 1_000_000.0),
    }
}

/// The visible time window, in ms on the page's clock.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct View {
    pub start: f64,
    pub end: f64,
}

impl View {
    /// The window that shows every row, with a little room after.
    pub fn fit<'a>(rows: impl IntoIterator<Item = &'a Row>) -> View {
        let (mut start, mut end) = (f64::INFINITY, f64::NEG_INFINITY);
        for r in rows {
            start = start.min(r.start_ms());
            end = end.max(r.end_ms());
        }
        if !start.is_finite() {
            return View { start: 0.0, end: 1000.0 };
        }
        let span = (end - start).max(1.0);
        View { start, end: end + span * 0.02 }
    }

    pub fn span(&self) -> f64 {
        (self.end - self.start).max(1e-6)
    }

    /// Position of `t` as a percentage of the width (may fall outside 0–100).
    pub fn percent(&self, t: f64) -> f64 {
        (t - self.start) / self.span() * 100.0
    }

    /// Zooms by `factor` (2 = twice as close) around `center`.
    pub fn zoom(&self, factor: f64, center: f64) -> View {
        let factor = factor.clamp(0.01, 100.0);
        let span = (self.span() / factor).max(0.05);
        let ratio = ((center - self.start) / self.span()).clamp(0.0, 1.0);
        let start = center - span * ratio;
        View { start, end: start + span }
    }

    /// Moves by a fraction of the width (negative: earlier).
    pub fn pan(&self, fraction: f64) -> View {
        let d = self.span() * fraction;
        View { start: self.start + d, end: self.end + d }
    }

    /// Axis marks at a round step (1, 2 or 5 × 10ⁿ ms), at most `max` of them.
    pub fn ticks(&self, max: usize) -> Vec<f64> {
        let raw = self.span() / max.max(1) as f64;
        let magnitude = 10f64.powf(raw.log10().floor());
        let step = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * magnitude).find(|s| *s >= raw).unwrap_or(10.0 * magnitude);
        let first = (self.start / step).ceil() * step;
        (0..=max).map(|i| first + i as f64 * step).take_while(|t| *t <= self.end).collect()
    }
}

/// Where a milestone's label sits against its line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// Near the left edge: the label starts at the line.
    Start,
    Middle,
    /// Near the right edge: the label ends at the line, so it is not cut off.
    End,
}

/// The labels of `markers` (name, time) on `view`'s axis, in percent: those
/// that fall outside or at 0 are left out, and milestones too close to read
/// apart (DOMContentLoaded and load often come in the same millisecond)
/// share one label, "DOMContentLoaded · load".
pub fn marker_labels(view: &View, markers: &[(&str, f64)]) -> Vec<MarkerLabel> {
    let mut labels: Vec<(String, f64, f64)> = Vec::new();
    for (name, t) in markers.iter().filter(|(_, t)| *t > 0.0) {
        let at = view.percent(*t);
        if !(0.0..=100.0).contains(&at) {
            continue;
        }
        match labels.iter_mut().find(|(_, _, p)| (*p - at).abs() < 12.0) {
            Some((label, _, _)) => {
                label.push_str(" · ");
                label.push_str(name);
            }
            None => labels.push(((*name).to_owned(), *t, at)),
        }
    }
    labels
        .into_iter()
        .map(|(text, at_ms, percent)| {
            let anchor = if percent > 80.0 {
                Anchor::End
            } else if percent < 20.0 {
                Anchor::Start
            } else {
                Anchor::Middle
            };
            MarkerLabel { text, at_ms, percent, anchor }
        })
        .collect()
}

/// One label over the waterfall's axis.
#[derive(Clone, Debug, PartialEq)]
pub struct MarkerLabel {
    /// The milestones' names, `" · "` between them.
    pub text: String,
    /// The first milestone's time, on the rows' clock.
    pub at_ms: f64,
    /// Its place on the axis, in percent.
    pub percent: f64,
    pub anchor: Anchor,
}

impl ResourceType {
    /// The fixture manifests' kinds, in the timeline's terms.
    pub fn of_kind(kind: crate::pages::Kind) -> ResourceType {
        use crate::pages::Kind;
        match kind {
            Kind::Document => ResourceType::Document,
            Kind::Stylesheet => ResourceType::Css,
            Kind::Script => ResourceType::Script,
            Kind::Image => ResourceType::Img,
            Kind::Font => ResourceType::Font,
            Kind::Fetch => ResourceType::Fetch,
            Kind::Iframe => ResourceType::Iframe,
        }
    }

    /// From a HAR entry's `_resourceType` (Chromium) or its MIME type.
    pub fn of_har(resource_type: Option<&str>, mime: &str, url: &str) -> ResourceType {
        match resource_type.unwrap_or("") {
            "document" => return ResourceType::Document,
            "stylesheet" => return ResourceType::Css,
            "script" => return ResourceType::Script,
            "image" => return ResourceType::Img,
            "font" => return ResourceType::Font,
            "fetch" | "xhr" => return ResourceType::Fetch,
            _ => {}
        }
        let mime = mime.split(';').next().unwrap_or("").trim();
        match mime {
            "text/html" => ResourceType::Document,
            "text/css" => ResourceType::Css,
            m if m.ends_with("javascript") => ResourceType::Script,
            m if m.starts_with("image/") => ResourceType::Img,
            m if m.starts_with("font/") || m.contains("font") => ResourceType::Font,
            "application/json" => ResourceType::Fetch,
            _ => ResourceType::of("other", url),
        }
    }
}

impl Family {
    /// The first digit a filter uses.
    pub fn digit(self) -> u16 {
        match self {
            Family::Informational => 1,
            Family::Success => 2,
            Family::Redirection => 3,
            Family::ClientError => 4,
            Family::ServerError => 5,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn milestones_in_the_same_moment_share_a_label_that_stays_in_view() {
        let view = View { start: 0.0, end: 540.0 };
        let labels = super::marker_labels(&view, &[("DOMContentLoaded", 539.0), ("load", 539.0)]);
        assert_eq!(
            labels,
            vec![super::MarkerLabel {
                text: "DOMContentLoaded · load".to_owned(),
                at_ms: 539.0,
                percent: 539.0 / 540.0 * 100.0,
                anchor: super::Anchor::End
            }]
        );
        let apart = super::marker_labels(&view, &[("DOMContentLoaded", 100.0), ("load", 400.0), ("later", 0.0)]);
        assert_eq!(
            apart.iter().map(|l| (l.text.as_str(), l.anchor)).collect::<Vec<_>>(),
            [("DOMContentLoaded", super::Anchor::Start), ("load", super::Anchor::Middle)]
        );
        assert!(super::marker_labels(&view, &[("load", 900.0)]).is_empty(), "outside the window: no label");
    }

    use super::*;

    fn row(id: u64, url: &str, initiator: &str, start: f64, wait: f64, status: u16, transfer: f64) -> Row {
        Row::new(
            id,
            ResourceTiming {
                name: url.into(),
                initiator_type: initiator.into(),
                start_time: start,
                fetch_start: start,
                domain_lookup_start: start,
                domain_lookup_end: start,
                connect_start: start,
                connect_end: start,
                request_start: start,
                response_start: start + wait,
                response_end: start + wait + 1.0,
                transfer_size: transfer,
                encoded_body_size: 100.0,
                response_status: status,
                ..Default::default()
            },
        )
    }

    #[test]
    fn types_come_from_the_url_then_the_initiator() {
        let check = |initiator, url, t| assert_eq!(ResourceType::of(initiator, url), t, "{initiator} {url}");
        check("link", "http://x/a.css?v=1", ResourceType::Css);
        check("css", "http://x/f/0.woff2", ResourceType::Font);
        check("css", "http://x/bg.png", ResourceType::Img);
        check("script", "http://x/app", ResourceType::Script);
        check("fetch", "http://x/lab/anything", ResourceType::Fetch);
        check("xmlhttprequest", "http://x/api", ResourceType::Fetch);
        check("navigation", "http://x/", ResourceType::Document);
        check("iframe", "http://x/frame.html", ResourceType::Iframe);
        check("other", "http://x/thing", ResourceType::Other);
    }

    #[test]
    fn filters_combine_type_status_and_search() {
        let rows = [
            row(1, "http://x/lab/get", "fetch", 0.0, 5.0, 200, 300.0),
            row(2, "http://x/lab/status/404", "fetch", 1.0, 2.0, 404, 200.0),
            row(3, "http://x/app.js", "script", 0.0, 1.0, 200, 0.0),
        ];
        let ids = |f: &Filter| rows.iter().filter(|r| f.matches(r)).map(|r| r.id).collect::<Vec<_>>();
        assert_eq!(ids(&Filter::default()), [1, 2, 3]);
        assert_eq!(ids(&Filter { types: vec![ResourceType::Fetch], ..Default::default() }), [1, 2]);
        assert_eq!(ids(&Filter { families: vec![4, 5], ..Default::default() }), [2]);
        assert_eq!(ids(&Filter { search: " STATUS ".into(), ..Default::default() }), [2]);
        assert_eq!(rows[1].short_name(), "404");
        assert_eq!(row(9, "http://x/lab/get?a=1", "fetch", 0.0, 1.0, 200, 0.0).short_name(), "get?a=1");
    }

    #[test]
    fn the_summary_counts_types_bytes_and_the_slowest_phase() {
        let rows = [
            row(1, "http://x/lab/get", "fetch", 0.0, 5.0, 200, 300.0),
            row(2, "http://x/lab/delay/1", "fetch", 1.0, 1000.0, 200, 200.0),
            row(3, "http://x/app.js", "script", 0.0, 1.0, 200, 0.0),
        ];
        let s = summarize(&rows);
        assert_eq!(s.total, 3);
        assert_eq!(s.by_type, vec![(ResourceType::Script, 1), (ResourceType::Fetch, 2)]);
        assert_eq!(s.transferred, 500.0);
        assert_eq!(s.slowest, Some((PhaseKind::Waiting, 1000.0, 2)));
        assert_eq!(format_bytes(812.0), "812 B");
        assert_eq!(format_bytes(12_400.0), "12.4 kB");
    }

    #[test]
    fn the_view_fits_zooms_pans_and_ticks() {
        let rows = [row(1, "u", "fetch", 100.0, 50.0, 200, 0.0), row(2, "v", "fetch", 120.0, 179.0, 200, 0.0)];
        let v = View::fit(&rows);
        assert_eq!(v.start, 100.0);
        assert!((v.end - 304.0).abs() < 1e-9);
        assert_eq!(v.percent(100.0), 0.0);
        let z = v.zoom(2.0, 100.0);
        assert_eq!((z.start, z.span()), (100.0, 102.0));
        let p = z.pan(0.5);
        assert_eq!(p.start, 151.0);
        assert_eq!(View { start: 0.0, end: 1000.0 }.ticks(5), vec![0.0, 200.0, 400.0, 600.0, 800.0, 1000.0]);
        assert_eq!(View { start: 3.0, end: 9.0 }.ticks(4), vec![4.0, 6.0, 8.0]);
        assert_eq!(View::fit(&[]).span(), 1000.0);
    }
}
