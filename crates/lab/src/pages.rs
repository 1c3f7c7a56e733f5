//! Page fixtures (`page/{name}`): HTML pages whose every sub-resource is
//! known, with a manifest listing them, so a page-load count can be checked.

use crate::content::{png, stripe};
use crate::error::LabError;
use crate::font;
use crate::params::clip;
use crate::params::Path;
use crate::timing::Work;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use roundtrip_model::pages::{Fixture, Kind};
use sha2::{Digest, Sha256};

fn fixture(name: &str) -> Result<&'static Fixture, LabError> {
    Fixture::named(name).ok_or_else(|| LabError::BadParam { name: "page", value: clip(name), allowed: "tiny, median or heavy" })
}

/// The page itself.
pub async fn page(Path(name): Path<String>, req: Request) -> Result<Response, LabError> {
    let work = Work::start(&req);
    let f = fixture(&name)?;
    let mut page = html(f);
    // `?report=parent`: the page tells the frame's parent its own timing
    // entries. The app frames a page from another origin (the lab over
    // HTTPS) to compare protocols, and may not read that frame's records.
    if req.uri().query().is_some_and(|q| q.split('&').any(|p| p == "report=parent")) {
        page = page.replace("</body>", &format!("<script>{REPORTER}</script>\n</body>"));
    }
    Ok(work.finish(with(page, "text/html; charset=utf-8", "no-cache")))
}

/// Posts the page's navigation entry and resource entries (as plain
/// objects) to its parent after each new entry and after the load event.
/// Test-fixture URLs and timings: nothing in them is secret.
pub const REPORTER: &str = "(() => { const plain = (list) => JSON.parse(JSON.stringify(list)); \
const send = () => parent.postMessage({ roundtrip: 'timing', \
navigation: plain(performance.getEntriesByType('navigation'))[0] ?? null, \
resources: plain(performance.getEntriesByType('resource')) }, '*'); \
new PerformanceObserver(send).observe({ type: 'resource', buffered: true }); \
addEventListener('load', () => setTimeout(send, 0)); })();";

pub async fn manifest(Path(name): Path<String>, req: Request) -> Result<Response, LabError> {
    let work = Work::start(&req);
    Ok(work.finish(Json(fixture(&name)?.manifest()).into_response()))
}

/// One sub-resource: `page/{name}/{kind}/{i}.{ext}`.
pub async fn asset(Path((name, kind, file)): Path<(String, String, String)>, req: Request) -> Result<Response, LabError> {
    let work = Work::start(&req);
    let f = fixture(&name)?;
    let not_here = || LabError::NotFound { path: req.uri().path().to_owned() };
    let kind = Kind::ALL.into_iter().find(|k| k.slug() == kind && *k != Kind::Document).ok_or_else(not_here)?;
    let i: usize = file.split('.').next().and_then(|n| n.parse().ok()).ok_or_else(not_here)?;
    if i >= f.count(kind) || f.path(kind, i) != req.uri().path() {
        return Err(not_here());
    }
    // Stylesheets, scripts and fonts are fresh for ten minutes, so a second
    // load takes them from the cache; images must revalidate each time. All
    // of them carry an ETag and answer a matching If-None-Match with 304, so
    // a reload shows the cache at work even where the browser revalidates
    // everything (WebKit does on reload). API calls are never stored.
    let res = match kind {
        Kind::Stylesheet => validated(&req, stylesheet(f, i).into_bytes(), "text/css; charset=utf-8", "public, max-age=600"),
        Kind::Script => validated(&req, script(f, i).into_bytes(), "text/javascript; charset=utf-8", "public, max-age=600"),
        Kind::Font => validated(&req, font::fixture(i), "font/ttf", "public, max-age=600"),
        Kind::Image => {
            let side = 24 + (i as u32 * 13) % 72;
            validated(&req, png(side, side, |x, y| stripe(x + i as u32 * 5, y)), "image/png", "no-cache")
        }
        Kind::Fetch => with(format!("{{\"item\":{i},\"page\":\"{}\"}}\n", f.name), "application/json", "no-store"),
        Kind::Iframe => with(frame(f, i), "text/html; charset=utf-8", "no-cache"),
        Kind::Document => unreachable!("filtered above"),
    };
    Ok(work.finish(res))
}

/// A fixture file with a validator. The ETag is a hash of the bytes, so a
/// fixture that changes in a new version of the lab gets a new tag and no
/// browser keeps the old file; a request whose If-None-Match names the tag
/// gets 304 with no body.
fn validated(req: &Request, body: Vec<u8>, content_type: &'static str, cache: &'static str) -> Response {
    let digest = Sha256::digest(&body);
    let tag = format!("\"{}\"", digest[..8].iter().map(|b| format!("{b:02x}")).collect::<String>());
    let etag = HeaderValue::from_str(&tag).expect("hex digits");
    let mut res = if none_match(req, &tag) {
        (StatusCode::NOT_MODIFIED, [(header::CACHE_CONTROL, HeaderValue::from_static(cache))]).into_response()
    } else {
        with(body, content_type, cache)
    };
    res.headers_mut().insert(header::ETAG, etag);
    res
}

/// Whether `If-None-Match` names `tag` (or is `*`): the weak comparison
/// RFC 9110 asks for, over a comma-separated list.
fn none_match(req: &Request, tag: &str) -> bool {
    let listed = req.headers().get_all(header::IF_NONE_MATCH).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(','));
    listed.map(str::trim).any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == tag)
}

fn with(body: impl Into<axum::body::Body>, content_type: &'static str, cache: &'static str) -> Response {
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static(content_type)), (header::CACHE_CONTROL, HeaderValue::from_static(cache))],
        body.into(),
    )
        .into_response()
}

fn html(f: &Fixture) -> String {
    let mut head = String::new();
    for i in 0..f.stylesheets {
        head.push_str(&format!("<link rel=\"stylesheet\" href=\"{}\">\n", f.path(Kind::Stylesheet, i)));
    }
    for i in 0..f.scripts {
        head.push_str(&format!("<script src=\"{}\" defer></script>\n", f.path(Kind::Script, i)));
    }
    let mut body = String::new();
    for i in 0..f.fonts {
        body.push_str(&format!("<p class=\"font-{i}\">Text set in web font {i}: fonts are requests too.</p>\n"));
    }
    for i in 0..f.images {
        let side = 24 + (i * 13) % 72;
        body.push_str(&format!("<img src=\"{}\" width=\"{side}\" height=\"{side}\" alt=\"Image {i}\">\n", f.path(Kind::Image, i)));
    }
    for i in 0..f.iframes {
        body.push_str(&format!(
            "<iframe src=\"{}\" title=\"Embedded frame {i}\" width=\"200\" height=\"60\"></iframe>\n",
            f.path(Kind::Iframe, i)
        ));
    }
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Fixture page: {name}</title>\n\
         <link rel=\"icon\" href=\"data:,\">\n{head}</head>\n<body>\n<h1>The “{name}” fixture page</h1>\n\
         <p>This page makes exactly {total} requests; <a href=\"{base}/manifest.json\">its manifest</a> lists them.</p>\n{body}</body>\n</html>\n",
        name = f.name,
        total = f.manifest().total,
        base = f.base(),
    )
}

fn stylesheet(f: &Fixture, i: usize) -> String {
    let mut css = format!("/* fixture {} stylesheet {i} */\nbody {{ margin: 1rem; }}\n.rule-{i} {{ color: #334155; }}\n", f.name);
    if i == 0 {
        for font in 0..f.fonts {
            css.push_str(&format!(
                "@font-face {{ font-family: \"Fixture{font}\"; src: url(\"{}\") format(\"truetype\"); }}\n.font-{font} {{ font-family: \"Fixture{font}\", sans-serif; }}\n",
                f.path(Kind::Font, font)
            ));
        }
    }
    css.push_str(&"/* padding to a realistic size */\n".repeat(20 + i * 7));
    css
}

fn script(f: &Fixture, i: usize) -> String {
    let mut js = format!("// fixture {} script {i}\nwindow.__fixtureScripts = (window.__fixtureScripts || 0) + 1;\n", f.name);
    if i == 0 && f.fetches > 0 {
        js.push_str(&format!(
            "for (let i = 0; i < {n}; i++) fetch(\"{base}/fetch/\" + i + \".json\").then((r) => r.text());\n",
            n = f.fetches,
            base = f.base()
        ));
    }
    js.push_str(&"// padding to a realistic size\n".repeat(30 + i * 11));
    js
}

fn frame(f: &Fixture, i: usize) -> String {
    format!("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Frame {i}</title></head><body><p>Embedded frame {i} of the {} page: one more document request.</p></body></html>\n", f.name)
}
