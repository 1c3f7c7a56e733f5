//! The lessons the lab serves to the app: the project's `lessons/*.md`,
//! compiled into this binary, and a teacher's folder (`--lessons DIR`) that
//! adds lessons or replaces some. Each is read once, at start, into JSON:
//! `/lessons/index.json` (the course, and the files that could not be read)
//! and `/lessons/{slug}.json` (one lesson with its place in the course).

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use roundtrip_model::lesson_file::{self, FileError, MAX_FILE, MAX_FILES};
use roundtrip_model::lessons::{Course, LessonPage};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

static BUILT_IN: include_dir::Dir<'static> = include_dir::include_dir!("$CARGO_MANIFEST_DIR/../../lessons");

/// The course as served, its JSON made once.
#[derive(Debug)]
pub struct Lessons {
    pub course: Course,
    /// Each file left out, with its line and why.
    pub problems: Vec<String>,
    index: String,
    pages: HashMap<String, String>,
    /// How many lessons came from the teacher's folder.
    pub from_folder: usize,
}

impl Lessons {
    /// The lessons built into this binary.
    pub fn built_in() -> Lessons {
        Lessons::assemble(&built_in_files(), &[], Vec::new())
    }

    /// The built-in lessons and those of a teacher's `dir`. An unreadable
    /// folder is an error; an unreadable file is a problem, and the rest load.
    pub fn with_folder(dir: &Path) -> Result<Lessons, String> {
        let entries = std::fs::read_dir(dir).map_err(|e| format!("--lessons {}: {e}", dir.display()))?;
        let mut files = Vec::new();
        let mut problems = Vec::new();
        let mut names: Vec<_> = entries.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        // Anything but Markdown (a README.txt, an editor's backup) is not a lesson.
        names.retain(|n| n.ends_with(".md") && !n.starts_with('.'));
        if names.len() > MAX_FILES {
            problems.push(FileError {
                file: dir.display().to_string(),
                line: 0,
                message: format!("{} lesson files; only the first {MAX_FILES} (by name) are read", names.len()),
            });
            names.truncate(MAX_FILES);
        }
        for name in names {
            let path = dir.join(&name);
            let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            if size > MAX_FILE as u64 {
                problems.push(FileError {
                    file: name,
                    line: 0,
                    message: format!("{size} bytes is more than the {MAX_FILE} a lesson file may have"),
                });
                continue;
            }
            match std::fs::read(&path).map(String::from_utf8) {
                Ok(Ok(text)) => files.push((name, text)),
                Ok(Err(e)) => problems.push(FileError {
                    file: name,
                    line: 0,
                    message: format!("not UTF-8 text (an invalid byte at {}): save it as UTF-8", e.utf8_error().valid_up_to()),
                }),
                Err(e) => problems.push(FileError { file: name, line: 0, message: format!("cannot be read: {e}") }),
            }
        }
        Ok(Lessons::assemble(&built_in_files(), &files, problems))
    }

    fn assemble(base: &[(String, String)], teacher: &[(String, String)], mut problems: Vec<FileError>) -> Lessons {
        let (course, more) = lesson_file::course(base, teacher);
        problems.extend(more);
        let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
        let index = serde_json::to_string(&course.index(&problems)).unwrap_or_default();
        let pages = course
            .lessons
            .iter()
            .filter_map(|l| course.page(&l.slug))
            .map(|p: LessonPage| (p.lesson.slug.clone(), serde_json::to_string(&p).unwrap_or_default()))
            .collect();
        let teacher_slugs: Vec<_> = teacher.iter().filter_map(|(n, _)| roundtrip_model::lessons::slug_of_file(n)).collect();
        let from_folder = course.lessons.iter().filter(|l| teacher_slugs.contains(&l.slug.as_str())).count();
        Lessons { course, problems, index, pages, from_folder }
    }
}

/// The project's lesson files as compiled in: (file name, text).
pub fn built_in_files() -> Vec<(String, String)> {
    BUILT_IN
        .files()
        .filter_map(|f| {
            let name = f.path().file_name()?.to_str()?.to_owned();
            Some((name, f.contents_utf8()?.to_owned()))
        })
        .filter(|(name, _)| name.ends_with(".md"))
        .collect()
}

fn json(status: StatusCode, body: String) -> Response {
    let mut res = (status, body).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    // Small, and a teacher may restart the lab with changed files.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    res
}

/// `/lessons/index.json` and `/lessons/{slug}.json`.
pub async fn serve(State(lessons): State<Arc<Lessons>>, crate::params::Path(file): crate::params::Path<String>) -> Response {
    if file == "index.json" {
        return json(StatusCode::OK, lessons.index.clone());
    }
    match file.strip_suffix(".json").and_then(|slug| lessons.pages.get(slug)) {
        Some(page) => json(StatusCode::OK, page.clone()),
        None => json(
            StatusCode::NOT_FOUND,
            serde_json::json!({ "error": format!("No lesson at /lessons/{}: see /lessons/index.json", crate::params::clip(&file)) })
                .to_string(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fourteen_built_in_lessons_load_in_the_course_order() {
        let l = Lessons::built_in();
        assert_eq!(l.problems, Vec::<String>::new());
        let slugs: Vec<_> = l.course.lessons.iter().map(|l| l.slug.as_str()).collect();
        assert_eq!(
            slugs,
            [
                "big-picture",
                "requests",
                "the-server",
                "responses",
                "methods",
                "status-codes",
                "opening-a-website",
                "client-and-server",
                "https",
                "the-cycle",
                "what-breaks",
                "urls",
                "cookies",
                "authentication"
            ]
        );
        let page: LessonPage = serde_json::from_str(&l.pages["status-codes"]).unwrap();
        assert_eq!(page.page_title(), "6. Status codes · Roundtrip");
        for lesson in &l.course.lessons {
            assert!(!lesson.checks.is_empty(), "{}: something to check yourself with", lesson.slug);
            assert_eq!(lesson.default_experiment().validate(), Ok(()), "{}", lesson.slug);
        }
    }

    #[test]
    fn the_files_read_back_as_written() {
        for (name, text) in built_in_files() {
            let lesson = lesson_file::parse(&name, &text).unwrap();
            assert_eq!(lesson_file::parse(&name, &lesson_file::write(&lesson)).unwrap(), lesson, "{name}");
        }
    }
}
