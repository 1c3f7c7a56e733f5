//! Cookies: see them, set them (with attributes), delete them, and a counter
//! that remembers you across stateless requests.

use crate::echo::{json, Received};
use crate::error::LabError;
use crate::params::clip;
use crate::timing::Work;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use cookie::time::Duration;
use cookie::{Cookie, CookieBuilder, SameSite};
use roundtrip_model::echo::{parse_urlencoded, Pairs};

/// Where the lab's cookies live unless a Path is given.
pub const DEFAULT_PATH: &str = "/lab";
const MAX_COOKIES: usize = 20;

pub async fn cookies(req: Request) -> Response {
    let work = Work::start(&req);
    let received = Received::head(req);
    json(work, roundtrip_model::replies::CookieJar { cookies: Pairs(received.cookies()) })
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
        append_cookie(&mut res, attributes.apply(Cookie::build((name, value))))?;
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
        append_cookie(&mut res, Cookie::build((name.clone(), "")).path(path.clone()).max_age(Duration::ZERO))?;
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
    let mut res = json(work, roundtrip_model::replies::Counter { visits, first_visit: previous.is_none(), message });
    let cookie = Cookie::build(("visits", visits.to_string())).path(DEFAULT_PATH).max_age(Duration::DAY).same_site(SameSite::Lax);
    append_cookie(&mut res, cookie)?;
    Ok(res)
}

fn to_cookies() -> Response {
    (StatusCode::FOUND, [(header::LOCATION, HeaderValue::from_static("/lab/cookies"))]).into_response()
}

/// Adds a `Set-Cookie` line, written by the `cookie` crate.
pub fn append_cookie(res: &mut Response, cookie: impl Into<Cookie<'static>>) -> Result<(), LabError> {
    let line = cookie.into().to_string();
    let v =
        HeaderValue::from_str(&line).map_err(|_| LabError::BadParam { name: "cookie", value: clip(&line), allowed: "printable ASCII" })?;
    res.headers_mut().append(header::SET_COOKIE, v);
    Ok(())
}

fn is_attribute(key: &str) -> bool {
    ["path", "max-age", "samesite", "httponly", "secure", "expires", "domain"].iter().any(|a| key.eq_ignore_ascii_case(a))
}

/// The attributes a query asked for, checked.
#[derive(Default)]
struct Attributes {
    path: Option<String>,
    max_age: Option<i64>,
    same_site: Option<SameSite>,
    http_only: bool,
    secure: bool,
}

impl Attributes {
    fn apply(&self, cookie: CookieBuilder<'static>) -> CookieBuilder<'static> {
        let mut c = cookie.path(self.path.clone().unwrap_or_else(|| DEFAULT_PATH.to_owned()));
        if let Some(n) = self.max_age {
            c = c.max_age(Duration::seconds(n));
        }
        if let Some(s) = self.same_site {
            c = c.same_site(s);
        }
        c.http_only(self.http_only).secure(self.secure)
    }
}

/// Each attribute at most once (so a query cannot repeat one thousands of
/// times into every line), each value checked.
fn attributes(attrs: &[(String, String)]) -> Result<Attributes, LabError> {
    let mut out = Attributes::default();
    let mut seen: Vec<String> = Vec::new();
    for (key, value) in attrs {
        let lower = key.to_ascii_lowercase();
        if seen.contains(&lower) {
            return Err(LabError::BadParam {
                name: "attribute",
                value: clip(key),
                allowed: "given once: each cookie attribute appears at most once",
            });
        }
        seen.push(lower.clone());
        match lower.as_str() {
            "path" => {
                check_path(value)?;
                out.path = Some(value.clone());
            }
            "max-age" => {
                out.max_age = Some(crate::params::bounded("Max-Age", value, -1, 31_536_000, "a number of seconds from -1 to 31536000")?);
            }
            "samesite" => {
                out.same_site = Some(match value.to_ascii_lowercase().as_str() {
                    "strict" => SameSite::Strict,
                    "lax" => SameSite::Lax,
                    "none" => SameSite::None,
                    _ => return Err(LabError::BadParam { name: "SameSite", value: clip(value), allowed: "Strict, Lax or None" }),
                });
            }
            "httponly" => out.http_only = true,
            "secure" => out.secure = true,
            other => {
                return Err(LabError::BadParam {
                    name: if other == "domain" { "Domain" } else { "Expires" },
                    value: clip(value),
                    allowed: "left out: the lab sets host-only cookies, with Max-Age for lifetime",
                })
            }
        }
    }
    if out.same_site == Some(SameSite::None) && !out.secure {
        return Err(LabError::BadParam {
            name: "SameSite",
            value: "None".into(),
            allowed: "used with Secure: browsers reject SameSite=None without it",
        });
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
