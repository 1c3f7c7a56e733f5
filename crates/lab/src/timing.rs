//! Every lab response says how long the server took (`Server-Timing`) and lets
//! any origin see the browser's detailed timing (`Timing-Allow-Origin: *`).

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use roundtrip_model::server_timing::{self, Metric};
use std::time::Instant;

/// When the lab began on this request; handlers measure from it.
#[derive(Clone, Copy, Debug)]
pub struct Arrived(pub Instant);

pub fn ms_since(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

pub async fn stamp(mut req: Request, next: Next) -> Response {
    let arrived = Instant::now();
    req.extensions_mut().insert(Arrived(arrived));
    let mut res = next.run(req).await;
    let total = Metric::new("total", ms_since(arrived), "All the lab's work on this request");
    let headers = res.headers_mut();
    let name = HeaderName::from_static("server-timing");
    let value = match headers.get(&name).and_then(|v| v.to_str().ok()) {
        Some(existing) => format!("{existing}, {}", server_timing::format(&[total])),
        None => server_timing::format(&[total]),
    };
    if let Ok(v) = HeaderValue::from_str(&value) {
        headers.insert(name, v);
    }
    headers.insert(HeaderName::from_static("timing-allow-origin"), HeaderValue::from_static("*"));
    res
}
