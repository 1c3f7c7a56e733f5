//! `/lab/notes`: a small list of notes per visitor, in memory, for the
//! methods lesson. Each method earns the status code HTTP gives it: 200, 201
//! (with Location), 204, 404, 405 (with Allow), 409.

use crate::echo::{json, Received};
use crate::error::LabError;
use crate::params::Path;
use crate::shared::Shared;
use crate::timing::Work;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use roundtrip_model::replies::{ErrorReply, NoteList};
use std::sync::Arc;

/// The cookie that tells visitors' lists apart.
pub const COOKIE: &str = "rt_notes";
pub const MAX_NOTES: usize = 20;
pub const MAX_TEXT: usize = 200;
/// Lists kept at once; the least recently used goes first.
pub const MAX_VISITORS: usize = 2000;
/// Lists one client (IP address) may own at once: a class of 40 fills the
/// store only if each makes 50.
pub const PER_CLIENT: usize = 50;

/// One note: the type the app reads, shared through the model.
pub use roundtrip_model::replies::Note;

#[derive(Default, serde::Serialize, serde::Deserialize)]
pub struct Notes {
    next_id: u32,
    notes: Vec<Note>,
}

pub type Lists = Arc<Shared<Notes>>;

/// What a request body may say about a note.
#[derive(Default)]
struct Fields {
    text: Option<String>,
    done: Option<bool>,
}

/// `GET` the list, `POST` a new note; anything else is 405.
pub async fn collection(State(lists): State<Lists>, req: Request) -> Result<Response, LabError> {
    let work = Work::start(&req);
    let method = req.method().clone();
    let received = Received::read(req).await?;
    let client = crate::fair::client_of_extensions(&received.parts.extensions);
    let (visitor, fresh) = visitor(&lists, &received, client).await?;
    let res = match method {
        Method::GET | Method::HEAD => {
            lists
                .update(&visitor, client, Notes::default, |n| {
                    json(work, NoteList { notes: n.notes.clone(), count: n.notes.len(), limit: MAX_NOTES })
                })
                .await?
        }
        Method::POST => match fields(&received.body) {
            Err(message) => problem(work, StatusCode::BAD_REQUEST, &message),
            Ok(f) => lists.update(&visitor, client, Notes::default, |n| create(work, n, f)).await?,
        },
        _ => return Err(LabError::MethodNotAllowed { allowed: "GET, POST" }),
    };
    Ok(with_cookie(res, fresh.then_some(&visitor)))
}

/// `GET`, `PUT`, `PATCH` or `DELETE` one note.
pub async fn item(State(lists): State<Lists>, Path(id): Path<String>, req: Request) -> Result<Response, LabError> {
    let work = Work::start(&req);
    let method = req.method().clone();
    if !matches!(method, Method::GET | Method::HEAD | Method::PUT | Method::PATCH | Method::DELETE) {
        return Err(LabError::MethodNotAllowed { allowed: "GET, PUT, PATCH, DELETE" });
    }
    let id: u32 = crate::params::bounded("id", &id, 1, 1_000_000, "a note number from 1 to 1000000")?;
    let received = Received::read(req).await?;
    let client = crate::fair::client_of_extensions(&received.parts.extensions);
    let (visitor, fresh) = visitor(&lists, &received, client).await?;
    let body = if matches!(method, Method::PUT | Method::PATCH) { Some(fields(&received.body)) } else { None };
    let res = lists
        .update(&visitor, client, Notes::default, |n| {
            let Some(at) = n.notes.iter().position(|note| note.id == id) else {
                return problem(work, StatusCode::NOT_FOUND, &format!("There is no note {id} in your list."));
            };
            match (method, body) {
                (_, Some(Err(message))) => problem(work, StatusCode::BAD_REQUEST, &message),
                (Method::DELETE, _) => {
                    n.notes.remove(at);
                    work.finish(StatusCode::NO_CONTENT.into_response())
                }
                (Method::PUT, Some(Ok(f))) => match f.text {
                    None => problem(
                        work,
                        StatusCode::BAD_REQUEST,
                        "PUT replaces the whole note: send its text, e.g. {\"text\": \"…\", \"done\": false}.",
                    ),
                    Some(text) => match conflict(n, &text, id) {
                        Some(message) => problem(work, StatusCode::CONFLICT, &message),
                        None => {
                            n.notes[at] = Note { id, text, done: f.done.unwrap_or(false) };
                            json(work, &n.notes[at])
                        }
                    },
                },
                (Method::PATCH, Some(Ok(f))) => {
                    if f.text.is_none() && f.done.is_none() {
                        return problem(work, StatusCode::BAD_REQUEST, "PATCH changes part of a note: send text, done, or both.");
                    }
                    if let Some(message) = f.text.as_deref().and_then(|t| conflict(n, t, id)) {
                        return problem(work, StatusCode::CONFLICT, &message);
                    }
                    let note = &mut n.notes[at];
                    if let Some(text) = f.text {
                        note.text = text;
                    }
                    if let Some(done) = f.done {
                        note.done = done;
                    }
                    json(work, &n.notes[at])
                }
                _ => json(work, &n.notes[at]),
            }
        })
        .await?;
    Ok(with_cookie(res, fresh.then_some(&visitor)))
}

fn create(work: Work, n: &mut Notes, f: Fields) -> Response {
    let Some(text) = f.text else {
        return problem(work, StatusCode::BAD_REQUEST, "A new note needs its text: send {\"text\": \"…\"}.");
    };
    if let Some(message) = conflict(n, &text, 0) {
        return problem(work, StatusCode::CONFLICT, &message);
    }
    if n.notes.len() >= MAX_NOTES {
        return problem(work, StatusCode::CONFLICT, &format!("Your list is full ({MAX_NOTES} notes): delete one first."));
    }
    n.next_id += 1;
    let note = Note { id: n.next_id, text, done: f.done.unwrap_or(false) };
    let location = format!("/lab/notes/{}", note.id);
    n.notes.push(note.clone());
    let mut res = json(work, &note);
    *res.status_mut() = StatusCode::CREATED;
    if let Ok(v) = HeaderValue::from_str(&location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

/// Another note (not `id`) already says `text`.
fn conflict(n: &Notes, text: &str, id: u32) -> Option<String> {
    n.notes
        .iter()
        .find(|note| note.id != id && note.text == text)
        .map(|other| format!("Note {} already says “{}”: the list keeps each text once.", other.id, text))
}

/// Reads `{"text": "…", "done": true}` (either field may be missing).
fn fields(body: &[u8]) -> Result<Fields, String> {
    let usage = "Send JSON such as {\"text\": \"Buy milk\", \"done\": false}";
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|_| format!("The body is not JSON. {usage}."))?;
    let object = value.as_object().ok_or_else(|| format!("The body is JSON but not an object. {usage}."))?;
    let text = match object.get("text") {
        None => None,
        Some(serde_json::Value::String(t)) => {
            let t = t.trim();
            if t.is_empty() {
                return Err("The text is empty.".into());
            }
            if t.chars().count() > MAX_TEXT {
                return Err(format!("The text is longer than {MAX_TEXT} characters."));
            }
            Some(t.to_owned())
        }
        Some(_) => return Err("text must be a string.".into()),
    };
    let done = match object.get("done") {
        None => None,
        Some(serde_json::Value::Bool(b)) => Some(*b),
        Some(_) => return Err("done must be true or false.".into()),
    };
    Ok(Fields { text, done })
}

/// The visitor's list key from the cookie, or a new list (true: set the cookie).
async fn visitor(lists: &Lists, received: &Received, client: std::net::IpAddr) -> Result<(String, bool), LabError> {
    let cookie = received.cookies().into_iter().rev().find(|(k, _)| k == COOKIE).map(|(_, v)| v);
    if let Some(v) = cookie {
        if lists.exists(&v).await? {
            return Ok((v, false));
        }
    }
    Ok((lists.insert(client, Notes::default()).await?, true))
}

fn with_cookie(mut res: Response, visitor: Option<&String>) -> Response {
    if let Some(v) = visitor {
        let cookie = cookie::Cookie::build((COOKIE, v.clone()))
            .path("/lab/notes")
            .max_age(cookie::time::Duration::DAY)
            .http_only(true)
            .same_site(cookie::SameSite::Lax);
        // A token is hex digits: always a valid header value.
        let _ = crate::cookies::append_cookie(&mut res, cookie);
    }
    res
}

pub fn problem(work: Work, status: StatusCode, message: &str) -> Response {
    let mut res = json(work, ErrorReply { error: message.to_string(), status: status.as_u16(), ..Default::default() });
    *res.status_mut() = status;
    res
}
