//! A login that sets a session cookie, for the authentication lesson:
//! `POST /lab/login`, `GET /lab/account` (401 until logged in), `GET
//! /lab/admin` (403 for the learner), `POST /lab/logout`.

use crate::echo::{json, Received};
use crate::error::LabError;
use crate::notes::problem;
use crate::shared::Shared;
use crate::timing::Work;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::Response;
use roundtrip_model::echo::parse_urlencoded;
use std::sync::Arc;

pub const COOKIE: &str = "rt_session";
/// The practice account the lesson tells learners about.
pub const USER: &str = "learner";
pub const PASSWORD: &str = "opensesame";
pub const MAX_SESSIONS: usize = 2000;
/// Sessions one client (IP address) may hold at once.
pub const PER_CLIENT: usize = 50;

pub type Sessions = Arc<Shared<String>>;

/// Checks `user` and `password` (form-encoded or JSON); right → 200 and a
/// session cookie, wrong → 401.
pub async fn login(State(sessions): State<Sessions>, req: Request) -> Result<Response, LabError> {
    let work = Work::start(&req);
    if req.method() != Method::POST {
        return Err(LabError::MethodNotAllowed { allowed: "POST" });
    }
    let received = Received::read(req).await?;
    let (user, password) = credentials(&received.body);
    if user.as_deref() != Some(USER) || password.as_deref() != Some(PASSWORD) {
        return Ok(challenge(problem(work, StatusCode::UNAUTHORIZED, "Wrong user name or password.")));
    }
    let token = sessions.insert(crate::fair::client_of_extensions(&received.parts.extensions), USER.to_owned()).await?;
    let mut res = json(
        work,
        serde_json::json!({ "logged_in": true, "user": USER, "message": "The session cookie is set; the browser sends it with every request to /lab." }),
    );
    set_cookie(&mut res, token, cookie::time::Duration::HOUR);
    Ok(res)
}

/// 200 with who you are when the session cookie is good, else 401.
pub async fn account(State(sessions): State<Sessions>, req: Request) -> Result<Response, LabError> {
    let work = Work::start(&req);
    Ok(match user(&sessions, &Received::head(req)).await? {
        Some(user) => {
            json(work, serde_json::json!({ "user": user, "role": "learner", "message": "Your session cookie says who you are." }))
        }
        None => challenge(problem(work, StatusCode::UNAUTHORIZED, "Who are you? Log in first: POST /lab/login.")),
    })
}

/// Only administrators: 401 without a session, 403 with the learner's.
pub async fn admin(State(sessions): State<Sessions>, req: Request) -> Result<Response, LabError> {
    let work = Work::start(&req);
    Ok(match user(&sessions, &Received::head(req)).await? {
        Some(user) => {
            problem(work, StatusCode::FORBIDDEN, &format!("You are logged in as {user}, but this page is for administrators only."))
        }
        None => challenge(problem(work, StatusCode::UNAUTHORIZED, "Who are you? Log in first: POST /lab/login.")),
    })
}

/// Forgets the session and expires the cookie.
pub async fn logout(State(sessions): State<Sessions>, req: Request) -> Result<Response, LabError> {
    let work = Work::start(&req);
    if req.method() != Method::POST {
        return Err(LabError::MethodNotAllowed { allowed: "POST" });
    }
    if let Some(token) = token(&Received::head(req)) {
        sessions.remove(&token).await?;
    }
    let mut res = json(work, serde_json::json!({ "logged_in": false }));
    set_cookie(&mut res, String::new(), cookie::time::Duration::ZERO);
    Ok(res)
}

fn token(received: &Received) -> Option<String> {
    received.cookies().into_iter().rev().find(|(k, _)| k == COOKIE).map(|(_, v)| v)
}

async fn user(sessions: &Sessions, received: &Received) -> Result<Option<String>, LabError> {
    let Some(token) = token(received) else { return Ok(None) };
    Ok(sessions.read(&token, |user| user.clone()).await?)
}

/// `user=…&password=…`, or `{"user": …, "password": …}`.
fn credentials(body: &[u8]) -> (Option<String>, Option<String>) {
    if let Ok(serde_json::Value::Object(o)) = serde_json::from_slice(body) {
        let field = |k: &str| o.get(k).and_then(|v| v.as_str()).map(str::to_owned);
        return (field("user"), field("password"));
    }
    let pairs = parse_urlencoded(&String::from_utf8_lossy(body));
    let field = |k: &str| pairs.iter().find(|(name, _)| name == k).map(|(_, v)| v.clone());
    (field("user"), field("password"))
}

/// A 401 must say how to authenticate. Not `Basic`: that would make the
/// browser open its own login dialog instead of letting the page log in.
fn challenge(mut res: Response) -> Response {
    res.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Session realm=\"Roundtrip lab\", login=\"/lab/login\""));
    res
}

/// The session cookie: HttpOnly (no script reads it), SameSite=Lax (other
/// sites' requests do not carry it), for every path under `/lab`.
fn set_cookie(res: &mut Response, token: String, max_age: cookie::time::Duration) {
    let cookie = cookie::Cookie::build((COOKIE, token)).path("/lab").max_age(max_age).http_only(true).same_site(cookie::SameSite::Lax);
    // A token is hex digits: always a valid header value.
    let _ = crate::cookies::append_cookie(res, cookie);
}
