//! Authentication: 401 asks "who are you?", 403 says "I know, and no".

use crate::echo::json;
use crate::params::Path;
use crate::timing::Work;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;

fn credentials(req: &Request) -> Option<(String, String)> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, rest) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(roundtrip_model::base64::decode(rest.trim())?).ok()?;
    let (user, pass) = decoded.split_once(':')?;
    Some((user.to_owned(), pass.to_owned()))
}

fn with_status(mut res: Response, status: StatusCode) -> Response {
    *res.status_mut() = status;
    res
}

/// `basic-auth/{user}/{passwd}`: 200 with those credentials, else 401 with
/// a `WWW-Authenticate` challenge (a browser would show its login dialog).
pub async fn basic(Path((user, passwd)): Path<(String, String)>, req: Request) -> Response {
    let work = Work::start(&req);
    if credentials(&req) == Some((user.clone(), passwd)) {
        return json(work, serde_json::json!({ "authenticated": true, "user": user }));
    }
    let mut res = with_status(json(work, serde_json::json!({ "authenticated": false })), StatusCode::UNAUTHORIZED);
    res.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Basic realm=\"Roundtrip lab\", charset=\"UTF-8\""));
    res
}

/// `hidden-basic-auth/{user}/{passwd}`: a wrong login gets 404, hiding that
/// anything is there at all.
pub async fn hidden(Path((user, passwd)): Path<(String, String)>, req: Request) -> Response {
    let work = Work::start(&req);
    if credentials(&req) == Some((user.clone(), passwd)) {
        return json(work, serde_json::json!({ "authenticated": true, "user": user }));
    }
    with_status(json(work, serde_json::json!({ "error": "Not found" })), StatusCode::NOT_FOUND)
}

/// `bearer`: any Bearer token authenticates (401 without one). With
/// `?require=admin` the token must also be `admin`, else 403: known, but not
/// allowed.
pub async fn bearer(req: Request) -> Response {
    let work = Work::start(&req);
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, token)| scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty())
        .map(|(_, token)| token.trim().to_owned());
    let required =
        roundtrip_model::echo::parse_urlencoded(req.uri().query().unwrap_or("")).into_iter().find(|(k, _)| k == "require").map(|(_, v)| v);
    match (token, required) {
        (None, _) => {
            let mut res = with_status(json(work, serde_json::json!({ "authenticated": false })), StatusCode::UNAUTHORIZED);
            res.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            res
        }
        (Some(token), Some(role)) if token != role => with_status(
            json(work, serde_json::json!({ "authenticated": true, "token": token, "allowed": false, "requires": role })),
            StatusCode::FORBIDDEN,
        ),
        (Some(token), _) => json(work, serde_json::json!({ "authenticated": true, "token": token })),
    }
}
