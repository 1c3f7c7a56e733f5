//! The rest of httpbin's vocabulary: `uuid`, `base64/{value}`,
//! `links/{n}[/{offset}]`, `range/{n}` (with `Range` and 206),
//! `encoding/utf8`, `stream-bytes/{n}`, `image` by `Accept`, `deny`. Same
//! bounds and JSON 400s as every other endpoint; nothing a parameter carries
//! is ever served as a page.

use crate::content::{random_body, typed};
use crate::echo::json;
use crate::error::LabError;
use crate::params::{bounded, clip, query_or, Path, Query};
use crate::timing::Work;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use std::collections::HashMap;

/// `uuid`: a version 4 UUID (122 random bits from the OS source).
pub async fn uuid(req: Request) -> Response {
    let mut work = Work::start(&req);
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).expect("the operating system's random source is available");
    b[6] = (b[6] & 0x0f) | 0x40; // version 4
    b[8] = (b[8] & 0x3f) | 0x80; // RFC 9562 variant
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    let id = format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32]);
    work.lap("generate", "Draw 122 random bits");
    json(work, serde_json::json!({ "uuid": id }))
}

/// The longest value `base64/{value}` decodes.
pub const BASE64_MAX: usize = 4096;

/// `base64/{value}`: the value decoded (standard or URL-safe alphabet), as
/// plain text. httpbin answers with HTML; the lab never lets a URL choose a
/// page's markup.
pub async fn base64(Path(value): Path<String>, req: Request) -> Result<Response, LabError> {
    let mut work = Work::start(&req);
    let allowed = "base64 text (A–Z, a–z, 0–9, + or -, / or _, = padding) of at most 4096 characters that decodes to UTF-8 text";
    if value.len() > BASE64_MAX {
        return Err(LabError::BadParam { name: "value", value: clip(&value), allowed });
    }
    let standard: String = value
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    let padded = format!("{standard}{}", "=".repeat((4 - standard.len() % 4) % 4));
    let bytes =
        roundtrip_model::base64::decode(&padded).ok_or_else(|| LabError::BadParam { name: "value", value: clip(&value), allowed })?;
    let text = String::from_utf8(bytes).map_err(|_| LabError::BadParam { name: "value", value: clip(&value), allowed })?;
    work.lap("decode", "Decode the base64 text");
    Ok(typed(work, "text/plain; charset=utf-8", text))
}

/// `links/{n}`: a page of n links to its siblings, `links/{n}/{offset}` the
/// same page with link `offset` as plain text (where you are).
pub async fn links(Path(n): Path<String>, req: Request) -> Result<Response, LabError> {
    links_page(&n, "0", req)
}

pub async fn links_at(Path((n, offset)): Path<(String, String)>, req: Request) -> Result<Response, LabError> {
    links_page(&n, &offset, req)
}

fn links_page(n: &str, offset: &str, req: Request) -> Result<Response, LabError> {
    let mut work = Work::start(&req);
    let n: usize = bounded("n", n, 1, 200, "a whole number of links from 1 to 200")?;
    let at: usize = bounded("offset", offset, 0, 199, "a link number from 0 to 199")?;
    let items: String = (0..n)
        .map(|i| if i == at { format!("<li>{i}</li>") } else { format!("<li><a href=\"/lab/links/{n}/{i}\">{i}</a></li>") })
        .collect();
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Links</title></head><body><ol start=\"0\">{items}</ol></body></html>\n"
    );
    work.lap("render", "Write the page of links");
    Ok(typed(work, "text/html; charset=utf-8", html))
}

/// The longest `range/{n}` resource.
pub const RANGE_MAX: usize = 100 * 1024;

/// `range/{n}`: n bytes of the alphabet, repeated, that honour `Range:
/// bytes=…` (one range): 206 with `Content-Range`, 416 for a range outside.
pub async fn range(Path(n): Path<String>, req: Request) -> Result<Response, LabError> {
    let mut work = Work::start(&req);
    let n: usize = bounded("n", &n, 1, RANGE_MAX, "a whole number of bytes from 1 to 102400")?;
    let body: Vec<u8> = (0..n).map(|i| b'a' + (i % 26) as u8).collect();
    let asked = req.headers().get(header::RANGE).map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    work.lap("generate", "Make the resource");
    let etag = HeaderValue::from_str(&format!("\"range-{n}\"")).expect("digits");
    let mut res = match asked.as_deref().map(|r| parse_range(r, n)) {
        None => typed(work, "application/octet-stream", body),
        Some(Some((first, last))) => {
            let part = body[first..=last].to_vec();
            let mut res = typed(work, "application/octet-stream", part);
            *res.status_mut() = StatusCode::PARTIAL_CONTENT;
            let value = HeaderValue::from_str(&format!("bytes {first}-{last}/{n}")).expect("digits");
            res.headers_mut().insert(header::CONTENT_RANGE, value);
            res
        }
        Some(None) => {
            let reply = serde_json::json!({
                "error": format!("The range asked for is not within the {n} bytes of this resource (or is not one range of the form bytes=first-last, bytes=first- or bytes=-suffix)."),
                "status": 416,
            });
            let mut res = json(work, reply);
            *res.status_mut() = StatusCode::RANGE_NOT_SATISFIABLE;
            res.headers_mut().insert(header::CONTENT_RANGE, HeaderValue::from_str(&format!("bytes */{n}")).expect("digits"));
            res
        }
    };
    res.headers_mut().insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    res.headers_mut().insert(header::ETAG, etag);
    Ok(res)
}

/// One byte range of a resource of `len` bytes, as inclusive offsets
/// (RFC 9110 §14.1.2): `bytes=0-9`, `bytes=10-` (to the end), `bytes=-5`
/// (the last five). Several ranges, or one outside, is `None`.
pub fn parse_range(header: &str, len: usize) -> Option<(usize, usize)> {
    let spec = header.trim().strip_prefix("bytes=")?.trim();
    if spec.contains(',') || len == 0 {
        return None;
    }
    let (first, last) = spec.split_once('-')?;
    let (first, last) = (first.trim(), last.trim());
    if first.is_empty() {
        let suffix: usize = last.parse().ok().filter(|s| *s > 0)?;
        return Some((len.saturating_sub(suffix), len - 1));
    }
    let first: usize = first.parse().ok()?;
    let last: usize = if last.is_empty() { len - 1 } else { last.parse::<usize>().ok()?.min(len - 1) };
    (first <= last && first < len).then_some((first, last))
}

/// `encoding/utf8`: text in many scripts, to see how UTF-8 travels.
pub async fn utf8(req: Request) -> Response {
    typed(Work::start(&req), "text/plain; charset=utf-8", UTF8_SAMPLE)
}

const UTF8_SAMPLE: &str = "UTF-8: one encoding for every script. Each line below is sent as bytes; \
Content-Type says charset=utf-8, so the browser knows how to read them back.\n\n\
English      hello, world                      (1 byte a letter)\n\
French       déjà vu, garçon, œuvre             (é is 2 bytes: C3 A9)\n\
German       Grüße aus Köln                     \n\
Greek        Καλημέρα κόσμε                     (2 bytes a letter)\n\
Russian      Привет, мир                        \n\
Hebrew       שלום עולם                          (written right to left)\n\
Arabic       مرحبا بالعالم                      \n\
Hindi        नमस्ते दुनिया                        (3 bytes a letter)\n\
Chinese      你好，世界                          \n\
Japanese     こんにちは世界                      \n\
Korean       안녕하세요 세계                      \n\
Thai         สวัสดีชาวโลก                        \n\
Emoji        🌍 📨 🔒 ✅                         (4 bytes each)\n\
Maths        ∀x ∈ ℝ: x² ≥ 0                     \n\
Arrows       ← ↑ → ↓ ⇄                          \n";

/// `stream-bytes/{n}?chunk_size=`: n random bytes sent in chunks with no
/// Content-Length (chunked over HTTP/1.1, DATA frames over h2).
pub async fn stream_bytes(Path(n): Path<String>, Query(q): Query<HashMap<String, String>>, req: Request) -> Result<Response, LabError> {
    let mut work = Work::start(&req);
    let n: usize = bounded("n", &n, 0, 10 * 1024 * 1024, "a whole number from 0 to 10485760")?;
    let chunk: usize = query_or(&q, "chunk_size", 10 * 1024, 1, 64 * 1024, "a chunk size from 1 to 65536 bytes")?;
    work.lap("generate", "Seed this request's own generator (the bytes are made as they are sent)");
    Ok(typed(work, "application/octet-stream", random_body(n, chunk)))
}

/// `image`: the format the `Accept` header prefers (webp, svg, png; any
/// image or anything: png), 406 when it accepts none of them.
pub async fn image(req: Request) -> Result<Response, LabError> {
    let accept = req.headers().get(header::ACCEPT).map(|v| String::from_utf8_lossy(v.as_bytes()).to_ascii_lowercase()).unwrap_or_default();
    let kind = pick_image(&accept);
    match kind {
        Some(kind) => crate::content::image(Path(kind.to_owned()), req).await,
        None => {
            let work = Work::start(&req);
            let reply = serde_json::json!({
                "error": format!("This endpoint has images as image/webp, image/svg+xml and image/png; the request accepts none of them (Accept: {}).", clip(&accept)),
                "status": 406,
            });
            let mut res = json(work, reply);
            *res.status_mut() = StatusCode::NOT_ACCEPTABLE;
            Ok(res)
        }
    }
}

/// The image type an `Accept` value prefers: by q-value, then in the order
/// the header lists them; `image/*` and `*/*` get png. `q=0` refuses a type.
pub fn pick_image(accept: &str) -> Option<&'static str> {
    if accept.trim().is_empty() {
        return Some("png");
    }
    let mut best: Option<(f32, usize, &'static str)> = None;
    for (i, item) in accept.split(',').enumerate() {
        let mut parts = item.split(';');
        let media = parts.next().unwrap_or("").trim();
        let q = parts.filter_map(|p| p.trim().strip_prefix("q=")).find_map(|q| q.trim().parse::<f32>().ok()).unwrap_or(1.0);
        let kind = match media {
            "image/webp" => "webp",
            "image/svg+xml" => "svg",
            "image/png" | "image/*" | "*/*" => "png",
            _ => continue,
        };
        if q > 0.0 && best.is_none_or(|(bq, _, _)| q > bq) {
            best = Some((q, i, kind));
        }
    }
    best.map(|(_, _, k)| k)
}

/// `deny`: what robots.txt asks crawlers not to fetch.
pub async fn deny(req: Request) -> Response {
    typed(
        Work::start(&req),
        "text/plain; charset=utf-8",
        "This page is listed under Disallow in /lab/robots.txt: a polite crawler reads that file first and never asks for it.\nA browser asks anyway: robots.txt is a request to robots, not a lock.\n",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_follow_rfc_9110() {
        assert_eq!(parse_range("bytes=0-9", 26), Some((0, 9)));
        assert_eq!(parse_range("bytes=10-", 26), Some((10, 25)));
        assert_eq!(parse_range("bytes=-5", 26), Some((21, 25)));
        assert_eq!(parse_range("bytes=-50", 26), Some((0, 25)), "a suffix longer than the resource is all of it");
        assert_eq!(parse_range("bytes=20-100", 26), Some((20, 25)), "a last byte past the end is the end");
        assert_eq!(parse_range("bytes=26-30", 26), None, "starts outside");
        assert_eq!(parse_range("bytes=9-3", 26), None);
        assert_eq!(parse_range("bytes=0-1,5-6", 26), None, "one range only");
        assert_eq!(parse_range("items=0-1", 26), None);
        assert_eq!(parse_range("bytes=-0", 26), None);
        assert_eq!(parse_range("bytes=x-y", 26), None);
    }

    #[test]
    fn images_are_picked_by_accept() {
        assert_eq!(pick_image(""), Some("png"));
        assert_eq!(pick_image("image/webp,image/png,*/*;q=0.8"), Some("webp"));
        assert_eq!(pick_image("image/png;q=0.5, image/svg+xml"), Some("svg"));
        assert_eq!(pick_image("image/avif,image/*;q=0.8"), Some("png"));
        assert_eq!(pick_image("text/html"), None);
        assert_eq!(pick_image("image/webp;q=0"), None, "q=0 means not acceptable");
    }
}
