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
        // Printed to the terminal: escaped, as every problem is (FileError's Display).
        let entries = std::fs::read_dir(dir).map_err(|e| lesson_file::printable(&format!("--lessons {}: {e}", dir.display())))?;
        let mut files = Vec::new();
        let mut problems = Vec::new();
        let mut names: Vec<_> = entries.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        // Anything but Markdown (a README.txt, an editor's backup) is not a lesson.
        names.retain(|n| n.ends_with(".md") && !n.starts_with('.'));
        if names.len() > MAX_FILES {
            problems.push(FileError {
                file: "--lessons".into(),
                line: 0,
                message: format!("the folder has {} lesson files; only the first {MAX_FILES} by name are read", names.len()),
            });
            names.truncate(MAX_FILES);
        }
        for name in names {
            match read_lesson_file(&dir.join(&name)) {
                Ok(text) => files.push((name, text)),
                Err(message) => problems.push(FileError { file: name, line: 0, message }),
            }
        }
        Ok(Lessons::assemble(&built_in_files(), &files, problems))
    }

    fn assemble(base: &[(String, String)], teacher: &[(String, String)], mut problems: Vec<FileError>) -> Lessons {
        let (course, more, from_folder) = lesson_file::course(base, teacher);
        problems.extend(more);
        let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
        let index = serde_json::to_string(&course.index(&problems)).unwrap_or_default();
        let pages = course
            .lessons
            .iter()
            .filter_map(|l| course.page(&l.slug))
            .map(|p: LessonPage| (p.lesson.slug.clone(), serde_json::to_string(&p).unwrap_or_default()))
            .collect();
        Lessons { course, problems, index, pages, from_folder }
    }
}

/// One file of a teacher's folder: a regular file (a FIFO would block the
/// read, `/dev/zero` never end it), at most `MAX_FILE` bytes however it
/// grows meanwhile, in UTF-8.
fn read_lesson_file(path: &Path) -> Result<String, String> {
    use std::io::Read;
    let is_file = |m: std::fs::Metadata| m.is_file();
    if !std::fs::metadata(path).is_ok_and(is_file) {
        return Err("not a regular file".into());
    }
    let file = std::fs::File::open(path).map_err(|e| format!("cannot be read: {e}"))?;
    if !file.metadata().is_ok_and(is_file) {
        return Err("not a regular file".into());
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE as u64 + 1).read_to_end(&mut bytes).map_err(|e| format!("cannot be read: {e}"))?;
    if bytes.len() > MAX_FILE {
        return Err(format!("more than the {MAX_FILE} bytes a lesson file may have"));
    }
    String::from_utf8(bytes).map_err(|e| format!("not UTF-8 text (an invalid byte at {}): save it as UTF-8", e.utf8_error().valid_up_to()))
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
    fn a_teacher_folder_with_odd_files_loads_what_it_can() {
        let dir = std::env::temp_dir().join(format!("roundtrip-lessons-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let example = built_in_files().into_iter().find(|(n, _)| n == "02-requests.md").unwrap().1;
        std::fs::write(dir.join("15-mine.md"), example.replace("What is a request?", "Mine")).unwrap();
        std::fs::write(dir.join("02-requests.md"), example.replace("What is a request?", "Requests, the teacher's way")).unwrap();
        std::fs::write(dir.join("16-big.md"), "x".repeat(MAX_FILE + 1)).unwrap();
        std::fs::write(dir.join("17-latin1.md"), b"+++\ntitle = \"caf\xe9\"\n").unwrap();
        std::os::unix::fs::symlink("/dev/zero", dir.join("18-zero.md")).unwrap();
        std::fs::write(dir.join(".#15-mine.md"), "an editor's lock").unwrap();
        std::fs::write(dir.join("notes.txt"), "not a lesson").unwrap();
        let l = Lessons::with_folder(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(l.course.lessons.len(), 15);
        assert_eq!(l.course.lessons[1].title, "Requests, the teacher's way", "replaced in place");
        assert_eq!(l.course.lessons[14].title, "Mine");
        assert_eq!(l.from_folder, 2);
        assert_eq!(
            l.problems,
            [
                "16-big.md: more than the 262144 bytes a lesson file may have",
                "17-latin1.md: not UTF-8 text (an invalid byte at 16): save it as UTF-8",
                "18-zero.md: not a regular file"
            ]
        );
        assert!(Lessons::with_folder(Path::new("/no/such/folder")).unwrap_err().starts_with("--lessons /no/such/folder: "));
    }

    /// What main.rs prints for each problem, as the teacher's terminal gets it.
    fn printed(problem: &str) -> String {
        format!("roundtrip-lab: lesson file left out: {problem}")
    }

    #[test]
    fn a_folder_of_files_that_misbehave_by_size_or_bytes_prints_no_control_character() {
        let dir = std::env::temp_dir().join(format!("roundtrip-lessons-bytes-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let example = built_in_files().into_iter().find(|(n, _)| n == "02-requests.md").unwrap().1;
        // The two files: an escape sequence that retitles the terminal,
        // and a table of 10,000 columns (its JSON past what the app reads).
        std::fs::write(dir.join("15-pwned.md"), example.replace("kind = \"request\"", "kind = \"\\u001b]0;PWNED\\u0007\"")).unwrap();
        let wide = format!("{}|\n{}|\n{}|\n", "| a ".repeat(10_000), "|---".repeat(10_000), "| x ".repeat(10_000));
        assert!(wide.len() < MAX_FILE);
        let table_line = example.lines().count() + 2;
        std::fs::write(dir.join("16-wide.md"), format!("{example}\n{wide}")).unwrap();
        // Raw control bytes in the text, in a TOML key, in the file's name.
        std::fs::write(
            dir.join("17-raw.md"),
            example.replace("A request is a message", "Clear \u{1b}[2J\u{1b}[H the screen. A request is a message"),
        )
        .unwrap();
        std::fs::write(dir.join("18-key.md"), example.replace("kind = \"request\"", "kind = \"request\"\n\"\\u001b[31mred\" = 1")).unwrap();
        std::fs::write(dir.join("19-\u{1b}[31mred\u{7}.md"), &example).unwrap();
        std::fs::write(dir.join("20-\u{202e}dm.md"), &example).unwrap();
        let l = Lessons::with_folder(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(l.course.lessons.len(), 14, "the rest of the course loads");
        let clean = |s: &str| !s.chars().any(|c| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'));
        for p in &l.problems {
            assert!(clean(&printed(p)), "printed raw: {:?}", printed(p));
        }
        let problems: Vec<&str> = l.problems.iter().map(String::as_str).collect();
        assert_eq!(problems.len(), 6, "{problems:#?}");
        assert_eq!(problems[0], "15-pwned.md, line 4: kind holds a control character (U+001B), which a lesson may not");
        assert_eq!(problems[1], format!("16-wide.md, line {table_line}: this table has 10000 columns; a table has at most 12"));
        assert_eq!(problems[2], "17-raw.md, line 27: a control character (U+001B) is not allowed in a lesson's text");
        assert!(problems[3].starts_with("18-key.md, line 5: in the front matter: unknown field `\\u{1b}[31mred`"), "{}", problems[3]);
        assert!(problems[4].starts_with("19-\\u{1b}[31mred\\u{7}.md: the file name must be"), "{}", problems[4]);
        assert!(problems[5].starts_with("20-\\u{202e}dm.md: the file name must be"), "{}", problems[5]);
        // The index the app fetches stays within what it reads.
        assert!(l.index.len() < roundtrip_model::lessons::JSON_CAP);
        assert!(l.pages.values().all(|p| p.len() < roundtrip_model::lessons::JSON_CAP));
    }

    #[test]
    fn the_files_read_back_as_written() {
        for (name, text) in built_in_files() {
            let lesson = lesson_file::parse(&name, &text).unwrap();
            assert_eq!(lesson_file::parse(&name, &lesson_file::write(&lesson)).unwrap(), lesson, "{name}");
        }
    }
}
