//! The app's `index.html` for a lesson (`/lesson/{slug}`), the lesson index
//! (`/lessons`) and the app's other pages (`/`, `/pages`, `/timeline`,
//! `/status-codes`, `/cookies`: their heading and lead), with what the page
//! shows already in it:
//! - the title and description, so that a shared link shows a useful
//!   preview in chat apps and search results, which do not run the app;
//! - the page's main content (the lesson's heading and text, the list of
//!   lessons) in index.html's shell, in the app's own markup, so a phone
//!   paints it long before the WebAssembly has arrived, and nothing moves
//!   when the app mounts the same markup in its place;
//! - a preload of the JSON the app will ask for, fetched beside the wasm;
//! - the split wasm files the page opens (`model::split`, read from
//!   `split-manifest.json`), named in `<meta name="roundtrip-code">` for
//!   index.html's loader to fetch beside the first wasm.
//!
//! Lesson text is the model's `Block`s and `Inline`s; every piece of text is
//! escaped here (the file reader has already refused raw HTML).

use crate::html::escape;
use crate::lessons::Lessons;
use crate::params::Path;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use roundtrip_model::lessons::{Block, Inline, LessonPage, INDEX_LEAD, INDEX_TITLE};
use std::path::PathBuf;
use std::sync::Arc;

pub async fn lesson(State((dist, lessons)): State<(PathBuf, Arc<Lessons>)>, Path(slug): Path<String>) -> Response {
    let index = match read_index(&dist).await {
        Ok(index) => index,
        Err(unavailable) => return unavailable,
    };
    match lessons.course.page(&slug) {
        Some(p) => {
            let html = with_meta(&index, &p.page_title(), &p.lesson.summary);
            let code = code_for(&dist, &format!("/lesson/{slug}"), Some(p.lesson.kind)).await;
            Html(painted(&html, &lesson_html(&p), Some(&format!("/lessons/{slug}.json")), &code, None)).into_response()
        }
        // The app still loads and says there is no such lesson, with a way back.
        None => (StatusCode::NOT_FOUND, [(header::CACHE_CONTROL, "no-cache")], Html(index)).into_response(),
    }
}

/// `/lessons`: the index with its list painted in.
pub async fn index(State((dist, lessons)): State<(PathBuf, Arc<Lessons>)>) -> Response {
    let index = match read_index(&dist).await {
        Ok(index) => index,
        Err(unavailable) => return unavailable,
    };
    Html(painted(&index, &index_html(&lessons), Some("/lessons/index.json"), &[], Some("/lessons"))).into_response()
}

/// One of the app's other pages (`/`, `/pages`, …): its heading and lead
/// painted in, from the model's `headings` (the app shows the same).
pub async fn page(State((dist, path)): State<(PathBuf, &'static str)>) -> Response {
    let index = match read_index(&dist).await {
        Ok(index) => index,
        Err(unavailable) => return unavailable,
    };
    let h = roundtrip_model::headings::of(path);
    let lead: String = roundtrip_model::headings::lead_parts(h.lead)
        .map(|(text, code)| if code { format!("<code>{}</code>", escape(text)) } else { escape(text) })
        .collect();
    let main = format!("<h1 class=\"page-title\">{}</h1><p class=\"lead\">{lead}</p>", escape(h.title));
    let code = code_for(&dist, path, None).await;
    Html(painted(&index, &main, None, &code, Some(path))).into_response()
}

/// The wasm files of the app's split points the page at `path` opens
/// (`model::split`), from the build's dist/split-manifest.json; none where
/// the build has none.
async fn code_for(dist: &std::path::Path, path: &str, experiment: Option<roundtrip_model::lessons::Kind>) -> Vec<String> {
    let Ok(text) = tokio::fs::read_to_string(dist.join("split-manifest.json")).await else { return Vec::new() };
    let Ok(manifest) = serde_json::from_str::<std::collections::BTreeMap<String, Vec<String>>>(&text) else { return Vec::new() };
    let mut files: Vec<String> = Vec::new();
    for part in roundtrip_model::split::parts_of(path, experiment) {
        for file in manifest.get(part).into_iter().flatten() {
            // A file name of the build's, nothing else (no path, no quote).
            let plain = file.ends_with(".wasm") && file.chars().all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c));
            if plain && !files.contains(file) {
                files.push(file.clone());
            }
        }
    }
    files
}

/// The app's index.html, read for each page: a rebuilt app is served at once
/// (as ServeDir and the CSP, which read it too). 503 while it is missing.
async fn read_index(dist: &std::path::Path) -> Result<String, Response> {
    tokio::fs::read_to_string(dist.join("index.html")).await.map_err(|_| StatusCode::SERVICE_UNAVAILABLE.into_response())
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

/// `index` with `main` in its shell, a preload of `json`, the names of the
/// page's own wasm files (`code`, see `code_for`), and the nav's link to `current`
/// marked as the page's (as the app's router marks it).
fn painted(index: &str, main: &str, json: Option<&str>, code: &[String], current: Option<&str>) -> String {
    let mut out = index.replacen("<main id=\"shell-main\"></main>", &format!("<main id=\"shell-main\">{main}</main>"), 1);
    // `crossorigin` makes the preload's request the same as the app's fetch
    // (cors mode, same-origin credentials), so the fetch takes its answer.
    if let Some(json) = json {
        out = out.replacen(
            "</head>",
            &format!("<link rel=\"preload\" href=\"{}\" as=\"fetch\" crossorigin=\"anonymous\" />\n</head>", escape(json)),
            1,
        );
    }
    // index.html's loader fetches them beside the first wasm, and the split
    // loader takes those answers (xtask's split.rs and with_paint_first). A
    // `<link rel=preload>` per file did the same in Chromium and Firefox, but
    // WebKit fetched each file twice.
    if !code.is_empty() {
        let names: Vec<String> = code.iter().map(|f| escape(f)).collect();
        out = out.replacen("</head>", &format!("<meta name=\"roundtrip-code\" content=\"{}\" />\n</head>", names.join(" ")), 1);
    }
    if let Some(path) = current {
        // As the app's router marks it: the nav's link to this page, and on
        // `/` the brand link too (it also points at `/`).
        if let Some(nav) = out.find("<nav aria-label=\"Main\">") {
            let link = format!("<a href=\"{path}\">");
            if let Some(at) = out[nav..].find(&link).map(|i| nav + i) {
                out.replace_range(at..at + link.len(), &format!("<a href=\"{path}\" aria-current=\"page\">"));
            }
        }
        if path == "/" {
            out = out.replacen("<a href=\"/\" class=\"brand\">", "<a href=\"/\" aria-current=\"page\" class=\"brand\">", 1);
        }
    }
    out
}

/// The top of the app's lesson page (routes/lesson.rs), without its test ids.
fn lesson_html(p: &LessonPage) -> String {
    let text: String = p.lesson.text.iter().map(block).collect();
    format!(
        "<article class=\"lesson\"><p class=\"crumbs\"><a href=\"/lessons\">All lessons</a> · Lesson {} of {}</p><h1 class=\"page-title\">{}. {}</h1><div class=\"lesson-text\">{text}</div></article>",
        p.number,
        p.count,
        p.number,
        escape(&p.lesson.title)
    )
}

/// The top of the app's lesson index (routes/lessons.rs). What only this
/// browser knows (which lessons are done) is left blank until the app says.
fn index_html(lessons: &Lessons) -> String {
    let mut out = format!("<h1 class=\"page-title\">{}</h1><p class=\"lead\">{}</p>", escape(INDEX_TITLE), escape(INDEX_LEAD));
    if !lessons.problems.is_empty() {
        out += "<section class=\"card failure\" role=\"alert\"><h2>Lesson files left out</h2><p>The lab could not read these lesson files; every other lesson is here. Mend the file and restart the lab.</p><ul>";
        for p in &lessons.problems {
            out += &format!("<li><code>{}</code></li>", escape(p));
        }
        out += "</ul></section>";
    }
    // The app's words where only this browser knows the answer (how many are
    // done, and which), kept invisible (`.pending`) but taking their room.
    out += &format!(
        "<p><span class=\"pending\">0</span> of {} lessons done (kept in this browser only) <button type=\"button\" class=\"plain\">Start again</button></p><ol class=\"lesson-list\">",
        lessons.course.lessons.len()
    );
    for (i, l) in lessons.course.lessons.iter().enumerate() {
        out += &format!(
            "<li class=\"lesson-item\"><a href=\"/lesson/{}\">{}. {}</a><span class=\"lesson-state pending\">not done yet</span><p class=\"lesson-summary\">{}</p></li>",
            escape(&l.slug),
            i + 1,
            escape(&l.title),
            escape(&l.summary)
        );
    }
    out + "</ol>"
}

fn block(b: &Block) -> String {
    let items = |items: &[Vec<Inline>]| items.iter().map(|i| format!("<li>{}</li>", runs(i))).collect::<String>();
    match b {
        Block::Para(r) => format!("<p>{}</p>", runs(r)),
        Block::List(i) => format!("<ul>{}</ul>", items(i)),
        Block::Steps(i) => format!("<ol class=\"lesson-steps\">{}</ol>", items(i)),
        Block::Table { head, rows } => {
            let head: String = head.iter().map(|h| format!("<th scope=\"col\">{}</th>", runs(h))).collect();
            let rows: String = rows
                .iter()
                .map(|r| {
                    let cells: String = r
                        .iter()
                        .enumerate()
                        .map(|(i, c)| if i == 0 { format!("<th scope=\"row\">{}</th>", runs(c)) } else { format!("<td>{}</td>", runs(c)) })
                        .collect();
                    format!("<tr>{cells}</tr>")
                })
                .collect();
            format!("<div class=\"table-scroll\"><table class=\"lesson-table\"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>")
        }
        Block::Code(t) => format!("<pre class=\"lesson-code\"><code>{}</code></pre>", escape(t)),
    }
}

fn runs(r: &[Inline]) -> String {
    r.iter()
        .map(|run| match run {
            Inline::Text(t) => escape(t),
            Inline::Code(t) => format!("<code>{}</code>", escape(t)),
            Inline::Em(i) => format!("<em>{}</em>", runs(i)),
            Inline::Strong(i) => format!("<strong>{}</strong>", runs(i)),
            Inline::Link { text, href } if !roundtrip_model::lessons::safe_href(href) => runs(text),
            Inline::Link { href, text } if href.starts_with('/') || href.starts_with('#') => {
                format!("<a href=\"{}\">{}</a>", escape(href), runs(text))
            }
            Inline::Link { href, text } => format!("<a href=\"{}\" rel=\"noopener noreferrer\">{}</a>", escape(href), runs(text)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_and_description_are_replaced_and_escaped() {
        let index = "<head><title>Roundtrip</title><meta name=\"description\" content=\"Old\" /></head>";
        let out = with_meta(index, "6. Status <codes>", "A \"quoted\" & short line");
        assert_eq!(out, "<head><title>6. Status &lt;codes&gt;</title><meta name=\"description\" content=\"A &quot;quoted&quot; &amp; short line\" /></head>");
    }

    #[test]
    fn a_lesson_is_painted_into_the_shell_as_escaped_text() {
        let index =
            "<head></head><body><nav aria-label=\"Main\"><a href=\"/lessons\">Lessons</a></nav><main id=\"shell-main\"></main></body>";
        let lessons = Lessons::built_in();
        let mut page = lessons.course.page("requests").unwrap();
        page.lesson.text.push(Block::Para(vec![
            Inline::Text("<script>alert(1)</script> & ".into()),
            Inline::Link { href: "https://example.com/?a=\"b\"".into(), text: vec![Inline::Em(vec![Inline::Text("x".into())])] },
        ]));
        let out = painted(index, &lesson_html(&page), Some("/lessons/requests.json"), &[], None);
        assert!(out
            .starts_with("<head><link rel=\"preload\" href=\"/lessons/requests.json\" as=\"fetch\" crossorigin=\"anonymous\" />\n</head>"));
        assert!(out.contains("<main id=\"shell-main\"><article class=\"lesson\"><p class=\"crumbs\"><a href=\"/lessons\">All lessons</a> · Lesson 2 of 14</p><h1 class=\"page-title\">2. What is a request?</h1><div class=\"lesson-text\"><p>A request is a message"));
        assert!(out.contains("<th scope=\"row\">Method</th><td>GET</td>"));
        assert!(out.contains("<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; <a href=\"https://example.com/?a=&quot;b&quot;\" rel=\"noopener noreferrer\"><em>x</em></a></p>"));
        assert!(!out.contains("aria-current"));
        let listed = painted(index, &index_html(&lessons), Some("/lessons/index.json"), &[], Some("/lessons"));
        assert!(listed.contains("<a href=\"/lessons\" aria-current=\"page\">Lessons</a>"));
        assert_eq!(listed.matches("<li class=\"lesson-item\">").count(), 14);
        assert!(listed.contains(
            "<li class=\"lesson-item\"><a href=\"/lesson/big-picture\">1. The big picture</a><span class=\"lesson-state pending\">not done yet</span>"
        ));
        let shell = "<a href=\"/\" class=\"brand\">R</a><nav aria-label=\"Main\"><a href=\"/lessons\">Lessons</a><a href=\"/\">Workbench</a><a href=\"/timeline\">Timeline</a></nav><main id=\"shell-main\"></main>";
        let home = painted(shell, "", None, &[], Some("/"));
        assert!(home.contains("<a href=\"/\" aria-current=\"page\" class=\"brand\">R</a>"), "{home}");
        assert!(home.contains("<a href=\"/lessons\">Lessons</a><a href=\"/\" aria-current=\"page\">Workbench</a>"), "{home}");
        let timeline = painted(shell, "", None, &[], Some("/timeline"));
        assert!(timeline.contains("<a href=\"/timeline\" aria-current=\"page\">Timeline</a>"), "{timeline}");
        assert!(timeline.contains("<a href=\"/\" class=\"brand\">"), "{timeline}");
    }

    #[tokio::test]
    async fn a_page_preloads_the_files_of_its_split_points_and_nothing_odd() {
        let dir = std::env::temp_dir().join(format!("roundtrip-preview-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert!(code_for(&dir, "/", None).await.is_empty(), "no manifest: no preloads");
        std::fs::write(
            dir.join("split-manifest.json"),
            r#"{"roundtrip_learn":["split_roundtrip_learn-ab.wasm","chunk_1-ab.wasm","../x\".wasm","/etc/passwd"],
               "roundtrip_pages":["split_roundtrip_pages-ab.wasm","chunk_1-ab.wasm"]}"#,
        )
        .unwrap();
        assert_eq!(code_for(&dir, "/", None).await, ["split_roundtrip_learn-ab.wasm", "chunk_1-ab.wasm"]);
        assert_eq!(
            code_for(&dir, "/lesson/x", Some(roundtrip_model::lessons::Kind::PageLoad)).await,
            ["split_roundtrip_learn-ab.wasm", "chunk_1-ab.wasm", "split_roundtrip_pages-ab.wasm"],
            "a lesson's experiment too, each file once"
        );
        assert!(code_for(&dir, "/lessons", None).await.is_empty());
        let out = painted("<head></head>", "", None, &code_for(&dir, "/", None).await, None);
        assert!(out.contains("<meta name=\"roundtrip-code\" content=\"split_roundtrip_learn-ab.wasm chunk_1-ab.wasm\" />"), "{out}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
