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

const SERVER_TIMING: HeaderName = HeaderName::from_static("server-timing");

/// A handler's own stopwatch: each lap becomes a Server-Timing metric.
pub struct Work {
    metrics: Vec<Metric>,
    mark: Instant,
}

impl Work {
    /// Starts timing a handler; the first metric, `route`, is the time from
    /// the lab's first sight of the request to this call.
    pub fn start(req: &Request) -> Work {
        let route = req.extensions().get::<Arrived>().map_or(0.0, |a| ms_since(a.0));
        Work { metrics: vec![Metric::new("route", route, "Match the URL to an endpoint")], mark: Instant::now() }
    }

    /// Closes a lap: the time since the last one, under `name`.
    pub fn lap(&mut self, name: &str, description: &str) {
        self.metrics.push(Metric::new(name, ms_since(self.mark), description));
        self.mark = Instant::now();
    }

    /// Records a metric whose duration is known (e.g. a deliberate wait).
    pub fn record(&mut self, metric: Metric) {
        self.metrics.push(metric);
        self.mark = Instant::now();
    }

    /// Puts the metrics on a response.
    pub fn finish(self, mut res: Response) -> Response {
        if let Ok(v) = HeaderValue::from_str(&server_timing::format(&self.metrics)) {
            res.headers_mut().insert(SERVER_TIMING, v);
        }
        res
    }
}

pub async fn stamp(mut req: Request, next: Next) -> Response {
    let arrived = Instant::now();
    req.extensions_mut().insert(Arrived(arrived));
    let mut res = next.run(req).await;
    let total = Metric::new("total", ms_since(arrived), server_timing::LAB_TOTAL);
    let headers = res.headers_mut();
    let value = match headers.get(&SERVER_TIMING).and_then(|v| v.to_str().ok()) {
        Some(existing) => format!("{existing}, {}", server_timing::format(&[total])),
        None => server_timing::format(&[total]),
    };
    if let Ok(v) = HeaderValue::from_str(&value) {
        headers.insert(SERVER_TIMING, v);
    }
    headers.insert(HeaderName::from_static("timing-allow-origin"), HeaderValue::from_static("*"));
    res
}
