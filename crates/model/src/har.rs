//! HAR 1.2 (HTTP Archive), the format DevTools export and import.
//!
//! - [`export`]: Roundtrip's own requests as HAR (the types below are what it
//!   writes).
//! - [`EntryScanner`] / [`split_entries`]: a file cut into its entries and
//!   pages without parsing it whole, so a large file is read in steps.
//! - [`Importer`] / [`HarImport`]: entries read as tolerantly as the
//!   browsers' own exports demand; each page of the file on its own time
//!   axis; every entry that cannot be used named with the reason.
//! - [`PageReport`] / [`CacheComparison`]: one page's counts, bytes and
//!   milestones; a first view against its repeat view.

mod dates;
mod export;
mod import;
mod lenient;
mod notes;
mod report;
mod scan;

pub use dates::{iso8601, parse_iso8601, utc_label};
pub use export::{export, timings_of, Known, PageLoad};
pub use import::{Delivery, HarImport, ImportedEntry, Importer, Page, RunView, Skipped};
pub use report::{CacheComparison, PageReport};
pub use scan::{split_entries, EntryScanner, ImportError, Split, MAX_ENTRIES, MAX_FILE_BYTES, MAX_PAGES};

use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Har {
    pub log: Log,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Log {
    pub version: String,
    pub creator: Creator,
    pub pages: Vec<HarPage>,
    pub entries: Vec<Entry>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Creator {
    pub name: String,
    pub version: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HarPage {
    pub started_date_time: String,
    pub id: String,
    pub title: String,
    pub page_timings: PageTimings,
}

/// Milliseconds after the page's start; -1 where not known.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PageTimings {
    pub on_content_load: f64,
    pub on_load: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NameValue {
    pub name: String,
    pub value: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pageref: Option<String>,
    pub started_date_time: String,
    pub time: f64,
    pub request: Request,
    pub response: Response,
    pub cache: serde_json::Value,
    pub timings: Timings,
    #[serde(rename = "_initiatorType", skip_serializing_if = "Option::is_none")]
    pub initiator_type: Option<String>,
    #[serde(rename = "_resourceType", skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Request {
    pub method: String,
    pub url: String,
    pub http_version: String,
    pub cookies: Vec<serde_json::Value>,
    pub headers: Vec<NameValue>,
    pub query_string: Vec<NameValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post_data: Option<PostData>,
    pub headers_size: i64,
    pub body_size: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PostData {
    pub mime_type: String,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Response {
    pub status: u16,
    pub status_text: String,
    pub http_version: String,
    pub cookies: Vec<serde_json::Value>,
    pub headers: Vec<NameValue>,
    pub content: Content,
    #[serde(rename = "redirectURL")]
    pub redirect_url: String,
    pub headers_size: i64,
    pub body_size: i64,
    /// Chromium's bytes over the network, headers included.
    #[serde(rename = "_transferSize", skip_serializing_if = "Option::is_none")]
    pub transfer_size: Option<f64>,
    /// True when `status` is 0 because the browser did not tell the page
    /// (a response it observed, not a failure).
    #[serde(rename = "_statusNotExposed", skip_serializing_if = "std::ops::Not::not")]
    pub status_not_exposed: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Content {
    pub size: i64,
    pub mime_type: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Timings {
    pub blocked: f64,
    pub dns: f64,
    pub connect: f64,
    pub send: f64,
    pub wait: f64,
    pub receive: f64,
    pub ssl: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl Timings {
    /// The entry's total: every non-negative timing but `ssl`, which
    /// `connect` already includes.
    pub fn total(&self) -> f64 {
        [self.blocked, self.dns, self.connect, self.send, self.wait, self.receive].iter().filter(|t| **t >= 0.0).sum()
    }
}
