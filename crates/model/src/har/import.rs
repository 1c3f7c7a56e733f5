//! HAR files as DevTools users have them: Chrome, Firefox, Safari,
//! WebPageTest, chrome-har. Each page of a file gets its own time axis; an
//! entry is left out only when there is nothing to show (no URL, not an
//! object, not JSON), and then it is named with the reason.

use super::dates::parse_iso8601;
use super::export::Known;
use super::lenient::{shown_number, shown_text, List, Num, Obj, RawEntry, RawNameValue, RawPage, Text};
use super::notes::{Counts, Field, Subject, ARRAY, BYTES, DATE, MS, OBJECT, STATUS, TEXT};
use super::scan::{split_entries, ImportError, Split, MAX_ENTRIES, MAX_PAGES};
use crate::timing::ResourceTiming;
use crate::waterfall::{ResourceType, Row};
use std::collections::HashMap;
use std::sync::Arc;

/// Longer than this (about 11 days) is not a phase of one request: such a
/// timing is read as "not told" (no overflow into infinity further on).
const MAX_PHASE_MS: f64 = 1e9;
/// More bytes than this (2^53 - 1, the largest whole number JavaScript
/// holds exactly) is no size of one response.
const MAX_BYTES: f64 = 9_007_199_254_740_991.0;

/// The fields the import reads, each with what it does with an unusable value.
const fn field(name: &'static str, expected: &'static str, instead: &'static str) -> Field {
    Field { name, expected, instead }
}
const PAGEREF: Field = field("pageref", TEXT, "shown among the requests without a page");
const STARTED: Field = field("startedDateTime", DATE, "drawn at the start of its page");
const TIME: Field = field("time", MS, "drawn as long as the sum of its timings");
const METHOD: Field = field("request.method", TEXT, "read as GET");
const REQUEST_HEADERS: Field = field("request.headers", ARRAY, "ignored");
const REQUEST_HEADER: Field = field("a request header", "an object with a name and a value", "left out");
const POST_DATA: Field = field("request.postData", OBJECT, "ignored");
const POST_TEXT: Field = field("request.postData.text", TEXT, "ignored");
const RESPONSE: Field = field("response", OBJECT, "read as a request that got no response");
const STATUS_CODE: Field = field("response.status", STATUS, "counted as a request that got no response");
const STATUS_TEXT: Field = field("response.statusText", TEXT, "ignored");
const HTTP_VERSION: Field = field("response.httpVersion", TEXT, "ignored");
const RESPONSE_HEADERS: Field = field("response.headers", ARRAY, "ignored");
const RESPONSE_HEADER: Field = field("a response header", "an object with a name and a value", "left out");
const CONTENT: Field = field("response.content", OBJECT, "ignored");
const CONTENT_SIZE: Field = field("response.content.size", BYTES, "read as not told");
const MIME: Field = field("response.content.mimeType", TEXT, "ignored");
const HEADERS_SIZE: Field = field("response.headersSize", BYTES, "read as not told");
const BODY_SIZE: Field = field("response.bodySize", BYTES, "read as not told");
const TRANSFER_SIZE: Field = field("response._transferSize", BYTES, "read as not told");
const BYTES_IN: Field = field("_bytesIn", BYTES, "read as not told");
const ERROR: Field = field("response._error", TEXT, "ignored");
const NOT_EXPOSED: Field = field("response._statusNotExposed", TEXT, "ignored");
const TIMINGS: Field = field("timings", OBJECT, "drawn as one block of waiting");
const PHASES: [Field; 6] = [
    field("timings.blocked", MS, "read as not told"),
    field("timings.dns", MS, "read as not told"),
    field("timings.connect", MS, "read as not told"),
    field("timings.send", MS, "read as not told"),
    field("timings.wait", MS, "read as not told"),
    field("timings.receive", MS, "read as not told"),
];
const SSL: Field = field("timings.ssl", MS, "read as not told");
const RESOURCE_TYPE: Field = field("_resourceType", TEXT, "ignored");
const INITIATOR: Field = field("_initiator", "an object or a URL", "ignored");
const INITIATOR_TYPE: Field = field("_initiatorType", TEXT, "ignored");
const FROM_CACHE: Field = field("_fromCache", TEXT, "ignored");
const FETCH_TYPE: Field = field("_fetchType", TEXT, "ignored");
const PAGE_TITLE: Field = field("title", TEXT, "replaced by the page's id");
const PAGE_STARTED: Field = field("startedDateTime", DATE, "replaced by the time of the page's first entry");
const PAGE_TIMINGS: Field = field("pageTimings", OBJECT, "ignored");
const ON_CONTENT_LOAD: Field = field("pageTimings.onContentLoad", MS, "not shown");
const ON_LOAD: Field = field("pageTimings.onLoad", MS, "not shown");
const PAGE_URL: Field = field("_URL", TEXT, "ignored");

/// Reads one entry's or page's values, naming each that cannot be used.
struct Reader<'a> {
    counts: &'a mut Counts,
    subject: Subject,
    number: usize,
}

impl Reader<'_> {
    fn odd(&mut self, field: Field, shown: Option<String>) {
        if let Some(shown) = shown {
            self.counts.unusable(self.subject, self.number, field, shown);
        }
    }

    fn text(&mut self, t: Text, field: Field) -> Option<String> {
        self.odd(field, t.odd);
        t.value
    }

    fn obj<T>(&mut self, o: Obj<T>, field: Field) -> Option<T> {
        self.odd(field, o.odd);
        o.value
    }

    fn list<T>(&mut self, l: List<T>, field: Field) -> Vec<T> {
        self.odd(field, l.odd);
        l.items
    }

    /// Milliseconds from 0 to [`MAX_PHASE_MS`]; -1 and `null` mean "not told".
    fn ms(&mut self, n: Num, field: Field) -> Option<f64> {
        match n.value {
            Some(v) if (0.0..=MAX_PHASE_MS).contains(&v) => Some(v),
            Some(-1.0) => None,
            Some(v) => {
                self.odd(field, Some(shown_number(v)));
                None
            }
            None => {
                self.odd(field, n.odd);
                None
            }
        }
    }

    /// A size in bytes: a whole number from 0 to [`MAX_BYTES`]; -1 and
    /// `null` mean "not told".
    fn size(&mut self, n: Num, field: Field) -> Option<u64> {
        match n.value {
            Some(v) if (0.0..=MAX_BYTES).contains(&v) && v.fract() == 0.0 => Some(v as u64),
            Some(-1.0) => None,
            Some(v) => {
                self.odd(field, Some(shown_number(v)));
                None
            }
            None => {
                self.odd(field, n.odd);
                None
            }
        }
    }

    /// A date, in ms since the Unix epoch; `Err(())` when absent or empty.
    fn date(&mut self, t: Text, field: Field) -> Result<Option<f64>, ()> {
        match t.value {
            Some(v) if v.trim().is_empty() => Err(()),
            Some(v) => {
                let ms = parse_iso8601(&v);
                if ms.is_none() {
                    self.odd(field, Some(shown_text(&v)));
                }
                Ok(ms)
            }
            None if t.odd.is_some() => {
                self.odd(field, t.odd);
                Ok(None)
            }
            None => Err(()),
        }
    }
}

/// How a request was served, as far as the file says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// Over the network (or the file does not say otherwise).
    Network,
    /// From the browser's HTTP cache: Chrome's `_fromCache`, Safari's
    /// `_fetchType` "Memory Cache"/"Disk Cache", or `_transferSize: 0`.
    Cache,
    /// No response: status 0 or negative (WebPageTest writes -2), or an
    /// error; the words say which.
    Failed(String),
}

/// One entry of the file, ready to show.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportedEntry {
    /// Its place in the file's `log.entries`, from 1; also the row's id.
    pub number: usize,
    /// Index into [`HarImport::pages`].
    pub page: usize,
    /// `startedDateTime` in ms since the Unix epoch (`None`: unreadable,
    /// drawn at its page's start).
    pub started_epoch_ms: Option<f64>,
    /// On its page's time axis (0 is the page's start). Shared with the
    /// views that draw it: showing a page of 5,000 rows copies no row.
    pub row: Arc<Row>,
    /// Headers, request body and status text, as the file gives them.
    pub known: Known,
    /// The URL that caused this request (Chrome's `_initiator.url`;
    /// WebPageTest's and chrome-har's `_initiator`).
    pub initiator_url: Option<String>,
    pub delivery: Delivery,
    /// Bytes over the network, headers included; `None` when the file
    /// does not say.
    pub transferred: Option<u64>,
}

/// An entry that could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// Its place in `log.entries`, from 1.
    pub number: usize,
    pub reason: String,
}

impl Skipped {
    pub fn sentence(&self) -> String {
        format!("Entry {} is left out: {}.", self.number, self.reason)
    }
}

/// WebPageTest's runs: "Run 1, First View" (`page_1_0`), "Run 1, Repeat
/// View" (`page_1_1`), the same page loaded again with a warm cache.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunView {
    pub run: u32,
    pub repeat: bool,
}

/// One page load of the file.
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    /// What the entries' `pageref` names; empty for the entries without one.
    pub id: String,
    /// The page's title, else its URL, else its id.
    pub title: String,
    /// The URL loaded: WebPageTest's `_URL`, else the page's first document.
    pub url: Option<String>,
    /// Whether `log.pages` lists it (else it gathers entries whose
    /// `pageref` names no listed page, or entries with none).
    pub listed: bool,
    /// `startedDateTime` in ms since the Unix epoch, as the file gives it.
    pub started_epoch_ms: Option<f64>,
    /// `pageTimings`, ms after the page's start (`None`: -1, null or absent).
    pub on_content_load_ms: Option<f64>,
    pub on_load_ms: Option<f64>,
    pub run_view: Option<RunView>,
    /// The instant (epoch ms) that is 0 on this page's time axis: its start,
    /// or its first entry's when that is earlier or the start is unknown.
    pub axis_epoch_ms: Option<f64>,
    /// How many entries the file gives this page (skipped ones included).
    pub entries_in_file: usize,
    /// How many of them are imported (for a page picker; the same as
    /// `HarImport::report(page).requests`).
    pub requests: usize,
}

impl Page {
    /// DOMContentLoaded and load on the page's time axis (the rows' clock).
    pub fn milestones_ms(&self) -> (Option<f64>, Option<f64>) {
        let offset = match (self.started_epoch_ms, self.axis_epoch_ms) {
            (Some(s), Some(a)) => s - a,
            _ => 0.0,
        };
        (self.on_content_load_ms.map(|t| t + offset), self.on_load_ms.map(|t| t + offset))
    }
}

/// A whole file, imported.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HarImport {
    /// In order of their start; a file without `pages` has one.
    pub pages: Vec<Page>,
    /// In the file's order.
    pub entries: Vec<ImportedEntry>,
    pub skipped: Vec<Skipped>,
    /// What the file does differently from the spec and what Roundtrip made
    /// of it, one sentence each (skipped entries are in [`Self::notes`]).
    pub repairs: Vec<String>,
}

impl HarImport {
    /// A whole file in one go (tests, small files; the app reads large ones
    /// in steps with [`super::EntryScanner`] and [`Importer`]).
    pub fn from_text(text: &str) -> Result<HarImport, ImportError> {
        let split = split_entries(text)?;
        let mut importer = Importer::new(&split);
        for entry in &split.entries {
            let _ = importer.push(entry);
        }
        Ok(importer.finish())
    }

    /// The page's entries, in the file's order.
    pub fn entries_of(&self, page: usize) -> impl Iterator<Item = &ImportedEntry> {
        self.entries.iter().filter(move |e| e.page == page)
    }

    /// The entry behind a row (row ids are entry numbers).
    pub fn entry(&self, row_id: u64) -> Option<&ImportedEntry> {
        let i = self.entries.binary_search_by_key(&row_id, |e| e.number as u64).ok()?;
        self.entries.get(i)
    }

    /// What the file says of a row's request beyond its timing.
    pub fn known(&self, row_id: u64) -> Option<&Known> {
        self.entry(row_id).map(|e| &e.known)
    }

    /// Every sentence for the user: skipped entries first, then repairs.
    pub fn notes(&self) -> Vec<String> {
        self.skipped.iter().map(Skipped::sentence).chain(self.repairs.iter().cloned()).collect()
    }
}

/// Reads a file's entries one at a time, so a caller can yield to the
/// browser between them; [`Importer::finish`] settles the time axes.
pub struct Importer {
    pages: Vec<Page>,
    by_id: HashMap<String, usize>,
    entries: Vec<ImportedEntry>,
    skipped: Vec<Skipped>,
    repairs: Vec<String>,
    next_number: usize,
    counts: Counts,
}

impl Importer {
    /// Reads `log.pages`; entries come through [`Importer::push`].
    pub fn new(split: &Split) -> Importer {
        let mut importer = Importer {
            pages: Vec::new(),
            by_id: HashMap::new(),
            entries: Vec::new(),
            skipped: Vec::new(),
            repairs: Vec::new(),
            next_number: 1,
            counts: Counts::default(),
        };
        if split.byte_order_mark {
            importer.repairs.push("The file starts with a byte-order mark (U+FEFF, as some DevTools write it); it is ignored.".into());
        }
        for (i, text) in split.pages.iter().enumerate() {
            let raw = match serde_json::from_str::<Obj<RawPage>>(text) {
                Ok(Obj { value: Some(raw), .. }) => raw,
                Ok(_) => {
                    importer.repairs.push(format!("Page {} of log.pages is not an object; it is ignored.", i + 1));
                    continue;
                }
                Err(e) => {
                    importer.repairs.push(format!("Page {} of log.pages is not valid JSON ({e}); it is ignored.", i + 1));
                    continue;
                }
            };
            let Some(id) = raw.id.value.filter(|id| !id.is_empty()) else {
                let what = raw.id.odd.map(|o| format!(" (its id is {o}, not text)")).unwrap_or_default();
                importer.repairs.push(format!("Page {} of log.pages has no id{what}, so no entry can name it; it is ignored.", i + 1));
                continue;
            };
            if importer.by_id.contains_key(&id) {
                importer.repairs.push(format!(
                    "Page {} of log.pages repeats the id {}; its entries go to the first.",
                    i + 1,
                    shown_text(&id)
                ));
                continue;
            }
            let mut r = Reader { counts: &mut importer.counts, subject: Subject::Page, number: i + 1 };
            let timings = r.obj(raw.page_timings, PAGE_TIMINGS).unwrap_or_default();
            let started = r.date(raw.started_date_time, PAGE_STARTED).ok().flatten();
            let title = r.text(raw.title, PAGE_TITLE).filter(|t| !t.trim().is_empty());
            let page = Page {
                run_view: run_view(&id, title.as_deref().unwrap_or("")),
                title: title.unwrap_or_else(|| id.clone()),
                url: r.text(raw.url, PAGE_URL).filter(|u| !u.is_empty()),
                listed: true,
                started_epoch_ms: started,
                on_content_load_ms: r.ms(timings.on_content_load, ON_CONTENT_LOAD),
                on_load_ms: r.ms(timings.on_load, ON_LOAD),
                axis_epoch_ms: started,
                entries_in_file: 0,
                requests: 0,
                id: id.clone(),
            };
            importer.by_id.insert(id, importer.pages.len());
            importer.pages.push(page);
        }
        if split.extra_pages > 0 {
            importer.repairs.push(format!("The file lists {} more pages than the {MAX_PAGES} Roundtrip reads.", split.extra_pages));
        }
        if split.extra > 0 {
            importer.repairs.push(format!("The file has {} more entries than the {MAX_ENTRIES} Roundtrip shows.", split.extra));
        }
        importer
    }

    /// The entries read so far.
    pub fn entries(&self) -> &[ImportedEntry] {
        &self.entries
    }

    /// Reads the next entry of `log.entries`.
    pub fn push(&mut self, text: &str) -> Result<&ImportedEntry, &Skipped> {
        let number = self.next_number;
        self.next_number += 1;
        match self.read(number, text) {
            Ok(entry) => {
                self.entries.push(entry);
                Ok(self.entries.last().expect("just pushed"))
            }
            Err(reason) => {
                self.skipped.push(Skipped { number, reason });
                Err(self.skipped.last().expect("just pushed"))
            }
        }
    }

    fn page_for(&mut self, pageref: Option<String>) -> usize {
        let id = pageref.unwrap_or_default();
        if let Some(i) = self.by_id.get(&id) {
            return *i;
        }
        if !id.is_empty() {
            match self.counts.unlisted.iter_mut().find(|(u, _)| *u == id) {
                Some(u) => u.1 += 1,
                None => self.counts.unlisted.push((id.clone(), 1)),
            }
        }
        let title = if id.is_empty() { "Requests without a page".to_owned() } else { id.clone() };
        let page = Page {
            run_view: run_view(&id, ""),
            id: id.clone(),
            title,
            url: None,
            listed: false,
            started_epoch_ms: None,
            on_content_load_ms: None,
            on_load_ms: None,
            axis_epoch_ms: None,
            entries_in_file: 0,
            requests: 0,
        };
        self.by_id.insert(id, self.pages.len());
        self.pages.push(page);
        self.pages.len() - 1
    }

    fn read(&mut self, number: usize, text: &str) -> Result<ImportedEntry, String> {
        let raw: RawEntry = match serde_json::from_str::<Obj<RawEntry>>(text) {
            Ok(Obj { value: Some(raw), .. }) => raw,
            Ok(_) => {
                let what = match text.trim_start().as_bytes().first() {
                    Some(b'[') => "an array",
                    Some(b'"') => "a string",
                    Some(b'n') => "null",
                    Some(b't' | b'f') => "a boolean",
                    _ => "a number",
                };
                return Err(format!("it is {what}, not an object"));
            }
            Err(e) => return Err(format!("it is not valid JSON ({e})")),
        };
        let page = self.page_for(raw.pageref.value.clone());
        self.pages[page].entries_in_file += 1;
        let request = match raw.request {
            Obj { value: Some(request), .. } => request,
            Obj { odd: Some(odd), .. } => return Err(format!("its request is {odd}, not an object")),
            Obj { .. } => return Err("it has no request".into()),
        };
        let url = match request.url {
            Text { value: Some(url), .. } if !url.trim().is_empty() => url,
            Text { odd: Some(odd), .. } => return Err(format!("its request's url is {odd}, not text")),
            Text { .. } => return Err("its request has no URL".into()),
        };
        let mut r = Reader { counts: &mut self.counts, subject: Subject::Entry, number };
        r.odd(PAGEREF, raw.pageref.odd);

        let started = match r.date(raw.started_date_time, STARTED) {
            Ok(started) => started,
            Err(()) => {
                r.counts.no_date += 1;
                None
            }
        };
        let response = r.obj(raw.response, RESPONSE).unwrap_or_default();
        let content = r.obj(response.content, CONTENT).unwrap_or_default();
        let mime = r.text(content.mime_type, MIME).unwrap_or_default();

        // Status: 100–999 is an answer; 0, negative or nothing is not.
        let error = r.text(response.error, ERROR).filter(|e| !e.is_empty());
        let not_exposed = r.text(response.status_not_exposed, NOT_EXPOSED).as_deref() == Some("true");
        let (status, failure) = match response.status.value {
            Some(s) if (100.0..=999.0).contains(&s) && s.fract() == 0.0 => (s as u16, None),
            // Roundtrip's own export of a response the browser observed
            // but did not describe: not told, not failed.
            Some(s) if s == 0.0 && not_exposed => (0, None),
            Some(s) if s <= 0.0 && s.fract() == 0.0 => {
                r.counts.failed += 1;
                (0, Some(format!("status {s}")))
            }
            Some(s) => {
                r.odd(STATUS_CODE, Some(shown_number(s)));
                (0, Some(format!("status {}", shown_number(s))))
            }
            None => {
                match response.status.odd {
                    Some(odd) => r.odd(STATUS_CODE, Some(odd)),
                    None => r.counts.failed += 1,
                }
                (0, Some("no status".to_owned()))
            }
        };
        let transfer_size = r.size(response.transfer_size, TRANSFER_SIZE);
        let bytes_in = r.size(raw.bytes_in, BYTES_IN);
        let explicit_transfer = transfer_size.or(bytes_in);
        let from_cache = r.text(raw.from_cache, FROM_CACHE);
        let fetch_type = r.text(raw.fetch_type, FETCH_TYPE);
        let says_cache = from_cache.is_some_and(|c| !c.is_empty())
            || fetch_type.is_some_and(|f| f.to_ascii_lowercase().contains("cache"))
            || explicit_transfer == Some(0);
        let delivery = match failure {
            Some(f) => Delivery::Failed(match error {
                Some(e) => format!("{f}, {e}"),
                None => f,
            }),
            None if says_cache => Delivery::Cache,
            None => Delivery::Network,
        };
        let (h, b) = (r.size(response.headers_size, HEADERS_SIZE), r.size(response.body_size, BODY_SIZE));
        let transferred = match delivery {
            Delivery::Cache => Some(0),
            Delivery::Failed(_) => Some(explicit_transfer.unwrap_or(0)),
            Delivery::Network => explicit_transfer.or(match (h, b) {
                (None, None) => None,
                (h, b) => Some(h.unwrap_or(0).saturating_add(b.unwrap_or(0))),
            }),
        };
        let failed = matches!(delivery, Delivery::Failed(_));
        if transferred.is_none() {
            r.counts.bytes_unknown += 1;
        }

        let timings = raw.timings;
        let timings_odd = timings.odd.is_some();
        let t = r.obj(timings, TIMINGS).unwrap_or_default();
        let mut phases = [t.blocked, t.dns, t.connect, t.send, t.wait, t.receive];
        let mut phases = std::array::from_fn(|i| r.ms(std::mem::take(&mut phases[i]), PHASES[i]));
        let ssl = r.ms(t.ssl, SSL);
        let time = match raw.time.value {
            // Firefox writes null, and some tools a negative time, for a
            // request they did not time: not told, said once for the file.
            Some(v) if v < 0.0 => {
                r.counts.no_time += 1;
                None
            }
            None if raw.time.odd.is_none() => {
                r.counts.no_time += 1;
                None
            }
            _ => r.ms(raw.time, TIME),
        };
        if phases.iter().all(Option::is_none) {
            if !timings_odd {
                r.counts.no_timings += 1;
            }
            // All of it is waiting, as far as anyone can tell.
            phases[4] = time;
        }

        let resource_type = r.text(raw.resource_type, RESOURCE_TYPE);
        let kind = match resource_type.as_deref().and_then(ResourceType::from_label) {
            // Roundtrip's own labels ("css", "img", "iframe"); Chrome's
            // "other" still looks at the MIME type.
            Some(t) if t != ResourceType::Other => t,
            _ => ResourceType::of_har(resource_type.as_deref(), &mime, &url),
        };
        r.odd(INITIATOR, raw.initiator.odd);
        let initiator_type = r.text(raw.initiator_type, INITIATOR_TYPE).or(raw.initiator.kind).unwrap_or_default();
        let mut pairs = |headers: List<Obj<RawNameValue>>, list: Field, one: Field| {
            r.list(headers, list)
                .into_iter()
                .filter_map(|h| match h {
                    Obj { value: Some(h), .. } => {
                        let name = h.name.value.filter(|n| !n.is_empty());
                        if name.is_none() || h.name.odd.is_some() || h.value.odd.is_some() {
                            let what = h
                                .name
                                .odd
                                .or(h.value.odd)
                                .map_or("an object without a name".to_owned(), |o| format!("an object holding {o}"));
                            r.odd(one, Some(what));
                        }
                        Some((name?, h.value.value.unwrap_or_default()))
                    }
                    Obj { odd, .. } => {
                        r.odd(one, Some(odd.unwrap_or_else(|| "null".into())));
                        None
                    }
                })
                .collect::<Vec<_>>()
        };
        let request_headers = pairs(request.headers, REQUEST_HEADERS, REQUEST_HEADER);
        let response_headers = pairs(response.headers, RESPONSE_HEADERS, RESPONSE_HEADER);
        let known = Known {
            request_headers,
            request_body: r.obj(request.post_data, POST_DATA).and_then(|p| r.text(p.text, POST_TEXT)),
            status_text: r.text(response.status_text, STATUS_TEXT).unwrap_or_default(),
            response_headers,
        };
        let content_size = r.size(content.size, CONTENT_SIZE);
        let rt = ResourceTiming {
            name: url.clone(),
            initiator_type,
            next_hop_protocol: r.text(response.http_version, HTTP_VERSION).unwrap_or_default().to_ascii_lowercase(),
            delivery_type: if delivery == Delivery::Cache { "cache".into() } else { String::new() },
            transfer_size: transferred.unwrap_or(0) as f64,
            // A request without a response has no body, whatever sizes the
            // file gives (and so is never taken for a cache hit).
            encoded_body_size: if failed { 0.0 } else { b.unwrap_or(0) as f64 },
            decoded_body_size: if failed { 0.0 } else { content_size.unwrap_or(0) as f64 },
            response_status: status,
            ..Default::default()
        };
        let method = r.text(request.method, METHOD);
        let mut row = row_of(number as u64, rt, phases, ssl);
        row.method = method.filter(|m| !m.is_empty()).unwrap_or_else(|| "GET".into());
        row.kind = kind;
        row.status = status;

        // The page's axis starts at its own start, else at its first entry.
        let p = &mut self.pages[page];
        p.requests += 1;
        if p.axis_epoch_ms.is_none() {
            p.axis_epoch_ms = started;
        }
        if let (Some(s), Some(axis)) = (started, p.axis_epoch_ms) {
            shift(&mut row, s - axis);
        }
        if p.url.is_none() && kind == ResourceType::Document {
            p.url = Some(url);
        }
        Ok(ImportedEntry {
            number,
            page,
            started_epoch_ms: started,
            row: Arc::new(row),
            known,
            initiator_url: raw.initiator.url,
            delivery,
            transferred,
        })
    }

    /// Settles each page's time axis (an entry earlier than its page's
    /// start moves the axis to it) and writes the notes.
    pub fn finish(mut self) -> HarImport {
        let mut earliest: Vec<Option<f64>> = vec![None; self.pages.len()];
        for e in &self.entries {
            if let Some(s) = e.started_epoch_ms {
                let m = &mut earliest[e.page];
                *m = Some(m.map_or(s, |m| m.min(s)));
            }
        }
        let mut moved: Vec<f64> = vec![0.0; self.pages.len()];
        for (i, page) in self.pages.iter_mut().enumerate() {
            if let (Some(early), Some(axis)) = (earliest[i], page.axis_epoch_ms) {
                if early < axis {
                    moved[i] = axis - early;
                    page.axis_epoch_ms = Some(early);
                }
            }
        }
        for e in &mut self.entries {
            if moved[e.page] != 0.0 {
                shift(Arc::make_mut(&mut e.row), moved[e.page]);
            }
        }
        // Pages in order of their start; unknown starts last.
        let mut order: Vec<usize> = (0..self.pages.len()).collect();
        order.sort_by(|a, b| {
            let key = |p: &Page| p.started_epoch_ms.or(p.axis_epoch_ms);
            match (key(&self.pages[*a]), key(&self.pages[*b])) {
                (Some(x), Some(y)) => x.total_cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => a.cmp(b),
            }
        });
        let mut new_index = vec![0; order.len()];
        for (new, old) in order.iter().enumerate() {
            new_index[*old] = new;
        }
        for e in &mut self.entries {
            e.page = new_index[e.page];
        }
        let mut pages: Vec<Option<Page>> = self.pages.into_iter().map(Some).collect();
        let pages: Vec<Page> = order.iter().filter_map(|i| pages[*i].take()).collect();

        let mut repairs = self.repairs;
        repairs.extend(self.counts.sentences());
        HarImport { pages, entries: self.entries, skipped: self.skipped, repairs }
    }
}

/// WebPageTest's `page_{run}_{0|1}` ids and "Run N, First/Repeat View"
/// titles.
fn run_view(id: &str, title: &str) -> Option<RunView> {
    let from_id = id.strip_prefix("page_").and_then(|rest| {
        let (run, view) = rest.split_once('_')?;
        let repeat = match view {
            "0" => false,
            "1" => true,
            _ => return None,
        };
        Some(RunView { run: run.parse().ok()?, repeat })
    });
    let from_title = title.strip_prefix("Run ").and_then(|rest| {
        let (run, view) = rest.split_once(", ")?;
        let repeat = if view.starts_with("First View") {
            false
        } else if view.starts_with("Repeat View") {
            true
        } else {
            return None;
        };
        Some(RunView { run: run.parse().ok()?, repeat })
    });
    from_title.or(from_id)
}

/// A Resource Timing entry for HAR phases, built at 1 ms so that no mark is
/// 0 (which Resource Timing reads as "not measured"), then shifted to 0.
fn row_of(id: u64, mut rt: ResourceTiming, phases: [Option<f64>; 6], ssl: Option<f64>) -> Row {
    const LOCAL: f64 = 1.0;
    let [blocked, dns, connect, send, wait, receive] = phases.map(|p| p.unwrap_or(0.0));
    rt.start_time = LOCAL;
    rt.fetch_start = LOCAL;
    rt.domain_lookup_start = LOCAL + blocked;
    rt.domain_lookup_end = rt.domain_lookup_start + dns;
    rt.connect_start = rt.domain_lookup_end;
    rt.connect_end = rt.connect_start + connect;
    rt.secure_connection_start = match ssl {
        Some(s) if s > 0.0 => (rt.connect_end - s).max(rt.connect_start),
        _ => 0.0,
    };
    rt.request_start = rt.connect_end + send;
    rt.response_start = rt.request_start + wait;
    rt.response_end = rt.response_start + receive;
    rt.duration = rt.response_end - LOCAL;
    let mut row = Row::new(id, rt);
    shift(&mut row, -LOCAL);
    row
}

/// Moves a row along its time axis; its phases (relative) stay as they are.
fn shift(row: &mut Row, by: f64) {
    let e = &mut row.entry;
    for mark in [
        &mut e.start_time,
        &mut e.fetch_start,
        &mut e.domain_lookup_start,
        &mut e.domain_lookup_end,
        &mut e.connect_start,
        &mut e.connect_end,
        &mut e.request_start,
        &mut e.response_start,
        &mut e.response_end,
    ] {
        *mark += by;
    }
    if e.secure_connection_start > 0.0 {
        e.secure_connection_start += by;
    }
}
