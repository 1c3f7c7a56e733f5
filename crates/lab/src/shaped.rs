//! Endpoints that shape the answer: a slow server, a chosen status.

use crate::error::LabError;
use axum::extract::{Path, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use roundtrip_model::server_timing::Metric;
use roundtrip_model::status::reason_phrase;

/// The longest `delay/{seconds}` waits.
pub const MAX_DELAY_SECONDS: f64 = 10.0;

/// Waits, then echoes the request: the "server processing" step made long
/// enough to see, and a way to make a client's timeout fire.
pub async fn delay(Path(seconds): Path<String>, req: Request) -> Result<Response, LabError> {
    let route_ms = crate::echo::route_ms(&req);
    let secs = seconds
        .parse::<f64>()
        .ok()
        .filter(|s| (0.0..=MAX_DELAY_SECONDS).contains(s))
        .ok_or(LabError::BadParam { name: "seconds", value: seconds.clone(), allowed: "a number from 0 to 10" })?;
    tokio::time::sleep(std::time::Duration::from_secs_f64(secs)).await;
    let waited = Metric::new("delay", secs * 1000.0, "Waiting on purpose");
    crate::echo::respond(req, route_ms, vec![waited]).await
}

/// Answers with the status code asked for.
pub async fn status(Path(code): Path<String>) -> Result<Response, LabError> {
    let bad = || LabError::BadParam { name: "code", value: code.clone(), allowed: "a whole number from 200 to 599" };
    let n = code.parse::<u16>().map_err(|_| bad())?;
    let status = StatusCode::from_u16(n).ok().filter(|_| (200..=599).contains(&n)).ok_or_else(bad)?;
    let reason = reason_phrase(n).unwrap_or("Unregistered status");
    // 204 and 304 never carry a body; hyper drops it for them.
    Ok((status, Json(serde_json::json!({ "status": n, "reason": reason }))).into_response())
}
