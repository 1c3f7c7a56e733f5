//! `GET /lab/`: every endpoint with a one-line meaning, as HTML for people
//! and JSON for programs (by `Accept`).

use crate::html::escape;
use crate::timing::Work;
use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use roundtrip_model::lab::ENDPOINTS;

pub async fn index(req: Request) -> Response {
    let work = Work::start(&req);
    let wants_html = req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/html"));
    if !wants_html {
        return work.finish(Json(roundtrip_model::replies::LabIndex::of_the_lab()).into_response());
    }
    let mut html = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Roundtrip lab: endpoints</title>\
         <style>{STYLE}</style></head><body>\
         <h1>Roundtrip lab</h1><p>Practice endpoints. Every answer carries <code>Server-Timing</code> and \
         <code>Timing-Allow-Origin: *</code>; any origin may call them.</p>\n",
    );
    for (group, list) in ENDPOINTS {
        html.push_str(&format!("<h2>{group}</h2><table>\n"));
        for e in *list {
            html.push_str(&format!(
                "<tr><td><a href=\"{ex}\"><code>{route}</code></a></td><td>{meaning}</td></tr>\n",
                ex = escape(e.example),
                route = escape(e.route),
                meaning = escape(e.meaning)
            ));
        }
        html.push_str("</table>\n");
    }
    html.push_str("</body></html>\n");
    let mut res = work.finish(Html(html).into_response());
    // The lab's sandbox policy, plus this page's one stylesheet by its hash.
    let policy = format!("{}; style-src {}", crate::security::LAB_POLICY, crate::security::hash_source(STYLE));
    res.headers_mut().insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_str(&policy).expect("ASCII"));
    res
}

/// The index's only stylesheet, allowed by its hash.
const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:56rem;margin:2rem auto;padding:0 1rem;line-height:1.5}\
                     code{background:#eef;padding:0 .2rem}td{padding:.2rem .6rem;vertical-align:top}";
