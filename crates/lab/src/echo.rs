//! The echo family: what the server received, as JSON (or as raw text).

use crate::error::LabError;
use crate::timing::Work;
use axum::extract::{ConnectInfo, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, Version};
use axum::response::{IntoResponse, Response};
use axum::Json;
use roundtrip_model::echo::{parse_cookie_header, parse_urlencoded, Echo, Pairs};
use roundtrip_model::exchange::truncate_text;
use std::net::SocketAddr;

/// The most of a request body the lab reads.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// A request read whole (body within [`BODY_LIMIT`]).
pub struct Received {
    pub parts: Parts,
    pub body: axum::body::Bytes,
}

impl Received {
    pub async fn read(req: Request) -> Result<Received, LabError> {
        let (parts, body) = req.into_parts();
        let body = axum::body::to_bytes(body, BODY_LIMIT).await.map_err(|e| {
            // to_bytes reports a length-limit error through its source chain.
            if format!("{e:?}").contains("LengthLimit") {
                LabError::BodyTooLarge { limit: BODY_LIMIT }
            } else {
                LabError::BodyUnreadable
            }
        })?;
        Ok(Received { parts, body })
    }

    /// The head only, for handlers that ignore the body.
    pub fn head(req: Request) -> Received {
        Received { parts: req.into_parts().0, body: Default::default() }
    }

    pub fn header(&self, name: header::HeaderName) -> Option<&str> {
        self.parts.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Every header as received. HeaderMap keeps names in arrival order;
    /// repeated names are grouped after the first.
    pub fn header_list(&self) -> Vec<(String, String)> {
        self.parts.headers.iter().map(|(k, v)| (k.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned())).collect()
    }

    pub fn origin(&self) -> String {
        self.parts.extensions.get::<ConnectInfo<SocketAddr>>().map_or_else(String::new, |c| c.0.ip().to_string())
    }

    pub fn target(&self) -> &str {
        self.parts.uri.path_and_query().map_or("/", |pq| pq.as_str())
    }

    pub fn request_line(&self) -> String {
        format!("{} {} {}", self.parts.method, self.target(), version_text(self.parts.version))
    }

    pub fn cookies(&self) -> Vec<(String, String)> {
        self.parts
            .headers
            .get_all(header::COOKIE)
            .iter()
            .flat_map(|v| parse_cookie_header(&String::from_utf8_lossy(v.as_bytes())))
            .collect()
    }

    /// The whole echo, httpbin's fields and ours.
    pub fn echo(&self) -> Echo {
        let text = String::from_utf8_lossy(&self.body);
        let content_type = self.header(header::CONTENT_TYPE).unwrap_or("");
        let form = if content_type.starts_with("application/x-www-form-urlencoded") { parse_urlencoded(&text) } else { Vec::new() };
        let header_list = self.header_list();
        Echo {
            args: Pairs(parse_urlencoded(self.parts.uri.query().unwrap_or(""))),
            body_truncated: text.len() > Echo::BODY_TEXT_CAP,
            data: truncate_text(text.into_owned(), Echo::BODY_TEXT_CAP),
            form: Pairs(form),
            files: Pairs::default(),
            headers: Pairs(header_list.clone()),
            json: serde_json::from_slice(&self.body).ok(),
            method: self.parts.method.to_string(),
            origin: self.origin(),
            url: format!(
                "{}://{}{}",
                crate::server::scheme(&self.parts.extensions),
                self.header(header::HOST).unwrap_or(""),
                self.target()
            ),
            request_line: self.request_line(),
            path: self.parts.uri.path().to_owned(),
            header_list,
            cookies: Pairs(self.cookies()),
            body_size: self.body.len() as u64,
        }
    }
}

/// JSON with the handler's timing.
pub fn json(work: Work, value: impl serde::Serialize) -> Response {
    work.finish(Json(value).into_response())
}

/// `/lab/anything` and the method-specific echoes.
pub async fn anything(req: Request) -> Result<Response, LabError> {
    respond(Work::start(&req), req).await
}

/// Echoes `req`; `work` may already hold metrics of what a handler did first.
pub async fn respond(mut work: Work, req: Request) -> Result<Response, LabError> {
    let received = Received::read(req).await?;
    work.lap("read", "Read the request body");
    let echo = received.echo();
    work.lap("parse", "Parse headers, cookies, query and body");
    let mut body = serde_json::to_vec_pretty(&echo).expect("an Echo always serializes");
    body.push(b'\n');
    work.lap("handler", "Build the JSON answer");
    let res = ([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], body).into_response();
    Ok(work.finish(res))
}

pub async fn headers(req: Request) -> Response {
    let work = Work::start(&req);
    let received = Received::head(req);
    json(work, serde_json::json!({ "headers": Pairs(received.header_list()) }))
}

pub async fn ip(req: Request) -> Response {
    let work = Work::start(&req);
    let received = Received::head(req);
    json(work, serde_json::json!({ "origin": received.origin() }))
}

pub async fn user_agent(req: Request) -> Response {
    let work = Work::start(&req);
    let received = Received::head(req);
    json(work, serde_json::json!({ "user-agent": received.header(header::USER_AGENT).unwrap_or("") }))
}

/// The request as the text HTTP/1.1 sends: request line, headers, a blank
/// line, the body.
pub async fn dump_request(req: Request) -> Result<Response, LabError> {
    let mut work = Work::start(&req);
    let received = Received::read(req).await?;
    let mut text = received.request_line();
    text.push_str("\r\n");
    for (k, v) in received.header_list() {
        text.push_str(&format!("{k}: {v}\r\n"));
    }
    text.push_str("\r\n");
    text.push_str(&String::from_utf8_lossy(&received.body));
    work.lap("handler", "Write the request out as text");
    Ok(work.finish(([(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"))], text).into_response()))
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
