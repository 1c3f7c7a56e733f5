//! `/lab/anything`: answers with what the server received.

use crate::error::LabError;
use crate::timing::{ms_since, Arrived};
use axum::extract::{ConnectInfo, Request};
use axum::http::{header, HeaderValue, Version};
use axum::response::{IntoResponse, Response};
use roundtrip_model::echo::{parse_cookie_header, parse_urlencoded, Echo, Pairs};
use roundtrip_model::exchange::truncate_text;
use roundtrip_model::server_timing::{self, Metric};
use std::net::SocketAddr;
use std::time::Instant;

/// The most of a request body the lab reads.
pub const BODY_LIMIT: usize = 1024 * 1024;

pub async fn anything(req: Request) -> Result<Response, LabError> {
    let route_ms = route_ms(&req);
    respond(req, route_ms, Vec::new()).await
}

/// Milliseconds from the lab's first sight of the request to now: the time
/// spent matching it to a handler. Call it first thing in a handler.
pub fn route_ms(req: &Request) -> f64 {
    req.extensions().get::<Arrived>().map_or(0.0, |a| ms_since(a.0))
}

/// Echoes `req`. `before` are metrics of work a handler did first (e.g. a
/// deliberate delay); they lead the Server-Timing header.
pub async fn respond(req: Request, route_ms: f64, before: Vec<Metric>) -> Result<Response, LabError> {
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, BODY_LIMIT).await.map_err(|e| {
        // to_bytes reports a length-limit error through its source chain.
        if format!("{e:?}").contains("LengthLimit") {
            LabError::BodyTooLarge { limit: BODY_LIMIT }
        } else {
            LabError::BodyUnreadable
        }
    })?;
    let parsing = Instant::now();
    // HeaderMap keeps names in arrival order; repeated names are grouped
    // after the first.
    let header_list: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect();
    let query = parts.uri.query().unwrap_or("");
    let cookies = parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .flat_map(|v| parse_cookie_header(&String::from_utf8_lossy(v.as_bytes())))
        .collect();
    let content_type = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let text = String::from_utf8_lossy(&bytes);
    let form = if content_type.starts_with("application/x-www-form-urlencoded") {
        parse_urlencoded(&text)
    } else {
        Vec::new()
    };
    let json = serde_json::from_slice(&bytes).ok();
    let parse_ms = ms_since(parsing);

    let handling = Instant::now();
    let target = parts.uri.path_and_query().map_or("/", |pq| pq.as_str());
    let host = parts.headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
    let body_truncated = text.len() > Echo::BODY_TEXT_CAP;
    let data = truncate_text(text.into_owned(), Echo::BODY_TEXT_CAP);
    let echo = Echo {
        args: Pairs(parse_urlencoded(query)),
        data,
        form: Pairs(form),
        headers: Pairs(header_list.clone()),
        json,
        method: parts.method.to_string(),
        origin: parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or_else(String::new, |c| c.0.ip().to_string()),
        url: format!("http://{host}{target}"),
        request_line: format!("{} {} {}", parts.method, target, version_text(parts.version)),
        path: parts.uri.path().to_owned(),
        header_list,
        cookies: Pairs(cookies),
        body_size: bytes.len() as u64,
        body_truncated,
    };
    let mut out = serde_json::to_vec_pretty(&echo).expect("an Echo always serializes");
    out.push(b'\n');
    let handler_ms = ms_since(handling);

    let mut metrics = vec![Metric::new("route", route_ms, "Match the URL to an endpoint")];
    metrics.extend(before);
    metrics.extend([
        Metric::new("parse", parse_ms, "Read headers, cookies, query and body"),
        Metric::new("handler", handler_ms, "Build the JSON answer"),
    ]);
    let timing = server_timing::format(&metrics);
    let mut res = ([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], out).into_response();
    if let Ok(v) = HeaderValue::from_str(&timing) {
        res.headers_mut().insert("server-timing", v);
    }
    Ok(res)
}

fn version_text(v: Version) -> &'static str {
    match v {
        Version::HTTP_09 => "HTTP/0.9",
        Version::HTTP_10 => "HTTP/1.0",
        Version::HTTP_2 => "HTTP/2",
        Version::HTTP_3 => "HTTP/3",
        _ => "HTTP/1.1",
    }
}
