//! Every request made in this tab, recorded for the timeline and HAR export.
//! Fed by the browser's PerformanceObserver; requests Roundtrip sent itself
//! are enriched with what only the sender knows (method, headers).

use leptos::prelude::*;
use roundtrip_model::exchange::Exchange;
use roundtrip_model::har::{self, Har, Known, PageLoad};
use roundtrip_model::timing::ResourceTiming;
use roundtrip_model::waterfall::Row;
use std::collections::HashMap;
use std::sync::Arc;

/// Shared through context from `App`.
#[derive(Clone, Copy)]
pub struct Recorder {
    pub rows: RwSignal<Vec<Arc<Row>>>,
    /// What Roundtrip knows about requests it sent, by entry key.
    known: RwSignal<HashMap<String, Sent>>,
    next_id: StoredValue<u64>,
}

/// What only the sender of a request knows.
#[derive(Clone)]
struct Sent {
    method: String,
    status: u16,
    connection: roundtrip_model::timing::Connection,
    known: Known,
}

fn key(entry: &ResourceTiming) -> String {
    format!("{}|{:.3}", entry.name, entry.start_time)
}

impl Recorder {
    /// Creates the recorder and starts observing the browser's entries.
    pub fn start() -> Recorder {
        let recorder = Recorder { rows: RwSignal::new(Vec::new()), known: RwSignal::new(HashMap::new()), next_id: StoredValue::new(1) };
        let result = crate::web::observer::observe(move |entries| recorder.add(entries));
        if let Err(e) = result {
            leptos::logging::warn!("the timeline cannot observe requests: {e}");
        }
        recorder
    }

    fn add(&self, entries: Vec<ResourceTiming>) {
        let new: Vec<Arc<Row>> = self.known.with_untracked(|known| {
            entries
                .into_iter()
                .map(|entry| {
                    let id = self.next_id.get_value();
                    self.next_id.set_value(id + 1);
                    let mut row = Row::new(id, entry);
                    // Our own request's fetch may have finished before the
                    // browser delivered its entry (WebKit does so): its method
                    // and status are known already.
                    if let Some(sent) = known.get(&key(&row.entry)) {
                        row.method = sent.method.clone();
                        row.status = sent.status;
                        row.entry.connection = sent.connection;
                    }
                    Arc::new(row)
                })
                .collect()
        });
        self.rows.update(|rows| rows.extend(new));
    }

    /// Sends `spec` for real and remembers what came back, so the timeline
    /// can show this request's headers too. Every page sends through here.
    pub async fn send(self, spec: roundtrip_model::exchange::RequestSpec) -> Result<Exchange, roundtrip_model::failure::Failure> {
        let result = crate::web::fetch::send(spec).await;
        if let Ok(exchange) = &result {
            self.remember(exchange);
        }
        result
    }

    /// GETs a URL or a path on this server, through [`Recorder::send`].
    pub async fn get(self, url_or_path: &str) -> Result<Exchange, roundtrip_model::failure::Failure> {
        self.send(roundtrip_model::exchange::RequestSpec::get(crate::web::resolve_url(url_or_path)?)).await
    }

    /// Records what Roundtrip knows of a request it sent.
    pub fn remember(&self, exchange: &Exchange) {
        let Some(entry) = &exchange.timing else { return };
        let k = Known {
            request_headers: exchange.request.headers.clone(),
            request_body: exchange.request.body.clone(),
            status_text: exchange.status_text.clone(),
            response_headers: exchange.headers.clone(),
        };
        let method = exchange.request.method.clone();
        let id = key(entry);
        self.rows.update(|rows| {
            if let Some(row) = rows.iter_mut().find(|r| key(&r.entry) == id) {
                let mut updated = (**row).clone();
                updated.method = method.clone();
                updated.status = exchange.status;
                updated.entry.connection = entry.connection;
                *row = Arc::new(updated);
            }
        });
        self.known.update(|m| {
            m.insert(id, Sent { method, status: exchange.status, connection: entry.connection, known: k });
        });
    }

    pub fn clear(&self) {
        self.rows.set(Vec::new());
    }

    /// The recorded requests, `rows` of them, as HAR 1.2: one page load,
    /// this tab's, which every recorded request belongs to.
    pub fn har(&self, rows: &[Arc<Row>]) -> Har {
        self.known.with_untracked(|known| {
            let pairs: Vec<(&Row, Option<&Known>)> =
                rows.iter().map(|r| (r.as_ref(), known.get(&key(&r.entry)).map(|s| &s.known))).collect();
            let page = PageLoad {
                id: "page_1".into(),
                title: crate::web::page::address_without_query(),
                started_ms: 0.0,
                on_content_load_ms: None,
                on_load_ms: None,
            };
            har::export(pairs, crate::web::observer::time_origin(), &[page])
        })
    }

    pub fn known(&self, row: &Row) -> Option<Known> {
        self.known.with(|m| m.get(&key(&row.entry)).map(|s| s.known.clone()))
    }
}
