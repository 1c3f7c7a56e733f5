//! Cookies: see them, set them (with attributes), delete them, and a counter
//! that remembers you across stateless requests.

use crate::echo::{json, Received};
use crate::error::LabError;
use crate::params::clip;
use crate::timing::Work;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use roundtrip_model::echo::{parse_urlencoded, Pairs};

/// Where the lab's cookies live unless a Path is given.
pub const DEFAULT_PATH: &str = "/lab";
const MAX_COOKIES: usize = 20;

pub async fn cookies(req: Request) -> Response {
    let work = Work::start(&req);
    let received = Received::head(req);
    json(work, serde_json::json!({ "cookies": Pairs(received.cookies()) }))
}

/// `cookies/set?name=value&…` with attributes `Path`, `Max-Age`, `SameSite`,
/// `HttpOnly`, `Secure` (names case-insensitive), then redirects to
/// `/lab/cookies` so the next request shows what the browser kept.
pub async fn set(req: Request) -> Result<Response, LabError> {
    let work = Work::start(&req);
    let pairs = parse_urlencoded(req.uri().query().unwrap_or(""));
    let (attrs, cookies): (Vec<_>, Vec<_>) = pairs.into_iter().partition(|(k, _)| is_attribute(k));
    if cookies.is_empty() || cookies.len() > MAX_COOKIES {
        return Err(LabError::BadParam { name: "cookies", value: cookies.len().to_string(), allowed: "from 1 to 20 name=value pairs" });
    }
    let attributes = attributes(&attrs)?;
    let mut res = to_cookies();
    for (name, value) in cookies {
        check_cookie(&name, &value)?;
        append_cookie(&mut res, &format!("{name}={value}{attributes}"))?;
    }
    Ok(work.finish(res))
}

/// `cookies/delete?name&…`: expires them (at `Path`, default `/lab`).
pub async fn delete(req: Request) -> Result<Response, LabError> {
    let work = Work::start(&req);
    let pairs = parse_urlencoded(req.uri().query().unwrap_or(""));
    let path = pairs.iter().find(|(k, _)| k.eq_ignore_ascii_case("path")).map_or(DEFAULT_PATH.to_owned(), |(_, v)| v.clone());
    check_path(&path)?;
    let mut res = to_cookies();
    for (name, _) in pairs.iter().filter(|(k, _)| !is_attribute(k)).take(MAX_COOKIES) {
        check_cookie(name, "")?;
        append_cookie(&mut res, &format!("{name}=; Path={path}; Max-Age=0"))?;
    }
    Ok(work.finish(res))
}

/// Counts visits in a cookie: the server forgets you, the cookie does not.
pub async fn counter(req: Request) -> Result<Response, LabError> {
    let work = Work::start(&req);
    let received = Received::head(req);
    let previous = received.cookies().iter().rev().find(|(k, _)| k == "visits").and_then(|(_, v)| v.parse::<u64>().ok());
    let visits = previous.map_or(1, |n| n.saturating_add(1));
    let message = match previous {
        None => "First visit: your request carried no visits cookie, so the server sets one.".to_owned(),
        Some(n) => format!("Your browser sent visits={n}; the server does not remember you, it read the cookie and adds one."),
    };
    let mut res = json(work, serde_json::json!({ "visits": visits, "first_visit": previous.is_none(), "message": message }));
    append_cookie(&mut res, &format!("visits={visits}; Path={DEFAULT_PATH}; Max-Age=86400; SameSite=Lax"))?;
    Ok(res)
}

fn to_cookies() -> Response {
    (StatusCode::FOUND, [(header::LOCATION, HeaderValue::from_static("/lab/cookies"))]).into_response()
}

fn append_cookie(res: &mut Response, line: &str) -> Result<(), LabError> {
    let v =
        HeaderValue::from_str(line).map_err(|_| LabError::BadParam { name: "cookie", value: clip(line), allowed: "printable ASCII" })?;
    res.headers_mut().append(header::SET_COOKIE, v);
    Ok(())
}

fn is_attribute(key: &str) -> bool {
    ["path", "max-age", "samesite", "httponly", "secure", "expires", "domain"].iter().any(|a| key.eq_ignore_ascii_case(a))
}

/// The attributes as `; Path=/lab; Max-Age=60…`, checked.
fn attributes(attrs: &[(String, String)]) -> Result<String, LabError> {
    let mut out = String::new();
    let mut has_path = false;
    let (mut secure, mut same_site_none) = (false, false);
    for (key, value) in attrs {
        match key.to_ascii_lowercase().as_str() {
            "path" => {
                check_path(value)?;
                has_path = true;
                out.push_str(&format!("; Path={value}"));
            }
            "max-age" => {
                let n: i64 = crate::params::bounded("Max-Age", value, -1, 31_536_000, "a number of seconds from -1 to 31536000")?;
                out.push_str(&format!("; Max-Age={n}"));
            }
            "samesite" => {
                let v = match value.to_ascii_lowercase().as_str() {
                    "strict" => "Strict",
                    "lax" => "Lax",
                    "none" => "None",
                    _ => return Err(LabError::BadParam { name: "SameSite", value: clip(value), allowed: "Strict, Lax or None" }),
                };
                same_site_none = v == "None";
                out.push_str(&format!("; SameSite={v}"));
            }
            "httponly" => out.push_str("; HttpOnly"),
            "secure" => {
                secure = true;
                out.push_str("; Secure");
            }
            other => {
                return Err(LabError::BadParam {
                    name: if other == "domain" { "Domain" } else { "Expires" },
                    value: clip(value),
                    allowed: "left out: the lab sets host-only cookies, with Max-Age for lifetime",
                })
            }
        }
    }
    if same_site_none && !secure {
        return Err(LabError::BadParam {
            name: "SameSite",
            value: "None".into(),
            allowed: "used with Secure: browsers reject SameSite=None without it",
        });
    }
    if !has_path {
        out.push_str(&format!("; Path={DEFAULT_PATH}"));
    }
    Ok(out)
}

fn check_path(path: &str) -> Result<(), LabError> {
    if path.starts_with('/') && path.len() <= 200 && path.chars().all(|c| c.is_ascii_graphic() && c != ';') {
        Ok(())
    } else {
        Err(LabError::BadParam { name: "Path", value: clip(path), allowed: "a path starting with / (no spaces or ;)" })
    }
}

/// Names are tokens; values are cookie-octets (RFC 6265), at most 1 KiB each.
fn check_cookie(name: &str, value: &str) -> Result<(), LabError> {
    let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    let octet = |c: char| c.is_ascii_graphic() && !"\",;\\".contains(c);
    if name.is_empty() || name.len() > 256 || !name.chars().all(token) {
        return Err(LabError::BadParam { name: "cookie name", value: clip(name), allowed: "letters, digits and !#$%&'*+-.^_`|~" });
    }
    if value.len() > 1024 || !value.chars().all(octet) {
        return Err(LabError::BadParam {
            name: "cookie value",
            value: clip(value),
            allowed: "at most 1024 printable characters without spaces, quotes, commas, semicolons or backslashes",
        });
    }
    Ok(())
}
