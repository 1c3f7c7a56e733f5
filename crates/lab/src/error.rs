//! Errors the lab answers with: always JSON, always a 4xx that says what to fix.

use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use roundtrip_model::replies::ErrorReply;

#[derive(Debug)]
pub enum LabError {
    /// No endpoint at this path.
    NotFound { path: String },
    /// The request body is larger than the lab reads.
    BodyTooLarge { limit: usize },
    /// The body could not be read (the client went away…).
    BodyUnreadable,
    /// This endpoint does not answer this method.
    MethodNotAllowed { allowed: &'static str },
    /// A path or query parameter outside what the lab allows.
    BadParam { name: &'static str, value: String, allowed: &'static str },
    /// `response-headers` was asked for a header it does not send, and why.
    RefusedHeader { name: String, why: &'static str },
    /// A path parameter axum could not read (not UTF-8, not decodable…).
    BadPath { name: String, why: String },
    /// A request that would make an answer far larger than itself.
    Amplified { message: String },
    /// This client already has its share of something limited running.
    Busy { message: String, retry_after: u32 },
    /// The shared store (Redis) did not answer.
    StoreUnavailable { why: String },
}

impl From<crate::shared::Unavailable> for LabError {
    fn from(e: crate::shared::Unavailable) -> LabError {
        LabError::StoreUnavailable { why: e.0 }
    }
}

impl IntoResponse for LabError {
    fn into_response(self) -> Response {
        if let LabError::MethodNotAllowed { allowed } = self {
            let body = ErrorReply { error: format!("This endpoint answers {allowed} only."), status: 405, ..Default::default() };
            return (StatusCode::METHOD_NOT_ALLOWED, [(axum::http::header::ALLOW, allowed)], Json(body)).into_response();
        }
        if let LabError::RefusedHeader { name, why } = self {
            let body = ErrorReply { error: format!("The lab will not send the header {name}: {why}."), status: 400, header: Some(name) };
            return (StatusCode::BAD_REQUEST, Json(body)).into_response();
        }
        if let LabError::Busy { message, retry_after } = self {
            let body = ErrorReply { error: message, status: 429, ..Default::default() };
            return (StatusCode::TOO_MANY_REQUESTS, [(axum::http::header::RETRY_AFTER, retry_after.to_string())], Json(body))
                .into_response();
        }
        let (status, message) = match self {
            LabError::MethodNotAllowed { .. } | LabError::RefusedHeader { .. } | LabError::Busy { .. } => unreachable!("answered above"),
            LabError::Amplified { message } => (StatusCode::BAD_REQUEST, message),
            LabError::BadPath { name, why } if name.is_empty() => {
                (StatusCode::BAD_REQUEST, format!("The URL's path could not be read: {why}."))
            }
            LabError::BadPath { name, why } if name == "query" => {
                (StatusCode::BAD_REQUEST, format!("The query string could not be read: {why}."))
            }
            LabError::BadPath { name, why } => (StatusCode::BAD_REQUEST, format!("The path parameter {name} {why}.")),
            LabError::NotFound { path } => (StatusCode::NOT_FOUND, format!("No lab endpoint at {path}. Try /lab/anything.")),
            LabError::BodyTooLarge { limit } => {
                (StatusCode::PAYLOAD_TOO_LARGE, format!("The request body is larger than the lab reads ({limit} bytes at most)."))
            }
            LabError::BodyUnreadable => (StatusCode::BAD_REQUEST, "The request body could not be read.".to_owned()),
            LabError::BadParam { name, value, allowed } => {
                (StatusCode::BAD_REQUEST, format!("The parameter {name} is “{value}”, but it must be {allowed}."))
            }
            LabError::StoreUnavailable { why } => (
                StatusCode::SERVICE_UNAVAILABLE,
                format!("The lab's shared store did not answer ({why}): notes and logins are unavailable until it is back."),
            ),
        };
        (status, Json(ErrorReply { error: message, status: status.as_u16(), ..Default::default() })).into_response()
    }
}

pub async fn unknown_endpoint(uri: Uri) -> LabError {
    LabError::NotFound { path: uri.path().to_owned() }
}
