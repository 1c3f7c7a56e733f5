//! Bounded parameters: every number the lab accepts has a range, and a value
//! outside it is a 400 that names the parameter and the range.

use crate::error::LabError;
use axum::extract::rejection::{FailedToDeserializePathParams, PathRejection};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::str::FromStr;

/// axum's `Path`, whose rejection is the lab's JSON 400 naming the parameter
/// (axum's own is plain text).
pub struct Path<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Path<T> {
    type Rejection = LabError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, LabError> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Path(v)),
            Err(PathRejection::FailedToDeserializePathParams(e)) => Err(path_error(&e)),
            Err(other) => Err(LabError::BadPath { name: String::new(), why: other.body_text() }),
        }
    }
}

fn path_error(e: &FailedToDeserializePathParams) -> LabError {
    use axum::extract::path::ErrorKind;
    match e.kind() {
        ErrorKind::InvalidUtf8InPathParam { key } => LabError::BadPath {
            name: clip(key),
            why: "is not text: its %-escapes decode to bytes that are not UTF-8 (such as %FF). Percent-encode text as UTF-8, e.g. é as %C3%A9"
                .into(),
        },
        _ => LabError::BadPath { name: String::new(), why: e.body_text() },
    }
}

/// axum's `Query`, with the lab's JSON 400.
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Query<T> {
    type Rejection = LabError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, LabError> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(Query(v)),
            Err(rejection) => Err(LabError::BadPath { name: "query".into(), why: rejection.body_text() }),
        }
    }
}

/// Parses `raw` as a `T` within `min..=max`.
pub fn bounded<T>(name: &'static str, raw: &str, min: T, max: T, allowed: &'static str) -> Result<T, LabError>
where
    T: FromStr + PartialOrd + Copy,
{
    raw.trim().parse::<T>().ok().filter(|v| *v >= min && *v <= max).ok_or_else(|| LabError::BadParam { name, value: clip(raw), allowed })
}

/// A query parameter parsed within bounds, or its default when absent.
pub fn query_or<T>(
    q: &HashMap<String, String>,
    name: &'static str,
    default: T,
    min: T,
    max: T,
    allowed: &'static str,
) -> Result<T, LabError>
where
    T: FromStr + PartialOrd + Copy,
{
    match q.get(name) {
        Some(raw) => bounded(name, raw, min, max, allowed),
        None => Ok(default),
    }
}

/// Error messages quote what was sent, but never more than a line of it.
pub fn clip(raw: &str) -> String {
    let mut s: String = raw.chars().take(80).collect();
    if s.len() < raw.len() {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_are_enforced_and_named() {
        assert_eq!(bounded("n", "5", 0u32, 10, "0 to 10").unwrap(), 5);
        match bounded("n", "11", 0u32, 10, "a whole number from 0 to 10") {
            Err(LabError::BadParam { name, value, allowed }) => {
                assert_eq!((name, value.as_str(), allowed), ("n", "11", "a whole number from 0 to 10"))
            }
            other => panic!("{other:?}"),
        }
        assert!(bounded("x", "NaN", 0.0f64, 1.0, "").is_err());
        assert!(bounded("x", "inf", 0.0f64, 1.0, "").is_err());
        assert_eq!(clip(&"y".repeat(200)).chars().count(), 81);
    }
}
