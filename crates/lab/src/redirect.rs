//! Redirects: chains of them, and one to a URL on this same server. Never an
//! open redirect: a target on another origin is refused.

use crate::error::LabError;
use crate::params::{bounded, clip, query_or};
use crate::params::{Path, Query};
use crate::timing::Work;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;

const MAX_REDIRECTS: u32 = 20;
const N_RANGE: &str = "a whole number from 1 to 20";

#[derive(Clone, Copy)]
enum Style {
    Plain,
    Relative,
    Absolute,
}

pub async fn redirect(Path(n): Path<String>, req: Request) -> Result<Response, LabError> {
    chain(n, req, Style::Plain)
}

pub async fn relative(Path(n): Path<String>, req: Request) -> Result<Response, LabError> {
    chain(n, req, Style::Relative)
}

pub async fn absolute(Path(n): Path<String>, req: Request) -> Result<Response, LabError> {
    chain(n, req, Style::Absolute)
}

fn chain(n: String, req: Request, style: Style) -> Result<Response, LabError> {
    let work = Work::start(&req);
    let n: u32 = bounded("n", &n, 1, MAX_REDIRECTS, N_RANGE)?;
    let next = |name: &str| if n == 1 { "/lab/get".to_owned() } else { format!("/lab/{name}/{}", n - 1) };
    let location = match style {
        Style::Plain => next("redirect"),
        // A relative reference: resolved against the URL that was asked for.
        Style::Relative => {
            if n == 1 {
                "../get".to_owned()
            } else {
                (n - 1).to_string()
            }
        }
        Style::Absolute => format!("{}://{}{}", crate::server::scheme(req.extensions()), host(&req)?, next("absolute-redirect")),
    };
    Ok(work.finish(to(StatusCode::FOUND, &location)))
}

/// `redirect-to?url=&status_code=`: only relative targets or this origin.
pub async fn redirect_to(Query(q): Query<HashMap<String, String>>, req: Request) -> Result<Response, LabError> {
    let work = Work::start(&req);
    let code: u16 = query_or(&q, "status_code", 302, 300, 308, "a redirect status from 300 to 308")?;
    let url =
        q.get("url").ok_or(LabError::BadParam { name: "url", value: String::new(), allowed: "a path on this server, like /lab/get" })?;
    let refused = || LabError::BadParam {
        name: "url",
        value: clip(url),
        allowed: "a path on this server (/lab/get) or a URL of this same origin: the lab is never an open redirect",
    };
    let own = host(&req)?;
    let same_origin = url
        .strip_prefix(crate::server::scheme(req.extensions()))
        .and_then(|rest| rest.strip_prefix("://"))
        .and_then(|rest| rest.strip_prefix(own.as_str()))
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
    let relative = url.starts_with('/') && !url.starts_with("//") && !url.starts_with("/\\");
    if !(relative || same_origin) || url.chars().any(|c| c.is_control() || c == '\\') {
        return Err(refused());
    }
    let status = StatusCode::from_u16(code).expect("checked range");
    Ok(work.finish(to(status, url)))
}

fn to(status: StatusCode, location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(v) => (status, [(header::LOCATION, v)]).into_response(),
        Err(_) => StatusCode::BAD_REQUEST.into_response(),
    }
}

/// The Host the client used, if it is a plain host[:port].
fn host(req: &Request) -> Result<String, LabError> {
    let h = req.headers().get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
    let ok = !h.is_empty() && h.chars().all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c));
    if ok {
        Ok(h.to_owned())
    } else {
        Err(LabError::BadParam { name: "Host", value: clip(h), allowed: "a host name or address, with an optional port" })
    }
}
