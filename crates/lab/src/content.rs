//! Content of every common kind, encodings, and the conditional requests
//! that make caching work.

use crate::echo::{json, Received};
use crate::error::LabError;
use crate::params::Path;
use crate::params::{bounded, clip};
use crate::random::Rng;
use crate::timing::Work;
use axum::extract::Request;
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::io::Write;

const HTML: &str = "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>A page from the lab</title></head>\n<body>\n<h1>Hello from the server</h1>\n<p>This HTML was written by the lab and sent as the body of an HTTP response with <code>Content-Type: text/html</code>. A browser that navigates here renders it; Roundtrip shows it to you as text.</p>\n<p>Every image, stylesheet and script a page names is one more request, and one more response.</p>\n</body>\n</html>\n";

const XML: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<slideshow title=\"How browsers talk to servers\" date=\"2026-11-24\" author=\"Roundtrip lab\">\n  <slide type=\"all\"><title>Request, then response</title></slide>\n  <slide type=\"all\">\n    <title>What a response carries</title>\n    <item>A status line</item>\n    <item>Headers</item>\n    <item>A body</item>\n  </slide>\n</slideshow>\n";

const ROBOTS: &str = "User-agent: *\nDisallow: /lab/deny\n";

/// `n` random bytes, made a piece of `piece` bytes at a time as the client
/// reads them: a client that stops reading holds one piece in the lab's
/// memory, not the whole body. The generator is this request's own and not
/// secret (see `random`).
pub fn random_body(n: usize, piece: usize) -> axum::body::Body {
    let pieces = futures_util::stream::unfold((Rng::new(), n), move |(mut rng, left)| async move {
        let size = left.min(piece);
        (size > 0).then(|| {
            let mut bytes = vec![0u8; size];
            rng.fill(&mut bytes);
            (Ok::<_, std::convert::Infallible>(axum::body::Bytes::from(bytes)), (rng, left - size))
        })
    });
    axum::body::Body::from_stream(pieces)
}

pub fn typed(work: Work, content_type: &'static str, body: impl Into<axum::body::Body>) -> Response {
    work.finish(([(header::CONTENT_TYPE, HeaderValue::from_static(content_type))], body.into()).into_response())
}

pub async fn html(req: Request) -> Response {
    typed(Work::start(&req), "text/html; charset=utf-8", HTML)
}

pub async fn xml(req: Request) -> Response {
    typed(Work::start(&req), "application/xml", XML)
}

pub async fn robots(req: Request) -> Response {
    typed(Work::start(&req), "text/plain; charset=utf-8", ROBOTS)
}

/// httpbin's `/json` shape: a slideshow.
pub async fn json_doc(req: Request) -> Response {
    json(
        Work::start(&req),
        serde_json::json!({
            "slideshow": {
                "author": "Roundtrip lab",
                "date": "2026-11-24",
                "title": "How browsers talk to servers",
                "slides": [
                    { "title": "Request, then response", "type": "all" },
                    { "title": "What a response carries", "type": "all", "items": ["A status line", "Headers", "A body"] }
                ]
            }
        }),
    )
}

/// `bytes/{n}`: n random bytes.
pub async fn bytes(Path(n): Path<String>, req: Request) -> Result<Response, LabError> {
    let mut work = Work::start(&req);
    let n: usize = bounded("n", &n, 0, 10 * 1024 * 1024, "a whole number from 0 to 10485760")?;
    work.lap("generate", "Seed this request's own generator (the bytes are made as they are sent)");
    let mut res = typed(work, "application/octet-stream", random_body(n, 64 * 1024));
    res.headers_mut().insert(header::CONTENT_LENGTH, HeaderValue::from(n));
    Ok(res)
}

/// `image/{png|svg|webp}`.
pub async fn image(Path(kind): Path<String>, req: Request) -> Result<Response, LabError> {
    let mut work = Work::start(&req);
    let (content_type, body): (&'static str, Vec<u8>) = match kind.as_str() {
        "png" => ("image/png", png(96, 64, stripe)),
        "svg" => ("image/svg+xml", SVG.as_bytes().to_vec()),
        "webp" => ("image/webp", roundtrip_model::base64::decode(WEBP_1X1).expect("a valid constant")),
        _ => return Err(LabError::BadParam { name: "type", value: clip(&kind), allowed: "png, svg or webp" }),
    };
    work.lap("encode", "Produce the image");
    Ok(typed(work, content_type, body))
}

const SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"96\" height=\"64\" viewBox=\"0 0 96 64\"><rect width=\"96\" height=\"64\" rx=\"8\" fill=\"#1d4ed8\"/><path d=\"M20 26h46l-10-10M76 38H30l10 10\" fill=\"none\" stroke=\"#fff\" stroke-width=\"6\" stroke-linecap=\"round\" stroke-linejoin=\"round\"/></svg>\n";

/// The smallest lossless WebP: one transparent pixel.
const WEBP_1X1: &str = "UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==";

/// The lab's colours, in diagonal stripes.
pub fn stripe(x: u32, y: u32) -> [u8; 3] {
    const COLOURS: [[u8; 3]; 4] = [[29, 78, 216], [34, 197, 94], [245, 158, 11], [219, 39, 119]];
    COLOURS[((x + y) / 16 % 4) as usize]
}

/// A truecolour PNG made by `pixel`.
pub fn png(width: u32, height: u32, pixel: impl Fn(u32, u32) -> [u8; 3]) -> Vec<u8> {
    let mut raw = Vec::with_capacity(((width * 3 + 1) * height) as usize);
    for y in 0..height {
        raw.push(0); // filter: none
        for x in 0..width {
            raw.extend_from_slice(&pixel(x, y));
        }
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(&raw).expect("writing to memory");
    let idat = z.finish().expect("writing to memory");
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB
    for (kind, data) in [(b"IHDR", &ihdr[..]), (b"IDAT", &idat[..]), (b"IEND", &[][..])] {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&crc.sum().to_be_bytes());
    }
    out
}

#[derive(Clone, Copy)]
pub enum Coding {
    Gzip,
    Deflate,
    Brotli,
}

/// `gzip`, `deflate`, `brotli`: the echo, compressed whatever the request's
/// Accept-Encoding says (as httpbin does), with `Content-Encoding` set.
pub async fn encoded(coding: Coding, req: Request) -> Response {
    let mut work = Work::start(&req);
    let received = Received::head(req);
    let (flag, name) = match coding {
        Coding::Gzip => ("gzipped", "gzip"),
        Coding::Deflate => ("deflated", "deflate"),
        Coding::Brotli => ("brotli", "br"),
    };
    let body = serde_json::to_vec_pretty(&serde_json::json!({
        flag: true,
        "headers": roundtrip_model::echo::Pairs(received.header_list()),
        "method": received.parts.method.as_str(),
        "origin": received.origin(),
    }))
    .expect("serializes");
    let compressed = compress(coding, &body);
    work.lap("compress", "Compress the body");
    let res = (
        [(header::CONTENT_TYPE, HeaderValue::from_static("application/json")), (header::CONTENT_ENCODING, HeaderValue::from_static(name))],
        compressed,
    )
        .into_response();
    work.finish(res)
}

pub fn compress(coding: Coding, body: &[u8]) -> Vec<u8> {
    match coding {
        Coding::Gzip => {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            e.write_all(body).expect("in memory");
            e.finish().expect("in memory")
        }
        // HTTP's "deflate" is the zlib format.
        Coding::Deflate => {
            let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
            e.write_all(body).expect("in memory");
            e.finish().expect("in memory")
        }
        Coding::Brotli => {
            let mut out = Vec::new();
            {
                let mut w = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
                w.write_all(body).expect("in memory");
            }
            out
        }
    }
}

/// `etag/{etag}`: 304 when If-None-Match matches, 412 when If-Match does
/// not, else 200 with that ETag.
pub async fn etag(Path(tag): Path<String>, req: Request) -> Result<Response, LabError> {
    let work = Work::start(&req);
    if tag.is_empty() || tag.len() > 128 || !tag.chars().all(|c| c.is_ascii_graphic() && c != '"') {
        return Err(LabError::BadParam { name: "etag", value: clip(&tag), allowed: "1 to 128 printable characters without quotes" });
    }
    let quoted = format!("\"{tag}\"");
    let matches = |h: header::HeaderName| {
        req.headers().get(h).and_then(|v| v.to_str().ok()).map(|v| {
            v.split(',').any(|t| {
                let t = t.trim();
                t == "*" || t.trim_start_matches("W/") == quoted
            })
        })
    };
    let etag_header = HeaderValue::from_str(&quoted).expect("checked characters");
    if matches(header::IF_NONE_MATCH) == Some(true) {
        return Ok(work.finish((StatusCode::NOT_MODIFIED, [(header::ETAG, etag_header)]).into_response()));
    }
    if matches(header::IF_MATCH) == Some(false) {
        return Ok(work.finish((StatusCode::PRECONDITION_FAILED, [(header::ETAG, etag_header)]).into_response()));
    }
    let received = Received::head(req);
    let mut res = json(work, received.echo());
    res.headers_mut().insert(header::ETAG, etag_header);
    Ok(res)
}

/// `cache`: any conditional request gets 304; otherwise 200 with validators.
pub async fn cache(req: Request) -> Response {
    let work = Work::start(&req);
    let conditional = req.headers().contains_key(header::IF_MODIFIED_SINCE) || req.headers().contains_key(header::IF_NONE_MATCH);
    if conditional {
        return work.finish(StatusCode::NOT_MODIFIED.into_response());
    }
    let received = Received::head(req);
    let mut res = json(work, received.echo());
    let h = res.headers_mut();
    h.insert(header::LAST_MODIFIED, HeaderValue::from_static("Mon, 23 Nov 2026 12:00:00 GMT"));
    h.insert(header::ETAG, HeaderValue::from_static("\"roundtrip-cache-1\""));
    res
}

/// `cache/{n}`: cacheable for n seconds.
pub async fn cache_for(Path(n): Path<String>, req: Request) -> Result<Response, LabError> {
    let work = Work::start(&req);
    let n: u32 = bounded("n", &n, 0, 31_536_000, "a number of seconds from 0 to 31536000")?;
    let received = Received::head(req);
    let mut res = json(work, received.echo());
    let value = HeaderValue::from_str(&format!("public, max-age={n}")).expect("digits");
    res.headers_mut().insert(header::CACHE_CONTROL, value);
    Ok(res)
}

/// Why `response-headers` will not send `name`, if it will not. A link to
/// this endpoint is a link to the app's own origin, so nothing in it may turn
/// the answer into a page, move the browser, or touch the learner's data.
pub fn refusal(name: &HeaderName) -> Option<&'static str> {
    let n = name.as_str();
    let why = match n {
        "content-type" => "this answer is JSON and says so once. A second Content-Type could make a browser treat the echoed query as a page and run it on this origin; /lab/html, /lab/xml and /lab/image/svg show other types",
        "content-length" | "transfer-encoding" => "it frames the message: a wrong value would cut or corrupt this answer and the next one on the connection",
        "connection" | "keep-alive" | "upgrade" | "te" | "trailer" | "host" | "proxy-connection" => "it manages the connection, which is the server's business, not the answer's",
        "content-encoding" => "the body is not compressed, so the browser would fail to decode it; /lab/gzip, /lab/deflate and /lab/brotli send real compressed bodies",
        "location" | "refresh" => "it would send the browser on to a URL of your choosing: an open redirect. /lab/redirect-to redirects, and only within this origin",
        "set-cookie" | "set-cookie2" => "anyone could plant a cookie with a link. /lab/cookies/set sets cookies, after checking the name, the value and each attribute",
        "clear-site-data" => "any link could wipe a learner's progress, storage and session on this origin",
        "alt-svc" => "it would point the browser's later connections at another host or port",
        "link" | "speculation-rules" => "it can make the browser fetch other URLs (preload, prefetch, prerender) on the learner's behalf",
        "content-disposition" => "it would make the browser save the lab's answer as a file under a name you choose",
        "nel" | "report-to" | "reporting-endpoints" => "it would make the browser send reports to a URL you choose",
        "date" => "the server's own clock sets it, once",
        "server-timing" | "timing-allow-origin" => "the lab sets it itself: the timings lessons measure come from it",
        "content-security-policy" | "content-security-policy-report-only" | "x-content-type-options" | "referrer-policy"
        | "cross-origin-opener-policy" | "cross-origin-embedder-policy" | "cross-origin-resource-policy" | "x-frame-options"
        | "permissions-policy" | "feature-policy" | "origin-agent-cluster" | "strict-transport-security" | "x-xss-protection"
        | "service-worker-allowed" | "x-permitted-cross-domain-policies" => {
            "it is a security header the lab sets itself; another value could weaken what keeps learners safe"
        }
        n if n.starts_with("access-control-") => "CORS is the lab's own: it decides which origins may read answers, and with credentials",
        _ => return None,
    };
    Some(why)
}

/// `response-headers?Name=value`: sends the headers asked for.
pub async fn response_headers(req: Request) -> Result<Response, LabError> {
    let work = Work::start(&req);
    let pairs = roundtrip_model::echo::parse_urlencoded(req.uri().query().unwrap_or(""));
    if pairs.len() > 20 {
        return Err(LabError::BadParam { name: "headers", value: pairs.len().to_string(), allowed: "at most 20 headers" });
    }
    let mut set = Vec::with_capacity(pairs.len());
    for (k, v) in &pairs {
        let name = HeaderName::from_bytes(k.as_bytes()).map_err(|_| LabError::BadParam {
            name: "header name",
            value: clip(k),
            allowed: "a header name: letters, digits and !#$%&'*+-.^_`|~, no spaces",
        })?;
        if let Some(why) = refusal(&name) {
            return Err(LabError::RefusedHeader { name: clip(k), why });
        }
        let value = HeaderValue::from_str(v).ok().filter(|_| v.len() <= 1024).ok_or_else(|| LabError::BadParam {
            name: "header value",
            value: clip(v),
            allowed: "at most 1024 visible ASCII characters",
        })?;
        set.push((name, value));
    }
    let mut res = json(work, roundtrip_model::echo::Pairs(pairs));
    for (name, value) in set {
        res.headers_mut().append(name, value);
    }
    Ok(res)
}
