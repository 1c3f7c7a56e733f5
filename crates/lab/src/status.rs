//! Status codes on demand: one, a weighted choice, or an unstable server.

use crate::echo::json;
use crate::error::LabError;
use crate::params::{bounded, clip, query_or};
use crate::params::{Path, Query};
use crate::random::Rng;
use crate::timing::Work;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use roundtrip_model::status::reason_phrase;
use std::collections::HashMap;

const CODE_RANGE: &str = "a status code from 200 to 599, or a list like 200:3,500:1 (at most 20 codes, weights from 0 to 1000)";
const INTERIM: &str = "a final status from 200 to 599: 1xx codes are interim responses (100 Continue, 103 Early Hints) that a server sends before its real answer, never as the answer, and browsers never hand them to JavaScript";

/// `status/{code}` and `status/{a},{b}:{weight}`.
pub async fn status(Path(spec): Path<String>, req: Request) -> Result<Response, LabError> {
    let work = Work::start(&req);
    let choices = parse_choices(&spec)?;
    let code = pick(&choices, &mut Rng::new());
    Ok(answer(work, code))
}

/// `unstable?failure_rate=`: 500 at that rate, else 200.
pub async fn unstable(Query(q): Query<HashMap<String, String>>, req: Request) -> Result<Response, LabError> {
    let work = Work::start(&req);
    let rate: f64 = query_or(&q, "failure_rate", 0.5, 0.0, 1.0, "a number from 0 to 1")?;
    let code = if Rng::new().unit() < rate { 500 } else { 200 };
    Ok(answer(work, code))
}

fn answer(work: Work, code: u16) -> Response {
    let status = StatusCode::from_u16(code).expect("codes are checked to be 200..=599");
    let reason = reason_phrase(code).unwrap_or("Unregistered status");
    if code == 204 || code == 304 {
        // No body: 204 and 304 responses cannot carry one.
        return work.finish(status.into_response());
    }
    let mut res = json(work, serde_json::json!({ "status": code, "reason": reason }));
    *res.status_mut() = status;
    res
}

/// Parses `404` or `200:3,500:1` (a weight defaults to 1).
pub fn parse_choices(spec: &str) -> Result<Vec<(u16, f64)>, LabError> {
    let bad = || LabError::BadParam { name: "code", value: clip(spec), allowed: CODE_RANGE };
    let parts: Vec<&str> = spec.split(',').collect();
    if parts.len() > 20 {
        return Err(bad());
    }
    let mut choices = Vec::with_capacity(parts.len());
    for part in parts {
        let (code, weight) = part.split_once(':').unwrap_or((part, "1"));
        let code: u16 = bounded("code", code, 100, 599, CODE_RANGE).map_err(|_| bad())?;
        if code < 200 {
            return Err(LabError::BadParam { name: "code", value: clip(spec), allowed: INTERIM });
        }
        let weight: f64 = bounded("code", weight, 0.0, 1000.0, CODE_RANGE).map_err(|_| bad())?;
        choices.push((code, weight));
    }
    if choices.iter().all(|(_, w)| *w == 0.0) {
        return Err(bad());
    }
    Ok(choices)
}

pub fn pick(choices: &[(u16, f64)], rng: &mut Rng) -> u16 {
    let total: f64 = choices.iter().map(|(_, w)| w).sum();
    let mut x = rng.unit() * total;
    for (code, w) in choices {
        if x < *w {
            return *code;
        }
        x -= w;
    }
    choices.iter().rev().find(|(_, w)| *w > 0.0).map_or(200, |(c, _)| *c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_parse_and_weights_hold() {
        assert_eq!(parse_choices("404").unwrap(), vec![(404, 1.0)]);
        assert_eq!(parse_choices("200:3,500:1").unwrap(), vec![(200, 3.0), (500, 1.0)]);
        for bad in ["", "99", "100", "103", "199:1,200", "600", "200:-1", "200:x", "200:0", "a,b", &"200,".repeat(21)] {
            assert!(parse_choices(bad).is_err(), "{bad}");
        }
        let mut rng = Rng::new();
        let choices = parse_choices("200:3,500:1").unwrap();
        let fails = (0..4000).filter(|_| pick(&choices, &mut rng) == 500).count();
        assert!((800..1200).contains(&fails), "500 chosen {fails} times of 4000");
        assert!((0..100).all(|_| pick(&parse_choices("201:0,202").unwrap(), &mut rng) == 202));
    }
}
