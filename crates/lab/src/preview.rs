//! `/lesson/{slug}` serves the app's `index.html` with that lesson's title
//! and description already in it, so that a shared link shows a useful
//! preview in chat apps and search results, which do not run the app.

use crate::html::escape;
use crate::lessons::Lessons;
use crate::params::Path;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use std::path::PathBuf;
use std::sync::Arc;

pub async fn lesson(State((dist, lessons)): State<(PathBuf, Arc<Lessons>)>, Path(slug): Path<String>) -> Response {
    let Ok(index) = tokio::fs::read_to_string(dist.join("index.html")).await else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    match lessons.course.page(&slug) {
        Some(p) => Html(with_meta(&index, &p.page_title(), &p.lesson.summary)).into_response(),
        // The app still loads and says there is no such lesson, with a way back.
        None => (StatusCode::NOT_FOUND, [(header::CACHE_CONTROL, "no-cache")], Html(index)).into_response(),
    }
}

/// `index` with its `<title>` and `<meta name="description">` replaced.
pub fn with_meta(index: &str, title: &str, description: &str) -> String {
    let mut out = index.to_owned();
    if let (Some(a), Some(b)) = (out.find("<title>"), out.find("</title>")) {
        out.replace_range(a + "<title>".len()..b, &escape(title));
    }
    let marker = "<meta name=\"description\" content=\"";
    if let Some(a) = out.find(marker).map(|a| a + marker.len()) {
        if let Some(len) = out[a..].find('"') {
            out.replace_range(a..a + len, &escape(description));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn title_and_description_are_replaced_and_escaped() {
        let index = "<head><title>Roundtrip</title><meta name=\"description\" content=\"Old\" /></head>";
        let out = super::with_meta(index, "6. Status <codes>", "A \"quoted\" & short line");
        assert_eq!(out, "<head><title>6. Status &lt;codes&gt;</title><meta name=\"description\" content=\"A &quot;quoted&quot; &amp; short line\" /></head>");
    }
}
