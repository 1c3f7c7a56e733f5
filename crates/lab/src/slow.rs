//! A slow server on purpose: waiting before answering, sending the body
//! slowly, spending time in named steps. Each is bounded.

use crate::echo::json;
use crate::error::LabError;
use crate::params::{bounded, query_or};
use crate::params::{Path, Query};
use crate::timing::Work;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use roundtrip_model::server_timing::Metric;
use std::collections::HashMap;
use std::time::Duration;

pub const MAX_SECONDS: f64 = 10.0;
/// The most `stream/{n}` sends, whatever the request: 256 KiB.
pub const STREAM_BUDGET: usize = 256 * 1024;
const SECONDS: &str = "a number from 0 to 10";

/// `delay/{seconds}`: waits, then echoes.
pub async fn delay(Path(seconds): Path<String>, req: Request) -> Result<Response, LabError> {
    let mut work = Work::start(&req);
    let secs: f64 = bounded("seconds", &seconds, 0.0, MAX_SECONDS, SECONDS)?;
    tokio::time::sleep(Duration::from_secs_f64(secs)).await;
    work.record(Metric::new("delay", secs * 1000.0, "Waiting on purpose"));
    crate::echo::respond(work, req).await
}

/// `drip?duration=&numbytes=&delay=&code=`: `numbytes` asterisks spread
/// evenly over `duration` seconds after `delay` seconds: a long download.
pub async fn drip(Query(q): Query<HashMap<String, String>>, req: Request) -> Result<Response, LabError> {
    let mut work = Work::start(&req);
    let duration: f64 = query_or(&q, "duration", 2.0, 0.0, MAX_SECONDS, SECONDS)?;
    let numbytes: usize = query_or(&q, "numbytes", 10, 1, 1024 * 1024, "a whole number from 1 to 1048576")?;
    let delay: f64 = query_or(&q, "delay", 0.0, 0.0, MAX_SECONDS, SECONDS)?;
    let code: u16 = query_or(&q, "code", 200, 200, 599, "a status code from 200 to 599")?;
    tokio::time::sleep(Duration::from_secs_f64(delay)).await;
    work.record(Metric::new("delay", delay * 1000.0, "Waiting before the first byte"));
    // At most 1000 pieces, so a large body still drips in visible steps.
    // Each piece has its own deadline from the start: sleeping a short gap
    // a thousand times would add up the timer's rounding (1 ms each).
    let pieces = numbytes.min(1000);
    let started = tokio::time::Instant::now();
    let stream = futures_util::stream::unfold(0usize, move |i| async move {
        if i == pieces {
            return None;
        }
        tokio::time::sleep_until(started + Duration::from_secs_f64(duration * i as f64 / pieces as f64)).await;
        let size = numbytes / pieces + usize::from(i < numbytes % pieces);
        Some((Ok::<Bytes, std::convert::Infallible>(Bytes::from(vec![b'*'; size])), i + 1))
    });
    let status = StatusCode::from_u16(code).expect("checked range");
    let res = (
        status,
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("application/octet-stream")),
            (header::CONTENT_LENGTH, HeaderValue::from(numbytes)),
        ],
        Body::from_stream(stream),
    )
        .into_response();
    Ok(work.finish(res))
}

/// `slow-server?think=`: spends `think` milliseconds in three named steps,
/// as a real server would, and reports each in Server-Timing.
pub async fn slow_server(Query(q): Query<HashMap<String, String>>, req: Request) -> Result<Response, LabError> {
    let mut work = Work::start(&req);
    let think: f64 = query_or(&q, "think", 300.0, 0.0, 5000.0, "a number of milliseconds from 0 to 5000")?;
    let steps = [
        ("auth", 0.1, "Check who is asking (session, token)"),
        ("db", 0.6, "Query the database"),
        ("render", 0.3, "Build the response body"),
    ];
    let mut done = Vec::new();
    for (name, share, description) in steps {
        let started = std::time::Instant::now();
        tokio::time::sleep(Duration::from_secs_f64(think * share / 1000.0)).await;
        let ms = crate::timing::ms_since(started);
        work.record(Metric::new(name, ms, description));
        done.push(serde_json::json!({ "step": name, "ms": (ms * 1000.0).round() / 1000.0, "what": description }));
    }
    Ok(json(work, serde_json::json!({ "think_ms": think, "steps": done })))
}

/// `stream/{n}`: n JSON lines, each sent as it is made.
pub async fn stream(Path(n): Path<String>, req: Request) -> Result<Response, LabError> {
    let work = Work::start(&req);
    let n: usize = bounded("n", &n, 1, 100, "a whole number from 1 to 100")?;
    let received = crate::echo::Received::head(req);
    let echo = received.echo();
    let line = |id: usize| {
        let mut line = serde_json::to_vec(&serde_json::json!({
            "id": id, "url": echo.url, "args": echo.args, "headers": echo.headers, "origin": echo.origin,
        }))
        .expect("serializes");
        line.push(b'\n');
        Bytes::from(line)
    };
    // Each line repeats the request's headers: without a budget, 378 KB of
    // headers came back as 38 MB. The whole stream stays within it.
    let size = line(n).len();
    if size * n > STREAM_BUDGET {
        let fits = STREAM_BUDGET / size;
        return Err(LabError::Amplified {
            message: format!(
                "The parameter n is “{n}”, but for this request it must be at most {fits}: each line repeats your request's headers ({size} bytes), and one stream sends at most {STREAM_BUDGET} bytes. Send fewer headers or ask for fewer lines."
            ),
        });
    }
    let lines: Vec<Bytes> = (0..n).map(line).collect();
    let stream = futures_util::stream::iter(lines.into_iter().map(Ok::<Bytes, std::convert::Infallible>));
    let res = ([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], Body::from_stream(stream)).into_response();
    Ok(work.finish(res))
}
